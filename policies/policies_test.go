package policies_test

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"chuyenhoa/cycle"
	"chuyenhoa/policies"
)

// minimal is the smallest valid policy file; bad files below change one thing.
const minimal = `id: test-policy
name: Thử
effective: "2026-01-01"
selection:
  cap_percent: 15
  cap_scope: province
calendar:
  proposals_due: 25/12 Y-1
  consolidation_due: 10/01
  appraisal_due: 20/01
  decision_due: 31/01
  statistics_from: 15/12 Y-1
  statistics_to: 14/12
`

var badFiles = []struct {
	name string
	file string
	want []string // substrings of the problems, in order: "file:line: field: reason"
}{
	{"unknown top-level field", minimal + "cap: 15\n", []string{"bad.yaml:14: cap: unknown field"}},
	{"unknown nested field (a typo)", strings.Replace(minimal, "cap_scope", "cap_scop", 1), []string{"bad.yaml:6: selection.cap_scop: unknown field"}},
	{"cap is not a number", strings.Replace(minimal, "cap_percent: 15", "cap_percent: fifteen", 1), []string{`bad.yaml:5: selection.cap_percent: "fifteen": want a whole number`}},
	{"cap out of range", strings.Replace(minimal, "cap_percent: 15", "cap_percent: 150", 1), []string{"bad.yaml:5: selection.cap_percent: 150 is not a percentage"}},
	{"cap scope", strings.Replace(minimal, "scope: province", "scope: country", 1), []string{`bad.yaml:6: selection.cap_scope: "country": want province or district`}},
	{"29 February", strings.Replace(minimal, "decision_due: 31/01", "decision_due: 29/02", 1), []string{`bad.yaml:11: calendar.decision_due: "29/02" is not a day of the year`}},
	{"year offset", strings.Replace(minimal, "25/12 Y-1", "25/12 Y-2", 1), []string{`bad.yaml:8: calendar.proposals_due: "25/12 Y-2": want DD/MM`}},
	{"deadlines out of order", strings.Replace(minimal, "appraisal_due: 20/01", "appraisal_due: 05/01", 1), []string{"bad.yaml:7: calendar: deadlines must run"}},
	{"effective date", strings.Replace(minimal, `"2026-01-01"`, `"01/01/2026"`, 1), []string{`bad.yaml:3: effective: date "01/01/2026": want YYYY-MM-DD`}},
	{"a list where a mapping goes", strings.Replace(minimal, "selection:\n", "selection: [15]\nx:\n", 1), []string{"selection: want a mapping of fields"}},
	{"no id", strings.Replace(minimal, "id: test-policy\n", "", 1), []string{"bad.yaml: id: required"}},
	{"until before effective", minimal + `until: "2025-01-01"` + "\n", []string{"bad.yaml:14: until: 2025-01-01 is before the effective date"}},
	{"deadline kind", minimal + "deadlines:\n  - {kind: party, name: x, months: [11], day: 16}\n", []string{`bad.yaml:15: deadlines[0].kind: "party" is not a deadline kind`}},
	{"deadline day", minimal + "deadlines:\n  - {kind: yearly_report, name: x, months: [2], day: 30}\n", []string{"deadlines[0].months[0]: day 30 of month 2 is not a day of the year"}},
	{"evaluation method", minimal + "evaluation:\n  method: vote\n  criteria: [{id: a, name: b, checks: [{rule: assessed}]}]\n",
		[]string{`bad.yaml:15: evaluation.method: "vote": want all_criteria`}},
	{"unknown figure", minimal + "evaluation:\n  method: all_criteria\n  criteria:\n    - id: a\n      name: b\n      checks: [{rule: max, figure: crimes, max: 0}]\n",
		[]string{`bad.yaml:19: evaluation.criteria[0].checks[0].figure: "crimes" is not a report figure`}},
	{"a rate needs min or below", minimal + "evaluation:\n  method: all_criteria\n  criteria:\n    - id: a\n      name: b\n      checks: [{rule: rate, figure: cases_solved, of: cases_prosecuted}]\n",
		[]string{"evaluation.criteria[0].checks[0]: a rate needs exactly one of min and below"}},
	{"unknown check field", minimal + "evaluation:\n  method: all_criteria\n  criteria:\n    - id: a\n      name: b\n      checks: [{rule: max, figure: new_hotspots, maximum: 0}]\n",
		[]string{"bad.yaml:19: evaluation.criteria[0].checks[0].maximum: unknown field"}},
	{"share without a percentage", minimal + "evaluation:\n  method: indicator_share\n  criteria: [{id: a, name: b, checks: [{rule: assessed}]}]\n",
		[]string{"evaluation.share_percent: 0: want a percentage"}},
	{"score criterion in no group", minimal + "evaluation:\n  method: score\n  groups: [{id: I, name: x, points: 10}]\n  criteria: [{id: a, name: b, group: II, points: 1, checks: [{rule: assessed}]}]\n",
		[]string{`evaluation.criteria[0].group: "II" is not a group`}},
	{"awards leaders percent", minimal + "awards:\n  form: Bằng khen\n  grantor: Chủ tịch\n  leaders_max_percent: 140\n",
		[]string{"bad.yaml:17: awards.leaders_max_percent: 140: want 0–100"}},
	{"document without recipients", minimal + "documents:\n  - {kind: award_decision, title: QĐ}\n",
		[]string{"documents[0].recipients: a document needs its distribution list"}},
	{"two problems at once", strings.Replace(strings.Replace(minimal, "cap_percent: 15", "cap_percent: 0", 1), "scope: province", "scope: x", 1),
		[]string{"selection.cap_percent", "selection.cap_scope"}},
	{"not YAML", "id: [unclosed\n", []string{"bad.yaml: "}},
	{"empty file", "", []string{"bad.yaml: empty file"}},
}

func TestParseRefusesBadFiles(t *testing.T) {
	if _, err := policies.Parse("ok.yaml", []byte(minimal)); err != nil {
		t.Fatalf("the minimal file must load: %v", err)
	}
	for _, tc := range badFiles {
		t.Run(tc.name, func(t *testing.T) {
			_, err := policies.Parse("bad.yaml", []byte(tc.file))
			var ce *cycle.Error
			if !errors.As(err, &ce) || ce.Code != cycle.EINVALID {
				t.Fatalf("want an EINVALID error, got %v", err)
			}
			if !strings.Contains(ce.Message, "bad.yaml") {
				t.Fatalf("message %q does not name the file", ce.Message)
			}
			if len(ce.Problems) < len(tc.want) {
				t.Fatalf("problems %v, want %d", ce.Problems, len(tc.want))
			}
			for i, w := range tc.want {
				if got := ce.Problems[i].String(); !strings.Contains(got, w) {
					t.Errorf("problem %d: %q does not contain %q", i, got, w)
				}
			}
		})
	}
}

func TestLoadNamesTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tinh.yaml")
	if err := os.WriteFile(path, []byte(minimal+"bogus: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := policies.Load(path)
	if err == nil || !strings.Contains(err.Error(), path+":14: bogus: unknown field") {
		t.Fatalf("got %v", err)
	}
	if _, err := policies.Load(filepath.Join(t.TempDir(), "missing.yaml")); err == nil {
		t.Fatal("a missing file loads")
	}
}

// JSON is YAML: a policy written as JSON (as `cycle start --policy` took
// before) loads the same way, YearDay objects included.
func TestParseJSON(t *testing.T) {
	js := `{"id":"j","name":"J","effective":"2026-01-01","selection":{"cap_percent":15,"cap_scope":"district"},
"calendar":{"proposals_due":{"month":12,"day":25,"year_offset":-1},"consolidation_due":"10/01","appraisal_due":"20/01",
"decision_due":"31/01","statistics_from":"15/12 Y-1","statistics_to":"14/12"}}`
	p, err := policies.Parse("p.json", []byte(js))
	if err != nil {
		t.Fatal(err)
	}
	if p.Calendar.ProposalsDue != (cycle.YearDay{Month: time.December, Day: 25, YearOffset: -1}) || p.Selection.CapScope != cycle.CapDistrict {
		t.Fatalf("decoded %+v", p)
	}
}

func TestBuiltin(t *testing.T) {
	all, err := policies.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range all {
		ids = append(ids, p.ID)
		if err := p.Validate(); err != nil {
			t.Errorf("%s: %v", p.ID, err)
		}
	}
	want := "000-quang-ngai-2021-2025,001-tay-ninh-2019,002-ba-ria-vung-tau-2020,003-binh-phuoc-2024,004-quang-ninh-2023,005-quang-ngai-2026-2030"
	if strings.Join(ids, ",") != want {
		t.Fatalf("builtin %v", ids)
	}
	// Changing a returned policy does not change the next caller's.
	all[0].Evaluation.Criteria[0].ID = "changed"
	again, _ := policies.ByID("000")
	if again.Evaluation.Criteria[0].ID != "general.tips" {
		t.Fatal("Builtin returns shared policies")
	}
}

// The default policy file is seed 000 exactly as cycle.DefaultPolicy has
// it, so a cycle started from either runs the same.
func TestDefaultMatchesCycleDefault(t *testing.T) {
	p, err := policies.ByID("000")
	if err != nil {
		t.Fatal(err)
	}
	d := cycle.DefaultPolicy()
	if p.ID != d.ID || p.Selection.CapPercent != d.Selection.CapPercent || p.Selection.CapScope != d.Selection.CapScope ||
		p.Selection.AboveProvinceAverage != d.Selection.AboveProvinceAverage || p.Selection.AboveDistrictAverage != d.Selection.AboveDistrictAverage ||
		p.Selection.ExcludeNewRural != d.Selection.ExcludeNewRural || p.Calendar != d.Calendar || p.Effective != d.Effective ||
		p.Reminders.EscalateAfterDays != d.Reminders.EscalateAfterDays || p.Reminders.MaxEscalations != d.Reminders.MaxEscalations {
		t.Fatalf("file %+v\ndefault %+v", p, d)
	}
}

// Each seed's distinctive rules, as the files encode them.
func TestSeedPolicies(t *testing.T) {
	get := func(id string) cycle.Policy {
		p, err := policies.ByID(id)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	due := func(p cycle.Policy, k cycle.DeadlineKind, y int) []string {
		d, ok := p.Deadline(k)
		if !ok {
			t.Fatalf("%s: no %s deadline", p.ID, k)
		}
		var out []string
		for _, x := range d.Dates(y) {
			out = append(out, x.Vietnamese())
		}
		return out
	}

	p000 := get("000")
	if p000.Evaluation.Method != cycle.MethodAllCriteria || countFor(p000, 0) != 4 || countFor(p000, 1) != 4 || countFor(p000, 2) != 3 || countFor(p000, 3) != 3 || countFor(p000, 4) != 3 {
		t.Error(`000 §II.3: "đủ 4/4 tiêu chí chung"; Loại 1 "đủ 04 tiêu chí", Loại 2–4 "03 tiêu chí"`)
	}

	p001 := get("001")
	// "gửi báo cáo … trước ngày 16/11/2019"; "hồ sơ khen thưởng gửi về Công an tỉnh trước ngày 16/11/2019"
	if got := due(p001, cycle.DeadlineReviewReports, 2019); got[0] != "15/11/2019" {
		t.Errorf("001 review reports due %v, want 15/11/2019 (before 16/11)", got)
	}
	if got := due(p001, cycle.DeadlineAwardNominations, 2019); got[0] != "15/11/2019" {
		t.Errorf("001 award nominations due %v", got)
	}
	// "Tổ chức hội nghị sơ kết ở cấp tỉnh (hoàn thành trong tháng 12/2019)"
	if got := due(p001, cycle.DeadlineReviewConference, 2019); got[0] != "31/12/2019" {
		t.Errorf("001 conference %v", got)
	}
	// "Thời gian thống kê số liệu sơ kết: tính từ ngày 16/11/2018 đến 15/11/2019"
	if from, to := p001.Calendar.StatisticsFrom.In(2019), p001.Calendar.StatisticsTo.In(2019); from.Vietnamese() != "16/11/2018" || to.Vietnamese() != "15/11/2019" {
		t.Errorf("001 statistics %s–%s", from.Vietnamese(), to.Vietnamese())
	}
	// "lựa chọn 01 tập thể hoặc cá nhân/1 địa bàn chuyển hóa"
	if p001.Awards == nil || p001.Awards.PerArea != 1 || p001.Evaluation != nil {
		t.Errorf("001 awards %+v", p001.Awards)
	}

	p002 := get("002")
	// "không vượt quá 15% … tại mỗi huyện, thành phố"; "đạt 80% các chỉ tiêu"; "trước ngày 20/11 hàng năm"
	if p002.Selection.CapScope != cycle.CapDistrict || p002.Selection.CapPercent != 15 || p002.Evaluation.Method != cycle.MethodIndicatorShare ||
		p002.Evaluation.SharePercent != 80 || len(p002.Evaluation.Required) != 2 || len(p002.Evaluation.Criteria) != 8 {
		t.Errorf("002 selection %+v evaluation %+v", p002.Selection, p002.Evaluation)
	}
	if got := due(p002, cycle.DeadlineYearlyReport, 2019); got[0] != "19/11/2019" {
		t.Errorf("002 yearly report due %v, want 19/11 (before 20/11)", got)
	}
	if got := due(p002, cycle.DeadlineMonitoring, 2019); len(got) != 2 {
		t.Errorf("002 monitoring %v: want 6-monthly", got)
	}

	p003 := get("003")
	// "03 tập thể - 06 cá nhân"; "không quá 40 %"; three-part dossier; the target figures
	a := p003.Awards
	if a == nil || a.Collectives != 3 || a.Individuals != 6 || a.LeadersMaxPercent != 40 || len(a.Dossier) != 3 || a.Form != "Bằng khen của Chủ tịch UBND tỉnh" {
		t.Errorf("003 awards %+v", a)
	}
	targets := map[string]cycle.Target{}
	for _, tg := range p003.Targets {
		targets[tg.ID] = tg
	}
	if targets["crime_reduction"].Percent != 5 || targets["detection"].Percent != 75 || targets["detection"].Compare != ">" || targets["serious_detection"].Percent != 90 {
		t.Errorf("003 targets %+v", p003.Targets)
	}

	p004 := get("004")
	// "Định kỳ hàng quý (trước ngày 15 của tháng cuối quý)"; "trước ngày 15/10 hàng năm"
	if got := strings.Join(due(p004, cycle.DeadlineQuarterlyReport, 2023), " "); got != "14/03/2023 14/06/2023 14/09/2023 14/12/2023" {
		t.Errorf("004 quarterly %s", got)
	}
	if got := due(p004, cycle.DeadlineRecognitionProposals, 2023); got[0] != "14/10/2023" {
		t.Errorf("004 recognition %v", got)
	}
}

func countFor(p cycle.Policy, t cycle.CrimeType) int {
	n := 0
	for _, c := range p.Evaluation.Criteria {
		if (t == 0 && len(c.Types) == 0) || (len(c.Types) == 1 && c.Types[0] == t) {
			n++
		}
	}
	return n
}

// The annex of seed 004 as printed: 19 criteria in 4 groups of 10, 66, 20
// and 4 points, and two disqualifiers. Its items as printed total 10, 68,
// 20 and 3: the test pins that, so a change to the file is a deliberate one.
func TestTable004(t *testing.T) {
	p, err := policies.ByID("004")
	if err != nil {
		t.Fatal(err)
	}
	ev := p.Evaluation
	var groups []string
	for _, g := range ev.Groups {
		groups = append(groups, g.ID+"="+num(g.Points))
	}
	if strings.Join(groups, " ") != "I=10 II=66 III=20 IV=4" {
		t.Fatalf("groups %v", groups)
	}
	numbers := map[int]string{}
	sum := map[string]float64{}
	alt := map[string]float64{}
	for _, c := range ev.Criteria {
		numbers[c.Number] = c.Group
		pts := c.Points
		for _, ch := range c.Checks {
			for _, b := range ch.Bands {
				pts = max(pts, b.Points)
			}
		}
		if c.OneOf != "" {
			if pts > alt[c.OneOf] {
				sum[c.Group] += pts - alt[c.OneOf]
				alt[c.OneOf] = pts
			}
			continue
		}
		if len(c.Kinds) == 1 && c.Kinds[0] == "xã" {
			continue // the xã variants of 15 and 16 mirror the phường ones
		}
		sum[c.Group] += pts
	}
	if len(numbers) != 19 {
		t.Fatalf("%d criteria numbers, want 19", len(numbers))
	}
	for n := 1; n <= 19; n++ {
		if _, ok := numbers[n]; !ok {
			t.Fatalf("criterion %d missing", n)
		}
	}
	if sum["I"] != 10 || sum["II"] != 68 || sum["III"] != 20 || sum["IV"] != 3 {
		t.Fatalf("items total %v, want I 10, II 68, III 20, IV 3 as printed", sum)
	}
	if len(ev.Required) != 2 || ev.PassScore != 0 {
		t.Fatalf("disqualifiers %d, pass score %v", len(ev.Required), ev.PassScore)
	}
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func TestByIDAndResolve(t *testing.T) {
	if _, err := policies.ByID("009"); cycle.ErrorCode(err) != cycle.ENOTFOUND {
		t.Fatalf("unknown policy: %v", err)
	}
	p, err := policies.Resolve("003")
	if err != nil || p.ID != "003-binh-phuoc-2024" {
		t.Fatalf("resolve 003: %v %v", p.ID, err)
	}
	path := filepath.Join(t.TempDir(), "own.yaml")
	if err := os.WriteFile(path, []byte(minimal), 0o644); err != nil {
		t.Fatal(err)
	}
	if p, err := policies.Resolve(path); err != nil || p.ID != "test-policy" {
		t.Fatalf("resolve file: %v %v", p.ID, err)
	}
}

// "a province can change policy between years; a running cycle keeps the
// policy it started with": InForce picks by province and date, province
// codes read as they are on the date (Tây Ninh's plan of 72 is for 80 since
// 1 July 2025), and refuses a date no policy of the province covers.
func TestInForce(t *testing.T) {
	all, err := policies.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	// Quảng Ninh gets a new plan in 2024.
	next := all[4]
	next.ID, next.Effective, next.Until = "009-quang-ninh-2024", cycle.D(2024, time.March, 1), cycle.D(2025, time.December, 31)
	all = append(all, next)
	cases := []struct {
		province string
		on       cycle.Date
		want     string // "": refused
	}{
		{"51", cycle.D(2023, time.June, 1), "000-quang-ngai-2021-2025"},
		{"51", cycle.D(2021, time.April, 14), ""}, // before the plan
		{"51", cycle.D(2025, time.September, 1), "000-quang-ngai-2021-2025"},
		{"51", cycle.D(2027, time.January, 1), "005-quang-ngai-2026-2030"}, // the two-tier template
		{"51", cycle.D(2030, time.December, 31), "005-quang-ngai-2026-2030"},
		{"51", cycle.D(2031, time.January, 1), ""},
		{"72", cycle.D(2019, time.November, 1), "001-tay-ninh-2019"},
		{"72", cycle.D(2020, time.January, 1), ""},
		{"80", cycle.D(2019, time.November, 1), ""}, // 80 was Long An then
		{"77", cycle.D(2020, time.December, 31), "002-ba-ria-vung-tau-2020"},
		{"70", cycle.D(2024, time.June, 1), "003-binh-phuoc-2024"},
		{"22", cycle.D(2023, time.October, 1), "004-quang-ninh-2023"},
		{"22", cycle.D(2024, time.January, 15), ""}, // between plans
		{"22", cycle.D(2025, time.January, 15), "009-quang-ninh-2024"},
		{"22", cycle.D(2025, time.August, 15), "009-quang-ninh-2024"}, // 22 is still Quảng Ninh
		{"01", cycle.D(2025, time.January, 15), ""},
		{"01", cycle.D(2027, time.January, 1), ""},
	}
	for _, tc := range cases {
		p, err := policies.InForce(all, tc.province, tc.on)
		switch {
		case tc.want == "" && err == nil:
			t.Errorf("%s on %s: %s, want a refusal", tc.province, tc.on, p.ID)
		case tc.want == "" && cycle.ErrorCode(err) != cycle.EINVALID:
			t.Errorf("%s on %s: %v, want an EINVALID refusal", tc.province, tc.on, err)
		case tc.want != "" && (err != nil || p.ID != tc.want):
			t.Errorf("%s on %s: %s (%v), want %s", tc.province, tc.on, p.ID, err, tc.want)
		}
	}
	// A plan of an old code is for its new province from 1 July 2025 (a
	// plan of Bình Phước running into 2026 is Đồng Nai's then).
	bp := all[3]
	bp.ID, bp.Until = "009-binh-phuoc-2026", cycle.D(2026, time.December, 31)
	if p, err := policies.InForce([]cycle.Policy{bp}, "75", cycle.D(2026, time.March, 1)); err != nil || p.ID != bp.ID {
		t.Errorf("Bình Phước's plan in Đồng Nai in 2026: %s %v", p.ID, err)
	}
	if _, err := policies.InForce([]cycle.Policy{bp}, "70", cycle.D(2026, time.March, 1)); err == nil {
		t.Error("province code 70 after 1 July 2025: want a refusal")
	}
}

// The refusal says what is missing in Vietnamese and in English: the
// province, the date, the province's policies and their years, and what
// to do; an old code says which province it went into.
func TestInForceRefusesAYearNoPolicyCovers(t *testing.T) {
	all, err := policies.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	_, err = policies.InForce(all, "51", cycle.D(2031, time.January, 1))
	ce := cycle.AsError(err)
	if ce == nil || ce.Code != cycle.EINVALID {
		t.Fatalf("err = %v, want an EINVALID *cycle.Error", err)
	}
	for _, want := range []string{"Không có kế hoạch chuyển hóa nào của Tỉnh Quảng Ngãi (mã 51) có hiệu lực ngày 01/01/2031",
		"000-quang-ngai-2021-2025 (15/04/2021 – 31/12/2025)", "005-quang-ngai-2026-2030 (01/01/2026 – 31/12/2030)",
		"hãy chọn kế hoạch áp dụng cho chu kỳ"} {
		if !strings.Contains(ce.In(cycle.Vietnamese), want) {
			t.Errorf("Vietnamese %q lacks %q", ce.In(cycle.Vietnamese), want)
		}
	}
	for _, want := range []string{"no policy of Tỉnh Quảng Ngãi (51) is in force on 2031-01-01", "choose the policy the cycle runs under"} {
		if !strings.Contains(ce.In(cycle.English), want) {
			t.Errorf("English %q lacks %q", ce.In(cycle.English), want)
		}
	}
	_, err = policies.InForce(all, "72", cycle.D(2027, time.January, 1))
	if got := cycle.AsError(err).In(cycle.Vietnamese); !strings.Contains(got, "mã tỉnh 72 (Tỉnh Tây Ninh, từ ngày 01/7/2025 thuộc Tỉnh Tây Ninh, mã 80)") {
		t.Errorf("old code: %q", got)
	}
	_, err = policies.InForce(all, "80", cycle.D(2027, time.January, 1))
	if got := cycle.AsError(err).In(cycle.Vietnamese); !strings.Contains(got, "Tỉnh Tây Ninh (mã 80)") || !strings.Contains(got, "001-tay-ninh-2019 (23/10/2019 – 31/12/2019)") {
		t.Errorf("province 80: %q", got)
	}
}

// The shipped two-tier template: for Quảng Ngãi (51) from 2026 to 2030,
// marked as a template in its name and notes, seed 000's criteria with the
// two-tier adaptations.
func TestTwoTierTemplate(t *testing.T) {
	p, err := policies.ByID("005")
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(p.Name, "MẪU (chưa ban hành)") || !strings.Contains(p.Notes[0], "TEMPLATE, not an adopted plan") {
		t.Errorf("not marked as a template: %q / %q", p.Name, p.Notes[0])
	}
	if p.Province != "51" || p.Effective != cycle.D(2026, 1, 1) || p.Until != cycle.D(2030, 12, 31) {
		t.Errorf("province %s %s–%s", p.Province, p.Effective, p.Until)
	}
	if p.Selection.AboveDistrictAverage || !p.Selection.AboveProvinceAverage || p.Selection.CapScope != cycle.CapProvince {
		t.Errorf("selection %+v", p.Selection)
	}
	if p.Evaluation == nil || p.Evaluation.TwoTierArea != cycle.TwoTierSameKind {
		t.Errorf("evaluation %+v", p.Evaluation)
	}
	seed, _ := policies.ByID("000")
	if len(p.Evaluation.Criteria) != len(seed.Evaluation.Criteria) {
		t.Fatalf("%d criteria, seed 000 has %d", len(p.Evaluation.Criteria), len(seed.Evaluation.Criteria))
	}
	for i, c := range p.Evaluation.Criteria {
		if s := seed.Evaluation.Criteria[i]; c.ID != s.ID || len(c.Checks) != len(s.Checks) {
			t.Errorf("criterion %d: %s, seed 000 %s", i, c.ID, s.ID)
		}
	}
	if d, ok := p.Document(cycle.DocumentKindRecognition); !ok || !strings.Contains(d.Subject, "xã, phường, đặc khu") {
		t.Errorf("recognition subject %q", d.Subject)
	}
}

// province_since_2025 is checked against the provinces of 1 July 2025.
func TestProvinceSince2025Checked(t *testing.T) {
	b, err := os.ReadFile("001-tay-ninh-2019.yaml")
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(b), `province_since_2025: "80"`, `province_since_2025: "79"`, 1)
	_, err = policies.Parse("bad.yaml", []byte(bad))
	if err == nil || !strings.Contains(err.Error(), "Tỉnh Tây Ninh (code 72) is part of Tỉnh Tây Ninh, code 80") {
		t.Errorf("err = %v", err)
	}
	old := strings.Replace(minimal, "name: Thử", "name: Thử\nprovince: \"72\"", 1)
	if _, err := policies.Parse("old.yaml", []byte(old)); err == nil || !strings.Contains(err.Error(), "takes a province code of today") {
		t.Errorf("a 2026 plan keyed to 72: %v", err)
	}
}

// FuzzParse: no input makes the parser panic, and whatever it accepts is a
// valid policy.
func FuzzParse(f *testing.F) {
	f.Add([]byte(minimal))
	for _, tc := range badFiles {
		f.Add([]byte(tc.file))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := policies.Parse("fuzz.yaml", b)
		if err == nil {
			if verr := p.Validate(); verr != nil {
				t.Fatalf("accepted an invalid policy: %v", verr)
			}
		}
	})
}

// Text typed in decomposed form (NFD, as some editors save it) is
// normalised: the policy's strings compare equal to the composed ones.
func TestParseNormalisesText(t *testing.T) {
	nfd := strings.Replace(minimal, "name: Thử", "name: Thu\u031b\u0309", 1)
	p, err := policies.Parse("nfd.yaml", []byte(nfd))
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "Thử" {
		t.Fatalf("name %q (% x), want NFC %q", p.Name, p.Name, "Thử")
	}
}

// An award scheme's issuer whose authority line agrees with neither its
// head nor its body is refused at load, naming the line of the file.
func TestAwardIssuerAuthorityChecked(t *testing.T) {
	b, err := os.ReadFile("003-binh-phuoc-2024.yaml")
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(b), "authority_line: CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BÌNH PHƯỚC", "authority_line: BAN THƯỜNG VỤ TỈNH ỦY", 1)
	_, err = policies.Parse("bad.yaml", []byte(bad))
	if err == nil || !strings.Contains(err.Error(), "authority_line") {
		t.Fatalf("err = %v", err)
	}
	if ce := (*cycle.Error)(nil); !errors.As(err, &ce) || len(ce.Problems) == 0 || !strings.HasPrefix(ce.Problems[0].Field, "bad.yaml:") {
		t.Errorf("problems %+v", err)
	}
}

// Each seed's province_since_2025 is the province its old code went into.
func TestSeedsProvinceSince2025(t *testing.T) {
	all, err := policies.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range all {
		if !p.Effective.Before(cycle.TwoTierSince) {
			if p.ProvinceSince2025 != "" {
				t.Errorf("%s: province_since_2025 on a plan of the 34 provinces", p.ID)
			}
			continue
		}
		ch, ok := cycle.ProvinceSince2025(p.Province)
		if !ok || p.ProvinceSince2025 != ch.Now {
			t.Errorf("%s: province %s, province_since_2025 %q, want %+v", p.ID, p.Province, p.ProvinceSince2025, ch)
		}
		if got := p.ProvinceOn(cycle.D(2026, 1, 1)); got != ch.Now {
			t.Errorf("%s: ProvinceOn(2026) = %s", p.ID, got)
		}
		if got := p.ProvinceOn(cycle.D(2024, 1, 1)); got != p.Province {
			t.Errorf("%s: ProvinceOn(2024) = %s", p.ID, got)
		}
	}
}
