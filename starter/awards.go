package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"chuyenhoa/cycle"
	"chuyenhoa/policies"
	"chuyenhoa/workflows/awards"
	"chuyenhoa/workflows/flow"
)

// awardTarget is the award round a command acts on.
type awardTarget struct{ target }

func (t *awardTarget) id() string { return awards.WorkflowID(t.province, t.year) }

func (x *cli) awardUpdate(ctx context.Context, t *awardTarget, name string, arg, result any, r flow.Request) error {
	return x.updateWorkflow(ctx, t.id(), "award round", "starter awards start", name, r, arg, result)
}

func (x *cli) awardState(ctx context.Context, id string) (awards.AwardRoundState, error) {
	c, err := x.client()
	if err != nil {
		return awards.AwardRoundState{}, err
	}
	return awards.Client{T: c}.State(ctx, id)
}

func (x *cli) awardsCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "awards",
		Short: "Award rounds (policies 001, 003): nominations, council review, signature and the award decision",
	}

	var policyArg, dueArg, signerName string
	var synthetic bool
	start := &cobra.Command{
		Use:   "start --policy 003 --province 70 --year 2024 --due 2024-11-30 --signer-name NAME",
		Short: "Open a province's award round for a year (secretariat)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			t := cmd.Context().Value(awardKey{}).(*awardTarget)
			pol, err := policies.Resolve(policyArg)
			if err != nil {
				return err
			}
			db, err := x.store(cmd.Context())
			if err != nil {
				return err
			}
			prov, _, err := db.Province(cmd.Context(), t.province)
			if err != nil {
				return err
			}
			var due cycle.Date
			if dueArg != "" {
				if due, err = cycle.ParseDate(dueArg); err != nil {
					return cycle.Errorf(cycle.EINVALID, "--due: %v", err)
				}
			}
			in, err := awards.InputFor(pol, prov, t.year, due, signerName, t.request().Actor, synthetic)
			if err != nil {
				return err
			}
			c, err := x.client()
			if err != nil {
				return err
			}
			run, err := awards.Client{T: c}.Start(cmd.Context(), in)
			if err != nil {
				return err
			}
			st, err := x.awardState(cmd.Context(), run.GetID())
			if err != nil {
				return err
			}
			fmt.Fprintf(x.out, "award round %s started under policy %s: %d units nominate until %s\n", run.GetID(), pol.ID, len(in.Units), st.Due.Vietnamese())
			return nil
		},
	}
	start.Flags().StringVar(&policyArg, "policy", "003", "shipped policy ID or policy file with an award scheme")
	start.Flags().StringVar(&dueArg, "due", "", "last day for nominations, YYYY-MM-DD (default: the policy's award_nominations deadline)")
	start.Flags().StringVar(&signerName, "signer-name", "", "the name of who signs the award decision")
	start.Flags().BoolVar(&synthetic, "synthetic", false, "the round is a demonstration: the decision says so")

	var file string
	nominate := &cobra.Command{
		Use:   "nominate --as OFFICER --unit CODE -f nominations.json",
		Short: "Send a unit's nominations (JSON list of cycle.Nomination); sending again replaces them",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			t := cmd.Context().Value(awardKey{}).(*awardTarget)
			b, err := os.ReadFile(file)
			if err != nil {
				return err
			}
			var noms []cycle.Nomination
			dec := json.NewDecoder(strings.NewReader(string(b)))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&noms); err != nil {
				return cycle.Errorf(cycle.EINVALID, "%s: %v", file, err)
			}
			r := t.request()
			var res awards.NominateResult
			if err := x.awardUpdate(cmd.Context(), t, awards.UpdateNominate, awards.NominateRequest{Request: r, Unit: t.district, Nominations: noms}, &res, r); err != nil {
				return err
			}
			fmt.Fprintf(x.out, "%s: revision %d, nominations %s\n", res.Unit, res.Revision, strings.Join(res.IDs, ", "))
			return nil
		},
	}
	nominate.Flags().StringVarP(&file, "file", "f", "", "JSON file: a list of nominations")
	nominate.Flags().StringVar(&awardUnitFlag, "unit", "", "the nominating unit's code")

	closeCmd := &cobra.Command{
		Use: "close --as OFFICER", Short: "Close the nominations before the due date (secretariat)", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			t := cmd.Context().Value(awardKey{}).(*awardTarget)
			r := t.request()
			var phase cycle.AwardPhase
			if err := x.awardUpdate(cmd.Context(), t, awards.UpdateCloseNominations, r, &phase, r); err != nil {
				return err
			}
			fmt.Fprintf(x.out, "nominations closed; the round moves to %s\n", phase)
			return nil
		},
	}

	var reviewFile string
	review := &cobra.Command{
		Use: "review --as CHAIR -f review.json", Short: "Record the council's review (cycle.AwardReview JSON)", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			t := cmd.Context().Value(awardKey{}).(*awardTarget)
			b, err := os.ReadFile(reviewFile)
			if err != nil {
				return err
			}
			var rv cycle.AwardReview
			dec := json.NewDecoder(strings.NewReader(string(b)))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&rv); err != nil {
				return cycle.Errorf(cycle.EINVALID, "%s: %v", reviewFile, err)
			}
			r := t.request()
			var res awards.ReviewAwardsResult
			if err := x.awardUpdate(cmd.Context(), t, awards.UpdateReviewAwards, awards.ReviewAwardsRequest{Request: r, Review: rv}, &res, r); err != nil {
				return err
			}
			fmt.Fprintf(x.out, "the council puts forward %d nominations\n", len(res.Accepted))
			return nil
		},
	}
	review.Flags().StringVarP(&reviewFile, "file", "f", "", "JSON file: the review")

	sign := &cobra.Command{
		Use: "sign --as SIGNER", Short: "Sign the award decision", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			t := cmd.Context().Value(awardKey{}).(*awardTarget)
			r := t.request()
			var on cycle.Date
			if err := x.awardUpdate(cmd.Context(), t, awards.UpdateSignAwards, r, &on, r); err != nil {
				return err
			}
			fmt.Fprintf(x.out, "signed on %s\n", on.Vietnamese())
			return nil
		},
	}
	issue := &cobra.Command{
		Use: "issue --as CLERK", Short: "Number and issue the award decision", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			t := cmd.Context().Value(awardKey{}).(*awardTarget)
			r := t.request()
			var d cycle.Decision
			if err := x.awardUpdate(cmd.Context(), t, awards.UpdateIssueAwards, r, &d, r); err != nil {
				return err
			}
			fmt.Fprintf(x.out, "issued decision Số %s dated %s: %s\n", d.Code, d.Date.Vietnamese(), x.pdfPath(context.Background(), d))
			return nil
		},
	}
	show := &cobra.Command{
		Use: "show", Short: "Show the round: phase, units, nominations, open tasks", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			t := cmd.Context().Value(awardKey{}).(*awardTarget)
			st, err := x.awardState(cmd.Context(), t.id())
			if err != nil {
				return err
			}
			x.print(&t.target, st, func() { printAwardRound(x, st) })
			return nil
		},
	}

	roles := map[*cobra.Command]cycle.Role{start: cycle.RoleSecretariat, nominate: cycle.RoleDistrictOfficer, closeCmd: cycle.RoleSecretariat,
		review: cycle.RoleCouncilChair, sign: cycle.RoleSigner, issue: cycle.RoleClerk}
	for _, c := range []*cobra.Command{start, nominate, closeCmd, review, sign, issue, show} {
		t := &awardTarget{}
		if role, ok := roles[c]; ok {
			t.actorFlags(c, role)
		} else {
			t.cycleFlags(c)
		}
		c.Flags().Lookup("year").Usage = "the round's year"
		c.PreRun = func(cmd *cobra.Command, _ []string) {
			if awardUnitFlag != "" {
				t.district = awardUnitFlag
			}
			cmd.SetContext(context.WithValue(cmd.Context(), awardKey{}, t))
		}
		root.AddCommand(c)
	}
	return root
}

// awardKey carries a subcommand's target through its context.
type awardKey struct{}

// awardUnitFlag is --unit of `awards nominate`: the officer's unit.
var awardUnitFlag string

func printAwardRound(x *cli, st awards.AwardRoundState) {
	fmt.Fprintf(x.out, "Award round %s — year %d, policy %s\nPhase: %s (today %s); nominations due %s\n\n", st.ID, st.Year, st.PolicyID, st.Phase, st.Today.Vietnamese(), st.Due.Vietnamese())
	tw := tabwriter.NewWriter(x.out, 0, 2, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tKIND\tNAME\tLEADER\tAREA\tDOSSIER")
	for _, n := range st.Nominations {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%v\t%s\t%s\n", n.ID, n.Kind, n.Name, n.Leader, n.Area, strings.Join(n.Dossier, ", "))
	}
	tw.Flush()
	if len(st.OpenTasks) > 0 {
		fmt.Fprintf(x.out, "\nOpen tasks: %d\n", len(st.OpenTasks))
		for _, t := range st.OpenTasks {
			fmt.Fprintf(x.out, "  due %s  %s  %s  %s\n", t.Due.Vietnamese(), t.Role, t.District, t.Title)
		}
	}
	if st.Decision != nil {
		fmt.Fprintf(x.out, "\nDecision Số %s of %s — %s\n", st.Decision.Code, st.Decision.Date.Vietnamese(), x.pdfPath(context.Background(), *st.Decision))
	}
}
