package signing

import (
	"bytes"
	"crypto/x509"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"chuyenhoa/document"
	"chuyenhoa/templates"
)

var (
	docOnce sync.Once
	docPDF  []byte
	docLay  document.Layout
	docErr  error
)

// testDocument is a two-page decision rendered by the product's renderer.
func testDocument(t testing.TB) ([]byte, document.Layout) {
	t.Helper()
	docOnce.Do(func() {
		set, err := templates.Load("")
		if err != nil {
			docErr = err
			return
		}
		r, err := document.NewRenderer(set.Fonts())
		if err != nil {
			docErr = err
			return
		}
		d := document.Document{
			ParentBody: "UBND TỈNH QUẢNG NGÃI", IssuingBody: "BAN CHỈ ĐẠO 138", Number: "05/QĐ-BCĐ",
			Place: "Quảng Ngãi", Date: time.Date(2027, 1, 20, 0, 0, 0, 0, time.UTC), Kind: "QUYẾT ĐỊNH",
			Subject:    "Về việc phê duyệt danh sách địa bàn trọng điểm, phức tạp về trật tự, an toàn xã hội thực hiện chuyển hóa năm 2027",
			Authority:  "TRƯỞNG BAN CHỈ ĐẠO 138 TỈNH QUẢNG NGÃI",
			Grounds:    []string{"Căn cứ Kế hoạch số 113/KH-BCA-V01 ngày 22/3/2021 của Bộ trưởng Bộ Công an;"},
			Resolution: "QUYẾT ĐỊNH:",
			Articles: []document.Article{
				{Text: strings.Repeat("Phê duyệt danh sách địa bàn trọng điểm, phức tạp về trật tự, an toàn xã hội. ", 30)},
				{Text: "Quyết định này có hiệu lực thi hành kể từ ngày ký./."},
			},
			Signature:  document.Signature{Authority: "TM. BAN CHỈ ĐẠO", Title: "TRƯỞNG BAN", Name: "Trần Văn Minh", Signed: true},
			Recipients: []string{"Như Điều 2;", "Lưu: VT, CAT."},
		}
		docPDF, docLay, docErr = r.RenderLayout(d)
	})
	if docErr != nil {
		t.Fatal(docErr)
	}
	return docPDF, docLay
}

type pki struct {
	signer, body *Identity
	roots        *x509.CertPool
	files        DemoFiles
}

var (
	pkiOnce sync.Once
	testPKI pki
	pkiErr  error
	pkiDir  string
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "signing-test-")
	if err != nil {
		panic(err)
	}
	pkiDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func demoPKI(t testing.TB) pki {
	t.Helper()
	pkiOnce.Do(func() {
		f, err := EnsureDemoPKI(filepath.Join(pkiDir, "pki"), "Trần Văn Minh", "Ban Chỉ đạo 138 tỉnh Quảng Ngãi")
		if err != nil {
			pkiErr = err
			return
		}
		p := pki{files: f}
		if p.signer, pkiErr = LoadPEM(f.Signer, f.Signer); pkiErr != nil {
			return
		}
		if p.body, pkiErr = LoadPEM(f.Body, f.Body); pkiErr != nil {
			return
		}
		p.roots, pkiErr = LoadCAPool(f.CA)
		testPKI = p
	})
	if pkiErr != nil {
		t.Fatal(pkiErr)
	}
	return testPKI
}

// signBoth signs as the signer and then seals as the body, the way the
// clerk's issue does.
func signBoth(t testing.TB) []byte {
	t.Helper()
	pdf, lay := testDocument(t)
	p := demoPKI(t)
	box := lay.Signature
	sw, sh := 45.0, 15.0
	sx, sy := box.X+(box.W-sw)/2, box.Y+(box.H-sh)/2
	at := time.Date(2027, 1, 20, 9, 30, 0, 0, time.FixedZone("ICT", 7*3600))
	sig, sealImg := images(t)
	out, err := Sign(pdf, p.signer, Options{Field: "signer", Name: "Trần Văn Minh", Reason: "Ký ban hành", Location: "Quảng Ngãi", Time: at,
		Appearance: &Appearance{Page: box.Page, X: sx, Y: sy, W: sw, H: sh, Image: sig}})
	if err != nil {
		t.Fatal(err)
	}
	const seal = 32.0
	out, err = Sign(out, p.body, Options{Field: "seal", Name: "Ban Chỉ đạo 138 tỉnh Quảng Ngãi", Reason: "Đóng dấu", Time: at.Add(time.Minute),
		Appearance: &Appearance{Page: box.Page, X: sx + sw/3 - seal, Y: sy + sh/2 - seal/2, W: seal, H: seal, Image: sealImg}})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func writeTemp(t testing.TB, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// pdfsig runs poppler's pdfsig on b (without checking the certificate
// against NSS's trust store, which does not know the demo CA).
func pdfsig(t *testing.T, b []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdfsig"); err != nil {
		t.Fatal("pdfsig (poppler-utils) is needed: apt-get install -y poppler-utils")
	}
	out, _ := exec.Command("pdfsig", "-nocert", writeTemp(t, b)).CombinedOutput()
	return string(out)
}

func TestSignedTwiceIsValidForPdfsigAndVerify(t *testing.T) {
	signed := signBoth(t)
	out := pdfsig(t, signed)
	t.Logf("pdfsig:\n%s", out)
	if n := strings.Count(out, "Signature Validation: Signature is Valid."); n != 2 {
		t.Errorf("pdfsig finds %d valid signatures, want 2:\n%s", n, out)
	}
	if !strings.Contains(out, "Signature #2:") || strings.Contains(out, "Signature #3:") {
		t.Errorf("want exactly two signatures:\n%s", out)
	}
	sig2 := out[strings.Index(out, "Signature #2:"):]
	if !strings.Contains(sig2, "Total document signed") {
		t.Errorf("the last signature does not cover the total document:\n%s", out)
	}
	for _, want := range []string{"Signer Certificate Common Name: Trần Văn Minh", "Signer Certificate Common Name: Ban Chỉ đạo 138 tỉnh Quảng Ngãi",
		"Signing Hash Algorithm: SHA-256", "Signature Type: ETSI.CAdES.detached", "Signing Time: Jan 20 2027 02:30:00"} {
		if !strings.Contains(out, want) {
			t.Errorf("pdfsig output lacks %q", want)
		}
	}
	rep := Verify(signed, demoPKI(t).roots)
	t.Logf("verify:\n%s", rep)
	if !rep.OK() {
		t.Fatalf("Verify: not OK:\n%s", rep)
	}
	if len(rep.Signatures) != 2 || rep.Signatures[0].Field != "signer" || rep.Signatures[1].Field != "seal" || !rep.Signatures[1].WholeFile || rep.Signatures[0].WholeFile {
		t.Errorf("signatures out of order or coverage wrong:\n%s", rep)
	}
	if out, err := exec.Command("pdfinfo", writeTemp(t, signed)).CombinedOutput(); err != nil || !regexp.MustCompile(`PDF version:\s+1\.7`).Match(out) {
		t.Errorf("pdfinfo: %v\n%s", err, out)
	}
}

func TestTamperedFilesFail(t *testing.T) {
	signed := signBoth(t)
	roots := demoPKI(t).roots
	firstRange := bytes.Index(signed, []byte("/ByteRange [0 "))
	cases := []struct {
		name   string
		edit   func([]byte) []byte
		verify string // in the Verify report
		// What pdfsig must say: "invalid" (not both valid), "partial" (the
		// last signature does not cover the whole file) or "" (pdfsig does
		// not look there: the signature's own hex string is outside every
		// signed range, and only verify checks it is canonical).
		pdfsig string
	}{
		{"a byte of the page text", func(b []byte) []byte {
			i := bytes.Index(b, []byte("/Producer"))
			b[i+2] ^= 0x20
			return b
		}, "digest mismatch", "invalid"},
		{"a byte of the signature value", func(b []byte) []byte {
			// The signature value is the last field of the CMS: flip a
			// hex digit just before the zeros that pad the reserved room.
			i := bytes.LastIndex(b, []byte("/Contents <")) + len("/Contents <")
			j := i + len(bytes.TrimRight(b[i:i+bytes.IndexByte(b[i:], '>')], "0")) - 6
			if b[j] == '0' {
				b[j] = '1'
			} else {
				b[j] = '0'
			}
			return b
		}, "signature", "invalid"},
		{"a byte of the padding after the signature", func(b []byte) []byte {
			i := bytes.LastIndex(b, []byte("/Contents <")) + len("/Contents <")
			j := i + bytes.IndexByte(b[i:], '>') - 10 // in the zeros
			b[j] = '7'
			return b
		}, "zero padding", ""},
		{"the case of a hex digit of the signature", func(b []byte) []byte {
			i := bytes.LastIndex(b, []byte("/Contents <")) + len("/Contents <")
			for k := i; ; k++ {
				if b[k] >= 'a' && b[k] <= 'f' {
					b[k] -= 'a' - 'A'
					return b
				}
			}
		}, "canonical form", ""},
		{"bytes appended after signing", func(b []byte) []byte {
			return append(b, "\n% appended\n"...)
		}, "changed after the last signature", "partial"},
		{"the byte range rewritten", func(b []byte) []byte {
			copy(b[firstRange:], "/ByteRange [0 1")
			return b
		}, "", "invalid"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := tc.edit(bytes.Clone(signed))
			rep := Verify(b, roots)
			if rep.OK() {
				t.Fatalf("Verify accepts the tampered file:\n%s", rep)
			}
			if !strings.Contains(rep.String(), tc.verify) {
				t.Errorf("report lacks %q:\n%s", tc.verify, rep)
			}
			out := pdfsig(t, b)
			valid := strings.Count(out, "Signature is Valid.")
			if tc.pdfsig == "invalid" && valid == 2 {
				t.Errorf("pdfsig still calls both signatures valid:\n%s", out)
			}
			if tc.pdfsig == "partial" && strings.Contains(out[strings.Index(out, "Signature #2"):], "Total document signed") {
				t.Errorf("pdfsig says the appended file is totally signed:\n%s", out)
			}
			t.Logf("pdfsig on %s:\n%s", tc.name, out)
		})
	}
}

func TestVerifyNeedsTheRightCA(t *testing.T) {
	signed := signBoth(t)
	other, err := EnsureDemoPKI(t.TempDir(), "X", "Y")
	if err != nil {
		t.Fatal(err)
	}
	roots, err := LoadCAPool(other.CA)
	if err != nil {
		t.Fatal(err)
	}
	rep := Verify(signed, roots)
	if rep.OK() || !strings.Contains(rep.String(), "not issued by a trusted certification authority") {
		t.Errorf("a foreign CA is accepted:\n%s", rep)
	}
	if rep := Verify(signed, nil); rep.OK() {
		t.Errorf("no CA configured, yet OK:\n%s", rep)
	}
	if rep := Verify(testDocumentBytes(t), roots); rep.OK() || !strings.Contains(rep.String(), "no signature") {
		t.Errorf("unsigned file:\n%s", rep)
	}
}

func testDocumentBytes(t *testing.T) []byte {
	b, _ := testDocument(t)
	return b
}

// An incremental update that changes a page after the first signature,
// then signed by someone else with a valid certificate, is still caught:
// the first signature reports the change.
func TestChangeBetweenSignaturesIsReported(t *testing.T) {
	pdf, lay := testDocument(t)
	p := demoPKI(t)
	one, err := Sign(pdf, p.signer, Options{Field: "signer", Appearance: &Appearance{Page: lay.Signature.Page, X: lay.Signature.X, Y: lay.Signature.Y, W: 40, H: 13, Image: SampleSignatureImage("a")}})
	if err != nil {
		t.Fatal(err)
	}
	// The forger's revision: page 1 gets another content stream.
	f, err := parseFile(one)
	if err != nil {
		t.Fatal(err)
	}
	u, err := newUpdate(f)
	if err != nil {
		t.Fatal(err)
	}
	pages, err := f.pageRefs()
	if err != nil {
		t.Fatal(err)
	}
	pd, err := f.dictOf(pages[0])
	if err != nil {
		t.Fatal(err)
	}
	pd = pd.clone()
	content := []byte("BT /F1 30 Tf 100 400 Td (FORGED) Tj ET")
	cd := newDict()
	cd.set("Length", len(content))
	cn := u.alloc()
	u.put(cn, cd, content)
	pd.set("Contents", ref{cn, 0})
	u.put(pages[0].num, pd, nil)
	two, err := Sign(plainUpdate(u), p.body, Options{Field: "forger"})
	if err != nil {
		t.Fatal(err)
	}
	rep := Verify(two, p.roots)
	if rep.OK() {
		t.Fatalf("a page changed between signatures is accepted:\n%s", rep)
	}
	if !strings.Contains(rep.String(), "changes /Contents of object") {
		t.Errorf("report does not name the change:\n%s", rep)
	}
}

// plainUpdate writes u's objects as an incremental update without a signature.
func plainUpdate(u *update) []byte {
	var out bytes.Buffer
	out.Write(u.f.b)
	var nums []int
	for n := range u.objs {
		nums = append(nums, n)
	}
	sort.Ints(nums)
	offsets := map[int]int{}
	for _, n := range nums {
		offsets[n] = out.Len()
		out.Write(u.objs[n])
	}
	xref := out.Len()
	out.WriteString("xref\n")
	for _, n := range nums {
		fmt.Fprintf(&out, "%d 1\n%010d 00000 n\r\n", n, offsets[n])
	}
	tr := newDict()
	tr.set("Size", u.next)
	tr.set("Root", u.root)
	tr.set("Prev", u.f.revs[len(u.f.revs)-1].xrefAt)
	out.WriteString("trailer\n")
	write(&out, tr)
	fmt.Fprintf(&out, "\nstartxref\n%d\n%%%%EOF\n", xref)
	return out.Bytes()
}

var (
	imagesOnce      sync.Once
	sigPNG, sealPNG []byte
)

// images are the sample signature and seal, made once.
func images(t testing.TB) ([]byte, []byte) {
	imagesOnce.Do(func() {
		sigPNG, sealPNG = SampleSignatureImage("Trần Văn Minh"), sealImage(t, "Ban Chỉ đạo 138 tỉnh Quảng Ngãi")
	})
	return sigPNG, sealPNG
}

// sealImage is the sample seal lettered in the documents' bold face.
func sealImage(t testing.TB, name string) []byte {
	t.Helper()
	set, err := templates.Load("")
	if err != nil {
		t.Fatal(err)
	}
	b, err := SampleSealImage(name, set.Fonts().Bold)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// BenchmarkSignAndSeal signs a rendered two-page decision twice (signer and
// seal, with their images), without rendering.
func BenchmarkSignAndSeal(b *testing.B) {
	b.ReportAllocs()
	signBoth(b)
	for b.Loop() {
		signBoth(b)
	}
}

// BenchmarkVerify verifies a signed and sealed decision.
func BenchmarkVerify(b *testing.B) {
	signed := signBoth(b)
	roots := demoPKI(b).roots
	b.ReportAllocs()
	for b.Loop() {
		if !Verify(signed, roots).OK() {
			b.Fatal("not OK")
		}
	}
}

// Verify must survive any input: mangled signed files, truncated ones.
func FuzzVerify(f *testing.F) {
	signed := signBoth(f)
	f.Add(signed, 100, byte('x'))
	f.Add(signed[:len(signed)/2], 7, byte('0'))
	f.Add([]byte("%PDF-1.4\nxref\n0 1\n0000000000 65535 f\r\ntrailer\n<</Root 1 0 R>>\nstartxref\n9\n%%EOF"), 0, byte(0))
	roots := demoPKI(f).roots
	f.Fuzz(func(t *testing.T, b []byte, at int, c byte) {
		b = bytes.Clone(b)
		if len(b) > 0 {
			b[(at%len(b)+len(b))%len(b)] = c
		}
		rep := Verify(b, roots)
		if rep.OK() && !bytes.Equal(b, signed) {
			// A change can leave the signatures valid only where no
			// signature reaches: nowhere, since the last covers the file.
			t.Fatalf("a changed file verifies:\n%s", rep)
		}
	})
}
