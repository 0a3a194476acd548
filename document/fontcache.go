package document

import (
	"bytes"
	"fmt"

	"chuyenhoa/third_party/fpdf"
)

// prepare parses the faces of fs once for every document and checks that
// fpdf accepts them. fpdf's own AddUTF8FontFromBytes parses the whole
// font again for each document and, when the document is written,
// subsets it again for the characters used, builds its widths and a
// 128 KiB glyph map and compresses them: about three quarters of the
// time to render a two-page decision. fpdf.PrepareUTF8Font (added to our
// copy of fpdf, see third_party/fpdf/README.md) parses once and keeps
// what is embedded per set of characters used, so a document gets the
// bytes fpdf would write for it anyway.
//
// The other way measured was one fixed subset — every face cut to the
// Vietnamese repertoire and embedded whole in every document, built once:
// it renders every document in the same time, whatever its characters,
// but the two-page approval decision grows from 73 to 167 KB, and signing
// allocates about seven times the size of the file (1.6 instead of
// 1.0 MB for the signature and the seal). Kept per set, a document whose
// characters the renderer has seen costs what the fixed subset costs; one
// with new characters costs about 1 ms more per face that uses new
// characters (BenchmarkRenderNewCharacters).
//
// keep is how many sets of characters each face keeps (0: fpdf's default).
func (fs *faceSet) prepare(keep int) error {
	for s := regular; s <= boldItalic; s++ {
		p, err := fpdf.PrepareUTF8Font(family, s.String(), fs.ttf[s], fpdf.UTF8FontOptions{CacheSize: keep})
		if err != nil {
			return fmt.Errorf("%s font: %w", s.name(), err)
		}
		fs.pre[s] = p
	}
	return fs.probe()
}

// addFonts registers the four faces with pdf. A face set that is not
// prepared (the tests compare with one) has fpdf parse each face for
// each document, from its own copy of the bytes.
func (fs *faceSet) addFonts(pdf *fpdf.Fpdf) error {
	for s := regular; s <= boldItalic; s++ {
		if fs.pre[s] != nil {
			pdf.AddPreparedUTF8Font(fs.pre[s])
		} else {
			pdf.AddUTF8FontFromBytes(family, s.String(), bytes.Clone(fs.ttf[s]))
		}
	}
	return pdf.Error()
}

// probe renders every face with the Vietnamese alphabet.
func (fs *faceSet) probe() (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("fpdf panicked: %v", p)
		}
	}()
	w, err := newWriter(fs, Document{})
	if err != nil {
		return err
	}
	w.newPage()
	for s := regular; s <= boldItalic; s++ {
		w.text(MarginLeft, 50+10*float64(s), s, 12, VietnameseLetters)
	}
	return w.pdf.Output(discard{})
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
