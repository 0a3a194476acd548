package intake

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// The legacy Vietnamese encodings of provincial files. Each decoder
// returns the text and how many bytes had no meaning in the encoding (a
// mark with nothing to sit on, a byte the code page leaves undefined):
// the detection counts them against the reading.

// ---- Windows-1258 ------------------------------------------------------------

// Windows-1258 (the "Vietnamese" ANSI code page Excel saves CSV in on a
// Vietnamese Windows) has the vowels with their shapes (â, ơ, ư …) as
// single bytes and the five tones as combining marks: "ấ" is â (0xE2) and
// the acute (0xEC). Decoding gives decomposed text; NFC puts it together.
func decode1258(b []byte) (string, int) {
	var s strings.Builder
	bad := 0
	for _, c := range b {
		r := charmap.Windows1258.DecodeByte(c)
		if r == utf8.RuneError {
			bad++
		}
		s.WriteRune(r)
	}
	return norm.NFC.String(s.String()), bad
}

// encode1258 writes text in Windows-1258 as Excel does: a letter the code
// page has whole as its byte, else its shaped vowel and its tone mark.
func encode1258(s string) ([]byte, error) {
	var out []byte
	for _, r := range norm.NFC.String(s) {
		if c, ok := charmap.Windows1258.EncodeRune(r); ok {
			out = append(out, c)
			continue
		}
		var shape []rune
		tone := rune(0)
		for _, x := range norm.NFD.String(string(r)) {
			if isTone(x) {
				if tone != 0 {
					return nil, fmt.Errorf("%q has no Windows-1258 form", r) // two tones: not Vietnamese
				}
				tone = x
			} else {
				shape = append(shape, x)
			}
		}
		base := norm.NFC.String(string(shape))
		if tone == 0 || norm.NFC.String(base+string(tone)) != string(r) {
			// No tone, or one that does not come last: "Ṏ" is O, tilde,
			// diaeresis — Ö and a tilde would be another letter.
			return nil, fmt.Errorf("%q has no Windows-1258 form", r)
		}
		for _, br := range base + string(tone) {
			c, ok := charmap.Windows1258.EncodeRune(br)
			if !ok {
				return nil, fmt.Errorf("%q has no Windows-1258 form", r)
			}
			out = append(out, c)
		}
	}
	return out, nil
}

// ---- TCVN3 (TCVN 5712:1993, the ABC ".VnTime" fonts) ----------------------------

// tcvn3 maps the bytes 0xA0–0xFF of TCVN 5712:1993 to Unicode: the seven
// capitals with a shape (Ă Â Ê Ô Ơ Ư Đ) at 0xA1–0xA7, their small letters
// at 0xA8–0xAE, the five tones as combining marks at 0xB0–0xB4, and the
// small letters with a tone from 0xB5. The capitals with a tone are not in
// the ".VnTime" fonts: a capital is typed with the small letter's byte in
// the ".VnTimeH" font, so that "QUẢNG" is stored as "QU" + ả + "NG" (see
// capitalise). The few capitals with a tone that the standard's fuller
// variant places in this range are read too.
var tcvn3 = [96]rune{
	// 0xA0
	'\u00a0', 'Ă', 'Â', 'Ê', 'Ô', 'Ơ', 'Ư', 'Đ', 'ă', 'â', 'ê', 'ô', 'ơ', 'ư', 'đ', 'Ằ',
	// 0xB0
	'\u0300', '\u0309', '\u0303', '\u0301', '\u0323', 'à', 'ả', 'ã', 'á', 'ạ', 'Ẳ', 'ằ', 'ẳ', 'ẵ', 'ắ', 'Ẵ',
	// 0xC0
	'Ắ', 'Ầ', 'Ẩ', 'Ẫ', 'Ấ', 'Ề', 'ặ', 'ầ', 'ẩ', 'ẫ', 'ấ', 'ậ', 'è', 'Ể', 'ẻ', 'ẽ',
	// 0xD0
	'é', 'ẹ', 'ề', 'ể', 'ễ', 'ế', 'ệ', 'ì', 'ỉ', 'Ễ', 'Ế', 'Ồ', 'ĩ', 'í', 'ị', 'ò',
	// 0xE0
	'Ổ', 'ỏ', 'õ', 'ó', 'ọ', 'ồ', 'ổ', 'ỗ', 'ố', 'ộ', 'ờ', 'ở', 'ỡ', 'ớ', 'ợ', 'ù',
	// 0xF0
	'Ỗ', 'ủ', 'ũ', 'ú', 'ụ', 'ừ', 'ử', 'ữ', 'ứ', 'ự', 'ỳ', 'ỷ', 'ỹ', 'ý', 'ỵ', 'Ố',
}

// tcvn3Encode is the encoder's table: the small letters and the seven
// capitals with a shape (what ".VnTime" has), and a capital with a tone
// as its small letter (what ".VnTimeH" users type).
var tcvn3Encode = func() map[rune]byte {
	out := map[rune]byte{}
	for i, r := range tcvn3 {
		c := byte(0xA0 + i)
		if unicode.IsLower(r) || (c >= 0xA1 && c <= 0xA7) {
			out[r] = c
		}
	}
	for i, r := range tcvn3 {
		if unicode.IsLower(r) {
			if u := unicode.ToUpper(r); out[u] == 0 {
				out[u] = byte(0xA0 + i)
			}
		}
	}
	return out
}()

// decodeTCVN3 reads TCVN3: bytes below 0x80 are ASCII, 0x80–0x9F are
// Windows-1252's punctuation (the smart quotes and dashes Word types with
// a ".VnTime" font), 0xA0–0xFF the table above. Words typed in capitals
// are put back in capitals (see capitalise).
func decodeTCVN3(b []byte) (string, int) {
	var s strings.Builder
	bad := 0
	for _, c := range b {
		switch {
		case c < 0x80:
			s.WriteByte(c)
		case c < 0xA0:
			r := charmap.Windows1252.DecodeByte(c)
			if r == utf8.RuneError || r < 0xA0 {
				bad++
			}
			s.WriteRune(r)
		default:
			s.WriteRune(tcvn3[c-0xA0])
		}
	}
	return capitalise(norm.NFC.String(s.String())), bad
}

// capitalise puts in capitals the letters of a word whose other letters
// are capitals beyond its first: "QUảNG NGãI" → "QUẢNG NGÃI". A word that
// cannot say keeps its case: "Xã" may be "XÃ" typed in capitals, but is
// far more often "Xã"; "ủy" may be "Ủy".
func capitalise(s string) string {
	var b strings.Builder
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		w := s[start:end]
		upper, lower := 0, 0
		for i, r := range w {
			switch {
			case r >= 'A' && r <= 'Z' && i > 0:
				upper++
			case r >= 'a' && r <= 'z':
				lower++
			}
		}
		if upper > 0 && lower == 0 {
			w = strings.ToUpper(w)
		}
		b.WriteString(w)
		start = -1
	}
	for i, r := range s {
		if unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
		b.WriteRune(r)
	}
	flush(len(s))
	return b.String()
}

func encodeTCVN3(s string) ([]byte, error) {
	var out []byte
	for _, r := range norm.NFC.String(s) {
		switch {
		case r < 0x80:
			out = append(out, byte(r))
		case tcvn3Encode[r] != 0:
			out = append(out, tcvn3Encode[r])
		default:
			return nil, fmt.Errorf("%q has no TCVN3 form", r)
		}
	}
	return out, nil
}

// ---- VNI-Windows ---------------------------------------------------------------

// VNI writes a letter as its base letter followed by a byte that carries
// its marks: "ấ" is "a" and 0xE1, "Ấ" is "A" and 0xC1 (the capitals' mark
// bytes are the small letters' less 0x20). Some letters are one byte of
// their own: ơ ư đ, the i with a tone, and ỵ.
const (
	vniShapeNone = iota
	vniCircumflex
	vniBreve
)

// vniMark is what a mark byte (small-letter form) adds: a shape and a tone.
type vniMarkOf struct {
	shape int
	tone  rune // 0: none
}

var vniMarks = map[byte]vniMarkOf{
	0xF9: {vniShapeNone, toneAcute}, 0xF8: {vniShapeNone, toneGrave}, 0xFB: {vniShapeNone, toneHook}, 0xF5: {vniShapeNone, toneTilde}, 0xEF: {vniShapeNone, toneDot},
	0xE2: {vniCircumflex, 0}, 0xE1: {vniCircumflex, toneAcute}, 0xE0: {vniCircumflex, toneGrave}, 0xE5: {vniCircumflex, toneHook}, 0xE3: {vniCircumflex, toneTilde}, 0xE4: {vniCircumflex, toneDot},
	0xEA: {vniBreve, 0}, 0xE9: {vniBreve, toneAcute}, 0xE8: {vniBreve, toneGrave}, 0xFA: {vniBreve, toneHook}, 0xFC: {vniBreve, toneTilde}, 0xEB: {vniBreve, toneDot},
}

// vniLetters are the letters of one byte (small-letter forms; a capital's
// byte is 0x20 less).
var vniLetters = map[byte]rune{
	0xF4: 'ơ', 0xF6: 'ư', 0xF1: 'đ',
	0xED: 'í', 0xEC: 'ì', 0xE6: 'ỉ', 0xF3: 'ĩ', 0xF2: 'ị',
	0xEE: 'ỵ',
}

// vniMark reads c as a mark byte of either case.
func vniMark(c byte) (vniMarkOf, bool) {
	if m, ok := vniMarks[c]; ok {
		return m, true
	}
	m, ok := vniMarks[c+0x20]
	return m, ok && c >= 0xC0
}

// vniLetter reads c as a letter byte of either case.
func vniLetter(c byte) (rune, bool) {
	if r, ok := vniLetters[c]; ok {
		return r, true
	}
	if c >= 0xC0 {
		if r, ok := vniLetters[c+0x20]; ok {
			return unicode.ToUpper(r), true
		}
	}
	return 0, false
}

// vniTakes reports whether a base letter takes a shape.
func vniTakes(base rune, shape int) bool {
	switch shape {
	case vniCircumflex:
		return strings.ContainsRune("aeoAEO", base)
	case vniBreve:
		return base == 'a' || base == 'A'
	}
	return strings.ContainsRune("aeiouyAEIOUYơưƠƯ", base)
}

func decodeVNI(b []byte) (string, int) {
	var s strings.Builder
	bad := 0
	for i := 0; i < len(b); i++ {
		c := b[i]
		var base rune
		switch {
		case c < 0x80:
			base = rune(c)
		default:
			if r, ok := vniLetter(c); ok {
				base = r
				break
			}
			// A mark with no letter before it, or a byte VNI has no use for.
			r := charmap.Windows1252.DecodeByte(c)
			if _, isMark := vniMark(c); isMark || r == utf8.RuneError || r < 0xA0 {
				bad++
			}
			s.WriteRune(r)
			continue
		}
		if i+1 < len(b) {
			if m, ok := vniMark(b[i+1]); ok && vniTakes(base, m.shape) {
				s.WriteString(vniCompose(base, m))
				i++
				continue
			}
		}
		s.WriteRune(base)
	}
	return norm.NFC.String(s.String()), bad
}

// vniCompose is a base letter with a mark byte's shape and tone.
func vniCompose(base rune, m vniMarkOf) string {
	out := string(base)
	switch m.shape {
	case vniCircumflex:
		out += "\u0302"
	case vniBreve:
		out += "\u0306"
	}
	if m.tone != 0 {
		out += string(m.tone)
	}
	return norm.NFC.String(out)
}

// encodeVNI writes text in VNI-Windows: each letter as its base (or its
// own byte) and the byte of its marks.
func encodeVNI(s string) ([]byte, error) {
	var out []byte
	for _, r := range norm.NFC.String(s) {
		if r < 0x80 {
			out = append(out, byte(r))
			continue
		}
		upper := unicode.IsUpper(r)
		lower := unicode.ToLower(r)
		if upper && unicode.ToUpper(lower) != r {
			return nil, fmt.Errorf("%q has no VNI form", r) // İ is not I
		}
		// A letter of its own byte?
		found := false
		for c, lr := range vniLetters {
			if lr == lower {
				if upper {
					c -= 0x20
				}
				out = append(out, c)
				found = true
				break
			}
		}
		if found {
			continue
		}
		d := []rune(norm.NFD.String(string(lower)))
		base, shape, tone := d[0], vniShapeNone, rune(0)
		for _, x := range d[1:] {
			switch {
			case x == '\u0302':
				shape = vniCircumflex
			case x == '\u0306':
				shape = vniBreve
			case x == '\u031B': // horn: ơ ư are letters of their own
				if base == 'o' {
					base = 'ơ'
				} else {
					base = 'ư'
				}
			case isTone(x) && tone == 0:
				tone = x
			default:
				return nil, fmt.Errorf("%q has no VNI form", r)
			}
		}
		var baseByte byte
		switch {
		case base < 0x80:
			baseByte = byte(base)
			if upper {
				baseByte = byte(unicode.ToUpper(base))
			}
		default:
			for c, lr := range vniLetters {
				if lr == base {
					baseByte = c
					if upper {
						baseByte -= 0x20
					}
				}
			}
			if baseByte == 0 {
				return nil, fmt.Errorf("%q has no VNI form", r)
			}
		}
		if shape == vniShapeNone && tone == 0 {
			out = append(out, baseByte)
			continue
		}
		if !vniTakes(base, shape) {
			return nil, fmt.Errorf("%q has no VNI form", r)
		}
		var mark byte
		for c, m := range vniMarks {
			if m.shape == shape && m.tone == tone {
				mark = c
			}
		}
		if mark == 0 {
			return nil, fmt.Errorf("%q has no VNI form", r)
		}
		if want := vniCompose(base, vniMarks[mark]); want != string(lower) {
			return nil, fmt.Errorf("%q has no VNI form", r) // its marks in another order
		}
		if upper {
			mark -= 0x20
		}
		out = append(out, baseByte, mark)
	}
	return out, nil
}
