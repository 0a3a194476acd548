package cycle

import "fmt"

// Awards is a policy's award scheme (khen thưởng): who may be nominated,
// how many, and the dossier each nomination needs (001 §III.1, 003 §III).
type Awards struct {
	Form              string        `json:"form"`                          // "Bằng khen của Chủ tịch UBND tỉnh"
	Grantor           string        `json:"grantor"`                       // who decides: "Chủ tịch UBND tỉnh", "Giám đốc Công an tỉnh"
	Collectives       int           `json:"collectives,omitempty"`         // at most this many collectives in the province (0: no quota)
	Individuals       int           `json:"individuals,omitempty"`         // at most this many individuals (0: no quota)
	LeadersMaxPercent int           `json:"leaders_max_percent,omitempty"` // leaders at most this % of the individuals nominated (0: no limit)
	PerArea           int           `json:"per_area,omitempty"`            // at most this many nominations (collective or person) per transformed area (0: no limit)
	Dossier           []DossierPart `json:"dossier,omitempty"`             // parts every nomination must carry
	Clause            string        `json:"clause,omitempty"`
	// Issuer is who issues the award decision when it is not the
	// province's steering committee: the People's Committee (003), the
	// provincial police (001). Its signer's name is the province's to set.
	Issuer *Issuer `json:"issuer,omitempty"`
}

// DossierPart is one document of an award dossier (hồ sơ khen thưởng).
type DossierPart struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// NomineeKind is a collective (tập thể) or an individual (cá nhân).
type NomineeKind string

// The nominee kinds.
const (
	NomineeCollective NomineeKind = "collective"
	NomineeIndividual NomineeKind = "individual"
)

// Nomination is one unit's proposal of a collective or person for an award
// (đề nghị khen thưởng).
type Nomination struct {
	ID           string      `json:"id,omitempty"`       // "<unit>/<n>", given by the round
	Unit         string      `json:"unit"`               // the nominating unit (district, department, commune)
	Kind         NomineeKind `json:"kind"`               // collective or individual
	Name         string      `json:"name"`               // the collective or person
	Position     string      `json:"position,omitempty"` // an individual's post
	Leader       bool        `json:"leader,omitempty"`   // deputy head of division or equivalent and above (003: "từ Phó trưởng phòng và tương đương trở lên")
	Area         string      `json:"area,omitempty"`     // the transformed commune the work was in (001)
	Achievements string      `json:"achievements"`       // summary of achievements
	Dossier      []string    `json:"dossier,omitempty"`  // IDs of the dossier parts attached
}

// ValidateNominations checks a set of nominations against the award scheme:
// quotas of collectives and individuals, the share of leaders among the
// individuals, the number per transformed area, and the dossier of each. It
// returns EINVALID with every problem, naming the nomination and the
// figures compared; nil means the set can stand.
func ValidateNominations(a Awards, noms []Nomination) error {
	return validateNominations(a, noms, false)
}

// ValidateOpenNominations checks the nominations of a round still taking
// them. The leaders' share is of the individuals finally proposed, which is
// not known yet; what can be checked is that the leaders do not already
// exceed the share of the quota of individuals (40% of 6: at most 2), which
// no final set could then respect. Every other rule is as in
// ValidateNominations; the council's review checks the exact share.
func ValidateOpenNominations(a Awards, noms []Nomination) error {
	return validateNominations(a, noms, true)
}

func validateNominations(a Awards, noms []Nomination, open bool) error {
	var probs []Problem
	add := func(field, rule string, t Text, args ...any) {
		probs = append(probs, withPlace(Bilingual(rule, t, args...), field, ""))
	}
	collectives, individuals, leaders := 0, 0, 0
	perArea := map[string][]int{}
	var areaOrder []string
	for i, n := range noms {
		f := fmt.Sprintf("nominations[%d]", i)
		switch n.Kind {
		case NomineeCollective:
			collectives++
		case NomineeIndividual:
			individuals++
			if n.Leader {
				leaders++
			}
		default:
			add(f+".kind", "awards.kind", Text{VI: "Đối tượng đề nghị khen thưởng «%s» không hợp lệ: chỉ có tập thể hoặc cá nhân", EN: "%q: want collective or individual"}, n.Kind)
		}
		if n.Kind == NomineeCollective && n.Leader {
			add(f+".leader", "awards.kind", Text{VI: "%s: chỉ cá nhân mới được ghi là lãnh đạo, chỉ huy", EN: "%s: only an individual can be a leader"}, n.Name)
		}
		if Clean(n.Name) == "" {
			add(f+".name", "awards.name", Text{VI: "Chưa ghi tên tập thể hoặc cá nhân được đề nghị khen thưởng", EN: "the nominee's name is required"})
		}
		if Clean(n.Achievements) == "" {
			add(f+".achievements", "awards.achievements", Text{VI: "%s: cần tóm tắt thành tích", EN: "%s: a summary of achievements is required"}, n.Name)
		}
		if a.PerArea > 0 {
			if n.Area == "" {
				add(f+".area", "awards.area", Text{VI: "%s: cần ghi địa bàn chuyển hóa nơi lập thành tích (mỗi địa bàn một đề nghị)", EN: "%s: name the transformed area the work was in (one per area)"}, n.Name)
			} else {
				if _, ok := perArea[n.Area]; !ok {
					areaOrder = append(areaOrder, n.Area) // no map iteration: workflows call this
				}
				perArea[n.Area] = append(perArea[n.Area], i)
			}
		}
		have := map[string]bool{}
		for _, d := range n.Dossier {
			have[d] = true
		}
		for _, part := range a.Dossier {
			if !have[part.ID] {
				add(f+".dossier", "awards.dossier", Text{VI: "%s: hồ sơ còn thiếu «%s» (%s)", EN: "%s: dossier lacks %q (%s)"}, n.Name, part.ID, part.Name)
			}
		}
		for _, d := range n.Dossier {
			known := len(a.Dossier) == 0
			for _, part := range a.Dossier {
				known = known || part.ID == d
			}
			if !known {
				add(f+".dossier", "awards.dossier", Text{VI: "%s: «%s» không thuộc thành phần hồ sơ khen thưởng theo Kế hoạch", EN: "%s: %q is not a part of this scheme's dossier"}, n.Name, d)
			}
		}
	}
	if a.Collectives > 0 && collectives > a.Collectives {
		add("nominations", "awards.quota_collectives", Text{VI: "Đề nghị khen thưởng %d tập thể, vượt số lượng %d tập thể theo Kế hoạch", EN: "%d collectives nominated, the quota is %d"}, collectives, a.Collectives)
	}
	if a.Individuals > 0 && individuals > a.Individuals {
		add("nominations", "awards.quota_individuals", Text{VI: "Đề nghị khen thưởng %d cá nhân, vượt số lượng %d cá nhân theo Kế hoạch", EN: "%d individuals nominated, the quota is %d"}, individuals, a.Individuals)
	}
	// Exact: leaders/individuals ≤ p%  ⇔  100·leaders ≤ p·individuals.
	if open {
		if a.LeadersMaxPercent > 0 && a.Individuals > 0 && 100*leaders > a.LeadersMaxPercent*a.Individuals {
			add("nominations", "awards.leaders_share", Text{VI: "Đề nghị khen thưởng %d cá nhân là lãnh đạo, chỉ huy: chỉ được khen thưởng tối đa %d người (%d%% của %d cá nhân)", EN: "%d leaders nominated: at most %d can be awarded (%d%% of the %d individuals)"},
				leaders, a.LeadersMaxPercent*a.Individuals/100, a.LeadersMaxPercent, a.Individuals)
		}
	} else if a.LeadersMaxPercent > 0 && 100*leaders > a.LeadersMaxPercent*individuals {
		add("nominations", "awards.leaders_share", Text{VI: "%d lãnh đạo, chỉ huy trong %d cá nhân là %s%%, vượt tỷ lệ %d%% (tối đa %d người)", EN: "%d leaders among %d individuals is %s%% > %d%% (at most %d)"},
			leaders, individuals, num(100*float64(leaders)/float64(individuals)), a.LeadersMaxPercent, a.LeadersMaxPercent*individuals/100)
	}
	for _, ar := range areaOrder {
		if idx := perArea[ar]; len(idx) > a.PerArea {
			add(fmt.Sprintf("nominations[%d]", idx[a.PerArea]), "awards.per_area", Text{VI: "Địa bàn %s có %d đề nghị khen thưởng, mỗi địa bàn chuyển hóa tối đa %d", EN: "area %s has %d nominations, at most %d per transformed area"}, ar, len(idx), a.PerArea)
		}
	}
	return Invalid("award nominations", probs)
}

// validate checks an award scheme.
func (a *Awards) validate(field string) []Problem {
	var probs []Problem
	add := func(f string, t Text, args ...any) {
		probs = append(probs, withPlace(Bilingual("policy.awards", t, args...), field+"."+f, ""))
	}
	if a.Form == "" {
		add("form", Text{VI: "Chưa ghi hình thức khen thưởng", EN: "required: the form of award"})
	}
	if a.Grantor == "" {
		add("grantor", Text{VI: "Chưa ghi cấp khen thưởng", EN: "required: who grants the award"})
	}
	if a.Collectives < 0 || a.Individuals < 0 || a.PerArea < 0 {
		add("collectives", Text{VI: "Số lượng khen thưởng không được âm", EN: "quotas must not be negative"})
	}
	if a.LeadersMaxPercent < 0 || a.LeadersMaxPercent > 100 {
		add("leaders_max_percent", Text{VI: "Tỷ lệ lãnh đạo, chỉ huy %d%% không hợp lệ: phải từ 0 đến 100", EN: "%d: want 0–100"}, a.LeadersMaxPercent)
	}
	seen := map[string]bool{}
	for i, d := range a.Dossier {
		if d.ID == "" || d.Name == "" || seen[d.ID] {
			add(fmt.Sprintf("dossier[%d]", i), Text{VI: "Thành phần hồ sơ cần có mã và tên, mã không được trùng", EN: "id and name required, ids unique"})
		}
		seen[d.ID] = true
	}
	return probs
}
