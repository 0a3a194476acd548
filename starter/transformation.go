package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/selection"
	"chuyenhoa/workflows/transformation"
)

// The transformation years (DOMAIN steps 6–8): the communes in the
// programme (here), the province's indicators (kpi.go), a commune's
// reports and reviews, sent to its CommuneTransformation workflow
// (report.go, review.go), and the cycle's year-end appraisal, signatures
// and documents, sent to the cohort's cycle (results.go).

// ---- targets -----------------------------------------------------------------

// communeTarget is the transformation of one commune a command acts on:
// its workflow is named by the province, the commune and the year it was
// first listed (a second year continues under the same ID).
type communeTarget struct {
	target
	commune   string
	firstYear int
}

func (t *communeTarget) id() string {
	return transformation.WorkflowID(t.province, t.commune, t.firstYear)
}

// readFlags are the flags of a command that only reads a commune's workflow.
func (t *communeTarget) readFlags(cmd *cobra.Command) {
	cmd.Flags().StringVar(&t.province, "province", "51", "province code (51 = Quảng Ngãi)")
	t.communeFlags(cmd, 2027, "the year the commune was first listed (its cohort's cycle)")
}

func (t *communeTarget) communeFlags(cmd *cobra.Command, firstYear int, usage string) {
	cmd.Flags().StringVar(&t.commune, "commune", "", "the commune's code")
	cmd.Flags().IntVar(&t.firstYear, "first-year", firstYear, usage)
	_ = cmd.MarkFlagRequired("commune")
}

// cohortTarget is a programme year of a cohort's cycle: the cycle of the
// year its communes were first listed (--year-cycle) and the programme
// year (--year), the cycle's own year or, for its second-year communes,
// the year after.
type cohortTarget struct {
	target
	cycleYear int
}

func (t *cohortTarget) id() string {
	y := t.cycleYear
	if y == 0 {
		y = t.year
	}
	return selection.WorkflowID(t.province, y)
}

func (t *cohortTarget) cohortFlags(cmd *cobra.Command) {
	cmd.Flags().Lookup("year").Usage = "the programme year (a cohort's second year is its cycle's year + 1)"
	cmd.Flags().IntVar(&t.cycleYear, "year-cycle", 0, "the cohort's cycle: the year its communes were first listed (default: --year)")
}

func (x *operatorTools) communeState(ctx context.Context, id string) (transformation.CommuneState, error) {
	c, err := x.client()
	if err != nil {
		return transformation.CommuneState{}, err
	}
	return transformation.Client{T: c}.Commune(ctx, id)
}

// ---- transformation list / show ----------------------------------------------

func (x *operatorTools) transformationCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "transformation", Short: "List the communes in the programme or show one commune's transformation"}

	var l target
	list := &cobra.Command{
		Use:   "list",
		Short: "List a province's communes in the programme with their standing (from the store)",
		Long: `List every commune of a province in the programme, from the store (DATABASE_URL): the
year it was first listed, the programme year it is in (năm thứ nhất or năm thứ hai),
where it stands (in_programme, follow_up, recognised, relapsed, second_year,
responsibility_review), its recognition decision and the last note.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, err := x.store(cmd.Context())
			if err != nil {
				return err
			}
			ts, err := db.Transformations(cmd.Context(), l.province)
			if err != nil {
				return err
			}
			if ts == nil {
				ts = []cycle.Transformation{} // --json prints [], not null
			}
			x.print(l.json, ts, func() { printTransformations(x.out, l.province, ts) })
			return nil
		},
	}
	list.Flags().StringVar(&l.province, "province", "51", "province code (51 = Quảng Ngãi)")
	list.Flags().BoolVar(&l.json, "json", false, "print JSON")

	var s communeTarget
	show := &cobra.Command{
		Use:   "show",
		Short: "Show a commune's transformation: standing, reports and verdicts, history, open tasks",
		Long: `Show one commune's transformation from its workflow: where it stands, each report of
the year (báo cáo 6 tháng, báo cáo năm, báo cáo theo dõi) with its period, due date,
when it was submitted and the verdict, with the figures compared for every criterion
not met; the years appraised, the recognition, the open tasks (with the command that
completes each) and the history. The workflow is named by the province, the commune
and the year it was first listed: a commune in its second year keeps its first year.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := x.communeState(cmd.Context(), s.id())
			if err != nil {
				return err
			}
			x.print(s.json, st, func() { printCommuneState(x.out, s.province, st) })
			return nil
		},
	}
	s.readFlags(show)
	show.Flags().BoolVar(&s.json, "json", false, "print JSON")
	cmd.AddCommand(list, show)
	return cmd
}

func printTransformations(w io.Writer, province string, ts []cycle.Transformation) {
	if len(ts) == 0 {
		fmt.Fprintf(w, "no commune of province %s is in the programme\n", province)
		return
	}
	tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
	fmt.Fprintln(tw, "COMMUNE\tNAME\tDISTRICT\tFIRST YEAR\tYEAR\tYEAR NO\tSTANDING\tDECISION\tNOTE")
	for _, t := range ts {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\t%s\t%s\t%s\n", t.Commune, t.Name, txDash(t.DistrictName), t.FirstYear, t.Year, t.YearNo, t.Standing, txDash(t.Decision), t.Note)
	}
	tw.Flush()
}

func printCommuneState(w io.Writer, province string, st transformation.CommuneState) {
	c := st.Commune
	where := ""
	if c.DistrictName != "" {
		where = ", " + c.DistrictName
	}
	first := c.FirstYear
	if first == 0 {
		first = c.Year
	}
	fmt.Fprintf(w, "%s (%s)%s — Loại %s\n", c.Name, c.Commune, where, c.Types)
	fmt.Fprintf(w, "Programme year %d (%s), first listed in %d; cohort of cycle %s, workflow %s\n", c.Year, c.YearNoLabel(), first, st.CycleID, st.WorkflowID)
	fmt.Fprintf(w, "Standing: %s (today %s)\n", st.Standing, st.Today.Vietnamese())

	fmt.Fprintln(w, "\nReports:")
	if len(st.Reports) == 0 {
		fmt.Fprintln(w, "  none expected yet")
	}
	for _, r := range st.Reports {
		state := "not submitted"
		switch {
		case r.Submitted:
			state = "submitted on " + r.On.Vietnamese()
			if r.Late {
				state += " (late)"
			}
		case r.Due.Before(st.Today):
			state = "not submitted (OVERDUE)"
		}
		fmt.Fprintf(w, "  %s (%s) of %d, period %s, due %s: %s\n", r.Kind, r.Kind.Vietnamese(), r.Year, r.Period.Vietnamese(), r.Due.Vietnamese(), state)
		if v := r.Verdict; v != nil {
			fmt.Fprintf(w, "    verdict: %s — %s\n", strings.ToUpper(string(v.Outcome)), v.Summary)
			printVerdictCriteria(w, "      ", *v, true)
		}
	}
	if len(st.History) > 0 {
		fmt.Fprintln(w, "\nYears appraised:")
		for _, o := range st.History {
			label := "năm thứ nhất"
			if o.YearNo == 2 {
				label = "năm thứ hai"
			}
			line := fmt.Sprintf("  %d (%s): %s", o.Year, label, o.Outcome)
			if o.Reason != "" {
				line += " — " + o.Reason
			}
			if !o.ReviewDate.IsZero() {
				line += "; signed (sơ kết) " + o.ReviewDate.Vietnamese()
			}
			if o.Verdict != "" {
				line += "; verdict: " + o.Verdict
			}
			fmt.Fprintln(w, line)
		}
	}
	if r := st.Recognised; r != nil {
		fmt.Fprintf(w, "\nRecognised as transformed by decision Số %s of %s\n", r.Decision, r.Date.Vietnamese())
	}
	fmt.Fprintf(w, "\nOpen tasks: %d\n", len(st.OpenTasks))
	for _, t := range st.OpenTasks {
		state := ""
		if t.Due.Before(st.Today) {
			state = "  OVERDUE"
		}
		fmt.Fprintf(w, "  due %s%s  %s %s  %s\n", t.Due.Vietnamese(), state, t.Role, t.District, t.Title)
		if hint := taskHint(t, province, st); hint != "" {
			fmt.Fprintf(w, "    → %s\n", hint)
		}
	}
	if len(st.Events) > 0 {
		fmt.Fprintln(w, "\nHistory:")
		for _, e := range st.Events {
			fmt.Fprintf(w, "  %s  %-12s %s\n", e.At.Vietnamese(), e.Actor, e.Summary)
		}
	}
}

// taskHint is the command that completes a commune's task.
func taskHint(t cycle.Task, province string, st transformation.CommuneState) string {
	c := st.Commune
	first := c.FirstYear
	if first == 0 {
		first = c.Year
	}
	at := fmt.Sprintf("--province %s --commune %s --first-year %d", province, c.Commune, first)
	switch t.Kind {
	case cycle.TaskHalfYearReport, cycle.TaskYearlyReport, cycle.TaskFollowUpReport:
		kind := map[cycle.TaskKind]cycle.ReportKind{cycle.TaskHalfYearReport: cycle.ReportHalfYear, cycle.TaskYearlyReport: cycle.ReportYearly, cycle.TaskFollowUpReport: cycle.ReportFollowUp}[t.Kind]
		year := c.Year
		for _, r := range st.Reports {
			if r.Kind == kind && !r.Submitted {
				year = r.Year
			}
		}
		return fmt.Sprintf("starter report submit %s --year %d --kind %s --district %s -f REPORT.json --as OFFICER (starter report template … writes REPORT.json)", at, year, kind, t.District)
	case cycle.TaskFailureReview:
		return fmt.Sprintf("starter review submit %s --district %s --causes CAUSE --remedies REMEDY --as OFFICER", at, t.District)
	case cycle.TaskResponsibilityReview:
		return fmt.Sprintf("starter review submit %s --responsible 'UNIT|PERSON|POSITION|CONCLUSION' --emulation EFFECT --as OFFICER", at)
	}
	return ""
}

// printVerdictCriteria prints a verdict's criteria, or only those not met.
func printVerdictCriteria(w io.Writer, indent string, v cycle.Verdict, failedOnly bool) {
	tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
	for _, r := range v.Results {
		if failedOnly && (r.Passed || r.Skipped) {
			continue
		}
		mark := "passed"
		switch {
		case r.Skipped:
			mark = "—"
		case !r.Passed:
			mark = "FAILED"
		}
		if r.Required {
			mark += " (required)"
		}
		pts := ""
		if v.Method == cycle.MethodScore && !r.Required {
			pts = fmt.Sprintf("%g/%g\t", r.Points, r.MaxPoints)
		}
		fmt.Fprintf(tw, "%s%s\t%s\t%s%s\n", indent, mark, r.ID, pts, r.Detail)
	}
	tw.Flush()
}

func txDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
