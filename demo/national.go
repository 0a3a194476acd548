package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"

	"chuyenhoa/cycle"
	"chuyenhoa/internal/app"
	"chuyenhoa/policies"
	"chuyenhoa/postgres"
	"chuyenhoa/sample"
	"chuyenhoa/templates"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/selection"
	"chuyenhoa/workflows/transformation"
)

// The national-scale run (`demo national`): the 34 provinces of 2025
// and their 3,321 communes, every commune proposing for itself, one yearly
// cycle per province driven from its officers' inbox in the store — the
// proposals, the secretariat's consolidation, the council, the head's
// signature and the clerk's issue — and then, on a sped-up calendar, the
// cohort's transformation years through to the recognition decisions, with
// the officers of the demo (demoOfficer) completing the tasks. It measures
// the product at the size of the country, not the country: the crime
// figures and the officers are synthetic.

// DefaultNationalTimeScale is the national run's calendar speed: a
// calendar day passes in about 0.86 s, so that the officers of 34
// provinces keep up with the year-end reports on a shared 2-core machine
// (the demo's 800,000× leaves a province's six reporting days under a
// second). Real cycles run on real dates.
const DefaultNationalTimeScale = 100_000

// PiecewiseIdleScale is the calendar speed between the policy's windows
// (transformation.CalendarSpans) that --idle-scale is measured at: a
// calendar day in about 17 ms, so that the idle months of the two
// programme years pass in seconds while the officers keep the --time-scale
// in the weeks their tasks are open. It is the default: 34 provinces ran
// to their last recognitions in 3½ minutes with only the escalations the
// script asks for (docs/demo.md); --idle-scale 0 runs the whole calendar
// at --time-scale (about 15 minutes).
const PiecewiseIdleScale = 5_000_000

// DefaultNationalShare is the share of a province's communes the
// secretariat lists, in percent: about one commune in ten.
const DefaultNationalShare = 10

// nationalOptions are the national run's choices.
type nationalOptions struct {
	year          int
	policy        cycle.Policy
	timeScale     float64
	idleScale     float64 // 0: the whole calendar at timeScale
	stagger       time.Duration
	selectionOnly bool
	provinces     int     // the first N provinces of 2025; 0: all 34
	workers       int     // in-process workers polling the task queue
	concurrency   int     // officers' requests in flight
	share         float64 // percent of a province's communes listed at most
	historyLimit  int     // YearlyCycleInput.HistoryLimit
	poll          time.Duration
	statusEvery   time.Duration
	officersLog   string
}

func (x *demo) nationalCommand() *cobra.Command {
	var dbFile, policyArg string
	opts := nationalOptions{}
	cmd := &cobra.Command{
		Use:   "national",
		Short: "Run the yearly cycles of all 34 provinces of 2025 (3,321 communes) on embedded servers and measure it",
		Long: `Run the programme at national scale on the embedded default (as the demo itself: an
in-process Temporal dev server on a temporary SQLite file unless TEMPORAL_ADDRESS is set,
a throwaway PostgreSQL unless DATABASE_URL is set, and in-process workers): the 34
provinces of 1 July 2025 with their 3,321 communes (real names and codes, SYNTHETIC crime
figures), every commune proposing for itself (two tiers). One YearlyCycle per province
for --year; the officers complete every task from the store's inbox, concurrently across
provinces (--concurrency requests in flight): 3,321 proposals, the secretariat's
consolidation — which drops, with a reason, the eligible communes beyond --share percent
of the province's communes — the council's approval, the head's signature and the
clerk's issue of the decision. Then, on a piecewise calendar — --time-scale times faster
than real time in the weeks in which the policy's dates open tasks (rounds of reports, the
year-end steps, the follow-ups and the recognition), --idle-scale times in the months
between them, where nothing is due (--idle-scale 0: the whole calendar at --time-scale) —
the cohort's transformation years through to the recognition decisions: most communes pass;
in provinces with at least four listed communes one fails its first year and passes its
second, and one (in turn) fails twice (responsibility review), relapses at its
follow-up, reports its year late, or is passed by the council over a failing report.

It prints progress per phase and a summary: wall times, workflows and history events
(Temporal visibility; events per second), communes selected, tasks completed, reports, documents issued and
delivered (with every signature verified), national indicators, and peak memory.
--selection-only stops at the decisions; --provinces N runs the first N provinces. Before
it starts it prints how long it should take: about 3½ minutes for the 34 provinces at the
defaults, 2 for a few (the cohorts' calendar, each province's first reports --stagger after
the one before); with --idle-scale 0 about 13 minutes however few the provinces. The quick
tries are --provinces 3 and --provinces N --selection-only.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			pol, err := policies.Resolve(policyArg)
			if err != nil {
				return err
			}
			opts.policy = pol
			if err := opts.validate(); err != nil {
				return err
			}
			if dbFile == "" {
				file, remove, err := tempTemporalDB("chuyenhoa-national-")
				if err != nil {
					return err
				}
				defer remove()
				dbFile = file
			}
			fmt.Fprintln(x.out, "National run: the hotspot-transformation cycles of every province — real administrative names, SYNTHETIC crime figures")
			e, err := x.embed(ctx, cmd, dbFile, 0, -1)
			if err != nil {
				return err
			}
			defer e.stop()
			if x.cfg.OutputDir, err = filepath.Abs(x.cfg.OutputDir); err != nil {
				return err
			}
			return x.runNational(ctx, opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&policyArg, "policy", "000", "shipped policy (000–005) or policy file every cycle runs under, named: no plan of the 34 provinces but Quảng Ngãi's template (005) covers 2026 onwards, so the national run runs them all under one")
	f.IntVar(&opts.year, "year", time.Now().In(cycle.Vietnam).Year()+1, "the cycles' transformation year")
	f.Float64Var(&opts.timeScale, "time-scale", DefaultNationalTimeScale, "calendar seconds per real second in the transformation years (1 = real time)")
	f.Float64Var(&opts.idleScale, "idle-scale", PiecewiseIdleScale, "calendar seconds per real second between the weeks in which the policy's dates open tasks (0: the whole calendar at --time-scale, about 15 minutes)")
	f.DurationVar(&opts.stagger, "stagger", 3*time.Second, "on the piecewise calendar, how much later each province's cohort reaches its first reports than the one before (the officers then meet the provinces' rounds of reports one after another, not all at once)")
	f.BoolVar(&opts.selectionOnly, "selection-only", false, "stop at the approval decisions (the cycles end there)")
	f.IntVar(&opts.provinces, "provinces", 0, "run only the first N provinces of 2025, by code (0: all 34)")
	f.IntVar(&opts.workers, "workers", 1, "in-process workers polling the task queue")
	f.IntVar(&opts.concurrency, "concurrency", 12, "district officers' proposals in flight at once (across provinces; their reports twice as many, the provincial bodies' requests two thirds, at least 4)")
	f.Float64Var(&opts.share, "share", DefaultNationalShare, "percent of a province's communes the secretariat lists at most")
	f.IntVar(&opts.historyLimit, "history-limit", 0, "a cycle continues as new after a programme year once its history has more events (0: when the server suggests it)")
	f.DurationVar(&opts.poll, "poll", 250*time.Millisecond, "how often the officers look at their inbox")
	f.DurationVar(&opts.statusEvery, "status-every", 30*time.Second, "how often a status line is printed")
	f.StringVar(&opts.officersLog, "officers-log", "", "write what each officer did to this file")
	f.StringVar(&x.cfg.OutputDir, "out", x.cfg.OutputDir, "directory for the PDFs (env CHUYENHOA_OUTPUT_DIR)")
	f.StringVar(&dbFile, "temporal-db", "", "keep the dev server's SQLite file here (default: a temporary file)")
	return cmd
}

// piecewise reports whether the transformation years run on a piecewise
// calendar: fast between the weeks in which tasks are open.
func (o nationalOptions) piecewise() bool { return o.idleScale > 0 && o.timeScale > 1 }

func (o nationalOptions) validate() error {
	var probs []cycle.Problem
	bad := func(flag string, t cycle.Text, args ...any) {
		p := cycle.Bilingual("flag."+flag, t, args...)
		p.Field = "--" + flag
		probs = append(probs, p)
	}
	if o.provinces < 0 {
		bad("provinces", cycle.Text{VI: "Số tỉnh %d không hợp lệ: ghi 0 (tất cả) hoặc một số dương", EN: "%d: want 0 (all) or a positive number"}, o.provinces)
	}
	if o.workers < 1 {
		bad("workers", cycle.Text{VI: "Số %d không hợp lệ: cần ít nhất 1", EN: "%d: want at least 1"}, o.workers)
	}
	if o.concurrency < 1 {
		bad("concurrency", cycle.Text{VI: "Số %d không hợp lệ: cần ít nhất 1", EN: "%d: want at least 1"}, o.concurrency)
	}
	if !(o.share > 0 && o.share <= 100) {
		bad("share", cycle.Text{VI: "Tỷ lệ %g%% không hợp lệ: phải lớn hơn 0 và không quá 100", EN: "%g: want a percentage above 0, at most 100"}, o.share)
	}
	if o.timeScale < 0 {
		bad("time-scale", cycle.Text{VI: "Hệ số thời gian %g không hợp lệ: phải từ 0 trở lên", EN: "%g: want 0 or more"}, o.timeScale)
	}
	if o.idleScale < 0 {
		bad("idle-scale", cycle.Text{VI: "Hệ số thời gian %g không hợp lệ: phải từ 0 trở lên", EN: "%g: want 0 or more"}, o.idleScale)
	}
	if o.poll <= 0 || o.statusEvery <= 0 {
		bad("poll", cycle.Text{VI: "Các khoảng thời gian --poll và --status-every phải lớn hơn 0", EN: "--poll and --status-every must be positive"})
	}
	if o.year < 2000 || o.year > 2100 {
		bad("year", cycle.Text{VI: "Năm %d không hợp lệ", EN: "%d is not a plausible year"}, o.year)
	}
	return cycle.Invalid("national run options", probs)
}

// ---- the run --------------------------------------------------------------------

// nationalRun is one national run: the plans, the connections and what
// has happened so far.
type nationalRun struct {
	x     *demo
	opts  nationalOptions
	c     client.Client
	db    *postgres.DB
	start time.Time
	log   io.Writer // the officers' log (io.Discard without --officers-log)
	// opens is, for each province, how long after the start its cohort
	// reaches its first reports on the piecewise calendar (cohortOpens:
	// TransformationOpens).
	opens []time.Duration

	provinces []*provinceRun
	byCycle   map[string]*provinceRun

	mu        sync.Mutex
	completed map[cycle.TaskKind]int
	retries   int
	shown     map[string]int // milestone → quarters printed
	heapPeak  uint64
	sysPeak   uint64
	decided   int      // decisions issued
	finished  int      // cycles ended
	openTasks int      // in the inbox at the last look
	orphans   []string // tasks open in the inbox whose workflow had ended
}

// provinceRun is one province's cycle in the run.
type provinceRun struct {
	index int
	plan  provincePlan
	id    string // the cycle's workflow ID
	run   client.WorkflowRun

	mu       sync.Mutex
	cohort   map[string]transformation.CohortCommune
	scenario map[string]demoScenario
	state    selection.CycleState // the latest state read
	clock    *flow.Clock

	decision  cycle.Decision
	decidedAt time.Duration // since the start
	endedAt   time.Duration
}

// taskState is the run's view of one task of the inbox.
type taskState struct {
	inflight  bool
	done      bool
	attempts  int // failed attempts so far
	notBefore time.Time
}

// outcome of one officer's attempt at a task.
type attempt struct {
	key  string
	pr   *provinceRun
	task cycle.Task
	done bool
	err  error
	out  string
}

func (x *demo) runNational(ctx context.Context, opts nationalOptions) error {
	all, err := sample.Communes2025()
	if err != nil {
		return err
	}
	if opts.provinces > len(all) {
		return cycle.Errorf(cycle.EINVALID, "--provinces %d: there are %d provinces of 2025", opts.provinces, len(all))
	}
	if opts.provinces > 0 {
		all = all[:opts.provinces]
	}
	plans, err := planNational(all, opts.policy, opts.year, opts.share)
	if err != nil {
		return err
	}
	estimate := estimateNational(plans, opts, time.Now())
	printEstimate(x.out, estimate, opts, len(plans))
	if err := x.open(ctx); err != nil {
		return err
	}
	db, c := x.db, x.c
	// Activities, the driver and the summary share the pool; the throwaway
	// cluster allows 100 connections.
	db.LimitConnections(32)
	for _, p := range plans {
		if err := db.SaveProvince(ctx, p.Province, p.Issuer); err != nil {
			return fmt.Errorf("registry %s: %w", p.Province.Name, err)
		}
	}
	r := &nationalRun{x: x, opts: opts, c: c, db: db, log: io.Discard, byCycle: map[string]*provinceRun{}, opens: cohortOpens(plans, opts.stagger),
		completed: map[cycle.TaskKind]int{}, shown: map[string]int{}}
	communes, proposed, eligible, listed := 0, 0, 0, 0
	for i, p := range plans {
		pr := &provinceRun{index: i, plan: p, id: selection.WorkflowID(p.Province.Code, opts.year)}
		r.provinces = append(r.provinces, pr)
		r.byCycle[pr.id] = pr
		communes += len(p.Province.Communes)
		proposed += p.Proposed
		eligible += p.Selection.EligibleCount()
		listed += p.Listed
	}
	fmt.Fprintf(x.out, "• registry: %d provinces, %s communes (two tiers: every commune proposes for itself; new-rural flags synthetic)\n", len(plans), grouped(communes))
	fmt.Fprintf(x.out, "• plan under policy %s: %s communes propose themselves, %s eligible; the secretariats list at most %s of their communes: %s communes (%s), %d dropped with a reason\n",
		opts.policy.ID, grouped(proposed), grouped(eligible), templates.Percent(opts.share), grouped(listed), templates.Percent(100*float64(listed)/float64(communes)), eligible-listed)
	if opts.officersLog != "" {
		f, err := os.Create(opts.officersLog)
		if err != nil {
			return err
		}
		defer f.Close()
		r.log = f
	}
	// One demo certificate signs for every province's head and seals for
	// every steering committee: the run measures the pipeline, not a PKI.
	provs := make([]cycle.Province, len(plans))
	for i, p := range plans {
		provs[i] = p.Province
	}
	if err := x.demoDocuments(plans[0].Issuer.SignerName, "Ban Chỉ đạo phòng, chống tội phạm", provs...); err != nil {
		return err
	}
	acts, err := app.NewActivities(db, x.cfg)
	if err != nil {
		return err
	}
	var workers []worker.Worker
	for range opts.workers {
		w := app.NewWorker(c, acts)
		if err := w.Start(); err != nil {
			return fmt.Errorf("start worker: %w", err)
		}
		workers = append(workers, w)
	}
	defer func() {
		for _, w := range workers {
			w.Stop()
		}
	}()
	scale := "real time"
	if !opts.selectionOnly {
		scale = "calendar sped up " + strconv.FormatFloat(opts.timeScale, 'f', -1, 64) + "× in the transformation years"
		if opts.piecewise() {
			scale += " while tasks are open, " + strconv.FormatFloat(opts.idleScale, 'f', -1, 64) + "× between"
		}
	}
	fmt.Fprintf(x.out, "• %d worker(s) polling task queue %q; %d officers' requests in flight at most; %s; PDFs go to %s\n\n",
		opts.workers, flow.TaskQueue, opts.concurrency, scale, x.cfg.OutputDir)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go r.sampleMemory(ctx)
	r.start = time.Now()
	if err := r.startCycles(ctx); err != nil {
		return err
	}
	if err := r.drive(ctx); err != nil {
		return err
	}
	wall := time.Since(r.start)
	cancel()
	return r.summary(context.WithoutCancel(ctx), wall)
}

func (r *nationalRun) since() time.Duration { return time.Since(r.start).Round(time.Second) }

func (r *nationalRun) printf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	fmt.Fprintf(r.x.out, "[%7s] "+format+"\n", append([]any{r.since()}, args...)...)
}

// milestone prints "what n/total" when n reaches a new quarter of total.
func (r *nationalRun) milestone(what string, n, total int) {
	if total <= 0 {
		return
	}
	q := 4 * n / total
	r.mu.Lock()
	if q <= r.shown[what] {
		r.mu.Unlock()
		return
	}
	r.shown[what] = q
	r.mu.Unlock()
	r.printf("%s %s/%s", what, grouped(n), grouped(total))
}

// startCycles starts every province's cycle, a few at a time.
func (r *nationalRun) startCycles(ctx context.Context) error {
	secretariat := cycle.Actor{ID: "cat.thuongtruc", Name: "Công an tỉnh — Cơ quan Thường trực", Role: cycle.RoleSecretariat}
	var wg sync.WaitGroup
	errs := make([]error, len(r.provinces))
	started := 0
	sem := make(chan struct{}, max(2, r.opts.concurrency/3))
	for i, pr := range r.provinces {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			in := selection.YearlyCycleInput{Province: pr.plan.Province.Code, Year: r.opts.year, Policy: r.opts.policy, StartedBy: secretariat, Synthetic: true,
				TimeScale: r.opts.timeScale, IdleScale: r.opts.idleScale, HistoryLimit: r.opts.historyLimit, StopAtDecision: r.opts.selectionOnly || r.opts.policy.Evaluation == nil}
			if r.opts.piecewise() {
				in.TransformationOpens = r.start.Add(r.opens[pr.index])
			}
			run, err := r.x.cycles().Start(ctx, in)
			if err != nil {
				errs[i] = fmt.Errorf("start the cycle of %s: %w", pr.plan.Province.Name, err)
				return
			}
			pr.run = run
			r.mu.Lock()
			started++
			n := started
			r.mu.Unlock()
			r.milestone("cycles started", n, len(r.provinces))
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}
