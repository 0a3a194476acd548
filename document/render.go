package document

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"

	"chuyenhoa/third_party/fpdf"
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
	pre [4]*fpdf.PreparedUTF8Font // nil: fpdf parses the face per document (see addFonts)
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
		cut := fpdf.UTF8CutFont(bytes.Clone(full.ttf[s]), rep)
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
		if err := fs.prepare(0); err != nil {
			return nil, fmt.Errorf("document: fonts rejected by fpdf: %w", err)
		}
	}
	return r, nil
}

func (s faceStyle) name() string {
	return [...]string{"regular", "bold", "italic", "bold italic"}[s]
}

// repertoire returns the characters of m that documents in Vietnamese
// normally use: ASCII, Latin-1, the Vietnamese letters and common
// punctuation and symbols. fpdf subsets a face for each new set of
// characters a document uses (see fontcache.go), reading its whole font
// file; cut down to these characters up front, the faces are a sixth of
// their size (BenchmarkRenderWholeFonts measures fpdf on the whole
// faces). A document using any other character is rendered with the
// whole faces instead.
func repertoire(m *metrics) string {
	var sb strings.Builder
	add := func(r rune) {
		if _, ok := m.advance(r); ok {
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
	var out pdfBytes
	if err := w.pdf.Output(&out); err != nil {
		return nil, Layout{}, fmt.Errorf("document: write pdf: %w", err)
	}
	w.layout.Pages = w.page
	return out.b, w.layout, nil
}

// pdfBytes collects what fpdf's Output writes: the whole file in one
// Write, so appending to nil allocates it once, at its size.
type pdfBytes struct{ b []byte }

func (p *pdfBytes) Write(b []byte) (int, error) {
	p.b = append(p.b, b...)
	return len(b), nil
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
// case included, as some fields are printed in upper case), ascending.
// Each distinct character is looked up once.
func (fs *faceSet) missing(d Document) []rune {
	var seenDense [denseRunes / 64]uint64
	var seenOther map[rune]bool
	var miss []rune
	check := func(r rune) {
		switch {
		case r < 0x20:
			return
		case r < denseRunes:
			if seenDense[r/64]&(1<<(r%64)) != 0 {
				return
			}
			seenDense[r/64] |= 1 << (r % 64)
		default:
			if seenOther[r] {
				return
			}
			if seenOther == nil {
				seenOther = map[rune]bool{}
			}
			seenOther[r] = true
		}
		for s := regular; s <= boldItalic; s++ {
			if _, ok := fs.m[s].advance(r); !ok {
				miss = append(miss, r)
				return
			}
		}
	}
	d.eachString(func(s string) {
		for _, r := range s {
			check(r)
			check(unicode.ToUpper(r))
		}
	})
	slices.Sort(miss)
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

// document lays d out in the order of Decree 30: the header (header.go),
// the kind, subject and authority, the grounds and articles flowed as
// paragraphs (flow.go), tables (table.go), and the closing (closing.go).
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
			// A heading stays with the first two lines of its section.
			h := para{spans: []span{{bold, a.Heading}}, size: sizeBody, align: 'J', indent: indent, leading: leadBody, after: paraAfter}
			h.keep = 2 * h.lineHeight()
			w.flow(h)
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
