package workflows_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/selection"
)

// The secretariat closes the proposals before their due date (the README's
// by-hand path: one district has submitted, the deadline is weeks away):
// without a reason while units are missing it is refused; with one, the
// missing units' tasks close with the reason, a late proposal is refused,
// and the consolidation opens at once.
func TestSecretariatClosesProposalsEarly(t *testing.T) {
	h := newHarness(t, vn(2026, time.December, 1, 9))
	first := h.proposals[0]
	var noReason, wrongRole, closed, late, again *outcome
	var after selection.CycleState
	h.at(vn(2026, time.December, 1, 10), func() {
		require.Empty(t, h.submit(officer(first.Unit), "prop-first", first).code())
	})
	h.at(vn(2026, time.December, 2, 9), func() {
		noReason = h.update(selection.UpdateCloseProposals, "close-0", selection.CloseProposalsRequest{Request: req(secretariat, "close-0")})
		wrongRole = h.update(selection.UpdateCloseProposals, "close-1", selection.CloseProposalsRequest{Request: req(officer(first.Unit), "close-1"), Reason: "Đủ đề xuất để tổng hợp"})
		closed = h.update(selection.UpdateCloseProposals, "close-2", selection.CloseProposalsRequest{Request: req(secretariat, "close-2"), Reason: "Ban Chỉ đạo quyết định tổng hợp sớm"})
	})
	h.at(vn(2026, time.December, 2, 10), func() {
		after = h.state()
		p := h.proposals[1]
		late = h.submit(officer(p.Unit), "prop-late", p)
		again = h.update(selection.UpdateCloseProposals, "close-2", selection.CloseProposalsRequest{Request: req(secretariat, "close-2"), Reason: "Ban Chỉ đạo quyết định tổng hợp sớm"})
		h.update(selection.UpdateConsolidate, "c1", selection.ConsolidateRequest{Request: req(secretariat, "c1")})
	})
	h.at(vn(2026, time.December, 3, 9), func() {
		h.update(selection.UpdateAppraise, "a1", selection.AppraiseRequest{Request: req(chair, "a1"), Appraisal: cycle.Appraisal{Approved: true}})
	})
	h.at(vn(2026, time.December, 4, 9), func() { h.update(selection.UpdateSign, "s1", selection.SignRequest{Request: req(signer, "s1")}) })
	h.at(vn(2026, time.December, 5, 9), func() { h.update(selection.UpdateIssue, "i1", selection.IssueRequest{Request: req(clerk, "i1")}) })
	d := h.run()

	require.Equal(t, cycle.EINVALID, noReason.code(), "a reason is required while units are missing")
	require.Equal(t, cycle.EFORBIDDEN, wrongRole.code())
	require.Empty(t, closed.code())
	res := closed.result.(selection.CloseProposalsResult)
	require.Equal(t, []string{first.Unit}, res.Submitted)
	require.Len(t, res.Missing, len(h.prov.Districts)-1)
	require.Empty(t, again.code(), "a retry gets the first result")
	require.Equal(t, cycle.ECONFLICT, late.code(), "a proposal after the closing is refused")
	require.Contains(t, flowText(late), "đã kết thúc nhận đề xuất")
	require.Equal(t, cycle.PhaseConsolidation, after.Phase, "the consolidation opens at once")
	require.NotNil(t, after.ProposalsClosed)
	require.Equal(t, "Ban Chỉ đạo quyết định tổng hợp sớm", after.ProposalsClosed.Reason)
	require.NotEmpty(t, d.Code)
	open, err := h.store.OpenTasks(context.Background(), cycle.TaskFilter{CycleID: h.cycleID(), Role: cycle.RoleDistrictOfficer})
	require.NoError(t, err)
	require.Empty(t, open, "the missing units' tasks are closed")
}

// flowText is a refusal's Vietnamese text.
func flowText(o *outcome) string {
	for _, err := range []error{o.rejected, o.err} {
		if ce := flow.AsCycleError(err); ce != nil {
			return ce.In(cycle.Vietnamese)
		}
	}
	return ""
}
