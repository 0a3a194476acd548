package transformation

import (
	"fmt"

	"go.temporal.io/sdk/workflow"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/issuing"
)

// The provincial review report (báo cáo sơ kết, seed 001 §III.2: "Giao Công
// an tỉnh - Thường trực Ban Chỉ đạo … tham mưu Ban Chỉ đạo tỉnh tổ chức Hội
// nghị sơ kết cấp tỉnh và tổng hợp báo cáo kết quả chuyển hóa"). When the
// secretariat sends the conference's day and conclusions, the product
// compiles the report from what it holds — each commune of the year as its
// review report and, once it has appraised, the council found it (§II.1:
// "Số địa bàn chuyển hóa đạt, số địa bàn chuyển hóa chưa đạt, nguyên
// nhân"), the units' reviews in their areas with the day each was held,
// the conference's day and conclusions — and issues it: numbered as a
// report, signed by the committee's configured signer, sealed, archived
// and delivered to the "Nơi nhận" of the plan. A refused issue (a ground
// or the signature missing) leaves the conference's task open. When the
// worker has the head sign elsewhere, the report is prepared for the
// head's own certificate instead and issued by the head's signature
// (headsign.go: headReview).

// reviewReportVersion is the change that issues the review report;
// conferences recorded before it issued none.
const reviewReportVersion = "review-report"

// issuesReview reports whether a plan step's report is the provincial
// conference's, which issues the review report.
func issuesReview(p *PlanStepStatus) bool {
	return p.Deadline == cycle.DeadlineReviewConference && p.Unit == ""
}

// review is the review report of a year as the conference concluded in
// rep, and the required grounds it lacks.
func (k cohortDocuments) review(ctx workflow.Context, year int, rep cycle.PlanReport) (cycle.DocumentContent, []cycle.Problem) {
	c := k.document(ctx, cycle.DocReview, year)
	rv := &cycle.ReviewContent{Held: rep.Held, Conclusions: rep.Content}
	if y := k.s.yearOf(year); y != nil {
		results := map[string]cycle.CommuneResult{}
		for _, r := range y.Results {
			results[r.Commune.Commune] = r
		}
		for _, code := range y.Communes {
			cc := k.s.cohortCommune(code)
			dc := cycle.DocumentCommune{ListedCommune: cc.ListedCommune}
			v, ok := y.Verdicts[code]
			reported := ok && v.Reported
			if reported {
				rv.Reports++
			}
			switch r, ok := results[code]; {
			case ok:
				dc.Note = cycle.ResultNote(r, y.YearNo[code])
				if r.Outcome == cycle.OutcomePass {
					rv.Passed++
				} else {
					dc.Note += ": " + cycle.UnmetNote(r)
				}
			case reported && v.Verdict.Outcome == cycle.OutcomePass:
				dc.Note = "Đạt (theo báo cáo của đơn vị, chờ Hội đồng thẩm định)"
				rv.Passed++
			case reported:
				dc.Note = "Chưa đạt (theo báo cáo của đơn vị): " + cycle.UnmetNote(cycle.CommuneResult{CommuneVerdict: v})
			default:
				dc.Note = "Chưa gửi báo cáo sơ kết"
			}
			c.Communes = append(c.Communes, dc)
		}
	}
	for _, p := range k.s.Plan {
		if p.Deadline == cycle.DeadlineLocalReviews && p.Year == year && p.Unit != "" {
			l := cycle.LocalReview{UnitName: p.UnitName, Due: p.Due}
			if p.Report != nil {
				l.Held = p.Report.Held
			}
			rv.Local = append(rv.Local, l)
		}
	}
	c.Review = rv
	return c, k.prepare(&c, cycle.Actor{})
}

// reviewJob is the review report of year as the conference concluded in
// rep, sent by the secretariat's officer by, for the issue pipeline;
// refused when it lacks a required ground.
func (k cohortDocuments) reviewJob(ctx workflow.Context, year int, rep cycle.PlanReport, by cycle.Actor) (issuing.Job, error) {
	c, probs := k.review(ctx, year, rep)
	if err := cycle.CheckGrounds(fmt.Sprintf("Báo cáo sơ kết năm %d", year), probs); err != nil {
		return issuing.Job{}, err
	}
	return k.job(ctx, fmt.Sprintf("%s/%s/%d", k.c.ID, cycle.DocReview, year), c, cycle.Actor{}, by), nil
}

// issueReview issues the review report of a plan step's year, sent by
// the secretariat's officer by, signed on the worker by the committee's
// configured signer.
func (k cohortDocuments) issueReview(ctx workflow.Context, p *PlanStepStatus, rep cycle.PlanReport, by cycle.Actor) (issuing.Issued, error) {
	j, err := k.reviewJob(ctx, p.Year, rep, by)
	if err != nil {
		return issuing.Issued{}, err
	}
	return k.issue(ctx, j)
}
