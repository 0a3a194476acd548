package cycle

import (
	"fmt"
	"sort"
)

// DecisionRef names an issued decision by its number and date, as a
// refusal cites it.
type DecisionRef struct {
	Code string `json:"code,omitempty"` // e.g. "05/QĐ-BCĐ"
	Date Date   `json:"date,omitempty"`
}

// Known reports whether the decision has been issued (has a number).
func (d DecisionRef) Known() bool { return d.Code != "" }

// word is the decision as running text cites it: "Quyết định số
// 05/QĐ-BCĐ ngày 05/01/2027".
func (d DecisionRef) word() Word {
	if d.Date.IsZero() {
		return Word{VI: "Quyết định số " + d.Code, EN: "decision " + d.Code}
	}
	return Word{VI: "Quyết định số " + d.Code + " ngày " + d.Date.Vietnamese(), EN: "decision " + d.Code + " of " + d.Date.Vietnamese()}
}

// ProgrammeEntry is one commune's row in the province's programme
// (chương trình chuyển hóa): the year it is in, where it stands and the
// decisions that put it there.
type ProgrammeEntry struct {
	Commune   string   `json:"commune"`
	Name      string   `json:"name"`
	District  string   `json:"district,omitempty"`
	Types     Types    `json:"types,omitempty"`
	FirstYear int      `json:"first_year"` // the year whose approval decision first listed it
	Year      int      `json:"year"`       // the programme year it is in
	YearNo    int      `json:"year_no"`    // 1 or 2
	Standing  Standing `json:"standing"`
	// Approval is the approval decision of its first year (its cohort's
	// cycle); unknown while that decision has not been issued.
	Approval DecisionRef `json:"approval,omitempty"`
	// Recognition is the decision recognising it as transformed, when
	// recognised.
	Recognition DecisionRef `json:"recognition,omitempty"`
}

// Programme is what the store knows, when a cycle for Year opens, of the
// province's communes in the programme: those in their first or second
// year, followed after passing, recognised, relapsed. A cycle checks new
// proposals against it (clean lists) and counts its second-year communes
// against the cap when the policy says so.
type Programme struct {
	Province string           `json:"province"`
	Year     int              `json:"year"` // the year the cycle selects for
	Entries  []ProgrammeEntry `json:"entries,omitempty"`
}

// Bar is why a commune may not be proposed for the programme's year: the
// entry that bars it and the rule. ok is false when nothing does.
//
// A commune in its first or second year (in_programme, second_year) or
// followed after passing (follow_up: it leaves the list only when
// recognised, 000 §II.4.b) is in the programme. A commune recognised by a
// decision dated in year R is barred for the years up to R +
// Selection.RecognisedExclusionYears. Relapsed communes and those under
// responsibility review after a second failure are candidates again.
func (p Programme) Bar(pol Policy, commune string) (e ProgrammeEntry, rule string, ok bool) {
	for _, e := range p.Entries {
		if e.Commune != commune {
			continue
		}
		switch e.Standing {
		case StandingInProgramme, StandingSecondYear, StandingFollowUp:
			return e, RuleInProgramme, true
		case StandingRecognised:
			if r := e.Recognition.Date.Year; r == 0 || p.Year <= r+pol.Selection.RecognisedExclusionYears {
				return e, RuleRecognised, true
			}
		}
	}
	return ProgrammeEntry{}, "", false
}

// SecondYear returns the communes carrying out the programme's year as
// their second: enrolled for it as year 2, or failed their first year the
// year before and continuing (second_year) but not yet enrolled. Each
// commune once, by code.
func (p Programme) SecondYear() []ProgrammeEntry {
	var out []ProgrammeEntry
	seen := map[string]bool{}
	for _, e := range p.Entries {
		second := (e.Year == p.Year && e.YearNo == 2 && e.Standing != StandingRecognised) ||
			(e.Year == p.Year-1 && e.YearNo == 1 && e.Standing == StandingSecondYear)
		if second && !seen[e.Commune] {
			seen[e.Commune] = true
			out = append(out, e)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Commune < out[j].Commune })
	return out
}

// Rules of the clean lists.
const (
	RuleInProgramme = "selection.in_programme" // already in the programme
	RuleRecognised  = "selection.recognised"   // recognised within the policy's window
)

// barProblem is the refusal of proposing e's commune for year, in both
// languages, citing its standing and the decision that put it there.
func barProblem(pol Policy, year int, e ProgrammeEntry, rule string) Problem {
	if rule == RuleRecognised {
		until := e.Recognition.Date.Year + pol.Selection.RecognisedExclusionYears
		dec := Word{VI: "quyết định công nhận", EN: "a recognition decision"}
		if e.Recognition.Known() {
			dec = e.Recognition.word()
		}
		return NewProblem(RuleRecognised, dec, pol.Selection.RecognisedExclusionYears, until, year)
	}
	dec := Word{VI: fmt.Sprintf("danh sách năm %d (quyết định phê duyệt chưa ban hành)", e.FirstYear), EN: fmt.Sprintf("the list of %d (its approval decision not yet issued)", e.FirstYear)}
	if e.Approval.Known() {
		dec = e.Approval.word()
	}
	return NewProblem(RuleInProgramme, standingWord(e), dec)
}

// standingWord is where a commune in the programme stands, as a refusal says it.
func standingWord(e ProgrammeEntry) Word {
	switch {
	case e.Standing == StandingFollowUp:
		return Word{VI: fmt.Sprintf("đã đạt năm %d, đang được theo dõi trước khi công nhận", e.Year), EN: fmt.Sprintf("passed %d, followed before its recognition", e.Year)}
	case e.Standing == StandingSecondYear:
		return Word{VI: fmt.Sprintf("chưa đạt năm %d, tiếp tục chuyển hóa năm thứ hai", e.Year), EN: fmt.Sprintf("failed %d, continuing into a second year", e.Year)}
	case e.YearNo == 2:
		return Word{VI: fmt.Sprintf("đang chuyển hóa năm thứ hai (năm %d)", e.Year), EN: fmt.Sprintf("in its second year (%d)", e.Year)}
	}
	return Word{VI: fmt.Sprintf("đang chuyển hóa năm thứ nhất (năm %d)", e.Year), EN: fmt.Sprintf("in its first year (%d)", e.Year)}
}

// CheckProgramme returns the problems of proposing, for the programme's
// year, communes the programme bars (see Programme.Bar), each naming the
// commune, its standing and the decision.
func CheckProgramme(prov Province, pol Policy, prog Programme, prop Proposal) []Problem {
	var probs []Problem
	for i, pc := range prop.Proposed {
		e, rule, barred := prog.Bar(pol, pc.Commune)
		if !barred {
			continue
		}
		p := barProblem(pol, prog.Year, e, rule)
		p.Field = fmt.Sprintf("proposed[%d]", i)
		if c, ok := prov.Commune(pc.Commune); ok {
			p.Commune = c.Label()
		}
		probs = append(probs, p)
	}
	return probs
}

// ValidateProposalIn is ValidateProposal with the clean lists: a commune
// the programme bars is refused too, in the same error. A nil programme
// (cycles started before the clean lists) checks nothing more.
func ValidateProposalIn(prov Province, pol Policy, prog *Programme, prop Proposal) error {
	err := ValidateProposal(prov, pol, prop)
	if prog == nil {
		return err
	}
	probs := CheckProgramme(prov, pol, *prog, prop)
	if len(probs) == 0 {
		return err
	}
	if err == nil {
		return invalidProposal(prov, prop, probs)
	}
	if ce, ok := err.(*Error); ok && ce.Code == EINVALID {
		ce.Problems = append(ce.Problems, probs...)
		return ce
	}
	return err
}

func init() {
	defineMessages(map[string]Text{
		RuleInProgramme: {VI: "Xã đang trong diện chuyển hóa (%[1]s) theo %[2]s: không đề xuất lại", EN: "already in the programme (%[1]s) under %[2]s: not proposed again"},
		RuleRecognised: {VI: "Xã đã được công nhận chuyển hóa đạt theo %[1]s; chính sách không lựa chọn lại trong %[2]d năm sau năm công nhận (đến hết năm %[3]d), chưa đề xuất được cho năm %[4]d",
			EN: "recognised as transformed by %[1]s; the policy does not select it again for %[2]d year(s) after the year of its recognition (until %[3]d), so not for %[4]d"},
		"selection.check.second_year_places": {VI: ", sau khi trừ %[1]s địa bàn tiếp tục chuyển hóa năm thứ hai", EN: ", after %[1]s second-year communes"},
		"selection.check.programme_clear":    {VI: "Không trong diện chuyển hóa, không mới được công nhận", EN: "not in the programme, not recently recognised"},
	})
}

// NewProgramme builds the programme of a province for the cycle of year
// from the store's rows (TransformationStore.Transformations) and the
// decisions of their cohorts' cycles (DecisionStore.Decisions, by cycle
// ID): a commune's approval decision is its cohort's, its recognition
// decision the one whose code its row records (dated by the row's last
// change when the decision is not found).
func NewProgramme(province string, year int, rows []Transformation, decisions map[string][]Decision) Programme {
	p := Programme{Province: province, Year: year}
	for _, t := range rows {
		if t.Province != province {
			continue
		}
		e := ProgrammeEntry{Commune: t.Commune, Name: t.Name, District: t.District, Types: append(Types(nil), t.Types...),
			FirstYear: t.FirstYear, Year: t.Year, YearNo: t.YearNo, Standing: t.Standing}
		for _, d := range decisions[t.CycleID] {
			switch {
			case d.Kind == DocApproval && d.Code != "":
				e.Approval = DecisionRef{Code: d.Code, Date: d.Date}
			case d.Kind == DocRecognition && t.Decision != "" && d.Code == t.Decision:
				e.Recognition = DecisionRef{Code: d.Code, Date: d.Date}
			}
		}
		if t.Standing == StandingRecognised && e.Recognition.Date.IsZero() {
			e.Recognition = DecisionRef{Code: t.Decision, Date: DateOf(t.Updated)}
		}
		p.Entries = append(p.Entries, e)
	}
	sort.SliceStable(p.Entries, func(i, j int) bool {
		a, b := p.Entries[i], p.Entries[j]
		if a.Commune != b.Commune {
			return a.Commune < b.Commune
		}
		return a.Year > b.Year // the latest row of a commune first
	})
	return p
}

// ListOnce is the communes an approval decision lists: the year's new
// communes in their order, then the second-year communes, each commune
// once — a commune both on the new list and continuing into its second
// year is listed as continuing (one workflow per commune and year), and a
// second-year commune recorded twice once.
func ListOnce(list, secondYear []ListedCommune) []ListedCommune {
	second := map[string]bool{}
	for _, l := range secondYear {
		second[l.Commune] = true
	}
	var out []ListedCommune
	for _, l := range list {
		if !second[l.Commune] {
			l.Extension = false
			out = append(out, l)
		}
	}
	seen := map[string]bool{}
	for _, l := range secondYear {
		if !seen[l.Commune] {
			seen[l.Commune] = true
			l.Extension = true
			out = append(out, l)
		}
	}
	return out
}
