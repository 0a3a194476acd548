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
	sqlPlanDelivery = `
INSERT INTO deliveries (document_id, recipient, label, channel, address, planned_at)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (document_id, recipient) DO NOTHING`
	sqlDeliveryColumns = `document_id, recipient, label, channel, address, status, attempts, attempt_id,
	last_error, message_id, planned_at, claimed_at, sent_at`
	sqlDeliveryLock = `SELECT ` + sqlDeliveryColumns + ` FROM deliveries WHERE document_id = $1 AND recipient = $2 FOR UPDATE`
	sqlDeliveries   = `SELECT ` + sqlDeliveryColumns + ` FROM deliveries WHERE document_id = $1 ORDER BY planned_at, recipient`
	sqlClaim        = `
UPDATE deliveries SET status = 'sending', attempts = attempts + 1, attempt_id = $3, claimed_at = $4, message_id = $5
WHERE document_id = $1 AND recipient = $2`
	sqlMarkUnknown = `UPDATE deliveries SET status = 'unknown', last_error = $3 WHERE document_id = $1 AND recipient = $2`
	sqlFinish      = `
UPDATE deliveries SET status = $3, last_error = $4, sent_at = $5 WHERE document_id = $1 AND recipient = $2`
)

// PlanDeliveries records the deliveries of a document, one per target, as
// pending. A target already planned keeps its record (and state).
func (db *DocumentStore) PlanDeliveries(ctx context.Context, documentID string, targets []cycle.DeliveryTarget, at time.Time) error {
	return db.update(ctx, "plan deliveries of "+documentID, func(tx *sql.Tx) error {
		for _, t := range targets {
			if _, err := tx.ExecContext(ctx, sqlPlanDelivery, documentID, t.Key, t.Label, string(t.Channel), t.Address, at); err != nil {
				return err
			}
		}
		return nil
	})
}

// ErrDeliveryUnknown is the code-less cause of an ECONFLICT from
// ClaimDelivery for a delivery whose outcome is unknown.
var ErrDeliveryUnknown = errors.New("delivery outcome unknown")

// ClaimDelivery takes a planned delivery for the attempt attemptID before
// the message leaves, and reports whether the caller may send it:
//
//   - pending or failed: claimed (status sending), true;
//   - sent: false, nil — it was delivered, do nothing;
//   - sending by this attempt: true (the same attempt asking again);
//   - sending by another attempt, which died before reporting: the
//     delivery may or may not have happened; it becomes unknown and the
//     error is ECONFLICT (never sent twice: a person checks);
//   - unknown: ECONFLICT.
//
// ENOTFOUND if it was never planned.
func (db *DocumentStore) ClaimDelivery(ctx context.Context, documentID, recipient, attemptID, messageID string, at time.Time) (cycle.DeliveryRecord, bool, error) {
	op := fmt.Sprintf("claim delivery of %s to %s", documentID, recipient)
	var rec cycle.DeliveryRecord
	var claimed bool
	var unknown error
	err := db.update(ctx, op, func(tx *sql.Tx) error {
		var err error
		rec, err = scanDelivery(tx.QueryRowContext(ctx, sqlDeliveryLock, documentID, recipient))
		if errors.Is(err, sql.ErrNoRows) {
			return cycle.Refuse(cycle.ENOTFOUND, cycle.Text{VI: "Không có việc gửi văn bản %s đến %s", EN: "no delivery of %s to %s is planned"}, documentID, recipient)
		}
		if err != nil {
			return err
		}
		switch rec.Status {
		case cycle.DeliverySent:
			return nil
		case cycle.DeliveryUnknown:
			unknown = cycle.Refuse(cycle.ECONFLICT, cycle.Text{VI: "%s: %v (%s): không tự động gửi lại", EN: "%s: %v (%s): not sent again automatically"}, op, ErrDeliveryUnknown, rec.LastError)
			return nil
		case cycle.DeliverySending:
			if rec.AttemptID == attemptID {
				claimed = true
				return nil
			}
			msg := fmt.Sprintf("attempt %s claimed it at %s and never reported back", rec.AttemptID, rec.ClaimedAt.Format(time.RFC3339))
			if _, err := tx.ExecContext(ctx, sqlMarkUnknown, documentID, recipient, msg); err != nil {
				return err
			}
			rec.Status, rec.LastError = cycle.DeliveryUnknown, msg
			unknown = cycle.Refuse(cycle.ECONFLICT, cycle.Text{VI: "%s: %v (%s): không tự động gửi lại", EN: "%s: %v (%s): not sent again automatically"}, op, ErrDeliveryUnknown, msg)
			return nil
		}
		if _, err := tx.ExecContext(ctx, sqlClaim, documentID, recipient, attemptID, at, messageID); err != nil {
			return err
		}
		rec.Status, rec.Attempts, rec.AttemptID, rec.MessageID = cycle.DeliverySending, rec.Attempts+1, attemptID, messageID
		t := at.UTC()
		rec.ClaimedAt = &t
		claimed = true
		return nil
	})
	if err != nil {
		return cycle.DeliveryRecord{}, false, err
	}
	return rec, claimed, unknown
}

// FinishDelivery records what the attempt that claimed a delivery
// achieved: sent, failed (a retry is safe) or unknown (the hand-over may
// have happened), with the error's text. The claiming attempt may report
// even after a later attempt marked the delivery unknown; ECONFLICT if
// another attempt claimed it since.
func (db *DocumentStore) FinishDelivery(ctx context.Context, documentID, recipient, attemptID string, outcome cycle.DeliveryStatus, lastError string, at time.Time) error {
	switch outcome {
	case cycle.DeliverySent, cycle.DeliveryFailed, cycle.DeliveryUnknown:
	default:
		return cycle.Refuse(cycle.EINVALID, cycle.Text{VI: "Kết quả gửi «%s» không hợp lệ: chỉ có đã gửi, gửi không được hoặc chưa rõ", EN: "a delivery finishes sent, failed or unknown, not %q"}, outcome)
	}
	op := fmt.Sprintf("finish delivery of %s to %s", documentID, recipient)
	return db.update(ctx, op, func(tx *sql.Tx) error {
		rec, err := scanDelivery(tx.QueryRowContext(ctx, sqlDeliveryLock, documentID, recipient))
		if errors.Is(err, sql.ErrNoRows) {
			return cycle.Refuse(cycle.ENOTFOUND, cycle.Text{VI: "Không có việc gửi văn bản %s đến %s", EN: "no delivery of %s to %s is planned"}, documentID, recipient)
		}
		if err != nil {
			return err
		}
		// The claiming attempt reports, even when a later attempt found it
		// silent and marked the delivery unknown (a slow send past the
		// activity's timeout): its report is the truth about the hand-over.
		if rec.Status != cycle.DeliverySending && rec.Status != cycle.DeliveryUnknown || rec.AttemptID != attemptID {
			return cycle.Refuse(cycle.ECONFLICT, cycle.Text{VI: "Việc gửi đang ở trạng thái %s theo lần gửi «%s», không phải lần gửi «%s»", EN: "the delivery is %s by attempt %q, not sending by %q"}, rec.Status, rec.AttemptID, attemptID)
		}
		msg, sent := lastError, sql.NullTime{}
		if outcome == cycle.DeliverySent {
			msg, sent = "", sql.NullTime{Time: at, Valid: true}
		}
		_, err = tx.ExecContext(ctx, sqlFinish, documentID, recipient, string(outcome), msg, sent)
		return err
	})
}

// Deliveries returns the deliveries of a document.
func (db *DocumentStore) Deliveries(ctx context.Context, documentID string) ([]cycle.DeliveryRecord, error) {
	var out []cycle.DeliveryRecord
	err := db.view(ctx, "deliveries of "+documentID, func(tx *sql.Tx) error {
		var err error
		out, err = queryAll(ctx, tx, sqlDeliveries, []any{documentID}, func(r *sql.Rows) (cycle.DeliveryRecord, error) {
			return scanDelivery(r)
		})
		return err
	})
	return out, err
}

func scanDelivery(s interface{ Scan(...any) error }) (cycle.DeliveryRecord, error) {
	var r cycle.DeliveryRecord
	var channel, status string
	var claimed, sent time.Time
	err := s.Scan(&r.DocumentID, &r.Key, &r.Label, &channel, &r.Address, &status, &r.Attempts, &r.AttemptID,
		&r.LastError, &r.MessageID, utc(&r.PlannedAt), utc(&claimed), utc(&sent))
	if err != nil {
		return r, err
	}
	r.Channel, r.Status = cycle.Channel(channel), cycle.DeliveryStatus(status)
	if !claimed.IsZero() {
		r.ClaimedAt = &claimed
	}
	if !sent.IsZero() {
		r.SentAt = &sent
	}
	return r, nil
}
