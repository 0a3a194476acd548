package main

import (
	"testing"
	"time"

	"chuyenhoa/cycle"
	"chuyenhoa/policies"
)

// TestDemoCalendarFollowsThePolicyDeadlines: under every shipped policy the
// demo's proposals come before their deadline, the consolidation after it,
// the steps in order on working days, and the decision after the
// proposals', consolidation's and appraisal's deadlines but not after its own.
func TestDemoCalendarFollowsThePolicyDeadlines(t *testing.T) {
	all, err := policies.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, pol := range all {
		for _, year := range []int{2026, 2027, 2028} {
			cal := demoCalendar(pol, year)
			c := pol.Calendar
			steps := []cycle.Date{cal.Proposals, cal.Consolidation, cal.Appraisal, cal.Signing, cal.Issue}
			for i, d := range steps {
				if wd := d.Start().Weekday(); wd == time.Saturday || wd == time.Sunday {
					t.Errorf("%s %d: step %d on a %s (%s)", pol.ID, year, i, wd, d.Vietnamese())
				}
				if i > 0 && !steps[i-1].Before(d) {
					t.Errorf("%s %d: step %d on %s, not after step %d on %s", pol.ID, year, i, d.Vietnamese(), i-1, steps[i-1].Vietnamese())
				}
			}
			if !cal.Proposals.Before(c.ProposalsDue.In(year)) {
				t.Errorf("%s %d: proposals on %s, not before their deadline %s", pol.ID, year, cal.Proposals.Vietnamese(), c.ProposalsDue.In(year).Vietnamese())
			}
			if !c.ProposalsDue.In(year).Before(cal.Consolidation) {
				t.Errorf("%s %d: consolidation on %s, not after the proposals' deadline %s", pol.ID, year, cal.Consolidation.Vietnamese(), c.ProposalsDue.In(year).Vietnamese())
			}
			if cal.Issue.After(c.DecisionDue.In(year)) {
				t.Errorf("%s %d: decision on %s, after its deadline %s", pol.ID, year, cal.Issue.Vietnamese(), c.DecisionDue.In(year).Vietnamese())
			}
		}
	}
}

// TestCountSaysOneInTheSingular: "1 commune", "0 verdicts", "3,321 communes".
func TestCountSaysOneInTheSingular(t *testing.T) {
	for _, c := range []struct {
		got, want string
	}{{communes(1), "1 commune"}, {communes(0), "0 communes"}, {communes(3321), "3,321 communes"},
		{count(0, "verdict", "verdicts"), "0 verdicts"}, {count(1, "verdict", "verdicts"), "1 verdict"}, {soNguyen(3321), "3321"}, {soNguyen(12345), "12.345"}} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
