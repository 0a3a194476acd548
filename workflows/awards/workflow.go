// Package awards runs a province's award round (AwardRound; policies 001
// and 003): units nominate collectives and people, the council reviews
// the nominations against the scheme's quotas, the grantor signs and the
// clerk issues the award decision through the document pipeline.
package awards

import (
	"fmt"

	"go.temporal.io/sdk/workflow"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/issuing"
)

// WorkflowID is the business ID of a province's award round for a
// year: one round per (province, year).
func WorkflowID(province string, year int) string {
	return fmt.Sprintf("awards/%s/%d", province, year)
}

// Update and query names of AwardRound.
const (
	UpdateNominate         = "nominate"          // unit officer: NominateRequest → NominateResult
	UpdateCloseNominations = "close-nominations" // secretariat: Request → AwardRoundState phase
	UpdateReviewAwards     = "review-awards"     // council chair: ReviewAwardsRequest → ReviewAwardsResult
	UpdateSignAwards       = "sign-awards"       // the grantor: Request → cycle.Date
	UpdateIssueAwards      = "issue-awards"      // clerk: Request → cycle.Decision
	QueryAwardRound        = "award-round"       // → AwardRoundState
)

// Updates are the round's updates, with the task kinds they complete:
// every one must have an API route and a web form.
var Updates = map[string][]cycle.TaskKind{
	UpdateNominate:         {cycle.TaskNominate},
	UpdateCloseNominations: nil, // the secretariat's decision, not a task of the inbox
	UpdateReviewAwards:     {cycle.TaskAwardReview},
	UpdateSignAwards:       {cycle.TaskAwardSign},
	UpdateIssueAwards:      {cycle.TaskAwardIssue},
}

// AwardUnit is a unit that may nominate (a district's steering committee,
// a department, a commune in a two-tier province).
type AwardUnit struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// AwardRoundInput starts a province's award round for a year under the
// policy's award scheme (001, 003).
type AwardRoundInput struct {
	Province     string       `json:"province"`
	ProvinceName string       `json:"province_name"` // "Tỉnh Bình Phước"
	Year         int          `json:"year"`
	Policy       cycle.Policy `json:"policy"` // kept for the round's whole life
	Issuer       cycle.Issuer `json:"issuer"` // who issues the decision: the scheme's issuer with its signer's name
	Units        []AwardUnit  `json:"units"`
	// Due is the last day for nominations; zero takes the policy's
	// award_nominations deadline in Year.
	Due       cycle.Date  `json:"due"`
	StartedBy cycle.Actor `json:"started_by"`
	Synthetic bool        `json:"synthetic"`
}

// Validate checks the input before a round is started.
func (in AwardRoundInput) Validate() error {
	var probs []cycle.Problem
	add := func(field, rule, format string, args ...any) {
		probs = append(probs, cycle.Problem{Field: field, Rule: rule, Message: fmt.Sprintf(format, args...)})
	}
	if in.Province == "" {
		add("province", "awards.province", "required")
	}
	if in.Policy.Awards == nil {
		add("policy.awards", "awards.scheme", "policy %s has no award scheme", in.Policy.ID)
	}
	if len(in.Units) == 0 {
		add("units", "awards.units", "at least one nominating unit is required")
	}
	seen := map[string]bool{}
	for i, u := range in.Units {
		if u.Code == "" || seen[u.Code] {
			add(fmt.Sprintf("units[%d]", i), "awards.units", "empty or duplicate unit code %q", u.Code)
		}
		seen[u.Code] = true
	}
	if in.StartedBy.Role != cycle.RoleSecretariat {
		add("started_by.role", "awards.starter", "only the secretariat opens an award round, not %q", in.StartedBy.Role)
	}
	if err := in.Issuer.Validate(); err != nil {
		if ce := flow.AsCycleError(err); ce != nil {
			probs = append(probs, ce.Problems...)
		}
	}
	if in.Due.IsZero() {
		if _, ok := in.Policy.Deadline(cycle.DeadlineAwardNominations); !ok {
			add("due", "awards.due", "no due date given and policy %s has no award_nominations deadline", in.Policy.ID)
		}
	}
	return cycle.Invalid("award round", probs)
}

// due is the last day for nominations.
func (in AwardRoundInput) due() cycle.Date {
	if !in.Due.IsZero() {
		return in.Due
	}
	d, _ := in.Policy.Deadline(cycle.DeadlineAwardNominations)
	ds := d.Dates(in.Year)
	return ds[len(ds)-1]
}

// NominateRequest is a unit's nominations; sending again before the
// nominations close replaces the unit's earlier ones (a revision).
type NominateRequest struct {
	flow.Request
	Unit        string             `json:"unit"`
	Nominations []cycle.Nomination `json:"nominations"`
}

// NominateResult is what a unit's submission recorded.
type NominateResult struct {
	Unit     string   `json:"unit"`
	Revision int      `json:"revision"`
	IDs      []string `json:"ids"`
}

// ReviewAwardsRequest is the council's review.
type ReviewAwardsRequest struct {
	flow.Request
	Review cycle.AwardReview `json:"review"`
}

// ReviewAwardsResult is what the council put forward.
type ReviewAwardsResult struct {
	Accepted []cycle.Nomination `json:"accepted"`
}

// AwardUnitStatus is one nominating unit's submission.
type AwardUnitStatus struct {
	AwardUnit
	Submitted bool `json:"submitted"`
	Revision  int  `json:"revision"`
	Count     int  `json:"count"`
}

// AwardRoundState is the answer of QueryAwardRound.
type AwardRoundState struct {
	ID          string             `json:"id"`
	Province    string             `json:"province"`
	Year        int                `json:"year"`
	PolicyID    string             `json:"policy_id"`
	Phase       cycle.AwardPhase   `json:"phase"`
	Due         cycle.Date         `json:"due"`
	Today       cycle.Date         `json:"today"`
	Units       []AwardUnitStatus  `json:"units"`
	OpenTasks   []cycle.Task       `json:"open_tasks"`
	Nominations []cycle.Nomination `json:"nominations"`
	Accepted    []cycle.Nomination `json:"accepted,omitempty"`
	Review      *cycle.AwardReview `json:"review,omitempty"`
	Decision    *cycle.Decision    `json:"decision,omitempty"`
	Events      []flow.Event       `json:"events"`
}

// State is an award round's state.
type State struct {
	Phase    cycle.AwardPhase              `json:"phase"`
	Units    []AwardUnitStatus             `json:"units"`
	Noms     map[string][]cycle.Nomination `json:"nominations"`      // current nominations per unit
	Closed   bool                          `json:"closed,omitempty"` // nominations closed early by the secretariat
	Review   *cycle.AwardReview            `json:"review,omitempty"`
	Accepted []cycle.Nomination            `json:"accepted,omitempty"`
	Signed   bool                          `json:"signed,omitempty"`
	SignedBy cycle.Actor                   `json:"signed_by,omitempty"`
	SignedOn cycle.Date                    `json:"signed_on,omitempty"`
	Decision *cycle.Decision               `json:"decision,omitempty"`
	Tasks    flow.Tasks                    `json:"tasks"`
	Ledger   flow.Ledger                   `json:"ledger"`
	Events   []flow.Event                  `json:"events"`
}

// awardRound is one AwardRound run.
type awardRound struct {
	in         AwardRoundInput
	id         string
	s          State
	book       *flow.TaskBook     // the round's tasks in the inbox, with their alerts
	deliveries issuing.Deliveries // issued decisions whose distribution is still running
	busy       bool               // a task completion is running
}

// AwardRound runs a province's award nominations and decision for a year
// (001 §III.1: "lựa chọn 01 tập thể hoặc cá nhân/1 địa bàn chuyển hóa …
// hồ sơ khen thưởng gửi về Công an tỉnh trước ngày 16/11"; 003 §III:
// "03 tập thể - 06 cá nhân", leaders ≤ 40%, the three-part dossier):
// units nominate until the due date (or until the secretariat closes the
// nominations), every submission checked against the scheme's quotas over
// the whole province; the council accepts or rejects each nomination; the
// grantor signs; the clerk numbers the decision in the issuing body's
// register and issues it as a PDF.
func AwardRound(ctx workflow.Context, in AwardRoundInput) (cycle.Decision, error) {
	if err := in.Validate(); err != nil {
		return cycle.Decision{}, flow.AppError(err)
	}
	w := &awardRound{in: in, id: workflow.GetInfo(ctx).WorkflowExecution.ID, s: State{Noms: map[string][]cycle.Nomination{}}}
	for _, u := range in.Units {
		w.s.Units = append(w.s.Units, AwardUnitStatus{AwardUnit: u})
	}
	w.book = flow.NewTaskBook(&w.s.Tasks, w.id, in.Policy.Reminders, func(code string) string {
		if u := w.unit(code); u != nil {
			return u.Name
		}
		return code
	})
	ctx = flow.WithActivityOptions(ctx)
	if err := workflow.SetQueryHandler(ctx, QueryAwardRound, func() (AwardRoundState, error) { return w.state(ctx), nil }); err != nil {
		return cycle.Decision{}, err
	}
	if err := flow.RegisterUpdates(ctx,
		flow.UpdateHandler{Name: UpdateNominate, Handler: w.nominate, Validator: w.validateNominate},
		flow.UpdateHandler{Name: UpdateCloseNominations, Handler: w.closeNominations, Validator: w.validateCloseNominations},
		flow.UpdateHandler{Name: UpdateReviewAwards, Handler: w.reviewAwards, Validator: w.validateReviewAwards},
		flow.UpdateHandler{Name: UpdateSignAwards, Handler: w.sign, Validator: w.validateSign},
		flow.UpdateHandler{Name: UpdateIssueAwards, Handler: w.issue, Validator: w.validateIssue},
	); err != nil {
		return cycle.Decision{}, err
	}
	var a *Activities
	info := cycle.CycleInfo{ID: w.id, Province: in.Province, Year: in.Year, Policy: in.Policy, StartedBy: in.StartedBy, StartedAt: workflow.Now(ctx), Synthetic: in.Synthetic}
	if err := workflow.ExecuteActivity(ctx, a.AwardOpenRound, info).Get(ctx, nil); err != nil {
		return cycle.Decision{}, err
	}
	w.event(ctx, in.StartedBy.ID, fmt.Sprintf("award round %d opened under policy %s; nominations due %s", in.Year, in.Policy.ID, in.due().Vietnamese()))

	if err := w.enter(ctx, cycle.AwardPhaseNominations); err != nil {
		return cycle.Decision{}, err
	}
	for _, u := range w.s.Units {
		w.book.OpenClosingAtDue(ctx, cycle.Task{ID: string(cycle.TaskNominate) + "/" + u.Code, Kind: cycle.TaskNominate, Role: cycle.RoleDistrictOfficer, District: u.Code,
			Title: "Gửi hồ sơ đề nghị khen thưởng — " + u.Name, Due: in.due()})
	}
	if d := in.due().End().Sub(workflow.Now(ctx)); d > 0 {
		if _, err := workflow.AwaitWithTimeout(ctx, d, func() bool { return w.s.Closed && !w.busy }); err != nil {
			return cycle.Decision{}, err
		}
	}
	// A nomination being recorded when the deadline passes is let finish.
	if err := workflow.Await(ctx, func() bool { return !w.busy }); err != nil {
		return cycle.Decision{}, err
	}
	for _, u := range w.s.Units {
		if err := w.book.CloseWithReason(ctx, string(cycle.TaskNominate)+"/"+u.Code, "nominations closed without a submission"); err != nil {
			return cycle.Decision{}, err
		}
	}
	for _, step := range []struct {
		phase cycle.AwardPhase
		done  func() bool
	}{
		{cycle.AwardPhaseReview, func() bool { return w.s.Review != nil }},
		{cycle.AwardPhaseSigning, func() bool { return w.s.Signed }},
		{cycle.AwardPhaseIssue, func() bool { return w.s.Decision != nil }},
	} {
		if err := w.enter(ctx, step.phase); err != nil {
			return cycle.Decision{}, err
		}
		w.book.Open(ctx, w.stepTask(ctx, step.phase))
		if err := workflow.Await(ctx, step.done); err != nil {
			return cycle.Decision{}, err
		}
	}
	if err := w.enter(ctx, cycle.AwardPhaseIssued); err != nil {
		return cycle.Decision{}, err
	}
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) && w.deliveries.Settled() }); err != nil {
		return cycle.Decision{}, err
	}
	return *w.s.Decision, nil
}

// stepTask is the task of a phase after the nominations. The plans set no
// day for them; the product gives the council two weeks after the
// nominations' due date, the grantor a week to sign, the clerk three days.
func (w *awardRound) stepTask(ctx workflow.Context, p cycle.AwardPhase) cycle.Task {
	today := cycle.DateOf(workflow.Now(ctx))
	switch p {
	case cycle.AwardPhaseReview:
		due := w.in.due().AddDays(14)
		if due.Before(today) {
			due = today
		}
		return cycle.Task{ID: string(cycle.TaskAwardReview), Kind: cycle.TaskAwardReview, Role: cycle.RoleCouncilChair, Due: due,
			Title: fmt.Sprintf("Xét duyệt %d hồ sơ đề nghị khen thưởng năm %d", len(w.all("")), w.in.Year)}
	case cycle.AwardPhaseSigning:
		return cycle.Task{ID: string(cycle.TaskAwardSign), Kind: cycle.TaskAwardSign, Role: cycle.RoleSigner, Due: today.AddDays(7),
			Title: fmt.Sprintf("Ký quyết định khen thưởng năm %d", w.in.Year)}
	default:
		return cycle.Task{ID: string(cycle.TaskAwardIssue), Kind: cycle.TaskAwardIssue, Role: cycle.RoleClerk, Due: today.AddDays(3),
			Title: fmt.Sprintf("Vào sổ, cấp số và ban hành quyết định khen thưởng năm %d", w.in.Year)}
	}
}

func (w *awardRound) enter(ctx workflow.Context, p cycle.AwardPhase) error {
	w.s.Phase = p
	var a *Activities
	return workflow.ExecuteActivity(ctx, a.AwardSetPhase, PhaseChange{CycleID: w.id, Phase: cycle.Phase(p), At: workflow.Now(ctx)}).Get(ctx, nil)
}

func (w *awardRound) event(ctx workflow.Context, actor, summary string) {
	w.s.Events = append(w.s.Events, flow.Event{At: cycle.DateOf(workflow.Now(ctx)), Actor: actor, Summary: summary})
}

// all returns every unit's current nominations, in unit order.
func (w *awardRound) all(except string) []cycle.Nomination {
	var out []cycle.Nomination
	for _, u := range w.s.Units {
		if u.Code != except {
			out = append(out, w.s.Noms[u.Code]...)
		}
	}
	return out
}

func (w *awardRound) unit(code string) *AwardUnitStatus {
	for i := range w.s.Units {
		if w.s.Units[i].Code == code {
			return &w.s.Units[i]
		}
	}
	return nil
}

// check is the common part of every validator: a request ID, the phase,
// the actor's role (and unit), no other completion running.
func (w *awardRound) check(r flow.Request, phase cycle.AwardPhase, role cycle.Role, unit string) error {
	if r.RequestID == "" {
		return cycle.Errorf(cycle.EINVALID, "request_id is required, so that a retried request is not applied twice")
	}
	if w.s.Phase != phase {
		return cycle.Errorf(cycle.ECONFLICT, "the award round is in phase %q, not %q", w.s.Phase, phase)
	}
	task := cycle.Task{ID: fmt.Sprintf("awards/%s", phase), Role: role, District: unit}
	if err := cycle.Authorize(r.Actor, task); err != nil {
		return err
	}
	if w.busy {
		return cycle.Errorf(cycle.ECONFLICT, "another request of the award round is being completed")
	}
	return nil
}

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
		return nil, cycle.Errorf(cycle.ENOTFOUND, "unit %q does not nominate in this round", r.Unit)
	}
	if w.s.Closed || !workflow.Now(ctx).Before(w.in.due().End()) {
		return nil, cycle.Errorf(cycle.ECONFLICT, "nominations closed on %s", w.in.due().Vietnamese())
	}
	if err := w.check(r.Request, cycle.AwardPhaseNominations, cycle.RoleDistrictOfficer, r.Unit); err != nil {
		return nil, err
	}
	if len(r.Nominations) == 0 {
		return nil, cycle.Errorf(cycle.EINVALID, "no nomination given")
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
	w.event(ctx, r.Actor.ID, fmt.Sprintf("%s nominated %d (revision %d)", u.Name, len(noms), rec.Revision))
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
	w.event(ctx, r.Actor.ID, fmt.Sprintf("nominations closed with %d nominations", len(w.all(""))))
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
	w.event(ctx, r.Actor.ID, fmt.Sprintf("the council put forward %d of %d nominations", len(accepted), len(w.all(""))))
	return res, nil
}

// --- sign and issue ----------------------------------------------------------

func (w *awardRound) validateSign(r flow.Request) error {
	if w.s.Ledger.Done(UpdateSignAwards, r) {
		return nil
	}
	return flow.AppError(w.check(r, cycle.AwardPhaseSigning, cycle.RoleSigner, ""))
}

func (w *awardRound) sign(ctx workflow.Context, r flow.Request) (cycle.Date, error) {
	// An update handler gets a fresh context: the activity options are not inherited.
	ctx = flow.WithActivityOptions(ctx)
	if res, ok := flow.Recall[cycle.Date](&w.s.Ledger, UpdateSignAwards, r); ok {
		return res, nil
	}
	if err := w.check(r, cycle.AwardPhaseSigning, cycle.RoleSigner, ""); err != nil {
		return cycle.Date{}, flow.AppError(err)
	}
	w.busy = true
	defer func() { w.busy = false }()
	if err := w.book.CloseWithReason(ctx, string(cycle.TaskAwardSign), "signed by "+r.Actor.ID); err != nil {
		return cycle.Date{}, err
	}
	w.s.Signed, w.s.SignedBy, w.s.SignedOn = true, r.Actor, cycle.DateOf(workflow.Now(ctx))
	w.s.Ledger.Record(UpdateSignAwards, r, w.s.SignedOn)
	w.event(ctx, r.Actor.ID, "the award decision is signed")
	return w.s.SignedOn, nil
}

func (w *awardRound) validateIssue(r flow.Request) error {
	if w.s.Ledger.Done(UpdateIssueAwards, r) {
		return nil
	}
	return flow.AppError(w.check(r, cycle.AwardPhaseIssue, cycle.RoleClerk, ""))
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
	c := cycle.DocumentContent{Kind: cycle.DocAward, Issuer: w.in.Issuer, Date: cycle.DateOf(now), Year: w.in.Year, ProvinceName: w.in.ProvinceName,
		Synthetic: w.in.Synthetic, Form: w.in.Policy.Awards.Form, Recipients: w.recipients(), Awardees: w.s.Accepted}
	job := issuing.Job{
		Decision: cycle.Decision{ID: w.id + "/award", CycleID: w.id, Kind: cycle.DocAward, BodyKey: w.in.Issuer.BodyKey, Year: c.Date.Year,
			Date: c.Date, SignedBy: w.s.SignedBy, IssuedBy: r.Actor, IssuedAt: now},
		Suffix: cycle.DocumentSuffix(cycle.DocAward, w.in.Issuer), Content: c,
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
	signed := "unsigned (no signing keys configured)"
	if res.Signatures > 0 {
		signed = fmt.Sprintf("signed and sealed (%d signatures)", res.Signatures)
	}
	w.event(ctx, r.Actor.ID, fmt.Sprintf("award decision Số %s issued for %d awardees, %s", d.Code, len(w.s.Accepted), signed))
	// Distribution goes on after the clerk has the decision; the round
	// completes once every delivery has settled.
	w.deliveries.Start(ctx, w.in.Issuer.Body, res, func(ctx workflow.Context, said string) {
		w.event(ctx, "", fmt.Sprintf("award decision %s: %s", d.Code, said))
	})
	return d, nil
}

// recipients is the distribution list of the policy's award decision.
func (w *awardRound) recipients() []string {
	for _, d := range w.in.Policy.Documents {
		if d.Kind == "award_decision" {
			var out []string
			for _, r := range d.Recipients {
				if r != "Lưu: VT" { // the template ends with it
					out = append(out, r)
				}
			}
			return out
		}
	}
	return nil
}

func (w *awardRound) state(ctx workflow.Context) AwardRoundState {
	s := AwardRoundState{
		ID: w.id, Province: w.in.Province, Year: w.in.Year, PolicyID: w.in.Policy.ID, Phase: w.s.Phase, Due: w.in.due(),
		Today: cycle.DateOf(workflow.Now(ctx)), Units: append([]AwardUnitStatus(nil), w.s.Units...), Nominations: w.all(""),
		Accepted: w.s.Accepted, Review: w.s.Review, Decision: w.s.Decision, Events: append([]flow.Event(nil), w.s.Events...),
	}
	s.OpenTasks = w.book.List()
	return s
}

func asDomainError(err error) *cycle.Error {
	if err == nil {
		return nil
	}
	return flow.AsCycleError(err)
}

func hasProblem(ps []cycle.Problem, rule string) bool {
	for _, p := range ps {
		if p.Rule == rule {
			return true
		}
	}
	return false
}
