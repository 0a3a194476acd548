package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/selection"
)

// The cohort's year-end steps, sent to its cycle: the council's
// appraisal of the results, the signatures and the documents of the
// results and of the recognition.

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
			probs = append(probs, flagProblem(field, "flag.override", cycle.Text{VI: "Cần ghi «mã xã=pass» (đạt) hoặc «mã xã=fail» (không đạt), kèm «:lý do» khi khác kết quả đánh giá (ví dụ 21073=fail:số vụ phạm tội không giảm so với cùng kỳ)", EN: `want CODE=pass or CODE=fail, with ":reason" to override a verdict (e.g. 21073=fail:số vụ phạm tội không giảm so với cùng kỳ)`}))
		case outcome != string(cycle.OutcomePass) && outcome != string(cycle.OutcomeFail):
			probs = append(probs, flagProblem(field, "flag.override", cycle.Text{VI: "Kết quả «%s» không hợp lệ: chỉ ghi pass (đạt) hoặc fail (không đạt)", EN: "outcome %q: want pass or fail"}, outcome))
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

func printTxDocument(w io.Writer, d cycle.Decision) {
	name := cycle.DocumentTitle(d.Kind)
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
