package main

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"chuyenhoa/cycle"
	"chuyenhoa/internal/display"
	"chuyenhoa/signing"
)

// errNotVerified is returned (exit status 1) when a file fails verification.
var errNotVerified = errors.New("verification failed")

func (x *operatorTools) verifyCommand() *cobra.Command {
	var (
		ca, tsaCA, lang string
		crls            []string
		requireTS, js   bool
	)
	cmd := &cobra.Command{
		Use:   "verify FILE.pdf...",
		Short: "Check the digital signatures of signed PDFs",
		Long: `verify checks every signature of each file and says who signed, as what, when
(the claimed time and, when there is one, the RFC 3161 time-stamp), with which
certificate chain, and whether the document changed since: that its byte range
is well formed and leaves out exactly the signature, that the SHA-256 digest of
the signed bytes is the one signed, that the CMS signature verifies (and, for
PAdES, names the signer's certificate), that the signer's certificate chains to
a trusted CA, was valid and not revoked at the signing time and is for signing
(key usage digitalSignature or nonRepudiation), that the last signature covers
the whole file, and that updates after an earlier signature only add signatures.
It says what is wrong and exits with status 1 when anything is.

The trusted CA certificates come from --ca or CHUYENHOA_SIGNING_CA (PEM); the
demo's CA is ca.pem in its PKI directory. Revocation lists (--crl, DER or PEM)
are checked when given; --tsa-ca names the time-stamp authorities' roots.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o := signing.VerifyOptions{RequireKeyUsage: true, RequireTimestamp: requireTS}
			var err error
			if o.Roots, err = display.LoadRoots(ca); err != nil {
				return err
			}
			if tsaCA != "" {
				if o.TSARoots, err = signing.LoadCAPool(tsaCA); err != nil {
					return err
				}
			}
			for _, f := range crls {
				l, err := loadCRL(f)
				if err != nil {
					return err
				}
				o.CRLs = append(o.CRLs, l)
			}
			failed := 0
			for _, path := range args {
				b, err := os.ReadFile(path)
				if err != nil {
					return err
				}
				rep := signing.VerifyWith(b, o)
				if js {
					enc := json.NewEncoder(x.out)
					enc.SetIndent("", "  ")
					enc.Encode(map[string]any{"file": path, "ok": rep.OK(), "report": rep})
				} else {
					fmt.Fprintf(x.out, "%s: %s", path, rep.Text(cycle.ParseLang(lang)))
				}
				if !rep.OK() {
					failed++
				}
			}
			if failed > 0 {
				return fmt.Errorf("%w: %d of %d files", errNotVerified, failed, len(args))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&ca, "ca", x.cfg.Signing.CA, "PEM file of the trusted CA certificates (env CHUYENHOA_SIGNING_CA)")
	cmd.Flags().StringVar(&tsaCA, "tsa-ca", "", "PEM file of the trusted time-stamp authorities' roots (default: --ca)")
	cmd.Flags().StringArrayVar(&crls, "crl", nil, "certificate revocation list (DER or PEM); repeat for several")
	cmd.Flags().BoolVar(&requireTS, "require-timestamp", false, "refuse signatures without an RFC 3161 time-stamp")
	cmd.Flags().StringVar(&lang, "lang", "en", "language of the report: vi or en")
	cmd.Flags().BoolVar(&js, "json", false, "print the reports as JSON")
	return cmd
}

// loadCRL reads a revocation list in DER or PEM.
func loadCRL(path string) (*x509.RevocationList, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if blk, _ := pem.Decode(b); blk != nil {
		b = blk.Bytes
	}
	l, err := x509.ParseRevocationList(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return l, nil
}
