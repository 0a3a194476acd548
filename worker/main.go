// Command worker runs a Temporal worker for the programme's workflows and
// activities. Run several for capacity and availability; they share the
// task queue. Configuration comes from the environment (TEMPORAL_ADDRESS,
// TEMPORAL_NAMESPACE, DATABASE_URL, CHUYENHOA_OUTPUT_DIR,
// CHUYENHOA_TEMPLATES_DIR, CHUYENHOA_HTTP_ADDR) or the flags.
//
// It also sends the officers' notices (reminders, overdue notices,
// escalations, reminder letters) by e-mail (CHUYENHOA_SMTP_*) and to the
// province's SMS or chat gateway (CHUYENHOA_WEBHOOK_HOSTS), every
// CHUYENHOA_NOTIFY_EVERY (default 30s; "off": not in this process), the
// daily digest at CHUYENHOA_DIGEST_HOUR (default 7), with links to
// CHUYENHOA_PUBLIC_URL.
//
// It serves Prometheus metrics on /metrics, liveness on /healthz and
// readiness (PostgreSQL and Temporal) on /readyz at CHUYENHOA_HTTP_ADDR,
// default :9464 ("off": not served), and logs JSON to stderr.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"go.temporal.io/sdk/worker"

	"chuyenhoa/internal/app"
	"chuyenhoa/workflows/flow"
)

func main() {
	cfg := app.FromEnv()
	flag.StringVar(&cfg.TemporalAddress, "temporal-address", cfg.TemporalAddress, "Temporal frontend host:port (env TEMPORAL_ADDRESS)")
	flag.StringVar(&cfg.Namespace, "namespace", cfg.Namespace, "Temporal namespace (env TEMPORAL_NAMESPACE)")
	flag.StringVar(&cfg.DatabaseURL, "database-url", cfg.DatabaseURL, "PostgreSQL URL of the store (env DATABASE_URL)")
	flag.StringVar(&cfg.OutputDir, "output-dir", cfg.OutputDir, "where issued PDFs are written (env CHUYENHOA_OUTPUT_DIR)")
	flag.StringVar(&cfg.TemplatesDir, "templates-dir", cfg.TemplatesDir, "directory of wording templates overriding the embedded ones (env CHUYENHOA_TEMPLATES_DIR)")
	explicitHTTP := cfg.HTTPAddr != ""
	if !explicitHTTP {
		cfg.HTTPAddr = app.DefaultWorkerHTTPAddr
	}
	flag.StringVar(&cfg.HTTPAddr, "http-addr", cfg.HTTPAddr, `where /metrics, /healthz and /readyz are served, "off" for nowhere (env CHUYENHOA_HTTP_ADDR)`)
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "Usage: worker [flags]\n\nRuns a worker on task queue %q for the YearlyCycle workflow and its activities.\n\n", flow.TaskQueue)
		flag.PrintDefaults()
	}
	flag.Parse()
	flag.Visit(func(f *flag.Flag) { explicitHTTP = explicitHTTP || f.Name == "http-addr" })
	logger := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	if err := run(cfg, explicitHTTP, logger); err != nil {
		logger.Error("worker stopped", "error", err)
		os.Exit(1)
	}
}

func run(cfg app.Config, explicitHTTP bool, logger *slog.Logger) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// The endpoint's address first: a busy address that was asked for
	// stops the worker before it connects anywhere.
	ln, err := app.ListenObservability(cfg.HTTPAddr, explicitHTTP, logger)
	if err != nil {
		return err
	}
	if ln != nil {
		defer ln.Close() // on the way out before serving; a no-op after
	}
	obs, err := app.NewObservability(logger)
	if err != nil {
		return err
	}
	defer obs.Shutdown()
	db, err := app.OpenStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	c, err := app.DialWithMetrics(cfg, logger, obs.TemporalMetrics())
	if err != nil {
		return err
	}
	defer c.Close()
	acts, err := app.NewActivities(db, cfg)
	if err != nil {
		return err
	}
	acts.Issuing.Counters = obs.Counters
	if err := obs.Watch(db, c); err != nil {
		return err
	}
	hctx, stopHTTP := context.WithCancel(ctx)
	httpDone := make(chan struct{})
	go func() {
		defer close(httpDone)
		if err := app.ServeHTTP(hctx, ln, obs.Handler()); err != nil {
			logger.Error("metrics and health endpoint stopped", "error", err)
		}
	}()
	defer func() { stopHTTP(); <-httpDone }()
	// The notices' outbox: every worker sends what is due (a claim keeps
	// two workers from sending the same notice).
	if cfg.Notices.Every > 0 {
		d, err := app.NewDispatcher(db, cfg, logger)
		if err != nil {
			return err
		}
		nctx, stopNotices := context.WithCancel(ctx)
		noticesDone := make(chan struct{})
		go func() { defer close(noticesDone); _ = d.Run(nctx, cfg.Notices.Every) }()
		defer func() { stopNotices(); <-noticesDone }()
	}
	// On SIGTERM running activities get WorkerStopTimeout to finish (a
	// rolling restart does not cut a signature or a delivery short);
	// whatever is cut is retried by another worker.
	w := app.NewWorkerWith(c, acts, worker.Options{WorkerStopTimeout: cfg.WorkerStopTimeout})
	httpAddr := "off"
	if ln != nil {
		httpAddr = ln.Addr().String()
	}
	logger.Info("worker starting", "temporal", cfg.TemporalAddress, "namespace", cfg.Namespace, "task_queue", flow.TaskQueue, "http", httpAddr)
	return w.Run(worker.InterruptCh())
}
