package cycle_test

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"testing/quick"

	"chuyenhoa/cycle"
)

// programme2027 has, in testProvince, commune 01 in its first year
// (2026, approved by 05/QĐ-BCĐ), 05 continuing into its second (failed
// 2026), 06 recognised on 20/06/2026 and 07 recognised on 15/05/2024.
func programme2027() cycle.Programme {
	approval := cycle.DecisionRef{Code: "05/QĐ-BCĐ", Date: cycle.D(2026, 1, 20)}
	return cycle.Programme{Province: "51", Year: 2027, Entries: []cycle.ProgrammeEntry{
		{Commune: "01", Name: "Xã Một", FirstYear: 2026, Year: 2026, YearNo: 1, Standing: cycle.StandingInProgramme, Approval: approval},
		{Commune: "05", Name: "Phường Năm", District: "B", FirstYear: 2026, Year: 2026, YearNo: 1, Standing: cycle.StandingSecondYear, Approval: approval},
		{Commune: "06", Name: "Phường Sáu", FirstYear: 2025, Year: 2025, YearNo: 1, Standing: cycle.StandingRecognised,
			Recognition: cycle.DecisionRef{Code: "41/QĐ-BCĐ", Date: cycle.D(2026, 6, 20)}},
		{Commune: "07", Name: "Xã Bảy", FirstYear: 2023, Year: 2023, YearNo: 1, Standing: cycle.StandingRecognised,
			Recognition: cycle.DecisionRef{Code: "12/QĐ-BCĐ", Date: cycle.D(2024, 5, 15)}},
	}}
}

// A commune already in the programme, or recognised within the policy's
// window, is refused with its standing and the decision that put it there
// (000 §II.4.b: a recognised commune is "đưa ra khỏi danh sách cần chuyển
// hóa"; one failing its first year is "tiếp tục đưa vào diện chuyển hóa
// năm tiếp theo").
func TestValidateProposalInProgramme(t *testing.T) {
	prov, pol, prog := testProvince(), cycle.DefaultPolicy(), programme2027()
	pol.Selection.AboveDistrictAverage = false
	prop := cycle.Proposal{Unit: "A", Statistics: statsA(), Proposed: []cycle.ProposedCommune{{Commune: "01", Types: cycle.Types{1}}}}
	err := cycle.ValidateProposalIn(prov, pol, &prog, prop)
	if got := rules(err); len(got) != 1 || got[0] != cycle.RuleInProgramme {
		t.Fatalf("rules = %v, want [%s]", got, cycle.RuleInProgramme)
	}
	ce := err.(*cycle.Error)
	p := ce.Problems[0]
	for _, want := range []string{"đang chuyển hóa năm thứ nhất (năm 2026)", "Quyết định số 05/QĐ-BCĐ ngày 20/01/2026"} {
		if !strings.Contains(p.Text, want) {
			t.Errorf("Text %q lacks %q", p.Text, want)
		}
	}
	if !strings.Contains(p.Message, "already in the programme") || p.Field != "proposed[0]" || !strings.Contains(p.Commune, "Xã Một") {
		t.Errorf("problem = %+v", p)
	}
	if err := cycle.ValidateProposalIn(prov, pol, nil, prop); err != nil {
		t.Errorf("without a programme (cycles before the clean lists): %v", err)
	}

	propB := cycle.Proposal{Unit: "B", Statistics: statsB(), Proposed: []cycle.ProposedCommune{
		{Commune: "05", Types: cycle.Types{1}}, {Commune: "06", Types: cycle.Types{1}}, {Commune: "07", Types: cycle.Types{1}}}}
	err = cycle.ValidateProposalIn(prov, pol, &prog, propB)
	got := rules(err)
	if strings.Join(got, " ") != cycle.RuleInProgramme+" "+cycle.RuleRecognised {
		t.Fatalf("rules = %v: want 05 in the programme (second year), 06 recognised in 2026 (window 1 year: to 2027), 07 (2024) free", got)
	}
	ce = err.(*cycle.Error)
	if !strings.Contains(ce.Problems[0].Text, "chưa đạt năm 2026, tiếp tục chuyển hóa năm thứ hai") {
		t.Errorf("second year: %q", ce.Problems[0].Text)
	}
	if want := "Quyết định số 41/QĐ-BCĐ ngày 20/06/2026"; !strings.Contains(ce.Problems[1].Text, want) || !strings.Contains(ce.Problems[1].Text, "đến hết năm 2027") {
		t.Errorf("recognised: %q lacks %q", ce.Problems[1].Text, want)
	}
	pol.Selection.RecognisedExclusionYears = 0
	if got := rules(cycle.ValidateProposalIn(prov, pol, &prog, propB)); len(got) != 1 {
		t.Errorf("window 0: rules = %v, want only the second-year commune", got)
	}
}

// 000 §II.1.a caps the communes "thực hiện chuyển hóa hàng năm": the
// second-year commune takes one of the places.
func TestSelectSecondYearCountsAgainstCap(t *testing.T) {
	prov, pol, prog := testProvince(), cycle.DefaultPolicy(), programme2027()
	pol.Selection.CapPercent = 30 // 2 of 7
	pol.Selection.AboveDistrictAverage, pol.Selection.AboveProvinceAverage = false, false
	props := []cycle.Proposal{
		{Unit: "A", Statistics: statsA(), Proposed: []cycle.ProposedCommune{{Commune: "02", Types: cycle.Types{1}}, {Commune: "04", Types: cycle.Types{1}}}},
		{Unit: "B", Statistics: statsB(), Proposed: []cycle.ProposedCommune{{Commune: "05", Types: cycle.Types{1}}, {Commune: "07", Types: cycle.Types{1}}}},
	}
	sel := cycle.SelectIn(prov, pol, props, &prog)
	if len(sel.SecondYear) != 1 || sel.SecondYear[0].Commune != "05" || !sel.SecondYearCounted {
		t.Fatalf("second year = %+v", sel.SecondYear)
	}
	var selected []string
	for _, c := range sel.Selected() {
		selected = append(selected, c.Commune)
	}
	if len(selected) != 1 {
		t.Fatalf("selected %v: want 1 (cap 2, one place taken by the second-year commune)", selected)
	}
	for _, c := range sel.Candidates {
		if c.Commune == "05" && c.Eligible {
			t.Error("05, continuing into its second year, is eligible as a new commune")
		}
	}
	pol.Selection.SecondYearCountsAgainstCap = false
	if n := len(cycle.SelectIn(prov, pol, props, &prog).Selected()); n != 2 {
		t.Errorf("not counted: %d selected, want 2", n)
	}
}

func TestListOnce(t *testing.T) {
	list := []cycle.ListedCommune{{Commune: "01", Rank: 1}, {Commune: "05", Rank: 2}}
	second := []cycle.ListedCommune{{Commune: "05", Extension: true}, {Commune: "05", Extension: true}, {Commune: "06", Extension: true}}
	var got []string
	for _, l := range cycle.ListOnce(list, second) {
		got = append(got, fmt.Sprintf("%s/%v", l.Commune, l.Extension))
	}
	if strings.Join(got, " ") != "01/false 05/true 06/true" {
		t.Errorf("ListOnce = %v", got)
	}
}

// The property of the clean lists: over random provinces, programmes,
// proposals and policies, no commune gets two workflows in the same
// programme year (a new commune is never one the programme holds, and the
// decision lists each once), and no list exceeds its cap as the policy
// reads it (the second-year communes' places taken first when counted).
func TestCleanListsProperty(t *testing.T) {
	prop := func(seed int64) bool {
		r := rand.New(rand.NewSource(seed))
		prov, pol, prog, props := randomCycle(r)
		var accepted []cycle.Proposal
		for _, p := range props {
			if cycle.ValidateProposalIn(prov, pol, &prog, p) == nil {
				for _, pc := range p.Proposed {
					if _, _, barred := prog.Bar(pol, pc.Commune); barred {
						t.Logf("seed %d: accepted %s, barred by the programme", seed, pc.Commune)
						return false
					}
				}
			}
			// Proposals are accepted whole or not at all: keep the clean
			// part, as a unit would resubmit it.
			accepted = append(accepted, withoutBarred(pol, prog, p))
		}
		sel := cycle.SelectIn(prov, pol, accepted, &prog)
		list, err := cycle.Consolidate(prov, pol, sel, cycle.Consolidation{})
		if err != nil {
			t.Logf("seed %d: consolidate: %v", seed, err)
			return false
		}
		var second []cycle.ListedCommune
		for _, e := range sel.SecondYear {
			second = append(second, cycle.ListedCommune{Commune: e.Commune, Extension: true})
		}
		// One workflow per commune and year: the year's workflows are the
		// programme's (its entries for the year or continuing into it) and
		// the new list's.
		workflows := map[string]int{}
		for _, e := range prog.Entries {
			if e.Standing == cycle.StandingInProgramme || e.Standing == cycle.StandingSecondYear || e.Standing == cycle.StandingFollowUp {
				workflows[e.Commune]++
			}
		}
		for _, l := range list {
			workflows[l.Commune]++
		}
		for c, n := range workflows {
			if n > 1 {
				t.Logf("seed %d: commune %s in %d workflows", seed, c, n)
				return false
			}
		}
		seen := map[string]bool{}
		for _, l := range cycle.ListOnce(list, second) {
			if seen[l.Commune] {
				t.Logf("seed %d: %s listed twice", seed, l.Commune)
				return false
			}
			seen[l.Commune] = true
		}
		// The cap, scope by scope.
		used, reserved := map[string]int{}, map[string]int{}
		district := pol.Selection.CapScope == cycle.CapDistrict
		for _, l := range list {
			if district {
				used[l.District]++
			} else {
				used[""]++
			}
		}
		if pol.Selection.SecondYearCountsAgainstCap {
			for _, e := range sel.SecondYear {
				c, _ := prov.Commune(e.Commune)
				if district {
					reserved[c.District]++
				} else {
					reserved[""]++
				}
			}
		}
		for scope, n := range used {
			if limit := max(cycle.CapFor(prov, pol, scope)-reserved[scope], 0); n > limit {
				t.Logf("seed %d: scope %q lists %d new communes, cap %d less %d second-year", seed, scope, n, cycle.CapFor(prov, pol, scope), reserved[scope])
				return false
			}
		}
		return true
	}
	if err := quick.Check(prop, &quick.Config{MaxCount: 500}); err != nil {
		t.Error(err)
	}
}

// withoutBarred is p without the communes the programme bars.
func withoutBarred(pol cycle.Policy, prog cycle.Programme, p cycle.Proposal) cycle.Proposal {
	out := p
	out.Proposed = nil
	for _, pc := range p.Proposed {
		if _, _, barred := prog.Bar(pol, pc.Commune); !barred {
			out.Proposed = append(out.Proposed, pc)
		}
	}
	return out
}

var standings = []cycle.Standing{cycle.StandingInProgramme, cycle.StandingFollowUp, cycle.StandingRecognised,
	cycle.StandingRelapsed, cycle.StandingSecondYear, cycle.StandingResponsibility}

// randomCycle is a three-tier province of 2–5 districts of 2–12 communes,
// a programme over some of them, a policy and one proposal per district.
func randomCycle(r *rand.Rand) (cycle.Province, cycle.Policy, cycle.Programme, []cycle.Proposal) {
	const year = 2027
	prov := cycle.Province{Code: "51", Name: "Tỉnh Thử"}
	pol := cycle.DefaultPolicy()
	pol.Selection.CapPercent = 5 + r.Intn(40)
	pol.Selection.CapScope = []cycle.CapScope{cycle.CapProvince, cycle.CapDistrict}[r.Intn(2)]
	pol.Selection.CapMinimum = r.Intn(2)
	pol.Selection.SecondYearCountsAgainstCap = r.Intn(2) == 0
	pol.Selection.RecognisedExclusionYears = r.Intn(3)
	pol.Selection.AboveProvinceAverage, pol.Selection.AboveDistrictAverage = r.Intn(2) == 0, r.Intn(2) == 0
	prog := cycle.Programme{Province: "51", Year: year}
	var props []cycle.Proposal
	for d := 0; d < 2+r.Intn(4); d++ {
		dc := fmt.Sprintf("D%d", d)
		prov.Districts = append(prov.Districts, cycle.District{Code: dc, Name: "Huyện " + dc})
		p := cycle.Proposal{Unit: dc}
		for i := 0; i < 2+r.Intn(11); i++ {
			code := fmt.Sprintf("%s%02d", dc, i)
			prov.Communes = append(prov.Communes, cycle.Commune{Code: code, Name: "Xã " + code, Kind: cycle.KindXa, District: dc})
			p.Statistics = append(p.Statistics, fig(code, r.Intn(30), r.Intn(3), r.Intn(3), r.Intn(3)))
			if r.Intn(3) == 0 {
				p.Proposed = append(p.Proposed, cycle.ProposedCommune{Commune: code, Types: cycle.Types{1}})
			}
			if r.Intn(3) == 0 {
				st := standings[r.Intn(len(standings))]
				y := year - 1 - r.Intn(3)
				yn := 1 + r.Intn(2)
				if st == cycle.StandingInProgramme && r.Intn(2) == 0 {
					y, yn = year, 2
				}
				e := cycle.ProgrammeEntry{Commune: code, Name: "Xã " + code, District: dc, FirstYear: y - yn + 1, Year: y, YearNo: yn, Standing: st,
					Approval: cycle.DecisionRef{Code: fmt.Sprintf("%d/QĐ-BCĐ", r.Intn(90)+1), Date: cycle.D(y-yn+1, 1, 20)}}
				if st == cycle.StandingRecognised {
					e.Recognition = cycle.DecisionRef{Code: "9/QĐ-BCĐ", Date: cycle.D(y+1, 6, 20)}
				}
				prog.Entries = append(prog.Entries, e)
			}
		}
		props = append(props, p)
	}
	return prov, pol, prog, props
}

// The area average is computed from the statistics the secretariat holds
// (000 §II.3.b Loại 1: "thấp hơn hoặc bằng tỷ lệ bình quân một địa bàn cấp
// xã thuộc huyện"); a typed one that differs is refused.
func TestAreaFor(t *testing.T) {
	prov, pol := testProvince(), cycle.DefaultPolicy()
	st := cycle.AreaStatistics{Source: cycle.Word{VI: "số liệu đề xuất năm 2028", EN: "the 2028 proposals"}, Figures: append(statsA(), statsB()...)}
	a, ok := cycle.AreaFor(prov, pol, "02", st)
	if !ok || a.Name != "Huyện A" || a.Crimes != 24 || a.Communes != 4 || !a.Computed {
		t.Fatalf("area of 02 = %+v, %v; want Huyện A 24/4", a, ok)
	}
	if got := a.Vietnamese(); got != "Huyện A: 6,00 (24 vụ/4 xã) (hệ thống tính từ số liệu đề xuất năm 2028)" {
		t.Errorf("Vietnamese = %q", got)
	}
	if err := cycle.CheckTypedArea(&cycle.AreaAverage{Crimes: 48, Communes: 8}, a); err != nil {
		t.Errorf("the same average typed (48/8 = 24/4) refused: %v", err)
	}
	err := cycle.CheckTypedArea(&cycle.AreaAverage{Crimes: 30, Communes: 4}, a)
	if got := rules(err); len(got) != 1 || got[0] != "report.area_differs" {
		t.Fatalf("a different typed average: rules %v", got)
	}
	if p := err.(*cycle.Error).Problems[0]; !strings.Contains(p.Text, "7,50 (30 vụ/4 xã)") || !strings.Contains(p.Text, "6,00 (24 vụ/4 xã)") || !strings.Contains(p.Message, "differs") {
		t.Errorf("problem = %+v", p)
	}

	// A two-tier province: wards with wards and special zones, communes with communes.
	two := cycle.Province{Code: "80", Name: "Tỉnh Tây Ninh", Communes: []cycle.Commune{
		{Code: "1", Name: "Phường Một", Kind: cycle.KindPhuong}, {Code: "2", Name: "Phường Hai", Kind: cycle.KindPhuong},
		{Code: "3", Name: "Xã Ba", Kind: cycle.KindXa}, {Code: "4", Name: "Đặc khu Bốn", Kind: cycle.KindDacKhu}}}
	st2 := cycle.AreaStatistics{Figures: []cycle.CommuneFigures{fig("1", 10, 0, 0, 0), fig("2", 20, 0, 0, 0), fig("3", 2, 0, 0, 0), fig("4", 3, 0, 0, 0)}}
	if a, ok := cycle.AreaFor(two, pol, "1", st2); !ok || a.Crimes != 33 || a.Communes != 3 {
		t.Errorf("same_kind for a ward = %+v; want the wards and the special zone, 33/3", a)
	}
	if a, ok := cycle.AreaFor(two, pol, "3", st2); !ok || a.Crimes != 2 || a.Communes != 1 {
		t.Errorf("same_kind for a commune = %+v; want 2/1", a)
	}
	pol.Evaluation = &cycle.Evaluation{TwoTierArea: cycle.TwoTierNone}
	if a, ok := cycle.AreaFor(two, pol, "1", st2); !ok || !a.NotCompared {
		t.Errorf("none = %+v; want not compared", a)
	}
	full := policy(t, "000-quang-ngai-2021-2025")
	ev := *full.Evaluation // the built-in policy's evaluation is shared: change a copy
	ev.TwoTierArea = "district"
	full.Evaluation = &ev
	if err := full.Validate(); err == nil || !strings.Contains(err.Error(), "evaluation.two_tier_area") {
		t.Errorf("two_tier_area district: %v", err)
	}
}

// The verdict shows a computed average and where it came from; with no
// comparator (a two-tier policy's two_tier_area none) the check passes as
// not compared.
func TestVerdictShowsComputedArea(t *testing.T) {
	pol := policy(t, "000-quang-ngai-2021-2025")
	r := goodReport(cycle.TypeSocialOrder)
	r.Area = &cycle.AreaAverage{Name: "Thành phố Quảng Ngãi", Crimes: 36, Communes: 5, Computed: true,
		Source: "số liệu đề xuất năm 2028 (15/12/2026 – 14/12/2027)", SourceEN: "the proposals' figures for 2028"}
	v, err := cycle.Evaluate(pol, r)
	if err != nil {
		t.Fatal(err)
	}
	var crimes cycle.CriterionResult
	for _, res := range v.Results {
		if res.ID == "loai1.crimes" {
			crimes = res
		}
	}
	if !crimes.Passed || !strings.Contains(crimes.Text, "7,20 (36 vụ/5 xã) (hệ thống tính từ số liệu đề xuất năm 2028") || !strings.Contains(crimes.Detail, "computed from the proposals' figures for 2028") {
		t.Errorf("loai1.crimes = %+v", crimes)
	}
	r.Area = &cycle.AreaAverage{Name: "Tỉnh Thử", NotCompared: true, Computed: true}
	if v, _ = cycle.Evaluate(pol, r); v.Outcome != cycle.OutcomePass {
		t.Errorf("not compared: %s %+v", v.Outcome, v.Failed())
	}
}
