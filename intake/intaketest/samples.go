// Package intaketest makes the officers' files that the tests of intake,
// the CLI (`starter proposal submit`), the API and the offline checker
// (`starter check`) read: one set of samples, so that each path is shown
// to give the same answer for the same file. The communes are Quảng
// Ngãi's real ones (package sample); the figures are synthetic, as the
// files' notes say.
//
// The small samples are also committed under intake/testdata/samples for
// people to open (TestSamplesCommitted keeps them equal to these); the
// large ones (5 MB, 100,000 rows) are made when a test needs them.
package intaketest

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"chuyenhoa/cycle"
	"chuyenhoa/intake"
	"chuyenhoa/sample"
)

// The samples' province, unit and cycle year.
const (
	ProvinceSlug = "quang-ngai"
	Unit         = "522" // Thành phố Quảng Ngãi
	Year         = 2027
)

// Sample is one officer's file.
type Sample struct {
	Name string // the file's name, as an officer would send it
	What string // what it is and what it shows
	Data []byte
}

// Province is the samples' registry.
func Province() (cycle.Province, error) {
	p, _, err := sample.Province(ProvinceSlug)
	return p, err
}

// row is one row of a proposal table, as text.
type row []string

// tableOf writes a proposal as the rows of its table form: a row per
// commune with figures, then a row for each proposed commune that has
// none (a commune of another unit, a mistyped code), as an officer who
// adds a line would.
func tableOf(prov cycle.Province, p cycle.Proposal, figs map[string]cycle.Figures) []row {
	rows := []row{row(cycle.ProposalCSVTitles)}
	proposed := map[string]cycle.ProposedCommune{}
	for _, pc := range p.Proposed {
		proposed[pc.Commune] = pc
	}
	line := func(code string, f cycle.Figures) row {
		c, _ := prov.Commune(code)
		r := row{code, c.Name, strconv.Itoa(f.SocialOrderCrimes), strconv.Itoa(f.EconomicCases), strconv.Itoa(f.EnvironmentCases), strconv.Itoa(f.DrugCases), "", "", ""}
		if pc, ok := proposed[code]; ok {
			r[6], r[7], r[8] = "x", strings.ReplaceAll(pc.Types.String(), ", ", ";"), pc.Reason
		}
		return r
	}
	seen := map[string]bool{}
	for _, s := range p.Statistics {
		rows = append(rows, line(s.Commune, s.Figures))
		seen[s.Commune] = true
	}
	for _, pc := range p.Proposed {
		if !seen[pc.Commune] {
			rows = append(rows, line(pc.Commune, figs[pc.Commune]))
		}
	}
	return rows
}

// csvOf writes rows as CSV with a separator and line ends.
func csvOf(rows []row, sep rune, crlf bool) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Comma, w.UseCRLF = sep, crlf
	for _, r := range rows {
		_ = w.Write(r)
	}
	w.Flush()
	return buf.Bytes()
}

func proposalOf(prov cycle.Province) (cycle.Proposal, error) {
	for _, p := range sample.Proposals(prov, cycle.DefaultPolicy(), Year) {
		if p.Unit == Unit {
			return p, nil
		}
	}
	return cycle.Proposal{}, fmt.Errorf("no sample proposal of unit %s", Unit)
}

func figures(prov cycle.Province) map[string]cycle.Figures {
	out := map[string]cycle.Figures{}
	for _, f := range sample.Figures(prov, Year) {
		out[f.Commune] = f.Figures
	}
	return out
}

// Samples are the small samples, each a file an office really produces:
//
//   - de-xuat-522-excel-vn.csv: saved by Excel with Vietnamese regional
//     settings as "CSV UTF-8": a byte-order mark, semicolons, CRLF; the
//     unit's valid proposal (accepted);
//   - de-xuat-522-windows-1258.csv: saved by Excel on a Vietnamese Windows
//     as "CSV (Comma delimited)", in Windows-1258; the proposal with the
//     mistakes of sample.BadProposal (a new-rural commune, a commune of
//     the next district, a mistyped code, one at the district's average),
//     which the rules refuse, each problem on its line;
//   - de-xuat-522-tcvn3.csv: typed in a ".VnTime" font (TCVN3) and saved
//     as CSV, with figures that are not counts ("12,5", "-2", "1.234"),
//     refused as it is read, each problem in its cell;
//   - de-xuat-522-vni.txt: VNI-Windows, tab-separated (accepted);
//   - de-xuat-522-unicode.txt: Excel's "Unicode Text" (UTF-16), refused
//     naming the encoding.
func Samples() ([]Sample, error) {
	prov, err := Province()
	if err != nil {
		return nil, err
	}
	good, err := proposalOf(prov)
	if err != nil {
		return nil, err
	}
	figs := figures(prov)
	var out []Sample

	out = append(out, Sample{Name: "de-xuat-522-excel-vn.csv", What: "Excel, Vietnamese regional settings, CSV UTF-8: BOM, ';', CRLF; valid",
		Data: append([]byte("\xef\xbb\xbf"), csvOf(tableOf(prov, good, figs), ';', true)...)})

	bad := sample.BadProposal(prov, cycle.DefaultPolicy(), Year, Unit)
	b1258, err := intake.EncodeLegacy(string(csvOf(tableOf(prov, bad, figs), ',', true)), intake.Windows1258)
	if err != nil {
		return nil, err
	}
	out = append(out, Sample{Name: "de-xuat-522-windows-1258.csv", What: "Excel on a Vietnamese Windows, CSV (Comma delimited): Windows-1258; breaks the selection rules", Data: b1258})

	rows := tableOf(prov, good, figs)
	rows[3][2], rows[5][4], rows[8][3] = "12,5", "-2", "1.234"
	btcvn, err := intake.EncodeLegacy(string(csvOf(rows, ',', true)), intake.TCVN3)
	if err != nil {
		return nil, err
	}
	out = append(out, Sample{Name: "de-xuat-522-tcvn3.csv", What: "typed in .VnTime (TCVN3), saved as CSV; figures that are not counts", Data: btcvn})

	bvni, err := intake.EncodeLegacy(string(csvOf(tableOf(prov, good, figs), '\t', true)), intake.VNI)
	if err != nil {
		return nil, err
	}
	out = append(out, Sample{Name: "de-xuat-522-vni.txt", What: "VNI-Windows, tab-separated; valid", Data: bvni})

	u := utf16.Encode([]rune(string(csvOf(tableOf(prov, good, figs), '\t', true))))
	b16 := []byte{0xff, 0xfe}
	for _, r := range u {
		b16 = append(b16, byte(r), byte(r>>8))
	}
	out = append(out, Sample{Name: "de-xuat-522-unicode.txt", What: "Excel's Unicode Text: UTF-16; refused naming the encoding", Data: b16})
	return out, nil
}

// Workbook is the unit's proposal as an Excel workbook in the published
// template, with a figure typed in words ("mười") and a type that does
// not exist: refused with the sheet, the cell and the column.
func Workbook() (Sample, error) {
	prov, err := Province()
	if err != nil {
		return Sample{}, err
	}
	good, err := proposalOf(prov)
	if err != nil {
		return Sample{}, err
	}
	var buf bytes.Buffer
	if err := intake.WriteProposalTemplateXLSX(&buf, prov, Unit, &good); err != nil {
		return Sample{}, err
	}
	wb, err := excelize.OpenReader(&buf)
	if err != nil {
		return Sample{}, err
	}
	defer wb.Close()
	if err := wb.SetCellStr(intake.TemplateSheet, "C5", "mười"); err != nil {
		return Sample{}, err
	}
	if err := wb.SetCellStr(intake.TemplateSheet, "D7", "3,5"); err != nil {
		return Sample{}, err
	}
	var out bytes.Buffer
	if _, err := wb.WriteTo(&out); err != nil {
		return Sample{}, err
	}
	return Sample{Name: "de-xuat-522.xlsx", What: "the published template, a figure in words and a fraction", Data: out.Bytes()}, nil
}

// Big is a proposal CSV of size bytes: the unit's rows, then a note
// column's text until the size is reached — refused by its size before it
// is read.
func Big(size int) (Sample, error) {
	prov, err := Province()
	if err != nil {
		return Sample{}, err
	}
	good, err := proposalOf(prov)
	if err != nil {
		return Sample{}, err
	}
	rows := tableOf(prov, good, figures(prov))
	data := csvOf(rows, ',', true)
	filler := []byte("21010,Phường Lê Hồng Phong,1,0,0,0,,,Dòng lặp lại để tệp đủ lớn (số liệu mẫu)\r\n")
	for len(data)+len(filler) <= size {
		data = append(data, filler...)
	}
	data = append(data, bytes.Repeat([]byte(" "), size-len(data))...)
	return Sample{Name: fmt.Sprintf("de-xuat-522-%dmb.csv", size>>20), What: "a proposal CSV over the size limit", Data: data}, nil
}

// LongReason is the unit's proposal with a reason of n characters in one
// cell: under the file's size limit, over the field's.
func LongReason(n int) (Sample, error) {
	prov, err := Province()
	if err != nil {
		return Sample{}, err
	}
	good, err := proposalOf(prov)
	if err != nil {
		return Sample{}, err
	}
	reason := []rune(strings.Repeat("Phức tạp về trộm cắp tài sản. ", n/30+1))[:n]
	good.Proposed[0].Reason = string(reason)
	return Sample{Name: "de-xuat-522-ly-do-dai.csv", What: fmt.Sprintf("a reason of %d characters", n), Data: csvOf(tableOf(prov, good, figures(prov)), ',', false)}, nil
}

// BadRows is a CSV of n rows whose figures are not counts, in four ways
// taken in turn (negative, a fraction, words, thousands grouped): refused
// with the limit on rows first, then the first problems and a count of
// the rest by kind.
func BadRows(n int) (Sample, error) {
	prov, err := Province()
	if err != nil {
		return Sample{}, err
	}
	communes := prov.CommunesOf(Unit)
	rows := []row{row(cycle.ProposalCSVTitles)}
	bad := []string{"-1", "2,5", "nhiều", "1.234"}
	for i := 0; i < n; i++ {
		c := communes[i%len(communes)]
		rows = append(rows, row{c.Code, "", bad[i%len(bad)], "0", "0", "0", "", "", ""}) // no name: 2 MB, under the size limit
	}
	return Sample{Name: fmt.Sprintf("de-xuat-522-%d-dong.csv", n), What: fmt.Sprintf("%d rows of figures that are not counts", n), Data: csvOf(rows, ',', true)}, nil
}

// WrongDistrict is a CSV of n rows of communes of the province's other
// districts — the file of the wrong district, or several pasted together
// — which the rules refuse row by row (registry.wrong_unit, and each
// commune of the unit missing): the answer lists the first problems and
// counts the rest.
func WrongDistrict(n int) (Sample, error) {
	prov, err := Province()
	if err != nil {
		return Sample{}, err
	}
	figs := figures(prov)
	var others []cycle.Commune
	for _, c := range prov.Communes {
		if c.District != Unit {
			others = append(others, c)
		}
	}
	rows := []row{row(cycle.ProposalCSVTitles)}
	for i := 0; i < n && i < len(others); i++ {
		c := others[i]
		f := figs[c.Code]
		rows = append(rows, row{c.Code, c.Name, strconv.Itoa(f.SocialOrderCrimes), strconv.Itoa(f.EconomicCases), strconv.Itoa(f.EnvironmentCases), strconv.Itoa(f.DrugCases), "", "", ""})
	}
	return Sample{Name: "de-xuat-sai-huyen.csv", What: "the rows of other districts", Data: csvOf(rows, ',', true)}, nil
}
