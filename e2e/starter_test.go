package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"

	"chuyenhoa/api"
	"chuyenhoa/cycle"
	"chuyenhoa/policies"
	"chuyenhoa/sample"
)

// starterRun is one run of the starter binary.
type starterRun struct {
	code     int
	out, err string
}

// starterCLI runs the built starter binary as officers, each with his
// own configuration directory (where `starter login` keeps his session).
type starterCLI struct {
	t      *testing.T
	bin    string
	server string
	home   string
}

func buildStarter(t *testing.T) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		goBin = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	bin := filepath.Join(t.TempDir(), "starter")
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	start := time.Now()
	out, err := exec.CommandContext(ctx, goBin, "build", "-o", bin, "chuyenhoa/starter").CombinedOutput()
	require.NoError(t, err, "go build chuyenhoa/starter: %s", out)
	t.Logf("built the starter binary in %s", time.Since(start).Round(time.Millisecond))
	return bin
}

// as runs starter as an officer with stdin.
func (s *starterCLI) as(officer, stdin string, args ...string) starterRun {
	s.t.Helper()
	dir := filepath.Join(s.home, officer)
	require.NoError(s.t, os.MkdirAll(dir, 0o700))
	cmd := exec.Command(s.bin, args...)
	cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+dir, "HOME="+dir, "CHUYENHOA_SERVER="+s.server)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else {
		require.NoError(s.t, err)
	}
	return starterRun{code, out.String(), errOut.String()}
}

// ok runs starter as an officer and requires exit 0.
func (s *starterCLI) ok(officer string, args ...string) string {
	s.t.Helper()
	r := s.as(officer, "", args...)
	require.Equal(s.t, 0, r.code, "%s: starter %s\n%s%s", officer, strings.Join(args, " "), r.out, r.err)
	return r.out
}

// waitTask waits until the officer's inbox, as `starter tasks --json`
// prints it, has a task of the kind; it returns its address.
func (s *starterCLI) waitTask(officer string, kind cycle.TaskKind) string {
	s.t.Helper()
	var addr string
	require.Eventually(s.t, func() bool {
		var res api.TasksResponse
		out := s.ok(officer, "--json", "tasks", "--kind", string(kind))
		require.NoError(s.t, json.Unmarshal([]byte(out), &res), out)
		if len(res.Tasks) > 0 {
			addr = res.Tasks[0].Address
			return true
		}
		return false
	}, 60*time.Second, 200*time.Millisecond, "no %s task in the inbox of %s", kind, officer)
	return addr
}

// TestStarterDrivesSelection drives a whole selection — the cycle's start,
// every unit's proposal, consolidation, appraisal, signature, issue and
// the PDF — with the starter binary as different signed-in officers
// against the API on a real Temporal, and checks that the audit chain
// verifies with an entry for every completion.
func TestStarterDrivesSelection(t *testing.T) {
	api.PasswordCost = bcrypt.MinCost
	e := startAPI(t)
	cli := &starterCLI{t: t, bin: buildStarter(t), server: e.srv.URL, home: t.TempDir()}
	year := 2027
	all, err := policies.Builtin()
	require.NoError(t, err)
	pol := all[0]
	proposals := sample.Proposals(e.prov, pol, year)
	officers := []string{"cat.tt", "hd.chutich", "truongban", "vanthu"}
	e.account("cat.tt", cycle.RoleSecretariat, "")
	e.account("hd.chutich", cycle.RoleCouncilChair, "")
	e.account("truongban", cycle.RoleSigner, "")
	e.account("vanthu", cycle.RoleClerk, "")
	for _, p := range proposals {
		e.account("ca."+p.Unit, cycle.RoleDistrictOfficer, p.Unit)
		officers = append(officers, "ca."+p.Unit)
	}

	// Everyone signs in; the password is read from stdin.
	for _, o := range officers {
		r := cli.as(o, testPassword+"\n", "login", o)
		require.Equal(t, 0, r.code, "login %s: %s%s", o, r.out, r.err)
		require.Contains(t, r.out, "Đã đăng nhập: "+o)
		fi, err := os.Stat(filepath.Join(cli.home, o, "chuyenhoa", "session.json"))
		require.NoError(t, err)
		require.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	}
	completions := 0

	// The secretariat starts the cycle: without --yes nothing starts
	// (exit 2), with it the cycle opens under the policy shown.
	r := cli.as("cat.tt", "", "cycle", "start", "--province", e.prov.Code, "--year", "2027", "--policy", pol.ID, "--synthetic")
	require.Equal(t, 2, r.code, "%s%s", r.out, r.err)
	require.Contains(t, r.out, "Kế hoạch áp dụng: "+pol.ID)
	require.Contains(t, r.out, "Lịch năm 2027:")
	out := cli.ok("cat.tt", "cycle", "start", "--province", e.prov.Code, "--year", "2027", "--policy", pol.ID, "--synthetic", "--yes")
	require.Contains(t, out, "Đã mở chu kỳ cycle/51/2027")

	// Every unit sends its proposal as its own officer; one of them
	// retries with the same request ID and gets the first answer.
	dir := t.TempDir()
	for i, p := range proposals {
		o := "ca." + p.Unit
		cli.waitTask(o, cycle.TaskSubmitProposal)
		file := filepath.Join(dir, p.Unit+".csv")
		require.NoError(t, os.WriteFile(file, proposalCSV(t, e.prov, p), 0o644))
		out := cli.ok(o, "proposal", "submit", "-f", file, "--request-id", "de-xuat-"+p.Unit)
		require.Contains(t, out, "Đề xuất của đơn vị "+p.Unit+" đã được ghi nhận: lần gửi thứ 1")
		completions++
		if i == 0 {
			// The request ID and the address were printed; the task is no
			// longer open, so the retry names it.
			addr := "cycle/51/2027/submit_proposal/" + p.Unit
			again := cli.ok(o, "proposal", "submit", addr, "-f", file, "--request-id", "de-xuat-"+p.Unit)
			require.Equal(t, out, again, "a retry returns the first result")
			completions++
			// Another unit's officer cannot send it: refused, exit 1.
			other := "ca." + proposals[1].Unit
			r := cli.as(other, "", "proposal", "submit", "cycle/51/2027/submit_proposal/"+p.Unit, "-f", file)
			require.Equal(t, 1, r.code, "%s%s", r.out, r.err)
			require.Contains(t, r.err, "Không có quyền thực hiện")
		}
	}

	// The secretariat consolidates, the council approves, the head signs,
	// the clerk issues — each finding the task in his inbox.
	cli.waitTask("cat.tt", cycle.TaskConsolidate)
	out = cli.ok("cat.tt", "consolidate")
	require.Contains(t, out, "Danh sách dự thảo")
	completions++
	addr := cli.waitTask("hd.chutich", cycle.TaskAppraise)
	detail := cli.ok("hd.chutich", "task", "show", addr)
	require.Contains(t, detail, "Dự thảo danh sách địa bàn chuyển hóa năm 2027")
	out = cli.ok("hd.chutich", "appraise", "--approve", "--minutes", "Hội đồng thống nhất danh sách")
	require.Contains(t, out, "đã trình Trưởng Ban Chỉ đạo ký")
	completions++
	cli.waitTask("truongban", cycle.TaskSign)
	r = cli.as("vanthu", "", "sign", "cycle/51/2027/sign")
	require.Equal(t, 1, r.code, "the clerk cannot sign: %s%s", r.out, r.err)
	out = cli.ok("truongban", "sign", "--comment", "Đồng ý")
	require.Contains(t, out, "Đã ký ngày")
	completions++
	cli.waitTask("vanthu", cycle.TaskIssue)
	out = cli.ok("vanthu", "issue")
	require.Contains(t, out, "Đã ban hành văn bản số")
	completions++
	pdf := filepath.Join(dir, "quyet-dinh.pdf")
	cli.ok("vanthu", "cycle", "decisions", "--province", e.prov.Code, "--year", "2027", "--fetch", "approval", "-o", pdf)
	b, err := os.ReadFile(pdf)
	require.NoError(t, err)
	require.True(t, bytes.HasPrefix(b, []byte("%PDF-")))
	show := cli.ok("cat.tt", "cycle", "show", "--province", e.prov.Code, "--year", "2027")
	require.Contains(t, show, "Đã ban hành văn bản số")

	// Signing out removes the session; the next command says to sign in.
	cli.ok("vanthu", "logout")
	r = cli.as("vanthu", "", "tasks")
	require.Equal(t, 1, r.code)
	require.Contains(t, r.err, "Chưa đăng nhập")

	// The audit chain verifies and holds an entry for every completion,
	// by the officer who made it.
	n, err := e.db.VerifyAudit(e.ctx)
	require.NoError(t, err)
	rs, err := e.db.RecentAudit(e.ctx, "", 100000)
	require.NoError(t, err)
	byAction := map[string][]string{}
	for _, rec := range rs {
		if strings.HasPrefix(rec.Action, "complete.") && rec.Outcome == "ok" {
			byAction[rec.Action] = append(byAction[rec.Action], rec.ActorID)
		}
	}
	got := 0
	for _, v := range byAction {
		got += len(v)
	}
	require.Equal(t, completions, got, "an audit entry for every completion: %v", byAction)
	require.Len(t, byAction["complete.submit_proposal"], len(proposals)+1)
	require.Equal(t, []string{"cat.tt"}, byAction["complete.consolidate"])
	require.Equal(t, []string{"hd.chutich"}, byAction["complete.appraise"])
	require.Equal(t, []string{"truongban"}, byAction["complete.sign"])
	require.Equal(t, []string{"vanthu"}, byAction["complete.issue"])
	acts := e.auditActions()
	require.Equal(t, len(officers), acts["sign_in ok"])
	require.Equal(t, 2, acts["refused forbidden"])
	t.Logf("audit chain of %d rows verified; %d completions by %d officers, each audited", n, completions, len(officers))
}
