package cycle

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// CrimeType is the type (Loại) a selected commune is classified into (seed 000 §II.1.b).
type CrimeType int

// The four types.
const (
	TypeSocialOrder CrimeType = 1 // Loại 1: crimes against social order and social evils
	TypeEconomic    CrimeType = 2 // Loại 2: economic-management crimes and violations
	TypeEnvironment CrimeType = 3 // Loại 3: environment, natural resources, food safety
	TypeDrugs       CrimeType = 4 // Loại 4: drug crimes and drug abuse
)

// Valid reports whether t is one of the four types.
func (t CrimeType) Valid() bool { return t >= TypeSocialOrder && t <= TypeDrugs }

// Description is the type's name as the plans write it.
func (t CrimeType) Description() string {
	switch t {
	case TypeSocialOrder:
		return "tội phạm xâm phạm trật tự xã hội và tệ nạn xã hội"
	case TypeEconomic:
		return "tội phạm và vi phạm pháp luật về trật tự quản lý kinh tế"
	case TypeEnvironment:
		return "tội phạm và vi phạm pháp luật về môi trường, tài nguyên, an toàn thực phẩm"
	case TypeDrugs:
		return "tội phạm và tệ nạn ma túy"
	}
	return "loại không xác định"
}

// Types is a commune's set of types, kept sorted.
type Types []CrimeType

// String is "1, 3, 4".
func (ts Types) String() string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = strconv.Itoa(int(t))
	}
	return strings.Join(parts, ", ")
}

// Has reports whether t is among ts.
func (ts Types) Has(t CrimeType) bool {
	for _, x := range ts {
		if x == t {
			return true
		}
	}
	return false
}

// Figures are one commune's statistics over the reference period (the
// twelve months before the proposal: 15/12 of Y−2 to 14/12 of Y−1).
type Figures struct {
	SocialOrderCrimes int `json:"social_order_crimes"` // số vụ phạm tội xâm phạm trật tự xã hội
	EconomicCases     int `json:"economic_cases"`      // crimes and violations of economic management (Loại 2)
	EnvironmentCases  int `json:"environment_cases"`   // environment, resources, food safety (Loại 3)
	DrugCases         int `json:"drug_cases"`          // drug crimes (Loại 4)
}

// casesOf is the count of the crime category behind type t.
func (f Figures) casesOf(t CrimeType) int {
	switch t {
	case TypeSocialOrder:
		return f.SocialOrderCrimes
	case TypeEconomic:
		return f.EconomicCases
	case TypeEnvironment:
		return f.EnvironmentCases
	case TypeDrugs:
		return f.DrugCases
	}
	return 0
}

var categoryName = map[CrimeType]string{
	TypeSocialOrder: "crimes against social order",
	TypeEconomic:    "economic cases",
	TypeEnvironment: "environment cases",
	TypeDrugs:       "drug cases",
}

// categoryNameVI is the cases behind each type, as the Vietnamese texts name them.
var categoryNameVI = map[CrimeType]string{
	TypeSocialOrder: "vụ phạm tội về trật tự xã hội",
	TypeEconomic:    "vụ vi phạm về trật tự quản lý kinh tế",
	TypeEnvironment: "vụ vi phạm về môi trường, tài nguyên, an toàn thực phẩm",
	TypeDrugs:       "vụ phạm tội về ma túy",
}

// MaxFigure bounds every figure of a commune: far above any real commune's
// yearly count, and low enough that province sums cannot overflow.
const MaxFigure = 100000

// CommuneFigures are the figures of one commune in a proposal.
type CommuneFigures struct {
	Commune string `json:"commune"` // commune code
	Figures
}

// ProposedCommune is a commune a unit proposes for transformation.
type ProposedCommune struct {
	Commune string `json:"commune"`          // commune code
	Types   Types  `json:"types"`            // one or more of 1–4
	Reason  string `json:"reason,omitempty"` // the unit's assessment
}

// Proposal is one unit's proposal (đề xuất) for the cycle: the figures of
// every commune of the unit, so that averages can be computed, and the
// communes it proposes with their types. A unit is a district, or a commune
// in a two-tier province.
type Proposal struct {
	Unit       string            `json:"unit"`
	Statistics []CommuneFigures  `json:"statistics"`
	Proposed   []ProposedCommune `json:"proposed"`
	Note       string            `json:"note,omitempty"`
}

// Normalize cleans the proposal's text and sorts each commune's types, so
// that equal proposals compare equal.
func (p *Proposal) Normalize() {
	p.Unit = Clean(p.Unit)
	p.Note = Clean(p.Note)
	for i := range p.Statistics {
		p.Statistics[i].Commune = Clean(p.Statistics[i].Commune)
	}
	for i := range p.Proposed {
		pc := &p.Proposed[i]
		pc.Commune = Clean(pc.Commune)
		pc.Reason = Clean(pc.Reason)
		sort.Slice(pc.Types, func(a, b int) bool { return pc.Types[a] < pc.Types[b] })
	}
}

// average is crimes against social order per commune over the figures given.
type average struct {
	crimes, communes int
}

func (a average) value() float64 {
	if a.communes == 0 {
		return 0
	}
	return float64(a.crimes) / float64(a.communes)
}

func (a average) String() string {
	return fmt.Sprintf("%.2f (%d crimes / %d communes)", a.value(), a.crimes, a.communes)
}

// Say is the average in a language: "4,14 (29 vụ / 7 xã)".
func (a average) Say(lang Lang) string {
	if lang == English {
		return a.String()
	}
	return Dec(a.value()).Say(lang) + " (" + formatInt(lang, a.crimes) + " vụ / " + formatInt(lang, a.communes) + " xã)"
}

// above reports whether n is strictly above the average, in exact integer
// arithmetic: n > crimes/communes  ⇔  n·communes > crimes.
func (a average) above(n int) bool { return a.communes > 0 && n*a.communes > a.crimes }

// ValidateProposal checks a proposal against the registry and the rules a
// unit can check on its own (seed 000 §II.1.a): every figure belongs to a
// commune of the unit and every commune of the unit has figures; each
// proposed commune is known, proposed once, has one or more valid types each
// backed by cases of its category, is not a new-rural commune, and has more
// crimes against social order than the unit's average per commune. The
// error is EINVALID and lists every problem, naming the commune, the rule
// and the figures; nil means the proposal can be accepted whole.
func ValidateProposal(prov Province, pol Policy, prop Proposal) error {
	var probs []Problem
	add := func(field string, c Commune, rule string, args ...any) {
		p := NewProblem(rule, args...)
		p.Field = field
		if c.Code != "" {
			p.Commune = c.Label()
		}
		probs = append(probs, p)
	}
	inUnit := func(c Commune) bool {
		if prov.TwoTier() {
			return c.Code == prop.Unit
		}
		return c.District == prop.Unit
	}
	if _, ok := prov.District(prop.Unit); !ok {
		if _, isCommune := prov.Commune(prop.Unit); !(prov.TwoTier() && isCommune) {
			add("unit", Commune{}, "registry.unknown_unit", prop.Unit, unitKind(prov), prov.Name)
			return invalidProposal(prov, prop, probs)
		}
	}
	unitName := prov.UnitName(prop.Unit)

	figures := map[string]Figures{}
	var avg average
	for i, s := range prop.Statistics {
		f := fmt.Sprintf("statistics[%d]", i)
		c, ok := prov.Commune(s.Commune)
		switch {
		case !ok:
			add(f, Commune{}, "registry.unknown_commune", s.Commune, prov.Name)
			continue
		case !inUnit(c):
			add(f, c, "registry.wrong_unit", prov.UnitName(unitOf(prov, c)), unitName)
			continue
		}
		if _, dup := figures[c.Code]; dup {
			add(f, c, "statistics.duplicate")
			continue
		}
		if s.SocialOrderCrimes < 0 || s.EconomicCases < 0 || s.EnvironmentCases < 0 || s.DrugCases < 0 {
			add(f, c, "statistics.negative")
		}
		if s.SocialOrderCrimes > MaxFigure || s.EconomicCases > MaxFigure || s.EnvironmentCases > MaxFigure || s.DrugCases > MaxFigure {
			add(f, c, "statistics.implausible", Int(MaxFigure))
		}
		figures[c.Code] = s.Figures
		avg.crimes += s.SocialOrderCrimes
		avg.communes++
	}
	for _, c := range prov.Communes {
		if inUnit(c) {
			if _, ok := figures[c.Code]; !ok {
				add("statistics", c, "statistics.missing", unitName)
			}
		}
	}

	seen := map[string]bool{}
	for i, pc := range prop.Proposed {
		f := fmt.Sprintf("proposed[%d]", i)
		c, ok := prov.Commune(pc.Commune)
		switch {
		case !ok:
			add(f, Commune{}, "registry.unknown_commune", pc.Commune, prov.Name)
			continue
		case !inUnit(c):
			add(f, c, "registry.wrong_unit", prov.UnitName(unitOf(prov, c)), unitName)
			continue
		case seen[c.Code]:
			add(f, c, "proposal.duplicate")
			continue
		}
		seen[c.Code] = true
		if n := len([]rune(pc.Reason)); n > MaxReasonChars {
			add(f+".reason", c, "text.too_long", wordReason, Int(n), Int(MaxReasonChars))
		}
		if len(pc.Types) == 0 {
			add(f+".types", c, "proposal.types")
		}
		typeSeen := map[CrimeType]bool{}
		for _, t := range pc.Types {
			if !t.Valid() {
				problem := NewProblem("proposal.type_unknown", int(t))
				problem.Rule, problem.Field, problem.Commune = "proposal.types", f+".types", c.Label()
				probs = append(probs, problem)
				continue
			}
			if typeSeen[t] {
				problem := NewProblem("proposal.type_twice", int(t))
				problem.Rule, problem.Field, problem.Commune = "proposal.types", f+".types", c.Label()
				probs = append(probs, problem)
			}
			typeSeen[t] = true
		}
		if pol.Selection.ExcludeNewRural && c.NewRural {
			add(f, c, "selection.new_rural")
		}
		fig, ok := figures[c.Code]
		if !ok {
			continue // reported as missing above
		}
		for _, t := range pc.Types {
			if t.Valid() && fig.casesOf(t) == 0 {
				add(f+".types", c, "selection.type_unsupported", int(t), Word{VI: t.Description(), EN: t.Description()}, categoryWord[t])
			}
		}
		if pol.Selection.AboveDistrictAverage && !prov.TwoTier() && !avg.above(fig.SocialOrderCrimes) {
			add(f, c, "selection.district_average", fig.SocialOrderCrimes, unitName, avg)
		}
	}
	if n := len([]rune(prop.Note)); n > MaxNoteChars {
		add("note", Commune{}, "text.too_long", wordNote, Int(n), Int(MaxNoteChars))
	}
	return invalidProposal(prov, prop, probs)
}

// invalidProposal is the refusal of a unit's proposal listing problems,
// or nil.
func invalidProposal(prov Province, prop Proposal, probs []Problem) error {
	if len(probs) == 0 {
		return nil
	}
	name := prov.UnitName(prop.Unit)
	return &Error{Code: EINVALID, Message: Say(English, "proposal.invalid", name), Text: Say(Vietnamese, "proposal.invalid", name), Problems: probs}
}

func init() {
	defineMessages(map[string]Text{
		"proposal.invalid":           {VI: "Đề xuất của %[1]s chưa hợp lệ", EN: "proposal of %[1]s"},
		"registry.unknown_unit":      {VI: "\"%[1]s\" không phải là %[2]s của %[3]s", EN: "unit %[1]q is not a %[2]s of %[3]s"},
		"registry.unknown_commune":   {VI: "Mã xã \"%[1]s\" không thuộc %[2]s", EN: "commune code %[1]q is not in %[2]s"},
		"registry.wrong_unit":        {VI: "thuộc %[1]s, không thuộc %[2]s", EN: "belongs to %[1]s, not %[2]s"},
		"statistics.duplicate":       {VI: "Số liệu của xã được ghi hai lần", EN: "figures given twice"},
		"statistics.negative":        {VI: "Số liệu không được âm", EN: "figures must not be negative"},
		"statistics.implausible":     {VI: "Có số liệu trên %[1]s vụ một năm của một xã: có thể đã nhập nhầm", EN: "a figure above %[1]s cases a year for one commune is a typing error"},
		"statistics.missing":         {VI: "Thiếu số liệu của xã thuộc %[1]s: số bình quân của đơn vị cần số liệu của tất cả các xã", EN: "no figures for this commune of %[1]s: the unit's average needs every commune"},
		"proposal.duplicate":         {VI: "Xã được đề xuất hai lần", EN: "proposed twice"},
		"proposal.types":             {VI: "Chưa ghi loại địa bàn: hãy phân loại xã vào một hoặc nhiều loại từ Loại 1 đến Loại 4", EN: "no type given: classify it as one or more of Loại 1–4"},
		"proposal.type_unknown":      {VI: "Không có Loại %[1]d (chỉ có Loại 1 đến Loại 4)", EN: "Loại %[1]d does not exist (want 1–4)"},
		"proposal.type_twice":        {VI: "Loại %[1]d được ghi hai lần", EN: "Loại %[1]d given twice"},
		"selection.new_rural":        {VI: "Xã đã được công nhận đạt chuẩn nông thôn mới: không lựa chọn", EN: "recognised as meeting the new-rural standard (nông thôn mới): not selected"},
		"selection.type_unsupported": {VI: "Đề xuất Loại %[1]d (%[2]s) nhưng trong kỳ số liệu có 0 %[3]s", EN: "Loại %[1]d (%[2]s) claimed with 0 %[3]s in the reference period"},
		"selection.district_average": {VI: "%[1]d vụ phạm tội xâm phạm TTXH, không cao hơn bình quân một xã của %[2]s: %[3]s", EN: "%[1]d crimes against social order, not above the average per commune of %[2]s: %[3]s"},
	})
}

// categoryWord names the crime category behind each type, as counted.
var categoryWord = map[CrimeType]Word{
	TypeSocialOrder: {VI: "vụ phạm tội xâm phạm TTXH", EN: "crimes against social order"},
	TypeEconomic:    {VI: "vụ về trật tự quản lý kinh tế", EN: "economic cases"},
	TypeEnvironment: {VI: "vụ về môi trường, tài nguyên, an toàn thực phẩm", EN: "environment cases"},
	TypeDrugs:       {VI: "vụ về ma túy", EN: "drug cases"},
}

func unitKind(p Province) Word {
	if p.TwoTier() {
		return Word{VI: "xã", EN: "commune"}
	}
	return Word{VI: "huyện", EN: "district"}
}

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
