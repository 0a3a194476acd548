package workflows_test

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"chuyenhoa/cycle"
	"chuyenhoa/render"
	"chuyenhoa/templates"
	"chuyenhoa/workflows/awards"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/issuing"
	"chuyenhoa/workflows/selection"
	"chuyenhoa/workflows/transformation"
)

// fakeDocs renders a stand-in for the PDF — the workflow tests check the
// flow, packages render and templates check the documents — but maps
// each document onto its template's data as the real renderer does, and
// keeps the last data of each template for the tests to look at.
type fakeDocs struct {
	mu   sync.Mutex
	last map[string]templates.Data
}

func newFakeDocs() *fakeDocs { return &fakeDocs{last: map[string]templates.Data{}} }

// Render implements issuing.Renderer.
func (f *fakeDocs) Render(c cycle.DocumentContent) (cycle.RenderedDocument, error) {
	name, data, err := render.Data(c)
	if err != nil {
		return cycle.RenderedDocument{}, err
	}
	f.mu.Lock()
	f.last[name] = data
	f.mu.Unlock()
	return cycle.RenderedDocument{
		PDF:   []byte(fmt.Sprintf("%%PDF-1.4 %s %s %d %d", c.Kind, c.Number, c.Year, len(c.Communes)+len(c.Awardees))),
		Pages: 1, Signature: cycle.PageBox{Page: 1, X: 105, Y: 200, W: 75, H: 25}, Subject: c.Kind, Recipients: c.Recipients,
	}, nil
}

// data is the last data rendered with a template.
func (f *fakeDocs) data(name string) templates.Data {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.last[name]
}

// store is what every process's activities need of the store.
type store interface {
	flow.TaskStore
	selection.Store
	cycle.TransformationStore
	awards.Store
	issuing.Store
}

// register registers every workflow and every activity of the programme
// in a test environment, over a store and a renderer.
func register(env *testsuite.TestWorkflowEnvironment, s store, docs issuing.Renderer) {
	env.RegisterWorkflow(selection.YearlyCycle)
	env.RegisterWorkflow(transformation.CommuneTransformation)
	env.RegisterWorkflow(awards.AwardRound)
	env.RegisterActivity(&flow.Activities{Store: s})
	env.RegisterActivity(&selection.Activities{Store: s})
	env.RegisterActivity(&transformation.Activities{Store: s})
	env.RegisterActivity(&awards.Activities{Store: s})
	env.RegisterActivity(&issuing.Activities{Store: s, Renderer: docs})
}

// continuedAs is the input of the next run of the cycle env ran, which
// must have continued as new (why says when).
func continuedAs(t *testing.T, env *testsuite.TestWorkflowEnvironment, why string) selection.YearlyCycleInput {
	t.Helper()
	require.True(t, env.IsWorkflowCompleted())
	var can *workflow.ContinueAsNewError
	require.True(t, errors.As(env.GetWorkflowError(), &can), "%s: %v", why, env.GetWorkflowError())
	var next selection.YearlyCycleInput
	require.NoError(t, converter.GetDefaultDataConverter().FromPayloads(can.Input, &next))
	require.NotNil(t, next.Resume)
	return next
}

// nextRun is the test environment of the cycle's next run, started at
// start on h's store, rendering with docs, and a harness over it.
func (h *harness) nextRun(start time.Time, docs *fakeDocs) (*testsuite.TestWorkflowEnvironment, *harness) {
	env := newTestEnv(start)
	register(env, h.store, docs)
	env.SetStartWorkflowOptions(client.StartWorkflowOptions{ID: h.cycleID(), TaskQueue: flow.TaskQueue})
	n := *h
	n.env, n.start, n.docs = env, start, docs
	return env, &n
}

// newTestEnv is a test environment starting at start, with a minute's
// timeout, whose logger is quiet unless the tests run verbose (the
// activities log every notification).
func newTestEnv(start time.Time) *testsuite.TestWorkflowEnvironment {
	var s testsuite.WorkflowTestSuite
	if !testing.Verbose() {
		s.SetLogger(log.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	}
	env := s.NewTestWorkflowEnvironment()
	env.SetStartTime(start)
	env.SetTestTimeout(time.Minute)
	return env
}
