package api

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"chuyenhoa/cycle"
	"chuyenhoa/postgres"
	"chuyenhoa/signing"
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
// reason) and the document.
type SignatureRequest struct {
	DigestB64  string    `json:"digest_b64"`
	HashAlg    string    `json:"hash_alg"`
	DocumentID string    `json:"document_id"`
	Reason     string    `json:"reason"`
	Digest     string    `json:"digest_hex"`
	Code       string    `json:"code"`
	Subject    string    `json:"subject"`
	Signer     string    `json:"signer"`
	PreparedAt time.Time `json:"prepared_at"`
	PDF        string    `json:"pdf"`    // the prepared PDF (API path)
	Remote     bool      `json:"remote"` // a remote-signing service is configured
}

// SignatureBody brings the head's CMS.
type SignatureBody struct {
	CMSB64  string `json:"cms_b64"`
	Comment string `json:"comment,omitempty"`
}

// pendingSignature is the head's task and the document waiting for its
// signature; the task must be visible to the account.
func (s *signingHandlers) pendingSignature(ctx context.Context, r *http.Request, p *principal) (cycle.Task, *issuing.PendingSignature, error) {
	t, open, err := s.findTask(ctx, r, p)
	if err != nil {
		return t, nil, err
	}
	none := cycle.Fail(cycle.ENOTFOUND, "api.no_external_signature", taskLabel(t))
	if (t.Kind != cycle.TaskSign && t.Kind != cycle.TaskSignRecognition) || !open {
		return t, nil, none
	}
	st, err := selection.Client{T: s.cfg.Temporal}.State(ctx, t.CycleID)
	if err != nil {
		return t, nil, err
	}
	pending, signed := st.HeadSignature, st.HeadSigned != nil
	if t.Kind == cycle.TaskSignRecognition {
		pending, signed = nil, false
		y, _ := (&taskCall{task: t}).year()
		for _, b := range batchesOf(st) {
			if b.Year == y {
				pending, signed = b.Head, b.HeadSigned != nil
			}
		}
	}
	if pending == nil || signed {
		return t, nil, none
	}
	return t, pending, nil
}

// batchesOf are a cycle's recognition batches, if its programme started.
func batchesOf(st selection.CycleState) []*transformation.RecognitionBatch {
	if st.Transformation == nil {
		return nil
	}
	return st.Transformation.Batches
}

// signersPending is pendingSignature for the account that signs it: the
// task must be one the account may complete.
func (s *signingHandlers) signersPending(ctx context.Context, r *http.Request, p *principal) (cycle.Task, *issuing.PendingSignature, error) {
	t, ps, err := s.pendingSignature(ctx, r, p)
	if err != nil {
		return t, nil, err
	}
	return t, ps, s.authorize(ctx, &taskCall{p: p, r: r, task: t, actor: p.Account.Actor()})
}

func signatureRequestOf(t cycle.Task, ps *issuing.PendingSignature, pdfPath string, remote bool) SignatureRequest {
	return SignatureRequest{DigestB64: base64.StdEncoding.EncodeToString(ps.Digest), HashAlg: "SHA-256", DocumentID: ps.Code,
		Reason: ps.Reason, Digest: hex.EncodeToString(ps.Digest), Code: ps.Code, Subject: ps.Rendered.Subject,
		Signer: ps.Issuer.SignerName, PreparedAt: ps.Time, PDF: pdfPath + addressOfTask(t).Path(), Remote: remote}
}

// apiSignature returns the digest the head's side signs.
func (s *signingHandlers) apiSignature(w http.ResponseWriter, r *http.Request, p *principal) error {
	t, ps, err := s.pendingSignature(r.Context(), r, p)
	if err != nil {
		return s.signingError(w, r, err)
	}
	prefix := "/api/signature-pdfs/"
	if r.Header.Get("Authorization") == "" {
		prefix = "/signing-pdf/"
	}
	writeJSON(w, http.StatusOK, signatureRequestOf(t, ps, prefix, s.cfg.RemoteSigner != nil))
	return nil
}

// signaturePDF serves the prepared document.
func (s *signingHandlers) signaturePDF(w http.ResponseWriter, r *http.Request, p *principal) error {
	_, ps, err := s.pendingSignature(r.Context(), r, p)
	if err != nil {
		return err
	}
	pdf, err := s.cfg.Store.Blob(r.Context(), ps.SHA256)
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

// submitSignature sends the head's CMS to the workflow as the sign
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
	if c.task.Kind != cycle.TaskSign && c.task.Kind != cycle.TaskSignRecognition {
		return nil, cycle.Fail(cycle.ENOTFOUND, "api.no_external_signature", taskLabel(c.task))
	}
	cms, err := base64.StdEncoding.DecodeString(body.CMSB64)
	if err != nil || len(cms) == 0 {
		return nil, s.refuse(ctx, c, cycle.Fail(EBADREQUEST, "api.cms_b64"))
	}
	if c.task.Kind == cycle.TaskSignRecognition {
		y, err := c.year()
		if err != nil {
			return nil, s.refuse(ctx, c, err)
		}
		return s.complete(ctx, c, taskKinds[cycle.TaskSignRecognition], transformation.YearRequest{Request: c.request(), Year: y, CMS: cms})
	}
	arg := selection.SignRequest{Request: c.request(), Comment: cycle.Clean(body.Comment), CMS: cms}
	return s.complete(ctx, c, taskKinds[cycle.TaskSign], arg)
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
		Address: addressOfTask(t).Path(), Agent: agent, RequestID: newRequestID(), Remote: s.cfg.RemoteSigner != nil}
	s.render(w, r, http.StatusOK, "signing", pageData{Title: "Ký số văn bản " + ps.Code, Account: p, Data: d})
	return nil
}

// webSubmitSignature takes the CMS the signing page got from the agent
// (a form post with the CSRF token) and answers JSON for the page.
func (s *signingHandlers) webSubmitSignature(w http.ResponseWriter, r *http.Request, p *principal) error {
	key := r.PostFormValue("request_id")
	if !idempotencyKey.MatchString(key) {
		key = newRequestID()
	}
	res, err := s.submitSignature(r.Context(), r, p, key, SignatureBody{CMSB64: r.PostFormValue("cms_b64"), Comment: r.PostFormValue("comment")})
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
	tk, err := s.cfg.RemoteSigner.Request(r.Context(), signing.SignRequest{DocumentID: ps.Code, Digest: ps.Digest, Signer: p.Account.ID, Reason: ps.Reason})
	if err != nil {
		return err
	}
	state, err := json.Marshal(tk)
	if err != nil {
		return err
	}
	if err := s.remotes.SaveRemoteSignature(r.Context(), cycle.RemoteSignature{ID: tk.ID, Account: p.Account.ID, CycleID: t.CycleID, TaskID: t.ID, Ticket: state, Expires: tk.Expires}); err != nil {
		return err
	}
	_ = s.audit(r.Context(), r, p, "remote_signature", (&taskCall{task: t}).object(), tk.ID, "ok", "Gửi yêu cầu ký số từ xa văn bản "+ps.Code)
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
	var tk signing.Ticket
	if err := json.Unmarshal(rs.Ticket, &tk); err != nil {
		return fmt.Errorf("remote-signing request %s: %w", id, err)
	}
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
	key := "remote-" + id
	if !idempotencyKey.MatchString(key) {
		key = "remote-" + hex.EncodeToString([]byte(id))[:40]
	}
	res, err := s.submitSignature(r.Context(), r, p, key, SignatureBody{CMSB64: base64.StdEncoding.EncodeToString(cms)})
	if err != nil {
		return err
	}
	// The request stays: a repeated poll replays the completion by its
	// request ID.
	writeJSON(w, http.StatusOK, RemoteSignatureResponse{Ticket: id, Status: "signed", Result: res})
	return nil
}
