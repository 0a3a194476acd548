package api

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"regexp"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/bcrypt"

	"chuyenhoa/cycle"
)

// PasswordCost is the bcrypt cost of new password hashes (2^cost rounds;
// about 50–80 ms per hash at 10 on the machines here). A hash keeps its own
// cost, so raising this does not invalidate existing passwords.
var PasswordCost = bcrypt.DefaultCost

// MinPasswordLength is the shortest password an account may have.
const MinPasswordLength = 10

// HashPassword returns the bcrypt hash of a password for the store. It
// refuses (EINVALID) a password shorter than MinPasswordLength or longer
// than bcrypt takes (72 bytes).
func HashPassword(password string) ([]byte, error) {
	if len([]rune(password)) < MinPasswordLength {
		return nil, cycle.Fail(cycle.EINVALID, "api.password_short", MinPasswordLength)
	}
	if len(password) > 72 {
		return nil, cycle.Fail(cycle.EINVALID, "api.password_long")
	}
	return bcrypt.GenerateFromPassword([]byte(password), PasswordCost)
}

// dummyHash is compared against when the account does not exist, so that
// a sign-in takes as long for an unknown name as for a wrong password.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("not a password of anyone"), bcrypt.DefaultCost)

// kdfSlots bounds the password checks running at once to the number of
// CPUs: a burst of sign-ins (each a deliberately slow bcrypt) then queues
// instead of starving every other request of CPU.
var kdfSlots = make(chan struct{}, runtime.GOMAXPROCS(0))

// MaxQueuedSignIns bounds the password checks waiting for a KDF slot;
// past it a sign-in is refused at once (503, Retry-After) rather than
// queued behind minutes of bcrypt.
var MaxQueuedSignIns = 64 * cap(kdfSlots)

// queuedSignIns counts the password checks waiting for a slot.
var queuedSignIns atomic.Int64

// checkPassword compares a password with a bcrypt hash, in a KDF slot.
func checkPassword(ctx context.Context, hash []byte, password string) (bool, error) {
	select {
	case kdfSlots <- struct{}{}:
	default:
		if queuedSignIns.Add(1) > int64(MaxQueuedSignIns) {
			queuedSignIns.Add(-1)
			signInsRefused.Add(1)
			return false, cycle.Fail(EBUSY, "api.busy")
		}
		select {
		case kdfSlots <- struct{}{}:
			queuedSignIns.Add(-1)
		case <-ctx.Done():
			queuedSignIns.Add(-1)
			return false, ctx.Err()
		}
	}
	defer func() { <-kdfSlots }()
	return bcrypt.CompareHashAndPassword(hash, []byte(password)) == nil, nil
}

// accountID is the shape of an account ID (as the accounts table checks
// it); anything else is not looked up.
var accountID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$`)

// errSignIn is the one answer to a failed sign-in, whatever failed. (A
// function: a package variable would be made before this package's init
// adds its messages to the catalogue, and say "[api.sign_in_wrong]".)
func errSignIn() error { return cycle.Fail(EUNAUTHORIZED, "api.sign_in_wrong") }

// sessionCookie is the web session's cookie name.
const sessionCookie = "chuyenhoa_session"

// principal is the signed-in officer of a request.
type principal struct {
	Account   cycle.Account
	token     string
	tokenHash []byte
	expires   time.Time
}

// csrf is the anti-forgery token of the session's web forms: derived from
// the session token, which a page of another site cannot read.
func (p *principal) csrf() string {
	sum := sha256.Sum256([]byte("csrf\x00" + p.token))
	return hex.EncodeToString(sum[:16])
}

func hashToken(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// session finds the live session of a token.
func (s *deps) session(ctx context.Context, token string) (*principal, error) {
	if token == "" || len(token) > 200 {
		return nil, cycle.Fail(EUNAUTHORIZED, "api.sign_in_first")
	}
	h := hashToken(token)
	ss, err := s.cfg.Store.SessionByToken(ctx, h, s.cfg.Now())
	if cycle.ErrorCode(err) == cycle.ENOTFOUND {
		return nil, cycle.Fail(EUNAUTHORIZED, "api.session_expired")
	}
	if err != nil {
		return nil, err
	}
	return &principal{Account: ss.Account, token: token, tokenHash: h, expires: ss.ExpiresAt}, nil
}

// bearer authenticates an API request by its bearer token.
func (s *deps) bearer(r *http.Request) (*principal, error) {
	h := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return nil, cycle.Fail(EUNAUTHORIZED, "api.bearer")
	}
	return s.session(r.Context(), strings.TrimSpace(token))
}

// cookie authenticates a web request by its session cookie.
func (s *deps) cookie(r *http.Request) (*principal, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil, cycle.Fail(EUNAUTHORIZED, "api.sign_in_first")
	}
	return s.session(r.Context(), c.Value)
}

// checkCSRF checks a web form's anti-forgery token.
func checkCSRF(p *principal, r *http.Request) error {
	if subtle.ConstantTimeCompare([]byte(r.PostFormValue("csrf")), []byte(p.csrf())) != 1 {
		return cycle.Fail(cycle.EFORBIDDEN, "api.csrf")
	}
	return nil
}

// audit appends a record about the principal's request (p may be nil for
// anonymous requests).
func (s *deps) audit(ctx context.Context, r *http.Request, p *principal, action, object, requestID, outcome, detail string) error {
	rec := cycle.AuditRecord{ActorID: "(anonymous)", Action: action, Object: object, Outcome: outcome, Remote: remoteAddr(r), RequestID: requestID, Detail: clip(detail, 2000), At: s.cfg.Now()}
	if p != nil {
		rec.ActorID, rec.ActorRole, rec.ActorDistrict = p.Account.ID, string(p.Account.Role), p.Account.District
	}
	_, err := s.cfg.Store.AppendAudit(ctx, rec)
	return err
}

func orEmpty(id string) string {
	if id == "" {
		return "(empty)"
	}
	return id
}

// signInsRefused counts the sign-ins refused because too many were queued.
var signInsRefused atomic.Int64

// SignInLoad is the password checks waiting for a slot now, and the
// sign-ins refused so far because the queue was full (for /metrics).
func SignInLoad() (queued, refused int64) { return queuedSignIns.Load(), signInsRefused.Load() }
