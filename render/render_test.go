package render_test

import (
	"bytes"
	"fmt"
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
		"trên địa bàn tỉnh Quảng Ngãi", "TRƯỞNG BAN", "Nơi nhận:",
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
// policy the cycle runs under: under seed 001 (Tây Ninh, 2019), the
// Ministry's Quyết định 1960/QĐ-BCA-C41 and the province's plan to 2020,
// not the 2021–2025 plan; its statistics run 16/11 to 15/11, and the
// six-month reports' period ends where the workflow's does (14/6), not
// six months after its start.
func TestRenderApprovalUnderPolicy(t *testing.T) {
	r, err := render.New("")
	if err != nil {
		t.Fatal(err)
	}
	pol, err := policies.ByID("001")
	if err != nil {
		t.Fatal(err)
	}
	prov, is, err := sample.Province("tay-ninh")
	if err != nil {
		t.Fatal(err)
	}
	d := approval(t)
	d.Issuer, d.ProvinceName, d.Province, d.Year, d.Date = is, prov.Name, prov.Code, 2019, cycle.D(2019, 1, 28)
	if probs := cycle.PrepareDocument(&d, pol, nil); len(probs) > 0 {
		t.Fatal(probs)
	}
	got, err := r.Render(d)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("pdftotext", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(got.PDF)
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	half := pol.ReportPeriod(cycle.ReportHalfYear, 2019)
	for _, want := range []string{
		"Căn cứ Quyết định số 1960/QĐ-BCA-C41 ngày 08 tháng 6 năm 2017 của Bộ Công an",
		"Căn cứ Kế hoạch số 296/KH-UBND ngày 21 tháng 11 năm 2017 của Ủy ban nhân dân tỉnh Tây Ninh",
		"từ ngày 16/11/2018 đến ngày " + fmt.Sprintf("%d/%d/%d", half.To.Day, int(half.To.Month), half.To.Year),
		"từ ngày 16/11/2018 đến ngày 15/11/2019",
		"- Đ/c Chủ tịch UBND tỉnh (để b/c);",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the decision lacks %q", want)
		}
	}
	if strings.Contains(text, "113/KH-BCA-V01") || strings.Contains(text, "15/5/2019") {
		t.Error("the decision under 001 cites the 2021–2025 plan, or a half-year period the workflow does not use")
	}
}
