package cycle

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// A plan's process: what follows a failed year, and the reports and
// meetings the plan sets at dates besides the communes' half-year and
// yearly reports (plan steps). Every date of a policy drives a task; a
// date no process reads is refused when the policy is loaded.

// Process is what a plan says happens after a year's results.
type Process struct {
	// SecondYear: a commune that fails its first year continues into a
	// second (000 §II.3: "tiếp tục chuyển hóa năm thứ hai"). Absent: true.
	// False: a failed commune goes straight to the responsibility review
	// (004 §III.11: "không đạt chuẩn … cần có hình thức kiểm điểm, đánh giá
	// trách nhiệm").
	SecondYear *bool `json:"second_year,omitempty"`
	// FollowedYears is how many statistics years a recognised commune is
	// still followed after its recognition, with a yearly report compared
	// with the period before its programme (000 §I.3: "ít nhất 85% các địa
	// bàn đã chuyển hóa không phức tạp trở lại"); a report that fails the
	// criteria records its relapse. 0: not followed after recognition.
	FollowedYears int    `json:"followed_years,omitempty"`
	Clause        string `json:"clause,omitempty"` // the plan's words
}

// MaxFollowedYears bounds Process.FollowedYears: a plan runs five years.
const MaxFollowedYears = 5

// FollowedYears is how many statistics years a recognised commune is
// still followed (Process.FollowedYears; 0 without a process).
func (p Policy) FollowedYears() int {
	if p.Process == nil {
		return 0
	}
	return p.Process.FollowedYears
}

// HasSecondYear reports whether a commune that fails its first year
// continues into a second year under the policy.
func (p Policy) HasSecondYear() bool {
	return p.Process == nil || p.Process.SecondYear == nil || *p.Process.SecondYear
}

// TaskPlanReport is a plan step: a report or a meeting the plan sets at a
// date (004's quarterly reports and recognition proposals, 001's local
// reviews and provincial conference, 002's monitoring teams' meetings).
const TaskPlanReport TaskKind = "plan_report"

// PlanStep is what the product does for a deadline kind that is a plan
// step: who completes it, and whether it is a meeting that is held
// (its date is asked for).
type PlanStep struct {
	Role    Role
	Meeting bool
	// Proposal: the unit names the communes it proposes for recognition
	// (004 §IV.2: "Thời gian đề nghị xét, công nhận … trước ngày 15/10").
	Proposal bool
	Title    string // the task's title before the plan's name of it
}

// planSteps are the deadline kinds that open plan-step tasks. The others
// are read elsewhere: the half-year and yearly reports (and 001's review
// reports, its yearly report) by the communes' workflows, the award
// nominations by award rounds.
var planSteps = []struct {
	Kind DeadlineKind
	Step PlanStep
}{
	{DeadlineQuarterlyReport, PlanStep{Role: RoleDistrictOfficer, Title: "Báo cáo quý"}},
	{DeadlineRecognitionProposals, PlanStep{Role: RoleDistrictOfficer, Proposal: true, Title: "Đề nghị xét, công nhận"}},
	{DeadlineLocalReviews, PlanStep{Role: RoleDistrictOfficer, Meeting: true, Title: "Sơ kết tại địa bàn"}},
	{DeadlineMonitoring, PlanStep{Role: RoleSecretariat, Meeting: true, Title: "Họp Tổ theo dõi"}},
	{DeadlineReviewConference, PlanStep{Role: RoleSecretariat, Meeting: true, Title: "Hội nghị sơ kết cấp tỉnh"}},
}

// Step returns the plan step of a deadline kind, if it is one.
func (k DeadlineKind) Step() (PlanStep, bool) {
	for _, s := range planSteps {
		if s.Kind == k {
			return s.Step, true
		}
	}
	return PlanStep{}, false
}

// PlanDate is one date of a plan step in a year.
type PlanDate struct {
	Deadline Deadline
	Step     PlanStep
	Due      Date
	Round    int // 1-based, among the deadline's dates of the year
}

// PlanDates returns the plan steps' dates in year y, in date order (the
// policy's order for the same day).
func (p Policy) PlanDates(y int) []PlanDate {
	var out []PlanDate
	for _, d := range p.Deadlines {
		st, ok := d.Kind.Step()
		if !ok {
			continue
		}
		for i, due := range d.Dates(y) {
			out = append(out, PlanDate{Deadline: d, Step: st, Due: due, Round: i + 1})
		}
	}
	for i := 1; i < len(out); i++ { // insertion sort: stable, and no map in workflow code
		for j := i; j > 0 && out[j].Due.Before(out[j-1].Due); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// PlanStepLeadDays is how many days before its due date a plan step's
// task opens (the plans set only the due dates).
const PlanStepLeadDays = 15

// PlanReport is what an officer sends for a plan step.
type PlanReport struct {
	Deadline DeadlineKind `json:"deadline"`
	Due      Date         `json:"due"`
	// Content is the report, or the meeting's conclusions, as written.
	Content string `json:"content"`
	// Held is the day a meeting was held (sơ kết, hội nghị, họp Tổ theo
	// dõi); zero for a report.
	Held Date `json:"held,omitzero"`
	// Communes are the codes of the unit's communes it proposes for
	// recognition (a proposal step); none may be proposed.
	Communes []string `json:"communes,omitempty"`
}

// PlanReportMaxRunes bounds a plan report's text.
const PlanReportMaxRunes = 20000

// Validate checks a plan report against its step, on day today; a
// proposal may name only the unit's communes in the programme (choices:
// code → name).
func (r PlanReport) Validate(step PlanStep, today Date, choices map[string]string) error {
	var probs []Problem
	add := func(field string, t Text, args ...any) {
		probs = append(probs, withPlace(Bilingual("plan_report."+field, t, args...), field, ""))
	}
	content := strings.TrimSpace(r.Content)
	switch n := utf8.RuneCountInString(content); {
	case n == 0:
		add("content", Text{VI: "Chưa ghi nội dung báo cáo", EN: "the report's content is required"})
	case n > PlanReportMaxRunes:
		add("content", Text{VI: "Nội dung dài %d ký tự, quá giới hạn %d ký tự", EN: "%d characters, more than %d"}, n, PlanReportMaxRunes)
	}
	switch {
	case step.Meeting && r.Held.IsZero():
		add("held", Text{VI: "Chưa ghi ngày tổ chức", EN: "the day it was held is required"})
	case !r.Held.IsZero() && today.Before(r.Held):
		add("held", Text{VI: "Ngày tổ chức %s chưa đến (hôm nay là %s)", EN: "held on %s, after today %s"}, r.Held.Vietnamese(), today.Vietnamese())
	case !step.Meeting && !r.Held.IsZero():
		add("held", Text{VI: "Báo cáo không có ngày tổ chức", EN: "a report has no day held"})
	}
	seen := map[string]bool{}
	for i, code := range r.Communes {
		f := fmt.Sprintf("communes[%d]", i)
		_, ok := choices[code]
		switch {
		case !step.Proposal:
			add(f, Text{VI: "Chỉ văn bản đề nghị xét, công nhận mới chọn xã đề nghị công nhận (%s)", EN: "only a recognition proposal names communes (%s)"}, code)
		case !ok:
			add(f, Text{VI: "Xã có mã %s không thuộc các địa bàn đang chuyển hóa của đơn vị", EN: "%s is not one of the unit's communes in the programme"}, Quote(code))
		case seen[code]:
			add(f, Text{VI: "%s được đề nghị hai lần", EN: "%s is proposed twice"}, choices[code])
		}
		seen[code] = true
	}
	return Invalid("plan report", probs)
}

// reportDeadlineKinds are the deadlines of the communes' own reports.
var reportDeadlineKinds = []DeadlineKind{DeadlineHalfYearReport, DeadlineYearlyReport, DeadlineReviewReports}

// periodsRead are the statistics periods the product reads by name.
var periodsRead = []string{"half_year", "yearly", "recognition_baseline"}

// validateDates refuses a date no process reads and a report due before
// its period ends.
func (p Policy) validateDates() []Problem {
	var probs []Problem
	add := func(field string, t Text, args ...any) {
		probs = append(probs, withPlace(Bilingual("policy."+strings.SplitN(field, "[", 2)[0], t, args...), field, ""))
	}
	if n := p.FollowedYears(); n < 0 || n > MaxFollowedYears {
		add("process.followed_years", Text{VI: "Số năm tiếp tục theo dõi sau khi công nhận (%d) phải từ 0 đến %d", EN: "%d: want 0 to %d"}, n, MaxFollowedYears)
	}
	named := map[string]bool{}
	for _, n := range periodsRead {
		named[n] = true
	}
	for i, d := range p.Deadlines {
		f := fmt.Sprintf("deadlines[%d]", i)
		if d.Kind == DeadlineAwardNominations && p.Awards == nil {
			add(f+".kind", Text{VI: "Thời hạn «%s» không được dùng: Kế hoạch không có phần khen thưởng", EN: "%s is not used: the policy has no awards"}, d.Name)
		}
		if d.Period == "" {
			continue
		}
		if _, ok := p.namedPeriod(d.Period); !ok {
			add(f+".period", Text{VI: "Không có kỳ số liệu «%s» trong Kế hoạch", EN: "no period %q in the policy"}, d.Period)
		}
		named[d.Period] = true
	}
	for i, pr := range p.Periods {
		if !named[pr.Name] {
			add(fmt.Sprintf("periods[%d].name", i), Text{VI: "Kỳ số liệu «%s» không được dùng cho báo cáo nào", EN: "period %q is read by no report"}, pr.Name)
		}
	}
	for i, d := range p.Deadlines {
		if !slices.Contains(reportDeadlineKinds, d.Kind) || len(d.Months) == 0 {
			continue
		}
		k := ReportYearly
		if d.Kind == DeadlineHalfYearReport {
			k = ReportHalfYear
		}
		const y = 2001
		ends := p.ReportPeriod(k, y).To
		for _, due := range d.Dates(y) {
			if due.Before(ends) {
				add(fmt.Sprintf("deadlines[%d]", i), Text{VI: "Hạn gửi «%s» (%s) sớm hơn ngày kết thúc kỳ số liệu của báo cáo (%s): ghi kỳ số liệu kết thúc trước hạn gửi",
					EN: "%s is due %s, before its period ends %s: give it a period that ends in time"}, d.Name, dayMonth(due), dayMonth(ends))
			}
		}
	}
	return probs
}

// yearlyDeadline is the deadline of the yearly report: the plan's yearly
// report, or 001's review reports (its yearly report, "báo cáo sơ kết").
func (p Policy) yearlyDeadline() (Deadline, bool) {
	if d, ok := p.Deadline(DeadlineYearlyReport); ok {
		return d, true
	}
	return p.Deadline(DeadlineReviewReports)
}

// namedPeriod is the policy's period of that name.
func (p Policy) namedPeriod(name string) (Period, bool) {
	for _, pr := range p.Periods {
		if pr.Name == name {
			return pr, true
		}
	}
	return Period{}, false
}

func dayMonth(d Date) string { return fmt.Sprintf("%02d/%02d", d.Day, int(d.Month)) }
