package api

import (
	"crypto/x509"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"sync"
	"time"

	"chuyenhoa/cycle"
	"chuyenhoa/postgres"
	"chuyenhoa/signing"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/selection"
)

// Store is what the API reads and writes: the store's contracts (package
// cycle); package postgres implements them.
type Store = cycle.Store

var _ Store = (*postgres.DB)(nil)

// Temporal is what the API needs of the Temporal client: what every
// process's typed client needs (flow.Temporal).
type Temporal = flow.Temporal

// Defaults of the Server's limits.
const (
	DefaultSessionTTL    = 8 * time.Hour
	DefaultMaxBodyBytes  = 1 << 20                // JSON bodies
	DefaultMaxUpload     = cycle.MaxProposalBytes // proposal files
	DefaultUpdateTimeout = time.Minute
)

// Server serves the API and the web pages. Set the fields, then call
// Handler; the zero values of the limits take the defaults above.
type Server struct {
	Store    Store
	Temporal Temporal
	Logger   *slog.Logger
	Now      func() time.Time // default time.Now

	SessionTTL     time.Duration // how long a session lives after sign-in
	MaxBodyBytes   int64         // bound on JSON and form bodies (413 beyond)
	MaxUploadBytes int64         // bound on a proposal file (413 beyond)
	UpdateTimeout  time.Duration // how long a completion waits for the workflow
	SecureCookies  bool          // mark the session cookie Secure (behind TLS)
	// TrustRoots are the CA certificates the archive's verification trusts
	// (nil: chains are reported unchecked).
	TrustRoots   *x509.CertPool
	WebhookHosts []string // the province's SMS/chat gateway hosts: officers' webhooks must be on one
	// TimeScale runs the transformation years of the cycles started
	// here on a sped-up calendar (selection.YearlyCycleInput.TimeScale):
	// demonstrations and tests only; 0, the default, is real time.
	TimeScale float64
	// SigningAgent is the signing agent's base URL the signing page calls
	// on the officer's computer (default DefaultSigningAgent);
	// RemoteSigner, when set, is the remote-signing service the head may
	// sign through instead (signing_page.go).
	SigningAgent string
	RemoteSigner signing.ExternalSigner

	mux       *http.ServeMux
	throttle  throttle
	provinces sync.Map // province code → name, for people

	// The handlers by area, built by Handler over one deps.
	deps          *deps
	sessions      *sessionHandlers
	inbox         *inboxHandlers
	forms         *taskForms
	admin         *cycleAdmin
	accounts      *accountAdmin
	delegations   *delegationAdmin
	documents     *documentHandlers
	views         *cycleViews
	notifications *notificationHandlers
	letters       *letterHandlers
	signing       *signingHandlers
}

// Handler returns the HTTP handler of the API (under /api/) and the web
// pages (everything else).
func (s *Server) Handler() http.Handler {
	if s.Now == nil {
		s.Now = time.Now
	}
	if s.Logger == nil {
		s.Logger = slog.Default()
	}
	if s.SessionTTL <= 0 {
		s.SessionTTL = DefaultSessionTTL
	}
	if s.MaxBodyBytes <= 0 {
		s.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if s.MaxUploadBytes <= 0 {
		s.MaxUploadBytes = DefaultMaxUpload
	}
	if s.UpdateTimeout <= 0 {
		s.UpdateTimeout = DefaultUpdateTimeout
	}
	s.build()
	s.mux = http.NewServeMux()
	s.apiRoutes()
	s.webRoutes()
	s.signingRoutes()
	return s.accessLog(securityHeaders(s.mux, s.SecureCookies))
}

// statusWriter remembers the status of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// accessLog logs every request at Info level (the audit trail is the
// record that matters; this is for operators).
func (s *Server) accessLog(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		h.ServeHTTP(sw, r)
		s.Logger.Info("http", "method", r.Method, "path", r.URL.Path, "status", sw.status,
			"duration", time.Since(start).Round(time.Microsecond), "remote", remoteAddr(r))
	})
}

// securityHeaders sets headers every response should carry.
func securityHeaders(h http.Handler, hsts bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		if hsts {
			// Served behind TLS: browsers keep to HTTPS for a year.
			hd.Set("Strict-Transport-Security", "max-age=31536000")
		}
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("Content-Security-Policy", "default-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'")
		h.ServeHTTP(w, r)
	})
}

// remoteAddr is the client's address as the audit trail records it: the
// peer's IP. (Behind a reverse proxy this is the proxy; forwarding headers
// are not trusted, since any client can set them.)
func remoteAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

var provinceCode = regexp.MustCompile(`^[0-9A-Za-z-]{1,16}$`)

// cycleOf reads {province} and {year} from the path.
func cycleOf(r *http.Request) (province string, year int, id string, err error) {
	province = r.PathValue("province")
	if !provinceCode.MatchString(province) {
		return "", 0, "", cycle.Fail(EBADREQUEST, "api.province_code", province)
	}
	year, err = strconv.Atoi(r.PathValue("year"))
	if err != nil || year < 2000 || year > 2100 {
		return "", 0, "", cycle.Fail(EBADREQUEST, "api.year", r.PathValue("year"))
	}
	return province, year, selection.WorkflowID(province, year), nil
}
