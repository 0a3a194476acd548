package api

import (
	"context"
	"crypto/x509"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
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
}

// provinceName is a province's name ("tỉnh Quảng Ngãi"), or its code if
// the registry has none.
func (s *Server) provinceName(ctx context.Context, code string) string {
	if n, ok := s.provinces.Load(code); ok {
		return n.(string)
	}
	p, _, err := s.Store.Province(ctx, code)
	if err != nil || p.Name == "" {
		return code
	}
	s.provinces.Store(code, p.Name)
	return p.Name
}

// processName names a cycle or an award round for people: "Chuyển hóa
// năm 2027 — Quảng Ngãi", "Khen thưởng năm 2027 — Quảng Ngãi".
func (s *Server) processName(ctx context.Context, id string) string {
	parts := strings.Split(id, "/")
	if len(parts) != 3 {
		return id
	}
	if parts[0] == "awards" {
		return cycle.Say(cycle.Vietnamese, "api.process_awards", parts[2], s.provinceName(ctx, parts[1]))
	}
	return cycle.Say(cycle.Vietnamese, "api.process_cycle", parts[2], s.provinceName(ctx, parts[1]))
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

// today is the civil date in Vietnam now.
func (s *Server) today() cycle.Date { return cycle.DateOf(s.Now()) }

// TaskView is an open task as the inbox shows it.
type TaskView struct {
	cycle.Task
	Overdue  bool         `json:"overdue"`   // the due date has passed
	DaysLeft int          `json:"days_left"` // days until the due date (negative when overdue)
	Address  string       `json:"address"`   // the task's path under /api/tasks/ and /tasks/
	Process  string       `json:"process"`   // its cycle or award round, for people
	Claim    *cycle.Claim `json:"claim,omitempty"`
}

func (s *Server) taskViews(ctx context.Context, ts []cycle.Task) []TaskView {
	today := s.today()
	out := make([]TaskView, 0, len(ts))
	for _, t := range ts {
		v := TaskView{Task: t, Address: addressOfTask(t).Path(), Process: s.processName(ctx, t.CycleID)}
		if v.Title == "" {
			v.Title = t.Name()
		}
		if !t.Due.IsZero() {
			v.Overdue = t.Due.Before(today)
			v.DaysLeft = int(t.Due.Start().Sub(today.Start()).Round(24*time.Hour) / (24 * time.Hour))
		}
		out = append(out, v)
	}
	return out
}
