package postgres

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"chuyenhoa/cycle"
)

// WorkStore implements cycle.WorkStore: claims, drafts and attachments of
// the inbox's tasks, and a task's history.
type WorkStore struct{ conn }

const (
	sqlTask = `
SELECT cycle_id, task_id, kind, role, district, title, to_char(due, 'YYYY-MM-DD'), to_char(opened, 'YYYY-MM-DD'), workflow_id,
	closed_at IS NULL
FROM tasks WHERE cycle_id = $1 AND task_id = $2`
	sqlClaimOf = `SELECT c.account_id, a.name, c.claimed_at FROM task_claims c JOIN accounts a ON a.id = c.account_id
WHERE c.cycle_id = $1 AND c.task_id = $2 FOR UPDATE OF c`
	sqlClaimTask = `INSERT INTO task_claims (cycle_id, task_id, account_id, claimed_at) VALUES ($1, $2, $3, $4)`
	sqlRelease   = `DELETE FROM task_claims WHERE cycle_id = $1 AND task_id = $2 AND account_id = $3`
	sqlClaims    = `SELECT c.cycle_id, c.task_id, c.account_id, a.name, c.claimed_at FROM task_claims c
JOIN accounts a ON a.id = c.account_id JOIN tasks t USING (cycle_id, task_id)
WHERE c.cycle_id = $1 AND t.closed_at IS NULL ORDER BY c.task_id COLLATE "C"`
	sqlSaveDraft = `
INSERT INTO task_drafts (cycle_id, task_id, account_id, data, saved_at) VALUES ($1, $2, $3, $4::jsonb, $5)
ON CONFLICT (cycle_id, task_id, account_id) DO UPDATE SET data = EXCLUDED.data, saved_at = EXCLUDED.saved_at`
	sqlDraft       = `SELECT data, saved_at FROM task_drafts WHERE cycle_id = $1 AND task_id = $2 AND account_id = $3`
	sqlDeleteDraft = `DELETE FROM task_drafts WHERE cycle_id = $1 AND task_id = $2 AND account_id = $3`
	sqlAttach      = `
INSERT INTO task_attachments (cycle_id, task_id, sha256, name, media_type, size, account_id, at)
SELECT $1, $2, $3, $4, $5, b.size, $6, $7 FROM blobs b WHERE b.sha256 = $3
ON CONFLICT (cycle_id, task_id, sha256) DO NOTHING`
	sqlAttachments = `SELECT sha256, name, media_type, size, account_id, at FROM task_attachments
WHERE cycle_id = $1 AND task_id = $2 ORDER BY at, sha256`
	sqlTaskHistory = `SELECT ` + sqlAuditColumns + ` FROM audit_chain WHERE object = $1 ORDER BY seq`
)

// Task returns a task of the inbox and whether it is still open.
func (db *WorkStore) Task(ctx context.Context, cycleID, taskID string) (cycle.Task, bool, error) {
	var t cycle.Task
	var open bool
	err := db.view(ctx, "task "+taskID, func(tx *sql.Tx) error {
		var kind, role string
		var due, opened sql.NullString
		err := tx.QueryRowContext(ctx, sqlTask, cycleID, taskID).Scan(&t.CycleID, &t.ID, &kind, &role, &t.District, &t.Title, &due, &opened, &t.WorkflowID, &open)
		if errors.Is(err, sql.ErrNoRows) {
			return cycle.Refuse(cycle.ENOTFOUND, cycle.Text{VI: "Không có công việc %s trong %s", EN: "no task %s in %s"}, taskID, cycleID)
		}
		if err != nil {
			return err
		}
		t.Kind, t.Role = cycle.TaskKind(kind), cycle.Role(role)
		if t.Due, err = scanDate(due); err != nil {
			return err
		}
		t.Opened, err = scanDate(opened)
		return err
	})
	return t, open, err
}

// Claim gives an open task to an officer (ECONFLICT if another holds it or
// the task is closed).
func (db *WorkStore) Claim(ctx context.Context, c cycle.Claim) error {
	return db.update(ctx, "claim "+c.TaskID, func(tx *sql.Tx) error {
		var open bool
		err := tx.QueryRowContext(ctx, `SELECT closed_at IS NULL FROM tasks WHERE cycle_id = $1 AND task_id = $2 FOR UPDATE`, c.CycleID, c.TaskID).Scan(&open)
		if errors.Is(err, sql.ErrNoRows) {
			return cycle.Refuse(cycle.ENOTFOUND, cycle.Text{VI: "Không có công việc %s trong %s", EN: "no task %s in %s"}, c.TaskID, c.CycleID)
		}
		if err != nil {
			return err
		}
		if !open {
			return cycle.Refuse(cycle.ECONFLICT, cycle.Text{VI: "Công việc %s đã đóng", EN: "task %s is closed"}, c.TaskID)
		}
		var holder, name string
		var at time.Time
		err = tx.QueryRowContext(ctx, sqlClaimOf, c.CycleID, c.TaskID).Scan(&holder, &name, utc(&at))
		switch {
		case err == nil && holder == c.Account:
			return nil
		case err == nil:
			return cycle.Fail(cycle.ECONFLICT, "work.claimed", c.TaskID, who(holder, name), at.In(cycle.Vietnam).Format("15:04 02/01/2006"))
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		_, err = tx.ExecContext(ctx, sqlClaimTask, c.CycleID, c.TaskID, c.Account, c.At)
		return err
	})
}

// Release gives a claimed task back.
func (db *WorkStore) Release(ctx context.Context, cycleID, taskID, account string) error {
	return db.update(ctx, "release "+taskID, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, sqlRelease, cycleID, taskID, account)
		return err
	})
}

// Claims returns the claims on a cycle's open tasks.
func (db *WorkStore) Claims(ctx context.Context, cycleID string) ([]cycle.Claim, error) {
	var out []cycle.Claim
	err := db.view(ctx, "claims of "+cycleID, func(tx *sql.Tx) error {
		var err error
		out, err = queryAll(ctx, tx, sqlClaims, []any{cycleID}, func(r *sql.Rows) (cycle.Claim, error) {
			var c cycle.Claim
			err := r.Scan(&c.CycleID, &c.TaskID, &c.Account, &c.Name, utc(&c.At))
			return c, err
		})
		return err
	})
	return out, err
}

// SaveDraft keeps an officer's draft of a task's form.
func (db *WorkStore) SaveDraft(ctx context.Context, d cycle.Draft) error {
	data, err := jsonParam(d.Values)
	if err != nil {
		return err
	}
	return db.update(ctx, "save draft of "+d.TaskID, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, sqlSaveDraft, d.CycleID, d.TaskID, d.Account, data, d.SavedAt)
		return err
	})
}

// Draft returns an officer's draft of a task's form (ENOTFOUND if none).
func (db *WorkStore) Draft(ctx context.Context, cycleID, taskID, account string) (cycle.Draft, error) {
	d := cycle.Draft{CycleID: cycleID, TaskID: taskID, Account: account}
	err := db.view(ctx, "draft of "+taskID, func(tx *sql.Tx) error {
		var data []byte
		err := tx.QueryRowContext(ctx, sqlDraft, cycleID, taskID, account).Scan(&data, utc(&d.SavedAt))
		if errors.Is(err, sql.ErrNoRows) {
			return cycle.Refuse(cycle.ENOTFOUND, cycle.Text{VI: "Không có bản nháp của %s", EN: "no draft of %s"}, taskID)
		}
		if err != nil {
			return err
		}
		return scanJSON(data, &d.Values)
	})
	return d, err
}

// DeleteDraft forgets a draft.
func (db *WorkStore) DeleteDraft(ctx context.Context, cycleID, taskID, account string) error {
	return db.update(ctx, "delete draft of "+taskID, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, sqlDeleteDraft, cycleID, taskID, account)
		return err
	})
}

// AddAttachment records a supporting file of a task (ENOTFOUND when its
// bytes are not stored or the task does not exist).
func (db *WorkStore) AddAttachment(ctx context.Context, a cycle.Attachment) error {
	return db.update(ctx, "attach "+a.Name+" to "+a.TaskID, func(tx *sql.Tx) error {
		var stored bool
		if err := tx.QueryRowContext(ctx, sqlBlobExists, a.SHA256).Scan(&stored); err != nil {
			return err
		}
		if !stored {
			return cycle.Refuse(cycle.ENOTFOUND, cycle.Text{VI: "Không có tệp đã lưu có mã băm SHA-256 %s", EN: "no stored file with SHA-256 %s"}, a.SHA256)
		}
		_, err := tx.ExecContext(ctx, sqlAttach, a.CycleID, a.TaskID, a.SHA256, cycle.Clean(a.Name), a.MediaType, a.Account, a.At)
		return err
	})
}

// Attachments lists a task's supporting files.
func (db *WorkStore) Attachments(ctx context.Context, cycleID, taskID string) ([]cycle.Attachment, error) {
	var out []cycle.Attachment
	err := db.view(ctx, "attachments of "+taskID, func(tx *sql.Tx) error {
		var err error
		out, err = queryAll(ctx, tx, sqlAttachments, []any{cycleID, taskID}, func(r *sql.Rows) (cycle.Attachment, error) {
			a := cycle.Attachment{CycleID: cycleID, TaskID: taskID}
			err := r.Scan(&a.SHA256, &a.Name, &a.MediaType, &a.Size, &a.Account, utc(&a.At))
			return a, err
		})
		return err
	})
	return out, err
}

// TaskObject is the audit trail's object for a task: "<cycle> <task>".
func TaskObject(cycleID, taskID string) string { return cycleID + " " + taskID }

// TaskHistory returns the audit trail's records about a task, in order.
func (db *WorkStore) TaskHistory(ctx context.Context, cycleID, taskID string) ([]cycle.AuditRecord, error) {
	var out []cycle.AuditRecord
	err := db.view(ctx, "history of "+taskID, func(tx *sql.Tx) error {
		var err error
		out, err = queryAll(ctx, tx, sqlTaskHistory, []any{TaskObject(cycleID, taskID)}, scanAudit)
		return err
	})
	return out, err
}
