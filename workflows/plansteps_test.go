package workflows_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"chuyenhoa/cycle"
	"chuyenhoa/policies"
	"chuyenhoa/templates"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/selection"
	"chuyenhoa/workflows/transformation"
)

// Each plan runs its own dates and process (issue 14, item 1). The seeds
// 001, 002 and 004 are review, social-order and model plans whose
// selection and evaluation rules the product takes from seed 000; these
// tests run seed 000's cycle with each seed's own deadlines, periods and
// process, read from its policy file, and check the tasks, due dates and
// outcomes the plan names.

// grafted is seed 000 with the deadlines, periods and process of seed id.
func grafted(t *testing.T, id string) cycle.Policy {
	t.Helper()
	base, err := policies.ByID(policies.DefaultID)
	require.NoError(t, err)
	seed, err := policies.ByID(id)
	require.NoError(t, err)
	base.Deadlines, base.Process, base.Awards = seed.Deadlines, seed.Process, seed.Awards
	for _, p := range seed.Periods {
		if p.Name != "yearly" { // 004's calendar year: its criteria, not its dates, need seed 000's
			base.Periods = append(base.Periods, p)
		}
	}
	return base
}

func newPlanHarness(t *testing.T, id string) *txHarness {
	x := newTxHarness(t)
	x.pol = grafted(t, id)
	x.input.Policy = x.pol
	return x
}

// planSteps are the cycle's plan steps at a moment.
func planSteps(s selection.CycleState) []transformation.PlanStepStatus {
	if s.Transformation == nil {
		return nil
	}
	var out []transformation.PlanStepStatus
	for _, p := range s.Transformation.Plan {
		out = append(out, *p)
	}
	return out
}

func planReq(a cycle.Actor, rid, task, content string, held cycle.Date) transformation.SubmitPlanReportRequest {
	return transformation.SubmitPlanReportRequest{Request: req(a, rid), TaskID: task, Report: cycle.PlanReport{Content: content, Held: held}}
}

// units are the distinct units of the list, in list order.
func (x *txHarness) units() []string {
	var out []string
	for _, c := range x.list {
		if !contains(out, c.District) {
			out = append(out, c.District)
		}
	}
	return out
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// everyoneReports: the half-year reports on 15/06, the yearly reports on
// day yearly (failing the communes in fail), the year-end appraisal in
// January, the follow-ups on 05/07 and the recognition in July.
func (x *txHarness) everyoneReports(yearly time.Time, fail map[string]bool) (iss27 **outcome) {
	x.at(vn(2027, time.June, 15, 9), func() {
		for _, c := range x.list {
			x.report(c, cycle.ReportHalfYear, "h-"+c.Commune, true)
		}
	})
	x.at(yearly, func() {
		for _, c := range x.list {
			x.report(c, cycle.ReportYearly, "y-"+c.Commune, !fail[c.Commune])
		}
	})
	_, _, iss27 = x.yearEnd(2027, cycle.ResultsAppraisal{Minutes: "Hội đồng thẩm định thống nhất"})
	x.at(vn(2028, time.July, 5, 9), func() {
		for _, c := range x.list {
			if !fail[c.Commune] {
				x.report(c, cycle.ReportFollowUp, "f-"+c.Commune, true)
			}
		}
	})
	x.recognition(2027)
	return iss27
}

// 004 (Quảng Ninh, 2023) §IV.1: "Định kỳ hàng quý (trước ngày 15 của tháng
// cuối quý) báo cáo tình hình, kết quả triển khai thực hiện"; §IV.2: "Thời
// gian đề nghị xét, công nhận mô hình An ninh cơ sở là trước ngày 15/10
// hàng năm"; §III.11: a unit that does not reach the standard has its
// collectives and officers reviewed for responsibility — no second year.
func TestPlan004QuarterlyReportsAndNoSecondYear(t *testing.T) {
	x := newPlanHarness(t, "004-quang-ninh-2023")
	require.False(t, x.pol.HasSecondYear())
	C := x.list[2]
	fail := map[string]bool{C.Commune: true}
	A := x.list[0]
	units := x.units()

	var march, october []transformation.PlanStepStatus
	x.at(vn(2027, time.March, 1, 9), func() { march = planSteps(x.state()) })
	x.at(vn(2027, time.October, 1, 9), func() { october = planSteps(x.state()) })
	quarter := func(u string) string { return "plan_report/quarterly_report/" + u + "/2027-03-14" }
	var ok, dup, empty, wrongUnit, held *outcome
	x.at(vn(2027, time.March, 2, 9), func() {
		ok = x.update(transformation.UpdateSubmitPlanReport, "q1", planReq(officer(A.District), "q1", quarter(A.District), "Quý I: đã triển khai kế hoạch tại 2 xã, kéo giảm 3 vụ.", cycle.Date{}))
		dup = x.update(transformation.UpdateSubmitPlanReport, "q1", planReq(officer(A.District), "q1", quarter(A.District), "Quý I: đã triển khai kế hoạch tại 2 xã, kéo giảm 3 vụ.", cycle.Date{}))
		empty = x.update(transformation.UpdateSubmitPlanReport, "q2", planReq(officer(units[1]), "q2", quarter(units[1]), "  ", cycle.Date{}))
		wrongUnit = x.update(transformation.UpdateSubmitPlanReport, "q3", planReq(officer(A.District), "q3", quarter(units[1]), "Báo cáo", cycle.Date{}))
		held = x.update(transformation.UpdateSubmitPlanReport, "q4", planReq(officer(units[1]), "q4", quarter(units[1]), "Báo cáo quý", cycle.D(2027, 3, 1)))
	})
	// §IV.2, the recognition proposals (opened 29/09, due 14/10): a unit
	// names its own communes; another unit's commune and a commune named
	// in a quarterly report are refused.
	proposal := func(u string) string { return "plan_report/recognition_proposals/" + u + "/2027-10-14" }
	var proposed, foreign, notAProposal *outcome
	x.at(vn(2027, time.October, 2, 9), func() {
		var own []string
		for _, c := range x.list {
			if c.District == A.District && c.Commune != C.Commune {
				own = append(own, c.Commune)
			}
		}
		r := planReq(officer(A.District), "p1", proposal(A.District), "Tờ trình đề nghị xét, công nhận", cycle.Date{})
		r.Report.Communes = own
		proposed = x.update(transformation.UpdateSubmitPlanReport, "p1", r)
		r = planReq(officer(units[1]), "p2", proposal(units[1]), "Tờ trình đề nghị xét, công nhận", cycle.Date{})
		r.Report.Communes = []string{A.Commune}
		foreign = x.update(transformation.UpdateSubmitPlanReport, "p2", r)
		r = planReq(officer(units[1]), "q9", "plan_report/quarterly_report/"+units[1]+"/2027-09-14", "Báo cáo quý III", cycle.Date{})
		r.Report.Communes = []string{C.Commune}
		notAProposal = x.update(transformation.UpdateSubmitPlanReport, "q9", r)
	})
	iss27 := x.everyoneReports(vn(2027, time.December, 15, 9), fail)
	var resp *outcome
	x.at(vn(2028, time.January, 10, 9), func() {
		resp = x.updateChild(C, transformation.UpdateSubmitReview, "resp-c", transformation.SubmitReviewRequest{Request: req(secretariat, "resp-c"),
			Responsibility: &cycle.ResponsibilityReview{Responsible: []cycle.Responsible{{Unit: "Công an " + C.DistrictName, Conclusion: "Kiểm điểm, rút kinh nghiệm"}}, Emulation: "Không xét danh hiệu thi đua năm 2027"}})
	})
	x.run()

	// The first quarter's reports opened on 27/02, one per unit, due 14/03.
	require.Len(t, march, len(units))
	for i, p := range march {
		require.Equal(t, cycle.DeadlineQuarterlyReport, p.Deadline)
		require.Equal(t, units[i], p.Unit)
		require.Equal(t, "2027-03-14", p.Due.String(), "trước ngày 15 của tháng cuối quý")
		require.Contains(t, p.Clause, "Định kỳ hàng quý")
	}
	require.Empty(t, ok.code())
	require.Empty(t, dup.code(), "the same request returns its first result")
	require.Equal(t, ok.result, dup.result)
	require.Equal(t, cycle.EINVALID, empty.code())
	require.Contains(t, flow.AsCycleError(empty.rejected).Problems[0].Text, "Chưa ghi nội dung")
	require.Equal(t, cycle.EFORBIDDEN, wrongUnit.code())
	require.Equal(t, cycle.EINVALID, held.code(), "a report has no day held")
	// By October: the four quarters' reports so far and the recognition
	// proposals due 14/10.
	var dues []string
	for _, p := range october {
		if p.Unit == units[0] {
			dues = append(dues, string(p.Deadline)+" "+p.Due.String())
		}
	}
	require.Equal(t, []string{"quarterly_report 2027-03-14", "quarterly_report 2027-06-14", "quarterly_report 2027-09-14", "recognition_proposals 2027-10-14"}, dues)
	require.Empty(t, proposed.code())
	require.NotEmpty(t, proposed.result.(transformation.PlanStepStatus).Report.Communes)
	require.Equal(t, cycle.EINVALID, foreign.code(), "another unit's commune")
	require.Contains(t, flow.AsCycleError(foreign.rejected).Problems[0].Text, "không thuộc các địa bàn đang chuyển hóa của đơn vị")
	require.Equal(t, cycle.EINVALID, notAProposal.code(), "a quarterly report names no communes")
	require.Contains(t, flow.AsCycleError(notAProposal.rejected).Problems[0].Text, "Chỉ văn bản đề nghị xét, công nhận")

	// C failed 2027: no second year, a responsibility review; the notices
	// of 2027 are the responsibility notice and the summary.
	require.Empty(t, (*iss27).code())
	var kinds []string
	for _, d := range (*iss27).result.([]cycle.Decision) {
		kinds = append(kinds, d.Kind)
	}
	require.Equal(t, []string{cycle.DocResponsibility, cycle.DocSummary}, kinds, "no continuation notice: there is no second year")
	one := x.docs.data(templates.Responsibility).(templates.ResponsibilityData)
	require.True(t, one.OneYear)
	require.Equal(t, 2027, one.SecondYear)
	require.Empty(t, resp.code())
	txs, err := x.store.Transformations(context.Background(), x.prov.Code)
	require.NoError(t, err)
	for _, tr := range txs {
		if tr.Commune == C.Commune {
			require.Equal(t, cycle.StandingResponsibility, tr.Standing)
			require.Equal(t, 2027, tr.Year, "no second year")
		}
	}
	for _, tr := range txs {
		require.NotEqual(t, 2028, tr.Year, "nobody continues into 2028")
	}
	// Every task is done or closed when the programme ends: the plan steps
	// nobody answered are closed with the reason.
	open, err := x.store.OpenTasks(context.Background(), cycle.TaskFilter{CycleID: x.cycleID()})
	require.NoError(t, err)
	require.Empty(t, open)
	audit, err := x.store.Audit(context.Background(), x.cycleID())
	require.NoError(t, err)
	sent := 0
	for _, e := range audit {
		if strings.HasPrefix(e.TaskID, "plan_report/") && e.Action == string(cycle.TaskPlanReport) {
			sent++
		}
	}
	require.Equal(t, 2, sent, "one quarterly report and one recognition proposal sent (the retry stored nothing)")
}

// 002 (Bà Rịa – Vũng Tàu, 2020) §V.3: "có báo cáo tình hình, kết quả thực
// hiện gửi về Công an tỉnh trước ngày 20/11 hàng năm"; §V.1: "Định kỳ 6
// tháng, 01 năm các Tổ theo dõi thực hiện Kế hoạch tổ chức họp, đánh giá".
func TestPlan002ReportsBefore20NovemberAndMonitoringTeams(t *testing.T) {
	x := newPlanHarness(t, "002-ba-ria-vung-tau-2020")
	A := x.list[0]
	var before, after transformation.CommuneState
	x.at(vn(2027, time.November, 13, 9), func() { before = x.childState(A) })
	x.at(vn(2027, time.November, 14, 9), func() { after = x.childState(A) })
	var june []transformation.PlanStepStatus
	x.at(vn(2027, time.June, 16, 9), func() { june = planSteps(x.state()) })
	monitoring := "plan_report/monitoring/2027-06-30"
	var future, noHeld, met *outcome
	x.at(vn(2027, time.June, 20, 9), func() {
		future = x.update(transformation.UpdateSubmitPlanReport, "m0", planReq(secretariat, "m0", monitoring, "Họp Tổ theo dõi 6 tháng", cycle.D(2027, 6, 25)))
		noHeld = x.update(transformation.UpdateSubmitPlanReport, "m1", planReq(secretariat, "m1", monitoring, "Họp Tổ theo dõi 6 tháng", cycle.Date{}))
		met = x.update(transformation.UpdateSubmitPlanReport, "m2", planReq(secretariat, "m2", monitoring, "Các Tổ theo dõi họp, đánh giá 6 tháng đầu năm.", cycle.D(2027, 6, 19)))
	})
	x.everyoneReports(vn(2027, time.November, 15, 9), nil)
	x.run()

	// The yearly report covers 15/12/2026–14/11/2027 and is due 19/11: its
	// task opens on 14/11, before it is due, and the council's before any
	// report… after them: on the due date's end.
	var yearly transformation.ReportStatus
	for _, r := range after.Reports {
		if r.Kind == cycle.ReportYearly {
			yearly = r
		}
	}
	require.Equal(t, "2027-11-19", yearly.Due.String(), "trước ngày 20/11 hàng năm")
	require.Equal(t, "2027-11-14", yearly.Period.To.String())
	hasYearlyTask := func(s transformation.CommuneState) bool {
		for _, t := range s.OpenTasks {
			if t.Kind == cycle.TaskYearlyReport {
				return true
			}
		}
		return false
	}
	require.False(t, hasYearlyTask(before))
	require.True(t, hasYearlyTask(after))
	// The monitoring teams' meeting: the secretariat's, due 30/06, a meeting
	// whose day is asked and may not be in the future.
	require.Len(t, june, 1)
	require.Equal(t, cycle.RoleSecretariat, roleOf(june[0]))
	require.Equal(t, "2027-06-30", june[0].Due.String())
	require.Equal(t, cycle.EINVALID, future.code())
	require.Equal(t, cycle.EINVALID, noHeld.code())
	require.Empty(t, met.code())
	require.Equal(t, "2027-06-19", met.result.(transformation.PlanStepStatus).Report.Held.String())
}

func roleOf(p transformation.PlanStepStatus) cycle.Role {
	st, _ := p.Deadline.Step()
	return st.Role
}

// 001 (Tây Ninh, 2019): "gửi báo cáo về Ban Chỉ đạo 138 tỉnh (qua Công an
// tỉnh) trước ngày 16/11" on the review's statistics "từ ngày 16/11 năm
// trước đến 15/11"; "Tổ chức sơ kết tại các địa bàn chuyển hóa (hoàn thành
// trước ngày 30/11)"; "Tổ chức hội nghị sơ kết ở cấp tỉnh (hoàn thành trong
// tháng 12)".
func TestPlan001ReviewReportsLocalReviewsAndConference(t *testing.T) {
	x := newPlanHarness(t, "001-tay-ninh-2019")
	A := x.list[0]
	var st transformation.CommuneState
	x.at(vn(2027, time.November, 15, 10), func() { st = x.childState(A) })
	var dec []transformation.PlanStepStatus
	x.at(vn(2027, time.December, 20, 9), func() { dec = planSteps(x.state()) })
	local := fmt.Sprintf("plan_report/local_reviews/%s/2027-11-29", A.District)
	var review, conference *outcome
	x.at(vn(2027, time.November, 25, 9), func() {
		review = x.update(transformation.UpdateSubmitPlanReport, "lr", planReq(officer(A.District), "lr", local, "Sơ kết tại 2 xã: đạt yêu cầu, rút kinh nghiệm.", cycle.D(2027, 11, 24)))
	})
	x.at(vn(2027, time.December, 28, 9), func() {
		conference = x.update(transformation.UpdateSubmitPlanReport, "hn", planReq(secretariat, "hn", "plan_report/review_conference/2027-12-31", "Hội nghị sơ kết cấp tỉnh đã tổ chức.", cycle.D(2027, 12, 27)))
	})
	x.everyoneReports(vn(2027, time.November, 15, 11), nil)
	x.run()

	var yearly transformation.ReportStatus
	for _, r := range st.Reports {
		if r.Kind == cycle.ReportYearly {
			yearly = r
		}
	}
	require.Equal(t, "2026-11-16", yearly.Period.From.String(), "từ ngày 16/11 năm trước")
	require.Equal(t, "2027-11-15", yearly.Period.To.String(), "đến 15/11")
	require.Equal(t, "2027-11-15", yearly.Due.String(), "trước ngày 16/11")
	kinds := map[cycle.DeadlineKind]string{}
	for _, p := range dec {
		kinds[p.Deadline] = p.Due.String()
	}
	require.Equal(t, "2027-11-29", kinds[cycle.DeadlineLocalReviews], "hoàn thành trước ngày 30/11")
	require.Equal(t, "2027-12-31", kinds[cycle.DeadlineReviewConference], "trong tháng 12")
	require.Empty(t, review.code())
	require.Empty(t, conference.code())

	// §III.2: "tham mưu Ban Chỉ đạo tỉnh tổ chức Hội nghị sơ kết cấp tỉnh và
	// tổng hợp báo cáo kết quả chuyển hóa": the conference's conclusions are
	// issued in the review report, numbered as a report.
	var hn *transformation.PlanStepStatus
	for _, p := range planSteps(x.state()) {
		if p.Deadline == cycle.DeadlineReviewConference {
			hn = &p
		}
	}
	require.NotNil(t, hn)
	require.NotNil(t, hn.Document, "the review report is issued with the conference's conclusions")
	require.Equal(t, cycle.DocReview, hn.Document.Kind)
	require.Contains(t, hn.Document.Code, "/BC-")
	require.Equal(t, "2027-12-28", hn.Document.Date.String())
	rv := x.docs.data(templates.Review).(templates.ReviewData)
	require.Equal(t, 2027, rv.Year)
	require.Equal(t, len(x.list), rv.Selected)
	require.Equal(t, len(x.list), rv.Reports, "every commune sent its review report by 15/11")
	require.Equal(t, len(x.list), rv.Passed)
	require.Equal(t, "Đạt (theo báo cáo của đơn vị, chờ Hội đồng thẩm định)", rv.Communes[0].Note, "the council appraises in January: the report says what the units found")
	require.Len(t, rv.Local, len(x.units()), "one local review per unit with a commune in the programme")
	held := 0
	for _, l := range rv.Local {
		if !l.Held.IsZero() {
			held++
			require.Equal(t, "24/11/2027", l.Held.Format("02/01/2006"))
		}
	}
	require.Equal(t, 1, held, "only %s held its local review", A.DistrictName)
	require.Equal(t, []string{"Hội nghị sơ kết cấp tỉnh đã tổ chức."}, rv.Conclusions)
	require.Equal(t, "27/12/2027", rv.Held.Format("02/01/2006"))
	require.Equal(t, "2026-11-16", rv.PeriodFrom.Format("2006-01-02"), "số liệu sơ kết từ 16/11")
}

// A conference whose report cannot be issued (here, its conclusions are
// missing) leaves the task open and issues nothing.
func TestPlan001ConferenceRefusedIssuesNothing(t *testing.T) {
	x := newPlanHarness(t, "001-tay-ninh-2019")
	var bad, again *outcome
	x.at(vn(2027, time.December, 28, 9), func() {
		bad = x.update(transformation.UpdateSubmitPlanReport, "hn0", planReq(secretariat, "hn0", "plan_report/review_conference/2027-12-31", "  ", cycle.D(2027, 12, 27)))
	})
	x.at(vn(2027, time.December, 28, 11), func() {
		again = x.update(transformation.UpdateSubmitPlanReport, "hn1", planReq(secretariat, "hn1", "plan_report/review_conference/2027-12-31", "Kết luận:\n\nĐoạn một.\nĐoạn hai.", cycle.D(2027, 12, 27)))
	})
	var before []transformation.PlanStepStatus
	x.at(vn(2027, time.December, 28, 10), func() { before = planSteps(x.state()) })
	x.everyoneReports(vn(2027, time.November, 15, 11), nil)
	x.run()
	require.Equal(t, cycle.EINVALID, bad.code())
	for _, p := range before {
		require.Nil(t, p.Document, "nothing issued for a refused conference")
	}
	require.Empty(t, again.code())
	require.Equal(t, []string{"Kết luận:", "Đoạn một.", "Đoạn hai."}, x.docs.data(templates.Review).(templates.ReviewData).Conclusions)
}
