// This file is not part of fpdf v0.12.0: chuyenhoa added it to its copy
// (see README.md). MIT licence, like the rest of the package.

package fpdf

import (
	"bytes"
	"fmt"
	"slices"
	"sync"
)

// PreparedUTF8Font is a UTF-8 TrueType font parsed once, to be added to
// many documents with AddPreparedUTF8Font instead of parsing it again in
// each with AddUTF8FontFromBytes.
//
// It also keeps what a document's PDF embeds of the font — the subset
// font file and CIDToGIDMap, compressed, and the widths — built for the
// characters the document used, for up to CacheSize sets of characters,
// so that documents using the same characters share it. A document that
// adds a prepared font gets byte for byte the PDF it would get from
// AddUTF8FontFromBytes with the same bytes.
//
// A PreparedUTF8Font is safe for concurrent use by the documents that
// share it.
type PreparedUTF8Font struct {
	def   fontDefType // as AddUTF8FontFromBytes makes it, without utf8File and usedRunes
	ttf   []byte      // the font file, only read
	limit int

	mu    sync.Mutex
	cache map[string]*utf8Embedding
}

// UTF8FontOptions are the options of PrepareUTF8Font.
type UTF8FontOptions struct {
	// CacheSize is how many sets of characters keep their embedding (0
	// means 64). A document whose set is not kept has its embedding
	// built, as with AddUTF8FontFromBytes, and kept in the place of
	// another set.
	CacheSize int
}

// PrepareUTF8Font parses the TrueType font utf8Bytes for the family and
// style given (as AddUTF8FontFromBytes takes them). It keeps its own copy
// of utf8Bytes.
func PrepareUTF8Font(familyStr, styleStr string, utf8Bytes []byte, opt UTF8FontOptions) (p *PreparedUTF8Font, err error) {
	defer func() {
		if r := recover(); r != nil { // the parser does not check its bounds
			p, err = nil, fmt.Errorf("fpdf: malformed font: %v", r)
		}
	}()
	ttf := bytes.Clone(utf8Bytes)
	utf8File := newUTF8Font(&fileReader{readerPosition: 0, array: ttf})
	if err := utf8File.parseFile(); err != nil {
		return nil, fmt.Errorf("fpdf: %w", err)
	}
	def := fontDefType{
		Tp:   "UTF8",
		Name: getFontKey(fontFamilyEscape(familyStr), styleStr),
		Desc: FontDescType{
			Ascent:       int(utf8File.Ascent),
			Descent:      int(utf8File.Descent),
			CapHeight:    utf8File.CapHeight,
			Flags:        utf8File.Flags,
			FontBBox:     utf8File.Bbox,
			ItalicAngle:  utf8File.ItalicAngle,
			StemV:        utf8File.StemV,
			MissingWidth: round(utf8File.DefaultWidth),
		},
		Up: int(round(utf8File.UnderlinePosition)),
		Ut: round(utf8File.UnderlineThickness),
		Cw: utf8File.CharWidths,
	}
	if def.i, err = generateFontID(def); err != nil {
		return nil, fmt.Errorf("fpdf: %w", err)
	}
	p = &PreparedUTF8Font{def: def, ttf: ttf, limit: opt.CacheSize}
	if p.limit <= 0 {
		p.limit = 64
	}
	return p, nil
}

// AddPreparedUTF8Font makes the prepared font p available to the document
// under the family and style p was prepared for, like AddUTF8FontFromBytes.
func (f *Fpdf) AddPreparedUTF8Font(p *PreparedUTF8Font) {
	if f.err != nil {
		return
	}
	if _, ok := f.fonts[p.def.Name]; ok {
		return
	}
	def := p.def
	if f.aliasNbPagesStr == "" {
		def.usedRunes = makeSubsetRange(57)
	} else {
		def.usedRunes = makeSubsetRange(32)
	}
	def.prepared = p
	f.fonts[def.Name] = def
}

// embedding returns what a document that used the characters of
// usedRunes embeds of the font.
func (p *PreparedUTF8Font) embedding(usedRunes map[int]int) *utf8Embedding {
	key, ok := runeSetKey(usedRunes)
	if !ok {
		return p.build(usedRunes)
	}
	p.mu.Lock()
	e := p.cache[string(key)]
	p.mu.Unlock()
	if e != nil {
		return e
	}
	e = p.build(usedRunes) // outside the lock: a miss does not hold up the hits
	p.mu.Lock()
	defer p.mu.Unlock()
	if kept := p.cache[string(key)]; kept != nil {
		return kept // built meanwhile by another document: the same value
	}
	if p.cache == nil {
		p.cache = make(map[string]*utf8Embedding)
	}
	if len(p.cache) >= p.limit {
		for k := range p.cache { // drop one; which one only affects speed
			delete(p.cache, k)
			break
		}
	}
	p.cache[string(key)] = e
	return e
}

// build subsets the font for usedRunes on a parser of its own: the
// subsetter changes its parser's state, and only reads the font bytes.
func (p *PreparedUTF8Font) build(usedRunes map[int]int) *utf8Embedding {
	def := p.def
	return utf8Embed(&def, newUTF8Font(&fileReader{readerPosition: 0, array: p.ttf}), usedRunes)
}

// runeSetKey returns a key that identifies everything utf8Embed reads of
// usedRunes: the characters used (entries r: r) and whether there are
// placeholder entries (k: 0, k ≠ 0, which make utf8Embed consider
// character 0). Entry 0 is ignored: utf8Embed deletes it. It reports
// false for a map of any other shape.
func runeSetKey(usedRunes map[int]int) ([]byte, bool) {
	runes := make([]int, 0, len(usedRunes))
	placeholder := false
	for k, v := range usedRunes {
		switch {
		case k == 0:
		case v == 0:
			placeholder = true
		case k != v || v < 0 || v > 0xFFFFFF:
			return nil, false
		default:
			runes = append(runes, v)
		}
	}
	slices.Sort(runes)
	key := make([]byte, 1, 1+3*len(runes))
	if placeholder {
		key[0] = 1
	}
	for _, r := range runes {
		key = append(key, byte(r>>16), byte(r>>8), byte(r))
	}
	return key, true
}

// embedFonts builds (or takes from their prepared fonts) what putfonts
// writes of the UTF-8 fonts, and grows the output buffer once for the
// file: the fonts, the pages' contents (their length before compression)
// and some room for the other objects, instead of doubling it as the
// objects are written.
func (f *Fpdf) embedFonts() {
	size := 16 << 10
	for key, font := range f.fonts {
		if font.Tp != "UTF8" {
			continue
		}
		if font.prepared != nil {
			font.emb = font.prepared.embedding(font.usedRunes)
		} else {
			font.emb = utf8Embed(&font, font.utf8File, font.usedRunes)
		}
		f.fonts[key] = font
		size += len(font.emb.widths) + len(font.emb.cidToGIDMap) + len(font.emb.fontFile) + 1<<10
	}
	for _, p := range f.pages {
		if p != nil {
			size += p.Len()
		}
	}
	f.buffer.Grow(size)
}
