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
