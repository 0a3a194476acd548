package e2e

// What the fault test's kills cost: for every SIGKILL, the steps the
// killed worker held (the activities it had started, the workflow tasks
// pending then) and how long each took to resume on another worker and
// to complete; and how long the activities take when nothing is killed,
// which is what their timeouts are sized on. Printed only: the house
// rule is no timing assertion in tests.

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
)

// faultRecoveryWatch is how long a kill's held steps are watched before
// they are reported as not resumed.
const faultRecoveryWatch = 3 * time.Minute

// faultHeld is a step a killed worker held.
type faultHeld struct {
	wid, what string
	// resumed is the time from the kill until another worker started the
	// step (or it completed); completed, until it completed. Zero while
	// not (yet) observed.
	resumed, completed time.Duration
}

func (h faultHeld) String() string {
	s := fmt.Sprintf("%s of %s", h.what, h.wid)
	switch {
	case h.resumed == 0:
		return s + " not resumed within " + faultRecoveryWatch.String()
	case h.completed == 0:
		return fmt.Sprintf("%s resumed after %s (completion not seen)", s, faultSeconds(h.resumed))
	}
	return fmt.Sprintf("%s resumed after %s, completed after %s", s, faultSeconds(h.resumed), faultSeconds(h.completed))
}

// faultKillRecovery is one SIGKILL and what it cost.
type faultKillRecovery struct {
	n, slot, pid int
	at           time.Time
	why          string
	held         []faultHeld
}

// recovery is the time from the kill until the last of the held steps
// resumed on another worker (false if it held none).
func (k *faultKillRecovery) recovery() (time.Duration, bool) {
	var max time.Duration
	for _, h := range k.held {
		if h.resumed == 0 {
			return faultRecoveryWatch, true
		}
		if h.resumed > max {
			max = h.resumed
		}
	}
	return max, len(k.held) > 0
}

// faultRecovery watches the workflows after every kill (its onKill is
// faultWorkers.onKill).
type faultRecovery struct {
	t     *testing.T
	ctx   context.Context
	c     client.Client
	began time.Time
	wids  func() []string // the workflows to watch: the cycle and its communes

	mu    sync.Mutex
	kills []*faultKillRecovery
	wg    sync.WaitGroup
}

func (r *faultRecovery) onKill(p *faultProc, n int, at time.Time, why string) {
	k := &faultKillRecovery{n: n, slot: p.slot, pid: p.cmd.Process.Pid, at: at, why: why}
	r.mu.Lock()
	r.kills = append(r.kills, k)
	r.mu.Unlock()
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		r.watch(k)
	}()
}

func (r *faultRecovery) describe(wid string) (*workflowservice.DescribeWorkflowExecutionResponse, error) {
	ctx, cancel := context.WithTimeout(r.ctx, 5*time.Second)
	defer cancel()
	return r.c.DescribeWorkflowExecution(ctx, wid, "")
}

// watch finds the steps k's worker held and polls until each has resumed
// on another worker and completed.
func (r *faultRecovery) watch(k *faultKillRecovery) {
	identity := strconv.Itoa(k.pid) + "@" // the SDK's default identity: pid@host@
	type act struct {
		held *faultHeld
		id   string
	}
	type task struct {
		held      *faultHeld
		scheduled time.Time
	}
	var acts []act
	var tasks []task
	wids := r.wids()
	for _, wid := range wids {
		desc, err := r.describe(wid)
		if err != nil {
			continue
		}
		for _, pa := range desc.GetPendingActivities() {
			if pa.GetState() == enumspb.PENDING_ACTIVITY_STATE_STARTED && strings.HasPrefix(pa.GetLastWorkerIdentity(), identity) {
				acts = append(acts, act{&faultHeld{wid: wid, what: pa.GetActivityType().GetName()}, pa.GetActivityId()})
			}
		}
		if wt := desc.GetPendingWorkflowTask(); wt != nil {
			tasks = append(tasks, task{&faultHeld{wid: wid, what: "workflow task"}, wt.GetScheduledTime().AsTime()})
		}
	}
	// A workflow task pending at the kill counts as held if it is still
	// there half a second later: another worker would have done it by then.
	time.Sleep(500 * time.Millisecond)
	kept := tasks[:0]
	for _, tk := range tasks {
		desc, err := r.describe(tk.held.wid)
		if err == nil && desc.GetPendingWorkflowTask() != nil && desc.GetPendingWorkflowTask().GetScheduledTime().AsTime().Equal(tk.scheduled) {
			kept = append(kept, tk)
		}
	}
	tasks = kept
	deadline := k.at.Add(faultRecoveryWatch)
	for time.Now().Before(deadline) && r.ctx.Err() == nil {
		descs := map[string]*workflowservice.DescribeWorkflowExecutionResponse{}
		get := func(wid string) *workflowservice.DescribeWorkflowExecutionResponse {
			if d, ok := descs[wid]; ok {
				return d
			}
			d, err := r.describe(wid)
			if err != nil {
				d = nil
			}
			descs[wid] = d
			return d
		}
		done := true
		now := time.Since(k.at)
		for _, a := range acts {
			if a.held.completed != 0 {
				continue
			}
			desc := get(a.held.wid)
			if desc == nil {
				done = false
				continue
			}
			var pending bool
			for _, pa := range desc.GetPendingActivities() {
				if pa.GetActivityId() != a.id {
					continue
				}
				pending = true
				if a.held.resumed == 0 && pa.GetState() == enumspb.PENDING_ACTIVITY_STATE_STARTED && !strings.HasPrefix(pa.GetLastWorkerIdentity(), identity) {
					a.held.resumed = pa.GetLastStartedTime().AsTime().Sub(k.at)
					if a.held.resumed <= 0 {
						a.held.resumed = now
					}
				}
			}
			if !pending {
				if a.held.resumed == 0 {
					a.held.resumed = now
				}
				a.held.completed = now
				continue
			}
			done = false
		}
		for _, tk := range tasks {
			if tk.held.resumed != 0 {
				continue
			}
			desc := get(tk.held.wid)
			if desc == nil {
				done = false
				continue
			}
			wt := desc.GetPendingWorkflowTask()
			switch {
			case wt == nil:
				tk.held.resumed, tk.held.completed = now, now
			case !wt.GetScheduledTime().AsTime().Equal(tk.scheduled) && wt.GetState() == enumspb.PENDING_WORKFLOW_TASK_STATE_STARTED:
				tk.held.resumed = now // timed out and picked up again
				done = false
			default:
				done = false
			}
		}
		if done {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	r.mu.Lock()
	for _, a := range acts {
		k.held = append(k.held, *a.held)
	}
	for _, tk := range tasks {
		k.held = append(k.held, *tk.held)
	}
	r.mu.Unlock()
	if len(k.held) == 0 {
		r.t.Logf("recovery: SIGKILL #%d (worker %d, pid %d, +%s): it held no step (no activity started on it, no workflow task left pending)",
			k.n, k.slot, k.pid, faultSeconds(k.at.Sub(r.began)))
		return
	}
	var parts []string
	for _, h := range k.held {
		parts = append(parts, h.String())
	}
	rec, _ := k.recovery()
	r.t.Logf("recovery: SIGKILL #%d (worker %d, pid %d, +%s, %s): back after %s — %s",
		k.n, k.slot, k.pid, faultSeconds(k.at.Sub(r.began)), k.why, faultSeconds(rec), strings.Join(parts, "; "))
}

// summary waits for the watches and says what the kills cost.
func (r *faultRecovery) summary() string {
	r.wg.Wait()
	r.mu.Lock()
	defer r.mu.Unlock()
	var recs []time.Duration
	var completed time.Duration
	steps := 0
	for _, k := range r.kills {
		if d, ok := k.recovery(); ok {
			recs = append(recs, d)
			steps += len(k.held)
			for _, h := range k.held {
				if h.completed > completed {
					completed = h.completed
				}
			}
		}
	}
	if len(recs) == 0 {
		return fmt.Sprintf("%d SIGKILLs, none held a step", len(r.kills))
	}
	sort.Slice(recs, func(i, j int) bool { return recs[i] < recs[j] })
	var all []string
	for _, d := range recs {
		all = append(all, faultSeconds(d))
	}
	return fmt.Sprintf("%d SIGKILLs, %d of them held %d steps; kill → the held steps resumed on another worker: median %s, max %s (each: %s); the slowest held step completed %s after its kill",
		len(r.kills), len(recs), steps, faultSeconds(recs[len(recs)/2]), faultSeconds(recs[len(recs)-1]), strings.Join(all, " "), faultSeconds(completed))
}

func faultSeconds(d time.Duration) string {
	return fmt.Sprintf("%.1fs", d.Seconds())
}

// faultRuns returns the history of every run of a workflow, the first
// run first (a run that continued as new names its predecessor).
func faultRuns(ctx context.Context, c client.Client, wid string) ([][]*historypb.HistoryEvent, error) {
	var runs [][]*historypb.HistoryEvent
	runID := ""
	for {
		it := c.GetWorkflowHistory(ctx, wid, runID, false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
		var events []*historypb.HistoryEvent
		for it.HasNext() {
			ev, err := it.Next()
			if err != nil {
				return nil, fmt.Errorf("history of %s %s: %w", wid, runID, err)
			}
			events = append(events, ev)
		}
		runs = append([][]*historypb.HistoryEvent{events}, runs...)
		if len(events) == 0 {
			return runs, nil
		}
		runID = events[0].GetWorkflowExecutionStartedEventAttributes().GetContinuedExecutionRunId()
		if runID == "" {
			return runs, nil
		}
	}
}

// faultActivityDurations says, per activity type, how long the attempts
// that completed took (from their start to their completion, as the
// histories record them): what the activities' timeouts are sized on.
func faultActivityDurations(ctx context.Context, t *testing.T, c client.Client, wids []string) string {
	took := map[string][]time.Duration{}
	for _, wid := range wids {
		runs, err := faultRuns(ctx, c, wid)
		if err != nil {
			t.Logf("activity durations: %v", err)
			continue
		}
		for _, events := range runs {
			types := map[int64]string{}
			started := map[int64]time.Time{}
			for _, ev := range events {
				if a := ev.GetActivityTaskScheduledEventAttributes(); a != nil {
					types[ev.GetEventId()] = a.GetActivityType().GetName()
				}
				if a := ev.GetActivityTaskStartedEventAttributes(); a != nil {
					started[ev.GetEventId()] = ev.GetEventTime().AsTime()
				}
				if a := ev.GetActivityTaskCompletedEventAttributes(); a != nil {
					if s, ok := started[a.GetStartedEventId()]; ok {
						name := types[a.GetScheduledEventId()]
						took[name] = append(took[name], ev.GetEventTime().AsTime().Sub(s))
					}
				}
			}
		}
	}
	var names []string
	for n := range took {
		names = append(names, n)
	}
	sort.Strings(names)
	var parts []string
	for _, n := range names {
		ds := took[n]
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		parts = append(parts, fmt.Sprintf("%s ×%d median %s max %s", n, len(ds), ds[len(ds)/2].Round(time.Millisecond), ds[len(ds)-1].Round(time.Millisecond)))
	}
	return strings.Join(parts, "; ")
}
