package e2e

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"

	"chuyenhoa/api"
	"chuyenhoa/cycle"
	"chuyenhoa/sample"
)

var screenshots = flag.String("screenshots", "", "directory to keep the browser test's screenshots in (default: the test's temporary directory)")

// chromiumPath finds Debian's chromium; the test fails (not skips) without
// it: scripts/setup.sh installs it.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("the browser test needs Debian's chromium: run scripts/setup.sh (apt-get install -y chromium)")
	return ""
}

// browser starts a headless Chromium with a fresh profile and returns a
// tab's context, closed when the test ends.
func browser(t *testing.T) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("password-store", "basic"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc, chromedp.WithLogf(t.Logf))
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	// The first Run starts the browser; it must not carry a timeout.
	_, err := chromedp.Run(ctx, chromedp.Evaluate[int](`1`))
	require.NoError(t, err, "start chromium")
	return ctx
}

// TestBrowserProposalToSecretariat signs in as a district officer in a real
// headless Chromium, opens the proposal task from the inbox, sees a
// rule-breaking file refused with its problems next to the file field,
// submits a good one, and then, signed in as the secretariat, sees the
// submission in the cycle's view. It saves a screenshot of each step.
func TestBrowserProposalToSecretariat(t *testing.T) {
	api.PasswordCost = bcrypt.MinCost
	e := startAPI(t)
	year := 2027
	proposals := sample.Proposals(e.prov, e.pol, year)
	a := proposals[0]
	officer := "ca." + a.Unit
	e.account(officer, cycle.RoleDistrictOfficer, a.Unit)
	e.account("cat.tt", cycle.RoleSecretariat, "")
	e.startCycle(year)

	good := filepath.Join(t.TempDir(), "de-xuat-"+a.Unit+".csv")
	require.NoError(t, os.WriteFile(good, proposalCSV(t, e.prov, a), 0o644))
	bad := filepath.Join(t.TempDir(), "de-xuat-loi.csv")
	require.NoError(t, os.WriteFile(bad, proposalCSV(t, e.prov, sample.BadProposal(e.prov, e.pol, year, a.Unit)), 0o644))

	w := newWeb(t, e)
	bctx, step, text, signIn := w.ctx, w.step, w.text, w.signIn

	// A wrong password first: the page says so, in Vietnamese.
	step("01-sai-mat-khau",
		chromedp.Navigate(e.srv.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS("#signin-form")),
		chromedp.SendKeys(chromedp.CSS("#account"), officer),
		chromedp.SendKeys(chromedp.CSS("#password"), "không đúng"),
		chromedp.Click(chromedp.CSS("#signin")),
		chromedp.WaitVisible(chromedp.CSS("#error")),
	)
	require.Contains(t, text("#error"), "Sai tài khoản hoặc mật khẩu")

	// The officer's inbox: one task, with its due date.
	signIn("02-hop-thu-can-bo", officer)
	require.Contains(t, text("#tasks"), e.pol.Calendar.ProposalsDue.In(year).Vietnamese())
	require.Contains(t, text("#tasks"), "Gửi đề xuất địa bàn chuyển hóa năm 2027")
	require.Contains(t, text("#tasks"), "Còn")

	// Open the task; a rule-breaking file is refused, the problems next to the field.
	step("03-nhiem-vu-de-xuat",
		chromedp.Click(chromedp.CSS("#tasks a.button")),
		chromedp.WaitVisible(chromedp.CSS("#task-form input[type=file]")),
	)
	step("04-de-xuat-loi",
		chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{bad}),
		chromedp.Click(chromedp.CSS("#submit")),
		chromedp.WaitVisible(chromedp.CSS("#file-errors")),
	)
	errs := text("#file-errors")
	require.Contains(t, errs, "nông thôn mới")           // selection.new_rural, said to the officer
	require.Contains(t, errs, "không cao hơn bình quân") // selection.district_average
	require.Contains(t, text("#error"), "Dữ liệu chưa hợp lệ")

	// The table typed in on the page: a figure that is not a number is
	// refused next to its commune's row.
	code := a.Statistics[0].Commune
	step("04b-nhap-truc-tiep-loi",
		chromedp.SetValue(chromedp.CSS(fmt.Sprintf(`input[name="soc.%s"]`, code)), "mười"),
		chromedp.Click(chromedp.CSS("#submit-table")),
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`#communes tr[data-commune="%s"] .field-error`, code))),
	)
	require.Contains(t, text(fmt.Sprintf(`#communes tr[data-commune="%s"] .field-error`, code)), "không phải số nguyên") // form.number

	// The good file: recorded; the inbox says so and the cycle page shows it.
	cyclePage := fmt.Sprintf("%s/cycles/%s/%d", e.srv.URL, e.prov.Code, year)
	taskPage := fmt.Sprintf("%s/tasks/cycle/%s/%d/submit_proposal/%s", e.srv.URL, e.prov.Code, year, a.Unit)
	step("05-de-xuat-da-gui",
		chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{good}),
		chromedp.Click(chromedp.CSS("#submit")),
		chromedp.WaitVisible(chromedp.CSS("#flash")),
	)
	require.Contains(t, text("#flash"), "Đã hoàn thành: Gửi đề xuất địa bàn")
	step("05b-chu-ky-da-gui",
		chromedp.Navigate(cyclePage),
		chromedp.WaitVisible(chromedp.CSS("#units")),
	)
	require.Contains(t, text(fmt.Sprintf(`tr[data-unit="%s"]`, a.Unit)), "Đã gửi (lần 1")
	step("06-hop-thu-trong",
		chromedp.Navigate(e.srv.URL+"/inbox"),
		chromedp.WaitVisible(chromedp.CSS("#no-tasks")),
	)
	// Before the due date the officer may revise: the task's page shows
	// revision 1's figures; sent again it becomes revision 2.
	step("06b-sua-de-xuat",
		chromedp.Navigate(taskPage),
		chromedp.WaitVisible(chromedp.CSS("#communes")),
	)
	require.Contains(t, text("#revisable"), "Trước hạn có thể gửi bản sửa đổi")
	require.Contains(t, text("main"), "Đơn vị đã gửi lần 1")
	soc, err := chromedp.Run(bctx, chromedp.Evaluate[string](fmt.Sprintf(`document.querySelector('input[name="soc.%s"]').value`, code)))
	require.NoError(t, err)
	require.Equal(t, fmt.Sprint(a.Statistics[0].SocialOrderCrimes), soc)
	step("06c-da-sua-de-xuat",
		chromedp.SendKeys(chromedp.CSS("#table-note"), "Bổ sung lý do"),
		chromedp.Click(chromedp.CSS("#submit-table")),
		chromedp.WaitVisible(chromedp.CSS("#flash")),
	)
	step("06d-chu-ky-da-sua",
		chromedp.Navigate(cyclePage),
		chromedp.WaitVisible(chromedp.CSS("#units")),
	)
	require.Contains(t, text(fmt.Sprintf(`tr[data-unit="%s"]`, a.Unit)), "Đã gửi (lần 2")

	// Sign out; the secretariat signs in: its own inbox is empty, the
	// programme's open tasks are one tick away, and the cycle page shows
	// the submission.
	step("07-dang-xuat",
		chromedp.Click(chromedp.CSS("#signout")),
		chromedp.WaitVisible(chromedp.CSS("#signin-form")),
	)
	signIn("08-hop-thu-thuong-truc", "cat.tt")
	step("08b-moi-viec-dang-mo",
		chromedp.Navigate(e.srv.URL+"/inbox?all=1"),
		chromedp.WaitVisible(chromedp.CSS("#tasks")),
	)
	require.Contains(t, text(fmt.Sprintf(`#tasks tr[data-task="%s"]`, cycle.TaskID(cycle.TaskSubmitProposal, proposals[1].Unit))), "Còn")
	step("09-chu-ky-thuong-truc",
		chromedp.Navigate(cyclePage),
		chromedp.WaitVisible(chromedp.CSS("#units")),
	)
	row := text(fmt.Sprintf(`tr[data-unit="%s"]`, a.Unit))
	require.Contains(t, row, "Đã gửi (lần 2")
	require.Contains(t, row, fmt.Sprint(len(a.Proposed)))
	other := text(fmt.Sprintf(`tr[data-unit="%s"]`, proposals[1].Unit))
	require.Contains(t, other, "Chưa gửi")
	require.Contains(t, text("#who"), "cat.tt")

	// The secretariat may read the district's task but not do it: the page
	// offers no form, and a post forged from the page is refused, and
	// recorded.
	other1 := fmt.Sprintf("%s/tasks/cycle/%s/%d/submit_proposal/%s", e.srv.URL, e.prov.Code, year, proposals[1].Unit)
	step("10-thuong-truc-gui-de-xuat",
		chromedp.Navigate(other1),
		chromedp.WaitVisible(chromedp.CSS("#not-mine")),
	)
	status, err := chromedp.Run(bctx, chromedp.Evaluate[int](`(() => { const f = new FormData(); f.append("csrf", document.querySelector('input[name="csrf"]').value); f.append("note", "giả mạo"); return fetch(location.href, {method: "POST", body: f}).then(r => r.status); })()`, chromedp.EvalAwaitPromise))
	require.NoError(t, err)
	require.Equal(t, 403, status)
	acts := e.auditActions()
	require.Equal(t, 2, acts["complete.submit_proposal ok"])
	require.Equal(t, 1, acts["refused forbidden"])
	require.Equal(t, 2, acts["refused invalid"], "the bad file and the bad figure")
	require.Equal(t, 1, acts["sign_in_failed unauthorized"])
	require.Equal(t, 2, acts["sign_in ok"])

	// The other districts submit through the API; the rest of the cycle
	// runs through the web forms, each role in turn.
	for _, p := range proposals[1:] {
		e.account("ca."+p.Unit, cycle.RoleDistrictOfficer, p.Unit)
		r := e.call("POST", fmt.Sprintf("/api/tasks/cycle/%s/%d/submit_proposal/%s", e.prov.Code, year, p.Unit), e.signIn("ca."+p.Unit), "application/json", jsonBody(t, p), "Idempotency-Key", "proposal-"+p.Unit)
		require.Equal(t, 200, r.Status, "%s", r.Body)
	}
	e.account("hd.chutich", cycle.RoleCouncilChair, "")
	e.account("truongban", cycle.RoleSigner, "")
	e.account("vanthu", cycle.RoleClerk, "")
	openTask := func(name string) { w.openTask(name, "") }
	switchTo := w.switchTo

	// Consolidation: dropping a selected commune without a reason is refused
	// next to its row; with a reason it goes to the council.
	switchTo("11-thuong-truc-dang-nhap", "cat.tt")
	openTask("12-tong-hop")
	var first string
	first, err = chromedp.Run(bctx, chromedp.Evaluate[string](`document.querySelector("#candidates tbody tr").dataset.commune`))
	require.NoError(t, err)
	sel := fmt.Sprintf(`select[name="decision.%s"]`, first)
	step("13-tong-hop-thieu-ly-do",
		chromedp.SetValue(chromedp.CSS(sel), "drop"),
		chromedp.Click(chromedp.CSS("#submit")),
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`tr[data-commune="%s"] .field-error`, first))),
	)
	require.Contains(t, text(fmt.Sprintf(`tr[data-commune="%s"] .field-error`, first)), "Cần ghi lý do") // consolidation.reason
	step("14-tong-hop-da-gui",
		chromedp.SetValue(chromedp.CSS(sel), "drop"),
		chromedp.SendKeys(chromedp.CSS(fmt.Sprintf(`input[name="reason.%s"]`, first)), "Đã chuyển biến tích cực theo báo cáo của Công an huyện"),
		chromedp.Click(chromedp.CSS("#submit")),
		chromedp.WaitVisible(chromedp.CSS("#flash")),
	)

	// Appraisal: without a conclusion it is refused; approved, it goes to the head.
	switchTo("15-chu-tich-hoi-dong-dang-nhap", "hd.chutich")
	openTask("16-tham-dinh")
	step("17-tham-dinh-tra-lai-khong-ly-do",
		chromedp.Click(chromedp.CSS(`input[name="outcome"][value="return"]`)),
		chromedp.Click(chromedp.CSS("#submit")),
		chromedp.WaitVisible(chromedp.CSS("#reason-errors")),
	)
	require.Contains(t, text("#reason-errors"), "Cần ghi lý do") // appraisal.reason
	step("18-tham-dinh-thong-qua",
		chromedp.Click(chromedp.CSS(`input[name="outcome"][value="approve"]`)),
		chromedp.SendKeys(chromedp.CSS("#minutes"), "Hội đồng thống nhất thông qua danh sách."),
		chromedp.Click(chromedp.CSS("#submit")),
		chromedp.WaitVisible(chromedp.CSS("#flash")),
	)

	// Signature and issue.
	switchTo("19-truong-ban-dang-nhap", "truongban")
	openTask("20-ky")
	step("21-da-ky", chromedp.Click(chromedp.CSS("#submit")), chromedp.WaitVisible(chromedp.CSS("#flash")))
	switchTo("22-van-thu-dang-nhap", "vanthu")
	openTask("23-ban-hanh")
	// This worker has no recipients directory: the clerk is told, before
	// the issue, which recipients the decision will not reach.
	require.Contains(t, text("#unresolved"), "Nơi nhận chưa có địa chỉ")
	require.Contains(t, text("#unresolved"), "Công an tỉnh")
	step("24-da-ban-hanh", chromedp.Click(chromedp.CSS("#submit")), chromedp.WaitVisible(chromedp.CSS("#flash")))
	step("24b-quyet-dinh", chromedp.Navigate(cyclePage), chromedp.WaitVisible(chromedp.CSS("#documents")))
	require.Contains(t, text("#documents"), "1/QĐ-BCĐ")
	require.Contains(t, text("#phase"), "Đã ban hành")
	// The PDF link downloads the decision (fetched by the page, with its cookie).
	got, err := chromedp.Run(bctx, chromedp.Evaluate[string](`fetch(document.querySelector("#documents a.download").href).then(r => r.status + " " + r.headers.get("content-type"))`, chromedp.EvalAwaitPromise))
	require.NoError(t, err)
	require.Equal(t, "200 application/pdf", got)

	acts = e.auditActions()
	for _, k := range []string{"consolidate", "appraise", "sign", "issue"} {
		require.Equal(t, 1, acts["complete."+k+" ok"], k)
	}
	require.Equal(t, 2, acts["refused invalid"]-2, "the consolidation and the appraisal refused once each")
	require.Equal(t, 1, acts["download ok"])
	_, err = e.db.VerifyAudit(e.ctx)
	require.NoError(t, err)

	// The clerk's pages at 1280 and 390 px: nothing scrolls sideways on a
	// phone (the inbox, the cycle, the issued task, the units' inbox of
	// documents, the archive).
	for _, pg := range []struct{ name, path string }{
		{"25-hop-thu-van-thu", "/inbox"},
		{"26-chu-ky", fmt.Sprintf("/cycles/%s/%d", e.prov.Code, year)},
		{"27-viec-ban-hanh", fmt.Sprintf("/tasks/cycle/%s/%d/issue", e.prov.Code, year)},
		{"28-van-ban-den", "/documents"},
		{"29-luu-tru", "/archive"},
	} {
		for _, width := range []int64{1280, 390} {
			name := fmt.Sprintf("%s-%d", pg.name, width)
			step(name, chromedp.EmulateViewport(width, 900), chromedp.Navigate(e.srv.URL+pg.path), chromedp.WaitVisible(chromedp.CSS("main")))
			wide, err := chromedp.Run(bctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`))
			require.NoError(t, err)
			require.False(t, wide, "%s scrolls sideways at %d px", pg.path, width)
		}
	}
	require.Contains(t, text("main"), "Văn bản")
	if !strings.HasPrefix(w.dir, os.TempDir()) {
		t.Logf("screenshots in %s", w.dir)
	}
}
