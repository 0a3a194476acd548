package selection

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/workflow"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/issuing"
	"chuyenhoa/workflows/transformation"
)

// errStarting refuses requests that arrive before the cycle has loaded its registry.
var errStarting = cycle.Fail(cycle.ECONFLICT, "flow.starting")

// State is a YearlyCycle's state: everything a run knows, carried whole
// into the next run when the cycle continues as new (YearlyCycleInput.Resume).
// Its JSON keeps the names of the state runs carried before it existed
// (province, issuer, phase, list, decision, events, transformation).
type State struct {
	Province     cycle.Province            `json:"province"`
	Issuer       cycle.Issuer              `json:"issuer"`
	Phase        cycle.Phase               `json:"phase"`
	Units        []UnitStatus              `json:"units,omitempty"`
	Proposals    map[string]cycle.Proposal `json:"proposals,omitempty"` // current revision per unit
	Consolidated bool                      `json:"consolidated,omitempty"`
	// ProposalsClosed is the secretariat's closing of the proposals before
	// their due date; nil while they are open until then.
	ProposalsClosed *Closure              `json:"proposals_closed,omitempty"`
	Appraised       bool                  `json:"appraised,omitempty"`
	Returned        int                   `json:"returned,omitempty"`
	Signed          bool                  `json:"signed,omitempty"`
	SignedBy        cycle.Actor           `json:"signed_by,omitempty"`
	Draft           []cycle.ListedCommune `json:"draft,omitempty"`
	List            []cycle.ListedCommune `json:"list"`
	// Extensions are the second-year communes of earlier cohorts, listed
	// in the decision.
	Extensions  []cycle.ListedCommune `json:"extensions,omitempty"`
	DraftSHA256 string                `json:"draft_sha256,omitempty"`
	// Unresolved are the draft decision's recipients the directory cannot reach.
	Unresolved []cycle.Unresolved `json:"unresolved,omitempty"`
	Decision   *cycle.Decision    `json:"decision"`
	Events     []flow.Event       `json:"events"`
	Ledger     flow.Ledger        `json:"ledger"`
	// Tasks are the open tasks. A new run opens them again through its own
	// steps (their alerts are coroutines, which a continue-as-new ends), so
	// it starts from none; see resume.
	Tasks flow.Tasks `json:"tasks"`
	// Transformation is the cohort after the approval decision; nil before.
	Transformation *transformation.CohortState `json:"transformation,omitempty"`
	// Head is the approval decision prepared for the head's signature
	// made elsewhere, and HeadSigned that signature once verified; nil
	// when the head signs otherwise.
	Head       *issuing.PendingSignature `json:"head,omitempty"`
	HeadSigned *issuing.HeadSigned       `json:"head_signed,omitempty"`
	// Programme is the province's programme as the store had it when the
	// cycle opened, read again at each consolidation (the clean lists);
	// nil for cycles started before the change "clean-lists".
	Programme *cycle.Programme `json:"programme,omitempty"`
	// Selecting is set in the state a run carries when it continued as
	// new while waiting for the proposals; nil otherwise.
	Selecting *Selecting `json:"selecting,omitempty"`
}

// yearly is one run of YearlyCycle.
type yearly struct {
	in         YearlyCycleInput
	id         string
	s          State
	book       *flow.TaskBook     // the open tasks, their read model and alerts
	deliveries issuing.Deliveries // issued documents whose distribution is still running
	cohort     *transformation.Cohort
	// demoDates: the selection reads the input's DemoCalendar (the
	// demoCalendar change).
	demoDates bool
	// ledgerAtStart is the number of requests the ledger held when the
	// run started (see selectionLong).
	ledgerAtStart int
	// preparing: the approval decision is being prepared for the head's
	// signature made elsewhere (external.go); prepared: the sign step's
	// preparation is over (whichever way the head signs).
	preparing, prepared bool
}

// YearlyCycle runs one province's selection cycle for year Y (seed 000
// §II.4.a): district proposals → the secretariat's consolidation → the
// appraisal council → the head's signature → the clerk's issue of the
// decision approving the list; then the cohort's transformation years
// (package transformation). Officers complete tasks through updates
// (validated before anything is written); every task has a due date from
// the policy's calendar and raises reminders, an overdue notice and
// escalations that never block the cycle.
func YearlyCycle(ctx workflow.Context, in YearlyCycleInput) (cycle.Decision, error) {
	if err := in.Validate(); err != nil {
		return cycle.Decision{}, flow.AppError(err)
	}
	w := &yearly{in: in, id: workflow.GetInfo(ctx).WorkflowExecution.ID}
	if in.Resume != nil {
		w.resume(*in.Resume)
	} else if in.DemoCalendar != nil {
		w.demoDates = workflow.GetVersion(ctx, demoCalendar, workflow.DefaultVersion, 1) == 1
	}
	if w.s.Proposals == nil {
		w.s.Proposals = map[string]cycle.Proposal{}
	}
	w.ledgerAtStart = len(w.s.Ledger.Results)
	w.book = flow.NewTaskBook(&w.s.Tasks, w.id, in.Policy.Reminders, func(u string) string { return w.s.Province.UnitName(u) })
	w.cohort = transformation.NewCohort(&transformation.Cycle{
		ID: w.id, Policy: in.Policy, Year: in.Year, Synthetic: in.Synthetic,
		Book: w.book, Ledger: &w.s.Ledger, Deliveries: &w.deliveries,
		Event: w.event, Enter: w.enter, Phase: func() cycle.Phase { return w.s.Phase },
	})
	ctx = flow.WithActivityOptions(ctx)
	if err := workflow.SetQueryHandler(ctx, QueryState, func() (CycleState, error) { return w.state(ctx), nil }); err != nil {
		return cycle.Decision{}, err
	}
	// A new run of a cycle still waiting for its proposals opens again the
	// proposal tasks still open before it registers its handlers (the
	// change reopenBeforeHandlers): a proposal sent while the run before
	// was continuing as new reaches this run with its first workflow task
	// and is validated as soon as the handlers are registered.
	sel := w.s.Selecting
	reopened := false
	if in.Resume != nil && sel != nil && workflow.GetVersion(ctx, reopenBeforeHandlers, workflow.DefaultVersion, 1) == 1 {
		w.demoDates = sel.DemoDates
		w.reopenProposals(ctx)
		reopened = true
	}
	// Handlers are registered in the first workflow task, so that an update
	// sent right after the start is not refused as unknown; until the
	// registry is loaded the validators refuse with "starting".
	if err := w.registerHandlers(ctx); err != nil {
		return cycle.Decision{}, err
	}
	if err := w.cohort.RegisterUpdates(ctx); err != nil {
		return cycle.Decision{}, err
	}
	if in.Resume != nil {
		w.in.Resume = nil
		if sel != nil {
			// A new run of a cycle still waiting for its proposals.
			w.s.Selecting, w.demoDates = nil, sel.DemoDates
			if !reopened {
				w.reopenProposals(ctx)
			}
			return w.selectList(ctx, true)
		}
		// A new run of a cycle in its transformation years.
		w.cohort.Resume(w.s.Transformation)
		return w.transform(ctx)
	}
	var a *Activities
	var snap ProvinceSnapshot
	if err := workflow.ExecuteActivity(ctx, a.LoadProvince, in.Province).Get(ctx, &snap); err != nil {
		return cycle.Decision{}, err
	}
	w.s.Province, w.s.Issuer = snap.Province, snap.Issuer
	for _, u := range w.s.Province.Units() {
		w.s.Units = append(w.s.Units, UnitStatus{Unit: u, Name: w.s.Province.UnitName(u)})
	}
	info := cycle.CycleInfo{ID: w.id, Province: in.Province, Year: in.Year, Policy: in.Policy, StartedBy: in.StartedBy, StartedAt: w.clock(ctx), Synthetic: in.Synthetic}
	if err := workflow.ExecuteActivity(ctx, a.OpenCycle, info).Get(ctx, nil); err != nil {
		return cycle.Decision{}, err
	}
	w.event(ctx, in.StartedBy.ID, flow.Says("event.cycle_opened", in.Year, w.s.Province.Name, in.Policy.ID))
	if workflow.GetVersion(ctx, cleanLists, workflow.DefaultVersion, 1) == 1 {
		if err := w.loadProgramme(ctx); err != nil {
			return cycle.Decision{}, err
		}
	}

	// Proposals, until every unit has submitted or the deadline has passed.
	if err := w.enter(ctx, cycle.PhaseProposals, func() {
		for _, u := range w.s.Units {
			w.openTask(ctx, cycle.TaskSubmitProposal, u.Unit, w.proposalTitle(u))
		}
	}); err != nil {
		return cycle.Decision{}, err
	}
	return w.selectList(ctx, workflow.GetVersion(ctx, selectionRuns, workflow.DefaultVersion, 1) == 1)
}

// selectionRuns is the change that lets a cycle continue as new while it
// waits for its proposals, once its history has grown long (a province of
// a thousand units submits a thousand proposals): the new run carries the
// whole state, request ledger included, and opens again the proposal
// tasks still open. Cycles started before it wait in one run.
const selectionRuns = "selection-runs"

// reopenBeforeHandlers is the change from which a new run of a cycle
// waiting for its proposals opens its proposal tasks again before it
// registers its update handlers; before it, a proposal handed to the new
// run with its first workflow task was refused as not open.
const reopenBeforeHandlers = "reopen-before-handlers"

// reopenProposals opens again, in a new run, the proposal tasks of the
// units that have not submitted.
func (w *yearly) reopenProposals(ctx workflow.Context) {
	for _, u := range w.s.Units {
		if !u.Submitted {
			w.openTask(ctx, cycle.TaskSubmitProposal, u.Unit, w.proposalTitle(u))
		}
	}
}

// selectionHistoryLimit is the history length past which a cycle waiting
// for its proposals continues as new (when its input sets no lower
// HistoryLimit): below the server's suggestion at 4,096 events, with room
// for the requests still being handled and the continue-as-new itself.
const selectionHistoryLimit = 3000

// Selecting is carried in a run's state when the cycle continued as new
// during its selection (the change selection-runs).
type Selecting struct {
	// DemoDates is the run's answer to the change demoCalendar.
	DemoDates bool `json:"demo_dates,omitempty"`
}

// proposalTitle is the title of a unit's proposal task.
func (w *yearly) proposalTitle(u UnitStatus) string {
	return "Gửi đề xuất địa bàn chuyển hóa năm " + fmt.Sprint(w.in.Year) + " — " + u.Name
}

// selectionLong reports whether a cycle waiting for its proposals should
// continue as new (see selectionRuns).
func (w *yearly) selectionLong(ctx workflow.Context) bool {
	if len(w.s.Ledger.Results) == w.ledgerAtStart {
		return false // a run that has handled no request yet goes on: no run without progress
	}
	limit := selectionHistoryLimit
	if w.in.HistoryLimit > 0 {
		limit = min(limit, w.in.HistoryLimit)
	}
	info := workflow.GetInfo(ctx)
	return info.GetContinueAsNewSuggested() || info.GetCurrentHistoryLength() > limit
}

// selectList waits for the proposals, then runs the rest of the selection
// — consolidation, appraisal, signature, issue — and the transformation
// years. With runs (the change selectionRuns) it continues as new while
// waiting once the history is long.
func (w *yearly) selectList(ctx workflow.Context, runs bool) (cycle.Decision, error) {
	in := w.in
	var a *Activities
	done := func() bool { return w.allSubmitted() || w.s.ProposalsClosed != nil }
	if d := in.Policy.Calendar.ProposalsDue.In(in.Year).End().Sub(w.clock(ctx)); d > 0 {
		cond := done
		if runs {
			cond = func() bool { return done() || w.selectionLong(ctx) }
		}
		ok, err := workflow.AwaitWithTimeout(ctx, d, cond)
		if err != nil {
			return cycle.Decision{}, err
		}
		if ok && !done() {
			return w.continueSelection(ctx)
		}
	}

	// Consolidation and appraisal, again while the council returns the list.
	for {
		if err := w.enter(ctx, cycle.PhaseConsolidation, func() {
			w.openTask(ctx, cycle.TaskConsolidate, "", fmt.Sprintf("Tổng hợp, lựa chọn danh sách địa bàn chuyển hóa năm %d", in.Year))
		}); err != nil {
			return cycle.Decision{}, err
		}
		if w.s.Programme != nil {
			// Recognitions and second years decided since the cycle opened.
			if err := w.loadProgramme(ctx); err != nil {
				return cycle.Decision{}, err
			}
		}
		// The verdicts so far, in the read model for the secretariat.
		if err := workflow.ExecuteActivity(ctx, a.ApplySelectionRules, w.selectionInput(ctx)).Get(ctx, nil); err != nil {
			return cycle.Decision{}, err
		}
		if err := workflow.Await(ctx, func() bool { return w.s.Consolidated }); err != nil {
			return cycle.Decision{}, err
		}
		if err := w.enter(ctx, cycle.PhaseAppraisal, func() {
			w.openTask(ctx, cycle.TaskAppraise, "", fmt.Sprintf("Thẩm định danh sách %d địa bàn đề nghị chuyển hóa năm %d", len(w.s.Draft), in.Year))
		}); err != nil {
			return cycle.Decision{}, err
		}
		if err := workflow.Await(ctx, func() bool { return w.s.Appraised || !w.s.Consolidated }); err != nil {
			return cycle.Decision{}, err
		}
		if w.s.Appraised {
			break
		}
	}

	// Signing: the head sees the draft decision and signs it.
	if err := w.enter(ctx, cycle.PhaseSigning, func() {
		w.openTask(ctx, cycle.TaskSign, "", fmt.Sprintf("Ký quyết định phê duyệt danh sách %d địa bàn chuyển hóa năm %d", len(w.s.List), in.Year))
	}); err != nil {
		return cycle.Decision{}, err
	}
	if workflow.GetVersion(ctx, listExtensions, workflow.DefaultVersion, 1) == 1 {
		var t *transformation.Activities
		if err := workflow.ExecuteActivity(ctx, t.TransformExtensions, transformation.ExtensionsInput{Province: in.Province, Year: in.Year}).Get(ctx, &w.s.Extensions); err != nil {
			return cycle.Decision{}, err
		}
	}
	if w.s.Programme != nil {
		// A commune continuing into its second year has its workflow
		// already: it is not started again as a new one.
		var only []cycle.ListedCommune
		for _, l := range cycle.ListOnce(w.s.List, w.s.Extensions) {
			if !l.Extension {
				only = append(only, l)
			}
		}
		w.s.List = only
	}
	var p *issuing.Activities
	doc, _ := w.document(ctx, false) // a draft shows what it has; the issue refuses what it lacks
	draft := issuing.DraftInput{CycleID: w.id, Province: in.Province, Document: doc}
	if err := workflow.ExecuteActivity(flow.WithDocumentOptions(ctx), p.RenderDraft, draft).Get(ctx, &w.s.DraftSHA256); err != nil {
		return cycle.Decision{}, err
	}
	if workflow.GetVersion(ctx, recipientsShown, workflow.DefaultVersion, 1) == 1 {
		if err := workflow.ExecuteActivity(ctx, p.CheckRecipients, doc).Get(ctx, &w.s.Unresolved); err != nil {
			return cycle.Decision{}, err
		}
	}
	if err := w.prepareHead(ctx, cycle.Actor{}); err != nil {
		return cycle.Decision{}, err
	}
	w.prepared = true
	if err := workflow.Await(ctx, func() bool { return w.s.Signed }); err != nil {
		return cycle.Decision{}, err
	}

	// Issue: the clerk numbers, dates and issues it.
	if err := w.enter(ctx, cycle.PhaseIssue, func() {
		w.openTask(ctx, cycle.TaskIssue, "", fmt.Sprintf("Vào sổ, cấp số và ban hành quyết định phê duyệt năm %d", in.Year))
	}); err != nil {
		return cycle.Decision{}, err
	}
	if err := workflow.Await(ctx, func() bool { return w.s.Decision != nil }); err != nil {
		return cycle.Decision{}, err
	}
	if err := w.enter(ctx, cycle.PhaseIssued, nil); err != nil {
		return cycle.Decision{}, err
	}
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) && w.deliveries.Settled() }); err != nil {
		return cycle.Decision{}, err
	}
	if in.StopAtDecision || workflow.GetVersion(ctx, transformationYear, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return *w.s.Decision, nil
	}
	switch {
	case in.IdleScale > 0 && in.TimeScale > 1 && workflow.GetVersion(ctx, piecewiseClock, workflow.DefaultVersion, 1) == 1:
		w.cohort.StartOn(ctx, *w.s.Decision, transformation.NewPiecewiseClock(ctx, in.Policy, in.Year, w.clock(ctx), in.TransformationOpens, in.TimeScale, in.IdleScale))
	case w.demoDates:
		w.cohort.StartOn(ctx, *w.s.Decision, flow.NewClockAt(ctx, in.TimeScale, w.clock(ctx)))
	default:
		w.cohort.Start(ctx, *w.s.Decision, in.TimeScale)
	}
	return w.transform(ctx)
}

// transformationYear is the change that made a cycle go on after its
// approval decision into the transformation year. Cycles whose decision
// was issued before it end there.
const transformationYear = "transformation-year"

// listExtensions is the change that lists, in a year's approval decision,
// the communes continuing into their second year.
const listExtensions = "list-extensions"

// cleanLists is the change that checks proposals against the programme
// (a commune in it, or recognised within the policy's window, is refused
// with its standing and decision), counts second-year communes against the
// cap as the policy says, and lists each second-year commune once in the
// approval decision. Cycles started before it run without a programme.
const cleanLists = "clean-lists"

// loadProgramme reads the province's programme for the cycle's year.
func (w *yearly) loadProgramme(ctx workflow.Context) error {
	var a *Activities
	var prog cycle.Programme
	if err := workflow.ExecuteActivity(ctx, a.LoadProgramme, ProgrammeInput{Province: w.in.Province, Year: w.in.Year}).Get(ctx, &prog); err != nil {
		return err
	}
	w.s.Programme = &prog
	return nil
}

// recipientsShown is the change that checks, once the draft decision is
// rendered, which of its recipients the worker's directory cannot reach,
// so that the head's and the clerk's forms show them before the issue.
const recipientsShown = "recipients-shown"

// piecewiseClock is the change that runs a demonstration's transformation
// years on a piecewise calendar when its input sets IdleScale: slow while
// the policy's dates have tasks open, fast in between. Cycles started
// without one never reach it.
const piecewiseClock = "piecewise-clock"

// demoCalendar is the change that dates a demonstration's selection on the
// input's DemoCalendar. Cycles started without one never reach it.
const demoCalendar = "demo-calendar"

// maxCarriedEvents bounds the events a new run carries.
const maxCarriedEvents = 200

// resume takes the state a previous run carried. Runs recorded before the
// state was carried whole sent only its province, issuer, phase, list,
// decision, events and cohort: their units had all submitted.
func (w *yearly) resume(s State) {
	w.s = s
	w.s.Tasks = flow.Tasks{}
	if len(w.s.Units) == 0 {
		for _, u := range w.s.Province.Units() {
			w.s.Units = append(w.s.Units, UnitStatus{Unit: u, Name: w.s.Province.UnitName(u), Submitted: true})
		}
	}
}

// transform runs the cohort's transformation years, continuing as new
// with the whole state when the history has grown long.
func (w *yearly) transform(ctx workflow.Context) (cycle.Decision, error) {
	w.s.Transformation = nil // the cohort keeps it; state() reads it from there
	w.cohort.SetCycle(w.s.Province, w.s.Issuer, w.s.List)
	again, err := w.cohort.Run(ctx, w.in.HistoryLimit)
	if err != nil {
		return cycle.Decision{}, err
	}
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) && w.deliveries.Settled() }); err != nil {
		return cycle.Decision{}, err
	}
	if !again {
		return *w.s.Decision, nil
	}
	w.cohort.Drain()
	next := w.in
	s := w.carried(ctx)
	s.Transformation = w.cohort.State()
	next.Resume = &s
	return cycle.Decision{}, workflow.NewContinueAsNewError(ctx, YearlyCycle, next)
}

// carried is the state a new run of the cycle continues from: the last
// events, and one saying the cycle continued.
func (w *yearly) carried(ctx workflow.Context) State {
	s := w.s
	if len(s.Events) > maxCarriedEvents {
		s.Events = s.Events[len(s.Events)-maxCarriedEvents:]
	}
	s.Events = append(append([]flow.Event(nil), s.Events...), flow.NewEvent(w.now(ctx), "",
		flow.Says("event.continued", workflow.GetInfo(ctx).GetCurrentHistoryLength())))
	return s
}

// continueSelection continues the cycle as new while it waits for its
// proposals, once the requests being handled are done: the next run gets
// the whole state (units, proposals, request ledger, the last events) and
// opens again the proposal tasks still open.
func (w *yearly) continueSelection(ctx workflow.Context) (cycle.Decision, error) {
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) && w.deliveries.Settled() }); err != nil {
		return cycle.Decision{}, err
	}
	next := w.in
	s := w.carried(ctx)
	s.Selecting = &Selecting{DemoDates: w.demoDates}
	next.Resume = &s
	return cycle.Decision{}, workflow.NewContinueAsNewError(ctx, YearlyCycle, next)
}

// enter moves the cycle to phase p and opens its tasks at once (before
// anything blocks, so that a query or an update never sees the phase
// without its tasks), then records the phase in the store.
func (w *yearly) enter(ctx workflow.Context, p cycle.Phase, open func()) error {
	w.s.Phase = p
	if open != nil {
		open()
	}
	var a *Activities
	return workflow.ExecuteActivity(flow.WithActivityOptions(ctx), a.SetPhase, PhaseChange{CycleID: w.id, Phase: p, At: w.clock(ctx)}).Get(ctx, nil)
}

// now is the cycle's calendar date: the transformation years' clock once
// they have started, the selection's before.
func (w *yearly) now(ctx workflow.Context) cycle.Date { return cycle.DateOf(w.calendar(ctx)) }

// calendar is the cycle's calendar time: the transformation years' clock
// once they have started, the selection's before.
func (w *yearly) calendar(ctx workflow.Context) time.Time {
	if w.cohort.Started() {
		return w.cohort.Now(ctx)
	}
	return w.clock(ctx)
}

// clock is the selection's calendar time: the workflow's, or in a
// demonstration the date its DemoCalendar gives the current phase at the
// real time of day.
func (w *yearly) clock(ctx workflow.Context) time.Time {
	now := workflow.Now(ctx)
	if !w.demoDates {
		return now
	}
	d, ok := w.in.DemoCalendar.date(w.s.Phase)
	if !ok {
		return now
	}
	return d.Start().Add(now.Sub(cycle.DateOf(now).Start()))
}

func (w *yearly) event(ctx workflow.Context, actor string, s flow.Said) {
	w.s.Events = append(w.s.Events, flow.NewEvent(w.now(ctx), actor, s))
}

func (w *yearly) allSubmitted() bool {
	for _, u := range w.s.Units {
		if !u.Submitted {
			return false
		}
	}
	return true
}

// proposals returns the current revision of every submitted proposal, in unit order.
func (w *yearly) proposals() []cycle.Proposal {
	var out []cycle.Proposal
	for _, u := range w.s.Units {
		if p, ok := w.s.Proposals[u.Unit]; ok {
			out = append(out, p)
		}
	}
	return out
}

func (w *yearly) selectionInput(ctx workflow.Context) SelectionInput {
	return SelectionInput{CycleID: w.id, Province: w.s.Province, Policy: w.in.Policy, Proposals: w.proposals(), At: w.clock(ctx), Programme: w.s.Programme}
}

// document is the approval decision's content — its grounds, periods,
// distribution and signer from the policy and the issuer
// (cycle.PrepareDocument) — and the required grounds it lacks; the issue
// fills in its number. Signed, it is signed by whoever signed it.
func (w *yearly) document(ctx workflow.Context, signed bool) (cycle.DocumentContent, []cycle.Problem) {
	d := cycle.DocumentContent{
		Kind: cycle.DocApproval, Issuer: w.s.Issuer, Date: cycle.DateOf(w.clock(ctx)), Year: w.in.Year, ProvinceName: w.s.Province.Name,
		Signed: signed, Synthetic: w.in.Synthetic, Province: w.s.Province.Code, TwoTier: w.s.Province.TwoTier(),
	}
	listed := append(append([]cycle.ListedCommune(nil), w.s.List...), w.s.Extensions...)
	if w.s.Programme != nil {
		listed = cycle.ListOnce(w.s.List, w.s.Extensions)
	}
	for _, l := range listed {
		d.Communes = append(d.Communes, cycle.DocumentCommune{ListedCommune: l})
	}
	if spec, ok := w.in.Policy.Document(cycle.DocumentKindApproval); ok {
		d.Recipients = spec.Recipients
	}
	var signer *cycle.Actor
	if signed {
		signer = &w.s.SignedBy
	}
	probs := cycle.PrepareDocument(&d, w.in.Policy, signer)
	return d, probs
}

// openTask opens a task of the cycle, due on the policy's calendar.
func (w *yearly) openTask(ctx workflow.Context, kind cycle.TaskKind, unit, title string) {
	w.book.Open(ctx, cycle.Task{
		ID: cycle.TaskID(kind, unit), Kind: kind, Role: cycle.RoleFor(kind), District: unit, Title: title,
		Due: w.in.Policy.Calendar.Due(kind, w.in.Year),
	})
}

// authorize checks, for a validator, that the request is well formed and
// that its actor may complete the open task id now.
func (w *yearly) authorize(r flow.Request, id string) (cycle.Task, error) {
	if w.s.Phase == "" {
		return cycle.Task{}, errStarting
	}
	return w.book.Authorize(r, id, func() error {
		return cycle.Fail(cycle.ECONFLICT, "flow.not_open_phase", cycle.TaskRef(id), w.s.Phase)
	})
}

func (w *yearly) late(ctx workflow.Context, t cycle.Task) bool {
	return !w.calendar(ctx).Before(t.Due.End())
}

func (w *yearly) state(ctx workflow.Context) CycleState {
	return CycleState{
		CycleID: w.id, Province: w.in.Province, ProvinceName: w.s.Province.Name, Year: w.in.Year, PolicyID: w.in.Policy.ID,
		Phase: w.s.Phase, Today: w.now(ctx), Units: append([]UnitStatus(nil), w.s.Units...),
		OpenTasks: w.book.List(), Draft: w.s.Draft, List: w.s.List, Returns: w.s.Returned,
		DraftSHA256: w.s.DraftSHA256, Unresolved: w.s.Unresolved, Decision: w.s.Decision, Events: append([]flow.Event(nil), w.s.Events...), ProposalsClosed: w.s.ProposalsClosed,
		Transformation: w.cohort.State(), HeadSignature: w.s.Head, HeadSigned: w.s.HeadSigned,
		PreparingSignature: w.preparing || w.s.Phase == cycle.PhaseSigning && !w.prepared && !w.s.Signed,
	}
}
