package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"golang.org/x/crypto/bcrypt"
	"golang.org/x/text/unicode/norm"

	"chuyenhoa/cycle"
	"chuyenhoa/intake"
	"chuyenhoa/sample"
	"chuyenhoa/workflows/selection"
)

// Fuzz targets of what the HTTP edge parses: proposal uploads in each
// format (the files themselves are fuzzed in package intake), the
// proposal typed into the web table, the JSON bodies of every POST of the API through the handler
// (with an in-memory store and a recording Temporal client), and the
// sign-in form. Properties, besides "no panic": never a 500; a refusal is
// a JSON error whose code gives the status; nothing malformed reaches the
// workflow, and what reaches it carries the session's account as actor and
// clean (NFC) text; a refusal after the request is understood is audited;
// a sign-in redirects only within the site. scripts/fuzz.sh runs them.

// ---- fixtures --------------------------------------------------------------

var quangNgai = sync.OnceValues(func() (cycle.Province, error) {
	p, _, err := sample.Province("quang-ngai")
	return p, err
})

func fixtureProvince(tb testing.TB) cycle.Province {
	tb.Helper()
	p, err := quangNgai()
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// fuzzAccounts are the signed-in officers of the handler fuzzers, by
// their bearer token (the token is "tok-" and the account ID).
var fuzzAccounts = []cycle.Account{
	{ID: "ca.522", Name: "Nguyễn Văn A", Role: cycle.RoleDistrictOfficer, District: "522"},
	{ID: "cat.tt", Name: "Trần Thị B", Role: cycle.RoleSecretariat},
	{ID: "hd.chutich", Name: "Lê Văn C", Role: cycle.RoleCouncilChair},
	{ID: "truongban", Name: "Phạm Văn D", Role: cycle.RoleSigner},
	{ID: "vanthu", Name: "Hoàng Thị E", Role: cycle.RoleClerk},
}

const fuzzPassword = "một mật khẩu dài"

var fuzzHash = sync.OnceValue(func() []byte {
	h, err := bcrypt.GenerateFromPassword([]byte(fuzzPassword), bcrypt.MinCost)
	if err != nil {
		panic(err)
	}
	return h
})

// memStore is the API's Store in memory: the accounts above, sessions,
// and the audit trail appended.
type memStore struct {
	cycle.Store // what the fuzzers do not reach: nil, a call panics
	prov        cycle.Province
	mu          sync.Mutex
	sessions    map[string]cycle.Account // by hex of the token hash
	audit       []cycle.AuditRecord
}

func newMemStore(prov cycle.Province) *memStore {
	s := &memStore{prov: prov, sessions: map[string]cycle.Account{}}
	for _, a := range fuzzAccounts {
		s.sessions[string(hashToken("tok-"+a.ID))] = a
	}
	return s
}

func (s *memStore) AccountCredentials(_ context.Context, id string) (cycle.Account, []byte, error) {
	for _, a := range fuzzAccounts {
		if a.ID == id {
			return a, fuzzHash(), nil
		}
	}
	return cycle.Account{}, nil, cycle.Errorf(cycle.ENOTFOUND, "no account %q", id)
}

func (s *memStore) CreateSession(_ context.Context, tokenHash []byte, accountID string, _, _ time.Time, _ string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range fuzzAccounts {
		if a.ID == accountID {
			s.sessions[string(tokenHash)] = a
			return nil
		}
	}
	return fmt.Errorf("no account %q", accountID)
}

func (s *memStore) SessionByToken(_ context.Context, tokenHash []byte, _ time.Time) (cycle.Session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.sessions[string(tokenHash)]
	if !ok {
		return cycle.Session{}, cycle.Errorf(cycle.ENOTFOUND, "no session")
	}
	return cycle.Session{Account: a}, nil
}

func (s *memStore) DeleteSession(_ context.Context, tokenHash []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.sessions, string(tokenHash))
	return nil
}

func (s *memStore) AppendAudit(_ context.Context, r cycle.AuditRecord) (cycle.AuditRecord, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.ActorID == "" || r.Action == "" || r.Outcome == "" {
		return r, errors.New("an audit record names its actor, action and outcome")
	}
	s.audit = append(s.audit, r)
	return r, nil
}

func (s *memStore) OpenTasks(context.Context, cycle.TaskFilter) ([]cycle.Task, error) {
	return fuzzTasks, nil
}

// fuzzTasks are the selection's tasks, all open, of cycle/51/2027.
var fuzzTasks = []cycle.Task{
	{ID: cycle.TaskID(cycle.TaskSubmitProposal, "522"), CycleID: fuzzCycle, Kind: cycle.TaskSubmitProposal, Role: cycle.RoleDistrictOfficer, District: "522"},
	{ID: cycle.TaskID(cycle.TaskConsolidate, ""), CycleID: fuzzCycle, Kind: cycle.TaskConsolidate, Role: cycle.RoleSecretariat},
	{ID: cycle.TaskID(cycle.TaskAppraise, ""), CycleID: fuzzCycle, Kind: cycle.TaskAppraise, Role: cycle.RoleCouncilChair},
	{ID: cycle.TaskID(cycle.TaskSign, ""), CycleID: fuzzCycle, Kind: cycle.TaskSign, Role: cycle.RoleSigner},
	{ID: cycle.TaskID(cycle.TaskIssue, ""), CycleID: fuzzCycle, Kind: cycle.TaskIssue, Role: cycle.RoleClerk},
}

const fuzzCycle = "cycle/51/2027"

func (s *memStore) Task(_ context.Context, cycleID, id string) (cycle.Task, bool, error) {
	for _, t := range fuzzTasks {
		if t.CycleID == cycleID && t.ID == id {
			return t, true, nil
		}
	}
	return cycle.Task{}, false, cycle.Errorf(cycle.ENOTFOUND, "no task %s %s", cycleID, id)
}

func (s *memStore) Claims(context.Context, string) ([]cycle.Claim, error) { return nil, nil }

func (s *memStore) DeleteDraft(context.Context, string, string, string) error { return nil }

func (s *memStore) Delegations(context.Context, string) ([]cycle.Delegation, error) { return nil, nil }

func (s *memStore) Draft(context.Context, string, string, string) (cycle.Draft, error) {
	return cycle.Draft{}, cycle.Errorf(cycle.ENOTFOUND, "no draft")
}

func (s *memStore) Attachments(context.Context, string, string) ([]cycle.Attachment, error) {
	return nil, nil
}

func (s *memStore) UnreadNotices(context.Context, string) (int, error) { return 0, nil }

func (s *memStore) TaskHistory(context.Context, string, string) ([]cycle.AuditRecord, error) {
	return nil, nil
}

func (s *memStore) Province(_ context.Context, code string) (cycle.Province, cycle.Issuer, error) {
	if code != s.prov.Code {
		return cycle.Province{}, cycle.Issuer{}, cycle.Errorf(cycle.ENOTFOUND, "no province %q", code)
	}
	return s.prov, cycle.Issuer{}, nil
}

func (s *memStore) Decisions(context.Context, string) ([]cycle.Decision, error) { return nil, nil }

func (s *memStore) DecisionPDF(context.Context, string) ([]byte, error) {
	return nil, cycle.Errorf(cycle.ENOTFOUND, "no decision")
}

func (s *memStore) Proposals(context.Context, string) ([]cycle.ProposalRevision, error) {
	return nil, nil
}

// recorder is the Temporal client: it records every update and accepts it.
type recorder struct {
	mu      sync.Mutex
	updates []client.UpdateWorkflowOptions
}

func (r *recorder) UpdateWorkflow(_ context.Context, o client.UpdateWorkflowOptions) (client.WorkflowUpdateHandle, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.updates = append(r.updates, o)
	return acceptedUpdate{o}, nil
}

func (r *recorder) QueryWorkflow(context.Context, string, string, string, ...any) (converter.EncodedValue, error) {
	return nil, errors.New("the fuzzers make no queries")
}

func (r *recorder) ExecuteWorkflow(context.Context, client.StartWorkflowOptions, any, ...any) (client.WorkflowRun, error) {
	return nil, errors.New("the fuzzers start no workflow")
}

func (r *recorder) DescribeWorkflowExecution(context.Context, string, string) (*workflowservice.DescribeWorkflowExecutionResponse, error) {
	return nil, errors.New("the fuzzers describe no workflow")
}

type acceptedUpdate struct{ o client.UpdateWorkflowOptions }

func (u acceptedUpdate) WorkflowID() string             { return u.o.WorkflowID }
func (u acceptedUpdate) RunID() string                  { return "" }
func (u acceptedUpdate) UpdateID() string               { return u.o.UpdateID }
func (u acceptedUpdate) Get(context.Context, any) error { return nil }

// fuzzServer is a Server over a memStore and a recorder, with small limits.
func fuzzServer(tb testing.TB) (*Server, http.Handler, *memStore, *recorder) {
	st, tc := newMemStore(fixtureProvince(tb)), &recorder{}
	s := &Server{Store: st, Temporal: tc, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now:          func() time.Time { return time.Date(2026, 12, 20, 9, 0, 0, 0, cycle.Vietnam) },
		MaxBodyBytes: 16 << 10, MaxUploadBytes: 64 << 10, UpdateTimeout: time.Second}
	return s, s.Handler(), st, tc
}

// templateXLSX is the unit's .xlsx template, prefilled with p if not nil.
func templateXLSX(tb testing.TB, prov cycle.Province, unit string, p *cycle.Proposal) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := intake.WriteProposalTemplateXLSX(&buf, prov, unit, p); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// unitProposal is the sample proposal of a unit for 2027.
func unitProposal(tb testing.TB, prov cycle.Province, unit string) cycle.Proposal {
	tb.Helper()
	for _, p := range sample.Proposals(prov, cycle.DefaultPolicy(), 2027) {
		if p.Unit == unit {
			return p
		}
	}
	tb.Fatalf("no sample proposal of unit %s", unit)
	return cycle.Proposal{}
}

// isClean reports whether every string reachable from v is NFC text with
// no surrounding white space, as cycle.Clean leaves it (or, given a test
// of uncleanness, passes that test); if not, it returns the first that
// is not.
func isClean(v any, unclean ...func(string) bool) (string, bool) {
	if len(unclean) == 0 {
		unclean = append(unclean, func(s string) bool { return cycle.Clean(s) != s })
	}
	bad := ""
	var walk func(reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.String:
			if s := v.String(); unclean[0](s) && bad == "" {
				bad = s
			}
		case reflect.Pointer, reflect.Interface:
			if !v.IsNil() {
				walk(v.Elem())
			}
		case reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				if v.Type().Field(i).IsExported() {
					walk(v.Field(i))
				}
			}
		case reflect.Slice, reflect.Array:
			for i := 0; i < v.Len(); i++ {
				walk(v.Index(i))
			}
		}
	}
	walk(reflect.ValueOf(v))
	return bad, bad == ""
}

// checkProposal checks an accepted proposal of unit 522.
func checkProposal(t *testing.T, p cycle.Proposal) {
	t.Helper()
	if p.Unit != "522" {
		t.Fatalf("proposal of unit %q accepted for unit 522", p.Unit)
	}
	if s, ok := isClean(p); !ok {
		t.Fatalf("accepted proposal holds unclean text %q", s)
	}
	if s, ok := isClean(p, func(s string) bool { return strings.ContainsRune(s, 0) }); !ok {
		t.Fatalf("accepted proposal holds NUL, which the store refuses: %q", s)
	}
	for _, s := range p.Statistics {
		if s.SocialOrderCrimes < 0 || s.EconomicCases < 0 || s.EnvironmentCases < 0 || s.DrugCases < 0 {
			t.Fatalf("negative figure accepted: %+v", s)
		}
	}
}

// checkFileRefusal: a proposal file is refused as invalid (422), or as a
// bad request (400) when it is not JSON at all; never as internal.
func checkFileRefusal(t *testing.T, err error) {
	t.Helper()
	var ce *cycle.Error
	if !errors.As(err, &ce) {
		t.Fatalf("refusal is %T, not *cycle.Error: %v", err, err)
	}
	if ce.Code != cycle.EINVALID && ce.Code != EBADREQUEST {
		t.Fatalf("refusal has code %q: %v", ce.Code, err)
	}
}

// ---- proposal files ----------------------------------------------------------

// FuzzParseProposal fuzzes the API's reading of an upload in each format
// for the officer's unit: a refusal is 422 or 400; an accepted proposal is
// the unit's, or names another unit (to be refused as forbidden) only when
// the JSON says so.
func FuzzParseProposal(f *testing.F) {
	prov := fixtureProvince(f)
	p := unitProposal(f, prov, "522")
	p.Statistics = p.Statistics[:3]
	js, _ := json.Marshal(p)
	var c bytes.Buffer
	_ = cycle.WriteProposalCSV(&c, prov, p)
	f.Add(uint8(0), js)
	f.Add(uint8(0), []byte(`{"unit":"523","statistics":[]}`))
	f.Add(uint8(0), []byte(`{"unit":" 5\u0032\u0032 ","statistics":[{"commune":"21010","social_order_crimes":"1"}]}`))
	f.Add(uint8(0), []byte(`{"unit":5}`))
	f.Add(uint8(0), []byte(`not json`))
	f.Add(uint8(1), c.Bytes())
	f.Add(uint8(2), templateXLSX(f, prov, "522", nil))
	f.Add(uint8(3), []byte(`{}`))
	formats := []string{mimeJSON, mimeCSV, mimeXLSX, ""}
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		if len(data) > 64<<10 {
			return
		}
		format := formats[int(which)%len(formats)]
		p, _, err := parseProposal(intake.File{Name: "", Type: format, Data: data}, "522")
		if err != nil {
			if format == "" {
				if asError(err).Code != EUNSUPPORTED {
					t.Fatalf("unknown format refused as %v", err)
				}
				return
			}
			checkFileRefusal(t, err)
			return
		}
		if p.Unit != "522" {
			var head struct {
				Unit string `json:"unit"`
			}
			if format != mimeJSON || json.Unmarshal(bytes.TrimPrefix(data, []byte("\ufeff")), &head) != nil || cycle.Clean(head.Unit) != p.Unit {
				t.Fatalf("proposal of unit %q from a %s file for unit 522", p.Unit, format)
			}
			return
		}
		checkProposal(t, p)
	})
}

// FuzzProposalFromTable fuzzes the proposal typed into the web page's
// table (a url-encoded form): a refusal is EINVALID with each problem next
// to a commune of the unit; an accepted proposal has a row for every
// commune of the unit, in order, with figures ≥ 0, and proposes only them.
func FuzzProposalFromTable(f *testing.F) {
	prov := fixtureProvince(f)
	communes := unitCommunes(prov, "522")
	label := map[string]bool{}
	for _, c := range communes {
		label[c.Label()] = true
	}
	f.Add("mode=table&soc.21010=11&econ.21010=0&env.21010=1&drug.21010=0&proposed.21010=on&types.21010=1%3B3&reason.21010=Ph%E1%BB%A9c+t%E1%BA%A1p&note=n")
	f.Add("soc.21010=-1&econ.21013=x&types.21016=2&proposed.21019=on&types.21019=1;9;a&proposed.99999=on")
	f.Add("soc.21010=%2B5&proposed.21010=ON&types.21010=")
	f.Add("")
	f.Fuzz(func(t *testing.T, form string) {
		vals, err := url.ParseQuery(form)
		if err != nil {
			return // the form is not parsed: 400
		}
		p, err := proposalFromTable(vals, prov, "522")
		if err != nil {
			var ce *cycle.Error
			if !errors.As(err, &ce) || ce.Code != cycle.EINVALID {
				t.Fatalf("refusal: %v", err)
			}
			for _, pr := range ce.Problems {
				if !label[pr.Commune] {
					t.Fatalf("problem not next to a commune of the unit: %#v", pr)
				}
			}
			return
		}
		if len(p.Statistics) != len(communes) {
			t.Fatalf("%d rows for %d communes", len(p.Statistics), len(communes))
		}
		on := map[string]bool{}
		for i, s := range p.Statistics {
			if s.Commune != communes[i].Code {
				t.Fatalf("row %d is %s, want %s", i, s.Commune, communes[i].Code)
			}
			on[s.Commune] = true
		}
		for _, pc := range p.Proposed {
			if !on[pc.Commune] {
				t.Fatalf("proposes %s, not a commune of the unit", pc.Commune)
			}
		}
		checkProposal(t, p)
	})
}

// ---- the API's POST bodies through the handler --------------------------------

// apiRoutes of the fuzzer: the path, the account that may post it, and
// the argument type the workflow receives.
var fuzzRoutes = []struct {
	path    string
	account string
}{
	{"/api/session", ""},
	{"/api/tasks/" + fuzzCycle + "/submit_proposal/522", "ca.522"},
	{"/api/tasks/" + fuzzCycle + "/consolidate", "cat.tt"},
	{"/api/tasks/" + fuzzCycle + "/appraise", "hd.chutich"},
	{"/api/tasks/" + fuzzCycle + "/sign", "truongban"},
	{"/api/tasks/" + fuzzCycle + "/issue", "vanthu"},
}

// FuzzAPIPost posts a body to each POST route of the API, as the account
// the route is for (or, with wrongAccount, as another), with a fuzzed
// Content-Type and Idempotency-Key. Properties: never a 500; every error
// is a JSON body whose code gives the status; a request reaches the
// workflow only if it is well-formed and authorised, and then with the
// session's account as actor, the update ID scoped to the account and the
// task, and clean text; a refusal of a well-formed request is audited; a
// sign-in opens a session only when it answers 201.
func FuzzAPIPost(f *testing.F) {
	prov := fixtureProvince(f)
	p := unitProposal(f, prov, "522")
	p.Statistics = p.Statistics[:3]
	js, _ := json.Marshal(p)
	var c bytes.Buffer
	_ = cycle.WriteProposalCSV(&c, prov, p)
	var mp bytes.Buffer
	mw := multipart.NewWriter(&mp)
	fw, _ := mw.CreateFormFile("file", "522.csv")
	_, _ = fw.Write(c.Bytes())
	_ = mw.Close()
	const key = "0123456789abcdef"
	for _, s := range []struct {
		route   uint8
		ct, key string
		body    []byte
	}{
		{0, "application/json", "", []byte(`{"account":"ca.522","password":"` + fuzzPassword + `"}`)},
		{0, "application/json", "", []byte(`{"account":"ca.522","password":"wrong"}`)},
		{0, "text/plain", "", []byte(`{"account":"ca.522"}`)},
		{1, "application/json", key, js},
		{1, "text/csv; charset=utf-8", key, c.Bytes()},
		{1, mw.FormDataContentType(), key, mp.Bytes()},
		{1, mimeXLSX, key, templateXLSX(f, prov, "522", nil)},
		{1, "application/json", key, []byte(`{"unit":"\u0000"}`)},
		{2, "application/json", key, []byte(`{"decisions":[{"commune":" 21010 ","keep":false,"reason":"Xa\u0303"}],"note":"n"}`)},
		{2, "application/json", "short", []byte(`{}`)},
		{3, "application/json", key, []byte(`{"approved":true,"removals":[{"commune":"21010","reason":"r"}],"members":[" A "]}`)},
		{3, "application/json", key, []byte(`{"approved":true} trailing`)},
		{4, "application/json", key, []byte(`{"comment":"Đồng ý"}`)},
		{4, "", key, nil},
		{5, "application/json", key, []byte(`{"x":1}`)},
	} {
		f.Add(s.route, false, s.ct, s.key, s.body)
	}
	f.Add(uint8(2), true, "application/json", key, []byte(`{}`))
	f.Fuzz(func(t *testing.T, route uint8, wrongAccount bool, ct, key string, body []byte) {
		rt := fuzzRoutes[int(route)%len(fuzzRoutes)]
		_, h, st, tc := fuzzServer(t)
		req := httptest.NewRequest("POST", rt.path, bytes.NewReader(body))
		req.RemoteAddr = "192.0.2.1:1234"
		req.Header.Set("Content-Type", ct)
		req.Header.Set("Idempotency-Key", key)
		account := rt.account
		if wrongAccount {
			account = fuzzAccounts[(int(route)+1)%len(fuzzAccounts)].ID
		}
		if account != "" {
			req.Header.Set("Authorization", "Bearer tok-"+account)
		}
		sessionsBefore := len(st.sessions)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		res := w.Result()
		resBody := w.Body.Bytes()

		if res.StatusCode == http.StatusInternalServerError {
			t.Fatalf("500 for %s %q: %s", rt.path, body, resBody)
		}
		if res.StatusCode >= 400 {
			var eb ErrorBody
			if err := json.Unmarshal(resBody, &eb); err != nil || eb.Error == nil {
				t.Fatalf("error response is not an ErrorBody: %d %s", res.StatusCode, resBody)
			}
			if statusOf(eb.Error.Code) != res.StatusCode {
				t.Fatalf("status %d with code %q", res.StatusCode, eb.Error.Code)
			}
		}
		if rt.account == "" { // sign-in
			if len(tc.updates) > 0 {
				t.Fatal("a sign-in reached the workflow")
			}
			if opened := len(st.sessions) > sessionsBefore; opened != (res.StatusCode == http.StatusCreated) {
				t.Fatalf("status %d, session opened %v", res.StatusCode, opened)
			}
			return
		}
		if len(tc.updates) > 1 {
			t.Fatalf("%d updates for one request", len(tc.updates))
		}
		if len(tc.updates) == 0 {
			if res.StatusCode < 400 {
				t.Fatalf("status %d without reaching the workflow", res.StatusCode)
			}
			if code := statusCode(resBody); code == cycle.EINVALID || code == cycle.EFORBIDDEN {
				audited := false
				for _, a := range st.audit {
					audited = audited || (a.Action == "refused" && a.Outcome == code && a.ActorID == account)
				}
				if !audited {
					t.Fatalf("refusal %s not audited: %s", code, resBody)
				}
			}
			return
		}
		if res.StatusCode != http.StatusOK {
			t.Fatalf("status %d after the workflow accepted", res.StatusCode)
		}
		u := tc.updates[0]
		if wrongAccount && account != rt.account {
			t.Fatalf("%s's request reached the workflow on %s", account, rt.path)
		}
		if !strings.HasPrefix(u.UpdateID, account+"/") || !strings.HasSuffix(u.UpdateID, "/"+key) || u.WorkflowID != selection.WorkflowID("51", 2027) {
			t.Fatalf("update %q of %q", u.UpdateID, u.WorkflowID)
		}
		if len(u.Args) != 1 {
			t.Fatalf("update with %d arguments", len(u.Args))
		}
		var actor cycle.Actor
		switch a := u.Args[0].(type) {
		case selection.SubmitProposalRequest:
			actor = a.Actor
			checkProposal(t, a.Proposal)
		case selection.ConsolidateRequest:
			actor = a.Actor
			if s, ok := isClean(a.Consolidation); !ok {
				t.Fatalf("consolidation with unclean text %q", s)
			}
			var strict cycle.Consolidation
			if decodeStrictly(body, &strict) != nil {
				t.Fatalf("a body that does not decode strictly reached the workflow: %q", body)
			}
		case selection.AppraiseRequest:
			actor = a.Actor
			if s, ok := isClean(a.Appraisal); !ok {
				t.Fatalf("appraisal with unclean text %q", s)
			}
			var strict cycle.Appraisal
			if decodeStrictly(body, &strict) != nil {
				t.Fatalf("a body that does not decode strictly reached the workflow: %q", body)
			}
		case selection.SignRequest:
			actor = a.Actor
			if cycle.Clean(a.Comment) != a.Comment {
				t.Fatalf("comment %q", a.Comment)
			}
		case selection.IssueRequest:
			actor = a.Actor
		default:
			t.Fatalf("update argument %T", u.Args[0])
		}
		var want cycle.Account
		for _, a := range fuzzAccounts {
			if a.ID == account {
				want = a
			}
		}
		if actor != want.Actor() {
			t.Fatalf("actor %+v, want the session's %+v", actor, want.Actor())
		}
		if !norm.NFC.IsNormalString(u.UpdateID) {
			t.Fatalf("update ID %q", u.UpdateID)
		}
	})
}

func statusCode(body []byte) string {
	var eb ErrorBody
	if json.Unmarshal(body, &eb) != nil || eb.Error == nil {
		return ""
	}
	return eb.Error.Code
}

func decodeStrictly(b []byte, v any) error {
	if len(bytes.TrimSpace(b)) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data")
	}
	return nil
}

// ---- the sign-in form ----------------------------------------------------------

// FuzzWebSignIn posts the sign-in form with a fuzzed body. Properties:
// never a 500; a session cookie only with the redirect of a successful
// sign-in; every redirect stays on this site as a browser reads it (which
// drops tabs and newlines, and takes "//host" and "/\host" as another
// site).
func FuzzWebSignIn(f *testing.F) {
	for _, next := range []string{"/inbox", "/cycles/51/2027", "//evil.example", "/\\evil.example", "https://evil.example/", "/\t/evil.example", "/%2F%2Fevil.example", ""} {
		f.Add("account=ca.522&password="+url.QueryEscape(fuzzPassword)+"&next="+url.QueryEscape(next), "application/x-www-form-urlencoded")
	}
	f.Add("account=ca.522&password=wrong&next=%2Finbox", "application/x-www-form-urlencoded")
	f.Add("%zz", "application/x-www-form-urlencoded")
	f.Add("--b\r\nContent-Disposition: form-data; name=\"account\"\r\n\r\nca.522\r\n--b--\r\n", "multipart/form-data; boundary=b")
	f.Fuzz(func(t *testing.T, body, ct string) {
		_, h, _, _ := fuzzServer(t)
		req := httptest.NewRequest("POST", "/signin", strings.NewReader(body))
		req.RemoteAddr = "192.0.2.1:1234"
		req.Header.Set("Content-Type", ct)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		res := w.Result()
		if res.StatusCode == http.StatusInternalServerError {
			t.Fatalf("500 for %q", body)
		}
		cookie := false
		for _, c := range res.Cookies() {
			cookie = cookie || (c.Name == sessionCookie && c.Value != "")
		}
		if cookie != (res.StatusCode == http.StatusSeeOther) {
			t.Fatalf("status %d, session cookie %v", res.StatusCode, cookie)
		}
		if loc := res.Header.Get("Location"); loc != "" {
			if !sameSite(loc) {
				t.Fatalf("sign-in redirects off the site: Location %q (form %q)", loc, body)
			}
		}
	})
}

// sameSite reports whether a browser stays on this site following the
// Location loc: WHATWG URL parsing drops ASCII tabs and newlines, and
// reads "//host" and "/\host" as another host.
func sameSite(loc string) bool {
	loc = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, strings.TrimLeft(loc, "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f "))
	return strings.HasPrefix(loc, "/") && !strings.HasPrefix(loc, "//") && !strings.HasPrefix(loc, "/\\")
}

// TestSafeNextStaysOnSite: the page after sign-in is a path of this site.
// "/\t/evil.example" passed the check and was sent as the Location, which
// browsers read as "//evil.example", another site (found by FuzzWebSignIn).
func TestSafeNextStaysOnSite(t *testing.T) {
	for next, want := range map[string]string{
		"/cycles/51/2027": "/cycles/51/2027", "/inbox?x=1": "/inbox?x=1",
		"//evil.example": "/inbox", "/\\evil.example": "/inbox", "https://evil.example": "/inbox", "evil": "/inbox", "": "/inbox",
		"/\t/evil.example": "/inbox", "/\n/evil.example": "/inbox", "/\r\n/evil.example": "/inbox", "/\x00/evil.example": "/inbox", "/\x7f": "/inbox",
	} {
		if got := safeNext(next); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", next, got, want)
		}
	}
}

// FuzzWebTaskForm completes each task from its web form (url-encoded, as
// the page posts it) as the account the task is for. Properties: no
// internal error; what reaches the workflow is clean text, with exactly
// the decisions the form's radio buttons and boxes say; a refusal of the
// form's content is audited.
func FuzzWebTaskForm(f *testing.F) {
	kinds := []struct {
		kind    cycle.TaskKind
		account int
	}{{cycle.TaskSubmitProposal, 0}, {cycle.TaskConsolidate, 1}, {cycle.TaskAppraise, 2}, {cycle.TaskSign, 3}, {cycle.TaskIssue, 4}}
	f.Add(uint8(0), "mode=table&soc.21010=11&proposed.21010=on&types.21010=1&note=+Ghi+ch%C3%BA+")
	f.Add(uint8(0), "mode=file&note=x")
	f.Add(uint8(1), "decision.21010=drop&reason.21010=%C4%90%C3%A3+chuy%E1%BB%83n+h%C3%B3a&decision.21013=keep&decision.21016=maybe&note=n")
	f.Add(uint8(2), "outcome=approve&members=A%0A+B+%0A%0A&remove.21010=on&reason.21010=r&remove.21013=off&minutes=m")
	f.Add(uint8(2), "outcome=return&reason=")
	f.Add(uint8(2), "outcome=")
	f.Add(uint8(3), "comment=+%C4%90%E1%BB%93ng+%C3%BD+")
	f.Add(uint8(4), "")
	f.Fuzz(func(t *testing.T, which uint8, form string) {
		k := kinds[int(which)%len(kinds)]
		a := fuzzAccounts[k.account]
		s, _, st, tc := fuzzServer(t)
		task := cycle.TaskID(k.kind, a.District)
		req := httptest.NewRequest("POST", "/tasks/"+fuzzCycle+"/"+task, strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.RemoteAddr = "192.0.2.1:1234"
		req.SetPathValue("scope", "cycle")
		req.SetPathValue("province", "51")
		req.SetPathValue("year", "2027")
		req.SetPathValue("task", task)
		if err := parseForm(req, 64<<10); err != nil {
			return // 400 before anything
		}
		p := &principal{Account: a, token: "tok-" + a.ID, tokenHash: hashToken("tok-" + a.ID)}
		_, err := s.forms.webSubmit(req, p, "web-0123456789")
		if err != nil {
			ce := asError(err)
			if ce.Code == cycle.EINTERNAL || ce.Code == ETIMEOUT {
				t.Fatalf("form %q: %v", form, err)
			}
			if len(tc.updates) > 0 {
				t.Fatalf("refused (%v) after reaching the workflow", err)
			}
			if ce.Code == cycle.EINVALID || ce.Code == cycle.EFORBIDDEN {
				audited := false
				for _, r := range st.audit {
					audited = audited || (r.Action == "refused" && r.Outcome == ce.Code)
				}
				if !audited {
					t.Fatalf("refusal %v not audited", err)
				}
			}
			return
		}
		if len(tc.updates) != 1 {
			t.Fatalf("%d updates for one form", len(tc.updates))
		}
		vals := req.PostForm
		switch arg := tc.updates[0].Args[0].(type) {
		case selection.SubmitProposalRequest:
			checkProposal(t, arg.Proposal)
		case selection.ConsolidateRequest:
			if s, ok := isClean(arg.Consolidation); !ok {
				t.Fatalf("consolidation with unclean text %q", s)
			}
			for _, d := range arg.Consolidation.Decisions {
				if want := map[bool]string{true: "keep", false: "drop"}[d.Keep]; !formSays(vals, "decision.", d.Commune, want) {
					t.Fatalf("decision %+v not what the form says: %v", d, vals)
				}
			}
		case selection.AppraiseRequest:
			ap := arg.Appraisal
			if s, ok := isClean(ap); !ok {
				t.Fatalf("appraisal with unclean text %q", s)
			}
			if ap.Approved != (vals.Get("outcome") == "approve") {
				t.Fatalf("approved %v from outcome %q", ap.Approved, vals.Get("outcome"))
			}
			for _, m := range ap.Members {
				if m == "" || strings.Contains(m, "\n") {
					t.Fatalf("member %q", m)
				}
			}
			for _, r := range ap.Removals {
				if !formSays(vals, "remove.", r.Commune, "on") {
					t.Fatalf("removal %+v not ticked: %v", r, vals)
				}
			}
		case selection.SignRequest:
			if cycle.Clean(arg.Comment) != arg.Comment {
				t.Fatalf("comment %q", arg.Comment)
			}
		case selection.IssueRequest:
		default:
			t.Fatalf("update argument %T", arg)
		}
	})
}

// formSays reports whether a field prefix+code (the code as cleaned) of
// the form has the value want.
func formSays(vals url.Values, prefix, code, want string) bool {
	for k := range vals {
		if c, ok := strings.CutPrefix(k, prefix); ok && cycle.Clean(c) == code && vals.Get(k) == want {
			return true
		}
	}
	return false
}
