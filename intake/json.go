package intake

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"chuyenhoa/cycle"
)

func init() {
	cycle.DefineMessages(map[string]cycle.Text{
		"json.syntax":        {VI: "JSON sai cú pháp: %[1]s", EN: "malformed JSON: %[1]s"},
		"json.eof":           {VI: "tệp kết thúc giữa chừng (thiếu dấu đóng } hoặc ], hoặc dấu ngoặc kép)", EN: "the file ends in the middle of a value (a closing }, ] or quote is missing)"},
		"json.char":          {VI: "ký tự %[1]s không đúng chỗ (cột %[2]d)", EN: "unexpected character %[1]s (column %[2]d)"},
		"json.type":          {VI: "Cần %[1]s, tệp ghi %[2]s", EN: "want %[1]s, found %[2]s"},
		"json.integer":       {VI: "Cần số nguyên, tệp ghi %[1]s", EN: "want a whole number, found %[1]s"},
		"json.range":         {VI: "Số %[1]s quá lớn", EN: "%[1]s is out of range"},
		"json.unknown_field": {VI: "Không có trường %[1]s trong mẫu%[2]s", EN: "unknown field %[1]s%[2]s"},
		"json.suggest":       {VI: " (có phải là %[1]q?)", EN: " (did you mean %[1]q?)"},
		"json.trailing":      {VI: "Sau giá trị JSON còn dữ liệu khác: tệp chỉ được chứa một đối tượng", EN: "unexpected data after the JSON value: the file must hold exactly one"},
		"json.deep":          {VI: "JSON lồng quá %[1]d tầng", EN: "JSON nested deeper than %[1]d levels"},
		"json.value":         {VI: "Giá trị không đọc được: %[1]s", EN: "a value cannot be read: %[1]s"},
		"json.more":          {VI: "%[1]s (và %[2]s khác)", EN: "%[1]s (and %[2]s more)"},
		"json.refused":       {VI: "Tệp%[1]s: %[2]s", EN: "file%[1]s: %[2]s"},
	})
}

// maxDepth bounds the nesting of a JSON file: our documents are a few
// levels deep.
const maxDepth = 64

// jsonNode is one value of a JSON document with its place: what the
// type check walks and what locations are made of.
type jsonNode struct {
	kind   byte // '{', '[', 's' string, 'n' number, 'b' bool, '0' null
	path   string
	off    int64  // where the value starts
	raw    string // a number as written; a string's text
	keys   []string
	keyOff []int64
	fields []*jsonNode
	items  []*jsonNode
}

// JSONDoc is a decoded JSON file's map of places: every value's path
// ("communes[9].report.cases_solved") to its line.
type JSONDoc struct {
	data  []byte
	lines []int // offsets where lines start
	root  *jsonNode
}

// Origins are the locations of every value of the document, by path.
func (d *JSONDoc) Origins() cycle.Origins {
	out := cycle.Origins{}
	if d == nil || d.root == nil {
		return out
	}
	var walk func(n *jsonNode)
	walk = func(n *jsonNode) {
		if n.path != "" {
			out[n.path] = d.at(n.off, n.path)
			// encoding/json matches keys without case ("Communes" is
			// communes): the program's paths are the tags', in small letters.
			if low := strings.ToLower(n.path); low != n.path {
				if _, ok := out[low]; !ok {
					out[low] = d.at(n.off, n.path)
				}
			}
		}
		for _, c := range n.fields {
			walk(c)
		}
		for _, c := range n.items {
			walk(c)
		}
	}
	walk(d.root)
	return out
}

func (d *JSONDoc) at(off int64, path string) cycle.Location {
	line, _ := d.lineCol(off)
	return cycle.Location{Line: line, Path: path}
}

// lineCol turns a byte offset into a line and a column in characters, from 1.
func (d *JSONDoc) lineCol(off int64) (int, int) {
	off = min(max(off, 0), int64(len(d.data)))
	i := sort.Search(len(d.lines), func(i int) bool { return int64(d.lines[i]) > off }) - 1
	if i < 0 {
		i = 0
	}
	start := 0
	if len(d.lines) > 0 {
		start = d.lines[i]
	}
	return i + 1, utf8.RuneCount(d.data[start:off]) + 1
}

// DecodeJSON decodes a JSON file into v strictly — the text decoded as
// any text file is (UTF-8 with or without a byte-order mark, or a legacy
// Vietnamese encoding); no unknown field (each named with the nearest
// known one); every value of the right type (numbers whole where counts
// are); exactly one value — and refuses it with every problem found, each
// with its line and path. The returned document locates later problems
// (see JSONDoc.Origins).
func DecodeJSON(f File, v any) (*JSONDoc, error) {
	text, _, _, err := DecodeText(f.Data)
	if err != nil {
		return nil, f.named(err)
	}
	data := []byte(text)
	doc := &JSONDoc{data: data, lines: []int{0}}
	for i, c := range data {
		if c == '\n' {
			doc.lines = append(doc.lines, i+1)
		}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return doc, f.jsonRefusal(doc, []cycle.Problem{cycle.NewProblem("file.empty")})
	}
	p := &jsonParser{doc: doc, dec: json.NewDecoder(bytes.NewReader(data))}
	p.dec.UseNumber()
	root, err := p.value("", 0)
	if err != nil {
		return doc, f.jsonRefusal(doc, []cycle.Problem{p.syntaxProblem(err)})
	}
	doc.root = root
	off := p.dec.InputOffset()
	for off < int64(len(data)) && (data[off] == ' ' || data[off] == '\t' || data[off] == '\r' || data[off] == '\n') {
		off++
	}
	if off < int64(len(data)) { // anything but white space, a comma too
		l, _ := doc.lineCol(off)
		return doc, f.jsonRefusal(doc, []cycle.Problem{fileProblem(cycle.NewProblem("json.trailing"), cycle.Location{Line: l})})
	}
	var probs []cycle.Problem
	doc.check(root, reflect.TypeOf(v), &probs)
	if len(probs) > 0 {
		return doc, f.jsonRefusal(doc, probs)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		// What the check above does not foresee: a value a type of ours
		// refuses (a date, a day of the year).
		l := cycle.Location{}
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			l.Line, _ = doc.lineCol(te.Offset)
			l.Path = te.Field
		}
		return doc, f.jsonRefusal(doc, []cycle.Problem{fileProblem(cycle.NewProblem("json.value", cycle.Quote(strings.TrimPrefix(err.Error(), "json: "))), l)})
	}
	return doc, nil
}

// jsonRefusal refuses a JSON file: its message is the first problem where
// it is (an API client and the CLI see the line at once), the problems
// all of them, bounded.
func (f File) jsonRefusal(doc *JSONDoc, probs []cycle.Problem) error {
	for i := range probs {
		if probs[i].Where != nil && probs[i].Where.Path == "" && probs[i].Field != "" {
			probs[i].Where.Path = probs[i].Field
		}
	}
	say := func(lang cycle.Lang) string {
		s := probs[0].In(lang)
		if len(probs) > 1 {
			s = cycle.Say(lang, "json.more", s, cycle.Count{N: len(probs) - 1, VI: "vấn đề", EN: "problem", ENPl: "problems"})
		}
		if f.Name != "" {
			s = cycle.Say(lang, "json.refused", fileName(f.Name), s)
		}
		return s
	}
	return &cycle.Error{Code: cycle.EINVALID, Message: say(cycle.English), Text: say(cycle.Vietnamese), Problems: cycle.Bound(probs, cycle.MaxProblems)}
}

// IsMalformedJSON reports whether err refuses a file that is not JSON at
// all (a syntax error, data after the value, an empty file), as opposed
// to JSON that does not fit: the API answers the first 400.
func IsMalformedJSON(err error) bool {
	var ce *cycle.Error
	if !errors.As(err, &ce) || ce.Code != cycle.EINVALID || len(ce.Problems) != 1 {
		return false
	}
	switch ce.Problems[0].Rule {
	case "json.syntax", "json.trailing", "json.deep", "file.empty":
		return true
	}
	return false
}

type jsonParser struct {
	doc  *JSONDoc
	dec  *json.Decoder
	path string // where the parser is, for a syntax error
}

// start is where the next token starts: after white space and the
// separators the decoder does not return.
func (p *jsonParser) start() int64 {
	off := p.dec.InputOffset()
	for off < int64(len(p.doc.data)) {
		switch p.doc.data[off] {
		case ' ', '\t', '\r', '\n', ':', ',':
			off++
			continue
		}
		break
	}
	return off
}

func (p *jsonParser) value(path string, depth int) (*jsonNode, error) {
	if depth > maxDepth {
		return nil, errTooDeep
	}
	p.path = path
	n := &jsonNode{path: path, off: p.start()}
	tok, err := p.dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			n.kind = '{'
			for p.dec.More() {
				koff := p.start()
				kt, err := p.dec.Token()
				if err != nil {
					return nil, err
				}
				key, _ := kt.(string)
				child, err := p.value(joinPath(path, key), depth+1)
				if err != nil {
					return nil, err
				}
				n.keys, n.keyOff, n.fields = append(n.keys, key), append(n.keyOff, koff), append(n.fields, child)
			}
		case '[':
			n.kind = '['
			for i := 0; p.dec.More(); i++ {
				child, err := p.value(path+"["+strconv.Itoa(i)+"]", depth+1)
				if err != nil {
					return nil, err
				}
				n.items = append(n.items, child)
			}
		}
		p.path = path
		if _, err := p.dec.Token(); err != nil { // the closing delimiter
			return nil, err
		}
	case string:
		n.kind, n.raw = 's', t
	case json.Number:
		n.kind, n.raw = 'n', string(t)
	case bool:
		n.kind, n.raw = 'b', strconv.FormatBool(t)
	case nil:
		n.kind = '0'
	}
	return n, nil
}

var errTooDeep = errors.New("too deep")

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// syntaxProblem says a syntax error where it is.
func (p *jsonParser) syntaxProblem(err error) cycle.Problem {
	off := p.dec.InputOffset()
	var se *json.SyntaxError
	var detail cycle.Word
	switch {
	case errors.Is(err, errTooDeep):
		l, _ := p.doc.lineCol(p.start())
		pr := cycle.NewProblem("json.deep", maxDepth)
		pr.Field = p.path
		return fileProblem(pr, cycle.Location{Line: l, Path: p.path})
	case errors.As(err, &se):
		off = se.Offset
		_, col := p.doc.lineCol(off)
		ch := "?"
		if r, _ := utf8.DecodeRune(p.doc.data[min(off, int64(len(p.doc.data))):]); r != utf8.RuneError && off < int64(len(p.doc.data)) {
			ch = strconv.QuoteRune(r)
		}
		if _, rest, ok := strings.Cut(se.Error(), "invalid character "); ok {
			if q, _, ok := strings.Cut(rest, " "); ok && len(q) >= 3 {
				ch = q // as the decoder quotes it: '}'
			}
		}
		if strings.Contains(se.Error(), "unexpected end") {
			detail = word("json.eof")
		} else {
			detail = word("json.char", ch, col)
		}
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		off = int64(len(p.doc.data))
		detail = word("json.eof")
	default:
		detail = cycle.Word{VI: err.Error(), EN: err.Error()}
	}
	l, _ := p.doc.lineCol(off)
	pr := cycle.NewProblem("json.syntax", detail)
	pr.Field = p.path
	return fileProblem(pr, cycle.Location{Line: l, Path: p.path})
}

// word is a catalogue message as a Word, to be said inside another.
func word(code string, args ...any) cycle.Word {
	return cycle.Word{VI: cycle.Say(cycle.Vietnamese, code, args...), EN: cycle.Say(cycle.English, code, args...)}
}

var (
	jsonUnmarshaler = reflect.TypeOf((*json.Unmarshaler)(nil)).Elem()
	textUnmarshaler = reflect.TypeOf((*encoding.TextUnmarshaler)(nil)).Elem()
)

// The kinds of value, as the type check names them.
var (
	wantObject = cycle.Word{VI: "một đối tượng {…}", EN: "an object"}
	wantList   = cycle.Word{VI: "một danh sách […]", EN: "a list"}
	wantString = cycle.Word{VI: "một chuỗi ký tự \"…\"", EN: "a string"}
	wantNumber = cycle.Word{VI: "một số", EN: "a number"}
	wantBool   = cycle.Word{VI: "true hoặc false", EN: "true or false"}
)

// found says what the file holds at a node.
func (n *jsonNode) found() string {
	switch n.kind {
	case '{':
		return "{…}"
	case '[':
		return "[…]"
	case 's':
		return cycle.Quote(n.raw)
	}
	return n.raw
}

// check walks a node against the Go type it decodes into, as
// encoding/json would, and lists what would not fit.
func (d *JSONDoc) check(n *jsonNode, t reflect.Type, probs *[]cycle.Problem) {
	if t == nil {
		return
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n.kind == '0' {
		return // null leaves the value as it is
	}
	if reflect.PointerTo(t).Implements(jsonUnmarshaler) || (n.kind == 's' && reflect.PointerTo(t).Implements(textUnmarshaler)) {
		return // its own decoder says
	}
	bad := func(want cycle.Word) {
		p := cycle.NewProblem("json.type", want, n.found())
		p.Field = n.path
		*probs = append(*probs, fileProblem(p, d.at(n.off, n.path)))
	}
	switch t.Kind() {
	case reflect.Interface:
	case reflect.Struct:
		if n.kind != '{' {
			bad(wantObject)
			return
		}
		fields := jsonFieldsOf(t)
		for i, k := range n.keys {
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
				hint := cycle.Word{}
				if near := nearestField(k, fields); near != "" {
					hint = word("json.suggest", near)
				}
				p := cycle.NewProblem("json.unknown_field", strconv.Quote(k), hint)
				p.Field = n.fields[i].path
				*probs = append(*probs, fileProblem(p, d.at(n.keyOff[i], n.fields[i].path)))
				continue
			}
			d.check(n.fields[i], ft, probs)
		}
	case reflect.Map:
		if n.kind != '{' {
			bad(wantObject)
			return
		}
		for _, c := range n.fields {
			d.check(c, t.Elem(), probs)
		}
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 && n.kind == 's' {
			return // bytes as base64
		}
		if n.kind != '[' {
			bad(wantList)
			return
		}
		for _, c := range n.items {
			d.check(c, t.Elem(), probs)
		}
	case reflect.String:
		if n.kind != 's' {
			bad(wantString)
		}
	case reflect.Bool:
		if n.kind != 'b' {
			bad(wantBool)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if n.kind != 'n' {
			bad(wantNumber)
			return
		}
		if strings.ContainsAny(n.raw, ".eE") {
			p := cycle.NewProblem("json.integer", n.raw)
			p.Field = n.path
			*probs = append(*probs, fileProblem(p, d.at(n.off, n.path)))
			return
		}
		var err error
		if t.Kind() >= reflect.Uint && t.Kind() <= reflect.Uint64 {
			_, err = strconv.ParseUint(n.raw, 10, t.Bits())
		} else {
			_, err = strconv.ParseInt(n.raw, 10, t.Bits())
		}
		if err != nil {
			p := cycle.NewProblem("json.range", n.raw)
			p.Field = n.path
			*probs = append(*probs, fileProblem(p, d.at(n.off, n.path)))
		}
	case reflect.Float32, reflect.Float64:
		if n.kind != 'n' {
			bad(wantNumber)
		}
	}
}

// jsonFieldsOf maps the JSON names of a struct's fields to their types,
// embedded structs' fields included.
func jsonFieldsOf(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				for n, fft := range jsonFieldsOf(ft) {
					if _, own := out[n]; !own {
						out[n] = fft
					}
				}
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

// nearestField is the known field nearest to an unknown one, if close.
func nearestField(k string, fields map[string]reflect.Type) string {
	best, bestD := "", 3
	names := make([]string, 0, len(fields))
	for name := range fields {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if d := levenshtein(strings.ToLower(k), name); d < bestD {
			best, bestD = name, d
		}
	}
	return best
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 64 || len(rb) > 64 {
		return 64
	}
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
