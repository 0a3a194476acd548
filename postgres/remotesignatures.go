package postgres

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"chuyenhoa/cycle"
)

const (
	sqlSaveRemoteSignature = `INSERT INTO remote_signatures (id, account_id, cycle_id, task_id, ticket, expires) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (id) DO UPDATE SET account_id = $2, cycle_id = $3, task_id = $4, ticket = $5, expires = $6`
	sqlRemoteSignature       = `SELECT account_id, cycle_id, task_id, ticket, expires FROM remote_signatures WHERE id = $1`
	sqlDeleteRemoteSignature = `DELETE FROM remote_signatures WHERE id = $1`
)

// SaveRemoteSignature keeps a remote-signing request in flight (the same
// ID again replaces it).
func (db *DocumentStore) SaveRemoteSignature(ctx context.Context, r cycle.RemoteSignature) error {
	var expires sql.NullTime
	if !r.Expires.IsZero() {
		expires = sql.NullTime{Time: r.Expires, Valid: true}
	}
	return db.update(ctx, "save remote signature "+r.ID, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, sqlSaveRemoteSignature, r.ID, r.Account, r.CycleID, r.TaskID, r.Ticket, expires)
		return err
	})
}

// RemoteSignature returns a remote-signing request in flight (ENOTFOUND
// if there is none of that ID).
func (db *DocumentStore) RemoteSignature(ctx context.Context, id string) (cycle.RemoteSignature, error) {
	r := cycle.RemoteSignature{ID: id}
	var expires sql.NullTime
	err := db.view(ctx, "remote signature "+id, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, sqlRemoteSignature, id).Scan(&r.Account, &r.CycleID, &r.TaskID, &r.Ticket, &expires)
		if errors.Is(err, sql.ErrNoRows) {
			return cycle.Refuse(cycle.ENOTFOUND, cycle.Text{VI: "Không có yêu cầu ký số từ xa «%s»", EN: "no remote-signing request %q"}, id)
		}
		return err
	})
	if expires.Valid {
		r.Expires = expires.Time.In(time.UTC)
	}
	return r, err
}

// DeleteRemoteSignature forgets a remote-signing request once it is
// signed, denied or expired; deleting one that is not there does nothing.
func (db *DocumentStore) DeleteRemoteSignature(ctx context.Context, id string) error {
	return db.update(ctx, "delete remote signature "+id, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, sqlDeleteRemoteSignature, id)
		return err
	})
}
