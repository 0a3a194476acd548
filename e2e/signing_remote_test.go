package e2e

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
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
// their phone), selected by the server's configuration. The requests in
// flight are kept in the store: a second server process answers the
// polls of a request the first one sent. A denial leaves the task open;
// on the signing page, the button "Ký qua dịch vụ ký số từ xa" sends the
// request, shows it waiting for the phone, and the approval completes
// the task; the clerk seals and issues.
func TestAPIHeadSignsRemotely(t *testing.T) {
	api.PasswordCost = bcrypt.MinCost
	h := startHeadSigning(t)
	e := h.e
	rs := remotetest.Start(map[string]*signing.Identity{"truongban": {Key: h.head.Key, Cert: h.head.Cert, Chain: h.head.Chain}})
	t.Cleanup(rs.Close)
	doors := app.SigningConfig{Head: app.HeadSigningConfig{RemoteURL: rs.URL, RemoteToken: rs.Token}}
	require.NoError(t, app.ConfigureSigningDoors(e.api, doors))
	// A second server process on the same store and Temporal.
	other := &apiEnv{t: t, ctx: e.ctx, c: e.c, db: e.db, raw: e.raw, prov: e.prov, pol: e.pol, now: e.now}
	other.api = app.NewAPI(e.c, e.db, slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn})))
	other.api.Now = e.clock
	require.NoError(t, app.ConfigureSigningDoors(other.api, doors))
	other.srv = httptest.NewServer(other.api.Handler())
	t.Cleanup(other.srv.Close)

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
	poll := func(on *apiEnv, ticket string) response {
		t.Helper()
		return on.call("GET", remotePath+"?ticket="+url.QueryEscape(ticket), h.signer, "", nil)
	}
	// Denied on the phone: the task stays open. The other process
	// answers the polls of the request this one sent.
	tk := ask()
	r := poll(other, tk)
	require.Equal(t, http.StatusOK, r.Status, "the other server process does not know the request: %s", r.Body)
	require.NoError(t, rs.Deny(tk))
	r = poll(e, tk)
	require.Equal(t, http.StatusConflict, r.Status, "%s", r.Body)
	require.Contains(t, r.errorBody(t).Text, "từ chối")
	require.Equal(t, http.StatusNotFound, poll(other, tk).Status, "a denied request is forgotten")
	require.Equal(t, http.StatusOK, e.call("GET", h.sigPath, h.signer, "", nil).Status, "the task stays open")

	// Approved: on the signing page, the remote-signing button.
	w := newWeb(t, e)
	w.signIn("ky-tu-xa-01-dang-nhap", "truongban")
	w.step("ky-tu-xa-02-trang-ky",
		chromedp.Navigate(fmt.Sprintf("%s/signing/cycle/%s/%d/sign", e.srv.URL, e.prov.Code, h.year)),
		chromedp.WaitVisible(chromedp.CSS("#remote-button")))
	w.step("ky-tu-xa-03-cho-xac-nhan",
		chromedp.Click(chromedp.CSS("#remote-button")),
		chromedp.WaitVisible(chromedp.CSS(`#remote-state[data-state="pending"]`)))
	require.Contains(t, w.text("#remote-state"), "xác nhận ký")
	w.shot(w.ctx, "ky-tu-xa-03-cho-xac-nhan-1280")
	_, err := chromedp.Run(w.ctx, chromedp.EmulateViewport(390, 844))
	require.NoError(t, err)
	w.shot(w.ctx, "ky-tu-xa-03-cho-xac-nhan-390")
	require.False(t, eval[bool](w, `document.documentElement.scrollWidth > window.innerWidth`), "the signing page scrolls sideways at 390 px")
	_, err = chromedp.Run(w.ctx, chromedp.EmulateViewport(1280, 900))
	require.NoError(t, err)
	tk = eval[string](w, `document.getElementById("remote-state").dataset.ticket`)
	require.NotEmpty(t, tk)
	require.NoError(t, rs.Approve(tk))
	w.step("ky-tu-xa-04-da-ky",
		chromedp.WaitVisible(chromedp.CSS(`#remote-state[data-state="signed"]`)))
	require.Contains(t, w.text("#remote-state"), "Đã ký số văn bản")
	r = poll(other, tk)
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
	var rr api.RemoteSignatureResponse
	require.NoError(t, json.Unmarshal(r.Body, &rr))
	require.Equal(t, "signed", rr.Status, "a repeated poll, on the other process, replays the completion")
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
