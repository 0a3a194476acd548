package cycle

import (
	"fmt"
	"maps"
	"slices"
	"time"
)

// CapScope is where the selection cap applies.
type CapScope string

// The cap scopes.
const (
	CapProvince CapScope = "province" // at most N% of the province's communes (seed 000)
	CapDistrict CapScope = "district" // at most N% of each district's communes (seed 002)
)

// Policy is the set of rules a province runs a yearly cycle under. A running
// cycle keeps the policy it started with: the workflow receives a copy.
type Policy struct {
	ID        string    `json:"id"`        // e.g. "000-quang-ngai-2021"
	Name      string    `json:"name"`      // the plan it comes from
	Effective Date      `json:"effective"` // the date it takes effect
	Selection Selection `json:"selection"` // selection rules
	Calendar  Calendar  `json:"calendar"`  // deadlines
	Reminders Reminders `json:"reminders"` // reminder and escalation schedule

	// The fields below came with policy files (issue 3). They are all
	// optional, so a policy recorded before them still decodes and runs.

	Province string `json:"province,omitempty"` // code of the province the plan is for ("51"), as of its effective date; empty: any province
	// ProvinceSince2025 is, for a plan of before 1 July 2025, the code of
	// the province its area belongs to since (Tây Ninh 72 → 80); empty:
	// derived (see ProvinceOn).
	ProvinceSince2025 string      `json:"province_since_2025,omitempty"`
	Until             Date        `json:"until,omitempty"`      // last day the plan applies (zero: until replaced)
	Source            string      `json:"source,omitempty"`     // the plan's number and date, e.g. "Kế hoạch số 2387/KH-BCĐ ngày 23/10/2019"
	Deadlines         []Deadline  `json:"deadlines,omitempty"`  // reports, review, recognition and award deadlines
	Periods           []Period    `json:"periods,omitempty"`    // statistics periods
	Evaluation        *Evaluation `json:"evaluation,omitempty"` // how a transformed commune is judged; nil: the plan sets no method
	Awards            *Awards     `json:"awards,omitempty"`     // award nominations (001, 003); nil: none
	Targets           []Target    `json:"targets,omitempty"`    // the plan's province-wide target figures
	Documents         []Document  `json:"documents,omitempty"`  // documents the plan produces and their distribution lists
	Process           *Process    `json:"process,omitempty"`    // what follows a failed year; nil: seed 000's (a second year)
	// Grounds are the acts the policy's documents cite or carry out: the
	// national programme, the province's plan, the award plan, the
	// emulation law, decree and rules (see ResolveGrounds).
	Grounds []Ground `json:"grounds,omitempty"`
	Notes   []string `json:"notes,omitempty"` // where the file departs from or fills in the plan, and why
}

// Selection holds the selection rules of a policy (seed 000 §II.1).
type Selection struct {
	CapPercent           int      `json:"cap_percent"`            // 15: at most 15% of communes per year
	CapScope             CapScope `json:"cap_scope"`              // province or district
	AboveProvinceAverage bool     `json:"above_province_average"` // crimes against social order above the province's average per commune
	AboveDistrictAverage bool     `json:"above_district_average"` // … and above the district's average per commune
	ExcludeNewRural      bool     `json:"exclude_new_rural"`      // new-rural communes are not selected
	// CapMinimum is the least number of communes each cap scope may select
	// when CapPercent of it rounds down below that (0: the cap is exactly
	// CapPercent rounded down). See CapFor.
	CapMinimum int `json:"cap_minimum,omitempty"`
	// RecognisedExclusionYears is how many programme years after the year
	// of its recognition decision a recognised commune may not be proposed
	// again: recognised by a decision dated in year R, it is refused for
	// the years up to R+N (0: a recognised commune may be proposed again
	// the next year). See Programme.
	RecognisedExclusionYears int `json:"recognised_exclusion_years,omitempty"`
	// SecondYearCountsAgainstCap makes the communes continuing into their
	// second year take places of the year's cap (of their district's, for
	// a district cap): the new communes fill what is left.
	SecondYearCountsAgainstCap bool `json:"second_year_counts_against_cap,omitempty"`
}

// MaxRecognisedExclusionYears bounds Selection.RecognisedExclusionYears: a
// plan runs five years.
const MaxRecognisedExclusionYears = 10

// Calendar holds the deadlines of the selection phase, relative to the cycle's year Y.
type Calendar struct {
	ProposalsDue     YearDay `json:"proposals_due"`     // district proposals to the secretariat
	ConsolidationDue YearDay `json:"consolidation_due"` // the secretariat's draft list
	AppraisalDue     YearDay `json:"appraisal_due"`     // the council's conclusion
	DecisionDue      YearDay `json:"decision_due"`      // signed and issued ("hoàn thành trong tháng 01")
	StatisticsFrom   YearDay `json:"statistics_from"`   // the transformation year's statistics: 15/12 of Y−1 …
	StatisticsTo     YearDay `json:"statistics_to"`     // … to 14/12 of Y
}

// Reminders is the schedule of notifications for an open task.
type Reminders struct {
	DaysBefore        []int `json:"days_before"`         // reminders at 08:00 this many days before the due date
	EscalateAfterDays int   `json:"escalate_after_days"` // escalation to the secretariat this many days after the due date
	RepeatEveryDays   int   `json:"repeat_every_days"`   // then again every so many days while the task is open
	MaxEscalations    int   `json:"max_escalations"`     // at most this many escalations per task
	// EscalateTo names the superior an escalation goes to, by the role
	// that holds the late task ("*": any role not named). Empty: the
	// secretariat, and for the secretariat's own tasks the head who signs.
	EscalateTo map[Role]Role `json:"escalate_to,omitempty"`
}

// Superior is the role an escalation about a task held by holder goes to:
// the policy's EscalateTo, else the secretariat (the standing office that
// follows every deadline), else — for the secretariat's own tasks — the
// head who signs.
func (r Reminders) Superior(holder Role) Role {
	if to, ok := r.EscalateTo[holder]; ok {
		return to
	}
	if to, ok := r.EscalateTo["*"]; ok && to != holder {
		return to
	}
	if holder == RoleSecretariat {
		return RoleSigner
	}
	return RoleSecretariat
}

// DefaultPolicy is seed 000: Quảng Ngãi's plan for 2021–2025, all criteria,
// at most 15% of the province's communes, the decision within January.
func DefaultPolicy() Policy {
	return Policy{
		ID:        "000-quang-ngai-2021-2025",
		Name:      "Kế hoạch thực hiện công tác chuyển hóa địa bàn trọng điểm, phức tạp về TTATXH giai đoạn 2021 - 2025 (Quảng Ngãi)",
		Effective: D(2021, time.April, 15),
		Selection: Selection{CapPercent: 15, CapScope: CapProvince, AboveProvinceAverage: true, AboveDistrictAverage: true, ExcludeNewRural: true,
			RecognisedExclusionYears: 1, SecondYearCountsAgainstCap: true},
		Calendar: Calendar{
			ProposalsDue:     YearDay{Month: time.December, Day: 25, YearOffset: -1},
			ConsolidationDue: YearDay{Month: time.January, Day: 10},
			AppraisalDue:     YearDay{Month: time.January, Day: 20},
			DecisionDue:      YearDay{Month: time.January, Day: 31},
			StatisticsFrom:   YearDay{Month: time.December, Day: 15, YearOffset: -1},
			StatisticsTo:     YearDay{Month: time.December, Day: 14},
		},
		Reminders: Reminders{DaysBefore: []int{7, 1}, EscalateAfterDays: 3, RepeatEveryDays: 7, MaxEscalations: 12},
	}
}

// Validate checks a policy; problems name the field.
func (p Policy) Validate() error {
	var probs []Problem
	add := func(field string, t Text, args ...any) {
		probs = append(probs, withPlace(Bilingual("policy."+field, t, args...), field, ""))
	}
	if p.ID == "" {
		add("id", Text{VI: "Chưa ghi mã của Kế hoạch", EN: "required"})
	}
	if p.Selection.CapPercent < 1 || p.Selection.CapPercent > 100 {
		add("selection.cap_percent", Text{VI: "Tỷ lệ tối đa số xã được lựa chọn %d%% không hợp lệ: phải từ 1 đến 100", EN: "%d is not a percentage between 1 and 100"}, p.Selection.CapPercent)
	}
	if p.Selection.CapScope != CapProvince && p.Selection.CapScope != CapDistrict {
		add("selection.cap_scope", Text{VI: "Phạm vi tính tỷ lệ «%s» không hợp lệ: chỉ tính theo tỉnh hoặc theo huyện", EN: "%q: want province or district"}, p.Selection.CapScope)
	}
	if n := p.Selection.RecognisedExclusionYears; n < 0 || n > MaxRecognisedExclusionYears {
		add("selection.recognised_exclusion_years", Text{VI: "Số năm không đề xuất lại xã đã được công nhận (%d) không hợp lệ: phải từ 0 đến %d năm", EN: "%d: want 0 to %d years"}, n, MaxRecognisedExclusionYears)
	}
	days := []struct {
		field string
		yd    YearDay
	}{
		{"calendar.proposals_due", p.Calendar.ProposalsDue}, {"calendar.consolidation_due", p.Calendar.ConsolidationDue},
		{"calendar.appraisal_due", p.Calendar.AppraisalDue}, {"calendar.decision_due", p.Calendar.DecisionDue},
		{"calendar.statistics_from", p.Calendar.StatisticsFrom}, {"calendar.statistics_to", p.Calendar.StatisticsTo},
	}
	for _, d := range days {
		if !d.yd.Valid() {
			add(d.field, Text{VI: "Ngày %02d/%02d không có trong năm", EN: "%02d/%02d is not a day of the year"}, d.yd.Day, int(d.yd.Month))
		}
	}
	if len(probs) == 0 {
		c, y := p.Calendar, 2001
		if !c.ProposalsDue.In(y).Before(c.ConsolidationDue.In(y)) || !c.ConsolidationDue.In(y).Before(c.AppraisalDue.In(y)) ||
			c.DecisionDue.In(y).Before(c.AppraisalDue.In(y)) {
			add("calendar", Text{VI: "Các thời hạn phải theo thứ tự: đề xuất, rồi tổng hợp, rồi thẩm định, rồi ban hành quyết định (không sớm hơn thẩm định)", EN: "deadlines must run proposals < consolidation < appraisal ≤ decision"})
		}
	}
	for i, d := range p.Reminders.DaysBefore {
		if d < 1 {
			add(fmt.Sprintf("reminders.days_before[%d]", i), Text{VI: "Số ngày nhắc trước %d không hợp lệ: phải từ 1 ngày trở lên", EN: "%d: want a positive number of days"}, d)
		}
	}
	if p.Reminders.EscalateAfterDays < 0 || p.Reminders.RepeatEveryDays < 0 || p.Reminders.MaxEscalations < 0 {
		add("reminders", Text{VI: "Các số ngày báo cáo cấp trên khi chậm không được âm", EN: "escalation settings must not be negative"})
	}
	for _, from := range sortedRoles(p.Reminders.EscalateTo) {
		to := p.Reminders.EscalateTo[from]
		switch {
		case from != "*" && !from.Valid():
			add("reminders.escalate_to", Text{VI: "«%s» không phải là vai trò (hoặc «*» cho mọi vai trò khác)", EN: "%q is not a role (or \"*\" for any other)"}, string(from))
		case !to.Valid():
			add("reminders.escalate_to."+string(from), Text{VI: "«%s» không phải là vai trò", EN: "%q is not a role"}, string(to))
		case to == from:
			add("reminders.escalate_to."+string(from), Text{VI: "Việc chậm của %s phải được báo cho cấp trên, không phải cho chính vai trò đó", EN: "an escalation about a task of %s must go to someone above it"}, from)
		}
	}
	probs = append(probs, p.validateExtensions()...)
	probs = append(probs, p.validateProvince()...)
	probs = append(probs, p.validateDates()...)
	return Invalid("policy "+p.ID, probs)
}

// Due returns the due date of a task of kind k in year y.
func (c Calendar) Due(k TaskKind, y int) Date {
	switch k {
	case TaskSubmitProposal:
		return c.ProposalsDue.In(y)
	case TaskConsolidate:
		return c.ConsolidationDue.In(y)
	case TaskAppraise:
		return c.AppraisalDue.In(y)
	default:
		return c.DecisionDue.In(y)
	}
}

// Alert is one scheduled notification for a task.
type Alert struct {
	At   time.Time
	Kind NotificationKind
	Seq  int
}

// Schedule returns the notifications due for a task with the given due
// date, in time order: reminders at 08:00 the configured days before, the
// overdue notice when the due date ends, escalations from the grace period
// on. Alerts before now are dropped, except that a task opened after its due
// date gets its overdue notice at once.
func (r Reminders) Schedule(due Date, now time.Time) []Alert {
	var out []Alert
	for i, d := range r.DaysBefore {
		at := due.AddDays(-d).At(8)
		if at.After(now) {
			out = append(out, Alert{At: at, Kind: NotifyReminder, Seq: i + 1})
		}
	}
	overdue := due.End()
	if overdue.Before(now) {
		overdue = now
	}
	out = append(out, Alert{At: overdue, Kind: NotifyOverdue, Seq: 1})
	for n := 0; n < r.MaxEscalations; n++ {
		at := due.AddDays(r.EscalateAfterDays + n*r.RepeatEveryDays).At(8)
		if n > 0 && r.RepeatEveryDays == 0 {
			break
		}
		if at.After(now) && at.After(overdue) {
			out = append(out, Alert{At: at, Kind: NotifyEscalation, Seq: n + 1})
		}
	}
	sortAlerts(out)
	return out
}

// sortedRoles are a map's roles in order (a workflow validates policies:
// no map iteration there).
func sortedRoles(m map[Role]Role) []Role {
	//workflowcheck:ignore
	return slices.Sorted(maps.Keys(m)) // sorted: the same order on every replay
}

func sortAlerts(a []Alert) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j].At.Before(a[j-1].At); j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}
