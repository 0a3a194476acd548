package intake

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"

	"chuyenhoa/cycle"
	"chuyenhoa/policies"
	"chuyenhoa/sample"
)

// Fuzz targets of the readers of officers' files: encoding detection and
// the legacy decoders, the CSV dialect and table reader, strict JSON with
// its places, the proposal in each form (round trips), the .xlsx reader
// and the template, and the checker's input. Properties, besides "no
// panic": a refusal is EINVALID (or too_large) with each problem placed
// in the file; what is accepted is valid, clean UTF-8 text; what is
// written reads back the same. scripts/fuzz.sh runs them all; one alone:
//
//	go test ./intake -run '^$' -fuzz '^FuzzDetectEncoding$' -fuzztime 2m

// ---- fixtures --------------------------------------------------------------

var quangNgai = sync.OnceValues(func() (cycle.Province, error) {
	p, _, err := sample.Province("quang-ngai")
	return p, err
})

func fixtureProvince(tb testing.TB) cycle.Province {
	tb.Helper()
	p, err := quangNgai()
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// unitProposal is the sample proposal of a unit for 2027 (synthetic figures).
func unitProposal(tb testing.TB, prov cycle.Province, unit string) cycle.Proposal {
	tb.Helper()
	for _, p := range sample.Proposals(prov, cycle.DefaultPolicy(), 2027) {
		if p.Unit == unit {
			return p
		}
	}
	tb.Fatalf("no sample proposal of unit %s", unit)
	return cycle.Proposal{}
}

func templateXLSX(tb testing.TB, prov cycle.Province, unit string, p *cycle.Proposal) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := WriteProposalTemplateXLSX(&buf, prov, unit, p); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func proposalCSV(tb testing.TB, prov cycle.Province, p cycle.Proposal) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := cycle.WriteProposalCSV(&buf, prov, p); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// walkStrings calls f on every string reachable from v.
func walkStrings(v reflect.Value, path string, f func(path, s string)) {
	switch v.Kind() {
	case reflect.String:
		f(path, v.String())
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkStrings(v.Elem(), path, f)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				walkStrings(v.Field(i), path+"."+v.Type().Field(i).Name, f)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			walkStrings(v.Index(i), path+"["+strconv.Itoa(i)+"]", f)
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			walkStrings(v.MapIndex(k), path+"{"+k.String()+"}", f)
		}
	}
}

// clean fails the test if any string reachable from v is not what
// cycle.Clean leaves (NFC, valid UTF-8, trimmed, no control character
// but tab and newline).
func clean(t *testing.T, what string, v any) {
	t.Helper()
	walkStrings(reflect.ValueOf(v), what, func(path, s string) {
		if cycle.Clean(s) != s {
			t.Fatalf("%s: %q is not clean text", path, s)
		}
		if strings.ContainsFunc(s, func(r rune) bool { return (r < 0x20 && r != '\t' && r != '\n') || (r >= 0x7f && r < 0xa0) }) {
			t.Fatalf("%s: %q holds a control character", path, s)
		}
	})
}

// refusal checks that err is an EINVALID *cycle.Error whose problems each
// say what is wrong in both languages.
// fmtArtifact is what fmt writes for a wrong verb or argument count
// ("%!d(string=x)", "%!v(MISSING)", "%!(EXTRA …)"): a message built
// wrongly. A "%!" the officer's file itself holds (a field named
// "s%!0", found by FuzzProposalJSONRoundTrip) is quoted, not an artifact.
var fmtArtifact = regexp.MustCompile(`%!.?\(`)

func refusal(t *testing.T, err error) *cycle.Error {
	t.Helper()
	var ce *cycle.Error
	if !errors.As(err, &ce) {
		t.Fatalf("refusal is %T, not *cycle.Error: %v", err, err)
	}
	if ce.Code != cycle.EINVALID && ce.Code != ETooLarge {
		t.Fatalf("refusal has code %q: %v", ce.Code, err)
	}
	if strings.TrimSpace(ce.Message) == "" || strings.TrimSpace(ce.Text) == "" {
		t.Fatalf("refusal without a message in each language: %#v", ce)
	}
	if len(ce.Problems) > cycle.MaxProblems+1 {
		t.Fatalf("%d problems listed: not bounded", len(ce.Problems))
	}
	for _, p := range ce.Problems {
		if p.Rule == "" || strings.TrimSpace(p.Message) == "" || strings.TrimSpace(p.Text) == "" || fmtArtifact.MatchString(p.Text) || fmtArtifact.MatchString(p.Message) {
			t.Fatalf("problem without rule or text: %#v", p)
		}
	}
	return ce
}

// placed fails the test unless every problem of a refusal says where it
// is in the file (a line), but those about the whole file.
func placed(t *testing.T, ce *cycle.Error, whole ...string) {
	t.Helper()
	for _, p := range ce.Problems {
		if p.Rule == cycle.RuleMore || contains(whole, p.Rule) {
			continue
		}
		if p.Where == nil || p.Where.Line < 1 {
			t.Fatalf("problem not placed in the file: %#v", p)
		}
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// fileWide are the problems about a whole file, which have no line.
var fileWide = []string{"file.utf16", "file.encoding_ambiguous", "file.empty", "file.xls", "file.not_table", "xlsx.open", "xlsx.no_sheet", "xlsx.sheet", "table.rows", "table.empty"}

// ---- encodings ---------------------------------------------------------------

// FuzzDetectEncoding: any bytes are read or refused, never mangled: valid
// UTF-8 is read as it is (less its byte-order mark); a legacy reading
// gives valid UTF-8 of which at least 80% of the words beyond ASCII are
// Vietnamese syllables; a refusal says why. And any Vietnamese text
// written in a legacy encoding reads back as it was.
func FuzzDetectEncoding(f *testing.F) {
	text := "Mã xã;Tên xã;Lý do\r\n21010;Phường Lê Hồng Phong;Phức tạp về trộm cắp tài sản, ma túy\r\n21046;Xã Bình Thạnh;QUẢNG NGÃI\r\n"
	for _, e := range legacy {
		b, err := EncodeLegacy(text, e)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, uint8(0), "")
	}
	f.Add([]byte(text), uint8(1), "Thị trấn Châu Ổ")
	f.Add([]byte("\xef\xbb\xbf"+text), uint8(2), "nghĩa")
	f.Add([]byte("\xff\xfeM\x00"), uint8(3), "Ủy ban")
	f.Add([]byte("Caf\xe9 cr\xe8me"), uint8(0), "")
	f.Fuzz(func(t *testing.T, b []byte, which uint8, viet string) {
		e, bom, err := DetectEncoding(b)
		if err != nil {
			placed(t, refusal(t, err), append(fileWide, "file.encoding_unknown")...)
		} else {
			s, e2, bom2, err := DecodeText(b)
			if err != nil || e2 != e || bom2 != bom || !utf8.ValidString(s) {
				t.Fatalf("DecodeText: %q %s %v %v", s, e2, bom2, err)
			}
			switch e {
			case UTF8:
				if want := string(bytes.TrimPrefix(b, bomUTF8)); !bom && s != string(b) || bom && s != want {
					t.Fatalf("UTF-8 read as %q", s)
				}
			default:
				if v, n := syllableScore(s); n == 0 || float64(v) < minShare*float64(n) {
					t.Fatalf("%s reading with %d of %d syllables: %q", e, v, n, s)
				}
			}
		}
		// Round trip of Vietnamese text through each legacy encoding.
		viet = norm.NFC.String(strings.ToValidUTF8(viet, ""))
		e = legacy[int(which)%len(legacy)]
		if e == TCVN3 {
			viet = strings.ToLower(viet) // ".VnTime" has no capitals with a tone: their case is the word's
		}
		enc, err := EncodeLegacy(viet, e)
		if err != nil {
			return // a character the encoding does not have
		}
		got, bad := e.decode(enc)
		if got != viet || bad != 0 {
			t.Fatalf("%s: %q → % x → %q (%d bad)", e, viet, enc, got, bad)
		}
	})
}

// ---- CSV -----------------------------------------------------------------

// FuzzReadCSVTable: a CSV file of any bytes is read as a table or refused
// with each problem on its line; a table's lines increase from its header
// and its cells are valid UTF-8; the separator of a table written with
// any of the three is found again.
func FuzzReadCSVTable(f *testing.F) {
	prov := fixtureProvince(f)
	p := unitProposal(f, prov, "522")
	p.Statistics, p.Proposed = p.Statistics[:3], p.Proposed[:1]
	c := proposalCSV(f, prov, p)
	f.Add(c, uint8(0))
	f.Add(bytes.ReplaceAll(c, []byte(","), []byte(";")), uint8(1))
	f.Add([]byte("sep=;\r\nMã xã;Tên xã\r\n21010;\"Phường \"\"Lê\"\" Hồng Phong\"\r\n"), uint8(1))
	f.Add([]byte("a,b\n\"open\n"), uint8(2))
	f.Add([]byte("a\tb\rc\td\r"), uint8(2))
	f.Fuzz(func(t *testing.T, data []byte, which uint8) {
		tb, err := ReadCSVTable(File{Name: "x.csv", Data: data})
		if err != nil {
			placed(t, refusal(t, err), append(fileWide, "file.encoding_unknown", "file.binary")...)
		} else {
			last := tb.Header.Line
			for _, r := range append([]cycle.TableRow{tb.Header}, tb.Rows...) {
				for _, c := range r.Cells {
					if !utf8.ValidString(c) {
						t.Fatalf("cell %q is not UTF-8", c)
					}
				}
			}
			for _, r := range tb.Rows {
				if r.Line <= last {
					t.Fatalf("row on line %d after line %d", r.Line, last)
				}
				last = r.Line
			}
		}
		// Cells without quotes, newlines or separators, written with one
		// separator, are read back with it.
		sep := []rune{',', ';', '\t'}[int(which)%3]
		cells := strings.FieldsFunc(strings.ToValidUTF8(string(data), ""), func(r rune) bool {
			return r == ',' || r == ';' || r == '\t' || r == '"' || r == '\n' || r == '\r' || r < 0x20 || r == 0xFEFF
		})
		if len(cells) < 2 {
			return
		}
		width := min(len(cells), 5)
		var buf bytes.Buffer
		for i := 0; i+width <= len(cells) && i < 5*width; i += width {
			buf.WriteString(strings.Join(cells[i:i+width], string(sep)) + "\n")
		}
		if strings.TrimSpace(buf.String()) == "" || !utf8.Valid(buf.Bytes()) {
			return
		}
		if got := DetectSeparator(buf.String()); got != sep {
			t.Fatalf("separator %q read as %q in %q", sep, got, buf.String())
		}
	})
}

// FuzzProposalCSVRoundTrip: a proposal CSV is refused (EINVALID, every
// problem placed in the file) or accepted as clean text without a
// negative figure, and — when no commune is given twice — reads back the
// same after WriteProposalCSV.
func FuzzProposalCSVRoundTrip(f *testing.F) {
	prov := fixtureProvince(f)
	for _, p := range sample.Proposals(prov, cycle.DefaultPolicy(), 2027)[:2] {
		p.Statistics, p.Proposed = p.Statistics[:3], p.Proposed[:min(1, len(p.Proposed))]
		f.Add(string(proposalCSV(f, prov, p)))
	}
	for _, s := range []string{
		"commune_code,social_order_crimes,economic_cases,environment_cases,drug_cases,proposed,types\n01,1,2,3,4,x,1;2\n",
		"\ufeffCommune_Code , social_order_crimes,economic_cases,environment_cases,drug_cases,proposed,types,reason\r\n01,+5,0,0,0,có,\"1, 4\",\"Xa\u0303 \"\"mo\u0323t\"\"\"\r\n",
		"Mã xã;Tên xã;Số vụ TTXH;Số vụ kinh tế;Số vụ môi trường;Số vụ ma túy;Đề xuất;Loại\n01;;12,0;0;0;0;x;1,4\n",
		"commune_code,social_order_crimes,economic_cases,environment_cases,drug_cases,proposed,types\n01,-1,x,0,0,maybe,9\n,,,,,,\n02,0,0,0,0,,1\n",
		"commune_code\n\"unterminated\n",
		"commune_code,social_order_crimes,economic_cases,environment_cases,drug_cases,proposed,types\n01,99999999999999999999,0,0,0,x,1\n",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		p, _, err := ReadProposal(File{Name: "x.csv", Data: []byte(in)}, "A")
		if err != nil {
			placed(t, refusal(t, err), append(fileWide, "file.encoding_unknown", "file.binary", "table.column", "table.header", "table.column_twice", "table.empty")...)
			return
		}
		if p.Unit != "A" {
			t.Fatalf("unit %q, want A", p.Unit)
		}
		clean(t, "proposal", p)
		seen := map[string]bool{}
		unique := true
		for _, s := range p.Statistics {
			if s.SocialOrderCrimes < 0 || s.EconomicCases < 0 || s.EnvironmentCases < 0 || s.DrugCases < 0 {
				t.Fatalf("negative figure accepted: %+v", s)
			}
			if s.Commune == "" {
				t.Fatalf("empty commune code accepted")
			}
			unique = unique && !seen[s.Commune]
			seen[s.Commune] = true
		}
		for _, pc := range p.Proposed {
			if !seen[pc.Commune] {
				t.Fatalf("proposed commune %q has no figures", pc.Commune)
			}
		}
		if !unique {
			return // the validation refuses it; the table cannot say it twice
		}
		out := proposalCSV(t, prov, p)
		q, _, err := ReadProposal(File{Name: "x.csv", Data: out}, "A")
		if err != nil {
			t.Fatalf("written CSV refused: %v\n%s", err, out)
		}
		if !reflect.DeepEqual(p, q) {
			t.Fatalf("round trip differs:\n%#v\n%#v\n%s", p, q, out)
		}
	})
}

// ---- JSON ------------------------------------------------------------------

// FuzzDecodeJSON: the strict reading agrees with encoding/json's (unknown
// fields refused, one value): what one accepts the other does, to the
// same value; a refusal places each problem on a line of the file.
func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{
		`{"unit":"A","statistics":[{"commune":"01","social_order_crimes":10}],"proposed":[{"commune":"01","types":[4,1],"reason":" Xa\u0303 "}],"note":"n"}`,
		`{"unit":"A","proposed":[{"commune":"01","types":[-1,9999999999]}]}`,
		`{"unit":"A"} {"unit":"B"}`, `{"unit":"A"}]`,
		"{\"unit\":\"A\",\n\"statistics\":[{\"commune\":\"01\",\"social_order_crimes\":1.5}]}",
		`{"Unit":"A","STATISTICS":[],"statistic":[]}`,
		"{\"unit\":\"\xff\"}", `[]`, `null`, ``, `{"unit":"A"`, `{"a":{"b":{"c":[[[[]]]]}}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var ours cycle.Proposal
		doc, err := DecodeJSON(File{Name: "x.json", Data: data}, &ours)
		text, _, _, terr := DecodeText(data)
		if terr != nil {
			if err == nil {
				t.Fatal("undecodable text accepted")
			}
			return
		}
		var std cycle.Proposal
		dec := json.NewDecoder(strings.NewReader(text))
		dec.DisallowUnknownFields()
		serr := dec.Decode(&std)
		if serr == nil {
			if _, terr := dec.Token(); terr != io.EOF {
				serr = errors.New("data after the value")
			}
		}
		if (err == nil) != (serr == nil) {
			t.Fatalf("ours: %v\nencoding/json: %v\n%q", err, serr, text)
		}
		if err != nil {
			ce := refusal(t, err)
			placed(t, ce, "file.empty", "json.value")
			lines := strings.Count(text, "\n") + 1
			for _, p := range ce.Problems {
				if p.Where != nil && p.Where.Line > lines {
					t.Fatalf("problem on line %d of %d: %#v", p.Where.Line, lines, p)
				}
			}
			return
		}
		if !reflect.DeepEqual(ours, std) {
			t.Fatalf("ours %+v, encoding/json %+v", ours, std)
		}
		for path, l := range doc.Origins() {
			if l.Line < 1 || !strings.EqualFold(l.Path, path) { // the program's path in small letters, the file's as written
				t.Fatalf("origin %s at %+v", path, l)
			}
		}
	})
}

// FuzzProposalJSONRoundTrip: a refusal is EINVALID; an accepted proposal is
// clean text and marshals to JSON that reads back the same.
func FuzzProposalJSONRoundTrip(f *testing.F) {
	prov := fixtureProvince(f)
	for _, p := range sample.Proposals(prov, cycle.DefaultPolicy(), 2027)[:2] {
		p.Statistics, p.Proposed = p.Statistics[:3], p.Proposed[:min(1, len(p.Proposed))]
		b, _ := json.Marshal(p)
		f.Add(string(b))
	}
	for _, s := range []string{
		`{"unit":"A","statistics":[{"commune":"01","social_order_crimes":10}],"proposed":[{"commune":"01","types":[4,1],"reason":" Xa\u0303 "}],"note":"n"}`,
		`{"unit":"A","statistics":[{"commune":"01\u0000"}],"proposed":[{"commune":"01","reason":"a\u0000b\u0007\r\nc\u0085"}],"note":"\u0000"}`,
		"\ufeff{\"unit\":\"A\"}", `[]`, `null`, ``,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		p, _, err := ReadProposal(File{Name: "x.json", Data: []byte(in)}, "")
		if err != nil {
			refusal(t, err)
			return
		}
		if p.Unit == "" {
			t.Fatal("a proposal without a unit accepted")
		}
		clean(t, "proposal", p)
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		q, _, err := ReadProposal(File{Name: "x.json", Data: b}, "")
		if err != nil {
			t.Fatalf("marshalled proposal refused: %v\n%s", err, b)
		}
		if !reflect.DeepEqual(p, q) {
			t.Fatalf("round trip differs:\n%#v\n%#v", p, q)
		}
	})
}

// ---- the checker's input ----------------------------------------------------

var shipped = sync.OnceValues(policies.Builtin)

// FuzzReadCheckInput: a refusal is EINVALID with each problem on its line
// and path; an accepted input has clean text, unique codes, known kinds
// and no invalid figure, and selecting and evaluating it under every
// shipped policy never panics.
func FuzzReadCheckInput(f *testing.F) {
	for _, name := range []string{"../policies/examples/communes.json", "../policies/examples/an-ninh-co-so.json"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		var in struct {
			Province string            `json:"province"`
			Communes []json.RawMessage `json:"communes"`
		}
		if err := json.Unmarshal(b, &in); err != nil {
			f.Fatal(err)
		}
		in.Communes = in.Communes[:min(3, len(in.Communes))]
		b, _ = json.Marshal(in)
		var c bytes.Buffer
		_ = json.Compact(&c, b)
		f.Add(c.String())
	}
	for _, s := range []string{
		`{"province":"P","communes":[{"code":"1","name":"Xã A","figures":{"social_order_crimes":3},"proposed":true,"types":[1]},{"code":"2","name":"Phường B","figures":{}}]}`,
		`{"province":"P","communes":[{"code":"1","name":"Xã A","district":"D","report":{"social_order_crimes":2,"proactive_cases":5},"area_average":{"name":"x","crimes":0,"communes":0}}]}`,
		`{"communes":[{"code":"1","name":"Xã A","report":{"tips_handled":3,"tips_received":1}},{"code":"1","name":""}]}`,
		`{"communes":[{"code":"1","name":"Xã A","figures":{"social_order_crimes":-1,"drug_cases":100001}}]}`,
		`{"communes":[]}`, `{}`, `{"communes":[{"code":"1","name":"Xã A","kind":"thôn"}]}`,
	} {
		f.Add(s)
	}
	pols, err := shipped()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, in string) {
		ci, _, err := ReadCheckInput(File{Name: "c.json", Data: []byte(in)})
		if err != nil {
			placed(t, refusal(t, err), append(fileWide, "json.value", "check.commune")...)
			return
		}
		seen := map[string]bool{}
		for _, c := range ci.Communes {
			clean(t, "commune", []string{c.Code, c.Name, c.District, c.DistrictName, c.Reason})
			if c.Code == "" || c.Name == "" || seen[c.Code] {
				t.Fatalf("commune %q %q accepted: empty or duplicate", c.Code, c.Name)
			}
			switch c.Kind {
			case "", cycle.KindXa, cycle.KindPhuong, cycle.KindThiTran, cycle.KindDacKhu:
			default:
				t.Fatalf("commune %q of kind %q accepted", c.Code, c.Kind)
			}
			if fg := c.Figures; fg != nil {
				for _, v := range []int{fg.SocialOrderCrimes, fg.EconomicCases, fg.EnvironmentCases, fg.DrugCases} {
					if v < 0 || v > cycle.MaxFigure {
						t.Fatalf("commune %q: figure %d accepted", c.Code, v)
					}
				}
			}
			seen[c.Code] = true
		}
		prov, props, err := ci.Selection()
		if err != nil {
			refusal(t, err)
		} else {
			if err := prov.Validate(); err != nil {
				t.Fatalf("selection built an invalid registry: %v", err)
			}
			for _, pol := range pols {
				_ = cycle.Select(prov, pol, props)
			}
		}
		for _, rep := range ci.Reports() {
			for _, pol := range pols {
				if pol.Evaluation == nil {
					continue
				}
				if _, err := cycle.Evaluate(pol, rep); err != nil {
					t.Fatalf("evaluate %s under %s: %v", rep.Commune, pol.ID, err)
				}
			}
		}
	})
}

// ---- Excel workbooks ---------------------------------------------------------

// checkProposal checks an accepted proposal of unit 522.
func checkProposal(t *testing.T, p cycle.Proposal) {
	t.Helper()
	if p.Unit != "522" {
		t.Fatalf("proposal of unit %q accepted for unit 522", p.Unit)
	}
	clean(t, "proposal", p)
	for _, s := range p.Statistics {
		if s.SocialOrderCrimes < 0 || s.EconomicCases < 0 || s.EnvironmentCases < 0 || s.DrugCases < 0 {
			t.Fatalf("negative figure accepted: %+v", s)
		}
	}
}

// FuzzReadProposalXLSX feeds bytes to the reader as an .xlsx file. Seeds:
// the published template (empty and prefilled), a workbook with bad
// cells, a CSV, an empty zip. Every refusal is EINVALID; what is accepted
// is a clean proposal of the unit.
func FuzzReadProposalXLSX(f *testing.F) {
	prov := fixtureProvince(f)
	p := unitProposal(f, prov, "522")
	f.Add(templateXLSX(f, prov, "522", nil))
	f.Add(templateXLSX(f, prov, "522", &p))
	f.Add(templateXLSX(f, prov, "523", nil))
	wb := excelize.NewFile()
	_ = wb.SetSheetRow("Sheet1", "A1", &[]any{"commune_code", "social_order_crimes", "economic_cases", "environment_cases", "drug_cases", "proposed", "types"})
	_ = wb.SetSheetRow("Sheet1", "A2", &[]any{"21010", -3, 1.5, "x", "", "maybe", "9"})
	var buf bytes.Buffer
	_, _ = wb.WriteTo(&buf)
	f.Add(buf.Bytes())
	f.Add([]byte("commune_code,social_order_crimes\n21010,1\n"))
	f.Add([]byte("PK\x05\x06\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, _, err := ReadProposal(File{Name: "x.xlsx", Data: data}, "522")
		if err != nil {
			refusal(t, err)
			return
		}
		checkProposal(t, p)
	})
}

// FuzzProposalXLSXCells writes cells into a workbook (rows by "\n", cells
// by "\t"; with numbers, whole numbers as numeric cells) and reads it: the
// result must be what the same table gives as CSV — the same proposal, or
// the same problems on the same rows — since a workbook is read by
// exactly the CSV's rules, with the sheet's row numbers.
func FuzzProposalXLSXCells(f *testing.F) {
	prov := fixtureProvince(f)
	p := unitProposal(f, prov, "522")
	p.Statistics, p.Proposed = p.Statistics[:4], p.Proposed[:1]
	tsv := strings.ReplaceAll(string(proposalCSV(f, prov, p)), ",", "\t")
	f.Add(tsv, false)
	f.Add(tsv, true)
	f.Add("commune_code\tsocial_order_crimes\teconomic_cases\tenvironment_cases\tdrug_cases\tproposed\ttypes\treason\n21010\t007\t0\t0\t0\tx\t1, 4\t \"Phức tạp\"\n\n21013\t\t\t\t\t\t\t", true)
	f.Add("commune_code\tsocial_order_crimes\n21010\t1e3\n21013\t-1", true)
	f.Add("", false)
	f.Fuzz(func(t *testing.T, cells string, numbers bool) {
		if len(cells) > 4<<10 {
			return
		}
		// Text a workbook can hold: XML 1.0 characters, at most 32767 per cell.
		cells = strings.Map(func(r rune) rune {
			if r < 0x20 && r != '\t' && r != '\n' || r == 0xFFFE || r == 0xFFFF || r >= 0xD800 && r <= 0xDFFF || r == 0xFEFF {
				return ' '
			}
			return r
		}, strings.ToValidUTF8(cells, " "))
		cells = strings.ReplaceAll(cells, "\r", " ")
		var rows [][]string
		for _, line := range strings.Split(cells, "\n") {
			rows = append(rows, strings.Split(line, "\t"))
		}
		if len(rows) > 200 {
			return
		}
		wb := excelize.NewFile()
		defer wb.Close()
		for i, row := range rows {
			if len(row) > 50 {
				return
			}
			for j, v := range row {
				if v == "" {
					continue
				}
				ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
				var err error
				if n, nerr := strconv.Atoi(v); numbers && nerr == nil && strconv.Itoa(n) == v && n > -1e15 && n < 1e15 {
					err = wb.SetCellInt("Sheet1", ref, int64(n))
				} else {
					err = wb.SetCellStr("Sheet1", ref, v)
				}
				if err != nil {
					t.Fatalf("set %s = %q: %v", ref, v, err)
				}
			}
		}
		var x bytes.Buffer
		if _, err := wb.WriteTo(&x); err != nil {
			t.Fatal(err)
		}
		got, _, xerr := ReadProposal(File{Name: "x.xlsx", Data: x.Bytes()}, "522")
		// The same table as CSV, its separator said on a first line
		// ("sep=,", as Excel writes it), so its rows are one line below
		// the sheet's.
		var c bytes.Buffer
		c.WriteString("sep=,\n")
		cw := csv.NewWriter(&c)
		last := -1
		for i, row := range rows {
			for _, v := range row {
				if v != "" {
					last = i
				}
			}
		}
		for _, row := range rows[:last+1] {
			n := len(row)
			for n > 0 && row[n-1] == "" {
				n--
			}
			_ = cw.Write(row[:n])
		}
		cw.Flush()
		want, _, cerr := ReadProposal(File{Name: "x.csv", Data: c.Bytes()}, "522")
		if last < 0 {
			if xerr == nil {
				t.Fatal("an empty sheet accepted")
			}
			return
		}
		if (xerr == nil) != (cerr == nil) {
			t.Fatalf("as .xlsx: %v\nas CSV: %v\n%q", xerr, cerr, cells)
		}
		if xerr != nil {
			var xe, ce *cycle.Error
			if !errors.As(xerr, &xe) || !errors.As(cerr, &ce) || len(xe.Problems) != len(ce.Problems) {
				t.Fatalf("as .xlsx: %v\nas CSV: %v\n%q", xerr, cerr, cells)
			}
			for i := range xe.Problems {
				xp, cp := xe.Problems[i], ce.Problems[i]
				xl, cl := 0, 0
				if xp.Where != nil {
					xl = xp.Where.Line
				}
				if cp.Where != nil {
					cl = cp.Where.Line - 1
				}
				if xp.Rule != cp.Rule || xl != max(cl, 0) && xp.Rule != cycle.RuleMore {
					t.Fatalf("problem %d as .xlsx: %+v\nas CSV: %+v", i, xp, cp)
				}
			}
			return
		}
		checkProposal(t, got)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("as .xlsx: %+v\nas CSV: %+v", got, want)
		}
	})
}

// FuzzProposalTemplateRoundTrip: a unit's proposal written into the
// template (prefill) reads back as the same proposal: what an officer
// downloads and sends back unchanged is what they had sent.
func FuzzProposalTemplateRoundTrip(f *testing.F) {
	prov := fixtureProvince(f)
	communes := UnitCommunes(prov, "522")
	f.Add(uint16(11), uint16(0), uint16(1), uint16(0), uint8(0b1001), "Phức tạp về trộm cắp tài sản", uint8(0))
	f.Add(uint16(0), uint16(0), uint16(0), uint16(0), uint8(0), "", uint8(3))
	f.Add(uint16(65535), uint16(1), uint16(2), uint16(3), uint8(0xff), " =SUM(A1:A2) \"x\"\n; Xa\u0303 ", uint8(7))
	f.Fuzz(func(t *testing.T, soc, econ, env, drug uint16, typeBits uint8, reason string, which uint8) {
		c := communes[int(which)%len(communes)]
		p := cycle.Proposal{Unit: "522"}
		for _, cc := range communes {
			p.Statistics = append(p.Statistics, cycle.CommuneFigures{Commune: cc.Code})
		}
		i := int(which) % len(communes)
		p.Statistics[i].Figures = cycle.Figures{SocialOrderCrimes: int(soc), EconomicCases: int(econ), EnvironmentCases: int(env), DrugCases: int(drug)}
		if typeBits != 0 {
			pc := cycle.ProposedCommune{Commune: c.Code, Reason: reason}
			for ty := 1; ty <= 8; ty++ {
				if typeBits&(1<<(ty-1)) != 0 {
					pc.Types = append(pc.Types, cycle.CrimeType(ty))
				}
			}
			p.Proposed = []cycle.ProposedCommune{pc}
		}
		// What an accepted proposal can hold: as a JSON body would give it.
		b, _ := json.Marshal(p)
		p, _, err := ReadProposal(File{Name: "p.json", Data: b}, "522")
		if err != nil {
			t.Fatalf("proposal refused as JSON: %v", err)
		}
		for _, pc := range p.Proposed {
			if utf8.RuneCountInString(pc.Reason) > cycle.MaxReasonChars {
				return // the table refuses it, with its cell
			}
		}
		x := templateXLSX(t, prov, "522", &p)
		back, _, err := ReadProposal(File{Name: "t.xlsx", Data: x}, "522")
		if err != nil {
			t.Fatalf("the template of an accepted proposal is refused: %v", err)
		}
		if !reflect.DeepEqual(p, back) {
			t.Fatalf("round trip through the template differs:\n%+v\n%+v", p, back)
		}
	})
}
