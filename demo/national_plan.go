package main

import (
	"fmt"
	"math"

	"chuyenhoa/cycle"
	"chuyenhoa/sample"
	"chuyenhoa/templates"
	"chuyenhoa/workflows/transformation"
)

// ---- the plan -------------------------------------------------------------------

// provincePlan is what the national run does in one province: every
// unit's proposal, the selection rules' verdict on them, and the
// secretariat's consolidation keeping the list to the province's target.
type provincePlan struct {
	Province      cycle.Province
	Issuer        cycle.Issuer
	Proposals     map[string]cycle.Proposal // by unit (in two tiers, the commune)
	Proposed      int                       // communes proposed
	Selection     cycle.SelectionResult
	Target        int // at most this many listed: share of the communes, rounded, at least 1
	Consolidation cycle.Consolidation
	Listed        int // communes on the draft list the consolidation gives
}

// nationalTarget is how many communes a province of n communes lists at
// most: share percent of them, rounded to the nearest, at least one.
func nationalTarget(n int, share float64) int {
	return max(1, int(math.Round(float64(n)*share/100)))
}

// planProvince proposes as sample.Proposals does (a commune proposes
// itself when its crimes are at least twice the province's average), runs
// the selection rules, and drops — with a reason, as the secretariat does
// when it consolidates — every eligible commune ranked beyond the target,
// so that a dropped one does not just make room for the next. Provinces
// whose rules select fewer keep them all: only proposed, eligible
// communes can be listed.
func planProvince(p cycle.Province, is cycle.Issuer, pol cycle.Policy, year int, share float64) (provincePlan, error) {
	plan := provincePlan{Province: p, Issuer: is, Proposals: map[string]cycle.Proposal{}, Target: nationalTarget(len(p.Communes), share)}
	props := sample.Proposals(p, pol, year)
	for _, pr := range props {
		plan.Proposals[pr.Unit] = pr
		plan.Proposed += len(pr.Proposed)
	}
	plan.Selection = cycle.Select(p, pol, props)
	for _, c := range plan.Selection.Candidates {
		if c.Eligible && c.Rank > plan.Target {
			plan.Consolidation.Decisions = append(plan.Consolidation.Decisions, cycle.CommuneDecision{Commune: c.Commune, Keep: false,
				Reason: fmt.Sprintf("Xếp hạng %d, ngoài số địa bàn tập trung chuyển hóa năm %d của tỉnh (%d/%d đơn vị cấp xã, khoảng %s); tiếp tục theo dõi, xem xét đề xuất năm sau (dữ liệu mẫu)",
					c.Rank, year, plan.Target, len(p.Communes), templates.Percent(share))})
		}
	}
	if len(plan.Consolidation.Decisions) > 0 {
		plan.Consolidation.Note = "Tổng hợp theo chỉ tiêu khoảng " + templates.Percent(share) + " số đơn vị cấp xã của tỉnh (dữ liệu mẫu)"
	}
	draft, err := cycle.Consolidate(p, pol, plan.Selection, plan.Consolidation)
	if err != nil {
		return plan, fmt.Errorf("plan %s: %w", p.Name, err)
	}
	if len(draft) == 0 {
		return plan, cycle.Errorf(cycle.EINVALID, "plan %s: no proposed commune is eligible under policy %s: the province would have no list", p.Name, pol.ID)
	}
	plan.Listed = len(draft)
	return plan, nil
}

// planNational plans every province of provs (see planProvince).
func planNational(provs []cycle.Province, pol cycle.Policy, year int, share float64) ([]provincePlan, error) {
	out := make([]provincePlan, 0, len(provs))
	for _, p := range provs {
		plan, err := planProvince(p, sample.GenericIssuer(p), pol, year, share)
		if err != nil {
			return nil, err
		}
		out = append(out, plan)
	}
	return out, nil
}

// nationalScenarios says what the officers do for each commune of a
// province's cohort (the province's index in the run turns the mix):
// most pass; in a cohort of at least four, the second-listed commune fails
// its first year and passes its second, and the third, in turn by
// province, fails twice (responsibility review), relapses at its
// follow-up, reports its year late, or is passed by the council over a
// failing report. Smaller cohorts all pass.
func nationalScenarios(index int, cohort []transformation.CohortCommune) map[string]demoScenario {
	out := map[string]demoScenario{}
	if len(cohort) < 4 {
		return out
	}
	turn := []demoScenario{scenarioTwiceFailed, scenarioRelapse, scenarioLateReport, scenarioCouncilOverride}
	out[cohort[1].Commune] = scenarioSecondYear
	out[cohort[2].Commune] = turn[index%len(turn)]
	return out
}
