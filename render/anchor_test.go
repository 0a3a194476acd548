package render_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"codeberg.org/go-pdf/fpdf"

	"chuyenhoa/document"
	"chuyenhoa/render"
)

// plainFpdf writes doc the way a first-time user of fpdf would: a new
// document with the four faces added from their bytes, the header in two
// MultiCell columns, each paragraph a justified MultiCell, the table a
// row of bordered CellFormat cells per row, the closing in two columns.
// It is the anchor of the render benchmarks (scripts/bench.sh prints the
// ratio): the same words, the same fonts and about the same pages, with
// the upstream library as it comes, so that the ratio does not depend on
// the machine. It does not claim to be a Decree 30 layout.
func plainFpdf(doc document.Document, fonts document.Fonts) ([]byte, int, error) {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetMargins(document.MarginLeft, document.MarginTop, document.MarginRight)
	pdf.SetAutoPageBreak(true, document.MarginBottom)
	pdf.AddUTF8FontFromBytes("serif", "", fonts.Regular)
	pdf.AddUTF8FontFromBytes("serif", "B", fonts.Bold)
	pdf.AddUTF8FontFromBytes("serif", "I", fonts.Italic)
	pdf.AddUTF8FontFromBytes("serif", "BI", fonts.BoldItalic)
	pdf.AddPage()
	const width = document.PageWidth - document.MarginLeft - document.MarginRight
	left, right := 0.4*width, 0.6*width

	pdf.SetFont("serif", "", 13)
	pdf.MultiCell(left, 6, strings.ToUpper(doc.ParentBody), "", "C", false)
	pdf.SetFont("serif", "B", 13)
	pdf.MultiCell(left, 6, strings.ToUpper(doc.IssuingBody), "", "C", false)
	pdf.SetFont("serif", "", 13)
	pdf.MultiCell(left, 6, "Số: "+doc.Number, "", "C", false)
	pdf.SetXY(document.MarginLeft+left, document.MarginTop)
	pdf.SetFont("serif", "B", 12)
	pdf.MultiCell(right, 6, document.NationalTitle, "", "C", false)
	pdf.SetX(document.MarginLeft + left)
	pdf.SetFont("serif", "B", 13)
	pdf.MultiCell(right, 6, document.Motto, "", "C", false)
	pdf.SetX(document.MarginLeft + left)
	pdf.SetFont("serif", "I", 14)
	pdf.MultiCell(right, 7, document.DateLine(doc.Place, doc.Date), "", "C", false)
	pdf.Ln(6)

	pdf.SetFont("serif", "B", 14)
	pdf.MultiCell(width, 7, strings.ToUpper(doc.Kind), "", "C", false)
	pdf.MultiCell(width, 7, doc.Subject, "", "C", false)
	pdf.Ln(4)
	pdf.MultiCell(width, 7, strings.ToUpper(doc.Authority), "", "C", false)
	pdf.SetFont("serif", "I", 14)
	for _, g := range doc.Grounds {
		pdf.MultiCell(width, 7, g, "", "J", false)
	}
	pdf.SetFont("serif", "B", 14)
	pdf.MultiCell(width, 7, doc.Resolution, "", "C", false)
	n := 0
	for _, a := range doc.Articles {
		if a.Heading != "" {
			pdf.SetFont("serif", "B", 14)
			pdf.MultiCell(width, 7, a.Heading, "", "J", false)
		}
		pdf.SetFont("serif", "", 14)
		if a.Plain {
			pdf.MultiCell(width, 7, a.Text, "", "J", false)
		} else {
			n++
			pdf.MultiCell(width, 7, fmt.Sprintf("Điều %d. %s", n, a.Text), "", "J", false)
		}
		if t := a.Table; t != nil {
			ws := make([]float64, len(t.Columns))
			fixed, shared := 0.0, 0
			for i, c := range t.Columns {
				ws[i], fixed = c.Width, fixed+c.Width
				if c.Width == 0 {
					shared++
				}
			}
			for i := range ws {
				if ws[i] == 0 {
					ws[i] = (width - fixed) / float64(shared)
				}
			}
			pdf.SetFont("serif", "B", 13)
			for i, c := range t.Columns {
				pdf.CellFormat(ws[i], 8, c.Header, "1", 0, "C", false, 0, "")
			}
			pdf.Ln(-1)
			pdf.SetFont("serif", "", 13)
			for _, row := range t.Rows {
				for i, cell := range row {
					pdf.CellFormat(ws[i], 7, cell, "1", 0, t.Columns[i].Align, false, 0, "")
				}
				pdf.Ln(-1)
			}
		}
		for _, p := range a.Paragraphs {
			pdf.MultiCell(width, 7, p, "", "J", false)
		}
	}
	pdf.Ln(4)
	top := pdf.GetY()
	pdf.SetFont("serif", "BI", 12)
	pdf.MultiCell(72, 6, "Nơi nhận:", "", "L", false)
	pdf.SetFont("serif", "", 11)
	for _, r := range doc.Recipients {
		pdf.MultiCell(72, 5, "- "+r, "", "L", false)
	}
	pdf.SetXY(document.MarginLeft+75, top)
	pdf.SetFont("serif", "B", 14)
	sig := doc.Signature
	pdf.MultiCell(width-75, 7, strings.ToUpper(sig.Authority)+"\n"+strings.ToUpper(sig.Title)+"\n\n\n\n"+sig.Name, "", "C", false)
	var buf bytes.Buffer
	err := pdf.Output(&buf)
	return buf.Bytes(), pdf.PageNo(), err
}

// BenchmarkRenderPlainFpdf is the anchor of BenchmarkRenderAndSign: the
// same approval decision's text written with plain fpdf (plainFpdf), one
// new document with its fonts added per op, without signatures.
func BenchmarkRenderPlainFpdf(b *testing.B) {
	r, err := render.New("")
	if err != nil {
		b.Fatal(err)
	}
	set := r.Templates()
	doc, err := r.Document(approval(b))
	if err != nil {
		b.Fatal(err)
	}
	if _, pages, err := plainFpdf(doc, set.Fonts()); err != nil || pages != 2 {
		b.Fatalf("%d pages, %v; want the two pages of the decision", pages, err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := plainFpdf(doc, set.Fonts()); err != nil {
			b.Fatal(err)
		}
	}
}

// The anchor writes the words of the decision.
func TestPlainFpdfAnchor(t *testing.T) {
	r, err := render.New("")
	if err != nil {
		t.Fatal(err)
	}
	set := r.Templates()
	doc, err := r.Document(approval(t))
	if err != nil {
		t.Fatal(err)
	}
	pdf, pages, err := plainFpdf(doc, set.Fonts())
	if err != nil || pages != 2 {
		t.Fatalf("%d pages, %v", pages, err)
	}
	text := strings.Join(strings.Fields(pdfText(t, pdf)), " ")
	for _, want := range []string{"BAN CHỈ ĐẠO 138", "Độc lập - Tự do - Hạnh phúc", "Điều 1.", "Nơi nhận:", doc.Articles[0].Table.Rows[24][1]} {
		if !strings.Contains(text, want) {
			t.Errorf("the anchor's PDF lacks %q", want)
		}
	}
}
