// Package agent is the reference signing agent: a small HTTP service on
// the officer's own computer that signs, with the officer's key (a
// PKCS#12 file or a PKCS#11 token: package pkcs11key), the digest the
// product's signing page hands it, after the officer approves. It is what
// the local signing services of Vietnamese e-office systems do, reduced
// to one documented protocol; `starter sign-agent` wraps Run.
//
// # Protocol (version 1)
//
// The agent listens on the loopback interface only (default
// 127.0.0.1:47251). The signing page, served by the product at an origin
// the agent is configured to trust, calls it from the browser:
//
//	GET  /v1/health       → {"version":"1","signer":"CN=…","not_after":"…"}
//	GET  /v1/certificate  → {"certificate_b64":"…","chain_b64":["…"],"subject":"…","not_after":"…"}
//	POST /v1/sign         {"digest_b64":"…","hash_alg":"SHA-256","document_id":"05/QĐ-BCĐ","reason":"Ký ban hành …",
//	                       "certificate_sha256":"…(optional, hex)"}
//	                      → 200 {"cms_b64":"…","certificate_b64":"…"}
//	                      → 4xx {"error":"denied|bad_request|wrong_certificate|forbidden_origin","message":"…"}
//
// digest_b64 is the SHA-256 of the PDF's byte ranges (signing.Prepared's
// Digest, the CMS message digest); cms_b64 is a detached CMS SignedData,
// PAdES B-B (signing.BuildCMS), over it. The agent asks the officer
// (Config.Approve) before every signature, showing the document and the
// reason. Browsers send a CORS preflight for the JSON POST: the agent
// answers it, and every request, only for the configured origins (and
// grants Chrome's Private Network Access to them); requests with
// another Origin, or none, or a Host that is not the loopback address
// (DNS rebinding), are refused.
//
// The signing page in JavaScript:
//
//	const req = await (await fetch(`/api/signing/${ticket}`)).json();   // the product: {digest_b64, …}
//	const res = await fetch("http://127.0.0.1:47251/v1/sign", {method: "POST",
//	    headers: {"Content-Type": "application/json"}, body: JSON.stringify(req)});
//	const out = await res.json();                                        // {cms_b64, certificate_b64} or {error, message}
//	await fetch(`/api/signing/${ticket}`, {method: "POST", body: JSON.stringify(out)});
package agent

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"chuyenhoa/signing"
)

// DefaultAddr is where the agent listens unless told otherwise.
const DefaultAddr = "127.0.0.1:47251"

// Protocol paths.
const (
	HealthPath      = "/v1/health"
	CertificatePath = "/v1/certificate"
	SignPath        = "/v1/sign"
)

// SignRequest is the body of POST /v1/sign.
type SignRequest struct {
	DigestB64         string `json:"digest_b64"`
	HashAlg           string `json:"hash_alg"`
	DocumentID        string `json:"document_id"`
	Reason            string `json:"reason,omitempty"`
	CertificateSHA256 string `json:"certificate_sha256,omitempty"`
}

// SignResponse is the answer of POST /v1/sign.
type SignResponse struct {
	CMSB64         string `json:"cms_b64"`
	CertificateB64 string `json:"certificate_b64"`
}

// CertificateResponse is the answer of GET /v1/certificate.
type CertificateResponse struct {
	CertificateB64 string    `json:"certificate_b64"`
	ChainB64       []string  `json:"chain_b64,omitempty"`
	Subject        string    `json:"subject"`
	NotAfter       time.Time `json:"not_after"`
}

// ErrorResponse is the body of every refusal.
type ErrorResponse struct {
	Error   string `json:"error"`
	Message string `json:"message"`
}

// ErrDenied is what an Approve function returns when the officer says no.
var ErrDenied = errors.New("the officer declined to sign")

// Config configures an agent.
type Config struct {
	// Addr is the listening address (default DefaultAddr); Run refuses
	// anything but a loopback address.
	Addr string
	// Origins are the origins of the product's signing page, e.g.
	// "https://vanban.quangngai.gov.vn" (scheme, host and port, exactly).
	Origins []string
	// Key is the officer's key and certificate.
	Key *signing.Identity
	// Approve asks the officer whether to sign; nil error signs, an error
	// wrapping ErrDenied declines. Required (TerminalApprover, or a
	// dialogue of the desktop's).
	Approve func(ctx context.Context, r SignRequest) error
	// TSA, when set, time-stamps each signature here; usually the
	// product does it on arrival (signing.Complete) instead.
	TSA signing.Timestamper
	// Log receives one line per request (default: discarded).
	Log *slog.Logger
}

// Agent is the signing agent's HTTP handler.
type Agent struct {
	cfg     Config
	origins map[string]bool
	mu      sync.Mutex // one signature at a time: a token has one session
}

var _ http.Handler = (*Agent)(nil)

// New checks the configuration and returns the handler.
func New(cfg Config) (*Agent, error) {
	if cfg.Key == nil || cfg.Key.Key == nil || cfg.Key.Cert == nil {
		return nil, errors.New("agent: no key and certificate")
	}
	if cfg.Approve == nil {
		return nil, errors.New("agent: no way to ask the officer for approval (Config.Approve)")
	}
	if len(cfg.Origins) == 0 {
		return nil, errors.New("agent: no allowed origin: give the product's address (e.g. https://vanban.example.gov.vn)")
	}
	a := &Agent{cfg: cfg, origins: map[string]bool{}}
	for _, o := range cfg.Origins {
		a.origins[strings.TrimRight(o, "/")] = true
	}
	if a.cfg.Log == nil {
		a.cfg.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return a, nil
}

// Run serves the agent on cfg.Addr until ctx is done.
func Run(ctx context.Context, cfg Config) error {
	addr := cfg.Addr
	if addr == "" {
		addr = DefaultAddr
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("agent: address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("agent: %s is not a loopback address: the agent serves only this computer", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("agent: %w", err)
	}
	return Serve(ctx, ln, cfg)
}

// Serve serves the agent on ln, a loopback listener, until ctx is done;
// it closes ln. Run listens on cfg.Addr; a program that runs the agent
// in-process on a port of its choosing (the demo's simulated signer)
// listens on 127.0.0.1:0 and serves here.
func Serve(ctx context.Context, ln net.Listener, cfg Config) error {
	a, err := New(cfg)
	if err != nil {
		ln.Close()
		return err
	}
	if tcp, ok := ln.Addr().(*net.TCPAddr); !ok || !tcp.IP.IsLoopback() {
		ln.Close()
		return fmt.Errorf("agent: %s is not a loopback address: the agent serves only this computer", ln.Addr())
	}
	srv := &http.Server{Handler: a, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shut)
	}()
	a.cfg.Log.Info("signing agent listening", "addr", ln.Addr().String(), "signer", cfg.Key.Cert.Subject.String(), "origins", cfg.Origins)
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func (a *Agent) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !loopbackHost(r.Host) {
		a.fail(w, http.StatusForbidden, "forbidden_host", "the agent answers only requests to the loopback address")
		return
	}
	origin := r.Header.Get("Origin")
	if !a.origins[origin] {
		a.fail(w, http.StatusForbidden, "forbidden_origin", fmt.Sprintf("origin %q may not use this signing agent", origin))
		return
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", origin)
	h.Set("Vary", "Origin")
	if r.Method == http.MethodOptions {
		h.Set("Access-Control-Allow-Methods", "GET, POST")
		h.Set("Access-Control-Allow-Headers", "Content-Type")
		h.Set("Access-Control-Max-Age", "600")
		if r.Header.Get("Access-Control-Request-Private-Network") == "true" {
			h.Set("Access-Control-Allow-Private-Network", "true")
		}
		w.WriteHeader(http.StatusNoContent)
		return
	}
	id := a.cfg.Key
	switch {
	case r.URL.Path == HealthPath && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, map[string]any{"version": "1", "signer": id.Cert.Subject.String(), "not_after": id.Cert.NotAfter})
	case r.URL.Path == CertificatePath && r.Method == http.MethodGet:
		resp := CertificateResponse{CertificateB64: base64.StdEncoding.EncodeToString(id.Cert.Raw), Subject: id.Cert.Subject.String(), NotAfter: id.Cert.NotAfter}
		for _, c := range id.Chain {
			resp.ChainB64 = append(resp.ChainB64, base64.StdEncoding.EncodeToString(c.Raw))
		}
		writeJSON(w, http.StatusOK, resp)
	case r.URL.Path == SignPath && r.Method == http.MethodPost:
		a.sign(w, r)
	default:
		a.fail(w, http.StatusNotFound, "not_found", r.Method+" "+r.URL.Path+" is not part of the agent's protocol")
	}
}

func (a *Agent) sign(w http.ResponseWriter, r *http.Request) {
	var req SignRequest
	dec := json.NewDecoder(io.LimitReader(r.Body, 64<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		a.fail(w, http.StatusBadRequest, "bad_request", "the request is not the agent's JSON: "+err.Error())
		return
	}
	if req.HashAlg != "SHA-256" {
		a.fail(w, http.StatusBadRequest, "bad_request", fmt.Sprintf("hash_alg %q: only SHA-256", req.HashAlg))
		return
	}
	digest, err := base64.StdEncoding.DecodeString(req.DigestB64)
	if err != nil || len(digest) != sha256.Size {
		a.fail(w, http.StatusBadRequest, "bad_request", "digest_b64 is not a base64 SHA-256 digest")
		return
	}
	id := a.cfg.Key
	if req.CertificateSHA256 != "" {
		sum := sha256.Sum256(id.Cert.Raw)
		if !strings.EqualFold(req.CertificateSHA256, hex.EncodeToString(sum[:])) {
			a.fail(w, http.StatusConflict, "wrong_certificate", "the document is to be signed with another certificate than this agent's ("+id.Cert.Subject.String()+")")
			return
		}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.cfg.Approve(r.Context(), req); err != nil {
		a.cfg.Log.Info("signature declined", "document", req.DocumentID, "err", err)
		a.fail(w, http.StatusForbidden, "denied", err.Error())
		return
	}
	cms, err := signing.BuildCMS(r.Context(), digest, id.Key, id.Cert, id.Chain, a.cfg.TSA)
	if err != nil {
		a.cfg.Log.Error("signing failed", "document", req.DocumentID, "err", err)
		a.fail(w, http.StatusInternalServerError, "internal", err.Error())
		return
	}
	a.cfg.Log.Info("signed", "document", req.DocumentID, "digest", hex.EncodeToString(digest))
	writeJSON(w, http.StatusOK, SignResponse{CMSB64: base64.StdEncoding.EncodeToString(cms), CertificateB64: base64.StdEncoding.EncodeToString(id.Cert.Raw)})
}

func (a *Agent) fail(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, ErrorResponse{Error: code, Message: msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// loopbackHost reports whether a Host header names the loopback
// interface (a page that rebinds its own name to 127.0.0.1 sends its
// name, and is refused).
func loopbackHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}
