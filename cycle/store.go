package cycle

import (
	"context"
	"time"
)

// The store's contracts: one interface per aggregate, written in the
// domain's records, so that what uses the store (activities, the API, the
// CLI, the metrics) and what implements it (package postgres, and the
// in-memory fake of the tests) meet here without importing each other.
//
// Every method is one transaction. Writes are idempotent, because
// activities retry: calling a write again with the same arguments leaves
// the store as after the first call. Input that can never succeed is an
// *Error — ENOTFOUND where a thing is missing, EINVALID or ECONFLICT where
// it clashes with what is stored — which activities make non-retryable;
// any other error is a retryable fault (the database is down, a
// serialisation failure).

// RegistryStore keeps the provinces' administrative units and who issues
// their documents.
type RegistryStore interface {
	// SaveProvince inserts or replaces a province's registry and issuer configuration.
	SaveProvince(ctx context.Context, p Province, is Issuer) error
	// Province returns a province's registry and issuer (ENOTFOUND if unknown).
	Province(ctx context.Context, code string) (Province, Issuer, error)
	// Provinces lists the provinces in the registry by name: code and name only.
	Provinces(ctx context.Context) ([]Province, error)
}

// CycleStore keeps the yearly cycles and award rounds and their phases.
type CycleStore interface {
	// OpenCycle records a cycle's (or an award round's) start; no-op if recorded.
	OpenCycle(ctx context.Context, c CycleInfo) error
	// SetPhase records the cycle's current phase.
	SetPhase(ctx context.Context, cycleID string, phase Phase, at time.Time) error
	// Cycle returns a cycle and its phase (ENOTFOUND if unknown).
	Cycle(ctx context.Context, id string) (CycleInfo, Phase, error)
	// Cycles lists every cycle and award round with its phase, the most
	// recently started first.
	Cycles(ctx context.Context) ([]CycleSummary, error)
}

// TaskStore is the officers' inbox (the read model of the workflows'
// open tasks) and the log of completions.
type TaskStore interface {
	// OpenTask adds an open task (no-op if it is open already; a closed
	// task is reopened only by an opening at or after its closing).
	OpenTask(ctx context.Context, t Task) error
	// CompleteTask, in one transaction: appends the audit entry, stores the
	// payload (a proposal revision with its statistics, a consolidation with
	// its draft list, an appraisal with its list), and closes the task. A
	// second call with the same (CycleID, RequestID) does nothing.
	CompleteTask(ctx context.Context, c Completion) error
	// CloseTask closes a task that will not be completed, with a reason
	// (ENOTFOUND if the task was never opened).
	CloseTask(ctx context.Context, cycleID, taskID, reason string, at time.Time) error
	// OpenTasks lists the open tasks a filter selects, earliest due first.
	OpenTasks(ctx context.Context, f TaskFilter) ([]Task, error)
	// Audit returns a cycle's completions, in order.
	Audit(ctx context.Context, cycleID string) ([]AuditEntry, error)
}

// SelectionStore keeps what the selection produced: the proposals with
// every revision, the rules' verdicts, and the draft and appraised lists.
type SelectionStore interface {
	// SaveSelection stores the verdict of every selection rule for every
	// candidate, replacing the cycle's previous one.
	SaveSelection(ctx context.Context, cycleID string, sel SelectionResult, at time.Time) error
	// Selection returns the cycle's latest verdicts (ENOTFOUND if none).
	Selection(ctx context.Context, cycleID string) (SelectionResult, error)
	// Proposals returns every stored revision of a cycle's proposals.
	Proposals(ctx context.Context, cycleID string) ([]ProposalRevision, error)
	// List returns the cycle's latest list of a stage.
	List(ctx context.Context, cycleID string, stage ListStage) ([]ListedCommune, error)
}

// NotificationStore keeps reminders, overdue notices and escalations.
type NotificationStore interface {
	// AddNotification stores a notification once per Key; it reports
	// whether it was new.
	AddNotification(ctx context.Context, n Notification, at time.Time) (bool, error)
	// Notifications returns a cycle's notifications, in the order raised.
	Notifications(ctx context.Context, cycleID string) ([]StoredNotification, error)
}

// DecisionStore is the numbering register (sổ đăng ký văn bản) and the
// issued documents it numbered.
type DecisionStore interface {
	// AssignNumber returns the document's number in the register of
	// (d.BodyKey, d.Year): the number it already has, or the next one —
	// gapless and unique under concurrent calls — recorded with the
	// document's ID, kind, cycle and date.
	AssignNumber(ctx context.Context, d Decision) (int, error)
	// SaveDecision stores the issued document (upsert by ID); its PDF is
	// the blob d.SHA256 names. It must have its number from AssignNumber
	// (ENOTFOUND otherwise, or when the blob is not stored).
	SaveDecision(ctx context.Context, d Decision) error
	// Decisions lists a cycle's issued documents.
	Decisions(ctx context.Context, cycleID string) ([]Decision, error)
	// DecisionPDF returns an issued document's PDF (ENOTFOUND if none).
	DecisionPDF(ctx context.Context, id string) ([]byte, error)
	// VoidDecision voids an issued document with a reason; it keeps its
	// number (ECONFLICT if voided already).
	VoidDecision(ctx context.Context, id, reason string, by Actor, at time.Time) error
	// DecisionVoid reports whether a document is voided, and how.
	DecisionVoid(ctx context.Context, id string) (Void, bool, error)
}

// BlobStore keeps files (the PDFs) once each, content-addressed by their
// SHA-256: documents, drafts and the archive refer to them by hash.
type BlobStore interface {
	// PutBlob stores bytes once and returns their SHA-256 (hex).
	PutBlob(ctx context.Context, data []byte) (string, error)
	// Blob returns the bytes stored under a SHA-256 (ENOTFOUND if none).
	Blob(ctx context.Context, sha256 string) ([]byte, error)
}

// ArchiveStore is the archive of issued PDFs (lưu trữ), write-once.
type ArchiveStore interface {
	// ArchiveDocument records an issued PDF once, its bytes the blob
	// a.SHA256 names (the same bytes again: no-op; other bytes: ECONFLICT;
	// no such blob: ENOTFOUND).
	ArchiveDocument(ctx context.Context, a ArchivedDocument) error
	// ArchivedDocument returns an archived document and its PDF (ENOTFOUND).
	ArchivedDocument(ctx context.Context, id string) (ArchivedDocument, []byte, error)
	// ArchivedDocuments lists the documents archived with a numbering year (0: all).
	ArchivedDocuments(ctx context.Context, year int) ([]ArchivedDocument, error)
}

// DeliveryStore records the deliveries of issued documents, at most once
// per (document, recipient).
type DeliveryStore interface {
	// PlanDeliveries records the deliveries of a document as pending (a
	// planned one is kept as it is).
	PlanDeliveries(ctx context.Context, documentID string, targets []DeliveryTarget, at time.Time) error
	// ClaimDelivery takes a delivery before sending: claimed false with no
	// error means it was sent already; ECONFLICT means its outcome is
	// unknown and it must not be sent again automatically.
	ClaimDelivery(ctx context.Context, documentID, recipient, attemptID, messageID string, at time.Time) (DeliveryRecord, bool, error)
	// FinishDelivery records what the attempt that claimed a delivery
	// achieved: DeliverySent, DeliveryFailed (a retry is safe) or
	// DeliveryUnknown (the hand-over may have happened), with the error's
	// text; ECONFLICT if another attempt claimed it since.
	FinishDelivery(ctx context.Context, documentID, recipient, attemptID string, outcome DeliveryStatus, lastError string, at time.Time) error
	// Deliveries returns the deliveries of a document.
	Deliveries(ctx context.Context, documentID string) ([]DeliveryRecord, error)
}

// TransformationStore keeps the transformation years. A commune's tasks
// are recorded under its cohort's cycle (the yearly cycle that first
// listed it), with the commune's workflow as the place completions go
// (Task.WorkflowID).
type TransformationStore interface {
	// Enrol records that a commune starts a programme year (first or
	// second): its standing becomes in_programme for that year. Calling it
	// again for the same workflow and year does nothing.
	Enrol(ctx context.Context, e Enrolment) error
	// SaveReport, in one transaction: the audit entry, the report with its
	// verdict, and the report's task closed. A second call with the same
	// (CycleID, RequestID) does nothing; another report of the same kind
	// for the same commune and year is ECONFLICT.
	SaveReport(ctx context.Context, r ReportRecord) error
	// SaveResults, in one transaction: the audit entry, one outcome row per
	// commune for (province, Year), and the council's task closed. A second
	// call with the same (CycleID, RequestID) does nothing.
	SaveResults(ctx context.Context, r ResultsRecord) error
	// SetStanding records where a commune now stands (and, for a follow-up
	// result, the follow-up column of its outcome row for Year). Idempotent.
	SetStanding(ctx context.Context, s StandingChange) error
	// SaveReview, in one transaction: the audit entry, the review, and its
	// task closed. A second call with the same (CycleID, RequestID) does nothing.
	SaveReview(ctx context.Context, r ReviewRecord) error

	// Outcomes returns every outcome row of the province, by year and commune.
	Outcomes(ctx context.Context, province string) ([]OutcomeRow, error)
	// Extensions returns the communes of the province in their second
	// year in year, as they are listed in that year's approval decision.
	Extensions(ctx context.Context, province string, year int) ([]ListedCommune, error)
	// Transformations returns every commune of the province in the
	// programme, with its standing (province "" for every province).
	Transformations(ctx context.Context, province string) ([]Transformation, error)
	// Reports returns the reports of a cohort, in the order received.
	Reports(ctx context.Context, cycleID string) ([]ReportRecord, error)
}

// AwardStore keeps the award rounds' nominations and reviews. A round is
// recorded as a cycle of its own (CycleStore.OpenCycle with the round's
// workflow ID), so that its decision is numbered like any other.
type AwardStore interface {
	// RecordNominations stores a unit's submission (a later revision
	// replaces the unit's current one; the same request ID does nothing).
	RecordNominations(ctx context.Context, r NominationRecord) error
	// RecordAwardReview stores the council's review (once per round).
	RecordAwardReview(ctx context.Context, r AwardReviewRecord) error
	// Nominations returns a round's current nominations, unit by unit.
	Nominations(ctx context.Context, roundID string) ([]NominationRecord, error)
}

// AccountStore keeps the officers' sign-in accounts and their sessions.
// The store never sees a password: the caller hashes it.
type AccountStore interface {
	// CreateAccount adds an account with its password hash (EINVALID for
	// a malformed account, ECONFLICT if the ID is taken).
	CreateAccount(ctx context.Context, a Account, passwordHash []byte) error
	// AccountCredentials returns an account and its password hash (ENOTFOUND if none).
	AccountCredentials(ctx context.Context, id string) (Account, []byte, error)
	// Accounts lists every account.
	Accounts(ctx context.Context) ([]Account, error)
	// SetAccountDisabled disables or enables an account; disabling ends its sessions.
	SetAccountDisabled(ctx context.Context, id string, disabled bool) error
	// SetPassword replaces an account's password hash and ends its sessions.
	SetPassword(ctx context.Context, id string, passwordHash []byte) error

	// CreateSession records a session by the hash of its token.
	CreateSession(ctx context.Context, tokenHash []byte, accountID string, now, expires time.Time, remote string) error
	// SessionByToken finds a live session (ENOTFOUND if none, expired, or its account disabled).
	SessionByToken(ctx context.Context, tokenHash []byte, now time.Time) (Session, error)
	// DeleteSession ends a session.
	DeleteSession(ctx context.Context, tokenHash []byte) error
	// EndOtherSessions ends an account's sessions but one.
	EndOtherSessions(ctx context.Context, accountID string, keep []byte) error
	// UpdateAccount replaces an account's name, unit, title, contacts and
	// notification preference (ENOTFOUND, EINVALID as CreateAccount).
	UpdateAccount(ctx context.Context, a Account) error
	// SignedIn records an account's sign-in time.
	SignedIn(ctx context.Context, id string, at time.Time) error

	// AddDelegation records a delegation and returns its ID (EINVALID for
	// a period that ends before it starts or a deputy who is the head).
	AddDelegation(ctx context.Context, d Delegation) (int64, error)
	// Delegations lists the delegations from or to an account ("" for all).
	Delegations(ctx context.Context, account string) ([]Delegation, error)
	// RevokeDelegation ends a delegation now (ENOTFOUND if none).
	RevokeDelegation(ctx context.Context, id int64, at time.Time) error
}

// WorkStore keeps what officers do with a task before completing it: a
// claim on a task shared by a unit or a role, a draft of its form, its
// supporting files; and reads one task and its history.
type WorkStore interface {
	// Task returns a task of the inbox and whether it is still open
	// (ENOTFOUND if it was never opened).
	Task(ctx context.Context, cycleID, taskID string) (Task, bool, error)
	// Claim gives an open task to an officer; claiming it again does
	// nothing; ECONFLICT if another officer holds it.
	Claim(ctx context.Context, c Claim) error
	// Release gives a claimed task back (no-op if the officer holds no claim).
	Release(ctx context.Context, cycleID, taskID, account string) error
	// Claims returns the claims on a cycle's tasks.
	Claims(ctx context.Context, cycleID string) ([]Claim, error)
	// SaveDraft keeps (replaces) an officer's draft of a task's form.
	SaveDraft(ctx context.Context, d Draft) error
	// Draft returns an officer's draft of a task's form (ENOTFOUND if none).
	Draft(ctx context.Context, cycleID, taskID, account string) (Draft, error)
	// DeleteDraft forgets a draft (no-op if none).
	DeleteDraft(ctx context.Context, cycleID, taskID, account string) error
	// AddAttachment records a supporting file of a task, its bytes the
	// blob a.SHA256 names; the same file again does nothing.
	AddAttachment(ctx context.Context, a Attachment) error
	// Attachments lists a task's supporting files, in the order attached.
	Attachments(ctx context.Context, cycleID, taskID string) ([]Attachment, error)
	// TaskHistory returns the audit trail's records about a task, in order.
	TaskHistory(ctx context.Context, cycleID, taskID string) ([]AuditRecord, error)
}

// AuditTrail is the hash-chained audit trail of every sign-in, task
// completion, refusal and download.
type AuditTrail interface {
	// AppendAudit appends a record and returns it with its number and hashes.
	AppendAudit(ctx context.Context, r AuditRecord) (AuditRecord, error)
	// VerifyAudit checks the whole chain; a *ChainError names the first bad row.
	VerifyAudit(ctx context.Context) (int64, error)
	// RecentAudit returns an actor's latest records ("" for everyone), newest first.
	RecentAudit(ctx context.Context, actorID string, limit int) ([]AuditRecord, error)
}

// CountStore is what the metrics endpoint reads at each scrape.
type CountStore interface {
	// Counts returns the open and overdue tasks, deliveries and archived documents.
	Counts(ctx context.Context, today Date) (Counts, error)
	// Ping checks that the store answers.
	Ping(ctx context.Context) error
}

// Store is the whole store: what the wiring hands to the parts that use it.
type Store interface {
	RegistryStore
	CycleStore
	TaskStore
	SelectionStore
	NotificationStore
	NoticeStore
	DecisionStore
	BlobStore
	ArchiveStore
	DeliveryStore
	AddressStore
	TransformationStore
	AwardStore
	AccountStore
	AuditTrail
	CountStore
	WorkStore
}
