package postgres

import (
	"context"
	"database/sql"
	"errors"

	"github.com/lib/pq"

	"chuyenhoa/cycle"
)

const (
	sqlProposalRequest = `SELECT request_id FROM proposals WHERE cycle_id = $1 AND unit = $2 AND revision = $3`
	sqlInsertProposal  = `
INSERT INTO proposals (cycle_id, unit, revision, current, submitted_by, submitted_at, late, note, request_id)
VALUES ($1, $2, $3, false, $4::jsonb, $5, $6, $7, $8)`
	sqlInsertStatistics = `
INSERT INTO proposal_statistics (cycle_id, unit, revision, position, commune,
	social_order_crimes, economic_cases, environment_cases, drug_cases)
SELECT $1, $2, $3, u.position, u.commune, u.social_order, u.economic, u.environment, u.drugs
FROM unnest($4::text[], $5::integer[], $6::integer[], $7::integer[], $8::integer[])
	WITH ORDINALITY AS u(commune, social_order, economic, environment, drugs, position)`
	sqlInsertProposed = `
INSERT INTO proposed_communes (cycle_id, unit, revision, position, commune, types, reason)
SELECT $1, $2, $3, u.position, u.commune, u.types::integer[], u.reason
FROM unnest($4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS u(commune, types, reason, position)`
	// Two statements, not one: the unique index on the current revision is
	// checked row by row.
	sqlUncurrentProposals = `UPDATE proposals SET current = false WHERE cycle_id = $1 AND unit = $2 AND current`
	sqlCurrentProposal    = `
UPDATE proposals SET current = true
WHERE cycle_id = $1 AND unit = $2
	AND revision = (SELECT max(revision) FROM proposals WHERE cycle_id = $1 AND unit = $2)`

	sqlProposals = `
SELECT unit, revision, current, submitted_by, submitted_at, late, note
FROM proposals WHERE cycle_id = $1 ORDER BY unit COLLATE "C", revision`
	sqlStatistics = `
SELECT unit, revision, commune, social_order_crimes, economic_cases, environment_cases, drug_cases
FROM proposal_statistics WHERE cycle_id = $1 ORDER BY unit, revision, position`
	sqlProposed = `
SELECT unit, revision, commune, types, reason
FROM proposed_communes WHERE cycle_id = $1 ORDER BY unit, revision, position`
)

// saveProposal stores c's proposal as revision c.Revision of its unit and
// makes the unit's latest revision the current one.
func saveProposal(ctx context.Context, tx *sql.Tx, c cycle.Completion) error {
	p := c.Proposal
	var other string
	err := tx.QueryRowContext(ctx, sqlProposalRequest, c.CycleID, p.Unit, c.Revision).Scan(&other)
	if err == nil {
		return cycle.Refuse(cycle.ECONFLICT, cycle.Text{VI: "Lần gửi thứ %d đề xuất của đơn vị %s đã được lưu (yêu cầu %s)", EN: "revision %d of the proposal of %s is stored already (request %s)"}, c.Revision, p.Unit, other)
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	by, err := jsonParam(c.Actor)
	if err != nil {
		return err
	}
	key := []any{c.CycleID, p.Unit, c.Revision}
	if _, err := tx.ExecContext(ctx, sqlInsertProposal, append(key, by, c.At, c.Late, p.Note, c.RequestID)...); err != nil {
		return err
	}

	n := len(p.Statistics)
	communes := make([]string, n)
	social, economic, environment, drugs := make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
	for i, s := range p.Statistics {
		communes[i] = s.Commune
		social[i], economic[i], environment[i], drugs[i] = int64(s.SocialOrderCrimes), int64(s.EconomicCases), int64(s.EnvironmentCases), int64(s.DrugCases)
	}
	if _, err := tx.ExecContext(ctx, sqlInsertStatistics, append(key,
		pq.Array(communes), pq.Array(social), pq.Array(economic), pq.Array(environment), pq.Array(drugs))...); err != nil {
		return err
	}

	n = len(p.Proposed)
	proposed, types, reasons := make([]string, n), make([]string, n), make([]string, n)
	for i, pc := range p.Proposed {
		proposed[i], types[i], reasons[i] = pc.Commune, typesLiteral(pc.Types), pc.Reason
	}
	if _, err := tx.ExecContext(ctx, sqlInsertProposed, append(key, pq.Array(proposed), pq.Array(types), pq.Array(reasons))...); err != nil {
		return err
	}

	if _, err := tx.ExecContext(ctx, sqlUncurrentProposals, c.CycleID, p.Unit); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, sqlCurrentProposal, c.CycleID, p.Unit)
	return err
}

// revisionKey identifies one revision of one unit's proposal within a cycle.
type revisionKey struct {
	unit     string
	revision int
}

// Proposals returns every stored revision of every unit's proposal in the
// cycle, by unit and revision; Current marks each unit's latest.
func (db *SelectionStore) Proposals(ctx context.Context, cycleID string) ([]cycle.ProposalRevision, error) {
	var out []cycle.ProposalRevision
	err := db.view(ctx, "proposals of cycle "+cycleID, func(tx *sql.Tx) error {
		var err error
		out, err = queryAll(ctx, tx, sqlProposals, []any{cycleID}, func(r *sql.Rows) (cycle.ProposalRevision, error) {
			pr := cycle.ProposalRevision{CycleID: cycleID}
			var by []byte
			if err := r.Scan(&pr.Unit, &pr.Revision, &pr.Current, &by, utc(&pr.SubmittedAt), &pr.Late, &pr.Proposal.Note); err != nil {
				return pr, err
			}
			pr.Proposal.Unit = pr.Unit
			return pr, scanJSON(by, &pr.SubmittedBy)
		})
		if err != nil {
			return err
		}
		index := make(map[revisionKey]*cycle.ProposalRevision, len(out))
		for i := range out {
			index[revisionKey{out[i].Unit, out[i].Revision}] = &out[i]
		}
		if err := eachRow(ctx, tx, sqlStatistics, cycleID, func(r *sql.Rows) error {
			var k revisionKey
			var s cycle.CommuneFigures
			if err := r.Scan(&k.unit, &k.revision, &s.Commune, &s.SocialOrderCrimes, &s.EconomicCases, &s.EnvironmentCases, &s.DrugCases); err != nil {
				return err
			}
			if pr := index[k]; pr != nil {
				pr.Proposal.Statistics = append(pr.Proposal.Statistics, s)
			}
			return nil
		}); err != nil {
			return err
		}
		return eachRow(ctx, tx, sqlProposed, cycleID, func(r *sql.Rows) error {
			var k revisionKey
			var pc cycle.ProposedCommune
			var types pq.Int64Array
			if err := r.Scan(&k.unit, &k.revision, &pc.Commune, &types, &pc.Reason); err != nil {
				return err
			}
			pc.Types = scanTypes(types)
			if pr := index[k]; pr != nil {
				pr.Proposal.Proposed = append(pr.Proposal.Proposed, pc)
			}
			return nil
		})
	})
	return out, err
}

// eachRow runs a query with one argument and calls fn for each row.
func eachRow(ctx context.Context, tx *sql.Tx, query string, arg any, fn func(*sql.Rows) error) error {
	rows, err := tx.QueryContext(ctx, query, arg)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
