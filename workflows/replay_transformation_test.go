package workflows_test

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/worker"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/selection"
	"chuyenhoa/workflows/transformation"
)

// recordedRun is a recorded history and how its run ended.
type recordedRun struct {
	file     string
	workflow string
	end      enumspb.EventType
	standing cycle.Standing // CommuneTransformation's result, when it completed
}

// recordedRuns are the histories of the transformation years recorded on a
// real server by scripts/record-histories.sh (the demo's cohort of 2027:
// one commune per scenario of the demo, every run of those that continued
// into a second year, and the cycle itself after its decision), with how
// each run ended: a change to the recording that loses a scenario fails
// here as well as a change to the code that breaks one.
var recordedRuns = []recordedRun{
	// The cycle, recorded with a history limit of 500 events
	// (record-histories.sh): it continues as new at the end of 2027's
	// programme year, carrying its state, and its second run completes.
	{"yearly_cycle_transformation_run1.json", "YearlyCycle", enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW, ""},
	{"yearly_cycle_transformation_run2.json", "YearlyCycle", enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, ""},
	// Passes its year, holds at the six-month follow-up, recognised.
	{"commune_transformation_pass.json", "CommuneTransformation", enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, cycle.StandingRecognised},
	// Reports its year late (reminder, overdue notice, escalation), passes.
	{"commune_transformation_late_report.json", "CommuneTransformation", enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, cycle.StandingRecognised},
	// Fails on its report; the council overrides the verdict with a reason.
	{"commune_transformation_council_override.json", "CommuneTransformation", enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, cycle.StandingRecognised},
	// Passes, then no longer meets the criteria at the follow-up.
	{"commune_transformation_relapse.json", "CommuneTransformation", enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, cycle.StandingRelapsed},
	// Fails year 1 (failure review, continue-as-new), passes year 2.
	{"commune_transformation_second_year_run1.json", "CommuneTransformation", enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW, ""},
	{"commune_transformation_second_year_run2.json", "CommuneTransformation", enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, cycle.StandingRecognised},
	// Fails both years: responsibility review.
	{"commune_transformation_twice_failed_run1.json", "CommuneTransformation", enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW, ""},
	{"commune_transformation_twice_failed_run2.json", "CommuneTransformation", enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, cycle.StandingResponsibility},

	// The same, recorded on 7 December 2026 (…_born.json): the communes
	// born with their changes (CommuneInput.Born: no version markers), the
	// cycle continuing as new in its selection too (96 proposals pass the
	// recording's 500 events) and its new run opening the proposal tasks
	// before its handlers (reopen-before-handlers).
	{"yearly_cycle_transformation_run1_born.json", "YearlyCycle", enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW, ""},
	{"yearly_cycle_transformation_run2_born.json", "YearlyCycle", enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW, ""},
	{"yearly_cycle_transformation_run3_born.json", "YearlyCycle", enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, ""},
	{"commune_transformation_pass_born.json", "CommuneTransformation", enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, cycle.StandingRecognised},
	{"commune_transformation_late_report_born.json", "CommuneTransformation", enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, cycle.StandingRecognised},
	{"commune_transformation_council_override_born.json", "CommuneTransformation", enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, cycle.StandingRecognised},
	{"commune_transformation_relapse_born.json", "CommuneTransformation", enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, cycle.StandingRelapsed},
	{"commune_transformation_second_year_run1_born.json", "CommuneTransformation", enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW, ""},
	{"commune_transformation_second_year_run2_born.json", "CommuneTransformation", enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, cycle.StandingRecognised},
	{"commune_transformation_twice_failed_run1_born.json", "CommuneTransformation", enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW, ""},
	{"commune_transformation_twice_failed_run2_born.json", "CommuneTransformation", enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, cycle.StandingResponsibility},
}

// TestReplayRecordedTransformation replays every recorded run of the
// transformation years against the current YearlyCycle and
// CommuneTransformation. A change that would break cycles or communes
// running in production (an activity, timer or child added, removed or
// reordered on a path these runs took) fails here with the replayer's
// nondeterminism error: guard such a change with workflow.GetVersion and
// keep these histories. Every file matching the two globs below is
// replayed, so a run recorded later (yearly_cycle_transformation_run2.json
// of a cycle that continued as new) or an old history kept under another
// name (commune_transformation_pass_v1.json) is covered too.
//
// The demo's cycle makes about 1,000 events, where the server suggests
// continue-as-new past 4,096: the script records it with the demo's
// --history-limit 500, so YearlyCycle's continue-as-new (and the run that
// resumes from the carried state) is among these runs.
//
// `bash scripts/record-histories.sh --out DIR` records new histories (about
// 2 minutes once compiled); after a guarded change, keep the old histories
// next to the new ones: workflows recorded before the change may still run.
func TestReplayRecordedTransformation(t *testing.T) {
	files := map[string]bool{}
	for _, glob := range []string{"testdata/yearly_cycle_transformation_run*.json", "testdata/commune_transformation_*.json"} {
		m, err := filepath.Glob(glob)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range m {
			files[filepath.Base(f)] = true
		}
	}
	for _, r := range recordedRuns {
		if !files[r.file] {
			t.Errorf("testdata/%s is missing: record it with scripts/record-histories.sh", r.file)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		t.Run(name, func(t *testing.T) {
			file := filepath.Join("testdata", name)
			if i := slices.IndexFunc(recordedRuns, func(r recordedRun) bool { return r.file == name }); i >= 0 {
				checkRecordedRun(t, file, recordedRuns[i])
			}
			r := worker.NewWorkflowReplayer()
			r.RegisterWorkflow(selection.YearlyCycle)
			r.RegisterWorkflow(transformation.CommuneTransformation)
			if err := r.ReplayWorkflowHistoryFromJSONFile(nil, file); err != nil {
				t.Fatalf("replaying %s: %v", file, err)
			}
		})
	}
}

// checkRecordedRun checks that a recorded run is the run it is said to be:
// its workflow type, how it ended and, for a commune, its final standing.
func checkRecordedRun(t *testing.T, file string, want recordedRun) {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h, err := client.HistoryFromJSON(f, client.HistoryJSONOptions{})
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	if len(h.Events) == 0 {
		t.Fatalf("%s: no events", file)
	}
	if got := h.Events[0].GetWorkflowExecutionStartedEventAttributes().GetWorkflowType().GetName(); got != want.workflow {
		t.Errorf("%s is a history of %q, not %q", file, got, want.workflow)
	}
	last := h.Events[len(h.Events)-1]
	if last.GetEventType() != want.end {
		t.Errorf("%s ends with %s, not %s", file, last.GetEventType(), want.end)
	}
	if want.standing == "" {
		return
	}
	var got cycle.Standing
	if err := converter.GetDefaultDataConverter().FromPayloads(last.GetWorkflowExecutionCompletedEventAttributes().GetResult(), &got); err != nil {
		t.Fatalf("%s: the result: %v", file, err)
	}
	if got != want.standing {
		t.Errorf("%s: the commune ended %q, not %q", file, got, want.standing)
	}
}
