package selection

import (
	"go.temporal.io/sdk/workflow"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/issuing"
)

// The head's signature made where the head's key is (issue 17; see
// issuing.PrepareForHead): when the worker is configured for it, the
// approval decision is numbered, rendered and prepared once the sign task
// opens, the head's task carries its digest, the head's completion
// brings the CMS, and the clerk's issue only seals it.

func init() {
	cycle.DefineMessages(map[string]cycle.Text{
		"event.head_signed": {
			VI: "đã ký số văn bản %[1]s bằng chứng thư số của người ký (%[2]s); chữ ký đã được kiểm tra",
			EN: "signed %[1]s with the signer's own certificate (%[2]s), verified",
		},
		"selection.preparing_signature": {
			VI: "Văn bản đang được cấp số và chuẩn bị để ký số; xin đồng chí thử lại sau ít giây",
			EN: "the document is being numbered and prepared for signing; try again in a few seconds",
		},
		"selection.signature_redated": {
			VI: "Văn bản %[1]s được chuẩn bị để ký ngày %[2]s; văn bản mang ngày người ký ký ban hành, nên đã được chuẩn bị lại với ngày hôm nay (%[3]s). Chữ ký vừa gửi là chữ ký trên bản cũ nên không được dùng: xin đồng chí tải lại trang ký và ký lại văn bản",
			EN: "%[1]s was prepared for signing on %[2]s; a document is dated the day its signer signs it, so it has been prepared again dated today (%[3]s), and the signature sent, over the old version, is not used: reload the signing page and sign again",
		},
		"selection.signature_required": {
			VI: "Quyết định này được ký số bằng chứng thư số của chính người ký: hãy ký trên trang ký số của hộp công việc (cần phần mềm ký số đang chạy trên máy của đồng chí) hoặc bằng lệnh ký của dòng lệnh",
			EN: "this decision is signed with the signer's own certificate: sign it on the signing page (the signing agent must be running on the officer's computer) or with `starter sign`",
		},
	})
}

// HeadDatedWhenSigned is the change that dates the head-signed decision
// the day the head signs it: a CMS that comes on a later day than the
// preparation's is refused, and the decision prepared again with the
// day's date. Workflows whose head signed before it replay without the
// check.
const HeadDatedWhenSigned = "head-signature-dated-when-signed"

// prepareHead prepares the approval decision for the head's signature
// when the worker has the head sign elsewhere.
func (w *yearly) prepareHead(ctx workflow.Context) error {
	c, _ := w.document(ctx, true)
	at := w.clock(ctx)
	year := c.Date.Year
	if w.s.Head != nil { // prepared again (redate): the number stays, in its register
		year = w.s.Head.RegisterYear()
	}
	job := issuing.Job{
		Decision: cycle.Decision{ID: w.id + "/approval", CycleID: w.id, Kind: cycle.DocApproval, BodyKey: c.Issuer.BodyKey,
			Year: year, Date: c.Date, IssuedAt: at, Communes: c.Listed()},
		Suffix: cycle.DocumentSuffix(cycle.DocApproval, c.Issuer), Content: c,
	}
	w.preparing = true
	p, err := issuing.PrepareForHead(ctx, job)
	w.preparing = false
	if err != nil {
		return err
	}
	w.s.Head = p
	return nil
}

// checkSignature is the sign validator's check of the head's CMS: one is
// required while the decision waits for the head's external signature.
func (w signUpdate) checkSignature(r SignRequest) error {
	if w.preparing {
		return cycle.Fail(cycle.ECONFLICT, "selection.preparing_signature")
	}
	if w.s.Head == nil || w.s.HeadSigned != nil || len(r.CMS) > 0 {
		return nil
	}
	return cycle.Fail(cycle.EINVALID, "selection.signature_required")
}

// embedSignature embeds and verifies the head's CMS; a refusal leaves
// the task open. It says what was signed, for the cycle's history.
func (w signUpdate) embedSignature(ctx workflow.Context, r SignRequest) (flow.Said, error) {
	if w.s.Head == nil {
		return flow.Said{}, nil
	}
	if err := w.checkSignature(r); err != nil {
		return flow.Said{}, flow.AppError(err)
	}
	if err := w.redate(ctx); err != nil {
		return flow.Said{}, err
	}
	hs, err := issuing.CompleteForHead(ctx, *w.s.Head, r.CMS)
	if err != nil {
		return flow.Said{}, flow.AppError(err)
	}
	w.s.HeadSigned = &hs
	who := hs.SignerName
	if who == "" {
		who = hs.Signer
	}
	return flow.Says("event.head_signed", hs.Pending.Code, who), nil
}

// redate keeps the decision's visible date the day the head signs it:
// when the CMS comes on a later day than the decision was prepared, the
// decision is prepared again, dated today (same number, a new digest),
// and the CMS — over the old version — refused, asking the head to sign
// again.
func (w signUpdate) redate(ctx workflow.Context) error {
	if workflow.GetVersion(ctx, HeadDatedWhenSigned, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return nil
	}
	prepared, today := w.s.Head.Date, cycle.DateOf(w.clock(ctx))
	if today == prepared {
		return nil
	}
	if err := w.prepareHead(ctx); err != nil {
		return err
	}
	return flow.AppError(cycle.Fail(cycle.EINVALID, "selection.signature_redated", w.s.Head.Code, prepared.Vietnamese(), today.Vietnamese()))
}

// headJob makes the issue's job seal the decision the head has signed.
func (w issueUpdate) headJob(job *issuing.Job) {
	if h := w.s.HeadSigned; h != nil {
		job.Head = h
		job.Decision.Date, job.Decision.Year = h.Pending.Date, h.Pending.RegisterYear()
	}
}
