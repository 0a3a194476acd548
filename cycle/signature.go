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
