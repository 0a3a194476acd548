package api

import (
	"encoding/base64"
	"testing"
	"time"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/issuing"
)

// A sign task that signs several documents (the year's results) hands
// each one out, in order, with its own PDF; the top-level fields are the
// first's, as the signing agent and older clients read them.
func TestSignatureRequestListsEveryDocument(t *testing.T) {
	task := cycle.Task{CycleID: "cycle/51/2027", ID: "sign_results/2027", Kind: cycle.TaskSignResults}
	ps := []issuing.PendingSignature{
		{Code: "3/TB-BCĐ", Digest: []byte{1, 2, 3}, Reason: "Ký ban hành 3/TB-BCĐ", Time: time.Date(2028, 1, 2, 9, 0, 0, 0, time.UTC)},
		{Code: "4/BC-BCĐ", Digest: []byte{4, 5, 6}, Reason: "Ký ban hành 4/BC-BCĐ"},
	}
	req := signatureRequestOf(task, ps, "/api/signature-pdfs/", false)
	if len(req.Documents) != 2 || req.Code != "3/TB-BCĐ" || req.DigestB64 != base64.StdEncoding.EncodeToString([]byte{1, 2, 3}) {
		t.Fatalf("request: %+v", req)
	}
	if d := req.Documents[1]; d.Code != "4/BC-BCĐ" || d.Digest != "040506" || d.HashAlg != "SHA-256" || d.PDF != req.PDF+"?doc=2" {
		t.Fatalf("second document: %+v", d)
	}
}

// The body's signatures: one CMS or a list, each base64; a bad one is a
// Vietnamese refusal naming which.
func TestSignatureBodySignatures(t *testing.T) {
	b64 := base64.StdEncoding.EncodeToString
	if got, err := (SignatureBody{CMSB64: b64([]byte("a"))}).signatures(); err != nil || len(got) != 1 {
		t.Fatalf("one: %v %v", got, err)
	}
	if got, err := (SignatureBody{CMSList: []string{b64([]byte("a")), b64([]byte("b"))}}).signatures(); err != nil || len(got) != 2 || string(got[1]) != "b" {
		t.Fatalf("list: %v %v", got, err)
	}
	_, err := (SignatureBody{CMSList: []string{b64([]byte("a")), "không phải base64"}}).signatures()
	if ce := cycle.AsError(err); ce == nil || ce.Text != cycle.Say(cycle.Vietnamese, "api.cms_b64_of", 2) {
		t.Fatalf("a bad second signature: %v", err)
	}
	if _, err := (SignatureBody{}).signatures(); cycle.AsError(err) == nil {
		t.Fatal("no signature is not refused")
	}
}

// Only the refusal of a document still being prepared is waited out.
func TestPreparingIsWaitedFor(t *testing.T) {
	if !preparing(flow.AppError(cycle.Fail(cycle.ECONFLICT, "selection.preparing_signature"))) {
		t.Error("the refusal while the document is prepared is not recognised")
	}
	if preparing(flow.AppError(cycle.Fail(cycle.ECONFLICT, "api.remote_denied"))) || preparing(nil) {
		t.Error("another conflict is taken for the preparation")
	}
}
