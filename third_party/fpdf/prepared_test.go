// This file is not part of fpdf v0.12.0: chuyenhoa's tests of its changes
// (see README.md).

package fpdf

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	upstream "codeberg.org/go-pdf/fpdf"
)

func liberation(t testing.TB, face string) []byte {
	t.Helper()
	b, err := os.ReadFile("../../templates/fonts/LiberationSerif-" + face + ".ttf")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// pdfAPI is the part of the API the test documents use, which this copy
// and the upstream module share.
type pdfAPI interface {
	AddPage()
	SetFont(family, style string, size float64)
	Text(x, y float64, s string)
	SetCompression(bool)
	SetCatalogSort(bool)
	SetCreationDate(time.Time)
	SetModificationDate(time.Time)
	Output(w io.Writer) error
}

var (
	_ pdfAPI = (*Fpdf)(nil)
	_ pdfAPI = (*upstream.Fpdf)(nil)
)

// write draws lines in the regular and bold faces of family "serif".
func write(t testing.TB, pdf pdfAPI, lines ...string) []byte {
	t.Helper()
	day := time.Date(2027, 1, 5, 0, 0, 0, 0, time.UTC)
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(day)
	pdf.SetModificationDate(day)
	pdf.AddPage()
	for i, s := range lines {
		style := ""
		if i%2 == 1 {
			style = "B"
		}
		pdf.SetFont("serif", style, 12)
		pdf.Text(20, 20+10*float64(i), s)
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var texts = [][]string{
	{"Quyết định phê duyệt danh sách địa bàn", "TRƯỞNG BAN CHỈ ĐẠO 138"},
	{"Căn cứ Kế hoạch số 113/KH-BCA-V01 ngày 22/3/2021;", "Điều 1. Phê duyệt"},
	{"Xã Tịnh Kỳ, huyện Sơn Tịnh — “thí điểm” …", "Nơi nhận: Lưu: VT, CAT."},
	{"Tỷ lệ α ≥ 80% (Ω)", "ỳỷỹỵ ỲỶỸỴ"},
}

// A prepared font gives byte for byte the PDF of AddUTF8FontFromBytes,
// in this copy and in the upstream module, whether its embedding comes
// from the cache or is built.
func TestPreparedSameBytesAsUpstream(t *testing.T) {
	reg, bold := liberation(t, "Regular"), liberation(t, "Bold")
	pr, err := PrepareUTF8Font("serif", "", reg, UTF8FontOptions{CacheSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	pb, err := PrepareUTF8Font("serif", "B", bold, UTF8FontOptions{CacheSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	for round := 0; round < 2; round++ { // the second round hits the cache but for the evicted sets
		for i, lines := range texts {
			up := upstream.New("P", "mm", "A4", "")
			up.AddUTF8FontFromBytes("serif", "", bytes.Clone(reg))
			up.AddUTF8FontFromBytes("serif", "B", bytes.Clone(bold))
			want := write(t, up, lines...)

			plain := New("P", "mm", "A4", "")
			plain.AddUTF8FontFromBytes("serif", "", bytes.Clone(reg))
			plain.AddUTF8FontFromBytes("serif", "B", bytes.Clone(bold))
			if got := write(t, plain, lines...); !bytes.Equal(got, want) {
				t.Fatalf("round %d, text %d: this copy's AddUTF8FontFromBytes differs from upstream's (%d vs %d bytes)", round, i, len(got), len(want))
			}

			prep := New("P", "mm", "A4", "")
			prep.AddPreparedUTF8Font(pr)
			prep.AddPreparedUTF8Font(pb)
			if got := write(t, prep, lines...); !bytes.Equal(got, want) {
				t.Fatalf("round %d, text %d: prepared fonts differ from upstream's AddUTF8FontFromBytes (%d vs %d bytes)", round, i, len(got), len(want))
			}
		}
	}
	if n := len(pr.cache); n != 2 {
		t.Errorf("%d sets kept, CacheSize is 2", n)
	}
}

// Documents sharing prepared fonts from many goroutines get the PDFs
// they get one at a time (run with -race).
func TestPreparedConcurrent(t *testing.T) {
	pr, err := PrepareUTF8Font("serif", "", liberation(t, "Regular"), UTF8FontOptions{CacheSize: 3})
	if err != nil {
		t.Fatal(err)
	}
	pb, err := PrepareUTF8Font("serif", "B", liberation(t, "Bold"), UTF8FontOptions{CacheSize: 3})
	if err != nil {
		t.Fatal(err)
	}
	render := func(lines []string) []byte {
		pdf := New("P", "mm", "A4", "")
		pdf.AddPreparedUTF8Font(pr)
		pdf.AddPreparedUTF8Font(pb)
		return write(t, pdf, lines...)
	}
	docs := append([][]string(nil), texts...)
	for i := 0; i < 4; i++ { // more sets than the cache keeps: misses and evictions too
		docs = append(docs, []string{fmt.Sprintf("Phường Nghĩa Lộ %d", i), strings.Repeat("Ơ", i+1)})
	}
	want := make([][]byte, len(docs))
	for i, d := range docs {
		want[i] = render(d)
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Go(func() {
			for k := range 3 * len(docs) {
				i := (g + k) % len(docs)
				if got := render(docs[i]); !bytes.Equal(got, want[i]) {
					t.Errorf("goroutine %d: document %d differs", g, i)
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestPrepareRejectsGarbage(t *testing.T) {
	reg := liberation(t, "Regular")
	for name, b := range map[string][]byte{
		"empty":     nil,
		"text":      []byte("not a font at all"),
		"truncated": reg[:2000],
	} {
		if _, err := PrepareUTF8Font("serif", "", b, UTF8FontOptions{}); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// BenchmarkCompress compresses a page's worth of content with the pooled
// compressor.
func BenchmarkCompress(b *testing.B) {
	data := bytes.Repeat([]byte("BT /F1 12 Tf 56.69 785.20 Td (Quyết định) Tj ET\n"), 400)
	b.ReportAllocs()
	for b.Loop() {
		xmem.compress(data).release()
	}
}
