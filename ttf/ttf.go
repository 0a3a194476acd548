// Package ttf reads TrueType fonts with glyf outlines — the Liberation
// Serif faces the documents are printed in, or the fonts an operator puts
// in their place — for what the product needs of them: package document
// measures text (character map, advance widths, vertical metrics) and
// package signing letters the sample seal (glyph outlines).
//
// It reads the table directory and the head, hhea, maxp, hmtx, cmap
// (formats 4 and 12, Unicode), loca and glyf tables, and nothing else: no
// hinting, kerning or OpenType layout. Fonts are outside input: Parse
// checks every offset it follows and returns an error for a malformed
// font; Glyph does the same for a malformed glyph. Neither panics
// (FuzzParse).
package ttf

import (
	"encoding/binary"
	"errors"
	"fmt"
	"iter"
	"slices"
)

// ErrNotTrueType is returned (wrapped) for input that is not a TrueType
// font with glyf outlines (e.g. an OpenType font with CFF outlines).
var ErrNotTrueType = errors.New("ttf: not a TrueType font with glyf outlines")

// Font is a parsed font. It refers to the bytes given to Parse, which
// must not change while it is used. It is safe for concurrent use.
type Font struct {
	unitsPerEm  int
	ascender    int // hhea, font units
	descender   int // hhea, font units, negative below the baseline
	numGlyphs   int
	advances    []uint16 // hmtx advance widths, one per long metric
	runes       []rune   // the characters the cmap maps to a glyph, ascending
	glyphs      []uint16 // their glyphs, parallel to runes
	loca        []uint32 // numGlyphs+1 offsets into glyf
	glyf        []byte
	indexToLong bool
}

// Parse reads the font in b.
func Parse(b []byte) (*Font, error) {
	if len(b) < 12 {
		return nil, fmt.Errorf("%w: %d bytes", ErrNotTrueType, len(b))
	}
	switch v := u32(b); v {
	case 0x00010000, 0x74727565: // 1.0, 'true'
	default:
		return nil, fmt.Errorf("%w: sfnt version %#08x", ErrNotTrueType, v)
	}
	n := int(u16(b[4:]))
	if len(b) < 12+16*n {
		return nil, fmt.Errorf("ttf: table directory of %d tables truncated", n)
	}
	tables := make(map[string][]byte, n)
	for i := range n {
		rec := b[12+16*i:]
		tag := string(rec[:4])
		off, size := uint64(u32(rec[8:])), uint64(u32(rec[12:]))
		if off+size > uint64(len(b)) {
			return nil, fmt.Errorf("ttf: table %q (%d bytes at %d) beyond the end of the font (%d bytes)", tag, size, off, len(b))
		}
		tables[tag] = b[off : off+size]
	}
	for _, tag := range []string{"head", "hhea", "maxp", "hmtx", "cmap", "loca", "glyf"} {
		if tables[tag] == nil {
			return nil, fmt.Errorf("%w: no %q table", ErrNotTrueType, tag)
		}
	}
	head, hhea, maxp := tables["head"], tables["hhea"], tables["maxp"]
	if len(head) < 54 || len(hhea) < 36 || len(maxp) < 6 {
		return nil, errors.New("ttf: head, hhea or maxp table truncated")
	}
	f := &Font{
		unitsPerEm:  int(u16(head[18:])),
		indexToLong: u16(head[50:]) == 1,
		ascender:    int(int16(u16(hhea[4:]))),
		descender:   int(int16(u16(hhea[6:]))),
		numGlyphs:   int(u16(maxp[4:])),
		glyf:        tables["glyf"],
	}
	if f.unitsPerEm < 16 || f.unitsPerEm > 16384 {
		return nil, fmt.Errorf("ttf: unitsPerEm %d outside 16-16384", f.unitsPerEm)
	}
	if f.numGlyphs == 0 {
		return nil, errors.New("ttf: no glyphs")
	}
	numH, hmtx := int(u16(hhea[34:])), tables["hmtx"]
	if numH == 0 || numH > f.numGlyphs || len(hmtx) < 4*numH {
		return nil, fmt.Errorf("ttf: hmtx table of %d bytes for %d metrics (%d glyphs)", len(hmtx), numH, f.numGlyphs)
	}
	f.advances = make([]uint16, numH)
	for i := range f.advances {
		f.advances[i] = u16(hmtx[4*i:])
	}
	if err := f.parseLoca(tables["loca"]); err != nil {
		return nil, err
	}
	if err := f.parseCmap(tables["cmap"]); err != nil {
		return nil, err
	}
	return f, nil
}

func (f *Font) parseLoca(loca []byte) error {
	f.loca = make([]uint32, f.numGlyphs+1)
	size := 2
	if f.indexToLong {
		size = 4
	}
	if len(loca) < size*len(f.loca) {
		return fmt.Errorf("ttf: loca table of %d bytes for %d glyphs", len(loca), f.numGlyphs)
	}
	for i := range f.loca {
		if f.indexToLong {
			f.loca[i] = u32(loca[4*i:])
		} else {
			f.loca[i] = 2 * uint32(u16(loca[2*i:]))
		}
	}
	return nil
}

// parseCmap reads the Unicode character map: format 12 from (3,10) or
// (0,*) when there is one, else format 4 from the first (3,1) or (0,*).
// Characters mapped to glyph 0 or to a glyph the font does not have are
// left out.
func (f *Font) parseCmap(t []byte) error {
	if len(t) < 4 {
		return errors.New("ttf: cmap table truncated")
	}
	n := int(u16(t[2:]))
	if len(t) < 4+8*n {
		return errors.New("ttf: cmap table truncated")
	}
	off4, off12 := -1, -1
	for i := range n {
		rec := t[4+8*i:]
		pid, eid, off := u16(rec), u16(rec[2:]), int(u32(rec[4:]))
		if off < 0 || off+4 > len(t) {
			continue
		}
		switch format := u16(t[off:]); {
		case format == 12 && (pid == 3 && eid == 10 || pid == 0):
			off12 = off
		case format == 4 && (pid == 3 && eid == 1 || pid == 0) && off4 < 0:
			off4 = off
		}
	}
	m := map[rune]uint16{}
	add := func(r rune, g uint32) {
		if g != 0 && int(g) < f.numGlyphs && r <= 0x10FFFF {
			m[r] = uint16(g)
		}
	}
	switch {
	case off12 >= 0:
		s := t[off12:]
		if len(s) < 16 {
			return errors.New("ttf: cmap format 12 truncated")
		}
		groups := uint64(u32(s[12:]))
		if uint64(len(s)) < 16+12*groups {
			return errors.New("ttf: cmap format 12 truncated")
		}
		total := uint32(0) // characters in the groups, which must not overlap
		for i := range int(groups) {
			g := s[16+12*i:]
			start, end, gid := u32(g), u32(g[4:]), u32(g[8:])
			if end < start || end > 0x10FFFF || total+(end-start) >= 0x110000 {
				return fmt.Errorf("ttf: cmap format 12 group %d (%#x-%#x) invalid", i, start, end)
			}
			total += end - start + 1
			for c := start; c <= end; c++ {
				add(rune(c), gid+(c-start))
			}
		}
	case off4 >= 0:
		s := t[off4:]
		if len(s) < 14 {
			return errors.New("ttf: cmap format 4 truncated")
		}
		segs := int(u16(s[6:])) / 2
		if len(s) < 16+8*segs {
			return errors.New("ttf: cmap format 4 truncated")
		}
		ends, starts := s[14:], s[16+2*segs:]
		deltas, ros := s[16+4*segs:], s[16+6*segs:]
		total := 0 // characters in the segments, which must not overlap
		for i := range segs {
			end, start := int(u16(ends[2*i:])), int(u16(starts[2*i:]))
			delta, ro := int(u16(deltas[2*i:])), int(u16(ros[2*i:]))
			if total += max(end-start+1, 0); total > 0x10000 {
				return errors.New("ttf: cmap format 4 segments overlap")
			}
			for c := start; c <= end && c != 0xFFFF; c++ {
				var id int
				if ro == 0 {
					id = (c + delta) & 0xFFFF
				} else {
					p := 16 + 6*segs + 2*i + ro + 2*(c-start)
					if p+2 > len(s) {
						continue
					}
					if id = int(u16(s[p:])); id != 0 {
						id = (id + delta) & 0xFFFF
					}
				}
				add(rune(c), uint32(id))
			}
		}
	default:
		return fmt.Errorf("%w: no Unicode cmap (format 4 or 12)", ErrNotTrueType)
	}
	f.runes = make([]rune, 0, len(m))
	for r := range m {
		f.runes = append(f.runes, r)
	}
	slices.Sort(f.runes)
	f.glyphs = make([]uint16, len(f.runes))
	for i, r := range f.runes {
		f.glyphs[i] = m[r]
	}
	return nil
}

// UnitsPerEm is the size of the em in font units (head).
func (f *Font) UnitsPerEm() int { return f.unitsPerEm }

// Ascender is the typographic ascent (hhea) in font units.
func (f *Font) Ascender() int { return f.ascender }

// Descender is the typographic descent (hhea) in font units, negative
// below the baseline.
func (f *Font) Descender() int { return f.descender }

// NumGlyphs is the number of glyphs (maxp); glyph 0 is the .notdef glyph
// drawn for characters the font lacks.
func (f *Font) NumGlyphs() int { return f.numGlyphs }

// GlyphIndex returns the glyph of r, or 0 when the font has none.
func (f *Font) GlyphIndex(r rune) uint16 {
	if i, ok := slices.BinarySearch(f.runes, r); ok {
		return f.glyphs[i]
	}
	return 0
}

// Runes yields the characters the font has a glyph for, in ascending
// order, with their glyphs.
func (f *Font) Runes() iter.Seq2[rune, uint16] {
	return func(yield func(rune, uint16) bool) {
		for i, r := range f.runes {
			if !yield(r, f.glyphs[i]) {
				return
			}
		}
	}
}

// Advance returns the advance width of glyph g in font units (glyphs past
// the last long metric share its width, as hmtx says).
func (f *Font) Advance(g uint16) int {
	return int(f.advances[min(int(g), len(f.advances)-1)])
}

// Point is a point of an outline in font units, y up; On tells whether
// it is on the curve or the control point of a quadratic Bézier curve.
type Point struct {
	X, Y float64
	On   bool
}

// Component is one glyph placed in a composite glyph: its points are
// mapped (x, y) → (M[0]x + M[2]y + DX, M[1]x + M[3]y + DY).
type Component struct {
	Glyph  uint16
	M      [4]float64
	DX, DY float64
}

// Glyph is a glyph's outline: either contours (a simple glyph) or
// components (a composite glyph, e.g. a letter with its marks), never
// both. An empty glyph (a space) has neither.
type Glyph struct {
	Contours   [][]Point
	Components []Component
}

// Glyph returns the outline of glyph g. A component placed by matching
// points (ARGS_ARE_XY_VALUES clear; not used by the fonts the product
// ships) is placed at offset 0.
func (f *Font) Glyph(g uint16) (Glyph, error) {
	if int(g) >= f.numGlyphs {
		return Glyph{}, fmt.Errorf("ttf: glyph %d of %d", g, f.numGlyphs)
	}
	start, end := f.loca[g], f.loca[g+1]
	if start == end {
		return Glyph{}, nil
	}
	if start > end || int64(end) > int64(len(f.glyf)) || end-start < 10 {
		return Glyph{}, fmt.Errorf("ttf: glyph %d at %d-%d outside the glyf table (%d bytes)", g, start, end, len(f.glyf))
	}
	b := f.glyf[start:end]
	nc := int(int16(u16(b)))
	var out Glyph
	var err error
	if nc < 0 {
		out.Components, err = composite(b[10:])
	} else {
		out.Contours, err = simple(b[10:], nc)
	}
	if err != nil {
		return Glyph{}, fmt.Errorf("ttf: glyph %d: %w", g, err)
	}
	return out, nil
}

var errTruncated = errors.New("truncated")

// simple reads the nc contours of a simple glyph from b (after the glyph
// header).
func simple(b []byte, nc int) ([][]Point, error) {
	if len(b) < 2*nc+2 {
		return nil, errTruncated
	}
	ends := make([]int, nc)
	for i := range ends {
		ends[i] = int(u16(b[2*i:]))
		if i > 0 && ends[i] <= ends[i-1] {
			return nil, fmt.Errorf("contour %d is empty or ends before the previous one", i)
		}
	}
	p := 2 * nc
	np := 0
	if nc > 0 {
		np = ends[nc-1] + 1
	}
	p += 2 + int(u16(b[p:])) // instructions
	flags := make([]byte, 0, np)
	for len(flags) < np {
		if p >= len(b) {
			return nil, errTruncated
		}
		fl := b[p]
		p++
		flags = append(flags, fl)
		if fl&8 != 0 { // REPEAT_FLAG
			if p >= len(b) {
				return nil, errTruncated
			}
			for k := 0; k < int(b[p]) && len(flags) < np; k++ {
				flags = append(flags, fl)
			}
			p++
		}
	}
	coords := func(short, same byte) ([]float64, error) {
		out := make([]float64, np)
		v := 0
		for i, fl := range flags {
			switch {
			case fl&short != 0:
				if p >= len(b) {
					return nil, errTruncated
				}
				d := int(b[p])
				p++
				if fl&same == 0 {
					d = -d
				}
				v += d
			case fl&same == 0:
				if p+2 > len(b) {
					return nil, errTruncated
				}
				v += int(int16(u16(b[p:])))
				p += 2
			}
			out[i] = float64(v)
		}
		return out, nil
	}
	xs, err := coords(2, 16)
	if err != nil {
		return nil, err
	}
	ys, err := coords(4, 32)
	if err != nil {
		return nil, err
	}
	out := make([][]Point, 0, nc)
	first := 0
	for _, e := range ends {
		c := make([]Point, 0, e+1-first)
		for i := first; i <= e; i++ {
			c = append(c, Point{xs[i], ys[i], flags[i]&1 != 0})
		}
		out = append(out, c)
		first = e + 1
	}
	return out, nil
}

// composite reads the components of a composite glyph from b (after the
// glyph header).
func composite(b []byte) ([]Component, error) {
	var out []Component
	p := 0
	for {
		if p+4 > len(b) {
			return nil, errTruncated
		}
		flags := u16(b[p:])
		c := Component{Glyph: u16(b[p+2:]), M: [4]float64{1, 0, 0, 1}}
		p += 4
		if flags&1 != 0 { // ARG_1_AND_2_ARE_WORDS
			if p+4 > len(b) {
				return nil, errTruncated
			}
			c.DX, c.DY = float64(int16(u16(b[p:]))), float64(int16(u16(b[p+2:])))
			p += 4
		} else {
			if p+2 > len(b) {
				return nil, errTruncated
			}
			c.DX, c.DY = float64(int8(b[p])), float64(int8(b[p+1]))
			p += 2
		}
		if flags&2 == 0 { // ARGS_ARE_XY_VALUES clear: point numbers, not offsets
			c.DX, c.DY = 0, 0
		}
		f2dot14 := func(i int) float64 { return float64(int16(u16(b[i:]))) / 16384 }
		switch {
		case flags&8 != 0: // WE_HAVE_A_SCALE
			if p+2 > len(b) {
				return nil, errTruncated
			}
			c.M[0], c.M[3] = f2dot14(p), f2dot14(p)
			p += 2
		case flags&0x40 != 0: // WE_HAVE_AN_X_AND_Y_SCALE
			if p+4 > len(b) {
				return nil, errTruncated
			}
			c.M[0], c.M[3] = f2dot14(p), f2dot14(p+2)
			p += 4
		case flags&0x80 != 0: // WE_HAVE_A_TWO_BY_TWO
			if p+8 > len(b) {
				return nil, errTruncated
			}
			c.M = [4]float64{f2dot14(p), f2dot14(p + 2), f2dot14(p + 4), f2dot14(p + 6)}
			p += 8
		}
		out = append(out, c)
		if flags&0x20 == 0 { // MORE_COMPONENTS
			return out, nil
		}
	}
}

func u16(b []byte) uint16 { return binary.BigEndian.Uint16(b) }
func u32(b []byte) uint32 { return binary.BigEndian.Uint32(b) }
