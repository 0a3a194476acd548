package workflows_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"chuyenhoa/cycle"
	"chuyenhoa/internal/memstore"
	"chuyenhoa/policies"
	"chuyenhoa/sample"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/selection"
)

// historyModel counts, in the test environment (which keeps no history),
// the events a run's history would hold on a server, pessimistically:
// every activity, timer and update is taken to wake the workflow in a
// workflow task of its own (3 events: scheduled, started, completed),
// which a server under load batches. It sets the count as the run's
// current history length, so that the workflow reads it as it would read
// a server's.
type historyModel struct {
	mu      sync.Mutex
	env     *testsuite.TestWorkflowEnvironment
	events  int
	updates int // proposal updates completed in the run
	local   int // local activities
}

// Events per kind of command (each includes its own workflow task).
const (
	modelStart    = 5 // started, the first workflow task
	modelActivity = 6 // scheduled, started, completed, and the task it wakes
	modelLocal    = 1 // the marker, in the task of the update that ran it
	modelTimer    = 5 // started, fired, and the task it wakes
	modelUpdate   = 5 // accepted, completed, and the task that handled it
	modelMarkers  = 4 // the versions asked (task-batches, selection-runs, …)
	modelEnd      = 1 // continued as new (or completed)
)

func newHistoryModel(env *testsuite.TestWorkflowEnvironment) *historyModel {
	m := &historyModel{env: env, events: modelStart + modelMarkers + modelEnd}
	env.SetOnActivityCompletedListener(func(*activity.Info, converter.EncodedValue, error) { m.add(modelActivity) })
	env.SetOnLocalActivityCompletedListener(func(*activity.Info, converter.EncodedValue, error) {
		m.mu.Lock()
		m.local++
		m.mu.Unlock()
		m.add(modelLocal)
	})
	env.SetOnTimerScheduledListener(func(string, time.Duration) { m.add(modelTimer) })
	env.SetCurrentHistoryLength(m.events)
	return m
}

func (m *historyModel) add(n int) {
	m.mu.Lock()
	m.events += n
	events := m.events
	m.mu.Unlock()
	m.env.SetCurrentHistoryLength(events)
}

// thousandUnits is a two-tier province of 1,000 communes with synthetic
// codes (no real province has as many: Thanh Hóa, the largest, has 166).
func thousandUnits() cycle.Province {
	p := cycle.Province{Code: "99", Name: "Tỉnh Thử Nghiệm"}
	for i := range 1000 {
		p.Communes = append(p.Communes, cycle.Commune{Code: fmt.Sprintf("9%04d", i), Name: fmt.Sprintf("Xã Thử Nghiệm %d", i+1), Kind: cycle.KindXa})
	}
	return p
}

// A cycle of 1,000 units selects its list in runs of fewer than 4,096
// history events: while it waits for the thousand proposals it continues
// as new once its history passes 3,000 events (counted by historyModel),
// carrying its state and its request ledger — a proposal retried in the
// next run gets its first result — and the last run consolidates, has the
// list appraised, signed and issued with every proposal counted.
func TestThousandUnitsSelectInShortRuns(t *testing.T) {
	prov := thousandUnits()
	pol, err := policies.ByID("000")
	require.NoError(t, err)
	store := memstore.New()
	require.NoError(t, store.SaveProvince(context.Background(), prov, sample.GenericIssuer(prov)))
	proposals := sample.Proposals(prov, pol, 2027)
	require.Len(t, proposals, 1000)
	in := selection.YearlyCycleInput{Province: prov.Code, Year: 2027, Policy: pol, StartedBy: secretariat, Synthetic: true, StopAtDecision: true}

	submitted := map[string]SubmittedProposal{}
	start := vn(2026, time.December, 1, 9)
	var decision cycle.Decision
	var retried *outcome
	var retriedUnit string
	for run := 1; ; run++ {
		require.LessOrEqual(t, run, 10, "the selection ends in a few runs")
		var s testsuite.WorkflowTestSuite
		s.SetLogger(log.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
		env := s.NewTestWorkflowEnvironment()
		env.SetStartTime(start)
		env.SetTestTimeout(2 * time.Minute)
		register(env, store, newFakeDocs())
		env.SetStartWorkflowOptions(client.StartWorkflowOptions{ID: selection.WorkflowID(prov.Code, 2027), TaskQueue: flow.TaskQueue})
		model := newHistoryModel(env)
		h := &harness{t: t, env: env, store: store, prov: prov, pol: pol, start: start}

		// The units not yet recorded submit, ten a minute (the test
		// environment takes at most a thousand callbacks at once).
		sent := map[string]*outcome{}
		var due []cycle.Proposal
		for _, p := range proposals {
			if _, ok := submitted[p.Unit]; !ok {
				due = append(due, p)
			}
		}
		n := 0
		for batch := range slices.Chunk(due, 10) {
			n++
			h.at(start.Add(time.Duration(n)*time.Minute), func() {
				for _, p := range batch {
					sent[p.Unit] = h.submit(officer(p.Unit), "prop-"+p.Unit, p)
					model.add(modelUpdate)
				}
			})
		}
		if run == 2 {
			// A proposal recorded by the first run, sent again under
			// its request ID (the officer's client timed out).
			for _, p := range proposals {
				if _, ok := submitted[p.Unit]; ok {
					retriedUnit = p.Unit
					h.at(start.Add(30*time.Second), func() { retried = h.submit(officer(p.Unit), "prop-"+p.Unit, p) })
					break
				}
			}
		}
		// Then the secretariat, the council, the head and the clerk:
		// their requests are refused while the run is still waiting for
		// proposals, and not sent at all once it has continued as new.
		last := start.Add(time.Duration(n+1) * time.Minute)
		steps := []struct {
			at   time.Duration
			name string
			arg  any
		}{
			{24 * time.Hour, selection.UpdateConsolidate, selection.ConsolidateRequest{Request: req(secretariat, "c1")}},
			{48 * time.Hour, selection.UpdateAppraise, selection.AppraiseRequest{Request: req(chair, "a1"), Appraisal: cycle.Appraisal{Approved: true}}},
			{72 * time.Hour, selection.UpdateSign, selection.SignRequest{Request: req(signer, "s1")}},
			{96 * time.Hour, selection.UpdateIssue, selection.IssueRequest{Request: req(clerk, "i1")}},
		}
		outs := make([]*outcome, len(steps))
		for i, st := range steps {
			h.at(last.Add(st.at), func() {
				outs[i] = h.update(st.name, st.name, st.arg)
				model.add(modelUpdate)
			})
		}
		env.ExecuteWorkflow(selection.YearlyCycle, in)
		require.True(t, env.IsWorkflowCompleted())
		require.Less(t, model.events, 4096, "run %d: history events (modelled)", run)
		recorded := 0
		for unit, o := range sent {
			if o.code() == "" && o.result != nil {
				submitted[unit] = SubmittedProposal{Run: run}
				recorded++
			}
		}
		t.Logf("run %d: %d proposals recorded (%d in all), %d history events modelled, %d local activities", run, recorded, len(submitted), model.events, model.local)

		var can *workflow.ContinueAsNewError
		if errors.As(env.GetWorkflowError(), &can) {
			require.Less(t, len(submitted), 1000, "run %d continued as new with every proposal in", run)
			size := 0
			for _, p := range can.Input.GetPayloads() {
				size += len(p.GetData())
			}
			require.Less(t, size, 2<<20, "the state carried fits Temporal's 2 MB payload limit")
			var next selection.YearlyCycleInput
			require.NoError(t, converter.GetDefaultDataConverter().FromPayloads(can.Input, &next))
			require.NotNil(t, next.Resume)
			require.NotNil(t, next.Resume.Selecting)
			require.Equal(t, cycle.PhaseProposals, next.Resume.Phase)
			require.Len(t, next.Resume.Proposals, len(submitted), "the proposals travel with the state")
			require.Len(t, next.Resume.Ledger.Results, len(submitted), "the ledger travels with the state")
			t.Logf("run %d: carried %d KB into the next run", run, size/1024)
			in, start = next, env.Now()
			continue
		}
		require.NoError(t, env.GetWorkflowError())
		require.NoError(t, env.GetWorkflowResult(&decision))
		for i, o := range outs {
			require.Empty(t, o.code(), "run %d: %s", run, steps[i].name)
		}
		require.GreaterOrEqual(t, run, 2, "a thousand proposals do not fit in one run")
		break
	}
	require.Len(t, submitted, 1000)
	require.NotNil(t, retried)
	require.Empty(t, retried.code(), "the retried proposal of %s", retriedUnit)
	require.Equal(t, 1, retried.result.(selection.SubmitProposalResult).Revision, "the first result, not a second revision")

	want := cycle.Select(prov, pol, proposals).Selected()
	require.NotEmpty(t, want)
	require.Len(t, decision.Communes, len(want))
	for i, c := range want {
		require.Equal(t, c.Commune, decision.Communes[i].Commune)
	}
	audit, err := store.Audit(context.Background(), selection.WorkflowID(prov.Code, 2027))
	require.NoError(t, err)
	require.Len(t, audit, 1000+4, "each proposal recorded once, then the four steps")
}

// SubmittedProposal is a unit's proposal recorded by a run.
type SubmittedProposal struct{ Run int }
