package cycle

import (
	"fmt"
	"sort"
	"strings"
)

// Check is the outcome of one selection rule for one commune.
type Check struct {
	Rule   string `json:"rule"`
	Passed bool   `json:"passed"`
	Detail string `json:"detail"` // the figures compared
	// Text is Detail in Vietnamese, from the message catalogue, for
	// officers' pages and documents.
	Text string `json:"text,omitempty"`
}

// Candidate is a proposed commune with the verdict of every selection rule.
type Candidate struct {
	Commune      string  `json:"commune"`
	Name         string  `json:"name"`
	District     string  `json:"district,omitempty"`
	DistrictName string  `json:"district_name,omitempty"`
	Types        Types   `json:"types"`
	Figures      Figures `json:"figures"`
	Reason       string  `json:"reason,omitempty"`
	Checks       []Check `json:"checks"`
	Eligible     bool    `json:"eligible"` // every rule but the cap passed
	Rank         int     `json:"rank"`     // 1-based rank among eligible candidates; 0 if not eligible
	Selected     bool    `json:"selected"` // eligible and within the cap
}

// FailedChecks returns the checks that did not pass.
func (c Candidate) FailedChecks() []Check {
	var out []Check
	for _, ch := range c.Checks {
		if !ch.Passed {
			out = append(out, ch)
		}
	}
	return out
}

// UnitAverage is the average per commune of crimes against social order in one unit.
type UnitAverage struct {
	Unit     string  `json:"unit"`
	Crimes   int     `json:"crimes"`
	Communes int     `json:"communes"`
	Average  float64 `json:"average"`
}

// SelectionResult is the province-wide application of the selection rules
// to all proposals received.
type SelectionResult struct {
	ProvinceCrimes   int           `json:"province_crimes"`
	ReportedCommunes int           `json:"reported_communes"` // communes with figures
	TotalCommunes    int           `json:"total_communes"`    // communes in the registry
	ProvinceAverage  float64       `json:"province_average"`
	Averages         []UnitAverage `json:"averages"`
	Cap              int           `json:"cap"`               // province-wide cap, or the sum of district caps
	Missing          []string      `json:"missing,omitempty"` // units that did not submit
	Candidates       []Candidate   `json:"candidates"`        // selected first, then eligible by rank, then ineligible by code
	// SecondYear are the communes carrying out the year as their second
	// (Programme.SecondYear); when the policy counts them against the cap
	// (Selection.SecondYearCountsAgainstCap) the new communes fill the
	// places they leave.
	SecondYear []ProgrammeEntry `json:"second_year,omitempty"`
	// SecondYearCounted is whether SecondYear took places of the cap.
	SecondYearCounted bool `json:"second_year_counted,omitempty"`
}

// Selected returns the selected candidates, in rank order.
func (r SelectionResult) Selected() []Candidate {
	var out []Candidate
	for _, c := range r.Candidates {
		if c.Selected {
			out = append(out, c)
		}
	}
	return out
}

// EligibleCount is the number of candidates that pass every rule but the cap.
func (r SelectionResult) EligibleCount() int {
	n := 0
	for _, c := range r.Candidates {
		if c.Eligible {
			n++
		}
	}
	return n
}

// Rule identifiers of the selection checks.
const (
	RuleNewRural        = "selection.new_rural"
	RuleProvinceAverage = "selection.province_average"
	RuleDistrictAverage = "selection.district_average"
	RuleCap             = "selection.cap"
	RuleTypeUnsupported = "selection.type_unsupported"
)

// Select applies the selection rules of the policy to the proposals of a
// cycle (seed 000 §II.1.a): a commune is eligible when it is not a new-rural
// commune, each of its types is backed by cases, and its crimes against
// social order are above both the province's and its district's average per
// commune; eligible communes are ranked — complex in more crime types first,
// then by crimes against social order, then by code — and at most CapPercent
// of the province's communes (or of each district's) are selected.
//
// The province average is taken over every commune with figures in the
// proposals; units that did not submit are listed in Missing. Proposals are
// expected to have passed ValidateProposal; Select does not fail.
func Select(prov Province, pol Policy, proposals []Proposal) SelectionResult {
	return SelectIn(prov, pol, proposals, nil)
}

// SelectIn is Select with the clean lists: a commune the programme bars
// (Programme.Bar) fails a check of its own and is not eligible, and the
// programme's second-year communes take places of the cap when the policy
// counts them (Selection.SecondYearCountsAgainstCap). A nil programme
// (cycles started before the clean lists) is Select.
func SelectIn(prov Province, pol Policy, proposals []Proposal, prog *Programme) SelectionResult {
	res := SelectionResult{TotalCommunes: len(prov.Communes)}
	if prog != nil {
		res.SecondYear = prog.SecondYear()
		res.SecondYearCounted = pol.Selection.SecondYearCountsAgainstCap && len(res.SecondYear) > 0
	}
	var prv average
	unitAvg := map[string]*average{}
	figures := map[string]Figures{}
	submitted := map[string]bool{}
	for _, p := range proposals {
		submitted[p.Unit] = true
		for _, s := range p.Statistics {
			c, ok := prov.Commune(s.Commune)
			if !ok {
				continue
			}
			figures[c.Code] = s.Figures
			prv.crimes += s.SocialOrderCrimes
			prv.communes++
			u := unitOf(prov, c)
			if unitAvg[u] == nil {
				unitAvg[u] = &average{}
			}
			unitAvg[u].crimes += s.SocialOrderCrimes
			unitAvg[u].communes++
		}
	}
	res.ProvinceCrimes, res.ReportedCommunes, res.ProvinceAverage = prv.crimes, prv.communes, prv.value()
	for _, u := range prov.Units() {
		if !submitted[u] {
			res.Missing = append(res.Missing, u)
		}
		if a := unitAvg[u]; a != nil && !prov.TwoTier() {
			res.Averages = append(res.Averages, UnitAverage{Unit: u, Crimes: a.crimes, Communes: a.communes, Average: a.value()})
		}
	}

	for _, p := range proposals {
		for _, pc := range p.Proposed {
			c, ok := prov.Commune(pc.Commune)
			if !ok {
				continue
			}
			fig := figures[c.Code]
			cand := Candidate{Commune: c.Code, Name: c.Name, District: c.District, Types: append(Types(nil), pc.Types...), Figures: fig, Reason: pc.Reason}
			if d, ok := prov.District(c.District); ok {
				cand.DistrictName = d.Name
			}
			if prog != nil {
				ch := Check{Rule: RuleInProgramme, Passed: true, Detail: Say(English, "selection.check.programme_clear"), Text: Say(Vietnamese, "selection.check.programme_clear")}
				if e, rule, barred := prog.Bar(pol, c.Code); barred {
					p := barProblem(pol, prog.Year, e, rule)
					ch = Check{Rule: rule, Passed: false, Detail: p.Message, Text: p.Text}
				}
				cand.Checks = append(cand.Checks, ch)
			}
			if pol.Selection.ExcludeNewRural {
				ch := Check{Rule: RuleNewRural, Passed: !c.NewRural, Detail: "not a new-rural commune", Text: Say(Vietnamese, "selection.check.not_new_rural")}
				if c.NewRural {
					ch.Detail = "recognised as meeting the new-rural standard (nông thôn mới)"
					ch.Text = Say(Vietnamese, "selection.check.new_rural")
				}
				cand.Checks = append(cand.Checks, ch)
			}
			var unsupported, unsupportedVI []string
			for _, t := range pc.Types {
				if fig.casesOf(t) == 0 {
					unsupported = append(unsupported, fmt.Sprintf("Loại %d with 0 %s", int(t), categoryName[t]))
					unsupportedVI = append(unsupportedVI, Say(Vietnamese, "selection.check.type_empty", int(t), t.Description(), categoryNameVI[t]))
				}
			}
			typeCheck := Check{Rule: RuleTypeUnsupported, Passed: len(unsupported) == 0 && len(pc.Types) > 0, Detail: "Loại " + cand.Types.String() + " backed by cases",
				Text: Say(Vietnamese, "selection.check.types", cand.Types.String())}
			if len(unsupported) > 0 {
				typeCheck.Detail = strings.Join(unsupported, "; ")
				typeCheck.Text = joinClauses(unsupportedVI)
			} else if len(pc.Types) == 0 {
				typeCheck.Detail = "no type given"
				typeCheck.Text = Say(Vietnamese, "selection.check.no_type")
			}
			cand.Checks = append(cand.Checks, typeCheck)
			if pol.Selection.AboveProvinceAverage {
				cand.Checks = append(cand.Checks, averageCheck(RuleProvinceAverage, fig.SocialOrderCrimes, prv, prov.Name))
			}
			if pol.Selection.AboveDistrictAverage && !prov.TwoTier() {
				a := unitAvg[c.District]
				if a == nil {
					a = &average{}
				}
				cand.Checks = append(cand.Checks, averageCheck(RuleDistrictAverage, fig.SocialOrderCrimes, *a, cand.DistrictName))
			}
			cand.Eligible = len(cand.FailedChecks()) == 0
			res.Candidates = append(res.Candidates, cand)
		}
	}

	rankCandidates(res.Candidates)
	res.Cap = applyCap(prov, pol, res.Candidates, nil, res.reserved(prov, pol))
	return res
}

// reserved is the places of the cap the second-year communes take, by cap
// scope ("" for the province, a district's code for a district cap), when
// the policy counts them.
func (r SelectionResult) reserved(prov Province, pol Policy) map[string]int {
	if !r.SecondYearCounted {
		return nil
	}
	out := map[string]int{}
	for _, e := range r.SecondYear {
		key := ""
		if c, ok := prov.Commune(e.Commune); ok && pol.Selection.CapScope == CapDistrict && !prov.TwoTier() {
			key = c.District
		}
		out[key]++
	}
	return out
}

func unitOf(p Province, c Commune) string {
	if p.TwoTier() {
		return c.Code
	}
	return c.District
}

func averageCheck(rule string, crimes int, a average, where string) Check {
	args := []any{Int(crimes), where, Dec(a.value()), Int(a.crimes), Int(a.communes)}
	if a.above(crimes) {
		return Check{Rule: rule, Passed: true, Detail: fmt.Sprintf("%d crimes against social order > average per commune of %s %s", crimes, where, a),
			Text: Say(Vietnamese, "selection.check.above", args...)}
	}
	return Check{Rule: rule, Passed: false, Detail: fmt.Sprintf("%d crimes against social order ≤ average per commune of %s %s", crimes, where, a),
		Text: Say(Vietnamese, "selection.check.not_above", args...)}
}

// rankCandidates orders eligible candidates by priority — more types first
// (seed 000: "tập trung lựa chọn địa bàn … phức tạp về nhiều loại tội
// phạm"), then more crimes against social order, then code — and puts
// ineligible ones after them by code. It sets Rank.
func rankCandidates(cs []Candidate) {
	sort.SliceStable(cs, func(i, j int) bool {
		a, b := cs[i], cs[j]
		if a.Eligible != b.Eligible {
			return a.Eligible
		}
		if a.Eligible {
			if len(a.Types) != len(b.Types) {
				return len(a.Types) > len(b.Types)
			}
			if a.Figures.SocialOrderCrimes != b.Figures.SocialOrderCrimes {
				return a.Figures.SocialOrderCrimes > b.Figures.SocialOrderCrimes
			}
		}
		return a.Commune < b.Commune
	})
	rank := 0
	for i := range cs {
		cs[i].Rank = 0
		if cs[i].Eligible {
			rank++
			cs[i].Rank = rank
		}
	}
}

// CapFor returns the cap of the policy: for a province-wide cap the number
// of communes that may be selected, for a district cap the cap of the
// district given. The percentage rounds down ("không vượt quá 15%"), but
// never below the policy's CapMinimum for a scope that has communes: seed
// 002 caps each district at 15% while running in every district, and 15%
// of a district of fewer than 7 communes rounds down to 0, which would bar
// it outright; its policy file sets cap_minimum 1.
func CapFor(prov Province, pol Policy, district string) int {
	n := len(prov.Communes)
	if pol.Selection.CapScope == CapDistrict && !prov.TwoTier() {
		n = len(prov.CommunesOf(district))
	}
	c := n * pol.Selection.CapPercent / 100
	if c < pol.Selection.CapMinimum && n > 0 {
		c = min(pol.Selection.CapMinimum, n)
	}
	return c
}

// applyCap marks, in order, the eligible candidates for which drop is not
// true as selected until the cap, less the places reserved for second-year
// communes in the scope, is reached, and adds a cap check to each eligible
// one. It returns the province-wide cap (or the sum of the district caps).
func applyCap(prov Province, pol Policy, cs []Candidate, drop map[string]bool, reserved map[string]int) int {
	used := map[string]int{}
	total := CapFor(prov, pol, "")
	if pol.Selection.CapScope == CapDistrict && !prov.TwoTier() {
		total = 0
		for _, d := range prov.Districts {
			total += CapFor(prov, pol, d.Code)
		}
	}
	for i := range cs {
		c := &cs[i]
		c.Selected = false
		c.Checks = removeCheck(c.Checks, RuleCap)
		if !c.Eligible || drop[c.Commune] {
			continue
		}
		scope, limit := "the province", CapFor(prov, pol, "")
		key, where := "", scopeText("")
		if pol.Selection.CapScope == CapDistrict && !prov.TwoTier() {
			scope, limit, key = c.DistrictName, CapFor(prov, pol, c.District), c.District
			where = scopeText(c.DistrictName)
		}
		var afterEN, afterVI string
		if n := reserved[key]; n > 0 {
			afterEN = Say(English, "selection.check.second_year_places", Int(n))
			afterVI = Say(Vietnamese, "selection.check.second_year_places", Int(n))
			limit = max(limit-n, 0)
		}
		if used[key] < limit {
			used[key]++
			c.Selected = true
			c.Checks = append(c.Checks, Check{Rule: RuleCap, Passed: true, Detail: fmt.Sprintf("place %d of at most %d (%d%% of the communes of %s)%s", used[key], limit, pol.Selection.CapPercent, scope, afterEN),
				Text: Say(Vietnamese, "selection.check.in_cap", Int(used[key]), Int(limit), Pct(float64(pol.Selection.CapPercent)), where) + afterVI})
		} else {
			c.Checks = append(c.Checks, Check{Rule: RuleCap, Passed: false, Detail: fmt.Sprintf("rank %d is beyond the cap of %d (%d%% of the communes of %s)%s", c.Rank, limit, pol.Selection.CapPercent, scope, afterEN),
				Text: Say(Vietnamese, "selection.check.over_cap", Int(c.Rank), Int(limit), Pct(float64(pol.Selection.CapPercent)), where) + afterVI})
		}
	}
	return total
}

func removeCheck(cs []Check, rule string) []Check {
	out := cs[:0]
	for _, c := range cs {
		if c.Rule != rule {
			out = append(out, c)
		}
	}
	return out
}
