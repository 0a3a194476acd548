package templates

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"chuyenhoa/document"
)

// The names of the templates of the transformation year's documents, and
// of their tables. Each template's data type is named after it.
const (
	// Recognition is the decision recognising communes as transformed
	// (Quyết định công nhận địa bàn chuyển hóa đạt). Data: RecognitionData.
	Recognition = "recognition"
	// Continuation is the notice that communes which failed their first
	// year continue into a second one (Thông báo tiếp tục chuyển hóa năm
	// thứ hai). Data: ContinuationData.
	Continuation = "continuation"
	// Responsibility is the notice requiring a review of responsibility
	// (kiểm điểm trách nhiệm) for communes that failed their second year.
	// Data: ResponsibilityData.
	Responsibility = "responsibility"
	// Reminder is the letter reminding a unit of a task due soon (công
	// văn đôn đốc). Data: DeadlineNoticeData.
	Reminder = "reminder"
	// Overdue is the letter telling a unit its task is overdue (công văn
	// nhắc nhở quá hạn). Data: DeadlineNoticeData.
	Overdue = "overdue"
	// Summary is the yearly summary report with the programme's targets
	// (Báo cáo kết quả chuyển hóa năm). Data: SummaryData.
	Summary = "summary"

	// KPITable is the table of targets of SummaryData.
	KPITable = "kpis"
)

// Letterhead is what every document of the cycle takes from configuration
// rather than wording: who issues and signs it, its number and date.
type Letterhead struct {
	Issuer Issuer
	// Number is the document's number and symbol, e.g. "12/QĐ-BCĐ"; empty for a draft.
	Number string
	// NumberSuffix overrides the issuer's symbol for documents that are
	// not decisions, e.g. "TB-BCĐ" for a notice, "BC-BCĐ" for a report;
	// empty: the issuer's.
	NumberSuffix string
	// Date is the civil date of signing; the zero time for a draft.
	Date time.Time
	// PlanRef is the grounds' reference to the province's plan, e.g.
	// "Kế hoạch số 45/KH-UBND ngày 15/4/2021 của Chủ tịch UBND tỉnh …"; may be empty.
	PlanRef string
	// Signed reports whether the document is signed.
	Signed bool
	// Synthetic labels the document's data as synthetic (demonstrations).
	Synthetic bool
}

// Frame returns the issuer, number, date and signer.
func (l Letterhead) Frame() document.Document {
	suffix := l.NumberSuffix
	if suffix == "" {
		suffix = l.Issuer.NumberSuffix
	}
	return l.Issuer.frame(l.Number, suffix, l.Date, l.Signed)
}

// frame is the header and signature block every document of the issuer
// has: issuing bodies, number, place and date, and who signs.
func (is Issuer) frame(number, suffix string, date time.Time, signed bool) document.Document {
	return document.Document{
		ParentBody: is.ParentBody, IssuingBody: is.IssuingBody, Number: number, NumberSuffix: suffix,
		Place: is.Place, Date: date,
		Signature: document.Signature{Authority: is.SignerAuthority, Title: is.SignerTitle, Name: is.SignerName, Signed: signed},
	}
}

// CommuneRow is one commune in a document's table.
type CommuneRow struct {
	Name     string // e.g. "Xã Tịnh Kỳ"
	District string // empty in a two-tier province
	Types    string // as printed, e.g. "1, 4"
	// Note is the last column: the criteria not met, the people
	// responsible, the result; its meaning is the template's.
	Note string
}

// communeRows lays out rows as number, commune, district (when any has
// one) and the given extra columns of each row.
func communeRows(cs []CommuneRow, extra func(CommuneRow) []string) [][]string {
	districts := hasDistricts(cs)
	rows := make([][]string, 0, len(cs))
	for i, c := range cs {
		row := []string{strconv.Itoa(i + 1), c.Name}
		if districts {
			row = append(row, c.District)
		}
		rows = append(rows, append(row, extra(c)...))
	}
	return rows
}

func hasDistricts(cs []CommuneRow) bool {
	for _, c := range cs {
		if c.District != "" {
			return true
		}
	}
	return false
}

// RecognitionData is the data of the Recognition template.
type RecognitionData struct {
	Letterhead
	// Year is the transformation year the communes completed.
	Year int
	// ProvinceName is the province in running text, e.g. "tỉnh Quảng Ngãi".
	ProvinceName string
	// ApprovalRef names the decision that listed the communes, e.g.
	// "Quyết định số 05/QĐ-BCĐ ngày 20/01/2027".
	ApprovalRef string
	// FollowUpEnd is the end of the six-month follow-up after the review.
	FollowUpEnd time.Time
	// Communes are the communes recognised, Types their types.
	Communes []CommuneRow
}

// HasDistricts reports whether the table has a district column.
func (r RecognitionData) HasDistricts() bool { return hasDistricts(r.Communes) }

// Rows returns CommunesTable: number, commune, district, types.
func (r RecognitionData) Rows(table string) ([][]string, bool) {
	if table != CommunesTable {
		return nil, false
	}
	return communeRows(r.Communes, func(c CommuneRow) []string { return []string{c.Types} }), true
}

// ContinuationData is the data of the Continuation template.
type ContinuationData struct {
	Letterhead
	// Year is the first year, which the communes failed; they continue in Year+1.
	Year         int
	ProvinceName string
	// AppraisalRef names the year-end appraisal, e.g. "kết quả thẩm định
	// của Hội đồng thẩm định ngày 20/12/2027".
	AppraisalRef string
	// ReviewDue is the date by which the failure review (kiểm điểm,
	// causes and remedies) must reach the secretariat.
	ReviewDue time.Time
	// Communes continue into a second year; Note lists the criteria not met.
	Communes []CommuneRow
}

// HasDistricts reports whether the table has a district column.
func (c ContinuationData) HasDistricts() bool { return hasDistricts(c.Communes) }

// Rows returns CommunesTable: number, commune, district, types, criteria not met.
func (c ContinuationData) Rows(table string) ([][]string, bool) {
	if table != CommunesTable {
		return nil, false
	}
	return communeRows(c.Communes, func(r CommuneRow) []string { return []string{r.Types, r.Note} }), true
}

// ResponsibilityData is the data of the Responsibility template.
type ResponsibilityData struct {
	Letterhead
	// Years are the two years the communes failed, e.g. 2026 and 2027.
	FirstYear, SecondYear int
	ProvinceName          string
	// ReportDue is the date by which the review's results must be reported.
	ReportDue time.Time
	// Communes failed twice; Note names the units and posts responsible.
	Communes []CommuneRow
}

// HasDistricts reports whether the table has a district column.
func (r ResponsibilityData) HasDistricts() bool { return hasDistricts(r.Communes) }

// Rows returns CommunesTable: number, commune, district, responsible.
func (r ResponsibilityData) Rows(table string) ([][]string, bool) {
	if table != CommunesTable {
		return nil, false
	}
	return communeRows(r.Communes, func(c CommuneRow) []string { return []string{c.Note} }), true
}

// DeadlineNoticeData is the data of the Reminder and Overdue letters.
type DeadlineNoticeData struct {
	Letterhead
	// Addressees are the units written to, e.g. "Ban Chỉ đạo 138 huyện Bình Sơn".
	Addressees []string
	// Task is what is due, as it reads after "việc", e.g. "gửi đề xuất
	// danh sách địa bàn trọng điểm, phức tạp về trật tự, an toàn xã hội
	// thực hiện chuyển hóa năm 2027".
	Task string
	// Basis is the document that set the task, e.g. "Kế hoạch số
	// 45/KH-UBND ngày 15/4/2021 của Chủ tịch UBND tỉnh".
	Basis string
	// Due is the due date.
	Due time.Time
	// NewDue is, for an overdue letter, the new last date; zero: "ngay".
	NewDue time.Time
	// Escalation counts the overdue letters sent before this one (0 for the first).
	Escalation int
}

// Rows: the letters have no table.
func (DeadlineNoticeData) Rows(string) ([][]string, bool) { return nil, false }

// Frame returns the letterhead, with the addressees.
func (n DeadlineNoticeData) Frame() document.Document {
	d := n.Letterhead.Frame()
	d.Addressees = n.Addressees
	return d
}

// DaysLate is the number of days between the due date and the letter's date.
func (n DeadlineNoticeData) DaysLate() int {
	if n.Date.IsZero() || n.Due.IsZero() {
		return 0
	}
	return int(civil(n.Date).Sub(civil(n.Due)).Hours() / 24)
}

func civil(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// SummaryData is the data of the yearly Summary report.
type SummaryData struct {
	Letterhead
	Year         int
	ProvinceName string
	// Selected is the number of communes on the year's list; Transformed
	// how many met the criteria.
	Selected, Transformed int
	// FollowedUp is the number of communes transformed in earlier years
	// still followed; Relapsed how many of them no longer meet the criteria.
	FollowedUp, Relapsed int
	// TransformedTarget and NotRelapsedTarget are the targets in percent
	// (seed 000: 60 and 85).
	TransformedTarget, NotRelapsedTarget float64
	// Communes are the year's communes; Note is the result, e.g. "Đạt",
	// "Không đạt — tiếp tục năm thứ hai".
	Communes []CommuneRow
}

// TransformedShare is the share of the year's communes transformed, in percent.
func (s SummaryData) TransformedShare() float64 { return pct(s.Transformed, s.Selected) }

// NotRelapsedShare is the share of followed communes that did not relapse, in percent.
func (s SummaryData) NotRelapsedShare() float64 { return pct(s.FollowedUp-s.Relapsed, s.FollowedUp) }

// MeetsTransformedTarget reports whether the transformed share reaches its target.
func (s SummaryData) MeetsTransformedTarget() bool {
	return s.Selected > 0 && s.TransformedShare() >= s.TransformedTarget
}

// MeetsNotRelapsedTarget reports whether the not-relapsed share reaches its
// target; with no commune followed there is nothing to relapse.
func (s SummaryData) MeetsNotRelapsedTarget() bool {
	return s.FollowedUp == 0 || s.NotRelapsedShare() >= s.NotRelapsedTarget
}

func pct(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return 100 * float64(n) / float64(of)
}

// Percent writes a percentage the Vietnamese way: "58,3%", "60%".
func Percent(v float64) string {
	s := strconv.FormatFloat(v, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	return strings.Replace(s, ".", ",", 1) + "%"
}

// HasDistricts reports whether the communes table has a district column.
func (s SummaryData) HasDistricts() bool { return hasDistricts(s.Communes) }

// Rows returns KPITable (target, goal, result, verdict) and CommunesTable
// (number, commune, district, types, result).
func (s SummaryData) Rows(table string) ([][]string, bool) {
	verdict := func(ok bool) string {
		if ok {
			return "Đạt"
		}
		return "Không đạt"
	}
	switch table {
	case KPITable:
		followed := fmt.Sprintf("%s (%d/%d địa bàn)", Percent(s.NotRelapsedShare()), s.FollowedUp-s.Relapsed, s.FollowedUp)
		if s.FollowedUp == 0 {
			followed = "Không có địa bàn theo dõi"
		}
		return [][]string{
			{"1", "Tỷ lệ địa bàn chuyển hóa đạt", "≥ " + Percent(s.TransformedTarget),
				fmt.Sprintf("%s (%d/%d địa bàn)", Percent(s.TransformedShare()), s.Transformed, s.Selected), verdict(s.MeetsTransformedTarget())},
			{"2", "Tỷ lệ địa bàn đã chuyển hóa không tái phức tạp", "≥ " + Percent(s.NotRelapsedTarget), followed, verdict(s.MeetsNotRelapsedTarget())},
		}, true
	case CommunesTable:
		return communeRows(s.Communes, func(c CommuneRow) []string { return []string{c.Types, c.Note} }), true
	}
	return nil, false
}

var (
	_ Data = RecognitionData{}
	_ Data = ContinuationData{}
	_ Data = ResponsibilityData{}
	_ Data = DeadlineNoticeData{}
	_ Data = SummaryData{}
)
