package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"chuyenhoa/cycle"
	"chuyenhoa/policies"
	"chuyenhoa/workflows/transformation"
)

// A commune's half-year, yearly and follow-up reports: their templates,
// strict parsing of report files, and sending them to the commune's
// workflow.

func (x *cli) reportCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "report", Short: "Submit a commune's transformation report, or print an empty one to fill in"}

	var t communeTarget
	var kindArg, file string
	submit := &cobra.Command{
		Use:   "submit",
		Short: "Submit a commune's half-year, yearly or follow-up report from a JSON file (district)",
		Long: `Submit a district's report for one commune (báo cáo kết quả chuyển hóa) to the
commune's transformation workflow: --kind half_year (báo cáo 6 tháng), yearly (báo
cáo năm) or follow_up (báo cáo theo dõi 6 tháng sau sơ kết). The file is JSON in the
shape of cycle.TransformationReport: the figures of the period, the same figures
for the baseline period and, where a criterion compares with it, the area's
average (` + "`starter report template`" + ` prints one with exactly the figures the commune's
criteria need). Unknown fields and anything after the report are refused. The
report is checked against the commune's criteria and evaluated: the verdict is
printed with the figures compared for every criterion. A report missing a figure
is refused whole, with every problem listed; nothing is recorded then.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			kind, err := parseReportKind(kindArg)
			if err != nil {
				return err
			}
			if t.firstYear == 0 {
				t.firstYear = t.year
			}
			rep, err := readReportFile(file)
			if err != nil {
				return err
			}
			// The report the commune expects now must be the year the
			// officer says the figures are for.
			st, err := x.communeState(cmd.Context(), t.id())
			if err != nil {
				return err
			}
			if rs := expectedReport(st, kind); rs != nil && rs.Year != t.year {
				return cycle.Errorf(cycle.ECONFLICT, "the %s of %s expected now is for %d (period %s), not %d: check --year and the figures in %s",
					kind.Vietnamese(), st.Commune.Name, rs.Year, rs.Period.Vietnamese(), t.year, file)
			}
			r := t.request()
			var res transformation.SubmitReportResult
			if err := x.communeUpdate(cmd.Context(), &t, transformation.UpdateSubmitReport, r, transformation.SubmitReportRequest{Request: r, Kind: kind, Report: rep}, &res); err != nil {
				return err
			}
			x.print(&t.target, res, func() {
				late := ""
				if res.Late {
					late = " (late)"
				}
				v := res.Verdict
				fmt.Fprintf(x.out, "%s (%s) of %d for %s (%s) recorded%s: %s — %s (request %s)\n", res.Kind, res.Kind.Vietnamese(), res.Year, v.Name, v.Commune, late, strings.ToUpper(string(v.Outcome)), v.Summary, r.RequestID)
				printVerdictCriteria(x.out, "  ", v, false)
			})
			return nil
		},
	}
	t.actorFlags(submit, cycle.RoleDistrictOfficer)
	submit.Flags().Lookup("year").Usage = "the programme year the report is for (a commune's second year is its first year + 1)"
	t.communeFlags(submit, 0, "the year the commune was first listed (default: --year)")
	submit.Flags().StringVar(&t.district, "district", "", "the officer's unit: district code (the commune's code in a two-tier province)")
	submit.Flags().StringVar(&kindArg, "kind", "", "half_year, yearly or follow_up")
	submit.Flags().StringVarP(&file, "file", "f", "", "report JSON file (cycle.TransformationReport)")
	_ = submit.MarkFlagRequired("kind")
	_ = submit.MarkFlagRequired("file")
	_ = submit.MarkFlagRequired("district")

	var tt communeTarget
	var tkind, policyArg string
	tmpl := &cobra.Command{
		Use:   "template",
		Short: "Print an empty report (JSON) with exactly the figures a commune's criteria need",
		Long: `Print an empty report for a commune in the shape ` + "`starter report submit`" + ` reads: every
figure the commune's criteria need for the period ("figures") and for the baseline
period they are compared with ("baseline"), set to 0 or false, and the area's
average when a criterion compares with it. Fill in the figures and submit it. The
commune's types come from its workflow and the criteria from its cycle's policy
(or --policy). The periods are written to standard error, the report alone to
standard output.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			kind, err := parseReportKind(tkind)
			if err != nil {
				return err
			}
			st, err := x.communeState(cmd.Context(), tt.id())
			if err != nil {
				return err
			}
			pol, err := x.communePolicy(cmd.Context(), st, policyArg)
			if err != nil {
				return err
			}
			rep := reportTemplate(pol, st.Commune)
			fmt.Fprintln(cmd.ErrOrStderr(), templateNote(pol, st, kind))
			enc := json.NewEncoder(x.out)
			enc.SetIndent("", "  ")
			return enc.Encode(rep)
		},
	}
	tt.readFlags(tmpl)
	tmpl.Flags().StringVar(&tkind, "kind", "yearly", "half_year, yearly or follow_up")
	tmpl.Flags().StringVar(&policyArg, "policy", "", "shipped policy ID (000–004) or policy file; default: the policy the commune's cycle runs under")
	cmd.AddCommand(submit, tmpl)
	return cmd
}

func parseReportKind(s string) (cycle.ReportKind, error) {
	switch k := cycle.ReportKind(strings.TrimSpace(s)); k {
	case cycle.ReportHalfYear, cycle.ReportYearly, cycle.ReportFollowUp:
		return k, nil
	}
	return "", cycle.Errorf(cycle.EINVALID, "--kind %q: want half_year, yearly or follow_up", s)
}

// expectedReport is the report of a kind the commune expects next, as its
// workflow picks it: the last one not submitted.
func expectedReport(st transformation.CommuneState, kind cycle.ReportKind) *transformation.ReportStatus {
	var out *transformation.ReportStatus
	for i := range st.Reports {
		if r := &st.Reports[i]; r.Kind == kind && !r.Submitted {
			out = r
		}
	}
	return out
}

// communePolicy is the policy a commune is evaluated under: the one named,
// or the one its cycle runs under.
func (x *cli) communePolicy(ctx context.Context, st transformation.CommuneState, arg string) (cycle.Policy, error) {
	if arg != "" {
		return policies.Resolve(arg)
	}
	cs, err := x.state(ctx, st.CycleID)
	if err != nil {
		return cycle.Policy{}, err
	}
	pol, err := policies.ByID(cs.PolicyID)
	if err != nil {
		return cycle.Policy{}, cycle.Errorf(cycle.ENOTFOUND, "cycle %s runs under policy %q, which is not a shipped policy: give its file with --policy", st.CycleID, cs.PolicyID)
	}
	return pol, nil
}

// reportTemplate is an empty report with exactly the figures
// cycle.ReportNeeds lists for the commune, at 0 (false for yes/no ones).
func reportTemplate(pol cycle.Policy, c cycle.CommuneInProgramme) cycle.TransformationReport {
	figures, baseline, area := cycle.ReportNeeds(pol, c.Types, c.Kind)
	var rep cycle.TransformationReport
	for _, n := range figures {
		_ = rep.Figures.Set(n, 0) // the names come from the catalogue
	}
	for _, n := range baseline {
		_ = rep.Baseline.Set(n, 0)
	}
	if area {
		rep.Area = &cycle.AreaAverage{Name: c.DistrictName}
	}
	return rep
}

// templateNote says which periods a template's figures are for.
func templateNote(pol cycle.Policy, st transformation.CommuneState, kind cycle.ReportKind) string {
	c := st.Commune
	first := c.FirstYear
	if first == 0 {
		first = c.Year
	}
	period := "the six months after the year's review (sơ kết)"
	if rs := expectedReport(st, kind); rs != nil {
		period = rs.Period.Vietnamese()
	} else if kind != cycle.ReportFollowUp {
		period = pol.ReportPeriod(kind, c.Year).Vietnamese()
	}
	note := fmt.Sprintf("# %s (%s) of %s (%s), Loại %s, programme year %d, policy %s\n# figures: %s; baseline: %s",
		kind, kind.Vietnamese(), c.Name, c.Commune, c.Types, c.Year, pol.ID, period, pol.BaselinePeriod(kind, first).Vietnamese())
	if pol.Evaluation == nil {
		note += "\n# policy " + pol.ID + " sets no evaluation method: the council decides, and the report needs no figures"
	}
	return note
}

// readReportFile reads a report strictly: one JSON object in the shape of
// cycle.TransformationReport, no unknown field, nothing after it. Errors
// name the file and, where known, the field and the line.
func readReportFile(file string) (cycle.TransformationReport, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return cycle.TransformationReport{}, err
	}
	return parseReport(file, b)
}

// parseReport is readReportFile's reading of the file's content b. A
// byte-order mark (Windows editors write one) is skipped.
func parseReport(file string, b []byte) (cycle.TransformationReport, error) {
	var rep cycle.TransformationReport
	b = bytes.TrimPrefix(b, []byte("\ufeff"))
	trimmed := bytes.TrimSpace(b)
	if len(trimmed) == 0 {
		return rep, cycle.Errorf(cycle.EINVALID, "%s: the file is empty: want a JSON report (see `starter report template`)", file)
	}
	if trimmed[0] != '{' {
		line, col := jsonPosition(b, int64(len(b)-len(bytes.TrimLeft(b, " \t\r\n"))))
		return rep, cycle.Errorf(cycle.EINVALID, "%s: line %d, column %d: want a JSON object (the report), found %q", file, line, col, jsonFirstToken(trimmed))
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rep); err != nil {
		return rep, reportFileError(file, b, err)
	}
	off := dec.InputOffset()
	if _, err := dec.Token(); err != io.EOF {
		off += int64(len(b[off:]) - len(bytes.TrimLeft(b[off:], " \t\r\n")))
		line, col := jsonPosition(b, off)
		return rep, cycle.Errorf(cycle.EINVALID, "%s: line %d, column %d: unexpected data after the report: the file must hold exactly one JSON object", file, line, col)
	}
	return rep, nil
}

func reportFileError(file string, b []byte, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		line, col := jsonPosition(b, se.Offset)
		return cycle.Errorf(cycle.EINVALID, "%s: line %d, column %d: invalid JSON: %v", file, line, col, se)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return cycle.Errorf(cycle.EINVALID, "%s: invalid JSON: the file ends before the report does", file)
	case errors.As(err, &te):
		line, _ := jsonPosition(b, te.Offset) // the offset is just after the value
		return cycle.Errorf(cycle.EINVALID, "%s: line %d: field %q: want %s, found JSON %s", file, line, te.Field, te.Type, te.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		var doc any
		if json.Unmarshal(b, &doc) == nil {
			if unknown := unknownFields(doc, reflect.TypeOf(cycle.TransformationReport{}), ""); len(unknown) > 0 {
				return cycle.Errorf(cycle.EINVALID, "%s: unknown field %s", file, strings.Join(unknown, ", "))
			}
		}
		return cycle.Errorf(cycle.EINVALID, "%s: %s", file, strings.TrimPrefix(err.Error(), "json: "))
	}
	return cycle.Errorf(cycle.EINVALID, "%s: %v", file, err)
}

// unknownFields lists, with their path, the object keys of doc that t has
// no field for (as encoding/json matches them: exactly, else ignoring
// case), each with the nearest known name when one is close.
func unknownFields(doc any, t reflect.Type, path string) []string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var out []string
	switch t.Kind() {
	case reflect.Struct:
		obj, ok := doc.(map[string]any)
		if !ok {
			return nil
		}
		fields := jsonFieldsOf(t)
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := k
			if path != "" {
				p = path + "." + k
			}
			ft, ok := fields[k]
			if !ok {
				for name, f := range fields {
					if strings.EqualFold(name, k) {
						ft, ok = f, true
						break
					}
				}
			}
			if !ok {
				out = append(out, strconv.Quote(p)+nearestField(k, fields))
				continue
			}
			out = append(out, unknownFields(obj[k], ft, p)...)
		}
	case reflect.Slice, reflect.Array:
		if arr, ok := doc.([]any); ok {
			for i, v := range arr {
				out = append(out, unknownFields(v, t.Elem(), fmt.Sprintf("%s[%d]", path, i))...)
			}
		}
	case reflect.Map:
		if obj, ok := doc.(map[string]any); ok {
			for k, v := range obj {
				out = append(out, unknownFields(v, t.Elem(), path+"."+k)...)
			}
			sort.Strings(out)
		}
	}
	return out
}

// jsonFieldsOf maps the JSON names of a struct's fields to their types.
func jsonFieldsOf(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			for n, ft := range jsonFieldsOf(f.Type) {
				out[n] = ft
			}
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

// suggest names the known field nearest to an unknown one, if it is close.
func nearestField(k string, fields map[string]reflect.Type) string {
	best, bestD := "", 3
	for name := range fields {
		if d := levenshtein(strings.ToLower(k), name); d < bestD || (d == bestD && best != "" && name < best) {
			best, bestD = name, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur := make([]int, len(rb)+1)
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(rb)]
}

// position turns a byte offset into a line and a column (in characters), from 1.
func jsonPosition(b []byte, off int64) (line, col int) {
	if off > int64(len(b)) {
		off = int64(len(b))
	}
	if off < 0 {
		off = 0
	}
	before := b[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	col = utf8.RuneCount(before[bytes.LastIndexByte(before, '\n')+1:]) + 1
	return line, col
}

func jsonFirstToken(b []byte) string {
	if i := bytes.IndexAny(b, " \t\r\n,:"); i > 0 {
		b = b[:i]
	}
	if len(b) > 20 {
		b = b[:20]
	}
	return string(b)
}
