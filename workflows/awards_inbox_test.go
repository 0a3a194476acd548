package workflows_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/awards"
)

// The award round's tasks are in the officers' inbox (the store's read
// model) with their alerts, like the yearly cycle's: a unit that never
// nominates is reminded 7 and 1 days before the due date, and its task
// closes when the nominations close; each later step opens and closes its
// own task.
func TestAwardRoundTasksInInboxWithAlerts(t *testing.T) {
	due := cycle.D(2024, time.November, 15)
	h := newAwardHarness(t, "binh-phuoc", "003", 2024, vn(2024, time.November, 1, 9), due)
	units := h.input.Units
	id := awards.WorkflowID(h.input.Province, 2024)
	ctx := context.Background()
	var atStart, inReview []cycle.Task
	var nom, review, sign, issue *outcome
	h.at(vn(2024, time.November, 1, 10), func() {
		atStart, _ = h.store.OpenTasks(ctx, cycle.TaskFilter{CycleID: id})
		nom = h.nominate(units[0].Code, "a1", coll("Công an xã Long Giang"), indiv("Lê Thị Bình", false))
	})
	h.at(vn(2024, time.November, 20, 9), func() {
		inReview, _ = h.store.OpenTasks(ctx, cycle.TaskFilter{CycleID: id})
		st := h.state()
		var ids []string
		for _, n := range st.Nominations {
			ids = append(ids, n.ID)
		}
		review = h.update(awards.UpdateReviewAwards, "r1", awards.ReviewAwardsRequest{Request: req(chair, "r1"),
			Review: cycle.AwardReview{Accepted: ids, Minutes: "Biên bản họp Hội đồng Thi đua - Khen thưởng ngày 20/11/2024"}})
	})
	h.at(vn(2024, time.November, 21, 9), func() { sign = h.update(awards.UpdateSignAwards, "s1", req(signer, "s1")) })
	h.at(vn(2024, time.November, 22, 9), func() { issue = h.update(awards.UpdateIssueAwards, "i1", req(clerk, "i1")) })
	h.env.ExecuteWorkflow(awards.AwardRound, h.input)
	for _, o := range []*outcome{nom, review, sign, issue} {
		require.NotNil(t, o)
		require.Empty(t, o.code(), "%v %v", o.rejected, o.err)
	}
	require.True(t, h.env.IsWorkflowCompleted())
	require.NoError(t, h.env.GetWorkflowError())

	require.Len(t, atStart, len(units), "one nomination task per unit")
	require.Equal(t, cycle.RoleDistrictOfficer, atStart[0].Role)
	require.Equal(t, due, atStart[0].Due)
	require.Len(t, inReview, 1)
	require.Equal(t, cycle.RoleCouncilChair, inReview[0].Role)
	open, _ := h.store.OpenTasks(ctx, cycle.TaskFilter{CycleID: id})
	require.Empty(t, open, "every task closed at the end")
	require.Equal(t, "nominated by ca."+units[0].Code, h.store.Closed[id+"|nominate/"+units[0].Code])
	silent := units[1].Code
	require.Equal(t, "nominations closed without a submission", h.store.Closed[id+"|nominate/"+silent])

	ns, _ := h.store.Notifications(ctx, id)
	var kinds []string
	for _, n := range ns {
		if n.TaskID == "nominate/"+silent {
			kinds = append(kinds, string(n.Kind))
		}
		require.NotEqual(t, "nominate/"+units[0].Code, n.TaskID, "no alert for a unit that nominated")
	}
	// The nominations close when the due date ends: no overdue notice or escalation.
	require.Equal(t, []string{"reminder", "reminder"}, kinds)
}
