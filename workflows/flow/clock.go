package flow

import (
	"math"
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
type Clock struct {
	Scale      float64   `json:"scale,omitempty"`       // calendar seconds per real second; ≤ 1: real time
	RealOrigin time.Time `json:"real_origin,omitempty"` // the real time at which …
	Origin     time.Time `json:"origin,omitempty"`      // … the calendar read this (zero RealOrigin: real time)
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

func (c Clock) scaled() bool { return c.Scale > 1 }

// shifted reports whether the calendar differs from real time.
func (c Clock) shifted() bool { return !c.RealOrigin.IsZero() }

// Now is the calendar time.
func (c Clock) Now(ctx workflow.Context) time.Time {
	now := workflow.Now(ctx)
	if !c.shifted() {
		return now
	}
	scale := math.Max(c.Scale, 1)
	return c.Origin.Add(time.Duration(float64(now.Sub(c.RealOrigin)) * scale))
}

// Today is the calendar date in Vietnam.
func (c Clock) Today(ctx workflow.Context) cycle.Date { return cycle.DateOf(c.Now(ctx)) }

// Real is the real duration of a calendar duration (rounded up, so that
// a timer never fires before the calendar time it waits for).
func (c Clock) Real(d time.Duration) time.Duration {
	if !c.scaled() || d <= 0 {
		return d
	}
	return time.Duration(math.Ceil(float64(d) / c.Scale))
}

// AwaitUntil waits until the calendar reaches t or cond holds, whichever
// comes first, and reports whether cond held.
func (c Clock) AwaitUntil(ctx workflow.Context, t time.Time, cond func() bool) (bool, error) {
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
