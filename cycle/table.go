package cycle

import (
	"strconv"
	"strings"
)

// Table is a table read from an officer's file — a CSV file, or a sheet of
// an Excel workbook — already decoded to Unicode text: what the domain
// reads proposals from. The bytes (encodings, separators, workbooks) are
// the business of package intake; the numbers here are the file's own, so
// that every problem can say where it is.
type Table struct {
	File  string // the file's name, for locations
	Sheet string // the sheet's name, for a workbook; "" for a CSV file
	// Dialect says how the file was read, for messages about its header:
	// "CSV, dấu phân cách «;», bảng mã Windows-1258".
	Dialect Word
	Header  TableRow
	Rows    []TableRow
}

// TableRow is one row of a table: the file's line (the sheet's row) and
// its cells as text.
type TableRow struct {
	Line  int
	Cells []string
}

// Cell returns the row's cell in column i, or "".
func (r TableRow) Cell(i int) string {
	if i < 0 || i >= len(r.Cells) {
		return ""
	}
	return r.Cells[i]
}

// Blank reports whether every cell of the row is empty or white space.
func (r TableRow) Blank() bool {
	for _, c := range r.Cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// At is the location of a row's cell in column i (-1: the row itself):
// the line and the column's header for a CSV file; the sheet, the cell
// and the header for a workbook.
func (t Table) At(line, i int) Location {
	l := Location{Sheet: t.Sheet, Line: line} // the file is named once, in the refusal's message
	if i >= 0 {
		l.Column = strings.TrimSpace(t.Header.Cell(i))
		if l.Column == "" && t.Sheet == "" {
			l.Column = strconv.Itoa(i + 1)
		}
		if t.Sheet != "" {
			l.Cell = ColumnLetters(i) + strconv.Itoa(line)
		}
	}
	return l
}

// ColumnLetters names a spreadsheet column from its index: 0 → "A",
// 25 → "Z", 26 → "AA".
func ColumnLetters(i int) string {
	var b []byte
	for i++; i > 0; i = (i - 1) / 26 {
		b = append([]byte{byte('A' + (i-1)%26)}, b...)
	}
	return string(b)
}

// Word is a text said differently in each language (a Localizer): a
// noun, the name of a separator or an encoding.
type Word struct {
	VI, EN string
}

// Say returns the word in a language.
func (w Word) Say(lang Lang) string {
	if lang == English {
		return w.EN
	}
	return w.VI
}
