package transformation

import (
	"context"
	"testing"

	"chuyenhoa/cycle"
	"chuyenhoa/policies"
	"chuyenhoa/sample"
)

// A half-year report of 2026 in Quảng Ngãi as it is now (51, two tiers)
// when the store holds no proposals of 2026: the area average comes from
// the 2025 cycle's figures (15/12/2023 – 14/12/2024), held by old commune
// of the three-tier province, summed per new commune from its
// predecessors — Phường Nghĩa Lộ is compared with the phường and đặc khu so
// restated, not with nothing.
func TestComputeAreaFromCommunesBeforeTheMerger(t *testing.T) {
	pol, err := policies.ByID("005")
	if err != nil {
		t.Fatal(err)
	}
	all, err := sample.Communes2025()
	if err != nil {
		t.Fatal(err)
	}
	var now cycle.Province
	for _, p := range all {
		if p.Code == "51" {
			now = p
		}
	}
	qn, _, err := sample.Province("quang-ngai")
	if err != nil {
		t.Fatal(err)
	}
	figs := sample.Figures(qn, 2025)
	s := areaStore{prov: now, cycles: map[string]cycle.CycleInfo{
		"cycle/51/2026": {ID: "cycle/51/2026", Province: "51", Year: 2026, Policy: pol},
		"cycle/51/2025": {ID: "cycle/51/2025", Province: "51", Year: 2025, Policy: cycle.DefaultPolicy()},
	}, proposals: map[string][]cycle.ProposalRevision{
		"cycle/51/2025": {{Current: true, Proposal: cycle.Proposal{Unit: "522", Statistics: figs}}},
	}}
	half := cycle.Span{From: cycle.D(2025, 12, 15), To: cycle.D(2026, 6, 14)}
	a, err := ComputeArea(context.Background(), s, pol, "cycle/51/2026", "21028", half)
	if err != nil || a == nil {
		t.Fatalf("area %+v, %v", a, err)
	}
	tab, _ := sample.Predecessors()
	old := map[string]cycle.Figures{}
	for _, f := range figs {
		old[f.Commune] = f.Figures
	}
	crimes, communes := 0, 0
	for _, c := range now.Communes {
		if c.Kind == cycle.KindXa {
			continue
		}
		if sum, ok := tab.SumFigures(c.Code, old); ok && sum.Complete() {
			crimes, communes = crimes+sum.Figures.SocialOrderCrimes, communes+1
		}
	}
	if communes == 0 || a.Crimes != crimes || a.Communes != communes || a.Name != "các phường, đặc khu của Tỉnh Quảng Ngãi" ||
		a.Source != "số liệu đề xuất năm 2025 (15/12/2023 – 14/12/2024), cộng theo các xã trước ngày 01/7/2025" {
		t.Errorf("area %+v; want %d crimes over %d phường and đặc khu", a, crimes, communes)
	}
}
