package activities

import (
	"context"
	"time"

	"chuyenhoa/cycle"
)

// Store is the durable record and read model the activities write to. The
// workflow is the source of truth for a cycle's state; the store keeps what
// happened (audit log, proposals and their revisions, selection verdicts,
// decisions, notifications) and what is open (tasks), for officers' inboxes
// and reports. Package postgres implements it.
//
// Every method is one transaction and idempotent, because activities retry:
// calling it again with the same arguments leaves the store as after the
// first call. Input that can never succeed is a *cycle.Error — ENOTFOUND
// where a thing is missing, EINVALID or ECONFLICT where it clashes with
// what is stored — which the activities make non-retryable; anything else
// is a retryable fault.
type Store interface {
	// SaveProvince inserts or replaces a province's registry and issuer configuration.
	SaveProvince(ctx context.Context, p cycle.Province, is cycle.Issuer) error
	// Province returns a province's registry and issuer (ENOTFOUND if unknown).
	Province(ctx context.Context, code string) (cycle.Province, cycle.Issuer, error)

	// OpenCycle records a cycle's start (no-op if already recorded).
	OpenCycle(ctx context.Context, c cycle.CycleInfo) error
	// SetPhase records the cycle's current phase.
	SetPhase(ctx context.Context, cycleID string, phase cycle.Phase, at time.Time) error

	// OpenTask adds an open task to the read model (no-op if it is open already).
	OpenTask(ctx context.Context, t cycle.Task) error
	// CompleteTask, in one transaction: appends the audit entry, stores the
	// payload (a proposal revision with its statistics, a consolidation with
	// its draft list, an appraisal with its list), and closes the task. A
	// second call with the same (CycleID, RequestID) does nothing.
	CompleteTask(ctx context.Context, c cycle.Completion) error
	// CloseTask closes a task that will not be completed (e.g. a proposal
	// never submitted once the secretariat consolidated), with a reason;
	// ENOTFOUND if the task was never opened.
	CloseTask(ctx context.Context, cycleID, taskID, reason string, at time.Time) error

	// SaveSelection stores the verdict of every selection rule for every
	// candidate (the appraisal results), replacing the cycle's previous one.
	SaveSelection(ctx context.Context, cycleID string, sel cycle.SelectionResult, at time.Time) error

	// AddNotification stores a notification once per Key; it reports
	// whether it was new.
	AddNotification(ctx context.Context, n cycle.Notification, at time.Time) (bool, error)

	// AssignNumber returns the decision's number in the register of
	// (d.BodyKey, d.Year): the number it already has, or the next one —
	// gapless and unique under concurrent calls — recorded with the
	// decision's ID, kind, cycle and date.
	AssignNumber(ctx context.Context, d cycle.Decision) (int, error)
	// SaveDecision stores the issued decision with its PDF (upsert by ID);
	// the decision must have its number from AssignNumber (ENOTFOUND otherwise).
	SaveDecision(ctx context.Context, d cycle.Decision, pdf []byte) error

	// Read side.
	OpenTasks(ctx context.Context, f TaskFilter) ([]cycle.Task, error)
	Notifications(ctx context.Context, cycleID string) ([]cycle.StoredNotification, error)
	Audit(ctx context.Context, cycleID string) ([]cycle.AuditEntry, error)
	Decisions(ctx context.Context, cycleID string) ([]cycle.Decision, error)
	DecisionPDF(ctx context.Context, id string) ([]byte, error)
	Proposals(ctx context.Context, cycleID string) ([]ProposalRevision, error)
}

// TaskFilter selects open tasks (see cycle.TaskFilter).
type TaskFilter = cycle.TaskFilter

// ProposalRevision is one stored revision of a unit's proposal (see cycle.ProposalRevision).
type ProposalRevision = cycle.ProposalRevision
