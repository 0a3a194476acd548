package workflows_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"chuyenhoa/cycle"
	"chuyenhoa/policies"
	"chuyenhoa/templates"
	"chuyenhoa/workflows/selection"
)

// Quảng Ngãi as it is today (51: two tiers since 1 July 2025, 96 xã,
// phường and đặc khu) runs its 2027 cycle under the policy in force on
// 1 January 2027 — the shipped 2026–2030 two-tier template — to the issued
// decision: a proposal task per commune, the province's 15% cap and
// average only, and a decision naming "xã, phường, đặc khu".
func TestYearlyCycleUnderTheTwoTierTemplate(t *testing.T) {
	all, err := policies.Builtin()
	require.NoError(t, err)
	inForce, err := policies.InForce(all, "51", cycle.D(2027, time.January, 1))
	require.NoError(t, err)
	require.Equal(t, "005-quang-ngai-2026-2030", inForce.ID)

	h := twoTierHarness(t, "51", inForce.ID)
	require.Len(t, h.prov.Communes, 96)
	h.at(vn(2026, time.December, 1, 10), func() { h.submitAll() })
	h.at(vn(2026, time.December, 26, 9), func() {
		require.Empty(t, h.update(selection.UpdateConsolidate, "c1", selection.ConsolidateRequest{Request: req(secretariat, "c1")}).code())
	})
	h.at(vn(2027, time.January, 8, 9), func() {
		require.Empty(t, h.update(selection.UpdateAppraise, "a1", selection.AppraiseRequest{Request: req(chair, "a1"), Appraisal: cycle.Appraisal{Approved: true}}).code())
	})
	h.at(vn(2027, time.January, 20, 9), func() {
		require.Empty(t, h.update(selection.UpdateSign, "s1", selection.SignRequest{Request: req(signer, "s1")}).code())
	})
	h.at(vn(2027, time.January, 21, 9), func() {
		require.Empty(t, h.update(selection.UpdateIssue, "i1", selection.IssueRequest{Request: req(clerk, "i1")}).code())
	})
	d := h.run()

	sel := cycle.Select(h.prov, h.pol, h.proposals)
	require.NotEmpty(t, sel.Selected())
	require.Len(t, d.Communes, len(sel.Selected()))
	require.Equal(t, 96*15/100, cycle.CapFor(h.prov, h.pol, ""), "15%% of the province's 96 communes")
	require.LessOrEqual(t, len(d.Communes), 96*15/100)
	for _, c := range sel.Candidates {
		for _, ch := range c.Checks {
			require.NotEqual(t, cycle.RuleDistrictAverage, ch.Rule, "no district tier")
		}
	}
	approval, ok := h.docs.data(templates.Approval).(templates.ApprovalData)
	require.True(t, ok, "the approval decision was rendered")
	require.Equal(t, "xã, phường, đặc khu", approval.Units)
	require.Equal(t, "005-quang-ngai-2026-2030", h.input.Policy.ID)
}
