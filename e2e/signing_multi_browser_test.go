package e2e

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"chuyenhoa/api"
	"chuyenhoa/signing"
	"chuyenhoa/signing/agent"
	"chuyenhoa/signing/signingtest"
)

// The signing page of a task that signs several documents (the year's
// results: the notices and the summary) has the officer's signing agent
// sign each document's digest in turn and posts one CMS per document, in
// the order of the request: run in Chromium with the page's own script
// and the reference agent, against a stand-in for the server's two
// endpoints (the workflow side of the multi-document signature is tested
// in workflows/headsigned_results_test.go). The page's markup is the part
// of api/web/templates/signing.html the script reads.
func TestBrowserSigningPageSignsEveryDocumentInTurn(t *testing.T) {
	script, err := os.ReadFile("../api/web/static/signing.js")
	require.NoError(t, err)
	docs := []struct{ code, subject string }{
		{"12/TB-BCĐ", "Thông báo tiếp tục chuyển hóa năm thứ hai"},
		{"3/TB-BCĐ", "Thông báo kiểm điểm trách nhiệm"},
		{"210/BC-BCĐ", "Báo cáo kết quả chuyển hóa năm 2027"},
	}
	var req api.SignatureRequest
	var digests [][]byte
	for i, d := range docs {
		sum := sha256.Sum256([]byte("the prepared PDF's byte ranges of " + d.code))
		digests = append(digests, sum[:])
		sd := api.SignatureDocument{DigestB64: base64.StdEncoding.EncodeToString(sum[:]), HashAlg: "SHA-256", DocumentID: fmt.Sprintf("cycle/51/2027/doc-%d", i),
			Reason: "Ký ban hành " + d.code, Digest: fmt.Sprintf("%x", sum[:]), Code: d.code, Subject: d.subject, Signer: "Nguyễn Văn Hùng"}
		req.Documents = append(req.Documents, sd)
	}
	req.SignatureDocument = req.Documents[0]

	var mu sync.Mutex
	var posted [][]string
	var agentURL string
	mux := http.NewServeMux()
	mux.HandleFunc("GET /static/signing.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		w.Write(script)
	})
	mux.HandleFunc("GET /signing/page", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html lang="vi"><head><meta charset="utf-8"></head><body>
<section id="signing" data-agent="%s" data-request="/signing-request/x" data-submit="/signing/x" data-csrf="csrf" data-request-id="sign-1"></section>
<p id="agent-state">…</p><input id="comment"><button type="button" id="sign-button" disabled>Ký số</button><button type="button" id="recheck">Kiểm tra lại</button>
<div id="result"></div><script src="/static/signing.js"></script></body></html>`, agentURL)
	})
	mux.HandleFunc("GET /signing-request/x", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(req)
	})
	mux.HandleFunc("POST /signing/x", func(w http.ResponseWriter, r *http.Request) {
		require.NoError(t, r.ParseForm())
		mu.Lock()
		posted = append(posted, r.PostForm["cms_b64_list"])
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"result":{}}`))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	// The head's agent, with the head's PKCS#12 "token".
	pki := signingtest.NewPKI(t)
	head := pki.Leaf(t, "Nguyễn Văn Hùng", signingtest.LeafOptions{})
	id, err := signing.LoadPKCS12(signingtest.PKCS12File(t, head, "mat-khau"), "mat-khau")
	require.NoError(t, err)
	var asked []string
	ag, err := agent.New(agent.Config{Origins: []string{srv.URL}, Key: id,
		Approve: func(_ context.Context, r agent.SignRequest) error {
			mu.Lock()
			asked = append(asked, r.Reason)
			mu.Unlock()
			return nil
		}})
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	agentSrv := &http.Server{Handler: ag}
	go agentSrv.Serve(ln)
	t.Cleanup(func() { agentSrv.Close() })
	agentURL = "http://" + ln.Addr().String()

	ctx := browser(t)
	run := func(actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		c, cancel := context.WithTimeout(ctx, 60e9)
		defer cancel()
		require.NoError(t, chromedp.Do(c, actions...))
	}
	run(chromedp.Navigate(srv.URL+"/signing/page"),
		chromedp.WaitVisible(chromedp.CSS(`#agent-state[data-state="ready"]`)),
		chromedp.Click(chromedp.CSS("#sign-button")),
		chromedp.WaitVisible(chromedp.CSS(`#result[data-state="signed"]`)))

	mu.Lock()
	defer mu.Unlock()
	require.Equal(t, []string{"Ký ban hành 12/TB-BCĐ", "Ký ban hành 3/TB-BCĐ", "Ký ban hành 210/BC-BCĐ"}, asked, "the agent asks for each document in turn")
	require.Len(t, posted, 1, "one POST")
	require.Len(t, posted[0], len(docs), "one CMS per document")
	for i, b64 := range posted[0] {
		cms, err := base64.StdEncoding.DecodeString(b64)
		require.NoError(t, err)
		for j, d := range digests {
			require.Equal(t, i == j, bytes.Contains(cms, d), "CMS %d over the digest of document %d", i+1, j+1)
		}
	}
}
