// Package display shows the programme to people at a terminal: an
// officer's refusal with every problem, the selection rules' verdict on
// each proposed commune, and issued PDFs saved from the store where they
// can be opened. The officers' CLI (starter) and the demo share it, so
// that both say the same things the same way.
package display

import (
	"bytes"
	"context"
	"crypto/x509"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"chuyenhoa/cycle"
	"chuyenhoa/signing"
	"chuyenhoa/workflows/issuing"
)

// Describe renders a refusal for an officer: the code, the message, and
// one line per problem.
func Describe(ce *cycle.Error) string {
	s := fmt.Sprintf("refused (%s): %s", ce.Code, ce.Message)
	for _, p := range ce.Problems {
		s += "\n  - " + p.String()
	}
	return s
}

// Indent indents every line of s but the first by five spaces, the depth
// of the demo's nested output.
func Indent(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		out = append(out, s[i])
		if s[i] == '\n' && i+1 < len(s) {
			out = append(out, "     "...)
		}
	}
	return string(out)
}

// Selection prints the candidates with the verdict of each rule; with
// limit > 0 only that many eligible ones, and every ineligible one.
func Selection(w io.Writer, res cycle.SelectionResult, limit int) {
	fmt.Fprintf(w, "Province average: %.2f crimes against social order per commune (%d crimes / %d communes with figures); cap %d of %d communes\n",
		res.ProvinceAverage, res.ProvinceCrimes, res.ReportedCommunes, res.Cap, res.TotalCommunes)
	if len(res.Missing) > 0 {
		fmt.Fprintf(w, "Units without a proposal: %s\n", strings.Join(res.Missing, ", "))
	}
	tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
	fmt.Fprintln(tw, "RANK\tCOMMUNE\tDISTRICT\tLOẠI\tCRIMES\tVERDICT")
	shown := 0
	for _, c := range res.Candidates {
		if c.Eligible && limit > 0 && shown >= limit && c.Selected {
			continue
		}
		shown++
		verdict := "selected"
		if !c.Selected {
			var why []string
			for _, ch := range c.FailedChecks() {
				why = append(why, ch.Detail)
			}
			verdict = "NOT SELECTED: " + strings.Join(why, "; ")
		}
		rank := "-"
		if c.Rank > 0 {
			rank = fmt.Sprint(c.Rank)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\n", rank, c.Name, c.DistrictName, c.Types, c.Figures.SocialOrderCrimes, verdict)
	}
	tw.Flush()
}

// SelectionVietnamese is Selection as the secretariat reads it, in
// Vietnamese: the checks' Vietnamese texts, numbers with a decimal comma
// ("2,35"), no district column in a two-tier province.
func SelectionVietnamese(w io.Writer, res cycle.SelectionResult, limit int) {
	vi := func(v float64) string { return cycle.Dec(v).Say(cycle.Vietnamese) }
	n := func(v int) string { return cycle.Int(v).Say(cycle.Vietnamese) }
	fmt.Fprintf(w, "Bình quân toàn tỉnh: %s vụ phạm tội về trật tự xã hội/xã (%s vụ / %s xã có số liệu); chọn tối đa %s trong %s xã\n",
		vi(res.ProvinceAverage), n(res.ProvinceCrimes), n(res.ReportedCommunes), n(res.Cap), n(res.TotalCommunes))
	if len(res.Missing) > 0 {
		fmt.Fprintf(w, "Đơn vị chưa gửi đề xuất: %s\n", strings.Join(res.Missing, ", "))
	}
	districts := false
	for _, c := range res.Candidates {
		districts = districts || c.DistrictName != ""
	}
	tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
	if districts {
		fmt.Fprintln(tw, "TT\tXÃ\tHUYỆN\tLOẠI\tSỐ VỤ\tKẾT QUẢ")
	} else {
		fmt.Fprintln(tw, "TT\tXÃ\tLOẠI\tSỐ VỤ\tKẾT QUẢ")
	}
	shown := 0
	for _, c := range res.Candidates {
		if c.Eligible && limit > 0 && shown >= limit && c.Selected {
			continue
		}
		shown++
		verdict := "được chọn"
		if !c.Selected {
			var why []string
			for _, ch := range c.FailedChecks() {
				text := ch.Text
				if text == "" {
					text = ch.Detail
				}
				why = append(why, text)
			}
			verdict = "KHÔNG CHỌN: " + strings.Join(why, "; ")
		}
		rank := "-"
		if c.Rank > 0 {
			rank = fmt.Sprint(c.Rank)
		}
		if districts {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\n", rank, c.Name, c.DistrictName, c.Types, c.Figures.SocialOrderCrimes, verdict)
		} else {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\n", rank, c.Name, c.Types, c.Figures.SocialOrderCrimes, verdict)
		}
	}
	tw.Flush()
}

// LoadRoots reads the CA pool signatures are verified against; an empty
// path gives nil, which signing.Verify reports as an unchecked chain.
func LoadRoots(path string) (*x509.CertPool, error) {
	if path == "" {
		return nil, nil
	}
	return signing.LoadCAPool(path)
}

// Documents is the part of the store PDFs are read from: issued
// documents by ID, drafts by their SHA-256.
type Documents interface {
	DecisionPDF(ctx context.Context, id string) ([]byte, error)
	Blob(ctx context.Context, sha256 string) ([]byte, error)
}

// PDFs saves documents from the store — where each is kept once, under
// its SHA-256 — into Dir, under <province>/<year>/, for people to open.
// The worker writes no files of its own.
type PDFs struct {
	// Store opens the store when a PDF is first saved (commands that never
	// save one need no database).
	Store func(context.Context) (Documents, error)
	Dir   string
}

// Save downloads an issued document's PDF under the name its copies are
// delivered under and returns the file's path.
func (p PDFs) Save(ctx context.Context, d cycle.Decision) (string, error) {
	db, err := p.Store(ctx)
	if err != nil {
		return "", err
	}
	pdf, err := db.DecisionPDF(ctx, d.ID)
	if err != nil {
		return "", err
	}
	name := issuing.FileName(cycle.ArchivedDocument{Code: d.Code, Number: d.Number, Year: d.Year, BodyKey: d.BodyKey})
	return p.write(provinceOf(d.CycleID), d.Year, name, pdf)
}

// SaveDraft downloads a draft approval decision's PDF (by its SHA-256)
// and returns the file's path.
func (p PDFs) SaveDraft(ctx context.Context, cycleID string, year int, sha string) (string, error) {
	db, err := p.Store(ctx)
	if err != nil {
		return "", err
	}
	pdf, err := db.Blob(ctx, sha)
	if err != nil {
		return "", err
	}
	return p.write(provinceOf(cycleID), year, fmt.Sprintf("du-thao-qd-phe-duyet-%d.pdf", year), pdf)
}

// Path is where an issued document's PDF was saved, or why it was not.
func (p PDFs) Path(ctx context.Context, d cycle.Decision) string {
	path, err := p.Save(ctx, d)
	if err != nil {
		return "(not saved: " + err.Error() + ")"
	}
	return path
}

func (p PDFs) write(province string, year int, name string, data []byte) (string, error) {
	dir := filepath.Join(p.Dir, province, fmt.Sprint(year))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	return WriteBeside(filepath.Join(dir, name), data)
}

// FileName is the file an archived document is saved and delivered
// under ("qd-7-bc-bcd-2019-72-ubnd.pdf").
func FileName(a cycle.ArchivedDocument) string { return issuing.FileName(a) }

// WriteBeside writes data to path, or — when path holds other bytes (a
// signed copy of an earlier run, which must not be overwritten) — beside
// it, as "name-2.pdf", "name-3.pdf"…; it returns the path written. The
// same bytes again are no change.
func WriteBeside(path string, data []byte) (string, error) {
	ext := filepath.Ext(path)
	base := strings.TrimSuffix(path, ext)
	for i := 1; ; i++ {
		p := path
		if i > 1 {
			p = fmt.Sprintf("%s-%d%s", base, i, ext)
		}
		old, err := os.ReadFile(p)
		switch {
		case err == nil && bytes.Equal(old, data):
			return p, nil
		case err == nil:
			continue
		case !os.IsNotExist(err):
			return "", err
		}
		return p, os.WriteFile(p, data, 0o644)
	}
}

// provinceOf is the province of a cycle or round ID ("cycle/51/2027" → "51").
func provinceOf(id string) string {
	parts := strings.Split(id, "/")
	if len(parts) >= 2 {
		return parts[1]
	}
	return id
}
