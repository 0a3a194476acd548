package flow

import (
	"context"
	"fmt"
	"slices"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/workflow"

	"chuyenhoa/cycle"
)

// Tasks is the part of a workflow's state that its TaskBook keeps: the
// open officer tasks, in opening order, and how many times each task was
// opened (a list returned by the council opens its tasks again). It is
// carried whole through continue-as-new.
type Tasks struct {
	Open   []cycle.Task    `json:"open,omitempty"`
	Opened map[string]int  `json:"opened,omitempty"`
	Closed map[string]bool `json:"closed,omitempty"`
}

// TaskBook keeps a workflow's open officer tasks: in the workflow's state
// (for queries and validators), in the store's read model (the officers'
// inbox), and with their reminders, overdue notice and escalations, raised
// in coroutines that never block the workflow.
type TaskBook struct {
	state     *Tasks
	cycleID   string
	reminders cycle.Reminders
	unitName  func(string) string // names a task's unit in messages
	busy      map[string]bool     // task IDs being completed (an update handler is running)
	// Clock is the calendar alerts are raised on (zero: real time).
	Clock Clock
	// Born is the changes the run was started with (TaskBatches among
	// them: the book does not ask its version).
	Born    Born
	pending []openedTask // opened since the last flush, in opening order
}

// TaskBatches is the change that opens a workflow's tasks in batches and
// records completions with a local activity: every task opened in one
// workflow task goes to the read model in one OpenTasks activity, and
// the tasks of one batch that share a due date get their reminders,
// overdue notice and escalations from one timer per alert and one
// NotifyAll activity — instead of an activity and a timer per task
// (issue 18: about 13 history events per proposal before it). A
// completion (Complete) is then one marker in the history, not an
// activity's three events and a workflow task of its own. Histories
// recorded before it keep their per-task activities and timers.
const TaskBatches = "task-batches"

// OpensLocally is the change from which a batch of at most LocalBatch
// tasks is written to the read model by a local activity: one marker in
// the workflow task that opens it, where an activity costs its three
// events and a workflow task of its own (three more) — a commune's report,
// review and plan tasks are opened one at a time. Larger batches (a
// cycle's proposals) keep the activity, whose timeout grows with the
// batch. Runs started before it keep their activities.
const OpensLocally = "opens-locally"

// LocalBatch is the largest batch a local activity opens (OpensLocally):
// its store writes take milliseconds each, well inside a workflow task.
const LocalBatch = 20

// openedTask is a task waiting for its batch, with its opening round.
type openedTask struct {
	t             cycle.Task
	round         int
	remindersOnly bool
}

// batched reports whether the run has TaskBatches: the first ask of a run
// records its marker, and the SDK answers the same to the next ones.
func (b *TaskBook) batched(ctx workflow.Context) bool { return b.Born.Has(ctx, TaskBatches) }

// NewTaskBook returns the book of a workflow whose tasks belong to cycleID
// (a commune's tasks belong to its cohort's cycle), keeping its state in
// state.
func NewTaskBook(state *Tasks, cycleID string, r cycle.Reminders, unitName func(string) string) *TaskBook {
	if state.Opened == nil {
		state.Opened = map[string]int{}
	}
	if state.Closed == nil {
		state.Closed = map[string]bool{}
	}
	return &TaskBook{state: state, cycleID: cycleID, reminders: r, unitName: unitName, busy: map[string]bool{}}
}

// Open opens a task: it records it in the read model and, in its own
// coroutine, raises its reminders, overdue notice and escalations until it
// is closed. Nothing here blocks the workflow. A task opened again (a list
// returned by the council) raises its alerts as a new round.
func (b *TaskBook) Open(ctx workflow.Context, t cycle.Task) { b.open(ctx, t, false) }

// OpenClosingAtDue opens a task that closes by itself when its due date
// ends (nominations close at their deadline): it gets its reminders, but
// no overdue notice or escalation, which would race the closing.
func (b *TaskBook) OpenClosingAtDue(ctx workflow.Context, t cycle.Task) { b.open(ctx, t, true) }

func (b *TaskBook) open(ctx workflow.Context, t cycle.Task, remindersOnly bool) {
	t.CycleID = b.cycleID
	t.OpenedAt = b.Clock.Now(ctx)
	if t.Opened.IsZero() {
		t.Opened = b.Clock.Today(ctx)
	}
	delete(b.state.Closed, t.ID)
	b.state.Opened[t.ID]++
	round := b.state.Opened[t.ID]
	b.state.Open = append(b.state.Open, t)
	if b.batched(ctx) {
		// The first task of a batch starts its flush, which runs once
		// this workflow task's code has opened all it opens.
		if len(b.pending) == 0 {
			workflow.Go(ctx, b.flush)
		}
		b.pending = append(b.pending, openedTask{t: t, round: round, remindersOnly: remindersOnly})
		return
	}
	gone := func() bool { return b.state.Closed[t.ID] || b.state.Opened[t.ID] != round }
	workflow.Go(ctx, func(ctx workflow.Context) {
		ctx = WithActivityOptions(ctx)
		var a *Activities
		if err := workflow.ExecuteActivity(ctx, a.OpenTask, t).Get(ctx, nil); err != nil {
			workflow.GetLogger(ctx).Error("open task", "cycle", b.cycleID, "task", t.ID, "error", err)
		}
		for _, al := range b.reminders.Schedule(t.Due, b.Clock.Now(ctx)) {
			if remindersOnly && al.Kind != cycle.NotifyReminder {
				return
			}
			if done, err := b.Clock.AwaitUntil(ctx, al.At, gone); err != nil || done {
				return
			}
			if gone() {
				return
			}
			n := b.notification(t, al)
			n.Round = round
			if err := workflow.ExecuteActivity(ctx, a.Notify, Alert{Notification: n, At: b.Clock.Now(ctx)}).Get(ctx, nil); err != nil {
				workflow.GetLogger(ctx).Error("notify", "cycle", b.cycleID, "task", t.ID, "kind", al.Kind, "error", err)
			}
		}
	})
}

// flush writes the pending tasks to the read model in one activity, then
// raises the alerts of each group of them due on the same date (and of the
// same kind of opening) in a coroutine of its own: one timer per alert of
// the group, one NotifyAll for the tasks of the group still open then.
func (b *TaskBook) flush(ctx workflow.Context) {
	batch := b.pending
	b.pending = nil
	tasks := make([]cycle.Task, len(batch))
	for i, o := range batch {
		tasks[i] = o.t
	}
	var a *Activities
	var opened workflow.Future
	// OpensLocally is asked only by a run that opens a small batch.
	if len(tasks) <= LocalBatch && b.Born.Has(ctx, OpensLocally) {
		opened = workflow.ExecuteLocalActivity(WithLocalActivityOptions(ctx), a.OpenTasks, tasks)
	} else {
		opened = workflow.ExecuteActivity(withBatchOptions(ctx, len(tasks)), a.OpenTasks, tasks)
	}
	if err := opened.Get(ctx, nil); err != nil {
		workflow.GetLogger(ctx).Error("open tasks", "cycle", b.cycleID, "tasks", len(tasks), "error", err)
	}
	// Groups in the order of their first task: the same on every replay.
	var groups [][]openedTask
	for _, o := range batch {
		i := slices.IndexFunc(groups, func(g []openedTask) bool {
			return g[0].t.Due == o.t.Due && g[0].remindersOnly == o.remindersOnly
		})
		if i < 0 {
			groups = append(groups, nil)
			i = len(groups) - 1
		}
		groups[i] = append(groups[i], o)
	}
	for _, g := range groups {
		workflow.Go(ctx, func(ctx workflow.Context) { b.alert(ctx, g) })
	}
}

// alert raises the alerts of a group of tasks due on the same date, each
// to the tasks of the group still open (in the round they were opened in)
// when it comes, until none is.
func (b *TaskBook) alert(ctx workflow.Context, g []openedTask) {
	live := func() []openedTask {
		var out []openedTask
		for _, o := range g {
			if !b.state.Closed[o.t.ID] && b.state.Opened[o.t.ID] == o.round {
				out = append(out, o)
			}
		}
		return out
	}
	gone := func() bool {
		return !slices.ContainsFunc(g, func(o openedTask) bool {
			return !b.state.Closed[o.t.ID] && b.state.Opened[o.t.ID] == o.round
		})
	}
	var a *Activities
	for _, al := range b.reminders.Schedule(g[0].t.Due, b.Clock.Now(ctx)) {
		if g[0].remindersOnly && al.Kind != cycle.NotifyReminder {
			return
		}
		if done, err := b.Clock.AwaitUntil(ctx, al.At, gone); err != nil || done {
			return
		}
		open := live()
		if len(open) == 0 {
			return
		}
		at := b.Clock.Now(ctx)
		alerts := make([]Alert, len(open))
		for i, o := range open {
			n := b.notification(o.t, al)
			n.Round = o.round
			alerts[i] = Alert{Notification: n, At: at}
		}
		if err := workflow.ExecuteActivity(withBatchOptions(ctx, len(alerts)), a.NotifyAll, alerts).Get(ctx, nil); err != nil {
			workflow.GetLogger(ctx).Error("notify", "cycle", b.cycleID, "tasks", len(alerts), "kind", al.Kind, "error", err)
		}
	}
}

// withBatchOptions is ctx with ActivityOptions whose start-to-close
// timeout also counts the n store writes of a batch (a few milliseconds
// each; 50 ms allowed, so that a batch of a thousand tasks on a loaded
// machine is not cut off and retried).
func withBatchOptions(ctx workflow.Context, n int) workflow.Context {
	o := ActivityOptions
	o.StartToCloseTimeout += time.Duration(n) * 50 * time.Millisecond
	return workflow.WithActivityOptions(ctx, o)
}

func (b *TaskBook) notification(t cycle.Task, al cycle.Alert) cycle.Notification {
	n := cycle.Notification{CycleID: b.cycleID, TaskID: t.ID, Kind: al.Kind, Role: t.Role, District: t.District, Due: t.Due, Seq: al.Seq}
	who := string(t.Role)
	if t.District != "" {
		who += " " + b.unitName(t.District)
	}
	switch al.Kind {
	case cycle.NotifyReminder:
		n.Message = fmt.Sprintf("Nhắc việc: %q — hạn %s (%s)", t.Title, t.Due.Vietnamese(), who)
	case cycle.NotifyOverdue:
		n.Message = fmt.Sprintf("Quá hạn: %q — hạn %s đã qua (%s)", t.Title, t.Due.Vietnamese(), who)
	case cycle.NotifyEscalation:
		// Escalations go to the superior the policy names (by default
		// the secretariat; the secretariat's own overdue tasks go to the
		// head who signs).
		n.Role, n.District = b.reminders.Superior(t.Role), ""
		n.Message = fmt.Sprintf("Báo cáo chậm (lần %d): %q của %s quá hạn %s", al.Seq, t.Title, who, t.Due.Vietnamese())
	}
	return n
}

// Task returns the open task with the given ID.
func (b *TaskBook) Task(id string) (cycle.Task, bool) {
	for _, t := range b.state.Open {
		if t.ID == id {
			return t, true
		}
	}
	return cycle.Task{}, false
}

// Close removes a task from the open list and stops its alerts.
func (b *TaskBook) Close(id string) {
	b.state.Closed[id] = true
	delete(b.busy, id)
	out := b.state.Open[:0]
	for _, t := range b.state.Open {
		if t.ID != id {
			out = append(out, t)
		}
	}
	b.state.Open = out
}

// CloseWithReason closes an open task in the workflow and in the read
// model (for tasks whose completions do not go through CompleteTask).
func (b *TaskBook) CloseWithReason(ctx workflow.Context, id, reason string) error {
	if _, open := b.Task(id); !open {
		return nil
	}
	b.Close(id)
	var a *Activities
	return workflow.ExecuteActivity(WithActivityOptions(ctx), a.CloseTask, TaskClosure{CycleID: b.cycleID, TaskID: id, Reason: reason, At: b.Clock.Now(ctx)}).Get(ctx, nil)
}

// List returns a copy of the open tasks.
func (b *TaskBook) List() []cycle.Task { return append([]cycle.Task(nil), b.state.Open...) }

// Busy reports whether a task is being completed (an update handler for it runs).
func (b *TaskBook) Busy(id string) bool { return b.busy[id] }

// Begin marks a task as being completed, so that a concurrent request is
// refused, and returns the function that clears the mark.
func (b *TaskBook) Begin(id string) func() {
	b.busy[id] = true
	return func() { delete(b.busy, id) }
}

// Authorize checks, for a validator, that the request is well formed and
// that its actor may complete the open task id now; notOpen says why the
// task is not open.
func (b *TaskBook) Authorize(r Request, id string, notOpen func() error) (cycle.Task, error) {
	if r.RequestID == "" {
		return cycle.Task{}, cycle.Fail(cycle.EINVALID, "flow.request_id")
	}
	t, ok := b.Task(id)
	if !ok {
		return cycle.Task{}, notOpen()
	}
	if err := cycle.Authorize(r.Actor, t); err != nil {
		return cycle.Task{}, err
	}
	if b.busy[id] {
		return cycle.Task{}, cycle.Fail(cycle.ECONFLICT, "flow.busy", cycle.TaskRef(id))
	}
	return t, nil
}

// Complete records a task's completion in the store — the audit entry,
// its payload (fill sets it), the task closed in the read model — as of
// the book's calendar; late when it comes after the task's due date.
func (b *TaskBook) Complete(ctx workflow.Context, t cycle.Task, r Request, summary string, fill func(*cycle.Completion)) error {
	now := b.Clock.Now(ctx)
	c := cycle.Completion{CycleID: b.cycleID, TaskID: t.ID, Kind: t.Kind, Actor: r.Actor, RequestID: r.RequestID, At: now, Late: !now.Before(t.Due.End()), Summary: summary}
	if fill != nil {
		fill(&c)
	}
	var a *Activities
	return b.Record(ctx, a.CompleteTask, c).Get(ctx, nil)
}

// Record runs an activity that records a task's completion — one whose
// store write happens once per request ID, so that running it again after
// a lost workflow task writes nothing twice — as a local activity once the
// workflow has the change TaskBatches (one marker in the history, in the
// workflow task of the update that records it), as an activity before.
func (b *TaskBook) Record(ctx workflow.Context, activity any, args ...any) workflow.Future {
	if b.batched(ctx) {
		return workflow.ExecuteLocalActivity(WithLocalActivityOptions(ctx), activity, args...)
	}
	return workflow.ExecuteActivity(WithActivityOptions(ctx), activity, args...)
}

// Event is one line of a workflow's own history, for people.
type Event struct {
	At      cycle.Date `json:"at"`
	Actor   string     `json:"actor,omitempty"`
	Summary string     `json:"summary"`        // for operators, in English
	Text    string     `json:"text,omitempty"` // for officers, in Vietnamese (events recorded before it have none)
}

// Said is a message of the catalogue said in both languages: the English
// for operators' logs and the audit, the Vietnamese for officers.
type Said struct{ EN, VI string }

// Says says a catalogue message in both languages.
func Says(code string, args ...any) Said {
	return Said{EN: cycle.Say(cycle.English, code, args...), VI: cycle.Say(cycle.Vietnamese, code, args...)}
}

// Say is the message in a language (a Said is an argument of others).
func (s Said) Say(lang cycle.Lang) string {
	if lang == cycle.Vietnamese {
		return s.VI
	}
	return s.EN
}

// Plus appends another message, after a separator.
func (s Said) Plus(sep string, o Said) Said {
	return Said{EN: s.EN + sep + o.EN, VI: s.VI + sep + o.VI}
}

// NewEvent is an event of a day, said in both languages.
func NewEvent(at cycle.Date, actor string, s Said) Event {
	return Event{At: at, Actor: actor, Summary: s.EN, Text: s.VI}
}

// Say is the event for people: its Vietnamese, else its English.
func (e Event) Say(lang cycle.Lang) string {
	if lang == cycle.Vietnamese && e.Text != "" {
		return e.Text
	}
	return e.Summary
}

// --- the inbox's activities ----------------------------------------------------

// TaskStore is what the inbox's activities write (see the contracts in
// package cycle).
type TaskStore interface {
	OpenTask(ctx context.Context, t cycle.Task) error
	CompleteTask(ctx context.Context, c cycle.Completion) error
	CloseTask(ctx context.Context, cycleID, taskID, reason string, at time.Time) error
	AddNotification(ctx context.Context, n cycle.Notification, at time.Time) (bool, error)
}

// Activities are the officers' inbox: tasks opened, completed and closed,
// and their notifications. Every workflow of the programme uses them.
type Activities struct {
	Store TaskStore
	// Notices addresses each stored notification to the accounts it
	// reaches (their inbox and the outbox of e-mails and webhook calls);
	// nil: notifications are stored and logged only.
	Notices Addresser
}

// Addresser gives a stored notification to the accounts of its role and
// unit, once each (cycle.NoticeStore; package postgres implements it).
type Addresser interface {
	AddressNotification(ctx context.Context, key string, at time.Time) (int, error)
}

// OpenTask adds an open task to the officers' read model.
func (a *Activities) OpenTask(ctx context.Context, t cycle.Task) error {
	activity.GetLogger(ctx).Info("task opened", "cycle", t.CycleID, "task", t.ID, "kind", t.Kind, "role", t.Role, "district", t.District, "due", t.Due.String())
	return Wrap("open task "+t.ID, a.Store.OpenTask(ctx, t))
}

// OpenTasks adds a batch of open tasks to the officers' read model, one
// store write each (each is idempotent: an attempt retried after a lost
// one writes nothing twice). A task that fails does not stop the others:
// the attempt then fails with the first error, and its retry writes again
// only what is missing.
func (a *Activities) OpenTasks(ctx context.Context, ts []cycle.Task) error {
	return each(ts, func(t cycle.Task) error { return a.OpenTask(ctx, t) })
}

// NotifyAll raises a batch of alerts (see Notify), in order; like
// OpenTasks, one that fails does not stop the others.
func (a *Activities) NotifyAll(ctx context.Context, als []Alert) error {
	return each(als, func(al Alert) error { return a.Notify(ctx, al) })
}

// each runs do on every item and returns the first error (which keeps its
// type: a domain error stays non-retryable), counting the others.
func each[T any](items []T, do func(T) error) error {
	var first error
	failed := 0
	for _, it := range items {
		if err := do(it); err != nil {
			if first == nil {
				first = err
			}
			failed++
		}
	}
	if failed > 1 {
		return fmt.Errorf("%d of %d failed, the first: %w", failed, len(items), first)
	}
	return first
}

// TaskClosure closes a task that will not be completed.
type TaskClosure struct {
	CycleID string    `json:"cycle_id"`
	TaskID  string    `json:"task_id"`
	Reason  string    `json:"reason"`
	At      time.Time `json:"at"`
}

// CloseTask closes a task without completion, with the reason.
func (a *Activities) CloseTask(ctx context.Context, c TaskClosure) error {
	activity.GetLogger(ctx).Info("task closed", "cycle", c.CycleID, "task", c.TaskID, "reason", c.Reason)
	return Wrap("close task "+c.TaskID, a.Store.CloseTask(ctx, c.CycleID, c.TaskID, c.Reason, c.At))
}

// CompleteTask records a task completion: audit log, payload, read model.
func (a *Activities) CompleteTask(ctx context.Context, c cycle.Completion) error {
	activity.GetLogger(ctx).Info("task completed", "cycle", c.CycleID, "task", c.TaskID, "actor", c.Actor.ID, "request", c.RequestID, "late", c.Late)
	return Wrap("complete task "+c.TaskID, a.Store.CompleteTask(ctx, c))
}

// Alert is a notification raised at a workflow time.
type Alert struct {
	Notification cycle.Notification `json:"notification"`
	At           time.Time          `json:"at"`
}

// Notify stores a reminder, overdue notice or escalation, logs it and
// addresses it to the accounts it reaches. It never fails the workflow
// for a duplicate: the store keeps one per key, and each account's copy
// and outbox item once.
func (a *Activities) Notify(ctx context.Context, al Alert) error {
	n := al.Notification
	isNew, err := a.Store.AddNotification(ctx, n, al.At)
	if err != nil {
		return Wrap("notify "+n.Key(), err)
	}
	if isNew {
		activity.GetLogger(ctx).Info("notification", "cycle", n.CycleID, "task", n.TaskID, "kind", n.Kind, "to", n.Role, "district", n.District, "due", n.Due.String(), "message", n.Message)
	}
	if a.Notices == nil {
		return nil
	}
	// Addressed even when an earlier attempt stored it: that attempt may
	// have died before addressing it. Each account gets it once.
	reached, err := a.Notices.AddressNotification(ctx, n.Key(), time.Now())
	if err != nil {
		return Wrap("address notification "+n.Key(), err)
	}
	if isNew && reached == 0 {
		activity.GetLogger(ctx).Warn("notification reaches no account: nobody of the role and unit has one", "cycle", n.CycleID, "task", n.TaskID, "to", n.Role, "district", n.District)
	}
	return nil
}
