package issuing

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/activity"
	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/flow"
)

// Store is what the pipeline records (see the contracts in package cycle).
type Store interface {
	AssignNumber(ctx context.Context, d cycle.Decision) (int, error)
	SaveDecision(ctx context.Context, d cycle.Decision) error
	PutBlob(ctx context.Context, data []byte) (string, error)
	Blob(ctx context.Context, sha256 string) ([]byte, error)
	ArchiveDocument(ctx context.Context, a cycle.ArchivedDocument) error
	ArchivedDocument(ctx context.Context, id string) (cycle.ArchivedDocument, []byte, error)
	AddressDocument(ctx context.Context, documentID, province string, named []cycle.Recipient, at time.Time) error
	PlanDeliveries(ctx context.Context, documentID string, targets []cycle.DeliveryTarget, at time.Time) error
	ClaimDelivery(ctx context.Context, documentID, recipient, attemptID, messageID string, at time.Time) (cycle.DeliveryRecord, bool, error)
	FinishDelivery(ctx context.Context, documentID, recipient, attemptID string, outcome cycle.DeliveryStatus, lastError string, at time.Time) error
}

// Renderer lays a document out as a PDF; package render implements it.
// It must be safe for concurrent use and deterministic: the same content
// gives the same bytes.
type Renderer interface {
	Render(c cycle.DocumentContent) (cycle.RenderedDocument, error)
}

// Signer signs a document: the signer's signature (its image in box,
// between the title and the name) and then the issuing body's seal.
// Package signing implements it.
type Signer interface {
	SignAndSeal(pdf []byte, box cycle.PageBox, is cycle.Issuer, code string, at time.Time) (cycle.SignedDocument, error)
}

// Directory maps a document's "Nơi nhận" — the printed lines and the
// bodies they name — to recipients; package delivery implements it.
type Directory interface {
	Plan(lines []string, named []cycle.Recipient) (targets []cycle.DeliveryTarget, unmatched []string)
}

// Deliverer hands a document to one recipient; package delivery
// implements it. An error wrapping cycle.ErrDeliveryAmbiguous means the
// hand-over may have happened; cycle.ErrDeliveryRefused, that trying again
// will not change the refusal.
type Deliverer interface {
	Deliver(ctx context.Context, t cycle.DeliveryTarget, m cycle.DeliveryMessage) error
}

// Counters count what the pipeline does, for the metrics endpoint;
// package observe implements it. Safe for concurrent use.
type Counters interface {
	DocumentIssued(kind string)
	DeliveryFailed(channel cycle.Channel, status cycle.DeliveryStatus)
}

// Activities are the pipeline's steps. Signer nil issues documents
// unsigned (the log says so); Directory or Deliverer nil delivers nothing.
type Activities struct {
	Store     Store
	Renderer  Renderer
	Signer    Signer
	Directory Directory
	Deliverer Deliverer
	Domain    string // of the Message-IDs, e.g. "bcd138.quangngai.gov.vn"
	Counters  Counters
	// Head, when set, has the head sign where the head's key is (see
	// deferred.go); Sealer then applies the issuing body's seal alone.
	Head   HeadSigner
	Sealer Sealer
	// Unsigned, when set, refuses to issue a document without its
	// signatures (outside the demo): it names the settings missing.
	Unsigned string
}

// NumberInput asks for a document's number.
type NumberInput struct {
	Decision cycle.Decision `json:"decision"`
	Suffix   string         `json:"suffix"`
}

// Numbered is a document's number; Archived is set when the document is
// in the archive already (an issue retried after it), whose signed PDF
// is then the document — it is not rendered or signed again.
type Numbered struct {
	Number   int                     `json:"number"`
	Code     string                  `json:"code"` // "5/QĐ-BCĐ"
	Archived *cycle.ArchivedDocument `json:"archived,omitempty"`
}

// NumberDocument takes the document's number from its issuing body's
// register: the number it has already, or the next one.
func (a *Activities) NumberDocument(ctx context.Context, in NumberInput) (Numbered, error) {
	n, err := a.Store.AssignNumber(ctx, in.Decision)
	if err != nil {
		return Numbered{}, flow.Wrap("number "+in.Decision.ID, err)
	}
	out := Numbered{Number: n, Code: fmt.Sprintf("%d/%s", n, in.Suffix)}
	rec, _, err := a.Store.ArchivedDocument(ctx, in.Decision.ID)
	switch {
	case err == nil:
		out.Archived = &rec
		activity.GetLogger(ctx).Info("document already archived: its signed PDF is the document", "document", out.Code, "sha256", rec.SHA256)
	case cycle.ErrorCode(err) != cycle.ENOTFOUND:
		return Numbered{}, flow.Wrap("read the archive of "+in.Decision.ID, err)
	}
	return out, nil
}

// RenderInput asks for a document to be laid out.
type RenderInput struct {
	DocumentID string                `json:"document_id"`
	Content    cycle.DocumentContent `json:"content"`
}

// RenderResult is a rendered document, stored under its SHA-256.
type RenderResult struct {
	SHA256     string        `json:"sha256"`
	Signature  cycle.PageBox `json:"signature"`
	Subject    string        `json:"subject"`
	Recipients []string      `json:"recipients,omitempty"`
}

// RenderDocument lays the document out as a PDF and stores it.
func (a *Activities) RenderDocument(ctx context.Context, in RenderInput) (RenderResult, error) {
	r, err := a.Renderer.Render(in.Content)
	if err != nil {
		return RenderResult{}, flow.Wrap("render "+in.DocumentID, bad(err))
	}
	sha, err := a.Store.PutBlob(ctx, r.PDF)
	if err != nil {
		return RenderResult{}, flow.Wrap("store the rendering of "+in.DocumentID, err)
	}
	return RenderResult{SHA256: sha, Signature: r.Signature, Subject: r.Subject, Recipients: r.Recipients}, nil
}

// DraftInput asks for a draft (an unnumbered, unsigned document shown to
// the signer before the signature).
type DraftInput struct {
	CycleID  string                `json:"cycle_id"`
	Province string                `json:"province"`
	Document cycle.DocumentContent `json:"document"`
}

// CheckRecipients lists the recipients of a document about to be issued
// that the worker's recipients directory cannot reach (see
// cycle.UnresolvedRecipients): the clerk's issue form shows them before the
// issue. Without a directory every recipient is listed: nothing is
// delivered.
func (a *Activities) CheckRecipients(_ context.Context, doc cycle.DocumentContent) ([]cycle.Unresolved, error) {
	r, _ := a.Directory.(cycle.RecipientResolver) // nil without a directory
	return cycle.UnresolvedRecipients(doc, r), nil
}

// RenderDraft renders a draft and stores it; it returns its SHA-256, by
// which the state query and the officers' pages refer to it.
func (a *Activities) RenderDraft(ctx context.Context, in DraftInput) (string, error) {
	if in.Document.Kind == "" {
		in.Document.Kind = cycle.DocApproval // drafts were of approval decisions only
	}
	r, err := a.RenderDocument(ctx, RenderInput{DocumentID: in.CycleID + "/draft", Content: in.Document})
	return r.SHA256, err
}

// SignInput asks for a rendered document to be signed and sealed.
type SignInput struct {
	DocumentID string        `json:"document_id"`
	Code       string        `json:"code"`
	Issuer     cycle.Issuer  `json:"issuer"`
	SHA256     string        `json:"sha256"` // the rendered PDF
	Box        cycle.PageBox `json:"box"`    // where the signature goes
	At         time.Time     `json:"at"`     // the signing time
}

// SignResult is the signed document, stored under its SHA-256.
type SignResult struct {
	SHA256     string `json:"sha256"`
	Signatures int    `json:"signatures"`
	Signer     string `json:"signer,omitempty"`
	SealedBy   string `json:"sealed_by,omitempty"`
}

// SignDocument signs the rendered document as the signer and seals it as
// the issuing body, and stores the signed PDF. Without a Signer the
// document stays unsigned (the log says so).
func (a *Activities) SignDocument(ctx context.Context, in SignInput) (SignResult, error) {
	if a.Signer == nil && a.Unsigned != "" {
		return SignResult{}, flow.Wrap("sign "+in.Code, notConfigured(a.Unsigned))
	}
	if a.Signer == nil {
		activity.GetLogger(ctx).Warn("no signing keys configured: the document is issued unsigned", "document", in.Code)
		return SignResult{SHA256: in.SHA256}, nil
	}
	pdf, err := a.Store.Blob(ctx, in.SHA256)
	if err != nil {
		return SignResult{}, flow.Wrap("read the rendering of "+in.Code, err)
	}
	s, err := a.Signer.SignAndSeal(pdf, in.Box, in.Issuer, in.Code, in.At)
	if err != nil {
		return SignResult{}, nonRetryable("sign "+in.Code, err)
	}
	sha, err := a.Store.PutBlob(ctx, s.PDF)
	if err != nil {
		return SignResult{}, flow.Wrap("store the signed "+in.Code, err)
	}
	return SignResult{SHA256: sha, Signatures: s.Signatures, Signer: s.Signer, SealedBy: s.SealedBy}, nil
}

// ArchiveInput asks for a signed document to be archived and its decision recorded.
type ArchiveInput struct {
	Decision cycle.Decision         `json:"decision"`
	Record   cycle.ArchivedDocument `json:"record"`
}

// ArchiveDocument archives the signed PDF (write-once) and records the
// decision with it. When another attempt archived its own copy first (a
// retry racing a slow first attempt), that copy is the document.
func (a *Activities) ArchiveDocument(ctx context.Context, in ArchiveInput) (cycle.ArchivedDocument, error) {
	rec := in.Record
	log := sdklog.With(activity.GetLogger(ctx), "cycle", in.Decision.CycleID, "document", rec.Code, "kind", rec.Kind)
	if err := a.Store.ArchiveDocument(ctx, rec); err != nil {
		if cycle.ErrorCode(err) != cycle.ECONFLICT {
			return cycle.ArchivedDocument{}, flow.Wrap("archive "+rec.Code, err)
		}
		if rec, _, err = a.Store.ArchivedDocument(ctx, rec.ID); err != nil {
			return cycle.ArchivedDocument{}, flow.Wrap("archive "+rec.Code, err)
		}
		log.Info("another attempt archived the document first: using its signed PDF", "sha256", rec.SHA256)
	}
	d := in.Decision
	d.Number, d.Code, d.SHA256 = rec.Number, rec.Code, rec.SHA256
	if err := a.Store.SaveDecision(ctx, d); err != nil {
		return cycle.ArchivedDocument{}, flow.Wrap("save "+rec.Code, err)
	}
	log.Info("document issued", "sha256", rec.SHA256, "signatures", rec.Signatures)
	a.counters().DocumentIssued(rec.Kind)
	return rec, nil
}

// PlanInput asks for the deliveries of an issued document.
type PlanInput struct {
	DocumentID string    `json:"document_id"`
	Recipients []string  `json:"recipients"` // the "Nơi nhận" lines as printed
	At         time.Time `json:"at"`
	// Named are the bodies the lines name (cycle.Distribution), and
	// Province the province they are units of: each unit's inbox lists
	// the document. Empty for documents issued before them.
	Named    []cycle.Recipient `json:"named,omitempty"`
	Province string            `json:"province,omitempty"`
}

// Plan is who an issued document goes to, and the lines no one is found for.
type Plan struct {
	Deliveries  []cycle.DeliveryTarget `json:"deliveries,omitempty"`
	Undelivered []string               `json:"undelivered,omitempty"`
}

// PlanDeliveries records whom the document is addressed to (each unit's
// inbox lists it), resolves the distribution list in the recipients
// directory and records each delivery as pending. Undelivered says which
// lines and bodies reach no one.
func (a *Activities) PlanDeliveries(ctx context.Context, in PlanInput) (Plan, error) {
	if len(in.Named) > 0 {
		if err := a.Store.AddressDocument(ctx, in.DocumentID, in.Province, in.Named, in.At); err != nil {
			return Plan{}, flow.Wrap("address "+in.DocumentID, err)
		}
	}
	if a.Directory == nil || a.Deliverer == nil {
		activity.GetLogger(ctx).Warn("no recipients directory configured: the document is not delivered", "document", in.DocumentID)
		return Plan{Undelivered: in.Recipients}, nil
	}
	var p Plan
	p.Deliveries, p.Undelivered = a.Directory.Plan(in.Recipients, in.Named)
	if len(p.Undelivered) > 0 {
		activity.GetLogger(ctx).Warn("recipients of the document reach no one", "document", in.DocumentID, "undelivered", p.Undelivered)
	}
	if err := a.Store.PlanDeliveries(ctx, in.DocumentID, p.Deliveries, in.At); err != nil {
		return Plan{}, flow.Wrap("plan deliveries of "+in.DocumentID, err)
	}
	return p, nil
}

// DeliverInput asks for one planned delivery of an issued document.
type DeliverInput struct {
	DocumentID string               `json:"document_id"`
	Code       string               `json:"code"`
	Subject    string               `json:"subject"`
	Sender     string               `json:"sender"`
	Target     cycle.DeliveryTarget `json:"target"`
}

// DeliverResult is what a delivery came to.
type DeliverResult struct {
	Status   cycle.DeliveryStatus `json:"status"`
	Attempts int                  `json:"attempts"`
	// AlreadySent: an earlier attempt delivered it; nothing was sent now.
	AlreadySent bool `json:"already_sent,omitempty"`
}

// DeliverDocument sends the archived PDF of a document to one recipient,
// at most once: the delivery is claimed in the store before the message
// leaves and recorded after. A failure before the hand-over is retried
// (the activity's retry policy); an attempt that finds the delivery
// claimed by an attempt that never reported back, or whose hand-over was
// ambiguous, fails non-retryably with the delivery marked unknown, for
// the clerk to check — the recipient never gets it twice.
func (a *Activities) DeliverDocument(ctx context.Context, in DeliverInput) (DeliverResult, error) {
	if a.Deliverer == nil {
		return DeliverResult{}, nonRetryable("deliver "+in.DocumentID, errors.New("no deliverer configured"))
	}
	info := activity.GetInfo(ctx)
	attempt := fmt.Sprintf("%s/%s#%d", info.WorkflowExecution.RunID, info.ActivityID, info.Attempt)
	msgID := cycle.MessageID(in.DocumentID, in.Target.Key, a.Domain)
	what := fmt.Sprintf("deliver %s to %s", in.Code, in.Target.Key)
	log := sdklog.With(activity.GetLogger(ctx), "document", in.Code, "to", in.Target.Key, "channel", in.Target.Channel)
	rec, claimed, err := a.Store.ClaimDelivery(ctx, in.DocumentID, in.Target.Key, attempt, msgID, time.Now())
	if err != nil {
		return DeliverResult{Status: rec.Status, Attempts: rec.Attempts}, flow.Wrap(what, err)
	}
	if !claimed {
		return DeliverResult{Status: rec.Status, Attempts: rec.Attempts, AlreadySent: true}, nil
	}
	arch, pdf, err := a.Store.ArchivedDocument(ctx, in.DocumentID)
	if err != nil {
		// Nothing left: give the claim back as a failure, safe to retry.
		_ = a.Store.FinishDelivery(ctx, in.DocumentID, in.Target.Key, attempt, cycle.DeliveryFailed, "read archive: "+err.Error(), time.Now())
		return DeliverResult{}, flow.Wrap(what, err)
	}
	m := cycle.DeliveryMessage{
		DocumentID: in.DocumentID, Code: arch.Code, Subject: in.Subject, Sender: in.Sender,
		FileName: FileName(arch), PDF: pdf, MessageID: msgID, Date: time.Now(),
	}
	sendErr := a.Deliverer.Deliver(ctx, in.Target, m)
	outcome := outcomeOf(sendErr)
	if err := a.Store.FinishDelivery(ctx, in.DocumentID, in.Target.Key, attempt, outcome, errText(sendErr), time.Now()); err != nil {
		return DeliverResult{}, flow.Wrap(what, err)
	}
	res := DeliverResult{Status: outcome, Attempts: rec.Attempts}
	switch {
	case sendErr == nil:
		log.Info("document delivered", "address", in.Target.Address, "attempts", rec.Attempts)
		return res, nil
	case outcome == cycle.DeliveryUnknown, errors.Is(sendErr, cycle.ErrDeliveryRefused):
		// Unknown: never resent automatically. Refused for good (a 5xx
		// reply, another file of the same name): trying again changes
		// nothing, so it fails now, for the clerk, not after the retries.
		err = nonRetryable(what, sendErr)
	default:
		err = fmt.Errorf("%s: %w", what, sendErr)
	}
	log.Warn("delivery failed", "address", in.Target.Address, "attempts", rec.Attempts, "status", res.Status, "error", sendErr)
	a.counters().DeliveryFailed(in.Target.Channel, res.Status)
	return res, err
}

// outcomeOf is what a delivery attempt's error says of the hand-over:
// none (sent), one that certainly did not happen (failed: a retry is
// safe), or one that may have (unknown: never resent automatically).
func outcomeOf(sendErr error) cycle.DeliveryStatus {
	switch {
	case sendErr == nil:
		return cycle.DeliverySent
	case errors.Is(sendErr, cycle.ErrDeliveryAmbiguous):
		return cycle.DeliveryUnknown
	}
	return cycle.DeliveryFailed
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// FileName is an issued copy's file name: "qd-5-qd-bcd-2027-51-bcd138.pdf"
// — the number, the kind and the year, and the issuing body, whose
// register the number belongs to: two provinces' 5/QĐ-BCĐ of 2027 are
// different documents, and a folder shared by both keeps each.
func FileName(a cycle.ArchivedDocument) string {
	suffix := a.Code
	if i := len(fmt.Sprint(a.Number)) + 1; i < len(suffix) {
		suffix = suffix[i:]
	}
	name := fmt.Sprintf("qd-%d-%s-%d", a.Number, slug(suffix), a.Year)
	body := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return '-'
	}, slug(a.BodyKey))
	if body != "" {
		name += "-" + body
	}
	return name + ".pdf"
}

// slug turns "QĐ-BCĐ" into "qd-bcd" for file names.
func slug(s string) string {
	r := strings.NewReplacer("Đ", "d", "đ", "d")
	return strings.ToLower(r.Replace(s))
}

// nonRetryable makes err a non-retryable application error: retrying
// cannot change the outcome (a bad key, an ambiguous delivery).
func nonRetryable(what string, err error) error {
	return temporal.NewApplicationErrorWithOptions(what+": "+err.Error(), "document", temporal.ApplicationErrorOptions{NonRetryable: true, Cause: err})
}

// bad makes a rendering error that is not the domain's a template or
// data error: retrying renders the same bytes, so it is invalid input.
func bad(err error) error {
	if cycle.ErrorCode(err) != cycle.EINTERNAL {
		return err
	}
	return &cycle.Error{Code: cycle.EINVALID, Message: err.Error()}
}

func (a *Activities) counters() Counters {
	if a.Counters == nil {
		return nopCounters{}
	}
	return a.Counters
}

type nopCounters struct{}

func (nopCounters) DocumentIssued(string)                              {}
func (nopCounters) DeliveryFailed(cycle.Channel, cycle.DeliveryStatus) {}
