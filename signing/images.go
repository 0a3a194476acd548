package signing

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"image"
	"image/color"
	"image/png"
	"math"
	"strings"

	"golang.org/x/text/unicode/norm"

	"chuyenhoa/ttf"
)

// The sample images stand in for the scanned signature and seal images a
// real office registers with its certificates (Decree 30/2020, Appendix I,
// section II: the signer's signature in blue, the seal in red at its real
// size, both PNG with a transparent background). They are drawn here so
// that the demo and the tests need no image files; they are samples, not
// anybody's signature or seal.

// canvas is a coverage mask drawn at ss× supersampling.
type canvas struct {
	w, h, ss int
	cov      []float32
}

func newCanvas(w, h, ss int) *canvas {
	return &canvas{w: w, h: h, ss: ss, cov: make([]float32, w*ss*h*ss)}
}

// disc fills a disc of radius r at (x, y), in output pixels.
func (c *canvas) disc(x, y, r float64) {
	s := float64(c.ss)
	cx, cy, rr := x*s, y*s, r*s
	W, H := c.w*c.ss, c.h*c.ss
	for py := max(0, int(cy-rr)); py <= min(H-1, int(cy+rr)); py++ {
		for px := max(0, int(cx-rr)); px <= min(W-1, int(cx+rr)); px++ {
			dx, dy := float64(px)+0.5-cx, float64(py)+0.5-cy
			if dx*dx+dy*dy <= rr*rr {
				c.cov[py*W+px] = 1
			}
		}
	}
}

// stroke draws the polyline through pts with pen radius r.
func (c *canvas) stroke(pts [][2]float64, r float64) {
	for i := 1; i < len(pts); i++ {
		a, b := pts[i-1], pts[i]
		d := math.Hypot(b[0]-a[0], b[1]-a[1])
		n := int(d*float64(c.ss)/max(r, 0.3)) + 1
		for k := 0; k <= n; k++ {
			t := float64(k) / float64(n)
			c.disc(a[0]+(b[0]-a[0])*t, a[1]+(b[1]-a[1])*t, r)
		}
	}
}

// ring fills the annulus between radii r1 < r2 around (x, y).
func (c *canvas) ring(x, y, r1, r2 float64) {
	s := float64(c.ss)
	W, H := c.w*c.ss, c.h*c.ss
	for py := 0; py < H; py++ {
		for px := 0; px < W; px++ {
			d := math.Hypot(float64(px)+0.5-x*s, float64(py)+0.5-y*s) / s
			if d >= r1 && d <= r2 {
				c.cov[py*W+px] = 1
			}
		}
	}
}

// polygon fills a polygon (even-odd rule).
func (c *canvas) polygon(pts [][2]float64) {
	s := float64(c.ss)
	W, H := c.w*c.ss, c.h*c.ss
	for py := 0; py < H; py++ {
		y := (float64(py) + 0.5) / s
		for px := 0; px < W; px++ {
			x := (float64(px) + 0.5) / s
			in := false
			for i, j := 0, len(pts)-1; i < len(pts); j, i = i, i+1 {
				a, b := pts[i], pts[j]
				if (a[1] > y) != (b[1] > y) && x < (b[0]-a[0])*(y-a[1])/(b[1]-a[1])+a[0] {
					in = !in
				}
			}
			if in {
				c.cov[py*W+px] = 1
			}
		}
	}
}

// png returns the mask in colour col on a transparent background.
func (c *canvas) png(col color.NRGBA) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, c.w, c.h))
	W := c.w * c.ss
	n := float32(c.ss * c.ss)
	for y := 0; y < c.h; y++ {
		for x := 0; x < c.w; x++ {
			var sum float32
			for sy := 0; sy < c.ss; sy++ {
				for sx := 0; sx < c.ss; sx++ {
					sum += c.cov[(y*c.ss+sy)*W+x*c.ss+sx]
				}
			}
			a := sum / n * float32(col.A)
			img.SetNRGBA(x, y, color.NRGBA{col.R, col.G, col.B, uint8(a + 0.5)})
		}
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.DefaultCompression}
	if err := enc.Encode(&buf, img); err != nil {
		panic(err) // writing to memory
	}
	return buf.Bytes()
}

// SampleSignatureImage draws a sample hand signature for name: a blue
// scribble on a transparent background, 3:1 (e.g. for a 45 × 15 mm box),
// different for different names and the same for the same name.
func SampleSignatureImage(name string) []byte {
	h := fnv.New64a()
	h.Write([]byte(name))
	seed := h.Sum64()
	rnd := func() float64 { // xorshift, deterministic per name
		seed ^= seed << 13
		seed ^= seed >> 7
		seed ^= seed << 17
		return float64(seed%10000) / 10000
	}
	const W, H = 360, 120
	c := newCanvas(W, H, 3)
	// Handwriting-like loops (a prolate trochoid: the pen moves right while
	// circling, which draws loops), a tall first letter, then a flourish
	// under the name.
	var pts [][2]float64
	loops := 6 + int(rnd()*3)
	amps := make([]float64, loops+1)
	for j := range amps {
		amps[j] = 8 + 22*rnd()
	}
	amps[0] = 40 // the capital
	slant := 0.3 + 0.15*rnd()
	for i := 0; i <= 1400; i++ {
		t := float64(i) / 1400 * float64(loops) * 2 * math.Pi
		k := t / (float64(loops) * 2 * math.Pi) // 0..1
		j := int(t / (2 * math.Pi))
		f := t/(2*math.Pi) - float64(j)
		amp := amps[j]*(1-f) + amps[min(j+1, loops)]*f
		x := 40 + 240*k + (8+0.3*amp)*math.Sin(t)
		y := 64 - amp*math.Cos(t) - 12*k
		x += slant * (64 - y) // italic slant
		pts = append(pts, [2]float64{x, y})
	}
	c.stroke(pts, 2.1)
	pts = pts[:0]
	last := [2]float64{300, 70}
	for i := 0; i <= 300; i++ {
		t := float64(i) / 300
		x := last[0] - 250*t + 20*math.Sin(t*math.Pi)
		y := last[1] + 30*math.Sin(t*math.Pi*0.9) - 6*t
		pts = append(pts, [2]float64{x, y})
	}
	c.stroke(pts, 1.5)
	return c.png(color.NRGBA{0x10, 0x2a, 0xa8, 0xff})
}

// SampleSealImage draws a sample round seal in red on a transparent
// background, square (for its real size, about 35 mm): two rings with the
// name in capitals between them, reading clockwise round the ring, and a
// star in the middle. font is a TrueType font (glyf outlines) to letter the
// name with, e.g. the documents' Liberation Serif Bold.
func SampleSealImage(name string, font []byte) ([]byte, error) {
	f, err := ttf.Parse(font)
	if err != nil {
		return nil, fmt.Errorf("signing: seal font: %w", err)
	}
	const S = 420
	c := newCanvas(S, S, 2)
	cx, cy := S/2.0, S/2.0
	c.ring(cx, cy, 196, 206)
	c.ring(cx, cy, 122, 128)
	text := strings.ToUpper(norm.NFC.String(name))
	// The name fills at most 85% of the ring; its capitals about 40 px.
	const baseline = 145.0
	size := 46.0
	var w float64
	for _, r := range text {
		w += float64(f.Advance(f.GlyphIndex(r)))
	}
	upem := float64(f.UnitsPerEm())
	if room := 0.85 * 2 * math.Pi * baseline; w*size/upem > room {
		size = room * upem / w
	}
	if err := c.textOnArc(f, text, cx, cy, baseline, size); err != nil {
		return nil, fmt.Errorf("signing: seal font: %w", err)
	}
	// A five-pointed star in the middle.
	var star [][2]float64
	for i := 0; i < 10; i++ {
		r := 95.0
		if i%2 == 1 {
			r = 38
		}
		ang := -math.Pi/2 + float64(i)*math.Pi/5
		star = append(star, [2]float64{cx + r*math.Cos(ang), cy + r*math.Sin(ang)})
	}
	c.polygon(star)
	return c.png(color.NRGBA{0xd0, 0x10, 0x10, 0xe6}), nil
}
