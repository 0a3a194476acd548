package main

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/spf13/cobra"

	"chuyenhoa/api"
	"chuyenhoa/cycle"
)

// The inbox and one task: its detail with the form's data, claim and
// release, drafts, supporting files, and completing it with the JSON body
// its kind takes (the friendly commands per kind build that body).

// taskAddress normalises what an officer gives as a task's address: the
// address the inbox prints (cycle/51/2027/submit_proposal/522), or the
// web's or the API's URL of it.
func taskAddress(s string) (string, error) {
	s = strings.TrimSpace(s)
	if u, err := url.Parse(s); err == nil && u.Scheme != "" {
		s = u.Path
	}
	s = strings.Trim(s, "/")
	for _, p := range []string{"api/tasks/", "tasks/"} {
		s = strings.TrimPrefix(s, p)
	}
	parts := strings.Split(s, "/")
	if len(parts) < 4 || (parts[0] != "cycle" && parts[0] != "awards") {
		return "", cycle.Fail(eUsage, "cli.bad_address", s)
	}
	return s, nil
}

// kindForm is the form (and so the data) of each kind of task, as the API
// lays it out (api/formdata.go).
var kindForm = map[cycle.TaskKind]string{
	cycle.TaskSubmitProposal:       "proposal",
	cycle.TaskConsolidate:          "consolidate",
	cycle.TaskAppraise:             "list",
	cycle.TaskSign:                 "list",
	cycle.TaskIssue:                "list",
	cycle.TaskHalfYearReport:       "report",
	cycle.TaskYearlyReport:         "report",
	cycle.TaskFollowUpReport:       "report",
	cycle.TaskFailureReview:        "review",
	cycle.TaskResponsibilityReview: "review",
	cycle.TaskAppraiseResults:      "results",
	cycle.TaskSignResults:          "list",
	cycle.TaskIssueResults:         "list",
	cycle.TaskAppraiseRecognition:  "results",
	cycle.TaskSignRecognition:      "list",
	cycle.TaskIssueRecognition:     "list",
	cycle.TaskSignReview:           "list",
	cycle.TaskNominate:             "nominate",
	cycle.TaskAwardReview:          "award-review",
	cycle.TaskAwardSign:            "list",
	cycle.TaskAwardIssue:           "list",
}

// kindCommand is the friendly command that completes a kind of task.
var kindCommand = map[cycle.TaskKind]string{
	cycle.TaskSubmitProposal:       "starter proposal submit %s -f de-xuat.csv",
	cycle.TaskConsolidate:          "starter consolidate %s [--keep MÃ=lý-do] [--drop MÃ=lý-do]",
	cycle.TaskAppraise:             "starter appraise %s --approve | --return --reason \"…\"",
	cycle.TaskSign:                 "starter sign %s [--comment \"…\"]",
	cycle.TaskIssue:                "starter issue %s",
	cycle.TaskHalfYearReport:       "starter report submit %s --figure TÊN=SỐ … --baseline TÊN=SỐ …",
	cycle.TaskYearlyReport:         "starter report submit %s --figure TÊN=SỐ … --baseline TÊN=SỐ …",
	cycle.TaskFollowUpReport:       "starter report submit %s --figure TÊN=SỐ … --baseline TÊN=SỐ …",
	cycle.TaskFailureReview:        "starter review submit %s --causes \"…\" --remedies \"…\"",
	cycle.TaskResponsibilityReview: "starter review submit %s --responsible \"đơn vị|người|chức vụ|kết luận\" --emulation \"…\"",
	cycle.TaskAppraiseResults:      "starter results appraise %s [--pass MÃ=lý-do] [--fail MÃ=lý-do]",
	cycle.TaskSignResults:          "starter results sign %s",
	cycle.TaskIssueResults:         "starter results issue %s",
	cycle.TaskAppraiseRecognition:  "starter recognition appraise %s [--pass MÃ=lý-do] [--fail MÃ=lý-do]",
	cycle.TaskSignRecognition:      "starter recognition sign %s",
	cycle.TaskIssueRecognition:     "starter recognition issue %s",
	cycle.TaskSignReview:           "starter plan-report sign %s",
	cycle.TaskNominate:             "starter awards nominate %s -f de-nghi.json",
	cycle.TaskAwardReview:          "starter awards review %s --accept MÃ … [--reject MÃ=lý-do] --minutes \"…\"",
	cycle.TaskAwardSign:            "starter awards sign %s",
	cycle.TaskAwardIssue:           "starter awards issue %s",
}

// ---- the inbox -------------------------------------------------------------------

func (x *taskCommands) tasksCommand() *cobra.Command {
	var kind, cycleID, unit string
	var overdue, everyone bool
	cmd := &cobra.Command{
		Use:     "tasks",
		Aliases: []string{"inbox"},
		Short:   "Việc cần làm (your inbox: open tasks, earliest due first)",
		Long: `Việc cần làm của tài khoản đang đăng nhập, hạn sớm nhất trước, việc quá hạn được
đánh dấu; mỗi việc có địa chỉ để xem (starter task show ĐỊA-CHỈ) và hoàn thành.
Lọc theo loại việc (--kind, ví dụ submit_proposal, yearly_report), chu kỳ hoặc đợt
(--cycle cycle/51/2027), đơn vị (--unit) và chỉ việc quá hạn (--overdue).
Cơ quan Thường trực xem cả việc đang mở của mọi cán bộ để đôn đốc: --all.

The signed-in account's open tasks, with their due dates and addresses.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			q := url.Values{}
			if kind != "" {
				q.Set("kind", kind)
			}
			if cycleID != "" {
				q.Set("cycle", cycleID)
			}
			if unit != "" {
				q.Set("unit", unit)
			}
			if overdue {
				q.Set("overdue", "1")
			}
			if everyone {
				q.Set("all", "1")
			}
			var res api.TasksResponse
			raw, err := x.call(cmd.Context(), request{method: "GET", path: "/api/tasks", query: q}, &res)
			if err != nil {
				return err
			}
			if x.jsonOut {
				return x.raw(raw)
			}
			x.printInbox(res)
			return nil
		},
	}
	cmd.Flags().StringVar(&kind, "kind", "", "only tasks of this kind (submit_proposal, consolidate, yearly_report, …)")
	cmd.Flags().StringVar(&cycleID, "cycle", "", "only this cycle or award round (cycle/51/2027, awards/51/2027)")
	cmd.Flags().StringVar(&unit, "unit", "", "only tasks of this unit (district or commune code)")
	cmd.Flags().BoolVar(&overdue, "overdue", false, "only overdue tasks")
	cmd.Flags().BoolVar(&everyone, "all", false, "the secretariat: every officer's open tasks, to follow them up")
	return cmd
}

// printInbox prints the inbox: one block per task.
func (x *taskCommands) printInbox(res api.TasksResponse) {
	w := x.out
	late := 0
	for _, t := range res.Tasks {
		if t.Overdue {
			late++
		}
	}
	who := ""
	if x.sess != nil {
		who = x.sess.Account.ID
		if x.sess.Account.Name != "" {
			who += " (" + x.sess.Account.Name + ")"
		}
	}
	x.printf("cli.inbox_head", who, res.Today.Vietnamese(), len(res.Tasks), late)
	if len(res.Tasks) == 0 {
		x.printf("cli.inbox_empty")
		return
	}
	for i, t := range res.Tasks {
		fmt.Fprintf(w, "\n%d. %s\n", i+1, t.Title)
		fmt.Fprintf(w, "   %s\n", t.Process)
		fmt.Fprintf(w, "   %s · %s\n", upperFirst(x.dueText(t)), x.holderText(t.Claim))
		fmt.Fprintf(w, "   %s %s\n", cycle.Say(x.lang, "cli.address"), t.Address)
	}
	fmt.Fprintln(w)
	x.printf("cli.inbox_foot")
}

// dueText says a task's due date and how far it is.
func (x *taskCommands) dueText(t api.TaskView) string {
	if t.Due.IsZero() {
		return cycle.Say(x.lang, "cli.no_due")
	}
	switch {
	case t.Overdue:
		return cycle.Say(x.lang, "cli.due_overdue", t.Due.Vietnamese(), -t.DaysLeft)
	case t.DaysLeft == 0:
		return cycle.Say(x.lang, "cli.due_today", t.Due.Vietnamese())
	}
	return cycle.Say(x.lang, "cli.due_left", t.Due.Vietnamese(), t.DaysLeft)
}

func (x *taskCommands) holderText(c *cycle.Claim) string {
	if c == nil {
		return cycle.Say(x.lang, "cli.unclaimed")
	}
	name := c.Account
	if c.Name != "" {
		name = c.Name + " (" + c.Account + ")"
	}
	return cycle.Say(x.lang, "cli.claimed_by", name, timeVN(c.At))
}
