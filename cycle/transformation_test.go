package cycle_test

import (
	"strings"
	"testing"
	"time"

	"chuyenhoa/cycle"
	"chuyenhoa/policies"
	"chuyenhoa/sample"
)

func policy(t *testing.T, id string) cycle.Policy {
	t.Helper()
	p, err := policies.ByID(id)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func communeOf(types ...cycle.CrimeType) cycle.CommuneInProgramme {
	return cycle.CommuneInProgramme{ListedCommune: cycle.ListedCommune{Commune: "21001", Name: "Xã Thử", DistrictName: "Huyện Thử", Types: types}, Kind: cycle.KindXa, FirstYear: 2027, Year: 2027, YearNo: 1}
}

// 000 §II.3: the four general criteria and those of the commune's types —
// a Loại 4 commune reports drug figures, not detection rates.
func TestReportNeedsFollowTheTypes(t *testing.T) {
	pol := policy(t, "000-quang-ngai-2021-2025")
	f1, b1, area1 := cycle.ReportNeeds(pol, cycle.Types{cycle.TypeSocialOrder}, cycle.KindXa)
	f4, b4, area4 := cycle.ReportNeeds(pol, cycle.Types{cycle.TypeDrugs}, cycle.KindXa)
	has := func(ss []string, s string) bool {
		for _, x := range ss {
			if x == s {
				return true
			}
		}
		return false
	}
	for _, general := range []string{"tips_received", "tips_handled", "political_system_stable", "self_management_models", "households", "households_informed"} {
		if !has(f1, general) || !has(f4, general) {
			t.Errorf("general figure %s not required of both types", general)
		}
	}
	if !has(f1, "cases_solved") || has(f4, "cases_solved") {
		t.Errorf("cases_solved: Loại 1 %v, Loại 4 %v", f1, f4)
	}
	if !has(f4, "new_drug_hotspots") || has(f1, "new_drug_hotspots") {
		t.Errorf("new_drug_hotspots: Loại 1 %v, Loại 4 %v", f1, f4)
	}
	if !area1 || area4 {
		t.Errorf("area average: Loại 1 %v, Loại 4 %v", area1, area4)
	}
	if !has(b1, "social_order_crimes") || !has(b4, "drug_cases") || has(b4, "social_order_crimes") {
		t.Errorf("baseline: Loại 1 %v, Loại 4 %v", b1, b4)
	}
}

func TestValidateReportListsEveryProblem(t *testing.T) {
	pol := policy(t, "000-quang-ngai-2021-2025")
	c := communeOf(cycle.TypeSocialOrder, cycle.TypeDrugs)
	r := sample.Report(pol, c, true)
	if err := cycle.ValidateReport(pol, c.Types, c.Kind, r); err != nil {
		t.Fatalf("the sample report is refused: %v", err)
	}
	r.Figures.CasesSolved = nil
	neg := -1
	r.Baseline.DrugCases = &neg
	r.Area = &cycle.AreaAverage{Name: "Huyện Bình Sơn", Crimes: 3, Communes: 0} // left out it is computed; typed it must be whole
	err := cycle.ValidateReport(pol, c.Types, c.Kind, r)
	if err == nil {
		t.Fatal("a report missing figures is accepted")
	}
	msg := err.Error()
	for _, want := range []string{"figures.cases_solved", "baseline.drug_cases", "area_average"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the refusal does not name %s: %s", want, msg)
		}
	}
}

// The sample reports behave as documented under the all-criteria policy
// (000) and the 80%-of-indicators policy (002).
func TestSampleReportsPassAndFail(t *testing.T) {
	// The sample reports type no average: the product computes it (the
	// seeds' districts: 0.7 to 6 crimes per commune).
	area := &cycle.AreaAverage{Name: "Huyện Bình Sơn", Crimes: 7, Communes: 10, Computed: true}
	for _, id := range []string{"000-quang-ngai-2021-2025", "002-ba-ria-vung-tau-2020"} {
		pol := policy(t, id)
		for _, types := range []cycle.Types{{cycle.TypeSocialOrder}, {cycle.TypeEconomic}, {cycle.TypeEnvironment}, {cycle.TypeDrugs}, {cycle.TypeSocialOrder, cycle.TypeEnvironment, cycle.TypeDrugs}} {
			c := communeOf(types...)
			good, err := cycle.Evaluate(pol, cycle.CommuneReport{Commune: c.Commune, Types: types, Kind: c.Kind, Figures: sample.Report(pol, c, true).Figures, Baseline: sample.Report(pol, c, true).Baseline, Area: area})
			if err != nil || !good.Passed() {
				t.Errorf("%s types %s: the passing report fails: %v %s", id, types, err, good.Summary)
			}
			bad := sample.Report(pol, c, false)
			v, _ := cycle.Evaluate(pol, cycle.CommuneReport{Commune: c.Commune, Types: types, Kind: c.Kind, Figures: bad.Figures, Baseline: bad.Baseline, Area: area})
			if id == "000-quang-ngai-2021-2025" && v.Passed() {
				t.Errorf("%s types %s: the failing report passes", id, types)
			}
		}
	}
	// The reason names the figures compared.
	pol := policy(t, "000-quang-ngai-2021-2025")
	c := communeOf(cycle.TypeSocialOrder)
	bad := sample.Report(pol, c, false)
	v, _ := cycle.Evaluate(pol, cycle.CommuneReport{Types: c.Types, Kind: c.Kind, Figures: bad.Figures, Baseline: bad.Baseline, Area: area})
	var details []string
	for _, f := range v.Failed() {
		details = append(details, f.Detail)
	}
	if got := strings.Join(details, " | "); !strings.Contains(got, "75%") || !strings.Contains(got, "80%") {
		t.Errorf("the failed detection rate does not show the figures: %s", got)
	}
}

func TestApplyResultsAppraisal(t *testing.T) {
	pass := cycle.CommuneVerdict{Commune: communeOf(cycle.TypeSocialOrder), Reported: true, Verdict: cycle.Verdict{Outcome: cycle.OutcomePass}}
	fail := pass
	fail.Commune.Commune, fail.Verdict.Outcome = "21002", cycle.OutcomeFail
	missing := cycle.CommuneVerdict{Commune: communeOf(cycle.TypeDrugs), Verdict: cycle.Verdict{Outcome: cycle.OutcomeFail}}
	missing.Commune.Commune = "21003"
	scored := pass
	scored.Commune.Commune, scored.Verdict.Outcome = "21004", cycle.OutcomeScored
	vs := []cycle.CommuneVerdict{pass, fail, missing}

	res, err := cycle.ApplyResultsAppraisal(vs, cycle.ResultsAppraisal{})
	if err != nil || res[0].Outcome != cycle.OutcomePass || res[1].Outcome != cycle.OutcomeFail || res[2].Outcome != cycle.OutcomeFail {
		t.Fatalf("confirming every verdict: %v %+v", err, res)
	}
	if res[2].Reason == "" {
		t.Error("a commune without a report has no reason")
	}
	_, err = cycle.ApplyResultsAppraisal(vs, cycle.ResultsAppraisal{Decisions: []cycle.ResultDecision{
		{Commune: "21002", Outcome: cycle.OutcomePass},                          // override without reason
		{Commune: "99999", Outcome: cycle.OutcomePass, Reason: "not appraised"}, // unknown
		{Commune: "21001", Outcome: "maybe"},                                    // bad outcome
	}})
	for _, want := range []string{"decisions[0].reason", "decisions[1].commune", "decisions[2].outcome"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("refusal does not name %s: %v", want, err)
		}
	}
	res, err = cycle.ApplyResultsAppraisal(vs, cycle.ResultsAppraisal{Decisions: []cycle.ResultDecision{
		{Commune: "21002", Outcome: cycle.OutcomePass, Reason: "Số liệu bổ sung cho thấy tỷ lệ khám phá đạt 82%"},
	}})
	if err != nil || res[1].Outcome != cycle.OutcomePass || !res[1].Overridden {
		t.Errorf("override with a reason: %v %+v", err, res[1])
	}
	if _, err := cycle.ApplyResultsAppraisal([]cycle.CommuneVerdict{scored}, cycle.ResultsAppraisal{}); err == nil || !strings.Contains(err.Error(), "no pass mark") {
		t.Errorf("a scored verdict left undecided: %v", err)
	}
}

func TestComputeKPI(t *testing.T) {
	pol := policy(t, "000-quang-ngai-2021-2025")
	rows := []cycle.OutcomeRow{
		{Commune: "a", Year: 2027, Outcome: cycle.OutcomePass, FollowUp: cycle.FollowUpHeld},
		{Commune: "b", Year: 2027, Outcome: cycle.OutcomePass, FollowUp: cycle.FollowUpRelapsed},
		{Commune: "c", Year: 2027, Outcome: cycle.OutcomePass},
		{Commune: "d", Year: 2027, Outcome: cycle.OutcomeFail},
		{Commune: "e", Year: 2027, Outcome: cycle.OutcomeFail},
		{Commune: "a", Year: 2026, Outcome: cycle.OutcomeFail},
	}
	k := cycle.ComputeKPI(pol, "51", 2027, rows)
	if k.Selected != 5 || k.Transformed != 3 || k.FollowedUp != 2 || k.Relapsed != 1 || k.Pending != 1 {
		t.Fatalf("%+v", k)
	}
	if k.TransformedShare() != 60 || !k.MeetsTransformed() || k.NotRelapsedShare() != 50 || k.MeetsNotRelapsed() {
		t.Errorf("shares: %v %v %v %v", k.TransformedShare(), k.MeetsTransformed(), k.NotRelapsedShare(), k.MeetsNotRelapsed())
	}
	if k.TransformedTarget != 60 || k.NotRelapsedTarget != 85 {
		t.Errorf("targets %v %v", k.TransformedTarget, k.NotRelapsedTarget)
	}
}

func TestTransformationCalendar(t *testing.T) {
	pol := policy(t, "000-quang-ngai-2021-2025")
	if got := pol.ReportPeriod(cycle.ReportHalfYear, 2027); got.From != cycle.D(2026, time.December, 15) || got.To != cycle.D(2027, time.June, 14) {
		t.Errorf("half-year period %v", got)
	}
	if got := pol.ReportPeriod(cycle.ReportYearly, 2027); got.To != cycle.D(2027, time.December, 14) {
		t.Errorf("yearly period %v", got)
	}
	if got := pol.BaselinePeriod(cycle.ReportFollowUp, 2027); got.From != cycle.D(2026, time.June, 15) || got.To != cycle.D(2026, time.December, 14) {
		t.Errorf("follow-up baseline %v", got)
	}
	if got := cycle.FollowUpPeriod(cycle.D(2028, time.January, 3)); got.From != cycle.D(2028, time.January, 4) || got.To != cycle.D(2028, time.July, 3) {
		t.Errorf("follow-up period %v", got)
	}
	if got := policy(t, "002-ba-ria-vung-tau-2020").ReportDue(cycle.ReportYearly, 2020); got != cycle.D(2020, time.November, 19) {
		t.Errorf("002 yearly report due %v (\"trước ngày 20/11\")", got)
	}
}

// BenchmarkEvaluateCommune: the year-end evaluation of one commune of
// types 1, 3 and 4 under seed 000 (what TransformSubmitReport runs).
func BenchmarkEvaluateCommune(b *testing.B) {
	p, err := policies.ByID("000-quang-ngai-2021-2025")
	if err != nil {
		b.Fatal(err)
	}
	c := communeOf(cycle.TypeSocialOrder, cycle.TypeEnvironment, cycle.TypeDrugs)
	rep := sample.Report(p, c, false)
	r := cycle.CommuneReport{Commune: c.Commune, Types: c.Types, Kind: c.Kind, Figures: rep.Figures, Baseline: rep.Baseline, Area: rep.Area}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := cycle.Evaluate(p, r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkValidateReport: the checks an officer's report passes before
// the workflow accepts it.
func BenchmarkValidateReport(b *testing.B) {
	p, err := policies.ByID("000-quang-ngai-2021-2025")
	if err != nil {
		b.Fatal(err)
	}
	c := communeOf(cycle.TypeSocialOrder, cycle.TypeEnvironment, cycle.TypeDrugs)
	rep := sample.Report(p, c, true)
	b.ReportAllocs()
	for b.Loop() {
		if err := cycle.ValidateReport(p, c.Types, c.Kind, rep); err != nil {
			b.Fatal(err)
		}
	}
}
