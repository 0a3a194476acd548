package workflows_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/testsuite"

	"chuyenhoa/cycle"
	"chuyenhoa/internal/memstore"
	"chuyenhoa/sample"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/selection"
)

// vn returns an instant in Vietnam.
func vn(y int, m time.Month, d, h int) time.Time {
	return time.Date(y, m, d, h, 0, 0, 0, cycle.Vietnam)
}

var (
	secretariat = cycle.Actor{ID: "cat.tt", Name: "Phòng Tham mưu CAT", Role: cycle.RoleSecretariat}
	chair       = cycle.Actor{ID: "hd.chutich", Role: cycle.RoleCouncilChair}
	signer      = cycle.Actor{ID: "truongban", Role: cycle.RoleSigner}
	clerk       = cycle.Actor{ID: "vanthu", Role: cycle.RoleClerk}
)

func officer(district string) cycle.Actor {
	return cycle.Actor{ID: "ca." + district, Role: cycle.RoleDistrictOfficer, District: district}
}

// harness runs YearlyCycle for Quảng Ngãi 2027 in the test environment,
// with real activities over an in-memory store.
type harness struct {
	t         *testing.T
	env       *testsuite.TestWorkflowEnvironment
	store     *memstore.Store
	docs      *fakeDocs
	prov      cycle.Province
	pol       cycle.Policy
	proposals []cycle.Proposal
	start     time.Time
	input     selection.YearlyCycleInput
}

func newHarness(t *testing.T, start time.Time) *harness {
	t.Helper()
	env := newTestEnv(start)
	prov, issuer, err := sample.Province("quang-ngai")
	require.NoError(t, err)
	store := memstore.New()
	require.NoError(t, store.SaveProvince(context.Background(), prov, issuer))
	docs := newFakeDocs()
	register(env, store, docs)
	pol := cycle.DefaultPolicy()
	h := &harness{t: t, env: env, store: store, docs: docs, prov: prov, pol: pol, proposals: sample.Proposals(prov, pol, 2027), start: start}
	h.input = selection.YearlyCycleInput{Province: prov.Code, Year: 2027, Policy: pol, StartedBy: secretariat, Synthetic: true, StopAtDecision: true}
	env.SetStartWorkflowOptions(client.StartWorkflowOptions{ID: h.cycleID(), TaskQueue: flow.TaskQueue})
	return h
}

// at runs fn when the workflow clock reaches t.
func (h *harness) at(t time.Time, fn func()) {
	h.env.RegisterDelayedCallback(fn, t.Sub(h.start))
}

// outcome is what an update returned.
type outcome struct {
	rejected error
	err      error
	result   any
}

func (o *outcome) code() string {
	if o.rejected != nil {
		if ce := flow.AsCycleError(o.rejected); ce != nil {
			return ce.Code
		}
		return "rejected: " + o.rejected.Error()
	}
	if o.err != nil {
		if ce := flow.AsCycleError(o.err); ce != nil {
			return ce.Code
		}
		return "failed: " + o.err.Error()
	}
	return ""
}

// update sends an update from inside a delayed callback and records what happened.
func (h *harness) update(name, id string, arg any) *outcome {
	o := &outcome{}
	h.env.UpdateWorkflow(name, id, &testsuite.TestUpdateCallback{
		OnReject:   func(err error) { o.rejected = err },
		OnAccept:   func() {},
		OnComplete: func(r any, err error) { o.result, o.err = r, err },
	}, arg)
	return o
}

func (h *harness) submit(actor cycle.Actor, rid string, p cycle.Proposal) *outcome {
	return h.update(selection.UpdateSubmitProposal, rid, selection.SubmitProposalRequest{Request: flow.Request{Actor: actor, RequestID: rid}, Proposal: p})
}

func (h *harness) submitAll(except ...string) {
	skip := map[string]bool{}
	for _, e := range except {
		skip[e] = true
	}
	for _, p := range h.proposals {
		if skip[p.Unit] {
			continue
		}
		o := h.submit(officer(p.Unit), "prop-"+p.Unit, p)
		require.Empty(h.t, o.code(), "submit %s", p.Unit)
	}
}

func (h *harness) state() selection.CycleState {
	h.t.Helper()
	v, err := h.env.QueryWorkflow(selection.QueryState)
	require.NoError(h.t, err)
	var s selection.CycleState
	require.NoError(h.t, v.Get(&s))
	return s
}

func req(a cycle.Actor, rid string) flow.Request {
	return flow.Request{Actor: a, RequestID: rid}
}

func (h *harness) run() cycle.Decision {
	h.t.Helper()
	h.env.ExecuteWorkflow(selection.YearlyCycle, h.input)
	require.True(h.t, h.env.IsWorkflowCompleted())
	require.NoError(h.t, h.env.GetWorkflowError())
	var d cycle.Decision
	require.NoError(h.t, h.env.GetWorkflowResult(&d))
	return d
}

func (h *harness) cycleID() string { return selection.WorkflowID(h.prov.Code, 2027) }

func (h *harness) notifications() []cycle.StoredNotification {
	n, err := h.store.Notifications(context.Background(), h.cycleID())
	require.NoError(h.t, err)
	return n
}

func TestYearlyCycleOnTime(t *testing.T) {
	h := newHarness(t, vn(2026, time.December, 1, 9))
	var during selection.CycleState
	var cons, appr, sign, iss *outcome
	h.at(vn(2026, time.December, 1, 10), func() {
		during = h.state()
		h.submitAll()
	})
	h.at(vn(2026, time.December, 2, 9), func() {
		cons = h.update(selection.UpdateConsolidate, "c1", selection.ConsolidateRequest{Request: req(secretariat, "c1")})
	})
	h.at(vn(2026, time.December, 3, 9), func() {
		appr = h.update(selection.UpdateAppraise, "a1", selection.AppraiseRequest{Request: req(chair, "a1"), Appraisal: cycle.Appraisal{Approved: true, Minutes: "Hội đồng thống nhất"}})
	})
	var beforeSign selection.CycleState
	h.at(vn(2027, time.January, 5, 9), func() {
		beforeSign = h.state()
		sign = h.update(selection.UpdateSign, "s1", selection.SignRequest{Request: req(signer, "s1")})
	})
	h.at(vn(2027, time.January, 6, 9), func() {
		iss = h.update(selection.UpdateIssue, "i1", selection.IssueRequest{Request: req(clerk, "i1")})
	})
	d := h.run()

	// The harness's worker has no recipients directory: every recipient
	// the draft decision names is listed for the head and the clerk before
	// the issue (the archive copy, "Lưu: …", is the office's own).
	require.NotEmpty(t, beforeSign.DraftSHA256)
	require.NotEmpty(t, beforeSign.Unresolved, "the recipients no one can reach, shown before the issue")
	for _, u := range beforeSign.Unresolved {
		require.NotContains(t, u.Line, "Lưu")
		require.NotEmpty(t, u.Say())
	}

	require.Equal(t, cycle.PhaseProposals, during.Phase)
	require.Len(t, during.OpenTasks, len(h.prov.Districts))
	for _, o := range []*outcome{cons, appr, sign, iss} {
		require.Empty(t, o.code())
	}
	want := cycle.Select(h.prov, h.pol, h.proposals).Selected()
	require.Len(t, d.Communes, len(want))
	require.LessOrEqual(t, len(d.Communes), len(h.prov.Communes)*15/100)
	for i, c := range want {
		require.Equal(t, c.Commune, d.Communes[i].Commune)
	}
	require.Equal(t, "1/QĐ-BCĐ", d.Code)
	require.Equal(t, cycle.D(2027, time.January, 6), d.Date)
	require.Equal(t, signer.ID, d.SignedBy.ID)
	require.Equal(t, clerk.ID, d.IssuedBy.ID)

	id := h.cycleID()
	require.Equal(t, []cycle.Phase{cycle.PhaseProposals, cycle.PhaseConsolidation, cycle.PhaseAppraisal, cycle.PhaseSigning, cycle.PhaseIssue, cycle.PhaseIssued}, h.store.Phases[id])
	audit, _ := h.store.Audit(context.Background(), id)
	require.Len(t, audit, len(h.prov.Districts)+4)
	open, _ := h.store.OpenTasks(context.Background(), cycle.TaskFilter{CycleID: id})
	require.Empty(t, open)
	// Reminders for the signature: 7 and 1 days before 31/01 did not come, it was signed on 05/01.
	for _, n := range h.notifications() {
		require.NotEqual(t, "sign", n.TaskID, "no reminder for a task done early: %+v", n)
	}
}

func TestYearlyCycleLateStepsRemindAndEscalate(t *testing.T) {
	h := newHarness(t, vn(2026, time.December, 1, 9))
	lateUnit := h.proposals[len(h.proposals)-1].Unit
	var afterDeadline, beforeSign selection.CycleState
	var lateSubmission, cons, sign, iss *outcome
	h.at(vn(2026, time.December, 2, 9), func() { h.submitAll(lateUnit) })
	h.at(vn(2026, time.December, 27, 9), func() { afterDeadline = h.state() })
	h.at(vn(2027, time.January, 12, 9), func() {
		cons = h.update(selection.UpdateConsolidate, "c1", selection.ConsolidateRequest{Request: req(secretariat, "c1")})
	})
	h.at(vn(2027, time.January, 12, 10), func() {
		// The late district tries after consolidation: refused, nothing lost.
		lateSubmission = h.submit(officer(lateUnit), "late-1", h.proposals[len(h.proposals)-1])
	})
	h.at(vn(2027, time.January, 15, 9), func() {
		h.update(selection.UpdateAppraise, "a1", selection.AppraiseRequest{Request: req(chair, "a1"), Appraisal: cycle.Appraisal{Approved: true}})
	})
	// Real provinces have signed in April (Quảng Nam, 11/04/2024).
	h.at(vn(2027, time.April, 10, 9), func() { beforeSign = h.state() })
	h.at(vn(2027, time.April, 11, 9), func() {
		sign = h.update(selection.UpdateSign, "s1", selection.SignRequest{Request: req(signer, "s1")})
	})
	h.at(vn(2027, time.April, 11, 15), func() {
		iss = h.update(selection.UpdateIssue, "i1", selection.IssueRequest{Request: req(clerk, "i1")})
	})
	d := h.run()

	require.Equal(t, cycle.PhaseConsolidation, afterDeadline.Phase, "the deadline opens consolidation without the late unit")
	require.Empty(t, cons.code())
	require.Equal(t, cycle.ECONFLICT, lateSubmission.code())
	require.Equal(t, cycle.PhaseSigning, beforeSign.Phase)
	require.Empty(t, sign.code())
	require.True(t, sign.result.(selection.SignResult).Late)
	require.Empty(t, iss.code())
	require.Equal(t, cycle.D(2027, time.April, 11), d.Date)

	id := h.cycleID()
	byTask := map[string][]cycle.StoredNotification{}
	for _, n := range h.notifications() {
		byTask[n.TaskID] = append(byTask[n.TaskID], n)
	}
	late := byTask["submit_proposal/"+lateUnit]
	require.GreaterOrEqual(t, len(late), 4, "two reminders, overdue, escalations: %+v", late)
	require.Equal(t, cycle.NotifyReminder, late[0].Kind)
	require.Equal(t, vn(2026, time.December, 18, 8), late[0].At.In(cycle.Vietnam))
	require.Equal(t, cycle.NotifyReminder, late[1].Kind)
	require.Equal(t, vn(2026, time.December, 24, 8), late[1].At.In(cycle.Vietnam))
	require.Equal(t, cycle.NotifyOverdue, late[2].Kind)
	require.Equal(t, vn(2026, time.December, 26, 0), late[2].At.In(cycle.Vietnam))
	require.Equal(t, cycle.NotifyEscalation, late[3].Kind)
	require.Equal(t, cycle.RoleSecretariat, late[3].Role)
	require.Equal(t, vn(2026, time.December, 28, 8), late[3].At.In(cycle.Vietnam))
	for _, n := range late {
		require.True(t, n.At.Before(vn(2027, time.January, 12, 9)), "no alert after the task closed: %+v", n)
	}
	require.Equal(t, "not submitted before consolidation", h.store.Closed[id+"|submit_proposal/"+lateUnit])
	// Other districts submitted on time: no alerts for them.
	require.Empty(t, byTask["submit_proposal/"+h.proposals[0].Unit])
	// The consolidation (due 10/01, done 12/01) was overdue; the secretariat's escalation goes to the head.
	consAlerts := byTask["consolidate"]
	require.NotEmpty(t, consAlerts)
	require.Equal(t, cycle.NotifyOverdue, consAlerts[len(consAlerts)-1].Kind)
	// The signature, due 31/01, done 11/04: reminders, overdue on 01/02, weekly escalations to the secretariat.
	signAlerts := byTask["sign"]
	var kinds []string
	for _, n := range signAlerts {
		kinds = append(kinds, string(n.Kind))
		if n.Kind == cycle.NotifyEscalation {
			require.Equal(t, cycle.RoleSecretariat, n.Role)
		}
	}
	require.Equal(t, "reminder,reminder,overdue", strings.Join(kinds[:3], ","))
	require.Equal(t, vn(2027, time.February, 1, 0), signAlerts[2].At.In(cycle.Vietnam))
	require.Len(t, signAlerts, 3+10, "escalations on 03/02 and weekly until 07/04: %s", strings.Join(kinds, ","))
}

func TestSubmitProposalIsValidatedAndIdempotent(t *testing.T) {
	h := newHarness(t, vn(2026, time.December, 1, 9))
	p0 := h.proposals[0]
	other := h.proposals[1]
	revised := p0
	revised.Note = "Bổ sung số liệu"
	unknown := other
	unknown.Proposed = append([]cycle.ProposedCommune{{Commune: "99999", Types: cycle.Types{1}}}, other.Proposed...)
	var first, dup, rev, wrongRole, wrongDistrict, bad, noID, lateRev *outcome
	var st selection.CycleState
	h.at(vn(2026, time.December, 2, 9), func() {
		first = h.submit(officer(p0.Unit), "r1", p0)
		dup = h.submit(officer(p0.Unit), "r1", p0)
		wrongRole = h.submit(cycle.Actor{ID: "x", Role: cycle.RoleSecretariat}, "r2", other)
		wrongDistrict = h.submit(officer(p0.Unit), "r3", other)
		bad = h.submit(officer(other.Unit), "r4", unknown)
		noID = h.submit(officer(p0.Unit), "", p0)
	})
	h.at(vn(2026, time.December, 20, 9), func() { rev = h.submit(officer(p0.Unit), "r5", revised) })
	h.at(vn(2026, time.December, 27, 9), func() { lateRev = h.submit(officer(p0.Unit), "r6", p0) })
	h.at(vn(2026, time.December, 27, 10), func() {
		st = h.state()
		h.env.CancelWorkflow()
	})
	h.env.ExecuteWorkflow(selection.YearlyCycle, h.input)

	require.Empty(t, first.code())
	require.Empty(t, dup.code())
	require.Equal(t, first.result, dup.result, "same request ID, same result")
	require.Equal(t, 1, first.result.(selection.SubmitProposalResult).Revision)
	require.Equal(t, cycle.EFORBIDDEN, wrongRole.code())
	require.Equal(t, cycle.EFORBIDDEN, wrongDistrict.code())
	require.Equal(t, cycle.EINVALID, bad.code())
	ce := flow.AsCycleError(bad.rejected)
	require.Len(t, ce.Problems, 1)
	require.Equal(t, "registry.unknown_commune", ce.Problems[0].Rule)
	require.Equal(t, "proposed[0]", ce.Problems[0].Field)
	require.Equal(t, cycle.EINVALID, noID.code())
	require.Empty(t, rev.code())
	require.Equal(t, 2, rev.result.(selection.SubmitProposalResult).Revision)
	require.Equal(t, cycle.ECONFLICT, lateRev.code(), "a revision after the due date is refused")

	revs, err := h.store.Proposals(context.Background(), h.cycleID())
	require.NoError(t, err)
	require.Len(t, revs, 2, "both revisions kept")
	require.False(t, revs[0].Current)
	require.True(t, revs[1].Current)
	require.Equal(t, "Bổ sung số liệu", revs[1].Proposal.Note)
	var u selection.UnitStatus
	for _, x := range st.Units {
		if x.Unit == p0.Unit {
			u = x
		}
	}
	require.True(t, u.Submitted)
	require.Equal(t, 2, u.Revision)
}

func TestCouncilReturnsListAndSecretariatRules(t *testing.T) {
	h := newHarness(t, vn(2026, time.December, 1, 9))
	sel := cycle.Select(h.prov, h.pol, h.proposals)
	var ineligible, first cycle.Candidate
	for _, c := range sel.Candidates {
		if !c.Eligible && ineligible.Commune == "" {
			ineligible = c
		}
	}
	first = sel.Selected()[0]
	require.NotEmpty(t, ineligible.Commune, "sample data has an ineligible candidate")

	var keepBad, dropNoReason, returned, wrongRole, cons2, appr2 *outcome
	var afterReturn selection.CycleState
	h.at(vn(2026, time.December, 2, 9), func() { h.submitAll() })
	h.at(vn(2026, time.December, 3, 9), func() {
		keepBad = h.update(selection.UpdateConsolidate, "c0", selection.ConsolidateRequest{Request: req(secretariat, "c0"),
			Consolidation: cycle.Consolidation{Decisions: []cycle.CommuneDecision{{Commune: ineligible.Commune, Keep: true, Reason: "thực tế phức tạp"}}}})
		dropNoReason = h.update(selection.UpdateConsolidate, "c00", selection.ConsolidateRequest{Request: req(secretariat, "c00"),
			Consolidation: cycle.Consolidation{Decisions: []cycle.CommuneDecision{{Commune: first.Commune}}}})
		h.update(selection.UpdateConsolidate, "c1", selection.ConsolidateRequest{Request: req(secretariat, "c1")})
	})
	h.at(vn(2026, time.December, 4, 9), func() {
		wrongRole = h.update(selection.UpdateAppraise, "a0", selection.AppraiseRequest{Request: req(signer, "a0"), Appraisal: cycle.Appraisal{Approved: true}})
		returned = h.update(selection.UpdateAppraise, "a1", selection.AppraiseRequest{Request: req(chair, "a1"), Appraisal: cycle.Appraisal{Approved: false, Reason: "Đề nghị rà soát lại " + first.Name}})
	})
	h.at(vn(2026, time.December, 4, 10), func() { afterReturn = h.state() })
	h.at(vn(2026, time.December, 5, 9), func() {
		cons2 = h.update(selection.UpdateConsolidate, "c2", selection.ConsolidateRequest{Request: req(secretariat, "c2"),
			Consolidation: cycle.Consolidation{Decisions: []cycle.CommuneDecision{{Commune: first.Commune, Keep: false, Reason: "Đã chuyển biến tích cực"}}}})
	})
	h.at(vn(2026, time.December, 6, 9), func() {
		appr2 = h.update(selection.UpdateAppraise, "a2", selection.AppraiseRequest{Request: req(chair, "a2"), Appraisal: cycle.Appraisal{Approved: true}})
	})
	h.at(vn(2026, time.December, 7, 9), func() { h.update(selection.UpdateSign, "s", selection.SignRequest{Request: req(signer, "s")}) })
	h.at(vn(2026, time.December, 8, 9), func() { h.update(selection.UpdateIssue, "i", selection.IssueRequest{Request: req(clerk, "i")}) })
	d := h.run()

	require.Equal(t, cycle.EINVALID, keepBad.code())
	require.Contains(t, flow.AsCycleError(keepBad.rejected).Error(), ineligible.Name)
	require.Equal(t, cycle.EINVALID, dropNoReason.code())
	require.Equal(t, "consolidation.reason", flow.AsCycleError(dropNoReason.rejected).Problems[0].Rule)
	require.Equal(t, cycle.EFORBIDDEN, wrongRole.code())
	require.Empty(t, returned.code())
	require.True(t, returned.result.(selection.AppraiseResult).Returned)
	require.Equal(t, cycle.PhaseConsolidation, afterReturn.Phase)
	require.Equal(t, 1, afterReturn.Returns)
	require.Empty(t, cons2.code())
	require.Empty(t, appr2.code())
	for _, c := range d.Communes {
		require.NotEqual(t, first.Commune, c.Commune, "dropped by the secretariat")
	}
	// The next eligible candidate beyond the cap takes the freed place when the cap binds.
	if len(sel.Selected()) < sel.EligibleCount() {
		require.Len(t, d.Communes, len(sel.Selected()))
	}
}

func TestStartRefusesBadInput(t *testing.T) {
	h := newHarness(t, vn(2026, time.December, 1, 9))
	h.input.Policy.Selection.CapPercent = 0
	h.input.StartedBy = signer
	h.env.ExecuteWorkflow(selection.YearlyCycle, h.input)
	require.True(t, h.env.IsWorkflowCompleted())
	ce := flow.AsCycleError(h.env.GetWorkflowError())
	require.NotNil(t, ce, "%v", h.env.GetWorkflowError())
	require.Equal(t, cycle.EINVALID, ce.Code)
	require.Len(t, ce.Problems, 2)
}

func TestUnknownProvinceFailsClearly(t *testing.T) {
	h := newHarness(t, vn(2026, time.December, 1, 9))
	h.input.Province = "99"
	h.env.ExecuteWorkflow(selection.YearlyCycle, h.input)
	require.True(t, h.env.IsWorkflowCompleted())
	ce := flow.AsCycleError(h.env.GetWorkflowError())
	require.NotNil(t, ce, "%v", h.env.GetWorkflowError())
	require.Equal(t, cycle.ENOTFOUND, ce.Code)
}

// A list returned by the council reopens the consolidation; its alerts are
// those of a new round, not dropped as repeats of the first round's.
func TestReturnedListReopensConsolidationWithItsOwnAlerts(t *testing.T) {
	h := newHarness(t, vn(2026, time.December, 1, 9))
	h.at(vn(2026, time.December, 2, 9), func() { h.submitAll() })
	h.at(vn(2027, time.January, 12, 9), func() {
		h.update(selection.UpdateConsolidate, "c1", selection.ConsolidateRequest{Request: req(secretariat, "c1")})
	})
	h.at(vn(2027, time.January, 13, 9), func() {
		h.update(selection.UpdateAppraise, "a1", selection.AppraiseRequest{Request: req(chair, "a1"), Appraisal: cycle.Appraisal{Reason: "Rà soát lại số liệu"}})
	})
	h.at(vn(2027, time.January, 14, 9), func() {
		h.update(selection.UpdateConsolidate, "c2", selection.ConsolidateRequest{Request: req(secretariat, "c2")})
	})
	h.at(vn(2027, time.January, 15, 9), func() {
		h.update(selection.UpdateAppraise, "a2", selection.AppraiseRequest{Request: req(chair, "a2"), Appraisal: cycle.Appraisal{Approved: true}})
	})
	h.at(vn(2027, time.January, 16, 9), func() { h.update(selection.UpdateSign, "s", selection.SignRequest{Request: req(signer, "s")}) })
	h.at(vn(2027, time.January, 16, 10), func() { h.update(selection.UpdateIssue, "i", selection.IssueRequest{Request: req(clerk, "i")}) })
	h.run()
	var overdue []cycle.StoredNotification
	for _, n := range h.notifications() {
		if n.TaskID == "consolidate" && n.Kind == cycle.NotifyOverdue {
			overdue = append(overdue, n)
		}
	}
	require.Len(t, overdue, 2, "one overdue notice per opening: %+v", overdue)
	require.Equal(t, vn(2027, time.January, 11, 0), overdue[0].At.In(cycle.Vietnam))
	require.Equal(t, 2, overdue[1].Round)
	require.Equal(t, vn(2027, time.January, 13, 9), overdue[1].At.In(cycle.Vietnam))
}

// A request ID is the officer's, for one kind of request: the same ID sent
// for another kind, or by another officer, is a new request. (It used to
// return the stored result of another type, which failed the workflow task
// over and over.) The update IDs differ: the server itself deduplicates
// equal update IDs, as the CLI sends them (update ID = request ID); the API
// derives update IDs per account and kind.
func TestRequestIDReusedAcrossKindsAndOfficers(t *testing.T) {
	h := newHarness(t, vn(2026, time.December, 1, 9))
	p0, p1 := h.proposals[0], h.proposals[1]
	var other, sameKind, sign *outcome
	h.at(vn(2026, time.December, 1, 10), func() {
		h.update(selection.UpdateSubmitProposal, "u1", selection.SubmitProposalRequest{Request: req(officer(p0.Unit), "shared"), Proposal: p0})
	})
	h.at(vn(2026, time.December, 1, 11), func() {
		// Another district's officer happens to use the same request ID.
		sameKind = h.update(selection.UpdateSubmitProposal, "u2", selection.SubmitProposalRequest{Request: req(officer(p1.Unit), "shared"), Proposal: p1})
	})
	h.at(vn(2026, time.December, 2, 9), func() {
		for _, p := range h.proposals[2:] {
			h.submit(officer(p.Unit), "prop-"+p.Unit, p)
		}
	})
	h.at(vn(2026, time.December, 3, 9), func() {
		h.update(selection.UpdateConsolidate, "u3", selection.ConsolidateRequest{Request: req(secretariat, "shared")})
	})
	h.at(vn(2026, time.December, 4, 9), func() {
		h.update(selection.UpdateAppraise, "a1", selection.AppraiseRequest{Request: req(chair, "a1"), Appraisal: cycle.Appraisal{Approved: true}})
	})
	h.at(vn(2026, time.December, 5, 9), func() {
		// The head reuses the secretariat's ID for the signature.
		sign = h.update(selection.UpdateSign, "shared-sign", selection.SignRequest{Request: req(signer, "shared")})
	})
	h.at(vn(2026, time.December, 6, 9), func() {
		other = h.update(selection.UpdateIssue, "i1", selection.IssueRequest{Request: req(clerk, "shared")})
	})
	d := h.run()
	require.Empty(t, sameKind.code())
	require.Equal(t, p1.Unit, sameKind.result.(selection.SubmitProposalResult).Unit, "the second officer's own proposal, not the first one's result")
	require.Empty(t, sign.code())
	require.IsType(t, selection.SignResult{}, sign.result)
	require.Empty(t, other.code())
	require.Equal(t, d.Code, other.result.(cycle.Decision).Code)
}
