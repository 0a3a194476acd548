// Package pgtest gives tests a fresh PostgreSQL database of their own,
// dropped when the test ends. The server is TEST_DATABASE_URL, or the local
// one at 127.0.0.1:5432 (trust auth, user postgres); SKIP_DB_TESTS=1 skips
// such tests, and an unreachable server fails them with a clear message.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	_ "github.com/lib/pq" // the driver
)

// DefaultServer is the server tests use unless TEST_DATABASE_URL names another.
const DefaultServer = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// CreateDatabase creates an empty, randomly named UTF-8 database and returns
// its URL; the database is dropped (with any connections left) when the
// test ends. locale clauses, if given, are appended to CREATE DATABASE.
func CreateDatabase(tb testing.TB, locale ...string) string {
	tb.Helper()
	if os.Getenv("SKIP_DB_TESTS") == "1" {
		tb.Skip("SKIP_DB_TESTS=1: tests against PostgreSQL skipped")
	}
	server := os.Getenv("TEST_DATABASE_URL")
	if server == "" {
		server = DefaultServer
	}
	u, err := url.Parse(server)
	if err != nil {
		tb.Fatalf("TEST_DATABASE_URL must be a postgres:// URL: %v", err)
	}
	admin, err := sql.Open("postgres", server)
	if err != nil {
		tb.Fatal(err)
	}
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
	if _, err := admin.ExecContext(ctx, create); err != nil {
		tb.Fatalf("create the test database: %v", err)
	}
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
