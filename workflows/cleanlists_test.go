package workflows_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/selection"
)

// Clean lists (issue 14, item 4): a commune already in the programme is
// refused in a new proposal with its standing and the list that put it
// there, in Vietnamese and English; the proposal without it is accepted,
// and the approval decision does not list it again.
func TestCleanListsRefuseACommuneInTheProgramme(t *testing.T) {
	h := newHarness(t, vn(2026, time.December, 1, 9))
	ctx := context.Background()
	var prop cycle.Proposal
	for _, p := range h.proposals {
		if len(p.Proposed) > 0 {
			prop = p
			break
		}
	}
	require.NotEmpty(t, prop.Proposed)
	in := prop.Proposed[0]
	c, _ := h.prov.Commune(in.Commune)
	require.NoError(t, h.store.OpenCycle(ctx, cycle.CycleInfo{ID: selection.WorkflowID(h.prov.Code, 2026), Province: h.prov.Code, Year: 2026, Policy: h.pol, StartedBy: secretariat}))
	require.NoError(t, h.store.Enrol(ctx, cycle.Enrolment{CycleID: selection.WorkflowID(h.prov.Code, 2026), Province: h.prov.Code, At: time.Date(2026, 1, 20, 0, 0, 0, 0, time.UTC),
		Commune: cycle.CommuneInProgramme{ListedCommune: cycle.ListedCommune{Commune: c.Code, Name: c.Name, District: c.District, Types: in.Types},
			FirstYear: 2026, Year: 2026, YearNo: 1, WorkflowID: "transformation/" + h.prov.Code + "/" + c.Code + "/2026"}}))

	var refused, accepted *outcome
	h.at(vn(2026, time.December, 1, 10), func() {
		h.submitAll(prop.Unit)
		refused = h.submit(officer(prop.Unit), "p-dirty", prop)
		clean := prop
		clean.Proposed = append([]cycle.ProposedCommune(nil), prop.Proposed[1:]...)
		accepted = h.submit(officer(prop.Unit), "p-clean", clean)
	})
	h.at(vn(2026, time.December, 2, 9), func() {
		h.update(selection.UpdateConsolidate, "c1", selection.ConsolidateRequest{Request: req(secretariat, "c1")})
	})
	h.at(vn(2026, time.December, 3, 9), func() {
		h.update(selection.UpdateAppraise, "a1", selection.AppraiseRequest{Request: req(chair, "a1"), Appraisal: cycle.Appraisal{Approved: true}})
	})
	h.at(vn(2027, time.January, 5, 9), func() { h.update(selection.UpdateSign, "s1", selection.SignRequest{Request: req(signer, "s1")}) })
	h.at(vn(2027, time.January, 6, 9), func() { h.update(selection.UpdateIssue, "i1", selection.IssueRequest{Request: req(clerk, "i1")}) })
	d := h.run()

	require.Equal(t, cycle.EINVALID, refused.code())
	ce := flow.AsCycleError(refused.rejected)
	require.NotNil(t, ce)
	var found bool
	for _, p := range ce.Problems {
		if p.Rule == cycle.RuleInProgramme {
			found = true
			require.Contains(t, p.Text, "đang chuyển hóa năm thứ nhất (năm 2026)")
			require.Contains(t, p.Text, "danh sách năm 2026")
			require.Contains(t, p.Message, "already in the programme")
			require.True(t, strings.Contains(p.Commune, c.Name), p.Commune)
		}
	}
	require.True(t, found, "problems: %+v", ce.Problems)
	require.Empty(t, accepted.code())
	for _, l := range d.Communes {
		require.NotEqual(t, c.Code, l.Commune, "a commune in its first year listed again")
	}
}
