package postgres

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/lib/pq"

	"chuyenhoa/cycle"
)

// Conversions between domain values and column values. Civil dates travel
// as "2027-01-31" text both ways (written with $n::date, read with
// to_char(…, 'YYYY-MM-DD')), never through time.Time, so no time zone can
// shift them by a day.

// dateParam is d as a date parameter: NULL for the zero date.
func dateParam(d cycle.Date) sql.NullString {
	if d.IsZero() {
		return sql.NullString{}
	}
	return sql.NullString{String: d.String(), Valid: true}
}

// scanDate converts a to_char'd date column back; NULL is the zero date.
func scanDate(s sql.NullString) (cycle.Date, error) {
	if !s.Valid {
		return cycle.Date{}, nil
	}
	return cycle.ParseDate(s.String)
}

// timeParam is t as a timestamptz parameter: NULL for the zero time.
func timeParam(t time.Time) sql.NullTime {
	return sql.NullTime{Time: t, Valid: !t.IsZero()}
}

// jsonParam marshals v for a jsonb parameter. It is passed as a string so
// that the driver sends it as text, not as bytea.
func jsonParam(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("encode json: %w", err)
	}
	return string(b), nil
}

// scanJSON unmarshals a jsonb column into v; NULL leaves v as it is.
func scanJSON(b []byte, v any) error {
	if b == nil {
		return nil
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("decode json: %w", err)
	}
	return nil
}

// typesLiteral is ts as an integer[] literal, "{1,3}", so that a column of
// arrays can travel as one text[] parameter through unnest.
func typesLiteral(ts cycle.Types) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = strconv.Itoa(int(t))
	}
	return "{" + strings.Join(parts, ",") + "}"
}

// scanTypes converts an integer[] column.
func scanTypes(a pq.Int64Array) cycle.Types {
	ts := make(cycle.Types, len(a))
	for i, t := range a {
		ts[i] = cycle.CrimeType(t)
	}
	return ts
}

// utc scans a timestamptz column into *t in UTC (NULL is the zero time).
// The driver returns instants in the session's time zone, which depends on
// the server's configuration; the store's readers get the same value
// whatever it is.
func utc(t *time.Time) sql.Scanner { return utcScanner{t} }

type utcScanner struct{ t *time.Time }

func (s utcScanner) Scan(v any) error {
	switch v := v.(type) {
	case nil:
		*s.t = time.Time{}
	case time.Time:
		*s.t = v.UTC()
	default:
		return fmt.Errorf("scan %T into a time", v)
	}
	return nil
}
