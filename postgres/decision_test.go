package postgres_test

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"chuyenhoa/cycle"
	"chuyenhoa/postgres"
)

func decision(cycleID, id, body string, year int) cycle.Decision {
	return cycle.Decision{ID: id, CycleID: cycleID, Kind: "approval", BodyKey: body, Year: year, Date: cycle.D(year, time.January, 28)}
}

func TestAssignNumberConcurrent(t *testing.T) {
	t.Parallel()
	db := newTestDB(t)
	postgres.SetMaxOpenConns(db.DB, 20)
	ctx := context.Background()
	id := withCycle(t, db)

	// 50 decisions, each numbered by two racing attempts (an activity and
	// its retry), all at once.
	const decisions, attempts = 50, 2
	type result struct {
		id     string
		number int
		err    error
	}
	results := make(chan result, decisions*attempts)
	var start, done sync.WaitGroup
	start.Add(1)
	for i := range decisions {
		for range attempts {
			done.Add(1)
			go func() {
				defer done.Done()
				d := decision(id, fmt.Sprintf("%s/decision/%02d", id, i), "51-BCD138", 2027)
				start.Wait()
				n, err := db.AssignNumber(ctx, d)
				results <- result{d.ID, n, err}
			}()
		}
	}
	start.Done()
	done.Wait()
	close(results)

	byID := map[string]int{}
	for r := range results {
		require.NoError(t, r.err)
		if n, ok := byID[r.id]; ok {
			require.Equal(t, n, r.number, "%s numbered twice differently", r.id)
		}
		byID[r.id] = r.number
	}
	require.Len(t, byID, decisions)
	var numbers []int
	for _, n := range byID {
		numbers = append(numbers, n)
	}
	sort.Ints(numbers)
	for i, n := range numbers {
		require.Equal(t, i+1, n, "numbers must run 1..%d without gaps or repeats: %v", decisions, numbers)
	}

	// Later retries get the same numbers, and the register is where it was.
	for decisionID, want := range byID {
		n, err := db.AssignNumber(ctx, decision(id, decisionID, "51-BCD138", 2027))
		require.NoError(t, err)
		require.Equal(t, want, n)
	}
	require.Equal(t, decisions, db.count(t, `SELECT last_number FROM decision_register WHERE body_key = '51-BCD138' AND year = 2027`))
	require.Equal(t, decisions, db.count(t, `SELECT count(*) FROM decisions`))
}

func TestAssignNumberRegisters(t *testing.T) {
	t.Parallel()
	db := newTestDB(t)
	ctx := context.Background()
	id := withCycle(t, db)

	// Each (body, year) register counts on its own.
	steps := []struct {
		id, body string
		year     int
		want     int
	}{
		{"d1", "51-BCD138", 2027, 1},
		{"d2", "51-BCD138", 2027, 2},
		{"d3", "51-BCD138", 2028, 1},
		{"d4", "51-UBND", 2027, 1},
		{"d1", "51-BCD138", 2027, 1},
		{"d5", "51-BCD138", 2028, 2},
		{"d6", "51-BCD138", 2027, 3},
	}
	for _, s := range steps {
		n, err := db.AssignNumber(ctx, decision(id, s.id, s.body, s.year))
		require.NoError(t, err, s.id)
		require.Equal(t, s.want, n, "%s in %s/%d", s.id, s.body, s.year)
	}

	// An ID numbered in one register cannot be numbered in another.
	_, err := db.AssignNumber(ctx, decision(id, "d1", "51-UBND", 2027))
	requireCode(t, cycle.ECONFLICT, err)
	_, err = db.AssignNumber(ctx, decision(id, "d7", "", 2027))
	requireCode(t, cycle.EINVALID, err)

	// A failed assignment leaves no gap.
	_, err = db.AssignNumber(ctx, decision("cycle/00/2027", "d8", "51-BCD138", 2027))
	requireCode(t, cycle.ENOTFOUND, err)
	n, err := db.AssignNumber(ctx, decision(id, "d9", "51-BCD138", 2027))
	require.NoError(t, err)
	require.Equal(t, 4, n)
}

func TestSaveDecision(t *testing.T) {
	t.Parallel()
	db := newTestDB(t)
	ctx := context.Background()
	id := withCycle(t, db)

	d := decision(id, id+"/approval", "51-BCD138", 2027)
	_, err := db.DecisionPDF(ctx, d.ID)
	requireCode(t, cycle.ENOTFOUND, err)
	requireCode(t, cycle.ENOTFOUND, db.SaveDecision(ctx, d)) // not numbered yet

	n, err := db.AssignNumber(ctx, d)
	require.NoError(t, err)
	_, err = db.DecisionPDF(ctx, d.ID)
	requireCode(t, cycle.ENOTFOUND, err)

	d.Number, d.Code = n, fmt.Sprintf("%d/QĐ-BCĐ", n)
	d.SignedBy = cycle.Actor{ID: "truong-ban", Name: "Đặng Văn Minh", Role: cycle.RoleSigner}
	d.IssuedBy = clerk
	d.IssuedAt = t0.Add(30 * 24 * time.Hour)
	d.Communes = []cycle.ListedCommune{{Commune: "21016", Name: "Phường Quảng Phú", District: "522", DistrictName: "Thành phố Quảng Ngãi", Types: cycle.Types{1, 3, 4}, Rank: 1}}
	pdf := []byte("%PDF-1.4\n\x00\x01\xff binary\n%%EOF")
	d.SHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	requireCode(t, cycle.ENOTFOUND, db.SaveDecision(ctx, d)) // no such PDF stored
	d.SHA256, err = db.PutBlob(ctx, pdf)
	require.NoError(t, err)
	again, err := db.PutBlob(ctx, pdf)
	require.NoError(t, err)
	require.Equal(t, d.SHA256, again, "the same bytes are stored once, under their hash")

	require.NoError(t, db.SaveDecision(ctx, d))
	require.NoError(t, db.SaveDecision(ctx, d), "retry")
	got, err := db.DecisionPDF(ctx, d.ID)
	require.NoError(t, err)
	require.Equal(t, pdf, got)
	list, err := db.Decisions(ctx, id)
	require.NoError(t, err)
	require.Equal(t, []cycle.Decision{d}, list)

	// Without a PDF's hash the stored one stays; the number never changes.
	noPDF := d
	noPDF.SHA256 = ""
	require.NoError(t, db.SaveDecision(ctx, noPDF))
	got, err = db.DecisionPDF(ctx, d.ID)
	require.NoError(t, err)
	require.Equal(t, pdf, got)
	renumbered := d
	renumbered.Number = n + 1
	requireCode(t, cycle.ECONFLICT, db.SaveDecision(ctx, renumbered))
	moved := d
	moved.Year = 2028
	requireCode(t, cycle.ECONFLICT, db.SaveDecision(ctx, moved))
	list, err = db.Decisions(ctx, id)
	require.NoError(t, err)
	require.Equal(t, []cycle.Decision{d}, list)
}
