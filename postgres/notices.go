package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/lib/pq"

	"chuyenhoa/cycle"
)

// Notifications as they reach people (migration 0009): each account's copy
// with its read state (notice_recipients) and the outbox of e-mails and
// webhook calls (notice_outbox), one row per (notification, account,
// channel). The methods are on CycleStore, which keeps the notifications.

const (
	sqlNotificationExists = `SELECT true FROM notifications WHERE key = $1`
	// Every enabled account of the notification's role (and unit: a
	// notification for a unit reaches that unit's officers only).
	sqlAddressRecipients = `
INSERT INTO notice_recipients (key, account_id, at)
SELECT n.key, a.id, $2 FROM notifications n
JOIN accounts a ON a.role = n.role AND (n.district = '' OR a.district = n.district)
WHERE n.key = $1 AND NOT a.disabled
ON CONFLICT (key, account_id) DO NOTHING`
	// Each recipient's channels as its preference says; digest items wait
	// for the daily digest.
	sqlAddressOutbox = `
INSERT INTO notice_outbox (recipient_id, key, account_id, channel, digest, created_at, next_try)
SELECT r.id, r.key, r.account_id, c.channel, a.notify = 'digest', $2, $2
FROM notice_recipients r JOIN accounts a ON a.id = r.account_id
CROSS JOIN LATERAL (VALUES ('email', a.email), ('webhook', a.webhook)) AS c (channel, address)
WHERE r.key = $1 AND a.notify <> 'none' AND c.address <> '' AND NOT a.disabled
ON CONFLICT (key, account_id, channel) DO NOTHING`
	sqlRecipientCount = `SELECT count(*) FROM notice_recipients WHERE key = $1`

	// sqlNoticeColumns are a Notice's columns over notice_recipients r,
	// notifications n, tasks t and decisions d (see sqlNoticeJoins).
	sqlNoticeColumns = `r.id, n.key, n.cycle_id, n.task_id, coalesce(t.kind, split_part(n.task_id, '/', 1)), coalesce(t.title, ''), coalesce(t.district, n.district),
	n.kind, to_char(n.due, 'YYYY-MM-DD'), n.seq, n.document, coalesce(d.code, ''), r.at, r.read_at`
	sqlNoticeJoins = `JOIN notifications n ON n.key = r.key
LEFT JOIN tasks t ON t.cycle_id = n.cycle_id AND t.task_id = n.task_id
LEFT JOIN decisions d ON d.id = n.document AND n.document <> ''`
	sqlNotices = `SELECT ` + sqlNoticeColumns + ` FROM notice_recipients r ` + sqlNoticeJoins + `
WHERE r.account_id = $1 AND (NOT $2 OR r.read_at IS NULL) ORDER BY r.id DESC LIMIT $3`
	sqlUnreadNotices = `SELECT count(*) FROM notice_recipients WHERE account_id = $1 AND read_at IS NULL`
	sqlOwnNotices    = `SELECT count(*) FROM notice_recipients WHERE account_id = $1 AND id = ANY($2)`
	sqlMarkRead      = `UPDATE notice_recipients SET read_at = $3 WHERE account_id = $1 AND id = ANY($2) AND read_at IS NULL`
	sqlMarkAllRead   = `UPDATE notice_recipients SET read_at = $2 WHERE account_id = $1 AND read_at IS NULL`

	sqlOutboxColumns = `o.id, o.channel, o.digest, o.status, o.attempts, o.attempt_id, o.address, o.message_id, o.last_error,
	o.created_at, o.sent_at, ` + sqlNoticeColumns + `,
	a.id, a.name, a.role, a.district, a.disabled, a.created_at, a.title, a.email, a.webhook, a.notify, a.last_sign_in`
	sqlOutboxFrom = ` FROM notice_outbox o JOIN notice_recipients r ON r.id = o.recipient_id ` + sqlNoticeJoins + `
JOIN accounts a ON a.id = o.account_id`
	sqlOutbox   = `SELECT ` + sqlOutboxColumns + sqlOutboxFrom + ` WHERE ($1 = '' OR o.account_id = $1) ORDER BY o.id`
	sqlOutboxOf = `SELECT ` + sqlOutboxColumns + sqlOutboxFrom + ` WHERE o.id = ANY($1) ORDER BY o.account_id, o.channel, o.id`

	// A claim takes items due by themselves (a few at a time) and every
	// digest item raised before the digest's hour, skipping what another
	// dispatcher holds.
	sqlClaimNotices = `
UPDATE notice_outbox o SET status = 'sending', attempt_id = $1, claimed_at = $2, attempts = o.attempts + 1
WHERE o.id IN (
	SELECT id FROM notice_outbox WHERE status IN ('pending', 'failed') AND next_try <= $2 AND NOT digest
	ORDER BY next_try, id LIMIT $4 FOR UPDATE SKIP LOCKED)
OR o.id IN (
	SELECT id FROM notice_outbox WHERE status IN ('pending', 'failed') AND next_try <= $2 AND digest AND created_at < $3
	FOR UPDATE SKIP LOCKED)
RETURNING o.id`
	// An attempt that was only slow (its claim expired as unknown) still
	// settles its items.
	sqlFinishNotices = `
UPDATE notice_outbox SET status = $3, address = $4, message_id = $5, last_error = $6, next_try = $7,
	sent_at = CASE WHEN $3 = 'sent' THEN $8::timestamptz END
WHERE id = ANY($2) AND attempt_id = $1 AND status IN ('sending', 'unknown')`
	sqlExpireNotices = `
UPDATE notice_outbox SET status = 'unknown', last_error = 'the attempt that claimed it did not report back (claimed at ' || claimed_at || ')'
WHERE status = 'sending' AND claimed_at < $1`
)

// AddressNotification implements cycle.NoticeStore.
func (db *CycleStore) AddressNotification(ctx context.Context, key string, at time.Time) (int, error) {
	var n int
	err := db.update(ctx, "address notification "+key, func(tx *sql.Tx) error {
		var ok bool
		if err := tx.QueryRowContext(ctx, sqlNotificationExists, key).Scan(&ok); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return cycle.Refuse(cycle.ENOTFOUND, cycle.Text{VI: "Không có thông báo «%s»", EN: "no notification %q"}, key)
			}
			return err
		}
		if _, err := tx.ExecContext(ctx, sqlAddressRecipients, key, at); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, sqlAddressOutbox, key, at); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, sqlRecipientCount, key).Scan(&n)
	})
	return n, err
}

// Notices implements cycle.NoticeStore.
func (db *CycleStore) Notices(ctx context.Context, account string, f cycle.NoticeFilter) ([]cycle.Notice, error) {
	if f.Limit <= 0 {
		f.Limit = 200
	}
	var out []cycle.Notice
	err := db.view(ctx, "notices of "+account, func(tx *sql.Tx) error {
		var err error
		out, err = queryAll(ctx, tx, sqlNotices, []any{account, f.Unread, f.Limit}, func(r *sql.Rows) (cycle.Notice, error) {
			var n cycle.Notice
			var ns noticeScan
			if err := r.Scan(noticeDest(&n, &ns)...); err != nil {
				return n, err
			}
			return n, ns.fill(&n)
		})
		return err
	})
	return out, err
}

// noticeScan holds the columns of a Notice that need converting.
type noticeScan struct {
	kind, taskKind string
	due            sql.NullString
	read           sql.NullTime
}

// noticeDest is where sqlNoticeColumns scan into; finish with fill.
func noticeDest(n *cycle.Notice, s *noticeScan) []any {
	return []any{&n.ID, &n.Key, &n.CycleID, &n.TaskID, &s.taskKind, &n.TaskTitle, &n.Unit, &s.kind, &s.due, &n.Seq,
		&n.Document, &n.DocumentCode, utc(&n.At), &s.read}
}

// fill converts the scanned columns of a notice.
func (s *noticeScan) fill(n *cycle.Notice) error {
	n.Kind, n.TaskKind = cycle.NotificationKind(s.kind), cycle.TaskKind(s.taskKind)
	if s.read.Valid {
		t := s.read.Time.UTC()
		n.ReadAt = &t
	}
	var err error
	n.Due, err = scanDate(s.due)
	return err
}

// UnreadNotices implements cycle.NoticeStore.
func (db *CycleStore) UnreadNotices(ctx context.Context, account string) (int, error) {
	var n int
	err := db.view(ctx, "unread notices of "+account, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, sqlUnreadNotices, account).Scan(&n)
	})
	return n, err
}

// MarkNoticesRead implements cycle.NoticeStore.
func (db *CycleStore) MarkNoticesRead(ctx context.Context, account string, ids []int64, at time.Time) (int, error) {
	var changed int64
	err := db.update(ctx, "mark notices read of "+account, func(tx *sql.Tx) error {
		var res sql.Result
		var err error
		if ids == nil {
			res, err = tx.ExecContext(ctx, sqlMarkAllRead, account, at)
		} else {
			distinct := map[int64]bool{}
			for _, id := range ids {
				distinct[id] = true
			}
			var own int
			if err := tx.QueryRowContext(ctx, sqlOwnNotices, account, pq.Array(ids)).Scan(&own); err != nil {
				return err
			}
			if own != len(distinct) {
				return cycle.Refuse(cycle.ENOTFOUND, cycle.Text{VI: "Có thông báo không phải của tài khoản %s", EN: "not every notice named is one of %s's"}, account)
			}
			res, err = tx.ExecContext(ctx, sqlMarkRead, account, pq.Array(ids), at)
		}
		if err != nil {
			return err
		}
		changed, err = res.RowsAffected()
		return err
	})
	return int(changed), err
}

// NoticeOutbox implements cycle.NoticeStore.
func (db *CycleStore) NoticeOutbox(ctx context.Context, account string) ([]cycle.OutboxItem, error) {
	var out []cycle.OutboxItem
	err := db.view(ctx, "notice outbox", func(tx *sql.Tx) error {
		var err error
		out, err = queryAll(ctx, tx, sqlOutbox, []any{account}, scanOutboxItem)
		return err
	})
	return out, err
}

// ClaimNotices implements cycle.OutboxStore.
func (db *CycleStore) ClaimNotices(ctx context.Context, attemptID string, now, digestBefore time.Time, limit int) ([]cycle.OutboxItem, error) {
	if limit <= 0 {
		limit = 50
	}
	var out []cycle.OutboxItem
	err := db.update(ctx, "claim notices", func(tx *sql.Tx) error {
		ids, err := queryAll(ctx, tx, sqlClaimNotices, []any{attemptID, now, digestBefore, limit}, func(r *sql.Rows) (int64, error) {
			var id int64
			return id, r.Scan(&id)
		})
		if err != nil || len(ids) == 0 {
			return err
		}
		out, err = queryAll(ctx, tx, sqlOutboxOf, []any{pq.Array(ids)}, scanOutboxItem)
		return err
	})
	return out, err
}

// FinishNotices implements cycle.OutboxStore.
func (db *CycleStore) FinishNotices(ctx context.Context, attemptID string, ids []int64, outcome cycle.OutboxStatus, address, messageID, lastError string, retryAt, at time.Time) (int, error) {
	switch outcome {
	case cycle.OutboxSent, cycle.OutboxFailed, cycle.OutboxUnknown, cycle.OutboxRefused, cycle.OutboxDropped:
	default:
		return 0, cycle.Errorf(cycle.EINVALID, "finish notices: %q is not an outcome", outcome)
	}
	if retryAt.IsZero() {
		retryAt = at
	}
	var n int64
	err := db.update(ctx, "finish notices", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, sqlFinishNotices, attemptID, pq.Array(ids), string(outcome), address, messageID, clipText(lastError, 2000), retryAt, at)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}

// ExpireNoticeClaims implements cycle.OutboxStore.
func (db *CycleStore) ExpireNoticeClaims(ctx context.Context, before, at time.Time) (int, error) {
	var n int64
	err := db.update(ctx, "expire notice claims", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, sqlExpireNotices, before)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}

func scanOutboxItem(r *sql.Rows) (cycle.OutboxItem, error) {
	var it cycle.OutboxItem
	var channel, status string
	var sent sql.NullTime
	var ns noticeScan
	var acc cycle.Account
	var role, notify string
	var last sql.NullTime
	dest := []any{&it.ID, &channel, &it.Digest, &status, &it.Attempts, &it.AttemptID, &it.Address, &it.MessageID, &it.LastError,
		utc(&it.CreatedAt), &sent}
	dest = append(dest, noticeDest(&it.Notice, &ns)...)
	dest = append(dest, &acc.ID, &acc.Name, &role, &acc.District, &acc.Disabled, utc(&acc.CreatedAt), &acc.Title, &acc.Email, &acc.Webhook, &notify, &last)
	if err := r.Scan(dest...); err != nil {
		return it, err
	}
	if err := ns.fill(&it.Notice); err != nil {
		return it, err
	}
	it.Channel, it.Status = cycle.NoticeChannel(channel), cycle.OutboxStatus(status)
	if sent.Valid {
		t := sent.Time.UTC()
		it.SentAt = &t
	}
	acc.Role, acc.Notify = cycle.Role(role), cycle.NotifyPref(notify)
	if last.Valid {
		t := last.Time.UTC()
		acc.LastSignIn = &t
	}
	it.Account = acc
	return it, nil
}

func clipText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return fmt.Sprintf("%s…", s[:n])
}
