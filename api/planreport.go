package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/selection"
	"chuyenhoa/workflows/transformation"
)

// The plan's steps (reports and meetings a plan sets at dates: quarterly
// reports, recognition proposals, local reviews, the provincial review
// conference, the monitoring teams' meetings): one kind of task, one form.

func init() {
	kindLabels[cycle.TaskPlanReport] = "Báo cáo, sơ kết theo kế hoạch"
	formData["plan-report"] = planReportData
	register(&taskKind{Kind: cycle.TaskPlanReport, Update: transformation.UpdateSubmitPlanReport, Form: "plan-report",
		body: jsonBody(func(c *taskCall, v cycle.PlanReport) any {
			v.Content = strings.TrimSpace(cycle.Clean(v.Content))
			return transformation.SubmitPlanReportRequest{Request: c.request(), TaskID: c.task.ID, Report: v}
		}),
		form: func(s *taskForms, r *http.Request, c *taskCall) (any, error) {
			rep, err := planReportFromForm(r.PostForm)
			return transformation.SubmitPlanReportRequest{Request: c.request(), TaskID: c.task.ID, Report: rep}, err
		},
		summary: func(res json.RawMessage) string {
			var v transformation.PlanStepStatus
			_ = json.Unmarshal(res, &v)
			return fmt.Sprintf("%s due %s sent", v.Deadline, v.Due)
		}})
}

// planReportFromForm reads the form's "content" and "held" (YYYY-MM-DD,
// as a date field sends it).
func planReportFromForm(f url.Values) (cycle.PlanReport, error) {
	rep := cycle.PlanReport{Content: strings.TrimSpace(cycle.Clean(f.Get("content")))}
	for k := range f {
		if code, ok := strings.CutPrefix(k, "commune."); ok && f.Get(k) == "on" {
			rep.Communes = append(rep.Communes, code)
		}
	}
	slices.Sort(rep.Communes)
	if h := strings.TrimSpace(f.Get("held")); h != "" {
		d, err := cycle.ParseDate(h)
		if err != nil {
			return rep, cycle.Invalid("plan report", []cycle.Problem{formProblem("held", "api.form_date", h)})
		}
		rep.Held = d
	}
	return rep, nil
}

// PlanReportData is a plan step's form: what the plan asks, by when, and
// the unit's communes in the programme.
type PlanReportData struct {
	Name     string   // the plan's name of the step
	Clause   string   // the plan's words
	Due      string   // dd/mm/yyyy
	Meeting  bool     // a meeting: the day it was held is asked
	UnitName string   // empty: the secretariat's
	Communes []string // the communes in the programme the report covers
	Sent     string   // what was sent already, when the task is done
	// Proposal: the unit ticks the communes it proposes for recognition,
	// among Choices.
	Proposal bool
	Choices  []PlanChoice
	// Review: the provincial conference, whose conclusions are issued in
	// the review report (001 §III.2).
	Review bool
}

// PlanChoice is a commune a proposal may name.
type PlanChoice struct{ Code, Name string }

func planReportData(ctx context.Context, s *deps, t cycle.Task, p *principal) (any, error) {
	st, err := selection.Client{T: s.cfg.Temporal}.State(ctx, t.CycleID)
	if err != nil {
		return nil, err
	}
	d := &PlanReportData{Due: t.Due.Vietnamese()}
	if st.Transformation == nil {
		return d, nil
	}
	for _, ps := range st.Transformation.Plan {
		if ps.TaskID != t.ID {
			continue
		}
		step, _ := ps.Deadline.Step()
		d.Name, d.Clause, d.Meeting, d.UnitName, d.Proposal = ps.Name, strings.Trim(ps.Clause, "\"“” "), step.Meeting, ps.UnitName, step.Proposal && ps.Unit != ""
		if ps.Report != nil {
			d.Sent = ps.Report.Content
		}
		d.Review = ps.Deadline == cycle.DeadlineReviewConference && ps.Unit == ""
		for _, c := range st.Transformation.Communes {
			if !c.Closed && c.Year >= ps.Year && (ps.Unit == "" || c.Unit == ps.Unit) {
				d.Communes = append(d.Communes, c.Name)
				if d.Proposal {
					d.Choices = append(d.Choices, PlanChoice{Code: c.Commune, Name: c.Name})
				}
			}
		}
	}
	return d, nil
}
