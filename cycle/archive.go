package cycle

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// The records of the document archive, its deliveries, officers'
// accounts and sessions, and the audit trail, as the store keeps them.

// ArchivedDocument is an issued document as the archive keeps it (lưu trữ): the
// PDF that left the clerk, identified by its SHA-256, with its number and
// who signed it. The archive holds the bytes; this is the record.
type ArchivedDocument struct {
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

// Channel is how a document reaches a recipient.
type Channel string

// The channels.
const (
	ChannelSMTP Channel = "smtp" // Address is an e-mail address
	ChannelFile Channel = "file" // Address is a directory
)

// DeliveryTarget is one recipient with where its copy goes.
type DeliveryTarget struct {
	Key     string  `json:"key"`     // the recipient's key in the directory, e.g. "ubnd-tinh"
	Name    string  `json:"name"`    // the recipient's name for people
	Label   string  `json:"label"`   // the "Nơi nhận" entry it serves, as printed
	Channel Channel `json:"channel"` // smtp or file
	Address string  `json:"address"` // e-mail address or directory
}

// DeliveryStatus is where one delivery stands.
type DeliveryStatus string

// The states of a delivery (see the package comment).
const (
	DeliveryPending DeliveryStatus = "pending"
	DeliverySending DeliveryStatus = "sending"
	DeliveryFailed  DeliveryStatus = "failed"
	DeliverySent    DeliveryStatus = "sent"
	DeliveryUnknown DeliveryStatus = "unknown"
)

// DeliveryRecord is one delivery as stored.
type DeliveryRecord struct {
	DeliveryTarget
	DocumentID string         `json:"document_id"`
	Status     DeliveryStatus `json:"status"`
	Attempts   int            `json:"attempts"`
	AttemptID  string         `json:"attempt_id,omitempty"`
	LastError  string         `json:"last_error,omitempty"`
	MessageID  string         `json:"message_id,omitempty"`
	PlannedAt  time.Time      `json:"planned_at"`
	ClaimedAt  *time.Time     `json:"claimed_at,omitempty"`
	SentAt     *time.Time     `json:"sent_at,omitempty"`
}

// Account is an officer's sign-in account (tài khoản): one person acting in
// one role; a district officer is bound to their unit. The password hash is
// not part of it: only AccountCredentials returns it.
type Account struct {
	ID        string    `json:"id"`   // the sign-in name, e.g. "ca.522"
	Name      string    `json:"name"` // display name
	Role      Role      `json:"role"`
	District  string    `json:"district,omitempty"` // the unit, for district officers
	Disabled  bool      `json:"disabled,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	// Title is the officer's position as a signature block prints it,
	// e.g. "TRƯỞNG BAN", "PHÓ TRƯỞNG BAN".
	Title string `json:"title,omitempty"`
	// Email and Webhook are where the officer's notifications go, as
	// Notify says: at once, in a daily digest, or only in the inbox.
	Email   string     `json:"email,omitempty"`
	Webhook string     `json:"webhook,omitempty"`
	Notify  NotifyPref `json:"notify,omitempty"`
	// LastSignIn is when the officer last signed in; nil: never.
	LastSignIn *time.Time `json:"last_sign_in,omitempty"`
}

// NotifyPref is how an officer wants notifications beyond the inbox.
type NotifyPref string

// The notification preferences.
const (
	NotifyImmediate NotifyPref = "immediate" // each by e-mail or webhook as it is raised
	NotifyDigest    NotifyPref = "digest"    // once a day, together
	NotifyInboxOnly NotifyPref = "none"      // only in the web inbox
)

// Valid reports whether n is a known preference (empty: immediate).
func (n NotifyPref) Valid() bool {
	return n == "" || n == NotifyImmediate || n == NotifyDigest || n == NotifyInboxOnly
}

// Actor is the account as the workflow sees the officer acting.
func (a Account) Actor() Actor {
	return Actor{ID: a.ID, Name: a.Name, Role: a.Role, District: a.District, Title: a.Title}
}

// Claim is an officer taking a task shared by a unit or a role, so that
// another officer of the same unit or role does not do it too.
type Claim struct {
	CycleID string    `json:"cycle_id"`
	TaskID  string    `json:"task_id"`
	Account string    `json:"account"`
	Name    string    `json:"name,omitempty"`
	At      time.Time `json:"at"`
}

// Draft is what an officer has typed into a task's form and saved without
// submitting, to come back to.
type Draft struct {
	CycleID string            `json:"cycle_id"`
	TaskID  string            `json:"task_id"`
	Account string            `json:"account"`
	Values  map[string]string `json:"values"`
	SavedAt time.Time         `json:"saved_at"`
}

// Attachment is a supporting file of a task (scanned minutes, a report),
// its bytes stored once under their SHA-256.
type Attachment struct {
	CycleID   string    `json:"cycle_id"`
	TaskID    string    `json:"task_id"`
	SHA256    string    `json:"sha256"`
	Name      string    `json:"name"`
	MediaType string    `json:"media_type"`
	Size      int       `json:"size"`
	Account   string    `json:"account"`
	At        time.Time `json:"at"`
}

// Delegation is a head letting a deputy sign in his place for a period
// (ký thay, "KT."): between From and To, the deputy completes the head's
// signing tasks and the signature block reads "KT. <head's title>" over
// the deputy's own title and name.
type Delegation struct {
	ID        int64      `json:"id"`
	From      string     `json:"from"`  // the head's account
	To        string     `json:"to"`    // the deputy's account
	Title     string     `json:"title"` // the deputy's title, e.g. "PHÓ TRƯỞNG BAN"
	FromDate  Date       `json:"from_date"`
	ToDate    Date       `json:"to_date"`
	CreatedBy string     `json:"created_by"`
	CreatedAt time.Time  `json:"created_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

// Covers reports whether the delegation is in force on a day.
func (d Delegation) Covers(day Date) bool {
	return d.RevokedAt == nil && !day.Before(d.FromDate) && !d.ToDate.Before(day)
}

// Session is a signed-in session, found by the hash of its token.
type Session struct {
	Account   Account
	CreatedAt time.Time
	ExpiresAt time.Time
}

// AuditRecord is one row of the hash-chained audit trail (nhật ký kiểm
// tra): who did what, when, from where, with what outcome.
type AuditRecord struct {
	Seq           int64     `json:"seq"` // 1, 2, 3, … in the order appended
	At            time.Time `json:"at"`  // kept to the microsecond, as PostgreSQL stores it
	ActorID       string    `json:"actor_id"`
	ActorRole     string    `json:"actor_role,omitempty"`
	ActorDistrict string    `json:"actor_district,omitempty"`
	Action        string    `json:"action"`           // sign_in, sign_in_failed, sign_out, complete.<kind>, refused, download
	Object        string    `json:"object,omitempty"` // e.g. "cycle/51/2027 submit_proposal/522" or a decision ID
	Outcome       string    `json:"outcome"`          // "ok" or the refusal's code
	Remote        string    `json:"remote,omitempty"` // the client's address
	RequestID     string    `json:"request_id,omitempty"`
	Detail        string    `json:"detail,omitempty"`
	PrevHash      []byte    `json:"prev_hash"`
	Hash          []byte    `json:"hash"`
}

// ChainError is the first place where the audit trail does not verify.
type ChainError struct {
	Seq    int64  // the first bad row (or the missing one)
	Reason string // what does not match
}

func (e *ChainError) Error() string {
	return fmt.Sprintf("audit trail broken at row %d: %s", e.Seq, e.Reason)
}

// Void is a decision's voiding as recorded.
type Void struct {
	Number int
	At     time.Time
	Reason string
	By     Actor
}

// ListStage says which of a cycle's lists: the secretariat's draft or the
// list the appraisal council reports to the head.
type ListStage string

// The list stages.
const (
	ListDraft     ListStage = "draft"     // danh sách dự kiến, from the latest consolidation
	ListAppraised ListStage = "appraised" // the list after the latest appraisal
)

// Counts are the store's figures that the metrics endpoint exports as
// gauges. They are read from the shared database at scrape time, so every
// worker and API process reports the same values: aggregate them across
// processes with max, not sum.
type Counts struct {
	// Tasks are the open tasks of the officers' inbox by province and
	// kind, with how many of them are overdue.
	Tasks []TaskCount
	// Deliveries are the planned deliveries of issued documents by channel
	// and status (pending, sending, failed, sent, unknown).
	Deliveries []DeliveryCount
	// Documents are the archived (issued) documents by province and kind.
	Documents []DocumentCount
}

// TaskCount is how many tasks of a kind are open in a province's cycles,
// and how many of those are overdue.
type TaskCount struct {
	Province string
	Kind     TaskKind
	Open     int
	Overdue  int // open and due before today
}

// DeliveryCount is how many deliveries go by a channel and are in a status.
type DeliveryCount struct {
	Channel string // smtp, file
	Status  string // pending, sending, failed, sent, unknown
	N       int
}

// DocumentCount is how many documents of a kind a province's cycles (and
// award rounds) have archived.
type DocumentCount struct {
	Province string
	Kind     string // approval, award, recognition, continuation, responsibility, summary
	N        int
}

// DeliveryMessage is a document to deliver to one recipient.
type DeliveryMessage struct {
	DocumentID string // the decision ID
	Code       string // "5/QĐ-BCĐ"
	Subject    string // the document's subject line
	Sender     string // the issuing body, for the message text
	FileName   string // the attachment's name
	PDF        []byte
	MessageID  string // from MessageID
	Date       time.Time
}

// MessageID returns the Message-ID of the copy of document for recipient:
// the same for every attempt, so receivers can discard duplicates.
func MessageID(documentID, recipient, domain string) string {
	r := strings.NewReplacer("/", ".", " ", "-", "@", "-")
	return fmt.Sprintf("%s.%s@%s", r.Replace(documentID), r.Replace(recipient), domain)
}

// ErrDeliveryRefused marks a refusal that trying again will not change: the
// mail server refused the recipient or the message for good (a 5xx
// reply), or a different file of the same name is already in the drop
// directory. The delivery fails at once, for the clerk to look at,
// instead of waiting out the retries.
var ErrDeliveryRefused = errors.New("delivery refused for good")

// ErrDeliveryAmbiguous marks a failure after which the recipient may have the
// document: it must not be sent again automatically.
var ErrDeliveryAmbiguous = errors.New("delivery outcome unknown")
