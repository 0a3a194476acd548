package api

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"

	"chuyenhoa/cycle"
)

// The published Excel template of a proposal: one sheet, the CSV form's
// columns (cycle.ProposalCSVHeader) in row 1, one row per commune of the
// unit with its code and name filled in. Officers fill the figures, mark
// "x" in "proposed" and give the types (e.g. 1;3). Reading converts the
// sheet back to the CSV form, so an .xlsx is checked by exactly the same
// rules and reports its problems by row number, as the CSV does by line.
const xlsxSheet = "DeXuat"

// Bounds on what an uploaded workbook may unzip to (a small file can
// unzip to gigabytes).
const (
	xlsxUnzipLimit    = 64 << 20
	xlsxUnzipXMLLimit = 16 << 20
)

// WriteProposalTemplateXLSX writes the Excel template for a unit: a row per
// commune of the unit, with the figures of prefill (if any) filled in.
func WriteProposalTemplateXLSX(w io.Writer, prov cycle.Province, unit string, prefill *cycle.Proposal) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", xlsxSheet); err != nil {
		return err
	}
	header := make([]any, len(cycle.ProposalCSVHeader))
	for i, h := range cycle.ProposalCSVHeader {
		header[i] = h
	}
	if err := f.SetSheetRow(xlsxSheet, "A1", &header); err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	if err != nil {
		return err
	}
	if err := f.SetCellStyle(xlsxSheet, "A1", "I1", bold); err != nil {
		return err
	}
	if err := f.SetPanes(xlsxSheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@": codes keep their leading zeros
	if err != nil {
		return err
	}
	if err := f.SetColStyle(xlsxSheet, "A", text); err != nil {
		return err
	}
	for col, width := range map[string]float64{"A": 14, "B": 32, "C": 20, "D": 16, "E": 18, "F": 12, "G": 10, "H": 10, "I": 48} {
		if err := f.SetColWidth(xlsxSheet, col, col, width); err != nil {
			return err
		}
	}
	figs := map[string]cycle.Figures{}
	proposed := map[string]cycle.ProposedCommune{}
	if prefill != nil {
		for _, s := range prefill.Statistics {
			figs[s.Commune] = s.Figures
		}
		for _, pc := range prefill.Proposed {
			proposed[pc.Commune] = pc
		}
	}
	for i, c := range unitCommunes(prov, unit) {
		fg := figs[c.Code]
		row := []any{c.Code, c.Name, fg.SocialOrderCrimes, fg.EconomicCases, fg.EnvironmentCases, fg.DrugCases, "", "", ""}
		if pc, ok := proposed[c.Code]; ok {
			types := ""
			for j, t := range pc.Types {
				if j > 0 {
					types += ";"
				}
				types += strconv.Itoa(int(t))
			}
			row[6], row[7], row[8] = "x", types, pc.Reason
		}
		if err := f.SetSheetRow(xlsxSheet, fmt.Sprintf("A%d", i+2), &row); err != nil {
			return err
		}
	}
	_, err = f.WriteTo(w)
	return err
}

// ReadProposalXLSX reads a proposal from the first sheet of an Excel
// workbook in the template's layout, for the given unit. Problems are
// reported as the CSV form reports them, with the sheet's row numbers.
func ReadProposalXLSX(r io.Reader, unit string) (cycle.Proposal, error) {
	f, err := excelize.OpenReader(r, excelize.Options{UnzipSizeLimit: xlsxUnzipLimit, UnzipXMLSizeLimit: xlsxUnzipXMLLimit})
	if err != nil {
		return cycle.Proposal{}, cycle.Errorf(cycle.EINVALID, "the file is not an Excel workbook (.xlsx): %v", err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return cycle.Proposal{}, cycle.Errorf(cycle.EINVALID, "the workbook has no sheet")
	}
	rows, err := f.GetRows(sheets[0])
	if err != nil {
		return cycle.Proposal{}, cycle.Errorf(cycle.EINVALID, "sheet %s: %v", sheets[0], err)
	}
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	for _, row := range rows {
		if err := cw.Write(row); err != nil {
			return cycle.Proposal{}, err
		}
	}
	cw.Flush()
	if len(rows) == 0 {
		return cycle.Proposal{}, cycle.Errorf(cycle.EINVALID, "sheet %s is empty: use the template", sheets[0])
	}
	p, err := cycle.ReadProposalCSV(&buf, unit)
	if err != nil {
		return cycle.Proposal{}, fmt.Errorf("sheet %s: %w", sheets[0], err)
	}
	return p, nil
}
