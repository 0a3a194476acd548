package selection

import (
	"context"
	"fmt"
	"time"

	"go.temporal.io/sdk/activity"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/flow"
)

// Store is what the selection's activities call (see the contracts in
// package cycle, where each method is documented with its errors).
type Store interface {
	Province(ctx context.Context, code string) (cycle.Province, cycle.Issuer, error)
	OpenCycle(ctx context.Context, c cycle.CycleInfo) error
	SetPhase(ctx context.Context, cycleID string, phase cycle.Phase, at time.Time) error
	SaveSelection(ctx context.Context, cycleID string, sel cycle.SelectionResult, at time.Time) error
	Transformations(ctx context.Context, province string) ([]cycle.Transformation, error)
	Decisions(ctx context.Context, cycleID string) ([]cycle.Decision, error)
}

// ProgrammeInput asks for a province's programme as the cycle of Year sees it.
type ProgrammeInput struct {
	Province string `json:"province"`
	Year     int    `json:"year"`
}

// LoadProgramme reads which communes of the province are in the
// programme (first or second year, followed), which were recognised and
// when, with the decisions that put them there (cycle.NewProgramme): the
// clean lists the cycle checks proposals against.
func (a *Activities) LoadProgramme(ctx context.Context, in ProgrammeInput) (cycle.Programme, error) {
	op := fmt.Sprintf("programme of %s for %d", in.Province, in.Year)
	rows, err := a.Store.Transformations(ctx, in.Province)
	if err != nil {
		return cycle.Programme{}, flow.Wrap(op, err)
	}
	decisions := map[string][]cycle.Decision{}
	for _, t := range rows {
		if _, done := decisions[t.CycleID]; done {
			continue
		}
		ds, err := a.Store.Decisions(ctx, t.CycleID)
		if err != nil {
			return cycle.Programme{}, flow.Wrap(op, err)
		}
		decisions[t.CycleID] = ds
	}
	return cycle.NewProgramme(in.Province, in.Year, rows, decisions), nil
}

// Activities are the selection's activities.
type Activities struct {
	Store Store
}

// ProvinceSnapshot is a province's registry and issuer as a cycle starts with them.
type ProvinceSnapshot struct {
	Province cycle.Province `json:"province"`
	Issuer   cycle.Issuer   `json:"issuer"`
}

// LoadProvince reads the registry and issuer configuration of a province.
func (a *Activities) LoadProvince(ctx context.Context, code string) (ProvinceSnapshot, error) {
	p, is, err := a.Store.Province(ctx, code)
	if err != nil {
		return ProvinceSnapshot{}, flow.Wrap("load province "+code, err)
	}
	return ProvinceSnapshot{Province: p, Issuer: is}, nil
}

// OpenCycle records a cycle's start.
func (a *Activities) OpenCycle(ctx context.Context, c cycle.CycleInfo) error {
	return flow.Wrap("open cycle "+c.ID, a.Store.OpenCycle(ctx, c))
}

// PhaseChange is a cycle entering a phase.
type PhaseChange struct {
	CycleID string      `json:"cycle_id"`
	Phase   cycle.Phase `json:"phase"`
	At      time.Time   `json:"at"`
}

// SetPhase records the cycle's phase.
func (a *Activities) SetPhase(ctx context.Context, p PhaseChange) error {
	activity.GetLogger(ctx).Info("cycle phase", "cycle", p.CycleID, "phase", p.Phase)
	return flow.Wrap("set phase of "+p.CycleID, a.Store.SetPhase(ctx, p.CycleID, p.Phase, p.At))
}

// SelectionInput is what the selection rules are applied to.
type SelectionInput struct {
	CycleID   string           `json:"cycle_id"`
	Province  cycle.Province   `json:"province"`
	Policy    cycle.Policy     `json:"policy"`
	Proposals []cycle.Proposal `json:"proposals"`
	At        time.Time        `json:"at"`
	// Programme is the clean lists' programme (cycles from the change
	// "clean-lists" on); nil before.
	Programme *cycle.Programme `json:"programme,omitempty"`
}

// ApplySelectionRules applies the policy's selection rules to the
// proposals received and stores every candidate's verdict, with a reason
// per rule, for the secretariat and the council.
func (a *Activities) ApplySelectionRules(ctx context.Context, in SelectionInput) (cycle.SelectionResult, error) {
	sel := cycle.SelectIn(in.Province, in.Policy, in.Proposals, in.Programme)
	activity.GetLogger(ctx).Info("selection rules applied", "cycle", in.CycleID, "province", in.Province.Code, "policy", in.Policy.ID,
		"proposals", len(in.Proposals), "selected", len(sel.Selected()))
	if err := a.Store.SaveSelection(ctx, in.CycleID, sel, in.At); err != nil {
		return cycle.SelectionResult{}, flow.Wrap("save selection of "+in.CycleID, err)
	}
	return sel, nil
}
