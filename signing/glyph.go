package signing

import (
	"fmt"
	"math"
	"sort"

	"chuyenhoa/ttf"
)

// Lettering the sample seal with the issuing body's name in the product's
// own font: the glyph outlines (read by package ttf; simple and composite
// glyphs, as Vietnamese letters with marks often are) are flattened to
// polygons and filled with the non-zero winding rule.

// contours returns glyph g's outline flattened to closed polygons, in
// font units (y up); a composite glyph's components are flattened, then
// placed.
func contours(f *ttf.Font, g uint16, depth int) ([][][2]float64, error) {
	if depth > 8 {
		return nil, fmt.Errorf("glyph %d: components nested more than 8 deep", g)
	}
	gl, err := f.Glyph(g)
	if err != nil {
		return nil, err
	}
	var out [][][2]float64
	for _, c := range gl.Contours {
		out = append(out, flatten(c))
	}
	for _, c := range gl.Components {
		parts, err := contours(f, c.Glyph, depth+1)
		if err != nil {
			return nil, err
		}
		m := c.M
		for _, part := range parts {
			poly := make([][2]float64, len(part))
			for i, q := range part {
				poly[i] = [2]float64{m[0]*q[0] + m[2]*q[1] + c.DX, m[1]*q[0] + m[3]*q[1] + c.DY}
			}
			out = append(out, poly)
		}
	}
	return out, nil
}

// flatten turns a quadratic B-spline contour into a polygon.
func flatten(c []ttf.Point) [][2]float64 {
	n := len(c)
	on := func(i int) bool { return c[i%n].On }
	pt := func(i int) [2]float64 { return [2]float64{c[i%n].X, c[i%n].Y} }
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
func (c *canvas) textOnArc(f *ttf.Font, s string, cx, cy, r, size float64) error {
	scale := size / float64(f.UnitsPerEm())
	var total float64
	runes := []rune(s)
	for _, ch := range runes {
		total += float64(f.Advance(f.GlyphIndex(ch))) * scale
	}
	a := -math.Pi/2 - total/r/2
	for _, ch := range runes {
		g := f.GlyphIndex(ch)
		w := float64(f.Advance(g)) * scale
		mid := a + w/2/r
		ux, uy := math.Cos(mid), math.Sin(mid) // outwards
		tx, ty := -uy, ux                      // along the text
		ox, oy := cx+r*ux-tx*w/2, cy+r*uy-ty*w/2
		cts, err := contours(f, g, 0)
		if err != nil {
			return fmt.Errorf("%q: %w", ch, err)
		}
		var polys [][][2]float64
		for _, ct := range cts {
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
	return nil
}
