package intake

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"chuyenhoa/cycle"
)

// File is a file as an officer gives it: its name (for messages; its
// extension helps tell its format), the media type it was sent with, if
// any, and its bytes.
type File struct {
	Name string
	Type string // e.g. "text/csv", from an upload's Content-Type
	Data []byte
}

// ETooLarge is the error code of a file over its size limit (the API
// answers it with 413).
const ETooLarge = "too_large"

// The limits on a file's size, checked before anything is parsed.
const (
	MaxProposalBytes   = cycle.MaxProposalBytes   // a unit's proposal table
	MaxCheckInputBytes = cycle.MaxCheckInputBytes // the offline checker's input
	MaxReportBytes     = 1 << 20                  // a commune's transformation report
)

func init() {
	cycle.DefineMessages(map[string]cycle.Text{
		"file.too_large":        {VI: "Tệp%[1]s lớn %[2]s MB (%[3]s byte), vượt giới hạn %[4]s MB (%[5]s byte)", EN: "the file%[1]s is %[2]s MB (%[3]s bytes), over the limit of %[4]s MB (%[5]s bytes)"},
		"file.upload_too_large": {VI: "Dữ liệu gửi lên lớn %[1]s MB (%[2]s byte), vượt giới hạn %[3]s MB (%[4]s byte) của một tệp", EN: "the upload is %[1]s MB (%[2]s bytes), over the limit of %[3]s MB (%[4]s bytes) for a file"},
		"file.over_limit":       {VI: "Tệp%[1]s lớn hơn giới hạn %[2]s MB (%[3]s byte)", EN: "the file%[1]s is larger than the limit of %[2]s MB (%[3]s bytes)"},
		"file.empty":            {VI: "Tệp rỗng", EN: "the file is empty"},
		"file.xls":              {VI: "Tệp là bảng tính Excel 97–2003 (.xls), chưa đọc được: hãy lưu lại thành Excel .xlsx hoặc CSV UTF-8", EN: "the file is an Excel 97–2003 workbook (.xls), which is not read: save it as an Excel .xlsx workbook or as CSV UTF-8"},
		"file.not_table":        {VI: "Tệp là %[1]s, không phải bảng số liệu: hãy gửi tệp CSV, Excel .xlsx hoặc JSON", EN: "the file is %[1]s, not a table of figures: send a CSV, Excel .xlsx or JSON file"},
		"file.refused":          {VI: "Tệp%[1]s chưa hợp lệ", EN: "file%[1]s"},
		"file.refused.upload":   {VI: "Tệp gửi lên chưa hợp lệ", EN: "the uploaded file"},
	})
}

// fileName quotes a file's name for a message, in each language, after a
// space ("Tệp «de-xuat.csv» …"); the upload without a name is "".
func fileName(name string) cycle.Word {
	if name == "" {
		return cycle.Word{}
	}
	base := filepath.Base(name)
	return cycle.Word{VI: " «" + base + "»", EN: " “" + base + "”"}
}

// megabytes says a size in MB (2²⁰ bytes) with one decimal, a limit
// without: "5,0" and "4".
func megabytes(n int64, exact bool) cycle.Num {
	if exact {
		return cycle.Num{V: float64(n) / (1 << 20), Digits: -1}
	}
	return cycle.Num{V: float64(n) / (1 << 20), Digits: 1}
}

// CheckSize refuses a file of size bytes over limit, naming both.
func CheckSize(name string, size, limit int64) error {
	if size <= limit {
		return nil
	}
	return cycle.Fail(ETooLarge, "file.too_large", fileName(name), megabytes(size, false), cycle.Int(size), megabytes(limit, true), cycle.Int(limit))
}

// CheckUploadSize refuses an upload (a multipart body: the file and its
// envelope) of size bytes over limit plus room for the envelope, naming
// both.
func CheckUploadSize(size, limit, envelope int64) error {
	if size <= limit+envelope {
		return nil
	}
	return cycle.Fail(ETooLarge, "file.upload_too_large", megabytes(size, false), cycle.Int(size), megabytes(limit, true), cycle.Int(limit))
}

// ReadFile reads a file from disk, refusing it before reading a byte when
// it is larger than limit.
func ReadFile(path string, limit int64) (File, error) {
	f, err := os.Open(path)
	if err != nil {
		return File{}, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
		if err := CheckSize(path, st.Size(), limit); err != nil {
			return File{}, err
		}
	}
	return Read(path, f, limit)
}

// Read reads a file from r, up to limit bytes. A longer file is refused:
// with its size when it ends within 16 times the limit (the rest is read
// and counted), else as larger than the limit. Nothing is cut silently.
func Read(name string, r io.Reader, limit int64) (File, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return File{}, fmt.Errorf("read %s: %w", name, err)
	}
	if int64(len(data)) <= limit {
		return File{Name: name, Data: data}, nil
	}
	rest, err := io.Copy(io.Discard, io.LimitReader(r, 15*limit))
	if err == nil && rest < 15*limit {
		return File{}, CheckSize(name, int64(len(data))+rest, limit)
	}
	return File{}, OverLimit(name, limit) // or the rest could not be read: it is over the limit all the same
}

// OverLimit refuses a file known only to be larger than limit.
func OverLimit(name string, limit int64) error {
	return cycle.Fail(ETooLarge, "file.over_limit", fileName(name), megabytes(limit, true), cycle.Int(limit))
}

// Format is the kind of a file officers send.
type Format string

// The formats read.
const (
	CSV  Format = "csv"
	XLSX Format = "xlsx"
	JSON Format = "json"
)

// Media types of the formats.
const (
	MediaJSON = "application/json"
	MediaCSV  = "text/csv"
	MediaXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

var (
	magicZip = []byte("PK\x03\x04")
	magicOLE = []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
	magicPDF = []byte("%PDF-")
)

// FormatOf tells a file's format: by its first bytes when they say
// (an .xlsx is a zip; an old .xls and a PDF are refused), else by the
// media type it was sent with, else by its extension, else by its first
// character ('{' or '[': JSON). Officers rename files; the bytes decide.
func (f File) FormatOf() (Format, error) {
	switch {
	case bytes.HasPrefix(f.Data, magicZip):
		return XLSX, nil
	case bytes.HasPrefix(f.Data, magicOLE):
		return "", f.refuse(cycle.NewProblem("file.xls"))
	case bytes.HasPrefix(f.Data, magicPDF):
		return "", f.refuse(cycle.NewProblem("file.not_table", cycle.Word{VI: "tệp PDF", EN: "a PDF"}))
	case len(bytes.TrimSpace(bytes.TrimPrefix(f.Data, bomUTF8))) == 0:
		return "", f.refuse(cycle.NewProblem("file.empty"))
	}
	switch f.Type {
	case MediaJSON:
		return JSON, nil
	case MediaCSV, "application/csv", "text/plain", "text/tab-separated-values":
		return CSV, nil
	case MediaXLSX:
		return XLSX, nil
	}
	switch strings.ToLower(filepath.Ext(f.Name)) {
	case ".json":
		return JSON, nil
	case ".csv", ".txt", ".tsv":
		return CSV, nil
	case ".xlsx", ".xlsm":
		return XLSX, nil
	}
	head := bytes.TrimLeft(bytes.TrimPrefix(f.Data, bomUTF8), " \t\r\n")
	if len(head) > 0 && (head[0] == '{' || head[0] == '[') {
		return JSON, nil
	}
	return CSV, nil
}

// refuse is the EINVALID refusal of the file, naming it in its message
// and listing its problems (bounded).
func (f File) refuse(probs ...cycle.Problem) error {
	msg := "file.refused"
	args := []any{fileName(f.Name)}
	if f.Name == "" {
		msg, args = "file.refused.upload", nil
	}
	e := cycle.Fail(cycle.EINVALID, msg, args...)
	e.Problems = cycle.Bound(probs, cycle.MaxProblems)
	return e
}

// invalid is a refusal not yet tied to a file (the caller names it).
func invalid(probs ...cycle.Problem) error {
	e := cycle.Fail(cycle.EINVALID, "file.refused.upload")
	e.Problems = probs
	return e
}

// named gives a refusal made by the readers below the file's name.
func (f File) named(err error) error {
	var ce *cycle.Error
	if !errors.As(err, &ce) || ce.Code != cycle.EINVALID || f.Name == "" {
		return err
	}
	if ce.Message != cycle.Say(cycle.English, "file.refused.upload") {
		return err
	}
	out := *cycle.Fail(cycle.EINVALID, "file.refused", fileName(f.Name))
	out.Problems = ce.Problems
	return &out
}

// fileProblem gives a problem its place (none when the location is empty).
func fileProblem(p cycle.Problem, l cycle.Location) cycle.Problem {
	if !l.IsZero() {
		p.Where = &l
	}
	return p
}

// asCycleError is err's *cycle.Error, or nil.
func asCycleError(err error) *cycle.Error {
	var ce *cycle.Error
	if errors.As(err, &ce) {
		return ce
	}
	return nil
}
