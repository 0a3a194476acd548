package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"chuyenhoa/cycle"
	"chuyenhoa/internal/display"
	"chuyenhoa/signing"
)

func (x *operatorTools) storeArchiveCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "archive",
		Short: "The archive of issued PDFs: list, fetch, verify, void",
	}
	var year int
	list := &cobra.Command{
		Use:   "list",
		Short: "List archived documents with number, SHA-256, signers and time",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, err := x.store(cmd.Context())
			if err != nil {
				return err
			}
			as, err := db.ArchivedDocuments(cmd.Context(), year)
			if err != nil {
				return err
			}
			for _, a := range as {
				v, voided, err := db.DecisionVoid(cmd.Context(), a.ID)
				if err != nil {
					return err
				}
				fmt.Fprintf(x.out, "Số %-12s %s  %d signatures  %7d bytes  sha256 %s  archived %s  id %s\n",
					a.Code, a.Date.Format("02/01/2006"), a.Signatures, a.Size, a.SHA256, a.ArchivedAt.Format(time.RFC3339), a.ID)
				if a.Signer != "" {
					fmt.Fprintf(x.out, "    signed by %s; sealed by %s; at %s\n", a.Signer, a.SealedBy, a.SignedAt.Format(time.RFC3339))
				}
				if voided {
					fmt.Fprintf(x.out, "    VOIDED %s by %s: %s\n", v.At.Format(time.RFC3339), v.By.ID, v.Reason)
				}
			}
			if len(as) == 0 {
				fmt.Fprintln(x.out, "the archive is empty")
			}
			return nil
		},
	}
	list.Flags().IntVar(&year, "year", 0, "only this numbering year")

	var out string
	fetch := &cobra.Command{
		Use:   "fetch ID",
		Short: "Write an archived PDF to a file, checking its SHA-256 on the way",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := x.store(cmd.Context())
			if err != nil {
				return err
			}
			a, pdf, err := db.ArchivedDocument(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if sum := sha256.Sum256(pdf); hex.EncodeToString(sum[:]) != a.SHA256 {
				return fmt.Errorf("archived bytes of %s do not match the recorded SHA-256 %s", a.ID, a.SHA256)
			}
			if out == "" {
				out = display.FileName(a)
			}
			if err := writeNew(out, pdf); err != nil {
				return err
			}
			fmt.Fprintf(x.out, "wrote %s (%d bytes, sha256 %s)\n", out, len(pdf), a.SHA256)
			return nil
		},
	}
	fetch.Flags().StringVarP(&out, "out", "o", "", "file to write (default the issue's file name, e.g. qd-1-qd-bcd-2027-51.pdf); an existing file with other bytes is not replaced")

	var ca string
	verify := &cobra.Command{
		Use:   "verify [ID...]",
		Short: "Verify archived documents: recorded SHA-256 and every signature (all documents without IDs)",
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := x.store(cmd.Context())
			if err != nil {
				return err
			}
			roots, err := display.LoadRoots(ca)
			if err != nil {
				return err
			}
			ids := args
			if len(ids) == 0 {
				as, err := db.ArchivedDocuments(cmd.Context(), 0)
				if err != nil {
					return err
				}
				for _, a := range as {
					ids = append(ids, a.ID)
				}
			}
			failed := 0
			for _, id := range ids {
				a, pdf, err := db.ArchivedDocument(cmd.Context(), id)
				if err != nil {
					return err
				}
				fmt.Fprintf(x.out, "%s (Số %s): ", id, a.Code)
				if sum := sha256.Sum256(pdf); hex.EncodeToString(sum[:]) != a.SHA256 {
					fmt.Fprintf(x.out, "FAIL: the archived bytes do not match the recorded SHA-256\n")
					failed++
					continue
				}
				if a.Signatures == 0 {
					fmt.Fprintf(x.out, "SHA-256 matches; issued unsigned\n")
					continue
				}
				rep := signing.Verify(pdf, roots)
				fmt.Fprint(x.out, "SHA-256 matches; ", rep)
				if !rep.OK() {
					failed++
				}
			}
			if failed > 0 {
				return fmt.Errorf("%w: %d of %d documents", errNotVerified, failed, len(ids))
			}
			return nil
		},
	}
	verify.Flags().StringVar(&ca, "ca", x.cfg.Signing.CA, "PEM file of the trusted CA certificates (env CHUYENHOA_SIGNING_CA)")

	var reason, as string
	void := &cobra.Command{
		Use:   "void ID",
		Short: "Void an issued decision: it keeps its number, with the reason",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := x.store(cmd.Context())
			if err != nil {
				return err
			}
			by := cycle.Actor{ID: as, Role: cycle.RoleClerk}
			if err := db.VoidDecision(cmd.Context(), args[0], reason, by, time.Now()); err != nil {
				return err
			}
			fmt.Fprintf(x.out, "voided %s: %s (its number stays taken)\n", args[0], reason)
			return nil
		},
	}
	void.Flags().StringVar(&reason, "reason", "", "why the decision is voided (required)")
	void.Flags().StringVar(&as, "as", "vanthu", "the clerk voiding it")

	deliveries := &cobra.Command{
		Use:   "deliveries ID",
		Short: "Where an issued document went: each recipient's delivery, attempts and last error",
		Long: `deliveries lists the deliveries of an issued document. A delivery is sent at most
once: "failed" ones were retried until their attempts ran out, "unknown" ones (an
attempt died while sending, or the mail server did not confirm) are never resent
automatically — check with the recipient.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := x.store(cmd.Context())
			if err != nil {
				return err
			}
			recs, err := db.Deliveries(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			for _, r := range recs {
				fmt.Fprintf(x.out, "%-8s %-16s %-4s %s  attempts %d  for %q\n", r.Status, r.Key, r.Channel, r.Address, r.Attempts, r.Label)
				if r.SentAt != nil {
					fmt.Fprintf(x.out, "    sent %s, Message-ID <%s>\n", r.SentAt.Format(time.RFC3339), r.MessageID)
				}
				if r.LastError != "" {
					fmt.Fprintf(x.out, "    last error: %s\n", r.LastError)
				}
			}
			if len(recs) == 0 {
				fmt.Fprintln(x.out, "no delivery planned (no recipients directory configured, or no recipient matched)")
			}
			return nil
		},
	}

	cmd.AddCommand(list, fetch, verify, void, deliveries)
	return cmd
}
