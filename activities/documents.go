package activities

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/activity"
	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"

	"chuyenhoa/cycle"
	"chuyenhoa/delivery"
	"chuyenhoa/document"
	"chuyenhoa/signing"
)

// Rendered is a rendered document with what the later steps of issuing
// need: where the signature goes and whom it is sent to.
type Rendered struct {
	PDF        []byte
	Layout     document.Layout
	Subject    string
	Recipients []string // the "Nơi nhận" entries as printed
}

// DocumentRenderer renders the approval decision with its layout; package
// docs implements it. A Renderer without it issues unsigned documents only.
type DocumentRenderer interface {
	RenderApprovalDocument(ApprovalDocument) (Rendered, error)
}

// DocumentStore is the archive and the delivery record (see package cycle).
type DocumentStore interface {
	cycle.ArchiveStore
	cycle.DeliveryStore
}

// Signing is the clerk's signing configuration: the signer's key,
// certificate and signature image, and the issuing body's (its seal).
type Signing struct {
	Signer      *signing.Identity
	SignerImage []byte // PNG, transparent background
	Body        *signing.Identity
	SealImage   []byte // PNG, transparent background
}

// Distribution is where issued documents go.
type Distribution struct {
	Directory *delivery.Directory
	Deliverer delivery.Deliverer
	Domain    string // of the Message-IDs, e.g. "bcd138.quangngai.gov.vn"
}

// IssuedDocument is the result of IssueDocument.
type IssuedDocument struct {
	Decision   cycle.Decision `json:"decision"`
	Signatures int            `json:"signatures"` // 2 when signed and sealed, 0 unsigned
	Subject    string         `json:"subject"`    // the document's subject line (trích yếu)
	// Deliveries are the recipients planned for delivery.
	Deliveries []cycle.DeliveryTarget `json:"deliveries,omitempty"`
	// Undelivered are the "Nơi nhận" entries no recipient matches (e.g.
	// "Lưu: VT, CAT.", the office's own copy).
	Undelivered []string `json:"undelivered,omitempty"`
}

// Sizes on the page of the signature and seal images (mm): Decree 30 puts
// the signature between the title and the name, and the seal, at its real
// size, over the left third of the signature.
const (
	signatureW = 45.0
	signatureH = 15.0
	sealSize   = 32.0
)

// IssueDocument issues the approval decision: it takes the number from the
// register (the same number on every retry), renders the decision with
// it, signs it as the signer (signature image between title and name),
// seals it as the issuing body (the seal over the left third of the
// signature), archives the signed PDF with its SHA-256, writes it under
// OutputDir, stores it with the decision, and plans its deliveries.
//
// A retry after any step is safe: the number is the register's, and once
// the signed PDF is archived a retry reuses those bytes instead of signing
// again. Without Signing the decision is issued unsigned, without Archive
// it is not archived, and without Distribution nothing is delivered; the
// log says so.
func (a *Activities) IssueDocument(ctx context.Context, in IssueInput) (IssuedDocument, error) {
	doc := in.Document
	return a.issue(ctx, Issue{
		Decision: cycle.Decision{
			ID: in.DecisionID, CycleID: in.CycleID, Kind: "approval", BodyKey: doc.Issuer.BodyKey,
			Year: doc.Date.Year, Date: doc.Date, SignedBy: in.SignedBy, IssuedBy: in.IssuedBy, IssuedAt: in.At,
			Communes: doc.Communes,
		},
		Issuer: doc.Issuer, Suffix: doc.Issuer.NumberSuffix, Province: in.Province, Year: doc.Year,
		FileName: func(n int) string {
			return fmt.Sprintf("qd-%d-%s-phe-duyet-%d.pdf", n, slug(doc.Issuer.NumberSuffix), doc.Year)
		},
		Render: func(code string) (Rendered, error) {
			d := doc
			d.Number = code
			return a.render(d)
		},
	})
}

// Issue is one document for the issue pipeline: what places it in the
// numbering register, and how to render it once it has its number. The
// transformation year's documents (recognition, notices, the report) go
// through the same pipeline with their own Render.
type Issue struct {
	// Decision is the register's record: ID, CycleID, Kind, BodyKey, Year
	// (of numbering), Date, SignedBy, IssuedBy, IssuedAt; Number, Code,
	// SHA256 and Path are filled in.
	Decision cycle.Decision
	Issuer   cycle.Issuer // who signs and seals, and where
	Suffix   string       // the number's symbol, e.g. "QĐ-BCĐ", "TB-BCĐ"
	Province string       // the output directory's province
	Year     int          // the output directory's year
	// FileName names the PDF from its number.
	FileName func(number int) string
	// Render renders the document with its number and symbol, e.g. "5/QĐ-BCĐ".
	Render func(code string) (Rendered, error)
}

// issue runs the pipeline: number, render, sign and seal, archive, write,
// store, plan the deliveries (see IssueDocument).
func (a *Activities) issue(ctx context.Context, job Issue) (IssuedDocument, error) {
	d := job.Decision
	n, err := a.Store.AssignNumber(ctx, d)
	if err != nil {
		return IssuedDocument{}, wrap("number decision "+d.ID, err)
	}
	d.Number = n
	d.Code = fmt.Sprintf("%d/%s", n, job.Suffix)
	log := sdklog.With(activity.GetLogger(ctx), "cycle", d.CycleID, "document", d.Code, "kind", d.Kind)

	var out IssuedDocument
	var pdf []byte
	var rec cycle.ArchivedDocument
	archived := false
	if a.Archive != nil {
		rec, pdf, err = a.Archive.ArchivedDocument(ctx, d.ID)
		var ce *cycle.Error
		switch {
		case err == nil:
			archived = true
			log.Info("document already archived: reusing the signed PDF", "sha256", rec.SHA256)
		case errors.As(err, &ce) && ce.Code == cycle.ENOTFOUND:
		default:
			return IssuedDocument{}, wrap("read archive of "+d.Code, err)
		}
	}
	if !archived {
		r, err := job.Render(d.Code)
		if err != nil {
			return IssuedDocument{}, wrap("render "+d.Code, err)
		}
		pdf = r.PDF
		rec = cycle.ArchivedDocument{ID: d.ID, Kind: d.Kind, Code: d.Code, BodyKey: d.BodyKey, Year: d.Year, Number: n,
			Date: time.Date(d.Date.Year, d.Date.Month, d.Date.Day, 0, 0, 0, 0, time.UTC), Subject: r.Subject,
			Recipients: r.Recipients, SignedAt: d.IssuedAt}
		if a.Signing != nil {
			if pdf, err = a.sign(pdf, r.Layout, job.Issuer, d.Code, d.IssuedAt); err != nil {
				return IssuedDocument{}, nonRetryable("sign "+d.Code, err)
			}
			rec.Signatures = 2
			rec.Signer = a.Signing.Signer.Cert.Subject.String()
			rec.SealedBy = a.Signing.Body.Cert.Subject.String()
		} else {
			log.Warn("no signing keys configured: the document is issued unsigned")
		}
		sum := sha256.Sum256(pdf)
		rec.SHA256, rec.Size = hex.EncodeToString(sum[:]), len(pdf)
		if a.Archive != nil {
			err := a.Archive.ArchiveDocument(ctx, rec, pdf)
			var ce *cycle.Error
			if errors.As(err, &ce) && ce.Code == cycle.ECONFLICT {
				// A concurrent attempt (a retry racing a slow first attempt)
				// archived its own signed copy first: that copy is the
				// document; this one is dropped.
				if rec, pdf, err = a.Archive.ArchivedDocument(ctx, d.ID); err == nil {
					log.Info("another attempt archived the document first: using its signed PDF", "sha256", rec.SHA256)
				}
			}
			if err != nil {
				return IssuedDocument{}, wrap("archive "+d.Code, err)
			}
		}
	}
	out.Signatures, out.Subject = rec.Signatures, rec.Subject
	d.SHA256 = rec.SHA256
	if d.Path, err = a.write(job.Province, job.Year, job.FileName(n), pdf); err != nil {
		return IssuedDocument{}, wrap("write "+d.Code, err)
	}
	if err := a.Store.SaveDecision(ctx, d, pdf); err != nil {
		return IssuedDocument{}, wrap("save "+d.Code, err)
	}
	out.Decision = d
	if a.Distribution != nil && a.Distribution.Directory != nil && a.Archive != nil {
		out.Deliveries, out.Undelivered = a.Distribution.Directory.Plan(rec.Recipients)
		if err := a.Archive.PlanDeliveries(ctx, d.ID, out.Deliveries, d.IssuedAt); err != nil {
			return IssuedDocument{}, wrap("plan deliveries of "+d.Code, err)
		}
	} else {
		out.Undelivered = rec.Recipients
		log.Warn("no recipients directory or archive configured: the document is not delivered")
	}
	log.Info("document issued", "path", d.Path, "sha256", d.SHA256, "signatures", out.Signatures, "deliveries", len(out.Deliveries))
	a.counters().DocumentIssued(d.Kind)
	return out, nil
}

// render renders doc with its layout when the renderer can.
func (a *Activities) render(doc ApprovalDocument) (Rendered, error) {
	if dr, ok := a.Docs.(DocumentRenderer); ok {
		return dr.RenderApprovalDocument(doc)
	}
	if a.Signing != nil {
		return Rendered{}, errors.New("the renderer gives no layout: cannot place the signature")
	}
	pdf, err := a.Docs.RenderApproval(doc)
	return Rendered{PDF: pdf}, err
}

// sign signs pdf as the signer and then as the issuing body.
func (a *Activities) sign(pdf []byte, l document.Layout, is cycle.Issuer, code string, at time.Time) ([]byte, error) {
	s := a.Signing
	if s.Signer == nil || s.Body == nil || len(s.SignerImage) == 0 || len(s.SealImage) == 0 {
		return nil, errors.New("signing is configured without both identities and both images")
	}
	box := l.Signature
	if box.Page == 0 {
		return nil, errors.New("the layout has no signature box")
	}
	sx, sy := box.X+(box.W-signatureW)/2, box.Y+(box.H-signatureH)/2
	out, err := signing.Sign(pdf, s.Signer, signing.Options{
		Field: "signer", Name: is.SignerName, Reason: "Ký ban hành " + code, Location: is.Place, Time: at,
		Appearance: &signing.Appearance{Page: box.Page, X: sx, Y: sy, W: signatureW, H: signatureH, Image: s.SignerImage},
	})
	if err != nil {
		return nil, err
	}
	return signing.Sign(out, s.Body, signing.Options{
		Field: "seal", Name: is.Body, Reason: "Văn thư đóng dấu, phát hành " + code, Location: is.Place, Time: at,
		Appearance: &signing.Appearance{Page: box.Page, X: sx + signatureW/3 - sealSize, Y: sy + signatureH/2 - sealSize/2,
			W: sealSize, H: sealSize, Image: s.SealImage},
	})
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
	if a.Distribution == nil || a.Distribution.Deliverer == nil || a.Archive == nil {
		return DeliverResult{}, nonRetryable("deliver "+in.DocumentID, errors.New("no deliverer or archive configured"))
	}
	info := activity.GetInfo(ctx)
	attempt := fmt.Sprintf("%s/%s#%d", info.WorkflowExecution.RunID, info.ActivityID, info.Attempt)
	msgID := delivery.MessageID(in.DocumentID, in.Target.Key, a.Distribution.Domain)
	what := fmt.Sprintf("deliver %s to %s", in.Code, in.Target.Key)
	log := sdklog.With(activity.GetLogger(ctx), "document", in.Code, "to", in.Target.Key, "channel", in.Target.Channel)
	rec, claimed, err := a.Archive.ClaimDelivery(ctx, in.DocumentID, in.Target.Key, attempt, msgID, time.Now())
	if err != nil {
		return DeliverResult{Status: rec.Status, Attempts: rec.Attempts}, wrap(what, err)
	}
	if !claimed {
		return DeliverResult{Status: rec.Status, Attempts: rec.Attempts, AlreadySent: true}, nil
	}
	arch, pdf, err := a.Archive.ArchivedDocument(ctx, in.DocumentID)
	if err != nil {
		// Nothing left: give the claim back as a failure, safe to retry.
		_ = a.Archive.FinishDelivery(ctx, in.DocumentID, in.Target.Key, attempt, cycle.DeliveryFailed, "read archive: "+err.Error(), time.Now())
		return DeliverResult{}, wrap(what, err)
	}
	m := delivery.Message{
		DocumentID: in.DocumentID, Code: arch.Code, Subject: in.Subject, Sender: in.Sender,
		FileName: fileName(arch), PDF: pdf, MessageID: msgID, Date: time.Now(),
	}
	sendErr := a.Distribution.Deliverer.Deliver(ctx, in.Target, m)
	if err := a.Archive.FinishDelivery(ctx, in.DocumentID, in.Target.Key, attempt, outcomeOf(sendErr), errText(sendErr), time.Now()); err != nil {
		return DeliverResult{}, wrap(what, err)
	}
	res := DeliverResult{Status: cycle.DeliverySent, Attempts: rec.Attempts}
	switch {
	case sendErr == nil:
		log.Info("document delivered", "address", in.Target.Address, "attempts", rec.Attempts)
		return res, nil
	case errors.Is(sendErr, delivery.ErrAmbiguous):
		res.Status = cycle.DeliveryUnknown
		err = nonRetryable(what, sendErr)
	case errors.Is(sendErr, delivery.ErrPermanent):
		// Trying again changes nothing (a 5xx refusal, another file of the
		// same name): failed now, for the clerk, not after the retries.
		res.Status = cycle.DeliveryFailed
		err = nonRetryable(what, sendErr)
	default:
		res.Status = cycle.DeliveryFailed
		err = fmt.Errorf("%s: %w", what, sendErr)
	}
	log.Warn("delivery failed", "address", in.Target.Address, "attempts", rec.Attempts, "status", res.Status, "error", sendErr)
	a.counters().DeliveryFailed(in.Target.Channel, res.Status)
	return res, err
}

// fileName is the attachment's name: "qd-5-qd-bcd-2027-51-bcd138.pdf" —
// the number, the kind and the year, and the issuing body, whose register
// the number belongs to: two provinces' 5/QĐ-BCĐ of 2027 are different
// documents, and a folder shared by both keeps each.
func fileName(a cycle.ArchivedDocument) string {
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

// nonRetryable makes err a non-retryable application error: retrying
// cannot change the outcome (a bad key, an ambiguous delivery).
func nonRetryable(what string, err error) error {
	return temporal.NewApplicationErrorWithOptions(what+": "+err.Error(), "document", temporal.ApplicationErrorOptions{NonRetryable: true, Cause: err})
}

// outcomeOf is what a delivery attempt's error says of the hand-over:
// none (sent), one that certainly did not happen (failed: a retry is
// safe), or one that may have (unknown: never resent automatically).
func outcomeOf(sendErr error) cycle.DeliveryStatus {
	switch {
	case sendErr == nil:
		return cycle.DeliverySent
	case errors.Is(sendErr, delivery.ErrAmbiguous):
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
