package document

import (
	"fmt"
	"math"
	"strings"
	"time"

	"chuyenhoa/third_party/fpdf"
)

// writer is the state of one document being laid out.
type writer struct {
	pdf    *fpdf.Fpdf
	fs     *faceSet
	y      float64 // top of the next line, mm from the top of the page
	page   int
	layout Layout
	font   face // the font last set on the page
}

func newWriter(fs *faceSet, doc Document) (*writer, error) {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetMargins(MarginLeft, MarginTop, MarginRight)
	pdf.SetAutoPageBreak(false, MarginBottom)
	pdf.SetCatalogSort(true) // fonts in a fixed order: deterministic output
	created := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	if !doc.Date.IsZero() {
		y, m, d := doc.Date.Date()
		created = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
	pdf.SetCreationDate(created)
	pdf.SetModificationDate(created)
	pdf.SetTitle(strings.TrimSpace(doc.Kind+" "+doc.Number), true)
	pdf.SetSubject(doc.Subject, true)
	pdf.SetAuthor(doc.IssuingBody, true)
	pdf.SetLineCapStyle("butt")
	if err := fs.addFonts(pdf); err != nil {
		return nil, err
	}
	return &writer{pdf: pdf, fs: fs}, nil
}

func (w *writer) newPage() {
	w.pdf.AddPage()
	w.font = face{} // a new page's content stream sets its font again
	w.page++
	w.y = MarginTop
	if w.page >= 2 {
		// Decree 30: page numbers from page 2, centred in the top margin.
		s := fmt.Sprint(w.page)
		x := MarginLeft + (textWidth-w.fs.textWidth(regular, sizePageNo, s))/2
		w.text(x, 13, regular, sizePageNo, s)
	}
}

// text draws s with its baseline at y = baseline. The font is set only
// when it changes: fpdf writes a text-state operator for every SetFont,
// and the page's content stream (nothing else draws text in it, and it
// saves and restores no graphics state) keeps the font until the next.
func (w *writer) text(x, baseline float64, style faceStyle, size float64, s string) {
	if f := (face{style, size}); f != w.font {
		w.pdf.SetFont(family, style.String(), size)
		w.font = f
	}
	w.pdf.Text(x, baseline, s)
}

// face is a style and size of the document's font family.
type face struct {
	style faceStyle
	size  float64
}

func (w *writer) rule(x1, x2, y float64) {
	w.pdf.SetLineWidth(ruleWidth)
	w.pdf.Line(x1, y, x2, y)
}

// para is a paragraph to lay out.
type para struct {
	spans   []span
	size    float64 // pt
	align   byte    // 'L', 'C', 'R' or 'J' (justified; the last line left)
	indent  float64 // first-line indent, mm
	hang    float64 // left indent of the other lines, mm
	leading float64 // line height / type size
	after   float64 // space after the paragraph, mm
	keep    float64 // height of what must follow the last two lines on their page, mm
}

func (p *para) lineHeight() float64 { return p.size * ptMM * p.leading }

// lines lays p out in a box width mm wide.
func (w *writer) lines(p *para, width float64) []line {
	return w.fs.breakLines(w.fs.words(p.spans, p.size), p.size, width-p.indent, width-p.hang)
}

// baseline returns the baseline of a line whose box starts at top: the
// glyphs' extent (ascender to descender) is centred in the box.
func (w *writer) baseline(top, lineHeight, size float64) float64 {
	m := w.fs.m[regular]
	return top + lineHeight/2 + (m.ascent+m.descent)/2000*size*ptMM
}

// drawLines draws lines of p from top in the box [x, x+width], without
// page breaks, and returns the bottom.
func (w *writer) drawLines(p *para, lines []line, x, width, top float64) float64 {
	lh := p.lineHeight()
	for i, ln := range lines {
		off := p.hang
		if i == 0 {
			off = p.indent
		}
		w.drawLine(ln, p, x+off, width-off, w.baseline(top, lh, p.size))
		top += lh
	}
	return top
}

// flow draws p at the cursor across the text width, breaking pages as needed.
func (w *writer) flow(p para) []line {
	lines := w.lines(&p, textWidth)
	lh := p.lineHeight()
	tail := max(len(lines)-2, 0) // the lines kept with what follows
	for i := range lines {
		need := lh
		if p.keep > 0 && i == tail && w.y > MarginTop+1e-6 {
			need = float64(len(lines)-tail)*lh + p.after + p.keep
		}
		if w.y+need > bottomY+1e-6 {
			w.newPage()
		}
		w.y = w.drawLines(&p, lines[i:i+1:i+1], MarginLeft, textWidth, w.y)
		if i == 0 {
			p.indent = p.hang // the first line is done
		}
	}
	w.y += p.after
	return lines
}

// flowBalanced draws the centred paragraph p at the cursor in the narrowest
// width that keeps its number of lines, so that a wrapped title has lines
// of similar length instead of a long line and a short one.
func (w *writer) flowBalanced(p para) []line {
	lines := w.lines(&p, textWidth)
	if len(lines) < 2 {
		return w.flow(p)
	}
	lo, hi := 0.0, textWidth
	for hi-lo > 0.5 {
		mid := (lo + hi) / 2
		if len(w.lines(&p, mid)) == len(lines) {
			hi = mid
		} else {
			lo = mid
		}
	}
	lines = w.lines(&p, hi)
	lh := p.lineHeight()
	for i := range lines {
		if w.y+lh > bottomY+1e-6 {
			w.newPage()
		}
		w.y = w.drawLines(&p, lines[i:i+1:i+1], MarginLeft, textWidth, w.y)
	}
	w.y += p.after
	return lines
}

// drawLine draws one line with its left edge at x in a box width mm wide.
func (w *writer) drawLine(ln line, p *para, x, width, baseline float64) {
	extra := 0.0
	switch p.align {
	case 'C':
		x += (width - ln.natural) / 2
	case 'R':
		x += width - ln.natural
	case 'J':
		if !ln.last && len(ln.words) > 1 {
			extra = (width - ln.natural) / float64(len(ln.words)-1)
		}
	}
	if extra <= 0 {
		// One text object per run of a face, spaces included.
		var run strings.Builder
		var runStyle faceStyle
		var runX, runW float64
		flush := func() {
			if run.Len() > 0 {
				w.text(runX, baseline, runStyle, p.size, run.String())
			}
			run.Reset()
			runX += runW
			runW = 0
		}
		runX = x
		for i, wd := range ln.words {
			for _, pc := range wd.pieces {
				if run.Len() > 0 && pc.style != runStyle {
					flush()
				}
				runStyle = pc.style
				run.WriteString(pc.text)
				runW += pc.w
			}
			if i < len(ln.words)-1 {
				run.WriteByte(' ')
				runW += wd.space
			}
		}
		flush()
		return
	}
	// Justified: each word placed on its own, the slack shared by the gaps.
	for _, wd := range ln.words {
		px := x
		for _, pc := range wd.pieces {
			w.text(px, baseline, pc.style, p.size, pc.text)
			px += pc.w
		}
		x += wd.w + wd.space + extra
	}
}

// maxNatural returns the width of the widest line.
func maxNatural(lines []line) float64 {
	m := 0.0
	for _, l := range lines {
		m = math.Max(m, l.natural)
	}
	return m
}
