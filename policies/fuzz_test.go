package policies_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"chuyenhoa/cycle"
	"chuyenhoa/policies"
)

// FuzzParsePolicy fuzzes the policy file loader (YAML, or JSON as YAML). Seeds:
// the five shipped policies, the minimal file and the bad files of
// TestParseRefusesBadFiles. Properties:
//   - a refusal is an EINVALID *cycle.Error (a file is never an internal
//     error) whose every problem names the file, and a line when the
//     problem is not about the file as a whole;
//   - an accepted policy passes Validate, its name is NFC, and it
//     survives a round trip: marshalled to JSON and parsed again, it is
//     the same policy (what a running cycle keeps is what was loaded).
//
// Run longer: go test ./policies -run '^$' -fuzz '^FuzzParsePolicy$' -fuzztime 60s
func FuzzParsePolicy(f *testing.F) {
	files, err := filepath.Glob("*.yaml")
	if err != nil || len(files) == 0 {
		f.Fatalf("shipped policies: %v %v", files, err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Add(minimal)
	for _, tc := range badFiles {
		f.Add(tc.file)
	}
	for _, s := range []string{
		strings.Replace(minimal, "cap_percent: 15", "cap_percent: +15", 1),
		strings.Replace(minimal, "cap_percent: 15", "cap_percent: 1_5", 1),
		strings.Replace(minimal, "cap_percent: 15", "cap_percent: 0xF", 1),
		minimal + "targets:\n  - {id: transformed, name: x, compare: ≥, percent: .6e2}\n",
		minimal + "targets:\n  - {id: transformed, name: x, compare: ≥, percent: !!float 0x1p6}\n",
		minimal + "notes: &n [a, b]\nsource: *n\n",
		"- a\n- b\n", "id: x\n---\nid: y\n", "\xff\xfe", "{}", "null",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		const name = "fuzz.yaml"
		pol, err := policies.Parse(name, []byte(in))
		if err != nil {
			var ce *cycle.Error
			if !errors.As(err, &ce) || ce.Code != cycle.EINVALID {
				t.Fatalf("refusal is not an EINVALID *cycle.Error: %T %v", err, err)
			}
			if len(ce.Problems) == 0 {
				t.Fatalf("refusal without problems: %v", err)
			}
			for _, p := range ce.Problems {
				if !strings.HasPrefix(p.Field, name) || p.Rule == "" || p.Message == "" {
					t.Fatalf("problem does not name the file, a rule and a reason: %#v", p)
				}
			}
			return
		}
		if err := pol.Validate(); err != nil {
			t.Fatalf("accepted policy does not validate: %v", err)
		}
		if !norm.NFC.IsNormalString(pol.Name) {
			t.Fatalf("name %q is not NFC", pol.Name)
		}
		js, err := json.Marshal(pol)
		if err != nil {
			t.Fatalf("marshal accepted policy: %v", err)
		}
		back, err := policies.Parse("roundtrip.json", js)
		if err != nil {
			t.Fatalf("accepted policy, marshalled, is refused: %v\n%s", err, js)
		}
		if !reflect.DeepEqual(pol, back) {
			t.Fatalf("round trip differs:\n%#v\n%#v", pol, back)
		}
	})
}

// TestParseNumbersAsYAMLWritesThem: numbers YAML reads as numbers but JSON
// does not ("+15", "1_5", ".5", "0x10") load as the number they are;
// they used to fail with an internal error from the JSON encoder (found
// by FuzzParse). A leading zero, which YAML reads as octal, is refused.
func TestParseNumbersAsYAMLWritesThem(t *testing.T) {
	for _, tc := range []struct {
		cap  string
		want int
	}{{"+15", 15}, {"1_5", 15}, {"0xF", 15}, {"0o17", 15}} {
		pol, err := policies.Parse("n.yaml", []byte(strings.Replace(minimal, "cap_percent: 15", "cap_percent: "+tc.cap, 1)))
		if err != nil {
			t.Fatalf("cap_percent: %s: %v", tc.cap, err)
		}
		if pol.Selection.CapPercent != tc.want {
			t.Errorf("cap_percent: %s read as %d, want %d", tc.cap, pol.Selection.CapPercent, tc.want)
		}
	}
	if _, err := policies.Parse("n.yaml", []byte(strings.Replace(minimal, "cap_percent: 15", "cap_percent: 015", 1))); err == nil || !strings.Contains(err.Error(), "n.yaml:5: selection.cap_percent: \"015\": YAML reads a leading 0 as an octal") {
		t.Errorf("cap_percent: 015 (octal 13 to YAML) must be refused, got %v", err)
	}
	if _, err := policies.Parse("n.yaml", []byte(minimal+"deadlines:\n  - {kind: yearly_report, name: x, months: [09], day: 15}\n")); err == nil || !strings.Contains(err.Error(), `deadlines[0].months[0]: "09": YAML reads a leading 0`) {
		t.Errorf("months: [09] must be refused for its leading zero, got %v", err)
	}
	pol, err := policies.Parse("n.yaml", []byte(minimal+"targets:\n  - {id: transformed, name: x, compare: ≥, percent: .6e2}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if pol.Targets[0].Percent != 60 {
		t.Errorf("percent .6e2 read as %v", pol.Targets[0].Percent)
	}
}

// TestParseRefusesAliasBomb: YAML aliases let a file of a few kilobytes
// name a billion values in fields of the right types (criteria of checks
// of bands); the loader walked and expanded them all, without bound in
// time or memory. It now refuses a file that expands beyond a bound far
// above any plan.
func TestParseRefusesAliasBomb(t *testing.T) {
	list := func(first, alias string, n int) string {
		return "[" + first + strings.Repeat(", "+alias, n-1) + "]"
	}
	bands := list("&b {points: 1}", "*b", 100)
	checks := list("&k {rule: bands, figure: cases_solved, of: cases_prosecuted, bands: "+bands+"}", "*k", 100)
	criteria := list("&c {id: a, name: b, checks: "+checks+"}", "*c", 100)
	file := minimal + "evaluation:\n  method: all_criteria\n  criteria: " + criteria + "\n"
	_, err := policies.Parse("bomb.yaml", []byte(file))
	var ce *cycle.Error
	if !errors.As(err, &ce) || ce.Code != cycle.EINVALID {
		t.Fatalf("want an EINVALID refusal, got %v", err)
	}
	if !strings.Contains(err.Error(), "bomb.yaml:") || !strings.Contains(err.Error(), "aliases") {
		t.Errorf("the refusal should name the file, the line and the cause: %v", err)
	}
}
