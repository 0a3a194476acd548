package main

import (
	"bufio"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"chuyenhoa/api"
	"chuyenhoa/cycle"
	"chuyenhoa/workflows/selection"
)

// The secretariat's and the administrator's actions and what any officer
// reads beyond the inbox, through the API: cycles and award rounds
// (started under a shipped policy with its calendar shown first, proposals
// and nominations closed), accounts, delegations, indicators, standings
// and the archive.

// cycleRef is the province and year a command names.
type cycleRef struct {
	province string
	year     int
}

func (c *cycleRef) add(cmd *cobra.Command) {
	cmd.Flags().StringVar(&c.province, "province", "51", "province code (51 = Quảng Ngãi)")
	cmd.Flags().IntVar(&c.year, "year", 2027, "the year")
}

func (c cycleRef) path(prefix string) string {
	return fmt.Sprintf("%s/%s/%d", prefix, url.PathEscape(c.province), c.year)
}

// confirm asks the officer to confirm (y/c) at a terminal; without a
// terminal the command must be given --yes.
func (x *cli) confirm(cmd *cobra.Command, yes bool, question string) error {
	if yes {
		return nil
	}
	if !x.interactive() {
		return usageError{cmd: cmd, err: fmt.Errorf("%s", cycle.Say(x.lang, "cli.need_yes"))}
	}
	fmt.Fprint(x.errOut, question+" [c/K] ")
	line, _ := bufio.NewReader(x.in).ReadString('\n')
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "c", "có", "y", "yes":
		return nil
	}
	return cycle.Fail(eUsage, "cli.not_confirmed")
}

func (x *officeCommands) cycleCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "cycle", Short: "Chu kỳ chuyển hóa năm: mở, xem, kết thúc nhận đề xuất, quyết định (Cơ quan Thường trực)"}

	var ref cycleRef
	var policy string
	var synthetic, yes bool
	start := &cobra.Command{
		Use:   "start --province 51 --year 2027 [--policy ID] --yes",
		Short: "Mở chu kỳ năm theo kế hoạch đang có hiệu lực (hoặc --policy), sau khi xem lịch của nó",
		Long: `Mở chu kỳ chuyển hóa năm của tỉnh (Cơ quan Thường trực): in kế hoạch sẽ áp dụng (kế
hoạch của tỉnh có hiệu lực ngày 1/1 của năm, hoặc kế hoạch chọn bằng --policy) và lịch
các bước của nó, rồi mở chu kỳ khi được xác nhận (--yes, hoặc trả lời "c" ở màn hình).
Chu kỳ giữ kế hoạch đó suốt đời của nó; các đơn vị nhận việc gửi đề xuất.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			id, err := x.showPolicy(cmd.Context(), ref, policy, false)
			if err != nil {
				return err
			}
			if err := x.confirm(cmd, yes, cycle.Say(x.lang, "cli.confirm_cycle", ref.province, ref.year, id)); err != nil {
				return err
			}
			var st api.Started
			raw, err := x.call(cmd.Context(), jsonRequest("POST", "/api/cycles", api.StartCycleBody{Province: ref.province, Year: ref.year, Policy: id, Synthetic: synthetic}), &st)
			if err != nil {
				return err
			}
			if x.jsonOut {
				return x.raw(raw)
			}
			x.printf("cli.cycle_started", st.ID, st.Policy)
			return nil
		},
	}
	ref.add(start)
	start.Flags().StringVar(&policy, "policy", "", "a shipped policy's ID (000–005); default: the province's policy in force on 1 January of the year (refused when none is)")
	start.Flags().BoolVar(&synthetic, "synthetic", false, "the figures are synthetic demo data (documents say so)")
	start.Flags().BoolVar(&yes, "yes", false, "confirm: start it (without a terminal, nothing starts without --yes)")

	list := &cobra.Command{
		Use:   "list",
		Short: "Các chu kỳ và đợt khen thưởng, mới nhất trước",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var cs []api.CycleListing
			raw, err := x.call(cmd.Context(), request{method: "GET", path: "/api/cycles"}, &cs)
			if err != nil {
				return err
			}
			if x.jsonOut {
				return x.raw(raw)
			}
			rows := [][]string{{x.sayf("cli.col_id"), x.sayf("cli.col_name"), x.sayf("cli.col_phase"), x.sayf("cli.col_policy"), x.sayf("cli.col_started")}}
			for _, c := range cs {
				rows = append(rows, []string{c.ID, c.Name, phaseText(x.lang, string(c.Phase)), c.Policy, timeVN(c.Started)})
			}
			table(x.out, "", rows)
			return nil
		},
	}

	var sref cycleRef
	show := &cobra.Command{
		Use:   "show --province 51 --year 2027",
		Short: "Tình trạng của chu kỳ: bước hiện tại, các đơn vị, việc đang mở, danh sách, quyết định, diễn biến",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var st selection.CycleState
			raw, err := x.call(cmd.Context(), request{method: "GET", path: sref.path("/api/cycles")}, &st)
			if err != nil {
				return err
			}
			if x.jsonOut {
				return x.raw(raw)
			}
			x.printCycle(st)
			return nil
		},
	}
	sref.add(show)

	var selRef cycleRef
	sel := &cobra.Command{
		Use:   "selection --province 51 --year 2027",
		Short: "Kết quả xét từng xã được đề xuất theo các tiêu chí lựa chọn",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var res cycle.SelectionResult
			raw, err := x.call(cmd.Context(), request{method: "GET", path: selRef.path("/api/cycles") + "/selection"}, &res)
			if err != nil {
				return err
			}
			if x.jsonOut {
				return x.raw(raw)
			}
			x.printf("cli.selection_head", cycle.Dec(res.ProvinceAverage), res.ProvinceCrimes, res.ReportedCommunes, res.Cap, res.TotalCommunes)
			if len(res.Missing) > 0 {
				x.printf("cli.selection_missing", strings.Join(res.Missing, ", "))
			}
			rows := [][]string{{"#", x.sayf("cli.col_commune"), x.sayf("cli.col_district"), x.sayf("cli.col_types"), x.sayf("cli.col_crimes"), x.sayf("cli.col_verdict")}}
			for _, c := range res.Candidates {
				rank := "—"
				if c.Rank > 0 {
					rank = strconv.Itoa(c.Rank)
				}
				v := x.sayf("cli.selected")
				if !c.Selected {
					var why []string
					for _, ch := range c.FailedChecks() {
						why = append(why, ch.Detail)
					}
					v = x.sayf("cli.not_selected") + ": " + strings.Join(why, "; ")
				}
				rows = append(rows, []string{rank, c.Name + " (" + c.Commune + ")", c.DistrictName, c.Types.String(), strconv.Itoa(c.Figures.SocialOrderCrimes), v})
			}
			table(x.out, "", rows)
			return nil
		},
	}
	selRef.add(sel)

	var cref cycleRef
	var reason, key string
	closeProps := &cobra.Command{
		Use:   "close-proposals --province 51 --year 2027 [--reason \"…\"]",
		Short: "Kết thúc nhận đề xuất trước hạn (khi mọi đơn vị đã gửi, hoặc nêu lý do)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			k, err := x.requestKey(key)
			if err != nil {
				return err
			}
			fmt.Fprintln(x.errOut, cycle.Say(x.lang, "cli.request_id", k))
			r := jsonRequest("POST", cref.path("/api/cycles")+"/close-proposals", api.CloseProposalsBody{Reason: reason})
			r.key = k
			var res struct {
				Result selection.CloseProposalsResult `json:"result"`
			}
			raw, err := x.call(cmd.Context(), r, &res)
			if err != nil {
				return err
			}
			if x.jsonOut {
				return x.raw(raw)
			}
			x.printf("cli.proposals_closed", len(res.Result.Submitted), strings.Join(res.Result.Missing, ", "))
			return nil
		},
	}
	cref.add(closeProps)
	closeProps.Flags().StringVar(&reason, "reason", "", "why the proposals close before their due date (required while units have not submitted)")
	closeProps.Flags().StringVar(&key, "request-id", "", "the request's ID (Idempotency-Key), to retry safely")

	var dref cycleRef
	var fetch, out string
	var draft bool
	decisions := &cobra.Command{
		Use:   "decisions --province 51 --year 2027 [--fetch KIND -o FILE] [--draft -o FILE]",
		Short: "Văn bản đã ban hành của chu kỳ; tải PDF (--fetch approval) hoặc dự thảo quyết định (--draft)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			switch {
			case draft:
				data, name, err := x.download(cmd.Context(), dref.path("/api/cycles")+"/draft", nil)
				if err != nil {
					return err
				}
				return x.saveFile(out, fileNameOr(name, "du-thao.pdf"), data)
			case fetch != "":
				data, name, err := x.download(cmd.Context(), dref.path("/api/cycles")+"/decisions/"+url.PathEscape(fetch)+"/pdf", nil)
				if err != nil {
					return err
				}
				return x.saveFile(out, fileNameOr(name, fetch+".pdf"), data)
			}
			var ds []cycle.Decision
			raw, err := x.call(cmd.Context(), request{method: "GET", path: dref.path("/api/cycles") + "/decisions"}, &ds)
			if err != nil {
				return err
			}
			if x.jsonOut {
				return x.raw(raw)
			}
			if len(ds) == 0 {
				x.printf("cli.no_decisions")
			}
			for _, d := range ds {
				x.printf("cli.decision_line", d.Kind, d.Code, d.Date.Vietnamese(), len(d.Communes), d.SHA256)
			}
			return nil
		},
	}
	dref.add(decisions)
	decisions.Flags().StringVar(&fetch, "fetch", "", "download the PDF of the decision of this kind (approval)")
	decisions.Flags().BoolVar(&draft, "draft", false, "download the draft decision's PDF")
	decisions.Flags().StringVarP(&out, "out", "o", "", "where to save the PDF (default: its name)")

	cmd.AddCommand(start, list, show, sel, closeProps, decisions)
	return cmd
}

func fileNameOr(name, def string) string {
	if name == "" {
		return def
	}
	return name
}

func phaseText(lang cycle.Lang, p string) string {
	if s := cycle.Say(lang, "phase."+p); !strings.HasPrefix(s, "[") {
		return s
	}
	if s := cycle.Say(lang, "award_phase."+p); !strings.HasPrefix(s, "[") {
		return s
	}
	return p
}

// printCycle prints a cycle's state for officers.
func (x *officeCommands) printCycle(st selection.CycleState) {
	w := x.out
	x.printf("cli.cycle_head", st.CycleID, st.ProvinceName, st.Year, st.PolicyID, phaseText(x.lang, string(st.Phase)), st.Today.Vietnamese())
	submitted := 0
	for _, u := range st.Units {
		if u.Submitted {
			submitted++
		}
	}
	fmt.Fprintln(w)
	x.printf("cli.cycle_units", submitted, len(st.Units))
	var rows [][]string
	for _, u := range st.Units {
		mark := "—"
		if u.Submitted {
			mark = x.sayf("cli.unit_submitted", u.Revision, u.On.Vietnamese(), u.Proposed)
			if u.Late {
				mark += " (" + x.sayf("cli.late") + ")"
			}
		}
		rows = append(rows, []string{u.Unit, u.Name, mark})
	}
	table(w, "  ", rows)
	fmt.Fprintln(w)
	x.printf("cli.cycle_open", len(st.OpenTasks))
	rows = nil
	for _, t := range st.OpenTasks {
		state := ""
		if t.Due.Before(st.Today) {
			state = x.sayf("cli.overdue")
		}
		rows = append(rows, []string{t.Due.Vietnamese(), state, t.Role.Say(x.lang), t.District, t.Name()})
	}
	table(w, "  ", rows)
	if len(st.List) > 0 {
		fmt.Fprintln(w)
		x.printf("cli.cycle_list", len(st.List))
		x.listed(st.List)
	} else if len(st.Draft) > 0 {
		fmt.Fprintln(w)
		x.printf("cli.cycle_draft", len(st.Draft))
		x.listed(st.Draft)
	}
	if d := st.Decision; d != nil {
		fmt.Fprintln(w)
		fmt.Fprintln(w, x.issued(*d))
	}
	if len(st.Events) > 0 {
		fmt.Fprintln(w)
		x.printf("cli.events")
		for _, e := range st.Events {
			fmt.Fprintf(w, "  %s  %-12s %s\n", e.At.Vietnamese(), e.Actor, e.Say(x.lang))
		}
	}
}
