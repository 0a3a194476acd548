package postgres

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"time"

	"chuyenhoa/cycle"
)

const (
	sqlVoidLock     = `SELECT number, void_reason FROM decisions WHERE id = $1 FOR UPDATE`
	sqlVoidDecision = `UPDATE decisions SET voided_at = $2, void_reason = $3, voided_by = $4::jsonb WHERE id = $1`
	sqlDecisionVoid = `SELECT number, voided_at, COALESCE(void_reason, ''), voided_by FROM decisions WHERE id = $1`

	sqlArchiveInsert = `
INSERT INTO archived_documents (id, kind, code, body_key, year, number, date, sha256, size,
	signer, sealed_by, signatures, signed_at, recipients, subject)
SELECT $1, $2, $3, $4, $5, $6, $7::date, $8, b.size, $9, $10, $11, $12, $13::jsonb, $14
FROM blobs b WHERE b.sha256 = $8
ON CONFLICT (id) DO NOTHING`
	sqlArchiveSHA     = `SELECT sha256, number, body_key, year FROM archived_documents WHERE id = $1`
	sqlArchiveColumns = `id, kind, code, body_key, year, number, COALESCE(to_char(date, 'YYYY-MM-DD'), ''), sha256, size,
	signer, sealed_by, signatures, signed_at, archived_at, recipients, subject`
	sqlBlobExists = `SELECT EXISTS (SELECT 1 FROM blobs WHERE sha256 = $1)`
	sqlArchived   = `SELECT a.id, a.kind, a.code, a.body_key, a.year, a.number, COALESCE(to_char(a.date, 'YYYY-MM-DD'), ''), a.sha256, a.size,
	a.signer, a.sealed_by, a.signatures, a.signed_at, a.archived_at, a.recipients, a.subject, b.data
FROM archived_documents a JOIN blobs b ON b.sha256 = a.sha256 WHERE a.id = $1`
	sqlArchivedList = `SELECT ` + sqlArchiveColumns + ` FROM archived_documents
WHERE ($1 = 0 OR year = $1) ORDER BY year, body_key, number`
)

// VoidDecision voids an issued decision (thu hồi, hủy bỏ): it keeps its
// number — numbers are never reused and the register keeps no gap — and
// the reason, who voided it and when are recorded. Voiding again with the
// same reason does nothing; with another reason it is ECONFLICT. The error
// is EINVALID without a reason, ENOTFOUND for an unknown decision.
func (db *DocumentStore) VoidDecision(ctx context.Context, id, reason string, by cycle.Actor, at time.Time) error {
	op := "void decision " + id
	if len(bytes.TrimSpace([]byte(reason))) == 0 {
		return cycle.Refuse(cycle.EINVALID, cycle.Text{VI: "%s: cần ghi lý do", EN: "%s: a reason is required"}, cycle.Word{VI: "Hủy quyết định " + id, EN: op})
	}
	byJSON, err := jsonParam(by)
	if err != nil {
		return err
	}
	return db.update(ctx, op, func(tx *sql.Tx) error {
		var number int
		var old sql.NullString
		err := tx.QueryRowContext(ctx, sqlVoidLock, id).Scan(&number, &old)
		if errors.Is(err, sql.ErrNoRows) {
			return cycle.Refuse(cycle.ENOTFOUND, cycle.Text{VI: "Không có quyết định %s", EN: "no decision %s"}, id)
		}
		if err != nil {
			return err
		}
		if old.Valid {
			if old.String == reason {
				return nil
			}
			return cycle.Refuse(cycle.ECONFLICT, cycle.Text{VI: "Quyết định %s (số %d) đã bị hủy trước đó: %s", EN: "decision %s (number %d) was voided already: %s"}, id, number, old.String)
		}
		_, err = tx.ExecContext(ctx, sqlVoidDecision, id, at, reason, byJSON)
		return err
	})
}

// DecisionVoid returns whether decision id is voided, and how (ENOTFOUND
// for an unknown decision).
func (db *DocumentStore) DecisionVoid(ctx context.Context, id string) (cycle.Void, bool, error) {
	var v cycle.Void
	var by []byte
	err := db.view(ctx, "void of decision "+id, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, sqlDecisionVoid, id).Scan(&v.Number, utc(&v.At), &v.Reason, &by)
		if errors.Is(err, sql.ErrNoRows) {
			return cycle.Refuse(cycle.ENOTFOUND, cycle.Text{VI: "Không có quyết định %s", EN: "no decision %s"}, id)
		}
		return err
	})
	if err != nil {
		return cycle.Void{}, false, err
	}
	if err := scanJSON(by, &v.By); err != nil {
		return cycle.Void{}, false, err
	}
	return v, !v.At.IsZero(), nil
}

// ArchiveDocument records an issued PDF in the archive, once: its bytes are
// the blob a.SHA256 names (ENOTFOUND if none is stored). Archiving the same
// document again with the same bytes does nothing; with other bytes it is
// ECONFLICT (an issued document never changes). The decision must have its
// number (ENOTFOUND otherwise), and the record must carry it.
func (db *DocumentStore) ArchiveDocument(ctx context.Context, a cycle.ArchivedDocument) error {
	op := "archive document " + a.ID
	recipients, err := jsonParam(nonNil(a.Recipients))
	if err != nil {
		return err
	}
	var date sql.NullString
	if !a.Date.IsZero() {
		date = sql.NullString{String: a.Date.Format("2006-01-02"), Valid: true}
	}
	return db.update(ctx, op, func(tx *sql.Tx) error {
		var sha, body string
		var number, year int
		err := tx.QueryRowContext(ctx, sqlArchiveSHA, a.ID).Scan(&sha, &number, &body, &year)
		if err == nil {
			if sha != a.SHA256 {
				return cycle.Refuse(cycle.ECONFLICT, cycle.Text{VI: "Văn bản %s đã được lưu trữ với mã băm SHA-256 %s; không lưu một bản khác (%s)", EN: "document %s is archived with SHA-256 %s, refusing other bytes (%s)"}, a.ID, sha, a.SHA256)
			}
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		// The number must be the register's.
		var regBody string
		var regYear, regNumber int
		err = tx.QueryRowContext(ctx, sqlDecisionNumber, a.ID).Scan(&regBody, &regYear, &regNumber)
		if errors.Is(err, sql.ErrNoRows) {
			return cycle.Refuse(cycle.ENOTFOUND, cycle.Text{VI: "Quyết định %s chưa được cấp số: hãy vào sổ, cấp số trước", EN: "decision %s has no number: assign it first"}, a.ID)
		}
		if err != nil {
			return err
		}
		if regBody != a.BodyKey || regYear != a.Year || regNumber != a.Number {
			return cycle.Refuse(cycle.ECONFLICT, cycle.Text{VI: "Văn bản %s đã vào sổ số %d của sổ %s/%d, không phải số %d của sổ %s/%d", EN: "document %s is number %d of %s/%d in the register, not %d of %s/%d"},
				a.ID, regNumber, regBody, regYear, a.Number, a.BodyKey, a.Year)
		}
		var stored bool
		if err := tx.QueryRowContext(ctx, sqlBlobExists, a.SHA256).Scan(&stored); err != nil {
			return err
		}
		if !stored {
			return cycle.Refuse(cycle.ENOTFOUND, cycle.Text{VI: "Văn bản %s: không có tệp PDF đã lưu có mã băm SHA-256 %s", EN: "document %s: no stored PDF with SHA-256 %s"}, a.ID, a.SHA256)
		}
		res, err := tx.ExecContext(ctx, sqlArchiveInsert, a.ID, a.Kind, a.Code, a.BodyKey, a.Year, a.Number, date, a.SHA256,
			a.Signer, a.SealedBy, a.Signatures, timeParam(a.SignedAt), recipients, a.Subject)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 1 {
			return err
		}
		// A concurrent attempt archived it first (the insert waited for it
		// and did nothing): same bytes or a conflict, as above.
		if err := tx.QueryRowContext(ctx, sqlArchiveSHA, a.ID).Scan(&sha, &number, &body, &year); err != nil {
			return err
		}
		if sha != a.SHA256 {
			return cycle.Refuse(cycle.ECONFLICT, cycle.Text{VI: "Văn bản %s đã được lưu trữ với mã băm SHA-256 %s; không lưu một bản khác (%s)", EN: "document %s is archived with SHA-256 %s, refusing other bytes (%s)"}, a.ID, sha, a.SHA256)
		}
		return nil
	})
}

// ArchivedDocument returns an archived document and its PDF (ENOTFOUND if
// it is not archived).
func (db *DocumentStore) ArchivedDocument(ctx context.Context, id string) (cycle.ArchivedDocument, []byte, error) {
	var a cycle.ArchivedDocument
	var pdf []byte
	err := db.view(ctx, "archived document "+id, func(tx *sql.Tx) error {
		row := tx.QueryRowContext(ctx, sqlArchived, id)
		var err error
		a, err = scanArchived(row, &pdf)
		if errors.Is(err, sql.ErrNoRows) {
			return cycle.Refuse(cycle.ENOTFOUND, cycle.Text{VI: "Không có văn bản %s trong kho lưu trữ", EN: "no archived document %s"}, id)
		}
		return err
	})
	return a, pdf, err
}

// ArchivedDocuments lists the archive (year 0: every year) by register and
// number, without the PDFs.
func (db *DocumentStore) ArchivedDocuments(ctx context.Context, year int) ([]cycle.ArchivedDocument, error) {
	var out []cycle.ArchivedDocument
	err := db.view(ctx, "archived documents", func(tx *sql.Tx) error {
		var err error
		out, err = queryAll(ctx, tx, sqlArchivedList, []any{year}, func(r *sql.Rows) (cycle.ArchivedDocument, error) {
			return scanArchived(r, nil)
		})
		return err
	})
	return out, err
}

func scanArchived(s interface{ Scan(...any) error }, pdf *[]byte) (cycle.ArchivedDocument, error) {
	var a cycle.ArchivedDocument
	var date string
	var recipients []byte
	dest := []any{&a.ID, &a.Kind, &a.Code, &a.BodyKey, &a.Year, &a.Number, &date, &a.SHA256, &a.Size,
		&a.Signer, &a.SealedBy, &a.Signatures, utc(&a.SignedAt), utc(&a.ArchivedAt), &recipients, &a.Subject}
	if pdf != nil {
		dest = append(dest, pdf)
	}
	if err := s.Scan(dest...); err != nil {
		return a, err
	}
	if date != "" {
		d, err := time.Parse("2006-01-02", date)
		if err != nil {
			return a, err
		}
		a.Date = d
	}
	if err := scanJSON(recipients, &a.Recipients); err != nil {
		return a, err
	}
	if len(a.Recipients) == 0 {
		a.Recipients = nil
	}
	return a, nil
}
