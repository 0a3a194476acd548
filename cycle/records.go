package cycle

import "time"

// CycleInfo is the durable record of a yearly cycle (chu kỳ năm).
type CycleInfo struct {
	ID        string    `json:"id"` // the workflow ID, see workflows.CycleWorkflowID
	Province  string    `json:"province"`
	Year      int       `json:"year"`
	Policy    Policy    `json:"policy"`
	StartedBy Actor     `json:"started_by"`
	StartedAt time.Time `json:"started_at"`
	Synthetic bool      `json:"synthetic"` // the figures are generated demo data
}

// Completion is an officer's completed task, as the audit log and the read
// model record it. The payload fields set are those of Kind: Proposal and
// Revision; Consolidation and List (the draft); Appraisal and List (the
// list reported to the head); none for sign and issue.
type Completion struct {
	CycleID   string    `json:"cycle_id"`
	TaskID    string    `json:"task_id"`
	Kind      TaskKind  `json:"kind"`
	Actor     Actor     `json:"actor"`
	RequestID string    `json:"request_id"`
	At        time.Time `json:"at"`
	Late      bool      `json:"late"`    // completed after the due date
	Summary   string    `json:"summary"` // one line for the audit log

	Proposal      *Proposal       `json:"proposal,omitempty"` // submit_proposal: stored as revision Revision
	Revision      int             `json:"revision,omitempty"`
	Consolidation *Consolidation  `json:"consolidation,omitempty"` // consolidate
	Appraisal     *Appraisal      `json:"appraisal,omitempty"`     // appraise
	List          []ListedCommune `json:"list,omitempty"`          // consolidate: the draft; appraise: the list reported to the head
}

// Decision is a decision (quyết định) of the cycle and its place in the
// numbering register.
type Decision struct {
	ID       string          `json:"id"` // stable, e.g. "cycle/51/2027/approval"
	CycleID  string          `json:"cycle_id"`
	Kind     string          `json:"kind"` // "approval"
	BodyKey  string          `json:"body_key"`
	Year     int             `json:"year"`   // numbering year
	Number   int             `json:"number"` // sequence within (BodyKey, Year), from 1, no gaps
	Code     string          `json:"code"`   // "12/QĐ-BCĐ"
	Date     Date            `json:"date"`   // the date on the document
	SignedBy Actor           `json:"signed_by"`
	IssuedBy Actor           `json:"issued_by"`
	IssuedAt time.Time       `json:"issued_at"`
	Communes []ListedCommune `json:"communes,omitempty"`
	SHA256   string          `json:"sha256,omitempty"`
	Path     string          `json:"path,omitempty"` // where the PDF was written
}

// StoredNotification is a notification as stored, with when it was raised.
type StoredNotification struct {
	Notification
	At time.Time `json:"at"`
}

// AuditEntry is one row of the audit log.
type AuditEntry struct {
	At        time.Time `json:"at"`
	CycleID   string    `json:"cycle_id"`
	TaskID    string    `json:"task_id"`
	Actor     Actor     `json:"actor"`
	Action    string    `json:"action"`
	RequestID string    `json:"request_id"`
	Summary   string    `json:"summary"`
}

// TaskFilter selects open tasks; empty fields match everything.
type TaskFilter struct {
	CycleID  string
	Role     Role
	District string
}

// ProposalRevision is one stored revision of a unit's proposal.
type ProposalRevision struct {
	CycleID     string    `json:"cycle_id"`
	Unit        string    `json:"unit"`
	Revision    int       `json:"revision"`
	Current     bool      `json:"current"` // the latest revision
	SubmittedBy Actor     `json:"submitted_by"`
	SubmittedAt time.Time `json:"submitted_at"`
	Late        bool      `json:"late"`
	Proposal    Proposal  `json:"proposal"`
}
