package render_test

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"

	"chuyenhoa/cycle"
	"chuyenhoa/policies"
	"chuyenhoa/render"
	"chuyenhoa/sample"
)

// approval is the decision the demo issues for Quảng Ngãi 2027: 25 communes, two pages.
func approval(tb testing.TB) cycle.DocumentContent {
	tb.Helper()
	prov, is, err := sample.Province("quang-ngai")
	if err != nil {
		tb.Fatal(err)
	}
	pol := cycle.DefaultPolicy()
	var list []cycle.DocumentCommune
	for i, c := range cycle.Select(prov, pol, sample.Proposals(prov, pol, 2027)).Selected() {
		list = append(list, cycle.DocumentCommune{ListedCommune: cycle.ListedCommune{Commune: c.Commune, Name: c.Name, District: c.District, DistrictName: c.DistrictName, Types: c.Types, Rank: i + 1}})
	}
	return cycle.DocumentContent{Kind: cycle.DocApproval, Issuer: is, Number: "7/QĐ-BCĐ", Date: cycle.D(2027, 1, 20), Year: 2027, ProvinceName: prov.Name, Communes: list, Signed: true, Synthetic: true}
}

func TestRenderApproval(t *testing.T) {
	r, err := render.New("")
	if err != nil {
		t.Fatal(err)
	}
	d := approval(t)
	got, err := r.Render(d)
	if err != nil {
		t.Fatal(err)
	}
	pdf := got.PDF
	again, err := r.Render(d)
	if err != nil || !bytes.Equal(pdf, again.PDF) {
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
	r, err := render.New("")
	if err != nil {
		b.Fatal(err)
	}
	d := approval(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Render(d); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRenderApprovalParallel(b *testing.B) {
	r, err := render.New("")
	if err != nil {
		b.Fatal(err)
	}
	d := approval(b)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := r.Render(d); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// The decision cites the grounds, periods and distribution list of the
// policy the cycle runs under: under seed 002, the Ministry's Quyết định
// 1960/QĐ-BCA-C41, not the 2021–2025 plan.
func TestRenderApprovalUnderPolicy(t *testing.T) {
	r, err := render.New("")
	if err != nil {
		t.Fatal(err)
	}
	pol, err := policies.ByID("002")
	if err != nil {
		t.Fatal(err)
	}
	spec, ok := pol.Document(cycle.DocumentKindApproval)
	if !ok {
		t.Fatal("policy 002 has no approval_decision document")
	}
	d := approval(t)
	d.Grounds, d.Recipients = spec.Grounds, spec.Recipients
	d.PeriodFrom, d.PeriodTo = cycle.D(2026, 11, 16), cycle.D(2027, 11, 15)
	got, err := r.Render(d)
	if err != nil {
		t.Fatal(err)
	}
	pdf := got.PDF
	cmd := exec.Command("pdftotext", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{
		"Căn cứ Quyết định số 1960/QĐ-BCA-C41 ngày 08/6/2017 của Bộ Công an",
		"từ ngày 16/11/2026 đến ngày 15/5/2027", "từ ngày 16/11/2026 đến ngày 15/11/2027",
		"- Ủy ban nhân dân tỉnh (để b/c);",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the decision lacks %q", want)
		}
	}
	if strings.Contains(text, "113/KH-BCA-V01") {
		t.Error("the decision under 002 cites the 2021–2025 plan")
	}
}
