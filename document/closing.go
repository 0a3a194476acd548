package document

import (
	"math"
	"strings"
)

// closing is the signature block on the right and the distribution list
// on the left, laid out but not yet drawn.
type closing struct {
	auth, title, name, head, rec *para
	authL, titleL, nameL, headL  []line
	recL                         [][]line
	draft                        bool
	sigH, recH                   float64
}

func (w *writer) layoutClosing(d Document) *closing {
	c := &closing{draft: !d.Signature.Signed}
	sw := textWidth - sigColumn
	sig := func(s string) (*para, []line) {
		p := &para{spans: []span{{bold, s}}, size: sizeBody, align: 'C', leading: leadHeader}
		return p, w.lines(p, sw)
	}
	// The capacity may take several lines ("TM. ỦY BAN NHÂN DÂN" above
	// "KT. CHỦ TỊCH"): each "\n"-separated line is laid out on its own.
	for i, l := range strings.Split(strings.ToUpper(d.Signature.Authority), "\n") {
		p, ls := sig(strings.TrimSpace(l))
		if i == 0 {
			c.auth = p
		}
		c.authL = append(c.authL, ls...)
	}
	c.title, c.titleL = sig(strings.ToUpper(d.Signature.Title))
	c.name, c.nameL = sig(d.Signature.Name)
	lh := c.auth.lineHeight()
	c.sigH = float64(len(c.authL)+len(c.titleL))*lh + signGap + float64(len(c.nameL))*lh

	if len(d.Recipients) == 0 {
		return c
	}
	c.head = &para{spans: []span{{boldItalic, "Nơi nhận:"}}, size: sizeRecHead, align: 'L', leading: leadHeader}
	c.headL = w.lines(c.head, recColumn)
	c.rec = &para{size: sizeRecipients, align: 'L', leading: leadHeader, hang: w.fs.textWidth(regular, sizeRecipients, "- ")}
	c.recH = float64(len(c.headL)) * c.head.lineHeight()
	for _, r := range d.Recipients {
		if !strings.HasPrefix(r, "-") {
			r = "- " + r
		}
		c.rec.spans = []span{{regular, r}}
		ls := w.lines(c.rec, recColumn)
		c.recL = append(c.recL, ls)
		c.recH += float64(len(ls)) * c.rec.lineHeight()
	}
	return c
}

// height is the space the closing takes, with the gap above it.
func (c *closing) height() float64 { return closingGap + math.Max(c.sigH, c.recH) }

// drawClosing draws c at the cursor, on a new page if it does not fit;
// the two blocks start level with each other.
func (w *writer) drawClosing(c *closing) {
	sx, sw := MarginLeft+sigColumn, textWidth-sigColumn
	w.y += closingGap
	if w.y+math.Max(c.sigH, c.recH) > bottomY+1e-6 {
		w.newPage()
	}
	top := w.y
	if c.head != nil {
		// "Nơi nhận:" sits on the baseline of the signer's authority line.
		base := w.baseline(top, c.auth.lineHeight(), sizeBody)
		y := base - w.baseline(0, c.head.lineHeight(), sizeRecHead)
		y = w.drawLines(c.head, c.headL, MarginLeft, recColumn, y)
		for _, ls := range c.recL {
			y = w.drawLines(c.rec, ls, MarginLeft, recColumn, y)
		}
	}
	y := w.drawLines(c.auth, c.authL, sx, sw, top)
	y = w.drawLines(c.title, c.titleL, sx, sw, y)
	w.layout.Signature = Box{Page: w.page, X: sx, Y: y, W: sw, H: signGap}
	if c.draft {
		p := &para{spans: []span{{italic, "(Dự thảo)"}}, size: sizeDraft, align: 'C', leading: leadHeader}
		w.drawLines(p, w.lines(p, sw), sx, sw, y+(signGap-p.lineHeight())/2)
	}
	y = w.drawLines(c.name, c.nameL, sx, sw, y+signGap)
	w.y = math.Max(y, top+c.recH)
}
