package observe

import (
	"context"
	"strings"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
)

// abortedMessage is the server's error when an update it had admitted is
// dropped — the workflow's worker died, its workflow task failed or timed
// out, the workflow's cache on the server was cleared — before a worker
// accepted it: codes.Unavailable, which the SDK's client retries without
// a word, and the caller sees only a slower answer.
const abortedMessage = "workflow update was aborted"

// Updates counts the workflow updates a process's Temporal client sends
// (the officers' requests): every gRPC attempt, the attempts that failed
// with an error the SDK retries by itself (chuyenhoa_update_retries_total)
// and among them those the server aborted
// (chuyenhoa_updates_aborted_total). Give Interceptor to the client's
// dial options (internal/app.DialWith does). Safe for concurrent use; a
// nil *Updates counts nothing.
type Updates struct {
	attempts, retries, aborted atomic.Int64
	promAttempts               prometheus.Counter
	promRetries                prometheus.Counter
	promAborted                prometheus.Counter
}

// NewUpdates returns counters of updates, registered with reg if it is
// not nil.
func NewUpdates(reg prometheus.Registerer) (*Updates, error) {
	u := &Updates{
		promAttempts: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "chuyenhoa_update_attempts_total",
			Help: "Workflow update calls (officers' requests) sent to Temporal by this process, every attempt counted, the SDK's own retries included.",
		}),
		promRetries: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "chuyenhoa_update_retries_total",
			Help: "Workflow update attempts that failed with an error the SDK's client retries by itself (unavailable, aborted, resource exhausted, unknown): each is followed by another attempt unless the caller's deadline has passed.",
		}),
		promAborted: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "chuyenhoa_updates_aborted_total",
			Help: `Workflow update attempts the server aborted ("workflow update was aborted": the update was admitted but no worker accepted it before the workflow's task was lost, e.g. its worker died); the SDK retries them silently. Included in chuyenhoa_update_retries_total.`,
		}),
	}
	if reg != nil {
		if err := registerAll(reg, u.promAttempts, u.promRetries, u.promAborted); err != nil {
			return nil, err
		}
	}
	return u, nil
}

// Interceptor is the gRPC client interceptor that counts the updates. It
// sits inside the SDK's retrying interceptor, so that it sees each
// attempt.
func (u *Updates) Interceptor() grpc.UnaryClientInterceptor {
	return func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
		err := invoker(ctx, method, req, reply, cc, opts...)
		if u != nil && method == workflowservice.WorkflowService_UpdateWorkflowExecution_FullMethodName {
			u.count(err)
		}
		return err
	}
}

func (u *Updates) count(err error) {
	u.attempts.Add(1)
	u.promAttempts.Inc()
	if err == nil {
		return
	}
	// A gRPC status error here (the SDK makes it a serviceerror further
	// out); ToStatus reads both.
	st := serviceerror.ToStatus(err)
	switch st.Code() {
	case codes.Unavailable, codes.Aborted, codes.ResourceExhausted, codes.Unknown:
	default:
		return
	}
	u.retries.Add(1)
	u.promRetries.Inc()
	if st.Code() == codes.Unavailable && strings.Contains(st.Message(), abortedMessage) {
		u.aborted.Add(1)
		u.promAborted.Inc()
	}
}

// Counts returns the update attempts so far, those retried by the SDK and
// those the server aborted.
func (u *Updates) Counts() (attempts, retries, aborted int64) {
	if u == nil {
		return 0, 0, 0
	}
	return u.attempts.Load(), u.retries.Load(), u.aborted.Load()
}
