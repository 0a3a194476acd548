package postgres

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/lib/pq"

	"chuyenhoa/cycle"
)

const (
	sqlDeleteSelection = `DELETE FROM selections WHERE cycle_id = $1` // cascades to the candidates
	sqlInsertSelection = `
INSERT INTO selections (cycle_id, at, province_crimes, reported_communes, total_communes, province_average, cap, averages, missing)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::text[])`
	sqlInsertCandidates = `
INSERT INTO selection_candidates (cycle_id, position, commune, name, district, district_name, types,
	social_order_crimes, economic_cases, environment_cases, drug_cases, reason, eligible, rank, selected, checks)
SELECT $1, u.position, u.commune, u.name, u.district, u.district_name, u.types::integer[],
	u.social_order, u.economic, u.environment, u.drugs, u.reason, u.eligible, u.rank, u.selected, u.checks::jsonb
FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
		$7::integer[], $8::integer[], $9::integer[], $10::integer[],
		$11::text[], $12::boolean[], $13::integer[], $14::boolean[], $15::text[])
	WITH ORDINALITY AS u(commune, name, district, district_name, types,
		social_order, economic, environment, drugs, reason, eligible, rank, selected, checks, position)`

	sqlSelection = `
SELECT province_crimes, reported_communes, total_communes, province_average, cap, averages, missing
FROM selections WHERE cycle_id = $1`
	sqlCandidates = `
SELECT commune, name, district, district_name, types, social_order_crimes, economic_cases, environment_cases,
	drug_cases, reason, eligible, rank, selected, checks
FROM selection_candidates WHERE cycle_id = $1 ORDER BY position`
)

// SaveSelection stores the verdict of every selection rule for every
// candidate, replacing the cycle's previous selection. The error is
// ENOTFOUND if the cycle is not recorded.
func (db *SelectionStore) SaveSelection(ctx context.Context, cycleID string, sel cycle.SelectionResult, at time.Time) error {
	return db.update(ctx, "save selection of cycle "+cycleID, func(tx *sql.Tx) error {
		if err := lockCycle(ctx, tx, cycleID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, sqlDeleteSelection, cycleID); err != nil {
			return err
		}
		averages, err := jsonParam(nonNil(sel.Averages))
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, sqlInsertSelection, cycleID, at, sel.ProvinceCrimes, sel.ReportedCommunes,
			sel.TotalCommunes, sel.ProvinceAverage, sel.Cap, averages, pq.Array(nonNil(sel.Missing))); err != nil {
			return err
		}
		if len(sel.Candidates) == 0 {
			return nil
		}
		n := len(sel.Candidates)
		var (
			communes, names, districts, districtNames, types, reasons, checks = make([]string, n), make([]string, n),
				make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
			social, economic, environment, drugs, ranks = make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
			eligible, selected                          = make([]bool, n), make([]bool, n)
		)
		for i, c := range sel.Candidates {
			communes[i], names[i], districts[i], districtNames[i], types[i], reasons[i] =
				c.Commune, c.Name, c.District, c.DistrictName, typesLiteral(c.Types), c.Reason
			social[i], economic[i], environment[i], drugs[i] =
				int64(c.Figures.SocialOrderCrimes), int64(c.Figures.EconomicCases), int64(c.Figures.EnvironmentCases), int64(c.Figures.DrugCases)
			eligible[i], ranks[i], selected[i] = c.Eligible, int64(c.Rank), c.Selected
			if checks[i], err = jsonParam(nonNil(c.Checks)); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, sqlInsertCandidates, cycleID,
			pq.Array(communes), pq.Array(names), pq.Array(districts), pq.Array(districtNames), pq.Array(types),
			pq.Array(social), pq.Array(economic), pq.Array(environment), pq.Array(drugs),
			pq.Array(reasons), pq.Array(eligible), pq.Array(ranks), pq.Array(selected), pq.Array(checks))
		return err
	})
}

// Selection returns the cycle's stored selection result, its candidates in
// the order they were saved. The error is ENOTFOUND if none is stored.
func (db *SelectionStore) Selection(ctx context.Context, cycleID string) (cycle.SelectionResult, error) {
	var sel cycle.SelectionResult
	err := db.view(ctx, "selection of cycle "+cycleID, func(tx *sql.Tx) error {
		var averages []byte
		var missing pq.StringArray
		err := tx.QueryRowContext(ctx, sqlSelection, cycleID).Scan(&sel.ProvinceCrimes, &sel.ReportedCommunes,
			&sel.TotalCommunes, &sel.ProvinceAverage, &sel.Cap, &averages, &missing)
		if errors.Is(err, sql.ErrNoRows) {
			return cycle.Refuse(cycle.ENOTFOUND, cycle.Text{VI: "Chưa có kết quả lựa chọn địa bàn của đợt %s", EN: "no selection stored for cycle %s"}, cycleID)
		}
		if err != nil {
			return err
		}
		if len(missing) > 0 {
			sel.Missing = missing
		}
		if err := scanJSON(averages, &sel.Averages); err != nil {
			return err
		}
		if len(sel.Averages) == 0 {
			sel.Averages = nil
		}
		sel.Candidates, err = queryAll(ctx, tx, sqlCandidates, []any{cycleID}, func(r *sql.Rows) (cycle.Candidate, error) {
			var c cycle.Candidate
			var types pq.Int64Array
			var checks []byte
			if err := r.Scan(&c.Commune, &c.Name, &c.District, &c.DistrictName, &types,
				&c.Figures.SocialOrderCrimes, &c.Figures.EconomicCases, &c.Figures.EnvironmentCases, &c.Figures.DrugCases,
				&c.Reason, &c.Eligible, &c.Rank, &c.Selected, &checks); err != nil {
				return c, err
			}
			c.Types = scanTypes(types)
			return c, scanJSON(checks, &c.Checks)
		})
		return err
	})
	if err != nil {
		return cycle.SelectionResult{}, err
	}
	return sel, nil
}
