package sample

import (
	"reflect"
	"testing"

	"chuyenhoa/cycle"
)

// years are the cycle years the property tests run over.
var years = []int{2024, 2025, 2026, 2027, 2028, 2029, 2030}

func TestFiguresDeterministic(t *testing.T) {
	for _, slug := range Provinces() {
		t.Run(slug, func(t *testing.T) {
			p, _ := mustProvince(t, slug)
			a, b := Figures(p, 2027), Figures(p, 2027)
			if !reflect.DeepEqual(a, b) {
				t.Fatal("Figures(p, 2027) differs between two calls")
			}
			next := Figures(p, 2028)
			changed := 0
			for i := range a {
				if a[i] != next[i] {
					changed++
				}
			}
			if changed < len(a)/3 {
				t.Errorf("only %d of %d communes changed from 2027 to 2028: want year-to-year variation", changed, len(a))
			}
		})
	}
}

func TestFiguresShape(t *testing.T) {
	for _, slug := range Provinces() {
		t.Run(slug, func(t *testing.T) {
			p, _ := mustProvince(t, slug)
			var hotspots [5]int // per category: social order (≥10), economic, environment, drugs (≥3)
			for _, y := range years {
				figs := Figures(p, y)
				if len(figs) != len(p.Communes) {
					t.Fatalf("%d: %d figures for %d communes", y, len(figs), len(p.Communes))
				}
				low, lowOther, yearHot := 0, 0, 0
				var urban, rural struct{ crimes, n int }
				for i, f := range figs {
					c := p.Communes[i]
					if f.Commune != c.Code {
						t.Fatalf("%d: figures[%d] for %s, want %s (registry order)", y, i, f.Commune, c.Code)
					}
					if f.SocialOrderCrimes < 0 || f.SocialOrderCrimes > 30 {
						t.Errorf("%d: %s: %d crimes against social order, want 0–30", y, c.Label(), f.SocialOrderCrimes)
					}
					if f.SocialOrderCrimes <= 6 {
						low++
					}
					if f.SocialOrderCrimes >= 10 {
						yearHot++
						hotspots[1]++
					}
					for k, n := range []int{f.EconomicCases, f.EnvironmentCases, f.DrugCases} {
						if n < 0 || n > 12 {
							t.Errorf("%d: %s: %d cases in category %d, want 0–12", y, c.Label(), n, k+2)
						}
						if n <= 2 {
							lowOther++
						}
						if n >= 3 {
							hotspots[k+2]++
						}
					}
					if c.Kind == cycle.KindXa {
						rural.crimes, rural.n = rural.crimes+f.SocialOrderCrimes, rural.n+1
					} else {
						urban.crimes, urban.n = urban.crimes+f.SocialOrderCrimes, urban.n+1
					}
				}
				if low < len(figs)*3/4 {
					t.Errorf("%d: %d of %d communes with 0–6 crimes against social order, want most", y, low, len(figs))
				}
				if yearHot == 0 {
					t.Errorf("%d: no commune with 10 or more crimes against social order", y)
				}
				if lowOther < 3*len(figs)*4/5 {
					t.Errorf("%d: %d of %d other counts are 0–2, want most", y, lowOther, 3*len(figs))
				}
				if urban.crimes*rural.n <= rural.crimes*urban.n {
					t.Errorf("%d: phường/thị trấn average %d/%d not above xã average %d/%d", y, urban.crimes, urban.n, rural.crimes, rural.n)
				}
			}
			for k := 2; k <= 4; k++ {
				if hotspots[k] == 0 {
					t.Errorf("no commune-year with 3 or more cases of Loại %d over %v", k, years)
				}
			}
		})
	}
}

// Hotspots persist: most communes with 10 or more crimes one year are still
// well above the usual 0–6 the next, as real ones are.
func TestFiguresHotspotsPersist(t *testing.T) {
	for _, slug := range Provinces() {
		p, _ := mustProvince(t, slug)
		hot, still := 0, 0
		for _, y := range years[:len(years)-1] {
			this, next := Figures(p, y), Figures(p, y+1)
			for i := range this {
				if this[i].SocialOrderCrimes >= 10 {
					hot++
					if next[i].SocialOrderCrimes >= 7 {
						still++
					}
				}
			}
		}
		if still*2 < hot {
			t.Errorf("%s: %d of %d hotspots still above 6 the next year, want most", slug, still, hot)
		}
	}
}
