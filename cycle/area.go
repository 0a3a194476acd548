package cycle

import "fmt"

// TwoTierArea is what a commune of a two-tier province (no districts since
// 1 July 2025) is compared with where the plan says "bình quân một địa bàn
// cấp xã thuộc huyện": a policy choice (evaluation.two_tier_area).
type TwoTierArea string

// The two-tier comparators.
const (
	// TwoTierSameKind: the province's average over the units of the same
	// kind — communes (xã) with communes, wards and special zones (phường,
	// đặc khu) with each other. The default.
	TwoTierSameKind TwoTierArea = "same_kind"
	// TwoTierNone: no area comparison; the criterion's other checks decide.
	TwoTierNone TwoTierArea = "none"
)

// Valid reports whether a is a comparator ("" is the default, same_kind).
func (a TwoTierArea) Valid() bool { return a == "" || a == TwoTierSameKind || a == TwoTierNone }

// urban reports whether a unit of kind k is compared with wards rather
// than with communes.
func urban(k CommuneKind) bool { return k == KindPhuong || k == KindDacKhu || k == KindThiTran }

// AreaStatistics are the figures of every commune the secretariat holds
// for one statistics period: the proposals of one cycle (each unit's
// current revision), named by where they come from.
type AreaStatistics struct {
	Source  Word             // e.g. "số liệu đề xuất năm 2028 (15/12/2026 – 14/12/2027)"
	Figures []CommuneFigures // one row per commune
}

// AreaFor is the area average a commune is compared with (000 §II.3.b
// Loại 1: "thấp hơn hoặc bằng tỷ lệ bình quân một địa bàn cấp xã thuộc
// huyện"), computed from the statistics the secretariat holds rather than
// typed by the reporting unit: its district's communes in a three-tier
// province; in a two-tier one, as the policy's evaluation.two_tier_area
// says, the province's units of the same kind, or no comparison
// (NotCompared). ok is false when the statistics hold no commune of the
// area.
func AreaFor(prov Province, pol Policy, commune string, st AreaStatistics) (area *AreaAverage, ok bool) {
	c, known := prov.Commune(commune)
	if !known {
		return nil, false
	}
	mode := TwoTierSameKind
	if pol.Evaluation != nil && pol.Evaluation.TwoTierArea != "" {
		mode = pol.Evaluation.TwoTierArea
	}
	a := &AreaAverage{Computed: true, Source: st.Source.VI, SourceEN: st.Source.EN}
	var in func(Commune) bool
	switch {
	case !prov.TwoTier():
		a.Name = prov.UnitName(c.District)
		in = func(x Commune) bool { return x.District == c.District }
	case mode == TwoTierNone:
		a.Name, a.NotCompared = prov.Name, true
		return a, true
	case urban(c.Kind):
		a.Name = "các phường, đặc khu của " + prov.Name
		in = func(x Commune) bool { return urban(x.Kind) }
	default:
		a.Name = "các xã của " + prov.Name
		in = func(x Commune) bool { return !urban(x.Kind) }
	}
	seen := map[string]bool{}
	for _, f := range st.Figures {
		x, known := prov.Commune(f.Commune)
		if !known || seen[x.Code] || !in(x) {
			continue
		}
		seen[x.Code] = true
		a.Crimes += f.SocialOrderCrimes
		a.Communes++
	}
	if a.Communes == 0 {
		return nil, false
	}
	return a, true
}

// CheckTypedArea refuses an area average typed in a report that differs
// from the one the product computed (the same ratio: crimes/communes). A
// report may leave it out: the computed one is used.
func CheckTypedArea(typed, computed *AreaAverage) error {
	if typed == nil || computed == nil || computed.NotCompared {
		return nil
	}
	if typed.Communes > 0 && typed.Crimes*computed.Communes == computed.Crimes*typed.Communes {
		return nil
	}
	t := average{crimes: typed.Crimes, communes: typed.Communes}
	c := average{crimes: computed.Crimes, communes: computed.Communes}
	p := NewProblem("report.area_differs", Dec(t.value()), Int(typed.Crimes), Int(typed.Communes), Dec(c.value()), Int(computed.Crimes), Int(computed.Communes),
		computed.Name, Word{VI: computed.Source, EN: computed.SourceEN})
	p.Field = "area_average"
	return &Error{Code: EINVALID, Message: Say(English, "report.invalid"), Text: Say(Vietnamese, "report.invalid"), Problems: []Problem{p}}
}

// sourceNote is where a computed average comes from, after the figures
// compared: " (hệ thống tính từ số liệu đề xuất năm 2028 …)".
func (a AreaAverage) sourceNote(lang Lang) string {
	if !a.Computed {
		return ""
	}
	src := a.Source
	if lang == English {
		src = a.SourceEN
	}
	return Say(lang, "eval.average_source", src)
}

// Vietnamese is "Huyện Bình Sơn: 6,00 (30 vụ/5 xã) (hệ thống tính từ …)", for forms.
func (a AreaAverage) Vietnamese() string {
	if a.NotCompared {
		return Say(Vietnamese, "eval.average_not_compared", a.Name)
	}
	v := average{crimes: a.Crimes, communes: a.Communes}
	return fmt.Sprintf("%s: %s (%s vụ/%s xã)", a.Name, Dec(v.value()).Say(Vietnamese), formatInt(Vietnamese, a.Crimes), formatInt(Vietnamese, a.Communes)) + a.sourceNote(Vietnamese)
}

func init() {
	defineMessages(map[string]Text{
		"report.area_differs": {VI: "Số bình quân một xã do đơn vị nhập là %[1]s (%[2]s vụ/%[3]s xã), khác số hệ thống tính từ số liệu Cơ quan Thường trực đang giữ là %[4]s (%[5]s vụ/%[6]s xã) của %[7]s, theo %[8]s: để trống trường này (hệ thống tự tính) hoặc sửa lại",
			EN: "the average per commune typed in, %[1]s (%[2]s crimes / %[3]s communes), differs from the one computed from the statistics the secretariat holds, %[4]s (%[5]s crimes / %[6]s communes) for %[7]s, from %[8]s: leave the field empty (the product computes it) or correct it"},
		"eval.average_source":           {VI: " (hệ thống tính từ %[1]s)", EN: " (computed from %[1]s)"},
		"eval.average_not_compared":     {VI: "không so sánh với bình quân một xã (tỉnh không còn cấp huyện; chính sách không đặt địa bàn so sánh cho %[1]s)", EN: "not compared with an area average (no districts; the policy sets no comparator for %[1]s)"},
		"eval.average_not_compared_met": {VI: "%[1]s: %[2]s; không so sánh với bình quân một xã (chính sách của tỉnh hai cấp)", EN: "%[1]s %[2]s; not compared with an area average (the two-tier policy sets none)"},
	})
}
