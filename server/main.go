// Command server serves the officers' HTTP API (under /api/, documented in
// api/openapi.yaml, also served at /api/openapi.yaml) and the Vietnamese
// web pages (sign-in, inbox, task forms, documents) on one address, with
// Prometheus metrics (/metrics), liveness (/healthz) and readiness
// (/readyz: PostgreSQL and Temporal) on the same address or their own.
// Officers sign in with accounts made by `starter account add`; every
// sign-in, completion, refusal and download goes to the audit trail
// (`starter verify-audit` checks its hash chain).
//
// Configuration comes from flags or the environment: TEMPORAL_ADDRESS,
// TEMPORAL_NAMESPACE, TEMPORAL_TLS_*, DATABASE_URL, CHUYENHOA_API_ADDR,
// CHUYENHOA_HTTP_ADDR, CHUYENHOA_DB_CONNECTIONS (deploy/README.md lists
// them all).
package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"chuyenhoa/internal/app"
)

func main() {
	cfg := app.FromEnv()
	o := app.APIOptions{}
	var verbose bool
	flag.StringVar(&cfg.TemporalAddress, "temporal-address", cfg.TemporalAddress, "Temporal frontend host:port (env TEMPORAL_ADDRESS)")
	flag.StringVar(&cfg.Namespace, "namespace", cfg.Namespace, "Temporal namespace (env TEMPORAL_NAMESPACE)")
	flag.StringVar(&cfg.DatabaseURL, "database-url", cfg.DatabaseURL, "PostgreSQL URL of the store (env DATABASE_URL)")
	flag.StringVar(&o.Addr, "addr", cfg.APIAddr, "address to listen on (env CHUYENHOA_API_ADDR)")
	flag.StringVar(&o.HTTPAddr, "http-addr", cmp.Or(cfg.HTTPAddr, app.DefaultAPIHTTPAddr), `where /metrics, /healthz and /readyz are served, apart from the public address: "same" for the API's own address, "off" for nowhere (env CHUYENHOA_HTTP_ADDR)`)
	flag.DurationVar(&o.SessionTTL, "session-ttl", 8*time.Hour, "how long a session lasts after sign-in")
	flag.IntVar(&o.DBConnections, "db-connections", cmp.Or(cfg.DBConnections, 20), "at most this many connections to PostgreSQL (env CHUYENHOA_DB_CONNECTIONS)")
	flag.BoolVar(&o.SecureCookies, "secure-cookies", false, "mark the session cookie Secure (when served over HTTPS)")
	flag.BoolVar(&verbose, "v", false, "log SDK and server messages: every request and completion (debug level), not only warnings and errors")
	flag.BoolVar(&verbose, "verbose", false, "the same as -v")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "Usage: server [flags]\n\nServes the officers' HTTP API and web inbox, with /metrics, /healthz and /readyz.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	level := slog.LevelWarn
	if verbose {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := app.ServeAPI(ctx, cfg, o, logger, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}
