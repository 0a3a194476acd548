package cycle

import (
	"context"
	"strings"
	"time"
)

// Recipient is a body a document names as one it goes to: a district or a
// commune of the registry (by its code), or a provincial body by its role
// (the secretariat, the committee's members). The recipients directory
// gives each its address; the unit's inbox lists what is addressed to it.
type Recipient struct {
	Unit string `json:"unit,omitempty"` // a district's or commune's code in the registry
	Role string `json:"role,omitempty"` // RoleSecretariatBody, RoleCommitteeMembers
	Name string `json:"name"`           // as people call it: "Ủy ban nhân dân xã Tịnh Kỳ"
	// Line is the "Nơi nhận" entry naming it, as printed: "Như Điều 3;".
	Line string `json:"line"`
}

// Key identifies the recipient: "unit:21190", "role:secretariat".
func (r Recipient) Key() string {
	if r.Unit != "" {
		return "unit:" + r.Unit
	}
	return "role:" + r.Role
}

// The roles of the provincial bodies documents name.
const (
	// RoleSecretariatBody is the provincial police, the committee's
	// standing agency (Công an tỉnh - Cơ quan Thường trực).
	RoleSecretariatBody = "secretariat"
	// RoleCommitteeMembers are the members of the provincial committee.
	RoleCommitteeMembers = "committee_members"
)

// Distribution is a document's "Nơi nhận": the lines printed, and the
// bodies each line names that the document goes to. "Như Điều 3" names
// those the last article charges with carrying the decision out — the
// secretariat, the committee's members, the districts and communes of
// Article 1 —, a notice's lines the communes and districts it lists, a
// letter's "Như trên" its addressees. Lines naming nobody here ("Bộ Công
// an (V01)", "Thường trực Tỉnh ủy…") are found in the recipients
// directory by their words; "Lưu: …" is the issuing office's own copy.
type Distribution struct {
	Lines []string    `json:"lines"`
	Named []Recipient `json:"named,omitempty"`
}

// The lines of "Nơi nhận" the documents share.
const (
	LineArticle3   = "Như Điều 3;"
	LineAbove      = "Như trên;"
	LineArchive    = "Lưu: VT, CAT."
	LineLeadership = "Thường trực Tỉnh ủy, HĐND, UBND tỉnh (để b/c);"
	LineMinistry   = "Bộ Công an (V01) (để b/c);"
	LineEmulation  = "Hội đồng Thi đua - Khen thưởng tỉnh;"
)

// Units is how a document names a province's communes: "xã, phường, thị
// trấn", or since 1 July 2025 (two tiers) "xã, phường, đặc khu".
func (c DocumentContent) Units() string {
	if c.TwoTier {
		return "xã, phường, đặc khu"
	}
	return "xã, phường, thị trấn"
}

// DistrictsWord is how a document names the districts: "huyện, thị xã,
// thành phố".
const DistrictsWord = "huyện, thị xã, thành phố"

// SecretariatName is the committee's standing agency in running text:
// "Công an tỉnh - Cơ quan Thường trực Ban Chỉ đạo 138 tỉnh Quảng Ngãi".
func (c DocumentContent) SecretariatName() string {
	return c.police() + " - Cơ quan Thường trực " + c.Issuer.Steering(c.ProvinceName)
}

// police is the provincial police in running text: "Công an tỉnh", or
// "Công an thành phố" in a centrally-run city.
func (c DocumentContent) police() string {
	if strings.HasPrefix(strings.ToLower(c.ProvinceName), "thành phố") {
		return "Công an thành phố"
	}
	return "Công an tỉnh"
}

// DistrictBody is how a document charges a district: its committee
// ("Ban Chỉ đạo 138 huyện Bình Sơn") when a committee issues, its People's
// Committee when the People's Committee does.
func (c DocumentContent) DistrictBody(district string) string {
	if c.Issuer.EffectiveKind() == IssuerPeopleCommittee {
		return "Ủy ban nhân dân " + lowerFirst(district)
	}
	return c.Issuer.SteeringShort(c.ProvinceName) + " " + lowerFirst(district)
}

// Distribution is the document's "Nơi nhận" (see type Distribution).
func (c DocumentContent) Distribution() Distribution {
	var d Distribution
	archive := LineArchive
	spec := func(lines []string) {
		for _, l := range c.TierLines(lines) { // the policy's lines, for the province's tier
			l = strings.TrimRight(strings.TrimSpace(l), ";.")
			switch {
			case l == "" || strings.HasPrefix(l, "Như Điều"):
			case strings.HasPrefix(l, "Lưu"):
				archive = l + "."
			default:
				d.Lines = append(d.Lines, l+";")
			}
		}
	}
	line := func(l string) { d.Lines = append(d.Lines, l) }
	name := func(l string, rs ...Recipient) {
		for _, r := range rs {
			r.Line = l
			d.Named = append(d.Named, r)
		}
	}
	steering := c.Issuer.Steering(c.ProvinceName)
	secretariat := Recipient{Role: RoleSecretariatBody, Name: c.SecretariatName()}
	members := Recipient{Role: RoleCommitteeMembers, Name: "Các thành viên " + steering}
	switch c.Kind {
	case DocApproval, DocRecognition, "":
		line(LineArticle3)
		name(LineArticle3, secretariat, members)
		name(LineArticle3, c.districts()...)
		name(LineArticle3, c.communes()...)
		if c.Spec != nil && len(c.Spec.Recipients) > 0 {
			spec(c.Spec.Recipients)
		} else if c.Kind != DocRecognition && len(c.Recipients) > 0 {
			spec(c.Recipients)
		} else {
			line(LineMinistry)
			line(LineLeadership)
		}
	case DocContinuation, DocResponsibility:
		communes := "Ủy ban nhân dân các " + c.Units() + " có tên tại Thông báo;"
		line(communes)
		name(communes, c.communes()...)
		if ds := c.districts(); len(ds) > 0 {
			l := c.Issuer.SteeringShort(c.ProvinceName) + " các " + DistrictsWord + " có địa bàn nêu trên;"
			if c.Issuer.EffectiveKind() == IssuerPeopleCommittee {
				l = "Ủy ban nhân dân các " + DistrictsWord + " có địa bàn nêu trên;"
			}
			line(l)
			name(l, ds...)
		}
		l := c.police() + " (Cơ quan Thường trực);"
		line(l)
		name(l, secretariat)
		l = "Các thành viên " + steering + ";"
		line(l)
		name(l, members)
		if c.Kind == DocResponsibility {
			line(LineLeadership)
			line(LineEmulation)
		}
	case DocSummary:
		line(LineMinistry)
		line(LineLeadership)
		l := "Các thành viên " + steering + ";"
		line(l)
		name(l, members)
	case DocReview:
		// 001's "Nơi nhận": the province's leaders, the committee's
		// members, the units' committees, to which the review reports back.
		line(LineMinistry)
		line(LineLeadership)
		l := "Các thành viên " + steering + ";"
		line(l)
		name(l, members)
		if ds := c.districts(); len(ds) > 0 {
			l = c.Issuer.SteeringShort(c.ProvinceName) + " các " + DistrictsWord + " có địa bàn chuyển hóa;"
			line(l)
			name(l, ds...)
		} else if cs := c.communes(); len(cs) > 0 {
			l = "Ủy ban nhân dân các " + c.Units() + " có địa bàn chuyển hóa;"
			line(l)
			name(l, cs...)
		}
	case DocAward:
		line(LineArticle3)
		name(LineArticle3, secretariat)
		seen := map[string]bool{}
		for _, n := range c.Awardees {
			if n.Unit == "" || seen[n.Unit] {
				continue
			}
			seen[n.Unit] = true
			name(LineArticle3, Recipient{Unit: n.Unit, Name: c.unitName(n.Unit)})
		}
		archive = "Lưu: VT."
		if c.Spec != nil && len(c.Spec.Recipients) > 0 {
			spec(c.Spec.Recipients)
		} else {
			spec(c.Recipients)
		}
	case DocReminder, DocOverdue:
		line(LineAbove)
		name(LineAbove, c.To...)
	}
	d.Lines = append(d.Lines, archive)
	return d
}

// districts are the districts of the document's communes, each once, in
// the order of the communes.
func (c DocumentContent) districts() []Recipient {
	var out []Recipient
	seen := map[string]bool{}
	for _, x := range c.Communes {
		if x.District == "" || seen[x.District] {
			continue
		}
		seen[x.District] = true
		out = append(out, Recipient{Unit: x.District, Name: c.DistrictBody(x.DistrictName)})
	}
	return out
}

// communes are the People's Committees of the document's communes.
func (c DocumentContent) communes() []Recipient {
	out := make([]Recipient, 0, len(c.Communes))
	for _, x := range c.Communes {
		out = append(out, Recipient{Unit: x.Commune, Name: "Ủy ban nhân dân " + lowerFirst(x.Name)})
	}
	return out
}

// unitName is a nominating unit's name, from the document's units.
func (c DocumentContent) unitName(code string) string {
	for _, u := range c.UnitNames {
		if u.Code == code {
			return u.Name
		}
	}
	return code
}

// UnitName is a unit of the registry with its name, as a document names it.
type UnitName struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// RecipientResolver finds where a document's recipients are: the
// recipients directory (package delivery implements it).
type RecipientResolver interface {
	// Resolves reports whether the directory has an address for the
	// recipient (by its unit or role).
	Resolves(r Recipient) bool
	// MatchesLine reports whether the directory has an address for a
	// printed "Nơi nhận" line (by its words).
	MatchesLine(line string) bool
}

// Unresolved is a recipient of a document the directory has no address
// for: a body the document names, or a line of "Nơi nhận".
type Unresolved struct {
	Line string `json:"line"`           // the "Nơi nhận" line
	Name string `json:"name,omitempty"` // the body it names, when the line names bodies
	Unit string `json:"unit,omitempty"`
	Role string `json:"role,omitempty"`
}

// Say is the recipient as the clerk reads it: the body and, in
// parentheses, the "Nơi nhận" line that names it.
func (u Unresolved) Say() string {
	line := strings.TrimRight(strings.TrimPrefix(strings.TrimSpace(u.Line), "- "), ";.")
	if u.Name == "" || u.Name == line {
		return line
	}
	return u.Name + " (" + line + ")"
}

// UnresolvedRecipients lists the recipients of a document about to be
// issued that would reach no one: each body the document names that the
// directory has no address for, and each line naming no body that no
// entry of the directory matches. The archive copy ("Lưu: …") is the
// office's own and is not listed. The clerk's issue form shows them
// before the issue.
func UnresolvedRecipients(c DocumentContent, dir RecipientResolver) []Unresolved {
	d := c.Distribution()
	var out []Unresolved
	naming := map[string]bool{}
	for _, r := range d.Named {
		naming[r.Line] = true
		if dir == nil || !dir.Resolves(r) {
			out = append(out, Unresolved{Line: r.Line, Name: r.Name, Unit: r.Unit, Role: r.Role})
		}
	}
	for _, l := range d.Lines {
		if naming[l] || strings.HasPrefix(l, "Lưu") {
			continue
		}
		if dir == nil || !dir.MatchesLine(l) {
			out = append(out, Unresolved{Line: l})
		}
	}
	return out
}

// AddressedDocument is an issued document as a unit's inbox lists it:
// the document and how it names the unit.
type AddressedDocument struct {
	DocumentID string    `json:"document_id"`
	Kind       string    `json:"kind"`
	Code       string    `json:"code"`
	Date       time.Time `json:"date"`
	Subject    string    `json:"subject"`
	Province   string    `json:"province"`
	Recipient  Recipient `json:"recipient"`
	At         time.Time `json:"at"` // when it was addressed (the issue)
}

// AddressStore records whom each issued document is addressed to, for
// each unit's inbox.
type AddressStore interface {
	// AddressDocument records the bodies an issued document names (the
	// same again: no-op; ENOTFOUND if the document is not archived).
	AddressDocument(ctx context.Context, documentID, province string, named []Recipient, at time.Time) error
	// DocumentsAddressedTo lists the issued documents of a province
	// addressed to a unit (a district or commune code) or a role, newest
	// first.
	DocumentsAddressedTo(ctx context.Context, province string, r Recipient) ([]AddressedDocument, error)
}
