package issuing

import (
	"context"
	"errors"
	"strings"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/workflow"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/flow"
)

// The head's signature made where the head's key is (issue 17). When the
// worker is configured for it (Activities.Head), the head's sign step
// numbers and renders the document, prepares it with the signature's
// appearance and an empty signature field, and waits with the digest on
// the head's task (PrepareForHead); the head's completion brings a CMS,
// which CompleteForHead embeds and verifies — a refusal leaves the task
// open — and the clerk's issue then only seals the document as the
// issuing body (Job.Head), archives and delivers it.

// HeadExternal is the change that lets the head sign elsewhere. Workflows
// whose sign step ran before it replay on the server-side signature.
const HeadExternal = "head-external-signature"

// HeadSigner prepares a document for the head's signature and completes
// it with the CMS the head's side returns; package signing implements it
// (its HeadSignature).
type HeadSigner interface {
	PrepareHead(pdf []byte, box cycle.PageBox, is cycle.Issuer, code string, at time.Time) (cycle.PreparedSignature, error)
	CompleteHead(ctx context.Context, p cycle.PreparedSignature, cms []byte) ([]byte, cycle.SignedBy, error)
}

// Sealer applies the issuing body's seal alone, to a document its head
// has signed; package signing implements it (its Clerk).
type Sealer interface {
	Seal(pdf []byte, box cycle.PageBox, is cycle.Issuer, code string, at time.Time) (cycle.SignedDocument, error)
}

// HeadMode is how the worker has the head sign.
type HeadMode struct {
	// External: the head signs where their key is (the signing page and
	// the signing agent, or a remote-signing service).
	External bool `json:"external,omitempty"`
}

// HeadSigningMode says how the worker has the head sign.
func (a *Activities) HeadSigningMode(context.Context) (HeadMode, error) {
	return HeadMode{External: a.Head != nil}, nil
}

// PendingSignature is a document prepared for the head's signature,
// waiting on the head's task: its number, its rendering, the prepared
// PDF (a blob) and the digest the head's side signs.
type PendingSignature struct {
	DocumentID string       `json:"document_id"`
	Number     int          `json:"number"`
	Code       string       `json:"code"`
	Issuer     cycle.Issuer `json:"issuer"`
	Rendered   RenderResult `json:"rendered"`
	// SHA256 names the prepared PDF in the store's blobs.
	SHA256    string    `json:"sha256"`
	Digest    []byte    `json:"digest"` // SHA-256 of the byte ranges: what the head's side signs
	ByteRange [4]int    `json:"byte_range"`
	Field     string    `json:"field"`
	Time      time.Time `json:"time"`   // the claimed signing time (/M)
	Reason    string    `json:"reason"` // the signature's /Reason, as the head's side shows it
	// Date is the document's date as printed.
	Date cycle.Date `json:"date"`
	// Year is the numbering register's year the number was taken from
	// (0 in workflows recorded before it: Date's year). A document
	// prepared again on a later day keeps its number, so its register.
	Year int `json:"year,omitempty"`
	// Signer is the officer whose signature block the document prints
	// (zero: the issuer's configured head, in the capacity its
	// configuration gives): a deputy signing under a delegation has it
	// prepared again in their own name (SignedAs).
	Signer cycle.Actor `json:"signer,omitempty"`
}

// SignedAs has the job's document signed by a: its signature block is
// a's (cycle.Issuer.SignatoryOf: "KT. TRƯỞNG BAN" over a deputy's own
// title and name under a delegation) and its record names a as the
// signer. A zero a keeps the block the document was made with.
func (j *Job) SignedAs(a cycle.Actor) {
	if a == (cycle.Actor{}) {
		return
	}
	s := j.Content.Issuer.SignatoryOf(a)
	j.Content.Signatory = &s
	j.Decision.SignedBy = a
}

// HeadSignerNamed is the change from which a document prepared for the
// head's own signature is prepared again, and the signature refused,
// when the officer who signs it is not the one its signature block names
// (a deputy under a delegation, Decree 30/2020: "KT. TRƯỞNG BAN" over
// the deputy's own title and name). Workflows signed before it replay
// without the check.
const HeadSignerNamed = "head-signature-names-its-signer"

// SignsAsPrepared reports whether actor signing a document prepared for
// prepared leaves its signature block true: the same capacity and, for a
// deputy or an acting head, the same title and name (the head signs in
// the name the issuer's configuration gives).
func SignsAsPrepared(is cycle.Issuer, prepared, actor cycle.Actor) bool {
	p, a := is.SignatoryOf(prepared), is.SignatoryOf(actor)
	if p.Capacity != a.Capacity {
		return false
	}
	return a.Capacity == cycle.CapacityHead || p.Title == a.Title && p.Name == a.Name
}

// namesSigner reports whether the document p must be prepared again for
// actor, under HeadSignerNamed.
func namesSigner(ctx workflow.Context, p PendingSignature, actor cycle.Actor) bool {
	if workflow.GetVersion(ctx, HeadSignerNamed, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return true
	}
	return SignsAsPrepared(p.Issuer, p.Signer, actor)
}

// RegisterYear is the numbering register's year of the pending document.
func (p PendingSignature) RegisterYear() int {
	if p.Year != 0 {
		return p.Year
	}
	return p.Date.Year
}

// HeadSigned is the head's signature embedded and verified.
type HeadSigned struct {
	Pending PendingSignature `json:"pending"`
	// SHA256 names the signed PDF in the store's blobs.
	SHA256 string `json:"sha256"`
	// Signer is the head certificate's subject, SignerName its common
	// name (the person, as officers read it).
	Signer     string    `json:"signer"`
	SignerName string    `json:"signer_name,omitempty"`
	At         time.Time `json:"at"`
}

// PrepareInput asks for a rendered document to be prepared for the head.
type PrepareInput struct {
	DocumentID string       `json:"document_id"`
	Number     int          `json:"number"`
	Code       string       `json:"code"`
	Issuer     cycle.Issuer `json:"issuer"`
	Rendered   RenderResult `json:"rendered"`
	At         time.Time    `json:"at"`
}

// PrepareHeadSignature prepares the rendered document for the head's
// signature and stores the prepared PDF.
func (a *Activities) PrepareHeadSignature(ctx context.Context, in PrepareInput) (PendingSignature, error) {
	if a.Head == nil {
		return PendingSignature{}, nonRetryable("prepare "+in.Code, errors.New("the worker is not configured for the head's external signature"))
	}
	pdf, err := a.Store.Blob(ctx, in.Rendered.SHA256)
	if err != nil {
		return PendingSignature{}, flow.Wrap("read the rendering of "+in.Code, err)
	}
	p, err := a.Head.PrepareHead(pdf, in.Rendered.Signature, in.Issuer, in.Code, in.At)
	if err != nil {
		return PendingSignature{}, nonRetryable("prepare "+in.Code, err)
	}
	sha, err := a.Store.PutBlob(ctx, p.PDF)
	if err != nil {
		return PendingSignature{}, flow.Wrap("store the prepared "+in.Code, err)
	}
	return PendingSignature{DocumentID: in.DocumentID, Number: in.Number, Code: in.Code, Issuer: in.Issuer, Rendered: in.Rendered,
		SHA256: sha, Digest: p.Digest, ByteRange: p.ByteRange, Field: p.Field, Time: p.Time, Reason: p.Reason}, nil
}

// CompleteInput brings the head's CMS for a prepared document.
type CompleteInput struct {
	Pending PendingSignature `json:"pending"`
	CMS     []byte           `json:"cms"`
}

// CompleteHeadSignature embeds the head's CMS in the prepared document,
// verifies it and stores the signed PDF. A refusal (untrusted root,
// expired, no signing key usage, digest mismatch…) is a non-retryable
// EINVALID error with the problems in Vietnamese.
func (a *Activities) CompleteHeadSignature(ctx context.Context, in CompleteInput) (HeadSigned, error) {
	p := in.Pending
	if a.Head == nil {
		return HeadSigned{}, nonRetryable("sign "+p.Code, errors.New("the worker is not configured for the head's external signature"))
	}
	pdf, err := a.Store.Blob(ctx, p.SHA256)
	if err != nil {
		return HeadSigned{}, flow.Wrap("read the prepared "+p.Code, err)
	}
	prep := cycle.PreparedSignature{PDF: pdf, ByteRange: p.ByteRange, Digest: p.Digest, Field: p.Field, Time: p.Time}
	out, rep, err := a.Head.CompleteHead(ctx, prep, in.CMS)
	if err != nil {
		activity.GetLogger(ctx).Warn("the head's signature is refused", "document", p.Code, "error", err)
		return HeadSigned{}, flow.Wrap("sign "+p.Code, err)
	}
	sha, err := a.Store.PutBlob(ctx, out)
	if err != nil {
		return HeadSigned{}, flow.Wrap("store the signed "+p.Code, err)
	}
	activity.GetLogger(ctx).Info("the head's signature is embedded and verified", "document", p.Code, "signer", rep.Signer)
	return HeadSigned{Pending: p, SHA256: sha, Signer: rep.Signer, SignerName: rep.CommonName, At: time.Now()}, nil
}

// SealDocument seals a document the head has signed, as the issuing
// body, and stores it.
func (a *Activities) SealDocument(ctx context.Context, in SignInput) (SignResult, error) {
	if a.Sealer == nil {
		return SignResult{}, flow.Wrap("seal "+in.Code, notConfigured(sealSetting))
	}
	res, err := a.seal(ctx, in, "the signed ")
	if err != nil {
		return SignResult{}, err
	}
	res.Signatures = 2 // the head's and the seal
	return res, nil
}

// SealAlone signs a document of the issuing body itself — a reminder or
// overdue letter the secretariat issues in the body's name — with the
// body's seal certificate alone: the organisation's certificate, which
// the worker may hold; no person's key signs it on the server. Without a
// seal configured it is refused outside the demo (Unsigned), issued
// unsigned in it.
func (a *Activities) SealAlone(ctx context.Context, in SignInput) (SignResult, error) {
	if a.Sealer == nil {
		if a.Unsigned != "" {
			return SignResult{}, flow.Wrap("seal "+in.Code, notConfigured(sealSetting))
		}
		activity.GetLogger(ctx).Warn("no seal configured: the document is issued unsigned", "document", in.Code)
		return SignResult{SHA256: in.SHA256}, nil
	}
	return a.seal(ctx, in, "the rendering of ")
}

// seal reads the stored document (what, for the error: "the signed "),
// seals it as the issuing body and stores the sealed copy.
func (a *Activities) seal(ctx context.Context, in SignInput, what string) (SignResult, error) {
	pdf, err := a.Store.Blob(ctx, in.SHA256)
	if err != nil {
		return SignResult{}, flow.Wrap("read "+what+in.Code, err)
	}
	s, err := a.Sealer.Seal(pdf, in.Box, in.Issuer, in.Code, in.At)
	if err != nil {
		return SignResult{}, nonRetryable("seal "+in.Code, err)
	}
	sha, err := a.Store.PutBlob(ctx, s.PDF)
	if err != nil {
		return SignResult{}, flow.Wrap("store the sealed "+in.Code, err)
	}
	return SignResult{SHA256: sha, Signatures: s.Signatures, SealedBy: s.SealedBy}, nil
}

// sealSetting names the seal's settings in a refusal.
const sealSetting = "chữ ký số của cơ quan ban hành (con dấu) (CHUYENHOA_SEAL_P12 / CHUYENHOA_SEAL_CERT)"

// PrepareForHead is the head's sign step when the worker has the head
// sign elsewhere: the document of job is numbered, rendered and
// prepared, and the pending signature returned for the head's task. nil
// when the head signs otherwise (the worker's configuration, or a
// workflow recorded before HeadExternal).
func PrepareForHead(ctx workflow.Context, job Job) (*PendingSignature, error) {
	return PrepareForHeadAs(ctx, HeadExternal, job)
}

// PrepareForHeadAs is PrepareForHead behind its own change: a workflow
// whose other documents took HeadExternal earlier replays a document's
// older path by this change's marker.
func PrepareForHeadAs(ctx workflow.Context, change string, job Job) (*PendingSignature, error) {
	ps, err := PrepareAllForHead(ctx, change, func() ([]Job, error) { return []Job{job}, nil })
	if len(ps) == 0 || err != nil {
		return nil, err
	}
	return &ps[0], nil
}

// PrepareAllForHead prepares, behind change, the documents one sign task
// of the head signs together (the year's results: the notices and the
// summary) for the head's own signature: each numbered, rendered and
// prepared, in order. jobs is called only once the change and the
// worker's configuration say the head signs elsewhere; nil when the head
// signs otherwise.
func PrepareAllForHead(ctx workflow.Context, change string, jobs func() ([]Job, error)) ([]PendingSignature, error) {
	if workflow.GetVersion(ctx, change, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return nil, nil
	}
	ctx = flow.WithActivityOptions(ctx)
	var a *Activities
	var mode HeadMode
	if err := workflow.ExecuteActivity(ctx, a.HeadSigningMode).Get(ctx, &mode); err != nil {
		return nil, err
	}
	if !mode.External {
		return nil, nil
	}
	js, err := jobs()
	if err != nil {
		return nil, err
	}
	var out []PendingSignature
	for _, job := range js {
		p, err := prepareJob(ctx, job)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// prepareJob numbers, renders and prepares one document for the head.
func prepareJob(ctx workflow.Context, job Job) (PendingSignature, error) {
	var a *Activities
	var n Numbered
	if err := workflow.ExecuteActivity(ctx, a.NumberDocument, NumberInput{Decision: job.Decision, Suffix: job.Suffix}).Get(ctx, &n); err != nil {
		return PendingSignature{}, err
	}
	content := job.Content
	content.Number, content.Signed = n.Code, true
	var r RenderResult
	if err := workflow.ExecuteActivity(flow.WithDocumentOptions(ctx), a.RenderDocument, RenderInput{DocumentID: job.Decision.ID, Content: content}).Get(ctx, &r); err != nil {
		return PendingSignature{}, err
	}
	in := PrepareInput{DocumentID: job.Decision.ID, Number: n.Number, Code: n.Code, Issuer: job.Content.Issuer, Rendered: r, At: workflow.Now(ctx)}
	var p PendingSignature
	if err := workflow.ExecuteActivity(flow.WithDocumentOptions(ctx), a.PrepareHeadSignature, in).Get(ctx, &p); err != nil {
		return PendingSignature{}, err
	}
	p.Date, p.Year, p.Signer = job.Content.Date, job.Decision.Year, job.Decision.SignedBy
	return p, nil
}

// CompleteForHead embeds and verifies the head's CMS over p. Its error
// (a refusal) leaves the head's task open.
func CompleteForHead(ctx workflow.Context, p PendingSignature, cms []byte) (HeadSigned, error) {
	var a *Activities
	var out HeadSigned
	err := workflow.ExecuteActivity(flow.WithDocumentOptions(flow.WithActivityOptions(ctx)), a.CompleteHeadSignature, CompleteInput{Pending: p, CMS: cms}).Get(ctx, &out)
	if ce := flow.AsCycleError(err); ce != nil {
		return out, ce
	}
	return out, err
}

func init() {
	cycle.DefineMessages(map[string]cycle.Text{
		"event.head_signed": {
			VI: "đã ký số văn bản %[1]s bằng chứng thư số của người ký (%[2]s); chữ ký đã được kiểm tra",
			EN: "signed %[1]s with the signer's own certificate (%[2]s), verified",
		},
		"selection.signature_redated": {
			VI: "Văn bản %[1]s được chuẩn bị để ký ngày %[2]s; văn bản mang ngày người ký ký ban hành, nên đã được chuẩn bị lại với ngày hôm nay (%[3]s). Chữ ký vừa gửi là chữ ký trên bản cũ nên không được dùng: xin đồng chí tải lại trang ký và ký lại văn bản",
			EN: "%[1]s was prepared for signing on %[2]s; a document is dated the day its signer signs it, so it has been prepared again dated today (%[3]s), and the signature sent, over the old version, is not used: reload the signing page and sign again",
		},
		"selection.signatures_count": {
			VI: "Công việc này ký %[1]d văn bản (%[2]s), mỗi văn bản một chữ ký số; đã nhận %[3]d chữ ký. Chưa văn bản nào được ký: xin đồng chí ký lại đủ từng văn bản trên trang ký số",
			EN: "this task signs %[1]d documents (%[2]s), one signature each; %[3]d received. None is signed: sign each document again on the signing page",
		},
		"selection.signature_refused_of": {
			VI: "Chữ ký số văn bản %[1]s không được chấp nhận, nên chưa văn bản nào của công việc này được ký: %[2]s",
			EN: "the signature of %[1]s is refused, so no document of this task is signed: %[2]s",
		},
		"selection.signature_resigned": {
			VI: "Văn bản %[1]s đã được chuẩn bị với khối chữ ký của người khác; theo Nghị định 30/2020/NĐ-CP, khối chữ ký phải ghi đúng người ký. Văn bản đã được chuẩn bị lại với khối chữ ký «%[2]s» (giữ nguyên số): xin đồng chí tải lại trang ký và ký lại",
			EN: "%[1]s was prepared with another officer's signature block; it has been prepared again with the block %[2]q (same number): reload the signing page and sign again",
		},
		"selection.prepare_only": {
			VI: "Văn bản %[1]s đã được chuẩn bị để đồng chí ký; văn bản chưa được ký",
			EN: "%[1]s is prepared for the officer about to sign it; it is not signed",
		},
		"selection.signature_required": {
			VI: "Quyết định này được ký số bằng chứng thư số của chính người ký: hãy ký trên trang ký số của hộp công việc (cần phần mềm ký số đang chạy trên máy của đồng chí) hoặc bằng lệnh ký của dòng lệnh",
			EN: "this decision is signed with the signer's own certificate: sign it on the signing page (the signing agent must be running on the officer's computer) or with `starter sign`",
		},
	})
}

// SignPrepared is the head's sign step over p, a document prepared for
// their own signature, signed by actor on day today: with dated, a CMS
// that comes on a later day than the preparation is refused once again
// (the document prepared again, dated today, same number) has run — a
// document carries the day its head signs it, and the CMS is over the
// old version; likewise (HeadSignerNamed) a CMS of an officer the
// signature block does not name — a deputy under a delegation — once the
// document is prepared again in that officer's name (again's signer).
// Otherwise the CMS is embedded and verified (CompleteForHead). It says
// what was signed, for the workflow's history. A refusal leaves the
// head's task open.
func SignPrepared(ctx workflow.Context, p PendingSignature, today cycle.Date, actor cycle.Actor, cms []byte, dated bool, again func(signer cycle.Actor) (*PendingSignature, error)) (HeadSigned, flow.Said, error) {
	if !namesSigner(ctx, p, actor) {
		q, err := again(actor)
		if err != nil {
			return HeadSigned{}, flow.Said{}, err
		}
		return HeadSigned{}, flow.Said{}, flow.AppError(resigned(q.Code, q.Issuer, actor))
	}
	if dated && today != p.Date {
		q, err := again(p.Signer)
		if err != nil {
			return HeadSigned{}, flow.Said{}, err
		}
		return HeadSigned{}, flow.Said{}, flow.AppError(cycle.Fail(cycle.EINVALID, "selection.signature_redated", q.Code, p.Date.Vietnamese(), today.Vietnamese()))
	}
	hs, err := CompleteForHead(ctx, p, cms)
	if err != nil {
		return hs, flow.Said{}, flow.AppError(err)
	}
	who := hs.SignerName
	if who == "" {
		who = hs.Signer
	}
	return hs, flow.Says("event.head_signed", hs.Pending.Code, who), nil
}

// PrepareFor is a sign request that only asks for the documents ps
// (prepared for the head's own signature, not yet signed) to name the
// officer who is about to sign them: when their signature block names
// another (a deputy under a delegation opening the signing page), they
// are prepared again in actor's name (again), so that the officer signs
// once. It never completes the task: it returns a refusal saying what
// it did (the caller reads the prepared documents again).
//
// From the change PreparedFresh, documents prepared more than
// FreshFor before the request are prepared again too, in the same
// signer's name: the claimed signing time (/M, the preparation's) is
// then within minutes of the signature the officer is about to make,
// not the hour the sign task opened (issue 17: "the signing time is the
// time of signing").
func PrepareFor(ctx workflow.Context, ps []PendingSignature, actor cycle.Actor, again func(signer cycle.Actor) error) error {
	var err error
	switch {
	case len(ps) == 0:
	case !SignsAsPrepared(ps[0].Issuer, ps[0].Signer, actor):
		err = again(actor)
	case Stale(ps, workflow.Now(ctx)) && workflow.GetVersion(ctx, PreparedFresh, workflow.DefaultVersion, 1) == 1:
		err = again(ps[0].Signer)
	}
	if err != nil {
		return err
	}
	return flow.AppError(cycle.Fail(cycle.ECONFLICT, "selection.prepare_only", Codes(ps)))
}

// PreparedFresh is the change from which a signing page's (or agent's)
// fetch of documents prepared more than FreshFor ago prepares them again
// (PrepareFor).
const PreparedFresh = "head-signature-prepared-fresh"

// FreshFor is how old a prepared document's claimed signing time may be
// when the signer's side fetches it to sign.
const FreshFor = 5 * time.Minute

// Stale reports whether the documents ps, prepared for the head's own
// signature, claim a signing time (/M) more than FreshFor before now: the
// signer's side that fetches them has them prepared again (PrepareFor).
func Stale(ps []PendingSignature, now time.Time) bool {
	return len(ps) > 0 && now.Sub(ps[0].Time) > FreshFor
}

// resigned refuses a signature over a document prepared in another
// officer's name, now prepared again in actor's.
func resigned(codes string, is cycle.Issuer, actor cycle.Actor) error {
	auth, title, name := is.SignatureBlock(cycle.DocApproval, is.SignatoryOf(actor))
	var lines []string
	for _, l := range auth {
		if !strings.HasPrefix(l, "TM.") { // the body's line depends on the document's kind
			lines = append(lines, l)
		}
	}
	block := strings.Join(append(lines, title, name), " / ")
	return cycle.Fail(cycle.EINVALID, "selection.signature_resigned", codes, block)
}

// SignAllPrepared is SignPrepared for the several documents one sign task
// of the head signs together: one CMS per document, in order. Every CMS
// is embedded and verified before any is kept: one refused (or a count
// that does not match) refuses them all and leaves the task open, with
// nothing signed. A CMS that comes on a later day than the preparation,
// or from an officer the documents' signature block does not name, has
// every document prepared again (again: dated today, in the signer's
// name), and is refused.
func SignAllPrepared(ctx workflow.Context, ps []PendingSignature, today cycle.Date, actor cycle.Actor, cms [][]byte, again func(signer cycle.Actor) ([]PendingSignature, error)) ([]HeadSigned, flow.Said, error) {
	if len(ps) == 0 {
		return nil, flow.Said{}, nil
	}
	if !namesSigner(ctx, ps[0], actor) {
		qs, err := again(actor)
		if err != nil {
			return nil, flow.Said{}, err
		}
		return nil, flow.Said{}, flow.AppError(resigned(Codes(qs), ps[0].Issuer, actor))
	}
	if today != ps[0].Date {
		qs, err := again(ps[0].Signer)
		if err != nil {
			return nil, flow.Said{}, err
		}
		return nil, flow.Said{}, flow.AppError(cycle.Fail(cycle.EINVALID, "selection.signature_redated", Codes(qs), ps[0].Date.Vietnamese(), today.Vietnamese()))
	}
	if len(cms) != len(ps) {
		return nil, flow.Said{}, flow.AppError(cycle.Fail(cycle.EINVALID, "selection.signatures_count", len(ps), Codes(ps), len(cms)))
	}
	out := make([]HeadSigned, len(ps))
	whos := make([]string, 0, 1)
	for i, p := range ps {
		hs, err := CompleteForHead(ctx, p, cms[i])
		if err != nil {
			if ce := flow.AsCycleError(err); ce != nil {
				text := ce.Text
				if text == "" {
					text = ce.Message
				}
				e := cycle.Fail(ce.Code, "selection.signature_refused_of", p.Code, text)
				e.Problems = ce.Problems
				return nil, flow.Said{}, flow.AppError(e)
			}
			return nil, flow.Said{}, err
		}
		out[i] = hs
		who := hs.SignerName
		if who == "" {
			who = hs.Signer
		}
		if !contains(whos, who) {
			whos = append(whos, who)
		}
	}
	return out, flow.Says("event.head_signed", Codes(ps), strings.Join(whos, ", ")), nil
}

// Codes are the numbers of the pending documents, as a list.
func Codes(ps []PendingSignature) string {
	codes := make([]string, len(ps))
	for i, p := range ps {
		codes[i] = p.Code
	}
	return strings.Join(codes, ", ")
}

// SignedFor is the head's signature of the document id among hs (nil
// when none is).
func SignedFor(hs []HeadSigned, id string) *HeadSigned {
	for i := range hs {
		if hs[i].Pending.DocumentID == id {
			return &hs[i]
		}
	}
	return nil
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// issueSigned is Issue for a document its head has signed (job.Head):
// the issuing body seals it, it is archived, and its deliveries planned.
func issueSigned(ctx workflow.Context, job Job) (Numbered, *cycle.ArchivedDocument, error) {
	var a *Activities
	h := job.Head
	var n Numbered
	if err := workflow.ExecuteActivity(ctx, a.NumberDocument, NumberInput{Decision: job.Decision, Suffix: job.Suffix}).Get(ctx, &n); err != nil {
		return n, nil, err
	}
	if n.Archived != nil {
		return n, n.Archived, nil
	}
	var s SignResult
	seal := SignInput{DocumentID: job.Decision.ID, Code: n.Code, Issuer: job.Content.Issuer, SHA256: h.SHA256, Box: h.Pending.Rendered.Signature, At: job.Decision.IssuedAt}
	if err := workflow.ExecuteActivity(flow.WithDocumentOptions(ctx), a.SealDocument, seal).Get(ctx, &s); err != nil {
		return n, nil, err
	}
	s.Signer = h.Signer
	var archived cycle.ArchivedDocument
	rec := archiveRecord(job.Decision, n, h.Pending.Rendered, s)
	rec.SignedAt = h.At
	if err := workflow.ExecuteActivity(ctx, a.ArchiveDocument, ArchiveInput{Decision: job.Decision, Record: rec}).Get(ctx, &archived); err != nil {
		return n, nil, err
	}
	return n, &archived, nil
}

// notConfigured refuses an issue without its signatures, naming what is
// missing.
func notConfigured(missing string) error {
	p := cycle.NewProblem("signing.not_configured", missing)
	return &cycle.Error{Code: cycle.EINVALID, Message: p.Message, Text: p.Text, Problems: []cycle.Problem{p}}
}
