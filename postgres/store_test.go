package postgres_test

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/text/unicode/norm"

	"chuyenhoa/cycle"
	"chuyenhoa/postgres"
)

// The check lives here so that package postgres needs activities only for
// the types of the Store interface.
var _ cycle.Store = (*postgres.DB)(nil)

func TestOpenAppliesMigrationsOnce(t *testing.T) {
	t.Parallel()
	files, err := os.ReadDir("migrations")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	ctx := context.Background()

	t.Run("open twice", func(t *testing.T) {
		db := newTestDB(t)
		again, err := postgres.Open(ctx, db.dsn)
		require.NoError(t, err)
		require.NoError(t, again.Close())
		require.Equal(t, len(files), db.count(t, `SELECT count(*) FROM schema_migrations`))
	})

	t.Run("workers starting together", func(t *testing.T) {
		dsn := createDatabase(t)
		const workers = 6
		errs := make(chan error, workers)
		var start sync.WaitGroup
		start.Add(1)
		for range workers {
			go func() {
				start.Wait()
				db, err := postgres.Open(ctx, dsn)
				if err == nil {
					err = db.Close()
				}
				errs <- err
			}()
		}
		start.Done()
		for range workers {
			require.NoError(t, <-errs)
		}
		db := newTestDBOn(t, dsn)
		require.Equal(t, len(files), db.count(t, `SELECT count(*) FROM schema_migrations`))
	})
}

var provinceTests = []struct {
	name string
	prov cycle.Province
}{
	{"three tiers", quangNgai()},
	{"two tiers", cycle.Province{
		Code: "51", Name: "Tỉnh Quảng Ngãi",
		Communes: []cycle.Commune{
			{Code: "21013", Name: "Phường Cẩm Thành", Kind: cycle.KindPhuong},
			{Code: "21325", Name: "Xã Nghĩa Giang", Kind: cycle.KindXa, NewRural: true},
			{Code: "21733", Name: "Đặc khu Lý Sơn", Kind: cycle.KindDacKhu},
		},
	}},
	// Go compares bytes: upper case sorts before lower case, unlike in
	// most collations. Province.Commune's binary search needs Go's order.
	{"codes in byte order", cycle.Province{
		Code: "99", Name: "Tỉnh Thử Nghiệm",
		Districts: []cycle.District{{Code: "H-1", Name: "Huyện Hải"}, {Code: "h-0", Name: "Huyện Hà"}},
		Communes: []cycle.Commune{
			{Code: "B-1", Name: "Xã Bắc", Kind: cycle.KindXa, District: "h-0"},
			{Code: "a-2", Name: "Xã Ấm", Kind: cycle.KindXa, District: "H-1"},
			{Code: "b-0", Name: "Xã Đông", Kind: cycle.KindXa, District: "H-1"},
		},
	}},
}

func TestProvinceRoundTrip(t *testing.T) {
	t.Parallel()
	db := newTestDB(t)
	ctx := context.Background()
	for _, tt := range provinceTests {
		t.Run(tt.name, func(t *testing.T) {
			require.NoError(t, db.SaveProvince(ctx, tt.prov, issuer()))
			got, is, err := db.Province(ctx, tt.prov.Code)
			require.NoError(t, err)
			require.Equal(t, tt.prov, got)
			require.Equal(t, issuer(), is)
			for _, c := range got.Communes {
				require.True(t, norm.NFC.IsNormalString(c.Name), "%q is not NFC", c.Name)
				_, ok := got.Commune(c.Code)
				require.True(t, ok, "commune %s not found by binary search", c.Code)
			}
		})
	}
	// The registry is replaced, not merged: the province above was saved
	// as three tiers, then two; nothing of the first shape is left.
	require.Zero(t, db.count(t, `SELECT count(*) FROM districts WHERE province = '51'`))
}

func TestProvinceCollation(t *testing.T) {
	t.Parallel()
	// In a database whose collation is Vietnamese (ICU), ORDER BY code is
	// not Go's order; Province must still return Go's order.
	dsn := createDatabase(t, `LOCALE_PROVIDER icu ICU_LOCALE 'vi-VN' LOCALE 'C'`)
	db := newTestDBOn(t, dsn)
	prov := provinceTests[2].prov
	require.NoError(t, db.SaveProvince(context.Background(), prov, issuer()))
	require.Equal(t, "a-2", db.string(t, `SELECT code FROM communes ORDER BY code LIMIT 1`),
		"the database's collation should differ from Go's order, or this test proves nothing")
	got, _, err := db.Province(context.Background(), prov.Code)
	require.NoError(t, err)
	require.Equal(t, prov, got)
}

func TestProvinceErrors(t *testing.T) {
	t.Parallel()
	db := newTestDB(t)
	ctx := context.Background()
	_, _, err := db.Province(ctx, "51")
	requireCode(t, cycle.ENOTFOUND, err)

	bad := quangNgai()
	bad.Communes[0].District = "999"
	requireCode(t, cycle.EINVALID, db.SaveProvince(ctx, bad, issuer()))
	_, _, err = db.Province(ctx, "51")
	requireCode(t, cycle.ENOTFOUND, err)
}

func TestCycle(t *testing.T) {
	t.Parallel()
	db := newTestDB(t)
	ctx := context.Background()
	id := withCycle(t, db)

	info, phase, err := db.Cycle(ctx, id)
	require.NoError(t, err)
	require.Equal(t, cycle.PhaseProposals, phase)
	require.Equal(t, cycle.DefaultPolicy(), info.Policy)
	require.Equal(t, secretariat, info.StartedBy)
	require.True(t, t0.Equal(info.StartedAt))

	// Recording the start again changes nothing.
	other := info
	other.Year, other.Synthetic = 2030, true
	require.NoError(t, db.OpenCycle(ctx, other))
	again, _, err := db.Cycle(ctx, id)
	require.NoError(t, err)
	require.Equal(t, info, again)

	require.NoError(t, db.SetPhase(ctx, id, cycle.PhaseConsolidation, t0.Add(time.Hour)))
	require.NoError(t, db.SetPhase(ctx, id, cycle.PhaseAppraisal, t0.Add(2*time.Hour)))
	require.NoError(t, db.SetPhase(ctx, id, cycle.PhaseConsolidation, t0.Add(time.Hour)), "a stale retry")
	_, phase, err = db.Cycle(ctx, id)
	require.NoError(t, err)
	require.Equal(t, cycle.PhaseAppraisal, phase)

	requireCode(t, cycle.ENOTFOUND, db.SetPhase(ctx, "cycle/00/2027", cycle.PhaseIssue, t0))
	_, _, err = db.Cycle(ctx, "cycle/00/2027")
	requireCode(t, cycle.ENOTFOUND, err)
	requireCode(t, cycle.ENOTFOUND, db.OpenCycle(ctx, cycle.CycleInfo{ID: "cycle/00/2027", Province: "00", Year: 2027, StartedAt: t0}))
}

func TestCompleteTaskIdempotent(t *testing.T) {
	t.Parallel()
	db := newTestDB(t)
	ctx := context.Background()
	id := withCycle(t, db)
	task := cycle.Task{ID: "submit_proposal/522", CycleID: id, Kind: cycle.TaskSubmitProposal, Role: cycle.RoleDistrictOfficer,
		District: "522", Title: "Đề xuất địa bàn", Due: cycle.D(2026, 12, 25), Opened: cycle.D(2026, 12, 1)}
	require.NoError(t, db.OpenTask(ctx, task))

	c := submission(id, "req-1", 1, proposal522(), t0)
	for range 3 {
		require.NoError(t, db.CompleteTask(ctx, c))
	}

	audit, err := db.Audit(ctx, id)
	require.NoError(t, err)
	require.Equal(t, []cycle.AuditEntry{{At: t0, CycleID: id, TaskID: task.ID, Actor: officer522, Action: "submit_proposal",
		RequestID: "req-1", Summary: "proposal of 522"}}, audit)
	revs, err := db.Proposals(ctx, id)
	require.NoError(t, err)
	require.Len(t, revs, 1)
	require.Equal(t, proposal522(), revs[0].Proposal)
	require.Equal(t, 1, db.count(t, `SELECT count(*) FROM proposals`))
	require.Equal(t, len(proposal522().Statistics), db.count(t, `SELECT count(*) FROM proposal_statistics`))
	open, err := db.OpenTasks(ctx, cycle.TaskFilter{CycleID: id})
	require.NoError(t, err)
	require.Empty(t, open)
	require.Equal(t, officer522.ID, db.string(t, `SELECT closed_by FROM tasks WHERE task_id = $1`, task.ID))
}

func TestProposalRevisions(t *testing.T) {
	t.Parallel()
	db := newTestDB(t)
	ctx := context.Background()
	id := withCycle(t, db)

	first := proposal522()
	second := proposal522()
	second.Proposed = second.Proposed[:1]
	second.Proposed[0].Reason = "Chỉ đề xuất một phường"
	second.Statistics[0].SocialOrderCrimes = 31
	other := cycle.Proposal{Unit: "524", Statistics: []cycle.CommuneFigures{{Commune: "21052", Figures: cycle.Figures{SocialOrderCrimes: 9}}}}

	require.NoError(t, db.CompleteTask(ctx, submission(id, "req-1", 1, first, t0)))
	require.NoError(t, db.CompleteTask(ctx, submission(id, "req-2", 2, second, t0.Add(time.Hour))))
	c := submission(id, "req-3", 1, other, t0.Add(2*time.Hour))
	c.Late = true
	require.NoError(t, db.CompleteTask(ctx, c))

	revs, err := db.Proposals(ctx, id)
	require.NoError(t, err)
	type row struct {
		unit     string
		revision int
		current  bool
		late     bool
		proposal cycle.Proposal
	}
	var got []row
	for _, r := range revs {
		require.Equal(t, id, r.CycleID)
		require.Equal(t, r.Unit, r.Proposal.Unit)
		got = append(got, row{r.Unit, r.Revision, r.Current, r.Late, r.Proposal})
	}
	require.Equal(t, []row{
		{"522", 1, false, false, first},
		{"522", 2, true, false, second},
		{"524", 1, true, true, other},
	}, got)
	require.True(t, t0.Add(time.Hour).Equal(revs[1].SubmittedAt))
	require.Equal(t, officer522, revs[1].SubmittedBy)

	// Revision 2 again under another request: refused, nothing recorded.
	requireCode(t, cycle.ECONFLICT, db.CompleteTask(ctx, submission(id, "req-4", 2, first, t0.Add(3*time.Hour))))
	require.Equal(t, 3, db.count(t, `SELECT count(*) FROM audit_log`))
}

func TestCompleteTaskConcurrent(t *testing.T) {
	t.Parallel()
	db := newTestDB(t)
	postgres.SetMaxOpenConns(db.DB, 16)
	ctx := context.Background()
	id := withCycle(t, db)

	// Revisions 1–8 of one unit arrive at once, each sent three times.
	const revisions, copies = 8, 3
	errs := make(chan error, revisions*copies)
	var start sync.WaitGroup
	start.Add(1)
	for r := 1; r <= revisions; r++ {
		for range copies {
			go func() {
				p := proposal522()
				p.Note = fmt.Sprintf("revision %d", r)
				c := submission(id, fmt.Sprintf("req-%d", r), r, p, t0.Add(time.Duration(r)*time.Minute))
				start.Wait()
				errs <- db.CompleteTask(ctx, c)
			}()
		}
	}
	start.Done()
	for range revisions * copies {
		require.NoError(t, <-errs)
	}
	require.Equal(t, revisions, db.count(t, `SELECT count(*) FROM audit_log`))
	revs, err := db.Proposals(ctx, id)
	require.NoError(t, err)
	require.Len(t, revs, revisions)
	for i, r := range revs {
		require.Equal(t, i+1, r.Revision)
		require.Equal(t, r.Revision == revisions, r.Current, "revision %d", r.Revision)
		require.Equal(t, fmt.Sprintf("revision %d", r.Revision), r.Proposal.Note)
		require.Len(t, r.Proposal.Statistics, len(proposal522().Statistics))
	}
}

var invalidCompletions = []struct {
	name   string
	change func(*cycle.Completion)
}{
	{"no request ID", func(c *cycle.Completion) { c.RequestID = "" }},
	{"no actor", func(c *cycle.Completion) { c.Actor = cycle.Actor{} }},
	{"proposal without payload", func(c *cycle.Completion) { c.Proposal = nil }},
	{"revision 0", func(c *cycle.Completion) { c.Revision = 0 }},
	{"proposal on another kind", func(c *cycle.Completion) { c.Kind = cycle.TaskSign }},
	{"appraisal without payload", func(c *cycle.Completion) { c.Kind, c.Proposal = cycle.TaskAppraise, nil }},
	{"list on a sign task", func(c *cycle.Completion) {
		c.Kind, c.Proposal, c.List = cycle.TaskSign, nil, []cycle.ListedCommune{{Commune: "21016", Rank: 1}}
	}},
}

func TestCompleteTaskRefuses(t *testing.T) {
	t.Parallel()
	db := newTestDB(t)
	ctx := context.Background()
	id := withCycle(t, db)
	for _, tt := range invalidCompletions {
		t.Run(tt.name, func(t *testing.T) {
			c := submission(id, "req-"+tt.name, 1, proposal522(), t0)
			tt.change(&c)
			requireCode(t, cycle.EINVALID, db.CompleteTask(ctx, c))
		})
	}
	requireCode(t, cycle.ENOTFOUND, db.CompleteTask(ctx, submission("cycle/00/2027", "req", 1, proposal522(), t0)))
	require.Zero(t, db.count(t, `SELECT count(*) FROM audit_log`))
}

func TestCompleteTaskWithoutTaskRow(t *testing.T) {
	t.Parallel()
	db := newTestDB(t)
	ctx := context.Background()
	id := withCycle(t, db)
	c := cycle.Completion{CycleID: id, TaskID: "sign", Kind: cycle.TaskSign, Actor: cycle.Actor{ID: "truong-ban", Role: cycle.RoleSigner},
		RequestID: "sign-1", At: t0, Summary: "signed"}
	require.NoError(t, db.CompleteTask(ctx, c))
	require.Equal(t, 1, db.count(t, `SELECT count(*) FROM audit_log`))
	require.Zero(t, db.count(t, `SELECT count(*) FROM tasks`))
}

func TestListsByRound(t *testing.T) {
	t.Parallel()
	db := newTestDB(t)
	ctx := context.Background()
	id := withCycle(t, db)

	draft1 := []cycle.ListedCommune{
		{Commune: "21016", Name: "Phường Quảng Phú", District: "522", DistrictName: "Thành phố Quảng Ngãi", Types: cycle.Types{1, 3, 4}, Rank: 1},
		{Commune: "21010", Name: "Phường Lê Hồng Phong", District: "522", DistrictName: "Thành phố Quảng Ngãi", Types: cycle.Types{1, 4}, Rank: 2},
	}
	draft2 := draft1[:1]
	consolidate := func(req string, list []cycle.ListedCommune, at time.Time) cycle.Completion {
		return cycle.Completion{CycleID: id, TaskID: "consolidate", Kind: cycle.TaskConsolidate, Actor: secretariat, RequestID: req, At: at,
			Consolidation: &cycle.Consolidation{Decisions: []cycle.CommuneDecision{{Commune: "21010", Keep: true, Reason: "Phức tạp về ma túy"}}}, List: list}
	}
	appraise := func(req string, a cycle.Appraisal, list []cycle.ListedCommune, at time.Time) cycle.Completion {
		return cycle.Completion{CycleID: id, TaskID: "appraise", Kind: cycle.TaskAppraise, Actor: chair, RequestID: req, At: at, Appraisal: &a, List: list}
	}

	steps := []struct {
		completion      cycle.Completion
		draft, appraise []cycle.ListedCommune
	}{
		{consolidate("c1", draft1, t0), draft1, nil},
		{appraise("a1", cycle.Appraisal{Approved: false, Reason: "Cần xác minh lại số liệu", Members: []string{"Lê Văn Cường", "Hồ Thị Én"}}, nil, t0.Add(time.Hour)), draft1, nil},
		{consolidate("c2", draft2, t0.Add(2*time.Hour)), draft2, nil},
		{appraise("a2", cycle.Appraisal{Approved: true, Minutes: "Thống nhất", Members: []string{"Lê Văn Cường"}}, draft2, t0.Add(3*time.Hour)), draft2, draft2},
	}
	for _, s := range steps {
		require.NoError(t, db.CompleteTask(ctx, s.completion))
		require.NoError(t, db.CompleteTask(ctx, s.completion), "retry")
		d, err := db.List(ctx, id, cycle.ListDraft)
		require.NoError(t, err)
		require.Equal(t, s.draft, d, "after %s", s.completion.RequestID)
		a, err := db.List(ctx, id, cycle.ListAppraised)
		require.NoError(t, err)
		require.Equal(t, s.appraise, a, "after %s", s.completion.RequestID)
	}
	require.Equal(t, 2, db.count(t, `SELECT count(*) FROM consolidations`))
	require.Equal(t, 2, db.count(t, `SELECT count(*) FROM appraisals`))
	_, err := db.List(ctx, id, "final")
	requireCode(t, cycle.EINVALID, err)
}

func TestOpenTasks(t *testing.T) {
	t.Parallel()
	db := newTestDB(t)
	ctx := context.Background()
	id := withCycle(t, db)
	other := cycle.CycleInfo{ID: "cycle/51/2028", Province: "51", Year: 2028, StartedBy: secretariat, StartedAt: t0}
	require.NoError(t, db.OpenCycle(ctx, other))

	task := func(cycleID string, kind cycle.TaskKind, district string, due cycle.Date) cycle.Task {
		return cycle.Task{ID: cycle.TaskID(kind, district), CycleID: cycleID, Kind: kind, Role: cycle.RoleFor(kind),
			District: district, Title: "Việc: " + string(kind), Due: due, Opened: cycle.D(2026, 12, 1)}
	}
	p522 := task(id, cycle.TaskSubmitProposal, "522", cycle.D(2026, 12, 25))
	p524 := task(id, cycle.TaskSubmitProposal, "524", cycle.D(2026, 12, 24))
	cons := task(id, cycle.TaskConsolidate, "", cycle.D(2027, 1, 10))
	next522 := task(other.ID, cycle.TaskSubmitProposal, "522", cycle.D(2027, 12, 25))
	done := task(id, cycle.TaskAppraise, "", cycle.D(2027, 1, 20))
	for _, tk := range []cycle.Task{p522, p524, cons, next522, done} {
		require.NoError(t, db.OpenTask(ctx, tk))
		require.NoError(t, db.OpenTask(ctx, tk), "open again")
	}
	require.NoError(t, db.CloseTask(ctx, id, done.ID, "không cần thẩm định", t0))
	require.NoError(t, db.CloseTask(ctx, id, done.ID, "không cần thẩm định", t0), "close again")
	requireCode(t, cycle.ENOTFOUND, db.CloseTask(ctx, id, "no-such-task", "", t0))

	tests := []struct {
		name   string
		filter cycle.TaskFilter
		want   []cycle.Task
	}{
		{"everything, earliest due first", cycle.TaskFilter{}, []cycle.Task{p524, p522, cons, next522}},
		{"one cycle", cycle.TaskFilter{CycleID: id}, []cycle.Task{p524, p522, cons}},
		{"a role", cycle.TaskFilter{Role: cycle.RoleSecretariat}, []cycle.Task{cons}},
		{"a district", cycle.TaskFilter{District: "522"}, []cycle.Task{p522, next522}},
		{"all three", cycle.TaskFilter{CycleID: id, Role: cycle.RoleDistrictOfficer, District: "524"}, []cycle.Task{p524}},
		{"nothing", cycle.TaskFilter{Role: cycle.RoleClerk}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := db.OpenTasks(ctx, tt.filter)
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}

	// A closed task that comes round again is open again.
	require.NoError(t, db.OpenTask(ctx, done))
	got, err := db.OpenTasks(ctx, cycle.TaskFilter{Role: cycle.RoleCouncilChair})
	require.NoError(t, err)
	require.Equal(t, []cycle.Task{done}, got)

	// The sign task is opened at 9:00 and completed at 10:00; the opening's
	// first attempt had died before reporting, and its retry runs at
	// 10:01 with the opening's own time: the task stays closed. Opened
	// again at 11:00 (a new round), it is open.
	sign := task(id, cycle.TaskSign, "", cycle.D(2027, 1, 30))
	sign.OpenedAt = t0.Add(time.Hour)
	require.NoError(t, db.OpenTask(ctx, sign))
	require.NoError(t, db.CloseTask(ctx, id, sign.ID, "completed", t0.Add(2*time.Hour)))
	require.NoError(t, db.OpenTask(ctx, sign), "the stale retry")
	got, err = db.OpenTasks(ctx, cycle.TaskFilter{Role: cycle.RoleSigner})
	require.NoError(t, err)
	require.Empty(t, got, "a retried opening older than the closing must not reopen the task")
	again := sign
	again.OpenedAt = t0.Add(3 * time.Hour)
	require.NoError(t, db.OpenTask(ctx, again))
	got, err = db.OpenTasks(ctx, cycle.TaskFilter{Role: cycle.RoleSigner})
	require.NoError(t, err)
	sign.OpenedAt = time.Time{} // not part of the read model
	require.Equal(t, []cycle.Task{sign}, got)

	// The issue task is opened at 12:00 in the workflow's coroutine, and
	// the clerk completes it at 12:01 before the opening has reached the
	// store (no row to close yet, only the audit entry): the opening that
	// lands afterwards leaves it closed.
	issue := task(id, cycle.TaskIssue, "", cycle.D(2027, 2, 2))
	issue.OpenedAt = t0.Add(4 * time.Hour)
	require.NoError(t, db.CompleteTask(ctx, cycle.Completion{CycleID: id, TaskID: issue.ID, Kind: cycle.TaskIssue,
		Actor: cycle.Actor{ID: "vt", Role: cycle.RoleClerk}, RequestID: "issue-early", At: issue.OpenedAt.Add(time.Minute), Summary: "issued"}))
	require.NoError(t, db.OpenTask(ctx, issue), "the opening, landing late")
	got, err = db.OpenTasks(ctx, cycle.TaskFilter{Role: cycle.RoleClerk})
	require.NoError(t, err)
	require.Empty(t, got, "an opening older than the task's completion must not open it")
}

func TestNotificationsOnce(t *testing.T) {
	t.Parallel()
	db := newTestDB(t)
	ctx := context.Background()
	id := withCycle(t, db)
	n := cycle.Notification{CycleID: id, TaskID: "submit_proposal/522", Kind: cycle.NotifyReminder, Role: cycle.RoleDistrictOfficer,
		District: "522", Due: cycle.D(2026, 12, 25), Message: "Còn 7 ngày để gửi đề xuất", Seq: 1}
	n2 := n
	n2.Seq, n2.Message = 2, "Còn 1 ngày để gửi đề xuất"
	escalation := cycle.Notification{CycleID: id, TaskID: "submit_proposal/522", Kind: cycle.NotifyEscalation, Role: cycle.RoleSecretariat, Message: "Quá hạn", Seq: 1}

	steps := []struct {
		n    cycle.Notification
		at   time.Time
		want bool
	}{
		{n, t0.Add(48 * time.Hour), true},
		{n, t0.Add(50 * time.Hour), false},
		{escalation, t0.Add(96 * time.Hour), true},
		{n2, t0.Add(72 * time.Hour), true},
		{n2, t0, false},
	}
	for i, s := range steps {
		added, err := db.AddNotification(ctx, s.n, s.at)
		require.NoError(t, err)
		require.Equal(t, s.want, added, "step %d", i)
	}
	got, err := db.Notifications(ctx, id)
	require.NoError(t, err)
	require.Equal(t, []cycle.StoredNotification{
		{Notification: n, At: t0.Add(48 * time.Hour)},
		{Notification: n2, At: t0.Add(72 * time.Hour)},
		{Notification: escalation, At: t0.Add(96 * time.Hour)},
	}, got)

	_, err = db.AddNotification(ctx, cycle.Notification{CycleID: "cycle/00/2027", TaskID: "x", Kind: cycle.NotifyInfo, Seq: 1}, t0)
	requireCode(t, cycle.ENOTFOUND, err)
}

func TestAuditOrder(t *testing.T) {
	t.Parallel()
	db := newTestDB(t)
	ctx := context.Background()
	id := withCycle(t, db)
	// Recorded out of order: an activity retried late carries its original time.
	at := []time.Duration{2 * time.Hour, 0, 3 * time.Hour, 2 * time.Hour}
	for i, d := range at {
		c := cycle.Completion{CycleID: id, TaskID: "issue", Kind: cycle.TaskIssue, Actor: clerk,
			RequestID: "req-" + string(rune('a'+i)), At: t0.Add(d), Summary: "entry " + string(rune('a'+i))}
		require.NoError(t, db.CompleteTask(ctx, c))
	}
	audit, err := db.Audit(ctx, id)
	require.NoError(t, err)
	var order []string
	for _, e := range audit {
		order = append(order, e.RequestID)
	}
	require.Equal(t, []string{"req-b", "req-a", "req-d", "req-c"}, order)

	empty, err := db.Audit(ctx, "cycle/00/2027")
	require.NoError(t, err)
	require.Empty(t, empty)
}

func TestAuditAppendOnly(t *testing.T) {
	t.Parallel()
	db := newTestDB(t)
	id := withCycle(t, db)
	c := cycle.Completion{CycleID: id, TaskID: "issue", Kind: cycle.TaskIssue, Actor: clerk, RequestID: "r", At: t0}
	require.NoError(t, db.CompleteTask(context.Background(), c))
	for _, stmt := range []string{`UPDATE audit_log SET summary = 'changed'`, `DELETE FROM audit_log`, `TRUNCATE audit_log`} {
		_, err := db.raw.Exec(stmt)
		require.ErrorContains(t, err, "append-only", stmt)
	}
	require.Equal(t, 1, db.count(t, `SELECT count(*) FROM audit_log`))
}

func TestSelectionRoundTrip(t *testing.T) {
	t.Parallel()
	db := newTestDB(t)
	ctx := context.Background()
	id := withCycle(t, db)
	other := cycle.Proposal{Unit: "524", Statistics: []cycle.CommuneFigures{
		{Commune: "21052", Figures: cycle.Figures{SocialOrderCrimes: 20, EconomicCases: 2}},
		{Commune: "21055", Figures: cycle.Figures{SocialOrderCrimes: 3}},
		{Commune: "21058", Figures: cycle.Figures{SocialOrderCrimes: 1}},
	}, Proposed: []cycle.ProposedCommune{{Commune: "21052", Types: cycle.Types{1, 2}}}}
	sel := cycle.Select(quangNgai(), cycle.DefaultPolicy(), []cycle.Proposal{proposal522(), other})
	require.NotEmpty(t, sel.Candidates)

	_, err := db.Selection(ctx, id)
	requireCode(t, cycle.ENOTFOUND, err)
	require.NoError(t, db.SaveSelection(ctx, id, sel, t0))
	require.NoError(t, db.SaveSelection(ctx, id, sel, t0), "retry")
	got, err := db.Selection(ctx, id)
	require.NoError(t, err)
	require.Equal(t, sel, got)

	// A new selection replaces the old one.
	fewer := cycle.Select(quangNgai(), cycle.DefaultPolicy(), []cycle.Proposal{proposal522()})
	require.NoError(t, db.SaveSelection(ctx, id, fewer, t0.Add(time.Hour)))
	got, err = db.Selection(ctx, id)
	require.NoError(t, err)
	require.Equal(t, fewer, got)
	require.Equal(t, len(fewer.Candidates), db.count(t, `SELECT count(*) FROM selection_candidates`))

	requireCode(t, cycle.ENOTFOUND, db.SaveSelection(ctx, "cycle/00/2027", sel, t0))
}

// TestOpeningAfterCompletionInSameInstant forces the order a cycle meets
// when the head signs in the workflow task that opened the sign task (an
// update accepted right behind the one that opened it): the completion,
// a local activity, is recorded first, at the workflow's time; the
// batched opening (flow.TaskBook's OpenTasks activity), with the same
// workflow time as its OpenedAt, lands afterwards — or is retried after
// a first attempt whose result was lost. The task must stay closed: the
// head has signed.
func TestOpeningAfterCompletionInSameInstant(t *testing.T) {
	t.Parallel()
	db := newTestDB(t)
	ctx := context.Background()
	id := withCycle(t, db)
	signTask := func(kind cycle.TaskKind, at time.Time) cycle.Task {
		return cycle.Task{ID: cycle.TaskID(kind, ""), CycleID: id, Kind: kind, Role: cycle.RoleFor(kind),
			Title: "Việc: " + string(kind), Due: cycle.D(2027, 1, 31), Opened: cycle.D(2027, 1, 26), OpenedAt: at}
	}
	complete := func(tk cycle.Task, at time.Time) {
		t.Helper()
		require.NoError(t, db.CompleteTask(ctx, cycle.Completion{CycleID: id, TaskID: tk.ID, Kind: tk.Kind,
			Actor: cycle.Actor{ID: "truongban", Role: tk.Role}, RequestID: "done-" + tk.ID, At: at, Summary: "done"}))
	}
	open := func(role cycle.Role) []cycle.Task {
		t.Helper()
		got, err := db.OpenTasks(ctx, cycle.TaskFilter{CycleID: id, Role: role})
		require.NoError(t, err)
		return got
	}

	// No row yet: the completion writes only its audit entry, then the
	// opening lands with the same instant.
	at := t0.Add(26*24*time.Hour + 1234567*time.Nanosecond)
	sign := signTask(cycle.TaskSign, at)
	complete(sign, at)
	require.NoError(t, db.OpenTask(ctx, sign), "the batched opening, landing after the completion")
	require.Empty(t, open(cycle.RoleSigner), "an opening as old as the completion opened the task")

	// The row written by the opening's first attempt, closed by the
	// completion at the same instant, and the opening retried.
	issue := signTask(cycle.TaskIssue, at.Add(time.Hour))
	require.NoError(t, db.OpenTask(ctx, issue))
	complete(issue, issue.OpenedAt)
	require.NoError(t, db.OpenTask(ctx, issue), "the opening's retry")
	require.Empty(t, open(cycle.RoleClerk), "a retried opening as old as the completion reopened the task")

	// A later opening (a new round) still opens it.
	again := issue
	again.OpenedAt = issue.OpenedAt.Add(time.Millisecond)
	require.NoError(t, db.OpenTask(ctx, again))
	require.Len(t, open(cycle.RoleClerk), 1, "a new round after the completion")
}
