package cycle

import (
	"fmt"
	"strings"
	"time"
)

// LegalAct is a legal document another document cites (căn cứ) or carries
// out (thực hiện): a law, a decree, a decision, a plan, a body's rules.
// Which acts a document cites is configuration — the issuer's (its
// founding act, its working rules, the province's plans) and the
// policy's (the national programme, the province's plan, the emulation
// law, decree and rules) — chosen for the document's year and date by
// ResolveGrounds, never written into a template.
type LegalAct struct {
	// Kind is the kind of act as its citation starts: "Luật", "Nghị
	// định", "Quyết định", "Kế hoạch", "Thông tư", "Chỉ thị".
	Kind string `json:"kind"`
	// Name is a law's name after "Luật", e.g. "Thi đua, khen thưởng";
	// empty for other acts, which are cited by number and subject.
	Name string `json:"name,omitempty"`
	// Number is the number and symbol, e.g. "113/KH-BCA-V01"; empty
	// when not known (the seeds' copies of some plans carry none): the
	// citation then goes without it, and the legal officer's checklist
	// says the province must complete it.
	Number string `json:"number,omitempty"`
	// Date is the date it was signed or passed; zero when not known.
	Date Date `json:"date,omitempty"`
	// Issuer is who issued it, as the citation reads after "của", e.g.
	// "Bộ trưởng Bộ Công an", "Chủ tịch Ủy ban nhân dân tỉnh Quảng Ngãi";
	// empty for a law.
	Issuer string `json:"issuer,omitempty"`
	// Subject is what it is about, as its title continues, e.g. "về thực
	// hiện công tác chuyển hóa …", "quy định chi tiết thi hành một số
	// điều của Luật Thi đua, khen thưởng".
	Subject string `json:"subject,omitempty"`
	// From is the first day it is in force (zero: its date); Until its
	// last (zero: until replaced).
	From  Date `json:"from,omitempty"`
	Until Date `json:"until,omitempty"`
}

// Cite is the act as a ground or a reference cites it, e.g. "Kế hoạch số
// 113/KH-BCA-V01 ngày 22 tháng 3 năm 2021 của Bộ trưởng Bộ Công an về thực
// hiện …", "Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022". Dates are
// written as Decree 30 writes them: days below 10 and the months 1 and 2
// with a leading zero.
func (a LegalAct) Cite() string {
	var b strings.Builder
	b.WriteString(a.Kind)
	if a.Name != "" {
		b.WriteString(" " + a.Name)
	}
	if a.Number != "" {
		b.WriteString(" số " + a.Number)
	}
	if !a.Date.IsZero() {
		b.WriteString(" ngày " + a.Date.Words())
	}
	if a.Issuer != "" {
		b.WriteString(" của " + a.Issuer)
	}
	if a.Subject != "" {
		b.WriteString(" " + a.Subject)
	}
	return b.String()
}

// Short is the act as a running text refers to it again: "Kế hoạch số
// 113/KH-BCA-V01 ngày 22/3/2021 của Bộ trưởng Bộ Công an", without its subject.
func (a LegalAct) Short() string {
	s := a.Kind
	if a.Name != "" {
		s += " " + a.Name
	}
	if a.Number != "" {
		s += " số " + a.Number
	}
	if !a.Date.IsZero() {
		s += fmt.Sprintf(" ngày %d/%d/%d", a.Date.Day, int(a.Date.Month), a.Date.Year)
	}
	if a.Issuer != "" {
		s += " của " + a.Issuer
	}
	return s
}

// Words writes a date the way Decree 30 writes it in a text: "ngày" is
// the caller's; "05 tháng 01 năm 2027".
func (d Date) Words() string {
	month := fmt.Sprint(int(d.Month))
	if d.Month <= time.February {
		month = fmt.Sprintf("%02d", int(d.Month))
	}
	return fmt.Sprintf("%02d tháng %s năm %d", d.Day, month, d.Year)
}

// start is the first day the act is in force (zero: from always).
func (a LegalAct) start() Date {
	if !a.From.IsZero() {
		return a.From
	}
	return a.Date
}

// InForceOn reports whether the act is in force on day d: signed by then,
// from its first day, not after its last.
func (a LegalAct) InForceOn(d Date) bool {
	if s := a.start(); !s.IsZero() && d.Before(s) {
		return false
	}
	if !a.Date.IsZero() && d.Before(a.Date) {
		return false
	}
	return a.Until.IsZero() || !a.Until.Before(d)
}

// Covers reports whether a programme act (a plan, a scheme) covers the
// programme year y and exists on day d: a document of year y cites the
// plan that year runs under, even when it is issued after the plan's last
// day (the recognition of 2025 in mid-2026), but never an act not yet
// signed.
func (a LegalAct) Covers(y int, d Date) bool {
	if !a.Date.IsZero() && d.Before(a.Date) {
		return false
	}
	if s := a.start(); !s.IsZero() && y < s.Year {
		return false
	}
	return a.Until.IsZero() || y <= a.Until.Year
}

// validate checks an act; field is its place in the file.
func (a LegalAct) validate(field string) []Problem {
	var probs []Problem
	add := func(f string, t Text, args ...any) {
		probs = append(probs, withPlace(Bilingual("grounds.act", t, args...), field+f, ""))
	}
	if strings.TrimSpace(a.Kind) == "" {
		add(".kind", Text{VI: "Chưa ghi loại văn bản căn cứ: Luật, Nghị định, Quyết định, Kế hoạch…", EN: "required: Luật, Nghị định, Quyết định, Kế hoạch…"})
	}
	if a.Name == "" && a.Subject == "" {
		add(".subject", Text{VI: "Chưa ghi trích yếu của văn bản căn cứ (với Luật: tên Luật)", EN: "required: what the act is about (a law: its name)"})
	}
	if a.Kind != "Luật" && a.Issuer == "" {
		add(".issuer", Text{VI: "Chưa ghi cơ quan ban hành văn bản căn cứ", EN: "required: who issued it"})
	}
	if !a.Until.IsZero() && a.Until.Before(a.start()) {
		add(".until", Text{VI: "Ngày hết hiệu lực %s sớm hơn ngày văn bản căn cứ có hiệu lực (%s)", EN: "%s is before the act is in force (%s)"}, dateWord(a.Until), dateWord(a.start()))
	}
	return probs
}

// GroundRole is what a policy's ground is to a document.
type GroundRole string

// The roles of a policy's grounds.
const (
	// RoleProgramme: a national programme the province's plan carries out
	// (Kế hoạch 113/KH-BCA-V01 for 2021–2025, Quyết định 1960/QĐ-BCA-C41
	// to 2020); cited by the decisions of the programme years it covers.
	RoleProgramme GroundRole = "programme"
	// RolePlan: the province's plan for the programme; every document of
	// the programme carries it out, and is refused without one covering
	// its year.
	RolePlan GroundRole = "plan"
	// RoleAwardPlan: the plan that sets the awards (001's review plan,
	// 003's emulation plan); an award decision is refused without it.
	RoleAwardPlan GroundRole = "award_plan"
	// RoleEmulationLaw: the Law on Emulation and Awards; an award
	// decision is refused without one in force on its date.
	RoleEmulationLaw GroundRole = "emulation_law"
	// RoleEmulationDecree: the decree detailing it.
	RoleEmulationDecree GroundRole = "emulation_decree"
	// RoleEmulationRules: the province's rules on emulation and awards.
	RoleEmulationRules GroundRole = "emulation_rules"
	// RoleOther: any further ground of the documents it names.
	RoleOther GroundRole = "other"
)

var groundRoles = []GroundRole{RoleProgramme, RolePlan, RoleAwardPlan, RoleEmulationLaw, RoleEmulationDecree, RoleEmulationRules, RoleOther}

// Ground is an act a policy gives its documents as a ground.
type Ground struct {
	LegalAct
	Role GroundRole `json:"role"`
	// Documents are the kinds of document (approval, recognition,
	// continuation, responsibility, summary, award, reminder, overdue)
	// citing it; empty: those of its role (see citedBy).
	Documents []string `json:"documents,omitempty"`
	// Source marks the plan the policy file is written from: the clauses
	// the file quotes (a deadline's) are its words, and a letter quoting
	// one cites it.
	Source bool `json:"source,omitempty"`
}

// SourceAct is the plan the policy file is written from (the ground
// marked source), if the file says which.
func (p Policy) SourceAct() (LegalAct, bool) {
	for _, g := range p.Grounds {
		if g.Source {
			return g.LegalAct, true
		}
	}
	return LegalAct{}, false
}

// byYear reports whether the ground is chosen by the programme year (a
// plan or a programme) rather than by the document's date (a law, a
// decree, rules).
func (g Ground) byYear() bool {
	return g.Role == RoleProgramme || g.Role == RolePlan || g.Role == RoleAwardPlan
}

// citedBy reports whether a document of kind cites the ground.
func (g Ground) citedBy(kind string) bool {
	if len(g.Documents) > 0 {
		for _, k := range g.Documents {
			if k == kind {
				return true
			}
		}
		return false
	}
	switch g.Role {
	case RoleProgramme:
		return kind == DocApproval || kind == DocRecognition
	case RolePlan:
		return kind != DocAward
	case RoleAwardPlan, RoleEmulationLaw, RoleEmulationDecree, RoleEmulationRules:
		return kind == DocAward
	}
	return kind == DocApproval || kind == DocRecognition || kind == DocAward
}

// validateGrounds checks a policy's grounds.
func validateGrounds(gs []Ground) []Problem {
	var probs []Problem
	for i, g := range gs {
		f := fmt.Sprintf("grounds[%d]", i)
		known := false
		for _, r := range groundRoles {
			known = known || g.Role == r
		}
		if !known {
			probs = append(probs, withPlace(Bilingual("grounds.role", Text{VI: "Vai trò của căn cứ «%s» không hợp lệ: chỉ có %s", EN: "%q: want one of %s"}, string(g.Role), joinKinds(groundRoles)), f+".role", ""))
		}
		for j, k := range g.Documents {
			if !IsDocumentKind(k) {
				probs = append(probs, withPlace(Bilingual("grounds.documents", Text{VI: "Loại văn bản «%s» không hợp lệ: chỉ có %s", EN: "%q: want one of %s"}, k, strings.Join(DocumentKinds, ", ")), fmt.Sprintf("%s.documents[%d]", f, j), ""))
			}
		}
		probs = append(probs, g.LegalAct.validate(f)...)
	}
	return probs
}

// Grounds are a document's grounds, chosen for its year and date.
type Grounds struct {
	// Acts are the grounds a decision cites ("Căn cứ …"), in the order
	// printed: the issuer's founding act and rules, the emulation law,
	// decree and rules, the national programme, the province's plan (or
	// the award plan), further grounds.
	Acts []LegalAct `json:"acts,omitempty"`
	// Plan is the province's plan the document carries out ("Thực hiện
	// …"): for an award decision, the plan that sets the awards.
	Plan *LegalAct `json:"plan,omitempty"`
	// Programme is the national programme the plan carries out, when one
	// covers the year.
	Programme *LegalAct `json:"programme,omitempty"`
}

// ResolveGrounds chooses the grounds of a document of kind, of programme
// (or award) year, dated on, for province: the issuer's founding acts and
// rules in force on the date; the policy's grounds of that kind — plans
// and programmes covering the year, laws, decrees and rules in force on
// the date —; the province's plan from the policy when the policy is the
// province's own, else from the issuer's configuration. The problems are
// the required grounds missing, in the officers' words: a document with
// any is refused before it is numbered (CheckGrounds).
func ResolveGrounds(pol Policy, is Issuer, province, kind string, year int, on Date) (Grounds, []Problem) {
	var g Grounds
	var probs []Problem
	decision := IsDecision(kind)
	if decision {
		founding := inForce(is.Founding, on)
		switch is.EffectiveKind() {
		case IssuerCommittee:
			if len(founding) == 0 {
				probs = append(probs, NewProblem("grounds.founding", is.CommitteeName, on))
			}
		case IssuerPeopleCommittee:
			if len(founding) == 0 {
				probs = append(probs, NewProblem("grounds.local_government", is.CommitteeName, on))
			}
		}
		g.Acts = append(g.Acts, founding...)
		g.Acts = append(g.Acts, inForce(is.Rules, on)...)
	}
	own := pol.Province == "" || pol.Province == province
	pick := func(role GroundRole) []LegalAct {
		var out []LegalAct
		for _, gr := range pol.Grounds {
			if gr.Role != role || !gr.citedBy(kind) {
				continue
			}
			if (gr.Role == RolePlan || gr.Role == RoleProgramme) && !own {
				continue // another province's plan, or the programme it carries out
			}
			if (gr.byYear() && gr.Covers(year, on)) || (!gr.byYear() && gr.InForceOn(on)) {
				out = append(out, gr.LegalAct)
			}
		}
		return out
	}
	if kind == DocAward {
		law := pick(RoleEmulationLaw)
		if len(law) == 0 {
			probs = append(probs, NewProblem("grounds.emulation_law", on))
		}
		g.Acts = append(g.Acts, law...)
		g.Acts = append(g.Acts, pick(RoleEmulationDecree)...)
		g.Acts = append(g.Acts, pick(RoleEmulationRules)...)
		plans := pick(RoleAwardPlan)
		if len(plans) == 0 {
			probs = append(probs, NewProblem("grounds.award_plan", year))
		} else {
			p := plans[len(plans)-1]
			g.Plan = &p
		}
		g.Acts = append(g.Acts, plans...)
	} else {
		programmes := pick(RoleProgramme)
		if len(programmes) > 0 {
			p := programmes[len(programmes)-1]
			g.Programme = &p
		}
		plans := pick(RolePlan)
		if len(plans) == 0 {
			for _, p := range is.Plans {
				if p.Covers(year, on) {
					plans = append(plans, p)
				}
			}
		}
		if len(plans) == 0 {
			probs = append(probs, NewProblem("grounds.plan", year))
		} else {
			p := plans[len(plans)-1]
			g.Plan = &p
		}
		if decision {
			g.Acts = append(g.Acts, programmes...)
			if g.Plan != nil {
				g.Acts = append(g.Acts, *g.Plan)
			}
		}
	}
	if decision {
		g.Acts = append(g.Acts, pick(RoleOther)...)
	}
	return g, probs
}

func inForce(acts []LegalAct, on Date) []LegalAct {
	var out []LegalAct
	for _, a := range acts {
		if a.InForceOn(on) {
			out = append(out, a)
		}
	}
	return out
}

// The kinds of decision (quyết định): the documents with an authority
// line and grounds; the others are notices, reports and letters.
func IsDecision(kind string) bool {
	return kind == DocApproval || kind == DocRecognition || kind == DocAward || kind == ""
}

// DocumentKinds are the kinds of document, as policy files name them.
var DocumentKinds = []string{DocApproval, DocRecognition, DocContinuation, DocResponsibility, DocSummary, DocReview, DocAward, DocReminder, DocOverdue}

// IsDocumentKind reports whether k is one of DocumentKinds.
func IsDocumentKind(k string) bool {
	for _, x := range DocumentKinds {
		if x == k {
			return true
		}
	}
	return false
}

// The grounds' messages.
func init() {
	defineMessages(map[string]Text{
		"grounds.founding": {
			VI: "Chưa khai báo quyết định thành lập (hoặc kiện toàn) %[1]s còn hiệu lực ngày %[2]s: quyết định phải căn cứ văn bản này. Khai báo số, ngày, cơ quan ban hành và trích yếu trong cấu hình cơ quan ban hành rồi ban hành lại.",
			EN: "no act founding %[1]s in force on %[2]s is configured: a decision must cite it; configure its number, date, issuer and subject in the issuer's configuration and issue again",
		},
		"grounds.local_government": {
			VI: "Chưa khai báo Luật Tổ chức chính quyền địa phương còn hiệu lực ngày %[2]s làm căn cứ cho quyết định của %[1]s: khai báo trong cấu hình cơ quan ban hành rồi ban hành lại.",
			EN: "no Law on the Organisation of Local Government in force on %[2]s is configured as the ground of the decisions of %[1]s; configure it in the issuer's configuration and issue again",
		},
		"grounds.plan": {
			VI: "Chưa có kế hoạch của tỉnh về công tác chuyển hóa địa bàn áp dụng cho năm %[1]d: khai báo kế hoạch (số, ngày, cơ quan ban hành, trích yếu) trong chính sách hoặc cấu hình cơ quan ban hành rồi ban hành lại.",
			EN: "no plan of the province for the programme covers %[1]d: configure the plan (number, date, issuer, subject) in the policy or the issuer's configuration and issue again",
		},
		"grounds.award_plan": {
			VI: "Chính sách không có kế hoạch quy định việc khen thưởng năm %[1]d: không ban hành được quyết định khen thưởng.",
			EN: "the policy has no plan setting the awards of %[1]d: the award decision cannot be issued",
		},
		"grounds.emulation_law": {
			VI: "Chính sách không có Luật Thi đua, khen thưởng còn hiệu lực ngày %[1]s: không ban hành được quyết định khen thưởng.",
			EN: "the policy has no Law on Emulation and Awards in force on %[1]s: the award decision cannot be issued",
		},
		"grounds.approval": {
			VI: "Chưa có quyết định phê duyệt danh sách địa bàn năm %[1]d để làm căn cứ công nhận.",
			EN: "no decision approving the list of %[1]d to cite as the ground of the recognition",
		},
		"grounds.authority": {
			VI: "Dòng thẩm quyền «%[1]s» phải bắt đầu bằng chức vụ người đứng đầu («%[2]s») hoặc tên tập thể («%[3]s») để khớp với khối chữ ký.",
			EN: "the authority line %[1]q must start with the head's title (%[2]q) or the body's name (%[3]q) to agree with the signature block",
		},
		"grounds.refused": {
			VI: "Không cấp số, không ban hành %[1]s: thiếu căn cứ pháp lý bắt buộc.",
			EN: "%[1]s is not numbered nor issued: a required legal ground is missing",
		},
	})
}

// CheckGrounds refuses (EINVALID, with every problem) a document whose
// required grounds are missing, before it is numbered: what reads it is
// the clerk, in Vietnamese.
func CheckGrounds(what string, probs []Problem) error {
	if len(probs) == 0 {
		return nil
	}
	e := Fail(EINVALID, "grounds.refused", what)
	e.Problems = probs
	return e
}
