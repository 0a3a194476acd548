// Package activities holds the Temporal activities of the programme: thin
// adapters, each a few lines calling one dependency — the store, the
// document renderer, the file system. Domain errors become non-retryable
// application errors whose type is the domain code; everything else is
// retried.
package activities

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"chuyenhoa/cycle"
)

// ApprovalDocument is what the approval decision shows.
type ApprovalDocument struct {
	Issuer       cycle.Issuer          `json:"issuer"`
	Number       string                `json:"number"` // "12/QĐ-BCĐ"; empty for a draft
	Date         cycle.Date            `json:"date"`
	Year         int                   `json:"year"`
	ProvinceName string                `json:"province_name"`
	Communes     []cycle.ListedCommune `json:"communes"`
	Signed       bool                  `json:"signed"`
	Synthetic    bool                  `json:"synthetic"`
	// From the policy: the national grounds cited, the distribution list,
	// and the statistics period of the transformation year. Empty: the
	// template's defaults (seed 000).
	Grounds    []string   `json:"grounds,omitempty"`
	Recipients []string   `json:"recipients,omitempty"`
	PeriodFrom cycle.Date `json:"period_from,omitempty"`
	PeriodTo   cycle.Date `json:"period_to,omitempty"`
}

// Renderer renders decision documents to PDF. Package docs implements it.
type Renderer interface {
	RenderApproval(ApprovalDocument) ([]byte, error)
}

// Activities are the cycle's activities, registered on the worker as a
// pointer and called from workflows through a nil *Activities.
type Activities struct {
	Store     Store
	Docs      Renderer
	OutputDir string // where issued PDFs are written, under <province>/<year>/

	// The document pipeline of IssueDocument and DeliverDocument (see
	// documents.go); each is optional.
	Archive      DocumentStore // the archive of issued PDFs and the delivery record
	Signing      *Signing      // the signer's and the issuing body's keys and images
	Distribution *Distribution // the recipients directory and the deliverer

	// Counters count issued documents and failed deliveries for the
	// metrics endpoint (package observe); nil counts nothing.
	Counters Counters
}

// Counters count what the activities do, for the metrics endpoint;
// observe.Counters implements it. The methods must be safe for
// concurrent use.
type Counters interface {
	// DocumentIssued counts a document of a kind issued ("approval", DocRecognition, …).
	DocumentIssued(kind string)
	// DeliveryFailed counts a failed delivery attempt by channel and the
	// status it left the delivery in (cycle.DeliveryFailed or cycle.DeliveryUnknown).
	DeliveryFailed(channel cycle.Channel, status cycle.DeliveryStatus)
}

// nopCounters count nothing.
type nopCounters struct{}

func (nopCounters) DocumentIssued(string)                              {}
func (nopCounters) DeliveryFailed(cycle.Channel, cycle.DeliveryStatus) {}

// counters returns the configured counters, or ones that count nothing.
func (a *Activities) counters() Counters {
	if a.Counters == nil {
		return nopCounters{}
	}
	return a.Counters
}

// ProvinceSnapshot is a province's registry and issuer as a cycle starts with them.
type ProvinceSnapshot struct {
	Province cycle.Province `json:"province"`
	Issuer   cycle.Issuer   `json:"issuer"`
}

// LoadProvince reads the registry and issuer configuration of a province.
func (a *Activities) LoadProvince(ctx context.Context, code string) (ProvinceSnapshot, error) {
	p, is, err := a.Store.Province(ctx, code)
	if err != nil {
		return ProvinceSnapshot{}, wrap("load province "+code, err)
	}
	return ProvinceSnapshot{Province: p, Issuer: is}, nil
}

// OpenCycle records a cycle's start.
func (a *Activities) OpenCycle(ctx context.Context, c cycle.CycleInfo) error {
	return wrap("open cycle "+c.ID, a.Store.OpenCycle(ctx, c))
}

// PhaseChange is a cycle entering a phase.
type PhaseChange struct {
	CycleID string      `json:"cycle_id"`
	Phase   cycle.Phase `json:"phase"`
	At      time.Time   `json:"at"`
}

// SetPhase records the cycle's phase.
func (a *Activities) SetPhase(ctx context.Context, p PhaseChange) error {
	activity.GetLogger(ctx).Info("cycle phase", "cycle", p.CycleID, "phase", p.Phase)
	return wrap("set phase of "+p.CycleID, a.Store.SetPhase(ctx, p.CycleID, p.Phase, p.At))
}

// OpenTask adds an open task to the officers' read model.
func (a *Activities) OpenTask(ctx context.Context, t cycle.Task) error {
	activity.GetLogger(ctx).Info("task opened", "cycle", t.CycleID, "task", t.ID, "kind", t.Kind, "role", t.Role, "district", t.District, "due", t.Due.String())
	return wrap("open task "+t.ID, a.Store.OpenTask(ctx, t))
}

// TaskClosure closes a task that will not be completed.
type TaskClosure struct {
	CycleID string    `json:"cycle_id"`
	TaskID  string    `json:"task_id"`
	Reason  string    `json:"reason"`
	At      time.Time `json:"at"`
}

// CloseTask closes a task without completion, with the reason.
func (a *Activities) CloseTask(ctx context.Context, c TaskClosure) error {
	activity.GetLogger(ctx).Info("task closed", "cycle", c.CycleID, "task", c.TaskID, "reason", c.Reason)
	return wrap("close task "+c.TaskID, a.Store.CloseTask(ctx, c.CycleID, c.TaskID, c.Reason, c.At))
}

// CompleteTask records a task completion: audit log, payload, read model.
func (a *Activities) CompleteTask(ctx context.Context, c cycle.Completion) error {
	activity.GetLogger(ctx).Info("task completed", "cycle", c.CycleID, "task", c.TaskID, "actor", c.Actor.ID, "request", c.RequestID, "late", c.Late)
	return wrap("complete task "+c.TaskID, a.Store.CompleteTask(ctx, c))
}

// Alert is a notification raised at a workflow time.
type Alert struct {
	Notification cycle.Notification `json:"notification"`
	At           time.Time          `json:"at"`
}

// Notify stores a reminder, overdue notice or escalation and logs it. It
// never fails the workflow for a duplicate: the store keeps one per key.
func (a *Activities) Notify(ctx context.Context, al Alert) error {
	n := al.Notification
	isNew, err := a.Store.AddNotification(ctx, n, al.At)
	if err != nil {
		return wrap("notify "+n.Key(), err)
	}
	if isNew {
		activity.GetLogger(ctx).Info("notification", "cycle", n.CycleID, "task", n.TaskID, "kind", n.Kind, "to", n.Role, "district", n.District, "due", n.Due.String(), "message", n.Message)
	}
	return nil
}

// SelectionInput is what the selection rules are applied to.
type SelectionInput struct {
	CycleID   string           `json:"cycle_id"`
	Province  cycle.Province   `json:"province"`
	Policy    cycle.Policy     `json:"policy"`
	Proposals []cycle.Proposal `json:"proposals"`
	At        time.Time        `json:"at"`
}

// ApplySelectionRules applies the policy's selection rules to the
// proposals received and stores every candidate's verdict, with a reason
// per rule, for the secretariat and the council.
func (a *Activities) ApplySelectionRules(ctx context.Context, in SelectionInput) (cycle.SelectionResult, error) {
	sel := cycle.Select(in.Province, in.Policy, in.Proposals)
	activity.GetLogger(ctx).Info("selection rules applied", "cycle", in.CycleID, "province", in.Province.Code, "policy", in.Policy.ID,
		"proposals", len(in.Proposals), "selected", len(sel.Selected()))
	if err := a.Store.SaveSelection(ctx, in.CycleID, sel, in.At); err != nil {
		return cycle.SelectionResult{}, wrap("save selection of "+in.CycleID, err)
	}
	return sel, nil
}

// DraftInput asks for the draft approval decision shown to the signer.
type DraftInput struct {
	CycleID  string           `json:"cycle_id"`
	Province string           `json:"province"`
	Document ApprovalDocument `json:"document"`
}

// RenderDraft renders the unnumbered draft decision and writes it under
// OutputDir; it returns the path.
func (a *Activities) RenderDraft(ctx context.Context, in DraftInput) (string, error) {
	pdf, err := a.Docs.RenderApproval(in.Document)
	if err != nil {
		return "", wrap("render draft of "+in.CycleID, err)
	}
	name := fmt.Sprintf("du-thao-qd-phe-duyet-%d.pdf", in.Document.Year)
	path, err := a.write(in.Province, in.Document.Year, name, pdf)
	return path, wrap("write draft of "+in.CycleID, err)
}

// IssueInput asks for the approval decision to be numbered, rendered and stored.
type IssueInput struct {
	DecisionID string           `json:"decision_id"`
	CycleID    string           `json:"cycle_id"`
	Province   string           `json:"province"`
	Document   ApprovalDocument `json:"document"` // Number is filled in here
	SignedBy   cycle.Actor      `json:"signed_by"`
	IssuedBy   cycle.Actor      `json:"issued_by"`
	At         time.Time        `json:"at"`
}

// IssueDecision takes the decision's number from the register (the same
// number on every retry), renders the signed decision with it, writes the
// PDF and stores it with its SHA-256.
func (a *Activities) IssueDecision(ctx context.Context, in IssueInput) (cycle.Decision, error) {
	doc := in.Document
	d := cycle.Decision{
		ID: in.DecisionID, CycleID: in.CycleID, Kind: "approval", BodyKey: doc.Issuer.BodyKey,
		Year: doc.Date.Year, Date: doc.Date, SignedBy: in.SignedBy, IssuedBy: in.IssuedBy, IssuedAt: in.At,
		Communes: doc.Communes,
	}
	n, err := a.Store.AssignNumber(ctx, d)
	if err != nil {
		return cycle.Decision{}, wrap("number decision "+d.ID, err)
	}
	d.Number = n
	d.Code = fmt.Sprintf("%d/%s", n, doc.Issuer.NumberSuffix)
	doc.Number = d.Code
	pdf, err := a.Docs.RenderApproval(doc)
	if err != nil {
		return cycle.Decision{}, wrap("render decision "+d.Code, err)
	}
	sum := sha256.Sum256(pdf)
	d.SHA256 = hex.EncodeToString(sum[:])
	name := fmt.Sprintf("qd-%d-%s-phe-duyet-%d.pdf", n, slug(doc.Issuer.NumberSuffix), doc.Year)
	if d.Path, err = a.write(in.Province, doc.Year, name, pdf); err != nil {
		return cycle.Decision{}, wrap("write decision "+d.Code, err)
	}
	if err := a.Store.SaveDecision(ctx, d, pdf); err != nil {
		return cycle.Decision{}, wrap("save decision "+d.Code, err)
	}
	activity.GetLogger(ctx).Info("decision issued", "cycle", d.CycleID, "document", d.Code, "kind", d.Kind, "path", d.Path, "sha256", d.SHA256)
	a.counters().DocumentIssued(d.Kind)
	return d, nil
}

// write stores a file atomically (temporary file, then rename) under
// OutputDir/<province>/<year>/ and returns its path. With no OutputDir it
// writes nothing and returns "".
func (a *Activities) write(province string, year int, name string, data []byte) (string, error) {
	if a.OutputDir == "" {
		return "", nil
	}
	dir := filepath.Join(a.OutputDir, province, fmt.Sprint(year))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	f, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return "", err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(data); err != nil {
		f.Close()
		return "", err
	}
	if err := f.Close(); err != nil {
		return "", err
	}
	path := filepath.Join(dir, name)
	return path, os.Rename(f.Name(), path)
}

// slug turns "QĐ-BCĐ" into "qd-bcd" for file names.
func slug(s string) string {
	r := strings.NewReplacer("Đ", "d", "đ", "d")
	return strings.ToLower(r.Replace(s))
}

// wrap adds context to err and makes domain errors non-retryable
// application errors whose type is the domain code.
func wrap(what string, err error) error {
	if err == nil {
		return nil
	}
	var ce *cycle.Error
	if errors.As(err, &ce) && ce.Code != cycle.EINTERNAL {
		return temporal.NewApplicationErrorWithOptions(what+": "+ce.Error(), ce.Code, temporal.ApplicationErrorOptions{
			NonRetryable: true, Cause: err, Details: []any{ce.Problems},
		})
	}
	return fmt.Errorf("%s: %w", what, err)
}
