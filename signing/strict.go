package signing

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
)

// The last signature's /Contents is the one part of the file no
// signature covers, and a CMS holds parts its own signature does not
// cover either: the SignedData's version, its digest-algorithm set, its
// certificates, the SignerInfo's algorithm identifiers, its unsigned
// attributes. A byte changed there can leave every cryptographic check
// intact (a copy of the root nobody uses, an algorithm set nobody
// reads), and the issue asks that any changed byte fail verification.
// strictSignedData therefore accepts only a SignedData whose every
// element is either covered by a check or one of the few encodings a
// sound signature has: a changed byte there makes it another element.

var (
	oidTSTInfo      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 1, 4}
	knownDigestAlgs = map[string]bool{}
	knownSigAlgs    = map[string]bool{}
	versionOne      = []byte{0x02, 0x01, 0x01}
	versionThree    = []byte{0x02, 0x01, 0x03}
	errNotCanonical = errors.New("the CMS has an element a sound signature does not have: it was changed after signing")
)

func init() {
	digests := []asn1.ObjectIdentifier{oidSHA256, {2, 16, 840, 1, 101, 3, 4, 2, 2}, {2, 16, 840, 1, 101, 3, 4, 2, 3}}
	for _, d := range digests {
		knownDigestAlgs[string(algorithmID(d, false))] = true
		knownDigestAlgs[string(algorithmID(d, true))] = true
	}
	rsa := []asn1.ObjectIdentifier{oidRSAEncryption, {1, 2, 840, 113549, 1, 1, 11}, {1, 2, 840, 113549, 1, 1, 12}, {1, 2, 840, 113549, 1, 1, 13}}
	for _, a := range rsa {
		knownSigAlgs[string(algorithmID(a, false))] = true
		knownSigAlgs[string(algorithmID(a, true))] = true
	}
	for _, a := range []asn1.ObjectIdentifier{oidECDSAWithSHA256, {1, 2, 840, 10045, 4, 3, 3}, {1, 2, 840, 10045, 4, 3, 4}} {
		knownSigAlgs[string(algorithmID(a, false))] = true
	}
}

// strictSignedData checks a ContentInfo holding a SignedData: certs are
// the DER certificates it may carry (the verified chain); token says it
// is a time-stamp token (TSTInfo content, no unsigned attributes);
// otherwise it is a detached PDF signature whose only unsigned attribute
// may be a time-stamp token, checked with tsaCerts.
func strictSignedData(der []byte, certs [][]byte, token bool, tsaCerts [][]byte) error {
	var signerCerts []*x509.Certificate // the verified chain, the signer first
	for _, c := range certs {
		if pc, err := x509.ParseCertificate(c); err == nil {
			signerCerts = append(signerCerts, pc)
		}
	}
	ci, err := elementsOf(der, asn1.TagSequence)
	if err != nil || len(ci) != 2 || !bytes.Equal(ci[0].FullBytes, mustMarshal(oidSignedData)) || ci[1].Class != asn1.ClassContextSpecific || ci[1].Tag != 0 {
		return errNotCanonical
	}
	sdSeq, err := elements(ci[1].Bytes)
	if err != nil || len(sdSeq) != 1 || !universal(sdSeq[0], asn1.TagSequence) {
		return errNotCanonical
	}
	sd, err := elements(sdSeq[0].Bytes)
	if err != nil || len(sd) < 4 || len(sd) > 6 {
		return errNotCanonical
	}
	if !bytes.Equal(sd[0].FullBytes, versionOne) && !bytes.Equal(sd[0].FullBytes, versionThree) {
		return fmt.Errorf("%w (SignedData version)", errNotCanonical)
	}
	algs, err := elements(sd[1].Bytes)
	if err != nil || !universal(sd[1], asn1.TagSet) || len(algs) != 1 {
		return fmt.Errorf("%w (digest algorithms)", errNotCanonical)
	}
	encap, err := elements(sd[2].Bytes)
	switch {
	case err != nil || !universal(sd[2], asn1.TagSequence) || len(encap) == 0:
		return fmt.Errorf("%w (content info)", errNotCanonical)
	case !token && !bytes.Equal(sd[2].FullBytes, tlv(0x30, mustMarshal(oidData))):
		return fmt.Errorf("%w (content info: not detached id-data)", errNotCanonical)
	case token && (!bytes.Equal(encap[0].FullBytes, mustMarshal(oidTSTInfo)) || len(encap) != 2):
		return fmt.Errorf("%w (time-stamp content)", errNotCanonical)
	}
	rest := sd[3:]
	if len(rest) > 1 && rest[0].Class == asn1.ClassContextSpecific && rest[0].Tag == 0 {
		cs, err := elements(rest[0].Bytes)
		if err != nil {
			return fmt.Errorf("%w (certificates)", errNotCanonical)
		}
		for _, c := range cs {
			if !containsBytes(certs, c.FullBytes) {
				return fmt.Errorf("%w (a certificate outside the verified chain)", errNotCanonical)
			}
		}
		rest = rest[1:]
	}
	if len(rest) != 1 || !universal(rest[0], asn1.TagSet) {
		return fmt.Errorf("%w (revocation data or extra elements)", errNotCanonical)
	}
	infos, err := elements(rest[0].Bytes)
	if err != nil || len(infos) != 1 {
		return fmt.Errorf("%w (signer infos)", errNotCanonical)
	}
	si, err := elements(infos[0].Bytes)
	if err != nil || len(si) < 6 || len(si) > 7 {
		return fmt.Errorf("%w (signer info)", errNotCanonical)
	}
	if !bytes.Equal(si[0].FullBytes, versionOne) && !bytes.Equal(si[0].FullBytes, versionThree) {
		return fmt.Errorf("%w (signer info version)", errNotCanonical)
	}
	if !knownDigestAlgs[string(si[2].FullBytes)] || !bytes.Equal(si[2].FullBytes, algs[0].FullBytes) ||
		si[3].Class != asn1.ClassContextSpecific || si[3].Tag != 0 || !si[3].IsCompound ||
		!knownSigAlgs[string(si[4].FullBytes)] || !universal(si[5], asn1.TagOctetString) {
		return fmt.Errorf("%w (signer info algorithms)", errNotCanonical)
	}
	// The signature is checked over the signed attributes as they are in
	// the file (RFC 5652, 5.4: their DER with the SET tag), not as a
	// parser re-encodes them: the libraries re-encode what they read, so
	// a changed tag they read leniently would otherwise go unnoticed.
	signedAttrs := append([]byte{0x31}, si[3].FullBytes[1:]...)
	if len(signerCerts) == 0 {
		return fmt.Errorf("%w (no verified certificate)", errNotCanonical)
	}
	h, err := digestOf(si[2])
	if err != nil {
		return err
	}
	attrDigest := h.New()
	attrDigest.Write(signedAttrs)
	if err := checkRawSignatureHash(signerCerts[0], h, attrDigest.Sum(nil), si[5].Bytes); err != nil {
		return fmt.Errorf("the signature over the signed attributes as written does not verify: %w", err)
	}
	if token {
		// The time-stamp's content, as written, is what its message digest names.
		inner, err := elements(encap[1].Bytes)
		if err != nil || encap[1].Class != asn1.ClassContextSpecific || encap[1].Tag != 0 || len(inner) != 1 || !universal(inner[0], asn1.TagOctetString) || inner[0].IsCompound {
			return fmt.Errorf("%w (time-stamp content)", errNotCanonical)
		}
		md, err := rawAttribute(si[3].Bytes, oidAttrMessageDigest)
		cd := h.New()
		cd.Write(inner[0].Bytes)
		if err != nil || !bytes.Equal(md, mustMarshal(cd.Sum(nil))) {
			return fmt.Errorf("%w (time-stamp message digest)", errNotCanonical)
		}
	}
	if len(si) == 6 {
		return nil
	}
	if token || si[6].Class != asn1.ClassContextSpecific || si[6].Tag != 1 {
		return fmt.Errorf("%w (unsigned attributes)", errNotCanonical)
	}
	attrs, err := elements(si[6].Bytes)
	if err != nil || len(attrs) != 1 {
		return fmt.Errorf("%w (unsigned attributes)", errNotCanonical)
	}
	a, err := elements(attrs[0].Bytes)
	if err != nil || !universal(attrs[0], asn1.TagSequence) || len(a) != 2 || !bytes.Equal(a[0].FullBytes, mustMarshal(oidAttrSignatureTimeStamp)) || !universal(a[1], asn1.TagSet) {
		return fmt.Errorf("%w (an unsigned attribute other than a time-stamp)", errNotCanonical)
	}
	vals, err := elements(a[1].Bytes)
	if err != nil || len(vals) != 1 {
		return fmt.Errorf("%w (time-stamp attribute)", errNotCanonical)
	}
	return strictSignedData(vals[0].FullBytes, tsaCerts, true, nil)
}

// elementsOf parses one element of the given tag filling b and splits its content.
func elementsOf(b []byte, tag int) ([]asn1.RawValue, error) {
	var v asn1.RawValue
	rest, err := asn1.Unmarshal(b, &v)
	if err != nil || len(rest) > 0 || v.Tag != tag {
		return nil, errNotCanonical
	}
	return elements(v.Bytes)
}

func containsBytes(set [][]byte, b []byte) bool {
	for _, s := range set {
		if bytes.Equal(s, b) {
			return true
		}
	}
	return false
}

func universal(v asn1.RawValue, tag int) bool {
	return v.Class == asn1.ClassUniversal && v.Tag == tag
}

// digestOf is the hash of a digest AlgorithmIdentifier.
func digestOf(alg asn1.RawValue) (crypto.Hash, error) {
	for h, oid := range map[crypto.Hash]asn1.ObjectIdentifier{crypto.SHA256: oidSHA256,
		crypto.SHA384: {2, 16, 840, 1, 101, 3, 4, 2, 2}, crypto.SHA512: {2, 16, 840, 1, 101, 3, 4, 2, 3}} {
		if bytes.Equal(alg.FullBytes, algorithmID(oid, false)) || bytes.Equal(alg.FullBytes, algorithmID(oid, true)) {
			return h, nil
		}
	}
	return 0, fmt.Errorf("%w (digest algorithm)", errNotCanonical)
}

// checkRawSignatureHash checks an RSA PKCS#1 v1.5 or ECDSA signature of a digest.
func checkRawSignatureHash(cert *x509.Certificate, h crypto.Hash, digest, sig []byte) error {
	switch k := cert.PublicKey.(type) {
	case *rsa.PublicKey:
		return rsa.VerifyPKCS1v15(k, h, digest, sig)
	case *ecdsa.PublicKey:
		if !ecdsa.VerifyASN1(k, digest, sig) {
			return errors.New("ECDSA signature mismatch")
		}
		return nil
	}
	return fmt.Errorf("key of type %T", cert.PublicKey)
}

// rawAttribute returns the DER of the single value of attribute oid in
// the content of a SET OF Attribute.
func rawAttribute(set []byte, oid asn1.ObjectIdentifier) ([]byte, error) {
	attrs, err := elements(set)
	if err != nil {
		return nil, err
	}
	want := mustMarshal(oid)
	for _, a := range attrs {
		parts, err := elements(a.Bytes)
		if err != nil || len(parts) != 2 {
			return nil, errNotCanonical
		}
		if bytes.Equal(parts[0].FullBytes, want) {
			vals, err := elements(parts[1].Bytes)
			if err != nil || len(vals) != 1 || !universal(parts[1], asn1.TagSet) {
				return nil, errNotCanonical
			}
			return vals[0].FullBytes, nil
		}
	}
	return nil, errNotCanonical
}
