package signing

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strconv"
)

// This file is a small reader of the PDF files this product writes: gofpdf
// output (classic cross-reference tables, uncompressed object
// dictionaries) and the incremental updates appended by Sign. It reads the
// cross-reference chain of every revision and parses the objects the
// signer and the verifier need (catalog, pages, AcroForm, signature
// dictionaries). Cross-reference streams and object streams (PDF 1.5) are
// refused with an error rather than misread.

// name is a PDF name (without the slash).
type name string

// ref is an indirect reference "N G R".
type ref struct{ num, gen int }

// number is a PDF number kept as written, so that rewriting an object does
// not change its values.
type number string

// hexString is a string written <...>; literal is one written (...).
type (
	hexString []byte
	literal   []byte
)

// dict is a PDF dictionary with its keys in the order they were read.
type dict struct {
	keys []name
	vals map[name]any
}

func newDict() *dict { return &dict{vals: map[name]any{}} }

func (d *dict) get(k name) any { return d.vals[k] }

func (d *dict) set(k name, v any) {
	if _, ok := d.vals[k]; !ok {
		d.keys = append(d.keys, k)
	}
	d.vals[k] = v
}

func (d *dict) clone() *dict {
	c := newDict()
	for _, k := range d.keys {
		c.set(k, d.vals[k])
	}
	return c
}

// object is a parsed indirect object.
type object struct {
	num, gen int
	value    any
	offset   int // of "N G obj"
	stream   []byte
}

// revision is one section of the file: the original document or one
// incremental update, ending at End (just after its "%%EOF").
type revision struct {
	xrefAt  int            // offset of its "xref" keyword
	end     int            // offset just after its %%EOF line
	offsets map[int]int    // objects defined in this section's table
	trailer *dict          // its trailer
	objNums []int          // sorted keys of offsets
	entries map[int][2]int // object number → (offset, generation), in-use entries only
}

// file is a parsed PDF: its bytes and its revisions, oldest first.
type file struct {
	b    []byte
	revs []revision
	// latest maps each object number to the offset of its latest definition.
	latest map[int]int
}

var errUnsupported = errors.New("unsupported PDF structure")

// parseFile reads the cross-reference chain of b from the last startxref.
func parseFile(b []byte) (*file, error) {
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		return nil, errors.New("not a PDF file (no %PDF- header)")
	}
	f := &file{b: b, latest: map[int]int{}}
	at, err := lastStartXref(b, len(b))
	if err != nil {
		return nil, err
	}
	seen := map[int]bool{}
	var revs []revision
	for at >= 0 {
		if seen[at] || len(revs) > 1000 {
			return nil, errors.New("cross-reference chain loops")
		}
		seen[at] = true
		r, prev, err := f.readXref(at)
		if err != nil {
			return nil, err
		}
		revs = append(revs, r)
		at = prev
	}
	// Oldest first; each revision's end is the %%EOF after its trailer.
	for i, j := 0, len(revs)-1; i < j; i, j = i+1, j-1 {
		revs[i], revs[j] = revs[j], revs[i]
	}
	for i := range revs {
		end, err := eofAfter(b, revs[i].xrefAt)
		if err != nil {
			return nil, err
		}
		revs[i].end = end
		for n, e := range revs[i].entries {
			f.latest[n] = e[0]
		}
	}
	f.revs = revs
	return f, nil
}

// lastStartXref finds the offset given by the last "startxref" before limit.
func lastStartXref(b []byte, limit int) (int, error) {
	i := bytes.LastIndex(b[:limit], []byte("startxref"))
	if i < 0 {
		return 0, errors.New("no startxref: not a complete PDF file")
	}
	l := newLexer(b, i+len("startxref"))
	v, err := l.value()
	if err != nil {
		return 0, fmt.Errorf("startxref: %w", err)
	}
	n, ok := asInt(v)
	if !ok || n < 0 || n >= len(b) {
		return 0, fmt.Errorf("startxref %v points outside the file", v)
	}
	return n, nil
}

// eofAfter returns the offset just after the first %%EOF line after at.
func eofAfter(b []byte, at int) (int, error) {
	i := bytes.Index(b[at:], []byte("%%EOF"))
	if i < 0 {
		return 0, fmt.Errorf("no %%%%EOF after the cross-reference table at %d", at)
	}
	end := at + i + len("%%EOF")
	if end < len(b) && b[end] == '\r' {
		end++
	}
	if end < len(b) && b[end] == '\n' {
		end++
	}
	return end, nil
}

// readXref parses the table and trailer at offset at; it returns the
// offset of the previous table (-1 if none).
func (f *file) readXref(at int) (revision, int, error) {
	b := f.b
	r := revision{xrefAt: at, entries: map[int][2]int{}}
	if !bytes.HasPrefix(b[at:], []byte("xref")) {
		return r, 0, fmt.Errorf("%w: no classic cross-reference table at offset %d (cross-reference streams are not supported)", errUnsupported, at)
	}
	l := newLexer(b, at+4)
	for {
		l.skipSpace()
		if bytes.HasPrefix(b[l.pos:], []byte("trailer")) {
			l.pos += len("trailer")
			break
		}
		v1, err := l.value()
		if err != nil {
			return r, 0, fmt.Errorf("cross-reference table at %d: %w", at, err)
		}
		v2, err := l.value()
		if err != nil {
			return r, 0, fmt.Errorf("cross-reference table at %d: %w", at, err)
		}
		start, ok1 := asInt(v1)
		count, ok2 := asInt(v2)
		if !ok1 || !ok2 || start < 0 || count < 0 || count > 1<<22 {
			return r, 0, fmt.Errorf("cross-reference table at %d: bad subsection header", at)
		}
		l.skipSpace()
		for i := 0; i < count; i++ {
			if l.pos+18 > len(b) {
				return r, 0, fmt.Errorf("cross-reference table at %d: truncated", at)
			}
			e := b[l.pos : l.pos+18]
			off, err1 := strconv.Atoi(string(e[0:10]))
			gen, err2 := strconv.Atoi(string(e[11:16]))
			if err1 != nil || err2 != nil || (e[17] != 'n' && e[17] != 'f') {
				return r, 0, fmt.Errorf("cross-reference table at %d: bad entry %q", at, e)
			}
			if e[17] == 'n' {
				if off <= 0 || off >= len(b) {
					return r, 0, fmt.Errorf("cross-reference entry of object %d points outside the file", start+i)
				}
				r.entries[start+i] = [2]int{off, gen}
			}
			l.pos += 18
			l.skipSpace() // the entry's two-character end of line
		}
	}
	tv, err := l.value()
	if err != nil {
		return r, 0, fmt.Errorf("trailer at %d: %w", at, err)
	}
	t, ok := tv.(*dict)
	if !ok {
		return r, 0, fmt.Errorf("trailer at %d is not a dictionary", at)
	}
	r.trailer = t
	for n := range r.entries {
		r.objNums = append(r.objNums, n)
	}
	sort.Ints(r.objNums)
	prev := -1
	if p, ok := asInt(t.get("Prev")); ok {
		prev = p
	}
	return r, prev, nil
}

// objectAt parses the indirect object starting at off.
func (f *file) objectAt(off int) (*object, error) {
	l := newLexer(f.b, off)
	n, err := l.value()
	if err != nil {
		return nil, err
	}
	g, err := l.value()
	if err != nil {
		return nil, err
	}
	num, ok1 := asInt(n)
	gen, ok2 := asInt(g)
	l.skipSpace()
	if !ok1 || !ok2 || !bytes.HasPrefix(f.b[l.pos:], []byte("obj")) {
		return nil, fmt.Errorf("no object at offset %d", off)
	}
	l.pos += 3
	v, err := l.value()
	if err != nil {
		return nil, fmt.Errorf("object %d at %d: %w", num, off, err)
	}
	o := &object{num: num, gen: gen, value: v, offset: off}
	l.skipSpace()
	if d, ok := v.(*dict); ok && bytes.HasPrefix(f.b[l.pos:], []byte("stream")) {
		l.pos += len("stream")
		if l.pos < len(f.b) && f.b[l.pos] == '\r' {
			l.pos++
		}
		if l.pos < len(f.b) && f.b[l.pos] == '\n' {
			l.pos++
		}
		length, ok := asInt(d.get("Length"))
		if !ok || length < 0 || l.pos+length > len(f.b) {
			return nil, fmt.Errorf("object %d: bad stream length", num)
		}
		o.stream = f.b[l.pos : l.pos+length]
	}
	return o, nil
}

// object returns the latest definition of object num.
func (f *file) object(num int) (*object, error) {
	off, ok := f.latest[num]
	if !ok {
		return nil, fmt.Errorf("object %d is not in the cross-reference table", num)
	}
	o, err := f.objectAt(off)
	if err != nil {
		return nil, err
	}
	if o.num != num {
		return nil, fmt.Errorf("cross-reference entry of object %d points at object %d", num, o.num)
	}
	return o, nil
}

// resolve follows v if it is a reference.
func (f *file) resolve(v any) (any, error) {
	for i := 0; i < 32; i++ {
		r, ok := v.(ref)
		if !ok {
			return v, nil
		}
		o, err := f.object(r.num)
		if err != nil {
			return nil, err
		}
		v = o.value
	}
	return nil, errors.New("reference chain too long")
}

// dictOf resolves v and returns it as a dictionary.
func (f *file) dictOf(v any) (*dict, error) {
	v, err := f.resolve(v)
	if err != nil {
		return nil, err
	}
	d, ok := v.(*dict)
	if !ok {
		return nil, fmt.Errorf("expected a dictionary, got %T", v)
	}
	return d, nil
}

// trailer is the latest trailer.
func (f *file) trailer() *dict { return f.revs[len(f.revs)-1].trailer }

// size is the trailer's /Size of the latest revision.
func (f *file) size() int {
	n, _ := asInt(f.trailer().get("Size"))
	for num := range f.latest {
		n = max(n, num+1)
	}
	return n
}

// rootRef returns the catalog's reference.
func (f *file) rootRef() (ref, error) {
	r, ok := f.trailer().get("Root").(ref)
	if !ok {
		return ref{}, errors.New("trailer has no /Root reference")
	}
	return r, nil
}

// pageRefs returns the page objects in order.
func (f *file) pageRefs() ([]ref, error) {
	root, err := f.rootRef()
	if err != nil {
		return nil, err
	}
	cat, err := f.dictOf(root)
	if err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	var out []ref
	var walk func(v any, depth int) error
	walk = func(v any, depth int) error {
		if depth > 32 {
			return errors.New("page tree too deep")
		}
		r, ok := v.(ref)
		if !ok {
			return errors.New("page tree node is not a reference")
		}
		d, err := f.dictOf(r)
		if err != nil {
			return err
		}
		switch d.get("Type") {
		case name("Page"):
			out = append(out, r)
		case name("Pages"):
			kids, _ := d.get("Kids").([]any)
			for _, k := range kids {
				if err := walk(k, depth+1); err != nil {
					return err
				}
			}
		default:
			return fmt.Errorf("page tree node %d is neither /Page nor /Pages", r.num)
		}
		return nil
	}
	if err := walk(cat.get("Pages"), 0); err != nil {
		return nil, fmt.Errorf("page tree: %w", err)
	}
	return out, nil
}

// mediaBox returns the page's (possibly inherited) media box.
func (f *file) mediaBox(page ref) ([4]float64, error) {
	var v any = page
	for i := 0; i < 32 && v != nil; i++ {
		d, err := f.dictOf(v)
		if err != nil {
			return [4]float64{}, err
		}
		if mb, ok := d.get("MediaBox").([]any); ok && len(mb) == 4 {
			var out [4]float64
			for j, x := range mb {
				fv, ok := asFloat(x)
				if !ok {
					return out, errors.New("bad /MediaBox")
				}
				out[j] = fv
			}
			return out, nil
		}
		v = d.get("Parent")
	}
	return [4]float64{}, errors.New("page has no /MediaBox")
}

func asInt(v any) (int, bool) {
	n, ok := v.(number)
	if !ok {
		return 0, false
	}
	i, err := strconv.Atoi(string(n))
	return i, err == nil
}

func asFloat(v any) (float64, bool) {
	n, ok := v.(number)
	if !ok {
		return 0, false
	}
	x, err := strconv.ParseFloat(string(n), 64)
	return x, err == nil
}
