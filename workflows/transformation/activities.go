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
	// Cycles tells a cycle's workflow what its communes report
	// (TransformSubmitReportAndTell): the worker's client (app.NewWorker
	// sets it); nil, as in a test environment, the workflow tells it.
	Cycles Signaller
}

// Signaller sends a signal to a workflow (a client.Client is one).
type Signaller interface {
	SignalWorkflow(ctx context.Context, workflowID, runID, signalName string, arg any) error
}

// AreaStore is what computing a report's area average reads: the cohort's
// cycle, the registry, and the proposals of the province's cycles (their
// figures for every commune).
type AreaStore interface {
	Cycle(ctx context.Context, id string) (cycle.CycleInfo, cycle.Phase, error)
	Province(ctx context.Context, code string) (cycle.Province, cycle.Issuer, error)
	Proposals(ctx context.Context, cycleID string) ([]cycle.ProposalRevision, error)
}

// cycleID is the ID of a province's yearly cycle (selection.WorkflowID,
// which this package cannot import).
func cycleID(province string, year int) string { return fmt.Sprintf("cycle/%s/%d", province, year) }

// ComputeArea is the area average (cycle.AreaFor) a report of commune
// for period, in the cohort of cycleID, is compared with, from the
// statistics the secretariat holds: the figures of the latest cycle's
// proposals whose statistics period ends by the end of the report's (the
// next year's proposals, for a yearly report, cover the transformation
// year itself; a half-year report uses the year before; no older than the
// cohort's own cycle's). nil when the
// store holds no such statistics for the commune's area. The report form
// shows it and TransformSubmitReport evaluates with it.
func ComputeArea(ctx context.Context, s AreaStore, pol cycle.Policy, cycleOf, commune string, period cycle.Span) (*cycle.AreaAverage, error) {
	info, _, err := s.Cycle(ctx, cycleOf)
	if err != nil {
		return nil, err
	}
	prov, _, err := s.Province(ctx, info.Province)
	if err != nil {
		return nil, err
	}
	end := period.To.Year
	// Back to the cohort's own cycle at least (a follow-up after a second
	// year may end two years after the latest proposals).
	for x := end + 1; x >= min(end-1, info.Year); x-- {
		from, to := info.Policy.Calendar.StatisticsFrom.In(x-1), info.Policy.Calendar.StatisticsTo.In(x-1)
		if to.After(period.To) {
			continue // statistics after the report's period
		}
		span := cycle.Span{From: from, To: to}.Vietnamese()
		st := cycle.AreaStatistics{Source: cycle.Word{VI: fmt.Sprintf("số liệu đề xuất năm %d (%s)", x, span), EN: fmt.Sprintf("the proposals' figures for %d (%s)", x, span)}}
		if prov.TwoTier() && to.Before(cycle.TwoTierSince) {
			// Figures of before 1 July 2025, by old commune, of the old
			// provinces the province was made of: summed per new commune.
			var found bool
			if st, found, err = statisticsBefore2025(ctx, s, prov, x, st); err != nil {
				return nil, err
			} else if !found {
				continue
			}
		} else {
			revs, err := s.Proposals(ctx, cycleID(info.Province, x))
			if cycle.ErrorCode(err) == cycle.ENOTFOUND {
				continue
			} else if err != nil {
				return nil, err
			}
			for _, rev := range revs {
				if rev.Current {
					st.Figures = append(st.Figures, rev.Proposal.Statistics...)
				}
			}
		}
		if computed, ok := cycle.AreaFor(prov, pol, commune, st); ok {
			return computed, nil
		}
	}
	return nil, nil
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
	// Tell, for TransformSubmitReportAndTell: the signal the cycle is to
	// have once the report is recorded, its verdict filled in (nil: the
	// cycle is not told, a recognised commune's own yearly report).
	Tell *CommuneSignal `json:"tell,omitempty"`
}

// ReportTold is what TransformSubmitReportAndTell did: the report's
// verdict, and whether the cycle has been told it.
type ReportTold struct {
	Verdict cycle.Verdict `json:"verdict"`
	Told    bool          `json:"told,omitempty"`
}

// TransformSubmitReportAndTell records a report (TransformSubmitReport)
// and then tells the cycle its verdict (in.Tell) itself, so that the
// commune's workflow need not send the signal and wait, in a workflow
// task of its own, for its delivery: a report costs its update's one
// workflow task (issue 18). The cycle takes a verdict again as the same
// (Cohort.onCommune keeps the latest per commune and year), so a run of
// this activity again after a lost workflow task tells nothing new. When
// the cycle cannot be told here — no client (a test environment), or the
// signal refused — Told is false and the workflow sends the signal itself:
// the report is recorded either way, and the verdict is never lost.
func (a *Activities) TransformSubmitReportAndTell(ctx context.Context, in ReportInput) (ReportTold, error) {
	v, err := a.TransformSubmitReport(ctx, in)
	if err != nil || in.Tell == nil {
		return ReportTold{Verdict: v}, err
	}
	if a.Cycles == nil {
		return ReportTold{Verdict: v}, nil
	}
	s := *in.Tell
	s.Verdict.Verdict = v
	if err := a.Cycles.SignalWorkflow(ctx, in.CycleID, "", SignalCommune, s); err != nil {
		activity.GetLogger(ctx).Warn("tell the cycle from the report's record; the workflow tells it", "cycle", in.CycleID, "commune", in.Commune.Commune, "error", err)
		return ReportTold{Verdict: v}, nil
	}
	return ReportTold{Verdict: v, Told: true}, nil
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
	if err := a.areaOf(ctx, in.Policy, &r); err != nil {
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

// areaOf puts in r the area average its commune is compared with, when a
// criterion compares with one: the one computed from the statistics the
// secretariat holds (ComputeArea). A typed average that differs from it is
// refused (cycle.CheckTypedArea); one that agrees, or none, is replaced by
// the computed one, named with its source. Only where the store holds no
// statistics for the area is a typed average used, and then one is
// required. This runs in the activity: the workflow's code and recorded
// histories are unchanged.
func (a *Activities) areaOf(ctx context.Context, pol cycle.Policy, r *cycle.ReportRecord) error {
	if _, _, need := cycle.ReportNeeds(pol, r.Commune.Types, r.Commune.Kind); !need {
		return nil
	}
	var computed *cycle.AreaAverage
	if s, ok := a.Store.(AreaStore); ok {
		var err error
		if computed, err = ComputeArea(ctx, s, pol, r.CycleID, r.Commune.Commune, r.Period); err != nil {
			return err
		}
	}
	if computed == nil {
		if r.Report.Area == nil {
			p := cycle.NewProblem("report.required.area")
			p.Field, p.Rule = "area_average", "report.required"
			return &cycle.Error{Code: cycle.EINVALID, Message: cycle.Say(cycle.English, "report.invalid"), Text: cycle.Say(cycle.Vietnamese, "report.invalid"), Problems: []cycle.Problem{p}}
		}
		return nil
	}
	if err := cycle.CheckTypedArea(r.Report.Area, computed); err != nil {
		return err
	}
	r.Report.Area = computed
	return nil
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
	return cycle.SummaryKPI(in.Policy, in.Province, in.Year, rows), nil
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
