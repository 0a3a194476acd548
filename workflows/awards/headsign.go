package awards

import (
	"go.temporal.io/sdk/workflow"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/issuing"
)

// The grantor's signature made where the grantor's key is (issue 17; see
// issuing.PrepareForHead): when the worker has the head sign elsewhere,
// the award decision is numbered, rendered and prepared when the sign
// task opens, the grantor's completion brings the CMS, which is embedded
// and verified before the task completes, and the clerk's issue only
// seals it.

// headAward is the change from which the award decision is signed with
// the grantor's own certificate. Rounds whose signing phase began before
// it replay on the worker's signature.
const headAward = "award-head-external-signature"

// prepareHead prepares the award decision for the grantor's own
// signature, when the worker has the head sign elsewhere; prepared again
// (a later day), the number stays in its register.
func (w *awardRound) prepareHead(ctx workflow.Context, signer cycle.Actor) error {
	now := workflow.Now(ctx)
	c, _ := w.document(now)
	job := w.job(c, cycle.Actor{}, now)
	job.SignedAs(signer)
	if w.s.Head != nil {
		job.Decision.Year = w.s.Head.RegisterYear()
	}
	w.preparing = true
	p, err := issuing.PrepareForHeadAs(ctx, headAward, job)
	w.preparing = false
	if err != nil {
		return err
	}
	if p != nil {
		w.s.Head = p
	}
	return nil
}

// checkSignature: the grantor's CMS is required while the decision waits
// for the grantor's own signature; none is taken while it is prepared.
func (w *awardRound) checkSignature(r SignAwardsRequest) error {
	if w.preparing {
		return cycle.Fail(cycle.ECONFLICT, "selection.preparing_signature")
	}
	if w.s.Head != nil && w.s.HeadSigned == nil && len(r.CMS) == 0 && !r.PrepareOnly {
		return cycle.Fail(cycle.EINVALID, "selection.signature_required")
	}
	return nil
}

// embedSignature embeds and verifies the grantor's CMS over the prepared
// decision; a refusal leaves the task open. A CMS that comes on a later
// day than the preparation is refused and the decision prepared again,
// dated today.
func (w *awardRound) embedSignature(ctx workflow.Context, r SignAwardsRequest) error {
	if r.PrepareOnly {
		if w.preparing {
			return flow.AppError(cycle.Fail(cycle.ECONFLICT, "selection.preparing_signature"))
		}
		var ps []issuing.PendingSignature
		if w.s.Head != nil && w.s.HeadSigned == nil {
			ps = []issuing.PendingSignature{*w.s.Head}
		}
		return issuing.PrepareFor(ctx, ps, r.Actor, func(signer cycle.Actor) error { return w.prepareHead(ctx, signer) })
	}
	if w.s.Head == nil || w.s.HeadSigned != nil {
		return nil
	}
	if err := w.checkSignature(r); err != nil {
		return flow.AppError(err)
	}
	hs, said, err := issuing.SignPrepared(ctx, *w.s.Head, cycle.DateOf(workflow.Now(ctx)), r.Actor, r.CMS, true, func(signer cycle.Actor) (*issuing.PendingSignature, error) {
		err := w.prepareHead(ctx, signer)
		return w.s.Head, err
	})
	if err != nil {
		return err
	}
	w.s.HeadSigned = &hs
	w.event(ctx, r.Actor.ID, said)
	return nil
}
