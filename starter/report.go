package main

import (
	"bytes"
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

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/transformation"
)

// A commune's half-year, yearly and follow-up reports: their templates,
// strict parsing of report files, and sending them to the commune's
// workflow.

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

// reportTemplate is an empty report with exactly the figures
// cycle.ReportNeeds lists for the commune, at 0 (false for yes/no ones).
func reportTemplate(pol cycle.Policy, c cycle.CommuneInProgramme) cycle.TransformationReport {
	figures, baseline, _ := cycle.ReportNeeds(pol, c.Types, c.Kind)
	var rep cycle.TransformationReport
	for _, n := range figures {
		_ = rep.Figures.Set(n, 0) // the names come from the catalogue
	}
	for _, n := range baseline {
		_ = rep.Baseline.Set(n, 0)
	}
	// No area average: the product computes it from the proposals' figures.
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
