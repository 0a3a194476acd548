package document

import (
	"fmt"
)

// table draws t at the cursor, repeating its header row on every page.
func (w *writer) table(t *Table) error {
	widths := columnWidths(t.Columns)
	cell := func(style faceStyle, align byte, s string, width float64) (*para, []line) {
		p := &para{spans: []span{{style, s}}, size: sizeTable, align: align, leading: leadTable}
		return p, w.lines(p, width-2*cellPadX)
	}
	type row struct {
		paras []*para
		lines [][]line
		h     float64
	}
	lh := sizeTable * ptMM * leadTable
	mkRow := func(cells []string, header bool) row {
		r := row{paras: make([]*para, len(cells)), lines: make([][]line, len(cells))}
		n := 1
		for i, s := range cells {
			style, align := regular, alignOf(t.Columns[i].Align)
			if header {
				style, align = bold, 'C'
			}
			r.paras[i], r.lines[i] = cell(style, align, s, widths[i])
			n = max(n, len(r.lines[i]))
		}
		r.h = float64(n)*lh + 2*cellPadY
		return r
	}
	headers := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		headers[i] = c.Header
	}
	head := mkRow(headers, true)
	rows := make([]row, len(t.Rows))
	for i, cells := range t.Rows {
		rows[i] = mkRow(cells, false)
		if head.h+rows[i].h > bottomY-MarginTop-15 {
			return fmt.Errorf("table row %d is taller than a page", i+1)
		}
	}
	draw := func(r row) {
		x := MarginLeft
		w.pdf.SetLineWidth(borderWidth)
		for i := range r.paras {
			w.pdf.Rect(x, w.y, widths[i], r.h, "D")
			textH := float64(len(r.lines[i])) * lh
			w.drawLines(r.paras[i], r.lines[i], x+cellPadX, widths[i]-2*cellPadX, w.y+(r.h-textH)/2)
			x += widths[i]
		}
		w.y += r.h
	}
	var capLines []line
	var capPara para
	capH := 0.0
	if t.Caption != "" {
		capPara = para{spans: []span{{bold, t.Caption}}, size: sizeTable, align: 'C', leading: leadHeader, after: 1}
		capLines = w.lines(&capPara, textWidth)
		capH = float64(len(capLines))*capPara.lineHeight() + capPara.after
	}
	// Keep the caption, the header and the first row together.
	first := 0.0
	if len(rows) > 0 {
		first = rows[0].h
	}
	if w.y+capH+head.h+first > bottomY+1e-6 {
		w.newPage()
	}
	if capLines != nil {
		w.y = w.drawLines(&capPara, capLines, MarginLeft, textWidth, w.y) + capPara.after
	}
	draw(head)
	for _, r := range rows {
		if w.y+r.h > bottomY+1e-6 {
			w.newPage()
			draw(head)
		}
		draw(r)
	}
	return nil
}

func alignOf(a string) byte {
	if a == "" {
		return 'L'
	}
	return a[0]
}

// columnWidths gives the zero-width columns equal shares of what the fixed
// ones leave of the text width.
func columnWidths(cols []Column) []float64 {
	fixed, shared := 0.0, 0
	for _, c := range cols {
		fixed += c.Width
		if c.Width == 0 {
			shared++
		}
	}
	out := make([]float64, len(cols))
	for i, c := range cols {
		out[i] = c.Width
		if c.Width == 0 {
			out[i] = (textWidth - fixed) / float64(shared)
		}
	}
	return out
}
