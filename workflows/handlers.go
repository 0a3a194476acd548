package workflows

import (
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"chuyenhoa/activities"
	"chuyenhoa/cycle"
)

// registerHandlers installs the updates and the selection query. Each
// update has a validator: a rejected update writes nothing, not even to the
// workflow's history, and the caller gets the error with its problems.
func (w *yearly) registerHandlers(ctx workflow.Context) error {
	if err := workflow.SetQueryHandler(ctx, QuerySelection, func() (cycle.SelectionResult, error) {
		if w.phase == "" {
			return cycle.SelectionResult{}, errStarting
		}
		return cycle.Select(w.prov, w.in.Policy, w.proposals()), nil
	}); err != nil {
		return err
	}
	if err := registerUpdates(ctx, []updateHandler{
		{UpdateSubmitProposal, w.submitProposal, w.validateSubmitProposal},
		{UpdateConsolidate, w.consolidate, w.validateConsolidate},
		{UpdateAppraise, w.appraise, w.validateAppraise},
		{UpdateSign, w.sign, w.validateSign},
		{UpdateIssue, w.issue, w.validateIssue},
		{UpdateAppraiseResults, w.appraiseResults, w.validateAppraiseResults},
		{UpdateSignResults, w.signStep(UpdateSignResults, cycle.TaskSignResults, "results", func(year int, by cycle.Actor, on cycle.Date) {
			y := w.yearOf(year)
			y.Signed, y.SignedBy, y.SignedOn = true, by, on
		}), w.validateYearStep(UpdateSignResults, cycle.TaskSignResults)},
		{UpdateIssueResults, w.issueResults, w.validateYearStep(UpdateIssueResults, cycle.TaskIssueResults)},
		{UpdateSignRecognition, w.signStep(UpdateSignRecognition, cycle.TaskSignRecognition, "recognition decision", func(year int, by cycle.Actor, on cycle.Date) {
			b := w.batchOf(year)
			b.Signed, b.SignedBy, b.SignedOn = true, by, on
		}), w.validateYearStep(UpdateSignRecognition, cycle.TaskSignRecognition)},
		{UpdateIssueRecognition, w.issueRecognition, w.validateYearStep(UpdateIssueRecognition, cycle.TaskIssueRecognition)},
	}); err != nil {
		return err
	}
	return nil
}

// done reports whether a request was already completed; its result is then returned again.
func (w *yearly) done(kind string, r Request) bool {
	_, ok := w.results[requestKey(kind, r)]
	return ok && r.RequestID != ""
}

func (w *yearly) unit(code string) *UnitStatus {
	for i := range w.units {
		if w.units[i].Unit == code {
			return &w.units[i]
		}
	}
	return nil
}

// begin marks a task as being completed, so that a concurrent request is
// refused, and returns it with the function that clears the mark.
func (w *yearly) begin(kind cycle.TaskKind) (cycle.Task, func()) {
	t, _ := w.task(cycle.TaskID(kind, ""))
	t.ID, t.Kind = cycle.TaskID(kind, ""), kind
	w.book.busy[t.ID] = true
	return t, func() { delete(w.book.busy, t.ID) }
}

// finish records a completed request: its task closes, its result is kept
// for retries of the same request, and the cycle's history says what happened.
func (w *yearly) finish(ctx workflow.Context, t cycle.Task, r Request, result any, summary string) {
	w.closeTask(t.ID)
	w.results[requestKey(string(t.Kind), r)] = result
	w.event(ctx, r.Actor.ID, summary)
}

// validateTask is the validator of the tasks whose only check is who may complete them.
func (w *yearly) validateTask(r Request, kind cycle.TaskKind) error {
	if w.done(string(kind), r) {
		return nil
	}
	_, err := w.authorize(r, cycle.TaskID(kind, ""))
	return appError(err)
}

// --- submit proposal -------------------------------------------------------

func (w *yearly) validateSubmitProposal(ctx workflow.Context, r SubmitProposalRequest) error {
	if w.done(string(cycle.TaskSubmitProposal), r.Request) {
		return nil
	}
	return appError(w.checkSubmitProposal(ctx, r))
}

func (w *yearly) checkSubmitProposal(ctx workflow.Context, r SubmitProposalRequest) error {
	if w.phase == "" {
		return errStarting
	}
	r.Proposal.Normalize()
	u := w.unit(r.Proposal.Unit)
	if u == nil {
		return cycle.Errorf(cycle.ENOTFOUND, "unit %q is not a %s of %s", r.Proposal.Unit, unitKind(w.prov), w.prov.Name)
	}
	if w.proposalsClosed() {
		return cycle.Errorf(cycle.ECONFLICT, "proposals are closed: the secretariat has consolidated the list (phase %s)", w.phase)
	}
	id := cycle.TaskID(cycle.TaskSubmitProposal, u.Unit)
	if !u.Submitted {
		if _, err := w.authorize(r.Request, id); err != nil {
			return err
		}
		return cycle.ValidateProposal(w.prov, w.in.Policy, r.Proposal)
	}
	// A revision: the same officer rules, before the due date only.
	if r.RequestID == "" {
		return cycle.Errorf(cycle.EINVALID, "request_id is required, so that a retried request is not applied twice")
	}
	t := w.proposalTask(u.Unit)
	if err := cycle.Authorize(r.Actor, t); err != nil {
		return err
	}
	if w.late(ctx, t) {
		return cycle.Errorf(cycle.ECONFLICT, "%s already submitted revision %d; a revision after the due date %s is refused — ask the secretariat", u.Name, u.Revision, t.Due.Vietnamese())
	}
	if w.book.busy[id] {
		return cycle.Errorf(cycle.ECONFLICT, "a submission for %s is being recorded; retry in a moment", u.Name)
	}
	return cycle.ValidateProposal(w.prov, w.in.Policy, r.Proposal)
}

// proposalsClosed reports whether the secretariat has consolidated (or is
// consolidating) the list, after which no proposal is accepted.
func (w *yearly) proposalsClosed() bool {
	return w.consolidated || w.returned > 0 || w.book.busy[cycle.TaskID(cycle.TaskConsolidate, "")] ||
		(w.phase != cycle.PhaseProposals && w.phase != cycle.PhaseConsolidation)
}

// proposalTask is the submit-proposal task of a unit, open or not.
func (w *yearly) proposalTask(unit string) cycle.Task {
	id := cycle.TaskID(cycle.TaskSubmitProposal, unit)
	if t, ok := w.task(id); ok {
		return t
	}
	return cycle.Task{ID: id, CycleID: w.id, Kind: cycle.TaskSubmitProposal, Role: cycle.RoleDistrictOfficer, District: unit, Due: w.in.Policy.Calendar.ProposalsDue.In(w.in.Year)}
}

func (w *yearly) submitProposal(ctx workflow.Context, r SubmitProposalRequest) (SubmitProposalResult, error) {
	ctx = workflow.WithActivityOptions(ctx, activityOptions)
	if w.done(string(cycle.TaskSubmitProposal), r.Request) {
		return w.results[requestKey(string(cycle.TaskSubmitProposal), r.Request)].(SubmitProposalResult), nil
	}
	r.Proposal.Normalize()
	u := w.unit(r.Proposal.Unit)
	id := cycle.TaskID(cycle.TaskSubmitProposal, u.Unit)
	t := w.proposalTask(u.Unit)
	w.book.busy[id] = true
	defer delete(w.book.busy, id)
	rev := u.Revision + 1
	res := SubmitProposalResult{Unit: u.Unit, Revision: rev, Late: w.late(ctx, t), Proposed: len(r.Proposal.Proposed)}
	summary := fmt.Sprintf("%s: proposal revision %d, %d communes proposed", u.Name, rev, res.Proposed)
	p := r.Proposal
	if err := w.complete(ctx, t, r.Request, summary, func(c *cycle.Completion) { c.Proposal, c.Revision = &p, rev }); err != nil {
		return SubmitProposalResult{}, err
	}
	w.proposal[u.Unit] = p
	u.Submitted, u.Revision, u.On, u.Late, u.Proposed = true, rev, cycle.DateOf(workflow.Now(ctx)), res.Late, res.Proposed
	w.finish(ctx, t, r.Request, res, summary)
	return res, nil
}

// --- consolidate -------------------------------------------------------------

func (w *yearly) validateConsolidate(ctx workflow.Context, r ConsolidateRequest) error {
	if w.done(string(cycle.TaskConsolidate), r.Request) {
		return nil
	}
	if _, err := w.authorize(r.Request, cycle.TaskID(cycle.TaskConsolidate, "")); err != nil {
		return appError(err)
	}
	_, _, err := w.draftFor(r.Consolidation)
	return appError(err)
}

func (w *yearly) draftFor(c cycle.Consolidation) (cycle.SelectionResult, []cycle.ListedCommune, error) {
	sel := cycle.Select(w.prov, w.in.Policy, w.proposals())
	draft, err := cycle.Consolidate(w.prov, w.in.Policy, sel, c)
	if err == nil && len(draft) == 0 {
		err = cycle.Errorf(cycle.EINVALID, "the draft list is empty: no proposed commune is eligible or kept")
	}
	return sel, draft, err
}

func (w *yearly) consolidate(ctx workflow.Context, r ConsolidateRequest) (ConsolidateResult, error) {
	ctx = workflow.WithActivityOptions(ctx, activityOptions)
	if w.done(string(cycle.TaskConsolidate), r.Request) {
		return w.results[requestKey(string(cycle.TaskConsolidate), r.Request)].(ConsolidateResult), nil
	}
	t, end := w.begin(cycle.TaskConsolidate)
	defer end()
	_, draft, err := w.draftFor(r.Consolidation)
	if err != nil { // the validator ran on the same state; this is a guard
		return ConsolidateResult{}, appError(err)
	}
	var a *activities.Activities
	var sel cycle.SelectionResult
	if err := workflow.ExecuteActivity(ctx, a.ApplySelectionRules, w.selectionInput(ctx)).Get(ctx, &sel); err != nil {
		return ConsolidateResult{}, err
	}
	summary := fmt.Sprintf("draft list of %d communes from %d proposed (%d eligible, cap %d)", len(draft), len(sel.Candidates), sel.EligibleCount(), sel.Cap)
	cons := r.Consolidation
	if err := w.complete(ctx, t, r.Request, summary, func(c *cycle.Completion) { c.Consolidation, c.List = &cons, draft }); err != nil {
		return ConsolidateResult{}, err
	}
	// Units that never submitted: their tasks close now.
	for _, u := range w.units {
		id := cycle.TaskID(cycle.TaskSubmitProposal, u.Unit)
		if _, open := w.task(id); open && !u.Submitted {
			w.closeTask(id)
			cl := activities.TaskClosure{CycleID: w.id, TaskID: id, Reason: "not submitted before consolidation", At: workflow.Now(ctx)}
			if err := workflow.ExecuteActivity(ctx, a.CloseTask, cl).Get(ctx, nil); err != nil {
				return ConsolidateResult{}, err
			}
			w.event(ctx, r.Actor.ID, u.Name+" did not submit a proposal")
		}
	}
	res := ConsolidateResult{Draft: draft, Selection: sel}
	w.draft, w.consolidated, w.appraised = draft, true, false
	w.finish(ctx, t, r.Request, res, summary)
	return res, nil
}

// --- appraise ----------------------------------------------------------------

func (w *yearly) validateAppraise(ctx workflow.Context, r AppraiseRequest) error {
	if w.done(string(cycle.TaskAppraise), r.Request) {
		return nil
	}
	if _, err := w.authorize(r.Request, cycle.TaskID(cycle.TaskAppraise, "")); err != nil {
		return appError(err)
	}
	_, err := cycle.ApplyAppraisal(w.draft, r.Appraisal)
	return appError(err)
}

func (w *yearly) appraise(ctx workflow.Context, r AppraiseRequest) (AppraiseResult, error) {
	ctx = workflow.WithActivityOptions(ctx, activityOptions)
	if w.done(string(cycle.TaskAppraise), r.Request) {
		return w.results[requestKey(string(cycle.TaskAppraise), r.Request)].(AppraiseResult), nil
	}
	t, end := w.begin(cycle.TaskAppraise)
	defer end()
	list, err := cycle.ApplyAppraisal(w.draft, r.Appraisal)
	if err != nil {
		return AppraiseResult{}, appError(err)
	}
	res := AppraiseResult{Returned: !r.Appraisal.Approved}
	summary := fmt.Sprintf("council approved a list of %d communes (%d removed)", len(list), len(r.Appraisal.Removals))
	if res.Returned {
		summary = "council returned the list to the secretariat: " + r.Appraisal.Reason
	} else {
		res.List = list
	}
	ap := r.Appraisal
	if err := w.complete(ctx, t, r.Request, summary, func(c *cycle.Completion) { c.Appraisal, c.List = &ap, res.List }); err != nil {
		return AppraiseResult{}, err
	}
	if res.Returned {
		w.returned++
		w.consolidated = false
	} else {
		w.list, w.appraised = list, true
	}
	w.finish(ctx, t, r.Request, res, summary)
	return res, nil
}

// --- sign ----------------------------------------------------------------------

func (w *yearly) validateSign(ctx workflow.Context, r SignRequest) error {
	return w.validateTask(r.Request, cycle.TaskSign)
}

func (w *yearly) sign(ctx workflow.Context, r SignRequest) (SignResult, error) {
	ctx = workflow.WithActivityOptions(ctx, activityOptions)
	if w.done(string(cycle.TaskSign), r.Request) {
		return w.results[requestKey(string(cycle.TaskSign), r.Request)].(SignResult), nil
	}
	t, end := w.begin(cycle.TaskSign)
	defer end()
	res := SignResult{SignedAt: cycle.DateOf(workflow.Now(ctx)), Late: w.late(ctx, t)}
	summary := fmt.Sprintf("%s signed the decision approving %d communes", r.Actor.ID, len(w.list))
	if r.Comment != "" {
		summary += ": " + r.Comment
	}
	if err := w.complete(ctx, t, r.Request, summary, nil); err != nil {
		return SignResult{}, err
	}
	w.signed, w.signedBy = true, r.Actor
	w.finish(ctx, t, r.Request, res, summary)
	return res, nil
}

// --- issue ---------------------------------------------------------------------

func (w *yearly) validateIssue(ctx workflow.Context, r IssueRequest) error {
	return w.validateTask(r.Request, cycle.TaskIssue)
}

// issuePipeline is the change that made the clerk's issue sign, seal,
// archive and deliver the decision (IssueDocument, DeliverDocument) instead
// of only numbering and rendering it (IssueDecision). Cycles that issued
// before it replay on the old path.
const issuePipeline = "issue-sign-archive-deliver"

// DeliveryWindow is how long a delivery keeps trying while the recipient's
// server is down: long enough to ride out a mail outage over a holiday.
// Meanwhile its record in the store says failed, with the last error and
// the number of attempts, and the clerk sees it; past the window it fails
// for good.
const DeliveryWindow = 10 * 24 * time.Hour

// deliveryOptions queue a delivery while its server is down: attempts back
// off from 5 seconds to one every 10 minutes for DeliveryWindow (about
// 1,450 attempts; the attempt cap is only a backstop above that). The
// message goes out on the first attempt after the server is back
// (DeliverDocument sends at most once).
var deliveryOptions = workflow.ActivityOptions{
	StartToCloseTimeout:    2 * time.Minute,
	ScheduleToCloseTimeout: DeliveryWindow,
	RetryPolicy: &temporal.RetryPolicy{
		InitialInterval:    5 * time.Second,
		BackoffCoefficient: 2,
		MaximumInterval:    10 * time.Minute,
		MaximumAttempts:    2000,
	},
}

func (w *yearly) issue(ctx workflow.Context, r IssueRequest) (cycle.Decision, error) {
	ctx = workflow.WithActivityOptions(ctx, activityOptions)
	if w.done(string(cycle.TaskIssue), r.Request) {
		return w.results[requestKey(string(cycle.TaskIssue), r.Request)].(cycle.Decision), nil
	}
	t, end := w.begin(cycle.TaskIssue)
	defer end()
	var a *activities.Activities
	in := activities.IssueInput{
		DecisionID: w.id + "/approval", CycleID: w.id, Province: w.in.Province, Document: w.document(ctx, true),
		SignedBy: w.signedBy, IssuedBy: r.Actor, At: workflow.Now(ctx),
	}
	var d cycle.Decision
	var summary string
	if workflow.GetVersion(ctx, issuePipeline, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		if err := workflow.ExecuteActivity(ctx, a.IssueDecision, in).Get(ctx, &d); err != nil {
			return cycle.Decision{}, err
		}
		summary = fmt.Sprintf("decision %s issued on %s approving %d communes", d.Code, d.Date.Vietnamese(), len(d.Communes))
	} else {
		var res activities.IssuedDocument
		if err := workflow.ExecuteActivity(ctx, a.IssueDocument, in).Get(ctx, &res); err != nil {
			return cycle.Decision{}, err
		}
		d = res.Decision
		summary = fmt.Sprintf("decision %s issued on %s approving %d communes", d.Code, d.Date.Vietnamese(), len(d.Communes))
		if res.Signatures > 0 {
			summary += fmt.Sprintf(", signed and sealed (%d signatures)", res.Signatures)
		} else {
			summary += ", unsigned (no signing keys configured)"
		}
		if err := w.complete(ctx, t, r.Request, summary, nil); err != nil {
			return cycle.Decision{}, err
		}
		w.decision = &d
		w.finish(ctx, t, r.Request, d, summary)
		// Distribution goes on after the clerk has the decision: a slow mail
		// server must not hold the clerk's request. The cycle completes
		// once every delivery has settled.
		w.deliveries++
		workflow.Go(ctx, func(ctx workflow.Context) {
			defer func() { w.deliveries-- }()
			w.event(ctx, "", fmt.Sprintf("decision %s: %s", d.Code, deliverIssued(ctx, w.issuer.Body, res)))
		})
		return d, nil
	}
	if err := w.complete(ctx, t, r.Request, summary, nil); err != nil {
		return cycle.Decision{}, err
	}
	w.decision = &d
	w.finish(ctx, t, r.Request, d, summary)
	return d, nil
}

// deliverIssued sends an issued document to every planned recipient at
// once and says how it went. A delivery that fails for good does not undo
// the issue: its record in the store says why.
func deliverIssued(ctx workflow.Context, sender string, res activities.IssuedDocument) string {
	if len(res.Deliveries) == 0 {
		return "no recipient to deliver to"
	}
	ctx = workflow.WithActivityOptions(ctx, deliveryOptions)
	var a *activities.Activities
	futures := make([]workflow.Future, len(res.Deliveries))
	for i, t := range res.Deliveries {
		in := activities.DeliverInput{DocumentID: res.Decision.ID, Code: res.Decision.Code, Subject: res.Subject, Sender: sender, Target: t}
		futures[i] = workflow.ExecuteActivity(ctx, a.DeliverDocument, in)
	}
	sent := 0
	var failed []string
	for i, f := range futures {
		var dr activities.DeliverResult
		if err := f.Get(ctx, &dr); err != nil {
			failed = append(failed, res.Deliveries[i].Key)
			workflow.GetLogger(ctx).Error("delivery failed", "cycle", res.Decision.CycleID, "document", res.Decision.Code,
				"to", res.Deliveries[i].Key, "channel", res.Deliveries[i].Channel, "error", err)
			continue
		}
		sent++
	}
	s := fmt.Sprintf("delivered to %d of %d recipients", sent, len(res.Deliveries))
	if len(failed) > 0 {
		s += fmt.Sprintf(" (not delivered: %s)", strings.Join(failed, ", "))
	}
	return s
}

func unitKind(p cycle.Province) string {
	if p.TwoTier() {
		return "commune"
	}
	return "district"
}
