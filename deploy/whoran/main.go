// Command whoran tells which worker processes ran a workflow: from the
// workflow's history it counts, per worker identity (the SDK's default is
// "pid@host@"), the workflow tasks each completed and the activities each
// ran, and lists every hand-over — a workflow task completed by another
// worker than the one before, as when a worker dies and the others take
// over. deploy/try.sh uses it to show its three workers sharing one cycle.
//
//	whoran [-label PID=NAME]... cycle/51/2027 [more workflow IDs]
//	whoran -all                # totals over every workflow of the namespace
//	whoran -all -v             # and each workflow's own table
//	whoran -all -count         # only how many workflows the namespace has
//	whoran -last cycle/51/2027 # only the identity of the last workflow task
//
// Connection from TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE (or the flags).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
)

// labels maps a worker's PID (the identity's first part) to a name.
type labels map[string]string

func (l labels) String() string { return fmt.Sprint(map[string]string(l)) }

func (l labels) Set(s string) error {
	pid, name, ok := strings.Cut(s, "=")
	if !ok || pid == "" || name == "" {
		return fmt.Errorf("want PID=NAME, got %q", s)
	}
	l[pid] = name
	return nil
}

func (l labels) name(identity string) string {
	pid, _, _ := strings.Cut(identity, "@")
	if n, ok := l[pid]; ok {
		return fmt.Sprintf("%s (%s)", n, identity)
	}
	return identity
}

func main() {
	address := flag.String("address", env("TEMPORAL_ADDRESS", client.DefaultHostPort), "Temporal frontend host:port (env TEMPORAL_ADDRESS)")
	namespace := flag.String("namespace", env("TEMPORAL_NAMESPACE", client.DefaultNamespace), "Temporal namespace (env TEMPORAL_NAMESPACE)")
	all := flag.Bool("all", false, "totals over every workflow of the namespace (from visibility) instead of the IDs given")
	verbose := flag.Bool("v", false, "with -all, each workflow's table too")
	count := flag.Bool("count", false, "with -all, print only the number of workflows")
	last := flag.Bool("last", false, "print only the identity of the worker that completed the last workflow task of the (one) workflow")
	names := labels{}
	flag.Var(names, "label", "name a worker by its PID: PID=NAME (repeatable)")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "Usage: whoran [flags] WORKFLOW_ID...\n\nWhich worker processes ran a workflow's tasks and activities, from its history.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	ids := flag.Args()
	if (len(ids) == 0) != *all || (*last && len(ids) != 1) || ((*verbose || *count) && !*all) {
		flag.Usage()
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	quiet := sdklog.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))
	c, err := client.DialContext(ctx, client.Options{HostPort: *address, Namespace: *namespace, Logger: quiet})
	if err != nil {
		fail(fmt.Errorf("connect to Temporal at %s (namespace %s): %w", *address, *namespace, err))
	}
	defer c.Close()
	if *all {
		if ids, err = list(ctx, c, *namespace); err != nil {
			fail(err)
		}
		if *count {
			fmt.Println(len(ids))
			return
		}
	}
	sum := &run{id: fmt.Sprintf("%d workflows", len(ids)), tasks: map[string]int{}, acts: map[string]map[string]int{}}
	runs := map[string]int{} // identity → workflows it worked on
	for i, id := range ids {
		r, err := read(ctx, c, id)
		if err != nil {
			fail(fmt.Errorf("workflow %s: %w", id, err))
		}
		if *last {
			if r.last == "" {
				fail(fmt.Errorf("workflow %s: no workflow task completed yet", id))
			}
			fmt.Println(r.last)
			return
		}
		if *all {
			sum.add(r, runs)
			for _, h := range r.handovers {
				fmt.Printf("%s: ", id)
				h.print(os.Stdout, names)
			}
			if !*verbose {
				continue
			}
		}
		if i > 0 {
			fmt.Println()
		}
		r.print(os.Stdout, names)
	}
	if *all {
		if *verbose {
			fmt.Println()
		}
		sum.status = "totals"
		sum.handovers = nil
		sum.printTotals(os.Stdout, names, runs)
	}
}

// add counts r's work into the totals s.
func (s *run) add(r *run, runs map[string]int) {
	s.events += r.events
	for _, who := range r.order {
		if _, ok := s.tasks[who]; !ok && s.acts[who] == nil {
			s.order = append(s.order, who)
		}
		runs[who]++
		s.tasks[who] += r.tasks[who]
		for t, k := range r.acts[who] {
			if s.acts[who] == nil {
				s.acts[who] = map[string]int{}
			}
			s.acts[who][t] += k
		}
	}
}

// printTotals prints the totals over many workflows.
func (s *run) printTotals(w io.Writer, names labels, runs map[string]int) {
	sort.Strings(s.order)
	fmt.Fprintf(w, "%s, %d events in all\n", s.id, s.events)
	tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
	fmt.Fprintln(tw, "  WORKER\tWORKFLOWS\tWORKFLOW TASKS\tACTIVITIES")
	for _, who := range s.order {
		acts, n := s.activities(who)
		fmt.Fprintf(tw, "  %s\t%d\t%d\t%d %s\n", names.name(who), runs[who], s.tasks[who], n, acts)
	}
	tw.Flush()
}

// activities lists who's activities by type, and their number.
func (r *run) activities(who string) (string, int) {
	var acts []string
	var n int
	for t, k := range r.acts[who] {
		acts = append(acts, fmt.Sprintf("%s×%d", t, k))
		n += k
	}
	sort.Strings(acts)
	return strings.Join(acts, " "), n
}

// list returns the IDs of every workflow of the namespace, oldest first.
func list(ctx context.Context, c client.Client, ns string) ([]string, error) {
	var ids []string
	var token []byte
	for {
		resp, err := c.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Namespace: ns, NextPageToken: token})
		if err != nil {
			return nil, fmt.Errorf("list workflows: %w", err)
		}
		for _, e := range resp.GetExecutions() {
			ids = append(ids, e.GetExecution().GetWorkflowId())
		}
		if token = resp.GetNextPageToken(); len(token) == 0 {
			break
		}
	}
	sort.Strings(ids)
	return ids, nil
}

// run is what one workflow's history says about its workers.
type run struct {
	id, runID string
	events    int64
	status    string
	tasks     map[string]int            // identity → workflow tasks completed
	acts      map[string]map[string]int // identity → activity type → started
	order     []string                  // identities in order of first appearance
	handovers []handover
	last      string // identity of the last workflow task completed
}

type handover struct {
	event    int64
	at       time.Time
	from, to string
}

func read(ctx context.Context, c client.Client, id string) (*run, error) {
	r := &run{id: id, tasks: map[string]int{}, acts: map[string]map[string]int{}}
	seen := map[string]bool{}
	note := func(identity string) {
		if !seen[identity] {
			seen[identity] = true
			r.order = append(r.order, identity)
		}
	}
	activityType := map[int64]string{} // scheduled event ID → type
	it := c.GetWorkflowHistory(ctx, id, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		e, err := it.Next()
		if err != nil {
			return nil, err
		}
		r.events = e.GetEventId()
		switch e.GetEventType() {
		case enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
			r.runID = e.GetWorkflowExecutionStartedEventAttributes().GetOriginalExecutionRunId()
		case enumspb.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
			who := e.GetWorkflowTaskCompletedEventAttributes().GetIdentity()
			note(who)
			r.tasks[who]++
			if r.last != "" && r.last != who {
				r.handovers = append(r.handovers, handover{event: e.GetEventId(), at: e.GetEventTime().AsTime(), from: r.last, to: who})
			}
			r.last = who
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
			activityType[e.GetEventId()] = e.GetActivityTaskScheduledEventAttributes().GetActivityType().GetName()
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_STARTED:
			a := e.GetActivityTaskStartedEventAttributes()
			who := a.GetIdentity()
			note(who)
			if r.acts[who] == nil {
				r.acts[who] = map[string]int{}
			}
			r.acts[who][activityType[a.GetScheduledEventId()]]++
		}
		r.status = closing(e)
	}
	return r, nil
}

// closing names the event that closed the run, or "running".
func closing(e *historypb.HistoryEvent) string {
	switch e.GetEventType() {
	case enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED,
		enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT, enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED,
		enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED, enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW:
		return strings.ToLower(strings.TrimPrefix(e.GetEventType().String(), "WorkflowExecution"))
	}
	return "running"
}

func (r *run) print(w io.Writer, names labels) {
	fmt.Fprintf(w, "%s: %d events, %s\n", r.id, r.events, r.status)
	tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
	fmt.Fprintln(tw, "  WORKER\tWORKFLOW TASKS\tACTIVITIES")
	for _, who := range r.order {
		acts, n := r.activities(who)
		fmt.Fprintf(tw, "  %s\t%d\t%d %s\n", names.name(who), r.tasks[who], n, acts)
	}
	tw.Flush()
	for _, h := range r.handovers {
		fmt.Fprint(w, "  ")
		h.print(w, names)
	}
}

func (h handover) print(w io.Writer, names labels) {
	fmt.Fprintf(w, "hand-over at event %d, %s: %s → %s\n", h.event, h.at.Local().Format("15:04:05.000"), short(names, h.from), short(names, h.to))
}

// short is a worker's label, or its identity when it has none.
func short(names labels, identity string) string {
	pid, _, _ := strings.Cut(identity, "@")
	if n, ok := names[pid]; ok {
		return n
	}
	return identity
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "whoran:", err)
	os.Exit(1)
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
