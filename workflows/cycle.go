package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"chuyenhoa/activities"
	"chuyenhoa/cycle"
)

// activityOptions: store writes retry until the store is back (the cycle
// must not lose a completion because PostgreSQL restarted); domain errors
// are non-retryable by construction (see activities.wrap).
var activityOptions = workflow.ActivityOptions{
	StartToCloseTimeout: time.Minute,
	RetryPolicy: &temporal.RetryPolicy{
		InitialInterval:    time.Second,
		BackoffCoefficient: 2,
		MaximumInterval:    time.Minute,
	},
}

// errStarting refuses requests that arrive before the cycle has loaded its registry.
var errStarting = cycle.Errorf(cycle.ECONFLICT, "the cycle is starting (loading its registry); retry in a moment")

// yearly is the state of one YearlyCycle run.
type yearly struct {
	in       YearlyCycleInput
	id       string
	prov     cycle.Province
	issuer   cycle.Issuer
	phase    cycle.Phase
	units    []UnitStatus
	proposal map[string]cycle.Proposal // current revision per unit
	book     *taskBook                 // open tasks, their read model and alerts

	deliveries int            // issued documents whose distribution is still running
	results    map[string]any // request ID → result of a completed request

	consolidated bool
	appraised    bool
	returned     int
	signed       bool
	draft        []cycle.ListedCommune
	list         []cycle.ListedCommune
	signedBy     cycle.Actor
	draftPDF     string
	decision     *cycle.Decision
	events       []Event

	extensions []cycle.ListedCommune // second-year communes of earlier cohorts, listed in the decision
	tx         *TransformationState  // the cohort after the decision; nil before
}

// YearlyCycle runs one province's selection cycle for year Y (seed 000
// §II.4.a): district proposals → the secretariat's consolidation → the
// appraisal council → the head's signature → the clerk's issue of the
// decision approving the list. Officers complete tasks through updates
// (validated before anything is written); every task has a due date from
// the policy's calendar and raises reminders, an overdue notice and
// escalations that never block the cycle.
func YearlyCycle(ctx workflow.Context, in YearlyCycleInput) (cycle.Decision, error) {
	if err := in.Validate(); err != nil {
		return cycle.Decision{}, appError(err)
	}
	w := &yearly{
		in: in, id: workflow.GetInfo(ctx).WorkflowExecution.ID,
		proposal: map[string]cycle.Proposal{}, results: map[string]any{},
	}
	w.book = newTaskBook(w.id, in.Policy.Reminders, func(u string) string { return w.prov.UnitName(u) })
	ctx = workflow.WithActivityOptions(ctx, activityOptions)
	if err := workflow.SetQueryHandler(ctx, QueryState, func() (CycleState, error) { return w.state(ctx) }); err != nil {
		return cycle.Decision{}, err
	}
	// Handlers are registered in the first workflow task, so that an update
	// sent right after the start is not refused as unknown; until the
	// registry is loaded the validators refuse with "starting".
	if err := w.registerHandlers(ctx); err != nil {
		return cycle.Decision{}, err
	}
	if r := in.Resume; r != nil {
		// A new run of a cycle in its transformation years.
		w.prov, w.issuer, w.phase, w.list, w.events = r.Province, r.Issuer, r.Phase, r.List, r.Events
		d, tx := r.Decision, r.Transformation
		w.decision, w.tx = &d, &tx
		for _, u := range w.prov.Units() {
			w.units = append(w.units, UnitStatus{Unit: u, Name: w.prov.UnitName(u), Submitted: true})
		}
		w.in.Resume = nil
		return w.transform(ctx)
	}
	var a *activities.Activities
	var snap activities.ProvinceSnapshot
	if err := workflow.ExecuteActivity(ctx, a.LoadProvince, in.Province).Get(ctx, &snap); err != nil {
		return cycle.Decision{}, err
	}
	w.prov, w.issuer = snap.Province, snap.Issuer
	for _, u := range w.prov.Units() {
		w.units = append(w.units, UnitStatus{Unit: u, Name: w.prov.UnitName(u)})
	}
	info := cycle.CycleInfo{ID: w.id, Province: in.Province, Year: in.Year, Policy: in.Policy, StartedBy: in.StartedBy, StartedAt: workflow.Now(ctx), Synthetic: in.Synthetic}
	if err := workflow.ExecuteActivity(ctx, a.OpenCycle, info).Get(ctx, nil); err != nil {
		return cycle.Decision{}, err
	}
	w.event(ctx, in.StartedBy.ID, fmt.Sprintf("cycle %d opened for %s under policy %s", in.Year, w.prov.Name, in.Policy.ID))

	// Proposals, until every unit has submitted or the deadline has passed.
	if err := w.enter(ctx, cycle.PhaseProposals, func() {
		for _, u := range w.units {
			w.openTask(ctx, cycle.TaskSubmitProposal, u.Unit, "Gửi đề xuất địa bàn chuyển hóa năm "+fmt.Sprint(in.Year)+" — "+u.Name)
		}
	}); err != nil {
		return cycle.Decision{}, err
	}
	if d := in.Policy.Calendar.ProposalsDue.In(in.Year).End().Sub(workflow.Now(ctx)); d > 0 {
		if _, err := workflow.AwaitWithTimeout(ctx, d, w.allSubmitted); err != nil {
			return cycle.Decision{}, err
		}
	}

	// Consolidation and appraisal, again while the council returns the list.
	for {
		if err := w.enter(ctx, cycle.PhaseConsolidation, func() {
			w.openTask(ctx, cycle.TaskConsolidate, "", fmt.Sprintf("Tổng hợp, lựa chọn danh sách địa bàn chuyển hóa năm %d", in.Year))
		}); err != nil {
			return cycle.Decision{}, err
		}
		// The verdicts so far, in the read model for the secretariat.
		if err := workflow.ExecuteActivity(ctx, a.ApplySelectionRules, w.selectionInput(ctx)).Get(ctx, nil); err != nil {
			return cycle.Decision{}, err
		}
		if err := workflow.Await(ctx, func() bool { return w.consolidated }); err != nil {
			return cycle.Decision{}, err
		}
		if err := w.enter(ctx, cycle.PhaseAppraisal, func() {
			w.openTask(ctx, cycle.TaskAppraise, "", fmt.Sprintf("Thẩm định danh sách %d địa bàn đề nghị chuyển hóa năm %d", len(w.draft), in.Year))
		}); err != nil {
			return cycle.Decision{}, err
		}
		if err := workflow.Await(ctx, func() bool { return w.appraised || !w.consolidated }); err != nil {
			return cycle.Decision{}, err
		}
		if w.appraised {
			break
		}
	}

	// Signing: the head sees the draft decision and signs it.
	if err := w.enter(ctx, cycle.PhaseSigning, func() {
		w.openTask(ctx, cycle.TaskSign, "", fmt.Sprintf("Ký quyết định phê duyệt danh sách %d địa bàn chuyển hóa năm %d", len(w.list), in.Year))
	}); err != nil {
		return cycle.Decision{}, err
	}
	if workflow.GetVersion(ctx, listExtensions, workflow.DefaultVersion, 1) == 1 {
		var t *activities.TransformActivities
		if err := workflow.ExecuteActivity(ctx, t.TransformExtensions, activities.ExtensionsInput{Province: in.Province, Year: in.Year}).Get(ctx, &w.extensions); err != nil {
			return cycle.Decision{}, err
		}
	}
	draft := activities.DraftInput{CycleID: w.id, Province: in.Province, Document: w.document(ctx, false)}
	if err := workflow.ExecuteActivity(ctx, a.RenderDraft, draft).Get(ctx, &w.draftPDF); err != nil {
		return cycle.Decision{}, err
	}
	if err := workflow.Await(ctx, func() bool { return w.signed }); err != nil {
		return cycle.Decision{}, err
	}

	// Issue: the clerk numbers, dates and issues it.
	if err := w.enter(ctx, cycle.PhaseIssue, func() {
		w.openTask(ctx, cycle.TaskIssue, "", fmt.Sprintf("Vào sổ, cấp số và ban hành quyết định phê duyệt năm %d", in.Year))
	}); err != nil {
		return cycle.Decision{}, err
	}
	if err := workflow.Await(ctx, func() bool { return w.decision != nil }); err != nil {
		return cycle.Decision{}, err
	}
	if err := w.enter(ctx, cycle.PhaseIssued, nil); err != nil {
		return cycle.Decision{}, err
	}
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) && w.deliveries == 0 }); err != nil {
		return cycle.Decision{}, err
	}
	if in.StopAtDecision || workflow.GetVersion(ctx, transformationYear, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return *w.decision, nil
	}
	w.tx = &TransformationState{Clock: NewClock(ctx, in.TimeScale),
		Approval: fmt.Sprintf("Quyết định số %s ngày %s", w.decision.Code, w.decision.Date.Vietnamese())}
	return w.transform(ctx)
}

// enter moves the cycle to phase p and opens its tasks at once (before
// anything blocks, so that a query or an update never sees the phase
// without its tasks), then records the phase in the store.
func (w *yearly) enter(ctx workflow.Context, p cycle.Phase, open func()) error {
	w.phase = p
	if open != nil {
		open()
	}
	var a *activities.Activities
	return workflow.ExecuteActivity(ctx, a.SetPhase, activities.PhaseChange{CycleID: w.id, Phase: p, At: workflow.Now(ctx)}).Get(ctx, nil)
}

func (w *yearly) event(ctx workflow.Context, actor, summary string) {
	w.events = append(w.events, Event{At: w.now(ctx), Actor: actor, Summary: summary})
}

func (w *yearly) allSubmitted() bool {
	for _, u := range w.units {
		if !u.Submitted {
			return false
		}
	}
	return true
}

// proposals returns the current revision of every submitted proposal, in unit order.
func (w *yearly) proposals() []cycle.Proposal {
	var out []cycle.Proposal
	for _, u := range w.units {
		if p, ok := w.proposal[u.Unit]; ok {
			out = append(out, p)
		}
	}
	return out
}

func (w *yearly) selectionInput(ctx workflow.Context) activities.SelectionInput {
	return activities.SelectionInput{CycleID: w.id, Province: w.prov, Policy: w.in.Policy, Proposals: w.proposals(), At: workflow.Now(ctx)}
}

func (w *yearly) document(ctx workflow.Context, signed bool) activities.ApprovalDocument {
	d := activities.ApprovalDocument{
		Issuer: w.issuer, Date: cycle.DateOf(workflow.Now(ctx)), Year: w.in.Year, ProvinceName: w.prov.Name,
		Communes: append(append([]cycle.ListedCommune(nil), w.list...), w.extensions...), Signed: signed, Synthetic: w.in.Synthetic,
		PeriodFrom: w.in.Policy.Calendar.StatisticsFrom.In(w.in.Year), PeriodTo: w.in.Policy.Calendar.StatisticsTo.In(w.in.Year),
	}
	if spec, ok := w.in.Policy.Document(cycle.DocumentKindApproval); ok {
		d.Grounds, d.Recipients = spec.Grounds, spec.Recipients
	}
	return d
}

// openTask opens a task of the cycle, due on the policy's calendar (see taskBook.open).
func (w *yearly) openTask(ctx workflow.Context, kind cycle.TaskKind, unit, title string) {
	w.book.open(ctx, cycle.Task{
		ID: cycle.TaskID(kind, unit), Kind: kind, Role: cycle.RoleFor(kind), District: unit, Title: title,
		Due: w.in.Policy.Calendar.Due(kind, w.in.Year),
	})
}

// task returns the open task with the given ID.
func (w *yearly) task(id string) (cycle.Task, bool) { return w.book.task(id) }

// closeTask removes a task from the open list and stops its reminders.
func (w *yearly) closeTask(id string) { w.book.close(id) }

// authorize checks, for a validator, that the request is well formed and
// that its actor may complete the open task id now.
func (w *yearly) authorize(r Request, id string) (cycle.Task, error) {
	if w.phase == "" {
		return cycle.Task{}, errStarting
	}
	if r.RequestID == "" {
		return cycle.Task{}, cycle.Errorf(cycle.EINVALID, "request_id is required, so that a retried request is not applied twice")
	}
	t, ok := w.task(id)
	if !ok {
		return cycle.Task{}, cycle.Errorf(cycle.ECONFLICT, "task %s is not open: the cycle is in phase %s", id, w.phase)
	}
	if err := cycle.Authorize(r.Actor, t); err != nil {
		return cycle.Task{}, err
	}
	if w.book.busy[id] {
		return cycle.Task{}, cycle.Errorf(cycle.ECONFLICT, "task %s is being completed by another request", id)
	}
	return t, nil
}

// instant is the cycle's calendar time: the transformation years' clock
// once they have started, the workflow's time before.
func (w *yearly) instant(ctx workflow.Context) time.Time {
	if w.tx != nil {
		return w.tx.Clock.Now(ctx)
	}
	return workflow.Now(ctx)
}

func (w *yearly) late(ctx workflow.Context, t cycle.Task) bool {
	return !w.instant(ctx).Before(t.Due.End())
}

func (w *yearly) complete(ctx workflow.Context, t cycle.Task, r Request, summary string, fill func(*cycle.Completion)) error {
	c := cycle.Completion{CycleID: w.id, TaskID: t.ID, Kind: t.Kind, Actor: r.Actor, RequestID: r.RequestID, At: w.instant(ctx), Late: w.late(ctx, t), Summary: summary}
	if fill != nil {
		fill(&c)
	}
	var a *activities.Activities
	return workflow.ExecuteActivity(ctx, a.CompleteTask, c).Get(ctx, nil)
}

func (w *yearly) state(ctx workflow.Context) (CycleState, error) {
	s := CycleState{
		CycleID: w.id, Province: w.in.Province, ProvinceName: w.prov.Name, Year: w.in.Year, PolicyID: w.in.Policy.ID,
		Phase: w.phase, Today: cycle.DateOf(workflow.Now(ctx)), Units: append([]UnitStatus(nil), w.units...),
		OpenTasks: w.book.list(), Draft: w.draft, List: w.list, Returns: w.returned,
		DraftPDF: w.draftPDF, Decision: w.decision, Events: append([]Event(nil), w.events...),
		Transformation: w.transformationState(),
	}
	if w.tx != nil {
		s.Today = w.tx.Clock.Today(ctx)
	}
	return s, nil
}
