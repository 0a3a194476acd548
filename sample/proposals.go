package sample

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"chuyenhoa/cycle"
)

// highCount is the count of a category from which a proposed commune is
// also classified into that category's type (Loại 2, 3 or 4).
const highCount = 3

// Proposals returns what each unit of p would propose for cycle year `year`
// under pol, in the order of p.Units(), built on Figures(p, year). Each
// proposal carries the full statistics table of the unit's communes and is
// labelled synthetic in its note.
//
// A district proposes its worst communes — those with more crimes against
// social order than the district's average per commune, not new-rural when
// the policy excludes them — most crimes first: one to four of them,
// depending on the district's size and a little on the year. In a two-tier
// province each commune reports its own figures and proposes itself when its
// crimes against social order are at least twice the province's average
// per commune (known from the province police's yearly statistics).
//
// Each proposed commune is classified Loại 1, plus Loại 2, 3 or 4 when its
// economic, environment or drug cases number three or more, and carries a
// short reason in Vietnamese. Every proposal passes cycle.ValidateProposal.
// A district proposes no commune only when none qualifies; its note says so.
//
// Because districts judge only against their own average, a quiet district
// proposes its local hotspot even when it is below the province's average,
// which cycle.Select then rules ineligible; and the districts together
// usually propose more communes than the province's 15% cap.
func Proposals(p cycle.Province, pol cycle.Policy, year int) []cycle.Proposal {
	figs := figuresByCode(p, year)
	note := syntheticNote(pol, year)
	if p.TwoTier() {
		return communeProposals(p, pol, figs, note)
	}
	out := make([]cycle.Proposal, 0, len(p.Districts))
	for _, d := range p.Districts {
		communes := p.CommunesOf(d.Code)
		prop := cycle.Proposal{Unit: d.Code, Note: note}
		total := 0
		for _, c := range communes {
			prop.Statistics = append(prop.Statistics, cycle.CommuneFigures{Commune: c.Code, Figures: figs[c.Code]})
			total += figs[c.Code].SocialOrderCrimes
		}
		var cands []cycle.Commune
		for _, c := range communes {
			if aboveAverage(figs[c.Code].SocialOrderCrimes, total, len(communes)) && !(pol.Selection.ExcludeNewRural && c.NewRural) {
				cands = append(cands, c)
			}
		}
		sortWorstFirst(cands, figs)
		where := lowerUnitPrefix(d.Name)
		for _, c := range cands[:min(len(cands), proposalCount(d.Code, len(communes), year))] {
			f := figs[c.Code]
			prop.Proposed = append(prop.Proposed, cycle.ProposedCommune{
				Commune: c.Code,
				Types:   typesFor(f),
				Reason:  reasonFor(f, where, total, len(communes)),
			})
		}
		if len(prop.Proposed) == 0 {
			prop.Note += " Không có địa bàn đủ điều kiện đề xuất."
		}
		out = append(out, prop)
	}
	return out
}

// communeProposals is Proposals for a two-tier province: one proposal per
// commune.
func communeProposals(p cycle.Province, pol cycle.Policy, figs map[string]cycle.Figures, note string) []cycle.Proposal {
	total := 0
	for _, f := range figs {
		total += f.SocialOrderCrimes
	}
	out := make([]cycle.Proposal, 0, len(p.Communes))
	for _, c := range p.Communes {
		f := figs[c.Code]
		prop := cycle.Proposal{
			Unit:       c.Code,
			Statistics: []cycle.CommuneFigures{{Commune: c.Code, Figures: f}},
			Note:       note,
		}
		n := len(p.Communes)
		if total > 0 && f.SocialOrderCrimes*n >= 2*total && !(pol.Selection.ExcludeNewRural && c.NewRural) {
			prop.Proposed = []cycle.ProposedCommune{{
				Commune: c.Code,
				Types:   typesFor(f),
				Reason:  reasonFor(f, lowerUnitPrefix(p.Name), total, n),
			}}
		}
		out = append(out, prop)
	}
	return out
}

// BadProposal returns the proposal of unit `district` for cycle year `year`
// (as Proposals makes it) with the mistakes real officers make appended to
// its proposed communes, for demos of clear rejections:
//
//   - a new-rural commune of the district (if it has one), which
//     cycle.ValidateProposal rejects as selection.new_rural when pol
//     excludes new-rural communes;
//   - the worst commune of the next district (registry.wrong_unit);
//   - a mistyped commune code that is not in p
//     (registry.unknown_commune);
//   - in a three-tier province, a commune at or below the district's
//     average (selection.district_average when pol applies that rule).
//
// The communes Proposals chose stay first and are valid. In a two-tier
// province `district` is the commune that proposes. An unknown unit gives an
// empty proposal for it, which ValidateProposal rejects as
// registry.unknown_unit.
func BadProposal(p cycle.Province, pol cycle.Policy, year int, district string) cycle.Proposal {
	var prop cycle.Proposal
	units := p.Units()
	next := ""
	for i, pr := range Proposals(p, pol, year) {
		if pr.Unit == district {
			prop = pr
			next = units[(i+1)%len(units)]
		}
	}
	if prop.Unit == "" {
		return cycle.Proposal{Unit: district, Note: syntheticNote(pol, year)}
	}
	prop.Note += " Đề xuất mẫu có lỗi cố ý để trình diễn việc kiểm tra."
	figs := figuresByCode(p, year)
	proposed := map[string]bool{}
	for _, pc := range prop.Proposed {
		proposed[pc.Commune] = true
	}
	var own []cycle.Commune
	for _, s := range prop.Statistics {
		c, _ := p.Commune(s.Commune)
		own = append(own, c)
	}
	sortWorstFirst(own, figs)
	total := 0
	for _, c := range own {
		total += figs[c.Code].SocialOrderCrimes
	}

	// A new-rural commune: the officer goes by the crime figures and forgets
	// the commune's recognition.
	for _, c := range own {
		if c.NewRural && !proposed[c.Code] {
			f := figs[c.Code]
			prop.Proposed = append(prop.Proposed, cycle.ProposedCommune{Commune: c.Code, Types: typesFor(f),
				Reason: fmt.Sprintf("%d vụ phạm tội xâm phạm TTXH; còn nhiều tụ điểm tệ nạn xã hội", f.SocialOrderCrimes)})
			break
		}
	}

	// The worst commune of the neighbouring unit, proposed as if it were ours.
	if next != "" && next != district {
		var theirs []cycle.Commune
		for _, c := range p.Communes {
			if c.District == next || (p.TwoTier() && c.Code == next) {
				theirs = append(theirs, c)
			}
		}
		sortWorstFirst(theirs, figs)
		if len(theirs) > 0 {
			prop.Proposed = append(prop.Proposed, cycle.ProposedCommune{Commune: theirs[0].Code, Types: cycle.Types{cycle.TypeSocialOrder},
				Reason: "Địa bàn giáp ranh, phức tạp về TTXH"})
		}
	}

	// A code with a digit mistyped: a little past a real code, and not in
	// the province's registry.
	if typo := mistype(p, own[0].Code); typo != "" {
		prop.Proposed = append(prop.Proposed, cycle.ProposedCommune{Commune: typo, Types: cycle.Types{cycle.TypeSocialOrder},
			Reason: "Phức tạp về TTXH, nhiều vụ trộm cắp tài sản"})
	}

	// A commune at or below the district's average: the officer counts the
	// complaints, not the crimes. The highest such count reads most like a
	// real case; skipping new-rural communes keeps the mistake to this rule.
	if !p.TwoTier() {
		for _, c := range own {
			f := figs[c.Code]
			if c.NewRural || proposed[c.Code] || aboveAverage(f.SocialOrderCrimes, total, len(own)) {
				continue
			}
			prop.Proposed = append(prop.Proposed, cycle.ProposedCommune{Commune: c.Code, Types: typesFor(f),
				Reason: fmt.Sprintf("%d vụ phạm tội xâm phạm TTXH; nhân dân phản ánh nhiều về tình trạng cờ bạc, trộm cắp", f.SocialOrderCrimes)})
			break
		}
	}
	return prop
}

// figuresByCode is Figures(p, year) by commune code.
func figuresByCode(p cycle.Province, year int) map[string]cycle.Figures {
	out := map[string]cycle.Figures{}
	for _, f := range Figures(p, year) {
		out[f.Commune] = f.Figures
	}
	return out
}

// aboveAverage reports whether n is above total/communes, in the exact
// integer arithmetic cycle.ValidateProposal uses.
func aboveAverage(n, total, communes int) bool { return communes > 0 && n*communes > total }

// sortWorstFirst orders communes by crimes against social order, most first,
// then by code.
func sortWorstFirst(cs []cycle.Commune, figs map[string]cycle.Figures) {
	sort.SliceStable(cs, func(i, j int) bool {
		a, b := figs[cs[i].Code].SocialOrderCrimes, figs[cs[j].Code].SocialOrderCrimes
		if a != b {
			return a > b
		}
		return cs[i].Code < cs[j].Code
	})
}

// proposalCount is how many communes a district of n communes proposes at
// most in a year: one per six communes plus one, give or take one by year,
// between one and four.
func proposalCount(district string, n, year int) int {
	k := 1 + n/5 + int(hash("proposal-count", district, strconv.Itoa(year))%3) - 1
	return max(1, min(k, 4))
}

// typesFor classifies a proposed commune: Loại 1 always, and Loại 2, 3, 4
// when that category's count is high.
func typesFor(f cycle.Figures) cycle.Types {
	ts := cycle.Types{cycle.TypeSocialOrder}
	if f.EconomicCases >= highCount {
		ts = append(ts, cycle.TypeEconomic)
	}
	if f.EnvironmentCases >= highCount {
		ts = append(ts, cycle.TypeEnvironment)
	}
	if f.DrugCases >= highCount {
		ts = append(ts, cycle.TypeDrugs)
	}
	return ts
}

// reasonFor is a unit's short assessment of a proposed commune, naming the
// figures behind each of its types.
func reasonFor(f cycle.Figures, where string, total, communes int) string {
	parts := []string{fmt.Sprintf("%d vụ phạm tội xâm phạm TTXH, cao hơn bình quân của %s (%s vụ/địa bàn)",
		f.SocialOrderCrimes, where, decimal(float64(total)/float64(communes)))}
	if f.EconomicCases >= highCount {
		parts = append(parts, fmt.Sprintf("%d vụ về trật tự quản lý kinh tế", f.EconomicCases))
	}
	if f.EnvironmentCases >= highCount {
		parts = append(parts, fmt.Sprintf("%d vụ về môi trường, tài nguyên, an toàn thực phẩm", f.EnvironmentCases))
	}
	if f.DrugCases >= highCount {
		parts = append(parts, fmt.Sprintf("%d vụ về ma túy", f.DrugCases))
	}
	return strings.Join(parts, "; ")
}

// decimal formats v with two decimals and a decimal comma, as Vietnamese
// text writes numbers ("2,35").
func decimal(v float64) string {
	return strings.Replace(strconv.FormatFloat(v, 'f', 2, 64), ".", ",", 1)
}

// syntheticNote labels a proposal as synthetic and gives its reference
// period under the policy's calendar.
func syntheticNote(pol cycle.Policy, year int) string {
	note := SyntheticLabel + "."
	from, to := pol.Calendar.StatisticsFrom, pol.Calendar.StatisticsTo
	if from.Valid() && to.Valid() {
		note += fmt.Sprintf(" Kỳ số liệu: %s - %s.", from.In(year-1).Vietnamese(), to.In(year-1).Vietnamese())
	}
	return note
}

// mistype returns a code of the same width as code, one or a few past it,
// that is no commune of p: the typo an officer makes copying a code.
func mistype(p cycle.Province, code string) string {
	n, err := strconv.Atoi(code)
	if err != nil {
		return code + "0"
	}
	for d := 1; d < 100; d++ {
		typo := fmt.Sprintf("%0*d", len(code), n+d)
		if _, ok := p.Commune(typo); !ok {
			return typo
		}
	}
	return ""
}
