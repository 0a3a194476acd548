package signing

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"sort"
)

// This file builds the CMS (RFC 5652) SignedData of a PAdES baseline B-B
// signature (ETSI EN 319 142-1, 6.3; its CAdES part is EN 319 122-1):
//
//   - detached: no encapsulated content, eContentType id-data;
//   - one SignerInfo, version 1, identified by issuer and serial number,
//     digest SHA-256, signature ECDSA with SHA-256 or RSA PKCS#1 v1.5;
//   - signed attributes: content-type (id-data), message-digest (the
//     SHA-256 of the PDF's byte ranges) and signing-certificate-v2 (one
//     ESSCertIDv2: the SHA-256 of the signer's certificate, the default
//     algorithm so not written, no issuerSerial, which the baseline says
//     should not be there). No signing-time attribute: PAdES B-B puts the
//     claimed signing time in the signature dictionary's /M, and a CMS
//     signing-time attribute shall not be present;
//   - certificates: the signer's, then its chain;
//   - unsigned attribute, when a TSA is configured: the RFC 3161
//     signature time-stamp token over the signature value (B-T).
//
// It is written here rather than with github.com/smallstep/pkcs7 because
// that library signs the content it is given (it computes the message
// digest itself) and always adds a signing-time attribute: neither fits
// a signature whose digest comes from elsewhere (the signing agent, the
// remote service) or the B-B profile. The verifier still parses with it.

// Object identifiers of the CMS and its attributes.
var (
	oidData                   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	oidSignedData             = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	oidSHA256                 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	oidRSAEncryption          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
	oidECDSAWithSHA256        = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
	oidAttrContentType        = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 3}
	oidAttrMessageDigest      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}
	oidAttrSigningTime        = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 5}
	oidAttrSigningCertV2      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 47}
	oidAttrSignatureTimeStamp = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 14}
)

// SignedAttributes are the CAdES signed attributes of one signature, as
// the signer's key signs them: the DER of the SET OF Attribute.
type SignedAttributes struct {
	// DER is the attributes encoded as a SET (tag 0x31): the bytes whose
	// SHA-256 the key signs.
	DER []byte
	// Digest is SHA-256(DER): what a raw signer (a smart card's RSA or
	// ECDSA operation, a remote service's signHash) is given.
	Digest []byte
}

// NewSignedAttributes builds the signed attributes of a B-B signature
// over messageDigest (the SHA-256 of the PDF's byte ranges, as
// Prepared.Digest) for the signer's certificate.
func NewSignedAttributes(messageDigest []byte, cert *x509.Certificate) (SignedAttributes, error) {
	if len(messageDigest) != sha256.Size {
		return SignedAttributes{}, fmt.Errorf("message digest of %d bytes, want a SHA-256 digest (32)", len(messageDigest))
	}
	if cert == nil {
		return SignedAttributes{}, errors.New("no signer certificate")
	}
	certHash := sha256.Sum256(cert.Raw)
	// SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }
	// ESSCertIDv2 ::= SEQUENCE { hashAlgorithm DEFAULT sha256, certHash OCTET STRING }
	essCertID := tlv(0x30, mustMarshal(certHash[:]))
	signingCert := tlv(0x30, tlv(0x30, essCertID))
	attrs := [][]byte{
		attribute(oidAttrContentType, mustMarshal(oidData)),
		attribute(oidAttrMessageDigest, mustMarshal(messageDigest)),
		attribute(oidAttrSigningCertV2, signingCert),
	}
	// DER: a SET OF is sorted by its elements' encodings.
	sort.Slice(attrs, func(i, j int) bool { return bytes.Compare(attrs[i], attrs[j]) < 0 })
	der := tlv(0x31, attrs...)
	sum := sha256.Sum256(der)
	return SignedAttributes{DER: der, Digest: sum[:]}, nil
}

// Timestamper gets an RFC 3161 time-stamp token over a signature value;
// TSAClient implements it. nil: no time-stamp.
type Timestamper interface {
	Timestamp(ctx context.Context, signatureValue []byte) (token []byte, err error)
}

// BuildCMS makes the CMS of a PAdES B-B signature (B-T with a
// timestamper) over messageDigest, the SHA-256 of the PDF's byte ranges
// (Prepared.Digest), signing its signed attributes with signer. chain
// is the signer's issuers (the root may be included). It is what the
// server's seal and the reference signing agent both use.
func BuildCMS(ctx context.Context, messageDigest []byte, signer crypto.Signer, cert *x509.Certificate, chain []*x509.Certificate, tsa Timestamper) ([]byte, error) {
	if signer == nil {
		return nil, errors.New("cms: no signing key")
	}
	if cert == nil {
		return nil, errors.New("cms: no signer certificate")
	}
	if !samePublicKey(cert.PublicKey, signer.Public()) {
		return nil, errors.New("cms: the key does not match the certificate")
	}
	attrs, err := NewSignedAttributes(messageDigest, cert)
	if err != nil {
		return nil, fmt.Errorf("cms: %w", err)
	}
	var opts crypto.SignerOpts = crypto.SHA256
	sig, err := signer.Sign(rand.Reader, attrs.Digest, opts)
	if err != nil {
		return nil, fmt.Errorf("cms: sign: %w", err)
	}
	return AssembleCMS(ctx, attrs, sig, cert, chain, tsa)
}

// AssembleCMS makes the CMS from signed attributes and the signature of
// their digest made elsewhere (a remote signing service): for RSA the
// PKCS#1 v1.5 signature, for ECDSA the DER ECDSA-Sig-Value. The
// signature is checked against the certificate before anything is
// assembled; a time-stamp is added when tsa is not nil.
func AssembleCMS(ctx context.Context, attrs SignedAttributes, signature []byte, cert *x509.Certificate, chain []*x509.Certificate, tsa Timestamper) ([]byte, error) {
	sigAlg, err := signatureAlgorithm(cert)
	if err != nil {
		return nil, fmt.Errorf("cms: %w", err)
	}
	if err := checkRawSignature(cert, attrs.Digest, signature); err != nil {
		return nil, fmt.Errorf("cms: the signature does not verify with the signer's certificate: %w", err)
	}
	if len(attrs.DER) < 2 || attrs.DER[0] != 0x31 {
		return nil, errors.New("cms: signed attributes are not a DER SET")
	}
	var unsigned []byte
	if tsa != nil {
		token, err := tsa.Timestamp(ctx, signature)
		if err != nil {
			return nil, fmt.Errorf("cms: time-stamp: %w", err)
		}
		// [1] IMPLICIT SET OF Attribute
		unsigned = tlv(0xa1, attribute(oidAttrSignatureTimeStamp, token))
	}
	sha := algorithmID(oidSHA256, false)
	issuerAndSerial := tlv(0x30, cert.RawIssuer, mustMarshal(cert.SerialNumber))
	signedAttrs := append([]byte{0xa0}, attrs.DER[1:]...) // [0] IMPLICIT: the same content, another tag
	signerInfo := tlv(0x30,
		mustMarshal(1),
		issuerAndSerial,
		sha,
		signedAttrs,
		sigAlg,
		mustMarshal(signature),
		unsigned,
	)
	certs := [][]byte{cert.Raw}
	for _, c := range chain {
		if c != nil && !bytes.Equal(c.Raw, cert.Raw) {
			certs = append(certs, c.Raw)
		}
	}
	signedData := tlv(0x30,
		mustMarshal(1),
		tlv(0x31, sha),
		tlv(0x30, mustMarshal(oidData)), // detached: no eContent
		tlv(0xa0, certs...),
		tlv(0x31, signerInfo),
	)
	return tlv(0x30, mustMarshal(oidSignedData), tlv(0xa0, signedData)), nil
}

// signatureAlgorithm is the SignerInfo's signatureAlgorithm for the
// certificate's key.
func signatureAlgorithm(cert *x509.Certificate) ([]byte, error) {
	switch cert.PublicKey.(type) {
	case *rsa.PublicKey:
		return algorithmID(oidRSAEncryption, true), nil
	case *ecdsa.PublicKey:
		return algorithmID(oidECDSAWithSHA256, false), nil
	}
	return nil, fmt.Errorf("key of type %T: only RSA and ECDSA keys make PDF signatures readers accept", cert.PublicKey)
}

// checkRawSignature checks a signature over a SHA-256 digest.
func checkRawSignature(cert *x509.Certificate, digest, sig []byte) error {
	switch k := cert.PublicKey.(type) {
	case *rsa.PublicKey:
		return rsa.VerifyPKCS1v15(k, crypto.SHA256, digest, sig)
	case *ecdsa.PublicKey:
		if !ecdsa.VerifyASN1(k, digest, sig) {
			return errors.New("ECDSA signature mismatch")
		}
		return nil
	}
	return fmt.Errorf("key of type %T", cert.PublicKey)
}

// attribute encodes Attribute ::= SEQUENCE { attrType OID, attrValues SET OF ANY } with one value.
func attribute(oid asn1.ObjectIdentifier, value []byte) []byte {
	return tlv(0x30, mustMarshal(oid), tlv(0x31, value))
}

func algorithmID(oid asn1.ObjectIdentifier, nullParams bool) []byte {
	if nullParams {
		return tlv(0x30, mustMarshal(oid), []byte{0x05, 0x00})
	}
	return tlv(0x30, mustMarshal(oid))
}

func mustMarshal(v any) []byte {
	b, err := asn1.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("signing: asn1 marshal %T: %v", v, err))
	}
	return b
}

// tlv encodes a DER element of one-byte tag with the parts as its content.
func tlv(tag byte, parts ...[]byte) []byte {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	out := make([]byte, 0, n+6)
	out = append(out, tag)
	switch {
	case n < 0x80:
		out = append(out, byte(n))
	case n < 0x100:
		out = append(out, 0x81, byte(n))
	case n < 0x10000:
		out = append(out, 0x82, byte(n>>8), byte(n))
	default:
		out = append(out, 0x83, byte(n>>16), byte(n>>8), byte(n))
	}
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}
