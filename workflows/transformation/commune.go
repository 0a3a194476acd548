package transformation

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/workflow"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/flow"
)

// CommuneRunState is the state of one run of CommuneTransformation. Its
// ledger and its events are carried into the second year's run.
type CommuneRunState struct {
	Standing   cycle.Standing  `json:"standing"`
	Reports    []*ReportStatus `json:"reports,omitempty"`
	Outcome    *YearOutcome    `json:"outcome,omitempty"` // this year's
	Recognised *Recognised     `json:"recognised,omitempty"`
	Conclusion *Conclusion     `json:"conclusion,omitempty"` // the council's, on the follow-up
	Reviewed   bool            `json:"reviewed,omitempty"`
	Tasks      flow.Tasks      `json:"tasks"`
	Ledger     flow.Ledger     `json:"ledger"`
	Events     []flow.Event    `json:"events,omitempty"`
}

// communeRun is one run of CommuneTransformation.
type communeRun struct {
	in   CommuneInput
	id   string
	book *flow.TaskBook
	s    CommuneRunState
}

// CommuneTransformation is one commune's transformation (DOMAIN steps
// 6–8, seed 000 §II.3, §II.5.b, §III.4), a child of the yearly cycle that
// listed it: its district reports at six months and at the year's end
// (officer tasks with reminders and escalations); each report is
// evaluated against the policy and the yearly verdict goes to the cycle,
// whose council and head decide. Passed: six months' follow-up from the
// review, a follow-up report against the six months before the programme,
// then recognition or a recorded relapse. Failed in the first year: a
// failure review, and the commune continues into a second year (a new
// run, continue-as-new). Failed again: a responsibility review.
func CommuneTransformation(ctx workflow.Context, in CommuneInput) (cycle.Standing, error) {
	if in.CycleID == "" || in.Commune.Commune == "" || in.Commune.Year == 0 || in.Unit == "" {
		return "", flow.AppError(cycle.Fail(cycle.EINVALID, "transformation.required"))
	}
	c := &communeRun{in: in, id: workflow.GetInfo(ctx).WorkflowExecution.ID, s: CommuneRunState{Standing: cycle.StandingInProgramme}}
	if in.Carried != nil {
		c.s.Ledger, c.s.Events = in.Carried.Ledger, in.Carried.Events
	}
	c.in.Commune.WorkflowID = c.id
	c.book = flow.NewTaskBook(&c.s.Tasks, in.CycleID, in.Policy.Reminders, func(string) string { return in.UnitName })
	c.book.Clock = in.Clock
	c.book.Born = in.Born
	ctx = flow.WithActivityOptions(ctx)
	if err := workflow.SetQueryHandler(ctx, QueryCommune, func() (CommuneState, error) { return c.state(ctx), nil }); err != nil {
		return "", err
	}
	// The failure review carried into the second year is open before the
	// handlers are registered (reviewBeforeHandlers): a review sent while
	// the first year was continuing as new reaches this run with its first
	// workflow task and is validated as soon as they are.
	reviewOpen := in.OpenReview != nil && c.in.Born.Has(ctx, reviewBeforeHandlers)
	if reviewOpen {
		c.book.Open(ctx, *in.OpenReview)
	}
	if err := flow.RegisterUpdates(ctx, CommuneUpdates,
		flow.UpdateHandler{Name: UpdateSubmitReport, Handler: c.submitReport, Validator: c.validateSubmitReport},
		flow.UpdateHandler{Name: UpdateSubmitReview, Handler: c.submitReview, Validator: c.validateSubmitReview},
	); err != nil {
		return "", err
	}
	outcomes := workflow.GetSignalChannel(ctx, SignalYearOutcome)
	recognitions := workflow.GetSignalChannel(ctx, SignalRecognised)
	conclusions := workflow.GetSignalChannel(ctx, SignalConcluded)
	workflow.Go(ctx, func(ctx workflow.Context) {
		for {
			var o YearOutcome
			outcomes.Receive(ctx, &o)
			if o.Year == c.in.Commune.Year && c.s.Outcome == nil {
				c.s.Outcome = &o
			}
		}
	})
	workflow.Go(ctx, func(ctx workflow.Context) {
		for {
			var r Recognised
			recognitions.Receive(ctx, &r)
			if c.s.Recognised == nil {
				c.s.Recognised = &r
			}
		}
	})
	workflow.Go(ctx, func(ctx workflow.Context) {
		for {
			var k Conclusion
			conclusions.Receive(ctx, &k)
			if c.s.Conclusion == nil && k.Year == c.in.Commune.Year {
				c.s.Conclusion = &k
			}
		}
	})
	var a *Activities
	if err := workflow.ExecuteActivity(ctx, a.TransformEnrol, cycle.Enrolment{CycleID: in.CycleID, Province: in.Province, Commune: c.in.Commune, At: c.now(ctx)}).Get(ctx, nil); err != nil {
		return "", err
	}
	year := in.Commune.Year
	c.event(ctx, "", flow.Says("event.commune_year", in.Commune.Name, in.Commune.YearNo, year))
	if in.OpenReview != nil && !reviewOpen {
		c.book.Open(ctx, *in.OpenReview)
	}

	// The two reports of the year, each opening on the last day of its period.
	for _, k := range []cycle.ReportKind{cycle.ReportHalfYear, cycle.ReportYearly} {
		p := in.Policy.ReportPeriod(k, year)
		rs := &ReportStatus{Kind: k, Year: year, Period: p, Due: in.Policy.ReportDue(k, year)}
		c.s.Reports = append(c.s.Reports, rs)
		if _, err := in.Clock.AwaitUntil(ctx, p.To.Start(), func() bool { return c.s.Outcome != nil }); err != nil {
			return "", err
		}
		if c.s.Outcome != nil {
			break
		}
		c.openReport(ctx, rs)
	}
	yearly := c.report(cycle.ReportYearly, year)
	if err := workflow.Await(ctx, func() bool { return c.s.Outcome != nil || (yearly != nil && yearly.Submitted) }); err != nil {
		return "", err
	}
	if err := c.closeReports(ctx, "superseded by the yearly report"); err != nil {
		return "", err
	}
	if err := workflow.Await(ctx, func() bool { return c.s.Outcome != nil }); err != nil {
		return "", err
	}
	if err := c.closeReports(ctx, "the council appraised the year without this report"); err != nil {
		return "", err
	}
	o := *c.s.Outcome
	c.event(ctx, "", flow.Says("event.year_appraised", year, o.Outcome, o.Reason))

	switch {
	case o.Outcome == cycle.OutcomePass:
		return c.followUp(ctx, o)
	case in.Commune.YearNo < 2 && in.Policy.HasSecondYear():
		return c.secondYear(ctx, o)
	default:
		return c.responsibility(ctx, o)
	}
}

func (c *communeRun) now(ctx workflow.Context) time.Time { return c.in.Clock.Now(ctx) }

func (c *communeRun) event(ctx workflow.Context, actor string, s flow.Said) {
	c.s.Events = append(c.s.Events, flow.NewEvent(c.in.Clock.Today(ctx), actor, s))
}

func (c *communeRun) report(k cycle.ReportKind, year int) *ReportStatus {
	for _, r := range c.s.Reports {
		if r.Kind == k && r.Year == year {
			return r
		}
	}
	return nil
}

// taskID is the ID of one of the commune's tasks, unique in its cohort's cycle.
func (c *communeRun) taskID(k cycle.TaskKind, year int) string {
	return fmt.Sprintf("%s/%s/%d", k, c.in.Commune.Commune, year)
}

func (c *communeRun) openReport(ctx workflow.Context, rs *ReportStatus) {
	c.book.Open(ctx, cycle.Task{
		ID: c.taskID(rs.Kind.TaskKind(), rs.Year), Kind: rs.Kind.TaskKind(), Role: cycle.RoleDistrictOfficer, District: c.in.Unit,
		Title: fmt.Sprintf("Gửi %s (%s) — %s, %s", rs.Kind.Vietnamese(), rs.Period.Vietnamese(), c.in.Commune.Name, c.in.UnitName),
		Due:   rs.Due, WorkflowID: c.id,
	})
}

// closeReports closes the report tasks still open, with a reason.
func (c *communeRun) closeReports(ctx workflow.Context, reason string) error {
	for _, rs := range c.s.Reports {
		if !rs.Submitted {
			if err := c.book.CloseWithReason(ctx, c.taskID(rs.Kind.TaskKind(), rs.Year), reason); err != nil {
				return err
			}
		}
	}
	return nil
}

// tell sends the cycle a signal; the cycle is the commune's parent or,
// after the cycle continued as new, its latest run.
func (c *communeRun) tell(ctx workflow.Context, s CommuneSignal) error {
	s.Commune, s.Standing = c.in.Commune.Commune, c.s.Standing
	return workflow.SignalExternalWorkflow(ctx, c.in.CycleID, "", SignalCommune, s).Get(ctx, nil)
}

func (c *communeRun) setStanding(ctx workflow.Context, st cycle.Standing, fu cycle.FollowUpResult, year int, decision, note string) error {
	c.s.Standing = st
	var a *Activities
	return workflow.ExecuteActivity(ctx, a.TransformSetStanding, cycle.StandingChange{
		CycleID: c.in.CycleID, WorkflowID: c.id, Province: c.in.Province, Commune: c.in.Commune.Commune, Year: year,
		Standing: st, FollowUp: fu, Decision: decision, Note: note, At: c.now(ctx),
	}).Get(ctx, nil)
}

// awaitOwedReview is the version from which a commune's workflow does not
// end while a failure review carried into its second year is unsent: the
// review is owed whatever the second year's outcome, and ending the
// workflow left its task in the inbox with nothing to complete it.
const awaitOwedReview = "await-owed-failure-review"

// reviewBeforeHandlers is the change from which a commune's second-year
// run opens the failure review carried from its first year before it
// registers its update handlers; before it, a review handed to the new run
// with its first workflow task was refused as not open.
const reviewBeforeHandlers = "review-before-handlers"

// reportTells is the change from which a report's record tells the cycle
// its verdict (TransformSubmitReportAndTell) rather than the workflow
// sending the signal and waiting for its delivery in a workflow task of
// its own: a report costs the one workflow task of its update.
const reportTells = "report-tells-cycle"

// finish tells the cycle the commune's workflow ends with its standing,
// once every review it owes is in.
func (c *communeRun) finish(ctx workflow.Context) (cycle.Standing, error) {
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
		return "", err
	}
	if c.in.Born.Has(ctx, awaitOwedReview) {
		owed := func() bool {
			for _, t := range c.book.List() {
				if t.Kind == cycle.TaskFailureReview {
					return true
				}
			}
			return false
		}
		if owed() {
			c.event(ctx, "", flow.Says("event.review_owed"))
		}
		if err := workflow.Await(ctx, func() bool { return !owed() && workflow.AllHandlersFinished(ctx) }); err != nil {
			return "", err
		}
	}
	if err := c.tell(ctx, CommuneSignal{Kind: CommuneClosed, Year: c.in.Commune.Year}); err != nil {
		return "", err
	}
	return c.s.Standing, nil
}

// followUp: six months from the review, then the follow-up report and
// either recognition or a recorded relapse (000 §II.5.b).
func (c *communeRun) followUp(ctx workflow.Context, o YearOutcome) (cycle.Standing, error) {
	year := c.in.Commune.Year
	if err := c.setStanding(ctx, cycle.StandingFollowUp, "", year, "", "passed "+fmt.Sprint(year)+"; followed until "+cycle.FollowUpPeriod(o.ReviewDate).To.Vietnamese()); err != nil {
		return "", err
	}
	p := cycle.FollowUpPeriod(o.ReviewDate)
	rs := &ReportStatus{Kind: cycle.ReportFollowUp, Year: year, Period: p, Due: p.To.AddDays(cycle.FollowUpReportDays)}
	c.s.Reports = append(c.s.Reports, rs)
	if _, err := c.in.Clock.AwaitUntil(ctx, p.To.Start(), func() bool { return false }); err != nil {
		return "", err
	}
	c.openReport(ctx, rs)
	if err := workflow.Await(ctx, func() bool { return rs.Submitted }); err != nil {
		return "", err
	}
	if c.in.Born.Has(ctx, councilRecognition) {
		return c.concluded(ctx)
	}
	// Relapsed when the follow-up fails the criteria; a scored verdict
	// (no pass mark, or no method) gives no ground for a relapse.
	if rs.Verdict.Outcome == cycle.OutcomeFail {
		c.event(ctx, "", flow.Says("event.relapsed", rs.Verdict.Met, rs.Verdict.Counted))
		if err := c.setStanding(ctx, cycle.StandingRelapsed, cycle.FollowUpRelapsed, year, "", "relapsed: "+rs.Verdict.Summary); err != nil {
			return "", err
		}
		return c.finish(ctx)
	}
	if err := c.setStanding(ctx, cycle.StandingFollowUp, cycle.FollowUpHeld, year, "", "held at the follow-up"); err != nil {
		return "", err
	}
	return c.recognised(ctx)
}

// concluded: the council appraises the follow-up (000 §II.4.b) and
// concludes — against the report's verdict if it says why: relapsed, or
// proposed for recognition, and then recognised by the head's decision.
func (c *communeRun) concluded(ctx workflow.Context) (cycle.Standing, error) {
	year := c.in.Commune.Year
	if err := workflow.Await(ctx, func() bool { return c.s.Conclusion != nil || c.s.Recognised != nil }); err != nil {
		return "", err
	}
	if k := c.s.Conclusion; k != nil && k.Outcome == cycle.OutcomeFail {
		c.event(ctx, "", flow.Says("event.council_relapsed", k.Reason))
		if err := c.setStanding(ctx, cycle.StandingRelapsed, cycle.FollowUpRelapsed, year, "", "relapsed, the council concluded: "+k.Reason); err != nil {
			return "", err
		}
		return c.finish(ctx)
	}
	c.event(ctx, "", flow.Says("event.council_held"))
	if err := c.setStanding(ctx, cycle.StandingFollowUp, cycle.FollowUpHeld, year, "", "held: the council proposes its recognition"); err != nil {
		return "", err
	}
	return c.recognised(ctx)
}

// recognised waits for the recognition decision.
func (c *communeRun) recognised(ctx workflow.Context) (cycle.Standing, error) {
	year := c.in.Commune.Year
	if err := workflow.Await(ctx, func() bool { return c.s.Recognised != nil }); err != nil {
		return "", err
	}
	c.event(ctx, "", flow.Says("event.recognised", c.s.Recognised.Decision))
	if err := c.setStanding(ctx, cycle.StandingRecognised, cycle.FollowUpHeld, year, c.s.Recognised.Decision, "recognised on "+c.s.Recognised.Date.Vietnamese()); err != nil {
		return "", err
	}
	if err := c.sustained(ctx); err != nil {
		return "", err
	}
	return c.finish(ctx)
}

// secondYear: the failure review task, and the commune continues into a
// second year as a new run of this workflow (continue-as-new), the review
// still open carried over if the district has not sent it yet.
func (c *communeRun) secondYear(ctx workflow.Context, o YearOutcome) (cycle.Standing, error) {
	year := c.in.Commune.Year
	if err := c.setStanding(ctx, cycle.StandingSecondYear, "", year, "", "failed "+fmt.Sprint(year)+": continues into "+fmt.Sprint(year+1)); err != nil {
		return "", err
	}
	review := cycle.Task{
		ID: c.taskID(cycle.TaskFailureReview, year), Kind: cycle.TaskFailureReview, Role: cycle.RoleDistrictOfficer, District: c.in.Unit,
		Title: fmt.Sprintf("Kiểm điểm, làm rõ nguyên nhân và giải pháp — %s chưa chuyển hóa đạt năm %d", c.in.Commune.Name, year),
		Due:   o.ReviewDate.AddDays(cycle.ReviewDays), WorkflowID: c.id,
	}
	c.book.Open(ctx, review)
	// Let a review being submitted finish before the run ends.
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
		return "", err
	}
	next := c.in
	next.Commune.Year, next.Commune.YearNo = year+1, 2
	next.Commune.Extension = true
	next.History = append(append([]YearOutcome(nil), c.in.History...), o)
	next.OpenReview = nil
	if _, open := c.book.Task(review.ID); open {
		next.OpenReview = &review
	}
	next.Carried = &Carried{Ledger: c.s.Ledger, Events: c.s.Events}
	next.Born = CommuneChanges // the next run runs this code from its start
	return "", workflow.NewContinueAsNewError(ctx, CommuneTransformation, next)
}

// responsibility: the secretariat's responsibility review, recorded for
// the yearly emulation assessment.
func (c *communeRun) responsibility(ctx workflow.Context, o YearOutcome) (cycle.Standing, error) {
	year := c.in.Commune.Year
	if err := c.setStanding(ctx, cycle.StandingResponsibility, "", year, "", "failed its second year "+fmt.Sprint(year)); err != nil {
		return "", err
	}
	id := c.taskID(cycle.TaskResponsibilityReview, year)
	title := fmt.Sprintf("Xem xét trách nhiệm tập thể, cá nhân — %s không chuyển hóa đạt sau hai năm (%d–%d)", c.in.Commune.Name, year-1, year)
	if c.in.Commune.YearNo < 2 { // a plan without a second year (004 §III.11)
		title = fmt.Sprintf("Kiểm điểm, đánh giá trách nhiệm tập thể, cá nhân — %s không đạt năm %d", c.in.Commune.Name, year)
	}
	c.book.Open(ctx, cycle.Task{
		ID: id, Kind: cycle.TaskResponsibilityReview, Role: cycle.RoleSecretariat,
		Title: title,
		Due:   o.ReviewDate.AddDays(cycle.ReviewDays), WorkflowID: c.id,
	})
	if err := workflow.Await(ctx, func() bool { return c.s.Reviewed }); err != nil {
		return "", err
	}
	return c.finish(ctx)
}

// --- updates -----------------------------------------------------------------

// authorize checks that the request is well formed and that its actor may
// complete the open task id now.
func (c *communeRun) authorize(r flow.Request, id string) (cycle.Task, error) {
	return c.book.Authorize(r, id, func() error {
		return cycle.Fail(cycle.ECONFLICT, "transformation.task_not_open", cycle.TaskRef(id), c.in.Commune.Name, c.s.Standing)
	})
}

func (c *communeRun) checkReport(r SubmitReportRequest) (cycle.Task, *ReportStatus, error) {
	var rs *ReportStatus
	for _, x := range c.s.Reports {
		if x.Kind == r.Kind && !x.Submitted {
			rs = x
		}
	}
	if rs == nil {
		switch r.Kind {
		case cycle.ReportHalfYear, cycle.ReportYearly, cycle.ReportFollowUp:
			return cycle.Task{}, nil, cycle.Fail(cycle.ECONFLICT, "transformation.report_not_expected", r.Kind.Vietnamese(), c.in.Commune.Name, c.s.Standing)
		default:
			return cycle.Task{}, nil, cycle.Fail(cycle.EINVALID, "transformation.report_kind", r.Kind)
		}
	}
	t, err := c.authorize(r.Request, c.taskID(r.Kind.TaskKind(), rs.Year))
	if err != nil {
		if _, open := c.book.Task(c.taskID(r.Kind.TaskKind(), rs.Year)); !open {
			return cycle.Task{}, nil, cycle.Fail(cycle.ECONFLICT, "transformation.report_too_early", r.Kind.Vietnamese(), c.in.Commune.Name, rs.Period.Vietnamese(), rs.Period.To.Vietnamese())
		}
		return cycle.Task{}, nil, err
	}
	// ValidateReport is deterministic: it reads the report's fields by
	// reflection and sorts the catalogue's names before using them.
	//workflowcheck:ignore
	if err := cycle.ValidateReport(c.in.Policy, c.in.Commune.Types, c.in.Commune.Kind, r.Report); err != nil {
		return cycle.Task{}, nil, err
	}
	return t, rs, nil
}

func (c *communeRun) validateSubmitReport(r SubmitReportRequest) error {
	if c.s.Ledger.Done(UpdateSubmitReport, r.Request) {
		return nil
	}
	_, _, err := c.checkReport(r)
	return flow.AppError(err)
}

func (c *communeRun) submitReport(ctx workflow.Context, r SubmitReportRequest) (SubmitReportResult, error) {
	// An update handler gets a fresh context: the activity options are not inherited.
	ctx = flow.WithActivityOptions(ctx)
	if res, ok := flow.Recall[SubmitReportResult](&c.s.Ledger, UpdateSubmitReport, r.Request); ok {
		return res, nil
	}
	t, rs, err := c.checkReport(r)
	if err != nil {
		return SubmitReportResult{}, flow.AppError(err)
	}
	defer c.book.Begin(t.ID)()
	now := c.now(ctx)
	late := !now.Before(t.Due.End())
	baseline := c.in.Policy.BaselinePeriod(r.Kind, c.firstYear())
	rec := cycle.ReportRecord{
		CycleID: c.in.CycleID, WorkflowID: c.id, TaskID: t.ID, Commune: c.in.Commune, Kind: r.Kind, Year: rs.Year,
		Period: rs.Period, Baseline: baseline, Report: r.Report, Actor: r.Actor, RequestID: r.RequestID, At: now, Late: late,
	}
	cv := cycle.CommuneVerdict{Commune: c.in.Commune, Reported: true, Late: late}
	var tell *CommuneSignal
	switch {
	case rs.Sustained: // the commune's own: no council appraises it
	case r.Kind == cycle.ReportYearly:
		tell = &CommuneSignal{Kind: CommuneVerdict, Year: rs.Year, Verdict: cv}
	case r.Kind == cycle.ReportFollowUp:
		tell = &CommuneSignal{Kind: CommuneFollowUp, Year: rs.Year, Verdict: cv}
	}
	var a *Activities
	var v cycle.Verdict
	told := false
	if c.in.Born.Has(ctx, reportTells) {
		if tell != nil {
			tell.Commune, tell.Standing = c.in.Commune.Commune, c.s.Standing
		}
		var out ReportTold
		if err := c.book.Record(ctx, a.TransformSubmitReportAndTell, ReportInput{ReportRecord: rec, Policy: c.in.Policy, Tell: tell}).Get(ctx, &out); err != nil {
			return SubmitReportResult{}, err
		}
		v, told = out.Verdict, out.Told
	} else if err := c.book.Record(ctx, a.TransformSubmitReport, ReportInput{ReportRecord: rec, Policy: c.in.Policy}).Get(ctx, &v); err != nil {
		return SubmitReportResult{}, err
	}
	c.book.Close(t.ID)
	rs.Submitted, rs.On, rs.Late, rs.Verdict = true, cycle.DateOf(now), late, &v
	res := SubmitReportResult{Kind: r.Kind, Year: rs.Year, Late: late, On: cycle.DateOf(now), Verdict: v}
	c.s.Ledger.Record(UpdateSubmitReport, r.Request, res)
	c.event(ctx, r.Actor.ID, flow.Says(map[bool]string{false: "event.report", true: "event.report_late"}[late], r.Kind.Vietnamese(), v.Outcome, v.Met, v.Counted))
	if tell != nil && !told {
		s := *tell
		s.Verdict.Verdict = v
		err = c.tell(ctx, s)
	}
	if err != nil {
		workflow.GetLogger(ctx).Error("tell the cycle", "cycle", c.in.CycleID, "commune", c.in.Commune.Commune, "task", t.ID, "error", err)
	}
	return res, nil
}

func (c *communeRun) firstYear() int {
	if c.in.Commune.FirstYear != 0 {
		return c.in.Commune.FirstYear
	}
	return c.in.Commune.Year
}

// reviewTask returns the commune's open review task of a kind, if any.
func (c *communeRun) reviewTask(k cycle.TaskKind) (cycle.Task, bool) {
	for _, t := range c.book.List() {
		if t.Kind == k {
			return t, true
		}
	}
	return cycle.Task{}, false
}

// checkReview finds the open review the request is for: a failure review
// (causes and remedies) or a responsibility review.
func (c *communeRun) checkReview(r SubmitReviewRequest) (cycle.Task, error) {
	kind, check := cycle.TaskFailureReview, func() error { return r.Failure.Validate() }
	switch {
	case r.Failure != nil && r.Responsibility != nil:
		return cycle.Task{}, cycle.Fail(cycle.EINVALID, "transformation.review_both")
	case r.Responsibility != nil:
		kind, check = cycle.TaskResponsibilityReview, func() error { return r.Responsibility.Validate() }
	case r.Failure == nil:
		return cycle.Task{}, cycle.Fail(cycle.EINVALID, "transformation.review_none")
	}
	t, ok := c.reviewTask(kind)
	if !ok {
		return cycle.Task{}, cycle.Fail(cycle.ECONFLICT, "transformation.review_not_open", kind, c.in.Commune.Name, c.s.Standing)
	}
	if _, err := c.authorize(r.Request, t.ID); err != nil {
		return cycle.Task{}, err
	}
	return t, check()
}

func (c *communeRun) validateSubmitReview(r SubmitReviewRequest) error {
	if c.s.Ledger.Done(UpdateSubmitReview, r.Request) {
		return nil
	}
	_, err := c.checkReview(r)
	return flow.AppError(err)
}

func (c *communeRun) submitReview(ctx workflow.Context, r SubmitReviewRequest) (cycle.ReviewKind, error) {
	// An update handler gets a fresh context: the activity options are not inherited.
	ctx = flow.WithActivityOptions(ctx)
	if res, ok := flow.Recall[cycle.ReviewKind](&c.s.Ledger, UpdateSubmitReview, r.Request); ok {
		return res, nil
	}
	t, err := c.checkReview(r)
	if err != nil {
		return "", flow.AppError(err)
	}
	defer c.book.Begin(t.ID)()
	kind, year := cycle.ReviewFailure, c.in.Commune.Year
	if t.Kind == cycle.TaskResponsibilityReview {
		kind = cycle.ReviewResponsibility
	} else if c.in.OpenReview != nil && t.ID == c.in.OpenReview.ID {
		year-- // the first year's review, carried into the second
	}
	now := c.now(ctx)
	rec := cycle.ReviewRecord{
		CycleID: c.in.CycleID, WorkflowID: c.id, TaskID: t.ID, Commune: c.in.Commune, Kind: kind, Year: year,
		Failure: r.Failure, Responsibility: r.Responsibility, Actor: r.Actor, RequestID: r.RequestID, At: now, Late: !now.Before(t.Due.End()),
	}
	var a *Activities
	if err := workflow.ExecuteActivity(ctx, a.TransformSaveReview, rec).Get(ctx, nil); err != nil {
		return "", err
	}
	c.book.Close(t.ID)
	c.s.Reviewed = c.s.Reviewed || kind == cycle.ReviewResponsibility
	c.s.Ledger.Record(UpdateSubmitReview, r.Request, kind)
	c.event(ctx, r.Actor.ID, flow.Says("event.review", kind, year))
	return kind, nil
}

func (c *communeRun) state(ctx workflow.Context) CommuneState {
	s := CommuneState{
		WorkflowID: c.id, CycleID: c.in.CycleID, Commune: c.in.Commune, Standing: c.s.Standing, Today: c.in.Clock.Today(ctx),
		History: c.in.History, Recognised: c.s.Recognised, Conclusion: c.s.Conclusion, OpenTasks: c.book.List(), Events: append([]flow.Event(nil), c.s.Events...),
	}
	if c.s.Outcome != nil {
		s.History = append(append([]YearOutcome(nil), s.History...), *c.s.Outcome)
	}
	for _, r := range c.s.Reports {
		s.Reports = append(s.Reports, *r)
	}
	return s
}
