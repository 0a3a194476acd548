package intake

import (
	"strings"
	"testing"

	"chuyenhoa/cycle"
)

// A JSON file's problems are each on their line and path, all of them at
// once; the message says the first where it is (API clients read it).
func TestDecodeJSONProblems(t *testing.T) {
	for _, c := range []struct {
		name, in string
		want     []string // each problem as officers read it
		message  string   // the English message contains
	}{
		{"syntax", "{\"unit\": \"522\",\n \"statistics\": [", []string{"dòng 2, statistics: JSON sai cú pháp: tệp kết thúc giữa chừng (thiếu dấu đóng } hoặc ], hoặc dấu ngoặc kép)"}, "malformed JSON"},
		{"character", "{\"unit\": \"522\",\n \"statistics\": [}", []string{"dòng 2, statistics: JSON sai cú pháp: ký tự '}' không đúng chỗ (cột 17)"}, "line 2"},
		{"types", "{\"unit\": \"522\",\n\"statistics\": [{\"commune\": \"21010\", \"social_order_crimes\": \"mười\"},\n {\"commune\": 21013, \"drug_cases\": 1.5}]}",
			[]string{`dòng 2, statistics[0].social_order_crimes: Cần một số, tệp ghi "mười"`, `dòng 3, statistics[1].commune: Cần một chuỗi ký tự "…", tệp ghi 21013`, `dòng 3, statistics[1].drug_cases: Cần số nguyên, tệp ghi 1.5`},
			`line 2, statistics[0].social_order_crimes: want a number, found "mười" (and 2 problems more)`},
		{"unknown fields", "{\"unit\": \"522\", \"statistic\": [],\n \"proposed\": [{\"commune\": \"1\", \"type\": [1]}]}",
			[]string{`dòng 1, statistic: Không có trường "statistic" trong mẫu (có phải là "statistics"?)`, `dòng 2, proposed[0].type: Không có trường "type" trong mẫu (có phải là "types"?)`}, `unknown field "statistic" (did you mean "statistics"?)`},
		{"trailing", `{"unit": "522"} {"unit": "523"}`, []string{"dòng 1: Sau giá trị JSON còn dữ liệu khác: tệp chỉ được chứa một đối tượng"}, "unexpected data after the JSON value"},
		// A comma after the value was taken for a separator and accepted
		// (found by FuzzDecodeJSON: encoding/json refuses "{},").
		{"trailing comma", "{\"unit\": \"522\"},\n", []string{"dòng 1: Sau giá trị JSON còn dữ liệu khác: tệp chỉ được chứa một đối tượng"}, "unexpected data after the JSON value"},
		{"not an object", `[1, 2]`, []string{"dòng 1: Cần một đối tượng {…}, tệp ghi […]"}, "want an object"},
		{"empty", " \n", []string{"Tệp rỗng"}, "empty"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var p cycle.Proposal
			_, err := DecodeJSON(File{Name: "p.json", Data: []byte(c.in)}, &p)
			ce := asCycleError(err)
			if ce == nil || ce.Code != cycle.EINVALID {
				t.Fatalf("%v", err)
			}
			var got []string
			for _, pr := range ce.Problems {
				got = append(got, pr.In(cycle.Vietnamese))
			}
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
			if !strings.Contains(ce.Message, c.message) {
				t.Errorf("message %q lacks %q", ce.Message, c.message)
			}
		})
	}
}

// A JSON file in a legacy encoding, or with a byte-order mark, is read;
// the origins place every value.
func TestDecodeJSONEncodings(t *testing.T) {
	text := "{\"unit\": \"522\",\n \"proposed\": [{\"commune\": \"21010\", \"types\": [1],\n \"reason\": \"Phức tạp về trộm cắp tài sản\"}]}"
	for _, e := range []Encoding{UTF8, Windows1258, TCVN3, VNI} {
		b, err := EncodeLegacy(text, e)
		if err != nil {
			t.Fatal(err)
		}
		if e == UTF8 {
			b = append([]byte("\xef\xbb\xbf"), b...)
		}
		var p cycle.Proposal
		doc, err := DecodeJSON(File{Name: "p.json", Data: b}, &p)
		if err != nil || p.Proposed[0].Reason != "Phức tạp về trộm cắp tài sản" {
			t.Fatalf("%s: %+v %v", e, p, err)
		}
		if l := doc.Origins()["proposed[0].reason"]; l.Line != 3 || l.Path != "proposed[0].reason" {
			t.Errorf("%s: proposed[0].reason at %+v", e, l)
		}
	}
}

// The refusal the API answers 400 for (not JSON at all) is told from JSON
// that does not fit (422).
func TestIsMalformedJSON(t *testing.T) {
	var p cycle.Proposal
	_, err := DecodeJSON(File{Data: []byte(`{"unit": `)}, &p)
	if !IsMalformedJSON(err) {
		t.Errorf("syntax error: %v", err)
	}
	_, err = DecodeJSON(File{Data: []byte(`{"unit": 5}`)}, &p)
	if IsMalformedJSON(err) || err == nil {
		t.Errorf("type error: %v", err)
	}
}

// A commune whose kind is neither given nor in its name cannot make the
// registry the selection needs: refused in the officer's words, on its
// field (found by FuzzReadCheckInput: the registry's own check refused it
// in English only).
func TestCheckInputKindUnknown(t *testing.T) {
	in, doc, err := ReadCheckInput(File{Name: "c.json", Data: []byte("{\"communes\":[\n{\"code\":\"0\",\"name\":\"0\",\"figures\":{}}]}")})
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = in.Selection()
	doc.Origins().LocateError(err)
	ce := asCycleError(err)
	if ce == nil || ce.Text == "" || len(ce.Problems) != 1 || ce.Problems[0].In(cycle.Vietnamese) != `dòng 2, communes[0], 0 (0): Không rõ loại đơn vị: tên "0" không bắt đầu bằng xã, phường, thị trấn hay đặc khu; hãy ghi "kind"` {
		t.Fatalf("%v", err)
	}
}

// encoding/json reads keys without case, so the program's paths are
// found in a file that writes "Communes" and "KIND" (found by
// FuzzReadCheckInput: such a file's problems had no line).
func TestOriginsIgnoreCase(t *testing.T) {
	_, _, err := ReadCheckInput(File{Name: "c.json", Data: []byte("{\"Communes\": [\n{\"Code\": \"1\", \"NAME\": \"Xã A\", \"KIND\": \"thôn\"}]}")})
	ce := asCycleError(err)
	if ce == nil || len(ce.Problems) != 1 || ce.Problems[0].Where == nil || ce.Problems[0].Where.Line != 2 || ce.Problems[0].Where.Path != "Communes[0].KIND" {
		t.Fatalf("%v %+v", err, ce.Problems[0].Where)
	}
}
