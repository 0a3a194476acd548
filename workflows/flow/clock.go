package flow

import (
	"math"
	"slices"
	"time"

	"go.temporal.io/sdk/workflow"

	"chuyenhoa/cycle"
)

// Clock is the calendar the transformation year runs on: real time, or —
// for demonstrations only — real time sped up Scale times from an origin,
// so that a two-year programme can be watched in minutes, or shifted to an
// origin of the demonstration's own calendar (NewClockAt). Real runs leave
// it zero. The clock is part of the workflows' input, so it is the same on
// every replay.
//
// A piecewise clock (Spans set, NewPiecewiseClock) runs at each span's own
// speed inside its calendar window — the weeks in which officers have tasks
// open, slow enough for them to meet their deadlines — and Idle times faster
// than real time everywhere else: the months in which nothing is due pass
// in seconds. It is a pure function of the real time too, so it reads the
// same on every replay and in every workflow that carries it.
type Clock struct {
	Scale      float64   `json:"scale,omitempty"`       // calendar seconds per real second; ≤ 1: real time
	RealOrigin time.Time `json:"real_origin,omitempty"` // the real time at which …
	Origin     time.Time `json:"origin,omitempty"`      // … the calendar read this (zero RealOrigin: real time)
	// Spans are the calendar windows of a piecewise clock, in time order,
	// disjoint; empty: the clock runs at Scale throughout.
	Spans []Span `json:"spans,omitempty"`
	// Idle is a piecewise clock's speed outside its spans.
	Idle float64 `json:"idle,omitempty"`
}

// Span is a calendar window in which a piecewise clock runs at Scale.
type Span struct {
	From  time.Time `json:"from"`
	To    time.Time `json:"to"`
	Scale float64   `json:"scale"` // calendar seconds per real second, ≥ 1
}

// NewClock starts a clock at the workflow's current time.
func NewClock(ctx workflow.Context, scale float64) Clock {
	if scale <= 1 {
		return Clock{}
	}
	now := workflow.Now(ctx)
	return Clock{Scale: scale, RealOrigin: now, Origin: now}
}

// NewClockAt starts a clock that reads origin at the workflow's current
// time and runs from there scale times faster (≤ 1: at real speed): a
// demonstration's transformation years that follow the dates of its
// selection (selection.DemoCalendar) rather than the real ones.
func NewClockAt(ctx workflow.Context, scale float64, origin time.Time) Clock {
	if scale < 1 {
		scale = 1
	}
	return Clock{Scale: scale, RealOrigin: workflow.Now(ctx), Origin: origin}
}

// NewPiecewiseClock starts a piecewise clock that reads origin at the
// workflow's current time (PiecewiseClock).
func NewPiecewiseClock(ctx workflow.Context, origin time.Time, idle float64, spans []Span) Clock {
	return PiecewiseClock(workflow.Now(ctx), origin, idle, spans)
}

// PiecewiseClock is a clock that reads origin at the real time realOrigin
// and runs at each span's speed inside it and at idle (≥ 1) elsewhere.
// Spans may overlap: where they do, the slowest wins. Spans that end
// before origin, or are empty, are dropped; speeds below 1 count as 1.
func PiecewiseClock(realOrigin, origin time.Time, idle float64, spans []Span) Clock {
	idle = math.Max(idle, 1)
	// Every boundary, in order; each piece between two is as slow as the
	// slowest span covering it.
	var cuts []time.Time
	for _, s := range spans {
		if s.To.After(s.From) && s.To.After(origin) {
			cuts = append(cuts, s.From, s.To)
		}
	}
	slices.SortFunc(cuts, func(a, b time.Time) int { return a.Compare(b) })
	cuts = slices.CompactFunc(cuts, func(a, b time.Time) bool { return a.Equal(b) })
	var out []Span
	for i := 0; i+1 < len(cuts); i++ {
		from, to := cuts[i], cuts[i+1]
		scale := 0.0
		for _, s := range spans {
			if !s.From.After(from) && !s.To.Before(to) && (scale == 0 || s.Scale < scale) {
				scale = math.Max(s.Scale, 1)
			}
		}
		switch {
		case scale == 0: // a gap between spans
		case len(out) > 0 && out[len(out)-1].To.Equal(from) && out[len(out)-1].Scale == scale:
			out[len(out)-1].To = to
		default:
			out = append(out, Span{From: from, To: to, Scale: scale})
		}
	}
	c := Clock{RealOrigin: realOrigin, Origin: origin, Spans: out, Idle: idle, Scale: idle}
	if len(out) > 0 {
		c.Scale = math.Min(idle, out[0].Scale) // the slowest a reader of Scale alone should assume
		for _, s := range out {
			c.Scale = math.Min(c.Scale, s.Scale)
		}
	}
	return c
}

func (c Clock) scaled() bool { return c.Scale > 1 }

// shifted reports whether the calendar differs from real time.
func (c Clock) shifted() bool { return !c.RealOrigin.IsZero() }

// Piecewise reports whether the clock runs at different speeds in
// different calendar windows.
func (c Clock) Piecewise() bool { return c.Idle > 0 }

// Now is the calendar time.
func (c Clock) Now(ctx workflow.Context) time.Time { return c.At(workflow.Now(ctx)) }

// At is the calendar time at the real time now.
func (c Clock) At(now time.Time) time.Time {
	if !c.shifted() {
		return now
	}
	if !c.Piecewise() {
		scale := math.Max(c.Scale, 1)
		return c.Origin.Add(time.Duration(float64(now.Sub(c.RealOrigin)) * scale))
	}
	var at time.Time
	c.walk(func(real, cal time.Time, scale float64, calEnd time.Time) bool {
		realEnd := real.Add(realDuration(calEnd.Sub(cal), scale))
		if !calEnd.IsZero() && !now.Before(realEnd) {
			return false
		}
		at = cal.Add(time.Duration(float64(now.Sub(real)) * scale))
		if !calEnd.IsZero() && at.After(calEnd) {
			at = calEnd
		}
		return true
	})
	return at
}

// RealAt is the real time at which the calendar reads t: a timer set for
// it never fires before the calendar time it waits for (within a
// millisecond, rounded up).
func (c Clock) RealAt(t time.Time) time.Time {
	if !c.shifted() {
		return t
	}
	if !c.Piecewise() {
		return c.RealOrigin.Add(c.Real(t.Sub(c.Origin)))
	}
	var at time.Time
	c.walk(func(real, cal time.Time, scale float64, calEnd time.Time) bool {
		if !calEnd.IsZero() && t.After(calEnd) {
			return false
		}
		at = real.Add(realDuration(t.Sub(cal), scale))
		return true
	})
	// Rounded up to the millisecond: the calendar read back at that real
	// time is never before t, float rounding included.
	if r := at.Sub(c.RealOrigin); r > 0 {
		at = c.RealOrigin.Add((r + time.Millisecond - 1).Truncate(time.Millisecond))
	}
	return at
}

// walk calls piece for each piece of a piecewise clock in order — its
// start in real and calendar time, its speed and its calendar end (zero for
// the last, which runs on for ever) — until piece returns true.
func (c Clock) walk(piece func(real, cal time.Time, scale float64, calEnd time.Time) bool) {
	real, cal := c.RealOrigin, c.Origin
	next := func(scale float64, to time.Time) bool {
		if !to.After(cal) {
			return false
		}
		if piece(real, cal, scale, to) {
			return true
		}
		real, cal = real.Add(realDuration(to.Sub(cal), scale)), to
		return false
	}
	for _, s := range c.Spans {
		if next(c.Idle, s.From) || next(s.Scale, s.To) {
			return
		}
	}
	piece(real, cal, c.Idle, time.Time{})
}

// realDuration is the real duration of calendar duration d at scale,
// rounded up.
func realDuration(d time.Duration, scale float64) time.Duration {
	if d <= 0 {
		return d
	}
	return time.Duration(math.Ceil(float64(d) / math.Max(scale, 1)))
}

// Today is the calendar date in Vietnam.
func (c Clock) Today(ctx workflow.Context) cycle.Date { return cycle.DateOf(c.Now(ctx)) }

// Real is the real duration of a calendar duration (rounded up, so that
// a timer never fires before the calendar time it waits for) on a clock
// that runs at one speed; a piecewise clock's depends on where the
// duration starts (RealAt).
func (c Clock) Real(d time.Duration) time.Duration {
	if !c.scaled() || d <= 0 {
		return d
	}
	return time.Duration(math.Ceil(float64(d) / c.Scale))
}

// AwaitUntil waits until the calendar reaches t or cond holds, whichever
// comes first, and reports whether cond held.
func (c Clock) AwaitUntil(ctx workflow.Context, t time.Time, cond func() bool) (bool, error) {
	if c.Piecewise() && c.shifted() {
		for {
			now := workflow.Now(ctx)
			if !c.At(now).Before(t) {
				return cond(), nil
			}
			// At least a millisecond: a wait never spins on a calendar
			// that float rounding left a hair short of t.
			ok, err := workflow.AwaitWithTimeout(ctx, max(c.RealAt(t).Sub(now), time.Millisecond), cond)
			if err != nil || ok {
				return ok, err
			}
		}
	}
	// The first wait is the same timer as a plain AwaitWithTimeout, so
	// that histories recorded before the clock existed replay unchanged.
	for {
		d := t.Sub(c.Now(ctx))
		if d <= 0 {
			return cond(), nil
		}
		ok, err := workflow.AwaitWithTimeout(ctx, c.Real(d), cond)
		if err != nil || ok {
			return ok, err
		}
	}
}
