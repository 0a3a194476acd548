package sample

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"chuyenhoa/cycle"
)

// checkProposal fails unless prop is what Proposals promises for its unit:
// it passes cycle.ValidateProposal, covers the unit, proposes at most four
// communes, none new-rural, each typed by the rule, with a reason.
func checkProposal(t *testing.T, p cycle.Province, pol cycle.Policy, prop cycle.Proposal) {
	t.Helper()
	if err := cycle.ValidateProposal(p, pol, prop); err != nil {
		t.Errorf("unit %s: %v", prop.Unit, err)
	}
	norm := prop
	norm.Statistics = slices.Clone(prop.Statistics)
	norm.Proposed = slices.Clone(prop.Proposed)
	norm.Normalize()
	if !reflect.DeepEqual(norm, prop) {
		t.Errorf("unit %s: Normalize changes the proposal", prop.Unit)
	}
	if !strings.Contains(prop.Note, SyntheticLabel) {
		t.Errorf("unit %s: note %q is not labelled synthetic", prop.Unit, prop.Note)
	}
	if len(prop.Proposed) > 4 {
		t.Errorf("unit %s: %d proposed, want at most 4", prop.Unit, len(prop.Proposed))
	}
	figs := map[string]cycle.Figures{}
	total := 0
	for _, s := range prop.Statistics {
		figs[s.Commune] = s.Figures
		total += s.SocialOrderCrimes
	}
	for _, pc := range prop.Proposed {
		c, _ := p.Commune(pc.Commune)
		if c.NewRural {
			t.Errorf("unit %s: proposes new-rural %s", prop.Unit, c.Label())
		}
		f := figs[pc.Commune]
		want := cycle.Types{cycle.TypeSocialOrder}
		for k, n := range []int{f.EconomicCases, f.EnvironmentCases, f.DrugCases} {
			if n >= 3 {
				want = append(want, cycle.CrimeType(k+2))
			}
		}
		if !slices.Equal(pc.Types, want) {
			t.Errorf("unit %s: %s typed %v with figures %+v, want %v", prop.Unit, c.Label(), pc.Types, f, want)
		}
		if !strings.Contains(pc.Reason, fmt.Sprintf("%d vụ phạm tội xâm phạm TTXH", f.SocialOrderCrimes)) {
			t.Errorf("unit %s: %s: reason %q does not give its figure", prop.Unit, c.Label(), pc.Reason)
		}
	}
	if p.TwoTier() || len(prop.Proposed) > 0 {
		return
	}
	n := len(prop.Statistics)
	for _, c := range p.CommunesOf(prop.Unit) {
		if !c.NewRural && figs[c.Code].SocialOrderCrimes*n > total {
			t.Errorf("unit %s proposes nothing, but %s qualifies (%d crimes, district total %d over %d communes)",
				prop.Unit, c.Label(), figs[c.Code].SocialOrderCrimes, total, n)
		}
	}
}

func TestProposals(t *testing.T) {
	pol := cycle.DefaultPolicy()
	threeTypes := 0
	for _, slug := range Provinces() {
		t.Run(slug, func(t *testing.T) {
			p, _ := mustProvince(t, slug)
			for _, y := range years {
				props := Proposals(p, pol, y)
				var units []string
				for _, prop := range props {
					units = append(units, prop.Unit)
					checkProposal(t, p, pol, prop)
					for _, pc := range prop.Proposed {
						if len(pc.Types) >= 3 {
							threeTypes++
						}
					}
				}
				if !slices.Equal(units, p.Units()) {
					t.Errorf("%d: proposals from %v, want one per unit %v", y, units, p.Units())
				}
				if !reflect.DeepEqual(props, Proposals(p, pol, y)) {
					t.Errorf("%d: Proposals differs between two calls", y)
				}
			}
		})
	}
	if threeTypes == 0 {
		t.Error("no proposed commune of three or more types in any province or year")
	}
}

func TestProposalsTwoTier(t *testing.T) {
	ps, err := Communes2025()
	if err != nil {
		t.Fatal(err)
	}
	pol := cycle.DefaultPolicy()
	for _, p := range ps {
		props := Proposals(p, pol, 2027)
		if len(props) != len(p.Communes) {
			t.Fatalf("%s: %d proposals for %d communes", p.Name, len(props), len(p.Communes))
		}
		proposed := 0
		for _, prop := range props {
			checkProposal(t, p, pol, prop)
			proposed += len(prop.Proposed)
		}
		sel := cycle.Select(p, pol, props)
		if proposed == 0 || len(sel.Selected()) == 0 || len(sel.Missing) != 0 {
			t.Errorf("%s: %d proposed, %d selected, %d units missing", p.Name, proposed, len(sel.Selected()), len(sel.Missing))
		}
	}
}

// TestQuangNgai2027 pins what the demo shows: more proposals than the 15%
// cap, enough eligible ones for the cap to bite, and a quiet district's
// local hotspot ruled out at the province average.
func TestQuangNgai2027(t *testing.T) {
	p, _ := mustProvince(t, "quang-ngai")
	pol := cycle.DefaultPolicy()
	props := Proposals(p, pol, 2027)
	proposed := 0
	for _, prop := range props {
		proposed += len(prop.Proposed)
	}
	sel := cycle.Select(p, pol, props)
	if sel.Cap != 25 {
		t.Fatalf("cap %d, want 25 (15%% of 170)", sel.Cap)
	}
	if proposed <= sel.Cap {
		t.Errorf("%d proposed, want more than the cap of %d", proposed, sel.Cap)
	}
	unitAvg := map[string]float64{}
	for _, a := range sel.Averages {
		unitAvg[a.Unit] = a.Average
	}
	eligible, beyondCap, provinceOnly := 0, 0, 0
	for _, c := range sel.Candidates {
		failed := c.FailedChecks()
		if c.Eligible {
			eligible++
		}
		if c.Eligible && !c.Selected {
			if len(failed) != 1 || failed[0].Rule != cycle.RuleCap {
				t.Errorf("%s eligible, not selected, failed %v: want the cap alone", c.Name, failed)
			}
			beyondCap++
		}
		if len(failed) == 1 && failed[0].Rule == cycle.RuleProvinceAverage && unitAvg[c.District] < sel.ProvinceAverage {
			provinceOnly++
		}
	}
	if eligible <= sel.Cap || beyondCap == 0 || len(sel.Selected()) != sel.Cap {
		t.Errorf("%d eligible, %d selected, %d beyond the cap of %d: want the cap to bite", eligible, len(sel.Selected()), beyondCap, sel.Cap)
	}
	if provinceOnly == 0 {
		t.Error("no commune of a quiet district fails the province-average rule alone")
	}
	multi := 0
	for _, c := range sel.Selected() {
		if len(c.Types) > 1 {
			multi++
		}
	}
	if multi == 0 {
		t.Error("no selected commune of several types")
	}
}

func TestBadProposal(t *testing.T) {
	pol := cycle.DefaultPolicy()
	for _, slug := range Provinces() {
		t.Run(slug, func(t *testing.T) {
			p, _ := mustProvince(t, slug)
			for _, y := range []int{2026, 2027, 2028} {
				for _, d := range p.Districts {
					checkBadProposal(t, p, pol, y, d.Code)
				}
			}
		})
	}
	ps, err := Communes2025()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps[:3] {
		t.Run(p.Code, func(t *testing.T) {
			var newRural, other bool
			for _, c := range p.Communes {
				if c.NewRural && !newRural {
					checkBadProposal(t, p, pol, 2027, c.Code)
					newRural = true
				}
				if !c.NewRural && !other {
					checkBadProposal(t, p, pol, 2027, c.Code)
					other = true
				}
			}
		})
	}
	p, _ := mustProvince(t, "quang-ngai")
	bad := BadProposal(p, pol, 2027, "999")
	if err := cycle.ValidateProposal(p, pol, bad); !hasRule(err, "registry.unknown_unit") {
		t.Errorf("unknown district: %v, want registry.unknown_unit", err)
	}
}

// checkBadProposal fails unless the bad proposal of a district is rejected
// for each deliberate mistake, and only for them.
func checkBadProposal(t *testing.T, p cycle.Province, pol cycle.Policy, year int, district string) {
	t.Helper()
	var good cycle.Proposal
	for _, prop := range Proposals(p, pol, year) {
		if prop.Unit == district {
			good = prop
		}
	}
	bad := BadProposal(p, pol, year, district)
	samePrefix := len(bad.Proposed) >= len(good.Proposed) &&
		slices.EqualFunc(bad.Proposed[:len(good.Proposed)], good.Proposed, func(a, b cycle.ProposedCommune) bool { return reflect.DeepEqual(a, b) })
	if !samePrefix || !reflect.DeepEqual(bad.Statistics, good.Statistics) {
		t.Fatalf("%d %s: the bad proposal does not start from the good one", year, district)
	}
	err := cycle.ValidateProposal(p, pol, bad)
	if cycle.ErrorCode(err) != cycle.EINVALID {
		t.Fatalf("%d %s: ValidateProposal = %v, want EINVALID", year, district, err)
	}
	want := []string{"registry.wrong_unit", "registry.unknown_commune"}
	own := p.CommunesOf(district)
	if p.TwoTier() {
		c, _ := p.Commune(district)
		own = []cycle.Commune{c}
	} else {
		want = append(want, "selection.district_average")
	}
	for _, c := range own {
		if c.NewRural {
			want = append(want, "selection.new_rural")
			break
		}
	}
	for _, rule := range want {
		if !hasRule(err, rule) {
			t.Errorf("%d %s: not rejected for %s: %v", year, district, rule, err)
		}
	}
	var e *cycle.Error
	errors.As(err, &e)
	for _, prob := range e.Problems {
		var i int
		if _, scan := fmt.Sscanf(prob.Field, "proposed[%d]", &i); scan != nil || i < len(good.Proposed) {
			t.Errorf("%d %s: problem outside the deliberate mistakes: %s", year, district, prob)
		}
	}
}

// hasRule reports whether err is a *cycle.Error with a problem of the rule.
func hasRule(err error, rule string) bool {
	var e *cycle.Error
	if !errors.As(err, &e) {
		return false
	}
	for _, p := range e.Problems {
		if p.Rule == rule {
			return true
		}
	}
	return false
}
