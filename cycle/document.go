package cycle

import "strings"

// The kinds of documents the programme issues.
const (
	DocApproval       = "approval"       // Quyết định phê duyệt danh sách địa bàn chuyển hóa
	DocRecognition    = "recognition"    // Quyết định công nhận địa bàn chuyển hóa đạt
	DocContinuation   = "continuation"   // Thông báo tiếp tục chuyển hóa năm thứ hai
	DocResponsibility = "responsibility" // Thông báo kiểm điểm trách nhiệm
	DocSummary        = "summary"        // Báo cáo kết quả chuyển hóa năm
	DocReview         = "review"         // Báo cáo sơ kết công tác chuyển hóa (001 §III.2)
	DocAward          = "award"          // Quyết định khen thưởng
	DocReminder       = "reminder"       // Công văn đôn đốc: a task falls due soon
	DocOverdue        = "overdue"        // Công văn nhắc nhở: a task is overdue
)

// documentTitles name the kinds of document as officers do.
var documentTitles = map[string]string{
	DocApproval:       "Quyết định phê duyệt danh sách địa bàn chuyển hóa",
	DocRecognition:    "Quyết định công nhận địa bàn chuyển hóa đạt",
	DocContinuation:   "Thông báo tiếp tục chuyển hóa năm thứ hai",
	DocResponsibility: "Thông báo kiểm điểm trách nhiệm",
	DocSummary:        "Báo cáo kết quả chuyển hóa năm",
	DocReview:         "Báo cáo sơ kết công tác chuyển hóa",
	DocAward:          "Quyết định khen thưởng",
	DocReminder:       "Công văn đôn đốc",
	DocOverdue:        "Công văn nhắc nhở quá hạn",
}

// DocumentTitle names a kind of document as officers do ("Thông báo kiểm
// điểm trách nhiệm"); an unknown kind is "Văn bản".
func DocumentTitle(kind string) string {
	if t, ok := documentTitles[kind]; ok {
		return t
	}
	return "Văn bản"
}

// DocumentContent is what a document of the programme says, before its
// wording and layout: its kind, who issues it and when, and the data of
// its kind. The workflows fill it from their state; package render is the
// one place that turns it into the wording of a template and a PDF. The
// fields used are those of the kind:
//
//   - approval: Communes (the list, second-year communes marked Extension),
//     Grounds, Recipients, PeriodFrom and PeriodTo;
//   - recognition: Communes, ApprovalRef, Due (the follow-up's end);
//   - continuation: Communes (Note: the criteria not met), AppraisalRef,
//     Due (the failure reviews' due date);
//   - responsibility: Communes (Note: the criteria not met), FirstYear, Due;
//   - summary: Communes (Note: the outcome), KPI;
//   - review: Communes (Note: what the reports and the council found),
//     Review (the local reviews and the provincial conference);
//   - award: Form, Awardees, Recipients;
//   - reminder, overdue: Addressees, Task, Basis, Due, NewDue, Escalation.
type DocumentContent struct {
	Kind   string `json:"kind"`
	Issuer Issuer `json:"issuer"`
	// Number is the number and symbol ("5/QĐ-BCĐ"); empty for a draft.
	Number string `json:"number,omitempty"`
	// Date is the date on the document; zero for a draft.
	Date         Date   `json:"date,omitempty"`
	Year         int    `json:"year"`          // the programme (or award) year concerned
	ProvinceName string `json:"province_name"` // "Tỉnh Quảng Ngãi"
	Signed       bool   `json:"signed"`
	Synthetic    bool   `json:"synthetic"` // the figures are generated demo data: the document says so

	Communes   []DocumentCommune `json:"communes,omitempty"`
	Grounds    []string          `json:"grounds,omitempty"`
	Recipients []string          `json:"recipients,omitempty"`
	PeriodFrom Date              `json:"period_from,omitempty"`
	PeriodTo   Date              `json:"period_to,omitempty"`

	FirstYear int `json:"first_year,omitempty"`
	// OneYear: a responsibility notice after a single failed year, under a
	// plan without a second year (004 §III.11).
	OneYear      bool   `json:"one_year,omitempty"`
	ApprovalRef  string `json:"approval_ref,omitempty"`
	AppraisalRef string `json:"appraisal_ref,omitempty"`
	Due          Date   `json:"due,omitempty"`
	KPI          *KPI   `json:"kpi,omitempty"`

	Form     string       `json:"form,omitempty"`
	Awardees []Nomination `json:"awardees,omitempty"`

	Addressees []string `json:"addressees,omitempty"` // the units written to ("Kính gửi")
	Task       string   `json:"task,omitempty"`       // what is due, as it reads after "việc"
	Basis      string   `json:"basis,omitempty"`      // the document that set the task
	NewDue     Date     `json:"new_due,omitempty"`    // overdue: the new last date; zero: at once
	Escalation int      `json:"escalation,omitempty"` // overdue: letters sent before this one

	// The fields below came with documents a legal officer can sign
	// (issue 15). Documents recorded before them render as they did.

	// Grounds chosen for the document (ResolveGrounds): the decisions'
	// "Căn cứ" and the plan every document carries out.
	Cites *Grounds `json:"cites,omitempty"`
	// Signatory is who signs and in what capacity; nil: the issuer's
	// configured signer.
	Signatory *Signatory `json:"signatory,omitempty"`
	// Spec is the policy's settings for the document (its subject, what
	// a recognition confirms, whether the communes leave the list).
	Spec *Document `json:"spec,omitempty"`
	// HalfYearTo is the end of the six-month reports' period (approval);
	// zero: six months after PeriodFrom.
	HalfYearTo Date `json:"half_year_to,omitempty"`
	// Approval is the decision that listed the communes (recognition,
	// continuation, responsibility); Continuation the notice that carried
	// them into their second year (recognition and responsibility after a
	// second year).
	Approval     *IssuedRef `json:"approval,omitempty"`
	Continuation *IssuedRef `json:"continuation,omitempty"`
	// DeadlineClause is, for a reminder or overdue letter, the plan's words
	// setting the deadline; empty: the deadline is the province's own (the
	// product's default where the plan sets none), and the letter says so.
	DeadlineClause string `json:"deadline_clause,omitempty"`
	// Province is the province's code, for the units the document names.
	Province string `json:"province,omitempty"`
	// TwoTier marks a province without districts (since 1 July 2025):
	// units are "xã, phường, đặc khu".
	TwoTier bool `json:"two_tier,omitempty"`
	// To are a letter's addressees as bodies ("Kính gửi", and "Như trên"
	// in "Nơi nhận"); Addressees, when set, are their names as printed.
	To []Recipient `json:"to,omitempty"`
	// UnitNames name the units an award's nominations come from.
	UnitNames []UnitName `json:"unit_names,omitempty"`
	// Review is what a review report (báo cáo sơ kết) compiles besides
	// the communes: the local reviews and the provincial conference.
	Review *ReviewContent `json:"review,omitempty"`
}

// ReviewContent is what the provincial review report (001 §III.2: "tổng
// hợp báo cáo kết quả chuyển hóa") says of the review itself: the
// units' reviews in their areas and the provincial conference.
type ReviewContent struct {
	// Reports is how many of the year's communes sent their yearly
	// (review) report; Passed how many of those met the criteria.
	Reports int `json:"reports"`
	Passed  int `json:"passed"`
	// Local are the units' reviews in their areas (sơ kết tại địa bàn),
	// in the order the units were listed; a unit that held none has a
	// zero Held.
	Local []LocalReview `json:"local,omitempty"`
	// Held is the day of the provincial conference; Conclusions what it
	// concluded, as the secretariat wrote it (paragraphs separated by
	// newlines).
	Held        Date   `json:"held"`
	Conclusions string `json:"conclusions"`
}

// LocalReview is one unit's review in its areas.
type LocalReview struct {
	UnitName string `json:"unit_name"`
	Due      Date   `json:"due"`
	Held     Date   `json:"held,omitzero"`
}

// IssuedRef is a document of the programme another one cites: its kind
// as the citation starts ("Quyết định", "Thông báo"), its number, date
// and who issued it.
type IssuedRef struct {
	Kind   string `json:"kind"`
	Code   string `json:"code"`
	Date   Date   `json:"date"`
	Issuer string `json:"issuer"` // "Trưởng Ban Chỉ đạo 138 tỉnh Quảng Ngãi"
}

// Cite is "Quyết định số 1/QĐ-BCĐ ngày 21/01/2027 của Trưởng Ban Chỉ đạo 138 tỉnh Quảng Ngãi".
func (r IssuedRef) Cite() string {
	s := r.Kind + " số " + r.Code
	if !r.Date.IsZero() {
		s += " ngày " + r.Date.Vietnamese()
	}
	if r.Issuer != "" {
		s += " của " + r.Issuer
	}
	return s
}

// Decider is who, in running text, a decision of the issuer is of, as
// another document cites it: "Trưởng Ban Chỉ đạo 138 tỉnh Quảng Ngãi",
// "Chủ tịch Ủy ban nhân dân tỉnh Tây Ninh", or the collective, "Ủy ban
// nhân dân tỉnh Tây Ninh".
func (is Issuer) Decider() string {
	if is.DecidesCollectively() {
		return is.CommitteeName
	}
	return is.HeadOf()
}

// HeadOf is the head of the issuing body in running text: the head's
// title, in sentence case, before the body's name — "Chủ tịch" + "Ủy ban
// nhân dân tỉnh Tây Ninh"; a title ending with the body's first word
// shares it: "Trưởng ban" + "Ban Chỉ đạo 138 tỉnh Quảng Ngãi" is "Trưởng
// Ban Chỉ đạo 138 tỉnh Quảng Ngãi". The body's name is never altered.
func (is Issuer) HeadOf() string {
	title := strings.Fields(strings.ToLower(is.HeadTitleOf()))
	body := is.CommitteeName
	if len(title) == 0 {
		return body
	}
	first, _, _ := strings.Cut(body, " ")
	if len(title) > 1 && strings.EqualFold(title[len(title)-1], first) {
		title = title[:len(title)-1]
	}
	return upperFirst(strings.Join(title, " ")) + " " + body
}

// DocumentCommune is a commune in a document's table, with its last column.
type DocumentCommune struct {
	ListedCommune
	Note string `json:"note,omitempty"`
	// Responsible are the collectives and people a responsibility review
	// named, each with its conclusion, as the notice prints them.
	Responsible []string `json:"responsible,omitempty"`
}

// Listed returns the communes of a document as listed communes.
func (c DocumentContent) Listed() []ListedCommune {
	var out []ListedCommune
	for _, d := range c.Communes {
		out = append(out, d.ListedCommune)
	}
	return out
}

// DocumentSuffix is the symbol a document of a kind is numbered with: the
// issuer's decisions' ("QĐ-BCĐ"), or for a notice or a report the same
// body's with its own type ("TB-BCĐ", "BC-BCĐ"), or for a letter the
// body's alone ("BCĐ"), in the same register.
func DocumentSuffix(kind string, is Issuer) string {
	switch kind {
	case DocContinuation, DocResponsibility:
		return retype(is.NumberSuffix, "TB")
	case DocSummary, DocReview:
		return retype(is.NumberSuffix, "BC")
	case DocReminder, DocOverdue:
		// A letter (công văn) has no type in its symbol: "61/BCĐ".
		if _, body, ok := strings.Cut(is.NumberSuffix, "-"); ok {
			return body
		}
	}
	return is.NumberSuffix
}

// retype turns a decision's symbol into a notice's or a report's:
// "QĐ-BCĐ" → "TB-BCĐ".
func retype(decision, kind string) string {
	if _, body, ok := strings.Cut(decision, "-"); ok {
		return kind + "-" + body
	}
	return kind
}

// RenderedDocument is a document laid out as a PDF, with what the later
// steps of its issue need: where the signature goes, its subject line
// (trích yếu) and its distribution list ("Nơi nhận") as printed.
type RenderedDocument struct {
	PDF        []byte
	Pages      int
	Signature  PageBox
	Subject    string
	Recipients []string
}

// PageBox is a rectangle on a page of a PDF, in millimetres from the top
// left corner of the page; Page counts from 1 (0: no box).
type PageBox struct {
	Page int     `json:"page"`
	X    float64 `json:"x"`
	Y    float64 `json:"y"`
	W    float64 `json:"w"`
	H    float64 `json:"h"`
}

// SignedDocument is a PDF signed as its signer and sealed as its issuing
// body, with who signed it (the certificates' subjects).
type SignedDocument struct {
	PDF        []byte
	Signatures int
	Signer     string
	SealedBy   string
}
