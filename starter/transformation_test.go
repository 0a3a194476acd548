package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"chuyenhoa/cycle"
	"chuyenhoa/internal/display"
	"chuyenhoa/policies"
)

// writeFile writes content to a file of a test's directory and returns its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// The report file is read strictly: the error names the file and where
// it is known the JSON field or the line; nothing half-read is accepted.
func TestReadReportFile(t *testing.T) {
	good := `{
  "figures": {"tips_received": 25, "tips_handled": 19, "political_system_stable": true},
  "baseline": {"social_order_crimes": 12},
  "area_average": {"name": "Huyện Tư Nghĩa", "crimes": 40, "communes": 10},
  "note": "Số liệu mẫu"
}
`
	rep, err := readReportFile(writeFile(t, "good.json", good))
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := rep.Figures.Figure("tips_handled"); !ok || v != 19 {
		t.Fatalf("tips_handled = %d, %v", v, ok)
	}
	if v, ok := rep.Baseline.Figure("social_order_crimes"); !ok || v != 12 || rep.Area == nil || rep.Area.Communes != 10 || rep.Note != "Số liệu mẫu" {
		t.Fatalf("report read as %+v", rep)
	}

	for _, tc := range []struct {
		name, content string
		want          []string
	}{
		{"unknown figure", `{"figures": {"tips_recieved": 3}}`,
			[]string{`unknown field "figures.tips_recieved" (did you mean "tips_received"?)`}},
		{"unknown fields at two levels", `{"figures": {}, "baseline": {"crimes": 1}, "remark": "x"}`,
			[]string{`unknown field "baseline.crimes"`, `"remark"`}},
		{"unknown field of the area", `{"area_average": {"name": "A", "crime": 3, "communes": 2}}`,
			[]string{`unknown field "area_average.crime" (did you mean "crimes"?)`}},
		{"trailing object", `{"figures": {}}` + "\n" + `{"figures": {}}`,
			[]string{"line 2, column 1: unexpected data after the report: the file must hold exactly one JSON object"}},
		{"trailing garbage", `{"figures": {}} x`,
			[]string{"line 1, column 17: unexpected data after the report"}},
		{"syntax error", "{\n  \"figures\": {\"tips_received\": 3,}\n}",
			[]string{"line 2, column 35: invalid JSON: invalid character '}'"}},
		{"cut short", `{"figures": {"tips_received": 3}`,
			[]string{"invalid JSON: the file ends before the report does"}},
		{"wrong type", `{"figures": {"tips_received": "ba"}}`,
			[]string{`line 1: field "figures.tips_received": want int, found JSON string`}},
		{"fraction", `{"figures": {"households": 12.5}}`,
			[]string{`field "figures.households": want int, found JSON number 12.5`}},
		{"not an object", `[{"figures": {}}]`,
			[]string{`line 1, column 1: want a JSON object (the report), found "[{\"figures\""`}},
		{"null", "  null\n", []string{`line 1, column 3: want a JSON object (the report), found "null"`}},
		{"empty", " \n", []string{"the file is empty: want a JSON report"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, "report.json", tc.content)
			_, err := readReportFile(path)
			if err == nil {
				t.Fatal("accepted")
			}
			if cycle.ErrorCode(err) != cycle.EINVALID {
				t.Errorf("code %q, want invalid", cycle.ErrorCode(err))
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, path+": ") {
				t.Errorf("%q does not start with the file's name", msg)
			}
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("%q lacks %q", msg, w)
				}
			}
		})
	}
	if _, err := readReportFile(filepath.Join(t.TempDir(), "missing.json")); err == nil || !strings.Contains(err.Error(), "missing.json") {
		t.Fatalf("missing file: %v", err)
	}
}

// A template holds exactly the figures ReportNeeds lists, and reads back.
func TestReportTemplate(t *testing.T) {
	pol, err := policies.ByID("000")
	if err != nil {
		t.Fatal(err)
	}
	c := cycle.CommuneInProgramme{ListedCommune: cycle.ListedCommune{Commune: "21073", Name: "Xã Nghĩa Sơn", DistrictName: "Huyện Tư Nghĩa", Types: cycle.Types{1, 4}}, Kind: cycle.KindXa, FirstYear: 2027, Year: 2027, YearNo: 1}
	rep := reportTemplate(pol, c)
	figures, baseline, area := cycle.ReportNeeds(pol, c.Types, c.Kind)
	if len(figures) == 0 || len(baseline) == 0 {
		t.Fatalf("policy 000 needs figures for Loại 1, 4: %v %v", figures, baseline)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rep); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Figures  map[string]any `json:"figures"`
		Baseline map[string]any `json:"baseline"`
		Area     *struct {
			Name string `json:"name"`
		} `json:"area_average"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if got := keysOf(doc.Figures); !reflect.DeepEqual(got, figures) {
		t.Errorf("figures %v, want %v", got, figures)
	}
	if got := keysOf(doc.Baseline); !reflect.DeepEqual(got, baseline) {
		t.Errorf("baseline %v, want %v", got, baseline)
	}
	// The area's average is not typed: the product computes it.
	if doc.Area != nil || !area {
		t.Errorf("area %+v, want none (the criteria need an average: %v)", doc.Area, area)
	}
	back, err := readReportFile(writeFile(t, "template.json", buf.String()))
	if err != nil {
		t.Fatalf("the template does not read back: %v", err)
	}
	if !reflect.DeepEqual(back, rep) {
		t.Errorf("read back %+v, want %+v", back, rep)
	}
}

func keysOf(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestParseOverrides(t *testing.T) {
	got, err := parseOverrides([]string{"21073=pass", " 21040 = FAIL : số vụ phạm tội không giảm ", "21016=pass:a:b"})
	if err != nil {
		t.Fatal(err)
	}
	want := []cycle.ResultDecision{
		{Commune: "21073", Outcome: cycle.OutcomePass},
		{Commune: "21040", Outcome: cycle.OutcomeFail, Reason: "số vụ phạm tội không giảm"},
		{Commune: "21016", Outcome: cycle.OutcomePass, Reason: "a:b"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	if got, err := parseOverrides(nil); err != nil || got != nil {
		t.Fatalf("no flags: %v %v", got, err)
	}

	_, err = parseOverrides([]string{"21073", "=pass", "21073=passed:lý do", "21073=:x", "21040=fail:đủ lý do rõ ràng"})
	ce, ok := err.(*cycle.Error)
	if !ok || ce.Code != cycle.EINVALID {
		t.Fatalf("bad forms: %v", err)
	}
	want2 := []string{
		`--override "21073": want CODE=pass or CODE=fail, with ":reason" to override a verdict`,
		`--override "=pass": want CODE=pass or CODE=fail`,
		`--override "21073=passed:lý do": outcome "passed": want pass or fail`,
		`--override "21073=:x": outcome "": want pass or fail`,
	}
	if len(ce.Problems) != len(want2) {
		t.Fatalf("problems %v, want %d (the good one is not a problem)", ce.Problems, len(want2))
	}
	for i, w := range want2 {
		if !strings.HasPrefix(ce.Problems[i].String(), w) {
			t.Errorf("problem %d: %q, want %q…", i, ce.Problems[i].String(), w)
		}
	}
	if s := display.Describe(ce); !strings.HasPrefix(s, "refused (invalid): bad --override\n  - --override \"21073\"") {
		t.Errorf("described as %q", s)
	}
}

func TestParseResponsible(t *testing.T) {
	got, err := parseResponsible([]string{"Công an xã Nghĩa Sơn|||kiểm điểm rút kinh nghiệm", " UBND xã | Nguyễn Văn A | Chủ tịch | khiển trách "})
	if err != nil {
		t.Fatal(err)
	}
	want := []cycle.Responsible{
		{Unit: "Công an xã Nghĩa Sơn", Conclusion: "kiểm điểm rút kinh nghiệm"},
		{Unit: "UBND xã", Person: "Nguyễn Văn A", Position: "Chủ tịch", Conclusion: "khiển trách"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}

	for _, tc := range []struct{ flag, want string }{
		{"Công an xã", `--responsible "Công an xã": 1 part(s): want "unit|person|position|conclusion", 4 parts separated by |`},
		{"A|B|C", `3 part(s): want "unit|person|position|conclusion"`},
		{"A|B|C|D|E", `5 part(s)`},
		{"|Nguyễn Văn A||khiển trách", `--responsible "|Nguyễn Văn A||khiển trách": the unit (the first part) is required`},
		{"UBND xã|||  ", `the conclusion (the last part) is required`},
	} {
		_, err := parseResponsible([]string{tc.flag})
		if cycle.ErrorCode(err) != cycle.EINVALID || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: got %v, want %q", tc.flag, err, tc.want)
		}
	}
}

func TestReviewRequest(t *testing.T) {
	f, r, err := reviewRequest([]string{"Chưa quyết liệt"}, []string{"Tăng cường tuần tra"}, nil, "")
	if err != nil || r != nil || f == nil || f.Causes[0] != "Chưa quyết liệt" || f.Remedies[0] != "Tăng cường tuần tra" {
		t.Fatalf("failure review: %+v %+v %v", f, r, err)
	}
	f, r, err = reviewRequest(nil, nil, []string{"Công an xã|||kiểm điểm"}, "không xét thi đua năm 2028")
	if err != nil || f != nil || r == nil || r.Emulation != "không xét thi đua năm 2028" || len(r.Responsible) != 1 {
		t.Fatalf("responsibility review: %+v %+v %v", f, r, err)
	}
	for _, tc := range []struct {
		name                        string
		causes, remedies, responsib []string
		emulation, want             string
	}{
		{"both", []string{"x"}, nil, nil, "không xét thi đua", "not both"},
		{"neither", nil, nil, nil, " ", "no review given"},
		{"bad responsible", nil, nil, []string{"x|y"}, "e", "2 part(s)"},
	} {
		if _, _, err := reviewRequest(tc.causes, tc.remedies, tc.responsib, tc.emulation); cycle.ErrorCode(err) != cycle.EINVALID || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want %q", tc.name, err, tc.want)
		}
	}
}

// kpiRows: 2027, ten communes appraised, seven transformed (five followed
// up, one of them relapsed, two still followed); 2028, three appraised
// (one a second year), one transformed and still followed.
func kpiRows() []cycle.OutcomeRow {
	row := func(code string, year, no int, o cycle.Outcome, fu cycle.FollowUpResult) cycle.OutcomeRow {
		return cycle.OutcomeRow{Commune: code, Name: "Xã " + code, Year: year, YearNo: no, Outcome: o, FollowUp: fu}
	}
	pass, fail := cycle.OutcomePass, cycle.OutcomeFail
	return []cycle.OutcomeRow{
		row("21001", 2027, 1, pass, cycle.FollowUpHeld),
		row("21002", 2027, 1, pass, cycle.FollowUpHeld),
		row("21003", 2027, 1, pass, cycle.FollowUpHeld),
		row("21004", 2027, 1, pass, cycle.FollowUpHeld),
		row("21005", 2027, 1, pass, cycle.FollowUpRelapsed),
		row("21006", 2027, 1, pass, ""),
		row("21007", 2027, 1, pass, ""),
		row("21008", 2027, 1, fail, ""),
		row("21009", 2027, 1, fail, ""),
		row("21010", 2027, 1, fail, ""),
		row("21008", 2028, 2, pass, ""),
		row("21009", 2028, 2, fail, ""),
		row("21011", 2028, 1, fail, ""),
	}
}

func TestKPIText(t *testing.T) {
	pol, err := policies.ByID("000")
	if err != nil {
		t.Fatal(err)
	}
	policyFor := func(int) (cycle.Policy, string, error) { return pol, "in force for the province", nil }
	for _, tc := range []struct {
		name string
		year int
		rows []cycle.OutcomeRow
		want string
	}{
		{"every year", 0, kpiRows(), `Province 51 — year 2027, policy 000-quang-ngai-2021-2025 (in force for the province)
  Selected (địa bàn được lựa chọn)       10
  Transformed (chuyển hóa đạt)            7  70% of 10, target ≥ 60%: đạt
  Followed up (hết 6 tháng theo dõi)      5
  Relapsed (phức tạp trở lại)             1
  Pending (đang theo dõi)                 2
  Not relapsed (không phức tạp trở lại)   4  80% of 5, target ≥ 85%: không đạt

Province 51 — year 2028, policy 000-quang-ngai-2021-2025 (in force for the province)
  Selected (địa bàn được lựa chọn)       3
  Transformed (chuyển hóa đạt)           1  33.3% of 3, target ≥ 60%: không đạt
  Followed up (hết 6 tháng theo dõi)     0
  Relapsed (phức tạp trở lại)            0
  Pending (đang theo dõi)                1
  Not relapsed (không phức tạp trở lại)  0  no follow-up has ended yet, target ≥ 85%: đạt (nothing to count yet)
`},
		{"a year not appraised", 2029, kpiRows(), `Province 51 — year 2029, policy 000-quang-ngai-2021-2025 (in force for the province)
  no outcome recorded for 2029: the council has not appraised the year yet
`},
		{"nothing recorded", 0, nil, "no outcome recorded for province 51: the council has not appraised a programme year yet\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reps, err := kpiReports("51", tc.year, tc.rows, policyFor)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			printKPI(&buf, "51", reps)
			if buf.String() != tc.want {
				t.Fatalf("got:\n%s\nwant:\n%s", buf.String(), tc.want)
			}
		})
	}

	// The JSON carries the indicators and the shares computed.
	reps, err := kpiReports("51", 2027, kpiRows(), policyFor)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	x := &cli{out: &buf}
	x.print(true, reps, func() { t.Fatal("text printed for --json") })
	var got []map[string]any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0]["selected"] != 10.0 || got[0]["transformed_share"] != 70.0 || got[0]["not_relapsed_share"] != 80.0 ||
		got[0]["meets_transformed"] != true || got[0]["meets_not_relapsed"] != false || got[0]["transformed_target"] != 60.0 || got[0]["policy"] != "000-quang-ngai-2021-2025" {
		t.Fatalf("JSON %s", buf.String())
	}
}
