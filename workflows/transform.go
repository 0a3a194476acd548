package workflows

import (
	"fmt"
	"strings"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/workflow"

	"chuyenhoa/activities"
	"chuyenhoa/cycle"
	"chuyenhoa/templates"
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

// transformationYear is the change that made a cycle go on after its
// approval decision into the transformation year. Cycles whose decision
// was issued before it end there.
const transformationYear = "transformation-year"

// listExtensions is the change that lists, in a year's approval decision,
// the communes continuing into their second year.
const listExtensions = "list-extensions"

// Update names of the cycle's transformation years.
const (
	UpdateAppraiseResults  = "appraise-results"  // council chair: AppraiseResultsRequest → []cycle.CommuneResult
	UpdateSignResults      = "sign-results"      // signer: YearRequest → SignResult
	UpdateIssueResults     = "issue-results"     // clerk: YearRequest → []cycle.Decision
	UpdateSignRecognition  = "sign-recognition"  // signer: YearRequest → SignResult
	UpdateIssueRecognition = "issue-recognition" // clerk: YearRequest → cycle.Decision
)

// YearRequest completes a step of a programme year (signing, issuing).
type YearRequest struct {
	Request
	Year int `json:"year"`
}

// AppraiseResultsRequest is the council's year-end appraisal.
type AppraiseResultsRequest struct {
	Request
	Year      int                    `json:"year"`
	Appraisal cycle.ResultsAppraisal `json:"appraisal"`
}

// TransformationState is the cohort after its approval decision: what the
// state query shows and what a new run of the cycle continues from.
type TransformationState struct {
	Clock    Clock               `json:"clock"`
	Approval string              `json:"approval"` // "Quyết định số 1/QĐ-BCĐ ngày 21/01/2027"
	Communes []CohortCommune     `json:"communes"`
	Years    []*ProgrammeYear    `json:"years"`
	Batches  []*RecognitionBatch `json:"batches,omitempty"`
	Started  bool                `json:"started"` // the children are started
}

// CohortCommune is one commune of the cohort.
type CohortCommune struct {
	cycle.CommuneInProgramme
	Unit     string         `json:"unit"`
	UnitName string         `json:"unit_name"`
	Standing cycle.Standing `json:"standing"`
	Closed   bool           `json:"closed,omitempty"`
}

// ProgrammeYear is one programme year of the cohort and its appraisal.
type ProgrammeYear struct {
	Year      int                             `json:"year"`
	Communes  []string                        `json:"communes"`
	YearNo    map[string]int                  `json:"year_no"`
	Verdicts  map[string]cycle.CommuneVerdict `json:"verdicts"`
	Opened    bool                            `json:"opened,omitempty"` // the council's task is open
	Results   []cycle.CommuneResult           `json:"results,omitempty"`
	Signed    bool                            `json:"signed,omitempty"`
	SignedBy  cycle.Actor                     `json:"signed_by,omitempty"`
	SignedOn  cycle.Date                      `json:"signed_on,omitempty"`
	Issued    bool                            `json:"issued,omitempty"`
	Documents []cycle.Decision                `json:"documents,omitempty"`
	Told      bool                            `json:"told,omitempty"` // the communes have their outcome
}

// RecognitionBatch is the communes that passed a programme year, followed
// up and then recognised together.
type RecognitionBatch struct {
	Year     int                             `json:"year"`
	Communes []string                        `json:"communes"`
	Verdicts map[string]cycle.CommuneVerdict `json:"verdicts"`
	Signed   bool                            `json:"signed,omitempty"`
	SignedBy cycle.Actor                     `json:"signed_by,omitempty"`
	SignedOn cycle.Date                      `json:"signed_on,omitempty"`
	Decision *cycle.Decision                 `json:"decision,omitempty"`
	Done     bool                            `json:"done,omitempty"`
}

// CycleResume is what a cycle carries into a new run (continue-as-new)
// once its history has grown long.
type CycleResume struct {
	Province       cycle.Province        `json:"province"`
	Issuer         cycle.Issuer          `json:"issuer"`
	Phase          cycle.Phase           `json:"phase"`
	List           []cycle.ListedCommune `json:"list"`
	Decision       cycle.Decision        `json:"decision"`
	Events         []Event               `json:"events"`
	Transformation TransformationState   `json:"transformation"`
}

// maxCarriedEvents bounds the events a new run carries.
const maxCarriedEvents = 200

// now is the cycle's calendar date (see instant).
func (w *yearly) now(ctx workflow.Context) cycle.Date { return cycle.DateOf(w.instant(ctx)) }

// transform runs the cohort's transformation years until every commune
// has its final outcome.
func (w *yearly) transform(ctx workflow.Context) (cycle.Decision, error) {
	tx := w.tx
	w.book.clock = tx.Clock
	signals := workflow.GetSignalChannel(ctx, SignalCommune)
	workflow.Go(ctx, func(ctx workflow.Context) {
		for {
			var s CommuneSignal
			signals.Receive(ctx, &s)
			w.onCommune(s)
		}
	})
	if !tx.Started {
		if err := w.startChildren(ctx); err != nil {
			return cycle.Decision{}, err
		}
	}
	for _, b := range tx.Batches {
		if !b.Done {
			w.runBatch(ctx, b)
		}
	}
	for {
		y := w.currentYear()
		if y == nil {
			break
		}
		if err := w.runYear(ctx, y); err != nil {
			return cycle.Decision{}, err
		}
		if w.historyLong(ctx) {
			return cycle.Decision{}, w.continueAsNew(ctx, signals)
		}
	}
	if err := workflow.Await(ctx, func() bool { return w.cohortClosed() }); err != nil {
		return cycle.Decision{}, err
	}
	if err := w.enter(ctx, cycle.PhaseClosed, nil); err != nil {
		return cycle.Decision{}, err
	}
	w.event(ctx, "", "every commune of the cohort has its final outcome")
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) && w.deliveries == 0 }); err != nil {
		return cycle.Decision{}, err
	}
	return *w.decision, nil
}

// startChildren starts one CommuneTransformation per commune of the
// cycle's own list (extensions belong to the cohort that first listed
// them). Children outlive a run of the cycle (continue-as-new): their
// parent-close policy is ABANDON, and they talk to the cycle by signals.
func (w *yearly) startChildren(ctx workflow.Context) error {
	tx := w.tx
	var futures []workflow.ChildWorkflowFuture
	first := &ProgrammeYear{Year: w.in.Year, YearNo: map[string]int{}, Verdicts: map[string]cycle.CommuneVerdict{}}
	for _, l := range w.list {
		if l.Extension {
			continue
		}
		c := CohortCommune{CommuneInProgramme: cycle.CommuneInProgramme{ListedCommune: l, FirstYear: w.in.Year, Year: w.in.Year, YearNo: 1,
			WorkflowID: TransformationWorkflowID(w.in.Province, l.Commune, w.in.Year)}, Standing: cycle.StandingInProgramme}
		if rc, ok := w.prov.Commune(l.Commune); ok {
			c.Kind = rc.Kind
		}
		c.Unit, c.UnitName = l.District, l.DistrictName
		if c.Unit == "" {
			c.Unit, c.UnitName = l.Commune, l.Name
		}
		tx.Communes = append(tx.Communes, c)
		first.Communes = append(first.Communes, l.Commune)
		first.YearNo[l.Commune] = 1
		cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
			WorkflowID:            c.WorkflowID,
			ParentClosePolicy:     enumspb.PARENT_CLOSE_POLICY_ABANDON,
			WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		})
		futures = append(futures, workflow.ExecuteChildWorkflow(cctx, CommuneTransformation, CommuneInput{
			CycleID: w.id, Province: w.in.Province, ProvinceName: w.prov.Name, Commune: c.CommuneInProgramme,
			Unit: c.Unit, UnitName: c.UnitName, Policy: w.in.Policy, Clock: tx.Clock, Synthetic: w.in.Synthetic,
		}))
	}
	for i, f := range futures {
		if err := f.GetChildWorkflowExecution().Get(ctx, nil); err != nil {
			return fmt.Errorf("start the transformation of %s: %w", tx.Communes[i].Name, err)
		}
	}
	tx.Years = append(tx.Years, first)
	tx.Started = true
	w.event(ctx, "", fmt.Sprintf("transformation year %d started for %d communes", w.in.Year, len(first.Communes)))
	return w.enter(ctx, cycle.PhaseTransformation, nil)
}

// onCommune takes in a commune's signal.
func (w *yearly) onCommune(s CommuneSignal) {
	tx := w.tx
	if c := w.cohortCommune(s.Commune); c != nil && s.Standing != "" {
		c.Standing = s.Standing
	}
	switch s.Kind {
	case CommuneVerdict:
		for _, y := range tx.Years {
			if y.Year == s.Year && y.YearNo[s.Commune] > 0 {
				y.Verdicts[s.Commune] = s.Verdict
			}
		}
	case CommuneFollowUp:
		for _, b := range tx.Batches {
			if b.Year == s.Year && contains(b.Communes, s.Commune) {
				b.Verdicts[s.Commune] = s.Verdict
			}
		}
	case CommuneClosed:
		if c := w.cohortCommune(s.Commune); c != nil {
			c.Closed = true
		}
	}
}

func (w *yearly) cohortCommune(code string) *CohortCommune {
	for i := range w.tx.Communes {
		if w.tx.Communes[i].Commune == code {
			return &w.tx.Communes[i]
		}
	}
	return nil
}

func (w *yearly) cohortClosed() bool {
	for _, c := range w.tx.Communes {
		if !c.Closed {
			return false
		}
	}
	for _, b := range w.tx.Batches {
		if !b.Done {
			return false
		}
	}
	return true
}

// currentYear is the programme year not yet told its outcomes.
func (w *yearly) currentYear() *ProgrammeYear {
	for _, y := range w.tx.Years {
		if !y.Told {
			return y
		}
	}
	return nil
}

func (w *yearly) yearOf(year int) *ProgrammeYear {
	for _, y := range w.tx.Years {
		if y.Year == year {
			return y
		}
	}
	return nil
}

func (w *yearly) batchOf(year int) *RecognitionBatch {
	for _, b := range w.tx.Batches {
		if b.Year == year {
			return b
		}
	}
	return nil
}

// verdicts returns every commune's yearly verdict, in list order; a
// commune that sent no report fails every criterion "not reported".
func (w *yearly) verdicts(y *ProgrammeYear) []cycle.CommuneVerdict {
	out := make([]cycle.CommuneVerdict, 0, len(y.Communes))
	for _, code := range y.Communes {
		if v, ok := y.Verdicts[code]; ok {
			out = append(out, v)
			continue
		}
		c := w.cohortCommune(code)
		cv := cycle.CommuneVerdict{Commune: c.CommuneInProgramme, Verdict: cycle.Verdict{
			Commune: code, Name: c.Name, Types: c.Types, Policy: w.in.Policy.ID, Outcome: cycle.OutcomeFail, Summary: "no yearly report",
		}}
		cv.Commune.Year, cv.Commune.YearNo = y.Year, y.YearNo[code]
		out = append(out, cv)
	}
	return out
}

// stepID is the ID of a step task of a programme year.
func stepID(k cycle.TaskKind, year int) string { return fmt.Sprintf("%s/%d", k, year) }

func (w *yearly) openStep(ctx workflow.Context, k cycle.TaskKind, year int, due cycle.Date, title string) {
	if today := w.now(ctx); due.Before(today) {
		due = today
	}
	w.book.open(ctx, cycle.Task{ID: stepID(k, year), Kind: k, Role: cycle.RoleFor(k), Title: title, Due: due})
}

// runYear runs one programme year from its reports to its outcomes.
func (w *yearly) runYear(ctx workflow.Context, y *ProgrammeYear) error {
	pol := w.in.Policy
	// The yearly reports, until all are in or their due date has passed.
	if _, err := w.tx.Clock.AwaitUntil(ctx, pol.ReportDue(cycle.ReportYearly, y.Year).End(), func() bool { return len(y.Verdicts) == len(y.Communes) }); err != nil {
		return err
	}
	openCouncil := func() {
		w.openStep(ctx, cycle.TaskAppraiseResults, y.Year, pol.ResultsDue(y.Year),
			fmt.Sprintf("Thẩm định kết quả chuyển hóa năm %d của %d địa bàn", y.Year, len(y.Communes)))
	}
	if !y.Opened {
		if err := w.enter(ctx, cycle.PhaseResults, openCouncil); err != nil {
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
		w.openStep(ctx, cycle.TaskSignResults, y.Year, w.now(ctx).AddDays(cycle.SignDays),
			fmt.Sprintf("Ký kết luận kết quả chuyển hóa năm %d", y.Year))
		if err := workflow.Await(ctx, func() bool { return y.Signed }); err != nil {
			return err
		}
	}
	if !y.Issued {
		w.openStep(ctx, cycle.TaskIssueResults, y.Year, w.now(ctx).AddDays(cycle.IssueDays),
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
		case y.YearNo[code] < 2:
			next.Communes = append(next.Communes, code)
			next.YearNo[code] = 2
			if c := w.cohortCommune(code); c != nil {
				c.Year, c.YearNo, c.Extension = y.Year+1, 2, true
			}
		}
	}
	if len(next.Communes) > 0 {
		w.tx.Years = append(w.tx.Years, next)
	}
	if len(batch.Communes) > 0 {
		w.tx.Batches = append(w.tx.Batches, batch)
	}
	var futures []workflow.Future
	for _, r := range y.Results {
		o := YearOutcome{Year: y.Year, YearNo: y.YearNo[r.Commune.Commune], Outcome: r.Outcome, Reason: r.Reason, ReviewDate: y.SignedOn, Verdict: r.Verdict.Summary}
		futures = append(futures, workflow.SignalExternalWorkflow(ctx, r.Commune.WorkflowID, "", SignalYearOutcome, o))
	}
	for i, f := range futures {
		if err := f.Get(ctx, nil); err != nil {
			workflow.GetLogger(ctx).Error("tell a commune its outcome", "cycle", w.id, "commune", y.Results[i].Commune.Commune, "error", err)
		}
	}
	y.Told = true
	if len(batch.Communes) > 0 {
		w.runBatch(ctx, batch)
	}
	w.event(ctx, "", fmt.Sprintf("year %d: %d of %d communes transformed; %d continue into %d", y.Year, len(batch.Communes), len(y.Results), len(next.Communes), y.Year+1))
	return w.enter(ctx, cycle.PhaseFollowUp, nil)
}

// runBatch, in its own coroutine: once every follow-up of the batch is in,
// the head signs and the clerk issues the recognition decision of the
// communes that held; then each of them hears it.
func (w *yearly) runBatch(ctx workflow.Context, b *RecognitionBatch) {
	workflow.Go(ctx, func(ctx workflow.Context) {
		if err := workflow.Await(ctx, func() bool { return len(b.Verdicts) == len(b.Communes) }); err != nil {
			return
		}
		held := w.held(b)
		if len(held) == 0 {
			b.Done = true
			w.event(ctx, "", fmt.Sprintf("no commune of %d held at its follow-up: no recognition", b.Year))
			return
		}
		if !b.Signed {
			w.openStep(ctx, cycle.TaskSignRecognition, b.Year, w.now(ctx).AddDays(cycle.SignDays),
				fmt.Sprintf("Ký quyết định công nhận %d địa bàn chuyển hóa đạt năm %d", len(held), b.Year))
			if err := workflow.Await(ctx, func() bool { return b.Signed }); err != nil {
				return
			}
		}
		if b.Decision == nil {
			w.openStep(ctx, cycle.TaskIssueRecognition, b.Year, w.now(ctx).AddDays(cycle.IssueDays),
				fmt.Sprintf("Vào sổ, cấp số và ban hành quyết định công nhận địa bàn chuyển hóa đạt năm %d", b.Year))
			if err := workflow.Await(ctx, func() bool { return b.Decision != nil }); err != nil {
				return
			}
		}
		var futures []workflow.Future
		for _, code := range held {
			c := w.cohortCommune(code)
			futures = append(futures, workflow.SignalExternalWorkflow(ctx, c.WorkflowID, "", SignalRecognised, Recognised{Decision: b.Decision.Code, Date: b.Decision.Date}))
		}
		for i, f := range futures {
			if err := f.Get(ctx, nil); err != nil {
				workflow.GetLogger(ctx).Error("tell a commune its recognition", "cycle", w.id, "commune", held[i], "document", b.Decision.Code, "error", err)
			}
		}
		b.Done = true
	})
}

// held returns the communes of a batch that still met the criteria at
// their follow-up, in list order.
func (w *yearly) held(b *RecognitionBatch) []string {
	var out []string
	for _, code := range b.Communes {
		if v, ok := b.Verdicts[code]; ok && v.Verdict.Outcome != cycle.OutcomeFail {
			out = append(out, code)
		}
	}
	return out
}

// historyLong reports whether the run should continue as new: the server
// suggests it, or the history is past the input's limit.
func (w *yearly) historyLong(ctx workflow.Context) bool {
	info := workflow.GetInfo(ctx)
	if w.in.HistoryLimit > 0 {
		return info.GetCurrentHistoryLength() > w.in.HistoryLimit
	}
	return info.GetContinueAsNewSuggested()
}

// continueAsNew ends this run and starts a new one from the cycle's state,
// once no update is running, no delivery is pending and every signal
// received is taken in.
func (w *yearly) continueAsNew(ctx workflow.Context, signals workflow.ReceiveChannel) error {
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) && w.deliveries == 0 }); err != nil {
		return err
	}
	for {
		var s CommuneSignal
		if !signals.ReceiveAsync(&s) {
			break
		}
		w.onCommune(s)
	}
	events := w.events
	if len(events) > maxCarriedEvents {
		events = events[len(events)-maxCarriedEvents:]
	}
	next := w.in
	next.Resume = &CycleResume{
		Province: w.prov, Issuer: w.issuer, Phase: w.phase, List: w.list, Decision: *w.decision,
		Events:         append(events, Event{At: w.now(ctx), Summary: fmt.Sprintf("the cycle continues in a new run (history of %d events)", workflow.GetInfo(ctx).GetCurrentHistoryLength())}),
		Transformation: *w.tx,
	}
	return workflow.NewContinueAsNewError(ctx, YearlyCycle, next)
}

// --- updates of the transformation years --------------------------------------

// stepRequest checks a step's request: the task open, the actor allowed.
func (w *yearly) stepRequest(r Request, k cycle.TaskKind, year int) (cycle.Task, error) {
	if w.tx == nil {
		return cycle.Task{}, cycle.Errorf(cycle.ECONFLICT, "the cycle is in phase %s: its transformation year has not started", w.phase)
	}
	return w.authorize(r, stepID(k, year))
}

func (w *yearly) validateAppraiseResults(r AppraiseResultsRequest) error {
	if w.done(UpdateAppraiseResults, r.Request) {
		return nil
	}
	_, _, err := w.checkAppraiseResults(r)
	return appError(err)
}

func (w *yearly) checkAppraiseResults(r AppraiseResultsRequest) (cycle.Task, []cycle.CommuneResult, error) {
	t, err := w.stepRequest(r.Request, cycle.TaskAppraiseResults, r.Year)
	if err != nil {
		return t, nil, err
	}
	res, err := cycle.ApplyResultsAppraisal(w.verdicts(w.yearOf(r.Year)), r.Appraisal)
	return t, res, err
}

func (w *yearly) appraiseResults(ctx workflow.Context, r AppraiseResultsRequest) ([]cycle.CommuneResult, error) {
	// An update handler gets a fresh context: the activity options are not inherited.
	ctx = workflow.WithActivityOptions(ctx, activityOptions)
	key := requestKey(UpdateAppraiseResults, r.Request)
	if w.done(UpdateAppraiseResults, r.Request) {
		return w.results[key].([]cycle.CommuneResult), nil
	}
	t, res, err := w.checkAppraiseResults(r)
	if err != nil {
		return nil, appError(err)
	}
	w.book.busy[t.ID] = true
	defer delete(w.book.busy, t.ID)
	var a *activities.TransformActivities
	rec := cycle.ResultsRecord{CycleID: w.id, Province: w.in.Province, Year: r.Year, TaskID: t.ID, Appraisal: r.Appraisal, Results: res,
		Actor: r.Actor, RequestID: r.RequestID, At: w.instant(ctx), Late: w.late(ctx, t)}
	if err := workflow.ExecuteActivity(ctx, a.TransformSaveResults, rec).Get(ctx, nil); err != nil {
		return nil, err
	}
	w.closeTask(t.ID)
	y := w.yearOf(r.Year)
	y.Results = res
	w.results[key] = res
	pass := 0
	for _, x := range res {
		if x.Outcome == cycle.OutcomePass {
			pass++
		}
	}
	w.event(ctx, r.Actor.ID, fmt.Sprintf("the council appraised year %d: %d of %d transformed", r.Year, pass, len(res)))
	return res, nil
}

func (w *yearly) validateYearStep(kind string, k cycle.TaskKind) func(YearRequest) error {
	return func(r YearRequest) error {
		if w.done(kind, r.Request) {
			return nil
		}
		_, err := w.stepRequest(r.Request, k, r.Year)
		return appError(err)
	}
}

// signStep records the head's signature of a year's results or recognition.
func (w *yearly) signStep(kind string, k cycle.TaskKind, what string, mark func(year int, by cycle.Actor, on cycle.Date)) func(workflow.Context, YearRequest) (SignResult, error) {
	return func(ctx workflow.Context, r YearRequest) (SignResult, error) {
		ctx = workflow.WithActivityOptions(ctx, activityOptions)
		key := requestKey(kind, r.Request)
		if w.done(kind, r.Request) {
			return w.results[key].(SignResult), nil
		}
		t, err := w.stepRequest(r.Request, k, r.Year)
		if err != nil {
			return SignResult{}, appError(err)
		}
		w.book.busy[t.ID] = true
		defer delete(w.book.busy, t.ID)
		if err := w.completeStep(ctx, t, r.Request, fmt.Sprintf("signed the %s of %d", what, r.Year)); err != nil {
			return SignResult{}, err
		}
		on := w.now(ctx)
		res := SignResult{SignedAt: on, Late: w.late(ctx, t)}
		mark(r.Year, r.Actor, on)
		w.results[key] = res
		w.event(ctx, r.Actor.ID, fmt.Sprintf("the %s of %d is signed", what, r.Year))
		return res, nil
	}
}

// completeStep records a step's completion in the audit log and closes its task.
func (w *yearly) completeStep(ctx workflow.Context, t cycle.Task, r Request, summary string) error {
	if err := w.complete(ctx, t, r, summary, nil); err != nil {
		return err
	}
	w.closeTask(t.ID)
	return nil
}

func (w *yearly) issueResults(ctx workflow.Context, r YearRequest) ([]cycle.Decision, error) {
	ctx = workflow.WithActivityOptions(ctx, activityOptions)
	key := requestKey(UpdateIssueResults, r.Request)
	if w.done(UpdateIssueResults, r.Request) {
		return w.results[key].([]cycle.Decision), nil
	}
	t, err := w.stepRequest(r.Request, cycle.TaskIssueResults, r.Year)
	if err != nil {
		return nil, appError(err)
	}
	w.book.busy[t.ID] = true
	defer delete(w.book.busy, t.ID)
	y := w.yearOf(r.Year)
	var cont, resp, all []activities.DocCommune
	for _, x := range y.Results {
		l := x.Commune.ListedCommune
		dc := activities.DocCommune{ListedCommune: l, Note: resultNote(x, y.YearNo[l.Commune])}
		all = append(all, dc)
		if x.Outcome == cycle.OutcomePass {
			continue
		}
		dc.Note = failedCriteria(x)
		if y.YearNo[l.Commune] < 2 {
			cont = append(cont, dc)
		} else {
			resp = append(resp, dc)
		}
	}
	var a *activities.TransformActivities
	var kpi cycle.KPI
	if err := workflow.ExecuteActivity(ctx, a.TransformKPI, activities.KPIInput{Province: w.in.Province, Year: r.Year, Policy: w.in.Policy}).Get(ctx, &kpi); err != nil {
		return nil, err
	}
	today := w.now(ctx)
	base := activities.TransformIssueInput{
		CycleID: w.id, Province: w.in.Province, ProvinceName: w.prov.Name, Year: r.Year, FirstYear: w.in.Year, Issuer: w.issuer,
		Date: today, SignedBy: y.SignedBy, IssuedBy: r.Actor, At: w.instant(ctx), Synthetic: w.in.Synthetic,
		AppraisalRef: fmt.Sprintf("kết quả thẩm định của Hội đồng thẩm định, được Trưởng Ban Chỉ đạo ký ngày %s", y.SignedOn.Vietnamese()),
	}
	var jobs []activities.TransformIssueInput
	if len(cont) > 0 {
		j := base
		j.Kind, j.DecisionID, j.Communes, j.Due = activities.DocContinuation, fmt.Sprintf("%s/continuation/%d", w.id, r.Year), cont, today.AddDays(cycle.ReviewDays)
		jobs = append(jobs, j)
	}
	if len(resp) > 0 {
		j := base
		j.Kind, j.DecisionID, j.Communes, j.Due = activities.DocResponsibility, fmt.Sprintf("%s/responsibility/%d", w.id, r.Year), resp, today.AddDays(cycle.ReviewDays)
		jobs = append(jobs, j)
	}
	j := base
	j.Kind, j.DecisionID, j.Communes, j.KPI = activities.DocSummary, fmt.Sprintf("%s/summary/%d", w.id, r.Year), all, &kpi
	jobs = append(jobs, j)
	var docs []cycle.Decision
	var issued []activities.IssuedDocument
	for _, j := range jobs {
		var res activities.IssuedDocument
		if err := workflow.ExecuteActivity(ctx, a.TransformIssueDocument, j).Get(ctx, &res); err != nil {
			return nil, err
		}
		docs = append(docs, res.Decision)
		issued = append(issued, res)
	}
	codes := make([]string, len(docs))
	for i, d := range docs {
		codes[i] = d.Code
	}
	if err := w.completeStep(ctx, t, r.Request, fmt.Sprintf("issued the results of %d: %s", r.Year, strings.Join(codes, ", "))); err != nil {
		return nil, err
	}
	y.Issued, y.Documents = true, docs
	w.results[key] = docs
	w.event(ctx, r.Actor.ID, fmt.Sprintf("results of %d issued: %s (transformed %s, target %s)", r.Year, strings.Join(codes, ", "),
		templates.Percent(kpi.TransformedShare()), templates.Percent(kpi.TransformedTarget)))
	w.deliver(ctx, issued)
	return docs, nil
}

func (w *yearly) issueRecognition(ctx workflow.Context, r YearRequest) (cycle.Decision, error) {
	ctx = workflow.WithActivityOptions(ctx, activityOptions)
	key := requestKey(UpdateIssueRecognition, r.Request)
	if w.done(UpdateIssueRecognition, r.Request) {
		return w.results[key].(cycle.Decision), nil
	}
	t, err := w.stepRequest(r.Request, cycle.TaskIssueRecognition, r.Year)
	if err != nil {
		return cycle.Decision{}, appError(err)
	}
	w.book.busy[t.ID] = true
	defer delete(w.book.busy, t.ID)
	b := w.batchOf(r.Year)
	var communes []activities.DocCommune
	for _, code := range w.held(b) {
		c := w.cohortCommune(code)
		communes = append(communes, activities.DocCommune{ListedCommune: c.ListedCommune})
	}
	followEnd := cycle.FollowUpPeriod(w.yearOf(r.Year).SignedOn).To
	in := activities.TransformIssueInput{
		CycleID: w.id, DecisionID: fmt.Sprintf("%s/recognition/%d", w.id, r.Year), Kind: activities.DocRecognition,
		Province: w.in.Province, ProvinceName: w.prov.Name, Year: r.Year, FirstYear: w.in.Year, Issuer: w.issuer,
		Date: w.now(ctx), SignedBy: b.SignedBy, IssuedBy: r.Actor, At: w.instant(ctx), Synthetic: w.in.Synthetic,
		Communes: communes, ApprovalRef: w.tx.Approval, Due: followEnd,
	}
	var a *activities.TransformActivities
	var res activities.IssuedDocument
	if err := workflow.ExecuteActivity(ctx, a.TransformIssueDocument, in).Get(ctx, &res); err != nil {
		return cycle.Decision{}, err
	}
	d := res.Decision
	if err := w.completeStep(ctx, t, r.Request, fmt.Sprintf("issued recognition decision %s for %d communes", d.Code, len(communes))); err != nil {
		return cycle.Decision{}, err
	}
	b.Decision = &d
	w.results[key] = d
	w.event(ctx, r.Actor.ID, fmt.Sprintf("recognition decision Số %s issued: %d communes transformed in %d", d.Code, len(communes), r.Year))
	w.deliver(ctx, []activities.IssuedDocument{res})
	return d, nil
}

// deliver distributes issued documents in a coroutine; the cycle does not
// end (or continue as new) before every delivery has settled.
func (w *yearly) deliver(ctx workflow.Context, docs []activities.IssuedDocument) {
	for _, res := range docs {
		res := res
		w.deliveries++
		workflow.Go(ctx, func(ctx workflow.Context) {
			defer func() { w.deliveries-- }()
			w.event(ctx, "", fmt.Sprintf("%s: %s", res.Decision.Code, deliverIssued(ctx, w.issuer.Body, res)))
		})
	}
}

// resultNote is the summary's last column for a commune.
func resultNote(r cycle.CommuneResult, yearNo int) string {
	s := "Đạt"
	if r.Outcome != cycle.OutcomePass {
		s = "Không đạt — tiếp tục năm thứ hai"
		if yearNo >= 2 {
			s = "Không đạt năm thứ hai — xem xét trách nhiệm"
		}
	}
	if r.Overridden {
		s += " (Hội đồng: " + r.Reason + ")"
	}
	return s
}

// failedCriteria lists the criteria a commune did not meet, with the
// figures compared, for the notices.
func failedCriteria(r cycle.CommuneResult) string {
	if !r.Reported {
		return "Không có báo cáo năm"
	}
	var parts []string
	for _, f := range r.Verdict.Failed() {
		parts = append(parts, f.Name+" ("+f.Detail+")")
	}
	if r.Overridden || len(parts) == 0 {
		parts = append(parts, "Hội đồng: "+r.Reason)
	}
	return strings.Join(parts, "; ")
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// transformationState is the state query's view of the cohort.
func (w *yearly) transformationState() *TransformationState {
	if w.tx == nil {
		return nil
	}
	s := *w.tx
	s.Communes = append([]CohortCommune(nil), w.tx.Communes...)
	return &s
}
