package postgres

import (
	"chuyenhoa/cycle"
	"context"
	"database/sql"
	"errors"
)

const (
	// Submissions to one round are serialized on its cycles row, so that
	// concurrent retries of one request see each other.
	sqlLockRound           = `SELECT id FROM cycles WHERE id = $1 FOR UPDATE`
	sqlNominationByRequest = `SELECT unit, revision FROM award_nominations WHERE round_id = $1 AND request_id = $2`
	sqlLastRevision        = `SELECT coalesce(max(revision), 0) FROM award_nominations WHERE round_id = $1 AND unit = $2`
	sqlRetireNominations   = `UPDATE award_nominations SET current = false WHERE round_id = $1 AND unit = $2 AND current`
	sqlInsertNominations   = `
INSERT INTO award_nominations (round_id, unit, revision, request_id, actor, at, nominations)
VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7::jsonb)`
	sqlInsertAwardReview = `
INSERT INTO award_reviews (round_id, request_id, actor, at, review)
VALUES ($1, $2, $3::jsonb, $4, $5::jsonb)
ON CONFLICT (round_id) DO NOTHING`
	sqlAwardReviewRequest = `SELECT request_id FROM award_reviews WHERE round_id = $1`
	sqlCurrentNominations = `
SELECT unit, revision, request_id, actor, at, nominations FROM award_nominations
WHERE round_id = $1 AND current ORDER BY unit`
)

// RecordNominations stores a unit's submission as its current one; the
// unit's earlier revisions are kept, no longer current. The same request
// ID again does nothing; a revision other than the next is ECONFLICT; an
// unrecorded round is ENOTFOUND.
func (db *AwardStore) RecordNominations(ctx context.Context, r cycle.NominationRecord) error {
	return db.update(ctx, "record nominations of "+r.Unit+" in "+r.RoundID, func(tx *sql.Tx) error {
		var id string
		if err := tx.QueryRowContext(ctx, sqlLockRound, r.RoundID).Scan(&id); errors.Is(err, sql.ErrNoRows) {
			return cycle.Refuse(cycle.ENOTFOUND, cycle.Text{VI: "Không có đợt khen thưởng %s trong hệ thống", EN: "award round %s is not recorded"}, r.RoundID)
		} else if err != nil {
			return err
		}
		var unit string
		var rev int
		err := tx.QueryRowContext(ctx, sqlNominationByRequest, r.RoundID, r.RequestID).Scan(&unit, &rev)
		if err == nil {
			return nil // a retry of a recorded request
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		var last int
		if err := tx.QueryRowContext(ctx, sqlLastRevision, r.RoundID, r.Unit).Scan(&last); err != nil {
			return err
		}
		if r.Revision != last+1 {
			return cycle.Refuse(cycle.ECONFLICT, cycle.Text{VI: "Lần gửi thứ %d đề nghị khen thưởng của đơn vị %s: lần gửi đã ghi nhận gần nhất là lần thứ %d", EN: "revision %d of %s's nominations: the last recorded is %d"}, r.Revision, r.Unit, last)
		}
		actor, err := jsonParam(r.Actor)
		if err != nil {
			return err
		}
		noms, err := jsonParam(r.Nominations)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, sqlRetireNominations, r.RoundID, r.Unit); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, sqlInsertNominations, r.RoundID, r.Unit, r.Revision, r.RequestID, actor, r.At, noms)
		return err
	})
}

// RecordAwardReview stores the council's review of a round, once: the
// same request again does nothing, another request is ECONFLICT.
func (db *AwardStore) RecordAwardReview(ctx context.Context, r cycle.AwardReviewRecord) error {
	return db.update(ctx, "record award review of "+r.RoundID, func(tx *sql.Tx) error {
		actor, err := jsonParam(r.Actor)
		if err != nil {
			return err
		}
		review, err := jsonParam(r.Review)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, sqlInsertAwardReview, r.RoundID, r.RequestID, actor, r.At, review); err != nil {
			return err
		}
		var req string
		if err := tx.QueryRowContext(ctx, sqlAwardReviewRequest, r.RoundID).Scan(&req); err != nil {
			return err
		}
		if req != r.RequestID {
			return cycle.Refuse(cycle.ECONFLICT, cycle.Text{VI: "Đợt khen thưởng %s đã được Hội đồng xét theo yêu cầu %s", EN: "award round %s was reviewed by request %s"}, r.RoundID, req)
		}
		return nil
	})
}

// Nominations returns the current submission of every unit of a round, by unit.
func (db *AwardStore) Nominations(ctx context.Context, roundID string) ([]cycle.NominationRecord, error) {
	var out []cycle.NominationRecord
	err := db.view(ctx, "nominations of "+roundID, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, sqlCurrentNominations, roundID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			r := cycle.NominationRecord{RoundID: roundID}
			var actor, noms []byte
			if err := rows.Scan(&r.Unit, &r.Revision, &r.RequestID, &actor, &r.At, &noms); err != nil {
				return err
			}
			if err := scanJSON(actor, &r.Actor); err != nil {
				return err
			}
			if err := scanJSON(noms, &r.Nominations); err != nil {
				return err
			}
			out = append(out, r)
		}
		return rows.Err()
	})
	return out, err
}
