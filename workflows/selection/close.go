package selection

import (
	"unicode/utf8"

	"go.temporal.io/sdk/workflow"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/flow"
)

// The secretariat closes the proposals before their due date: when every
// unit has submitted, or by its decision with a reason (seed 000 §II.4.a
// sets the date by which units propose; the secretariat may consolidate
// earlier once it has what it needs). Units that have not submitted are
// then refused, and their tasks close with the reason.

// UpdateCloseProposals is the secretariat's decision to close the
// proposals: CloseProposalsRequest → CloseProposalsResult. It completes
// no task of the inbox; the web and the API offer it as an action.
const UpdateCloseProposals = "close-proposals"

// MinCloseReason is the shortest reason for closing the proposals while
// some units have not submitted.
const MinCloseReason = 10

// CloseProposalsRequest closes the proposals; Reason is required while a
// unit has not submitted.
type CloseProposalsRequest struct {
	flow.Request
	Reason string `json:"reason,omitempty"`
}

// CloseProposalsResult says who had submitted when the proposals closed.
type CloseProposalsResult struct {
	Submitted []string `json:"submitted"` // units
	Missing   []string `json:"missing"`   // units that had not submitted
}

// Closure is the secretariat's closing of the proposals.
type Closure struct {
	By     cycle.Actor `json:"by"`
	On     cycle.Date  `json:"on"`
	Reason string      `json:"reason,omitempty"`
}

type closeProposalsUpdate struct{ *yearly }

func (w closeProposalsUpdate) validate(ctx workflow.Context, r CloseProposalsRequest) error {
	if w.s.Ledger.Done(UpdateCloseProposals, r.Request) {
		return nil
	}
	return flow.AppError(w.check(r))
}

func (w closeProposalsUpdate) check(r CloseProposalsRequest) error {
	if w.s.Phase == "" {
		return errStarting
	}
	if r.RequestID == "" {
		return cycle.Fail(cycle.EINVALID, "flow.request_id")
	}
	if r.Actor.Role != cycle.RoleSecretariat {
		return cycle.Fail(cycle.EFORBIDDEN, "selection.close_role", r.Actor.Role)
	}
	if w.s.Phase != cycle.PhaseProposals || w.s.ProposalsClosed != nil {
		return cycle.Fail(cycle.ECONFLICT, "selection.close_phase", w.s.Phase)
	}
	if !w.allSubmitted() && utf8.RuneCountInString(cycle.Clean(r.Reason)) < MinCloseReason {
		var missing []string
		for _, u := range w.s.Units {
			if !u.Submitted {
				missing = append(missing, u.Name)
			}
		}
		return cycle.Invalid("close proposals", []cycle.Problem{func() cycle.Problem {
			p := cycle.NewProblem("selection.close_reason", len(missing), MinCloseReason)
			p.Field = "reason"
			return p
		}()})
	}
	return nil
}

func (w closeProposalsUpdate) handle(ctx workflow.Context, r CloseProposalsRequest) (CloseProposalsResult, error) {
	ctx = flow.WithActivityOptions(ctx)
	if res, ok := flow.Recall[CloseProposalsResult](&w.s.Ledger, UpdateCloseProposals, r.Request); ok {
		return res, nil
	}
	if err := w.check(r); err != nil {
		return CloseProposalsResult{}, flow.AppError(err)
	}
	c := &Closure{By: r.Actor, On: w.now(ctx), Reason: cycle.Clean(r.Reason)}
	w.s.ProposalsClosed = c
	res := CloseProposalsResult{Submitted: []string{}, Missing: []string{}}
	for _, u := range w.s.Units {
		if u.Submitted {
			res.Submitted = append(res.Submitted, u.Unit)
		} else {
			res.Missing = append(res.Missing, u.Unit)
		}
	}
	w.s.Ledger.Record(UpdateCloseProposals, r.Request, res)
	w.event(ctx, r.Actor.ID, flow.Says("event.proposals_closed", len(res.Submitted), len(w.s.Units), c.Reason))
	for _, u := range res.Missing {
		reason := cycle.Say(cycle.Vietnamese, "selection.closed_task", c.On.Vietnamese(), c.Reason)
		if err := w.book.CloseWithReason(ctx, cycle.TaskID(cycle.TaskSubmitProposal, u), reason); err != nil {
			return CloseProposalsResult{}, err
		}
	}
	return res, nil
}
