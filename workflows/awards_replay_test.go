package workflows_test

import (
	"chuyenhoa/workflows/awards"
	"testing"

	"go.temporal.io/sdk/worker"
)

// TestReplayRecordedAwardRound replays a whole award round of policy 003
// recorded on a real server (`go run ./demo awards --save-history
// workflows/testdata/award_round_history.json`): nominations, one refused
// in its validator, early close, review, signature, issue. A change to
// AwardRound that would break running rounds fails here: guard such a
// change with workflow.GetVersion.
func TestReplayRecordedAwardRound(t *testing.T) {
	r := worker.NewWorkflowReplayer()
	r.RegisterWorkflow(awards.AwardRound)
	if err := r.ReplayWorkflowHistoryFromJSONFile(nil, "testdata/award_round_history.json"); err != nil {
		t.Fatalf("replaying the recorded award round: %v", err)
	}
}
