package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"go.temporal.io/api/serviceerror"

	"chuyenhoa/cycle"
	"chuyenhoa/intake"
	"chuyenhoa/workflows/flow"
)

// Error codes of the HTTP edge, besides the domain's (cycle.EINVALID, …).
const (
	EBADREQUEST   = "bad_request"            // malformed body, header or path
	EUNAUTHORIZED = "unauthorized"           // not signed in, or the session expired
	ETOOLARGE     = intake.ETooLarge         // body or upload over the limit
	EUNSUPPORTED  = "unsupported_media_type" // a body type the route does not take
	ETIMEOUT      = "timeout"                // the workflow did not answer in time; retry with the same key
	EBUSY         = "busy"                   // too many sign-ins waiting for a password check; retry shortly
	ETHROTTLED    = "throttled"              // too many failed sign-ins; wait
)

// statusOf maps an error code to its HTTP status, once for the API and the
// web pages.
func statusOf(code string) int {
	switch code {
	case cycle.EINVALID:
		return http.StatusUnprocessableEntity
	case cycle.EFORBIDDEN:
		return http.StatusForbidden
	case cycle.ECONFLICT:
		return http.StatusConflict
	case cycle.ENOTFOUND:
		return http.StatusNotFound
	case EBADREQUEST:
		return http.StatusBadRequest
	case EUNAUTHORIZED:
		return http.StatusUnauthorized
	case ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	case EUNSUPPORTED:
		return http.StatusUnsupportedMediaType
	case ETIMEOUT:
		return http.StatusGatewayTimeout
	case ETHROTTLED:
		return http.StatusTooManyRequests
	case EBUSY:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

func errBadRequest(format string, args ...any) error {
	return cycle.Errorf(EBADREQUEST, format, args...)
}

// asError turns any error into the *cycle.Error a client is shown: the
// domain's errors as they are (also from a Temporal update), a body over
// its limit as too_large, a missing workflow as not_found, a timeout as
// timeout, and anything else as internal with a message that reveals
// nothing.
func asError(err error) *cycle.Error {
	if ce := flow.AsCycleError(err); ce != nil {
		return ce
	}
	var mb *http.MaxBytesError
	if errors.As(err, &mb) {
		return cycle.Fail(ETOOLARGE, "api.body_too_large", cycle.Int(mb.Limit))
	}
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		return cycle.Fail(cycle.ENOTFOUND, "api.no_workflow")
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return cycle.Fail(ETIMEOUT, "api.timeout")
	}
	return cycle.Fail(cycle.EINTERNAL, "api.internal")
}

// ErrorBody is the JSON body of every error response.
type ErrorBody struct {
	Error *cycle.Error `json:"error"`
}

// writeError writes err as a JSON error response, logging internal errors.
// The problems listed are bounded (cycle.MaxProblems and a summary).
func (s *deps) writeError(w http.ResponseWriter, r *http.Request, err error) {
	ce := *asError(err)
	ce.Problems = cycle.Bound(ce.Problems, cycle.MaxProblems)
	st := statusOf(ce.Code)
	if st == http.StatusInternalServerError {
		s.cfg.Logger.Error("request failed", "method", r.Method, "path", r.URL.Path, "error", err)
	}
	setRetryAfter(w, err)
	if st == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="chuyenhoa"`)
	}
	writeJSON(w, st, ErrorBody{Error: &ce})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

// clip shortens a text for the audit trail.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + fmt.Sprintf("… (%d more characters)", len(r)-n)
}

// throttled is a refused sign-in with how long to wait.
type throttled struct {
	err  *cycle.Error
	wait time.Duration
}

func (t throttled) Error() string { return t.err.Error() }
func (t throttled) Unwrap() error { return t.err }

// setRetryAfter says, on a 429 or a 503, when to try again.
func setRetryAfter(w http.ResponseWriter, err error) {
	var t throttled
	if errors.As(err, &t) {
		w.Header().Set("Retry-After", strconv.Itoa(int(t.wait.Round(time.Second)/time.Second)+1))
	}
	if asError(err).Code == EBUSY {
		w.Header().Set("Retry-After", "2")
	}
}
