package document

import "strings"

// span is a run of text in one face.
type span struct {
	style faceStyle
	text  string
}

// piece is the part of a word in one face, with its width in mm.
type piece struct {
	style faceStyle
	text  string
	w     float64
}

// word is a maximal run of non-space text; it may change face inside
// ("Điều 1." is bold, the text after it regular).
type word struct {
	pieces []piece
	w      float64 // width of the pieces, mm
	space  float64 // width of one space in the face of the word's end, mm
	brk    bool    // a hard line break ("\n") follows the word
}

// line is one laid-out line.
type line struct {
	words   []word
	natural float64 // width with single spaces, mm
	last    bool    // last line of its paragraph (or before a hard break): never justified
}

// textWidth returns the width of s in mm in style at size pt.
func (fs *faceSet) textWidth(style faceStyle, size float64, s string) float64 {
	return float64(fs.m[style].width(s)) * size * ptMM / 1000
}

// words splits spans into words. Runs of spaces collapse into one; "\n" is
// a hard line break; tabs and carriage returns count as spaces.
func (fs *faceSet) words(spans []span, size float64) []word {
	var out []word
	var cur word
	flush := func(style faceStyle) {
		if len(cur.pieces) > 0 {
			cur.space = fs.textWidth(style, size, " ")
			out = append(out, cur)
		}
		cur = word{}
	}
	for _, sp := range spans {
		text := sp.text
		for len(text) > 0 {
			i := strings.IndexAny(text, " \t\r\n")
			if i < 0 {
				i = len(text)
			}
			if i > 0 {
				w := fs.textWidth(sp.style, size, text[:i])
				n := len(cur.pieces)
				if n > 0 && cur.pieces[n-1].style == sp.style {
					cur.pieces[n-1].text += text[:i]
					cur.pieces[n-1].w += w
				} else {
					cur.pieces = append(cur.pieces, piece{sp.style, text[:i], w})
				}
				cur.w += w
			}
			if i == len(text) {
				break
			}
			if text[i] == '\n' {
				if len(cur.pieces) == 0 && len(out) > 0 {
					// A break after a space or an empty line: mark the word before.
					out[len(out)-1].brk = true
				} else if len(cur.pieces) > 0 {
					cur.brk = true
				}
			}
			flush(sp.style)
			text = text[i+1:]
		}
	}
	if len(cur.pieces) > 0 {
		flush(cur.pieces[len(cur.pieces)-1].style)
	}
	return out
}

// breakLines fills lines greedily: the first line is first wide, the others
// rest wide (both mm). A word wider than a line is split between characters.
func (fs *faceSet) breakLines(words []word, size, first, rest float64) []line {
	var lines []line
	var cur line
	avail := first
	end := func(last bool) {
		cur.last = last
		lines = append(lines, cur)
		cur = line{}
		avail = rest
	}
	for i := 0; i < len(words); i++ {
		w := words[i]
		add := w.w
		if len(cur.words) > 0 {
			add += cur.words[len(cur.words)-1].space
		}
		if len(cur.words) > 0 && cur.natural+add > avail+1e-6 {
			end(false)
			add = w.w
		}
		if len(cur.words) == 0 && w.w > avail+1e-6 {
			if head, tail := fs.splitWord(w, size, avail); len(tail.pieces) > 0 {
				words = append(words[:i:i], append([]word{head, tail}, words[i+1:]...)...)
				w, add = head, head.w
			}
		}
		cur.words = append(cur.words, w)
		cur.natural += add
		if w.brk {
			end(true)
		}
	}
	if len(cur.words) > 0 {
		end(true)
	}
	return lines
}

// splitWord cuts w so that its head fits in avail (at least one rune stays
// in the head, so that layout always progresses).
func (fs *faceSet) splitWord(w word, size, avail float64) (head, tail word) {
	var x float64
	for pi, p := range w.pieces {
		for bi, r := range p.text {
			rw := fs.textWidth(p.style, size, string(r))
			if x+rw > avail && (pi > 0 || bi > 0) {
				head = word{pieces: append(append([]piece(nil), w.pieces[:pi]...), piece{p.style, p.text[:bi], 0})}
				tail = word{pieces: append([]piece{{p.style, p.text[bi:], 0}}, w.pieces[pi+1:]...), space: w.space, brk: w.brk}
				head.pieces = dropEmpty(head.pieces)
				fs.measure(&head, size)
				fs.measure(&tail, size)
				head.space = fs.textWidth(head.pieces[len(head.pieces)-1].style, size, " ")
				head.brk = false
				return head, tail
			}
			x += rw
		}
	}
	return w, word{}
}

func dropEmpty(ps []piece) []piece {
	out := ps[:0]
	for _, p := range ps {
		if p.text != "" {
			out = append(out, p)
		}
	}
	return out
}

func (fs *faceSet) measure(w *word, size float64) {
	w.w = 0
	for i := range w.pieces {
		w.pieces[i].w = fs.textWidth(w.pieces[i].style, size, w.pieces[i].text)
		w.w += w.pieces[i].w
	}
}
