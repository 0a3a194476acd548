// Package e2e holds the tests that start real servers. Everything that
// imports the Temporal server module is tested here, so that only one test
// binary pays for linking it.
package e2e

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
	_ "modernc.org/sqlite" // reads the Temporal DB file behind the server's back

	"chuyenhoa/devserver"
)

const taskQueue = "devserver-e2e"

// Greet is the trivial workflow the tests run: one activity, one result.
func Greet(ctx workflow.Context, name string) (string, error) {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: 10 * time.Second})
	var out string
	err := workflow.ExecuteActivity(ctx, Hello, name).Get(ctx, &out)
	return out, err
}

// Hello is Greet's activity.
func Hello(_ context.Context, name string) (string, error) {
	return "xin chào, " + name, nil
}

// testLogger sends warnings and errors to the test log.
func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

type tWriter struct{ t *testing.T }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// startTemporal starts a server, logs how long it took, and stops it at the
// end of the test.
func startTemporal(t *testing.T, o devserver.TemporalOptions) *devserver.Temporal {
	t.Helper()
	o.Logger = testLogger(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	start := time.Now()
	ts, err := devserver.StartTemporal(ctx, o)
	require.NoError(t, err)
	t.Logf("StartTemporal(db=%q) ready in %s: frontend %s, UI %q", o.DBFile, time.Since(start).Round(time.Millisecond), ts.FrontendAddress(), ts.UIAddress())
	t.Cleanup(func() { require.NoError(t, ts.Stop()) })
	return ts
}

// dial connects a client to ts and closes it at the end of the test.
func dial(t *testing.T, ts *devserver.Temporal) client.Client {
	t.Helper()
	c, err := client.Dial(client.Options{
		HostPort:  ts.FrontendAddress(),
		Namespace: ts.Namespace(),
		Logger:    sdklog.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil))),
	})
	require.NoError(t, err)
	t.Cleanup(c.Close)
	return c
}

// runGreet runs Greet on a worker of its own and returns its result.
func runGreet(t *testing.T, c client.Client, workflowID, name string) string {
	t.Helper()
	w := worker.New(c, taskQueue, worker.Options{})
	w.RegisterWorkflow(Greet)
	w.RegisterActivity(Hello)
	require.NoError(t, w.Start())
	defer w.Stop()

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	start := time.Now()
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: workflowID, TaskQueue: taskQueue}, Greet, name)
	require.NoError(t, err)
	var out string
	require.NoError(t, run.Get(ctx, &out))
	t.Logf("workflow %s completed in %s", workflowID, time.Since(start).Round(time.Millisecond))
	return out
}

func TestTemporalInMemoryWithUI(t *testing.T) {
	ts := startTemporal(t, devserver.TemporalOptions{})
	require.Equal(t, "default", ts.Namespace())
	host, port, err := net.SplitHostPort(ts.FrontendAddress())
	require.NoError(t, err)
	require.Equal(t, "127.0.0.1", host)
	require.NotEqual(t, "7233", port, "port 0 must pick a free port, not the well-known one")
	require.True(t, strings.HasPrefix(ts.UIAddress(), "http://127.0.0.1:"), ts.UIAddress())

	c := dial(t, ts)
	require.Equal(t, "xin chào, Hà Nội", runGreet(t, c, "greet-mem", "Hà Nội"))

	nsc, err := client.NewNamespaceClient(client.Options{HostPort: ts.FrontendAddress()})
	require.NoError(t, err)
	defer nsc.Close()
	desc, err := nsc.Describe(context.Background(), ts.Namespace())
	require.NoError(t, err)
	require.Equal(t, devserver.DefaultRetention, desc.GetConfig().GetWorkflowExecutionRetentionTtl().AsDuration())

	resp, err := http.Get(ts.UIAddress() + "/")
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, resp.Body.Close())
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Contains(t, strings.ToLower(string(body)), "<html")
}

func TestTemporalSQLiteFileSurvivesRestart(t *testing.T) {
	dbFile := filepath.Join(t.TempDir(), "temporal.db")
	opts := devserver.TemporalOptions{
		DBFile:           dbFile,
		Namespace:        "chuyenhoa",
		UIPort:           -1,
		Retention:        30 * 24 * time.Hour,
		SearchAttributes: map[string]enums.IndexedValueType{"CaseStatus": enums.INDEXED_VALUE_TYPE_KEYWORD},
	}
	first := startTemporal(t, opts)
	require.Equal(t, "", first.UIAddress())
	require.Equal(t, "chuyenhoa", first.Namespace())
	require.Equal(t, "xin chào, Huế", runGreet(t, dial(t, first), "greet-file", "Huế"))
	require.NoError(t, first.Stop())

	// The workflow is on disk: read the file with a connection of our own.
	db, err := sql.Open("sqlite", "file:"+dbFile+"?mode=ro")
	require.NoError(t, err)
	var status int
	require.NoError(t, db.QueryRow(`SELECT status FROM current_executions WHERE workflow_id = ?`, "greet-file").Scan(&status))
	var journal string
	require.NoError(t, db.QueryRow(`PRAGMA journal_mode`).Scan(&journal))
	require.NoError(t, db.Close())
	require.Equal(t, int(enums.WORKFLOW_EXECUTION_STATUS_COMPLETED), status)
	require.Equal(t, "wal", journal, "the file must be in WAL mode (≈50 wf/s instead of 5–8)")

	// A new server on the same file still has the namespace, its search
	// attribute and the completed workflow's history.
	second := startTemporal(t, opts)
	c := dial(t, second)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	desc, err := c.DescribeWorkflowExecution(ctx, "greet-file", "")
	require.NoError(t, err)
	require.Equal(t, enums.WORKFLOW_EXECUTION_STATUS_COMPLETED, desc.GetWorkflowExecutionInfo().GetStatus())

	var result string
	iter := c.GetWorkflowHistory(ctx, "greet-file", "", false, enums.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT)
	for iter.HasNext() {
		ev, err := iter.Next()
		require.NoError(t, err)
		if a := ev.GetWorkflowExecutionCompletedEventAttributes(); a != nil {
			require.NoError(t, converter.GetDefaultDataConverter().FromPayloads(a.GetResult(), &result))
		}
	}
	require.Equal(t, "xin chào, Huế", result)

	sa, err := c.OperatorService().ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: "chuyenhoa"})
	require.NoError(t, err)
	require.Equal(t, enums.INDEXED_VALUE_TYPE_KEYWORD, sa.GetCustomAttributes()["CaseStatus"])

	// New work still runs after the restart.
	require.Equal(t, "xin chào, Đà Nẵng", runGreet(t, c, "greet-file-2", "Đà Nẵng"))
}

// A taken port is an error from StartTemporal, not a hang or an exit of the
// process (ui-server exits through echo's Logger.Fatal when it cannot listen).
func TestTemporalPortInUse(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts func(port int) devserver.TemporalOptions
	}{
		{"frontend", func(port int) devserver.TemporalOptions {
			return devserver.TemporalOptions{FrontendPort: port, UIPort: -1}
		}},
		{"UI", func(port int) devserver.TemporalOptions { return devserver.TemporalOptions{UIPort: port} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			require.NoError(t, err)
			defer ln.Close()
			port := ln.Addr().(*net.TCPAddr).Port

			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			o := tc.opts(port)
			o.Logger = testLogger(t)
			ts, err := devserver.StartTemporal(ctx, o)
			if err == nil {
				_ = ts.Stop()
			}
			require.ErrorContains(t, err, strconv.Itoa(port))
			t.Logf("error: %v", err)
		})
	}
}

func TestPostgres(t *testing.T) {
	if _, err := devserver.FindPostgresBin(); err != nil {
		t.Skipf("no local PostgreSQL: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	start := time.Now()
	pg, err := devserver.StartPostgres(ctx, devserver.PostgresOptions{Logger: testLogger(t)})
	require.NoError(t, err)
	t.Logf("StartPostgres ready in %s: %s", time.Since(start).Round(time.Millisecond), pg.URL())
	t.Cleanup(func() { _ = pg.Stop() })
	require.DirExists(t, pg.Dir())

	db, err := sql.Open("postgres", pg.URL())
	require.NoError(t, err)
	defer db.Close()
	_, err = db.ExecContext(ctx, `CREATE TABLE commune (id serial PRIMARY KEY, name text NOT NULL)`)
	require.NoError(t, err)
	_, err = db.ExecContext(ctx, `INSERT INTO commune (name) VALUES ($1), ($2)`, "Xã Tân Hòa", "Phường Bến Nghé")
	require.NoError(t, err)
	var n int
	var encoding string
	require.NoError(t, db.QueryRowContext(ctx, `SELECT count(*), current_setting('server_encoding') FROM commune`).Scan(&n, &encoding))
	require.Equal(t, 2, n)
	require.Equal(t, "UTF8", encoding)
	require.NoError(t, db.Close())

	require.NoError(t, pg.Stop())
	_, err = os.Stat(pg.Dir())
	require.True(t, errors.Is(err, os.ErrNotExist), "data dir %s still there: %v", pg.Dir(), err)
	u, err := url.Parse(pg.URL())
	require.NoError(t, err)
	conn, err := net.DialTimeout("tcp", u.Host, time.Second)
	if err == nil {
		_ = conn.Close()
	}
	require.Error(t, err, "postgres still accepts connections after Stop")
}

// BenchmarkTemporalSQLiteFile measures Greet workflows per second, started
// 20 at a time, on a file-backed dev server (client, worker and server share
// this machine's cores).
func BenchmarkTemporalSQLiteFile(b *testing.B) {
	ctx := context.Background()
	ts, err := devserver.StartTemporal(ctx, devserver.TemporalOptions{
		DBFile: filepath.Join(b.TempDir(), "temporal.db"), UIPort: -1,
	})
	require.NoError(b, err)
	defer func() { require.NoError(b, ts.Stop()) }()
	c, err := client.Dial(client.Options{
		HostPort: ts.FrontendAddress(),
		Logger:   sdklog.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil))),
	})
	require.NoError(b, err)
	defer c.Close()
	w := worker.New(c, taskQueue, worker.Options{})
	w.RegisterWorkflow(Greet)
	w.RegisterActivity(Hello)
	require.NoError(b, w.Start())
	defer w.Stop()

	b.ResetTimer()
	start := time.Now()
	sem := make(chan struct{}, 20)
	errs := make(chan error, b.N)
	for i := range b.N {
		sem <- struct{}{}
		go func() {
			defer func() { <-sem }()
			run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
				ID: "bench-" + strconv.Itoa(i), TaskQueue: taskQueue,
			}, Greet, "x")
			if err == nil {
				err = run.Get(ctx, nil)
			}
			errs <- err
		}()
	}
	for range b.N {
		require.NoError(b, <-errs)
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "wf/s")
}
