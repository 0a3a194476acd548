package cycle

import (
	"fmt"
	"strings"
)

// run performs one check: whether it passes, the figures compared, and for
// bands the points earned.
func (ch Comparison) run(criterion string, r CommuneReport) (bool, string, float64) {
	get := func(rf ReportFigures, name string) (int, bool) { return rf.Figure(name) }
	missing := func(what, name string) (bool, string, float64) {
		return false, fmt.Sprintf("%s %s not reported", what, name), 0
	}
	switch ch.Rule {
	case RuleAssessed:
		v, ok := r.Assessments[criterion]
		if !ok {
			return false, "not assessed by the appraisers", 0
		}
		if v {
			return true, "assessed as met", 0
		}
		return false, "assessed as not met", 0
	case RuleFact:
		v, ok := get(r.Figures, ch.Figure)
		if !ok {
			return missing("", ch.Figure)
		}
		want := ch.Want == nil || *ch.Want
		got := v == 1
		return got == want, fmt.Sprintf("%s: %s", ch.Figure, yesNo(got)), 0
	case RuleMax, RuleMin:
		v, ok := get(r.Figures, ch.Figure)
		if !ok {
			return missing("", ch.Figure)
		}
		if ch.Rule == RuleMax {
			lim := deref(ch.Max)
			if float64(v) <= lim {
				return true, fmt.Sprintf("%s %d ≤ %s", ch.Figure, v, num(lim)), 0
			}
			return false, fmt.Sprintf("%s %d > %s", ch.Figure, v, num(lim)), 0
		}
		lim := deref(ch.Min)
		if float64(v) >= lim {
			return true, fmt.Sprintf("%s %d ≥ %s", ch.Figure, v, num(lim)), 0
		}
		return false, fmt.Sprintf("%s %d < %s", ch.Figure, v, num(lim)), 0
	case RuleRate, RuleBands:
		n, ok1 := get(r.Figures, ch.Figure)
		d, ok2 := get(r.Figures, ch.Of)
		if !ok1 {
			return missing("", ch.Figure)
		}
		if !ok2 {
			return missing("", ch.Of)
		}
		if ch.Rule == RuleBands {
			if d == 0 {
				return false, fmt.Sprintf("%s/%s: %s is 0, no rate", ch.Figure, ch.Of, ch.Of), 0
			}
			rate := 100 * float64(n) / float64(d)
			pts := -1.0
			for _, b := range ch.Bands {
				if (b.Min != nil && rate >= *b.Min) || (b.Over != nil && rate > *b.Over) {
					pts = b.Points
				}
			}
			if pts < 0 {
				return false, fmt.Sprintf("%s %s%% (%d of %d) is below the lowest band", ch.Figure, num(rate), n, d), 0
			}
			return true, fmt.Sprintf("%s %s%% (%d of %d): %s points", ch.Figure, num(rate), n, d, num(pts)), pts
		}
		if d == 0 {
			return true, fmt.Sprintf("%s 0: no rate to reach", ch.Of), 0
		}
		rate := 100 * float64(n) / float64(d)
		desc := fmt.Sprintf("%s/%s %s%% (%d of %d)", ch.Figure, ch.Of, num(rate), n, d)
		if ch.Min != nil {
			// Exact: n/d ≥ min%  ⇔  100·n ≥ min·d.
			if 100*float64(n) >= *ch.Min*float64(d) {
				return true, desc + " ≥ " + num(*ch.Min) + "%", 0
			}
			return false, desc + " < " + num(*ch.Min) + "%", 0
		}
		if 100*float64(n) < deref(ch.Below)*float64(d) {
			return true, desc + " < " + num(deref(ch.Below)) + "%", 0
		}
		return false, desc + " ≥ " + num(deref(ch.Below)) + "%", 0
	case RuleReduced, RuleIncreased, RuleNotIncreased:
		cur, ok1 := get(r.Figures, ch.Figure)
		base, ok2 := get(r.Baseline, ch.Figure)
		if !ok1 {
			return missing("", ch.Figure)
		}
		if !ok2 {
			return missing("baseline", ch.Figure)
		}
		label := ch.Figure
		if ch.Exclude != "" {
			xc, ok3 := get(r.Figures, ch.Exclude)
			xb, ok4 := get(r.Baseline, ch.Exclude)
			if !ok3 || !ok4 {
				return missing("current or baseline", ch.Exclude)
			}
			cur, base = cur-xc, base-xb
			label += " less " + ch.Exclude
		}
		switch ch.Rule {
		case RuleIncreased:
			if cur > base {
				return true, fmt.Sprintf("%s %d > %d before", label, cur, base), 0
			}
			return false, fmt.Sprintf("%s %d, not above %d before", label, cur, base), 0
		case RuleNotIncreased:
			if cur <= base {
				return true, fmt.Sprintf("%s %d ≤ %d before", label, cur, base), 0
			}
			return false, fmt.Sprintf("%s %d > %d before", label, cur, base), 0
		}
		if base == 0 {
			if ch.KeepZero && cur == 0 {
				return true, fmt.Sprintf("%s 0, none before either: kept", label), 0
			}
			return false, fmt.Sprintf("%s %d, %d before: no reduction", label, cur, base), 0
		}
		fall := 100 * float64(base-cur) / float64(base)
		desc := fmt.Sprintf("%s %d against %d before: ", label, cur, base)
		if cur >= base {
			return false, desc + "no reduction", 0
		}
		// Exact: (base−cur)/base ≥ p%  ⇔  100·(base−cur) ≥ p·base.
		if 100*float64(base-cur) >= ch.Percent*float64(base) {
			if ch.Percent == 0 {
				return true, desc + "down " + num(fall) + "%", 0
			}
			return true, desc + "down " + num(fall) + "% ≥ " + num(ch.Percent) + "%", 0
		}
		return false, desc + "down " + num(fall) + "% < " + num(ch.Percent) + "%", 0
	case RuleAtMostAverage:
		v, ok := get(r.Figures, ch.Figure)
		if !ok {
			return missing("", ch.Figure)
		}
		label := ch.Figure
		if ch.Exclude != "" {
			x, ok := get(r.Figures, ch.Exclude)
			if !ok {
				return missing("", ch.Exclude)
			}
			v -= x
			label += " less " + ch.Exclude
		}
		if r.Area == nil || r.Area.Communes == 0 {
			return false, "area_average not given", 0
		}
		a := average{crimes: r.Area.Crimes, communes: r.Area.Communes}
		// Exact: v ≤ crimes/communes  ⇔  v·communes ≤ crimes.
		if v*a.communes <= a.crimes {
			return true, fmt.Sprintf("%s %d ≤ average per commune of %s %s", label, v, r.Area.Name, a), 0
		}
		return false, fmt.Sprintf("%s %d > average per commune of %s %s", label, v, r.Area.Name, a), 0
	}
	return false, fmt.Sprintf("unknown rule %q", ch.Rule), 0
}

func deref(p *float64) float64 {
	if p == nil {
		return 0
	}
	return *p
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// num formats a number without trailing zeros: 80, 76.67, 0.5.
func num(f float64) string {
	s := fmt.Sprintf("%.2f", f)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}
