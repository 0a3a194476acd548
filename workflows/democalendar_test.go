package workflows_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/selection"
)

// TestDemoCalendarDatesTheSelectionSteps plays the whole selection within
// one real morning, as the demo does, with a DemoCalendar: the proposals
// are dated (and judged on time) on the calendar's proposals day, the
// signature and the decision on theirs, after the deadlines the cycle
// announced; the events read the same dates.
func TestDemoCalendarDatesTheSelectionSteps(t *testing.T) {
	h := newHarness(t, vn(2026, time.December, 6, 9))
	cal := &selection.DemoCalendar{
		Proposals:     cycle.D(2026, time.December, 18),
		Consolidation: cycle.D(2027, time.January, 8),
		Appraisal:     cycle.D(2027, time.January, 18),
		Signing:       cycle.D(2027, time.January, 26),
		Issue:         cycle.D(2027, time.January, 27),
	}
	h.input.DemoCalendar = cal
	var proposals, signing selection.CycleState
	var sign *outcome
	h.at(vn(2026, time.December, 6, 10), func() {
		h.submitAll()
	})
	h.at(vn(2026, time.December, 6, 11), func() {
		proposals = h.state()
		h.update(selection.UpdateConsolidate, "c1", selection.ConsolidateRequest{Request: req(secretariat, "c1")})
	})
	h.at(vn(2026, time.December, 6, 12), func() {
		h.update(selection.UpdateAppraise, "a1", selection.AppraiseRequest{Request: req(chair, "a1"), Appraisal: cycle.Appraisal{Approved: true, Minutes: "Hội đồng thống nhất"}})
	})
	h.at(vn(2026, time.December, 6, 13), func() {
		signing = h.state()
		sign = h.update(selection.UpdateSign, "s1", selection.SignRequest{Request: req(signer, "s1")})
	})
	h.at(vn(2026, time.December, 6, 14), func() {
		h.update(selection.UpdateIssue, "i1", selection.IssueRequest{Request: req(clerk, "i1")})
	})
	d := h.run()

	require.Equal(t, cycle.PhaseConsolidation, proposals.Phase)
	require.Equal(t, cal.Consolidation, proposals.Today)
	for _, u := range proposals.Units {
		require.Equal(t, cal.Proposals, u.On, u.Name)
		require.False(t, u.Late, u.Name)
	}
	require.Equal(t, cycle.PhaseSigning, signing.Phase)
	require.Equal(t, cal.Signing, signing.Today)
	require.Empty(t, sign.code())
	res := sign.result.(selection.SignResult)
	require.Equal(t, cal.Signing, res.SignedAt)
	require.False(t, res.Late)
	require.Equal(t, cal.Issue, d.Date)
	require.True(t, h.pol.Calendar.ProposalsDue.In(2027).Before(d.Date), "decision %s after the proposals' deadline", d.Date)
	require.Equal(t, "1/QĐ-BCĐ", d.Code)
}

// TestDemoCalendarOutOfOrderIsRefused: a calendar whose steps go back in
// time is bad input, refused before the cycle starts.
func TestDemoCalendarOutOfOrderIsRefused(t *testing.T) {
	h := newHarness(t, vn(2026, time.December, 6, 9))
	h.input.DemoCalendar = &selection.DemoCalendar{
		Proposals: cycle.D(2026, time.December, 18), Consolidation: cycle.D(2026, time.December, 10),
		Appraisal: cycle.D(2027, time.January, 18), Signing: cycle.D(2027, time.January, 26), Issue: cycle.D(2027, time.January, 27),
	}
	err := h.input.Validate()
	require.Error(t, err)
	require.Contains(t, err.Error(), "demo_calendar.consolidation")
}
