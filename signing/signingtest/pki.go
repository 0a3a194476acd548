// Package signingtest makes the certificates the signing tests need: a
// root CA and an intermediate CA like a licensed CA's, leaves with the
// faults a verifier must catch (expired, not yet valid, without the
// signing key usage, issued by an unknown root), CRLs, and PKCS#12 files.
// It does not import package signing, so that package's own tests can
// use it; Identity has the fields of signing.Identity.
package signingtest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// PKI is a root CA, an intermediate CA and the leaves the tests
// need (exported for the package's external tests): a three-level
// chain like a licensed CA's, a foreign root, and CRLs.
type PKI struct {
	Root, Inter, Foreign *x509.Certificate
	rootKey, interKey    crypto.Signer
	foreignKey           crypto.Signer
	Roots                *x509.CertPool
	Dir                  string // RootPEM and other files are written here
}

// Identity is a key with its certificate and chain (issuer first, up
// to the root).
type Identity struct {
	Key   crypto.Signer
	Cert  *x509.Certificate
	Chain []*x509.Certificate
}

func serial() *big.Int {
	n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	return n.Add(n, big.NewInt(1))
}

// LeafOptions vary a leaf certificate.
type LeafOptions struct {
	NotBefore, NotAfter time.Time
	KeyUsage            x509.KeyUsage // zero: digitalSignature | nonRepudiation
	NoKeyUsage          bool          // no key-usage extension at all
	ByForeignRoot       bool          // issued by a root nobody trusts
	RSA                 bool          // RSA-2048 instead of ECDSA P-256
	Organisation        string
}

// NewPKI makes the CAs.
func NewPKI(t testing.TB) *PKI {
	t.Helper()
	p := &PKI{Roots: x509.NewCertPool(), Dir: t.TempDir()}
	now := time.Now()
	mkCA := func(cn string, parent *x509.Certificate, parentKey crypto.Signer, pathLen int) (*x509.Certificate, crypto.Signer) {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		tmpl := &x509.Certificate{SerialNumber: serial(), Subject: pkix.Name{CommonName: cn, Organization: []string{"Ban Cơ yếu Chính phủ (thử nghiệm)"}, Country: []string{"VN"}},
			NotBefore: now.AddDate(-10, 0, 0), NotAfter: now.AddDate(15, 0, 0), IsCA: true, BasicConstraintsValid: true,
			MaxPathLen: pathLen, MaxPathLenZero: pathLen == 0, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign}
		if parent == nil {
			parent, parentKey = tmpl, k
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, k.Public(), parentKey)
		if err != nil {
			t.Fatal(err)
		}
		c, _ := x509.ParseCertificate(der)
		return c, k
	}
	p.Root, p.rootKey = mkCA("Test Root CA chuyên dùng", nil, nil, 1)
	p.Inter, p.interKey = mkCA("Test CA chuyên dùng Chính phủ", p.Root, p.rootKey, 0)
	p.Foreign, p.foreignKey = mkCA("Unknown Root CA", nil, nil, 0)
	p.Roots.AddCert(p.Root)
	return p
}

// Leaf issues a certificate for cn with its key.
func (p *PKI) Leaf(t testing.TB, cn string, o LeafOptions) *Identity {
	t.Helper()
	var key crypto.Signer
	var err error
	if o.RSA {
		key, err = rsa.GenerateKey(rand.Reader, 2048)
	} else {
		key, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	}
	if err != nil {
		t.Fatal(err)
	}
	if o.NotBefore.IsZero() {
		o.NotBefore = time.Now().Add(-24 * time.Hour)
	}
	if o.NotAfter.IsZero() {
		o.NotAfter = time.Now().AddDate(2, 0, 0)
	}
	if o.KeyUsage == 0 && !o.NoKeyUsage {
		o.KeyUsage = x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment
	}
	org := o.Organisation
	if org == "" {
		org = "UBND tỉnh Quảng Ngãi"
	}
	tmpl := &x509.Certificate{SerialNumber: serial(), Subject: pkix.Name{CommonName: cn, Organization: []string{org}, Country: []string{"VN"}},
		NotBefore: o.NotBefore, NotAfter: o.NotAfter, KeyUsage: o.KeyUsage,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection}}
	issuer, issuerKey, chain := p.Inter, p.interKey, []*x509.Certificate{p.Inter, p.Root}
	if o.ByForeignRoot {
		issuer, issuerKey, chain = p.Foreign, p.foreignKey, []*x509.Certificate{p.Foreign}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, issuer, key.Public(), issuerKey)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	return &Identity{Key: key, Cert: c, Chain: chain}
}

// CRL is the intermediate's revocation list, revoking each certificate
// at the time given.
func (p *PKI) CRL(t testing.TB, revoked map[*x509.Certificate]time.Time) *x509.RevocationList {
	t.Helper()
	var entries []x509.RevocationListEntry
	for c, at := range revoked {
		entries = append(entries, x509.RevocationListEntry{SerialNumber: c.SerialNumber, RevocationTime: at})
	}
	der, err := x509.CreateRevocationList(rand.Reader, &x509.RevocationList{Number: big.NewInt(time.Now().UnixNano()),
		ThisUpdate: time.Now().Add(-time.Minute), NextUpdate: time.Now().AddDate(0, 0, 7), RevokedCertificateEntries: entries}, p.Inter, p.interKey)
	if err != nil {
		t.Fatal(err)
	}
	l, err := x509.ParseRevocationList(der)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// RootPEM writes the trusted root (and extra certificates) to a PEM file.
func (p *PKI) RootPEM(t testing.TB, extra ...[]byte) string {
	t.Helper()
	b := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: p.Root.Raw})
	for _, e := range extra {
		b = append(b, e...)
	}
	f := filepath.Join(p.Dir, "roots.pem")
	if err := os.WriteFile(f, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}

// PKCS12File writes id to a legacy-encrypted PKCS#12 file with openssl (what
// a CA hands an officer), skipping the test when openssl cannot.
func PKCS12File(t testing.TB, id *Identity, password string) string {
	t.Helper()
	dir := t.TempDir()
	kd, err := x509.MarshalPKCS8PrivateKey(id.Key)
	if err != nil {
		t.Fatal(err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: id.Cert.Raw})
	for _, c := range id.Chain {
		certPEM = append(certPEM, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	cf, kf, out := filepath.Join(dir, "c.pem"), filepath.Join(dir, "k.pem"), filepath.Join(dir, "officer.p12")
	os.WriteFile(cf, certPEM, 0o600)
	os.WriteFile(kf, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kd}), 0o600)
	if msg, err := runOpenSSL("pkcs12", "-export", "-legacy", "-in", cf, "-inkey", kf, "-out", out, "-passout", "pass:"+password); err != nil {
		t.Skipf("openssl pkcs12 -export -legacy: %v\n%s", err, msg)
	}
	return out
}

func runOpenSSL(args ...string) ([]byte, error) {
	return exec.Command("openssl", args...).CombinedOutput()
}
