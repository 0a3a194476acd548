package cycle_test

import (
	"encoding/json"
	"math/rand"
	"strings"
	"testing"

	"chuyenhoa/cycle"
	"chuyenhoa/policies"
)

func ip(n int) *int   { return &n }
func bp(b bool) *bool { return &b }
func mustPolicy(t testing.TB, id string) cycle.Policy {
	t.Helper()
	p, err := policies.ByID(id)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// goodFigures meet every criterion of seed 000 for all four types, and
// every counted item of seed 004, against goodBaseline: 100% tips handled,
// 19 of 20 cases solved (95%), 4 of 4 serious, crimes 8 (1 proactive)
// against 10 (1 proactive) before: 7 against 9 is down 22%.
func goodFigures() cycle.ReportFigures {
	return cycle.ReportFigures{
		TipsReceived: ip(12), TipsHandled: ip(12), PoliticalSystemStable: bp(true), SelfManagementModels: ip(1),
		Households: ip(1500), HouseholdsInformed: ip(1500),
		OrganisedCrimeGroups: ip(0), BlackCreditCases: ip(0), CasesProsecuted: ip(20), CasesSolved: ip(19),
		SeriousCasesProsecuted: ip(4), SeriousCasesSolved: ip(4), SocialOrderCrimes: ip(8), ProactiveCases: ip(1),
		SocialEvilHotspots: ip(0), NewHotspots: ip(0), ReleasedPrisoners: ip(20), Reoffenders: ip(1),
		CounterfeitBusinesses: ip(0), EconomicCases: ip(5), ProlongedEconomicCases: ip(0),
		RepeatEnvironmentViolators: ip(0), EnvironmentCases: ip(4), ProlongedEnvironmentCases: ip(0),
		DrugOutrage: bp(false), DrugHotspots: ip(0), NewDrugHotspots: ip(0), DrugCases: ip(6), CompulsoryRehab: ip(3),
		Addicts: ip(30), NewAddicts: ip(0),
		MassDisorderIncidents: ip(0), SeriousTrafficAccidents: ip(1), CulturedFamilies: ip(1400), PatrolsPerWeek: ip(3), OtherModels: ip(2),
	}
}

func goodBaseline() cycle.ReportFigures {
	return cycle.ReportFigures{
		SocialOrderCrimes: ip(10), ProactiveCases: ip(1), SocialEvilHotspots: ip(3), EconomicCases: ip(3), EnvironmentCases: ip(2),
		DrugHotspots: ip(2), DrugCases: ip(4), CompulsoryRehab: ip(1), NewAddicts: ip(3), Addicts: ip(40), SeriousTrafficAccidents: ip(2),
	}
}

// goodReport is a Loại 1–4 commune; the district's average is 36/5 = 7.2
// crimes per commune, above the commune's 7 (8 less 1 proactive).
func goodReport(types ...cycle.CrimeType) cycle.CommuneReport {
	return cycle.CommuneReport{
		Commune: "21010", Name: "Phường Lê Hồng Phong", Kind: cycle.KindPhuong, Types: types,
		Figures: goodFigures(), Baseline: goodBaseline(),
		Area: &cycle.AreaAverage{Name: "Thành phố Quảng Ngãi", Crimes: 36, Communes: 5},
	}
}

// evalCases are table tests of the seed policies' evaluation, each quoting
// the clause it tests. fail lists the criteria expected to fail (nil: pass).
var evalCases = []struct {
	name   string
	policy string
	clause string
	report func() cycle.CommuneReport
	fail   []string
	detail string // a substring of the failing criterion's detail (the figures compared)
}{
	{
		name: "000 all criteria met, Loại 1", policy: "000",
		clause: "Địa bàn chuyển hóa đạt phải bảo đảm đủ 4/4 tiêu chí chung",
		report: func() cycle.CommuneReport { return goodReport(1) },
	},
	{
		name: "000 detection 76% < 80%", policy: "000",
		clause: "tỷ lệ điều tra, khám phá tội phạm đạt từ 80% trở lên",
		report: func() cycle.CommuneReport {
			r := goodReport(1)
			r.Figures.CasesProsecuted, r.Figures.CasesSolved = ip(25), ip(19)
			return r
		},
		fail: []string{"loai1.organised_detection"}, detail: "cases_solved/cases_prosecuted 76% (19 of 25) < 80%",
	},
	{
		name: "000 detection exactly 80% passes", policy: "000",
		clause: "đạt từ 80% trở lên",
		report: func() cycle.CommuneReport {
			r := goodReport(1)
			r.Figures.CasesProsecuted, r.Figures.CasesSolved = ip(25), ip(20)
			return r
		},
	},
	{
		name: "000 very serious 3 of 4 < 95%", policy: "000",
		clause: "các tội phạm rất nghiêm trọng, đặc biệt nghiêm trọng đạt 95% trở lên trong tổng số án khởi tố",
		report: func() cycle.CommuneReport {
			r := goodReport(1)
			r.Figures.SeriousCasesSolved = ip(3)
			return r
		},
		fail: []string{"loai1.organised_detection"}, detail: "75% (3 of 4) < 95%",
	},
	{
		name: "000 black credit", policy: "000",
		clause: "không có hoạt động của tội phạm và vi phạm pháp luật liên quan đến \"tín dụng đen\"",
		report: func() cycle.CommuneReport {
			r := goodReport(1)
			r.Figures.BlackCreditCases = ip(1)
			return r
		},
		fail: []string{"loai1.organised_detection"}, detail: "black_credit_cases 1 > 0",
	},
	{
		name: "000 crimes down only 5%", policy: "000",
		clause: "giảm so với cùng kỳ trước khi chuyển hóa phải đạt tỷ lệ giảm ít nhất 10%",
		report: func() cycle.CommuneReport {
			r := goodReport(1)
			r.Baseline.SocialOrderCrimes, r.Baseline.ProactiveCases = ip(21), ip(1) // 20 before, 19 now
			r.Figures.SocialOrderCrimes, r.Figures.ProactiveCases = ip(20), ip(1)
			r.Area = &cycle.AreaAverage{Name: "Huyện X", Crimes: 100, Communes: 5}
			return r
		},
		fail: []string{"loai1.crimes"}, detail: "down 5% < 10%",
	},
	{
		name: "000 proactive cases do not count against the commune", policy: "000",
		clause: "(trừ các vụ do chủ động phát hiện, bắt giữ như cờ bạc, mại dâm...)",
		report: func() cycle.CommuneReport {
			r := goodReport(1)
			// 10 crimes now, 6 of them gambling raids: 4 against 9 before.
			r.Figures.SocialOrderCrimes, r.Figures.ProactiveCases = ip(10), ip(6)
			return r
		},
	},
	{
		name: "000 above the district's average per commune", policy: "000",
		clause: "Số vụ tội phạm xâm phạm trật tự xã hội thấp hơn hoặc bằng tỷ lệ bình quân một địa bàn cấp xã thuộc huyện",
		report: func() cycle.CommuneReport {
			r := goodReport(1)
			r.Area = &cycle.AreaAverage{Name: "Huyện Bình Sơn", Crimes: 30, Communes: 5} // 6.0 < 7
			return r
		},
		fail: []string{"loai1.crimes"}, detail: "social_order_crimes less proactive_cases 7 > average per commune of Huyện Bình Sơn 6.00 (30 crimes / 5 communes)",
	},
	{
		name: "000 recidivism 3 of 20 = 15% is not under 15%", policy: "000",
		clause: "Tỷ lệ tái phạm tội … dưới 15%",
		report: func() cycle.CommuneReport {
			r := goodReport(1)
			r.Figures.Reoffenders = ip(3)
			return r
		},
		fail: []string{"loai1.recidivism"}, detail: "15% (3 of 20) ≥ 15%",
	},
	{
		name: "000 one tip not handled fails a general criterion", policy: "000",
		clause: "100% tố giác, tin báo về tội phạm trên địa bàn được tiếp nhận, xử lý",
		report: func() cycle.CommuneReport {
			r := goodReport(2)
			r.Figures.TipsHandled = ip(11)
			return r
		},
		fail: []string{"general.tips"}, detail: "91.67% (11 of 12) < 100%",
	},
	{
		name: "000 a missing figure is not assumed", policy: "000",
		clause: "Hệ thống chính trị ổn định, vững mạnh, đoàn kết",
		report: func() cycle.CommuneReport {
			r := goodReport(1)
			r.Figures.PoliticalSystemStable = nil
			return r
		},
		fail: []string{"general.political_system"}, detail: "political_system_stable not reported",
	},
	{
		name: "000 Loại 2 economic cases not more than before", policy: "000",
		clause: "Phát hiện, xử lý nhiều hơn số vụ … so với trước khi chuyển hóa",
		report: func() cycle.CommuneReport {
			r := goodReport(2)
			r.Figures.EconomicCases = ip(3)
			return r
		},
		fail: []string{"loai2.detected"}, detail: "economic_cases 3, not above 3 before",
	},
	{
		name: "000 multi-type commune fails on its second type only", policy: "000",
		clause: "Ngoài việc bảo đảm các tiêu chí chung, đối với từng loại địa bàn cần bảo đảm các tiêu chí sau",
		report: func() cycle.CommuneReport {
			r := goodReport(1, 4)
			r.Figures.NewDrugHotspots = ip(1)
			return r
		},
		fail: []string{"loai4.hotspots"}, detail: "new_drug_hotspots 1 > 0",
	},
	{
		name: "000 the same figures pass as Loại 1 alone", policy: "000",
		clause: "a criterion of Loại 4 does not apply to a Loại 1 commune",
		report: func() cycle.CommuneReport {
			r := goodReport(1)
			r.Figures.NewDrugHotspots = ip(1)
			return r
		},
	},
	{
		name: "000 Loại 4 new addicts up", policy: "000",
		clause: "Kiềm chế việc phát sinh người nghiện mới so với trước khi chuyển hóa",
		report: func() cycle.CommuneReport {
			r := goodReport(4)
			r.Figures.NewAddicts = ip(4)
			return r
		},
		fail: []string{"loai4.new_addicts"}, detail: "new_addicts 4 > 3 before",
	},
	{
		name: "002 all eight indicators", policy: "002",
		clause: "Địa bàn đạt 80% các chỉ tiêu của Kế hoạch này trở lên",
		report: func() cycle.CommuneReport { return goodReport(1) },
	},
	{
		name: "002 seven of eight indicators is 87.5% ≥ 80%: passes", policy: "002",
		clause: "Địa bàn đạt 80% các chỉ tiêu của Kế hoạch này trở lên",
		report: func() cycle.CommuneReport {
			r := goodReport(1)
			r.Figures.CasesSolved = ip(10) // 50% detection
			return r
		},
		fail: []string{"detection"}, // reported as failed, but the verdict passes
	},
	{
		name: "002 six of eight is 75% < 80%", policy: "002",
		clause: "Địa bàn đạt 80% các chỉ tiêu của Kế hoạch này trở lên",
		report: func() cycle.CommuneReport {
			r := goodReport(1)
			r.Figures.CasesSolved = ip(10)
			r.Figures.Reoffenders = ip(5)
			return r
		},
		fail: []string{"detection", "recidivism"}, detail: "25% (5 of 20) ≥ 15%",
	},
	{
		name: "002 every indicator but crime not reduced", policy: "002",
		clause: "trong đó giảm cơ bản tội phạm và tệ nạn xã hội",
		report: func() cycle.CommuneReport {
			r := goodReport(1)
			r.Figures.SocialOrderCrimes = ip(12)
			return r
		},
		fail: []string{"crime_reduced"}, detail: "social_order_crimes 12 against 10 before: no reduction",
	},
	{
		name: "002 a new hotspot is complexity emerging", policy: "002",
		clause: "không để phức tạp nổi lên về trật tự, an toàn xã hội",
		report: func() cycle.CommuneReport {
			r := goodReport(1)
			r.Figures.NewHotspots = ip(1)
			return r
		},
		fail: []string{"no_new_complexity"}, detail: "new_hotspots 1 > 0",
	},
	{
		name: "004 mass disorder disqualifies whatever the score", policy: "004",
		clause: "Không xét mô hình An ninh cơ sở nếu trên địa bàn để xảy ra … (1) Hoạt động tập trung đông người phá rối an ninh, biểu tình, bạo loạn, khủng bố",
		report: func() cycle.CommuneReport {
			r := goodReport(1)
			r.Figures.MassDisorderIncidents = ip(1)
			return r
		},
		fail: []string{"dq1.mass_disorder"}, detail: "mass_disorder_incidents 1 > 0",
	},
	{
		name: "004 crime not reduced disqualifies", policy: "004",
		clause: "(2) Địa bàn không kéo giảm tội phạm về trật tự xã hội so với năm trước",
		report: func() cycle.CommuneReport {
			r := goodReport(1)
			r.Figures.SocialOrderCrimes = ip(10)
			return r
		},
		fail: []string{"dq2.crime_not_reduced"}, detail: "no reduction",
	},
}

func TestEvaluateSeedPolicies(t *testing.T) {
	for _, tc := range evalCases {
		t.Run(tc.name, func(t *testing.T) {
			pol := mustPolicy(t, tc.policy)
			r := tc.report()
			if tc.policy == "004" {
				r.Assessments = allAssessed(pol, true)
			}
			v, err := cycle.Evaluate(pol, r)
			if err != nil {
				t.Fatal(err)
			}
			var failed []string
			for _, f := range v.Failed() {
				failed = append(failed, f.ID)
			}
			// 004's score items that fail without disqualifying are not
			// what these cases test; keep only the disqualifiers.
			if tc.policy == "004" {
				failed = onlyPrefix(failed, "dq")
			}
			if strings.Join(failed, ",") != strings.Join(tc.fail, ",") {
				t.Fatalf("%s\nfailed %v, want %v\n%s", tc.clause, failed, tc.fail, dump(v))
			}
			wantPass := len(tc.fail) == 0 || (tc.policy == "002" && len(tc.fail) == 1 && tc.fail[0] == "detection")
			if tc.policy == "004" {
				if wantPass != (v.Outcome != cycle.OutcomeFail) {
					t.Fatalf("outcome %s, want fail=%v\n%s", v.Outcome, !wantPass, dump(v))
				}
			} else if v.Passed() != wantPass {
				t.Fatalf("%s\noutcome %s, want pass=%v\n%s", tc.clause, v.Outcome, wantPass, dump(v))
			}
			if tc.detail != "" {
				found := false
				for _, f := range v.Failed() {
					found = found || strings.Contains(f.Detail, tc.detail)
				}
				if !found {
					t.Fatalf("no failed criterion says %q\n%s", tc.detail, dump(v))
				}
			}
		})
	}
}

func onlyPrefix(ids []string, prefix string) []string {
	var out []string
	for _, id := range ids {
		if strings.HasPrefix(id, prefix) {
			out = append(out, id)
		}
	}
	return out
}

func allAssessed(pol cycle.Policy, v bool) map[string]bool {
	out := map[string]bool{}
	for _, c := range pol.Evaluation.Criteria {
		for _, ch := range c.Checks {
			if ch.Rule == cycle.RuleAssessed {
				out[c.ID] = v
			}
		}
	}
	return out
}

func dump(v cycle.Verdict) string {
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}

// TestScore004 checks the 100-point table of seed 004 on a phường that meets
// every item: the most a phường can score is 99 (group II capped at its
// printed 66, group IV's items printing 3 of its 4 points), and with no pass
// mark in the plan the outcome is for the council.
func TestScore004(t *testing.T) {
	pol := mustPolicy(t, "004")
	r := goodReport(1)
	r.Assessments = allAssessed(pol, true)
	v, err := cycle.Evaluate(pol, r)
	if err != nil {
		t.Fatal(err)
	}
	if v.Outcome != cycle.OutcomeScored {
		t.Fatalf("outcome %s, want scored (the plan sets no pass mark)\n%s", v.Outcome, dump(v))
	}
	// Items the good report misses: c12.b (1 → … 2 serious accidents before, 1 now: −50% ≥ 5%, met);
	// c15.b phường: 1400/1500 = 93.33% > 90 → 4 points. Everything met: 10 + 66 + 20 + 3.
	if v.Score != 99 || v.MaxScore != 99 {
		t.Fatalf("score %v of %v, want 99 of 99\n%s", v.Score, v.MaxScore, dump(v))
	}

	// "Từ trên 85% - 90%: 1 điểm": 11 of 12 tips handled is 91.67% → 1.5
	// points; group II still reaches its cap of 66 (68 printed), so take
	// away 7 points of crime reduction to see the band: 68−7−0.5 = 60.5.
	r.Figures.TipsHandled = ip(11)
	r.Figures.SocialOrderCrimes = ip(9) // 9 against 10: −10% ≥ 7%, still met
	r.Assessments["c4"] = false         // −7
	v, _ = cycle.Evaluate(pol, r)
	if got := pointsOf(v, "c3"); got != 1.5 {
		t.Fatalf("c3 with 91.67%%: %v points, want 1.5\n%s", got, dump(v))
	}
	if v.Score != 10+60.5+20+3 {
		t.Fatalf("score %v, want %v", v.Score, 10+60.5+20+3)
	}

	// A xã is scored on the xã bands: 1400/1500 = 93.33% is in "Từ 91% - 95%: 3,5 điểm".
	r = goodReport(1)
	r.Kind = cycle.KindXa
	r.Assessments = allAssessed(pol, true)
	v, _ = cycle.Evaluate(pol, r)
	if got := pointsOf(v, "c15.c"); got != 3.5 {
		t.Fatalf("xã with 93.33%% cultured families: %v, want 3.5", got)
	}
	if hasResult(v, "c15.b") || hasResult(v, "c16.c") {
		t.Fatal("a xã is judged on the phường bands")
	}
}

func pointsOf(v cycle.Verdict, id string) float64 {
	for _, r := range v.Results {
		if r.ID == id {
			return r.Points
		}
	}
	return -1
}

func hasResult(v cycle.Verdict, id string) bool { return pointsOf(v, id) >= 0 }

// TestRemovingAFailingCriterionNeverTurnsPassIntoFail: for random reports
// under each policy with an evaluation method, dropping a criterion that
// failed from the policy never turns a pass (or a score) worse.
func TestRemovingAFailingCriterionNeverTurnsPassIntoFail(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	for _, id := range []string{"000", "002", "004"} {
		pol := mustPolicy(t, id)
		for i := 0; i < 300; i++ {
			r := randomReport(rng, pol)
			v, err := cycle.Evaluate(pol, r)
			if err != nil {
				t.Fatal(err)
			}
			failed := v.Failed()
			if len(failed) == 0 {
				continue
			}
			drop := failed[rng.Intn(len(failed))].ID
			p2 := withoutCriterion(pol, drop)
			v2, err := cycle.Evaluate(p2, r)
			if err != nil {
				t.Fatal(err)
			}
			if v.Passed() && !v2.Passed() {
				t.Fatalf("%s: dropping failed %s turned a pass into %s\n%s", id, drop, v2.Outcome, dump(v2))
			}
			if v2.Score < v.Score {
				t.Fatalf("%s: dropping failed %s lowered the score %v → %v", id, drop, v.Score, v2.Score)
			}
			if v.Outcome != cycle.OutcomeFail && v2.Outcome == cycle.OutcomeFail {
				t.Fatalf("%s: dropping failed %s made %s a fail", id, drop, v.Outcome)
			}
		}
	}
}

// TestMeetingMoreNeverHurts: turning one failed criterion's figures good
// (replacing the report with the good one for that figure set) never lowers
// the number met — a monotonicity check on the all-criteria method.
func TestAllCriteriaPassIffNothingFails(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	pol := mustPolicy(t, "000")
	for i := 0; i < 500; i++ {
		r := randomReport(rng, pol)
		v, _ := cycle.Evaluate(pol, r)
		if v.Passed() != (len(v.Failed()) == 0) {
			t.Fatalf("pass=%v with %d failed criteria\n%s", v.Passed(), len(v.Failed()), dump(v))
		}
		if v.Counted != v.Met+len(v.Failed()) {
			t.Fatalf("counted %d ≠ met %d + failed %d", v.Counted, v.Met, len(v.Failed()))
		}
	}
}

func withoutCriterion(pol cycle.Policy, id string) cycle.Policy {
	ev := *pol.Evaluation
	ev.Criteria, ev.Required = nil, nil
	for _, c := range pol.Evaluation.Criteria {
		if c.ID != id {
			ev.Criteria = append(ev.Criteria, c)
		}
	}
	for _, c := range pol.Evaluation.Required {
		if c.ID != id {
			ev.Required = append(ev.Required, c)
		}
	}
	pol.Evaluation = &ev
	return pol
}

// randomReport perturbs the good report: each figure kept, changed or
// dropped at random.
func randomReport(rng *rand.Rand, pol cycle.Policy) cycle.CommuneReport {
	var types cycle.Types
	for t := cycle.CrimeType(1); t <= 4; t++ {
		if rng.Intn(2) == 0 {
			types = append(types, t)
		}
	}
	if len(types) == 0 {
		types = cycle.Types{1}
	}
	r := goodReport(types...)
	perturb := func(p **int) {
		switch rng.Intn(6) {
		case 0:
			*p = nil
		case 1, 2:
			*p = ip(rng.Intn(25))
		}
	}
	for _, f := range []**int{&r.Figures.TipsHandled, &r.Figures.CasesSolved, &r.Figures.SocialOrderCrimes, &r.Figures.Reoffenders,
		&r.Figures.NewHotspots, &r.Figures.EconomicCases, &r.Figures.NewAddicts, &r.Figures.DrugHotspots, &r.Figures.MassDisorderIncidents,
		&r.Figures.PatrolsPerWeek, &r.Figures.OtherModels, &r.Baseline.SocialOrderCrimes, &r.Figures.SeriousTrafficAccidents} {
		perturb(f)
	}
	if pol.Evaluation.Method == cycle.MethodScore {
		r.Assessments = allAssessed(pol, true)
		for k := range r.Assessments {
			if rng.Intn(4) == 0 {
				r.Assessments[k] = false
			}
		}
	}
	if rng.Intn(3) == 0 {
		r.Kind = cycle.KindXa
	}
	return r
}

func TestEvaluateWithoutMethod(t *testing.T) {
	_, err := cycle.Evaluate(mustPolicy(t, "003"), goodReport(1))
	if cycle.ErrorCode(err) != cycle.EINVALID {
		t.Fatalf("policy 003 has no evaluation method: got %v", err)
	}
}

func TestReportFiguresValidate(t *testing.T) {
	f := goodFigures()
	f.TipsHandled = ip(13) // > 12 received
	f.Reoffenders = ip(-1)
	probs := f.Validate("figures")
	var rules []string
	for _, p := range probs {
		rules = append(rules, p.Field+" "+p.Rule)
	}
	want := "figures.reoffenders report.negative,figures.tips_handled report.part_exceeds_whole"
	if strings.Join(rules, ",") != want {
		t.Fatalf("got %v, want %s", rules, want)
	}
}

// 004 criterion 14: "Tổ chức tuần tra 2 buổi/tuần (1,5 điểm); trên 2
// buổi/tuần (2 điểm)" — two alternatives; the one not reached is skipped
// when the other is met, and both fail when neither is.
func TestScore004Alternatives(t *testing.T) {
	pol := mustPolicy(t, "004")
	for _, tc := range []struct {
		patrols int
		a, b    string // "met", "skipped", "failed"
		points  float64
	}{{3, "skipped", "met", 2}, {2, "met", "skipped", 1.5}, {1, "failed", "failed", 0}} {
		r := goodReport(1)
		r.Assessments = allAssessed(pol, true)
		r.Figures.PatrolsPerWeek = ip(tc.patrols)
		v, err := cycle.Evaluate(pol, r)
		if err != nil {
			t.Fatal(err)
		}
		state := func(id string) string {
			for _, res := range v.Results {
				if res.ID == id {
					switch {
					case res.Skipped:
						return "skipped"
					case res.Passed:
						return "met"
					}
					return "failed"
				}
			}
			return "absent"
		}
		if state("c14.a") != tc.a || state("c14.b") != tc.b || pointsOf(v, "c14.a")+pointsOf(v, "c14.b") != tc.points {
			t.Fatalf("%d patrols a week: c14.a %s, c14.b %s, %v points; want %s, %s, %v", tc.patrols, state("c14.a"), state("c14.b"),
				pointsOf(v, "c14.a")+pointsOf(v, "c14.b"), tc.a, tc.b, tc.points)
		}
	}
}
