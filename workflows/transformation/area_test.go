package transformation

import (
	"context"
	"testing"

	"chuyenhoa/cycle"
	"chuyenhoa/policies"
)

// areaStore holds a province, its cycles and their proposals.
type areaStore struct {
	prov      cycle.Province
	cycles    map[string]cycle.CycleInfo
	proposals map[string][]cycle.ProposalRevision
}

func (s areaStore) Cycle(_ context.Context, id string) (cycle.CycleInfo, cycle.Phase, error) {
	c, ok := s.cycles[id]
	if !ok {
		return cycle.CycleInfo{}, "", cycle.Errorf(cycle.ENOTFOUND, "no cycle %s", id)
	}
	return c, "", nil
}

func (s areaStore) Province(context.Context, string) (cycle.Province, cycle.Issuer, error) {
	return s.prov, cycle.Issuer{}, nil
}

func (s areaStore) Proposals(_ context.Context, id string) ([]cycle.ProposalRevision, error) {
	if _, ok := s.cycles[id]; !ok {
		return nil, cycle.Errorf(cycle.ENOTFOUND, "no cycle %s", id)
	}
	return s.proposals[id], nil
}

func figs(crimes ...int) []cycle.CommuneFigures {
	var out []cycle.CommuneFigures
	for i, c := range crimes {
		out = append(out, cycle.CommuneFigures{Commune: string(rune('1' + i)), Figures: cycle.Figures{SocialOrderCrimes: c}})
	}
	return out
}

// A yearly report of 2027 is compared with the 2028 proposals' figures
// (15/12/2026 – 14/12/2027, the transformation year itself) when they are
// held, else with the 2027 ones; a half-year report never with figures
// after its period.
func TestComputeArea(t *testing.T) {
	pol := cycle.DefaultPolicy()
	prov := cycle.Province{Code: "51", Name: "Tỉnh Thử", Districts: []cycle.District{{Code: "A", Name: "Huyện A"}},
		Communes: []cycle.Commune{{Code: "1", Name: "Xã Một", District: "A", Kind: cycle.KindXa}, {Code: "2", Name: "Xã Hai", District: "A", Kind: cycle.KindXa}}}
	s := areaStore{prov: prov, cycles: map[string]cycle.CycleInfo{
		"cycle/51/2027": {ID: "cycle/51/2027", Province: "51", Year: 2027, Policy: pol},
	}, proposals: map[string][]cycle.ProposalRevision{
		"cycle/51/2027": {{Current: true, Proposal: cycle.Proposal{Unit: "A", Statistics: figs(10, 4)}}, {Current: false, Proposal: cycle.Proposal{Unit: "A", Statistics: figs(99, 99)}}},
		"cycle/51/2028": {{Current: true, Proposal: cycle.Proposal{Unit: "A", Statistics: figs(3, 5)}}},
	}}
	yearly := cycle.Span{From: cycle.D(2026, 12, 15), To: cycle.D(2027, 12, 14)}
	half := cycle.Span{From: cycle.D(2026, 12, 15), To: cycle.D(2027, 6, 14)}
	ctx := context.Background()
	a, err := ComputeArea(ctx, s, pol, "cycle/51/2027", "1", yearly)
	if err != nil || a == nil || a.Crimes != 14 || a.Communes != 2 {
		t.Fatalf("yearly, without the 2028 cycle: %+v, %v; want the 2027 proposals' 14/2", a, err)
	}
	s.cycles["cycle/51/2028"] = cycle.CycleInfo{ID: "cycle/51/2028", Province: "51", Year: 2028, Policy: pol}
	if a, _ := ComputeArea(ctx, s, pol, "cycle/51/2027", "1", yearly); a == nil || a.Crimes != 8 || a.Source != "số liệu đề xuất năm 2028 (15/12/2026 – 14/12/2027)" {
		t.Errorf("yearly: %+v; want the 2028 proposals' 8/2", a)
	}
	if a, _ := ComputeArea(ctx, s, pol, "cycle/51/2027", "1", half); a == nil || a.Crimes != 14 {
		t.Errorf("half-year: %+v; want the 2027 proposals' 14/2 (the 2028 ones run past 14/6/2027)", a)
	}
}

// areaActivityStore is an areaStore behind the activities' store.
type areaActivityStore struct {
	cycle.TransformationStore
	areaStore
}

// The report's activity evaluates with the computed average: a typed one
// that differs is refused, none is replaced by it, and only where no
// statistics are held is a typed one needed. A follow-up two years after
// the cohort's cycle still finds that cycle's proposals.
func TestReportArea(t *testing.T) {
	pol, err := policies.ByID("000-quang-ngai-2021-2025") // Loại 1: at most the area's average
	if err != nil {
		t.Fatal(err)
	}
	prov := cycle.Province{Code: "51", Name: "Tỉnh Thử", Districts: []cycle.District{{Code: "A", Name: "Huyện A"}},
		Communes: []cycle.Commune{{Code: "1", Name: "Xã Một", District: "A", Kind: cycle.KindXa}, {Code: "2", Name: "Xã Hai", District: "A", Kind: cycle.KindXa}}}
	s := areaStore{prov: prov, cycles: map[string]cycle.CycleInfo{"cycle/51/2027": {ID: "cycle/51/2027", Province: "51", Year: 2027, Policy: pol}},
		proposals: map[string][]cycle.ProposalRevision{"cycle/51/2027": {{Current: true, Proposal: cycle.Proposal{Unit: "A", Statistics: figs(10, 4)}}}}}
	a := &Activities{Store: areaActivityStore{areaStore: s}}
	types := cycle.Types{cycle.TypeSocialOrder}
	if _, _, need := cycle.ReportNeeds(pol, types, cycle.KindXa); !need {
		t.Fatal("policy 000 compares no figure of Loại 1 with an average")
	}
	rec := func(area *cycle.AreaAverage, period cycle.Span) *cycle.ReportRecord {
		return &cycle.ReportRecord{CycleID: "cycle/51/2027", Commune: cycle.CommuneInProgramme{ListedCommune: cycle.ListedCommune{Commune: "1", Name: "Xã Một", Types: types}, Kind: cycle.KindXa},
			Period: period, Report: cycle.TransformationReport{Area: area}}
	}
	ctx := context.Background()
	yearly := cycle.Span{From: cycle.D(2026, 12, 15), To: cycle.D(2027, 12, 14)}
	r := rec(nil, yearly)
	if err := a.areaOf(ctx, pol, r); err != nil || r.Report.Area == nil || !r.Report.Area.Computed || r.Report.Area.Crimes != 14 || r.Report.Area.Communes != 2 {
		t.Errorf("none typed: %+v, %v; want the computed 14/2", r.Report.Area, err)
	}
	if err := a.areaOf(ctx, pol, rec(&cycle.AreaAverage{Name: "Huyện A", Crimes: 300, Communes: 20}, yearly)); cycle.ErrorCode(err) != cycle.EINVALID {
		t.Errorf("a typed average that differs: %v; want EINVALID", err)
	}
	r = rec(&cycle.AreaAverage{Name: "Huyện A", Crimes: 7, Communes: 1}, yearly)
	if err := a.areaOf(ctx, pol, r); err != nil || !r.Report.Area.Computed {
		t.Errorf("a typed average that agrees: %+v, %v; want the computed one", r.Report.Area, err)
	}
	r = rec(nil, cycle.Span{From: cycle.D(2029, 1, 4), To: cycle.D(2029, 7, 3)})
	if err := a.areaOf(ctx, pol, r); err != nil || r.Report.Area == nil || r.Report.Area.Crimes != 14 {
		t.Errorf("a follow-up in 2029: %+v, %v; want the 2027 proposals' 14/2", r.Report.Area, err)
	}
	none := &Activities{Store: areaActivityStore{areaStore: areaStore{prov: prov, cycles: s.cycles}}}
	if err := none.areaOf(ctx, pol, rec(nil, yearly)); cycle.ErrorCode(err) != cycle.EINVALID {
		t.Errorf("no statistics, none typed: %v; want EINVALID", err)
	}
	r = rec(&cycle.AreaAverage{Name: "Huyện A", Crimes: 30, Communes: 5}, yearly)
	if err := none.areaOf(ctx, pol, r); err != nil || r.Report.Area.Crimes != 30 {
		t.Errorf("no statistics, one typed: %+v, %v; want the typed one", r.Report.Area, err)
	}
}
