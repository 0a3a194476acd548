package transformation

import (
	"context"

	"chuyenhoa/cycle"
	"chuyenhoa/sample"
)

// predecessors is the national conversion table of the communes of 1 July
// 2025 (a variable so that tests may give their own).
var predecessors = sample.Predecessors

// statisticsBefore2025 are the proposals' figures of year x's cycles of
// the old provinces a two-tier province was made of (Quảng Ngãi 51: the
// cycles of 51 and of Kon Tum, 62), a period before 1 July 2025 held by old
// commune, restated per commune of prov: each new commune's figures are
// the sum of the old communes that went whole into it
// (cycle.Predecessors.Since2025; a commune with a predecessor split across
// several new communes has no complete figures and is left out of the
// average). found is false when no old province has a cycle of x.
func statisticsBefore2025(ctx context.Context, s AreaStore, prov cycle.Province, x int, st cycle.AreaStatistics) (cycle.AreaStatistics, bool, error) {
	found := false
	var old cycle.AreaStatistics
	for _, o := range cycle.MergedInto(prov.Code) {
		revs, err := s.Proposals(ctx, cycleID(o.Old, x))
		if cycle.ErrorCode(err) == cycle.ENOTFOUND {
			continue
		} else if err != nil {
			return st, false, err
		}
		found = true
		for _, rev := range revs {
			if rev.Current {
				old.Figures = append(old.Figures, rev.Proposal.Statistics...)
			}
		}
	}
	if !found {
		return st, false, nil
	}
	t, err := predecessors()
	if err != nil {
		return st, false, err
	}
	old.Source = st.Source
	return t.Since2025(prov, old), true, nil
}

// BaselineFromPredecessors says, for a report form in a two-tier province
// whose baseline period (kỳ so sánh) begins before 1 July 2025, what the
// commune's baseline figures are the sum of: "tổng số liệu của Phường Lê
// Hồng Phong (21010), … (trước ngày 01/7/2025)", with the old communes
// split across several new ones left out and named. Empty when the
// period is after the merger, the province has districts, or the commune
// has no predecessor but itself.
func BaselineFromPredecessors(prov cycle.Province, commune string, baseline cycle.Span) (string, error) {
	if !prov.TwoTier() || !baseline.From.Before(cycle.TwoTierSince) {
		return "", nil
	}
	t, err := predecessors()
	if err != nil {
		return "", err
	}
	d := t.Describe(commune)
	if len(d.Summed)+len(d.Partial) == 0 || (len(d.Summed) == 1 && len(d.Partial) == 0 && d.Summed[0].OldCommune == commune && d.Summed[0].OldName == d.Summed[0].NewName) {
		return "", nil
	}
	if len(d.Summed) == 0 {
		return "chỉ nhập một phần của " + cycle.PredecessorNames(d.Partial) + " (trước ngày 01/7/2025): đơn vị xác định số liệu của phần đã nhập", nil
	}
	return d.Note(cycle.Vietnamese), nil
}
