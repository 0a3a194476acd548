package document

import (
	"fmt"
	"strings"
	"time"
)

// nbsp keeps the blanks of drafts ("Số:      /QĐ-BCĐ") from collapsing
// like ordinary word spaces.
const nbsp = "\u00a0"

// DateLine returns the place-and-date line of Decree 30, e.g.
// "Quảng Ngãi, ngày 05 tháng 01 năm 2027": days below 10 and the months 1
// and 2 are written with a leading zero. Only the calendar fields of date
// are used. The zero time gives a draft's line, with blanks (no-break
// spaces) for the day, month and year.
func DateLine(place string, date time.Time) string {
	if date.IsZero() {
		b := strings.Repeat(nbsp, 7)
		return fmt.Sprintf("%s, ngày%stháng%snăm%s", place, b, b, b)
	}
	y, m, d := date.Date()
	month := fmt.Sprint(int(m))
	if m <= time.February {
		month = fmt.Sprintf("%02d", int(m))
	}
	return fmt.Sprintf("%s, ngày %02d tháng %s năm %d", place, d, month, y)
}

// numberLine returns "Số: 12/QĐ-BCĐ", or for a draft "Số:      /QĐ-BCĐ".
func numberLine(number, suffix string) string {
	if number != "" {
		return "Số: " + number
	}
	return "Số:" + strings.Repeat(nbsp, 8) + "/" + suffix
}
