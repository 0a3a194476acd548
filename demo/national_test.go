package main

import (
	"strings"
	"testing"
	"time"

	"chuyenhoa/cycle"
	"chuyenhoa/internal/display"
	"chuyenhoa/policies"
	"chuyenhoa/sample"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/transformation"
)

func nationalFixture(t *testing.T) ([]cycle.Province, cycle.Policy) {
	t.Helper()
	pol, err := policies.ByID("000")
	if err != nil {
		t.Fatal(err)
	}
	provs, err := sample.Communes2025()
	if err != nil {
		t.Fatal(err)
	}
	return provs, pol
}

// The national plan: 34 provinces, 3,321 units (every commune proposes for
// itself), about a tenth of the communes listed, each province within its
// target, every drop eligible, ranked beyond the target and with a reason.
func TestPlanNational(t *testing.T) {
	provs, pol := nationalFixture(t)
	plans, err := planNational(provs, pol, 2027, DefaultNationalShare)
	if err != nil {
		t.Fatal(err)
	}
	if len(plans) != 34 {
		t.Fatalf("%d provinces planned, want 34", len(plans))
	}
	communes, units, listed := 0, 0, 0
	for _, p := range plans {
		communes += len(p.Province.Communes)
		units += len(p.Proposals)
		listed += p.Listed
		if len(p.Proposals) != len(p.Province.Units()) {
			t.Errorf("%s: %d proposals for %d units", p.Province.Name, len(p.Proposals), len(p.Province.Units()))
		}
		if p.Target != nationalTarget(len(p.Province.Communes), DefaultNationalShare) {
			t.Errorf("%s: target %d", p.Province.Name, p.Target)
		}
		if want := min(p.Selection.EligibleCount(), p.Target, p.Selection.Cap); p.Listed != want {
			t.Errorf("%s: %d listed, want min(eligible %d, target %d, cap %d) = %d", p.Province.Name, p.Listed, p.Selection.EligibleCount(), p.Target, p.Selection.Cap, want)
		}
		if p.Listed == 0 {
			t.Errorf("%s: nothing listed", p.Province.Name)
		}
		byCode := map[string]cycle.Candidate{}
		for _, c := range p.Selection.Candidates {
			byCode[c.Commune] = c
		}
		for _, d := range p.Consolidation.Decisions {
			c := byCode[d.Commune]
			if d.Keep || d.Reason == "" || !c.Eligible || c.Rank <= p.Target {
				t.Errorf("%s: decision %+v on candidate ranked %d (eligible %v, target %d)", p.Province.Name, d, c.Rank, c.Eligible, p.Target)
			}
		}
		if p.Selection.EligibleCount()-len(p.Consolidation.Decisions) != p.Listed {
			t.Errorf("%s: %d eligible less %d dropped is not the %d listed", p.Province.Name, p.Selection.EligibleCount(), len(p.Consolidation.Decisions), p.Listed)
		}
	}
	if communes != 3321 || units != 3321 {
		t.Errorf("%d communes, %d units: want 3,321 of each (Vietnam since 1 July 2025, two tiers)", communes, units)
	}
	if share := float64(listed) / float64(communes); share < 0.09 || share > 0.11 {
		t.Errorf("%d of %d communes listed (%.1f%%): want about 10%%", listed, communes, 100*share)
	}
	t.Logf("%d of %d communes listed (%.2f%%)", listed, communes, 100*float64(listed)/float64(communes))
}

// With a share above the rules' cap the secretariat drops nothing: the
// list is what the rules select.
func TestPlanProvinceKeepsTheRulesBelowItsShare(t *testing.T) {
	provs, pol := nationalFixture(t)
	for _, p := range provs[:5] {
		plan, err := planProvince(p, sample.GenericIssuer(p), pol, 2027, 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(plan.Consolidation.Decisions) != 0 || plan.Listed != len(plan.Selection.Selected()) {
			t.Errorf("%s: %d drops, %d listed, %d selected by the rules", p.Name, len(plan.Consolidation.Decisions), plan.Listed, len(plan.Selection.Selected()))
		}
	}
}

// A policy under which no proposed commune is eligible leaves a province
// without a list: the plan says so before anything starts.
func TestPlanProvinceWithoutEligibleCommunes(t *testing.T) {
	provs, pol := nationalFixture(t)
	p := provs[0] // its Communes are a fresh copy from Communes2025
	for i := range p.Communes {
		p.Communes[i].NewRural = true // synthetic: none may be selected
	}
	_, err := planProvince(p, sample.GenericIssuer(p), pol, 2027, 10)
	if err == nil || !strings.Contains(err.Error(), p.Name) {
		t.Fatalf("err = %v, want one naming %s", err, p.Name)
	}
}

var nationalTargetTests = []struct {
	communes int
	share    float64
	want     int
}{
	{126, 10, 13}, // 12.6
	{45, 10, 5},   // 4.5 rounds up
	{38, 10, 4},
	{3, 10, 1}, // never below one
	{168, 15, 25},
}

func TestNationalTarget(t *testing.T) {
	for _, tt := range nationalTargetTests {
		if got := nationalTarget(tt.communes, tt.share); got != tt.want {
			t.Errorf("nationalTarget(%d, %g) = %d, want %d", tt.communes, tt.share, got, tt.want)
		}
	}
}

// Most communes pass; across the provinces every other scenario happens,
// and small cohorts all pass.
func TestNationalScenarios(t *testing.T) {
	cohort := func(n int) []transformation.CohortCommune {
		var out []transformation.CohortCommune
		for i := range n {
			out = append(out, transformation.CohortCommune{CommuneInProgramme: cycle.CommuneInProgramme{ListedCommune: cycle.ListedCommune{Commune: string(rune('a' + i))}}})
		}
		return out
	}
	if got := nationalScenarios(0, cohort(3)); len(got) != 0 {
		t.Errorf("a cohort of 3: %v, want every commune passing", got)
	}
	seen := map[demoScenario]int{}
	for i := range 34 {
		sc := nationalScenarios(i, cohort(6))
		if len(sc) != 2 || sc["b"] != scenarioSecondYear {
			t.Fatalf("province %d: %v", i, sc)
		}
		if _, ok := sc["a"]; ok {
			t.Errorf("province %d: the first commune has scenario %v, want pass", i, sc["a"])
		}
		for _, s := range sc {
			seen[s]++
		}
	}
	for _, s := range []demoScenario{scenarioSecondYear, scenarioTwiceFailed, scenarioRelapse, scenarioLateReport, scenarioCouncilOverride} {
		if seen[s] == 0 {
			t.Errorf("no province plays %q", s)
		}
	}
}

func TestNationalOptionsValidate(t *testing.T) {
	good := nationalOptions{year: 2027, timeScale: 1, workers: 1, concurrency: 1, share: 10, poll: 1, statusEvery: 1}
	if err := good.validate(); err != nil {
		t.Fatal(err)
	}
	bad := good
	bad.provinces, bad.workers, bad.share, bad.year = -1, 0, 0, 3000
	err := bad.validate()
	for _, flag := range []string{"--provinces", "--workers", "--share", "--year"} {
		if err == nil || !strings.Contains(display.Describe(flow.AsCycleError(err)), flag) {
			t.Errorf("err = %v, want it to name %s", err, flag)
		}
	}
}

func TestGrouped(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 3321: "3,321", 1234567: "1,234,567", -4500: "-4,500"} {
		if got := grouped(n); got != want {
			t.Errorf("grouped(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestNationalEstimate: the transformation years cost their calendar
// however few the provinces (the 13 minutes of a "quick" --provinces 3 at
// one speed, under 3 on the piecewise calendar),
// the selection-only run only the selection, and the estimate says so in
// words a person reads.
func TestNationalEstimate(t *testing.T) {
	pol := cycle.DefaultPolicy()
	all, err := sample.Communes2025()
	if err != nil {
		t.Fatal(err)
	}
	plans, err := planNational(all[:3], pol, 2027, DefaultNationalShare)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, time.December, 6, 20, 0, 0, 0, cycle.Vietnam)
	opts := nationalOptions{year: 2027, policy: pol, timeScale: DefaultNationalTimeScale}
	full := estimateNational(plans, opts, now)
	if full.Transformation < 10*time.Minute || full.Transformation > 16*time.Minute {
		t.Errorf("3 provinces' transformation years: %s, want the 13 or so minutes their calendar takes", full.Transformation)
	}
	if full.CalendarEnd.Year != 2029 {
		t.Errorf("calendar ends %s, want the second year's follow-up in 2029", full.CalendarEnd.Vietnamese())
	}
	// The piecewise calendar: the same calendar in a fraction of the time.
	opts.idleScale = PiecewiseIdleScale
	fast := estimateNational(plans, opts, now)
	if fast.Transformation < time.Minute || fast.Transformation > 3*time.Minute || fast.CalendarEnd != full.CalendarEnd {
		t.Errorf("3 provinces' transformation years on the piecewise calendar: %s to %s, want under 3 minutes to %s", fast.Transformation, fast.CalendarEnd.Vietnamese(), full.CalendarEnd.Vietnamese())
	}
	opts.idleScale = 0
	opts.selectionOnly = true
	quick := estimateNational(plans, opts, now)
	if quick.Transformation != 0 || quick.Selection > time.Minute {
		t.Errorf("selection-only: %+v, want under a minute and no transformation", quick)
	}
	var out strings.Builder
	opts.selectionOnly = false
	printEstimate(&out, full, opts, 3)
	if !strings.Contains(out.String(), "--provinces 3 --selection-only") {
		t.Errorf("a long run offers no quick try:\n%s", out.String())
	}
	for _, c := range []struct {
		d    time.Duration
		want string
	}{{23 * time.Second, "20 s"}, {56 * time.Second, "1 min"}, {95 * time.Second, "1½ min"}, {13*time.Minute + 40*time.Second, "14 min"}} {
		if got := roughly(c.d); got != c.want {
			t.Errorf("roughly(%s) = %q, want %q", c.d, got, c.want)
		}
	}
}

// The cohorts' openings on the piecewise calendar: each no sooner than its
// province's decision should come (the selection's estimate up to its
// communes) and the stagger after the one before, so that the first
// provinces' rounds overlap the selection of the last ones: the last
// opening comes well before the whole selection's estimate plus 33
// staggers, which the run waited for before.
func TestCohortOpensOverlapTheSelection(t *testing.T) {
	provs, pol := nationalFixture(t)
	plans, err := planNational(provs, pol, 2027, DefaultNationalShare)
	if err != nil {
		t.Fatal(err)
	}
	const stagger = 3 * time.Second
	opens := cohortOpens(plans, stagger)
	communes := 0
	for i, p := range plans {
		communes += len(p.Province.Communes)
		if decided := selectionFixed + time.Duration(communes)*selectionPerCommune; opens[i] < decided {
			t.Errorf("%s opens at %s, before its decision should come (%s)", p.Province.Name, opens[i], decided)
		}
		if i > 0 && opens[i]-opens[i-1] < stagger {
			t.Errorf("%s opens %s after %s, want at least %s", p.Province.Name, opens[i]-opens[i-1], plans[i-1].Province.Name, stagger)
		}
	}
	all := selectionFixed + time.Duration(communes)*selectionPerCommune
	if last, before := opens[len(opens)-1], all+time.Duration(len(plans)-1)*stagger; last > before-time.Minute {
		t.Errorf("the last cohort opens at %s; want a minute or more before %s (the whole selection, then the staggers)", last, before)
	}
	opts := nationalOptions{year: 2027, policy: pol, timeScale: DefaultNationalTimeScale, idleScale: PiecewiseIdleScale, stagger: stagger}
	e := estimateNational(plans, opts, time.Now())
	if got := e.Total(); got < opens[len(opens)-1]+time.Minute || got > opens[len(opens)-1]+3*time.Minute {
		t.Errorf("the estimate %s; want the last opening %s plus one cohort's calendar", got, opens[len(opens)-1])
	}
}
