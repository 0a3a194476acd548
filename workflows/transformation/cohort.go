package transformation

import (
	"fmt"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/workflow"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/issuing"
)

// The cycle after its approval decision: the cohort's transformation
// years, year-end appraisals, follow-ups and recognitions (DOMAIN steps
// 6–8). The cycle starts one CommuneTransformation child per listed
// commune; each reports, and its verdicts come back as signals. For every
// programme year the council appraises the results (confirming or
// overriding each verdict with a written reason), the head signs, the
// clerk issues the continuation and responsibility notices and the yearly
// summary; each commune then hears its outcome. Passed communes form a
// recognition batch: when their follow-ups are in, the head signs and the
// clerk issues the recognition decision. Failed first-year communes come
// back the next year as a second programme year of the same cohort.

// Cycle is what a cohort needs of the yearly cycle that runs it: who the
// cycle is, and the cycle's own book of tasks, ledger, history and
// deliveries, which the cohort's steps share with the selection's.
type Cycle struct {
	ID        string
	Province  cycle.Province
	Issuer    cycle.Issuer
	Policy    cycle.Policy
	Year      int // the cycle's year: the cohort's first programme year
	Synthetic bool
	// List is the cycle's approved list (extensions included; they belong
	// to the cohort that first listed them).
	List []cycle.ListedCommune

	Book       *flow.TaskBook
	Ledger     *flow.Ledger
	Deliveries *issuing.Deliveries
	// Event adds a line to the cycle's history, dated on the cohort's calendar.
	Event func(ctx workflow.Context, actor string, s flow.Said)
	// Enter moves the cycle to a phase, opening its tasks first (open may
	// be nil), and records it.
	Enter func(ctx workflow.Context, p cycle.Phase, open func()) error
	// Phase is the cycle's phase, for messages.
	Phase func() cycle.Phase
}

// Cohort coordinates a cycle's cohort after its approval decision: it
// starts one CommuneTransformation child per listed commune, takes in
// their verdicts (signals), and for every programme year runs the
// council's appraisal, the head's signature and the clerk's notices and
// summary; passed communes form a recognition batch, recognised once
// their follow-ups are in. Its state (CohortState) is part of the cycle's
// state and travels with it through continue-as-new.
type Cohort struct {
	s *CohortState // nil until the transformation years start
	c *Cycle
	// signals are the communes' signals, once the cohort runs.
	signals workflow.ReceiveChannel
}

// NewCohort returns the cohort of a cycle, not started: its updates are
// refused until Start or Resume.
func NewCohort(c *Cycle) *Cohort { return &Cohort{c: c} }

// Start begins the transformation years after the approval decision,
// on a calendar sped up timeScale times (0: real time).
func (k *Cohort) Start(ctx workflow.Context, approval cycle.Decision, timeScale float64) {
	k.StartOn(ctx, approval, flow.NewClock(ctx, timeScale))
}

// StartOn begins the transformation years after the approval decision on
// the given calendar.
func (k *Cohort) StartOn(ctx workflow.Context, approval cycle.Decision, clock flow.Clock) {
	k.s = &CohortState{Clock: clock,
		Approval:         fmt.Sprintf("Quyết định số %s ngày %s", approval.Code, approval.Date.Vietnamese()),
		ApprovalDecision: &cycle.IssuedRef{Kind: "Quyết định", Code: approval.Code, Date: approval.Date, Issuer: k.c.Issuer.Decider()},
	}
}

// Resume continues from the state a previous run carried.
func (k *Cohort) Resume(s *CohortState) { k.s = s }

// Started reports whether the transformation years have started.
func (k *Cohort) Started() bool { return k.s != nil }

// Now is the cohort's calendar time (the workflow's before it starts).
func (k *Cohort) Now(ctx workflow.Context) time.Time {
	if k.s == nil {
		return workflow.Now(ctx)
	}
	return k.s.Clock.Now(ctx)
}

// now is the cohort's calendar date.
func (k *Cohort) now(ctx workflow.Context) cycle.Date { return cycle.DateOf(k.Now(ctx)) }

// Run runs the cohort's transformation years until every commune has its
// final outcome, or until the cycle's history has grown long (long: the
// server suggests continuing as new, or the history passed historyLimit
// events when it is set), which it reports with continueAsNew: the caller
// then waits for every handler and delivery to finish, takes in the
// signals still queued (Drain) and continues as new with the cohort's state.
func (k *Cohort) Run(ctx workflow.Context, historyLimit int) (continueAsNew bool, err error) {
	k.c.Book.Clock = k.s.Clock
	k.signals = workflow.GetSignalChannel(ctx, SignalCommune)
	workflow.Go(ctx, func(ctx workflow.Context) {
		for {
			var s CommuneSignal
			k.signals.Receive(ctx, &s)
			k.onCommune(s)
		}
	})
	if !k.s.Started {
		if err := k.startChildren(ctx); err != nil {
			return false, err
		}
	}
	planSteps{k}.run(ctx)
	for _, p := range k.s.Plan {
		if p.awaitsHead() {
			k.openReviewSign(ctx, p) // a new run of the cycle: the head's task again, in its book
		}
	}
	for _, b := range k.s.Batches {
		if !b.Done {
			k.runBatch(ctx, b)
		}
	}
	for {
		y := k.s.currentYear()
		if y == nil {
			break
		}
		if err := k.runYear(ctx, y); err != nil {
			return false, err
		}
		if historyLong(ctx, historyLimit) {
			return true, nil
		}
	}
	if err := workflow.Await(ctx, func() bool { return k.s.cohortClosed() }); err != nil {
		return false, err
	}
	if err := (planSteps{k}).close(ctx); err != nil {
		return false, err
	}
	if err := k.c.Enter(ctx, cycle.PhaseClosed, nil); err != nil {
		return false, err
	}
	k.c.Event(ctx, "", flow.Says("event.cohort_closed"))
	return false, nil
}

// Drain takes in the communes' signals still queued, before the cycle
// continues as new: the next run must not lose them.
func (k *Cohort) Drain() {
	for {
		var s CommuneSignal
		if !k.signals.ReceiveAsync(&s) {
			return
		}
		k.onCommune(s)
	}
}

// historyLong reports whether the run should continue as new: the server
// suggests it, or the history is past the limit when one is set.
func historyLong(ctx workflow.Context, limit int) bool {
	info := workflow.GetInfo(ctx)
	if limit > 0 {
		return info.GetCurrentHistoryLength() > limit
	}
	return info.GetContinueAsNewSuggested()
}

// startChildren starts one CommuneTransformation per commune of the
// cycle's own list (extensions belong to the cohort that first listed
// them). Children outlive a run of the cycle (continue-as-new): their
// parent-close policy is ABANDON, and they talk to the cycle by signals.
func (k *Cohort) startChildren(ctx workflow.Context) error {
	var futures []workflow.ChildWorkflowFuture
	first := &ProgrammeYear{Year: k.c.Year, YearNo: map[string]int{}, Verdicts: map[string]cycle.CommuneVerdict{}}
	for _, l := range k.c.List {
		if l.Extension {
			continue
		}
		c := CohortCommune{CommuneInProgramme: cycle.CommuneInProgramme{ListedCommune: l, FirstYear: k.c.Year, Year: k.c.Year, YearNo: 1,
			WorkflowID: WorkflowID(k.c.Province.Code, l.Commune, k.c.Year)}, Standing: cycle.StandingInProgramme}
		if rc, ok := k.c.Province.Commune(l.Commune); ok {
			c.Kind = rc.Kind
		}
		c.Unit, c.UnitName = l.District, l.DistrictName
		if c.Unit == "" {
			c.Unit, c.UnitName = l.Commune, l.Name
		}
		k.s.Communes = append(k.s.Communes, c)
		first.Communes = append(first.Communes, l.Commune)
		first.YearNo[l.Commune] = 1
		cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
			WorkflowID:            c.WorkflowID,
			WorkflowTaskTimeout:   flow.WorkflowTaskTimeout,
			ParentClosePolicy:     enumspb.PARENT_CLOSE_POLICY_ABANDON,
			WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		})
		futures = append(futures, workflow.ExecuteChildWorkflow(cctx, CommuneTransformation, CommuneInput{
			CycleID: k.c.ID, Province: k.c.Province.Code, ProvinceName: k.c.Province.Name, Commune: c.CommuneInProgramme,
			Unit: c.Unit, UnitName: c.UnitName, Policy: k.c.Policy, Clock: k.s.Clock, Synthetic: k.c.Synthetic,
			Born: CommuneChanges,
		}))
	}
	for i, f := range futures {
		if err := f.GetChildWorkflowExecution().Get(ctx, nil); err != nil {
			return fmt.Errorf("start the transformation of %s: %w", k.s.Communes[i].Name, err)
		}
	}
	k.s.Years = append(k.s.Years, first)
	k.s.Started = true
	k.c.Event(ctx, "", flow.Says("event.year_started", k.c.Year, len(first.Communes)))
	return k.c.Enter(ctx, cycle.PhaseTransformation, nil)
}

// onCommune takes in a commune's signal.
func (k *Cohort) onCommune(s CommuneSignal) {
	if c := k.s.cohortCommune(s.Commune); c != nil && s.Standing != "" {
		c.Standing = s.Standing
	}
	switch s.Kind {
	case CommuneVerdict:
		for _, y := range k.s.Years {
			if y.Year == s.Year && y.YearNo[s.Commune] > 0 {
				y.Verdicts[s.Commune] = s.Verdict
			}
		}
	case CommuneFollowUp:
		for _, b := range k.s.Batches {
			if b.Year == s.Year && contains(b.Communes, s.Commune) {
				b.Verdicts[s.Commune] = s.Verdict
			}
		}
	case CommuneClosed:
		if c := k.s.cohortCommune(s.Commune); c != nil {
			c.Closed = true
		}
	}
}

func (s *CohortState) cohortCommune(code string) *CohortCommune {
	for i := range s.Communes {
		if s.Communes[i].Commune == code {
			return &s.Communes[i]
		}
	}
	return nil
}

func (s *CohortState) cohortClosed() bool {
	for _, c := range s.Communes {
		if !c.Closed {
			return false
		}
	}
	for _, b := range s.Batches {
		if !b.Done {
			return false
		}
	}
	for _, p := range s.Plan {
		if p.awaitsHead() { // the conference's report is issued by the head's signature
			return false
		}
	}
	return true
}

// currentYear is the programme year not yet told its outcomes.
func (s *CohortState) currentYear() *ProgrammeYear {
	for _, y := range s.Years {
		if !y.Told {
			return y
		}
	}
	return nil
}

func (s *CohortState) yearOf(year int) *ProgrammeYear {
	for _, y := range s.Years {
		if y.Year == year {
			return y
		}
	}
	return nil
}

func (s *CohortState) batchOf(year int) *RecognitionBatch {
	for _, b := range s.Batches {
		if b.Year == year {
			return b
		}
	}
	return nil
}

// verdicts returns every commune's yearly verdict, in list order; a
// commune that sent no report fails every criterion "not reported".
func (k *Cohort) verdicts(y *ProgrammeYear) []cycle.CommuneVerdict {
	out := make([]cycle.CommuneVerdict, 0, len(y.Communes))
	for _, code := range y.Communes {
		if v, ok := y.Verdicts[code]; ok {
			out = append(out, v)
			continue
		}
		c := k.s.cohortCommune(code)
		cv := cycle.CommuneVerdict{Commune: c.CommuneInProgramme, Verdict: cycle.Verdict{
			Commune: code, Name: c.Name, Types: c.Types, Policy: k.c.Policy.ID, Outcome: cycle.OutcomeFail, Summary: "no yearly report",
		}}
		cv.Commune.Year, cv.Commune.YearNo = y.Year, y.YearNo[code]
		out = append(out, cv)
	}
	return out
}

// stepID is the ID of a step task of a programme year.
func stepID(kind cycle.TaskKind, year int) string { return fmt.Sprintf("%s/%d", kind, year) }

func (k *Cohort) openStep(ctx workflow.Context, kind cycle.TaskKind, year int, due cycle.Date, title string) {
	if today := k.now(ctx); due.Before(today) {
		due = today
	}
	k.c.Book.Open(ctx, cycle.Task{ID: stepID(kind, year), Kind: kind, Role: cycle.RoleFor(kind), Title: title, Due: due})
}

// runYear runs one programme year from its reports to its outcomes.
func (k *Cohort) runYear(ctx workflow.Context, y *ProgrammeYear) error {
	pol := k.c.Policy
	// The yearly reports, until all are in or their due date has passed.
	if _, err := k.s.Clock.AwaitUntil(ctx, pol.ReportDue(cycle.ReportYearly, y.Year).End(), func() bool { return len(y.Verdicts) == len(y.Communes) }); err != nil {
		return err
	}
	openCouncil := func() {
		k.openStep(ctx, cycle.TaskAppraiseResults, y.Year, pol.ResultsDue(y.Year),
			fmt.Sprintf("Thẩm định kết quả chuyển hóa năm %d của %d địa bàn", y.Year, len(y.Communes)))
	}
	if !y.Opened {
		if err := k.c.Enter(ctx, cycle.PhaseResults, openCouncil); err != nil {
			return err
		}
		y.Opened = true
	} else if y.Results == nil {
		openCouncil() // a new run of the cycle: the task again, in its book
	}
	if err := workflow.Await(ctx, func() bool { return y.Results != nil }); err != nil {
		return err
	}
	if !y.Signed {
		if y.Head == nil {
			if err := k.prepareResults(ctx, y, cycle.Actor{}); err != nil { // the head may still sign otherwise; an issue without a signature is refused
				workflow.GetLogger(ctx).Error("prepare the year's results for the head's signature", "cycle", k.c.ID, "year", y.Year, "error", err)
			}
		}
		k.openStep(ctx, cycle.TaskSignResults, y.Year, k.now(ctx).AddDays(cycle.SignDays),
			fmt.Sprintf("Ký kết luận kết quả chuyển hóa năm %d", y.Year))
		if err := workflow.Await(ctx, func() bool { return y.Signed }); err != nil {
			return err
		}
	}
	if !y.Issued && workflow.GetVersion(ctx, recipientsShown, workflow.DefaultVersion, 1) == 1 {
		docs, _ := issueResultsUpdate{cohortDocuments{k}}.contents(ctx, y.Year)
		u, err := k.unresolved(ctx, docs...)
		if err != nil { // only the form's warning is lost: the issue goes on
			workflow.GetLogger(ctx).Error("check the results' recipients", "cycle", k.c.ID, "year", y.Year, "error", err)
		}
		y.Unresolved = u
	}
	if !y.Issued {
		k.openStep(ctx, cycle.TaskIssueResults, y.Year, k.now(ctx).AddDays(cycle.IssueDays),
			fmt.Sprintf("Vào sổ, cấp số và ban hành thông báo, báo cáo kết quả chuyển hóa năm %d", y.Year))
		if err := workflow.Await(ctx, func() bool { return y.Issued }); err != nil {
			return err
		}
	}
	// What comes next for each commune: the next programme year and the
	// recognition batch exist before any commune hears its outcome.
	next := &ProgrammeYear{Year: y.Year + 1, YearNo: map[string]int{}, Verdicts: map[string]cycle.CommuneVerdict{}}
	batch := &RecognitionBatch{Year: y.Year, Verdicts: map[string]cycle.CommuneVerdict{}}
	for _, r := range y.Results {
		code := r.Commune.Commune
		switch {
		case r.Outcome == cycle.OutcomePass:
			batch.Communes = append(batch.Communes, code)
		case y.YearNo[code] < 2 && k.c.Policy.HasSecondYear(): // 004 §III.11: no second year
			next.Communes = append(next.Communes, code)
			next.YearNo[code] = 2
			if c := k.s.cohortCommune(code); c != nil {
				c.Year, c.YearNo, c.Extension = y.Year+1, 2, true
			}
		}
	}
	if len(next.Communes) > 0 {
		k.s.Years = append(k.s.Years, next)
	}
	if len(batch.Communes) > 0 {
		k.s.Batches = append(k.s.Batches, batch)
	}
	var futures []workflow.Future
	for _, r := range y.Results {
		o := YearOutcome{Year: y.Year, YearNo: y.YearNo[r.Commune.Commune], Outcome: r.Outcome, Reason: r.Reason, ReviewDate: y.SignedOn, Verdict: r.Verdict.Summary}
		futures = append(futures, workflow.SignalExternalWorkflow(ctx, r.Commune.WorkflowID, "", SignalYearOutcome, o))
	}
	for i, f := range futures {
		if err := f.Get(ctx, nil); err != nil {
			workflow.GetLogger(ctx).Error("tell a commune its outcome", "cycle", k.c.ID, "commune", y.Results[i].Commune.Commune, "error", err)
		}
	}
	y.Told = true
	if len(batch.Communes) > 0 {
		k.runBatch(ctx, batch)
	}
	k.c.Event(ctx, "", flow.Says("event.year_results", y.Year, len(batch.Communes), len(y.Results), len(next.Communes), y.Year+1))
	return k.c.Enter(ctx, cycle.PhaseFollowUp, nil)
}

// runBatch, in its own coroutine: once every follow-up of the batch is in,
// the council appraises them (appraiseBatch), the head signs and the clerk
// issues the recognition decision of the communes the council proposes;
// then each of them hears it.
func (k *Cohort) runBatch(ctx workflow.Context, b *RecognitionBatch) {
	workflow.Go(ctx, func(ctx workflow.Context) {
		if err := workflow.Await(ctx, func() bool { return len(b.Verdicts) == len(b.Communes) }); err != nil {
			return
		}
		if _, err := k.appraiseBatch(ctx, b); err != nil {
			return
		}
		held := k.s.held(b)
		if len(held) == 0 {
			b.Done = true
			k.c.Event(ctx, "", flow.Says("event.no_recognition", b.Year))
			return
		}
		if !b.Signed {
			if b.Head == nil {
				if err := k.prepareRecognition(ctx, b, cycle.Actor{}); err != nil { // the head may still sign otherwise; an issue without a signature is refused
					workflow.GetLogger(ctx).Error("prepare the recognition decision for the head's signature", "cycle", k.c.ID, "year", b.Year, "error", err)
				}
			}
			k.openStep(ctx, cycle.TaskSignRecognition, b.Year, k.now(ctx).AddDays(cycle.SignDays),
				fmt.Sprintf("Ký quyết định công nhận %d địa bàn chuyển hóa đạt năm %d", len(held), b.Year))
			if err := workflow.Await(ctx, func() bool { return b.Signed }); err != nil {
				return
			}
		}
		if b.Decision == nil && workflow.GetVersion(ctx, recipientsShown, workflow.DefaultVersion, 1) == 1 {
			doc, _ := issueRecognitionUpdate{cohortDocuments{k}}.recognition(ctx, b.Year)
			u, err := k.unresolved(ctx, doc)
			if err != nil { // only the form's warning is lost: the issue goes on
				workflow.GetLogger(ctx).Error("check the recognition's recipients", "cycle", k.c.ID, "year", b.Year, "error", err)
			}
			b.Unresolved = u
		}
		if b.Decision == nil {
			k.openStep(ctx, cycle.TaskIssueRecognition, b.Year, k.now(ctx).AddDays(cycle.IssueDays),
				fmt.Sprintf("Vào sổ, cấp số và ban hành quyết định công nhận địa bàn chuyển hóa đạt năm %d", b.Year))
			if err := workflow.Await(ctx, func() bool { return b.Decision != nil }); err != nil {
				return
			}
		}
		var futures []workflow.Future
		for _, code := range held {
			c := k.s.cohortCommune(code)
			futures = append(futures, workflow.SignalExternalWorkflow(ctx, c.WorkflowID, "", SignalRecognised, Recognised{Decision: b.Decision.Code, Date: b.Decision.Date}))
		}
		for i, f := range futures {
			if err := f.Get(ctx, nil); err != nil {
				workflow.GetLogger(ctx).Error("tell a commune its recognition", "cycle", k.c.ID, "commune", held[i], "document", b.Decision.Code, "error", err)
			}
		}
		b.Done = true
	})
}

// held returns the communes of a batch that the council proposes for
// recognition — before the council appraised follow-ups, those that still
// met the criteria at their follow-up —, in list order.
func (s *CohortState) held(b *RecognitionBatch) []string {
	var out []string
	if b.Results != nil {
		for _, r := range b.Results {
			if r.Outcome == cycle.OutcomePass {
				out = append(out, r.Commune.Commune)
			}
		}
		return out
	}
	for _, code := range b.Communes {
		if v, ok := b.Verdicts[code]; ok && v.Verdict.Outcome != cycle.OutcomeFail {
			out = append(out, code)
		}
	}
	return out
}

// SetCycle gives the cohort what the cycle learned after it was made:
// its registry, its issuer and its approved list.
func (k *Cohort) SetCycle(p cycle.Province, is cycle.Issuer, list []cycle.ListedCommune) {
	k.c.Province, k.c.Issuer, k.c.List = p, is, list
}

// recipientsShown is the change that checks, before the clerk's issue of a
// year's results or recognition, which recipients of its documents the
// worker's directory cannot reach, so that the issue form shows them.
const recipientsShown = "results-recipients-shown"

// unresolved lists the recipients of docs the delivery directory cannot
// reach, each once.
func (k *Cohort) unresolved(ctx workflow.Context, docs ...cycle.DocumentContent) ([]cycle.Unresolved, error) {
	var p *issuing.Activities
	var out []cycle.Unresolved
	seen := map[string]bool{}
	for _, d := range docs {
		var u []cycle.Unresolved
		if err := workflow.ExecuteActivity(ctx, p.CheckRecipients, d).Get(ctx, &u); err != nil {
			return nil, err
		}
		for _, x := range u {
			if !seen[x.Say()] {
				seen[x.Say()] = true
				out = append(out, x)
			}
		}
	}
	return out, nil
}
