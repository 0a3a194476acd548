package e2e

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"

	"chuyenhoa/api"
	"chuyenhoa/cycle"
	"chuyenhoa/sample"
	"chuyenhoa/workflows/selection"
)

var (
	load         = flag.Bool("load", false, "run the API load test (TestAPILoad)")
	loadOfficers = flag.Int("load.officers", 200, "concurrent officers in the load test")
	loadLists    = flag.Int("load.lists", 5, "inbox listings per officer before and after completing their task")
	loadTimeout  = flag.Duration("load.timeout", 3*time.Minute, "bound on the load test's loop")
	loadCost     = flag.Int("load.cost", bcrypt.MinCost, "bcrypt cost of the officers' password hashes (production: 10)")
)

// TestAPILoad is a bounded load test over loopback: N officers (200 by
// default), each with an account of their own, sign in at once, list their
// inbox, complete their task (a proposal, through the Temporal update) and
// list again, against the real server stack in this process (Temporal in
// memory, PostgreSQL, the worker, the API). Officers are spread over as
// many yearly cycles as it takes (12 units per cycle of Quảng Ngãi). It
// reports throughput, latency percentiles per operation (a sign-in refused
// 503 past the server's queue is waited out per its Retry-After and sent
// again, as a client does: its sample is the whole wait) and history
// events per completion; it asserts only that every request succeeded and
// every task was completed once.
//
//	go test ./e2e -run TestAPILoad -count=1 -v -args -load [-load.officers 200]
func TestAPILoad(t *testing.T) {
	if !*load {
		t.Skip("the load test runs with -args -load")
	}
	api.PasswordCost = bcrypt.MinCost
	e := startAPI(t)
	e.db.LimitConnections(20)
	e.cost = *loadCost
	units := e.prov.Units()
	proposals := map[string]cycle.Proposal{}
	years := (*loadOfficers + len(units) - 1) / len(units)
	for y := range years {
		year := 2027 + y
		for _, p := range sample.Proposals(e.prov, e.pol, year) {
			proposals[fmt.Sprint(year, "/", p.Unit)] = p
		}
	}
	start := time.Now()
	for y := range years {
		e.startCycle(2027 + y)
	}
	t.Logf("started %d cycles in %s", years, time.Since(start).Round(time.Millisecond))
	type officer struct {
		id   string
		year int
		unit string
	}
	officers := make([]officer, *loadOfficers)
	for i := range officers {
		o := officer{year: 2027 + i/len(units), unit: units[i%len(units)]}
		o.id = fmt.Sprintf("ca.%s.%d", o.unit, o.year)
		e.account(o.id, cycle.RoleDistrictOfficer, o.unit)
		officers[i] = o
	}

	// Requests go through a client with enough idle connections for everyone.
	hc := &http.Client{Transport: &http.Transport{MaxIdleConns: 1000, MaxIdleConnsPerHost: 1000}, Timeout: *loadTimeout}
	type sampleT struct {
		op  string
		d   time.Duration
		err error
	}
	samples := make(chan sampleT, *loadOfficers*(2**loadLists+2))
	var busy atomic.Int64 // 503s with Retry-After waited out
	do := func(op, method, path, token, ct, key string, body []byte) ([]byte, error) {
		req, err := http.NewRequestWithContext(e.ctx, method, e.srv.URL+path, bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		if key != "" {
			req.Header.Set("Idempotency-Key", key)
		}
		t0 := time.Now()
		var out []byte
		// A 503 with Retry-After (the sign-ins queued past the server's
		// limit) is waited out and sent again, as an officer's client
		// does: the sample is the whole time to an answer.
		for attempt := 0; ; attempt++ {
			var resp *http.Response
			resp, err = hc.Do(req)
			out = nil
			if err != nil {
				break
			}
			dec := json.NewDecoder(resp.Body)
			var raw json.RawMessage
			if derr := dec.Decode(&raw); derr == nil {
				out = raw
			}
			resp.Body.Close()
			if wait, _ := strconv.Atoi(resp.Header.Get("Retry-After")); resp.StatusCode == http.StatusServiceUnavailable && wait > 0 && attempt < 20 {
				busy.Add(1)
				time.Sleep(time.Duration(wait) * time.Second)
				req.Body = io.NopCloser(bytes.NewReader(body))
				continue
			}
			if resp.StatusCode >= 300 {
				err = fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, out)
			}
			break
		}
		samples <- sampleT{op: op, d: time.Since(t0), err: err}
		return out, err
	}

	var wg sync.WaitGroup
	gate := make(chan struct{})
	loopStart := time.Now()
	for _, o := range officers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-gate
			body, err := do("sign-in", "POST", "/api/session", "", "application/json", "", jsonBody(t, api.SignInRequest{Account: o.id, Password: testPassword}))
			if err != nil {
				return
			}
			var s api.SessionResponse
			if json.Unmarshal(body, &s) != nil {
				return
			}
			for range *loadLists {
				if _, err := do("list-tasks", "GET", "/api/tasks", s.Token, "", "", nil); err != nil {
					return
				}
			}
			p := proposals[fmt.Sprint(o.year, "/", o.unit)]
			if _, err := do("complete-task", "POST", fmt.Sprintf("/api/tasks/cycle/%s/%d/submit_proposal/%s", e.prov.Code, o.year, o.unit), s.Token, "application/json", "load-"+o.id, jsonBody(t, p)); err != nil {
				return
			}
			for range *loadLists {
				if _, err := do("list-tasks", "GET", "/api/tasks", s.Token, "", "", nil); err != nil {
					return
				}
			}
		}()
	}
	close(gate)
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(*loadTimeout):
		t.Fatalf("the load loop did not finish within %s", *loadTimeout)
	}
	wall := time.Since(loopStart)
	close(samples)

	byOp := map[string][]time.Duration{}
	var errs []error
	total := 0
	for s := range samples {
		total++
		if s.err != nil {
			errs = append(errs, s.err)
			continue
		}
		byOp[s.op] = append(byOp[s.op], s.d)
	}
	var report strings.Builder
	fmt.Fprintf(&report, "load (bcrypt cost %d): %d officers, %d cycles, %d requests in %s: %.1f requests/s; %d completions: %.1f completions/s; %d answers 503 (Retry-After) waited out and sent again\n",
		e.cost, len(officers), years, total, wall.Round(time.Millisecond), float64(total)/wall.Seconds(), len(byOp["complete-task"]), float64(len(byOp["complete-task"]))/wall.Seconds(), busy.Load())
	ops := make([]string, 0, len(byOp))
	for op := range byOp {
		ops = append(ops, op)
	}
	sort.Strings(ops)
	for _, op := range ops {
		ds := byOp[op]
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		pct := func(p float64) time.Duration { return ds[min(len(ds)-1, int(p*float64(len(ds))))] }
		fmt.Fprintf(&report, "  %-14s n=%-5d p50=%-9s p95=%-9s p99=%-9s max=%s\n", op, len(ds),
			pct(0.50).Round(time.Millisecond/10), pct(0.95).Round(time.Millisecond/10), pct(0.99).Round(time.Millisecond/10), ds[len(ds)-1].Round(time.Millisecond/10))
	}
	// The history events each completion cost its cycle, all in: the
	// cycles' histories (started, their tasks opened, the proposals)
	// over the completions.
	events := int64(0)
	for y := range years {
		d, err := e.c.DescribeWorkflowExecution(e.ctx, selection.WorkflowID(e.prov.Code, 2027+y), "")
		require.NoError(t, err)
		events += d.GetWorkflowExecutionInfo().GetHistoryLength()
	}
	if n := len(byOp["complete-task"]); n > 0 {
		fmt.Fprintf(&report, "  history events: %d in the %d cycles, %.1f per completion (the cycles' start and task openings included)\n", events, years, float64(events)/float64(n))
	}
	t.Log("\n" + report.String())
	fmt.Print(report.String())
	require.Empty(t, errs, "every request succeeds (first: %v)", first(errs))
	require.Len(t, byOp["complete-task"], len(officers))

	// Every task was completed once: each unit of each cycle at revision 1.
	for y := range years {
		var st selection.CycleState
		r := e.call("GET", fmt.Sprintf("/api/cycles/%s/%d", e.prov.Code, 2027+y), e.signIn(officers[0].id), "", nil)
		require.Equal(t, http.StatusOK, r.Status)
		require.NoError(t, json.Unmarshal(r.Body, &st))
		for _, u := range st.Units {
			if u.Submitted {
				require.Equal(t, 1, u.Revision, "cycle %d unit %s", 2027+y, u.Unit)
			}
		}
	}
	n, err := e.db.VerifyAudit(e.ctx)
	require.NoError(t, err)
	t.Logf("audit trail: %d rows, chain intact", n)
}

func first(errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	return errs[0]
}
