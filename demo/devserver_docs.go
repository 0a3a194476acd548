package main

import (
	"fmt"
	"path/filepath"
	"strings"
)

// devserverDocuments prepares what a worker started by hand next to `demo
// devserver` needs to issue documents as the demo does — the demo's
// signing keys (made once in .data/pki) and a recipients directory that
// drops each copy in a folder — and returns the environment that points
// the worker at them, one `export` line for the terminal. Its output
// directory is .data/out, apart from the demo's, so a decision made by
// hand never replaces the demo's PDF of the same name.
func (x *demo) devserverDocuments(slug string) (string, error) {
	prov, issuer, err := demoProvince(slug)
	if err != nil {
		return "", err
	}
	x.cfg.OutputDir = filepath.Join(".data", "out")
	ours := !x.cfg.Signing.Configured() // keys configured by the operator are theirs to export
	if err := x.demoDocuments(issuer.SignerName, issuer.CommitteeName, prov); err != nil {
		return "", err
	}
	abs := func(p string) string {
		if a, err := filepath.Abs(p); err == nil {
			return a
		}
		return p
	}
	var vars []string
	if s := x.cfg.Signing; ours {
		vars = append(vars, "CHUYENHOA_SIGNER_CERT="+abs(s.SignerCert), "CHUYENHOA_SEAL_CERT="+abs(s.BodyCert),
			"CHUYENHOA_SIGNING_CA="+abs(s.CA), "CHUYENHOA_SAMPLE_IMAGES=1", "CHUYENHOA_DEMO=1")
	}
	vars = append(vars, "CHUYENHOA_RECIPIENTS="+abs(x.cfg.Delivery.Recipients), "CHUYENHOA_OUTPUT_DIR="+abs(x.cfg.OutputDir))
	return fmt.Sprintf("export %s", strings.Join(vars, " ")), nil
}
