package signing

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/asn1"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/smallstep/pkcs7"

	"chuyenhoa/cycle"
)

// VerifyOptions are what a signature is judged against.
type VerifyOptions struct {
	// Roots are the trust anchors: the root certificates of the
	// certification authorities whose certificates are accepted (for
	// officials, the government CA of Ban Cơ yếu Chính phủ; for public
	// signatures, the licensed CAs). nil: every signature is refused with
	// signing.no_roots.
	Roots *x509.CertPool
	// Intermediates are extra intermediate CA certificates, for chains
	// the CMS does not carry whole.
	Intermediates *x509.CertPool
	// CRLs are the revocation lists to check the chain against; each is
	// used only if its signature verifies with the certificate's issuer.
	// A certificate whose issuer has no CRL here is reported "not
	// checked", not refused.
	CRLs []*x509.RevocationList
	// At is the time the certificates must be valid at. Zero: each
	// signature's own time — its verified time-stamp's, else its claimed
	// time (/M, else a CMS signing-time attribute).
	At time.Time
	// RequireKeyUsage refuses a certificate that has no key-usage
	// extension at all. A key usage without digitalSignature or
	// nonRepudiation is always refused.
	RequireKeyUsage bool
	// RequireTimestamp refuses a signature without a valid RFC 3161
	// signature time-stamp.
	RequireTimestamp bool
	// TSARoots are the trust anchors of time-stamp authorities (nil: Roots).
	TSARoots *x509.CertPool
}

// Report is what Verify found in a file.
type Report struct {
	// Size is the file's length in bytes; Revisions the number of its
	// sections (the original document and each incremental update).
	Size      int `json:"size"`
	Revisions int `json:"revisions"`
	// Signatures are the signature fields in the order they were signed.
	Signatures []SignatureReport `json:"signatures"`
	// Problems are faults of the file as a whole (unreadable, unsigned,
	// changed after the last signature).
	Problems []cycle.Problem `json:"problems,omitempty"`
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

// String is the report in English (Text gives it in a language).
func (r *Report) String() string { return r.Text(cycle.English) }

// Text is a report for people, in a language: one block per signature
// saying who signed, as what, when, with which certificate chain, what
// was checked, and every problem named.
func (r *Report) Text(lang cycle.Lang) string {
	vi := lang != cycle.English
	say := func(en, viText string) string {
		if vi {
			return viText
		}
		return en
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, say("%d bytes, %d revisions, %d signatures\n", "%d byte, %d phiên bản, %d chữ ký\n"), r.Size, r.Revisions, len(r.Signatures))
	for i, s := range r.Signatures {
		status := say("VALID", "HỢP LỆ")
		if !s.Valid() {
			status = say("INVALID", "KHÔNG HỢP LỆ")
		}
		fmt.Fprintf(&sb, say("signature %d (field %q, %s): %s\n", "chữ ký %d (trường %q, %s): %s\n"), i+1, s.Field, s.SubFilter, status)
		line := func(en, viLabel, v string) {
			if v != "" {
				fmt.Fprintf(&sb, "  %-14s %s\n", say(en, viLabel)+":", v)
			}
		}
		line("signer", "người ký", s.Signer)
		if s.Name != "" && s.Name != s.SignerCommonName {
			line("as", "danh nghĩa", s.Name)
		}
		line("reason", "lý do", s.Reason)
		line("location", "nơi ký", s.Location)
		if s.Serial != "" {
			line("certificate", "chứng thư", fmt.Sprintf("serial %s, issued by %s, valid %s – %s", s.Serial, s.Issuer,
				when(s.NotBefore).Say(lang), when(s.NotAfter).Say(lang)))
		}
		if len(s.KeyUsage) > 0 {
			line("key usage", "mục đích", strings.Join(s.KeyUsage, ", "))
		}
		for j, c := range s.Chain {
			line(fmt.Sprintf("chain[%d]", j), fmt.Sprintf("chuỗi[%d]", j), c)
		}
		if !s.ClaimedTime.IsZero() {
			line("claimed time", "thời điểm ký", when(s.ClaimedTime).Say(lang)+" (/M)")
		}
		if t := s.Timestamp; t != nil {
			v := when(t.Time).Say(lang) + " — " + t.TSA
			if t.Verified {
				v += say(" (verified)", " (đã kiểm tra)")
			} else {
				v += " — " + t.Problem
			}
			line("time-stamp", "dấu thời gian", v)
		}
		if !s.SigningTime.IsZero() {
			line("checked at", "kiểm tra tại", when(s.SigningTime).Say(lang))
		}
		line("revocation", "thu hồi", s.Revocation)
		cover := fmt.Sprintf("%v, %d bytes; revision %d of %d", s.ByteRange, s.CoveredBytes, s.Revision, r.Revisions)
		if s.WholeFile {
			cover += say(" (the whole file)", " (toàn bộ tệp)")
		}
		line("byte range", "phạm vi ký", cover)
		line("since", "sau khi ký", s.ChangedSince)
		for _, c := range s.Checks {
			fmt.Fprintf(&sb, "  ok:   %s\n", c)
		}
		for _, p := range s.Warnings {
			fmt.Fprintf(&sb, say("  NOTE: %s\n", "  LƯU Ý: %s\n"), p.In(lang))
		}
		for _, p := range s.Problems {
			fmt.Fprintf(&sb, say("  FAIL: %s\n", "  LỖI: %s\n"), p.In(lang))
		}
	}
	for _, p := range r.Problems {
		fmt.Fprintf(&sb, say("FAIL: %s\n", "LỖI: %s\n"), p.In(lang))
	}
	if r.OK() {
		sb.WriteString(say("the document is intact and every signature is valid\n", "văn bản còn nguyên vẹn và mọi chữ ký đều hợp lệ\n"))
	}
	return sb.String()
}

// SignatureReport is the verdict on one signature.
type SignatureReport struct {
	Field     string `json:"field"`
	SubFilter string `json:"sub_filter"`
	// Name, Reason and Location are the signature dictionary's: as whom
	// and why the signer signed.
	Name     string `json:"name,omitempty"`
	Reason   string `json:"reason,omitempty"`
	Location string `json:"location,omitempty"`
	// Signer is the signer certificate's subject, SignerCommonName its CN,
	// Serial its serial number (hex), Issuer its issuer.
	Signer           string    `json:"signer,omitempty"`
	SignerCommonName string    `json:"signer_common_name,omitempty"`
	Serial           string    `json:"serial,omitempty"`
	Issuer           string    `json:"issuer,omitempty"`
	NotBefore        time.Time `json:"not_before,omitzero"`
	NotAfter         time.Time `json:"not_after,omitzero"`
	// KeyUsage names the certificate's key usages and extended key usages.
	KeyUsage []string `json:"key_usage,omitempty"`
	// Chain is the verified chain, signer first, up to the trust anchor.
	Chain []string `json:"chain,omitempty"`
	// Certificate is the signer's certificate (DER).
	Certificate []byte `json:"certificate,omitempty"`
	// ClaimedTime is /M: the signing time the signer's side claims.
	ClaimedTime time.Time `json:"claimed_time,omitzero"`
	// SigningTime is the time the certificates were checked at (see
	// VerifyOptions.At).
	SigningTime time.Time `json:"signing_time,omitzero"`
	// Timestamp is the signature time-stamp, when there is one.
	Timestamp *TimestampReport `json:"timestamp,omitempty"`
	// Revocation says what the revocation check found.
	Revocation string `json:"revocation,omitempty"`
	// ByteRange is the signed range; CoveredBytes its length; Revision
	// the revision (from 1) it ends; WholeFile whether it reaches the end
	// of the file.
	ByteRange    [4]int `json:"byte_range"`
	CoveredBytes int    `json:"covered_bytes"`
	Revision     int    `json:"revision"`
	WholeFile    bool   `json:"whole_file"`
	// ChangedSince says what the file gained after this signature.
	ChangedSince string `json:"changed_since,omitempty"`
	// Checks are what passed; Warnings what is worth knowing but does not
	// invalidate; Problems why the signature is refused.
	Checks   []string        `json:"checks,omitempty"`
	Warnings []cycle.Problem `json:"warnings,omitempty"`
	Problems []cycle.Problem `json:"problems,omitempty"`
}

// Valid reports whether the signature passed every check.
func (s SignatureReport) Valid() bool { return len(s.Problems) == 0 }

// Err is nil for a valid signature, else an EINVALID *cycle.Error listing
// its problems (Vietnamese in Text and each problem's Text).
func (s SignatureReport) Err() error {
	if s.Valid() {
		return nil
	}
	msgs, texts := make([]string, len(s.Problems)), make([]string, len(s.Problems))
	for i, p := range s.Problems {
		msgs[i], texts[i] = p.Message, p.Text
	}
	return &cycle.Error{Code: cycle.EINVALID,
		Message:  fmt.Sprintf("signature %q refused: %s", s.Field, strings.Join(msgs, "; ")),
		Text:     fmt.Sprintf("Chữ ký %q không được chấp nhận: %s", s.Field, strings.Join(texts, "; ")),
		Problems: s.Problems}
}

// Verify checks every signature of pdf against roots, with the default
// options otherwise (key usage required). See VerifyWith.
func Verify(pdf []byte, roots *x509.CertPool) *Report {
	return VerifyWith(pdf, VerifyOptions{Roots: roots, RequireKeyUsage: true})
}

// VerifyWith checks every signature of pdf: that its byte range is well
// formed and leaves out exactly its own /Contents, that the SHA-256
// digest of the range is the one signed, that the CMS signature verifies
// with the certificate it carries (and, for PAdES, that the
// signing-certificate-v2 attribute names that certificate), that the
// certificate chains to o.Roots, was valid, not revoked (per o.CRLs) and
// for signing at the signing time, the time-stamp if any, that the last
// signature covers the whole file, and that the incremental updates after
// an earlier signature only add signatures. Every finding, an unreadable
// file included, is in the Report; Report.OK says whether all is well.
func VerifyWith(pdf []byte, o VerifyOptions) *Report {
	r := &Report{Size: len(pdf)}
	f, err := parseFile(pdf)
	if err != nil {
		r.Problems = append(r.Problems, cycle.NewProblem("signing.unreadable", err.Error()))
		return r
	}
	r.Revisions = len(f.revs)
	fields, err := signatureFields(f)
	if err != nil {
		r.Problems = append(r.Problems, cycle.NewProblem("signing.unreadable", "the signature fields: "+err.Error()))
		return r
	}
	if len(fields) == 0 {
		r.Problems = append(r.Problems, cycle.NewProblem("signing.unsigned"))
		return r
	}
	for _, fd := range fields {
		r.Signatures = append(r.Signatures, verifyOne(f, fd, o))
	}
	// In signing order: by the end of the signed range.
	for i := 1; i < len(r.Signatures); i++ {
		for j := i; j > 0 && end(r.Signatures[j].ByteRange) < end(r.Signatures[j-1].ByteRange); j-- {
			r.Signatures[j], r.Signatures[j-1] = r.Signatures[j-1], r.Signatures[j]
		}
	}
	last := &r.Signatures[len(r.Signatures)-1]
	if e := end(last.ByteRange); e != len(pdf) && e > 0 {
		r.Problems = append(r.Problems, cycle.NewProblem("signing.modified_after", len(pdf)-e, e))
	}
	for i := range r.Signatures {
		s := &r.Signatures[i]
		if s.Revision == 0 {
			continue
		}
		later := len(f.revs) - s.Revision
		switch {
		case later == 0 && s.WholeFile:
			s.ChangedSince = "nothing: the signature covers the whole file"
		case later == 0:
			s.ChangedSince = fmt.Sprintf("%d bytes appended", len(pdf)-end(s.ByteRange))
		default:
			changes := laterChanges(f, s.Revision)
			for _, p := range changes {
				s.Problems = append(s.Problems, cycle.NewProblem("signing.changed_between", p))
			}
			if len(changes) == 0 {
				s.ChangedSince = fmt.Sprintf("%d later revision(s), which only add signatures", later)
				s.Checks = append(s.Checks, fmt.Sprintf("the %d later revision(s) only add signatures", later))
			} else {
				s.ChangedSince = fmt.Sprintf("%d later revision(s), with %d change(s) beyond adding signatures", later, len(changes))
			}
		}
	}
	return r
}

// VerifySignature verifies pdf and returns the report of its signature
// field named field, with an error (a *cycle.Error listing the problems)
// when that signature is refused or the file as a whole is not intact.
func VerifySignature(pdf []byte, field string, o VerifyOptions) (SignatureReport, *Report, error) {
	rep := VerifyWith(pdf, o)
	for _, s := range rep.Signatures {
		if s.Field != field {
			continue
		}
		if len(rep.Problems) > 0 {
			s.Problems = append(s.Problems, rep.Problems...)
		}
		return s, rep, s.Err()
	}
	probs := rep.Problems
	if len(probs) == 0 {
		probs = []cycle.Problem{cycle.NewProblem("signing.unsigned")}
	}
	return SignatureReport{Field: field, Problems: probs}, rep, SignatureReport{Field: field, Problems: probs}.Err()
}

// Complete ends an external signature: it adds a time-stamp when tsa is
// not nil (AddTimestamp), embeds cms in the prepared document (Embed) and
// verifies the new signature (VerifySignature). It returns the signed
// document and the signature's report, or an error — Embed's, or the
// report's problems as a *cycle.Error naming each refusal — and then the
// document must not be issued: the task stays open for another try.
// o.At defaults to the moment of the call: the server witnesses the
// signature arriving now, so the certificate must be valid now.
func Complete(ctx context.Context, p Prepared, cms []byte, tsa Timestamper, o VerifyOptions) ([]byte, SignatureReport, error) {
	if err := cmsSignsDigest(cms, p.Digest, nil); err != nil {
		return nil, SignatureReport{Field: p.Field, Problems: problemsOf(err)}, err
	}
	cms, err := AddTimestamp(ctx, cms, tsa)
	if err != nil {
		return nil, SignatureReport{Field: p.Field}, err
	}
	out, err := Embed(p, cms)
	if err != nil {
		return nil, SignatureReport{Field: p.Field, Problems: problemsOf(err)}, err
	}
	if o.At.IsZero() {
		o.At = time.Now()
	}
	s, _, err := VerifySignature(out, p.Field, o)
	if err != nil {
		return nil, s, err
	}
	return out, s, nil
}

func problemsOf(err error) []cycle.Problem {
	var ce *cycle.Error
	if errors.As(err, &ce) {
		return ce.Problems
	}
	return nil
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

// verifyOne checks one signature: its place in the file, its CMS, then
// its certificate (verifyCertificate).
func verifyOne(f *file, fd sigField, o VerifyOptions) SignatureReport {
	s := SignatureReport{Field: fd.name, Name: decodeText(fd.sig.get("Name")), Reason: decodeText(fd.sig.get("Reason")),
		Location: decodeText(fd.sig.get("Location"))}
	sf, _ := fd.sig.get("SubFilter").(name)
	s.SubFilter = string(sf)
	if m := decodeText(fd.sig.get("M")); m != "" {
		s.ClaimedTime, _ = parsePDFDate(m)
	}
	fail := func(rule string, args ...any) SignatureReport {
		s.Problems = append(s.Problems, cycle.NewProblem(rule, args...))
		return s
	}
	malformed := func(format string, args ...any) SignatureReport {
		return fail("signing.malformed", fmt.Sprintf(format, args...))
	}
	b := f.b
	if s.SubFilter != SubFilterPKCS7 && s.SubFilter != SubFilterCAdES {
		return malformed("unsupported signature format %q (want %s or %s)", s.SubFilter, SubFilterCAdES, SubFilterPKCS7)
	}
	arr, ok := fd.sig.get("ByteRange").([]any)
	if !ok || len(arr) != 4 {
		return malformed("no /ByteRange of four numbers")
	}
	for i, v := range arr {
		n, ok := asInt(v)
		if !ok || n < 0 {
			return malformed("/ByteRange entry %d is not a non-negative integer", i+1)
		}
		s.ByteRange[i] = n
	}
	br := s.ByteRange
	switch {
	case br[0] != 0:
		return malformed("the byte range does not start at the beginning of the file")
	case br[1] <= 0 || br[2] <= br[1]+1 || end(br) > len(b):
		return malformed("the byte range %v is malformed or reaches past the end of the file (%d bytes)", br, len(b))
	case b[br[1]] != '<' || b[br[2]-1] != '>':
		return malformed("the gap in the byte range is not the signature's hex string: the file was changed after signing")
	}
	s.CoveredBytes = br[1] + br[3]
	gap, err := decodeHex(b[br[1]+1 : br[2]-1])
	if err != nil {
		return malformed("the gap in the byte range is not a hex string: %v", err)
	}
	contents, _ := fd.sig.get("Contents").(hexString)
	if !bytes.Equal(contents, gap) {
		return malformed("the byte range leaves out something else than this signature's /Contents")
	}
	// The gap is the one part of the file no signature covers: it must be
	// exactly the CMS in hex (one case) and zeros after it, so that no byte
	// of it can change unnoticed.
	raw := b[br[1]+1 : br[2]-1]
	if lower := []byte(hex.EncodeToString(gap)); !bytes.Equal(raw, lower) && !bytes.Equal(raw, bytes.ToUpper(lower)) {
		return malformed("the signature's hex string is not in canonical form: it was changed after signing")
	}
	s.Checks = append(s.Checks, "the byte range leaves out exactly the signature's /Contents")
	var der asn1.RawValue
	rest, err := asn1.Unmarshal(gap, &der)
	if err != nil {
		return malformed("the signature is not DER: %v", err)
	}
	if len(bytes.Trim(rest, "\x00")) > 0 {
		return malformed("%d bytes other than zero padding follow the CMS in /Contents: changed after signing", len(bytes.Trim(rest, "\x00")))
	}
	p7, err := pkcs7.Parse(der.FullBytes)
	if err != nil {
		return fail("signing.not_cms", err.Error())
	}
	signed := make([]byte, 0, s.CoveredBytes)
	signed = append(append(signed, b[:br[1]]...), b[br[2]:end(br)]...)
	if len(p7.Signers) != 1 {
		return fail("signing.not_cms", fmt.Sprintf("%d signers, want 1", len(p7.Signers)))
	}
	si := p7.Signers[0]
	if alg := si.DigestAlgorithm.Algorithm; !alg.Equal(oidSHA256) {
		return fail("signing.not_cms", fmt.Sprintf("digest algorithm %v, want SHA-256", alg))
	}
	var md []byte
	if err := p7.UnmarshalSignedAttribute(pkcs7.OIDAttributeMessageDigest, &md); err != nil {
		return fail("signing.not_cms", "no message-digest attribute")
	}
	sum := rangeDigest(b, br)
	if !bytes.Equal(sum, md) {
		return fail("signing.digest_mismatch", fmt.Sprintf("%x…", md[:min(8, len(md))]), fmt.Sprintf("%x…", sum[:8]))
	}
	s.Checks = append(s.Checks, "SHA-256 digest of the signed bytes matches")
	var attrTime time.Time
	if p7.UnmarshalSignedAttribute(pkcs7.OIDAttributeSigningTime, &attrTime) == nil && s.SubFilter == SubFilterCAdES {
		s.Warnings = append(s.Warnings, cycle.NewProblem("signing.signing_time_attribute"))
	}
	if s.ClaimedTime.IsZero() {
		s.ClaimedTime = attrTime
	}
	cert := p7.GetOnlySigner()
	if cert == nil {
		return fail("signing.not_cms", "the signer's certificate is not in the CMS")
	}
	describeCertificate(&s, cert)
	p7.Content = signed
	if err := p7.Verify(); err != nil {
		return fail("signing.bad_signature", err.Error())
	}
	s.Checks = append(s.Checks, "CMS signature verifies with the signer's certificate")
	if err := checkSigningCertificateV2(p7, cert); err != nil {
		if s.SubFilter == SubFilterCAdES {
			return fail("signing.signing_certificate", err.Error())
		}
	} else {
		s.Checks = append(s.Checks, "signing-certificate-v2 names the signer's certificate")
	}
	for i, rv := range f.revs {
		if rv.end == end(br) {
			s.Revision = i + 1
		}
	}
	if s.Revision == 0 {
		return malformed("the signed range ends at byte %d, which is not the end of a revision", end(br))
	}
	s.WholeFile = end(br) == len(b)
	verifyCertificate(&s, p7, der.FullBytes, si.EncryptedDigest, cert, o)
	return s
}
