package workflows_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"chuyenhoa/cycle"
	"chuyenhoa/templates"
	"chuyenhoa/workflows/transformation"
)

// After recognition, under a policy that follows recognised communes for
// a year (process.followed_years, as the 2026–2030 template sets): each
// recognised commune of 2027 sends a yearly report on 2028, compared with
// the year before its programme; A's fails and records its relapse, with
// its date; the others hold. The second target of 000 §I.3 ("ít nhất 85%
// các địa bàn đã chuyển hóa không phức tạp trở lại") is then measured on
// those reports and printed, with the first, in 2028's summary.
func TestRecognisedCommunesStayFollowed(t *testing.T) {
	x := newTxHarness(t)
	x.pol.Process = &cycle.Process{FollowedYears: 1}
	x.input.Policy = x.pol
	x.env.SetTestTimeout(3 * time.Minute)
	A, C := x.list[0], x.list[2]
	x.at(vn(2027, time.June, 15, 9), func() {
		for _, c := range x.list {
			x.report(c, cycle.ReportHalfYear, "h-"+c.Commune, true)
		}
	})
	x.at(vn(2027, time.December, 15, 9), func() {
		for _, c := range x.list {
			x.report(c, cycle.ReportYearly, "y-"+c.Commune, c.Commune != C.Commune)
		}
	})
	x.yearEnd(2027, cycle.ResultsAppraisal{})
	x.at(vn(2028, time.January, 10, 9), func() {
		x.updateChild(C, transformation.UpdateSubmitReview, "rv-c", transformation.SubmitReviewRequest{Request: req(officer(C.District), "rv-c"),
			Failure: &cycle.FailureReview{Causes: []string{"Tỷ lệ điều tra, khám phá thấp"}, Remedies: []string{"Tăng cường lực lượng trinh sát"}}})
	})
	x.at(vn(2028, time.July, 5, 9), func() {
		for _, c := range x.list {
			if c.Commune != C.Commune {
				x.report(c, cycle.ReportFollowUp, "f-"+c.Commune, true)
			}
		}
	})
	x.recognition(2027)
	x.at(vn(2028, time.June, 15, 9), func() { x.report(C, cycle.ReportHalfYear, "h2-c", true) })
	// 14/12/2028: C's second yearly report, and the recognised communes'
	// yearly reports on 2028 (their tasks opened when the period ended).
	var early *outcome
	var openOn14 []cycle.Task
	x.at(vn(2028, time.December, 1, 9), func() {
		early = x.report(A, cycle.ReportYearly, "s-early", true)
	})
	var stateA transformation.CommuneState
	x.at(vn(2028, time.December, 15, 9), func() {
		var err error
		openOn14, err = x.store.OpenTasks(context.Background(), cycle.TaskFilter{CycleID: x.cycleID()})
		require.NoError(t, err)
		x.report(C, cycle.ReportYearly, "y2-c", true)
		for _, c := range x.list {
			if c.Commune != C.Commune {
				x.report(c, cycle.ReportYearly, "s-"+c.Commune, c.Commune != A.Commune)
			}
		}
	})
	x.at(vn(2028, time.December, 16, 9), func() { stateA = x.childState(A) })
	x.yearEnd(2028, cycle.ResultsAppraisal{})
	x.at(vn(2029, time.July, 5, 9), func() { x.report(C, cycle.ReportFollowUp, "f2-c", true) })
	x.recognition(2028)
	x.at(vn(2029, time.December, 15, 9), func() { x.report(C, cycle.ReportYearly, "s2-c", true) })
	x.run()
	ctx := context.Background()

	require.Equal(t, cycle.ECONFLICT, early.code(), "a recognised commune's report before its period ends")
	sustained := 0
	for _, tk := range openOn14 {
		if tk.Kind == cycle.TaskYearlyReport && tk.ID != "yearly_report/"+C.Commune+"/2028" {
			sustained++
			require.Contains(t, tk.Title, "theo dõi duy trì kết quả")
			require.Contains(t, tk.Title, "đã được công nhận chuyển hóa đạt theo Quyết định số")
		}
	}
	require.Equal(t, len(x.list)-1, sustained, "every commune recognised in 2028 reports on 2028")

	// A's relapse: its standing, its date, its outcome row.
	require.Equal(t, cycle.StandingRelapsed, stateA.Standing)
	require.Contains(t, stateA.Events[len(stateA.Events)-1].Text, "Tái phức tạp sau khi được công nhận")
	txs, err := x.store.Transformations(ctx, x.prov.Code)
	require.NoError(t, err)
	standing := map[string]cycle.Transformation{}
	for _, tr := range txs {
		standing[tr.Commune] = tr
	}
	require.Equal(t, cycle.StandingRelapsed, standing[A.Commune].Standing)
	require.Contains(t, standing[A.Commune].Note, "received on 15/12/2028")
	require.Equal(t, cycle.StandingRecognised, standing[x.list[1].Commune].Standing)
	require.Equal(t, cycle.StandingRecognised, standing[C.Commune].Standing)

	// 2028's summary: the year's first target (C, 1 of 1) and the second
	// on the 24 communes transformed in 2027 and followed since (A relapsed).
	sum := x.docs.data(templates.Summary).(templates.SummaryData)
	require.Equal(t, 2028, sum.Year)
	require.Equal(t, 1, sum.Selected)
	require.Equal(t, len(x.list)-1, sum.FollowedUp)
	require.Equal(t, 1, sum.Relapsed)
	require.True(t, sum.MeetsNotRelapsedTarget())
	rows, err := x.store.Outcomes(ctx, x.prov.Code)
	require.NoError(t, err)
	k := cycle.SummaryKPI(x.pol, x.prov.Code, 2028, rows)
	require.Equal(t, len(x.list), k.FollowedUp, "C held at its follow-up in 2029 too")

	// Nothing is left open; the cohort closed after C's last report.
	open, err := x.store.OpenTasks(ctx, cycle.TaskFilter{CycleID: x.cycleID()})
	require.NoError(t, err)
	require.Empty(t, open)
	require.Equal(t, cycle.PhaseClosed, x.state().Phase)
}
