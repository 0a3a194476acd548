package document

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"chuyenhoa/third_party/fpdf"
)

// testFonts reads the fonts the product ships (templates/fonts).
func testFonts(t testing.TB) Fonts {
	t.Helper()
	rd := func(n string) []byte {
		b, err := os.ReadFile("../templates/fonts/LiberationSerif-" + n + ".ttf")
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	return Fonts{rd("Regular"), rd("Bold"), rd("Italic"), rd("BoldItalic")}
}

var (
	rendererOnce sync.Once
	testRenderer *Renderer
	rendererErr  error
)

func newTestRenderer(t testing.TB) *Renderer {
	t.Helper()
	rendererOnce.Do(func() { testRenderer, rendererErr = NewRenderer(testFonts(t)) })
	if rendererErr != nil {
		t.Fatal(rendererErr)
	}
	return testRenderer
}

func render(t testing.TB, d Document) ([]byte, Layout) {
	t.Helper()
	b, l, err := newTestRenderer(t).RenderLayout(d)
	if err != nil {
		t.Fatal(err)
	}
	return b, l
}

// sampleDoc is a decision whose table of rows rows breaks across pages.
func sampleDoc(rows int) Document {
	t := &Table{Caption: "DANH SÁCH ĐỊA BÀN", Columns: []Column{
		{"STT", 12, "C"}, {"Địa bàn (xã, phường, thị trấn)", 0, "L"}, {"Huyện/thị xã/thành phố", 50, "L"}, {"Loại địa bàn", 32, "C"}}}
	for i := 0; i < rows; i++ {
		t.Rows = append(t.Rows, []string{fmt.Sprint(i + 1), fmt.Sprintf("Phường Nghĩa Lộ %d", i+1), "Thành phố Quảng Ngãi", "1, 3, 4"})
	}
	return Document{
		ParentBody: "UBND TỈNH QUẢNG NGÃI", IssuingBody: "BAN CHỈ ĐẠO 138", Number: "12/QĐ-BCĐ", NumberSuffix: "QĐ-BCĐ",
		Place: "Quảng Ngãi", Date: time.Date(2027, 1, 5, 0, 0, 0, 0, time.UTC), Kind: "QUYẾT ĐỊNH",
		Subject:   "Về việc phê duyệt danh sách địa bàn trọng điểm, phức tạp về trật tự, an toàn xã hội thực hiện chuyển hóa năm 2027",
		Authority: "TRƯỞNG BAN CHỈ ĐẠO 138 TỈNH QUẢNG NGÃI",
		Grounds: []string{
			"Căn cứ Kế hoạch số 113/KH-BCA-V01 ngày 22/3/2021 của Bộ trưởng Bộ Công an về thực hiện công tác chuyển hóa địa bàn trọng điểm, phức tạp về trật tự, an toàn xã hội giai đoạn 2021 - 2025;",
			"Xét đề nghị của Công an tỉnh - Cơ quan Thường trực Ban Chỉ đạo 138 tỉnh và kết quả thẩm định của Hội đồng thẩm định,",
		},
		Resolution: "QUYẾT ĐỊNH:",
		Articles: []Article{
			{Text: "Phê duyệt danh sách địa bàn trọng điểm, phức tạp về trật tự, an toàn xã hội thực hiện chuyển hóa năm 2027, gồm:", Table: t},
			{Text: "Ban Chỉ đạo 138 các huyện, thị xã, thành phố tổ chức thực hiện công tác chuyển hóa ngay sau khi Quyết định này được ban hành.",
				Paragraphs: []string{"Định kỳ báo cáo kết quả 6 tháng và 01 năm về Công an tỉnh."}},
			{Text: "Quyết định này có hiệu lực thi hành kể từ ngày ký./."},
		},
		Signature:  Signature{Authority: "TM. BAN CHỈ ĐẠO", Title: "TRƯỞNG BAN", Name: "Nguyễn Văn Ánh", Signed: true},
		Recipients: []string{"Như Điều 3;", "Bộ Công an (V01) (để b/c);", "Lưu: VT, CAT."},
		Footnote:   "Số liệu thống kê tổng hợp (synthetic)",
	}
}

// pdftotext runs poppler's pdftotext with args on pdf.
func pdftotext(t *testing.T, pdf []byte, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) not installed")
	}
	in := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(in, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", append(args, in, "-")...).CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	return string(out)
}

var dateLines = []struct {
	date time.Time
	want string
}{
	{time.Date(2027, 1, 5, 0, 0, 0, 0, time.UTC), "Quảng Ngãi, ngày 05 tháng 01 năm 2027"},
	{time.Date(2027, 2, 28, 0, 0, 0, 0, time.UTC), "Quảng Ngãi, ngày 28 tháng 02 năm 2027"},
	{time.Date(2027, 3, 9, 0, 0, 0, 0, time.UTC), "Quảng Ngãi, ngày 09 tháng 3 năm 2027"},
	{time.Date(2026, 12, 15, 0, 0, 0, 0, time.UTC), "Quảng Ngãi, ngày 15 tháng 12 năm 2026"},
	{time.Time{}, "Quảng Ngãi, ngày" + nbsp7 + "tháng" + nbsp7 + "năm" + nbsp7},
}

var nbsp7 = strings.Repeat("\u00a0", 7)

func TestDateLine(t *testing.T) {
	for _, tc := range dateLines {
		if got := DateLine("Quảng Ngãi", tc.date); got != tc.want {
			t.Errorf("DateLine(%v) = %q, want %q", tc.date, got, tc.want)
		}
	}
}

// nfdDoc decomposes every string of d.
func nfdDoc(d Document) Document {
	n := norm.NFD.String
	all := func(ss []string) []string {
		out := make([]string, len(ss))
		for i, s := range ss {
			out[i] = n(s)
		}
		return out
	}
	out := d
	out.ParentBody, out.IssuingBody, out.Number, out.NumberSuffix = n(d.ParentBody), n(d.IssuingBody), n(d.Number), n(d.NumberSuffix)
	out.Place, out.Kind, out.Subject, out.Authority = n(d.Place), n(d.Kind), n(d.Subject), n(d.Authority)
	out.Resolution, out.Footnote = n(d.Resolution), n(d.Footnote)
	out.Grounds, out.Recipients = all(d.Grounds), all(d.Recipients)
	out.Signature.Authority, out.Signature.Title, out.Signature.Name = n(d.Signature.Authority), n(d.Signature.Title), n(d.Signature.Name)
	out.Articles = nil
	for _, a := range d.Articles {
		na := Article{Text: n(a.Text), Paragraphs: all(a.Paragraphs)}
		if a.Table != nil {
			tb := &Table{Caption: n(a.Table.Caption)}
			for _, c := range a.Table.Columns {
				tb.Columns = append(tb.Columns, Column{n(c.Header), c.Width, c.Align})
			}
			for _, r := range a.Table.Rows {
				tb.Rows = append(tb.Rows, all(r))
			}
			na.Table = tb
		}
		out.Articles = append(out.Articles, na)
	}
	return out
}

func TestNFDInputRendersLikeNFC(t *testing.T) {
	d := sampleDoc(30)
	decomposed := nfdDoc(d)
	if decomposed.Subject == d.Subject || decomposed.Articles[0].Table.Rows[0][1] == d.Articles[0].Table.Rows[0][1] {
		t.Fatal("test input not decomposed")
	}
	nfc, _ := render(t, d)
	nfd, _ := render(t, decomposed)
	if !bytes.Equal(nfc, nfd) {
		t.Fatal("NFD input renders differently from NFC input")
	}
	if d.Subject != sampleDoc(30).Subject {
		t.Fatal("Render changed its input")
	}
}

// concurrentDocs are documents with different characters: some share
// what they embed of a face, some do not, and the last needs the whole
// faces (α is outside the Vietnamese repertoire).
func concurrentDocs() []Document {
	var ds []Document
	for i, name := range []string{"Phường Nghĩa Lộ", "Xã Tịnh Kỳ", "Xã Bình Châu", "Thị trấn Châu Ổ", "Xã Đức Phổ", "Xã Ba Tơ"} {
		d := sampleDoc(3 + i*7)
		d.Articles[0].Table.Rows[0][1] = name
		d.Signature.Name = []string{"Trần Văn Minh", "Nguyễn Thị Ấu", "Lê Văn Ỷ"}[i%3]
		ds = append(ds, d)
	}
	d := sampleDoc(5)
	d.Articles[1].Paragraphs = []string{"Tỷ lệ α ≥ 80%."}
	return append(ds, d)
}

// The Renderer is shared by concurrent activities: documents rendered
// from many goroutines at once are byte for byte the documents rendered
// one at a time (run with -race).
func TestDeterministicAndConcurrent(t *testing.T) {
	docs := concurrentDocs()
	want := make([][]byte, len(docs))
	for i, d := range docs {
		want[i], _ = render(t, d)
	}
	if !bytes.Contains(want[0], []byte("/CreationDate (D:20270105000000)")) {
		t.Error("creation date is not the document date")
	}
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Go(func() {
			for k := range 2 * len(docs) {
				i := (g + k) % len(docs)
				got, _, err := newTestRenderer(t).RenderLayout(docs[i])
				if err != nil {
					t.Error(err)
					return
				}
				if !bytes.Equal(got, want[i]) {
					t.Errorf("goroutine %d: document %d differs from its rendering alone", g, i)
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestPagesAndRepeatedHeader(t *testing.T) {
	pdf, l := render(t, sampleDoc(40))
	text := pdftotext(t, pdf, "-layout")
	pages := strings.Split(strings.TrimRight(text, "\f"), "\f")
	if len(pages) != l.Pages || l.Pages < 2 {
		t.Fatalf("%d pages in the text, Layout.Pages = %d", len(pages), l.Pages)
	}
	header := regexp.MustCompile(`(?m)^\s*STT\s.*Loại địa bàn`)
	for i, p := range pages {
		first := strings.TrimSpace(strings.SplitN(strings.TrimLeft(p, "\n"), "\n", 2)[0])
		if i == 0 && strings.Join(strings.Fields(first), " ") != "UBND TỈNH QUẢNG NGÃI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" {
			t.Errorf("page 1 starts with %q", first)
		}
		if i > 0 && first != strconv.Itoa(i+1) {
			t.Errorf("page %d starts with %q, want its number", i+1, first)
		}
		hasRows := strings.Contains(p, "Phường Nghĩa Lộ")
		if n := len(header.FindAllString(p, -1)); hasRows && n != 1 {
			t.Errorf("page %d has table rows and %d table headers, want 1", i+1, n)
		}
	}
	for i := 1; i <= 40; i++ {
		if !strings.Contains(text, fmt.Sprintf("Phường Nghĩa Lộ %d ", i)) {
			t.Errorf("row %d missing", i)
		}
	}
	if l.Signature.Page != l.Pages || l.Signature.H != signGap || l.Signature.X <= MarginLeft+textWidth/3 {
		t.Errorf("signature gap %+v", l.Signature)
	}
}

// bboxWords returns the words of pdf with their boxes in mm.
type bboxWord struct {
	page                   int
	xMin, yMin, xMax, yMax float64
	text                   string
}

func bboxWords(t *testing.T, pdf []byte) []bboxWord {
	out := pdftotext(t, pdf, "-bbox")
	re := regexp.MustCompile(`<page |<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)
	var ws []bboxWord
	page := 0
	for _, m := range re.FindAllStringSubmatch(out, -1) {
		if m[0] == "<page " {
			page++
			continue
		}
		f := func(s string) float64 { v, _ := strconv.ParseFloat(s, 64); return v * 25.4 / 72 }
		ws = append(ws, bboxWord{page, f(m[1]), f(m[2]), f(m[3]), f(m[4]), m[5]})
	}
	return ws
}

func TestLongCellTextWrapsInsideItsCell(t *testing.T) {
	d := sampleDoc(2)
	long := "Thôn Gò Rộc Xuyên Khương Mỹ Huệ Tây Nguyên Bắc Hưng Phước Lộc Thọ Vĩnh Yên Quý Thạnh Hòa Lợi"
	unbroken := "Khudâncưsố7thuộcgiápranhgiữabaxãmiềnnúiphứctạp"
	d.Articles[0].Table.Rows[0][1] = long
	d.Articles[0].Table.Rows[1][1] = unbroken
	pdf, _ := render(t, d)
	colL := MarginLeft + 12.0
	colR := MarginLeft + textWidth - 50 - 32
	inLong := map[string]bool{}
	for _, w := range strings.Fields(long) {
		inLong[w] = true
	}
	inCell, pieces := 0, ""
	for _, w := range bboxWords(t, pdf) {
		isPiece := len(w.text) > 6 && strings.Contains(unbroken, w.text)
		if !inLong[w.text] && !isPiece {
			continue
		}
		inCell++
		if isPiece {
			pieces += w.text
		}
		if w.xMin < colL || w.xMax > colR+0.01 {
			t.Errorf("word %q spans %.1f-%.1f mm, outside its cell %.1f-%.1f", w.text, w.xMin, w.xMax, colL, colR)
		}
	}
	if pieces != unbroken {
		t.Errorf("the unbroken word came out as %q", pieces)
	}
	if inCell < 10 {
		t.Errorf("only %d words found in the cell", inCell)
	}
}

func TestJustifiedLinesFillTheWidth(t *testing.T) {
	d := sampleDoc(2)
	pdf, _ := render(t, d)
	right := MarginLeft + textWidth
	lines := map[[2]int]float64{} // (page, y) -> xMax
	for _, w := range bboxWords(t, pdf) {
		k := [2]int{w.page, int(w.yMax*2 + 0.5)}
		lines[k] = max(lines[k], w.xMax)
	}
	full := 0
	for _, x := range lines {
		if x > right+0.2 {
			t.Errorf("a line ends at %.2f mm, beyond the right margin %.2f", x, right)
		}
		if x > right-0.2 {
			full++
		}
	}
	if full < 4 { // the grounds and articles have several justified lines
		t.Errorf("only %d lines reach the right margin: justification broken?", full)
	}
}

func TestDraftNumberDateAndSignature(t *testing.T) {
	d := sampleDoc(2)
	d.Number, d.Date, d.Signature.Signed = "", time.Time{}, false
	text := pdftotext(t, mustRender(t, d), "-layout")
	for _, re := range []string{`Số:\s+/QĐ-BCĐ`, `Quảng Ngãi, ngày\s+tháng\s+năm`, `\(Dự thảo\)`} {
		if !regexp.MustCompile(re).MatchString(text) {
			t.Errorf("draft text lacks %s", re)
		}
	}
	d.Signature.Signed = true
	if strings.Contains(pdftotext(t, mustRender(t, d), "-layout"), "Dự thảo") {
		t.Error("signed document marked as draft")
	}
}

func mustRender(t *testing.T, d Document) []byte {
	b, _ := render(t, d)
	return b
}

func TestCharactersOutsideTheVietnameseRepertoire(t *testing.T) {
	d := sampleDoc(1)
	d.Articles[1].Paragraphs = []string{"Tỷ lệ α ≥ 80% (Ω)."}
	text := pdftotext(t, mustRender(t, d), "-raw")
	if !strings.Contains(text, "Tỷ lệ α ≥ 80% (Ω).") {
		t.Error("Greek letters (outside the cut fonts, inside the full fonts) not rendered")
	}
	d.Articles[1].Paragraphs = []string{"Chữ Hán 漢"}
	_, err := newTestRenderer(t).Render(d)
	if !errors.Is(err, ErrMissingGlyph) || !strings.Contains(err.Error(), "漢") {
		t.Errorf("err = %v, want ErrMissingGlyph naming 漢", err)
	}
}

var invalidDocs = []struct {
	name string
	edit func(*Table)
	want string
}{
	{"short row", func(t *Table) { t.Rows[0] = t.Rows[0][:3] }, "row 1 has 3 cells, want 4"},
	{"too wide", func(t *Table) { t.Columns[2].Width = 150 }, "do not fit"},
	{"bad align", func(t *Table) { t.Columns[0].Align = "X" }, `alignment "X"`},
	{"no columns", func(t *Table) { t.Columns, t.Rows = nil, nil }, "no columns"},
}

func TestInvalidTables(t *testing.T) {
	for _, tc := range invalidDocs {
		d := sampleDoc(2)
		tc.edit(d.Articles[0].Table)
		if _, err := newTestRenderer(t).Render(d); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
}

func TestNewRendererRejectsFonts(t *testing.T) {
	good := testFonts(t)
	bad := good
	bad.Italic = []byte("not a font")
	if _, err := NewRenderer(bad); err == nil || !strings.Contains(err.Error(), "italic font") {
		t.Errorf("garbage italic: err = %v", err)
	}
	bad = good
	bad.Bold = nil
	if _, err := NewRenderer(bad); err == nil {
		t.Error("no error without a bold font")
	}
	// Liberation 1.07 (Debian's fonts-liberation) has no Vietnamese letters
	// with tone marks (U+1EA0-U+1EF9).
	old, err := os.ReadFile("/usr/share/fonts/truetype/liberation/LiberationSerif-regular.ttf")
	if err != nil {
		t.Skip("fonts-liberation 1.x not installed")
	}
	if miss, err := Covers(old, "ạ"); err != nil || len(miss) != 1 {
		t.Skipf("%v %q: the installed fonts-liberation covers Vietnamese", err, miss)
	}
	bad = good
	bad.Regular = old
	if _, err := NewRenderer(bad); err == nil || !strings.Contains(err.Error(), "lacks") {
		t.Errorf("Liberation 1.07: err = %v, want it to lack Vietnamese", err)
	}
}

// unprepared returns fs with fpdf parsing its faces per document.
func unprepared(fs *faceSet) *faceSet {
	u := *fs
	u.pre = [4]*fpdf.PreparedUTF8Font{}
	return &u
}

// Prepared faces, whether what they embed is built or kept, give exactly
// the PDF that registering them with fpdf per document gives.
func TestPreparedFontsSameBytes(t *testing.T) {
	r := newTestRenderer(t)
	for s := regular; s <= boldItalic; s++ {
		if r.fast.pre[s] == nil || r.full.pre[s] == nil {
			t.Fatalf("%s face not prepared", s.name())
		}
	}
	for _, fs := range []*faceSet{r.fast, r.full} {
		prepared, plain := *r, *r
		prepared.fast, plain.fast = fs, unprepared(fs)
		for i, doc := range []Document{sampleDoc(30), sampleDoc(29), sampleDoc(30)} {
			got, err := prepared.Render(doc)
			if err != nil {
				t.Fatal(err)
			}
			want, err := plain.Render(doc)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("document %d: prepared faces give a different PDF (%d vs %d bytes)", i+1, len(got), len(want))
			}
		}
	}
}

func BenchmarkRender(b *testing.B) {
	r := newTestRenderer(b)
	doc := sampleDoc(20)
	if _, l, _ := r.RenderLayout(doc); l.Pages != 2 {
		b.Fatalf("%d pages, want a two-page decision", l.Pages)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Render(doc); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderPlainFonts is BenchmarkRender registering the faces cut
// to the Vietnamese repertoire with fpdf for every document (no prepared
// fonts), for comparison.
func BenchmarkRenderPlainFonts(b *testing.B) {
	r := *newTestRenderer(b)
	r.fast = unprepared(r.fast)
	doc := sampleDoc(20)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Render(doc); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderWholeFonts is BenchmarkRender with the fonts neither cut
// down nor prepared: what fpdf does out of the box.
func BenchmarkRenderWholeFonts(b *testing.B) {
	r := *newTestRenderer(b)
	r.fast = unprepared(r.full)
	doc := sampleDoc(20)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Render(doc); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderNewCharacters is BenchmarkRender for documents whose
// characters the renderer has not kept: two documents that differ in the
// characters of three faces (the table in regular, the signer's name in
// bold, the place in italic), alternately, on faces that keep one set.
func BenchmarkRenderNewCharacters(b *testing.B) {
	r := *newTestRenderer(b)
	fs := *r.fast
	if err := fs.prepare(1); err != nil {
		b.Fatal(err)
	}
	r.fast = &fs
	docs := [2]Document{sampleDoc(20), sampleDoc(20)}
	docs[1].Articles[0].Table.Rows[0][1] = "Xã Kỳ Anh"
	docs[1].Signature.Name = "Lê Thị Ỷ"
	docs[1].Place = "Quảng Trị"
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := r.Render(docs[i%2]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// A signature block's capacity may take several lines: "TM. ỦY BAN NHÂN
// DÂN" above "KT. CHỦ TỊCH", then the deputy's title and name.
func TestSignatureCapacityLines(t *testing.T) {
	d := sampleDoc(2)
	d.Signature = Signature{Authority: "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH", Title: "PHÓ CHỦ TỊCH", Name: "Trần Thị B", Signed: true}
	text := pdftotext(t, mustRender(t, d), "-layout")
	var order []string
	for _, l := range strings.Split(text, "\n") {
		for _, w := range []string{"TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Thị B"} {
			if strings.Contains(l, w) && !strings.Contains(l, "KT. CHỦ TỊCH") == (w != "KT. CHỦ TỊCH") {
				order = append(order, w)
			}
		}
	}
	if got := strings.Join(order, " / "); got != "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / Trần Thị B" {
		t.Errorf("signature lines in order: %s\n%s", got, text)
	}
}
