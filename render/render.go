// Package render is the one place that turns what a document of the
// programme says (cycle.DocumentContent) into a PDF: it maps the content
// onto the data of its wording template (package templates) and lays the
// result out in the Decree 30 layout (package document). It implements
// the document pipeline's Renderer.
package render

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"chuyenhoa/cycle"
	"chuyenhoa/document"
	"chuyenhoa/templates"
)

// Renderer holds the parsed templates and fonts; safe for concurrent use.
type Renderer struct {
	set *templates.Set
	r   *document.Renderer
}

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

// Templates are the wording templates the renderer fills.
func (r *Renderer) Templates() *templates.Set { return r.set }

// Render lays a document out as a PDF, with where its signature goes, its
// subject line and its distribution list.
func (r *Renderer) Render(c cycle.DocumentContent) (cycle.RenderedDocument, error) {
	name, data, err := Data(c)
	if err != nil {
		return cycle.RenderedDocument{}, err
	}
	doc, err := r.set.Document(name, data)
	if err != nil {
		return cycle.RenderedDocument{}, err
	}
	pdf, l, err := r.r.RenderLayout(doc)
	if err != nil {
		return cycle.RenderedDocument{}, fmt.Errorf("render %s %q: %w", name, c.Number, err)
	}
	b := l.Signature
	return cycle.RenderedDocument{PDF: pdf, Pages: l.Pages, Signature: cycle.PageBox{Page: b.Page, X: b.X, Y: b.Y, W: b.W, H: b.H},
		Subject: doc.Subject, Recipients: doc.Recipients}, nil
}

// Document is the document's text and structure before layout (what the
// golden text files of the templates show).
func (r *Renderer) Document(c cycle.DocumentContent) (document.Document, error) {
	name, data, err := Data(c)
	if err != nil {
		return document.Document{}, err
	}
	return r.set.Document(name, data)
}

// Data maps a document's content onto its template's name and data.
func Data(c cycle.DocumentContent) (string, templates.Data, error) {
	lh := Letterhead(c)
	prov := runningText(c.ProvinceName)
	rows := make([]templates.CommuneRow, 0, len(c.Communes))
	for _, x := range c.Communes {
		rows = append(rows, templates.CommuneRow{Name: x.Name, District: x.DistrictName, Types: x.Types.String(), Note: x.Note})
	}
	switch c.Kind {
	case cycle.DocApproval, "":
		return templates.Approval, approval(c, lh), nil
	case cycle.DocRecognition:
		return templates.Recognition, templates.RecognitionData{Letterhead: lh, Year: c.Year, ProvinceName: prov,
			ApprovalRef: c.ApprovalRef, FollowUpEnd: noon(c.Due), Communes: rows}, nil
	case cycle.DocContinuation:
		return templates.Continuation, templates.ContinuationData{Letterhead: lh, Year: c.Year, ProvinceName: prov,
			AppraisalRef: c.AppraisalRef, ReviewDue: noon(c.Due), Communes: rows}, nil
	case cycle.DocResponsibility:
		first := c.FirstYear
		if first == 0 {
			first = c.Year - 1
		}
		return templates.Responsibility, templates.ResponsibilityData{Letterhead: lh, FirstYear: first, SecondYear: c.Year,
			ProvinceName: prov, ReportDue: noon(c.Due), Communes: rows}, nil
	case cycle.DocSummary:
		d := templates.SummaryData{Letterhead: lh, Year: c.Year, ProvinceName: prov, Communes: rows, TransformedTarget: 60, NotRelapsedTarget: 85}
		if k := c.KPI; k != nil {
			d.Selected, d.Transformed, d.FollowedUp, d.Relapsed = k.Selected, k.Transformed, k.FollowedUp, k.Relapsed
			d.TransformedTarget, d.NotRelapsedTarget = k.TransformedTarget, k.NotRelapsedTarget
		}
		return templates.Summary, d, nil
	case cycle.DocAward:
		return templates.Award, award(c), nil
	case cycle.DocReminder, cycle.DocOverdue:
		name := templates.Reminder
		if c.Kind == cycle.DocOverdue {
			name = templates.Overdue
		}
		return name, templates.DeadlineNoticeData{Letterhead: lh, Addressees: c.Addressees, Task: c.Task, Basis: c.Basis,
			Due: noon(c.Due), NewDue: noon(c.NewDue), Escalation: c.Escalation}, nil
	}
	return "", nil, &cycle.Error{Code: cycle.EINVALID, Message: fmt.Sprintf("no template for documents of kind %q", c.Kind)}
}

// Letterhead is what every document takes from configuration rather than
// wording: who issues and signs it, its number and date.
func Letterhead(c cycle.DocumentContent) templates.Letterhead {
	lh := templates.Letterhead{Issuer: Issuer(c.Issuer), Number: c.Number, PlanRef: c.Issuer.PlanRef, Signed: c.Signed, Synthetic: c.Synthetic}
	if suffix := cycle.DocumentSuffix(c.Kind, c.Issuer); suffix != c.Issuer.NumberSuffix {
		lh.NumberSuffix = suffix
	}
	lh.Date = noon(c.Date)
	return lh
}

func approval(c cycle.DocumentContent, lh templates.Letterhead) templates.ApprovalData {
	out := templates.ApprovalData{
		Issuer: lh.Issuer, Number: c.Number, Date: lh.Date, Year: c.Year, ProvinceName: runningText(c.ProvinceName),
		PlanRef: c.Issuer.PlanRef, Signed: c.Signed, Synthetic: c.Synthetic, Grounds: c.Grounds, Recipients: c.Recipients,
	}
	if !c.PeriodFrom.IsZero() && !c.PeriodTo.IsZero() {
		out.PeriodFrom, out.PeriodTo = c.PeriodFrom.At(12), c.PeriodTo.At(12)
		out.HalfYearTo = cycle.DateOf(c.PeriodFrom.At(12).AddDate(0, 6, 0)).AddDays(-1).At(12)
	}
	for i, x := range c.Communes {
		out.Communes = append(out.Communes, templates.ApprovedCommune{No: i + 1, Name: x.Name, District: x.DistrictName, Types: x.Types.String(), Extension: x.Extension})
	}
	return out
}

// award: collectives first, then individuals, each in the order nominated.
func award(c cycle.DocumentContent) templates.AwardData {
	out := templates.AwardData{
		Issuer: Issuer(c.Issuer), Number: c.Number, Date: noon(c.Date), Year: c.Year, ProvinceName: runningText(c.ProvinceName),
		Form: c.Form, PlanRef: c.Issuer.PlanRef, Recipients: c.Recipients, Signed: c.Signed, Synthetic: c.Synthetic,
	}
	for _, kind := range []cycle.NomineeKind{cycle.NomineeCollective, cycle.NomineeIndividual} {
		for _, n := range c.Awardees {
			if n.Kind == kind {
				out.Awardees = append(out.Awardees, templates.Awardee{Name: n.Name, Position: n.Position, Achievements: n.Achievements, Collective: kind == cycle.NomineeCollective})
			}
		}
	}
	return out
}

// Issuer maps a province's issuer configuration onto the templates'.
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

// noon is a civil date as the templates take it; zero for no date.
func noon(d cycle.Date) time.Time {
	if d.IsZero() {
		return time.Time{}
	}
	return d.At(12)
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
