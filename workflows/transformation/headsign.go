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
		return issuing.PrepareFor(ctx, ps, r.Actor, func(signer cycle.Actor) error { return k.prepareRecognition(ctx, b, signer) })
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
		return issuing.PrepareFor(ctx, ps, r.Actor, func(signer cycle.Actor) error { return k.prepareResults(ctx, y, signer) })
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

// headReview is the change from which the provincial review report
// (báo cáo sơ kết, 001 §III.2; review.go) is signed with the head's own
// certificate when the worker has the head sign elsewhere: when the
// secretariat sends the conference's conclusions, the report is
// numbered, rendered and prepared, the secretariat's task completes and
// the head's sign task (sign_review) opens; the head's completion brings
// the CMS, and the same completion issues the report. Conferences sent
// before it had the report signed on the worker (refused outside the
// demo, no signer's key being there).
const headReview = "review-head-external-signature"

// ReviewStep is the provincial conference's plan step of year whose
// review report was prepared for the head's own signature (nil when
// none was).
func (s *CohortState) ReviewStep(year int) *PlanStepStatus {
	for _, p := range s.Plan {
		if issuesReview(p) && p.Year == year && p.Head != nil {
			return p
		}
	}
	return nil
}

// prepareReview prepares the review report of the conference's step p,
// as the conference concluded in rep and the secretariat's officer by
// sent it, for the head's own signature, when the worker has the head
// sign elsewhere (p.Head; left nil otherwise); prepared again (a later
// day, or in a deputy's name), the number stays in its register. A
// report that lacks a required ground is refused before anything is
// numbered.
func (k *Cohort) prepareReview(ctx workflow.Context, p *PlanStepStatus, rep cycle.PlanReport, by, signer cycle.Actor) error {
	j, err := cohortDocuments{k}.reviewJob(ctx, p.Year, rep, by)
	if err != nil {
		return err
	}
	j.SignedAs(signer)
	if p.Head != nil {
		j.Decision.Year = p.Head.RegisterYear()
	}
	ps, err := issuing.PrepareForHeadAs(ctx, headReview, j)
	if err != nil {
		return err
	}
	if ps != nil {
		p.Head = ps
	}
	return nil
}

// openReviewSign opens the head's task that signs the review report
// prepared for their own signature.
func (k *Cohort) openReviewSign(ctx workflow.Context, p *PlanStepStatus) {
	k.openStep(ctx, cycle.TaskSignReview, p.Year, k.now(ctx).AddDays(cycle.SignDays),
		fmt.Sprintf("Ký báo cáo sơ kết công tác chuyển hóa năm %d", p.Year))
}

// checkReviewCMS: the head's CMS is required while the review report
// waits for the head's own signature.
func (k *Cohort) checkReviewCMS(r YearRequest) error {
	if p := k.s.ReviewStep(r.Year); p != nil && p.HeadSigned == nil && len(r.CMS) == 0 && !r.PrepareOnly {
		return cycle.Fail(cycle.EINVALID, "transformation.review_signature_required")
	}
	return nil
}

// embedReview embeds and verifies the head's CMS over the prepared
// review report; a refusal leaves the task open. A CMS that comes on a
// later day than the preparation is refused and the report prepared
// again, dated today: a document carries the day it is signed.
func (k *Cohort) embedReview(ctx workflow.Context, r YearRequest) error {
	p := k.s.ReviewStep(r.Year)
	if r.PrepareOnly {
		var ps []issuing.PendingSignature
		if p != nil && p.HeadSigned == nil {
			ps = []issuing.PendingSignature{*p.Head}
		}
		return issuing.PrepareFor(ctx, ps, r.Actor, func(signer cycle.Actor) error { return k.prepareReview(ctx, p, *p.Report, p.By, signer) })
	}
	if p == nil || p.HeadSigned != nil {
		return nil
	}
	if err := k.checkReviewCMS(r); err != nil {
		return flow.AppError(err)
	}
	hs, said, err := issuing.SignPrepared(ctx, *p.Head, k.now(ctx), r.Actor, r.CMS, true, func(signer cycle.Actor) (*issuing.PendingSignature, error) {
		err := k.prepareReview(ctx, p, *p.Report, p.By, signer)
		return p.Head, err
	})
	if err != nil {
		return err
	}
	p.HeadSigned, p.SignedBy = &hs, r.Actor
	k.c.Event(ctx, r.Actor.ID, said)
	return nil
}

// signReview is the head's sign task of the review report prepared for
// their own signature: the CMS is embedded and verified (a refusal
// leaves the task open and issues nothing), then the same completion
// issues the report — sealed as the issuing body, archived, delivered to
// its recipients — and the conference's plan step records it. A report,
// unlike a decision, needs no clerk's issue task: the secretariat
// compiled it, the head's signature is the last step before it goes out,
// and its number was taken when it was prepared. A completion whose issue
// fails after the signature was verified leaves the task open with the
// signature kept: completing it again (without a CMS) issues the report.
func (k cohortDocuments) signReview(ctx workflow.Context, r YearRequest) (SignResult, error) {
	ctx = flow.WithActivityOptions(ctx)
	if res, ok := flow.Recall[SignResult](k.c.Ledger, UpdateSignReview, r.Request); ok {
		return res, nil
	}
	t, err := k.stepRequest(r.Request, cycle.TaskSignReview, r.Year)
	if err != nil {
		return SignResult{}, flow.AppError(err)
	}
	defer k.c.Book.Begin(t.ID)()
	if err := k.embedReview(ctx, r); err != nil {
		return SignResult{}, err
	}
	p := k.s.ReviewStep(r.Year)
	if p == nil || p.HeadSigned == nil || p.Report == nil {
		return SignResult{}, flow.AppError(cycle.Fail(cycle.ECONFLICT, "flow.not_open_phase", cycle.TaskRef(t.ID), k.c.Phase()))
	}
	j, err := k.reviewJob(ctx, p.Year, *p.Report, p.By)
	if err != nil {
		return SignResult{}, flow.AppError(err)
	}
	h := p.HeadSigned
	j.Head, j.Decision.SignedBy = h, p.SignedBy
	j.Decision.Date, j.Decision.Year = h.Pending.Date, h.Pending.RegisterYear()
	res, err := k.issue(ctx, j)
	if err != nil {
		return SignResult{}, err
	}
	d := res.Decision
	if err := k.completeStep(ctx, t, r.Request, fmt.Sprintf("signed and issued the review report of %d: %s", r.Year, d.Code)); err != nil {
		return SignResult{}, err
	}
	p.Document = &d
	out := SignResult{SignedAt: k.now(ctx), Late: !k.Now(ctx).Before(t.Due.End()), Document: &d}
	k.c.Ledger.Record(UpdateSignReview, r.Request, out)
	k.c.Event(ctx, r.Actor.ID, flow.Says("event.step_signed", cycle.TaskSignReview, r.Year))
	k.c.Event(ctx, r.Actor.ID, flow.Says("event.review_issued", r.Year, d.Code))
	k.deliver(ctx, []issuing.Issued{res})
	return out, nil
}
