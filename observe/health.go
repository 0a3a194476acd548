package observe

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.temporal.io/sdk/client"
)

// Check is one dependency the readiness probe checks.
type Check struct {
	Name  string                          // "postgres", "temporal"
	Probe func(ctx context.Context) error // nil error: ready; must honour ctx
}

// Pinger is a store that answers a query (postgres.DB).
type Pinger interface {
	Ping(ctx context.Context) error
}

// PostgresCheck checks that the store answers a query.
func PostgresCheck(db Pinger) Check {
	return Check{Name: "postgres", Probe: db.Ping}
}

// HealthChecker is the part of the Temporal client that checks the
// frontend's health (client.Client).
type HealthChecker interface {
	CheckHealth(ctx context.Context, request *client.CheckHealthRequest) (*client.CheckHealthResponse, error)
}

// TemporalCheck checks the Temporal frontend through the client's gRPC
// health check.
func TemporalCheck(c HealthChecker) Check {
	return Check{Name: "temporal", Probe: func(ctx context.Context) error {
		_, err := c.CheckHealth(ctx, &client.CheckHealthRequest{})
		return err
	}}
}

// DefaultCheckTimeout bounds each readiness check: a probe that hangs is
// a failed probe, and the orchestrator's own timeout (often 1 s) is short.
const DefaultCheckTimeout = 2 * time.Second

// Handler serves /metrics (the registry, in the Prometheus text format or
// OpenMetrics when asked), /healthz (liveness: the process answers) and
// /readyz (readiness: every check passes within checkTimeout —
// DefaultCheckTimeout if 0). Other paths are 404.
func (o *Observer) Handler(checkTimeout time.Duration, checks ...Check) http.Handler {
	if checkTimeout <= 0 {
		checkTimeout = DefaultCheckTimeout
	}
	mux := http.NewServeMux()
	metrics := promhttp.HandlerFor(o.Registry, promhttp.HandlerOpts{
		ErrorLog: slogAdapter{o.logger},
		// A collector's failure is logged and the rest is served: one bad
		// metric must not blind the whole scrape.
		ErrorHandling:     promhttp.ContinueOnError,
		Registry:          o.Registry, // promhttp_metric_handler_errors_total
		EnableOpenMetrics: true,
		// Bounded by the store's timeout; this is a backstop.
		Timeout: 30 * time.Second,
	})
	mux.Handle("GET /metrics", promhttp.InstrumentMetricHandler(o.Registry, metrics))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		rep := ready(r.Context(), checkTimeout, checks)
		status := http.StatusOK
		if rep.Status != "ready" {
			status = http.StatusServiceUnavailable
			for _, c := range rep.Checks {
				if !c.OK {
					o.logger.Warn("not ready", "check", c.Name, "error", c.Error)
				}
			}
		}
		writeJSON(w, status, rep)
	})
	return mux
}

// Readiness is the body of /readyz.
type Readiness struct {
	Status string        `json:"status"` // "ready" or "not ready"
	Checks []CheckResult `json:"checks"`
}

// CheckResult is how one check went.
type CheckResult struct {
	Name       string  `json:"name"`
	OK         bool    `json:"ok"`
	Error      string  `json:"error,omitempty"`
	DurationMS float64 `json:"duration_ms"`
}

// ready runs the checks at once, each within timeout.
func ready(ctx context.Context, timeout time.Duration, checks []Check) Readiness {
	out := Readiness{Status: "ready", Checks: make([]CheckResult, len(checks))}
	var wg sync.WaitGroup
	for i, c := range checks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			start := time.Now()
			err := probe(ctx, c)
			r := CheckResult{Name: c.Name, OK: err == nil, DurationMS: float64(time.Since(start).Microseconds()) / 1000}
			if err != nil {
				r.Error = err.Error()
			}
			out.Checks[i] = r
		}()
	}
	wg.Wait()
	for _, r := range out.Checks {
		if !r.OK {
			out.Status = "not ready"
		}
	}
	return out
}

// probe runs a check and gives up when ctx ends, even if the check does
// not honour ctx (the check's goroutine then finishes on its own).
func probe(ctx context.Context, c Check) error {
	done := make(chan error, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- fmt.Errorf("check panicked: %v", p)
			}
		}()
		done <- c.Probe(ctx)
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("no answer within the timeout: %w", ctx.Err())
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// slogAdapter is promhttp's error logger.
type slogAdapter struct{ l *slog.Logger }

func (a slogAdapter) Println(v ...any) { a.l.Error("metrics: " + fmt.Sprint(v...)) }
