package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"chuyenhoa/cycle"
)

const (
	sqlAddDelegation = `
INSERT INTO delegations (from_account, to_account, title, from_date, to_date, created_by, created_at)
VALUES ($1, $2, $3, $4::date, $5::date, $6, $7) RETURNING id`
	sqlDelegations = `
SELECT id, from_account, to_account, title, to_char(from_date, 'YYYY-MM-DD'), to_char(to_date, 'YYYY-MM-DD'), created_by, created_at, revoked_at
FROM delegations WHERE $1 = '' OR from_account = $1 OR to_account = $1 ORDER BY id`
	sqlRevokeDelegation = `UPDATE delegations SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL`
)

// AddDelegation records a head's delegation of his signature to a deputy
// and returns its ID. The error is EINVALID for a period that ends before
// it starts, a deputy who is the head, or no title; ENOTFOUND for an
// unknown account.
func (db *AccountStore) AddDelegation(ctx context.Context, d cycle.Delegation) (int64, error) {
	op := fmt.Sprintf("delegate %s to %s", d.From, d.To)
	var probs []cycle.Problem
	if d.From == d.To {
		probs = append(probs, cycle.NewProblem("delegation.self"))
	}
	if d.ToDate.Before(d.FromDate) || d.FromDate.IsZero() {
		probs = append(probs, cycle.NewProblem("delegation.period", d.FromDate, d.ToDate))
	}
	if cycle.Clean(d.Title) == "" {
		probs = append(probs, cycle.NewProblem("delegation.title"))
	}
	if err := cycle.Invalid("delegation", probs); err != nil {
		return 0, failure(op, err)
	}
	var id int64
	err := db.update(ctx, op, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, sqlAddDelegation, d.From, d.To, cycle.Clean(d.Title), dateParam(d.FromDate), dateParam(d.ToDate),
			d.CreatedBy, d.CreatedAt).Scan(&id)
	})
	return id, err
}

// Delegations lists the delegations from or to an account ("" for all).
func (db *AccountStore) Delegations(ctx context.Context, account string) ([]cycle.Delegation, error) {
	var out []cycle.Delegation
	err := db.view(ctx, "delegations", func(tx *sql.Tx) error {
		var err error
		out, err = queryAll(ctx, tx, sqlDelegations, []any{account}, func(r *sql.Rows) (cycle.Delegation, error) {
			var d cycle.Delegation
			var from, to sql.NullString
			var revoked sql.NullTime
			if err := r.Scan(&d.ID, &d.From, &d.To, &d.Title, &from, &to, &d.CreatedBy, utc(&d.CreatedAt), &revoked); err != nil {
				return d, err
			}
			var err error
			if d.FromDate, err = scanDate(from); err != nil {
				return d, err
			}
			if d.ToDate, err = scanDate(to); err != nil {
				return d, err
			}
			if revoked.Valid {
				t := revoked.Time.UTC()
				d.RevokedAt = &t
			}
			return d, nil
		})
		return err
	})
	return out, err
}

// RevokeDelegation ends a delegation (ENOTFOUND if there is none in force
// with that ID).
func (db *AccountStore) RevokeDelegation(ctx context.Context, id int64, at time.Time) error {
	return db.update(ctx, fmt.Sprintf("revoke delegation %d", id), func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, sqlRevokeDelegation, id, at)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			if err == nil {
				err = cycle.Refuse(cycle.ENOTFOUND, cycle.Text{VI: "Không có quyết định ủy quyền số %d còn hiệu lực", EN: "no delegation %d in force"}, id)
			}
			return err
		}
		return nil
	})
}
