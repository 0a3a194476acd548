package flow

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/worker"
)

// heartbeatEnv is an activity environment whose worker has the Heartbeats
// interceptor (none if every is negative) and counts the heartbeats.
func heartbeatEnv(t *testing.T, every time.Duration) (*testsuite.TestActivityEnvironment, *atomic.Int64) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestActivityEnvironment()
	if every >= 0 {
		env.SetWorkerOptions(worker.Options{Interceptors: []interceptor.WorkerInterceptor{&Heartbeats{Every: every}}})
	}
	n := &atomic.Int64{}
	env.SetOnActivityHeartbeatListener(func(*activity.Info, converter.EncodedValues) { n.Add(1) })
	return env, n
}

// TestHeartbeats: an activity that has no heartbeat of its own heartbeats
// while it runs, and stops when it returns — with its result or its error.
func TestHeartbeats(t *testing.T) {
	slow := func(ctx context.Context, fail bool) (string, error) {
		time.Sleep(300 * time.Millisecond)
		if fail {
			return "", errors.New("store down")
		}
		return "done", nil
	}
	for _, fail := range []bool{false, true} {
		env, n := heartbeatEnv(t, 20*time.Millisecond)
		env.RegisterActivity(slow)
		v, err := env.ExecuteActivity(slow, fail)
		if fail {
			require.ErrorContains(t, err, "store down")
		} else {
			require.NoError(t, err)
			var out string
			require.NoError(t, v.Get(&out))
			require.Equal(t, "done", out)
		}
		// The SDK passes on the first heartbeat and throttles the next ones
		// (to 80% of the heartbeat timeout, which the test environment does
		// not set): at least one arrives.
		beats := n.Load()
		require.GreaterOrEqual(t, beats, int64(1), "heartbeats while the activity ran (fail %v)", fail)
		time.Sleep(100 * time.Millisecond)
		require.Equal(t, beats, n.Load(), "no heartbeat after the activity returned (fail %v)", fail)
	}

	// Without the interceptor the same activity sends none: the heartbeats
	// above are the interceptor's.
	env, n := heartbeatEnv(t, -1)
	env.RegisterActivity(slow)
	_, err := env.ExecuteActivity(slow, false)
	require.NoError(t, err)
	require.Zero(t, n.Load())
}

// TestHeartbeatIntervalBelowTimeout: the server must see several
// heartbeats per timeout, after the SDK's throttling (80% of the timeout).
func TestHeartbeatIntervalBelowTimeout(t *testing.T) {
	require.Less(t, 2*HeartbeatInterval, HeartbeatTimeout)
	require.Equal(t, HeartbeatTimeout, ActivityOptions.HeartbeatTimeout)
	require.Equal(t, HeartbeatTimeout, DocumentOptions.HeartbeatTimeout)
	require.Greater(t, ActivityOptions.StartToCloseTimeout, HeartbeatTimeout)
}
