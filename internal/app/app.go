// Package app wires the real dependencies together for the binaries: the
// Temporal client, the PostgreSQL store, the document renderer and the
// worker. Only main packages and end-to-end tests import it.
package app

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"

	"chuyenhoa/activities"
	"chuyenhoa/docs"
	"chuyenhoa/postgres"
	"chuyenhoa/workflows"
)

// Config is the configuration every binary shares, from flags and the
// conventional environment variables.
type Config struct {
	TemporalAddress string // TEMPORAL_ADDRESS, default 127.0.0.1:7233
	Namespace       string // TEMPORAL_NAMESPACE, default "default"
	DatabaseURL     string // DATABASE_URL
	OutputDir       string // CHUYENHOA_OUTPUT_DIR: where issued PDFs are written, default ./out
	TemplatesDir    string // CHUYENHOA_TEMPLATES_DIR: wording overrides; empty = the embedded templates
}

// FromEnv returns the configuration from the environment, with defaults.
func FromEnv() Config {
	return Config{
		TemporalAddress: env("TEMPORAL_ADDRESS", client.DefaultHostPort),
		Namespace:       env("TEMPORAL_NAMESPACE", client.DefaultNamespace),
		DatabaseURL:     os.Getenv("DATABASE_URL"),
		OutputDir:       env("CHUYENHOA_OUTPUT_DIR", "out"),
		TemplatesDir:    os.Getenv("CHUYENHOA_TEMPLATES_DIR"),
	}
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// Dial connects to Temporal.
func Dial(cfg Config, logger *slog.Logger) (client.Client, error) {
	c, err := client.Dial(client.Options{HostPort: cfg.TemporalAddress, Namespace: cfg.Namespace, Logger: sdklog.NewStructuredLogger(logger)})
	if err != nil {
		return nil, fmt.Errorf("connect to Temporal at %s (namespace %s): %w", cfg.TemporalAddress, cfg.Namespace, err)
	}
	return c, nil
}

// OpenStore opens the PostgreSQL store and runs its migrations.
func OpenStore(ctx context.Context, cfg Config) (*postgres.DB, error) {
	if cfg.DatabaseURL == "" {
		return nil, fmt.Errorf("DATABASE_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/chuyenhoa?sslmode=disable)")
	}
	db, err := postgres.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	return db, nil
}

// NewActivities builds the activities over a store, with the document
// renderer configured from cfg.
func NewActivities(store activities.Store, cfg Config) (*activities.Activities, error) {
	r, err := docs.New(cfg.TemplatesDir)
	if err != nil {
		return nil, err
	}
	return &activities.Activities{Store: store, Docs: r, OutputDir: cfg.OutputDir}, nil
}

// NewWorker returns a worker on the task queue with the workflows and the
// activities registered; the caller starts and stops it.
func NewWorker(c client.Client, acts *activities.Activities) worker.Worker {
	w := worker.New(c, workflows.TaskQueue, worker.Options{})
	w.RegisterWorkflow(workflows.YearlyCycle)
	w.RegisterActivity(acts)
	return w
}
