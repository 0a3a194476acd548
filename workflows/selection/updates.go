package selection

import (
	"fmt"

	"go.temporal.io/sdk/workflow"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/issuing"
)

// registerHandlers installs the updates and the selection query. Each
// update has a validator: a rejected update writes nothing, not even to the
// workflow's history, and the caller gets the error with its problems.
func (w *yearly) registerHandlers(ctx workflow.Context) error {
	if err := workflow.SetQueryHandler(ctx, QuerySelection, func() (cycle.SelectionResult, error) {
		if w.s.Phase == "" {
			return cycle.SelectionResult{}, errStarting
		}
		return cycle.SelectIn(w.s.Province, w.in.Policy, w.proposals(), w.s.Programme), nil
	}); err != nil {
		return err
	}
	return flow.RegisterUpdates(ctx, Updates,
		flow.UpdateHandler{Name: UpdateSubmitProposal, Handler: submitProposalUpdate{w}.handle, Validator: submitProposalUpdate{w}.validate},
		flow.UpdateHandler{Name: UpdateConsolidate, Handler: consolidateUpdate{w}.handle, Validator: consolidateUpdate{w}.validate},
		flow.UpdateHandler{Name: UpdateAppraise, Handler: appraiseUpdate{w}.handle, Validator: appraiseUpdate{w}.validate},
		flow.UpdateHandler{Name: UpdateSign, Handler: signUpdate{w}.handle, Validator: signUpdate{w}.validate},
		flow.UpdateHandler{Name: UpdateIssue, Handler: issueUpdate{w}.handle, Validator: issueUpdate{w}.validate},
		flow.UpdateHandler{Name: UpdateCloseProposals, Handler: closeProposalsUpdate{w}.handle, Validator: closeProposalsUpdate{w}.validate},
	)
}

// Each update is a type of its own over the run: its validator (which
// writes nothing) and its handler.
type (
	submitProposalUpdate struct{ *yearly } // a unit's proposal, or its revision before the due date
	consolidateUpdate    struct{ *yearly } // the secretariat's draft list
	appraiseUpdate       struct{ *yearly } // the council's conclusion
	signUpdate           struct{ *yearly } // the head's signature
	issueUpdate          struct{ *yearly } // the clerk's issue
)

func (w *yearly) unit(code string) *UnitStatus {
	for i := range w.s.Units {
		if w.s.Units[i].Unit == code {
			return &w.s.Units[i]
		}
	}
	return nil
}

// begin marks a task as being completed, so that a concurrent request is
// refused, and returns it with the function that clears the mark.
func (w *yearly) begin(kind cycle.TaskKind) (cycle.Task, func()) {
	t, _ := w.book.Task(cycle.TaskID(kind, ""))
	t.ID, t.Kind = cycle.TaskID(kind, ""), kind
	return t, w.book.Begin(t.ID)
}

// finish records a completed request: its task closes, its result is kept
// for retries of the same request, and the cycle's history says what happened.
func (w *yearly) finish(ctx workflow.Context, t cycle.Task, r flow.Request, result any, summary flow.Said) {
	w.book.Close(t.ID)
	w.s.Ledger.Record(string(t.Kind), r, result)
	w.event(ctx, r.Actor.ID, summary)
}

// validateTask is the validator of the tasks whose only check is who may complete them.
func (w *yearly) validateTask(r flow.Request, kind cycle.TaskKind) error {
	if w.s.Ledger.Done(string(kind), r) {
		return nil
	}
	_, err := w.authorize(r, cycle.TaskID(kind, ""))
	return flow.AppError(err)
}

// complete records a task's completion (see flow.TaskBook.Complete).
func (w *yearly) complete(ctx workflow.Context, t cycle.Task, r flow.Request, summary string, fill func(*cycle.Completion)) error {
	return w.book.Complete(ctx, t, r, summary, fill)
}

// --- submit proposal -------------------------------------------------------

func (w submitProposalUpdate) validate(ctx workflow.Context, r SubmitProposalRequest) error {
	if w.s.Ledger.Done(string(cycle.TaskSubmitProposal), r.Request) {
		return nil
	}
	return flow.AppError(w.check(ctx, r))
}

func (w submitProposalUpdate) check(ctx workflow.Context, r SubmitProposalRequest) error {
	if w.s.Phase == "" {
		return errStarting
	}
	r.Proposal.Normalize()
	u := w.unit(r.Proposal.Unit)
	if u == nil {
		return cycle.Fail(cycle.ENOTFOUND, "selection.not_unit", r.Proposal.Unit, unitKind(w.s.Province), w.s.Province.Name)
	}
	if c := w.s.ProposalsClosed; c != nil && !w.s.Consolidated {
		return cycle.Fail(cycle.ECONFLICT, "selection.closed_early", c.On.Vietnamese(), c.Reason)
	}
	if w.proposalsClosed() {
		return cycle.Fail(cycle.ECONFLICT, "selection.proposals_closed", w.s.Phase)
	}
	id := cycle.TaskID(cycle.TaskSubmitProposal, u.Unit)
	if !u.Submitted {
		if _, err := w.authorize(r.Request, id); err != nil {
			return err
		}
		return cycle.ValidateProposalIn(w.s.Province, w.in.Policy, w.s.Programme, r.Proposal)
	}
	// A revision: the same officer rules, before the due date only.
	if r.RequestID == "" {
		return cycle.Fail(cycle.EINVALID, "flow.request_id")
	}
	t := w.proposalTask(u.Unit)
	if err := cycle.Authorize(r.Actor, t); err != nil {
		return err
	}
	if w.late(ctx, t) {
		return cycle.Fail(cycle.ECONFLICT, "selection.late_revision", u.Name, u.Revision, t.Due.Vietnamese())
	}
	if w.book.Busy(id) {
		return cycle.Fail(cycle.ECONFLICT, "selection.recording", u.Name)
	}
	return cycle.ValidateProposalIn(w.s.Province, w.in.Policy, w.s.Programme, r.Proposal)
}

// proposalsClosed reports whether the secretariat has consolidated (or is
// consolidating) the list, after which no proposal is accepted.
func (w submitProposalUpdate) proposalsClosed() bool {
	return w.s.Consolidated || w.s.Returned > 0 || w.book.Busy(cycle.TaskID(cycle.TaskConsolidate, "")) ||
		(w.s.Phase != cycle.PhaseProposals && w.s.Phase != cycle.PhaseConsolidation)
}

// proposalTask is the submit-proposal task of a unit, open or not.
func (w submitProposalUpdate) proposalTask(unit string) cycle.Task {
	id := cycle.TaskID(cycle.TaskSubmitProposal, unit)
	if t, ok := w.book.Task(id); ok {
		return t
	}
	return cycle.Task{ID: id, CycleID: w.id, Kind: cycle.TaskSubmitProposal, Role: cycle.RoleDistrictOfficer, District: unit, Due: w.in.Policy.Calendar.ProposalsDue.In(w.in.Year)}
}

func (w submitProposalUpdate) handle(ctx workflow.Context, r SubmitProposalRequest) (SubmitProposalResult, error) {
	ctx = flow.WithActivityOptions(ctx)
	if res, ok := flow.Recall[SubmitProposalResult](&w.s.Ledger, string(cycle.TaskSubmitProposal), r.Request); ok {
		return res, nil
	}
	r.Proposal.Normalize()
	u := w.unit(r.Proposal.Unit)
	id := cycle.TaskID(cycle.TaskSubmitProposal, u.Unit)
	t := w.proposalTask(u.Unit)
	defer w.book.Begin(id)()
	rev := u.Revision + 1
	res := SubmitProposalResult{Unit: u.Unit, Revision: rev, Late: w.late(ctx, t), Proposed: len(r.Proposal.Proposed)}
	summary := flow.Says("event.proposal", u.Name, rev, res.Proposed)
	p := r.Proposal
	if err := w.complete(ctx, t, r.Request, summary.EN, func(c *cycle.Completion) { c.Proposal, c.Revision = &p, rev }); err != nil {
		return SubmitProposalResult{}, err
	}
	w.s.Proposals[u.Unit] = p
	u.Submitted, u.Revision, u.On, u.Late, u.Proposed = true, rev, cycle.DateOf(w.clock(ctx)), res.Late, res.Proposed
	w.finish(ctx, t, r.Request, res, summary)
	return res, nil
}

// --- consolidate -------------------------------------------------------------

func (w consolidateUpdate) validate(ctx workflow.Context, r ConsolidateRequest) error {
	if w.s.Ledger.Done(string(cycle.TaskConsolidate), r.Request) {
		return nil
	}
	if _, err := w.authorize(r.Request, cycle.TaskID(cycle.TaskConsolidate, "")); err != nil {
		return flow.AppError(err)
	}
	_, _, err := w.draftFor(r.Consolidation)
	return flow.AppError(err)
}

func (w consolidateUpdate) draftFor(c cycle.Consolidation) (cycle.SelectionResult, []cycle.ListedCommune, error) {
	sel := cycle.SelectIn(w.s.Province, w.in.Policy, w.proposals(), w.s.Programme)
	draft, err := cycle.Consolidate(w.s.Province, w.in.Policy, sel, c)
	if err == nil && len(draft) == 0 {
		err = cycle.Fail(cycle.EINVALID, "selection.empty_draft")
	}
	return sel, draft, err
}

func (w consolidateUpdate) handle(ctx workflow.Context, r ConsolidateRequest) (ConsolidateResult, error) {
	ctx = flow.WithActivityOptions(ctx)
	if res, ok := flow.Recall[ConsolidateResult](&w.s.Ledger, string(cycle.TaskConsolidate), r.Request); ok {
		return res, nil
	}
	t, end := w.begin(cycle.TaskConsolidate)
	defer end()
	_, draft, err := w.draftFor(r.Consolidation)
	if err != nil { // the validator ran on the same state; this is a guard
		return ConsolidateResult{}, flow.AppError(err)
	}
	var a *Activities
	var sel cycle.SelectionResult
	if err := workflow.ExecuteActivity(ctx, a.ApplySelectionRules, w.selectionInput(ctx)).Get(ctx, &sel); err != nil {
		return ConsolidateResult{}, err
	}
	summary := flow.Says("event.draft", len(draft), len(sel.Candidates), sel.EligibleCount(), sel.Cap)
	cons := r.Consolidation
	if err := w.complete(ctx, t, r.Request, summary.EN, func(c *cycle.Completion) { c.Consolidation, c.List = &cons, draft }); err != nil {
		return ConsolidateResult{}, err
	}
	// Units that never submitted: their tasks close now.
	for _, u := range w.s.Units {
		id := cycle.TaskID(cycle.TaskSubmitProposal, u.Unit)
		if _, open := w.book.Task(id); open && !u.Submitted {
			w.book.Close(id)
			cl := flow.TaskClosure{CycleID: w.id, TaskID: id, Reason: "not submitted before consolidation", At: w.clock(ctx)}
			var f *flow.Activities
			if err := workflow.ExecuteActivity(ctx, f.CloseTask, cl).Get(ctx, nil); err != nil {
				return ConsolidateResult{}, err
			}
			w.event(ctx, r.Actor.ID, flow.Says("event.no_proposal", u.Name))
		}
	}
	res := ConsolidateResult{Draft: draft, Selection: sel}
	w.s.Draft, w.s.Consolidated, w.s.Appraised = draft, true, false
	w.finish(ctx, t, r.Request, res, summary)
	return res, nil
}

// --- appraise ----------------------------------------------------------------

func (w appraiseUpdate) validate(ctx workflow.Context, r AppraiseRequest) error {
	if w.s.Ledger.Done(string(cycle.TaskAppraise), r.Request) {
		return nil
	}
	if _, err := w.authorize(r.Request, cycle.TaskID(cycle.TaskAppraise, "")); err != nil {
		return flow.AppError(err)
	}
	_, err := cycle.ApplyAppraisal(w.s.Draft, r.Appraisal)
	return flow.AppError(err)
}

func (w appraiseUpdate) handle(ctx workflow.Context, r AppraiseRequest) (AppraiseResult, error) {
	ctx = flow.WithActivityOptions(ctx)
	if res, ok := flow.Recall[AppraiseResult](&w.s.Ledger, string(cycle.TaskAppraise), r.Request); ok {
		return res, nil
	}
	t, end := w.begin(cycle.TaskAppraise)
	defer end()
	list, err := cycle.ApplyAppraisal(w.s.Draft, r.Appraisal)
	if err != nil {
		return AppraiseResult{}, flow.AppError(err)
	}
	res := AppraiseResult{Returned: !r.Appraisal.Approved}
	summary := flow.Says("event.approved", len(list), len(r.Appraisal.Removals))
	if res.Returned {
		summary = flow.Says("event.returned", r.Appraisal.Reason)
	} else {
		res.List = list
	}
	ap := r.Appraisal
	if err := w.complete(ctx, t, r.Request, summary.EN, func(c *cycle.Completion) { c.Appraisal, c.List = &ap, res.List }); err != nil {
		return AppraiseResult{}, err
	}
	if res.Returned {
		w.s.Returned++
		w.s.Consolidated = false
	} else {
		w.s.List, w.s.Appraised = list, true
	}
	w.finish(ctx, t, r.Request, res, summary)
	return res, nil
}

// --- sign ----------------------------------------------------------------------

func (w signUpdate) validate(ctx workflow.Context, r SignRequest) error {
	if err := w.validateTask(r.Request, cycle.TaskSign); err != nil || w.s.Ledger.Done(string(cycle.TaskSign), r.Request) {
		return err
	}
	return flow.AppError(w.checkSignature(r))
}

func (w signUpdate) handle(ctx workflow.Context, r SignRequest) (SignResult, error) {
	ctx = flow.WithActivityOptions(ctx)
	if res, ok := flow.Recall[SignResult](&w.s.Ledger, string(cycle.TaskSign), r.Request); ok {
		return res, nil
	}
	t, end := w.begin(cycle.TaskSign)
	defer end()
	res := SignResult{SignedAt: cycle.DateOf(w.clock(ctx)), Late: w.late(ctx, t)}
	summary := flow.Says("event.signed", r.Actor.ID, len(w.s.List))
	if r.Comment != "" {
		summary = summary.Plus(": ", flow.Said{EN: r.Comment, VI: r.Comment})
	}
	signed, err := w.embedSignature(ctx, r)
	if err != nil {
		return SignResult{}, err
	}
	if signed.EN != "" {
		summary = summary.Plus(" ", signed)
	}
	if err := w.complete(ctx, t, r.Request, summary.EN, nil); err != nil {
		return SignResult{}, err
	}
	w.s.Signed, w.s.SignedBy = true, r.Actor
	w.finish(ctx, t, r.Request, res, summary)
	return res, nil
}

// --- issue ---------------------------------------------------------------------

// validate refuses, besides a request the task does not allow, a
// decision whose required grounds are missing (the issuer's founding act,
// the province's plan for the year): it is not numbered. Validators do not
// run on replay, so cycles recorded before the check replay as they were.
func (w issueUpdate) validate(ctx workflow.Context, r IssueRequest) error {
	if err := w.validateTask(r.Request, cycle.TaskIssue); err != nil || w.s.Ledger.Done(string(cycle.TaskIssue), r.Request) {
		return err
	}
	_, probs := w.document(ctx, true)
	return flow.AppError(cycle.CheckGrounds(fmt.Sprintf("quyết định phê duyệt danh sách năm %d", w.in.Year), probs))
}

// issuePipeline is the change that made the clerk's issue sign, seal,
// archive and deliver the decision instead of only numbering and
// rendering it (IssueDecision). Cycles that issued before it replay on
// the old path.
const issuePipeline = "issue-sign-archive-deliver"

func (w issueUpdate) handle(ctx workflow.Context, r IssueRequest) (cycle.Decision, error) {
	ctx = flow.WithActivityOptions(ctx)
	if res, ok := flow.Recall[cycle.Decision](&w.s.Ledger, string(cycle.TaskIssue), r.Request); ok {
		return res, nil
	}
	t, end := w.begin(cycle.TaskIssue)
	defer end()
	c, _ := w.document(ctx, true)
	legacy := issuing.LegacyApprovalInput{DecisionID: w.id + "/approval", CycleID: w.id, Province: w.in.Province, Document: c,
		SignedBy: w.s.SignedBy, IssuedBy: r.Actor, At: w.clock(ctx)}
	job := issuing.Job{
		Decision: cycle.Decision{ID: legacy.DecisionID, CycleID: w.id, Kind: cycle.DocApproval, BodyKey: c.Issuer.BodyKey,
			Year: c.Date.Year, Date: c.Date, SignedBy: w.s.SignedBy, IssuedBy: r.Actor, IssuedAt: legacy.At, Communes: c.Listed()},
		Suffix: cycle.DocumentSuffix(cycle.DocApproval, c.Issuer), Content: c,
	}
	w.headJob(&job)
	var res issuing.Issued
	if workflow.GetVersion(ctx, issuePipeline, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		if err := workflow.ExecuteActivity(flow.WithDocumentOptions(ctx), "IssueDecision", legacy).Get(ctx, &res.Decision); err != nil {
			return cycle.Decision{}, err
		}
		d := res.Decision
		summary := flow.Says("event.issued", d.Code, d.Date.Vietnamese(), len(d.Communes))
		if err := w.complete(ctx, t, r.Request, summary.EN, nil); err != nil {
			return cycle.Decision{}, err
		}
		w.s.Decision = &d
		w.finish(ctx, t, r.Request, d, summary)
		return d, nil
	}
	res, err := issuing.Issue(ctx, job, "IssueDocument", legacy)
	if err != nil {
		return cycle.Decision{}, err
	}
	d := res.Decision
	summary := flow.Says("event.issued", d.Code, d.Date.Vietnamese(), len(d.Communes))
	if res.Signatures > 0 {
		summary = summary.Plus(", ", flow.Says("event.signed_sealed", res.Signatures))
	} else {
		summary = summary.Plus(", ", flow.Says("event.unsigned"))
	}
	if err := w.complete(ctx, t, r.Request, summary.EN, nil); err != nil {
		return cycle.Decision{}, err
	}
	w.s.Decision = &d
	w.finish(ctx, t, r.Request, d, summary)
	// Distribution goes on after the clerk has the decision: a slow mail
	// server must not hold the clerk's request. The cycle completes once
	// every delivery has settled.
	w.deliveries.Start(ctx, w.s.Issuer.Body, res, func(ctx workflow.Context, said flow.Said) {
		w.event(ctx, "", flow.Says("event.delivered", d.Code, said))
	})
	return d, nil
}

func unitKind(p cycle.Province) string {
	if p.TwoTier() {
		return "commune"
	}
	return "district"
}
