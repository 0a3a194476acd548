package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"chuyenhoa/api"
	"chuyenhoa/cycle"
)

// Signing in and out: the session's token is kept in the user's
// configuration directory with mode 0600, with the server it is for.

func (x *sessionCommands) loginCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "login [ACCOUNT]",
		Short: "Đăng nhập (sign in and keep the session for the other commands)",
		Long: `Đăng nhập vào máy chủ (--server, CHUYENHOA_SERVER; mặc định ` + defaultServer + `).
Mật khẩu được hỏi mà không hiện lên màn hình; khi đầu vào không phải màn hình (một
tệp, một đường ống), mật khẩu là dòng đầu tiên của đầu vào chuẩn. Mã phiên làm việc
được lưu trong thư mục cấu hình của người dùng (chuyenhoa/session.json, chỉ người dùng
đọc được: quyền 0600) cùng địa chỉ máy chủ; starter logout xóa nó.

Sign in: the password is asked without echo, or read from the first line of
standard input when it is not a terminal. The session's token is kept with the
server's address in the user's configuration directory
(os.UserConfigDir()/chuyenhoa/session.json, mode 0600).`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			server := x.server
			if server == "" {
				server = defaultServer
			}
			server, err := normalServer(server)
			if err != nil {
				return err
			}
			x.server = server
			account := ""
			if len(args) == 1 {
				account = strings.TrimSpace(args[0])
			}
			if account == "" {
				if !x.interactive() {
					return usageError{cmd: cmd, err: fmt.Errorf("%s", cycle.Say(x.lang, "cli.login_account"))}
				}
				fmt.Fprint(x.errOut, cycle.Say(x.lang, "cli.prompt_account"))
				line, _ := bufio.NewReader(x.in).ReadString('\n')
				account = strings.TrimSpace(line)
			}
			pw, err := x.readSecret(cycle.Say(x.lang, "cli.prompt_password", account, server), false)
			if err != nil {
				return err
			}
			var res api.SessionResponse
			r := jsonRequest("POST", "/api/session", api.SignInRequest{Account: account, Password: pw})
			r.anonymous = true
			raw, err := x.call(cmd.Context(), r, &res)
			if err != nil {
				return err
			}
			s := &session{Server: server, Token: res.Token, ExpiresAt: res.ExpiresAt, Account: res.Account, SignedInAt: time.Now()}
			path, err := x.saveSession(s)
			if err != nil {
				return err
			}
			if x.jsonOut {
				// The token stays in the session file: the JSON says whose it is.
				_ = raw
				return x.printJSON(struct {
					Account   cycle.Account `json:"account"`
					ExpiresAt time.Time     `json:"expires_at"`
					Server    string        `json:"server"`
					File      string        `json:"session_file"`
				}{res.Account, res.ExpiresAt, server, path})
			}
			x.printf("cli.signed_in", accountLabel(x.lang, res.Account), server, timeVN(res.ExpiresAt), path)
			return nil
		},
	}
	return cmd
}

func (x *sessionCommands) logoutCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "logout",
		Short: "Đăng xuất (end the session on the server and remove the session file)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := x.loadSession()
			if err != nil {
				if ce := cycle.AsError(err); ce != nil && ce.Message == cycle.Say(cycle.English, "cli.not_signed_in") {
					x.printf("cli.not_signed_in_ok")
					return nil
				}
				return err
			}
			x.sess = s
			_, err = x.call(cmd.Context(), request{method: "DELETE", path: "/api/session"}, nil)
			// An expired session is ended already; the file goes either way.
			if ae, ok := err.(*apiError); ok && ae.Err.Code == eUnauth {
				err = nil
			}
			if rerr := x.removeSession(); rerr != nil {
				return rerr
			}
			if err != nil {
				return err
			}
			x.printf("cli.signed_out", s.Account.ID, s.Server)
			return nil
		},
	}
}

// MeResponse is the answer of GET /api/me.
type MeResponse struct {
	Account   cycle.Account `json:"account"`
	ExpiresAt time.Time     `json:"expires_at"`
}

func (x *sessionCommands) whoamiCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "whoami",
		Short: "Tài khoản đang đăng nhập (the signed-in account, as the server knows it)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var me MeResponse
			raw, err := x.call(cmd.Context(), request{method: "GET", path: "/api/me"}, &me)
			if err != nil {
				return err
			}
			if x.jsonOut {
				return x.raw(raw)
			}
			a := me.Account
			x.printf("cli.whoami", accountLabel(x.lang, a), x.sess.Server, timeVN(me.ExpiresAt))
			if a.Title != "" {
				x.printf("cli.whoami_title", a.Title)
			}
			return nil
		},
	}
}

func (x *sessionCommands) passwordCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "password",
		Short: "Đổi mật khẩu của mình (change your own password; your other sessions end)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if _, err := x.signedIn(); err != nil {
				return err
			}
			cur, err := x.readSecret(cycle.Say(x.lang, "cli.prompt_current"), false)
			if err != nil {
				return err
			}
			pw, err := x.readSecret(cycle.Say(x.lang, "cli.prompt_new"), true)
			if err != nil {
				return err
			}
			if _, err := x.call(cmd.Context(), jsonRequest("POST", "/api/me/password", api.PasswordBody{Current: cur, Password: pw}), nil); err != nil {
				return err
			}
			x.printf("cli.password_changed")
			return nil
		},
	}
}

// interactive reports whether standard input is a terminal.
func (x *cli) interactive() bool {
	f, ok := x.in.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// stdinLines reads standard input line by line (one reader for the whole
// run, so that several secrets can be read from a pipe).
func (x *cli) stdinLine() (string, error) {
	if x.lines == nil {
		x.lines = bufio.NewReader(x.in)
	}
	line, err := x.lines.ReadString('\n')
	if err != nil && line == "" {
		return "", cycle.Fail(eUsage, "cli.no_password")
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// readSecret reads a password without echo from the terminal (twice when
// confirm), or the next line of standard input when it is not a terminal.
func (x *cli) readSecret(prompt string, confirm bool) (string, error) {
	if !x.interactive() {
		return x.stdinLine()
	}
	fd := int(x.in.(*os.File).Fd())
	fmt.Fprint(x.errOut, prompt)
	a, err := term.ReadPassword(fd)
	fmt.Fprintln(x.errOut)
	if err != nil {
		return "", err
	}
	if confirm {
		fmt.Fprint(x.errOut, cycle.Say(x.lang, "cli.prompt_again"))
		b, err := term.ReadPassword(fd)
		fmt.Fprintln(x.errOut)
		if err != nil {
			return "", err
		}
		if string(a) != string(b) {
			return "", cycle.Fail(eUsage, "cli.passwords_differ")
		}
	}
	return string(a), nil
}

// accountLabel names an account for people: "ca.522 (Nguyễn Văn A) — cán
// bộ đơn vị cấp huyện, đơn vị 522".
func accountLabel(lang cycle.Lang, a cycle.Account) string {
	s := a.ID
	if a.Name != "" {
		s += " (" + a.Name + ")"
	}
	s += " — " + a.Role.Say(lang)
	if a.District != "" {
		s += ", " + cycle.Say(lang, "cli.unit", a.District)
	}
	return s
}

// timeVN is a time as officers read it: Vietnam's clock, "15:04 02/01/2006".
func timeVN(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(cycle.Vietnam).Format("15:04 02/01/2006")
}
