// Package issuing is the document pipeline of every process of the
// programme: a document is numbered in its issuing body's register,
// rendered with its number, signed as the signer and sealed as the issuing
// body, archived (write-once, by SHA-256) and recorded with its decision,
// then delivered to every recipient of its distribution list. Each step is
// an activity that does one thing and is safe to retry; Issue runs them in
// order from a workflow, and Deliver sends the copies.
//
// The activities depend on interfaces only (Store, Renderer, Signer,
// Directory, Deliverer): the wiring gives them package postgres, render,
// signing and delivery. The PDFs never travel through Temporal: each step
// stores its output in the store's content-addressed blobs and passes its
// SHA-256 on.
package issuing

import (
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/flow"
)

// Job is one document to issue: its record in the numbering register and
// what it says.
type Job struct {
	// Decision is the register's record: ID, CycleID, Kind, BodyKey, Year
	// (of numbering), Date, SignedBy, IssuedBy, IssuedAt, Communes; the
	// pipeline fills in Number, Code and SHA256.
	Decision cycle.Decision `json:"decision"`
	// Suffix is the number's symbol, e.g. "QĐ-BCĐ", "TB-BCĐ".
	Suffix string `json:"suffix"`
	// Content is what the document says; its Number is filled in.
	Content cycle.DocumentContent `json:"content"`
	// Head, when set, is the head's signature made elsewhere (see
	// deferred.go): the document is numbered, rendered and signed
	// already, and the issue only seals it.
	Head *HeadSigned `json:"head,omitempty"`
	// BodyOnly, when set, has the document signed with the issuing body's
	// seal certificate alone (SealAlone): a letter the secretariat issues
	// in the body's name, which no person's key signs on the server.
	BodyOnly bool `json:"body_only,omitempty"`
}

// Issued is an issued document.
type Issued struct {
	Decision   cycle.Decision `json:"decision"`
	Signatures int            `json:"signatures"` // 2 when signed and sealed, 0 unsigned
	Subject    string         `json:"subject"`    // the document's subject line (trích yếu)
	// Deliveries are the recipients planned for delivery.
	Deliveries []cycle.DeliveryTarget `json:"deliveries,omitempty"`
	// Undelivered are the "Nơi nhận" entries no recipient matches (e.g.
	// "Lưu: VT, CAT.", the office's own copy).
	Undelivered []string `json:"undelivered,omitempty"`
}

// Steps is the change that split the clerk's one issue activity
// (IssueDocument, TransformIssueDocument, AwardIssueDocument) into the
// pipeline's steps. Workflows that issued before it replay on the old
// activity, which the worker still runs (see legacy.go).
const Steps = "issue-steps"

// Issue runs the pipeline's steps for a job and returns the issued
// document with its planned deliveries (Deliver sends them). legacy is the
// one activity the workflow called at this point before the steps existed
// (its name and input), for histories recorded then.
func Issue(ctx workflow.Context, job Job, legacyName string, legacyInput any) (Issued, error) {
	ctx = flow.WithActivityOptions(ctx)
	var a *Activities
	if workflow.GetVersion(ctx, Steps, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		var out Issued
		err := workflow.ExecuteActivity(flow.WithDocumentOptions(ctx), legacyName, legacyInput).Get(ctx, &out)
		return out, err
	}
	var n Numbered
	if job.Head == nil {
		if err := workflow.ExecuteActivity(ctx, a.NumberDocument, NumberInput{Decision: job.Decision, Suffix: job.Suffix}).Get(ctx, &n); err != nil {
			return Issued{}, err
		}
	}
	rec := n.Archived
	if job.Head != nil {
		var err error
		if n, rec, err = issueSigned(ctx, job); err != nil {
			return Issued{}, err
		}
	}
	if rec == nil {
		content := job.Content
		content.Number, content.Signed = n.Code, true
		var r RenderResult
		if err := workflow.ExecuteActivity(flow.WithDocumentOptions(ctx), a.RenderDocument, RenderInput{DocumentID: job.Decision.ID, Content: content}).Get(ctx, &r); err != nil {
			return Issued{}, err
		}
		var s SignResult
		sign := SignInput{DocumentID: job.Decision.ID, Code: n.Code, Issuer: job.Content.Issuer, SHA256: r.SHA256, Box: r.Signature, At: job.Decision.IssuedAt}
		step := a.SignDocument
		if job.BodyOnly {
			step = a.SealAlone
		}
		if err := workflow.ExecuteActivity(flow.WithDocumentOptions(ctx), step, sign).Get(ctx, &s); err != nil {
			return Issued{}, err
		}
		var archived cycle.ArchivedDocument
		archive := ArchiveInput{Decision: job.Decision, Record: archiveRecord(job.Decision, n, r, s)}
		if err := workflow.ExecuteActivity(ctx, a.ArchiveDocument, archive).Get(ctx, &archived); err != nil {
			return Issued{}, err
		}
		rec = &archived
	}
	plan := PlanInput{DocumentID: job.Decision.ID, Recipients: asAbove(rec.Recipients, job.Content.Addressees), At: job.Decision.IssuedAt, Province: job.Content.Province}
	if job.Content.Cites != nil { // a document of the distribution lists (issue 15): its lines name bodies
		plan.Named = job.Content.Distribution().Named
	}
	var planned Plan
	if err := workflow.ExecuteActivity(ctx, a.PlanDeliveries, plan).Get(ctx, &planned); err != nil {
		return Issued{}, err
	}
	return issued(job.Decision, n, *rec, planned), nil
}

// asAbove is a letter's distribution list with "Như trên" (as above: the
// units of "Kính gửi") replaced by those units, so that each gets its
// copy; a document without addressees keeps its list as printed.
func asAbove(printed, addressees []string) []string {
	if len(addressees) == 0 {
		return printed
	}
	var out []string
	for _, l := range printed {
		if strings.HasPrefix(strings.ToLower(strings.TrimSpace(l)), "như trên") {
			out = append(out, addressees...)
			continue
		}
		out = append(out, l)
	}
	return out
}

// archiveRecord is the archive's record of a document numbered n,
// rendered as r and signed as s.
func archiveRecord(d cycle.Decision, n Numbered, r RenderResult, s SignResult) cycle.ArchivedDocument {
	return cycle.ArchivedDocument{
		ID: d.ID, Kind: d.Kind, Code: n.Code, BodyKey: d.BodyKey, Year: d.Year, Number: n.Number,
		Date: time.Date(d.Date.Year, d.Date.Month, d.Date.Day, 0, 0, 0, 0, time.UTC), Subject: r.Subject,
		SHA256: s.SHA256, Signer: s.Signer, SealedBy: s.SealedBy, Signatures: s.Signatures, SignedAt: d.IssuedAt,
		Recipients: r.Recipients,
	}
}

// issued is the pipeline's result: the decision with its number and PDF,
// and its deliveries.
func issued(d cycle.Decision, n Numbered, rec cycle.ArchivedDocument, p Plan) Issued {
	d.Number, d.Code, d.SHA256 = n.Number, n.Code, rec.SHA256
	return Issued{Decision: d, Signatures: rec.Signatures, Subject: rec.Subject, Deliveries: p.Deliveries, Undelivered: p.Undelivered}
}

// DeliveryWindow is how long a delivery keeps trying while the recipient's
// server is down: long enough to ride out a mail outage over a holiday.
// Meanwhile its record in the store says failed, with the last error and
// the number of attempts, and the clerk sees it; past the window it fails
// for good.
const DeliveryWindow = 10 * 24 * time.Hour

// deliveryOptions queue a delivery while its server is down: attempts back
// off from 5 seconds to one every 10 minutes for DeliveryWindow (about
// 1,450 attempts; the attempt cap is only a backstop above that). The
// message goes out on the first attempt after the server is back
// (DeliverDocument sends at most once). An attempt heartbeats (the
// worker's Heartbeats interceptor), so that one whose worker died is seen
// lost after flow.HeartbeatTimeout; its start-to-close timeout is above
// the SMTP client's 30-second connection timeout (delivery.SMTPConfig),
// so that a slow server fails the attempt with its own error first: a
// delivery takes milliseconds when the server answers.
var deliveryOptions = workflow.ActivityOptions{
	StartToCloseTimeout:    45 * time.Second,
	HeartbeatTimeout:       flow.HeartbeatTimeout,
	ScheduleToCloseTimeout: DeliveryWindow,
	RetryPolicy: &temporal.RetryPolicy{
		InitialInterval:    5 * time.Second,
		BackoffCoefficient: 2,
		MaximumInterval:    10 * time.Minute,
		MaximumAttempts:    2000,
	},
}

// Deliver sends an issued document to every planned recipient at once and
// says how it went. A delivery that fails for good does not undo the
// issue: its record in the store says why.
func Deliver(ctx workflow.Context, sender string, res Issued) flow.Said {
	if len(res.Deliveries) == 0 {
		return flow.Says("event.no_recipient")
	}
	ctx = workflow.WithActivityOptions(ctx, deliveryOptions)
	var a *Activities
	futures := make([]workflow.Future, len(res.Deliveries))
	for i, t := range res.Deliveries {
		in := DeliverInput{DocumentID: res.Decision.ID, Code: res.Decision.Code, Subject: res.Subject, Sender: sender, Target: t}
		futures[i] = workflow.ExecuteActivity(ctx, a.DeliverDocument, in)
	}
	sent := 0
	var failed []string
	for i, f := range futures {
		var dr DeliverResult
		if err := f.Get(ctx, &dr); err != nil {
			failed = append(failed, res.Deliveries[i].Key)
			workflow.GetLogger(ctx).Error("delivery failed", "cycle", res.Decision.CycleID, "document", res.Decision.Code,
				"to", res.Deliveries[i].Key, "channel", res.Deliveries[i].Channel, "error", err)
			continue
		}
		sent++
	}
	s := flow.Says("event.delivered_to", sent, len(res.Deliveries))
	if len(failed) > 0 {
		s = s.Plus(" ", flow.Says("event.not_delivered", strings.Join(failed, ", ")))
	}
	return s
}

// Deliveries counts a workflow's issued documents whose distribution is
// still running: the workflow does not end, or continue as new, before
// every delivery has settled.
type Deliveries struct{ n int }

// Start delivers res in a coroutine and calls done with what Deliver said.
func (d *Deliveries) Start(ctx workflow.Context, sender string, res Issued, done func(ctx workflow.Context, said flow.Said)) {
	d.n++
	workflow.Go(ctx, func(ctx workflow.Context) {
		defer func() { d.n-- }()
		done(ctx, Deliver(ctx, sender, res))
	})
}

// Settled reports whether no delivery is running.
func (d *Deliveries) Settled() bool { return d.n == 0 }
