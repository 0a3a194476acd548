package postgres

import (
	"context"
	"database/sql"
	"errors"

	"chuyenhoa/cycle"
)

const (
	sqlDecisionNumber = `SELECT body_key, year, number FROM decisions WHERE id = $1`
	sqlEnsureRegister = `
INSERT INTO decision_register (body_key, year) VALUES ($1, $2)
ON CONFLICT (body_key, year) DO NOTHING`
	// The register row is the lock: whoever holds it assigns the next
	// number; the others wait, then read the number it wrote.
	sqlLockRegister    = `SELECT last_number FROM decision_register WHERE body_key = $1 AND year = $2 FOR UPDATE`
	sqlAdvanceRegister = `UPDATE decision_register SET last_number = $3 WHERE body_key = $1 AND year = $2`
	sqlInsertDecision  = `
INSERT INTO decisions (id, cycle_id, kind, body_key, year, number, code, date,
	signed_by, issued_by, issued_at, communes, sha256)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8::date, $9::jsonb, $10::jsonb, $11, $12::jsonb, $13)`

	sqlLockDecision = `SELECT body_key, year, number FROM decisions WHERE id = $1 FOR UPDATE`
	// The number, its register and the ID never change; the PDF's hash is
	// kept when none is given.
	sqlUpdateDecision = `
UPDATE decisions SET cycle_id = $2, kind = $3, code = $4, date = $5::date, signed_by = $6::jsonb,
	issued_by = $7::jsonb, issued_at = $8, communes = $9::jsonb, sha256 = COALESCE(NULLIF($10, ''), sha256)
WHERE id = $1`

	sqlDecisions = `
SELECT id, kind, body_key, year, number, code, to_char(date, 'YYYY-MM-DD'),
	signed_by, issued_by, issued_at, communes, sha256
FROM decisions WHERE cycle_id = $1 ORDER BY year, body_key, number`
	sqlDecisionPDF = `SELECT d.sha256, b.data FROM decisions d LEFT JOIN blobs b ON b.sha256 = d.sha256 WHERE d.id = $1`
)

// AssignNumber returns the decision's number in the register of (d.BodyKey,
// d.Year): the number it already has, or the next one, recorded with the
// decision's ID, kind, cycle and date (and whatever else d carries; the PDF
// comes with SaveDecision). Numbers run from 1 without gaps or repeats under
// concurrent calls: the register row is locked while a number is assigned,
// and a rolled-back assignment leaves the register as it was. The error is
// EINVALID if d lacks its ID, register or year, ECONFLICT if the ID is
// numbered in another register, ENOTFOUND if the cycle is not recorded.
func (db *DocumentStore) AssignNumber(ctx context.Context, d cycle.Decision) (int, error) {
	op := "assign number to decision " + d.ID
	if err := checkDecision(d); err != nil {
		return 0, failure(op, err)
	}
	var number int
	err := db.update(ctx, op, func(tx *sql.Tx) error {
		n, err := numberOf(ctx, tx, d)
		if err != nil || n > 0 { // numbered by an earlier attempt
			number = n
			return err
		}
		if _, err := tx.ExecContext(ctx, sqlEnsureRegister, d.BodyKey, d.Year); err != nil {
			return err
		}
		var last int
		if err := tx.QueryRowContext(ctx, sqlLockRegister, d.BodyKey, d.Year).Scan(&last); err != nil {
			return err
		}
		// Look again with the lock held: a concurrent attempt for the same
		// ID may have numbered it while we waited. Under READ COMMITTED this
		// statement sees what that attempt committed.
		if n, err := numberOf(ctx, tx, d); err != nil || n > 0 {
			number = n
			return err
		}
		number = last + 1
		p, err := decisionParams(d)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, sqlInsertDecision, d.ID, d.CycleID, d.Kind, d.BodyKey, d.Year, number, d.Code,
			p.date, p.signedBy, p.issuedBy, p.issuedAt, p.communes, d.SHA256); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, sqlAdvanceRegister, d.BodyKey, d.Year, number)
		return err
	})
	if err != nil {
		return 0, err
	}
	return number, nil
}

// numberOf returns the number the decision has (0 if it has none yet); the
// error is ECONFLICT if it is numbered in another register than d's.
func numberOf(ctx context.Context, tx *sql.Tx, d cycle.Decision) (int, error) {
	var body string
	var year, number int
	err := tx.QueryRowContext(ctx, sqlDecisionNumber, d.ID).Scan(&body, &year, &number)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	if body != d.BodyKey || year != d.Year {
		return 0, cycle.Refuse(cycle.ECONFLICT, cycle.Text{VI: "Quyết định %s đã vào sổ số %d của sổ %s/%d, không thuộc sổ %s/%d", EN: "decision %s is number %d of register %s/%d, not of %s/%d"},
			d.ID, number, body, year, d.BodyKey, d.Year)
	}
	return number, nil
}

// SaveDecision stores the issued decision, by ID; its PDF is the blob
// d.SHA256 names (stored with PutBlob; ENOTFOUND if none). The decision
// must have been numbered by AssignNumber (ENOTFOUND otherwise: a number
// cannot come from anywhere but the register), and its number is never
// changed: d.Number must be 0 or the assigned number, and d's register that
// of the assignment (ECONFLICT otherwise). Every other field is replaced;
// an empty SHA256 keeps the stored one.
func (db *DocumentStore) SaveDecision(ctx context.Context, d cycle.Decision) error {
	op := "save decision " + d.ID
	if err := checkDecision(d); err != nil {
		return failure(op, err)
	}
	return db.update(ctx, op, func(tx *sql.Tx) error {
		var body string
		var year, number int
		err := tx.QueryRowContext(ctx, sqlLockDecision, d.ID).Scan(&body, &year, &number)
		if errors.Is(err, sql.ErrNoRows) {
			return cycle.Refuse(cycle.ENOTFOUND, cycle.Text{VI: "Quyết định %s chưa được cấp số: hãy vào sổ, cấp số trước", EN: "decision %s has no number: assign it first"}, d.ID)
		}
		if err != nil {
			return err
		}
		if body != d.BodyKey || year != d.Year || (d.Number != 0 && d.Number != number) {
			return cycle.Refuse(cycle.ECONFLICT, cycle.Text{VI: "Quyết định %s đã vào sổ số %d của sổ %s/%d; không lưu thành số %d của sổ %s/%d", EN: "decision %s is number %d of register %s/%d; refusing to store it as number %d of %s/%d"},
				d.ID, number, body, year, d.Number, d.BodyKey, d.Year)
		}
		if d.SHA256 != "" {
			var stored bool
			if err := tx.QueryRowContext(ctx, sqlBlobExists, d.SHA256).Scan(&stored); err != nil {
				return err
			}
			if !stored {
				return cycle.Refuse(cycle.ENOTFOUND, cycle.Text{VI: "Quyết định %s: không có tệp PDF đã lưu có mã băm SHA-256 %s", EN: "decision %s: no stored PDF with SHA-256 %s"}, d.ID, d.SHA256)
			}
		}
		p, err := decisionParams(d)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, sqlUpdateDecision, d.ID, d.CycleID, d.Kind, d.Code, p.date, p.signedBy, p.issuedBy,
			p.issuedAt, p.communes, d.SHA256)
		return err
	})
}

// Decisions returns the cycle's decisions by register and number, without
// their PDFs.
func (db *DocumentStore) Decisions(ctx context.Context, cycleID string) ([]cycle.Decision, error) {
	var out []cycle.Decision
	err := db.view(ctx, "decisions of cycle "+cycleID, func(tx *sql.Tx) error {
		var err error
		out, err = queryAll(ctx, tx, sqlDecisions, []any{cycleID}, func(r *sql.Rows) (cycle.Decision, error) {
			d := cycle.Decision{CycleID: cycleID}
			var date sql.NullString
			var signedBy, issuedBy, communes []byte
			if err := r.Scan(&d.ID, &d.Kind, &d.BodyKey, &d.Year, &d.Number, &d.Code, &date,
				&signedBy, &issuedBy, utc(&d.IssuedAt), &communes, &d.SHA256); err != nil {
				return d, err
			}
			var err error
			if d.Date, err = scanDate(date); err != nil {
				return d, err
			}
			if err := scanJSON(signedBy, &d.SignedBy); err != nil {
				return d, err
			}
			if err := scanJSON(issuedBy, &d.IssuedBy); err != nil {
				return d, err
			}
			if err := scanJSON(communes, &d.Communes); err != nil {
				return d, err
			}
			if len(d.Communes) == 0 {
				d.Communes = nil
			}
			return d, nil
		})
		return err
	})
	return out, err
}

// DecisionPDF returns the PDF of an issued decision. The error is ENOTFOUND
// if the decision is unknown or has no PDF yet.
func (db *DocumentStore) DecisionPDF(ctx context.Context, id string) ([]byte, error) {
	var pdf []byte
	err := db.view(ctx, "pdf of decision "+id, func(tx *sql.Tx) error {
		var sha string
		err := tx.QueryRowContext(ctx, sqlDecisionPDF, id).Scan(&sha, &pdf)
		if errors.Is(err, sql.ErrNoRows) {
			return cycle.Refuse(cycle.ENOTFOUND, cycle.Text{VI: "Không có quyết định %s", EN: "no decision %s"}, id)
		}
		if err == nil && pdf == nil {
			return cycle.Refuse(cycle.ENOTFOUND, cycle.Text{VI: "Quyết định %s chưa có tệp PDF", EN: "decision %s has no PDF yet"}, id)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return pdf, nil
}

// checkDecision refuses a decision without what places it in a register.
func checkDecision(d cycle.Decision) error {
	var probs []cycle.Problem
	if d.ID == "" {
		probs = append(probs, bi("id", "decision.id", cycle.Text{VI: "Thiếu mã quyết định", EN: "required"}))
	}
	if d.BodyKey == "" {
		probs = append(probs, bi("body_key", "decision.body_key", cycle.Text{VI: "Thiếu mã sổ đăng ký văn bản của cơ quan ban hành", EN: "required: it names the numbering register"}))
	}
	if d.Year < 1 {
		probs = append(probs, bi("year", "decision.year", cycle.Text{VI: "Năm %d không phải là năm đăng ký số văn bản", EN: "%d is not a numbering year"}, d.Year))
	}
	return cycle.Invalid("decision", probs)
}

// decisionRow holds a decision's column values that need converting.
type decisionRow struct {
	date                         sql.NullString
	signedBy, issuedBy, communes string
	issuedAt                     sql.NullTime
}

func decisionParams(d cycle.Decision) (decisionRow, error) {
	r := decisionRow{date: dateParam(d.Date), issuedAt: timeParam(d.IssuedAt)}
	var err error
	if r.signedBy, err = jsonParam(d.SignedBy); err != nil {
		return r, err
	}
	if r.issuedBy, err = jsonParam(d.IssuedBy); err != nil {
		return r, err
	}
	r.communes, err = jsonParam(nonNil(d.Communes))
	return r, err
}
