package document

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"sort"
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

// String returns the gofpdf style string of s ("", "B", "I", "BI").
func (s faceStyle) String() string {
	return [...]string{"", "B", "I", "BI"}[s]
}

func (f Fonts) bytesOf(s faceStyle) []byte {
	return [...][]byte{f.Regular, f.Bold, f.Italic, f.BoldItalic}[s]
}

// metrics are the parts of a TrueType font the layout needs: which runes it
// maps to a glyph and their advance widths in 1/1000 em, rounded exactly as
// gofpdf rounds them for the PDF /W array, so that measured and drawn widths
// agree.
type metrics struct {
	widths      map[rune]int // advance in 1/1000 em; only runes with a glyph
	missing     int          // advance of glyph 0
	ascent      float64      // hhea ascender, 1/1000 em
	descent     float64      // hhea descender (negative), 1/1000 em
	unitsPerEm  int
	glyphByRune map[rune]uint16
}

var errNotTrueType = errors.New("not a TrueType font with glyf outlines")

// parseMetrics reads the head, hhea, maxp, hmtx and cmap tables of a TrueType font.
func parseMetrics(b []byte) (*metrics, error) {
	if len(b) < 12 {
		return nil, errNotTrueType
	}
	switch binary.BigEndian.Uint32(b) {
	case 0x00010000, 0x74727565: // 1.0, 'true'
	default:
		return nil, errNotTrueType
	}
	tables := map[string][]byte{}
	n := int(binary.BigEndian.Uint16(b[4:]))
	if len(b) < 12+16*n {
		return nil, errNotTrueType
	}
	for i := 0; i < n; i++ {
		rec := b[12+16*i:]
		tag := string(rec[:4])
		off := int(binary.BigEndian.Uint32(rec[8:]))
		size := int(binary.BigEndian.Uint32(rec[12:]))
		if off < 0 || size < 0 || off+size > len(b) {
			return nil, fmt.Errorf("table %q out of bounds", tag)
		}
		tables[tag] = b[off : off+size]
	}
	for _, tag := range []string{"head", "hhea", "maxp", "hmtx", "cmap", "glyf", "loca"} {
		if tables[tag] == nil {
			return nil, fmt.Errorf("%w: no %q table", errNotTrueType, tag)
		}
	}
	head, hhea, maxp, hmtx := tables["head"], tables["hhea"], tables["maxp"], tables["hmtx"]
	if len(head) < 54 || len(hhea) < 36 || len(maxp) < 6 {
		return nil, errors.New("truncated head, hhea or maxp table")
	}
	upem := int(binary.BigEndian.Uint16(head[18:]))
	if upem == 0 {
		return nil, errors.New("unitsPerEm is 0")
	}
	numHMetrics := int(binary.BigEndian.Uint16(hhea[34:]))
	numGlyphs := int(binary.BigEndian.Uint16(maxp[4:]))
	if numHMetrics == 0 || len(hmtx) < 4*numHMetrics {
		return nil, errors.New("truncated hmtx table")
	}
	advance := func(g uint16) int {
		i := int(g)
		if i >= numHMetrics {
			i = numHMetrics - 1
		}
		a := float64(binary.BigEndian.Uint16(hmtx[4*i:]))
		return int(math.Round(a * 1000 / float64(upem)))
	}
	cmap, err := parseCmap(tables["cmap"], numGlyphs)
	if err != nil {
		return nil, err
	}
	m := &metrics{
		widths:      make(map[rune]int, len(cmap)),
		missing:     advance(0),
		ascent:      float64(int16(binary.BigEndian.Uint16(hhea[4:]))) * 1000 / float64(upem),
		descent:     float64(int16(binary.BigEndian.Uint16(hhea[6:]))) * 1000 / float64(upem),
		unitsPerEm:  upem,
		glyphByRune: cmap,
	}
	for r, g := range cmap {
		m.widths[r] = advance(g)
	}
	return m, nil
}

// parseCmap returns the Unicode cmap: format 12 (3,10) when present, else
// format 4 from (3,1) or (0,*).
func parseCmap(t []byte, numGlyphs int) (map[rune]uint16, error) {
	if len(t) < 4 {
		return nil, errors.New("truncated cmap table")
	}
	n := int(binary.BigEndian.Uint16(t[2:]))
	var off4, off12 int = -1, -1
	for i := 0; i < n; i++ {
		if 4+8*i+8 > len(t) {
			return nil, errors.New("truncated cmap table")
		}
		rec := t[4+8*i:]
		pid, eid := binary.BigEndian.Uint16(rec), binary.BigEndian.Uint16(rec[2:])
		off := int(binary.BigEndian.Uint32(rec[4:]))
		if off+4 > len(t) {
			continue
		}
		format := binary.BigEndian.Uint16(t[off:])
		switch {
		case format == 12 && (pid == 3 && eid == 10 || pid == 0):
			off12 = off
		case format == 4 && (pid == 3 && eid == 1 || pid == 0) && off4 < 0:
			off4 = off
		}
	}
	out := map[rune]uint16{}
	switch {
	case off12 >= 0:
		s := t[off12:]
		if len(s) < 16 {
			return nil, errors.New("truncated cmap format 12")
		}
		groups := int(binary.BigEndian.Uint32(s[12:]))
		if len(s) < 16+12*groups {
			return nil, errors.New("truncated cmap format 12")
		}
		for i := 0; i < groups; i++ {
			g := s[16+12*i:]
			start, end := binary.BigEndian.Uint32(g), binary.BigEndian.Uint32(g[4:])
			gid := binary.BigEndian.Uint32(g[8:])
			for c := start; c <= end && c <= 0x10FFFF; c++ {
				if id := gid + (c - start); id != 0 && int(id) < numGlyphs {
					out[rune(c)] = uint16(id)
				}
			}
		}
	case off4 >= 0:
		s := t[off4:]
		if len(s) < 14 {
			return nil, errors.New("truncated cmap format 4")
		}
		segs := int(binary.BigEndian.Uint16(s[6:])) / 2
		if len(s) < 16+8*segs {
			return nil, errors.New("truncated cmap format 4")
		}
		ends, starts := s[14:], s[16+2*segs:]
		deltas, ros := s[16+4*segs:], s[16+6*segs:]
		for i := 0; i < segs; i++ {
			end := int(binary.BigEndian.Uint16(ends[2*i:]))
			start := int(binary.BigEndian.Uint16(starts[2*i:]))
			delta := int(binary.BigEndian.Uint16(deltas[2*i:]))
			ro := int(binary.BigEndian.Uint16(ros[2*i:]))
			for c := start; c <= end && c != 0xFFFF; c++ {
				var id int
				if ro == 0 {
					id = (c + delta) & 0xFFFF
				} else {
					p := 16 + 6*segs + 2*i + ro + 2*(c-start)
					if p+2 > len(s) {
						continue
					}
					id = int(binary.BigEndian.Uint16(s[p:]))
					if id != 0 {
						id = (id + delta) & 0xFFFF
					}
				}
				if id != 0 && id < numGlyphs {
					out[rune(c)] = uint16(id)
				}
			}
		}
	default:
		return nil, errors.New("no Unicode cmap (format 4 or 12)")
	}
	return out, nil
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
		if _, ok := m.widths[r]; !ok {
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
		if a, ok := m.widths[r]; ok {
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
