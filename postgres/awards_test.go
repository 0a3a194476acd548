package postgres_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"chuyenhoa/cycle"
)

var _ cycle.AwardStore = (*testDB)(nil)

func withAwardRound(tb testing.TB, db *testDB) string {
	tb.Helper()
	ctx := context.Background()
	require.NoError(tb, db.SaveProvince(ctx, quangNgai(), issuer()))
	info := cycle.CycleInfo{ID: "awards/51/2027", Province: "51", Year: 2027, Policy: cycle.DefaultPolicy(), StartedBy: secretariat, StartedAt: t0}
	require.NoError(tb, db.OpenCycle(ctx, info))
	return info.ID
}

func nominationRecord(round, unit, rid string, rev int, names ...string) cycle.NominationRecord {
	r := cycle.NominationRecord{RoundID: round, Unit: unit, Revision: rev, RequestID: rid, Actor: cycle.Actor{ID: "ca." + unit, Role: cycle.RoleDistrictOfficer, District: unit}, At: t0}
	for i, n := range names {
		r.Nominations = append(r.Nominations, cycle.Nomination{ID: unit + "/" + string(rune('1'+i)), Unit: unit, Kind: cycle.NomineeIndividual, Name: n, Achievements: "Thành tích"})
	}
	return r
}

func TestRecordNominationsRevisions(t *testing.T) {
	t.Parallel()
	db := newTestDB(t)
	ctx := context.Background()
	round := withAwardRound(t, db)

	require.NoError(t, db.RecordNominations(ctx, nominationRecord(round, "522", "n1", 1, "Nguyễn Văn A", "Lê Thị B")))
	require.NoError(t, db.RecordNominations(ctx, nominationRecord(round, "522", "n1", 1, "Nguyễn Văn A", "Lê Thị B")), "a retry does nothing")
	require.NoError(t, db.RecordNominations(ctx, nominationRecord(round, "524", "m1", 1, "Trần Văn C")))
	require.NoError(t, db.RecordNominations(ctx, nominationRecord(round, "522", "n2", 2, "Phạm Văn D")))
	requireCode(t, cycle.ECONFLICT, db.RecordNominations(ctx, nominationRecord(round, "522", "n3", 5, "X")))
	requireCode(t, cycle.ENOTFOUND, db.RecordNominations(ctx, nominationRecord("awards/51/1999", "522", "z", 1, "X")))

	require.Equal(t, 3, db.count(t, `SELECT count(*) FROM award_nominations WHERE round_id = $1`, round), "both revisions of 522 kept")
	cur, err := db.Nominations(ctx, round)
	require.NoError(t, err)
	require.Len(t, cur, 2)
	require.Equal(t, "522", cur[0].Unit)
	require.Equal(t, 2, cur[0].Revision)
	require.Equal(t, "Phạm Văn D", cur[0].Nominations[0].Name)
	require.Equal(t, "524", cur[1].Unit)
}

// Two workers recording the same request at once leave one row.
func TestRecordNominationsConcurrentRetry(t *testing.T) {
	t.Parallel()
	db := newTestDB(t)
	ctx := context.Background()
	round := withAwardRound(t, db)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			errs[i] = db.RecordNominations(ctx, nominationRecord(round, "522", "same", 1, "Nguyễn Văn A"))
		}(i)
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	require.Equal(t, 1, db.count(t, `SELECT count(*) FROM award_nominations WHERE round_id = $1`, round))
}

func TestRecordAwardReviewOnce(t *testing.T) {
	t.Parallel()
	db := newTestDB(t)
	ctx := context.Background()
	round := withAwardRound(t, db)
	rec := cycle.AwardReviewRecord{RoundID: round, RequestID: "r1", Actor: cycle.Actor{ID: "hd", Role: cycle.RoleCouncilChair}, At: t0,
		Review: cycle.AwardReview{Accepted: []string{"522/1"}, Minutes: "Biên bản"}}
	require.NoError(t, db.RecordAwardReview(ctx, rec))
	require.NoError(t, db.RecordAwardReview(ctx, rec), "a retry does nothing")
	rec.RequestID = "r2"
	requireCode(t, cycle.ECONFLICT, db.RecordAwardReview(ctx, rec))
	require.Equal(t, `["522/1"]`, db.string(t, `SELECT review->>'accepted' FROM award_reviews WHERE round_id = $1`, round))
}

// An award decision is numbered in its issuing body's own register (the
// People's Committee's, 003), apart from the steering committee's.
func TestAwardDecisionNumbering(t *testing.T) {
	t.Parallel()
	db := newTestDB(t)
	ctx := context.Background()
	round := withAwardRound(t, db)
	cyc := "cycle/51/2027"
	require.NoError(t, db.OpenCycle(ctx, cycle.CycleInfo{ID: cyc, Province: "51", Year: 2027, Policy: cycle.DefaultPolicy(), StartedBy: secretariat, StartedAt: t0}))
	approval := cycle.Decision{ID: cyc + "/approval", CycleID: cyc, Kind: "approval", BodyKey: "51-BCD138", Year: 2027, Date: cycle.D(2027, time.January, 20)}
	award := cycle.Decision{ID: round + "/award", CycleID: round, Kind: "award", BodyKey: "51-UBND", Year: 2027, Date: cycle.D(2027, time.November, 20)}
	n, err := db.AssignNumber(ctx, approval)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	n, err = db.AssignNumber(ctx, award)
	require.NoError(t, err)
	require.Equal(t, 1, n, "number 1 of the UBND's register")
	n, err = db.AssignNumber(ctx, award)
	require.NoError(t, err)
	require.Equal(t, 1, n, "a retried issue keeps its number")
	award.Number, award.Code = 1, "1/QĐ-UBND"
	award.SHA256, err = db.PutBlob(ctx, []byte("%PDF-1.3 award"))
	require.NoError(t, err)
	require.NoError(t, db.SaveDecision(ctx, award))
}
