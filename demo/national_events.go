package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"

	"chuyenhoa/workflows/selection"
	"chuyenhoa/workflows/transformation"
)

// eventCosts attributes the events of workflow histories to what caused
// them. A workflow task's three events (scheduled, started, completed) and
// the commands it records (activities scheduled, timers, markers, updates
// accepted and completed, signals sent) form a group; an activity's start
// and end, a timer's firing and a sent signal's delivery belong to the
// group that scheduled them. A group that accepts or completes updates is
// charged to them, shared equally; any other group (tasks opened, their
// reminders, phase changes, documents…) is overhead.
type eventCosts struct {
	events   map[string]float64            // by update name
	kinds    map[string]map[string]float64 // by update name, then event type
	updates  map[string]int                // updates completed, by name
	overhead int64
	total    int64
}

func newEventCosts() *eventCosts {
	return &eventCosts{events: map[string]float64{}, kinds: map[string]map[string]float64{}, updates: map[string]int{}}
}

// add attributes the events of one history.
func (e *eventCosts) add(events []*historypb.HistoryEvent) {
	type group struct {
		events  int
		kinds   map[string]int
		updates []string
	}
	var groups []*group
	cur := -1
	groupOf := map[int64]int{} // event ID → group
	names := map[string]string{}
	join := func(g int, ev *historypb.HistoryEvent) {
		if g < 0 {
			e.overhead++
			return
		}
		groups[g].events++
		groups[g].kinds[eventKind(ev.GetEventType())]++
		groupOf[ev.GetEventId()] = g
	}
	for _, ev := range events {
		e.total++
		switch ev.GetEventType() {
		case enumspb.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED:
			groups = append(groups, &group{kinds: map[string]int{}})
			cur = len(groups) - 1
			join(cur, ev)
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_STARTED:
			join(groupOrNone(groupOf, ev.GetActivityTaskStartedEventAttributes().GetScheduledEventId()), ev)
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
			join(groupOrNone(groupOf, ev.GetActivityTaskCompletedEventAttributes().GetScheduledEventId()), ev)
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_FAILED:
			join(groupOrNone(groupOf, ev.GetActivityTaskFailedEventAttributes().GetScheduledEventId()), ev)
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT:
			join(groupOrNone(groupOf, ev.GetActivityTaskTimedOutEventAttributes().GetScheduledEventId()), ev)
		case enumspb.EVENT_TYPE_TIMER_FIRED:
			join(groupOrNone(groupOf, ev.GetTimerFiredEventAttributes().GetStartedEventId()), ev)
		case enumspb.EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_SIGNALED:
			join(groupOrNone(groupOf, ev.GetExternalWorkflowExecutionSignaledEventAttributes().GetInitiatedEventId()), ev)
		case enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
			a := ev.GetWorkflowExecutionUpdateAcceptedEventAttributes().GetAcceptedRequest()
			names[a.GetMeta().GetUpdateId()] = a.GetInput().GetName()
			join(cur, ev)
			if cur >= 0 {
				groups[cur].updates = append(groups[cur].updates, a.GetInput().GetName())
			}
		case enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED:
			name := names[ev.GetWorkflowExecutionUpdateCompletedEventAttributes().GetMeta().GetUpdateId()]
			e.updates[name]++
			join(cur, ev)
			if cur >= 0 {
				groups[cur].updates = append(groups[cur].updates, name)
			}
		case enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED, enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
			e.overhead++ // sent from outside
		default:
			join(cur, ev) // the workflow task's own events and its commands
		}
	}
	for _, g := range groups {
		if len(g.updates) == 0 {
			e.overhead += int64(g.events)
			continue
		}
		share := float64(g.events) / float64(len(g.updates))
		for _, n := range g.updates {
			e.events[n] += share
			if e.kinds[n] == nil {
				e.kinds[n] = map[string]float64{}
			}
			for k, c := range g.kinds {
				e.kinds[n][k] += float64(c) / float64(len(g.updates))
			}
		}
	}
}

func groupOrNone(groupOf map[int64]int, id int64) int {
	if g, ok := groupOf[id]; ok {
		return g
	}
	return -1
}

// per is the events per completed update of that name (0 if none).
func (e *eventCosts) per(name string) float64 {
	if e.updates[name] == 0 {
		return 0
	}
	return e.events[name] / float64(e.updates[name])
}

// eventKind is an event type's short name ("TimerCanceled": the API's
// enums print in camel case).
func eventKind(t enumspb.EventType) string {
	return strings.TrimPrefix(t.String(), "EventType")
}

// breakdown is what the events per task of that name are, by type, most
// first: "3 WorkflowTask…, 1.0 MarkerRecorded, …".
func (e *eventCosts) breakdown(name string) string {
	n := float64(e.updates[name])
	if n == 0 {
		return ""
	}
	type kv struct {
		k string
		v float64
	}
	var kvs []kv
	for k, v := range e.kinds[name] {
		kvs = append(kvs, kv{k, v / n})
	}
	sort.Slice(kvs, func(i, j int) bool {
		if kvs[i].v != kvs[j].v {
			return kvs[i].v > kvs[j].v
		}
		return kvs[i].k < kvs[j].k
	})
	parts := make([]string, 0, len(kvs))
	for _, x := range kvs {
		parts = append(parts, fmt.Sprintf("%s %.2f", x.k, x.v))
	}
	return strings.Join(parts, ", ")
}

// maxCommuneHistories bounds the commune histories read for the figures:
// they are alike, and reading thousands would lengthen the summary.
const maxCommuneHistories = 300

// history reads a run's whole history.
func history(ctx context.Context, c client.Client, id, runID string) ([]*historypb.HistoryEvent, error) {
	it := c.GetWorkflowHistory(ctx, id, runID, false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	var out []*historypb.HistoryEvent
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			return nil, err
		}
		out = append(out, ev)
	}
	return out, nil
}

// printEventCosts prints the events per officer's task, read from the
// histories of the runs given (every cycle run, a sample of communes).
func (r *nationalRun) printEventCosts(ctx context.Context, out io.Writer, cycles, communes [][2]string) error {
	cyc, com := newEventCosts(), newEventCosts()
	for _, run := range cycles {
		evs, err := history(ctx, r.c, run[0], run[1])
		if err != nil {
			return err
		}
		cyc.add(evs)
	}
	for _, run := range communes {
		evs, err := history(ctx, r.c, run[0], run[1])
		if err != nil {
			return err
		}
		com.add(evs)
	}
	fmt.Fprintf(out, "  Events per task      proposal %.1f (%d proposals), consolidation %.1f, issue %.1f",
		cyc.per(selection.UpdateSubmitProposal), cyc.updates[selection.UpdateSubmitProposal],
		cyc.per(selection.UpdateConsolidate), cyc.per(selection.UpdateIssue))
	if len(communes) > 0 {
		fmt.Fprintf(out, "; report %.1f (%d reports in %d commune runs read)", com.per(transformation.UpdateSubmitReport), com.updates[transformation.UpdateSubmitReport], len(communes))
	}
	fmt.Fprintf(out, " — the update's workflow task and what it records; besides, the cycles' other work (tasks opened, reminders, phases, documents) %s of their %s events\n",
		grouped(int(cyc.overhead)), grouped(int(cyc.total)))
	fmt.Fprintf(out, "    a proposal's        %s\n", cyc.breakdown(selection.UpdateSubmitProposal))
	if len(communes) > 0 {
		fmt.Fprintf(out, "    a report's          %s\n", com.breakdown(transformation.UpdateSubmitReport))
	}
	return nil
}
