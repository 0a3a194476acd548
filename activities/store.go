package activities

import (
	"chuyenhoa/cycle"
	"context"
	"time"
)

// Store is what the activities of the selection cycle call: the methods
// they use of the store's contracts (package cycle, where each is
// documented with its errors and its idempotency). Package postgres
// implements them, and internal/memstore for the workflow tests.
type Store interface {
	Province(ctx context.Context, code string) (cycle.Province, cycle.Issuer, error)
	OpenCycle(ctx context.Context, c cycle.CycleInfo) error
	SetPhase(ctx context.Context, cycleID string, phase cycle.Phase, at time.Time) error
	OpenTask(ctx context.Context, t cycle.Task) error
	CompleteTask(ctx context.Context, c cycle.Completion) error
	CloseTask(ctx context.Context, cycleID, taskID, reason string, at time.Time) error
	SaveSelection(ctx context.Context, cycleID string, sel cycle.SelectionResult, at time.Time) error
	AddNotification(ctx context.Context, n cycle.Notification, at time.Time) (bool, error)
	AssignNumber(ctx context.Context, d cycle.Decision) (int, error)
	SaveDecision(ctx context.Context, d cycle.Decision, pdf []byte) error
}
