package workflows_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/testsuite"

	"chuyenhoa/cycle"
	"chuyenhoa/policies"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/selection"
	"chuyenhoa/workflows/transformation"
)

// A proposal the server hands to a cycle's new run with its first
// workflow task — sent while the old run was continuing as new — is
// validated as soon as the run registers its handlers. The new run opens
// the proposal tasks still open before it registers them, so the proposal
// finds its task open and is recorded; it was refused «không còn mở» (the
// record of histories with --history-limit 500 met it every time).
func TestProposalAtTheNewRunsStartFindsItsTaskOpen(t *testing.T) {
	start := vn(2026, time.December, 1, 9)
	h := newHarness(t, start)
	first := h.proposals[:10]
	h.at(start.Add(time.Minute), func() {
		for _, p := range first {
			require.Empty(t, h.submit(officer(p.Unit), "prop-"+p.Unit, p).code())
		}
		h.env.SetCurrentHistoryLength(3500) // long: the run continues as new
	})
	h.env.ExecuteWorkflow(selection.YearlyCycle, h.input)
	next := continuedAs(t, h.env, "the first run continues as new")
	require.NotNil(t, next.Resume.Selecting)

	// The new run: the next proposal arrives with its first workflow task.
	_, h2 := h.nextRun(h.env.Now(), newFakeDocs())
	p := h.proposals[10]
	var o *outcome
	h2.env.RegisterDelayedCallback(func() { o = h2.submit(officer(p.Unit), "prop-"+p.Unit, p) }, 0)
	var open []cycle.Task
	h2.env.RegisterDelayedCallback(func() { open = h2.state().OpenTasks }, time.Minute)
	h2.env.ExecuteWorkflow(selection.YearlyCycle, next)
	require.NotNil(t, o)
	require.Empty(t, o.code(), "the proposal of %s at the new run's start", p.Unit)
	require.Equal(t, 1, o.result.(selection.SubmitProposalResult).Revision)
	for _, task := range open {
		require.NotEqual(t, cycle.TaskID(cycle.TaskSubmitProposal, p.Unit), task.ID, "the proposal's task closed")
	}
}

// A failure review the server hands to a commune's second-year run with
// its first workflow task — sent while the first year was continuing as
// new — finds the review carried from the first year open: the run opens
// it before it registers its handlers.
func TestReviewAtTheSecondYearsStartFindsItsTaskOpen(t *testing.T) {
	start := vn(2028, time.January, 5, 9)
	h := newHarness(t, start)
	pol, err := policies.ByID("000-quang-ngai-2021-2025")
	require.NoError(t, err)
	rc := h.prov.Communes[0]
	d, _ := h.prov.District(rc.District)
	c := cycle.CommuneInProgramme{ListedCommune: cycle.ListedCommune{Commune: rc.Code, Name: rc.Name, District: rc.District, DistrictName: d.Name, Types: cycle.Types{cycle.TypeSocialOrder}},
		Kind: rc.Kind, FirstYear: 2027, Year: 2028, YearNo: 2}
	review := cycle.Task{ID: fmt.Sprintf("%s/%s/%d", cycle.TaskFailureReview, rc.Code, 2027), Kind: cycle.TaskFailureReview, Role: cycle.RoleDistrictOfficer,
		District: rc.District, Title: "Kiểm điểm, làm rõ nguyên nhân và giải pháp — " + rc.Name + " chưa chuyển hóa đạt năm 2027",
		Due: cycle.DateOf(start).AddDays(10), WorkflowID: transformation.WorkflowID(h.prov.Code, rc.Code, 2027)}
	in := transformation.CommuneInput{CycleID: h.cycleID(), Province: h.prov.Code, ProvinceName: h.prov.Name, Commune: c,
		Unit: rc.District, UnitName: d.Name, Policy: pol, Synthetic: true, OpenReview: &review, Born: transformation.CommuneChanges}
	require.NoError(t, h.store.OpenCycle(context.Background(), cycle.CycleInfo{ID: h.cycleID(), Province: h.prov.Code, Year: 2027, Policy: pol, StartedBy: secretariat, StartedAt: start, Synthetic: true}))
	h.env.SetStartWorkflowOptions(client.StartWorkflowOptions{ID: review.WorkflowID, TaskQueue: flow.TaskQueue})
	o := &outcome{}
	h.env.RegisterDelayedCallback(func() {
		h.env.UpdateWorkflow(transformation.UpdateSubmitReview, "rv-1", &testsuite.TestUpdateCallback{
			OnReject:   func(err error) { o.rejected = err },
			OnAccept:   func() {},
			OnComplete: func(r any, err error) { o.result, o.err = r, err },
		}, transformation.SubmitReviewRequest{Request: req(officer(rc.District), "rv-1"),
			Failure: &cycle.FailureReview{Causes: []string{"Tỷ lệ điều tra, khám phá thấp"}, Remedies: []string{"Tăng cường lực lượng trinh sát"}}})
	}, 0)
	h.env.RegisterDelayedCallback(h.env.CancelWorkflow, time.Hour)
	h.env.ExecuteWorkflow(transformation.CommuneTransformation, in)
	require.Empty(t, o.code(), "the review at the second year's start: %v %v; workflow: %v", o.rejected, o.err, h.env.GetWorkflowError())
	require.Equal(t, cycle.ReviewFailure, o.result)
}
