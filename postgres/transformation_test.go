package postgres_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"chuyenhoa/cycle"
	"chuyenhoa/internal/memstore"
)

// transformStore is what the transformation tests need: the cycle's store
// (to open cycles and tasks and read the audit) and the transformation store.
type transformStore interface {
	cycle.TransformationStore
	SaveProvince(ctx context.Context, p cycle.Province, is cycle.Issuer) error
	OpenCycle(ctx context.Context, c cycle.CycleInfo) error
	OpenTask(ctx context.Context, t cycle.Task) error
	CloseTask(ctx context.Context, cycleID, taskID, reason string, at time.Time) error
	OpenTasks(ctx context.Context, f cycle.TaskFilter) ([]cycle.Task, error)
	Audit(ctx context.Context, cycleID string) ([]cycle.AuditEntry, error)
}

// forEachStore runs a test on PostgreSQL and on the in-memory store the
// workflow tests use: both keep the same contract. db is nil for the
// in-memory store (nothing to look under).
func forEachStore(t *testing.T, fn func(t *testing.T, s transformStore, db *testDB)) {
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		db := newTestDB(t)
		fn(t, db, db)
	})
	t.Run("memstore", func(t *testing.T) {
		t.Parallel()
		fn(t, memstore.New(), nil)
	})
}

const (
	cohort2027 = "cycle/51/2027"
	cohort2028 = "cycle/51/2028"
)

// withCohorts records Quảng Ngãi and its cycles for 2027 and 2028.
func withCohorts(tb testing.TB, s transformStore) {
	tb.Helper()
	ctx := context.Background()
	require.NoError(tb, s.SaveProvince(ctx, quangNgai(), issuer()))
	for id, y := range map[string]int{cohort2027: 2027, cohort2028: 2028} {
		require.NoError(tb, s.OpenCycle(ctx, cycle.CycleInfo{ID: id, Province: "51", Year: y, Policy: cycle.DefaultPolicy(), StartedBy: secretariat, StartedAt: t0}))
	}
}

// inProgramme is a commune of Quảng Ngãi in programme year yearNo (1 or 2)
// of year, with the workflow of its first year's cohort.
func inProgramme(code, name, district, districtName string, year, yearNo int, types ...cycle.CrimeType) cycle.CommuneInProgramme {
	first := year - yearNo + 1
	return cycle.CommuneInProgramme{
		ListedCommune: cycle.ListedCommune{Commune: code, Name: name, District: district, DistrictName: districtName,
			Types: types, Rank: 2, Extension: yearNo == 2},
		Kind: cycle.KindPhuong, FirstYear: first, Year: year, YearNo: yearNo,
		WorkflowID: fmt.Sprintf("transform/51/%d/%s", first, code),
	}
}

var (
	quangPhu    = inProgramme("21016", "Phường Quảng Phú", "522", "Thành phố Quảng Ngãi", 2027, 1, cycle.TypeSocialOrder, cycle.TypeDrugs)
	leHongPhong = inProgramme("21010", "Phường Lê Hồng Phong", "522", "Thành phố Quảng Ngãi", 2027, 1, cycle.TypeSocialOrder)
	chauO       = inProgramme("21052", "Thị trấn Châu Ổ", "524", "Huyện Bình Sơn", 2027, 1, cycle.TypeDrugs)
)

func enrol(tb testing.TB, s transformStore, cycleID string, c cycle.CommuneInProgramme, at time.Time) {
	tb.Helper()
	require.NoError(tb, s.Enrol(context.Background(), cycle.Enrolment{CycleID: cycleID, Province: "51", Commune: c, At: at}))
}

func intp(n int) *int { return &n }

// yearlyReport is the city's yearly report of a commune, evaluated.
func yearlyReport(c cycle.CommuneInProgramme, requestID string, at time.Time) cycle.ReportRecord {
	return cycle.ReportRecord{
		CycleID: cohort2027, WorkflowID: c.WorkflowID, TaskID: cycle.TaskID(cycle.TaskYearlyReport, c.Commune),
		Commune: c, Kind: cycle.ReportYearly, Year: c.Year,
		Period:   cycle.Span{From: cycle.D(2026, time.December, 15), To: cycle.D(2027, time.December, 14)},
		Baseline: cycle.Span{From: cycle.D(2025, time.December, 15), To: cycle.D(2026, time.December, 14)},
		Report: cycle.TransformationReport{
			Figures:  cycle.ReportFigures{SocialOrderCrimes: intp(9), TipsReceived: intp(40), TipsHandled: intp(38)},
			Baseline: cycle.ReportFigures{SocialOrderCrimes: intp(25)},
			Area:     &cycle.AreaAverage{Name: "Thành phố Quảng Ngãi", Crimes: 120, Communes: 23},
			Note:     "Giảm 64% so với cùng kỳ",
		},
		Verdict: cycle.Verdict{Commune: c.Commune, Name: c.Name, Types: c.Types, Policy: "000", Method: cycle.MethodAllCriteria,
			Outcome: cycle.OutcomePass, Summary: "Đạt 2/2 tiêu chí", Met: 2, Counted: 2,
			Results: []cycle.CriterionResult{{ID: "crimes_reduced", Name: "Giảm tội phạm", Passed: true, Detail: "9 < 25"}}},
		Actor: officer522, RequestID: requestID, At: at,
	}
}

func reportTask(c cycle.CommuneInProgramme, kind cycle.TaskKind) cycle.Task {
	return cycle.Task{ID: cycle.TaskID(kind, c.Commune), CycleID: cohort2027, Kind: kind, Role: cycle.RoleFor(kind),
		District: c.District, Title: "Báo cáo " + c.Name, Due: cycle.D(2027, time.December, 20), Opened: cycle.D(2027, time.December, 1),
		WorkflowID: c.WorkflowID}
}

func TestEnrol(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s transformStore, db *testDB) {
		ctx := context.Background()
		withCohorts(t, s)
		enrol(t, s, cohort2027, quangPhu, t0)
		enrol(t, s, cohort2027, quangPhu, t0.Add(time.Hour)) // a retry
		if db != nil {
			require.Equal(t, 1, db.count(t, `SELECT count(*) FROM transformations`))
		}
		want := cycle.Transformation{CommuneInProgramme: quangPhu, CycleID: cohort2027, Province: "51",
			Standing: cycle.StandingInProgramme, Updated: t0}
		got, err := s.Transformations(ctx, "51")
		require.NoError(t, err)
		require.Equal(t, []cycle.Transformation{want}, got, "the retry changed nothing")

		// The second year moves the row; a stale retry of the first does not move it back.
		second := quangPhu
		second.Year, second.YearNo, second.Extension = 2028, 2, true
		enrol(t, s, cohort2027, second, t0.AddDate(1, 0, 0))
		enrol(t, s, cohort2027, quangPhu, t0.AddDate(1, 0, 1))
		got, err = s.Transformations(ctx, "")
		require.NoError(t, err)
		want.CommuneInProgramme, want.Updated = second, t0.AddDate(1, 0, 0)
		require.Equal(t, []cycle.Transformation{want}, got)
		got, err = s.Transformations(ctx, "99")
		require.NoError(t, err)
		require.Empty(t, got)

		requireCode(t, cycle.ENOTFOUND, s.Enrol(ctx, cycle.Enrolment{CycleID: "cycle/51/1999", Province: "51", Commune: chauO, At: t0}))
		bad := chauO
		bad.YearNo, bad.WorkflowID = 3, ""
		requireCode(t, cycle.EINVALID, s.Enrol(ctx, cycle.Enrolment{CycleID: cohort2027, Province: "51", Commune: bad, At: t0}))
		got, err = s.Transformations(ctx, "51")
		require.NoError(t, err)
		require.Len(t, got, 1, "nothing recorded by the refused enrolments")
	})
}

func TestSaveReport(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s transformStore, db *testDB) {
		ctx := context.Background()
		withCohorts(t, s)
		enrol(t, s, cohort2027, quangPhu, t0)
		task := reportTask(quangPhu, cycle.TaskYearlyReport)
		require.NoError(t, s.OpenTask(ctx, task))
		half := reportTask(quangPhu, cycle.TaskHalfYearReport)
		require.NoError(t, s.OpenTask(ctx, half))

		at := time.Date(2027, time.December, 16, 8, 0, 0, 0, time.UTC)
		rec := yearlyReport(quangPhu, "r1", at)
		for range 3 {
			require.NoError(t, s.SaveReport(ctx, rec))
		}
		got, err := s.Reports(ctx, cohort2027)
		require.NoError(t, err)
		require.Equal(t, []cycle.ReportRecord{rec}, got)

		audit, err := s.Audit(ctx, cohort2027)
		require.NoError(t, err)
		require.Len(t, audit, 1)
		require.Equal(t, cycle.AuditEntry{At: at, CycleID: cohort2027, TaskID: task.ID, Actor: officer522, Action: "yearly_report",
			RequestID: "r1", Summary: audit[0].Summary}, audit[0])
		require.Contains(t, audit[0].Summary, quangPhu.Name)

		open, err := s.OpenTasks(ctx, cycle.TaskFilter{CycleID: cohort2027})
		require.NoError(t, err)
		require.Equal(t, []cycle.Task{half}, open, "the yearly report's task is closed, the half-year's is not")

		// Another report of the same kind and year is refused and writes nothing.
		other := yearlyReport(quangPhu, "r2", at.Add(time.Hour))
		err = s.SaveReport(ctx, other)
		requireCode(t, cycle.ECONFLICT, err)
		require.Contains(t, err.Error(), "r1")
		require.Contains(t, err.Error(), officer522.Name)
		require.Contains(t, err.Error(), "2027-12-16T08:00:00Z")
		audit, err = s.Audit(ctx, cohort2027)
		require.NoError(t, err)
		require.Len(t, audit, 1, "the refused report left no audit entry")

		// A half-year report of the same commune is another report; Reports
		// lists them in the order received.
		early := yearlyReport(quangPhu, "h1", time.Date(2027, time.June, 16, 8, 0, 0, 0, time.UTC))
		early.Kind, early.TaskID, early.Late = cycle.ReportHalfYear, half.ID, true
		early.Period.To = cycle.D(2027, time.June, 14)
		require.NoError(t, s.SaveReport(ctx, early))
		got, err = s.Reports(ctx, cohort2027)
		require.NoError(t, err)
		require.Equal(t, []cycle.ReportRecord{early, rec}, got)
		open, err = s.OpenTasks(ctx, cycle.TaskFilter{CycleID: cohort2027})
		require.NoError(t, err)
		require.Empty(t, open)

		// Same request ID, another cycle: unknown cycle.
		lost := yearlyReport(chauO, "r9", at)
		lost.CycleID = "cycle/51/1999"
		requireCode(t, cycle.ENOTFOUND, s.SaveReport(ctx, lost))
		noID := yearlyReport(chauO, "", at)
		requireCode(t, cycle.EINVALID, s.SaveReport(ctx, noID))
		got, err = s.Reports(ctx, cohort2027)
		require.NoError(t, err)
		require.Len(t, got, 2)

		if db != nil {
			require.Equal(t, officer522.ID, db.string(t, `SELECT closed_by FROM tasks WHERE cycle_id = $1 AND task_id = $2`, cohort2027, task.ID))
			require.Equal(t, 2, db.count(t, `SELECT count(*) FROM transformation_reports`))
			require.Equal(t, "pass", db.string(t, `SELECT outcome FROM transformation_reports WHERE request_id = 'r1'`))
			require.Equal(t, 1, db.count(t, `SELECT count(*) FROM audit_log WHERE request_id = 'r1' AND action = 'yearly_report'`))
		}
	})
}

// results is the council's appraisal of 2027: Quảng Phú and Châu Ổ pass
// (Châu Ổ overriding its verdict), Lê Hồng Phong fails.
func results(requestID string) cycle.ResultsRecord {
	result := func(c cycle.CommuneInProgramme, verdict, outcome cycle.Outcome, reason string) cycle.CommuneResult {
		return cycle.CommuneResult{
			CommuneVerdict: cycle.CommuneVerdict{Commune: c, Reported: true, Verdict: cycle.Verdict{Commune: c.Commune, Name: c.Name, Outcome: verdict}},
			Outcome:        outcome, Overridden: verdict != outcome, Reason: reason,
		}
	}
	return cycle.ResultsRecord{
		CycleID: cohort2027, Province: "51", Year: 2027, TaskID: string(cycle.TaskAppraiseResults),
		Appraisal: cycle.ResultsAppraisal{Minutes: "Biên bản họp Hội đồng"},
		Results: []cycle.CommuneResult{
			result(quangPhu, cycle.OutcomePass, cycle.OutcomePass, ""),
			result(leHongPhong, cycle.OutcomeFail, cycle.OutcomeFail, ""),
			result(chauO, cycle.OutcomeFail, cycle.OutcomePass, "Hội đồng đánh giá tiêu chí 3 đạt theo biên bản"),
		},
		Actor: chair, RequestID: requestID, At: time.Date(2028, time.January, 5, 9, 0, 0, 0, time.UTC),
	}
}

func TestResultsAndStanding(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s transformStore, db *testDB) {
		ctx := context.Background()
		withCohorts(t, s)
		for _, c := range []cycle.CommuneInProgramme{quangPhu, leHongPhong, chauO} {
			enrol(t, s, cohort2027, c, t0)
		}
		task := cycle.Task{ID: string(cycle.TaskAppraiseResults), CycleID: cohort2027, Kind: cycle.TaskAppraiseResults,
			Role: cycle.RoleCouncilChair, Title: "Thẩm định kết quả", Due: cycle.D(2028, time.January, 4), Opened: cycle.D(2027, time.December, 21)}
		require.NoError(t, s.OpenTask(ctx, task))

		rec := results("res-1")
		require.NoError(t, s.SaveResults(ctx, rec))
		require.NoError(t, s.SaveResults(ctx, rec), "a retry does nothing")
		audit, err := s.Audit(ctx, cohort2027)
		require.NoError(t, err)
		require.Len(t, audit, 1)
		require.Equal(t, "appraise_results", audit[0].Action)
		require.Equal(t, chair, audit[0].Actor)
		open, err := s.OpenTasks(ctx, cycle.TaskFilter{})
		require.NoError(t, err)
		require.Empty(t, open, "the council's task is closed")

		row := func(c cycle.CommuneInProgramme, o cycle.Outcome, f cycle.FollowUpResult) cycle.OutcomeRow {
			return cycle.OutcomeRow{Commune: c.Commune, Name: c.Name, Year: 2027, YearNo: 1, Outcome: o, FollowUp: f}
		}
		got, err := s.Outcomes(ctx, "51")
		require.NoError(t, err)
		require.Equal(t, []cycle.OutcomeRow{
			row(leHongPhong, cycle.OutcomeFail, ""), row(quangPhu, cycle.OutcomePass, ""), row(chauO, cycle.OutcomePass, ""),
		}, got, "by year and commune")

		// Quảng Phú held at its follow-up, Châu Ổ relapsed; Lê Hồng Phong
		// goes into a second year.
		change := func(c cycle.CommuneInProgramme, st cycle.Standing, f cycle.FollowUpResult, decision string) cycle.StandingChange {
			return cycle.StandingChange{CycleID: cohort2027, WorkflowID: c.WorkflowID, Province: "51", Commune: c.Commune, Year: 2027,
				Standing: st, FollowUp: f, Decision: decision, At: time.Date(2028, time.July, 1, 9, 0, 0, 0, time.UTC)}
		}
		recognised := change(quangPhu, cycle.StandingRecognised, cycle.FollowUpHeld, "12/QĐ-BCĐ")
		require.NoError(t, s.SetStanding(ctx, change(quangPhu, cycle.StandingFollowUp, "", "")))
		require.NoError(t, s.SetStanding(ctx, recognised))
		require.NoError(t, s.SetStanding(ctx, recognised), "again: idempotent")
		require.NoError(t, s.SetStanding(ctx, change(chauO, cycle.StandingRelapsed, cycle.FollowUpRelapsed, "")))
		second := change(leHongPhong, cycle.StandingSecondYear, "", "")
		second.Note = "Tiếp tục chuyển hóa năm thứ hai"
		require.NoError(t, s.SetStanding(ctx, second))

		got, err = s.Outcomes(ctx, "51")
		require.NoError(t, err)
		require.Equal(t, []cycle.OutcomeRow{
			row(leHongPhong, cycle.OutcomeFail, ""), row(quangPhu, cycle.OutcomePass, cycle.FollowUpHeld), row(chauO, cycle.OutcomePass, cycle.FollowUpRelapsed),
		}, got)
		k := cycle.ComputeKPI(cycle.DefaultPolicy(), "51", 2027, got)
		require.Equal(t, [4]int{3, 2, 2, 1}, [4]int{k.Selected, k.Transformed, k.FollowedUp, k.Relapsed})

		ts, err := s.Transformations(ctx, "51")
		require.NoError(t, err)
		require.Len(t, ts, 3)
		byCommune := map[string]cycle.Transformation{}
		for _, x := range ts {
			byCommune[x.Commune] = x
		}
		require.Equal(t, cycle.StandingRecognised, byCommune[quangPhu.Commune].Standing)
		require.Equal(t, "12/QĐ-BCĐ", byCommune[quangPhu.Commune].Decision)
		require.Equal(t, recognised.At, byCommune[quangPhu.Commune].Updated)
		require.Equal(t, cycle.StandingRelapsed, byCommune[chauO.Commune].Standing)
		require.Equal(t, cycle.StandingSecondYear, byCommune[leHongPhong.Commune].Standing)
		require.Equal(t, second.Note, byCommune[leHongPhong.Commune].Note)
		require.Equal(t, []string{leHongPhong.Commune, quangPhu.Commune, chauO.Commune},
			[]string{ts[0].Commune, ts[1].Commune, ts[2].Commune}, "by province, first year and commune")

		// A later standing without a decision keeps the recorded one.
		require.NoError(t, s.SetStanding(ctx, change(quangPhu, cycle.StandingRecognised, "", "")))
		ts, err = s.Transformations(ctx, "51")
		require.NoError(t, err)
		require.Equal(t, "12/QĐ-BCĐ", ts[1].Decision)

		// A second appraisal of the year (another request) replaces the
		// outcomes and keeps the follow-up results.
		again := results("res-2")
		again.Results[1].Outcome, again.Results[1].Overridden, again.Results[1].Reason = cycle.OutcomePass, true, "Hội đồng xem xét lại"
		require.NoError(t, s.SaveResults(ctx, again))
		got, err = s.Outcomes(ctx, "51")
		require.NoError(t, err)
		require.Equal(t, []cycle.OutcomeRow{
			row(leHongPhong, cycle.OutcomePass, ""), row(quangPhu, cycle.OutcomePass, cycle.FollowUpHeld), row(chauO, cycle.OutcomePass, cycle.FollowUpRelapsed),
		}, got)

		// Refusals write nothing.
		requireCode(t, cycle.ENOTFOUND, s.SetStanding(ctx, cycle.StandingChange{WorkflowID: "transform/51/2027/00000", Standing: cycle.StandingRecognised}))
		noRow := change(leHongPhong, cycle.StandingRecognised, cycle.FollowUpHeld, "")
		noRow.Year = 2030
		requireCode(t, cycle.ENOTFOUND, s.SetStanding(ctx, noRow))
		requireCode(t, cycle.EINVALID, s.SetStanding(ctx, change(leHongPhong, "gone", "", "")))
		ts, err = s.Transformations(ctx, "51")
		require.NoError(t, err)
		require.Equal(t, cycle.StandingSecondYear, ts[0].Standing, "the refused follow-up left the standing")
		lost := results("res-3")
		lost.CycleID = "cycle/51/1999"
		requireCode(t, cycle.ENOTFOUND, s.SaveResults(ctx, lost))
		bad := results("res-4")
		bad.Results[0].Outcome = cycle.OutcomeScored
		requireCode(t, cycle.EINVALID, s.SaveResults(ctx, bad))
		got, err = s.Outcomes(ctx, "51")
		require.NoError(t, err)
		require.Equal(t, cycle.OutcomePass, got[1].Outcome)

		if db != nil {
			require.Equal(t, chair.ID, db.string(t, `SELECT closed_by FROM tasks WHERE task_id = $1`, task.ID))
			require.Equal(t, "true", db.string(t, `SELECT overridden::text FROM transformation_outcomes WHERE commune = $1`, chauO.Commune))
			require.Equal(t, "fail", db.string(t, `SELECT verdict->>'outcome' FROM transformation_outcomes WHERE commune = $1`, chauO.Commune))
			require.Equal(t, 2, db.count(t, `SELECT count(*) FROM audit_log WHERE action = 'appraise_results'`))
		}
	})
}

func TestExtensions(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s transformStore, db *testDB) {
		ctx := context.Background()
		withCohorts(t, s)
		// The 2027 cohort: Châu Ổ (524) and Lê Hồng Phong (522) fail their
		// first year and go on into 2028; Quảng Phú passes.
		for _, c := range []cycle.CommuneInProgramme{chauO, leHongPhong, quangPhu} {
			enrol(t, s, cohort2027, c, t0)
		}
		for _, c := range []cycle.CommuneInProgramme{chauO, leHongPhong} {
			c.Year, c.YearNo = 2028, 2
			enrol(t, s, cohort2027, c, t0.AddDate(1, 0, 0))
		}
		// The 2028 cohort's first year, and another province's second year.
		enrol(t, s, cohort2028, inProgramme("21019", "Phường Nghĩa Chánh", "522", "Thành phố Quảng Ngãi", 2028, 1, cycle.TypeSocialOrder), t0)
		elsewhere := inProgramme("30001", "Xã Khác", "600", "Huyện Khác", 2028, 2, cycle.TypeEconomic)
		require.NoError(t, s.Enrol(ctx, cycle.Enrolment{CycleID: cohort2027, Province: "52", Commune: elsewhere, At: t0}))

		got, err := s.Extensions(ctx, "51", 2028)
		require.NoError(t, err)
		require.Equal(t, []cycle.ListedCommune{
			{Commune: leHongPhong.Commune, Name: leHongPhong.Name, District: "522", DistrictName: "Thành phố Quảng Ngãi", Types: leHongPhong.Types, Extension: true},
			{Commune: chauO.Commune, Name: chauO.Name, District: "524", DistrictName: "Huyện Bình Sơn", Types: chauO.Types, Extension: true},
		}, got, "by district and name")
		for _, y := range []int{2027, 2029} {
			got, err = s.Extensions(ctx, "51", y)
			require.NoError(t, err)
			require.Empty(t, got, "no second year in %d", y)
		}
		got, err = s.Extensions(ctx, "52", 2028)
		require.NoError(t, err)
		require.Len(t, got, 1)

		all, err := s.Transformations(ctx, "")
		require.NoError(t, err)
		require.Len(t, all, 5)
		require.Equal(t, "52", all[4].Province, "by province first")
		require.Equal(t, "21019", all[3].Commune, "then by first year")
	})
}

func TestSaveReview(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s transformStore, db *testDB) {
		ctx := context.Background()
		withCohorts(t, s)
		enrol(t, s, cohort2027, leHongPhong, t0)
		task := reportTask(leHongPhong, cycle.TaskFailureReview)
		require.NoError(t, s.OpenTask(ctx, task))
		rec := cycle.ReviewRecord{
			CycleID: cohort2027, WorkflowID: leHongPhong.WorkflowID, TaskID: task.ID, Commune: leHongPhong,
			Kind: cycle.ReviewFailure, Year: 2027,
			Failure: &cycle.FailureReview{Causes: []string{"Lực lượng mỏng"}, Remedies: []string{"Tăng cường tuần tra"}},
			Actor:   officer522, RequestID: "k1", At: time.Date(2028, time.January, 20, 9, 0, 0, 0, time.UTC),
		}
		for range 3 {
			require.NoError(t, s.SaveReview(ctx, rec))
		}
		audit, err := s.Audit(ctx, cohort2027)
		require.NoError(t, err)
		require.Len(t, audit, 1)
		require.Equal(t, "failure_review", audit[0].Action)
		open, err := s.OpenTasks(ctx, cycle.TaskFilter{})
		require.NoError(t, err)
		require.Empty(t, open)

		other := rec
		other.RequestID = "k2"
		err = s.SaveReview(ctx, other)
		requireCode(t, cycle.ECONFLICT, err)
		require.Contains(t, err.Error(), "k1")

		resp := rec
		resp.Kind, resp.Year, resp.RequestID, resp.TaskID = cycle.ReviewResponsibility, 2028, "t1", string(cycle.TaskResponsibilityReview)+"/21010"
		resp.Actor = secretariat
		// A responsibility review carrying a failure review is refused.
		requireCode(t, cycle.EINVALID, s.SaveReview(ctx, resp))
		resp.Failure = nil
		resp.Responsibility = &cycle.ResponsibilityReview{Responsible: []cycle.Responsible{{Unit: "Công an phường", Conclusion: "Kiểm điểm rút kinh nghiệm"}},
			Emulation: "Không xét danh hiệu thi đua năm 2028"}
		require.NoError(t, s.SaveReview(ctx, resp))
		lost := resp
		lost.CycleID, lost.RequestID = "cycle/51/1999", "t9"
		requireCode(t, cycle.ENOTFOUND, s.SaveReview(ctx, lost))

		audit, err = s.Audit(ctx, cohort2027)
		require.NoError(t, err)
		require.Len(t, audit, 2)
		require.Equal(t, "responsibility_review", audit[1].Action)
		if db != nil {
			require.Equal(t, 2, db.count(t, `SELECT count(*) FROM transformation_reviews`))
			require.Equal(t, "Tăng cường tuần tra", db.string(t, `SELECT review->'failure'->'remedies'->>0 FROM transformation_reviews WHERE kind = 'failure'`))
			require.Equal(t, secretariat.ID, db.string(t, `SELECT actor->>'id' FROM transformation_reviews WHERE kind = 'responsibility'`))
		}
		if m, ok := s.(*memstore.Store); ok {
			require.Equal(t, []cycle.ReviewRecord{rec, resp}, m.Reviews(cohort2027))
		}
	})
}

// A task recorded under a cohort's cycle and completed by a commune's
// workflow keeps its workflow ID; a cycle's own task has none.
func TestTaskWorkflowID(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s transformStore, db *testDB) {
		ctx := context.Background()
		withCohorts(t, s)
		report := reportTask(quangPhu, cycle.TaskHalfYearReport)
		own := cycle.Task{ID: string(cycle.TaskAppraiseResults), CycleID: cohort2027, Kind: cycle.TaskAppraiseResults,
			Role: cycle.RoleCouncilChair, Title: "Thẩm định kết quả", Due: cycle.D(2028, time.January, 4), Opened: cycle.D(2027, time.December, 21)}
		require.NoError(t, s.OpenTask(ctx, report))
		require.NoError(t, s.OpenTask(ctx, own))
		got, err := s.OpenTasks(ctx, cycle.TaskFilter{CycleID: cohort2027})
		require.NoError(t, err)
		require.Equal(t, []cycle.Task{report, own}, got)
		require.Equal(t, quangPhu.WorkflowID, got[0].WorkflowID)

		// Closed and opened again, by another workflow.
		require.NoError(t, s.CloseTask(ctx, cohort2027, report.ID, "test", t0))
		report.WorkflowID = "transform/51/2027/21016-b"
		require.NoError(t, s.OpenTask(ctx, report))
		got, err = s.OpenTasks(ctx, cycle.TaskFilter{CycleID: cohort2027, Role: cycle.RoleDistrictOfficer})
		require.NoError(t, err)
		require.Equal(t, []cycle.Task{report}, got)
		if db != nil {
			require.Equal(t, "", db.string(t, `SELECT workflow_id FROM tasks WHERE task_id = $1`, own.ID))
		}
	})
}

// Workers saving reports at once: the same request leaves one report;
// different requests for the same report leave one, the others ECONFLICT.
func TestSaveReportConcurrent(t *testing.T) {
	t.Parallel()
	db := newTestDB(t)
	ctx := context.Background()
	withCohorts(t, db)
	enrol(t, db, cohort2027, quangPhu, t0)
	save := func(kind cycle.ReportKind, requestID func(int) string) []error {
		errs := make([]error, 6)
		var wg sync.WaitGroup
		for i := range errs {
			wg.Go(func() {
				r := yearlyReport(quangPhu, requestID(i), t0)
				r.Kind = kind
				errs[i] = db.SaveReport(ctx, r)
			})
		}
		wg.Wait()
		return errs
	}
	for _, err := range save(cycle.ReportYearly, func(int) string { return "same" }) {
		require.NoError(t, err)
	}
	require.Equal(t, 1, db.count(t, `SELECT count(*) FROM transformation_reports`))

	ok := 0
	for _, err := range save(cycle.ReportHalfYear, func(i int) string { return fmt.Sprintf("half-%d", i) }) {
		if err == nil {
			ok++
			continue
		}
		requireCode(t, cycle.ECONFLICT, err)
	}
	require.Equal(t, 1, ok)
	require.Equal(t, 2, db.count(t, `SELECT count(*) FROM transformation_reports`))
	require.Equal(t, 2, db.count(t, `SELECT count(*) FROM audit_log`))
}
