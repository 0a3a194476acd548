package sample_test

import (
	"strings"
	"testing"

	"chuyenhoa/cycle"
	"chuyenhoa/sample"
)

// The national table: 3,321 new communes, each with its predecessors.
func TestPredecessorsTable(t *testing.T) {
	tab, err := sample.Predecessors()
	if err != nil {
		t.Fatal(err)
	}
	if tab.Len() != 3321 {
		t.Errorf("%d new communes, want 3,321", tab.Len())
	}
	all, err := sample.Communes2025()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range all {
		for _, c := range p.Communes {
			if len(tab.Of(c.Code)) == 0 {
				t.Errorf("%s (%s) of %s has no predecessor", c.Name, c.Code, p.Name)
			}
		}
	}
	// Phường Nghĩa Lộ (21028) since 1 July 2025: four phường of the old
	// Thành phố Quảng Ngãi, whole.
	var names []string
	for _, p := range tab.Of("21028") {
		names = append(names, p.OldName)
		if !p.Whole() || p.NewName != "Phường Nghĩa Lộ" || p.OldDistrictName != "Thành phố Quảng Ngãi" {
			t.Errorf("predecessor %+v", p)
		}
	}
	if got := strings.Join(names, ", "); got != "Phường Lê Hồng Phong, Phường Trần Phú, Phường Quảng Phú, Phường Nghĩa Lộ" {
		t.Errorf("Phường Nghĩa Lộ's predecessors: %s", got)
	}
	// Xã Trà Bùi (21142) was split between Xã Cà Đam and Xã Tây Trà Bồng.
	if s := tab.SuccessorsOf("21142"); len(s) != 2 || s[0].NewName != "Xã Cà Đam" || s[1].NewName != "Xã Tây Trà Bồng" || s[0].Whole() {
		t.Errorf("Trà Bùi's successors: %+v", s)
	}
}

// A period before 1 July 2025, held by old commune (Quảng Ngãi's 2024
// registry, synthetic figures): the figures of a new commune are the sum
// of its predecessors'; a commune with a split predecessor is not complete.
func TestSumFiguresOfPredecessors(t *testing.T) {
	tab, err := sample.Predecessors()
	if err != nil {
		t.Fatal(err)
	}
	qn, _, err := sample.Province("quang-ngai")
	if err != nil {
		t.Fatal(err)
	}
	old := map[string]cycle.Figures{}
	for _, f := range sample.Figures(qn, 2025) {
		old[f.Commune] = f.Figures
	}
	want := cycle.Figures{}
	for _, code := range []string{"21010", "21013", "21016", "21028"} { // Lê Hồng Phong, Trần Phú, Quảng Phú, Nghĩa Lộ
		f := old[code]
		want.SocialOrderCrimes += f.SocialOrderCrimes
		want.EconomicCases += f.EconomicCases
		want.EnvironmentCases += f.EnvironmentCases
		want.DrugCases += f.DrugCases
	}
	s, ok := tab.SumFigures("21028", old)
	if !ok || !s.Complete() || s.Figures != want || len(s.Summed) != 4 {
		t.Fatalf("Phường Nghĩa Lộ: %+v (ok %v), want %+v", s, ok, want)
	}
	if got := s.Note(cycle.Vietnamese); got != "tổng số liệu của Phường Lê Hồng Phong (21010), Phường Trần Phú (21013), Phường Quảng Phú (21016), Phường Nghĩa Lộ (21028) (trước ngày 01/7/2025)" {
		t.Errorf("note %q", got)
	}
	// Xã Cà Đam: Xã Trà Bùi went only in part; it is left out, and said.
	s, _ = tab.SumFigures("21136", old)
	if s.Complete() || len(s.Partial) != 1 || s.Partial[0].OldName != "Xã Trà Bùi" {
		t.Errorf("Xã Cà Đam: %+v", s)
	}
	if got := s.Note(cycle.Vietnamese); !strings.Contains(got, "không tính Xã Trà Bùi (21142) (chỉ nhập một phần)") {
		t.Errorf("note %q", got)
	}
	// A figure missing for a whole predecessor: not complete.
	delete(old, "21013")
	if s, ok := tab.SumFigures("21028", old); !ok || s.Complete() || len(s.Missing) != 1 || s.Missing[0].OldName != "Phường Trần Phú" {
		t.Errorf("without Trần Phú: %+v", s)
	}
}

// Statistics of before 1 July 2025 restated for Quảng Ngãi as it is now
// (51): each new commune with complete predecessors gets their sum, and
// the area average of a phường is over the phường and đặc khu so restated.
func TestSince2025AreaAverage(t *testing.T) {
	tab, err := sample.Predecessors()
	if err != nil {
		t.Fatal(err)
	}
	qn, _, err := sample.Province("quang-ngai")
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
	st := tab.Since2025(now, cycle.AreaStatistics{Source: cycle.Word{VI: "số liệu đề xuất năm 2025", EN: "the 2025 proposals"}, Figures: sample.Figures(qn, 2025)})
	byCode := map[string]cycle.Figures{}
	for _, f := range st.Figures {
		byCode[f.Commune] = f.Figures
	}
	old := map[string]cycle.Figures{}
	for _, f := range sample.Figures(qn, 2025) {
		old[f.Commune] = f.Figures
	}
	sum, _ := tab.SumFigures("21028", old)
	if byCode["21028"] != sum.Figures {
		t.Errorf("Phường Nghĩa Lộ restated %+v, want %+v", byCode["21028"], sum.Figures)
	}
	if _, ok := byCode["21136"]; ok {
		t.Error("Xã Cà Đam restated though Xã Trà Bùi went only in part")
	}
	// Old Kon Tum's communes (62) are not in Quảng Ngãi's 2024 figures:
	// its new communes are left out, not counted as zero.
	for _, c := range now.Communes {
		ps := tab.Of(c.Code)
		if len(ps) > 0 && ps[0].OldProvince == "62" {
			if _, ok := byCode[c.Code]; ok {
				t.Errorf("%s restated from Quảng Ngãi's figures", c.Name)
			}
		}
	}
	pol := cycle.DefaultPolicy() // two_tier_area absent: same_kind
	a, ok := cycle.AreaFor(now, pol, "21028", st)
	if !ok || a.Name != "các phường, đặc khu của Tỉnh Quảng Ngãi" || a.Communes == 0 || !strings.Contains(a.Source, "cộng theo các xã trước ngày 01/7/2025") {
		t.Errorf("area %+v", a)
	}
}

// The provinces' table in cycle agrees with the communes' conversion
// table: every old commune's province went into the new province the
// table says, and the seeds' policies name it (province_since_2025).
func TestProvincesSince2025AgreeWithTheCommunes(t *testing.T) {
	tab, err := sample.Predecessors()
	if err != nil {
		t.Fatal(err)
	}
	all, err := sample.Communes2025()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 34 {
		t.Fatalf("%d provinces", len(all))
	}
	for _, p := range all {
		if name, ok := cycle.IsProvince2025(p.Code); !ok || name != p.Name {
			t.Errorf("province %s %s: cycle says %q %v", p.Code, p.Name, name, ok)
		}
		for _, c := range p.Communes {
			for _, pre := range tab.Of(c.Code) {
				if ch, ok := cycle.ProvinceSince2025(pre.OldProvince); !ok || ch.Now != p.Code {
					t.Errorf("%s (%s) of old province %s is in %s, cycle says %+v", pre.OldName, pre.OldCommune, pre.OldProvince, p.Code, ch)
				}
			}
		}
	}
	// The seed provinces of 2024 (their registries keep their old codes).
	for slug, now := range map[string]string{"quang-ngai": "51", "tay-ninh": "80", "ba-ria-vung-tau": "79", "binh-phuoc": "75", "quang-ninh": "22"} {
		p, _, err := sample.Province(slug)
		if err != nil {
			t.Fatal(err)
		}
		if ch, ok := cycle.ProvinceSince2025(p.Code); !ok || ch.Now != now {
			t.Errorf("%s (%s) since 1 July 2025: %+v, want %s", slug, p.Code, ch, now)
		}
		for _, c := range p.Communes {
			for _, s := range tab.SuccessorsOf(c.Code) {
				if s.NewProvince != now {
					t.Errorf("%s (%s) went into %s of province %s, want %s", c.Name, c.Code, s.NewName, s.NewProvince, now)
				}
			}
		}
	}
}
