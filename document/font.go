package document

import (
	"math"
	"sort"

	"chuyenhoa/ttf"
)

// Fonts holds the TrueType (.ttf, glyf outlines) bytes of the four faces of one
// Times-metric family, e.g. Liberation Serif. All four are required: the
// Decree 30 layout uses every one of them.
type Fonts struct {
	Regular, Bold, Italic, BoldItalic []byte
}

// faceStyle selects one of the four faces of Fonts.
type faceStyle int

// The four faces, in the order of the fields of Fonts.
const (
	regular faceStyle = iota
	bold
	italic
	boldItalic
)

// String returns the fpdf style string of s ("", "B", "I", "BI").
func (s faceStyle) String() string {
	return [...]string{"", "B", "I", "BI"}[s]
}

func (f Fonts) bytesOf(s faceStyle) []byte {
	return [...][]byte{f.Regular, f.Bold, f.Italic, f.BoldItalic}[s]
}

// metrics are the parts of a TrueType font the layout needs: which runes it
// maps to a glyph and their advance widths in 1/1000 em, rounded exactly as
// fpdf rounds them for the PDF /W array, so that measured and drawn widths
// agree. The font is read by package ttf.
type metrics struct {
	dense   []int32      // advance by rune below len(dense); -1: no glyph
	sparse  map[rune]int // advance of the runes from len(dense) on that have a glyph
	missing int          // advance of glyph 0
	ascent  float64      // hhea ascender, 1/1000 em
	descent float64      // hhea descender (negative), 1/1000 em
}

// denseRunes covers Latin, Vietnamese (U+1EA0-U+1EF9) and the general
// punctuation in a table; the layout looks up every rune it measures.
const denseRunes = 0x2300

// parseMetrics reads the metrics of the TrueType font b.
func parseMetrics(b []byte) (*metrics, error) {
	f, err := ttf.Parse(b)
	if err != nil {
		return nil, err
	}
	upem := float64(f.UnitsPerEm())
	advance := func(g uint16) int { return int(math.Round(float64(f.Advance(g)) * 1000 / upem)) }
	m := &metrics{
		dense:   make([]int32, denseRunes),
		sparse:  map[rune]int{},
		missing: advance(0),
		ascent:  float64(f.Ascender()) * 1000 / upem,
		descent: float64(f.Descender()) * 1000 / upem,
	}
	for i := range m.dense {
		m.dense[i] = -1
	}
	for r, g := range f.Runes() {
		if r < denseRunes {
			m.dense[r] = int32(advance(g))
		} else {
			m.sparse[r] = advance(g)
		}
	}
	return m, nil
}

// advance returns the advance of r in 1/1000 em, and whether the font has
// a glyph for r.
func (m *metrics) advance(r rune) (int, bool) {
	if r >= 0 && r < denseRunes {
		if a := m.dense[r]; a >= 0 {
			return int(a), true
		}
		return 0, false
	}
	a, ok := m.sparse[r]
	return a, ok
}

// Covers reports which runes of s the font bytes have no glyph for, in
// ascending order; nil means every rune is covered. Control characters are
// ignored. It is meant for checking a font before handing it to NewRenderer.
func Covers(font []byte, s string) ([]rune, error) {
	m, err := parseMetrics(font)
	if err != nil {
		return nil, err
	}
	return m.missingRunes(s), nil
}

func (m *metrics) missingRunes(s string) []rune {
	seen := map[rune]bool{}
	var miss []rune
	for _, r := range s {
		if r < 0x20 || seen[r] {
			continue
		}
		seen[r] = true
		if _, ok := m.advance(r); !ok {
			miss = append(miss, r)
		}
	}
	sort.Slice(miss, func(i, j int) bool { return miss[i] < miss[j] })
	return miss
}

// width returns the advance of s in 1/1000 em.
func (m *metrics) width(s string) int {
	w := 0
	for _, r := range s {
		if a, ok := m.advance(r); ok {
			w += a
		} else {
			w += m.missing
		}
	}
	return w
}

// VietnameseLetters is the Vietnamese alphabet in lower and upper case,
// every vowel with each of its six tones, all in composed (NFC) form. Every
// face given to NewRenderer must have a glyph for each of them.
const VietnameseLetters = "aáàảãạăắằẳẵặâấầẩẫậeéèẻẽẹêếềểễệiíìỉĩịoóòỏõọôốồổỗộơớờởỡợuúùủũụưứừửữựyýỳỷỹỵbcdđghklmnpqrstvx" +
	"AÁÀẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬEÉÈẺẼẸÊẾỀỂỄỆIÍÌỈĨỊOÓÒỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢUÚÙỦŨỤƯỨỪỬỮỰYÝỲỶỸỴBCDĐGHKLMNPQRSTVX"
