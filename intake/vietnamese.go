package intake

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Vietnamese syllables, for telling which reading of a file's bytes is
// the right one: a text read with its own encoding is made of syllables
// ("Phường", "Quảng", "nghĩa"); read with another it is not ("Ph­êng",
// "Phöôøng", "QuÀng"). A syllable is an initial consonant (possibly none),
// a rhyme (vần) from the language's closed list, and at most one tone
// mark; a rhyme that ends in -c, -ch, -p or -t takes only the sắc or nặng
// tone.

// initials are the initial consonants, longest first where one is the
// prefix of another.
var initials = []string{"ngh", "ch", "gh", "gi", "kh", "ng", "nh", "ph", "qu", "th", "tr", "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", ""}

// rhymes are the rhymes of Vietnamese without their tone, as written
// after an initial (after qu- the written rhyme drops its u: quang = qu +
// ang; after gi- its i may merge: giếng = g + iêng).
var rhymes = func() map[string]bool {
	out := map[string]bool{}
	for _, r := range strings.Fields(`
		a ai ao au ay ac ach am an ang anh ap at
		ă ăc ăm ăn ăng ăp ăt
		â âc âm ân âng âp ât âu ây
		e eo ec em en eng ep et
		ê êch êm ên ênh êp êt êu
		i ia ich im in inh ip it iu iêc iêm iên iêng iêp iêt iêu
		o oa oai oao oay oac oach oam oan oang oanh oap oat oăc oăm oăn oăng oăt oe oeo oen oet
		oi oc om on ong oong ooc op ot
		ô ôi ôc ôm ôn ông ôp ôt
		ơ ơi ơm ơn ơp ơt
		u ua uân uâng uât uây uê uêch uênh uy uya uych uyên uyêt uynh uyt uyu ui uc um un ung up ut
		uôc uôi uôm uôn uông uôt uơ
		ư ưa ưi ưu ưc ưng ưt ưm ưn ươc ươi ươm ươn ương ươp ươt ươu
		y yêm yên yêt yêu`) {
		out[r] = true
	}
	return out
}()

// Tone marks as combining characters: huyền, sắc, ngã, hỏi, nặng.
const (
	toneGrave = '\u0300'
	toneAcute = '\u0301'
	toneTilde = '\u0303'
	toneHook  = '\u0309'
	toneDot   = '\u0323'
)

func isTone(r rune) bool {
	return r == toneGrave || r == toneAcute || r == toneTilde || r == toneHook || r == toneDot
}

// IsSyllable reports whether w is one Vietnamese syllable, in any case.
func IsSyllable(w string) bool {
	if w == "" || len(w) > 32 || !utf8.ValidString(w) {
		return false
	}
	// Take the tone off (NFD puts it after the vowel's shape marks), put
	// the rest back together: "Quảng" → tone hook, "quang".
	tone := rune(0)
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(w)) {
		if isTone(r) {
			if tone != 0 {
				return false // two tones
			}
			tone = r
			continue
		}
		b.WriteRune(r)
	}
	base := norm.NFC.String(b.String())
	for _, r := range base {
		if !unicode.IsLetter(r) {
			return false // a mark left alone, a symbol
		}
	}
	for _, ini := range initials {
		rest, ok := strings.CutPrefix(base, ini)
		if !ok || !rhymes[rest] {
			continue
		}
		if rest == "" {
			continue
		}
		if tone != 0 && tone != toneAcute && tone != toneDot && stopFinal(rest) {
			continue // "ác", "ạt" — never "àc"
		}
		return true
	}
	// gi + a rhyme that starts with i, the i written once: "gìn" = g + ìn
	// is found above; "giếng" = g + iêng too. The bare "gi" with a tone:
	// "gì" = g + i.
	return false
}

func stopFinal(rhyme string) bool {
	return strings.HasSuffix(rhyme, "c") || strings.HasSuffix(rhyme, "ch") || strings.HasSuffix(rhyme, "p") || strings.HasSuffix(rhyme, "t")
}

// syllableScore counts, in a text, the words that hold a letter beyond
// ASCII (the only ones the readings of a legacy file differ on) and how
// many of them are Vietnamese syllables. Words are split at ASCII spaces,
// punctuation and digits; any other character belongs to a word, so a
// stray symbol ("Ph­êng", with a soft hyphen) spoils its word.
func syllableScore(s string) (valid, total int) {
	start := -1
	nonASCII := false
	flush := func(end int) {
		if start >= 0 && nonASCII {
			total++
			if IsSyllable(s[start:end]) {
				valid++
			}
		}
		start, nonASCII = -1, false
	}
	for i, r := range s {
		if r < utf8.RuneSelf && !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') || r == '\u00a0' {
			flush(i)
			continue
		}
		if start < 0 {
			start = i
		}
		if r >= utf8.RuneSelf {
			nonASCII = true
		}
	}
	flush(len(s))
	return valid, total
}
