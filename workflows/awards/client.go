package awards

import (
	"context"
	"fmt"

	"go.temporal.io/sdk/client"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/flow"
)

// Client is how every caller starts an award round, sends its requests
// and reads its state.
type Client struct {
	T flow.Temporal
}

// Start starts a province's award round for a year and returns once its
// nomination tasks are open; a second start is ECONFLICT.
func (c Client) Start(ctx context.Context, in AwardRoundInput) (client.WorkflowRun, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	id := WorkflowID(in.Province, in.Year)
	return flow.StartOnce(ctx, c.T, id, fmt.Sprintf("the %d award round of province %s", in.Year, in.Province), AwardRound, in, func() bool {
		st, err := c.State(ctx, id)
		return err == nil && st.Phase != ""
	})
}

// State is a round's state (QueryAwardRound).
func (c Client) State(ctx context.Context, roundID string) (AwardRoundState, error) {
	return flow.Query[AwardRoundState](ctx, c.T, roundID, QueryAwardRound)
}

// Nominate sends (or replaces) a unit's nominations.
func (c Client) Nominate(ctx context.Context, roundID string, r NominateRequest) (NominateResult, error) {
	return flow.Update[NominateResult](ctx, c.T, roundID, UpdateNominate, r.Request, r)
}

// CloseNominations closes the nominations before their due date.
func (c Client) CloseNominations(ctx context.Context, roundID string, r flow.Request) (cycle.AwardPhase, error) {
	return flow.Update[cycle.AwardPhase](ctx, c.T, roundID, UpdateCloseNominations, r, r)
}

// Review records the council's review of the nominations.
func (c Client) Review(ctx context.Context, roundID string, r ReviewAwardsRequest) (ReviewAwardsResult, error) {
	return flow.Update[ReviewAwardsResult](ctx, c.T, roundID, UpdateReviewAwards, r.Request, r)
}

// Sign records the grantor's signature of the award decision (with the
// grantor's CMS when the decision is prepared for their own signature).
func (c Client) Sign(ctx context.Context, roundID string, r SignAwardsRequest) (cycle.Date, error) {
	return flow.Update[cycle.Date](ctx, c.T, roundID, UpdateSignAwards, r.Request, r)
}

// Issue has the clerk number and issue the award decision.
func (c Client) Issue(ctx context.Context, roundID string, r flow.Request) (cycle.Decision, error) {
	return flow.Update[cycle.Decision](ctx, c.T, roundID, UpdateIssueAwards, r, r)
}

// InputFor is a round's input under a policy with an award scheme, for a
// province whose units (its districts, its communes in a two-tier
// province) nominate; signerName, when given, names who signs the award
// decision for the scheme's issuer.
func InputFor(pol cycle.Policy, prov cycle.Province, year int, due cycle.Date, signerName string, by cycle.Actor, synthetic bool) (AwardRoundInput, error) {
	if pol.Awards == nil {
		return AwardRoundInput{}, cycle.Fail(cycle.EINVALID, "awards.no_scheme", pol.ID)
	}
	var is cycle.Issuer
	if pol.Awards.Issuer != nil {
		is = *pol.Awards.Issuer
	}
	if signerName != "" {
		is.SignerName = signerName
	}
	in := AwardRoundInput{Province: prov.Code, ProvinceName: prov.Name, Year: year, Policy: pol, Issuer: is, Due: due, StartedBy: by, Synthetic: synthetic}
	for _, u := range prov.Units() {
		in.Units = append(in.Units, AwardUnit{Code: u, Name: prov.UnitName(u)})
	}
	return in, nil
}
