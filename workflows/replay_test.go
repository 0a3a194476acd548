package workflows_test

import (
	"chuyenhoa/workflows/selection"
	"path/filepath"
	"testing"

	"go.temporal.io/sdk/worker"
)

// TestReplayRecordedCycle replays whole cycles recorded on a real server:
// yearly_cycle_history_v0.json before the issue pipeline (the
// "issue-sign-archive-deliver" version marker) existed, and
// yearly_cycle_history.json with it (e2e: go test ./e2e -run EndToEnd
// -update-history rewrites the latter), and
// yearly_cycle_history_head_external.json, where the head signs the
// approval decision with their own certificate (issue 17: the
// "head-external-signature" and "head-signature-dated-when-signed"
// markers, the decision prepared, the CMS embedded, the seal alone at
// the issue) — the demo's selection on `demo devserver`:
// `bin/demo --selection-only --year 2027` then `bin/starter operator
// history export --workflow-id cycle/51/2027`. A change to YearlyCycle that would
// break running cycles fails here: guard such a change with
// workflow.GetVersion and keep the old histories.
func TestReplayRecordedCycle(t *testing.T) {
	files, err := filepath.Glob("testdata/yearly_cycle_history*.json")
	if err != nil || len(files) < 2 {
		t.Fatalf("recorded histories: %v %v", files, err)
	}
	for _, f := range files {
		r := worker.NewWorkflowReplayer()
		r.RegisterWorkflow(selection.YearlyCycle)
		if err := r.ReplayWorkflowHistoryFromJSONFile(nil, f); err != nil {
			t.Errorf("replaying %s: %v", f, err)
		}
	}
}
