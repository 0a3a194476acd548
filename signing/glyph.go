package signing

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"sort"
)

// A small TrueType outline reader and filler, enough to letter the sample
// seal with the issuing body's name in the product's own font: glyf
// outlines (simple and composite glyphs, as Vietnamese letters with marks
// often are), the format 4 character map, advance widths. The outlines are
// flattened to polygons and filled with the non-zero winding rule.

type ttFont struct {
	upem    float64
	cmap    map[rune]uint16
	loca    []uint32
	glyf    []byte
	advance []uint16 // per glyph (the last repeated)
}

func parseTT(b []byte) (*ttFont, error) {
	if len(b) < 12 {
		return nil, errors.New("font too short")
	}
	n := int(binary.BigEndian.Uint16(b[4:]))
	tables := map[string][]byte{}
	for i := 0; i < n && 12+16*i+16 <= len(b); i++ {
		rec := b[12+16*i:]
		off, size := int(binary.BigEndian.Uint32(rec[8:])), int(binary.BigEndian.Uint32(rec[12:]))
		if off < 0 || size < 0 || off+size > len(b) {
			return nil, fmt.Errorf("table %q out of bounds", rec[:4])
		}
		tables[string(rec[:4])] = b[off : off+size]
	}
	head, maxp, hhea, hmtx, loca, glyf, cmap := tables["head"], tables["maxp"], tables["hhea"], tables["hmtx"], tables["loca"], tables["glyf"], tables["cmap"]
	if len(head) < 54 || len(maxp) < 6 || len(hhea) < 36 || loca == nil || glyf == nil || cmap == nil || hmtx == nil {
		return nil, errors.New("not a TrueType font with glyf outlines")
	}
	f := &ttFont{upem: float64(binary.BigEndian.Uint16(head[18:])), glyf: glyf, cmap: map[rune]uint16{}}
	long := binary.BigEndian.Uint16(head[50:]) == 1
	numGlyphs := int(binary.BigEndian.Uint16(maxp[4:]))
	for i := 0; i <= numGlyphs; i++ {
		switch {
		case long && 4*i+4 <= len(loca):
			f.loca = append(f.loca, binary.BigEndian.Uint32(loca[4*i:]))
		case !long && 2*i+2 <= len(loca):
			f.loca = append(f.loca, 2*uint32(binary.BigEndian.Uint16(loca[2*i:])))
		}
	}
	numH := int(binary.BigEndian.Uint16(hhea[34:]))
	for i := 0; i < numH && 4*i+2 <= len(hmtx); i++ {
		f.advance = append(f.advance, binary.BigEndian.Uint16(hmtx[4*i:]))
	}
	// Format 4 (BMP) Unicode subtable.
	nt := int(binary.BigEndian.Uint16(cmap[2:]))
	for i := 0; i < nt && 4+8*i+8 <= len(cmap); i++ {
		rec := cmap[4+8*i:]
		pid, eid := binary.BigEndian.Uint16(rec), binary.BigEndian.Uint16(rec[2:])
		off := int(binary.BigEndian.Uint32(rec[4:]))
		if !(pid == 3 && eid == 1 || pid == 0) || off+14 > len(cmap) || binary.BigEndian.Uint16(cmap[off:]) != 4 {
			continue
		}
		s := cmap[off:]
		segs := int(binary.BigEndian.Uint16(s[6:])) / 2
		if len(s) < 16+8*segs {
			break
		}
		for k := 0; k < segs; k++ {
			end := int(binary.BigEndian.Uint16(s[14+2*k:]))
			start := int(binary.BigEndian.Uint16(s[16+2*segs+2*k:]))
			delta := int(binary.BigEndian.Uint16(s[16+4*segs+2*k:]))
			ro := int(binary.BigEndian.Uint16(s[16+6*segs+2*k:]))
			for c := start; c <= end && c != 0xFFFF; c++ {
				id := (c + delta) & 0xFFFF
				if ro != 0 {
					p := 16 + 6*segs + 2*k + ro + 2*(c-start)
					if p+2 > len(s) {
						continue
					}
					if id = int(binary.BigEndian.Uint16(s[p:])); id != 0 {
						id = (id + delta) & 0xFFFF
					}
				}
				if id != 0 {
					f.cmap[rune(c)] = uint16(id)
				}
			}
		}
		break
	}
	if len(f.cmap) == 0 {
		return nil, errors.New("no Unicode character map (format 4)")
	}
	return f, nil
}

func (f *ttFont) adv(g uint16) float64 {
	if len(f.advance) == 0 {
		return f.upem / 2
	}
	if int(g) >= len(f.advance) {
		g = uint16(len(f.advance) - 1)
	}
	return float64(f.advance[g])
}

// contours returns the glyph's outline flattened to closed polygons, in
// font units (y up).
func (f *ttFont) contours(g uint16, depth int) [][][2]float64 {
	if depth > 8 || int(g)+1 >= len(f.loca) {
		return nil
	}
	start, end := f.loca[g], f.loca[g+1]
	if start >= end || int(end) > len(f.glyf) {
		return nil
	}
	b := f.glyf[start:end]
	if len(b) < 10 {
		return nil
	}
	nc := int(int16(binary.BigEndian.Uint16(b)))
	if nc < 0 {
		return f.composite(b[10:], depth)
	}
	p := 10
	if len(b) < p+2*nc+2 {
		return nil
	}
	ends := make([]int, nc)
	for i := range ends {
		ends[i] = int(binary.BigEndian.Uint16(b[p+2*i:]))
	}
	p += 2 * nc
	np := 0
	if nc > 0 {
		np = ends[nc-1] + 1
	}
	p += 2 + int(binary.BigEndian.Uint16(b[p:])) // instructions
	flags := make([]byte, 0, np)
	for len(flags) < np && p < len(b) {
		fl := b[p]
		p++
		flags = append(flags, fl)
		if fl&8 != 0 && p < len(b) {
			r := int(b[p])
			p++
			for k := 0; k < r && len(flags) < np; k++ {
				flags = append(flags, fl)
			}
		}
	}
	if len(flags) < np {
		return nil
	}
	coords := func(short, same byte) []float64 {
		out := make([]float64, np)
		v := 0
		for i, fl := range flags {
			switch {
			case fl&short != 0:
				if p >= len(b) {
					return nil
				}
				d := int(b[p])
				p++
				if fl&same == 0 {
					d = -d
				}
				v += d
			case fl&same == 0:
				if p+2 > len(b) {
					return nil
				}
				v += int(int16(binary.BigEndian.Uint16(b[p:])))
				p += 2
			}
			out[i] = float64(v)
		}
		return out
	}
	xs := coords(2, 16)
	ys := coords(4, 32)
	if xs == nil || ys == nil {
		return nil
	}
	var out [][][2]float64
	first := 0
	for _, e := range ends {
		if e >= np || e < first {
			return out
		}
		out = append(out, flatten(xs[first:e+1], ys[first:e+1], flags[first:e+1]))
		first = e + 1
	}
	return out
}

// flatten turns a quadratic B-spline contour into a polygon.
func flatten(xs, ys []float64, flags []byte) [][2]float64 {
	n := len(xs)
	on := func(i int) bool { return flags[i%n]&1 != 0 }
	pt := func(i int) [2]float64 { return [2]float64{xs[i%n], ys[i%n]} }
	mid := func(a, b [2]float64) [2]float64 { return [2]float64{(a[0] + b[0]) / 2, (a[1] + b[1]) / 2} }
	// Start on an on-curve point (or the midpoint of two off-curve ones).
	s := -1
	for i := 0; i < n; i++ {
		if on(i) {
			s = i
			break
		}
	}
	var startPt [2]float64
	if s < 0 {
		startPt, s = mid(pt(0), pt(1)), 1
	} else {
		startPt = pt(s)
	}
	poly := [][2]float64{startPt}
	cur := startPt
	for k := 1; k <= n; k++ {
		i := s + k
		if on(i) {
			cur = pt(i)
			poly = append(poly, cur)
			continue
		}
		ctrl := pt(i)
		next := pt(i + 1)
		if !on(i + 1) {
			next = mid(ctrl, next)
		}
		for t := 1; t <= 6; t++ {
			u := float64(t) / 6
			a := (1 - u) * (1 - u)
			bb := 2 * u * (1 - u)
			c := u * u
			poly = append(poly, [2]float64{a*cur[0] + bb*ctrl[0] + c*next[0], a*cur[1] + bb*ctrl[1] + c*next[1]})
		}
		cur = next
		if on(i + 1) {
			k++
		}
	}
	return poly
}

func (f *ttFont) composite(b []byte, depth int) [][][2]float64 {
	var out [][][2]float64
	p := 0
	for {
		if p+4 > len(b) {
			return out
		}
		flags := binary.BigEndian.Uint16(b[p:])
		g := binary.BigEndian.Uint16(b[p+2:])
		p += 4
		var dx, dy float64
		if flags&1 != 0 { // ARG_1_AND_2_ARE_WORDS
			if p+4 > len(b) {
				return out
			}
			dx, dy = float64(int16(binary.BigEndian.Uint16(b[p:]))), float64(int16(binary.BigEndian.Uint16(b[p+2:])))
			p += 4
		} else {
			if p+2 > len(b) {
				return out
			}
			dx, dy = float64(int8(b[p])), float64(int8(b[p+1]))
			p += 2
		}
		if flags&2 == 0 { // point matching, not offsets: not used by our fonts' marks
			dx, dy = 0, 0
		}
		m := [4]float64{1, 0, 0, 1}
		f2 := func(i int) float64 { return float64(int16(binary.BigEndian.Uint16(b[i:]))) / 16384 }
		switch {
		case flags&8 != 0 && p+2 <= len(b): // WE_HAVE_A_SCALE
			m[0], m[3] = f2(p), f2(p)
			p += 2
		case flags&0x40 != 0 && p+4 <= len(b): // X_AND_Y_SCALE
			m[0], m[3] = f2(p), f2(p+2)
			p += 4
		case flags&0x80 != 0 && p+8 <= len(b): // TWO_BY_TWO
			m = [4]float64{f2(p), f2(p + 2), f2(p + 4), f2(p + 6)}
			p += 8
		}
		for _, c := range f.contours(g, depth+1) {
			poly := make([][2]float64, len(c))
			for i, q := range c {
				poly[i] = [2]float64{m[0]*q[0] + m[2]*q[1] + dx, m[1]*q[0] + m[3]*q[1] + dy}
			}
			out = append(out, poly)
		}
		if flags&0x20 == 0 { // MORE_COMPONENTS
			return out
		}
	}
}

// fillNonZero fills polygons (canvas output pixels) on c with the non-zero rule.
func (c *canvas) fillNonZero(polys [][][2]float64) {
	s := float64(c.ss)
	W, H := c.w*c.ss, c.h*c.ss
	type edge struct{ x0, y0, x1, y1 float64 }
	var edges []edge
	minY, maxY := math.Inf(1), math.Inf(-1)
	for _, p := range polys {
		for i := range p {
			a, b := p[i], p[(i+1)%len(p)]
			edges = append(edges, edge{a[0] * s, a[1] * s, b[0] * s, b[1] * s})
			minY, maxY = math.Min(minY, math.Min(a[1], b[1])*s), math.Max(maxY, math.Max(a[1], b[1])*s)
		}
	}
	type cross struct {
		x float64
		w int
	}
	var xs []cross
	for py := max(0, int(minY)); py <= min(H-1, int(maxY)); py++ {
		y := float64(py) + 0.5
		xs = xs[:0]
		for _, e := range edges {
			if (e.y0 <= y) == (e.y1 <= y) {
				continue
			}
			w := 1
			if e.y1 < e.y0 {
				w = -1
			}
			xs = append(xs, cross{e.x0 + (y-e.y0)*(e.x1-e.x0)/(e.y1-e.y0), w})
		}
		sort.Slice(xs, func(i, j int) bool { return xs[i].x < xs[j].x })
		wind := 0
		for i := 0; i+1 < len(xs); i++ {
			wind += xs[i].w
			if wind == 0 {
				continue
			}
			for px := max(0, int(math.Ceil(xs[i].x-0.5))); px < min(W, int(math.Ceil(xs[i+1].x-0.5))); px++ {
				c.cov[py*W+px] = 1
			}
		}
	}
}

// textOnArc letters s along a circle of radius r (output pixels) round
// (cx, cy), centred on the top, reading clockwise, glyphs size px tall
// (the em), their baseline on the circle.
func (c *canvas) textOnArc(f *ttFont, s string, cx, cy, r, size float64) {
	scale := size / f.upem
	var total float64
	runes := []rune(s)
	for _, ch := range runes {
		total += f.adv(f.cmap[ch]) * scale
	}
	a := -math.Pi/2 - total/r/2
	for _, ch := range runes {
		g := f.cmap[ch]
		w := f.adv(g) * scale
		mid := a + w/2/r
		ux, uy := math.Cos(mid), math.Sin(mid) // outwards
		tx, ty := -uy, ux                      // along the text
		ox, oy := cx+r*ux-tx*w/2, cy+r*uy-ty*w/2
		var polys [][][2]float64
		for _, ct := range f.contours(g, 0) {
			poly := make([][2]float64, len(ct))
			for i, q := range ct {
				gx, gy := q[0]*scale, q[1]*scale
				poly[i] = [2]float64{ox + gx*tx + gy*ux, oy + gx*ty + gy*uy}
			}
			polys = append(polys, poly)
		}
		c.fillNonZero(polys)
		a += w / r
	}
}
