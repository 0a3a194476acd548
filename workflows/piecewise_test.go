package workflows_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/transformation"
)

// TestCohortOnPiecewiseClock runs a cohort's transformation year on the
// national run's piecewise clock (IdleScale): every officer acts on the
// calendar day after their tasks open, and the cycle reaches its
// recognition decision a year and a half of calendar later in minutes of
// (test) real time, its dates read on the calendar — the reports on
// time, the recognition after the follow-ups — and with no reminder,
// overdue notice or escalation.
func TestCohortOnPiecewiseClock(t *testing.T) {
	x := newTxHarness(t)
	const scale, idle = 100_000, 5_000_000
	x.input.TimeScale, x.input.IdleScale = scale, idle
	// The cohort starts when the clerk issues the decision (newTxHarness).
	issued := vn(2027, time.January, 6, 9)
	clock := flow.PiecewiseClock(issued, issued, idle, transformation.CalendarSpans(x.pol, 2027, scale))
	// on runs fn when the cohort's calendar reads cal.
	on := func(cal time.Time, fn func()) { x.at(clock.RealAt(cal), fn) }
	var reports []*outcome
	var started flow.Clock
	on(vn(2027, time.June, 15, 9), func() {
		started = x.state().Transformation.Clock
		for _, c := range x.list {
			reports = append(reports, x.report(c, cycle.ReportHalfYear, "h-"+c.Commune, true))
		}
	})
	on(vn(2027, time.December, 15, 9), func() {
		for _, c := range x.list {
			reports = append(reports, x.report(c, cycle.ReportYearly, "y-"+c.Commune, true))
		}
	})
	var steps []*outcome
	on(vn(2027, time.December, 16, 9), func() {
		steps = append(steps, x.update(transformation.UpdateAppraiseResults, "ar", transformation.AppraiseResultsRequest{Request: req(chair, "ar"), Year: 2027,
			Appraisal: cycle.ResultsAppraisal{Minutes: "Hội đồng thẩm định thống nhất"}}))
	})
	on(vn(2027, time.December, 17, 9), func() {
		steps = append(steps, x.update(transformation.UpdateSignResults, "sr", yearReq(signer, "sr", 2027)))
	})
	on(vn(2027, time.December, 18, 9), func() {
		steps = append(steps, x.update(transformation.UpdateIssueResults, "ir", yearReq(clerk, "ir", 2027)))
	})
	// Signed on 17/12/2027: the follow-ups run to 17/06/2028.
	on(vn(2028, time.June, 18, 9), func() {
		for _, c := range x.list {
			reports = append(reports, x.report(c, cycle.ReportFollowUp, "f-"+c.Commune, true))
		}
	})
	var recognition *outcome
	on(vn(2028, time.June, 19, 9), func() {
		steps = append(steps, x.update(transformation.UpdateAppraiseRecognition, "ac", transformation.AppraiseResultsRequest{Request: req(chair, "ac"), Year: 2027,
			Appraisal: cycle.ResultsAppraisal{Minutes: "Hội đồng thẩm định thống nhất đề nghị công nhận"}}))
	})
	on(vn(2028, time.June, 20, 9), func() {
		steps = append(steps, x.update(transformation.UpdateSignRecognition, "sg", yearReq(signer, "sg", 2027)))
	})
	on(vn(2028, time.June, 21, 9), func() {
		recognition = x.update(transformation.UpdateIssueRecognition, "is", yearReq(clerk, "is", 2027))
	})
	x.run()

	require.True(t, started.Piecewise() && started.RealOrigin.Equal(issued), "the cohort's clock %+v, want one started on %s", started, issued)
	require.Len(t, reports, 3*len(x.list))
	for _, o := range reports {
		require.Empty(t, o.code(), "%v", o.rejected)
		require.False(t, o.result.(transformation.SubmitReportResult).Late)
	}
	require.Len(t, steps, 5)
	for _, o := range steps {
		require.Empty(t, o.code(), "%v", o.rejected)
	}
	require.NotNil(t, recognition)
	require.Empty(t, recognition.code(), "%v", recognition.rejected)
	d := recognition.result.(cycle.Decision)
	require.Equal(t, cycle.D(2028, time.June, 21), d.Date, "dated on the calendar")
	require.Len(t, d.Communes, len(x.list))
	// A year and a half of calendar in minutes of real time.
	real := x.env.Now().Sub(issued)
	require.Less(t, real, 5*time.Minute, "the cohort's year took %s of real time", real)
	for _, n := range x.notifications() {
		t.Errorf("%s %s on %s: no officer was late", n.Kind, n.TaskID, n.At)
	}
	open, err := x.store.OpenTasks(context.Background(), cycle.TaskFilter{CycleID: x.cycleID()})
	require.NoError(t, err)
	require.Empty(t, open, fmt.Sprintf("%d tasks left open", len(open)))
}
