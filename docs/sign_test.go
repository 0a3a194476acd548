package docs_test

import (
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"chuyenhoa/activities"
	"chuyenhoa/docs"
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
	r, err := docs.New("")
	if err != nil {
		t.Fatal(err)
	}
	got, err := r.RenderApprovalDocument(approval(t))
	if err != nil {
		t.Fatal(err)
	}
	box := got.Layout.Signature
	if box.Page != got.Layout.Pages || box.W < 60 || box.H != 25 || box.X < 100 {
		t.Errorf("signature box %+v of %d pages", box, got.Layout.Pages)
	}
	if !strings.HasPrefix(got.Subject, "Về việc phê duyệt danh sách") || len(got.Recipients) != 4 {
		t.Errorf("subject %q, recipients %q", got.Subject, got.Recipients)
	}
}

// Every renderer of the transformation year's documents works through docs.
func TestRenderersOfEveryType(t *testing.T) {
	r, err := docs.New("")
	if err != nil {
		t.Fatal(err)
	}
	a := docs.ApprovalData(approval(t))
	lh := templates.Letterhead{Issuer: a.Issuer, Number: "1/TB-BCĐ", Date: time.Date(2028, 1, 10, 0, 0, 0, 0, time.UTC), Signed: true}
	rows := []templates.CommuneRow{{Name: "Xã Tịnh Kỳ", District: "Thành phố Quảng Ngãi", Types: "1", Note: "Đạt"}}
	notice := templates.DeadlineNoticeData{Letterhead: lh, Addressees: []string{"Ban Chỉ đạo 138 huyện Bình Sơn"}, Task: "gửi báo cáo 6 tháng", Due: lh.Date}
	for name, render := range map[string]func() (activities.Rendered, error){
		"recognition": func() (activities.Rendered, error) {
			return r.RenderRecognition(templates.RecognitionData{Letterhead: lh, Year: 2027, Communes: rows})
		},
		"continuation": func() (activities.Rendered, error) {
			return r.RenderContinuation(templates.ContinuationData{Letterhead: lh, Year: 2027, Communes: rows})
		},
		"responsibility": func() (activities.Rendered, error) {
			return r.RenderResponsibility(templates.ResponsibilityData{Letterhead: lh, FirstYear: 2026, SecondYear: 2027, Communes: rows})
		},
		"reminder": func() (activities.Rendered, error) { return r.RenderReminder(notice) },
		"overdue":  func() (activities.Rendered, error) { return r.RenderOverdue(notice) },
		"summary": func() (activities.Rendered, error) {
			return r.RenderSummary(templates.SummaryData{Letterhead: lh, Year: 2027, Selected: 1, Transformed: 1, TransformedTarget: 60, NotRelapsedTarget: 85, Communes: rows})
		},
	} {
		got, err := render()
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if len(got.PDF) == 0 || got.Layout.Signature.Page == 0 || len(got.Recipients) == 0 {
			t.Errorf("%s: %d bytes, signature box %+v, recipients %q", name, len(got.PDF), got.Layout.Signature, got.Recipients)
		}
	}
}

// renderAndSign is the clerk's issue without the store: render, sign, seal.
func renderAndSign(tb testing.TB, r *docs.Renderer, d activities.ApprovalDocument, sigImg, sealImg []byte) []byte {
	s, b := identities(tb)
	got, err := r.RenderApprovalDocument(d)
	if err != nil {
		tb.Fatal(err)
	}
	box := got.Layout.Signature
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
	r, err := docs.New("")
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
	r, err := docs.New("")
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
