package postgres_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"net/url"
	"os"
	"testing"
	"time"

	_ "github.com/lib/pq"
	"github.com/stretchr/testify/require"

	"chuyenhoa/cycle"
	"chuyenhoa/postgres"
)

// defaultServer is the PostgreSQL the tests use unless TEST_DATABASE_URL
// names another (as a URL; its database is where test databases are
// created from).
const defaultServer = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

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

// createDatabase creates an empty database and returns its DSN; the
// database is dropped (with any connections left) when the test ends.
// locale, if given, replaces the server's default locale clauses.
func createDatabase(tb testing.TB, locale ...string) string {
	tb.Helper()
	if os.Getenv("SKIP_DB_TESTS") == "1" {
		tb.Skip("SKIP_DB_TESTS=1: tests against PostgreSQL skipped")
	}
	server := os.Getenv("TEST_DATABASE_URL")
	if server == "" {
		server = defaultServer
	}
	u, err := url.Parse(server)
	require.NoError(tb, err, "TEST_DATABASE_URL must be a postgres:// URL")

	admin, err := sql.Open("postgres", server)
	require.NoError(tb, err)
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := admin.PingContext(ctx); err != nil {
		tb.Fatalf("PostgreSQL at %s is unreachable: %v\n"+
			"These tests need a server: start one, point TEST_DATABASE_URL at it, or set SKIP_DB_TESTS=1 to skip them.",
			u.Redacted(), err)
	}

	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "chuyenhoa_test_" + hex.EncodeToString(b[:])
	create := `CREATE DATABASE ` + name + ` ENCODING 'UTF8' TEMPLATE template0`
	for _, l := range locale {
		create += " " + l
	}
	_, err = admin.ExecContext(ctx, create)
	require.NoError(tb, err, "create the test database")
	tb.Cleanup(func() {
		admin, err := sql.Open("postgres", server)
		if err != nil {
			tb.Errorf("drop %s: %v", name, err)
			return
		}
		defer admin.Close()
		if _, err := admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`); err != nil {
			tb.Errorf("drop %s: %v", name, err)
		}
	})

	u.Path = "/" + name
	// Sessions in Vietnam's time zone, as a server configured for the
	// province may well be: instants must come back the same regardless.
	q := u.Query()
	q.Set("timezone", "Asia/Ho_Chi_Minh")
	u.RawQuery = q.Encode()
	return u.String()
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
