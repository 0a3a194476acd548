package workflows

import "go.temporal.io/sdk/workflow"

// updateHandler is an update's name, handler and validator.
type updateHandler struct {
	name      string
	handler   any
	validator any
}

// registerUpdates installs updates with their validators: a rejected
// update writes nothing, not even to the workflow's history.
func registerUpdates(ctx workflow.Context, hs []updateHandler) error {
	for _, h := range hs {
		if err := workflow.SetUpdateHandlerWithOptions(ctx, h.name, h.handler, workflow.UpdateHandlerOptions{Validator: h.validator}); err != nil {
			return err
		}
	}
	return nil
}

// requestKey is the key under which a workflow remembers a completed
// request, so that a retry returns the first result: the kind of request,
// the officer and the request ID. The same ID sent for another kind of
// request, or by another officer, is another request — never the stored
// result of a different type (a type assertion on it would fail the
// workflow task over and over) nor someone else's result.
func requestKey(kind string, r Request) string {
	return kind + "\x00" + r.Actor.ID + "\x00" + r.RequestID
}
