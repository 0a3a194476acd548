package cycle

import "fmt"

// validate checks an evaluation method; field is its path in the policy.
func (ev *Evaluation) validate(field string) []Problem {
	var probs []Problem
	add := func(f, format string, args ...any) {
		probs = append(probs, Problem{Field: f, Rule: "policy.evaluation", Message: fmt.Sprintf(format, args...)})
	}
	switch ev.Method {
	case MethodAllCriteria, MethodIndicatorShare, MethodScore:
	default:
		add(field+".method", "%q: want all_criteria, indicator_share or score", ev.Method)
	}
	if len(ev.Criteria) == 0 {
		add(field+".criteria", "at least one criterion is required")
	}
	if !ev.TwoTierArea.Valid() {
		add(field+".two_tier_area", "%q: want same_kind or none", ev.TwoTierArea)
	}
	if ev.Method == MethodIndicatorShare && (ev.SharePercent <= 0 || ev.SharePercent > 100) {
		add(field+".share_percent", "%s: want a percentage above 0 and at most 100", num(ev.SharePercent))
	}
	groups := map[string]bool{}
	for i, g := range ev.Groups {
		if g.ID == "" || groups[g.ID] {
			add(fmt.Sprintf("%s.groups[%d].id", field, i), "%q: empty or duplicate group", g.ID)
		}
		if g.Points <= 0 {
			add(fmt.Sprintf("%s.groups[%d].points", field, i), "%s: want a positive number of points", num(g.Points))
		}
		groups[g.ID] = true
	}
	if ev.Method == MethodScore && len(ev.Groups) == 0 {
		add(field+".groups", "a score method needs its groups")
	}
	if ev.Method != MethodScore && ev.PassScore != 0 {
		add(field+".pass_score", "only a score method has a pass mark")
	}
	ids := map[string]bool{}
	for _, list := range []struct {
		name string
		cs   []Criterion
	}{{"required", ev.Required}, {"criteria", ev.Criteria}} {
		for i, c := range list.cs {
			f := fmt.Sprintf("%s.%s[%d]", field, list.name, i)
			if c.ID == "" || ids[c.ID] {
				add(f+".id", "%q: empty or duplicate criterion ID", c.ID)
			}
			ids[c.ID] = true
			if c.Name == "" {
				add(f+".name", "required: the plan's words")
			}
			for _, t := range c.Types {
				if !t.Valid() {
					add(f+".types", "Loại %d does not exist (want 1–4)", int(t))
				}
			}
			for _, k := range c.Kinds {
				switch CommuneKind(k) {
				case KindXa, KindPhuong, KindThiTran, KindDacKhu:
				default:
					add(f+".kinds", "%q: want xã, phường, thị trấn or đặc khu", k)
				}
			}
			if ev.Method == MethodScore && list.name == "criteria" {
				if !groups[c.Group] {
					add(f+".group", "%q is not a group of this evaluation", c.Group)
				}
				if c.Points <= 0 && !hasBands(c) {
					add(f+".points", "a scored criterion needs positive points or bands")
				}
			}
			if len(c.Checks) == 0 {
				add(f+".checks", "at least one check is required")
			}
			nb := 0
			for j, ch := range c.Checks {
				probs = append(probs, ch.validate(fmt.Sprintf("%s.checks[%d]", f, j))...)
				if ch.Rule == RuleBands {
					nb++
				}
			}
			if nb > 1 {
				add(f+".checks", "at most one bands check per criterion")
			}
		}
	}
	return probs
}

func hasBands(c Criterion) bool {
	for _, ch := range c.Checks {
		if ch.Rule == RuleBands {
			return true
		}
	}
	return false
}

func (ch Comparison) validate(f string) []Problem {
	var probs []Problem
	add := func(ff, format string, args ...any) {
		probs = append(probs, Problem{Field: ff, Rule: "policy.evaluation", Message: fmt.Sprintf(format, args...)})
	}
	known := false
	for _, r := range comparisonRules {
		known = known || r == ch.Rule
	}
	if !known {
		add(f+".rule", "%q is not a check rule (want one of %s)", ch.Rule, joinKinds(comparisonRules))
		return probs
	}
	needFigure := func(name, key string, wantBool bool) {
		if name == "" {
			add(f+"."+key, "required for rule %s", ch.Rule)
			return
		}
		ok, boolean := isFigure(name)
		switch {
		case !ok:
			add(f+"."+key, "%q is not a report figure (see ReportFigures)", name)
		case boolean != wantBool && wantBool:
			add(f+"."+key, "%q is a count, not a yes/no figure", name)
		case boolean != wantBool:
			add(f+"."+key, "%q is a yes/no figure, not a count", name)
		}
	}
	switch ch.Rule {
	case RuleAssessed:
		if ch.Figure != "" {
			add(f+".figure", "an assessed check takes no figure")
		}
	case RuleFact:
		needFigure(ch.Figure, "figure", true)
	case RuleMax:
		needFigure(ch.Figure, "figure", false)
		if ch.Max == nil {
			add(f+".max", "required for rule max")
		}
	case RuleMin:
		needFigure(ch.Figure, "figure", false)
		if ch.Min == nil {
			add(f+".min", "required for rule min")
		}
	case RuleRate:
		needFigure(ch.Figure, "figure", false)
		needFigure(ch.Of, "of", false)
		if (ch.Min == nil) == (ch.Below == nil) {
			add(f, "a rate needs exactly one of min and below")
		}
	case RuleBands:
		needFigure(ch.Figure, "figure", false)
		needFigure(ch.Of, "of", false)
		if len(ch.Bands) == 0 {
			add(f+".bands", "at least one band is required")
		}
		for i, b := range ch.Bands {
			if (b.Min == nil) == (b.Over == nil) {
				add(fmt.Sprintf("%s.bands[%d]", f, i), "a band needs exactly one of min and over")
			}
		}
	case RuleReduced, RuleIncreased, RuleNotIncreased, RuleAtMostAverage:
		needFigure(ch.Figure, "figure", false)
		if ch.Exclude != "" {
			needFigure(ch.Exclude, "exclude", false)
		}
		if ch.Percent < 0 || ch.Percent > 100 {
			add(f+".percent", "%s: want 0–100", num(ch.Percent))
		}
	}
	return probs
}
