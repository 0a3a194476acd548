package cycle

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
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

// ParseCheckInput reads a checker input file: JSON, unknown fields refused,
// text NFC-normalised, every problem listed with its field.
func ParseCheckInput(r io.Reader) (CheckInput, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return CheckInput{}, fmt.Errorf("checker input: %w", err)
	}
	var in CheckInput
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return CheckInput{}, Errorf(EINVALID, "checker input: %v", err)
	}
	in.Province = Clean(in.Province)
	var probs []Problem
	seen := map[string]bool{}
	for i := range in.Communes {
		c := &in.Communes[i]
		f := fmt.Sprintf("communes[%d]", i)
		c.Code, c.Name, c.District, c.DistrictName, c.Reason = Clean(c.Code), Clean(c.Name), Clean(c.District), Clean(c.DistrictName), Clean(c.Reason)
		c.Kind = CommuneKind(strings.ToLower(Clean(string(c.Kind))))
		switch c.Kind {
		case "":
			c.Kind = KindFromName(c.Name)
		case KindXa, KindPhuong, KindThiTran, KindDacKhu:
		default: // a kind no criterion names would silently skip the kind's criteria
			probs = append(probs, Problem{Field: f + ".kind", Commune: c.Code, Rule: "check.kind", Message: fmt.Sprintf("%q: want xã, phường, thị trấn or đặc khu", c.Kind)})
		}
		switch {
		case c.Code == "" || c.Name == "":
			probs = append(probs, Problem{Field: f, Rule: "check.commune", Message: "code and name are required"})
		case seen[c.Code]:
			probs = append(probs, Problem{Field: f, Commune: c.Code, Rule: "check.commune", Message: "commune given twice"})
		}
		seen[c.Code] = true
		if c.Report != nil {
			probs = append(probs, c.Report.Validate(f+".report")...)
		}
		if c.Baseline != nil {
			probs = append(probs, c.Baseline.Validate(f+".baseline")...)
		}
		sort.Slice(c.Types, func(a, b int) bool { return c.Types[a] < c.Types[b] })
	}
	if len(in.Communes) == 0 {
		probs = append(probs, Problem{Field: "communes", Rule: "check.commune", Message: "no communes"})
	}
	if err := Invalid("checker input", probs); err != nil {
		return CheckInput{}, err
	}
	return in, nil
}

// Selection turns the input into a registry and one proposal per unit (per
// district, or per commune when no commune names a district), as units
// would submit them.
func (in CheckInput) Selection() (Province, []Proposal, error) {
	prov := Province{Code: "check", Name: in.Province}
	if prov.Name == "" {
		prov.Name = "the province"
	}
	threeTier := false
	for _, c := range in.Communes {
		threeTier = threeTier || c.District != ""
	}
	seenD := map[string]bool{}
	var probs []Problem
	for i, c := range in.Communes {
		if threeTier && c.District == "" {
			probs = append(probs, Problem{Field: fmt.Sprintf("communes[%d].district", i), Commune: c.Code, Rule: "check.district", Message: "some communes name a district, this one does not"})
		}
		if c.Figures == nil {
			probs = append(probs, Problem{Field: fmt.Sprintf("communes[%d].figures", i), Commune: c.Code, Rule: "check.figures", Message: "the selection needs every commune's figures (the averages are over all of them)"})
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
	if err := Invalid("checker input", probs); err != nil {
		return Province{}, nil, err
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
		n, ok := c.Report.Figure("social_order_crimes")
		if !ok {
			continue
		}
		x, _ := c.Report.Figure("proactive_cases")
		if areas[c.District] == nil {
			areas[c.District] = &sum{}
		}
		areas[c.District].crimes += n - x
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
				name = orDefault(in.Province, "the province")
				if c.District != "" {
					name = "district " + c.District
				}
			}
			r.Area = &AreaAverage{Name: name + " (the communes in this file)", Crimes: areas[c.District].crimes, Communes: areas[c.District].communes}
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
