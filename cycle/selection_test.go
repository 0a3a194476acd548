package cycle_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"chuyenhoa/cycle"
)

// A small three-tier province: district A has 4 communes, district B 3.
// Province average and district averages are easy to read off.
func testProvince() cycle.Province {
	return cycle.Province{
		Code: "51", Name: "Tỉnh Quảng Ngãi",
		Districts: []cycle.District{{Code: "A", Name: "Huyện A"}, {Code: "B", Name: "Huyện B"}},
		Communes: []cycle.Commune{
			{Code: "01", Name: "Xã Một", Kind: cycle.KindXa, District: "A"},
			{Code: "02", Name: "Xã Hai", Kind: cycle.KindXa, District: "A"},
			{Code: "03", Name: "Xã Ba", Kind: cycle.KindXa, District: "A", NewRural: true},
			{Code: "04", Name: "Thị trấn Bốn", Kind: cycle.KindThiTran, District: "A"},
			{Code: "05", Name: "Phường Năm", Kind: cycle.KindPhuong, District: "B"},
			{Code: "06", Name: "Phường Sáu", Kind: cycle.KindPhuong, District: "B"},
			{Code: "07", Name: "Xã Bảy", Kind: cycle.KindXa, District: "B"},
		},
	}
}

func fig(code string, crimes, econ, env, drugs int) cycle.CommuneFigures {
	return cycle.CommuneFigures{Commune: code, Figures: cycle.Figures{SocialOrderCrimes: crimes, EconomicCases: econ, EnvironmentCases: env, DrugCases: drugs}}
}

// District A: 10+2+9+3 = 24 crimes / 4 = 6.0; district B: 20+4+3 = 27 / 3 = 9.0;
// province: 51 / 7 ≈ 7.29.
func statsA() []cycle.CommuneFigures {
	return []cycle.CommuneFigures{fig("01", 10, 0, 1, 3), fig("02", 2, 0, 0, 0), fig("03", 9, 0, 0, 0), fig("04", 3, 1, 0, 0)}
}
func statsB() []cycle.CommuneFigures {
	return []cycle.CommuneFigures{fig("05", 20, 2, 0, 5), fig("06", 4, 0, 0, 0), fig("07", 3, 0, 0, 0)}
}

func rules(err error) []string {
	var ce *cycle.Error
	if !errors.As(err, &ce) {
		return nil
	}
	var out []string
	for _, p := range ce.Problems {
		out = append(out, p.Rule)
	}
	return out
}

var proposalCases = []struct {
	name   string
	clause string // the seed's words the case tests
	prop   cycle.Proposal
	rules  []string // expected problems, in order; nil = accepted
}{
	{
		name:   "valid multi-type proposal",
		clause: "000 §II.1.b: phân thành 04 loại; a commune complex in several types gets all of them",
		prop:   cycle.Proposal{Unit: "A", Statistics: statsA(), Proposed: []cycle.ProposedCommune{{Commune: "01", Types: cycle.Types{4, 1, 3}}}},
	},
	{
		name:   "an empty proposal is allowed",
		clause: "a district with no hotspot proposes none",
		prop:   cycle.Proposal{Unit: "A", Statistics: statsA()},
	},
	{
		name:   "new-rural commune excluded",
		clause: "000 §II.1.a: Đối với các địa bàn xã được công nhận đạt chuẩn nông thôn mới thì không lựa chọn",
		prop:   cycle.Proposal{Unit: "A", Statistics: statsA(), Proposed: []cycle.ProposedCommune{{Commune: "03", Types: cycle.Types{1}}}},
		rules:  []string{"selection.new_rural"},
	},
	{
		name:   "not above the district average",
		clause: "000 §II.1.a: cao hơn tỷ lệ bình quân một xã trong huyện, thị xã nơi xã đó trực thuộc",
		prop:   cycle.Proposal{Unit: "A", Statistics: statsA(), Proposed: []cycle.ProposedCommune{{Commune: "04", Types: cycle.Types{1, 2}}}},
		rules:  []string{"selection.district_average"},
	},
	{
		name:   "type without cases of its category",
		clause: "000 §II.1.b: Loại 4 — địa bàn trọng điểm, phức tạp về tội phạm và tệ nạn ma túy",
		prop:   cycle.Proposal{Unit: "A", Statistics: statsA(), Proposed: []cycle.ProposedCommune{{Commune: "01", Types: cycle.Types{1, 2}}}},
		rules:  []string{"selection.type_unsupported"},
	},
	{
		name:   "no type, unknown type, repeated type",
		clause: "000 §II.1.b: each selected commune is classified into one of the four types",
		prop: cycle.Proposal{Unit: "A", Statistics: statsA(), Proposed: []cycle.ProposedCommune{
			{Commune: "01"}, {Commune: "02", Types: cycle.Types{5}}, {Commune: "04", Types: cycle.Types{2, 2}},
		}},
		rules: []string{"proposal.types", "proposal.types", "selection.district_average", "proposal.types", "selection.district_average"},
	},
	{
		name:   "commune of another district, unknown code, duplicate",
		clause: "a district proposes its own communes",
		prop: cycle.Proposal{Unit: "A", Statistics: statsA(), Proposed: []cycle.ProposedCommune{
			{Commune: "05", Types: cycle.Types{1}}, {Commune: "99", Types: cycle.Types{1}}, {Commune: "01", Types: cycle.Types{1}}, {Commune: "01", Types: cycle.Types{1}},
		}},
		rules: []string{"registry.wrong_unit", "registry.unknown_commune", "proposal.duplicate"},
	},
	{
		name:   "statistics incomplete, duplicated, negative",
		clause: "the district average needs the figures of every commune of the district",
		prop:   cycle.Proposal{Unit: "A", Statistics: []cycle.CommuneFigures{fig("01", 10, 0, 0, 0), fig("01", 1, 0, 0, 0), fig("02", -1, 0, 0, 0)}},
		rules:  []string{"statistics.duplicate", "statistics.negative", "statistics.missing", "statistics.missing"},
	},
	{
		name:  "unknown unit",
		prop:  cycle.Proposal{Unit: "Z"},
		rules: []string{"registry.unknown_unit"},
	},
}

func TestValidateProposal(t *testing.T) {
	prov, pol := testProvince(), cycle.DefaultPolicy()
	for _, tc := range proposalCases {
		t.Run(tc.name, func(t *testing.T) {
			err := cycle.ValidateProposal(prov, pol, tc.prop)
			got := rules(err)
			if strings.Join(got, ",") != strings.Join(tc.rules, ",") {
				t.Fatalf("%s\nrules = %v, want %v\nerror: %v", tc.clause, got, tc.rules, err)
			}
			if err != nil && cycle.ErrorCode(err) != cycle.EINVALID {
				t.Fatalf("code = %s, want invalid", cycle.ErrorCode(err))
			}
		})
	}
}

func TestValidateProposalNamesCommuneAndFigures(t *testing.T) {
	err := cycle.ValidateProposal(testProvince(), cycle.DefaultPolicy(), proposalCases[3].prop)
	want := "Thị trấn Bốn (04): 3 crimes against social order, not above the average per commune of Huyện A: 6.00 (24 crimes / 4 communes)"
	if !strings.Contains(err.Error(), want) {
		t.Fatalf("error %q\ndoes not contain %q", err, want)
	}
}

func TestSelectAppliesProvinceAverageAndRanks(t *testing.T) {
	prov, pol := testProvince(), cycle.DefaultPolicy()
	pol.Selection.CapPercent = 100
	props := []cycle.Proposal{
		{Unit: "A", Statistics: statsA(), Proposed: []cycle.ProposedCommune{{Commune: "01", Types: cycle.Types{1, 3, 4}}}},
		{Unit: "B", Statistics: statsB(), Proposed: []cycle.ProposedCommune{{Commune: "05", Types: cycle.Types{1, 2, 4}}, {Commune: "06", Types: cycle.Types{1}}}},
	}
	res := cycle.Select(prov, pol, props)
	if res.ProvinceCrimes != 51 || res.ReportedCommunes != 7 {
		t.Fatalf("province totals %d/%d, want 51/7", res.ProvinceCrimes, res.ReportedCommunes)
	}
	// 05 (3 types, 20 crimes) before 01 (3 types, 10 crimes); 06 (4 ≤ 9.0 district, ≤ 7.29 province) ineligible.
	var order []string
	for _, c := range res.Candidates {
		order = append(order, c.Commune)
	}
	if strings.Join(order, ",") != "05,01,06" {
		t.Fatalf("order %v, want 05,01,06", order)
	}
	c06 := res.Candidates[2]
	if c06.Eligible || c06.Selected || c06.Rank != 0 {
		t.Fatalf("06 should be ineligible: %+v", c06)
	}
	var failed []string
	for _, ch := range c06.FailedChecks() {
		failed = append(failed, ch.Rule+": "+ch.Detail)
	}
	want := []string{
		"selection.province_average: 4 crimes against social order ≤ average per commune of Tỉnh Quảng Ngãi 7.29 (51 crimes / 7 communes)",
		"selection.district_average: 4 crimes against social order ≤ average per commune of Huyện B 9.00 (27 crimes / 3 communes)",
	}
	if strings.Join(failed, "\n") != strings.Join(want, "\n") {
		t.Fatalf("failed checks:\n%s\nwant:\n%s", strings.Join(failed, "\n"), strings.Join(want, "\n"))
	}
}

// 000 §II.1.a: "không vượt quá 15% tổng số đơn vị hành chính cấp xã trên địa bàn tỉnh".
func TestCapProvinceAndDistrict(t *testing.T) {
	prov := bigProvince(40, 2) // 80 communes: 15% → 12; per district 40 → 6
	pol := cycle.DefaultPolicy()
	props := proposeAll(prov)
	res := cycle.Select(prov, pol, props)
	if res.Cap != 12 || len(res.Selected()) != 12 {
		t.Fatalf("province cap %d, selected %d; want 12, 12", res.Cap, len(res.Selected()))
	}
	pol.Selection.CapScope = cycle.CapDistrict
	res = cycle.Select(prov, pol, props)
	perDistrict := map[string]int{}
	for _, c := range res.Selected() {
		perDistrict[c.District]++
	}
	if res.Cap != 12 || perDistrict["D0"] != 6 || perDistrict["D1"] != 6 {
		t.Fatalf("district cap: cap %d, per district %v; want 6 each", res.Cap, perDistrict)
	}
	for _, c := range res.Candidates {
		if c.Eligible && !c.Selected {
			ch := c.FailedChecks()
			if len(ch) != 1 || ch[0].Rule != cycle.RuleCap || !strings.Contains(ch[0].Detail, "beyond the cap of 6") {
				t.Fatalf("candidate beyond the cap should say so: %+v", ch)
			}
		}
	}
}

// Property: whatever the figures and the proposals, the selection never
// exceeds the cap, selected ⊆ eligible, and ranks are 1..n among eligible.
func TestSelectNeverExceedsCap(t *testing.T) {
	for seed := uint64(1); seed <= 200; seed++ {
		prov := bigProvince(int(3+seed%20), int(1+seed%5))
		props := randomProposals(prov, seed)
		for _, scope := range []cycle.CapScope{cycle.CapProvince, cycle.CapDistrict} {
			pol := cycle.DefaultPolicy()
			pol.Selection.CapScope = scope
			pol.Selection.CapPercent = int(5 + seed%30)
			res := cycle.Select(prov, pol, props)
			per := map[string]int{}
			rank := 0
			for _, c := range res.Candidates {
				if c.Selected && !c.Eligible {
					t.Fatalf("seed %d: selected but not eligible: %+v", seed, c)
				}
				if c.Eligible {
					rank++
					if c.Rank != rank {
						t.Fatalf("seed %d: rank %d, want %d", seed, c.Rank, rank)
					}
				}
				if c.Selected {
					per[c.District]++
					per[""]++
				}
			}
			if per[""] > cycle.CapFor(prov, pol, "") && scope == cycle.CapProvince {
				t.Fatalf("seed %d: %d selected > cap %d", seed, per[""], cycle.CapFor(prov, pol, ""))
			}
			for _, d := range prov.Districts {
				if scope == cycle.CapDistrict && per[d.Code] > cycle.CapFor(prov, pol, d.Code) {
					t.Fatalf("seed %d: district %s: %d > cap %d", seed, d.Code, per[d.Code], cycle.CapFor(prov, pol, d.Code))
				}
			}
		}
	}
}

func TestConsolidate(t *testing.T) {
	prov := bigProvince(20, 1) // 20 communes: cap 3
	pol := cycle.DefaultPolicy()
	props := proposeAll(prov)
	sel := cycle.Select(prov, pol, props)
	eligible := []cycle.Candidate{}
	var ineligible cycle.Candidate
	for _, c := range sel.Candidates {
		if c.Eligible {
			eligible = append(eligible, c)
		} else if ineligible.Commune == "" {
			ineligible = c
		}
	}
	// Dropping the first lets the fourth in.
	list, err := cycle.Consolidate(prov, pol, sel, cycle.Consolidation{Decisions: []cycle.CommuneDecision{{Commune: eligible[0].Commune, Reason: "đã ổn định"}}})
	if err != nil {
		t.Fatal(err)
	}
	got := []string{list[0].Commune, list[1].Commune, list[2].Commune}
	want := []string{eligible[1].Commune, eligible[2].Commune, eligible[3].Commune}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("list %v, want %v", got, want)
	}
	// Keeping the fifth puts it first.
	list, err = cycle.Consolidate(prov, pol, sel, cycle.Consolidation{Decisions: []cycle.CommuneDecision{{Commune: eligible[4].Commune, Keep: true, Reason: "phức tạp thực tế"}}})
	if err != nil || list[0].Commune != eligible[4].Commune || len(list) != 3 {
		t.Fatalf("keep: %v %v", list, err)
	}
	for _, tc := range []struct {
		name string
		d    []cycle.CommuneDecision
		rule string
	}{
		{"keep ineligible", []cycle.CommuneDecision{{Commune: ineligible.Commune, Keep: true, Reason: "x"}}, cycle.RuleProvinceAverage},
		{"no reason", []cycle.CommuneDecision{{Commune: eligible[0].Commune}}, "consolidation.reason"},
		{"not proposed", []cycle.CommuneDecision{{Commune: "nope", Reason: "x"}}, "consolidation.not_proposed"},
		{"twice", []cycle.CommuneDecision{{Commune: eligible[0].Commune, Reason: "x"}, {Commune: eligible[0].Commune, Keep: true, Reason: "y"}}, "consolidation.duplicate"},
		{"too many keeps", []cycle.CommuneDecision{
			{Commune: eligible[3].Commune, Keep: true, Reason: "x"}, {Commune: eligible[4].Commune, Keep: true, Reason: "x"},
			{Commune: eligible[5].Commune, Keep: true, Reason: "x"}, {Commune: eligible[6].Commune, Keep: true, Reason: "x"},
		}, cycle.RuleCap},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := cycle.Consolidate(prov, pol, sel, cycle.Consolidation{Decisions: tc.d})
			r := rules(err)
			if len(r) == 0 || r[0] != tc.rule {
				t.Fatalf("rules %v, want first %s (err %v)", r, tc.rule, err)
			}
		})
	}
}

func TestApplyAppraisal(t *testing.T) {
	draft := []cycle.ListedCommune{{Commune: "01", Name: "Xã Một", Rank: 1}, {Commune: "05", Name: "Phường Năm", Rank: 2}}
	list, err := cycle.ApplyAppraisal(draft, cycle.Appraisal{Approved: true, Removals: []cycle.CommuneDecision{{Commune: "01", Reason: "chưa đủ cơ sở"}}})
	if err != nil || len(list) != 1 || list[0].Commune != "05" || list[0].Rank != 1 {
		t.Fatalf("list %v err %v", list, err)
	}
	for _, tc := range []struct {
		a    cycle.Appraisal
		rule string
	}{
		{cycle.Appraisal{Approved: false}, "appraisal.reason"},
		{cycle.Appraisal{Approved: true, Removals: []cycle.CommuneDecision{{Commune: "09", Reason: "x"}}}, "appraisal.not_listed"},
		{cycle.Appraisal{Approved: true, Removals: []cycle.CommuneDecision{{Commune: "01"}}}, "appraisal.reason"},
		{cycle.Appraisal{Approved: true, Removals: []cycle.CommuneDecision{{Commune: "01", Reason: "x"}, {Commune: "05", Reason: "x"}}}, "appraisal.empty"},
	} {
		if r := rules(mustErr(cycle.ApplyAppraisal(draft, tc.a))); len(r) == 0 || r[0] != tc.rule {
			t.Errorf("%+v: rules %v, want %s", tc.a, r, tc.rule)
		}
	}
}

func mustErr(_ []cycle.ListedCommune, err error) error { return err }

func TestScheduleReminders(t *testing.T) {
	r := cycle.DefaultPolicy().Reminders
	due := cycle.D(2027, time.January, 31)
	got := r.Schedule(due, cycle.D(2027, time.January, 1).At(9))
	var s []string
	for _, a := range got {
		s = append(s, a.At.Format("02/01 15h")+" "+string(a.Kind))
	}
	if len(s) < 5 || strings.Join(s[:5], "; ") != "24/01 08h reminder; 30/01 08h reminder; 01/02 00h overdue; 03/02 08h escalation; 10/02 08h escalation" {
		t.Fatalf("schedule: %v", s)
	}
	if len(got) != 2+1+12 {
		t.Fatalf("%d alerts, want 15 (MaxEscalations 12)", len(got))
	}
	// Opened after the due date: the overdue notice at once, no reminders.
	now := cycle.D(2027, time.February, 5).At(10)
	late := r.Schedule(due, now)
	if late[0].Kind != cycle.NotifyOverdue || !late[0].At.Equal(now) || late[1].At.Before(now) {
		t.Fatalf("late schedule: %+v", late[:2])
	}
}

func TestPolicyValidate(t *testing.T) {
	if err := cycle.DefaultPolicy().Validate(); err != nil {
		t.Fatal(err)
	}
	p := cycle.DefaultPolicy()
	p.Selection.CapPercent = 0
	p.Calendar.DecisionDue = cycle.YearDay{Month: time.February, Day: 30}
	p.Reminders.DaysBefore = []int{0}
	got := rules(p.Validate())
	want := "policy.selection.cap_percent,policy.calendar.decision_due,policy.reminders.days_before[0]"
	if strings.Join(got, ",") != want {
		t.Fatalf("rules %v, want %s", got, want)
	}
}

// bigProvince has n communes in each of d districts, codes sorted.
func bigProvince(n, d int) cycle.Province {
	p := cycle.Province{Code: "99", Name: "Tỉnh Thử"}
	for i := 0; i < d; i++ {
		dc := "D" + string(rune('0'+i))
		p.Districts = append(p.Districts, cycle.District{Code: dc, Name: "Huyện " + dc})
		for j := 0; j < n; j++ {
			code := string(rune('A'+i)) + string(rune('a'+j/26)) + string(rune('a'+j%26))
			p.Communes = append(p.Communes, cycle.Commune{Code: code, Name: "Xã " + code, Kind: cycle.KindXa, District: dc})
		}
	}
	return p
}

// proposeAll proposes every commune; figures rise with the index, so the
// top half of each district is above both averages.
func proposeAll(p cycle.Province) []cycle.Proposal {
	var out []cycle.Proposal
	for _, d := range p.Districts {
		prop := cycle.Proposal{Unit: d.Code}
		for j, c := range p.CommunesOf(d.Code) {
			prop.Statistics = append(prop.Statistics, fig(c.Code, j, 0, j%3, j%2))
			types := cycle.Types{1}
			if j%3 > 0 {
				types = append(types, 3)
			}
			if j%2 > 0 {
				types = append(types, 4)
			}
			if j > 0 {
				prop.Proposed = append(prop.Proposed, cycle.ProposedCommune{Commune: c.Code, Types: types})
			}
		}
		out = append(out, prop)
	}
	return out
}

func randomProposals(p cycle.Province, seed uint64) []cycle.Proposal {
	x := seed*6364136223846793005 + 1442695040888963407
	next := func(n int) int {
		x = x*6364136223846793005 + 1442695040888963407
		return int((x >> 33) % uint64(n))
	}
	var out []cycle.Proposal
	for _, d := range p.Districts {
		prop := cycle.Proposal{Unit: d.Code}
		for _, c := range p.CommunesOf(d.Code) {
			prop.Statistics = append(prop.Statistics, fig(c.Code, next(30), next(3), next(3), next(4)))
			if next(2) == 0 {
				prop.Proposed = append(prop.Proposed, cycle.ProposedCommune{Commune: c.Code, Types: cycle.Types{cycle.CrimeType(1 + next(4))}})
			}
		}
		out = append(out, prop)
	}
	return out
}
