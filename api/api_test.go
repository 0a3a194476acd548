package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
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
	"chuyenhoa/postgres"
	"chuyenhoa/sample"
)

// noTemporal fails the test if a request reaches the workflow: the
// requests of these tests must be refused before.
type noTemporal struct{ t *testing.T }

func (n noTemporal) UpdateWorkflow(context.Context, client.UpdateWorkflowOptions) (client.WorkflowUpdateHandle, error) {
	n.t.Error("the request reached Temporal")
	return nil, context.Canceled
}

func (n noTemporal) QueryWorkflow(context.Context, string, string, string, ...any) (converter.EncodedValue, error) {
	n.t.Error("the request reached Temporal")
	return nil, context.Canceled
}

func (n noTemporal) ExecuteWorkflow(context.Context, client.StartWorkflowOptions, any, ...any) (client.WorkflowRun, error) {
	n.t.Error("the request reached Temporal")
	return nil, context.Canceled
}

func (n noTemporal) DescribeWorkflowExecution(context.Context, string, string) (*workflowservice.DescribeWorkflowExecutionResponse, error) {
	n.t.Error("the request reached Temporal")
	return nil, context.Canceled
}

type env struct {
	t   *testing.T
	db  *postgres.DB
	srv *httptest.Server
	now time.Time
}

const password = "một mật khẩu dài"

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	db, err := postgres.Open(ctx, pgtest.CreateDatabase(t))
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	prov, issuer, err := sample.Province("quang-ngai")
	require.NoError(t, err)
	require.NoError(t, db.SaveProvince(ctx, prov, issuer))
	api.PasswordCost = bcrypt.MinCost
	hash, err := api.HashPassword(password)
	require.NoError(t, err)
	for _, a := range []cycle.Account{
		{ID: "ca.522", Role: cycle.RoleDistrictOfficer, District: "522"},
		{ID: "cat.tt", Role: cycle.RoleSecretariat},
		{ID: "vanthu", Role: cycle.RoleClerk},
		{ID: "nghi", Role: cycle.RoleClerk},
	} {
		require.NoError(t, db.CreateAccount(ctx, a, hash))
	}
	require.NoError(t, db.SetAccountDisabled(ctx, "nghi", true))
	require.NoError(t, db.OpenCycle(ctx, cycle.CycleInfo{ID: "cycle/51/2027", Province: "51", Year: 2027, Policy: cycle.DefaultPolicy(), StartedBy: cycle.Actor{ID: "cat.tt", Role: cycle.RoleSecretariat}, StartedAt: time.Now()}))
	for _, tk := range []cycle.Task{
		{ID: "submit_proposal/522", Kind: cycle.TaskSubmitProposal, Role: cycle.RoleDistrictOfficer, District: "522"},
		{ID: "consolidate", Kind: cycle.TaskConsolidate, Role: cycle.RoleSecretariat},
		{ID: "sign", Kind: cycle.TaskSign, Role: cycle.RoleSigner},
	} {
		tk.CycleID, tk.Due, tk.Opened = "cycle/51/2027", cycle.D(2027, 1, 10), cycle.D(2026, 12, 1)
		require.NoError(t, db.OpenTask(ctx, tk))
	}
	e := &env{t: t, db: db, now: time.Now()}
	s := &api.Server{Store: db, Temporal: noTemporal{t}, Now: func() time.Time { return e.now }, SessionTTL: time.Hour, MaxBodyBytes: 4 << 10, MaxUploadBytes: 16 << 10}
	e.srv = httptest.NewServer(s.Handler())
	t.Cleanup(e.srv.Close)
	return e
}

func (e *env) do(method, path, token, ct string, body []byte, hdr ...string) (int, []byte) {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, bytes.NewReader(body))
	require.NoError(e.t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(e.t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func (e *env) signIn(id, pw string) (int, string) {
	e.t.Helper()
	b, _ := json.Marshal(api.SignInRequest{Account: id, Password: pw})
	st, body := e.do("POST", "/api/session", "", "application/json", b)
	var s api.SessionResponse
	_ = json.Unmarshal(body, &s)
	return st, s.Token
}

func errCode(t *testing.T, body []byte) string {
	t.Helper()
	var b api.ErrorBody
	require.NoError(t, json.Unmarshal(body, &b), "%s", body)
	return b.Error.Code
}

func TestSessions(t *testing.T) {
	e := newEnv(t)
	st, _ := e.signIn("ca.522", "wrong password")
	require.Equal(t, http.StatusUnauthorized, st)
	st, _ = e.signIn("nghi", password)
	require.Equal(t, http.StatusUnauthorized, st, "a disabled account cannot sign in")
	st, _ = e.signIn("ca.522\x00; DROP TABLE accounts", password)
	require.Equal(t, http.StatusUnauthorized, st, "a malformed name is a failed sign-in, not an error")
	st, tok := e.signIn("ca.522", password)
	require.Equal(t, http.StatusCreated, st)
	require.Len(t, tok, 43, "32 random bytes, base64url")

	st, body := e.do("GET", "/api/me", tok, "", nil)
	require.Equal(t, http.StatusOK, st)
	require.Contains(t, string(body), `"district": "522"`)
	st, _ = e.do("GET", "/api/me", "", "", nil)
	require.Equal(t, http.StatusUnauthorized, st)

	// The store keeps only the token's hash.
	rs, err := e.db.RecentAudit(context.Background(), "", 10)
	require.NoError(t, err)
	for _, r := range rs {
		require.NotContains(t, r.Detail, tok)
	}

	e.now = e.now.Add(time.Hour + time.Second)
	st, body = e.do("GET", "/api/me", tok, "", nil)
	require.Equal(t, http.StatusUnauthorized, st)
	require.Contains(t, string(body), "expired")
	e.now = e.now.Add(-time.Hour)

	st, _ = e.do("DELETE", "/api/session", tok, "", nil)
	require.Equal(t, http.StatusNoContent, st)
	st, _ = e.do("GET", "/api/me", tok, "", nil)
	require.Equal(t, http.StatusUnauthorized, st)

	// Disabling an account ends its sessions at once.
	_, tok = e.signIn("ca.522", password)
	require.NoError(t, e.db.SetAccountDisabled(context.Background(), "ca.522", true))
	st, _ = e.do("GET", "/api/tasks", tok, "", nil)
	require.Equal(t, http.StatusUnauthorized, st)

	acts := map[string]int{}
	rs, err = e.db.RecentAudit(context.Background(), "", 100)
	require.NoError(t, err)
	for _, r := range rs {
		acts[r.Action]++
	}
	require.Equal(t, map[string]int{"sign_in_failed": 3, "sign_in": 2, "sign_out": 1}, acts)
}

// Requests refused before they reach the workflow: wrong role, malformed
// or oversized bodies, missing request IDs, unknown media types.
func TestRefusedBeforeTemporal(t *testing.T) {
	e := newEnv(t)
	_, officer := e.signIn("ca.522", password)
	_, clerk := e.signIn("vanthu", password)
	_, secretariat := e.signIn("cat.tt", password)
	key := []string{"Idempotency-Key", "request-0001"}
	for _, tc := range []struct {
		name, path, token, ct string
		body                  []byte
		hdr                   []string
		status                int
		code                  string
	}{
		{"clerk proposes", "/api/tasks/cycle/51/2027/submit_proposal/522", clerk, "application/json", []byte(`{}`), key, 403, cycle.EFORBIDDEN},
		{"officer consolidates", "/api/tasks/cycle/51/2027/consolidate", officer, "application/json", []byte(`{}`), key, 403, cycle.EFORBIDDEN},
		{"officer signs", "/api/tasks/cycle/51/2027/sign", officer, "", nil, key, 403, cycle.EFORBIDDEN},
		{"another unit's proposal", "/api/tasks/cycle/51/2027/submit_proposal/522", officer, "application/json", []byte(`{"unit": "524", "statistics": [], "proposed": []}`), key, 403, cycle.EFORBIDDEN},
		{"no request ID", "/api/tasks/cycle/51/2027/submit_proposal/522", officer, "text/csv", []byte("x"), nil, 400, api.EBADREQUEST},
		{"malformed request ID", "/api/tasks/cycle/51/2027/submit_proposal/522", officer, "text/csv", []byte("x"), []string{"Idempotency-Key", "short"}, 400, api.EBADREQUEST},
		{"malformed JSON", "/api/tasks/cycle/51/2027/submit_proposal/522", officer, "application/json", []byte(`{"unit": `), key, 400, api.EBADREQUEST},
		{"unknown field", "/api/tasks/cycle/51/2027/submit_proposal/522", officer, "application/json", []byte(`{"unit": "522", "extra": 1}`), key, 422, cycle.EINVALID},
		{"CSV without columns", "/api/tasks/cycle/51/2027/submit_proposal/522", officer, "text/csv", []byte("a,b\n1,2\n"), key, 422, cycle.EINVALID},
		{"not an .xlsx", "/api/tasks/cycle/51/2027/submit_proposal/522", officer, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", []byte("PK not a zip"), key, 422, cycle.EINVALID},
		{"unknown media type", "/api/tasks/cycle/51/2027/submit_proposal/522", officer, "image/png", []byte("x"), key, 415, api.EUNSUPPORTED},
		{"no media type", "/api/tasks/cycle/51/2027/submit_proposal/522", officer, "", []byte("x"), key, 415, api.EUNSUPPORTED},
		{"oversized upload", "/api/tasks/cycle/51/2027/submit_proposal/522", officer, "text/csv", bytes.Repeat([]byte("x"), 17<<10), key, 413, api.ETOOLARGE},
		{"oversized JSON", "/api/tasks/cycle/51/2027/consolidate", secretariat, "application/json", bytes.Repeat([]byte(" "), 5<<10), key, 413, api.ETOOLARGE},
		{"bad year", "/api/tasks/cycle/51/20x7/submit_proposal/522", officer, "text/csv", []byte("x"), key, 400, api.EBADREQUEST},
		{"no token", "/api/tasks/cycle/51/2027/submit_proposal/522", "", "text/csv", []byte("x"), key, 401, api.EUNAUTHORIZED},
		{"no route", "/api/nothing", officer, "", nil, nil, 404, cycle.ENOTFOUND},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, body := e.do("POST", tc.path, tc.token, tc.ct, tc.body, tc.hdr...)
			require.Equal(t, tc.status, st, "%s", body)
			require.Equal(t, tc.code, errCode(t, body))
		})
	}
	// Refusals by the rules (403, 422) are audited with who and what.
	rs, err := e.db.RecentAudit(context.Background(), "", 100)
	require.NoError(t, err)
	refused := map[string]int{}
	for _, r := range rs {
		if r.Action == "refused" {
			refused[r.ActorID+" "+r.Outcome]++
			require.Equal(t, "127.0.0.1", r.Remote)
			require.Equal(t, "request-0001", r.RequestID)
			require.Contains(t, r.Object, "cycle/51/2027")
		}
	}
	require.Equal(t, map[string]int{"vanthu forbidden": 1, "ca.522 forbidden": 3, "ca.522 invalid": 3, "ca.522 bad_request": 1, "ca.522 unsupported_media_type": 2}, refused)
	n, err := e.db.VerifyAudit(context.Background())
	require.NoError(t, err)
	require.Positive(t, n)
}

func TestWebSignInAndCSRF(t *testing.T) {
	e := newEnv(t)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(e.srv.URL + "/inbox")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	require.Equal(t, "/signin?next=%2Finbox", resp.Header.Get("Location"))

	resp, err = c.PostForm(e.srv.URL+"/signin", url.Values{"account": {"ca.522"}, "password": {"sai"}})
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	require.Contains(t, string(body), "Sai tài khoản hoặc mật khẩu")

	// A next= off the site is not followed.
	resp, err = c.PostForm(e.srv.URL+"/signin", url.Values{"account": {"ca.522"}, "password": {password}, "next": {"//evil.example/x"}})
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	require.Equal(t, "/inbox", resp.Header.Get("Location"))
	sc := resp.Header.Get("Set-Cookie")
	require.Contains(t, sc, "HttpOnly")
	require.Contains(t, sc, "SameSite=Strict")

	resp, err = c.Get(e.srv.URL + "/inbox")
	require.NoError(t, err)
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Contains(t, string(body), "Việc cần làm")
	require.Contains(t, string(body), `href="/tasks/cycle/51/2027/submit_proposal/522"`, "the unit's task, and only it")
	require.NotContains(t, string(body), "/tasks/cycle/51/2027/consolidate")
	require.Equal(t, "DENY", resp.Header.Get("X-Frame-Options"))
	m := regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`).FindStringSubmatch(string(body))
	require.NotNil(t, m)

	// A form without the session's CSRF token is refused.
	resp, err = c.PostForm(e.srv.URL+"/signout", url.Values{"csrf": {"forged"}})
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusForbidden, resp.StatusCode)
	resp, err = c.PostForm(e.srv.URL+"/signout", url.Values{"csrf": {m[1]}})
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	resp, err = c.Get(e.srv.URL + "/inbox")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusSeeOther, resp.StatusCode, "signed out")
}

// Every operation of openapi.yaml is a route of the server (answering 401
// without a token, not 404), and the document lists every /api route.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	e := newEnv(t)
	doc, err := os.ReadFile("openapi.yaml")
	require.NoError(t, err)
	pathRe := regexp.MustCompile(`^  (/api/\S+):$`)
	opRe := regexp.MustCompile(`^    (get|post|delete|put|patch):`)
	fill := strings.NewReplacer("{province}", "51", "{year}", "2027", "{code}", "21010", "{kind}", "approval",
		"{scope}", "cycle", "{task}", "submit_proposal/522", "{sha}", strings.Repeat("ab", 32), "{id}", "7")
	ops := 0
	path := ""
	for _, line := range strings.Split(string(doc), "\n") {
		if m := pathRe.FindStringSubmatch(line); m != nil {
			path = m[1]
			continue
		}
		m := opRe.FindStringSubmatch(line)
		if m == nil || path == "" {
			continue
		}
		ops++
		method := strings.ToUpper(m[1])
		st, body := e.do(method, fill.Replace(path), "", "", nil)
		want := http.StatusUnauthorized
		if path == "/api/session" && method == "POST" {
			want = http.StatusBadRequest // no body
		}
		require.Equal(t, want, st, "%s %s: %s", method, path, body)
	}
	require.GreaterOrEqual(t, ops, 20, "operations documented")
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	routeRe := regexp.MustCompile(`m\.HandleFunc\("(GET|POST|PUT|DELETE) (/api/[^"]+)"`)
	addr := regexp.MustCompile(`"\+addr$`)
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, r := range routeRe.FindAllStringSubmatch(strings.ReplaceAll(string(src), `/"+addr`, `/{scope}/{province}/{year}/{task}"`), -1) {
			n++
			if r[2] == "/api/openapi.yaml" {
				continue // the document itself
			}
			path := addr.ReplaceAllString(r[2], "")
			require.True(t, strings.Contains(string(doc), "\n  "+path+":"), "route %s %s (%s) is not documented", r[1], path, f)
		}
	}
	require.GreaterOrEqual(t, n, 20, "routes found")
}

// Repeated failed sign-ins of one account are refused for a while, even
// with the right password, and the refusals are audited.
func TestSignInThrottled(t *testing.T) {
	e := newEnv(t)
	for range 10 {
		st, _ := e.signIn("vanthu", "not the password")
		require.Equal(t, http.StatusUnauthorized, st)
	}
	st, _ := e.signIn("vanthu", password)
	require.Equal(t, http.StatusTooManyRequests, st)
	st, _ = e.signIn("ca.522", password) // another account from the same address
	require.Equal(t, http.StatusCreated, st)
	e.now = e.now.Add(16 * time.Minute)
	st, _ = e.signIn("vanthu", password)
	require.Equal(t, http.StatusCreated, st, "after the window")
	rs, err := e.db.RecentAudit(context.Background(), "vanthu", 100)
	require.NoError(t, err)
	require.Equal(t, "throttled", rs[1].Outcome)
}

// The administrator's and the secretariat's routes refuse other roles
// before anything is written; accounts and delegations are checked field
// by field; sign-in loose ends: cross-site posts, Retry-After, ending the
// other sessions, HSTS, no directory listing.
func TestAdminRoutesAndSecurity(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	hash, err := api.HashPassword(password)
	require.NoError(t, err)
	for _, a := range []cycle.Account{
		{ID: "quantri", Role: cycle.RoleAdmin},
		{ID: "truongban", Name: "Đặng Văn Minh", Role: cycle.RoleSigner, Title: "TRƯỞNG BAN"},
		{ID: "photruongban", Name: "Lê Văn Phó", Role: cycle.RoleDeputy},
	} {
		require.NoError(t, db(e).CreateAccount(ctx, a, hash))
	}
	_, officer := e.signIn("ca.522", password)
	_, admin := e.signIn("quantri", password)
	_, head := e.signIn("truongban", password)
	_, deputy := e.signIn("photruongban", password)
	js := "application/json"
	key := []string{"Idempotency-Key", "request-0002"}

	// Other roles are refused, nothing reaches Temporal (noTemporal fails the test if it does).
	for _, c := range []struct{ method, path, token, body string }{
		{"POST", "/api/cycles", officer, `{"province":"51","year":2028}`},
		{"POST", "/api/awards", head, `{"province":"51","year":2028}`},
		{"POST", "/api/cycles/51/2027/close-proposals", officer, `{"reason":"muốn đóng sớm"}`},
		{"GET", "/api/accounts", officer, ``},
		{"POST", "/api/accounts", head, `{"id":"x.y","name":"X","role":"clerk","password":"một mật khẩu dài"}`},
		{"POST", "/api/delegations", officer, `{"to":"photruongban","title":"PHÓ TRƯỞNG BAN","from_date":"2026-01-01","to_date":"2030-01-01"}`},
	} {
		st, body := e.do(c.method, c.path, c.token, js, []byte(c.body), key...)
		require.Equal(t, http.StatusForbidden, st, "%s %s: %s", c.method, c.path, body)
		require.Contains(t, string(body), `"text"`, "said in Vietnamese too")
	}

	// Accounts: every problem at its field, a taken ID, one's own disabling.
	st, body := e.do("POST", "/api/accounts", admin, js, []byte(`{"id":"A B","name":"","role":"district_officer","email":"không","password":"ngắn"}`))
	require.Equal(t, http.StatusUnprocessableEntity, st, "%s", body)
	var eb api.ErrorBody
	require.NoError(t, json.Unmarshal(body, &eb))
	fields := map[string]bool{}
	for _, p := range eb.Error.Problems {
		fields[p.Field] = true
		require.NotEmpty(t, p.Text)
	}
	require.Equal(t, map[string]bool{"id": true, "name": true, "district": true, "email": true, "password": true}, fields)
	st, body = e.do("POST", "/api/accounts", admin, js, []byte(`{"id":"ca.523","name":"Nguyễn Văn B","role":"district_officer","district":"523","password":"một mật khẩu dài"}`))
	require.Equal(t, http.StatusCreated, st, "%s", body)
	st, _ = e.do("POST", "/api/accounts", admin, js, []byte(`{"id":"ca.523","name":"Nguyễn Văn B","role":"district_officer","district":"523","password":"một mật khẩu dài"}`))
	require.Equal(t, http.StatusConflict, st)
	st, _ = e.do("POST", "/api/accounts/quantri/disabled", admin, js, []byte(`{"disabled":true}`))
	require.Equal(t, http.StatusConflict, st, "an administrator cannot disable himself")
	_, b523 := e.signIn("ca.523", password)
	st, _ = e.do("POST", "/api/accounts/ca.523/password", admin, js, []byte(`{"password":"một mật khẩu khác"}`))
	require.Equal(t, http.StatusNoContent, st)
	st, _ = e.do("GET", "/api/me", b523, "", nil)
	require.Equal(t, http.StatusUnauthorized, st, "a reset ends the account's sessions")

	// A delegation: refused with its problems, then in force, and the
	// deputy's inbox has the head's signing task.
	st, body = e.do("POST", "/api/delegations", head, js, []byte(`{"to":"ca.522","title":"","from_date":"2026-12-31","to_date":"2026-01-01"}`))
	require.Equal(t, http.StatusUnprocessableEntity, st, "%s", body)
	require.Contains(t, string(body), `"field": "to"`)
	require.Contains(t, string(body), `"field": "title"`)
	today := cycle.DateOf(e.now)
	b := fmt.Sprintf(`{"to":"photruongban","title":"PHÓ TRƯỞNG BAN","from_date":%q,"to_date":%q}`, today.AddDays(-1), today.AddDays(30))
	st, body = e.do("POST", "/api/delegations", head, js, []byte(b))
	require.Equal(t, http.StatusCreated, st, "%s", body)
	st, body = e.do("GET", "/api/tasks", deputy, "", nil)
	require.Equal(t, http.StatusOK, st)
	require.Contains(t, string(body), `"id": "sign"`, "the deputy sees the head's signing task: %s", body)

	// Sign-in: another site's form is refused and audited; a new sign-in
	// may end the others; Retry-After on 429.
	form := url.Values{"account": {"ca.522"}, "password": {password}}.Encode()
	st, body = e.do("POST", "/signin", "", "application/x-www-form-urlencoded", []byte(form), "Origin", "https://evil.example")
	require.Equal(t, http.StatusForbidden, st)
	require.Contains(t, string(body), "Yêu cầu đăng nhập không đến từ trang này")
	sb, _ := json.Marshal(api.SignInRequest{Account: "ca.522", Password: password, EndOthers: true})
	st, _ = e.do("POST", "/api/session", "", js, sb)
	require.Equal(t, http.StatusCreated, st)
	st, _ = e.do("GET", "/api/me", officer, "", nil)
	require.Equal(t, http.StatusUnauthorized, st, "the earlier session ended")
	for range 10 {
		e.signIn("vanthu", "sai mật khẩu")
	}
	req, _ := http.NewRequest("POST", e.srv.URL+"/api/session", strings.NewReader(`{"account":"vanthu","password":"x"}`))
	req.Header.Set("Content-Type", js)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
	require.NotEmpty(t, resp.Header.Get("Retry-After"))

	st, _ = e.do("GET", "/static/", "", "", nil)
	require.Equal(t, http.StatusNotFound, st, "no directory listing")
	st, _ = e.do("GET", "/static/style.css", "", "", nil)
	require.Equal(t, http.StatusOK, st)

	rs, err := db(e).RecentAudit(ctx, "", 200)
	require.NoError(t, err)
	acts := map[string]int{}
	for _, r := range rs {
		acts[r.Action+" "+r.Outcome]++
	}
	require.Equal(t, 1, acts["account_create ok"])
	require.Equal(t, 1, acts["password_reset ok"])
	require.Equal(t, 1, acts["delegate ok"])
	require.Equal(t, 1, acts["sign_in_failed forbidden"], "the cross-site sign-in")
	n, err := db(e).VerifyAudit(ctx)
	require.NoError(t, err)
	require.Positive(t, n)
}

func db(e *env) *postgres.DB { return e.db }
