package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/lib/pq"
	"github.com/lib/pq/pqerror"

	"chuyenhoa/cycle"
)

const (
	sqlCreateAccount = `
INSERT INTO accounts (id, name, role, district, password_hash, created_at)
VALUES ($1, $2, $3, $4, $5, $6)`
	sqlAccountColumns = `id, name, role, district, disabled, created_at`
	sqlAccount        = `SELECT ` + sqlAccountColumns + `, password_hash FROM accounts WHERE id = $1`
	sqlAccounts       = `SELECT ` + sqlAccountColumns + ` FROM accounts ORDER BY role, district, id`
	sqlSetDisabled    = `UPDATE accounts SET disabled = $2 WHERE id = $1`
	sqlSetPassword    = `UPDATE accounts SET password_hash = $2 WHERE id = $1`
	sqlDropSessionsOf = `DELETE FROM sessions WHERE account_id = $1`

	sqlCreateSession = `
INSERT INTO sessions (token_hash, account_id, created_at, expires_at, remote)
VALUES ($1, $2, $3, $4, $5)`
	sqlSession = `
SELECT a.id, a.name, a.role, a.district, a.disabled, a.created_at, s.created_at, s.expires_at
FROM sessions s JOIN accounts a ON a.id = s.account_id
WHERE s.token_hash = $1 AND s.expires_at > $2 AND NOT a.disabled`
	sqlDeleteSession   = `DELETE FROM sessions WHERE token_hash = $1`
	sqlExpiredSessions = `DELETE FROM sessions WHERE expires_at <= $1`
)

// CreateAccount adds an account with a password hash made by the caller's
// KDF (the store never sees a password). The error is EINVALID for a
// malformed ID, an unknown role, or a unit given to anyone but a district
// officer (or missing for one); ECONFLICT if the ID is taken.
func (db *AccountStore) CreateAccount(ctx context.Context, a cycle.Account, passwordHash []byte) error {
	op := "create account " + a.ID
	if err := checkAccount(a); err != nil {
		return failure(op, err)
	}
	if len(passwordHash) == 0 {
		return failure(op, cycle.Errorf(cycle.EINVALID, "a password hash is required"))
	}
	if a.CreatedAt.IsZero() {
		a.CreatedAt = time.Now()
	}
	return db.update(ctx, op, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, sqlCreateAccount, a.ID, cycle.Clean(a.Name), string(a.Role), a.District, string(passwordHash), a.CreatedAt)
		if isUniqueViolation(err) {
			return cycle.Errorf(cycle.ECONFLICT, "account %q exists already", a.ID)
		}
		return err
	})
}

func checkAccount(a cycle.Account) error {
	var probs []cycle.Problem
	if a.ID == "" || len(a.ID) > 64 {
		probs = append(probs, cycle.Problem{Field: "id", Rule: "account.id", Message: "1 to 64 characters: letters, digits, '.', '_', '@', '-'"})
	}
	if !a.Role.Valid() {
		probs = append(probs, cycle.Problem{Field: "role", Rule: "account.role", Message: fmt.Sprintf("%q is not a role; roles: %v", a.Role, cycle.Roles)})
	}
	switch {
	case a.Role == cycle.RoleDistrictOfficer && a.District == "":
		probs = append(probs, cycle.Problem{Field: "district", Rule: "account.district", Message: "a district officer is bound to a unit (district code)"})
	case a.Role != cycle.RoleDistrictOfficer && a.District != "":
		probs = append(probs, cycle.Problem{Field: "district", Rule: "account.district", Message: "only district officers are bound to a unit"})
	}
	return cycle.Invalid("account", probs)
}

// AccountCredentials returns an account and its password hash, for signing
// in. The error is ENOTFOUND if there is no such account.
func (db *AccountStore) AccountCredentials(ctx context.Context, id string) (cycle.Account, []byte, error) {
	var a cycle.Account
	var hash string
	err := db.view(ctx, "account "+id, func(tx *sql.Tx) error {
		var role string
		err := tx.QueryRowContext(ctx, sqlAccount, id).Scan(&a.ID, &a.Name, &role, &a.District, &a.Disabled, utc(&a.CreatedAt), &hash)
		if errors.Is(err, sql.ErrNoRows) {
			return cycle.Errorf(cycle.ENOTFOUND, "no account %q", id)
		}
		a.Role = cycle.Role(role)
		return err
	})
	return a, []byte(hash), err
}

// Accounts lists every account, by role, unit and ID.
func (db *AccountStore) Accounts(ctx context.Context) ([]cycle.Account, error) {
	var out []cycle.Account
	err := db.view(ctx, "accounts", func(tx *sql.Tx) error {
		var err error
		out, err = queryAll(ctx, tx, sqlAccounts, nil, func(r *sql.Rows) (cycle.Account, error) {
			var a cycle.Account
			var role string
			err := r.Scan(&a.ID, &a.Name, &role, &a.District, &a.Disabled, utc(&a.CreatedAt))
			a.Role = cycle.Role(role)
			return a, err
		})
		return err
	})
	return out, err
}

// SetAccountDisabled disables (or enables again) an account; disabling ends
// its sessions at once. The error is ENOTFOUND if there is no such account.
func (db *AccountStore) SetAccountDisabled(ctx context.Context, id string, disabled bool) error {
	return db.update(ctx, "disable account "+id, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, sqlSetDisabled, id, disabled)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			if err == nil {
				err = cycle.Errorf(cycle.ENOTFOUND, "no account %q", id)
			}
			return err
		}
		if disabled {
			_, err = tx.ExecContext(ctx, sqlDropSessionsOf, id)
		}
		return err
	})
}

// SetPassword replaces an account's password hash and ends its sessions.
// The error is ENOTFOUND if there is no such account.
func (db *AccountStore) SetPassword(ctx context.Context, id string, passwordHash []byte) error {
	return db.update(ctx, "set password of "+id, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, sqlSetPassword, id, string(passwordHash))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			if err == nil {
				err = cycle.Errorf(cycle.ENOTFOUND, "no account %q", id)
			}
			return err
		}
		_, err = tx.ExecContext(ctx, sqlDropSessionsOf, id)
		return err
	})
}

// CreateSession records a session of an account, found later by the hash
// of its token; sessions expired by now are removed on the way. The error
// is ENOTFOUND if the account does not exist.
func (db *AccountStore) CreateSession(ctx context.Context, tokenHash []byte, accountID string, now, expires time.Time, remote string) error {
	return db.update(ctx, "create session of "+accountID, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, sqlExpiredSessions, now); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, sqlCreateSession, tokenHash, accountID, now, expires, remote)
		return err
	})
}

// SessionByToken returns the session whose token hashes to tokenHash, if it
// has not expired by now and its account is not disabled; otherwise the
// error is ENOTFOUND.
func (db *AccountStore) SessionByToken(ctx context.Context, tokenHash []byte, now time.Time) (cycle.Session, error) {
	var s cycle.Session
	err := db.view(ctx, "session", func(tx *sql.Tx) error {
		var role string
		a := &s.Account
		err := tx.QueryRowContext(ctx, sqlSession, tokenHash, now).Scan(&a.ID, &a.Name, &role, &a.District, &a.Disabled,
			utc(&a.CreatedAt), utc(&s.CreatedAt), utc(&s.ExpiresAt))
		if errors.Is(err, sql.ErrNoRows) {
			return cycle.Errorf(cycle.ENOTFOUND, "no such session, or it has expired")
		}
		a.Role = cycle.Role(role)
		return err
	})
	return s, err
}

// DeleteSession ends a session (signing out); it does nothing if there is none.
func (db *AccountStore) DeleteSession(ctx context.Context, tokenHash []byte) error {
	return db.update(ctx, "delete session", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, sqlDeleteSession, tokenHash)
		return err
	})
}

func isUniqueViolation(err error) bool {
	return err != nil && pq.As(err, pqerror.UniqueViolation) != nil
}

// LimitConnections bounds the store's connection pool to n open (and at
// most n idle) connections. A server answering many officers at once
// shares one pool; without a bound it would open a connection per
// concurrent request, past the server's max_connections.
func (db *DB) LimitConnections(n int) {
	db.db.SetMaxOpenConns(n)
	db.db.SetMaxIdleConns(n)
}
