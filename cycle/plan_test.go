package cycle

import (
	"strings"
	"testing"
	"time"
)

// Every date of a policy drives something: a period no report reads, a
// report due before its period ends, and award nominations without awards
// are refused when the policy is loaded, in Vietnamese.
func TestPolicyDatesAreUsed(t *testing.T) {
	base := DefaultPolicy()
	cases := []struct {
		name string
		edit func(p *Policy)
		want string
	}{
		{"unused period", func(p *Policy) {
			p.Periods = append(p.Periods, Period{Name: "review", From: YearDay{Month: time.November, Day: 16, YearOffset: -1}, To: YearDay{Month: time.November, Day: 15}})
		}, "Kỳ số liệu «review» không được dùng"},
		{"report due before its period ends", func(p *Policy) {
			p.Deadlines = append(p.Deadlines, Deadline{Kind: DeadlineYearlyReport, Name: "Báo cáo năm", Months: []int{11}, Day: 20, Before: true})
		}, "sớm hơn ngày kết thúc kỳ số liệu"},
		{"a period no policy names", func(p *Policy) {
			p.Deadlines = append(p.Deadlines, Deadline{Kind: DeadlineYearlyReport, Name: "Báo cáo năm", Months: []int{12}, Day: 20, Period: "nope"})
		}, "Không có kỳ số liệu «nope»"},
		{"award nominations without awards", func(p *Policy) {
			p.Deadlines = append(p.Deadlines, Deadline{Kind: DeadlineAwardNominations, Name: "Hồ sơ khen thưởng", Months: []int{11}, Day: 16})
		}, "không có phần khen thưởng"},
	}
	for _, c := range cases {
		p := base
		p.Deadlines, p.Periods = append([]Deadline(nil), base.Deadlines...), append([]Period(nil), base.Periods...)
		c.edit(&p)
		var texts []string
		for _, pr := range p.validateDates() {
			texts = append(texts, pr.Text)
		}
		if !strings.Contains(strings.Join(texts, "\n"), c.want) {
			t.Errorf("%s: problems %q, want one saying %q", c.name, texts, c.want)
		}
	}
	if probs := base.validateDates(); len(probs) != 0 {
		t.Errorf("the default policy: %v", probs)
	}
}

// A plan step's dates, in order, with the lead the task opens with.
func TestPlanDates(t *testing.T) {
	p := DefaultPolicy()
	p.Deadlines = []Deadline{
		{Kind: DeadlineRecognitionProposals, Name: "Đề nghị công nhận", Months: []int{10}, Day: 15, Before: true},
		{Kind: DeadlineQuarterlyReport, Name: "Báo cáo quý", Months: []int{3, 6, 9, 12}, Day: 15, Before: true},
		{Kind: DeadlineYearlyReport, Name: "Báo cáo năm", Months: []int{12}, Day: 20},
	}
	var got []string
	for _, d := range p.PlanDates(2027) {
		got = append(got, string(d.Deadline.Kind)+" "+d.Due.String())
	}
	want := "quarterly_report 2027-03-14,quarterly_report 2027-06-14,quarterly_report 2027-09-14,recognition_proposals 2027-10-14,quarterly_report 2027-12-14"
	if strings.Join(got, ",") != want {
		t.Errorf("got %s\nwant %s", strings.Join(got, ","), want)
	}
	rep := PlanReport{Content: "x"}
	if err := rep.Validate(PlanStep{Meeting: true}, D(2027, 3, 1), nil); err == nil || !strings.Contains(err.(*Error).Problems[0].Text, "ngày tổ chức") {
		t.Errorf("a meeting without its day: %v", err)
	}
}
