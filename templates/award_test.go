package templates_test

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"chuyenhoa/document"
	"chuyenhoa/templates"
)

// sampleAward is a Bình Phước award decision of policy 003: three
// collectives and six individuals (two of them leaders), synthetic names.
func sampleAward(signed bool) templates.AwardData {
	d := templates.AwardData{
		Letterhead: templates.Letterhead{
			Issuer: templates.Issuer{
				IssuingBody: "ỦY BAN NHÂN DÂN TỈNH BÌNH PHƯỚC", NumberSuffix: "QĐ-UBND", Place: "Bình Phước",
				CommitteeName: "Ủy ban nhân dân tỉnh Bình Phước", AuthorityLine: "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BÌNH PHƯỚC",
			},
			Number: "125/QĐ-UBND", Date: time.Date(2024, time.December, 20, 12, 0, 0, 0, time.UTC),
			ProvinceName: "tỉnh Bình Phước",
			Grounds: []string{
				"Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015",
				"Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022",
				"Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng",
				"Kế hoạch của Ủy ban nhân dân tỉnh Bình Phước phát động phong trào thi đua thực hiện công tác phòng, chống tội phạm, tệ nạn xã hội; công tác chuyển hóa địa bàn năm 2024",
			},
			Recipients: []string{"Như Điều 3;", "Ban Chỉ đạo 138/CP (Bộ Công an);", "TT.TU, TT.HĐND;", "Sở Nội vụ (Ban Thi đua - Khen thưởng tỉnh);", "Công an tỉnh;", "Lưu: VT."},
			Signature:  document.Signature{Authority: "KT. CHỦ TỊCH", Title: "PHÓ CHỦ TỊCH", Name: "Nguyễn Văn A"},
			Signed:     signed, Synthetic: true,
		},
		Year: 2024, Form: "Bằng khen của Chủ tịch UBND tỉnh",
		Proposal: "Giám đốc Công an tỉnh và Giám đốc Sở Nội vụ (Ban Thi đua - Khen thưởng tỉnh)",
		Charged:  "Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Công an tỉnh, thủ trưởng các cơ quan, đơn vị có liên quan",
	}
	for _, c := range []string{"Công an xã Tân Thành, huyện Bù Đốp", "Công an phường Tân Phú, thành phố Đồng Xoài", "Ủy ban nhân dân xã Lộc Ninh, huyện Lộc Ninh"} {
		d.Awardees = append(d.Awardees, templates.Awardee{Name: c, Collective: true, Achievements: "Chuyển hóa thành công địa bàn trọng điểm, phức tạp về TTATXH năm 2024; giảm 12% số vụ phạm tội về trật tự xã hội"})
	}
	people := []struct{ name, pos string }{
		{"Trần Văn Bình", "Phó Trưởng phòng Cảnh sát hình sự, Công an tỉnh"},
		{"Lê Thị Hoa", "Cán bộ Đội Cảnh sát điều tra tội phạm về ma túy, Công an huyện Bù Đăng"},
		{"Nguyễn Hữu Phước", "Trưởng Công an xã Thanh Lương, thị xã Bình Long"},
		{"Phạm Minh Tuấn", "Cán bộ Công an phường Tân Bình, thành phố Đồng Xoài"},
		{"Đỗ Thị Ngọc Lan", "Chuyên viên Phòng Tư pháp huyện Hớn Quản"},
		{"Vũ Đức Anh", "Cán bộ Công an xã Lộc Hiệp, huyện Lộc Ninh"},
	}
	for _, p := range people {
		d.Awardees = append(d.Awardees, templates.Awardee{Name: p.name, Position: p.pos, Achievements: "Tham mưu, trực tiếp tham gia triệt phá 03 tụ điểm tệ nạn xã hội tại địa bàn chuyển hóa"})
	}
	return d
}

func renderAward(t *testing.T, d templates.AwardData) []byte {
	t.Helper()
	r, err := templates.NewAwardRenderer("")
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := r.RenderAward(d)
	if err != nil {
		t.Fatal(err)
	}
	return pdf
}

func TestAwardTextGolden(t *testing.T) {
	pdf := renderAward(t, sampleAward(true))
	if os.Getenv("AWARD_PDF") != "" {
		_ = os.WriteFile(os.Getenv("AWARD_PDF"), pdf, 0o644)
	}
	golden(t, "award.txt.golden", pdftotext(t, pdf, "-layout"))
}

func TestAwardContent(t *testing.T) {
	r, err := templates.NewAwardRenderer("")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := r.Document(sampleAward(false))
	if err != nil {
		t.Fatal(err)
	}
	if doc.Kind != "QUYẾT ĐỊNH" || !strings.HasPrefix(doc.Subject, "Về việc tặng Bằng khen của Chủ tịch UBND tỉnh") {
		t.Fatalf("kind %q subject %q", doc.Kind, doc.Subject)
	}
	if len(doc.Articles) != 3 || !strings.Contains(doc.Articles[0].Text, "cho 03 tập thể và 06 cá nhân") {
		t.Fatalf("articles %+v", doc.Articles)
	}
	tb := doc.Articles[0].Table
	if tb == nil || len(tb.Rows) != 9 || tb.Rows[3][1] != "Trần Văn Bình\nPhó Trưởng phòng Cảnh sát hình sự, Công an tỉnh" {
		t.Fatalf("table %+v", tb)
	}
	want := []string{"Như Điều 3;", "Ban Chỉ đạo 138/CP (Bộ Công an);", "TT.TU, TT.HĐND;", "Sở Nội vụ (Ban Thi đua - Khen thưởng tỉnh);", "Công an tỉnh;", "Lưu: VT."}
	if strings.Join(doc.Recipients, "|") != strings.Join(want, "|") {
		t.Fatalf("recipients %q", doc.Recipients)
	}
	if !strings.Contains(doc.Footnote, "văn bản minh họa") || doc.Number != "125/QĐ-UBND" || doc.Signature.Authority != "KT. CHỦ TỊCH" {
		t.Fatalf("frame %+v", doc)
	}
	// Only individuals: no "tập thể" in the article.
	only := sampleAward(false)
	only.Awardees = only.Awardees[3:]
	doc, err = r.Document(only)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(doc.Articles[0].Text, "cho 06 cá nhân đã có") || strings.Contains(doc.Articles[0].Text, "tập thể") {
		t.Fatalf("article %q", doc.Articles[0].Text)
	}
}

func TestAwardDeterministic(t *testing.T) {
	a, b := renderAward(t, sampleAward(true)), renderAward(t, sampleAward(true))
	if !bytes.Equal(a, b) {
		t.Fatal("two renderings of the same award decision differ")
	}
}
