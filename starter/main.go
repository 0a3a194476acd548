// Command starter is the officers' command-line client of the programme,
// and the operators' tool.
//
// The officers' commands (login, tasks, task, proposal, consolidate,
// appraise, sign, issue, report, review, results, recognition, awards,
// cycle, accounts, delegations, indicators, standings, archive) are a
// client of the HTTP API: `starter login` signs in and keeps the session,
// and every request is sent as that account, checked by the API and
// written to the audit trail, exactly as the web inbox's.
//
// The operators' commands (`starter operator …`: the registry, accounts
// in the database, the audit chain, workflow histories, the offline
// checker, signature verification…) need Temporal or the database
// directly and run where the services run.
package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
	"go.temporal.io/sdk/client"

	"chuyenhoa/api"
	"chuyenhoa/cycle"
	"chuyenhoa/internal/app"
	"chuyenhoa/postgres"
	"chuyenhoa/workflows/flow"
)

// Exit statuses (README, "The command-line client").
const (
	exitOK      = 0 // done
	exitRefused = 1 // refused (forbidden, conflict, not found, not signed in) or failed
	exitInvalid = 2 // bad usage, or input the rules refuse (every problem listed)
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, nil)
	stop()
	os.Exit(code)
}

// run runs starter with arguments and streams and returns its exit status;
// setup, if not nil, adjusts the CLI before it runs (tests).
func run(ctx context.Context, args []string, in io.Reader, out, errOut io.Writer, setup func(*cli)) int {
	x := newCLI(in, out, errOut)
	if setup != nil {
		setup(x)
	}
	root := x.rootCommand()
	root.SetArgs(args)
	root.SetIn(in)
	root.SetOut(out)
	root.SetErr(errOut)
	err := root.ExecuteContext(ctx)
	x.close()
	return x.report(err)
}

// cli holds the global flags and the lazily opened connections.
type cli struct {
	in     io.Reader
	out    io.Writer
	errOut io.Writer

	// The officers' client.
	server    string // --server, CHUYENHOA_SERVER
	langName  string // --lang
	lang      cycle.Lang
	jsonOut   bool   // --json: the API's raw response
	configDir string // where the session is kept (default os.UserConfigDir)
	http      *http.Client
	sess      *session
	lines     *bufio.Reader // standard input, when it is not a terminal

	// The operators' connections.
	cfg     app.Config
	verbose bool
	c       client.Client
	db      *postgres.DB
}

func newCLI(in io.Reader, out, errOut io.Writer) *cli {
	return &cli{in: in, out: out, errOut: errOut, cfg: app.FromEnv(), http: httpClient, lang: cycle.Vietnamese}
}

// The commands are grouped by area, each group a small type over the cli
// (the flags, the output and the connections) or over the taskFlow the
// task-related groups share (taskflow.go); rootCommand builds them.

// sessionCommands sign in and out, say who is signed in and change the
// password.
type sessionCommands struct{ *cli }

// taskCommands list the inbox and show, claim, draft, attach to and
// complete a task by its address.
type taskCommands struct{ *taskFlow }

// kindCommands complete the tasks of each kind (proposal, consolidate,
// appraise, sign, issue, report, review, results, recognition, awards)
// and start, close and show award rounds.
type kindCommands struct{ *taskFlow }

// officeCommands are the office's: cycles, accounts, delegations,
// indicators, standings and the archive.
type officeCommands struct{ *taskFlow }

// operatorTools are the operators' commands on the store and Temporal
// (`starter operator ...`).
type operatorTools struct{ *cli }

// Command groups of the help.
const (
	groupSession  = "session"
	groupTasks    = "tasks"
	groupOffice   = "office"
	groupOperator = "operator"
)

func (x *cli) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "starter",
		Short: "Công cụ dòng lệnh của cán bộ chương trình chuyển hóa địa bàn (officers' client of the API; operators' tools)",
		Long: `starter là công cụ dòng lệnh của cán bộ chương trình chuyển hóa địa bàn trọng điểm,
phức tạp về trật tự, an toàn xã hội: đăng nhập một lần (starter login), xem việc cần
làm (starter tasks), xem một việc (starter task show ĐỊA-CHỈ) và hoàn thành nó —
mọi yêu cầu gửi qua API với tài khoản đã đăng nhập, được kiểm tra vai trò, đơn vị
và ghi vào nhật ký kiểm toán như trên giao diện web.

starter is the officers' client of the HTTP API: sign in once with ` + "`starter login`" + `,
then every command acts as that account (the API checks the role and the unit
and writes the audit trail). The server comes from --server or CHUYENHOA_SERVER
(default ` + defaultServer + `). Messages are in Vietnamese; --lang en prints them in
English, --json prints the API's raw response.

Exit status: 0 done; 1 refused (no right, wrong step, not found, not signed in)
or failed; 2 bad usage, or input the rules refuse (every problem listed).

The operators' commands, which need Temporal or the database directly
(registry, accounts in the database, audit chain, histories, offline checks,
signature verification), are under ` + "`starter operator`" + `.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddGroup(
		&cobra.Group{ID: groupSession, Title: "Đăng nhập (session):"},
		&cobra.Group{ID: groupTasks, Title: "Việc của cán bộ (officers' tasks, through the API):"},
		&cobra.Group{ID: groupOffice, Title: "Cơ quan Thường trực, quản trị, tra cứu (secretariat, administrator, views; through the API):"},
		&cobra.Group{ID: groupOperator, Title: "Vận hành (operators: Temporal and the database directly):"},
	)
	pf := root.PersistentFlags()
	pf.StringVar(&x.server, "server", os.Getenv("CHUYENHOA_SERVER"), "the API's address, e.g. "+defaultServer+" (env CHUYENHOA_SERVER)")
	pf.StringVar(&x.langName, "lang", "vi", "language of the messages: vi or en")
	pf.BoolVar(&x.jsonOut, "json", false, "print the API's raw JSON response")
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		switch strings.ToLower(strings.TrimSpace(x.langName)) {
		case "vi", "":
			x.lang = cycle.Vietnamese
		case "en":
			x.lang = cycle.English
		default:
			return cycle.Fail(eUsage, "cli.bad_lang", x.langName)
		}
		return nil
	}
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return usageError{cmd: cmd, err: err}
	})
	add := func(group string, cmds ...*cobra.Command) {
		for _, c := range cmds {
			c.GroupID = group
			root.AddCommand(c)
		}
	}
	flow := &taskFlow{x}
	sess, tasks, kinds, office, ops := &sessionCommands{x}, &taskCommands{flow}, &kindCommands{flow}, &officeCommands{flow}, &operatorTools{x}
	add(groupSession, sess.loginCommand(), sess.logoutCommand(), sess.whoamiCommand(), sess.passwordCommand())
	add(groupTasks, tasks.tasksCommand(), tasks.taskCommand(),
		kinds.proposalCommand(), kinds.consolidateCommand(), kinds.appraiseCommand(), kinds.signCommand(), kinds.signAgentCommand(), kinds.issueCommand(),
		kinds.reportCommand(), kinds.reviewCommand(), kinds.planReportCommand(), kinds.resultsCommand(), kinds.recognitionCommand(), kinds.awardsCommand())
	add(groupOffice, office.cycleCommand(), office.accountsCommand(), office.delegationsCommand(),
		office.indicatorsCommand(), office.standingsCommand(), office.archiveCommand())
	add(groupOperator, ops.operatorCommand())
	// The operators' commands used to be at the top: they still run there,
	// hidden from the help, saying where they are now.
	for _, c := range ops.operatorCommands() {
		if hasCommand(root, c.Name()) {
			continue
		}
		c.Hidden = true
		name := c.Name()
		c.PersistentPreRun = func(*cobra.Command, []string) {
			fmt.Fprintln(x.errOut, cycle.Say(x.lang, "cli.moved", name))
		}
		x.operatorFlags(c)
		root.AddCommand(c)
	}
	root.SetHelpCommandGroupID(groupSession)
	root.SetCompletionCommandGroupID(groupOperator)
	return root
}

func hasCommand(root *cobra.Command, name string) bool {
	for _, c := range root.Commands() {
		if c.Name() == name {
			return true
		}
	}
	return false
}

// usageError is a mistake in the command line: exit status 2.
type usageError struct {
	cmd *cobra.Command
	err error
}

func (e usageError) Error() string { return e.err.Error() }

// report prints what went wrong, as an officer reads it, and returns the
// exit status.
func (x *cli) report(err error) int {
	if err == nil {
		return exitOK
	}
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintln(x.errOut, cycle.Say(x.lang, "cli.usage", ue.err, ue.cmd.CommandPath()))
		return exitInvalid
	}
	if errors.Is(err, errNotVerified) {
		fmt.Fprintln(x.errOut, "error:", err)
		return exitRefused
	}
	var ae *apiError
	if errors.As(err, &ae) {
		if x.jsonOut && len(ae.Raw) > 0 {
			_, _ = x.out.Write(ae.Raw)
		}
		fmt.Fprint(x.errOut, x.describe(ae.Err))
		return exitStatus(ae.Err.Code)
	}
	if ce := flow.AsCycleError(err); ce != nil {
		fmt.Fprint(x.errOut, x.describe(ce))
		return exitStatus(ce.Code)
	}
	if strings.HasPrefix(err.Error(), "unknown command") || strings.Contains(err.Error(), "accepts ") || strings.Contains(err.Error(), "arg(s)") ||
		strings.Contains(err.Error(), "required flag") {
		fmt.Fprintln(x.errOut, cycle.Say(x.lang, "cli.usage", err, "starter"))
		return exitInvalid
	}
	fmt.Fprintln(x.errOut, cycle.Say(x.lang, "cli.error", err))
	return exitRefused
}

// exitStatus maps an error code to the exit status: input the officer must
// correct (the rules' refusals, malformed files, usage) is 2, anything
// else refused or failed is 1.
func exitStatus(code string) int {
	switch code {
	case cycle.EINVALID, api.EBADREQUEST, api.EUNSUPPORTED, api.ETOOLARGE, eUsage:
		return exitInvalid
	}
	return exitRefused
}

// describe says an error for officers: what kind of refusal, the message,
// and every problem with where it is (the file's line and column, or the
// commune). English with --lang en.
func (x *cli) describe(ce *cycle.Error) string {
	var b strings.Builder
	head := cycle.Say(x.lang, "cli.code."+ce.Code)
	if strings.HasPrefix(head, "[") {
		head = cycle.Say(x.lang, "cli.code.other", ce.Code)
	}
	msg := ce.In(x.lang)
	if msg == "" {
		msg = ce.Message
	}
	fmt.Fprintf(&b, "%s: %s\n", head, msg)
	for _, p := range ce.Problems {
		fmt.Fprintf(&b, "  - %s\n", problemText(x.lang, p))
	}
	if ce.Code == eUnauth {
		fmt.Fprintln(&b, cycle.Say(x.lang, "cli.sign_in_again"))
	}
	return b.String()
}

// problemText says a problem with where it is: its place in the file or
// its commune (Problem.In). A problem that has neither but whose field
// names a place in the file ("line 3: social_order_crimes", as the CSV
// reader says it) keeps that; program paths ("proposed[1]") are never
// shown to officers.
func problemText(lang cycle.Lang, p cycle.Problem) string {
	if (p.Where == nil || p.Where.IsZero()) && p.Commune == "" && p.Field != "" && !strings.ContainsAny(p.Field, "[].") {
		return p.Field + ": " + p.In(lang)
	}
	return p.In(lang)
}

// ---- the operators' connections --------------------------------------------------

// operatorFlags adds the connection flags of the operators' commands.
func (x *cli) operatorFlags(cmd *cobra.Command) {
	pf := cmd.PersistentFlags()
	pf.StringVar(&x.cfg.TemporalAddress, "temporal-address", x.cfg.TemporalAddress, "Temporal frontend host:port (env TEMPORAL_ADDRESS)")
	pf.StringVar(&x.cfg.Namespace, "namespace", x.cfg.Namespace, "Temporal namespace (env TEMPORAL_NAMESPACE)")
	pf.StringVar(&x.cfg.DatabaseURL, "database-url", x.cfg.DatabaseURL, "PostgreSQL URL of the store (env DATABASE_URL)")
	pf.BoolVarP(&x.verbose, "verbose", "v", false, "log SDK and server messages")
}

func (x *cli) logger() *slog.Logger {
	if x.verbose {
		return slog.New(slog.NewTextHandler(x.errOut, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(x.errOut, &slog.HandlerOptions{Level: slog.LevelWarn}))
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
