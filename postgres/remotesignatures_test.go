package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"chuyenhoa/cycle"
)

// A remote-signing request saved by one server process is found by
// another on the same database, for its account's polls, until deleted.
func TestRemoteSignaturesAcrossProcesses(t *testing.T) {
	ctx := context.Background()
	one := newTestDB(t)
	require.NoError(t, one.CreateAccount(ctx, cycle.Account{ID: "truongban", Name: "Trần Văn Minh", Role: cycle.RoleSigner}, []byte("$2a$10$hash")))
	other := newTestDBOn(t, one.dsn)

	_, err := other.RemoteSignature(ctx, "tx-1")
	require.Equal(t, cycle.ENOTFOUND, cycle.ErrorCode(err))
	exp := time.Date(2027, 3, 20, 9, 30, 0, 0, time.UTC)
	r := cycle.RemoteSignature{ID: "tx-1", Account: "truongban", CycleID: "cycle-51-2027", TaskID: "sign", Ticket: []byte(`{"id":"tx-1","via":"remote"}`), Expires: exp}
	require.NoError(t, one.SaveRemoteSignature(ctx, r))
	got, err := other.RemoteSignature(ctx, "tx-1")
	require.NoError(t, err)
	require.Equal(t, r, got)

	require.NoError(t, other.DeleteRemoteSignature(ctx, "tx-1"))
	_, err = one.RemoteSignature(ctx, "tx-1")
	require.Equal(t, cycle.ENOTFOUND, cycle.ErrorCode(err))
	require.NoError(t, one.DeleteRemoteSignature(ctx, "tx-1"), "deleting again does nothing")
}
