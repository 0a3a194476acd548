package signing

import (
	"bytes"
	"crypto"
	"crypto/sha256"
	"encoding/asn1"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/smallstep/pkcs7"

	"chuyenhoa/cycle"
)

// The signature formats written in /SubFilter.
const (
	// SubFilterCAdES is PAdES (ETSI EN 319 142-1): a CAdES detached
	// signature with the signing-certificate-v2 attribute and no
	// signing-time attribute. The default.
	SubFilterCAdES = "ETSI.CAdES.detached"
	// SubFilterPKCS7 is the older PDF signature (ISO 32000-1, 12.8.3.3).
	SubFilterPKCS7 = "adbe.pkcs7.detached"
)

// PrepareOptions describe the signature field an external signer fills.
type PrepareOptions struct {
	// Field is the name of the signature field, unique in the document,
	// e.g. "signer" or "seal" (default "Signature").
	Field string
	// Name, Reason, Location and Contact go into the signature dictionary
	// (/Name, /Reason, /Location, /ContactInfo).
	Name, Reason, Location, Contact string
	// Time is the claimed signing time, written as /M: the moment the
	// signer is asked to sign (zero: now). In PAdES it is the only
	// signing time short of a time-stamp.
	Time time.Time
	// Appearance is the visible signature; nil makes an invisible one.
	Appearance *Appearance
	// Reserve is the room kept for the CMS in bytes (default 16 KiB).
	Reserve int
	// SubFilter is SubFilterCAdES (default) or SubFilterPKCS7.
	SubFilter string
}

// Prepared is a PDF prepared for a signature made elsewhere (the domain's
// cycle.PreparedSignature: the workflows keep it with the head's task).
type Prepared = cycle.PreparedSignature

// Prepare appends to pdf the incremental update of one signature field
// with its visible appearance and an empty signature: the byte range is
// written, the /Contents placeholder is zeros, and Digest is the SHA-256
// of the bytes the signature will cover. Nothing before the update is
// touched, so earlier signatures stay valid.
func Prepare(pdf []byte, o PrepareOptions) (Prepared, error) {
	if o.Field == "" {
		o.Field = "Signature"
	}
	if o.Reserve <= 0 {
		o.Reserve = defaultReserve
	}
	if o.Time.IsZero() {
		o.Time = time.Now()
	}
	switch o.SubFilter {
	case "":
		o.SubFilter = SubFilterCAdES
	case SubFilterCAdES, SubFilterPKCS7:
	default:
		return Prepared{}, fmt.Errorf("signing: unsupported /SubFilter %q", o.SubFilter)
	}
	f, err := parseFile(pdf)
	if err != nil {
		return Prepared{}, fmt.Errorf("signing: read pdf: %w", err)
	}
	u, err := newUpdate(f)
	if err != nil {
		return Prepared{}, fmt.Errorf("signing: %w", err)
	}
	sigNum, err := u.addSignatureField(o)
	if err != nil {
		return Prepared{}, fmt.Errorf("signing: %w", err)
	}
	out, contentsAt, err := u.finish(sigNum, o.Reserve)
	if err != nil {
		return Prepared{}, fmt.Errorf("signing: %w", err)
	}
	// contentsAt is the offset of "<" of /Contents; the hex ends at its ">".
	gapEnd := contentsAt + 2*o.Reserve + 2
	br := [4]int{0, contentsAt, gapEnd, len(out) - gapEnd}
	if err := fillByteRange(out, sigNum, u.sigAt, br); err != nil {
		return Prepared{}, fmt.Errorf("signing: %w", err)
	}
	return Prepared{PDF: out, ByteRange: br, Digest: rangeDigest(out, br), Field: o.Field, Time: o.Time, Reason: o.Reason}, nil
}

// rangeDigest is the SHA-256 of the two byte ranges.
func rangeDigest(b []byte, br [4]int) []byte {
	h := sha256.New()
	h.Write(b[br[0] : br[0]+br[1]])
	h.Write(b[br[2] : br[2]+br[3]])
	return h.Sum(nil)
}

// Embed puts cms, a detached CMS SignedData, into the prepared
// document's placeholder, after checking that it is one: one signer,
// SHA-256, a message-digest attribute equal to p.Digest (else a
// signing.digest_mismatch problem: the signer signed another document or
// another version of it), a signature that verifies with the certificate
// it carries, and room enough. It does not judge the certificate: run
// VerifySignature (or Complete) on the result.
func Embed(p Prepared, cms []byte) ([]byte, error) {
	return embed(p, cms, false)
}

// embed is Embed; fresh says that p comes from Prepare in this call,
// its digest just computed from its bytes (Sign), which are then not
// hashed again.
func embed(p Prepared, cms []byte, fresh bool) ([]byte, error) {
	br := p.ByteRange
	b := p.PDF
	if br[0] != 0 || br[1] <= 0 || br[2] <= br[1]+2 || br[2]+br[3] != len(b) || b[br[1]] != '<' || b[br[2]-1] != '>' {
		return nil, errors.New("signing: embed: not a prepared document (byte range and placeholder disagree)")
	}
	if len(bytes.Trim(b[br[1]+1:br[2]-1], "0")) != 0 {
		return nil, errors.New("signing: embed: the placeholder is not empty: the document is signed already")
	}
	if !fresh && !bytes.Equal(rangeDigest(b, br), p.Digest) {
		return nil, errors.New("signing: embed: the prepared document does not match its digest: it changed since it was prepared")
	}
	if err := checkCMS(cms, p.Digest); err != nil {
		return nil, err
	}
	if len(cms) > p.Reserve() {
		return nil, fmt.Errorf("signing: the CMS takes %d bytes, more than the %d reserved", len(cms), p.Reserve())
	}
	out := bytes.Clone(b)
	hex.Encode(out[br[1]+1:], cms) // the rest stays zeros
	return out, nil
}

// checkCMS checks that cms is a detached SignedData over digest, the
// SHA-256 of the document's byte ranges, whose signature verifies.
func checkCMS(cms, digest []byte) error {
	var der asn1.RawValue
	rest, err := asn1.Unmarshal(cms, &der)
	if err != nil || len(rest) != 0 {
		return refuse(cycle.EINVALID, "signing.not_cms", "not DER, or bytes after it")
	}
	p7, err := pkcs7.Parse(cms)
	if err != nil {
		return refuse(cycle.EINVALID, "signing.not_cms", err.Error())
	}
	if len(p7.Signers) != 1 {
		return refuse(cycle.EINVALID, "signing.not_cms", fmt.Sprintf("%d signers, want 1", len(p7.Signers)))
	}
	if alg := p7.Signers[0].DigestAlgorithm.Algorithm; !alg.Equal(oidSHA256) {
		return refuse(cycle.EINVALID, "signing.not_cms", fmt.Sprintf("digest algorithm %v, want SHA-256", alg))
	}
	var md []byte
	if err := p7.UnmarshalSignedAttribute(pkcs7.OIDAttributeMessageDigest, &md); err != nil {
		return refuse(cycle.EINVALID, "signing.not_cms", "no message-digest attribute")
	}
	if !bytes.Equal(md, digest) {
		return refuse(cycle.EINVALID, "signing.digest_mismatch", fmt.Sprintf("%x", md), fmt.Sprintf("%x", digest))
	}
	if p7.GetOnlySigner() == nil {
		return refuse(cycle.EINVALID, "signing.not_cms", "the signer's certificate is not in the CMS")
	}
	// The signature is over the signed attributes, whose message digest
	// was just compared with digest: the verification is given digest as
	// the content's hash rather than a copy of the document to hash again.
	p7.Hasher = knownDigest(digest)
	if err := p7.Verify(); err != nil {
		return refuse(cycle.EINVALID, "signing.bad_signature", err.Error())
	}
	return nil
}

// knownDigest is a pkcs7.Hasher that answers with the SHA-256 digest of
// the signed content already computed (and compared with the CMS's
// message-digest attribute): it reads nothing.
type knownDigest []byte

func (d knownDigest) Hash(h crypto.Hash, _ io.Reader) ([]byte, error) {
	if h != crypto.SHA256 {
		return nil, fmt.Errorf("signing: digest %v, want SHA-256", h)
	}
	return d, nil
}

// refuse is a *cycle.Error of one catalogue problem.
func refuse(code, rule string, args ...any) error {
	p := cycle.NewProblem(rule, args...)
	return &cycle.Error{Code: code, Message: "signing: " + p.Message, Text: p.Text, Problems: []cycle.Problem{p}}
}
