package cycle

import "time"

// PreparedSignature is a document ready for an external signature: the
// incremental update with the field, its appearance and its signature
// dictionary written, the /Contents hex string reserved and all zeros.
// It is plain data (JSON-serialisable) so that it can wait, stored,
// while the signer approves: keep PDF as a blob and the rest with the
// task.
type PreparedSignature struct {
	// PDF is the prepared file.
	PDF []byte `json:"pdf"`
	// ByteRange is what the signature covers: [0, a] and [b, b+c], a the
	// offset of the "<" of /Contents and b the offset just after its ">".
	ByteRange [4]int `json:"byte_range"`
	// Digest is the SHA-256 of the byte ranges: the CMS message digest,
	// what the external signer receives (package signing's ExternalSigner).
	Digest []byte `json:"digest"`
	// Field is the signature field's name.
	Field string `json:"field"`
	// Time is the claimed signing time written as /M.
	Time time.Time `json:"time"`
	// Reason is the signature's /Reason ("Ký ban hành 05/QĐ-BCĐ"): what
	// the signer is shown when asked to sign.
	Reason string `json:"reason,omitempty"`
}

// Reserve is the room for the CMS in bytes.
func (p PreparedSignature) Reserve() int { return (p.ByteRange[2] - p.ByteRange[1] - 2) / 2 }

// SignedBy is who made a signature, as its verified certificate says.
type SignedBy struct {
	Signer     string `json:"signer"`      // the certificate's subject
	CommonName string `json:"common_name"` // its common name, for people
}

// RemoteSignature is a request for the head's signature at a
// remote-signing service, in flight (issue 17): the head approves on
// their phone while the signing page or the API polls it. It is kept in
// the store, not in a server's memory, so that whichever server process
// answers a poll finds it.
type RemoteSignature struct {
	// ID is the service's ticket ID, what the polls name.
	ID string `json:"id"`
	// Account is who asked; only they may poll it.
	Account string `json:"account"`
	// CycleID and TaskID are the head's sign task it completes.
	CycleID string `json:"cycle_id"`
	TaskID  string `json:"task_id"`
	// Ticket is what the service needs to finish (package signing's
	// Ticket as JSON; opaque here).
	Ticket []byte `json:"ticket"`
	// Expires is when the service gives up (zero: not said).
	Expires time.Time `json:"expires,omitzero"`
}
