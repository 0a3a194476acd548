package transformation

import (
	"time"

	"go.temporal.io/sdk/workflow"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/flow"
)

// tailFactor is how much faster than its rounds of reports a piecewise
// clock runs through the steps that follow them (CalendarSpans): one task
// at a time per province, each with a week or more to its escalation.
const tailFactor = 3

// followUpFactor is how much faster than the other rounds of reports a
// piecewise clock runs through the follow-ups': their window is as wide
// as the weeks in which the head may sign the year's results, and each
// follow-up report has 13 days to its escalation where a yearly report
// has 9.
const followUpFactor = 2

// CalendarSpans are the calendar windows in which the officers of a
// cohort of year have tasks open, for a demonstration's piecewise clock
// (flow.PiecewiseClock), computed from the policy's dates alone:
//
//   - at scale, each round of reports, from the day its tasks open to the
//     day after its first escalation: the half-year and yearly reports of
//     every programme year (and the yearly reports of the years a
//     recognised commune is still followed) and the plan's own steps; at
//     followUpFactor times scale, the follow-up reports, which open six
//     months after the head signs the year's results, on a day known only
//     between the yearly reports' period end and the results' signature
//     deadline;
//   - tailFactor times faster, the steps that follow a round: the
//     council's year-end appraisal, the head's signature, the clerk's
//     issue and the reviews; the council's appraisal of the follow-ups, the
//     signature and the issue of the recognition decision.
//
// Outside them nothing falls due and the clock may run as fast as the
// workflows' timers fire. The windows assume the officers act within
// their deadlines; a step later than its escalation may fall outside.
func CalendarSpans(pol cycle.Policy, year int, scale float64) []flow.Span {
	grace := pol.Reminders.EscalateAfterDays + 1 // to the day after the first escalation
	tail := scale * tailFactor
	var spans []flow.Span
	add := func(from, to cycle.Date, scale float64) {
		spans = append(spans, flow.Span{From: from.Start(), To: to.Start(), Scale: scale})
	}
	last := year
	if pol.HasSecondYear() {
		last = year + 1
	}
	for y := year; y <= last+pol.FollowedYears(); y++ {
		yearly := pol.ReportPeriod(cycle.ReportYearly, y).To
		add(yearly, pol.ReportDue(cycle.ReportYearly, y).AddDays(grace), scale)
		if y > last {
			continue // a followed year: its yearly reports alone
		}
		half := pol.ReportPeriod(cycle.ReportHalfYear, y).To
		add(half, pol.ReportDue(cycle.ReportHalfYear, y).AddDays(grace), scale)
		// The year-end steps, at the latest on their due dates.
		issued := pol.ResultsDue(y).AddDays(cycle.SignDays + cycle.IssueDays)
		add(yearly, issued.AddDays(cycle.ReviewDays+grace), tail)
		// The follow-ups: six months after the head's signature.
		first, lastSigned := cycle.FollowUpPeriod(yearly).To, cycle.FollowUpPeriod(pol.ResultsDue(y).AddDays(cycle.SignDays)).To
		reported := lastSigned.AddDays(cycle.FollowUpReportDays)
		add(first, reported.AddDays(grace), scale*followUpFactor)
		add(first, reported.AddDays(cycle.RecognitionAppraisalDays+cycle.SignDays+cycle.IssueDays+grace), tail)
		for _, d := range pol.PlanDates(y) {
			add(d.Due.AddDays(-cycle.PlanStepLeadDays), d.Due.AddDays(grace), scale)
		}
	}
	return spans
}

// PiecewiseCalendar is the piecewise clock of a cohort of year that
// reads origin at the real time realOrigin: at scale in the policy's
// windows (CalendarSpans), at idle elsewhere — except that, when opens is
// later than realOrigin, the calendar reaches its first window no sooner
// than the real time opens: the months before it pass just fast enough.
// A national run's cohorts, decided one after another, then reach their
// first reports together once every province's selection is over, instead
// of while the officers and the worker are still busy with it.
func PiecewiseCalendar(pol cycle.Policy, year int, realOrigin, origin, opens time.Time, scale, idle float64) flow.Clock {
	spans := CalendarSpans(pol, year, scale)
	var first time.Time
	for _, s := range spans {
		if !s.From.After(origin) && s.To.After(origin) {
			first = time.Time{} // the origin is in a window: no lead-in
			break
		}
		if s.From.After(origin) && (first.IsZero() || s.From.Before(first)) {
			first = s.From
		}
	}
	if !first.IsZero() && opens.After(realOrigin) {
		if lead := float64(first.Sub(origin)) / float64(opens.Sub(realOrigin)); lead < idle {
			spans = append(spans, flow.Span{From: origin, To: first, Scale: lead})
		}
	}
	return flow.PiecewiseClock(realOrigin, origin, idle, spans)
}

// NewPiecewiseClock starts a cohort's piecewise clock
// (PiecewiseCalendar) at the workflow's current time, reading origin.
func NewPiecewiseClock(ctx workflow.Context, pol cycle.Policy, year int, origin, opens time.Time, scale, idle float64) flow.Clock {
	return PiecewiseCalendar(pol, year, workflow.Now(ctx), origin, opens, scale, idle)
}
