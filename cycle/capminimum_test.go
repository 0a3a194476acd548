package cycle_test

import (
	"fmt"
	"testing"

	"chuyenhoa/cycle"
)

// unevenProvince has a district of 20 communes (15% → 3) and one of 4 (15% → 0.6).
func unevenProvince() cycle.Province {
	p := cycle.Province{Code: "77", Name: "Tỉnh Bà Rịa - Vũng Tàu", Districts: []cycle.District{{Code: "D0", Name: "Thành phố Vũng Tàu"}, {Code: "D1", Name: "Huyện Nhỏ"}}}
	for i := 0; i < 24; i++ {
		d := "D0"
		if i >= 20 {
			d = "D1"
		}
		p.Communes = append(p.Communes, cycle.Commune{Code: fmt.Sprintf("%05d", i+1), Name: fmt.Sprintf("Xã %d", i+1), Kind: cycle.KindXa, District: d})
	}
	return p
}

// Seed 002 §II.2: "không vượt quá 15% tổng số đơn vị hành chính cấp xã hiện
// có tại mỗi huyện, thành phố", in a plan "triển khai thực hiện tại tất cả 8
// huyện, thành phố". Without a minimum a district of 4 communes could never
// select one (15% of 4 = 0.6 → 0); policy 002 sets cap_minimum 1.
func TestDistrictCapMinimum(t *testing.T) {
	prov := unevenProvince()
	pol := mustPolicy(t, "002")
	if got := cycle.CapFor(prov, pol, "D0"); got != 3 {
		t.Fatalf("20 communes at 15%%: cap %d, want 3", got)
	}
	if got := cycle.CapFor(prov, pol, "D1"); got != 1 {
		t.Fatalf("4 communes at 15%% with cap_minimum 1: cap %d, want 1", got)
	}
	strict := pol
	strict.Selection.CapMinimum = 0
	if got := cycle.CapFor(prov, strict, "D1"); got != 0 {
		t.Fatalf("without a minimum, 15%% of 4 rounds down to %d, want 0", got)
	}
	// A minimum never exceeds the communes there are.
	strict.Selection.CapMinimum = 9
	if got := cycle.CapFor(prov, strict, "D1"); got != 4 {
		t.Fatalf("cap_minimum 9 of 4 communes: %d, want 4", got)
	}

	// Select: every commune of both districts proposed, as Loại 1.
	var props []cycle.Proposal
	for _, d := range prov.Districts {
		p := cycle.Proposal{Unit: d.Code}
		for i, c := range prov.CommunesOf(d.Code) {
			p.Statistics = append(p.Statistics, fig(c.Code, 10+i, 0, 0, 0))
			p.Proposed = append(p.Proposed, cycle.ProposedCommune{Commune: c.Code, Types: cycle.Types{1}})
		}
		props = append(props, p)
	}
	res := cycle.Select(prov, pol, props)
	per := map[string]int{}
	for _, c := range res.Selected() {
		per[c.District]++
	}
	if per["D0"] != 3 || per["D1"] != 1 || res.Cap != 4 {
		t.Fatalf("selected per district %v, cap %d; want D0 3, D1 1, cap 4", per, res.Cap)
	}
}

// Property: with any minimum, the cap of a scope is never above its
// communes and never below the rounded-down percentage.
func TestCapForBounds(t *testing.T) {
	for seed := uint64(1); seed <= 300; seed++ {
		prov := bigProvince(int(1+seed%12), int(1+seed%4))
		pol := cycle.DefaultPolicy()
		pol.Selection.CapScope = cycle.CapDistrict
		pol.Selection.CapPercent = int(1 + seed%40)
		pol.Selection.CapMinimum = int(seed % 3)
		for _, d := range prov.Districts {
			n := len(prov.CommunesOf(d.Code))
			c := cycle.CapFor(prov, pol, d.Code)
			if c > n || c < n*pol.Selection.CapPercent/100 || (c < pol.Selection.CapMinimum && c != n) {
				t.Fatalf("seed %d: %d communes, %d%%, minimum %d: cap %d", seed, n, pol.Selection.CapPercent, pol.Selection.CapMinimum, c)
			}
		}
	}
}
