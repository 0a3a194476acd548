package flow

import (
	"slices"

	"go.temporal.io/sdk/workflow"
)

// Born is the changes a run was started with: the workflow or its parent
// that started it ran code that had them all, and so does the run. A run
// asks workflow.GetVersion only for the changes it was not born with —
// each first call of a run records a marker and an upsert of the
// TemporalChangeVersion search attribute, two history events, and a
// commune's run asked five, one of them in its first report's workflow
// task (issue 18). Runs started before Born existed have none and ask
// every one, as they did; their histories replay unchanged.
//
// A run born with a change is not listed under it in the
// TemporalChangeVersion search attribute; it needs no listing, as it
// never ran the code before the change.
type Born []string

// Has reports whether the run has the change (version 1 of it): born with
// it, or given it by workflow.GetVersion.
func (b Born) Has(ctx workflow.Context, change string) bool {
	if slices.Contains(b, change) {
		return true
	}
	return workflow.GetVersion(ctx, change, workflow.DefaultVersion, 1) == 1
}
