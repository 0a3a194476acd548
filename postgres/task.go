package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/lib/pq"
	"github.com/lib/pq/pqerror"

	"chuyenhoa/cycle"
)

const (
	// A task that is open stays as it is; one that was closed and is opened
	// again (a list returned to the secretariat to consolidate anew) is
	// reopened with the new task's fields. An opening as old as a
	// completion or closing (the same workflow time: an update accepted in
	// the workflow task that opened its task) counts as older.
	sqlOpenTask = `
INSERT INTO tasks (cycle_id, task_id, kind, role, district, title, due, opened, workflow_id, opened_at)
SELECT $1, $2, $3, $4, $5, $6, $7::date, $8::date, $9, $10::timestamptz
WHERE $10::timestamptz IS NULL OR NOT EXISTS (
	SELECT 1 FROM audit_log WHERE cycle_id = $1 AND task_id = $2 AND at >= $10::timestamptz)
ON CONFLICT (cycle_id, task_id) DO UPDATE SET
	kind = EXCLUDED.kind, role = EXCLUDED.role, district = EXCLUDED.district, title = EXCLUDED.title,
	due = EXCLUDED.due, opened = EXCLUDED.opened, workflow_id = EXCLUDED.workflow_id, opened_at = EXCLUDED.opened_at,
	closed_at = NULL, closed_by = NULL, close_reason = NULL
WHERE tasks.closed_at IS NOT NULL
	AND (EXCLUDED.opened_at IS NULL OR tasks.closed_at < EXCLUDED.opened_at)`
	sqlCloseTask = `
UPDATE tasks SET closed_at = $3, close_reason = $4
WHERE cycle_id = $1 AND task_id = $2 AND closed_at IS NULL`
	sqlTaskExists = `SELECT EXISTS (SELECT 1 FROM tasks WHERE cycle_id = $1 AND task_id = $2)`
	sqlOpenTasks  = `
SELECT cycle_id, task_id, kind, role, district, title, to_char(due, 'YYYY-MM-DD'), to_char(opened, 'YYYY-MM-DD'), workflow_id
FROM tasks
WHERE closed_at IS NULL
	AND ($1 = '' OR cycle_id = $1)
	AND ($2 = '' OR role = $2)
	AND ($3 = '' OR district = $3)
ORDER BY due NULLS LAST, cycle_id COLLATE "C", task_id COLLATE "C"`

	sqlInsertAudit = `
INSERT INTO audit_log (at, cycle_id, task_id, actor_id, actor_name, actor_role, actor_district,
	action, request_id, summary, late, details)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb)
ON CONFLICT (cycle_id, request_id) DO NOTHING
RETURNING id`
	sqlCompleteTask = `
UPDATE tasks SET closed_at = $3, closed_by = $4
WHERE cycle_id = $1 AND task_id = $2 AND closed_at IS NULL`
	sqlAudit = `
SELECT at, task_id, actor_id, actor_name, actor_role, actor_district, action, request_id, summary
FROM audit_log WHERE cycle_id = $1 ORDER BY at, id`
)

// OpenTask adds an open task to the read model. It does nothing if the task
// is open already, and reopens it if it was closed (the same task can come
// round again, e.g. consolidation after the council returned the list). An
// opening older than the task's last completion or closing, or as old,
// does nothing: the workflow opens a task in a batch after its workflow
// task, and the officer may complete it (an audit entry, no row to close
// yet) before the opening lands — at the opening's own workflow time when
// the update came in the workflow task that opened it. The error is ENOTFOUND if the cycle is not recorded.
func (db *CycleStore) OpenTask(ctx context.Context, t cycle.Task) error {
	return db.update(ctx, fmt.Sprintf("open task %s of cycle %s", t.ID, t.CycleID), func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, sqlOpenTask, t.CycleID, t.ID, string(t.Kind), string(t.Role), t.District, t.Title,
			dateParam(t.Due), dateParam(t.Opened), t.WorkflowID, timeParam(t.OpenedAt))
		return err
	})
}

// CloseTask closes a task that will not be completed, with the reason. It
// does nothing if the task is closed already; the error is ENOTFOUND if the
// task is not in the read model.
func (db *CycleStore) CloseTask(ctx context.Context, cycleID, taskID, reason string, at time.Time) error {
	return db.update(ctx, fmt.Sprintf("close task %s of cycle %s", taskID, cycleID), func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, sqlCloseTask, cycleID, taskID, at, reason)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n > 0 {
			return err
		}
		var ok bool
		if err := tx.QueryRowContext(ctx, sqlTaskExists, cycleID, taskID).Scan(&ok); err != nil {
			return err
		}
		if !ok {
			return cycle.Refuse(cycle.ENOTFOUND, cycle.Text{VI: "Không có công việc %s trong đợt %s", EN: "no task %s in cycle %s"}, taskID, cycleID)
		}
		return nil
	})
}

// OpenTasks returns the open tasks the filter selects, earliest due first.
func (db *CycleStore) OpenTasks(ctx context.Context, f cycle.TaskFilter) ([]cycle.Task, error) {
	var out []cycle.Task
	err := db.view(ctx, "open tasks", func(tx *sql.Tx) error {
		var err error
		out, err = queryAll(ctx, tx, sqlOpenTasks, []any{f.CycleID, string(f.Role), f.District}, func(r *sql.Rows) (cycle.Task, error) {
			var t cycle.Task
			var kind, role string
			var due, opened sql.NullString
			if err := r.Scan(&t.CycleID, &t.ID, &kind, &role, &t.District, &t.Title, &due, &opened, &t.WorkflowID); err != nil {
				return t, err
			}
			t.Kind, t.Role = cycle.TaskKind(kind), cycle.Role(role)
			var err error
			if t.Due, err = scanDate(due); err != nil {
				return t, err
			}
			t.Opened, err = scanDate(opened)
			return t, err
		})
		return err
	})
	return out, err
}

// CompleteTask records an officer's completed task in one transaction: it
// appends the audit entry, stores the payload — a proposal as revision
// c.Revision (the unit's earlier revisions are kept, no longer current), a
// consolidation with its draft list, an appraisal with the list it reports —
// and closes the task if the read model has it. A second call with the same
// (CycleID, RequestID) does nothing. The error is EINVALID if the payload
// does not match the kind, ECONFLICT if the proposal revision is stored
// already under another request, ENOTFOUND if the cycle is not recorded.
func (db *CycleStore) CompleteTask(ctx context.Context, c cycle.Completion) error {
	op := fmt.Sprintf("complete task %s of cycle %s", c.TaskID, c.CycleID)
	if err := checkCompletion(c); err != nil {
		return failure(op, err)
	}
	details, err := jsonParam(c)
	if err != nil {
		return failure(op, err)
	}
	return db.update(ctx, op, func(tx *sql.Tx) error {
		// The audit entry first: a retry stops here having written nothing,
		// and a concurrent attempt with the same request waits here for the
		// first to commit.
		var id int64
		err := tx.QueryRowContext(ctx, sqlInsertAudit, c.At, c.CycleID, c.TaskID, c.Actor.ID, c.Actor.Name,
			string(c.Actor.Role), c.Actor.District, string(c.Kind), c.RequestID, c.Summary, c.Late, details).Scan(&id)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return nil // recorded by an earlier attempt
		case pq.As(err, pqerror.ForeignKeyViolation) != nil:
			return cycle.Refuse(cycle.ENOTFOUND, cycle.Text{VI: "Không có đợt %s trong hệ thống", EN: "cycle %s is not recorded"}, c.CycleID)
		case err != nil:
			return err
		}
		// Completions of one cycle then take turns: the current revision of
		// a proposal and the round numbers depend on what came before.
		if err := lockCycle(ctx, tx, c.CycleID); err != nil {
			return err
		}
		switch c.Kind {
		case cycle.TaskSubmitProposal:
			err = saveProposal(ctx, tx, c)
		case cycle.TaskConsolidate:
			err = saveConsolidation(ctx, tx, c)
		case cycle.TaskAppraise:
			err = saveAppraisal(ctx, tx, c)
		}
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, sqlCompleteTask, c.CycleID, c.TaskID, c.At, c.Actor.ID)
		return err
	})
}

// checkCompletion refuses a completion that cannot be recorded faithfully:
// without the IDs that make it idempotent, or with a payload that does not
// match its kind.
func checkCompletion(c cycle.Completion) error {
	var probs []cycle.Problem
	add := func(field string, t cycle.Text, args ...any) {
		probs = append(probs, bi(field, "completion."+field, t, args...))
	}
	if c.CycleID == "" {
		add("cycle_id", cycle.Text{VI: "Thiếu mã đợt chuyển hóa", EN: "required"})
	}
	if c.TaskID == "" {
		add("task_id", cycle.Text{VI: "Thiếu mã công việc", EN: "required"})
	}
	if c.RequestID == "" {
		add("request_id", cycle.Text{VI: "Thiếu mã yêu cầu: mã này giúp một lần gửi lại không bị ghi hai lần", EN: "required: it makes a retried completion a no-op"})
	}
	if c.Actor.ID == "" {
		add("actor", cycle.Text{VI: "Chưa xác định cán bộ thực hiện", EN: "the officer is not identified"})
	}
	switch c.Kind {
	case cycle.TaskSubmitProposal:
		if c.Proposal == nil {
			add("proposal", cycle.Text{VI: "Việc gửi đề xuất phải kèm đề xuất của đơn vị", EN: "a submit_proposal completion carries the proposal"})
		} else if c.Proposal.Unit == "" {
			add("proposal.unit", cycle.Text{VI: "Đề xuất chưa ghi đơn vị đề xuất", EN: "required"})
		}
		if c.Revision < 1 {
			add("revision", cycle.Text{VI: "Lần gửi thứ %d không hợp lệ: các lần gửi đề xuất đếm từ 1", EN: "%d: revisions count from 1"}, c.Revision)
		}
	case cycle.TaskAppraise:
		if c.Appraisal == nil {
			add("appraisal", cycle.Text{VI: "Việc thẩm định danh sách phải kèm kết luận của Hội đồng", EN: "an appraise completion carries the council's conclusion"})
		}
	}
	if c.Proposal != nil && c.Kind != cycle.TaskSubmitProposal {
		add("proposal", cycle.Text{VI: "Việc «%s» không kèm đề xuất của đơn vị", EN: "a %s completion carries no proposal"}, c.Kind)
	}
	if c.Consolidation != nil && c.Kind != cycle.TaskConsolidate {
		add("consolidation", cycle.Text{VI: "Việc «%s» không kèm kết quả tổng hợp", EN: "a %s completion carries no consolidation"}, c.Kind)
	}
	if c.Appraisal != nil && c.Kind != cycle.TaskAppraise {
		add("appraisal", cycle.Text{VI: "Việc «%s» không kèm kết luận thẩm định", EN: "a %s completion carries no appraisal"}, c.Kind)
	}
	if len(c.List) > 0 && c.Kind != cycle.TaskConsolidate && c.Kind != cycle.TaskAppraise {
		add("list", cycle.Text{VI: "Việc «%s» không kèm danh sách", EN: "a %s completion carries no list"}, c.Kind)
	}
	return cycle.Invalid("completion", probs)
}

// Audit returns the cycle's audit log in the order things happened (by
// time, then by the order they were recorded).
func (db *CycleStore) Audit(ctx context.Context, cycleID string) ([]cycle.AuditEntry, error) {
	var out []cycle.AuditEntry
	err := db.view(ctx, "audit of cycle "+cycleID, func(tx *sql.Tx) error {
		var err error
		out, err = queryAll(ctx, tx, sqlAudit, []any{cycleID}, func(r *sql.Rows) (cycle.AuditEntry, error) {
			e := cycle.AuditEntry{CycleID: cycleID}
			var role string
			err := r.Scan(utc(&e.At), &e.TaskID, &e.Actor.ID, &e.Actor.Name, &role, &e.Actor.District, &e.Action, &e.RequestID, &e.Summary)
			e.Actor.Role = cycle.Role(role)
			return e, err
		})
		return err
	})
	return out, err
}
