// Command worker runs a Temporal worker for the programme's workflows and
// activities. Run several for capacity and availability; they share the
// task queue. Configuration comes from the environment (TEMPORAL_ADDRESS,
// TEMPORAL_NAMESPACE, DATABASE_URL, CHUYENHOA_OUTPUT_DIR,
// CHUYENHOA_TEMPLATES_DIR) or the flags.
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
	"chuyenhoa/workflows"
)

func main() {
	cfg := app.FromEnv()
	flag.StringVar(&cfg.TemporalAddress, "temporal-address", cfg.TemporalAddress, "Temporal frontend host:port (env TEMPORAL_ADDRESS)")
	flag.StringVar(&cfg.Namespace, "namespace", cfg.Namespace, "Temporal namespace (env TEMPORAL_NAMESPACE)")
	flag.StringVar(&cfg.DatabaseURL, "database-url", cfg.DatabaseURL, "PostgreSQL URL of the store (env DATABASE_URL)")
	flag.StringVar(&cfg.OutputDir, "output-dir", cfg.OutputDir, "where issued PDFs are written (env CHUYENHOA_OUTPUT_DIR)")
	flag.StringVar(&cfg.TemplatesDir, "templates-dir", cfg.TemplatesDir, "directory of wording templates overriding the embedded ones (env CHUYENHOA_TEMPLATES_DIR)")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "Usage: worker [flags]\n\nRuns a worker on task queue %q for the YearlyCycle workflow and its activities.\n\n", workflows.TaskQueue)
		flag.PrintDefaults()
	}
	flag.Parse()
	logger := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	if err := run(cfg, logger); err != nil {
		logger.Error("worker stopped", "error", err)
		os.Exit(1)
	}
}

func run(cfg app.Config, logger *slog.Logger) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	db, err := app.OpenStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	c, err := app.Dial(cfg, logger)
	if err != nil {
		return err
	}
	defer c.Close()
	acts, err := app.NewActivities(db, cfg)
	if err != nil {
		return err
	}
	w := app.NewWorker(c, acts)
	logger.Info("worker starting", "temporal", cfg.TemporalAddress, "namespace", cfg.Namespace, "task_queue", workflows.TaskQueue, "output_dir", cfg.OutputDir)
	return w.Run(worker.InterruptCh())
}
