package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/transformation"
)

// A commune's failure review (kiểm điểm) and responsibility review.

func (x *cli) reviewCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "review", Short: "Submit a review after a failed year (kiểm điểm, xem xét trách nhiệm)"}
	var t communeTarget
	var causes, remedies, responsible []string
	var emulation string
	submit := &cobra.Command{
		Use:   "submit",
		Short: "Send a commune's failure review (district) or responsibility review (secretariat)",
		Long: `Send the review a commune's workflow has open. After a failed first year the district
reviews it (kiểm điểm, làm rõ nguyên nhân): give --causes and --remedies, each as
often as needed. After a failed second year the secretariat reviews the collective
and individual responsibility (xem xét trách nhiệm tập thể, cá nhân): give each unit
or person concerned as --responsible "unit|person|position|conclusion" (person and
position may be empty: "Công an xã Nghĩa Sơn|||kiểm điểm rút kinh nghiệm") and the
effect on the yearly emulation assessment (thi đua) as --emulation. The review is
refused whole, with every problem listed, if any part is missing.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			failure, resp, err := reviewRequest(causes, remedies, responsible, emulation)
			if err != nil {
				return err
			}
			if resp != nil && !cmd.Flags().Changed("role") {
				t.role = string(cycle.RoleSecretariat)
			}
			if t.firstYear == 0 {
				t.firstYear = t.year
				if resp != nil {
					t.firstYear = t.year - 1
				}
			}
			r := t.request()
			var kind cycle.ReviewKind
			if err := x.communeUpdate(cmd.Context(), &t, transformation.UpdateSubmitReview, r, transformation.SubmitReviewRequest{Request: r, Failure: failure, Responsibility: resp}, &kind); err != nil {
				return err
			}
			out := struct {
				Kind       cycle.ReviewKind `json:"kind"`
				WorkflowID string           `json:"workflow_id"`
				RequestID  string           `json:"request_id"`
			}{kind, t.id(), r.RequestID}
			x.print(&t.target, out, func() {
				fmt.Fprintf(x.out, "%s review of commune %s recorded in %s (request %s)\n", kind, t.commune, t.id(), r.RequestID)
			})
			return nil
		},
	}
	t.actorFlags(submit, cycle.RoleDistrictOfficer)
	submit.Flags().Lookup("role").Usage = "the role the officer acts in; a responsibility review defaults to secretariat"
	submit.Flags().Lookup("year").Usage = "the programme year reviewed: the failed first year, or the failed second year (responsibility)"
	t.communeFlags(submit, 0, "the year the commune was first listed (default: --year for a failure review, --year − 1 for a responsibility review)")
	submit.Flags().StringVar(&t.district, "district", "", "the officer's district code (a failure review)")
	submit.Flags().StringArrayVar(&causes, "causes", nil, "a cause of the failure (repeatable; failure review)")
	submit.Flags().StringArrayVar(&remedies, "remedies", nil, "a remedy for the second year (repeatable; failure review)")
	submit.Flags().StringArrayVar(&responsible, "responsible", nil, `a unit or person responsible: "unit|person|position|conclusion" (repeatable; responsibility review)`)
	submit.Flags().StringVar(&emulation, "emulation", "", "the effect on the yearly emulation assessment, e.g. \"không xét danh hiệu thi đua năm 2028\" (responsibility review)")
	cmd.AddCommand(submit)
	return cmd
}

// reviewRequest builds the review the flags give: a failure review
// (causes, remedies) or a responsibility review (responsible, emulation).
func reviewRequest(causes, remedies, responsible []string, emulation string) (*cycle.FailureReview, *cycle.ResponsibilityReview, error) {
	failure := len(causes) > 0 || len(remedies) > 0
	resp := len(responsible) > 0 || strings.TrimSpace(emulation) != ""
	switch {
	case failure && resp:
		return nil, nil, cycle.Errorf(cycle.EINVALID, "give either --causes and --remedies (a failure review, kiểm điểm) or --responsible and --emulation (a responsibility review), not both")
	case failure:
		f := &cycle.FailureReview{}
		for _, s := range causes {
			f.Causes = append(f.Causes, cycle.Clean(s))
		}
		for _, s := range remedies {
			f.Remedies = append(f.Remedies, cycle.Clean(s))
		}
		return f, nil, nil
	case resp:
		units, err := parseResponsible(responsible)
		if err != nil {
			return nil, nil, err
		}
		return nil, &cycle.ResponsibilityReview{Responsible: units, Emulation: cycle.Clean(emulation)}, nil
	}
	return nil, nil, cycle.Errorf(cycle.EINVALID, "no review given: --causes and --remedies (a failure review, kiểm điểm) or --responsible and --emulation (a responsibility review)")
}

// parseResponsible parses --responsible "unit|person|position|conclusion".
func parseResponsible(flags []string) ([]cycle.Responsible, error) {
	var out []cycle.Responsible
	var probs []cycle.Problem
	for _, f := range flags {
		field := "--responsible " + strconv.Quote(f)
		parts := strings.Split(f, "|")
		if len(parts) != 4 {
			probs = append(probs, cycle.Problem{Field: field, Rule: "flag.responsible", Message: fmt.Sprintf(`%d part(s): want "unit|person|position|conclusion", 4 parts separated by | (person and position may be empty: "Công an xã Nghĩa Sơn|||kiểm điểm rút kinh nghiệm")`, len(parts))})
			continue
		}
		r := cycle.Responsible{Unit: cycle.Clean(parts[0]), Person: cycle.Clean(parts[1]), Position: cycle.Clean(parts[2]), Conclusion: cycle.Clean(parts[3])}
		if r.Unit == "" {
			probs = append(probs, cycle.Problem{Field: field, Rule: "flag.responsible", Message: "the unit (the first part) is required"})
		}
		if r.Conclusion == "" {
			probs = append(probs, cycle.Problem{Field: field, Rule: "flag.responsible", Message: "the conclusion (the last part) is required, e.g. \"kiểm điểm rút kinh nghiệm\""})
		}
		out = append(out, r)
	}
	if err := cycle.Invalid("bad --responsible", probs); err != nil {
		return nil, err
	}
	return out, nil
}
