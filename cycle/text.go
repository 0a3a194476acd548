package cycle

import (
	"strings"

	"golang.org/x/text/unicode/norm"
)

// Clean NFC-normalises s and trims surrounding white space. Vietnamese text
// often arrives decomposed (NFD) from spreadsheets and web forms; decomposed
// text compares unequal to the registry's names and renders broken
// diacritics in PDFs, so every text field is cleaned where it enters.
//
// Files and forms can also carry bytes that are not UTF-8 and control
// characters ("\u0000" in JSON, a stray byte in a CSV): PostgreSQL's text
// and jsonb refuse NUL and invalid UTF-8, so an accepted input would then
// fail to be recorded on every retry, and PDFs and spreadsheets cannot show
// them. A bad byte becomes U+FFFD and a control character other than tab
// and newline a space.
func Clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if strings.ContainsFunc(s, isControl) {
		s = strings.Map(func(r rune) rune {
			if isControl(r) {
				return ' '
			}
			return r
		}, s)
	}
	return strings.TrimSpace(norm.NFC.String(s))
}

// isControl reports whether r is a control character (C0, DEL, C1) other
// than tab and newline.
func isControl(r rune) bool { return (r < 0x20 && r != '\t' && r != '\n') || (r >= 0x7f && r < 0xa0) }
