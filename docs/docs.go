// Package docs renders the cycle's documents: it fills the wording
// templates of package templates with the cycle's data and lays them out
// with package document. It implements activities.Renderer.
package docs

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"chuyenhoa/activities"
	"chuyenhoa/cycle"
	"chuyenhoa/document"
	"chuyenhoa/templates"
)

// Renderer holds the parsed templates and fonts; safe for concurrent use.
type Renderer struct {
	set *templates.Set
	r   *document.Renderer
}

var _ activities.Renderer = (*Renderer)(nil)

// New loads the templates (dir "" = the embedded ones; otherwise files in
// dir override them) and prepares the fonts once.
func New(dir string) (*Renderer, error) {
	set, err := templates.Load(dir)
	if err != nil {
		return nil, fmt.Errorf("load templates: %w", err)
	}
	r, err := document.NewRenderer(set.Fonts())
	if err != nil {
		return nil, fmt.Errorf("prepare fonts: %w", err)
	}
	return &Renderer{set: set, r: r}, nil
}

// RenderApproval renders the decision approving the year's list.
func (r *Renderer) RenderApproval(d activities.ApprovalDocument) ([]byte, error) {
	doc, err := r.set.Document("approval", ApprovalData(d))
	if err != nil {
		return nil, err
	}
	pdf, err := r.r.Render(doc)
	if err != nil {
		return nil, fmt.Errorf("render approval decision %q: %w", d.Number, err)
	}
	return pdf, nil
}

// ApprovalData maps the activity's document onto the template's data.
func ApprovalData(d activities.ApprovalDocument) templates.ApprovalData {
	out := templates.ApprovalData{
		Issuer:       Issuer(d.Issuer),
		Number:       d.Number,
		Year:         d.Year,
		ProvinceName: runningText(d.ProvinceName),
		PlanRef:      d.Issuer.PlanRef,
		Signed:       d.Signed,
		Synthetic:    d.Synthetic,
	}
	if !d.Date.IsZero() {
		out.Date = d.Date.At(12)
	}
	for i, c := range d.Communes {
		out.Communes = append(out.Communes, templates.ApprovedCommune{No: i + 1, Name: c.Name, District: c.DistrictName, Types: c.Types.String(), Extension: c.Extension})
	}
	return out
}

// Issuer maps the province's issuer configuration onto the template's.
func Issuer(is cycle.Issuer) templates.Issuer {
	return templates.Issuer{
		ParentBody: is.ParentBody, IssuingBody: is.Body, NumberSuffix: is.NumberSuffix, Place: is.Place,
		CommitteeName: is.CommitteeName, CommitteeShort: committeeShort(is.CommitteeName),
		SignerAuthority: is.SignerAuthority, SignerTitle: is.SignerTitle, SignerName: is.SignerName, AuthorityLine: is.AuthorityLine,
	}
}

// committeeShort drops the level from a committee's name: "Ban Chỉ đạo 138
// tỉnh Quảng Ngãi" → "Ban Chỉ đạo 138".
func committeeShort(name string) string {
	for _, level := range []string{" tỉnh ", " thành phố "} {
		if i := strings.Index(name, level); i > 0 {
			return name[:i]
		}
	}
	return ""
}

// runningText lower-cases the first letter, as a province's name reads
// inside a sentence: "Tỉnh Quảng Ngãi" → "tỉnh Quảng Ngãi".
func runningText(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}
