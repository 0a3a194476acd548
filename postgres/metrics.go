package postgres

import (
	"context"
	"database/sql"
	"fmt"

	"chuyenhoa/cycle"
)

const (
	// A task due on day d is overdue from the day after d (cycle.Date.End),
	// so overdue means due before today; a task without a due date never is.
	sqlTaskCounts = `
SELECT c.province, t.kind, count(*), count(*) FILTER (WHERE t.due < $1::date)
FROM tasks t JOIN cycles c ON c.id = t.cycle_id
WHERE t.closed_at IS NULL
GROUP BY c.province, t.kind
ORDER BY c.province COLLATE "C", t.kind COLLATE "C"`
	sqlDeliveryCounts = `
SELECT channel, status, count(*) FROM deliveries
GROUP BY channel, status
ORDER BY channel COLLATE "C", status COLLATE "C"`
	sqlDocumentCounts = `
SELECT c.province, a.kind, count(*)
FROM archived_documents a JOIN decisions d ON d.id = a.id JOIN cycles c ON c.id = d.cycle_id
GROUP BY c.province, a.kind
ORDER BY c.province COLLATE "C", a.kind COLLATE "C"`
	sqlPing = `SELECT 1`
)

// Counts reads the gauges' figures in one read-only snapshot. today is the
// civil date in Vietnam (cycle.DateOf(time.Now())): tasks due before it are
// overdue. The context bounds the queries; a scrape passes a short timeout.
func (db *MetricsStore) Counts(ctx context.Context, today cycle.Date) (cycle.Counts, error) {
	if today.IsZero() {
		return cycle.Counts{}, failure("counts", cycle.Errorf(cycle.EINVALID, "today is the zero date"))
	}
	var out cycle.Counts
	err := db.view(ctx, "counts", func(tx *sql.Tx) error {
		var err error
		out.Tasks, err = queryAll(ctx, tx, sqlTaskCounts, []any{dateParam(today)}, func(r *sql.Rows) (cycle.TaskCount, error) {
			var c cycle.TaskCount
			var kind string
			err := r.Scan(&c.Province, &kind, &c.Open, &c.Overdue)
			c.Kind = cycle.TaskKind(kind)
			return c, err
		})
		if err != nil {
			return fmt.Errorf("tasks: %w", err)
		}
		out.Deliveries, err = queryAll(ctx, tx, sqlDeliveryCounts, nil, func(r *sql.Rows) (cycle.DeliveryCount, error) {
			var c cycle.DeliveryCount
			return c, r.Scan(&c.Channel, &c.Status, &c.N)
		})
		if err != nil {
			return fmt.Errorf("deliveries: %w", err)
		}
		out.Documents, err = queryAll(ctx, tx, sqlDocumentCounts, nil, func(r *sql.Rows) (cycle.DocumentCount, error) {
			var c cycle.DocumentCount
			return c, r.Scan(&c.Province, &c.Kind, &c.N)
		})
		if err != nil {
			return fmt.Errorf("documents: %w", err)
		}
		return nil
	})
	return out, err
}

// Ping checks that the database answers a query, for the readiness probe.
// Unlike sql.DB.PingContext it always makes a round trip to the server,
// even over a pooled connection.
func (db *MetricsStore) Ping(ctx context.Context) error {
	var one int
	if err := db.db.QueryRowContext(ctx, sqlPing).Scan(&one); err != nil {
		return fmt.Errorf("ping postgres: %w", err)
	}
	return nil
}
