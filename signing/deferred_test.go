package signing

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"strings"
	"testing"
	"time"

	"chuyenhoa/cycle"
	"chuyenhoa/signing/signingtest"
	"chuyenhoa/signing/tsatest"
)

// prepared is the test document prepared for the head's signature.
func prepared(t testing.TB) Prepared {
	t.Helper()
	pdf, lay := testDocument(t)
	box := lay.Signature
	p, err := Prepare(pdf, PrepareOptions{Field: "signer", Name: "Trần Văn Minh", Reason: "Ký ban hành 05/QĐ-BCĐ", Location: "Quảng Ngãi",
		Time:       time.Now(),
		Appearance: &Appearance{Page: box.Page, X: box.X + (box.W-45)/2, Y: box.Y + (box.H-15)/2, W: 45, H: 15, Image: SampleSignatureImage("Trần Văn Minh")}})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// The digest handed out is the SHA-256 of the byte ranges; a CMS built
// elsewhere over it embeds, verifies here and for pdfsig, and is PAdES
// B-B: ETSI.CAdES.detached, signing-certificate-v2, no signing-time.
func TestPrepareThenEmbed(t *testing.T) {
	pki := signingtest.NewPKI(t)
	head := ident(pki.Leaf(t, "Trần Văn Minh", signingtest.LeafOptions{RSA: true}))
	p := prepared(t)
	br := p.ByteRange
	want := sha256.Sum256(append(append([]byte(nil), p.PDF[:br[1]]...), p.PDF[br[2]:]...))
	if !bytes.Equal(p.Digest, want[:]) {
		t.Fatalf("digest is not the SHA-256 of the byte ranges")
	}
	if !bytes.Contains(p.PDF, []byte("/SubFilter /ETSI.CAdES.detached")) {
		t.Error("no /SubFilter /ETSI.CAdES.detached")
	}
	cms, err := BuildCMS(context.Background(), p.Digest, head.Key, head.Cert, head.Chain, nil)
	if err != nil {
		t.Fatal(err)
	}
	out, rep, err := Complete(context.Background(), p, cms, nil, VerifyOptions{Roots: pki.Roots, RequireKeyUsage: true})
	if err != nil {
		t.Fatalf("Complete: %v\n%+v", err, rep)
	}
	if len(rep.Chain) != 3 || rep.SignerCommonName != "Trần Văn Minh" || rep.Revision != 2 || !rep.WholeFile {
		t.Errorf("report: chain %v, signer %q, revision %d, whole %v", rep.Chain, rep.SignerCommonName, rep.Revision, rep.WholeFile)
	}
	if !strings.Contains(strings.Join(rep.Checks, "\n"), "signing-certificate-v2 names the signer's certificate") || len(rep.Warnings) > 0 {
		t.Errorf("checks %v, warnings %v", rep.Checks, rep.Warnings)
	}
	// No signing-time attribute: the CMS has no OID 1.2.840.113549.1.9.5.
	if bytes.Contains(cms, mustMarshal(oidAttrSigningTime)) {
		t.Error("the CMS has a signing-time attribute")
	}
	outp := pdfsig(t, out)
	if !strings.Contains(outp, "Signature is Valid.") || !strings.Contains(outp, "Signature Type: ETSI.CAdES.detached") || !strings.Contains(outp, "Total document signed") {
		t.Errorf("pdfsig:\n%s", outp)
	}
	// The same CMS cannot go into another document.
	pdf, _ := testDocument(t)
	other, err := Prepare(pdf, PrepareOptions{Field: "signer", Name: "Người khác"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Embed(other, cms); !hasRule(err, "signing.digest_mismatch") {
		t.Errorf("Embed of a CMS over another digest: %v", err)
	}
	// Nor into the signed one again.
	if _, err := Embed(Prepared{PDF: out, ByteRange: p.ByteRange, Digest: p.Digest, Field: p.Field}, cms); err == nil || !strings.Contains(err.Error(), "signed already") {
		t.Errorf("Embed twice: %v", err)
	}
}

func hasRule(err error, rule string) bool {
	var ce *cycle.Error
	if !errors.As(err, &ce) {
		return false
	}
	for _, p := range ce.Problems {
		if p.Rule == rule {
			return true
		}
	}
	return false
}

// Each refusal names its cause, in Vietnamese and English; Complete
// returns no document, so the task stays open.
var refusals = []struct {
	name   string
	leaf   signingtest.LeafOptions
	crl    bool // revoke the certificate an hour ago
	edit   func([]byte) []byte
	rule   string
	viText string // in the Vietnamese message
}{
	{name: "untrusted root", leaf: signingtest.LeafOptions{ByForeignRoot: true}, rule: "signing.untrusted_root",
		viText: "không do tổ chức cung cấp dịch vụ chứng thực chữ ký số tin cậy cấp"},
	{name: "expired", leaf: signingtest.LeafOptions{NotBefore: time.Now().AddDate(-3, 0, 0), NotAfter: time.Now().AddDate(0, 0, -2)}, rule: "signing.expired",
		viText: "đã hết hạn vào ngày"},
	{name: "not yet valid", leaf: signingtest.LeafOptions{NotBefore: time.Now().AddDate(0, 0, 2)}, rule: "signing.not_yet_valid", viText: "chỉ có hiệu lực từ ngày"},
	{name: "no signing key usage", leaf: signingtest.LeafOptions{KeyUsage: x509.KeyUsageKeyEncipherment}, rule: "signing.key_usage",
		viText: "không có mục đích sử dụng ký số"},
	{name: "no key usage extension", leaf: signingtest.LeafOptions{NoKeyUsage: true}, rule: "signing.key_usage", viText: "không có mục đích sử dụng ký số"},
	{name: "revoked", crl: true, rule: "signing.revoked", viText: "đã bị thu hồi vào ngày"},
	{name: "a byte changed after", edit: func(b []byte) []byte {
		i := bytes.Index(b, []byte("/Producer"))
		b[i+3] ^= 0x20
		return b
	}, rule: "signing.digest_mismatch", viText: "không ký đúng nội dung văn bản này"},
	{name: "bytes appended after", edit: func(b []byte) []byte { return append(b, "\n% appended\n"...) },
		rule: "signing.modified_after", viText: "đã bị thay đổi sau chữ ký cuối cùng"},
}

func TestVerifyRefusals(t *testing.T) {
	pki := signingtest.NewPKI(t)
	for _, tc := range refusals {
		t.Run(tc.name, func(t *testing.T) {
			id := ident(pki.Leaf(t, "Trần Văn Minh", tc.leaf))
			o := VerifyOptions{Roots: pki.Roots, RequireKeyUsage: true}
			if tc.crl {
				o.CRLs = []*x509.RevocationList{pki.CRL(t, map[*x509.Certificate]time.Time{id.Cert: time.Now().Add(-time.Hour)})}
			}
			p := prepared(t)
			cms, err := BuildCMS(context.Background(), p.Digest, id.Key, id.Cert, id.Chain, nil)
			if err != nil {
				t.Fatal(err)
			}
			var rep *Report
			if tc.edit == nil {
				out, s, err := Complete(context.Background(), p, cms, nil, o)
				if err == nil || out != nil || s.Valid() {
					t.Fatalf("Complete accepts it: %v", err)
				}
				if !hasRule(err, tc.rule) {
					t.Fatalf("error lacks %s: %v", tc.rule, err)
				}
				var ce *cycle.Error
				errors.As(err, &ce)
				if !strings.Contains(ce.Text, tc.viText) {
					t.Errorf("Vietnamese %q lacks %q", ce.Text, tc.viText)
				}
				t.Logf("en: %s\nvi: %s", ce.Message, ce.Text)
				signed, err := Embed(p, cms)
				if err != nil {
					t.Fatal(err)
				}
				rep = VerifyWith(signed, o)
			} else {
				signed, _, err := Complete(context.Background(), p, cms, nil, o)
				if err != nil {
					t.Fatal(err)
				}
				rep = VerifyWith(tc.edit(bytes.Clone(signed)), o)
			}
			if rep.OK() {
				t.Fatalf("Verify accepts it:\n%s", rep)
			}
			vi := rep.Text(cycle.Vietnamese)
			if !strings.Contains(vi, tc.viText) {
				t.Errorf("report lacks %q:\n%s", tc.viText, vi)
			}
		})
	}
	// A certificate revoked after a time-stamped signature stays good;
	// without the time-stamp, nothing proves it was signed before.
	t.Run("revoked later", func(t *testing.T) {
		id := ident(pki.Leaf(t, "Trần Văn Minh", signingtest.LeafOptions{}))
		p := prepared(t)
		out, _, err := Complete(context.Background(), p, mustCMS(t, p, id), nil, VerifyOptions{Roots: pki.Roots})
		if err != nil {
			t.Fatal(err)
		}
		crl := pki.CRL(t, map[*x509.Certificate]time.Time{id.Cert: time.Now().Add(time.Hour)})
		rep := VerifyWith(out, VerifyOptions{Roots: pki.Roots, CRLs: []*x509.RevocationList{crl}})
		if rep.OK() || !strings.Contains(rep.String(), "no time-stamp proves") {
			t.Errorf("revoked after an unstamped signature:\n%s", rep)
		}
		rep = VerifyWith(out, VerifyOptions{Roots: pki.Roots, CRLs: []*x509.RevocationList{pki.CRL(t, nil)}})
		if !rep.OK() || !strings.Contains(rep.Signatures[0].Revocation, "not revoked") {
			t.Errorf("an empty CRL:\n%s", rep)
		}
	})
}

func mustCMS(t testing.TB, p Prepared, id *Identity) []byte {
	t.Helper()
	cms, err := BuildCMS(context.Background(), p.Digest, id.Key, id.Cert, id.Chain, nil)
	if err != nil {
		t.Fatal(err)
	}
	return cms
}

// An RFC 3161 time-stamp from a local TSA: in BuildCMS (the seal), added
// on arrival to an agent's CMS (AddTimestamp), verified here and by
// pdfsig; and required when the configuration says so.
func TestTimestamps(t *testing.T) {
	tsa, err := tsatest.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer tsa.Close()
	client, err := NewTSAClient(TimestampOptions{URL: tsa.URL})
	if err != nil {
		t.Fatal(err)
	}
	pki := signingtest.NewPKI(t)
	head, body := ident(pki.Leaf(t, "Trần Văn Minh", signingtest.LeafOptions{})), ident(pki.Leaf(t, "Ban Chỉ đạo 138", signingtest.LeafOptions{RSA: true}))
	p := prepared(t)
	o := VerifyOptions{Roots: pki.Roots, TSARoots: tsa.Roots, RequireTimestamp: true}
	out, rep, err := Complete(context.Background(), p, mustCMS(t, p, head), client, o)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Timestamp == nil || !rep.Timestamp.Verified || rep.Timestamp.TSA == "" || time.Since(rep.Timestamp.Time) > time.Minute {
		t.Fatalf("time-stamp: %+v", rep.Timestamp)
	}
	out, err = Sign(out, body, Options{Field: "seal", Name: "Ban Chỉ đạo 138", TSA: client})
	if err != nil {
		t.Fatal(err)
	}
	full := VerifyWith(out, o)
	if !full.OK() || full.Signatures[1].Timestamp == nil || !full.Signatures[1].Timestamp.Verified {
		t.Fatalf("two stamped signatures:\n%s", full)
	}
	t.Logf("%s", full)
	if tsa.Requests.Load() != 2 {
		t.Errorf("%d time-stamp requests, want 2", tsa.Requests.Load())
	}
	ps := pdfsig(t, out)
	if strings.Count(ps, "Signature is Valid.") != 2 {
		t.Errorf("pdfsig:\n%s", ps)
	}
	// The TSA's root is not trusted: the stamp, and so the signature, is refused.
	if rep := VerifyWith(out, VerifyOptions{Roots: pki.Roots}); rep.OK() || !strings.Contains(rep.String(), "time-stamp is not valid") {
		t.Errorf("stamp of an untrusted TSA:\n%s", rep)
	}
	// Required but absent.
	p2 := prepared(t)
	if _, _, err := Complete(context.Background(), p2, mustCMS(t, p2, head), nil, o); !hasRule(err, "signing.no_timestamp") {
		t.Errorf("no time-stamp, one required: %v", err)
	}
}

// The remote connector against the double: approved, denied, expired,
// and a service that returns a bad signature.
func TestKeyPolicy(t *testing.T) {
	file := KeySource{Role: RolePerson, Kind: KeyFile, Setting: "CHUYENHOA_SIGNER_P12"}
	seal := KeySource{Role: RoleOrganisation, Kind: KeyFile, Setting: "CHUYENHOA_SEAL_P12"}
	agent := KeySource{Role: RolePerson, Kind: KeyExternal, Setting: "CHUYENHOA_SIGNING_AGENT_ORIGIN"}
	_, err := CheckKeyPolicy(KeyPolicy{Signer: file, Seal: seal, DemoSetting: "CHUYENHOA_DEMO"})
	if !hasRule(err, "signing.person_key_on_server") || !strings.Contains(err.Error(), "CHUYENHOA_DEMO=1") || !strings.Contains(err.Error(), "CHUYENHOA_SIGNER_P12") {
		t.Errorf("a person's key file outside the demo: %v", err)
	}
	w, err := CheckKeyPolicy(KeyPolicy{Demo: true, Signer: file, Seal: seal})
	if err != nil || len(w) != 1 || !strings.Contains(w[0].Text, "giả lập thiết bị ký") {
		t.Errorf("demo: %v, %v", w, err)
	}
	if w, err := CheckKeyPolicy(KeyPolicy{Signer: agent, Seal: KeySource{Role: RoleOrganisation, Kind: KeyPKCS11}}); err != nil || len(w) != 0 {
		t.Errorf("agent and HSM: %v, %v", w, err)
	}
	_, err = CheckKeyPolicy(KeyPolicy{Signer: KeySource{Role: RolePerson, Setting: "CHUYENHOA_SIGNING_AGENT_ORIGIN or CHUYENHOA_REMOTE_SIGNING_URL"}, Seal: seal})
	if !hasRule(err, "signing.not_configured") || !strings.Contains(err.Error(), "CHUYENHOA_REMOTE_SIGNING_URL") {
		t.Errorf("nothing configured for the signer: %v", err)
	}
}

// Signed attributes are DER-sorted and hold exactly content-type,
// message-digest and signing-certificate-v2.
func TestSignedAttributes(t *testing.T) {
	pki := signingtest.NewPKI(t)
	id := ident(pki.Leaf(t, "A", signingtest.LeafOptions{}))
	d := sha256.Sum256([]byte("x"))
	a, err := NewSignedAttributes(d[:], id.Cert)
	if err != nil {
		t.Fatal(err)
	}
	var set asn1.RawValue
	if _, err := asn1.Unmarshal(a.DER, &set); err != nil || set.Tag != asn1.TagSet {
		t.Fatalf("not a SET: %v", err)
	}
	els, err := elements(set.Bytes)
	if err != nil || len(els) != 3 {
		t.Fatalf("%d attributes, %v", len(els), err)
	}
	for i := 1; i < len(els); i++ {
		if bytes.Compare(els[i-1].FullBytes, els[i].FullBytes) > 0 {
			t.Error("attributes not in DER order")
		}
	}
	if _, err := NewSignedAttributes(d[:16], id.Cert); err == nil {
		t.Error("a short digest accepted")
	}
}

func ident(l *signingtest.Identity) *Identity {
	return &Identity{Key: l.Key, Cert: l.Cert, Chain: l.Chain}
}
