package intake

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"chuyenhoa/cycle"
)

// Encoding is the text encoding a file was read in.
type Encoding string

// The encodings read. Valid UTF-8 always wins; the legacy ones are
// recognised by DetectEncoding.
const (
	UTF8        Encoding = "UTF-8"
	Windows1258 Encoding = "Windows-1258"
	TCVN3       Encoding = "TCVN3"
	VNI         Encoding = "VNI-Windows"
)

// legacy are the legacy encodings, in the order ties are listed.
var legacy = []Encoding{Windows1258, TCVN3, VNI}

// Word names the encoding for officers: "bảng mã TCVN3 (ABC, phông .VnTime)".
func (e Encoding) Word() cycle.Word {
	switch e {
	case UTF8:
		return cycle.Word{VI: "bảng mã Unicode UTF-8", EN: "UTF-8"}
	case Windows1258:
		return cycle.Word{VI: "bảng mã Windows-1258", EN: "Windows-1258"}
	case TCVN3:
		return cycle.Word{VI: "bảng mã TCVN3 (ABC, phông .VnTime)", EN: "TCVN3 (ABC, the .VnTime fonts)"}
	case VNI:
		return cycle.Word{VI: "bảng mã VNI-Windows", EN: "VNI-Windows"}
	}
	return cycle.Word{VI: string(e), EN: string(e)}
}

func (e Encoding) decode(b []byte) (string, int) {
	switch e {
	case Windows1258:
		return decode1258(b)
	case TCVN3:
		return decodeTCVN3(b)
	case VNI:
		return decodeVNI(b)
	}
	return string(b), 0
}

// EncodeLegacy writes text in a legacy encoding, as the programs that
// still use them do (Excel's CSV on a Vietnamese Windows, ".VnTime" and
// VNI fonts). It is for tests and samples: what officers send is decoded,
// never written back.
func EncodeLegacy(text string, e Encoding) ([]byte, error) {
	switch e {
	case Windows1258:
		return encode1258(text)
	case TCVN3:
		return encodeTCVN3(text)
	case VNI:
		return encodeVNI(text)
	case UTF8:
		return []byte(text), nil
	}
	return nil, fmt.Errorf("no encoder for %s", e)
}

// Thresholds of the detection: the share of words with letters beyond
// ASCII that must be Vietnamese syllables for a reading to be taken, and
// how far it must lead the next reading.
const (
	minShare  = 0.8
	minMargin = 0.2
)

var (
	bomUTF8    = []byte("\xef\xbb\xbf")
	bomUTF16LE = []byte("\xff\xfe")
	bomUTF16BE = []byte("\xfe\xff")
)

func init() {
	cycle.DefineMessages(map[string]cycle.Text{
		"file.utf16":              {VI: "Tệp được lưu theo bảng mã UTF-16 (kiểu \"Unicode Text\" của Excel), chưa đọc được: hãy lưu lại thành \"CSV UTF-8 (Comma delimited)\" hoặc tệp Excel .xlsx", EN: "the file is in UTF-16 (Excel's \"Unicode Text\"), which is not read: save it again as \"CSV UTF-8 (Comma delimited)\" or as an Excel .xlsx workbook"},
		"file.binary":             {VI: "Tệp không phải là văn bản (có byte 0 ở dòng %[1]d): hãy gửi tệp CSV, Excel .xlsx hoặc JSON", EN: "the file is not text (a zero byte on line %[1]d): send a CSV, Excel .xlsx or JSON file"},
		"file.encoding_unknown":   {VI: "Tệp không phải văn bản UTF-8 (byte 0x%[1]X lạ ở dòng %[2]d) và không đọc được theo bảng mã tiếng Việt cũ nào (Windows-1258, TCVN3, VNI): hãy mở tệp và lưu lại theo bảng mã Unicode UTF-8", EN: "the file is not UTF-8 (a stray byte 0x%[1]X on line %[2]d) and reads as none of the legacy Vietnamese encodings (Windows-1258, TCVN3, VNI): open it and save it again as UTF-8"},
		"file.encoding_ambiguous": {VI: "Không xác định được bảng mã của tệp: đọc theo %[1]s và theo %[2]s đều ra chữ tiếng Việt. Hãy lưu lại tệp theo bảng mã Unicode UTF-8", EN: "the file's encoding cannot be told: it reads as Vietnamese both in %[1]s and in %[2]s; save it again as UTF-8"},
	})
}

// DetectEncoding decides how a text file's bytes are read, after any
// UTF-8 byte-order mark (which it reports): valid UTF-8 is UTF-8; UTF-16
// and binary files are refused; otherwise each legacy encoding reads the
// bytes, and the one whose reading is made of Vietnamese syllables (a
// share of at least 80% of the words with letters beyond ASCII, 20 points
// ahead of the next) is taken. A file that reads well in none, or in two,
// is refused, naming what was found: nothing is guessed.
func DetectEncoding(b []byte) (e Encoding, bom bool, err error) {
	if bytes.HasPrefix(b, bomUTF16LE) || bytes.HasPrefix(b, bomUTF16BE) || looksUTF16(b) {
		return "", false, invalid(fileProblem(cycle.NewProblem("file.utf16"), cycle.Location{}))
	}
	if bytes.HasPrefix(b, bomUTF8) {
		b, bom = b[len(bomUTF8):], true
	}
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return "", bom, invalid(fileProblem(cycle.NewProblem("file.binary", lineAt(b, i)), cycle.Location{Line: lineAt(b, i)}))
	}
	if utf8.Valid(b) {
		return UTF8, bom, nil
	}
	type reading struct {
		e            Encoding
		valid, total int
		share        float64
	}
	var rs []reading
	for _, e := range legacy {
		text, bad := e.decode(b)
		v, t := syllableScore(text)
		t += bad
		r := reading{e: e, valid: v, total: t}
		if t > 0 {
			r.share = float64(v) / float64(t)
		}
		rs = append(rs, r)
	}
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].share > rs[j].share })
	best, next := rs[0], rs[1]
	switch {
	case best.share >= minShare && best.share-next.share >= minMargin:
		return best.e, bom, nil
	case best.share >= minShare:
		return "", bom, invalid(fileProblem(cycle.NewProblem("file.encoding_ambiguous", best.e.Word(), next.e.Word()), cycle.Location{}))
	}
	i := firstInvalidUTF8(b)
	return "", bom, invalid(fileProblem(cycle.NewProblem("file.encoding_unknown", int(b[i]), lineAt(b, i)), cycle.Location{Line: lineAt(b, i)}))
}

// DecodeText reads a text file's bytes as Unicode (see DetectEncoding),
// without its byte-order mark.
func DecodeText(b []byte) (text string, e Encoding, bom bool, err error) {
	e, bom, err = DetectEncoding(b)
	if err != nil {
		return "", "", bom, err
	}
	if bom {
		b = b[len(bomUTF8):]
	}
	if e == UTF8 {
		return string(b), e, bom, nil
	}
	text, _ = e.decode(b)
	return text, e, bom, nil
}

// looksUTF16 reports whether a file without a byte-order mark is UTF-16:
// most of its even or its odd bytes are zero, as ASCII text is in UTF-16.
func looksUTF16(b []byte) bool {
	n := min(len(b), 512)
	if n < 4 {
		return false
	}
	var even, odd int
	for i := 0; i < n; i++ {
		if b[i] == 0 {
			if i%2 == 0 {
				even++
			} else {
				odd++
			}
		}
	}
	return even > n/4 || odd > n/4
}

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return 0
}

// lineAt is the line (from 1) of byte i.
func lineAt(b []byte, i int) int { return 1 + bytes.Count(b[:min(i, len(b))], []byte("\n")) }

// bomWord names a byte-order mark, for the dialect of a table.
func bomWord(bom bool) cycle.Word {
	if bom {
		return cycle.Word{VI: " có BOM", EN: " with a byte-order mark"}
	}
	return cycle.Word{}
}

func joinWords(ws ...cycle.Word) cycle.Word {
	var vi, en []string
	for _, w := range ws {
		if w.VI != "" {
			vi = append(vi, w.VI)
		}
		if w.EN != "" {
			en = append(en, w.EN)
		}
	}
	return cycle.Word{VI: strings.Join(vi, ", "), EN: strings.Join(en, ", ")}
}
