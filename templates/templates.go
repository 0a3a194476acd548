// Package templates holds the wording of the documents the cycle produces,
// as Go text/template files, and the fonts they are printed in.
//
// A wording template produces a small line-oriented markup (described in
// README.md) that Set.Document turns into a document.Document. The
// per-province parts of a document — issuing bodies, number, place, date and
// signer — come from the template's data (see Data), not from the wording.
//
// The templates and fonts are embedded; Load can take an override
// directory whose *.tmpl files replace or add to the embedded ones, so that
// the wording can be edited without recompiling.
package templates

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"text/template"
	"text/template/parse"
	"time"

	"chuyenhoa/document"
)

//go:embed *.tmpl fonts/*.ttf fonts/LICENSE
var embedded embed.FS

// Data is implemented by the data of every template.
type Data interface {
	// Frame returns the parts of the document that are configuration
	// rather than wording: ParentBody, IssuingBody, Number, NumberSuffix,
	// Place, Date and Signature. The template supplies everything else.
	Frame() document.Document
	// Rows returns the body rows of the table the template names in a
	// "table:" line, or false when the data has no such table.
	Rows(table string) ([][]string, bool)
}

// Set is a loaded set of wording templates and the fonts.
type Set struct {
	fonts document.Fonts
	tmpls map[string]*wording // by name without ".tmpl"
}

// wording is one parsed template file.
type wording struct {
	file string // as shown in errors: "approval.tmpl", or the override file's path
	t    *template.Template
}

// Error is an error in a template file, at a line of it (Line is 0 when
// the position is unknown).
type Error struct {
	File string
	Line int
	Msg  string
	Err  error // the underlying error, if any
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Load returns the embedded templates, with the *.tmpl files of dir
// replacing (same name) or adding to them. dir "" means the embedded
// templates alone. The fonts are always the embedded ones.
func Load(dir string) (*Set, error) {
	s := &Set{tmpls: map[string]*wording{}}
	read := func(name string) []byte {
		b, err := embedded.ReadFile("fonts/" + name)
		if err != nil {
			panic(err) // embedded at build time
		}
		return b
	}
	s.fonts = document.Fonts{
		Regular:    read("LiberationSerif-Regular.ttf"),
		Bold:       read("LiberationSerif-Bold.ttf"),
		Italic:     read("LiberationSerif-Italic.ttf"),
		BoldItalic: read("LiberationSerif-BoldItalic.ttf"),
	}
	names, _ := fs.Glob(embedded, "*.tmpl")
	for _, n := range names {
		src, err := embedded.ReadFile(n)
		if err != nil {
			return nil, err
		}
		if err := s.add(n, n, string(src)); err != nil {
			return nil, err
		}
	}
	if dir == "" {
		return s, nil
	}
	paths, err := filepath.Glob(filepath.Join(dir, "*.tmpl"))
	if err != nil {
		return nil, fmt.Errorf("templates: %w", err)
	}
	if _, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("templates: override directory: %w", err)
	}
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("templates: %w", err)
		}
		if err := s.add(filepath.Base(p), p, string(src)); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// Fonts returns the fonts the documents are printed in (Liberation Serif
// 2.1.5, metric-compatible with Times New Roman; SIL OFL 1.1, see
// fonts/LICENSE).
func (s *Set) Fonts() document.Fonts { return s.fonts }

// Names returns the names of the templates (file names without ".tmpl"), sorted.
func (s *Set) Names() []string {
	out := make([]string, 0, len(s.tmpls))
	for n := range s.tmpls {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

var funcs = template.FuncMap{
	"add": func(a, b int) int { return a + b },
	"sub": func(a, b int) int { return a - b },
	// dmy writes a date the short way of running text: "22/3/2021".
	"dmy":   func(t time.Time) string { return fmt.Sprintf("%d/%d/%d", t.Day(), int(t.Month()), t.Year()) },
	"upper": strings.ToUpper,
	// percent writes a percentage the Vietnamese way: "58,3%".
	"percent": Percent,
}

// lineMark starts every line of a template's output with the number of
// the template line it comes from, so that markup errors can name it.
const lineMark = "\x00"

func (s *Set) add(base, file, src string) error {
	t, err := template.New(base).Funcs(funcs).Option("missingkey=error").Parse(src)
	if err != nil {
		return &Error{File: file, Line: errorLine(err, base), Msg: trimTemplatePrefix(err, base), Err: err}
	}
	starts := lineStarts(src)
	for _, tt := range t.Templates() {
		if tt.Tree != nil && tt.Tree.Root != nil {
			markLines(tt.Tree.Root, starts)
		}
	}
	s.tmpls[strings.TrimSuffix(base, ".tmpl")] = &wording{file: file, t: t}
	return nil
}

func lineStarts(src string) []int {
	starts := []int{0}
	for i := 0; i < len(src); i++ {
		if src[i] == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// lineOf returns the 1-based line of byte offset off.
func lineOf(starts []int, off int) int {
	return sort.Search(len(starts), func(i int) bool { return starts[i] > off })
}

// markLines rewrites the template's literal text so that after each
// newline the output carries the number of the source line that follows.
func markLines(n parse.Node, starts []int) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			markLines(c, starts)
		}
	case *parse.TextNode:
		var b []byte
		for i, c := range n.Text {
			b = append(b, c)
			if c == '\n' {
				b = append(b, lineMark+strconv.Itoa(lineOf(starts, int(n.Pos)+i+1))+lineMark...)
			}
		}
		n.Text = b
	case *parse.IfNode:
		markLines(n.List, starts)
		markLines(n.ElseList, starts)
	case *parse.RangeNode:
		markLines(n.List, starts)
		markLines(n.ElseList, starts)
	case *parse.WithNode:
		markLines(n.List, starts)
		markLines(n.ElseList, starts)
	}
}

var errLineRE = regexp.MustCompile(`:(\d+)(:\d+)?: `)

// errorLine finds the line number text/template put in err's message.
func errorLine(err error, base string) int {
	msg := err.Error()
	i := strings.Index(msg, base+":")
	if i < 0 {
		return 0
	}
	m := errLineRE.FindStringSubmatch(msg[i+len(base):])
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// trimTemplatePrefix drops text/template's "template: name:line:col: ".
func trimTemplatePrefix(err error, base string) string {
	msg := strings.TrimPrefix(err.Error(), "template: ")
	if strings.HasPrefix(msg, base+":") {
		if loc := errLineRE.FindStringIndex(msg[len(base):]); loc != nil && loc[0] == 0 {
			return msg[len(base)+loc[1]:]
		}
	}
	return msg
}

// Document executes the template name (with or without ".tmpl") with data,
// which must implement Data, and returns the document it describes: the
// wording from the template, the frame from data.Frame.
func (s *Set) Document(name string, data any) (document.Document, error) {
	w, ok := s.tmpls[strings.TrimSuffix(name, ".tmpl")]
	if !ok {
		return document.Document{}, fmt.Errorf("templates: no template %q", name)
	}
	d, ok := data.(Data)
	if !ok {
		return document.Document{}, &Error{File: w.file, Msg: fmt.Sprintf("data of type %T does not implement templates.Data", data)}
	}
	var out bytes.Buffer
	out.WriteString(lineMark + "1" + lineMark)
	if err := w.t.Execute(&out, data); err != nil {
		base := w.t.Name()
		return document.Document{}, &Error{File: w.file, Line: errorLine(err, base), Msg: trimTemplatePrefix(err, base), Err: err}
	}
	doc := d.Frame()
	if err := parseMarkup(w.file, out.String(), d, &doc); err != nil {
		return document.Document{}, err
	}
	return doc, nil
}

// directive is one logical markup line: "name: value", continuation lines
// joined.
type directive struct {
	name, value string
	line        int
}

// splitMarkup turns the marked template output into directives.
func splitMarkup(file, out string) ([]directive, error) {
	var ds []directive
	line := 1
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, lineMark) {
			if end := strings.Index(l[1:], lineMark); end >= 0 {
				line, _ = strconv.Atoi(l[1 : 1+end])
				l = l[end+2:]
			}
		}
		l = strings.ReplaceAll(l, lineMark, "")
		trimmed := strings.TrimSpace(l)
		switch {
		case trimmed == "" || strings.HasPrefix(trimmed, "#"):
			continue
		case l[0] == ' ' || l[0] == '\t':
			if len(ds) == 0 {
				return nil, &Error{File: file, Line: line, Msg: "continuation line before any directive"}
			}
			d := &ds[len(ds)-1]
			d.value = strings.TrimSpace(d.value + " " + trimmed)
			continue
		}
		name, value, ok := strings.Cut(l, ":")
		if !ok || strings.ContainsAny(name, " \t") {
			return nil, &Error{File: file, Line: line, Msg: fmt.Sprintf("want \"directive: value\", got %q", trimmed)}
		}
		ds = append(ds, directive{name: name, value: strings.TrimSpace(value), line: line})
	}
	return ds, nil
}

// parseMarkup fills the wording parts of doc from the markup out.
func parseMarkup(file, out string, data Data, doc *document.Document) error {
	ds, err := splitMarkup(file, out)
	if err != nil {
		return err
	}
	fail := func(d directive, format string, args ...any) error {
		return &Error{File: file, Line: d.line, Msg: fmt.Sprintf(format, args...)}
	}
	single := map[string]*string{
		"kind": &doc.Kind, "subject": &doc.Subject, "authority": &doc.Authority,
		"resolution": &doc.Resolution, "footnote": &doc.Footnote,
	}
	seen := map[string]bool{}
	var art *document.Article
	var table *document.Table
	var tableAt directive
	finishTable := func() error {
		if table == nil {
			return nil
		}
		if len(table.Columns) == 0 {
			return fail(tableAt, "table %q has no columns", tableAt.value)
		}
		for i, r := range table.Rows {
			if len(r) != len(table.Columns) {
				return fail(tableAt, "table %q: row %d of the data has %d cells, the template has %d columns", tableAt.value, i+1, len(r), len(table.Columns))
			}
		}
		table = nil
		return nil
	}
	for _, d := range ds {
		if p, ok := single[d.name]; ok {
			if seen[d.name] {
				return fail(d, "%s: given twice", d.name)
			}
			seen[d.name] = true
			*p = d.value
			continue
		}
		switch d.name {
		case "ground":
			doc.Grounds = append(doc.Grounds, d.value)
		case "recipient":
			doc.Recipients = append(doc.Recipients, d.value)
		case "addressee":
			doc.Addressees = append(doc.Addressees, d.value)
		case "section", "heading":
			if err := finishTable(); err != nil {
				return err
			}
			a := document.Article{Plain: true}
			if d.name == "heading" {
				a.Heading = d.value
			} else {
				a.Text = d.value
			}
			doc.Articles = append(doc.Articles, a)
			art = &doc.Articles[len(doc.Articles)-1]
		case "article":
			if err := finishTable(); err != nil {
				return err
			}
			doc.Articles = append(doc.Articles, document.Article{Text: d.value})
			art = &doc.Articles[len(doc.Articles)-1]
		case "para":
			if art == nil {
				return fail(d, "para: outside an article")
			}
			if err := finishTable(); err != nil {
				return err
			}
			art.Paragraphs = append(art.Paragraphs, d.value)
		case "table":
			switch {
			case art == nil:
				return fail(d, "table: outside an article")
			case art.Table != nil:
				return fail(d, "table: the article already has a table")
			case len(art.Paragraphs) > 0:
				return fail(d, "table: must come before the article's para lines (it prints after the article's first paragraph)")
			}
			rows, ok := data.Rows(d.value)
			if !ok {
				return fail(d, "table %q: no such table in the data (%T)", d.value, data)
			}
			art.Table = &document.Table{Rows: rows}
			table, tableAt = art.Table, d
		case "caption":
			if table == nil {
				return fail(d, "caption: not right after a table line")
			}
			table.Caption = d.value
		case "column":
			if table == nil {
				return fail(d, "column: not right after a table line")
			}
			c, err := parseColumn(d.value)
			if err != nil {
				return fail(d, "column: %v", err)
			}
			table.Columns = append(table.Columns, c)
		default:
			return fail(d, "unknown directive %q", d.name)
		}
	}
	return finishTable()
}

// parseColumn parses "<width mm> <L|C|R> <header>", e.g. "14 C STT".
func parseColumn(v string) (document.Column, error) {
	f := strings.Fields(v)
	if len(f) < 3 {
		return document.Column{}, errors.New(`want "<width mm> <L|C|R> <header>"`)
	}
	w, err := strconv.ParseFloat(f[0], 64)
	if err != nil || w < 0 {
		return document.Column{}, fmt.Errorf("bad width %q", f[0])
	}
	switch f[1] {
	case "L", "C", "R":
	default:
		return document.Column{}, fmt.Errorf("alignment %q is not L, C or R", f[1])
	}
	header := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), f[0])), f[1]))
	return document.Column{Header: header, Width: w, Align: f[1]}, nil
}
