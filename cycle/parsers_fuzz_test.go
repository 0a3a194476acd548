package cycle_test

import (
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"chuyenhoa/cycle"
	"chuyenhoa/policies"
	"chuyenhoa/sample"
)

// Fuzz targets of every parser of outside input the domain package owns
// or checks: dates and days of the year of policy files, registry CSV, and the
// JSON bodies officers send (consolidation, appraisal, transformation
// report, year-end appraisal, award nominations and review) with the
// validation the workflows run on them. Each asserts properties, not only
// "no panic": a refusal is a *cycle.Error of the right code whose problems
// say where; what is accepted is NFC, round-trips, and satisfies the
// validation it passed. scripts/fuzz.sh runs them all; one alone:
//
//	go test ./cycle -run '^$' -fuzz '^FuzzProposalCSVRoundTrip$' -fuzztime 60s

// refusal checks that err is a *cycle.Error with the given code, a
// message, and problems that each name a rule, say what is wrong and where.
func refusal(t *testing.T, err error, code string) *cycle.Error {
	t.Helper()
	var ce *cycle.Error
	if !errors.As(err, &ce) {
		t.Fatalf("refusal is %T, not *cycle.Error: %v", err, err)
	}
	if ce.Code != code {
		t.Fatalf("refusal has code %q, want %q: %v", ce.Code, code, err)
	}
	if strings.TrimSpace(ce.Message) == "" {
		t.Fatalf("refusal without a message: %#v", ce)
	}
	for _, p := range ce.Problems {
		if p.Rule == "" || strings.TrimSpace(p.Message) == "" {
			t.Fatalf("problem without rule or message: %#v", p)
		}
		if p.Field == "" && p.Commune == "" {
			t.Fatalf("problem that names neither field nor commune: %#v", p)
		}
	}
	return ce
}

// clean fails the test if any string reachable from v is not NFC with no
// surrounding white space (what cycle.Clean makes of text at the edge).
func clean(t *testing.T, what string, v any) {
	t.Helper()
	walkStrings(reflect.ValueOf(v), what, func(path, s string) {
		if cycle.Clean(s) != s {
			t.Fatalf("%s: %q is not clean text (NFC, trimmed)", path, s)
		}
	})
}

// noControls fails the test if any string reachable from v holds a
// control character other than tab and newline (the store refuses NUL;
// spreadsheets and PDFs cannot show the others).
func noControls(t *testing.T, what string, v any) {
	t.Helper()
	walkStrings(reflect.ValueOf(v), what, func(path, s string) {
		if i := strings.IndexFunc(s, func(r rune) bool { return (r < 0x20 && r != '\t' && r != '\n') || (r >= 0x7f && r < 0xa0) }); i >= 0 {
			t.Fatalf("%s: %q holds a control character", path, s)
		}
	})
}

// nfc fails the test if any string reachable from v is not NFC.
func nfc(t *testing.T, what string, v any) {
	t.Helper()
	walkStrings(reflect.ValueOf(v), what, func(path, s string) {
		if !norm.NFC.IsNormalString(s) {
			t.Fatalf("%s: %q is not NFC", path, s)
		}
	})
}

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
			walkStrings(k, path+"{key}", f)
			walkStrings(v.MapIndex(k), path+"{"+k.String()+"}", f)
		}
	}
}

// decodeStrict decodes one JSON value as the API and the CLI do: unknown
// fields refused, nothing after the value.
func decodeStrict(in string, v any) error {
	dec := json.NewDecoder(strings.NewReader(in))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("data after the value")
	}
	return nil
}

// shipped are the five seed policies, loaded once.
var shipped = sync.OnceValues(policies.Builtin)

func shippedPolicies(f *testing.F) []cycle.Policy {
	all, err := shipped()
	if err != nil {
		f.Fatal(err)
	}
	return all
}

// ---- proposals -------------------------------------------------------------

// FuzzClean: the text every edge keeps is NFC, valid UTF-8, without
// control characters but tab and newline, trimmed, and cleaning it again
// changes nothing.
func FuzzClean(f *testing.F) {
	for _, s := range []string{"Xa\u0303 Một", " \t\u00a0x\u0085", "a\x00b\x07c\r\n", "\xff\xfeq", " \u0301a", "\u1e9b\u0323"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := cycle.Clean(s)
		if !utf8.ValidString(c) || !norm.NFC.IsNormalString(c) || strings.TrimSpace(c) != c {
			t.Fatalf("Clean(%q) = %q: not valid NFC trimmed text", s, c)
		}
		if strings.ContainsFunc(c, func(r rune) bool { return (r < 0x20 && r != '\t' && r != '\n') || (r >= 0x7f && r < 0xa0) }) {
			t.Fatalf("Clean(%q) = %q holds a control character", s, c)
		}
		if cycle.Clean(c) != c {
			t.Fatalf("Clean(%q) = %q, and again %q", s, c, cycle.Clean(c))
		}
	})
}

// ---- dates of policy files -------------------------------------------------

// FuzzParseYearDay: an accepted day of the year is valid and its String
// parses back to it, also as JSON.
func FuzzParseYearDay(f *testing.F) {
	for _, s := range []string{"25/12 Y-1", "31/01", "14/12 Y", "1/1 Y+1", "29/02", "31/04", "00/01", "15/12 Y−1", " 5/6  ", "5/6 Y-2", "99999999999999999999/1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		yd, err := cycle.ParseYearDay(s)
		var js cycle.YearDay
		b, _ := json.Marshal(s)
		jerr := json.Unmarshal(b, &js)
		if (err == nil) != (jerr == nil) || (err == nil && js != yd) {
			t.Fatalf("ParseYearDay(%q) = %v, %v but as JSON %v, %v", s, yd, err, js, jerr)
		}
		if err != nil {
			if !strings.Contains(err.Error(), strconv.Quote(s)) {
				t.Fatalf("error does not quote the input %q: %v", s, err)
			}
			return
		}
		if !yd.Valid() {
			t.Fatalf("%q accepted as %+v, which is not a day of the year", s, yd)
		}
		back, err := cycle.ParseYearDay(yd.String())
		if err != nil || back != yd {
			t.Fatalf("%q → %+v → %q → %+v, %v", s, yd, yd.String(), back, err)
		}
	})
}

// FuzzDateJSON: a date accepted from JSON writes back as the same date.
func FuzzDateJSON(f *testing.F) {
	for _, s := range []string{`"2021-04-15"`, `null`, `"2027-02-29"`, `"0000-01-01"`, `"2027-1-5"`, `20270101`, `"2027-12-31T00:00:00Z"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		var d cycle.Date
		if err := json.Unmarshal([]byte(in), &d); err != nil {
			return
		}
		b, err := json.Marshal(d)
		if err != nil {
			t.Fatalf("marshal %+v: %v", d, err)
		}
		var e cycle.Date
		if err := json.Unmarshal(b, &e); err != nil || e != d {
			t.Fatalf("%s → %+v → %s → %+v, %v", in, d, b, e, err)
		}
		if !d.IsZero() && (d.Month < 1 || d.Month > 12 || d.Day < 1 || d.Day > 31) {
			t.Fatalf("%s accepted as impossible date %+v", in, d)
		}
	})
}

// ---- the offline checker's input ------------------------------------------

// ---- registry import -------------------------------------------------------

// FuzzReadRegistryCSV: a refusal is EINVALID (a file the officer gave is
// never an internal error); an accepted registry is valid, clean text and
// ordered by code.
func FuzzReadRegistryCSV(f *testing.F) {
	for _, name := range []string{"../sample/data/quang-ngai-2024.csv", "../sample/data/vn-communes-2025.csv"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		lines := strings.SplitAfter(string(b), "\n")
		f.Add(strings.Join(lines[:min(len(lines), 12)], ""))
	}
	for _, s := range []string{
		"province_code,province_name,district_code,district_name,commune_code,commune_name,new_rural\n51,Tỉnh Q,522,TP Q,2,Xã Hai,x\n51,Tỉnh Q,522,TP Q,1,Phường Một,\n",
		"\ufeffprovince_code,province_name,commune_code,commune_name,kind\n01,TP,1,Đặc khu X,đặc khu\n02,TP,2,Xã Y,xã\n",
		"province_code,province_name,commune_code,commune_name\n01,TP,1,Làng X\n",
		"province_code,province_name,commune_code\n",
		"", "\"", "province_code,province_name,commune_code,commune_name\n01,TP,\"1\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		p, err := cycle.ReadRegistryCSV(strings.NewReader(in))
		if err != nil {
			refusal(t, err, cycle.EINVALID)
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("accepted registry is invalid: %v", err)
		}
		clean(t, "registry", p)
	})
}

// ---- officers' JSON bodies and the validation the workflows run on them ----

// selectionFixture is a selection over testProvince with proposals of
// both districts, as the consolidation and appraisal fuzzers decide on.
func selectionFixture() (cycle.Province, cycle.Policy, cycle.SelectionResult) {
	prov, pol := testProvince(), cycle.DefaultPolicy()
	pol.Selection.CapPercent = 50
	props := []cycle.Proposal{
		{Unit: "A", Statistics: statsA(), Proposed: []cycle.ProposedCommune{{Commune: "01", Types: cycle.Types{1, 4}}, {Commune: "03", Types: cycle.Types{1}}}},
		{Unit: "B", Statistics: statsB(), Proposed: []cycle.ProposedCommune{{Commune: "05", Types: cycle.Types{1}}, {Commune: "06", Types: cycle.Types{1}}}},
	}
	return prov, pol, cycle.Select(prov, pol, props)
}

// FuzzConsolidationJSON: the secretariat's body, decoded as the API does,
// is refused with problems on decisions[i], or gives a draft whose ranks
// run 1…n, whose communes are unique candidates, which keeps every commune
// kept and none dropped.
func FuzzConsolidationJSON(f *testing.F) {
	for _, s := range []string{
		`{"decisions":[{"commune":"05","keep":false,"reason":"Đã chuyển hóa năm trước"},{"commune":"01","keep":true,"reason":"x"}],"note":"n"}`,
		`{"decisions":[{"commune":"03","keep":true,"reason":"r"},{"commune":"99","keep":false,"reason":""},{"commune":"01","keep":true},{"commune":"01","keep":false}]}`,
		`{}`, `{"decisions":null}`, `{"decisions":[{"commune":"06","keep":true}]}`,
	} {
		f.Add(s)
	}
	prov, pol, sel := selectionFixture()
	candidate := map[string]bool{}
	for _, c := range sel.Candidates {
		candidate[c.Commune] = true
	}
	f.Fuzz(func(t *testing.T, in string) {
		var c cycle.Consolidation
		if err := decodeStrict(in, &c); err != nil {
			return // 400 at the API, before any workflow
		}
		draft, err := cycle.Consolidate(prov, pol, sel, c)
		if err != nil {
			ce := refusal(t, err, cycle.EINVALID)
			for _, p := range ce.Problems {
				if !strings.HasPrefix(p.Field, "decisions") {
					t.Fatalf("problem not on a decision: %#v", p)
				}
			}
			return
		}
		on := map[string]bool{}
		for i, l := range draft {
			if l.Rank != i+1 || on[l.Commune] || !candidate[l.Commune] {
				t.Fatalf("draft[%d] = %+v: rank, duplicate or not a candidate", i, l)
			}
			on[l.Commune] = true
		}
		for _, d := range c.Decisions {
			if d.Keep != on[d.Commune] {
				t.Fatalf("decision %+v not applied: draft %+v", d, draft)
			}
		}
	})
}

// FuzzAppraisalJSON: the council's body is refused with its problems, or
// gives the draft minus the communes removed, renumbered.
func FuzzAppraisalJSON(f *testing.F) {
	draft := []cycle.ListedCommune{{Commune: "01", Name: "Xã Một", Rank: 1}, {Commune: "05", Name: "Phường Năm", Rank: 2}, {Commune: "06", Name: "Phường Sáu", Rank: 3}}
	for _, s := range []string{
		`{"approved":true,"removals":[{"commune":"05","reason":"Không đủ điều kiện"}],"minutes":"m","members":["A","B"]}`,
		`{"approved":false,"reason":"Trả lại"}`,
		`{"approved":false}`,
		`{"approved":true,"removals":[{"commune":"01","reason":"r"},{"commune":"05","reason":"r"},{"commune":"06","reason":"r"}]}`,
		`{"approved":true,"removals":[{"commune":"07","reason":"r"},{"commune":"01"},{"commune":"01","reason":"r"}]}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		var a cycle.Appraisal
		if err := decodeStrict(in, &a); err != nil {
			return
		}
		list, err := cycle.ApplyAppraisal(draft, a)
		if err != nil {
			refusal(t, err, cycle.EINVALID)
			return
		}
		removed := map[string]bool{}
		for _, r := range a.Removals {
			removed[r.Commune] = true
		}
		want := 0
		for _, l := range draft {
			if !removed[l.Commune] {
				want++
			}
		}
		if len(list) != want {
			t.Fatalf("list %+v after removals %+v", list, a.Removals)
		}
		for i, l := range list {
			if l.Rank != i+1 || removed[l.Commune] {
				t.Fatalf("list[%d] = %+v", i, l)
			}
		}
		if a.Approved && len(list) == 0 {
			t.Fatal("an approved empty list")
		}
	})
}

// FuzzTransformationReport: a report body decoded strictly (as `starter
// report submit` does) that ValidateReport accepts for a commune under a
// shipped policy evaluates without error and without any figure "not
// reported"; a refusal is EINVALID naming the figure.
func FuzzTransformationReport(f *testing.F) {
	pols := shippedPolicies(f)
	kinds := []cycle.CommuneKind{cycle.KindXa, cycle.KindPhuong, cycle.KindThiTran}
	for i, pol := range pols {
		if pol.Evaluation == nil {
			continue
		}
		c := cycle.CommuneInProgramme{ListedCommune: cycle.ListedCommune{Commune: "21010", Name: "Phường Lê Hồng Phong", Types: cycle.Types{1, 2, 3, 4}}, Kind: kinds[i%len(kinds)]}
		for _, pass := range []bool{true, false} {
			b, _ := json.Marshal(sample.Report(pol, c, pass))
			f.Add(string(b), uint8(0xff))
		}
	}
	f.Add(`{"figures":{"tips_received":-1,"tips_handled":3,"drug_outrage":true},"baseline":{},"area_average":{"name":"","crimes":-1,"communes":0}}`, uint8(1))
	f.Add(`{"figures":{"tips_recieved":1}}`, uint8(2))
	f.Add(`{"figures":{"social_order_crimes":9223372036854775807,"proactive_cases":-9223372036854775808},"baseline":{"social_order_crimes":0}}`, uint8(3))
	f.Fuzz(func(t *testing.T, in string, typeBits uint8) {
		var rep cycle.TransformationReport
		if err := decodeStrict(in, &rep); err != nil {
			return
		}
		var types cycle.Types
		for ty := cycle.CrimeType(1); ty <= 4; ty++ {
			if typeBits&(1<<(ty-1)) != 0 {
				types = append(types, ty)
			}
		}
		kind := kinds[int(typeBits>>4)%len(kinds)]
		for _, pol := range pols {
			err := cycle.ValidateReport(pol, types, kind, rep)
			if err != nil {
				ce := refusal(t, err, cycle.EINVALID)
				for _, p := range ce.Problems {
					if p.Field == "" {
						t.Fatalf("problem without its figure: %#v", p)
					}
				}
				continue
			}
			if pol.Evaluation == nil {
				continue
			}
			v, err := cycle.Evaluate(pol, cycle.CommuneReport{Commune: "x", Name: "Xã X", Kind: kind, Types: types, Figures: rep.Figures, Baseline: rep.Baseline, Area: rep.Area})
			if err != nil {
				t.Fatalf("a report ValidateReport accepts fails to evaluate under %s: %v", pol.ID, err)
			}
			for _, r := range v.Results {
				if strings.Contains(r.Detail, "not reported") {
					t.Fatalf("%s: report accepted by ValidateReport but criterion %s reads %q", pol.ID, r.ID, r.Detail)
				}
			}
		}
	})
}

// FuzzResultsAppraisalJSON: the council's year-end appraisal is refused
// with its problems, or gives one result per commune, pass or fail, with a
// written reason for every override.
func FuzzResultsAppraisalJSON(f *testing.F) {
	verdicts := []cycle.CommuneVerdict{
		{Commune: cycle.CommuneInProgramme{ListedCommune: cycle.ListedCommune{Commune: "01", Name: "Xã Một"}}, Reported: true, Verdict: cycle.Verdict{Outcome: cycle.OutcomePass}},
		{Commune: cycle.CommuneInProgramme{ListedCommune: cycle.ListedCommune{Commune: "02", Name: "Xã Hai"}}, Reported: true, Verdict: cycle.Verdict{Outcome: cycle.OutcomeFail}},
		{Commune: cycle.CommuneInProgramme{ListedCommune: cycle.ListedCommune{Commune: "03", Name: "Xã Ba"}}, Reported: false, Verdict: cycle.Verdict{Outcome: cycle.OutcomeFail}},
	}
	scored := append([]cycle.CommuneVerdict(nil), verdicts...)
	scored[0].Verdict.Outcome = cycle.OutcomeScored
	for _, s := range []string{
		`{"decisions":[{"commune":"02","outcome":"pass","reason":"Hội đồng xét lại số liệu"}],"minutes":"m"}`,
		`{"decisions":[{"commune":"01","outcome":"fail"},{"commune":"01","outcome":"pass"},{"commune":"09","outcome":"pass"},{"commune":"03","outcome":"maybe"}]}`,
		`{}`, `{"decisions":[{"commune":"01","outcome":"pass","reason":"          "}]}`,
	} {
		f.Add(s, false)
	}
	f.Add(`{"decisions":[{"commune":"01","outcome":"pass"}]}`, true)
	f.Fuzz(func(t *testing.T, in string, withScored bool) {
		var a cycle.ResultsAppraisal
		if err := decodeStrict(in, &a); err != nil {
			return
		}
		vs := verdicts
		if withScored {
			vs = scored
		}
		res, err := cycle.ApplyResultsAppraisal(vs, a)
		if err != nil {
			refusal(t, err, cycle.EINVALID)
			return
		}
		if len(res) != len(vs) {
			t.Fatalf("%d results for %d verdicts", len(res), len(vs))
		}
		for i, r := range res {
			if r.Outcome != cycle.OutcomePass && r.Outcome != cycle.OutcomeFail {
				t.Fatalf("result %d: outcome %q", i, r.Outcome)
			}
			if r.Overridden && utf8.RuneCountInString(r.Reason) < cycle.MinReasonLength {
				t.Fatalf("result %d overridden with reason %q", i, r.Reason)
			}
		}
	})
}

// awardSchemes are the award schemes of the shipped policies.
func awardSchemes(f *testing.F) []cycle.Awards {
	var out []cycle.Awards
	for _, p := range shippedPolicies(f) {
		if p.Awards != nil {
			out = append(out, *p.Awards)
		}
	}
	if len(out) == 0 {
		f.Fatal("no shipped policy has an award scheme")
	}
	return out
}

// FuzzNominationsJSON: a unit's nominations file, as the award round
// takes it (IDs given, text cleaned), is refused with problems on
// nominations[i] or the set, or stands: within the quotas, each with a
// name, achievements and a complete dossier.
func FuzzNominationsJSON(f *testing.F) {
	schemes := awardSchemes(f)
	for _, a := range schemes {
		var parts []string
		for _, d := range a.Dossier {
			parts = append(parts, d.ID)
		}
		noms := []cycle.Nomination{
			{Kind: cycle.NomineeCollective, Name: "Công an xã Nghĩa Sơn", Area: "21010", Achievements: "Triệt phá 3 ổ nhóm", Dossier: parts},
			{Kind: cycle.NomineeIndividual, Name: "Nguyễn Văn A", Position: "Trưởng Công an xã", Leader: true, Area: "21010", Achievements: "Chỉ đạo", Dossier: parts},
		}
		b, _ := json.Marshal(noms)
		f.Add(string(b), uint8(0))
	}
	f.Add(`[{"kind":"team","name":" ","achievements":"","dossier":["x","x"]}]`, uint8(1))
	f.Add(`[]`, uint8(0))
	f.Fuzz(func(t *testing.T, in string, which uint8) {
		var noms []cycle.Nomination
		if err := decodeStrict(in, &noms); err != nil {
			return
		}
		a := schemes[int(which)%len(schemes)]
		noms = cycle.NominationIDs("522", noms)
		cycle.NormalizeNominations(noms)
		nfc(t, "nominations", noms)
		for _, open := range []bool{true, false} {
			validate := cycle.ValidateNominations
			if open {
				validate = cycle.ValidateOpenNominations
			}
			if err := validate(a, noms); err != nil {
				ce := refusal(t, err, cycle.EINVALID)
				for _, p := range ce.Problems {
					if !strings.HasPrefix(p.Field, "nominations") {
						t.Fatalf("problem not on a nomination: %#v", p)
					}
				}
				continue
			}
			coll, ind := 0, 0
			for _, n := range noms {
				if n.Name == "" || n.Achievements == "" {
					t.Fatalf("nomination without name or achievements accepted: %+v", n)
				}
				switch n.Kind {
				case cycle.NomineeCollective:
					coll++
				case cycle.NomineeIndividual:
					ind++
				default:
					t.Fatalf("nominee kind %q accepted", n.Kind)
				}
			}
			if (a.Collectives > 0 && coll > a.Collectives) || (a.Individuals > 0 && ind > a.Individuals) {
				t.Fatalf("%d collectives and %d individuals accepted under quotas %d and %d", coll, ind, a.Collectives, a.Individuals)
			}
		}
	})
}

// FuzzAwardReviewJSON: the council's review of a round's nominations is
// refused with its problems, or accepts a subset of the nominations, each
// once, in the order nominated.
func FuzzAwardReviewJSON(f *testing.F) {
	schemes := awardSchemes(f)
	a := schemes[0]
	var parts []string
	for _, d := range a.Dossier {
		parts = append(parts, d.ID)
	}
	noms := cycle.NominationIDs("522", []cycle.Nomination{
		{Kind: cycle.NomineeCollective, Name: "Công an xã Nghĩa Sơn", Area: "21010", Achievements: "Triệt phá 3 ổ nhóm", Dossier: parts},
		{Kind: cycle.NomineeIndividual, Name: "Nguyễn Văn A", Area: "21013", Achievements: "Chỉ đạo", Dossier: parts},
	})
	for _, s := range []string{
		`{"accepted":["522/1"],"rejected":[{"id":"522/2","reason":"Hồ sơ chưa đủ"}],"minutes":"Biên bản họp"}`,
		`{"accepted":["522/1","522/1","9/9"],"rejected":[{"id":"522/2","reason":" "}],"minutes":""}`,
		`{"accepted":[],"rejected":[{"id":"522/1","reason":"r"},{"id":"522/2","reason":"r"}],"minutes":"m"}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		var r cycle.AwardReview
		if err := decodeStrict(in, &r); err != nil {
			return
		}
		out, err := cycle.ValidateAwardReview(a, noms, r)
		if err != nil {
			refusal(t, err, cycle.EINVALID)
			return
		}
		if len(out) == 0 {
			t.Fatal("a review accepting nothing stands")
		}
		acc := map[string]int{}
		for _, id := range r.Accepted {
			acc[id]++
		}
		j := 0
		for _, n := range noms {
			if acc[n.ID] > 1 {
				t.Fatalf("%s accepted %d times", n.ID, acc[n.ID])
			}
			if acc[n.ID] == 1 {
				if j >= len(out) || out[j].ID != n.ID {
					t.Fatalf("accepted %v gives %+v", r.Accepted, out)
				}
				j++
			}
		}
		if j != len(out) {
			t.Fatalf("accepted %v gives %+v", r.Accepted, out)
		}
	})
}

// TestReadRegistryCSVRefusesUnreadableHeader: an empty registry file, or
// one whose header is not CSV, is the officer's mistake (EINVALID), not an
// internal error as it was (found by FuzzReadRegistryCSV's seeds).
func TestReadRegistryCSVRefusesUnreadableHeader(t *testing.T) {
	for _, in := range []string{"", "\"", "province_code,\"province_name\n"} {
		_, err := cycle.ReadRegistryCSV(strings.NewReader(in))
		if cycle.ErrorCode(err) != cycle.EINVALID || !strings.Contains(err.Error(), "registry csv: header") {
			t.Errorf("%q: %v (code %q), want EINVALID naming the header", in, err, cycle.ErrorCode(err))
		}
	}
}

// TestCleanControlsAndBadBytes: text with control characters or bytes
// that are not UTF-8 passed Clean unchanged, was accepted, and then could
// not be stored (PostgreSQL refuses NUL and invalid UTF-8 in text, and
// "\u0000" in jsonb). (A CSV row whose code is a control character:
// intake's TestCSVControlCharacterCode.)
func TestCleanControlsAndBadBytes(t *testing.T) {
	for in, want := range map[string]string{"a\x00b": "a b", "\x07x\x7f": "x", "l\u0085ine\r\nnext\tcol": "l ine \nnext\tcol", "\xffok\xfe": "\ufffdok\ufffd", "Xa\u0303": "Xã"} {
		if got := cycle.Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}
