package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/spf13/cobra"

	"chuyenhoa/api"
	"chuyenhoa/cycle"
)

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
		if d.Note != "" { // what the signature does besides signing (the review report: issued at once)
			fmt.Fprintf(&b, "  %s\n", d.Note)
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
		head := say("cli.results_head", d.Year)
		if d.Recognition {
			head = say("cli.recognition_head", d.Year)
		}
		fmt.Fprintf(&b, "  %s\n", head)
		rows := [][]string{{say("cli.col_commune"), say("cli.col_district"), say("cli.col_year_no"), say("cli.col_outcome"), say("cli.col_summary")}}
		for _, r := range d.Rows {
			sum := r.Summary
			if r.Late {
				sum += " (" + say("cli.late") + ")"
			}
			if r.Proposed {
				sum += " (" + say("cli.proposed") + ")"
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
