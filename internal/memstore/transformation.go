package memstore

import (
	"context"
	"fmt"
	"sort"
	"time"

	"chuyenhoa/cycle"
)

var _ cycle.TransformationStore = (*Store)(nil)

// outcome is an outcome row with what Outcomes does not return.
type outcome struct {
	province   string
	cycleID    string
	row        cycle.OutcomeRow
	overridden bool
	reason     string
	verdict    cycle.Verdict
}

func outcomeKey(province, commune string, year int) string {
	return fmt.Sprintf("%s|%s|%d", province, commune, year)
}

// Enrol implements cycle.TransformationStore.
func (s transformations) Enrol(_ context.Context, e cycle.Enrolment) error {
	c := e.Commune
	op := fmt.Sprintf("enrol %s (%s) for %d", c.Commune, c.WorkflowID, c.Year)
	if err := e.Check(); err != nil {
		return fail(op, err)
	}
	return s.write(op, func() error {
		if _, ok := s.Cycles[e.CycleID]; !ok {
			return cycle.Errorf(cycle.ENOTFOUND, "cycle %s is not recorded", e.CycleID)
		}
		t, ok := s.transformations[c.WorkflowID]
		switch {
		case ok && t.Year >= c.Year:
			return nil
		case ok:
			t.Year, t.YearNo, t.Extension = c.Year, c.YearNo, c.YearNo == 2
		default:
			c.Types = append(cycle.Types{}, c.Types...)
			c.Extension = c.YearNo == 2
			t = cycle.Transformation{CommuneInProgramme: c, CycleID: e.CycleID, Province: e.Province}
		}
		t.Standing, t.Updated = cycle.StandingInProgramme, e.At.UTC()
		s.transformations[c.WorkflowID] = t
		return nil
	})
}

// SaveReport implements cycle.TransformationStore.
func (s transformations) SaveReport(_ context.Context, r cycle.ReportRecord) error {
	c := completion{r.CycleID, r.TaskID, r.RequestID, r.Actor, r.Kind.TaskKind(), r.At,
		fmt.Sprintf("%s of %s (%s) for %d: %s", r.Kind, r.Commune.Name, r.Commune.Commune, r.Year, r.Verdict.Outcome), true}
	return s.once(fmt.Sprintf("save %s report of %s for %d", r.Kind, r.Commune.Commune, r.Year), r.Check(), c,
		func() error {
			for _, x := range s.reports {
				if x.WorkflowID == r.WorkflowID && x.Kind == r.Kind && x.Year == r.Year {
					return cycle.Errorf(cycle.ECONFLICT, "the %s report of %s for %d came already at %s from %s (request %s)",
						r.Kind, r.Commune.Commune, r.Year, x.At.UTC().Format(time.RFC3339), who(x.Actor), x.RequestID)
				}
			}
			return nil
		},
		func() {
			r.At = r.At.UTC()
			s.reports = append(s.reports, r)
		})
}

// SaveResults implements cycle.TransformationStore.
func (s transformations) SaveResults(_ context.Context, r cycle.ResultsRecord) error {
	passed := 0
	for _, res := range r.Results {
		if res.Outcome == cycle.OutcomePass {
			passed++
		}
	}
	c := completion{r.CycleID, r.TaskID, r.RequestID, r.Actor, cycle.TaskAppraiseResults, r.At,
		fmt.Sprintf("results of %s for %d: %d of %d passed", r.Province, r.Year, passed, len(r.Results)), true}
	return s.once(fmt.Sprintf("save results of %s for %d", r.CycleID, r.Year), r.Check(), c, nil, func() {
		for _, res := range r.Results {
			cm := res.Commune
			k := outcomeKey(r.Province, cm.Commune, r.Year)
			o := s.outcomes[k]
			o.province, o.cycleID, o.overridden, o.reason, o.verdict = r.Province, r.CycleID, res.Overridden, res.Reason, res.Verdict
			o.row = cycle.OutcomeRow{Commune: cm.Commune, Name: cm.Name, Year: r.Year, YearNo: cm.YearNo, Outcome: res.Outcome, FollowUp: o.row.FollowUp}
			s.outcomes[k] = o
		}
	})
}

// SetStanding implements cycle.TransformationStore.
func (s transformations) SetStanding(_ context.Context, sc cycle.StandingChange) error {
	op := fmt.Sprintf("set standing of %s (%s) to %s", sc.Commune, sc.WorkflowID, sc.Standing)
	if err := sc.Check(); err != nil {
		return fail(op, err)
	}
	return s.write(op, func() error {
		t, ok := s.transformations[sc.WorkflowID]
		if !ok {
			return cycle.Errorf(cycle.ENOTFOUND, "commune workflow %s is not enrolled", sc.WorkflowID)
		}
		province, commune := t.Province, t.Commune
		if sc.Province != "" {
			province = sc.Province
		}
		if sc.Commune != "" {
			commune = sc.Commune
		}
		k := outcomeKey(province, commune, sc.Year)
		o, hasOutcome := s.outcomes[k]
		if sc.FollowUp != "" && !hasOutcome {
			return cycle.Errorf(cycle.ENOTFOUND, "no outcome of %s in province %s for %d to record the follow-up on", commune, province, sc.Year)
		}
		t.Standing, t.Updated = sc.Standing, sc.At.UTC()
		if sc.Decision != "" {
			t.Decision = sc.Decision
		}
		if sc.Note != "" {
			t.Note = sc.Note
		}
		s.transformations[sc.WorkflowID] = t
		if sc.FollowUp != "" {
			o.row.FollowUp = sc.FollowUp
			s.outcomes[k] = o
		}
		return nil
	})
}

// SaveReview implements cycle.TransformationStore.
func (s transformations) SaveReview(_ context.Context, r cycle.ReviewRecord) error {
	kind := cycle.TaskFailureReview
	if r.Kind == cycle.ReviewResponsibility {
		kind = cycle.TaskResponsibilityReview
	}
	c := completion{r.CycleID, r.TaskID, r.RequestID, r.Actor, kind, r.At,
		fmt.Sprintf("%s review of %s (%s) for %d", r.Kind, r.Commune.Name, r.Commune.Commune, r.Year), true}
	return s.once(fmt.Sprintf("save %s review of %s for %d", r.Kind, r.Commune.Commune, r.Year), r.Check(), c,
		func() error {
			for _, x := range s.reviews {
				if x.WorkflowID == r.WorkflowID && x.Kind == r.Kind && x.Year == r.Year {
					return cycle.Errorf(cycle.ECONFLICT, "the %s review of %s for %d came already at %s from %s (request %s)",
						r.Kind, r.Commune.Commune, r.Year, x.At.UTC().Format(time.RFC3339), who(x.Actor), x.RequestID)
				}
			}
			return nil
		},
		func() {
			r.At = r.At.UTC()
			s.reviews = append(s.reviews, r)
		})
}

// Reviews returns the reviews of a cohort's cycle in the order received
// (for tests; the contract has no reader for them).
func (s transformations) Reviews(cycleID string) []cycle.ReviewRecord {
	return filter(s.data, s.reviews, func(r cycle.ReviewRecord) bool { return r.CycleID == cycleID })
}

// Outcomes implements cycle.TransformationStore.
func (s transformations) Outcomes(_ context.Context, province string) ([]cycle.OutcomeRow, error) {
	var out []cycle.OutcomeRow
	for _, o := range values(s.data, s.outcomes, func(o outcome) bool { return o.province == province }) {
		out = append(out, o.row)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Year != out[j].Year {
			return out[i].Year < out[j].Year
		}
		return out[i].Commune < out[j].Commune
	})
	return out, nil
}

// Extensions implements cycle.TransformationStore.
func (s transformations) Extensions(_ context.Context, province string, year int) ([]cycle.ListedCommune, error) {
	var out []cycle.ListedCommune
	for _, t := range values(s.data, s.transformations, func(t cycle.Transformation) bool {
		return t.Province == province && t.Year == year && t.YearNo == 2
	}) {
		out = append(out, cycle.ListedCommune{Commune: t.Commune, Name: t.Name, District: t.District, DistrictName: t.DistrictName,
			Types: append(cycle.Types{}, t.Types...), Extension: true})
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.District != b.District {
			return a.District < b.District
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.Commune < b.Commune
	})
	return out, nil
}

// Transformations implements cycle.TransformationStore.
func (s transformations) Transformations(_ context.Context, province string) ([]cycle.Transformation, error) {
	out := values(s.data, s.transformations, func(t cycle.Transformation) bool { return province == "" || t.Province == province })
	for i := range out {
		out[i].Types = append(cycle.Types{}, out[i].Types...)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		switch {
		case a.Province != b.Province:
			return a.Province < b.Province
		case a.FirstYear != b.FirstYear:
			return a.FirstYear < b.FirstYear
		case a.Commune != b.Commune:
			return a.Commune < b.Commune
		}
		return a.WorkflowID < b.WorkflowID
	})
	return out, nil
}

// Reports implements cycle.TransformationStore.
func (s transformations) Reports(_ context.Context, cycleID string) ([]cycle.ReportRecord, error) {
	out := filter(s.data, s.reports, func(r cycle.ReportRecord) bool { return r.CycleID == cycleID })
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out, nil
}
