package postgres_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	_ "github.com/lib/pq"
	"github.com/stretchr/testify/require"

	"chuyenhoa/cycle"
	"chuyenhoa/internal/pgtest"
	"chuyenhoa/postgres"
)

// testDB is a store on a fresh, randomly named database, and a plain
// connection to the same database for looking under the store.
type testDB struct {
	*postgres.DB
	raw *sql.DB
	dsn string
}

// newTestDB creates a database chuyenhoa_test_<random>, opens the store on
// it (running the migrations) and drops it when the test ends. It fails the
// test if the server is unreachable, unless SKIP_DB_TESTS=1.
func newTestDB(tb testing.TB) *testDB {
	tb.Helper()
	return newTestDBOn(tb, createDatabase(tb))
}

// newTestDBOn opens the store on an existing test database.
func newTestDBOn(tb testing.TB, dsn string) *testDB {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db, err := postgres.Open(ctx, dsn)
	require.NoError(tb, err, "open the store on the test database")
	tb.Cleanup(func() { db.Close() })
	return &testDB{DB: db, raw: newRaw(tb, dsn), dsn: dsn}
}

// newRaw is a plain connection to a test database, closed when the test ends.
func newRaw(tb testing.TB, dsn string) *sql.DB {
	tb.Helper()
	raw, err := sql.Open("postgres", dsn)
	require.NoError(tb, err)
	tb.Cleanup(func() { raw.Close() })
	return raw
}

// createDatabase creates an empty database and returns its DSN; it is
// dropped when the test ends (see pgtest.CreateDatabase).
func createDatabase(tb testing.TB, locale ...string) string {
	tb.Helper()
	return pgtest.CreateDatabase(tb, locale...)
}

// count returns the number of rows a query counts.
func (db *testDB) count(tb testing.TB, query string, args ...any) int {
	tb.Helper()
	var n int
	require.NoError(tb, db.raw.QueryRow(query, args...).Scan(&n), query)
	return n
}

// string returns the one text value a query selects.
func (db *testDB) string(tb testing.TB, query string, args ...any) string {
	tb.Helper()
	var s string
	require.NoError(tb, db.raw.QueryRow(query, args...).Scan(&s), query)
	return s
}

// requireCode checks that err is a *cycle.Error with the given code.
func requireCode(tb testing.TB, code string, err error) {
	tb.Helper()
	require.Error(tb, err)
	var ce *cycle.Error
	require.True(tb, errors.As(err, &ce), "want a *cycle.Error, got %T: %v", err, err)
	require.Equal(tb, code, ce.Code, "error: %v", err)
}

// Fixtures.

var (
	t0 = time.Date(2026, time.December, 1, 9, 30, 0, 0, time.UTC)

	secretariat = cycle.Actor{ID: "cat-tinh-01", Name: "Nguyễn Văn An", Role: cycle.RoleSecretariat}
	officer522  = cycle.Actor{ID: "ca-tp-qn-01", Name: "Trần Thị Bích", Role: cycle.RoleDistrictOfficer, District: "522"}
	chair       = cycle.Actor{ID: "hd-chu-tich", Name: "Lê Văn Cường", Role: cycle.RoleCouncilChair}
	clerk       = cycle.Actor{ID: "van-thu-01", Name: "Phạm Thị Dung", Role: cycle.RoleClerk}
)

// quangNgai is a small three-tier registry after Quảng Ngãi's (codes and
// names as the statistics office publishes them).
func quangNgai() cycle.Province {
	return cycle.Province{
		Code: "51", Name: "Tỉnh Quảng Ngãi",
		Districts: []cycle.District{{Code: "522", Name: "Thành phố Quảng Ngãi"}, {Code: "524", Name: "Huyện Bình Sơn"}},
		Communes: []cycle.Commune{
			{Code: "21010", Name: "Phường Lê Hồng Phong", Kind: cycle.KindPhuong, District: "522"},
			{Code: "21013", Name: "Phường Trần Phú", Kind: cycle.KindPhuong, District: "522"},
			{Code: "21016", Name: "Phường Quảng Phú", Kind: cycle.KindPhuong, District: "522"},
			{Code: "21019", Name: "Phường Nghĩa Chánh", Kind: cycle.KindPhuong, District: "522"},
			{Code: "21025", Name: "Xã Nghĩa Dũng", Kind: cycle.KindXa, District: "522", NewRural: true},
			{Code: "21052", Name: "Thị trấn Châu Ổ", Kind: cycle.KindThiTran, District: "524"},
			{Code: "21055", Name: "Xã Bình Thuận", Kind: cycle.KindXa, District: "524"},
			{Code: "21058", Name: "Xã Bình Thạnh", Kind: cycle.KindXa, District: "524", NewRural: true},
		},
	}
}

func issuer() cycle.Issuer {
	return cycle.Issuer{
		ParentBody: "UBND TỈNH QUẢNG NGÃI", Body: "BAN CHỈ ĐẠO 138", BodyKey: "51-BCD138", NumberSuffix: "QĐ-BCĐ",
		Place: "Quảng Ngãi", CommitteeName: "Ban Chỉ đạo 138 tỉnh Quảng Ngãi",
		AuthorityLine: "TRƯỞNG BAN CHỈ ĐẠO 138 TỈNH QUẢNG NGÃI", SignerAuthority: "TM. BAN CHỈ ĐẠO",
		SignerTitle: "TRƯỞNG BAN", SignerName: "Đặng Văn Minh", PlanRef: "Kế hoạch số 45/KH-BCĐ ngày 15/4/2021",
	}
}

// withCycle saves the Quảng Ngãi registry and opens the cycle for 2027 on
// it; it returns the cycle's ID.
func withCycle(tb testing.TB, db *testDB) string {
	tb.Helper()
	ctx := context.Background()
	require.NoError(tb, db.SaveProvince(ctx, quangNgai(), issuer()))
	info := cycle.CycleInfo{ID: "cycle/51/2027", Province: "51", Year: 2027, Policy: cycle.DefaultPolicy(), StartedBy: secretariat, StartedAt: t0}
	require.NoError(tb, db.OpenCycle(ctx, info))
	return info.ID
}

// proposal522 is the city's proposal: figures for its five communes, two
// proposed.
func proposal522() cycle.Proposal {
	return cycle.Proposal{
		Unit: "522",
		Statistics: []cycle.CommuneFigures{
			{Commune: "21010", Figures: cycle.Figures{SocialOrderCrimes: 30, DrugCases: 6}},
			{Commune: "21013", Figures: cycle.Figures{SocialOrderCrimes: 12, EconomicCases: 1}},
			{Commune: "21016", Figures: cycle.Figures{SocialOrderCrimes: 25, EnvironmentCases: 2, DrugCases: 3}},
			{Commune: "21019", Figures: cycle.Figures{SocialOrderCrimes: 4}},
			{Commune: "21025", Figures: cycle.Figures{SocialOrderCrimes: 2}},
		},
		Proposed: []cycle.ProposedCommune{
			{Commune: "21016", Types: cycle.Types{cycle.TypeSocialOrder, cycle.TypeEnvironment, cycle.TypeDrugs}, Reason: "Tụ điểm ma túy ven sông Trà Khúc"},
			{Commune: "21010", Types: cycle.Types{cycle.TypeSocialOrder, cycle.TypeDrugs}, Reason: "Trộm cắp, cố ý gây thương tích"},
		},
		Note: "Đề xuất năm 2027",
	}
}

// submission is the completion of the city's proposal task.
func submission(cycleID, requestID string, revision int, p cycle.Proposal, at time.Time) cycle.Completion {
	return cycle.Completion{
		CycleID: cycleID, TaskID: cycle.TaskID(cycle.TaskSubmitProposal, p.Unit), Kind: cycle.TaskSubmitProposal,
		Actor: officer522, RequestID: requestID, At: at, Summary: "proposal of " + p.Unit,
		Proposal: &p, Revision: revision,
	}
}
