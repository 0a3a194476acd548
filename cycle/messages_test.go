package cycle

import (
	"strings"
	"testing"
)

func TestSayNumbers(t *testing.T) {
	for _, c := range []struct {
		lang Lang
		arg  any
		want string
	}{
		{Vietnamese, Dec(4.5), "4,50"},
		{English, Dec(4.5), "4.50"},
		{Vietnamese, Pct(95.7), "95,7%"},
		{Vietnamese, Pct(80), "80%"},
		{English, Pct(92.5), "92.5%"},
		{Vietnamese, Int(3321), "3321"},
		{Vietnamese, Int(116489), "116.489"},
		{English, Int(116489), "116,489"},
		{Vietnamese, Count{N: 1, VI: "xã", EN: "commune", ENPl: "communes"}, "1 xã"},
		{English, Count{N: 1, VI: "xã", EN: "commune", ENPl: "communes"}, "1 commune"},
		{English, Count{N: 0, VI: "xã", EN: "commune", ENPl: "communes"}, "0 communes"},
		{Vietnamese, Num{V: -12345.5, Digits: 1}, "-12.345,5"},
	} {
		if got := c.arg.(Localizer).Say(c.lang); got != c.want {
			t.Errorf("%#v in %s = %q, want %q", c.arg, c.lang, got, c.want)
		}
	}
}

// Every message of the catalogue is said in both languages, with every
// argument used: a format whose verbs do not match its arguments would
// print %!(EXTRA …) or %!s(MISSING) to an officer.
func TestCatalogueTexts(t *testing.T) {
	for _, code := range MessageCodes() {
		m, _ := Message(code)
		for _, f := range []string{m.VI, m.EN} {
			if strings.Contains(f, "%!") {
				t.Errorf("%s: malformed format %q", code, f)
			}
		}
		if strings.Count(m.VI, "%") != strings.Count(m.EN, "%") {
			t.Errorf("%s: the languages take different numbers of arguments: %q / %q", code, m.VI, m.EN)
		}
	}
}

func TestLocationSay(t *testing.T) {
	for _, c := range []struct {
		l    Location
		lang Lang
		want string
	}{
		{Location{Line: 24, Column: "Số vụ"}, Vietnamese, "dòng 24, cột «Số vụ»"},
		{Location{Sheet: "Đề xuất", Line: 24, Cell: "C24", Column: "Số vụ"}, Vietnamese, "trang tính «Đề xuất», ô C24 (cột «Số vụ»)"},
		{Location{Line: 12, Path: "communes[9].report.cases_solved"}, English, "line 12, communes[9].report.cases_solved"},
	} {
		if got := c.l.Say(c.lang); got != c.want {
			t.Errorf("%+v in %s = %q, want %q", c.l, c.lang, got, c.want)
		}
	}
}

func TestProblemIn(t *testing.T) {
	defineMessages(map[string]Text{"test.example": {VI: "có %d vụ, trên mức %s", EN: "%d cases, above %s"}})
	p := NewProblem("test.example", 12, Dec(4.5))
	p.Commune, p.Field = "Xã A (21010)", "proposed[4]"
	p.Where = &Location{Line: 24, Column: "Số vụ"}
	if got, want := p.In(Vietnamese), "dòng 24, cột «Số vụ», Xã A (21010): có 12 vụ, trên mức 4,50"; got != want {
		t.Errorf("In(vi) = %q, want %q", got, want)
	}
	if got, want := p.In(English), "line 24, column “Số vụ”, Xã A (21010): 12 cases, above 4.50"; got != want {
		t.Errorf("In(en) = %q, want %q", got, want)
	}
	if strings.Contains(p.In(Vietnamese), "proposed[") || strings.Contains(p.In(Vietnamese), "test.example") {
		t.Errorf("an officer is shown the field path or the rule code: %q", p.In(Vietnamese))
	}
}
