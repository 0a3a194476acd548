package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"chuyenhoa/internal/app"
)

func (x *cli) serveCommand() *cobra.Command {
	var addr, httpAddr string
	var ttl time.Duration
	var secure bool
	var conns int
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the officers' HTTP API and web inbox",
		Long: `Serve the JSON API (under /api/, documented in api/openapi.yaml, also served at
/api/openapi.yaml) and the Vietnamese web pages (sign-in, inbox, task forms,
documents) on one address. Officers sign in with accounts made by
` + "`starter account add`" + `; every sign-in, completion, refusal and download goes to
the audit trail (` + "`starter verify-audit`" + ` checks its hash chain).

Prometheus metrics (/metrics), liveness (/healthz) and readiness (/readyz:
PostgreSQL and Temporal) are served on the API's address, or on their own
with --http-addr (env CHUYENHOA_HTTP_ADDR; "off" for nowhere) — which keeps
them off a public address.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			logger := x.logger()
			// The observability endpoint's own address, when it has one,
			// before anything connects: a busy address stops here.
			var obsLn net.Listener
			if httpAddr != "" {
				var err error
				if obsLn, err = app.ListenObservability(httpAddr, true, logger); err != nil {
					return err
				}
				if obsLn != nil {
					defer obsLn.Close() // on the way out before serving; a no-op after
				}
			}
			obs, err := app.NewObservability(logger)
			if err != nil {
				return err
			}
			defer obs.Shutdown()
			if x.c == nil { // the SDK's request metrics go to /metrics
				if x.c, err = app.DialWithMetrics(x.cfg, logger, obs.TemporalMetrics()); err != nil {
					return err
				}
			}
			c := x.c
			db, err := x.store(ctx)
			if err != nil {
				return err
			}
			db.LimitConnections(conns)
			if err := obs.Watch(db, c); err != nil {
				return err
			}
			s := app.NewAPI(c, db, logger)
			s.SessionTTL, s.SecureCookies = ttl, secure
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return err
			}
			handler := s.Handler()
			switch {
			case httpAddr == "":
				// On the API's address: the three paths go to the
				// observability handler (not through the API's access
				// log), everything else to the API and the web pages.
				mux := http.NewServeMux()
				for _, p := range []string{"/metrics", "/healthz", "/readyz"} {
					mux.Handle(p, obs.Handler())
				}
				mux.Handle("/", handler)
				handler = mux
				fmt.Fprintf(x.out, "metrics and health on http://%s/metrics, /healthz, /readyz\n", ln.Addr())
			case obsLn != nil:
				fmt.Fprintf(x.out, "metrics and health on http://%s/metrics, /healthz, /readyz\n", obsLn.Addr())
			}
			srv := &http.Server{
				Handler: handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 2 * time.Minute,
				WriteTimeout: 3 * time.Minute, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10,
			}
			fmt.Fprintf(x.out, "serving the officers' inbox on http://%s/ (API under /api/); Ctrl-C to stop\n", ln.Addr())
			octx, stopObs := context.WithCancel(ctx)
			defer stopObs()
			obsDone := make(chan error, 1)
			go func() { obsDone <- app.ServeHTTP(octx, obsLn, obs.Handler()) }()
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
		},
	}
	cmd.Flags().StringVar(&addr, "addr", x.cfg.APIAddr, "address to listen on (env CHUYENHOA_API_ADDR)")
	cmd.Flags().StringVar(&httpAddr, "http-addr", x.cfg.HTTPAddr, `where /metrics, /healthz and /readyz are served: empty for the API's address, "off" for nowhere (env CHUYENHOA_HTTP_ADDR)`)
	cmd.Flags().DurationVar(&ttl, "session-ttl", 8*time.Hour, "how long a session lasts after sign-in")
	cmd.Flags().IntVar(&conns, "db-connections", cmp.Or(x.cfg.DBConnections, 20), "at most this many connections to PostgreSQL (env CHUYENHOA_DB_CONNECTIONS)")
	cmd.Flags().BoolVar(&secure, "secure-cookies", false, "mark the session cookie Secure (when served over HTTPS)")
	return cmd
}
