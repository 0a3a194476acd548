package selection

import (
	"context"
	"fmt"
	"time"

	"go.temporal.io/sdk/client"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/flow"
)

// Client is how every caller (the API, the CLI, the demo, the tests)
// starts a yearly cycle, sends its officers' requests and reads its state.
type Client struct {
	T flow.Temporal
}

// Start starts a province's cycle for a year and returns once it has
// loaded its registry and opened its tasks; a second start of the same
// cycle is ECONFLICT, an invalid input EINVALID.
func (c Client) Start(ctx context.Context, in YearlyCycleInput) (client.WorkflowRun, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	id := WorkflowID(in.Province, in.Year)
	what := fmt.Sprintf("the %d cycle of province %s", in.Year, in.Province)
	return flow.StartOnce(ctx, c.T, id, what, YearlyCycle, in, func() bool {
		st, err := c.State(ctx, id)
		return err == nil && st.Phase != ""
	})
}

// State is a cycle's state (QueryState).
func (c Client) State(ctx context.Context, cycleID string) (CycleState, error) {
	return flow.Query[CycleState](ctx, c.T, cycleID, QueryState)
}

// Selection is the rules' verdicts on the proposals received so far.
func (c Client) Selection(ctx context.Context, cycleID string) (cycle.SelectionResult, error) {
	return flow.Query[cycle.SelectionResult](ctx, c.T, cycleID, QuerySelection)
}

// SubmitProposal submits (or revises) a unit's proposal.
func (c Client) SubmitProposal(ctx context.Context, cycleID string, r SubmitProposalRequest) (SubmitProposalResult, error) {
	return flow.Update[SubmitProposalResult](ctx, c.T, cycleID, UpdateSubmitProposal, r.Request, r)
}

// Consolidate records the secretariat's consolidation.
func (c Client) Consolidate(ctx context.Context, cycleID string, r ConsolidateRequest) (ConsolidateResult, error) {
	return flow.Update[ConsolidateResult](ctx, c.T, cycleID, UpdateConsolidate, r.Request, r)
}

// Appraise records the council's conclusion on the draft list.
func (c Client) Appraise(ctx context.Context, cycleID string, r AppraiseRequest) (AppraiseResult, error) {
	return flow.Update[AppraiseResult](ctx, c.T, cycleID, UpdateAppraise, r.Request, r)
}

// Sign records the head's signature of the approval decision.
//
// A request that comes while the decision is still being drafted and
// prepared for the head (about a second after the task opens) is sent
// again, for up to PrepareWait.
func (c Client) Sign(ctx context.Context, cycleID string, r SignRequest) (SignResult, error) {
	deadline := time.Now().Add(PrepareWait)
	for {
		res, err := flow.Update[SignResult](ctx, c.T, cycleID, UpdateSign, r.Request, r)
		if !Preparing(err) || time.Now().After(deadline) {
			return res, err
		}
		select {
		case <-ctx.Done():
			return res, err
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// PrepareWait is how long Client.Sign waits for a decision being prepared.
const PrepareWait = 10 * time.Second

// Preparing reports whether err is the refusal of a signature sent while
// the decision is still being drafted and prepared for the head.
func Preparing(err error) bool {
	ce := flow.AsCycleError(err)
	return ce != nil && ce.Code == cycle.ECONFLICT && ce.Message == cycle.Say(cycle.English, "selection.preparing_signature")
}

// Issue has the clerk number and issue the signed decision.
func (c Client) Issue(ctx context.Context, cycleID string, r IssueRequest) (cycle.Decision, error) {
	return flow.Update[cycle.Decision](ctx, c.T, cycleID, UpdateIssue, r.Request, r)
}
