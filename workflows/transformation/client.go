package transformation

import (
	"context"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/flow"
)

// Client is how every caller sends the requests of the transformation
// years and reads a commune's state. A commune's reports and reviews go
// to its own workflow (Task.WorkflowID); the cohort's steps go to the
// yearly cycle's.
type Client struct {
	T flow.Temporal
}

// Commune is a commune's state (QueryCommune).
func (c Client) Commune(ctx context.Context, workflowID string) (CommuneState, error) {
	return flow.Query[CommuneState](ctx, c.T, workflowID, QueryCommune)
}

// SubmitReport sends a commune's half-year, yearly or follow-up report.
func (c Client) SubmitReport(ctx context.Context, workflowID string, r SubmitReportRequest) (SubmitReportResult, error) {
	return flow.Update[SubmitReportResult](ctx, c.T, workflowID, UpdateSubmitReport, r.Request, r)
}

// SubmitReview sends a commune's failure or responsibility review.
func (c Client) SubmitReview(ctx context.Context, workflowID string, r SubmitReviewRequest) (cycle.ReviewKind, error) {
	return flow.Update[cycle.ReviewKind](ctx, c.T, workflowID, UpdateSubmitReview, r.Request, r)
}

// AppraiseResults records the council's year-end appraisal.
func (c Client) AppraiseResults(ctx context.Context, cycleID string, r AppraiseResultsRequest) ([]cycle.CommuneResult, error) {
	return flow.Update[[]cycle.CommuneResult](ctx, c.T, cycleID, UpdateAppraiseResults, r.Request, r)
}

// AppraiseRecognition records the council's appraisal of a year's
// follow-ups, before the recognition decision.
func (c Client) AppraiseRecognition(ctx context.Context, cycleID string, r AppraiseResultsRequest) ([]cycle.CommuneResult, error) {
	return flow.Update[[]cycle.CommuneResult](ctx, c.T, cycleID, UpdateAppraiseRecognition, r.Request, r)
}

// SignResults records the head's signature of a year's results.
func (c Client) SignResults(ctx context.Context, cycleID string, r YearRequest) (SignResult, error) {
	return flow.Update[SignResult](ctx, c.T, cycleID, UpdateSignResults, r.Request, r)
}

// IssueResults has the clerk issue a year's notices and summary.
func (c Client) IssueResults(ctx context.Context, cycleID string, r YearRequest) ([]cycle.Decision, error) {
	return flow.Update[[]cycle.Decision](ctx, c.T, cycleID, UpdateIssueResults, r.Request, r)
}

// SignRecognition records the head's signature of a year's recognition.
func (c Client) SignRecognition(ctx context.Context, cycleID string, r YearRequest) (SignResult, error) {
	return flow.Update[SignResult](ctx, c.T, cycleID, UpdateSignRecognition, r.Request, r)
}

// IssueRecognition has the clerk issue a year's recognition decision.
func (c Client) IssueRecognition(ctx context.Context, cycleID string, r YearRequest) (cycle.Decision, error) {
	return flow.Update[cycle.Decision](ctx, c.T, cycleID, UpdateIssueRecognition, r.Request, r)
}

// SignReview records the head's own signature of a year's review report
// (báo cáo sơ kết) and issues it.
func (c Client) SignReview(ctx context.Context, cycleID string, r YearRequest) (SignResult, error) {
	return flow.Update[SignResult](ctx, c.T, cycleID, UpdateSignReview, r.Request, r)
}

// SubmitPlanReport sends a plan step's report (or a meeting's date and
// conclusions) to the cycle that opened it.
func (c Client) SubmitPlanReport(ctx context.Context, cycleID string, r SubmitPlanReportRequest) (PlanStepStatus, error) {
	return flow.Update[PlanStepStatus](ctx, c.T, cycleID, UpdateSubmitPlanReport, r.Request, r)
}
