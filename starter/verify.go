package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"chuyenhoa/internal/display"
	"chuyenhoa/signing"
)

// errNotVerified is returned (exit status 1) when a file fails verification.
var errNotVerified = errors.New("verification failed")

func (x *cli) verifyCommand() *cobra.Command {
	var ca string
	cmd := &cobra.Command{
		Use:   "verify FILE.pdf...",
		Short: "Check the digital signatures of signed PDFs",
		Long: `verify checks every signature of each file: that its byte range is well formed
and leaves out exactly the signature, that the SHA-256 digest of the signed bytes
is the one signed, that the CMS signature verifies, that the signer's certificate
chains to the configured CA at the signing time, that the last signature covers
the whole file, and that updates after an earlier signature only add signatures.
It says what is wrong and exits with status 1 when anything is.

The trusted CA certificates come from --ca or CHUYENHOA_SIGNING_CA (PEM); the
demo's CA is ca.pem in its PKI directory.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			roots, err := display.LoadRoots(ca)
			if err != nil {
				return err
			}
			failed := 0
			for _, path := range args {
				b, err := os.ReadFile(path)
				if err != nil {
					return err
				}
				rep := signing.Verify(b, roots)
				fmt.Fprintf(x.out, "%s: %s", path, rep)
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
	return cmd
}
