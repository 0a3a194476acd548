package signing

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// A PKCS#12 file made by OpenSSL (legacy encryption) and PEM files with
// the key apart load to the same identity, which signs.
func TestLoadPKCS12AndPEM(t *testing.T) {
	p := demoPKI(t)
	dir := t.TempDir()
	pemBytes, err := os.ReadFile(p.files.Signer)
	if err != nil {
		t.Fatal(err)
	}
	// Split the chain+key file into a certificate file and a key file.
	i := strings.Index(string(pemBytes), "-----BEGIN PRIVATE KEY-----")
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pemBytes[:i], 0o600)
	os.WriteFile(keyFile, pemBytes[i:], 0o600)
	fromPEM, err := LoadPEM(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	if fromPEM.Cert.Subject.CommonName != "Trần Văn Minh" || len(fromPEM.Chain) != 1 {
		t.Errorf("PEM identity: %s, %d chain certificates", fromPEM.Cert.Subject, len(fromPEM.Chain))
	}
	if _, err := LoadPEM(certFile, certFile); err == nil || !strings.Contains(err.Error(), "no private key") {
		t.Errorf("certificate without key: err = %v", err)
	}
	other, err := EnsureDemoPKI(t.TempDir(), "X", "Y")
	if err != nil {
		t.Fatal(err)
	}
	otherPEM, _ := os.ReadFile(other.Signer)
	j := strings.Index(string(otherPEM), "-----BEGIN PRIVATE KEY-----")
	os.WriteFile(keyFile, otherPEM[j:], 0o600)
	if _, err := LoadPEM(certFile, keyFile); err == nil || !strings.Contains(err.Error(), "no certificate matches") {
		t.Errorf("mismatched key: err = %v", err)
	}
	os.WriteFile(keyFile, pemBytes[i:], 0o600)

	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("openssl not installed: PKCS#12 not tested")
	}
	p12 := filepath.Join(dir, "signer.p12")
	out, err := exec.Command("openssl", "pkcs12", "-export", "-legacy", "-in", certFile, "-inkey", keyFile,
		"-out", p12, "-passout", "pass:mật khẩu").CombinedOutput()
	if err != nil {
		t.Skipf("openssl pkcs12 -export -legacy: %v\n%s", err, out)
	}
	id, err := LoadPKCS12(p12, "mật khẩu")
	if err != nil {
		t.Fatal(err)
	}
	if !id.Cert.Equal(fromPEM.Cert) || len(id.Chain) != 1 || !id.Chain[0].Equal(fromPEM.Chain[0]) {
		t.Errorf("PKCS#12 identity differs from the PEM one")
	}
	if _, err := LoadPKCS12(p12, "wrong"); err == nil {
		t.Error("wrong password accepted")
	}
	pdf, _ := testDocument(t)
	signed, err := Sign(pdf, id, Options{Field: "p12"})
	if err != nil {
		t.Fatal(err)
	}
	if rep := Verify(signed, p.roots); !rep.OK() {
		t.Errorf("signed with the PKCS#12 key:\n%s", rep)
	}
}
