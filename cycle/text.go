package cycle

import (
	"strings"

	"golang.org/x/text/unicode/norm"
)

// Clean NFC-normalises s and trims surrounding white space. Vietnamese text
// often arrives decomposed (NFD) from spreadsheets and web forms; decomposed
// text compares unequal to the registry's names and renders broken
// diacritics in PDFs, so every text field is cleaned where it enters.
func Clean(s string) string {
	return strings.TrimSpace(norm.NFC.String(s))
}
