package postgres

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"

	"chuyenhoa/cycle"
)

const (
	sqlPutBlob = `INSERT INTO blobs (sha256, size, data) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING`
	sqlBlob    = `SELECT data FROM blobs WHERE sha256 = $1`
)

// PutBlob stores bytes once, under their SHA-256, and returns it (hex).
// Storing the same bytes again does nothing.
func (db *DocumentStore) PutBlob(ctx context.Context, data []byte) (string, error) {
	sum := sha256.Sum256(data)
	sha := hex.EncodeToString(sum[:])
	err := db.update(ctx, "store blob "+sha, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, sqlPutBlob, sha, len(data), data)
		return err
	})
	return sha, err
}

// Blob returns the bytes stored under a SHA-256 (ENOTFOUND if none).
func (db *DocumentStore) Blob(ctx context.Context, sha string) ([]byte, error) {
	var data []byte
	err := db.view(ctx, "blob "+sha, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, sqlBlob, sha).Scan(&data)
		if errors.Is(err, sql.ErrNoRows) {
			return cycle.Refuse(cycle.ENOTFOUND, cycle.Text{VI: "Không có tệp đã lưu có mã băm SHA-256 %s", EN: "no stored file with SHA-256 %s"}, sha)
		}
		return err
	})
	return data, err
}
