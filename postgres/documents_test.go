package postgres_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"chuyenhoa/cycle"
	"chuyenhoa/postgres"
)

var _ cycle.ArchiveStore = (*postgres.DB)(nil)

func TestVoidKeepsTheNumber(t *testing.T) {
	t.Parallel()
	db := newTestDB(t)
	ctx := context.Background()
	id := withCycle(t, db)

	for i := 1; i <= 3; i++ {
		n, err := db.AssignNumber(ctx, decision(id, fmt.Sprintf("d%d", i), "51-BCD138", 2027))
		require.NoError(t, err)
		require.Equal(t, i, n)
	}
	requireCode(t, cycle.EINVALID, db.VoidDecision(ctx, "d2", "  ", clerk, t0))
	requireCode(t, cycle.ENOTFOUND, db.VoidDecision(ctx, "nosuch", "sai sót", clerk, t0))
	reason := "Sai sót về tên địa bàn tại Điều 1; thay thế bằng quyết định khác"
	require.NoError(t, db.VoidDecision(ctx, "d2", reason, clerk, t0))
	require.NoError(t, db.VoidDecision(ctx, "d2", reason, clerk, t0.Add(time.Hour)), "retry with the same reason")
	requireCode(t, cycle.ECONFLICT, db.VoidDecision(ctx, "d2", "another reason", clerk, t0))

	v, voided, err := db.DecisionVoid(ctx, "d2")
	require.NoError(t, err)
	require.True(t, voided)
	require.Equal(t, cycle.Void{Number: 2, At: t0, Reason: reason, By: clerk}, v)
	_, voided, err = db.DecisionVoid(ctx, "d1")
	require.NoError(t, err)
	require.False(t, voided)

	// The voided decision keeps number 2: a retry gets it back, and the
	// next decision takes 4, not 2.
	n, err := db.AssignNumber(ctx, decision(id, "d2", "51-BCD138", 2027))
	require.NoError(t, err)
	require.Equal(t, 2, n)
	n, err = db.AssignNumber(ctx, decision(id, "d4", "51-BCD138", 2027))
	require.NoError(t, err)
	require.Equal(t, 4, n)
	list, err := db.Decisions(ctx, id)
	require.NoError(t, err)
	require.Len(t, list, 4)
}

func archived(id string, number int, pdf []byte) cycle.ArchivedDocument {
	sum := sha256.Sum256(pdf)
	return cycle.ArchivedDocument{ID: id, Kind: "approval", Code: fmt.Sprintf("%d/QĐ-BCĐ", number), BodyKey: "51-BCD138", Year: 2027, Number: number,
		Date: time.Date(2027, 1, 28, 0, 0, 0, 0, time.UTC), Subject: "Về việc phê duyệt danh sách", SHA256: hex.EncodeToString(sum[:]), Size: len(pdf),
		Signer: "CN=Trần Văn Minh", SealedBy: "CN=Ban Chỉ đạo 138", Signatures: 2, SignedAt: t0,
		Recipients: []string{"Như Điều 3;", "Lưu: VT, CAT."}}
}

func TestArchiveIsWriteOnce(t *testing.T) {
	t.Parallel()
	db := newTestDB(t)
	ctx := context.Background()
	id := withCycle(t, db)
	pdf := []byte("%PDF-1.4 signed bytes")

	requireCode(t, cycle.ENOTFOUND, db.ArchiveDocument(ctx, archived("d1", 1, pdf))) // no number yet
	n, err := db.AssignNumber(ctx, decision(id, "d1", "51-BCD138", 2027))
	require.NoError(t, err)
	requireCode(t, cycle.ECONFLICT, db.ArchiveDocument(ctx, archived("d1", n+1, pdf))) // not the register's number
	a := archived("d1", n, pdf)
	requireCode(t, cycle.ENOTFOUND, db.ArchiveDocument(ctx, a)) // its bytes are not stored
	_, err = db.PutBlob(ctx, pdf)
	require.NoError(t, err)
	require.NoError(t, db.ArchiveDocument(ctx, a))
	require.NoError(t, db.ArchiveDocument(ctx, a), "retry")
	other := []byte("%PDF-1.4 other bytes")
	_, err = db.PutBlob(ctx, other)
	require.NoError(t, err)
	requireCode(t, cycle.ECONFLICT, db.ArchiveDocument(ctx, archived("d1", n, other)))

	got, gotPDF, err := db.ArchivedDocument(ctx, "d1")
	require.NoError(t, err)
	require.Equal(t, pdf, gotPDF)
	require.False(t, got.ArchivedAt.IsZero())
	a.ArchivedAt = got.ArchivedAt
	require.Equal(t, a, got)
	list, err := db.ArchivedDocuments(ctx, 2027)
	require.NoError(t, err)
	require.Equal(t, []cycle.ArchivedDocument{a}, list)
	list, err = db.ArchivedDocuments(ctx, 2026)
	require.NoError(t, err)
	require.Empty(t, list)
	_, _, err = db.ArchivedDocument(ctx, "d2")
	requireCode(t, cycle.ENOTFOUND, err)

	// Under the store, the table refuses changes.
	_, err = db.raw.Exec(`UPDATE archived_documents SET sha256 = repeat('0', 64)`)
	require.ErrorContains(t, err, "write-once")
}

func TestDeliveriesAtMostOnce(t *testing.T) {
	t.Parallel()
	db := newTestDB(t)
	ctx := context.Background()
	id := withCycle(t, db)
	_, err := db.AssignNumber(ctx, decision(id, "d1", "51-BCD138", 2027))
	require.NoError(t, err)
	targets := []cycle.DeliveryTarget{
		{Key: "tinh", Label: "Thường trực Tỉnh ủy;", Channel: cycle.ChannelSMTP, Address: "vt@tinh.test"},
		{Key: "v01", Label: "Bộ Công an (V01);", Channel: cycle.ChannelFile, Address: "/srv/v01"},
	}
	require.NoError(t, db.PlanDeliveries(ctx, "d1", targets, t0))
	require.NoError(t, db.PlanDeliveries(ctx, "d1", targets, t0.Add(time.Hour)), "retry")

	// Attempt 1 fails before the hand-over; attempt 2 may send; it is sent.
	rec, ok, err := db.ClaimDelivery(ctx, "d1", "tinh", "a1", "m@x", t0)
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, cycle.DeliverySending, rec.Status)
	require.NoError(t, db.FinishDelivery(ctx, "d1", "tinh", "a1", cycle.DeliveryFailed, "451 try later", t0))
	rec, ok, err = db.ClaimDelivery(ctx, "d1", "tinh", "a2", "m@x", t0)
	require.NoError(t, err)
	require.True(t, ok, "a failed delivery may be retried")
	require.Equal(t, 2, rec.Attempts)
	requireCode(t, cycle.ECONFLICT, db.FinishDelivery(ctx, "d1", "tinh", "a1", cycle.DeliverySent, "", t0)) // not a1's any more
	require.NoError(t, db.FinishDelivery(ctx, "d1", "tinh", "a2", cycle.DeliverySent, "", t0.Add(time.Minute)))
	rec, ok, err = db.ClaimDelivery(ctx, "d1", "tinh", "a3", "m@x", t0)
	require.NoError(t, err)
	require.False(t, ok, "a sent delivery is not sent again")
	require.Equal(t, cycle.DeliverySent, rec.Status)

	// An attempt dies after claiming: the next one must not send.
	_, ok, err = db.ClaimDelivery(ctx, "d1", "v01", "b1", "m2@x", t0)
	require.NoError(t, err)
	require.True(t, ok)
	_, ok, err = db.ClaimDelivery(ctx, "d1", "v01", "b2", "m2@x", t0)
	requireCode(t, cycle.ECONFLICT, err)
	require.False(t, ok)
	_, ok, err = db.ClaimDelivery(ctx, "d1", "v01", "b3", "m2@x", t0)
	requireCode(t, cycle.ECONFLICT, err)
	require.False(t, ok)

	recs, err := db.Deliveries(ctx, "d1")
	require.NoError(t, err)
	for _, r := range recs {
		if r.Key == "v01" {
			require.Equal(t, cycle.DeliveryUnknown, r.Status)
			require.Contains(t, r.LastError, "b1")
		}
	}

	// The silent attempt b1 was only slow: its late report of success
	// resolves the unknown delivery; b2 cannot report on it.
	requireCode(t, cycle.ECONFLICT, db.FinishDelivery(ctx, "d1", "v01", "b2", cycle.DeliverySent, "", t0))
	require.NoError(t, db.FinishDelivery(ctx, "d1", "v01", "b1", cycle.DeliverySent, "", t0.Add(time.Minute)))
	_, ok, err = db.ClaimDelivery(ctx, "d1", "v01", "b4", "m2@x", t0)
	require.NoError(t, err)
	require.False(t, ok, "sent")

	_, _, err = db.ClaimDelivery(ctx, "d1", "nosuch", "c1", "", t0)
	requireCode(t, cycle.ENOTFOUND, err)

	recs, err = db.Deliveries(ctx, "d1")
	require.NoError(t, err)
	require.Len(t, recs, 2)
	byKey := map[string]cycle.DeliveryRecord{}
	for _, r := range recs {
		byKey[r.Key] = r
	}
	require.Equal(t, cycle.DeliverySent, byKey["tinh"].Status)
	require.NotNil(t, byKey["tinh"].SentAt)
	require.Equal(t, cycle.DeliverySent, byKey["v01"].Status)
}

// Concurrent claims of one delivery: exactly one attempt may send.
func TestDeliveryClaimsRace(t *testing.T) {
	t.Parallel()
	db := newTestDB(t)
	postgres.SetMaxOpenConns(db.DB, 10)
	ctx := context.Background()
	id := withCycle(t, db)
	_, err := db.AssignNumber(ctx, decision(id, "d1", "51-BCD138", 2027))
	require.NoError(t, err)
	require.NoError(t, db.PlanDeliveries(ctx, "d1", []cycle.DeliveryTarget{{Key: "k", Channel: cycle.ChannelSMTP, Address: "a@b.test"}}, t0))
	var wg sync.WaitGroup
	var mu sync.Mutex
	var winners []string
	for i := range 10 {
		wg.Go(func() {
			attempt := fmt.Sprint("a", i)
			_, ok, err := db.ClaimDelivery(ctx, "d1", "k", attempt, "m", t0)
			if err == nil && ok {
				mu.Lock()
				winners = append(winners, attempt)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	sort.Strings(winners)
	require.Len(t, winners, 1, "winners: %v", winners)
}
