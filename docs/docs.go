// Package docs renders the cycle's documents: it fills the wording
// templates of package templates with the cycle's data and lays them out
// with package document. It implements activities.Renderer.
package docs

import (
	"fmt"
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

var (
	_ activities.Renderer         = (*Renderer)(nil)
	_ activities.DocumentRenderer = (*Renderer)(nil)
)

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

// RenderApprovalDocument renders the decision approving the year's list
// with its layout (where the signature goes), subject and distribution list.
func (r *Renderer) RenderApprovalDocument(d activities.ApprovalDocument) (activities.Rendered, error) {
	return r.render(templates.Approval, ApprovalData(d), d.Number)
}

// RenderAward renders an award decision (policies 001, 003).
func (r *Renderer) RenderAward(d templates.AwardData) ([]byte, error) {
	out, err := r.RenderAwardDocument(d)
	return out.PDF, err
}

// RenderAwardDocument renders an award decision with its layout, subject
// and distribution list, for the issue pipeline.
func (r *Renderer) RenderAwardDocument(d templates.AwardData) (activities.Rendered, error) {
	return r.render(templates.Award, d, d.Number)
}

// render executes template name with data and lays the document out.
func (r *Renderer) render(name string, data templates.Data, number string) (activities.Rendered, error) {
	doc, err := r.set.Document(name, data)
	if err != nil {
		return activities.Rendered{}, err
	}
	pdf, l, err := r.r.RenderLayout(doc)
	if err != nil {
		return activities.Rendered{}, fmt.Errorf("render %s %q: %w", name, number, err)
	}
	return activities.Rendered{PDF: pdf, Layout: l, Subject: doc.Subject, Recipients: doc.Recipients}, nil
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
	out.Grounds, out.Recipients = d.Grounds, d.Recipients
	if !d.PeriodFrom.IsZero() && !d.PeriodTo.IsZero() {
		out.PeriodFrom, out.PeriodTo = d.PeriodFrom.At(12), d.PeriodTo.At(12)
		out.HalfYearTo = cycle.DateOf(d.PeriodFrom.At(12).AddDate(0, 6, 0)).AddDays(-1).At(12)
	}
	for i, c := range d.Communes {
		out.Communes = append(out.Communes, templates.ApprovedCommune{No: i + 1, Name: c.Name, District: c.DistrictName, Types: c.Types.String(), Extension: c.Extension})
	}
	return out
}

// Issuer maps the province's issuer configuration onto the template's.
func Issuer(is cycle.Issuer) templates.Issuer { return activities.TemplateIssuer(is) }

// runningText lower-cases the first letter, as a province's name reads
// inside a sentence: "Tỉnh Quảng Ngãi" → "tỉnh Quảng Ngãi".
func runningText(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

// The documents of the transformation year. Each renders the template of
// package templates named after it with its data; the workflows of the
// transformation year call them (through activities) to issue the
// documents, which the issue pipeline numbers, signs, archives and delivers
// like the approval decision.

// RenderRecognition renders the decision recognising communes as transformed.
func (r *Renderer) RenderRecognition(d templates.RecognitionData) (activities.Rendered, error) {
	return r.render(templates.Recognition, d, d.Number)
}

// RenderContinuation renders the notice of second-year continuation.
func (r *Renderer) RenderContinuation(d templates.ContinuationData) (activities.Rendered, error) {
	return r.render(templates.Continuation, d, d.Number)
}

// RenderResponsibility renders the notice of the responsibility review.
func (r *Renderer) RenderResponsibility(d templates.ResponsibilityData) (activities.Rendered, error) {
	return r.render(templates.Responsibility, d, d.Number)
}

// RenderReminder renders the letter reminding units of a task due soon.
func (r *Renderer) RenderReminder(d templates.DeadlineNoticeData) (activities.Rendered, error) {
	return r.render(templates.Reminder, d, d.Number)
}

// RenderOverdue renders the letter telling units their task is overdue.
func (r *Renderer) RenderOverdue(d templates.DeadlineNoticeData) (activities.Rendered, error) {
	return r.render(templates.Overdue, d, d.Number)
}

// RenderSummary renders the yearly summary report with the targets.
func (r *Renderer) RenderSummary(d templates.SummaryData) (activities.Rendered, error) {
	return r.render(templates.Summary, d, d.Number)
}
