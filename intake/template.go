package intake

import (
	"fmt"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"

	"chuyenhoa/cycle"
)

// templateNotes are the notes on the template's header cells: what to
// write, and the column's key (what older files and the API call it).
var templateNotes = map[string]string{
	"commune_code":        "Mã xã theo danh mục đơn vị hành chính (5 chữ số). Không sửa.",
	"commune_name":        "Tên xã, phường, thị trấn. Không sửa.",
	"social_order_crimes": "Số vụ phạm tội xâm phạm trật tự xã hội trong kỳ số liệu (số nguyên, không âm).",
	"economic_cases":      "Số vụ phạm tội, vi phạm về trật tự quản lý kinh tế (Loại 2).",
	"environment_cases":   "Số vụ về môi trường, tài nguyên, an toàn thực phẩm (Loại 3).",
	"drug_cases":          "Số vụ phạm tội về ma túy (Loại 4).",
	"proposed":            "Ghi x nếu đề xuất xã này; để trống nếu không.",
	"types":               "Loại địa bàn (1–4), nhiều loại cách nhau bằng dấu chấm phẩy, ví dụ 1;4.",
	"reason":              "Lý do đề xuất, đánh giá tình hình (không quá " + strconv.Itoa(cycle.MaxReasonChars) + " ký tự).",
}

// WriteProposalTemplateXLSX writes the published Excel template of a
// unit's proposal: one sheet (TemplateSheet), the columns' Vietnamese
// titles in row 1 (each with a note saying what to write and the column's
// key), a row per commune of the unit with its code and name, and the
// figures of prefill, if any. ReadProposal reads it back as it was.
func WriteProposalTemplateXLSX(w io.Writer, prov cycle.Province, unit string, prefill *cycle.Proposal) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", TemplateSheet); err != nil {
		return err
	}
	header := make([]any, len(cycle.ProposalColumns))
	for i, c := range cycle.ProposalColumns {
		header[i] = c.Title
	}
	if err := f.SetSheetRow(TemplateSheet, "A1", &header); err != nil {
		return err
	}
	for i, c := range cycle.ProposalColumns {
		if err := f.AddComment(TemplateSheet, excelize.Comment{
			Cell: cycle.ColumnLetters(i) + "1", Author: "chuyenhoa",
			Paragraph: []excelize.RichTextRun{{Text: templateNotes[c.Key] + "\n"}, {Text: "(" + c.Key + ")", Font: &excelize.Font{Italic: true}}},
			Width:     240, Height: 80,
		}); err != nil {
			return err
		}
	}
	last := cycle.ColumnLetters(len(cycle.ProposalColumns)-1) + "1"
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	if err != nil {
		return err
	}
	if err := f.SetCellStyle(TemplateSheet, "A1", last, bold); err != nil {
		return err
	}
	if err := f.SetRowHeight(TemplateSheet, 1, 48); err != nil {
		return err
	}
	if err := f.SetPanes(TemplateSheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@": codes keep their leading zeros
	if err != nil {
		return err
	}
	if err := f.SetColStyle(TemplateSheet, "A", text); err != nil {
		return err
	}
	for col, width := range map[string]float64{"A": 10, "B": 30, "C": 18, "D": 18, "E": 22, "F": 14, "G": 10, "H": 10, "I": 48} {
		if err := f.SetColWidth(TemplateSheet, col, col, width); err != nil {
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
	for i, c := range UnitCommunes(prov, unit) {
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
		if err := f.SetSheetRow(TemplateSheet, fmt.Sprintf("A%d", i+2), &row); err != nil {
			return err
		}
	}
	_, err = f.WriteTo(w)
	return err
}

// UnitCommunes are the communes whose figures a unit reports: a district's
// communes, or the commune itself in a two-tier province.
func UnitCommunes(prov cycle.Province, unit string) []cycle.Commune {
	if prov.TwoTier() {
		if c, ok := prov.Commune(unit); ok {
			return []cycle.Commune{c}
		}
		return nil
	}
	return prov.CommunesOf(unit)
}
