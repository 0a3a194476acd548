package templates

import (
	"strconv"
	"time"
)

// Approval is the name of the template of the decision approving the
// year's list of communes to transform (Quyết định phê duyệt danh sách địa
// bàn trọng điểm, phức tạp về trật tự, an toàn xã hội thực hiện chuyển hóa).
// Its data is an ApprovalData.
const Approval = "approval"

// CommunesTable and SecondYearTable are the names of the tables of
// ApprovalData: the year's new communes, and the communes continuing into
// their second year, in a section of their own.
const (
	CommunesTable   = "communes"
	SecondYearTable = "second_year"
)

// Issuer is who issues a document and the bodies its wording names, as
// the province's configuration and the document's kind make them (package
// render fills it from cycle.Issuer).
type Issuer struct {
	// ParentBody is the governing body, e.g. "UBND TỈNH QUẢNG NGÃI"; may be empty.
	ParentBody string
	// IssuingBody is the issuing body as printed in the header, e.g. "BAN CHỈ ĐẠO 138".
	IssuingBody string
	// NumberSuffix is the symbol of its decisions, e.g. "QĐ-BCĐ".
	NumberSuffix string
	// Place is the place name of the date line, e.g. "Quảng Ngãi".
	Place string
	// CommitteeName is the issuing body in running text, e.g. "Ban Chỉ
	// đạo 138 tỉnh Quảng Ngãi", "Ủy ban nhân dân tỉnh Tây Ninh".
	CommitteeName string
	// AuthorityLine is the line naming who decides, e.g. "TRƯỞNG BAN CHỈ
	// ĐẠO 138 TỈNH QUẢNG NGÃI"; it agrees with the signature block.
	AuthorityLine string
	// Decider is who decides in running text, as other documents cite a
	// decision: "Trưởng Ban Chỉ đạo 138 tỉnh Quảng Ngãi".
	Decider string
	// Steering is the programme's provincial steering committee in running
	// text ("Ban Chỉ đạo 138 tỉnh Quảng Ngãi"); Secretariat its standing
	// agency ("Công an tỉnh - Cơ quan Thường trực Ban Chỉ đạo 138 tỉnh
	// Quảng Ngãi"); Police the provincial police ("Công an tỉnh").
	Steering, Secretariat, Police string
	// DistrictBodies are the districts' bodies a document addresses ("Ban
	// Chỉ đạo 138 các huyện, thị xã, thành phố" when a committee issues,
	// "Ủy ban nhân dân các huyện, thị xã, thành phố" when the People's
	// Committee does); DistrictHeads their heads ("Trưởng Ban Chỉ đạo 138
	// các …", "Chủ tịch Ủy ban nhân dân các …").
	DistrictBodies, DistrictHeads string
	// CommitteeShort is the name the committees of every level share,
	// e.g. "Ban Chỉ đạo 138".
	CommitteeShort string
	// SignerAuthority, SignerTitle and SignerName are the signature block
	// when the data gives none (Letterhead.Signature): the capacity lines
	// ("TM. BAN CHỈ ĐẠO", "KT. TRƯỞNG BAN"; several separated by "\n"),
	// the title and the name.
	SignerAuthority, SignerTitle, SignerName string
}

// ApprovedCommune is one row of the approved list.
type ApprovedCommune struct {
	// No is the row number (STT).
	No int
	// Name is the commune, ward or township with its kind, e.g. "Phường Lê Hồng Phong".
	Name string
	// District is its district, e.g. "Thành phố Quảng Ngãi"; empty for
	// provinces with two tiers of local government.
	District string
	// Types are its types (Loại) as printed, e.g. "1, 3, 4".
	Types string
	// Extension marks a commune continuing into its second year after
	// failing the first.
	Extension bool
}

// ApprovalData is the data of the Approval template.
type ApprovalData struct {
	Letterhead
	// Year is the transformation year.
	Year int
	// PeriodFrom, HalfYearTo and PeriodTo are the transformation year's
	// statistics periods for the 6-month and yearly reports, as the
	// policy sets them.
	PeriodFrom, HalfYearTo, PeriodTo time.Time
	// Communes is the approved list, in order.
	Communes []ApprovedCommune
}

var _ Data = ApprovalData{}

// HasDistricts reports whether any commune names its district; without
// districts (two-tier provinces) the table has no district column.
func (a ApprovalData) HasDistricts() bool {
	for _, c := range a.Communes {
		if c.District != "" {
			return true
		}
	}
	return false
}

// Extensions returns how many communes continue into their second year.
func (a ApprovalData) Extensions() int {
	n := 0
	for _, c := range a.Communes {
		if c.Extension {
			n++
		}
	}
	return n
}

// FirstYear returns how many communes start their first year.
func (a ApprovalData) FirstYear() int { return len(a.Communes) - a.Extensions() }

// Rows returns the CommunesTable (the communes starting their first
// year) or the SecondYearTable (those continuing into their second), each
// numbered from 1: number, commune, district (when HasDistricts) and types.
// Each commune is listed once, in the table of its year.
func (a ApprovalData) Rows(table string) ([][]string, bool) {
	if table != CommunesTable && table != SecondYearTable {
		return nil, false
	}
	districts := a.HasDistricts()
	rows := make([][]string, 0, len(a.Communes))
	for _, c := range a.Communes {
		if c.Extension != (table == SecondYearTable) {
			continue
		}
		row := []string{strconv.Itoa(len(rows) + 1), c.Name}
		if districts {
			row = append(row, c.District)
		}
		rows = append(rows, append(row, c.Types))
	}
	return rows, true
}
