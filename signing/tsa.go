package signing

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"time"

	"github.com/digitorus/timestamp"
	"github.com/smallstep/pkcs7"
)

// RFC 3161 time-stamps. The requests and responses are read and written
// with github.com/digitorus/timestamp (the RFC 3161 library that
// sigstore's timestamp authority and digitorus/pdfsign are built on):
// its parser checks the token's CMS signature; this file adds what a
// client must check besides (RFC 3161, 2.4.2: the status, the message
// imprint, the nonce) and the TSA's certificate against trust anchors.

// TimestampOptions configure the time-stamp authority (TSA) client.
type TimestampOptions struct {
	// URL of the TSA (HTTP POST, application/timestamp-query).
	URL string
	// HTTP is the client (default: one with a 30-second time-out).
	HTTP *http.Client
	// Username and Password, when set, are sent as HTTP basic
	// authentication (commercial TSAs ask for it).
	Username, Password string
}

// TSAClient asks a TSA for time-stamp tokens; it implements Timestamper.
type TSAClient struct{ o TimestampOptions }

var _ Timestamper = (*TSAClient)(nil)

// NewTSAClient returns a client of the TSA at o.URL.
func NewTSAClient(o TimestampOptions) (*TSAClient, error) {
	if o.URL == "" {
		return nil, errors.New("signing: time-stamp authority: no URL")
	}
	if o.HTTP == nil {
		o.HTTP = &http.Client{Timeout: 30 * time.Second}
	}
	return &TSAClient{o: o}, nil
}

// Timestamp returns an RFC 3161 TimeStampToken over SHA-256(signatureValue),
// the signature time-stamp of CAdES (EN 319 122-1, 5.3). The response's
// status, imprint and nonce are checked, and the token's signature.
func (c *TSAClient) Timestamp(ctx context.Context, signatureValue []byte) ([]byte, error) {
	nonce, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 63))
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(signatureValue)
	req := timestamp.Request{HashAlgorithm: crypto.SHA256, HashedMessage: sum[:], Nonce: nonce, Certificates: true}
	body, err := req.Marshal()
	if err != nil {
		return nil, fmt.Errorf("time-stamp request: %w", err)
	}
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, c.o.URL, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	hr.Header.Set("Content-Type", "application/timestamp-query")
	if c.o.Username != "" {
		hr.SetBasicAuth(c.o.Username, c.o.Password)
	}
	resp, err := c.o.HTTP.Do(hr)
	if err != nil {
		return nil, fmt.Errorf("time-stamp authority %s: %w", c.o.URL, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("time-stamp authority %s: %w", c.o.URL, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("time-stamp authority %s: HTTP %s", c.o.URL, resp.Status)
	}
	ts, err := timestamp.ParseResponse(raw)
	if err != nil {
		return nil, fmt.Errorf("time-stamp authority %s: %w", c.o.URL, err)
	}
	if ts.HashAlgorithm != crypto.SHA256 || !bytes.Equal(ts.HashedMessage, sum[:]) {
		return nil, fmt.Errorf("time-stamp authority %s: the token stamps another value", c.o.URL)
	}
	if ts.Nonce == nil || ts.Nonce.Cmp(nonce) != 0 {
		return nil, fmt.Errorf("time-stamp authority %s: the nonce does not match the request", c.o.URL)
	}
	if len(ts.Certificates) == 0 {
		return nil, fmt.Errorf("time-stamp authority %s: the token carries no certificate", c.o.URL)
	}
	return ts.RawToken, nil
}

// TimestampReport is what the verifier found of a signature's time-stamp.
type TimestampReport struct {
	Time     time.Time `json:"time"`
	TSA      string    `json:"tsa"`      // the TSA certificate's subject
	Serial   string    `json:"serial"`   // the token's serial number
	Verified bool      `json:"verified"` // token signature, imprint and TSA chain all good
	Problem  string    `json:"problem,omitempty"`
	TSAChain []string  `json:"tsa_chain,omitempty"`

	certs [][]byte // the verified chain, DER
}

// checkTimestamp verifies a signature time-stamp token: its signature,
// that it stamps SHA-256 (or its own algorithm) of signatureValue, and
// that the TSA's certificate, with the time-stamping extended key usage,
// chains to roots at the stamped time.
func checkTimestamp(token, signatureValue []byte, roots, inter *x509.CertPool) TimestampReport {
	var r TimestampReport
	ts, err := timestamp.Parse(token)
	if err != nil {
		r.Problem = "unreadable time-stamp token: " + err.Error()
		return r
	}
	r.Time = ts.Time
	if ts.SerialNumber != nil {
		r.Serial = ts.SerialNumber.Text(16)
	}
	if !ts.HashAlgorithm.Available() {
		r.Problem = "time-stamp hash algorithm unavailable"
		return r
	}
	h := ts.HashAlgorithm.New()
	h.Write(signatureValue)
	if !bytes.Equal(h.Sum(nil), ts.HashedMessage) {
		r.Problem = "the time-stamp does not stamp this signature"
		return r
	}
	if len(ts.Certificates) == 0 {
		r.Problem = "the time-stamp token carries no TSA certificate"
		return r
	}
	tsaCert := ts.Certificates[0]
	if p7, err := pkcs7.Parse(token); err == nil && p7.GetOnlySigner() != nil {
		tsaCert = p7.GetOnlySigner()
	}
	pool := x509.NewCertPool()
	if inter != nil {
		pool = inter.Clone()
	}
	for _, c := range ts.Certificates {
		pool.AddCert(c)
	}
	r.TSA = tsaCert.Subject.String()
	if roots == nil {
		r.Problem = "TSA certificate not checked: no trust anchor configured"
		return r
	}
	chains, err := tsaCert.Verify(x509.VerifyOptions{Roots: roots, Intermediates: pool, CurrentTime: ts.Time,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageTimeStamping}})
	if err != nil {
		r.Problem = "TSA certificate: " + err.Error()
		return r
	}
	for _, c := range chains[0] {
		r.TSAChain = append(r.TSAChain, c.Subject.String())
		r.certs = append(r.certs, c.Raw)
	}
	r.Verified = true
	return r
}
