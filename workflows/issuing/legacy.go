package issuing

import (
	"context"
	"time"

	"chuyenhoa/cycle"
)

// Before the pipeline was split into steps (Steps), each process issued
// its documents with one activity. Histories recorded then replay on
// these names; a worker of this version still runs them, so that an issue
// activity scheduled by the previous version during a rolling deploy
// completes. Their inputs are the JSON the previous version sent; each
// runs the same steps as Issue, in one activity.

// LegacyApprovalInput is the input of IssueDocument and IssueDecision.
type LegacyApprovalInput struct {
	DecisionID string                `json:"decision_id"`
	CycleID    string                `json:"cycle_id"`
	Province   string                `json:"province"`
	Document   cycle.DocumentContent `json:"document"`
	SignedBy   cycle.Actor           `json:"signed_by"`
	IssuedBy   cycle.Actor           `json:"issued_by"`
	At         time.Time             `json:"at"`
}

// LegacyTransformationInput is the input of TransformIssueDocument.
type LegacyTransformationInput struct {
	cycle.DocumentContent
	CycleID    string      `json:"cycle_id"`
	DecisionID string      `json:"decision_id"`
	Province   string      `json:"province"`
	SignedBy   cycle.Actor `json:"signed_by"`
	IssuedBy   cycle.Actor `json:"issued_by"`
	At         time.Time   `json:"at"`
}

// LegacyAwardInput is the input of AwardIssueDocument.
type LegacyAwardInput struct {
	cycle.DocumentContent
	RoundID    string       `json:"round_id"`
	DecisionID string       `json:"decision_id"`
	Province   string       `json:"province"`
	Awards     cycle.Awards `json:"awards"`
	SignedBy   cycle.Actor  `json:"signed_by"`
	IssuedBy   cycle.Actor  `json:"issued_by"`
	At         time.Time    `json:"at"`
}

// IssueDocument issues an approval decision in one activity (before Steps).
func (a *Activities) IssueDocument(ctx context.Context, in LegacyApprovalInput) (Issued, error) {
	c := in.Document
	c.Kind = cycle.DocApproval
	return a.issueAll(ctx, jobOf(in.DecisionID, in.CycleID, c, in.SignedBy, in.IssuedBy, in.At))
}

// IssueDecision issued the approval decision before signing existed.
func (a *Activities) IssueDecision(ctx context.Context, in LegacyApprovalInput) (Issued, error) {
	return a.IssueDocument(ctx, in)
}

// TransformIssueDocument issues a transformation year's document in one activity (before Steps).
func (a *Activities) TransformIssueDocument(ctx context.Context, in LegacyTransformationInput) (Issued, error) {
	return a.issueAll(ctx, jobOf(in.DecisionID, in.CycleID, in.DocumentContent, in.SignedBy, in.IssuedBy, in.At))
}

// AwardIssueDocument issues an award decision in one activity (before Steps).
func (a *Activities) AwardIssueDocument(ctx context.Context, in LegacyAwardInput) (Issued, error) {
	c := in.DocumentContent
	c.Kind, c.Form = cycle.DocAward, in.Awards.Form
	return a.issueAll(ctx, jobOf(in.DecisionID, in.RoundID, c, in.SignedBy, in.IssuedBy, in.At))
}

func jobOf(id, cycleID string, c cycle.DocumentContent, signedBy, issuedBy cycle.Actor, at time.Time) Job {
	return Job{
		Decision: cycle.Decision{ID: id, CycleID: cycleID, Kind: c.Kind, BodyKey: c.Issuer.BodyKey, Year: c.Date.Year, Date: c.Date,
			SignedBy: signedBy, IssuedBy: issuedBy, IssuedAt: at, Communes: c.Listed()},
		Suffix: cycle.DocumentSuffix(c.Kind, c.Issuer), Content: c,
	}
}

// issueAll runs Issue's steps in one activity.
func (a *Activities) issueAll(ctx context.Context, job Job) (Issued, error) {
	n, err := a.NumberDocument(ctx, NumberInput{Decision: job.Decision, Suffix: job.Suffix})
	if err != nil {
		return Issued{}, err
	}
	rec := n.Archived
	if rec == nil {
		c := job.Content
		c.Number, c.Signed = n.Code, true
		r, err := a.RenderDocument(ctx, RenderInput{DocumentID: job.Decision.ID, Content: c})
		if err != nil {
			return Issued{}, err
		}
		s, err := a.SignDocument(ctx, SignInput{DocumentID: job.Decision.ID, Code: n.Code, Issuer: c.Issuer, SHA256: r.SHA256, Box: r.Signature, At: job.Decision.IssuedAt})
		if err != nil {
			return Issued{}, err
		}
		archived, err := a.ArchiveDocument(ctx, ArchiveInput{Decision: job.Decision, Record: archiveRecord(job.Decision, n, r, s)})
		if err != nil {
			return Issued{}, err
		}
		rec = &archived
	}
	plan := PlanInput{DocumentID: job.Decision.ID, Recipients: rec.Recipients, At: job.Decision.IssuedAt, Province: job.Content.Province}
	if job.Content.Cites != nil {
		plan.Named = job.Content.Distribution().Named
	}
	p, err := a.PlanDeliveries(ctx, plan)
	if err != nil {
		return Issued{}, err
	}
	return issued(job.Decision, n, *rec, p), nil
}
