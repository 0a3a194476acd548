package app

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"strings"

	"chuyenhoa/api"
	"chuyenhoa/signing"
	"chuyenhoa/signing/remote"
	"chuyenhoa/templates"
	"chuyenhoa/workflows/issuing"
)

// Who holds which key (issue 17). The head's signature is the head's own:
// outside the demo the worker never holds it — the head signs on the
// signing page with the signing agent on their computer (or `starter
// sign`), or through a remote-signing service, and the worker embeds and
// verifies the CMS that comes back. The issuing body's seal is the
// organisation's certificate, which the worker may hold.

// HeadSigningConfig is how the head signs.
type HeadSigningConfig struct {
	// Mode is CHUYENHOA_HEAD_SIGNATURE: "external" (the head's own
	// certificate, on their token or at a remote-signing service) or
	// "server" (a key file of the worker simulates the head's token: the
	// demo only). Empty: "server" when a signer key is configured,
	// "external" when only the seal is.
	Mode string
	// CRLs are CHUYENHOA_SIGNING_CRLS: revocation lists (DER or PEM
	// files, comma-separated) the head's certificate is checked against.
	CRLs string
	// TSA is CHUYENHOA_TSA_URL: the RFC 3161 time-stamp authority that
	// stamps each head's signature on arrival (with CHUYENHOA_TSA_USER,
	// CHUYENHOA_TSA_PASSWORD).
	TSA, TSAUser, TSAPassword string
	// RemoteURL and RemoteToken are the remote-signing service the API
	// server asks for the head's signature (CHUYENHOA_REMOTE_SIGNING_URL,
	// CHUYENHOA_REMOTE_SIGNING_TOKEN): the head approves on their phone.
	RemoteURL, RemoteToken string
}

// Head signing modes.
const (
	HeadExternal = "external"
	HeadServer   = "server"
)

func headSigningFromEnv() HeadSigningConfig {
	return HeadSigningConfig{
		Mode: os.Getenv("CHUYENHOA_HEAD_SIGNATURE"), CRLs: os.Getenv("CHUYENHOA_SIGNING_CRLS"),
		TSA: os.Getenv("CHUYENHOA_TSA_URL"), TSAUser: os.Getenv("CHUYENHOA_TSA_USER"), TSAPassword: os.Getenv("CHUYENHOA_TSA_PASSWORD"),
		RemoteURL: os.Getenv("CHUYENHOA_REMOTE_SIGNING_URL"), RemoteToken: os.Getenv("CHUYENHOA_REMOTE_SIGNING_TOKEN"),
	}
}

// HeadMode is the head's signing mode the configuration comes to.
func (s SigningConfig) HeadMode() string {
	switch s.Head.Mode {
	case HeadExternal, HeadServer:
		return s.Head.Mode
	}
	if s.Configured() {
		return HeadServer
	}
	if s.BodyP12 != "" || s.BodyCert != "" {
		return HeadExternal
	}
	return ""
}

// KeyPolicy is the configuration as signing.CheckKeyPolicy sees it.
func (s SigningConfig) KeyPolicy() signing.KeyPolicy {
	p := signing.KeyPolicy{Demo: s.Demo, DemoSetting: "CHUYENHOA_DEMO",
		Signer: signing.KeySource{Role: signing.RolePerson, Setting: "CHUYENHOA_HEAD_SIGNATURE=external"},
		Seal:   signing.KeySource{Role: signing.RoleOrganisation, Setting: "CHUYENHOA_SEAL_P12 / CHUYENHOA_SEAL_CERT"}}
	// A head's key file configured is a person's key on the server, in
	// either mode: in external mode the worker still loads it, and the
	// demo signs with it the documents that have no external path yet.
	switch {
	case s.SignerP12 != "":
		p.Signer.Kind, p.Signer.Setting = signing.KeyFile, "CHUYENHOA_SIGNER_P12"
	case s.SignerCert != "":
		p.Signer.Kind, p.Signer.Setting = signing.KeyFile, "CHUYENHOA_SIGNER_CERT / CHUYENHOA_SIGNER_KEY"
	case s.HeadMode() == HeadServer:
		p.Signer.Setting = "CHUYENHOA_SIGNER_P12"
	case s.HeadMode() == HeadExternal:
		p.Signer.Kind = signing.KeyExternal
	}
	if s.BodyP12 != "" || s.BodyCert != "" {
		p.Seal.Kind = signing.KeyFile
	}
	return p
}

// CheckSigning refuses, outside the demo, a configuration that puts a
// person's key on the server; it returns what the demo is told instead
// (it simulates the signer's token) and, outside the demo, what an issue
// lacks (missing: the settings, for Activities.Unsigned).
func CheckSigning(s SigningConfig) (warnings []string, missing string, err error) {
	p := s.KeyPolicy()
	var miss []string
	for _, k := range []*signing.KeySource{&p.Signer, &p.Seal} {
		if k.Kind == signing.KeyNone {
			miss = append(miss, missingText[k.Role]+" ("+k.Setting+")")
			k.Kind = signing.KeyExternal // judged here, not by CheckKeyPolicy
		}
	}
	ws, err := signing.CheckKeyPolicy(p)
	if err != nil {
		return nil, "", err
	}
	for _, w := range ws {
		warnings = append(warnings, w.Text)
	}
	if len(miss) > 0 && s.Demo {
		warnings = append(warnings, "BẢN TRÌNH DIỄN: chưa cấu hình "+strings.Join(miss, "; ")+" — văn bản được ban hành không có chữ ký số")
	}
	return warnings, strings.Join(miss, "; "), nil
}

// missingText names what is missing, for the refusal of an issue.
var missingText = map[signing.KeyRole]string{
	signing.RolePerson:       "chữ ký số của người ký",
	signing.RoleOrganisation: "chữ ký số của cơ quan ban hành (con dấu)",
}

// configureHead wires the head's external signature and the seal into
// the pipeline when the head signs elsewhere, after the key policy.
func configureHead(pipe *issuing.Activities, s SigningConfig) error {
	warnings, missing, err := CheckSigning(s)
	if err != nil {
		return err
	}
	out := s.Warnings
	if out == nil {
		out = os.Stderr
	}
	for _, w := range warnings {
		fmt.Fprintln(out, "• ký số: "+w)
	}
	if missing != "" && !s.Demo {
		pipe.Unsigned = missing
	}
	if s.HeadMode() != HeadExternal {
		return nil
	}
	h := &signing.HeadSignature{}
	image := s.SignerImage
	if image != "" {
		b, err := os.ReadFile(image)
		if err != nil {
			return fmt.Errorf("signing: signature image: %w", err)
		}
		h.Image = b
	} else if s.SampleImages || s.Demo {
		h.Image = signing.SampleSignatureImage(s.SignerName)
	} else {
		return fmt.Errorf("signing: the head signs with their own certificate, and the visible signature needs the signature image (CHUYENHOA_SIGNER_IMAGE)")
	}
	if s.CA == "" {
		return fmt.Errorf("signing: the head's certificate is checked against trusted CA certificates: set CHUYENHOA_SIGNING_CA (PEM) — e.g. the root of the government CA")
	}
	roots, err := signing.LoadCAPool(s.CA)
	if err != nil {
		return fmt.Errorf("CHUYENHOA_SIGNING_CA: %w", err)
	}
	h.Verify = signing.VerifyOptions{Roots: roots, RequireKeyUsage: true}
	for _, f := range strings.Split(s.Head.CRLs, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		crl, err := loadCRL(f)
		if err != nil {
			return fmt.Errorf("CHUYENHOA_SIGNING_CRLS: %w", err)
		}
		h.Verify.CRLs = append(h.Verify.CRLs, crl)
	}
	if s.Head.TSA != "" {
		tsa, err := signing.NewTSAClient(signing.TimestampOptions{URL: s.Head.TSA, Username: s.Head.TSAUser, Password: s.Head.TSAPassword})
		if err != nil {
			return err
		}
		h.TSA = tsa
	}
	pipe.Head = h
	if !s.Demo && pipe.Unsigned == "" {
		// Every document the head signs is prepared for the signing page
		// (see issuing.PrepareForHead's callers) and the secretariat's
		// letters are sealed alone; a document of a workflow recorded
		// before those changes is not issued unsigned.
		pipe.Unsigned = "chữ ký số của người ký cho văn bản này (văn bản này không được chuẩn bị để ký qua trang ký số)"
	}
	seal, err := loadSeal(s)
	if err != nil {
		return err
	}
	if seal != nil {
		pipe.Sealer = seal
	}
	return nil
}

// loadSeal loads the issuing body's identity and seal image; nil when
// none is configured.
func loadSeal(c SigningConfig) (*signing.Clerk, error) {
	var id *signing.Identity
	var err error
	switch {
	case c.BodyP12 != "":
		id, err = signing.LoadPKCS12(c.BodyP12, c.BodyP12Password)
	case c.BodyCert != "":
		key := c.BodyKey
		if key == "" {
			key = c.BodyCert
		}
		id, err = signing.LoadPEM(c.BodyCert, key)
	default:
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	cl := &signing.Clerk{Body: id}
	switch {
	case c.SealImage != "":
		if cl.SealImage, err = os.ReadFile(c.SealImage); err != nil {
			return nil, fmt.Errorf("signing: seal image: %w", err)
		}
	case c.SampleImages || c.Demo:
		set, err := templates.Load("")
		if err != nil {
			return nil, err
		}
		if cl.SealImage, err = signing.SampleSealImage(c.BodyName, set.Fonts().Bold); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("signing: no seal image configured (CHUYENHOA_SEAL_IMAGE)")
	}
	return cl, nil
}

func loadCRL(file string) (*x509.RevocationList, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	if blk, _ := pem.Decode(b); blk != nil {
		b = blk.Bytes
	}
	return x509.ParseRevocationList(b)
}

// ConfigureSigningDoors gives the API server the signing agent's address
// the signing page calls (CHUYENHOA_SIGNING_AGENT_URL, default
// api.DefaultSigningAgent) and, when configured, the remote-signing
// service the head may sign through instead.
func ConfigureSigningDoors(s *api.Server, c SigningConfig) error {
	s.SigningAgent = os.Getenv("CHUYENHOA_SIGNING_AGENT_URL")
	if c.Head.RemoteURL == "" {
		return nil
	}
	tok := c.Head.RemoteToken
	rc, err := remote.New(remote.Config{BaseURL: c.Head.RemoteURL, Token: func(context.Context) (string, error) { return tok, nil }})
	if err != nil {
		return fmt.Errorf("CHUYENHOA_REMOTE_SIGNING_URL: %w", err)
	}
	s.RemoteSigner = rc
	return nil
}
