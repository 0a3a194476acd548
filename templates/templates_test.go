package templates_test

import (
	"bytes"
	"compress/zlib"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"chuyenhoa/document"
	"chuyenhoa/templates"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// sampleData is the approval decision for 30 real communes of Quảng Ngãi
// (testdata/communes-quang-ngai.csv, taken from the 2024 list of
// administrative units).
func sampleData(t testing.TB) templates.ApprovalData {
	t.Helper()
	f, err := os.Open("testdata/communes-quang-ngai.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	types := []string{"1", "1, 4", "1, 3", "1, 3, 4", "4", "1, 2"}
	var communes []templates.ApprovedCommune
	for i, r := range recs[1:] {
		communes = append(communes, templates.ApprovedCommune{
			No: i + 1, District: r[0], Name: r[1], Types: types[i%len(types)], Extension: i%7 == 3,
		})
	}
	return templates.ApprovalData{
		Letterhead: templates.Letterhead{
			Issuer: sampleIssuer(), Number: "05/QĐ-BCĐ", Date: time.Date(2027, 1, 5, 0, 0, 0, 0, time.UTC),
			ProvinceName: "tỉnh Quảng Ngãi", Units: "xã, phường, thị trấn",
			Grounds: []string{
				"Quyết định của Chủ tịch Ủy ban nhân dân tỉnh Quảng Ngãi về việc kiện toàn Ban Chỉ đạo 138 tỉnh Quảng Ngãi",
				"Kế hoạch số 113/KH-BCA-V01 ngày 22 tháng 3 năm 2021 của Bộ trưởng Bộ Công an về thực hiện công tác chuyển hóa địa bàn trọng điểm, phức tạp về trật tự, an toàn xã hội giai đoạn 2021 - 2025",
				samplePlan,
			},
			Plan: samplePlan, PlanShort: "Kế hoạch ngày 15/4/2021 của Chủ tịch Ủy ban nhân dân tỉnh Quảng Ngãi",
			Recipients: []string{"Như Điều 3;", "Bộ Công an (V01) (để b/c);", "Thường trực Tỉnh ủy, HĐND, UBND tỉnh (để b/c);", "Lưu: VT, CAT."},
			Signature:  document.Signature{Title: "TRƯỞNG BAN", Name: "Trần Văn Minh"},
			Signed:     true, Synthetic: true,
		},
		Year:       2027,
		PeriodFrom: time.Date(2026, 12, 15, 12, 0, 0, 0, time.UTC), HalfYearTo: time.Date(2027, 6, 14, 12, 0, 0, 0, time.UTC),
		PeriodTo: time.Date(2027, 12, 14, 12, 0, 0, 0, time.UTC),
		Communes: communes,
	}
}

// samplePlan is the sample's plan as cited.
const samplePlan = "Kế hoạch ngày 15 tháng 4 năm 2021 của Chủ tịch Ủy ban nhân dân tỉnh Quảng Ngãi về thực hiện công tác chuyển hóa địa bàn trọng điểm, phức tạp về trật tự, an toàn xã hội giai đoạn 2021 - 2025"

// sampleIssuer is Quảng Ngãi's committee, its head deciding.
func sampleIssuer() templates.Issuer {
	return templates.Issuer{
		ParentBody: "UBND TỈNH QUẢNG NGÃI", IssuingBody: "BAN CHỈ ĐẠO 138", NumberSuffix: "QĐ-BCĐ",
		Place: "Quảng Ngãi", CommitteeName: "Ban Chỉ đạo 138 tỉnh Quảng Ngãi", CommitteeShort: "Ban Chỉ đạo 138",
		AuthorityLine: "TRƯỞNG BAN CHỈ ĐẠO 138 TỈNH QUẢNG NGÃI", Decider: "Trưởng Ban Chỉ đạo 138 tỉnh Quảng Ngãi",
		Steering: "Ban Chỉ đạo 138 tỉnh Quảng Ngãi", Secretariat: "Công an tỉnh - Cơ quan Thường trực Ban Chỉ đạo 138 tỉnh Quảng Ngãi",
		Police: "Công an tỉnh", DistrictBodies: "Ban Chỉ đạo 138 các huyện, thị xã, thành phố",
		DistrictHeads: "Trưởng Ban Chỉ đạo 138 các huyện, thị xã, thành phố",
	}
}

var (
	rendererOnce sync.Once
	renderer     *document.Renderer
	rendererErr  error
)

func newRenderer(t testing.TB) (*templates.Set, *document.Renderer) {
	t.Helper()
	set, err := templates.Load("")
	if err != nil {
		t.Fatal(err)
	}
	rendererOnce.Do(func() { renderer, rendererErr = document.NewRenderer(set.Fonts()) })
	if rendererErr != nil {
		t.Fatal(rendererErr)
	}
	return set, renderer
}

func renderApproval(t testing.TB, data templates.ApprovalData) []byte {
	t.Helper()
	set, r := newRenderer(t)
	doc, err := set.Document(templates.Approval, data)
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := r.Render(doc)
	if err != nil {
		t.Fatal(err)
	}
	return pdf
}

// pdftotext runs poppler's pdftotext with args on pdf and returns its output.
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

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the rendering (go test -update rewrites it):\n%s", path, lineDiff(string(want), got))
	}
}

// lineDiff is a small line diff: the lines only in want (-) or only in got
// (+), in order, via their longest common subsequence.
func lineDiff(want, got string) string {
	a, b := strings.Split(want, "\n"), strings.Split(got, "\n")
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var sb strings.Builder
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			i, j = i+1, j+1
		case j < len(b) && (i == len(a) || lcs[i][j+1] >= lcs[i+1][j]):
			fmt.Fprintf(&sb, "+%d: %s\n", j+1, b[j])
			j++
		default:
			fmt.Fprintf(&sb, "-%d: %s\n", i+1, a[i])
			i++
		}
	}
	return sb.String()
}

func TestApprovalTextGolden(t *testing.T) {
	golden(t, "approval.txt.golden", pdftotext(t, renderApproval(t, sampleData(t)), "-layout"))
}

// bboxLine is one line of pdftotext -bbox-layout output.
var (
	pageRE = regexp.MustCompile(`<page width="([\d.]+)" height="([\d.]+)">`)
	lineRE = regexp.MustCompile(`(?s)<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>`)
	wordRE = regexp.MustCompile(`<word [^>]*>([^<]*)</word>`)
)

// layoutOf lists every text line of pdf as "page x y text", x and y its
// top-left corner in mm rounded to 0.5 mm.
func layoutOf(t *testing.T, pdf []byte) string {
	out := pdftotext(t, pdf, "-bbox-layout")
	var sb strings.Builder
	pages := pageRE.FindAllStringIndex(out, -1)
	for p, loc := range pages {
		end := len(out)
		if p+1 < len(pages) {
			end = pages[p+1][0]
		}
		for _, m := range lineRE.FindAllStringSubmatch(out[loc[0]:end], -1) {
			var words []string
			for _, w := range wordRE.FindAllStringSubmatch(m[5], -1) {
				words = append(words, unescapeXML(w[1]))
			}
			fmt.Fprintf(&sb, "%d %5.1f %5.1f %s\n", p+1, halfMM(m[1]), halfMM(m[2]), strings.Join(words, " "))
		}
	}
	return sb.String()
}

func halfMM(pt string) float64 {
	var v float64
	fmt.Sscan(pt, &v)
	mm := v * 25.4 / 72
	return float64(int(mm*2+0.5)) / 2
}

func unescapeXML(s string) string {
	return strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&quot;", `"`, "&apos;", "'").Replace(s)
}

// The layout golden lists every text line and every rule (the short lines
// under the issuing body, the motto and the subject) with its position.
func TestApprovalLayoutGolden(t *testing.T) {
	pdf := renderApproval(t, sampleData(t))
	golden(t, "approval.layout.golden", layoutOf(t, pdf)+rulesOf(t, pdf))
}

var (
	contentsRE = regexp.MustCompile(`/Contents (\d+) 0 R`)
	ruleRE     = regexp.MustCompile(`([\d.]+) ([\d.]+) m ([\d.]+) ([\d.]+) l S`)
)

// rulesOf lists the straight lines drawn on each page (gofpdf's Line:
// "x1 y1 m x2 y2 l S" in points from the bottom left) as "page rule x1 y1
// x2 y2" in mm from the top left, rounded to 0.5 mm.
func rulesOf(t *testing.T, pdf []byte) string {
	t.Helper()
	var sb strings.Builder
	for p, m := range contentsRE.FindAllSubmatch(pdf, -1) {
		obj := regexp.MustCompile(`\n` + string(m[1]) + ` 0 obj\n<</Filter /FlateDecode /Length (\d+)>>\nstream\n`)
		loc := obj.FindSubmatchIndex(pdf)
		if loc == nil {
			t.Fatalf("page %d: content stream %s not found", p+1, m[1])
		}
		n, _ := strconv.Atoi(string(pdf[loc[2]:loc[3]]))
		zr, err := zlib.NewReader(bytes.NewReader(pdf[loc[1] : loc[1]+n]))
		if err != nil {
			t.Fatal(err)
		}
		content, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range ruleRE.FindAllStringSubmatch(string(content), -1) {
			x1, y1, x2, y2 := halfMM(r[1]), 297-halfMM(r[2]), halfMM(r[3]), 297-halfMM(r[4])
			fmt.Fprintf(&sb, "%d rule %5.1f %5.1f %5.1f %5.1f\n", p+1, x1, y1, x2, y2)
		}
	}
	if sb.Len() == 0 {
		t.Fatal("no rules found in the PDF")
	}
	return sb.String()
}

// pages splits pdftotext output at form feeds.
func pages(text string) []string {
	return strings.Split(strings.TrimRight(text, "\f"), "\f")
}

func TestApprovalContent(t *testing.T) {
	data := sampleData(t)
	text := pdftotext(t, renderApproval(t, data), "-layout")
	for _, want := range []string{
		"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
		"Độc lập - Tự do - Hạnh phúc",
		"Quảng Ngãi, ngày 05 tháng 01 năm 2027",
		"Số: 05/QĐ-BCĐ",
		"QUYẾT ĐỊNH",
		"TRƯỞNG BAN CHỈ ĐẠO 138 TỈNH QUẢNG NGÃI",
		"Điều 1.", "Điều 2.", "Điều 3.",
		"Nơi nhận:", "- Như Điều 3;", "- Lưu: VT, CAT.",
		"TRƯỞNG BAN", "Trần Văn Minh",
		"Số liệu mẫu do máy sinh ngẫu nhiên",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q", want)
		}
	}
	for _, c := range data.Communes {
		if !strings.Contains(text, c.Name) {
			t.Errorf("text lacks commune %q", c.Name)
		}
	}

	ps := pages(text)
	if len(ps) < 2 {
		t.Fatalf("%d page(s); the sample must break the table across pages", len(ps))
	}
	pageNo := regexp.MustCompile(`^\s*(\d+)\s*$`)
	for i, p := range ps {
		first := strings.SplitN(strings.TrimLeft(p, "\n"), "\n", 2)[0]
		m := pageNo.FindStringSubmatch(first)
		switch {
		case i == 0 && m != nil:
			t.Errorf("page 1 starts with a page number %q", first)
		case i > 0 && (m == nil || m[1] != fmt.Sprint(i+1)):
			t.Errorf("page %d starts with %q, want its page number", i+1, first)
		}
	}
	header := regexp.MustCompile(`(?m)^\s*STT\s.*Loại địa bàn`)
	if n := len(header.FindAllString(ps[0], -1)); n != 1 {
		t.Errorf("page 1 has the table header %d times, want 1", n)
	}
	if n := len(header.FindAllString(ps[1], -1)); n != 2 {
		t.Errorf("page 2 has the table header %d times, want 2 (repeated header, then the second-year section's table)", n)
	}
}

func TestApprovalDeterministic(t *testing.T) {
	data := sampleData(t)
	a := renderApproval(t, data)
	var wg sync.WaitGroup
	outs := make([][]byte, 4)
	for i := range outs {
		wg.Go(func() { outs[i] = renderApproval(t, data) })
	}
	wg.Wait()
	for i, b := range outs {
		if !bytes.Equal(a, b) {
			t.Fatalf("render %d differs from the first (%d vs %d bytes)", i+1, len(b), len(a))
		}
	}
}

func TestApprovalWording(t *testing.T) {
	set, _ := newRenderer(t)
	data := sampleData(t)
	doc, err := set.Document("approval.tmpl", data)
	if err != nil {
		t.Fatal(err)
	}
	if doc.IssuingBody != "BAN CHỈ ĐẠO 138" || doc.Number != "05/QĐ-BCĐ" || doc.Signature.Name != "Trần Văn Minh" || !doc.Signature.Signed {
		t.Errorf("frame not taken from the data: %+v", doc)
	}
	// Article 1 lists the 26 new communes; the 4 continuing into their
	// second year follow, once each, in a section of their own.
	if got := len(doc.Articles); got != 4 {
		t.Fatalf("%d articles, want 3 and the second-year section", got)
	}
	tb := doc.Articles[0].Table
	if tb == nil || len(tb.Columns) != 4 || len(tb.Rows) != 26 {
		t.Fatalf("article 1 table = %+v, want 4 columns and 26 rows", tb)
	}
	if !strings.Contains(doc.Articles[0].Text, "30 xã, phường, thị trấn") || !strings.Contains(doc.Articles[0].Text, "năm 2027") ||
		!strings.Contains(doc.Articles[0].Text, "gồm 26 địa bàn thực hiện chuyển hóa năm thứ nhất và 4 địa bàn tiếp tục thực hiện chuyển hóa năm thứ hai") {
		t.Errorf("article 1 = %q", doc.Articles[0].Text)
	}
	if s := doc.Articles[1]; !s.Plain || s.Table == nil || len(s.Table.Rows) != 4 || s.Table.Rows[0][0] != "1" || !strings.Contains(s.Text, "năm thứ hai") {
		t.Errorf("second-year section = %+v", s)
	}
	if p := doc.Articles[2].Paragraphs; len(p) != 1 || !strings.Contains(p[0], "15/12/2026") || !strings.Contains(p[0], "14/6/2027") || !strings.Contains(p[0], "14/12/2027") {
		t.Errorf("article 2 paragraphs = %q", p)
	}
	if !strings.HasSuffix(doc.Articles[3].Text, "./.") {
		t.Errorf("article 3 does not end with \"./.\": %q", doc.Articles[3].Text)
	}
	if len(doc.Grounds) != 4 || !strings.HasPrefix(doc.Grounds[1], "Căn cứ Kế hoạch số 113/KH-BCA-V01") || !strings.HasPrefix(doc.Grounds[3], "Xét đề nghị") {
		t.Errorf("grounds = %q", doc.Grounds)
	}
	if doc.Footnote == "" {
		t.Error("synthetic data without footnote")
	}
	data.Synthetic = false
	for i := range data.Communes {
		data.Communes[i].District = "" // a two-tier province
	}
	doc, err = set.Document(templates.Approval, data)
	if err != nil {
		t.Fatal(err)
	}
	if doc.Footnote != "" {
		t.Errorf("footnote %q without synthetic data", doc.Footnote)
	}
	if tb := doc.Articles[0].Table; len(tb.Columns) != 3 || len(tb.Rows[0]) != 3 {
		t.Errorf("two-tier table has %d columns, %d cells, want 3", len(tb.Columns), len(tb.Rows[0]))
	}
	if strings.Contains(doc.Articles[2].Text+doc.Articles[3].Text, "huyện") {
		t.Errorf("two-tier wording mentions districts: %q", doc.Articles[2].Text+doc.Articles[3].Text)
	}
}

// errorCases are broken templates and the line each error must name.
var errorCases = []struct {
	name, src string
	line      int
	msg       string
}{
	{"unknown directive", "kind: QUYẾT ĐỊNH\n\nsubjet: Về việc\n", 3, `unknown directive "subjet"`},
	{"unknown after range", "{{range .Communes}}\nrecipient: {{.Name}};\n{{end}}\nfoo: bar\n", 4, `unknown directive "foo"`},
	{"no table", "article: Phê duyệt\ntable: districts\ncolumn: 10 C STT\n", 2, `table "districts": no such table`},
	{"exec error", "kind: QUYẾT ĐỊNH\nsubject: {{.NoSuchField}}\n", 2, "NoSuchField"},
	{"parse error", "kind: QUYẾT ĐỊNH\n{{.Year | nosuchfunc}}\n", 2, `function "nosuchfunc" not defined`},
	{"unclosed action", "kind: QUYẾT ĐỊNH\n\n{{if .Year}}\n", 4, "unexpected EOF"},
	{"not a directive", "kind: QUYẾT ĐỊNH\nCăn cứ Luật\n", 2, `want "directive: value"`},
	{"column count", "article: x\ntable: communes\ncolumn: 10 C STT\n", 2, "row 1 of the data has 4 cells, the template has 1 columns"},
	{"bad column", "article: x\ntable: communes\ncolumn: wide C STT\n", 3, `bad width "wide"`},
	{"continuation first", "{{/* c */}}\n  continued\n", 2, "continuation line before any directive"},
	{"trimmed lines", "kind: A\n{{- if .Year}}\nsubject: B\n{{- end}}\n{{- /* x */}}\n\nbad: 1\n", 7, `unknown directive "bad"`},
}

func TestTemplateErrorsNameFileAndLine(t *testing.T) {
	for _, tc := range errorCases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "approval.tmpl")
			if err := os.WriteFile(path, []byte(tc.src), 0o644); err != nil {
				t.Fatal(err)
			}
			set, err := templates.Load(dir)
			if err == nil {
				_, err = set.Document(templates.Approval, sampleData(t))
			}
			if err == nil {
				t.Fatal("no error")
			}
			var te *templates.Error
			if !errors.As(err, &te) {
				t.Fatalf("error %v (%T) is not a *templates.Error", err, err)
			}
			if te.File != path || te.Line != tc.line {
				t.Errorf("error at %s:%d, want %s:%d (%v)", te.File, te.Line, path, tc.line, err)
			}
			if want := fmt.Sprintf("%s:%d: ", path, tc.line); !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %q, want prefix %q and %q", err, want, tc.msg)
			}
		})
	}
}

func TestOverrideDirReplacesWording(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile("approval.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(src), "ground: Xét đề nghị của", "ground: Theo đề nghị của", 1)
	if edited == string(src) {
		t.Fatal("the ground to edit is gone from approval.tmpl")
	}
	if err := os.WriteFile(filepath.Join(dir, "approval.tmpl"), []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notice.tmpl"), []byte("kind: THÔNG BÁO\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	set, err := templates.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	// The override adds "notice" to the embedded templates.
	if got := "," + strings.Join(set.Names(), ",") + ","; !strings.Contains(got, ",approval,") || !strings.Contains(got, ",notice,") {
		t.Errorf("names = %s", got)
	}
	doc, err := set.Document(templates.Approval, sampleData(t))
	if err != nil {
		t.Fatal(err)
	}
	if got := doc.Grounds[len(doc.Grounds)-1]; !strings.HasPrefix(got, "Theo đề nghị của") {
		t.Errorf("last ground = %s, want the override's", got)
	}
	def, err := templates.Load("")
	if err != nil {
		t.Fatal(err)
	}
	doc, err = def.Document(templates.Approval, sampleData(t))
	if err != nil {
		t.Fatal(err)
	}
	if got := doc.Grounds[len(doc.Grounds)-1]; !strings.HasPrefix(got, "Xét đề nghị của") {
		t.Errorf("embedded wording changed by the override: last ground %q", got)
	}
	if _, err := templates.Load(filepath.Join(dir, "missing")); err == nil {
		t.Error("no error for a missing override directory")
	}
}

func TestDataMustImplementData(t *testing.T) {
	set, _ := newRenderer(t)
	if _, err := set.Document(templates.Approval, struct{}{}); err == nil || !strings.Contains(err.Error(), "does not implement templates.Data") {
		t.Errorf("err = %v", err)
	}
	if _, err := set.Document("nosuch", sampleData(t)); err == nil {
		t.Error("no error for an unknown template")
	}
}

// twoPages is the sample cut to a two-page decision.
func twoPages(b *testing.B) templates.ApprovalData {
	set, r := newRenderer(b)
	data := sampleData(b)
	data.Communes = data.Communes[:18]
	doc, err := set.Document(templates.Approval, data)
	if err != nil {
		b.Fatal(err)
	}
	if _, l, err := r.RenderLayout(doc); err != nil || l.Pages != 2 {
		b.Fatalf("%d pages (%v), want 2", l.Pages, err)
	}
	return data
}

// BenchmarkRenderApproval measures wording and rendering of a two-page decision.
func BenchmarkRenderApproval(b *testing.B) {
	set, r := newRenderer(b)
	data := twoPages(b)
	b.ReportAllocs()
	for b.Loop() {
		doc, err := set.Document(templates.Approval, data)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := r.Render(doc); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderApprovalParallel is BenchmarkRenderApproval from all Ps at once.
func BenchmarkRenderApprovalParallel(b *testing.B) {
	set, r := newRenderer(b)
	data := twoPages(b)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			doc, err := set.Document(templates.Approval, data)
			if err != nil {
				b.Error(err)
				return
			}
			if _, err := r.Render(doc); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// Every face must draw every Vietnamese letter: all vowels with all six
// tones, upper and lower case, and the whole Latin Extended Additional
// block of Vietnamese (U+1EA0-U+1EF9).
func TestFontsCoverVietnamese(t *testing.T) {
	set, err := templates.Load("")
	if err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	all.WriteString(document.VietnameseLetters + "ĂăĐđĨĩŨũƠơƯư" + document.NationalTitle + document.Motto)
	for r := rune(0x1EA0); r <= 0x1EF9; r++ {
		all.WriteRune(r)
	}
	for r := rune(0x20); r < 0x7f; r++ {
		all.WriteRune(r)
	}
	f := set.Fonts()
	for name, b := range map[string][]byte{"Regular": f.Regular, "Bold": f.Bold, "Italic": f.Italic, "BoldItalic": f.BoldItalic} {
		miss, err := document.Covers(b, all.String())
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if len(miss) > 0 {
			t.Errorf("%s lacks %d characters: %q", name, len(miss), string(miss))
		}
	}
	lic, err := os.ReadFile("fonts/LICENSE")
	if err != nil || !bytes.Contains(lic, []byte("SIL Open Font License")) {
		t.Errorf("fonts/LICENSE missing or not the OFL: %v", err)
	}
}
