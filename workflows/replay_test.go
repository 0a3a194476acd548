package workflows_test

import (
	"testing"

	"go.temporal.io/sdk/worker"

	"chuyenhoa/workflows"
)

// TestReplayRecordedCycle replays a whole cycle recorded on a real server
// (e2e: go test ./e2e -run EndToEnd -update-history). A change to
// YearlyCycle that would break running cycles fails here: guard such a
// change with workflow.GetVersion.
func TestReplayRecordedCycle(t *testing.T) {
	r := worker.NewWorkflowReplayer()
	r.RegisterWorkflow(workflows.YearlyCycle)
	if err := r.ReplayWorkflowHistoryFromJSONFile(nil, "testdata/yearly_cycle_history.json"); err != nil {
		t.Fatalf("replaying the recorded cycle: %v", err)
	}
}
