package cycle

import "time"

// CycleInfo is the durable record of a yearly cycle (chu kỳ năm).
type CycleInfo struct {
	ID        string    `json:"id"` // the workflow ID, see selection.WorkflowID
	Province  string    `json:"province"`
	Year      int       `json:"year"`
	Policy    Policy    `json:"policy"`
	StartedBy Actor     `json:"started_by"`
	StartedAt time.Time `json:"started_at"`
	Synthetic bool      `json:"synthetic"` // the figures are generated demo data
}

// CycleSummary is a cycle (or an award round) and its current phase.
type CycleSummary struct {
	CycleInfo
	Phase Phase `json:"phase"`
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

	Proposal      *Proposal         `json:"proposal,omitempty"` // submit_proposal: stored as revision Revision
	Revision      int               `json:"revision,omitempty"`
	Consolidation *Consolidation    `json:"consolidation,omitempty"` // consolidate
	Appraisal     *Appraisal        `json:"appraisal,omitempty"`     // appraise
	List          []ListedCommune   `json:"list,omitempty"`          // consolidate: the draft; appraise: the list reported to the head
	PlanReport    *PlanReport       `json:"plan_report,omitempty"`   // plan_report: what was sent
	Conclusions   *ResultsAppraisal `json:"conclusions,omitempty"`   // appraise_recognition: the council's decisions
	Results       []CommuneResult   `json:"results,omitempty"`       // appraise_recognition: each commune's conclusion
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
	SHA256   string          `json:"sha256,omitempty"` // of the issued PDF, as the store keeps it (BlobStore)
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

// The records of the transformation years and the award rounds.

// Enrolment is a commune starting a programme year.
type Enrolment struct {
	CycleID  string             `json:"cycle_id"` // the cohort's cycle
	Province string             `json:"province"`
	Commune  CommuneInProgramme `json:"commune"`
	At       time.Time          `json:"at"`
}

// Transformation is one commune in the programme, as the store keeps it.
type Transformation struct {
	CommuneInProgramme
	CycleID  string    `json:"cycle_id"`
	Province string    `json:"province"`
	Standing Standing  `json:"standing"`
	Decision string    `json:"decision,omitempty"` // the recognition decision's code
	Note     string    `json:"note,omitempty"`
	Updated  time.Time `json:"updated"`
}

// ReportRecord is one commune's report with its verdict.
type ReportRecord struct {
	CycleID    string               `json:"cycle_id"`
	WorkflowID string               `json:"workflow_id"`
	TaskID     string               `json:"task_id"`
	Commune    CommuneInProgramme   `json:"commune"`
	Kind       ReportKind           `json:"kind"`
	Year       int                  `json:"year"` // the programme year
	Period     Span                 `json:"period"`
	Baseline   Span                 `json:"baseline"`
	Report     TransformationReport `json:"report"`
	Verdict    Verdict              `json:"verdict"`
	Actor      Actor                `json:"actor"`
	RequestID  string               `json:"request_id"`
	At         time.Time            `json:"at"`
	Late       bool                 `json:"late"`
}

// ResultsRecord is the council's year-end appraisal of a cohort's year.
type ResultsRecord struct {
	CycleID   string           `json:"cycle_id"`
	Province  string           `json:"province"`
	Year      int              `json:"year"` // the programme year appraised
	TaskID    string           `json:"task_id"`
	Appraisal ResultsAppraisal `json:"appraisal"`
	Results   []CommuneResult  `json:"results"`
	Actor     Actor            `json:"actor"`
	RequestID string           `json:"request_id"`
	At        time.Time        `json:"at"`
	Late      bool             `json:"late"`
}

// StandingChange is a commune's new standing.
type StandingChange struct {
	CycleID    string         `json:"cycle_id"`
	WorkflowID string         `json:"workflow_id"`
	Province   string         `json:"province"`
	Commune    string         `json:"commune"`
	Year       int            `json:"year"` // the programme year whose outcome row a follow-up result goes to
	Standing   Standing       `json:"standing"`
	FollowUp   FollowUpResult `json:"follow_up,omitempty"`
	Decision   string         `json:"decision,omitempty"` // recognition: the decision's code
	Note       string         `json:"note,omitempty"`
	At         time.Time      `json:"at"`
}

// ReviewRecord is a failure review (kiểm điểm) or a responsibility review.
type ReviewRecord struct {
	CycleID        string                `json:"cycle_id"`
	WorkflowID     string                `json:"workflow_id"`
	TaskID         string                `json:"task_id"`
	Commune        CommuneInProgramme    `json:"commune"`
	Kind           ReviewKind            `json:"kind"`
	Year           int                   `json:"year"` // the programme year that failed
	Failure        *FailureReview        `json:"failure,omitempty"`
	Responsibility *ResponsibilityReview `json:"responsibility,omitempty"`
	Actor          Actor                 `json:"actor"`
	RequestID      string                `json:"request_id"`
	At             time.Time             `json:"at"`
	Late           bool                  `json:"late"`
}

// NominationRecord is one unit's submission of nominations.
type NominationRecord struct {
	RoundID     string       `json:"round_id"`
	Unit        string       `json:"unit"`
	Revision    int          `json:"revision"`
	RequestID   string       `json:"request_id"`
	Actor       Actor        `json:"actor"`
	At          time.Time    `json:"at"`
	Nominations []Nomination `json:"nominations"`
}

// AwardReviewRecord is the council's review of a round.
type AwardReviewRecord struct {
	RoundID   string      `json:"round_id"`
	RequestID string      `json:"request_id"`
	Actor     Actor       `json:"actor"`
	At        time.Time   `json:"at"`
	Review    AwardReview `json:"review"`
}
