package cycle

import (
	"sort"
	"strconv"
	"strings"
)

// MaxProblems is how many problems an edge (the CLI, the API, the web
// pages, the checker) lists before it sums up the rest: a file of 100,000
// wrong rows is refused with fifty lines and a count, not a message of
// fifteen million characters.
const MaxProblems = 50

// RuleMore is the rule of the problem that sums up the problems left out
// by Bound.
const RuleMore = "problems.more"

// Bound keeps the first n problems and, when there are more, appends one
// problem that counts the others by rule, each group with the first of
// its problems as the example and the lines it spans ("… và 99.951 vấn đề
// khác cùng loại: 99.951 lỗi như «…» (dòng 52 – 100.001)"). A list already
// bounded (n problems and a summary) is returned as it is.
func Bound(probs []Problem, n int) []Problem {
	if n < 1 {
		n = 1
	}
	if len(probs) <= n || (len(probs) == n+1 && probs[n].Rule == RuleMore) {
		return probs
	}
	kept := append([]Problem(nil), probs[:n]...)
	rest := probs[n:]
	groups := map[string]*moreGroup{}
	var order []*moreGroup
	total := 0
	for _, p := range rest {
		g := groups[p.Rule]
		if g == nil {
			g = &moreGroup{rule: p.Rule, vi: clip(p.say(Vietnamese), 160), en: clip(p.say(English), 160)}
			groups[p.Rule] = g
			order = append(order, g)
		}
		g.n++
		total++
		if p.Where != nil && p.Where.Line > 0 {
			g.extend(p.Where.Line, p.Where.Line)
		}
	}
	sort.SliceStable(order, func(i, j int) bool { return order[i].n > order[j].n })
	gs := make(moreGroups, len(order))
	for i, g := range order {
		gs[i] = *g
	}
	return append(kept, NewProblem(RuleMore, Int(total), gs))
}

func init() {
	defineMessages(map[string]Text{
		RuleMore: {VI: "… và %[1]s vấn đề khác cùng loại: %[2]s", EN: "… and %[1]s more of the same kinds: %[2]s"},
	})
}

// say is the problem's message in a language, without its place.
func (p Problem) say(lang Lang) string {
	if lang != English && p.Text != "" {
		return p.Text
	}
	return p.Message
}

// moreGroup is the problems of one rule left out by Bound.
type moreGroup struct {
	rule     string
	n        int
	vi, en   string // the first problem left out, as officers read it
	from, to int    // the lines they span, when they came from a file
}

func (g *moreGroup) extend(from, to int) {
	if from <= 0 {
		return
	}
	if g.from == 0 || from < g.from {
		g.from = from
	}
	if to > g.to {
		g.to = to
	}
}

// moreGroups says the groups of a summary in a language.
type moreGroups []moreGroup

// Say lists the groups: "99.951 lỗi như «…» (dòng 52 – 100.001)".
func (gs moreGroups) Say(lang Lang) string {
	parts := make([]string, len(gs))
	for i, g := range gs {
		var b strings.Builder
		if lang == English {
			b.WriteString(formatInt(lang, g.n) + " like “" + g.en + "”")
		} else {
			b.WriteString(formatInt(lang, g.n) + " lỗi như «" + g.vi + "»")
		}
		if g.from > 0 {
			word := "dòng "
			if lang == English {
				word = "line "
				if g.to > g.from {
					word = "lines "
				}
			}
			b.WriteString(" (" + word + formatInt(lang, g.from))
			if g.to > g.from {
				b.WriteString(" – " + formatInt(lang, g.to))
			}
			b.WriteString(")")
		}
		parts[i] = b.String()
	}
	return strings.Join(parts, "; ")
}

// clip shortens a text to n characters, marking the cut.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// Quote quotes a value from an officer's file for a message, cut to 40
// characters: a message never carries a whole 5-megabyte cell.
func Quote(s string) string { return strconv.Quote(clip(s, 40)) }

// Origins maps the program's paths of a value read from a file
// ("statistics[22]", "proposed[4].types", "communes[9].report") to where
// the file holds it, so that problems found later — by the workflow, the
// selection rules — point into the officer's file.
type Origins map[string]Location

// Locate gives each problem without a location the location of its field,
// or of the nearest enclosing value that has one ("proposed[4].types" →
// "proposed[4]"). Problems keep their Field for API clients.
func (o Origins) Locate(probs []Problem) {
	if len(o) == 0 {
		return
	}
	for i := range probs {
		p := &probs[i]
		if p.Where != nil || p.Field == "" {
			continue
		}
		for f := p.Field; f != ""; f = parentPath(f) {
			if l, ok := o[f]; ok {
				l := l
				p.Where = &l
				break
			}
		}
	}
}

// Placed is the problems as an officer reads them against the file: each
// located (Locate); one that says again what an earlier one says at the
// same place dropped (a row is both a commune's figures, statistics[i],
// and its proposal, proposed[j]); the located ones in the file's order,
// the others (a commune missing from the file) after them.
func (o Origins) Placed(probs []Problem) []Problem {
	out := append([]Problem(nil), probs...)
	o.Locate(out)
	type key struct {
		where      Location
		commune    string
		rule, text string
	}
	seen := map[key]bool{}
	kept := out[:0]
	for _, p := range out {
		if p.Where != nil {
			k := key{*p.Where, p.Commune, p.Rule, p.Message}
			if seen[k] {
				continue
			}
			seen[k] = true
		}
		kept = append(kept, p)
	}
	line := func(p Problem) int {
		if p.Where == nil || p.Where.Line == 0 {
			return int(^uint(0) >> 1)
		}
		return p.Where.Line
	}
	sort.SliceStable(kept, func(i, j int) bool { return line(kept[i]) < line(kept[j]) })
	return kept
}

// LocateError locates the problems of err when it is a *Error.
func (o Origins) LocateError(err error) {
	if ce, ok := err.(*Error); ok {
		o.Locate(ce.Problems)
	}
}

// parentPath drops the last step of a path: "a[1].b" → "a[1]" → "a" → "".
func parentPath(f string) string {
	i := strings.LastIndexAny(f, ".[")
	if i <= 0 {
		return ""
	}
	return f[:i]
}
