package signing

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/smallstep/pkcs7"
)

// Report is what Verify found in a file.
type Report struct {
	// Size is the file's length in bytes; Revisions the number of its
	// sections (the original document and each incremental update).
	Size, Revisions int
	// Signatures are the signature fields in the order they were signed.
	Signatures []SignatureReport
	// Problems are faults of the file as a whole (unreadable, unsigned,
	// changed after the last signature).
	Problems []string
}

// OK reports whether the file is signed, every signature is valid, and
// the last one covers the whole file.
func (r *Report) OK() bool {
	if len(r.Problems) > 0 || len(r.Signatures) == 0 {
		return false
	}
	for _, s := range r.Signatures {
		if !s.Valid() {
			return false
		}
	}
	return true
}

// String is a report for people: one block per signature, every problem named.
func (r *Report) String() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%d bytes, %d revisions, %d signatures\n", r.Size, r.Revisions, len(r.Signatures))
	for i, s := range r.Signatures {
		status := "VALID"
		if !s.Valid() {
			status = "INVALID"
		}
		fmt.Fprintf(&sb, "signature %d (field %q): %s\n", i+1, s.Field, status)
		if s.Signer != "" {
			fmt.Fprintf(&sb, "  signer:       %s (issued by %s)\n", s.Signer, s.Issuer)
		}
		if !s.SigningTime.IsZero() {
			fmt.Fprintf(&sb, "  signing time: %s\n", s.SigningTime.Format(time.RFC3339))
		}
		fmt.Fprintf(&sb, "  byte range:   %v; covers revision %d of %d", s.ByteRange, s.Revision, r.Revisions)
		if s.WholeFile {
			sb.WriteString(" (the whole file)")
		}
		sb.WriteString("\n")
		for _, c := range s.Checks {
			fmt.Fprintf(&sb, "  ok:   %s\n", c)
		}
		for _, p := range s.Problems {
			fmt.Fprintf(&sb, "  FAIL: %s\n", p)
		}
	}
	for _, p := range r.Problems {
		fmt.Fprintf(&sb, "FAIL: %s\n", p)
	}
	if r.OK() {
		sb.WriteString("the document is intact and every signature is valid\n")
	}
	return sb.String()
}

// SignatureReport is the verdict on one signature.
type SignatureReport struct {
	Field       string
	Name        string // the /Name of the signature dictionary
	Signer      string // the certificate's subject
	Issuer      string // the certificate's issuer
	SigningTime time.Time
	ByteRange   [4]int
	Revision    int  // the revision (from 1) the signature covers
	WholeFile   bool // the signed range reaches the end of the file
	Checks      []string
	Problems    []string
}

// Valid reports whether the signature passed every check.
func (s SignatureReport) Valid() bool { return len(s.Problems) == 0 }

// Verify checks every signature of pdf: that its byte range is well formed
// and leaves out exactly its own /Contents, that the SHA-256 digest of the
// range is the one signed, that the CMS signature verifies with the
// certificate it carries, that the certificate chains to one of roots at
// the signing time (roots nil: reported as a problem), that the last
// signature covers the whole file, and that the incremental updates after
// an earlier signature only add signatures. Every finding, an unreadable
// file included, is in the Report; Report.OK says whether all is well.
func Verify(pdf []byte, roots *x509.CertPool) *Report {
	r := &Report{Size: len(pdf)}
	f, err := parseFile(pdf)
	if err != nil {
		r.Problems = append(r.Problems, "cannot read the file: "+err.Error())
		return r
	}
	r.Revisions = len(f.revs)
	fields, err := signatureFields(f)
	if err != nil {
		r.Problems = append(r.Problems, "cannot read the signature fields: "+err.Error())
		return r
	}
	if len(fields) == 0 {
		r.Problems = append(r.Problems, "the file has no signature")
		return r
	}
	for _, fd := range fields {
		r.Signatures = append(r.Signatures, verifyOne(f, fd, roots))
	}
	// In signing order: by the end of the signed range.
	for i := 1; i < len(r.Signatures); i++ {
		for j := i; j > 0 && end(r.Signatures[j].ByteRange) < end(r.Signatures[j-1].ByteRange); j-- {
			r.Signatures[j], r.Signatures[j-1] = r.Signatures[j-1], r.Signatures[j]
		}
	}
	last := &r.Signatures[len(r.Signatures)-1]
	if e := end(last.ByteRange); e != len(pdf) && e > 0 {
		r.Problems = append(r.Problems, fmt.Sprintf("the file was changed after the last signature: %d bytes follow the signed range (which ends at byte %d)", len(pdf)-e, e))
	}
	for i := range r.Signatures {
		s := &r.Signatures[i]
		if s.Revision > 0 && s.Revision < len(f.revs) {
			for _, p := range laterChanges(f, s.Revision) {
				s.Problems = append(s.Problems, p)
			}
			if len(s.Problems) == 0 {
				s.Checks = append(s.Checks, fmt.Sprintf("the %d later revision(s) only add signatures", len(f.revs)-s.Revision))
			}
		}
	}
	return r
}

func end(br [4]int) int { return br[2] + br[3] }

// sigField is a signature field and its signature dictionary.
type sigField struct {
	name string
	sig  *dict
}

func signatureFields(f *file) ([]sigField, error) {
	root, err := f.rootRef()
	if err != nil {
		return nil, err
	}
	cat, err := f.dictOf(root)
	if err != nil {
		return nil, err
	}
	if cat.get("AcroForm") == nil {
		return nil, nil
	}
	form, err := f.dictOf(cat.get("AcroForm"))
	if err != nil {
		return nil, fmt.Errorf("AcroForm: %w", err)
	}
	fv, err := f.resolve(form.get("Fields"))
	if err != nil {
		return nil, err
	}
	arr, _ := fv.([]any)
	var out []sigField
	var walk func(v any, prefix string, depth int) error
	walk = func(v any, prefix string, depth int) error {
		if depth > 16 {
			return errors.New("field tree too deep")
		}
		d, err := f.dictOf(v)
		if err != nil {
			return err
		}
		nm := decodeText(d.get("T"))
		if prefix != "" {
			nm = prefix + "." + nm
		}
		if kids, ok := d.get("Kids").([]any); ok {
			for _, k := range kids {
				if err := walk(k, nm, depth+1); err != nil {
					return err
				}
			}
		}
		if d.get("FT") == name("Sig") && d.get("V") != nil {
			sd, err := f.dictOf(d.get("V"))
			if err != nil {
				return fmt.Errorf("field %q: %w", nm, err)
			}
			out = append(out, sigField{name: nm, sig: sd})
		}
		return nil
	}
	for _, v := range arr {
		if err := walk(v, "", 0); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func verifyOne(f *file, fd sigField, roots *x509.CertPool) SignatureReport {
	s := SignatureReport{Field: fd.name, Name: decodeText(fd.sig.get("Name"))}
	fail := func(format string, args ...any) SignatureReport {
		s.Problems = append(s.Problems, fmt.Sprintf(format, args...))
		return s
	}
	b := f.b
	if sf := fd.sig.get("SubFilter"); sf != name("adbe.pkcs7.detached") && sf != name("ETSI.CAdES.detached") {
		return fail("unsupported signature format %v (want adbe.pkcs7.detached)", sf)
	}
	arr, ok := fd.sig.get("ByteRange").([]any)
	if !ok || len(arr) != 4 {
		return fail("no /ByteRange of four numbers")
	}
	for i, v := range arr {
		n, ok := asInt(v)
		if !ok || n < 0 {
			return fail("/ByteRange entry %d is not a non-negative integer", i+1)
		}
		s.ByteRange[i] = n
	}
	br := s.ByteRange
	switch {
	case br[0] != 0:
		return fail("the byte range does not start at the beginning of the file")
	case br[1] <= 0 || br[2] <= br[1]+1 || end(br) > len(b):
		return fail("the byte range %v is malformed or reaches past the end of the file (%d bytes)", br, len(b))
	case b[br[1]] != '<' || b[br[2]-1] != '>':
		return fail("the gap in the byte range is not the signature's hex string: the file was changed after signing")
	}
	gap, err := decodeHex(b[br[1]+1 : br[2]-1])
	if err != nil {
		return fail("the gap in the byte range is not a hex string: %v", err)
	}
	contents, _ := fd.sig.get("Contents").(hexString)
	if !bytes.Equal(contents, gap) {
		return fail("the byte range leaves out something else than this signature's /Contents")
	}
	// The gap is the one part of the file no signature covers: it must be
	// exactly the CMS in hex (one case) and zeros after it, so that no byte
	// of it can change unnoticed.
	raw := b[br[1]+1 : br[2]-1]
	if lower := []byte(hex.EncodeToString(gap)); !bytes.Equal(raw, lower) && !bytes.Equal(raw, bytes.ToUpper(lower)) {
		return fail("the signature's hex string is not in canonical form: it was changed after signing")
	}
	s.Checks = append(s.Checks, "the byte range leaves out exactly the signature's /Contents")
	var der asn1.RawValue
	rest, err := asn1.Unmarshal(gap, &der)
	if err != nil {
		return fail("the signature is not DER: %v", err)
	}
	if len(bytes.Trim(rest, "\x00")) > 0 {
		return fail("%d bytes other than zero padding follow the CMS in /Contents: changed after signing", len(bytes.Trim(rest, "\x00")))
	}
	p7, err := pkcs7.Parse(der.FullBytes)
	if err != nil {
		return fail("the signature is not a CMS SignedData: %v", err)
	}
	signed := make([]byte, 0, br[1]+br[3])
	signed = append(append(signed, b[:br[1]]...), b[br[2]:end(br)]...)
	var md []byte
	if err := p7.UnmarshalSignedAttribute(pkcs7.OIDAttributeMessageDigest, &md); err != nil {
		return fail("the CMS has no message digest attribute: %v", err)
	}
	if len(p7.Signers) != 1 {
		return fail("the CMS has %d signers, want 1", len(p7.Signers))
	}
	if alg := p7.Signers[0].DigestAlgorithm.Algorithm; !alg.Equal(pkcs7.OIDDigestAlgorithmSHA256) {
		return fail("digest algorithm %v, want SHA-256", alg)
	}
	sum := sha256.Sum256(signed)
	if !bytes.Equal(sum[:], md) {
		return fail("digest mismatch: the signed bytes were changed after signing (SHA-256 %x, signed %x)", sum[:8], md[:min(8, len(md))])
	}
	s.Checks = append(s.Checks, "SHA-256 digest of the signed bytes matches")
	_ = p7.UnmarshalSignedAttribute(pkcs7.OIDAttributeSigningTime, &s.SigningTime)
	cert := p7.GetOnlySigner()
	if cert == nil {
		return fail("the CMS does not carry the signer's certificate")
	}
	s.Signer, s.Issuer = cert.Subject.String(), cert.Issuer.String()
	p7.Content = signed
	if err := p7.Verify(); err != nil {
		return fail("the CMS signature does not verify: %v", err)
	}
	s.Checks = append(s.Checks, "CMS signature verifies with the signer's certificate")
	if roots == nil {
		return fail("certificate chain not checked: no trusted CA configured")
	}
	inter := x509.NewCertPool()
	for _, c := range p7.Certificates {
		inter.AddCert(c)
	}
	at := s.SigningTime
	if at.IsZero() {
		at = time.Now()
	}
	if _, err := cert.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: at, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}); err != nil {
		return fail("certificate chain: %v", err)
	}
	s.Checks = append(s.Checks, "certificate chains to the configured CA at the signing time")
	for i, rv := range f.revs {
		if rv.end == end(br) {
			s.Revision = i + 1
		}
	}
	if s.Revision == 0 {
		return fail("the signed range ends at byte %d, which is not the end of a revision", end(br))
	}
	s.WholeFile = end(br) == len(b)
	return s
}

// laterChanges lists what the revisions after rev (1-based) change in the
// objects that rev's signature covers, other than adding a signature:
// allowed are a rewritten catalog (/AcroForm, /Version), AcroForm
// (/Fields, /SigFlags) and page (/Annots, with signature widgets added).
func laterChanges(f *file, rev int) []string {
	var probs []string
	asOf := func(num, k int) (*object, bool) {
		for i := k - 1; i >= 0; i-- {
			if e, ok := f.revs[i].entries[num]; ok {
				o, err := f.objectAt(e[0])
				return o, err == nil
			}
		}
		return nil, false
	}
	allowed := map[name]bool{"AcroForm": true, "Version": true, "Fields": true, "SigFlags": true, "Annots": true}
	for k := rev + 1; k <= len(f.revs); k++ {
		for _, num := range f.revs[k-1].objNums {
			old, existed := asOf(num, rev)
			if !existed {
				continue
			}
			cur, ok := asOf(num, k)
			if !ok {
				probs = append(probs, fmt.Sprintf("revision %d: object %d is unreadable", k, num))
				continue
			}
			od, ok1 := old.value.(*dict)
			nd, ok2 := cur.value.(*dict)
			if !ok1 || !ok2 || old.stream != nil || cur.stream != nil {
				if !equal(old.value, cur.value) || !bytes.Equal(old.stream, cur.stream) {
					probs = append(probs, fmt.Sprintf("revision %d changes object %d after this signature", k, num))
				}
				continue
			}
			keys := map[name]bool{}
			for _, key := range append(append([]name(nil), od.keys...), nd.keys...) {
				keys[key] = true
			}
			for key := range keys {
				if allowed[key] {
					continue
				}
				if !equal(od.get(key), nd.get(key)) {
					probs = append(probs, fmt.Sprintf("revision %d changes /%s of object %d (%v) after this signature", k, key, num, od.get("Type")))
				}
			}
			if p := annotsAdded(f, od.get("Annots"), nd.get("Annots")); p != "" {
				probs = append(probs, fmt.Sprintf("revision %d: page object %d: %s", k, num, p))
			}
		}
	}
	return probs
}

// annotsAdded checks that now keeps every annotation of before and adds
// only signature widgets.
func annotsAdded(f *file, before, now any) string {
	if before == nil && now == nil {
		return ""
	}
	bv, _ := f.resolve(before)
	nv, _ := f.resolve(now)
	ba, _ := bv.([]any)
	na, _ := nv.([]any)
	if len(na) < len(ba) {
		return "annotations removed"
	}
	for i := range ba {
		if !equal(ba[i], na[i]) {
			return "annotations replaced"
		}
	}
	for _, a := range na[len(ba):] {
		d, err := f.dictOf(a)
		if err != nil || d.get("Subtype") != name("Widget") || d.get("FT") != name("Sig") {
			return "an annotation other than a signature widget added"
		}
	}
	return ""
}
