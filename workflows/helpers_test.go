package workflows_test

import (
	"fmt"
	"sync"

	"go.temporal.io/sdk/testsuite"

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
