package ttf

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"testing"

	"chuyenhoa/third_party/fpdf"
)

var faces = []string{"Regular", "Bold", "Italic", "BoldItalic"}

func liberation(t testing.TB, face string) []byte {
	t.Helper()
	b, err := os.ReadFile("../templates/fonts/LiberationSerif-" + face + ".ttf")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// vietnamese are letters with the tone marks of Vietnamese, upper and
// lower case, and đ.
const vietnamese = "ảẠắẰẳẴặấẦẩẪậẹẺẽẾềỂễỆỉỊọỎốỒổỖộớỜởỠợụỦứỪửỮựỳỴỷỸđĐ"

// The shipped Liberation Serif 2.1.5: the metrics every face shares, and
// every Vietnamese letter mapped to a glyph with an outline.
func TestLiberationSerif(t *testing.T) {
	for _, face := range faces {
		f, err := Parse(liberation(t, face))
		if err != nil {
			t.Fatalf("%s: %v", face, err)
		}
		if f.UnitsPerEm() != 2048 || f.Ascender() != 1825 || f.Descender() != -443 || f.NumGlyphs() < 2600 {
			t.Errorf("%s: upem %d, ascender %d, descender %d, %d glyphs", face, f.UnitsPerEm(), f.Ascender(), f.Descender(), f.NumGlyphs())
		}
		// Times metrics: a space is a quarter em, "M" 0.889 em in the roman faces.
		if w := f.Advance(f.GlyphIndex(' ')); w != 512 {
			t.Errorf("%s: space advance %d, want 512", face, w)
		}
		if face == "Regular" {
			if w := f.Advance(f.GlyphIndex('M')); w != 1821 {
				t.Errorf("M advance %d, want 1821", w)
			}
		}
		if f.GlyphIndex('漢') != 0 || f.GlyphIndex(-1) != 0 {
			t.Errorf("%s: a glyph for a character the font lacks", face)
		}
		composites := 0
		for _, r := range "AaMđ" + vietnamese {
			g := f.GlyphIndex(r)
			if g == 0 {
				t.Errorf("%s: no glyph for %q", face, r)
				continue
			}
			gl, err := f.Glyph(g)
			if err != nil {
				t.Errorf("%s %q: %v", face, r, err)
				continue
			}
			if len(gl.Contours) == 0 && len(gl.Components) == 0 {
				t.Errorf("%s %q: empty outline", face, r)
			}
			if len(gl.Components) > 0 {
				composites++
			}
			for _, c := range gl.Components {
				if int(c.Glyph) >= f.NumGlyphs() {
					t.Errorf("%s %q: component glyph %d", face, r, c.Glyph)
				}
			}
		}
		if composites == 0 {
			t.Errorf("%s: no Vietnamese letter is a composite glyph", face)
		}
		n, last := 0, rune(-1)
		for r, g := range f.Runes() {
			if r <= last || g == 0 || f.GlyphIndex(r) != g {
				t.Fatalf("%s: Runes yields %q→%d after %q", face, r, g, last)
			}
			last = r
			n++
		}
		if n < 2000 {
			t.Errorf("%s: %d characters mapped", face, n)
		}
	}
}

// The outline of "l" in the regular face: one closed contour of points on
// the curve, within the em.
func TestSimpleGlyph(t *testing.T) {
	f, err := Parse(liberation(t, "Regular"))
	if err != nil {
		t.Fatal(err)
	}
	gl, err := f.Glyph(f.GlyphIndex('l'))
	if err != nil {
		t.Fatal(err)
	}
	if len(gl.Contours) != 1 || len(gl.Components) != 0 {
		t.Fatalf("l: %d contours, %d components", len(gl.Contours), len(gl.Components))
	}
	for _, p := range gl.Contours[0] {
		if p.X < 0 || p.X > 1000 || p.Y < 0 || p.Y > float64(f.Ascender()) {
			t.Errorf("l: point %+v outside its box", p)
		}
	}
	if gl, err := f.Glyph(f.GlyphIndex(' ')); err != nil || len(gl.Contours)+len(gl.Components) != 0 {
		t.Errorf("space: %+v, %v", gl, err)
	}
	if _, err := f.Glyph(uint16(f.NumGlyphs())); err == nil {
		t.Error("no error for a glyph past the last")
	}
}

// table returns the offset and length of tag in the font b.
func table(t *testing.T, b []byte, tag string) (int, int) {
	t.Helper()
	for i := range int(binary.BigEndian.Uint16(b[4:])) {
		rec := b[12+16*i:]
		if string(rec[:4]) == tag {
			return int(binary.BigEndian.Uint32(rec[8:])), int(binary.BigEndian.Uint32(rec[12:]))
		}
	}
	t.Fatalf("no %s table", tag)
	return 0, 0
}

var broken = []struct {
	name string
	edit func(t *testing.T, b []byte) []byte
	want string
}{
	{"empty", func(t *testing.T, b []byte) []byte { return nil }, "not a TrueType"},
	{"text", func(t *testing.T, b []byte) []byte { return []byte("not a font, just some text") }, "not a TrueType"},
	{"CFF", func(t *testing.T, b []byte) []byte { copy(b, "OTTO"); return b }, "not a TrueType"},
	{"truncated directory", func(t *testing.T, b []byte) []byte { return b[:40] }, "directory"},
	{"truncated file", func(t *testing.T, b []byte) []byte { return b[:len(b)/2] }, "beyond the end"},
	{"no glyf", func(t *testing.T, b []byte) []byte {
		for i := range int(binary.BigEndian.Uint16(b[4:])) {
			if rec := b[12+16*i:]; string(rec[:4]) == "glyf" {
				copy(rec, "xxxx")
			}
		}
		return b
	}, `no "glyf" table`},
	{"zero upem", func(t *testing.T, b []byte) []byte {
		off, _ := table(t, b, "head")
		binary.BigEndian.PutUint16(b[off+18:], 0)
		return b
	}, "unitsPerEm"},
	{"short hmtx", func(t *testing.T, b []byte) []byte {
		off, _ := table(t, b, "hhea")
		binary.BigEndian.PutUint16(b[off+34:], 0xFFFF)
		return b
	}, "hmtx"},
}

func TestParseRejects(t *testing.T) {
	for _, tc := range broken {
		_, err := Parse(tc.edit(t, liberation(t, "Regular")))
		if err == nil || !bytes.Contains([]byte(err.Error()), []byte(tc.want)) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
	if _, err := Parse([]byte("OTTO and more bytes than twelve")); !errors.Is(err, ErrNotTrueType) {
		t.Errorf("CFF font: err = %v, want ErrNotTrueType", err)
	}
}

// A glyph whose data is cut short is an error, not a panic.
func TestTruncatedGlyph(t *testing.T) {
	b := liberation(t, "Regular")
	f, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	g := f.GlyphIndex('ạ')
	gl, err := f.Glyph(g)
	if err != nil || len(gl.Components) == 0 {
		t.Fatalf("ạ: %+v %v; want a composite", gl, err)
	}
	// Point the next glyph's offset just past this one's header.
	f.loca[g+1] = f.loca[g] + 12
	if _, err := f.Glyph(g); err == nil {
		t.Error("no error for a truncated composite glyph")
	}
	g = f.GlyphIndex('l')
	f.loca[g+1] = f.loca[g] + 14
	if _, err := f.Glyph(g); err == nil {
		t.Error("no error for a truncated simple glyph")
	}
}

// Fonts are outside input (an operator's own fonts): any bytes give a
// font or an error, and every glyph of a font an outline or an error.
func FuzzParse(f *testing.F) {
	// Small fonts: the fuzzer mutates a 400 KB face too slowly.
	for _, face := range []string{"Regular", "BoldItalic"} {
		b := fpdf.UTF8CutFont(liberation(f, face), "Aaạđ Điều 1.")
		f.Add(b)
		f.Add(b[:len(b)/3])
	}
	f.Add([]byte("\x00\x01\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		font, err := Parse(b)
		if err != nil {
			return
		}
		// The glyphs of the first characters and the first glyphs: a glyph
		// may have 65,536 points, and the callers outline a few glyphs.
		n := 0
		for r, g := range font.Runes() {
			if font.GlyphIndex(r) != g {
				t.Fatalf("GlyphIndex(%q) != %d", r, g)
			}
			_ = font.Advance(g)
			if n++; n <= 64 {
				_, _ = font.Glyph(g)
			}
		}
		for g := range min(font.NumGlyphs(), 64) {
			_, _ = font.Glyph(uint16(g))
		}
	})
}
