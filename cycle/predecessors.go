package cycle

import "strings"

// The communes before and since 1 July 2025: 10,035 old communes became
// 3,321 new ones, most by merging whole (nhập toàn bộ), some split across
// two to five new communes (nhập một phần). A period before 1 July 2025 —
// the proposals' figures of a cycle of 2025, a baseline of the six months
// before a transformation year of 2026 — is known by old commune; for a
// commune that exists only since, its figures are the sum of the old
// communes that went into it.

// How an old commune went into a new one (the conversion table's column
// "transfer").
const (
	TransferWhole         = "whole"          // nhập toàn bộ
	TransferPartial       = "partial"        // nhập một phần: split across several new communes
	TransferUnchanged     = "unchanged"      // giữ nguyên
	TransferRenamed       = "renamed"        // đổi tên
	TransferWholeDistrict = "whole-district" // a district without communes became a đặc khu
)

// Predecessor is one old commune (before 1 July 2025) that went, whole or
// in part, into a new commune.
type Predecessor struct {
	NewProvince string `json:"new_province"`
	NewCommune  string `json:"new_commune"`
	NewName     string `json:"new_name"`
	OldProvince string `json:"old_province"`
	OldDistrict string `json:"old_district"`
	// OldDistrictName is the old district ("Huyện Bình Sơn").
	OldDistrictName string `json:"old_district_name"`
	OldCommune      string `json:"old_commune"` // empty: a district without communes, or an area outside any
	OldName         string `json:"old_name"`
	Transfer        string `json:"transfer"`
	Successors      int    `json:"successors"` // how many new communes the old one went into
}

// Whole reports whether all of the old commune went into the new one, so
// that its figures are the new commune's share without apportioning.
func (p Predecessor) Whole() bool {
	return p.Transfer != TransferPartial && p.Successors <= 1
}

// Predecessors is the conversion table, looked up by new and by old
// commune code. Build it with NewPredecessors.
type Predecessors struct {
	byNew map[string][]Predecessor
	byOld map[string][]Predecessor
}

// NewPredecessors indexes the table's rows (sample.Predecessors reads the
// national one).
func NewPredecessors(rows []Predecessor) Predecessors {
	t := Predecessors{byNew: map[string][]Predecessor{}, byOld: map[string][]Predecessor{}}
	for _, r := range rows {
		t.byNew[r.NewCommune] = append(t.byNew[r.NewCommune], r)
		if r.OldCommune != "" {
			t.byOld[r.OldCommune] = append(t.byOld[r.OldCommune], r)
		}
	}
	return t
}

// Of are the old communes a new commune was made of, in the table's order.
func (t Predecessors) Of(newCommune string) []Predecessor { return t.byNew[newCommune] }

// SuccessorsOf are the new communes an old commune went into.
func (t Predecessors) SuccessorsOf(oldCommune string) []Predecessor { return t.byOld[oldCommune] }

// Len is the number of new communes in the table.
func (t Predecessors) Len() int { return len(t.byNew) }

// PreMergerSum is a new commune's figures for a period before 1 July
// 2025: the sum of its predecessors'.
type PreMergerSum struct {
	Commune string  `json:"commune"`
	Figures Figures `json:"figures"`
	// Summed are the predecessors counted; Missing the whole ones the
	// figures do not hold; Partial those split across several new
	// communes, whose figures cannot be apportioned and are left out.
	Summed  []Predecessor `json:"summed,omitempty"`
	Missing []Predecessor `json:"missing,omitempty"`
	Partial []Predecessor `json:"partial,omitempty"`
}

// Complete reports whether the sum covers the whole new commune: every
// predecessor went whole into it and has figures.
func (s PreMergerSum) Complete() bool {
	return len(s.Summed) > 0 && len(s.Missing) == 0 && len(s.Partial) == 0
}

// PredecessorNames names old communes for people: "Xã Bình Chánh
// (21040), Xã Bình Thạnh (21043)".
func PredecessorNames(ps []Predecessor) string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.OldName + " (" + p.OldCommune + ")"
	}
	return strings.Join(out, ", ")
}

// Note says in a language what the sum is made of: "tổng số liệu của Xã
// Bình Chánh, Xã Bình Thạnh (trước ngày 01/7/2025)", with the old
// communes left out and why.
func (s PreMergerSum) Note(lang Lang) string {
	var b strings.Builder
	if lang == English {
		b.WriteString("the sum of " + PredecessorNames(s.Summed) + " (before 1 July 2025)")
		if len(s.Partial) > 0 {
			b.WriteString("; left out, split across several communes: " + PredecessorNames(s.Partial))
		}
		if len(s.Missing) > 0 {
			b.WriteString("; no figures for " + PredecessorNames(s.Missing))
		}
		return b.String()
	}
	b.WriteString("tổng số liệu của " + PredecessorNames(s.Summed) + " (trước ngày 01/7/2025)")
	if len(s.Partial) > 0 {
		b.WriteString("; không tính " + PredecessorNames(s.Partial) + " (chỉ nhập một phần)")
	}
	if len(s.Missing) > 0 {
		b.WriteString("; không có số liệu của " + PredecessorNames(s.Missing))
	}
	return b.String()
}

// Describe is what a new commune's figures of a period before 1 July 2025
// are the sum of, without the figures: the predecessors that went whole
// into it (Summed) and those split across several new communes (Partial),
// whose share the unit must establish. Note says it.
func (t Predecessors) Describe(newCommune string) PreMergerSum {
	s := PreMergerSum{Commune: newCommune}
	for _, p := range t.byNew[newCommune] {
		switch {
		case p.OldCommune == "":
		case p.Whole():
			s.Summed = append(s.Summed, p)
		default:
			s.Partial = append(s.Partial, p)
		}
	}
	return s
}

// SumFigures sums, for a commune since 1 July 2025, the figures of a
// period before it, given by old commune code: every predecessor that
// went whole into it counts; one split across several new communes is
// left out (its figures cannot be apportioned), and one without figures
// is missing — Complete says whether the sum stands for the whole
// commune. ok is false when the commune has no predecessor with figures.
func (t Predecessors) SumFigures(newCommune string, old map[string]Figures) (s PreMergerSum, ok bool) {
	s.Commune = newCommune
	for _, p := range t.byNew[newCommune] {
		if p.OldCommune == "" {
			continue // a district without communes, an area outside any: nothing was counted there
		}
		f, has := old[p.OldCommune]
		switch {
		case !p.Whole():
			s.Partial = append(s.Partial, p)
		case !has:
			s.Missing = append(s.Missing, p)
		default:
			s.Summed = append(s.Summed, p)
			s.Figures.SocialOrderCrimes += f.SocialOrderCrimes
			s.Figures.EconomicCases += f.EconomicCases
			s.Figures.EnvironmentCases += f.EnvironmentCases
			s.Figures.DrugCases += f.DrugCases
		}
	}
	return s, len(s.Summed) > 0
}

// Since2025 restates statistics of a period before 1 July 2025, held by
// old commune code, for the communes of a province since: each commune of
// prov whose figures the sum covers completely (SumFigures), in the
// registry's order. Call it only for a period that ended before 1 July
// 2025: a new commune often keeps the code of one of its predecessors
// (Phường Ba Đình is 00004, old Phường Trúc Bạch's code), so the codes
// alone do not tell old figures from new.
func (t Predecessors) Since2025(prov Province, st AreaStatistics) AreaStatistics {
	old := make(map[string]Figures, len(st.Figures))
	for _, f := range st.Figures {
		old[f.Commune] = f.Figures
	}
	out := AreaStatistics{Source: Word{VI: st.Source.VI + ", cộng theo các xã trước ngày 01/7/2025", EN: st.Source.EN + ", summed from the communes before 1 July 2025"}}
	for _, c := range prov.Communes {
		if s, ok := t.SumFigures(c.Code, old); ok && s.Complete() {
			out.Figures = append(out.Figures, CommuneFigures{Commune: c.Code, Figures: s.Figures})
		}
	}
	return out
}
