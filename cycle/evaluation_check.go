package cycle

import "fmt"

// validate checks an evaluation method; field is its path in the policy.
func (ev *Evaluation) validate(field string) []Problem {
	var probs []Problem
	add := func(f string, t Text, args ...any) {
		probs = append(probs, withPlace(Bilingual("policy.evaluation", t, args...), f, ""))
	}
	switch ev.Method {
	case MethodAllCriteria, MethodIndicatorShare, MethodScore:
	default:
		add(field+".method", Text{VI: "Phương pháp đánh giá «%s» không hợp lệ: chỉ có đạt tất cả tiêu chí, đạt tỷ lệ chỉ tiêu, hoặc chấm điểm", EN: "%q: want all_criteria, indicator_share or score"}, ev.Method)
	}
	if len(ev.Criteria) == 0 {
		add(field+".criteria", Text{VI: "Cần ít nhất một tiêu chí đánh giá", EN: "at least one criterion is required"})
	}
	if !ev.TwoTierArea.Valid() {
		add(field+".two_tier_area", Text{VI: "Cách so sánh bình quân «%s» không hợp lệ: chỉ so với bình quân các đơn vị cùng loại (xã hoặc phường, đặc khu) của tỉnh, hoặc không so sánh", EN: "%q: want same_kind or none"}, ev.TwoTierArea)
	}
	if ev.Method == MethodIndicatorShare && (ev.SharePercent <= 0 || ev.SharePercent > 100) {
		add(field+".share_percent", Text{VI: "Tỷ lệ chỉ tiêu phải đạt %s%% không hợp lệ: phải lớn hơn 0 và không quá 100", EN: "%s: want a percentage above 0 and at most 100"}, num(ev.SharePercent))
	}
	groups := map[string]bool{}
	for i, g := range ev.Groups {
		if g.ID == "" || groups[g.ID] {
			add(fmt.Sprintf("%s.groups[%d].id", field, i), Text{VI: "Nhóm tiêu chí «%s» để trống mã hoặc trùng mã", EN: "%q: empty or duplicate group"}, g.ID)
		}
		if g.Points <= 0 {
			add(fmt.Sprintf("%s.groups[%d].points", field, i), Text{VI: "Số điểm %s của nhóm tiêu chí phải lớn hơn 0", EN: "%s: want a positive number of points"}, num(g.Points))
		}
		groups[g.ID] = true
	}
	if ev.Method == MethodScore && len(ev.Groups) == 0 {
		add(field+".groups", Text{VI: "Phương pháp chấm điểm cần các nhóm tiêu chí", EN: "a score method needs its groups"})
	}
	if ev.Method != MethodScore && ev.PassScore != 0 {
		add(field+".pass_score", Text{VI: "Chỉ phương pháp chấm điểm mới có mức điểm đạt", EN: "only a score method has a pass mark"})
	}
	ids := map[string]bool{}
	for _, list := range []struct {
		name string
		cs   []Criterion
	}{{"required", ev.Required}, {"criteria", ev.Criteria}} {
		for i, c := range list.cs {
			f := fmt.Sprintf("%s.%s[%d]", field, list.name, i)
			if c.ID == "" || ids[c.ID] {
				add(f+".id", Text{VI: "Tiêu chí «%s» để trống mã hoặc trùng mã", EN: "%q: empty or duplicate criterion ID"}, c.ID)
			}
			ids[c.ID] = true
			if c.Name == "" {
				add(f+".name", Text{VI: "Chưa ghi tên tiêu chí theo lời văn của Kế hoạch", EN: "required: the plan's words"})
			}
			for _, t := range c.Types {
				if !t.Valid() {
					add(f+".types", Text{VI: "Không có Loại %d (chỉ có Loại 1 đến Loại 4)", EN: "Loại %d does not exist (want 1–4)"}, int(t))
				}
			}
			for _, k := range c.Kinds {
				switch CommuneKind(k) {
				case KindXa, KindPhuong, KindThiTran, KindDacKhu:
				default:
					add(f+".kinds", Text{VI: "Loại đơn vị «%s» không hợp lệ: chỉ có xã, phường, thị trấn hoặc đặc khu", EN: "%q: want xã, phường, thị trấn or đặc khu"}, k)
				}
			}
			if ev.Method == MethodScore && list.name == "criteria" {
				if !groups[c.Group] {
					add(f+".group", Text{VI: "«%s» không phải là nhóm tiêu chí của phương pháp đánh giá này", EN: "%q is not a group of this evaluation"}, c.Group)
				}
				if c.Points <= 0 && !hasBands(c) {
					add(f+".points", Text{VI: "Tiêu chí chấm điểm cần số điểm lớn hơn 0 hoặc các khung điểm", EN: "a scored criterion needs positive points or bands"})
				}
			}
			if len(c.Checks) == 0 {
				add(f+".checks", Text{VI: "Tiêu chí cần ít nhất một điều kiện đánh giá", EN: "at least one check is required"})
			}
			nb := 0
			for j, ch := range c.Checks {
				probs = append(probs, ch.validate(fmt.Sprintf("%s.checks[%d]", f, j))...)
				if ch.Rule == RuleBands {
					nb++
				}
			}
			if nb > 1 {
				add(f+".checks", Text{VI: "Mỗi tiêu chí chỉ có tối đa một điều kiện chấm theo khung điểm", EN: "at most one bands check per criterion"})
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
	add := func(ff string, t Text, args ...any) {
		probs = append(probs, withPlace(Bilingual("policy.evaluation", t, args...), ff, ""))
	}
	known := false
	for _, r := range comparisonRules {
		known = known || r == ch.Rule
	}
	if !known {
		add(f+".rule", Text{VI: "«%s» không phải là cách đánh giá của điều kiện (chỉ có %s)", EN: "%q is not a check rule (want one of %s)"}, ch.Rule, joinKinds(comparisonRules))
		return probs
	}
	needFigure := func(name, key string, wantBool bool) {
		if name == "" {
			add(f+"."+key, Text{VI: "Điều kiện «%s» cần chỉ rõ số liệu so sánh", EN: "required for rule %s"}, ch.Rule)
			return
		}
		ok, boolean := isFigure(name)
		switch {
		case !ok:
			add(f+"."+key, Text{VI: "«%s» không phải là số liệu của báo cáo", EN: "%q is not a report figure (see ReportFigures)"}, name)
		case boolean != wantBool && wantBool:
			add(f+"."+key, Text{VI: "«%s» là số liệu đếm, không phải số liệu có/không", EN: "%q is a count, not a yes/no figure"}, name)
		case boolean != wantBool:
			add(f+"."+key, Text{VI: "«%s» là số liệu có/không, không phải số liệu đếm", EN: "%q is a yes/no figure, not a count"}, name)
		}
	}
	switch ch.Rule {
	case RuleAssessed:
		if ch.Figure != "" {
			add(f+".figure", Text{VI: "Điều kiện do Hội đồng đánh giá không kèm số liệu", EN: "an assessed check takes no figure"})
		}
	case RuleFact:
		needFigure(ch.Figure, "figure", true)
	case RuleMax:
		needFigure(ch.Figure, "figure", false)
		if ch.Max == nil {
			add(f+".max", Text{VI: "Điều kiện «không vượt quá» cần mức tối đa", EN: "required for rule max"})
		}
	case RuleMin:
		needFigure(ch.Figure, "figure", false)
		if ch.Min == nil {
			add(f+".min", Text{VI: "Điều kiện «ít nhất» cần mức tối thiểu", EN: "required for rule min"})
		}
	case RuleRate:
		needFigure(ch.Figure, "figure", false)
		needFigure(ch.Of, "of", false)
		if (ch.Min == nil) == (ch.Below == nil) {
			add(f, Text{VI: "Điều kiện tỷ lệ cần đúng một trong hai mức: tối thiểu hoặc dưới", EN: "a rate needs exactly one of min and below"})
		}
	case RuleBands:
		needFigure(ch.Figure, "figure", false)
		needFigure(ch.Of, "of", false)
		if len(ch.Bands) == 0 {
			add(f+".bands", Text{VI: "Cần ít nhất một khung điểm", EN: "at least one band is required"})
		}
		for i, b := range ch.Bands {
			if (b.Min == nil) == (b.Over == nil) {
				add(fmt.Sprintf("%s.bands[%d]", f, i), Text{VI: "Mỗi khung điểm cần đúng một trong hai mức: từ hoặc trên", EN: "a band needs exactly one of min and over"})
			}
		}
	case RuleReduced, RuleIncreased, RuleNotIncreased, RuleAtMostAverage:
		needFigure(ch.Figure, "figure", false)
		if ch.Exclude != "" {
			needFigure(ch.Exclude, "exclude", false)
		}
		if ch.Percent < 0 || ch.Percent > 100 {
			add(f+".percent", Text{VI: "Tỷ lệ %s%% không hợp lệ: phải từ 0 đến 100", EN: "%s: want 0–100"}, num(ch.Percent))
		}
	}
	return probs
}
