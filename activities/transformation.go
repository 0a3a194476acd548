package activities

import (
	"context"
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/activity"

	"chuyenhoa/cycle"
	"chuyenhoa/templates"
)

// TransformationStore is what the activities of the transformation year
// record (see cycle.TransformationStore).
type TransformationStore = cycle.TransformationStore

// TransformationRenderer renders the transformation year's documents with
// their layout, for signing. Package docs implements it.
type TransformationRenderer interface {
	RenderRecognition(d templates.RecognitionData) (Rendered, error)
	RenderContinuation(d templates.ContinuationData) (Rendered, error)
	RenderResponsibility(d templates.ResponsibilityData) (Rendered, error)
	RenderSummary(d templates.SummaryData) (Rendered, error)
}

// TransformActivities are the activities of the transformation year. Their
// names start with "Transform" so that they register beside Activities.
type TransformActivities struct {
	Store TransformationStore
	Docs  TransformationRenderer
	// Pipeline issues the documents like every decision: register,
	// signing, archive, distribution (the worker's Activities).
	Pipeline *Activities
}

// TransformEnrol records a commune's programme year.
func (a *TransformActivities) TransformEnrol(ctx context.Context, e cycle.Enrolment) error {
	activity.GetLogger(ctx).Info("commune enrolled", "cycle", e.CycleID, "province", e.Province, "commune", e.Commune.Commune,
		"year", e.Commune.Year, "year_no", e.Commune.YearNo)
	return wrap("enrol "+e.Commune.Commune, a.Store.Enrol(ctx, e))
}

// ReportInput is a report to evaluate and store.
type ReportInput struct {
	cycle.ReportRecord
	Policy cycle.Policy `json:"policy"`
}

// TransformSubmitReport validates a report against the policy, evaluates
// the commune on it (cycle.Evaluate: a reason and the figures for every
// criterion) and stores both; it returns the verdict. A report the policy
// refuses is EINVALID and stores nothing.
func (a *TransformActivities) TransformSubmitReport(ctx context.Context, in ReportInput) (cycle.Verdict, error) {
	r := in.ReportRecord
	if err := cycle.ValidateReport(in.Policy, r.Commune.Types, r.Commune.Kind, r.Report); err != nil {
		return cycle.Verdict{}, wrap("report of "+r.Commune.Name, err)
	}
	v, err := EvaluateReport(in.Policy, r.Commune, r.Report)
	if err != nil {
		return cycle.Verdict{}, wrap("evaluate "+r.Commune.Name, err)
	}
	r.Verdict = v
	if err := a.Store.SaveReport(ctx, r); err != nil {
		return cycle.Verdict{}, wrap("save report of "+r.Commune.Name, err)
	}
	activity.GetLogger(ctx).Info("report evaluated", "cycle", r.CycleID, "commune", r.Commune.Commune, "task", r.TaskID,
		"report", r.Kind, "year", r.Year, "late", r.Late, "outcome", v.Outcome, "met", v.Met, "counted", v.Counted)
	return v, nil
}

// EvaluateReport evaluates a commune on a report under the policy. A
// policy that sets no evaluation method yields a "scored" verdict: the
// council decides.
func EvaluateReport(pol cycle.Policy, c cycle.CommuneInProgramme, rep cycle.TransformationReport) (cycle.Verdict, error) {
	if pol.Evaluation == nil {
		return cycle.Verdict{Commune: c.Commune, Name: c.Name, Types: c.Types, Policy: pol.ID, Outcome: cycle.OutcomeScored,
			Summary: "policy " + pol.ID + " sets no evaluation method: the council decides"}, nil
	}
	return cycle.Evaluate(pol, cycle.CommuneReport{
		Commune: c.Commune, Name: c.Name, Kind: c.Kind, Types: c.Types,
		Figures: rep.Figures, Baseline: rep.Baseline, Area: rep.Area,
	})
}

// TransformSaveResults stores the council's year-end appraisal.
func (a *TransformActivities) TransformSaveResults(ctx context.Context, r cycle.ResultsRecord) error {
	activity.GetLogger(ctx).Info("year-end results", "cycle", r.CycleID, "province", r.Province, "task", r.TaskID,
		"year", r.Year, "communes", len(r.Results), "late", r.Late)
	return wrap(fmt.Sprintf("save results of %s for %d", r.CycleID, r.Year), a.Store.SaveResults(ctx, r))
}

// TransformSetStanding records a commune's new standing.
func (a *TransformActivities) TransformSetStanding(ctx context.Context, s cycle.StandingChange) error {
	activity.GetLogger(ctx).Info("commune standing", "cycle", s.CycleID, "province", s.Province, "commune", s.Commune,
		"standing", s.Standing, "year", s.Year, "document", s.Decision)
	return wrap(fmt.Sprintf("set standing of %s to %s", s.Commune, s.Standing), a.Store.SetStanding(ctx, s))
}

// TransformSaveReview stores a failure or responsibility review.
func (a *TransformActivities) TransformSaveReview(ctx context.Context, r cycle.ReviewRecord) error {
	activity.GetLogger(ctx).Info("review received", "cycle", r.CycleID, "commune", r.Commune.Commune, "task", r.TaskID,
		"review", r.Kind, "year", r.Year, "late", r.Late)
	return wrap(fmt.Sprintf("save %s review of %s", r.Kind, r.Commune.Name), a.Store.SaveReview(ctx, r))
}

// KPIInput asks for a province's indicators for a year.
type KPIInput struct {
	Province string       `json:"province"`
	Year     int          `json:"year"`
	Policy   cycle.Policy `json:"policy"` // for its targets
}

// TransformKPI computes a province's indicators for a year from the store.
func (a *TransformActivities) TransformKPI(ctx context.Context, in KPIInput) (cycle.KPI, error) {
	rows, err := a.Store.Outcomes(ctx, in.Province)
	if err != nil {
		return cycle.KPI{}, wrap("outcomes of "+in.Province, err)
	}
	return cycle.ComputeKPI(in.Policy, in.Province, in.Year, rows), nil
}

// ExtensionsInput asks for a province's second-year communes of a year.
type ExtensionsInput struct {
	Province string `json:"province"`
	Year     int    `json:"year"`
}

// TransformExtensions returns the communes continuing into their second
// year in the given year, for that year's approval decision.
func (a *TransformActivities) TransformExtensions(ctx context.Context, in ExtensionsInput) ([]cycle.ListedCommune, error) {
	out, err := a.Store.Extensions(ctx, in.Province, in.Year)
	return out, wrap(fmt.Sprintf("extensions of %s in %d", in.Province, in.Year), err)
}

// The kinds of the transformation year's documents.
const (
	DocRecognition    = "recognition"    // Quyết định công nhận địa bàn chuyển hóa đạt
	DocContinuation   = "continuation"   // Thông báo tiếp tục chuyển hóa năm thứ hai
	DocResponsibility = "responsibility" // Thông báo kiểm điểm trách nhiệm
	DocSummary        = "summary"        // Báo cáo kết quả chuyển hóa năm
)

// DocCommune is a commune in a document's table, with its last column.
type DocCommune struct {
	cycle.ListedCommune
	Note string `json:"note,omitempty"`
}

// TransformIssueInput is one document of the transformation year to issue.
type TransformIssueInput struct {
	CycleID      string       `json:"cycle_id"`
	DecisionID   string       `json:"decision_id"` // stable, e.g. "cycle/51/2027/recognition/2027"
	Kind         string       `json:"kind"`        // DocRecognition …
	Province     string       `json:"province"`
	ProvinceName string       `json:"province_name"` // "Tỉnh Quảng Ngãi"
	Year         int          `json:"year"`          // the programme year concerned
	FirstYear    int          `json:"first_year,omitempty"`
	Issuer       cycle.Issuer `json:"issuer"`
	Date         cycle.Date   `json:"date"`
	SignedBy     cycle.Actor  `json:"signed_by"`
	IssuedBy     cycle.Actor  `json:"issued_by"`
	At           time.Time    `json:"at"`
	Synthetic    bool         `json:"synthetic"`
	Communes     []DocCommune `json:"communes,omitempty"`
	// ApprovalRef names the decision that listed the communes (recognition).
	ApprovalRef string `json:"approval_ref,omitempty"`
	// AppraisalRef names the year-end appraisal (continuation).
	AppraisalRef string `json:"appraisal_ref,omitempty"`
	// Due is the follow-up's end (recognition) or the review's due date
	// (continuation, responsibility).
	Due cycle.Date `json:"due,omitempty"`
	// KPI is the province's indicators (summary).
	KPI *cycle.KPI `json:"kpi,omitempty"`
}

// TransformIssueDocument issues a document of the transformation year
// through the same pipeline as the approval decision: numbered in the
// issuing body's register, rendered with its number, signed and sealed,
// archived, written, stored, its deliveries planned. Retried, it keeps its
// number and its bytes.
func (a *TransformActivities) TransformIssueDocument(ctx context.Context, in TransformIssueInput) (IssuedDocument, error) {
	if a.Pipeline == nil || a.Docs == nil {
		return IssuedDocument{}, fmt.Errorf("transformation activities: no issue pipeline or renderer configured")
	}
	suffix, slugName := in.Issuer.NumberSuffix, ""
	switch in.Kind {
	case DocRecognition:
		slugName = "cong-nhan"
	case DocContinuation:
		suffix, slugName = noticeSuffix(in.Issuer.NumberSuffix, "TB"), "tiep-tuc-nam-thu-hai"
	case DocResponsibility:
		suffix, slugName = noticeSuffix(in.Issuer.NumberSuffix, "TB"), "kiem-diem-trach-nhiem"
	case DocSummary:
		suffix, slugName = noticeSuffix(in.Issuer.NumberSuffix, "BC"), "bao-cao-ket-qua"
	default:
		return IssuedDocument{}, nonRetryable("issue", fmt.Errorf("unknown document kind %q", in.Kind))
	}
	var list []cycle.ListedCommune
	for _, c := range in.Communes {
		list = append(list, c.ListedCommune)
	}
	return a.Pipeline.issue(ctx, Issue{
		Decision: cycle.Decision{
			ID: in.DecisionID, CycleID: in.CycleID, Kind: in.Kind, BodyKey: in.Issuer.BodyKey,
			Year: in.Date.Year, Date: in.Date, SignedBy: in.SignedBy, IssuedBy: in.IssuedBy, IssuedAt: in.At,
			Communes: list,
		},
		Issuer: in.Issuer, Suffix: suffix, Province: in.Province, Year: in.Year,
		FileName: func(n int) string {
			return fmt.Sprintf("%d-%s-%s-%d.pdf", n, slug(suffix), slugName, in.Year)
		},
		Render: func(code string) (Rendered, error) { return a.render(in, code, suffix) },
	})
}

// noticeSuffix turns a decision's symbol into a notice's or a report's:
// "QĐ-BCĐ" → "TB-BCĐ".
func noticeSuffix(decision, kind string) string {
	if _, body, ok := strings.Cut(decision, "-"); ok {
		return kind + "-" + body
	}
	return kind
}

// render maps the input onto its template's data and renders it.
func (a *TransformActivities) render(in TransformIssueInput, code, suffix string) (Rendered, error) {
	lh := templates.Letterhead{
		Issuer: TemplateIssuer(in.Issuer), Number: code, PlanRef: in.Issuer.PlanRef, Signed: true, Synthetic: in.Synthetic,
	}
	if suffix != in.Issuer.NumberSuffix {
		lh.NumberSuffix = suffix
	}
	if !in.Date.IsZero() {
		lh.Date = in.Date.At(12)
	}
	rows := make([]templates.CommuneRow, 0, len(in.Communes))
	for _, c := range in.Communes {
		rows = append(rows, templates.CommuneRow{Name: c.Name, District: c.DistrictName, Types: c.Types.String(), Note: c.Note})
	}
	prov := lowerFirstRune(in.ProvinceName)
	due := func() time.Time {
		if in.Due.IsZero() {
			return time.Time{}
		}
		return in.Due.At(12)
	}
	switch in.Kind {
	case DocRecognition:
		return a.Docs.RenderRecognition(templates.RecognitionData{Letterhead: lh, Year: in.Year, ProvinceName: prov,
			ApprovalRef: in.ApprovalRef, FollowUpEnd: due(), Communes: rows})
	case DocContinuation:
		return a.Docs.RenderContinuation(templates.ContinuationData{Letterhead: lh, Year: in.Year, ProvinceName: prov,
			AppraisalRef: in.AppraisalRef, ReviewDue: due(), Communes: rows})
	case DocResponsibility:
		first := in.FirstYear
		if first == 0 {
			first = in.Year - 1
		}
		return a.Docs.RenderResponsibility(templates.ResponsibilityData{Letterhead: lh, FirstYear: first, SecondYear: in.Year,
			ProvinceName: prov, ReportDue: due(), Communes: rows})
	default:
		d := templates.SummaryData{Letterhead: lh, Year: in.Year, ProvinceName: prov, Communes: rows,
			TransformedTarget: 60, NotRelapsedTarget: 85}
		if k := in.KPI; k != nil {
			d.Selected, d.Transformed, d.FollowedUp, d.Relapsed = k.Selected, k.Transformed, k.FollowedUp, k.Relapsed
			d.TransformedTarget, d.NotRelapsedTarget = k.TransformedTarget, k.NotRelapsedTarget
		}
		return a.Docs.RenderSummary(d)
	}
}

// TemplateIssuer maps a province's issuer configuration onto the templates'.
func TemplateIssuer(is cycle.Issuer) templates.Issuer {
	return templates.Issuer{
		ParentBody: is.ParentBody, IssuingBody: is.Body, NumberSuffix: is.NumberSuffix, Place: is.Place,
		CommitteeName: is.CommitteeName, CommitteeShort: committeeShort(is.CommitteeName),
		SignerAuthority: is.SignerAuthority, SignerTitle: is.SignerTitle, SignerName: is.SignerName, AuthorityLine: is.AuthorityLine,
	}
}

// committeeShort drops the level from a committee's name: "Ban Chỉ đạo 138
// tỉnh Quảng Ngãi" → "Ban Chỉ đạo 138".
func committeeShort(name string) string {
	for _, level := range []string{" tỉnh ", " thành phố "} {
		if i := strings.Index(name, level); i > 0 {
			return name[:i]
		}
	}
	return ""
}
