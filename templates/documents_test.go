package templates_test

import (
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"chuyenhoa/templates"
)

var pngDir = flag.String("png", "", "also render every document type's pages to PNG files in this directory (to look at them)")

// letterhead is the sample's issuer with a number and date, signed as a
// decision (the head in his own name) or, with body, in the committee's name.
func letterhead(t testing.TB, number, suffix string, date time.Time, body bool) templates.Letterhead {
	l := sampleData(t).Letterhead
	l.Number, l.NumberSuffix, l.Date = number, suffix, date
	l.Recipients = []string{"Như trên;", "Lưu: VT, CAT."}
	if body {
		l.Signature.Authority = "TM. BAN CHỈ ĐẠO"
		l.Grounds = nil
	}
	return l
}

// rows takes n communes of the sample list, with notes from notes in turn.
func rows(t testing.TB, n int, notes ...string) []templates.CommuneRow {
	var out []templates.CommuneRow
	for i, c := range sampleData(t).Communes[:n] {
		r := templates.CommuneRow{Name: c.Name, District: c.District, Types: c.Types}
		if len(notes) > 0 {
			r.Note = notes[i%len(notes)]
		}
		out = append(out, r)
	}
	return out
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// documentCases are one sample of every document type but the approval
// decision (tested in templates_test.go).
func documentCases(t testing.TB) []struct {
	name, tmpl string
	data       templates.Data
	want       []string // in the text
} {
	return []struct {
		name, tmpl string
		data       templates.Data
		want       []string
	}{
		{"recognition", templates.Recognition, templates.RecognitionData{
			Letterhead: letterhead(t, "41/QĐ-BCĐ", "", day(2028, time.June, 30), false), Year: 2027, ListYear: 2027,
			Subject:  "công nhận các xã, phường, thị trấn trọng điểm, phức tạp về trật tự, an toàn xã hội đã chuyển hóa đạt",
			Outcome:  "trọng điểm, phức tạp về trật tự, an toàn xã hội đã chuyển hóa đạt",
			Approval: "Quyết định số 05/QĐ-BCĐ ngày 05/01/2027 của Trưởng Ban Chỉ đạo 138 tỉnh Quảng Ngãi", FollowUpEnd: day(2028, time.June, 14),
			Communes: rows(t, 12),
		}, []string{"QUYẾT ĐỊNH", "Về việc công nhận các xã, phường, thị trấn", "đã chuyển hóa đạt năm 2027", "Công nhận 12 xã, phường, thị trấn",
			"Điều 1.", "Điều 2.", "Điều 3.", "đưa ra khỏi danh sách", "(đến ngày 14/6/2028)", "Số: 41/QĐ-BCĐ", "ngày 30 tháng 6 năm 2028"}},
		{"continuation", templates.Continuation, templates.ContinuationData{
			Letterhead: letterhead(t, "12/TB-BCĐ", "TB-BCĐ", day(2028, time.January, 10), true), Year: 2027,
			Appraisal: "kết quả thẩm định của Hội đồng thẩm định ngày 20/12/2027", ReviewDue: day(2028, time.February, 28),
			NextFrom: day(2027, time.December, 15), NextTo: day(2028, time.December, 14),
			Communes: rows(t, 5, "Loại 1: tội phạm về trật tự xã hội chưa giảm 10% so với cùng kỳ", "Tiêu chí chung: chưa có mô hình tự quản hoạt động hiệu quả"),
		}, []string{"THÔNG BÁO", "tiếp tục thực hiện chuyển hóa năm thứ hai", "(năm 2028)", "trước ngày 28/2/2028", "15/12/2027 đến ngày 14/12/2028",
			"Tiêu chí chưa đạt", "Số: 12/TB-BCĐ"}},
		{"responsibility", templates.Responsibility, templates.ResponsibilityData{
			Letterhead: letterhead(t, "3/TB-BCĐ", "TB-BCĐ", day(2029, time.January, 15), true), FirstYear: 2027, SecondYear: 2028,
			ReportDue: day(2029, time.March, 15),
			Communes:  rows(t, 3, "Số vụ phạm tội về trật tự xã hội: 9, kỳ so sánh 9: không giảm"),
		}, []string{"THÔNG BÁO", "kiểm điểm, xem xét trách nhiệm", "sau hai năm (2027 - 2028)", "Tiêu chí chưa đạt năm 2028", "trước ngày 15/3/2029",
			"xếp loại thi đua"}},
		// 004 §III.11: no second year; a failed year goes to the review.
		{"responsibility-one-year", templates.Responsibility, templates.ResponsibilityData{
			Letterhead: letterhead(t, "1/TB-BCĐ", "TB-BCĐ", day(2028, time.January, 21), true), FirstYear: 2027, SecondYear: 2027, OneYear: true,
			ReportDue: day(2028, time.February, 5),
			Communes:  rows(t, 2, "Đạt 23/99 điểm; Hội đồng thẩm định kết luận không đạt chuẩn"),
		}, []string{"THÔNG BÁO", "kiểm điểm, đánh giá trách nhiệm", "không đạt chuẩn năm 2027", "không đạt tiêu chí năm 2027",
			"Kế hoạch không tổ chức chuyển hóa năm thứ hai", "Tiêu chí chưa đạt năm 2027", "trước ngày 5/2/2028"}},
		{"reminder", templates.Reminder, templates.DeadlineNoticeData{
			Letterhead: letterhead(t, "52/BCĐ", "BCĐ", day(2026, time.December, 18), true),
			Addressees: []string{"Ban Chỉ đạo 138 huyện Bình Sơn", "Ban Chỉ đạo 138 huyện Sơn Tịnh"},
			Task:       "gửi đề xuất danh sách địa bàn thực hiện chuyển hóa năm 2027",
			Due:        day(2026, time.December, 25),
		}, []string{"V/v đôn đốc gửi đề xuất", "Kính gửi:", "- Ban Chỉ đạo 138 huyện Bình Sơn", "là ngày 25/12/2026", "Số: 52/BCĐ",
			"Kế hoạch không quy định thời hạn này"}},
		{"overdue", templates.Overdue, templates.DeadlineNoticeData{
			Letterhead: letterhead(t, "61/BCĐ", "BCĐ", day(2026, time.December, 28), true),
			Addressees: []string{"Ban Chỉ đạo 138 huyện Bình Sơn"},
			Task:       "gửi đề xuất danh sách địa bàn thực hiện chuyển hóa năm 2027",
			Clause:     "Hoàn thành trong tháng Một (tháng 01) năm đó",
			Due:        day(2026, time.December, 25), NewDue: day(2026, time.December, 30), Escalation: 1,
		}, []string{"V/v chậm gửi đề xuất", "Kính gửi: Ban Chỉ đạo 138 huyện Bình Sơn", "đã quá hạn 3 ngày", "lần nhắc thứ 2", "trước ngày 30/12/2026",
			"“Hoàn thành trong tháng Một (tháng 01) năm đó”"}},
		{"summary", templates.Summary, templates.SummaryData{
			Letterhead: letterhead(t, "210/BC-BCĐ", "BC-BCĐ", day(2027, time.December, 22), true), Year: 2027,
			PeriodFrom: day(2026, time.December, 15), PeriodTo: day(2027, time.December, 14),
			Selected: 12, Transformed: 7, FollowedUp: 9, Relapsed: 1, TransformedTarget: 60, NotRelapsedTarget: 85,
			Communes: rows(t, 12, "Đạt", "Đạt", "Không đạt - tiếp tục năm thứ hai", "Đạt"),
		}, []string{"BÁO CÁO", "I. KẾT QUẢ THỰC HIỆN", "II. ĐÁNH GIÁ CÁC CHỈ TIÊU", "III. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2028",
			"58,3% (7/12 địa bàn)", "≥ 60%", "88,9% (8/9 địa bàn)", "≥ 85%", "chưa đạt chỉ tiêu đề ra", "Số: 210/BC-BCĐ"}},
		// 001 §III.2: the provincial review report after the conference.
		{"review", templates.Review, templates.ReviewData{
			Letterhead: letterhead(t, "7/BC-BCĐ", "BC-BCĐ", day(2019, time.December, 30), true), Year: 2019,
			PeriodFrom: day(2018, time.November, 16), PeriodTo: day(2019, time.November, 15),
			Selected: 5, Reports: 5, Passed: 3,
			Communes: rows(t, 5, "Đạt", "Chưa đạt: số vụ phạm tội về trật tự xã hội không giảm", "Đạt"),
			Local: []templates.LocalReviewRow{{Unit: "Huyện Bình Sơn", Due: day(2019, time.November, 29), Held: day(2019, time.November, 27)},
				{Unit: "Huyện Sơn Tịnh", Due: day(2019, time.November, 29)}},
			Held: day(2019, time.December, 27),
			Conclusions: []string{"Các địa bàn đã triển khai đủ 6 nhiệm vụ của Đề án; công tác phòng ngừa được chú trọng.",
				"Tồn tại: một số địa bàn chưa giảm được tội phạm về trật tự xã hội. Năm 2020 tập trung đấu tranh, trấn áp tội phạm."},
		}, []string{"BÁO CÁO", "Sơ kết công tác chuyển hóa địa bàn trọng điểm", "năm 2019", "I. KẾT QUẢ CHUYỂN HÓA CÁC ĐỊA BÀN",
			"16/11/2018 đến ngày 15/11/2019", "5/5 địa bàn gửi báo cáo", "3 địa bàn đạt tiêu chí chuyển hóa, 2 địa bàn chưa đạt",
			"II. SƠ KẾT TẠI CÁC ĐỊA BÀN CHUYỂN HÓA", "1/2 đơn vị", "27/11/2019", "Chưa tổ chức", "III. HỘI NGHỊ SƠ KẾT CẤP TỈNH",
			"Ngày 27/12/2019", "6 nhiệm vụ của Đề án", "Năm 2020 tập trung", "Số: 7/BC-BCĐ"}},
	}
}

func render(t *testing.T, tmpl string, data templates.Data) []byte {
	t.Helper()
	set, r := newRenderer(t)
	doc, err := set.Document(tmpl, data)
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := r.Render(doc)
	if err != nil {
		t.Fatal(err)
	}
	return pdf
}

// Every document type: its text and layout against golden files, the
// Decree 30 frame, its own wording; with -png, its pages as images.
func TestDocumentTypes(t *testing.T) {
	for _, tc := range documentCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			pdf := render(t, tc.tmpl, tc.data)
			text := pdftotext(t, pdf, "-layout")
			golden(t, tc.name+".txt.golden", text)
			golden(t, tc.name+".layout.golden", layoutOf(t, pdf)+rulesOf(t, pdf))
			flat := strings.Join(strings.Fields(text), " ")
			frame := []string{"UBND TỈNH QUẢNG NGÃI", "BAN CHỈ ĐẠO 138", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
				"Nơi nhận:", "TRƯỞNG BAN", "Trần Văn Minh", "văn bản minh họa"}
			for _, want := range append(frame, tc.want...) {
				if !strings.Contains(flat, want) {
					t.Errorf("text lacks %q", want)
				}
			}
			if tc.tmpl != templates.Recognition && strings.Contains(text, "Điều 1.") {
				t.Error("a document without articles numbers them")
			}
			// Page numbers from page 2 only.
			for i, p := range pages(text) {
				first := strings.TrimSpace(strings.SplitN(strings.TrimLeft(p, "\n"), "\n", 2)[0])
				if isNum := regexp.MustCompile(`^\d+$`).MatchString(first); isNum != (i > 0) {
					t.Errorf("page %d starts with %q", i+1, first)
				}
			}
			if *pngDir != "" {
				if err := os.MkdirAll(*pngDir, 0o755); err != nil {
					t.Fatal(err)
				}
				in := filepath.Join(*pngDir, tc.name+".pdf")
				if err := os.WriteFile(in, pdf, 0o644); err != nil {
					t.Fatal(err)
				}
				if out, err := exec.Command("pdftoppm", "-r", "60", "-png", in, filepath.Join(*pngDir, tc.name)).CombinedOutput(); err != nil {
					t.Fatalf("pdftoppm: %v\n%s", err, out)
				}
			}
		})
	}
}

// A letter (reminder, overdue) has no kind line: its summary sits under
// the number in the left column, and "Kính gửi:" follows the header.
func TestLetterLayout(t *testing.T) {
	for _, tc := range documentCases(t) {
		if tc.tmpl != templates.Reminder {
			continue
		}
		ws := layoutOf(t, render(t, tc.tmpl, tc.data))
		var numberY, vvY, vvX, kinhY float64 = -1, -1, -1, -1
		for _, l := range strings.Split(ws, "\n") {
			f := strings.Fields(l)
			if len(f) < 4 {
				continue
			}
			x, y := atof(f[1]), atof(f[2])
			switch {
			case strings.HasPrefix(f[3], "Số:"):
				numberY = y
			case f[3] == "V/v":
				vvY, vvX = y, x
			case f[3] == "Kính":
				kinhY = y
			}
		}
		if numberY < 0 || vvY <= numberY || vvX > 30+66 || kinhY <= vvY {
			t.Errorf("letter layout: Số at y=%.1f, V/v at (%.1f, %.1f), Kính gửi at y=%.1f\n%s", numberY, vvX, vvY, kinhY, ws)
		}
	}
}

func atof(s string) float64 {
	v, _ := strconv.ParseFloat(s, 64)
	return v
}

func TestSummaryKPIs(t *testing.T) {
	cases := []struct {
		d                        templates.SummaryData
		transformed, notRelapsed string
		meetsT, meetsR           bool
	}{
		{templates.SummaryData{Selected: 10, Transformed: 6, FollowedUp: 20, Relapsed: 3, TransformedTarget: 60, NotRelapsedTarget: 85}, "60%", "85%", true, true},
		{templates.SummaryData{Selected: 12, Transformed: 7, FollowedUp: 9, Relapsed: 2, TransformedTarget: 60, NotRelapsedTarget: 85}, "58,3%", "77,8%", false, false},
		{templates.SummaryData{Selected: 0, TransformedTarget: 60, NotRelapsedTarget: 85}, "0%", "0%", false, true},
	}
	for _, c := range cases {
		if got := templates.Percent(c.d.TransformedShare()); got != c.transformed {
			t.Errorf("%+v: transformed %s, want %s", c.d, got, c.transformed)
		}
		if got := templates.Percent(c.d.NotRelapsedShare()); got != c.notRelapsed {
			t.Errorf("%+v: not relapsed %s, want %s", c.d, got, c.notRelapsed)
		}
		if c.d.MeetsTransformedTarget() != c.meetsT || c.d.MeetsNotRelapsedTarget() != c.meetsR {
			t.Errorf("%+v: meets %v %v, want %v %v", c.d, c.d.MeetsTransformedTarget(), c.d.MeetsNotRelapsedTarget(), c.meetsT, c.meetsR)
		}
	}
}
