package cycle

import (
	"fmt"
)

type problems []Problem

func (p *problems) add(field, rule, msg string) {
	*p = append(*p, Problem{Field: field, Rule: rule, Message: msg})
}

func (p *problems) required(field, value string) {
	if value == "" {
		p.add(field, "transformation."+field, "required")
	}
}

func (p *problems) completion(cycleID, taskID, requestID string, a Actor) {
	p.required("cycle_id", cycleID)
	p.required("task_id", taskID)
	if requestID == "" {
		p.add("request_id", "transformation.request_id", "required: it makes a retried call a no-op")
	}
	if a.ID == "" {
		p.add("actor", "transformation.actor", "the officer is not identified")
	}
}

func (p *problems) year(field string, y int) {
	if y < 1 {
		p.add(field, "transformation."+field, fmt.Sprintf("%d: want a year", y))
	}
}

// Check refuses, before anything is written, a record that cannot be
// stored faithfully (see TransformationStore); every problem is listed.
func (e Enrolment) Check() error {
	var p problems
	p.required("cycle_id", e.CycleID)
	p.required("province", e.Province)
	p.required("commune.commune", e.Commune.Commune)
	p.required("commune.workflow_id", e.Commune.WorkflowID)
	p.year("commune.year", e.Commune.Year)
	if n := e.Commune.YearNo; n != 1 && n != 2 {
		p.add("commune.year_no", "transformation.year_no", fmt.Sprintf("%d: want 1 or 2", n))
	}
	return Invalid("enrolment", p)
}

// Check refuses, before anything is written, a record that cannot be
// stored faithfully (see TransformationStore); every problem is listed.
func (r ReportRecord) Check() error {
	var p problems
	p.completion(r.CycleID, r.TaskID, r.RequestID, r.Actor)
	p.required("workflow_id", r.WorkflowID)
	p.required("commune.commune", r.Commune.Commune)
	p.year("year", r.Year)
	switch r.Kind {
	case ReportHalfYear, ReportYearly, ReportFollowUp:
	default:
		p.add("kind", "transformation.kind", fmt.Sprintf("%q: want half_year, yearly or follow_up", r.Kind))
	}
	return Invalid("report", p)
}

// Check refuses, before anything is written, a record that cannot be
// stored faithfully (see TransformationStore); every problem is listed.
func (r ResultsRecord) Check() error {
	var p problems
	p.completion(r.CycleID, r.TaskID, r.RequestID, r.Actor)
	p.required("province", r.Province)
	p.year("year", r.Year)
	seen := map[string]bool{}
	for i, res := range r.Results {
		f := fmt.Sprintf("results[%d]", i)
		switch c := res.Commune.Commune; {
		case c == "":
			p.add(f+".commune", "transformation.commune", "required")
		case seen[c]:
			p.add(f+".commune", "transformation.twice", fmt.Sprintf("%s has two results", c))
		default:
			seen[c] = true
		}
		if res.Outcome != OutcomePass && res.Outcome != OutcomeFail {
			p.add(f+".outcome", "transformation.outcome", fmt.Sprintf("%q: want pass or fail", res.Outcome))
		}
	}
	return Invalid("results", p)
}

// Check refuses, before anything is written, a record that cannot be
// stored faithfully (see TransformationStore); every problem is listed.
func (s StandingChange) Check() error {
	var p problems
	p.required("workflow_id", s.WorkflowID)
	switch s.Standing {
	case StandingInProgramme, StandingFollowUp, StandingRecognised, StandingRelapsed,
		StandingSecondYear, StandingResponsibility:
	default:
		p.add("standing", "transformation.standing", fmt.Sprintf("%q is not a standing", s.Standing))
	}
	switch s.FollowUp {
	case "":
	case FollowUpHeld, FollowUpRelapsed:
		p.year("year", s.Year)
	default:
		p.add("follow_up", "transformation.follow_up", fmt.Sprintf("%q: want held or relapsed", s.FollowUp))
	}
	return Invalid("standing", p)
}

// Check refuses, before anything is written, a record that cannot be
// stored faithfully (see TransformationStore); every problem is listed.
func (r ReviewRecord) Check() error {
	var p problems
	p.completion(r.CycleID, r.TaskID, r.RequestID, r.Actor)
	p.required("workflow_id", r.WorkflowID)
	p.required("commune.commune", r.Commune.Commune)
	p.year("year", r.Year)
	switch r.Kind {
	case ReviewFailure:
		if r.Failure == nil || r.Responsibility != nil {
			p.add("failure", "transformation.review", "a failure review carries the failure review only")
		}
	case ReviewResponsibility:
		if r.Responsibility == nil || r.Failure != nil {
			p.add("responsibility", "transformation.review", "a responsibility review carries the responsibility review only")
		}
	default:
		p.add("kind", "transformation.kind", fmt.Sprintf("%q: want failure or responsibility", r.Kind))
	}
	return Invalid("review", p)
}
