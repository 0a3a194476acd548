package postgres

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/lib/pq"

	"chuyenhoa/cycle"
)

const (
	sqlInsertConsolidation = `
INSERT INTO consolidations (cycle_id, round, request_id, actor, at, decisions, note)
SELECT $1, COALESCE(max(round), 0) + 1, $2, $3::jsonb, $4, $5::jsonb, $6
FROM consolidations WHERE cycle_id = $1
RETURNING round`
	sqlInsertAppraisal = `
INSERT INTO appraisals (cycle_id, round, request_id, actor, at, approved, reason, minutes, members, removals)
SELECT $1, COALESCE(max(round), 0) + 1, $2, $3::jsonb, $4, $5, $6, $7, $8::text[], $9::jsonb
FROM appraisals WHERE cycle_id = $1
RETURNING round`
	sqlInsertList = `
INSERT INTO list_entries (cycle_id, stage, round, position, rank, commune, name, district, district_name, types, extension)
SELECT $1, $2, $3, u.position, u.rank, u.commune, u.name, u.district, u.district_name, u.types::integer[], u.extension
FROM unnest($4::integer[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::boolean[])
	WITH ORDINALITY AS u(rank, commune, name, district, district_name, types, extension, position)`

	// The latest round is that of the latest consolidation or appraisal,
	// not of the latest list: a council that returns the list reports none.
	sqlDraftList = `
SELECT rank, commune, name, district, district_name, types, extension FROM list_entries
WHERE cycle_id = $1 AND stage = 'draft'
	AND round = (SELECT max(round) FROM consolidations WHERE cycle_id = $1)
ORDER BY position`
	sqlAppraisedList = `
SELECT rank, commune, name, district, district_name, types, extension FROM list_entries
WHERE cycle_id = $1 AND stage = 'appraised'
	AND round = (SELECT max(round) FROM appraisals WHERE cycle_id = $1)
ORDER BY position`
)

// saveConsolidation stores the secretariat's consolidation as the cycle's
// next round, with its draft list.
func saveConsolidation(ctx context.Context, tx *sql.Tx, c cycle.Completion) error {
	var cons cycle.Consolidation
	if c.Consolidation != nil {
		cons = *c.Consolidation
	}
	actor, err := jsonParam(c.Actor)
	if err != nil {
		return err
	}
	decisions, err := jsonParam(nonNil(cons.Decisions))
	if err != nil {
		return err
	}
	var round int
	if err := tx.QueryRowContext(ctx, sqlInsertConsolidation, c.CycleID, c.RequestID, actor, c.At, decisions, cons.Note).Scan(&round); err != nil {
		return err
	}
	return insertList(ctx, tx, c.CycleID, cycle.ListDraft, round, c.List)
}

// saveAppraisal stores the council's conclusion as the cycle's next round,
// with the list it reports to the head.
func saveAppraisal(ctx context.Context, tx *sql.Tx, c cycle.Completion) error {
	a := c.Appraisal
	actor, err := jsonParam(c.Actor)
	if err != nil {
		return err
	}
	removals, err := jsonParam(nonNil(a.Removals))
	if err != nil {
		return err
	}
	var round int
	if err := tx.QueryRowContext(ctx, sqlInsertAppraisal, c.CycleID, c.RequestID, actor, c.At,
		a.Approved, a.Reason, a.Minutes, pq.Array(nonNil(a.Members)), removals).Scan(&round); err != nil {
		return err
	}
	return insertList(ctx, tx, c.CycleID, cycle.ListAppraised, round, c.List)
}

func insertList(ctx context.Context, tx *sql.Tx, cycleID string, stage cycle.ListStage, round int, list []cycle.ListedCommune) error {
	if len(list) == 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, sqlInsertList, append([]any{cycleID, string(stage), round}, listParams(list)...)...)
	return err
}

// List returns the cycle's list at a stage as of its latest round: the draft
// of the latest consolidation, or the list of the latest appraisal (empty
// if that appraisal returned the list). Nil if there is none yet.
func (db *SelectionStore) List(ctx context.Context, cycleID string, stage cycle.ListStage) ([]cycle.ListedCommune, error) {
	var query string
	switch stage {
	case cycle.ListDraft:
		query = sqlDraftList
	case cycle.ListAppraised:
		query = sqlAppraisedList
	default:
		return nil, cycle.Errorf(cycle.EINVALID, "list of cycle %s: unknown stage %q", cycleID, stage)
	}
	var out []cycle.ListedCommune
	err := db.view(ctx, fmt.Sprintf("%s list of cycle %s", stage, cycleID), func(tx *sql.Tx) error {
		var err error
		out, err = queryAll(ctx, tx, query, []any{cycleID}, scanListed)
		return err
	})
	return out, err
}

func scanListed(r *sql.Rows) (cycle.ListedCommune, error) {
	var l cycle.ListedCommune
	var types pq.Int64Array
	err := r.Scan(&l.Rank, &l.Commune, &l.Name, &l.District, &l.DistrictName, &types, &l.Extension)
	l.Types = scanTypes(types)
	return l, err
}

// nonNil returns s, or an empty slice for nil, so that it is stored as an
// empty JSON or SQL array rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// listParams are the columns of a list as arrays for sqlInsertList.
func listParams(list []cycle.ListedCommune) []any {
	n := len(list)
	ranks := make([]int64, n)
	codes, names, districts, districtNames, types := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	ext := make([]bool, n)
	for i, l := range list {
		ranks[i], codes[i], names[i], districts[i], districtNames[i], types[i], ext[i] =
			int64(l.Rank), l.Commune, l.Name, l.District, l.DistrictName, typesLiteral(l.Types), l.Extension
	}
	return []any{pq.Array(ranks), pq.Array(codes), pq.Array(names), pq.Array(districts), pq.Array(districtNames), pq.Array(types), pq.Array(ext)}
}
