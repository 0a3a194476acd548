// Package transformation runs the transformation years (DOMAIN steps
// 6–8; seed 000 §II.3, §II.5.b, §III.4): one CommuneTransformation
// workflow per listed commune, with its six-month and yearly reports, its
// follow-up and its reviews, and the Cohort — the part of the yearly
// cycle that coordinates a cohort after its approval decision: the
// council's year-end appraisal, the head's signature, the clerk's notices
// and summary, the recognition decisions. This file is the contract:
// workflow IDs, update, query and signal names, and their payloads.
package transformation

import (
	"fmt"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/issuing"
)

// WorkflowID is the business ID of a commune's transformation, from the
// year it was first listed: one per listing, a second year continuing
// under the same ID.
func WorkflowID(province, commune string, firstYear int) string {
	return fmt.Sprintf("transformation/%s/%s/%d", province, commune, firstYear)
}

// Update, query and signal names of CommuneTransformation.
const (
	UpdateSubmitReport = "submit-report" // district officer: SubmitReportRequest → SubmitReportResult
	UpdateSubmitReview = "submit-review" // district officer (failure) or secretariat (responsibility): SubmitReviewRequest → cycle.ReviewKind
	QueryCommune       = "commune"       // → CommuneState

	SignalYearOutcome = "year-outcome"        // cycle → commune: YearOutcome
	SignalRecognised  = "recognised"          // cycle → commune: Recognised
	SignalConcluded   = "follow-up-concluded" // cycle → commune: Conclusion (the council's, before recognition)
	SignalCommune     = "commune-report"      // commune → cycle: CommuneSignal
)

// Update names of the cohort's steps, on the yearly cycle's workflow.
const (
	UpdateAppraiseResults     = "appraise-results"     // council chair: AppraiseResultsRequest → []cycle.CommuneResult
	UpdateSignResults         = "sign-results"         // signer: YearRequest → SignResult
	UpdateIssueResults        = "issue-results"        // clerk: YearRequest → []cycle.Decision
	UpdateAppraiseRecognition = "appraise-recognition" // council chair: AppraiseResultsRequest → []cycle.CommuneResult
	UpdateSignRecognition     = "sign-recognition"     // signer: YearRequest → SignResult
	UpdateIssueRecognition    = "issue-recognition"    // clerk: YearRequest → cycle.Decision
	UpdateSubmitPlanReport    = "submit-plan-report"   // district officer or secretariat: SubmitPlanReportRequest → PlanStepStatus
	UpdateSignReview          = "sign-review"          // signer: YearRequest → SignResult (with the review report it issued)
)

// CommuneUpdates are the updates of CommuneTransformation, with the task
// kinds they complete: every one must have an API route and a web form.
var CommuneUpdates = map[string][]cycle.TaskKind{
	UpdateSubmitReport: {cycle.TaskHalfYearReport, cycle.TaskYearlyReport, cycle.TaskFollowUpReport},
	UpdateSubmitReview: {cycle.TaskFailureReview, cycle.TaskResponsibilityReview},
}

// CohortUpdates are the cohort's updates on the yearly cycle, with the
// task kinds they complete.
var CohortUpdates = map[string][]cycle.TaskKind{
	UpdateAppraiseResults:     {cycle.TaskAppraiseResults},
	UpdateSignResults:         {cycle.TaskSignResults},
	UpdateIssueResults:        {cycle.TaskIssueResults},
	UpdateAppraiseRecognition: {cycle.TaskAppraiseRecognition},
	UpdateSignRecognition:     {cycle.TaskSignRecognition},
	UpdateIssueRecognition:    {cycle.TaskIssueRecognition},
	UpdateSubmitPlanReport:    {cycle.TaskPlanReport},
	UpdateSignReview:          {cycle.TaskSignReview},
}

// CommuneInput starts (or continues, in its second year) a commune's
// transformation.
type CommuneInput struct {
	CycleID      string                   `json:"cycle_id"` // the cohort's cycle, which appraises it
	Province     string                   `json:"province"`
	ProvinceName string                   `json:"province_name"`
	Commune      cycle.CommuneInProgramme `json:"commune"`
	Unit         string                   `json:"unit"` // the reporting unit: the district, or the commune in a two-tier province
	UnitName     string                   `json:"unit_name"`
	Policy       cycle.Policy             `json:"policy"`
	Clock        flow.Clock               `json:"clock"`
	Synthetic    bool                     `json:"synthetic"`
	// Carried into the second year: the first year's result and a failure
	// review still open.
	History    []YearOutcome `json:"history,omitempty"`
	OpenReview *cycle.Task   `json:"open_review,omitempty"`
	// Carried is the rest of the first year's run state that the second
	// year keeps: the request ledger (a request retried across the
	// continue-as-new gets its first result) and the commune's history.
	Carried *Carried `json:"carried,omitempty"`
	// Born is the changes the run was started with (CommuneChanges when
	// its cohort or its first year started it with this code; none
	// before): it does not ask their versions.
	Born flow.Born `json:"born,omitempty"`
}

// CommuneChanges are the changes a commune's run takes, each either from
// its input (Born) or from workflow.GetVersion: a run started by code that
// has them all is born with them.
var CommuneChanges = flow.Born{flow.TaskBatches, awaitOwedReview, councilRecognition, reportTells, followedAfterRecognition, reviewBeforeHandlers, flow.OpensLocally}

// Carried is what a commune's second-year run keeps of its first year's state.
type Carried struct {
	Ledger flow.Ledger  `json:"ledger"`
	Events []flow.Event `json:"events,omitempty"`
}

// SubmitReportRequest is a district's report for a commune.
type SubmitReportRequest struct {
	flow.Request
	Kind   cycle.ReportKind           `json:"kind"`
	Report cycle.TransformationReport `json:"report"`
}

// SubmitReportResult is the report's evaluation.
type SubmitReportResult struct {
	Kind    cycle.ReportKind `json:"kind"`
	Year    int              `json:"year"`
	Late    bool             `json:"late"`
	On      cycle.Date       `json:"on"` // the day it was received
	Verdict cycle.Verdict    `json:"verdict"`
}

// SubmitReviewRequest is a failure review (district) or a responsibility
// review (secretariat), whichever the commune's open review task is.
type SubmitReviewRequest struct {
	flow.Request
	Failure        *cycle.FailureReview        `json:"failure,omitempty"`
	Responsibility *cycle.ResponsibilityReview `json:"responsibility,omitempty"`
}

// YearOutcome is the cycle's year-end result for a commune, once the head
// has signed it and the clerk has issued the notices.
type YearOutcome struct {
	Year       int           `json:"year"`
	YearNo     int           `json:"year_no"`
	Outcome    cycle.Outcome `json:"outcome"`
	Reason     string        `json:"reason,omitempty"`
	ReviewDate cycle.Date    `json:"review_date"` // the head's signature: the review (sơ kết) the follow-up counts from
	Verdict    string        `json:"verdict,omitempty"`
}

// Recognised tells a commune it is recognised as transformed.
type Recognised struct {
	Decision string     `json:"decision"` // "7/QĐ-BCĐ"
	Date     cycle.Date `json:"date"`
}

// Conclusion is the council's conclusion on a commune's follow-up, before
// the recognition decision (000 §II.4.b): pass, proposed for recognition;
// fail, relapsed. Overridden when the council concluded against the
// report's verdict.
type Conclusion struct {
	Year       int           `json:"year"`
	Outcome    cycle.Outcome `json:"outcome"`
	Reason     string        `json:"reason,omitempty"`
	Overridden bool          `json:"overridden,omitempty"`
	Date       cycle.Date    `json:"date"`
}

// The kinds of CommuneSignal.
const (
	CommuneVerdict  = "verdict"   // a yearly report's verdict
	CommuneFollowUp = "follow_up" // a follow-up report's verdict
	CommuneClosed   = "closed"    // the commune's workflow ends
)

// CommuneSignal is what a commune's workflow tells its cycle.
type CommuneSignal struct {
	Kind     string               `json:"kind"`
	Commune  string               `json:"commune"`
	Year     int                  `json:"year"`
	Verdict  cycle.CommuneVerdict `json:"verdict"`
	Standing cycle.Standing       `json:"standing,omitempty"`
}

// ReportStatus is one report of a commune's year.
type ReportStatus struct {
	Kind      cycle.ReportKind `json:"kind"`
	Year      int              `json:"year"`
	Period    cycle.Span       `json:"period"`
	Due       cycle.Date       `json:"due"`
	Submitted bool             `json:"submitted"`
	On        cycle.Date       `json:"on,omitempty"`
	Late      bool             `json:"late,omitempty"`
	Verdict   *cycle.Verdict   `json:"verdict,omitempty"`
	// Sustained: a yearly report of a recognised commune, still followed
	// after its recognition (cycle.Process.FollowedYears).
	Sustained bool `json:"sustained,omitempty"`
}

// CommuneState is the answer of QueryCommune.
type CommuneState struct {
	WorkflowID string                   `json:"workflow_id"`
	CycleID    string                   `json:"cycle_id"`
	Commune    cycle.CommuneInProgramme `json:"commune"`
	Standing   cycle.Standing           `json:"standing"`
	Today      cycle.Date               `json:"today"`
	Reports    []ReportStatus           `json:"reports"`
	History    []YearOutcome            `json:"history,omitempty"`
	Recognised *Recognised              `json:"recognised,omitempty"`
	Conclusion *Conclusion              `json:"conclusion,omitempty"` // the council's, on its follow-up
	OpenTasks  []cycle.Task             `json:"open_tasks"`
	Events     []flow.Event             `json:"events"`
}

// YearRequest completes a step of a programme year (signing, issuing).
type YearRequest struct {
	flow.Request
	Year int `json:"year"`
	// CMS is the head's signature made with their own certificate, over
	// the digest of the document prepared for it (a sign step of a
	// document prepared for the head: RecognitionBatch.Head).
	CMS []byte `json:"cms,omitempty"`
	// CMSList are the head's signatures of a sign step that signs several
	// documents (the year's results: ProgrammeYear.Head), one per
	// document, in the order of the prepared documents.
	CMSList [][]byte `json:"cms_list,omitempty"`
	// PrepareOnly asks only for the documents to be prepared in the name
	// of the officer about to sign them (issuing.PrepareFor); it never
	// completes the task.
	PrepareOnly bool `json:"prepare_only,omitempty"`
}

// Signatures are the request's CMSs, one per document: CMSList, or CMS
// alone.
func (r YearRequest) Signatures() [][]byte {
	if len(r.CMSList) > 0 {
		return r.CMSList
	}
	if len(r.CMS) > 0 {
		return [][]byte{r.CMS}
	}
	return nil
}

// AppraiseResultsRequest is the council's year-end appraisal.
type AppraiseResultsRequest struct {
	flow.Request
	Year      int                    `json:"year"`
	Appraisal cycle.ResultsAppraisal `json:"appraisal"`
}

// SignResult acknowledges a signature.
type SignResult struct {
	SignedAt cycle.Date `json:"signed_at"`
	Late     bool       `json:"late"`
	// Document is the document the signature issued: the review report
	// (sign_review), which no clerk's task issues; nil for the others.
	Document *cycle.Decision `json:"document,omitempty"`
}

// CohortState is the cohort after its approval decision: what the cycle's
// state query shows and what a new run of the cycle continues from.
type CohortState struct {
	Clock    flow.Clock `json:"clock"`
	Approval string     `json:"approval"` // "Quyết định số 1/QĐ-BCĐ ngày 21/01/2027"
	// ApprovalDecision is the same decision as the cohort's documents cite
	// it; nil in cohorts started before it (they cite Approval).
	ApprovalDecision *cycle.IssuedRef    `json:"approval_decision,omitempty"`
	Communes         []CohortCommune     `json:"communes"`
	Years            []*ProgrammeYear    `json:"years"`
	Batches          []*RecognitionBatch `json:"batches,omitempty"`
	Started          bool                `json:"started"` // the children are started
	// Plan is the plan's steps opened so far (reports and meetings at the
	// plan's dates), with what was sent for each.
	Plan []*PlanStepStatus `json:"plan,omitempty"`
}

// CohortCommune is one commune of the cohort.
type CohortCommune struct {
	cycle.CommuneInProgramme
	Unit     string         `json:"unit"`
	UnitName string         `json:"unit_name"`
	Standing cycle.Standing `json:"standing"`
	Closed   bool           `json:"closed,omitempty"`
}

// ProgrammeYear is one programme year of the cohort and its appraisal.
type ProgrammeYear struct {
	Year     int                             `json:"year"`
	Communes []string                        `json:"communes"`
	YearNo   map[string]int                  `json:"year_no"`
	Verdicts map[string]cycle.CommuneVerdict `json:"verdicts"`
	Opened   bool                            `json:"opened,omitempty"` // the council's task is open
	Results  []cycle.CommuneResult           `json:"results,omitempty"`
	// Unresolved are the recipients of the year's notices and summary
	// that the delivery directory cannot reach: shown before the issue.
	Unresolved []cycle.Unresolved `json:"unresolved,omitempty"`
	Signed     bool               `json:"signed,omitempty"`
	SignedBy   cycle.Actor        `json:"signed_by,omitempty"`
	SignedOn   cycle.Date         `json:"signed_on,omitempty"`
	Issued     bool               `json:"issued,omitempty"`
	Documents  []cycle.Decision   `json:"documents,omitempty"`
	Told       bool               `json:"told,omitempty"` // the communes have their outcome
	// Head are the year's documents (notices, summary) prepared for the
	// head's signature made with their own certificate, in order — one
	// sign task signs them all, one CMS each —, HeadSigned those
	// signatures once every one is verified; nil when the worker has the
	// head sign otherwise.
	Head       []issuing.PendingSignature `json:"head_signatures,omitempty"`
	HeadSigned []issuing.HeadSigned       `json:"head_signed,omitempty"`
}

// RecognitionBatch is the communes that passed a programme year, followed
// up and then recognised together.
type RecognitionBatch struct {
	Year     int                             `json:"year"`
	Communes []string                        `json:"communes"`
	Verdicts map[string]cycle.CommuneVerdict `json:"verdicts"`
	Signed   bool                            `json:"signed,omitempty"`
	SignedBy cycle.Actor                     `json:"signed_by,omitempty"`
	SignedOn cycle.Date                      `json:"signed_on,omitempty"`
	// Results are the council's conclusions on the follow-ups (pass:
	// proposed for recognition); nil in batches recognised before the
	// council appraised them.
	Results []cycle.CommuneResult `json:"results,omitempty"`
	Told    bool                  `json:"told,omitempty"` // the communes have the council's conclusion
	// Head is the recognition decision prepared for the head's signature
	// made with their own certificate (its digest is what the head's side
	// signs), HeadSigned that signature once verified; nil when the worker
	// has the head sign otherwise.
	Head       *issuing.PendingSignature `json:"head_signature,omitempty"`
	HeadSigned *issuing.HeadSigned       `json:"head_signed,omitempty"`
	// Unresolved are the recipients of the recognition decision that the
	// delivery directory cannot reach: shown before the issue.
	Unresolved []cycle.Unresolved `json:"unresolved,omitempty"`
	Decision   *cycle.Decision    `json:"decision,omitempty"`
	Done       bool               `json:"done,omitempty"`
}
