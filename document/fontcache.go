package document

import (
	"bytes"
	"fmt"
	"reflect"
	"unsafe"

	"chuyenhoa/third_party/fpdf"
)

// Registering a UTF-8 font with gofpdf (AddUTF8FontFromBytes) parses the
// whole TrueType file and then hashes a JSON encoding of a 65,536-entry
// width table to name the font. Profiled, that was about 40% of the time
// to render a two-page decision (BenchmarkRenderPlainFonts against
// BenchmarkRender: about 10 against 5.6 ms on one core), for work whose
// result is the same for every document. gofpdf v1.16.2 (the last
// release; the project is archived) offers no way to reuse a parsed font,
// so preparedFonts keeps the parsed font definitions of one prototype
// gofpdf document and copies them into each new document through
// reflection:
//
//   - the definition struct is copied; its width table and metrics are
//     only ever read and are shared;
//   - the set of used characters (a map gofpdf writes to while drawing)
//     gets a fresh copy per document;
//   - the font-file reader (which gofpdf moves around, and whose bytes it
//     pads in place while subsetting) gets a fresh copy of the bytes.
//
// If the fields are not where this code expects them (another gofpdf
// version), prepare leaves the face set without preparedFonts and every
// document registers its fonts the ordinary way. TestPreparedFontsSameBytes
// checks that both ways give byte-identical PDFs.
type preparedFonts struct {
	keys []reflect.Value // font keys, sorted
	defs []reflect.Value // fontDefType values, parallel to keys
}

// prepare checks that gofpdf accepts the faces of fs and, when it can,
// parses them once into fs.pre.
func (fs *faceSet) prepare() (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("gofpdf panicked: %v", p)
		}
	}()
	if err := fs.probe(); err != nil {
		return err
	}
	proto := fpdf.New("P", "mm", "A4", "")
	if err := fs.addFonts(proto); err != nil {
		return err
	}
	pre, ok := capture(proto)
	if !ok {
		return nil // ordinary registration per document
	}
	fs.pre = pre
	if err := fs.probe(); err != nil { // the same check through the copies
		fs.pre = nil
	}
	return nil
}

// probe renders every face with the Vietnamese alphabet.
func (fs *faceSet) probe() error {
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

// open returns a settable view of v, which may be an unexported field.
func open(v reflect.Value) reflect.Value {
	return reflect.NewAt(v.Type(), unsafe.Pointer(v.UnsafeAddr())).Elem()
}

// fontsField returns the settable fonts map of pdf, or false.
func fontsField(pdf *fpdf.Fpdf) (reflect.Value, bool) {
	f := reflect.ValueOf(pdf).Elem().FieldByName("fonts")
	if !f.IsValid() || f.Kind() != reflect.Map || f.Type().Key().Kind() != reflect.String {
		return reflect.Value{}, false
	}
	return open(f), true
}

// capture takes the parsed font definitions out of proto, checking the
// shape of every field install touches.
func capture(proto *fpdf.Fpdf) (*preparedFonts, bool) {
	fonts, ok := fontsField(proto)
	if !ok || fonts.Len() != 4 {
		return nil, false
	}
	pre := &preparedFonts{}
	keys := fonts.MapKeys()
	for i := range keys { // sort: install must be deterministic too
		for j := i + 1; j < len(keys); j++ {
			if keys[j].String() < keys[i].String() {
				keys[i], keys[j] = keys[j], keys[i]
			}
		}
	}
	for _, k := range keys {
		def := reflect.New(fonts.Type().Elem()).Elem()
		def.Set(fonts.MapIndex(k))
		if def.Kind() != reflect.Struct {
			return nil, false
		}
		runes, file := def.FieldByName("usedRunes"), def.FieldByName("utf8File")
		if !runes.IsValid() || runes.Kind() != reflect.Map || runes.IsNil() ||
			!file.IsValid() || file.Kind() != reflect.Pointer || file.IsNil() {
			return nil, false
		}
		reader := file.Elem().FieldByName("fileReader")
		if !reader.IsValid() || reader.Kind() != reflect.Pointer || reader.IsNil() {
			return nil, false
		}
		pos, arr := reader.Elem().FieldByName("readerPosition"), reader.Elem().FieldByName("array")
		if !pos.IsValid() || pos.Kind() != reflect.Int64 || !arr.IsValid() || arr.Type() != reflect.TypeOf([]byte(nil)) {
			return nil, false
		}
		pre.keys = append(pre.keys, k)
		pre.defs = append(pre.defs, def)
	}
	return pre, true
}

// install gives pdf its own copies of the prepared font definitions.
func (p *preparedFonts) install(pdf *fpdf.Fpdf) error {
	fonts, ok := fontsField(pdf)
	if !ok {
		return fmt.Errorf("gofpdf has no fonts map")
	}
	for i, k := range p.keys {
		def := reflect.New(p.defs[i].Type()).Elem()
		def.Set(p.defs[i])

		runes := open(def.FieldByName("usedRunes"))
		fresh := reflect.MakeMapWithSize(runes.Type(), runes.Len())
		it := runes.MapRange()
		for it.Next() {
			fresh.SetMapIndex(it.Key(), it.Value())
		}
		runes.Set(fresh)

		file := open(def.FieldByName("utf8File"))
		fileCopy := reflect.New(file.Type().Elem())
		fileCopy.Elem().Set(file.Elem())
		reader := open(fileCopy.Elem().FieldByName("fileReader"))
		readerCopy := reflect.New(reader.Type().Elem())
		arr := open(reader.Elem().FieldByName("array")).Bytes()
		open(readerCopy.Elem().FieldByName("array")).SetBytes(bytes.Clone(arr))
		reader.Set(readerCopy) // readerPosition starts at 0
		file.Set(fileCopy)

		fonts.SetMapIndex(k, def)
	}
	return nil
}
