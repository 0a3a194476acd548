// Command demo drives the product from outside, as its users would, on an
// embedded Temporal dev server and a throwaway PostgreSQL (unless
// TEMPORAL_ADDRESS and DATABASE_URL name real ones): by default a sample
// province's yearly cycle from the secretariat's start to the issued
// decision and on through the transformation years; `demo national` the
// cycles of all 34 provinces of 2025; `demo awards` an award round;
// `demo devserver` the servers alone, for driving a cycle by hand with the
// worker and the officers' CLI. It runs a worker in-process and plays the
// officers through the processes' typed clients and the store's inbox.
// Every figure it makes up is synthetic, and its documents say so.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"go.temporal.io/sdk/client"

	"chuyenhoa/cycle"
	"chuyenhoa/internal/app"
	"chuyenhoa/internal/display"
	"chuyenhoa/observe"
	"chuyenhoa/policies"
	"chuyenhoa/postgres"
	"chuyenhoa/sample"
	"chuyenhoa/workflows/awards"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/selection"
	"chuyenhoa/workflows/transformation"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := rootCommand().ExecuteContext(ctx); err != nil {
		if ce := flow.AsCycleError(err); ce != nil {
			// Refused: bad options, or the product refused what the demo's
			// officers did, which it should not.
			fmt.Fprintln(os.Stderr, display.Describe(ce))
			os.Exit(2)
		}
		var usage usageError
		if errors.As(err, &usage) {
			fmt.Fprintln(os.Stderr, "usage:", err)
			os.Exit(2)
		}
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

// usageError is a bad flag or flag value: the command exits with status 2,
// as the officers' CLI does.
type usageError struct{ error }

// demo holds the configuration and, once open, the connections the demo
// drives the product through.
type demo struct {
	cfg     app.Config
	verbose bool
	out     io.Writer
	c       client.Client
	db      *postgres.DB
	// updates counts the updates c sends, the SDK's silent retries
	// included (the national run's summary prints them).
	updates *observe.Updates
	logOnce sync.Once
	logTo   io.Writer // the warnings' destination (logger)
}

func rootCommand() *cobra.Command {
	x := &demo{cfg: app.FromEnv(), out: os.Stdout}
	x.cfg.Signing.Demo = true // the demo simulates the head's token with a key file, and says so
	var slug, dbFile, policyArg string
	var year int
	var linger time.Duration
	var opts demoOptions
	root := &cobra.Command{
		Use:   "demo",
		Short: "Run a whole selection cycle for a sample province on embedded servers (synthetic figures)",
		Long: `Run the demo: start the embedded Temporal dev server with its Web UI (unless
TEMPORAL_ADDRESS is set) and a throwaway PostgreSQL (unless DATABASE_URL is set), run a
worker, import a province (real names and codes; SYNTHETIC crime figures) — by default
Quảng Ngãi as it is today, two tiers since 1 July 2025 (--province 51), or a seed
province of 2024 with its districts (--province quang-ngai-2024 …) — and drive its
yearly cycle from the secretariat's start to the issued decision, showing the refusals
a real officer meets on the way. The selection is dated on the demo's own calendar
(proposals a week before their deadline, the decision in the last week of its month),
since the demo plays in seconds what takes weeks; --real-dates dates it today.
The cycle then goes on through the transformation year, from the decision's date, on a
sped-up calendar (--time-scale; real cycles use real dates): reports, the council's year-end appraisal, notices, the six-month follow-up, the
recognition decisions, a second year and a responsibility review, with a mix of
outcomes. PDFs are written under --out.

The subcommands run the national-scale run, an award round, or the servers alone.`,
		Args:          cobra.NoArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if dbFile == "" {
				file, remove, err := tempTemporalDB("chuyenhoa-demo-")
				if err != nil {
					return err
				}
				defer remove()
				dbFile = file
			}
			fmt.Fprintln(x.out, "Demo: hotspot-transformation selection cycle — real administrative names, SYNTHETIC crime figures")
			e, err := x.embed(ctx, cmd, dbFile, 0, 0)
			if err != nil {
				return err
			}
			defer e.stop()
			if x.cfg.OutputDir, err = filepath.Abs(x.cfg.OutputDir); err != nil {
				return err
			}
			pol, err := demoPolicy(policyArg, slug, year)
			if err != nil {
				return err
			}
			err = x.runDemo(ctx, slug, year, pol, opts)
			if err == nil && linger > 0 && e.temporal != nil {
				fmt.Fprintf(x.out, "\nThe Web UI stays up for %s: %s\n", linger, e.temporal.UIAddress())
				select {
				case <-ctx.Done():
				case <-time.After(linger):
				}
			}
			return err
		},
	}
	pf := root.PersistentFlags()
	pf.StringVar(&x.cfg.TemporalAddress, "temporal-address", x.cfg.TemporalAddress, "Temporal frontend host:port (env TEMPORAL_ADDRESS; default: an embedded dev server)")
	pf.StringVar(&x.cfg.Namespace, "namespace", x.cfg.Namespace, "Temporal namespace (env TEMPORAL_NAMESPACE)")
	pf.StringVar(&x.cfg.DatabaseURL, "database-url", x.cfg.DatabaseURL, "PostgreSQL URL of the store (env DATABASE_URL; default: a throwaway cluster)")
	pf.BoolVarP(&x.verbose, "verbose", "v", false, "log SDK and server messages")
	root.PersistentPostRun = func(*cobra.Command, []string) { x.close() }

	f := root.Flags()
	f.StringVar(&slug, "province", DefaultDemoProvince, "the code of a two-tier province of 2025 (default: 51, Quảng Ngãi today), or a three-tier seed province of 2024: "+strings.Join(seed2024(), ", "))
	f.StringVar(&policyArg, "policy", "", "shipped policy (000–005) or policy file the cycle runs under (default: the province's policy in force on 1 January of the year; refused when none is)")
	f.IntVar(&year, "year", time.Now().In(cycle.Vietnam).Year()+1, "the cycle's transformation year")
	f.StringVar(&x.cfg.OutputDir, "out", x.cfg.OutputDir, "directory for the PDFs (env CHUYENHOA_OUTPUT_DIR)")
	f.StringVar(&dbFile, "temporal-db", "", "keep the dev server's SQLite file here (default: a temporary file)")
	f.DurationVar(&linger, "linger", 0, "keep the servers (and the Web UI) up this long after the demo")
	f.Float64Var(&opts.timeScale, "time-scale", DefaultDemoTimeScale, "calendar seconds per real second in the transformation years (demo only; 1 = real time)")
	f.BoolVar(&opts.selectionOnly, "selection-only", false, "stop at the approval decision (the cycle ends there)")
	f.BoolVar(&opts.realDates, "real-dates", false, "date the selection's steps today, as a real cycle would, not on the demo's calendar (proposals before their deadline, the decision after the appraisal's)")
	f.StringVar(&opts.headSignature, "head-signature", x.cfg.Signing.Head.Mode, "how the head signs the approval decision: external (through a simulated signer's agent, the default) or server (the worker signs with the demo key) (env CHUYENHOA_HEAD_SIGNATURE)")
	f.IntVar(&opts.historyLimit, "history-limit", 0, "continue the cycle as new at the end of a programme year once its history is past this many events (0: when the server suggests it, past 4,096)")

	root.AddCommand(x.nationalCommand(), x.awardsCommand(), x.devserverCommand())
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	return root
}

// demoLogFile is where the servers' and the worker's warnings go unless
// --verbose: not between the officers' lines of the demo's output.
const demoLogFile = ".data/demo.log"

func (x *demo) logger() *slog.Logger {
	if x.verbose {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	x.logOnce.Do(func() {
		x.logTo = os.Stderr
		if err := os.MkdirAll(filepath.Dir(demoLogFile), 0o755); err != nil {
			return
		}
		f, err := os.OpenFile(demoLogFile, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err != nil {
			return
		}
		x.logTo = f
		fmt.Fprintf(x.out, "• nhật ký kỹ thuật (cảnh báo của máy chủ Temporal, PostgreSQL và worker): %s — technical log (warnings of the servers and the worker): %s\n", demoLogFile, demoLogFile)
	})
	return slog.New(slog.NewTextHandler(x.logTo, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// open connects to Temporal and the store the demo's servers (or the
// environment) name.
func (x *demo) open(ctx context.Context) error {
	if x.db == nil {
		db, err := app.OpenStore(ctx, x.cfg)
		if err != nil {
			return err
		}
		x.db = db
	}
	if x.c == nil {
		if x.updates == nil {
			u, err := observe.NewUpdates(nil)
			if err != nil {
				return err
			}
			x.updates = u
		}
		c, err := app.DialWith(x.cfg, x.logger(), nil, x.updates)
		if err != nil {
			return err
		}
		x.c = c
	}
	return nil
}

func (x *demo) close() {
	if x.c != nil {
		x.c.Close()
		x.c = nil
	}
	if x.db != nil {
		x.db.Close()
		x.db = nil
	}
}

// The processes' typed clients: how the demo's officers reach the
// workflows, as the API does.
func (x *demo) cycles() selection.Client        { return selection.Client{T: x.c} }
func (x *demo) communes() transformation.Client { return transformation.Client{T: x.c} }
func (x *demo) rounds() awards.Client           { return awards.Client{T: x.c} }

// pdfs saves issued documents from the store under the output directory.
func (x *demo) pdfs() display.PDFs {
	return display.PDFs{Dir: x.cfg.OutputDir, Store: func(context.Context) (display.Documents, error) { return x.db, nil }}
}

// seed2024 names the seed provinces of 2024 as --province takes them.
func seed2024() []string {
	var out []string
	for _, s := range sample.Provinces() {
		out = append(out, s+"-2024")
	}
	return out
}

// demoPolicy is the policy the demo's cycle runs under: the one named, or
// the shipped policy in force for the province on 1 January of the year
// (for Quảng Ngãi in 2026–2030, the two-tier template 005), refused in
// both languages when none is: the demo assumes no plan for a year it
// does not cover.
func demoPolicy(arg, slug string, year int) (cycle.Policy, error) {
	if arg != "" {
		return policies.Resolve(arg)
	}
	prov, _, err := demoProvince(slug)
	if err != nil {
		return cycle.Policy{}, err
	}
	all, err := policies.Builtin()
	if err != nil {
		return cycle.Policy{}, err
	}
	pol, err := policies.InForce(all, prov.Code, cycle.D(year, time.January, 1))
	if ce := cycle.AsError(err); ce != nil {
		return cycle.Policy{}, fmt.Errorf("%s\n%s (--policy)", ce.In(cycle.Vietnamese), ce.In(cycle.English))
	}
	return pol, err
}

// step prints a step of a demo's story.
func step(w io.Writer, format string, args ...any) { fmt.Fprintf(w, "▸ "+format+"\n", args...) }
