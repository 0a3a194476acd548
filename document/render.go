package document

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/jung-kurt/gofpdf"
)

// Page geometry of Decree 30, Appendix I: A4 portrait, margins in mm.
const (
	PageWidth    = 210.0
	PageHeight   = 297.0
	MarginTop    = 20.0
	MarginBottom = 20.0
	MarginLeft   = 30.0
	MarginRight  = 15.0

	textWidth = PageWidth - MarginLeft - MarginRight
	bottomY   = PageHeight - MarginBottom
	ptMM      = 25.4 / 72 // mm per point
	family    = "serif"
)

// The national title and motto (Quốc hiệu, Tiêu ngữ).
const (
	NationalTitle = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
	Motto         = "Độc lập - Tự do - Hạnh phúc"
)

// Type sizes (pt) and proportions of the layout.
const (
	sizeHeader        = 13.0 // issuing bodies, "Số:"
	sizeNational      = 12.0 // national title
	sizeMotto         = 13.0
	sizeBody          = 14.0 // date line, kind, subject, body, signature
	sizeTable         = 13.0
	sizeRecHead       = 12.0 // "Nơi nhận:" (Decree 30: 12pt bold italic)
	sizeRecipients    = 11.0
	sizeDraft         = 13.0
	sizePageNo        = 13.0
	sizeFootnote      = 10.0
	sizeSubjectLetter = 12.0 // a letter's "V/v …" under the number

	leadHeader = 1.15 // line height / type size
	leadBody   = 1.3
	leadTable  = 1.2

	leftColumn  = 0.4 * textWidth // header: issuing body column
	indent      = 10.0            // first-line indent of body paragraphs, mm
	ruleFrac    = 0.4             // short rules: 1/3 to 1/2 of the text above
	ruleWidth   = 0.3             // mm
	ruleGap     = 1.5             // from the bottom of a line box down to its rule, mm
	borderWidth = 0.2             // mm
	cellPadX    = 1.5             // mm
	cellPadY    = 1.0             // mm
	signGap     = 25.0            // mm left for the hand signature and seal
	sigColumn   = 75.0            // x offset of the signature column from the left margin, mm
	recColumn   = 72.0            // width of the "Nơi nhận:" column, mm
	closingGap  = 2.0             // between the last paragraph and the signature block, mm
)

var paraAfter = 6 * ptMM // Decree 30: at least 6pt between paragraphs

// Layout tells where the renderer put the parts that later steps fill in.
type Layout struct {
	// Pages is the number of pages.
	Pages int
	// Signature is the gap between the signer's title and name, where the
	// hand signature and the seal go.
	Signature Box
}

// Box is a rectangle on one page (numbered from 1), in mm from the
// top-left corner of the page.
type Box struct {
	Page       int
	X, Y, W, H float64
}

// Renderer lays out and writes Documents as PDF. It holds the parsed fonts;
// it is safe for concurrent use. Build one and render many documents.
type Renderer struct {
	fast *faceSet // the faces cut down to the characters of Vietnamese documents
	full *faceSet // the faces as given, for documents using other characters
}

// faceSet is one family of four faces with their metrics.
type faceSet struct {
	ttf [4][]byte
	m   [4]*metrics
	pre *preparedFonts // parsed gofpdf font state to clone per document; nil: parse per document
}

// ErrMissingGlyph is returned (wrapped) when a document uses a character
// that the fonts cannot draw.
var ErrMissingGlyph = errors.New("no glyph in the document fonts")

// NewRenderer parses fonts and checks that every face covers the
// Vietnamese alphabet and the fixed wording of the layout.
func NewRenderer(fonts Fonts) (*Renderer, error) {
	full := &faceSet{}
	for s := regular; s <= boldItalic; s++ {
		b := fonts.bytesOf(s)
		if len(b) == 0 {
			return nil, fmt.Errorf("document: %s font missing", s.name())
		}
		m, err := parseMetrics(b)
		if err != nil {
			return nil, fmt.Errorf("document: %s font: %w", s.name(), err)
		}
		if miss := m.missingRunes(requiredText()); len(miss) > 0 {
			return nil, fmt.Errorf("document: %s font lacks %d characters of Vietnamese documents, e.g. %q", s.name(), len(miss), string(miss[:min(len(miss), 10)]))
		}
		full.ttf[s], full.m[s] = bytes.Clone(b), m
	}
	fast := &faceSet{}
	for s := regular; s <= boldItalic; s++ {
		rep := repertoire(full.m[s])
		cut := gofpdf.UTF8CutFont(bytes.Clone(full.ttf[s]), rep)
		m, err := parseMetrics(cut)
		if err != nil || len(m.missingRunes(rep)) > 0 {
			fast = full // cannot cut this font: use it whole
			break
		}
		fast.ttf[s], fast.m[s] = cut, m
	}
	r := &Renderer{fast: fast, full: full}
	sets := []*faceSet{full}
	if fast != full {
		sets = append(sets, fast)
	}
	for _, fs := range sets {
		if err := fs.prepare(); err != nil {
			return nil, fmt.Errorf("document: fonts rejected by gofpdf: %w", err)
		}
	}
	return r, nil
}

func (s faceStyle) name() string {
	return [...]string{"regular", "bold", "italic", "bold italic"}[s]
}

// repertoire returns the characters of m that documents in Vietnamese
// normally use: ASCII, Latin-1, the Vietnamese letters and common
// punctuation and symbols. gofpdf re-reads the whole font file of every
// face for every document; subsetting the fonts to these characters up
// front took a two-page decision from about 14 to about 10 ms (measured
// before fontcache.go; BenchmarkRenderWholeFonts). A document using any
// other character is rendered with the whole fonts instead.
func repertoire(m *metrics) string {
	var sb strings.Builder
	add := func(r rune) {
		if _, ok := m.widths[r]; ok {
			sb.WriteRune(r)
		}
	}
	for r := rune(0x20); r <= 0xFF; r++ {
		add(r)
	}
	for _, r := range "ĂăĐđĨĩŨũƠơƯư" + "‐‑–—‘’‚“”„†‡•…‰′″‹›€№™−≈≠≤≥" {
		add(r)
	}
	for r := rune(0x1EA0); r <= 0x1EF9; r++ {
		add(r)
	}
	return sb.String()
}

// Render lays out doc and returns the PDF. The output depends only on doc:
// the same Document gives byte-identical PDFs (the PDF's creation date is
// doc.Date).
func (r *Renderer) Render(doc Document) ([]byte, error) {
	b, _, err := r.RenderLayout(doc)
	return b, err
}

// RenderLayout is Render that also reports where the signature gap is.
func (r *Renderer) RenderLayout(doc Document) ([]byte, Layout, error) {
	doc = doc.normalized()
	if err := doc.validate(); err != nil {
		return nil, Layout{}, fmt.Errorf("document: %w", err)
	}
	fs := r.fast
	if len(fs.missing(doc)) > 0 {
		fs = r.full
		if miss := fs.missing(doc); len(miss) > 0 {
			return nil, Layout{}, fmt.Errorf("document: %w: %q", ErrMissingGlyph, string(miss))
		}
	}
	w, err := newWriter(fs, doc)
	if err != nil {
		return nil, Layout{}, err
	}
	if err := w.document(doc); err != nil {
		return nil, Layout{}, fmt.Errorf("document: %w", err)
	}
	var buf bytes.Buffer
	buf.Grow(64 << 10)
	if err := w.pdf.Output(&buf); err != nil {
		return nil, Layout{}, fmt.Errorf("document: write pdf: %w", err)
	}
	w.layout.Pages = w.page
	return buf.Bytes(), w.layout, nil
}

func (d *Document) validate() error {
	for i, a := range d.Articles {
		t := a.Table
		if t == nil {
			continue
		}
		if len(t.Columns) == 0 {
			return fmt.Errorf("article %d: table has no columns", i+1)
		}
		fixed, shared := 0.0, 0
		for _, c := range t.Columns {
			switch {
			case c.Width < 0 || math.IsNaN(c.Width) || math.IsInf(c.Width, 0):
				return fmt.Errorf("article %d: column %q: bad width %v", i+1, c.Header, c.Width)
			case c.Width == 0:
				shared++
			}
			fixed += c.Width
			switch c.Align {
			case "", "L", "C", "R":
			default:
				return fmt.Errorf("article %d: column %q: alignment %q is not L, C or R", i+1, c.Header, c.Align)
			}
		}
		if fixed > textWidth+1e-6 || shared > 0 && textWidth-fixed < 5*float64(shared) {
			return fmt.Errorf("article %d: table columns (%.1f mm fixed) do not fit the %.0f mm text width", i+1, fixed, textWidth)
		}
		for j, row := range t.Rows {
			if len(row) != len(t.Columns) {
				return fmt.Errorf("article %d: table row %d has %d cells, want %d", i+1, j+1, len(row), len(t.Columns))
			}
		}
	}
	return nil
}

// eachString calls f with every string the layout prints.
func (d *Document) eachString(f func(string)) {
	for _, s := range []string{d.ParentBody, d.IssuingBody, d.Number, d.NumberSuffix, d.Place,
		d.Kind, d.Subject, d.Authority, d.Resolution, d.Footnote,
		d.Signature.Authority, d.Signature.Title, d.Signature.Name} {
		f(s)
	}
	for _, ss := range [][]string{d.Grounds, d.Recipients, d.Addressees} {
		for _, s := range ss {
			f(s)
		}
	}
	for _, a := range d.Articles {
		f(a.Heading)
		f(a.Text)
		for _, s := range a.Paragraphs {
			f(s)
		}
		if a.Table != nil {
			f(a.Table.Caption)
			for _, c := range a.Table.Columns {
				f(c.Header)
			}
			for _, row := range a.Table.Rows {
				for _, s := range row {
					f(s)
				}
			}
		}
	}
}

// missing returns the characters of d that some face of fs lacks (upper
// case included, as some fields are printed in upper case).
func (fs *faceSet) missing(d Document) []rune {
	var sb strings.Builder
	d.eachString(func(s string) {
		sb.WriteString(s)
		sb.WriteString(strings.ToUpper(s))
	})
	text := sb.String()
	seen := map[rune]bool{}
	var miss []rune
	for s := regular; s <= boldItalic; s++ {
		for _, r := range fs.m[s].missingRunes(text) {
			if !seen[r] {
				seen[r] = true
				miss = append(miss, r)
			}
		}
	}
	return miss
}

// requiredText is what every face must cover: printable ASCII, the
// no-break space, the Vietnamese letters and the fixed wording.
func requiredText() string {
	var sb strings.Builder
	for r := rune(0x20); r < 0x7f; r++ {
		sb.WriteRune(r)
	}
	sb.WriteString(nbsp + VietnameseLetters + NationalTitle + Motto + "Số: Điều Nơi nhận: (Dự thảo) ngày tháng năm")
	return sb.String()
}

// writer is the state of one document being laid out.
type writer struct {
	pdf    *gofpdf.Fpdf
	fs     *faceSet
	y      float64 // top of the next line, mm from the top of the page
	page   int
	layout Layout
}

func newWriter(fs *faceSet, doc Document) (*writer, error) {
	pdf := gofpdf.New("P", "mm", "A4", "")
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

// addFonts registers the four faces with pdf. Each document gets its own
// copy of the font bytes: gofpdf writes into the byte slices it is given
// while subsetting (padding tables in place), which races when the bytes
// are shared between goroutines.
func (fs *faceSet) addFonts(pdf *gofpdf.Fpdf) error {
	if fs.pre != nil {
		return fs.pre.install(pdf)
	}
	for s := regular; s <= boldItalic; s++ {
		pdf.AddUTF8FontFromBytes(family, s.String(), bytes.Clone(fs.ttf[s]))
	}
	return pdf.Error()
}

func (w *writer) newPage() {
	w.pdf.AddPage()
	w.page++
	w.y = MarginTop
	if w.page >= 2 {
		// Decree 30: page numbers from page 2, centred in the top margin.
		s := fmt.Sprint(w.page)
		x := MarginLeft + (textWidth-w.fs.textWidth(regular, sizePageNo, s))/2
		w.text(x, 13, regular, sizePageNo, s)
	}
}

func (w *writer) text(x, baseline float64, style faceStyle, size float64, s string) {
	w.pdf.SetFont(family, style.String(), size)
	w.pdf.Text(x, baseline, s)
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

func (w *writer) document(d Document) error {
	w.newPage()
	w.header(d)

	w.y += 5
	if d.Kind != "" {
		w.flow(para{spans: []span{{bold, strings.ToUpper(d.Kind)}}, size: sizeBody, align: 'C', leading: leadHeader})
	} else if len(d.Addressees) > 0 {
		w.addressees(d.Addressees)
	}
	if d.Subject != "" && d.Kind != "" {
		lines := w.flowBalanced(para{spans: []span{{bold, d.Subject}}, size: sizeBody, align: 'C', leading: leadHeader})
		half := ruleFrac * maxNatural(lines) / 2
		mid := MarginLeft + textWidth/2
		w.rule(mid-half, mid+half, w.y+ruleGap)
		w.y += ruleGap + 2
	}
	if d.Authority != "" {
		w.y += 4
		w.flow(para{spans: []span{{bold, strings.ToUpper(d.Authority)}}, size: sizeBody, align: 'C', leading: leadHeader, after: paraAfter})
	}
	w.y += 1
	for _, g := range d.Grounds {
		w.flow(para{spans: []span{{italic, g}}, size: sizeBody, align: 'J', indent: indent, leading: leadBody, after: paraAfter})
	}
	if d.Resolution != "" {
		w.y += 1
		w.flow(para{spans: []span{{bold, d.Resolution}}, size: sizeBody, align: 'C', leading: leadBody, after: paraAfter})
	}
	// The signature block does not go to a page of its own: the last two
	// lines of the last paragraph go with it.
	closing := w.layoutClosing(d)
	body := func(last bool, spans ...span) {
		p := para{spans: spans, size: sizeBody, align: 'J', indent: indent, leading: leadBody, after: paraAfter}
		if last {
			p.keep = closing.height()
		}
		w.flow(p)
	}
	number := 0
	for i, a := range d.Articles {
		lastArticle := i == len(d.Articles)-1
		if a.Heading != "" {
			w.flow(para{spans: []span{{bold, a.Heading}}, size: sizeBody, align: 'J', indent: indent, leading: leadBody, after: paraAfter})
		}
		switch {
		case !a.Plain:
			number++
			body(lastArticle && a.Table == nil && len(a.Paragraphs) == 0,
				span{bold, fmt.Sprintf("Điều %d.", number)}, span{regular, " " + a.Text})
		case a.Text != "":
			body(lastArticle && a.Table == nil && len(a.Paragraphs) == 0, span{regular, a.Text})
		}
		if a.Table != nil {
			if err := w.table(a.Table); err != nil {
				return fmt.Errorf("article %d: %w", i+1, err)
			}
			w.y += paraAfter
		}
		for j, p := range a.Paragraphs {
			body(lastArticle && j == len(a.Paragraphs)-1, span{regular, p})
		}
	}
	w.drawClosing(closing)
	if d.Footnote != "" {
		p := para{spans: []span{{italic, d.Footnote}}, size: sizeFootnote, align: 'L', leading: leadHeader}
		lines := w.lines(&p, textWidth)
		w.drawLines(&p, lines, MarginLeft, textWidth, PageHeight-8-float64(len(lines))*p.lineHeight())
	}
	return w.pdf.Error()
}

// header draws the two-column header: issuing body and number on the left,
// national title, motto and place-and-date on the right.
func (w *writer) header(d Document) {
	lx, lw := MarginLeft, leftColumn
	rx, rw := MarginLeft+leftColumn, textWidth-leftColumn
	block := func(x, width, top float64, style faceStyle, size float64, s string) (float64, float64) {
		p := para{spans: []span{{style, s}}, size: size, align: 'C', leading: leadHeader}
		lines := w.lines(&p, width)
		return w.drawLines(&p, lines, x, width, top), maxNatural(lines)
	}
	ly := MarginTop
	if d.ParentBody != "" {
		ly, _ = block(lx, lw, ly, regular, sizeHeader, strings.ToUpper(d.ParentBody))
	}
	if d.IssuingBody != "" {
		var iw float64
		ly, iw = block(lx, lw, ly, bold, sizeHeader, strings.ToUpper(d.IssuingBody))
		half := ruleFrac * iw / 2
		w.rule(lx+lw/2-half, lx+lw/2+half, ly+ruleGap)
	}
	ry, _ := block(rx, rw, MarginTop, bold, sizeNational, NationalTitle)
	ry, mw := block(rx, rw, ry, bold, sizeMotto, Motto)
	w.rule(rx+(rw-mw)/2, rx+(rw+mw)/2, ry+ruleGap)

	top := math.Max(ly, ry) + ruleGap + 2
	lh := sizeBody * ptMM * leadHeader
	base := w.baseline(top, lh, sizeBody)
	num := numberLine(d.Number, d.NumberSuffix)
	w.text(lx+(lw-w.fs.textWidth(regular, sizeHeader, num))/2, base, regular, sizeHeader, num)
	p := para{spans: []span{{italic, DateLine(d.Place, d.Date)}}, size: sizeBody, align: 'C', leading: leadHeader}
	w.y = w.drawLines(&p, w.lines(&p, rw), rx, rw, top)
	if d.Kind == "" && d.Subject != "" {
		// A letter's summary (trích yếu) under the number: "V/v …", 12pt.
		s := d.Subject
		if !strings.HasPrefix(s, "V/v") {
			s = "V/v " + s
		}
		vp := para{spans: []span{{regular, s}}, size: sizeSubjectLetter, align: 'C', leading: leadHeader}
		w.y = math.Max(w.y, w.drawLines(&vp, w.lines(&vp, lw), lx, lw, top+lh))
	}
}

// addressees draws "Kính gửi: X" (one addressee) or "Kính gửi:" with the
// addressees under it, "- X" each (several), centred as a block.
func (w *writer) addressees(names []string) {
	w.y += 2
	lead := "Kính gửi:"
	if len(names) == 1 {
		p := para{spans: []span{{regular, lead + " " + names[0]}}, size: sizeBody, align: 'C', leading: leadBody, after: paraAfter}
		w.flow(p)
		return
	}
	widest := w.fs.textWidth(regular, sizeBody, lead)
	for _, n := range names {
		widest = math.Max(widest, w.fs.textWidth(regular, sizeBody, "- "+n))
	}
	widest = math.Min(widest+w.fs.textWidth(regular, sizeBody, lead+" "), textWidth)
	x := MarginLeft + (textWidth-widest)/2
	lw := w.fs.textWidth(regular, sizeBody, lead+" ")
	lh := sizeBody * ptMM * leadBody
	w.text(x, w.baseline(w.y, lh, sizeBody), regular, sizeBody, lead)
	for _, n := range names {
		p := para{spans: []span{{regular, "- " + n}}, size: sizeBody, align: 'L', leading: leadBody, hang: w.fs.textWidth(regular, sizeBody, "- ")}
		lines := w.lines(&p, widest-lw)
		w.y = w.drawLines(&p, lines, x+lw, widest-lw, w.y)
	}
	w.y += paraAfter
}

// table draws t at the cursor, repeating its header row on every page.
func (w *writer) table(t *Table) error {
	widths := columnWidths(t.Columns)
	cell := func(style faceStyle, align byte, s string, width float64) (*para, []line) {
		p := &para{spans: []span{{style, s}}, size: sizeTable, align: align, leading: leadTable}
		return p, w.lines(p, width-2*cellPadX)
	}
	type row struct {
		paras []*para
		lines [][]line
		h     float64
	}
	lh := sizeTable * ptMM * leadTable
	mkRow := func(cells []string, header bool) row {
		r := row{paras: make([]*para, len(cells)), lines: make([][]line, len(cells))}
		n := 1
		for i, s := range cells {
			style, align := regular, alignOf(t.Columns[i].Align)
			if header {
				style, align = bold, 'C'
			}
			r.paras[i], r.lines[i] = cell(style, align, s, widths[i])
			n = max(n, len(r.lines[i]))
		}
		r.h = float64(n)*lh + 2*cellPadY
		return r
	}
	headers := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		headers[i] = c.Header
	}
	head := mkRow(headers, true)
	rows := make([]row, len(t.Rows))
	for i, cells := range t.Rows {
		rows[i] = mkRow(cells, false)
		if head.h+rows[i].h > bottomY-MarginTop-15 {
			return fmt.Errorf("table row %d is taller than a page", i+1)
		}
	}
	draw := func(r row) {
		x := MarginLeft
		w.pdf.SetLineWidth(borderWidth)
		for i := range r.paras {
			w.pdf.Rect(x, w.y, widths[i], r.h, "D")
			textH := float64(len(r.lines[i])) * lh
			w.drawLines(r.paras[i], r.lines[i], x+cellPadX, widths[i]-2*cellPadX, w.y+(r.h-textH)/2)
			x += widths[i]
		}
		w.y += r.h
	}
	var capLines []line
	var capPara para
	capH := 0.0
	if t.Caption != "" {
		capPara = para{spans: []span{{bold, t.Caption}}, size: sizeTable, align: 'C', leading: leadHeader, after: 1}
		capLines = w.lines(&capPara, textWidth)
		capH = float64(len(capLines))*capPara.lineHeight() + capPara.after
	}
	// Keep the caption, the header and the first row together.
	first := 0.0
	if len(rows) > 0 {
		first = rows[0].h
	}
	if w.y+capH+head.h+first > bottomY+1e-6 {
		w.newPage()
	}
	if capLines != nil {
		w.y = w.drawLines(&capPara, capLines, MarginLeft, textWidth, w.y) + capPara.after
	}
	draw(head)
	for _, r := range rows {
		if w.y+r.h > bottomY+1e-6 {
			w.newPage()
			draw(head)
		}
		draw(r)
	}
	return nil
}

func alignOf(a string) byte {
	if a == "" {
		return 'L'
	}
	return a[0]
}

// columnWidths gives the zero-width columns equal shares of what the fixed
// ones leave of the text width.
func columnWidths(cols []Column) []float64 {
	fixed, shared := 0.0, 0
	for _, c := range cols {
		fixed += c.Width
		if c.Width == 0 {
			shared++
		}
	}
	out := make([]float64, len(cols))
	for i, c := range cols {
		out[i] = c.Width
		if c.Width == 0 {
			out[i] = (textWidth - fixed) / float64(shared)
		}
	}
	return out
}

// closing is the signature block on the right and the distribution list
// on the left, laid out but not yet drawn.
type closing struct {
	auth, title, name, head, rec *para
	authL, titleL, nameL, headL  []line
	recL                         [][]line
	draft                        bool
	sigH, recH                   float64
}

func (w *writer) layoutClosing(d Document) *closing {
	c := &closing{draft: !d.Signature.Signed}
	sw := textWidth - sigColumn
	sig := func(s string) (*para, []line) {
		p := &para{spans: []span{{bold, s}}, size: sizeBody, align: 'C', leading: leadHeader}
		return p, w.lines(p, sw)
	}
	// The capacity may take several lines ("TM. ỦY BAN NHÂN DÂN" above
	// "KT. CHỦ TỊCH"): each "\n"-separated line is laid out on its own.
	for i, l := range strings.Split(strings.ToUpper(d.Signature.Authority), "\n") {
		p, ls := sig(strings.TrimSpace(l))
		if i == 0 {
			c.auth = p
		}
		c.authL = append(c.authL, ls...)
	}
	c.title, c.titleL = sig(strings.ToUpper(d.Signature.Title))
	c.name, c.nameL = sig(d.Signature.Name)
	lh := c.auth.lineHeight()
	c.sigH = float64(len(c.authL)+len(c.titleL))*lh + signGap + float64(len(c.nameL))*lh

	if len(d.Recipients) == 0 {
		return c
	}
	c.head = &para{spans: []span{{boldItalic, "Nơi nhận:"}}, size: sizeRecHead, align: 'L', leading: leadHeader}
	c.headL = w.lines(c.head, recColumn)
	c.rec = &para{size: sizeRecipients, align: 'L', leading: leadHeader, hang: w.fs.textWidth(regular, sizeRecipients, "- ")}
	c.recH = float64(len(c.headL)) * c.head.lineHeight()
	for _, r := range d.Recipients {
		if !strings.HasPrefix(r, "-") {
			r = "- " + r
		}
		c.rec.spans = []span{{regular, r}}
		ls := w.lines(c.rec, recColumn)
		c.recL = append(c.recL, ls)
		c.recH += float64(len(ls)) * c.rec.lineHeight()
	}
	return c
}

// height is the space the closing takes, with the gap above it.
func (c *closing) height() float64 { return closingGap + math.Max(c.sigH, c.recH) }

// drawClosing draws c at the cursor, on a new page if it does not fit;
// the two blocks start level with each other.
func (w *writer) drawClosing(c *closing) {
	sx, sw := MarginLeft+sigColumn, textWidth-sigColumn
	w.y += closingGap
	if w.y+math.Max(c.sigH, c.recH) > bottomY+1e-6 {
		w.newPage()
	}
	top := w.y
	if c.head != nil {
		// "Nơi nhận:" sits on the baseline of the signer's authority line.
		base := w.baseline(top, c.auth.lineHeight(), sizeBody)
		y := base - w.baseline(0, c.head.lineHeight(), sizeRecHead)
		y = w.drawLines(c.head, c.headL, MarginLeft, recColumn, y)
		for _, ls := range c.recL {
			y = w.drawLines(c.rec, ls, MarginLeft, recColumn, y)
		}
	}
	y := w.drawLines(c.auth, c.authL, sx, sw, top)
	y = w.drawLines(c.title, c.titleL, sx, sw, y)
	w.layout.Signature = Box{Page: w.page, X: sx, Y: y, W: sw, H: signGap}
	if c.draft {
		p := &para{spans: []span{{italic, "(Dự thảo)"}}, size: sizeDraft, align: 'C', leading: leadHeader}
		w.drawLines(p, w.lines(p, sw), sx, sw, y+(signGap-p.lineHeight())/2)
	}
	y = w.drawLines(c.name, c.nameL, sx, sw, y+signGap)
	w.y = math.Max(y, top+c.recH)
}
