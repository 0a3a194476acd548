package workflows_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/testsuite"

	"chuyenhoa/cycle"
	"chuyenhoa/internal/memstore"
	"chuyenhoa/policies"
	"chuyenhoa/sample"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/selection"
)

// twoTierHarness runs YearlyCycle for a province of the two-tier local
// government in force since 1 July 2025 (no districts: every commune
// proposes for itself) under a shipped policy.
func twoTierHarness(t *testing.T, code, policyID string) *harness {
	t.Helper()
	all, err := sample.Communes2025()
	require.NoError(t, err)
	var prov cycle.Province
	for _, p := range all {
		if p.Code == code {
			prov = p
		}
	}
	require.NotEmpty(t, prov.Code, "province %s", code)
	require.True(t, prov.TwoTier())
	pol, err := policies.ByID(policyID)
	require.NoError(t, err)

	var s testsuite.WorkflowTestSuite
	if !testing.Verbose() {
		s.SetLogger(log.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	}
	env := s.NewTestWorkflowEnvironment()
	start := vn(2026, time.December, 1, 9)
	env.SetStartTime(start)
	env.SetTestTimeout(time.Minute)
	store := memstore.New()
	require.NoError(t, store.SaveProvince(context.Background(), prov, sample.GenericIssuer(prov)))
	docs := newFakeDocs()
	register(env, store, docs)
	h := &harness{t: t, env: env, store: store, docs: docs, prov: prov, pol: pol, proposals: sample.Proposals(prov, pol, 2027), start: start}
	h.input = selection.YearlyCycleInput{Province: prov.Code, Year: 2027, Policy: pol, StartedBy: secretariat, Synthetic: true, StopAtDecision: true}
	env.SetStartWorkflowOptions(client.StartWorkflowOptions{ID: h.cycleID(), TaskQueue: flow.TaskQueue})
	return h
}

// A two-tier province: the proposal tasks are the communes' own, a commune
// officer cannot submit for another commune, and the decision lists what
// the rules select over the whole province — under seed 000's policy
// (average of the province only: there is no district average to beat) and
// seed 002's (its per-district cap becomes the province's: there are no
// districts to cap).
func TestYearlyCycleTwoTier(t *testing.T) {
	for _, policyID := range []string{"000", "002"} {
		t.Run(policyID, func(t *testing.T) {
			h := twoTierHarness(t, "12", policyID) // Lai Châu: 38 communes since 1 July 2025
			var during selection.CycleState
			var foreign *outcome
			h.at(vn(2026, time.December, 1, 10), func() {
				during = h.state()
				// The officer of the first commune submits the second's proposal.
				foreign = h.submit(officer(h.proposals[0].Unit), "foreign", h.proposals[1])
				h.submitAll()
			})
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

			require.Equal(t, cycle.PhaseProposals, during.Phase)
			require.Len(t, during.OpenTasks, len(h.prov.Communes), "one proposal task per commune")
			for _, task := range during.OpenTasks {
				_, isCommune := h.prov.Commune(task.District)
				require.True(t, isCommune, "task %s is for unit %s, not a commune", task.ID, task.District)
			}
			require.Equal(t, cycle.EFORBIDDEN, foreign.code())

			sel := cycle.Select(h.prov, h.pol, h.proposals)
			require.NotEmpty(t, sel.Selected())
			require.Len(t, d.Communes, len(sel.Selected()))
			require.LessOrEqual(t, len(d.Communes), cycle.CapFor(h.prov, h.pol, ""))
			require.Equal(t, 38*15/100, cycle.CapFor(h.prov, h.pol, ""), "15%% of the province's 38 communes")
			for i, c := range sel.Selected() {
				require.Equal(t, c.Commune, d.Communes[i].Commune)
				for _, ch := range c.Checks {
					require.NotEqual(t, cycle.RuleDistrictAverage, ch.Rule, "a two-tier province has no district average")
				}
			}
			require.Equal(t, h.pol.ID, h.input.Policy.ID)
		})
	}
}
