// Command pdfsigncheck is the signing tests' second, independent
// verifier: github.com/digitorus/pdfsign's verify package (its own PDF
// reader, digitorus/pkcs7, its own chain and key-usage checks) run on a
// file. It is a module of its own so that pdfsign — a pseudo-version,
// served from an earlier copy — never enters the product's go.mod or
// build; the tests run it with `go run` and trust anchors given the way
// Go reads the system's: SSL_CERT_FILE.
//
//	pdfsigncheck FILE.pdf   → JSON on stdout; exit status 0 when every
//	                          signature is valid and trusted, 1 otherwise
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/digitorus/pdfsign/verify"
)

type signer struct {
	Name             string   `json:"name"`
	ValidSignature   bool     `json:"valid_signature"`
	TrustedIssuer    bool     `json:"trusted_issuer"`
	Revoked          bool     `json:"revoked"`
	Subject          string   `json:"subject"`
	CertErrors       []string `json:"cert_errors,omitempty"`
	KeyUsageValid    bool     `json:"key_usage_valid"`
	TimestampStatus  string   `json:"timestamp_status"`
	TimestampTrusted bool     `json:"timestamp_trusted"`
	TimeSource       string   `json:"time_source"`
	Warnings         []string `json:"warnings,omitempty"`
}

type result struct {
	Error   string   `json:"error,omitempty"`
	Signers []signer `json:"signers"`
	OK      bool     `json:"ok"`
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: pdfsigncheck FILE.pdf")
		os.Exit(2)
	}
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	defer f.Close()
	opts := verify.DefaultVerifyOptions()
	opts.TrustSignatureTime = true // B-B: the claimed time is /M
	resp, err := verify.VerifyFileWithOptions(f, opts)
	var out result
	if err != nil {
		out.Error = err.Error()
	} else {
		out.Error = resp.Error
		out.OK = resp.Error == "" && len(resp.Signers) > 0
		for _, s := range resp.Signers {
			o := signer{Name: s.Name, ValidSignature: s.ValidSignature, TrustedIssuer: s.TrustedIssuer, Revoked: s.RevokedCertificate,
				TimestampStatus: s.TimestampStatus, TimestampTrusted: s.TimestampTrusted, TimeSource: s.TimeSource, Warnings: s.TimeWarnings}
			if len(s.Certificates) > 0 {
				c := s.Certificates[0]
				o.Subject = c.Certificate.Subject.String()
				o.KeyUsageValid = c.KeyUsageValid
			}
			for _, c := range s.Certificates {
				if c.VerifyError != "" {
					o.CertErrors = append(o.CertErrors, c.Certificate.Subject.CommonName+": "+c.VerifyError)
				}
			}
			out.OK = out.OK && s.ValidSignature && s.TrustedIssuer && !s.RevokedCertificate && o.KeyUsageValid
			out.Signers = append(out.Signers, o)
		}
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	enc.Encode(out)
	if !out.OK {
		os.Exit(1)
	}
}
