package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"chuyenhoa/cycle"
	"chuyenhoa/policies"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/selection"
	"chuyenhoa/workflows/transformation"
)

// The transformation years (DOMAIN steps 6–8): the province's indicators,
// the communes in the programme, a commune's reports and reviews (sent to
// its CommuneTransformation workflow) and the cycle's year-end appraisal,
// signatures and documents (sent to the cohort's cycle).

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

// communeUpdate sends an update to a commune's transformation workflow.
func (x *cli) communeUpdate(ctx context.Context, t *communeTarget, name string, r flow.Request, arg, result any) error {
	err := x.updateWorkflow(ctx, t.id(), "commune transformation", "starter issue", name, r, arg, result)
	var ce *cycle.Error
	if errors.As(err, &ce) && ce.Code == cycle.ENOTFOUND {
		// Raised here, not by the workflow: no such workflow is running.
		return cycle.Errorf(cycle.ENOTFOUND, "no running commune transformation %s: it starts when its cycle's approval decision is issued and ends once the commune has its final outcome (see `starter transformation list --province %s`)", t.id(), t.province)
	}
	return err
}

// cohortUpdate sends an update of the transformation years to a cycle.
func (x *cli) cohortUpdate(ctx context.Context, t *cohortTarget, name string, r flow.Request, arg, result any) error {
	return x.updateWorkflow(ctx, t.id(), "cycle", "starter cycle start", name, r, arg, result)
}

func (x *cli) communeState(ctx context.Context, id string) (transformation.CommuneState, error) {
	c, err := x.client()
	if err != nil {
		return transformation.CommuneState{}, err
	}
	return transformation.Client{T: c}.Commune(ctx, id)
}

// ---- kpi ---------------------------------------------------------------------

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

func (x *cli) kpiCommand() *cobra.Command {
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
in force for the province on 1 January of the year, as ` + "`starter cycle start`" + ` picks it,
or from --policy. Without --year every year in the store is shown; --json prints a
list with one entry per year, the shares computed.`,
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
				return cyclePolicy(policyArg, province, y)
			})
			if err != nil {
				return err
			}
			x.print(&target{json: asJSON}, reps, func() { printKPI(x.out, province, reps) })
			return nil
		},
	}
	cmd.Flags().StringVar(&province, "province", "51", "province code (51 = Quảng Ngãi)")
	cmd.Flags().IntVar(&year, "year", 0, "the programme year (default: every year with outcomes in the store)")
	cmd.Flags().StringVar(&policyArg, "policy", "", "shipped policy ID (000–004) or policy file whose targets apply; default: the shipped policy in force for the province on 1 January of the year, else 000")
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

// ---- transformation list / show ----------------------------------------------

func (x *cli) transformationCommand() *cobra.Command {
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
			x.print(&l, ts, func() { printTransformations(x.out, l.province, ts) })
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
			x.print(&s.target, st, func() { printCommuneState(x.out, s.province, st) })
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

// ---- report submit / template ------------------------------------------------

func (x *cli) reportCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "report", Short: "Submit a commune's transformation report, or print an empty one to fill in"}

	var t communeTarget
	var kindArg, file string
	submit := &cobra.Command{
		Use:   "submit",
		Short: "Submit a commune's half-year, yearly or follow-up report from a JSON file (district)",
		Long: `Submit a district's report for one commune (báo cáo kết quả chuyển hóa) to the
commune's transformation workflow: --kind half_year (báo cáo 6 tháng), yearly (báo
cáo năm) or follow_up (báo cáo theo dõi 6 tháng sau sơ kết). The file is JSON in the
shape of cycle.TransformationReport: the figures of the period, the same figures
for the baseline period and, where a criterion compares with it, the area's
average (` + "`starter report template`" + ` prints one with exactly the figures the commune's
criteria need). Unknown fields and anything after the report are refused. The
report is checked against the commune's criteria and evaluated: the verdict is
printed with the figures compared for every criterion. A report missing a figure
is refused whole, with every problem listed; nothing is recorded then.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			kind, err := parseReportKind(kindArg)
			if err != nil {
				return err
			}
			if t.firstYear == 0 {
				t.firstYear = t.year
			}
			rep, err := readReportFile(file)
			if err != nil {
				return err
			}
			// The report the commune expects now must be the year the
			// officer says the figures are for.
			st, err := x.communeState(cmd.Context(), t.id())
			if err != nil {
				return err
			}
			if rs := expectedReport(st, kind); rs != nil && rs.Year != t.year {
				return cycle.Errorf(cycle.ECONFLICT, "the %s of %s expected now is for %d (period %s), not %d: check --year and the figures in %s",
					kind.Vietnamese(), st.Commune.Name, rs.Year, rs.Period.Vietnamese(), t.year, file)
			}
			r := t.request()
			var res transformation.SubmitReportResult
			if err := x.communeUpdate(cmd.Context(), &t, transformation.UpdateSubmitReport, r, transformation.SubmitReportRequest{Request: r, Kind: kind, Report: rep}, &res); err != nil {
				return err
			}
			x.print(&t.target, res, func() {
				late := ""
				if res.Late {
					late = " (late)"
				}
				v := res.Verdict
				fmt.Fprintf(x.out, "%s (%s) of %d for %s (%s) recorded%s: %s — %s (request %s)\n", res.Kind, res.Kind.Vietnamese(), res.Year, v.Name, v.Commune, late, strings.ToUpper(string(v.Outcome)), v.Summary, r.RequestID)
				printVerdictCriteria(x.out, "  ", v, false)
			})
			return nil
		},
	}
	t.actorFlags(submit, cycle.RoleDistrictOfficer)
	submit.Flags().Lookup("year").Usage = "the programme year the report is for (a commune's second year is its first year + 1)"
	t.communeFlags(submit, 0, "the year the commune was first listed (default: --year)")
	submit.Flags().StringVar(&t.district, "district", "", "the officer's unit: district code (the commune's code in a two-tier province)")
	submit.Flags().StringVar(&kindArg, "kind", "", "half_year, yearly or follow_up")
	submit.Flags().StringVarP(&file, "file", "f", "", "report JSON file (cycle.TransformationReport)")
	_ = submit.MarkFlagRequired("kind")
	_ = submit.MarkFlagRequired("file")
	_ = submit.MarkFlagRequired("district")

	var tt communeTarget
	var tkind, policyArg string
	tmpl := &cobra.Command{
		Use:   "template",
		Short: "Print an empty report (JSON) with exactly the figures a commune's criteria need",
		Long: `Print an empty report for a commune in the shape ` + "`starter report submit`" + ` reads: every
figure the commune's criteria need for the period ("figures") and for the baseline
period they are compared with ("baseline"), set to 0 or false, and the area's
average when a criterion compares with it. Fill in the figures and submit it. The
commune's types come from its workflow and the criteria from its cycle's policy
(or --policy). The periods are written to standard error, the report alone to
standard output.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			kind, err := parseReportKind(tkind)
			if err != nil {
				return err
			}
			st, err := x.communeState(cmd.Context(), tt.id())
			if err != nil {
				return err
			}
			pol, err := x.communePolicy(cmd.Context(), st, policyArg)
			if err != nil {
				return err
			}
			rep := reportTemplate(pol, st.Commune)
			fmt.Fprintln(cmd.ErrOrStderr(), templateNote(pol, st, kind))
			enc := json.NewEncoder(x.out)
			enc.SetIndent("", "  ")
			return enc.Encode(rep)
		},
	}
	tt.readFlags(tmpl)
	tmpl.Flags().StringVar(&tkind, "kind", "yearly", "half_year, yearly or follow_up")
	tmpl.Flags().StringVar(&policyArg, "policy", "", "shipped policy ID (000–004) or policy file; default: the policy the commune's cycle runs under")
	cmd.AddCommand(submit, tmpl)
	return cmd
}

func parseReportKind(s string) (cycle.ReportKind, error) {
	switch k := cycle.ReportKind(strings.TrimSpace(s)); k {
	case cycle.ReportHalfYear, cycle.ReportYearly, cycle.ReportFollowUp:
		return k, nil
	}
	return "", cycle.Errorf(cycle.EINVALID, "--kind %q: want half_year, yearly or follow_up", s)
}

// expectedReport is the report of a kind the commune expects next, as its
// workflow picks it: the last one not submitted.
func expectedReport(st transformation.CommuneState, kind cycle.ReportKind) *transformation.ReportStatus {
	var out *transformation.ReportStatus
	for i := range st.Reports {
		if r := &st.Reports[i]; r.Kind == kind && !r.Submitted {
			out = r
		}
	}
	return out
}

// communePolicy is the policy a commune is evaluated under: the one named,
// or the one its cycle runs under.
func (x *cli) communePolicy(ctx context.Context, st transformation.CommuneState, arg string) (cycle.Policy, error) {
	if arg != "" {
		return policies.Resolve(arg)
	}
	cs, err := x.state(ctx, st.CycleID)
	if err != nil {
		return cycle.Policy{}, err
	}
	pol, err := policies.ByID(cs.PolicyID)
	if err != nil {
		return cycle.Policy{}, cycle.Errorf(cycle.ENOTFOUND, "cycle %s runs under policy %q, which is not a shipped policy: give its file with --policy", st.CycleID, cs.PolicyID)
	}
	return pol, nil
}

// reportTemplate is an empty report with exactly the figures
// cycle.ReportNeeds lists for the commune, at 0 (false for yes/no ones).
func reportTemplate(pol cycle.Policy, c cycle.CommuneInProgramme) cycle.TransformationReport {
	figures, baseline, area := cycle.ReportNeeds(pol, c.Types, c.Kind)
	var rep cycle.TransformationReport
	for _, n := range figures {
		_ = rep.Figures.Set(n, 0) // the names come from the catalogue
	}
	for _, n := range baseline {
		_ = rep.Baseline.Set(n, 0)
	}
	if area {
		rep.Area = &cycle.AreaAverage{Name: c.DistrictName}
	}
	return rep
}

// templateNote says which periods a template's figures are for.
func templateNote(pol cycle.Policy, st transformation.CommuneState, kind cycle.ReportKind) string {
	c := st.Commune
	first := c.FirstYear
	if first == 0 {
		first = c.Year
	}
	period := "the six months after the year's review (sơ kết)"
	if rs := expectedReport(st, kind); rs != nil {
		period = rs.Period.Vietnamese()
	} else if kind != cycle.ReportFollowUp {
		period = pol.ReportPeriod(kind, c.Year).Vietnamese()
	}
	note := fmt.Sprintf("# %s (%s) of %s (%s), Loại %s, programme year %d, policy %s\n# figures: %s; baseline: %s",
		kind, kind.Vietnamese(), c.Name, c.Commune, c.Types, c.Year, pol.ID, period, pol.BaselinePeriod(kind, first).Vietnamese())
	if pol.Evaluation == nil {
		note += "\n# policy " + pol.ID + " sets no evaluation method: the council decides, and the report needs no figures"
	}
	return note
}

// readReportFile reads a report strictly: one JSON object in the shape of
// cycle.TransformationReport, no unknown field, nothing after it. Errors
// name the file and, where known, the field and the line.
func readReportFile(file string) (cycle.TransformationReport, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return cycle.TransformationReport{}, err
	}
	return parseReport(file, b)
}

// parseReport is readReportFile's reading of the file's content b. A
// byte-order mark (Windows editors write one) is skipped.
func parseReport(file string, b []byte) (cycle.TransformationReport, error) {
	var rep cycle.TransformationReport
	b = bytes.TrimPrefix(b, []byte("\ufeff"))
	trimmed := bytes.TrimSpace(b)
	if len(trimmed) == 0 {
		return rep, cycle.Errorf(cycle.EINVALID, "%s: the file is empty: want a JSON report (see `starter report template`)", file)
	}
	if trimmed[0] != '{' {
		line, col := jsonPosition(b, int64(len(b)-len(bytes.TrimLeft(b, " \t\r\n"))))
		return rep, cycle.Errorf(cycle.EINVALID, "%s: line %d, column %d: want a JSON object (the report), found %q", file, line, col, jsonFirstToken(trimmed))
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rep); err != nil {
		return rep, reportFileError(file, b, err)
	}
	off := dec.InputOffset()
	if _, err := dec.Token(); err != io.EOF {
		off += int64(len(b[off:]) - len(bytes.TrimLeft(b[off:], " \t\r\n")))
		line, col := jsonPosition(b, off)
		return rep, cycle.Errorf(cycle.EINVALID, "%s: line %d, column %d: unexpected data after the report: the file must hold exactly one JSON object", file, line, col)
	}
	return rep, nil
}

func reportFileError(file string, b []byte, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		line, col := jsonPosition(b, se.Offset)
		return cycle.Errorf(cycle.EINVALID, "%s: line %d, column %d: invalid JSON: %v", file, line, col, se)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return cycle.Errorf(cycle.EINVALID, "%s: invalid JSON: the file ends before the report does", file)
	case errors.As(err, &te):
		line, _ := jsonPosition(b, te.Offset) // the offset is just after the value
		return cycle.Errorf(cycle.EINVALID, "%s: line %d: field %q: want %s, found JSON %s", file, line, te.Field, te.Type, te.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		var doc any
		if json.Unmarshal(b, &doc) == nil {
			if unknown := unknownFields(doc, reflect.TypeOf(cycle.TransformationReport{}), ""); len(unknown) > 0 {
				return cycle.Errorf(cycle.EINVALID, "%s: unknown field %s", file, strings.Join(unknown, ", "))
			}
		}
		return cycle.Errorf(cycle.EINVALID, "%s: %s", file, strings.TrimPrefix(err.Error(), "json: "))
	}
	return cycle.Errorf(cycle.EINVALID, "%s: %v", file, err)
}

// unknownFields lists, with their path, the object keys of doc that t has
// no field for (as encoding/json matches them: exactly, else ignoring
// case), each with the nearest known name when one is close.
func unknownFields(doc any, t reflect.Type, path string) []string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var out []string
	switch t.Kind() {
	case reflect.Struct:
		obj, ok := doc.(map[string]any)
		if !ok {
			return nil
		}
		fields := jsonFieldsOf(t)
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := k
			if path != "" {
				p = path + "." + k
			}
			ft, ok := fields[k]
			if !ok {
				for name, f := range fields {
					if strings.EqualFold(name, k) {
						ft, ok = f, true
						break
					}
				}
			}
			if !ok {
				out = append(out, strconv.Quote(p)+nearestField(k, fields))
				continue
			}
			out = append(out, unknownFields(obj[k], ft, p)...)
		}
	case reflect.Slice, reflect.Array:
		if arr, ok := doc.([]any); ok {
			for i, v := range arr {
				out = append(out, unknownFields(v, t.Elem(), fmt.Sprintf("%s[%d]", path, i))...)
			}
		}
	case reflect.Map:
		if obj, ok := doc.(map[string]any); ok {
			for k, v := range obj {
				out = append(out, unknownFields(v, t.Elem(), path+"."+k)...)
			}
			sort.Strings(out)
		}
	}
	return out
}

// jsonFieldsOf maps the JSON names of a struct's fields to their types.
func jsonFieldsOf(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			for n, ft := range jsonFieldsOf(f.Type) {
				out[n] = ft
			}
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

// suggest names the known field nearest to an unknown one, if it is close.
func nearestField(k string, fields map[string]reflect.Type) string {
	best, bestD := "", 3
	for name := range fields {
		if d := levenshtein(strings.ToLower(k), name); d < bestD || (d == bestD && best != "" && name < best) {
			best, bestD = name, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur := make([]int, len(rb)+1)
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(rb)]
}

// position turns a byte offset into a line and a column (in characters), from 1.
func jsonPosition(b []byte, off int64) (line, col int) {
	if off > int64(len(b)) {
		off = int64(len(b))
	}
	if off < 0 {
		off = 0
	}
	before := b[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	col = utf8.RuneCount(before[bytes.LastIndexByte(before, '\n')+1:]) + 1
	return line, col
}

func jsonFirstToken(b []byte) string {
	if i := bytes.IndexAny(b, " \t\r\n,:"); i > 0 {
		b = b[:i]
	}
	if len(b) > 20 {
		b = b[:20]
	}
	return string(b)
}

// ---- review submit -----------------------------------------------------------

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

// ---- results / recognition ---------------------------------------------------

func (x *cli) resultsCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "results", Short: "The year-end appraisal of a cohort's results: appraise, sign, issue, show"}

	var a cohortTarget
	var file, minutes string
	var overrides []string
	appraise := &cobra.Command{
		Use:   "appraise",
		Short: "Record the council's year-end appraisal of the communes' results (council chair)",
		Long: `Record the appraisal council's year-end appraisal (thẩm định kết quả chuyển hóa) of a
programme year of a cohort: every commune keeps the verdict of its yearly report
unless the council decides otherwise with --override CODE=pass:reason or
CODE=fail:reason (a reason of at least 10 characters is required to override a
verdict, and to decide a commune that sent no report; a scored verdict, under a plan
without a pass mark, must be decided). Or give the appraisal as a JSON file (--file)
in the shape of cycle.ResultsAppraisal. The cohort is the cycle of the year its
communes were first listed (--year-cycle); its second-year communes are appraised
in --year = --year-cycle + 1.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var ap cycle.ResultsAppraisal
			if file != "" {
				if err := readJSONFile(file, &ap); err != nil {
					return err
				}
			}
			ds, err := parseOverrides(overrides)
			if err != nil {
				return err
			}
			ap.Decisions = append(ap.Decisions, ds...)
			if m := cycle.Clean(minutes); m != "" {
				ap.Minutes = m
			}
			r := a.request()
			var res []cycle.CommuneResult
			if err := x.cohortUpdate(cmd.Context(), &a, transformation.UpdateAppraiseResults, r, transformation.AppraiseResultsRequest{Request: r, Year: a.year, Appraisal: ap}, &res); err != nil {
				return err
			}
			x.print(&a.target, res, func() {
				pass := 0
				for _, c := range res {
					if c.Outcome == cycle.OutcomePass {
						pass++
					}
				}
				fmt.Fprintf(x.out, "year %d of %s appraised: %d of %d communes transformed; reported to the head for signing\n", a.year, a.id(), pass, len(res))
				printCommuneResults(x.out, res)
			})
			return nil
		},
	}
	a.actorFlags(appraise, cycle.RoleCouncilChair)
	a.cohortFlags(appraise)
	appraise.Flags().StringVarP(&file, "file", "f", "", "appraisal JSON file (cycle.ResultsAppraisal)")
	appraise.Flags().StringArrayVar(&overrides, "override", nil, "the council's decision on a commune: CODE=pass[:reason] or CODE=fail[:reason]")
	appraise.Flags().StringVar(&minutes, "minutes", "", "summary of the meeting's minutes")

	var s cohortTarget
	sign := &cobra.Command{
		Use:   "sign",
		Short: "Sign the conclusion of a programme year's results (head of the committee)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			r := s.request()
			var res selection.SignResult
			if err := x.cohortUpdate(cmd.Context(), &s, transformation.UpdateSignResults, r, transformation.YearRequest{Request: r, Year: s.year}, &res); err != nil {
				return err
			}
			x.print(&s.target, res, func() {
				fmt.Fprintf(x.out, "results of %d signed on %s%s; the clerk can issue the notices and the summary\n", s.year, res.SignedAt.Vietnamese(), txLateNote(res.Late))
			})
			return nil
		},
	}
	s.actorFlags(sign, cycle.RoleSigner)
	s.cohortFlags(sign)

	var i cohortTarget
	issue := &cobra.Command{
		Use:   "issue",
		Short: "Number, date and issue the continuation and responsibility notices and the yearly summary (clerk)",
		Long: `Issue the documents of a programme year's results, each numbered in the issuing
body's register, signed and sealed: the notice of the communes continuing into a
second year (Thông báo tiếp tục chuyển hóa năm thứ hai), the notice of the
responsibility review of communes that failed their second year (Thông báo kiểm
điểm trách nhiệm), and the yearly summary with the province's indicators (Báo cáo
kết quả chuyển hóa năm). Each commune then hears its outcome.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			r := i.request()
			var docs []cycle.Decision
			if err := x.cohortUpdate(cmd.Context(), &i, transformation.UpdateIssueResults, r, transformation.YearRequest{Request: r, Year: i.year}, &docs); err != nil {
				return err
			}
			x.print(&i.target, docs, func() {
				fmt.Fprintf(x.out, "results of %d issued: %d documents\n", i.year, len(docs))
				for _, d := range docs {
					printTxDocument(x.out, d)
				}
			})
			return nil
		},
	}
	i.actorFlags(issue, cycle.RoleClerk)
	i.cohortFlags(issue)

	var sh cohortTarget
	show := &cobra.Command{
		Use:   "show",
		Short: "Show a cohort's transformation years: communes, verdicts, results, documents, recognitions",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := x.state(cmd.Context(), sh.id())
			if err != nil {
				return err
			}
			x.print(&sh.target, st.Transformation, func() { printCohortState(x.out, st, sh.year) })
			return nil
		},
	}
	show.Flags().StringVar(&sh.province, "province", "51", "province code (51 = Quảng Ngãi)")
	show.Flags().IntVar(&sh.cycleYear, "year-cycle", 2027, "the cohort's cycle: the year its communes were first listed")
	show.Flags().IntVar(&sh.year, "year", 0, "only this programme year (default: every year of the cohort)")
	show.Flags().BoolVar(&sh.json, "json", false, "print JSON")
	cmd.AddCommand(appraise, sign, issue, show)
	return cmd
}

func (x *cli) recognitionCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "recognition", Short: "Recognise the communes that held at their follow-up: sign and issue the decision"}

	var s cohortTarget
	sign := &cobra.Command{
		Use:   "sign",
		Short: "Sign the decision recognising the communes transformed (head of the committee)",
		Long: `Sign the decision recognising as transformed (công nhận địa bàn chuyển hóa đạt) the
communes of a programme year that passed and still met the criteria at their
follow-up six months after the review. The task opens once every follow-up report
of the year is in.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			r := s.request()
			var res selection.SignResult
			if err := x.cohortUpdate(cmd.Context(), &s, transformation.UpdateSignRecognition, r, transformation.YearRequest{Request: r, Year: s.year}, &res); err != nil {
				return err
			}
			x.print(&s.target, res, func() {
				fmt.Fprintf(x.out, "recognition of %d signed on %s%s; the clerk can issue it\n", s.year, res.SignedAt.Vietnamese(), txLateNote(res.Late))
			})
			return nil
		},
	}
	s.actorFlags(sign, cycle.RoleSigner)
	s.cohortFlags(sign)

	var i cohortTarget
	issue := &cobra.Command{
		Use:   "issue",
		Short: "Number, date and issue the signed recognition decision (clerk)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			r := i.request()
			var d cycle.Decision
			if err := x.cohortUpdate(cmd.Context(), &i, transformation.UpdateIssueRecognition, r, transformation.YearRequest{Request: r, Year: i.year}, &d); err != nil {
				return err
			}
			x.print(&i.target, d, func() {
				fmt.Fprintf(x.out, "recognition decision Số %s issued on %s: %d communes\n  PDF: %s\n  SHA-256: %s\n", d.Code, d.Date.Vietnamese(), len(d.Communes), x.pdfPath(context.Background(), d), d.SHA256)
			})
			return nil
		},
	}
	i.actorFlags(issue, cycle.RoleClerk)
	i.cohortFlags(issue)
	cmd.AddCommand(sign, issue)
	return cmd
}

// parseOverrides parses --override CODE=pass[:reason] and CODE=fail[:reason].
func parseOverrides(flags []string) ([]cycle.ResultDecision, error) {
	var out []cycle.ResultDecision
	var probs []cycle.Problem
	for _, f := range flags {
		field := "--override " + strconv.Quote(f)
		code, rest, ok := strings.Cut(f, "=")
		code = cycle.Clean(code)
		outcome, reason, _ := strings.Cut(rest, ":")
		outcome = strings.ToLower(strings.TrimSpace(outcome))
		switch {
		case !ok || code == "":
			probs = append(probs, cycle.Problem{Field: field, Rule: "flag.override", Message: `want CODE=pass or CODE=fail, with ":reason" to override a verdict (e.g. 21073=fail:số vụ phạm tội không giảm so với cùng kỳ)`})
		case outcome != string(cycle.OutcomePass) && outcome != string(cycle.OutcomeFail):
			probs = append(probs, cycle.Problem{Field: field, Rule: "flag.override", Message: fmt.Sprintf("outcome %q: want pass or fail", outcome)})
		default:
			out = append(out, cycle.ResultDecision{Commune: code, Outcome: cycle.Outcome(outcome), Reason: cycle.Clean(reason)})
		}
	}
	if err := cycle.Invalid("bad --override", probs); err != nil {
		return nil, err
	}
	return out, nil
}

func printCommuneResults(w io.Writer, res []cycle.CommuneResult) {
	tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
	fmt.Fprintln(tw, "  COMMUNE\tDISTRICT\tYEAR\tVERDICT\tOUTCOME\tREASON")
	for _, r := range res {
		c := r.Commune
		verdict := string(r.Verdict.Outcome) + ": " + r.Verdict.Summary
		if !r.Reported {
			verdict = "no yearly report"
		} else if r.Late {
			verdict += " (late report)"
		}
		outcome := string(r.Outcome)
		if r.Overridden {
			outcome += " (overridden)"
		}
		fmt.Fprintf(tw, "  %s (%s)\t%s\t%s\t%s\t%s\t%s\n", c.Name, c.Commune, txDash(c.DistrictName), c.YearNoLabel(), verdict, outcome, r.Reason)
	}
	tw.Flush()
}

// txDocKinds names the transformation year's documents as officers do.
var txDocKinds = map[string]string{
	cycle.DocRecognition:    "Quyết định công nhận địa bàn chuyển hóa đạt",
	cycle.DocContinuation:   "Thông báo tiếp tục chuyển hóa năm thứ hai",
	cycle.DocResponsibility: "Thông báo kiểm điểm trách nhiệm",
	cycle.DocSummary:        "Báo cáo kết quả chuyển hóa năm",
}

func printTxDocument(w io.Writer, d cycle.Decision) {
	name := txDocKinds[d.Kind]
	if name == "" {
		name = d.Kind
	}
	fmt.Fprintf(w, "  Số %s of %s — %s", d.Code, d.Date.Vietnamese(), name)
	if len(d.Communes) > 0 {
		fmt.Fprintf(w, ", %d communes", len(d.Communes))
	}
	fmt.Fprintf(w, "\n    SHA-256: %s (the PDF: starter archive fetch %s)\n", d.SHA256, d.ID)
}

func printCohortState(w io.Writer, st selection.CycleState, only int) {
	tx := st.Transformation
	if tx == nil {
		fmt.Fprintf(w, "cycle %s has no transformation year yet (phase %s): it starts when the approval decision is issued\n", st.CycleID, st.Phase)
		return
	}
	fmt.Fprintf(w, "Cohort of cycle %s — %s, policy %s; phase %s (today %s)\n", st.CycleID, st.ProvinceName, st.PolicyID, st.Phase, st.Today.Vietnamese())
	if tx.Approval != "" {
		fmt.Fprintf(w, "Listed by %s\n", tx.Approval)
	}
	fmt.Fprintf(w, "\nCommunes: %d\n", len(tx.Communes))
	tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
	for _, c := range tx.Communes {
		closed := ""
		if c.Closed {
			closed = "closed"
		}
		fmt.Fprintf(tw, "  %s (%s)\t%s\t%d, %s\t%s\t%s\n", c.Name, c.Commune, txDash(c.UnitName), c.Year, c.YearNoLabel(), c.Standing, closed)
	}
	tw.Flush()
	for _, y := range tx.Years {
		if only != 0 && y.Year != only {
			continue
		}
		fmt.Fprintf(w, "\nProgramme year %d: %d communes, %d yearly verdicts in\n", y.Year, len(y.Communes), len(y.Verdicts))
		switch {
		case y.Results != nil:
			printCommuneResults(w, y.Results)
		case y.Opened:
			fmt.Fprintln(w, "  the council's appraisal is open (starter results appraise)")
		}
		if y.Signed {
			fmt.Fprintf(w, "  signed by %s on %s\n", y.SignedBy.ID, y.SignedOn.Vietnamese())
		}
		for _, d := range y.Documents {
			printTxDocument(w, d)
		}
	}
	for _, b := range tx.Batches {
		if only != 0 && b.Year != only {
			continue
		}
		fmt.Fprintf(w, "\nRecognition of %d: %d communes passed, %d follow-ups in\n", b.Year, len(b.Communes), len(b.Verdicts))
		if b.Signed {
			fmt.Fprintf(w, "  signed by %s on %s\n", b.SignedBy.ID, b.SignedOn.Vietnamese())
		}
		if b.Decision != nil {
			printTxDocument(w, *b.Decision)
		}
	}
	if len(st.OpenTasks) > 0 {
		fmt.Fprintf(w, "\nOpen tasks of the cycle: %d\n", len(st.OpenTasks))
		for _, t := range st.OpenTasks {
			fmt.Fprintf(w, "  due %s  %s %s  %s\n", t.Due.Vietnamese(), t.Role, t.District, t.Title)
		}
	}
}

func txLateNote(late bool) string {
	if late {
		return " (late)"
	}
	return ""
}
