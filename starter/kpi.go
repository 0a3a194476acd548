package main

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/selection"
)

// The province's indicators of the transformation years, from the store.

// KPIReport is one year of `starter kpi`: the indicators, the policy their
// targets come from, and the shares computed.
type KPIReport struct {
	cycle.KPI
	Policy           string  `json:"policy"`
	PolicySource     string  `json:"policy_source"`      // "in force for the province", "as given", …
	TransformedShare float64 `json:"transformed_share"`  // percent of Selected
	NotRelapsedShare float64 `json:"not_relapsed_share"` // percent of FollowedUp
	MeetsTransformed bool    `json:"meets_transformed"`
	MeetsNotRelapsed bool    `json:"meets_not_relapsed"` // true while nothing is followed up: not a miss
}

func (x *operatorTools) kpiCommand() *cobra.Command {
	var province, policyArg string
	var year int
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "kpi",
		Short: "Show a province's yearly indicators (chuyển hóa đạt ≥ 60%, không phức tạp trở lại ≥ 85%) from the store",
		Long: `Show a province's indicators for a programme year, from the outcomes the council's
year-end appraisals recorded in the store (DATABASE_URL): the communes selected
(appraised for the year, first and second years), how many were transformed
(chuyển hóa đạt) against the target share, how many of those have ended their six
months' follow-up, relapsed (phức tạp trở lại) or are still followed, and the share
of followed-up communes that did not relapse against its target. Each target says
đạt or không đạt. The targets (≥ 60% and ≥ 85% under seed 000) come from the policy
the year's cycle ran under (as ` + "`starter cycle start`" + ` picked it), else the policy in
force for the province on 1 January of the year (refused when none is), or from --policy.
Without --year every year in the store is shown; --json prints a list with one entry per
year, the shares computed.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, err := x.store(cmd.Context())
			if err != nil {
				return err
			}
			rows, err := db.Outcomes(cmd.Context(), province)
			if err != nil {
				return err
			}
			reps, err := kpiReports(province, year, rows, func(y int) (cycle.Policy, string, error) {
				if policyArg == "" {
					// The year's cycle keeps the policy it ran under (named or in
					// force when it started); only a year without one takes the
					// policy in force, refused when none is.
					if info, _, err := db.Cycle(cmd.Context(), selection.WorkflowID(province, y)); err == nil && info.Policy.ID != "" {
						return info.Policy, "the cycle's own", nil
					}
				}
				return cyclePolicy(policyArg, province, y)
			})
			if err != nil {
				return err
			}
			x.print(asJSON, reps, func() { printKPI(x.out, province, reps) })
			return nil
		},
	}
	cmd.Flags().StringVar(&province, "province", "51", "province code (51 = Quảng Ngãi)")
	cmd.Flags().IntVar(&year, "year", 0, "the programme year (default: every year with outcomes in the store)")
	cmd.Flags().StringVar(&policyArg, "policy", "", "shipped policy ID (000–005) or policy file whose targets apply; default: the year's cycle's own, else the shipped policy in force for the province on 1 January of the year (refused when none is)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// kpiReports computes the indicators of year, or of every year of the
// rows when year is 0, under the policy policyFor gives for each year.
func kpiReports(province string, year int, rows []cycle.OutcomeRow, policyFor func(year int) (cycle.Policy, string, error)) ([]KPIReport, error) {
	years := []int{year}
	if year == 0 {
		seen := map[int]bool{}
		years = nil
		for _, r := range rows {
			if !seen[r.Year] {
				seen[r.Year] = true
				years = append(years, r.Year)
			}
		}
		sort.Ints(years)
	}
	out := []KPIReport{}
	for _, y := range years {
		pol, how, err := policyFor(y)
		if err != nil {
			return nil, err
		}
		k := cycle.ComputeKPI(pol, province, y, rows)
		out = append(out, KPIReport{
			KPI: k, Policy: pol.ID, PolicySource: how,
			TransformedShare: k.TransformedShare(), NotRelapsedShare: k.NotRelapsedShare(),
			MeetsTransformed: k.MeetsTransformed(), MeetsNotRelapsed: k.MeetsNotRelapsed(),
		})
	}
	return out, nil
}

func printKPI(w io.Writer, province string, reps []KPIReport) {
	if len(reps) == 0 {
		fmt.Fprintf(w, "no outcome recorded for province %s: the council has not appraised a programme year yet\n", province)
		return
	}
	for i, r := range reps {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "Province %s — year %d, policy %s (%s)\n", r.Province, r.Year, r.Policy, r.PolicySource)
		if r.Selected == 0 {
			fmt.Fprintf(w, "  no outcome recorded for %d: the council has not appraised the year yet\n", r.Year)
			continue
		}
		transformed := fmt.Sprintf("%s of %d, target ≥ %s: %s", txPercent(r.TransformedShare), r.Selected, txPercent(r.TransformedTarget), txDat(r.MeetsTransformed))
		held := fmt.Sprintf("%s of %d, target ≥ %s: %s", txPercent(r.NotRelapsedShare), r.FollowedUp, txPercent(r.NotRelapsedTarget), txDat(r.MeetsNotRelapsed))
		if r.FollowedUp == 0 {
			held = fmt.Sprintf("no follow-up has ended yet, target ≥ %s: %s (nothing to count yet)", txPercent(r.NotRelapsedTarget), txDat(r.MeetsNotRelapsed))
		}
		printKPIRows(w, "  ", [][3]string{
			{"Selected (địa bàn được lựa chọn)", strconv.Itoa(r.Selected), ""},
			{"Transformed (chuyển hóa đạt)", strconv.Itoa(r.Transformed), transformed},
			{"Followed up (hết 6 tháng theo dõi)", strconv.Itoa(r.FollowedUp), ""},
			{"Relapsed (phức tạp trở lại)", strconv.Itoa(r.Relapsed), ""},
			{"Pending (đang theo dõi)", strconv.Itoa(r.Pending), ""},
			{"Not relapsed (không phức tạp trở lại)", strconv.Itoa(r.FollowedUp - r.Relapsed), held},
		})
	}
}

// printKPIRows prints label, right-aligned value and an optional comment,
// without trailing spaces.
func printKPIRows(w io.Writer, indent string, rows [][3]string) {
	lw, vw := 0, 0
	for _, r := range rows {
		lw = max(lw, utf8.RuneCountInString(r[0]))
		vw = max(vw, utf8.RuneCountInString(r[1]))
	}
	for _, r := range rows {
		line := indent + r[0] + strings.Repeat(" ", lw-utf8.RuneCountInString(r[0])+2+vw-utf8.RuneCountInString(r[1])) + r[1]
		if r[2] != "" {
			line += "  " + r[2]
		}
		fmt.Fprintln(w, line)
	}
}

// percent writes a share to one decimal: "70%", "66.7%".
func txPercent(v float64) string {
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) + "%"
}

func txDat(ok bool) string {
	if ok {
		return "đạt"
	}
	return "không đạt"
}
