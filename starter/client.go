package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"time"

	"chuyenhoa/api"
	"chuyenhoa/cycle"
)

// The officers' side of starter is a client of the HTTP API: `starter
// login` keeps the session's token in the user's configuration directory
// (mode 0600), and every officer command sends its request as that
// account. Nothing an officer does goes to Temporal or the database
// directly: the API checks the role and the unit, and writes the audit
// trail.

// defaultServer is the API's address when neither --server nor
// CHUYENHOA_SERVER names one.
const defaultServer = "http://127.0.0.1:8080"

// Error codes of the client itself, besides the API's.
const (
	eUsage   = "usage"           // bad flags or arguments: exit 2
	eSession = "session"         // no session, or a session file that cannot be trusted: exit 1
	eNetwork = "network"         // the server did not answer: exit 1
	eTimeout = api.ETIMEOUT      // no answer in time: retry with the same request ID
	eUnauth  = api.EUNAUTHORIZED // the session ended
)

// session is what `starter login` keeps: the server, the token and whose
// it is.
type session struct {
	Server     string        `json:"server"`
	Token      string        `json:"token"`
	ExpiresAt  time.Time     `json:"expires_at"`
	Account    cycle.Account `json:"account"`
	SignedInAt time.Time     `json:"signed_in_at"`
}

// sessionFile is where the session is kept: the user's configuration
// directory (os.UserConfigDir: $XDG_CONFIG_HOME or ~/.config on Linux,
// ~/Library/Application Support on macOS, %AppData% on Windows).
func (x *cli) sessionFile() (string, error) {
	dir := x.configDir
	if dir == "" {
		d, err := os.UserConfigDir()
		if err != nil {
			return "", cycle.Fail(eSession, "cli.no_config_dir", err)
		}
		dir = d
	}
	return filepath.Join(dir, "chuyenhoa", "session.json"), nil
}

// loadSession reads the session file, refusing one that others could read.
func (x *cli) loadSession() (*session, error) {
	path, err := x.sessionFile()
	if err != nil {
		return nil, err
	}
	fi, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, cycle.Fail(eSession, "cli.not_signed_in")
	}
	if err != nil {
		return nil, err
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0 {
		return nil, cycle.Fail(eSession, "cli.session_mode", path, fmt.Sprintf("%04o", fi.Mode().Perm()))
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var s session
	if err := json.Unmarshal(b, &s); err != nil || s.Token == "" || s.Server == "" {
		return nil, cycle.Fail(eSession, "cli.session_corrupt", path)
	}
	return &s, nil
}

// saveSession writes the session file with mode 0600 (its directory 0700),
// replacing any other atomically.
func (x *cli) saveSession(s *session) (string, error) {
	path, err := x.sessionFile()
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", err
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return "", err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".session-*.json")
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return "", err
	}
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return "", err
	}
	if err := tmp.Close(); err != nil {
		return "", err
	}
	return path, os.Rename(tmp.Name(), path)
}

func (x *cli) removeSession() error {
	path, err := x.sessionFile()
	if err != nil {
		return err
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

// normalServer checks and normalises a server's address.
func normalServer(s string) (string, error) {
	s = strings.TrimRight(strings.TrimSpace(s), "/")
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", cycle.Fail(eUsage, "cli.bad_server", s)
	}
	return s, nil
}

// signedIn is the session an officer command acts under; a --server (or
// CHUYENHOA_SERVER) naming another server than the session's is refused,
// so that nobody acts on a server he did not mean.
func (x *cli) signedIn() (*session, error) {
	if x.sess != nil {
		return x.sess, nil
	}
	s, err := x.loadSession()
	if err != nil {
		return nil, err
	}
	if x.server != "" {
		want, err := normalServer(x.server)
		if err != nil {
			return nil, err
		}
		if want != s.Server {
			return nil, cycle.Fail(eSession, "cli.other_server", s.Server, want)
		}
	}
	x.sess = s
	return s, nil
}

// apiError is an error response of the API.
type apiError struct {
	Status int
	Err    *cycle.Error
	Raw    []byte
}

func (e *apiError) Error() string { return e.Err.Error() }
func (e *apiError) Unwrap() error { return e.Err }

// request is one call of the API.
type request struct {
	method, path string
	query        url.Values
	body         []byte
	contentType  string
	key          string // Idempotency-Key
	anonymous    bool   // sent without the session (sign-in)
}

// jsonRequest is a request with v as its JSON body.
func jsonRequest(method, path string, v any) request {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // our own bodies always marshal
	}
	return request{method: method, path: path, body: b, contentType: "application/json"}
}

// fileRequest is a request whose body is a file, as a multipart form with
// one "file" part (its name and media type kept).
func fileRequest(method, path, name string, data []byte) request {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	h := make(map[string][]string)
	h["Content-Disposition"] = []string{mime.FormatMediaType("form-data", map[string]string{"name": "file", "filename": filepath.Base(name)})}
	h["Content-Type"] = []string{mediaTypeOf(name)}
	part, err := mw.CreatePart(h)
	if err == nil {
		_, _ = part.Write(data)
	}
	_ = mw.Close()
	return request{method: method, path: path, body: buf.Bytes(), contentType: mw.FormDataContentType()}
}

// mediaTypeOf is a file's media type by its extension.
func mediaTypeOf(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".json":
		return "application/json"
	case ".csv":
		return "text/csv"
	case ".xlsx":
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case ".docx":
		return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	case ".pdf":
		return "application/pdf"
	case ".png":
		return "image/png"
	case ".jpg", ".jpeg":
		return "image/jpeg"
	}
	return "application/octet-stream"
}

// httpClient is the client's HTTP client: a completion waits for the
// workflow (the API's own limit is a minute), so the limit is generous.
var httpClient = &http.Client{Timeout: 3 * time.Minute}

// call sends a request as the signed-in account (or anonymously) and
// returns the response's body; an error response is an *apiError. out, if
// not nil, receives the decoded JSON body.
func (x *cli) call(ctx context.Context, r request, out any) ([]byte, error) {
	server := x.server
	token := ""
	if !r.anonymous {
		s, err := x.signedIn()
		if err != nil {
			return nil, err
		}
		server, token = s.Server, s.Token
	}
	server, err := normalServer(server)
	if err != nil {
		return nil, err
	}
	u := server + r.path
	if len(r.query) > 0 {
		u += "?" + r.query.Encode()
	}
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, u, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "chuyenhoa-starter")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if r.contentType != "" {
		req.Header.Set("Content-Type", r.contentType)
	}
	if r.key != "" {
		req.Header.Set("Idempotency-Key", r.key)
	}
	resp, err := x.http.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) && ue.Timeout() || errors.Is(err, context.DeadlineExceeded) {
			if r.key != "" {
				return nil, cycle.Fail(eTimeout, "cli.timeout_key", r.key)
			}
			return nil, cycle.Fail(eTimeout, "cli.timeout")
		}
		return nil, cycle.Fail(eNetwork, "cli.network", server, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 256<<20))
	if err != nil {
		return nil, cycle.Fail(eNetwork, "cli.network", server, err)
	}
	if resp.StatusCode >= 400 {
		var eb api.ErrorBody
		if json.Unmarshal(b, &eb) != nil || eb.Error == nil {
			eb.Error = cycle.Fail(cycle.EINTERNAL, "cli.http_status", resp.Status, clipText(string(b), 200))
		}
		return b, &apiError{Status: resp.StatusCode, Err: eb.Error, Raw: b}
	}
	if out != nil && len(bytes.TrimSpace(b)) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			return b, cycle.Fail(cycle.EINTERNAL, "cli.bad_response", r.method, r.path, err)
		}
	}
	return b, nil
}

// download fetches a file (a PDF, a template, an attachment) and the name
// the server gives it.
func (x *cli) download(ctx context.Context, path string, query url.Values) ([]byte, string, error) {
	s, err := x.signedIn()
	if err != nil {
		return nil, "", err
	}
	u := s.Server + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, "GET", u, nil)
	if err != nil {
		return nil, "", err
	}
	req.Header.Set("Authorization", "Bearer "+s.Token)
	resp, err := x.http.Do(req)
	if err != nil {
		return nil, "", cycle.Fail(eNetwork, "cli.network", s.Server, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 256<<20))
	if err != nil {
		return nil, "", cycle.Fail(eNetwork, "cli.network", s.Server, err)
	}
	if resp.StatusCode >= 400 {
		var eb api.ErrorBody
		if json.Unmarshal(b, &eb) != nil || eb.Error == nil {
			eb.Error = cycle.Fail(cycle.EINTERNAL, "cli.http_status", resp.Status, clipText(string(b), 200))
		}
		return nil, "", &apiError{Status: resp.StatusCode, Err: eb.Error, Raw: b}
	}
	name := ""
	if _, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition")); err == nil {
		name = filepath.Base(params["filename"])
	}
	return b, name, nil
}

func clipText(s string, n int) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n]) + "…"
}

// requestKey is the Idempotency-Key a request is sent under: the one the
// officer gives (--request-id, to retry a request whose answer was lost),
// or a new random one, which is printed so that it can be given.
var requestKeyPattern = regexp.MustCompile(`^[A-Za-z0-9._:-]{8,100}$`)

func (x *cli) requestKey(given string) (string, error) {
	if given != "" {
		if !requestKeyPattern.MatchString(given) {
			return "", cycle.Fail(eUsage, "cli.bad_request_id", given)
		}
		return given, nil
	}
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return "cli-" + hex.EncodeToString(b[:]), nil
}

// escapePath escapes each segment of a task address for a URL path.
func escapePath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	return strings.Join(parts, "/")
}
