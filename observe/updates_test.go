package observe_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"google.golang.org/grpc"

	"chuyenhoa/observe"
)

// TestUpdatesCounted: every attempt of an update is counted, the errors
// the SDK retries by itself as retries, the server's "workflow update was
// aborted" as aborted too; other calls and final errors are not retries.
func TestUpdatesCounted(t *testing.T) {
	o := newObserver(t)
	h := o.Handler(0)
	m := scrape(t, h)
	require.Equal(t, 0.0, m["chuyenhoa_updates_aborted_total"])
	require.Equal(t, 0.0, m["chuyenhoa_update_retries_total"])

	call := o.Updates.Interceptor()
	send := func(method string, err error) {
		if err != nil {
			err = serviceerror.ToStatus(err).Err() // what the gRPC connection returns
		}
		invoker := func(context.Context, string, any, any, *grpc.ClientConn, ...grpc.CallOption) error { return err }
		got := call(context.Background(), method, nil, nil, nil, invoker)
		require.Equal(t, err, got, "the interceptor passes the error on")
	}
	update := workflowservice.WorkflowService_UpdateWorkflowExecution_FullMethodName
	send(update, serviceerror.NewUnavailable("workflow update was aborted")) // what the server says (service/history/workflow/update)
	send(update, serviceerror.NewUnavailable("connection refused"))
	send(update, serviceerror.NewNotFound("workflow update was aborted by closing workflow")) // final: not retried
	send(update, serviceerror.NewInvalidArgument("no such update"))
	send(update, nil)
	send(workflowservice.WorkflowService_QueryWorkflow_FullMethodName, serviceerror.NewUnavailable("workflow update was aborted"))

	attempts, retries, aborted := o.Updates.Counts()
	require.Equal(t, []int64{5, 2, 1}, []int64{attempts, retries, aborted})
	m = scrape(t, h)
	require.Equal(t, 5.0, m["chuyenhoa_update_attempts_total"])
	require.Equal(t, 2.0, m["chuyenhoa_update_retries_total"])
	require.Equal(t, 1.0, m["chuyenhoa_updates_aborted_total"])

	var none *observe.Updates // counts nothing, breaks nothing
	require.NoError(t, none.Interceptor()(context.Background(), update, nil, nil, nil,
		func(context.Context, string, any, any, *grpc.ClientConn, ...grpc.CallOption) error { return nil }))
	a, r, ab := none.Counts()
	require.Zero(t, a+r+ab)
}
