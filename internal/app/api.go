package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.temporal.io/sdk/client"

	"chuyenhoa/api"
	"chuyenhoa/postgres"
	"chuyenhoa/signing"
)

// NewAPI returns the officers' HTTP API and web pages over a Temporal
// client and the store; the caller serves its Handler.
func NewAPI(c client.Client, db *postgres.DB, logger *slog.Logger) *api.Server {
	return &api.Server{Store: db, Temporal: c, Logger: logger, WebhookHosts: noticeConfig().WebhookHosts}
}

// APIOptions are the server's settings beyond the shared Config.
type APIOptions struct {
	// Addr is where the API and the web pages are served
	// (CHUYENHOA_API_ADDR).
	Addr string
	// HTTPAddr is where /metrics, /healthz and /readyz are served: HTTPSame
	// (or empty) for Addr, HTTPOff for nowhere (CHUYENHOA_HTTP_ADDR; the
	// server's default is DefaultAPIHTTPAddr, off the public address).
	HTTPAddr string
	// SessionTTL is how long a session lasts after sign-in.
	SessionTTL time.Duration
	// SecureCookies marks the session cookie Secure (served over HTTPS).
	SecureCookies bool
	// DBConnections bounds the store's connection pool (0: 20).
	DBConnections int
}

// ServeAPI runs the officers' HTTP API and web pages, with the process's
// metrics and probes, until ctx ends, then shuts down gracefully. It says
// on out where it serves.
func ServeAPI(ctx context.Context, cfg Config, o APIOptions, logger *slog.Logger, out io.Writer) error {
	// The observability endpoint's own address, when it has one, before
	// anything connects: a busy address stops here.
	var obsLn net.Listener
	if o.HTTPAddr == HTTPSame {
		o.HTTPAddr = ""
	}
	if o.HTTPAddr != "" {
		var err error
		if obsLn, err = ListenObservability(o.HTTPAddr, true, logger); err != nil {
			return err
		}
		if obsLn != nil {
			defer obsLn.Close() // on the way out before serving; a no-op after
		}
	}
	obs, err := NewObservability(logger)
	if err != nil {
		return err
	}
	defer obs.Shutdown()
	c, err := DialWith(cfg, logger, obs.TemporalMetrics(), obs.Updates) // the SDK's request metrics and the updates' go to /metrics
	if err != nil {
		return err
	}
	defer c.Close()
	db, err := OpenStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	db.LimitConnections(cmp.Or(o.DBConnections, 20))
	if err := obs.Watch(db, c); err != nil {
		return err
	}
	s := NewAPI(c, db, logger)
	s.SessionTTL, s.SecureCookies = o.SessionTTL, o.SecureCookies
	if err := ConfigureSigningDoors(s, cfg.Signing); err != nil {
		return err
	}
	if err := obs.Registry.Register(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "chuyenhoa_signins_queued",
		Help: "Sign-ins waiting for a password check (bcrypt runs at most one per CPU)."},
		func() float64 { q, _ := api.SignInLoad(); return float64(q) })); err != nil {
		return err
	}
	if err := obs.Registry.Register(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "chuyenhoa_signins_refused_busy_total",
		Help: "Sign-ins refused with 503 because too many were waiting for a password check."},
		func() float64 { _, r := api.SignInLoad(); return float64(r) })); err != nil {
		return err
	}
	if cfg.Signing.CA != "" {
		if s.TrustRoots, err = signing.LoadCAPool(cfg.Signing.CA); err != nil {
			return fmt.Errorf("the archive's trust anchors (CHUYENHOA_SIGNING_CA): %w", err)
		}
	}
	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		return err
	}
	handler := s.Handler()
	switch {
	case o.HTTPAddr == "":
		// On the API's address: the three paths go to the observability
		// handler (not through the API's access log), everything else to
		// the API and the web pages.
		mux := http.NewServeMux()
		for _, p := range []string{"/metrics", "/healthz", "/readyz"} {
			mux.Handle(p, obs.Handler())
		}
		mux.Handle("/", handler)
		handler = mux
		fmt.Fprintf(out, "metrics and health on http://%s/metrics, /healthz, /readyz\n", ln.Addr())
	case obsLn != nil:
		fmt.Fprintf(out, "metrics and health on http://%s/metrics, /healthz, /readyz\n", obsLn.Addr())
	}
	srv := &http.Server{
		Handler: handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 2 * time.Minute,
		WriteTimeout: 3 * time.Minute, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10,
	}
	fmt.Fprintf(out, "serving the officers' inbox on http://%s/ (API under /api/); Ctrl-C to stop\n", ln.Addr())
	octx, stopObs := context.WithCancel(ctx)
	defer stopObs()
	obsDone := make(chan error, 1)
	go func() { obsDone <- ServeHTTP(octx, obsLn, obs.Handler()) }()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	obsRunning := true
	select {
	case err := <-errc:
		stopObs()
		return errors.Join(err, <-obsDone)
	case err := <-obsDone: // it failed, or ctx ended
		obsRunning = false
		if err != nil {
			_ = srv.Close()
			return fmt.Errorf("metrics and health endpoint: %w", err)
		}
	case <-ctx.Done():
	}
	stopObs()
	sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	if obsRunning {
		return <-obsDone
	}
	return nil
}
