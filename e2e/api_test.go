package e2e

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"golang.org/x/crypto/bcrypt"

	"chuyenhoa/api"
	"chuyenhoa/cycle"
	"chuyenhoa/devserver"
	"chuyenhoa/intake"
	"chuyenhoa/internal/app"
	"chuyenhoa/internal/pgtest"
	"chuyenhoa/postgres"
	"chuyenhoa/sample"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/selection"
)

// apiEnv is the API served over loopback on a real Temporal server (in
// memory), a fresh PostgreSQL database and the real worker, with a clock
// the test can move (it moves only the API's view of time: due dates,
// overdue flags, session expiry).
type apiEnv struct {
	t    *testing.T
	ctx  context.Context
	c    client.Client
	db   *postgres.DB
	raw  *sql.DB
	srv  *httptest.Server
	api  *api.Server
	prov cycle.Province
	pol  cycle.Policy

	mu   sync.Mutex
	now  time.Time
	cost int // bcrypt cost of the accounts' hashes; 0: the minimum
}

const testPassword = "mật-khẩu-thử-nghiệm"

func startAPI(t *testing.T) *apiEnv {
	t.Helper()
	return startAPIWith(t, app.Config{OutputDir: t.TempDir(), Signing: app.SigningConfig{Demo: true}})
}

// startAPIWith is startAPI with the worker configured by cfg.
func startAPIWith(t *testing.T, cfg app.Config) *apiEnv {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	t.Cleanup(cancel)
	ts := startTemporal(t, devserver.TemporalOptions{UIPort: -1})
	c := dial(t, ts)
	dsn := pgtest.CreateDatabase(t)
	db, err := postgres.Open(ctx, dsn)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	raw, err := sql.Open("postgres", dsn)
	require.NoError(t, err)
	t.Cleanup(func() { raw.Close() })
	prov, issuer, err := sample.Province("quang-ngai")
	require.NoError(t, err)
	require.NoError(t, db.SaveProvince(ctx, prov, issuer))
	acts, err := app.NewActivities(db, cfg)
	require.NoError(t, err)
	w := app.NewWorker(c, acts)
	require.NoError(t, w.Start())
	t.Cleanup(w.Stop)

	e := &apiEnv{t: t, ctx: ctx, c: c, db: db, raw: raw, prov: prov, pol: cycle.DefaultPolicy(), now: time.Now()}
	e.api = app.NewAPI(c, db, slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn})))
	e.api.Now = e.clock
	e.api.SessionTTL = time.Hour
	e.api.MaxUploadBytes = 256 << 10
	e.api.MaxBodyBytes = 64 << 10
	e.srv = httptest.NewServer(e.api.Handler())
	t.Cleanup(e.srv.Close)
	return e
}

func (e *apiEnv) clock() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now
}

func (e *apiEnv) advance(d time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.now = e.now.Add(d)
}

// account adds an account; its hash uses bcrypt's minimum cost unless
// e.cost says otherwise, so that tests sign in quickly (a hash keeps its
// cost: production hashes use api.PasswordCost).
func (e *apiEnv) account(id string, role cycle.Role, district string) {
	e.t.Helper()
	cost := e.cost
	if cost == 0 {
		cost = bcrypt.MinCost
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(testPassword), cost)
	require.NoError(e.t, err)
	require.NoError(e.t, e.db.CreateAccount(e.ctx, cycle.Account{ID: id, Name: "Cán bộ " + id, Role: role, District: district}, hash))
}

// startCycle starts the cycle of a year and waits until the store's inbox
// has its proposal tasks.
func (e *apiEnv) startCycle(year int) {
	e.t.Helper()
	id := selection.WorkflowID(e.prov.Code, year)
	_, err := e.c.ExecuteWorkflow(e.ctx, client.StartWorkflowOptions{ID: id, TaskQueue: flow.TaskQueue,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_FAIL},
		selection.YearlyCycle, selection.YearlyCycleInput{Province: e.prov.Code, Year: year, Policy: e.pol,
			StartedBy: cycle.Actor{ID: "cat.tt", Role: cycle.RoleSecretariat}, Synthetic: true, StopAtDecision: true})
	require.NoError(e.t, err)
	require.Eventually(e.t, func() bool {
		ts, err := e.db.OpenTasks(e.ctx, cycle.TaskFilter{CycleID: id, Role: cycle.RoleDistrictOfficer})
		return err == nil && len(ts) == len(e.prov.Units())
	}, 30*time.Second, 20*time.Millisecond, "the proposal tasks of %s never opened", id)
}

// response is an HTTP response read whole.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r response) errorBody(t *testing.T) *cycle.Error {
	t.Helper()
	var b api.ErrorBody
	require.NoError(t, json.Unmarshal(r.Body, &b), "error body: %s", r.Body)
	require.NotNil(t, b.Error, "error body: %s", r.Body)
	return b.Error
}

// call sends a request to the API with a bearer token (if any) and headers
// given as name, value pairs.
func (e *apiEnv) call(method, path, token, contentType string, body []byte, headers ...string) response {
	e.t.Helper()
	req, err := http.NewRequestWithContext(e.ctx, method, e.srv.URL+path, bytes.NewReader(body))
	require.NoError(e.t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(e.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(e.t, err)
	return response{Status: resp.StatusCode, Header: resp.Header, Body: b}
}

func (e *apiEnv) signIn(id string) string {
	e.t.Helper()
	body, _ := json.Marshal(api.SignInRequest{Account: id, Password: testPassword})
	r := e.call("POST", "/api/session", "", "application/json", body)
	require.Equal(e.t, http.StatusCreated, r.Status, "sign in %s: %s", id, r.Body)
	var s api.SessionResponse
	require.NoError(e.t, json.Unmarshal(r.Body, &s))
	require.NotEmpty(e.t, s.Token)
	return s.Token
}

func (e *apiEnv) tasks(token string) api.TasksResponse {
	e.t.Helper()
	r := e.call("GET", "/api/tasks", token, "", nil)
	require.Equal(e.t, http.StatusOK, r.Status, "%s", r.Body)
	var out api.TasksResponse
	require.NoError(e.t, json.Unmarshal(r.Body, &out))
	return out
}

// waitTask waits until the account's inbox has a task of the kind.
func (e *apiEnv) waitTask(token string, kind cycle.TaskKind) api.TaskView {
	e.t.Helper()
	var found api.TaskView
	require.Eventually(e.t, func() bool {
		for _, t := range e.tasks(token).Tasks {
			if t.Kind == kind {
				found = t
				return true
			}
		}
		return false
	}, 30*time.Second, 25*time.Millisecond, "no %s task in the inbox", kind)
	return found
}

func jsonBody(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

func proposalCSV(t *testing.T, prov cycle.Province, p cycle.Proposal) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, cycle.WriteProposalCSV(&buf, prov, p))
	return buf.Bytes()
}

// auditActions counts the audit trail's rows by action and outcome.
func (e *apiEnv) auditActions() map[string]int {
	e.t.Helper()
	rs, err := e.db.RecentAudit(e.ctx, "", 100000)
	require.NoError(e.t, err)
	out := map[string]int{}
	for _, r := range rs {
		out[r.Action+" "+r.Outcome]++
	}
	return out
}

// TestAPISelectionCycle drives a whole selection cycle through the HTTP
// API — sign-in, inbox, every task, the PDF — with the refusals an officer
// can meet on the way, and checks the audit trail.
func TestAPISelectionCycle(t *testing.T) {
	api.PasswordCost = bcrypt.MinCost
	e := startAPI(t)
	year := 2027
	cyc := fmt.Sprintf("/api/cycles/%s/%d", e.prov.Code, year)
	proposals := sample.Proposals(e.prov, e.pol, year)
	a, b := proposals[0], proposals[1]
	for _, p := range proposals {
		e.account("ca."+p.Unit, cycle.RoleDistrictOfficer, p.Unit)
	}
	e.account("cat.tt", cycle.RoleSecretariat, "")
	e.account("hd.chutich", cycle.RoleCouncilChair, "")
	e.account("hd.uyvien", cycle.RoleCouncilMember, "")
	e.account("truongban", cycle.RoleSigner, "")
	e.account("vanthu", cycle.RoleClerk, "")
	e.startCycle(year)

	// Overdue once the due date has passed: the API's clock moves (before
	// anyone else signs in: a sign-in clears the sessions expired by its clock).
	e.mu.Lock()
	start := e.now
	e.now = e.pol.Calendar.ProposalsDue.In(year).AddDays(2).At(9)
	e.mu.Unlock()
	late := e.tasks(e.signIn("ca." + a.Unit)).Tasks[0]
	require.True(t, late.Overdue)
	require.Equal(t, -2, late.DaysLeft)
	e.mu.Lock()
	e.now = start
	e.mu.Unlock()

	// Sign-in: wrong password, unknown account, malformed and wrongly typed bodies.
	r := e.call("POST", "/api/session", "", "application/json", jsonBody(t, api.SignInRequest{Account: "ca." + a.Unit, Password: "sai mật khẩu"}))
	require.Equal(t, http.StatusUnauthorized, r.Status)
	r2 := e.call("POST", "/api/session", "", "application/json", jsonBody(t, api.SignInRequest{Account: "không-có", Password: "x"}))
	require.Equal(t, http.StatusUnauthorized, r2.Status)
	require.Equal(t, r.errorBody(t).Message, r2.errorBody(t).Message, "the same answer whatever failed")
	r = e.call("POST", "/api/session", "", "application/json", []byte(`{"account": "ca.x", "password": `))
	require.Equal(t, http.StatusBadRequest, r.Status)
	require.Contains(t, r.errorBody(t).Message, "malformed JSON")
	r = e.call("POST", "/api/session", "", "text/plain", []byte(`account=x`))
	require.Equal(t, http.StatusUnsupportedMediaType, r.Status)
	r = e.call("POST", "/api/session", "", "application/json", []byte(`{"account": "x", "password": "y", "role": "signer"}`))
	require.Equal(t, http.StatusBadRequest, r.Status)
	require.Contains(t, r.errorBody(t).Message, "unknown field")

	// No token, a made-up token.
	require.Equal(t, http.StatusUnauthorized, e.call("GET", "/api/tasks", "", "", nil).Status)
	require.Equal(t, http.StatusUnauthorized, e.call("GET", "/api/tasks", "made-up", "", nil).Status)

	ta := e.signIn("ca." + a.Unit)
	tb := e.signIn("ca." + b.Unit)
	sec := e.signIn("cat.tt")
	clerk := e.signIn("vanthu")
	member := e.signIn("hd.uyvien")

	// The inbox: a district officer sees their unit's task only, with its due date.
	in := e.tasks(ta)
	require.Len(t, in.Tasks, 1)
	require.Equal(t, cycle.TaskID(cycle.TaskSubmitProposal, a.Unit), in.Tasks[0].ID)
	require.Equal(t, e.pol.Calendar.ProposalsDue.In(year), in.Tasks[0].Due)
	require.False(t, in.Tasks[0].Overdue)
	require.Positive(t, in.Tasks[0].DaysLeft)
	require.Empty(t, e.tasks(sec).Tasks, "nothing for the secretariat yet")
	// … but it follows every officer's open tasks with all=1.
	r = e.call("GET", "/api/tasks?all=1", sec, "", nil)
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
	var every api.TasksResponse
	require.NoError(t, json.Unmarshal(r.Body, &every))
	require.NotEmpty(t, every.Tasks)
	for _, t2 := range every.Tasks {
		require.Equal(t, cycle.TaskSubmitProposal, t2.Kind, "the units' proposals are what is open")
	}
	require.Empty(t, e.tasks(member).Tasks)
	// Reading: the cycle, a commune, the registry.
	r = e.call("GET", cyc, ta, "", nil)
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
	var st selection.CycleState
	require.NoError(t, json.Unmarshal(r.Body, &st))
	require.Equal(t, cycle.PhaseProposals, st.Phase)
	r = e.call("GET", "/api/provinces/51/communes/"+a.Statistics[0].Commune, ta, "", nil)
	require.Equal(t, http.StatusOK, r.Status)
	require.Equal(t, http.StatusNotFound, e.call("GET", "/api/provinces/51/communes/99999", ta, "", nil).Status)
	require.Equal(t, http.StatusNotFound, e.call("GET", "/api/cycles/51/2031", ta, "", nil).Status)
	require.Equal(t, http.StatusBadRequest, e.call("GET", "/api/cycles/51/abc", ta, "", nil).Status)

	// post completes a task at its address: the unit's proposal (the
	// token's unit; A's for an account of no unit), or the province's task.
	tasks := fmt.Sprintf("/api/tasks/cycle/%s/%d/", e.prov.Code, year)
	unitOf := map[string]string{ta: a.Unit, tb: b.Unit}
	post := func(what, token, ct string, body []byte, key string) response {
		t.Helper()
		path := map[string]string{"/consolidation": "consolidate", "/appraisal": "appraise", "/signature": "sign", "/issue": "issue"}[what]
		if what == "/proposal" {
			u, ok := unitOf[token]
			if !ok {
				u = a.Unit
			}
			path = "submit_proposal/" + u
		}
		if key == "" {
			return e.call("POST", tasks+path, token, ct, body)
		}
		return e.call("POST", tasks+path, token, ct, body, "Idempotency-Key", key)
	}

	// A request without a request ID, or a malformed one.
	r = post("/proposal", ta, "text/csv", proposalCSV(t, e.prov, a), "")
	require.Equal(t, http.StatusBadRequest, r.Status)
	require.Contains(t, r.errorBody(t).Message, "Idempotency-Key")
	require.Equal(t, http.StatusBadRequest, post("/proposal", ta, "text/csv", proposalCSV(t, e.prov, a), "a b").Status)

	// Wrong role: the secretariat and the clerk cannot submit a district's proposal; the clerk cannot sign.
	r = post("/proposal", sec, "application/json", jsonBody(t, a), "wrong-role-1")
	require.Equal(t, http.StatusForbidden, r.Status)
	require.Equal(t, cycle.EFORBIDDEN, r.errorBody(t).Code)
	// Tasks that are not open yet are not found, whoever asks.
	require.Equal(t, http.StatusNotFound, post("/signature", clerk, "application/json", []byte(`{}`), "wrong-role-2").Status)
	require.Equal(t, http.StatusNotFound, post("/consolidation", ta, "application/json", []byte(`{}`), "wrong-role-3").Status)

	// Wrong district: A's officer sends B's proposal (JSON names the unit) → 403;
	// as CSV (which names no unit) B's communes are not A's → 422 with the rule.
	r = post("/proposal", ta, "application/json", jsonBody(t, b), "wrong-district-1")
	require.Equal(t, http.StatusForbidden, r.Status, "%s", r.Body)
	require.Contains(t, r.errorBody(t).Message, "not of unit "+a.Unit)
	r = post("/proposal", ta, "text/csv", proposalCSV(t, e.prov, b), "wrong-district-2")
	require.Equal(t, http.StatusUnprocessableEntity, r.Status, "%s", r.Body)
	require.Contains(t, string(r.Body), "registry.wrong_unit")

	// Malformed bodies: broken JSON (400), a wrongly typed field (422 with
	// the line), an unknown format (415).
	r = post("/proposal", ta, "application/json", []byte(`{"unit": "`+a.Unit+`", "statistics": [`), "malformed-1")
	require.Equal(t, http.StatusBadRequest, r.Status)
	require.Contains(t, r.errorBody(t).Message, "malformed JSON")
	r = post("/proposal", ta, "application/json", []byte(`{"unit": "`+a.Unit+`", "statistics": "many"}`), "malformed-2")
	require.Equal(t, http.StatusUnprocessableEntity, r.Status)
	require.Contains(t, r.errorBody(t).Message, "line 1")
	require.Equal(t, http.StatusUnsupportedMediaType, post("/proposal", ta, "image/png", []byte("png"), "malformed-3").Status)

	// Oversized uploads: a raw body and a multipart file over the limit (256 KiB here).
	big := bytes.Repeat([]byte("21010,x,1,0,0,0,,,\n"), 20000) // ≈ 380 KiB
	r = post("/proposal", ta, "text/csv", append([]byte(strings.Join(cycle.ProposalCSVHeader, ",")+"\n"), big...), "too-big-1")
	require.Equal(t, http.StatusRequestEntityTooLarge, r.Status, "%s", r.Body)
	var mp bytes.Buffer
	mw := multipart.NewWriter(&mp)
	fw, err := mw.CreateFormFile("file", "de-xuat.csv")
	require.NoError(t, err)
	_, _ = fw.Write(big)
	require.NoError(t, mw.Close())
	r = post("/proposal", ta, mw.FormDataContentType(), mp.Bytes(), "too-big-2")
	require.Equal(t, http.StatusRequestEntityTooLarge, r.Status, "%s", r.Body)
	require.Equal(t, api.ETOOLARGE, r.errorBody(t).Code)

	// Rule-breaking proposal: 422 with every problem, its field and rule.
	bad := sample.BadProposal(e.prov, e.pol, year, a.Unit)
	r = post("/proposal", ta, "application/json", jsonBody(t, bad), "bad-proposal-1")
	require.Equal(t, http.StatusUnprocessableEntity, r.Status, "%s", r.Body)
	ce := r.errorBody(t)
	require.Equal(t, cycle.EINVALID, ce.Code)
	require.GreaterOrEqual(t, len(ce.Problems), 4)
	rules := map[string]bool{}
	for _, p := range ce.Problems {
		require.NotEmpty(t, p.Field, "every problem names its field: %+v", p)
		rules[p.Rule] = true
	}
	require.True(t, rules["registry.wrong_unit"] && rules["registry.unknown_commune"], "%v", rules)

	// The wrong phase: while proposals are open there is no consolidation task yet.
	r = post("/consolidation", sec, "application/json", []byte(`{}`), "too-early")
	require.Equal(t, http.StatusNotFound, r.Status, "%s", r.Body)

	// A's proposal as multipart CSV: revision 1. The same request again
	// (a retry): the same answer, no revision 2.
	var form bytes.Buffer
	fw2 := multipart.NewWriter(&form)
	part, err := fw2.CreateFormFile("file", "de-xuat.csv")
	require.NoError(t, err)
	_, _ = part.Write(proposalCSV(t, e.prov, a))
	require.NoError(t, fw2.Close())
	var res struct {
		RequestID string                         `json:"request_id"`
		Result    selection.SubmitProposalResult `json:"result"`
	}
	for range 2 {
		r = post("/proposal", ta, fw2.FormDataContentType(), form.Bytes(), "proposal-a-0001")
		require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
		require.NoError(t, json.Unmarshal(r.Body, &res))
		require.Equal(t, 1, res.Result.Revision)
		require.Equal(t, a.Unit, res.Result.Unit)
	}
	// Two concurrent replays of another officer's first submission complete it once.
	var wg sync.WaitGroup
	revs := make([]int, 4)
	for i := range revs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rr := post("/proposal", tb, "application/json", jsonBody(t, b), "proposal-b-0001")
			if rr.Status == http.StatusOK {
				var x struct {
					Result selection.SubmitProposalResult `json:"result"`
				}
				_ = json.Unmarshal(rr.Body, &x)
				revs[i] = x.Result.Revision
			}
		}()
	}
	wg.Wait()
	require.Equal(t, []int{1, 1, 1, 1}, revs)
	r = e.call("GET", cyc, ta, "", nil)
	require.NoError(t, json.Unmarshal(r.Body, &st))
	for _, u := range st.Units {
		if u.Unit == a.Unit || u.Unit == b.Unit {
			require.Equal(t, 1, u.Revision, "unit %s", u.Unit)
		}
	}
	// The same key from another officer is another request: B's own
	// revision 2, not A's result.
	r = post("/proposal", tb, "application/json", jsonBody(t, b), "proposal-a-0001")
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
	require.NoError(t, json.Unmarshal(r.Body, &res))
	require.Equal(t, selection.SubmitProposalResult{Unit: b.Unit, Revision: 2, Proposed: len(b.Proposed)}, res.Result)
	require.Empty(t, e.tasks(ta).Tasks, "A's task is done")

	// An expired session, and a signed-out one.
	e.advance(time.Hour + time.Minute)
	r = e.call("GET", "/api/tasks", ta, "", nil)
	require.Equal(t, http.StatusUnauthorized, r.Status)
	require.Contains(t, r.errorBody(t).Message, "expired")
	e.advance(-(time.Hour + time.Minute))
	require.Equal(t, http.StatusNoContent, e.call("DELETE", "/api/session", tb, "", nil).Status)
	require.Equal(t, http.StatusUnauthorized, e.call("GET", "/api/tasks", tb, "", nil).Status)

	// The other districts, as .xlsx in the published template (and JSON).
	for i, p := range proposals[2:] {
		tok := e.signIn("ca." + p.Unit)
		unitOf[tok] = p.Unit
		if i%2 == 0 {
			var x bytes.Buffer
			require.NoError(t, intake.WriteProposalTemplateXLSX(&x, e.prov, p.Unit, &p))
			r = post("/proposal", tok, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", x.Bytes(), "proposal-"+p.Unit)
		} else {
			r = post("/proposal", tok, "application/json", jsonBody(t, p), "proposal-"+p.Unit)
		}
		require.Equal(t, http.StatusOK, r.Status, "unit %s: %s", p.Unit, r.Body)
	}
	tmpl := e.call("GET", cyc+"/proposal-template", e.signIn("ca."+a.Unit), "", nil)
	require.Equal(t, http.StatusOK, tmpl.Status)
	prop, _, err := intake.ReadProposal(intake.File{Name: "de-xuat.xlsx", Data: tmpl.Body}, a.Unit)
	require.NoError(t, err, "the published template reads back")
	require.Len(t, prop.Statistics, len(a.Statistics))

	// Consolidation (secretariat), appraisal (council chair; a member cannot), signature, issue.
	e.waitTask(sec, cycle.TaskConsolidate)
	// A consolidation with a wrongly typed field (400), one over the body limit (413).
	r = post("/consolidation", sec, "application/json", []byte(`{"decisions": "all"}`), "malformed-4")
	require.Equal(t, http.StatusBadRequest, r.Status)
	require.Contains(t, r.errorBody(t).Message, "decisions")
	r = post("/consolidation", sec, "application/json", append([]byte(`{"note": "`), append(bytes.Repeat([]byte("x"), 70<<10), []byte(`"}`)...)...), "too-big-3")
	require.Equal(t, http.StatusRequestEntityTooLarge, r.Status)
	r = post("/consolidation", sec, "application/json", jsonBody(t, cycle.Consolidation{Decisions: []cycle.CommuneDecision{{Commune: "99999", Reason: "x"}}}), "consolidation-bad")
	require.Equal(t, http.StatusUnprocessableEntity, r.Status, "%s", r.Body)
	require.Equal(t, "consolidation.not_proposed", r.errorBody(t).Problems[0].Rule)
	r = post("/consolidation", sec, "application/json", []byte(`{"note": "Tổng hợp theo tiêu chí"}`), "consolidation-1")
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
	chair := e.signIn("hd.chutich")
	e.waitTask(chair, cycle.TaskAppraise)
	require.Equal(t, http.StatusForbidden, post("/appraisal", member, "application/json", []byte(`{"approved": true}`), "appraisal-member").Status)
	r = post("/appraisal", chair, "application/json", []byte(`{"approved": false}`), "appraisal-bad")
	require.Equal(t, http.StatusUnprocessableEntity, r.Status)
	require.Equal(t, "reason", r.errorBody(t).Problems[0].Field)
	r = post("/appraisal", chair, "application/json", []byte(`{"approved": true, "minutes": "Hội đồng thống nhất"}`), "appraisal-1")
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
	signer := e.signIn("truongban")
	e.waitTask(signer, cycle.TaskSign)
	r = post("/signature", clerk, "application/json", nil, "signature-clerk")
	require.Equal(t, http.StatusForbidden, r.Status, "the clerk cannot sign: %s", r.Body)
	r = post("/signature", signer, "application/json", nil, "signature-1")
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
	e.waitTask(clerk, cycle.TaskIssue)
	r = post("/issue", clerk, "", nil, "issue-0001")
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
	var issued struct {
		Result cycle.Decision `json:"result"`
	}
	require.NoError(t, json.Unmarshal(r.Body, &issued))
	require.Equal(t, "1/QĐ-BCĐ", issued.Result.Code)
	r = post("/issue", clerk, "", nil, "issue-0001") // a retry of the issue
	require.Equal(t, http.StatusOK, r.Status)
	require.Contains(t, string(r.Body), `"code": "1/QĐ-BCĐ"`)

	// The documents and the PDF (a district officer may read them too).
	r = e.call("GET", cyc+"/decisions", ta, "", nil)
	require.Equal(t, http.StatusOK, r.Status)
	r = e.call("GET", cyc+"/decisions/approval/pdf", ta, "", nil)
	require.Equal(t, http.StatusOK, r.Status)
	require.Equal(t, "application/pdf", r.Header.Get("Content-Type"))
	require.True(t, bytes.HasPrefix(r.Body, []byte("%PDF-")))
	require.Equal(t, http.StatusNotFound, e.call("GET", cyc+"/decisions/recognition/pdf", ta, "", nil).Status)

	// The audit trail: every sign-in, refusal, completion and download, chained.
	n, err := e.db.VerifyAudit(e.ctx)
	require.NoError(t, err)
	acts := e.auditActions()
	t.Logf("audit trail: %d rows: %v", n, acts)
	require.Equal(t, 2, acts["sign_in_failed unauthorized"])
	require.Equal(t, len(proposals)+1+3+1, acts["complete.submit_proposal ok"], "one per unit, the replays (1 of A, 3 of B) and B's revision")
	require.Equal(t, 1, acts["complete.consolidate ok"])
	require.Equal(t, 1, acts["complete.appraise ok"])
	require.Equal(t, 1, acts["complete.sign ok"])
	require.Equal(t, 2, acts["complete.issue ok"], "the issue and its retry")
	require.Equal(t, 1, acts["download ok"])
	require.Equal(t, 4, acts["refused forbidden"], "wrong role ×3, wrong district")
	require.Equal(t, 5, acts["refused invalid"])
	require.Zero(t, acts["refused conflict"], "a task not open yet is not found, and not audited")
	require.Equal(t, 2, acts["refused bad_request"], "the malformed proposal and consolidation")
	require.Equal(t, 1, acts["sign_out ok"])
	var who, remote, object string
	require.NoError(t, e.raw.QueryRowContext(e.ctx, `SELECT actor_id, remote, object FROM audit_chain WHERE action = 'download'`).Scan(&who, &remote, &object))
	require.Equal(t, "ca."+a.Unit, who)
	require.Equal(t, "127.0.0.1", remote)
	require.Equal(t, issued.Result.ID, object)

	// Someone edits a row with SQL (switching the trigger off): the chain names it.
	var seq int64
	require.NoError(t, e.raw.QueryRowContext(e.ctx, `SELECT seq FROM audit_chain WHERE action = 'complete.sign'`).Scan(&seq))
	tx, err := e.raw.BeginTx(e.ctx, nil)
	require.NoError(t, err)
	_, err = tx.ExecContext(e.ctx, `SET LOCAL session_replication_role = replica`)
	require.NoError(t, err)
	_, err = tx.ExecContext(e.ctx, `UPDATE audit_chain SET actor_id = 'vanthu' WHERE seq = $1`, seq)
	require.NoError(t, err)
	require.NoError(t, tx.Commit())
	_, err = e.db.VerifyAudit(e.ctx)
	var chainErr *cycle.ChainError
	require.True(t, errors.As(err, &chainErr), "%v", err)
	require.Equal(t, seq, chainErr.Seq)
}
