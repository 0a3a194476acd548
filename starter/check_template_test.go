package main

import (
	"bytes"
	"strings"
	"testing"

	"chuyenhoa/cycle"
	"chuyenhoa/policies"
)

// The offline checker runs the two-tier template (005) on the README's
// example as a province without districts: the selection against the
// province's average only, the Loại 1 area against the units of the same
// kind.
func TestCheckTwoTierTemplate(t *testing.T) {
	in, origins := exampleInput(t)
	for i := range in.Communes {
		in.Communes[i].District, in.Communes[i].DistrictName, in.Communes[i].Area = "", "", nil
	}
	pol, err := policies.ByID("005")
	if err != nil {
		t.Fatal(err)
	}
	sel, err := runCheck(pol, in, origins, "selection")
	if err != nil {
		t.Fatal(err)
	}
	if len(sel.Selection.Selected()) == 0 {
		t.Fatal("nothing selected")
	}
	for _, c := range sel.Selection.Candidates {
		for _, ch := range c.Checks {
			if ch.Rule == cycle.RuleDistrictAverage {
				t.Errorf("%s: a district average in a two-tier province", c.Commune)
			}
		}
	}
	ev, err := runCheck(pol, in, origins, "evaluation")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	printCheck(&buf, cycle.Vietnamese, pol, &in, ev)
	out := buf.String()
	if !strings.Contains(out, "Chính sách 005-quang-ngai-2026-2030 — MẪU (chưa ban hành)") || !strings.Contains(out, "average per commune of các phường, đặc khu của") {
		t.Errorf("output:\n%s", out)
	}
}

// The operator's commands take the policy in force, or refuse a year none
// covers (no seed 000 for later years).
func TestCyclePolicyInForce(t *testing.T) {
	if pol, how, err := cyclePolicy("", "51", 2027); err != nil || pol.ID != "005-quang-ngai-2026-2030" || how != "in force for the province" {
		t.Errorf("51 in 2027: %s %s %v", pol.ID, how, err)
	}
	_, _, err := cyclePolicy("", "72", 2027)
	if ce := cycle.AsError(err); ce == nil || ce.Code != cycle.EINVALID || !strings.Contains(ce.In(cycle.Vietnamese), "từ ngày 01/7/2025 thuộc Tỉnh Tây Ninh, mã 80") {
		t.Errorf("72 in 2027: %v", err)
	}
	if pol, how, err := cyclePolicy("000", "72", 2027); err != nil || pol.ID != "000-quang-ngai-2021-2025" || how != "as given" {
		t.Errorf("named: %s %s %v", pol.ID, how, err)
	}
}
