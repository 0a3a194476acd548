package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"chuyenhoa/cycle"
	"chuyenhoa/internal/display"
	"chuyenhoa/sample"
	"chuyenhoa/signing"
	"chuyenhoa/templates"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/selection"
	"chuyenhoa/workflows/transformation"
)

// DefaultDemoTimeScale is the demo's calendar speed: a calendar day passes
// in about 0.11 s, so the cohort's two and a half years take under two
// minutes. Real cycles run on real dates (time scale 0).
const DefaultDemoTimeScale = 800_000

// demoScenario is what the demo's officers do for one commune.
type demoScenario int

const (
	scenarioPass            demoScenario = iota // passes, held at the follow-up, recognised
	scenarioSecondYear                          // fails its first year, passes its second
	scenarioTwiceFailed                         // fails both years: responsibility review
	scenarioRelapse                             // passes, relapses at the follow-up
	scenarioLateReport                          // reports its year late (reminder, overdue, escalation), passes
	scenarioCouncilOverride                     // the report fails; the council overrides with a reason
)

func (s demoScenario) String() string {
	return [...]string{"đạt, công nhận", "không đạt năm 1 → đạt năm 2", "không đạt hai năm → kiểm điểm trách nhiệm",
		"đạt, phức tạp trở lại khi theo dõi", "báo cáo năm chậm, đạt", "báo cáo không đạt, Hội đồng công nhận đạt có lý do"}[s]
}

// under is the scenario as the policy runs it: under a plan with no
// second year (004) a failed year goes straight to the responsibility review.
func (s demoScenario) under(pol cycle.Policy) string {
	if !pol.HasSecondYear() && (s == scenarioSecondYear || s == scenarioTwiceFailed) {
		return "không đạt → kiểm điểm trách nhiệm (kế hoạch không có năm thứ hai)"
	}
	return s.String()
}

// demoTransformation plays the officers of the transformation years: it
// watches the cohort's open tasks in the store and completes each as the
// commune's scenario says, until every commune has its final outcome.
func (x *demo) demoTransformation(ctx context.Context, province string, year int, pol cycle.Policy, issuer cycle.Issuer, scale float64) error {
	id := selection.WorkflowID(province, year)
	st, err := x.waitState(ctx, id, func(s selection.CycleState) bool { return s.Transformation != nil && s.Transformation.Started })
	if err != nil {
		return err
	}
	tx := st.Transformation
	scenario := map[string]demoScenario{}
	byCode := map[string]transformation.CohortCommune{}
	for i, c := range tx.Communes {
		byCode[c.Commune] = c
		if i >= 1 && i <= 5 {
			scenario[c.Commune] = demoScenario(i)
		}
	}
	step(x.out, "8. The transformation year %d starts for %s, each its own workflow (transformation/%s/<commune>/%d); calendar sped up %s× from the decision's date (--time-scale; real cycles use real dates)",
		year, communes(len(tx.Communes)), province, year, strconv.FormatFloat(scale, 'f', -1, 64))
	for i := 1; i <= 5 && i < len(tx.Communes); i++ {
		c := tx.Communes[i]
		fmt.Fprintf(x.out, "   %-28s %s\n", c.Name, scenario[c.Commune].under(pol))
	}
	fmt.Fprintf(x.out, "   %-28s %s\n", fmt.Sprintf("the other %d", len(tx.Communes)-5), scenarioPass)

	people := map[cycle.Role]cycle.Actor{
		cycle.RoleSecretariat:  {ID: "cat.thuongtruc", Name: "Công an tỉnh — Cơ quan Thường trực", Role: cycle.RoleSecretariat},
		cycle.RoleCouncilChair: {ID: "hd.chutich", Name: "Chủ tịch Hội đồng thẩm định", Role: cycle.RoleCouncilChair},
		cycle.RoleSigner:       {ID: "truongban", Name: issuer.SignerName, Role: cycle.RoleSigner},
		cycle.RoleClerk:        {ID: "vanthu", Name: "Văn thư", Role: cycle.RoleClerk},
	}
	done := map[string]bool{}
	reports := 0
	for {
		st, err := x.cycles().State(ctx, id)
		if err != nil {
			return err
		}
		if st.Phase == cycle.PhaseClosed {
			break
		}
		tasks, err := x.db.OpenTasks(ctx, cycle.TaskFilter{CycleID: id})
		if err != nil {
			return err
		}
		type handled struct {
			out  strings.Builder
			done bool
			err  error
		}
		results := make([]*handled, len(tasks))
		var wg sync.WaitGroup
		for i, task := range tasks {
			if done[task.ID] {
				continue
			}
			h := &handled{}
			results[i] = h
			wg.Add(1)
			go func() {
				defer wg.Done()
				h.done, h.err = x.demoOfficer(ctx, &h.out, task, st, year, pol, issuer, people, scenario, byCode)
			}()
		}
		wg.Wait()
		for i, h := range results {
			if h == nil {
				continue
			}
			if h.err != nil {
				return h.err
			}
			fmt.Fprint(x.out, h.out.String())
			if h.done {
				done[tasks[i].ID] = true
				if k := tasks[i].Kind; k == cycle.TaskHalfYearReport || k == cycle.TaskYearlyReport || k == cycle.TaskFollowUpReport {
					reports++
				}
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(30 * time.Millisecond):
		}
	}
	return x.demoTransformationSummary(ctx, province, year, pol, reports)
}

// demoOfficer completes one open task of the cohort of the cycle of
// cycleYear as the commune's scenario says, through the transformation
// client: a commune's reports and reviews to its workflow, the year-end
// steps to the cycle's. It reports whether the task was done (a late
// district waits).
func (x *demo) demoOfficer(ctx context.Context, out io.Writer, task cycle.Task, st selection.CycleState, cycleYear int, pol cycle.Policy, issuer cycle.Issuer,
	people map[cycle.Role]cycle.Actor, scenario map[string]demoScenario, byCode map[string]transformation.CohortCommune) (bool, error) {
	tx := x.communes()
	code, year := splitTaskID(task)
	sc := scenario[code]
	c := byCode[code]
	rid := "demo-" + strings.ReplaceAll(task.ID, "/", "-")
	switch task.Kind {
	case cycle.TaskHalfYearReport, cycle.TaskYearlyReport, cycle.TaskFollowUpReport:
		rk := map[cycle.TaskKind]cycle.ReportKind{cycle.TaskHalfYearReport: cycle.ReportHalfYear, cycle.TaskYearlyReport: cycle.ReportYearly, cycle.TaskFollowUpReport: cycle.ReportFollowUp}[task.Kind]
		if sc == scenarioLateReport && rk == cycle.ReportYearly && !task.Due.AddDays(4).Before(st.Today) {
			return false, nil // the district is late: reminders, overdue notice, escalation
		}
		pass := true
		switch {
		case rk == cycle.ReportYearly && year == cycleYear && (sc == scenarioSecondYear || sc == scenarioTwiceFailed || sc == scenarioCouncilOverride):
			pass = false
		case rk == cycle.ReportYearly && year > cycleYear && sc == scenarioTwiceFailed:
			pass = false
		case rk == cycle.ReportFollowUp && sc == scenarioRelapse:
			pass = false
		}
		c.Year = year
		officer := cycle.Actor{ID: "ca." + task.District, Role: cycle.RoleDistrictOfficer, District: task.District}
		res, err := tx.SubmitReport(ctx, task.WorkflowID,
			transformation.SubmitReportRequest{Request: flow.Request{Actor: officer, RequestID: rid}, Kind: rk, Report: sample.Report(pol, c.CommuneInProgramme, pass)})
		if err != nil {
			return false, fmt.Errorf("%s: %w", task.ID, err)
		}
		if _, shown := scenario[code]; shown || res.Late {
			fmt.Fprintf(out, "   %s  %-26s %-36s %s%s\n", res.On.Vietnamese(), c.Name, rk.Vietnamese(), res.Verdict.Outcome.Say(cycle.Vietnamese), lateMark(res.Late, res.Verdict))
		}
	case cycle.TaskFailureReview:
		officer := cycle.Actor{ID: "ca." + task.District, Role: cycle.RoleDistrictOfficer, District: task.District}
		if _, err := tx.SubmitReview(ctx, task.WorkflowID, transformation.SubmitReviewRequest{
			Request: flow.Request{Actor: officer, RequestID: rid},
			Failure: &cycle.FailureReview{Causes: []string{"Tỷ lệ điều tra, khám phá án chưa đạt (dữ liệu mẫu)"}, Remedies: []string{"Tăng cường trinh sát, phát động phong trào toàn dân bảo vệ an ninh Tổ quốc"}},
		}); err != nil {
			return false, fmt.Errorf("%s: %w", task.ID, err)
		}
		fmt.Fprintf(out, "   %s  %-26s kiểm điểm năm %d: nguyên nhân, giải pháp gửi về; tiếp tục năm thứ hai\n", st.Today.Vietnamese(), c.Name, year)
	case cycle.TaskResponsibilityReview:
		if _, err := tx.SubmitReview(ctx, task.WorkflowID, transformation.SubmitReviewRequest{
			Request: flow.Request{Actor: people[cycle.RoleSecretariat], RequestID: rid},
			Responsibility: &cycle.ResponsibilityReview{
				Responsible: []cycle.Responsible{{Unit: "Ban Chỉ đạo 138 " + c.UnitName, Conclusion: "Kiểm điểm, rút kinh nghiệm"}, {Unit: "Công an " + c.Name, Position: "Trưởng Công an xã", Conclusion: "Kiểm điểm trách nhiệm người đứng đầu"}},
				Emulation:   fmt.Sprintf("Không xét danh hiệu thi đua năm %d", year)},
		}); err != nil {
			return false, fmt.Errorf("%s: %w", task.ID, err)
		}
		after := "sau hai năm không đạt"
		if !pol.HasSecondYear() {
			after = "sau năm không đạt"
		}
		fmt.Fprintf(out, "   %s  %-26s xem xét trách nhiệm %s: ghi nhận cho đánh giá thi đua\n", st.Today.Vietnamese(), c.Name, after)
	case cycle.TaskAppraiseResults:
		// The council meets once every report is in, or three days before its due date.
		if y := yearState(st, year); y != nil && len(y.Verdicts) < len(y.Communes) && task.Due.AddDays(-3).After(st.Today) {
			return false, nil
		}
		var a cycle.ResultsAppraisal
		a.Minutes = "Hội đồng thẩm định thống nhất (dữ liệu mẫu)"
		for code, sc := range scenario {
			if sc == scenarioCouncilOverride && year == cycleYear {
				a.Decisions = append(a.Decisions, cycle.ResultDecision{Commune: code, Outcome: cycle.OutcomePass,
					Reason: "Hội đồng xác minh: các vụ án còn lại đã được khám phá sau kỳ báo cáo (dữ liệu mẫu)"})
			}
		}
		// A plan with no pass mark (004: a score) leaves every commune to
		// the council: it concludes as the commune's scenario says.
		if y := yearState(st, year); y != nil {
			for _, code := range y.Communes {
				v, ok := y.Verdicts[code]
				if !ok || v.Verdict.Outcome != cycle.OutcomeScored || scenario[code] == scenarioCouncilOverride && year == cycleYear {
					continue
				}
				d := cycle.ResultDecision{Commune: code, Outcome: cycle.OutcomePass, Reason: "Hội đồng đánh giá đạt chuẩn theo kết quả chấm điểm và kiểm tra thực tế (dữ liệu mẫu)"}
				if sc := scenario[code]; sc == scenarioSecondYear || sc == scenarioTwiceFailed {
					d.Outcome, d.Reason = cycle.OutcomeFail, "Hội đồng đánh giá chưa đạt chuẩn: điểm thấp, còn tiêu chí về an ninh, trật tự chưa đạt (dữ liệu mẫu)"
				}
				a.Decisions = append(a.Decisions, d)
			}
		}
		res, err := tx.AppraiseResults(ctx, task.CycleID, transformation.AppraiseResultsRequest{Request: flow.Request{Actor: people[cycle.RoleCouncilChair], RequestID: rid}, Year: year, Appraisal: a})
		if err != nil {
			return false, fmt.Errorf("%s: %w", task.ID, err)
		}
		pass, over := 0, 0
		for _, r := range res {
			if r.Outcome == cycle.OutcomePass {
				pass++
			}
			if r.Overridden {
				over++
			}
		}
		step(out, "%s  The council appraises %d: %d of %s transformed (%s overridden with a written reason)", st.Today.Vietnamese(), year, pass, communes(len(res)), count(over, "verdict", "verdicts"))
		for _, r := range res {
			if r.Outcome != cycle.OutcomePass {
				fmt.Fprintf(out, "     %-26s không đạt: %s\n", r.Commune.Name, failedSummary(r))
			}
		}
	case cycle.TaskAppraiseRecognition:
		// 000 §II.4.b: the council appraises the follow-ups; it confirms
		// each report's verdict, and decides a scored one (004) as the
		// commune's scenario says.
		a := cycle.ResultsAppraisal{Minutes: "Hội đồng thẩm định thống nhất đề nghị công nhận (dữ liệu mẫu)"}
		if b := batchState(st, year); b != nil {
			for _, code := range b.Communes {
				if v, ok := b.Verdicts[code]; ok && v.Verdict.Outcome == cycle.OutcomeScored {
					d := cycle.ResultDecision{Commune: code, Outcome: cycle.OutcomePass, Reason: "Hội đồng đánh giá địa bàn giữ vững kết quả sau 6 tháng theo dõi (dữ liệu mẫu)"}
					if scenario[code] == scenarioRelapse {
						d.Outcome, d.Reason = cycle.OutcomeFail, "Hội đồng đánh giá địa bàn tái phức tạp: tội phạm tăng trở lại (dữ liệu mẫu)"
					}
					a.Decisions = append(a.Decisions, d)
				}
			}
		}
		res, err := tx.AppraiseRecognition(ctx, task.CycleID, transformation.AppraiseResultsRequest{Request: flow.Request{Actor: people[cycle.RoleCouncilChair], RequestID: rid}, Year: year, Appraisal: a})
		if err != nil {
			return false, fmt.Errorf("%s: %w", task.ID, err)
		}
		held := 0
		for _, r := range res {
			if r.Outcome == cycle.OutcomePass {
				held++
			}
		}
		step(out, "%s  The council appraises the follow-ups of %d: %d of %s proposed for recognition", st.Today.Vietnamese(), year, held, communes(len(res)))
		for _, r := range res {
			if r.Outcome != cycle.OutcomePass {
				fmt.Fprintf(out, "     %-26s tái phức tạp: %s\n", r.Commune.Name, failedSummary(r))
			}
		}
	case cycle.TaskSignResults, cycle.TaskSignRecognition:
		sign := tx.SignResults
		if task.Kind == cycle.TaskSignRecognition {
			sign = tx.SignRecognition
		}
		sg, err := sign(ctx, task.CycleID, transformation.YearRequest{Request: flow.Request{Actor: people[cycle.RoleSigner], RequestID: rid}, Year: year})
		if err != nil {
			return false, fmt.Errorf("%s: %w", task.ID, err)
		}
		what := "the year-end results"
		if task.Kind == cycle.TaskSignRecognition {
			what = "the recognition decision"
		}
		step(out, "%s  %s %s signs %s of %d", sg.SignedAt.Vietnamese(), issuer.SignerTitle, issuer.SignerName, what, year)
	case cycle.TaskSignReview:
		// The review report waits for the head's own certificate only when
		// the worker has the head sign elsewhere; the demo's programme years
		// have the worker sign (its calendar runs faster than a signer), so
		// this task opens only in a run whose worker is external: the head
		// signs as for the recognition, and the signature issues the report.
		sg, err := tx.SignReview(ctx, task.CycleID, transformation.YearRequest{Request: flow.Request{Actor: people[cycle.RoleSigner], RequestID: rid}, Year: year})
		if err != nil {
			return false, fmt.Errorf("%s: %w", task.ID, err)
		}
		step(out, "%s  %s %s signs the review report of %d", sg.SignedAt.Vietnamese(), issuer.SignerTitle, issuer.SignerName, year)
		if d := sg.Document; d != nil {
			step(out, "%s  Báo cáo sơ kết số %s is sealed and issued at the head's signature", d.Date.Vietnamese(), d.Code)
		}
	case cycle.TaskIssueResults:
		docs, err := tx.IssueResults(ctx, task.CycleID, transformation.YearRequest{Request: flow.Request{Actor: people[cycle.RoleClerk], RequestID: rid}, Year: year})
		if err != nil {
			return false, fmt.Errorf("%s: %w", task.ID, err)
		}
		for _, d := range docs {
			step(out, "%s  The clerk issues Số %s (%s, %s)", d.Date.Vietnamese(), d.Code, docKind(d.Kind), communes(len(d.Communes)))
		}
	case cycle.TaskPlanReport:
		// A plan step (a quarterly report, a local review, a monitoring
		// team's meeting…): sent on its due date, a meeting held that day.
		if st.Today.Before(task.Due) {
			return false, nil
		}
		actor := people[cycle.RoleSecretariat]
		if task.District != "" {
			actor = cycle.Actor{ID: "ca." + task.District, Role: cycle.RoleDistrictOfficer, District: task.District}
		}
		rep := cycle.PlanReport{Content: "Đã thực hiện theo kế hoạch; kết quả chi tiết kèm theo (dữ liệu mẫu)."}
		plan, _ := planStepOf(st, task.ID)
		if plan.Meeting {
			rep.Held = st.Today
		}
		if plan.Proposal { // 004 §IV.2: the unit proposes its communes on course to pass
			for _, code := range slices.Sorted(maps.Keys(byCode)) {
				cc := byCode[code]
				if sc := scenario[code]; cc.Unit == task.District && !cc.Closed && cc.Standing == cycle.StandingInProgramme &&
					sc != scenarioSecondYear && sc != scenarioTwiceFailed && sc != scenarioCouncilOverride {
					rep.Communes = append(rep.Communes, code)
				}
			}
		}
		ps, err := tx.SubmitPlanReport(ctx, task.CycleID, transformation.SubmitPlanReportRequest{Request: flow.Request{Actor: actor, RequestID: rid}, TaskID: task.ID, Report: rep})
		if err != nil {
			return false, fmt.Errorf("%s: %w", task.ID, err)
		}
		who := ps.UnitName
		if who == "" {
			who = "Cơ quan Thường trực"
		}
		fmt.Fprintf(out, "   %s  %-26s %s (hạn %s)\n", st.Today.Vietnamese(), who, ps.Name, ps.Due.Vietnamese())
		if d := ps.Document; d != nil {
			step(out, "%s  Cơ quan Thường trực ban hành Báo cáo sơ kết số %s", d.Date.Vietnamese(), d.Code)
		}
	case cycle.TaskIssueRecognition:
		d, err := tx.IssueRecognition(ctx, task.CycleID, transformation.YearRequest{Request: flow.Request{Actor: people[cycle.RoleClerk], RequestID: rid}, Year: year})
		if err != nil {
			return false, fmt.Errorf("%s: %w", task.ID, err)
		}
		step(out, "%s  The clerk issues decision Số %s recognising %s transformed in %d", d.Date.Vietnamese(), d.Code, communes(len(d.Communes)), year)
	default:
		return false, nil
	}
	return true, nil
}

// demoTransformationSummary prints the cohort's outcome, the province's
// indicators and the documents written.
func (x *demo) demoTransformationSummary(ctx context.Context, province string, year int, pol cycle.Policy, reports int) error {
	db, id := x.db, selection.WorkflowID(province, year)
	trs, err := db.Transformations(ctx, province)
	if err != nil {
		return err
	}
	standings := map[cycle.Standing]int{}
	for _, tr := range trs {
		if tr.CycleID == id {
			standings[tr.Standing]++
		}
	}
	fmt.Fprintf(x.out, "\nKết thúc chu kỳ %s: đã nhận %s báo cáo; %s xã được công nhận, %s xã phức tạp trở lại (lại là địa bàn đề nghị chuyển hóa), %s xã xem xét trách nhiệm.\n",
		id, soNguyen(reports), soNguyen(standings[cycle.StandingRecognised]), soNguyen(standings[cycle.StandingRelapsed]), soNguyen(standings[cycle.StandingResponsibility]))
	rows, err := db.Outcomes(ctx, province)
	if err != nil {
		return err
	}
	fmt.Fprintln(x.out, "\nChỉ tiêu của tỉnh (từ kho dữ liệu; `starter kpi`):")
	for _, y := range []int{year, year + 1} {
		k := cycle.ComputeKPI(pol, province, y, rows)
		if k.Selected == 0 {
			continue
		}
		fmt.Fprintf(x.out, "  Năm %d: chuyển hóa %d/%d = %s (chỉ tiêu ≥ %s: %s); không phức tạp trở lại %d/%d = %s (chỉ tiêu ≥ %s: %s)\n", y,
			k.Transformed, k.Selected, templates.Percent(k.TransformedShare()), templates.Percent(k.TransformedTarget), dat(k.MeetsTransformed()),
			k.FollowedUp-k.Relapsed, k.FollowedUp, templates.Percent(k.NotRelapsedShare()), templates.Percent(k.NotRelapsedTarget), dat(k.MeetsNotRelapsed()))
	}
	notes, err := db.Notifications(ctx, id)
	if err != nil {
		return err
	}
	byKind := map[cycle.NotificationKind]int{}
	for _, n := range notes {
		byKind[n.Kind]++
	}
	fmt.Fprintf(x.out, "\nThông báo đã phát: %s nhắc hạn, %s báo quá hạn, %s báo cáo cấp trên.\n", soNguyen(byKind[cycle.NotifyReminder]), soNguyen(byKind[cycle.NotifyOverdue]), soNguyen(byKind[cycle.NotifyEscalation]))
	decisions, err := db.Decisions(ctx, id)
	if err != nil {
		return err
	}
	roots, _ := display.LoadRoots(x.cfg.Signing.CA)
	fmt.Fprintln(x.out, "\nVăn bản đã ban hành (đánh số theo cơ quan ban hành và năm, đã ký số và đóng dấu):")
	for _, d := range decisions {
		check := ""
		path := x.pdfs().Path(ctx, d)
		if b, err := os.ReadFile(path); err == nil && roots != nil {
			if rep := signing.Verify(b, roots); rep.OK() {
				check = "  ✓ chữ ký số hợp lệ"
			} else {
				check = "  ✗ " + strings.TrimSpace(rep.String())
			}
		}
		fmt.Fprintf(x.out, "  %-10s %s  %-15s %s%s\n", d.Code, d.Date.Vietnamese(), docKind(d.Kind), path, check)
	}
	return nil
}

// batchState is the recognition batch of the communes that passed year.
func batchState(st selection.CycleState, year int) *transformation.RecognitionBatch {
	if st.Transformation == nil {
		return nil
	}
	for _, b := range st.Transformation.Batches {
		if b.Year == year {
			return b
		}
	}
	return nil
}

func yearState(st selection.CycleState, year int) *transformation.ProgrammeYear {
	if st.Transformation == nil {
		return nil
	}
	for _, y := range st.Transformation.Years {
		if y.Year == year {
			return y
		}
	}
	return nil
}

// splitTaskID reads a transformation task's ID: "kind/commune/year" or "kind/year".
// planStepOf is the plan step of a task, as the cycle's state has it.
func planStepOf(st selection.CycleState, id string) (cycle.PlanStep, bool) {
	if st.Transformation == nil {
		return cycle.PlanStep{}, false
	}
	for _, p := range st.Transformation.Plan {
		if p.TaskID == id {
			return p.Deadline.Step()
		}
	}
	return cycle.PlanStep{}, false
}

func splitTaskID(t cycle.Task) (commune string, year int) {
	parts := strings.Split(t.ID, "/")
	if len(parts) == 3 {
		commune = parts[1]
	}
	year, _ = strconv.Atoi(parts[len(parts)-1])
	return commune, year
}

func lateMark(late bool, v cycle.Verdict) string {
	s := " — " + v.Text
	if late {
		s = " (CHẬM HẠN)" + s
	}
	return s
}

func failedSummary(r cycle.CommuneResult) string {
	if r.Overridden {
		return "Hội đồng: " + r.Reason
	}
	var parts []string
	for _, f := range r.Verdict.Failed() {
		why := f.Unmet
		if why == "" {
			why = f.Text
		}
		parts = append(parts, f.ID+" ("+why+")")
	}
	if len(parts) == 0 {
		return r.Verdict.Text
	}
	return strings.Join(parts, "; ")
}

func docKind(k string) string {
	switch k {
	case "approval":
		return "phê duyệt"
	case cycle.DocRecognition:
		return "công nhận"
	case cycle.DocContinuation:
		return "tiếp tục năm 2"
	case cycle.DocResponsibility:
		return "trách nhiệm"
	case cycle.DocSummary:
		return "báo cáo năm"
	case cycle.DocReview:
		return "báo cáo sơ kết"
	}
	return k
}

// dat is a target met or missed, as the indicators are read out: "đạt".
func dat(ok bool) string {
	if ok {
		return "đạt"
	}
	return "không đạt"
}
