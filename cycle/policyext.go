package cycle

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// DeadlineKind names what a recurring deadline of a policy is for.
type DeadlineKind string

// The deadline kinds the plans use.
const (
	DeadlineHalfYearReport       DeadlineKind = "half_year_report"      // báo cáo 6 tháng
	DeadlineYearlyReport         DeadlineKind = "yearly_report"         // báo cáo năm
	DeadlineQuarterlyReport      DeadlineKind = "quarterly_report"      // báo cáo quý (004)
	DeadlineReviewReports        DeadlineKind = "review_reports"        // reports for the review, sơ kết (001)
	DeadlineLocalReviews         DeadlineKind = "local_reviews"         // reviews held in the communes (001)
	DeadlineReviewConference     DeadlineKind = "review_conference"     // the provincial review conference (001)
	DeadlineAwardNominations     DeadlineKind = "award_nominations"     // award dossiers (001, 003)
	DeadlineRecognitionProposals DeadlineKind = "recognition_proposals" // proposals for recognition (004)
	DeadlineMonitoring           DeadlineKind = "monitoring"            // monitoring teams' meetings (002)
)

var deadlineKinds = []DeadlineKind{DeadlineHalfYearReport, DeadlineYearlyReport, DeadlineQuarterlyReport, DeadlineReviewReports,
	DeadlineLocalReviews, DeadlineReviewConference, DeadlineAwardNominations, DeadlineRecognitionProposals, DeadlineMonitoring}

// Deadline is a recurring deadline of a policy besides the selection tasks
// of Calendar: the day is in each of Months of the cycle's year (shifted by
// YearOffset). Plans write "trước ngày 16/11": Before is then true and the
// last day allowed is the 15th.
type Deadline struct {
	Kind       DeadlineKind `json:"kind"`
	Name       string       `json:"name"`                  // as the plan says it, in Vietnamese
	Months     []int        `json:"months"`                // months it falls in: [11], or [3, 6, 9, 12] for "the quarter's last month"
	Day        int          `json:"day"`                   // day of the month
	YearOffset int          `json:"year_offset,omitempty"` // 0 = year Y
	Before     bool         `json:"before,omitempty"`      // "trước ngày N": due the day before
	Clause     string       `json:"clause,omitempty"`      // the plan's words
	// Period names the statistics period (of Periods) a report due on
	// these dates covers; empty: the report kind's own.
	Period string `json:"period,omitempty"`
}

// Dates returns the last days allowed in year y, in order.
func (d Deadline) Dates(y int) []Date {
	out := make([]Date, 0, len(d.Months))
	for _, m := range d.Months {
		day := YearDay{Month: time.Month(m), Day: d.Day, YearOffset: d.YearOffset}.In(y)
		if d.Before {
			day = day.AddDays(-1)
		}
		out = append(out, day)
	}
	return out
}

// Deadline returns the policy's first deadline of kind k.
func (p Policy) Deadline(k DeadlineKind) (Deadline, bool) {
	for _, d := range p.Deadlines {
		if d.Kind == k {
			return d, true
		}
	}
	return Deadline{}, false
}

// Period is a statistics period of a policy, relative to the cycle's year.
type Period struct {
	Name   string  `json:"name"` // "yearly", "half_year", "review", "baseline"…
	From   YearDay `json:"from"`
	To     YearDay `json:"to"`
	Clause string  `json:"clause,omitempty"`
}

// Target is one of a plan's province-wide target figures (003 §II.5).
type Target struct {
	ID      string  `json:"id"`
	Name    string  `json:"name"`
	Compare string  `json:"compare"` // "≥", ">", "≤", "<"
	Percent float64 `json:"percent"`
	Clause  string  `json:"clause,omitempty"`
}

// Document is a document a plan produces, with its distribution list (nơi nhận).
type Document struct {
	Kind  string `json:"kind"`  // "approval_decision", "recognition_decision", "award_decision", "review_report"…
	Title string `json:"title"` // the title as issued
	// Grounds were the national grounds as text; the policy's Grounds
	// replace them (kept so that policies recorded in running cycles decode).
	Grounds    []string `json:"grounds,omitempty"`
	Recipients []string `json:"recipients"` // the "Nơi nhận" lines, as printed
	// Subject is the document's summary after "Về việc", without the
	// year, e.g. "công nhận xã, phường, thị trấn đạt chuẩn mô hình An ninh
	// cơ sở" (recognition); empty: the template's.
	Subject string `json:"subject,omitempty"`
	// Outcome is what a recognition confirms, as Article 1 says it, e.g.
	// "đã chuyển hóa đạt", "đạt chuẩn mô hình An ninh cơ sở".
	Outcome string `json:"outcome,omitempty"`
	// Keep: the communes recognised stay where they are (a model of
	// security, 004) instead of leaving the list of hotspots (000 §II.5.b:
	// "đưa ra khỏi danh sách cần chuyển hóa").
	Keep bool `json:"keep,omitempty"`
	// Clause is the plan's words the document rests on.
	Clause string `json:"clause,omitempty"`
	// Proposal is whose proposal a decision answers, as it reads after
	// "Xét đề nghị của" (an award: the bodies the plan charges with
	// proposing and vetting the awards).
	Proposal string `json:"proposal,omitempty"`
}

// The kinds of Document a policy file names.
const (
	DocumentKindRecognition = "recognition_decision"
	DocumentKindAward       = "award_decision"
)

// DocumentSpec is the policy's settings for a document of kind (a
// DocumentContent kind), or nil.
func (p Policy) DocumentSpec(kind string) *Document {
	k := map[string]string{DocApproval: DocumentKindApproval, DocRecognition: DocumentKindRecognition, DocAward: DocumentKindAward}[kind]
	if d, ok := p.Document(k); ok && k != "" {
		return &d
	}
	return nil
}

// DocumentKindApproval is the kind of the decision approving the year's list.
const DocumentKindApproval = "approval_decision"

// Document returns the policy's settings for a kind of document.
func (p Policy) Document(kind string) (Document, bool) {
	for _, d := range p.Documents {
		if d.Kind == kind {
			return d, true
		}
	}
	return Document{}, false
}

// UnmarshalJSON reads a YearDay either as the object it is written as
// ({"month":12,"day":25,"year_offset":-1}) or as the plans write dates:
// "25/12" for year Y, "25/12 Y-1" for the year before.
func (yd *YearDay) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		v, err := ParseYearDay(s)
		if err != nil {
			return err
		}
		*yd = v
		return nil
	}
	type plain YearDay
	var v plain
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*yd = YearDay(v)
	return nil
}

// ParseYearDay parses "DD/MM", "DD/MM Y", "DD/MM Y-1" or "DD/MM Y+1".
func ParseYearDay(s string) (YearDay, error) {
	bad := fmt.Errorf("%q: want DD/MM, optionally followed by Y-1 or Y+1", s)
	dm, year, _ := strings.Cut(strings.TrimSpace(s), " ")
	ds, ms, ok := strings.Cut(dm, "/")
	if !ok {
		return YearDay{}, bad
	}
	d, err1 := strconv.Atoi(ds)
	m, err2 := strconv.Atoi(ms)
	if err1 != nil || err2 != nil {
		return YearDay{}, bad
	}
	yd := YearDay{Month: time.Month(m), Day: d}
	switch strings.ReplaceAll(strings.TrimSpace(year), "−", "-") {
	case "", "Y":
	case "Y-1":
		yd.YearOffset = -1
	case "Y+1":
		yd.YearOffset = 1
	default:
		return YearDay{}, bad
	}
	if !yd.Valid() {
		return YearDay{}, fmt.Errorf("%q is not a day of the year", s)
	}
	return yd, nil
}

// String is "25/12 Y-1".
func (yd YearDay) String() string {
	s := fmt.Sprintf("%02d/%02d", yd.Day, int(yd.Month))
	switch {
	case yd.YearOffset < 0:
		s += fmt.Sprintf(" Y%d", yd.YearOffset)
	case yd.YearOffset > 0:
		s += fmt.Sprintf(" Y+%d", yd.YearOffset)
	}
	return s
}

// validateExtensions checks the fields that came with policy files.
func (p Policy) validateExtensions() []Problem {
	var probs []Problem
	add := func(field string, t Text, args ...any) {
		probs = append(probs, withPlace(Bilingual("policy."+strings.SplitN(field, "[", 2)[0], t, args...), field, ""))
	}
	if p.Selection.CapMinimum < 0 {
		add("selection.cap_minimum", Text{VI: "Số xã tối thiểu được lựa chọn %d không được âm", EN: "%d: must not be negative"}, p.Selection.CapMinimum)
	}
	if !p.Until.IsZero() && p.Until.Before(p.Effective) {
		add("until", Text{VI: "Ngày hết hiệu lực %s sớm hơn ngày có hiệu lực %s", EN: "%s is before the effective date %s"}, dateWord(p.Until), dateWord(p.Effective))
	}
	for i, d := range p.Deadlines {
		f := fmt.Sprintf("deadlines[%d]", i)
		known := false
		for _, k := range deadlineKinds {
			known = known || d.Kind == k
		}
		if !known {
			add(f+".kind", Text{VI: "«%s» không phải là loại thời hạn (chỉ có %s)", EN: "%q is not a deadline kind (want one of %s)"}, d.Kind, joinKinds(deadlineKinds))
		}
		if len(d.Months) == 0 {
			add(f+".months", Text{VI: "Cần ghi ít nhất một tháng", EN: "at least one month is required"})
		}
		for j, m := range d.Months {
			if !(YearDay{Month: time.Month(m), Day: d.Day}).Valid() {
				add(fmt.Sprintf("%s.months[%d]", f, j), Text{VI: "Ngày %d tháng %d không có trong năm", EN: "day %d of month %d is not a day of the year"}, d.Day, m)
			}
		}
	}
	for i, pr := range p.Periods {
		f := fmt.Sprintf("periods[%d]", i)
		if pr.Name == "" {
			add(f+".name", Text{VI: "Chưa ghi tên kỳ", EN: "required"})
		}
		if !pr.From.Valid() || !pr.To.Valid() {
			add(f, Text{VI: "Ngày bắt đầu và ngày kết thúc của kỳ phải là ngày có trong năm", EN: "from and to must be days of the year"})
		} else if !pr.From.In(2001).Before(pr.To.In(2001)) {
			add(f, Text{VI: "Ngày bắt đầu %s không sớm hơn ngày kết thúc %s", EN: "from %s is not before to %s"}, pr.From, pr.To)
		}
	}
	for i, t := range p.Targets {
		f := fmt.Sprintf("targets[%d]", i)
		switch t.Compare {
		case "≥", ">", "≤", "<":
		default:
			add(f+".compare", Text{VI: "Phép so sánh «%s» không hợp lệ: chỉ có ≥, >, ≤ hoặc <", EN: "%q: want ≥, >, ≤ or <"}, t.Compare)
		}
		if t.ID == "" {
			add(f+".id", Text{VI: "Chưa ghi mã chỉ tiêu", EN: "required"})
		}
	}
	for i, d := range p.Documents {
		f := fmt.Sprintf("documents[%d]", i)
		if d.Kind == "" || d.Title == "" {
			add(f, Text{VI: "Chưa ghi loại và tên văn bản", EN: "kind and title are required"})
		}
		if len(d.Recipients) == 0 {
			add(f+".recipients", Text{VI: "Văn bản cần có nơi nhận", EN: "a document needs its distribution list (nơi nhận)"})
		}
	}
	probs = append(probs, validateGrounds(p.Grounds)...)
	if p.Evaluation != nil {
		probs = append(probs, p.Evaluation.validate("evaluation")...)
	}
	if p.Awards != nil {
		probs = append(probs, p.Awards.validate("awards")...)
	}
	return probs
}

func joinKinds[T ~string](ks []T) string {
	parts := make([]string, len(ks))
	for i, k := range ks {
		parts[i] = string(k)
	}
	return strings.Join(parts, ", ")
}
