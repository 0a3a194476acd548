package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lib/pq"
	"github.com/lib/pq/pqerror"

	"chuyenhoa/cycle"
)

const (
	sqlCreateAccount = `
INSERT INTO accounts (id, name, role, district, password_hash, created_at, title, email, webhook, notify)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`
	sqlAccountColumns = `id, name, role, district, disabled, created_at, title, email, webhook, notify, last_sign_in`
	sqlUpdateAccount  = `UPDATE accounts SET name = $2, district = $3, title = $4, email = $5, webhook = $6, notify = $7 WHERE id = $1`
	sqlSignedIn       = `UPDATE accounts SET last_sign_in = $2 WHERE id = $1`
	sqlEndOthers      = `DELETE FROM sessions WHERE account_id = $1 AND token_hash <> $2`
	sqlAccount        = `SELECT ` + sqlAccountColumns + `, password_hash FROM accounts WHERE id = $1`
	sqlAccounts       = `SELECT ` + sqlAccountColumns + ` FROM accounts ORDER BY role, district, id`
	sqlSetDisabled    = `UPDATE accounts SET disabled = $2 WHERE id = $1`
	sqlSetPassword    = `UPDATE accounts SET password_hash = $2 WHERE id = $1`
	sqlDropSessionsOf = `DELETE FROM sessions WHERE account_id = $1`

	sqlCreateSession = `
INSERT INTO sessions (token_hash, account_id, created_at, expires_at, remote)
VALUES ($1, $2, $3, $4, $5)`
	sqlSession = `
SELECT a.id, a.name, a.role, a.district, a.disabled, a.created_at, a.title, a.email, a.webhook, a.notify, a.last_sign_in,
	s.created_at, s.expires_at
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
		_, err := tx.ExecContext(ctx, sqlCreateAccount, a.ID, cycle.Clean(a.Name), string(a.Role), a.District, string(passwordHash), a.CreatedAt,
			cycle.Clean(a.Title), strings.TrimSpace(a.Email), strings.TrimSpace(a.Webhook), string(notifyOf(a.Notify)))
		if isUniqueViolation(err) {
			return cycle.Refuse(cycle.ECONFLICT, cycle.Text{VI: "Tài khoản «%s» đã có", EN: "account %q exists already"}, a.ID)
		}
		return err
	})
}

func checkAccount(a cycle.Account) error {
	var probs []cycle.Problem
	if a.ID == "" || len(a.ID) > 64 {
		probs = append(probs, bi("id", "account.id", cycle.Text{VI: "Tên đăng nhập dài từ 1 đến 64 ký tự, chỉ gồm chữ, số và các dấu «.», «_», «@», «-»", EN: "1 to 64 characters: letters, digits, '.', '_', '@', '-'"}))
	}
	if !a.Notify.Valid() {
		probs = append(probs, bi("notify", "account.notify", cycle.Text{VI: "Cách nhận thông báo «%s» không hợp lệ: chỉ có nhận ngay, nhận bản tổng hợp hằng ngày hoặc không nhận", EN: "%q is not a notification preference: immediate, digest or none"}, string(a.Notify)))
	}
	if a.Email != "" && !strings.Contains(a.Email, "@") {
		probs = append(probs, bi("email", "account.email", cycle.Text{VI: "«%s» không phải là địa chỉ thư điện tử", EN: "%q is not an e-mail address"}, a.Email))
	}
	if a.Webhook != "" && !strings.HasPrefix(a.Webhook, "https://") && !strings.HasPrefix(a.Webhook, "http://") {
		probs = append(probs, bi("webhook", "account.webhook", cycle.Text{VI: "«%s» không phải là địa chỉ web (http hoặc https)", EN: "%q is not an http(s) address"}, a.Webhook))
	}
	if !a.Role.Valid() {
		probs = append(probs, bi("role", "account.role", cycle.Text{VI: "«%s» không phải là vai trò; các vai trò: %s", EN: "%q is not a role; roles: %s"}, string(a.Role), roleList{}))
	}
	switch {
	case a.Role == cycle.RoleDistrictOfficer && a.District == "":
		probs = append(probs, bi("district", "account.district", cycle.Text{VI: "Tài khoản cán bộ đơn vị cấp huyện phải gắn với một đơn vị (mã đơn vị)", EN: "a district officer is bound to a unit (district code)"}))
	case a.Role != cycle.RoleDistrictOfficer && a.District != "":
		probs = append(probs, bi("district", "account.district", cycle.Text{VI: "Chỉ tài khoản cán bộ đơn vị cấp huyện mới gắn với một đơn vị", EN: "only district officers are bound to a unit"}))
	}
	return cycle.Invalid("account", probs)
}

// AccountCredentials returns an account and its password hash, for signing
// in. The error is ENOTFOUND if there is no such account.
func (db *AccountStore) AccountCredentials(ctx context.Context, id string) (cycle.Account, []byte, error) {
	var a cycle.Account
	var hash string
	err := db.view(ctx, "account "+id, func(tx *sql.Tx) error {
		var err error
		a, hash, err = scanAccount(tx.QueryRowContext(ctx, sqlAccount, id), true)
		if errors.Is(err, sql.ErrNoRows) {
			return cycle.Refuse(cycle.ENOTFOUND, cycle.Text{VI: "Không có tài khoản «%s»", EN: "no account %q"}, id)
		}
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
			a, _, err := scanAccount(r, false)
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
				err = cycle.Refuse(cycle.ENOTFOUND, cycle.Text{VI: "Không có tài khoản «%s»", EN: "no account %q"}, id)
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
				err = cycle.Refuse(cycle.ENOTFOUND, cycle.Text{VI: "Không có tài khoản «%s»", EN: "no account %q"}, id)
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
		var err error
		s.Account, _, err = scanAccount(sessionRow{tx.QueryRowContext(ctx, sqlSession, tokenHash, now), &s}, false)
		if errors.Is(err, sql.ErrNoRows) {
			return cycle.Refuse(cycle.ENOTFOUND, cycle.Text{VI: "Phiên đăng nhập không tồn tại hoặc đã hết hạn", EN: "no such session, or it has expired"})
		}
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

// scanAccount reads the account columns (and the password hash after them).
func scanAccount(s interface{ Scan(...any) error }, withHash bool) (cycle.Account, string, error) {
	var a cycle.Account
	var role, notify, hash string
	var last sql.NullTime
	dest := []any{&a.ID, &a.Name, &role, &a.District, &a.Disabled, utc(&a.CreatedAt), &a.Title, &a.Email, &a.Webhook, &notify, &last}
	if withHash {
		dest = append(dest, &hash)
	}
	if err := s.Scan(dest...); err != nil {
		return a, "", err
	}
	a.Role, a.Notify = cycle.Role(role), cycle.NotifyPref(notify)
	if last.Valid {
		t := last.Time.UTC()
		a.LastSignIn = &t
	}
	return a, hash, nil
}

func notifyOf(n cycle.NotifyPref) cycle.NotifyPref {
	if n == "" {
		return cycle.NotifyImmediate
	}
	return n
}

// UpdateAccount replaces an account's name, unit, title, contacts and
// notification preference; its role and password stay. The error is
// ENOTFOUND if there is no such account, EINVALID as for CreateAccount.
func (db *AccountStore) UpdateAccount(ctx context.Context, a cycle.Account) error {
	op := "update account " + a.ID
	return db.update(ctx, op, func(tx *sql.Tx) error {
		old, _, err := scanAccount(tx.QueryRowContext(ctx, sqlAccount, a.ID), true)
		if errors.Is(err, sql.ErrNoRows) {
			return cycle.Refuse(cycle.ENOTFOUND, cycle.Text{VI: "Không có tài khoản «%s»", EN: "no account %q"}, a.ID)
		}
		if err != nil {
			return err
		}
		a.Role = old.Role
		if err := checkAccount(a); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, sqlUpdateAccount, a.ID, cycle.Clean(a.Name), a.District, cycle.Clean(a.Title),
			strings.TrimSpace(a.Email), strings.TrimSpace(a.Webhook), string(notifyOf(a.Notify)))
		return err
	})
}

// SignedIn records when an account signed in.
func (db *AccountStore) SignedIn(ctx context.Context, id string, at time.Time) error {
	return db.update(ctx, "record sign-in of "+id, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, sqlSignedIn, id, at)
		return err
	})
}

// EndOtherSessions ends every session of an account but the one whose
// token hashes to keep.
func (db *AccountStore) EndOtherSessions(ctx context.Context, id string, keep []byte) error {
	return db.update(ctx, "end other sessions of "+id, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, sqlEndOthers, id, keep)
		return err
	})
}

// sessionRow reads a session's row: the account's columns, then the
// session's times.
type sessionRow struct {
	row *sql.Row
	s   *cycle.Session
}

func (r sessionRow) Scan(dest ...any) error {
	return r.row.Scan(append(dest, utc(&r.s.CreatedAt), utc(&r.s.ExpiresAt))...)
}

// bi is a problem of a field whose texts are given in both languages.
func bi(field, rule string, t cycle.Text, args ...any) cycle.Problem {
	p := cycle.Bilingual(rule, t, args...)
	p.Field = field
	return p
}

// roleList says the roles an account may have.
type roleList struct{}

func (roleList) Say(lang cycle.Lang) string {
	if lang == cycle.English {
		return fmt.Sprint(cycle.Roles)
	}
	names := make([]string, len(cycle.Roles))
	for i, r := range cycle.Roles {
		names[i] = r.Say(lang)
	}
	return strings.Join(names, "; ")
}
