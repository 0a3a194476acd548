package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	"golang.org/x/crypto/bcrypt"

	"chuyenhoa/api"
	"chuyenhoa/cycle"
	"chuyenhoa/devserver"
	"chuyenhoa/internal/app"
	"chuyenhoa/internal/pgtest"
	"chuyenhoa/postgres"
	"chuyenhoa/sample"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/selection"
)

// benchCompletionsPerCycle bounds the completions sent to one yearly
// cycle, so that no history grows long however large b.N is: each
// completion adds about ten events (the update, the CompleteTask activity,
// two workflow tasks), so 240 of them stay well under the 4,096 events at
// which the server suggests a continue-as-new. More completions go to the
// next year's cycle.
const benchCompletionsPerCycle = 240

// benchEnv is the whole stack in this process, as startAPI builds it for
// the tests (startAPI and apiEnv's helpers take *testing.T and fail
// through it; a benchmark has a *testing.B): the embedded Temporal server
// in memory, a fresh PostgreSQL database, the real worker, and the API on
// loopback.
type benchEnv struct {
	tb      testing.TB
	ctx     context.Context
	c       client.Client
	db      *postgres.DB
	srv     *httptest.Server
	hc      *http.Client
	prov    cycle.Province
	pol     cycle.Policy
	units   []string
	tokens  map[string]string // unit → its officer's session token
	year    int               // the cycle receiving completions
	bodies  map[string][]byte // unit → its proposal for year, as JSON
	sent    int               // completions sent to year's cycle
	started int               // cycles started
}

func benchStartAPI(tb testing.TB) *benchEnv {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	tb.Cleanup(cancel)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	sctx, scancel := context.WithTimeout(ctx, 90*time.Second)
	defer scancel()
	ts, err := devserver.StartTemporal(sctx, devserver.TemporalOptions{UIPort: -1, Logger: quiet})
	benchNoError(tb, err)
	tb.Cleanup(func() { _ = ts.Stop() })
	c, err := client.Dial(client.Options{HostPort: ts.FrontendAddress(), Namespace: ts.Namespace(), Logger: sdklog.NewStructuredLogger(quiet)})
	benchNoError(tb, err)
	tb.Cleanup(c.Close)
	db, err := postgres.Open(ctx, pgtest.CreateDatabase(tb))
	benchNoError(tb, err)
	tb.Cleanup(func() { db.Close() })
	prov, issuer, err := sample.Province("quang-ngai")
	benchNoError(tb, err)
	benchNoError(tb, db.SaveProvince(ctx, prov, issuer))
	acts, err := app.NewActivities(db, app.Config{OutputDir: tb.TempDir(), Signing: app.SigningConfig{Demo: true, Warnings: io.Discard}}) // the output is parsed by benchstat
	benchNoError(tb, err)
	w := app.NewWorker(c, acts)
	benchNoError(tb, w.Start())
	tb.Cleanup(w.Stop)
	srv := httptest.NewServer(app.NewAPI(c, db, quiet).Handler())
	tb.Cleanup(srv.Close)

	// Proposals go to cycles whose proposals are due in the future (due
	// 25/12 of the year before), so that every revision is accepted.
	e := &benchEnv{tb: tb, ctx: ctx, c: c, db: db, srv: srv, prov: prov, pol: cycle.DefaultPolicy(),
		hc:    &http.Client{Timeout: time.Minute},
		units: prov.Units(), tokens: map[string]string{}, year: time.Now().In(cycle.Vietnam).Year() + 1}
	hash, err := bcrypt.GenerateFromPassword([]byte(testPassword), bcrypt.MinCost)
	benchNoError(tb, err)
	for _, u := range e.units {
		id := "ca." + u
		benchNoError(tb, db.CreateAccount(ctx, cycle.Account{ID: id, Name: "Cán bộ " + id, Role: cycle.RoleDistrictOfficer, District: u}, hash))
		e.tokens[u] = e.benchSignIn(id)
	}
	e.benchNextCycle()
	return e
}

func benchNoError(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}

func (e *benchEnv) benchSignIn(id string) string {
	e.tb.Helper()
	body, _ := json.Marshal(api.SignInRequest{Account: id, Password: testPassword})
	status, b := e.benchPost("/api/session", "", "", body)
	if status != http.StatusCreated {
		e.tb.Fatalf("sign in %s: %d %s", id, status, b)
	}
	var s api.SessionResponse
	benchNoError(e.tb, json.Unmarshal(b, &s))
	return s.Token
}

// benchPost sends an authenticated POST and reads the whole response.
func (e *benchEnv) benchPost(path, token, key string, body []byte) (int, []byte) {
	req, err := http.NewRequestWithContext(e.ctx, "POST", e.srv.URL+path, bytes.NewReader(body))
	benchNoError(e.tb, err)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	resp, err := e.hc.Do(req)
	benchNoError(e.tb, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	benchNoError(e.tb, err)
	return resp.StatusCode, b
}

// benchNextCycle starts the cycle of the next year, waits until the
// store's inbox has its proposal tasks, and prepares its proposals.
func (e *benchEnv) benchNextCycle() {
	e.tb.Helper()
	if e.started > 0 {
		e.year++
	}
	e.started++
	id := selection.WorkflowID(e.prov.Code, e.year)
	_, err := e.c.ExecuteWorkflow(e.ctx, client.StartWorkflowOptions{ID: id, TaskQueue: flow.TaskQueue,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_FAIL},
		selection.YearlyCycle, selection.YearlyCycleInput{Province: e.prov.Code, Year: e.year, Policy: e.pol,
			StartedBy: cycle.Actor{ID: "cat.tt", Role: cycle.RoleSecretariat}, Synthetic: true, StopAtDecision: true})
	benchNoError(e.tb, err)
	deadline := time.Now().Add(time.Minute)
	for {
		ts, err := e.db.OpenTasks(e.ctx, cycle.TaskFilter{CycleID: id, Role: cycle.RoleDistrictOfficer})
		benchNoError(e.tb, err)
		if len(ts) == len(e.units) {
			break
		}
		if time.Now().After(deadline) {
			e.tb.Fatalf("the proposal tasks of %s did not open within a minute (%d of %d)", id, len(ts), len(e.units))
		}
		time.Sleep(20 * time.Millisecond)
	}
	e.bodies = map[string][]byte{}
	for _, p := range sample.Proposals(e.prov, e.pol, e.year) {
		b, err := json.Marshal(p)
		benchNoError(e.tb, err)
		e.bodies[p.Unit] = b
	}
	e.sent = 0
}

// BenchmarkAPITaskCompletion is the round trip of an officer completing a
// task through the HTTP API, on the whole stack in this process: a
// district officer's POST /api/tasks/cycle/51/{year}/submit_proposal/{unit} (JSON, bearer
// token, a new Idempotency-Key) — the session and role checks, the
// proposal's parsing and rules, the Temporal update (validator, handler),
// the CompleteTask activity that stores the proposal, closes the task and
// appends to the audit chain, the update's result and the 200 response.
// The units take turns; a unit's first submission completes its task and
// the next ones are revisions (the same work). Every 240 completions go to
// a new cycle (another year), whose start is not timed, so b.N can be
// thousands (-benchtime 2000x).
//
// allocs/op and B/op count the whole process: client, API, Temporal
// server, worker. The stack shares the machine's cores, so ns/op is a
// latency under no concurrency, not a throughput (TestAPILoad measures
// that).
func BenchmarkAPITaskCompletion(b *testing.B) {
	api.PasswordCost = bcrypt.MinCost
	e := benchStartAPI(b)
	first := e.year
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		if e.sent == benchCompletionsPerCycle {
			b.StopTimer()
			e.benchNextCycle()
			b.StartTimer()
		}
		unit := e.units[n%len(e.units)]
		path := "/api/tasks/cycle/" + e.prov.Code + "/" + strconv.Itoa(e.year) + "/submit_proposal/" + unit
		status, body := e.benchPost(path, e.tokens[unit], "bench-completion-"+strconv.Itoa(n), e.bodies[unit])
		if status != http.StatusOK {
			b.Fatalf("completion %d (unit %s, cycle %d): %d %s", n, unit, e.year, status, body)
		}
		n++
		e.sent++
	}
	// Every request completed a task once: one audit row each.
	b.StopTimer()
	rows, err := e.db.RecentAudit(e.ctx, "", n+1000)
	benchNoError(b, err)
	done := 0
	for _, r := range rows {
		if r.Action == "complete."+string(cycle.TaskSubmitProposal) && r.Outcome == "ok" {
			done++
		}
	}
	if done != n {
		b.Fatalf("%d completions sent, %d in the audit trail", n, done)
	}
	d, err := e.c.DescribeWorkflowExecution(e.ctx, selection.WorkflowID(e.prov.Code, first), "")
	benchNoError(b, err)
	b.Logf("%d completions over %d cycles; the first cycle's history has %d events", n, e.year-first+1, d.GetWorkflowExecutionInfo().GetHistoryLength())
}
