package transformation

import (
	"testing"
	"time"

	"chuyenhoa/cycle"
	"chuyenhoa/policies"
	"chuyenhoa/workflows/flow"
)

// TestCalendarSpansCoverTheDeadlines: under every shipped plan, on the
// piecewise clock of the national run, each round of reports of the two
// programme years runs slow from the day it opens to its first escalation
// — at the time scale for the half-year and yearly reports, twice it for
// the follow-ups whichever day in their window the head signs — so that
// officers have real seconds to meet their deadlines; the months between
// pass fast.
func TestCalendarSpansCoverTheDeadlines(t *testing.T) {
	const scale, idle = 100_000, 5_000_000
	start := cycle.D(2026, time.December, 7).At(9)
	for _, id := range []string{"000", "001", "002", "003", "004", "005"} {
		pol, err := policies.Resolve(id)
		if err != nil {
			t.Fatal(err)
		}
		const year = 2027
		clock := flow.PiecewiseClock(start, start, idle, CalendarSpans(pol, year, scale))
		// fastest is the fastest the clock runs over [from, to], hour by hour.
		fastest := func(from, to time.Time) float64 {
			speed := 0.0
			for at := from; !at.After(to); at = at.Add(time.Hour) {
				r := clock.RealAt(at)
				speed = max(speed, float64(clock.At(r.Add(time.Millisecond)).Sub(clock.At(r)))/float64(time.Millisecond))
			}
			return speed
		}
		escalation := func(due cycle.Date) time.Time { return due.AddDays(pol.Reminders.EscalateAfterDays).At(8) }
		last := year
		if pol.HasSecondYear() {
			last++
		}
		for y := year; y <= last; y++ {
			for _, k := range []cycle.ReportKind{cycle.ReportHalfYear, cycle.ReportYearly} {
				opens, due := pol.ReportPeriod(k, y).To, pol.ReportDue(k, y)
				if got := fastest(opens.Start(), escalation(due)); got > scale*1.01 {
					t.Errorf("%s: the %s reports of %d (open %s, due %s) run at up to %.0f×, want %d×", id, k, y, opens, due, got, scale)
				}
			}
			for _, signed := range []cycle.Date{pol.ReportPeriod(cycle.ReportYearly, y).To, pol.ResultsDue(y).AddDays(cycle.SignDays)} {
				opens := cycle.FollowUpPeriod(signed).To
				if got := fastest(opens.Start(), escalation(opens.AddDays(cycle.FollowUpReportDays))); got > 2*scale*1.01 {
					t.Errorf("%s: the follow-ups of %d signed %s run at up to %.0f×, want %d×", id, y, signed, got, 2*scale)
				}
			}
		}
		// The idle months: from the start to the first half-year report.
		if got := fastest(start, pol.ReportPeriod(cycle.ReportHalfYear, year).To.AddDays(-2).Start()); got < idle*0.99 {
			t.Errorf("%s: the months before the first reports run at %.0f×, want %d×", id, got, idle)
		}
	}
}

// TestPiecewiseCalendarOpensTogether: cohorts decided a minute apart, on
// calendars that must not reach their first window before the same real
// time, reach it then — the months before it pass just fast enough — and
// a cohort decided after that time gets no lead-in.
func TestPiecewiseCalendarOpensTogether(t *testing.T) {
	pol := cycle.DefaultPolicy()
	const scale, idle = 100_000, 5_000_000
	t0 := cycle.D(2026, time.December, 7).At(9)
	opens := t0.Add(100 * time.Second)
	firstReports := pol.ReportPeriod(cycle.ReportHalfYear, 2027).To.Start()
	for _, decided := range []time.Duration{0, 40 * time.Second, 90 * time.Second} {
		real := t0.Add(decided)
		c := PiecewiseCalendar(pol, 2027, real, real, opens, scale, idle)
		if got := c.RealAt(firstReports); got.Sub(opens) > time.Millisecond || opens.Sub(got) > time.Millisecond {
			t.Errorf("decided at +%s: the first reports open at +%s, want +%s", decided, got.Sub(t0), opens.Sub(t0))
		}
	}
	late := opens.Add(time.Second)
	c := PiecewiseCalendar(pol, 2027, late, late, opens, scale, idle)
	if want := flow.PiecewiseClock(late, late, idle, CalendarSpans(pol, 2027, scale)); !c.RealAt(firstReports).Equal(want.RealAt(firstReports)) {
		t.Errorf("decided after the opening: the first reports at +%s, want +%s (no lead-in)", c.RealAt(firstReports).Sub(late), want.RealAt(firstReports).Sub(late))
	}
}
