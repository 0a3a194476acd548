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
	"chuyenhoa/policies"
)

var update = flag.Bool("update", false, "rewrite the golden files of the checker's output")

func exampleInput(t *testing.T) cycle.CheckInput { return readInput(t, "communes.json") }

func readInput(t *testing.T, name string) cycle.CheckInput {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "policies", "examples", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	in, err := cycle.ParseCheckInput(f)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// The checker's output for the README's example, against golden files
// (the README shows them; regenerate with -update and paste).
func TestCheckExampleGolden(t *testing.T) {
	in := exampleInput(t)
	for _, tc := range []struct{ policy, mode, golden string }{
		{"000", "selection", "check-000-selection.golden"},
		{"000", "evaluation", "check-000-evaluation.golden"},
		{"002", "selection", "check-002-selection.golden"},
		{"002", "evaluation", "check-002-evaluation.golden"},
		{"004", "evaluation", "check-004-evaluation.golden"},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			in := in
			if tc.policy == "004" {
				in = readInput(t, "an-ninh-co-so.json")
			}
			pol, err := policies.ByID(tc.policy)
			if err != nil {
				t.Fatal(err)
			}
			out, err := runCheck(pol, in, tc.mode)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			printCheck(&buf, pol, in, out)
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
	in := exampleInput(t)
	pol, _ := policies.ByID("000")
	out, err := runCheck(pol, in, "evaluation")
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

	sel, err := runCheck(pol, in, "selection")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(sel.Selection.Selected()); n != 2 || sel.Selection.Cap != 2 {
		t.Fatalf("selected %d of cap %d, want 2 of 2 (15%% of 14)", n, sel.Selection.Cap)
	}
	if len(sel.Problems) != 3 {
		t.Fatalf("problems %v, want the new-rural commune and the unsupported Loại 2 below the district average", sel.Problems)
	}

	if _, err := runCheck(pol, in, "vote"); cycle.ErrorCode(err) != cycle.EINVALID {
		t.Fatalf("bad mode: %v", err)
	}
	p3, _ := policies.ByID("003")
	if _, err := runCheck(p3, in, "evaluation"); cycle.ErrorCode(err) != cycle.EINVALID {
		t.Fatalf("003 has no evaluation method: %v", err)
	}
}

func TestParseCheckInputRefuses(t *testing.T) {
	for _, tc := range []struct{ name, js, want string }{
		{"unknown field", `{"communes":[{"code":"1","name":"Xã A","crimes":3}]}`, `unknown field "crimes"`},
		{"duplicate", `{"communes":[{"code":"1","name":"Xã A"},{"code":"1","name":"Xã B"}]}`, "commune given twice"},
		{"negative", `{"communes":[{"code":"1","name":"Xã A","report":{"reoffenders":-1}}]}`, "communes[0].report.reoffenders: -1: must not be negative"},
		{"part above whole", `{"communes":[{"code":"1","name":"Xã A","report":{"tips_received":3,"tips_handled":4}}]}`, "tips_handled 4 > tips_received 3"},
		{"empty", `{"communes":[]}`, "no communes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := cycle.ParseCheckInput(strings.NewReader(tc.js))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
}

// FuzzParseCheckInput: no input panics the parser or the checker.
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
		in, err := cycle.ParseCheckInput(bytes.NewReader(b))
		if err != nil {
			return
		}
		_, _ = runCheck(pol, in, "selection")
		_, _ = runCheck(pol, in, "evaluation")
	})
}

// The README shows the checker's real output for its example.
func TestReadmeShowsCheckerOutput(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	sel, err := os.ReadFile(filepath.Join("testdata", "check-000-selection.golden"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "```\n"+string(sel)+"```\n") {
		t.Fatal("README.md does not show testdata/check-000-selection.golden: paste it")
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
