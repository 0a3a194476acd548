package cycle

import (
	"fmt"
	"sort"
)

// ListedCommune is a commune on the province's list for the year.
type ListedCommune struct {
	Commune      string `json:"commune"`
	Name         string `json:"name"`
	District     string `json:"district,omitempty"`
	DistrictName string `json:"district_name,omitempty"`
	Types        Types  `json:"types"`
	Rank         int    `json:"rank"`
	Extension    bool   `json:"extension,omitempty"` // a second year after failing the first
}

// CommuneDecision is the secretariat's or the council's call on one
// proposed commune: keep it on the list or drop it, with a reason.
type CommuneDecision struct {
	Commune string `json:"commune"`
	Keep    bool   `json:"keep"`
	Reason  string `json:"reason"`
}

// Consolidation is the secretariat's consolidation (tổng hợp) of the
// proposals into the province's draft list.
type Consolidation struct {
	Decisions []CommuneDecision `json:"decisions,omitempty"` // communes not named keep the rules' verdict
	Note      string            `json:"note,omitempty"`
}

// Consolidate applies the secretariat's decisions to the selection result
// and returns the draft list. A commune kept explicitly goes before the
// others (in rank order) and a dropped one makes room for the next eligible
// candidate. It refuses — EINVALID, every problem listed — a decision on a
// commune that was not proposed, a drop without a reason, a keep of a
// commune that fails a selection rule (naming the rule and the figures),
// two decisions on one commune, and more keeps than the cap allows.
func Consolidate(prov Province, pol Policy, sel SelectionResult, c Consolidation) ([]ListedCommune, error) {
	var probs []Problem
	byCode := map[string]Candidate{}
	for _, cand := range sel.Candidates {
		byCode[cand.Commune] = cand
	}
	keep, drop := map[string]bool{}, map[string]bool{}
	for i, d := range c.Decisions {
		f := fmt.Sprintf("decisions[%d]", i)
		cand, ok := byCode[d.Commune]
		label := d.Commune
		if ok {
			label = cand.Name + " (" + cand.Commune + ")"
		}
		switch {
		case !ok:
			probs = append(probs, withPlace(NewProblem("consolidation.not_proposed"), f, label))
			continue
		case keep[d.Commune] || drop[d.Commune]:
			probs = append(probs, withPlace(NewProblem("consolidation.duplicate"), f, label))
			continue
		case d.Reason == "":
			probs = append(probs, withPlace(NewProblem("consolidation.reason"), f+".reason", label))
		}
		if d.Keep {
			keep[d.Commune] = true
			for _, ch := range cand.FailedChecks() {
				if ch.Rule != RuleCap {
					probs = append(probs, Problem{Field: f, Commune: label, Rule: ch.Rule, Message: "cannot be kept: " + ch.Detail, Text: "Không thể giữ lại: " + lowerFirst(vietnameseOr(ch.Text, ch.Detail))})
				}
			}
		} else {
			drop[d.Commune] = true
		}
	}
	if len(probs) > 0 {
		return nil, Invalid("consolidation", probs)
	}

	cands := append([]Candidate(nil), sel.Candidates...)
	for i := range cands {
		cands[i].Checks = append([]Check(nil), cands[i].Checks...)
	}
	sort.SliceStable(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if keep[a.Commune] != keep[b.Commune] {
			return keep[a.Commune]
		}
		return false
	})
	applyCap(prov, pol, cands, drop, sel.reserved(prov, pol))
	var list []ListedCommune
	for _, cand := range cands {
		if keep[cand.Commune] && !cand.Selected {
			probs = append(probs, Problem{Commune: cand.Name + " (" + cand.Commune + ")", Rule: RuleCap, Message: "cannot be kept: " + lastCheck(cand, RuleCap).Detail,
				Text: "Không thể giữ lại: " + lowerFirst(lastCheck(cand, RuleCap).Text)})
		}
		if cand.Selected {
			list = append(list, ListedCommune{Commune: cand.Commune, Name: cand.Name, District: cand.District, DistrictName: cand.DistrictName, Types: cand.Types, Rank: len(list) + 1})
		}
	}
	if len(probs) > 0 {
		return nil, Invalid("consolidation", probs)
	}
	return list, nil
}

func lastCheck(c Candidate, rule string) Check {
	for i := len(c.Checks) - 1; i >= 0; i-- {
		if c.Checks[i].Rule == rule {
			return c.Checks[i]
		}
	}
	return Check{Rule: rule}
}

// Appraisal is the appraisal council's conclusion (kết luận của Hội đồng
// thẩm định) on the draft list.
type Appraisal struct {
	Approved bool              `json:"approved"`           // true: report the list to the head for signing; false: return it to the secretariat
	Removals []CommuneDecision `json:"removals,omitempty"` // communes the council takes off the list, each with a reason
	Reason   string            `json:"reason,omitempty"`   // why the list is returned (required when not approved)
	Minutes  string            `json:"minutes,omitempty"`  // summary of the meeting's minutes
	Members  []string          `json:"members,omitempty"`  // members present
}

// ApplyAppraisal returns the list the council reports to the head: the
// draft minus the communes it removes, renumbered. It refuses (EINVALID)
// removals of communes not on the draft, removals without a reason, a
// return without a reason, and removing every commune.
func ApplyAppraisal(draft []ListedCommune, a Appraisal) ([]ListedCommune, error) {
	var probs []Problem
	on := map[string]ListedCommune{}
	for _, l := range draft {
		on[l.Commune] = l
	}
	if !a.Approved && a.Reason == "" {
		probs = append(probs, withPlace(NewProblemAs("appraisal.reason", "appraisal.reason.return"), "reason", ""))
	}
	removed := map[string]bool{}
	for i, r := range a.Removals {
		f := fmt.Sprintf("removals[%d]", i)
		l, ok := on[r.Commune]
		switch {
		case !ok:
			probs = append(probs, withPlace(NewProblem("appraisal.not_listed"), f, r.Commune))
		case removed[r.Commune]:
			probs = append(probs, withPlace(NewProblem("appraisal.duplicate"), f, l.Name+" ("+l.Commune+")"))
		case r.Reason == "":
			probs = append(probs, withPlace(NewProblemAs("appraisal.reason", "appraisal.reason.remove"), f+".reason", l.Name+" ("+l.Commune+")"))
		}
		removed[r.Commune] = true
	}
	var out []ListedCommune
	for _, l := range draft {
		if !removed[l.Commune] {
			l.Rank = len(out) + 1
			out = append(out, l)
		}
	}
	if a.Approved && len(out) == 0 && len(draft) > 0 {
		probs = append(probs, withPlace(NewProblem("appraisal.empty"), "removals", ""))
	}
	if len(probs) > 0 {
		return nil, Invalid("appraisal", probs)
	}
	return out, nil
}

// Issuer is a province's configuration of who issues the cycle's decisions
// and how they are signed: a steering committee (QĐ-BCĐ) or the provincial
// People's Committee (QĐ-UBND), its head or a deputy signing on its behalf.
type Issuer struct {
	ParentBody      string `json:"parent_body"`      // "UBND TỈNH QUẢNG NGÃI" (cơ quan chủ quản), may be empty
	Body            string `json:"body"`             // "BAN CHỈ ĐẠO 138"
	BodyKey         string `json:"body_key"`         // stable key of the issuing body for the numbering register, e.g. "51-BCD138"
	NumberSuffix    string `json:"number_suffix"`    // "QĐ-BCĐ"
	Place           string `json:"place"`            // "Quảng Ngãi"
	CommitteeName   string `json:"committee_name"`   // "Ban Chỉ đạo 138 tỉnh Quảng Ngãi", as the text names it
	AuthorityLine   string `json:"authority_line"`   // "TRƯỞNG BAN CHỈ ĐẠO 138 TỈNH QUẢNG NGÃI", above the grounds
	SignerAuthority string `json:"signer_authority"` // "TM. BAN CHỈ ĐẠO" / "KT. TRƯỞNG BAN"
	SignerTitle     string `json:"signer_title"`     // "TRƯỞNG BAN" / "PHÓ TRƯỞNG BAN THƯỜNG TRỰC"
	SignerName      string `json:"signer_name"`
	PlanRef         string `json:"plan_ref"` // the province plan cited in the grounds (before Plans; documents now cite Plans and the policy's grounds)

	// The fields below came with documents a legal officer can sign
	// (issue 15); all optional, so an issuer saved before them decodes.

	// Kind is what kind of body the issuer is (committee, people_committee,
	// agency); empty: read from Body (EffectiveKind).
	Kind IssuerKind `json:"kind,omitempty"`
	// HeadTitle is the head's title, e.g. "TRƯỞNG BAN", "CHỦ TỊCH",
	// "GIÁM ĐỐC" (the "KT. …" and "Q. …" lines are built from it); empty:
	// read from the signer's configuration (HeadTitleOf).
	HeadTitle string `json:"head_title,omitempty"`
	// BodyName is the body as a "TM." line names it, e.g. "BAN CHỈ ĐẠO",
	// "ỦY BAN NHÂN DÂN"; empty: by Kind (BodyNameOf).
	BodyName string `json:"body_name,omitempty"`
	// Committee is the programme's provincial steering committee in running
	// text when the issuer is not it (a People's Committee issuing), e.g.
	// "Ban Chỉ đạo phòng chống tội phạm, tệ nạn xã hội và xây dựng phong
	// trào toàn dân bảo vệ ANTQ tỉnh Tây Ninh"; CommitteeShort is the name
	// the committees of every level share, e.g. "Ban Chỉ đạo 138".
	Committee      string `json:"committee,omitempty"`
	CommitteeShort string `json:"committee_short,omitempty"`
	// Founding are the acts the issuer's decisions rest on: a committee's
	// founding (or reorganising) decision, a People's Committee's Law on the
	// Organisation of Local Government; each cited while in force.
	Founding []LegalAct `json:"founding,omitempty"`
	// Rules are the issuer's working rules (quy chế hoạt động, làm việc).
	Rules []LegalAct `json:"rules,omitempty"`
	// Plans are the province's own plans for the programme, each for the
	// years it covers: cited when the policy the cycle runs under is not
	// the province's own (the product's default), or for years its plan
	// does not cover.
	Plans []LegalAct `json:"plans,omitempty"`
}

// Validate checks that the fields a decision needs are present.
func (is Issuer) Validate() error {
	var probs []Problem
	for _, f := range []struct{ name, v string }{
		{"body", is.Body}, {"body_key", is.BodyKey}, {"number_suffix", is.NumberSuffix}, {"place", is.Place},
		{"authority_line", is.AuthorityLine}, {"signer_title", is.SignerTitle}, {"signer_name", is.SignerName},
	} {
		if f.v == "" {
			probs = append(probs, withPlace(NewProblem("issuer.required", issuerFieldName(f.name)), "issuer."+f.name, ""))
		}
	}
	return Invalid("issuer", probs)
}

// ValidateDocuments checks what the issuer's documents take from it: its
// kind, an authority line agreeing with its signature block, and the acts
// it cites. It is apart from Validate, which workflows run when they start
// (a check added there would change how recorded workflows replay): the
// registry's import and the policy loader run both.
func (is Issuer) ValidateDocuments() error {
	var probs []Problem
	switch is.Kind {
	case "", IssuerCommittee, IssuerPeopleCommittee, IssuerAgency:
	default:
		probs = append(probs, withPlace(NewProblem("issuer.kind", Quote(string(is.Kind))), "issuer.kind", ""))
	}
	for _, p := range is.CheckAuthority() {
		p.Field = "issuer.authority_line"
		probs = append(probs, p)
	}
	for _, acts := range []struct {
		name string
		acts []LegalAct
	}{{"founding", is.Founding}, {"rules", is.Rules}, {"plans", is.Plans}} {
		for i, a := range acts.acts {
			probs = append(probs, a.validate(fmt.Sprintf("issuer.%s[%d]", acts.name, i))...)
		}
	}
	return Invalid("issuer", probs)
}

// withPlace sets a problem's field path (for API clients) and commune.
func withPlace(p Problem, field, commune string) Problem {
	p.Field, p.Commune = field, commune
	return p
}

// vietnameseOr is the Vietnamese text when there is one, else the English.
func vietnameseOr(vi, en string) string {
	if vi != "" {
		return vi
	}
	return en
}

// issuerFieldName names an issuer's setting as the registry's form does.
func issuerFieldName(f string) Localizer {
	w, ok := issuerFields[f]
	if !ok {
		return Word{VI: f, EN: f}
	}
	return w
}

var issuerFields = map[string]Word{
	"body":           {VI: "tên cơ quan ban hành", EN: "the issuing body"},
	"body_key":       {VI: "mã sổ đăng ký văn bản của cơ quan ban hành", EN: "the key of the numbering register"},
	"number_suffix":  {VI: "ký hiệu văn bản (ví dụ QĐ-BCĐ)", EN: "the number suffix (e.g. QĐ-BCĐ)"},
	"place":          {VI: "địa danh ghi ở đầu văn bản", EN: "the place named in the heading"},
	"authority_line": {VI: "dòng thẩm quyền ban hành trên phần căn cứ", EN: "the authority line above the grounds"},
	"signer_title":   {VI: "chức vụ người ký", EN: "the signer's title"},
	"signer_name":    {VI: "họ tên người ký", EN: "the signer's name"},
}

func init() {
	defineMessages(map[string]Text{
		"consolidation.not_proposed": {VI: "Xã này không được đơn vị nào đề xuất", EN: "this commune was not proposed by any unit"},
		"consolidation.duplicate":    {VI: "Xã này được quyết định hai lần (giữ lại hoặc loại ra)", EN: "decided twice"},
		"consolidation.reason":       {VI: "Cần ghi lý do giữ lại hoặc loại ra xã này", EN: "a reason is required to keep or drop a commune"},
		"appraisal.reason.return":    {VI: "Cần ghi lý do trả lại danh sách cho Cơ quan Thường trực", EN: "a reason is required to return the list to the secretariat"},
		"appraisal.reason.remove":    {VI: "Cần ghi lý do đưa xã ra khỏi danh sách", EN: "a reason is required to remove a commune"},
		"appraisal.not_listed":       {VI: "Xã này không có trong danh sách dự kiến", EN: "not on the draft list"},
		"appraisal.duplicate":        {VI: "Xã này được đưa ra khỏi danh sách hai lần", EN: "removed twice"},
		"appraisal.empty":            {VI: "Không thể thông qua danh sách khi đã đưa tất cả các xã ra khỏi danh sách: hãy trả lại danh sách cho Cơ quan Thường trực", EN: "approving the list while removing every commune: return it to the secretariat instead"},
		"issuer.required":            {VI: "Chưa ghi %[1]s của cơ quan ban hành", EN: "%[1]s is required"},
		"issuer.kind":                {VI: "Loại cơ quan ban hành %[1]s không hợp lệ: chỉ có Ban Chỉ đạo, Ủy ban nhân dân hoặc cơ quan chuyên môn", EN: "%[1]s: want committee, people_committee or agency"},
	})
}
