package main

import (
	"time"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/selection"
)

// demoCalendar is the demo's own calendar for the selection of year's
// cycle under pol (selection.DemoCalendar): the demo plays in seconds what
// a province does over weeks, so each step is dated on a working day as it
// would be in a real cycle — the proposals a week before their deadline,
// the consolidation after it and a few days before its own, the appraisal
// likewise, the signature and the issue in the last week before the
// decision's deadline — and the documents come after the deadlines they
// describe. Only the demo uses it; real cycles run on real dates.
func demoCalendar(pol cycle.Policy, year int) *selection.DemoCalendar {
	cal := pol.Calendar
	proposals := workday(cal.ProposalsDue.In(year).AddDays(-7))
	consolidation := workday(later(cal.ProposalsDue.In(year).AddDays(1), cal.ConsolidationDue.In(year).AddDays(-2)))
	appraisal := workday(later(consolidation.AddDays(1), cal.AppraisalDue.In(year).AddDays(-2)))
	signing := workday(later(appraisal.AddDays(1), cal.DecisionDue.In(year).AddDays(-4)))
	issue := workday(later(signing.AddDays(1), cal.DecisionDue.In(year).AddDays(-3)))
	return &selection.DemoCalendar{Proposals: proposals, Consolidation: consolidation, Appraisal: appraisal, Signing: signing, Issue: issue}
}

// later is the later of two dates.
func later(a, b cycle.Date) cycle.Date {
	if a.After(b) {
		return a
	}
	return b
}

// workday is d, or the Monday after it when it falls on a weekend.
func workday(d cycle.Date) cycle.Date {
	switch d.Start().Weekday() {
	case time.Saturday:
		return d.AddDays(2)
	case time.Sunday:
		return d.AddDays(1)
	}
	return d
}
