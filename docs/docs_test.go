package docs_test

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"

	"chuyenhoa/activities"
	"chuyenhoa/cycle"
	"chuyenhoa/docs"
	"chuyenhoa/sample"
)

// approval is the decision the demo issues for Quảng Ngãi 2027: 25 communes, two pages.
func approval(tb testing.TB) activities.ApprovalDocument {
	tb.Helper()
	prov, is, err := sample.Province("quang-ngai")
	if err != nil {
		tb.Fatal(err)
	}
	pol := cycle.DefaultPolicy()
	var list []cycle.ListedCommune
	for i, c := range cycle.Select(prov, pol, sample.Proposals(prov, pol, 2027)).Selected() {
		list = append(list, cycle.ListedCommune{Commune: c.Commune, Name: c.Name, District: c.District, DistrictName: c.DistrictName, Types: c.Types, Rank: i + 1})
	}
	return activities.ApprovalDocument{Issuer: is, Number: "7/QĐ-BCĐ", Date: cycle.D(2027, 1, 20), Year: 2027, ProvinceName: prov.Name, Communes: list, Signed: true, Synthetic: true}
}

func TestRenderApproval(t *testing.T) {
	r, err := docs.New("")
	if err != nil {
		t.Fatal(err)
	}
	d := approval(t)
	pdf, err := r.RenderApproval(d)
	if err != nil {
		t.Fatal(err)
	}
	again, err := r.RenderApproval(d)
	if err != nil || !bytes.Equal(pdf, again) {
		t.Fatal("rendering is not deterministic: a retried activity would store a different file")
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatal("pdftotext (poppler-utils) is needed: apt-get install -y poppler-utils")
	}
	cmd := exec.Command("pdftotext", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{
		"UBND TỈNH QUẢNG NGÃI", "BAN CHỈ ĐẠO 138", "Số: 7/QĐ-BCĐ", "Quảng Ngãi, ngày 20 tháng 01 năm 2027",
		"Độc lập - Tự do - Hạnh phúc", "TRƯỞNG BAN CHỈ ĐẠO 138 TỈNH QUẢNG NGÃI", "Phê duyệt danh sách 25 xã, phường, thị trấn",
		"trên địa bàn tỉnh Quảng Ngãi", "TM. BAN CHỈ ĐẠO", "Nơi nhận:",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the decision lacks %q", want)
		}
	}
	for _, c := range d.Communes {
		if !strings.Contains(text, c.Name+" "+c.DistrictName) {
			t.Errorf("the table lacks the row %q %q", c.Name, c.DistrictName)
		}
	}
}

// BenchmarkRenderApproval renders the two-page approval decision with 25
// communes, as the clerk's issue does; the fonts are prepared once in New.
func BenchmarkRenderApproval(b *testing.B) {
	r, err := docs.New("")
	if err != nil {
		b.Fatal(err)
	}
	d := approval(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.RenderApproval(d); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRenderApprovalParallel(b *testing.B) {
	r, err := docs.New("")
	if err != nil {
		b.Fatal(err)
	}
	d := approval(b)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := r.RenderApproval(d); err != nil {
				b.Fatal(err)
			}
		}
	})
}
