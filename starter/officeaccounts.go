package main

import (
	"net/url"
	"strconv"

	"github.com/spf13/cobra"

	"chuyenhoa/api"
	"chuyenhoa/cycle"
)

// ---- accounts and delegations -------------------------------------------------------

func (x *officeCommands) accountsCommand() *cobra.Command {
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

func (x *officeCommands) accountSwitch(use string, disabled bool) *cobra.Command {
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

func (x *officeCommands) delegationsCommand() *cobra.Command {
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
