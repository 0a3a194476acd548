package main

import (
	"bytes"
	"chuyenhoa/workflows/awards"
	"chuyenhoa/workflows/selection"
	"chuyenhoa/workflows/transformation"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"
	"google.golang.org/protobuf/encoding/protojson"
)

// maxRuns bounds the walk along a chain of runs (continue-as-new), so that
// a chain that loops back on itself cannot keep the export going.
const maxRuns = 1000

func (x *operatorTools) historyCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "history",
		Short: "Export a workflow's event history to JSON, or replay exported histories against this build's workflow code",
		Long: `A workflow's history is the list of events the Temporal server recorded for one
run. Exported to JSON, it is what replay tests need (workflows/testdata/*.json) and
what ` + "`history replay`" + ` checks a new build against before it is deployed: a change to
the workflow code that would make running workflows fail (a nondeterminism error)
shows up there first.`,
	}
	cmd.AddCommand(x.historyExportCommand(), x.historyReplayCommand())
	return cmd
}

func (x *operatorTools) historyExportCommand() *cobra.Command {
	var id, runID, out string
	var allRuns bool
	cmd := &cobra.Command{
		Use:   "export --workflow-id ID [--run-id R | --all-runs] --out FILE.json",
		Short: "Write a workflow's history as JSON (the form the replayer and `temporal workflow show --output json` use)",
		Long: `Write the history of one run of a workflow as JSON to --out: the latest run, or
--run-id's. With --all-runs, every run of the chain that ends in the latest one
(a cycle or a commune's transformation continues as new: each run has its own
history) is written, oldest first, to FILE_run1.json, FILE_run2.json, …

The workflow IDs are the business IDs: cycle/<province>/<year> for a yearly cycle,
transformation/<province>/<commune>/<first year> for a commune's transformation
(list them with ` + "`starter transformation list --json`" + `), awards/… for an award round.
A running workflow's history is written as far as it goes.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			switch {
			case id == "":
				return fmt.Errorf("history export: --workflow-id is required")
			case out == "":
				return fmt.Errorf("history export: --out is required (a .json file)")
			case runID != "" && allRuns:
				return fmt.Errorf("history export: --run-id and --all-runs exclude each other: one run, or every run")
			}
			c, err := x.client()
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			if !allRuns {
				h, err := fetchHistory(ctx, c, id, runID)
				if err != nil {
					return err
				}
				return x.writeHistory(out, id, h)
			}
			runs, err := fetchAllRuns(ctx, c, id)
			if err != nil {
				return err
			}
			base := strings.TrimSuffix(out, ".json")
			for i, h := range runs {
				if err := x.writeHistory(fmt.Sprintf("%s_run%d.json", base, i+1), id, h); err != nil {
					return err
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&id, "workflow-id", "", "the workflow's ID, e.g. cycle/51/2027 or transformation/51/21010/2027")
	cmd.Flags().StringVar(&runID, "run-id", "", "the run to export (default: the latest)")
	cmd.Flags().BoolVar(&allRuns, "all-runs", false, "export every run of the chain to FILE_run1.json, FILE_run2.json, …")
	cmd.Flags().StringVar(&out, "out", "", "the JSON file to write")
	return cmd
}

// fetchHistory reads the whole history of one run ("" = the latest).
func fetchHistory(ctx context.Context, c client.Client, id, runID string) (*historypb.History, error) {
	h := &historypb.History{}
	it := c.GetWorkflowHistory(ctx, id, runID, false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		e, err := it.Next()
		if err != nil {
			return nil, fmt.Errorf("history of workflow %s%s: %w", id, runLabel(runID), err)
		}
		h.Events = append(h.Events, e)
	}
	if len(h.Events) == 0 {
		return nil, fmt.Errorf("history of workflow %s%s: no events", id, runLabel(runID))
	}
	return h, nil
}

// fetchAllRuns reads every run of the chain that ends in the latest run of
// id, oldest first: from the first run the latest one names, along the new
// run each closed run names (continue-as-new, retry, cron).
func fetchAllRuns(ctx context.Context, c client.Client, id string) ([]*historypb.History, error) {
	latest, err := fetchHistory(ctx, c, id, "")
	if err != nil {
		return nil, err
	}
	first := latest.Events[0].GetWorkflowExecutionStartedEventAttributes().GetFirstExecutionRunId()
	if first == "" {
		return []*historypb.History{latest}, nil // a server too old to say: the latest run alone
	}
	var runs []*historypb.History
	seen := map[string]bool{}
	for run := first; run != ""; {
		if seen[run] || len(runs) == maxRuns {
			return nil, fmt.Errorf("workflow %s: the chain of runs does not end after %d runs (at run %s)", id, len(runs), run)
		}
		seen[run] = true
		h, err := fetchHistory(ctx, c, id, run)
		if err != nil {
			return nil, err
		}
		runs = append(runs, h)
		run = nextRun(h.Events[len(h.Events)-1])
	}
	return runs, nil
}

// nextRun is the run a closed run handed over to, if any.
func nextRun(last *historypb.HistoryEvent) string {
	switch {
	case last.GetWorkflowExecutionContinuedAsNewEventAttributes() != nil:
		return last.GetWorkflowExecutionContinuedAsNewEventAttributes().GetNewExecutionRunId()
	case last.GetWorkflowExecutionCompletedEventAttributes() != nil:
		return last.GetWorkflowExecutionCompletedEventAttributes().GetNewExecutionRunId()
	case last.GetWorkflowExecutionFailedEventAttributes() != nil:
		return last.GetWorkflowExecutionFailedEventAttributes().GetNewExecutionRunId()
	case last.GetWorkflowExecutionTimedOutEventAttributes() != nil:
		return last.GetWorkflowExecutionTimedOutEventAttributes().GetNewExecutionRunId()
	}
	return ""
}

func runLabel(runID string) string {
	if runID == "" {
		return " (latest run)"
	}
	return " run " + runID
}

// writeHistory writes h as indented protojson, through a temporary file
// renamed into place so that a failed export leaves no half-written file.
func (x *operatorTools) writeHistory(file, id string, h *historypb.History) error {
	b, err := protojson.MarshalOptions{Indent: "  "}.Marshal(h)
	if err != nil {
		return fmt.Errorf("history of workflow %s: %w", id, err)
	}
	if dir := filepath.Dir(file); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), ".history-*.json")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", file, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", file, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), file); err != nil {
		return err
	}
	fmt.Fprintf(x.out, "%s: %s\n", file, describeHistory(h))
	return nil
}

// describeHistory names a history's workflow type, run, size and how it ends.
func describeHistory(h *historypb.History) string {
	if len(h.Events) == 0 {
		return "no events"
	}
	st := h.Events[0].GetWorkflowExecutionStartedEventAttributes()
	last := h.Events[len(h.Events)-1]
	end, ok := closeEvents[last.GetEventType()]
	if !ok {
		end = "still running"
	}
	return fmt.Sprintf("%s, run %s, %d events, %s", st.GetWorkflowType().GetName(), st.GetOriginalExecutionRunId(), len(h.Events), end)
}

// closeEvents are the events that close a run, as describeHistory says them.
var closeEvents = map[enumspb.EventType]string{
	enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED:        "completed",
	enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED:           "failed",
	enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT:        "timed out",
	enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED:         "canceled",
	enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED:       "terminated",
	enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW: "continued as new",
}

func (x *operatorTools) historyReplayCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "replay FILE.json...",
		Short: "Replay exported histories against this build's workflow code (before deploying a new worker)",
		Long: `Replay each history file (from ` + "`history export`" + `, the Temporal CLI's
` + "`temporal workflow show --output json`" + ` or the Web UI's download) against the workflow code
compiled into this binary: YearlyCycle, CommuneTransformation and AwardRound. A file
whose events the code no longer produces in the same order fails with the
nondeterminism error naming the event; the command exits 1 if any file fails.
Run it with the new build on histories of the workflows running in production
before deploying a new worker: a failure means running workflows would be stuck
(guard the change with workflow.GetVersion).`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, files []string) error {
			// The SDK logs a failed replay as a workflow panic with its stack;
			// the FAIL line says what went wrong, so the log is for --verbose.
			logger := slog.New(slog.NewTextHandler(io.Discard, nil))
			if x.verbose {
				logger = x.logger()
			}
			var failed []string
			for _, f := range files {
				desc, err := replayHistoryFile(f, sdklog.NewStructuredLogger(logger))
				if err != nil {
					failed = append(failed, f)
					fmt.Fprintf(x.out, "FAIL  %s: %v\n", f, err)
					continue
				}
				fmt.Fprintf(x.out, "ok    %s (%s)\n", f, desc)
			}
			if len(failed) > 0 {
				return fmt.Errorf("%d of %d histories do not replay with this build: %s", len(failed), len(files), strings.Join(failed, ", "))
			}
			return nil
		},
	}
}

// replayHistoryFile replays one JSON history against every workflow this
// build registers, and describes it.
func replayHistoryFile(file string, logger sdklog.Logger) (string, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return "", err
	}
	h, err := client.HistoryFromJSON(bytes.NewReader(b), client.HistoryJSONOptions{})
	if err != nil {
		return "", fmt.Errorf("not a workflow history in JSON: %w", err)
	}
	if len(h.Events) == 0 || h.Events[0].GetWorkflowExecutionStartedEventAttributes() == nil {
		return "", errors.New("not a workflow history: its first event is not WorkflowExecutionStarted")
	}
	r := worker.NewWorkflowReplayer()
	r.RegisterWorkflow(selection.YearlyCycle)
	r.RegisterWorkflow(transformation.CommuneTransformation)
	r.RegisterWorkflow(awards.AwardRound)
	if err := r.ReplayWorkflowHistoryFromJSONFile(logger, file); err != nil {
		return "", err
	}
	return describeHistory(h), nil
}
