package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"chuyenhoa/cycle"
)

// The gauges' figures: open and overdue tasks by province and kind,
// deliveries by channel and status, archived documents by province and kind.
func TestCounts(t *testing.T) {
	t.Parallel()
	db := newTestDB(t)
	ctx := context.Background()
	today := cycle.D(2027, time.January, 12)

	empty, err := db.Counts(ctx, today)
	require.NoError(t, err)
	require.Equal(t, cycle.Counts{}, empty, "an empty store counts nothing")

	qn := withCycle(t, db) // province 51
	tn := cycle.Province{Code: "72", Name: "Tỉnh Tây Ninh",
		Districts: []cycle.District{{Code: "703", Name: "Thành phố Tây Ninh"}},
		Communes:  []cycle.Commune{{Code: "25459", Name: "Phường 1", Kind: cycle.KindPhuong, District: "703"}}}
	require.NoError(t, db.SaveProvince(ctx, tn, cycle.Issuer{BodyKey: "72-BCD138", NumberSuffix: "QĐ-BCĐ"}))
	tnCycle := cycle.CycleInfo{ID: "cycle/72/2027", Province: "72", Year: 2027, Policy: cycle.DefaultPolicy(), StartedBy: secretariat, StartedAt: t0}
	require.NoError(t, db.OpenCycle(ctx, tnCycle))

	task := func(cycleID string, kind cycle.TaskKind, unit string, due cycle.Date) cycle.Task {
		return cycle.Task{ID: cycle.TaskID(kind, unit), CycleID: cycleID, Kind: kind, Role: cycle.RoleFor(kind),
			District: unit, Title: string(kind), Due: due, Opened: cycle.D(2026, 12, 1)}
	}
	for _, tk := range []cycle.Task{
		task(qn, cycle.TaskSubmitProposal, "522", cycle.D(2027, 1, 11)),        // overdue: due yesterday
		task(qn, cycle.TaskSubmitProposal, "524", today),                       // due today: not overdue yet
		task(qn, cycle.TaskConsolidate, "", cycle.D(2026, 12, 30)),             // overdue
		task(qn, cycle.TaskAppraise, "", cycle.D(2026, 12, 1)),                 // closed below: not counted
		task(qn, cycle.TaskSign, "", cycle.Date{}),                             // no due date: never overdue
		task(tnCycle.ID, cycle.TaskSubmitProposal, "703", cycle.D(2027, 2, 1)), // another province, on time
	} {
		require.NoError(t, db.OpenTask(ctx, tk))
	}
	require.NoError(t, db.CloseTask(ctx, qn, cycle.TaskID(cycle.TaskAppraise, ""), "không cần", t0))

	// Two archived documents of 51 (an approval and a notice), one of 72;
	// a numbered decision that was never archived is not counted.
	pdf := []byte("%PDF-1.4 bytes")
	issue := func(cycleID, id, body, kind string) {
		d := decision(cycleID, id, body, 2027)
		d.Kind = kind
		n, err := db.AssignNumber(ctx, d)
		require.NoError(t, err)
		a := archived(id, n, pdf)
		a.Kind, a.BodyKey = kind, body
		_, err = db.PutBlob(ctx, pdf)
		require.NoError(t, err)
		require.NoError(t, db.ArchiveDocument(ctx, a))
	}
	issue(qn, "d1", "51-BCD138", "approval")
	issue(qn, "d2", "51-BCD138", "continuation")
	issue(tnCycle.ID, "d3", "72-BCD138", "approval")
	_, err = db.AssignNumber(ctx, decision(qn, "d4", "51-BCD138", 2027))
	require.NoError(t, err)

	// Deliveries of d1: one sent by SMTP, one failed by SMTP, one pending by file.
	require.NoError(t, db.PlanDeliveries(ctx, "d1", []cycle.DeliveryTarget{
		{Key: "tinh", Channel: cycle.ChannelSMTP, Address: "vt@tinh.test"},
		{Key: "huyen", Channel: cycle.ChannelSMTP, Address: "vt@huyen.test"},
		{Key: "v01", Channel: cycle.ChannelFile, Address: "/srv/v01"},
	}, t0))
	for key, outcome := range map[string]cycle.DeliveryStatus{"tinh": cycle.DeliverySent, "huyen": cycle.DeliveryFailed} {
		_, ok, err := db.ClaimDelivery(ctx, "d1", key, "a-"+key, "m@x", t0)
		require.NoError(t, err)
		require.True(t, ok)
		require.NoError(t, db.FinishDelivery(ctx, "d1", key, "a-"+key, outcome, "451 try later", t0))
	}

	got, err := db.Counts(ctx, today)
	require.NoError(t, err)
	require.Equal(t, cycle.Counts{
		Tasks: []cycle.TaskCount{
			{Province: "51", Kind: cycle.TaskConsolidate, Open: 1, Overdue: 1},
			{Province: "51", Kind: cycle.TaskSign, Open: 1, Overdue: 0},
			{Province: "51", Kind: cycle.TaskSubmitProposal, Open: 2, Overdue: 1},
			{Province: "72", Kind: cycle.TaskSubmitProposal, Open: 1, Overdue: 0},
		},
		Deliveries: []cycle.DeliveryCount{
			{Channel: "file", Status: "pending", N: 1},
			{Channel: "smtp", Status: "failed", N: 1},
			{Channel: "smtp", Status: "sent", N: 1},
		},
		Documents: []cycle.DocumentCount{
			{Province: "51", Kind: "approval", N: 1},
			{Province: "51", Kind: "continuation", N: 1},
			{Province: "72", Kind: "approval", N: 1},
		},
	}, got)

	// A month later the 72 task is overdue too; the figures move with today.
	got, err = db.Counts(ctx, cycle.D(2027, time.February, 2))
	require.NoError(t, err)
	require.Equal(t, cycle.TaskCount{Province: "72", Kind: cycle.TaskSubmitProposal, Open: 1, Overdue: 1}, got.Tasks[3])
	require.Equal(t, cycle.TaskCount{Province: "51", Kind: cycle.TaskSubmitProposal, Open: 2, Overdue: 2}, got.Tasks[2])
}

func TestCountsRefusesAndTimesOut(t *testing.T) {
	t.Parallel()
	db := newTestDB(t)
	_, err := db.Counts(context.Background(), cycle.Date{})
	requireCode(t, cycle.EINVALID, err)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = db.Counts(ctx, cycle.D(2027, 1, 1))
	require.ErrorIs(t, err, context.Canceled, "a scrape's deadline stops the queries")
	require.ErrorIs(t, db.Ping(ctx), context.Canceled)
	require.NoError(t, db.Ping(context.Background()))
}
