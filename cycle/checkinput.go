package cycle

import (
	"fmt"
	"sort"
	"strings"
)

// CheckInput is the file officers give the offline checker (`starter
// check`): the communes of a province — or of the districts concerned —
// with, for the selection, the reference period's figures and whether the
// commune is proposed, and for the evaluation, the report and baseline
// figures of each commune under transformation.
type CheckInput struct {
	Province string         `json:"province"`       // the province's name, for the output
	Note     string         `json:"note,omitempty"` // free text, e.g. that the figures are synthetic
	Communes []CheckCommune `json:"communes"`
}

// CheckCommune is one commune of a CheckInput.
type CheckCommune struct {
	Code         string      `json:"code"`
	Name         string      `json:"name"`
	Kind         CommuneKind `json:"kind,omitempty"`          // derived from the name when empty
	District     string      `json:"district,omitempty"`      // district code; empty in a two-tier province
	DistrictName string      `json:"district_name,omitempty"` // district name
	NewRural     bool        `json:"new_rural,omitempty"`     // recognised as new-rural

	// Selection: the reference period's figures, and the proposal.
	Figures  *Figures `json:"figures,omitempty"`
	Proposed bool     `json:"proposed,omitempty"`
	Types    Types    `json:"types,omitempty"`
	Reason   string   `json:"reason,omitempty"`

	// Evaluation: the period's report, the baseline's, the area average
	// (computed from the communes of the same district in the file when
	// absent) and the appraisers' judgements by criterion ID.
	Report      *ReportFigures  `json:"report,omitempty"`
	Baseline    *ReportFigures  `json:"baseline,omitempty"`
	Area        *AreaAverage    `json:"area_average,omitempty"`
	Assessments map[string]bool `json:"assessments,omitempty"`
}

// MaxCheckInputBytes bounds a checker input file: a province's communes
// with their reports are a few hundred kilobytes.
const MaxCheckInputBytes = 16 << 20

// PrepareCheckInput cleans a decoded checker input (text NFC-normalised,
// kinds derived from names, types sorted) and checks it: every problem is
// listed with its field (communes[3].report.reoffenders), which the
// reader of the file turns into its line.
func PrepareCheckInput(in CheckInput) (CheckInput, error) {
	in.Province, in.Note = Clean(in.Province), Clean(in.Note)
	var probs []Problem
	add := func(field, commune, rule string, args ...any) {
		p := NewProblem(rule, args...)
		p.Field, p.Commune = field, commune
		if strings.HasPrefix(rule, "check.commune.") {
			p.Rule = "check.commune" // three messages of one rule
		}
		probs = append(probs, p)
	}
	seen := map[string]bool{}
	for i := range in.Communes {
		c := &in.Communes[i]
		f := fmt.Sprintf("communes[%d]", i)
		c.Code, c.Name, c.District, c.DistrictName, c.Reason = Clean(c.Code), Clean(c.Name), Clean(c.District), Clean(c.DistrictName), Clean(c.Reason)
		label := c.Code
		if c.Name != "" {
			label = c.Name + " (" + c.Code + ")"
		}
		c.Kind = CommuneKind(strings.ToLower(Clean(string(c.Kind))))
		switch c.Kind {
		case "":
			c.Kind = KindFromName(c.Name)
		case KindXa, KindPhuong, KindThiTran, KindDacKhu:
		default: // a kind no criterion names would silently skip the kind's criteria
			add(f+".kind", label, "check.kind", Quote(string(c.Kind)))
		}
		switch {
		case c.Code == "" || c.Name == "":
			add(f, "", "check.commune.required")
		case seen[c.Code]:
			add(f, label, "check.commune.twice")
		}
		seen[c.Code] = true
		if n := len([]rune(c.Reason)); n > MaxReasonChars {
			add(f+".reason", label, "text.too_long", wordReason, Int(n), Int(MaxReasonChars))
		}
		for _, pr := range c.Figures.validate(f + ".figures") {
			pr.Commune = label
			probs = append(probs, pr)
		}
		if c.Report != nil {
			for _, pr := range c.Report.Validate(f + ".report") {
				pr.Commune = label
				probs = append(probs, pr)
			}
		}
		if c.Baseline != nil {
			for _, pr := range c.Baseline.Validate(f + ".baseline") {
				pr.Commune = label
				probs = append(probs, pr)
			}
		}
		sort.Slice(c.Types, func(a, b int) bool { return c.Types[a] < c.Types[b] })
	}
	if len(in.Communes) == 0 {
		add("communes", "", "check.commune.none")
	}
	if len(probs) > 0 {
		return CheckInput{}, &Error{Code: EINVALID, Message: Say(English, "check.invalid"), Text: Say(Vietnamese, "check.invalid"), Problems: probs}
	}
	return in, nil
}

func init() {
	defineMessages(map[string]Text{
		"check.invalid":          {VI: "Dữ liệu kiểm tra chưa hợp lệ", EN: "checker input"},
		"check.kind":             {VI: "Loại đơn vị %[1]s không có: hãy ghi xã, phường, thị trấn hoặc đặc khu", EN: "%[1]s: want xã, phường, thị trấn or đặc khu"},
		"check.commune.required": {VI: "Cần ghi mã và tên xã", EN: "code and name are required"},
		"check.commune.twice":    {VI: "Xã được ghi hai lần", EN: "commune given twice"},
		"check.commune.none":     {VI: "Tệp không có xã nào", EN: "no communes"},
		"check.kind_unknown":     {VI: "Không rõ loại đơn vị: tên %[1]s không bắt đầu bằng xã, phường, thị trấn hay đặc khu; hãy ghi \"kind\"", EN: "the kind is unknown: the name %[1]s does not start with xã, phường, thị trấn or đặc khu; give \"kind\""},
		"check.district":         {VI: "Có xã ghi huyện, xã này lại không ghi", EN: "some communes name a district, this one does not"},
		"check.figures":          {VI: "Thiếu số liệu của xã: việc lựa chọn cần số liệu của tất cả các xã (số bình quân tính trên tất cả các xã)", EN: "the selection needs every commune's figures (the averages are over all of them)"},
		"figures.negative":       {VI: "%[1]s không được âm (%[2]d)", EN: "%[2]d: must not be negative (%[1]s)"},
		"figures.implausible":    {VI: "%[1]s %[2]s vượt mức hợp lý %[3]s vụ một năm của một xã: có thể đã nhập nhầm", EN: "%[2]s: a figure above %[3]s cases a year for one commune is a typing error (%[1]s)"},
	})
}

// validate checks a commune's selection figures, when given: no negative
// count, none above MaxFigure. The selection is never computed on them
// otherwise.
func (f *Figures) validate(field string) []Problem {
	if f == nil {
		return nil
	}
	var probs []Problem
	for _, x := range []struct {
		key string
		v   int
	}{{"social_order_crimes", f.SocialOrderCrimes}, {"economic_cases", f.EconomicCases}, {"environment_cases", f.EnvironmentCases}, {"drug_cases", f.DrugCases}} {
		var p Problem
		switch {
		case x.v < 0:
			p = NewProblem("figures.negative", selectionFigureWord(x.key), x.v)
			p.Rule = "statistics.negative"
		case x.v > MaxFigure:
			p = NewProblem("figures.implausible", selectionFigureWord(x.key), Int(x.v), Int(MaxFigure))
			p.Rule = "statistics.implausible"
		default:
			continue
		}
		p.Field = field + "." + x.key
		probs = append(probs, p)
	}
	return probs
}

// selectionFigureWord names a selection figure: its column's title in
// Vietnamese, its key in English.
func selectionFigureWord(key string) Word {
	for _, c := range ProposalColumns {
		if c.Key == key {
			return Word{VI: c.Title, EN: key}
		}
	}
	return Word{VI: key, EN: key}
}

// Selection turns the input into a registry and one proposal per unit (per
// district, or per commune when no commune names a district), as units
// would submit them.
func (in CheckInput) Selection() (Province, []Proposal, error) {
	prov := Province{Code: "check", Name: in.Province}
	if prov.Name == "" {
		prov.Name = "tỉnh"
	}
	threeTier := false
	for _, c := range in.Communes {
		threeTier = threeTier || c.District != ""
	}
	seenD := map[string]bool{}
	var probs []Problem
	for i, c := range in.Communes {
		if threeTier && c.District == "" {
			p := NewProblem("check.district")
			p.Field, p.Commune = fmt.Sprintf("communes[%d].district", i), c.Name+" ("+c.Code+")"
			probs = append(probs, p)
		}
		if c.Figures == nil {
			p := NewProblem("check.figures")
			p.Field, p.Commune = fmt.Sprintf("communes[%d].figures", i), c.Name+" ("+c.Code+")"
			probs = append(probs, p)
		}
		if c.Kind == kindUndefined { // the registry needs every commune's kind
			p := NewProblem("check.kind_unknown", Quote(c.Name))
			p.Field, p.Commune = fmt.Sprintf("communes[%d].kind", i), c.Name+" ("+c.Code+")"
			probs = append(probs, p)
		}
		if threeTier && !seenD[c.District] {
			seenD[c.District] = true
			name := c.DistrictName
			if name == "" {
				name = "Huyện " + c.District
			}
			prov.Districts = append(prov.Districts, District{Code: c.District, Name: name})
		}
		prov.Communes = append(prov.Communes, Commune{Code: c.Code, Name: c.Name, Kind: c.Kind, District: c.District, NewRural: c.NewRural})
	}
	if len(probs) > 0 {
		return Province{}, nil, &Error{Code: EINVALID, Message: Say(English, "check.invalid"), Text: Say(Vietnamese, "check.invalid"), Problems: probs}
	}
	sort.Slice(prov.Districts, func(i, j int) bool { return prov.Districts[i].Code < prov.Districts[j].Code })
	sort.Slice(prov.Communes, func(i, j int) bool { return prov.Communes[i].Code < prov.Communes[j].Code })
	if err := prov.Validate(); err != nil {
		return Province{}, nil, err
	}
	byUnit := map[string]*Proposal{}
	var props []Proposal
	for _, u := range prov.Units() {
		props = append(props, Proposal{Unit: u})
	}
	for i := range props {
		byUnit[props[i].Unit] = &props[i]
	}
	for _, c := range in.Communes {
		u := c.Code
		if threeTier {
			u = c.District
		}
		p := byUnit[u]
		p.Statistics = append(p.Statistics, CommuneFigures{Commune: c.Code, Figures: *c.Figures})
		if c.Proposed {
			p.Proposed = append(p.Proposed, ProposedCommune{Commune: c.Code, Types: append(Types(nil), c.Types...), Reason: c.Reason})
		}
	}
	return prov, props, nil
}

// comparedCrimes is what a report counts against an area's average:
// crimes against social order less those found proactively, as 000
// counts them; false when the report has no crime figure.
func comparedCrimes(r ReportFigures) (int, bool) {
	n, ok := r.Figure("social_order_crimes")
	if !ok {
		return 0, false
	}
	x, _ := r.Figure("proactive_cases")
	return n - x, true
}

// Reports returns the communes with a report, ready for Evaluate. A commune
// without an area average gets its district's (the whole file's when no
// district is named), over the communes of the file with a report: crimes
// against social order less those found proactively, as 000 counts them.
func (in CheckInput) Reports() []CommuneReport {
	type sum struct{ crimes, communes int }
	areas := map[string]*sum{}
	names := map[string]string{}
	for _, c := range in.Communes {
		if c.Report == nil {
			continue
		}
		n, ok := comparedCrimes(*c.Report)
		if !ok {
			continue
		}
		if areas[c.District] == nil {
			areas[c.District] = &sum{}
		}
		areas[c.District].crimes += n
		areas[c.District].communes++
		names[c.District] = c.DistrictName
	}
	var out []CommuneReport
	for _, c := range in.Communes {
		if c.Report == nil {
			continue
		}
		r := CommuneReport{Commune: c.Code, Name: c.Name, Kind: c.Kind, Types: c.Types, Figures: *c.Report, Area: c.Area, Assessments: c.Assessments}
		if c.Baseline != nil {
			r.Baseline = *c.Baseline
		}
		if r.Area == nil && areas[c.District] != nil {
			name := names[c.District]
			if name == "" {
				name = orDefault(in.Province, "tỉnh")
				if c.District != "" {
					name = "huyện mã " + c.District
				}
			}
			r.Area = &AreaAverage{Name: name + " (tính trên các xã trong tệp)", Crimes: areas[c.District].crimes, Communes: areas[c.District].communes}
		}
		out = append(out, r)
	}
	return out
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}
