package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"

	"github.com/spf13/cobra"

	"chuyenhoa/api"
	"chuyenhoa/cycle"
)

// The inbox and one task: its detail with the form's data, claim and
// release, drafts, supporting files, and completing it with the JSON body
// its kind takes (the friendly commands per kind build that body).

// taskAddress normalises what an officer gives as a task's address: the
// address the inbox prints (cycle/51/2027/submit_proposal/522), or the
// web's or the API's URL of it.
func taskAddress(s string) (string, error) {
	s = strings.TrimSpace(s)
	if u, err := url.Parse(s); err == nil && u.Scheme != "" {
		s = u.Path
	}
	s = strings.Trim(s, "/")
	for _, p := range []string{"api/tasks/", "tasks/"} {
		s = strings.TrimPrefix(s, p)
	}
	parts := strings.Split(s, "/")
	if len(parts) < 4 || (parts[0] != "cycle" && parts[0] != "awards") {
		return "", cycle.Fail(eUsage, "cli.bad_address", s)
	}
	return s, nil
}

// kindForm is the form (and so the data) of each kind of task, as the API
// lays it out (api/formdata.go).
var kindForm = map[cycle.TaskKind]string{
	cycle.TaskSubmitProposal:       "proposal",
	cycle.TaskConsolidate:          "consolidate",
	cycle.TaskAppraise:             "list",
	cycle.TaskSign:                 "list",
	cycle.TaskIssue:                "list",
	cycle.TaskHalfYearReport:       "report",
	cycle.TaskYearlyReport:         "report",
	cycle.TaskFollowUpReport:       "report",
	cycle.TaskFailureReview:        "review",
	cycle.TaskResponsibilityReview: "review",
	cycle.TaskAppraiseResults:      "results",
	cycle.TaskSignResults:          "list",
	cycle.TaskIssueResults:         "list",
	cycle.TaskSignRecognition:      "list",
	cycle.TaskIssueRecognition:     "list",
	cycle.TaskNominate:             "nominate",
	cycle.TaskAwardReview:          "award-review",
	cycle.TaskAwardSign:            "list",
	cycle.TaskAwardIssue:           "list",
}

// kindCommand is the friendly command that completes a kind of task.
var kindCommand = map[cycle.TaskKind]string{
	cycle.TaskSubmitProposal:       "starter proposal submit %s -f de-xuat.csv",
	cycle.TaskConsolidate:          "starter consolidate %s [--keep MÃ=lý-do] [--drop MÃ=lý-do]",
	cycle.TaskAppraise:             "starter appraise %s --approve | --return --reason \"…\"",
	cycle.TaskSign:                 "starter sign %s [--comment \"…\"]",
	cycle.TaskIssue:                "starter issue %s",
	cycle.TaskHalfYearReport:       "starter report submit %s --figure TÊN=SỐ … --baseline TÊN=SỐ …",
	cycle.TaskYearlyReport:         "starter report submit %s --figure TÊN=SỐ … --baseline TÊN=SỐ …",
	cycle.TaskFollowUpReport:       "starter report submit %s --figure TÊN=SỐ … --baseline TÊN=SỐ …",
	cycle.TaskFailureReview:        "starter review submit %s --causes \"…\" --remedies \"…\"",
	cycle.TaskResponsibilityReview: "starter review submit %s --responsible \"đơn vị|người|chức vụ|kết luận\" --emulation \"…\"",
	cycle.TaskAppraiseResults:      "starter results appraise %s [--pass MÃ=lý-do] [--fail MÃ=lý-do]",
	cycle.TaskSignResults:          "starter results sign %s",
	cycle.TaskIssueResults:         "starter results issue %s",
	cycle.TaskSignRecognition:      "starter recognition sign %s",
	cycle.TaskIssueRecognition:     "starter recognition issue %s",
	cycle.TaskNominate:             "starter awards nominate %s -f de-nghi.json",
	cycle.TaskAwardReview:          "starter awards review %s --accept MÃ … [--reject MÃ=lý-do] --minutes \"…\"",
	cycle.TaskAwardSign:            "starter awards sign %s",
	cycle.TaskAwardIssue:           "starter awards issue %s",
}

// ---- the inbox -------------------------------------------------------------------

func (x *taskCommands) tasksCommand() *cobra.Command {
	var kind, cycleID, unit string
	var overdue, everyone bool
	cmd := &cobra.Command{
		Use:     "tasks",
		Aliases: []string{"inbox"},
		Short:   "Việc cần làm (your inbox: open tasks, earliest due first)",
		Long: `Việc cần làm của tài khoản đang đăng nhập, hạn sớm nhất trước, việc quá hạn được
đánh dấu; mỗi việc có địa chỉ để xem (starter task show ĐỊA-CHỈ) và hoàn thành.
Lọc theo loại việc (--kind, ví dụ submit_proposal, yearly_report), chu kỳ hoặc đợt
(--cycle cycle/51/2027), đơn vị (--unit) và chỉ việc quá hạn (--overdue).
Cơ quan Thường trực xem cả việc đang mở của mọi cán bộ để đôn đốc: --all.

The signed-in account's open tasks, with their due dates and addresses.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			q := url.Values{}
			if kind != "" {
				q.Set("kind", kind)
			}
			if cycleID != "" {
				q.Set("cycle", cycleID)
			}
			if unit != "" {
				q.Set("unit", unit)
			}
			if overdue {
				q.Set("overdue", "1")
			}
			if everyone {
				q.Set("all", "1")
			}
			var res api.TasksResponse
			raw, err := x.call(cmd.Context(), request{method: "GET", path: "/api/tasks", query: q}, &res)
			if err != nil {
				return err
			}
			if x.jsonOut {
				return x.raw(raw)
			}
			x.printInbox(res)
			return nil
		},
	}
	cmd.Flags().StringVar(&kind, "kind", "", "only tasks of this kind (submit_proposal, consolidate, yearly_report, …)")
	cmd.Flags().StringVar(&cycleID, "cycle", "", "only this cycle or award round (cycle/51/2027, awards/51/2027)")
	cmd.Flags().StringVar(&unit, "unit", "", "only tasks of this unit (district or commune code)")
	cmd.Flags().BoolVar(&overdue, "overdue", false, "only overdue tasks")
	cmd.Flags().BoolVar(&everyone, "all", false, "the secretariat: every officer's open tasks, to follow them up")
	return cmd
}

// printInbox prints the inbox: one block per task.
func (x *taskCommands) printInbox(res api.TasksResponse) {
	w := x.out
	late := 0
	for _, t := range res.Tasks {
		if t.Overdue {
			late++
		}
	}
	who := ""
	if x.sess != nil {
		who = x.sess.Account.ID
		if x.sess.Account.Name != "" {
			who += " (" + x.sess.Account.Name + ")"
		}
	}
	x.printf("cli.inbox_head", who, res.Today.Vietnamese(), len(res.Tasks), late)
	if len(res.Tasks) == 0 {
		x.printf("cli.inbox_empty")
		return
	}
	for i, t := range res.Tasks {
		fmt.Fprintf(w, "\n%d. %s\n", i+1, t.Title)
		fmt.Fprintf(w, "   %s\n", t.Process)
		fmt.Fprintf(w, "   %s · %s\n", upperFirst(x.dueText(t)), x.holderText(t.Claim))
		fmt.Fprintf(w, "   %s %s\n", cycle.Say(x.lang, "cli.address"), t.Address)
	}
	fmt.Fprintln(w)
	x.printf("cli.inbox_foot")
}

// dueText says a task's due date and how far it is.
func (x *taskCommands) dueText(t api.TaskView) string {
	if t.Due.IsZero() {
		return cycle.Say(x.lang, "cli.no_due")
	}
	switch {
	case t.Overdue:
		return cycle.Say(x.lang, "cli.due_overdue", t.Due.Vietnamese(), -t.DaysLeft)
	case t.DaysLeft == 0:
		return cycle.Say(x.lang, "cli.due_today", t.Due.Vietnamese())
	}
	return cycle.Say(x.lang, "cli.due_left", t.Due.Vietnamese(), t.DaysLeft)
}

func (x *taskCommands) holderText(c *cycle.Claim) string {
	if c == nil {
		return cycle.Say(x.lang, "cli.unclaimed")
	}
	name := c.Account
	if c.Name != "" {
		name = c.Name + " (" + c.Account + ")"
	}
	return cycle.Say(x.lang, "cli.claimed_by", name, timeVN(c.At))
}

// ---- one task ----------------------------------------------------------------------

func (x *taskCommands) taskCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "task",
		Short: "Một việc: xem, nhận, trả, lưu nháp, đính kèm, hoàn thành (one task by its address)",
		Long: `Một việc theo địa chỉ của nó (như starter tasks in ra, ví dụ
cycle/51/2027/submit_proposal/522): xem việc cần làm, hạn, người đang nhận, lịch sử
và dữ liệu của biểu mẫu (show); nhận việc để người khác cùng đơn vị không làm trùng
(claim) hoặc trả lại (release); lưu bản nháp (draft); đính kèm tệp (attach) và tải
tệp về (file); hoàn thành với nội dung JSON của loại việc (do).`,
	}
	cmd.AddCommand(x.taskShowCommand(), x.taskClaimCommand(true), x.taskClaimCommand(false), x.taskDraftCommand(),
		x.taskAttachCommand(), x.taskFileCommand(), x.taskDoCommand())
	return cmd
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

func (x *taskCommands) taskShowCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "show ADDRESS",
		Short: "Xem một việc: cần làm gì, hạn, ai đang nhận, lịch sử, dữ liệu của biểu mẫu",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			addr, err := taskAddress(args[0])
			if err != nil {
				return err
			}
			d, raw, err := x.detail(cmd.Context(), addr)
			if err != nil {
				return err
			}
			if x.jsonOut {
				return x.raw(raw)
			}
			x.printDetail(d, raw)
			return nil
		},
	}
}

// printDetail prints a task's detail for an officer.
func (x *taskCommands) printDetail(d *api.TaskDetail, raw []byte) {
	w := x.out
	t := d.Task
	say := func(code string, args ...any) string { return cycle.Say(x.lang, code, args...) }
	fmt.Fprintf(w, "%s\n", t.Title)
	fmt.Fprintf(w, "%s %s\n", say("cli.process"), t.Process)
	fmt.Fprintf(w, "%s %s\n", say("cli.address"), d.Address)
	state := say("cli.state_open")
	if !d.Open {
		state = say("cli.state_closed")
		if d.Revisable {
			state = say("cli.state_revisable")
		}
	}
	fmt.Fprintf(w, "%s %s · %s\n", say("cli.state"), state, x.dueText(t))
	doer := t.Role.Say(x.lang)
	if t.District != "" {
		doer += ", " + say("cli.unit", t.District)
	}
	switch {
	case d.Mine:
		doer += " — " + say("cli.yours")
	case d.Refusal != nil:
		doer += " — " + say("cli.not_yours", d.Refusal.In(x.lang))
	}
	fmt.Fprintf(w, "%s %s\n", say("cli.doer"), doer)
	fmt.Fprintf(w, "%s %s\n", say("cli.holder"), x.holderText(d.Claim))

	if data := x.formData(t.Kind, raw); data != "" {
		fmt.Fprintf(w, "\n%s\n%s", say("cli.form_data"), data)
	}
	if d.Mine && (d.Open || d.Revisable) {
		if f, ok := kindCommand[t.Kind]; ok {
			fmt.Fprintf(w, "\n%s\n  %s\n", say("cli.how_to_do"), fmt.Sprintf(f, d.Address))
		}
		fmt.Fprintf(w, "  %s\n", fmt.Sprintf("starter task do %s --file noi-dung.json", d.Address))
	}
	if d.Draft != nil {
		fmt.Fprintf(w, "\n%s\n", say("cli.draft_saved", timeVN(d.Draft.SavedAt), len(d.Draft.Values)))
	}
	fmt.Fprintf(w, "\n%s\n", say("cli.attachments", len(d.Attachments)))
	for _, a := range d.Attachments {
		fmt.Fprintf(w, "  %s (%s, %s) — %s, %s — sha256 %s\n", a.Name, a.MediaType, say("cli.bytes", cycle.Int(a.Size)), a.Account, timeVN(a.At), a.SHA256)
	}
	fmt.Fprintf(w, "\n%s\n", say("cli.history", len(d.History)))
	for _, h := range d.History {
		line := fmt.Sprintf("  %s  %s  %s — %s", h.At, h.Actor, h.Action, h.Outcome)
		if h.Detail != "" {
			line += ": " + h.Detail
		}
		fmt.Fprintln(w, line)
	}
}

// formData lays out the data of a task's form (what to sign, the figures
// a report needs, the nominations to review…), from the detail's JSON.
func (x *taskCommands) formData(kind cycle.TaskKind, raw []byte) string {
	var env struct {
		Data json.RawMessage `json:"data"`
	}
	if json.Unmarshal(raw, &env) != nil || len(env.Data) == 0 || string(env.Data) == "null" {
		return ""
	}
	var b strings.Builder
	say := func(code string, args ...any) string { return cycle.Say(x.lang, code, args...) }
	switch kindForm[kind] {
	case "proposal":
		var d api.ProposalData
		if json.Unmarshal(env.Data, &d) != nil {
			return ""
		}
		fmt.Fprintf(&b, "  %s\n", say("cli.proposal_unit", d.UnitName, d.Unit, d.Year))
		if d.Revision > 0 {
			fmt.Fprintf(&b, "  %s\n", say("cli.proposal_revision", d.Revision))
		} else {
			fmt.Fprintf(&b, "  %s\n", say("cli.proposal_none"))
		}
		rows := [][]string{{say("cli.col_commune"), say("cli.col_soc"), say("cli.col_economic"), say("cli.col_environment"), say("cli.col_drug"), say("cli.col_proposed")}}
		for _, c := range d.Communes {
			prop := ""
			if c.Proposed {
				prop = say("cli.proposed_types", c.Types)
				if c.Reason != "" {
					prop += ": " + c.Reason
				}
			}
			rows = append(rows, []string{c.Name + " (" + c.Code + ")", c.SOC, c.Economic, c.Environment, c.Drug, prop})
		}
		table(&b, "  ", rows)
		fmt.Fprintf(&b, "  %s\n", say("cli.proposal_template", d.Year))
	case "consolidate":
		var cs []api.Candidate
		if json.Unmarshal(env.Data, &cs) != nil {
			return ""
		}
		rows := [][]string{{"#", say("cli.col_commune"), say("cli.col_district"), say("cli.col_types"), say("cli.col_crimes"), say("cli.col_verdict")}}
		for _, c := range cs {
			rank := "—"
			if c.Rank > 0 {
				rank = fmt.Sprint(c.Rank)
			}
			v := say("cli.selected")
			if !c.Selected {
				v = say("cli.not_selected")
				if len(c.Failed) > 0 {
					v += ": " + strings.Join(c.Failed, "; ")
				}
			}
			rows = append(rows, []string{rank, c.Name + " (" + c.Code + ")", c.District, c.Types.String(), fmt.Sprint(c.Crimes), v})
		}
		table(&b, "  ", rows)
	case "list":
		var d api.ListData
		if json.Unmarshal(env.Data, &d) != nil {
			return ""
		}
		if d.What != "" {
			fmt.Fprintf(&b, "  %s\n", d.What)
		}
		rows := [][]string{{"#", say("cli.col_name"), say("cli.col_where"), say("cli.col_types"), say("cli.col_note")}}
		for _, r := range d.Rows {
			name := r.Name
			if r.Code != "" {
				name += " (" + r.Code + ")"
			}
			rows = append(rows, []string{fmt.Sprint(r.Rank), name, r.District, r.Types.String(), r.Note})
		}
		if len(d.Rows) > 0 {
			table(&b, "  ", rows)
		}
		if len(d.Documents) > 0 {
			fmt.Fprintf(&b, "  %s %s\n", say("cli.documents"), strings.Join(d.Documents, "; "))
		}
		if d.DraftURL != "" {
			fmt.Fprintf(&b, "  %s\n", say("cli.draft_pdf"))
		}
		if len(d.Unresolved) > 0 {
			fmt.Fprintf(&b, "  %s\n", say("cli.unresolved"))
			for _, u := range d.Unresolved {
				fmt.Fprintf(&b, "    - %s\n", u)
			}
		}
	case "report":
		var d api.ReportData
		if json.Unmarshal(env.Data, &d) != nil {
			return ""
		}
		fmt.Fprintf(&b, "  %s\n", upperFirst(say("cli.report_head", d.Kind, d.Commune, d.Types)))
		fmt.Fprintf(&b, "  %s\n", say("cli.report_periods", orDash(d.Period), orDash(d.Baseline)))
		fmt.Fprintf(&b, "  %s\n", say("cli.report_policy", d.Policy))
		figs := func(head string, fs []api.FigureField) {
			if len(fs) == 0 {
				return
			}
			fmt.Fprintf(&b, "  %s\n", head)
			var rows [][]string
			for _, f := range fs {
				v := say("cli.figure_number")
				if f.YesNo {
					v = say("cli.figure_yesno")
				}
				rows = append(rows, []string{"  " + f.Name, f.Label, v})
			}
			table(&b, "  ", rows)
		}
		figs(say("cli.report_figures"), d.Figures)
		figs(say("cli.report_baseline"), d.Base)
		if len(d.Figures) == 0 && len(d.Base) == 0 {
			fmt.Fprintf(&b, "  %s\n", say("cli.report_no_figures"))
		}
		if d.Area != "" {
			fmt.Fprintf(&b, "  %s\n", say("cli.report_area_computed", d.Area))
		}
		if d.NeedsArea {
			fmt.Fprintf(&b, "  %s\n", say("cli.report_area", d.AreaName))
		}
	case "review":
		var d api.ReviewData
		if json.Unmarshal(env.Data, &d) != nil {
			return ""
		}
		fmt.Fprintf(&b, "  %s\n", d.Commune)
		for _, h := range d.History {
			fmt.Fprintf(&b, "  - %s\n", h)
		}
	case "results":
		var d api.ResultsData
		if json.Unmarshal(env.Data, &d) != nil {
			return ""
		}
		fmt.Fprintf(&b, "  %s\n", say("cli.results_head", d.Year))
		rows := [][]string{{say("cli.col_commune"), say("cli.col_district"), say("cli.col_year_no"), say("cli.col_outcome"), say("cli.col_summary")}}
		for _, r := range d.Rows {
			sum := r.Summary
			if r.Late {
				sum += " (" + say("cli.late") + ")"
			}
			rows = append(rows, []string{r.Name + " (" + r.Code + ")", r.District, fmt.Sprint(r.YearNo), r.Outcome, sum})
		}
		table(&b, "  ", rows)
		for _, r := range d.Rows {
			for _, f := range r.Failed {
				fmt.Fprintf(&b, "  - %s (%s): %s\n", r.Name, r.Code, f)
			}
		}
	case "nominate":
		var d api.NominateData
		if json.Unmarshal(env.Data, &d) != nil {
			return ""
		}
		if d.Form != "" {
			fmt.Fprintf(&b, "  %s %s\n", say("cli.award_form"), d.Form)
		}
		if d.Quotas != "" {
			fmt.Fprintf(&b, "  %s %s\n", say("cli.award_quotas"), d.Quotas)
		}
		for _, p := range d.Dossier {
			fmt.Fprintf(&b, "  %s %s\n", say("cli.award_dossier"), p)
		}
		fmt.Fprintf(&b, "  %s\n", say("cli.award_count", d.Nominations, len(d.Current)))
		x.nominations(&b, d.Current)
	case "award-review":
		var ns []cycle.Nomination
		if json.Unmarshal(env.Data, &ns) != nil {
			return ""
		}
		x.nominations(&b, ns)
	}
	return b.String()
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

// table prints rows as aligned columns (Vietnamese text in NFC: one rune
// is one column).
func table(w io.Writer, indent string, rows [][]string) {
	width := map[int]int{}
	for _, r := range rows {
		for i, c := range r {
			if n := len([]rune(c)); n > width[i] {
				width[i] = n
			}
		}
	}
	for _, r := range rows {
		var line strings.Builder
		line.WriteString(indent)
		for i, c := range r {
			line.WriteString(c)
			if i < len(r)-1 {
				line.WriteString(strings.Repeat(" ", width[i]-len([]rune(c))+2))
			}
		}
		fmt.Fprintln(w, strings.TrimRight(line.String(), " "))
	}
}

func upperFirst(s string) string {
	r := []rune(s)
	if len(r) > 0 {
		r[0] = unicode.ToUpper(r[0])
	}
	return string(r)
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

func (x *taskCommands) taskClaimCommand(claim bool) *cobra.Command {
	use, short := "claim ADDRESS", "Nhận việc, để người khác cùng đơn vị, cùng vai trò không làm trùng"
	if !claim {
		use, short = "release ADDRESS", "Trả lại việc đã nhận"
	}
	return &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			addr, err := taskAddress(args[0])
			if err != nil {
				return err
			}
			method := "POST"
			if !claim {
				method = "DELETE"
			}
			var cl cycle.Claim
			raw, err := x.call(cmd.Context(), request{method: method, path: "/api/claims/" + escapePath(addr)}, &cl)
			if err != nil {
				return err
			}
			if x.jsonOut {
				return x.raw(raw)
			}
			if claim {
				x.printf("cli.claimed", addr, timeVN(cl.At))
			} else {
				x.printf("cli.released", addr)
			}
			return nil
		},
	}
}

func (x *taskCommands) taskDraftCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "draft",
		Short: "Bản nháp của một việc: xem, lưu, xóa (the values of the task's web form, kept for you alone)",
	}
	show := &cobra.Command{
		Use:   "show ADDRESS",
		Short: "Xem bản nháp đã lưu",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			addr, err := taskAddress(args[0])
			if err != nil {
				return err
			}
			var d cycle.Draft
			raw, err := x.call(cmd.Context(), request{method: "GET", path: "/api/drafts/" + escapePath(addr)}, &d)
			if err != nil {
				return err
			}
			if x.jsonOut {
				return x.raw(raw)
			}
			x.printf("cli.draft_saved", timeVN(d.SavedAt), len(d.Values))
			keys := make([]string, 0, len(d.Values))
			for k := range d.Values {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				fmt.Fprintf(x.out, "  %s = %s\n", k, d.Values[k])
			}
			return nil
		},
	}
	var sets []string
	var file string
	save := &cobra.Command{
		Use:   "save ADDRESS [--set TÊN=GIÁ-TRỊ …] [--file values.json]",
		Short: "Lưu bản nháp (các trường của biểu mẫu, theo tên)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			addr, err := taskAddress(args[0])
			if err != nil {
				return err
			}
			values := map[string]string{}
			if file != "" {
				if err := readJSONFile(file, &values); err != nil {
					return err
				}
			}
			for _, s := range sets {
				k, v, ok := strings.Cut(s, "=")
				if !ok || strings.TrimSpace(k) == "" {
					return cycle.Fail(eUsage, "cli.bad_pair", "--set", s)
				}
				values[strings.TrimSpace(k)] = v
			}
			var d cycle.Draft
			raw, err := x.call(cmd.Context(), jsonRequest("PUT", "/api/drafts/"+escapePath(addr), api.DraftBody{Values: values}), &d)
			if err != nil {
				return err
			}
			if x.jsonOut {
				return x.raw(raw)
			}
			x.printf("cli.draft_saved", timeVN(d.SavedAt), len(d.Values))
			return nil
		},
	}
	save.Flags().StringArrayVar(&sets, "set", nil, "a field's value: NAME=VALUE (repeatable)")
	save.Flags().StringVar(&file, "file", "", "the values as a JSON object {\"name\": \"value\"}")
	del := &cobra.Command{
		Use:   "delete ADDRESS",
		Short: "Xóa bản nháp",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			addr, err := taskAddress(args[0])
			if err != nil {
				return err
			}
			if _, err := x.call(cmd.Context(), request{method: "DELETE", path: "/api/drafts/" + escapePath(addr)}, nil); err != nil {
				return err
			}
			x.printf("cli.draft_deleted")
			return nil
		},
	}
	cmd.AddCommand(show, save, del)
	return cmd
}

func (x *taskCommands) taskAttachCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "attach ADDRESS FILE",
		Short: "Đính kèm tệp (PDF, ảnh JPEG/PNG, Word, Excel; tối đa 20 MiB) vào một việc",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			addr, err := taskAddress(args[0])
			if err != nil {
				return err
			}
			data, err := os.ReadFile(args[1])
			if err != nil {
				return cycle.Fail(eUsage, "cli.read_file", args[1], err)
			}
			var a cycle.Attachment
			raw, err := x.call(cmd.Context(), fileRequest("POST", "/api/attachments/"+escapePath(addr), args[1], data), &a)
			if err != nil {
				return err
			}
			if x.jsonOut {
				return x.raw(raw)
			}
			x.printf("cli.attached", a.Name, cycle.Int(a.Size), a.SHA256)
			return nil
		},
	}
}

func (x *taskCommands) taskFileCommand() *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "file ADDRESS SHA256 [-o FILE]",
		Short: "Tải về một tệp đính kèm của việc",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			addr, err := taskAddress(args[0])
			if err != nil {
				return err
			}
			data, name, err := x.download(cmd.Context(), "/api/files/"+url.PathEscape(args[1])+"/"+escapePath(addr), nil)
			if err != nil {
				return err
			}
			return x.saveFile(out, name, data)
		},
	}
	cmd.Flags().StringVarP(&out, "out", "o", "", "where to save it (default: its name, in the current directory; - for standard output)")
	return cmd
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
	if err := os.WriteFile(out, data, 0o644); err != nil {
		return err
	}
	x.printf("cli.saved", out, cycle.Int(len(data)))
	return nil
}

func (x *taskCommands) taskDoCommand() *cobra.Command {
	var file, key string
	cmd := &cobra.Command{
		Use:   "do ADDRESS --file body.json",
		Short: "Hoàn thành một việc với nội dung JSON của loại việc (any kind; see api/openapi.yaml)",
		Long: `Hoàn thành một việc bất kỳ với nội dung JSON mà loại việc đó nhận (xem
api/openapi.yaml; đề xuất của đơn vị có thể là tệp .csv, .xlsx hoặc .json). Mỗi yêu
cầu có một mã (Idempotency-Key) được in ra; nếu không nhận được kết quả (mất mạng,
quá thời gian), gửi lại với --request-id MÃ: máy chủ trả lại kết quả lần đầu, việc
không bị ghi hai lần.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			addr, err := taskAddress(args[0])
			if err != nil {
				return err
			}
			data, err := os.ReadFile(file)
			if err != nil {
				return cycle.Fail(eUsage, "cli.read_file", file, err)
			}
			var r request
			switch strings.ToLower(filepath.Ext(file)) {
			case ".csv", ".xlsx":
				r = fileRequest("POST", "", file, data)
			default:
				r = request{body: data, contentType: "application/json"}
			}
			return x.complete(cmd.Context(), addr, r, key, file)
		},
	}
	cmd.Flags().StringVarP(&file, "file", "f", "", "the body: JSON (or, for a proposal, .csv or .xlsx)")
	cmd.Flags().StringVar(&key, "request-id", "", "the request's ID (Idempotency-Key): give the one printed to retry a request safely")
	_ = cmd.MarkFlagRequired("file")
	return cmd
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

// kindOfAddress is the kind of task an address names (its first segment
// after the process, province and year).
func kindOfAddress(addr string) cycle.TaskKind {
	parts := strings.Split(addr, "/")
	if len(parts) < 4 {
		return ""
	}
	return cycle.TaskKind(parts[3])
}
