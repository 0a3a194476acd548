package app

import (
	"strings"
	"testing"

	"chuyenhoa/cycle"
)

// Issue 17, items 3 and 4: a person's key on the server is refused
// outside the demo (and said to simulate the head's token in it); what an
// issue lacks is named.
func TestKeysOutOfTheServersHands(t *testing.T) {
	person := SigningConfig{SignerCert: "signer.pem", BodyCert: "seal.pem"}
	if _, _, err := CheckSigning(person); err == nil || !strings.Contains(cycle.AsError(err).Text, "Không được đặt khóa bí mật của người ký (CHUYENHOA_SIGNER_CERT / CHUYENHOA_SIGNER_KEY)") {
		t.Fatalf("a person's key on the server outside the demo: %v", err)
	}
	person.Demo = true
	w, _, err := CheckSigning(person)
	if err != nil || len(w) != 1 || !strings.Contains(w[0], "giả lập thiết bị ký") {
		t.Fatalf("the demo says it simulates the head's token: %v %q", err, w)
	}
	external := SigningConfig{BodyCert: "seal.pem"}
	if external.HeadMode() != HeadExternal {
		t.Fatalf("a seal alone: the head signs elsewhere, got %q", external.HeadMode())
	}
	if w, missing, err := CheckSigning(external); err != nil || len(w) != 0 || missing != "" {
		t.Fatalf("the head's own certificate and the seal on the server: %v %q %q", err, w, missing)
	}
	// External mode with the head's key file configured too: still a
	// person's key on the server (refused; in the demo, said).
	both := SigningConfig{Head: HeadSigningConfig{Mode: HeadExternal}, SignerCert: "signer.pem", BodyCert: "seal.pem"}
	if _, _, err := CheckSigning(both); err == nil {
		t.Fatal("a head's key file is accepted outside the demo because the head signs elsewhere")
	}
	both.Demo = true
	if w, _, err := CheckSigning(both); err != nil || len(w) != 1 || !strings.Contains(w[0], "giả lập thiết bị ký") {
		t.Fatalf("the demo in external mode does not say the head's key is on the server: %v %q", err, w)
	}
	_, missing, err := CheckSigning(SigningConfig{})
	if err != nil || !strings.Contains(missing, "chữ ký số của người ký") || !strings.Contains(missing, "CHUYENHOA_SEAL_P12") {
		t.Fatalf("nothing configured: %v, missing %q", err, missing)
	}
	if _, _, err := CheckSigning(SigningConfig{Head: HeadSigningConfig{Mode: HeadServer}, SignerP12: "head.p12", BodyP12: "seal.p12"}); err == nil {
		t.Fatal("a PKCS#12 of the head's on the server is accepted outside the demo")
	}
}
