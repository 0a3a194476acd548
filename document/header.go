package document

import (
	"math"
	"strings"
)

// header draws the two-column header: issuing body and number on the left,
// national title, motto and place-and-date on the right.
func (w *writer) header(d Document) {
	lx, lw := MarginLeft, leftColumn
	rx, rw := MarginLeft+leftColumn, textWidth-leftColumn
	block := func(x, width, top float64, style faceStyle, size float64, s string) (float64, float64) {
		p := para{spans: []span{{style, s}}, size: size, align: 'C', leading: leadHeader}
		lines := w.lines(&p, width)
		return w.drawLines(&p, lines, x, width, top), maxNatural(lines)
	}
	ly := MarginTop
	if d.ParentBody != "" {
		ly, _ = block(lx, lw, ly, regular, sizeHeader, strings.ToUpper(d.ParentBody))
	}
	if d.IssuingBody != "" {
		var iw float64
		ly, iw = block(lx, lw, ly, bold, sizeHeader, strings.ToUpper(d.IssuingBody))
		half := ruleFrac * iw / 2
		w.rule(lx+lw/2-half, lx+lw/2+half, ly+ruleGap)
	}
	ry, _ := block(rx, rw, MarginTop, bold, sizeNational, NationalTitle)
	ry, mw := block(rx, rw, ry, bold, sizeMotto, Motto)
	w.rule(rx+(rw-mw)/2, rx+(rw+mw)/2, ry+ruleGap)

	top := math.Max(ly, ry) + ruleGap + 2
	lh := sizeBody * ptMM * leadHeader
	base := w.baseline(top, lh, sizeBody)
	num := numberLine(d.Number, d.NumberSuffix)
	w.text(lx+(lw-w.fs.textWidth(regular, sizeHeader, num))/2, base, regular, sizeHeader, num)
	p := para{spans: []span{{italic, DateLine(d.Place, d.Date)}}, size: sizeBody, align: 'C', leading: leadHeader}
	w.y = w.drawLines(&p, w.lines(&p, rw), rx, rw, top)
	if d.Kind == "" && d.Subject != "" {
		// A letter's summary (trích yếu) under the number: "V/v …", 12pt.
		s := d.Subject
		if !strings.HasPrefix(s, "V/v") {
			s = "V/v " + s
		}
		vp := para{spans: []span{{regular, s}}, size: sizeSubjectLetter, align: 'C', leading: leadHeader}
		w.y = math.Max(w.y, w.drawLines(&vp, w.lines(&vp, lw), lx, lw, top+lh))
	}
}

// addressees draws "Kính gửi: X" (one addressee) or "Kính gửi:" with the
// addressees under it, "- X" each (several), centred as a block.
func (w *writer) addressees(names []string) {
	w.y += 2
	lead := "Kính gửi:"
	if len(names) == 1 {
		p := para{spans: []span{{regular, lead + " " + names[0]}}, size: sizeBody, align: 'C', leading: leadBody, after: paraAfter}
		w.flow(p)
		return
	}
	widest := w.fs.textWidth(regular, sizeBody, lead)
	for _, n := range names {
		widest = math.Max(widest, w.fs.textWidth(regular, sizeBody, "- "+n))
	}
	widest = math.Min(widest+w.fs.textWidth(regular, sizeBody, lead+" "), textWidth)
	x := MarginLeft + (textWidth-widest)/2
	lw := w.fs.textWidth(regular, sizeBody, lead+" ")
	lh := sizeBody * ptMM * leadBody
	w.text(x, w.baseline(w.y, lh, sizeBody), regular, sizeBody, lead)
	for _, n := range names {
		p := para{spans: []span{{regular, "- " + n}}, size: sizeBody, align: 'L', leading: leadBody, hang: w.fs.textWidth(regular, sizeBody, "- ")}
		lines := w.lines(&p, widest-lw)
		w.y = w.drawLines(&p, lines, x+lw, widest-lw, w.y)
	}
	w.y += paraAfter
}
