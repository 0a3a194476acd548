package agent_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"chuyenhoa/signing"
	"chuyenhoa/signing/agent"
	"chuyenhoa/signing/agent/pkcs11key"
	"chuyenhoa/signing/signingtest"
)

const origin = "https://vanban.quangngai.gov.vn"

func identity(l *signingtest.Identity) *signing.Identity {
	return &signing.Identity{Key: l.Key, Cert: l.Cert, Chain: l.Chain}
}

func startAgent(t *testing.T, id *signing.Identity, approve func(context.Context, agent.SignRequest) error) *httptest.Server {
	t.Helper()
	a, err := agent.New(agent.Config{Origins: []string{origin}, Key: id, Approve: approve})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a)
	t.Cleanup(srv.Close)
	return srv
}

func approveAll(context.Context, agent.SignRequest) error { return nil }

// The agent signs the digest it is given (a PAdES B-B CMS over it), from
// the configured origin only, after the officer approves, and with the
// certificate asked for only.
func TestAgentProtocol(t *testing.T) {
	pki := signingtest.NewPKI(t)
	p12 := signingtest.PKCS12File(t, pki.Leaf(t, "Trần Văn Minh", signingtest.LeafOptions{}), "1234")
	id, err := signing.LoadPKCS12(p12, "1234")
	if err != nil {
		t.Fatal(err)
	}
	var asked []agent.SignRequest
	srv := startAgent(t, id, func(_ context.Context, r agent.SignRequest) error {
		asked = append(asked, r)
		if r.DocumentID == "refuse me" {
			return agent.ErrDenied
		}
		return nil
	})
	digest := sha256.Sum256([]byte("byte ranges"))
	req := agent.RequestFor(signing.SignRequest{DocumentID: "05/QĐ-BCĐ", Digest: digest[:], Reason: "Ký ban hành", Certificate: id.Cert.Raw})
	c := &agent.Client{URL: srv.URL, Origin: origin}
	cms, err := c.Sign(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if len(asked) != 1 || asked[0].DocumentID != "05/QĐ-BCĐ" {
		t.Errorf("the officer was asked %v", asked)
	}
	flow := signing.NewAgentFlow()
	tk, _ := flow.Request(context.Background(), signing.SignRequest{Digest: digest[:], Certificate: id.Cert.Raw})
	if err := flow.Deliver(context.Background(), tk.ID, cms); err != nil {
		t.Errorf("the flow refuses the agent's CMS: %v", err)
	}
	if got, done, err := flow.Result(context.Background(), tk); !done || err != nil || !bytes.Equal(got, cms) {
		t.Errorf("Result: done %v, %v", done, err)
	}
	other := sha256.Sum256([]byte("another document"))
	tk2, _ := flow.Request(context.Background(), signing.SignRequest{Digest: other[:]})
	if err := flow.Deliver(context.Background(), tk2.ID, cms); err == nil || !strings.Contains(err.Error(), "digest mismatch") {
		t.Errorf("a CMS over another digest delivered: %v", err)
	}

	post := func(o string, body string, host string) (*http.Response, agent.ErrorResponse) {
		r, _ := http.NewRequest(http.MethodPost, srv.URL+agent.SignPath, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		if o != "" {
			r.Header.Set("Origin", o)
		}
		if host != "" {
			r.Host = host
		}
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var e agent.ErrorResponse
		json.NewDecoder(resp.Body).Decode(&e)
		return resp, e
	}
	good, _ := json.Marshal(req)
	for _, tc := range []struct {
		name, origin, body, host string
		status                   int
		code                     string
	}{
		{"another origin", "https://evil.example", string(good), "", 403, "forbidden_origin"},
		{"no origin", "", string(good), "", 403, "forbidden_origin"},
		{"DNS rebinding", origin, string(good), "evil.example:47251", 403, "forbidden_host"},
		{"declined", origin, strings.Replace(string(good), "05/QĐ-BCĐ", "refuse me", 1), "", 403, "denied"},
		{"another certificate", origin, strings.Replace(string(good), req.CertificateSHA256, strings.Repeat("0", 64), 1), "", 409, "wrong_certificate"},
		{"not SHA-256", origin, strings.Replace(string(good), "SHA-256", "SHA-1", 1), "", 400, "bad_request"},
		{"short digest", origin, strings.Replace(string(good), req.DigestB64, base64.StdEncoding.EncodeToString([]byte("short")), 1), "", 400, "bad_request"},
	} {
		resp, e := post(tc.origin, tc.body, tc.host)
		if resp.StatusCode != tc.status || e.Error != tc.code {
			t.Errorf("%s: %d %q (%s), want %d %q", tc.name, resp.StatusCode, e.Error, e.Message, tc.status, tc.code)
		}
		if tc.code == "forbidden_origin" && resp.Header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("%s: CORS allowed", tc.name)
		}
	}
	// The browser's preflight, with Chrome's Private Network Access.
	r, _ := http.NewRequest(http.MethodOptions, srv.URL+agent.SignPath, nil)
	r.Header.Set("Origin", origin)
	r.Header.Set("Access-Control-Request-Method", "POST")
	r.Header.Set("Access-Control-Request-Private-Network", "true")
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 204 || resp.Header.Get("Access-Control-Allow-Origin") != origin || resp.Header.Get("Access-Control-Allow-Private-Network") != "true" {
		t.Errorf("preflight: %d %v", resp.StatusCode, resp.Header)
	}
	if _, err := agent.New(agent.Config{Key: id, Origins: []string{origin}}); err == nil {
		t.Error("an agent that signs without asking")
	}
	if err := agent.Run(context.Background(), agent.Config{Addr: "0.0.0.0:0", Key: id, Origins: []string{origin}, Approve: approveAll}); err == nil || !strings.Contains(err.Error(), "not a loopback") {
		t.Errorf("Run on all interfaces: %v", err)
	}
	if !errors.Is(agent.TerminalApprover(strings.NewReader("n\n"), &bytes.Buffer{})(context.Background(), req), agent.ErrDenied) ||
		agent.TerminalApprover(strings.NewReader("có\n"), &bytes.Buffer{})(context.Background(), req) != nil {
		t.Error("TerminalApprover")
	}
}

// The agent signs with a key on a PKCS#11 token (SoftHSM): the CMS
// verifies, and the token refuses a wrong PIN.
func TestAgentWithPKCS11Token(t *testing.T) {
	pki := signingtest.NewPKI(t)
	leaf := pki.Leaf(t, "Trần Văn Minh", signingtest.LeafOptions{RSA: true})
	tok := signingtest.SoftHSMToken(t, leaf)
	cfg := pkcs11key.Config{Module: tok.Module, TokenLabel: tok.Label, PIN: tok.PIN, KeyLabel: tok.KeyLabel}
	// A wrong PIN first: PKCS#11 logins hold for the whole process.
	bad := cfg
	bad.PIN = "000000"
	if _, _, err := pkcs11key.Open(bad); err == nil || !strings.Contains(err.Error(), "PIN") {
		t.Errorf("a wrong PIN: %v", err)
	}
	id, closer, err := pkcs11key.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer closer.Close()
	if !id.Cert.Equal(leaf.Cert) {
		t.Fatal("the token's certificate is not the officer's")
	}
	id.Chain = leaf.Chain
	srv := startAgent(t, id, approveAll)
	digest := sha256.Sum256([]byte("byte ranges"))
	cms, err := (&agent.Client{URL: srv.URL, Origin: origin}).Sign(context.Background(), agent.RequestFor(signing.SignRequest{DocumentID: "x", Digest: digest[:]}))
	if err != nil {
		t.Fatal(err)
	}
	flow := signing.NewAgentFlow()
	tk, _ := flow.Request(context.Background(), signing.SignRequest{Digest: digest[:], Certificate: leaf.Cert.Raw})
	if err := flow.Deliver(context.Background(), tk.ID, cms); err != nil {
		t.Errorf("the token's CMS: %v", err)
	}
}
