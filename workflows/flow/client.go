package flow

import (
	"context"
	"errors"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"

	"chuyenhoa/cycle"
)

// The client side of every process: how the API, the CLI, the demo and
// the tests start workflows, send officers' requests and read state. Each
// process package wraps these in its typed Client.

// Temporal is what the clients need of the Temporal client (client.Client
// has it; tests may give a fake).
type Temporal interface {
	ExecuteWorkflow(ctx context.Context, options client.StartWorkflowOptions, workflow any, args ...any) (client.WorkflowRun, error)
	DescribeWorkflowExecution(ctx context.Context, workflowID, runID string) (*workflowservice.DescribeWorkflowExecutionResponse, error)
	UpdateWorkflow(ctx context.Context, options client.UpdateWorkflowOptions) (client.WorkflowUpdateHandle, error)
	QueryWorkflow(ctx context.Context, workflowID string, runID string, queryType string, args ...any) (converter.EncodedValue, error)
}

var _ Temporal = client.Client(nil)

// UpdateID is the ID of the update that carries an officer's request: the
// request ID, scoped to the officer and the update, so that a retry with
// the same request ID returns the first result and never completes a task
// twice, while the same ID sent by another officer or for another update
// is another update.
func UpdateID(name string, r Request) string { return r.Actor.ID + "/" + name + "/" + r.RequestID }

// Call sends an officer's request as an update to a workflow and waits for
// its result into result. The workflow's refusal comes back as a
// *cycle.Error (invalid, forbidden, conflict); a workflow that is not
// running is ENOTFOUND.
func Call(ctx context.Context, t Temporal, workflowID, name string, r Request, arg, result any) error {
	h, err := t.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID: workflowID, UpdateID: UpdateID(name, r), UpdateName: name, Args: []any{arg},
		WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err == nil {
		err = h.Get(ctx, result)
	}
	return clientError(workflowID, err)
}

// Update is Call with a typed result.
func Update[T any](ctx context.Context, t Temporal, workflowID, name string, r Request, arg any) (T, error) {
	var out T
	err := Call(ctx, t, workflowID, name, r, arg, &out)
	return out, err
}

// Query runs a query on a workflow; a workflow that does not exist is ENOTFOUND.
func Query[T any](ctx context.Context, t Temporal, workflowID, name string, args ...any) (T, error) {
	var out T
	v, err := t.QueryWorkflow(ctx, workflowID, "", name, args...)
	if err == nil {
		err = v.Get(&out)
	}
	return out, clientError(workflowID, err)
}

// clientError turns the client's errors into the domain's where they say
// something an officer can act on.
func clientError(workflowID string, err error) error {
	if err == nil {
		return nil
	}
	if ce := AsCycleError(err); ce != nil {
		return ce
	}
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		return &cycle.Error{Code: cycle.ENOTFOUND, Message: "no running workflow " + workflowID, Text: "Không có quy trình " + workflowID + " đang chạy"}
	}
	return err
}

// StartOptions are the options a workflow of the programme is started
// with under its business ID: once (a second start fails), on the task
// queue, with WorkflowTaskTimeout.
func StartOptions(id string) client.StartWorkflowOptions {
	return client.StartWorkflowOptions{
		ID: id, TaskQueue: TaskQueue, WorkflowTaskTimeout: WorkflowTaskTimeout,
		WorkflowIDReusePolicy:                    enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		WorkflowIDConflictPolicy:                 enumspb.WORKFLOW_ID_CONFLICT_POLICY_FAIL,
		WorkflowExecutionErrorWhenAlreadyStarted: true,
	}
}

// StartOnce starts a workflow under its business ID — a second start is
// refused with ECONFLICT, saying that what already exists — and returns
// once started reports that the workflow has loaded what it needs and
// opened its tasks, or with the workflow's own error if it ended first (an
// unknown province, say).
func StartOnce(ctx context.Context, t Temporal, id, what string, wf, in any, started func() bool) (client.WorkflowRun, error) {
	run, err := t.ExecuteWorkflow(ctx, StartOptions(id), wf, in)
	var exists *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &exists) {
		return nil, cycle.Fail(cycle.ECONFLICT, "flow.exists", what, id)
	}
	if err != nil {
		return nil, err
	}
	for {
		if started() {
			return run, nil
		}
		d, derr := t.DescribeWorkflowExecution(ctx, id, run.GetRunID())
		if derr == nil && d.WorkflowExecutionInfo.Status != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING {
			return nil, run.Get(ctx, nil)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}
