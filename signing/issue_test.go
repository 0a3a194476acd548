package signing_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"chuyenhoa/cycle"
	"chuyenhoa/document"
	"chuyenhoa/signing"
	"chuyenhoa/signing/agent"
	"chuyenhoa/signing/agent/pkcs11key"
	"chuyenhoa/signing/remote"
	"chuyenhoa/signing/remote/remotetest"
	"chuyenhoa/signing/signingtest"
	"chuyenhoa/signing/tsatest"
	"chuyenhoa/templates"
)

const pageOrigin = "https://vanban.quangngai.gov.vn"

var (
	decisionOnce sync.Once
	decisionPDF  []byte
	decisionLay  document.Layout
	decisionErr  error
)

func decision(t testing.TB) ([]byte, document.Layout) {
	t.Helper()
	decisionOnce.Do(func() {
		set, err := templates.Load("")
		if err != nil {
			decisionErr = err
			return
		}
		r, err := document.NewRenderer(set.Fonts())
		if err != nil {
			decisionErr = err
			return
		}
		decisionPDF, decisionLay, decisionErr = r.RenderLayout(document.Document{
			ParentBody: "UBND TỈNH QUẢNG NGÃI", IssuingBody: "BAN CHỈ ĐẠO 138", Number: "05/QĐ-BCĐ", Place: "Quảng Ngãi",
			Date: time.Now(), Kind: "QUYẾT ĐỊNH", Subject: "Về việc phê duyệt danh sách địa bàn trọng điểm",
			Authority: "TRƯỞNG BAN CHỈ ĐẠO 138 TỈNH QUẢNG NGÃI", Resolution: "QUYẾT ĐỊNH:",
			Articles:  []document.Article{{Text: "Phê duyệt danh sách địa bàn trọng điểm."}, {Text: "Quyết định này có hiệu lực thi hành kể từ ngày ký./."}},
			Signature: document.Signature{Authority: "TM. BAN CHỈ ĐẠO", Title: "TRƯỞNG BAN", Name: "Trần Văn Minh", Signed: true},
		})
	})
	if decisionErr != nil {
		t.Fatal(decisionErr)
	}
	return decisionPDF, decisionLay
}

func identity(l *signingtest.Identity) *signing.Identity {
	return &signing.Identity{Key: l.Key, Cert: l.Cert, Chain: l.Chain}
}

// issue is the product's side of issue 17's flow: prepare the head's
// signature, hand the digest out through ext, wait for the CMS, complete
// it (time-stamp, embed, verify), then the clerk's seal with the
// organisation's key. sign plays the signer's side for the ticket.
type issue struct {
	t      *testing.T
	verify signing.VerifyOptions
	tsa    signing.Timestamper
	seal   *signing.Identity
}

func (is issue) headSigns(ext signing.ExternalSigner, signer string, sign func(signing.Ticket)) ([]byte, signing.SignatureReport, error) {
	is.t.Helper()
	pdf, lay := decision(is.t)
	box := lay.Signature
	p, err := signing.Prepare(pdf, signing.PrepareOptions{Field: "signer", Name: "Trần Văn Minh", Reason: "Ký ban hành 05/QĐ-BCĐ",
		Location: "Quảng Ngãi", Time: time.Now(),
		Appearance: &signing.Appearance{Page: box.Page, X: box.X + (box.W-45)/2, Y: box.Y + (box.H-15)/2, W: 45, H: 15,
			Image: signing.SampleSignatureImage("Trần Văn Minh")}})
	if err != nil {
		is.t.Fatal(err)
	}
	tk, err := ext.Request(context.Background(), signing.SignRequest{DocumentID: "05/QĐ-BCĐ", Digest: p.Digest, Signer: signer, Reason: "Ký ban hành 05/QĐ-BCĐ"})
	if err != nil {
		is.t.Fatal(err)
	}
	if _, done, err := ext.Result(context.Background(), tk); done || err != nil {
		is.t.Fatalf("done before the signer signed: %v", err)
	}
	sign(tk)
	cms, done, err := ext.Result(context.Background(), tk)
	if err != nil {
		return nil, signing.SignatureReport{}, err
	}
	if !done {
		is.t.Fatal("not done after the signer signed")
	}
	return signing.Complete(context.Background(), p, cms, is.tsa, is.verify)
}

func (is issue) clerkSeals(pdf []byte) []byte {
	is.t.Helper()
	_, lay := decision(is.t)
	box := lay.Signature
	out, err := signing.Sign(pdf, is.seal, signing.Options{Field: "seal", Name: "Ban Chỉ đạo 138 tỉnh Quảng Ngãi", Reason: "Văn thư đóng dấu, phát hành 05/QĐ-BCĐ",
		Time: time.Now(), TSA: is.tsa,
		Appearance: &signing.Appearance{Page: box.Page, X: box.X + (box.W-45)/2 + 15 - 32, Y: box.Y + box.H/2 - 16, W: 32, H: 32,
			Image: signing.SampleSignatureImage("dấu")}})
	if err != nil {
		is.t.Fatal(err)
	}
	return out
}

// pageSigns is the signing page: it fetches the ticket's request, sends
// it to the agent on the officer's computer, and posts the answer back.
func pageSigns(t *testing.T, flow *signing.AgentFlow, agentURL string) func(signing.Ticket) {
	return func(tk signing.Ticket) {
		t.Helper()
		pending, err := flow.Pending(context.Background(), tk.ID)
		if err != nil {
			t.Fatal(err)
		}
		cms, err := (&agent.Client{URL: agentURL, Origin: pageOrigin}).Sign(context.Background(), agent.RequestFor(pending.Request))
		if err != nil {
			t.Fatal(err)
		}
		if err := flow.Deliver(context.Background(), tk.ID, cms); err != nil {
			t.Fatal(err)
		}
	}
}

func startAgent(t *testing.T, id *signing.Identity) string {
	t.Helper()
	a, err := agent.New(agent.Config{Origins: []string{pageOrigin}, Key: id, Approve: func(context.Context, agent.SignRequest) error { return nil }})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a)
	t.Cleanup(srv.Close)
	return srv.URL
}

// Issue 17, done: the head signs through the signing page with the
// reference agent (a PKCS#12 file, then a PKCS#11 token), the clerk
// applies the seal, pdfsig and pdfsign accept the document, every
// changed byte fails verification, and an untrusted, an expired and a
// non-signing certificate are each refused with a clear message while
// the task stays open (no document comes out).
func TestIssue17HeadSignsThroughTheAgentClerkSeals(t *testing.T) {
	pki := signingtest.NewPKI(t)
	tsa, err := tsatest.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer tsa.Close()
	tsaClient, _ := signing.NewTSAClient(signing.TimestampOptions{URL: tsa.URL})
	is := issue{t: t, tsa: tsaClient, seal: identity(pki.Leaf(t, "Ban Chỉ đạo 138 tỉnh Quảng Ngãi", signingtest.LeafOptions{RSA: true})),
		verify: signing.VerifyOptions{Roots: pki.Roots, TSARoots: tsa.Roots, RequireKeyUsage: true, RequireTimestamp: true}}

	p12 := signingtest.PKCS12File(t, pki.Leaf(t, "Trần Văn Minh", signingtest.LeafOptions{}), "mật khẩu")
	head, err := signing.LoadPKCS12(p12, "mật khẩu")
	if err != nil {
		t.Fatal(err)
	}
	flow := signing.NewAgentFlow()
	start := time.Now()
	signed, rep, err := is.headSigns(flow, "tvminh", pageSigns(t, flow, startAgent(t, head)))
	if err != nil {
		t.Fatalf("the head's signature: %v", err)
	}
	headTime := time.Since(start)
	if rep.Timestamp == nil || !rep.Timestamp.Verified || len(rep.Chain) != 3 {
		t.Errorf("head's signature: %+v", rep)
	}
	start = time.Now()
	sealed := is.clerkSeals(signed)
	sealTime := time.Since(start)
	start = time.Now()
	full := signing.VerifyWith(sealed, is.verify)
	verifyTime := time.Since(start)
	if !full.OK() || len(full.Signatures) != 2 {
		t.Fatalf("verify:\n%s", full)
	}
	t.Logf("signed and sealed: %d bytes (rendered %d); head via agent + TSA %v, seal + TSA %v, verify %v\n%s",
		len(sealed), len(decisionPDF), headTime, sealTime, verifyTime, full.Text(cycle.Vietnamese))

	// Two independent verifiers.
	ps := runPdfsig(t, sealed)
	if strings.Count(ps, "Signature Validation: Signature is Valid.") != 2 || strings.Count(ps, "Signature Type: ETSI.CAdES.detached") != 2 ||
		!strings.Contains(ps[strings.Index(ps, "Signature #2"):], "Total document signed") {
		t.Errorf("pdfsig:\n%s", ps)
	}
	ok, out := runPdfsign(t, sealed, pki, tsa)
	if !ok {
		t.Errorf("pdfsign refuses the signed document:\n%s", out)
	}
	t.Logf("pdfsign:\n%s", out)

	// Any byte changed afterwards fails: one in every 499, and the last.
	changed := 0
	for i := 0; i < len(sealed); i += 499 {
		changed++
		b := bytes.Clone(sealed)
		b[i] ^= 0x01
		if signing.VerifyWith(b, is.verify).OK() {
			t.Errorf("byte %d changed, the document still verifies", i)
		}
	}
	b := bytes.Clone(sealed)
	b[len(b)-2] ^= 0x01
	if signing.VerifyWith(b, is.verify).OK() {
		t.Error("the last bytes changed, the document still verifies")
	}
	// The seal's own CMS is the one part no signature covers: change
	// one hex digit in thirteen of it (each one with SIGNING_EXHAUSTIVE=1,
	// about a minute here).
	gap := full.Signatures[1].ByteRange
	step := 13
	if os.Getenv("SIGNING_EXHAUSTIVE") != "" {
		step = 1
	}
	if d := os.Getenv("SIGNING_DUMP_CMS"); d != "" {
		raw, _ := hex.DecodeString(string(bytes.TrimRight(sealed[gap[1]+1:gap[2]-1], "0")))
		os.WriteFile(d, raw, 0o644)
	}
	start = time.Now()
	for i := gap[1] + 1; i < gap[2]-1 && sealed[i] != '0' || i < gap[1]+1+2*len(bytes.TrimRight(sealed[gap[1]+1:gap[2]-1], "0")); i += step {
		changed++
		b := bytes.Clone(sealed)
		if b[i] == 'f' {
			b[i] = 'e'
		} else if b[i] == '9' {
			b[i] = 'a'
		} else {
			b[i]++
		}
		if signing.VerifyWith(b, is.verify).OK() {
			t.Errorf("hex digit %d of the seal's CMS changed (%s → %s), the document still verifies", i-gap[1]-1, sealed[i-8:i+8], b[i-8:i+8])
		}
	}
	t.Logf("%d single-byte changes, each refused (the seal's CMS digit by digit in %v)", changed+1, time.Since(start))
	if ok, out := runPdfsign(t, append(bytes.Clone(sealed[:len(sealed)/2]), append([]byte{sealed[len(sealed)/2] ^ 1}, sealed[len(sealed)/2+1:]...)...), pki, tsa); ok {
		t.Errorf("pdfsign accepts a changed document:\n%s", out)
	}

	// Refused certificates: the task stays open (no document).
	for _, tc := range []struct {
		name string
		leaf signingtest.LeafOptions
		rule string
		vi   string
	}{
		{"untrusted root", signingtest.LeafOptions{ByForeignRoot: true}, "signing.untrusted_root", "không do tổ chức cung cấp dịch vụ chứng thực chữ ký số tin cậy cấp"},
		{"expired", signingtest.LeafOptions{NotBefore: time.Now().AddDate(-2, 0, 0), NotAfter: time.Now().AddDate(0, -1, 0)}, "signing.expired", "đã hết hạn vào ngày"},
		{"no signing key usage", signingtest.LeafOptions{KeyUsage: 1 << 2 /* keyEncipherment */}, "signing.key_usage", "không có mục đích sử dụng ký số"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			is := is
			is.t = t
			id := identity(pki.Leaf(t, "Trần Văn Minh", tc.leaf))
			flow := signing.NewAgentFlow()
			out, rep, err := is.headSigns(flow, "tvminh", pageSigns(t, flow, startAgent(t, id)))
			var ce *cycle.Error
			if err == nil || out != nil || rep.Valid() || !errors.As(err, &ce) || ce.Problems[0].Rule != tc.rule || !strings.Contains(ce.Text, tc.vi) {
				t.Fatalf("want %s, got %v (document %d bytes)", tc.rule, err, len(out))
			}
			t.Logf("vi: %s\nen: %s", ce.Text, ce.Message)
		})
	}

	// The same flow with the officer's key on a PKCS#11 token (SoftHSM).
	t.Run("PKCS11 token", func(t *testing.T) {
		leaf := pki.Leaf(t, "Trần Văn Minh", signingtest.LeafOptions{RSA: true})
		tok := signingtest.SoftHSMToken(t, leaf)
		id, closer, err := pkcs11key.Open(pkcs11key.Config{Module: tok.Module, TokenLabel: tok.Label, PIN: tok.PIN, KeyLabel: tok.KeyLabel})
		if err != nil {
			t.Fatal(err)
		}
		defer closer.Close()
		id.Chain = leaf.Chain
		is := is
		is.t = t
		flow := signing.NewAgentFlow()
		signed, _, err := is.headSigns(flow, "tvminh", pageSigns(t, flow, startAgent(t, id)))
		if err != nil {
			t.Fatal(err)
		}
		sealed := is.clerkSeals(signed)
		if rep := signing.VerifyWith(sealed, is.verify); !rep.OK() {
			t.Fatalf("verify:\n%s", rep)
		}
		if ps := runPdfsig(t, sealed); strings.Count(ps, "Signature is Valid.") != 2 {
			t.Errorf("pdfsig:\n%s", ps)
		}
		if ok, out := runPdfsign(t, sealed, pki, tsa); !ok {
			t.Errorf("pdfsign:\n%s", out)
		}
	})
}

// The head signs through a remote-signing service (the double): pending
// until approved on the phone; a denial and an expiry are final; a
// service that returns a bad signature is caught before anything is
// embedded.
func TestIssue17HeadSignsRemotely(t *testing.T) {
	pki := signingtest.NewPKI(t)
	srv := remotetest.Start(map[string]*signing.Identity{"tvminh": identity(pki.Leaf(t, "Trần Văn Minh", signingtest.LeafOptions{RSA: true}))})
	defer srv.Close()
	var mu sync.Mutex
	var callbacks []string
	cb := httptest.NewServer(remote.CallbackHandler(func(id, status string) {
		mu.Lock()
		callbacks = append(callbacks, id+" "+status)
		mu.Unlock()
	}))
	defer cb.Close()
	cl, err := remote.New(remote.Config{BaseURL: srv.URL, CallbackURL: cb.URL, Token: func(context.Context) (string, error) { return srv.Token, nil }})
	if err != nil {
		t.Fatal(err)
	}
	is := issue{t: t, seal: identity(pki.Leaf(t, "Ban Chỉ đạo 138", signingtest.LeafOptions{})), verify: signing.VerifyOptions{Roots: pki.Roots, RequireKeyUsage: true}}
	phone := func(act func(string) error) func(signing.Ticket) {
		return func(tk signing.Ticket) {
			if p := srv.Pending(); len(p) != 1 || p[0] != tk.ID {
				t.Fatalf("pending on the phone: %v, ticket %s", p, tk.ID)
			}
			if err := act(tk.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	signed, rep, err := is.headSigns(cl, "tvminh", phone(srv.Approve))
	if err != nil {
		t.Fatal(err)
	}
	if rep.SignerCommonName != "Trần Văn Minh" {
		t.Errorf("signer %q", rep.SignerCommonName)
	}
	sealed := is.clerkSeals(signed)
	if r := signing.VerifyWith(sealed, is.verify); !r.OK() {
		t.Fatalf("%s", r)
	}
	if ps := runPdfsig(t, sealed); strings.Count(ps, "Signature is Valid.") != 2 {
		t.Errorf("pdfsig:\n%s", ps)
	}
	if _, _, err := is.headSigns(cl, "tvminh", phone(srv.Deny)); !errors.Is(err, signing.ErrDenied) {
		t.Errorf("denied: %v", err)
	}
	if _, _, err := is.headSigns(cl, "tvminh", phone(srv.Expire)); !errors.Is(err, signing.ErrExpired) {
		t.Errorf("expired: %v", err)
	}
	_, _, err = is.headSigns(cl, "tvminh", phone(func(id string) error { srv.Approve(id); srv.Tamper(id); return nil }))
	if err == nil || !strings.Contains(err.Error(), "does not verify") {
		t.Errorf("a bad signature from the service: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(callbacks) != 4 {
		t.Errorf("callbacks %v", callbacks)
	}
	if _, err := cl.Request(context.Background(), signing.SignRequest{Digest: make([]byte, 32), Signer: "nobody"}); err == nil {
		t.Error("an unknown credential")
	}
}

func runPdfsig(t *testing.T, b []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdfsig"); err != nil {
		t.Fatal("pdfsig (poppler-utils) is needed: apt-get install -y poppler-utils")
	}
	f := filepath.Join(t.TempDir(), "doc.pdf")
	os.WriteFile(f, b, 0o644)
	out, _ := exec.Command("pdfsig", "-nocert", f).CombinedOutput()
	return string(out)
}

var (
	pdfsignOnce sync.Once
	pdfsignBin  string
	pdfsignErr  error
)

// runPdfsign runs the second verifier, digitorus/pdfsign (the module in
// internal/pdfsigncheck, built once with the go command), with the test
// roots as the system's trust store (SSL_CERT_FILE).
func runPdfsign(t *testing.T, b []byte, pki *signingtest.PKI, tsa *tsatest.Server) (bool, string) {
	t.Helper()
	pdfsignOnce.Do(func() {
		dir, err := os.MkdirTemp("", "pdfsigncheck-")
		if err != nil {
			pdfsignErr = err
			return
		}
		pdfsignBin = filepath.Join(dir, "pdfsigncheck")
		cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-o", pdfsignBin, ".")
		cmd.Dir = filepath.Join("internal", "pdfsigncheck")
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
		if out, err := cmd.CombinedOutput(); err != nil {
			pdfsignErr = errors.New(err.Error() + "\n" + string(out))
		}
	})
	if pdfsignErr != nil {
		t.Fatalf("build the second verifier (digitorus/pdfsign): %v", pdfsignErr)
	}
	f := filepath.Join(t.TempDir(), "doc.pdf")
	os.WriteFile(f, b, 0o644)
	cmd := exec.Command(pdfsignBin, f)
	cmd.Env = append(os.Environ(), "SSL_CERT_FILE="+pki.RootPEM(t, tsa.RootPEM()), "SSL_CERT_DIR=/nonexistent")
	out, err := cmd.Output()
	var res struct{ OK bool }
	json.Unmarshal(out, &res)
	return err == nil && res.OK, string(out)
}

// The head's prepared document carries the signature's /Reason, which
// the signing page, the agent and the remote-signing service show: it is
// written once, by PrepareHead, and the prepared signature carries it.
func TestPrepareHeadCarriesItsReason(t *testing.T) {
	pdf, lay := decision(t)
	b := lay.Signature
	h := &signing.HeadSignature{Image: signing.SampleSignatureImage("Trần Văn Minh")}
	p, err := h.PrepareHead(pdf, cycle.PageBox{Page: b.Page, X: b.X, Y: b.Y, W: b.W, H: b.H},
		cycle.Issuer{SignerName: "Trần Văn Minh", Place: "Quảng Ngãi"}, "05/QĐ-BCĐ", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if p.Reason != "Ký ban hành 05/QĐ-BCĐ" {
		t.Errorf("the prepared signature's reason is %q", p.Reason)
	}
}
