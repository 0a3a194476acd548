package activities

import (
	"context"
	"fmt"
	"time"
	"unicode"
	"unicode/utf8"

	"go.temporal.io/sdk/activity"

	"chuyenhoa/cycle"
	"chuyenhoa/templates"
)

// AwardStore is what the award round's activities record: the round as a
// cycle, its decision in the register, its nominations and review.
type AwardStore interface {
	OpenCycle(ctx context.Context, c cycle.CycleInfo) error
	SetPhase(ctx context.Context, cycleID string, phase cycle.Phase, at time.Time) error
	AssignNumber(ctx context.Context, d cycle.Decision) (int, error)
	SaveDecision(ctx context.Context, d cycle.Decision, pdf []byte) error
	RecordNominations(ctx context.Context, r cycle.NominationRecord) error
	RecordAwardReview(ctx context.Context, r cycle.AwardReviewRecord) error
}

// AwardRenderer renders award decisions; templates.AwardRenderer implements it.
type AwardRenderer interface {
	RenderAward(d templates.AwardData) ([]byte, error)
}

// AwardActivities are the activities of the AwardRound workflow. Their
// names start with "Award" so that they register beside Activities.
type AwardActivities struct {
	Store     AwardStore
	Docs      AwardRenderer
	OutputDir string // where PDFs are written, under <province>/<year>/
	// Pipeline issues the award decision like every decision: register,
	// signing, archive, distribution (the worker's Activities).
	Pipeline *Activities
}

// AwardOpenRound records the round's start.
func (a *AwardActivities) AwardOpenRound(ctx context.Context, c cycle.CycleInfo) error {
	return wrap("open award round "+c.ID, a.Store.OpenCycle(ctx, c))
}

// AwardSetPhase records the round's phase.
func (a *AwardActivities) AwardSetPhase(ctx context.Context, p PhaseChange) error {
	return wrap("set phase of award round "+p.CycleID, a.Store.SetPhase(ctx, p.CycleID, p.Phase, p.At))
}

// AwardRecordNominations stores a unit's nominations.
func (a *AwardActivities) AwardRecordNominations(ctx context.Context, r cycle.NominationRecord) error {
	activity.GetLogger(ctx).Info("nominations received", "cycle", r.RoundID, "district", r.Unit, "revision", r.Revision,
		"nominations", len(r.Nominations))
	return wrap("record nominations of "+r.Unit, a.Store.RecordNominations(ctx, r))
}

// AwardRecordReview stores the council's review.
func (a *AwardActivities) AwardRecordReview(ctx context.Context, r cycle.AwardReviewRecord) error {
	activity.GetLogger(ctx).Info("award review received", "cycle", r.RoundID)
	return wrap("record award review of "+r.RoundID, a.Store.RecordAwardReview(ctx, r))
}

// AwardIssueInput is what the clerk's issue of an award decision needs.
type AwardIssueInput struct {
	RoundID      string             `json:"round_id"`
	DecisionID   string             `json:"decision_id"` // stable: "<round>/award"
	Province     string             `json:"province"`
	ProvinceName string             `json:"province_name"`
	Year         int                `json:"year"` // the year the achievements are for
	Issuer       cycle.Issuer       `json:"issuer"`
	Awards       cycle.Awards       `json:"awards"`
	Recipients   []string           `json:"recipients,omitempty"`
	Awardees     []cycle.Nomination `json:"awardees"`
	Date         cycle.Date         `json:"date"` // the date on the document
	SignedBy     cycle.Actor        `json:"signed_by"`
	IssuedBy     cycle.Actor        `json:"issued_by"`
	At           time.Time          `json:"at"`
	Synthetic    bool               `json:"synthetic"`
}

// AwardDocumentRenderer renders the award decision with its layout, as the
// issue pipeline needs to sign it. Package docs implements it.
type AwardDocumentRenderer interface {
	RenderAwardDocument(d templates.AwardData) (Rendered, error)
}

// AwardIssueDocument issues the award decision through the same pipeline as
// the approval decision (see Activities.IssueDocument): the number from the
// issuing body's register, the PDF rendered with it, signed and sealed when
// keys are configured, archived, written, stored, and its deliveries
// planned. Retried, it keeps its number and its bytes.
func (a *AwardActivities) AwardIssueDocument(ctx context.Context, in AwardIssueInput) (IssuedDocument, error) {
	if a.Pipeline == nil {
		return IssuedDocument{}, fmt.Errorf("award activities: no issue pipeline configured")
	}
	dr, ok := a.Docs.(AwardDocumentRenderer)
	if !ok {
		return IssuedDocument{}, fmt.Errorf("award activities: the renderer cannot lay out award decisions for signing")
	}
	return a.Pipeline.issue(ctx, Issue{
		Decision: cycle.Decision{
			ID: in.DecisionID, CycleID: in.RoundID, Kind: "award", BodyKey: in.Issuer.BodyKey,
			Year: in.Date.Year, Date: in.Date, SignedBy: in.SignedBy, IssuedBy: in.IssuedBy, IssuedAt: in.At,
		},
		Issuer: in.Issuer, Suffix: in.Issuer.NumberSuffix, Province: in.Province, Year: in.Year,
		FileName: func(n int) string {
			return fmt.Sprintf("qd-%d-%s-khen-thuong-%d.pdf", n, slug(in.Issuer.NumberSuffix), in.Year)
		},
		Render: func(code string) (Rendered, error) { return dr.RenderAwardDocument(AwardData(in, code, true)) },
	})
}

// AwardData maps an issue input onto the template's data: collectives
// first, then individuals, each in the order nominated.
func AwardData(in AwardIssueInput, number string, signed bool) templates.AwardData {
	is := in.Issuer
	out := templates.AwardData{
		Issuer: TemplateIssuer(is),
		Number: number, Year: in.Year, ProvinceName: lowerFirstRune(in.ProvinceName), Form: in.Awards.Form,
		PlanRef: is.PlanRef, Recipients: in.Recipients, Signed: signed, Synthetic: in.Synthetic,
	}
	if !in.Date.IsZero() {
		out.Date = in.Date.At(12)
	}
	for _, kind := range []cycle.NomineeKind{cycle.NomineeCollective, cycle.NomineeIndividual} {
		for _, n := range in.Awardees {
			if n.Kind == kind {
				out.Awardees = append(out.Awardees, templates.Awardee{Name: n.Name, Position: n.Position, Achievements: n.Achievements, Collective: kind == cycle.NomineeCollective})
			}
		}
	}
	return out
}

// lowerFirstRune: "Tỉnh Bình Phước" reads "tỉnh Bình Phước" in a sentence.
func lowerFirstRune(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}
