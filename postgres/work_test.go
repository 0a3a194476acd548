package postgres_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"chuyenhoa/cycle"
	"chuyenhoa/postgres"
)

// Two officers of a unit share its tasks: one claims a task, the other is
// refused until it is released; a draft is kept per officer and replaced;
// a supporting file is recorded once, under its hash; the task's history
// is the audit trail's records about it.
func TestClaimsDraftsAttachmentsHistory(t *testing.T) {
	t.Parallel()
	db := newTestDB(t)
	ctx := context.Background()
	id := withCycle(t, db)
	for _, a := range []cycle.Account{
		{ID: "ca.522a", Name: "Nguyễn Văn A", Role: cycle.RoleDistrictOfficer, District: "522"},
		{ID: "ca.522b", Name: "Trần Thị B", Role: cycle.RoleDistrictOfficer, District: "522"},
	} {
		require.NoError(t, db.CreateAccount(ctx, a, []byte("$2a$10$hash")))
	}
	task := cycle.Task{ID: "submit_proposal/522", CycleID: id, Kind: cycle.TaskSubmitProposal, Role: cycle.RoleDistrictOfficer, District: "522", Title: "Gửi đề xuất", Due: cycle.D(2026, 12, 24)}
	require.NoError(t, db.OpenTask(ctx, task))
	got, open, err := db.Task(ctx, id, task.ID)
	require.NoError(t, err)
	require.True(t, open)
	require.Equal(t, task.Title, got.Title)
	_, _, err = db.Task(ctx, id, "submit_proposal/999")
	requireCode(t, cycle.ENOTFOUND, err)

	require.NoError(t, db.Claim(ctx, cycle.Claim{CycleID: id, TaskID: task.ID, Account: "ca.522a", At: t0}))
	require.NoError(t, db.Claim(ctx, cycle.Claim{CycleID: id, TaskID: task.ID, Account: "ca.522a", At: t0}), "claiming again does nothing")
	err = db.Claim(ctx, cycle.Claim{CycleID: id, TaskID: task.ID, Account: "ca.522b", At: t0})
	requireCode(t, cycle.ECONFLICT, err)
	require.Contains(t, err.(*cycle.Error).Text, "Nguyễn Văn A (ca.522a)", "the refusal names who holds the task, in Vietnamese")
	claims, err := db.Claims(ctx, id)
	require.NoError(t, err)
	require.Len(t, claims, 1)
	require.Equal(t, "Nguyễn Văn A", claims[0].Name)
	require.NoError(t, db.Release(ctx, id, task.ID, "ca.522b"), "releasing a claim one does not hold does nothing")
	requireCode(t, cycle.ECONFLICT, db.Claim(ctx, cycle.Claim{CycleID: id, TaskID: task.ID, Account: "ca.522b", At: t0}))
	require.NoError(t, db.Release(ctx, id, task.ID, "ca.522a"))
	require.NoError(t, db.Claim(ctx, cycle.Claim{CycleID: id, TaskID: task.ID, Account: "ca.522b", At: t0}))

	_, err = db.Draft(ctx, id, task.ID, "ca.522b")
	requireCode(t, cycle.ENOTFOUND, err)
	require.NoError(t, db.SaveDraft(ctx, cycle.Draft{CycleID: id, TaskID: task.ID, Account: "ca.522b", Values: map[string]string{"soc.21010": "11"}, SavedAt: t0}))
	require.NoError(t, db.SaveDraft(ctx, cycle.Draft{CycleID: id, TaskID: task.ID, Account: "ca.522b", Values: map[string]string{"soc.21010": "12", "note": "Phức tạp"}, SavedAt: t0.Add(time.Minute)}))
	d, err := db.Draft(ctx, id, task.ID, "ca.522b")
	require.NoError(t, err)
	require.Equal(t, map[string]string{"soc.21010": "12", "note": "Phức tạp"}, d.Values)
	_, err = db.Draft(ctx, id, task.ID, "ca.522a")
	requireCode(t, cycle.ENOTFOUND, err) // a draft is its officer's
	require.NoError(t, db.DeleteDraft(ctx, id, task.ID, "ca.522b"))
	_, err = db.Draft(ctx, id, task.ID, "ca.522b")
	requireCode(t, cycle.ENOTFOUND, err)

	scan := []byte("%PDF-1.4 biên bản họp")
	sum := sha256.Sum256(scan)
	a := cycle.Attachment{CycleID: id, TaskID: task.ID, Name: "bien-ban.pdf", MediaType: "application/pdf", Account: "ca.522b", At: t0}
	a.SHA256 = hexOf(sum[:])
	requireCode(t, cycle.ENOTFOUND, db.AddAttachment(ctx, a))
	_, err = db.PutBlob(ctx, scan)
	require.NoError(t, err)
	require.NoError(t, db.AddAttachment(ctx, a))
	require.NoError(t, db.AddAttachment(ctx, a), "the same file again does nothing")
	files, err := db.Attachments(ctx, id, task.ID)
	require.NoError(t, err)
	require.Len(t, files, 1)
	require.Equal(t, len(scan), files[0].Size)

	for _, action := range []string{"claim", "complete.submit_proposal"} {
		_, err := db.AppendAudit(ctx, cycle.AuditRecord{ActorID: "ca.522b", Action: action, Object: postgres.TaskObject(id, task.ID), Outcome: "ok"})
		require.NoError(t, err)
	}
	_, err = db.AppendAudit(ctx, cycle.AuditRecord{ActorID: "ca.522b", Action: "download", Object: "other", Outcome: "ok"})
	require.NoError(t, err)
	hist, err := db.TaskHistory(ctx, id, task.ID)
	require.NoError(t, err)
	require.Len(t, hist, 2)
	require.Equal(t, "complete.submit_proposal", hist[1].Action)
}

// A head delegates his signature to a deputy for a period; the deputy's
// account carries its title; a delegation can be revoked.
func TestDelegationsAndAccountDetails(t *testing.T) {
	t.Parallel()
	db := newTestDB(t)
	ctx := context.Background()
	head := cycle.Account{ID: "truongban", Name: "Trần Văn Minh", Role: cycle.RoleSigner, Title: "TRƯỞNG BAN", Email: "tb@bcd.test"}
	deputy := cycle.Account{ID: "photruongban", Name: "Lê Văn Phó", Role: cycle.RoleSigner, Title: "PHÓ TRƯỞNG BAN", Notify: cycle.NotifyDigest}
	for _, a := range []cycle.Account{head, deputy} {
		require.NoError(t, db.CreateAccount(ctx, a, []byte("$2a$10$hash")))
	}
	got, _, err := db.AccountCredentials(ctx, "photruongban")
	require.NoError(t, err)
	require.Equal(t, "PHÓ TRƯỞNG BAN", got.Title)
	require.Equal(t, cycle.NotifyDigest, got.Notify)
	require.Nil(t, got.LastSignIn)
	require.NoError(t, db.SignedIn(ctx, "photruongban", t0))
	got.Webhook = "https://sms.gateway.test/hook"
	require.NoError(t, db.UpdateAccount(ctx, got))
	got2, _, err := db.AccountCredentials(ctx, "photruongban")
	require.NoError(t, err)
	require.Equal(t, "https://sms.gateway.test/hook", got2.Webhook)
	require.NotNil(t, got2.LastSignIn)
	require.True(t, got2.LastSignIn.Equal(t0))
	bad := got2
	bad.Email = "not-an-address"
	requireCode(t, cycle.EINVALID, db.UpdateAccount(ctx, bad))
	requireCode(t, cycle.ENOTFOUND, db.UpdateAccount(ctx, cycle.Account{ID: "nobody"}))

	_, err = db.AddDelegation(ctx, cycle.Delegation{From: "truongban", To: "truongban", Title: "X", FromDate: cycle.D(2027, 1, 1), ToDate: cycle.D(2027, 1, 31)})
	requireCode(t, cycle.EINVALID, err)
	_, err = db.AddDelegation(ctx, cycle.Delegation{From: "truongban", To: "photruongban", Title: "PHÓ TRƯỞNG BAN", FromDate: cycle.D(2027, 2, 1), ToDate: cycle.D(2027, 1, 1)})
	requireCode(t, cycle.EINVALID, err)
	id, err := db.AddDelegation(ctx, cycle.Delegation{From: "truongban", To: "photruongban", Title: "PHÓ TRƯỞNG BAN",
		FromDate: cycle.D(2027, 1, 10), ToDate: cycle.D(2027, 1, 20), CreatedBy: "admin", CreatedAt: t0})
	require.NoError(t, err)
	ds, err := db.Delegations(ctx, "photruongban")
	require.NoError(t, err)
	require.Len(t, ds, 1)
	require.True(t, ds[0].Covers(cycle.D(2027, 1, 15)))
	require.False(t, ds[0].Covers(cycle.D(2027, 1, 21)))
	require.NoError(t, db.RevokeDelegation(ctx, id, t0))
	requireCode(t, cycle.ENOTFOUND, db.RevokeDelegation(ctx, id, t0))
	ds, err = db.Delegations(ctx, "")
	require.NoError(t, err)
	require.False(t, ds[0].Covers(cycle.D(2027, 1, 15)), "a revoked delegation covers no day")

	// A new sign-in may end the account's other sessions.
	now := time.Now()
	a1, a2 := sha256.Sum256([]byte("one")), sha256.Sum256([]byte("two"))
	require.NoError(t, db.CreateSession(ctx, a1[:], "truongban", now, now.Add(time.Hour), ""))
	require.NoError(t, db.CreateSession(ctx, a2[:], "truongban", now, now.Add(time.Hour), ""))
	require.NoError(t, db.EndOtherSessions(ctx, "truongban", a2[:]))
	_, err = db.SessionByToken(ctx, a1[:], now)
	requireCode(t, cycle.ENOTFOUND, err)
	s, err := db.SessionByToken(ctx, a2[:], now)
	require.NoError(t, err)
	require.Equal(t, "TRƯỞNG BAN", s.Account.Title)
}

func hexOf(b []byte) string { return fmt.Sprintf("%x", b) }
