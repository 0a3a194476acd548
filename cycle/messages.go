package cycle

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Lang is the language a message is shown in. Officers and documents read
// Vietnamese; English is kept for logs and for `--lang en` on the CLI.
type Lang string

// The languages of the message catalogue.
const (
	Vietnamese Lang = "vi"
	English    Lang = "en"
)

// ParseLang reads a language name ("vi", "en"); anything else is Vietnamese,
// the officers' language.
func ParseLang(s string) Lang {
	if strings.EqualFold(strings.TrimSpace(s), string(English)) {
		return English
	}
	return Vietnamese
}

// Text is one message of the catalogue in both languages: fmt formats
// whose verbs may be indexed (%[2]s) so that each language orders the
// arguments as it reads best.
type Text struct {
	VI string
	EN string
}

// catalogue maps a message code (the rule code of a Problem, or the code
// of an error's message) to its texts. Each file that defines rules adds
// its messages with defineMessages in an init function; a code defined
// twice is a programming error.
var catalogue = struct {
	sync.RWMutex
	m map[string]Text
}{m: map[string]Text{}}

// defineMessages adds messages to the catalogue; it panics on a code
// defined twice or a text missing in one language.
func defineMessages(m map[string]Text) {
	catalogue.Lock()
	defer catalogue.Unlock()
	for code, t := range m {
		if _, dup := catalogue.m[code]; dup {
			panic("cycle: message " + code + " defined twice")
		}
		if t.VI == "" || t.EN == "" {
			panic("cycle: message " + code + " lacks a language")
		}
		catalogue.m[code] = t
	}
}

// DefineMessages adds messages of another package (the API, the CLI, the
// parsers of officers' files) to the one catalogue.
func DefineMessages(m map[string]Text) { defineMessages(m) }

// MessageCodes lists the catalogue's codes, sorted (tests walk them).
func MessageCodes() []string {
	catalogue.RLock()
	defer catalogue.RUnlock()
	out := make([]string, 0, len(catalogue.m))
	for c := range catalogue.m {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// Message returns the catalogue's texts of a code.
func Message(code string) (Text, bool) {
	catalogue.RLock()
	defer catalogue.RUnlock()
	t, ok := catalogue.m[code]
	return t, ok
}

// Say renders a catalogue message in a language. Arguments that know how
// to say themselves (Localizer: numbers, percentages, dates, counts) are
// said in that language first. An unknown code says so in the text, which
// the catalogue tests catch.
func Say(lang Lang, code string, args ...any) string {
	t, ok := Message(code)
	if !ok {
		return "[" + code + "]"
	}
	format := t.VI
	if lang == English {
		format = t.EN
	}
	return fmt.Sprintf(format, localize(lang, args)...)
}

// Localizer is an argument that is said differently in each language.
type Localizer interface {
	Say(Lang) string
}

func localize(lang Lang, args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case Localizer:
			out[i] = v.Say(lang)
		case Date:
			out[i] = v.Vietnamese()
		default:
			out[i] = a
		}
	}
	return out
}

// Num is a number said with the language's decimal mark: "4,50" in
// Vietnamese, "4.50" in English; Digits is the number of decimals (-1: as
// few as needed, at most two).
type Num struct {
	V      float64
	Digits int
}

// Say formats the number.
func (n Num) Say(lang Lang) string { return formatNumber(lang, n.V, n.Digits) }

// Dec is a number with two decimals ("4,50").
func Dec(v float64) Num { return Num{V: v, Digits: 2} }

// Pct is a percentage said with the language's decimal mark and as few
// decimals as needed ("95,7%", "80%").
type Pct float64

// Say formats the percentage.
func (p Pct) Say(lang Lang) string { return formatNumber(lang, float64(p), -1) + "%" }

// Count is a number of things, said with the noun in the right form: in
// Vietnamese the noun does not change ("1 xã", "3 xã"); in English it takes
// its plural.
type Count struct {
	N        int
	VI       string // "xã"
	EN, ENPl string // "commune", "communes"
}

// Say formats the count.
func (c Count) Say(lang Lang) string {
	if lang == English {
		if c.N == 1 {
			return "1 " + c.EN
		}
		return formatInt(lang, c.N) + " " + c.ENPl
	}
	return formatInt(lang, c.N) + " " + c.VI
}

// Int is a whole number said with the language's thousands separator
// ("3.321" in Vietnamese, "3,321" in English).
type Int int

// Say formats the number.
func (n Int) Say(lang Lang) string { return formatInt(lang, int(n)) }

// formatNumber writes v with the language's decimal mark; digits < 0
// trims trailing zeros (at most two decimals).
func formatNumber(lang Lang, v float64, digits int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	prec := digits
	if prec < 0 {
		prec = 2
	}
	s := strconv.FormatFloat(v, 'f', prec, 64)
	if digits < 0 && strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	intPart, frac, hasFrac := strings.Cut(s, ".")
	neg := strings.HasPrefix(intPart, "-")
	intPart = strings.TrimPrefix(intPart, "-")
	n, err := strconv.Atoi(intPart)
	if err == nil {
		intPart = formatInt(lang, n)
	}
	if neg {
		intPart = "-" + intPart
	}
	if !hasFrac {
		return intPart
	}
	if lang == English {
		return intPart + "." + frac
	}
	return intPart + "," + frac
}

// formatInt groups thousands: "." in Vietnamese, "," in English; numbers
// under 10,000 are written without a separator, as Vietnamese
// administrative texts do ("1250 hộ").
func formatInt(lang Lang, n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	if len(s) > 4 {
		sep := "."
		if lang == English {
			sep = ","
		}
		var b strings.Builder
		lead := len(s) % 3
		if lead > 0 {
			b.WriteString(s[:lead])
		}
		for i := lead; i < len(s); i += 3 {
			if b.Len() > 0 {
				b.WriteString(sep)
			}
			b.WriteString(s[i : i+3])
		}
		s = b.String()
	}
	if neg {
		return "-" + s
	}
	return s
}

// Location is where in an officer's file a problem is: the line and the
// column's header of a CSV, the sheet, row and column letter of a
// spreadsheet, the line and path of a JSON file. Officers are shown the
// location, never the program's field path.
type Location struct {
	File   string `json:"file,omitempty"`   // the file's name, when known
	Sheet  string `json:"sheet,omitempty"`  // .xlsx: the sheet's name
	Line   int    `json:"line,omitempty"`   // CSV and JSON: the line, from 1; .xlsx: the row
	Column string `json:"column,omitempty"` // CSV and .xlsx: the column's header as the file writes it
	Cell   string `json:"cell,omitempty"`   // .xlsx: the cell, e.g. "C24"
	Path   string `json:"path,omitempty"`   // JSON: the value's path, e.g. communes[9].report.cases_solved
}

// IsZero reports whether the location says nothing.
func (l Location) IsZero() bool { return l == Location{} }

// Say describes the location in a language: "dòng 24, cột «Số vụ»",
// "trang tính «Đề xuất», ô C24 (cột «Số vụ»)", "dòng 12, communes[9].report".
func (l Location) Say(lang Lang) string {
	var parts []string
	q := func(s string) string {
		if lang == English {
			return "“" + s + "”"
		}
		return "«" + s + "»"
	}
	word := func(vi, en string) string {
		if lang == English {
			return en
		}
		return vi
	}
	if l.File != "" {
		parts = append(parts, word("tệp ", "file ")+q(l.File))
	}
	if l.Sheet != "" {
		parts = append(parts, word("trang tính ", "sheet ")+q(l.Sheet))
	}
	switch {
	case l.Cell != "":
		s := word("ô ", "cell ") + l.Cell
		if l.Column != "" {
			s += " (" + word("cột ", "column ") + q(l.Column) + ")"
		}
		parts = append(parts, s)
	default:
		if l.Line > 0 {
			if l.Sheet != "" {
				parts = append(parts, word("hàng ", "row ")+strconv.Itoa(l.Line))
			} else {
				parts = append(parts, word("dòng ", "line ")+strconv.Itoa(l.Line))
			}
		}
		if l.Column != "" {
			parts = append(parts, word("cột ", "column ")+q(l.Column))
		}
	}
	if l.Path != "" {
		parts = append(parts, l.Path)
	}
	return strings.Join(parts, ", ")
}

// NewProblem is a problem whose message comes from the catalogue: its
// English text (Message, for logs) and its Vietnamese text (Text, for
// officers) are both said now, with the same arguments.
func NewProblem(rule string, args ...any) Problem {
	return Problem{Rule: rule, Message: Say(English, rule, args...), Text: Say(Vietnamese, rule, args...)}
}

// NewProblemAs is a problem of a rule broken in one of several ways, its
// message the catalogue's code msg: the rule stays what API clients match,
// the message says which way, in both languages.
func NewProblemAs(rule, msg string, args ...any) Problem {
	return Problem{Rule: rule, Message: Say(English, msg, args...), Text: Say(Vietnamese, msg, args...)}
}

// Bilingual is a problem whose texts are written where it is found, in
// both languages (fmt formats said with the same arguments, Localizers
// said in each language): for checks of a configuration file whose
// messages are each used once.
func Bilingual(rule string, t Text, args ...any) Problem {
	return Problem{Rule: rule, Message: fmt.Sprintf(t.EN, localize(English, args)...), Text: fmt.Sprintf(t.VI, localize(Vietnamese, args)...)}
}

// Fail is an *Error whose message comes from the catalogue, in both languages.
func Fail(code, msg string, args ...any) *Error {
	return &Error{Code: code, Message: Say(English, msg, args...), Text: Say(Vietnamese, msg, args...)}
}

// In is the problem as an officer reads it in a language: where it is
// (the file's location, or else the commune), and what is wrong. No
// field path or rule code is shown; a problem without a Vietnamese text
// falls back to its English message.
func (p Problem) In(lang Lang) string {
	msg := p.Message
	if lang != English && p.Text != "" {
		msg = p.Text
	}
	var where []string
	if p.Where != nil && !p.Where.IsZero() {
		where = append(where, p.Where.Say(lang))
	}
	if p.Commune != "" {
		where = append(where, p.Commune)
	}
	if len(where) == 0 {
		return msg
	}
	return strings.Join(where, ", ") + ": " + msg
}

// In is the error's message as an officer reads it in a language (without
// its problems; list them with Problem.In).
func (e *Error) In(lang Lang) string {
	if lang != English && e.Text != "" {
		return e.Text
	}
	return e.Message
}

// dateWord is a date as each language writes it in a message: "01/01/2026"
// for officers, "2026-01-01" in logs.
func dateWord(d Date) Word { return Word{VI: d.Vietnamese(), EN: d.String()} }

// Refuse is an *Error whose message is written where the request is
// refused, in both languages (fmt formats said with the same arguments):
// a store's "not found", "already done", "conflicts with what is
// recorded", which officers read through the API and the web pages.
func Refuse(code string, t Text, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(t.EN, localize(English, args)...), Text: fmt.Sprintf(t.VI, localize(Vietnamese, args)...)}
}
