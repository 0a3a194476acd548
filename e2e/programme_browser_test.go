package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"

	"chuyenhoa/api"
	"chuyenhoa/cycle"
	"chuyenhoa/policies"
	"chuyenhoa/postgres"
	"chuyenhoa/sample"
	"chuyenhoa/workflows/awards"
	"chuyenhoa/workflows/selection"
	"chuyenhoa/workflows/transformation"
)

const (
	// programmeTimeScale runs the transformation years started from the
	// web at 2,000,000 calendar seconds per real second (as the fault
	// test does): a calendar month passes in about 1.3 s, and every task
	// waits for its officer however long the browser takes.
	programmeTimeScale = 2e6
	// programmeCohort is how many communes the province's list keeps:
	// the districts propose only these, so that every report of every
	// commune can be typed in the browser.
	programmeCohort = 2
)

// everyTaskKind is every kind of task of the programme: the selection's,
// the transformation years' and an award round's.
var everyTaskKind = []cycle.TaskKind{
	cycle.TaskSubmitProposal, cycle.TaskConsolidate, cycle.TaskAppraise, cycle.TaskSign, cycle.TaskIssue,
	cycle.TaskHalfYearReport, cycle.TaskYearlyReport, cycle.TaskFollowUpReport, cycle.TaskFailureReview, cycle.TaskResponsibilityReview,
	cycle.TaskAppraiseResults, cycle.TaskSignResults, cycle.TaskIssueResults, cycle.TaskAppraiseRecognition, cycle.TaskSignRecognition, cycle.TaskIssueRecognition,
	cycle.TaskNominate, cycle.TaskAwardReview, cycle.TaskAwardSign, cycle.TaskAwardIssue,
}

// TestBrowserWholeProgramme drives a whole programme through the web
// pages in a real headless Chromium, each officer signed in with their own
// account; only the accounts are made outside the web. The secretariat
// starts the cycle; every district uploads its proposal; the list is
// consolidated, appraised, signed and issued; then, on a sped-up
// calendar, the district officers type each commune's half-year, yearly
// and follow-up reports: one commune's figures pass and it is recognised,
// the other's fail, it reviews its failure, fails its second year too and
// its responsibility is reviewed; the council appraises each year's
// results, the head signs and the clerk issues them and the recognition.
// Then an award round: started, one unit's nomination, nominations
// closed, the council's review, signature and issue. Every task kind is
// completed in its form at least once; no page shows English of the
// message catalogue or scrolls sideways at 390 px; the audit chain
// verifies and holds each completion.
func TestBrowserWholeProgramme(t *testing.T) {
	api.PasswordCost = bcrypt.MinCost
	began := time.Now()
	e := startAPI(t)
	e.api.TimeScale = programmeTimeScale
	e.api.UpdateTimeout = 2 * time.Minute
	year := e.clock().In(cycle.Vietnam).Year() + 1 // the admin page's default
	builtin, err := policies.Builtin()
	require.NoError(t, err)
	// The policy the web offers first for the year: the province's in force
	// on 1 January (for Quảng Ngãi in 2026–2030 the two-tier template 005;
	// no policy is offered for a year none covers).
	pol, err := policies.InForce(builtin, e.prov.Code, cycle.D(year, time.January, 1))
	require.NoError(t, err, "no shipped policy of %s covers %d", e.prov.Code, year)

	// The cohort: the districts propose only the first communes the rules
	// select (each proposal keeps its district's full statistics).
	proposals := cohortProposals(t, e.prov, pol, year, programmeCohort)
	for _, p := range proposals {
		e.account("ca."+p.Unit, cycle.RoleDistrictOfficer, p.Unit)
	}
	who := map[cycle.Role]string{cycle.RoleSecretariat: "cat.tt", cycle.RoleCouncilChair: "hd.chutich", cycle.RoleSigner: "truongban", cycle.RoleClerk: "vanthu"}
	for role, id := range who {
		e.account(id, role, "")
	}
	officer := func(task cycle.Task) string {
		if task.Role == cycle.RoleDistrictOfficer {
			return "ca." + task.District
		}
		id, ok := who[task.Role]
		require.True(t, ok, "no account of role %s for %s", task.Role, task.ID)
		return id
	}

	w := newWeb(t, e)
	w.checkPages()
	completed := map[cycle.TaskKind]int{}
	var tasksDone []taskRef
	n := 0
	name := func(s string) string { n++; return fmt.Sprintf("%03d-%s", n, s) }

	// 1. The secretariat starts the cycle: the policy and its calendar
	// are shown before confirming.
	w.signIn(name("thuong-truc-dang-nhap"), "cat.tt")
	w.step(name("chu-ky-va-dot"), chromedp.Navigate(e.srv.URL+"/admin"), chromedp.WaitVisible(chromedp.CSS("#new-cycle")))
	require.Equal(t, strconv.Itoa(year), eval[string](w, `document.querySelector("#year").value`))
	w.step(name("mo-chu-ky-lich"),
		chromedp.SetValue(chromedp.CSS("#province"), e.prov.Code),
		chromedp.Click(chromedp.CSS("#preview-cycle")),
		chromedp.WaitVisible(chromedp.CSS("#confirm")))
	require.Contains(t, w.text("#calendar"), pol.Calendar.ProposalsDue.In(year).Vietnamese())
	require.Equal(t, pol.ID, eval[string](w, `document.querySelector("#confirm input[name=policy]").value`))
	w.step(name("chu-ky-da-mo"),
		chromedp.Click(chromedp.CSS(`#confirm input[name="synthetic"]`)),
		chromedp.Click(chromedp.CSS("#start")),
		chromedp.WaitVisible(chromedp.CSS("#flash")))
	id := selection.WorkflowID(e.prov.Code, year)
	cyclePage := fmt.Sprintf("%s/cycles/%s/%d", e.srv.URL, e.prov.Code, year)

	// done records a task completed in its form.
	done := func(task cycle.Task) {
		completed[task.Kind]++
		tasksDone = append(tasksDone, taskRef{task.CycleID, task.ID})
	}

	// 2. Every district uploads its proposal file in its task's form.
	for _, p := range proposals {
		file := filepath.Join(t.TempDir(), "de-xuat-"+p.Unit+".csv")
		require.NoError(t, os.WriteFile(file, proposalCSV(t, e.prov, p), 0o644))
		w.as(name("dang-nhap-"+p.Unit), "ca."+p.Unit)
		task := cycle.Task{CycleID: id, ID: cycle.TaskID(cycle.TaskSubmitProposal, p.Unit), Kind: cycle.TaskSubmitProposal}
		w.openTask(name("de-xuat-"+p.Unit), task.ID)
		w.step(name("de-xuat-da-gui-"+p.Unit),
			chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{file}),
			chromedp.Click(chromedp.CSS("#submit")),
			chromedp.WaitVisible(chromedp.CSS("#flash")))
		require.Contains(t, w.text("#flash"), "Đã hoàn thành")
		done(task)
	}

	// 3. Consolidation, appraisal, signature, issue.
	selectionStep := func(kind cycle.TaskKind, fill ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		task := cycle.Task{CycleID: id, ID: cycle.TaskID(kind, ""), Kind: kind}
		w.as(name("dang-nhap-"+who[cycle.RoleFor(kind)]), who[cycle.RoleFor(kind)])
		w.openTask(name(string(kind)), task.ID)
		w.step(name(string(kind)+"-xong"), append(fill, chromedp.Click(chromedp.CSS("#submit")), chromedp.WaitVisible(chromedp.CSS("#flash, #error")))...)
		require.Zero(t, eval[int](w, `document.querySelectorAll("#error").length`), "%s refused: %s", task.ID, w.text("main"))
		done(task)
	}
	selectionStep(cycle.TaskConsolidate, chromedp.SendKeys(chromedp.CSS("#note"), "Tổng hợp theo tiêu chí của Kế hoạch"))
	selectionStep(cycle.TaskAppraise,
		chromedp.Click(chromedp.CSS(`input[name="outcome"][value="approve"]`)),
		chromedp.SendKeys(chromedp.CSS("#minutes"), "Hội đồng thống nhất thông qua danh sách."))
	selectionStep(cycle.TaskSign)
	selectionStep(cycle.TaskIssue)
	w.step(name("quyet-dinh-phe-duyet"), chromedp.Navigate(cyclePage), chromedp.WaitVisible(chromedp.CSS("#documents")))
	require.Contains(t, w.text("#documents"), "1/QĐ-BCĐ")

	// 4. The transformation years: the cohort's open tasks are done in
	// their forms as they open, the reports and reviews first, until the
	// cycle closes. The first commune's figures pass, the second's fail.
	cycles := selection.Client{T: e.c}
	var st selection.CycleState
	require.Eventually(t, func() bool {
		var err error
		st, err = cycles.State(e.ctx, id)
		return err == nil && st.Transformation != nil && st.Transformation.Started
	}, time.Minute, 50*time.Millisecond, "the transformation years never started")
	cohort := map[string]transformation.CohortCommune{}
	var codes []string
	for _, c := range st.Transformation.Communes {
		cohort[c.Commune] = c
		codes = append(codes, c.Commune)
	}
	sort.Strings(codes)
	require.Len(t, codes, programmeCohort)
	passing, failing := codes[0], codes[1]
	t.Logf("cohort: %s (%s) passes, %s (%s) fails twice", cohort[passing].Name, passing, cohort[failing].Name, failing)

	order := map[cycle.TaskKind]int{}
	for i, k := range []cycle.TaskKind{cycle.TaskHalfYearReport, cycle.TaskYearlyReport, cycle.TaskFollowUpReport, cycle.TaskFailureReview,
		cycle.TaskResponsibilityReview, cycle.TaskAppraiseResults, cycle.TaskSignResults, cycle.TaskIssueResults, cycle.TaskAppraiseRecognition,
		cycle.TaskSignRecognition, cycle.TaskIssueRecognition} {
		order[k] = i
	}
	seenTask := map[string]bool{}
	previewed := map[string]bool{}
	deadline := time.Now().Add(15 * time.Minute)
	for {
		st, err := cycles.State(e.ctx, id)
		require.NoError(t, err)
		if st.Phase == cycle.PhaseClosed {
			break
		}
		require.True(t, time.Now().Before(deadline), "the programme did not close (phase %s)", st.Phase)
		open, err := e.db.OpenTasks(e.ctx, cycle.TaskFilter{CycleID: id})
		require.NoError(t, err)
		var next *cycle.Task
		for i := range open {
			x := &open[i]
			if seenTask[x.ID] {
				continue
			}
			if next == nil || order[x.Kind] < order[next.Kind] || (order[x.Kind] == order[next.Kind] && x.ID < next.ID) {
				next = x
			}
		}
		if next == nil {
			time.Sleep(100 * time.Millisecond)
			continue
		}
		task := *next
		seenTask[task.ID] = true
		w.as(name("dang-nhap-"+officer(task)), officer(task))
		slug := strings.ReplaceAll(task.ID, "/", "-")
		w.openTask(name(slug), task.ID)
		switch task.Kind {
		case cycle.TaskHalfYearReport, cycle.TaskYearlyReport, cycle.TaskFollowUpReport:
			code := strings.Split(task.ID, "/")[1]
			pass := code == passing
			values := reportValues(sample.Report(pol, cohort[code].CommuneInProgramme, pass))
			asked := eval[[]string](w, `[...document.querySelectorAll("#task-form [name^='f.'], #task-form [name^='b.']")].map(x => x.name)`)
			for _, f := range asked {
				_, ok := values[f]
				require.True(t, ok, "%s: the form asks for %s, which the commune's criteria do not need", task.ID, f)
			}
			for f := range values {
				if strings.HasPrefix(f, "f.") || strings.HasPrefix(f, "b.") {
					require.Contains(t, asked, f, "%s: the form does not ask for %s", task.ID, f)
				}
			}
			b, err := json.Marshal(values)
			require.NoError(t, err)
			fill := chromedp.Evaluate[bool](fmt.Sprintf(`(() => { const v = %s; for (const [k, x] of Object.entries(v)) { const el = document.querySelector('#task-form [name="' + k + '"]'); if (el) { el.value = x; } } return true; })()`, b))
			if !previewed[code] {
				// The verdict preview, criterion by criterion, before sending.
				previewed[code] = true
				w.step(name(slug+"-du-kien"), discard(fill), chromedp.Click(chromedp.CSS("#preview-button")), chromedp.WaitVisible(chromedp.CSS("#preview-outcome")))
				outcome := strings.ToLower(w.text("#preview-outcome"))
				if pass {
					require.NotContains(t, outcome, "không đạt", task.ID)
					require.Contains(t, outcome, "đạt", task.ID)
				} else {
					require.Contains(t, outcome, "không đạt", task.ID)
				}
			}
			w.step(name(slug+"-da-gui"), discard(fill), chromedp.Click(chromedp.CSS("#submit")), chromedp.WaitVisible(chromedp.CSS("#flash")))
		case cycle.TaskFailureReview:
			w.step(name(slug+"-da-gui"),
				chromedp.SendKeys(chromedp.CSS("#causes"), "Tỷ lệ điều tra, khám phá án chưa đạt\nTin báo chưa được giải quyết hết"),
				chromedp.SendKeys(chromedp.CSS("#remedies"), "Tăng cường trinh sát\nPhát động phong trào toàn dân bảo vệ an ninh Tổ quốc"),
				chromedp.Click(chromedp.CSS("#submit")), chromedp.WaitVisible(chromedp.CSS("#flash")))
		case cycle.TaskResponsibilityReview:
			w.step(name(slug+"-da-gui"),
				chromedp.SendKeys(chromedp.CSS(`[id="unit.0"]`), "Ban Chỉ đạo 138 "+cohort[failing].UnitName),
				chromedp.SendKeys(chromedp.CSS(`[id="conclusion.0"]`), "Kiểm điểm, rút kinh nghiệm"),
				chromedp.SendKeys(chromedp.CSS(`[id="unit.1"]`), "Công an "+cohort[failing].Name),
				chromedp.SendKeys(chromedp.CSS(`[id="position.1"]`), "Trưởng Công an xã"),
				chromedp.SendKeys(chromedp.CSS(`[id="conclusion.1"]`), "Kiểm điểm trách nhiệm người đứng đầu"),
				chromedp.SendKeys(chromedp.CSS("#emulation"), fmt.Sprintf("Không xét danh hiệu thi đua năm %s", strings.Split(task.ID, "/")[2])),
				chromedp.Click(chromedp.CSS("#submit")), chromedp.WaitVisible(chromedp.CSS("#flash")))
		case cycle.TaskAppraiseResults:
			// The council sees each commune's verdict with its failed
			// criteria, and keeps them.
			row := strings.ToLower(w.text(fmt.Sprintf(`#results tr[data-commune="%s"]`, failing)))
			require.Contains(t, row, "không đạt", task.ID)
			w.step(name(slug+"-da-gui"),
				chromedp.SendKeys(chromedp.CSS("#minutes"), "Hội đồng thẩm định thống nhất với kết quả tự đánh giá."),
				chromedp.Click(chromedp.CSS("#submit")), chromedp.WaitVisible(chromedp.CSS("#flash")))
		case cycle.TaskAppraiseRecognition:
			// 000 §II.4.b: before the head signs the recognition, the
			// council sees the follow-up of the commune that passed and
			// proposes it.
			row := w.text(fmt.Sprintf(`#results tr[data-commune="%s"]`, passing))
			require.Contains(t, row, "Đạt", task.ID)
			require.Contains(t, w.text("#task-form"), "Theo báo cáo theo dõi", task.ID)
			w.step(name(slug+"-da-gui"),
				chromedp.SendKeys(chromedp.CSS("#minutes"), "Hội đồng thẩm định thống nhất đề nghị công nhận."),
				chromedp.Click(chromedp.CSS("#submit")), chromedp.WaitVisible(chromedp.CSS("#flash")))
		default: // the signatures and issues
			if task.Kind == cycle.TaskIssueResults || task.Kind == cycle.TaskIssueRecognition {
				// This worker has no recipients directory: the clerk
				// is told whom the documents will not reach.
				require.Contains(t, w.text("#unresolved"), "Nơi nhận chưa có địa chỉ", task.ID)
			}
			w.step(name(slug+"-xong"), chromedp.Click(chromedp.CSS("#submit")), chromedp.WaitVisible(chromedp.CSS("#flash")))
		}
		require.Contains(t, w.text("#flash"), "Đã hoàn thành", task.ID)
		done(task)
	}
	st, err = cycles.State(e.ctx, id)
	require.NoError(t, err)
	standing := map[string]cycle.Standing{}
	for _, c := range st.Transformation.Communes {
		standing[c.Commune] = c.Standing
	}
	require.Equal(t, cycle.StandingRecognised, standing[passing])
	require.Equal(t, cycle.StandingResponsibility, standing[failing])
	w.step(name("chu-ky-da-dong"), chromedp.Navigate(cyclePage), chromedp.WaitVisible(chromedp.CSS("#documents")))

	// 5. An award round, under a policy with an award scheme whose legal
	// grounds cover the round's year: Bình Phước's 2024 emulation plan
	// (003), for 2024 (the plans before it cite a law no longer in force on
	// the issue date, and no plan covers a round of 2027).
	var awardPol cycle.Policy
	for _, p := range builtin {
		if strings.HasPrefix(p.ID, "003-") {
			awardPol = p
		}
	}
	require.NotNil(t, awardPol.Awards, "policy 003 has an award scheme")
	awardYear := 2024
	w.as(name("dang-nhap-cat.tt"), "cat.tt")
	w.step(name("mo-dot-khen-thuong"),
		chromedp.Navigate(e.srv.URL+"/admin"), chromedp.WaitVisible(chromedp.CSS("#new-cycle")),
		chromedp.SetValue(chromedp.CSS("#province"), e.prov.Code),
		chromedp.SetValue(chromedp.CSS("#year"), fmt.Sprint(awardYear)),
		chromedp.Click(chromedp.CSS(`input[name="what"][value="awards"]`)),
		chromedp.Click(chromedp.CSS("#preview-cycle")),
		chromedp.WaitVisible(chromedp.CSS("#confirm")))
	// Offered first: a policy with an award scheme, its calendar shown.
	offered := eval[string](w, `document.querySelector("#confirm input[name=policy]").value`)
	for _, p := range builtin {
		if p.ID == offered {
			require.NotNil(t, p.Awards, "the policy offered first for an award round has an award scheme")
		}
	}
	// The page shown has a #confirm already: mark it, so that the wait is
	// for the page the submit brings (a screenshot taken in the middle of
	// the navigation timed out once in CI).
	eval[bool](w, `document.documentElement.dataset.left = "1"; true`)
	w.step(name("mo-dot-khen-thuong-chon-ke-hoach"),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name="policy"][value="%s"]`, awardPol.ID))),
		chromedp.Click(chromedp.CSS("#show-calendar")),
		chromedp.WaitVisible(chromedp.CSS(`html:not([data-left]) #confirm`)))
	require.Equal(t, awardPol.ID, eval[string](w, `document.querySelector("#confirm input[name=policy]").value`))
	w.step(name("dot-khen-thuong-da-mo"),
		// 003 sets no nominations deadline of its own: the secretariat gives one.
		chromedp.SetValue(chromedp.CSS("#due"), time.Now().AddDate(0, 0, 14).Format("2006-01-02")),
		chromedp.SendKeys(chromedp.CSS("#signer_name"), "Nguyễn Văn Minh"), // the scheme's issuer names no signer
		chromedp.Click(chromedp.CSS(`#confirm input[name="synthetic"]`)),
		chromedp.Click(chromedp.CSS("#start")),
		chromedp.WaitVisible(chromedp.CSS("#flash, #error, .error")))
	require.Zero(t, eval[int](w, `document.querySelectorAll("#error, .error").length`), "the round did not start: %s", w.text("main"))
	round := awards.WorkflowID(e.prov.Code, awardYear)
	roundPage := fmt.Sprintf("%s/awards/%s/%d", e.srv.URL, e.prov.Code, awardYear)
	var nominating cycle.Task
	require.Eventually(t, func() bool {
		ts, err := e.db.OpenTasks(e.ctx, cycle.TaskFilter{CycleID: round, Role: cycle.RoleDistrictOfficer})
		if err != nil || len(ts) == 0 {
			return false
		}
		nominating = ts[0]
		return true
	}, time.Minute, 50*time.Millisecond, "no nomination task opened")
	w.as(name("dang-nhap-"+officer(nominating)), officer(nominating))
	w.openTask(name("de-nghi-khen-thuong"), nominating.ID)
	var dossier []string
	for _, part := range awardPol.Awards.Dossier {
		dossier = append(dossier, part.ID)
	}
	fill := []chromedp.Action[chromedp.Void]{
		chromedp.SetValue(chromedp.CSS(`[id="kind.0"]`), "collective"),
		chromedp.SendKeys(chromedp.CSS(`[id="name.0"]`), "Công an "+cohort[passing].Name),
		chromedp.SendKeys(chromedp.CSS(`[id="achievements.0"]`), "Hoàn thành xuất sắc công tác chuyển hóa địa bàn; địa bàn được công nhận chuyển hóa"),
		chromedp.SendKeys(chromedp.CSS(`[id="dossier.0"]`), strings.Join(dossier, "\n")),
	}
	if awardPol.Awards.PerArea > 0 {
		fill = append(fill, chromedp.SendKeys(chromedp.CSS(`[id="area.0"]`), passing))
	}
	w.step(name("de-nghi-da-gui"), append(fill, chromedp.Click(chromedp.CSS("#submit")), chromedp.WaitVisible(chromedp.CSS("#flash")))...)
	done(nominating)
	w.as(name("dang-nhap-cat.tt"), "cat.tt")
	w.step(name("dot-khen-thuong"), chromedp.Navigate(roundPage), chromedp.WaitVisible(chromedp.CSS("#close-nominations")))
	w.step(name("ket-thuc-nhan-ho-so"), chromedp.Click(chromedp.CSS("#close")), chromedp.WaitVisible(chromedp.CSS("#flash")))
	for _, kind := range []cycle.TaskKind{cycle.TaskAwardReview, cycle.TaskAwardSign, cycle.TaskAwardIssue} {
		var task cycle.Task
		require.Eventually(t, func() bool {
			ts, err := e.db.OpenTasks(e.ctx, cycle.TaskFilter{CycleID: round})
			for _, x := range ts {
				if err == nil && x.Kind == kind {
					task = x
					return true
				}
			}
			return false
		}, time.Minute, 50*time.Millisecond, "no %s task opened", kind)
		w.as(name("dang-nhap-"+officer(task)), officer(task))
		w.openTask(name(string(kind)), task.ID)
		var fill []chromedp.Action[chromedp.Void]
		if kind == cycle.TaskAwardReview {
			fill = append(fill, chromedp.SendKeys(chromedp.CSS("#minutes"), "Hội đồng Thi đua - Khen thưởng thống nhất đề nghị."))
		}
		if kind == cycle.TaskAwardIssue { // no recipients directory here: the clerk is told
			require.Contains(t, w.text("#unresolved"), "Nơi nhận chưa có địa chỉ", task.ID)
		}
		w.step(name(string(kind)+"-xong"), append(fill, chromedp.Click(chromedp.CSS("#submit")), chromedp.WaitVisible(chromedp.CSS("#flash, #error")))...)
		require.Zero(t, eval[int](w, `document.querySelectorAll("#error").length`), "%s refused: %s", task.ID, w.text("main"))
		done(task)
	}
	w.step(name("dot-khen-thuong-da-ban-hanh"), chromedp.Navigate(roundPage), chromedp.WaitVisible(chromedp.CSS("#documents")))

	// Every kind of task was completed in its form at least once.
	for _, k := range everyTaskKind {
		require.Positive(t, completed[k], "no %s task was completed in the web", k)
	}
	t.Logf("tasks completed in the web: %d %v", len(tasksDone), completed)

	// The other pages officers read, at both widths.
	w.step(name("luu-tru"), chromedp.Navigate(e.srv.URL+"/archive"), chromedp.WaitVisible(chromedp.CSS("main")))
	w.step(name("tinh"), chromedp.Navigate(e.srv.URL+"/provinces/"+e.prov.Code), chromedp.WaitVisible(chromedp.CSS("main")))
	w.step(name("thong-bao"), chromedp.Navigate(e.srv.URL+"/notifications"), chromedp.WaitVisible(chromedp.CSS("main")))
	t.Logf("kinds of page checked at 1280 and 390 px: %d: %s", len(w.pages), strings.Join(w.pages, " "))

	// The audit chain verifies and holds a completion of every task done.
	_, err = e.db.VerifyAudit(e.ctx)
	require.NoError(t, err)
	rows, err := e.raw.QueryContext(e.ctx, `SELECT action, object FROM audit_chain WHERE outcome = 'ok' AND action LIKE 'complete.%'`)
	require.NoError(t, err)
	audited := map[string]bool{}
	for rows.Next() {
		var action, object string
		require.NoError(t, rows.Scan(&action, &object))
		audited[object] = true
	}
	require.NoError(t, rows.Err())
	require.NoError(t, rows.Close())
	for _, x := range tasksDone {
		require.True(t, audited[postgres.TaskObject(x.cycleID, x.taskID)], "no completion of %s %s in the audit trail", x.cycleID, x.taskID)
	}
	t.Logf("the whole programme through the web in %s", time.Since(began).Round(time.Second))
}

// taskRef names a task of a cycle or round.
type taskRef struct{ cycleID, taskID string }

// discard runs an action for its effect only.
func discard[T any](a chromedp.Action[T]) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := a(ctx, t)
		return chromedp.Void{}, err
	}
}

// reportValues are a report's figures as the report form names its
// fields: "f.<name>", "b.<name>" (yes/no figures "yes" or "no"), the
// area's average.
func reportValues(r cycle.TransformationReport) map[string]string {
	out := map[string]string{}
	for _, n := range cycle.FigureNames() {
		for prefix, figs := range map[string]cycle.ReportFigures{"f.": r.Figures, "b.": r.Baseline} {
			v, ok := figs.Figure(n)
			if !ok {
				continue
			}
			s := strconv.Itoa(v)
			if cycle.IsYesNoFigure(n) {
				s = map[bool]string{true: "yes", false: "no"}[v != 0]
			}
			out[prefix+n] = s
		}
	}
	if r.Area != nil {
		out["area_crimes"], out["area_communes"] = strconv.Itoa(r.Area.Crimes), strconv.Itoa(r.Area.Communes)
	}
	return out
}
