// Package remotetest is a test double of a remote-signing service that
// speaks package remote's protocol: credentials with their keys, a
// bearer token, and transactions that stay pending until the test
// approves, denies or expires them (the signer's phone), with optional
// callbacks.
package remotetest

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"chuyenhoa/signing"
	"chuyenhoa/signing/remote"
)

// Server is the double.
type Server struct {
	URL   string
	Token string

	mu    sync.Mutex
	creds map[string]*signing.Identity
	txs   map[string]*tx
	http  *httptest.Server
}

type tx struct {
	cred     string
	hash     []byte
	status   string
	sig      []byte
	callback string
	doc      string
}

// Start starts the double with the given credentials (ID → identity).
func Start(creds map[string]*signing.Identity) *Server {
	tok := make([]byte, 12)
	rand.Read(tok)
	s := &Server{Token: hex.EncodeToString(tok), creds: creds, txs: map[string]*tx{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /csc/v2/credentials/info", s.info)
	mux.HandleFunc("POST /v1/signatures/requests", s.submit)
	mux.HandleFunc("GET /v1/signatures/requests/{id}", s.status)
	s.http = httptest.NewServer(s.auth(mux))
	s.URL = s.http.URL
	return s
}

// Close stops the server.
func (s *Server) Close() { s.http.Close() }

func (s *Server) auth(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+s.Token {
			http.Error(w, `{"error":"invalid_token"}`, http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})
}

func (s *Server) info(w http.ResponseWriter, r *http.Request) {
	var req remote.InfoRequest
	if json.NewDecoder(r.Body).Decode(&req) != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	id, ok := s.creds[req.CredentialID]
	s.mu.Unlock()
	if !ok {
		http.Error(w, `{"error":"invalid_request","error_description":"unknown credentialID"}`, http.StatusBadRequest)
		return
	}
	var resp remote.InfoResponse
	resp.Cert.Status, resp.Key.Status = "valid", "enabled"
	resp.Cert.Certificates = append(resp.Cert.Certificates, base64.StdEncoding.EncodeToString(id.Cert.Raw))
	for _, c := range id.Chain {
		resp.Cert.Certificates = append(resp.Cert.Certificates, base64.StdEncoding.EncodeToString(c.Raw))
	}
	json.NewEncoder(w).Encode(resp)
}

func (s *Server) submit(w http.ResponseWriter, r *http.Request) {
	var req remote.SignRequest
	if json.NewDecoder(r.Body).Decode(&req) != nil || len(req.Hashes) != 1 || req.HashAlgorithmOID != remote.OIDSHA256 {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	h, err := base64.StdEncoding.DecodeString(req.Hashes[0])
	if err != nil || len(h) != 32 {
		http.Error(w, "bad hash", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.creds[req.CredentialID]; !ok {
		http.Error(w, "unknown credentialID", http.StatusBadRequest)
		return
	}
	idb := make([]byte, 8)
	rand.Read(idb)
	id := "tx-" + hex.EncodeToString(idb)
	s.txs[id] = &tx{cred: req.CredentialID, hash: h, status: remote.StatusPending, callback: req.CallbackURL, doc: req.DocumentID}
	w.WriteHeader(http.StatusAccepted)
	json.NewEncoder(w).Encode(remote.SignAccepted{TransactionID: id, ExpiresAt: time.Now().Add(5 * time.Minute)})
}

func (s *Server) status(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	t, ok := s.txs[r.PathValue("id")]
	var st remote.TransactionStatus
	if ok {
		st.Status = t.status
		if t.sig != nil {
			st.Signatures = []string{base64.StdEncoding.EncodeToString(t.sig)}
		}
	}
	s.mu.Unlock()
	if !ok {
		http.Error(w, "unknown transaction", http.StatusNotFound)
		return
	}
	json.NewEncoder(w).Encode(st)
}

// Pending lists the pending transactions (what the signer's phone shows).
func (s *Server) Pending() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for id, t := range s.txs {
		if t.status == remote.StatusPending {
			out = append(out, id)
		}
	}
	return out
}

// Approve signs the transaction's hash with the credential's key, as
// the signer's approval on their phone does.
func (s *Server) Approve(id string) error {
	s.mu.Lock()
	t, ok := s.txs[id]
	if !ok || t.status != remote.StatusPending {
		s.mu.Unlock()
		return fmt.Errorf("no pending transaction %s", id)
	}
	key := s.creds[t.cred].Key
	sig, err := key.Sign(rand.Reader, t.hash, crypto.SHA256)
	if err != nil {
		s.mu.Unlock()
		return err
	}
	t.sig, t.status = sig, remote.StatusApproved
	s.mu.Unlock()
	return s.notify(id, t)
}

// Tamper makes an approved transaction return another signature (a
// broken service), for tests of the connector's checks.
func (s *Server) Tamper(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t, ok := s.txs[id]; ok && t.sig != nil {
		t.sig = bytes.Clone(t.sig)
		t.sig[len(t.sig)-3] ^= 0x55
	}
}

// Deny and Expire end a transaction without a signature.
func (s *Server) Deny(id string) error   { return s.end(id, remote.StatusDenied) }
func (s *Server) Expire(id string) error { return s.end(id, remote.StatusExpired) }

func (s *Server) end(id, status string) error {
	s.mu.Lock()
	t, ok := s.txs[id]
	if !ok || t.status != remote.StatusPending {
		s.mu.Unlock()
		return fmt.Errorf("no pending transaction %s", id)
	}
	t.status = status
	s.mu.Unlock()
	return s.notify(id, t)
}

func (s *Server) notify(id string, t *tx) error {
	if t.callback == "" {
		return nil
	}
	b, _ := json.Marshal(remote.Callback{TransactionID: id, Status: t.status})
	resp, err := http.Post(t.callback, "application/json", strings.NewReader(string(b)))
	if err != nil {
		return err
	}
	resp.Body.Close()
	return nil
}
