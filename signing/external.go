package signing

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/asn1"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/smallstep/pkcs7"
)

// Deferred signing. A person's signature (the head's: chữ ký số chuyên
// dùng công vụ, Decree 68/2024/NĐ-CP) is made where their key is — a
// token on their computer, or a remote-signing service that asks them to
// approve on their phone — never on the server:
//
//	p, _ := signing.Prepare(pdf, opts)                 // the server
//	t, _ := signer.Request(ctx, SignRequest{Digest: p.Digest, …})
//	cms, done, _ := signer.Result(ctx, t)              // until done
//	out, rep, err := signing.Complete(ctx, p, cms, tsa, verifyOpts)
//
// What the signer's side receives is the CMS message digest: the
// SHA-256 of the PDF's byte ranges (Prepared.Digest), as the signing
// plug-ins of Vietnamese e-office systems do; it builds the signed
// attributes (BuildCMS) and returns the whole CMS. A remote service that
// only signs hashes (the CSC API's signHash) is given the digest of the
// signed attributes instead, which its connector builds with
// NewSignedAttributes and turns into a CMS with AssembleCMS; either way
// Result returns a CMS.

// SignRequest asks a person's signing side for a signature.
type SignRequest struct {
	// DocumentID names the document to the signer (its number or code).
	DocumentID string `json:"document_id"`
	// Digest is Prepared.Digest: the SHA-256 of the PDF's byte ranges.
	Digest []byte `json:"digest"`
	// Signer is the signer's account: at a remote-signing service, the
	// user or credential ID; in the inbox, the officer's account.
	Signer string `json:"signer"`
	// Certificate, when set, is the certificate (DER) the signature must
	// be made with; the signing side refuses to sign with another.
	Certificate []byte `json:"certificate,omitempty"`
	// Reason is shown to the signer ("Ký ban hành 05/QĐ-BCĐ").
	Reason string `json:"reason,omitempty"`
}

// Ticket is a request in flight. It is plain data, kept with the task
// (a workflow's state) until Result says done.
type Ticket struct {
	// ID is the request's identifier at the signing side (a transaction
	// ID for a remote service, a random ID for the signing page).
	ID string `json:"id"`
	// Via names the ExternalSigner ("agent", "remote").
	Via string `json:"via"`
	// State is what the ExternalSigner needs to finish (opaque).
	State []byte `json:"state,omitempty"`
	// Expires is when the signer's side gives up.
	Expires time.Time `json:"expires,omitzero"`
}

// ExternalSigner gets a person's CMS signature over a digest from where
// their key is. Request starts it and returns at once; Result is asked
// until done (it does not block for the signer's decision). Result's
// errors wrapping ErrDenied or ErrExpired are final: the task stays
// open, and a new Request can follow; other errors are worth retrying.
type ExternalSigner interface {
	Request(ctx context.Context, r SignRequest) (Ticket, error)
	Result(ctx context.Context, t Ticket) (cms []byte, done bool, err error)
}

// Final outcomes of an external signature other than a CMS.
var (
	ErrDenied  = errors.New("the signer declined to sign")
	ErrExpired = errors.New("the signature request expired before the signer answered")
	ErrUnknown = errors.New("no such signature request")
)

// AgentFlow is the ExternalSigner of the signing page: the server keeps
// the request; the signing page in the officer's inbox fetches it
// (Pending), sends it to the signing agent on the officer's computer
// (package signing/agent), and posts the agent's answer back (Deliver);
// Result then returns the CMS. Requests live in memory for TTL; a
// server of several processes gives it a shared Tickets store.
type AgentFlow struct {
	Tickets Tickets
	TTL     time.Duration    // default 30 minutes
	Now     func() time.Time // default time.Now
}

var _ ExternalSigner = (*AgentFlow)(nil)

// AgentTicket is one signing-page request and, once delivered, its CMS.
type AgentTicket struct {
	ID      string      `json:"id"`
	Request SignRequest `json:"request"`
	Expires time.Time   `json:"expires"`
	CMS     []byte      `json:"cms,omitempty"`
}

// Tickets stores the signing page's requests. Load returns an error
// wrapping ErrUnknown for an unknown ID.
type Tickets interface {
	Save(ctx context.Context, t AgentTicket) error
	Load(ctx context.Context, id string) (AgentTicket, error)
}

// MemoryTickets keeps tickets in memory (one process).
type MemoryTickets struct {
	mu sync.Mutex
	m  map[string]AgentTicket
}

// Save stores t.
func (m *MemoryTickets) Save(_ context.Context, t AgentTicket) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.m == nil {
		m.m = map[string]AgentTicket{}
	}
	m.m[t.ID] = t
	return nil
}

// Load returns the ticket of id.
func (m *MemoryTickets) Load(_ context.Context, id string) (AgentTicket, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.m[id]
	if !ok {
		return t, fmt.Errorf("%w: %s", ErrUnknown, id)
	}
	return t, nil
}

// NewAgentFlow returns a signing-page flow with tickets in memory.
func NewAgentFlow() *AgentFlow { return &AgentFlow{Tickets: &MemoryTickets{}} }

func (f *AgentFlow) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

// Request records the request for the signing page.
func (f *AgentFlow) Request(ctx context.Context, r SignRequest) (Ticket, error) {
	if len(r.Digest) != sha256.Size {
		return Ticket{}, fmt.Errorf("signing request: digest of %d bytes, want SHA-256", len(r.Digest))
	}
	id := make([]byte, 16)
	if _, err := rand.Read(id); err != nil {
		return Ticket{}, err
	}
	ttl := f.TTL
	if ttl <= 0 {
		ttl = 30 * time.Minute
	}
	t := AgentTicket{ID: hex.EncodeToString(id), Request: r, Expires: f.now().Add(ttl)}
	if err := f.Tickets.Save(ctx, t); err != nil {
		return Ticket{}, err
	}
	return Ticket{ID: t.ID, Via: "agent", Expires: t.Expires}, nil
}

// Pending returns the request of a ticket, for the signing page to hand
// to the agent; ErrExpired once it has expired.
func (f *AgentFlow) Pending(ctx context.Context, id string) (AgentTicket, error) {
	t, err := f.Tickets.Load(ctx, id)
	if err != nil {
		return t, err
	}
	if f.now().After(t.Expires) {
		return t, ErrExpired
	}
	return t, nil
}

// Deliver records the CMS the agent returned for ticket id, after
// checking that it signs the requested digest with the requested
// certificate (when one was named). The document is judged later, by
// Complete; a CMS refused here can be delivered again.
func (f *AgentFlow) Deliver(ctx context.Context, id string, cms []byte) error {
	t, err := f.Pending(ctx, id)
	if err != nil {
		return err
	}
	if err := cmsSignsDigest(cms, t.Request.Digest, t.Request.Certificate); err != nil {
		return err
	}
	t.CMS = cms
	return f.Tickets.Save(ctx, t)
}

// Result returns the delivered CMS; not done while none is.
func (f *AgentFlow) Result(ctx context.Context, tk Ticket) ([]byte, bool, error) {
	t, err := f.Tickets.Load(ctx, tk.ID)
	if err != nil {
		return nil, false, err
	}
	if len(t.CMS) > 0 {
		return t.CMS, true, nil
	}
	if f.now().After(t.Expires) {
		return nil, false, ErrExpired
	}
	return nil, false, nil
}

// cmsSignsDigest checks that cms has one signer whose message-digest
// attribute is digest, made with cert when cert is not nil.
func cmsSignsDigest(cms, digest, cert []byte) error {
	p7, err := pkcs7.Parse(cms)
	if err != nil {
		return refuseErr("signing.not_cms", err.Error())
	}
	var md []byte
	if err := p7.UnmarshalSignedAttribute(pkcs7.OIDAttributeMessageDigest, &md); err != nil {
		return refuseErr("signing.not_cms", "no message-digest attribute")
	}
	if !bytes.Equal(md, digest) {
		return refuseErr("signing.digest_mismatch", fmt.Sprintf("%x", md), fmt.Sprintf("%x", digest))
	}
	signer := p7.GetOnlySigner()
	if signer == nil {
		return refuseErr("signing.not_cms", "no single signer with its certificate")
	}
	if cert != nil && !bytes.Equal(signer.Raw, cert) {
		return refuseErr("signing.not_cms", "signed with another certificate than the one requested: "+signer.Subject.String())
	}
	return nil
}

func refuseErr(rule string, args ...any) error { return refuse("invalid", rule, args...) }

// AddTimestamp adds a signature time-stamp (RFC 3161, from tsa) to a CMS
// made elsewhere, as its signer's unsigned attribute: unsigned attributes
// are outside what the signer signs, so the server can stamp an agent's
// signature when it arrives (PAdES B-T) without the agent knowing a TSA.
// A CMS that has a time-stamp already is returned as is.
func AddTimestamp(ctx context.Context, cms []byte, tsa Timestamper) ([]byte, error) {
	if tsa == nil {
		return cms, nil
	}
	var ci struct {
		ContentType asn1.ObjectIdentifier
		Content     asn1.RawValue `asn1:"explicit,tag:0"`
	}
	if rest, err := asn1.Unmarshal(cms, &ci); err != nil || len(rest) > 0 || !ci.ContentType.Equal(oidSignedData) {
		return nil, errors.New("add time-stamp: not a CMS SignedData")
	}
	var seq asn1.RawValue // [0] EXPLICIT holds the SignedData SEQUENCE
	if _, err := asn1.Unmarshal(ci.Content.Bytes, &seq); err != nil || seq.Tag != asn1.TagSequence {
		return nil, errors.New("add time-stamp: malformed SignedData")
	}
	sd, err := elements(seq.Bytes)
	if err != nil || len(sd) < 4 {
		return nil, errors.New("add time-stamp: malformed SignedData")
	}
	infos, err := elements(sd[len(sd)-1].Bytes)
	if err != nil || len(infos) != 1 {
		return nil, errors.New("add time-stamp: want exactly one SignerInfo")
	}
	si, err := elements(infos[0].Bytes)
	if err != nil || len(si) < 5 {
		return nil, errors.New("add time-stamp: malformed SignerInfo")
	}
	last := si[len(si)-1]
	var unsigned []byte
	if last.Class == asn1.ClassContextSpecific && last.Tag == 1 {
		if bytes.Contains(last.Bytes, mustMarshal(oidAttrSignatureTimeStamp)) {
			return cms, nil
		}
		unsigned = last.Bytes
		si = si[:len(si)-1]
	}
	sigValue := si[len(si)-1]
	if sigValue.Tag != asn1.TagOctetString {
		return nil, errors.New("add time-stamp: no signature value in the SignerInfo")
	}
	token, err := tsa.Timestamp(ctx, sigValue.Bytes)
	if err != nil {
		return nil, fmt.Errorf("add time-stamp: %w", err)
	}
	parts := make([][]byte, 0, len(si)+1)
	for _, e := range si {
		parts = append(parts, e.FullBytes)
	}
	parts = append(parts, tlv(0xa1, unsigned, attribute(oidAttrSignatureTimeStamp, token)))
	newSI := tlv(0x30, parts...)
	sdParts := make([][]byte, 0, len(sd))
	for _, e := range sd[:len(sd)-1] {
		sdParts = append(sdParts, e.FullBytes)
	}
	sdParts = append(sdParts, tlv(0x31, newSI))
	return tlv(0x30, mustMarshal(oidSignedData), tlv(0xa0, tlv(0x30, sdParts...))), nil
}

// elements splits DER content into its elements.
func elements(b []byte) ([]asn1.RawValue, error) {
	var out []asn1.RawValue
	for len(b) > 0 {
		var v asn1.RawValue
		rest, err := asn1.Unmarshal(b, &v)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
		b = rest
	}
	return out, nil
}
