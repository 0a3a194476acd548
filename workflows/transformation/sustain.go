package transformation

import (
	"fmt"

	"go.temporal.io/sdk/workflow"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/flow"
)

// followedAfterRecognition is the change from which a recognised commune
// is still followed, under a policy that says for how long
// (cycle.Process.FollowedYears), before its workflow ends.
const followedAfterRecognition = "followed-after-recognition"

// sustained follows a recognised commune for the policy's FollowedYears
// statistics years (000 §I.3: "ít nhất 85% các địa bàn đã chuyển hóa không
// phức tạp trở lại"): each year its district sends a yearly report,
// compared with the period before its programme, when the period ends.
// A report that fails the criteria records the relapse, with the day it
// was received, and the following stops; a scored verdict (no pass mark)
// gives no ground for one.
func (c *communeRun) sustained(ctx workflow.Context) error {
	n := c.in.Policy.FollowedYears()
	if n == 0 || !c.in.Born.Has(ctx, followedAfterRecognition) {
		return nil
	}
	year := c.in.Commune.Year
	for y := year + 1; y <= year+n; y++ {
		p := c.in.Policy.ReportPeriod(cycle.ReportYearly, y)
		rs := &ReportStatus{Kind: cycle.ReportYearly, Year: y, Period: p, Due: c.in.Policy.ReportDue(cycle.ReportYearly, y), Sustained: true}
		c.s.Reports = append(c.s.Reports, rs)
		if _, err := c.in.Clock.AwaitUntil(ctx, p.To.Start(), func() bool { return false }); err != nil {
			return err
		}
		c.book.Open(ctx, cycle.Task{
			ID: c.taskID(cycle.TaskYearlyReport, y), Kind: cycle.TaskYearlyReport, Role: cycle.RoleDistrictOfficer, District: c.in.Unit,
			Title: fmt.Sprintf("Gửi báo cáo năm %d theo dõi duy trì kết quả (%s) — %s, %s, đã được công nhận chuyển hóa đạt theo Quyết định số %s",
				y, p.Vietnamese(), c.in.Commune.Name, c.in.UnitName, c.s.Recognised.Decision),
			Due: rs.Due, WorkflowID: c.id,
		})
		if err := workflow.Await(ctx, func() bool { return rs.Submitted }); err != nil {
			return err
		}
		if rs.Verdict.Outcome == cycle.OutcomeFail {
			c.event(ctx, "", flow.Says("event.relapsed_after", y, rs.Verdict.Met, rs.Verdict.Counted))
			return c.setStanding(ctx, cycle.StandingRelapsed, cycle.FollowUpRelapsed, year, "",
				fmt.Sprintf("relapsed after its recognition (%s): the yearly report of %d, received on %s, fails the criteria", c.s.Recognised.Decision, y, rs.On.Vietnamese()))
		}
		c.event(ctx, "", flow.Says("event.sustained", y, rs.Verdict.Met, rs.Verdict.Counted))
	}
	return nil
}
