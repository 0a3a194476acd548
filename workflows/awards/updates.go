package awards

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/workflow"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/issuing"
)

// --- nominate ----------------------------------------------------------------

func (w *awardRound) validateNominate(ctx workflow.Context, r NominateRequest) error {
	if w.s.Ledger.Done(UpdateNominate, r.Request) {
		return nil
	}
	_, err := w.checkNominate(ctx, r)
	return flow.AppError(err)
}

// checkNominate validates a unit's submission against the scheme, with the
// other units' current nominations: quotas are the province's.
func (w *awardRound) checkNominate(ctx workflow.Context, r NominateRequest) ([]cycle.Nomination, error) {
	if w.unit(r.Unit) == nil {
		return nil, cycle.Fail(cycle.ENOTFOUND, "awards.not_nominating", r.Unit)
	}
	if w.s.Closed || !workflow.Now(ctx).Before(w.in.due().End()) {
		return nil, cycle.Fail(cycle.ECONFLICT, "awards.closed", w.in.due().Vietnamese())
	}
	if err := w.check(r.Request, cycle.AwardPhaseNominations, cycle.RoleDistrictOfficer, r.Unit); err != nil {
		return nil, err
	}
	if len(r.Nominations) == 0 {
		return nil, cycle.Fail(cycle.EINVALID, "awards.none")
	}
	noms := append([]cycle.Nomination(nil), r.Nominations...)
	for i := range noms {
		noms[i].Dossier = append([]string(nil), noms[i].Dossier...)
	}
	cycle.NormalizeNominations(noms)
	noms = cycle.NominationIDs(r.Unit, noms)
	// Each nomination on its own terms, with fields as the unit sent them;
	// then the quotas, over the province's nominations with these.
	var probs []cycle.Problem
	if ce := asDomainError(cycle.ValidateOpenNominations(*w.in.Policy.Awards, noms)); ce != nil {
		probs = append(probs, ce.Problems...)
	}
	others := w.all(r.Unit)
	if ce := asDomainError(cycle.ValidateOpenNominations(*w.in.Policy.Awards, append(others, noms...))); ce != nil && len(others) > 0 {
		for _, p := range ce.Problems {
			if p.Field == "nominations" && !hasProblem(probs, p.Rule) {
				p.Message += fmt.Sprintf(", counting the other units' %d nominations", len(others))
				p.Text += fmt.Sprintf(", tính cả %d đề nghị khen thưởng của các đơn vị khác", len(others))
				probs = append(probs, p)
			}
		}
	}
	if err := cycle.Invalid("award nominations of "+w.unit(r.Unit).Name, probs); err != nil {
		return nil, err
	}
	return noms, nil
}

func (w *awardRound) nominate(ctx workflow.Context, r NominateRequest) (NominateResult, error) {
	// An update handler gets a fresh context: the activity options are not inherited.
	ctx = flow.WithActivityOptions(ctx)
	if res, ok := flow.Recall[NominateResult](&w.s.Ledger, UpdateNominate, r.Request); ok {
		return res, nil
	}
	noms, err := w.checkNominate(ctx, r)
	if err != nil {
		return NominateResult{}, flow.AppError(err)
	}
	w.busy = true
	defer func() { w.busy = false }()
	u := w.unit(r.Unit)
	rec := cycle.NominationRecord{RoundID: w.id, Unit: r.Unit, Revision: u.Revision + 1, RequestID: r.RequestID, Actor: r.Actor, At: workflow.Now(ctx), Nominations: noms}
	var a *Activities
	if err := workflow.ExecuteActivity(ctx, a.AwardRecordNominations, rec).Get(ctx, nil); err != nil {
		return NominateResult{}, err
	}
	w.s.Noms[r.Unit] = noms
	u.Submitted, u.Revision, u.Count = true, rec.Revision, len(noms)
	res := NominateResult{Unit: r.Unit, Revision: rec.Revision}
	for _, n := range noms {
		res.IDs = append(res.IDs, n.ID)
	}
	if err := w.book.CloseWithReason(ctx, string(cycle.TaskNominate)+"/"+r.Unit, "nominated by "+r.Actor.ID); err != nil {
		return NominateResult{}, err
	}
	w.s.Ledger.Record(UpdateNominate, r.Request, res)
	w.event(ctx, r.Actor.ID, flow.Says("event.nominated", u.Name, len(noms), rec.Revision))
	return res, nil
}

// --- close nominations -------------------------------------------------------

func (w *awardRound) validateCloseNominations(r flow.Request) error {
	if w.s.Ledger.Done(UpdateCloseNominations, r) {
		return nil
	}
	return flow.AppError(w.check(r, cycle.AwardPhaseNominations, cycle.RoleSecretariat, ""))
}

func (w *awardRound) closeNominations(ctx workflow.Context, r flow.Request) (cycle.AwardPhase, error) {
	if res, ok := flow.Recall[cycle.AwardPhase](&w.s.Ledger, UpdateCloseNominations, r); ok {
		return res, nil
	}
	if err := w.check(r, cycle.AwardPhaseNominations, cycle.RoleSecretariat, ""); err != nil {
		return "", flow.AppError(err)
	}
	w.s.Closed = true
	w.s.Ledger.Record(UpdateCloseNominations, r, cycle.AwardPhaseReview)
	w.event(ctx, r.Actor.ID, flow.Says("event.nominations_closed", len(w.all(""))))
	return cycle.AwardPhaseReview, nil
}

// --- review ------------------------------------------------------------------

func (w *awardRound) validateReviewAwards(r ReviewAwardsRequest) error {
	if w.s.Ledger.Done(UpdateReviewAwards, r.Request) {
		return nil
	}
	if err := w.check(r.Request, cycle.AwardPhaseReview, cycle.RoleCouncilChair, ""); err != nil {
		return flow.AppError(err)
	}
	_, err := cycle.ValidateAwardReview(*w.in.Policy.Awards, w.all(""), r.Review)
	return flow.AppError(err)
}

func (w *awardRound) reviewAwards(ctx workflow.Context, r ReviewAwardsRequest) (ReviewAwardsResult, error) {
	// An update handler gets a fresh context: the activity options are not inherited.
	ctx = flow.WithActivityOptions(ctx)
	if res, ok := flow.Recall[ReviewAwardsResult](&w.s.Ledger, UpdateReviewAwards, r.Request); ok {
		return res, nil
	}
	if err := w.check(r.Request, cycle.AwardPhaseReview, cycle.RoleCouncilChair, ""); err != nil {
		return ReviewAwardsResult{}, flow.AppError(err)
	}
	accepted, err := cycle.ValidateAwardReview(*w.in.Policy.Awards, w.all(""), r.Review)
	if err != nil {
		return ReviewAwardsResult{}, flow.AppError(err)
	}
	w.busy = true
	defer func() { w.busy = false }()
	var a *Activities
	rec := cycle.AwardReviewRecord{RoundID: w.id, RequestID: r.RequestID, Actor: r.Actor, At: workflow.Now(ctx), Review: r.Review}
	if err := workflow.ExecuteActivity(ctx, a.AwardRecordReview, rec).Get(ctx, nil); err != nil {
		return ReviewAwardsResult{}, err
	}
	rv := r.Review
	w.s.Review, w.s.Accepted = &rv, accepted
	res := ReviewAwardsResult{Accepted: accepted}
	if err := w.book.CloseWithReason(ctx, string(cycle.TaskAwardReview), "reviewed by "+r.Actor.ID); err != nil {
		return ReviewAwardsResult{}, err
	}
	w.s.Ledger.Record(UpdateReviewAwards, r.Request, res)
	w.event(ctx, r.Actor.ID, flow.Says("event.awards_reviewed", len(accepted), len(w.all(""))))
	return res, nil
}

// --- sign and issue ----------------------------------------------------------

func (w *awardRound) validateSign(r SignAwardsRequest) error {
	if w.s.Ledger.Done(UpdateSignAwards, r.Request) {
		return nil
	}
	if err := w.check(r.Request, cycle.AwardPhaseSigning, cycle.RoleSigner, ""); err != nil {
		return flow.AppError(err)
	}
	return flow.AppError(w.checkSignature(r))
}

func (w *awardRound) sign(ctx workflow.Context, r SignAwardsRequest) (cycle.Date, error) {
	// An update handler gets a fresh context: the activity options are not inherited.
	ctx = flow.WithActivityOptions(ctx)
	if res, ok := flow.Recall[cycle.Date](&w.s.Ledger, UpdateSignAwards, r.Request); ok {
		return res, nil
	}
	if err := w.check(r.Request, cycle.AwardPhaseSigning, cycle.RoleSigner, ""); err != nil {
		return cycle.Date{}, flow.AppError(err)
	}
	w.busy = true
	defer func() { w.busy = false }()
	if err := w.embedSignature(ctx, r); err != nil {
		return cycle.Date{}, err
	}
	if err := w.book.CloseWithReason(ctx, string(cycle.TaskAwardSign), "signed by "+r.Actor.ID); err != nil {
		return cycle.Date{}, err
	}
	w.s.Signed, w.s.SignedBy, w.s.SignedOn = true, r.Actor, cycle.DateOf(workflow.Now(ctx))
	w.s.Ledger.Record(UpdateSignAwards, r.Request, w.s.SignedOn)
	w.event(ctx, r.Actor.ID, flow.Says("event.awards_signed"))
	return w.s.SignedOn, nil
}

// validateIssue refuses, besides a request the phase does not allow, an
// award decision whose required grounds are missing (the emulation law in
// force, the plan that set the awards): it is not numbered. Validators do
// not run on replay.
func (w *awardRound) validateIssue(ctx workflow.Context, r flow.Request) error {
	if w.s.Ledger.Done(UpdateIssueAwards, r) {
		return nil
	}
	if err := w.check(r, cycle.AwardPhaseIssue, cycle.RoleClerk, ""); err != nil {
		return flow.AppError(err)
	}
	_, probs := w.document(workflow.Now(ctx))
	return flow.AppError(cycle.CheckGrounds(fmt.Sprintf("quyết định khen thưởng năm %d", w.in.Year), probs))
}

// document is the award decision's content — its grounds, the policy's
// settings and the signer's block (cycle.PrepareDocument) — and the
// required grounds it lacks.
func (w *awardRound) document(now time.Time) (cycle.DocumentContent, []cycle.Problem) {
	c := cycle.DocumentContent{Kind: cycle.DocAward, Issuer: w.in.Issuer, Date: cycle.DateOf(now), Year: w.in.Year, ProvinceName: w.in.ProvinceName,
		Synthetic: w.in.Synthetic, Form: w.in.Policy.Awards.Form, Recipients: w.recipients(), Awardees: w.s.Accepted, Province: w.in.Province}
	for _, u := range w.in.Units {
		c.UnitNames = append(c.UnitNames, cycle.UnitName{Code: u.Code, Name: u.Name})
	}
	probs := cycle.PrepareDocument(&c, w.in.Policy, &w.s.SignedBy)
	return c, probs
}

// job is the award decision c for the issue pipeline.
func (w *awardRound) job(c cycle.DocumentContent, issuedBy cycle.Actor, now time.Time) issuing.Job {
	return issuing.Job{
		Decision: cycle.Decision{ID: w.id + "/award", CycleID: w.id, Kind: cycle.DocAward, BodyKey: w.in.Issuer.BodyKey, Year: c.Date.Year,
			Date: c.Date, SignedBy: w.s.SignedBy, IssuedBy: issuedBy, IssuedAt: now},
		Suffix: cycle.DocumentSuffix(cycle.DocAward, w.in.Issuer), Content: c,
	}
}

func (w *awardRound) issue(ctx workflow.Context, r flow.Request) (cycle.Decision, error) {
	// An update handler gets a fresh context: the activity options are not inherited.
	ctx = flow.WithActivityOptions(ctx)
	if res, ok := flow.Recall[cycle.Decision](&w.s.Ledger, UpdateIssueAwards, r); ok {
		return res, nil
	}
	if err := w.check(r, cycle.AwardPhaseIssue, cycle.RoleClerk, ""); err != nil {
		return cycle.Decision{}, flow.AppError(err)
	}
	w.busy = true
	defer func() { w.busy = false }()
	now := workflow.Now(ctx)
	c, _ := w.document(now)
	job := w.job(c, r.Actor, now)
	if h := w.s.HeadSigned; h != nil {
		job.Head = h
		job.Decision.Date, job.Decision.Year = h.Pending.Date, h.Pending.RegisterYear()
	}
	legacy := issuing.LegacyAwardInput{DocumentContent: c, RoundID: w.id, DecisionID: job.Decision.ID, Province: w.in.Province,
		Awards: *w.in.Policy.Awards, SignedBy: w.s.SignedBy, IssuedBy: r.Actor, At: now}
	res, err := issuing.Issue(ctx, job, "AwardIssueDocument", legacy)
	if err != nil {
		return cycle.Decision{}, err
	}
	d := res.Decision
	if err := w.book.CloseWithReason(ctx, string(cycle.TaskAwardIssue), "issued by "+r.Actor.ID+" as Số "+d.Code); err != nil {
		return cycle.Decision{}, err
	}
	w.s.Decision = &d
	w.s.Ledger.Record(UpdateIssueAwards, r, d)
	signed := flow.Says("event.unsigned")
	if res.Signatures > 0 {
		signed = flow.Says("event.signed_sealed", res.Signatures)
	}
	w.event(ctx, r.Actor.ID, flow.Says("event.awards_issued", d.Code, len(w.s.Accepted)).Plus(", ", signed))
	// Distribution goes on after the clerk has the decision; the round
	// completes once every delivery has settled.
	w.deliveries.Start(ctx, w.in.Issuer.Body, res, func(ctx workflow.Context, said flow.Said) {
		w.event(ctx, "", flow.Says("event.delivered", d.Code, said))
	})
	return d, nil
}
