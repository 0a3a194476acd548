package api

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"chuyenhoa/cycle"
	"chuyenhoa/postgres"
	"chuyenhoa/signing"
	"chuyenhoa/workflows/awards"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/issuing"
	"chuyenhoa/workflows/selection"
	"chuyenhoa/workflows/transformation"
)

// The head's signature made where the head's key is (issue 17). When the
// worker has the head sign elsewhere, the head's sign task carries the
// prepared document and its digest; every door gets them and brings the
// CMS back:
//
//   - the API: GET /api/signatures/{task} (the digest, as the signing
//     agent takes it), GET /api/signature-pdfs/{task} (the prepared PDF),
//     POST /api/signatures/{task} (the CMS; Idempotency-Key), and, with a
//     remote-signing service configured, POST /api/remote-signatures/{task}
//     (the head approves on their phone) then GET …?ticket= until signed;
//   - the web: the signing page /signing/{task}, which shows the
//     document, hands the digest to the signing agent on the officer's
//     computer (signing/agent's protocol) and posts the CMS back;
//   - the CLI: `starter sign <task>` does what the page does.
//
// The workflow embeds and verifies the CMS; a refusal leaves the task open.

// DefaultSigningAgent is where the signing page looks for the signing
// agent unless Server.SigningAgent says otherwise.
const DefaultSigningAgent = "http://127.0.0.1:47251"

func init() {
	cycle.DefineMessages(map[string]cycle.Text{
		"api.no_external_signature": {
			VI: "Công việc «%[1]s» không ký qua trang ký số: máy chủ không chuẩn bị văn bản để ký bằng chứng thư số của người ký (hoặc văn bản đã được ký)",
			EN: "task %[1]s is not signed with the signer's own certificate: no document is waiting for it (or it is signed already)",
		},
		"api.cms_b64": {
			VI: "Chữ ký số gửi lên không đọc được (phải là chuỗi base64 của chữ ký CMS)",
			EN: "cms_b64 is not base64 of a CMS signature",
		},
		"api.cms_b64_of": {
			VI: "Chữ ký số thứ %[1]d gửi lên không đọc được (phải là chuỗi base64 của chữ ký CMS); chưa văn bản nào được ký",
			EN: "signature %[1]d of cms_b64_list is not base64 of a CMS signature; nothing is signed",
		},
		"api.cms_one": {
			VI: "Công việc này ký một văn bản, cần đúng một chữ ký số; đã nhận %[1]d",
			EN: "this task signs one document and takes one signature; %[1]d received",
		},
		"api.signature_document": {
			VI: "Không có văn bản trình ký thứ «%[1]s»: công việc này có %[2]d văn bản",
			EN: "no document %[1]s to sign: the task has %[2]d",
		},
		"api.no_remote_signing": {
			VI: "Máy chủ chưa kết nối dịch vụ ký số từ xa",
			EN: "no remote-signing service is configured",
		},
		"api.remote_ticket": {
			VI: "Không tìm thấy yêu cầu ký số từ xa này (có thể đã hết hạn); hãy gửi yêu cầu mới",
			EN: "no such remote-signing request (it may have expired); send a new one",
		},
		"api.remote_denied": {
			VI: "Người ký đã từ chối hoặc không xác nhận yêu cầu ký số từ xa kịp thời hạn; công việc vẫn mở, có thể gửi yêu cầu mới",
			EN: "the signer declined or let the remote-signing request expire; the task stays open",
		},
	})
}

func (srv *Server) signingRoutes() {
	m, s := srv.mux, srv.signing
	const addr = "{scope}/{province}/{year}/{task...}"
	m.HandleFunc("GET /api/signatures/"+addr, s.authed(s.apiSignature))
	m.HandleFunc("POST /api/signatures/"+addr, s.authed(s.apiSubmitSignature))
	m.HandleFunc("GET /api/signature-pdfs/"+addr, s.authed(s.signaturePDF))
	m.HandleFunc("POST /api/remote-signatures/"+addr, s.authed(s.apiRemoteSignature))
	m.HandleFunc("GET /api/remote-signatures/"+addr, s.authed(s.apiRemoteResult))
	m.HandleFunc("GET /signing/"+addr, s.page(s.webSigningPage))
	m.HandleFunc("POST /signing/"+addr, s.page(s.webSubmitSignature))
	m.HandleFunc("GET /signing-request/"+addr, s.page(s.apiSignature))
	m.HandleFunc("GET /signing-pdf/"+addr, s.page(s.signaturePDF))
	m.HandleFunc("POST /signing-remote/"+addr, s.page(s.webRemoteSignature))
	m.HandleFunc("GET /signing-remote/"+addr, s.page(s.webRemoteResult))
}

// SignatureRequest is what the head's side signs: the fields of the
// signing agent's POST /v1/sign (digest_b64, hash_alg, document_id,
// reason) and the document — of the task's first document when it signs
// several (the year's results), each of which Documents lists in order,
// one CMS each.
type SignatureRequest struct {
	SignatureDocument
	Remote bool `json:"remote"` // a remote-signing service is configured
	// Documents are every document the task signs, in the order their
	// signatures are sent (cms_b64_list); one for most tasks.
	Documents []SignatureDocument `json:"documents"`
}

// SignatureDocument is one document a sign task signs.
type SignatureDocument struct {
	DigestB64  string    `json:"digest_b64"`
	HashAlg    string    `json:"hash_alg"`
	DocumentID string    `json:"document_id"`
	Reason     string    `json:"reason"`
	Digest     string    `json:"digest_hex"`
	Code       string    `json:"code"`
	Subject    string    `json:"subject"`
	Signer     string    `json:"signer"`
	PreparedAt time.Time `json:"prepared_at"`
	PDF        string    `json:"pdf"` // the prepared PDF (API path)
}

// SignatureBody brings the head's CMS: cms_b64 for a task that signs one
// document, cms_b64_list (one per document, in the order of the
// request's documents) for one that signs several.
type SignatureBody struct {
	CMSB64  string   `json:"cms_b64,omitempty"`
	CMSList []string `json:"cms_b64_list,omitempty"`
	Comment string   `json:"comment,omitempty"`
}

// signKinds are the task kinds whose document the head may sign with
// their own certificate.
var signKinds = []cycle.TaskKind{cycle.TaskSign, cycle.TaskSignResults, cycle.TaskSignRecognition, cycle.TaskSignReview, cycle.TaskAwardSign}

// signingNote says what the head's signature of a task of kind k does
// besides signing, when it does more: the review report has no clerk's
// issue task, so the signature issues it. Empty for the other kinds,
// whose document the clerk seals and issues afterwards.
func signingNote(k cycle.TaskKind) string {
	if k == cycle.TaskSignReview {
		return "Báo cáo sơ kết không qua bước ban hành của văn thư: khi chữ ký số của đồng chí được kiểm tra hợp lệ, báo cáo được đóng dấu của cơ quan ban hành, lưu trữ và gửi ngay đến các nơi nhận."
	}
	return ""
}

func isSignKind(k cycle.TaskKind) bool {
	for _, x := range signKinds {
		if x == k {
			return true
		}
	}
	return false
}

// preparingWait bounds how long a request waits for a sign task's
// document to be numbered and prepared (about a second after the task
// opens) before it is refused.
const preparingWait = 5 * time.Second

// pendingSignatures are the head's task and the documents waiting for
// its signature; the task must be visible to the account. A task just
// opened whose document is still being prepared is waited for (up to
// preparingWait).
func (s *signingHandlers) pendingSignatures(ctx context.Context, r *http.Request, p *principal) (cycle.Task, []issuing.PendingSignature, error) {
	t, open, err := s.findTask(ctx, r, p)
	if err != nil {
		return t, nil, err
	}
	none := cycle.Fail(cycle.ENOTFOUND, "api.no_external_signature", taskLabel(t))
	if !isSignKind(t.Kind) || !open {
		return t, nil, none
	}
	deadline := time.Now().Add(preparingWait)
	for {
		pending, signed, preparing, err := s.pendingOf(ctx, t)
		if err != nil {
			return t, nil, err
		}
		if len(pending) > 0 && !signed {
			return t, pending, nil
		}
		// The approval decision's task opens before its document is
		// prepared: wait for it briefly rather than refuse.
		if signed || !preparing || !time.Now().Before(deadline) {
			return t, nil, none
		}
		select {
		case <-ctx.Done():
			return t, nil, none
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// pendingOf reads the documents prepared for a sign task from its
// workflow's state, whether they are signed already, and whether they
// are still being prepared.
func (s *signingHandlers) pendingOf(ctx context.Context, t cycle.Task) (pending []issuing.PendingSignature, signed, preparing bool, err error) {
	one := func(p *issuing.PendingSignature, signed bool) ([]issuing.PendingSignature, bool, bool, error) {
		if p == nil {
			return nil, signed, false, nil
		}
		return []issuing.PendingSignature{*p}, signed, false, nil
	}
	if t.Kind == cycle.TaskAwardSign {
		st, err := awards.Client{T: s.cfg.Temporal}.State(ctx, t.CycleID)
		if err != nil {
			return nil, false, false, err
		}
		return one(st.HeadSignature, st.HeadSigned != nil)
	}
	st, err := selection.Client{T: s.cfg.Temporal}.State(ctx, t.CycleID)
	if err != nil {
		return nil, false, false, err
	}
	y, _ := (&taskCall{task: t}).year()
	switch t.Kind {
	case cycle.TaskSignRecognition:
		for _, b := range batchesOf(st) {
			if b.Year == y {
				return one(b.Head, b.HeadSigned != nil)
			}
		}
		return nil, false, false, nil
	case cycle.TaskSignResults:
		if st.Transformation != nil {
			for _, py := range st.Transformation.Years {
				if py.Year == y {
					return py.Head, py.HeadSigned != nil, false, nil
				}
			}
		}
		return nil, false, false, nil
	case cycle.TaskSignReview:
		if st.Transformation != nil {
			if p := st.Transformation.ReviewStep(y); p != nil {
				return one(p.Head, p.HeadSigned != nil)
			}
		}
		return nil, false, false, nil
	}
	pending, signed, _, err = one(st.HeadSignature, st.HeadSigned != nil)
	return pending, signed, st.PreparingSignature, err
}

// batchesOf are a cycle's recognition batches, if its programme started.
func batchesOf(st selection.CycleState) []*transformation.RecognitionBatch {
	if st.Transformation == nil {
		return nil
	}
	return st.Transformation.Batches
}

// signersPending is pendingSignatures for the account that signs them:
// the task must be one the account may complete, and the documents name
// it (preparedForSigner).
func (s *signingHandlers) signersPending(ctx context.Context, r *http.Request, p *principal) (cycle.Task, []issuing.PendingSignature, error) {
	t, ps, err := s.pendingSignatures(ctx, r, p)
	if err != nil {
		return t, nil, err
	}
	if err := s.authorize(ctx, &taskCall{p: p, r: r, task: t, actor: p.Account.Actor()}); err != nil {
		return t, nil, err
	}
	return t, s.preparedForSigner(ctx, r, p, t, ps), nil
}

// preparedForSigner has the documents prepared again in the name of the
// officer about to sign them when their signature block names another —
// a deputy signing under a delegation (issuing.PrepareFor): the officer
// then signs once, a document that names them — or when they were
// prepared more than issuing.FreshFor ago (issuing.Stale), so that the
// signing time they claim is the signature's minute. It returns the documents
// as they then are; an account that may not sign them gets them as they
// are.
func (s *signingHandlers) preparedForSigner(ctx context.Context, r *http.Request, p *principal, t cycle.Task, ps []issuing.PendingSignature) []issuing.PendingSignature {
	c := &taskCall{p: p, r: r, task: t, actor: p.Account.Actor(), key: newRequestID()}
	if len(ps) == 0 || s.authorize(ctx, c) != nil || (issuing.SignsAsPrepared(ps[0].Issuer, ps[0].Signer, c.actor) && !issuing.Stale(ps, time.Now())) {
		return ps
	}
	var arg any
	switch t.Kind {
	case cycle.TaskSignResults, cycle.TaskSignRecognition, cycle.TaskSignReview:
		y, err := c.year()
		if err != nil {
			return ps
		}
		arg = transformation.YearRequest{Request: c.request(), Year: y, PrepareOnly: true}
	case cycle.TaskAwardSign:
		arg = awards.SignAwardsRequest{Request: c.request(), PrepareOnly: true}
	default:
		arg = selection.SignRequest{Request: c.request(), PrepareOnly: true}
	}
	uctx, cancel := context.WithTimeout(ctx, s.cfg.UpdateTimeout)
	defer cancel()
	var res json.RawMessage
	// Its answer is a refusal that says it prepared the documents (it
	// never completes the task); what counts is the state read after it.
	err := flow.Call(uctx, s.cfg.Temporal, c.workflowID(), taskKinds[t.Kind].Update, c.request(), arg, &res)
	s.cfg.Logger.Info("documents prepared for their signer", "cycle", t.CycleID, "task", t.ID, "account", p.Account.ID, "answer", err)
	if _, again, err := s.pendingSignatures(ctx, r, p); err == nil {
		return again
	}
	return ps
}

func signatureRequestOf(t cycle.Task, ps []issuing.PendingSignature, pdfPath string, remote bool) SignatureRequest {
	var docs []SignatureDocument
	for i, p := range ps {
		pdf := pdfPath + addressOfTask(t).Path()
		if i > 0 {
			pdf += "?doc=" + strconv.Itoa(i+1)
		}
		docs = append(docs, SignatureDocument{DigestB64: base64.StdEncoding.EncodeToString(p.Digest), HashAlg: "SHA-256", DocumentID: p.Code,
			Reason: p.Reason, Digest: hex.EncodeToString(p.Digest), Code: p.Code, Subject: p.Rendered.Subject,
			Signer: p.Issuer.SignerName, PreparedAt: p.Time, PDF: pdf})
	}
	return SignatureRequest{SignatureDocument: docs[0], Remote: remote, Documents: docs}
}

// apiSignature returns the digests the head's side signs, of documents
// that name the account about to sign them (preparedForSigner).
func (s *signingHandlers) apiSignature(w http.ResponseWriter, r *http.Request, p *principal) error {
	t, ps, err := s.pendingSignatures(r.Context(), r, p)
	if err != nil {
		return s.signingError(w, r, err)
	}
	ps = s.preparedForSigner(r.Context(), r, p, t, ps)
	prefix := "/api/signature-pdfs/"
	if r.Header.Get("Authorization") == "" {
		prefix = "/signing-pdf/"
	}
	writeJSON(w, http.StatusOK, signatureRequestOf(t, ps, prefix, s.cfg.RemoteSigner != nil))
	return nil
}

// signaturePDF serves a prepared document: the task's first, or the one
// ?doc= numbers (from 1).
func (s *signingHandlers) signaturePDF(w http.ResponseWriter, r *http.Request, p *principal) error {
	_, ps, err := s.pendingSignatures(r.Context(), r, p)
	if err != nil {
		return err
	}
	i := 0
	if q := r.URL.Query().Get("doc"); q != "" {
		n, err := strconv.Atoi(q)
		if err != nil || n < 1 || n > len(ps) {
			return cycle.Fail(cycle.ENOTFOUND, "api.signature_document", q, len(ps))
		}
		i = n - 1
	}
	pdf, err := s.cfg.Store.Blob(r.Context(), ps[i].SHA256)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="van-ban-trinh-ky.pdf"`)
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(pdf)
	return nil
}

// apiSubmitSignature completes the head's sign task with the CMS.
func (s *signingHandlers) apiSubmitSignature(w http.ResponseWriter, r *http.Request, p *principal) error {
	key := r.Header.Get("Idempotency-Key")
	if !idempotencyKey.MatchString(key) {
		return cycle.Fail(EBADREQUEST, "api.idempotency_key")
	}
	var body SignatureBody
	if err := s.decodeJSON(w, r, &body, false); err != nil {
		return err
	}
	res, err := s.submitSignature(r.Context(), r, p, key, body)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, CompletionResponse{RequestID: key, Result: res})
	return nil
}

// signatures decodes the body's CMSs, one per document.
func (b SignatureBody) signatures() ([][]byte, error) {
	list := b.CMSList
	if len(list) == 0 && b.CMSB64 != "" {
		list = []string{b.CMSB64}
	}
	if len(list) == 0 {
		return nil, cycle.Fail(EBADREQUEST, "api.cms_b64")
	}
	out := make([][]byte, len(list))
	for i, v := range list {
		cms, err := base64.StdEncoding.DecodeString(v)
		if err != nil || len(cms) == 0 {
			if len(list) > 1 {
				return nil, cycle.Fail(EBADREQUEST, "api.cms_b64_of", i+1)
			}
			return nil, cycle.Fail(EBADREQUEST, "api.cms_b64")
		}
		out[i] = cms
	}
	return out, nil
}

// submitSignature sends the head's CMSs to the workflow as the sign
// task's completion: the actor is the session's account, its role and
// unit checked, the completion or refusal audited.
func (s *signingHandlers) submitSignature(ctx context.Context, r *http.Request, p *principal, key string, body SignatureBody) (json.RawMessage, error) {
	c, err := s.call(ctx, r, p, key)
	if err != nil {
		if c != nil {
			return nil, s.refuse(ctx, c, err)
		}
		return nil, err
	}
	if !isSignKind(c.task.Kind) {
		return nil, cycle.Fail(cycle.ENOTFOUND, "api.no_external_signature", taskLabel(c.task))
	}
	cms, err := body.signatures()
	if err != nil {
		return nil, s.refuse(ctx, c, err)
	}
	switch c.task.Kind {
	case cycle.TaskSignRecognition, cycle.TaskSignResults, cycle.TaskSignReview:
		y, err := c.year()
		if err != nil {
			return nil, s.refuse(ctx, c, err)
		}
		arg := transformation.YearRequest{Request: c.request(), Year: y}
		if c.task.Kind == cycle.TaskSignResults {
			arg.CMSList = cms
		} else if arg.CMS, err = single(cms); err != nil {
			return nil, s.refuse(ctx, c, err)
		}
		return s.complete(ctx, c, taskKinds[c.task.Kind], arg)
	case cycle.TaskAwardSign:
		one, err := single(cms)
		if err != nil {
			return nil, s.refuse(ctx, c, err)
		}
		return s.complete(ctx, c, taskKinds[c.task.Kind], awards.SignAwardsRequest{Request: c.request(), CMS: one})
	}
	one, err := single(cms)
	if err != nil {
		return nil, s.refuse(ctx, c, err)
	}
	arg := selection.SignRequest{Request: c.request(), Comment: cycle.Clean(body.Comment), CMS: one}
	return s.complete(ctx, c, taskKinds[cycle.TaskSign], arg)
}

// single is the one CMS of a task that signs one document.
func single(cms [][]byte) ([]byte, error) {
	if len(cms) != 1 {
		return nil, cycle.Fail(EBADREQUEST, "api.cms_one", len(cms))
	}
	return cms[0], nil
}

// ---- the signing page ---------------------------------------------------------

// SigningPageData is what the signing page shows.
type SigningPageData struct {
	Task      TaskView
	Request   SignatureRequest
	Address   string // the task's path
	Agent     string // the signing agent's base URL
	RequestID string
	Remote    bool
	// Note says what the signature does besides signing (signingNote).
	Note string
}

func (s *signingHandlers) webSigningPage(w http.ResponseWriter, r *http.Request, p *principal) error {
	t, ps, err := s.signersPending(r.Context(), r, p)
	if err != nil {
		return err
	}
	agent := s.cfg.SigningAgent
	if agent == "" {
		agent = DefaultSigningAgent
	}
	// The page calls the agent on the officer's computer: the one origin
	// besides this site's it may connect to.
	w.Header().Set("Content-Security-Policy", "default-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; connect-src 'self' "+agent)
	views := s.taskViews(r.Context(), []cycle.Task{t})
	d := SigningPageData{Task: views[0], Request: signatureRequestOf(t, ps, "/signing-pdf/", s.cfg.RemoteSigner != nil),
		Address: addressOfTask(t).Path(), Agent: agent, RequestID: newRequestID(), Remote: s.cfg.RemoteSigner != nil, Note: signingNote(t.Kind)}
	s.render(w, r, http.StatusOK, "signing", pageData{Title: "Ký số văn bản " + issuing.Codes(ps), Account: p, Data: d})
	return nil
}

// webSubmitSignature takes the CMS the signing page got from the agent
// (a form post with the CSRF token) and answers JSON for the page.
func (s *signingHandlers) webSubmitSignature(w http.ResponseWriter, r *http.Request, p *principal) error {
	key := r.PostFormValue("request_id")
	if !idempotencyKey.MatchString(key) {
		key = newRequestID()
	}
	_ = r.ParseForm()
	res, err := s.submitSignature(r.Context(), r, p, key, SignatureBody{CMSB64: r.PostFormValue("cms_b64"), CMSList: r.PostForm["cms_b64_list"], Comment: r.PostFormValue("comment")})
	if err != nil {
		return s.signingError(w, r, err)
	}
	writeJSON(w, http.StatusOK, CompletionResponse{RequestID: key, Result: res})
	return nil
}

// signingError answers the signing page's requests with the error as
// JSON (the page shows its Vietnamese text and problems).
func (s *signingHandlers) signingError(w http.ResponseWriter, r *http.Request, err error) error {
	if r.Header.Get("Authorization") != "" {
		return err
	}
	s.writeError(w, r, err)
	return nil
}

// ---- remote signing ---------------------------------------------------------------

// RemoteSignatures keep the remote-signing requests in flight, by
// ticket ID; package postgres implements them, so that two server
// processes behind one address answer the same request's polls.
type RemoteSignatures interface {
	SaveRemoteSignature(ctx context.Context, r cycle.RemoteSignature) error
	// RemoteSignature returns ENOTFOUND when there is no such request.
	RemoteSignature(ctx context.Context, id string) (cycle.RemoteSignature, error)
	DeleteRemoteSignature(ctx context.Context, id string) error
}

var _ RemoteSignatures = (*postgres.DB)(nil)

// memoryRemotes keep the requests in this process's memory, for a store
// that does not keep them (a test's).
type memoryRemotes struct {
	mu sync.Mutex
	m  map[string]cycle.RemoteSignature
}

func (m *memoryRemotes) SaveRemoteSignature(_ context.Context, r cycle.RemoteSignature) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.m == nil {
		m.m = map[string]cycle.RemoteSignature{}
	}
	m.m[r.ID] = r
	return nil
}

func (m *memoryRemotes) RemoteSignature(_ context.Context, id string) (cycle.RemoteSignature, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.m[id]
	if !ok {
		return r, cycle.Fail(cycle.ENOTFOUND, "api.remote_ticket")
	}
	return r, nil
}

func (m *memoryRemotes) DeleteRemoteSignature(_ context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.m, id)
	return nil
}

// RemoteSignatureResponse is a remote-signing request's state.
type RemoteSignatureResponse struct {
	Ticket  string          `json:"ticket"`
	Status  string          `json:"status"` // pending, signed
	Expires time.Time       `json:"expires,omitzero"`
	Result  json.RawMessage `json:"result,omitempty"`
}

// apiRemoteSignature asks the remote-signing service for the head's
// signature over the digest: the head approves on their phone.
func (s *signingHandlers) apiRemoteSignature(w http.ResponseWriter, r *http.Request, p *principal) error {
	if s.cfg.RemoteSigner == nil {
		return cycle.Fail(cycle.ENOTFOUND, "api.no_remote_signing")
	}
	t, ps, err := s.signersPending(r.Context(), r, p)
	if err != nil {
		return err
	}
	// One request per document: the head approves each on their phone.
	var tks []signing.Ticket
	for _, d := range ps {
		tk, err := s.cfg.RemoteSigner.Request(r.Context(), signing.SignRequest{DocumentID: d.Code, Digest: d.Digest, Signer: p.Account.ID, Reason: d.Reason})
		if err != nil {
			return err
		}
		tks = append(tks, tk)
	}
	var state []byte
	if len(tks) == 1 {
		state, err = json.Marshal(tks[0])
	} else {
		state, err = json.Marshal(tks)
	}
	if err != nil {
		return err
	}
	tk := tks[0]
	if err := s.remotes.SaveRemoteSignature(r.Context(), cycle.RemoteSignature{ID: tk.ID, Account: p.Account.ID, CycleID: t.CycleID, TaskID: t.ID, Ticket: state, Expires: tk.Expires}); err != nil {
		return err
	}
	_ = s.audit(r.Context(), r, p, "remote_signature", (&taskCall{task: t}).object(), tk.ID, "ok", "Gửi yêu cầu ký số từ xa văn bản "+issuing.Codes(ps))
	writeJSON(w, http.StatusAccepted, RemoteSignatureResponse{Ticket: tk.ID, Status: "pending", Expires: tk.Expires})
	return nil
}

// webRemoteSignature is apiRemoteSignature for the signing page's
// button (a form post with the CSRF token); it answers JSON.
func (s *signingHandlers) webRemoteSignature(w http.ResponseWriter, r *http.Request, p *principal) error {
	if err := s.apiRemoteSignature(w, r, p); err != nil {
		return s.signingError(w, r, err)
	}
	return nil
}

// webRemoteResult is apiRemoteResult for the signing page's polls.
func (s *signingHandlers) webRemoteResult(w http.ResponseWriter, r *http.Request, p *principal) error {
	if err := s.apiRemoteResult(w, r, p); err != nil {
		return s.signingError(w, r, err)
	}
	return nil
}

// apiRemoteResult asks the service whether the head has approved; once
// approved, the CMS completes the sign task (the ticket is the request ID).
func (s *signingHandlers) apiRemoteResult(w http.ResponseWriter, r *http.Request, p *principal) error {
	if s.cfg.RemoteSigner == nil {
		return cycle.Fail(cycle.ENOTFOUND, "api.no_remote_signing")
	}
	id := r.URL.Query().Get("ticket")
	rs, err := s.remotes.RemoteSignature(r.Context(), id)
	if cycle.ErrorCode(err) == cycle.ENOTFOUND || err == nil && rs.Account != p.Account.ID {
		return cycle.Fail(cycle.ENOTFOUND, "api.remote_ticket")
	}
	if err != nil {
		return err
	}
	// One ticket per document of the task (a list when it signs several).
	var tks []signing.Ticket
	if err := json.Unmarshal(rs.Ticket, &tks); err != nil {
		var tk signing.Ticket
		if err := json.Unmarshal(rs.Ticket, &tk); err != nil {
			return fmt.Errorf("remote-signing request %s: %w", id, err)
		}
		tks = []signing.Ticket{tk}
	}
	var list []string
	for _, tk := range tks {
		cms, done, err := s.cfg.RemoteSigner.Result(r.Context(), tk)
		if errors.Is(err, signing.ErrDenied) || errors.Is(err, signing.ErrExpired) {
			if err := s.remotes.DeleteRemoteSignature(r.Context(), id); err != nil {
				return err
			}
			return cycle.Fail(cycle.ECONFLICT, "api.remote_denied")
		}
		if err != nil {
			return err
		}
		if !done {
			writeJSON(w, http.StatusOK, RemoteSignatureResponse{Ticket: id, Status: "pending", Expires: tk.Expires})
			return nil
		}
		list = append(list, base64.StdEncoding.EncodeToString(cms))
	}
	key := "remote-" + id
	if !idempotencyKey.MatchString(key) {
		key = "remote-" + hex.EncodeToString([]byte(id))[:40]
	}
	res, err := s.submitSignature(r.Context(), r, p, key, SignatureBody{CMSList: list})
	if err != nil {
		return err
	}
	// The request stays: a repeated poll replays the completion by its
	// request ID.
	writeJSON(w, http.StatusOK, RemoteSignatureResponse{Ticket: id, Status: "signed", Result: res})
	return nil
}
