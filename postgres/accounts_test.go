package postgres_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"chuyenhoa/cycle"
	"chuyenhoa/postgres"
)

func TestAccountsAndSessions(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	officer := cycle.Account{ID: "ca.522", Name: "Nguyễn Văn A", Role: cycle.RoleDistrictOfficer, District: "522"}
	require.NoError(t, db.CreateAccount(ctx, officer, []byte("$2a$10$hash")))
	require.Equal(t, cycle.ECONFLICT, cycle.ErrorCode(db.CreateAccount(ctx, officer, []byte("x"))))

	for _, bad := range []cycle.Account{
		{ID: "ca.x", Role: cycle.RoleDistrictOfficer},                // officer without a unit
		{ID: "cat.tt", Role: cycle.RoleSecretariat, District: "522"}, // unit for a non-officer
		{ID: "x", Role: "superuser"},                                 // unknown role
		{ID: "", Role: cycle.RoleClerk},                              // no ID
		{ID: "có dấu", Role: cycle.RoleClerk},                        // refused by the table's check
	} {
		require.Equal(t, cycle.EINVALID, cycle.ErrorCode(db.CreateAccount(ctx, bad, []byte("x"))), "%+v", bad)
	}

	a, hash, err := db.AccountCredentials(ctx, "ca.522")
	require.NoError(t, err)
	require.Equal(t, "$2a$10$hash", string(hash))
	require.Equal(t, "522", a.District)
	require.Equal(t, cycle.Actor{ID: "ca.522", Name: "Nguyễn Văn A", Role: cycle.RoleDistrictOfficer, District: "522"}, a.Actor())
	_, _, err = db.AccountCredentials(ctx, "nobody")
	require.Equal(t, cycle.ENOTFOUND, cycle.ErrorCode(err))

	now := time.Now()
	tok := sha256.Sum256([]byte("token"))
	require.NoError(t, db.CreateSession(ctx, tok[:], "ca.522", now, now.Add(time.Hour), "127.0.0.1"))
	s, err := db.SessionByToken(ctx, tok[:], now)
	require.NoError(t, err)
	require.Equal(t, "ca.522", s.Account.ID)
	require.WithinDuration(t, now.Add(time.Hour), s.ExpiresAt, time.Millisecond)
	_, err = db.SessionByToken(ctx, tok[:], now.Add(time.Hour+time.Second))
	require.Equal(t, cycle.ENOTFOUND, cycle.ErrorCode(err), "an expired session is not found")
	other := sha256.Sum256([]byte("other"))
	_, err = db.SessionByToken(ctx, other[:], now)
	require.Equal(t, cycle.ENOTFOUND, cycle.ErrorCode(err))

	// Disabling an account ends its sessions; so does a new password.
	require.NoError(t, db.SetAccountDisabled(ctx, "ca.522", true))
	_, err = db.SessionByToken(ctx, tok[:], now)
	require.Equal(t, cycle.ENOTFOUND, cycle.ErrorCode(err))
	require.NoError(t, db.SetAccountDisabled(ctx, "ca.522", false))
	require.NoError(t, db.CreateSession(ctx, tok[:], "ca.522", now, now.Add(time.Hour), ""))
	require.NoError(t, db.SetPassword(ctx, "ca.522", []byte("$2a$10$other")))
	_, err = db.SessionByToken(ctx, tok[:], now)
	require.Equal(t, cycle.ENOTFOUND, cycle.ErrorCode(err))
	require.Equal(t, cycle.ENOTFOUND, cycle.ErrorCode(db.SetAccountDisabled(ctx, "nobody", true)))

	// Sign-out.
	require.NoError(t, db.CreateSession(ctx, tok[:], "ca.522", now, now.Add(time.Hour), ""))
	require.NoError(t, db.DeleteSession(ctx, tok[:]))
	_, err = db.SessionByToken(ctx, tok[:], now)
	require.Equal(t, cycle.ENOTFOUND, cycle.ErrorCode(err))

	list, err := db.Accounts(ctx)
	require.NoError(t, err)
	require.Len(t, list, 1)
}

func TestAuditChainDetectsEdits(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	n, err := db.VerifyAudit(ctx)
	require.NoError(t, err)
	require.Zero(t, n)

	// Concurrent appends get consecutive numbers and one unbroken chain.
	postgres.SetMaxOpenConns(db.DB, 10)
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := db.AppendAudit(ctx, cycle.AuditRecord{ActorID: fmt.Sprintf("ca.%d", i), Action: "sign_in", Outcome: "ok", Remote: "127.0.0.1", Detail: "Đăng nhập"})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	// Text a client sent may be invalid UTF-8 or hold NUL bytes: stored
	// (with replacement characters) and chained all the same.
	odd, err := db.AppendAudit(ctx, cycle.AuditRecord{ActorID: "a\x00b", Action: "sign_in_failed", Outcome: "unauthorized", Detail: "\xff\xfe"})
	require.NoError(t, err)
	require.Equal(t, "a\uFFFDb", odd.ActorID)
	n, err = db.VerifyAudit(ctx)
	require.NoError(t, err)
	require.EqualValues(t, 41, n)
	recent, err := db.RecentAudit(ctx, "", 3)
	require.NoError(t, err)
	require.EqualValues(t, 41, recent[0].Seq)
	require.Equal(t, recent[1].Hash, recent[0].PrevHash)

	// The table refuses edits through the normal path.
	_, err = db.raw.ExecContext(ctx, `UPDATE audit_chain SET detail = 'x' WHERE seq = 7`)
	require.ErrorContains(t, err, "append-only")

	// Someone with the power to switch off the trigger edits row 7: the
	// chain verifies up to row 6 and names row 7.
	tamper := func(stmt string) {
		t.Helper()
		tx, err := db.raw.BeginTx(ctx, nil)
		require.NoError(t, err)
		_, err = tx.ExecContext(ctx, `SET LOCAL session_replication_role = replica`)
		require.NoError(t, err)
		_, err = tx.ExecContext(ctx, stmt)
		require.NoError(t, err)
		require.NoError(t, tx.Commit())
	}
	tamper(`UPDATE audit_chain SET outcome = 'forbidden' WHERE seq = 7`)
	n, err = db.VerifyAudit(ctx)
	var ce *cycle.ChainError
	require.True(t, errors.As(err, &ce), "%v", err)
	require.EqualValues(t, 7, ce.Seq)
	require.EqualValues(t, 6, n)
	require.Contains(t, ce.Reason, "edited")

	// Recomputing row 7's hash does not help: row 8 no longer chains to it.
	rows, err := db.RecentAudit(ctx, "", 41)
	require.NoError(t, err)
	r7 := rows[len(rows)-7]
	require.EqualValues(t, 7, r7.Seq)
	tamper(fmt.Sprintf(`UPDATE audit_chain SET hash = '\x%x' WHERE seq = 7`, postgres.ChainHash(r7)))
	_, err = db.VerifyAudit(ctx)
	require.True(t, errors.As(err, &ce))
	require.EqualValues(t, 8, ce.Seq)

	// A deleted row in the middle, and rows cut off the end.
	db2 := newTestDB(t)
	for i := range 5 {
		_, err := db2.AppendAudit(ctx, cycle.AuditRecord{ActorID: "vt", Action: "download", Outcome: "ok", Object: fmt.Sprint(i)})
		require.NoError(t, err)
	}
	tamper2 := func(stmt string) {
		tx, err := db2.raw.BeginTx(ctx, nil)
		require.NoError(t, err)
		_, err = tx.ExecContext(ctx, `SET LOCAL session_replication_role = replica`)
		require.NoError(t, err)
		_, err = tx.ExecContext(ctx, stmt)
		require.NoError(t, err)
		require.NoError(t, tx.Commit())
	}
	tamper2(`DELETE FROM audit_chain WHERE seq = 5`)
	_, err = db2.VerifyAudit(ctx)
	require.True(t, errors.As(err, &ce))
	require.EqualValues(t, 5, ce.Seq)
	require.Contains(t, ce.Reason, "deleted")
	tamper2(`DELETE FROM audit_chain WHERE seq = 2`)
	_, err = db2.VerifyAudit(ctx)
	require.True(t, errors.As(err, &ce))
	require.EqualValues(t, 2, ce.Seq)
	require.Contains(t, ce.Reason, "missing")
}
