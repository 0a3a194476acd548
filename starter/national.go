package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"

	"chuyenhoa/cycle"
	"chuyenhoa/internal/app"
	"chuyenhoa/policies"
	"chuyenhoa/postgres"
	"chuyenhoa/sample"
	"chuyenhoa/signing"
	"chuyenhoa/templates"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/selection"
	"chuyenhoa/workflows/transformation"
)

// The national-scale run (`starter national`): the 34 provinces of 2025
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

// DefaultNationalShare is the share of a province's communes the
// secretariat lists, in percent: about one commune in ten.
const DefaultNationalShare = 10

// nationalOptions are the national run's choices.
type nationalOptions struct {
	year          int
	policy        cycle.Policy
	timeScale     float64
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

func (x *cli) nationalCommand() *cobra.Command {
	var dbFile, policyArg string
	opts := nationalOptions{}
	cmd := &cobra.Command{
		Use:   "national",
		Short: "Run the yearly cycles of all 34 provinces of 2025 (3,321 communes) on embedded servers and measure it",
		Long: `Run the programme at national scale on the embedded default (as ` + "`starter demo`" + `: an
in-process Temporal dev server on a temporary SQLite file unless TEMPORAL_ADDRESS is set,
a throwaway PostgreSQL unless DATABASE_URL is set, and in-process workers): the 34
provinces of 1 July 2025 with their 3,321 communes (real names and codes, SYNTHETIC crime
figures), every commune proposing for itself (two tiers). One YearlyCycle per province
for --year; the officers complete every task from the store's inbox, concurrently across
provinces (--concurrency requests in flight): 3,321 proposals, the secretariat's
consolidation — which drops, with a reason, the eligible communes beyond --share percent
of the province's communes — the council's approval, the head's signature and the
clerk's issue of the decision. Then, on a calendar sped up --time-scale times, the
cohort's transformation years through to the recognition decisions: most communes pass;
in provinces with at least four listed communes one fails its first year and passes its
second, and one (in turn) fails twice (responsibility review), relapses at its
follow-up, reports its year late, or is passed by the council over a failing report.

It prints progress per phase and a summary: wall times, workflows (Temporal
visibility), communes selected, tasks completed, reports, documents issued and
delivered (with every signature verified), national indicators, and peak memory.
--selection-only stops at the decisions; --provinces N runs the first N provinces.`,
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
			out, err := filepath.Abs(x.cfg.OutputDir)
			if err != nil {
				return err
			}
			x.cfg.OutputDir = out
			return x.runNational(ctx, opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&policyArg, "policy", "000", "shipped policy (000–004) or policy file every cycle runs under")
	f.IntVar(&opts.year, "year", time.Now().In(cycle.Vietnam).Year()+1, "the cycles' transformation year")
	f.Float64Var(&opts.timeScale, "time-scale", DefaultNationalTimeScale, "calendar seconds per real second in the transformation years (1 = real time)")
	f.BoolVar(&opts.selectionOnly, "selection-only", false, "stop at the approval decisions (the cycles end there)")
	f.IntVar(&opts.provinces, "provinces", 0, "run only the first N provinces of 2025, by code (0: all 34)")
	f.IntVar(&opts.workers, "workers", 1, "in-process workers polling the task queue")
	f.IntVar(&opts.concurrency, "concurrency", 12, "officers' requests in flight at once (across provinces)")
	f.Float64Var(&opts.share, "share", DefaultNationalShare, "percent of a province's communes the secretariat lists at most")
	f.IntVar(&opts.historyLimit, "history-limit", 0, "a cycle continues as new after a programme year once its history has more events (0: when the server suggests it)")
	f.DurationVar(&opts.poll, "poll", 250*time.Millisecond, "how often the officers look at their inbox")
	f.DurationVar(&opts.statusEvery, "status-every", 30*time.Second, "how often a status line is printed")
	f.StringVar(&opts.officersLog, "officers-log", "", "write what each officer did to this file")
	f.StringVar(&x.cfg.OutputDir, "out", x.cfg.OutputDir, "directory for the PDFs (env CHUYENHOA_OUTPUT_DIR)")
	f.StringVar(&dbFile, "temporal-db", "", "keep the dev server's SQLite file here (default: a temporary file)")
	return cmd
}

func (o nationalOptions) validate() error {
	var probs []cycle.Problem
	bad := func(flag, msg string) { probs = append(probs, cycle.Problem{Field: "--" + flag, Message: msg}) }
	if o.provinces < 0 {
		bad("provinces", fmt.Sprintf("%d: want 0 (all) or a positive number", o.provinces))
	}
	if o.workers < 1 {
		bad("workers", fmt.Sprintf("%d: want at least 1", o.workers))
	}
	if o.concurrency < 1 {
		bad("concurrency", fmt.Sprintf("%d: want at least 1", o.concurrency))
	}
	if !(o.share > 0 && o.share <= 100) {
		bad("share", fmt.Sprintf("%g: want a percentage above 0, at most 100", o.share))
	}
	if o.timeScale < 0 {
		bad("time-scale", fmt.Sprintf("%g: want 0 or more", o.timeScale))
	}
	if o.poll <= 0 || o.statusEvery <= 0 {
		bad("poll", "--poll and --status-every must be positive")
	}
	if o.year < 2000 || o.year > 2100 {
		bad("year", fmt.Sprintf("%d is not a plausible year", o.year))
	}
	return cycle.Invalid("national run options", probs)
}

// ---- the plan -------------------------------------------------------------------

// provincePlan is what the national run does in one province: every
// unit's proposal, the selection rules' verdict on them, and the
// secretariat's consolidation keeping the list to the province's target.
type provincePlan struct {
	Province      cycle.Province
	Issuer        cycle.Issuer
	Proposals     map[string]cycle.Proposal // by unit (in two tiers, the commune)
	Proposed      int                       // communes proposed
	Selection     cycle.SelectionResult
	Target        int // at most this many listed: share of the communes, rounded, at least 1
	Consolidation cycle.Consolidation
	Listed        int // communes on the draft list the consolidation gives
}

// nationalTarget is how many communes a province of n communes lists at
// most: share percent of them, rounded to the nearest, at least one.
func nationalTarget(n int, share float64) int {
	return max(1, int(math.Round(float64(n)*share/100)))
}

// planProvince proposes as sample.Proposals does (a commune proposes
// itself when its crimes are at least twice the province's average), runs
// the selection rules, and drops — with a reason, as the secretariat does
// when it consolidates — every eligible commune ranked beyond the target,
// so that a dropped one does not just make room for the next. Provinces
// whose rules select fewer keep them all: only proposed, eligible
// communes can be listed.
func planProvince(p cycle.Province, is cycle.Issuer, pol cycle.Policy, year int, share float64) (provincePlan, error) {
	plan := provincePlan{Province: p, Issuer: is, Proposals: map[string]cycle.Proposal{}, Target: nationalTarget(len(p.Communes), share)}
	props := sample.Proposals(p, pol, year)
	for _, pr := range props {
		plan.Proposals[pr.Unit] = pr
		plan.Proposed += len(pr.Proposed)
	}
	plan.Selection = cycle.Select(p, pol, props)
	for _, c := range plan.Selection.Candidates {
		if c.Eligible && c.Rank > plan.Target {
			plan.Consolidation.Decisions = append(plan.Consolidation.Decisions, cycle.CommuneDecision{Commune: c.Commune, Keep: false,
				Reason: fmt.Sprintf("Xếp hạng %d, ngoài số địa bàn tập trung chuyển hóa năm %d của tỉnh (%d/%d đơn vị cấp xã, khoảng %s); tiếp tục theo dõi, xem xét đề xuất năm sau (dữ liệu mẫu)",
					c.Rank, year, plan.Target, len(p.Communes), templates.Percent(share))})
		}
	}
	if len(plan.Consolidation.Decisions) > 0 {
		plan.Consolidation.Note = "Tổng hợp theo chỉ tiêu khoảng " + templates.Percent(share) + " số đơn vị cấp xã của tỉnh (dữ liệu mẫu)"
	}
	draft, err := cycle.Consolidate(p, pol, plan.Selection, plan.Consolidation)
	if err != nil {
		return plan, fmt.Errorf("plan %s: %w", p.Name, err)
	}
	if len(draft) == 0 {
		return plan, cycle.Errorf(cycle.EINVALID, "plan %s: no proposed commune is eligible under policy %s: the province would have no list", p.Name, pol.ID)
	}
	plan.Listed = len(draft)
	return plan, nil
}

// planNational plans every province of provs (see planProvince).
func planNational(provs []cycle.Province, pol cycle.Policy, year int, share float64) ([]provincePlan, error) {
	out := make([]provincePlan, 0, len(provs))
	for _, p := range provs {
		plan, err := planProvince(p, sample.GenericIssuer(p), pol, year, share)
		if err != nil {
			return nil, err
		}
		out = append(out, plan)
	}
	return out, nil
}

// nationalScenarios says what the officers do for each commune of a
// province's cohort (the province's index in the run turns the mix):
// most pass; in a cohort of at least four, the second-listed commune fails
// its first year and passes its second, and the third, in turn by
// province, fails twice (responsibility review), relapses at its
// follow-up, reports its year late, or is passed by the council over a
// failing report. Smaller cohorts all pass.
func nationalScenarios(index int, cohort []transformation.CohortCommune) map[string]demoScenario {
	out := map[string]demoScenario{}
	if len(cohort) < 4 {
		return out
	}
	turn := []demoScenario{scenarioTwiceFailed, scenarioRelapse, scenarioLateReport, scenarioCouncilOverride}
	out[cohort[1].Commune] = scenarioSecondYear
	out[cohort[2].Commune] = turn[index%len(turn)]
	return out
}

// ---- the run --------------------------------------------------------------------

// nationalRun is one national run: the plans, the connections and what
// has happened so far.
type nationalRun struct {
	x     *cli
	opts  nationalOptions
	c     client.Client
	db    *postgres.DB
	start time.Time
	log   io.Writer // the officers' log (io.Discard without --officers-log)

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
	t     *target
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

func (x *cli) runNational(ctx context.Context, opts nationalOptions) error {
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
	db, err := x.store(ctx)
	if err != nil {
		return err
	}
	// Activities, the driver and the summary share the pool; the throwaway
	// cluster allows 100 connections.
	db.LimitConnections(32)
	c, err := x.client()
	if err != nil {
		return err
	}
	for _, p := range plans {
		if err := db.SaveProvince(ctx, p.Province, p.Issuer); err != nil {
			return fmt.Errorf("registry %s: %w", p.Province.Name, err)
		}
	}
	r := &nationalRun{x: x, opts: opts, c: c, db: db, log: io.Discard, byCycle: map[string]*provinceRun{},
		completed: map[cycle.TaskKind]int{}, shown: map[string]int{}}
	communes, proposed, eligible, listed := 0, 0, 0, 0
	for i, p := range plans {
		pr := &provinceRun{index: i, plan: p, t: &target{province: p.Province.Code, year: opts.year}}
		r.provinces = append(r.provinces, pr)
		r.byCycle[pr.t.id()] = pr
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
	if err := x.demoDocuments(plans[0].Issuer.SignerName, "Ban Chỉ đạo phòng, chống tội phạm"); err != nil {
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
				TimeScale: r.opts.timeScale, HistoryLimit: r.opts.historyLimit, StopAtDecision: r.opts.selectionOnly || r.opts.policy.Evaluation == nil}
			run, err := r.x.startCycle(ctx, in)
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

// drive plays every officer of every province from the inbox in the store
// until every cycle has ended: each look at the inbox lists the open tasks
// not yet done, and they are handed to the officers as requests in flight
// allow — the transformation years' tasks (on a running calendar) before
// the proposals, so that reports do not wait behind thousands of
// proposals. A task an officer is not ready to complete (a late district,
// a council waiting for the reports) or whose request failed for a
// transient reason is looked at again later, under the same request ID.
func (r *nationalRun) drive(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ended := make(chan *provinceRun, len(r.provinces))
	failed := make(chan error, len(r.provinces))
	for _, pr := range r.provinces {
		go func() {
			var d cycle.Decision
			if err := pr.run.Get(ctx, &d); err != nil {
				failed <- fmt.Errorf("cycle %s: %w", pr.t.id(), err)
				return
			}
			ended <- pr
		}()
	}
	results := make(chan attempt, 256)
	tasks := map[string]*taskState{}
	var ready []cycle.Task     // from the last look at the inbox, in the order they are handed out
	inflight := map[bool]int{} // by officerClass
	limit := map[bool]int{false: r.opts.concurrency, true: max(2, r.opts.concurrency/3)}
	// fill hands out ready tasks while requests may be in flight.
	fill := func() {
		rest := ready[:0]
		for _, task := range ready {
			key := task.CycleID + "|" + task.ID
			ts := tasks[key]
			if ts.done || ts.inflight {
				continue
			}
			class := officerClass(task)
			if inflight[class] >= limit[class] {
				rest = append(rest, task)
				continue
			}
			ts.inflight = true
			inflight[class]++
			go r.attempt(ctx, r.byCycle[task.CycleID], task, key, results)
		}
		ready = rest
	}
	tick := time.NewTicker(r.opts.poll)
	defer tick.Stop()
	status := time.NewTicker(r.opts.statusEvery)
	defer status.Stop()
	running := len(r.provinces)
	for running > 0 {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case err := <-failed:
			return err
		case pr := <-ended:
			running--
			pr.endedAt = r.since()
			r.mu.Lock()
			r.finished++
			n := r.finished
			r.mu.Unlock()
			what := "cycles closed (every commune has its final outcome)"
			if r.opts.selectionOnly || r.opts.policy.Evaluation == nil {
				what = "cycles ended at their decision"
			}
			r.milestone(what, n, len(r.provinces))
		case a := <-results:
			inflight[officerClass(a.task)]--
			if err := r.settle(tasks, a); err != nil {
				return err
			}
			fill()
		case <-status.C:
			r.status()
		case <-tick.C:
			open, err := r.db.OpenTasks(ctx, cycle.TaskFilter{})
			if err != nil {
				return fmt.Errorf("read the inbox: %w", err)
			}
			r.mu.Lock()
			r.openTasks = len(open)
			r.mu.Unlock()
			now := time.Now()
			ready = ready[:0]
			for _, task := range open {
				if r.byCycle[task.CycleID] == nil {
					continue // a cycle of an earlier run in the same store
				}
				key := task.CycleID + "|" + task.ID
				ts := tasks[key]
				if ts == nil {
					ts = &taskState{}
					tasks[key] = ts
				}
				if !ts.done && !ts.inflight && !now.Before(ts.notBefore) {
					ready = append(ready, task)
				}
			}
			// The inbox is ordered by due date, cycle and task; the
			// transformation years' tasks go first.
			sort.SliceStable(ready, func(i, j int) bool {
				return !selectionTask(ready[i].Kind) && selectionTask(ready[j].Kind)
			})
			fill()
		}
	}
	return nil
}

// officerClass says whose requests a task is: true for the provincial
// bodies (secretariat, council, head, clerk), which have their own
// requests in flight, false for the district (or commune) officers.
func officerClass(t cycle.Task) bool { return t.Role != cycle.RoleDistrictOfficer }

// settle takes in an officer's attempt: done, not yet, retried or fatal.
func (r *nationalRun) settle(tasks map[string]*taskState, a attempt) error {
	ts := tasks[a.key]
	ts.inflight = false
	if a.out != "" {
		r.mu.Lock()
		fmt.Fprintf(r.log, "[%s] %s %s\n%s", a.pr.plan.Province.Name, a.task.CycleID, a.task.ID, a.out)
		r.mu.Unlock()
	}
	switch {
	case a.err == nil && a.done:
		ts.done = true
		r.mu.Lock()
		r.completed[a.task.Kind]++
		n := r.completed[a.task.Kind]
		if !selectionTask(a.task.Kind) {
			// The transformation years' tasks: counted per programme year.
			_, year := splitTaskID(a.task)
			k := a.task.Kind + cycle.TaskKind("/"+strconv.Itoa(year))
			r.completed[k]++
			n = r.completed[k]
		}
		r.mu.Unlock()
		r.taskMilestone(a.task, n)
		return nil
	case a.err == nil:
		ts.notBefore = time.Now().Add(time.Second) // the officer waits: look again in a second
		return nil
	}
	ts.attempts++
	ce := flow.AsCycleError(a.err)
	if ce != nil && ce.Code == cycle.ENOTFOUND && a.task.WorkflowID != "" {
		// The commune's workflow has ended and left its task open in the
		// inbox: nobody can complete it any more. Say so and go on.
		ts.done = true
		r.mu.Lock()
		r.orphans = append(r.orphans, a.task.ID+" of "+a.pr.plan.Province.Name)
		fmt.Fprintf(r.log, "[%s] %s %s: its workflow has ended; the task stays open in the inbox: %v\n", a.pr.plan.Province.Name, a.task.CycleID, a.task.ID, a.err)
		r.mu.Unlock()
		r.printf("task %s of %s is open in the inbox, but its workflow %s has ended: nobody can complete it", a.task.ID, a.pr.plan.Province.Name, a.task.WorkflowID)
		return nil
	}
	// A refusal other than a conflict (the task closed meanwhile, another
	// request completing it) is a bug of the run: stop. Conflicts and
	// transient errors are retried with the same request ID.
	if ce != nil && ce.Code != cycle.ECONFLICT {
		return fmt.Errorf("%s, task %s: %w", a.task.CycleID, a.task.ID, a.err)
	}
	if ts.attempts >= 30 {
		return fmt.Errorf("%s, task %s: gave up after %d attempts: %w", a.task.CycleID, a.task.ID, ts.attempts, a.err)
	}
	ts.notBefore = time.Now().Add(min(time.Duration(1<<min(ts.attempts, 5))*time.Second, 30*time.Second))
	r.mu.Lock()
	r.retries++
	fmt.Fprintf(r.log, "[%s] %s %s: attempt %d failed, retried with the same request ID: %v\n", a.pr.plan.Province.Name, a.task.CycleID, a.task.ID, ts.attempts, a.err)
	r.mu.Unlock()
	return nil
}

// taskMilestone prints the progress of a phase when a quarter more of its
// tasks are done: the selection's steps in every province, and the first
// programme year's reports, year-end results and recognition decisions.
func (r *nationalRun) taskMilestone(task cycle.Task, n int) {
	provinces, listed, units := len(r.provinces), 0, 0
	for _, pr := range r.provinces {
		listed += pr.plan.Listed
		units += len(pr.plan.Province.Units())
	}
	_, year := splitTaskID(task)
	first := year == r.opts.year
	switch k := task.Kind; {
	case k == cycle.TaskSubmitProposal:
		r.milestone("proposals submitted", n, units)
	case k == cycle.TaskConsolidate:
		r.milestone("lists consolidated", n, provinces)
	case k == cycle.TaskAppraise:
		r.milestone("lists approved by the councils", n, provinces)
	case k == cycle.TaskSign:
		r.milestone("decisions signed", n, provinces)
	case k == cycle.TaskHalfYearReport && first:
		r.milestone(fmt.Sprintf("half-year reports of %d received", year), n, listed)
	case k == cycle.TaskYearlyReport && first:
		r.milestone(fmt.Sprintf("yearly reports of %d received", year), n, listed)
	case k == cycle.TaskIssueResults && first:
		r.milestone(fmt.Sprintf("results of %d issued (summaries, continuation and responsibility notices)", year), n, provinces)
	case k == cycle.TaskIssueRecognition && first:
		r.milestone(fmt.Sprintf("recognition decisions of %d issued", year), n, provinces)
	}
}

// attempt plays the officer of one task and reports how it went.
func (r *nationalRun) attempt(ctx context.Context, pr *provinceRun, task cycle.Task, key string, results chan<- attempt) {
	var out strings.Builder
	// A request that hangs (the server overloaded) is retried under the same ID.
	rctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	done, err := r.officer(rctx, &out, pr, task)
	select {
	case results <- attempt{key: key, pr: pr, task: task, done: done, err: err, out: out.String()}:
	case <-ctx.Done():
	}
}

// officer completes one task as its officer would: the selection's steps
// here, the transformation years' with the demo's officers (demoOfficer).
func (r *nationalRun) officer(ctx context.Context, out io.Writer, pr *provinceRun, task cycle.Task) (bool, error) {
	x, t, plan := r.x, pr.t, pr.plan
	rid := "national-" + strings.ReplaceAll(task.ID, "/", "-")
	req := func(a cycle.Actor) flow.Request { return flow.Request{Actor: a, RequestID: rid} }
	switch task.Kind {
	case cycle.TaskSubmitProposal:
		p, ok := plan.Proposals[task.District]
		if !ok {
			return false, cycle.Errorf(cycle.ENOTFOUND, "no planned proposal for unit %s of %s", task.District, plan.Province.Name)
		}
		a := cycle.Actor{ID: "ca." + task.District, Role: cycle.RoleDistrictOfficer, District: task.District}
		var res selection.SubmitProposalResult
		if err := x.update(ctx, t, selection.UpdateSubmitProposal, rid, selection.SubmitProposalRequest{Request: req(a), Proposal: p}, &res); err != nil {
			return false, err
		}
		fmt.Fprintf(out, "   %s: revision %d, %d communes proposed\n", plan.Province.UnitName(task.District), res.Revision, res.Proposed)
	case cycle.TaskConsolidate:
		a := cycle.Actor{ID: "cat.thuongtruc", Name: "Công an tỉnh — Cơ quan Thường trực", Role: cycle.RoleSecretariat}
		var res selection.ConsolidateResult
		if err := x.update(ctx, t, selection.UpdateConsolidate, rid, selection.ConsolidateRequest{Request: req(a), Consolidation: plan.Consolidation}, &res); err != nil {
			return false, err
		}
		if len(res.Draft) != plan.Listed {
			return false, cycle.Errorf(cycle.EINVALID, "%s: the cycle's draft list has %d communes, the plan %d: the workflow's selection differs from cycle.Select", plan.Province.Name, len(res.Draft), plan.Listed)
		}
		fmt.Fprintf(out, "   consolidated: %d communes proposed, %d eligible, %d dropped with a reason, draft list of %d\n",
			len(res.Selection.Candidates), res.Selection.EligibleCount(), len(plan.Consolidation.Decisions), len(res.Draft))
	case cycle.TaskAppraise:
		a := cycle.Actor{ID: "hd.chutich", Name: "Chủ tịch Hội đồng thẩm định", Role: cycle.RoleCouncilChair}
		var res selection.AppraiseResult
		if err := x.update(ctx, t, selection.UpdateAppraise, rid, selection.AppraiseRequest{Request: req(a),
			Appraisal: cycle.Appraisal{Approved: true, Minutes: "Hội đồng thẩm định thống nhất danh sách (dữ liệu mẫu)"}}, &res); err != nil {
			return false, err
		}
		fmt.Fprintf(out, "   the council approves the list of %d communes\n", len(res.List))
	case cycle.TaskSign:
		a := cycle.Actor{ID: "truongban", Name: plan.Issuer.SignerName, Role: cycle.RoleSigner}
		var res selection.SignResult
		if err := x.update(ctx, t, selection.UpdateSign, rid, selection.SignRequest{Request: req(a)}, &res); err != nil {
			return false, err
		}
		fmt.Fprintf(out, "   %s %s signs on %s\n", plan.Issuer.SignerTitle, plan.Issuer.SignerName, res.SignedAt.Vietnamese())
	case cycle.TaskIssue:
		a := cycle.Actor{ID: "vanthu", Name: "Văn thư", Role: cycle.RoleClerk}
		var d cycle.Decision
		if err := x.update(ctx, t, selection.UpdateIssue, rid, selection.IssueRequest{Request: req(a)}, &d); err != nil {
			return false, err
		}
		fmt.Fprintf(out, "   the clerk issues decision Số %s dated %s approving %d communes\n", d.Code, d.Date.Vietnamese(), len(d.Communes))
		r.mu.Lock()
		pr.decision, pr.decidedAt = d, r.since()
		r.decided++
		n := r.decided
		r.mu.Unlock()
		r.milestone("decisions issued", n, len(r.provinces))
	default:
		return r.transformationOfficer(ctx, out, pr, task)
	}
	return true, nil
}

// transformationOfficer hands a task of the transformation years to the
// demo's officers, with the province's cohort and scenarios.
func (r *nationalRun) transformationOfficer(ctx context.Context, out io.Writer, pr *provinceRun, task cycle.Task) (bool, error) {
	st, ok, err := r.cohort(ctx, pr)
	if err != nil || !ok {
		return false, err
	}
	code, _ := splitTaskID(task)
	// The council (every report in?) and a late district (how late?) look
	// at the cycle's calendar; the others need only the cohort.
	if task.Kind == cycle.TaskAppraiseResults || (task.Kind == cycle.TaskYearlyReport && pr.scenario[code] == scenarioLateReport) {
		if st, err = r.x.state(ctx, pr.t.id()); err != nil {
			return false, err
		}
		pr.mu.Lock()
		pr.state = st
		pr.mu.Unlock()
	}
	plan := pr.plan
	people := map[cycle.Role]cycle.Actor{
		cycle.RoleSecretariat:  {ID: "cat.thuongtruc", Name: "Công an tỉnh — Cơ quan Thường trực", Role: cycle.RoleSecretariat},
		cycle.RoleCouncilChair: {ID: "hd.chutich", Name: "Chủ tịch Hội đồng thẩm định", Role: cycle.RoleCouncilChair},
		cycle.RoleSigner:       {ID: "truongban", Name: plan.Issuer.SignerName, Role: cycle.RoleSigner},
		cycle.RoleClerk:        {ID: "vanthu", Name: "Văn thư", Role: cycle.RoleClerk},
	}
	return r.x.demoOfficer(ctx, out, task, st, pr.t, r.opts.policy, plan.Issuer, people, pr.scenario, pr.cohort)
}

// cohort reads a province's cohort once its transformation has started,
// and gives it its scenarios; ok is false until then.
func (r *nationalRun) cohort(ctx context.Context, pr *provinceRun) (selection.CycleState, bool, error) {
	pr.mu.Lock()
	if pr.cohort != nil {
		st := pr.state
		pr.mu.Unlock()
		return st, true, nil
	}
	pr.mu.Unlock()
	st, err := r.x.state(ctx, pr.t.id())
	if err != nil {
		return st, false, err
	}
	if st.Transformation == nil || !st.Transformation.Started {
		return st, false, nil
	}
	pr.mu.Lock()
	defer pr.mu.Unlock()
	if pr.cohort == nil {
		pr.cohort = map[string]transformation.CohortCommune{}
		for _, c := range st.Transformation.Communes {
			pr.cohort[c.Commune] = c
		}
		pr.scenario = nationalScenarios(pr.index, st.Transformation.Communes)
		clock := st.Transformation.Clock
		pr.clock = &clock
		pr.state = st
	}
	return pr.state, true, nil
}

// status prints where the run stands: the calendar of the cycles in their
// transformation years, the inbox and the tasks completed.
func (r *nationalRun) status() {
	var lo, hi time.Time
	for _, pr := range r.provinces {
		pr.mu.Lock()
		clk := pr.clock
		pr.mu.Unlock()
		if clk == nil || pr.endedAt != 0 {
			continue
		}
		now := clk.Origin
		if clk.Scale > 1 {
			now = clk.Origin.Add(time.Duration(float64(time.Since(clk.RealOrigin)) * clk.Scale))
		} else {
			now = time.Now()
		}
		if lo.IsZero() || now.Before(lo) {
			lo = now
		}
		if now.After(hi) {
			hi = now
		}
	}
	r.mu.Lock()
	open, finished, decided := r.openTasks, r.finished, r.decided
	reports := r.completed[cycle.TaskHalfYearReport] + r.completed[cycle.TaskYearlyReport] + r.completed[cycle.TaskFollowUpReport]
	steps := r.completed[cycle.TaskAppraiseResults] + r.completed[cycle.TaskSignResults] + r.completed[cycle.TaskIssueResults] +
		r.completed[cycle.TaskSignRecognition] + r.completed[cycle.TaskIssueRecognition]
	reviews := r.completed[cycle.TaskFailureReview] + r.completed[cycle.TaskResponsibilityReview]
	recognitions := r.completed[cycle.TaskIssueRecognition]
	retries := r.retries
	r.mu.Unlock()
	cal := ""
	if !lo.IsZero() {
		cal = fmt.Sprintf("calendar %s–%s; ", cycle.DateOf(lo).Vietnamese(), cycle.DateOf(hi).Vietnamese())
	}
	r.printf("status: %sdecisions %d/%d, inbox %d open; reports %d, reviews %d, year-end steps %d, recognition decisions %d; cycles ended %d/%d; retries %d",
		cal, decided, len(r.provinces), open, reports, reviews, steps, recognitions, finished, len(r.provinces), retries)
}

// sampleMemory keeps the Go heap's peak (the Temporal server, the worker
// and the driver share this process).
func (r *nationalRun) sampleMemory(ctx context.Context) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		r.mu.Lock()
		r.heapPeak = max(r.heapPeak, m.HeapInuse)
		r.sysPeak = max(r.sysPeak, m.Sys)
		r.mu.Unlock()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// ---- the summary ----------------------------------------------------------------

// nationalTotals are the store's figures of the run.
type nationalTotals struct {
	selected, completions, leftOpen                  int
	reports, lateReports                             int
	reportsByKind                                    map[cycle.ReportKind]int
	documents                                        int
	docsByKind                                       map[string]int
	deliveries                                       map[cycle.DeliveryStatus]int
	signaturesOK, signaturesBad                      int
	notifications                                    map[cycle.NotificationKind]int
	standings                                        map[cycle.Standing]int
	kpi                                              map[int]*cycle.KPI
	meetsTransformed, meetsNotRelapsed, kpiProvinces map[int]int
	firstBad                                         string
}

func (r *nationalRun) summary(ctx context.Context, wall time.Duration) error {
	out := r.x.out
	tot, err := r.totals(ctx)
	if err != nil {
		return err
	}
	communes := 0
	for _, pr := range r.provinces {
		communes += len(pr.plan.Province.Communes)
	}
	var lastDecision, firstDecision, lastEnd time.Duration
	for i, pr := range r.provinces {
		lastDecision = max(lastDecision, pr.decidedAt)
		if i == 0 || pr.decidedAt < firstDecision {
			firstDecision = pr.decidedAt
		}
		lastEnd = max(lastEnd, pr.endedAt)
	}
	r.printProvinces(ctx, out)
	fmt.Fprintf(out, "\nSummary of the national run (%d provinces, %s communes, policy %s, year %d)\n", len(r.provinces), grouped(communes), r.opts.policy.ID, r.opts.year)
	fmt.Fprintf(out, "  Wall time            %s in all (plus the servers' start); selection → decisions %s (first decision after %s)",
		wall.Round(time.Second), lastDecision, firstDecision)
	if !r.opts.selectionOnly {
		fmt.Fprintf(out, "; transformation → recognition %s after the last decision (%s after the first; the provinces overlap), at %s×",
			(lastEnd - lastDecision).Round(time.Second), (lastEnd - firstDecision).Round(time.Second), strconv.FormatFloat(r.opts.timeScale, 'f', -1, 64))
	}
	fmt.Fprintln(out)
	if err := r.printWorkflows(ctx, out); err != nil {
		fmt.Fprintf(out, "  Workflows            (visibility unavailable: %v)\n", err)
	}
	dropped := 0
	rulesSelected := 0
	for _, pr := range r.provinces {
		dropped += len(pr.plan.Consolidation.Decisions)
		rulesSelected += len(pr.plan.Selection.Selected())
	}
	fmt.Fprintf(out, "  Communes selected    %s of %s (%s) in %d approval decisions; the rules selected %s (%s eligible), the secretariats dropped %d with a reason\n",
		grouped(tot.selected), grouped(communes), templates.Percent(100*float64(tot.selected)/float64(communes)), tot.docsByKind["approval"],
		grouped(rulesSelected), grouped(r.eligible()), dropped)
	r.mu.Lock()
	retries := r.retries
	r.mu.Unlock()
	fmt.Fprintf(out, "  Tasks completed      %s (audit log); officers' requests retried under the same request ID: %d; left open in the inbox after the cycles ended: %d",
		grouped(tot.completions), retries, tot.leftOpen)
	r.mu.Lock()
	orphans := append([]string(nil), r.orphans...)
	r.mu.Unlock()
	if len(orphans) > 0 {
		fmt.Fprintf(out, " (%d whose workflow had ended, e.g. %s)", len(orphans), orphans[0])
	}
	fmt.Fprintln(out)
	if !r.opts.selectionOnly {
		fmt.Fprintf(out, "  Reports              %s received (%s half-year, %s yearly, %s follow-up), %d late\n", grouped(tot.reports),
			grouped(tot.reportsByKind[cycle.ReportHalfYear]), grouped(tot.reportsByKind[cycle.ReportYearly]), grouped(tot.reportsByKind[cycle.ReportFollowUp]), tot.lateReports)
	}
	var kinds []string
	for k, n := range tot.docsByKind {
		kinds = append(kinds, fmt.Sprintf("%s %d", docKind(k), n))
	}
	sort.Strings(kinds)
	var deliv []string
	for s, n := range tot.deliveries {
		deliv = append(deliv, fmt.Sprintf("%d %s", n, s))
	}
	sort.Strings(deliv)
	fmt.Fprintf(out, "  Documents issued     %s (%s); deliveries %s; signatures verified %d of %d",
		grouped(tot.documents), strings.Join(kinds, ", "), strings.Join(deliv, ", "), tot.signaturesOK, tot.signaturesOK+tot.signaturesBad)
	if tot.firstBad != "" {
		fmt.Fprintf(out, " (first failure: %s)", tot.firstBad)
	}
	fmt.Fprintln(out)
	fmt.Fprintf(out, "  Notifications        %d reminders, %d overdue notices, %d escalations\n",
		tot.notifications[cycle.NotifyReminder], tot.notifications[cycle.NotifyOverdue], tot.notifications[cycle.NotifyEscalation])
	if !r.opts.selectionOnly {
		fmt.Fprintf(out, "  Outcomes             %d recognised, %d relapsed (candidates again), %d under responsibility review, %d other\n",
			tot.standings[cycle.StandingRecognised], tot.standings[cycle.StandingRelapsed], tot.standings[cycle.StandingResponsibility],
			tot.standings[cycle.StandingInProgramme]+tot.standings[cycle.StandingFollowUp]+tot.standings[cycle.StandingSecondYear])
		var years []int
		for y := range tot.kpi {
			years = append(years, y)
		}
		sort.Ints(years)
		for _, y := range years {
			k := tot.kpi[y]
			fmt.Fprintf(out, "  KPI %d (national)   transformed %d/%d = %s (target ≥ %s: met in %d of %d provinces); not relapsed %d/%d = %s (target ≥ %s: met in %d)\n",
				y, k.Transformed, k.Selected, templates.Percent(k.TransformedShare()), templates.Percent(k.TransformedTarget), tot.meetsTransformed[y], tot.kpiProvinces[y],
				k.FollowedUp-k.Relapsed, k.FollowedUp, templates.Percent(k.NotRelapsedShare()), templates.Percent(k.NotRelapsedTarget), tot.meetsNotRelapsed[y])
		}
	}
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	r.mu.Lock()
	heapPeak, sysPeak := max(r.heapPeak, m.HeapInuse), max(r.sysPeak, m.Sys)
	r.mu.Unlock()
	fmt.Fprintf(out, "  Peak memory          max RSS %s of this process — the embedded Temporal server, the worker(s) and the officers run in it; PostgreSQL runs in its own processes, not counted\n", mib(uint64(ru.Maxrss)*1024))
	fmt.Fprintf(out, "  Go heap              peak in use %s (sampled each second), %s in use at the end, %s obtained from the OS at most; %d GCs; CPU %s user, %s system\n",
		mib(heapPeak), mib(m.HeapInuse), mib(sysPeak), m.NumGC, tvDuration(ru.Utime), tvDuration(ru.Stime))
	fmt.Fprintf(out, "  Machine              %d CPUs, load average %s (shared with other work: the times are pessimistic)\n", runtime.NumCPU(), loadAverage())
	return nil
}

// printProvinces prints one line per province: its list, its decision,
// when it was issued and when the cycle ended (since the start), and the
// length of the cycle's last run's history.
func (r *nationalRun) printProvinces(ctx context.Context, out io.Writer) {
	fmt.Fprintln(out, "\nPer province:")
	tw := tabwriter.NewWriter(out, 0, 2, 2, ' ', 0)
	fmt.Fprintln(tw, "CODE\tPROVINCE\tCOMMUNES\tPROPOSED\tELIGIBLE\tLISTED\tDECISION\tISSUED AT\tENDED AT\tHISTORY\t")
	for _, pr := range r.provinces {
		hist := "?"
		if d, err := r.c.DescribeWorkflowExecution(ctx, pr.t.id(), ""); err == nil {
			hist = grouped(int(d.GetWorkflowExecutionInfo().GetHistoryLength()))
		}
		r.mu.Lock()
		code, issued := pr.decision.Code, pr.decidedAt
		r.mu.Unlock()
		p := pr.plan
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%s\t%s\t%s\t%s\t\n", p.Province.Code, p.Province.Name, len(p.Province.Communes), p.Proposed,
			p.Selection.EligibleCount(), p.Listed, code, issued, pr.endedAt, hist)
	}
	tw.Flush()
}

func (r *nationalRun) eligible() int {
	n := 0
	for _, pr := range r.provinces {
		n += pr.plan.Selection.EligibleCount()
	}
	return n
}

// totals reads the run's figures from the store.
func (r *nationalRun) totals(ctx context.Context) (nationalTotals, error) {
	tot := nationalTotals{reportsByKind: map[cycle.ReportKind]int{}, docsByKind: map[string]int{}, deliveries: map[cycle.DeliveryStatus]int{},
		notifications: map[cycle.NotificationKind]int{}, standings: map[cycle.Standing]int{}, kpi: map[int]*cycle.KPI{},
		meetsTransformed: map[int]int{}, meetsNotRelapsed: map[int]int{}, kpiProvinces: map[int]int{}}
	roots, err := loadRoots(r.x.cfg.Signing.CA)
	if err != nil {
		return tot, err
	}
	for _, pr := range r.provinces {
		id := pr.t.id()
		audit, err := r.db.Audit(ctx, id)
		if err != nil {
			return tot, err
		}
		tot.completions += len(audit)
		decisions, err := r.db.Decisions(ctx, id)
		if err != nil {
			return tot, err
		}
		for _, d := range decisions {
			tot.documents++
			tot.docsByKind[d.Kind]++
			if d.Kind == "approval" {
				tot.selected += len(d.Communes)
			}
			recs, err := r.db.Deliveries(ctx, d.ID)
			if err != nil {
				return tot, err
			}
			for _, rec := range recs {
				tot.deliveries[rec.Status]++
			}
			pdf, err := r.db.DecisionPDF(ctx, d.ID)
			if err != nil {
				return tot, err
			}
			if rep := signing.Verify(pdf, roots); rep.OK() {
				tot.signaturesOK++
			} else {
				tot.signaturesBad++
				if tot.firstBad == "" {
					tot.firstBad = d.Code + " of " + pr.plan.Province.Name + ": " + strings.TrimSpace(rep.String())
				}
			}
		}
		open, err := r.db.OpenTasks(ctx, cycle.TaskFilter{CycleID: id})
		if err != nil {
			return tot, err
		}
		tot.leftOpen += len(open)
		notes, err := r.db.Notifications(ctx, id)
		if err != nil {
			return tot, err
		}
		for _, n := range notes {
			tot.notifications[n.Kind]++
		}
		if r.opts.selectionOnly {
			continue
		}
		reps, err := r.db.Reports(ctx, id)
		if err != nil {
			return tot, err
		}
		for _, rep := range reps {
			tot.reports++
			tot.reportsByKind[rep.Kind]++
			if rep.Late {
				tot.lateReports++
			}
		}
		trs, err := r.db.Transformations(ctx, pr.plan.Province.Code)
		if err != nil {
			return tot, err
		}
		for _, tr := range trs {
			if tr.CycleID == id {
				tot.standings[tr.Standing]++
			}
		}
		rows, err := r.db.Outcomes(ctx, pr.plan.Province.Code)
		if err != nil {
			return tot, err
		}
		for _, y := range []int{r.opts.year, r.opts.year + 1} {
			k := cycle.ComputeKPI(r.opts.policy, pr.plan.Province.Code, y, rows)
			if k.Selected == 0 {
				continue
			}
			n := tot.kpi[y]
			if n == nil {
				n = &cycle.KPI{Year: y, TransformedTarget: k.TransformedTarget, NotRelapsedTarget: k.NotRelapsedTarget}
				tot.kpi[y] = n
			}
			n.Selected += k.Selected
			n.Transformed += k.Transformed
			n.FollowedUp += k.FollowedUp
			n.Relapsed += k.Relapsed
			n.Pending += k.Pending
			tot.kpiProvinces[y]++
			if k.MeetsTransformed() {
				tot.meetsTransformed[y]++
			}
			if k.MeetsNotRelapsed() {
				tot.meetsNotRelapsed[y]++
			}
		}
	}
	return tot, nil
}

// printWorkflows counts the run's workflows in Temporal's visibility store
// (every run: a continue-as-new is a closed run and a new one) and reads
// the histories' lengths.
func (r *nationalRun) printWorkflows(ctx context.Context, out io.Writer) error {
	ns := r.x.cfg.Namespace
	count := func(q string) (int64, error) {
		res, err := r.c.CountWorkflow(ctx, &workflowservice.CountWorkflowExecutionsRequest{Namespace: ns, Query: q})
		if err != nil {
			return 0, err
		}
		return res.GetCount(), nil
	}
	for _, wf := range []string{"YearlyCycle", "CommuneTransformation"} {
		if r.opts.selectionOnly && wf == "CommuneTransformation" {
			continue
		}
		q := fmt.Sprintf("WorkflowType = '%s'", wf)
		// Visibility is eventually consistent: wait a little for the last
		// runs to show as closed.
		var running int64
		for i := 0; i < 40; i++ {
			n, err := count(q + " AND ExecutionStatus = 'Running'")
			if err != nil {
				return err
			}
			running = n
			if n == 0 {
				break
			}
			time.Sleep(250 * time.Millisecond)
		}
		all, err := count(q)
		if err != nil {
			return err
		}
		cont, err := count(q + " AND ExecutionStatus = 'ContinuedAsNew'")
		if err != nil {
			return err
		}
		done, err := count(q + " AND ExecutionStatus = 'Completed'")
		if err != nil {
			return err
		}
		var longest int64
		var longestID string
		var events int64
		var token []byte
		for {
			res, err := r.c.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Namespace: ns, Query: q, PageSize: 1000, NextPageToken: token})
			if err != nil {
				return err
			}
			for _, e := range res.GetExecutions() {
				n := e.GetHistoryLength()
				events += n
				if n > longest {
					longest, longestID = n, e.GetExecution().GetWorkflowId()
				}
			}
			if token = res.GetNextPageToken(); len(token) == 0 {
				break
			}
		}
		label := "  Workflows"
		if wf != "YearlyCycle" {
			label = "   "
		}
		fmt.Fprintf(out, "%-22s %s: %s runs (%s completed, %s continued as new, %d running)", label, wf, grouped(int(all)), grouped(int(done)), grouped(int(cont)), running)
		if longest > 0 {
			fmt.Fprintf(out, "; %s history events in all, the longest run %s (%s)", grouped(int(events)), grouped(int(longest)), longestID)
		}
		fmt.Fprintln(out)
	}
	return nil
}

// ---- small helpers ----------------------------------------------------------------

// selectionTask reports whether tasks of kind k belong to the selection
// (before the decision), not to the transformation years.
func selectionTask(k cycle.TaskKind) bool {
	switch k {
	case cycle.TaskSubmitProposal, cycle.TaskConsolidate, cycle.TaskAppraise, cycle.TaskSign, cycle.TaskIssue:
		return true
	}
	return false
}

// grouped writes n with thousands separated by commas: 3,321.
func grouped(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func mib(b uint64) string { return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20)) }

func tvDuration(tv syscall.Timeval) string {
	return (time.Duration(tv.Sec)*time.Second + time.Duration(tv.Usec)*time.Microsecond).Round(time.Second).String()
}

// loadAverage reads the 1-, 5- and 15-minute load averages (Linux).
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
