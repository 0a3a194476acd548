package cycle

import (
	"fmt"
	"strings"
)

// run performs one check: whether it passes, the figures compared (in
// English, the Detail) and the same in Vietnamese (the Text), and for
// bands the points earned.
func (ch Comparison) run(criterion string, r CommuneReport) (bool, string, string, float64) {
	get := func(rf ReportFigures, name string) (int, bool) { return rf.Figure(name) }
	vi := func(code string, args ...any) string { return Say(Vietnamese, code, args...) }
	missing := func(what, name string) (bool, string, string, float64) {
		code := "eval.missing"
		if what != "" {
			code = "eval.baseline_missing"
		}
		return false, fmt.Sprintf("%s %s not reported", what, name), vi(code, figureText{Name: name}), 0
	}
	switch ch.Rule {
	case RuleAssessed:
		v, ok := r.Assessments[criterion]
		if !ok {
			return false, "not assessed by the appraisers", vi("eval.not_assessed"), 0
		}
		if v {
			return true, "assessed as met", vi("eval.assessed_met"), 0
		}
		return false, "assessed as not met", vi("eval.assessed_unmet"), 0
	case RuleFact:
		v, ok := get(r.Figures, ch.Figure)
		if !ok {
			return missing("", ch.Figure)
		}
		want := ch.Want == nil || *ch.Want
		got := v == 1
		f := figureText{Name: ch.Figure}
		if got == want {
			return true, fmt.Sprintf("%s: %s", ch.Figure, yesNo(got)), vi("eval.fact_met", f, yesNoText(got)), 0
		}
		return false, fmt.Sprintf("%s: %s", ch.Figure, yesNo(got)), vi("eval.fact_unmet", f, yesNoText(got), yesNoText(want)), 0
	case RuleMax, RuleMin:
		v, ok := get(r.Figures, ch.Figure)
		if !ok {
			return missing("", ch.Figure)
		}
		f := figureText{Name: ch.Figure}
		if ch.Rule == RuleMax {
			lim := deref(ch.Max)
			if float64(v) <= lim {
				text := vi("eval.max_met", f, Int(v), points(lim))
				if lim == 0 {
					text = vi("eval.none_met", f, Int(v))
				}
				return true, fmt.Sprintf("%s %d ≤ %s", ch.Figure, v, num(lim)), text, 0
			}
			text := vi("eval.max_unmet", f, Int(v), points(lim))
			if lim == 0 {
				text = vi("eval.none_unmet", f, Int(v))
			}
			return false, fmt.Sprintf("%s %d > %s", ch.Figure, v, num(lim)), text, 0
		}
		lim := deref(ch.Min)
		if float64(v) >= lim {
			return true, fmt.Sprintf("%s %d ≥ %s", ch.Figure, v, num(lim)), vi("eval.min_met", f, Int(v), points(lim)), 0
		}
		return false, fmt.Sprintf("%s %d < %s", ch.Figure, v, num(lim)), vi("eval.min_unmet", f, Int(v), points(lim)), 0
	case RuleRate, RuleBands:
		n, ok1 := get(r.Figures, ch.Figure)
		d, ok2 := get(r.Figures, ch.Of)
		if !ok1 {
			return missing("", ch.Figure)
		}
		if !ok2 {
			return missing("", ch.Of)
		}
		rt := rateText{Figure: ch.Figure, Of: ch.Of}
		if ch.Rule == RuleBands {
			if d == 0 {
				return false, fmt.Sprintf("%s/%s: %s is 0, no rate", ch.Figure, ch.Of, ch.Of), vi("eval.bands_none", rt, figureText{Name: ch.Of}), 0
			}
			rate := 100 * float64(n) / float64(d)
			pts := -1.0
			for _, b := range ch.Bands {
				if (b.Min != nil && rate >= *b.Min) || (b.Over != nil && rate > *b.Over) {
					pts = b.Points
				}
			}
			if pts < 0 {
				return false, fmt.Sprintf("%s %s%% (%d of %d) is below the lowest band", ch.Figure, num(rate), n, d),
					vi("eval.bands_below", rt, Pct(rate), Int(n), Int(d)), 0
			}
			return true, fmt.Sprintf("%s %s%% (%d of %d): %s points", ch.Figure, num(rate), n, d, num(pts)),
				vi("eval.bands_met", rt, Pct(rate), Int(n), Int(d), points(pts)), pts
		}
		if d == 0 {
			return true, fmt.Sprintf("%s 0: no rate to reach", ch.Of), vi("eval.rate_none", figureText{Name: ch.Of}), 0
		}
		rate := 100 * float64(n) / float64(d)
		desc := fmt.Sprintf("%s/%s %s%% (%d of %d)", ch.Figure, ch.Of, num(rate), n, d)
		if ch.Min != nil {
			// Exact: n/d ≥ min%  ⇔  100·n ≥ min·d.
			if 100*float64(n) >= *ch.Min*float64(d) {
				return true, desc + " ≥ " + num(*ch.Min) + "%", vi("eval.rate_min_met", rt, Pct(rate), Int(n), Int(d), Pct(*ch.Min)), 0
			}
			return false, desc + " < " + num(*ch.Min) + "%", vi("eval.rate_min_unmet", rt, Pct(rate), Int(n), Int(d), Pct(*ch.Min)), 0
		}
		if 100*float64(n) < deref(ch.Below)*float64(d) {
			return true, desc + " < " + num(deref(ch.Below)) + "%", vi("eval.rate_below_met", rt, Pct(rate), Int(n), Int(d), Pct(deref(ch.Below))), 0
		}
		return false, desc + " ≥ " + num(deref(ch.Below)) + "%", vi("eval.rate_below_unmet", rt, Pct(rate), Int(n), Int(d), Pct(deref(ch.Below))), 0
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
		f := figureText{Name: ch.Figure}
		if ch.Exclude != "" {
			xc, ok3 := get(r.Figures, ch.Exclude)
			xb, ok4 := get(r.Baseline, ch.Exclude)
			if !ok3 || !ok4 {
				return missing("current or baseline", ch.Exclude)
			}
			cur, base = cur-xc, base-xb
			label += " less " + ch.Exclude
			f.Exclude = ch.Exclude
		}
		switch ch.Rule {
		case RuleIncreased:
			if cur > base {
				return true, fmt.Sprintf("%s %d > %d before", label, cur, base), vi("eval.increased_met", f, Int(cur), Int(base)), 0
			}
			return false, fmt.Sprintf("%s %d, not above %d before", label, cur, base), vi("eval.increased_unmet", f, Int(cur), Int(base)), 0
		case RuleNotIncreased:
			if cur <= base {
				return true, fmt.Sprintf("%s %d ≤ %d before", label, cur, base), vi("eval.steady_met", f, Int(cur), Int(base)), 0
			}
			return false, fmt.Sprintf("%s %d > %d before", label, cur, base), vi("eval.steady_unmet", f, Int(cur), Int(base)), 0
		}
		if base == 0 {
			if ch.KeepZero && cur == 0 {
				return true, fmt.Sprintf("%s 0, none before either: kept", label), vi("eval.kept_zero", f), 0
			}
			return false, fmt.Sprintf("%s %d, %d before: no reduction", label, cur, base), vi("eval.not_reduced", f, Int(cur), Int(base)), 0
		}
		fall := 100 * float64(base-cur) / float64(base)
		desc := fmt.Sprintf("%s %d against %d before: ", label, cur, base)
		if cur >= base {
			return false, desc + "no reduction", vi("eval.not_reduced", f, Int(cur), Int(base)), 0
		}
		// Exact: (base−cur)/base ≥ p%  ⇔  100·(base−cur) ≥ p·base.
		if 100*float64(base-cur) >= ch.Percent*float64(base) {
			if ch.Percent == 0 {
				return true, desc + "down " + num(fall) + "%", vi("eval.reduced", f, Int(cur), Int(base), Pct(fall)), 0
			}
			return true, desc + "down " + num(fall) + "% ≥ " + num(ch.Percent) + "%", vi("eval.reduced_met", f, Int(cur), Int(base), Pct(fall), Pct(ch.Percent)), 0
		}
		return false, desc + "down " + num(fall) + "% < " + num(ch.Percent) + "%", vi("eval.reduced_unmet", f, Int(cur), Int(base), Pct(fall), Pct(ch.Percent)), 0
	case RuleAtMostAverage:
		v, ok := get(r.Figures, ch.Figure)
		if !ok {
			return missing("", ch.Figure)
		}
		label := ch.Figure
		f := figureText{Name: ch.Figure}
		if ch.Exclude != "" {
			x, ok := get(r.Figures, ch.Exclude)
			if !ok {
				return missing("", ch.Exclude)
			}
			v -= x
			label += " less " + ch.Exclude
			f.Exclude = ch.Exclude
		}
		if r.Area != nil && r.Area.NotCompared {
			return true, fmt.Sprintf("%s %d; not compared with an area average (the two-tier policy sets none)", label, v), vi("eval.average_not_compared_met", f, Int(v)), 0
		}
		if r.Area == nil || r.Area.Communes == 0 {
			return false, "area_average not given", vi("eval.average_none"), 0
		}
		a := average{crimes: r.Area.Crimes, communes: r.Area.Communes}
		args := []any{f, Int(v), r.Area.Name, Dec(a.value()), Int(a.crimes), Int(a.communes)}
		noteEN, noteVI := r.Area.sourceNote(English), r.Area.sourceNote(Vietnamese)
		// Exact: v ≤ crimes/communes  ⇔  v·communes ≤ crimes.
		if v*a.communes <= a.crimes {
			return true, fmt.Sprintf("%s %d ≤ average per commune of %s %s", label, v, r.Area.Name, a) + noteEN, vi("eval.average_met", args...) + noteVI, 0
		}
		return false, fmt.Sprintf("%s %d > average per commune of %s %s", label, v, r.Area.Name, a) + noteEN, vi("eval.average_unmet", args...) + noteVI, 0
	}
	return false, fmt.Sprintf("unknown rule %q", ch.Rule), vi("eval.unknown_rule", string(ch.Rule)), 0
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
