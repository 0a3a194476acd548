package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"chuyenhoa/api"
	"chuyenhoa/cycle"
	"chuyenhoa/policies"
	"chuyenhoa/workflows/awards"
	"chuyenhoa/workflows/selection"
	"chuyenhoa/workflows/transformation"
)

// taskFlow is what the task commands, the per-kind commands and the
// office's commands share: finding a task, its detail, completing it and
// printing the result.
type taskFlow struct{ *cli }

// resolve is the address a completing command acts on: the one given, or
// the only open task of the kinds in the account's inbox.
func (x *taskFlow) resolve(ctx context.Context, cmd *cobra.Command, args []string, f taskFlags, match func(api.TaskView) bool, kinds ...cycle.TaskKind) (string, error) {
	if len(args) == 1 {
		addr, err := taskAddress(args[0])
		if err != nil {
			return "", err
		}
		k := kindOfAddress(addr)
		for _, want := range kinds {
			if k == want {
				return addr, nil
			}
		}
		alt := "starter task do " + addr + " --file …"
		if c, ok := kindCommand[k]; ok {
			alt = fmt.Sprintf(c, addr)
		}
		return "", usageError{cmd: cmd, err: fmt.Errorf("%s", cycle.Say(x.lang, "cli.wrong_kind", addr, k.Say(x.lang), alt))}
	}
	s, err := x.signedIn()
	if err != nil {
		return "", err
	}
	q := url.Values{}
	if f.cycle != "" {
		q.Set("cycle", f.cycle)
	}
	var res api.TasksResponse
	if _, err := x.call(ctx, request{method: "GET", path: "/api/tasks", query: q}, &res); err != nil {
		return "", err
	}
	role := s.Account.Role
	if role == cycle.RoleDeputy {
		role = cycle.RoleSigner
	}
	var found []api.TaskView
	for _, t := range res.Tasks {
		if t.Role != role || (match != nil && !match(t)) {
			continue
		}
		for _, k := range kinds {
			if t.Kind == k {
				found = append(found, t)
			}
		}
	}
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = k.Say(x.lang)
	}
	switch len(found) {
	case 1:
		fmt.Fprintln(x.errOut, cycle.Say(x.lang, "cli.resolved", found[0].Title, found[0].Address))
		return found[0].Address, nil
	case 0:
		// A unit's proposal is revised after it was sent (its task is no
		// longer open): its address is the cycle's and the unit's.
		if len(kinds) == 1 && kinds[0] == cycle.TaskSubmitProposal && f.cycle != "" && s.Account.District != "" {
			return strings.Trim(f.cycle, "/") + "/" + cycle.TaskID(cycle.TaskSubmitProposal, s.Account.District), nil
		}
		return "", cycle.Fail(cycle.ENOTFOUND, "cli.no_task", strings.Join(names, ", "))
	}
	var list []string
	for _, t := range found {
		list = append(list, "  "+t.Address+"  ("+t.Title+")")
	}
	return "", usageError{cmd: cmd, err: fmt.Errorf("%s\n%s", cycle.Say(x.lang, "cli.several_tasks", strings.Join(names, ", ")), strings.Join(list, "\n"))}
}

// pairs reads CODE=text flags; a flag without "=" or a code is bad usage.
func (x *taskFlow) pairs(flag string, vals []string) ([][2]string, error) {
	var out [][2]string
	for _, v := range vals {
		code, text, ok := strings.Cut(v, "=")
		code = cycle.Clean(code)
		if !ok || code == "" {
			return nil, cycle.Fail(eUsage, "cli.bad_pair", flag, v)
		}
		out = append(out, [2]string{code, cycle.Clean(text)})
	}
	return out, nil
}

// detail reads a task's detail.
func (x *taskFlow) detail(ctx context.Context, addr string) (*api.TaskDetail, []byte, error) {
	var d api.TaskDetail
	raw, err := x.call(ctx, request{method: "GET", path: "/api/tasks/" + escapePath(addr)}, &d)
	if err != nil {
		return nil, raw, err
	}
	return &d, raw, nil
}

// complete sends a task's completion with a request ID, prints it first
// (so that a retry can name it) and then what the workflow answered.
func (x *taskFlow) complete(ctx context.Context, addr string, r request, given, file string) error {
	key, err := x.requestKey(given)
	if err != nil {
		return err
	}
	r.method, r.path, r.key = "POST", "/api/tasks/"+escapePath(addr), key
	fmt.Fprintln(x.errOut, cycle.Say(x.lang, "cli.request_id_task", key, addr))
	var res api.CompletionResponse
	raw, err := x.call(ctx, r, &res)
	if err != nil {
		if ae, ok := err.(*apiError); ok && file != "" {
			for i := range ae.Err.Problems {
				if w := ae.Err.Problems[i].Where; w != nil && w.File == "" {
					w.File = filepath.Base(file)
				}
			}
		}
		return err
	}
	if x.jsonOut {
		return x.raw(raw)
	}
	kind := kindOfAddress(addr)
	x.printf("cli.done", kind.Say(x.lang), addr)
	x.printResult(kind, res.Result)
	x.printf("cli.done_request", key)
	return nil
}

// saveFile writes a downloaded file where asked (or under its own name).
func (x *taskFlow) saveFile(out, name string, data []byte) error {
	if out == "-" {
		_, err := x.out.Write(data)
		return err
	}
	if out == "" {
		out = filepath.Base(name)
		if out == "" || out == "." || out == "/" {
			out = "tep-tai-ve"
		}
	}
	if err := writeNew(out, data); err != nil {
		return err
	}
	x.printf("cli.saved", out, cycle.Int(len(data)))
	return nil
}

// showPolicy prints the policy a cycle or round will run under and its
// calendar, and returns its ID.
func (x *taskFlow) showPolicy(ctx context.Context, ref cycleRef, want string, needAwards bool) (string, error) {
	var ps api.PoliciesResponse
	q := url.Values{"province": {ref.province}, "year": {strconv.Itoa(ref.year)}}
	if _, err := x.call(ctx, request{method: "GET", path: "/api/policies", query: q}, &ps); err != nil {
		return "", err
	}
	var chosen *api.PolicyChoice
	for i := range ps.Policies {
		p := &ps.Policies[i]
		if (want == "" && p.InForce) || (want != "" && policies.Names(want, p.ID)) {
			chosen = p
			break
		}
	}
	if chosen == nil {
		var ids []string
		for _, p := range ps.Policies {
			ids = append(ids, "\n  - "+p.ID+": "+p.Name)
		}
		if want == "" {
			return "", cycle.Fail(eUsage, "cli.no_policy_in_force", ref.province, ref.year, strings.Join(ids, ""))
		}
		return "", cycle.Fail(eUsage, "cli.no_such_policy", want, strings.Join(ids, ""))
	}
	how := cycle.Say(x.lang, "cli.policy_given")
	if chosen.InForce {
		how = cycle.Say(x.lang, "cli.policy_in_force")
	}
	x.printf("cli.policy", chosen.ID, chosen.Name, how)
	if needAwards && !chosen.Awards {
		return "", cycle.Fail(cycle.EINVALID, "cli.policy_no_awards", chosen.ID)
	}
	x.printf("cli.calendar", ref.year)
	for _, m := range chosen.Timeline {
		when := m.On.Vietnamese()
		if !m.Until.IsZero() {
			when += " – " + m.Until.Vietnamese()
		}
		line := fmt.Sprintf("  %-25s %s", when, m.Step)
		if m.Clause != "" {
			line += " (" + m.Clause + ")"
		}
		fmt.Fprintln(x.out, line)
	}
	return chosen.ID, nil
}

func (x *taskFlow) nominations(b io.Writer, ns []cycle.Nomination) {
	if len(ns) == 0 {
		return
	}
	say := func(code string, args ...any) string { return cycle.Say(x.lang, code, args...) }
	rows := [][]string{{say("cli.col_id"), say("cli.col_name"), say("cli.col_kind"), say("cli.col_unit"), say("cli.col_achievement")}}
	for _, n := range ns {
		k := say("cli.nominee_person")
		if n.Kind == cycle.NomineeCollective {
			k = say("cli.nominee_collective")
		}
		name := n.Name
		if n.Position != "" {
			name += ", " + n.Position
		}
		rows = append(rows, []string{n.ID, name, k, n.Unit, n.Achievements})
	}
	table(b, "  ", rows)
}

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
	case cycle.TaskSign, cycle.TaskSignResults, cycle.TaskSignRecognition, cycle.TaskSignReview, cycle.TaskAwardSign:
		var v transformation.SignResult
		var d cycle.Date
		switch {
		case json.Unmarshal(res, &v) == nil && !v.SignedAt.IsZero():
			fmt.Fprintln(w, say("cli.result_signed", v.SignedAt.Vietnamese())+late(v.Late))
			if d := v.Document; d != nil { // the review report: the signature issues it
				fmt.Fprintln(w, say("cli.result_review_issued", d.Code, d.Date.Vietnamese(), d.SHA256))
			}
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
			fmt.Fprintln(w, x.issued(d))
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
	case cycle.TaskPlanReport:
		var v transformation.PlanStepStatus
		if json.Unmarshal(res, &v) == nil {
			fmt.Fprintln(w, say("cli.result_plan_report", v.Name, v.Due.Vietnamese())+late(v.Late))
			if d := v.Document; d != nil {
				fmt.Fprintln(w, say("cli.result_review_issued", d.Code, d.Date.Vietnamese(), d.SHA256))
			}
		}
	case cycle.TaskAppraiseResults, cycle.TaskAppraiseRecognition:
		var v []cycle.CommuneResult
		if json.Unmarshal(res, &v) == nil {
			pass := 0
			for _, c := range v {
				if c.Outcome == cycle.OutcomePass {
					pass++
				}
			}
			said := map[cycle.TaskKind]string{cycle.TaskAppraiseResults: "cli.result_results", cycle.TaskAppraiseRecognition: "cli.result_recognition"}[kind]
			fmt.Fprintln(w, say(said, pass, len(v)))
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

// writeNew writes data to path, refusing to replace a file that holds
// other bytes (a signed copy must not be overwritten by another version
// of the same name); the same bytes again are no change.
func writeNew(path string, data []byte) error {
	if old, err := os.ReadFile(path); err == nil {
		if bytes.Equal(old, data) {
			return nil
		}
		return cycle.Fail(eUsage, "cli.file_exists", path)
	}
	return os.WriteFile(path, data, 0o644)
}
