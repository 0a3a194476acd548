package signing

import (
	"bytes"
	"compress/zlib"
	"context"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf16"
)

// Identity is a signing key with its certificate and the certificates
// between it and the root (the root itself may be left out).
type Identity struct {
	Key   crypto.Signer
	Cert  *x509.Certificate
	Chain []*x509.Certificate // intermediates (and optionally the root), issuer first
}

// Appearance is the visible part of a signature: an image drawn in a
// rectangle of one page.
type Appearance struct {
	// Page is the page number, from 1.
	Page int
	// X, Y, W, H are the rectangle in mm from the page's top-left corner.
	X, Y, W, H float64
	// Image is a PNG, usually with a transparent background; it is
	// stretched to the rectangle (give a rectangle of the image's aspect).
	Image []byte
}

// Options describe one signature made here, with a key the server holds
// (the issuing body's seal): the fields of PrepareOptions and the
// time-stamp authority.
type Options struct {
	// Field is the name of the signature field, unique in the document,
	// e.g. "signer" or "seal".
	Field string
	// Name, Reason, Location and Contact go into the signature dictionary
	// (/Name, /Reason, /Location, /ContactInfo).
	Name, Reason, Location, Contact string
	// Time is the claimed signing time, written as /M (PAdES puts no
	// signing-time attribute in the CMS). Zero: now.
	Time time.Time
	// Appearance is the visible signature; nil makes an invisible one.
	Appearance *Appearance
	// Reserve is the room kept for the CMS in bytes (default 16 KiB).
	Reserve int
	// SubFilter is SubFilterCAdES (the default: PAdES) or SubFilterPKCS7.
	SubFilter string
	// TSA, when set, adds an RFC 3161 time-stamp to the signature.
	TSA Timestamper
}

func (o Options) prepare() PrepareOptions {
	return PrepareOptions{Field: o.Field, Name: o.Name, Reason: o.Reason, Location: o.Location, Contact: o.Contact,
		Time: o.Time, Appearance: o.Appearance, Reserve: o.Reserve, SubFilter: o.SubFilter}
}

// defaultReserve is enough for a CMS with a three-certificate chain,
// RSA-4096 keys and a time-stamp token with its TSA's certificate.
const defaultReserve = 16 << 10

// Sign appends an incremental update to pdf that adds a signature field
// with a PAdES baseline signature (B-B, or B-T with o.TSA) made with a key
// the server holds: Prepare, BuildCMS, Embed. The update also sets the
// catalog's /Version to 1.7 (PDF 1.4 or later is needed for the
// transparent images and for SHA-256 signatures; the original bytes, and
// so the header, cannot change). Earlier signatures stay valid: nothing
// before the update is touched.
func Sign(pdf []byte, id *Identity, o Options) ([]byte, error) {
	return SignContext(context.Background(), pdf, id, o)
}

// SignContext is Sign with a context for the time-stamp request.
func SignContext(ctx context.Context, pdf []byte, id *Identity, o Options) ([]byte, error) {
	if id == nil || id.Key == nil || id.Cert == nil {
		return nil, errors.New("signing: no key or certificate")
	}
	p, err := Prepare(pdf, o.prepare())
	if err != nil {
		return nil, err
	}
	cms, err := BuildCMS(ctx, p.Digest, id.Key, id.Cert, id.Chain, o.TSA)
	if err != nil {
		return nil, fmt.Errorf("signing: %w", err)
	}
	return embed(p, cms, true)
}

// update is an incremental update being written.
type update struct {
	f       *file
	next    int            // next free object number
	objs    map[int][]byte // object number → serialized "N 0 obj ... endobj"
	sigAt   int            // offset of the /ByteRange placeholder in the output (set by finish)
	sigDict *dict          // the signature dictionary, without /ByteRange and /Contents
	catalog *dict          // the catalog being rewritten
	root    ref
}

func newUpdate(f *file) (*update, error) {
	root, err := f.rootRef()
	if err != nil {
		return nil, err
	}
	cat, err := f.dictOf(root)
	if err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	return &update{f: f, next: f.size(), objs: map[int][]byte{}, catalog: cat.clone(), root: root}, nil
}

func (u *update) alloc() int {
	n := u.next
	u.next++
	return n
}

func (u *update) put(num int, v any, stream []byte) {
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "%d 0 obj\n", num)
	write(&buf, v)
	if stream != nil {
		buf.WriteString("\nstream\n")
		buf.Write(stream)
		buf.WriteString("\nendstream")
	}
	buf.WriteString("\nendobj\n")
	u.objs[num] = buf.Bytes()
}

// mm is points per millimetre.
const mm = 72 / 25.4

// addSignatureField adds the signature dictionary, its widget (with the
// appearance) on the page, and the field in the AcroForm; it returns the
// signature dictionary's object number.
func (u *update) addSignatureField(o PrepareOptions) (int, error) {
	pages, err := u.f.pageRefs()
	if err != nil {
		return 0, err
	}
	if len(pages) == 0 {
		return 0, errors.New("the document has no pages")
	}
	pageNo := 1
	if o.Appearance != nil {
		pageNo = o.Appearance.Page
	}
	if pageNo < 1 || pageNo > len(pages) {
		return 0, fmt.Errorf("appearance on page %d of a %d-page document", pageNo, len(pages))
	}
	page := pages[pageNo-1]
	if err := u.checkFieldName(o.Field); err != nil {
		return 0, err
	}

	sigNum := u.alloc()
	widget := newDict()
	widget.set("Type", name("Annot"))
	widget.set("Subtype", name("Widget"))
	widget.set("FT", name("Sig"))
	widget.set("T", textString(o.Field))
	widget.set("V", ref{sigNum, 0})
	widget.set("P", page)
	rect := []any{0, 0, 0, 0}
	widget.set("F", 132) // Print, Locked
	if a := o.Appearance; a != nil {
		mb, err := u.f.mediaBox(page)
		if err != nil {
			return 0, err
		}
		x1, y1 := mb[0]+a.X*mm, mb[3]-(a.Y+a.H)*mm
		x2, y2 := x1+a.W*mm, y1+a.H*mm
		rect = []any{round2(x1), round2(y1), round2(x2), round2(y2)}
		ap, err := u.appearance(a.Image, x2-x1, y2-y1)
		if err != nil {
			return 0, err
		}
		n := newDict()
		n.set("N", ref{ap, 0})
		widget.set("AP", n)
	}
	widget.set("Rect", rect)
	wNum := u.alloc()
	u.put(wNum, widget, nil)

	// The page lists the widget among its annotations.
	pd, err := u.f.dictOf(page)
	if err != nil {
		return 0, err
	}
	pd = pd.clone()
	var annots []any
	if v := pd.get("Annots"); v != nil {
		rv, err := u.f.resolve(v)
		if err != nil {
			return 0, err
		}
		arr, ok := rv.([]any)
		if !ok {
			return 0, errors.New("page /Annots is not an array")
		}
		annots = append(annots, arr...)
	}
	pd.set("Annots", append(annots, ref{wNum, 0}))
	u.put(page.num, pd, nil)

	// The AcroForm lists the field; SigFlags 3: signatures exist, append only.
	var form *dict
	formNum := -1
	switch v := u.catalog.get("AcroForm").(type) {
	case ref:
		d, err := u.f.dictOf(v)
		if err != nil {
			return 0, err
		}
		form, formNum = d.clone(), v.num
	case *dict:
		form = v.clone()
	case nil:
		form = newDict()
	default:
		return 0, errors.New("catalog /AcroForm is neither a dictionary nor a reference")
	}
	var fields []any
	if v := form.get("Fields"); v != nil {
		rv, err := u.f.resolve(v)
		if err != nil {
			return 0, err
		}
		arr, _ := rv.([]any)
		fields = append(fields, arr...)
	}
	form.set("Fields", append(fields, ref{wNum, 0}))
	form.set("SigFlags", 3)
	if formNum < 0 {
		formNum = u.alloc()
	}
	u.put(formNum, form, nil)
	u.catalog.set("AcroForm", ref{formNum, 0})
	u.catalog.set("Version", name("1.7"))
	u.put(u.root.num, u.catalog, nil)

	sd := newDict()
	sd.set("Type", name("Sig"))
	sd.set("Filter", name("Adobe.PPKLite"))
	sd.set("SubFilter", name(o.SubFilter))
	if o.Name != "" {
		sd.set("Name", textString(o.Name))
	}
	if o.Reason != "" {
		sd.set("Reason", textString(o.Reason))
	}
	if o.Location != "" {
		sd.set("Location", textString(o.Location))
	}
	if o.Contact != "" {
		sd.set("ContactInfo", textString(o.Contact))
	}
	sd.set("M", literal(pdfDate(o.Time)))
	// ByteRange and Contents are written by finish.
	u.objs[sigNum] = nil
	u.sigDict = sd
	return sigNum, nil
}

// checkFieldName refuses a second field of the same name.
func (u *update) checkFieldName(field string) error {
	v := u.catalog.get("AcroForm")
	if v == nil {
		return nil
	}
	form, err := u.f.dictOf(v)
	if err != nil {
		return err
	}
	fv, err := u.f.resolve(form.get("Fields"))
	if err != nil {
		return err
	}
	arr, _ := fv.([]any)
	for _, x := range arr {
		d, err := u.f.dictOf(x)
		if err != nil {
			continue
		}
		if t := d.get("T"); t != nil && decodeText(t) == field {
			return fmt.Errorf("the document already has a field %q", field)
		}
	}
	return nil
}

func round2(x float64) number {
	return number(strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.2f", x), "0"), "."))
}

// appearance adds the image and the form XObject that draws it in a w×h
// (points) box; it returns the form's object number.
func (u *update) appearance(pngBytes []byte, w, h float64) (int, error) {
	img, err := prepareImage(pngBytes)
	if err != nil {
		return 0, err
	}
	imgDict := func(cs string, z []byte) *dict {
		d := newDict()
		d.set("Type", name("XObject"))
		d.set("Subtype", name("Image"))
		d.set("Width", img.w)
		d.set("Height", img.h)
		d.set("ColorSpace", name(cs))
		d.set("BitsPerComponent", 8)
		d.set("Filter", name("FlateDecode"))
		d.set("Length", len(z))
		return d
	}
	imNum := u.alloc()
	im := imgDict("DeviceRGB", img.rgb)
	if img.alpha != nil {
		smNum := u.alloc()
		u.put(smNum, imgDict("DeviceGray", img.alpha), img.alpha)
		im.set("SMask", ref{smNum, 0})
	}
	u.put(imNum, im, img.rgb)

	content := []byte(fmt.Sprintf("q %s 0 0 %s 0 0 cm /Im0 Do Q", round2(w), round2(h)))
	form := newDict()
	form.set("Type", name("XObject"))
	form.set("Subtype", name("Form"))
	form.set("BBox", []any{0, 0, round2(w), round2(h)})
	xo := newDict()
	xo.set("Im0", ref{imNum, 0})
	res := newDict()
	res.set("XObject", xo)
	form.set("Resources", res)
	form.set("Length", len(content))
	fNum := u.alloc()
	u.put(fNum, form, content)
	return fNum, nil
}

// pdfImage is a PNG as PDF image data: the colour samples and the alpha
// channel (nil when opaque), each deflated.
type pdfImage struct {
	w, h       int
	rgb, alpha []byte
}

// imageCache keeps the PDF form of the few images a signer uses (its
// signature, its seal): decoding the PNG and deflating its samples again
// for every document was about half the time of signing.
var imageCache = struct {
	sync.Mutex
	m map[[32]byte]*pdfImage
}{m: map[[32]byte]*pdfImage{}}

func prepareImage(pngBytes []byte) (*pdfImage, error) {
	key := sha256.Sum256(pngBytes)
	imageCache.Lock()
	img, ok := imageCache.m[key]
	imageCache.Unlock()
	if ok {
		return img, nil
	}
	src, err := png.Decode(bytes.NewReader(pngBytes))
	if err != nil {
		return nil, fmt.Errorf("appearance image: %w", err)
	}
	b := src.Bounds()
	nrgba := image.NewNRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(nrgba, nrgba.Bounds(), src, b.Min, draw.Src)
	rgb := make([]byte, 0, 3*b.Dx()*b.Dy())
	alpha := make([]byte, 0, b.Dx()*b.Dy())
	opaque := true
	for i := 0; i < len(nrgba.Pix); i += 4 {
		rgb = append(rgb, nrgba.Pix[i], nrgba.Pix[i+1], nrgba.Pix[i+2])
		alpha = append(alpha, nrgba.Pix[i+3])
		opaque = opaque && nrgba.Pix[i+3] == 0xff
	}
	img = &pdfImage{w: b.Dx(), h: b.Dy(), rgb: deflate(rgb)}
	if !opaque {
		img.alpha = deflate(alpha)
	}
	imageCache.Lock()
	if len(imageCache.m) >= 64 {
		clear(imageCache.m)
	}
	imageCache.m[key] = img
	imageCache.Unlock()
	return img, nil
}

func deflate(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&buf, zlib.BestSpeed)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// byteRangeWidth is the room kept for "/ByteRange [0 a b c]".
const byteRangeWidth = len("/ByteRange [0 0000000000 0000000000 0000000000]")

// finish writes the update: the objects, the cross-reference section and
// the trailer. It returns the file and the offset of the "<" that opens
// the signature's /Contents.
func (u *update) finish(sigNum, reserve int) ([]byte, int, error) {
	out := bytes.NewBuffer(make([]byte, 0, len(u.f.b)+2*reserve+64<<10))
	out.Write(u.f.b)
	if !bytes.HasSuffix(u.f.b, []byte("\n")) {
		out.WriteByte('\n')
	}
	nums := make([]int, 0, len(u.objs))
	for n := range u.objs {
		nums = append(nums, n)
	}
	sort.Ints(nums)
	offsets := map[int]int{}
	contentsAt := -1
	for _, n := range nums {
		offsets[n] = out.Len()
		if n != sigNum {
			out.Write(u.objs[n])
			continue
		}
		fmt.Fprintf(out, "%d 0 obj\n", n)
		var d bytes.Buffer
		write(&d, u.sigDict)
		s := d.Bytes()
		out.Write(s[:len(s)-2]) // without ">>"
		u.sigAt = out.Len()
		out.WriteString("/ByteRange [0 0 0 0]" + strings.Repeat(" ", byteRangeWidth-len("/ByteRange [0 0 0 0]")))
		out.WriteString(" /Contents ")
		contentsAt = out.Len()
		out.WriteByte('<')
		out.Write(bytes.Repeat([]byte("0"), 2*reserve))
		out.WriteString(">>>\nendobj\n")
	}
	xref := out.Len()
	out.WriteString("xref\n")
	for i := 0; i < len(nums); {
		j := i
		for j+1 < len(nums) && nums[j+1] == nums[j]+1 {
			j++
		}
		fmt.Fprintf(out, "%d %d\n", nums[i], j-i+1)
		for k := i; k <= j; k++ {
			fmt.Fprintf(out, "%010d 00000 n\r\n", offsets[nums[k]])
		}
		i = j + 1
	}
	t := newDict()
	t.set("Size", u.next)
	t.set("Root", u.root)
	old := u.f.trailer()
	for _, k := range []name{"Info", "ID"} {
		if v := old.get(k); v != nil {
			t.set(k, v)
		}
	}
	t.set("Prev", u.f.revs[len(u.f.revs)-1].xrefAt)
	out.WriteString("trailer\n")
	var tb bytes.Buffer
	write(&tb, t)
	out.Write(tb.Bytes())
	fmt.Fprintf(out, "\nstartxref\n%d\n%%%%EOF\n", xref)
	if contentsAt < 0 {
		return nil, 0, errors.New("signature dictionary not written")
	}
	return out.Bytes(), contentsAt, nil
}

// fillByteRange writes the byte range over its placeholder at at.
func fillByteRange(out []byte, sigNum, at int, br [4]int) error {
	s := fmt.Sprintf("/ByteRange [%d %d %d %d]", br[0], br[1], br[2], br[3])
	if len(s) > byteRangeWidth {
		return fmt.Errorf("byte range %v does not fit its placeholder", br)
	}
	s += strings.Repeat(" ", byteRangeWidth-len(s))
	if !bytes.HasPrefix(out[at:], []byte("/ByteRange [0 0 0 0]")) {
		return fmt.Errorf("byte range placeholder of object %d not found", sigNum)
	}
	copy(out[at:], s)
	return nil
}

// textString encodes s as a PDF text string: PDFDocEncoding's ASCII part
// as is, anything else as UTF-16BE with a byte-order mark.
func textString(s string) any {
	ascii := true
	for _, r := range s {
		if r >= 0x7f || r < 0x20 {
			ascii = false
			break
		}
	}
	if ascii {
		return literal(s)
	}
	out := []byte{0xfe, 0xff}
	for _, c := range utf16.Encode([]rune(s)) {
		out = append(out, byte(c>>8), byte(c))
	}
	return hexString(out)
}

// decodeText decodes a PDF text string (literal or hex, PDFDocEncoding's
// ASCII or UTF-16BE with a BOM).
func decodeText(v any) string {
	var b []byte
	switch v := v.(type) {
	case literal:
		b = v
	case hexString:
		b = v
	default:
		return ""
	}
	if len(b) >= 2 && b[0] == 0xfe && b[1] == 0xff {
		var u []uint16
		for i := 2; i+1 < len(b); i += 2 {
			u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
		}
		return string(utf16.Decode(u))
	}
	return string(b)
}

// pdfDate writes t as a PDF date, D:YYYYMMDDHHmmSS+HH'mm'.
func pdfDate(t time.Time) string {
	_, off := t.Zone()
	sign := byte('+')
	if off < 0 {
		sign, off = '-', -off
	}
	if off == 0 {
		return t.Format("D:20060102150405") + "Z"
	}
	return fmt.Sprintf("%s%c%02d'%02d'", t.Format("D:20060102150405"), sign, off/3600, off%3600/60)
}
