// Package tsatest is a local RFC 3161 time-stamp authority for tests: an
// HTTP server on the loopback interface, with its own root CA and a TSA
// certificate (extended key usage timeStamping, critical) issued by it.
// Responses are made with github.com/digitorus/timestamp, the library the
// product's TSA client reads them with; the tests check them with
// signing's verifier and with independent ones (pdfsig, pdfsign).
package tsatest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"time"

	"github.com/digitorus/timestamp"
)

// Server is a running TSA.
type Server struct {
	// URL is where time-stamp requests are posted.
	URL string
	// Root is the TSA's root CA; Roots a pool holding it; Cert the TSA's
	// own certificate.
	Root, Cert *x509.Certificate
	Roots      *x509.CertPool
	// Now is the clock of the stamps (default time.Now); set it before use.
	Now func() time.Time
	// Requests counts the requests answered.
	Requests atomic.Int64

	key  crypto.Signer
	http *httptest.Server
}

// Start starts a TSA on a loopback port; Close stops it.
func Start() (*Server, error) {
	now := time.Now()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "chuyenhoa test TSA root", Organization: []string{"chuyenhoa test"}},
		NotBefore: now.AddDate(-20, 0, 0), NotAfter: now.AddDate(20, 0, 0),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, caKey.Public(), caKey)
	if err != nil {
		return nil, err
	}
	root, _ := x509.ParseCertificate(caDER)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "chuyenhoa test TSA", Organization: []string{"chuyenhoa test"}},
		NotBefore: now.AddDate(-10, 0, 0), NotAfter: now.AddDate(10, 0, 0),
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageTimeStamping},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, root, key.Public(), caKey)
	if err != nil {
		return nil, err
	}
	cert, _ := x509.ParseCertificate(der)
	// RFC 3161, 2.3: the TSA's extended key usage must be critical; Go
	// writes it non-critical, so mark it and sign again.
	tmpl.ExtKeyUsage = nil
	eku, _ := asn1.Marshal([]asn1.ObjectIdentifier{{1, 3, 6, 1, 5, 5, 7, 3, 8}})
	tmpl.ExtraExtensions = []pkix.Extension{{Id: asn1.ObjectIdentifier{2, 5, 29, 37}, Critical: true, Value: eku}}
	if der, err = x509.CreateCertificate(rand.Reader, tmpl, root, key.Public(), caKey); err != nil {
		return nil, err
	}
	if cert, err = x509.ParseCertificate(der); err != nil {
		return nil, err
	}
	s := &Server{Root: root, Cert: cert, Roots: x509.NewCertPool(), Now: time.Now, key: key}
	s.Roots.AddCert(root)
	s.http = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.http.URL
	return s, nil
}

// RootPEM is the TSA root in PEM.
func (s *Server) RootPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.Root.Raw})
}

// Close stops the server.
func (s *Server) Close() { s.http.Close() }

var policy = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 99999, 3161, 1} // a test policy

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/timestamp-query" {
		http.Error(w, "POST application/timestamp-query", http.StatusBadRequest)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	req, err := timestamp.ParseRequest(body)
	if err != nil {
		http.Error(w, fmt.Sprintf("bad request: %v", err), http.StatusBadRequest)
		return
	}
	ts := timestamp.Timestamp{
		HashAlgorithm: req.HashAlgorithm, HashedMessage: req.HashedMessage,
		Time: s.Now().UTC().Truncate(time.Second), Accuracy: time.Second, Nonce: req.Nonce,
		Policy: policy, AddTSACertificate: req.Certificates,
	}
	resp, err := ts.CreateResponseWithOpts(s.Cert, s.key, crypto.SHA256)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	s.Requests.Add(1)
	w.Header().Set("Content-Type", "application/timestamp-reply")
	w.Write(resp)
}
