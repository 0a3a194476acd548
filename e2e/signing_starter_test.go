package e2e

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"

	"chuyenhoa/api"
	"chuyenhoa/signing/signingtest"
)

// TestStarterSignsWithOwnCertificate: the CLI's doors of the head's own
// signature — `starter sign-agent` runs the reference agent with the
// head's PKCS#12 file, and `starter sign` fetches the digest, has the
// agent sign it and sends the CMS.
func TestStarterSignsWithOwnCertificate(t *testing.T) {
	api.PasswordCost = bcrypt.MinCost
	h := startHeadSigning(t)
	e := h.e
	cli := &starterCLI{t: t, bin: buildStarter(t), server: e.srv.URL, home: t.TempDir()}
	r := cli.as("truongban", testPassword+"\n", "login", "truongban")
	require.Equal(t, 0, r.code, "%s%s", r.out, r.err)

	// Without an agent: said, and the task stays open.
	free, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := free.Addr().String()
	require.NoError(t, free.Close())
	r = cli.as("truongban", "", "sign", "--agent", "http://"+addr)
	require.Equal(t, 1, r.code, "%s%s", r.out, r.err)
	require.Contains(t, r.err+r.out, "Không kết nối được phần mềm ký số")
	require.Equal(t, http.StatusOK, e.call("GET", h.sigPath, h.signer, "", nil).Status, "the task stays open")

	// The head's agent, with the PKCS#12 file the head holds.
	p12 := signingtest.PKCS12File(t, h.head, "mat-khau-token")
	ctx, cancel := context.WithCancel(context.Background())
	agent := exec.CommandContext(ctx, cli.bin, "sign-agent", "--origin", e.srv.URL, "--addr", addr, "--p12", p12, "--yes")
	agent.Env = append(os.Environ(), "CHUYENHOA_AGENT_P12_PASSWORD=mat-khau-token", "HOME="+filepath.Join(cli.home, "agent"))
	var agentOut bytes.Buffer
	agent.Stdout, agent.Stderr = &agentOut, &agentOut
	require.NoError(t, agent.Start())
	t.Cleanup(func() {
		cancel()
		_ = agent.Wait()
		t.Logf("starter sign-agent:\n%s", agentOut.String())
	})
	require.Eventually(t, func() bool {
		resp, err := http.Get("http://" + addr + "/v1/health")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return true
	}, 60*time.Second, 100*time.Millisecond, "the agent never answers")

	out := cli.ok("truongban", "sign", "--agent", "http://"+addr, "--comment", "Đồng ý")
	require.Contains(t, out, "Đã ký")
	require.Equal(t, http.StatusNotFound, e.call("GET", h.sigPath, h.signer, "", nil).Status, "signed: no document waits any more")
	require.Contains(t, agentOut.String(), "Phần mềm ký số đang chạy")
}
