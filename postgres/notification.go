package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"chuyenhoa/cycle"
)

const (
	sqlAddNotification = `
INSERT INTO notifications (key, cycle_id, task_id, kind, role, district, due, message, seq, at, document)
VALUES ($1, $2, $3, $4, $5, $6, $7::date, $8, $9, $10, $11)
ON CONFLICT (key) DO NOTHING
RETURNING key`
	sqlNotifications = `
SELECT task_id, kind, role, district, to_char(due, 'YYYY-MM-DD'), message, seq, at, document
FROM notifications WHERE cycle_id = $1 ORDER BY at, key`
)

// AddNotification stores a notification once per n.Key() and reports
// whether it was new. The error is ENOTFOUND if the cycle is not recorded.
func (db *CycleStore) AddNotification(ctx context.Context, n cycle.Notification, at time.Time) (bool, error) {
	var added bool
	err := db.update(ctx, "add notification "+n.Key(), func(tx *sql.Tx) error {
		var key string
		err := tx.QueryRowContext(ctx, sqlAddNotification, n.Key(), n.CycleID, n.TaskID, string(n.Kind), string(n.Role),
			n.District, dateParam(n.Due), n.Message, n.Seq, at, n.Document).Scan(&key)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // stored by an earlier attempt
		}
		added = err == nil
		return err
	})
	return added, err
}

// Notifications returns the cycle's notifications in the order they were
// raised.
func (db *CycleStore) Notifications(ctx context.Context, cycleID string) ([]cycle.StoredNotification, error) {
	var out []cycle.StoredNotification
	err := db.view(ctx, fmt.Sprintf("notifications of cycle %s", cycleID), func(tx *sql.Tx) error {
		var err error
		out, err = queryAll(ctx, tx, sqlNotifications, []any{cycleID}, func(r *sql.Rows) (cycle.StoredNotification, error) {
			n := cycle.StoredNotification{Notification: cycle.Notification{CycleID: cycleID}}
			var kind, role string
			var due sql.NullString
			if err := r.Scan(&n.TaskID, &kind, &role, &n.District, &due, &n.Message, &n.Seq, utc(&n.At), &n.Document); err != nil {
				return n, err
			}
			n.Kind, n.Role = cycle.NotificationKind(kind), cycle.Role(role)
			n.Due, err = scanDate(due)
			return n, err
		})
		return err
	})
	return out, err
}
