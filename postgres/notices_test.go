package postgres_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"chuyenhoa/cycle"
)

// noticeAccounts are two officers of unit 522 (one by e-mail at once, one
// by e-mail and webhook in the daily digest), one of unit 524, the
// secretariat (inbox only) and a disabled officer of 522.
func noticeAccounts(tb testing.TB, db *testDB) {
	tb.Helper()
	ctx := context.Background()
	for _, a := range []cycle.Account{
		{ID: "ca.522.a", Role: cycle.RoleDistrictOfficer, District: "522", Email: "a@522.example", Notify: cycle.NotifyImmediate},
		{ID: "ca.522.b", Role: cycle.RoleDistrictOfficer, District: "522", Email: "b@522.example", Webhook: "https://sms.example/hook", Notify: cycle.NotifyDigest},
		{ID: "ca.524", Role: cycle.RoleDistrictOfficer, District: "524", Email: "x@524.example"},
		{ID: "cat.tt", Role: cycle.RoleSecretariat, Email: "cat@example", Notify: cycle.NotifyInboxOnly},
		{ID: "ca.522.off", Role: cycle.RoleDistrictOfficer, District: "522", Email: "off@522.example"},
	} {
		require.NoError(tb, db.CreateAccount(ctx, a, []byte("hash")))
	}
	require.NoError(tb, db.SetAccountDisabled(ctx, "ca.522.off", true))
}

func raise(tb testing.TB, db *testDB, n cycle.Notification, at time.Time) string {
	tb.Helper()
	_, err := db.AddNotification(context.Background(), n, at)
	require.NoError(tb, err)
	return n.Key()
}

func TestNoticesAddressedOnceAndRead(t *testing.T) {
	db := newTestDB(t)
	ctx := context.Background()
	id := withCycle(t, db)
	noticeAccounts(t, db)
	require.NoError(t, db.OpenTask(ctx, cycle.Task{CycleID: id, ID: "submit_proposal/522", Kind: cycle.TaskSubmitProposal,
		Role: cycle.RoleDistrictOfficer, District: "522", Title: "Gửi đề xuất — Thành phố Quảng Ngãi", Due: cycle.D(2026, 12, 25), Opened: cycle.D(2026, 12, 1)}))

	overdue := raise(t, db, cycle.Notification{CycleID: id, TaskID: "submit_proposal/522", Kind: cycle.NotifyOverdue, Role: cycle.RoleDistrictOfficer,
		District: "522", Due: cycle.D(2026, 12, 25), Seq: 1, Message: "x"}, t0)
	esc := raise(t, db, cycle.Notification{CycleID: id, TaskID: "submit_proposal/522", Kind: cycle.NotifyEscalation, Role: cycle.RoleSecretariat,
		Due: cycle.D(2026, 12, 25), Seq: 1, Message: "x"}, t0)

	// Addressed twice (a retried activity), concurrently: each account once.
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := db.AddressNotification(ctx, overdue, t0)
			require.NoError(t, err)
			require.Equal(t, 2, n, "the two enabled officers of 522")
		}()
	}
	wg.Wait()
	n, err := db.AddressNotification(ctx, esc, t0)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	_, err = db.AddressNotification(ctx, "no such key", t0)
	requireCode(t, cycle.ENOTFOUND, err)

	require.Equal(t, 2, db.count(t, `SELECT count(*) FROM notice_recipients WHERE key = $1`, overdue))
	// a: e-mail at once; b: e-mail and webhook in the digest; the
	// secretariat wants the inbox only; 524 and the disabled one get nothing.
	out, err := db.NoticeOutbox(ctx, "")
	require.NoError(t, err)
	require.Len(t, out, 3)
	got := map[string]bool{}
	for _, it := range out {
		got[it.Account.ID+"/"+string(it.Channel)] = it.Digest
		require.Equal(t, cycle.OutboxPending, it.Status)
		require.Equal(t, "Gửi đề xuất — Thành phố Quảng Ngãi", it.Notice.TaskTitle)
	}
	require.Equal(t, map[string]bool{"ca.522.a/email": false, "ca.522.b/email": true, "ca.522.b/webhook": true}, got)

	// The secretariat reads the escalation with the late unit named.
	ns, err := db.Notices(ctx, "cat.tt", cycle.NoticeFilter{})
	require.NoError(t, err)
	require.Len(t, ns, 1)
	require.Equal(t, cycle.NotifyEscalation, ns[0].Kind)
	require.Equal(t, "522", ns[0].Unit)
	require.Equal(t, cycle.TaskSubmitProposal, ns[0].TaskKind)
	require.Equal(t, cycle.D(2026, 12, 25), ns[0].Due)
	require.Contains(t, ns[0].Text(cycle.Vietnamese, func(string) string { return "Thành phố Quảng Ngãi" }), "Thành phố Quảng Ngãi chưa hoàn thành việc")

	// Read state is each account's own: a cannot mark b's copy.
	na, err := db.Notices(ctx, "ca.522.a", cycle.NoticeFilter{})
	require.NoError(t, err)
	nb, err := db.Notices(ctx, "ca.522.b", cycle.NoticeFilter{})
	require.NoError(t, err)
	require.Len(t, na, 1)
	require.Len(t, nb, 1)
	_, err = db.MarkNoticesRead(ctx, "ca.522.a", []int64{nb[0].ID}, t0)
	requireCode(t, cycle.ENOTFOUND, err)
	_, err = db.MarkNoticesRead(ctx, "ca.522.a", []int64{na[0].ID, nb[0].ID}, t0)
	requireCode(t, cycle.ENOTFOUND, err)
	u, err := db.UnreadNotices(ctx, "ca.522.a")
	require.NoError(t, err)
	require.Equal(t, 1, u, "a refused mark changes nothing")
	changed, err := db.MarkNoticesRead(ctx, "ca.522.a", []int64{na[0].ID}, t0)
	require.NoError(t, err)
	require.Equal(t, 1, changed)
	changed, err = db.MarkNoticesRead(ctx, "ca.522.a", []int64{na[0].ID}, t0)
	require.NoError(t, err)
	require.Equal(t, 0, changed, "marking again changes nothing")
	for acc, want := range map[string]int{"ca.522.a": 0, "ca.522.b": 1, "cat.tt": 1, "ca.524": 0} {
		u, err := db.UnreadNotices(ctx, acc)
		require.NoError(t, err)
		require.Equal(t, want, u, acc)
	}
	unread, err := db.Notices(ctx, "ca.522.a", cycle.NoticeFilter{Unread: true})
	require.NoError(t, err)
	require.Empty(t, unread)
	changed, err = db.MarkNoticesRead(ctx, "ca.522.b", nil, t0)
	require.NoError(t, err)
	require.Equal(t, 1, changed)
}

func TestNoticeOutboxClaimedOnce(t *testing.T) {
	db := newTestDB(t)
	ctx := context.Background()
	id := withCycle(t, db)
	noticeAccounts(t, db)
	now := t0
	var keys []string
	for seq := 1; seq <= 3; seq++ {
		k := raise(t, db, cycle.Notification{CycleID: id, TaskID: "submit_proposal/522", Kind: cycle.NotifyEscalation, Role: cycle.RoleDistrictOfficer,
			District: "522", Due: cycle.D(2026, 12, 25), Seq: seq, Message: "x"}, now)
		_, err := db.AddressNotification(ctx, k, now)
		require.NoError(t, err)
		keys = append(keys, k)
	}
	// Two dispatchers claim at once: each item goes to one of them; the
	// digest items wait for the digest's hour.
	var mu sync.Mutex
	claimed := map[int64]string{}
	var wg sync.WaitGroup
	for _, who := range []string{"d1", "d2"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			items, err := db.ClaimNotices(ctx, who, now, now.Add(-time.Hour), 10)
			require.NoError(t, err)
			mu.Lock()
			defer mu.Unlock()
			for _, it := range items {
				require.NotContains(t, claimed, it.ID)
				claimed[it.ID] = who
				require.False(t, it.Digest)
				require.Equal(t, "ca.522.a", it.Account.ID)
				require.Equal(t, cycle.OutboxSending, it.Status)
				require.Equal(t, 1, it.Attempts)
			}
		}()
	}
	wg.Wait()
	require.Len(t, claimed, 3)
	again, err := db.ClaimNotices(ctx, "d3", now, now.Add(-time.Hour), 10)
	require.NoError(t, err)
	require.Empty(t, again, "claimed items are not claimed again")

	// The digest's hour has come: b's six items (3 × e-mail, webhook).
	digest, err := db.ClaimNotices(ctx, "d3", now.Add(time.Minute), now.Add(time.Second), 1)
	require.NoError(t, err)
	require.Len(t, digest, 6, "a digest is claimed whole, past the limit")

	// Outcomes: sent, failed (retried later), ambiguous, and an attempt
	// that never reports.
	var ids []int64
	for id := range claimed {
		ids = append(ids, id)
	}
	owner := func(id int64) string { return claimed[id] }
	n, err := db.FinishNotices(ctx, owner(ids[0]), ids[:1], cycle.OutboxSent, "a@522.example", "m1", "", time.Time{}, now)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	n, err = db.FinishNotices(ctx, "someone else", ids[1:2], cycle.OutboxSent, "", "", "", time.Time{}, now)
	require.NoError(t, err)
	require.Equal(t, 0, n, "an attempt settles only its own claims")
	_, err = db.FinishNotices(ctx, owner(ids[1]), ids[1:2], cycle.OutboxFailed, "a@522.example", "m2", "421 try later", now.Add(time.Minute), now)
	require.NoError(t, err)
	retry, err := db.ClaimNotices(ctx, "d4", now.Add(30*time.Second), now.Add(-time.Hour), 10)
	require.NoError(t, err)
	require.Empty(t, retry, "not before its next try")
	retry, err = db.ClaimNotices(ctx, "d4", now.Add(2*time.Minute), now.Add(-time.Hour), 10)
	require.NoError(t, err)
	require.Len(t, retry, 1)
	require.Equal(t, 2, retry[0].Attempts)
	require.Equal(t, "421 try later", retry[0].LastError)

	expired, err := db.ExpireNoticeClaims(ctx, now.Add(5*time.Minute), now.Add(10*time.Minute))
	require.NoError(t, err)
	require.Equal(t, 1+1+6, expired, "ids[2], the retried one and the digest never reported")
	after, err := db.ClaimNotices(ctx, "d5", now.Add(time.Hour), now.Add(time.Hour), 10)
	require.NoError(t, err)
	require.Empty(t, after, "an unknown item is never sent again automatically")
	// A slow attempt that does report still settles its items.
	n, err = db.FinishNotices(ctx, owner(ids[2]), ids[2:3], cycle.OutboxSent, "a@522.example", "m3", "", time.Time{}, now.Add(11*time.Minute))
	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.Equal(t, 2, db.count(t, `SELECT count(*) FROM notice_outbox WHERE status = 'sent'`))
	require.Equal(t, 7, db.count(t, `SELECT count(*) FROM notice_outbox WHERE status = 'unknown'`))
	_, err = db.FinishNotices(ctx, "x", nil, "bogus", "", "", "", time.Time{}, now)
	requireCode(t, cycle.EINVALID, err)
	_ = keys
}
