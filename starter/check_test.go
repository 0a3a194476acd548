package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chuyenhoa/cycle"
	"chuyenhoa/intake"
	"chuyenhoa/policies"
	"chuyenhoa/workflows/flow"
)

var update = flag.Bool("update", false, "rewrite the golden files of the checker's output")

func exampleInput(t *testing.T) (cycle.CheckInput, cycle.Origins) {
	return readInput(t, "communes.json")
}

func readInput(t *testing.T, name string) (cycle.CheckInput, cycle.Origins) {
	t.Helper()
	f, err := intake.ReadFile(filepath.Join("..", "policies", "examples", name), intake.MaxCheckInputBytes)
	if err != nil {
		t.Fatal(err)
	}
	in, doc, err := intake.ReadCheckInput(f)
	if err != nil {
		t.Fatal(err)
	}
	return in, doc.Origins()
}

// The checker's output for the README's example, against golden files
// (the README shows them; regenerate with -update and paste).
func TestCheckExampleGolden(t *testing.T) {
	in, origins := exampleInput(t)
	for _, tc := range []struct {
		policy, mode, golden string
		lang                 cycle.Lang
	}{
		{"000", "selection", "check-000-selection.golden", cycle.Vietnamese},
		{"000", "selection", "check-000-selection.en.golden", cycle.English},
		{"000", "evaluation", "check-000-evaluation.golden", cycle.Vietnamese},
		{"002", "selection", "check-002-selection.golden", cycle.Vietnamese},
		{"002", "evaluation", "check-002-evaluation.golden", cycle.Vietnamese},
		{"004", "evaluation", "check-004-evaluation.golden", cycle.Vietnamese},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			in, origins := in, origins
			if tc.policy == "004" {
				in, origins = readInput(t, "an-ninh-co-so.json")
			}
			pol, err := policies.ByID(tc.policy)
			if err != nil {
				t.Fatal(err)
			}
			out, err := runCheck(pol, in, origins, tc.mode)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			printCheck(&buf, tc.lang, pol, &in, out)
			path := filepath.Join("testdata", tc.golden)
			if *update {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update)", err)
			}
			if buf.String() != string(want) {
				t.Fatalf("output differs from %s:\n%s", path, buf.String())
			}
		})
	}
}

func TestCheckVerdicts(t *testing.T) {
	in, origins := exampleInput(t)
	pol, _ := policies.ByID("000")
	out, err := runCheck(pol, in, origins, "evaluation")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]cycle.Outcome{}
	for _, v := range out.Verdicts {
		got[v.Commune] = v.Outcome
	}
	// Châu Ổ meets everything; Lê Hồng Phong's detection is 19 of 25 =
	// 76% < 80%; Quảng Phú has as many social-evil hotspots as before.
	if got["21040"] != cycle.OutcomePass || got["21010"] != cycle.OutcomeFail || got["21016"] != cycle.OutcomeFail {
		t.Fatalf("outcomes %v", got)
	}
	var js bytes.Buffer
	if err := json.NewEncoder(&js).Encode(out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(js.String(), `76% (19 of 25) \u003c 80%`) && !strings.Contains(js.String(), "76% (19 of 25) < 80%") {
		t.Fatalf("the JSON lacks the figures compared: %s", js.String())
	}

	sel, err := runCheck(pol, in, origins, "selection")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(sel.Selection.Selected()); n != 2 || sel.Selection.Cap != 2 {
		t.Fatalf("selected %d of cap %d, want 2 of 2 (15%% of 14)", n, sel.Selection.Cap)
	}
	if len(sel.Problems) != 3 {
		t.Fatalf("problems %v, want the new-rural commune and the unsupported Loại 2 below the district average", sel.Problems)
	}

	if _, err := runCheck(pol, in, origins, "vote"); cycle.ErrorCode(err) != cycle.EINVALID {
		t.Fatalf("bad mode: %v", err)
	}
	p3, _ := policies.ByID("003")
	if _, err := runCheck(p3, in, origins, "evaluation"); cycle.ErrorCode(err) != cycle.EINVALID {
		t.Fatalf("003 has no evaluation method: %v", err)
	}
}

// The checker's input is refused with every problem where it is in the
// file: its line and path, the commune's name and code, in Vietnamese and
// in English.
func TestParseCheckInputRefuses(t *testing.T) {
	for _, tc := range []struct{ name, js, want, vi string }{
		{"unknown field", `{"communes":[{"code":"1","name":"Xã A","crimes":3}]}`, `unknown field "crimes"`, `dòng 1, communes[0].crimes: Không có trường "crimes" trong mẫu`},
		{"duplicate", "{\"communes\":[\n{\"code\":\"1\",\"name\":\"Xã A\"},\n{\"code\":\"1\",\"name\":\"Xã B\"}]}", "commune given twice", "dòng 3, communes[1], Xã B (1): Xã được ghi hai lần"},
		{"negative", "{\"communes\":[{\"code\":\"1\",\"name\":\"Xã A\",\n \"report\":{\"reoffenders\":-1}}]}", "-1: must not be negative", "dòng 2, communes[0].report.reoffenders, Xã A (1): Số người tái phạm không được âm (-1)"},
		{"part above whole", `{"communes":[{"code":"1","name":"Xã A","report":{"tips_received":3,"tips_handled":4}}]}`, "tips_handled 4 > tips_received 3", "Số tố giác, tin báo về tội phạm đã phân loại, xử lý (4) lớn hơn Số tố giác, tin báo về tội phạm tiếp nhận (3)"},
		{"invalid figures", `{"communes":[{"code":"1","name":"Xã A","figures":{"social_order_crimes":-4,"drug_cases":200000}}]}`, "-4: must not be negative", "Số vụ về ma túy 200.000 vượt mức hợp lý 100.000 vụ một năm"},
		{"wrong type", "{\"communes\":[{\"code\":\"1\",\"name\":\"Xã A\",\n\"report\":{\"cases_solved\":\"9\"}}]}", `want a number, found "9"`, `dòng 2, communes[0].report.cases_solved: Cần một số, tệp ghi "9"`},
		{"byte-order mark", "\ufeff{\"communes\":[]}", "no communes", "Tệp không có xã nào"},
		{"empty", `{"communes":[]}`, "no communes", "Tệp không có xã nào"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := intake.ReadCheckInput(intake.File{Name: "communes.json", Data: []byte(tc.js)})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
			ce := flow.AsCycleError(err)
			var vi []string
			for _, p := range ce.Problems {
				vi = append(vi, p.In(cycle.Vietnamese))
			}
			if !strings.Contains(strings.Join(vi, "\n"), tc.vi) {
				t.Fatalf("problems for officers:\n%s\nwant %q", strings.Join(vi, "\n"), tc.vi)
			}
		})
	}
}

// FuzzParseCheckInput: no input panics the reader or the checker.
func FuzzParseCheckInput(f *testing.F) {
	b, err := os.ReadFile(filepath.Join("..", "policies", "examples", "communes.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte(`{"communes":[{"code":"1","name":"Xã A","figures":{"social_order_crimes":3},"proposed":true,"types":[9]}]}`))
	pol, err := policies.ByID("000")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		in, doc, err := intake.ReadCheckInput(intake.File{Name: "x.json", Data: b})
		if err != nil {
			return
		}
		_, _ = runCheck(pol, in, doc.Origins(), "selection")
		_, _ = runCheck(pol, in, doc.Origins(), "evaluation")
	})
}

// docs/policies.md shows the checker's real output for its example.
func TestReadmeShowsCheckerOutput(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "docs", "policies.md"))
	if err != nil {
		t.Fatal(err)
	}
	sel, err := os.ReadFile(filepath.Join("testdata", "check-000-selection.golden"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "```\n"+string(sel)+"```\n") {
		t.Fatal("docs/policies.md does not show testdata/check-000-selection.golden: paste it")
	}
	ev, err := os.ReadFile(filepath.Join("testdata", "check-000-evaluation.golden"))
	if err != nil {
		t.Fatal(err)
	}
	first := strings.SplitN(string(ev), "\nPhường Quảng Phú", 2)[0]
	if !strings.Contains(string(readme), strings.TrimRight(first, "\n")+"\n```\n") {
		t.Fatal("README.md does not show the start of testdata/check-000-evaluation.golden: paste it")
	}
}

// Every message of the catalogue the CLI adds is said in both languages
// with the same arguments.
func TestCatalogueTexts(t *testing.T) {
	for _, code := range cycle.MessageCodes() {
		m, _ := cycle.Message(code)
		if strings.Count(m.VI, "%") != strings.Count(m.EN, "%") {
			t.Errorf("%s: the languages take different arguments: %q / %q", code, m.VI, m.EN)
		}
	}
}
