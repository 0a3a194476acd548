package main

import (
	"fmt"
	"io"
	"time"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/transformation"
)

// The national run's cost model, measured on 2 shared cores (README,
// "National-scale run"): the selection — proposals, consolidation,
// appraisal, signature, issue — costs a fixed start plus a little per
// commune (45 s–2 min 10 s for the 3,321 communes of the 34 provinces);
// the transformation years cost the cohort's calendar, from the decisions
// to its last recognition decision, on the run's clock — sped up
// --time-scale times, or piecewise with --idle-scale — however few the
// provinces (the officers keep up with it).
const (
	selectionFixed      = 15 * time.Second
	selectionPerCommune = 25 * time.Millisecond
)

// nationalEstimate is how long a national run of these plans should take:
// its selection and, unless it stops at the decisions, its transformation
// years, whose calendar runs from now to the cohorts' last recognition
// decision (calendarEnd).
type nationalEstimate struct {
	Selection      time.Duration
	Transformation time.Duration // 0 with --selection-only
	CalendarEnd    cycle.Date    // the last calendar day the cohorts wait for
}

// Total is the whole run's estimate.
func (e nationalEstimate) Total() time.Duration { return e.Selection + e.Transformation }

// estimateNational estimates a run of plans with opts started at now.
func estimateNational(plans []provincePlan, opts nationalOptions, now time.Time) nationalEstimate {
	communes, secondYear := 0, false
	for _, p := range plans {
		communes += len(p.Province.Communes)
		// A cohort of four or more has a commune that passes only in its
		// second year, and one that fails twice (national.go).
		secondYear = secondYear || p.Listed >= 4
	}
	e := nationalEstimate{Selection: selectionFixed + time.Duration(communes)*selectionPerCommune}
	if opts.selectionOnly {
		return e
	}
	e.CalendarEnd = calendarEnd(opts.policy, opts.year, secondYear)
	// The cohorts start at their decisions, after the selection; on the
	// piecewise calendar each reaches its first reports at its own
	// opening (cohortOpens), the last province's last.
	decided := now.Add(e.Selection)
	clock := flow.Clock{Scale: opts.timeScale, RealOrigin: decided, Origin: decided}
	if opts.piecewise() {
		opens := cohortOpens(plans, opts.stagger)
		last := now.Add(opens[len(opens)-1])
		clock = transformation.PiecewiseCalendar(opts.policy, opts.year, last, last, last, opts.timeScale, opts.idleScale)
	}
	if end := clock.RealAt(e.CalendarEnd.Start()); end.After(decided) {
		e.Transformation = end.Sub(decided)
	}
	return e
}

// cohortOpens is, for each province of plans in order, how long after the
// run's start its cohort reaches its first reports on the piecewise
// calendar (YearlyCycleInput.TransformationOpens): no sooner than its
// decision should be issued — the selection's estimate for the provinces
// up to it, as the officers take the proposals in the inbox's order, by
// cycle — and stagger after the province before it. The staggered
// openings of the first provinces then overlap the selection of the last
// ones (their reports go first in the inbox) instead of waiting for all
// of it: on a quiet machine the 34 decisions took 31 s where the whole
// selection's estimate is 98 s. A decision later than its opening opens
// its cohort's reports at once (PiecewiseCalendar: no lead-in).
func cohortOpens(plans []provincePlan, stagger time.Duration) []time.Duration {
	out := make([]time.Duration, len(plans))
	communes := 0
	for i, p := range plans {
		communes += len(p.Province.Communes)
		at := selectionFixed + time.Duration(communes)*selectionPerCommune
		if i > 0 {
			at = max(at, out[i-1]+stagger)
		}
		out[i] = at
	}
	return out
}

// calendarEnd is the last day a cohort of year y waits for: the
// recognition decision after the follow-up of its last programme year
// (the second when a commune continues into it).
func calendarEnd(pol cycle.Policy, y int, secondYear bool) cycle.Date {
	last := y
	if secondYear {
		last = y + 1
	}
	review := pol.ResultsDue(last).AddDays(cycle.SignDays + cycle.IssueDays)
	return cycle.FollowUpPeriod(review).To.AddDays(cycle.FollowUpReportDays + cycle.SignDays + cycle.IssueDays)
}

// printEstimate says, before the run starts, how long it should take, and
// offers the quick try when it is long.
func printEstimate(w io.Writer, e nationalEstimate, opts nationalOptions, provinces int) {
	if opts.selectionOnly {
		fmt.Fprintf(w, "• estimate: about %s to the %d approval decisions (measured on 2 shared cores; a busy machine takes longer)\n", roughly(e.Selection), provinces)
		return
	}
	speed := grouped(int(opts.timeScale)) + "× faster than real time"
	if opts.piecewise() {
		speed += " while tasks are open, " + grouped(int(opts.idleScale)) + "× between"
	}
	few := "however few the provinces"
	if opts.piecewise() {
		few = "each province's first reports " + opts.stagger.String() + " after the one before"
	}
	fmt.Fprintf(w, "• estimate: about %s — the selection about %s, then the transformation years about %s: the cohorts' calendar runs to %s, %s, %s (measured on 2 shared cores)\n",
		roughly(e.Total()), roughly(e.Selection), roughly(e.Transformation), e.CalendarEnd.Vietnamese(), speed, few)
	if e.Total() > 3*time.Minute {
		fmt.Fprintf(w, "  A quick try stops at the decisions: bash scripts/national.sh --provinces %d --selection-only (about %s), or runs a few provinces: --provinces 3 (about 2 min); Ctrl-C stops this run.\n", provinces, roughly(e.Selection))
	}
}

// roughly writes a duration as a person would estimate it: "40 s",
// "2 min", "14 min".
func roughly(d time.Duration) string {
	if d < 55*time.Second {
		return fmt.Sprintf("%d s", int(d.Round(10*time.Second).Seconds()))
	}
	if d >= 10*time.Minute {
		return fmt.Sprintf("%d min", int(d.Round(time.Minute).Minutes()))
	}
	halves := int(d.Round(30*time.Second) / (30 * time.Second))
	if halves%2 == 0 {
		return fmt.Sprintf("%d min", halves/2)
	}
	return fmt.Sprintf("%d½ min", halves/2)
}
