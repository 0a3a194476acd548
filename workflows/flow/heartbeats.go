package flow

import (
	"context"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/interceptor"
)

// HeartbeatTimeout is how long the server waits for an activity's next
// heartbeat before it counts the attempt as lost and retries it on
// another worker: what a worker killed inside an activity costs, instead
// of the attempt's whole start-to-close timeout.
const HeartbeatTimeout = 5 * time.Second

// WorkflowTaskTimeout is how long the server waits for a worker to
// complete a workflow task it started before handing it to another: a
// worker killed in the middle of one then holds its workflow for 5 s, as
// one killed inside an activity does (HeartbeatTimeout), rather than the
// server's default 10 s. A workflow task whose local activities run
// longer is kept alive by the SDK (it completes the task and starts
// another at 80% of the timeout). Every workflow the product starts sets
// it; a run continued as new keeps it.
const WorkflowTaskTimeout = 5 * time.Second

// HeartbeatInterval is how often Heartbeats records a heartbeat while an
// activity runs. The SDK sends them to the server at most every 80% of
// HeartbeatTimeout (4 s), so a lost attempt is seen 1–5 s after the
// worker died.
const HeartbeatInterval = time.Second

// Heartbeats is the worker interceptor that records a heartbeat every
// Every (HeartbeatInterval if zero) while an activity runs, so that no
// activity needs code of its own for it: a heartbeat says the worker
// process is alive, not that the activity makes progress — a hung
// activity is still bounded by its start-to-close timeout. Local
// activities are left alone (they have no heartbeats). An activity that
// records heartbeat details of its own should not be combined with it:
// the interceptor's empty heartbeats would replace them.
type Heartbeats struct {
	interceptor.WorkerInterceptorBase
	Every time.Duration
}

var _ interceptor.WorkerInterceptor = (*Heartbeats)(nil)

// InterceptActivity wraps next with the heartbeats.
func (h *Heartbeats) InterceptActivity(ctx context.Context, next interceptor.ActivityInboundInterceptor) interceptor.ActivityInboundInterceptor {
	every := h.Every
	if every <= 0 {
		every = HeartbeatInterval
	}
	i := &heartbeatsInbound{every: every}
	i.Next = next
	return i
}

type heartbeatsInbound struct {
	interceptor.ActivityInboundInterceptorBase
	every time.Duration
}

func (i *heartbeatsInbound) ExecuteActivity(ctx context.Context, in *interceptor.ExecuteActivityInput) (any, error) {
	if activity.GetInfo(ctx).IsLocalActivity {
		return i.Next.ExecuteActivity(ctx, in)
	}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(i.every)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				activity.RecordHeartbeat(ctx)
			}
		}
	}()
	defer func() {
		close(stop)
		<-done
	}()
	return i.Next.ExecuteActivity(ctx, in)
}
