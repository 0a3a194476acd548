package postgres

import (
	"context"
	"database/sql"
	"time"

	"chuyenhoa/cycle"
)

const (
	sqlArchivedExists = `SELECT EXISTS (SELECT 1 FROM archived_documents WHERE id = $1)`
	sqlAddress        = `
INSERT INTO document_addresses (document_id, province, recipient, unit, role, name, line, addressed_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
ON CONFLICT (document_id, recipient) DO NOTHING`
	sqlAddressedTo = `
SELECT a.id, a.kind, a.code, COALESCE(to_char(a.date, 'YYYY-MM-DD'), ''), a.subject,
	d.province, d.unit, d.role, d.name, d.line, d.addressed_at
FROM document_addresses d JOIN archived_documents a ON a.id = d.document_id
WHERE d.province = $1 AND d.recipient = $2
ORDER BY d.addressed_at DESC, a.id`
)

// AddressDocument records the bodies an issued document names, for their
// inboxes; a body recorded already keeps its record. ENOTFOUND if the
// document is not archived.
func (db *DocumentStore) AddressDocument(ctx context.Context, documentID, province string, named []cycle.Recipient, at time.Time) error {
	return db.update(ctx, "address "+documentID, func(tx *sql.Tx) error {
		var ok bool
		if err := tx.QueryRowContext(ctx, sqlArchivedExists, documentID).Scan(&ok); err != nil {
			return err
		}
		if !ok {
			return cycle.Refuse(cycle.ENOTFOUND, cycle.Text{VI: "Không có văn bản %s trong kho lưu trữ để ghi nơi nhận", EN: "no archived document %s to address"}, documentID)
		}
		for _, r := range named {
			if _, err := tx.ExecContext(ctx, sqlAddress, documentID, province, r.Key(), r.Unit, r.Role, r.Name, r.Line, at); err != nil {
				return err
			}
		}
		return nil
	})
}

// DocumentsAddressedTo lists the issued documents of a province addressed
// to a unit or a body (r's Unit or Role), newest first.
func (db *DocumentStore) DocumentsAddressedTo(ctx context.Context, province string, r cycle.Recipient) ([]cycle.AddressedDocument, error) {
	var out []cycle.AddressedDocument
	err := db.view(ctx, "documents addressed to "+r.Key(), func(tx *sql.Tx) error {
		var err error
		out, err = queryAll(ctx, tx, sqlAddressedTo, []any{province, r.Key()}, func(rows *sql.Rows) (cycle.AddressedDocument, error) {
			var a cycle.AddressedDocument
			var date string
			err := rows.Scan(&a.DocumentID, &a.Kind, &a.Code, &date, &a.Subject, &a.Province,
				&a.Recipient.Unit, &a.Recipient.Role, &a.Recipient.Name, &a.Recipient.Line, utc(&a.At))
			if err == nil && date != "" {
				var d cycle.Date
				if d, err = cycle.ParseDate(date); err == nil {
					a.Date = time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
				}
			}
			return a, err
		})
		return err
	})
	return out, err
}
