package main

import (
	"encoding/json"
	"fmt"
	"strings"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/awards"
	"chuyenhoa/workflows/selection"
	"chuyenhoa/workflows/transformation"
)

// ---- what a completion did ------------------------------------------------------

// printResult says what the workflow answered to a completion.
func (x *taskFlow) printResult(kind cycle.TaskKind, res json.RawMessage) {
	say := func(code string, args ...any) string { return cycle.Say(x.lang, code, args...) }
	w := x.out
	late := func(l bool) string {
		if l {
			return " (" + say("cli.late") + ")"
		}
		return ""
	}
	switch kind {
	case cycle.TaskSubmitProposal:
		var v selection.SubmitProposalResult
		if json.Unmarshal(res, &v) == nil {
			fmt.Fprintln(w, say("cli.result_proposal", v.Unit, v.Revision, v.Proposed)+late(v.Late))
		}
	case cycle.TaskConsolidate:
		var v selection.ConsolidateResult
		if json.Unmarshal(res, &v) == nil {
			fmt.Fprintln(w, say("cli.result_consolidate", len(v.Draft)))
			x.listed(v.Draft)
		}
	case cycle.TaskAppraise:
		var v selection.AppraiseResult
		if json.Unmarshal(res, &v) == nil {
			if v.Returned {
				fmt.Fprintln(w, say("cli.result_returned"))
			} else {
				fmt.Fprintln(w, say("cli.result_approved", len(v.List)))
				x.listed(v.List)
			}
		}
	case cycle.TaskSign, cycle.TaskSignResults, cycle.TaskSignRecognition, cycle.TaskAwardSign:
		var v transformation.SignResult
		var d cycle.Date
		switch {
		case json.Unmarshal(res, &v) == nil && !v.SignedAt.IsZero():
			fmt.Fprintln(w, say("cli.result_signed", v.SignedAt.Vietnamese())+late(v.Late))
		case json.Unmarshal(res, &d) == nil && !d.IsZero():
			fmt.Fprintln(w, say("cli.result_signed", d.Vietnamese()))
		}
	case cycle.TaskIssue, cycle.TaskIssueResults, cycle.TaskIssueRecognition, cycle.TaskAwardIssue:
		var ds []cycle.Decision
		var d cycle.Decision
		if json.Unmarshal(res, &d) == nil && d.Code != "" {
			ds = []cycle.Decision{d}
		} else {
			_ = json.Unmarshal(res, &ds)
		}
		for _, d := range ds {
			fmt.Fprintln(w, say("cli.result_issued", d.Code, d.Date.Vietnamese(), len(d.Communes), d.SHA256))
		}
	case cycle.TaskHalfYearReport, cycle.TaskYearlyReport, cycle.TaskFollowUpReport:
		var v transformation.SubmitReportResult
		if json.Unmarshal(res, &v) == nil {
			fmt.Fprintln(w, say("cli.result_report", v.Kind.Vietnamese(), v.Year, v.Verdict.Name, v.Verdict.Commune, outcomeText(x.lang, v.Verdict.Outcome), v.Verdict.Summary)+late(v.Late))
			for _, r := range v.Verdict.Results {
				if r.Skipped {
					continue
				}
				mark := say("cli.met")
				if !r.Passed {
					mark = say("cli.not_met")
				}
				fmt.Fprintf(w, "  %-10s %s: %s\n", mark, r.Name, r.Detail)
			}
		}
	case cycle.TaskFailureReview, cycle.TaskResponsibilityReview:
		fmt.Fprintln(w, say("cli.result_review"))
	case cycle.TaskAppraiseResults:
		var v []cycle.CommuneResult
		if json.Unmarshal(res, &v) == nil {
			pass := 0
			for _, c := range v {
				if c.Outcome == cycle.OutcomePass {
					pass++
				}
			}
			fmt.Fprintln(w, say("cli.result_results", pass, len(v)))
			for _, c := range v {
				line := fmt.Sprintf("  %s (%s): %s", c.Commune.Name, c.Commune.Commune, outcomeText(x.lang, c.Outcome))
				if c.Overridden {
					line += " — " + say("cli.overridden", c.Reason)
				}
				fmt.Fprintln(w, line)
			}
		}
	case cycle.TaskNominate:
		var v awards.NominateResult
		if json.Unmarshal(res, &v) == nil {
			fmt.Fprintln(w, say("cli.result_nominate", v.Unit, v.Revision, len(v.IDs), strings.Join(v.IDs, ", ")))
		}
	case cycle.TaskAwardReview:
		var v awards.ReviewAwardsResult
		if json.Unmarshal(res, &v) == nil {
			fmt.Fprintln(w, say("cli.result_award_review", len(v.Accepted)))
		}
	}
}

func (x *taskFlow) listed(list []cycle.ListedCommune) {
	rows := [][]string{{"#", cycle.Say(x.lang, "cli.col_commune"), cycle.Say(x.lang, "cli.col_district"), cycle.Say(x.lang, "cli.col_types")}}
	for _, l := range list {
		rows = append(rows, []string{fmt.Sprint(l.Rank), l.Name + " (" + l.Commune + ")", l.DistrictName, l.Types.String()})
	}
	table(x.out, "  ", rows)
}

func outcomeText(lang cycle.Lang, o cycle.Outcome) string {
	switch o {
	case cycle.OutcomePass:
		return cycle.Say(lang, "cli.outcome_pass")
	case cycle.OutcomeFail:
		return cycle.Say(lang, "cli.outcome_fail")
	}
	return cycle.Say(lang, "cli.outcome_council")
}
