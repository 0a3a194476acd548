package api

import (
	"io/fs"
	"net/http"
	"strings"

	"chuyenhoa/cycle"
)

// The routes: the Server, the composition root, maps each method and path
// to the handler of its group (handlers.go), wrapped by authed (the API's
// bearer token) or page (the web's session cookie).

func (s *Server) apiRoutes() {
	m := s.mux
	m.HandleFunc("POST /api/session", s.sessions.apiSignIn)
	m.HandleFunc("DELETE /api/session", s.deps.authed(s.sessions.apiSignOut))
	m.HandleFunc("GET /api/me", s.deps.authed(s.sessions.apiMe))
	m.HandleFunc("GET /api/provinces/{province}", s.deps.authed(s.views.apiProvince))
	m.HandleFunc("GET /api/provinces/{province}/communes/{code}", s.deps.authed(s.views.apiCommune))
	m.HandleFunc("GET /api/cycles/{province}/{year}", s.deps.authed(s.views.apiCycle))
	m.HandleFunc("GET /api/cycles/{province}/{year}/selection", s.deps.authed(s.views.apiSelection))
	m.HandleFunc("GET /api/cycles/{province}/{year}/decisions", s.deps.authed(s.documents.apiDecisions))
	m.HandleFunc("GET /api/cycles/{province}/{year}/decisions/{kind}", s.deps.authed(s.documents.apiDecision))
	m.HandleFunc("GET /api/cycles/{province}/{year}/decisions/{kind}/pdf", s.deps.authed(s.documents.apiDecisionPDF))
	m.HandleFunc("GET /api/cycles/{province}/{year}/proposal-template", s.deps.authed(s.documents.apiTemplate))
	m.HandleFunc("GET /api/cycles/{province}/{year}/draft", s.deps.authed(s.documents.apiDraftPDF))
	s.taskRoutes()
	s.adminRoutes()
	s.accountRoutes()
	s.viewRoutes()
	s.documentRoutes()
	m.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		s.deps.writeError(w, r, cycle.Fail(cycle.ENOTFOUND, "api.no_route", r.Method, r.URL.Path))
	})
	m.HandleFunc("GET /api/openapi.yaml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
		_, _ = w.Write(openAPI)
	})
}

func (s *Server) webRoutes() {
	m := s.mux
	static, _ := fs.Sub(staticFS, "web/static")
	files := http.StripPrefix("/static/", http.FileServerFS(static))
	m.Handle("GET /static/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") { // no directory listings
			s.deps.renderError(w, r, nil, cycle.Fail(cycle.ENOTFOUND, "api.not_found", r.URL.Path))
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(w, r)
	}))
	m.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/inbox", http.StatusSeeOther)
	})
	m.HandleFunc("GET /signin", s.sessions.webSignInForm)
	m.HandleFunc("POST /signin", s.sessions.webSignIn)
	m.HandleFunc("POST /signout", s.deps.page(s.sessions.webSignOut))
	s.taskPages()
	s.adminPages()
	s.notificationRoutes()
	m.HandleFunc("GET /cycles/{province}/{year}", s.deps.page(s.views.webCycle))
	m.HandleFunc("GET /cycles/{province}/{year}/decisions/{kind}/pdf", s.deps.page(s.documents.servePDF))
	m.HandleFunc("GET /cycles/{province}/{year}/proposal-template", s.deps.page(s.documents.serveTemplate))
	m.HandleFunc("GET /cycles/{province}/{year}/draft.pdf", s.deps.page(s.documents.apiDraftPDF))
}

func (s *Server) taskRoutes() {
	m := s.mux
	const addr = "{scope}/{province}/{year}/{task...}"
	m.HandleFunc("GET /api/tasks", s.deps.authed(s.inbox.apiTasks))
	m.HandleFunc("GET /api/tasks/"+addr, s.deps.authed(s.inbox.apiTask))
	m.HandleFunc("POST /api/tasks/"+addr, s.deps.authed(s.forms.apiComplete))
	m.HandleFunc("GET /api/drafts/"+addr, s.deps.authed(s.forms.apiDraft))
	m.HandleFunc("PUT /api/drafts/"+addr, s.deps.authed(s.forms.apiSaveDraft))
	m.HandleFunc("DELETE /api/drafts/"+addr, s.deps.authed(s.forms.apiDeleteDraft))
	m.HandleFunc("POST /api/claims/"+addr, s.deps.authed(s.inbox.apiClaim))
	m.HandleFunc("DELETE /api/claims/"+addr, s.deps.authed(s.inbox.apiRelease))
	m.HandleFunc("POST /api/attachments/"+addr, s.deps.authed(s.forms.apiAttach))
	m.HandleFunc("GET /api/files/{sha}/"+addr, s.deps.authed(s.inbox.apiFile))
	m.HandleFunc("POST /api/previews/"+addr, s.deps.authed(s.forms.apiPreview))
}

func (s *Server) taskPages() {
	m := s.mux
	const addr = "{scope}/{province}/{year}/{task...}"
	m.HandleFunc("GET /inbox", s.deps.page(s.inbox.webInbox))
	m.HandleFunc("GET /tasks/"+addr, s.deps.page(s.forms.webTaskPage))
	m.HandleFunc("POST /tasks/"+addr, s.deps.page(s.forms.webTaskPage))
	m.HandleFunc("GET /files/{sha}/"+addr, s.deps.page(s.inbox.apiFile))
	m.HandleFunc("POST /previews/"+addr, s.deps.page(s.forms.webPreviewFragment))
}

func (s *Server) adminRoutes() {
	m := s.mux
	m.HandleFunc("GET /api/cycles", s.deps.authed(s.admin.apiCycles))
	m.HandleFunc("POST /api/cycles", s.deps.authed(s.admin.apiStartCycle))
	m.HandleFunc("GET /api/policies", s.deps.authed(s.admin.apiPolicies))
	m.HandleFunc("POST /api/cycles/{province}/{year}/close-proposals", s.deps.authed(s.admin.apiCloseProposals))
	m.HandleFunc("POST /api/awards", s.deps.authed(s.admin.apiStartRound))
	m.HandleFunc("GET /api/awards/{province}/{year}", s.deps.authed(s.admin.apiRound))
	m.HandleFunc("POST /api/awards/{province}/{year}/close-nominations", s.deps.authed(s.admin.apiCloseNominations))
}

func (s *Server) adminPages() {
	m := s.mux
	m.HandleFunc("GET /admin", s.deps.page(s.admin.webAdmin))
	m.HandleFunc("GET /admin/cycles/new", s.deps.page(s.admin.webNewCycle))
	m.HandleFunc("POST /admin/cycles", s.deps.page(s.admin.webStartCycle))
	m.HandleFunc("POST /admin/awards", s.deps.page(s.admin.webStartRound))
	m.HandleFunc("POST /cycles/{province}/{year}/close-proposals", s.deps.page(s.admin.webCloseProposals))
	m.HandleFunc("GET /awards/{province}/{year}", s.deps.page(s.admin.webRound))
	m.HandleFunc("POST /awards/{province}/{year}/close-nominations", s.deps.page(s.admin.webCloseNominations))
	m.HandleFunc("GET /provinces/{province}", s.deps.page(s.views.webProvince))
	m.HandleFunc("GET /archive", s.deps.page(s.documents.webArchive))
	m.HandleFunc("GET /admin/accounts", s.deps.page(s.accounts.webAccounts))
	m.HandleFunc("POST /admin/accounts", s.deps.page(s.accounts.webCreateAccount))
	m.HandleFunc("GET /admin/accounts/{id}", s.deps.page(s.accounts.webAccount))
	m.HandleFunc("POST /admin/accounts/{id}", s.deps.page(s.accounts.webAccountAction))
	m.HandleFunc("GET /delegations", s.deps.page(s.delegations.webDelegations))
	m.HandleFunc("POST /delegations", s.deps.page(s.delegations.webDelegationAction))
	m.HandleFunc("GET /me", s.deps.page(s.accounts.webMe))
	m.HandleFunc("POST /me", s.deps.page(s.accounts.webMe))
}

func (s *Server) accountRoutes() {
	m := s.mux
	m.HandleFunc("GET /api/accounts", s.deps.authed(s.accounts.apiAccounts))
	m.HandleFunc("POST /api/accounts", s.deps.authed(s.accounts.apiCreateAccount))
	m.HandleFunc("PUT /api/accounts/{id}", s.deps.authed(s.accounts.apiUpdateAccount))
	m.HandleFunc("POST /api/accounts/{id}/disabled", s.deps.authed(s.accounts.apiDisableAccount))
	m.HandleFunc("POST /api/accounts/{id}/password", s.deps.authed(s.accounts.apiResetPassword))
	m.HandleFunc("POST /api/me/password", s.deps.authed(s.accounts.apiChangePassword))
	m.HandleFunc("GET /api/delegations", s.deps.authed(s.delegations.apiDelegations))
	m.HandleFunc("POST /api/delegations", s.deps.authed(s.delegations.apiDelegate))
	m.HandleFunc("DELETE /api/delegations/{id}", s.deps.authed(s.delegations.apiRevokeDelegation))
}

func (s *Server) viewRoutes() {
	m := s.mux
	m.HandleFunc("GET /api/provinces/{province}/indicators", s.deps.authed(s.views.apiIndicators))
	m.HandleFunc("GET /api/provinces/{province}/standings", s.deps.authed(s.views.apiStandings))
	m.HandleFunc("GET /api/archive", s.deps.authed(s.documents.apiArchive))
}

// Each unit's inbox of issued documents: the documents addressed to it —
// the decisions and notices that name it ("Như Điều 3", "Ủy ban nhân dân
// các xã … có tên tại Thông báo", a letter's "Kính gửi") — as the issue
// pipeline recorded them (cycle.AddressStore), with their PDFs.
//
// documentRoutes registers the units' inboxes of issued documents
// (documented in openapi.yaml):
//
//	GET /api/documents/{province}?unit=CODE|role=ROLE  the inbox, JSON
//	GET /api/documents/{province}/pdf?id=ID            a document's PDF
//	GET /documents                                     the province's inbox page (a choice when several)
//	GET /documents/{province}[?unit=…|role=…]          the inbox page
//	GET /documents/{province}/pdf?id=ID                a document's PDF
//
// A district officer (or a commune's, in two tiers) sees the documents of
// his own unit only; the secretariat, the clerk, the signer and the
// administrator see any unit's (the secretariat's own by default), the
// council's members those addressed to the committee's members.
func (s *Server) documentRoutes() {
	m := s.mux
	m.HandleFunc("GET /api/documents/{province}", s.deps.authed(s.documents.apiDocuments))
	m.HandleFunc("GET /api/documents/{province}/pdf", s.deps.authed(s.documents.documentPDF))
	m.HandleFunc("GET /documents", s.deps.page(s.documents.webDocumentsProvince))
	m.HandleFunc("GET /documents/{province}", s.deps.page(s.documents.webDocuments))
	m.HandleFunc("GET /documents/{province}/pdf", s.deps.page(s.documents.documentPDF))
}

func (s *Server) notificationRoutes() {
	m := s.mux
	m.HandleFunc("GET /api/notifications", s.deps.authed(s.notifications.apiNotices))
	m.HandleFunc("POST /api/notifications/read", s.deps.authed(s.notifications.apiMarkRead))
	m.HandleFunc("GET /api/me/settings", s.deps.authed(s.notifications.apiSettings))
	m.HandleFunc("PUT /api/me/settings", s.deps.authed(s.notifications.apiSaveSettings))
	m.HandleFunc("GET /api/cycles/{province}/{year}/reminder-letters", s.deps.authed(s.letters.apiLetters))
	m.HandleFunc("POST /api/cycles/{province}/{year}/reminder-letters", s.deps.authed(s.letters.apiIssueLetter))
	m.HandleFunc("GET /api/cycles/{province}/{year}/reminder-letters/{letter}/pdf", s.deps.authed(s.letters.serveLetterPDF))

	m.HandleFunc("GET /notifications", s.deps.page(s.notifications.webNotices))
	m.HandleFunc("POST /notifications/read", s.deps.page(s.notifications.webMarkRead))
	m.HandleFunc("GET /settings", s.deps.page(s.notifications.webSettings))
	m.HandleFunc("POST /settings", s.deps.page(s.notifications.webSaveSettings))
	m.HandleFunc("GET /cycles/{province}/{year}/letters", s.deps.page(s.letters.webLetters))
	m.HandleFunc("POST /cycles/{province}/{year}/letters", s.deps.page(s.letters.webIssueLetter))
	m.HandleFunc("GET /cycles/{province}/{year}/letters/{letter}/pdf", s.deps.page(s.letters.serveLetterPDF))
}
