package workflows

import (
	"fmt"

	"go.temporal.io/sdk/workflow"

	"chuyenhoa/activities"
	"chuyenhoa/cycle"
)

// taskBook keeps a workflow's open officer tasks: in the workflow's state
// (for queries and validators), in the store's read model (the officers'
// inbox), and with their reminders, overdue notice and escalations, raised
// in coroutines that never block the workflow.
type taskBook struct {
	cycleID   string
	reminders cycle.Reminders
	unitName  func(string) string // names a task's unit in messages
	tasks     []cycle.Task        // open tasks, in opening order
	busy      map[string]bool     // task IDs being completed (an update handler is running)
	closed    map[string]bool     // task IDs closed or completed
	opened    map[string]int      // task ID → times opened
	clock     Clock               // the calendar alerts are raised on (zero: real time)
}

func newTaskBook(cycleID string, r cycle.Reminders, unitName func(string) string) *taskBook {
	return &taskBook{cycleID: cycleID, reminders: r, unitName: unitName,
		busy: map[string]bool{}, closed: map[string]bool{}, opened: map[string]int{}}
}

// open opens a task: it records it in the read model and, in its own
// coroutine, raises its reminders, overdue notice and escalations until it
// is closed. Nothing here blocks the workflow. A task opened again (a list
// returned by the council) raises its alerts as a new round.
func (b *taskBook) open(ctx workflow.Context, t cycle.Task) { b.openWith(ctx, t, false) }

// openClosingAtDue opens a task that closes by itself when its due date
// ends (nominations close at their deadline): it gets its reminders, but
// no overdue notice or escalation, which would race the closing.
func (b *taskBook) openClosingAtDue(ctx workflow.Context, t cycle.Task) { b.openWith(ctx, t, true) }

func (b *taskBook) openWith(ctx workflow.Context, t cycle.Task, remindersOnly bool) {
	t.CycleID = b.cycleID
	t.OpenedAt = b.clock.Now(ctx)
	if t.Opened.IsZero() {
		t.Opened = b.clock.Today(ctx)
	}
	delete(b.closed, t.ID)
	b.opened[t.ID]++
	round := b.opened[t.ID]
	b.tasks = append(b.tasks, t)
	gone := func() bool { return b.closed[t.ID] || b.opened[t.ID] != round }
	workflow.Go(ctx, func(ctx workflow.Context) {
		var a *activities.Activities
		if err := workflow.ExecuteActivity(ctx, a.OpenTask, t).Get(ctx, nil); err != nil {
			workflow.GetLogger(ctx).Error("open task", "cycle", b.cycleID, "task", t.ID, "error", err)
		}
		for _, al := range b.reminders.Schedule(t.Due, b.clock.Now(ctx)) {
			if remindersOnly && al.Kind != cycle.NotifyReminder {
				return
			}
			if done, err := b.clock.AwaitUntil(ctx, al.At, gone); err != nil || done {
				return
			}
			if gone() {
				return
			}
			n := b.notification(t, al)
			n.Round = round
			if err := workflow.ExecuteActivity(ctx, a.Notify, activities.Alert{Notification: n, At: b.clock.Now(ctx)}).Get(ctx, nil); err != nil {
				workflow.GetLogger(ctx).Error("notify", "cycle", b.cycleID, "task", t.ID, "kind", al.Kind, "error", err)
			}
		}
	})
}

func (b *taskBook) notification(t cycle.Task, al cycle.Alert) cycle.Notification {
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
		// Escalations go to the secretariat; the secretariat's own overdue
		// tasks go to the head who signs.
		n.Role, n.District = cycle.RoleSecretariat, ""
		if t.Role == cycle.RoleSecretariat {
			n.Role = cycle.RoleSigner
		}
		n.Message = fmt.Sprintf("Báo cáo chậm (lần %d): %q của %s quá hạn %s", al.Seq, t.Title, who, t.Due.Vietnamese())
	}
	return n
}

// task returns the open task with the given ID.
func (b *taskBook) task(id string) (cycle.Task, bool) {
	for _, t := range b.tasks {
		if t.ID == id {
			return t, true
		}
	}
	return cycle.Task{}, false
}

// close removes a task from the open list and stops its alerts.
func (b *taskBook) close(id string) {
	b.closed[id] = true
	delete(b.busy, id)
	out := b.tasks[:0]
	for _, t := range b.tasks {
		if t.ID != id {
			out = append(out, t)
		}
	}
	b.tasks = out
}

// closeWithReason closes an open task in the workflow and in the read model
// (for workflows whose completions do not go through CompleteTask).
func (b *taskBook) closeWithReason(ctx workflow.Context, id, reason string) error {
	if _, open := b.task(id); !open {
		return nil
	}
	b.close(id)
	var a *activities.Activities
	return workflow.ExecuteActivity(ctx, a.CloseTask, activities.TaskClosure{CycleID: b.cycleID, TaskID: id, Reason: reason, At: b.clock.Now(ctx)}).Get(ctx, nil)
}

// list returns a copy of the open tasks.
func (b *taskBook) list() []cycle.Task { return append([]cycle.Task(nil), b.tasks...) }
