package workflows_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/testsuite"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/selection"
	"chuyenhoa/workflows/transformation"
)

// The cycle continues as new at the end of a programme year with its whole
// state, request ledger included: the clerk's issue of the year's results,
// retried after the continue-as-new (a client that timed out), gets the
// documents it issued the first time instead of a refusal; a new request
// for the same step is refused, the step being done.
func TestRetryAfterContinueAsNewGetsTheFirstResult(t *testing.T) {
	x := newTxHarness(t)
	// The server suggests continuing as new once the selection is done
	// (a suggestion while waiting for the proposals would continue the
	// selection as new: see TestThousandUnitsSelectInShortRuns).
	x.at(vn(2026, time.December, 1, 11), func() { x.env.SetContinueAsNewSuggested(true) })
	x.env.SetDetachedChildWait(false) // the communes go on; the test follows the cycle
	x.at(vn(2027, time.December, 15, 9), func() {
		for _, c := range x.list {
			x.report(c, cycle.ReportYearly, "y-"+c.Commune, true)
		}
	})
	_, _, iss := x.yearEnd(2027, cycle.ResultsAppraisal{Minutes: "Hội đồng thẩm định thống nhất"})
	x.env.ExecuteWorkflow(selection.YearlyCycle, x.input)
	next := continuedAs(t, x.env, "the cycle continues as new after its first programme year")
	require.Empty(t, (*iss).code())
	first := (*iss).result.([]cycle.Decision)
	require.Len(t, first, 1, "the yearly summary")

	require.NotEmpty(t, next.Resume.Ledger.Results, "the ledger travels with the state")
	require.Equal(t, cycle.PhaseFollowUp, next.Resume.Phase)
	require.Len(t, next.Resume.Units, len(x.prov.Units()), "the units travel with the state")

	// The new run, on the same store.
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	start := vn(2028, time.January, 5, 9)
	env.SetStartTime(start)
	env.SetTestTimeout(time.Minute)
	register(env, x.store, newFakeDocs())
	env.SetStartWorkflowOptions(client.StartWorkflowOptions{ID: x.cycleID(), TaskQueue: flow.TaskQueue})
	h2 := &harness{t: t, env: env, start: start}
	var retried, again *outcome
	var st selection.CycleState
	h2.at(start.Add(time.Hour), func() {
		retried = h2.update(transformation.UpdateIssueResults, "ir2027", yearReq(clerk, "ir2027", 2027))
		again = h2.update(transformation.UpdateIssueResults, "ir2027-b", yearReq(clerk, "ir2027-b", 2027))
	})
	h2.at(start.Add(2*time.Hour), func() {
		st = h2.state()
		env.CancelWorkflow()
	})
	env.ExecuteWorkflow(selection.YearlyCycle, next)
	require.Empty(t, retried.code(), "the retried request gets its first result")
	require.Equal(t, first, retried.result.([]cycle.Decision))
	require.Equal(t, cycle.ECONFLICT, again.code(), "a new request for a done step is refused")
	require.Equal(t, cycle.PhaseFollowUp, st.Phase)
	require.NotNil(t, st.Transformation)
	require.Len(t, st.Transformation.Communes, len(x.list))
}
