package cycle

import (
	"fmt"
	"math"
	"strings"
)

// EvalMethod is how a policy judges whether a commune is transformed
// (chuyển hóa đạt).
type EvalMethod string

// The evaluation methods of the seeds.
const (
	// MethodAllCriteria: every criterion that applies must be met (000
	// §II.3: "đủ 4/4 tiêu chí chung" and all criteria of each of the
	// commune's types).
	MethodAllCriteria EvalMethod = "all_criteria"
	// MethodIndicatorShare: at least SharePercent of the indicators met,
	// and every Required condition (002 §II.4: "đạt 80% các chỉ tiêu … trở
	// lên, trong đó giảm cơ bản tội phạm").
	MethodIndicatorShare EvalMethod = "indicator_share"
	// MethodScore: the points of the criteria met, per group capped at the
	// group's points; a commune failing a Required condition is not
	// considered (004: "Không xét mô hình … nếu …").
	MethodScore EvalMethod = "score"
)

// Evaluation is a policy's method of judging a commune at the end of its
// transformation year.
type Evaluation struct {
	Method       EvalMethod   `json:"method"`
	Clause       string       `json:"clause,omitempty"`        // the plan's words
	Criteria     []Criterion  `json:"criteria"`                // criteria, indicators or scored items
	Required     []Criterion  `json:"required,omitempty"`      // conditions that must hold whatever the share or score (002, 004)
	SharePercent float64      `json:"share_percent,omitempty"` // indicator_share: at least this % of Criteria met
	Groups       []ScoreGroup `json:"groups,omitempty"`        // score: the groups with their points
	PassScore    float64      `json:"pass_score,omitempty"`    // score: pass mark; 0 when the plan sets none
	// TwoTierArea is what an at_most_average check compares a commune of
	// a two-tier province with (see AreaFor); "" is same_kind.
	TwoTierArea TwoTierArea `json:"two_tier_area,omitempty"`
}

// ScoreGroup is a group of scored criteria (004: "Nhóm tiêu chí … (66 điểm)").
type ScoreGroup struct {
	ID     string  `json:"id"`
	Name   string  `json:"name"`
	Points float64 `json:"points"` // the group's points as the plan prints them; a group scores at most this
}

// Criterion is one criterion, indicator or scored item: met when every one
// of its Checks passes. A score criterion earns Points when met, or the
// points of its band.
type Criterion struct {
	ID     string      `json:"id"`
	Name   string      `json:"name"`             // the plan's words
	Types  []CrimeType `json:"types,omitempty"`  // all_criteria: applies to communes of these types only (empty: to all)
	Kinds  []string    `json:"kinds,omitempty"`  // applies to communes of these kinds only: xã, phường, thị trấn (empty: all)
	Group  string      `json:"group,omitempty"`  // score: the group's ID
	Number int         `json:"number,omitempty"` // score: the criterion's number in the plan's table
	Points float64     `json:"points,omitempty"`
	// OneOf: scored criteria sharing this key are alternatives (004
	// criterion 14: patrols twice a week, or more): only the best counts
	// towards the most a commune can score.
	OneOf  string       `json:"one_of,omitempty"` // score: points when met
	Checks []Comparison `json:"checks"`           // what is compared
	Note   string       `json:"note,omitempty"`   // how the file reads the plan, where it must choose
}

// ComparisonRule is the kind of a check; the catalogue is closed so that every
// policy's rules are pure functions tested here.
type ComparisonRule string

// The check rules.
const (
	RuleRate          ComparisonRule = "rate"            // figure / of ≥ min % (or < below %); passes when "of" is 0
	RuleMax           ComparisonRule = "max"             // figure ≤ max
	RuleMin           ComparisonRule = "min"             // figure ≥ min
	RuleFact          ComparisonRule = "fact"            // a yes/no figure is yes (or "want: false")
	RuleReduced       ComparisonRule = "reduced"         // figure fell by ≥ percent % against the baseline (percent 0: fell at all)
	RuleIncreased     ComparisonRule = "increased"       // figure above the baseline
	RuleNotIncreased  ComparisonRule = "not_increased"   // figure at most the baseline
	RuleAtMostAverage ComparisonRule = "at_most_average" // figure ≤ the area's average per commune
	RuleBands         ComparisonRule = "bands"           // score: points by the rate figure / of
	RuleAssessed      ComparisonRule = "assessed"        // a yes/no judgement recorded by the appraisers for this criterion
)

var comparisonRules = []ComparisonRule{RuleRate, RuleMax, RuleMin, RuleFact, RuleReduced, RuleIncreased, RuleNotIncreased, RuleAtMostAverage, RuleBands, RuleAssessed}

// Comparison is one comparison of a criterion.
type Comparison struct {
	Rule     ComparisonRule `json:"rule"`
	Figure   string         `json:"figure,omitempty"`    // a ReportFigures name
	Of       string         `json:"of,omitempty"`        // rate, bands: the denominator
	Min      *float64       `json:"min,omitempty"`       // rate: at least this %; min: at least this count
	Below    *float64       `json:"below,omitempty"`     // rate: under this %
	Max      *float64       `json:"max,omitempty"`       // max: at most this count
	Percent  float64        `json:"percent,omitempty"`   // reduced: by at least this %
	KeepZero bool           `json:"keep_zero,omitempty"` // reduced: none before and none now also passes ("nếu năm trước không xảy ra thì giữ vững")
	Exclude  string         `json:"exclude,omitempty"`   // reduced, at_most_average: subtract this figure first (cases found proactively)
	Want     *bool          `json:"want,omitempty"`      // fact: the answer wanted (default yes)
	Bands    []Band         `json:"bands,omitempty"`     // bands: from the lowest
}

// Band is one band of a graded item: the rate from Min (inclusive) or Over
// (exclusive) earns Points.
type Band struct {
	Min    *float64 `json:"min,omitempty"`
	Over   *float64 `json:"over,omitempty"`
	Points float64  `json:"points"`
}

// AreaAverage is the crimes against social order per commune of the area a
// commune is compared with: its district, or the province in a two-tier
// province (000 §II.3.b Loại 1: "tỷ lệ bình quân một địa bàn cấp xã thuộc
// huyện").
type AreaAverage struct {
	Name     string `json:"name"`
	Crimes   int    `json:"crimes"`
	Communes int    `json:"communes"`
	// Computed marks an average the product computed from the statistics
	// the secretariat holds (AreaFor), from Source (Vietnamese; SourceEN
	// in English); a report's typed one is checked against it.
	Computed bool   `json:"computed,omitempty"`
	Source   string `json:"source,omitempty"`
	SourceEN string `json:"source_en,omitempty"`
	// NotCompared: the policy sets no comparator (a two-tier province
	// with evaluation.two_tier_area none); the check is not made.
	NotCompared bool `json:"not_compared,omitempty"`
}

// CommuneReport is what one commune is evaluated on: its types, its
// figures for the period, the baseline period's figures (before the
// transformation, or the year before), the area average and the
// appraisers' judgements on criteria that are not counted (by criterion ID).
type CommuneReport struct {
	Commune     string          `json:"commune"`
	Name        string          `json:"name"`
	Kind        CommuneKind     `json:"kind,omitempty"`
	Types       Types           `json:"types,omitempty"`
	Figures     ReportFigures   `json:"figures"`
	Baseline    ReportFigures   `json:"baseline"`
	Area        *AreaAverage    `json:"area_average,omitempty"`
	Assessments map[string]bool `json:"assessments,omitempty"`
}

// Outcome is the result of an evaluation.
type Outcome string

// The outcomes.
const (
	OutcomePass   Outcome = "pass"   // transformed (đạt)
	OutcomeFail   Outcome = "fail"   // not transformed (chưa đạt)
	OutcomeScored Outcome = "scored" // scored, but the plan sets no pass mark: for the council
)

// CriterionResult is the verdict on one criterion, with the figures compared.
type CriterionResult struct {
	ID        string  `json:"id"`
	Name      string  `json:"name"`
	Group     string  `json:"group,omitempty"`
	Required  bool    `json:"required,omitempty"`
	Passed    bool    `json:"passed"`
	Points    float64 `json:"points,omitempty"`
	MaxPoints float64 `json:"max_points,omitempty"`
	Detail    string  `json:"detail"`
	// Text is Detail in Vietnamese, from the message catalogue: the
	// figures by their labels, numbers written the Vietnamese way, e.g.
	// "Tỷ lệ điều tra, khám phá tội phạm 75% (15/20), yêu cầu từ 80%".
	// Officers' pages and documents show it; Detail is for logs and the CLI.
	Text string `json:"text,omitempty"`
	// Unmet is the Vietnamese text of the checks that failed only (empty
	// when the criterion is met): what a notice prints after the
	// criterion's description.
	Unmet string `json:"unmet,omitempty"`
	// Skipped: an alternative of the same one_of set is met and counts
	// instead (004 criterion 14: more than 2 patrols a week, not exactly 2).
	Skipped bool `json:"skipped,omitempty"`
}

// Verdict is the evaluation of one commune under a policy.
type Verdict struct {
	Commune string     `json:"commune"`
	Name    string     `json:"name"`
	Types   Types      `json:"types,omitempty"`
	Policy  string     `json:"policy"`
	Method  EvalMethod `json:"method"`
	Outcome Outcome    `json:"outcome"`
	Summary string     `json:"summary"`
	// Text is Summary in Vietnamese, from the message catalogue.
	Text     string            `json:"text,omitempty"`
	Met      int               `json:"met"`                 // criteria met (Required not counted)
	Counted  int               `json:"counted"`             // criteria that apply
	Score    float64           `json:"score,omitempty"`     // score method
	MaxScore float64           `json:"max_score,omitempty"` // score method: the most a commune of this kind can score
	Results  []CriterionResult `json:"results"`             // Required first, then criteria in the policy's order
}

// Passed reports whether the commune is transformed.
func (v Verdict) Passed() bool { return v.Outcome == OutcomePass }

// Failed returns the results that did not pass (alternatives skipped
// because another one is met are not failures).
func (v Verdict) Failed() []CriterionResult {
	var out []CriterionResult
	for _, r := range v.Results {
		if !r.Passed && !r.Skipped {
			out = append(out, r)
		}
	}
	return out
}

// Evaluate judges one commune's report under the policy's evaluation
// method, with a reason per criterion. It does not fail: a policy without
// an evaluation method yields an EINVALID error.
func Evaluate(pol Policy, r CommuneReport) (Verdict, error) {
	ev := pol.Evaluation
	if ev == nil {
		return Verdict{}, Errorf(EINVALID, "policy %s sets no evaluation method", pol.ID)
	}
	v := Verdict{Commune: r.Commune, Name: r.Name, Types: r.Types, Policy: pol.ID, Method: ev.Method}
	requiredOK := true
	for _, c := range ev.Required {
		if !c.applies(r) {
			continue
		}
		res := c.judge(r)
		res.Required = true
		requiredOK = requiredOK && res.Passed
		v.Results = append(v.Results, res)
	}
	groupScore := map[string]float64{}
	groupMax := map[string]float64{}
	altMax := map[string]float64{} // best max points of each set of alternatives
	for _, c := range ev.Criteria {
		if !c.applies(r) {
			continue
		}
		res := c.judge(r)
		v.Counted++
		if res.Passed {
			v.Met++
		}
		if ev.Method == MethodScore {
			groupScore[c.Group] += res.Points
			if c.OneOf == "" {
				groupMax[c.Group] += res.MaxPoints
			} else if res.MaxPoints > altMax[c.OneOf] {
				groupMax[c.Group] += res.MaxPoints - altMax[c.OneOf]
				altMax[c.OneOf] = res.MaxPoints
			}
		}
		v.Results = append(v.Results, res)
	}
	// Alternatives: when one of a one_of set is met, the others are skipped.
	metAlt := map[string]bool{}
	altOf := map[string]string{}
	for _, c := range ev.Criteria {
		altOf[c.ID] = c.OneOf
	}
	for _, res := range v.Results {
		if k := altOf[res.ID]; k != "" && res.Passed && !res.Required {
			metAlt[k] = true
		}
	}
	for i := range v.Results {
		res := &v.Results[i]
		if k := altOf[res.ID]; k != "" && !res.Passed && !res.Required && metAlt[k] {
			res.Skipped = true
			v.Counted--
		}
	}
	var failed []string
	for _, res := range v.Results {
		if !res.Passed && !res.Skipped {
			failed = append(failed, res.ID)
		}
	}
	switch ev.Method {
	case MethodAllCriteria:
		v.Outcome = OutcomeFail
		if requiredOK && v.Met == v.Counted {
			v.Outcome = OutcomePass
		}
		if len(r.Types) == 0 {
			v.Outcome = OutcomeFail
			v.Summary = "no type (Loại) given: the criteria of the commune's types cannot be judged"
			v.Text = Say(Vietnamese, "verdict.no_type")
			break
		}
		v.Summary = fmt.Sprintf("%d of %d criteria met (general and Loại %s)", v.Met, v.Counted, r.Types)
		v.Text = Say(Vietnamese, "verdict.all", Int(v.Met), Int(v.Counted), r.Types.String())
	case MethodIndicatorShare:
		share := 0.0
		if v.Counted > 0 {
			share = 100 * float64(v.Met) / float64(v.Counted)
		}
		ok := v.Counted > 0 && float64(v.Met)*100 >= ev.SharePercent*float64(v.Counted)
		v.Outcome = OutcomeFail
		if ok && requiredOK {
			v.Outcome = OutcomePass
		}
		cmp := "≥"
		if !ok {
			cmp = "<"
		}
		v.Summary = fmt.Sprintf("%d of %d indicators met: %s%% %s %s%%", v.Met, v.Counted, num(share), cmp, num(ev.SharePercent))
		code := "verdict.share_met"
		if !ok {
			code = "verdict.share_unmet"
		}
		v.Text = Say(Vietnamese, code, Int(v.Met), Int(v.Counted), Pct(share), Pct(ev.SharePercent))
		if !requiredOK {
			v.Summary += "; a required condition fails"
			v.Text += "; " + Say(Vietnamese, "verdict.required")
		}
	case MethodScore:
		for _, g := range ev.Groups {
			v.Score += math.Min(groupScore[g.ID], g.Points)
			v.MaxScore += math.Min(groupMax[g.ID], g.Points)
		}
		v.Score = math.Round(v.Score*100) / 100
		switch {
		case !requiredOK:
			v.Outcome = OutcomeFail
			v.Summary = fmt.Sprintf("not considered (không xét): a disqualifying condition holds; %s of %s points", num(v.Score), num(v.MaxScore))
			v.Text = Say(Vietnamese, "verdict.excluded", points(v.Score), points(v.MaxScore))
		case ev.PassScore == 0:
			v.Outcome = OutcomeScored
			v.Summary = fmt.Sprintf("%s of %s points; the plan sets no pass mark: for the council", num(v.Score), num(v.MaxScore))
			v.Text = Say(Vietnamese, "verdict.scored", points(v.Score), points(v.MaxScore))
		case v.Score >= ev.PassScore:
			v.Outcome = OutcomePass
			v.Summary = fmt.Sprintf("%s points ≥ pass mark %s", num(v.Score), num(ev.PassScore))
			v.Text = Say(Vietnamese, "verdict.score_met", points(v.Score), points(ev.PassScore))
		default:
			v.Outcome = OutcomeFail
			v.Summary = fmt.Sprintf("%s points < pass mark %s", num(v.Score), num(ev.PassScore))
			v.Text = Say(Vietnamese, "verdict.score_unmet", points(v.Score), points(ev.PassScore))
		}
	}
	if len(failed) > 0 {
		v.Summary += "; not met: " + strings.Join(failed, ", ")
		v.Text += "; " + Say(Vietnamese, "verdict.failed_count", criteriaCount(len(failed)))
	}
	return v, nil
}

// applies reports whether the criterion applies to the commune: one of its
// types, and one of its kinds.
func (c Criterion) applies(r CommuneReport) bool {
	if len(c.Types) > 0 {
		ok := false
		for _, t := range c.Types {
			ok = ok || r.Types.Has(t)
		}
		if !ok {
			return false
		}
	}
	if len(c.Kinds) > 0 {
		ok := false
		for _, k := range c.Kinds {
			ok = ok || CommuneKind(k) == r.Kind
		}
		if !ok {
			return false
		}
	}
	return true
}

// judge runs every check of the criterion.
func (c Criterion) judge(r CommuneReport) CriterionResult {
	res := CriterionResult{ID: c.ID, Name: c.Name, Group: c.Group, Passed: true, MaxPoints: c.maxPoints()}
	var details, texts, unmet []string
	banded := -1.0
	for _, ch := range c.Checks {
		ok, detail, text, pts := ch.run(c.ID, r)
		details = append(details, detail)
		texts = append(texts, text)
		if !ok {
			unmet = append(unmet, text)
		}
		res.Passed = res.Passed && ok
		if ch.Rule == RuleBands {
			banded = pts
		}
	}
	if res.Passed {
		res.Points = c.Points
		if banded >= 0 {
			res.Points = banded
		}
	}
	res.Detail = strings.Join(details, "; ")
	res.Text = joinClauses(texts)
	res.Unmet = joinClauses(unmet)
	return res
}

func (c Criterion) maxPoints() float64 {
	for _, ch := range c.Checks {
		if ch.Rule == RuleBands {
			m := 0.0
			for _, b := range ch.Bands {
				m = math.Max(m, b.Points)
			}
			return m
		}
	}
	return c.Points
}

// EvaluateReport evaluates a commune on a report under the policy. A
// policy that sets no evaluation method yields a "scored" verdict: the
// council decides.
func EvaluateReport(pol Policy, c CommuneInProgramme, rep TransformationReport) (Verdict, error) {
	if pol.Evaluation == nil {
		return Verdict{Commune: c.Commune, Name: c.Name, Types: c.Types, Policy: pol.ID, Outcome: OutcomeScored,
			Summary: "policy " + pol.ID + " sets no evaluation method: the council decides", Text: Say(Vietnamese, "verdict.no_method")}, nil
	}
	return Evaluate(pol, CommuneReport{
		Commune: c.Commune, Name: c.Name, Kind: c.Kind, Types: c.Types,
		Figures: rep.Figures, Baseline: rep.Baseline, Area: rep.Area,
	})
}
