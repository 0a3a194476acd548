package transformation

import (
	"context"
	"fmt"

	"go.temporal.io/sdk/activity"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/flow"
)

// Activities are the activities of the transformation years. Their names
// start with "Transform" (as registered on the worker since the first
// version: recorded histories name them so).
type Activities struct {
	Store cycle.TransformationStore
}

// TransformEnrol records a commune's programme year.
func (a *Activities) TransformEnrol(ctx context.Context, e cycle.Enrolment) error {
	activity.GetLogger(ctx).Info("commune enrolled", "cycle", e.CycleID, "province", e.Province, "commune", e.Commune.Commune,
		"year", e.Commune.Year, "year_no", e.Commune.YearNo)
	return flow.Wrap("enrol "+e.Commune.Commune, a.Store.Enrol(ctx, e))
}

// ReportInput is a report to evaluate and store.
type ReportInput struct {
	cycle.ReportRecord
	Policy cycle.Policy `json:"policy"`
}

// TransformSubmitReport validates a report against the policy, evaluates
// the commune on it (cycle.Evaluate: a reason and the figures for every
// criterion) and stores both; it returns the verdict. A report the policy
// refuses is EINVALID and stores nothing.
func (a *Activities) TransformSubmitReport(ctx context.Context, in ReportInput) (cycle.Verdict, error) {
	r := in.ReportRecord
	if err := cycle.ValidateReport(in.Policy, r.Commune.Types, r.Commune.Kind, r.Report); err != nil {
		return cycle.Verdict{}, flow.Wrap("report of "+r.Commune.Name, err)
	}
	v, err := cycle.EvaluateReport(in.Policy, r.Commune, r.Report)
	if err != nil {
		return cycle.Verdict{}, flow.Wrap("evaluate "+r.Commune.Name, err)
	}
	r.Verdict = v
	if err := a.Store.SaveReport(ctx, r); err != nil {
		return cycle.Verdict{}, flow.Wrap("save report of "+r.Commune.Name, err)
	}
	activity.GetLogger(ctx).Info("report evaluated", "cycle", r.CycleID, "commune", r.Commune.Commune, "task", r.TaskID,
		"report", r.Kind, "year", r.Year, "late", r.Late, "outcome", v.Outcome, "met", v.Met, "counted", v.Counted)
	return v, nil
}

// TransformSaveResults stores the council's year-end appraisal.
func (a *Activities) TransformSaveResults(ctx context.Context, r cycle.ResultsRecord) error {
	activity.GetLogger(ctx).Info("year-end results", "cycle", r.CycleID, "province", r.Province, "task", r.TaskID,
		"year", r.Year, "communes", len(r.Results), "late", r.Late)
	return flow.Wrap(fmt.Sprintf("save results of %s for %d", r.CycleID, r.Year), a.Store.SaveResults(ctx, r))
}

// TransformSetStanding records a commune's new standing.
func (a *Activities) TransformSetStanding(ctx context.Context, s cycle.StandingChange) error {
	activity.GetLogger(ctx).Info("commune standing", "cycle", s.CycleID, "province", s.Province, "commune", s.Commune,
		"standing", s.Standing, "year", s.Year, "document", s.Decision)
	return flow.Wrap(fmt.Sprintf("set standing of %s to %s", s.Commune, s.Standing), a.Store.SetStanding(ctx, s))
}

// TransformSaveReview stores a failure or responsibility review.
func (a *Activities) TransformSaveReview(ctx context.Context, r cycle.ReviewRecord) error {
	activity.GetLogger(ctx).Info("review received", "cycle", r.CycleID, "commune", r.Commune.Commune, "task", r.TaskID,
		"review", r.Kind, "year", r.Year, "late", r.Late)
	return flow.Wrap(fmt.Sprintf("save %s review of %s", r.Kind, r.Commune.Name), a.Store.SaveReview(ctx, r))
}

// KPIInput asks for a province's indicators for a year.
type KPIInput struct {
	Province string       `json:"province"`
	Year     int          `json:"year"`
	Policy   cycle.Policy `json:"policy"` // for its targets
}

// TransformKPI computes a province's indicators for a year from the store.
func (a *Activities) TransformKPI(ctx context.Context, in KPIInput) (cycle.KPI, error) {
	rows, err := a.Store.Outcomes(ctx, in.Province)
	if err != nil {
		return cycle.KPI{}, flow.Wrap("outcomes of "+in.Province, err)
	}
	return cycle.ComputeKPI(in.Policy, in.Province, in.Year, rows), nil
}

// ExtensionsInput asks for a province's second-year communes of a year.
type ExtensionsInput struct {
	Province string `json:"province"`
	Year     int    `json:"year"`
}

// TransformExtensions returns the communes continuing into their second
// year in the given year, for that year's approval decision.
func (a *Activities) TransformExtensions(ctx context.Context, in ExtensionsInput) ([]cycle.ListedCommune, error) {
	out, err := a.Store.Extensions(ctx, in.Province, in.Year)
	return out, flow.Wrap(fmt.Sprintf("extensions of %s in %d", in.Province, in.Year), err)
}
