package cycle

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// The transformation year and what follows it (DOMAIN steps 6–8; seed 000
// §II.3, §II.5.b, §III.4): every approved commune reports at six months and
// at the year's end; the council appraises the year's results; a commune
// that passes is followed for six months after the review and then
// recognised, or recorded as relapsed; one that fails its first year is
// reviewed (kiểm điểm) and continues into a second year; one that fails its
// second year goes to a responsibility review.

// The task kinds of the transformation year.
const (
	TaskHalfYearReport       TaskKind = "half_year_report"      // the district reports a commune's first six months
	TaskYearlyReport         TaskKind = "yearly_report"         // … and its year
	TaskFollowUpReport       TaskKind = "follow_up_report"      // … and the six months after the review
	TaskFailureReview        TaskKind = "failure_review"        // kiểm điểm after a failed first year: causes and remedies
	TaskResponsibilityReview TaskKind = "responsibility_review" // after a failed second year: the units and people responsible
	TaskAppraiseResults      TaskKind = "appraise_results"      // the council appraises the year's results
	TaskSignResults          TaskKind = "sign_results"          // the head signs the conclusion
	TaskIssueResults         TaskKind = "issue_results"         // the clerk issues the continuation and responsibility notices and the summary
	TaskSignRecognition      TaskKind = "sign_recognition"      // the head signs the recognition decision
	TaskIssueRecognition     TaskKind = "issue_recognition"     // the clerk numbers and issues it
	// TaskSignReview: the head signs the provincial review report (báo
	// cáo sơ kết, 001 §III.2) with their own certificate, when the head
	// signs elsewhere; the head's completion issues it (a report has no
	// clerk's issue task).
	TaskSignReview TaskKind = "sign_review"
)

// The phases of a yearly cycle after its approval decision.
const (
	PhaseTransformation Phase = "transformation" // the communes' transformation year runs
	PhaseResults        Phase = "results"        // the year-end appraisal: council, head, clerk
	PhaseFollowUp       Phase = "follow_up"      // passed communes are followed; failed ones are in their second year
	PhaseClosed         Phase = "closed"         // every commune of the cohort has its final outcome
)

// ReportKind is a kind of transformation report.
type ReportKind string

// The report kinds.
const (
	ReportHalfYear ReportKind = "half_year" // 15/12 of Y−1 to 14/6 of Y
	ReportYearly   ReportKind = "yearly"    // 15/12 of Y−1 to 14/12 of Y
	ReportFollowUp ReportKind = "follow_up" // the six months after the review
)

// TaskKind is the task that carries a report of this kind.
func (k ReportKind) TaskKind() TaskKind {
	switch k {
	case ReportHalfYear:
		return TaskHalfYearReport
	case ReportYearly:
		return TaskYearlyReport
	default:
		return TaskFollowUpReport
	}
}

// Vietnamese names the report as officers do.
func (k ReportKind) Vietnamese() string {
	switch k {
	case ReportHalfYear:
		return "báo cáo 6 tháng"
	case ReportYearly:
		return "báo cáo năm"
	default:
		return "báo cáo theo dõi 6 tháng sau sơ kết"
	}
}

// TransformationReport is what a district reports for one commune: the
// figures of the period, the same figures for the baseline period they are
// compared with, and the average of the area the commune is compared with.
type TransformationReport struct {
	Figures  ReportFigures `json:"figures"`
	Baseline ReportFigures `json:"baseline"`
	Area     *AreaAverage  `json:"area_average,omitempty"`
	Note     string        `json:"note,omitempty"`
}

// Span is a statistics period, both days included.
type Span struct {
	From Date `json:"from"`
	To   Date `json:"to"`
}

// Vietnamese writes the span as "15/12/2026 – 14/12/2027".
func (s Span) Vietnamese() string { return s.From.Vietnamese() + " – " + s.To.Vietnamese() }

// period returns the policy's named period in year y, or the default.
func (p Policy) period(name string, y int, def Span) Span {
	for _, pr := range p.Periods {
		if pr.Name == name {
			return Span{From: pr.From.In(y), To: pr.To.In(y)}
		}
	}
	return def
}

// ReportPeriod is the statistics period of a half-year or yearly report of
// programme year y (000 §III.4: 15/12 of Y−1 to 14/6, and to 14/12).
func (p Policy) ReportPeriod(k ReportKind, y int) Span {
	from, to := p.Calendar.StatisticsFrom.In(y), p.Calendar.StatisticsTo.In(y)
	if k == ReportHalfYear {
		return p.period("half_year", y, Span{From: from, To: D(y, time.June, 14)})
	}
	if d, ok := p.yearlyDeadline(); ok && d.Period != "" {
		return p.period(d.Period, y, Span{From: from, To: to})
	}
	return p.period("yearly", y, Span{From: from, To: to})
}

// BaselinePeriod is what a report of programme year y is compared with:
// for the yearly and half-year reports, the same period one year before
// the commune's first year ("so với cùng kỳ trước khi tổ chức chuyển
// hóa"); for the follow-up, the six months just before the first year
// (000 §II.5.b: "mốc số liệu so sánh với 6 tháng liền kề trước năm tổ
// chức chuyển hóa").
func (p Policy) BaselinePeriod(k ReportKind, firstYear int) Span {
	if k == ReportFollowUp {
		from := p.Calendar.StatisticsFrom.In(firstYear)
		return p.period("recognition_baseline", firstYear, Span{From: DateOf(from.At(12).AddDate(0, -6, 0)), To: from.AddDays(-1)})
	}
	s := p.ReportPeriod(k, firstYear-1)
	return s
}

// FollowUpPeriod is the six months after the review (sơ kết) on day review.
func FollowUpPeriod(review Date) Span {
	return Span{From: review.AddDays(1), To: DateOf(review.At(12).AddDate(0, 6, 0))}
}

// ReportDue is the last day for a half-year or yearly report of year y:
// the policy's deadline when it sets one, else six days after the period
// ends (20/6 and 20/12).
func (p Policy) ReportDue(k ReportKind, y int) Date {
	d, ok := p.Deadline(DeadlineHalfYearReport)
	if k == ReportYearly {
		d, ok = p.yearlyDeadline()
	}
	if ok {
		ds := d.Dates(y)
		return ds[len(ds)-1]
	}
	return p.ReportPeriod(k, y).To.AddDays(6)
}

// The product's deadlines where the plans set none, in days.
const (
	FollowUpReportDays   = 10 // the follow-up report after the follow-up period ends
	ResultsAppraisalDays = 15 // the council's appraisal after the yearly reports are due
	SignDays             = 7  // the head's signature after the council (or the follow-ups)
	IssueDays            = 3  // the clerk's issue after the signature
	ReviewDays           = 15 // a failure or responsibility review after the results are issued
)

// ResultsDue is the last day of the council's year-end appraisal of
// programme year y.
func (p Policy) ResultsDue(y int) Date {
	return p.ReportDue(ReportYearly, y).AddDays(ResultsAppraisalDays)
}

// ReportNeeds lists what a report must carry for a commune of these types
// and kind under the policy: the figures its criteria read, the baseline
// figures they compare with, and whether the area's average is needed.
// Criteria judged by the council (assessed) need nothing from the report.
func ReportNeeds(pol Policy, types Types, kind CommuneKind) (figures, baseline []string, area bool) {
	if pol.Evaluation == nil {
		return nil, nil, false
	}
	r := CommuneReport{Types: types, Kind: kind}
	seenF, seenB := map[string]bool{}, map[string]bool{}
	addF := func(n string) {
		if n != "" && !seenF[n] {
			seenF[n] = true
			figures = append(figures, n)
		}
	}
	addB := func(n string) {
		if n != "" && !seenB[n] {
			seenB[n] = true
			baseline = append(baseline, n)
		}
	}
	for _, c := range append(append([]Criterion(nil), pol.Evaluation.Required...), pol.Evaluation.Criteria...) {
		if !c.applies(r) {
			continue
		}
		for _, ch := range c.Checks {
			switch ch.Rule {
			case RuleAssessed:
			case RuleReduced, RuleIncreased, RuleNotIncreased:
				addF(ch.Figure)
				addF(ch.Exclude)
				addB(ch.Figure)
				addB(ch.Exclude)
			case RuleAtMostAverage:
				addF(ch.Figure)
				addF(ch.Exclude)
				area = true
			default:
				addF(ch.Figure)
				addF(ch.Of)
			}
		}
	}
	sort.Strings(figures)
	sort.Strings(baseline)
	return figures, baseline, area
}

// ValidateReport checks a report for a commune before anything is stored:
// every figure the commune's criteria need, for the period and for the
// baseline; no negative count; no "of which" above its total; the area's
// average when a criterion compares with it. Every problem is listed.
func ValidateReport(pol Policy, types Types, kind CommuneKind, rep TransformationReport) error {
	figures, baseline, area := ReportNeeds(pol, types, kind)
	var probs []Problem
	add := func(field, msg string, args ...any) {
		p := NewProblem(msg, args...)
		p.Field = field
		if strings.HasPrefix(msg, "report.required") {
			p.Rule = "report.required"
		}
		probs = append(probs, p)
	}
	for _, n := range figures {
		if _, ok := rep.Figures.Figure(n); !ok {
			add("figures."+n, "report.required", types.String(), figureWord(n))
		}
	}
	for _, n := range baseline {
		if _, ok := rep.Baseline.Figure(n); !ok {
			add("baseline."+n, "report.required.baseline", figureWord(n))
		}
	}
	probs = append(probs, rep.Figures.Validate("figures")...)
	probs = append(probs, rep.Baseline.Validate("baseline")...)
	if area {
		// The average may be left out: the product computes it from the
		// statistics the secretariat holds (the report's activity).
		switch {
		case rep.Area == nil:
		case rep.Area.Communes < 1 || rep.Area.Crimes < 0:
			add("area_average", "report.area", rep.Area.Crimes, rep.Area.Communes)
		}
	}
	if n := len([]rune(rep.Note)); n > MaxNoteChars {
		add("note", "text.too_long", wordNote, Int(n), Int(MaxNoteChars))
	}
	if len(probs) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: Say(English, "report.invalid"), Text: Say(Vietnamese, "report.invalid"), Problems: probs}
}

func init() {
	defineMessages(map[string]Text{
		"report.invalid":            {VI: "Báo cáo chưa hợp lệ", EN: "report"},
		"report.required":           {VI: "Thiếu «%[2]s»: các tiêu chí của xã (loại %[1]s) cần số liệu này", EN: "required for this commune's criteria (types %[1]s) (%[2]s)"},
		"report.required.baseline":  {VI: "Thiếu «%[1]s» của kỳ so sánh: tiêu chí so sánh số liệu này với kỳ trước", EN: "required: the criterion compares it with the baseline period (%[1]s)"},
		"report.required.area":      {VI: "Thiếu số bình quân một xã của địa bàn: có tiêu chí so sánh xã với số bình quân này", EN: "required: a criterion compares the commune with its area's average per commune"},
		"results.unknown":           {VI: "Xã có mã %[1]s không thuộc danh sách thẩm định kết quả năm nay", EN: "%[1]s is not appraised this year"},
		"results.twice":             {VI: "%[1]s được quyết định kết quả hai lần", EN: "%[1]s is decided twice"},
		"results.outcome":           {VI: "Kết quả %[1]s của %[2]s không hợp lệ: chỉ ghi «Đạt» hoặc «Không đạt»", EN: "%[1]s: want pass or fail (%[2]s)"},
		"results.reason":            {VI: "%[1]s: Hội đồng %[2]s nên cần ghi lý do bằng văn bản, ít nhất %[3]d ký tự", EN: "%[1]s %[2]s: a written reason of at least %[3]d characters is required"},
		"results.undecided":         {VI: "%[1]s (%[2]s): %[3]s; Kế hoạch không quy định mức đạt nên Hội đồng phải quyết định «Đạt» hoặc «Không đạt»", EN: "%[1]s (%[2]s) is %[3]s: the plan sets no pass mark, so the council must decide pass or fail"},
		"review.causes":             {VI: "Cần nêu ít nhất một nguyên nhân không đạt", EN: "at least one cause is required"},
		"review.remedies":           {VI: "Cần nêu ít nhất một giải pháp khắc phục", EN: "at least one remedy is required"},
		"responsibility.units":      {VI: "Cần nêu ít nhất một đơn vị có liên quan đến trách nhiệm", EN: "name at least one unit concerned"},
		"responsibility.unit":       {VI: "Dòng %[1]d: chưa ghi tên đơn vị", EN: "required (entry %[1]d)"},
		"responsibility.conclusion": {VI: "Dòng %[1]d (%[2]s): chưa ghi kết luận xem xét trách nhiệm", EN: "required (entry %[1]d, %[2]s)"},
		"responsibility.emulation":  {VI: "Chưa ghi ảnh hưởng đến việc bình xét thi đua năm", EN: "required: the effect on the yearly emulation assessment"},
		"report.area":               {VI: "Số bình quân của địa bàn ghi %[1]d vụ trên %[2]d xã: số vụ phải ≥ 0 và số xã ≥ 1", EN: "%[1]d crimes over %[2]d communes: want crimes ≥ 0 and communes ≥ 1"},
	})
}

// CommuneInProgramme is one commune of a cohort, with where it stands.
type CommuneInProgramme struct {
	ListedCommune
	Kind       CommuneKind `json:"kind,omitempty"`
	FirstYear  int         `json:"first_year"` // the year it was first listed
	Year       int         `json:"year"`       // the programme year it is in
	YearNo     int         `json:"year_no"`    // 1 or 2
	WorkflowID string      `json:"workflow_id"`
}

// YearNoLabel is "năm thứ nhất" or "năm thứ hai".
func (c CommuneInProgramme) YearNoLabel() string {
	if c.YearNo == 2 {
		return "năm thứ hai"
	}
	return "năm thứ nhất"
}

// ResultDecision is the council's call on one commune's year: confirm the
// verdict, or override it with a written reason.
type ResultDecision struct {
	Commune string  `json:"commune"`
	Outcome Outcome `json:"outcome"` // pass or fail
	Reason  string  `json:"reason,omitempty"`
}

// ResultsAppraisal is the council's year-end appraisal (thẩm định kết quả
// chuyển hóa): a decision on any commune, the others keep their verdict.
type ResultsAppraisal struct {
	Decisions []ResultDecision `json:"decisions,omitempty"`
	Minutes   string           `json:"minutes,omitempty"`
}

// CommuneVerdict is a commune's evaluated yearly report (Reported false:
// no report arrived; the verdict then fails every criterion).
type CommuneVerdict struct {
	Commune  CommuneInProgramme `json:"commune"`
	Reported bool               `json:"reported"`
	Late     bool               `json:"late,omitempty"`
	Verdict  Verdict            `json:"verdict"`
}

// CommuneResult is a commune's year-end result after the council.
type CommuneResult struct {
	CommuneVerdict
	Outcome    Outcome `json:"outcome"` // pass or fail
	Overridden bool    `json:"overridden,omitempty"`
	Reason     string  `json:"reason,omitempty"`
}

// Standing is where a commune of the programme stands.
type Standing string

// The standings.
const (
	StandingInProgramme    Standing = "in_programme"          // its transformation year runs
	StandingFollowUp       Standing = "follow_up"             // passed; followed for six months after the review
	StandingRecognised     Standing = "recognised"            // recognised as transformed: it leaves the list
	StandingRelapsed       Standing = "relapsed"              // no longer met the criteria at the follow-up: a candidate again
	StandingSecondYear     Standing = "second_year"           // failed its first year: continues into a second
	StandingResponsibility Standing = "responsibility_review" // failed its second year
)

// FollowUpResult is how a followed commune came out of its follow-up.
type FollowUpResult string

// The follow-up results.
const (
	FollowUpHeld     FollowUpResult = "held"     // still meets the criteria
	FollowUpRelapsed FollowUpResult = "relapsed" // no longer does
)

// OutcomeRow is one commune's result for one programme year, as the store
// keeps it for the province's indicators.
type OutcomeRow struct {
	Commune  string         `json:"commune"`
	Name     string         `json:"name"`
	Year     int            `json:"year"`    // the programme year appraised
	YearNo   int            `json:"year_no"` // 1 or 2
	Outcome  Outcome        `json:"outcome"` // the council's: pass or fail
	FollowUp FollowUpResult `json:"follow_up,omitempty"`
}

// KPI are a province's indicators for a year (000 §II.2: "hàng năm chuyển
// hóa đạt ít nhất 60% tổng số địa bàn được lựa chọn, trong đó ít nhất 85%
// các địa bàn đã chuyển hóa không phức tạp trở lại").
type KPI struct {
	Province string `json:"province"`
	Year     int    `json:"year"`
	// Selected is the communes appraised for the year (first and second
	// years); Transformed how many passed.
	Selected    int `json:"selected"`
	Transformed int `json:"transformed"`
	// FollowedUp is the transformed communes whose follow-up has ended;
	// Relapsed how many of them no longer met the criteria; Pending the
	// transformed communes still followed.
	FollowedUp int `json:"followed_up"`
	Relapsed   int `json:"relapsed"`
	Pending    int `json:"pending"`
	// The targets, in percent (from the policy's targets, else 60 and 85).
	TransformedTarget float64 `json:"transformed_target"`
	NotRelapsedTarget float64 `json:"not_relapsed_target"`
}

// TransformedShare is the share of the year's communes transformed, in percent.
func (k KPI) TransformedShare() float64 { return percentOf(k.Transformed, k.Selected) }

// NotRelapsedShare is the share of followed-up communes that held, in percent.
func (k KPI) NotRelapsedShare() float64 { return percentOf(k.FollowedUp-k.Relapsed, k.FollowedUp) }

// MeetsTransformed reports whether the transformed share reaches its target.
func (k KPI) MeetsTransformed() bool {
	return k.Selected > 0 && k.TransformedShare() >= k.TransformedTarget
}

// MeetsNotRelapsed reports whether the not-relapsed share reaches its
// target; nothing followed up yet is not a miss.
func (k KPI) MeetsNotRelapsed() bool {
	return k.FollowedUp == 0 || k.NotRelapsedShare() >= k.NotRelapsedTarget
}

func percentOf(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return 100 * float64(n) / float64(of)
}

// Targets returns the policy's transformed and not-relapsed targets in
// percent (targets "transformed" and "no_relapse"; else 60 and 85).
func (p Policy) KPITargets() (transformed, notRelapsed float64) {
	transformed, notRelapsed = 60, 85
	for _, t := range p.Targets {
		switch t.ID {
		case "transformed":
			transformed = t.Percent
		case "no_relapse":
			notRelapsed = t.Percent
		}
	}
	return transformed, notRelapsed
}

// ComputeKPI computes a province's indicators for a year from its outcome
// rows (rows of other years are ignored).
func ComputeKPI(pol Policy, province string, year int, rows []OutcomeRow) KPI {
	k := KPI{Province: province, Year: year}
	k.TransformedTarget, k.NotRelapsedTarget = pol.KPITargets()
	for _, r := range rows {
		if r.Year != year {
			continue
		}
		k.Selected++
		if r.Outcome != OutcomePass {
			continue
		}
		k.Transformed++
		if !k.countFollowUp(r.FollowUp) {
			k.Pending++
		}
	}
	return k
}

// countFollowUp counts a transformed commune whose following has given a
// result (held or relapsed); false while it is still followed.
func (k *KPI) countFollowUp(f FollowUpResult) bool {
	switch f {
	case FollowUpHeld:
		k.FollowedUp++
	case FollowUpRelapsed:
		k.FollowedUp++
		k.Relapsed++
	default:
		return false
	}
	return true
}

// ReviewKind is a kind of review after a failure.
type ReviewKind string

// The review kinds.
const (
	ReviewFailure        ReviewKind = "failure"        // kiểm điểm after the first year
	ReviewResponsibility ReviewKind = "responsibility" // after the second year
)

// FailureReview is the district's review of a failed first year (kiểm
// điểm): why it failed and what it will do in the second year.
type FailureReview struct {
	Causes   []string `json:"causes"`
	Remedies []string `json:"remedies"`
}

// Validate checks that causes and remedies are given.
func (r FailureReview) Validate() error {
	var probs []Problem
	if nonEmpty(r.Causes) == 0 {
		probs = append(probs, withPlace(NewProblem("review.causes"), "causes", ""))
	}
	if nonEmpty(r.Remedies) == 0 {
		probs = append(probs, withPlace(NewProblem("review.remedies"), "remedies", ""))
	}
	return Invalid("failure review", probs)
}

// Responsible is a unit or person whose responsibility is reviewed, with
// the conclusion (e.g. "kiểm điểm rút kinh nghiệm", "không xét thi đua").
type Responsible struct {
	Unit       string `json:"unit"`
	Person     string `json:"person,omitempty"`
	Position   string `json:"position,omitempty"`
	Conclusion string `json:"conclusion"`
}

// ResponsibilityReview is the review after a second failed year: who is
// responsible, and what counts in the yearly emulation assessment.
type ResponsibilityReview struct {
	Responsible []Responsible `json:"responsible"`
	// Emulation is the effect on the yearly emulation assessment (thi
	// đua), e.g. "không xét danh hiệu thi đua năm 2028".
	Emulation string `json:"emulation"`
}

// Validate checks that at least one unit is named, each with a conclusion,
// and the emulation effect is given.
func (r ResponsibilityReview) Validate() error {
	var probs []Problem
	if len(r.Responsible) == 0 {
		probs = append(probs, withPlace(NewProblem("responsibility.units"), "responsible", ""))
	}
	for i, x := range r.Responsible {
		if strings.TrimSpace(x.Unit) == "" {
			probs = append(probs, withPlace(NewProblem("responsibility.unit", i+1), fmt.Sprintf("responsible[%d].unit", i), ""))
		}
		if strings.TrimSpace(x.Conclusion) == "" {
			probs = append(probs, withPlace(NewProblem("responsibility.conclusion", i+1, x.Unit), fmt.Sprintf("responsible[%d].conclusion", i), ""))
		}
	}
	if strings.TrimSpace(r.Emulation) == "" {
		probs = append(probs, withPlace(NewProblem("responsibility.emulation"), "emulation", ""))
	}
	return Invalid("responsibility review", probs)
}

func nonEmpty(ss []string) int {
	n := 0
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			n++
		}
	}
	return n
}

// outcomeVI is an outcome as the council's minutes say it.
func outcomeVI(o Outcome) string {
	switch o {
	case OutcomePass:
		return "Đạt"
	case OutcomeFail:
		return "Không đạt"
	}
	return "Hội đồng quyết định"
}
