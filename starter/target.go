package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"

	"github.com/spf13/cobra"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/selection"
)

// target is the cycle a command acts on and who acts.
type target struct {
	province  string
	year      int
	actorID   string
	actorName string
	role      string
	district  string
	requestID string
	json      bool
}

func (t *target) cycleFlags(cmd *cobra.Command) {
	cmd.Flags().StringVar(&t.province, "province", "51", "province code (51 = Quảng Ngãi)")
	cmd.Flags().IntVar(&t.year, "year", 2027, "the cycle's transformation year")
	cmd.Flags().BoolVar(&t.json, "json", false, "print JSON")
}

func (t *target) actorFlags(cmd *cobra.Command, role cycle.Role) {
	t.cycleFlags(cmd)
	cmd.Flags().StringVar(&t.actorID, "as", os.Getenv("CHUYENHOA_OFFICER"), "the officer's ID (env CHUYENHOA_OFFICER)")
	cmd.Flags().StringVar(&t.actorName, "name", "", "the officer's display name")
	cmd.Flags().StringVar(&t.role, "role", string(role), "the role the officer acts in")
	cmd.Flags().StringVar(&t.requestID, "request-id", "", "request ID; repeat it to retry safely (default: a new random ID)")
	_ = cmd.MarkFlagRequired("as")
}

func (t *target) id() string { return selection.WorkflowID(t.province, t.year) }

func (t *target) request() flow.Request {
	rid := t.requestID
	if rid == "" {
		rid = newRequestID()
	}
	return flow.Request{Actor: cycle.Actor{ID: t.actorID, Name: t.actorName, Role: cycle.Role(t.role), District: t.district}, RequestID: rid}
}

// update sends an officer's request to a cycle and waits for its result.
func (x *cli) update(ctx context.Context, t *target, name string, r flow.Request, arg, result any) error {
	return x.updateWorkflow(ctx, t.id(), "cycle", "starter cycle start", name, r, arg, result)
}

// updateWorkflow sends an officer's request as an update to a running
// workflow (a cycle, a commune's transformation, an award round) and waits
// for its result; a workflow that is not running is ENOTFOUND, saying
// which command starts it. The update's ID is the request ID scoped to the
// officer and the update (flow.UpdateID), as the API's: the same request
// ID sent for another step, or by another officer, is another request.
func (x *cli) updateWorkflow(ctx context.Context, id, what, starts, name string, r flow.Request, arg, result any) error {
	c, err := x.client()
	if err != nil {
		return err
	}
	h, err := c.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID: id, UpdateID: flow.UpdateID(name, r), UpdateName: name, Args: []any{arg}, WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err == nil {
		err = h.Get(ctx, result)
	}
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		return cycle.Errorf(cycle.ENOTFOUND, "no running %s %s: start it with `%s`", what, id, starts)
	}
	return err
}

func (x *cli) print(t *target, v any, text func()) {
	if t.json {
		enc := json.NewEncoder(x.out)
		enc.SetIndent("", "  ")
		_ = enc.Encode(v)
		return
	}
	text()
}
