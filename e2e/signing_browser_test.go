package e2e

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"

	"chuyenhoa/api"
	"chuyenhoa/cycle"
	"chuyenhoa/internal/app"
	"chuyenhoa/sample"
	"chuyenhoa/signing"
	"chuyenhoa/signing/agent"
	"chuyenhoa/signing/signingtest"
)

// TestBrowserHeadSignsWithOwnCertificate is issue 17 end to end: the
// worker holds no key of the head's (CHUYENHOA_HEAD_SIGNATURE=external,
// outside the demo), only the issuing body's seal. The approval decision
// is numbered and prepared when the head's sign task opens; certificates
// from an untrusted root, expired, or without the signing key usage are
// refused through the API with a Vietnamese message and the task stays
// open; the head then signs on the signing page in headless Chromium with
// the reference signing agent (PKCS#12); the clerk's issue seals it;
// pdfsig and the product's verifier accept both signatures, and a byte
// changed afterwards fails verification.
// headSigning is a cycle whose head signs with their own certificate,
// at the head's sign task with the decision prepared.
type headSigning struct {
	e       *apiEnv
	pki     *signingtest.PKI
	head    *signingtest.Identity
	roots   string
	year    int
	signer  string // the head's token
	sigPath string
	req     api.SignatureRequest
	digest  []byte
	post    func(path, token string, body []byte, key string) response
}

// startHeadSigning starts the API on a worker with no key of the head's
// (CHUYENHOA_HEAD_SIGNATURE=external, outside the demo), only the issuing
// body's seal, and takes a cycle to the head's sign task.
func startHeadSigning(t *testing.T) *headSigning {
	t.Helper()
	pki := signingtest.NewPKI(t)
	head := pki.Leaf(t, "Nguyễn Văn Hùng", signingtest.LeafOptions{})
	seal := pki.Leaf(t, "Ban Chỉ đạo 138 tỉnh Quảng Ngãi", signingtest.LeafOptions{Organisation: "Ban Chỉ đạo 138 tỉnh Quảng Ngãi"})
	dir := t.TempDir()
	sealPEM := filepath.Join(dir, "seal.pem")
	kd, err := x509.MarshalPKCS8PrivateKey(seal.Key)
	require.NoError(t, err)
	b := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: seal.Cert.Raw})
	for _, c := range seal.Chain {
		b = append(b, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	b = append(b, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kd})...)
	require.NoError(t, os.WriteFile(sealPEM, b, 0o600))
	roots := pki.RootPEM(t)

	// A person's key on the server is refused outside the demo.
	_, _, err = app.CheckSigning(app.SigningConfig{SignerCert: sealPEM, BodyCert: sealPEM, CA: roots})
	require.Error(t, err)
	require.Contains(t, cycle.AsError(err).Text, "Không được đặt khóa bí mật của người ký")

	e := startAPIWith(t, app.Config{OutputDir: t.TempDir(), Signing: app.SigningConfig{
		BodyCert: sealPEM, CA: roots, SampleImages: true, SignerName: "Nguyễn Văn Hùng", BodyName: "Ban Chỉ đạo 138",
		Head: app.HeadSigningConfig{Mode: app.HeadExternal}}})
	year := 2027
	proposals := sample.Proposals(e.prov, e.pol, year)
	for _, p := range proposals {
		e.account("ca."+p.Unit, cycle.RoleDistrictOfficer, p.Unit)
	}
	e.account("cat.tt", cycle.RoleSecretariat, "")
	e.account("hd.chutich", cycle.RoleCouncilChair, "")
	e.account("truongban", cycle.RoleSigner, "")
	e.account("vanthu", cycle.RoleClerk, "")
	e.startCycle(year)
	tasks := fmt.Sprintf("/api/tasks/cycle/%s/%d/", e.prov.Code, year)
	post := func(path, token string, body []byte, key string) response {
		t.Helper()
		return e.call("POST", path, token, "application/json", body, "Idempotency-Key", key)
	}
	for _, p := range proposals {
		r := post(tasks+"submit_proposal/"+p.Unit, e.signIn("ca."+p.Unit), jsonBody(t, p), "proposal-"+p.Unit)
		require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
	}
	sec := e.signIn("cat.tt")
	e.waitTask(sec, cycle.TaskConsolidate)
	require.Equal(t, http.StatusOK, post(tasks+"consolidate", sec, []byte(`{"note": "Tổng hợp"}`), "consolidation-1").Status)
	chair := e.signIn("hd.chutich")
	e.waitTask(chair, cycle.TaskAppraise)
	require.Equal(t, http.StatusOK, post(tasks+"appraise", chair, []byte(`{"approved": true, "minutes": "Thống nhất"}`), "appraisal-1").Status)

	// The head's task carries the prepared decision's digest.
	signer := e.signIn("truongban")
	e.waitTask(signer, cycle.TaskSign)
	sigPath := fmt.Sprintf("/api/signatures/cycle/%s/%d/sign", e.prov.Code, year)
	var req api.SignatureRequest
	require.Eventually(t, func() bool {
		r := e.call("GET", sigPath, signer, "", nil)
		return r.Status == http.StatusOK && json.Unmarshal(r.Body, &req) == nil
	}, 60*time.Second, 100*time.Millisecond, "the decision is never prepared for the head's signature")
	require.Equal(t, "1/QĐ-BCĐ", req.Code)
	digest, err := base64.StdEncoding.DecodeString(req.DigestB64)
	require.NoError(t, err)
	require.Len(t, digest, 32)
	r := e.call("GET", req.PDF, signer, "", nil)
	require.Equal(t, http.StatusOK, r.Status)
	require.True(t, strings.HasPrefix(string(r.Body), "%PDF-"))
	// The clerk may not sign; the old completion without a signature is refused.
	require.Equal(t, http.StatusForbidden, post(sigPath, e.signIn("vanthu"), jsonBody(t, api.SignatureBody{CMSB64: "AAAA"}), "clerk-sign-1").Status)
	r = post(tasks+"sign", signer, []byte(`{}`), "plain-sign-1")
	require.Equal(t, http.StatusUnprocessableEntity, r.Status, "%s", r.Body)
	require.Contains(t, r.errorBody(t).Text, "chứng thư số của chính người ký")

	return &headSigning{e: e, pki: pki, head: head, roots: roots, year: year, signer: signer, sigPath: sigPath, req: req, digest: digest, post: post}
}

func TestBrowserHeadSignsWithOwnCertificate(t *testing.T) {
	api.PasswordCost = bcrypt.MinCost
	h := startHeadSigning(t)
	e, pki, head, roots, year, signer, sigPath, req, digest, post := h.e, h.pki, h.head, h.roots, h.year, h.signer, h.sigPath, h.req, h.digest, h.post
	tasks := fmt.Sprintf("/api/tasks/cycle/%s/%d/", e.prov.Code, year)
	var err error
	var r response
	// Refused certificates: each with its Vietnamese reason; the task stays open.
	refused := []struct {
		name string
		id   *signingtest.Identity
		want string
	}{
		{"untrusted-root", pki.Leaf(t, "Người lạ", signingtest.LeafOptions{ByForeignRoot: true}), "không do tổ chức cung cấp dịch vụ chứng thực chữ ký số tin cậy cấp"},
		{"expired", pki.Leaf(t, "Nguyễn Văn Hùng", signingtest.LeafOptions{NotBefore: time.Now().AddDate(-2, 0, 0), NotAfter: time.Now().AddDate(0, 0, -1)}), "đã hết hạn"},
		{"no-signing-usage", pki.Leaf(t, "Nguyễn Văn Hùng", signingtest.LeafOptions{KeyUsage: x509.KeyUsageKeyEncipherment}), "không có mục đích sử dụng ký số"},
	}
	for _, c := range refused {
		cms, err := signing.BuildCMS(context.Background(), digest, c.id.Key, c.id.Cert, c.id.Chain, nil)
		require.NoError(t, err)
		r := post(sigPath, signer, jsonBody(t, api.SignatureBody{CMSB64: base64.StdEncoding.EncodeToString(cms)}), "refused-"+c.name)
		require.Equal(t, http.StatusUnprocessableEntity, r.Status, "%s: %s", c.name, r.Body)
		ce := r.errorBody(t)
		var texts []string
		for _, p := range ce.Problems {
			texts = append(texts, p.Text)
		}
		t.Logf("%s refused: %s | %s", c.name, ce.Text, strings.Join(texts, " | "))
		require.Contains(t, ce.Text+strings.Join(texts, " "), c.want, c.name)
		require.Equal(t, http.StatusOK, e.call("GET", sigPath, signer, "", nil).Status, "%s: the task stays open", c.name)
	}
	// A signature over another digest.
	other := make([]byte, 32)
	cms, err := signing.BuildCMS(context.Background(), other, head.Key, head.Cert, head.Chain, nil)
	require.NoError(t, err)
	r = post(sigPath, signer, jsonBody(t, api.SignatureBody{CMSB64: base64.StdEncoding.EncodeToString(cms)}), "refused-digest")
	require.Equal(t, http.StatusUnprocessableEntity, r.Status, "%s", r.Body)
	require.Contains(t, string(r.Body), "không ký đúng nội dung văn bản này")

	// The head's signing agent: the PKCS#12 file the head holds.
	p12 := signingtest.PKCS12File(t, head, "mat-khau-token")
	id, err := signing.LoadPKCS12(p12, "mat-khau-token")
	require.NoError(t, err)
	ag, err := agent.New(agent.Config{Origins: []string{e.srv.URL}, Key: id,
		Approve: func(context.Context, agent.SignRequest) error { return nil }})
	require.NoError(t, err)
	free, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	agentAddr := free.Addr().String()
	require.NoError(t, free.Close())
	e.api.SigningAgent = "http://" + agentAddr

	// The signing page: first with the agent not running, then with it.
	w := newWeb(t, e)
	w.signIn("ky-01-dang-nhap", "truongban")
	w.step("ky-02-cong-viec-ky",
		chromedp.Navigate(fmt.Sprintf("%s/tasks/cycle/%s/%d/sign", e.srv.URL, e.prov.Code, year)),
		chromedp.WaitVisible(chromedp.CSS("#signing-link")))
	w.step("ky-03-chua-chay-phan-mem-ky",
		chromedp.Click(chromedp.CSS("#signing-link")),
		chromedp.WaitVisible(chromedp.CSS(`#agent-state[data-state="no-agent"]`)))
	require.Contains(t, w.text("#agent-state"), "Chưa kết nối được phần mềm ký số")
	agentLn, err := net.Listen("tcp", agentAddr)
	require.NoError(t, err)
	agentSrv := &http.Server{Handler: ag}
	go agentSrv.Serve(agentLn)
	t.Cleanup(func() { agentSrv.Close() })
	w.step("ky-04-san-sang",
		chromedp.Click(chromedp.CSS("#recheck")),
		chromedp.WaitVisible(chromedp.CSS(`#agent-state[data-state="ready"]`)))
	require.Contains(t, w.text("#agent-state"), "Nguyễn Văn Hùng")
	require.Contains(t, w.text("#digest"), req.Digest)
	w.shot(w.ctx, "ky-04-trang-ky-1280")
	_, err = chromedp.Run(w.ctx, chromedp.EmulateViewport(390, 844))
	require.NoError(t, err)
	w.shot(w.ctx, "ky-04-trang-ky-390")
	scroll := eval[bool](w, `document.documentElement.scrollWidth > window.innerWidth`)
	require.False(t, scroll, "the signing page scrolls sideways at 390 px")
	_, err = chromedp.Run(w.ctx, chromedp.EmulateViewport(1280, 900))
	require.NoError(t, err)
	w.step("ky-05-da-ky",
		chromedp.Click(chromedp.CSS("#sign-button")),
		chromedp.WaitVisible(chromedp.CSS(`#result[data-state="signed"]`)))
	require.Contains(t, w.text("#result"), "Đã ký số văn bản 1/QĐ-BCĐ")

	// The clerk seals and issues.
	clerk := e.signIn("vanthu")
	e.waitTask(clerk, cycle.TaskIssue)
	r = post(tasks+"issue", clerk, []byte(`{}`), "issue-0001")
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
	r = e.call("GET", fmt.Sprintf("/api/cycles/%s/%d/decisions/approval/pdf", e.prov.Code, year), clerk, "", nil)
	require.Equal(t, http.StatusOK, r.Status)
	pdf := r.Body
	file := filepath.Join(w.dir, "quyet-dinh-da-ky.pdf")
	require.NoError(t, os.WriteFile(file, pdf, 0o644))

	// Both signatures verify: the product's verifier, and pdfsig.
	pool, err := signing.LoadCAPool(roots)
	require.NoError(t, err)
	rep := signing.VerifyWith(pdf, signing.VerifyOptions{Roots: pool, RequireKeyUsage: true})
	require.Len(t, rep.Signatures, 2)
	require.Empty(t, rep.Problems)
	for _, s := range rep.Signatures {
		require.True(t, s.Valid(), "%s: %+v", s.Field, s.Problems)
	}
	require.Equal(t, "signer", rep.Signatures[0].Field)
	require.Contains(t, rep.Signatures[0].Signer, "Nguyễn Văn Hùng")
	require.Equal(t, "seal", rep.Signatures[1].Field)
	if _, err := exec.LookPath("pdfsig"); err == nil {
		out, _ := exec.Command("pdfsig", "-nocert", file).CombinedOutput()
		t.Logf("pdfsig:\n%s", out)
		require.Equal(t, 2, strings.Count(string(out), "Signature Validation: Signature is Valid."), "%s", out)
	} else {
		t.Log("pdfsig not installed: skipped")
	}
	// A byte changed afterwards fails verification.
	bad := append([]byte(nil), pdf...)
	bad[len(bad)/3] ^= 0x01 // in the rendered document: covered by both signatures
	rep = signing.VerifyWith(bad, signing.VerifyOptions{Roots: pool, RequireKeyUsage: true})
	valid := 0
	for _, s := range rep.Signatures {
		if s.Valid() {
			valid++
		}
	}
	require.Zero(t, valid, "a changed byte must break every signature")
	badFile := filepath.Join(w.dir, "quyet-dinh-bi-sua.pdf")
	require.NoError(t, os.WriteFile(badFile, bad, 0o644))
	if _, err := exec.LookPath("pdfsig"); err == nil {
		out, _ := exec.Command("pdfsig", "-nocert", badFile).CombinedOutput()
		require.NotContains(t, string(out), "Signature is Valid.", "%s", out)
	}
	// The audit trail has the refusals and the completion.
	refusals := 0
	acts := e.auditActions()
	for k, n := range acts {
		if strings.HasPrefix(k, "refused ") {
			refusals += n
		}
	}
	require.GreaterOrEqual(t, refusals, 5, "%v", acts)
	require.Equal(t, 1, acts["complete.sign ok"], "%v", acts)
}
