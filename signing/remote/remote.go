// Package remote connects to a remote-signing service: the signer's key
// is held by a service (a CA's cloud signing, such as VNPT SmartCA or
// Viettel MySign, or a CSC-conformant one) and the signer approves each
// signature on their phone. It implements signing.ExternalSigner.
//
// # Protocol
//
// Remote-signing services share a shape: the Cloud Signature Consortium
// API (v2) lists a user's credentials (credentials/list), returns a
// credential's certificate chain (credentials/info), has the user
// authorise the use of a credential (credentials/authorize: the
// signature activation data, SAD, obtained through the user's second
// factor) and signs hashes with it (signatures/signHash: hashes in,
// raw signature values out, not a CMS). The Vietnamese services ask the
// user on their phone instead of a SAD dance, so the call that submits
// the hash returns a transaction and the result comes later: polled, or
// announced to a callback URL. This connector speaks that asynchronous
// form, with CSC's names and encodings where CSC has them:
//
//	POST {base}/csc/v2/credentials/info
//	     {"credentialID":"…","certificates":"chain"}
//	  →  {"cert":{"status":"valid","certificates":["<b64 DER signer>","<b64 DER issuer>",…]},"key":{"status":"enabled","algo":["1.2.840.10045.4.3.2"]}}
//	POST {base}/v1/signatures/requests
//	     {"credentialID":"…","hashes":["<b64>"],"hashAlgorithmOID":"2.16.840.1.101.3.4.2.1",
//	      "signAlgo":"1.2.840.10045.4.3.2","description":"Ký ban hành …","documentID":"…","callbackURL":"…"}
//	  →  202 {"transactionID":"…","expiresAt":"RFC 3339"}
//	GET  {base}/v1/signatures/requests/{transactionID}
//	  →  {"status":"pending|approved|denied|expired","signatures":["<b64>"],"message":"…"}
//	callback (optional): the service POSTs {"transactionID":"…","status":"…"} to callbackURL;
//	     the connector then fetches the result (the callback carries no signature and is not trusted).
//
// Every call carries "Authorization: Bearer <token>" (the service's
// OAuth 2.0 client-credentials token). The hash sent is the SHA-256 of
// the CAdES signed attributes built here (signing.NewSignedAttributes):
// the service signs it raw (RSA PKCS#1 v1.5, or ECDSA as a DER
// ECDSA-Sig-Value), and the connector assembles the CMS
// (signing.AssembleCMS), which checks the signature against the
// certificate before anything is embedded.
package remote

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"chuyenhoa/signing"
)

// OIDs of the protocol.
const (
	OIDSHA256        = "2.16.840.1.101.3.4.2.1"
	OIDRSAEncryption = "1.2.840.113549.1.1.1"
	OIDECDSASHA256   = "1.2.840.10045.4.3.2"
)

// Transaction statuses.
const (
	StatusPending  = "pending"
	StatusApproved = "approved"
	StatusDenied   = "denied"
	StatusExpired  = "expired"
)

// The protocol's messages.
type (
	InfoRequest struct {
		CredentialID string `json:"credentialID"`
		Certificates string `json:"certificates,omitempty"`
	}
	InfoResponse struct {
		Cert struct {
			Status       string   `json:"status"`
			Certificates []string `json:"certificates"`
		} `json:"cert"`
		Key struct {
			Status string   `json:"status"`
			Algo   []string `json:"algo"`
		} `json:"key"`
	}
	SignRequest struct {
		CredentialID     string   `json:"credentialID"`
		Hashes           []string `json:"hashes"`
		HashAlgorithmOID string   `json:"hashAlgorithmOID"`
		SignAlgo         string   `json:"signAlgo"`
		Description      string   `json:"description,omitempty"`
		DocumentID       string   `json:"documentID,omitempty"`
		CallbackURL      string   `json:"callbackURL,omitempty"`
	}
	SignAccepted struct {
		TransactionID string    `json:"transactionID"`
		ExpiresAt     time.Time `json:"expiresAt"`
	}
	TransactionStatus struct {
		Status     string   `json:"status"`
		Signatures []string `json:"signatures,omitempty"`
		Message    string   `json:"message,omitempty"`
	}
	Callback struct {
		TransactionID string `json:"transactionID"`
		Status        string `json:"status"`
	}
)

// Config configures the connector.
type Config struct {
	// BaseURL is the service's API root.
	BaseURL string
	// Token returns the bearer token (the service's OAuth 2.0 client
	// credentials grant); Static tokens: func(context.Context) (string, error) { return tok, nil }.
	Token func(ctx context.Context) (string, error)
	// HTTP is the client (default: 30-second time-out).
	HTTP *http.Client
	// CallbackURL, when set, is sent with each request for the service
	// to announce the outcome (see CallbackHandler).
	CallbackURL string
}

// Client is the connector; it implements signing.ExternalSigner.
type Client struct{ c Config }

var _ signing.ExternalSigner = (*Client)(nil)

// New returns a connector.
func New(c Config) (*Client, error) {
	if c.BaseURL == "" {
		return nil, errors.New("remote signing: no service URL")
	}
	if c.Token == nil {
		return nil, errors.New("remote signing: no access token source")
	}
	if c.HTTP == nil {
		c.HTTP = &http.Client{Timeout: 30 * time.Second}
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	return &Client{c: c}, nil
}

// state is what Result needs: the signed attributes and the certificates.
type state struct {
	Attrs []byte   `json:"attrs"`
	Cert  []byte   `json:"cert"`
	Chain [][]byte `json:"chain,omitempty"`
}

// Certificates returns a credential's certificate and its chain.
func (cl *Client) Certificates(ctx context.Context, credentialID string) (*x509.Certificate, []*x509.Certificate, error) {
	var info InfoResponse
	if err := cl.call(ctx, http.MethodPost, "/csc/v2/credentials/info", InfoRequest{CredentialID: credentialID, Certificates: "chain"}, &info); err != nil {
		return nil, nil, err
	}
	if info.Key.Status != "" && info.Key.Status != "enabled" {
		return nil, nil, fmt.Errorf("remote signing: the key of %s is %s", credentialID, info.Key.Status)
	}
	var certs []*x509.Certificate
	for _, b := range info.Cert.Certificates {
		der, err := base64.StdEncoding.DecodeString(b)
		if err != nil {
			return nil, nil, fmt.Errorf("remote signing: certificate of %s: %w", credentialID, err)
		}
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, nil, fmt.Errorf("remote signing: certificate of %s: %w", credentialID, err)
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		return nil, nil, fmt.Errorf("remote signing: the service gives no certificate for %s", credentialID)
	}
	return certs[0], certs[1:], nil
}

// Request fetches the signer's certificate, builds the signed
// attributes over r.Digest and submits their digest for approval.
func (cl *Client) Request(ctx context.Context, r signing.SignRequest) (signing.Ticket, error) {
	cert, chain, err := cl.Certificates(ctx, r.Signer)
	if err != nil {
		return signing.Ticket{}, err
	}
	if r.Certificate != nil && !bytes.Equal(r.Certificate, cert.Raw) {
		return signing.Ticket{}, fmt.Errorf("remote signing: %s signs with %s, not the certificate asked for", r.Signer, cert.Subject)
	}
	attrs, err := signing.NewSignedAttributes(r.Digest, cert)
	if err != nil {
		return signing.Ticket{}, fmt.Errorf("remote signing: %w", err)
	}
	var algo string
	switch cert.PublicKey.(type) {
	case *rsa.PublicKey:
		algo = OIDRSAEncryption
	case *ecdsa.PublicKey:
		algo = OIDECDSASHA256
	default:
		return signing.Ticket{}, fmt.Errorf("remote signing: key of type %T", cert.PublicKey)
	}
	var acc SignAccepted
	req := SignRequest{CredentialID: r.Signer, Hashes: []string{base64.StdEncoding.EncodeToString(attrs.Digest)},
		HashAlgorithmOID: OIDSHA256, SignAlgo: algo, Description: r.Reason, DocumentID: r.DocumentID, CallbackURL: cl.c.CallbackURL}
	if err := cl.call(ctx, http.MethodPost, "/v1/signatures/requests", req, &acc); err != nil {
		return signing.Ticket{}, err
	}
	if acc.TransactionID == "" {
		return signing.Ticket{}, errors.New("remote signing: the service returned no transaction ID")
	}
	st := state{Attrs: attrs.DER, Cert: cert.Raw}
	for _, c := range chain {
		st.Chain = append(st.Chain, c.Raw)
	}
	raw, _ := json.Marshal(st)
	return signing.Ticket{ID: acc.TransactionID, Via: "remote", State: raw, Expires: acc.ExpiresAt}, nil
}

// Result asks the service for the transaction's outcome; once approved,
// it assembles the CMS.
func (cl *Client) Result(ctx context.Context, t signing.Ticket) ([]byte, bool, error) {
	var st TransactionStatus
	if err := cl.call(ctx, http.MethodGet, "/v1/signatures/requests/"+url.PathEscape(t.ID), nil, &st); err != nil {
		return nil, false, err
	}
	switch st.Status {
	case StatusPending:
		return nil, false, nil
	case StatusDenied:
		return nil, false, fmt.Errorf("%w: %s", signing.ErrDenied, st.Message)
	case StatusExpired:
		return nil, false, fmt.Errorf("%w: %s", signing.ErrExpired, st.Message)
	case StatusApproved:
	default:
		return nil, false, fmt.Errorf("remote signing: transaction %s has status %q", t.ID, st.Status)
	}
	if len(st.Signatures) != 1 {
		return nil, false, fmt.Errorf("remote signing: transaction %s approved with %d signatures, want 1", t.ID, len(st.Signatures))
	}
	sig, err := base64.StdEncoding.DecodeString(st.Signatures[0])
	if err != nil {
		return nil, false, fmt.Errorf("remote signing: signature of %s: %w", t.ID, err)
	}
	var s state
	if err := json.Unmarshal(t.State, &s); err != nil {
		return nil, false, fmt.Errorf("remote signing: ticket state: %w", err)
	}
	cert, err := x509.ParseCertificate(s.Cert)
	if err != nil {
		return nil, false, err
	}
	var chain []*x509.Certificate
	for _, d := range s.Chain {
		c, err := x509.ParseCertificate(d)
		if err != nil {
			return nil, false, err
		}
		chain = append(chain, c)
	}
	attrs := signing.SignedAttributes{DER: s.Attrs}
	sum := sha256Sum(s.Attrs)
	attrs.Digest = sum
	cms, err := signing.AssembleCMS(ctx, attrs, sig, cert, chain, nil)
	if err != nil {
		return nil, false, fmt.Errorf("remote signing: transaction %s: %w", t.ID, err)
	}
	return cms, true, nil
}

// Wait polls Result every interval until done, a final error, or ctx ends.
func Wait(ctx context.Context, s signing.ExternalSigner, t signing.Ticket, interval time.Duration) ([]byte, error) {
	for {
		cms, done, err := s.Result(ctx, t)
		if err != nil || done {
			return cms, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(interval):
		}
	}
}

// CallbackHandler receives the service's callbacks and hands the
// transaction ID and status to notify (e.g. to signal the waiting
// workflow, which then calls Result).
func CallbackHandler(notify func(transactionID, status string)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var cb Callback
		if r.Method != http.MethodPost || json.NewDecoder(io.LimitReader(r.Body, 8<<10)).Decode(&cb) != nil || cb.TransactionID == "" {
			http.Error(w, "want POST {transactionID, status}", http.StatusBadRequest)
			return
		}
		notify(cb.TransactionID, cb.Status)
		w.WriteHeader(http.StatusNoContent)
	})
}

func (cl *Client) call(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, _ := json.Marshal(in)
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, cl.c.BaseURL+path, body)
	if err != nil {
		return err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	tok, err := cl.c.Token(ctx)
	if err != nil {
		return fmt.Errorf("remote signing: access token: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := cl.c.HTTP.Do(req)
	if err != nil {
		return fmt.Errorf("remote signing: %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("remote signing: %s %s: %w", method, path, err)
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("remote signing: %s %s: %s: %s", method, path, resp.Status, strings.TrimSpace(string(raw)))
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("remote signing: %s %s: %w", method, path, err)
	}
	return nil
}

func sha256Sum(b []byte) []byte {
	s := sha256.Sum256(b)
	return s[:]
}
