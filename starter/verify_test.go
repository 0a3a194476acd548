package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chuyenhoa/cycle"
	"chuyenhoa/document"
	"chuyenhoa/signing"
	"chuyenhoa/templates"
)

// starter verify: exit status 0 for an intact signed file, an error (exit
// status 1) naming the fault for a tampered one.
func TestVerifyCommand(t *testing.T) {
	dir := t.TempDir()
	pki, err := signing.EnsureDemoPKI(filepath.Join(dir, "pki"), "Trần Văn Minh", "Ban Chỉ đạo 138")
	if err != nil {
		t.Fatal(err)
	}
	id, err := signing.LoadPEM(pki.Signer, pki.Signer)
	if err != nil {
		t.Fatal(err)
	}
	set, err := templates.Load("")
	if err != nil {
		t.Fatal(err)
	}
	r, err := document.NewRenderer(set.Fonts())
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := r.Render(document.Document{IssuingBody: "BAN CHỈ ĐẠO 138", Number: "1/QĐ-BCĐ", Place: "Quảng Ngãi",
		Date: time.Date(2027, 1, 5, 0, 0, 0, 0, time.UTC), Kind: "QUYẾT ĐỊNH", Articles: []document.Article{{Text: "Thử nghiệm./."}},
		Signature: document.Signature{Title: "TRƯỞNG BAN", Name: "Trần Văn Minh", Signed: true}})
	if err != nil {
		t.Fatal(err)
	}
	signed, err := signing.Sign(pdf, id, signing.Options{Field: "signer"})
	if err != nil {
		t.Fatal(err)
	}
	good, bad := filepath.Join(dir, "good.pdf"), filepath.Join(dir, "bad.pdf")
	os.WriteFile(good, signed, 0o644)
	tampered := bytes.Replace(signed, []byte("Thử"), []byte("Thu"), 1)
	if bytes.Equal(tampered, signed) {
		tampered = bytes.Clone(signed)
		tampered[200] ^= 1
	}
	os.WriteFile(bad, tampered, 0o644)

	run := func(args ...string) (string, error) {
		var out bytes.Buffer
		x := &cli{out: &out}
		cmd := (&operatorTools{x}).verifyCommand()
		cmd.SetArgs(args)
		cmd.SetOut(&out)
		cmd.SetErr(&out)
		err := cmd.Execute()
		return out.String(), err
	}
	out, err := run("--ca", pki.CA, good)
	if err != nil || !strings.Contains(out, "every signature is valid") {
		t.Errorf("intact file: %v\n%s", err, out)
	}
	out, err = run("--ca", pki.CA, good, bad)
	if !errors.Is(err, errNotVerified) || !strings.Contains(err.Error(), "1 of 2 files") || !strings.Contains(out, "FAIL") {
		t.Errorf("tampered file: err = %v\n%s", err, out)
	}
	out, err = run(good) // no CA configured
	if !errors.Is(err, errNotVerified) || !strings.Contains(out, "no trusted CA configured") {
		t.Errorf("no CA: err = %v\n%s", err, out)
	}
}

// An issued document says who signed it, or loudly that nobody did (issue
// 17: the CLI printed only "issued" for an unsigned decision); a decision
// listing no commune (an award) says no "(0 xã)".
func TestIssuedSaysWhoSigned(t *testing.T) {
	x := &cli{lang: cycle.Vietnamese}
	d := cycle.Decision{Code: "12/QĐ-BCĐ", Date: cycle.D(2027, 1, 10), SHA256: "ab12",
		SignedBy: cycle.Actor{Name: "Nguyễn Văn Hùng", Title: "Phó Chủ tịch UBND tỉnh"}, Communes: make([]cycle.ListedCommune, 3)}
	if got, want := x.issued(d), "Đã ban hành văn bản số 12/QĐ-BCĐ ngày 10/01/2027 (3 xã), ký bởi Nguyễn Văn Hùng (Phó Chủ tịch UBND tỉnh); sha256 ab12"; got != want {
		t.Errorf("signed:\n got %s\nwant %s", got, want)
	}
	d.SignedBy, d.Communes = cycle.Actor{}, nil
	if got, want := x.issued(d), "Đã ban hành văn bản số 12/QĐ-BCĐ ngày 10/01/2027, KHÔNG có chữ ký số (bản chạy thử không cấu hình ký); sha256 ab12"; got != want {
		t.Errorf("unsigned:\n got %s\nwant %s", got, want)
	}
}
