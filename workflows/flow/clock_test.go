package flow

import (
	"testing"
	"time"

	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"
)

var (
	clockStart = time.Date(2026, time.December, 7, 3, 0, 0, 0, time.UTC)
	day        = 24 * time.Hour
)

// oneSpeedClocks are clocks of one speed, as cycles recorded before the
// piecewise clock carry them.
var oneSpeedClocks = []Clock{
	{Scale: 100_000, RealOrigin: clockStart, Origin: clockStart},
	{Scale: 800_000, RealOrigin: clockStart, Origin: time.Date(2027, time.January, 28, 0, 0, 0, 0, time.UTC)},
	{Scale: 1, RealOrigin: clockStart, Origin: time.Date(2027, time.January, 28, 0, 0, 0, 0, time.UTC)},
	{Scale: 0.5, RealOrigin: clockStart, Origin: clockStart},
}

// TestClockOneSpeedUnchanged: a clock without spans reads and waits as
// the clock always did (the formulas cycles already recorded ran on), and
// the zero clock is real time.
func TestClockOneSpeedUnchanged(t *testing.T) {
	for _, c := range oneSpeedClocks {
		for _, d := range []time.Duration{0, time.Millisecond, 1234567 * time.Nanosecond, 3 * time.Second, 17 * time.Minute} {
			now := c.RealOrigin.Add(d)
			scale := max(c.Scale, 1)
			if got, want := c.At(now), c.Origin.Add(time.Duration(float64(d)*scale)); !got.Equal(want) {
				t.Errorf("%+v: At(origin+%s) = %s, want %s", c, d, got, want)
			}
			cal := c.Origin.Add(time.Duration(float64(d) * scale))
			if got, want := c.RealAt(cal), c.RealOrigin.Add(c.Real(cal.Sub(c.Origin))); !got.Equal(want) {
				t.Errorf("%+v: RealAt(%s) = %s, want %s", c, cal, got, want)
			}
		}
		if c.Piecewise() {
			t.Errorf("%+v reads as piecewise", c)
		}
	}
	var zero Clock
	if now := time.Now(); !zero.At(now).Equal(now) || !zero.RealAt(now).Equal(now) || zero.Real(time.Hour) != time.Hour {
		t.Errorf("the zero clock is not real time")
	}
}

// piecewise is a clock with two busy windows and one overlap, idle at
// 5,000,000×.
func piecewise() Clock {
	at := func(m time.Month, d int) time.Time { return time.Date(2027, m, d, 0, 0, 0, 0, time.UTC) }
	return PiecewiseClock(clockStart, clockStart, 5_000_000, []Span{
		{From: at(time.June, 14), To: at(time.June, 24), Scale: 100_000},
		{From: at(time.December, 14), To: at(time.December, 24), Scale: 100_000},
		{From: at(time.December, 14), To: time.Date(2028, time.February, 2, 0, 0, 0, 0, time.UTC), Scale: 300_000}, // overlaps: the slower wins
		{From: at(time.January, 1).AddDate(-1, 0, 0), To: at(time.January, 2).AddDate(-1, 0, 0), Scale: 10},        // before the origin: dropped
	})
}

// TestPiecewiseClockSpans: overlapping spans keep the slowest speed,
// spans that end before the origin are dropped.
func TestPiecewiseClockSpans(t *testing.T) {
	c := piecewise()
	if !c.Piecewise() {
		t.Fatal("not piecewise")
	}
	want := []struct {
		from, to string
		scale    float64
	}{{"2027-06-14", "2027-06-24", 100_000}, {"2027-12-14", "2027-12-24", 100_000}, {"2027-12-24", "2028-02-02", 300_000}}
	if len(c.Spans) != len(want) {
		t.Fatalf("spans %+v, want %d", c.Spans, len(want))
	}
	for i, w := range want {
		s := c.Spans[i]
		if s.From.Format(time.DateOnly) != w.from || s.To.Format(time.DateOnly) != w.to || s.Scale != w.scale {
			t.Errorf("span %d = %s–%s at %g, want %s–%s at %g", i, s.From.Format(time.DateOnly), s.To.Format(time.DateOnly), s.Scale, w.from, w.to, w.scale)
		}
	}
}

// TestPiecewiseClock: the calendar never goes back, runs at each span's
// speed inside it and at the idle speed outside, and a timer set for the
// real time RealAt gives never fires before the calendar time it waits for
// (nor more than a millisecond after).
func TestPiecewiseClock(t *testing.T) {
	c := piecewise()
	// Monotonic, on a fine sweep of real time across every boundary.
	prev := c.At(c.RealOrigin)
	if !prev.Equal(c.Origin) {
		t.Fatalf("At(real origin) = %s, want the origin %s", prev, c.Origin)
	}
	end := c.RealAt(time.Date(2028, time.June, 1, 0, 0, 0, 0, time.UTC))
	for r := c.RealOrigin; r.Before(end); r = r.Add(997 * time.Microsecond) {
		now := c.At(r)
		if now.Before(prev) {
			t.Fatalf("the calendar goes back at real %s: %s after %s", r.Sub(c.RealOrigin), now, prev)
		}
		prev = now
	}
	// Each instant of the calendar, including the boundaries.
	var cals []time.Time
	for _, s := range c.Spans {
		cals = append(cals, s.From, s.To, s.From.Add(time.Nanosecond), s.To.Add(-time.Nanosecond), s.From.Add(s.To.Sub(s.From)/3))
	}
	for cal := c.Origin; cal.Before(time.Date(2028, time.June, 1, 0, 0, 0, 0, time.UTC)); cal = cal.Add(7*time.Hour + 13*time.Second) {
		cals = append(cals, cal)
	}
	for _, cal := range cals {
		r := c.RealAt(cal)
		if got := c.At(r); got.Before(cal) {
			t.Errorf("the timer for %s fires at real %s, when the calendar reads %s: early", cal, r.Sub(c.RealOrigin), got)
		}
		if got := c.At(r.Add(-time.Millisecond - time.Nanosecond)); !got.Before(cal) {
			t.Errorf("the timer for %s fires at real %s, later than needed (the calendar read %s a millisecond before)", cal, r.Sub(c.RealOrigin), got)
		}
	}
	// Speeds: a real second inside a span is Scale calendar seconds, and
	// the idle months pass at the idle speed.
	for _, s := range c.Spans {
		r := c.RealAt(s.From.Add(s.To.Sub(s.From) / 2))
		if got := c.At(r.Add(time.Second)).Sub(c.At(r)); got < time.Duration(s.Scale-1)*time.Second || got > time.Duration(s.Scale+1)*time.Second {
			t.Errorf("a real second in %s–%s is %s of calendar, want %gs", s.From, s.To, got, s.Scale)
		}
	}
	busy := 10*day/100_000 + 10*day/100_000 + 40*day/300_000
	idle := time.Date(2028, time.June, 1, 0, 0, 0, 0, time.UTC).Sub(c.Origin) - 60*day
	want := busy + time.Duration(float64(idle)/5_000_000)
	if got := end.Sub(c.RealOrigin); got < want-time.Second || got > want+time.Second {
		t.Errorf("to 1 June 2028 in %s, want about %s", got, want)
	}
}

// TestPiecewiseClockAwaitUntil: a workflow on a piecewise clock waits
// across the idle months and a busy window in the real time the clock
// gives, and wakes on the calendar time it waited for, not before.
func TestPiecewiseClockAwaitUntil(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.SetStartTime(clockStart)
	c := piecewise()
	targets := []time.Time{
		time.Date(2027, time.June, 20, 0, 0, 0, 0, time.UTC),     // inside the first window
		time.Date(2027, time.September, 1, 0, 0, 0, 0, time.UTC), // idle
		time.Date(2027, time.December, 31, 8, 0, 0, 0, time.UTC), // the slower tail
	}
	type wake struct{ Real, Cal time.Time }
	env.ExecuteWorkflow(func(ctx workflow.Context) ([]wake, error) {
		var out []wake
		for _, at := range targets {
			if _, err := c.AwaitUntil(ctx, at, func() bool { return false }); err != nil {
				return nil, err
			}
			out = append(out, wake{workflow.Now(ctx), c.Now(ctx)})
		}
		return out, nil
	})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	var got []wake
	if err := env.GetWorkflowResult(&got); err != nil {
		t.Fatal(err)
	}
	for i, w := range got {
		if w.Cal.Before(targets[i]) {
			t.Errorf("woke for %s at calendar %s: early", targets[i], w.Cal)
		}
		if w.Cal.Sub(targets[i]) > 2*time.Hour { // a real millisecond at 5,000,000× is 83 minutes
			t.Errorf("woke for %s at calendar %s: late", targets[i], w.Cal)
		}
		if want := c.RealAt(targets[i]); w.Real.Sub(want) > time.Millisecond || want.Sub(w.Real) > time.Millisecond {
			t.Errorf("woke for %s at real %s, want %s", targets[i], w.Real, want)
		}
	}
}
