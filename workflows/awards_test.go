package workflows_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/testsuite"

	"chuyenhoa/cycle"
	"chuyenhoa/internal/memstore"
	"chuyenhoa/policies"
	"chuyenhoa/sample"
	"chuyenhoa/templates"
	"chuyenhoa/workflows/awards"
	"chuyenhoa/workflows/flow"
)

// awardStore is the in-memory store with the award round's records.
type awardStore struct {
	*memstore.Store
	mu      sync.Mutex
	noms    []cycle.NominationRecord
	reviews []cycle.AwardReviewRecord
}

func (s *awardStore) RecordNominations(_ context.Context, r cycle.NominationRecord) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.noms = append(s.noms, r)
	return nil
}

func (s *awardStore) RecordAwardReview(_ context.Context, r cycle.AwardReviewRecord) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reviews = append(s.reviews, r)
	return nil
}

type awardHarness struct {
	t     *testing.T
	env   *testsuite.TestWorkflowEnvironment
	store *awardStore
	docs  *fakeDocs
	start time.Time
	input awards.AwardRoundInput
}

func newAwardHarness(t *testing.T, slug, policyID string, year int, start time.Time, due cycle.Date) *awardHarness {
	t.Helper()
	env := newTestEnv(start)
	prov, provIssuer, err := sample.Province(slug)
	require.NoError(t, err)
	pol, err := policies.ByID(policyID)
	require.NoError(t, err)
	store := &awardStore{Store: memstore.New()}
	require.NoError(t, store.SaveProvince(context.Background(), prov, provIssuer))
	docs := newFakeDocs()
	register(env, store, docs)
	is := *pol.Awards.Issuer
	is.SignerName = "Trần Tuệ Hiền"
	in := awards.AwardRoundInput{Province: prov.Code, ProvinceName: prov.Name, Year: year, Policy: pol, Issuer: is, Due: due, StartedBy: secretariat, Synthetic: true}
	for _, d := range prov.Districts {
		in.Units = append(in.Units, awards.AwardUnit{Code: d.Code, Name: d.Name})
	}
	env.SetStartWorkflowOptions(client.StartWorkflowOptions{ID: awards.WorkflowID(prov.Code, year), TaskQueue: flow.TaskQueue})
	return &awardHarness{t: t, env: env, store: store, docs: docs, start: start, input: in}
}

func (h *awardHarness) at(t time.Time, fn func()) { h.env.RegisterDelayedCallback(fn, t.Sub(h.start)) }

func (h *awardHarness) update(name, id string, arg any) *outcome {
	o := &outcome{}
	h.env.UpdateWorkflow(name, id, &testsuite.TestUpdateCallback{
		OnReject:   func(err error) { o.rejected = err },
		OnAccept:   func() {},
		OnComplete: func(r any, err error) { o.result, o.err = r, err },
	}, arg)
	return o
}

func (h *awardHarness) nominate(unit, rid string, noms ...cycle.Nomination) *outcome {
	return h.update(awards.UpdateNominate, rid, awards.NominateRequest{Request: req(officer(unit), rid), Unit: unit, Nominations: noms})
}

func (h *awardHarness) state() awards.AwardRoundState {
	v, err := h.env.QueryWorkflow(awards.QueryAwardRound)
	require.NoError(h.t, err)
	var s awards.AwardRoundState
	require.NoError(h.t, v.Get(&s))
	return s
}

// problemRules is the rules of a refusal's problems.
func problemRules(o *outcome) []string {
	err := o.rejected
	if err == nil {
		err = o.err
	}
	ce := flow.AsCycleError(err)
	if ce == nil {
		return nil
	}
	var out []string
	for _, p := range ce.Problems {
		out = append(out, p.Rule)
	}
	return out
}

var dossier003 = []string{"submission", "council_minutes", "achievement_report"}

func coll(name string) cycle.Nomination {
	return cycle.Nomination{Kind: cycle.NomineeCollective, Name: name, Achievements: "Chuyển hóa thành công địa bàn năm 2024", Dossier: dossier003}
}

func indiv(name string, leader bool) cycle.Nomination {
	pos := "Cán bộ Công an xã"
	if leader {
		pos = "Phó Trưởng Công an huyện"
	}
	return cycle.Nomination{Kind: cycle.NomineeIndividual, Name: name, Position: pos, Leader: leader, Achievements: "Triệt phá 03 tụ điểm tệ nạn xã hội", Dossier: dossier003}
}

// Policy 003 (Bình Phước 2024): "03 tập thể - 06 cá nhân", leaders "không
// quá 40 % tổng số cá nhân được đề nghị", the three-part dossier; quotas
// hold over every unit's nominations together.
func TestAwardRound003(t *testing.T) {
	due := cycle.D(2024, time.November, 30)
	h := newAwardHarness(t, "binh-phuoc", "003", 2024, vn(2024, time.November, 1, 9), due)
	units := h.input.Units
	a, b := units[0].Code, units[1].Code
	var first, overCollectives, overLeaders, noMinutes, foreign, second, revised, late, earlyReview *outcome
	var during awards.AwardRoundState
	h.at(vn(2024, time.November, 2, 9), func() {
		during = h.state()
		first = h.nominate(a, "a1", coll("Công an xã Long Giang"), coll("Công an phường Long Phước"), indiv("Nguyễn Văn An", true), indiv("Lê Thị Bình", false), indiv("Trần Văn Cường", false))
		earlyReview = h.update(awards.UpdateReviewAwards, "early", awards.ReviewAwardsRequest{Request: req(chair, "early")})
	})
	h.at(vn(2024, time.November, 3, 9), func() {
		overCollectives = h.nominate(b, "b1", coll("Công an xã Minh Hưng"), coll("UBND xã Thanh Lương"), indiv("Phạm Văn Dũng", false))
		overLeaders = h.nominate(b, "b2", coll("Công an xã Minh Hưng"), indiv("Phạm Văn Dũng", true), indiv("Võ Thị Em", true), indiv("Hồ Văn Phúc", false))
		noDossier := indiv("Phạm Văn Dũng", false)
		noDossier.Dossier = []string{"submission", "achievement_report"}
		noMinutes = h.nominate(b, "b3", noDossier)
		foreign = h.update(awards.UpdateNominate, "b4", awards.NominateRequest{Request: req(officer(a), "b4"), Unit: b, Nominations: []cycle.Nomination{coll("X")}})
	})
	var concurrent *outcome
	h.at(vn(2024, time.November, 4, 9), func() {
		second = h.nominate(b, "b5", coll("Công an xã Minh Hưng"), indiv("Phạm Văn Dũng", true), indiv("Võ Thị Em", false))
		// Another unit at the same instant, while B's is being recorded: refused, to be retried.
		concurrent = h.nominate(units[2].Code, "c0", coll("Công an xã Tân Tiến"))
	})
	h.at(vn(2024, time.November, 10, 9), func() {
		// Unit A revises: one collective fewer, same people.
		revised = h.nominate(a, "a2", coll("Công an xã Long Giang"), indiv("Nguyễn Văn An", true), indiv("Lê Thị Bình", false), indiv("Trần Văn Cường", false))
	})
	var afterDue awards.AwardRoundState
	var unknownReview, missingReview, leaderHeavy, review, clerkSigns, sign, issue *outcome
	h.at(vn(2024, time.December, 1, 9), func() {
		afterDue = h.state()
		late = h.nominate(units[2].Code, "c1", coll("Công an xã Tân Tiến"))
		unknownReview = h.update(awards.UpdateReviewAwards, "r0", awards.ReviewAwardsRequest{Request: req(chair, "r0"),
			Review: cycle.AwardReview{Accepted: []string{a + "/1", "999/1"}, Minutes: "Biên bản"}})
		missingReview = h.update(awards.UpdateReviewAwards, "r1", awards.ReviewAwardsRequest{Request: req(chair, "r1"),
			Review: cycle.AwardReview{Accepted: []string{a + "/1"}, Minutes: "Biên bản"}})
		// Both leaders but only three individuals: 2 of 3 is 66.67% > 40%.
		leaderHeavy = h.update(awards.UpdateReviewAwards, "r1b", awards.ReviewAwardsRequest{Request: req(chair, "r1b"), Review: cycle.AwardReview{
			Accepted: []string{a + "/1", a + "/2", a + "/3", b + "/1", b + "/2"},
			Rejected: []cycle.Rejection{{ID: a + "/4", Reason: "Thành tích chưa tiêu biểu"}, {ID: b + "/3", Reason: "Hồ sơ chưa có xác nhận"}},
			Minutes:  "Biên bản họp Hội đồng Thi đua - Khen thưởng ngày 01/12/2024",
		}})
		review = h.update(awards.UpdateReviewAwards, "r2", awards.ReviewAwardsRequest{Request: req(chair, "r2"), Review: cycle.AwardReview{
			Accepted: []string{a + "/1", a + "/2", a + "/3", a + "/4", b + "/1", b + "/3"},
			Rejected: []cycle.Rejection{{ID: b + "/2", Reason: "Đã được khen thưởng cùng thành tích"}},
			Minutes:  "Biên bản họp Hội đồng Thi đua - Khen thưởng ngày 01/12/2024",
		}})
	})
	h.at(vn(2024, time.December, 5, 9), func() {
		clerkSigns = h.update(awards.UpdateSignAwards, "s0", req(clerk, "s0"))
		sign = h.update(awards.UpdateSignAwards, "s1", req(signer, "s1"))
	})
	h.at(vn(2024, time.December, 6, 9), func() {
		issue = h.update(awards.UpdateIssueAwards, "i1", req(clerk, "i1"))
	})
	h.env.ExecuteWorkflow(awards.AwardRound, h.input)
	require.True(t, h.env.IsWorkflowCompleted())
	require.NoError(t, h.env.GetWorkflowError())
	var d cycle.Decision
	require.NoError(t, h.env.GetWorkflowResult(&d))

	require.Equal(t, cycle.AwardPhaseNominations, during.Phase)
	require.Len(t, during.OpenTasks, len(units), "one nomination task per unit")
	require.Equal(t, due, during.Due)

	require.Empty(t, first.code())
	require.Equal(t, []string{a + "/1", a + "/2", a + "/3", a + "/4", a + "/5"}, first.result.(awards.NominateResult).IDs)
	require.Equal(t, cycle.ECONFLICT, earlyReview.code(), "no review while nominations are open")
	require.Equal(t, cycle.EINVALID, overCollectives.code())
	require.Equal(t, []string{"awards.quota_collectives"}, problemRules(overCollectives), "2 + 2 collectives > 3")
	require.Equal(t, cycle.EINVALID, overLeaders.code())
	require.Equal(t, []string{"awards.leaders_share"}, problemRules(overLeaders), "3 leaders while at most 40%% of 6 individuals can be")
	require.Contains(t, flow.AsCycleError(overLeaders.rejected).Error(), "3 leaders nominated: at most 2 can be awarded (40% of the 6 individuals)")
	require.Equal(t, []string{"awards.dossier"}, problemRules(noMinutes))
	require.Contains(t, flow.AsCycleError(noMinutes.rejected).Error(), `dossier lacks "council_minutes"`)
	require.Equal(t, cycle.EFORBIDDEN, foreign.code())
	require.Empty(t, second.code(), "2 + 1 collectives, 3 + 2 individuals with 2 leaders of 5: within the quotas")
	require.Equal(t, cycle.ECONFLICT, concurrent.code(), "one completion at a time: the quotas are checked against a settled state")
	require.Empty(t, revised.code())
	require.Equal(t, 2, revised.result.(awards.NominateResult).Revision)

	require.Equal(t, cycle.AwardPhaseReview, afterDue.Phase)
	require.Len(t, afterDue.Nominations, 7, "unit A's revision replaced its first submission")
	require.Equal(t, cycle.ECONFLICT, late.code(), "nominations closed on the due date")
	require.Equal(t, cycle.EINVALID, unknownReview.code())
	require.Contains(t, problemRules(unknownReview), "awards.review_unknown")
	require.Contains(t, problemRules(missingReview), "awards.review_missing")
	require.Equal(t, []string{"awards.leaders_share"}, problemRules(leaderHeavy), "the council cannot put forward more leaders than 40%% of the individuals")
	require.Empty(t, review.code())
	require.Equal(t, cycle.EFORBIDDEN, clerkSigns.code())
	require.Empty(t, sign.code())
	require.Empty(t, issue.code())

	require.Equal(t, "1/QĐ-UBND", d.Code)
	require.Equal(t, "award", d.Kind)
	require.Equal(t, "70-UBND", d.BodyKey)
	require.Equal(t, cycle.D(2024, time.December, 6), d.Date)
	require.Equal(t, signer.ID, d.SignedBy.ID)
	got := h.docs.data(templates.Award).(templates.AwardData)
	require.Equal(t, 2, got.Collectives())
	require.Equal(t, 4, got.Individuals())
	require.Equal(t, "Công an xã Long Giang", got.Awardees[0].Name, "collectives first")
	require.Equal(t, "Bằng khen của Chủ tịch UBND tỉnh", got.Form)
	require.Equal(t, "tỉnh Bình Phước", got.ProvinceName)
	require.Contains(t, got.Recipients, "Sở Nội vụ (Ban Thi đua - Khen thưởng tỉnh);")
	require.Equal(t, "Như Điều 3;", got.Recipients[0])
	require.Equal(t, "Lưu: VT.", got.Recipients[len(got.Recipients)-1], "the archive copy once, last")
	require.Contains(t, got.Grounds, "Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022", "the emulation law in force on the decision's date")
	require.Len(t, h.store.noms, 3)
	require.Len(t, h.store.reviews, 1)
	decs, err := h.store.Decisions(context.Background(), awards.WorkflowID(h.input.Province, 2024))
	require.NoError(t, err)
	require.Len(t, decs, 1)
}

// Policy 001 (Tây Ninh 2019): "lựa chọn 01 tập thể hoặc cá nhân/1 địa bàn
// chuyển hóa", dossiers "trước ngày 16/11/2019" — the due date comes from
// the policy; the secretariat may close the nominations early.
func TestAwardRound001(t *testing.T) {
	h := newAwardHarness(t, "tay-ninh", "001", 2019, vn(2019, time.November, 1, 9), cycle.Date{})
	u := h.input.Units[0].Code
	area := func(n cycle.Nomination, code string) cycle.Nomination {
		n.Area, n.Dossier = code, nil
		return n
	}
	var twoForOneArea, ok, close, review, sign, issue *outcome
	var st awards.AwardRoundState
	h.at(vn(2019, time.November, 2, 9), func() {
		st = h.state()
		twoForOneArea = h.nominate(u, "n1", area(coll("Công an phường 3"), "25459"), area(indiv("Lê Văn C", false), "25459"))
		ok = h.nominate(u, "n2", area(coll("Công an phường 3"), "25459"), area(indiv("Lê Văn C", false), "25462"))
	})
	h.at(vn(2019, time.November, 5, 9), func() {
		close = h.update(awards.UpdateCloseNominations, "close", req(secretariat, "close"))
	})
	h.at(vn(2019, time.November, 6, 9), func() {
		review = h.update(awards.UpdateReviewAwards, "r", awards.ReviewAwardsRequest{Request: req(chair, "r"),
			Review: cycle.AwardReview{Accepted: []string{u + "/1", u + "/2"}, Minutes: "Biên bản"}})
	})
	h.at(vn(2019, time.November, 7, 9), func() { sign = h.update(awards.UpdateSignAwards, "s", req(signer, "s")) })
	h.at(vn(2019, time.November, 8, 9), func() { issue = h.update(awards.UpdateIssueAwards, "i", req(clerk, "i")) })
	h.env.ExecuteWorkflow(awards.AwardRound, h.input)
	require.True(t, h.env.IsWorkflowCompleted())
	require.NoError(t, h.env.GetWorkflowError())
	var d cycle.Decision
	require.NoError(t, h.env.GetWorkflowResult(&d))

	require.Equal(t, cycle.D(2019, time.November, 15), st.Due, "trước ngày 16/11/2019")
	require.Equal(t, []string{"awards.per_area"}, problemRules(twoForOneArea))
	for _, o := range []*outcome{ok, close, review, sign, issue} {
		require.Empty(t, o.code())
	}
	require.Equal(t, "1/QĐ-CAT", d.Code)
	require.Equal(t, cycle.D(2019, time.November, 8), d.Date, "closed early: the round did not wait for 15/11")
	require.True(t, strings.HasPrefix(h.docs.data(templates.Award).(templates.AwardData).Form, "Giấy khen"))
}

func TestAwardRoundRefusesBadInput(t *testing.T) {
	h := newAwardHarness(t, "binh-phuoc", "003", 2024, vn(2024, time.November, 1, 9), cycle.Date{})
	h.env.ExecuteWorkflow(awards.AwardRound, h.input)
	require.True(t, h.env.IsWorkflowCompleted())
	ce := flow.AsCycleError(h.env.GetWorkflowError())
	require.NotNil(t, ce)
	require.Equal(t, cycle.EINVALID, ce.Code)
	require.Contains(t, ce.Error(), "no due date given and policy 003-binh-phuoc-2024 has no award_nominations deadline")

	pol, _ := policies.ByID("000")
	in := h.input
	in.Policy, in.Due = pol, cycle.D(2024, time.November, 30)
	require.ErrorContains(t, in.Validate(), "has no award scheme")
}
