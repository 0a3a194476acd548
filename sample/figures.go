package sample

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"

	"chuyenhoa/cycle"
)

// Caps keep generated counts in the range real commune statistics show.
const (
	maxSocialOrder = 30
	maxOtherCases  = 12
)

// profile is a commune's standing propensity to each crime category: the
// expected cases per year. It depends on the commune, not on the year, so
// that hotspots persist from one year to the next as real ones do.
type profile struct {
	social, economic, environment, drugs float64
}

// Figures returns synthetic figures for every commune of p, in registry
// order, for the proposals of cycle year `year`: the reference period before
// it (15/12 of year−2 to 14/12 of year−1 under the default calendar). The
// figures a cycle's own statistics period produces are Figures(p, year+1).
//
// They are deterministic in the province code, the commune codes and the
// year. Crimes against social order are skewed: most communes have 0–6,
// phường and thị trấn more than xã, towns and cities more than rural
// districts, and a few hotspots 10–30. Economic, environment and drug cases
// are mostly 0–2 with some hotspots, more often in communes that are already
// social-order hotspots. New-rural xã are quieter. Each year every commune
// varies around its standing level, and a few flare up.
func Figures(p cycle.Province, year int) []cycle.CommuneFigures {
	yr := strconv.Itoa(year)
	rng := rand.New(rand.NewPCG(hash("figures", p.Code, yr), hash("figures-stream", p.Code, yr)))
	trend := 0.9 + 0.2*rng.Float64() // the province's year: ±10%
	districtFactor := map[string]float64{}
	for _, d := range p.Districts {
		districtFactor[d.Code] = levelOf(d)
	}
	out := make([]cycle.CommuneFigures, len(p.Communes))
	for i, c := range p.Communes {
		pr := profileOf(p.Code, c, districtFactor[c.District])
		f := 0.75 + 0.5*rng.Float64() // the commune's year: ±25%
		if rng.Float64() < 0.03 {
			pr.social += 8 // a flare-up: a gang, a dispute, a new gambling den
		}
		out[i] = cycle.CommuneFigures{Commune: c.Code, Figures: cycle.Figures{
			SocialOrderCrimes: min(poisson(rng, pr.social*f*trend), maxSocialOrder),
			EconomicCases:     min(poisson(rng, pr.economic*f), maxOtherCases),
			EnvironmentCases:  min(poisson(rng, pr.environment*f), maxOtherCases),
			DrugCases:         min(poisson(rng, pr.drugs*f), maxOtherCases),
		}}
	}
	return out
}

// levelOf is a district's standing crime level relative to the province:
// cities and towns above, rural and mountain districts below, each district
// a little different.
func levelOf(d cycle.District) float64 {
	r := rand.New(rand.NewPCG(hash("district", d.Code), hash("district-stream", d.Code)))
	base := 0.8
	switch {
	case strings.HasPrefix(d.Name, "Thành phố "), strings.HasPrefix(d.Name, "Quận "):
		base = 1.35
	case strings.HasPrefix(d.Name, "Thị xã "):
		base = 1.1
	}
	return base * (0.6 + 0.6*r.Float64())
}

// profileOf draws a commune's standing profile from its own seed. level is
// its district's level (0 in a two-tier province: taken as 1).
func profileOf(province string, c cycle.Commune, level float64) profile {
	r := rand.New(rand.NewPCG(hash("commune", province, c.Code), hash("commune-stream", province, c.Code)))
	if level == 0 {
		level = 0.7 + 0.6*r.Float64()
	}
	between := func(lo, hi float64) float64 { return lo + (hi-lo)*r.Float64() }
	urban := c.Kind != cycle.KindXa
	var pr profile
	hotP := 0.05
	if urban {
		pr.social = between(2.5, 6)
		hotP = 0.1
	} else {
		pr.social = between(0.8, 3)
	}
	pr.social *= level
	if c.NewRural {
		// Order and security is one of the new-rural criteria: recognised
		// communes are quieter and not standing hotspots, though they can
		// still flare up in a year.
		pr.social *= 0.7
		hotP = 0
	}
	hot := r.Float64() < hotP
	if hot {
		pr.social = between(12, 24)
	}
	// Communes complex in one way tend to be complex in others.
	other := 0.05
	if hot {
		other = 0.35
	}
	pr.economic = between(0.2, 0.8)
	if r.Float64() < other {
		pr.economic = between(3, 6)
	}
	pr.environment = between(0.2, 0.8)
	envP := other
	if !urban {
		envP += 0.03 // sand mining, logging, illegal fishing: a rural matter
	}
	if r.Float64() < envP {
		pr.environment = between(3, 6)
	}
	pr.drugs = between(0.2, 0.9)
	drugP := other
	if urban {
		pr.drugs = between(0.5, 1.5)
		drugP += 0.05
	}
	if r.Float64() < drugP {
		pr.drugs = between(3, 8)
	}
	return pr
}

// poisson draws from a Poisson distribution of mean lambda (Knuth's method;
// lambda stays well below the point where exp(-lambda) underflows).
func poisson(r *rand.Rand, lambda float64) int {
	if lambda <= 0 {
		return 0
	}
	limit := math.Exp(-lambda)
	k, prod := 0, r.Float64()
	for prod > limit {
		k++
		prod *= r.Float64()
	}
	return k
}
