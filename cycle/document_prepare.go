package cycle

import (
	"strings"
)

// PrepareDocument fills in what a document takes from the policy the
// cycle runs under and from its issuer, for its kind, year and date: its
// grounds and the plan it carries out (ResolveGrounds), the policy's
// settings for its kind (what a recognition confirms, whom an award
// decision answers, the plan's "Nơi nhận"), its statistics periods as the
// workflows use them (Policy.ReportPeriod), and, when signer is given, the
// signature in the signer's capacity (Issuer.SignatoryOf). It returns the
// required grounds that are missing: a document with any is refused
// before it is numbered (CheckGrounds). Pure: the workflows call it.
func PrepareDocument(c *DocumentContent, pol Policy, signer *Actor) []Problem {
	g, probs := ResolveGrounds(pol, c.Issuer, c.Province, c.Kind, c.Year, c.Date)
	c.Cites = &g
	c.Spec = pol.DocumentSpec(c.Kind)
	if signer != nil {
		s := c.Issuer.SignatoryOf(*signer)
		c.Signatory = &s
	}
	switch c.Kind {
	case DocApproval:
		y, h := pol.ReportPeriod(ReportYearly, c.Year), pol.ReportPeriod(ReportHalfYear, c.Year)
		c.PeriodFrom, c.PeriodTo, c.HalfYearTo = y.From, y.To, h.To
	case DocContinuation:
		y := pol.ReportPeriod(ReportYearly, c.Year+1)
		c.PeriodFrom, c.PeriodTo = y.From, y.To
	case DocSummary, DocReview:
		y := pol.ReportPeriod(ReportYearly, c.Year)
		c.PeriodFrom, c.PeriodTo = y.From, y.To
	case DocRecognition:
		if c.Approval == nil && c.ApprovalRef == "" {
			probs = append(probs, NewProblem("grounds.approval", c.FirstYearOr()))
		}
	case DocReminder, DocOverdue:
		// A deadline in the plan's words is the words of the plan the
		// policy is written from, which the letter then cites.
		if a, ok := pol.SourceAct(); ok && c.DeadlineClause != "" && c.Basis == "" {
			c.Basis = a.Short()
		}
	}
	return probs
}

// FirstYearOr is the year the document's communes were listed for: its
// FirstYear, or its Year.
func (c DocumentContent) FirstYearOr() int {
	if c.FirstYear != 0 {
		return c.FirstYear
	}
	return c.Year
}

// DeadlineClause is the plan's words setting the deadline of a task of
// kind k, or "" when the plan sets none and the deadline is the
// province's own (the product's default, e.g. the selection's proposals
// on 25/12, the reports six days after their period): a reminder says
// which.
func (p Policy) DeadlineClause(k TaskKind) string {
	dk := map[TaskKind]DeadlineKind{
		TaskHalfYearReport: DeadlineHalfYearReport, TaskYearlyReport: DeadlineYearlyReport, TaskNominate: DeadlineAwardNominations,
	}[k]
	if dk == "" {
		return ""
	}
	d, ok := p.Deadline(dk)
	if !ok && k == TaskYearlyReport {
		d, ok = p.Deadline(DeadlineReviewReports)
	}
	if !ok {
		return ""
	}
	return strings.Trim(d.Clause, "\"“” ")
}

// UnmetNote is what a notice prints for a commune that failed its year:
// each criterion not met in the plan's words with the figures compared
// ("… : tỷ lệ điều tra, khám phá tội phạm 75% (15/20), yêu cầu từ 80%"),
// for a scored plan the score first; the council's reason when it
// decided against the verdict or without a report. Only Vietnamese: a
// verdict recorded before the Vietnamese texts gives the criteria's
// descriptions alone, never its English details.
func UnmetNote(r CommuneResult) string {
	if !r.Reported {
		s := "Không có báo cáo năm"
		if r.Reason != "" {
			s += "; Hội đồng thẩm định: " + r.Reason
		}
		return s
	}
	var parts []string
	if r.Verdict.Method == MethodScore && r.Verdict.Text != "" {
		parts = append(parts, r.Verdict.Text)
	}
	for _, f := range r.Verdict.Failed() {
		if r.Verdict.Method == MethodScore && !f.Required {
			continue // the score says it; the items are many
		}
		s := strings.TrimRight(f.Name, ". ")
		if f.Unmet != "" {
			s += ": " + lowerFirst(f.Unmet)
		} else if f.Text != "" {
			s += ": " + lowerFirst(f.Text)
		}
		parts = append(parts, s)
	}
	if r.Overridden || len(parts) == 0 {
		parts = append(parts, "Hội đồng thẩm định: "+r.Reason)
	}
	return strings.Join(parts, ";\n")
}

// ResultNote is a commune's result as the yearly summary prints it.
func ResultNote(r CommuneResult, yearNo int) string {
	s := "Đạt"
	if r.Outcome != OutcomePass {
		s = "Không đạt, tiếp tục năm thứ hai"
		if yearNo >= 2 {
			s = "Không đạt năm thứ hai, xem xét trách nhiệm"
		}
	}
	if r.Overridden {
		s += " (Hội đồng thẩm định: " + r.Reason + ")"
	}
	return s
}

// ResponsibleLines are the collectives and people a responsibility review
// names, each with its conclusion, as a notice issued after the review
// prints them: "Ủy ban nhân dân xã: kiểm điểm rút kinh nghiệm", "Ông
// Nguyễn Văn X, Chủ tịch Ủy ban nhân dân xã: khiển trách"; then the
// effect on the emulation assessment.
func ResponsibleLines(r ResponsibilityReview) []string {
	var out []string
	for _, x := range r.Responsible {
		who := strings.TrimSpace(x.Unit)
		if p := strings.TrimSpace(x.Person); p != "" {
			who = p
			if pos := strings.TrimSpace(x.Position); pos != "" {
				who += ", " + pos
			}
			if u := strings.TrimSpace(x.Unit); u != "" && !strings.Contains(who, u) {
				who += " (" + u + ")"
			}
		}
		out = append(out, who+": "+strings.TrimSpace(x.Conclusion))
	}
	if e := strings.TrimSpace(r.Emulation); e != "" {
		out = append(out, "Thi đua: "+e)
	}
	return out
}
