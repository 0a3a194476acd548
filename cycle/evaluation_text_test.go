package cycle_test

import (
	"regexp"
	"strings"
	"testing"

	"chuyenhoa/cycle"
)

// asciiIdent is what a field name or a rule code looks like: ASCII
// letters joined by an underscore or a dot (tips_handled, general.tips).
var asciiIdent = regexp.MustCompile(`\b[a-z][a-z0-9]*([_.][a-z0-9]+)+\b`)

// Every criterion result and verdict says in Vietnamese what its English
// detail says, with the figures' labels and Vietnamese numbers, and never
// a field name, a rule code or an English word of the catalogue.
func TestVerdictTexts(t *testing.T) {
	r := goodReport(1, 4)
	r.Figures.CasesProsecuted, r.Figures.CasesSolved = ip(20), ip(15)
	r.Figures.TipsReceived, r.Figures.TipsHandled = ip(40), ip(37)
	r.Figures.SocialOrderCrimes = ip(10)
	v, err := cycle.Evaluate(mustPolicy(t, "000"), r)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"general.tips":              "Tỷ lệ tố giác, tin báo về tội phạm được tiếp nhận, xử lý 92,5% (37/40), yêu cầu từ 100%",
		"loai1.organised_detection": "tỷ lệ điều tra, khám phá tội phạm 75% (15/20), yêu cầu từ 80%",
		"loai1.crimes":              "kỳ so sánh 9: không giảm",
	}
	for _, res := range v.Results {
		if res.Text == "" {
			t.Errorf("%s: no Vietnamese text (detail %q)", res.ID, res.Detail)
		}
		if w, ok := want[res.ID]; ok && !strings.Contains(res.Text, w) {
			t.Errorf("%s: text %q lacks %q", res.ID, res.Text, w)
		}
		checkVietnamese(t, res.ID, res.Text)
	}
	if !strings.HasPrefix(v.Text, "Đạt 8/11 tiêu chí (tiêu chí chung và tiêu chí của địa bàn loại 1, 4); chưa đạt 3 tiêu chí") {
		t.Errorf("verdict text %q", v.Text)
	}
	checkVietnamese(t, "verdict", v.Text)

	// The other methods and the plans without one.
	for _, id := range []string{"002", "004"} {
		v, err := cycle.Evaluate(mustPolicy(t, id), goodReport(1))
		if err != nil {
			t.Fatal(err)
		}
		if v.Text == "" {
			t.Errorf("%s: no verdict text", id)
		}
		checkVietnamese(t, id, v.Text)
		for _, res := range v.Results {
			checkVietnamese(t, id+" "+res.ID, res.Text)
		}
	}
	v, err = cycle.EvaluateReport(mustPolicy(t, "003"), cycle.CommuneInProgramme{}, cycle.TransformationReport{})
	if err != nil || !strings.Contains(v.Text, "Hội đồng thẩm định kết luận") {
		t.Errorf("003: %q, %v", v.Text, err)
	}
}

// Every figure missing is said by its label.
func TestVerdictTextsMissing(t *testing.T) {
	r := goodReport(1)
	r.Figures = cycle.ReportFigures{}
	v, err := cycle.Evaluate(mustPolicy(t, "000"), r)
	if err != nil {
		t.Fatal(err)
	}
	for _, res := range v.Results {
		if !strings.Contains(res.Text, "hưa báo cáo") {
			t.Errorf("%s: %q", res.ID, res.Text)
		}
		checkVietnamese(t, res.ID, res.Text)
	}
}

func TestSelectionCheckTexts(t *testing.T) {
	prov, pol := testProvince(), cycle.DefaultPolicy()
	pol.Selection.CapPercent = 15
	props := []cycle.Proposal{
		{Unit: "A", Statistics: statsA(), Proposed: []cycle.ProposedCommune{{Commune: "01", Types: cycle.Types{1, 3, 4}}, {Commune: "03", Types: cycle.Types{2}}}},
		{Unit: "B", Statistics: statsB(), Proposed: []cycle.ProposedCommune{{Commune: "05", Types: cycle.Types{1, 2, 4}}, {Commune: "06", Types: cycle.Types{1}}}},
	}
	res := cycle.Select(prov, pol, props)
	n := 0
	for _, c := range res.Candidates {
		for _, ch := range c.Checks {
			n++
			if ch.Text == "" {
				t.Fatalf("%s %s: no Vietnamese text (detail %q)", c.Name, ch.Rule, ch.Detail)
			}
			checkVietnamese(t, c.Name+" "+ch.Rule, ch.Text)
		}
	}
	if n == 0 {
		t.Fatal("no checks")
	}
}

// checkVietnamese fails when a text shows a field name or rule code, or an
// English word of the evaluation's messages.
func checkVietnamese(t *testing.T, what, s string) {
	t.Helper()
	if m := asciiIdent.FindString(s); m != "" {
		t.Errorf("%s: %q shows the identifier %q", what, s, m)
	}
	for _, w := range []string{" of ", "not ", "before", "average", "points", "reported", "crimes", "communes"} {
		if strings.Contains(s, w) {
			t.Errorf("%s: %q has the English %q", what, s, w)
		}
	}
}

// Print a sample of the texts with -v, to read them.
func TestVerdictTextsSample(t *testing.T) {
	r := goodReport(1, 4)
	r.Figures.CasesProsecuted, r.Figures.CasesSolved = ip(20), ip(15)
	r.Figures.TipsReceived, r.Figures.TipsHandled = ip(40), ip(37)
	r.Figures.SocialOrderCrimes = ip(10)
	v, _ := cycle.Evaluate(mustPolicy(t, "000"), r)
	for _, res := range v.Results {
		t.Logf("%-26s %v %s", res.ID, res.Passed, res.Text)
	}
	t.Log(v.Text)
}
