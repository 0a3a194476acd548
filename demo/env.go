package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"chuyenhoa/devserver"
)

// env is what the demo and devserver commands run on: Temporal and
// PostgreSQL, embedded unless the environment names real ones.
type env struct {
	temporal *devserver.Temporal
	pg       *devserver.Postgres
}

func (e *env) stop() {
	if e.temporal != nil {
		_ = e.temporal.Stop()
	}
	if e.pg != nil {
		_ = e.pg.Stop()
	}
}

// embed starts the embedded Temporal dev server unless TEMPORAL_ADDRESS
// (or --temporal-address) is set, and a throwaway PostgreSQL unless
// DATABASE_URL (or --database-url) is set, and points x.cfg at them.
func (x *demo) embed(ctx context.Context, cmd *cobra.Command, dbFile string, port, uiPort int) (*env, error) {
	e := &env{}
	if !cmd.Flags().Changed("temporal-address") && os.Getenv("TEMPORAL_ADDRESS") == "" {
		t0 := time.Now()
		if dbFile != "" { // a fresh clone has no .data yet
			if err := os.MkdirAll(filepath.Dir(dbFile), 0o755); err != nil {
				return nil, err
			}
		}
		t, err := devserver.StartTemporal(ctx, devserver.TemporalOptions{DBFile: dbFile, Namespace: x.cfg.Namespace, FrontendPort: port, UIPort: uiPort, Logger: x.logger()})
		if err != nil {
			return nil, fmt.Errorf("start the embedded Temporal dev server: %w", err)
		}
		e.temporal = t
		x.cfg.TemporalAddress = t.FrontendAddress()
		fmt.Fprintf(x.out, "• Temporal dev server (SQLite %s) ready at %s in %s\n", orMemory(dbFile), t.FrontendAddress(), time.Since(t0).Round(time.Millisecond))
		if t.UIAddress() != "" {
			fmt.Fprintf(x.out, "• Temporal Web UI: %s/namespaces/%s/workflows\n", t.UIAddress(), x.cfg.Namespace)
		}
	} else {
		fmt.Fprintf(x.out, "• Temporal at %s (namespace %s)\n", x.cfg.TemporalAddress, x.cfg.Namespace)
	}
	if !cmd.Flags().Changed("database-url") && os.Getenv("DATABASE_URL") == "" {
		t0 := time.Now()
		pg, err := devserver.StartPostgres(ctx, devserver.PostgresOptions{Logger: x.logger()})
		if err != nil {
			e.stop()
			return nil, fmt.Errorf("start a throwaway PostgreSQL (or set DATABASE_URL): %w", err)
		}
		e.pg = pg
		x.cfg.DatabaseURL = pg.URL()
		fmt.Fprintf(x.out, "• throwaway PostgreSQL ready at %s in %s (removed on exit)\n", pg.URL(), time.Since(t0).Round(time.Millisecond))
	} else {
		fmt.Fprintln(x.out, "• PostgreSQL from DATABASE_URL")
	}
	return e, nil
}

// tempTemporalDB is a dev server SQLite file in a new temporary directory,
// and what removes it.
func tempTemporalDB(prefix string) (string, func(), error) {
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		return "", nil, err
	}
	return filepath.Join(dir, "temporal.db"), func() { os.RemoveAll(dir) }, nil
}

func orMemory(f string) string {
	if f == "" {
		return "in memory"
	}
	return f
}

func (x *demo) devserverCommand() *cobra.Command {
	var dbFile, sampleSlug string
	var port, uiPort int
	cmd := &cobra.Command{
		Use:   "devserver",
		Short: "Run the embedded Temporal dev server (with Web UI) and a throwaway PostgreSQL until interrupted",
		Long: `Run the embedded Temporal dev server with SQLite persistence and the Web UI, and a
throwaway PostgreSQL (unless DATABASE_URL is set), until Ctrl-C. It prints the
environment to export in other terminals, where ` + "`bin/worker`" + ` runs the worker and
the starter commands drive a cycle by hand.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			e, err := x.embed(ctx, cmd, dbFile, port, uiPort)
			if err != nil {
				return err
			}
			defer e.stop()
			docs, err := x.devserverDocuments(sampleSlug)
			if err != nil {
				return err
			}
			fmt.Fprintf(x.out, "\nIn other terminals:\n  export TEMPORAL_ADDRESS=%s TEMPORAL_NAMESPACE=%s DATABASE_URL='%s'\n  %s\n  bin/worker\n  bin/server --addr 127.0.0.1:8080\n  bin/starter operator registry import --sample quang-ngai\n  echo 'một mật khẩu dài' | bin/starter operator account add cat.tt --role secretariat --password-stdin\n  bin/starter login cat.tt --server http://127.0.0.1:8080\n  bin/starter cycle start --province 51 --year 2027 --synthetic --yes\n\nCtrl-C stops everything.\n",
				x.cfg.TemporalAddress, x.cfg.Namespace, x.cfg.DatabaseURL, docs)
			<-ctx.Done()
			return nil
		},
	}
	cmd.Flags().StringVar(&dbFile, "db-file", filepath.Join(".data", "temporal.db"), "SQLite file of the dev server (\"\" = in memory)")
	cmd.Flags().IntVar(&port, "port", 7233, "frontend gRPC port")
	cmd.Flags().IntVar(&uiPort, "ui-port", 8233, "Web UI port (-1: no UI)")
	cmd.Flags().StringVar(&sampleSlug, "province", "quang-ngai", "the sample province whose units the recipients directory names")
	return cmd
}
