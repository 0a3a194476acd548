package transformation

import (
	"fmt"

	"go.temporal.io/sdk/workflow"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/issuing"
)

// headRecognition is the change from which the recognition decision, like
// the approval decision, is signed with the head's own certificate when
// the worker has the head sign elsewhere (issue 17; issuing.PrepareForHead):
// numbered, rendered and prepared when the head's sign task opens, the
// head's completion bringing the CMS, the clerk's issue only sealing it.
// Its own change: a cycle whose approval decision took HeadExternal may
// have reached its recognition before this change.
const headRecognition = "recognition-head-external-signature"

// recognitionJob is the recognition decision of year's batch for the
// issue pipeline.
func (k cohortDocuments) recognitionJob(ctx workflow.Context, year int, issuedBy cycle.Actor) (issuing.Job, cycle.DocumentContent) {
	b := k.s.batchOf(year)
	c, _ := issueRecognitionUpdate{k}.recognition(ctx, year)
	j := k.job(ctx, fmt.Sprintf("%s/recognition/%d", k.c.ID, year), c, b.SignedBy, issuedBy)
	if h := b.HeadSigned; h != nil {
		j.Head = h
		j.Decision.Date, j.Decision.Year = h.Pending.Date, h.Pending.RegisterYear()
	}
	return j, c
}

// prepareRecognition prepares the recognition decision for the head's
// own signature, when the worker has the head sign elsewhere; prepared
// again (a later day), the number stays in its register.
func (k *Cohort) prepareRecognition(ctx workflow.Context, b *RecognitionBatch, signer cycle.Actor) error {
	j, _ := cohortDocuments{k}.recognitionJob(ctx, b.Year, cycle.Actor{})
	j.SignedAs(signer)
	if b.Head != nil {
		j.Decision.Year = b.Head.RegisterYear()
	}
	p, err := issuing.PrepareForHeadAs(ctx, headRecognition, j)
	if err != nil {
		return err
	}
	if p != nil {
		b.Head = p
	}
	return nil
}

// checkRecognitionCMS: the head's CMS is required while the recognition
// decision waits for the head's own signature.
func (k *Cohort) checkRecognitionCMS(r YearRequest) error {
	if b := k.s.batchOf(r.Year); b != nil && b.Head != nil && b.HeadSigned == nil && len(r.CMS) == 0 && !r.PrepareOnly {
		return cycle.Fail(cycle.EINVALID, "selection.signature_required")
	}
	return nil
}

// embedRecognition embeds and verifies the head's CMS over the prepared
// recognition decision; a refusal leaves the task open. A CMS that comes
// on a later day than the preparation is refused and the decision
// prepared again, dated today: a document carries the day it is signed.
func (k *Cohort) embedRecognition(ctx workflow.Context, r YearRequest) error {
	b := k.s.batchOf(r.Year)
	if r.PrepareOnly {
		var ps []issuing.PendingSignature
		if b != nil && b.Head != nil && b.HeadSigned == nil {
			ps = []issuing.PendingSignature{*b.Head}
		}
		return issuing.PrepareFor(ps, r.Actor, func(signer cycle.Actor) error { return k.prepareRecognition(ctx, b, signer) })
	}
	if b == nil || b.Head == nil || b.HeadSigned != nil {
		return nil
	}
	if err := k.checkRecognitionCMS(r); err != nil {
		return flow.AppError(err)
	}
	hs, said, err := issuing.SignPrepared(ctx, *b.Head, k.now(ctx), r.Actor, r.CMS, true, func(signer cycle.Actor) (*issuing.PendingSignature, error) {
		err := k.prepareRecognition(ctx, b, signer)
		return b.Head, err
	})
	if err != nil {
		return err
	}
	b.HeadSigned = &hs
	k.c.Event(ctx, r.Actor.ID, said)
	return nil
}

// headResults is the change from which the year's results — the
// continuation and responsibility notices and the summary, signed by one
// task of the head — are signed with the head's own certificate when the
// worker has the head sign elsewhere: each numbered, rendered and
// prepared when the head's sign task opens, the head's completion
// bringing one CMS per document, every one verified before the task
// completes, the clerk's issue only sealing them.
const headResults = "results-head-external-signature"

// prepareResults prepares the year's results for the head's own
// signature, when the worker has the head sign elsewhere; prepared again
// (a later day), each document keeps its number in its register.
func (k *Cohort) prepareResults(ctx workflow.Context, y *ProgrammeYear, signer cycle.Actor) error {
	ps, err := issuing.PrepareAllForHead(ctx, headResults, func() ([]issuing.Job, error) {
		js, _, err := issueResultsUpdate{cohortDocuments{k}}.jobs(ctx, y.Year, cycle.Actor{})
		for i := range js {
			js[i].SignedAs(signer)
			for _, p := range y.Head {
				if p.DocumentID == js[i].Decision.ID {
					js[i].Decision.Year = p.RegisterYear()
				}
			}
		}
		return js, err
	})
	if err != nil {
		return err
	}
	if ps != nil {
		y.Head = ps
	}
	return nil
}

// checkResultsCMS: one CMS per document is required while the year's
// results wait for the head's own signature.
func (k *Cohort) checkResultsCMS(r YearRequest) error {
	if y := k.s.yearOf(r.Year); y != nil && len(y.Head) > 0 && y.HeadSigned == nil && len(r.Signatures()) == 0 && !r.PrepareOnly {
		return cycle.Fail(cycle.EINVALID, "selection.signature_required")
	}
	return nil
}

// embedResults embeds and verifies the head's CMS over each prepared
// document of the year's results; one refused refuses them all and
// leaves the task open. A CMS that comes on a later day than the
// preparation is refused and the documents prepared again, dated today.
func (k *Cohort) embedResults(ctx workflow.Context, r YearRequest) error {
	y := k.s.yearOf(r.Year)
	if r.PrepareOnly {
		var ps []issuing.PendingSignature
		if y != nil && y.HeadSigned == nil {
			ps = y.Head
		}
		return issuing.PrepareFor(ps, r.Actor, func(signer cycle.Actor) error { return k.prepareResults(ctx, y, signer) })
	}
	if y == nil || len(y.Head) == 0 || y.HeadSigned != nil {
		return nil
	}
	if err := k.checkResultsCMS(r); err != nil {
		return flow.AppError(err)
	}
	hs, said, err := issuing.SignAllPrepared(ctx, y.Head, k.now(ctx), r.Actor, r.Signatures(), func(signer cycle.Actor) ([]issuing.PendingSignature, error) {
		err := k.prepareResults(ctx, y, signer)
		return y.Head, err
	})
	if err != nil {
		return err
	}
	y.HeadSigned = hs
	k.c.Event(ctx, r.Actor.ID, said)
	return nil
}
