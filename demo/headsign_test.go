package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"path/filepath"
	"strings"
	"testing"

	"chuyenhoa/internal/app"
	"chuyenhoa/signing"
	"chuyenhoa/workflows/issuing"
)

// The demo's simulated signer is the reference agent with the demo
// head's certificate: it signs the digest of a decision prepared for the
// head, saying so, and its CMS is a signature of that digest by that
// certificate; after Close it signs nothing.
func TestSimulatedSignerSignsWithTheDemoHeadCertificate(t *testing.T) {
	f, err := signing.EnsureDemoPKI(filepath.Join(t.TempDir(), "pki"), "Nguyễn Văn A", "Ban Chỉ đạo 138")
	if err != nil {
		t.Fatal(err)
	}
	cfg := app.SigningConfig{SignerCert: f.Signer, BodyCert: f.Body, CA: f.CA, SampleImages: true, SignerName: "Nguyễn Văn A", BodyName: "Ban Chỉ đạo 138", Demo: true}
	var out bytes.Buffer
	s, err := startSimulatedSigner(context.Background(), cfg, &out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(s.url, "http://127.0.0.1:") || s.holder != "Nguyễn Văn A" {
		t.Errorf("agent at %s for %q", s.url, s.holder)
	}
	digest := sha256.Sum256([]byte("the prepared decision's byte ranges"))
	p := issuing.PendingSignature{Code: "1/QĐ-BCĐ", Digest: digest[:], Reason: "Ký ban hành 1/QĐ-BCĐ"}
	cms, err := s.Sign(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	clerk, err := app.LoadSigning(cfg)
	if err != nil {
		t.Fatal(err)
	}
	flow := signing.NewAgentFlow()
	tk, err := flow.Request(context.Background(), signing.SignRequest{Digest: digest[:], Certificate: clerk.Signer.Cert.Raw})
	if err != nil {
		t.Fatal(err)
	}
	if err := flow.Deliver(context.Background(), tk.ID, cms); err != nil {
		t.Errorf("the simulated signer's CMS: %v", err)
	}
	if !strings.Contains(out.String(), "simulated signing agent") || !strings.Contains(out.String(), "1/QĐ-BCĐ") {
		t.Errorf("the approval is not said:\n%s", out.String())
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sign(context.Background(), p); err == nil {
		t.Error("the agent still signs after Close")
	}
}

func TestHeadSignsExternallyUnlessTold(t *testing.T) {
	for mode, want := range map[string]bool{"": true, "external": true, "server": false} {
		if got, err := headSignsExternally(mode); err != nil || got != want {
			t.Errorf("%q: %v, %v", mode, got, err)
		}
	}
	if _, err := headSignsExternally("token"); err == nil {
		t.Error("an unknown mode is taken")
	}
}
