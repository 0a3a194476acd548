package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"chuyenhoa/cycle"
	"chuyenhoa/internal/display"
	"chuyenhoa/policies"
)

// CheckOutput is what `starter check --json` prints.
type CheckOutput struct {
	Policy    string                 `json:"policy"`
	Mode      string                 `json:"mode"`
	Problems  []cycle.Problem        `json:"problems,omitempty"`  // what the units' proposals would be refused for
	Selection *cycle.SelectionResult `json:"selection,omitempty"` // mode selection
	Verdicts  []cycle.Verdict        `json:"verdicts,omitempty"`  // mode evaluation
}

func (x *cli) checkCommand() *cobra.Command {
	var policyArg, input, mode string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "check --policy 000|file.yaml --input communes.json [--mode selection|evaluation] [--json]",
		Short: "Check communes against a policy offline: the selection, or the evaluation verdict per commune",
		Long: `Check a file of communes against a policy without a Temporal server or a database,
before submitting: with --mode selection, the selection rules on the proposed communes
(and what each unit's proposal would be refused for); with --mode evaluation, the
verdict on each commune with a report, with a reason per criterion. --policy is a
shipped policy (000 … 004) or a policy file. The input format is in README.md
(example: policies/examples/communes.json).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			pol, err := policies.Resolve(policyArg)
			if err != nil {
				return err
			}
			f, err := os.Open(input)
			if err != nil {
				return err
			}
			defer f.Close()
			in, err := cycle.ParseCheckInput(f)
			if err != nil {
				return err
			}
			out, err := runCheck(pol, in, mode)
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(x.out)
				enc.SetIndent("", "  ")
				return enc.Encode(out)
			}
			printCheck(x.out, pol, in, out)
			return nil
		},
	}
	cmd.Flags().StringVar(&policyArg, "policy", "000", "shipped policy ID (000–004) or policy file (.yaml, .json)")
	cmd.Flags().StringVar(&input, "input", "", "JSON file of communes (see README)")
	cmd.Flags().StringVar(&mode, "mode", "evaluation", "selection or evaluation")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	_ = cmd.MarkFlagRequired("input")
	return cmd
}

// runCheck applies the policy to the input: pure, no I/O.
func runCheck(pol cycle.Policy, in cycle.CheckInput, mode string) (CheckOutput, error) {
	out := CheckOutput{Policy: pol.ID, Mode: mode}
	switch mode {
	case "selection":
		prov, props, err := in.Selection()
		if err != nil {
			return out, err
		}
		for _, p := range props {
			var ce *cycle.Error
			if err := cycle.ValidateProposal(prov, pol, p); err != nil && asError(err, &ce) {
				for _, pr := range ce.Problems {
					pr.Field = fmt.Sprintf("unit %s: %s", p.Unit, pr.Field)
					out.Problems = append(out.Problems, pr)
				}
			}
		}
		sel := cycle.Select(prov, pol, props)
		out.Selection = &sel
	case "evaluation":
		reports := in.Reports()
		if len(reports) == 0 {
			return out, cycle.Errorf(cycle.EINVALID, "evaluation: no commune in the input has a report")
		}
		for _, r := range reports {
			v, err := cycle.Evaluate(pol, r)
			if err != nil {
				return out, err
			}
			out.Verdicts = append(out.Verdicts, v)
		}
	default:
		return out, cycle.Errorf(cycle.EINVALID, "--mode %q: want selection or evaluation", mode)
	}
	return out, nil
}

func asError(err error, ce **cycle.Error) bool {
	e, ok := err.(*cycle.Error)
	if ok {
		*ce = e
	}
	return ok
}

func printCheck(w io.Writer, pol cycle.Policy, in cycle.CheckInput, out CheckOutput) {
	fmt.Fprintf(w, "Policy %s — %s\n", pol.ID, pol.Name)
	if out.Selection != nil {
		scope := "the province"
		if pol.Selection.CapScope == cycle.CapDistrict {
			scope = "each district"
		}
		fmt.Fprintf(w, "Selection (cap %d%% of the communes of %s) over %d communes of %s\n\n", pol.Selection.CapPercent, scope, len(in.Communes), orName(in.Province))
		if len(out.Problems) > 0 {
			fmt.Fprintln(w, "The proposals would be refused for:")
			for _, p := range out.Problems {
				fmt.Fprintf(w, "  - %s\n", p)
			}
			fmt.Fprintln(w)
		}
		display.Selection(w, *out.Selection, 0)
		return
	}
	fmt.Fprintf(w, "Evaluation (%s) of %d communes\n", pol.Evaluation.Method, len(out.Verdicts))
	for _, v := range out.Verdicts {
		fmt.Fprintf(w, "\n%s (%s)", v.Name, v.Commune)
		if len(v.Types) > 0 {
			fmt.Fprintf(w, ", Loại %s", v.Types)
		}
		fmt.Fprintf(w, ": %s — %s\n", strings.ToUpper(string(v.Outcome)), v.Summary)
		tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
		for _, r := range v.Results {
			mark := "ok"
			switch {
			case r.Skipped:
				mark = "—"
			case !r.Passed:
				mark = "FAIL"
			}
			if r.Required && pol.Evaluation.Method == cycle.MethodScore {
				mark += " (disqualifier)"
			} else if r.Required {
				mark += " (required)"
			}
			pts := ""
			if pol.Evaluation.Method == cycle.MethodScore && !r.Required {
				pts = fmt.Sprintf("%g/%g", r.Points, r.MaxPoints)
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", mark, r.ID, pts, r.Detail)
		}
		tw.Flush()
	}
}

func orName(s string) string {
	if s == "" {
		return "the province"
	}
	return s
}
