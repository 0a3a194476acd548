package cycle

import "strings"

// IssuerKind is what kind of body issues a province's documents.
type IssuerKind string

// The kinds of issuing body.
const (
	// IssuerCommittee: the programme's steering committee (Ban Chỉ đạo
	// 138, 09, 05-QN…); its head decides in his own name ("TRƯỞNG BAN CHỈ
	// ĐẠO … QUYẾT ĐỊNH"), its notices and letters go out in the
	// committee's name ("TM. BAN CHỈ ĐẠO"). Its founding decision is a
	// required ground.
	IssuerCommittee IssuerKind = "committee"
	// IssuerPeopleCommittee: the provincial People's Committee (Ủy ban
	// nhân dân tỉnh); the collective ("TM. ỦY BAN NHÂN DÂN") or its
	// chairman decides, as its authority line says. The Law on the
	// Organisation of Local Government is its required ground.
	IssuerPeopleCommittee IssuerKind = "people_committee"
	// IssuerAgency: a department headed by one person (the provincial
	// police granting its director's awards): its head decides and signs.
	IssuerAgency IssuerKind = "agency"
)

// EffectiveKind is the issuer's kind: as configured, else read from its
// body ("ỦY BAN NHÂN DÂN" is a People's Committee, "BAN CHỈ ĐẠO" a
// committee, anything else an agency).
func (is Issuer) EffectiveKind() IssuerKind {
	if is.Kind != "" {
		return is.Kind
	}
	b := strings.ToUpper(is.Body)
	switch {
	case strings.HasPrefix(b, "ỦY BAN NHÂN DÂN"), strings.HasPrefix(b, "UBND"):
		return IssuerPeopleCommittee
	case strings.HasPrefix(b, "BAN CHỈ ĐẠO"):
		return IssuerCommittee
	}
	return IssuerAgency
}

// HeadTitleOf is the title of the issuing body's head as the authority
// line and the signature block print it: as configured, else read from the
// configured signer ("KT. TRƯỞNG BAN" → "TRƯỞNG BAN").
func (is Issuer) HeadTitleOf() string {
	if is.HeadTitle != "" {
		return strings.ToUpper(is.HeadTitle)
	}
	for _, l := range strings.Split(is.SignerAuthority, "\n") {
		l = strings.TrimSpace(strings.ToUpper(l))
		for _, p := range []string{"KT.", "Q."} {
			if strings.HasPrefix(l, p) {
				return strings.TrimSpace(strings.TrimPrefix(l, p))
			}
		}
	}
	switch is.EffectiveKind() {
	case IssuerPeopleCommittee:
		return "CHỦ TỊCH"
	case IssuerCommittee:
		return "TRƯỞNG BAN"
	}
	return strings.ToUpper(is.SignerTitle)
}

// BodyNameOf is the body as a "TM." line names it: as configured, else
// "ỦY BAN NHÂN DÂN" or "BAN CHỈ ĐẠO" by its kind.
func (is Issuer) BodyNameOf() string {
	if is.BodyName != "" {
		return strings.ToUpper(is.BodyName)
	}
	switch is.EffectiveKind() {
	case IssuerPeopleCommittee:
		return "ỦY BAN NHÂN DÂN"
	case IssuerCommittee:
		return "BAN CHỈ ĐẠO"
	}
	return strings.ToUpper(is.Body)
}

// DecidesCollectively reports whether the issuer's decisions are the
// collective's ("ỦY BAN NHÂN DÂN TỈNH … QUYẾT ĐỊNH", signed "TM. ỦY BAN
// NHÂN DÂN") rather than its head's ("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH …",
// "TRƯỞNG BAN CHỈ ĐẠO …"): read from the authority line, which must start
// with one or the other (CheckAuthority).
func (is Issuer) DecidesCollectively() bool {
	line := strings.ToUpper(strings.TrimSpace(is.AuthorityLine))
	return !strings.HasPrefix(line, is.HeadTitleOf()+" ") && strings.HasPrefix(line, is.BodyNameOf())
}

// InBodysName reports whether a document of kind goes out in the body's
// name (its signature block starts "TM. …"): a decision when the
// collective decides; a notice, report or letter of a committee or a
// People's Committee always; nothing of an agency.
func (is Issuer) InBodysName(kind string) bool {
	switch {
	case is.EffectiveKind() == IssuerAgency:
		return false
	case IsDecision(kind):
		return is.DecidesCollectively()
	}
	return true
}

// Capacity is in what capacity a document is signed (Decree 30/2020,
// Appendix I §II.8).
type Capacity string

// The capacities.
const (
	CapacityHead   Capacity = "head"   // the head, in his own name
	CapacityDeputy Capacity = "deputy" // a deputy for the head: "KT. TRƯỞNG BAN" above his own title
	CapacityActing Capacity = "acting" // the acting head: "Q. CHỦ TỊCH"
)

// Signatory is who signs a document and in what capacity.
type Signatory struct {
	Capacity Capacity `json:"capacity"`
	// Title is the signer's own position, e.g. "PHÓ TRƯỞNG BAN THƯỜNG
	// TRỰC" for a deputy; for the head or an acting head, the head's title.
	Title string `json:"title"`
	Name  string `json:"name"`
}

// DefaultSignatory is the signer the issuer's configuration names:
// "KT." in its signer authority makes a deputy, "Q." an acting head.
func (is Issuer) DefaultSignatory() Signatory {
	s := Signatory{Capacity: CapacityHead, Title: strings.ToUpper(is.SignerTitle), Name: is.SignerName}
	auth := strings.ToUpper(is.SignerAuthority)
	switch {
	case strings.Contains(auth, "KT."):
		s.Capacity = CapacityDeputy
	case strings.Contains(auth, "Q.") || strings.HasPrefix(s.Title, "Q.") || strings.HasPrefix(s.Title, "QUYỀN "):
		s.Capacity = CapacityActing
	}
	if s.Title == "" {
		s.Title = is.HeadTitleOf()
	}
	return s
}

// SignatoryOf is the signer of a document signed by actor: a deputy under
// a delegation signs "KT." with the title of his delegation; an officer
// whose title is the head's signs as the head, "Q."/"QUYỀN" as acting
// head; any other title is a deputy's. An actor without a title signs in
// the capacity the issuer's configuration gives, under his own name when
// he has one.
func (is Issuer) SignatoryOf(a Actor) Signatory {
	s := is.DefaultSignatory()
	if a.Name != "" {
		s.Name = a.Name
	}
	title := strings.ToUpper(strings.TrimSpace(a.Title))
	switch {
	case a.OnBehalfOf != "":
		s.Capacity = CapacityDeputy
		if title != "" {
			s.Title = title
		}
	case title == "":
	case title == is.HeadTitleOf():
		s.Capacity, s.Title = CapacityHead, title
	case strings.HasPrefix(title, "Q.") || strings.HasPrefix(title, "QUYỀN "):
		s.Capacity, s.Title = CapacityActing, title
	default:
		s.Capacity, s.Title = CapacityDeputy, title
	}
	return s
}

// SignatureBlock is the signature block of a document of kind signed by s:
// the authority lines ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"; none for
// the head in his own name), the title and the name.
func (is Issuer) SignatureBlock(kind string, s Signatory) (authority []string, title, name string) {
	if is.InBodysName(kind) {
		authority = append(authority, "TM. "+is.BodyNameOf())
	}
	head := is.HeadTitleOf()
	switch s.Capacity {
	case CapacityDeputy:
		authority = append(authority, "KT. "+head)
		title = s.Title
	case CapacityActing:
		title = "Q. " + head
	default:
		title = head
	}
	return authority, title, s.Name
}

// CheckAuthority checks that the issuer's authority line and signature
// agree: the line starts with the head's title (the head decides) or with
// the body's name (the collective decides).
func (is Issuer) CheckAuthority() []Problem {
	line := strings.ToUpper(strings.TrimSpace(is.AuthorityLine))
	if line == "" {
		return nil
	}
	if strings.HasPrefix(line, is.HeadTitleOf()+" ") || strings.HasPrefix(line, is.BodyNameOf()) {
		return nil
	}
	return []Problem{NewProblem("grounds.authority", is.AuthorityLine, is.HeadTitleOf(), is.BodyNameOf())}
}

// Steering is the programme's provincial steering committee in running
// text ("Ban Chỉ đạo 138 tỉnh Quảng Ngãi"), whose standing agency is the
// provincial police: the issuer itself when it is the committee, else as
// configured, else "Ban Chỉ đạo phòng, chống tội phạm" of the province.
func (is Issuer) Steering(provinceName string) string {
	switch {
	case is.Committee != "":
		return is.Committee
	case is.EffectiveKind() == IssuerCommittee && is.CommitteeName != "":
		return is.CommitteeName
	}
	return "Ban Chỉ đạo phòng, chống tội phạm " + lowerFirst(provinceName)
}

// SteeringShort is the name the steering committees of every level share
// ("Ban Chỉ đạo 138", as in "Ban Chỉ đạo 138 các huyện"): as configured,
// else the provincial committee's name up to its level.
func (is Issuer) SteeringShort(provinceName string) string {
	if is.CommitteeShort != "" {
		return is.CommitteeShort
	}
	name := is.Steering(provinceName)
	for _, level := range []string{" tỉnh ", " thành phố "} {
		if i := strings.Index(name, level); i > 0 {
			return name[:i]
		}
	}
	return "Ban Chỉ đạo"
}
