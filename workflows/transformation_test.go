package workflows_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"chuyenhoa/cycle"
	"chuyenhoa/policies"
	"chuyenhoa/sample"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/selection"
	"chuyenhoa/workflows/transformation"
)

// The transformation years' documents, as stand-ins: the flow is checked
// here, the documents in package templates.
// txHarness runs a cycle through its selection into the transformation
// years, with the communes' workflows as its children.
type txHarness struct {
	*harness
	list []cycle.CommuneInProgramme
}

func newTxHarness(t *testing.T) *txHarness {
	h := newHarness(t, vn(2026, time.December, 1, 9))
	pol, err := policies.ByID("000-quang-ngai-2021-2025")
	require.NoError(t, err)
	h.pol, h.input.Policy = pol, pol
	h.input.StopAtDecision = false
	h.env.SetTestTimeout(2 * time.Minute)
	x := &txHarness{harness: h}
	for _, c := range cycle.Select(h.prov, h.pol, h.proposals).Selected() {
		rc, _ := h.prov.Commune(c.Commune)
		d, _ := h.prov.District(rc.District)
		x.list = append(x.list, cycle.CommuneInProgramme{ListedCommune: cycle.ListedCommune{Commune: c.Commune, Name: rc.Name, District: rc.District, DistrictName: d.Name, Types: c.Types},
			Kind: rc.Kind, FirstYear: 2027, Year: 2027, YearNo: 1})
	}
	// The selection, on time: the decision is issued on 06/01/2027.
	h.at(vn(2026, time.December, 1, 10), func() { h.submitAll() })
	h.at(vn(2026, time.December, 2, 9), func() {
		h.update(selection.UpdateConsolidate, "c1", selection.ConsolidateRequest{Request: req(secretariat, "c1")})
	})
	h.at(vn(2026, time.December, 3, 9), func() {
		h.update(selection.UpdateAppraise, "a1", selection.AppraiseRequest{Request: req(chair, "a1"), Appraisal: cycle.Appraisal{Approved: true}})
	})
	h.at(vn(2027, time.January, 5, 9), func() { h.update(selection.UpdateSign, "s1", selection.SignRequest{Request: req(signer, "s1")}) })
	h.at(vn(2027, time.January, 6, 9), func() { h.update(selection.UpdateIssue, "i1", selection.IssueRequest{Request: req(clerk, "i1")}) })
	return x
}

func (x *txHarness) childID(c cycle.CommuneInProgramme) string {
	return transformation.WorkflowID(x.prov.Code, c.Commune, 2027)
}

// updateChild sends an update to a commune's workflow and records what happened.
func (x *txHarness) updateChild(c cycle.CommuneInProgramme, name, rid string, arg any) *outcome {
	o := &outcome{}
	err := x.env.UpdateWorkflowByID(x.childID(c), name, rid, &testsuite.TestUpdateCallback{
		OnReject:   func(err error) { o.rejected = err },
		OnAccept:   func() {},
		OnComplete: func(r any, err error) { o.result, o.err = r, err },
	}, arg)
	if err != nil {
		o.err = err
	}
	return o
}

func (x *txHarness) report(c cycle.CommuneInProgramme, kind cycle.ReportKind, rid string, pass bool) *outcome {
	return x.updateChild(c, transformation.UpdateSubmitReport, rid, transformation.SubmitReportRequest{
		Request: req(officer(c.District), rid), Kind: kind, Report: sample.Report(x.pol, c, pass)})
}

func (x *txHarness) childState(c cycle.CommuneInProgramme) transformation.CommuneState {
	x.t.Helper()
	v, err := x.env.QueryWorkflowByID(x.childID(c), transformation.QueryCommune)
	require.NoError(x.t, err)
	var s transformation.CommuneState
	require.NoError(x.t, v.Get(&s))
	return s
}

func yearReq(a cycle.Actor, rid string, year int) transformation.YearRequest {
	return transformation.YearRequest{Request: req(a, rid), Year: year}
}

// yearEnd: the council confirms the verdicts of year y on 02/01, the head
// signs on 03/01, the clerk issues on 04/01.
func (x *txHarness) yearEnd(y int, appraisal cycle.ResultsAppraisal) (appr, sign, iss **outcome) {
	appr, sign, iss = new(*outcome), new(*outcome), new(*outcome)
	x.at(vn(y+1, time.January, 2, 9), func() {
		*appr = x.update(transformation.UpdateAppraiseResults, fmt.Sprintf("ar%d", y), transformation.AppraiseResultsRequest{Request: req(chair, fmt.Sprintf("ar%d", y)), Year: y, Appraisal: appraisal})
	})
	x.at(vn(y+1, time.January, 3, 9), func() {
		*sign = x.update(transformation.UpdateSignResults, fmt.Sprintf("sr%d", y), yearReq(signer, fmt.Sprintf("sr%d", y), y))
	})
	x.at(vn(y+1, time.January, 4, 9), func() {
		*iss = x.update(transformation.UpdateIssueResults, fmt.Sprintf("ir%d", y), yearReq(clerk, fmt.Sprintf("ir%d", y), y))
	})
	return appr, sign, iss
}

// recognition: the council appraises the follow-ups on 08/07 (000
// §II.4.b), the head signs on 10/07, the clerk issues on 11/07 the
// recognition of the communes that passed year y and the council proposes.
func (x *txHarness) recognition(y int) (sign, iss **outcome) {
	_, sign, iss = x.recognitionAppraised(y, cycle.ResultsAppraisal{Minutes: "Hội đồng thẩm định thống nhất đề nghị công nhận"})
	return sign, iss
}

func (x *txHarness) recognitionAppraised(y int, a cycle.ResultsAppraisal) (appr, sign, iss **outcome) {
	appr, sign, iss = new(*outcome), new(*outcome), new(*outcome)
	x.at(vn(y+1, time.July, 8, 9), func() {
		*appr = x.update(transformation.UpdateAppraiseRecognition, fmt.Sprintf("ac%d", y), transformation.AppraiseResultsRequest{Request: req(chair, fmt.Sprintf("ac%d", y)), Year: y, Appraisal: a})
	})
	x.at(vn(y+1, time.July, 10, 9), func() {
		*sign = x.update(transformation.UpdateSignRecognition, fmt.Sprintf("sg%d", y), yearReq(signer, fmt.Sprintf("sg%d", y), y))
	})
	x.at(vn(y+1, time.July, 11, 9), func() {
		*iss = x.update(transformation.UpdateIssueRecognition, fmt.Sprintf("is%d", y), yearReq(clerk, fmt.Sprintf("is%d", y), y))
	})
	return appr, sign, iss
}

// The whole life of a cohort, with time skipping: 2027's list of 25
// communes runs its transformation year; at the year's end the council
// confirms the verdicts. Commune A passes and is recognised after its
// follow-up; B passes and relapses at the follow-up; C fails, is reviewed,
// continues into 2028 and passes then; D fails twice and goes to a
// responsibility review; E reports late, with reminders, an overdue notice
// and an escalation, and passes. The others pass and are recognised.
func TestTransformationTimelines(t *testing.T) {
	x := newTxHarness(t)
	// Every change asked by a workflow of the test (the cycle and its
	// communes): the communes' runs, started by this code, are born with
	// theirs (transformation.CommuneChanges) and ask none of them.
	asked := map[string]bool{}
	x.env.OnGetVersion(mock.Anything, workflow.DefaultVersion, 1).Return(func(id string, _, max workflow.Version) workflow.Version {
		asked[id] = true
		return max
	})
	require.GreaterOrEqual(t, len(x.list), 5)
	A, B, C, D, E := x.list[0], x.list[1], x.list[2], x.list[3], x.list[4]
	failsFirst := map[string]bool{C.Commune: true, D.Commune: true}
	onTime := func(c cycle.CommuneInProgramme) bool { return c.Commune != E.Commune }

	var early, wrongUnit, missing, dup, second, lateYearly, lateHalf *outcome
	var first *outcome
	// The half-year report, 15/12/2026–14/06/2027: the task opens on 14/06.
	x.at(vn(2027, time.June, 1, 9), func() { early = x.report(A, cycle.ReportHalfYear, "h-early", true) })
	x.at(vn(2027, time.June, 15, 9), func() {
		for _, c := range x.list {
			if onTime(c) {
				o := x.report(c, cycle.ReportHalfYear, "h-"+c.Commune, true)
				if c.Commune == A.Commune {
					first = o
				}
			}
		}
		dup = x.report(A, cycle.ReportHalfYear, "h-"+A.Commune, true)
		second = x.report(A, cycle.ReportHalfYear, "h-again", true)
		other := x.list[len(x.list)-1]
		for _, c := range x.list {
			if c.District != A.District {
				other = c
			}
		}
		wrongUnit = x.updateChild(A, transformation.UpdateSubmitReport, "h-wrong", transformation.SubmitReportRequest{
			Request: req(officer(other.District), "h-wrong"), Kind: cycle.ReportHalfYear, Report: sample.Report(x.pol, A, true)})
	})
	x.at(vn(2027, time.June, 30, 9), func() { lateHalf = x.report(E, cycle.ReportHalfYear, "h-"+E.Commune, true) })
	// The yearly report, 15/12/2026–14/12/2027, due 20/12/2027.
	x.at(vn(2027, time.December, 15, 9), func() {
		bad := sample.Report(x.pol, A, true)
		bad.Figures.TipsReceived = nil
		missing = x.updateChild(A, transformation.UpdateSubmitReport, "y-missing", transformation.SubmitReportRequest{Request: req(officer(A.District), "y-missing"), Kind: cycle.ReportYearly, Report: bad})
		for _, c := range x.list {
			if onTime(c) {
				x.report(c, cycle.ReportYearly, "y-"+c.Commune, !failsFirst[c.Commune])
			}
		}
	})
	var duringYear selection.CycleState
	x.at(vn(2027, time.December, 22, 9), func() { duringYear = x.state() })
	x.at(vn(2027, time.December, 28, 9), func() { lateYearly = x.report(E, cycle.ReportYearly, "y-"+E.Commune, true) })
	appr27, sign27, iss27 := x.yearEnd(2027, cycle.ResultsAppraisal{Minutes: "Hội đồng thẩm định thống nhất"})
	// C's district reviews its failure; the follow-ups (04/01–03/07/2028) report on 05/07.
	var review *outcome
	x.at(vn(2028, time.January, 10, 9), func() {
		review = x.updateChild(C, transformation.UpdateSubmitReview, "rv-c", transformation.SubmitReviewRequest{Request: req(officer(C.District), "rv-c"),
			Failure: &cycle.FailureReview{Causes: []string{"Tỷ lệ điều tra, khám phá thấp"}, Remedies: []string{"Tăng cường lực lượng trinh sát"}}})
	})
	// D's district sends its failure review of 2027 only after D's second
	// year has ended in a responsibility review: D's workflow waits for it.
	var lateReview *outcome
	x.at(vn(2029, time.February, 1, 9), func() {
		lateReview = x.updateChild(D, transformation.UpdateSubmitReview, "rv-d", transformation.SubmitReviewRequest{Request: req(officer(D.District), "rv-d"),
			Failure: &cycle.FailureReview{Causes: []string{"Chưa huy động quần chúng"}, Remedies: []string{"Xây dựng mô hình tự quản"}}})
	})
	x.at(vn(2028, time.July, 5, 9), func() {
		for _, c := range x.list {
			if !failsFirst[c.Commune] {
				x.report(c, cycle.ReportFollowUp, "f-"+c.Commune, c.Commune != B.Commune)
			}
		}
	})
	// 000 §II.4.b: the council appraises the follow-ups before the head
	// signs. It confirms B's relapse and concludes, against F's passing
	// report and with its reason, that F has relapsed. Before that, an
	// override without a reason and a commune not in the batch are refused.
	F := x.list[5]
	var noReason, notInBatch, earlyConclusion *outcome
	var stateB transformation.CommuneState
	x.at(vn(2028, time.July, 6, 9), func() {
		bad := func(rid string, d cycle.ResultDecision) *outcome {
			return x.update(transformation.UpdateAppraiseRecognition, rid, transformation.AppraiseResultsRequest{Request: req(chair, rid), Year: 2027,
				Appraisal: cycle.ResultsAppraisal{Decisions: []cycle.ResultDecision{d}}})
		}
		noReason = bad("ac-noreason", cycle.ResultDecision{Commune: F.Commune, Outcome: cycle.OutcomeFail})
		notInBatch = bad("ac-c", cycle.ResultDecision{Commune: C.Commune, Outcome: cycle.OutcomePass, Reason: "Đã chuyển hóa đạt năm 2028"})
		stateB = x.childState(B)
	})
	x.at(vn(2027, time.July, 20, 9), func() {
		earlyConclusion = x.update(transformation.UpdateAppraiseRecognition, "ac-early", transformation.AppraiseResultsRequest{Request: req(chair, "ac-early"), Year: 2027})
	})
	appraisedFollowUps, rsign27, riss27 := x.recognitionAppraised(2027, cycle.ResultsAppraisal{Minutes: "Biên bản họp Hội đồng thẩm định ngày 08/7/2028",
		Decisions: []cycle.ResultDecision{{Commune: F.Commune, Outcome: cycle.OutcomeFail, Reason: "Tháng 6/2028 xảy ra vụ giết người, tình hình phức tạp trở lại"}}})
	var stateF transformation.CommuneState
	x.at(vn(2028, time.July, 9, 9), func() { stateF = x.childState(F) })
	// The second year of C and D (2028).
	x.at(vn(2028, time.June, 15, 9), func() {
		x.report(C, cycle.ReportHalfYear, "h2-c", true)
		x.report(D, cycle.ReportHalfYear, "h2-d", true)
	})
	x.at(vn(2028, time.December, 15, 9), func() {
		x.report(C, cycle.ReportYearly, "y2-c", true)
		x.report(D, cycle.ReportYearly, "y2-d", false)
	})
	_, _, iss28 := x.yearEnd(2028, cycle.ResultsAppraisal{})
	var resp *outcome
	x.at(vn(2029, time.January, 10, 9), func() {
		resp = x.updateChild(D, transformation.UpdateSubmitReview, "resp-d", transformation.SubmitReviewRequest{Request: req(secretariat, "resp-d"),
			Responsibility: &cycle.ResponsibilityReview{
				Responsible: []cycle.Responsible{{Unit: "Công an " + D.DistrictName, Person: "Trưởng Công an xã", Conclusion: "Kiểm điểm, rút kinh nghiệm"}},
				Emulation:   "Không xét danh hiệu thi đua năm 2028"}})
	})
	x.at(vn(2029, time.July, 5, 9), func() { x.report(C, cycle.ReportFollowUp, "f2-c", true) })
	_, riss28 := x.recognition(2028)
	var stateC2 transformation.CommuneState
	x.at(vn(2028, time.March, 1, 9), func() { stateC2 = x.childState(C) })

	d := x.run()
	ctx := context.Background()

	// Asked by the cycle alone: the communes' own changes never.
	var askedOfCommune []string
	for _, ch := range transformation.CommuneChanges {
		if asked[ch] {
			askedOfCommune = append(askedOfCommune, ch)
		}
	}
	require.ElementsMatch(t, []string{flow.TaskBatches, flow.OpensLocally, "council-appraises-recognition"}, askedOfCommune,
		"the changes of a commune's run asked by GetVersion (two history events each, per run) — only the cycle's own may be")
	require.NotEmpty(t, asked, "the cycle asks its changes")

	// Refusals: nothing stored, every one says what is wrong.
	require.Equal(t, cycle.ECONFLICT, early.code(), "a report before its period ends")
	require.Empty(t, first.code())
	require.Empty(t, dup.code(), "the same request returns the first result")
	require.Equal(t, first.result, dup.result)
	require.Equal(t, cycle.ECONFLICT, second.code(), "a second half-year report")
	require.Equal(t, cycle.EFORBIDDEN, wrongUnit.code())
	require.Equal(t, cycle.EINVALID, missing.code())
	require.Contains(t, flow.AsCycleError(missing.rejected).Error(), "figures.tips_received")
	require.Empty(t, lateHalf.code())
	require.True(t, lateHalf.result.(transformation.SubmitReportResult).Late)
	require.Empty(t, lateYearly.code())
	require.True(t, lateYearly.result.(transformation.SubmitReportResult).Late)
	// The yearly reports were due on 20/12: the council's task opened when
	// the day ended, with E's report still missing; E's late report came
	// in before the council met, and counts.
	require.Equal(t, cycle.PhaseResults, duringYear.Phase)
	require.Len(t, duringYear.Transformation.Years[0].Verdicts, len(x.list)-1)

	// Year 2027: 23 of 25 transformed; C and D continue.
	for _, o := range []*outcome{*appr27, *sign27, *iss27, *appraisedFollowUps, *rsign27, *riss27, *iss28, *riss28, review, resp, lateReview} {
		require.Empty(t, o.code())
	}
	// The council's appraisal of the follow-ups: refused without a reason
	// for an override, for a commune not in the batch, and before the
	// follow-ups are in; a relapse waits for the council.
	require.Equal(t, cycle.EINVALID, noReason.code())
	require.Contains(t, flow.AsCycleError(noReason.rejected).Text, "Kết luận thẩm định trước khi công nhận chưa hợp lệ")
	require.Equal(t, cycle.EINVALID, notInBatch.code())
	require.Contains(t, flow.AsCycleError(notInBatch.rejected).Error(), "not considered for recognition")
	require.Equal(t, cycle.ECONFLICT, earlyConclusion.code())
	require.Equal(t, cycle.StandingFollowUp, stateB.Standing, "a failed follow-up is not a relapse until the council concludes")
	require.Nil(t, stateB.Conclusion)
	conclusions := (*appraisedFollowUps).result.([]cycle.CommuneResult)
	require.Len(t, conclusions, len(x.list)-2, "the 23 communes that passed 2027")
	byCode := map[string]cycle.CommuneResult{}
	for _, r := range conclusions {
		byCode[r.Commune.Commune] = r
	}
	require.Equal(t, cycle.OutcomeFail, byCode[B.Commune].Outcome)
	require.False(t, byCode[B.Commune].Overridden)
	require.Equal(t, cycle.OutcomeFail, byCode[F.Commune].Outcome)
	require.True(t, byCode[F.Commune].Overridden)
	require.Equal(t, cycle.StandingRelapsed, stateF.Standing)
	require.NotNil(t, stateF.Conclusion)
	require.Contains(t, stateF.Conclusion.Reason, "giết người")
	require.Contains(t, stateF.Events[len(stateF.Events)-1].Text, "Hội đồng thẩm định kết luận địa bàn tái phức tạp")
	results := (*appr27).result.([]cycle.CommuneResult)
	require.Len(t, results, len(x.list))
	docs27 := (*iss27).result.([]cycle.Decision)
	require.Len(t, docs27, 2, "the continuation notice and the summary")
	// Numbers run per issuing body and year: 2028's register starts with
	// the results of 2027, issued on 04/01/2028.
	require.Equal(t, "1/TB-BCĐ", docs27[0].Code)
	require.Equal(t, "2/BC-BCĐ", docs27[1].Code)
	require.Equal(t, 2028, docs27[0].Year)
	rec27 := (*riss27).result.(cycle.Decision)
	require.Equal(t, "3/QĐ-BCĐ", rec27.Code)
	require.Len(t, rec27.Communes, len(x.list)-4, "all but B and F (relapsed), C and D")
	docs28 := (*iss28).result.([]cycle.Decision)
	require.Len(t, docs28, 2, "the responsibility notice and the summary")
	require.Contains(t, docs28[0].Code, "TB-BCĐ")
	rec28 := (*riss28).result.(cycle.Decision)
	require.Len(t, rec28.Communes, 1)
	require.Equal(t, C.Commune, rec28.Communes[0].Commune)

	// C's second year ran in a new run of its workflow, carrying the first.
	require.Equal(t, 2, stateC2.Commune.YearNo)
	require.Equal(t, 2028, stateC2.Commune.Year)
	require.Len(t, stateC2.History, 1)
	require.Equal(t, cycle.OutcomeFail, stateC2.History[0].Outcome)

	standing := map[string]cycle.Standing{}
	txs, err := x.store.Transformations(ctx, x.prov.Code)
	require.NoError(t, err)
	for _, tr := range txs {
		standing[tr.Commune] = tr.Standing
	}
	require.Equal(t, cycle.StandingRecognised, standing[A.Commune])
	require.Equal(t, cycle.StandingRelapsed, standing[B.Commune])
	require.Equal(t, cycle.StandingRelapsed, standing[F.Commune])
	require.Equal(t, cycle.StandingRecognised, standing[C.Commune])
	require.Equal(t, cycle.StandingResponsibility, standing[D.Commune])
	require.Equal(t, cycle.StandingRecognised, standing[E.Commune])

	// The province's indicators.
	rows, err := x.store.Outcomes(ctx, x.prov.Code)
	require.NoError(t, err)
	k27 := cycle.ComputeKPI(x.pol, x.prov.Code, 2027, rows)
	require.Equal(t, len(x.list), k27.Selected)
	require.Equal(t, len(x.list)-2, k27.Transformed)
	require.Equal(t, len(x.list)-2, k27.FollowedUp)
	require.Equal(t, 2, k27.Relapsed)
	require.True(t, k27.MeetsTransformed())
	k28 := cycle.ComputeKPI(x.pol, x.prov.Code, 2028, rows)
	require.Equal(t, 2, k28.Selected)
	require.Equal(t, 1, k28.Transformed)

	// E's late yearly report: the reminder the day before, the overdue
	// notice when 20/12 ended, an escalation to the secretariat on 23/12.
	kinds := map[cycle.NotificationKind]int{}
	for _, n := range x.notifications() {
		if n.TaskID == fmt.Sprintf("yearly_report/%s/2027", E.Commune) {
			kinds[n.Kind]++
		}
	}
	require.Equal(t, 1, kinds[cycle.NotifyReminder])
	require.Equal(t, 1, kinds[cycle.NotifyOverdue])
	require.GreaterOrEqual(t, kinds[cycle.NotifyEscalation], 1)

	// Nothing is left open; the cycle ends closed with its decision.
	open, err := x.store.OpenTasks(ctx, cycle.TaskFilter{CycleID: x.cycleID()})
	require.NoError(t, err)
	require.Empty(t, open)
	require.Equal(t, "1/QĐ-BCĐ", d.Code)
	st := x.state()
	require.Equal(t, cycle.PhaseClosed, st.Phase)
	var summary []string
	for _, e := range st.Events {
		summary = append(summary, e.Summary)
	}
	require.Contains(t, strings.Join(summary, "\n"), "recognition decision Số 3/QĐ-BCĐ issued")
}
