package cycle

import (
	"encoding/json"
	"fmt"
	"time"
)

// Vietnam is the time zone every date in the plans is in (Asia/Ho_Chi_Minh,
// UTC+7, no daylight saving since 1975). A fixed zone keeps workflow code
// free of the tz database.
var Vietnam = time.FixedZone("ICT", 7*60*60)

// Date is a civil date in Vietnam, as the plans write them ("ngày 31 tháng 01").
// It is converted to an instant only through Start and End.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// D returns the date year-month-day, normalised (D(2027, 1, 32) is 1 February).
func D(year int, month time.Month, day int) Date {
	return DateOf(time.Date(year, month, day, 12, 0, 0, 0, Vietnam))
}

// DateOf returns the civil date in Vietnam of the instant t.
func DateOf(t time.Time) Date {
	t = t.In(Vietnam)
	return Date{Year: t.Year(), Month: t.Month(), Day: t.Day()}
}

// Start is the first instant of the date in Vietnam.
func (d Date) Start() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, Vietnam) }

// End is the first instant after the date: a task due on d is overdue from End.
func (d Date) End() time.Time { return d.Start().AddDate(0, 0, 1) }

// At is the given hour of the date in Vietnam.
func (d Date) At(hour int) time.Time {
	return time.Date(d.Year, d.Month, d.Day, hour, 0, 0, 0, Vietnam)
}

// AddDays returns the date n days later (earlier when n < 0).
func (d Date) AddDays(n int) Date { return DateOf(d.At(12).AddDate(0, 0, n)) }

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Start().Before(e.Start()) }

// String formats d as 2027-01-31.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day) }

// Vietnamese formats d as the plans do: 31/01/2027.
func (d Date) Vietnamese() string { return fmt.Sprintf("%02d/%02d/%04d", d.Day, int(d.Month), d.Year) }

// ParseDate parses 2027-01-31.
func ParseDate(s string) (Date, error) {
	t, err := time.ParseInLocation("2006-01-02", s, Vietnam)
	if err != nil {
		return Date{}, fmt.Errorf("date %q: want YYYY-MM-DD", s)
	}
	return DateOf(t.Add(12 * time.Hour)), nil
}

// MarshalJSON writes "2027-01-31" (null for the zero date).
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}

// UnmarshalJSON reads "2027-01-31" or null.
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("date: %w", err)
	}
	v, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// YearDay is a day of the year relative to a cycle's year Y, as plans write
// deadlines: "31/01 of Y", "15/12 of Y−1".
type YearDay struct {
	Month      time.Month `json:"month"`
	Day        int        `json:"day"`
	YearOffset int        `json:"year_offset"` // 0 = year Y, -1 = year Y−1
}

// In returns the date for the cycle year y.
func (yd YearDay) In(y int) Date { return D(y+yd.YearOffset, yd.Month, yd.Day) }

// Valid reports whether yd names a real day of the year (29 February is refused).
func (yd YearDay) Valid() bool {
	if yd.Month < 1 || yd.Month > 12 || yd.Day < 1 {
		return false
	}
	return D(2001, yd.Month, yd.Day).Month == yd.Month // 2001: not a leap year
}

// After reports whether d is a later day than e.
func (d Date) After(e Date) bool { return e.Before(d) }
