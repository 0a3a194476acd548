package sample

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"
	"sync"

	"chuyenhoa/cycle"
)

// Predecessors is the national conversion table of the communes of 1 July
// 2025 (data/commune-predecessors-2025.csv: each new commune's old
// communes, whole or in part; see data/README.md for its provenance and
// licences), read once.
func Predecessors() (cycle.Predecessors, error) {
	predOnce.Do(func() { predTable, predErr = readPredecessors() })
	return predTable, predErr
}

var (
	predOnce  sync.Once
	predTable cycle.Predecessors
	predErr   error
)

func readPredecessors() (cycle.Predecessors, error) {
	raw, err := data.ReadFile("data/commune-predecessors-2025.csv")
	if err != nil {
		return cycle.Predecessors{}, fmt.Errorf("sample predecessors: %w", err)
	}
	recs, err := csv.NewReader(bytes.NewReader(raw)).ReadAll()
	if err != nil {
		return cycle.Predecessors{}, fmt.Errorf("sample predecessors: %w", err)
	}
	if len(recs) == 0 {
		return cycle.Predecessors{}, fmt.Errorf("sample predecessors: empty file")
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	for _, h := range []string{"new_province_code", "new_commune_code", "new_commune_name", "old_province_code", "old_district_code",
		"old_district_name", "old_commune_code", "old_commune_name", "transfer", "old_commune_successors"} {
		if _, ok := col[h]; !ok {
			return cycle.Predecessors{}, fmt.Errorf("sample predecessors: no column %q", h)
		}
	}
	rows := make([]cycle.Predecessor, 0, len(recs)-1)
	for i, r := range recs[1:] {
		n, err := strconv.Atoi(r[col["old_commune_successors"]])
		if err != nil {
			return cycle.Predecessors{}, fmt.Errorf("sample predecessors: line %d: successors %q", i+2, r[col["old_commune_successors"]])
		}
		rows = append(rows, cycle.Predecessor{
			NewProvince: r[col["new_province_code"]], NewCommune: r[col["new_commune_code"]], NewName: r[col["new_commune_name"]],
			OldProvince: r[col["old_province_code"]], OldDistrict: r[col["old_district_code"]], OldDistrictName: r[col["old_district_name"]],
			OldCommune: r[col["old_commune_code"]], OldName: r[col["old_commune_name"]], Transfer: r[col["transfer"]], Successors: n,
		})
	}
	return cycle.NewPredecessors(rows), nil
}
