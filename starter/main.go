// Command starter is the officers' command-line client of the programme
// and the operators' tool: it starts a yearly cycle, submits proposals
// from JSON or CSV files, completes each task, lists open tasks and shows
// a cycle's state; it manages the registry and the accounts, checks the
// audit trail and the signatures, exports and replays histories, and
// checks data offline against a policy. The HTTP API is the server
// binary (./server); the demo, the national run and the embedded dev
// server are the demo binary (./demo).
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
	"go.temporal.io/sdk/client"

	"chuyenhoa/internal/app"
	"chuyenhoa/internal/display"
	"chuyenhoa/postgres"
	"chuyenhoa/workflows/flow"
)

// exitRefused is the exit status when the workflow refused a request
// (invalid, forbidden, conflict, not found): the officer must change something.
const exitRefused = 2

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root := rootCommand()
	if err := root.ExecuteContext(ctx); err != nil {
		if ce := flow.AsCycleError(err); ce != nil {
			fmt.Fprintln(os.Stderr, display.Describe(ce))
			os.Exit(exitRefused)
		}
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

// cli holds the global flags and the lazily opened connections.
type cli struct {
	cfg     app.Config
	verbose bool
	out     io.Writer
	c       client.Client
	db      *postgres.DB
}

func rootCommand() *cobra.Command {
	x := &cli{cfg: app.FromEnv(), out: os.Stdout}
	root := &cobra.Command{
		Use:   "starter",
		Short: "Officers' client for the hotspot-transformation cycle (chuyển hóa địa bàn)",
		Long: `starter drives the yearly cycle of a province: the secretariat opens it, district
officers submit proposals, the secretariat consolidates, the appraisal council
concludes, the head signs and the clerk issues the decision approving the list.

Connections come from flags or the environment: TEMPORAL_ADDRESS,
TEMPORAL_NAMESPACE, DATABASE_URL (the store, for tasks, notifications, audit and
decisions), CHUYENHOA_OUTPUT_DIR (where PDFs fetched from the store are saved).`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	pf := root.PersistentFlags()
	pf.StringVar(&x.cfg.TemporalAddress, "temporal-address", x.cfg.TemporalAddress, "Temporal frontend host:port (env TEMPORAL_ADDRESS)")
	pf.StringVar(&x.cfg.Namespace, "namespace", x.cfg.Namespace, "Temporal namespace (env TEMPORAL_NAMESPACE)")
	pf.StringVar(&x.cfg.DatabaseURL, "database-url", x.cfg.DatabaseURL, "PostgreSQL URL of the store (env DATABASE_URL)")
	pf.BoolVarP(&x.verbose, "verbose", "v", false, "log SDK and server messages")
	root.PersistentPostRun = func(*cobra.Command, []string) { x.close() }
	root.AddCommand(
		x.registryCommand(), x.cycleCommand(),
		x.proposalCommand(), x.consolidateCommand(), x.appraiseCommand(), x.signCommand(), x.issueCommand(),
		x.tasksCommand(), x.notificationsCommand(), x.auditCommand(), x.decisionsCommand(), x.sampleCommand(),
		x.accountCommand(), x.verifyAuditCommand(),
		x.verifyCommand(), x.archiveCommand(),
		x.checkCommand(), x.awardsCommand(),
		x.kpiCommand(), x.transformationCommand(), x.reportCommand(), x.reviewCommand(),
		x.resultsCommand(), x.recognitionCommand(),
		x.historyCommand(),
	)
	return root
}

func (x *cli) logger() *slog.Logger {
	if x.verbose {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

func (x *cli) client() (client.Client, error) {
	if x.c == nil {
		c, err := app.Dial(x.cfg, x.logger())
		if err != nil {
			return nil, err
		}
		x.c = c
	}
	return x.c, nil
}

func (x *cli) store(ctx context.Context) (*postgres.DB, error) {
	if x.db == nil {
		db, err := app.OpenStore(ctx, x.cfg)
		if err != nil {
			return nil, err
		}
		x.db = db
	}
	return x.db, nil
}

func (x *cli) close() {
	if x.c != nil {
		x.c.Close()
		x.c = nil
	}
	if x.db != nil {
		x.db.Close()
		x.db = nil
	}
}

// newRequestID returns a random request ID for a request the officer did
// not name; pass --request-id to make a retry safe.
func newRequestID() string {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b[:])
}

var errUsage = errors.New("usage")
