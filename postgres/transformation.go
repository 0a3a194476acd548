package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"chuyenhoa/cycle"

	"github.com/lib/pq"
	"github.com/lib/pq/pqerror"
)

const (
	// A commune enrolled again for the year it is in (a retry), or for an
	// earlier year (a stale retry), stays as it is.
	sqlEnrol = `
INSERT INTO transformations (workflow_id, cycle_id, province, commune, name, kind, district, district_name,
	types, rank, first_year, year, year_no, standing, updated)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::integer[], $10, $11, $12, $13, $14, $15)
ON CONFLICT (workflow_id) DO UPDATE SET
	year = EXCLUDED.year, year_no = EXCLUDED.year_no, standing = EXCLUDED.standing, updated = EXCLUDED.updated
WHERE transformations.year < EXCLUDED.year`

	sqlInsertReport = `
INSERT INTO transformation_reports (cycle_id, workflow_id, task_id, commune, programme, kind, year,
	period_from, period_to, baseline_from, baseline_to, report, verdict, outcome,
	actor_id, actor_name, actor_role, actor_district, request_id, at, late)
VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8::date, $9::date, $10::date, $11::date, $12::jsonb, $13::jsonb, $14,
	$15, $16, $17, $18, $19, $20, $21)
ON CONFLICT (workflow_id, kind, year) DO NOTHING
RETURNING id`
	sqlReportBy = `
SELECT at, actor_id, actor_name, request_id FROM transformation_reports
WHERE workflow_id = $1 AND kind = $2 AND year = $3`

	// The follow-up result of an outcome row is SetStanding's: a new
	// appraisal of the same year leaves it.
	sqlUpsertOutcome = `
INSERT INTO transformation_outcomes (province, commune, year, cycle_id, name, year_no, outcome, overridden, reason, verdict)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb)
ON CONFLICT (province, commune, year) DO UPDATE SET
	cycle_id = EXCLUDED.cycle_id, name = EXCLUDED.name, year_no = EXCLUDED.year_no, outcome = EXCLUDED.outcome,
	overridden = EXCLUDED.overridden, reason = EXCLUDED.reason, verdict = EXCLUDED.verdict`

	// A decision or a note not given keeps the one recorded.
	sqlSetStanding = `
UPDATE transformations SET standing = $2,
	decision = CASE WHEN $3 = '' THEN decision ELSE $3 END,
	note = CASE WHEN $4 = '' THEN note ELSE $4 END,
	updated = $5
WHERE workflow_id = $1
RETURNING province, commune`
	sqlSetFollowUp = `
UPDATE transformation_outcomes SET follow_up = $4
WHERE province = $1 AND commune = $2 AND year = $3`

	sqlInsertReview = `
INSERT INTO transformation_reviews (cycle_id, workflow_id, task_id, commune, kind, year, review, actor, request_id, at, late)
VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9, $10, $11)
ON CONFLICT (workflow_id, kind, year) DO NOTHING
RETURNING 1`
	sqlReviewBy = `
SELECT at, actor, request_id FROM transformation_reviews
WHERE workflow_id = $1 AND kind = $2 AND year = $3`

	sqlOutcomes = `
SELECT commune, name, year, year_no, outcome, coalesce(follow_up, '') FROM transformation_outcomes
WHERE province = $1 ORDER BY year, commune COLLATE "C"`
	sqlExtensions = `
SELECT commune, name, district, district_name, types FROM transformations
WHERE province = $1 AND year = $2 AND year_no = 2
ORDER BY district COLLATE "C", name COLLATE "C", commune COLLATE "C"`
	sqlTransformations = `
SELECT workflow_id, cycle_id, province, commune, name, kind, district, district_name, types, rank,
	first_year, year, year_no, standing, decision, note, updated
FROM transformations WHERE $1 = '' OR province = $1
ORDER BY province COLLATE "C", first_year, commune COLLATE "C", workflow_id COLLATE "C"`
	sqlReports = `
SELECT cycle_id, workflow_id, task_id, programme, kind, year,
	to_char(period_from, 'YYYY-MM-DD'), to_char(period_to, 'YYYY-MM-DD'),
	to_char(baseline_from, 'YYYY-MM-DD'), to_char(baseline_to, 'YYYY-MM-DD'),
	report, verdict, actor_id, actor_name, actor_role, actor_district, request_id, at, late
FROM transformation_reports WHERE cycle_id = $1 ORDER BY at, id`
)

// Enrol records that a commune starts a programme year: its row is created
// (or, for a later year, moved to it) in standing in_programme. Enrolled
// again for the same year, or for an earlier one, it stays as it is. The
// error is ENOTFOUND if the cycle is not recorded.
func (db *TransformationStore) Enrol(ctx context.Context, e cycle.Enrolment) error {
	c := e.Commune
	op := fmt.Sprintf("enrol %s (%s) for %d", c.Commune, c.WorkflowID, c.Year)
	if err := e.Check(); err != nil {
		return failure(op, err)
	}
	return db.update(ctx, op, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, sqlEnrol, c.WorkflowID, e.CycleID, e.Province, c.Commune, c.Name, string(c.Kind),
			c.District, c.DistrictName, typesLiteral(c.Types), c.Rank, c.FirstYear, c.Year, c.YearNo,
			string(cycle.StandingInProgramme), e.At)
		return cycleRecorded(err, e.CycleID)
	})
}

// SaveReport records a commune's report in one transaction: the audit
// entry, the report with its verdict, and the report's task closed if the
// read model has it. A second call with the same (CycleID, RequestID) does
// nothing. Another report of the same kind for the same workflow and year
// is ECONFLICT, naming when and by whom the first came; an unrecorded cycle
// is ENOTFOUND.
func (db *TransformationStore) SaveReport(ctx context.Context, r cycle.ReportRecord) error {
	op := fmt.Sprintf("save %s report of %s for %d", r.Kind, r.Commune.Commune, r.Year)
	if err := r.Check(); err != nil {
		return failure(op, err)
	}
	details, err := jsonParam(r)
	if err != nil {
		return failure(op, err)
	}
	programme, err := jsonParam(r.Commune)
	if err != nil {
		return failure(op, err)
	}
	report, err := jsonParam(r.Report)
	if err != nil {
		return failure(op, err)
	}
	verdict, err := jsonParam(r.Verdict)
	if err != nil {
		return failure(op, err)
	}
	summary := fmt.Sprintf("%s of %s (%s) for %d: %s", r.Kind, r.Commune.Name, r.Commune.Commune, r.Year, r.Verdict.Outcome)
	return db.update(ctx, op, func(tx *sql.Tx) error {
		recorded, err := insertAudit(ctx, tx, r.At, r.CycleID, r.TaskID, r.Actor, r.Kind.TaskKind(), r.RequestID, summary, r.Late, details)
		if err != nil || !recorded {
			return err
		}
		var id int64
		err = tx.QueryRowContext(ctx, sqlInsertReport, r.CycleID, r.WorkflowID, r.TaskID, r.Commune.Commune, programme,
			string(r.Kind), r.Year, dateParam(r.Period.From), dateParam(r.Period.To), dateParam(r.Baseline.From), dateParam(r.Baseline.To),
			report, verdict, string(r.Verdict.Outcome), r.Actor.ID, r.Actor.Name, string(r.Actor.Role), r.Actor.District,
			r.RequestID, r.At, r.Late).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			var at time.Time
			var actorID, actorName, request string
			if err := tx.QueryRowContext(ctx, sqlReportBy, r.WorkflowID, string(r.Kind), r.Year).Scan(utc(&at), &actorID, &actorName, &request); err != nil {
				return err
			}
			return cycle.Refuse(cycle.ECONFLICT, cycle.Text{VI: "%s của xã %s năm %d đã được gửi lúc %s bởi %s (yêu cầu %s)", EN: "the %s report of %s for %d came already at %s from %s (request %s)"},
				cycle.Word{VI: upperFirst(r.Kind.Vietnamese()), EN: string(r.Kind)}, r.Commune.Commune, r.Year, at.Format(time.RFC3339), who(actorID, actorName), request)
		}
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, sqlCompleteTask, r.CycleID, r.TaskID, r.At, r.Actor.ID)
		return err
	})
}

// SaveResults records the council's year-end appraisal in one transaction:
// the audit entry, one outcome row per commune for (Province, Year) —
// replacing the outcome of an earlier appraisal of that year, keeping its
// follow-up result — and the council's task closed if the read model has
// it. A second call with the same (CycleID, RequestID) does nothing; an
// unrecorded cycle is ENOTFOUND.
func (db *TransformationStore) SaveResults(ctx context.Context, r cycle.ResultsRecord) error {
	op := fmt.Sprintf("save results of %s for %d", r.CycleID, r.Year)
	if err := r.Check(); err != nil {
		return failure(op, err)
	}
	details, err := jsonParam(r)
	if err != nil {
		return failure(op, err)
	}
	verdicts := make([]string, len(r.Results))
	passed := 0
	for i, res := range r.Results {
		if verdicts[i], err = jsonParam(res.Verdict); err != nil {
			return failure(op, err)
		}
		if res.Outcome == cycle.OutcomePass {
			passed++
		}
	}
	summary := fmt.Sprintf("results of %s for %d: %d of %d passed", r.Province, r.Year, passed, len(r.Results))
	return db.update(ctx, op, func(tx *sql.Tx) error {
		recorded, err := insertAudit(ctx, tx, r.At, r.CycleID, r.TaskID, r.Actor, cycle.TaskAppraiseResults, r.RequestID, summary, r.Late, details)
		if err != nil || !recorded {
			return err
		}
		for i, res := range r.Results {
			c := res.Commune
			if _, err := tx.ExecContext(ctx, sqlUpsertOutcome, r.Province, c.Commune, r.Year, r.CycleID, c.Name, c.YearNo,
				string(res.Outcome), res.Overridden, res.Reason, verdicts[i]); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, sqlCompleteTask, r.CycleID, r.TaskID, r.At, r.Actor.ID)
		return err
	})
}

// SetStanding records where a commune now stands, with the recognition
// decision's code and a note when given (else the recorded ones stay).
// With a follow-up result, it also sets the follow-up column of the
// commune's outcome row for (Province, Year). Idempotent. The error is
// ENOTFOUND if the workflow is not enrolled, or if a follow-up result has
// no outcome row to go to.
func (db *TransformationStore) SetStanding(ctx context.Context, s cycle.StandingChange) error {
	op := fmt.Sprintf("set standing of %s (%s) to %s", s.Commune, s.WorkflowID, s.Standing)
	if err := s.Check(); err != nil {
		return failure(op, err)
	}
	return db.update(ctx, op, func(tx *sql.Tx) error {
		var province, commune string
		err := tx.QueryRowContext(ctx, sqlSetStanding, s.WorkflowID, string(s.Standing), s.Decision, s.Note, s.At).Scan(&province, &commune)
		if errors.Is(err, sql.ErrNoRows) {
			return cycle.Refuse(cycle.ENOTFOUND, cycle.Text{VI: "Quy trình theo dõi %s của xã chưa được ghi nhận", EN: "commune workflow %s is not enrolled"}, s.WorkflowID)
		}
		if err != nil || s.FollowUp == "" {
			return err
		}
		if s.Province != "" {
			province = s.Province
		}
		if s.Commune != "" {
			commune = s.Commune
		}
		res, err := tx.ExecContext(ctx, sqlSetFollowUp, province, commune, s.Year, string(s.FollowUp))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n > 0 {
			return err
		}
		return cycle.Refuse(cycle.ENOTFOUND, cycle.Text{VI: "Chưa có kết quả năm của xã %s (tỉnh %s) năm %d để ghi kết quả theo dõi sau 6 tháng", EN: "no outcome of %s in province %s for %d to record the follow-up on"}, commune, province, s.Year)
	})
}

// reviewPayload is what transformation_reviews.review holds.
type reviewPayload struct {
	Failure        *cycle.FailureReview        `json:"failure,omitempty"`
	Responsibility *cycle.ResponsibilityReview `json:"responsibility,omitempty"`
}

// SaveReview records a failure or responsibility review in one
// transaction: the audit entry, the review, and its task closed if the
// read model has it. A second call with the same (CycleID, RequestID) does
// nothing; another review of the same kind for the same workflow and year
// is ECONFLICT; an unrecorded cycle is ENOTFOUND.
func (db *TransformationStore) SaveReview(ctx context.Context, r cycle.ReviewRecord) error {
	op := fmt.Sprintf("save %s review of %s for %d", r.Kind, r.Commune.Commune, r.Year)
	if err := r.Check(); err != nil {
		return failure(op, err)
	}
	details, err := jsonParam(r)
	if err != nil {
		return failure(op, err)
	}
	review, err := jsonParam(reviewPayload{Failure: r.Failure, Responsibility: r.Responsibility})
	if err != nil {
		return failure(op, err)
	}
	actor, err := jsonParam(r.Actor)
	if err != nil {
		return failure(op, err)
	}
	summary := fmt.Sprintf("%s review of %s (%s) for %d", r.Kind, r.Commune.Name, r.Commune.Commune, r.Year)
	return db.update(ctx, op, func(tx *sql.Tx) error {
		recorded, err := insertAudit(ctx, tx, r.At, r.CycleID, r.TaskID, r.Actor, reviewTask(r.Kind), r.RequestID, summary, r.Late, details)
		if err != nil || !recorded {
			return err
		}
		var one int
		err = tx.QueryRowContext(ctx, sqlInsertReview, r.CycleID, r.WorkflowID, r.TaskID, r.Commune.Commune, string(r.Kind), r.Year,
			review, actor, r.RequestID, r.At, r.Late).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			var at time.Time
			var by []byte
			var request string
			if err := tx.QueryRowContext(ctx, sqlReviewBy, r.WorkflowID, string(r.Kind), r.Year).Scan(utc(&at), &by, &request); err != nil {
				return err
			}
			var first cycle.Actor
			if err := scanJSON(by, &first); err != nil {
				return err
			}
			return cycle.Refuse(cycle.ECONFLICT, cycle.Text{VI: "Bản %s của xã %s năm %d đã được gửi lúc %s bởi %s (yêu cầu %s)", EN: "the %s review of %s for %d came already at %s from %s (request %s)"},
				r.Kind, r.Commune.Commune, r.Year, at.Format(time.RFC3339), who(first.ID, first.Name), request)
		}
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, sqlCompleteTask, r.CycleID, r.TaskID, r.At, r.Actor.ID)
		return err
	})
}

// Outcomes returns every outcome row of the province, by year and commune.
func (db *TransformationStore) Outcomes(ctx context.Context, province string) ([]cycle.OutcomeRow, error) {
	var out []cycle.OutcomeRow
	err := db.view(ctx, "outcomes of "+province, func(tx *sql.Tx) error {
		var err error
		out, err = queryAll(ctx, tx, sqlOutcomes, []any{province}, func(r *sql.Rows) (cycle.OutcomeRow, error) {
			var o cycle.OutcomeRow
			var outcome, followUp string
			err := r.Scan(&o.Commune, &o.Name, &o.Year, &o.YearNo, &outcome, &followUp)
			o.Outcome, o.FollowUp = cycle.Outcome(outcome), cycle.FollowUpResult(followUp)
			return o, err
		})
		return err
	})
	return out, err
}

// Extensions returns the communes of the province enrolled for year as
// their second programme year, as the year's approval decision lists them
// (Extension set), by district and name.
func (db *TransformationStore) Extensions(ctx context.Context, province string, year int) ([]cycle.ListedCommune, error) {
	var out []cycle.ListedCommune
	err := db.view(ctx, fmt.Sprintf("extensions of %s in %d", province, year), func(tx *sql.Tx) error {
		var err error
		out, err = queryAll(ctx, tx, sqlExtensions, []any{province, year}, func(r *sql.Rows) (cycle.ListedCommune, error) {
			l := cycle.ListedCommune{Extension: true}
			var types pq.Int64Array
			err := r.Scan(&l.Commune, &l.Name, &l.District, &l.DistrictName, &types)
			l.Types = scanTypes(types)
			return l, err
		})
		return err
	})
	return out, err
}

// Transformations returns every commune of the province in the programme
// (every province's for ""), by province, first year and commune. A
// commune in its second year is marked Extension.
func (db *TransformationStore) Transformations(ctx context.Context, province string) ([]cycle.Transformation, error) {
	var out []cycle.Transformation
	err := db.view(ctx, "transformations of "+province, func(tx *sql.Tx) error {
		var err error
		out, err = queryAll(ctx, tx, sqlTransformations, []any{province}, func(r *sql.Rows) (cycle.Transformation, error) {
			var t cycle.Transformation
			var kind, standing string
			var types pq.Int64Array
			c := &t.CommuneInProgramme
			err := r.Scan(&c.WorkflowID, &t.CycleID, &t.Province, &c.Commune, &c.Name, &kind, &c.District, &c.DistrictName,
				&types, &c.Rank, &c.FirstYear, &c.Year, &c.YearNo, &standing, &t.Decision, &t.Note, utc(&t.Updated))
			c.Kind, c.Types, c.Extension = cycle.CommuneKind(kind), scanTypes(types), c.YearNo == 2
			t.Standing = cycle.Standing(standing)
			return t, err
		})
		return err
	})
	return out, err
}

// Reports returns the reports of a cohort's cycle in the order received
// (by time, then by the order they were recorded).
func (db *TransformationStore) Reports(ctx context.Context, cycleID string) ([]cycle.ReportRecord, error) {
	var out []cycle.ReportRecord
	err := db.view(ctx, "reports of cycle "+cycleID, func(tx *sql.Tx) error {
		var err error
		out, err = queryAll(ctx, tx, sqlReports, []any{cycleID}, func(r *sql.Rows) (cycle.ReportRecord, error) {
			var rec cycle.ReportRecord
			var programme, report, verdict []byte
			var kind, role string
			var pFrom, pTo, bFrom, bTo sql.NullString
			if err := r.Scan(&rec.CycleID, &rec.WorkflowID, &rec.TaskID, &programme, &kind, &rec.Year, &pFrom, &pTo, &bFrom, &bTo,
				&report, &verdict, &rec.Actor.ID, &rec.Actor.Name, &role, &rec.Actor.District, &rec.RequestID, utc(&rec.At), &rec.Late); err != nil {
				return rec, err
			}
			rec.Kind, rec.Actor.Role = cycle.ReportKind(kind), cycle.Role(role)
			for _, d := range []struct {
				s  sql.NullString
				to *cycle.Date
			}{{pFrom, &rec.Period.From}, {pTo, &rec.Period.To}, {bFrom, &rec.Baseline.From}, {bTo, &rec.Baseline.To}} {
				var err error
				if *d.to, err = scanDate(d.s); err != nil {
					return rec, err
				}
			}
			if err := scanJSON(programme, &rec.Commune); err != nil {
				return rec, err
			}
			if err := scanJSON(report, &rec.Report); err != nil {
				return rec, err
			}
			return rec, scanJSON(verdict, &rec.Verdict)
		})
		return err
	})
	return out, err
}

// insertAudit appends the audit entry of a completed task of the
// transformation year, as CompleteTask does. It reports false if the
// entry was recorded by an earlier attempt (the caller then does nothing
// else); the error is ENOTFOUND if the cycle is not recorded.
func insertAudit(ctx context.Context, tx *sql.Tx, at time.Time, cycleID, taskID string, a cycle.Actor, kind cycle.TaskKind,
	requestID, summary string, late bool, details string) (bool, error) {
	var id int64
	err := tx.QueryRowContext(ctx, sqlInsertAudit, at, cycleID, taskID, a.ID, a.Name, string(a.Role), a.District,
		string(kind), requestID, summary, late, details).Scan(&id)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return false, nil
	case err != nil:
		return false, cycleRecorded(err, cycleID)
	}
	return true, nil
}

// cycleRecorded turns a foreign-key violation into ENOTFOUND naming the
// cycle (the only foreign key of the transformation tables).
func cycleRecorded(err error, cycleID string) error {
	if pq.As(err, pqerror.ForeignKeyViolation) != nil {
		return cycle.Refuse(cycle.ENOTFOUND, cycle.Text{VI: "Không có đợt %s trong hệ thống", EN: "cycle %s is not recorded"}, cycleID)
	}
	return err
}

// who names an officer for a message: "Trần Thị Bích (ca-tp-qn-01)".
func who(id, name string) string {
	if name == "" {
		return id
	}
	return name + " (" + id + ")"
}

// reviewTask is the task kind that carries a review of kind k.
func reviewTask(k cycle.ReviewKind) cycle.TaskKind {
	if k == cycle.ReviewResponsibility {
		return cycle.TaskResponsibilityReview
	}
	return cycle.TaskFailureReview
}

// upperFirst capitalises a text's first letter.
func upperFirst(s string) string {
	r := []rune(s)
	if len(r) == 0 {
		return s
	}
	return strings.ToUpper(string(r[0])) + string(r[1:])
}
