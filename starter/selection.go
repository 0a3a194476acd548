package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"chuyenhoa/cycle"
	"chuyenhoa/intake"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/selection"
)

// The selection's tasks: a unit's proposal, the secretariat's
// consolidation, the council's appraisal, the head's signature and the
// clerk's issue, each an update of the cycle's workflow.

func (x *cli) proposalCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "proposal", Short: "Submit a unit's proposal"}
	var t target
	var file string
	submit := &cobra.Command{
		Use:   "submit",
		Short: "Submit (or, before the due date, revise) a district's proposal from a CSV, Excel or JSON file",
		Long: `Submit a proposal from a file: CSV or Excel .xlsx with the columns
` + strings.Join(cycle.ProposalCSVTitles, " | ") + `
(or their keys ` + strings.Join(cycle.ProposalCSVHeader, ",") + `), one row per commune of the
district with its figures, "x" in Đề xuất, types like 1;3;4 — or JSON in the shape of
cycle.Proposal. CSV may be separated by commas, semicolons or tabs and be in UTF-8,
Windows-1258, TCVN3 or VNI. ` + "`starter sample proposal`" + ` writes an example. The whole
proposal is refused, with every problem listed where it is in the file, if any part is
wrong; nothing is recorded then.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			r := t.request()
			var res selection.SubmitProposalResult
			if err := submitProposalFile(file, t.district, func(p cycle.Proposal) error {
				return x.update(cmd.Context(), &t, selection.UpdateSubmitProposal, r, selection.SubmitProposalRequest{Request: r, Proposal: p}, &res)
			}); err != nil {
				return err
			}
			x.print(&t, res, func() {
				late := ""
				if res.Late {
					late = " (late)"
				}
				fmt.Fprintf(x.out, "proposal of unit %s recorded as revision %d%s: %d communes proposed (request %s)\n", res.Unit, res.Revision, late, res.Proposed, r.RequestID)
			})
			return nil
		},
	}
	t.actorFlags(submit, cycle.RoleDistrictOfficer)
	submit.Flags().StringVar(&t.district, "district", "", "the officer's district code")
	submit.Flags().StringVarP(&file, "file", "f", "", "proposal file (.csv, .xlsx or .json)")
	_ = submit.MarkFlagRequired("file")
	_ = submit.MarkFlagRequired("district")
	cmd.AddCommand(submit)
	return cmd
}

// readProposal reads a proposal file (CSV, Excel .xlsx or JSON) for a
// unit through intake, as the API and the checker do: its size is checked
// before it is read, its encoding and separator are told, and every
// problem is placed in the file. The origins place the workflow's
// problems later (locate).
func readProposal(file, unit string) (cycle.Proposal, cycle.Origins, error) {
	f, err := intake.ReadFile(file, intake.MaxProposalBytes)
	if err != nil {
		return cycle.Proposal{}, nil, err
	}
	return intake.ReadProposal(f, unit)
}

// submitProposalFile reads a proposal file and sends it (send is the
// workflow update); the workflow's refusal comes back with its problems
// placed in the file.
func submitProposalFile(file, unit string, send func(cycle.Proposal) error) error {
	p, origins, err := readProposal(file, unit)
	if err != nil {
		return err
	}
	return locate(origins, p.Unit, send(p))
}

// locate gives the problems of a refusal — the workflow's, about a file
// the officer sent — their places in the file, in the file's order (see
// cycle.Origins.Placed); the refusal's message, which the workflow sends
// in English only, is said in Vietnamese too.
func locate(origins cycle.Origins, proposalUnit string, err error) error {
	if err == nil || len(origins) == 0 {
		return err
	}
	ce := flow.AsCycleError(err)
	if ce == nil || len(ce.Problems) == 0 {
		return err
	}
	out := *ce
	out.Problems = origins.Placed(ce.Problems)
	if out.Text == "" && out.Code == cycle.EINVALID {
		out.Text = cycle.Say(cycle.Vietnamese, "proposal.refused", proposalUnit)
	}
	return &out
}

func (x *cli) consolidateCommand() *cobra.Command {
	var t target
	var file string
	var drops, keeps []string
	cmd := &cobra.Command{
		Use:   "consolidate",
		Short: "Consolidate the proposals into the draft list (secretariat)",
		Long: `Consolidate the proposals: communes keep the selection rules' verdict unless you
drop one (--drop CODE=reason) or keep one explicitly (--keep CODE=reason, placed first);
or give the decisions as a JSON file (--file) in the shape of cycle.Consolidation.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var c cycle.Consolidation
			if file != "" {
				if err := readJSONFile(file, &c); err != nil {
					return err
				}
			}
			c.Decisions = append(c.Decisions, communeDecisions(drops, false)...)
			c.Decisions = append(c.Decisions, communeDecisions(keeps, true)...)
			r := t.request()
			var res selection.ConsolidateResult
			if err := x.update(cmd.Context(), &t, selection.UpdateConsolidate, r, selection.ConsolidateRequest{Request: r, Consolidation: c}, &res); err != nil {
				return err
			}
			x.print(&t, res, func() {
				fmt.Fprintf(x.out, "draft list of %d communes sent to the appraisal council\n", len(res.Draft))
				printList(x.out, res.Draft)
			})
			return nil
		},
	}
	t.actorFlags(cmd, cycle.RoleSecretariat)
	cmd.Flags().StringVarP(&file, "file", "f", "", "consolidation JSON file")
	cmd.Flags().StringArrayVar(&drops, "drop", nil, "drop a commune: CODE=reason")
	cmd.Flags().StringArrayVar(&keeps, "keep", nil, "keep a commune first: CODE=reason")
	return cmd
}

func (x *cli) appraiseCommand() *cobra.Command {
	var t target
	var file, reason, minutes string
	var approve, ret bool
	var removes []string
	cmd := &cobra.Command{
		Use:   "appraise",
		Short: "Record the appraisal council's conclusion (council chair)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var a cycle.Appraisal
			if file != "" {
				if err := readJSONFile(file, &a); err != nil {
					return err
				}
			} else {
				if approve == ret {
					return fmt.Errorf("give exactly one of --approve and --return (or --file)")
				}
				a = cycle.Appraisal{Approved: approve, Reason: cycle.Clean(reason), Minutes: cycle.Clean(minutes)}
				a.Removals = communeDecisions(removes, false)
			}
			r := t.request()
			var res selection.AppraiseResult
			if err := x.update(cmd.Context(), &t, selection.UpdateAppraise, r, selection.AppraiseRequest{Request: r, Appraisal: a}, &res); err != nil {
				return err
			}
			x.print(&t, res, func() {
				if res.Returned {
					fmt.Fprintln(x.out, "list returned to the secretariat for consolidation")
					return
				}
				fmt.Fprintf(x.out, "list of %d communes reported to the head for signing\n", len(res.List))
			})
			return nil
		},
	}
	t.actorFlags(cmd, cycle.RoleCouncilChair)
	cmd.Flags().StringVarP(&file, "file", "f", "", "appraisal JSON file (cycle.Appraisal)")
	cmd.Flags().BoolVar(&approve, "approve", false, "approve the list")
	cmd.Flags().BoolVar(&ret, "return", false, "return the list to the secretariat (needs --reason)")
	cmd.Flags().StringVar(&reason, "reason", "", "why the list is returned")
	cmd.Flags().StringVar(&minutes, "minutes", "", "summary of the meeting's minutes")
	cmd.Flags().StringArrayVar(&removes, "remove", nil, "take a commune off the list: CODE=reason")
	return cmd
}

func (x *cli) signCommand() *cobra.Command {
	var t target
	var comment string
	cmd := &cobra.Command{
		Use:   "sign",
		Short: "Sign the decision approving the list (head of the committee)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			r := t.request()
			var res selection.SignResult
			if err := x.update(cmd.Context(), &t, selection.UpdateSign, r, selection.SignRequest{Request: r, Comment: comment}, &res); err != nil {
				return err
			}
			x.print(&t, res, func() { fmt.Fprintf(x.out, "signed on %s; the clerk can issue it\n", res.SignedAt.Vietnamese()) })
			return nil
		},
	}
	t.actorFlags(cmd, cycle.RoleSigner)
	cmd.Flags().StringVar(&comment, "comment", "", "a comment for the record")
	return cmd
}

func (x *cli) issueCommand() *cobra.Command {
	var t target
	cmd := &cobra.Command{
		Use:   "issue",
		Short: "Number, date and issue the signed decision (clerk)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			r := t.request()
			var d cycle.Decision
			if err := x.update(cmd.Context(), &t, selection.UpdateIssue, r, selection.IssueRequest{Request: r}, &d); err != nil {
				return err
			}
			x.print(&t, d, func() {
				fmt.Fprintf(x.out, "decision Số %s issued on %s: %d communes\n  PDF: %s\n  SHA-256: %s\n", d.Code, d.Date.Vietnamese(), len(d.Communes), x.pdfPath(context.Background(), d), d.SHA256)
			})
			return nil
		},
	}
	t.actorFlags(cmd, cycle.RoleClerk)
	return cmd
}

func readJSONFile(file string, v any) error {
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return cycle.Errorf(cycle.EINVALID, "%s: %v", file, err)
	}
	return nil
}

// communeDecisions parses CODE=reason flags.
func communeDecisions(flags []string, keep bool) []cycle.CommuneDecision {
	var out []cycle.CommuneDecision
	for _, f := range flags {
		code, reason, _ := strings.Cut(f, "=")
		out = append(out, cycle.CommuneDecision{Commune: cycle.Clean(code), Keep: keep, Reason: cycle.Clean(reason)})
	}
	return out
}

// cyclePolicy is the policy a new cycle runs under: the one named (a
// shipped ID or a file), or the shipped policy in force for the province on
// 1 January of the cycle's year (seed 000 where none is). The cycle keeps
// it for its whole life.
