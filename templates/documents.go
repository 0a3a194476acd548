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

// Letterhead is what every document of the cycle takes from
// configuration and the domain rather than wording: who issues and signs
// it, its number and date, its grounds and plan, its distribution list.
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
	// ProvinceName is the province in running text, e.g. "tỉnh Quảng Ngãi".
	ProvinceName string
	// Units is how the document names the communes: "xã, phường, thị
	// trấn", or "xã, phường, đặc khu" since two tiers.
	Units string
	// Grounds are a decision's grounds as cited, in order, without "Căn
	// cứ" and the final ";" (the template adds them).
	Grounds []string
	// Plan is the plan the document carries out, as cited ("Kế hoạch số …
	// ngày … của … về …"); PlanShort the same without its subject, as a
	// text refers to it again. Empty when unknown (drafts of old cycles).
	Plan, PlanShort string
	// Recipients are the "Nơi nhận" lines, with their final punctuation.
	Recipients []string
	// Signature is the signature block: the capacity lines, the title, the
	// name (package render builds it from the signer and the issuer).
	Signature document.Signature
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
	is := l.Issuer
	sig := l.Signature
	if sig.Title == "" && sig.Name == "" {
		sig = document.Signature{Authority: is.SignerAuthority, Title: is.SignerTitle, Name: is.SignerName}
	}
	sig.Signed = l.Signed
	return document.Document{
		ParentBody: is.ParentBody, IssuingBody: is.IssuingBody, Number: l.Number, NumberSuffix: suffix,
		Place: is.Place, Date: l.Date, Signature: sig,
	}
}

// CommuneRow is one commune in a document's table.
type CommuneRow struct {
	Name     string // e.g. "Xã Tịnh Kỳ"
	District string // empty in a two-tier province
	Types    string // as printed, e.g. "1, 4"
	// Note is the last column: the criteria not met, the result; its
	// meaning is the template's.
	Note string
	// Responsible are the collectives and people responsible, each with
	// the review's conclusion (after a responsibility review).
	Responsible []string
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
	// Subject is the summary after "Về việc", without the year, e.g.
	// "công nhận các xã, phường, thị trấn trọng điểm, phức tạp về trật tự,
	// an toàn xã hội đã chuyển hóa đạt" (the policy's words).
	Subject string
	// Outcome is what Article 1 recognises, e.g. "trọng điểm, phức tạp về
	// trật tự, an toàn xã hội đã chuyển hóa đạt", "đạt chuẩn mô hình An ninh
	// cơ sở".
	Outcome string
	// Keep: the communes stay where they are (a model, 004) instead of
	// leaving the list of hotspots.
	Keep bool
	// Approval cites the decision that listed the communes, e.g. "Quyết
	// định số 05/QĐ-BCĐ ngày 20/01/2027 của Trưởng Ban Chỉ đạo 138 tỉnh
	// Quảng Ngãi"; ListYear the year it listed them for.
	Approval string
	ListYear int
	// Continuation cites the notice that carried them into their second
	// year; empty for communes recognised after their first.
	Continuation string
	// Appraisal is the council's appraisal before the recognition, as
	// cited; empty when none took place.
	Appraisal string
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
	Year int
	// Approval cites the decision that listed the communes for Year.
	Approval string
	// Appraisal is the year-end appraisal, e.g. "kết quả thẩm định của
	// Hội đồng thẩm định, được Trưởng Ban Chỉ đạo ký ngày 20/12/2027".
	Appraisal string
	// ReviewDue is the date by which the failure review (kiểm điểm,
	// causes and remedies) must reach the secretariat.
	ReviewDue time.Time
	// NextFrom and NextTo are the second year's statistics period.
	NextFrom, NextTo time.Time
	// Communes continue into a second year; Note is the criteria not met,
	// each with its description and figures.
	Communes []CommuneRow
}

// HasDistricts reports whether the table has a district column.
func (c ContinuationData) HasDistricts() bool { return hasDistricts(c.Communes) }

// Rows returns CommunesTable: number, the commune with its district
// under it, types, and the criteria not met (the widest column).
func (c ContinuationData) Rows(table string) ([][]string, bool) {
	if table != CommunesTable {
		return nil, false
	}
	return placeRows(c.Communes, func(r CommuneRow) []string { return []string{r.Types, r.Note} }), true
}

// placeRows lays out rows as number, the commune with its district under
// it, and the given extra columns: notices whose last column is long
// give it the room a district column would take.
func placeRows(cs []CommuneRow, extra func(CommuneRow) []string) [][]string {
	rows := make([][]string, 0, len(cs))
	for i, c := range cs {
		place := c.Name
		if c.District != "" {
			place += "\n(" + c.District + ")"
		}
		rows = append(rows, append([]string{strconv.Itoa(i + 1), place}, extra(c)...))
	}
	return rows
}

// ResponsibilityData is the data of the Responsibility template.
type ResponsibilityData struct {
	Letterhead
	// Years are the two years the communes failed, e.g. 2026 and 2027.
	FirstYear, SecondYear int
	// OneYear: the plan has no second year (004 §III.11): the communes
	// failed the single year SecondYear.
	OneYear bool
	// Approval cites the decision that listed the communes for FirstYear;
	// Continuation the notice that carried them into SecondYear.
	Approval, Continuation string
	// ReportDue is the date by which the review's results must be reported.
	ReportDue time.Time
	// Reviewed: the responsibility reviews are in, and each commune's
	// Responsible names the collectives and people responsible with the
	// conclusions; otherwise the notice asks for the reviews and the table
	// gives the criteria not met (Note).
	Reviewed bool
	// Communes failed twice.
	Communes []CommuneRow
}

// HasDistricts reports whether the table has a district column.
func (r ResponsibilityData) HasDistricts() bool { return hasDistricts(r.Communes) }

// Rows returns CommunesTable: number, the commune with its district, and
// the collectives and people responsible (after the reviews) or the
// criteria not met (before).
func (r ResponsibilityData) Rows(table string) ([][]string, bool) {
	if table != CommunesTable {
		return nil, false
	}
	return placeRows(r.Communes, func(c CommuneRow) []string {
		if r.Reviewed {
			return []string{strings.Join(c.Responsible, "\n")}
		}
		return []string{c.Note}
	}), true
}

// DeadlineNoticeData is the data of the Reminder and Overdue letters.
type DeadlineNoticeData struct {
	Letterhead
	// Addressees are the units written to, e.g. "Ban Chỉ đạo 138 huyện Bình Sơn".
	Addressees []string
	// Task is what is due, as it reads after "thời hạn", e.g. "gửi đề
	// xuất danh sách địa bàn trọng điểm, phức tạp về trật tự, an toàn xã
	// hội thực hiện chuyển hóa năm 2027".
	Task string
	// Clause is the plan's words setting the deadline; empty: the
	// deadline is the province's own (the plan sets none), and the letter
	// says so.
	Clause string
	// Due is the due date.
	Due time.Time
	// NewDue is, for an overdue letter, the new last date; zero: at once.
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
	Year int
	// PeriodFrom and PeriodTo are the year's statistics period.
	PeriodFrom, PeriodTo time.Time
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

// Review is the provincial review report (Báo cáo sơ kết công tác chuyển
// hóa, 001 §III.2). Data: ReviewData.
const Review = "review"

// LocalTable is the table of the units' reviews in their areas of ReviewData.
const LocalTable = "local"

// ReviewData is the data of the Review report: the year's communes as the
// reports and the council found them, the units' reviews in their areas
// and the provincial conference's conclusions.
type ReviewData struct {
	Letterhead
	Year int
	// PeriodFrom and PeriodTo are the review's statistics period.
	PeriodFrom, PeriodTo time.Time
	// Selected is the number of communes in the programme this year;
	// Reports how many sent their review report, Passed how many of
	// those met the criteria.
	Selected, Reports, Passed int
	// Communes are the year's communes; Note is what was found, e.g.
	// "Đạt", "Chưa đạt: …", "Chưa gửi báo cáo".
	Communes []CommuneRow
	// Local are the units' reviews in their areas.
	Local []LocalReviewRow
	// Held is the day of the provincial conference; Conclusions its
	// conclusions, one paragraph each.
	Held        time.Time
	Conclusions []string
}

// LocalReviewRow is one unit's review in its areas: its name, due date
// and the day held (zero: not held).
type LocalReviewRow struct {
	Unit      string
	Due, Held time.Time
}

// LocalHeld is how many units held their review in their areas.
func (r ReviewData) LocalHeld() int {
	n := 0
	for _, l := range r.Local {
		if !l.Held.IsZero() {
			n++
		}
	}
	return n
}

// HasDistricts reports whether the communes table has a district column.
func (r ReviewData) HasDistricts() bool { return hasDistricts(r.Communes) }

// Rows returns CommunesTable (number, commune, district, types, what was
// found) and LocalTable (number, unit, due, held).
func (r ReviewData) Rows(table string) ([][]string, bool) {
	switch table {
	case CommunesTable:
		return communeRows(r.Communes, func(c CommuneRow) []string { return []string{c.Types, c.Note} }), true
	case LocalTable:
		rows := make([][]string, 0, len(r.Local))
		for i, l := range r.Local {
			held := "Chưa tổ chức"
			if !l.Held.IsZero() {
				held = l.Held.Format("02/01/2006")
			}
			rows = append(rows, []string{strconv.Itoa(i + 1), l.Unit, l.Due.Format("02/01/2006"), held})
		}
		return rows, true
	}
	return nil, false
}

var _ Data = ReviewData{}
