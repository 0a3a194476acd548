package document

import "time"

// Archived is an issued document as the archive keeps it (lưu trữ): the
// PDF that left the clerk, identified by its SHA-256, with its number and
// who signed it. The archive holds the bytes; this is the record.
type Archived struct {
	ID         string    `json:"id"`       // the decision ID, e.g. "cycle/51/2027/approval"
	Kind       string    `json:"kind"`     // e.g. "approval"
	Code       string    `json:"code"`     // the number and symbol, e.g. "5/QĐ-BCĐ"
	BodyKey    string    `json:"body_key"` // the numbering register
	Year       int       `json:"year"`
	Number     int       `json:"number"`
	Date       time.Time `json:"date"`    // the date on the document (civil date, UTC midnight)
	Subject    string    `json:"subject"` // the summary line (trích yếu)
	SHA256     string    `json:"sha256"`  // of the PDF, hex
	Size       int       `json:"size"`
	Signer     string    `json:"signer,omitempty"`    // the signer's certificate subject; empty when unsigned
	SealedBy   string    `json:"sealed_by,omitempty"` // the issuing body's certificate subject
	Signatures int       `json:"signatures"`
	SignedAt   time.Time `json:"signed_at"`
	ArchivedAt time.Time `json:"archived_at"`
	Recipients []string  `json:"recipients,omitempty"` // "Nơi nhận" as printed
}
