package cycle

import (
	"fmt"
)

type problems []Problem

func (p *problems) add(field, rule string, t Text, args ...any) {
	*p = append(*p, withPlace(Bilingual(rule, t, args...), field, ""))
}

func (p *problems) required(field, value string) {
	if value == "" {
		p.add(field, "transformation."+field, Text{VI: "Thiếu %s trong bản ghi", EN: "required"}, recordFieldName(field))
	}
}

// recordFieldName names a record's field for officers.
func recordFieldName(field string) string {
	if n, ok := recordFields[field]; ok {
		return n
	}
	return "một thông tin bắt buộc"
}

var recordFields = map[string]string{
	"cycle_id":            "mã đợt chuyển hóa",
	"task_id":             "mã công việc",
	"province":            "mã tỉnh",
	"workflow_id":         "mã quy trình theo dõi của xã",
	"commune.commune":     "mã xã",
	"commune.workflow_id": "mã quy trình theo dõi của xã",
	"year":                "năm",
	"commune.year":        "năm chuyển hóa của xã",
}

func (p *problems) completion(cycleID, taskID, requestID string, a Actor) {
	p.required("cycle_id", cycleID)
	p.required("task_id", taskID)
	if requestID == "" {
		p.add("request_id", "transformation.request_id", Text{VI: "Thiếu mã yêu cầu: mã này giúp một lần gửi lại không bị ghi hai lần", EN: "required: it makes a retried call a no-op"})
	}
	if a.ID == "" {
		p.add("actor", "transformation.actor", Text{VI: "Chưa xác định cán bộ thực hiện", EN: "the officer is not identified"})
	}
}

func (p *problems) year(field string, y int) {
	if y < 1 {
		p.add(field, "transformation."+field, Text{VI: "Năm %d không hợp lệ", EN: "%d: want a year"}, y)
	}
}

// Check refuses, before anything is written, a record that cannot be
// stored faithfully (see TransformationStore); every problem is listed.
func (e Enrolment) Check() error {
	var p problems
	p.required("cycle_id", e.CycleID)
	p.required("province", e.Province)
	p.required("commune.commune", e.Commune.Commune)
	p.required("commune.workflow_id", e.Commune.WorkflowID)
	p.year("commune.year", e.Commune.Year)
	if n := e.Commune.YearNo; n != 1 && n != 2 {
		p.add("commune.year_no", "transformation.year_no", Text{VI: "Năm chuyển hóa thứ %d không hợp lệ: chỉ có năm thứ nhất hoặc năm thứ hai", EN: "%d: want 1 or 2"}, n)
	}
	return Invalid("enrolment", p)
}

// Check refuses, before anything is written, a record that cannot be
// stored faithfully (see TransformationStore); every problem is listed.
func (r ReportRecord) Check() error {
	var p problems
	p.completion(r.CycleID, r.TaskID, r.RequestID, r.Actor)
	p.required("workflow_id", r.WorkflowID)
	p.required("commune.commune", r.Commune.Commune)
	p.year("year", r.Year)
	switch r.Kind {
	case ReportHalfYear, ReportYearly, ReportFollowUp:
	default:
		p.add("kind", "transformation.kind", Text{VI: "Loại báo cáo «%s» không hợp lệ: chỉ có báo cáo 6 tháng, báo cáo năm hoặc báo cáo sau 6 tháng theo dõi", EN: "%q: want half_year, yearly or follow_up"}, string(r.Kind))
	}
	return Invalid("report", p)
}

// Check refuses, before anything is written, a record that cannot be
// stored faithfully (see TransformationStore); every problem is listed.
func (r ResultsRecord) Check() error {
	var p problems
	p.completion(r.CycleID, r.TaskID, r.RequestID, r.Actor)
	p.required("province", r.Province)
	p.year("year", r.Year)
	seen := map[string]bool{}
	for i, res := range r.Results {
		f := fmt.Sprintf("results[%d]", i)
		switch c := res.Commune.Commune; {
		case c == "":
			p.add(f+".commune", "transformation.commune", Text{VI: "Thiếu mã xã trong kết quả", EN: "required"})
		case seen[c]:
			p.add(f+".commune", "transformation.twice", Text{VI: "Xã %s có hai kết quả", EN: "%s has two results"}, c)
		default:
			seen[c] = true
		}
		if res.Outcome != OutcomePass && res.Outcome != OutcomeFail {
			p.add(f+".outcome", "transformation.outcome", Text{VI: "Kết quả «%s» không hợp lệ: chỉ có «Đạt» hoặc «Không đạt»", EN: "%q: want pass or fail"}, string(res.Outcome))
		}
	}
	return Invalid("results", p)
}

// Check refuses, before anything is written, a record that cannot be
// stored faithfully (see TransformationStore); every problem is listed.
func (s StandingChange) Check() error {
	var p problems
	p.required("workflow_id", s.WorkflowID)
	switch s.Standing {
	case StandingInProgramme, StandingFollowUp, StandingRecognised, StandingRelapsed,
		StandingSecondYear, StandingResponsibility:
	default:
		p.add("standing", "transformation.standing", Text{VI: "«%s» không phải là tình trạng chuyển hóa của xã", EN: "%q is not a standing"}, string(s.Standing))
	}
	switch s.FollowUp {
	case "":
	case FollowUpHeld, FollowUpRelapsed:
		p.year("year", s.Year)
	default:
		p.add("follow_up", "transformation.follow_up", Text{VI: "Kết quả theo dõi «%s» không hợp lệ: chỉ có giữ vững hoặc không giữ vững kết quả", EN: "%q: want held or relapsed"}, string(s.FollowUp))
	}
	return Invalid("standing", p)
}

// Check refuses, before anything is written, a record that cannot be
// stored faithfully (see TransformationStore); every problem is listed.
func (r ReviewRecord) Check() error {
	var p problems
	p.completion(r.CycleID, r.TaskID, r.RequestID, r.Actor)
	p.required("workflow_id", r.WorkflowID)
	p.required("commune.commune", r.Commune.Commune)
	p.year("year", r.Year)
	switch r.Kind {
	case ReviewFailure:
		if r.Failure == nil || r.Responsibility != nil {
			p.add("failure", "transformation.review", Text{VI: "Bản kiểm điểm nguyên nhân không đạt chỉ ghi nội dung kiểm điểm nguyên nhân", EN: "a failure review carries the failure review only"})
		}
	case ReviewResponsibility:
		if r.Responsibility == nil || r.Failure != nil {
			p.add("responsibility", "transformation.review", Text{VI: "Bản xem xét trách nhiệm chỉ ghi nội dung xem xét trách nhiệm", EN: "a responsibility review carries the responsibility review only"})
		}
	default:
		p.add("kind", "transformation.kind", Text{VI: "Loại xem xét «%s» không hợp lệ: chỉ có kiểm điểm nguyên nhân không đạt hoặc xem xét trách nhiệm", EN: "%q: want failure or responsibility"}, string(r.Kind))
	}
	return Invalid("review", p)
}
