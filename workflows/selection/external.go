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
		"selection.preparing_signature": {
			VI: "Văn bản đang được cấp số và chuẩn bị để ký số; xin đồng chí thử lại sau ít giây",
			EN: "the document is being numbered and prepared for signing; try again in a few seconds",
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
func (w *yearly) prepareHead(ctx workflow.Context, signer cycle.Actor) error {
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
	job.SignedAs(signer)
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
	// The sign task opens before the draft is rendered and the decision
	// prepared: a signature sent in that window would be taken without
	// the head's CMS (validators do not run on replay: no version).
	if w.preparing || w.s.Phase == cycle.PhaseSigning && !w.prepared && !w.s.Signed {
		return cycle.Fail(cycle.ECONFLICT, "selection.preparing_signature")
	}
	if w.s.Head == nil || w.s.HeadSigned != nil || len(r.CMS) > 0 || r.PrepareOnly {
		return nil
	}
	return cycle.Fail(cycle.EINVALID, "selection.signature_required")
}

// embedSignature embeds and verifies the head's CMS; a refusal leaves
// the task open. It says what was signed, for the cycle's history.
func (w signUpdate) embedSignature(ctx workflow.Context, r SignRequest) (flow.Said, error) {
	if r.PrepareOnly {
		if w.preparing {
			return flow.Said{}, flow.AppError(cycle.Fail(cycle.ECONFLICT, "selection.preparing_signature"))
		}
		var ps []issuing.PendingSignature
		if w.s.Head != nil && w.s.HeadSigned == nil {
			ps = []issuing.PendingSignature{*w.s.Head}
		}
		return flow.Said{}, issuing.PrepareFor(ctx, ps, r.Actor, func(signer cycle.Actor) error { return w.prepareHead(ctx, signer) })
	}
	if w.s.Head == nil {
		return flow.Said{}, nil
	}
	if err := w.checkSignature(r); err != nil {
		return flow.Said{}, flow.AppError(err)
	}
	dated := workflow.GetVersion(ctx, HeadDatedWhenSigned, workflow.DefaultVersion, 1) != workflow.DefaultVersion
	hs, said, err := issuing.SignPrepared(ctx, *w.s.Head, cycle.DateOf(w.clock(ctx)), r.Actor, r.CMS, dated, func(signer cycle.Actor) (*issuing.PendingSignature, error) {
		err := w.prepareHead(ctx, signer)
		return w.s.Head, err
	})
	if err != nil {
		return flow.Said{}, err
	}
	w.s.HeadSigned = &hs
	return said, nil
}

// headJob makes the issue's job seal the decision the head has signed.
func (w issueUpdate) headJob(job *issuing.Job) {
	if h := w.s.HeadSigned; h != nil {
		job.Head = h
		job.Decision.Date, job.Decision.Year = h.Pending.Date, h.Pending.RegisterYear()
	}
}
