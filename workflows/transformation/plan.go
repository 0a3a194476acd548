package transformation

import (
	"fmt"

	"go.temporal.io/sdk/workflow"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/issuing"
)

// The plan's steps: the reports and meetings a plan sets at dates besides
// the communes' own reports (004's quarterly reports before the 15th of a
// quarter's last month and its recognition proposals before 15/10, 001's
// local reviews before 30/11 and its provincial conference in December,
// 002's monitoring teams' meetings every six months). While the cohort
// has communes in the programme in a year, each date of such a step opens
// a task PlanStepLeadDays before it: for each unit with a commune in the
// programme when the district reports, once for the secretariat when the
// province meets. The officer sends the report (or the meeting's date and
// conclusions); it is kept in the audit trail with the task's completion
// and in the cohort's state. A step still open when the cohort ends is
// closed with that reason.

// planSteps are the cohort's plan steps.
type planSteps struct{ *Cohort }

// planStepsVersion is the change that opened the plan's steps; cohorts
// started before it run without them.
const planStepsVersion = "plan-steps"

// PlanStepStatus is one plan step's task and what was sent for it.
type PlanStepStatus struct {
	TaskID   string             `json:"task_id"`
	Deadline cycle.DeadlineKind `json:"deadline"`
	Name     string             `json:"name"` // the plan's name of the step
	Clause   string             `json:"clause,omitempty"`
	Year     int                `json:"year"`
	Unit     string             `json:"unit,omitempty"` // empty: the secretariat's
	UnitName string             `json:"unit_name,omitempty"`
	Due      cycle.Date         `json:"due"`
	Report   *cycle.PlanReport  `json:"report,omitempty"`
	By       cycle.Actor        `json:"by,omitzero"`
	On       cycle.Date         `json:"on,omitzero"`
	Late     bool               `json:"late,omitempty"`
	Closed   string             `json:"closed,omitempty"` // why it closed unanswered
	// Document is the review report the provincial conference's
	// conclusions were issued in (001 §III.2; review.go).
	Document *cycle.Decision `json:"document,omitempty"`
	// Head is the review report prepared for the head's signature made
	// with their own certificate (its digest is what the head's side
	// signs; the head's task is sign_review), HeadSigned that signature
	// once verified; nil when the worker has the head sign otherwise
	// (headReview).
	Head       *issuing.PendingSignature `json:"head_signature,omitempty"`
	HeadSigned *issuing.HeadSigned       `json:"head_signed,omitempty"`
	// SignedBy is the officer who signed it so (the head, or a deputy
	// under a delegation).
	SignedBy cycle.Actor `json:"signed_by,omitzero"`
}

// awaitsHead reports whether the step's review report waits for the
// head's own signature: the conference's conclusions sent, the report
// prepared, not yet issued.
func (p *PlanStepStatus) awaitsHead() bool {
	return p.Head != nil && p.Report != nil && p.Document == nil
}

// SubmitPlanReportRequest sends the report of a plan step's task.
type SubmitPlanReportRequest struct {
	flow.Request
	TaskID string           `json:"task_id"`
	Report cycle.PlanReport `json:"report"`
}

// planTaskID is the ID of a plan step's task.
func planTaskID(d cycle.PlanDate, unit string) string {
	if unit == "" {
		return fmt.Sprintf("%s/%s/%s", cycle.TaskPlanReport, d.Deadline.Kind, d.Due)
	}
	return fmt.Sprintf("%s/%s/%s/%s", cycle.TaskPlanReport, d.Deadline.Kind, unit, d.Due)
}

// run opens the plan's steps, in their own coroutine, until the
// cohort closes.
func (k planSteps) run(ctx workflow.Context) {
	if len(k.c.Policy.PlanDates(k.c.Year)) == 0 {
		return // the policy sets none: no marker in the history either
	}
	if workflow.GetVersion(ctx, planStepsVersion, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return
	}
	k.reopen(ctx)
	workflow.Go(ctx, func(ctx workflow.Context) {
		for year := k.c.Year; ; year++ {
			if k.s.cohortClosed() || !k.inProgramme(year) {
				return
			}
			for _, d := range k.c.Policy.PlanDates(year) {
				opens := d.Due.AddDays(-cycle.PlanStepLeadDays)
				if closed, err := k.s.Clock.AwaitUntil(ctx, opens.Start(), k.s.cohortClosed); err != nil || closed {
					return
				}
				if d.Due.Before(k.now(ctx)) {
					continue // passed before the cohort started
				}
				k.open(ctx, year, d)
			}
			if closed, err := k.s.Clock.AwaitUntil(ctx, cycle.D(year+1, 1, 1).Start(), k.s.cohortClosed); err != nil || closed {
				return
			}
		}
	})
}

// inProgramme reports whether a commune of the cohort is in its
// transformation (not yet closed) in year.
func (k planSteps) inProgramme(year int) bool {
	for _, c := range k.s.Communes {
		if !c.Closed && c.Year >= year {
			return true
		}
	}
	return false
}

// planReopen is the change from which a new run of the cycle opens again,
// in its book, the plan steps' tasks the previous run left open: a step
// sent late, after the cycle continued as new at the turn of the
// programme year, was refused as not open.
const planReopen = "plan-steps-reopen"

// reopen opens again, in a new run of the cycle, the plan steps' tasks
// still open when the previous run continued as new.
func (k planSteps) reopen(ctx workflow.Context) {
	var open []*PlanStepStatus
	for _, p := range k.s.Plan {
		if p.Report == nil && p.Closed == "" {
			open = append(open, p)
		}
	}
	if len(open) == 0 || workflow.GetVersion(ctx, planReopen, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return
	}
	for _, p := range open {
		for _, d := range k.c.Policy.PlanDates(p.Year) {
			if d.Deadline.Kind == p.Deadline && d.Due == p.Due {
				k.c.Book.Open(ctx, planTask(d, p.Unit, p.UnitName))
			}
		}
	}
}

// planTask is the task of a plan step for a date, a unit's or (unit "")
// the secretariat's.
func planTask(d cycle.PlanDate, unit, unitName string) cycle.Task {
	title := fmt.Sprintf("%s: %s — hạn %s", d.Step.Title, d.Deadline.Name, d.Due.Vietnamese())
	if unitName != "" {
		title += " — " + unitName
	}
	return cycle.Task{ID: planTaskID(d, unit), Kind: cycle.TaskPlanReport, Role: d.Step.Role, District: unit, Title: title, Due: d.Due}
}

// open opens a plan step's tasks for a date: one per unit with a
// commune in the programme, or the secretariat's.
func (k planSteps) open(ctx workflow.Context, year int, d cycle.PlanDate) {
	open := func(unit, unitName string) {
		id := planTaskID(d, unit)
		if k.step(id) != nil {
			return // a new run of the cycle: opened already (reopen)
		}
		k.s.Plan = append(k.s.Plan, &PlanStepStatus{TaskID: id, Deadline: d.Deadline.Kind, Name: d.Deadline.Name, Clause: d.Deadline.Clause,
			Year: year, Unit: unit, UnitName: unitName, Due: d.Due})
		k.c.Book.Open(ctx, planTask(d, unit, unitName))
	}
	if d.Step.Role != cycle.RoleDistrictOfficer {
		open("", "")
		return
	}
	var units []string
	for _, c := range k.s.Communes {
		if c.Closed || c.Year < year || contains(units, c.Unit) {
			continue
		}
		units = append(units, c.Unit)
		open(c.Unit, c.UnitName)
	}
}

// step is the plan step of a task.
func (k planSteps) step(id string) *PlanStepStatus {
	for _, p := range k.s.Plan {
		if p.TaskID == id {
			return p
		}
	}
	return nil
}

// close closes the plan steps still open when the cohort ends.
func (k planSteps) close(ctx workflow.Context) error {
	for _, p := range k.s.Plan {
		if p.Report != nil || p.Closed != "" {
			continue
		}
		p.Closed = "the cohort's programme ended"
		if err := k.c.Book.CloseWithReason(ctx, p.TaskID, p.Closed); err != nil {
			return err
		}
	}
	return nil
}

// choices are the communes a unit's plan step may name (code → name): its
// communes still in the programme in the step's year.
func (k planSteps) choices(p *PlanStepStatus) map[string]string {
	out := map[string]string{}
	for _, c := range k.s.Communes {
		if p.Unit != "" && c.Unit == p.Unit && !c.Closed && c.Year >= p.Year {
			out[c.Commune] = c.Name
		}
	}
	return out
}

// check checks a plan report: the task open and its step known, the
// actor allowed, the report as the step asks on the cohort's day.
func (k planSteps) check(ctx workflow.Context, r SubmitPlanReportRequest) (cycle.Task, *PlanStepStatus, error) {
	if k.s == nil {
		return cycle.Task{}, nil, cycle.Fail(cycle.ECONFLICT, "transformation.year_not_started", k.c.Phase())
	}
	notOpen := func() error {
		return cycle.Fail(cycle.ECONFLICT, "flow.not_open_phase", cycle.TaskRef(r.TaskID), k.c.Phase())
	}
	t, err := k.c.Book.Authorize(r.Request, r.TaskID, notOpen)
	if err != nil {
		return t, nil, err
	}
	p := k.step(r.TaskID)
	if p == nil || t.Kind != cycle.TaskPlanReport {
		return t, nil, notOpen()
	}
	step, _ := p.Deadline.Step()
	return t, p, r.Report.Validate(step, k.now(ctx), k.choices(p))
}

func (k planSteps) validate(ctx workflow.Context, r SubmitPlanReportRequest) error {
	if k.c.Ledger.Done(UpdateSubmitPlanReport, r.Request) {
		return nil
	}
	_, p, err := k.check(ctx, r)
	if err == nil && issuesReview(p) {
		_, probs := cohortDocuments{k.Cohort}.review(ctx, p.Year, r.Report)
		err = cycle.CheckGrounds(fmt.Sprintf("Báo cáo sơ kết năm %d", p.Year), probs)
	}
	return flow.AppError(err)
}

func (k planSteps) submit(ctx workflow.Context, r SubmitPlanReportRequest) (PlanStepStatus, error) {
	ctx = flow.WithActivityOptions(ctx)
	if res, ok := flow.Recall[PlanStepStatus](k.c.Ledger, UpdateSubmitPlanReport, r.Request); ok {
		return res, nil
	}
	t, p, err := k.check(ctx, r)
	if err != nil {
		return PlanStepStatus{}, flow.AppError(err)
	}
	defer k.c.Book.Begin(t.ID)()
	rep := r.Report
	rep.Deadline, rep.Due = p.Deadline, p.Due
	docs := cohortDocuments{k.Cohort}
	var issued []issuing.Issued
	if issuesReview(p) && workflow.GetVersion(ctx, reviewReportVersion, workflow.DefaultVersion, 1) == 1 {
		// Issued — or, when the head signs elsewhere, prepared for the
		// head's own signature (headReview) — before the task completes:
		// a refusal leaves it open.
		if err := k.prepareReview(ctx, p, rep, r.Actor, cycle.Actor{}); err != nil {
			return PlanStepStatus{}, flow.AppError(err)
		}
		if p.Head == nil {
			res, err := docs.issueReview(ctx, p, rep, r.Actor)
			if err != nil {
				return PlanStepStatus{}, flow.AppError(err)
			}
			issued = append(issued, res)
			d := res.Decision
			p.Document = &d
		}
	}
	if err := k.c.Book.Complete(ctx, t, r.Request, fmt.Sprintf("%s of %s sent", p.Deadline, p.Due), func(c *cycle.Completion) { c.PlanReport = &rep }); err != nil {
		return PlanStepStatus{}, err
	}
	k.c.Book.Close(t.ID)
	now := k.Now(ctx)
	p.Report, p.By, p.On, p.Late = &rep, r.Actor, cycle.DateOf(now), !now.Before(t.Due.End())
	if p.awaitsHead() {
		// The secretariat's part is done; the head signs the report.
		k.openReviewSign(ctx, p)
	}
	k.c.Ledger.Record(UpdateSubmitPlanReport, r.Request, *p)
	k.c.Event(ctx, r.Actor.ID, flow.Says("event.plan_report", p.Name, p.Due))
	if p.Document != nil {
		k.c.Event(ctx, r.Actor.ID, flow.Says("event.review_issued", p.Year, p.Document.Code))
	}
	if p.awaitsHead() {
		k.c.Event(ctx, r.Actor.ID, flow.Says("event.review_prepared", p.Year, p.Head.Code, k.c.Issuer.HeadOf()))
	}
	docs.deliver(ctx, issued)
	return *p, nil
}
