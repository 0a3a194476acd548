package intake

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"chuyenhoa/cycle"
)

func init() {
	cycle.DefineMessages(map[string]cycle.Text{
		"csv.bare_quote":  {VI: "Dấu ngoặc kép (\") nằm giữa một ô không đặt trong ngoặc kép: hãy đặt cả ô trong ngoặc kép và viết \"\" cho mỗi dấu ngoặc kép bên trong", EN: "a quote (\") inside a field that is not quoted: quote the whole field and write \"\" for each quote inside it"},
		"csv.quote":       {VI: "Ô mở dấu ngoặc kép (\") ở dòng %[1]d chưa đóng, hoặc có chữ ngay sau dấu ngoặc kép đóng", EN: "the quoted field that starts on line %[1]d is not closed, or has text right after its closing quote"},
		"csv.too_many":    {VI: "Có quá nhiều lỗi dấu ngoặc kép: dừng đọc tệp ở dòng %[1]d", EN: "too many quoting errors: reading stopped at line %[1]d"},
		"xlsx.open":       {VI: "Tệp không phải bảng tính Excel .xlsx đọc được (%[1]s)", EN: "the file is not an Excel workbook (.xlsx): %[1]s"},
		"xlsx.no_sheet":   {VI: "Bảng tính không có trang tính nào", EN: "the workbook has no sheet"},
		"xlsx.sheet":      {VI: "Không đọc được trang tính «%[1]s» (%[2]s)", EN: "sheet “%[1]s” cannot be read: %[2]s"},
		"dialect.csv":     {VI: "tệp CSV dùng %[1]s làm dấu phân cách, %[2]s%[3]s", EN: "a CSV file separated by %[1]s, %[2]s%[3]s"},
		"dialect.xlsx":    {VI: "bảng tính Excel .xlsx, trang tính «%[1]s»", EN: "an Excel .xlsx workbook, sheet “%[1]s”"},
		"separator.comma": {VI: "dấu phẩy (,)", EN: "commas (,)"},
		"separator.semi":  {VI: "dấu chấm phẩy (;)", EN: "semicolons (;)"},
		"separator.tab":   {VI: "dấu tab", EN: "tabs"},
	})
}

// TemplateSheet is the name of the sheet of the published Excel template.
const TemplateSheet = "DeXuat"

// Bounds on what an uploaded workbook may unzip to (a small file can
// unzip to gigabytes).
const (
	xlsxUnzipLimit    = 64 << 20
	xlsxUnzipXMLLimit = 16 << 20
)

// ReadTable reads a table from a CSV file or from an Excel workbook,
// whichever the file is (see File.FormatOf).
func ReadTable(f File) (cycle.Table, error) {
	format, err := f.FormatOf()
	if err != nil {
		return cycle.Table{}, err
	}
	if format == XLSX {
		return ReadXLSXTable(f)
	}
	return ReadCSVTable(f)
}

// separatorWord names a separator.
func separatorWord(sep rune) cycle.Word {
	code := "separator.comma"
	switch sep {
	case ';':
		code = "separator.semi"
	case '\t':
		code = "separator.tab"
	}
	return cycle.Word{VI: cycle.Say(cycle.Vietnamese, code), EN: cycle.Say(cycle.English, code)}
}

// ReadCSVTable reads a CSV file as offices produce it: in UTF-8 (with or
// without a byte-order mark) or a legacy Vietnamese encoding (see
// DetectEncoding); separated by commas, semicolons (Excel with Vietnamese
// regional settings) or tabs — told from the header line, or from Excel's
// "sep=;" first line; lines ended by CRLF, LF or CR. Each row keeps its
// line in the file. The table's Dialect says how it was read, for any
// message about its header.
func ReadCSVTable(f File) (cycle.Table, error) {
	text, enc, bom, err := DecodeText(f.Data)
	if err != nil {
		return cycle.Table{}, f.named(err)
	}
	skipped := 0
	sep := rune(0)
	if first, rest, ok := strings.Cut(text, "\n"); ok || first != "" {
		if r := []rune(strings.TrimRight(first, "\r")); len(r) == 5 && strings.EqualFold(string(r[:4]), "sep=") && validSeparator(r[4]) {
			sep, text, skipped = r[4], rest, 1
		}
	}
	if !strings.Contains(text, "\n") && strings.Contains(text, "\r") {
		text = strings.ReplaceAll(text, "\r", "\n") // Excel for Mac's CR-only lines
	}
	if sep == 0 {
		sep = DetectSeparator(text)
	}
	t := cycle.Table{File: f.Name, Dialect: csvDialect(sep, enc, bom)}
	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = sep
	cr.FieldsPerRecord = -1
	var probs []cycle.Problem
	quoting := 0
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return cycle.Table{}, err
			}
			probs = append(probs, csvProblem(pe, skipped))
			if quoting++; quoting >= 1000 {
				probs = append(probs, fileProblem(cycle.NewProblem("csv.too_many", pe.Line+skipped), cycle.Location{Line: pe.Line + skipped}))
				break
			}
			continue
		}
		line, _ := cr.FieldPos(0)
		row := cycle.TableRow{Line: line + skipped, Cells: rec}
		if len(t.Header.Cells) == 0 {
			if !row.Blank() {
				t.Header = row
			}
			continue
		}
		t.Rows = append(t.Rows, row)
	}
	if len(probs) > 0 {
		return cycle.Table{}, f.refuse(probs...)
	}
	return t, nil
}

// validSeparator reports whether r can separate CSV fields (what
// encoding/csv accepts): Excel's "sep=" line may say anything.
func validSeparator(r rune) bool {
	return r != 0 && r != '"' && r != '\r' && r != '\n' && r != 0xFEFF && utf8.ValidRune(r) && r != utf8.RuneError
}

func csvDialect(sep rune, enc Encoding, bom bool) cycle.Word {
	args := []any{separatorWord(sep), enc.Word(), bomWord(bom)}
	return cycle.Word{VI: cycle.Say(cycle.Vietnamese, "dialect.csv", args...), EN: cycle.Say(cycle.English, "dialect.csv", args...)}
}

func csvProblem(pe *csv.ParseError, skipped int) cycle.Problem {
	var p cycle.Problem
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		p = cycle.NewProblem("csv.bare_quote")
	default:
		p = cycle.NewProblem("csv.quote", pe.StartLine+skipped)
	}
	p.Rule = "csv.quote"
	return fileProblem(p, cycle.Location{Line: pe.Line + skipped})
}

// DetectSeparator tells a CSV text's separator: of comma, semicolon and
// tab, the one that splits the header line (the first that is not blank)
// and gives the following rows as many fields as the header; a comma when
// none splits it (a table of one column).
func DetectSeparator(text string) rune {
	header := firstLine(text)
	best, bestScore := ',', -1
	for _, sep := range []rune{',', ';', '\t'} {
		n := countOutsideQuotes(header, sep)
		if n == 0 {
			continue
		}
		cr := csv.NewReader(strings.NewReader(text))
		cr.Comma, cr.FieldsPerRecord, cr.LazyQuotes = sep, -1, true
		width, agree := -1, 0
		for i := 0; i < 21; i++ {
			rec, err := cr.Read()
			if err != nil {
				break
			}
			if width < 0 {
				if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
					i--
					continue
				}
				width = len(rec)
				continue
			}
			if len(rec) == width || (len(rec) == 1 && strings.TrimSpace(rec[0]) == "") {
				agree++
			}
		}
		if score := agree*1000 + n; score > bestScore {
			best, bestScore = sep, score
		}
	}
	return best
}

// firstLine is the first line of text that is not blank, to a newline
// outside quotes.
func firstLine(text string) string {
	for len(text) > 0 {
		quoted := false
		end := len(text)
		for i := 0; i < len(text); i++ {
			switch text[i] {
			case '"':
				quoted = !quoted
			case '\n':
				if !quoted {
					end = i
				}
			}
			if end != len(text) {
				break
			}
		}
		line := strings.TrimRight(text[:end], "\r")
		if strings.TrimSpace(line) != "" {
			return line
		}
		if end == len(text) {
			return ""
		}
		text = text[end+1:]
	}
	return ""
}

func countOutsideQuotes(line string, sep rune) int {
	n, quoted := 0, false
	for _, r := range line {
		switch {
		case r == '"':
			quoted = !quoted
		case r == sep && !quoted:
			n++
		}
	}
	return n
}

// ReadXLSXTable reads the table of an Excel workbook: the sheet of the
// published template (TemplateSheet) if there is one, else the first
// sheet. Cells are read as stored, not as displayed (a number formatted
// "1.234" is read 1234); each row keeps its row number, each cell its
// letter.
func ReadXLSXTable(f File) (cycle.Table, error) {
	wb, err := excelize.OpenReader(bytes.NewReader(f.Data), excelize.Options{UnzipSizeLimit: xlsxUnzipLimit, UnzipXMLSizeLimit: xlsxUnzipXMLLimit})
	if err != nil {
		return cycle.Table{}, f.refuse(cycle.NewProblem("xlsx.open", cycle.Quote(err.Error())))
	}
	defer wb.Close()
	sheets := wb.GetSheetList()
	if len(sheets) == 0 {
		return cycle.Table{}, f.refuse(cycle.NewProblem("xlsx.no_sheet"))
	}
	sheet := sheets[0]
	for _, s := range sheets {
		if s == TemplateSheet {
			sheet = s
		}
	}
	rows, err := wb.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		return cycle.Table{}, f.refuse(cycle.NewProblem("xlsx.sheet", sheet, cycle.Quote(err.Error())))
	}
	t := cycle.Table{File: f.Name, Sheet: sheet, Dialect: cycle.Word{VI: cycle.Say(cycle.Vietnamese, "dialect.xlsx", sheet), EN: cycle.Say(cycle.English, "dialect.xlsx", sheet)}}
	for i, cells := range rows {
		for j, c := range cells {
			if !utf8.ValidString(c) {
				cells[j] = strings.ToValidUTF8(c, "\uFFFD")
			}
		}
		row := cycle.TableRow{Line: i + 1, Cells: cells}
		if len(t.Header.Cells) == 0 {
			if !row.Blank() {
				t.Header = row
			}
			continue
		}
		t.Rows = append(t.Rows, row)
	}
	return t, nil
}
