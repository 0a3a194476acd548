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
	"strings"
	"syscall"

	"github.com/spf13/cobra"
	"go.temporal.io/sdk/client"

	"chuyenhoa/cycle"
	"chuyenhoa/intake"
	"chuyenhoa/internal/app"
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
			lang, _ := root.PersistentFlags().GetString("lang")
			fmt.Fprintln(os.Stderr, explain(ce, cycle.ParseLang(lang)))
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
	lang    string // vi or en: how refusals and the checker speak
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
	pf.StringVar(&x.lang, "lang", "vi", "language of refusals and of the checker's output: vi or en")
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

// explain renders a refusal for an officer in a language: what was
// refused, then one line per problem where it is in the officer's file
// (Problem.In), at most cycle.MaxProblems and a line that sums up the rest.
// A problem the message already says is not said twice.
func explain(ce *cycle.Error, lang cycle.Lang) string {
	code := refusalWords[ce.Code]
	if code.EN == "" {
		code = cycle.Word{VI: ce.Code, EN: ce.Code}
	}
	msg := ce.In(lang)
	s := cycle.Say(lang, "cli.refused", code, msg)
	probs := cycle.Bound(ce.Problems, cycle.MaxProblems)
	if len(probs) == 1 && strings.Contains(msg, probs[0].In(lang)) {
		return s
	}
	for _, p := range probs {
		s += "\n  - " + p.In(lang)
	}
	return s
}

// refusalWords name the error codes for officers.
var refusalWords = map[string]cycle.Word{
	cycle.EINVALID:   {VI: "không hợp lệ", EN: "invalid"},
	cycle.EFORBIDDEN: {VI: "không được phép", EN: "forbidden"},
	cycle.ECONFLICT:  {VI: "không đúng lúc", EN: "conflict"},
	cycle.ENOTFOUND:  {VI: "không tìm thấy", EN: "not_found"},
	intake.ETooLarge: {VI: "tệp quá lớn", EN: "too_large"},
}

func init() {
	cycle.DefineMessages(map[string]cycle.Text{
		"cli.refused": {VI: "Bị từ chối (%[1]s): %[2]s", EN: "refused (%[1]s): %[2]s"},
	})
}

// describe renders a refusal in English with the program's field paths
// and rule codes: what logs and the demo's narration show.
func describe(ce *cycle.Error) string {
	s := fmt.Sprintf("refused (%s): %s", ce.Code, ce.Message)
	for _, p := range ce.Problems {
		s += "\n  - " + p.String()
	}
	return s
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
