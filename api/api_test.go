package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
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
	for _, a := range []postgres.Account{
		{ID: "ca.522", Role: cycle.RoleDistrictOfficer, District: "522"},
		{ID: "cat.tt", Role: cycle.RoleSecretariat},
		{ID: "vanthu", Role: cycle.RoleClerk},
		{ID: "nghi", Role: cycle.RoleClerk},
	} {
		require.NoError(t, db.CreateAccount(ctx, a, hash))
	}
	require.NoError(t, db.SetAccountDisabled(ctx, "nghi", true))
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
	key := []string{"Idempotency-Key", "request-0001"}
	for _, tc := range []struct {
		name, path, token, ct string
		body                  []byte
		hdr                   []string
		status                int
		code                  string
	}{
		{"clerk proposes", "/api/cycles/51/2027/proposal", clerk, "application/json", []byte(`{}`), key, 403, cycle.EFORBIDDEN},
		{"officer consolidates", "/api/cycles/51/2027/consolidation", officer, "application/json", []byte(`{}`), key, 403, cycle.EFORBIDDEN},
		{"officer signs", "/api/cycles/51/2027/signature", officer, "", nil, key, 403, cycle.EFORBIDDEN},
		{"another unit's proposal", "/api/cycles/51/2027/proposal", officer, "application/json", []byte(`{"unit": "524", "statistics": [], "proposed": []}`), key, 403, cycle.EFORBIDDEN},
		{"no request ID", "/api/cycles/51/2027/proposal", officer, "text/csv", []byte("x"), nil, 400, api.EBADREQUEST},
		{"malformed request ID", "/api/cycles/51/2027/proposal", officer, "text/csv", []byte("x"), []string{"Idempotency-Key", "short"}, 400, api.EBADREQUEST},
		{"malformed JSON", "/api/cycles/51/2027/proposal", officer, "application/json", []byte(`{"unit": `), key, 400, api.EBADREQUEST},
		{"unknown field", "/api/cycles/51/2027/proposal", officer, "application/json", []byte(`{"unit": "522", "extra": 1}`), key, 422, cycle.EINVALID},
		{"CSV without columns", "/api/cycles/51/2027/proposal", officer, "text/csv", []byte("a,b\n1,2\n"), key, 422, cycle.EINVALID},
		{"not an .xlsx", "/api/cycles/51/2027/proposal", officer, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", []byte("PK not a zip"), key, 422, cycle.EINVALID},
		{"unknown media type", "/api/cycles/51/2027/proposal", officer, "image/png", []byte("x"), key, 415, api.EUNSUPPORTED},
		{"no media type", "/api/cycles/51/2027/proposal", officer, "", []byte("x"), key, 415, api.EUNSUPPORTED},
		{"oversized upload", "/api/cycles/51/2027/proposal", officer, "text/csv", bytes.Repeat([]byte("x"), 17<<10), key, 413, api.ETOOLARGE},
		{"oversized JSON", "/api/cycles/51/2027/signature", officer, "application/json", bytes.Repeat([]byte(" "), 5<<10), key, 413, api.ETOOLARGE},
		{"bad year", "/api/cycles/51/20x7/proposal", officer, "text/csv", []byte("x"), key, 400, api.EBADREQUEST},
		{"no token", "/api/cycles/51/2027/proposal", "", "text/csv", []byte("x"), key, 401, api.EUNAUTHORIZED},
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
	require.Equal(t, map[string]int{"vanthu forbidden": 1, "ca.522 forbidden": 3, "ca.522 invalid": 3, "ca.522 bad_request": 1, "ca.522 unsupported_media_type": 1}, refused)
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
	require.Contains(t, string(body), "Không có việc nào đang chờ bạn")
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
	fill := strings.NewReplacer("{province}", "51", "{year}", "2027", "{code}", "21010", "{kind}", "approval")
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
	require.Equal(t, 17, ops, "operations documented")
	src, err := os.ReadFile("routes.go")
	require.NoError(t, err)
	routes := regexp.MustCompile(`m\.HandleFunc\("(GET|POST|DELETE) (/api/[^"]+)"`).FindAllStringSubmatch(string(src), -1)
	require.NotEmpty(t, routes)
	for _, r := range routes {
		if r[2] == "/api/openapi.yaml" {
			continue // the document itself
		}
		require.True(t, strings.Contains(string(doc), "\n  "+r[2]+":"), "route %s %s is not documented", r[1], r[2])
	}
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
