package e2e

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/rand"
	"net/mail"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"

	"chuyenhoa/cycle"
	"chuyenhoa/delivery"
	"chuyenhoa/delivery/deliverytest"
	"chuyenhoa/devserver"
	"chuyenhoa/policies"
	"chuyenhoa/postgres"
	"chuyenhoa/sample"
	"chuyenhoa/signing"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/selection"
	"chuyenhoa/workflows/transformation"
)

var faultSeed = flag.Int64("fault.seed", 0, "seed of TestFaultCycle's random kills (0: from the clock; the seed used is logged)")

const (
	// faultTimeScale runs the transformation years at 2,000,000 calendar
	// seconds per real second: the cohort's 20 months take about 26 s.
	faultTimeScale = 2e6
	// faultCohort is how many communes the province's list keeps: the
	// districts propose only these (every proposal still carries its
	// district's full statistics), so that the test stays short.
	faultCohort = 4
	// faultRecipientSMTP and faultRecipientFile are the recipients of
	// every document: one by e-mail, one by file drop.
	faultRecipientSMTP = "ubnd-tinh"
	faultRecipientFile = "bca-v01"
	// faultRandomKills bounds the random kills of each stage (the
	// selection, the transformation years): a kill that lands inside an
	// activity costs the activity's heartbeat timeout and a retry (about
	// 6 s), so that an unbounded number of them would make the test's
	// length unbounded too.
	faultRandomKills = 3
)

// TestFaultCycle runs Quảng Ngãi's 2027 cycle from its proposals to its
// recognition decision with the real worker binary — two processes of it
// until the year-end appraisal, one after — and faults all along, then
// checks that nothing was lost or done twice:
//
//   - workers are SIGKILLed at random every 2–5 s (one, or all of them;
//     at most faultRandomKills in the selection and as many in the
//     transformation years) and restarted after 0.2–1.5 s, and on
//     purpose while the proposals come in, inside the approval
//     decision's issue (numbered, not yet archived) and while the
//     recognition decision is being issued;
//   - PostgreSQL is stopped for 3 s while the half-year reports come in,
//     and started again on the same data;
//   - the mail server is down when the year's results are issued: the
//     e-mail delivery fails and retries (the workers are killed between
//     two attempts) and goes out, once, when the server is back.
//
// The officers are played through the workflows' updates, each with a
// fixed request ID and retried with it while no worker answers (a retry
// returns the first result). At the end: every proposal and report is
// stored once, every document issued once, numbered per body and year
// without gaps, archived, written, signed and sealed; the audit log has
// one entry per completed task; no task is left open; every e-mail went
// out at most once, with a unique Message-ID.
func TestFaultCycle(t *testing.T) {
	seed := *faultSeed
	if seed == 0 {
		seed = time.Now().UnixNano()
	}
	t.Logf("fault seed %d (again: go test ./e2e -run TestFaultCycle -count=1 -v -args -fault.seed=%d)", seed, seed)
	rng, rngMu := rand.New(rand.NewSource(seed)), &sync.Mutex{}
	between := func(lo, hi time.Duration) time.Duration {
		rngMu.Lock()
		defer rngMu.Unlock()
		return lo + time.Duration(rng.Int63n(int64(hi-lo)))
	}
	began := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()

	tmp := t.TempDir()
	bin := faultBuildWorker(t, tmp)
	pg := startFaultPostgres(t)
	ts := startTemporal(t, devserver.TemporalOptions{UIPort: -1})
	c := dial(t, ts)
	smtp := deliverytest.Start(t)

	db, err := postgres.Open(ctx, pg.url())
	require.NoError(t, err)
	defer db.Close()
	prov, issuer, err := sample.Province("quang-ngai")
	require.NoError(t, err)
	require.NoError(t, db.SaveProvince(ctx, prov, issuer))
	pol, err := policies.ByID("000")
	require.NoError(t, err)
	const year = 2027

	// The documents are signed and sealed with a demonstration PKI and
	// go to one recipient by e-mail and one by file drop.
	pki, err := signing.EnsureDemoPKI(filepath.Join(tmp, "pki"), issuer.SignerName, issuer.CommitteeName)
	require.NoError(t, err)
	roots, err := signing.LoadCAPool(pki.CA)
	require.NoError(t, err)
	recipients := filepath.Join(tmp, "recipients.json")
	dir := delivery.Directory{Recipients: []delivery.DirectoryEntry{
		{Key: faultRecipientSMTP, Name: "Văn phòng UBND tỉnh", Match: []string{"Thường trực Tỉnh ủy", "TT Tỉnh ủy"}, Channel: cycle.ChannelSMTP, Address: "vanthu@ubnd.quangngai.test"},
		{Key: faultRecipientFile, Name: "Cục V01 - Bộ Công an", Match: []string{"Bộ Công an (V01)", "V01 - Bộ Công an"}, Channel: cycle.ChannelFile, Address: faultRecipientFile},
	}}
	b, err := json.Marshal(dir)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(recipients, b, 0o644))
	out, drop, logs := filepath.Join(tmp, "out"), filepath.Join(tmp, "drop"), filepath.Join(tmp, "logs")
	require.NoError(t, os.MkdirAll(logs, 0o755))

	workers := newFaultWorkers(t, bin, []string{
		"TEMPORAL_ADDRESS=" + ts.FrontendAddress(), "TEMPORAL_NAMESPACE=" + ts.Namespace(), "DATABASE_URL=" + pg.url(),
		"CHUYENHOA_OUTPUT_DIR=" + out, "CHUYENHOA_TEMPLATES_DIR=", "CHUYENHOA_HTTP_ADDR=off",
		"CHUYENHOA_SIGNER_P12=", "CHUYENHOA_SEAL_P12=", "CHUYENHOA_SIGNER_KEY=", "CHUYENHOA_SEAL_KEY=",
		"CHUYENHOA_SIGNER_CERT=" + pki.Signer, "CHUYENHOA_SEAL_CERT=" + pki.Body, "CHUYENHOA_SAMPLE_IMAGES=1",
		"CHUYENHOA_SIGNER_IMAGE=", "CHUYENHOA_SEAL_IMAGE=", "CHUYENHOA_DEMO=1", "CHUYENHOA_HEAD_SIGNATURE=",
		"CHUYENHOA_RECIPIENTS=" + recipients, "CHUYENHOA_DROP_DIR=" + drop, "CHUYENHOA_MAIL_DOMAIN=bcd138.quangngai.test",
		"CHUYENHOA_SMTP_HOST=127.0.0.1", "CHUYENHOA_SMTP_PORT=" + strconv.Itoa(smtp.Port()),
		"CHUYENHOA_SMTP_FROM=vanthu@bcd138.quangngai.test", "CHUYENHOA_SMTP_TLS=none",
	}, logs)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("worker logs (last lines):\n%s", workers.logTails(4, 20))
		}
	})

	// The cohort: the districts propose only the first faultCohort
	// communes the rules select; the others propose none.
	trimmed := cohortProposals(t, prov, pol, year, faultCohort)
	proposals := map[string]cycle.Proposal{}
	for _, p := range trimmed {
		proposals[p.Unit] = p
	}
	var cohort []string
	for _, s := range cycle.Select(prov, pol, trimmed).Selected() {
		cohort = append(cohort, s.Commune)
	}
	require.Len(t, cohort, faultCohort, "the trimmed proposals select the cohort")

	workers.want(0)
	workers.want(1)
	require.NoError(t, workers.awaitRunning(ctx, 2))

	id := selection.WorkflowID(prov.Code, year)
	run, err := c.ExecuteWorkflow(ctx, flow.StartOptions(id), selection.YearlyCycle, selection.YearlyCycleInput{Province: prov.Code, Year: year, Policy: pol,
		StartedBy: cycle.Actor{ID: "cat.tt", Role: cycle.RoleSecretariat}, Synthetic: true, TimeScale: faultTimeScale})
	require.NoError(t, err)

	sqlDB, err := sql.Open("postgres", pg.url())
	require.NoError(t, err)
	defer sqlDB.Close()
	d := &faultDriver{t: t, c: c, db: db, sql: sqlDB, id: id, pol: pol, proposals: proposals, workers: workers, pg: pg, smtp: smtp,
		between: between, acked: map[string]faultAck{}, phase: "proposals", cohort: map[string]transformation.CohortCommune{}, began: began,
		randomKills: map[string]int{}, superseded: map[string]bool{}}
	rec := &faultRecovery{t: t, ctx: ctx, c: c, began: began, wids: d.watched}
	workers.mu.Lock()
	workers.onKill = rec.onKill
	workers.mu.Unlock()
	d.chaos = startFaultChaos(workers, rng, rngMu, d.randomKill)
	defer d.chaos.halt()
	require.NoError(t, d.drive(ctx))
	d.chaos.halt()

	var final cycle.Decision
	require.NoError(t, run.Get(ctx, &final), "the cycle completes")
	wall := time.Since(began)
	runs, kills, exits := workers.counts()
	t.Logf("the cycle completed %s after the test began (seed %d): %d worker processes started, %d SIGKILLed, %d exited by themselves; %d update calls retried; PostgreSQL restarted once; the mail server down once",
		wall.Round(100*time.Millisecond), seed, runs, kills, exits, d.retries)
	require.GreaterOrEqual(t, kills, 5, "the test must have killed workers several times")
	wids := []string{id}
	for _, code := range cohort {
		wids = append(wids, transformation.WorkflowID(prov.Code, code, year))
	}
	t.Logf("what the faults cost, from the histories: %s", faultHistoryStats(ctx, t, c, wids))
	t.Logf("activity durations (start → completion of the attempt that completed): %s", faultActivityDurations(ctx, t, c, wids))
	t.Logf("recovery after the kills (the cycle took %s): %s", wall.Round(100*time.Millisecond), rec.summary())

	d.check(ctx, prov, final, cohort, drop, roots)
}

// faultAck is what the workflow acknowledged for a task: the request that
// completed it and its result.
type faultAck struct {
	Task      cycle.Task
	RequestID string
	Result    any
}

// faultDriver plays the officers: it watches the store's open tasks of the
// cycle and completes each through its workflow's update, as the officers
// would, and sets off the planned faults at their steps.
type faultDriver struct {
	t         *testing.T
	c         client.Client
	db        *postgres.DB
	id        string
	pol       cycle.Policy
	proposals map[string]cycle.Proposal
	workers   *faultWorkers
	chaos     *faultChaos
	pg        *faultPostgres
	sql       *sql.DB // the store's database, for what the store's methods do not say
	smtp      *deliverytest.Server
	between   func(lo, hi time.Duration) time.Duration

	began        time.Time
	mu           sync.Mutex
	phase        string
	transforming bool                // the approval decision is issued
	randomKills  map[string]int      // by stage
	acked        map[string]faultAck // task ID → its acknowledgment
	superseded   map[string]bool     // half-year report tasks closed before their report was sent
	cohort       map[string]transformation.CohortCommune
	retries      int

	proposalKill sync.Once
	pgOnce       sync.Once
	pgErr        chan error
	outageID     string // the document whose e-mail waited for the mail server
}

// watched returns the workflows whose steps a kill may hold: the cycle
// and the communes of its cohort (once known).
func (d *faultDriver) watched() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := []string{d.id}
	for _, cc := range d.cohort {
		out = append(out, cc.WorkflowID)
	}
	sort.Strings(out[1:])
	return out
}

// randomKill names the phase and says whether a random kill may happen
// now: at most faultRandomKills in each stage.
func (d *faultDriver) randomKill() (string, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	stage := "selection"
	if d.transforming {
		stage = "transformation"
	}
	if d.randomKills[stage] >= faultRandomKills {
		return d.phase, false
	}
	d.randomKills[stage]++
	return d.phase, true
}

func (d *faultDriver) setPhase(p string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.phase != p {
		d.t.Logf("driver: +%s %s", time.Since(d.began).Round(100*time.Millisecond), p)
	}
	d.phase = p
}

func (d *faultDriver) ack(task cycle.Task, rid string, result any) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.acked[task.ID] = faultAck{Task: task, RequestID: rid, Result: result}
}

// isDone reports whether a task was completed (or found superseded).
func (d *faultDriver) isDone(taskID string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	_, ok := d.acked[taskID]
	return ok || d.superseded[taskID]
}

// drive completes the cycle's tasks until its workflow has completed.
func (d *faultDriver) drive(ctx context.Context) error {
	d.pgErr = make(chan error, 1)
	type result struct {
		task cycle.Task
		err  error
	}
	results := make(chan result, 64)
	inflight := map[string]cycle.Task{}
	var wg sync.WaitGroup
	defer wg.Wait()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var storeErrs int
	lastCheck := time.Time{}
	for {
		if time.Since(lastCheck) > 500*time.Millisecond {
			lastCheck = time.Now()
			done, err := d.finished(ctx)
			if err != nil {
				return err
			}
			if done {
				break
			}
		}
		tasks, err := d.openTasks(ctx)
		if err != nil {
			if storeErrs++; storeErrs == 1 || storeErrs%50 == 0 {
				d.t.Logf("driver: the store does not answer (%d times so far): %v", storeErrs, err)
			}
		}
		for _, task := range tasks {
			if _, busy := inflight[task.ID]; busy || d.isDone(task.ID) {
				continue
			}
			// A commune's reports go one after the other, in due order:
			// its half-year report before its yearly one.
			sameWorkflow := false
			for _, o := range inflight {
				sameWorkflow = sameWorkflow || (task.WorkflowID != "" && o.WorkflowID == task.WorkflowID)
			}
			if sameWorkflow {
				continue
			}
			inflight[task.ID] = task
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := d.complete(ctx, task)
				select {
				case results <- result{task, err}:
				case <-ctx.Done():
				}
			}()
		}
	drain:
		for {
			select {
			case r := <-results:
				delete(inflight, r.task.ID)
				if r.err != nil {
					return fmt.Errorf("task %s: %w", r.task.ID, r.err)
				}
			case err := <-d.pgErr:
				if err != nil {
					return fmt.Errorf("restart PostgreSQL: %w", err)
				}
			default:
				break drain
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("the cycle did not complete: %w (open tasks in flight: %d)", ctx.Err(), len(inflight))
		case <-time.After(100 * time.Millisecond):
		}
	}
	return nil
}

// openTasks returns the cycle's open tasks in the store, earliest due first.
func (d *faultDriver) openTasks(ctx context.Context) ([]cycle.Task, error) {
	sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	return d.db.OpenTasks(sctx, cycle.TaskFilter{CycleID: d.id})
}

// finished reports whether the cycle's workflow has completed; an error
// if it, or a commune's workflow, ended otherwise.
func (d *faultDriver) finished(ctx context.Context) (bool, error) {
	dctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	desc, err := d.c.DescribeWorkflowExecution(dctx, d.id, "")
	if err != nil {
		return false, nil // the frontend is in this process: a timeout is transient
	}
	switch st := desc.GetWorkflowExecutionInfo().GetStatus(); st {
	case enumspb.WORKFLOW_EXECUTION_STATUS_COMPLETED:
		return true, nil
	case enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING, enumspb.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW:
	default:
		return false, fmt.Errorf("the cycle %s ended %s: %s", d.id, st, faultCloseFailure(ctx, d.c, d.id))
	}
	d.mu.Lock()
	var children []string
	for _, cc := range d.cohort {
		children = append(children, cc.WorkflowID)
	}
	d.mu.Unlock()
	for _, wid := range children {
		desc, err := d.c.DescribeWorkflowExecution(dctx, wid, "")
		if err != nil {
			continue
		}
		switch st := desc.GetWorkflowExecutionInfo().GetStatus(); st {
		case enumspb.WORKFLOW_EXECUTION_STATUS_FAILED, enumspb.WORKFLOW_EXECUTION_STATUS_TERMINATED,
			enumspb.WORKFLOW_EXECUTION_STATUS_TIMED_OUT, enumspb.WORKFLOW_EXECUTION_STATUS_CANCELED:
			return false, fmt.Errorf("commune workflow %s ended %s: %s", wid, st, faultCloseFailure(ctx, d.c, wid))
		}
	}
	return false, nil
}

// faultCloseFailure returns the failure a workflow closed with, for messages.
func faultCloseFailure(ctx context.Context, c client.Client, wid string) string {
	hctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	it := c.GetWorkflowHistory(hctx, wid, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT)
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			return err.Error()
		}
		if a := ev.GetWorkflowExecutionFailedEventAttributes(); a != nil {
			return a.GetFailure().String()
		}
		return ev.GetEventType().String()
	}
	return "no close event"
}

// Who completes the tasks.
var (
	faultSecretariat = cycle.Actor{ID: "cat.tt", Name: "Công an tỉnh — Cơ quan Thường trực", Role: cycle.RoleSecretariat}
	faultChair       = cycle.Actor{ID: "hd.chutich", Name: "Chủ tịch Hội đồng thẩm định", Role: cycle.RoleCouncilChair}
	faultSigner      = cycle.Actor{ID: "truongban", Name: "Trưởng Ban Chỉ đạo", Role: cycle.RoleSigner}
	faultClerk       = cycle.Actor{ID: "vanthu", Name: "Văn thư", Role: cycle.RoleClerk}
)

func faultOfficer(unit string) cycle.Actor {
	return cycle.Actor{ID: "ca." + unit, Role: cycle.RoleDistrictOfficer, District: unit}
}

// faultSplitTaskID reads "kind/commune/year" or "kind/year".
func faultSplitTaskID(id string) (commune string, year int) {
	parts := strings.Split(id, "/")
	if len(parts) == 3 {
		commune = parts[1]
	}
	year, _ = strconv.Atoi(parts[len(parts)-1])
	return commune, year
}

// complete completes one open task as its officer would.
func (d *faultDriver) complete(ctx context.Context, task cycle.Task) error {
	rid := "fault-" + strings.ReplaceAll(task.ID, "/", "-")
	wid := task.WorkflowID
	if wid == "" {
		wid = d.id
	}
	req := func(a cycle.Actor) flow.Request { return flow.Request{Actor: a, RequestID: rid} }
	commune, year := faultSplitTaskID(task.ID)
	switch task.Kind {
	case cycle.TaskSubmitProposal:
		p, ok := d.proposals[task.District]
		if !ok {
			return fmt.Errorf("no proposal prepared for unit %q", task.District)
		}
		// The districts send their proposals together; the workers die
		// while they come in.
		d.proposalKill.Do(func() {
			delay, pause := d.between(50*time.Millisecond, 400*time.Millisecond), d.between(300*time.Millisecond, time.Second)
			go func() {
				time.Sleep(delay)
				d.workers.killAll(pause, fmt.Sprintf("while the proposals come in (%s after the first)", delay.Round(time.Millisecond)))
			}()
		})
		var res selection.SubmitProposalResult
		if err := d.update(ctx, wid, selection.UpdateSubmitProposal, rid, selection.SubmitProposalRequest{Request: req(faultOfficer(task.District)), Proposal: p}, &res); err != nil {
			return err
		}
		if res.Revision != 1 || res.Unit != task.District {
			return fmt.Errorf("proposal of %s acknowledged as revision %d of unit %q: want revision 1", task.District, res.Revision, res.Unit)
		}
		d.ack(task, rid, res)
	case cycle.TaskConsolidate:
		d.setPhase("consolidation")
		var res selection.ConsolidateResult
		if err := d.update(ctx, wid, selection.UpdateConsolidate, rid, selection.ConsolidateRequest{Request: req(faultSecretariat),
			Consolidation: cycle.Consolidation{Note: "Tổng hợp theo kết quả áp dụng tiêu chí (kiểm thử sự cố)"}}, &res); err != nil {
			return err
		}
		d.ack(task, rid, res)
	case cycle.TaskAppraise:
		d.setPhase("appraisal")
		var res selection.AppraiseResult
		if err := d.update(ctx, wid, selection.UpdateAppraise, rid, selection.AppraiseRequest{Request: req(faultChair), Appraisal: cycle.Appraisal{Approved: true}}, &res); err != nil {
			return err
		}
		d.ack(task, rid, res)
	case cycle.TaskSign:
		d.setPhase("signing")
		var res selection.SignResult
		if err := d.update(ctx, wid, selection.UpdateSign, rid, selection.SignRequest{Request: req(faultSigner)}, &res); err != nil {
			return err
		}
		d.ack(task, rid, res)
	case cycle.TaskIssue:
		d.setPhase("issue of the approval decision")
		d.killWhileIssuing(ctx, task, d.id+"/approval", true)
		var res cycle.Decision
		if err := d.update(ctx, wid, selection.UpdateIssue, rid, selection.IssueRequest{Request: req(faultClerk)}, &res); err != nil {
			return err
		}
		d.ack(task, rid, res)
		d.t.Logf("driver: decision %s issued", res.Code)
		d.mu.Lock()
		d.transforming = true
		d.mu.Unlock()
		d.setPhase("transformation year: before the half-year reports")
	case cycle.TaskHalfYearReport, cycle.TaskYearlyReport, cycle.TaskFollowUpReport:
		kind := map[cycle.TaskKind]cycle.ReportKind{cycle.TaskHalfYearReport: cycle.ReportHalfYear,
			cycle.TaskYearlyReport: cycle.ReportYearly, cycle.TaskFollowUpReport: cycle.ReportFollowUp}[task.Kind]
		d.setPhase("transformation year: " + string(kind) + " reports")
		cc, err := d.cohortCommune(ctx, commune)
		if err != nil {
			return err
		}
		if kind == cycle.ReportHalfYear {
			d.pgOnce.Do(func() {
				go func() {
					time.Sleep(d.between(0, 300*time.Millisecond))
					d.pgErr <- d.pg.restart(ctx, 3*time.Second)
				}()
			})
		}
		in := cc.CommuneInProgramme
		in.Year = year
		var res transformation.SubmitReportResult
		err = d.update(ctx, wid, transformation.UpdateSubmitReport, rid, transformation.SubmitReportRequest{Request: req(faultOfficer(task.District)),
			Kind: kind, Report: sample.Report(d.pol, in, true)}, &res)
		if ce := flow.AsCycleError(err); ce != nil && ce.Code == cycle.ECONFLICT && kind == cycle.ReportHalfYear {
			// A commune held up by a lost attempt (its calendar ran on)
			// opens its half-year and yearly reports at once; the yearly
			// one, sent first, supersedes the half-year one, whose task
			// closes. Nothing was acknowledged, nothing is lost: check
			// checks the task's closing.
			d.t.Logf("driver: %s refused, superseded by the yearly report: %v", task.ID, err)
			d.mu.Lock()
			d.superseded[task.ID] = true
			d.mu.Unlock()
			return nil
		}
		if err != nil {
			return err
		}
		if res.Kind != kind || res.Year != year {
			return fmt.Errorf("report acknowledged as %s of %d: want %s of %d", res.Kind, res.Year, kind, year)
		}
		d.ack(task, rid, res)
	case cycle.TaskAppraiseResults:
		d.setPhase("year-end appraisal")
		// The council meets once every yearly verdict has reached the cycle.
		if err := d.awaitState(ctx, "every yearly verdict of "+strconv.Itoa(year), func(st selection.CycleState) bool {
			for _, y := range st.Transformation.Years {
				if y.Year == year {
					return len(y.Verdicts) == len(y.Communes)
				}
			}
			return false
		}); err != nil {
			return err
		}
		// From here on one worker process is enough.
		d.workers.unwant(1)
		var res []cycle.CommuneResult
		if err := d.update(ctx, wid, transformation.UpdateAppraiseResults, rid, transformation.AppraiseResultsRequest{Request: req(faultChair), Year: year,
			Appraisal: cycle.ResultsAppraisal{Minutes: "Hội đồng thẩm định thống nhất (kiểm thử sự cố)"}}, &res); err != nil {
			return err
		}
		for _, r := range res {
			if r.Outcome != cycle.OutcomePass {
				return fmt.Errorf("the council's result for %s is %s: every report passed", r.Commune.Commune, r.Outcome)
			}
		}
		d.ack(task, rid, res)
	case cycle.TaskAppraiseRecognition:
		d.setPhase("the council's appraisal of the follow-ups")
		var res []cycle.CommuneResult
		if err := d.update(ctx, wid, transformation.UpdateAppraiseRecognition, rid, transformation.AppraiseResultsRequest{Request: req(faultChair), Year: year,
			Appraisal: cycle.ResultsAppraisal{Minutes: "Hội đồng thẩm định thống nhất đề nghị công nhận (kiểm thử sự cố)"}}, &res); err != nil {
			return err
		}
		for _, r := range res {
			if r.Outcome != cycle.OutcomePass {
				return fmt.Errorf("the council's conclusion for %s is %s: every follow-up passed", r.Commune.Commune, r.Outcome)
			}
		}
		d.ack(task, rid, res)
	case cycle.TaskSignResults, cycle.TaskSignRecognition:
		d.setPhase("signing of " + string(task.Kind))
		name := map[cycle.TaskKind]string{cycle.TaskSignResults: transformation.UpdateSignResults, cycle.TaskSignRecognition: transformation.UpdateSignRecognition}[task.Kind]
		var res selection.SignResult
		if err := d.update(ctx, wid, name, rid, transformation.YearRequest{Request: req(faultSigner), Year: year}, &res); err != nil {
			return err
		}
		d.ack(task, rid, res)
	case cycle.TaskIssueResults:
		d.setPhase("issue of the results, mail server down")
		if _, err := d.issueResultsWithMailDown(ctx, task, wid, rid, year, req(faultClerk)); err != nil {
			return err
		}
	case cycle.TaskIssueRecognition:
		d.setPhase("issue of the recognition decision")
		d.killWhileIssuing(ctx, task, "", false)
		var res cycle.Decision
		if err := d.update(ctx, wid, transformation.UpdateIssueRecognition, rid, transformation.YearRequest{Request: req(faultClerk), Year: year}, &res); err != nil {
			return err
		}
		d.ack(task, rid, res)
		d.t.Logf("driver: recognition decision %s issued for %d communes", res.Code, len(res.Communes))
		// The rest is the communes' bookkeeping and the deliveries: no more
		// random kills (a kill inside a delivery would leave it unknown, by
		// design, and hold the cycle's end for the heartbeat timeout).
		d.chaos.halt()
	default:
		return fmt.Errorf("unexpected task %s (kind %s): every commune passes, so no review is due", task.ID, task.Kind)
	}
	return nil
}

// killWhileIssuing kills every worker while the clerk's request is being
// carried out. inside: once the decision has its number in the register
// and before its signed PDF is archived, i.e. inside the IssueDocument
// activity (number, render, sign, seal, archive, save) — the retry must
// give it the same number and archive it once. Otherwise 0–30 ms after
// the request leaves: the update reaches no worker, or its workflow task
// is cut short.
func (d *faultDriver) killWhileIssuing(ctx context.Context, task cycle.Task, decisionID string, inside bool) {
	pause := d.between(300*time.Millisecond, time.Second)
	if !inside {
		delay := d.between(0, 30*time.Millisecond)
		go func() {
			time.Sleep(delay)
			d.workers.killAll(pause, fmt.Sprintf("while issuing (%s after the clerk's request for %s)", delay.Round(time.Millisecond), task.ID))
		}()
		return
	}
	go func() {
		wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		start := time.Now()
		for {
			var numbered, archived bool
			err := d.sql.QueryRowContext(wctx, `SELECT EXISTS (SELECT 1 FROM decisions WHERE id = $1), EXISTS (SELECT 1 FROM archived_documents WHERE id = $1)`,
				decisionID).Scan(&numbered, &archived)
			switch {
			case err == nil && numbered && !archived:
				d.workers.killAll(pause, fmt.Sprintf("inside the issue of %s: numbered, not yet archived (%s after the clerk's request)", decisionID, time.Since(start).Round(time.Millisecond)))
				return
			case err == nil && archived, wctx.Err() != nil:
				d.workers.killAll(pause, fmt.Sprintf("after the issue of %s (the issue was done before the kill could land inside it)", decisionID))
				return
			}
			time.Sleep(2 * time.Millisecond)
		}
	}()
}

// issueResultsWithMailDown issues the year's results while the mail
// server is down: the e-mail of each document fails and is retried; the
// workers are killed between two attempts; the server comes back and the
// message goes out once. Random kills are paused meanwhile, so that none
// lands inside an attempt (which would leave the delivery unknown, by
// design, instead of sent).
//
// The task is acknowledged when the update answers, as an officer's is:
// the cycle may complete before the driver sees the e-mail sent (the
// worker's deliveries settle first; the driver polls the store), and the
// driver's wait is then cut short.
func (d *faultDriver) issueResultsWithMailDown(ctx context.Context, task cycle.Task, wid, rid string, year int, r flow.Request) ([]cycle.Decision, error) {
	d.chaos.setPaused(true)
	defer d.chaos.setPaused(false)
	d.smtp.Stop()
	d.t.Logf("fault: mail server down (%s)", d.smtp.Addr)
	var docs []cycle.Decision
	if err := d.update(ctx, wid, transformation.UpdateIssueResults, rid, transformation.YearRequest{Request: r, Year: year}, &docs); err != nil {
		return nil, err
	}
	if len(docs) == 0 {
		return nil, errors.New("no document issued")
	}
	d.ack(task, rid, docs)
	doc := docs[len(docs)-1] // the yearly summary
	d.outageID = doc.ID
	if err := d.awaitDelivery(ctx, doc.ID, func(r cycle.DeliveryRecord) bool { return r.Status == cycle.DeliveryFailed && r.Attempts >= 1 }); err != nil {
		return nil, err
	}
	d.workers.killAll(time.Second, "while the e-mail of "+doc.Code+" waits for its next attempt")
	if err := d.awaitDelivery(ctx, doc.ID, func(r cycle.DeliveryRecord) bool { return r.Status == cycle.DeliveryFailed && r.Attempts >= 2 }); err != nil {
		return nil, err
	}
	if err := d.smtp.Restart(); err != nil {
		return nil, err
	}
	d.t.Logf("fault: mail server back (%s)", d.smtp.Addr)
	if err := d.awaitDelivery(ctx, doc.ID, func(r cycle.DeliveryRecord) bool { return r.Status == cycle.DeliverySent }); err != nil {
		return nil, err
	}
	return docs, nil
}

// awaitDelivery polls the store until the e-mail delivery of document
// docID satisfies ok and its other deliveries have settled.
func (d *faultDriver) awaitDelivery(ctx context.Context, docID string, ok func(cycle.DeliveryRecord) bool) error {
	wctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	var last cycle.DeliveryRecord
	for {
		recs, err := d.db.Deliveries(wctx, docID)
		if err == nil {
			for _, r := range recs {
				if r.Key == faultRecipientSMTP {
					if last.Status != r.Status || last.Attempts != r.Attempts {
						d.t.Logf("driver: e-mail of %s to %s: %s after %d attempts %s", docID, r.Key, r.Status, r.Attempts, r.LastError)
					}
					last = r
				}
			}
			// The other deliveries of the document (the file drop) must
			// have settled too, so that a kill now lands in none of them.
			settled := true
			for _, r := range recs {
				if r.Key != faultRecipientSMTP && (r.Status == cycle.DeliveryPending || r.Status == cycle.DeliverySending) {
					settled = false
				}
			}
			if last.Key != "" && ok(last) && settled {
				return nil
			}
		}
		select {
		case <-wctx.Done():
			return fmt.Errorf("e-mail delivery of %s: %w (last: %s after %d attempts, %s)", docID, wctx.Err(), last.Status, last.Attempts, last.LastError)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// update sends an update and waits for its result, retrying with the same
// update ID while no worker answers or the call times out: a retry gets
// the first result. A refusal or a failed handler is returned.
func (d *faultDriver) update(ctx context.Context, wid, name, rid string, arg, result any) error {
	start := time.Now()
	for attempt := 1; ; attempt++ {
		uctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		h, err := d.c.UpdateWorkflow(uctx, client.UpdateWorkflowOptions{WorkflowID: wid, UpdateID: rid, UpdateName: name,
			Args: []any{arg}, WaitForStage: client.WorkflowUpdateStageCompleted})
		if err == nil {
			err = h.Get(uctx, result)
		}
		cancel()
		if err == nil {
			if attempt > 1 {
				d.mu.Lock()
				d.retries += attempt - 1
				d.mu.Unlock()
				d.t.Logf("driver: %s %s answered on attempt %d after %s", name, rid, attempt, time.Since(start).Round(time.Millisecond))
			}
			return nil
		}
		if faultFinal(err) {
			return fmt.Errorf("%s %s (attempt %d): %w", name, rid, attempt, err)
		}
		if ctx.Err() != nil {
			return fmt.Errorf("%s %s: gave up after %d attempts in %s: %w", name, rid, attempt, time.Since(start).Round(time.Millisecond), err)
		}
		select {
		case <-ctx.Done():
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// faultFinal reports whether an update's error is its outcome (a refusal,
// a failed handler, an unknown workflow) rather than a transport error or
// a timeout, after which the same update is sent again.
func faultFinal(err error) bool {
	// The decision being prepared for the head's signature when the sign
	// task opens asks to try again in a few seconds: an officer's client
	// does, so does the driver.
	if selection.Preparing(err) {
		return false
	}
	var app *temporal.ApplicationError
	var canceled *temporal.CanceledError
	var notFound *serviceerror.NotFound
	var invalid *serviceerror.InvalidArgument
	return errors.As(err, &app) || errors.As(err, &canceled) || errors.As(err, &notFound) || errors.As(err, &invalid)
}

// state queries the cycle's state, retrying while no worker answers.
func (d *faultDriver) state(ctx context.Context) (selection.CycleState, error) {
	for {
		qctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		v, err := d.c.QueryWorkflow(qctx, d.id, "", selection.QueryState)
		cancel()
		var st selection.CycleState
		if err == nil {
			if err := v.Get(&st); err != nil {
				return st, err
			}
			return st, nil
		}
		select {
		case <-ctx.Done():
			return st, fmt.Errorf("query the cycle's state: %w (last error %v)", ctx.Err(), err)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// awaitState polls the cycle's state until ok holds.
func (d *faultDriver) awaitState(ctx context.Context, what string, ok func(selection.CycleState) bool) error {
	wctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	for {
		st, err := d.state(wctx)
		if err != nil {
			return fmt.Errorf("waiting for %s: %w", what, err)
		}
		if st.Transformation != nil && ok(st) {
			return nil
		}
		select {
		case <-wctx.Done():
			return fmt.Errorf("waiting for %s: %w", what, wctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// cohortCommune returns a commune of the cohort, as the cycle's state names it.
func (d *faultDriver) cohortCommune(ctx context.Context, code string) (transformation.CohortCommune, error) {
	d.mu.Lock()
	cc, ok := d.cohort[code]
	d.mu.Unlock()
	if ok {
		return cc, nil
	}
	if err := d.awaitState(ctx, "the cohort", func(st selection.CycleState) bool { return st.Transformation.Started }); err != nil {
		return cc, err
	}
	st, err := d.state(ctx)
	if err != nil {
		return cc, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, c := range st.Transformation.Communes {
		d.cohort[c.Commune] = c
	}
	if cc, ok = d.cohort[code]; !ok {
		return cc, fmt.Errorf("commune %s is not in the cohort", code)
	}
	return cc, nil
}

// check verifies, after the cycle has completed, that nothing was lost or
// done twice.
func (d *faultDriver) check(ctx context.Context, prov cycle.Province, final cycle.Decision, cohort []string, drop string, roots *x509.CertPool) {
	t := d.t
	t.Helper()
	acked := map[string]faultAck{}
	d.mu.Lock()
	for k, v := range d.acked {
		acked[k] = v
	}
	d.mu.Unlock()
	kinds := map[cycle.TaskKind]int{}
	for _, a := range acked {
		kinds[a.Task.Kind]++
	}
	t.Logf("tasks completed: %v", kinds)

	// The cycle is closed and every commune of the cohort recognised, its
	// workflow completed.
	st, err := d.state(ctx)
	require.NoError(t, err)
	require.Equal(t, cycle.PhaseClosed, st.Phase)
	txs, err := d.db.Transformations(ctx, prov.Code)
	require.NoError(t, err)
	standing := map[string]cycle.Standing{}
	for _, tr := range txs {
		standing[tr.Commune] = tr.Standing
	}
	require.Len(t, standing, len(cohort))
	for _, code := range cohort {
		require.Equal(t, cycle.StandingRecognised, standing[code], "commune %s", code)
		cc, err := d.cohortCommune(ctx, code)
		require.NoError(t, err)
		desc, err := d.c.DescribeWorkflowExecution(ctx, cc.WorkflowID, "")
		require.NoError(t, err)
		require.Equal(t, enumspb.WORKFLOW_EXECUTION_STATUS_COMPLETED, desc.GetWorkflowExecutionInfo().GetStatus(), cc.WorkflowID)
	}

	// Every proposal is stored once, as revision 1, as it was sent.
	require.Equal(t, len(d.proposals), kinds[cycle.TaskSubmitProposal], "every unit's proposal acknowledged")
	revs, err := d.db.Proposals(ctx, d.id)
	require.NoError(t, err)
	require.Len(t, revs, len(d.proposals), "one stored revision per unit")
	for _, r := range revs {
		require.Equal(t, 1, r.Revision, "unit %s", r.Unit)
		require.True(t, r.Current, "unit %s", r.Unit)
		require.Equal(t, faultProposed(d.proposals[r.Unit]), faultProposed(r.Proposal), "unit %s: the communes proposed", r.Unit)
		require.Len(t, r.Proposal.Statistics, len(d.proposals[r.Unit].Statistics), "unit %s: its statistics", r.Unit)
	}

	// Every report is stored once, under the request that was acknowledged:
	// three per commune (half-year, yearly, follow-up), unless a half-year
	// report was superseded before it was sent.
	reports, err := d.db.Reports(ctx, d.id)
	require.NoError(t, err)
	stored := map[string]int{}
	for _, r := range reports {
		stored[r.TaskID]++
		a, ok := acked[r.TaskID]
		require.True(t, ok, "report %s stored but never acknowledged", r.TaskID)
		require.Equal(t, a.RequestID, r.RequestID, r.TaskID)
	}
	nReports := 0
	for id, a := range acked {
		switch a.Task.Kind {
		case cycle.TaskHalfYearReport, cycle.TaskYearlyReport, cycle.TaskFollowUpReport:
			nReports++
			require.Equal(t, 1, stored[id], "report %s stored once", id)
		}
	}
	require.Len(t, reports, nReports)
	sqlDB := d.sql
	for _, code := range cohort {
		for _, k := range []cycle.TaskKind{cycle.TaskHalfYearReport, cycle.TaskYearlyReport, cycle.TaskFollowUpReport} {
			id := fmt.Sprintf("%s/%s/2027", k, code)
			if _, ok := acked[id]; ok {
				continue
			}
			// Only a half-year report may be missing, and only because the
			// yearly one came first and its task closed.
			require.Equal(t, cycle.TaskHalfYearReport, k, "no %s acknowledged", id)
			var reason sql.NullString
			require.NoError(t, sqlDB.QueryRowContext(ctx, `SELECT close_reason FROM tasks WHERE cycle_id = $1 AND task_id = $2`, d.id, id).Scan(&reason))
			require.Equal(t, "superseded by the yearly report", reason.String, "task %s", id)
			t.Logf("%s: superseded by the yearly report (its commune was held up past both report dates)", id)
		}
	}

	// The audit log: one entry per completed task, under its request, and
	// nothing else.
	audit, err := d.db.Audit(ctx, d.id)
	require.NoError(t, err)
	audited, requests := map[string]int{}, map[string]int{}
	for _, e := range audit {
		audited[e.TaskID]++
		requests[e.RequestID]++
		a, ok := acked[e.TaskID]
		require.True(t, ok, "audit entry for task %s, which no officer completed", e.TaskID)
		require.Equal(t, a.RequestID, e.RequestID, e.TaskID)
	}
	for id := range acked {
		require.Equal(t, 1, audited[id], "audit entries of task %s", id)
	}
	for rid, n := range requests {
		require.Equal(t, 1, n, "audit entries of request %s", rid)
	}
	require.Len(t, audit, len(acked))

	// No task is left open.
	open, err := d.db.OpenTasks(ctx, cycle.TaskFilter{CycleID: d.id})
	require.NoError(t, err)
	for _, task := range open {
		t.Errorf("task %s is open in the store after the cycle completed: %s", task.ID, d.explainOpen(ctx, sqlDB, task))
	}

	// Each document issued once: the approval decision, the year's summary
	// and the recognition decision, archived once each.
	decisions, err := d.db.Decisions(ctx, d.id)
	require.NoError(t, err)
	var ids []string
	for _, dec := range decisions {
		ids = append(ids, dec.ID)
	}
	sort.Strings(ids)
	require.Equal(t, []string{d.id + "/approval", d.id + "/recognition/2027", d.id + "/summary/2027"}, ids)
	require.Equal(t, d.id+"/approval", final.ID)
	type key struct {
		body string
		year int
	}
	numbers := map[key][]int{}
	rows, err := sqlDB.QueryContext(ctx, `SELECT body_key, year, number FROM decisions ORDER BY body_key, year, number`)
	require.NoError(t, err)
	for rows.Next() {
		var k key
		var n int
		require.NoError(t, rows.Scan(&k.body, &k.year, &n))
		numbers[k] = append(numbers[k], n)
	}
	require.NoError(t, rows.Err())
	require.NoError(t, rows.Close())
	registers := map[key]int{}
	rows, err = sqlDB.QueryContext(ctx, `SELECT body_key, year, last_number FROM decision_register`)
	require.NoError(t, err)
	for rows.Next() {
		var k key
		var n int
		require.NoError(t, rows.Scan(&k.body, &k.year, &n))
		registers[k] = n
	}
	require.NoError(t, rows.Err())
	require.NoError(t, rows.Close())
	require.Len(t, registers, len(numbers), "a register per body and year that has decisions")
	for k, ns := range numbers {
		for i, n := range ns {
			require.Equal(t, i+1, n, "numbers of %s in %d: %v (want 1..%d without gaps or repeats)", k.body, k.year, ns, len(ns))
		}
		require.Equal(t, len(ns), registers[k], "the register of %s in %d", k.body, k.year)
		t.Logf("register %s %d: numbers %v", k.body, k.year, ns)
	}
	archived := map[string]int{}
	rows, err = sqlDB.QueryContext(ctx, `SELECT id, number, sha256 FROM archived_documents`)
	require.NoError(t, err)
	archivedSHA := map[string]string{}
	archivedNo := map[string]int{}
	for rows.Next() {
		var id, sum string
		var n int
		require.NoError(t, rows.Scan(&id, &n, &sum))
		archived[id]++
		archivedSHA[id], archivedNo[id] = sum, n
	}
	require.NoError(t, rows.Err())
	require.NoError(t, rows.Close())
	require.Len(t, archived, len(decisions), "one archived document per decision")

	// Each PDF: stored once under its hash, the archived bytes, signed
	// and sealed, valid.
	for _, dec := range decisions {
		require.Equal(t, 1, archived[dec.ID], "archived copies of %s", dec.ID)
		require.Equal(t, dec.SHA256, archivedSHA[dec.ID], dec.ID)
		require.Equal(t, dec.Number, archivedNo[dec.ID], dec.ID)
		pdf, err := d.db.DecisionPDF(ctx, dec.ID)
		require.NoError(t, err, "the PDF of %s", dec.Code)
		sum := sha256.Sum256(pdf)
		require.Equal(t, dec.SHA256, hex.EncodeToString(sum[:]), "the PDF of %s in the store", dec.Code)
		rep := signing.Verify(pdf, roots)
		require.True(t, rep.OK(), "%s: %s", dec.Code, rep)
		require.Len(t, rep.Signatures, 2, "%s: signed and sealed", dec.Code)
	}

	// Deliveries: every e-mail at most once (a unique Message-ID), each
	// record that says sent has its message; the e-mail that waited for
	// the mail server went out once when it came back.
	msgs := d.smtp.Messages()
	byID := map[string]int{}
	for _, m := range msgs {
		id := faultMessageID(m.Data)
		require.NotEmpty(t, id, "a message without a Message-ID: %.400q", m.Data)
		byID[id]++
		require.Equal(t, []string{"vanthu@ubnd.quangngai.test"}, m.To)
	}
	for id, n := range byID {
		require.Equal(t, 1, n, "copies of message %s", id)
	}
	dropped, err := filepath.Glob(filepath.Join(drop, faultRecipientFile, "*.pdf"))
	require.NoError(t, err)
	dropSHA := map[string]int{}
	for _, f := range dropped {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		sum := sha256.Sum256(b)
		dropSHA[hex.EncodeToString(sum[:])]++
	}
	files := 0
	unknown := 0
	for _, dec := range decisions {
		recs, err := d.db.Deliveries(ctx, dec.ID)
		require.NoError(t, err)
		require.Len(t, recs, 2, "%s: one e-mail and one file drop planned", dec.Code)
		for _, r := range recs {
			switch r.Status {
			case cycle.DeliverySent:
				if r.Channel == cycle.ChannelSMTP {
					require.Equal(t, 1, byID[r.MessageID], "%s to %s: sent, so its message arrived once", dec.Code, r.Key)
				} else {
					require.Equal(t, 1, dropSHA[dec.SHA256], "%s to %s: sent, so its file is in the drop once", dec.Code, r.Key)
					files++
				}
			case cycle.DeliveryUnknown:
				// A worker died inside the attempt: by design it is not sent
				// again automatically (at most once) and the clerk checks.
				// The copy may or may not have arrived, never twice.
				unknown++
				if r.Channel == cycle.ChannelSMTP {
					require.LessOrEqual(t, byID[r.MessageID], 1, "%s to %s", dec.Code, r.Key)
				} else {
					require.LessOrEqual(t, dropSHA[dec.SHA256], 1, "%s to %s", dec.Code, r.Key)
				}
				t.Logf("delivery of %s to %s is unknown (a worker died inside the attempt): %s", dec.Code, r.Key, r.LastError)
			default:
				t.Fatalf("delivery of %s to %s is %s after %d attempts (%s): every delivery settles before the cycle completes", dec.Code, r.Key, r.Status, r.Attempts, r.LastError)
			}
			if dec.ID == d.outageID && r.Channel == cycle.ChannelSMTP {
				require.Equal(t, cycle.DeliverySent, r.Status, "the e-mail that waited for the mail server")
				require.GreaterOrEqual(t, r.Attempts, 3, "two attempts while the server was down, one after")
				t.Logf("the e-mail of %s went out on attempt %d, once the mail server was back", dec.Code, r.Attempts)
			}
		}
	}
	docSHA := map[string]bool{}
	for _, dec := range decisions {
		docSHA[dec.SHA256] = true
	}
	for sum, n := range dropSHA {
		require.Equal(t, 1, n, "copies of the file with SHA-256 %s in the drop", sum)
		require.True(t, docSHA[sum], "a file in the drop that is no issued document (SHA-256 %s)", sum)
	}
	t.Logf("checked: %d proposals, %d reports, %d audit entries, %d documents, %d e-mails (%d unknown deliveries), %d file drops",
		len(revs), len(reports), len(audit), len(decisions), len(msgs), unknown, files)
}

// faultProposed returns the codes of the communes a proposal proposes.
func faultProposed(p cycle.Proposal) []string {
	var out []string
	for _, pc := range p.Proposed {
		out = append(out, pc.Commune)
	}
	sort.Strings(out)
	return out
}

// faultMessageID returns a message's Message-ID without its angle
// brackets ("" if it has none); the header may be folded.
func faultMessageID(data string) string {
	m, err := mail.ReadMessage(strings.NewReader(data))
	if err != nil {
		return ""
	}
	return strings.Trim(strings.TrimSpace(m.Header.Get("Message-ID")), "<>")
}

// faultHistoryStats counts, in the workflows' histories, the activities
// that completed only after a lost attempt (a worker killed inside it: the
// attempt waited for its heartbeat timeout) or a failed one (e.g.
// PostgreSQL down), and the workflow tasks that timed out.
func faultHistoryStats(ctx context.Context, t *testing.T, c client.Client, wids []string) string {
	type key struct{ what, kind string }
	counts := map[key]int{}
	for _, wid := range wids {
		it := c.GetWorkflowHistory(ctx, wid, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
		types := map[int64]string{}
		for it.HasNext() {
			ev, err := it.Next()
			if err != nil {
				t.Logf("history of %s: %v", wid, err)
				break
			}
			if a := ev.GetActivityTaskScheduledEventAttributes(); a != nil {
				types[ev.GetEventId()] = a.GetActivityType().GetName()
			}
			if a := ev.GetActivityTaskStartedEventAttributes(); a != nil && a.GetAttempt() > 1 {
				what := "after a failed attempt"
				if a.GetLastFailure().GetTimeoutFailureInfo() != nil {
					what = "after a lost attempt (timed out)"
				}
				counts[key{what, types[a.GetScheduledEventId()]}]++
			}
			if a := ev.GetWorkflowTaskTimedOutEventAttributes(); a != nil {
				counts[key{"workflow task timed out", a.GetTimeoutType().String()}]++
			}
		}
	}
	var parts []string
	for k, n := range counts {
		parts = append(parts, fmt.Sprintf("%s %s: %d", k.kind, k.what, n))
	}
	sort.Strings(parts)
	if len(parts) == 0 {
		return "nothing retried"
	}
	return strings.Join(parts, "; ")
}

// explainOpen says why a task is still open in the store: who completed
// it (the audit log, with the store's own time of the entry) and how the
// OpenTask activity that put it in the inbox went (from the history).
func (d *faultDriver) explainOpen(ctx context.Context, sqlDB *sql.DB, task cycle.Task) string {
	var parts []string
	var completed time.Time
	rows, err := sqlDB.QueryContext(ctx, `SELECT request_id, actor_id, recorded_at FROM audit_log WHERE cycle_id = $1 AND task_id = $2`, d.id, task.ID)
	if err == nil {
		for rows.Next() {
			var rid, actor string
			if rows.Scan(&rid, &actor, &completed) == nil {
				parts = append(parts, fmt.Sprintf("completed by %s (request %s), recorded at %s", actor, rid, completed.UTC().Format("15:04:05.000")))
			}
		}
		rows.Close()
	}
	wid := task.WorkflowID
	if wid == "" {
		wid = d.id
	}
	clock := func(t time.Time) string { return t.UTC().Format("15:04:05.000") }
	it := d.c.GetWorkflowHistory(ctx, wid, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	scheduled := map[int64]bool{}
	retriedAfter := false
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			break
		}
		at := ev.GetEventTime().AsTime()
		if a := ev.GetActivityTaskScheduledEventAttributes(); a != nil && a.GetActivityType().GetName() == "OpenTask" {
			var in cycle.Task
			if converter.GetDefaultDataConverter().FromPayloads(a.GetInput(), &in) == nil && in.ID == task.ID {
				scheduled[ev.GetEventId()] = true
				parts = append(parts, "OpenTask scheduled at "+clock(at))
			}
		}
		if a := ev.GetActivityTaskScheduledEventAttributes(); a != nil && a.GetActivityType().GetName() == "OpenTasks" {
			var in []cycle.Task
			if converter.GetDefaultDataConverter().FromPayloads(a.GetInput(), &in) == nil && slices.ContainsFunc(in, func(t cycle.Task) bool { return t.ID == task.ID }) {
				scheduled[ev.GetEventId()] = true
				parts = append(parts, fmt.Sprintf("OpenTasks (a batch of %d) scheduled at %s", len(in), clock(at)))
			}
		}
		if a := ev.GetActivityTaskStartedEventAttributes(); a != nil && scheduled[a.GetScheduledEventId()] {
			s := fmt.Sprintf("its attempt %d started at %s", a.GetAttempt(), clock(at))
			if f := a.GetLastFailure(); f != nil {
				s += " after: " + f.GetMessage()
			}
			parts = append(parts, s)
			retriedAfter = a.GetAttempt() > 1 && !completed.IsZero() && at.After(completed)
		}
		if a := ev.GetActivityTaskCompletedEventAttributes(); a != nil && scheduled[a.GetScheduledEventId()] {
			parts = append(parts, "and completed at "+clock(at))
		}
	}
	s := strings.Join(parts, "; ")
	if retriedAfter {
		s += " — an OpenTask attempt ran after the completion and put the completed task back in the inbox: an earlier attempt had written it and died before reporting"
	}
	return s
}
