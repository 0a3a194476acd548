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

// Data maps a document's content onto its template's name and data: the
// grounds cited, the plan carried out, the signature block of its signer,
// its "Nơi nhận" (cycle.Distribution), the criteria not met in the plan's
// words with their figures. Everything printed is Vietnamese: the domain's
// English details never reach a document.
func Data(c cycle.DocumentContent) (string, templates.Data, error) {
	lh := Letterhead(c)
	rows := make([]templates.CommuneRow, 0, len(c.Communes))
	for _, x := range c.Communes {
		rows = append(rows, templates.CommuneRow{Name: x.Name, District: x.DistrictName, Types: x.Types.String(), Note: x.Note, Responsible: x.Responsible})
	}
	year := func(y int) (time.Time, time.Time) {
		from, to := c.PeriodFrom, c.PeriodTo
		if from.IsZero() || to.IsZero() {
			from, to = cycle.D(y-1, time.December, 15), cycle.D(y, time.December, 14)
		}
		return noon(from), noon(to)
	}
	switch c.Kind {
	case cycle.DocApproval, "":
		return templates.Approval, approval(c, lh), nil
	case cycle.DocRecognition:
		d := templates.RecognitionData{Letterhead: lh, Year: c.Year, ListYear: c.FirstYear, FollowUpEnd: noon(c.Due), Communes: rows,
			Subject: "công nhận các " + lh.Units + " trọng điểm, phức tạp về trật tự, an toàn xã hội đã chuyển hóa đạt",
			Outcome: "trọng điểm, phức tạp về trật tự, an toàn xã hội đã chuyển hóa đạt"}
		if d.ListYear == 0 {
			d.ListYear = c.Year
		}
		if s := c.Spec; s != nil {
			if s.Subject != "" {
				d.Subject = c.TierWords(s.Subject) // the policy's words, for the province's tier
			}
			if s.Outcome != "" {
				d.Outcome = s.Outcome
			}
			d.Keep = s.Keep
		}
		d.Approval, d.Continuation = cite(c.Approval), cite(c.Continuation)
		if d.Approval == "" {
			d.Approval = c.ApprovalRef
		}
		return templates.Recognition, d, nil
	case cycle.DocContinuation:
		d := templates.ContinuationData{Letterhead: lh, Year: c.Year, Approval: cite(c.Approval), Appraisal: c.AppraisalRef,
			ReviewDue: noon(c.Due), Communes: rows}
		d.NextFrom, d.NextTo = year(c.Year + 1)
		return templates.Continuation, d, nil
	case cycle.DocResponsibility:
		first := c.FirstYear
		if first == 0 || (first == c.Year && !c.OneYear) {
			first = c.Year - 1
		}
		d := templates.ResponsibilityData{Letterhead: lh, FirstYear: first, SecondYear: c.Year, OneYear: c.OneYear,
			Approval: cite(c.Approval), Continuation: cite(c.Continuation), ReportDue: noon(c.Due), Communes: rows}
		d.Reviewed = len(rows) > 0
		for _, r := range rows {
			d.Reviewed = d.Reviewed && len(r.Responsible) > 0
		}
		return templates.Responsibility, d, nil
	case cycle.DocSummary:
		d := templates.SummaryData{Letterhead: lh, Year: c.Year, Communes: rows, TransformedTarget: 60, NotRelapsedTarget: 85}
		d.PeriodFrom, d.PeriodTo = year(c.Year)
		if k := c.KPI; k != nil {
			d.Selected, d.Transformed, d.FollowedUp, d.Relapsed = k.Selected, k.Transformed, k.FollowedUp, k.Relapsed
			d.TransformedTarget, d.NotRelapsedTarget = k.TransformedTarget, k.NotRelapsedTarget
		}
		return templates.Summary, d, nil
	case cycle.DocReview:
		d := templates.ReviewData{Letterhead: lh, Year: c.Year, Communes: rows, Selected: len(rows)}
		d.PeriodFrom, d.PeriodTo = year(c.Year)
		if v := c.Review; v != nil {
			d.Reports, d.Passed, d.Held = v.Reports, v.Passed, noon(v.Held)
			for _, l := range v.Local {
				r := templates.LocalReviewRow{Unit: l.UnitName, Due: noon(l.Due)}
				if !l.Held.IsZero() {
					r.Held = noon(l.Held)
				}
				d.Local = append(d.Local, r)
			}
			d.Conclusions = paragraphs(v.Conclusions)
		}
		return templates.Review, d, nil
	case cycle.DocAward:
		return templates.Award, award(c, lh), nil
	case cycle.DocReminder, cycle.DocOverdue:
		name := templates.Reminder
		if c.Kind == cycle.DocOverdue {
			name = templates.Overdue
		}
		d := templates.DeadlineNoticeData{Letterhead: lh, Addressees: c.Addressees, Task: c.Task, Clause: c.DeadlineClause,
			Due: noon(c.Due), NewDue: noon(c.NewDue), Escalation: c.Escalation}
		if len(d.Addressees) == 0 {
			for _, r := range c.To {
				d.Addressees = append(d.Addressees, r.Name)
			}
		}
		if len(d.Addressees) == 0 {
			return "", nil, &cycle.Error{Code: cycle.EINVALID, Message: "a letter needs its addressees (Kính gửi)",
				Text: "Công văn phải có nơi gửi (Kính gửi)."}
		}
		if c.Basis != "" && (d.Clause != "" || lh.PlanShort == "") {
			d.PlanShort = c.Basis // the act whose words set the deadline
		}
		return name, d, nil
	}
	return "", nil, &cycle.Error{Code: cycle.EINVALID, Message: fmt.Sprintf("no template for documents of kind %q", c.Kind)}
}

// Letterhead is what every document takes from configuration and the
// domain rather than wording: who issues and signs it, its number and
// date, its grounds and plan, its distribution list.
func Letterhead(c cycle.DocumentContent) templates.Letterhead {
	lh := templates.Letterhead{Issuer: Issuer(c), Number: c.Number, Signed: c.Signed, Synthetic: c.Synthetic,
		ProvinceName: runningText(c.ProvinceName), Units: c.Units(), Recipients: c.Distribution().Lines}
	if suffix := cycle.DocumentSuffix(c.Kind, c.Issuer); suffix != c.Issuer.NumberSuffix {
		lh.NumberSuffix = suffix
	}
	lh.Date = noon(c.Date)
	if g := c.Cites; g != nil {
		for _, a := range g.Acts {
			lh.Grounds = append(lh.Grounds, a.Cite())
		}
		if g.Plan != nil {
			lh.Plan, lh.PlanShort = g.Plan.Cite(), g.Plan.Short()
		}
	} else {
		// A document of a cycle recorded before the grounds were data: the
		// national grounds it carried and the issuer's plan.
		lh.Grounds = append(lh.Grounds, c.Grounds...)
		if c.Issuer.PlanRef != "" {
			lh.Grounds = append(lh.Grounds, c.Issuer.PlanRef)
			lh.Plan, lh.PlanShort = c.Issuer.PlanRef, c.Issuer.PlanRef
		}
	}
	if !cycle.IsDecision(c.Kind) {
		lh.Grounds = nil
	}
	s := c.Issuer.DefaultSignatory()
	if c.Signatory != nil {
		s = *c.Signatory
	}
	auth, title, name := c.Issuer.SignatureBlock(c.Kind, s)
	lh.Signature = document.Signature{Authority: strings.Join(auth, "\n"), Title: title, Name: name}
	return lh
}

func approval(c cycle.DocumentContent, lh templates.Letterhead) templates.ApprovalData {
	out := templates.ApprovalData{Letterhead: lh, Year: c.Year}
	from, to := c.PeriodFrom, c.PeriodTo
	if from.IsZero() || to.IsZero() {
		from, to = cycle.D(c.Year-1, time.December, 15), cycle.D(c.Year, time.December, 14)
	}
	half := c.HalfYearTo
	if half.IsZero() {
		half = cycle.DateOf(from.At(12).AddDate(0, 6, 0)).AddDays(-1)
	}
	out.PeriodFrom, out.HalfYearTo, out.PeriodTo = from.At(12), half.At(12), to.At(12)
	for i, x := range c.Communes {
		out.Communes = append(out.Communes, templates.ApprovedCommune{No: i + 1, Name: x.Name, District: x.DistrictName, Types: x.Types.String(), Extension: x.Extension})
	}
	return out
}

// award: collectives first, then individuals, each in the order nominated.
func award(c cycle.DocumentContent, lh templates.Letterhead) templates.AwardData {
	out := templates.AwardData{Letterhead: lh, Year: c.Year, Form: c.Form}
	if c.Spec != nil {
		out.Proposal = c.Spec.Proposal
	}
	switch c.Issuer.EffectiveKind() {
	case cycle.IssuerPeopleCommittee:
		out.Charged = "Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc " + c.SecretariatName() + ", thủ trưởng các cơ quan, đơn vị có liên quan"
	case cycle.IssuerAgency:
		out.Charged = "Chánh Văn phòng " + c.Issuer.CommitteeName + ", thủ trưởng các đơn vị có liên quan"
	default:
		out.Charged = c.SecretariatName() + ", thủ trưởng các cơ quan, đơn vị có liên quan"
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

// Issuer maps a province's issuer configuration onto the templates', with
// the bodies the wording names as the issuer's kind makes them.
func Issuer(c cycle.DocumentContent) templates.Issuer {
	is := c.Issuer
	steeringShort := is.SteeringShort(c.ProvinceName)
	out := templates.Issuer{
		ParentBody: is.ParentBody, IssuingBody: is.Body, NumberSuffix: is.NumberSuffix, Place: is.Place,
		CommitteeName: is.CommitteeName, AuthorityLine: is.AuthorityLine, Decider: is.Decider(),
		Steering: is.Steering(c.ProvinceName), Secretariat: c.SecretariatName(), Police: strings.SplitN(c.SecretariatName(), " - ", 2)[0],
		CommitteeShort:  steeringShort,
		DistrictBodies:  steeringShort + " các " + cycle.DistrictsWord,
		DistrictHeads:   "Trưởng " + steeringShort + " các " + cycle.DistrictsWord,
		SignerAuthority: is.SignerAuthority, SignerTitle: is.SignerTitle, SignerName: is.SignerName,
	}
	if is.EffectiveKind() == cycle.IssuerPeopleCommittee {
		out.DistrictBodies = "Ủy ban nhân dân các " + cycle.DistrictsWord
		out.DistrictHeads = "Chủ tịch Ủy ban nhân dân các " + cycle.DistrictsWord
	}
	return out
}

// cite is a reference to an issued document, or "".
func cite(r *cycle.IssuedRef) string {
	if r == nil {
		return ""
	}
	return r.Cite()
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

// paragraphs splits text written in a form into its paragraphs, each on
// one line (the markup takes a value per line): blank lines and line
// breaks separate them, runs of spaces are one.
func paragraphs(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if l = strings.Join(strings.Fields(l), " "); l != "" {
			out = append(out, l)
		}
	}
	return out
}
