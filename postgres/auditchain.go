package postgres

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"chuyenhoa/cycle"
)

// ChainHash is the hash of a record: SHA-256 over a version tag, every
// content field (seq, at in Unix microseconds, then each text field
// preceded by its length, so that no two different records encode alike)
// and the previous record's hash.
func ChainHash(r cycle.AuditRecord) []byte {
	h := sha256.New()
	var n [8]byte
	put := func(v uint64) {
		binary.BigEndian.PutUint64(n[:], v)
		h.Write(n[:])
	}
	h.Write([]byte("chuyenhoa-audit-v1"))
	put(uint64(r.Seq))
	put(uint64(r.At.UnixMicro()))
	for _, s := range []string{r.ActorID, r.ActorRole, r.ActorDistrict, r.Action, r.Object, r.Outcome, r.Remote, r.RequestID, r.Detail} {
		put(uint64(len(s)))
		h.Write([]byte(s))
	}
	put(uint64(len(r.PrevHash)))
	h.Write(r.PrevHash)
	return h.Sum(nil)
}

const (
	sqlLockChainHead = `SELECT seq, hash FROM audit_chain_head FOR UPDATE`
	sqlAppendAudit   = `
INSERT INTO audit_chain (seq, at, actor_id, actor_role, actor_district, action, object, outcome,
	remote, request_id, detail, prev_hash, hash)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`
	sqlAdvanceChainHead = `UPDATE audit_chain_head SET seq = $1, hash = $2`
	sqlChainHead        = `SELECT seq, hash FROM audit_chain_head`
	sqlAuditColumns     = `seq, at, actor_id, actor_role, actor_district, action, object, outcome, remote, request_id, detail, prev_hash, hash`
	sqlAuditFrom        = `SELECT ` + sqlAuditColumns + ` FROM audit_chain WHERE seq > $1 ORDER BY seq LIMIT $2`
	sqlAuditRecent      = `SELECT ` + sqlAuditColumns + ` FROM audit_chain
WHERE ($1 = '' OR actor_id = $1) ORDER BY seq DESC LIMIT $2`
)

// AppendAudit appends a record to the audit trail and returns it with its
// number and hashes. Appends take turns on the chain head's row lock, so
// concurrent appends get consecutive numbers and each chains to the one
// before it. The text fields are NFC-normalised and At is cut to the
// microsecond (now, if zero) so that what is hashed is what is stored.
func (db *AccountStore) AppendAudit(ctx context.Context, r cycle.AuditRecord) (cycle.AuditRecord, error) {
	if r.ActorID == "" || r.Action == "" || r.Outcome == "" {
		return cycle.AuditRecord{}, failure("append audit", cycle.Errorf(cycle.EINVALID, "an audit record names its actor, action and outcome"))
	}
	if r.At.IsZero() {
		r.At = time.Now()
	}
	r.At = time.UnixMicro(r.At.UnixMicro()).UTC()
	for _, s := range []*string{&r.ActorID, &r.ActorRole, &r.ActorDistrict, &r.Action, &r.Object, &r.Outcome, &r.Remote, &r.RequestID, &r.Detail} {
		// What a client sent may be invalid UTF-8 or hold NUL bytes, which
		// PostgreSQL's text refuses: the record must be written anyway.
		*s = cycle.Clean(strings.ReplaceAll(strings.ToValidUTF8(*s, "\uFFFD"), "\x00", "\uFFFD"))
	}
	err := db.update(ctx, "append audit "+r.Action, func(tx *sql.Tx) error {
		var last int64
		var prev []byte
		if err := tx.QueryRowContext(ctx, sqlLockChainHead).Scan(&last, &prev); err != nil {
			return err
		}
		r.Seq, r.PrevHash = last+1, prev
		r.Hash = ChainHash(r)
		if _, err := tx.ExecContext(ctx, sqlAppendAudit, r.Seq, r.At, r.ActorID, r.ActorRole, r.ActorDistrict, r.Action,
			r.Object, r.Outcome, r.Remote, r.RequestID, r.Detail, r.PrevHash, r.Hash); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, sqlAdvanceChainHead, r.Seq, r.Hash)
		return err
	})
	return r, err
}

// VerifyAudit reads the whole audit trail in order and checks every link:
// rows numbered 1, 2, 3, … without gaps, each row's prev_hash equal to the
// hash of the row before it, each row's hash equal to the hash of its
// content, and the chain head naming the last row. It returns the number of
// rows checked and, if the trail was edited, a *ChainError naming the first
// bad row. It reads in batches in one snapshot, so appends made meanwhile
// do not disturb it.
func (db *AccountStore) VerifyAudit(ctx context.Context) (int64, error) {
	var checked int64
	var broken *cycle.ChainError
	err := db.view(ctx, "verify audit", func(tx *sql.Tx) error {
		var headSeq int64
		var headHash []byte
		if err := tx.QueryRowContext(ctx, sqlChainHead).Scan(&headSeq, &headHash); err != nil {
			return err
		}
		prev := make([]byte, sha256.Size)
		var seq int64
		for {
			rs, err := queryAll(ctx, tx, sqlAuditFrom, []any{seq, 1000}, scanAudit)
			if err != nil {
				return err
			}
			for _, r := range rs {
				switch {
				case r.Seq != seq+1:
					broken = &cycle.ChainError{Seq: seq + 1, Reason: fmt.Sprintf("row %d is missing (the next row is %d)", seq+1, r.Seq)}
				case !bytes.Equal(r.PrevHash, prev):
					broken = &cycle.ChainError{Seq: r.Seq, Reason: fmt.Sprintf("prev_hash %s does not match the hash of row %d (%s)", short(r.PrevHash), seq, short(prev))}
				case !bytes.Equal(ChainHash(r), r.Hash):
					broken = &cycle.ChainError{Seq: r.Seq, Reason: fmt.Sprintf("its content does not match its hash %s (edited)", short(r.Hash))}
				}
				if broken != nil {
					return nil
				}
				seq, prev = r.Seq, r.Hash
				checked++
			}
			if len(rs) < 1000 {
				break
			}
		}
		switch {
		case headSeq > seq:
			broken = &cycle.ChainError{Seq: seq + 1, Reason: fmt.Sprintf("the chain head says %d rows, the table ends at row %d (rows deleted)", headSeq, seq)}
		case headSeq < seq:
			broken = &cycle.ChainError{Seq: headSeq + 1, Reason: fmt.Sprintf("the chain head says %d rows, the table has %d (rows added behind its back)", headSeq, seq)}
		case !bytes.Equal(headHash, prev):
			broken = &cycle.ChainError{Seq: seq, Reason: "the last row's hash does not match the chain head"}
		}
		return nil
	})
	if err != nil {
		return checked, err
	}
	if broken != nil {
		return checked, broken
	}
	return checked, nil
}

// RecentAudit returns up to limit of the latest audit records, newest
// first, of one actor (or everybody's, for an empty actorID).
func (db *AccountStore) RecentAudit(ctx context.Context, actorID string, limit int) ([]cycle.AuditRecord, error) {
	var out []cycle.AuditRecord
	err := db.view(ctx, "recent audit", func(tx *sql.Tx) error {
		var err error
		out, err = queryAll(ctx, tx, sqlAuditRecent, []any{actorID, limit}, scanAudit)
		return err
	})
	return out, err
}

func scanAudit(r *sql.Rows) (cycle.AuditRecord, error) {
	var a cycle.AuditRecord
	err := r.Scan(&a.Seq, utc(&a.At), &a.ActorID, &a.ActorRole, &a.ActorDistrict, &a.Action, &a.Object, &a.Outcome,
		&a.Remote, &a.RequestID, &a.Detail, &a.PrevHash, &a.Hash)
	return a, err
}

func short(b []byte) string {
	s := hex.EncodeToString(b)
	if len(s) > 16 {
		return s[:16] + "…"
	}
	return s
}
