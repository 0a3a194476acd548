package observe_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"chuyenhoa/cycle"
	"chuyenhoa/delivery"
	"chuyenhoa/internal/pgtest"
	"chuyenhoa/observe"
	"chuyenhoa/postgres"
	"chuyenhoa/render"
	"chuyenhoa/sample"
	"chuyenhoa/workflows/issuing"
)

// newObserver is an Observer whose logs go to the test's log.
func newObserver(t *testing.T) *observe.Observer {
	t.Helper()
	o, err := observe.New(slog.New(slog.NewTextHandler(testWriter{t}, nil)))
	require.NoError(t, err)
	t.Cleanup(func() { _ = o.Close(context.Background()) })
	return o
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// scrape GETs /metrics and returns the samples by series, as
// `name{label="value",…}` with the labels in name order (as the text
// format writes them).
func scrape(t *testing.T, h http.Handler) map[string]float64 {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Contains(t, rec.Header().Get("Content-Type"), "text/plain")
	out := map[string]float64{}
	sc := bufio.NewScanner(rec.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		require.Positive(t, i, "malformed sample line %q", line)
		v, err := strconv.ParseFloat(line[i+1:], 64)
		require.NoError(t, err, line)
		out[line[:i]] = v
	}
	require.NoError(t, sc.Err())
	return out
}

// series lists the scraped series whose name starts with prefix.
func series(m map[string]float64, prefix string) []string {
	var out []string
	for k := range m {
		if strings.HasPrefix(k, prefix) {
			out = append(out, k)
		}
	}
	return out
}

func TestCountersAreNilSafe(t *testing.T) {
	var c *observe.Counters
	c.DocumentIssued("approval")
	c.DeliveryFailed(cycle.ChannelSMTP, cycle.DeliveryFailed)
	var _ issuing.Counters = c
}

func TestMetricsEndpointCountersAndRuntime(t *testing.T) {
	o := newObserver(t)
	h := o.Handler(0)

	m := scrape(t, h)
	// Known label values start at zero, so that rate() sees the first one.
	require.Equal(t, 0.0, m[`chuyenhoa_documents_issued_total{kind="approval"}`])
	require.Equal(t, 0.0, m[`chuyenhoa_documents_issued_total{kind="recognition"}`])
	require.Equal(t, 0.0, m[`chuyenhoa_deliveries_failed_total{channel="smtp",status="unknown"}`])
	require.Contains(t, m, "go_goroutines")
	require.Contains(t, m, "process_start_time_seconds")
	require.NotEmpty(t, series(m, "go_build_info{"))

	o.Counters.DocumentIssued("approval")
	o.Counters.DocumentIssued("approval")
	o.Counters.DocumentIssued(cycle.DocSummary)
	o.Counters.DeliveryFailed(cycle.ChannelSMTP, cycle.DeliveryFailed)
	m = scrape(t, h)
	require.Equal(t, 2.0, m[`chuyenhoa_documents_issued_total{kind="approval"}`])
	require.Equal(t, 1.0, m[`chuyenhoa_documents_issued_total{kind="summary"}`])
	require.Equal(t, 1.0, m[`chuyenhoa_deliveries_failed_total{channel="smtp",status="failed"}`])
	require.Equal(t, 0.0, m[`chuyenhoa_deliveries_failed_total{channel="file",status="failed"}`])
	require.Equal(t, 1.0, m[`promhttp_metric_handler_requests_total{code="200"}`], "the endpoint counts its own scrapes")

	// Only GET (and HEAD) are served; other paths are not found.
	for _, tc := range []struct {
		method, path string
		code         int
	}{
		{http.MethodPost, "/metrics", http.StatusMethodNotAllowed},
		{http.MethodHead, "/metrics", http.StatusOK},
		{http.MethodGet, "/", http.StatusNotFound},
		{http.MethodGet, "/api/tasks", http.StatusNotFound},
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(tc.method, tc.path, nil))
		require.Equal(t, tc.code, rec.Code, "%s %s", tc.method, tc.path)
	}
}

// The SDK's own metrics reach /metrics through its OpenTelemetry handler:
// a workflow with a local activity and a metric of its own runs in the
// SDK's test environment with the Observer's handler. (The test
// environment has no pollers and no server, so worker, workflow task and
// request metrics appear only in a real worker.)
func TestTemporalSDKMetrics(t *testing.T) {
	o := newObserver(t)
	var s testsuite.WorkflowTestSuite
	s.SetMetricsHandler(o.TemporalMetrics())
	greet := func(ctx context.Context, name string) (string, error) { return "xin chào " + name, nil }
	wf := func(ctx workflow.Context, name string) (string, error) {
		ctx = workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{StartToCloseTimeout: time.Minute})
		var out string
		err := workflow.ExecuteLocalActivity(ctx, greet, name).Get(ctx, &out)
		workflow.GetMetricsHandler(ctx).WithTags(map[string]string{"province": "51"}).Counter("greetings").Inc(1)
		return out, err
	}
	env := s.NewTestWorkflowEnvironment()
	env.RegisterWorkflowWithOptions(wf, workflow.RegisterOptions{Name: "Greet"})
	env.ExecuteWorkflow("Greet", "Quảng Ngãi")
	require.True(t, env.IsWorkflowCompleted())
	require.NoError(t, env.GetWorkflowError())

	m := scrape(t, o.Handler(0))
	one := func(prefix string) string {
		t.Helper()
		got := series(m, prefix)
		require.Len(t, got, 1, "%s in %v", prefix, series(m, "temporal_"))
		return got[0]
	}
	// Counters are Prometheus counters (_total) with the SDK's labels.
	la := one("temporal_local_activity_total{")
	require.Contains(t, la, `workflow_type="Greet"`)
	require.Equal(t, 1.0, m[la])
	require.Equal(t, 1.0, m[one(`greetings_total{`)])
	require.Contains(t, one(`greetings_total{`), `province="51"`)
	// Timers are histograms in seconds, with buckets made for seconds.
	buckets := series(m, "temporal_local_activity_execution_latency_seconds_bucket{")
	require.Len(t, buckets, 19, "18 buckets and +Inf: %v", buckets)
	var le5ms bool
	for _, k := range buckets {
		le5ms = le5ms || strings.Contains(k, `le="0.005"`)
	}
	require.True(t, le5ms, "a 5 ms bucket: %v", buckets)
	require.Equal(t, 1.0, m[one("temporal_local_activity_execution_latency_seconds_count{")])
	for k := range m {
		require.NotContains(t, k, "otel_scope_name", "no scope labels")
	}
}

func TestHealthAndReadiness(t *testing.T) {
	o := newObserver(t)
	ok := observe.Check{Name: "postgres", Probe: func(context.Context) error { return nil }}
	down := observe.Check{Name: "temporal", Probe: func(context.Context) error { return errors.New("connection refused") }}
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	hung := observe.Check{Name: "stuck", Probe: func(context.Context) error { <-release; return nil }} // ignores ctx
	panics := observe.Check{Name: "buggy", Probe: func(context.Context) error { panic("oops") }}

	get := func(h http.Handler, path string) (int, observe.Readiness) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		require.Equal(t, "application/json; charset=utf-8", rec.Header().Get("Content-Type"))
		var r observe.Readiness
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &r), rec.Body.String())
		return rec.Code, r
	}

	// Liveness checks nothing but the process: up even when a dependency is down.
	code, r := get(o.Handler(0, down), "/healthz")
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, "ok", r.Status)

	code, r = get(o.Handler(0, ok), "/readyz")
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, observe.Readiness{Status: "ready", Checks: []observe.CheckResult{{Name: "postgres", OK: true, DurationMS: r.Checks[0].DurationMS}}}, r)

	code, r = get(o.Handler(100*time.Millisecond, ok, down, hung, panics), "/readyz")
	require.Equal(t, http.StatusServiceUnavailable, code)
	require.Equal(t, "not ready", r.Status)
	require.Len(t, r.Checks, 4)
	byName := map[string]observe.CheckResult{}
	for _, c := range r.Checks {
		byName[c.Name] = c
	}
	require.True(t, byName["postgres"].OK)
	require.False(t, byName["temporal"].OK)
	require.Equal(t, "connection refused", byName["temporal"].Error)
	require.False(t, byName["stuck"].OK)
	require.Contains(t, byName["stuck"].Error, "no answer within the timeout")
	require.False(t, byName["buggy"].OK)
	require.Contains(t, byName["buggy"].Error, "panicked")
}

// The real checks: PostgreSQL on a test database; Temporal through a
// client whose frontend is not there.
func TestRealChecks(t *testing.T) {
	o := newObserver(t)
	ctx := context.Background()
	db, err := postgres.Open(ctx, pgtest.CreateDatabase(t))
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	c, err := client.NewLazyClient(client.Options{HostPort: "127.0.0.1:1", Logger: quietLogger{}})
	require.NoError(t, err)
	t.Cleanup(c.Close)

	rec := httptest.NewRecorder()
	o.Handler(time.Second, observe.PostgresCheck(db), observe.TemporalCheck(c)).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
	require.Equal(t, http.StatusServiceUnavailable, rec.Code)
	var r observe.Readiness
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &r))
	require.Equal(t, "postgres", r.Checks[0].Name)
	require.True(t, r.Checks[0].OK, r.Checks[0].Error)
	require.Equal(t, "temporal", r.Checks[1].Name)
	require.False(t, r.Checks[1].OK)
	require.NotEmpty(t, r.Checks[1].Error)

	db.Close()
	rec = httptest.NewRecorder()
	o.Handler(time.Second, observe.PostgresCheck(db)).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
	require.Equal(t, http.StatusServiceUnavailable, rec.Code, rec.Body.String())
	require.Contains(t, rec.Body.String(), "ping postgres")
}

// A store that cannot answer in time: the scrape still succeeds, says so
// in chuyenhoa_store_up, and leaves the store's gauges out rather than
// reporting zeros.
func TestStoreGaugesWhenTheStoreIsDown(t *testing.T) {
	o := newObserver(t)
	require.NoError(t, o.WatchStore(blockingStore{}, 50*time.Millisecond, nil))
	m := scrape(t, o.Handler(0))
	require.Equal(t, 0.0, m["chuyenhoa_store_up"])
	require.Contains(t, m, "chuyenhoa_store_read_seconds")
	require.Empty(t, series(m, "chuyenhoa_tasks_open"))
	require.Empty(t, series(m, "chuyenhoa_deliveries{"))
	require.Contains(t, m, "go_goroutines", "the rest is served")
}

type blockingStore struct{}

func (blockingStore) Counts(ctx context.Context, _ cycle.Date) (cycle.Counts, error) {
	<-ctx.Done()
	return cycle.Counts{}, ctx.Err()
}

// failingSMTP refuses every message, as a mail server that is down.
type failingSMTP struct {
	mu    sync.Mutex
	calls int
	err   error
}

func (f *failingSMTP) Deliver(context.Context, cycle.DeliveryTarget, cycle.DeliveryMessage) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	return f.err
}

// The store's gauges and our counters after a real issue and deliveries
// through the activities on PostgreSQL: one document issued, its file
// delivery sent, its SMTP delivery failed; open tasks, one overdue.
func TestMetricsAfterIssuingAndFailing(t *testing.T) {
	ctx := context.Background()
	db, err := postgres.Open(ctx, pgtest.CreateDatabase(t))
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	prov, is, err := sample.Province("quang-ngai")
	require.NoError(t, err)
	require.NoError(t, db.SaveProvince(ctx, prov, is))
	cycleID := "cycle/" + prov.Code + "/2027"
	require.NoError(t, db.OpenCycle(ctx, cycle.CycleInfo{ID: cycleID, Province: prov.Code, Year: 2027, Policy: cycle.DefaultPolicy(),
		StartedBy: cycle.Actor{ID: "cat", Role: cycle.RoleSecretariat}, StartedAt: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}))

	// Today is 26 December 2026 in Vietnam: 522's proposal (due the 25th)
	// is overdue, 524's (due the 31st) is not.
	now := time.Date(2026, 12, 25, 18, 30, 0, 0, time.UTC) // 01:30 on the 26th in Vietnam
	for _, tk := range []cycle.Task{
		{ID: "submit_proposal/522", CycleID: cycleID, Kind: cycle.TaskSubmitProposal, Role: cycle.RoleDistrictOfficer, District: "522", Title: "Gửi đề xuất", Due: cycle.D(2026, 12, 25)},
		{ID: "submit_proposal/524", CycleID: cycleID, Kind: cycle.TaskSubmitProposal, Role: cycle.RoleDistrictOfficer, District: "524", Title: "Gửi đề xuất", Due: cycle.D(2026, 12, 31)},
	} {
		require.NoError(t, db.OpenTask(ctx, tk))
	}

	o := newObserver(t)
	require.NoError(t, o.WatchStore(db, 0, func() time.Time { return now }))
	h := o.Handler(0, observe.PostgresCheck(db))
	m := scrape(t, h)
	require.Equal(t, 1.0, m["chuyenhoa_store_up"])
	require.Equal(t, 2.0, m[`chuyenhoa_tasks_open{kind="submit_proposal",province="51"}`])
	require.Equal(t, 1.0, m[`chuyenhoa_tasks_overdue{kind="submit_proposal",province="51"}`])
	require.Empty(t, series(m, "chuyenhoa_documents_archived{"))

	r, err := render.New("")
	require.NoError(t, err)
	smtp := &failingSMTP{err: errors.New("dial tcp 127.0.0.1:25: connection refused")}
	dir := &delivery.Directory{Recipients: []delivery.DirectoryEntry{
		{Key: "thanh-vien", Name: "Thành viên BCĐ", Match: []string{"Như Điều 3"}, Channel: cycle.ChannelFile, Address: "thanh-vien"},
		{Key: "tinh", Name: "UBND tỉnh", Match: []string{"Thường trực Tỉnh ủy"}, Channel: cycle.ChannelSMTP, Address: "vanthu@tinh.test"},
	}}
	require.NoError(t, dir.Validate())
	acts := &issuing.Activities{Store: db, Renderer: r, Counters: o.Counters, Directory: dir, Domain: "test.invalid",
		Deliverer: delivery.Router{cycle.ChannelSMTP: smtp, cycle.ChannelFile: delivery.FileDrop{Root: t.TempDir()}}}
	var s testsuite.WorkflowTestSuite
	env := s.NewTestActivityEnvironment()
	env.RegisterActivity(acts)

	at := time.Date(2027, 1, 20, 9, 0, 0, 0, cycle.Vietnam)
	v, err := env.ExecuteActivity(acts.IssueDocument, issuing.LegacyApprovalInput{DecisionID: cycleID + "/approval", CycleID: cycleID, Province: prov.Code,
		Document: cycle.DocumentContent{Kind: cycle.DocApproval, Issuer: is, Date: cycle.DateOf(at), Year: 2027, ProvinceName: prov.Name, Synthetic: true,
			Communes: []cycle.DocumentCommune{{ListedCommune: cycle.ListedCommune{Commune: "21010", Name: "Phường Lê Hồng Phong", District: "522", DistrictName: "Thành phố Quảng Ngãi", Types: cycle.Types{cycle.TypeSocialOrder}, Rank: 1}}}},
		SignedBy: cycle.Actor{ID: "truongban", Role: cycle.RoleSigner}, IssuedBy: cycle.Actor{ID: "vanthu", Role: cycle.RoleClerk}, At: at})
	require.NoError(t, err)
	var res issuing.Issued
	require.NoError(t, v.Get(&res))
	require.Len(t, res.Deliveries, 2, "undelivered: %v", res.Undelivered)

	deliver := func(target cycle.DeliveryTarget) error {
		_, err := env.ExecuteActivity(acts.DeliverDocument, issuing.DeliverInput{DocumentID: res.Decision.ID, Code: res.Decision.Code,
			Subject: res.Subject, Sender: is.Body, Target: target})
		return err
	}
	for _, target := range res.Deliveries {
		err := deliver(target)
		if target.Channel == cycle.ChannelSMTP {
			require.ErrorContains(t, err, "connection refused")
		} else {
			require.NoError(t, err)
		}
	}
	// The mail server then fails ambiguously (after DATA): unknown.
	smtp.err = fmt.Errorf("451 after DATA: %w", cycle.ErrDeliveryAmbiguous)
	for _, target := range res.Deliveries {
		if target.Channel == cycle.ChannelSMTP {
			require.Error(t, deliver(target))
		}
	}
	require.Equal(t, 2, smtp.calls)

	m = scrape(t, h)
	require.Equal(t, 1.0, m[`chuyenhoa_documents_issued_total{kind="approval"}`])
	require.Equal(t, 1.0, m[`chuyenhoa_deliveries_failed_total{channel="smtp",status="failed"}`])
	require.Equal(t, 1.0, m[`chuyenhoa_deliveries_failed_total{channel="smtp",status="unknown"}`])
	require.Equal(t, 0.0, m[`chuyenhoa_deliveries_failed_total{channel="file",status="failed"}`])
	require.Equal(t, 1.0, m[`chuyenhoa_documents_archived{kind="approval",province="51"}`])
	require.Equal(t, 1.0, m[`chuyenhoa_deliveries{channel="file",status="sent"}`])
	require.Equal(t, 1.0, m[`chuyenhoa_deliveries{channel="smtp",status="unknown"}`])
	require.NotContains(t, m, `chuyenhoa_deliveries{channel="smtp",status="failed"}`, "the failed delivery is unknown now")

	// A proposal comes in: one open task fewer, none overdue.
	require.NoError(t, db.CloseTask(ctx, cycleID, "submit_proposal/522", "test", now))
	m = scrape(t, h)
	require.Equal(t, 1.0, m[`chuyenhoa_tasks_open{kind="submit_proposal",province="51"}`])
	require.Equal(t, 0.0, m[`chuyenhoa_tasks_overdue{kind="submit_proposal",province="51"}`])

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	body, _ := io.ReadAll(rec.Body)
	require.JSONEq(t, `{"status":"ready","checks":[{"name":"postgres","ok":true,"duration_ms":0}]}`, zeroDurations(t, body))
}

// zeroDurations sets every duration_ms of a readiness body to 0.
func zeroDurations(t *testing.T, body []byte) string {
	var r observe.Readiness
	require.NoError(t, json.Unmarshal(body, &r))
	for i := range r.Checks {
		r.Checks[i].DurationMS = 0
	}
	b, err := json.Marshal(r)
	require.NoError(t, err)
	return string(b)
}

// quietLogger drops the SDK's logs (the lazy client's connection errors).
type quietLogger struct{}

func (quietLogger) Debug(string, ...any) {}
func (quietLogger) Info(string, ...any)  {}
func (quietLogger) Warn(string, ...any)  {}
func (quietLogger) Error(string, ...any) {}
