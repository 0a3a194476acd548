package transformation

import (
	"context"
	"strings"
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

// The report form of a commune formed on 1 July 2025 says what its
// baseline figures before that day are the sum of.
func TestBaselineFromPredecessors(t *testing.T) {
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
	before := cycle.Span{From: cycle.D(2025, 6, 15), To: cycle.D(2025, 12, 14)} // the recognition baseline of a 2026 cycle
	got, err := BaselineFromPredecessors(now, "21028", before)
	if err != nil || got != "tổng số liệu của Phường Lê Hồng Phong (21010), Phường Trần Phú (21013), Phường Quảng Phú (21016), Phường Nghĩa Lộ (21028) (trước ngày 01/7/2025)" {
		t.Errorf("Phường Nghĩa Lộ: %q %v", got, err)
	}
	if got, _ := BaselineFromPredecessors(now, "21136", before); !strings.Contains(got, "không tính Xã Trà Bùi (21142) (chỉ nhập một phần)") {
		t.Errorf("Xã Cà Đam: %q", got)
	}
	if got, _ := BaselineFromPredecessors(now, "21028", cycle.Span{From: cycle.D(2026, 6, 15), To: cycle.D(2026, 12, 14)}); got != "" {
		t.Errorf("a baseline after the merger: %q", got)
	}
	qn, _, _ := sample.Province("quang-ngai")
	if got, _ := BaselineFromPredecessors(qn, "21010", before); got != "" {
		t.Errorf("a province of 2024: %q", got)
	}
}
