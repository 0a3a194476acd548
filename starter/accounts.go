package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"chuyenhoa/api"
	"chuyenhoa/cycle"
)

func (x *operatorTools) accountCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "account", Short: "Manage the officers' sign-in accounts"}

	var a cycle.Account
	var role string
	var passwordStdin bool
	add := &cobra.Command{
		Use:   "add ID",
		Short: "Add an account (asks for the password, or reads it from stdin with --password-stdin)",
		Long: `Add an officer's account. Roles: ` + rolesList() + `.
A district officer is bound to a unit (--district CODE); nobody else is. The password
(at least 10 characters) is hashed with bcrypt; only the hash is stored.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			a.ID, a.Role, a.Name = args[0], cycle.Role(role), cycle.Clean(a.Name)
			pw, err := readPassword(passwordStdin)
			if err != nil {
				return err
			}
			hash, err := api.HashPassword(pw)
			if err != nil {
				return err
			}
			db, err := x.store(cmd.Context())
			if err != nil {
				return err
			}
			if err := db.CreateAccount(cmd.Context(), a, hash); err != nil {
				return err
			}
			fmt.Fprintf(x.out, "account %s added: %s%s\n", a.ID, a.Role, unitSuffix(a.District))
			return nil
		},
	}
	add.Flags().StringVar(&a.Name, "name", "", "display name")
	add.Flags().StringVar(&role, "role", "", "role: "+rolesList())
	add.Flags().StringVar(&a.District, "district", "", "the unit of a district officer")
	add.Flags().BoolVar(&passwordStdin, "password-stdin", false, "read the password from the first line of stdin")
	_ = add.MarkFlagRequired("role")

	var asJSON bool
	list := &cobra.Command{
		Use:   "list",
		Short: "List the accounts",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, err := x.store(cmd.Context())
			if err != nil {
				return err
			}
			as, err := db.Accounts(cmd.Context())
			if err != nil {
				return err
			}
			x.print(asJSON, as, func() {
				w := tabwriter.NewWriter(x.out, 0, 2, 2, ' ', 0)
				fmt.Fprintln(w, "ID\tROLE\tUNIT\tNAME\tSTATE")
				for _, a := range as {
					st := "active"
					if a.Disabled {
						st = "DISABLED"
					}
					fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", a.ID, a.Role, a.District, a.Name, st)
				}
				w.Flush()
			})
			return nil
		},
	}
	list.Flags().BoolVar(&asJSON, "json", false, "print JSON")

	var enable bool
	disable := &cobra.Command{
		Use:   "disable ID",
		Short: "Disable an account and end its sessions (--enable to enable it again)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := x.store(cmd.Context())
			if err != nil {
				return err
			}
			if err := db.SetAccountDisabled(cmd.Context(), args[0], !enable); err != nil {
				return err
			}
			if enable {
				fmt.Fprintf(x.out, "account %s enabled\n", args[0])
			} else {
				fmt.Fprintf(x.out, "account %s disabled; its sessions are ended\n", args[0])
			}
			return nil
		},
	}
	disable.Flags().BoolVar(&enable, "enable", false, "enable the account again")

	passwd := &cobra.Command{
		Use:   "password ID",
		Short: "Set an account's password and end its sessions",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			pw, err := readPassword(passwordStdin)
			if err != nil {
				return err
			}
			hash, err := api.HashPassword(pw)
			if err != nil {
				return err
			}
			db, err := x.store(cmd.Context())
			if err != nil {
				return err
			}
			if err := db.SetPassword(cmd.Context(), args[0], hash); err != nil {
				return err
			}
			fmt.Fprintf(x.out, "password of %s set; its sessions are ended\n", args[0])
			return nil
		},
	}
	passwd.Flags().BoolVar(&passwordStdin, "password-stdin", false, "read the password from the first line of stdin")

	cmd.AddCommand(add, list, disable, passwd)
	return cmd
}

func (x *operatorTools) verifyAuditCommand() *cobra.Command {
	var recent int
	var actor string
	cmd := &cobra.Command{
		Use:   "verify-audit",
		Short: "Check the hash chain of the audit trail; exit 1 naming the first bad row",
		Long: `Read the whole audit trail (sign-ins, completions, refusals, downloads) in order and
check every link of its hash chain: rows numbered without gaps, each row's hash
matching its content and the previous row's hash, and the chain head naming the last
row. An edited, deleted or inserted row is reported with the first bad row's number,
and the command exits with status 1.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, err := x.store(cmd.Context())
			if err != nil {
				return err
			}
			n, err := db.VerifyAudit(cmd.Context())
			var ce *cycle.ChainError
			if errors.As(err, &ce) {
				return fmt.Errorf("audit trail NOT intact: %d rows verify, then row %d: %s", n, ce.Seq, ce.Reason)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(x.out, "audit trail intact: %d rows, hash chain verified\n", n)
			if recent > 0 {
				rs, err := db.RecentAudit(cmd.Context(), actor, recent)
				if err != nil {
					return err
				}
				w := tabwriter.NewWriter(x.out, 0, 2, 2, ' ', 0)
				fmt.Fprintln(w, "SEQ\tAT\tWHO\tFROM\tACTION\tOUTCOME\tOBJECT\tDETAIL")
				for _, r := range rs {
					who := r.ActorID
					if r.ActorRole != "" {
						who += " (" + r.ActorRole + unitSuffix(r.ActorDistrict) + ")"
					}
					fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Seq, r.At.In(cycle.Vietnam).Format("02/01/2006 15:04:05"),
						who, r.Remote, r.Action, r.Outcome, r.Object, r.Detail)
				}
				w.Flush()
			}
			return nil
		},
	}
	cmd.Flags().IntVar(&recent, "recent", 0, "after verifying, print the latest N rows")
	cmd.Flags().StringVar(&actor, "actor", "", "with --recent: only this account's rows")
	return cmd
}

func rolesList() string {
	s := make([]string, len(cycle.Roles))
	for i, r := range cycle.Roles {
		s[i] = string(r)
	}
	return strings.Join(s, ", ")
}

func unitSuffix(u string) string {
	if u == "" {
		return ""
	}
	return " of unit " + u
}

// readPassword reads a password from the terminal (twice) or from stdin.
func readPassword(fromStdin bool) (string, error) {
	if fromStdin || !term.IsTerminal(int(os.Stdin.Fd())) {
		line, err := bufio.NewReader(os.Stdin).ReadString('\n')
		if err != nil && line == "" {
			return "", fmt.Errorf("read the password from stdin: %w", err)
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
	fmt.Fprint(os.Stderr, "password: ")
	a, err := term.ReadPassword(int(os.Stdin.Fd()))
	fmt.Fprintln(os.Stderr)
	if err != nil {
		return "", err
	}
	fmt.Fprint(os.Stderr, "again: ")
	b, err := term.ReadPassword(int(os.Stdin.Fd()))
	fmt.Fprintln(os.Stderr)
	if err != nil {
		return "", err
	}
	if string(a) != string(b) {
		return "", errors.New("the passwords differ")
	}
	return string(a), nil
}
