package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"chuyenhoa/cycle"
	"chuyenhoa/policies"
	"chuyenhoa/sample"
)

// Fuzz targets of what the CLI parses from officers: the transformation
// report file of `report submit` and the flags of `results appraise
// --override` and `review submit`. (Proposal files, policies, checker
// input, registry CSV, nominations and reviews are fuzzed where they are
// parsed: cycle, policies.) Run one: go test ./starter -run '^$' -fuzz
// '^FuzzParseReport$' -fuzztime 60s.

var positionRE = regexp.MustCompile(`: line (\d+)(?:, column (\d+))?: `)

// FuzzParseReport: a refusal is EINVALID, starts with the file's name,
// and any line and column it gives are in the file; an accepted report is
// exactly what a strict decoder reads (one object, no unknown field) and
// is read the same with a byte-order mark before it.
func FuzzParseReport(f *testing.F) {
	all, err := policies.Builtin()
	if err != nil {
		f.Fatal(err)
	}
	for _, pol := range all {
		if pol.Evaluation == nil {
			continue
		}
		c := cycle.CommuneInProgramme{ListedCommune: cycle.ListedCommune{Commune: "21010", Name: "Phường Lê Hồng Phong", Types: cycle.Types{1, 4}}, Kind: cycle.KindPhuong}
		b, _ := json.MarshalIndent(sample.Report(pol, c, false), "", "  ")
		f.Add(string(b))
	}
	for _, s := range []string{
		`{"figures": {"tips_recieved": 3}, "baseline": {"crimes": 1}, "remark": "x", "Area_Average": {"Name": "A", "crime": 3}}`,
		`{"figures": {}}` + "\n" + `{"figures": {}}`, `{"figures": {}} x`, "{\n  \"figures\": {\"tips_received\": 3,}\n}",
		`{"figures": {"tips_received": 3}`, `{"figures": {"tips_received": "ba"}}`, `{"figures": {"households": 12.5}}`,
		`[{"figures": {}}]`, "  null\n", " \n", "\ufeff{}", "{\"note\": \"\xff\"}", `{"figures": null, "area_average": null}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		const file = "report.json"
		rep, err := parseReport(file, []byte(in))
		bomRep, bomErr := parseReport(file, []byte("\ufeff"+in))
		if !strings.HasPrefix(in, "\ufeff") && ((err == nil) != (bomErr == nil) || (err == nil && !reflect.DeepEqual(rep, bomRep))) {
			t.Fatalf("with a byte-order mark: %v / %v", err, bomErr)
		}
		if err != nil {
			if cycle.ErrorCode(err) != cycle.EINVALID {
				t.Fatalf("refusal with code %q: %v", cycle.ErrorCode(err), err)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, file+": ") {
				t.Fatalf("refusal does not start with the file's name: %q", msg)
			}
			if m := positionRE.FindStringSubmatch(msg); m != nil {
				text := strings.TrimPrefix(in, "\ufeff")
				lines := strings.Split(text, "\n")
				line, _ := strconv.Atoi(m[1])
				if line < 1 || line > len(lines) {
					t.Fatalf("line %d of a file of %d lines: %q", line, len(lines), msg)
				}
				if m[2] != "" {
					col, _ := strconv.Atoi(m[2])
					if col < 1 || col > utf8.RuneCountInString(lines[line-1])+1 {
						t.Fatalf("column %d of line %q: %q", col, lines[line-1], msg)
					}
				}
			}
			return
		}
		var strict cycle.TransformationReport
		dec := json.NewDecoder(strings.NewReader(strings.TrimPrefix(in, "\ufeff")))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&strict); err != nil || dec.More() {
			t.Fatalf("accepted what a strict decoder refuses (%v): %q", err, in)
		}
		if !reflect.DeepEqual(rep, strict) {
			t.Fatalf("read as %+v, strictly %+v", rep, strict)
		}
	})
}

// FuzzParseOverrides: --override CODE=pass|fail[:reason] flags are refused
// whole (EINVALID, each bad flag named), or give clean decisions of pass
// or fail, one per flag, in order.
func FuzzParseOverrides(f *testing.F) {
	for _, s := range []string{"21073=pass", " 21040 = FAIL : số vụ phạm tội không giảm ", "21016=pass:a:b", "21073", "=pass", "21073=passed:lý do", "21073=:x", "Xa\u0303=fail:x\u0303"} {
		f.Add(s, "21040=fail:đủ lý do rõ ràng")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		flags := []string{a, b}
		ds, err := parseOverrides(flags)
		if err != nil {
			var ce *cycle.Error
			if !errors.As(err, &ce) || ce.Code != cycle.EINVALID || len(ce.Problems) == 0 {
				t.Fatalf("refusal: %v", err)
			}
			for _, p := range ce.Problems {
				if p.Field != "--override "+strconv.Quote(a) && p.Field != "--override "+strconv.Quote(b) {
					t.Fatalf("problem does not name its flag: %#v", p)
				}
			}
			return
		}
		if len(ds) != len(flags) {
			t.Fatalf("%d decisions for %d flags", len(ds), len(flags))
		}
		for _, d := range ds {
			if d.Outcome != cycle.OutcomePass && d.Outcome != cycle.OutcomeFail {
				t.Fatalf("outcome %q", d.Outcome)
			}
			if d.Commune == "" || cycle.Clean(d.Commune) != d.Commune || cycle.Clean(d.Reason) != d.Reason {
				t.Fatalf("decision %+v: empty code or unclean text", d)
			}
		}
	})
}

// FuzzReviewRequest: the review flags give a failure review or a
// responsibility review (never both), with clean text, that its own
// Validate then judges; or a refusal naming the flags.
func FuzzReviewRequest(f *testing.F) {
	f.Add("Chưa quyết liệt", "Tăng cường tuần tra", "", "")
	f.Add("", "", "Công an xã Nghĩa Sơn|||kiểm điểm rút kinh nghiệm", "không xét danh hiệu thi đua năm 2028")
	f.Add("", "", " UBND xã | Nguyễn Văn A | Chủ tịch | khiển trách ", "")
	f.Add("x", "", "a|b", "e")
	f.Add("", "", "|||", " ")
	f.Fuzz(func(t *testing.T, cause, remedy, responsible, emulation string) {
		var causes, remedies, resp []string
		if cause != "" {
			causes = []string{cause}
		}
		if remedy != "" {
			remedies = []string{remedy}
		}
		if responsible != "" {
			resp = []string{responsible}
		}
		fr, rr, err := reviewRequest(causes, remedies, resp, emulation)
		if err != nil {
			if cycle.ErrorCode(err) != cycle.EINVALID {
				t.Fatalf("refusal: %v", err)
			}
			if !strings.Contains(err.Error(), "--") {
				t.Fatalf("refusal does not name the flags: %v", err)
			}
			return
		}
		if (fr == nil) == (rr == nil) {
			t.Fatalf("failure review %v and responsibility review %v", fr, rr)
		}
		var buf bytes.Buffer
		if fr != nil {
			_ = json.NewEncoder(&buf).Encode(fr)
			_ = fr.Validate()
		} else {
			_ = json.NewEncoder(&buf).Encode(rr)
			_ = rr.Validate()
		}
		var v any
		_ = json.Unmarshal(buf.Bytes(), &v)
		if bad, ok := firstUnclean(v); !ok {
			t.Fatalf("review with unclean text %q", bad)
		}
	})
}

// firstUnclean finds a string of a decoded JSON value that cycle.Clean
// would change.
func firstUnclean(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, cycle.Clean(x) == x
	case []any:
		for _, e := range x {
			if s, ok := firstUnclean(e); !ok {
				return s, false
			}
		}
	case map[string]any:
		for _, e := range x {
			if s, ok := firstUnclean(e); !ok {
				return s, false
			}
		}
	}
	return "", true
}

// TestParseReportSkipsByteOrderMark: a report saved by a Windows editor
// starts with a byte-order mark; it was refused as "want a JSON object,
// found \"\ufeff{\"".
func TestParseReportSkipsByteOrderMark(t *testing.T) {
	rep, err := parseReport("r.json", []byte("\ufeff{\"figures\": {\"tips_received\": 3}}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := rep.Figures.Figure("tips_received"); !ok || v != 3 {
		t.Fatalf("read as %+v", rep)
	}
}
