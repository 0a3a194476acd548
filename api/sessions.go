package api

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"time"

	"chuyenhoa/cycle"
)

// SignInRequest is the body of POST /api/session.
type SignInRequest struct {
	Account  string `json:"account"`
	Password string `json:"password"`
	// EndOthers ends the account's other sessions once this one is open.
	EndOthers bool `json:"end_others,omitempty"`
}

// SessionResponse is a new session's token and whose it is.
type SessionResponse struct {
	Token     string        `json:"token"`
	ExpiresAt time.Time     `json:"expires_at"`
	Account   cycle.Account `json:"account"`
}

func (s *sessionHandlers) apiSignIn(w http.ResponseWriter, r *http.Request) {
	var req SignInRequest
	err := s.decodeJSON(w, r, &req, false)
	var p *principal
	if err == nil {
		p, err = s.signIn(r.Context(), r, req.Account, req.Password)
	}
	if err == nil && req.EndOthers {
		err = s.cfg.Store.EndOtherSessions(r.Context(), p.Account.ID, p.tokenHash)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, SessionResponse{Token: p.token, ExpiresAt: p.expires, Account: p.Account})
}

func (s *sessionHandlers) apiSignOut(w http.ResponseWriter, r *http.Request, p *principal) error {
	if err := s.signOut(r.Context(), r, p); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *sessionHandlers) apiMe(w http.ResponseWriter, r *http.Request, p *principal) error {
	writeJSON(w, http.StatusOK, struct {
		Account   cycle.Account `json:"account"`
		ExpiresAt time.Time     `json:"expires_at"`
	}{p.Account, p.expires})
	return nil
}

type signInData struct {
	Account string
	Next    string
}

// safeNext keeps a post-sign-in redirect on this site: a path, never
// "//host" or "/\host", and no control character (browsers drop tabs and
// newlines, so "/\t/host" is "//host" to them).
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.Contains(next, `\`) ||
		strings.ContainsFunc(next, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return "/inbox"
	}
	return next
}

func (s *sessionHandlers) webSignInForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "signin", pageData{Title: "Đăng nhập", Flash: flash(r), Data: signInData{Next: safeNext(r.URL.Query().Get("next"))}})
}

func (s *sessionHandlers) webSignIn(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := parseForm(r, 64<<10); err != nil {
		s.renderError(w, r, nil, err)
		return
	}
	d := signInData{Account: r.PostFormValue("account"), Next: safeNext(r.PostFormValue("next"))}
	if !fromThisSite(r) {
		_, _ = s.cfg.Store.AppendAudit(r.Context(), cycle.AuditRecord{ActorID: clip(orEmpty(d.Account), 64), Action: "sign_in_failed", Outcome: cycle.EFORBIDDEN,
			Remote: remoteAddr(r), Detail: "cross-site sign-in refused (Origin " + clip(r.Header.Get("Origin"), 200) + ")", At: s.cfg.Now()})
		s.render(w, r, http.StatusForbidden, "signin", pageData{Title: "Đăng nhập", Error: cycle.Fail(cycle.EFORBIDDEN, "api.cross_site"), Data: d})
		return
	}
	p, err := s.signIn(r.Context(), r, d.Account, r.PostFormValue("password"))
	if err == nil && r.PostFormValue("end_others") == "on" {
		err = s.cfg.Store.EndOtherSessions(r.Context(), p.Account.ID, p.tokenHash)
	}
	if err != nil {
		ce := asError(err)
		switch ce.Code {
		case EUNAUTHORIZED:
			ce = cycle.Fail(EUNAUTHORIZED, "api.sign_in_wrong")
		case ETHROTTLED:
			ce = cycle.Fail(ETHROTTLED, "api.throttled_web")
			setRetryAfter(w, err)
		}
		s.render(w, r, statusOf(ce.Code), "signin", pageData{Title: "Đăng nhập", Error: ce, Data: d})
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: p.token, Path: "/", Expires: p.expires,
		HttpOnly: true, Secure: s.cfg.SecureCookies || r.TLS != nil, SameSite: http.SameSiteStrictMode,
	})
	http.Redirect(w, r, d.Next, http.StatusSeeOther)
}

// fromThisSite reports whether a sign-in form was posted from this site: a
// browser's Origin (or, without one, its Referer) names this host, and
// Sec-Fetch-Site does not say cross-site. A client that sends neither
// (not a browser) is not refused.
func fromThisSite(r *http.Request) bool {
	if r.Header.Get("Sec-Fetch-Site") == "cross-site" {
		return false
	}
	from := r.Header.Get("Origin")
	if from == "" || from == "null" {
		if from == "null" {
			return false
		}
		from = r.Header.Get("Referer")
	}
	if from == "" {
		return true
	}
	u, err := url.Parse(from)
	return err == nil && u.Host == r.Host
}

func (s *sessionHandlers) webSignOut(w http.ResponseWriter, r *http.Request, p *principal) error {
	if err := s.signOut(r.Context(), r, p); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
	return nil
}

// signIn checks an account's password and opens a session; every attempt
// is audited. The token is returned once, here.
func (s *sessionHandlers) signIn(ctx context.Context, r *http.Request, id, password string) (*principal, error) {
	id = strings.TrimSpace(id)
	remote := remoteAddr(r)
	now := s.cfg.Now()
	for _, k := range []struct {
		key   string
		limit int
	}{{"account:" + id, maxAccountFailures}, {"remote:" + remote, maxRemoteFailures}} {
		if blocked, wait := s.throttle.blocked(k.key, k.limit, now); blocked {
			if _, err := s.cfg.Store.AppendAudit(ctx, cycle.AuditRecord{ActorID: clip(orEmpty(id), 64), Action: "sign_in_failed", Outcome: ETHROTTLED, Remote: remote, Detail: "too many failed sign-ins (" + k.key + ")"}); err != nil {
				return nil, err
			}
			return nil, throttled{cycle.Fail(ETHROTTLED, "api.throttled", int(wait/time.Minute)+1), wait}
		}
	}
	var a cycle.Account
	var hash []byte
	var err error = cycle.Fail(cycle.ENOTFOUND, "api.no_account")
	if accountID.MatchString(id) {
		a, hash, err = s.cfg.Store.AccountCredentials(ctx, id)
	}
	switch {
	case cycle.ErrorCode(err) == cycle.ENOTFOUND:
		hash = dummyHash
	case err != nil:
		return nil, err
	}
	ok, cerr := checkPassword(ctx, hash, password)
	if cerr != nil {
		return nil, cerr
	}
	fail := func(why string) (*principal, error) {
		s.throttle.fail("account:"+id, now)
		s.throttle.fail("remote:"+remote, now)
		if _, aerr := s.cfg.Store.AppendAudit(ctx, cycle.AuditRecord{ActorID: clip(orEmpty(id), 64), Action: "sign_in_failed", Outcome: EUNAUTHORIZED, Remote: remote, Detail: why}); aerr != nil {
			return nil, aerr
		}
		return nil, errSignIn()
	}
	if err != nil {
		return fail("no such account")
	}
	if !ok {
		return fail("wrong password")
	}
	if a.Disabled {
		return fail("account disabled")
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, err
	}
	p := &principal{Account: a, token: base64.RawURLEncoding.EncodeToString(b[:])}
	p.tokenHash = hashToken(p.token)
	p.expires = now.Add(s.cfg.SessionTTL)
	if err := s.cfg.Store.CreateSession(ctx, p.tokenHash, a.ID, now, p.expires, remote); err != nil {
		return nil, err
	}
	if err := s.audit(ctx, r, p, "sign_in", "", "", "ok", "session until "+p.expires.In(cycle.Vietnam).Format("02/01/2006 15:04")); err != nil {
		return nil, err
	}
	return p, nil
}

// signOut ends the principal's session, audited.
func (s *sessionHandlers) signOut(ctx context.Context, r *http.Request, p *principal) error {
	if err := s.cfg.Store.DeleteSession(ctx, p.tokenHash); err != nil {
		return err
	}
	return s.audit(ctx, r, p, "sign_out", "", "", "ok", "")
}
