package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"

	"chuyenhoa/api"
	"chuyenhoa/cycle"
	"chuyenhoa/internal/app"
	"chuyenhoa/signing"
	"chuyenhoa/signing/remote/remotetest"
)

// TestAPIHeadSignsRemotely: the head signs through a remote-signing
// service (the test double of package remotetest: the head approves on
// their phone), selected by the server's configuration; a denial leaves
// the task open; the approval completes it; the clerk seals and issues.
func TestAPIHeadSignsRemotely(t *testing.T) {
	api.PasswordCost = bcrypt.MinCost
	h := startHeadSigning(t)
	e := h.e
	rs := remotetest.Start(map[string]*signing.Identity{"truongban": {Key: h.head.Key, Cert: h.head.Cert, Chain: h.head.Chain}})
	t.Cleanup(rs.Close)
	require.NoError(t, app.ConfigureSigningDoors(e.api, app.SigningConfig{Head: app.HeadSigningConfig{RemoteURL: rs.URL, RemoteToken: rs.Token}}))
	remotePath := fmt.Sprintf("/api/remote-signatures/cycle/%s/%d/sign", e.prov.Code, h.year)
	ask := func() string {
		t.Helper()
		r := e.call("POST", remotePath, h.signer, "", nil)
		require.Equal(t, http.StatusAccepted, r.Status, "%s", r.Body)
		var rr api.RemoteSignatureResponse
		require.NoError(t, json.Unmarshal(r.Body, &rr))
		require.Equal(t, "pending", rr.Status)
		return rr.Ticket
	}
	poll := func(ticket string) response {
		t.Helper()
		return e.call("GET", remotePath+"?ticket="+url.QueryEscape(ticket), h.signer, "", nil)
	}
	// Denied on the phone: the task stays open.
	tk := ask()
	require.Equal(t, http.StatusOK, poll(tk).Status)
	require.NoError(t, rs.Deny(tk))
	r := poll(tk)
	require.Equal(t, http.StatusConflict, r.Status, "%s", r.Body)
	require.Contains(t, r.errorBody(t).Text, "từ chối")
	require.Equal(t, http.StatusOK, e.call("GET", h.sigPath, h.signer, "", nil).Status, "the task stays open")
	// Approved: the CMS completes the head's task.
	tk = ask()
	require.NoError(t, rs.Approve(tk))
	r = poll(tk)
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
	var rr api.RemoteSignatureResponse
	require.NoError(t, json.Unmarshal(r.Body, &rr))
	require.Equal(t, "signed", rr.Status)
	clerk := e.signIn("vanthu")
	e.waitTask(clerk, cycle.TaskIssue)
	tasks := fmt.Sprintf("/api/tasks/cycle/%s/%d/", e.prov.Code, h.year)
	r = e.call("POST", tasks+"issue", clerk, "application/json", []byte(`{}`), "Idempotency-Key", "issue-remote-1")
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
	r = e.call("GET", fmt.Sprintf("/api/cycles/%s/%d/decisions/approval/pdf", e.prov.Code, h.year), clerk, "", nil)
	require.Equal(t, http.StatusOK, r.Status)
	pool, err := signing.LoadCAPool(h.roots)
	require.NoError(t, err)
	rep := signing.VerifyWith(r.Body, signing.VerifyOptions{Roots: pool, RequireKeyUsage: true, At: time.Now()})
	require.True(t, rep.OK(), "%s", rep)
	require.Len(t, rep.Signatures, 2)
}
