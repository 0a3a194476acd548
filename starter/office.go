package main

import (
	"bufio"
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"chuyenhoa/api"
	"chuyenhoa/cycle"
	"chuyenhoa/policies"
	"chuyenhoa/workflows/awards"
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

// showPolicy prints the policy a cycle or round will run under and its
// calendar, and returns its ID.
func (x *cli) showPolicy(ctx context.Context, ref cycleRef, want string, needAwards bool) (string, error) {
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

func (x *cli) cycleCommand() *cobra.Command {
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
func (x *cli) printCycle(st selection.CycleState) {
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
		x.printf("cli.result_issued", d.Code, d.Date.Vietnamese(), len(d.Communes), d.SHA256)
	}
	if len(st.Events) > 0 {
		fmt.Fprintln(w)
		x.printf("cli.events")
		for _, e := range st.Events {
			fmt.Fprintf(w, "  %s  %-12s %s\n", e.At.Vietnamese(), e.Actor, e.Say(x.lang))
		}
	}
}

// ---- award rounds ------------------------------------------------------------------

func (x *cli) awardsStartCommand() *cobra.Command {
	var ref cycleRef
	var policy, due, signer string
	var synthetic, yes bool
	cmd := &cobra.Command{
		Use:   "start --province 70 --year 2024 [--policy ID] [--due YYYY-MM-DD] [--signer-name TÊN] --yes",
		Short: "Mở đợt khen thưởng theo kế hoạch (có quy định khen thưởng), sau khi xem lịch của nó",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			id, err := x.showPolicy(cmd.Context(), ref, policy, true)
			if err != nil {
				return err
			}
			b := api.StartRoundBody{Province: ref.province, Year: ref.year, Policy: id, SignerName: signer, Synthetic: synthetic}
			if due != "" {
				d, err := cycle.ParseDate(due)
				if err != nil {
					return cycle.Fail(eUsage, "cli.bad_date", due)
				}
				b.Due = d
			}
			if err := x.confirm(cmd, yes, cycle.Say(x.lang, "cli.confirm_round", ref.province, ref.year, id)); err != nil {
				return err
			}
			var st api.Started
			raw, err := x.call(cmd.Context(), jsonRequest("POST", "/api/awards", b), &st)
			if err != nil {
				return err
			}
			if x.jsonOut {
				return x.raw(raw)
			}
			x.printf("cli.round_started", st.ID, st.Policy)
			return nil
		},
	}
	ref.add(cmd)
	cmd.Flags().StringVar(&policy, "policy", "", "a shipped policy's ID with an award scheme; default: the one in force")
	cmd.Flags().StringVar(&due, "due", "", "the nominations' due date (YYYY-MM-DD); default: the policy's")
	cmd.Flags().StringVar(&signer, "signer-name", "", "the grantor's name, as the decision prints it")
	cmd.Flags().BoolVar(&synthetic, "synthetic", false, "the data are synthetic demo data")
	cmd.Flags().BoolVar(&yes, "yes", false, "confirm: start it")
	return cmd
}

func (x *cli) awardsCloseCommand() *cobra.Command {
	var ref cycleRef
	var key string
	cmd := &cobra.Command{
		Use:   "close --province 70 --year 2024",
		Short: "Kết thúc nhận hồ sơ đề nghị khen thưởng trước hạn (Cơ quan Thường trực)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			k, err := x.requestKey(key)
			if err != nil {
				return err
			}
			fmt.Fprintln(x.errOut, cycle.Say(x.lang, "cli.request_id", k))
			r := request{method: "POST", path: ref.path("/api/awards") + "/close-nominations", key: k}
			var res struct {
				Result cycle.AwardPhase `json:"result"`
			}
			raw, err := x.call(cmd.Context(), r, &res)
			if err != nil {
				return err
			}
			if x.jsonOut {
				return x.raw(raw)
			}
			x.printf("cli.nominations_closed", phaseText(x.lang, string(res.Result)))
			return nil
		},
	}
	ref.add(cmd)
	cmd.Flags().StringVar(&key, "request-id", "", "the request's ID (Idempotency-Key), to retry safely")
	return cmd
}

func (x *cli) awardsShowCommand() *cobra.Command {
	var ref cycleRef
	cmd := &cobra.Command{
		Use:   "show --province 70 --year 2024",
		Short: "Tình trạng của đợt khen thưởng: bước, đơn vị, đề nghị, việc đang mở",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var st awards.AwardRoundState
			raw, err := x.call(cmd.Context(), request{method: "GET", path: ref.path("/api/awards")}, &st)
			if err != nil {
				return err
			}
			if x.jsonOut {
				return x.raw(raw)
			}
			x.printf("cli.round_head", st.ID, st.PolicyID, phaseText(x.lang, string(st.Phase)), st.Due.Vietnamese(), st.Today.Vietnamese())
			var rows [][]string
			for _, u := range st.Units {
				mark := "—"
				if u.Submitted {
					mark = x.sayf("cli.round_submitted", u.Revision)
				}
				rows = append(rows, []string{u.Code, u.Name, mark})
			}
			table(x.out, "  ", rows)
			x.printf("cli.round_nominations", len(st.Nominations), len(st.Accepted))
			x.nominations(x.out, st.Nominations)
			if d := st.Decision; d != nil {
				x.printf("cli.result_issued", d.Code, d.Date.Vietnamese(), 0, d.SHA256)
			}
			for _, e := range st.Events {
				fmt.Fprintf(x.out, "  %s  %-12s %s\n", e.At.Vietnamese(), e.Actor, e.Say(x.lang))
			}
			return nil
		},
	}
	ref.add(cmd)
	return cmd
}

// ---- accounts and delegations -------------------------------------------------------

func (x *cli) accountsCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "accounts", Short: "Tài khoản: tạo, khóa, mở khóa, đặt lại mật khẩu, danh sách (quản trị hệ thống)"}
	list := &cobra.Command{
		Use:   "list",
		Short: "Danh sách tài khoản với lần đăng nhập gần nhất",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var as []cycle.Account
			raw, err := x.call(cmd.Context(), request{method: "GET", path: "/api/accounts"}, &as)
			if err != nil {
				return err
			}
			if x.jsonOut {
				return x.raw(raw)
			}
			rows := [][]string{{x.sayf("cli.col_account"), x.sayf("cli.col_role"), x.sayf("cli.col_unit"), x.sayf("cli.col_name"), x.sayf("cli.col_state"), x.sayf("cli.col_last_sign_in")}}
			for _, a := range as {
				st := x.sayf("cli.account_active")
				if a.Disabled {
					st = x.sayf("cli.account_disabled")
				}
				last := "—"
				if a.LastSignIn != nil {
					last = timeVN(*a.LastSignIn)
				}
				rows = append(rows, []string{a.ID, a.Role.Say(x.lang), a.District, a.Name, st, last})
			}
			table(x.out, "", rows)
			return nil
		},
	}

	var b api.AccountBody
	var role string
	create := &cobra.Command{
		Use:   "create ID --role ROLE --name \"…\" [--district MÃ] [--title …] [--email …]",
		Short: "Tạo tài khoản; mật khẩu được hỏi (hoặc đọc từ đầu vào chuẩn)",
		Long: `Tạo tài khoản cán bộ (quản trị hệ thống). Vai trò: ` + rolesList() + `.
Cán bộ đơn vị gắn với một đơn vị (--district MÃ). Mật khẩu (ít nhất 10 ký tự) được hỏi
hai lần mà không hiện lên màn hình, hoặc là dòng đầu của đầu vào chuẩn.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := x.signedIn(); err != nil {
				return err
			}
			pw, err := x.readSecret(cycle.Say(x.lang, "cli.prompt_new_for", args[0]), true)
			if err != nil {
				return err
			}
			b.ID, b.Role, b.Password = args[0], cycle.Role(role), pw
			var a cycle.Account
			raw, err := x.call(cmd.Context(), jsonRequest("POST", "/api/accounts", b), &a)
			if err != nil {
				return err
			}
			if x.jsonOut {
				return x.raw(raw)
			}
			x.printf("cli.account_created", accountLabel(x.lang, a))
			return nil
		},
	}
	create.Flags().StringVar(&role, "role", "", "role: "+rolesList())
	create.Flags().StringVar(&b.Name, "name", "", "the officer's name")
	create.Flags().StringVar(&b.District, "district", "", "the unit of a district officer")
	create.Flags().StringVar(&b.Title, "title", "", "the officer's title, as a signature block prints it")
	create.Flags().StringVar(&b.Email, "email", "", "e-mail address for notifications")
	create.Flags().StringVar(&b.Webhook, "webhook", "", "webhook for notifications (an SMS or chat gateway)")
	_ = create.MarkFlagRequired("role")

	disable := x.accountSwitch("disable", true)
	enable := x.accountSwitch("enable", false)
	reset := &cobra.Command{
		Use:   "reset-password ID",
		Short: "Đặt lại mật khẩu của một tài khoản; các phiên làm việc của nó kết thúc",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := x.signedIn(); err != nil {
				return err
			}
			pw, err := x.readSecret(cycle.Say(x.lang, "cli.prompt_new_for", args[0]), true)
			if err != nil {
				return err
			}
			if _, err := x.call(cmd.Context(), jsonRequest("POST", "/api/accounts/"+url.PathEscape(args[0])+"/password", api.PasswordBody{Password: pw}), nil); err != nil {
				return err
			}
			x.printf("cli.password_reset", args[0])
			return nil
		},
	}
	cmd.AddCommand(list, create, disable, enable, reset)
	return cmd
}

func (x *cli) accountSwitch(use string, disabled bool) *cobra.Command {
	short := "Khóa tài khoản; các phiên làm việc của nó kết thúc"
	if !disabled {
		short = "Mở khóa tài khoản"
	}
	return &cobra.Command{
		Use:   use + " ID",
		Short: short,
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			body := struct {
				Disabled bool `json:"disabled"`
			}{disabled}
			if _, err := x.call(cmd.Context(), jsonRequest("POST", "/api/accounts/"+url.PathEscape(args[0])+"/disabled", body), nil); err != nil {
				return err
			}
			if disabled {
				x.printf("cli.account_disabled_done", args[0])
			} else {
				x.printf("cli.account_enabled_done", args[0])
			}
			return nil
		},
	}
}

func (x *cli) delegationsCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "delegations", Short: "Ủy quyền ký thay của Trưởng Ban Chỉ đạo cho Phó Trưởng Ban (KT.): tạo, thu hồi, danh sách"}
	list := &cobra.Command{
		Use:   "list",
		Short: "Các ủy quyền (của mình; tất cả với quản trị và Cơ quan Thường trực)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var ds []cycle.Delegation
			raw, err := x.call(cmd.Context(), request{method: "GET", path: "/api/delegations"}, &ds)
			if err != nil {
				return err
			}
			if x.jsonOut {
				return x.raw(raw)
			}
			rows := [][]string{{x.sayf("cli.col_id"), x.sayf("cli.col_from"), x.sayf("cli.col_to"), x.sayf("cli.col_title"), x.sayf("cli.col_period"), x.sayf("cli.col_state")}}
			for _, d := range ds {
				st := x.sayf("cli.delegation_active")
				if d.RevokedAt != nil {
					st = x.sayf("cli.delegation_revoked", timeVN(*d.RevokedAt))
				}
				rows = append(rows, []string{strconv.FormatInt(d.ID, 10), d.From, d.To, d.Title, d.FromDate.Vietnamese() + " – " + d.ToDate.Vietnamese(), st})
			}
			table(x.out, "", rows)
			return nil
		},
	}
	var b api.DelegationBody
	var from, to string
	create := &cobra.Command{
		Use:   "create --to DEPUTY --title \"PHÓ TRƯỞNG BAN\" --from-date YYYY-MM-DD --to-date YYYY-MM-DD [--head HEAD]",
		Short: "Ủy quyền ký thay cho Phó Trưởng Ban trong một khoảng thời gian (Trưởng Ban, hoặc quản trị cho Trưởng Ban)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var err error
			if b.FromDate, err = cycle.ParseDate(from); err != nil {
				return cycle.Fail(eUsage, "cli.bad_date", from)
			}
			if b.ToDate, err = cycle.ParseDate(to); err != nil {
				return cycle.Fail(eUsage, "cli.bad_date", to)
			}
			var d cycle.Delegation
			raw, err := x.call(cmd.Context(), jsonRequest("POST", "/api/delegations", b), &d)
			if err != nil {
				return err
			}
			if x.jsonOut {
				return x.raw(raw)
			}
			x.printf("cli.delegated", d.ID, d.From, d.To, d.Title, d.FromDate.Vietnamese(), d.ToDate.Vietnamese())
			return nil
		},
	}
	create.Flags().StringVar(&b.From, "head", "", "the head who delegates (the administrator names him; a head delegates his own)")
	create.Flags().StringVar(&b.To, "to", "", "the deputy's account")
	create.Flags().StringVar(&b.Title, "title", "", "the deputy's title, as the signature block prints it")
	create.Flags().StringVar(&from, "from-date", "", "the first day (YYYY-MM-DD)")
	create.Flags().StringVar(&to, "to-date", "", "the last day (YYYY-MM-DD)")
	for _, f := range []string{"to", "title", "from-date", "to-date"} {
		_ = create.MarkFlagRequired(f)
	}
	revoke := &cobra.Command{
		Use:   "revoke ID",
		Short: "Thu hồi ủy quyền từ bây giờ",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := x.call(cmd.Context(), request{method: "DELETE", path: "/api/delegations/" + url.PathEscape(args[0])}, nil); err != nil {
				return err
			}
			x.printf("cli.revoked", args[0])
			return nil
		},
	}
	cmd.AddCommand(list, create, revoke)
	return cmd
}

// ---- views ----------------------------------------------------------------------------

func (x *cli) indicatorsCommand() *cobra.Command {
	var province string
	cmd := &cobra.Command{
		Use:   "indicators [--province 51]",
		Short: "Chỉ tiêu của tỉnh qua các năm so với kế hoạch (tỷ lệ chuyển hóa đạt, không tái phức tạp)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var is []api.Indicator
			raw, err := x.call(cmd.Context(), request{method: "GET", path: "/api/provinces/" + url.PathEscape(province) + "/indicators"}, &is)
			if err != nil {
				return err
			}
			if x.jsonOut {
				return x.raw(raw)
			}
			if len(is) == 0 {
				x.printf("cli.no_indicators", province)
			}
			for _, i := range is {
				x.printf("cli.indicator", i.Year, i.Policy, i.Selected, i.Transformed, cycle.Pct(100*i.TransformedShare), cycle.Pct(100*i.TransformedTarget),
					metText(x.lang, i.MeetsTransformed), i.FollowedUp, i.Relapsed, cycle.Pct(100*i.NotRelapsedShare), cycle.Pct(100*i.NotRelapsedTarget), metText(x.lang, i.MeetsNotRelapsed), i.Pending)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&province, "province", "51", "province code")
	return cmd
}

func metText(lang cycle.Lang, ok bool) string {
	if ok {
		return cycle.Say(lang, "cli.meets")
	}
	return cycle.Say(lang, "cli.misses")
}

func (x *cli) standingsCommand() *cobra.Command {
	var province string
	cmd := &cobra.Command{
		Use:   "standings [--province 51]",
		Short: "Các xã của chương trình: tình trạng hiện nay và kết quả từng năm",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var ss []api.Standing
			raw, err := x.call(cmd.Context(), request{method: "GET", path: "/api/provinces/" + url.PathEscape(province) + "/standings"}, &ss)
			if err != nil {
				return err
			}
			if x.jsonOut {
				return x.raw(raw)
			}
			rows := [][]string{{x.sayf("cli.col_commune"), x.sayf("cli.col_district"), x.sayf("cli.col_standing"), x.sayf("cli.col_years")}}
			for _, s := range ss {
				var ys []string
				for _, y := range s.Years {
					ys = append(ys, fmt.Sprintf("%d: %s", y.Year, outcomeText(x.lang, y.Outcome)))
				}
				st := s.StandingText
				if x.lang == cycle.English {
					st = s.Standing.Say(cycle.English)
				}
				rows = append(rows, []string{s.Name + " (" + s.Commune + ")", s.DistrictName, st, strings.Join(ys, "; ")})
			}
			table(x.out, "", rows)
			return nil
		},
	}
	cmd.Flags().StringVar(&province, "province", "51", "province code")
	return cmd
}

func (x *cli) archiveCommand() *cobra.Command {
	var year int
	cmd := &cobra.Command{
		Use:   "archive [--year 2027]",
		Short: "Lưu trữ văn bản đã ban hành trong năm, với kết quả kiểm tra chữ ký số của từng văn bản",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			q := url.Values{}
			if year > 0 {
				q.Set("year", strconv.Itoa(year))
			}
			var es []api.ArchiveEntry
			raw, err := x.call(cmd.Context(), request{method: "GET", path: "/api/archive", query: q}, &es)
			if err != nil {
				return err
			}
			if x.jsonOut {
				return x.raw(raw)
			}
			if len(es) == 0 {
				x.printf("cli.archive_empty")
			}
			for _, e := range es {
				ok := x.sayf("cli.verified")
				if !e.Verified {
					ok = x.sayf("cli.not_verified")
				}
				x.printf("cli.archive_line", e.Code, e.Date.In(cycle.Vietnam).Format("02/01/2006"), e.Subject, ok, e.SHA256)
				if !e.Verified && e.Verification != "" {
					for _, l := range strings.Split(strings.TrimSpace(e.Verification), "\n") {
						fmt.Fprintln(x.out, "    "+l)
					}
				}
			}
			return nil
		},
	}
	cmd.Flags().IntVar(&year, "year", 0, "the year (default: this year)")
	return cmd
}
