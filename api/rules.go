package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/selection"
)

// TaskView is an open task as the inbox shows it.
type TaskView struct {
	cycle.Task
	Overdue  bool         `json:"overdue"`   // the due date has passed
	DaysLeft int          `json:"days_left"` // days until the due date (negative when overdue)
	Address  string       `json:"address"`   // the task's path under /api/tasks/ and /tasks/
	Process  string       `json:"process"`   // its cycle or award round, for people
	Claim    *cycle.Claim `json:"claim,omitempty"`
}

func (s *taskRules) taskViews(ctx context.Context, ts []cycle.Task) []TaskView {
	today := s.today()
	out := make([]TaskView, 0, len(ts))
	for _, t := range ts {
		v := TaskView{Task: t, Address: addressOfTask(t).Path(), Process: s.processName(ctx, t.CycleID)}
		if v.Title == "" {
			v.Title = t.Name()
		}
		if !t.Due.IsZero() {
			v.Overdue = t.Due.Before(today)
			v.DaysLeft = int(t.Due.Start().Sub(today.Start()).Round(24*time.Hour) / (24 * time.Hour))
		}
		out = append(out, v)
	}
	return out
}

// openTask finds a task by its address and checks that the account may
// see it: its own role and unit, a deputy's delegated signing, the
// secretariat and the administrator (who see every task but complete
// only their own).
func (s *taskRules) findTask(ctx context.Context, r *http.Request, p *principal) (cycle.Task, bool, error) {
	a, err := addressOf(r)
	if err != nil {
		return cycle.Task{}, false, err
	}
	t, open, err := s.cfg.Store.Task(ctx, a.CycleID(), a.TaskID)
	if err != nil {
		return cycle.Task{}, false, err
	}
	if !s.maySee(ctx, p, t) {
		// The task is returned with the refusal, for the audit trail; it
		// is not shown.
		return t, false, cycle.Fail(cycle.EFORBIDDEN, "api.task_not_yours", taskLabel(t))
	}
	return t, open, nil
}

// call prepares a completion: the task must be open and the account must
// be the one to complete it — its role and unit, not claimed by another
// officer, or a deputy whose delegation covers today.
func (s *taskRules) call(ctx context.Context, r *http.Request, p *principal, key string) (*taskCall, error) {
	t, open, err := s.findTask(ctx, r, p)
	c := &taskCall{p: p, r: r, task: t, key: key, actor: p.Account.Actor()}
	if err != nil {
		if cycle.ErrorCode(err) == cycle.EFORBIDDEN {
			return c, err // audited by the caller
		}
		return nil, err
	}
	if !open && !revisable(t) {
		// A retry of the request that completed the task goes on to the
		// workflow, which returns its first result; any other is refused.
		again, err := s.completedBy(ctx, t, p, key)
		if err != nil {
			return nil, err
		}
		if !again {
			return nil, cycle.Fail(cycle.ECONFLICT, "api.task_closed", taskLabel(t))
		}
	}
	if err := s.authorize(ctx, c); err != nil {
		return c, err
	}
	return c, nil
}

// completedBy reports whether the account completed the task with this
// request (Idempotency-Key), as the audit trail records it.
func (s *taskRules) completedBy(ctx context.Context, t cycle.Task, p *principal, key string) (bool, error) {
	if key == "" {
		return false, nil
	}
	hist, err := s.cfg.Store.TaskHistory(ctx, t.CycleID, t.ID)
	if err != nil {
		return false, err
	}
	for _, h := range hist {
		if h.ActorID == p.Account.ID && h.Action == "complete."+string(t.Kind) && h.Outcome == "ok" && h.RequestID == key {
			return true, nil
		}
	}
	return false, nil
}

// authorize checks that the account completes the task itself.
func (s *taskRules) authorize(ctx context.Context, c *taskCall) error {
	a, t := c.p.Account, c.task
	switch {
	case a.Role == cycle.RoleDeputy && t.Role == cycle.RoleSigner:
		d, head, err := s.delegationOf(ctx, a.ID)
		if err != nil {
			return err
		}
		c.actor.Role, c.actor.Title, c.actor.OnBehalfOf, c.actor.HeadTitle = cycle.RoleSigner, d.Title, head.ID, head.Title
	case a.Role != t.Role:
		return cycle.Fail(cycle.EFORBIDDEN, "api.wrong_role", taskLabel(t), roleLabel(t.Role), roleLabel(a.Role))
	case t.District != "" && a.District != t.District:
		return cycle.Fail(cycle.EFORBIDDEN, "api.wrong_unit", taskLabel(t), t.District, a.District)
	}
	claims, err := s.cfg.Store.Claims(ctx, t.CycleID)
	if err != nil {
		return err
	}
	for _, cl := range claims {
		if cl.TaskID == t.ID && cl.Account != a.ID {
			return cycle.Fail(cycle.ECONFLICT, "work.claimed", taskLabel(t), cl.Name+" ("+cl.Account+")", cl.At.In(cycle.Vietnam).Format("15:04 02/01/2006"))
		}
	}
	return nil
}

// delegationOf is the delegation in force today to a deputy, with the head
// it is from (EFORBIDDEN when none covers today).
func (s *taskRules) delegationOf(ctx context.Context, deputy string) (cycle.Delegation, cycle.Account, error) {
	ds, err := s.cfg.Store.Delegations(ctx, deputy)
	if err != nil {
		return cycle.Delegation{}, cycle.Account{}, err
	}
	today := s.today()
	for _, d := range ds {
		if d.To == deputy && d.Covers(today) {
			head, _, err := s.cfg.Store.AccountCredentials(ctx, d.From)
			if err != nil {
				return cycle.Delegation{}, cycle.Account{}, err
			}
			return d, head, nil
		}
	}
	return cycle.Delegation{}, cycle.Account{}, cycle.Fail(cycle.EFORBIDDEN, "api.no_delegation", today)
}

// complete sends a completion to the task's workflow and waits for the
// result; a refusal is audited, and so is the completion. If the
// completion cannot be audited the error says so, and the client retries
// with the same key: the workflow returns the first result and the audit
// is written then.
func (s *taskRules) complete(ctx context.Context, c *taskCall, k *taskKind, arg any) (json.RawMessage, error) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.UpdateTimeout)
	defer cancel()
	var res json.RawMessage
	err := flow.Call(ctx, s.cfg.Temporal, c.workflowID(), k.Update, c.request(), arg, &res)
	// A sign task's document is numbered and prepared for about a second
	// after the task opens: the request waits for it (up to
	// preparingWait) rather than be refused.
	for deadline := time.Now().Add(preparingWait); preparing(err) && time.Now().Before(deadline) && ctx.Err() == nil; {
		select {
		case <-ctx.Done():
		case <-time.After(250 * time.Millisecond):
		}
		err = flow.Call(ctx, s.cfg.Temporal, c.workflowID(), k.Update, c.request(), arg, &res)
	}
	if err != nil {
		// Problems the workflow found in a file are placed in the file.
		return nil, s.refuse(context.WithoutCancel(ctx), c, locate(c.origins, c.task.District, err))
	}
	s.logTask(c, "ok", nil)
	// The officer's draft is done with.
	_ = s.cfg.Store.DeleteDraft(context.WithoutCancel(ctx), c.task.CycleID, c.task.ID, c.p.Account.ID)
	detail := label(kindLabels, c.task.Kind)
	if k.summary != nil {
		detail += ": " + k.summary(res)
	}
	return res, s.audit(context.WithoutCancel(ctx), c.r, c.p, "complete."+string(c.task.Kind), c.object(), c.key, "ok", detail)
}

// preparing reports whether err is the refusal of a sign task whose
// document is still being prepared.
func preparing(err error) bool { return selection.Preparing(err) }

// refuse audits a refusal and returns err; internal errors and timeouts
// are logged but not audited as refusals (the request may still complete).
func (s *taskRules) refuse(ctx context.Context, c *taskCall, err error) error {
	ce := asError(err)
	if ce.Code == cycle.EINTERNAL || ce.Code == ETIMEOUT {
		s.logTask(c, ce.Code, err)
		return err
	}
	s.logTask(c, "refused: "+ce.Code, err)
	if aerr := s.audit(ctx, c.r, c.p, "refused", c.object(), c.key, ce.Code, refusalDetail(c.task.Kind, ce)); aerr != nil {
		return aerr
	}
	return err
}

// refusalDetail is what the audit trail and the task's history say of a
// refusal, in Vietnamese: the task's kind, the message, and the first
// problems with where they are (no field paths or rule codes).
func refusalDetail(k cycle.TaskKind, ce *cycle.Error) string {
	var b strings.Builder
	b.WriteString(label(kindLabels, k) + ": " + ce.In(cycle.Vietnamese))
	for i, p := range ce.Problems {
		if i == 5 {
			fmt.Fprintf(&b, "; và %d vấn đề khác", len(ce.Problems)-5)
			break
		}
		b.WriteString("; " + p.In(cycle.Vietnamese))
	}
	return b.String()
}

// logTask logs a completion's outcome for operators, with the keys the
// workflows and activities use (cycle, task).
func (s *taskRules) logTask(c *taskCall, outcome string, err error) {
	args := []any{"cycle", c.task.CycleID, "task", c.task.ID, "account", c.p.Account.ID, "request", c.request().RequestID, "outcome", outcome}
	if err != nil {
		args = append(args, "error", err)
	}
	s.cfg.Logger.Info("task completion", args...)
}

// proposalRequest checks that a proposal is of the task's unit and makes
// the update's argument of it.
func (s *taskRules) proposalRequest(c *taskCall, p cycle.Proposal) (any, error) {
	if p.Unit != c.task.District {
		return nil, cycle.Fail(cycle.EFORBIDDEN, "api.proposal_other_unit", p.Unit, c.task.District)
	}
	return selection.SubmitProposalRequest{Request: c.request(), Proposal: p}, nil
}

// TaskDetail is one task: where it stands, who holds it, what was saved
// and attached, what happened to it, and whether this account completes it.
type TaskDetail struct {
	Task        TaskView           `json:"task"`
	Open        bool               `json:"open"`
	Address     string             `json:"address"`             // the task's path under /api/tasks/
	Update      string             `json:"update"`              // the workflow update that completes it
	Mine        bool               `json:"mine"`                // this account completes it
	Revisable   bool               `json:"revisable,omitempty"` // completed, and a revision may still be sent (a proposal before its due date)
	Refusal     *cycle.Error       `json:"refusal,omitempty"`
	Claim       *cycle.Claim       `json:"claim,omitempty"`
	Draft       *cycle.Draft       `json:"draft,omitempty"`
	Attachments []cycle.Attachment `json:"attachments"`
	History     []HistoryLine      `json:"history"`
	// Data is what the task's form shows (its kind's data: the list to
	// sign, the commune's report needs, the nominations to review…).
	Data any `json:"data,omitempty"`
}

// HistoryLine is one thing that happened to a task, for people.
type HistoryLine struct {
	At      string `json:"at"` // "15:04 02/01/2006", Vietnam time
	Actor   string `json:"actor"`
	Action  string `json:"action"`
	Outcome string `json:"outcome"`
	Detail  string `json:"detail,omitempty"`
}

// detail gathers a task's detail.
func (s *taskRules) detail(ctx context.Context, r *http.Request, p *principal) (*TaskDetail, error) {
	t, open, err := s.findTask(ctx, r, p)
	if err != nil {
		return nil, err
	}
	k, ok := taskKinds[t.Kind]
	if !ok {
		return nil, cycle.Fail(cycle.ENOTFOUND, "api.no_kind", t.Kind)
	}
	views := s.taskViews(ctx, []cycle.Task{t})
	d := &TaskDetail{Task: views[0], Open: open, Address: addressOfTask(t).Path(), Update: k.Update}
	if open || revisable(t) {
		c := &taskCall{p: p, r: r, task: t, actor: p.Account.Actor()}
		if err := s.authorize(ctx, c); err != nil {
			d.Refusal = asError(err)
		} else {
			d.Mine = true
		}
	}
	claims, err := s.cfg.Store.Claims(ctx, t.CycleID)
	if err != nil {
		return nil, err
	}
	for i := range claims {
		if claims[i].TaskID == t.ID {
			d.Claim = &claims[i]
		}
	}
	if dr, err := s.cfg.Store.Draft(ctx, t.CycleID, t.ID, p.Account.ID); err == nil {
		d.Draft = &dr
	} else if cycle.ErrorCode(err) != cycle.ENOTFOUND {
		return nil, err
	}
	if d.Attachments, err = s.cfg.Store.Attachments(ctx, t.CycleID, t.ID); err != nil {
		return nil, err
	}
	if d.Attachments == nil {
		d.Attachments = []cycle.Attachment{}
	}
	hist, err := s.cfg.Store.TaskHistory(ctx, t.CycleID, t.ID)
	if err != nil {
		return nil, err
	}
	d.History = []HistoryLine{}
	for _, h := range hist {
		d.History = append(d.History, HistoryLine{At: h.At.In(cycle.Vietnam).Format("15:04 02/01/2006"), Actor: h.ActorID,
			Action: actionLabel(h.Action), Outcome: outcomeLabel(h.Outcome), Detail: h.Detail})
	}
	d.Revisable = !open && d.Mine
	if load, ok := formData[k.Form]; ok && (open || d.Revisable) {
		if d.Data, err = load(ctx, s.deps, t, p); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// claim gives the task to the account, if it is the one to complete it.
func (s *taskRules) claim(ctx context.Context, r *http.Request, p *principal) (cycle.Claim, error) {
	c, err := s.call(ctx, r, p, "claim")
	if err != nil {
		return cycle.Claim{}, err
	}
	cl := cycle.Claim{CycleID: c.task.CycleID, TaskID: c.task.ID, Account: p.Account.ID, Name: p.Account.Name, At: s.cfg.Now()}
	if err := s.cfg.Store.Claim(ctx, cl); err != nil {
		return cl, err
	}
	return cl, s.audit(ctx, r, p, "claim", c.object(), "", "ok", "")
}

func (s *taskRules) release(ctx context.Context, r *http.Request, p *principal) error {
	t, _, err := s.findTask(ctx, r, p)
	if err != nil {
		return err
	}
	if err := s.cfg.Store.Release(ctx, t.CycleID, t.ID, p.Account.ID); err != nil {
		return err
	}
	return s.audit(ctx, r, p, "release", taskObjectOf(t), "", "ok", "")
}
