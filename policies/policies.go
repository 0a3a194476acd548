// Package policies holds the provinces' policies as data: the file format
// (YAML, strictly decoded into cycle.Policy; see README.md), its loader with
// messages that name the file, the line, the field and the reason, the five
// policies of the seed plans embedded in the binary, and the choice of the
// policy in force for a province on a date.
package policies

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/text/unicode/norm"
	"gopkg.in/yaml.v3"

	"chuyenhoa/cycle"
)

//go:embed *.yaml
var builtin embed.FS

// DefaultID is the ID of seed 000, whose rules cycle.DefaultPolicy holds.
// It is no fallback: InForce refuses a date no policy of the province
// covers.
const DefaultID = "000-quang-ngai-2021-2025"

// Load reads and validates a policy file (YAML; JSON is YAML too).
func Load(path string) (cycle.Policy, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return cycle.Policy{}, fmt.Errorf("policy file: %w", err)
	}
	return Parse(path, b)
}

// Parse decodes and validates a policy. name is the file name used in
// messages. Unknown fields, wrong types and rule violations are refused
// with an EINVALID *cycle.Error whose problems read
// "name:line: field: reason".
func Parse(name string, b []byte) (cycle.Policy, error) {
	b = norm.NFC.Bytes(b) // Vietnamese text enters the system NFC-normalised
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&root); errors.Is(err, io.EOF) {
		return cycle.Policy{}, &cycle.Error{Code: cycle.EINVALID, Message: "policy file " + name,
			Problems: []cycle.Problem{fileProblem(name, 0, "policy.yaml", cycle.Text{VI: "Tệp Kế hoạch trống", EN: "empty file"})}}
	} else if err != nil {
		return cycle.Policy{}, &cycle.Error{Code: cycle.EINVALID, Message: "policy file " + name,
			Problems: []cycle.Problem{withField(fileProblem(name, yamlErrorLine(err), "policy.yaml", cycle.Text{VI: "Tệp Kế hoạch không đúng định dạng YAML: %s", EN: "%s"}, strings.TrimPrefix(err.Error(), "yaml: ")), name)}}
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) != 1 {
		return cycle.Policy{}, &cycle.Error{Code: cycle.EINVALID, Message: "policy file " + name,
			Problems: []cycle.Problem{fileProblem(name, 0, "policy.yaml", cycle.Text{VI: "Tệp Kế hoạch trống", EN: "empty file"})}}
	}
	w := &walker{file: name, lines: map[string]int{}}
	w.check(root.Content[0], reflect.TypeOf(cycle.Policy{}), "")
	if len(w.probs) > 0 {
		return cycle.Policy{}, &cycle.Error{Code: cycle.EINVALID, Message: "policy file " + name, Problems: w.probs}
	}
	js, err := json.Marshal(toValue(root.Content[0]))
	if err != nil {
		return cycle.Policy{}, fmt.Errorf("policy file %s: %w", name, err)
	}
	var pol cycle.Policy
	jd := json.NewDecoder(bytes.NewReader(js))
	jd.DisallowUnknownFields()
	if err := jd.Decode(&pol); err != nil {
		field := ""
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			field = te.Field
		}
		return cycle.Policy{}, &cycle.Error{Code: cycle.EINVALID, Message: "policy file " + name,
			Problems: []cycle.Problem{withField(fileProblem(name, w.line(field), "policy.type", cycle.Text{VI: "Giá trị không đúng kiểu dữ liệu: %s", EN: "%s"}, err.Error()), w.where(field))}}
	}
	pol.Name = cycle.Clean(pol.Name)
	err = pol.Validate()
	if err == nil && pol.Awards != nil && pol.Awards.Issuer != nil {
		// What the award decision takes from its issuer (its kind, an
		// authority line agreeing with its signature, the acts it cites):
		// checked here, not in Policy.Validate, which workflows run.
		if err = pol.Awards.Issuer.ValidateDocuments(); err != nil {
			if ce := (*cycle.Error)(nil); errors.As(err, &ce) {
				for i := range ce.Problems {
					ce.Problems[i].Field = "awards." + ce.Problems[i].Field
				}
			}
		}
	}
	if err != nil {
		var ce *cycle.Error
		if !errors.As(err, &ce) {
			return cycle.Policy{}, err
		}
		out := &cycle.Error{Code: cycle.EINVALID, Message: "policy file " + name}
		for _, p := range ce.Problems {
			if l := w.line(p.Field); l > 0 && p.Where == nil {
				p.Where = &cycle.Location{File: name, Line: l}
			}
			p.Field = w.where(p.Field)
			out.Problems = append(out.Problems, p)
		}
		return cycle.Policy{}, out
	}
	return pol, nil
}

// walker checks a YAML tree against the Go type it decodes into, by the
// types' JSON names, recording the line of every field.
type walker struct {
	file  string
	lines map[string]int
	probs []cycle.Problem
	nodes int // values walked, aliases expanded
}

// maxNodes bounds the values of a policy file once its YAML aliases are
// expanded. A plan has a few thousand; without a bound, a few kilobytes of
// aliases name billions, each walked and then converted for decoding.
const maxNodes = 200_000

// where is "file:line: field", with the line of the field or of its
// nearest ancestor found.
func (w *walker) where(field string) string {
	for f := field; ; {
		if l, ok := w.lines[f]; ok {
			if field == "" {
				return fmt.Sprintf("%s:%d", w.file, l)
			}
			return fmt.Sprintf("%s:%d: %s", w.file, l, field)
		}
		i := strings.LastIndexAny(f, ".[")
		if i < 0 {
			break
		}
		f = f[:i]
	}
	if field == "" {
		return w.file
	}
	return w.file + ": " + field
}

func (w *walker) fail(n *yaml.Node, field string, t cycle.Text, args ...any) {
	loc := fmt.Sprintf("%s:%d", w.file, n.Line)
	if field != "" {
		loc += ": " + field
	}
	w.probs = append(w.probs, withField(fileProblem(w.file, n.Line, "policy.format", t, args...), loc))
}

// fileProblem is a problem of a policy file at a line (0: the whole file),
// which officers are shown as the file's place.
func fileProblem(file string, line int, rule string, t cycle.Text, args ...any) cycle.Problem {
	p := cycle.Bilingual(rule, t, args...)
	p.Field = file
	if line > 0 {
		p.Field = fmt.Sprintf("%s:%d", file, line)
	}
	p.Where = &cycle.Location{File: file, Line: line}
	return p
}

func withField(p cycle.Problem, field string) cycle.Problem {
	p.Field = field
	return p
}

// line is the line of a field, or of its nearest ancestor found (0: none).
func (w *walker) line(field string) int {
	for f := field; ; {
		if l, ok := w.lines[f]; ok {
			return l
		}
		i := strings.LastIndexAny(f, ".[")
		if i < 0 {
			return 0
		}
		f = f[:i]
	}
}

// yamlErrorLine is the line a YAML syntax error names ("yaml: line 12: …"), or 0.
func yamlErrorLine(err error) int {
	var l int
	if _, e := fmt.Sscanf(strings.TrimPrefix(err.Error(), "yaml: "), "line %d:", &l); e == nil {
		return l
	}
	return 0
}

var (
	dateType    = reflect.TypeOf(cycle.Date{})
	yearDayType = reflect.TypeOf(cycle.YearDay{})
)

func (w *walker) check(n *yaml.Node, t reflect.Type, path string) {
	for n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if _, ok := w.lines[path]; !ok {
		w.lines[path] = n.Line
	}
	if w.nodes++; w.nodes > maxNodes {
		if w.nodes == maxNodes+1 {
			w.fail(n, path, cycle.Text{VI: "Tệp có hơn %d giá trị khi triển khai: các tham chiếu YAML (*tên) lặp lại quá nhiều", EN: "the file expands to more than %d values: YAML aliases (*name) repeat too much"}, maxNodes)
		}
		return
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return
	}
	switch t {
	case dateType:
		if n.Kind != yaml.ScalarNode {
			w.fail(n, path, cycle.Text{VI: "Cần ghi ngày theo dạng năm-tháng-ngày (YYYY-MM-DD)", EN: "want a date YYYY-MM-DD"})
		} else if _, err := cycle.ParseDate(n.Value); err != nil {
			w.fail(n, path, cycle.Text{VI: "Ngày không hợp lệ: %v", EN: "%v"}, err)
		}
		return
	case yearDayType:
		if n.Kind == yaml.ScalarNode {
			if _, err := cycle.ParseYearDay(n.Value); err != nil {
				w.fail(n, path, cycle.Text{VI: "Ngày không hợp lệ: %v", EN: "%v"}, err)
			}
			return
		}
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			w.fail(n, path, cycle.Text{VI: "Cần một nhóm trường, không phải %s", EN: "want a mapping of fields, not %s"}, describe(n))
			return
		}
		fields := jsonFields(t)
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			child := join(path, k.Value)
			if _, dup := w.lines[child]; !dup {
				w.lines[child] = k.Line // a field's line is its key's
			}
			f, ok := fields[k.Value]
			switch {
			case !ok:
				w.fail(k, child, cycle.Text{VI: "Trường không có trong mẫu Kế hoạch (chỉ có %s)", EN: "unknown field (want one of %s)"}, strings.Join(sortedKeys(fields), ", "))
			case seen[k.Value]:
				w.fail(k, child, cycle.Text{VI: "Trường được ghi hai lần", EN: "given twice"})
			default:
				w.check(v, f.Type, child)
			}
			seen[k.Value] = true
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			w.fail(n, path, cycle.Text{VI: "Cần một danh sách, không phải %s", EN: "want a list, not %s"}, describe(n))
			return
		}
		for i, c := range n.Content {
			w.check(c, t.Elem(), fmt.Sprintf("%s[%d]", path, i))
		}
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			w.fail(n, path, cycle.Text{VI: "Cần một nhóm trường, không phải %s", EN: "want a mapping, not %s"}, describe(n))
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			w.check(n.Content[i+1], t.Elem(), join(path, n.Content[i].Value))
		}
	default:
		if n.Kind != yaml.ScalarNode {
			w.fail(n, path, cycle.Text{VI: "Cần một giá trị, không phải %s", EN: "want a single value, not %s"}, describe(n))
			return
		}
		switch t.Kind() {
		case reflect.Bool:
			if n.Tag != "!!bool" {
				w.fail(n, path, cycle.Text{VI: "«%s»: chỉ ghi true (có) hoặc false (không)", EN: "%q: want true or false"}, n.Value)
			}
		case reflect.Int, reflect.Int64, reflect.Int32:
			if (n.Tag == "!!int" || n.Tag == "!!float") && octalLike(n.Value) { // 015 is octal 13 to YAML, 09 a float
				w.fail(n, path, cycle.Text{VI: "«%s»: YAML đọc số bắt đầu bằng 0 là số bát phân; hãy bỏ số 0 ở đầu", EN: "%q: YAML reads a leading 0 as an octal number; write it without the 0"}, n.Value)
			} else if n.Tag != "!!int" {
				w.fail(n, path, cycle.Text{VI: "«%s»: cần một số nguyên", EN: "%q: want a whole number"}, n.Value)
			}
		case reflect.Float64:
			if n.Tag != "!!int" && n.Tag != "!!float" {
				w.fail(n, path, cycle.Text{VI: "«%s»: cần một số", EN: "%q: want a number"}, n.Value)
			} else if n.Tag == "!!int" && octalLike(n.Value) {
				w.fail(n, path, cycle.Text{VI: "«%s»: YAML đọc số bắt đầu bằng 0 là số bát phân; hãy bỏ số 0 ở đầu", EN: "%q: YAML reads a leading 0 as an octal number; write it without the 0"}, n.Value)
			}
		}
	}
}

// octalLike reports whether a YAML integer has a leading zero (015),
// which YAML reads as octal (13): never what a plan means.
func octalLike(v string) bool {
	v = strings.TrimLeft(strings.ReplaceAll(v, "_", ""), "+-")
	return len(v) > 1 && v[0] == '0' && v[1] >= '0' && v[1] <= '9'
}

func describe(n *yaml.Node) cycle.Word {
	switch n.Kind {
	case yaml.MappingNode:
		return cycle.Word{VI: "một nhóm trường", EN: "a mapping"}
	case yaml.SequenceNode:
		return cycle.Word{VI: "một danh sách", EN: "a list"}
	}
	return cycle.Word{VI: "«" + n.Value + "»", EN: fmt.Sprintf("%q", n.Value)}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func jsonFields(t reflect.Type) map[string]reflect.StructField {
	out := map[string]reflect.StructField{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if f.Anonymous && name == "" {
			for k, v := range jsonFields(f.Type) {
				out[k] = v
			}
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// toValue converts a YAML tree to the values encoding/json writes: numbers
// stay numbers (json.Number), dates and everything else untagged stay
// strings.
func toValue(n *yaml.Node) any {
	for n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	switch n.Kind {
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			m[n.Content[i].Value] = toValue(n.Content[i+1])
		}
		return m
	case yaml.SequenceNode:
		s := make([]any, len(n.Content))
		for i, c := range n.Content {
			s[i] = toValue(c)
		}
		return s
	}
	switch n.Tag {
	case "!!null":
		return nil
	case "!!bool":
		b, _ := strconv.ParseBool(strings.ToLower(n.Value))
		return b
	case "!!int", "!!float":
		// As a JSON number: YAML also writes numbers JSON does not
		// (+15, 1_000, 0x1F, .5), which would fail as json.Number.
		if i, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 64); err == nil {
			return json.Number(strconv.FormatInt(i, 10))
		}
		if f, err := strconv.ParseFloat(n.Value, 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
			return json.Number(strconv.FormatFloat(f, 'g', -1, 64))
		}
	}
	return n.Value
}

// Builtin returns the shipped policies (the five seeds), ordered by ID.
func Builtin() ([]cycle.Policy, error) {
	loadOnce.Do(func() { loaded, loadErr = parseBuiltin() })
	if loadErr != nil {
		return nil, loadErr
	}
	// A deep copy, so that a caller changing a policy changes only its own.
	b, err := json.Marshal(loaded)
	if err != nil {
		return nil, err
	}
	var out []cycle.Policy
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, err
	}
	return out, nil
}

var (
	loadOnce sync.Once
	loaded   []cycle.Policy
	loadErr  error
)

func parseBuiltin() ([]cycle.Policy, error) {
	entries, err := builtin.ReadDir(".")
	if err != nil {
		return nil, fmt.Errorf("builtin policies: %w", err)
	}
	var out []cycle.Policy
	for _, e := range entries {
		b, err := builtin.ReadFile(e.Name())
		if err != nil {
			return nil, fmt.Errorf("builtin policies: %w", err)
		}
		p, err := Parse("policies/"+e.Name(), b)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// ByID returns the shipped policy with the given ID, or whose ID starts
// with it followed by "-" ("003" names 003-binh-phuoc-2024). An unknown ID
// is ENOTFOUND.
func ByID(id string) (cycle.Policy, error) {
	all, err := Builtin()
	if err != nil {
		return cycle.Policy{}, err
	}
	for _, p := range all {
		if Names(id, p.ID) {
			return p, nil
		}
	}
	ids := make([]string, len(all))
	for i, p := range all {
		ids[i] = p.ID
	}
	return cycle.Policy{}, cycle.Errorf(cycle.ENOTFOUND, "policy %q: want one of %s", id, strings.Join(ids, ", "))
}

// Names reports whether id names the policy policyID: the whole ID, or its
// number ("003" names 003-binh-phuoc-2024).
func Names(id, policyID string) bool {
	return policyID == id || strings.HasPrefix(policyID, id+"-")
}

// Resolve returns a shipped policy by ID or loads a policy file: an
// argument ending in .yaml, .yml or .json, or containing a path
// separator, is a file.
func Resolve(arg string) (cycle.Policy, error) {
	if strings.ContainsRune(arg, os.PathSeparator) || strings.HasSuffix(arg, ".yaml") || strings.HasSuffix(arg, ".yml") || strings.HasSuffix(arg, ".json") {
		return Load(arg)
	}
	return ByID(arg)
}

// InForce picks, among policies, the one in force for a province on a
// date: a policy for that province (as codes are on that day, see
// cycle.Policy.ProvinceOn: a plan of Tây Ninh's old code 72 is for
// province 80 from 1 July 2025) whose effective date is on or before the
// date and whose last day (if any) is not before it, the latest effective
// first; a policy for the province beats one for any province. When none
// is in force it refuses (EINVALID), in Vietnamese and English, naming
// the province's policies and their years: no plan's rules are assumed
// for a year it does not cover — the caller names the policy. A cycle
// keeps the policy it started with: call this when a cycle starts, never
// while one runs.
func InForce(all []cycle.Policy, province string, on cycle.Date) (cycle.Policy, error) {
	var best *cycle.Policy
	for i := range all {
		p := &all[i]
		of := p.ProvinceOn(on)
		if (of != province && of != "") || on.Before(p.Effective) || (!p.Until.IsZero() && p.Until.Before(on)) {
			continue
		}
		if best == nil || (best.Province == "" && of != "") || ((best.Province == "") == (of == "") && best.Effective.Before(p.Effective)) {
			best = p
		}
	}
	if best != nil {
		return *best, nil
	}
	return cycle.Policy{}, NoneInForce(all, province, on)
}

// NoneInForce is InForce's refusal: no policy of the province covers the
// date. It names the province as codes are on that day, the province an
// old code went into after 1 July 2025, and the province's policies with
// the years they cover.
func NoneInForce(all []cycle.Policy, province string, on cycle.Date) *cycle.Error {
	name := cycle.Word{VI: "tỉnh mã " + province, EN: "province " + province}
	if n, ok := cycle.IsProvince2025(province); ok && !on.Before(cycle.TwoTierSince) {
		name = cycle.Word{VI: n + " (mã " + province + ")", EN: n + " (" + province + ")"}
	} else if c, ok := cycle.ProvinceSince2025(province); ok && on.Before(cycle.TwoTierSince) {
		name = cycle.Word{VI: c.OldName + " (mã " + province + ")", EN: c.OldName + " (" + province + ")"}
	} else if ok {
		name = cycle.Word{VI: "mã tỉnh " + province + " (" + c.OldName + ", từ ngày 01/7/2025 thuộc " + c.NowName + ", mã " + c.Now + ")",
			EN: "province code " + province + " (" + c.OldName + ", part of " + c.NowName + ", code " + c.Now + ", since 1 July 2025)"}
	}
	var vi, en []string
	for _, p := range all {
		if p.Province == "" || (p.Province != province && p.ProvinceOn(on) != province && p.ProvinceSince2025 != province) {
			continue
		}
		span := p.Effective.Vietnamese() + " – "
		spanEN := p.Effective.String() + " to "
		if p.Until.IsZero() {
			span, spanEN = "từ "+p.Effective.Vietnamese(), "from "+p.Effective.String()
		} else {
			span, spanEN = span+p.Until.Vietnamese(), spanEN+p.Until.String()
		}
		vi, en = append(vi, p.ID+" ("+span+")"), append(en, p.ID+" ("+spanEN+")")
	}
	has := cycle.Word{VI: "chưa có kế hoạch nào của tỉnh", EN: "the province has no policy"}
	if len(vi) > 0 {
		has = cycle.Word{VI: "các kế hoạch của tỉnh: " + strings.Join(vi, ", "), EN: "its policies: " + strings.Join(en, ", ")}
	}
	return cycle.Refuse(cycle.EINVALID, cycle.Text{
		VI: "Không có kế hoạch chuyển hóa nào của %[1]s có hiệu lực ngày %[2]s (%[3]s): hãy chọn kế hoạch áp dụng cho chu kỳ, hoặc bổ sung kế hoạch của tỉnh cho năm này",
		EN: "no policy of %[1]s is in force on %[2]s (%[3]s): choose the policy the cycle runs under, or add the province's plan for the year"},
		name, cycle.Word{VI: on.Vietnamese(), EN: on.String()}, has)
}
