package signing

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/smallstep/pkcs7"

	"chuyenhoa/cycle"
)

// describeCertificate fills the report's certificate fields.
func describeCertificate(s *SignatureReport, cert *x509.Certificate) {
	s.Signer, s.SignerCommonName, s.Issuer = cert.Subject.String(), cert.Subject.CommonName, cert.Issuer.String()
	s.Serial = strings.ToUpper(cert.SerialNumber.Text(16))
	s.NotBefore, s.NotAfter = cert.NotBefore, cert.NotAfter
	s.KeyUsage = keyUsageNames(cert)
	s.Certificate = cert.Raw
}

var keyUsageBits = []struct {
	bit  x509.KeyUsage
	name string
}{
	{x509.KeyUsageDigitalSignature, "digitalSignature"}, {x509.KeyUsageContentCommitment, "nonRepudiation"},
	{x509.KeyUsageKeyEncipherment, "keyEncipherment"}, {x509.KeyUsageDataEncipherment, "dataEncipherment"},
	{x509.KeyUsageKeyAgreement, "keyAgreement"}, {x509.KeyUsageCertSign, "keyCertSign"}, {x509.KeyUsageCRLSign, "cRLSign"},
}

var extKeyUsageNames = map[x509.ExtKeyUsage]string{
	x509.ExtKeyUsageAny: "anyExtendedKeyUsage", x509.ExtKeyUsageServerAuth: "serverAuth", x509.ExtKeyUsageClientAuth: "clientAuth",
	x509.ExtKeyUsageCodeSigning: "codeSigning", x509.ExtKeyUsageEmailProtection: "emailProtection", x509.ExtKeyUsageTimeStamping: "timeStamping",
	x509.ExtKeyUsageOCSPSigning: "OCSPSigning",
}

func keyUsageNames(c *x509.Certificate) []string {
	var out []string
	for _, b := range keyUsageBits {
		if c.KeyUsage&b.bit != 0 {
			out = append(out, b.name)
		}
	}
	for _, e := range c.ExtKeyUsage {
		if n, ok := extKeyUsageNames[e]; ok {
			out = append(out, n)
		}
	}
	for _, oid := range c.UnknownExtKeyUsage {
		if oid.Equal(asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 36}) {
			out = append(out, "documentSigning")
		} else {
			out = append(out, oid.String())
		}
	}
	return out
}

// essCertIDv2 and signingCertificateV2 are RFC 5035's.
type essCertIDv2 struct {
	HashAlgorithm pkix.AlgorithmIdentifier `asn1:"optional"`
	CertHash      []byte
	IssuerSerial  asn1.RawValue `asn1:"optional"`
}

type signingCertificateV2 struct {
	Certs    []essCertIDv2
	Policies asn1.RawValue `asn1:"optional"`
}

// checkSigningCertificateV2 checks that the attribute is there and that
// its first ESSCertIDv2 is the hash of cert.
func checkSigningCertificateV2(p7 *pkcs7.PKCS7, cert *x509.Certificate) error {
	var sc signingCertificateV2
	if err := p7.UnmarshalSignedAttribute(oidAttrSigningCertV2, &sc); err != nil {
		return errors.New("no signing-certificate-v2 attribute")
	}
	if len(sc.Certs) == 0 {
		return errors.New("signing-certificate-v2 lists no certificate")
	}
	h := crypto.SHA256
	if alg := sc.Certs[0].HashAlgorithm.Algorithm; len(alg) > 0 {
		switch {
		case alg.Equal(oidSHA256):
		case alg.Equal(asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 2}):
			h = crypto.SHA384
		case alg.Equal(asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 3}):
			h = crypto.SHA512
		default:
			return fmt.Errorf("signing-certificate-v2 hash algorithm %v not supported", alg)
		}
	}
	d := h.New()
	d.Write(cert.Raw)
	if !bytes.Equal(d.Sum(nil), sc.Certs[0].CertHash) {
		return errors.New("signing-certificate-v2 names another certificate than the signer's")
	}
	return nil
}

// verifyCertificate judges the signer's certificate: the time-stamp, the
// validity at the signing time, the key usage, the chain to the trust
// anchors and the revocation lists.
func verifyCertificate(s *SignatureReport, p7 *pkcs7.PKCS7, cmsDER, sigValue []byte, cert *x509.Certificate, o VerifyOptions) {
	problem := func(rule string, args ...any) { s.Problems = append(s.Problems, cycle.NewProblem(rule, args...)) }
	for _, a := range p7.Signers[0].UnauthenticatedAttributes {
		if !a.Type.Equal(oidAttrSignatureTimeStamp) {
			continue
		}
		roots := o.TSARoots
		if roots == nil {
			roots = o.Roots
		}
		tr := checkTimestamp(a.Value.Bytes, sigValue, roots, o.Intermediates)
		s.Timestamp = &tr
		if tr.Verified {
			s.Checks = append(s.Checks, "the time-stamp of "+tr.TSA+" verifies and stamps this signature")
		} else {
			problem("signing.bad_timestamp", tr.Problem)
		}
		break
	}
	if o.RequireTimestamp && s.Timestamp == nil {
		problem("signing.no_timestamp")
	}
	at := o.At
	switch {
	case !at.IsZero():
	case s.Timestamp != nil && s.Timestamp.Verified:
		at = s.Timestamp.Time
	case !s.ClaimedTime.IsZero():
		at = s.ClaimedTime
	default:
		at = time.Now()
	}
	s.SigningTime = at
	cn := commonName(cert)
	timeOK := true
	switch {
	case at.After(cert.NotAfter):
		problem("signing.expired", cn, when(cert.NotAfter), when(at))
		timeOK = false
	case at.Before(cert.NotBefore):
		problem("signing.not_yet_valid", cn, when(cert.NotBefore), when(at))
		timeOK = false
	default:
		s.Checks = append(s.Checks, "the certificate was valid at the signing time")
	}
	const signingUsage = x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment
	switch {
	case cert.KeyUsage == 0 && o.RequireKeyUsage:
		problem("signing.key_usage", cn, "—")
	case cert.KeyUsage != 0 && cert.KeyUsage&signingUsage == 0:
		problem("signing.key_usage", cn, strings.Join(keyUsageNames(cert), ", "))
	case cert.KeyUsage != 0:
		s.Checks = append(s.Checks, "the certificate's key usage allows signing")
	}
	if o.Roots == nil {
		problem("signing.no_roots")
		return
	}
	inter := x509.NewCertPool()
	if o.Intermediates != nil {
		inter = o.Intermediates.Clone()
	}
	for _, c := range p7.Certificates {
		inter.AddCert(c)
	}
	chains, err := cert.Verify(x509.VerifyOptions{Roots: o.Roots, Intermediates: inter, CurrentTime: at,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
	if err != nil {
		var ua x509.UnknownAuthorityError
		var ci x509.CertificateInvalidError
		switch {
		case errors.As(err, &ua):
			problem("signing.untrusted_root", cn, commonNameOf(cert.Issuer))
		case errors.As(err, &ci) && ci.Reason == x509.Expired && !timeOK && ci.Cert == cert:
			// said already
		default:
			problem("signing.chain", cn, err.Error())
		}
		return
	}
	for _, c := range chains[0] {
		s.Chain = append(s.Chain, c.Subject.String())
	}
	s.Checks = append(s.Checks, "the certificate chains to a trusted root at the signing time")
	var chainDER, tsaDER [][]byte
	for _, c := range chains[0] {
		chainDER = append(chainDER, c.Raw)
	}
	if s.Timestamp != nil {
		tsaDER = s.Timestamp.certs
	}
	if err := strictSignedData(cmsDER, chainDER, false, tsaDER); err != nil {
		problem("signing.malformed", err.Error())
	} else {
		s.Checks = append(s.Checks, "every element of the CMS is signed or checked")
	}
	checkRevocation(s, chains[0], o.CRLs, at)
}

// checkRevocation looks each certificate of chain (but the root) up in
// the revocation list of its issuer, when one is configured.
func checkRevocation(s *SignatureReport, chain []*x509.Certificate, crls []*x509.RevocationList, at time.Time) {
	stamped := s.Timestamp != nil && s.Timestamp.Verified
	var notes []string
	for i := 0; i+1 < len(chain); i++ {
		c, issuer := chain[i], chain[i+1]
		var crl *x509.RevocationList
		for _, l := range crls {
			if bytes.Equal(l.RawIssuer, c.RawIssuer) && l.CheckSignatureFrom(issuer) == nil && (crl == nil || l.ThisUpdate.After(crl.ThisUpdate)) {
				crl = l
			}
		}
		if crl == nil {
			notes = append(notes, fmt.Sprintf("%s: not checked (no revocation list of %s configured)", commonName(c), commonName(issuer)))
			continue
		}
		var rt time.Time
		revoked := false
		for _, e := range crl.RevokedCertificateEntries {
			if e.SerialNumber != nil && e.SerialNumber.Cmp(c.SerialNumber) == 0 {
				rt, revoked = e.RevocationTime, true
				break
			}
		}
		switch {
		case !revoked:
			notes = append(notes, fmt.Sprintf("%s: not revoked (revocation list of %s of %s)", commonName(c), commonName(issuer), crl.ThisUpdate.Format(time.DateOnly)))
		case !rt.After(at):
			s.Problems = append(s.Problems, cycle.NewProblem("signing.revoked", commonName(c), when(rt), when(at), commonName(issuer)))
			notes = append(notes, fmt.Sprintf("%s: REVOKED on %s", commonName(c), rt.Format(time.RFC3339)))
		case !stamped:
			s.Problems = append(s.Problems, cycle.NewProblem("signing.revoked_unproven", commonName(c), when(rt)))
			notes = append(notes, fmt.Sprintf("%s: REVOKED on %s", commonName(c), rt.Format(time.RFC3339)))
		default:
			notes = append(notes, fmt.Sprintf("%s: revoked on %s, after the time-stamped signing time", commonName(c), rt.Format(time.RFC3339)))
		}
	}
	s.Revocation = strings.Join(notes, "; ")
}

func commonName(c *x509.Certificate) string { return commonNameOf(c.Subject) }

func commonNameOf(n pkix.Name) string {
	if n.CommonName != "" {
		return n.CommonName
	}
	return n.String()
}

// parsePDFDate reads a PDF date, D:YYYYMMDDHHmmSSOHH'mm' (everything
// after the year optional).
func parsePDFDate(s string) (time.Time, error) {
	s = strings.TrimPrefix(s, "D:")
	if len(s) < 4 {
		return time.Time{}, fmt.Errorf("bad PDF date %q", s)
	}
	parts := []int{0, 1, 1, 0, 0, 0}
	widths := []int{4, 2, 2, 2, 2, 2}
	pos := 0
	for i, w := range widths {
		if pos+w > len(s) || s[pos] < '0' || s[pos] > '9' {
			break
		}
		n, err := strconv.Atoi(s[pos : pos+w])
		if err != nil {
			return time.Time{}, fmt.Errorf("bad PDF date %q", s)
		}
		parts[i] = n
		pos += w
	}
	loc := time.UTC
	if rest := s[pos:]; rest != "" && rest[0] != 'Z' {
		sign := 1
		if rest[0] == '-' {
			sign = -1
		}
		tz := strings.NewReplacer("'", "", "+", "", "-", "").Replace(rest)
		h, m := 0, 0
		if len(tz) >= 2 {
			h, _ = strconv.Atoi(tz[:2])
		}
		if len(tz) >= 4 {
			m, _ = strconv.Atoi(tz[2:4])
		}
		loc = time.FixedZone("", sign*(h*3600+m*60))
	}
	return time.Date(parts[0], time.Month(parts[1]), parts[2], parts[3], parts[4], parts[5], 0, loc), nil
}
