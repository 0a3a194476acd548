package cycle

// Timeline is what a policy makes of a programme year: each step of the
// selection and the transformation year with its date, as the secretariat
// sees it before starting a cycle (and officers on the cycle's page). It
// is read from the same methods the workflows use, so that it shows the
// dates they will run on.

// Milestone is one step of a cycle and its date, said for people.
type Milestone struct {
	On     Date   `json:"on"`
	Until  Date   `json:"until,omitempty"` // a period's last day
	Step   string `json:"step"`            // in Vietnamese
	Clause string `json:"clause,omitempty"`
}

// Timeline is the programme year y under the policy, in date order.
func (p Policy) Timeline(y int) []Milestone {
	c := p.Calendar
	stats := Span{From: c.StatisticsFrom.In(y), To: c.StatisticsTo.In(y)}
	half, yearly := p.ReportPeriod(ReportHalfYear, y), p.ReportPeriod(ReportYearly, y)
	out := []Milestone{
		{On: c.ProposalsDue.In(y), Step: Say(Vietnamese, "timeline.proposals")},
		{On: c.ConsolidationDue.In(y), Step: Say(Vietnamese, "timeline.consolidation")},
		{On: c.AppraisalDue.In(y), Step: Say(Vietnamese, "timeline.appraisal")},
		{On: c.DecisionDue.In(y), Step: Say(Vietnamese, "timeline.decision")},
		{On: stats.From, Until: stats.To, Step: Say(Vietnamese, "timeline.statistics")},
		{On: half.From, Until: half.To, Step: Say(Vietnamese, "timeline.half_year_period")},
		{On: p.ReportDue(ReportHalfYear, y), Step: Say(Vietnamese, "timeline.half_year_due")},
		{On: yearly.From, Until: yearly.To, Step: Say(Vietnamese, "timeline.yearly_period")},
		{On: p.ReportDue(ReportYearly, y), Step: Say(Vietnamese, "timeline.yearly_due")},
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].On.Before(out[j-1].On); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func init() {
	defineMessages(map[string]Text{
		"timeline.proposals":        {VI: "Hạn các đơn vị gửi đề xuất địa bàn", EN: "proposals due"},
		"timeline.consolidation":    {VI: "Hạn Cơ quan Thường trực tổng hợp danh sách", EN: "consolidation due"},
		"timeline.appraisal":        {VI: "Hạn Hội đồng thẩm định danh sách", EN: "appraisal due"},
		"timeline.decision":         {VI: "Hạn ký, ban hành quyết định phê duyệt danh sách", EN: "approval decision due"},
		"timeline.statistics":       {VI: "Kỳ số liệu của năm chuyển hóa", EN: "the year's statistics period"},
		"timeline.half_year_period": {VI: "Kỳ số liệu báo cáo 6 tháng", EN: "half-year report period"},
		"timeline.half_year_due":    {VI: "Hạn gửi báo cáo 6 tháng", EN: "half-year report due"},
		"timeline.yearly_period":    {VI: "Kỳ số liệu báo cáo năm", EN: "yearly report period"},
		"timeline.yearly_due":       {VI: "Hạn gửi báo cáo năm", EN: "yearly report due"},
	})
}
