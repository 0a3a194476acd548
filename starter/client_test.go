package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"golang.org/x/crypto/bcrypt"

	"chuyenhoa/api"
	"chuyenhoa/cycle"
	"chuyenhoa/internal/pgtest"
	"chuyenhoa/policies"
	"chuyenhoa/postgres"
	"chuyenhoa/sample"
	"chuyenhoa/workflows/awards"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/selection"
	"chuyenhoa/workflows/transformation"
)

// The officers' client against a real api.Server over PostgreSQL, with a
// Temporal that answers the updates and queries these tests send the way
// the workflows would (and, as Temporal does, returns an update's first
// result when its ID comes again).

const testPassword = "một mật khẩu dài"

// fakeTemporal answers updates by their ID (a repeated ID gets the first
// result) and the commune query.
type fakeTemporal struct {
	mu        sync.Mutex
	results   map[string][]byte // by update ID
	revisions map[string]int    // proposals sent, by unit
	commune   transformation.CommuneState
	args      map[string]any // the last argument of each update, by name
}

func (f *fakeTemporal) UpdateWorkflow(_ context.Context, o client.UpdateWorkflowOptions) (client.WorkflowUpdateHandle, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if r, ok := f.results[o.UpdateID]; ok {
		return handle{o, r}, nil
	}
	var res any
	if f.args == nil {
		f.args = map[string]any{}
	}
	f.args[o.UpdateName] = o.Args[0]
	doc := cycle.Decision{Code: "7/QĐ-BCĐ", Date: cycle.D(2027, 6, 10), SHA256: "ab12"}
	switch a := o.Args[0].(type) {
	case selection.SubmitProposalRequest:
		f.revisions[a.Proposal.Unit]++
		res = selection.SubmitProposalResult{Unit: a.Proposal.Unit, Revision: f.revisions[a.Proposal.Unit], Proposed: len(a.Proposal.Proposed)}
	case selection.ConsolidateRequest:
		res = selection.ConsolidateResult{Draft: []cycle.ListedCommune{{Commune: "21010", Name: "Phường Lê Hồng Phong", DistrictName: "Thành phố Quảng Ngãi", Types: cycle.Types{1}, Rank: 1}}}
	case selection.AppraiseRequest:
		res = selection.AppraiseResult{Returned: !a.Appraisal.Approved}
	case selection.SignRequest, transformation.YearRequest:
		res = transformation.SignResult{SignedAt: cycle.D(2027, 6, 10)}
		if o.UpdateName == transformation.UpdateIssueResults {
			res = []cycle.Decision{doc}
		}
		if o.UpdateName == transformation.UpdateSignReview { // the head's signature issues the review report
			res = transformation.SignResult{SignedAt: cycle.D(2027, 6, 10), Document: &cycle.Decision{Kind: cycle.DocReview, Code: "3/BC-BCĐ", Date: cycle.D(2027, 6, 10), SHA256: "cd34"}}
		}
	case selection.IssueRequest:
		res = doc
	case transformation.SubmitReportRequest:
		res = transformation.SubmitReportResult{Kind: a.Kind, Year: 2027, Verdict: cycle.Verdict{Commune: "21010", Name: "Phường Lê Hồng Phong", Outcome: cycle.OutcomePass, Summary: "đạt 3/3 tiêu chí",
			Results: []cycle.CriterionResult{{ID: "1", Name: "Tội phạm giảm", Passed: true, Detail: "7 → 5"}}}}
	case transformation.SubmitReviewRequest:
		res = cycle.ReviewFailure
	case transformation.AppraiseResultsRequest:
		res = []cycle.CommuneResult{}
	case transformation.SubmitPlanReportRequest:
		res = transformation.PlanStepStatus{TaskID: a.TaskID, Deadline: cycle.DeadlineLocalReviews, Name: "Tổ chức sơ kết tại các địa bàn chuyển hóa", Due: cycle.D(2027, 6, 29), Report: &a.Report}
	case awards.NominateRequest:
		res = awards.NominateResult{Unit: a.Unit, Revision: 1, IDs: []string{a.Unit + "/1"}}
	case awards.ReviewAwardsRequest:
		res = awards.ReviewAwardsResult{}
	case awards.SignAwardsRequest:
		res = cycle.D(2027, 6, 10)
	case flow.Request:
		res = cycle.D(2027, 6, 10)
		if o.UpdateName == awards.UpdateIssueAwards {
			res = doc
		}
	default:
		return nil, fmt.Errorf("the fake Temporal takes no update %s", o.UpdateName)
	}
	b, _ := json.Marshal(res)
	f.results[o.UpdateID] = b
	return handle{o, b}, nil
}

func (f *fakeTemporal) QueryWorkflow(_ context.Context, id, _, name string, _ ...any) (converter.EncodedValue, error) {
	if name == transformation.QueryCommune && id == f.commune.WorkflowID {
		b, _ := json.Marshal(f.commune)
		return value(b), nil
	}
	return nil, fmt.Errorf("the fake Temporal answers no query %s of %s", name, id)
}

func (f *fakeTemporal) ExecuteWorkflow(context.Context, client.StartWorkflowOptions, any, ...any) (client.WorkflowRun, error) {
	return nil, fmt.Errorf("the fake Temporal starts no workflow")
}

func (f *fakeTemporal) DescribeWorkflowExecution(context.Context, string, string) (*workflowservice.DescribeWorkflowExecutionResponse, error) {
	return nil, fmt.Errorf("the fake Temporal describes no workflow")
}

type handle struct {
	o client.UpdateWorkflowOptions
	b []byte
}

func (h handle) WorkflowID() string                 { return h.o.WorkflowID }
func (h handle) RunID() string                      { return "" }
func (h handle) UpdateID() string                   { return h.o.UpdateID }
func (h handle) Get(_ context.Context, v any) error { return json.Unmarshal(h.b, v) }

type value []byte

func (v value) HasValue() bool  { return true }
func (v value) Get(p any) error { return json.Unmarshal(v, p) }

// clientEnv is the API over a fresh database, its clock fixed on 10 June
// 2027, 9:00 in Vietnam.
type clientEnv struct {
	t    *testing.T
	db   *postgres.DB
	srv  *httptest.Server
	tmp  *fakeTemporal
	prov cycle.Province
	home string // where the officers' configuration directories are
	// report is the address of a commune's half-year report task.
	report string
}

var clientNow = time.Date(2027, 6, 10, 9, 0, 0, 0, cycle.Vietnam)

func newClientEnv(t *testing.T) *clientEnv {
	t.Helper()
	ctx := context.Background()
	db, err := postgres.Open(ctx, pgtest.CreateDatabase(t))
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	prov, issuer, err := sample.Province("quang-ngai")
	require.NoError(t, err)
	require.NoError(t, db.SaveProvince(ctx, prov, issuer))
	api.PasswordCost = bcrypt.MinCost
	hash, err := api.HashPassword(testPassword)
	require.NoError(t, err)
	for _, a := range []cycle.Account{
		{ID: "ca.522", Name: "Nguyễn Văn An", Role: cycle.RoleDistrictOfficer, District: "522"},
		{ID: "cat.tt", Name: "Trần Thị Bình", Role: cycle.RoleSecretariat},
		{ID: "vanthu", Name: "Lê Văn Cường", Role: cycle.RoleClerk},
	} {
		require.NoError(t, db.CreateAccount(ctx, a, hash))
	}
	const cyc = "cycle/51/2027"
	all, err := policies.Builtin()
	require.NoError(t, err)
	require.NoError(t, db.OpenCycle(ctx, cycle.CycleInfo{ID: cyc, Province: "51", Year: 2027, Policy: all[0],
		StartedBy: cycle.Actor{ID: "cat.tt", Role: cycle.RoleSecretariat}, StartedAt: clientNow.AddDate(0, -7, 0)}))
	c := prov.CommunesOf("522")[0]
	wid := transformation.WorkflowID("51", c.Code, 2027)
	for _, tk := range []cycle.Task{
		{ID: "submit_proposal/522", Kind: cycle.TaskSubmitProposal, Role: cycle.RoleDistrictOfficer, District: "522", Title: "Gửi đề xuất địa bàn — " + prov.UnitName("522"), Due: cycle.D(2027, 6, 5)},
		{ID: "half_year_report/" + c.Code + "/2027", Kind: cycle.TaskHalfYearReport, Role: cycle.RoleDistrictOfficer, District: "522", WorkflowID: wid,
			Title: "Gửi báo cáo 6 tháng — " + c.Name + " (" + c.Code + ")", Due: cycle.D(2027, 6, 20)},
		{ID: "sign", Kind: cycle.TaskSign, Role: cycle.RoleSigner, Title: "Ký quyết định phê duyệt danh sách", Due: cycle.D(2027, 6, 30)},
	} {
		tk.CycleID, tk.Opened = cyc, cycle.D(2027, 5, 1)
		require.NoError(t, db.OpenTask(ctx, tk))
	}

	ft := &fakeTemporal{results: map[string][]byte{}, revisions: map[string]int{}}
	ft.commune = transformation.CommuneState{WorkflowID: wid, CycleID: cyc,
		Commune: cycle.CommuneInProgramme{ListedCommune: cycle.ListedCommune{Commune: c.Code, Name: c.Name, District: "522", DistrictName: prov.UnitName("522"),
			Types: cycle.Types{1, 3}, Rank: 1}, FirstYear: 2027, Year: 2027, YearNo: 1, WorkflowID: wid},
		Reports: []transformation.ReportStatus{{Kind: cycle.ReportHalfYear, Year: 2027, Period: cycle.Span{From: cycle.D(2026, 12, 15), To: cycle.D(2027, 6, 14)}, Due: cycle.D(2027, 6, 20)}}}
	s := &api.Server{Store: db, Temporal: ft, Now: func() time.Time { return clientNow }, SessionTTL: 8 * time.Hour, UpdateTimeout: 5 * time.Second}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return &clientEnv{t: t, db: db, srv: srv, tmp: ft, prov: prov, home: t.TempDir(), report: cyc + "/half_year_report/" + c.Code + "/2027"}
}

// result is one run of starter.
type result struct {
	code     int
	out, err string
}

// as runs starter as an officer: his own configuration directory, stdin
// given.
func (e *clientEnv) as(officer, stdin string, args ...string) result {
	e.t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errOut, func(x *cli) {
		x.configDir = filepath.Join(e.home, officer)
		x.server = ""
	})
	return result{code, out.String(), errOut.String()}
}

func (e *clientEnv) login(officer string) {
	e.t.Helper()
	r := e.as(officer, testPassword+"\n", "login", officer, "--server", e.srv.URL)
	require.Equal(e.t, 0, r.code, "login %s: %s%s", officer, r.out, r.err)
}

func (e *clientEnv) sessionPath(officer string) string {
	return filepath.Join(e.home, officer, "chuyenhoa", "session.json")
}

func TestLoginLogoutAndTheSessionFile(t *testing.T) {
	e := newClientEnv(t)

	// A wrong password: refused in Vietnamese, exit 1, no file.
	r := e.as("ca.522", "sai mật khẩu\n", "login", "ca.522", "--server", e.srv.URL)
	require.Equal(t, exitRefused, r.code, "%s", r.err)
	require.Contains(t, r.err, "Sai tài khoản hoặc mật khẩu")
	require.NoFileExists(t, e.sessionPath("ca.522"))

	// Not signed in yet: said so, exit 1.
	r = e.as("ca.522", "", "tasks")
	require.Equal(t, exitRefused, r.code)
	require.Contains(t, r.err, "Chưa đăng nhập: chạy starter login")

	// Signing in keeps the token with the server, readable by the user only.
	r = e.as("ca.522", testPassword+"\n", "login", "ca.522", "--server", e.srv.URL)
	require.Equal(t, exitOK, r.code, "%s", r.err)
	require.Contains(t, r.out, "Đã đăng nhập: ca.522 (Nguyễn Văn An) — cán bộ đơn vị cấp huyện, đơn vị 522")
	require.NotContains(t, r.out+r.err, testPassword)
	fi, err := os.Stat(e.sessionPath("ca.522"))
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	var s session
	b, _ := os.ReadFile(e.sessionPath("ca.522"))
	require.NoError(t, json.Unmarshal(b, &s))
	require.Equal(t, e.srv.URL, s.Server)
	require.Len(t, s.Token, 43)
	require.NotContains(t, r.out, s.Token, "the token is not printed")

	r = e.as("ca.522", "", "whoami")
	require.Equal(t, exitOK, r.code, "%s", r.err)
	require.Contains(t, r.out, "ca.522 (Nguyễn Văn An)")
	require.Contains(t, r.out, e.srv.URL)

	// A session file others can read is refused, saying so.
	require.NoError(t, os.Chmod(e.sessionPath("ca.522"), 0o644))
	r = e.as("ca.522", "", "whoami")
	require.Equal(t, exitRefused, r.code)
	require.Contains(t, r.err, "có quyền 0644")
	require.Contains(t, r.err, "chmod 600")
	r = e.as("ca.522", "", "--lang", "en", "whoami")
	require.Contains(t, r.err, "has mode 0644")
	require.NoError(t, os.Chmod(e.sessionPath("ca.522"), 0o600))

	// Another server than the session's is refused.
	r = e.as("ca.522", "", "--server", "http://127.0.0.1:1", "tasks")
	require.Equal(t, exitRefused, r.code)
	require.Contains(t, r.err, "Đang đăng nhập vào "+e.srv.URL)

	// Signing out ends the session on the server and removes the file.
	r = e.as("ca.522", "", "logout")
	require.Equal(t, exitOK, r.code, "%s", r.err)
	require.NoFileExists(t, e.sessionPath("ca.522"))
	req, _ := http.NewRequest("GET", e.srv.URL+"/api/me", nil)
	req.Header.Set("Authorization", "Bearer "+s.Token)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode, "the token is dead")

	// The audit trail has the sign-ins, the failure and the sign-out.
	acts := e.auditActions()
	require.Equal(t, 1, acts["sign_in_failed"])
	require.Equal(t, 1, acts["sign_in"])
	require.Equal(t, 1, acts["sign_out"])
}

func (e *clientEnv) auditActions() map[string]int {
	e.t.Helper()
	rs, err := e.db.RecentAudit(context.Background(), "", 1000)
	require.NoError(e.t, err)
	out := map[string]int{}
	for _, r := range rs {
		out[r.Action]++
	}
	return out
}

func TestRefusalsAsOfficersReadThem(t *testing.T) {
	e := newClientEnv(t)
	e.login("vanthu")
	e.login("ca.522")

	// The clerk cannot sign: refused in Vietnamese, exit 1, audited.
	r := e.as("vanthu", "", "sign", "cycle/51/2027/sign")
	require.Equal(t, exitRefused, r.code, "%s%s", r.out, r.err)
	require.Contains(t, r.err, "Không có quyền thực hiện: Công việc «Ký quyết định phê duyệt danh sách» không thuộc phạm vi của tài khoản này.")
	require.Contains(t, r.err, "Mã yêu cầu: cli-", "the request ID is printed before sending")
	r = e.as("vanthu", "", "--lang", "en", "sign", "cycle/51/2027/sign")
	require.Equal(t, exitRefused, r.code)
	require.Contains(t, r.err, "refused (forbidden): task \"Ký quyết định phê duyệt danh sách\" is not for this account")
	require.Equal(t, 2, e.auditActions()["refused"])

	// A proposal file with mistakes: every problem where it is in the
	// file (line, column), exit 2; nothing reaches the workflow.
	bad := filepath.Join(t.TempDir(), "de-xuat-522.csv")
	var buf bytes.Buffer
	p := sample.Proposals(e.prov, cycle.DefaultPolicy(), 2028)
	var mine cycle.Proposal
	for _, x := range p {
		if x.Unit == "522" {
			mine = x
		}
	}
	require.NoError(t, cycle.WriteProposalCSV(&buf, e.prov, mine))
	lines := strings.Split(buf.String(), "\n")
	cells := strings.Split(lines[2], ",")
	cells[2] = "mười"
	lines[2] = strings.Join(cells, ",")
	require.NoError(t, os.WriteFile(bad, []byte(strings.Join(lines, "\n")), 0o644))
	r = e.as("ca.522", "", "proposal", "submit", "-f", bad)
	require.Equal(t, exitInvalid, r.code, "%s%s", r.out, r.err)
	require.Contains(t, r.err, "Dữ liệu chưa hợp lệ:")
	require.Contains(t, r.err, "dòng 3, cột «Số vụ phạm pháp hình sự về TTXH», Phường Trần Phú (21013): \"mười\" không phải là số")
	require.NotContains(t, r.err, "statistics[", "no field paths for officers")
	require.Empty(t, e.tmp.revisions, "nothing reached the workflow")

	// Bad usage: exit 2.
	r = e.as("ca.522", "", "task", "show", "not-an-address")
	require.Equal(t, exitInvalid, r.code)
	require.Contains(t, r.err, "Địa chỉ việc \"not-an-address\" không đúng")
	r = e.as("ca.522", "", "tasks", "--no-such-flag")
	require.Equal(t, exitInvalid, r.code)
	r = e.as("ca.522", "", "sign", "cycle/51/2027/submit_proposal/522")
	require.Equal(t, exitInvalid, r.code)
	require.Contains(t, r.err, "starter proposal submit cycle/51/2027/submit_proposal/522")
}

func TestCompletionAndItsRetry(t *testing.T) {
	e := newClientEnv(t)
	e.login("ca.522")
	var mine cycle.Proposal
	for _, p := range sample.Proposals(e.prov, cycle.DefaultPolicy(), 2028) {
		if p.Unit == "522" {
			mine = p
		}
	}
	var buf bytes.Buffer
	require.NoError(t, cycle.WriteProposalCSV(&buf, e.prov, mine))
	file := filepath.Join(t.TempDir(), "522.csv")
	require.NoError(t, os.WriteFile(file, buf.Bytes(), 0o644))

	// Sent with the address left out: the only proposal task of the inbox.
	first := e.as("ca.522", "", "proposal", "submit", "-f", file, "--request-id", "de-xuat-522-lan-1")
	require.Equal(t, exitOK, first.code, "%s%s", first.out, first.err)
	want := fmt.Sprintf("Đề xuất của đơn vị 522 đã được ghi nhận: lần gửi thứ 1, %d xã được đề xuất.", len(mine.Proposed))
	require.Contains(t, first.out, want)
	require.Contains(t, first.out, "Mã yêu cầu: de-xuat-522-lan-1")

	// The answer was lost; the same request again gets the first result.
	again := e.as("ca.522", "", "proposal", "submit", "cycle/51/2027/submit_proposal/522", "-f", file, "--request-id", "de-xuat-522-lan-1")
	require.Equal(t, exitOK, again.code, "%s", again.err)
	require.Contains(t, again.out, want)
	require.Equal(t, 1, e.tmp.revisions["522"], "sent once")

	// A new request is a new revision; its ID was printed.
	third := e.as("ca.522", "", "proposal", "submit", "-f", file)
	require.Equal(t, exitOK, third.code, "%s", third.err)
	require.Contains(t, third.out, "lần gửi thứ 2")
	require.Regexp(t, `Mã yêu cầu: cli-[0-9a-f]{24}`, third.err)

	// --json prints the API's raw answer.
	js := e.as("ca.522", "", "--json", "proposal", "submit", "-f", file, "--request-id", "de-xuat-522-lan-1")
	var cr api.CompletionResponse
	require.NoError(t, json.Unmarshal([]byte(js.out), &cr), js.out)
	require.Equal(t, "de-xuat-522-lan-1", cr.RequestID)

	// Every completion is in the audit trail, which verifies.
	rs, err := e.db.RecentAudit(context.Background(), "ca.522", 100)
	require.NoError(t, err)
	keys := map[string]int{}
	for _, r := range rs {
		if r.Action == "complete.submit_proposal" {
			keys[r.RequestID]++
		}
	}
	require.Len(t, keys, 2, "%v", keys)
	require.Equal(t, 3, keys["de-xuat-522-lan-1"], "each answer given is audited")
	_, err = e.db.VerifyAudit(context.Background())
	require.NoError(t, err)
}

// TestWhatAnOfficerReads keeps the inbox and a report task's detail, as
// an officer reads them, in golden files (go test ./starter -update
// rewrites them).
func TestWhatAnOfficerReads(t *testing.T) {
	e := newClientEnv(t)
	e.login("ca.522")
	pdf := filepath.Join(t.TempDir(), "bien-ban-hop.pdf")
	require.NoError(t, os.WriteFile(pdf, []byte("%PDF-1.4\n% biên bản họp\n%%EOF\n"), 0o644))
	for _, args := range [][]string{
		{"task", "claim", e.report},
		{"task", "attach", e.report, pdf},
		{"task", "draft", "save", e.report, "--set", "tips_received=4", "--set", "note=đang tổng hợp"},
	} {
		r := e.as("ca.522", "", args...)
		require.Equal(t, exitOK, r.code, "%v: %s%s", args, r.out, r.err)
	}
	inbox := e.as("ca.522", "", "tasks")
	require.Equal(t, exitOK, inbox.code, "%s", inbox.err)
	show := e.as("ca.522", "", "task", "show", e.report)
	require.Equal(t, exitOK, show.code, "%s", show.err)
	showEN := e.as("ca.522", "", "--lang", "en", "task", "show", e.report)
	require.Equal(t, exitOK, showEN.code, "%s", showEN.err)
	golden(t, "cli-inbox.golden", inbox.out)
	golden(t, "cli-task-report.golden", show.out)
	golden(t, "cli-task-report-en.golden", showEN.out)

	// What the detail promises: every figure the commune's types need
	// under the policy, for the period and its baseline.
	all, err := policies.Builtin()
	require.NoError(t, err)
	figs, base, _ := cycle.ReportNeeds(all[0], cycle.Types{1, 3}, "")
	require.NotEmpty(t, figs)
	for _, n := range append(figs, base...) {
		require.Contains(t, show.out, n)
	}
	// A figure the report does not take is bad usage, said in Vietnamese.
	r := e.as("ca.522", "", "report", "preview", e.report, "--figure", "no_such_figure=3")
	require.Equal(t, exitInvalid, r.code)
	require.Contains(t, r.err, "\"no_such_figure\" không phải tên số liệu")
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./starter -update to write %s", path)
	require.Equal(t, string(want), got, "%s differs (go test ./starter -run %s -update rewrites it)", path, t.Name())
}

// Every catalogue message starter uses exists in both languages.
func TestMessagesDefined(t *testing.T) {
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, part := range strings.Split(string(b), `"cli.`)[1:] {
			code := "cli." + part[:strings.IndexByte(part, '"')]
			if strings.HasSuffix(code, ".") {
				continue // a prefix: cli.code.<code>
			}
			_, ok := cycle.Message(code)
			require.True(t, ok, "%s: message %s is not in the catalogue", f, code)
		}
	}
	for _, code := range []string{cycle.EINVALID, cycle.EFORBIDDEN, cycle.ECONFLICT, cycle.ENOTFOUND, cycle.EINTERNAL,
		api.EBADREQUEST, api.EUNAUTHORIZED, api.ETOOLARGE, api.EUNSUPPORTED, api.ETIMEOUT, api.ETHROTTLED, eUsage, eSession, eNetwork} {
		_, ok := cycle.Message("cli.code." + code)
		require.True(t, ok, "no heading for refusals of code %s", code)
	}
	for k := range kindForm {
		require.Contains(t, kindCommand, k, "kind %s has no command to complete it", k)
	}
	_ = io.Discard
}

// TestEveryKindsCommand completes a task of every kind with its friendly
// command, as the officer whose task it is, and checks the update the
// workflow receives: the body each command builds from its flags.
func TestEveryKindsCommand(t *testing.T) {
	e := newClientEnv(t)
	ctx := context.Background()
	hash, err := api.HashPassword(testPassword)
	require.NoError(t, err)
	for _, a := range []cycle.Account{
		{ID: "hd.chutich", Name: "Chủ tịch Hội đồng", Role: cycle.RoleCouncilChair},
		{ID: "truongban", Name: "Trưởng Ban", Role: cycle.RoleSigner},
	} {
		require.NoError(t, e.db.CreateAccount(ctx, a, hash))
	}
	require.NoError(t, e.db.OpenCycle(ctx, cycle.CycleInfo{ID: "awards/51/2027", Province: "51", Year: 2027, Policy: cycle.DefaultPolicy(),
		StartedBy: cycle.Actor{ID: "cat.tt", Role: cycle.RoleSecretariat}, StartedAt: clientNow}))
	c := e.tmp.commune.Commune.Commune
	wid := e.tmp.commune.WorkflowID
	for _, tk := range []cycle.Task{
		{CycleID: "cycle/51/2027", ID: "consolidate", Kind: cycle.TaskConsolidate, Role: cycle.RoleSecretariat},
		{CycleID: "cycle/51/2027", ID: "appraise", Kind: cycle.TaskAppraise, Role: cycle.RoleCouncilChair},
		{CycleID: "cycle/51/2027", ID: "issue", Kind: cycle.TaskIssue, Role: cycle.RoleClerk},
		{CycleID: "cycle/51/2027", ID: "failure_review/" + c + "/2027", Kind: cycle.TaskFailureReview, Role: cycle.RoleDistrictOfficer, District: "522", WorkflowID: wid},
		{CycleID: "cycle/51/2027", ID: "responsibility_review/" + c + "/2028", Kind: cycle.TaskResponsibilityReview, Role: cycle.RoleSecretariat, WorkflowID: wid},
		{CycleID: "cycle/51/2027", ID: "appraise_results/2027", Kind: cycle.TaskAppraiseResults, Role: cycle.RoleCouncilChair},
		{CycleID: "cycle/51/2027", ID: "plan_report/local_reviews/522/2027-06-29", Kind: cycle.TaskPlanReport, Role: cycle.RoleDistrictOfficer, District: "522"},
		{CycleID: "cycle/51/2027", ID: "sign_results/2027", Kind: cycle.TaskSignResults, Role: cycle.RoleSigner},
		{CycleID: "cycle/51/2027", ID: "issue_results/2027", Kind: cycle.TaskIssueResults, Role: cycle.RoleClerk},
		{CycleID: "cycle/51/2027", ID: "appraise_recognition/2027", Kind: cycle.TaskAppraiseRecognition, Role: cycle.RoleCouncilChair},
		{CycleID: "cycle/51/2027", ID: "sign_recognition/2027", Kind: cycle.TaskSignRecognition, Role: cycle.RoleSigner},
		{CycleID: "cycle/51/2027", ID: "issue_recognition/2027", Kind: cycle.TaskIssueRecognition, Role: cycle.RoleClerk},
		{CycleID: "cycle/51/2027", ID: "sign_review/2027", Kind: cycle.TaskSignReview, Role: cycle.RoleSigner},
		{CycleID: "awards/51/2027", ID: "nominate/522", Kind: cycle.TaskNominate, Role: cycle.RoleDistrictOfficer, District: "522"},
		{CycleID: "awards/51/2027", ID: "award_review", Kind: cycle.TaskAwardReview, Role: cycle.RoleCouncilChair},
		{CycleID: "awards/51/2027", ID: "award_sign", Kind: cycle.TaskAwardSign, Role: cycle.RoleSigner},
		{CycleID: "awards/51/2027", ID: "award_issue", Kind: cycle.TaskAwardIssue, Role: cycle.RoleClerk},
	} {
		tk.Due, tk.Opened = cycle.D(2027, 6, 30), cycle.D(2027, 6, 1)
		require.NoError(t, e.db.OpenTask(ctx, tk))
	}
	for _, o := range []string{"ca.522", "cat.tt", "hd.chutich", "truongban", "vanthu"} {
		e.login(o)
	}
	noms := filepath.Join(t.TempDir(), "de-nghi.json")
	require.NoError(t, os.WriteFile(noms, []byte(`{"nominations": [{"unit": "522", "kind": "collective", "name": "Công an phường Lê Hồng Phong", "achievements": "Hoàn thành xuất sắc"}]}`), 0o644))
	y := "cycle/51/2027/"
	for _, tc := range []struct {
		who    string
		args   []string
		update string
		check  func(arg any)
	}{
		{"cat.tt", []string{"consolidate", "--drop", "21013=không đủ điều kiện", "--keep", "21010=trọng điểm"}, selection.UpdateConsolidate, func(a any) {
			d := a.(selection.ConsolidateRequest).Consolidation.Decisions
			require.Equal(t, []cycle.CommuneDecision{{Commune: "21013", Reason: "không đủ điều kiện"}, {Commune: "21010", Keep: true, Reason: "trọng điểm"}}, d)
		}},
		{"hd.chutich", []string{"appraise", "--approve", "--minutes", "Biên bản họp", "--remove", "21013=trùng"}, selection.UpdateAppraise, func(a any) {
			ap := a.(selection.AppraiseRequest).Appraisal
			require.True(t, ap.Approved)
			require.Equal(t, "Biên bản họp", ap.Minutes)
			require.Equal(t, []cycle.CommuneDecision{{Commune: "21013", Reason: "trùng"}}, ap.Removals)
		}},
		{"truongban", []string{"sign", y + "sign", "--comment", "Đồng ý"}, selection.UpdateSign, func(a any) {
			require.Equal(t, "Đồng ý", a.(selection.SignRequest).Comment)
			require.Equal(t, "truongban", a.(selection.SignRequest).Actor.ID, "the actor is the signed-in account")
		}},
		{"vanthu", []string{"issue", y + "issue"}, selection.UpdateIssue, func(a any) {
			require.Equal(t, "vanthu", a.(selection.IssueRequest).Actor.ID)
		}},
		{"ca.522", []string{"report", "submit", "--figure", "tips_received=5", "--figure", "political_system_stable=có", "--baseline", "social_order_crimes=7",
			"--area-crimes", "99", "--area-communes", "22"}, transformation.UpdateSubmitReport, func(a any) {
			r := a.(transformation.SubmitReportRequest)
			require.Equal(t, cycle.ReportHalfYear, r.Kind)
			b, _ := json.Marshal(r.Report)
			require.Contains(t, string(b), `"tips_received":5`)
			require.Contains(t, string(b), `"political_system_stable":true`)
			require.Contains(t, string(b), `"baseline":{"social_order_crimes":7}`)
			require.Equal(t, &cycle.AreaAverage{Name: "Thành phố Quảng Ngãi", Crimes: 99, Communes: 22}, r.Report.Area)
		}},
		{"ca.522", []string{"review", "submit", "--causes", "Chưa quyết liệt", "--remedies", "Tăng cường tuần tra"}, transformation.UpdateSubmitReview, func(a any) {
			require.Equal(t, &cycle.FailureReview{Causes: []string{"Chưa quyết liệt"}, Remedies: []string{"Tăng cường tuần tra"}}, a.(transformation.SubmitReviewRequest).Failure)
		}},
		{"cat.tt", []string{"review", "submit", "--responsible", "Công an xã|||kiểm điểm rút kinh nghiệm", "--emulation", "không xét thi đua năm 2028"}, transformation.UpdateSubmitReview, func(a any) {
			r := a.(transformation.SubmitReviewRequest).Responsibility
			require.NotNil(t, r)
			require.Equal(t, "không xét thi đua năm 2028", r.Emulation)
			require.Equal(t, "Công an xã", r.Responsible[0].Unit)
		}},
		{"ca.522", []string{"plan-report", "submit", "--content", "Đã sơ kết tại 2 địa bàn", "--held", "2027-06-20"}, transformation.UpdateSubmitPlanReport, func(a any) {
			r := a.(transformation.SubmitPlanReportRequest)
			require.Equal(t, "plan_report/local_reviews/522/2027-06-29", r.TaskID)
			require.Equal(t, cycle.PlanReport{Content: "Đã sơ kết tại 2 địa bàn", Held: cycle.D(2027, 6, 20)}, r.Report)
			require.Equal(t, "ca.522", r.Actor.ID, "the actor is the signed-in account")
		}},
		{"hd.chutich", []string{"results", "appraise", "--pass", c + "=Hội đồng xét thấy đạt yêu cầu", "--minutes", "Biên bản"}, transformation.UpdateAppraiseResults, func(a any) {
			r := a.(transformation.AppraiseResultsRequest)
			require.Equal(t, 2027, r.Year)
			require.Equal(t, []cycle.ResultDecision{{Commune: c, Outcome: cycle.OutcomePass, Reason: "Hội đồng xét thấy đạt yêu cầu"}}, r.Appraisal.Decisions)
		}},
		{"truongban", []string{"results", "sign"}, transformation.UpdateSignResults, func(a any) {
			require.Equal(t, 2027, a.(transformation.YearRequest).Year)
		}},
		{"vanthu", []string{"results", "issue"}, transformation.UpdateIssueResults, nil},
		{"hd.chutich", []string{"recognition", "appraise", "--fail", c + "=Tình hình phức tạp trở lại tháng 6", "--minutes", "Biên bản"}, transformation.UpdateAppraiseRecognition, func(a any) {
			r := a.(transformation.AppraiseResultsRequest)
			require.Equal(t, 2027, r.Year)
			require.Equal(t, []cycle.ResultDecision{{Commune: c, Outcome: cycle.OutcomeFail, Reason: "Tình hình phức tạp trở lại tháng 6"}}, r.Appraisal.Decisions)
			require.Equal(t, "hd.chutich", r.Actor.ID, "the actor is the signed-in account")
		}},
		{"truongban", []string{"recognition", "sign"}, transformation.UpdateSignRecognition, nil},
		{"vanthu", []string{"recognition", "issue"}, transformation.UpdateIssueRecognition, nil},
		{"truongban", []string{"plan-report", "sign"}, transformation.UpdateSignReview, func(a any) {
			r := a.(transformation.YearRequest)
			require.Equal(t, 2027, r.Year)
			require.Equal(t, "truongban", r.Actor.ID, "the actor is the signed-in account")
		}},
		{"ca.522", []string{"awards", "nominate", "-f", noms}, awards.UpdateNominate, func(a any) {
			r := a.(awards.NominateRequest)
			require.Equal(t, "522", r.Unit)
			require.Equal(t, "Công an phường Lê Hồng Phong", r.Nominations[0].Name)
		}},
		{"hd.chutich", []string{"awards", "review", "--accept", "522/1", "--reject", "522/2=chưa đủ hồ sơ", "--minutes", "Biên bản xét"}, awards.UpdateReviewAwards, func(a any) {
			r := a.(awards.ReviewAwardsRequest).Review
			require.Equal(t, []string{"522/1"}, r.Accepted)
			require.Equal(t, []cycle.Rejection{{ID: "522/2", Reason: "chưa đủ hồ sơ"}}, r.Rejected)
		}},
		{"truongban", []string{"awards", "sign"}, awards.UpdateSignAwards, nil},
		{"vanthu", []string{"awards", "issue"}, awards.UpdateIssueAwards, nil},
	} {
		r := e.as(tc.who, "", tc.args...)
		require.Equal(t, exitOK, r.code, "%s: starter %v\n%s%s", tc.who, tc.args, r.out, r.err)
		require.Contains(t, r.out, "Đã hoàn thành:", "%v", tc.args)
		arg, ok := e.tmp.args[tc.update]
		require.True(t, ok, "%v sent no %s update", tc.args, tc.update)
		if tc.check != nil {
			tc.check(arg)
		}
		delete(e.tmp.args, tc.update)
	}
	// The head's signature of the review report says the report it issued.
	require.NoError(t, e.db.OpenTask(ctx, cycle.Task{CycleID: "cycle/51/2027", ID: "sign_review/2028", Kind: cycle.TaskSignReview, Role: cycle.RoleSigner, Due: cycle.D(2028, 6, 30), Opened: cycle.D(2027, 6, 1)}))
	sr := e.as("truongban", "", "plan-report", "sign", y+"sign_review/2028")
	require.Equal(t, exitOK, sr.code, "%s%s", sr.out, sr.err)
	require.Contains(t, sr.out, "Đã ban hành Báo cáo sơ kết số 3/BC-BCĐ")
	// The generic completion of any kind: a JSON body from a file.
	body := filepath.Join(t.TempDir(), "body.json")
	require.NoError(t, os.WriteFile(body, []byte(`{"comment": "qua task do"}`), 0o644))
	require.NoError(t, e.db.OpenTask(ctx, cycle.Task{CycleID: "cycle/51/2027", ID: "sign_recognition/2028", Kind: cycle.TaskSignRecognition, Role: cycle.RoleSigner, Due: cycle.D(2028, 6, 30), Opened: cycle.D(2027, 6, 1)}))
	r := e.as("truongban", "", "task", "do", y+"sign_recognition/2028", "--file", body)
	require.Equal(t, exitOK, r.code, "%s%s", r.out, r.err)
	require.Equal(t, 2028, e.tmp.args[transformation.UpdateSignRecognition].(transformation.YearRequest).Year)
}
