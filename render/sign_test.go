package render_test

import (
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"chuyenhoa/cycle"
	"chuyenhoa/render"
	"chuyenhoa/signing"
	"chuyenhoa/templates"
)

var (
	idOnce         sync.Once
	signer, sealer *signing.Identity
	idErr          error
)

func identities(tb testing.TB) (*signing.Identity, *signing.Identity) {
	tb.Helper()
	idOnce.Do(func() {
		dir, err := os.MkdirTemp("", "docs-pki-")
		if err != nil {
			idErr = err
			return
		}
		defer os.RemoveAll(dir)
		f, err := signing.EnsureDemoPKI(dir, "Trần Văn Minh", "Ban Chỉ đạo 138 tỉnh Quảng Ngãi")
		if err != nil {
			idErr = err
			return
		}
		if signer, idErr = signing.LoadPEM(f.Signer, f.Signer); idErr != nil {
			return
		}
		sealer, idErr = signing.LoadPEM(f.Body, f.Body)
	})
	if idErr != nil {
		tb.Fatal(idErr)
	}
	return signer, sealer
}

// The signature box lies on the last page between the signer's title and
// name, inside the right column.
func TestApprovalDocumentLayout(t *testing.T) {
	r, err := render.New("")
	if err != nil {
		t.Fatal(err)
	}
	got, err := r.Render(approval(t))
	if err != nil {
		t.Fatal(err)
	}
	box := got.Signature
	if box.Page != got.Pages || box.W < 60 || box.H != 25 || box.X < 100 {
		t.Errorf("signature box %+v of %d pages", box, got.Pages)
	}
	if !strings.HasPrefix(got.Subject, "Về việc phê duyệt danh sách") || len(got.Recipients) != 4 {
		t.Errorf("subject %q, recipients %q", got.Subject, got.Recipients)
	}
}

// Every kind of document renders through the one Render, with a place for
// the signature and a distribution list.
func TestRenderEveryKind(t *testing.T) {
	r, err := render.New("")
	if err != nil {
		t.Fatal(err)
	}
	a := approval(t)
	rows := []cycle.DocumentCommune{{ListedCommune: cycle.ListedCommune{Commune: "21190", Name: "Xã Tịnh Kỳ", DistrictName: "Thành phố Quảng Ngãi", Types: cycle.Types{1}}, Note: "Đạt"}}
	base := cycle.DocumentContent{Issuer: a.Issuer, Number: "1/TB-BCĐ", Date: cycle.D(2028, 1, 10), Year: 2027, ProvinceName: a.ProvinceName, Signed: true, Communes: rows}
	kpi := &cycle.KPI{Selected: 1, Transformed: 1, TransformedTarget: 60, NotRelapsedTarget: 85}
	for _, c := range []cycle.DocumentContent{
		with(base, func(c *cycle.DocumentContent) { c.Kind = cycle.DocRecognition }),
		with(base, func(c *cycle.DocumentContent) { c.Kind = cycle.DocContinuation }),
		with(base, func(c *cycle.DocumentContent) { c.Kind, c.FirstYear, c.Year = cycle.DocResponsibility, 2026, 2027 }),
		with(base, func(c *cycle.DocumentContent) { c.Kind, c.KPI = cycle.DocSummary, kpi }),
		with(base, func(c *cycle.DocumentContent) {
			c.Kind, c.Addressees, c.Task, c.Due = cycle.DocReminder, []string{"Ban Chỉ đạo 138 huyện Bình Sơn"}, "gửi báo cáo 6 tháng", cycle.D(2028, 1, 10)
		}),
		with(base, func(c *cycle.DocumentContent) {
			c.Kind, c.Addressees, c.Task, c.Due = cycle.DocOverdue, []string{"Ban Chỉ đạo 138 huyện Bình Sơn"}, "gửi báo cáo 6 tháng", cycle.D(2028, 1, 3)
		}),
	} {
		got, err := r.Render(c)
		if err != nil {
			t.Errorf("%s: %v", c.Kind, err)
			continue
		}
		if len(got.PDF) == 0 || got.Signature.Page == 0 || len(got.Recipients) == 0 {
			t.Errorf("%s: %d bytes, signature box %+v, recipients %q", c.Kind, len(got.PDF), got.Signature, got.Recipients)
		}
	}
	if _, err := r.Render(with(base, func(c *cycle.DocumentContent) { c.Kind = "memo" })); cycle.ErrorCode(err) != cycle.EINVALID {
		t.Errorf("a kind without a template: err = %v, want invalid", err)
	}
}

func with(c cycle.DocumentContent, f func(*cycle.DocumentContent)) cycle.DocumentContent {
	f(&c)
	return c
}

// renderAndSign is the clerk's issue without the store: render, sign, seal.
func renderAndSign(tb testing.TB, r *render.Renderer, d cycle.DocumentContent, sigImg, sealImg []byte) []byte {
	s, b := identities(tb)
	got, err := r.Render(d)
	if err != nil {
		tb.Fatal(err)
	}
	box := got.Signature
	at := time.Date(2027, 1, 20, 9, 0, 0, 0, time.UTC)
	pdf, err := signing.Sign(got.PDF, s, signing.Options{Field: "signer", Time: at,
		Appearance: &signing.Appearance{Page: box.Page, X: box.X + (box.W-45)/2, Y: box.Y + 5, W: 45, H: 15, Image: sigImg}})
	if err != nil {
		tb.Fatal(err)
	}
	pdf, err = signing.Sign(pdf, b, signing.Options{Field: "seal", Time: at,
		Appearance: &signing.Appearance{Page: box.Page, X: box.X + (box.W-45)/2 + 15 - 32, Y: box.Y + 12.5 - 16, W: 32, H: 32, Image: sealImg}})
	if err != nil {
		tb.Fatal(err)
	}
	return pdf
}

// BenchmarkRenderAndSign renders the two-page approval decision and signs
// it twice (signer, then seal with their images), as the clerk's issue does.
func BenchmarkRenderAndSign(b *testing.B) {
	r, err := render.New("")
	if err != nil {
		b.Fatal(err)
	}
	d := approval(b)
	sigImg, sealImg := signing.SampleSignatureImage("Trần Văn Minh"), sealImage(b)
	renderAndSign(b, r, d, sigImg, sealImg)
	b.ReportAllocs()
	for b.Loop() {
		renderAndSign(b, r, d, sigImg, sealImg)
	}
}

// BenchmarkRenderAndSignParallel is BenchmarkRenderAndSign from all Ps at once.
func BenchmarkRenderAndSignParallel(b *testing.B) {
	r, err := render.New("")
	if err != nil {
		b.Fatal(err)
	}
	d := approval(b)
	sigImg, sealImg := signing.SampleSignatureImage("Trần Văn Minh"), sealImage(b)
	renderAndSign(b, r, d, sigImg, sealImg)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			renderAndSign(b, r, d, sigImg, sealImg)
		}
	})
}

func sealImage(tb testing.TB) []byte {
	set, err := templates.Load("")
	if err != nil {
		tb.Fatal(err)
	}
	img, err := signing.SampleSealImage("Ban Chỉ đạo 138 tỉnh Quảng Ngãi", set.Fonts().Bold)
	if err != nil {
		tb.Fatal(err)
	}
	return img
}
