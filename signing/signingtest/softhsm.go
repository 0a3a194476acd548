package signingtest

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Token is a PKCS#11 token made for a test.
type Token struct {
	Module   string // the PKCS#11 library
	Label    string // the token's label
	PIN      string // the user PIN
	KeyLabel string // the label of the key pair and its certificate
}

// SoftHSMToken makes a SoftHSM token in a temporary directory (SOFTHSM2_CONF is set for the test) holding id's key and certificate
// (Debian's softhsm2, and opensc's pkcs11-tool to write the certificate),
// and returns it; it skips when SoftHSM is absent.
func SoftHSMToken(t *testing.T, id *Identity) Token {
	t.Helper()
	module := "/usr/lib/softhsm/libsofthsm2.so"
	if _, err := os.Stat(module); err != nil {
		t.Skip("SoftHSM is not installed (apt-get install -y softhsm2 opensc): the PKCS#11 token is not tested")
	}
	for _, tool := range []string{"softhsm2-util", "pkcs11-tool"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (apt-get install -y softhsm2 opensc): the PKCS#11 token is not tested", tool)
		}
	}
	// Not t.TempDir: SoftHSM's configuration reads "#" (in subtest
	// names) as a comment.
	dir, err := os.MkdirTemp("", "softhsm-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	conf := filepath.Join(dir, "softhsm2.conf")
	os.MkdirAll(filepath.Join(dir, "tokens"), 0o700)
	os.WriteFile(conf, []byte("directories.tokendir = "+filepath.Join(dir, "tokens")+"\nobjectstore.backend = file\nlog.level = ERROR\n"), 0o600)
	t.Setenv("SOFTHSM2_CONF", conf)
	run := func(name string, args ...string) {
		t.Helper()
		if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
			t.Fatalf("%s %v: %v\n%s", name, args, err, out)
		}
	}
	const pin, label = "246810", "truong-ban"
	run("softhsm2-util", "--init-token", "--free", "--label", "officer", "--pin", pin, "--so-pin", "13579")
	kd, err := x509.MarshalPKCS8PrivateKey(id.Key)
	if err != nil {
		t.Fatal(err)
	}
	keyFile, certFile := filepath.Join(dir, "key.pem"), filepath.Join(dir, "cert.der")
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kd}), 0o600)
	os.WriteFile(certFile, id.Cert.Raw, 0o600)
	run("softhsm2-util", "--import", keyFile, "--token", "officer", "--label", label, "--id", "a1", "--pin", pin)
	run("pkcs11-tool", "--module", module, "--token-label", "officer", "--login", "--pin", pin,
		"--write-object", certFile, "--type", "cert", "--label", label, "--id", "a1")
	os.Remove(keyFile) // from here on the key is only in the token
	return Token{Module: module, Label: "officer", PIN: pin, KeyLabel: label}
}
