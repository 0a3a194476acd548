package templates

import (
	"strconv"
	"time"

	"chuyenhoa/document"
)

// Approval is the name of the template of the decision approving the
// year's list of communes to transform (Quyết định phê duyệt danh sách địa
// bàn trọng điểm, phức tạp về trật tự, an toàn xã hội thực hiện chuyển hóa).
// Its data is an ApprovalData.
const Approval = "approval"

// CommunesTable is the name of the table of ApprovalData.
const CommunesTable = "communes"

// Issuer is the per-province configuration of who issues and signs the
// cycle's documents.
type Issuer struct {
	// ParentBody is the governing body, e.g. "UBND TỈNH QUẢNG NGÃI"; may be empty.
	ParentBody string
	// IssuingBody is the issuing body as printed in the header, e.g. "BAN CHỈ ĐẠO 138".
	IssuingBody string
	// NumberSuffix is the symbol of its decisions, e.g. "QĐ-BCĐ".
	NumberSuffix string
	// Place is the place name of the date line, e.g. "Quảng Ngãi".
	Place string
	// CommitteeName is the full name of the provincial committee in running
	// text, e.g. "Ban Chỉ đạo 138 tỉnh Quảng Ngãi".
	CommitteeName string
	// CommitteeShort is the committee's name without its level, e.g.
	// "Ban Chỉ đạo 138", as in "Ban Chỉ đạo 138 các huyện"; empty reads
	// "Ban Chỉ đạo".
	CommitteeShort string
	// SignerAuthority is the capacity of the signer, e.g. "TM. BAN CHỈ ĐẠO"
	// or "KT. TRƯỞNG BAN".
	SignerAuthority string
	// SignerTitle is the signer's position, e.g. "TRƯỞNG BAN".
	SignerTitle string
	// SignerName is the signer's full name.
	SignerName string
	// AuthorityLine is the line naming who decides, e.g. "TRƯỞNG BAN CHỈ
	// ĐẠO 138 TỈNH QUẢNG NGÃI".
	AuthorityLine string
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
	Issuer Issuer
	// Number is the decision's number, e.g. "05/QĐ-BCĐ"; empty for a draft.
	Number string
	// Date is the civil date of signing; the zero time for a draft.
	Date time.Time
	// Year is the transformation year.
	Year int
	// ProvinceName is the province in running text, e.g. "tỉnh Quảng Ngãi".
	ProvinceName string
	// Grounds are the national grounds cited before the province's plan,
	// without "Căn cứ" and the final ";"; empty: Kế hoạch số 113/KH-BCA-V01
	// (the 2021–2025 national plan).
	Grounds []string
	// Recipients are the "Nơi nhận" lines; empty: the template's list.
	Recipients []string
	// PeriodFrom, HalfYearTo and PeriodTo are the transformation year's
	// statistics periods for the 6-month and yearly reports; zero: 15/12 of
	// Y−1, 14/6 and 14/12 of Y.
	PeriodFrom, HalfYearTo, PeriodTo time.Time
	// PlanRef is the grounds' reference to the province's plan, e.g.
	// "Kế hoạch số 45/KH-UBND ngày 15/4/2021 của Chủ tịch UBND tỉnh …".
	PlanRef string
	// Communes is the approved list, in order.
	Communes []ApprovedCommune
	// Signed reports whether the decision is signed.
	Signed bool
	// Synthetic labels the document's data as synthetic (demonstrations).
	Synthetic bool
}

var _ Data = ApprovalData{}

// Frame returns the issuer, number, date and signer of the decision.
func (a ApprovalData) Frame() document.Document {
	return a.Issuer.frame(a.Number, a.Issuer.NumberSuffix, a.Date, a.Signed)
}

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

// extensionNote follows the types of a commune in its second year.
const extensionNote = "(năm thứ hai)"

// Rows returns the CommunesTable: number, commune, district (when
// HasDistricts) and types, a second-year commune's types followed by
// "(năm thứ hai)".
func (a ApprovalData) Rows(table string) ([][]string, bool) {
	if table != CommunesTable {
		return nil, false
	}
	districts := a.HasDistricts()
	rows := make([][]string, 0, len(a.Communes))
	for _, c := range a.Communes {
		types := c.Types
		if c.Extension {
			types += "\n" + extensionNote
		}
		row := []string{strconv.Itoa(c.No), c.Name}
		if districts {
			row = append(row, c.District)
		}
		rows = append(rows, append(row, types))
	}
	return rows, true
}
