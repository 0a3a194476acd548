package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"

	"github.com/lib/pq"
	"github.com/lib/pq/pqerror"

	"chuyenhoa/cycle"
)

// DB is the store on one PostgreSQL database: one part per aggregate of
// the store's contracts (package cycle), each over the same connection
// pool; together they implement cycle.Store. It is safe for concurrent use.
type DB struct {
	conn
	RegistryStore       // the provinces' units and issuers
	CycleStore          // cycles and award rounds, their phases, the inbox, notifications
	SelectionStore      // proposals with their revisions, the rules' verdicts, the lists
	DocumentStore       // the numbering register, the PDFs (blobs), the archive, deliveries
	TransformationStore // the transformation years
	AwardStore          // nominations and award reviews
	AccountStore        // accounts, sessions and the hash-chained audit trail
	MetricsStore        // what the metrics endpoint reads
	WorkStore           // claims, drafts and attachments of tasks; a task's history
}

// conn is the connection pool with its transaction helpers, shared by
// every part of the store.
type conn struct {
	db *sql.DB
}

// The parts of the store; each is documented with its contracts in
// package cycle.
type (
	// RegistryStore implements cycle.RegistryStore.
	RegistryStore struct{ conn }
	// CycleStore implements cycle.CycleStore, cycle.TaskStore and cycle.NotificationStore.
	CycleStore struct{ conn }
	// SelectionStore implements cycle.SelectionStore.
	SelectionStore struct{ conn }
	// DocumentStore implements cycle.DecisionStore, cycle.BlobStore,
	// cycle.ArchiveStore and cycle.DeliveryStore.
	DocumentStore struct{ conn }
	// TransformationStore implements cycle.TransformationStore.
	TransformationStore struct{ conn }
	// AwardStore implements cycle.AwardStore.
	AwardStore struct{ conn }
	// AccountStore implements cycle.AccountStore and cycle.AuditTrail.
	AccountStore struct{ conn }
	// MetricsStore implements cycle.CountStore.
	MetricsStore struct{ conn }
)

func newDB(db *sql.DB) *DB {
	c := conn{db: db}
	return &DB{conn: c, RegistryStore: RegistryStore{c}, CycleStore: CycleStore{c}, SelectionStore: SelectionStore{c}, DocumentStore: DocumentStore{c},
		TransformationStore: TransformationStore{c}, AwardStore: AwardStore{c}, AccountStore: AccountStore{c}, MetricsStore: MetricsStore{c},
		WorkStore: WorkStore{c}}
}

// Open connects to the database named by dsn (a lib/pq URL or key=value
// string), checks that it is reachable and stores text as UTF-8, and applies
// the migrations it has not applied yet.
func Open(ctx context.Context, dsn string) (*DB, error) {
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	if err := setUp(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	return newDB(db), nil
}

func setUp(ctx context.Context, db *sql.DB) error {
	if err := db.PingContext(ctx); err != nil {
		return fmt.Errorf("ping: %w", err)
	}
	// Vietnamese names must come back byte for byte as they went in (NFC);
	// SQL_ASCII or a legacy encoding would not guarantee it.
	var enc string
	if err := db.QueryRowContext(ctx, "SHOW server_encoding").Scan(&enc); err != nil {
		return fmt.Errorf("server encoding: %w", err)
	}
	if enc != "UTF8" {
		return fmt.Errorf("database encoding is %s: want UTF8", enc)
	}
	return migrate(ctx, db)
}

// Close closes the database's connections.
func (db *DB) Close() error { return db.db.Close() }

//go:embed migrations/*.sql
var migrations embed.FS

// migrationLock is the key of the advisory lock held while a migration is
// checked and applied ("chuyenh" in ASCII); any constant works as long as
// every worker uses the same.
const migrationLock int64 = 0x63687579656e68

const (
	sqlMigrationLock   = `SELECT pg_advisory_xact_lock($1)`
	sqlMigrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
	name       text PRIMARY KEY,
	applied_at timestamptz NOT NULL DEFAULT now()
)`
	sqlMigrationApplied = `SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE name = $1)`
	sqlMigrationDone    = `INSERT INTO schema_migrations (name) VALUES ($1)`
)

// migrate applies each embedded migration that schema_migrations does not
// list, in name order, each in its own transaction. The transaction-scoped
// advisory lock makes workers that start together take turns: the second
// finds the migration applied and skips it.
func migrate(ctx context.Context, db *sql.DB) error {
	entries, err := fs.ReadDir(migrations, "migrations") // sorted by name
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	for _, e := range entries {
		name := e.Name()
		body, err := migrations.ReadFile(path.Join("migrations", name))
		if err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
		err = inTx(ctx, db, nil, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, sqlMigrationLock, migrationLock); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, sqlMigrationsTable); err != nil {
				return err
			}
			var applied bool
			if err := tx.QueryRowContext(ctx, sqlMigrationApplied, name).Scan(&applied); err != nil {
				return err
			}
			if applied {
				return nil
			}
			// Without parameters lib/pq uses the simple query protocol,
			// which runs a file of several statements.
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, sqlMigrationDone, name)
			return err
		})
		if err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	return nil
}

// readOnly is how read methods see the database: one consistent snapshot
// across their several queries.
var readOnly = &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}

// inTx runs fn in a transaction, committing when it returns nil.
func inTx(ctx context.Context, db *sql.DB, opts *sql.TxOptions, fn func(*sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, opts)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback() // the error that matters is fn's
		return err
	}
	return tx.Commit()
}

// update runs fn in a read-committed transaction and classifies its error.
func (db conn) update(ctx context.Context, op string, fn func(*sql.Tx) error) error {
	return failure(op, inTx(ctx, db.db, nil, fn))
}

// view runs fn in a read-only snapshot and classifies its error.
func (db conn) view(ctx context.Context, op string, fn func(*sql.Tx) error) error {
	return failure(op, inTx(ctx, db.db, readOnly, fn))
}

// failure puts op in front of err and turns what PostgreSQL refuses for
// good into domain errors, so that activities do not retry them forever: a
// reference to a row that does not exist is ENOTFOUND; a broken constraint
// or a malformed value is EINVALID. Other errors (connections, deadlocks,
// timeouts) stay plain and retryable.
func failure(op string, err error) error {
	if err == nil {
		return nil
	}
	var ce *cycle.Error
	if errors.As(err, &ce) {
		return &cycle.Error{Code: ce.Code, Message: op + ": " + ce.Message, Text: ce.Text, Problems: ce.Problems}
	}
	if pe := pq.As(err); pe != nil {
		msg := pe.Message
		if pe.Detail != "" {
			msg += " (" + pe.Detail + ")"
		}
		switch {
		case pe.Code == pqerror.ForeignKeyViolation:
			return cycle.Errorf(cycle.ENOTFOUND, "%s: %s", op, msg)
		case pe.Code.Class() == pqerror.ClassIntegrityConstraintViolation, pe.Code.Class() == pqerror.ClassDataException:
			return cycle.Errorf(cycle.EINVALID, "%s: %s", op, msg)
		}
	}
	return fmt.Errorf("%s: %w", op, err)
}
