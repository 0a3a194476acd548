package awards

import (
	"context"
	"time"

	"go.temporal.io/sdk/activity"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/flow"
)

// Store is what the award round's activities record: the round as a
// cycle (so that its decision is numbered like any other), its phases,
// nominations and review (see the contracts in package cycle).
type Store interface {
	OpenCycle(ctx context.Context, c cycle.CycleInfo) error
	SetPhase(ctx context.Context, cycleID string, phase cycle.Phase, at time.Time) error
	RecordNominations(ctx context.Context, r cycle.NominationRecord) error
	RecordAwardReview(ctx context.Context, r cycle.AwardReviewRecord) error
}

// Activities are the activities of the AwardRound workflow. Their names
// start with "Award" (as registered since the first version: recorded
// histories name them so).
type Activities struct {
	Store Store
}

// AwardOpenRound records the round's start.
func (a *Activities) AwardOpenRound(ctx context.Context, c cycle.CycleInfo) error {
	return flow.Wrap("open award round "+c.ID, a.Store.OpenCycle(ctx, c))
}

// PhaseChange is a round entering a phase.
type PhaseChange struct {
	CycleID string      `json:"cycle_id"`
	Phase   cycle.Phase `json:"phase"`
	At      time.Time   `json:"at"`
}

// AwardSetPhase records the round's phase.
func (a *Activities) AwardSetPhase(ctx context.Context, p PhaseChange) error {
	return flow.Wrap("set phase of award round "+p.CycleID, a.Store.SetPhase(ctx, p.CycleID, p.Phase, p.At))
}

// AwardRecordNominations stores a unit's nominations.
func (a *Activities) AwardRecordNominations(ctx context.Context, r cycle.NominationRecord) error {
	activity.GetLogger(ctx).Info("nominations received", "cycle", r.RoundID, "unit", r.Unit, "revision", r.Revision, "count", len(r.Nominations))
	return flow.Wrap("record nominations of "+r.Unit, a.Store.RecordNominations(ctx, r))
}

// AwardRecordReview stores the council's review.
func (a *Activities) AwardRecordReview(ctx context.Context, r cycle.AwardReviewRecord) error {
	activity.GetLogger(ctx).Info("award review received", "cycle", r.RoundID)
	return flow.Wrap("record award review of "+r.RoundID, a.Store.RecordAwardReview(ctx, r))
}
