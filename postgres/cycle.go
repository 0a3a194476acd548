package postgres

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"chuyenhoa/cycle"
)

const (
	// A new cycle is in its first phase from the moment it starts.
	sqlOpenCycle = `
INSERT INTO cycles (id, province, year, policy, phase, phase_at, started_by, started_at, synthetic)
VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7::jsonb, $6, $8)
ON CONFLICT (id) DO NOTHING`
	// A phase is only replaced by one recorded at the same time or later,
	// so that a stale retry of an earlier SetPhase cannot move a cycle back.
	sqlSetPhase = `
UPDATE cycles SET phase = $2, phase_at = $3
WHERE id = $1 AND phase_at <= $3`
	sqlCycleExists = `SELECT EXISTS (SELECT 1 FROM cycles WHERE id = $1)`
	sqlCycle       = `
SELECT province, year, policy, phase, started_by, started_at, synthetic
FROM cycles WHERE id = $1`
	sqlCycles = `
SELECT id, province, year, policy, phase, started_by, started_at, synthetic
FROM cycles ORDER BY started_at DESC, id`
	// lockCycle serialises the writers of one cycle's records (completions,
	// selections). FOR NO KEY UPDATE does not block the foreign-key checks of
	// rows that refer to the cycle.
	sqlLockCycle = `SELECT 1 FROM cycles WHERE id = $1 FOR NO KEY UPDATE`
)

// OpenCycle records a cycle's start, in phase cycle.PhaseProposals; it does
// nothing if the cycle is recorded already. The error is ENOTFOUND if the
// cycle's province is not in the registry.
func (db *CycleStore) OpenCycle(ctx context.Context, c cycle.CycleInfo) error {
	return db.update(ctx, "open cycle "+c.ID, func(tx *sql.Tx) error {
		policy, err := jsonParam(c.Policy)
		if err != nil {
			return err
		}
		startedBy, err := jsonParam(c.StartedBy)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, sqlOpenCycle, c.ID, c.Province, c.Year, policy,
			string(cycle.PhaseProposals), c.StartedAt, startedBy, c.Synthetic)
		return err
	})
}

// SetPhase records the cycle's current phase as of at. A call with an at
// earlier than the recorded phase's is ignored: it is a stale retry. The
// error is ENOTFOUND if the cycle is not recorded.
func (db *CycleStore) SetPhase(ctx context.Context, cycleID string, phase cycle.Phase, at time.Time) error {
	return db.update(ctx, "set phase of cycle "+cycleID, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, sqlSetPhase, cycleID, string(phase), at)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n > 0 {
			return err
		}
		return cycleExists(ctx, tx, cycleID)
	})
}

// Cycle returns a recorded cycle and its current phase (ENOTFOUND if the
// cycle is not recorded).
func (db *CycleStore) Cycle(ctx context.Context, id string) (cycle.CycleInfo, cycle.Phase, error) {
	c := cycle.CycleInfo{ID: id}
	var phase string
	err := db.view(ctx, "cycle "+id, func(tx *sql.Tx) error {
		var policy, startedBy []byte
		err := tx.QueryRowContext(ctx, sqlCycle, id).Scan(&c.Province, &c.Year, &policy, &phase, &startedBy, utc(&c.StartedAt), &c.Synthetic)
		if errors.Is(err, sql.ErrNoRows) {
			return cycle.Refuse(cycle.ENOTFOUND, cycle.Text{VI: "Không có đợt %s trong hệ thống", EN: "cycle %s is not recorded"}, id)
		}
		if err != nil {
			return err
		}
		if err := scanJSON(policy, &c.Policy); err != nil {
			return err
		}
		return scanJSON(startedBy, &c.StartedBy)
	})
	if err != nil {
		return cycle.CycleInfo{}, "", err
	}
	return c, cycle.Phase(phase), nil
}

// Cycles lists every recorded cycle and award round with its phase, the
// most recently started first.
func (db *CycleStore) Cycles(ctx context.Context) ([]cycle.CycleSummary, error) {
	var out []cycle.CycleSummary
	err := db.view(ctx, "cycles", func(tx *sql.Tx) error {
		var err error
		out, err = queryAll(ctx, tx, sqlCycles, nil, func(r *sql.Rows) (cycle.CycleSummary, error) {
			var c cycle.CycleSummary
			var policy, startedBy []byte
			var phase string
			if err := r.Scan(&c.ID, &c.Province, &c.Year, &policy, &phase, &startedBy, utc(&c.StartedAt), &c.Synthetic); err != nil {
				return c, err
			}
			c.Phase = cycle.Phase(phase)
			if err := scanJSON(policy, &c.Policy); err != nil {
				return c, err
			}
			return c, scanJSON(startedBy, &c.StartedBy)
		})
		return err
	})
	if out == nil {
		out = []cycle.CycleSummary{}
	}
	return out, err
}

// cycleExists returns ENOTFOUND if the cycle is not recorded.
func cycleExists(ctx context.Context, tx *sql.Tx, id string) error {
	var ok bool
	if err := tx.QueryRowContext(ctx, sqlCycleExists, id).Scan(&ok); err != nil {
		return err
	}
	if !ok {
		return cycle.Refuse(cycle.ENOTFOUND, cycle.Text{VI: "Không có đợt %s trong hệ thống", EN: "cycle %s is not recorded"}, id)
	}
	return nil
}

// lockCycle locks the cycle's row for the rest of the transaction; the
// error is ENOTFOUND if the cycle is not recorded.
func lockCycle(ctx context.Context, tx *sql.Tx, id string) error {
	var one int
	err := tx.QueryRowContext(ctx, sqlLockCycle, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return cycle.Refuse(cycle.ENOTFOUND, cycle.Text{VI: "Không có đợt %s trong hệ thống", EN: "cycle %s is not recorded"}, id)
	}
	return err
}
