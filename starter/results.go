package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/selection"
	"chuyenhoa/workflows/transformation"
)

// The cohort's year-end steps, sent to its cycle: the council's
// appraisal of the results, the signatures and the documents of the
// results and of the recognition.

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
