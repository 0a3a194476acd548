package signing

import (
	"strings"

	"chuyenhoa/cycle"
)

// Who holds which key (issue 17, items 3 and 4). An official's signature
// (chữ ký số chuyên dùng công vụ, Decree 68/2024/NĐ-CP; or a public CA's,
// Decree 23/2025/NĐ-CP) is the person's: it lives on their token or with
// a remote-signing service, never on the server. The issuing body's seal
// signature is the organisation's certificate, which may sit in a key
// file or an HSM of the server.

// KeyRole is whose key a signature is made with.
type KeyRole string

// The roles.
const (
	RolePerson       KeyRole = "person"       // the head who signs (người ký)
	RoleOrganisation KeyRole = "organisation" // the issuing body's seal (con dấu của cơ quan)
)

// KeyKind is where the key is.
type KeyKind string

// The kinds.
const (
	KeyNone     KeyKind = ""         // not configured
	KeyFile     KeyKind = "file"     // PKCS#12 or PEM on the server
	KeyPKCS11   KeyKind = "pkcs11"   // a token or HSM of the server
	KeyExternal KeyKind = "external" // the signer's own: the signing agent or a remote-signing service
)

// KeySource is one configured key: whose, where, and the settings that
// name it (for the messages: "CHUYENHOA_SIGNER_P12").
type KeySource struct {
	Role    KeyRole
	Kind    KeyKind
	Setting string
}

// KeyPolicy is the signing configuration as the policy sees it.
type KeyPolicy struct {
	// Demo is the demonstration mode, where a person's key may be a file
	// on the server that simulates their token; DemoSetting names the
	// setting that turns it on (e.g. "CHUYENHOA_DEMO").
	Demo        bool
	DemoSetting string
	// Signer is the head's signature; Seal the issuing body's.
	Signer, Seal KeySource
}

// CheckKeyPolicy refuses a configuration that puts a person's private
// key on the server outside the demo (signing.person_key_on_server) and,
// outside the demo, one that lacks the signer's or the seal's signature
// (signing.not_configured, naming the settings that are missing). In the
// demo it returns warnings instead: the simulated token, and what would
// be issued unsigned. The error is an EINVALID *cycle.Error; its
// problems are in Vietnamese and English.
func CheckKeyPolicy(p KeyPolicy) (warnings []cycle.Problem, err error) {
	demoSetting := p.DemoSetting
	if demoSetting == "" {
		demoSetting = "CHUYENHOA_DEMO"
	}
	var probs []cycle.Problem
	if s := p.Signer; s.Kind == KeyFile || s.Kind == KeyPKCS11 {
		if p.Demo {
			warnings = append(warnings, cycle.NewProblem("signing.demo_person_key", s.Setting))
		} else {
			probs = append(probs, cycle.NewProblem("signing.person_key_on_server", s.Setting, demoSetting))
		}
	}
	var missing []string
	for _, s := range []KeySource{p.Signer, p.Seal} {
		if s.Kind == KeyNone {
			missing = append(missing, s.Setting)
		}
	}
	if len(missing) > 0 {
		pr := cycle.NewProblem("signing.not_configured", strings.Join(missing, "; "))
		if p.Demo {
			warnings = append(warnings, pr)
		} else {
			probs = append(probs, pr)
		}
	}
	if len(probs) == 0 {
		return warnings, nil
	}
	msgs, texts := make([]string, len(probs)), make([]string, len(probs))
	for i, pr := range probs {
		msgs[i], texts[i] = pr.Message, pr.Text
	}
	return warnings, &cycle.Error{Code: cycle.EINVALID, Message: "signing configuration refused: " + strings.Join(msgs, "; "),
		Text: "Cấu hình ký số không được chấp nhận: " + strings.Join(texts, "; "), Problems: probs}
}
