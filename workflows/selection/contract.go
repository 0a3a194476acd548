// Package selection runs a province's yearly cycle (YearlyCycle): the
// selection of the year's list (seed 000 §II.4.a) — district proposals,
// the secretariat's consolidation, the appraisal council, the head's
// signature, the clerk's issue of the approval decision — and then, as
// the cycle's Cohort (package transformation), the cohort's transformation
// years. This file is the contract: the workflow ID, the update and query
// names and their payloads. Workflow code is deterministic: rules come
// from the pure domain package cycle, I/O goes through activities.
package selection

import (
	"errors"
	"fmt"
	"time"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/issuing"
	"chuyenhoa/workflows/transformation"
)

// WorkflowID is the business ID of the yearly cycle of a province:
// starting the same cycle twice is refused by the server.
func WorkflowID(province string, year int) string {
	return fmt.Sprintf("cycle/%s/%d", province, year)
}

// Update and query names of YearlyCycle.
const (
	UpdateSubmitProposal = "submit-proposal" // district officer: SubmitProposalRequest → SubmitProposalResult
	UpdateConsolidate    = "consolidate"     // secretariat: ConsolidateRequest → ConsolidateResult
	UpdateAppraise       = "appraise"        // council chair: AppraiseRequest → AppraiseResult
	UpdateSign           = "sign"            // signer: SignRequest → SignResult
	UpdateIssue          = "issue"           // clerk: IssueRequest → cycle.Decision
	QueryState           = "state"           // → CycleState
	QuerySelection       = "selection"       // → cycle.SelectionResult over the proposals received so far
)

// Updates are the selection's updates, with the task kinds they complete:
// every one must have an API route and a web form (the cohort's updates
// on the same workflow are transformation.CohortUpdates).
var Updates = map[string][]cycle.TaskKind{
	UpdateSubmitProposal: {cycle.TaskSubmitProposal},
	UpdateConsolidate:    {cycle.TaskConsolidate},
	UpdateAppraise:       {cycle.TaskAppraise},
	UpdateSign:           {cycle.TaskSign},
	UpdateIssue:          {cycle.TaskIssue},
	UpdateCloseProposals: nil, // the secretariat's decision, not a task of the inbox
}

// YearlyCycleInput starts the cycle of a province for a year.
type YearlyCycleInput struct {
	Province  string       `json:"province"`   // province code, e.g. "51"
	Year      int          `json:"year"`       // the transformation year Y
	Policy    cycle.Policy `json:"policy"`     // the policy the cycle runs under, kept for its whole life
	StartedBy cycle.Actor  `json:"started_by"` // the secretariat officer who opened it
	Synthetic bool         `json:"synthetic"`  // the figures are generated demo data: documents say so
	// TimeScale runs the transformation years on a sped-up calendar (see
	// Clock), for demonstrations only: 0 is real time.
	TimeScale float64 `json:"time_scale,omitempty"`
	// IdleScale, with TimeScale, runs the transformation years on a
	// piecewise calendar (flow.PiecewiseClock): at TimeScale in the weeks
	// in which the policy's dates open tasks (transformation.CalendarSpans),
	// IdleScale times faster than real time in the months between them.
	// 0: the whole calendar at TimeScale. For demonstrations only.
	IdleScale float64 `json:"idle_scale,omitempty"`
	// TransformationOpens, with IdleScale, is the real time before which
	// the piecewise calendar does not reach its first window
	// (transformation.PiecewiseCalendar): a national run's cohorts reach
	// their first reports together, after every province's selection.
	TransformationOpens time.Time `json:"transformation_opens,omitzero"`
	// DemoCalendar dates the selection's steps of a demonstration (see
	// DemoCalendar); nil, as in every real cycle: real time.
	DemoCalendar *DemoCalendar `json:"demo_calendar,omitempty"`
	// HistoryLimit makes the cycle continue as new, at the end of a
	// programme year, once its history has more events than this; 0: when
	// the server suggests it. While waiting for its proposals the cycle
	// continues as new past this or 3,000 events, whichever is lower.
	HistoryLimit int `json:"history_limit,omitempty"`
	// StopAtDecision ends the cycle once its approval decision is issued,
	// without the transformation years (a province that follows them
	// outside the product; the selection phase's own tests).
	StopAtDecision bool `json:"stop_at_decision,omitempty"`
	// Resume is set by the cycle itself when it continues as new: the
	// whole state of the run that ended.
	Resume *State `json:"resume,omitempty"`
}

// DemoCalendar is a demonstration's own calendar for the selection, which
// it plays in seconds where a province takes weeks: while the cycle is in a
// phase its calendar reads that phase's date (at the real time of day), so
// that the proposals are dated before their deadline and the decision after
// the consolidation and the appraisal, each on its own day, as in a real
// cycle; the transformation years then run on from the decision's date
// (their TimeScale still applies). Its dates, the submissions', the
// signature's and the decision's, and the proposals' deadline are read on
// it; the tasks' reminders stay on real time. Carried in the input, it reads
// the same on every replay. Only the demo sets it.
type DemoCalendar struct {
	Proposals     cycle.Date `json:"proposals"`     // the opening and the proposals
	Consolidation cycle.Date `json:"consolidation"` // the secretariat's consolidation
	Appraisal     cycle.Date `json:"appraisal"`     // the council's appraisal
	Signing       cycle.Date `json:"signing"`       // the head's signature
	Issue         cycle.Date `json:"issue"`         // the clerk's issue, and the decision's date
}

// date is the calendar date of phase p, if the calendar names one.
func (c *DemoCalendar) date(p cycle.Phase) (cycle.Date, bool) {
	switch p {
	case "", cycle.PhaseProposals:
		return c.Proposals, true
	case cycle.PhaseConsolidation:
		return c.Consolidation, true
	case cycle.PhaseAppraisal:
		return c.Appraisal, true
	case cycle.PhaseSigning:
		return c.Signing, true
	case cycle.PhaseIssue, cycle.PhaseIssued:
		return c.Issue, true
	}
	return cycle.Date{}, false
}

// validate checks that the calendar's dates are given and in order.
func (c *DemoCalendar) validate() []cycle.Problem {
	dates := []struct {
		name, vi string
		d        cycle.Date
	}{{"proposals", "hạn gửi đề xuất", c.Proposals}, {"consolidation", "hạn tổng hợp", c.Consolidation}, {"appraisal", "hạn thẩm định", c.Appraisal}, {"signing", "ngày ký", c.Signing}, {"issue", "ngày ban hành", c.Issue}}
	var probs []cycle.Problem
	for i, d := range dates {
		field := "demo_calendar." + d.name
		switch {
		case d.d.IsZero():
			p := cycle.Bilingual("cycle.demo_calendar", cycle.Text{VI: "Lịch trình diễn thiếu %s", EN: "%s: required"}, d.vi)
			p.Message, p.Field = "required", field
			probs = append(probs, p)
		case i > 0 && !dates[i-1].d.IsZero() && d.d.Before(dates[i-1].d):
			p := cycle.Bilingual("cycle.demo_calendar", cycle.Text{VI: "Lịch trình diễn: %s %s trước %s %s", EN: "%[2]s is before the %[3]s's %[4]s"}, d.vi, d.d.Vietnamese(), dates[i-1].vi, dates[i-1].d.Vietnamese())
			p.Field = field
			probs = append(probs, p)
		}
	}
	return probs
}

// Validate checks the input before a cycle is started.
func (in YearlyCycleInput) Validate() error {
	var probs []cycle.Problem
	if in.Province == "" {
		probs = append(probs, field("province", cycle.Bilingual("cycle.province", cycle.Text{VI: "Chưa ghi tỉnh", EN: "required"})))
	}
	if in.Year < 2000 || in.Year > 2100 {
		probs = append(probs, field("year", cycle.Bilingual("cycle.year", cycle.Text{VI: "Năm %d không hợp lệ", EN: "%d is not a plausible year"}, in.Year)))
	}
	if in.StartedBy.Role != cycle.RoleSecretariat {
		probs = append(probs, field("started_by.role", cycle.Bilingual("cycle.starter", cycle.Text{VI: "Chỉ Cơ quan Thường trực (Công an tỉnh) mở đợt lựa chọn địa bàn chuyển hóa, không phải %s", EN: "only the secretariat opens a cycle, not %q"}, in.StartedBy.Role)))
	}
	if in.DemoCalendar != nil {
		probs = append(probs, in.DemoCalendar.validate()...)
	}
	if err := in.Policy.Validate(); err != nil {
		var ce *cycle.Error
		if errors.As(err, &ce) {
			probs = append(probs, ce.Problems...)
		}
	}
	return cycle.Invalid("yearly cycle", probs)
}

// SubmitProposalRequest submits (or, before the deadline, revises) a unit's proposal.
type SubmitProposalRequest struct {
	flow.Request
	Proposal cycle.Proposal `json:"proposal"`
}

// SubmitProposalResult acknowledges a proposal.
type SubmitProposalResult struct {
	Unit     string `json:"unit"`
	Revision int    `json:"revision"` // 1 for the first submission
	Late     bool   `json:"late"`     // submitted after the due date
	Proposed int    `json:"proposed"` // communes proposed
}

// ConsolidateRequest is the secretariat's consolidation.
type ConsolidateRequest struct {
	flow.Request
	Consolidation cycle.Consolidation `json:"consolidation"`
}

// ConsolidateResult is the draft list and the selection it came from.
type ConsolidateResult struct {
	Draft     []cycle.ListedCommune `json:"draft"`
	Selection cycle.SelectionResult `json:"selection"`
}

// AppraiseRequest records the appraisal council's conclusion.
type AppraiseRequest struct {
	flow.Request
	Appraisal cycle.Appraisal `json:"appraisal"`
}

// AppraiseResult is the list reported to the head, or the return to the secretariat.
type AppraiseResult struct {
	Returned bool                  `json:"returned"`
	List     []cycle.ListedCommune `json:"list,omitempty"`
}

// SignRequest is the head's signature of the approval decision.
type SignRequest struct {
	flow.Request
	Comment string `json:"comment,omitempty"`
	// CMS is the head's signature made elsewhere (CAdES-detached, over
	// the digest of CycleState.HeadSignature), when the worker has the
	// head sign where the head's key is.
	CMS []byte `json:"cms,omitempty"`
	// PrepareOnly asks only for the decision to be prepared in the
	// name of the officer about to sign it (issuing.PrepareFor): the
	// signing page opened by a deputy under a delegation. It never
	// completes the task.
	PrepareOnly bool `json:"prepare_only,omitempty"`
}

// SignResult acknowledges the signature.
type SignResult = transformation.SignResult

// IssueRequest asks the clerk's issue (number, date, distribute) of the signed decision.
type IssueRequest struct {
	flow.Request
}

// UnitStatus is where one submitting unit stands.
type UnitStatus struct {
	Unit      string     `json:"unit"`
	Name      string     `json:"name"`
	Submitted bool       `json:"submitted"`
	Revision  int        `json:"revision,omitempty"`
	On        cycle.Date `json:"on,omitempty"` // date of the latest revision
	Late      bool       `json:"late,omitempty"`
	Proposed  int        `json:"proposed,omitempty"`
}

// CycleState is what the state query returns.
type CycleState struct {
	CycleID      string                `json:"cycle_id"`
	Province     string                `json:"province"`
	ProvinceName string                `json:"province_name"`
	Year         int                   `json:"year"`
	PolicyID     string                `json:"policy_id"`
	Phase        cycle.Phase           `json:"phase"`
	Today        cycle.Date            `json:"today"`
	Units        []UnitStatus          `json:"units"`
	OpenTasks    []cycle.Task          `json:"open_tasks"`
	Draft        []cycle.ListedCommune `json:"draft,omitempty"`
	List         []cycle.ListedCommune `json:"list,omitempty"`
	Returns      int                   `json:"returns,omitempty"` // times the council returned the list
	// DraftSHA256 names the draft decision's PDF in the store, once rendered.
	DraftSHA256 string `json:"draft_sha256,omitempty"`
	// Unresolved are the recipients of the decision about to be issued
	// that the delivery directory cannot reach: shown before the issue.
	Unresolved []cycle.Unresolved `json:"unresolved_recipients,omitempty"`
	Decision   *cycle.Decision    `json:"decision,omitempty"`
	// ProposalsClosed is the secretariat's early closing of the proposals.
	ProposalsClosed *Closure     `json:"proposals_closed,omitempty"`
	Events          []flow.Event `json:"events"`
	// Transformation is the cohort after the approval decision.
	Transformation *transformation.CohortState `json:"transformation,omitempty"`
	// HeadSignature is the decision prepared for the head's signature
	// made elsewhere: its digest, what the head's side signs; HeadSigned
	// the signature once embedded and verified.
	HeadSignature *issuing.PendingSignature `json:"head_signature,omitempty"`
	HeadSigned    *issuing.HeadSigned       `json:"head_signed,omitempty"`
	// PreparingSignature: the head's sign task is open and its decision
	// is still being drafted, numbered or prepared (about a second): a
	// signature request waits for it rather than being refused.
	PreparingSignature bool `json:"preparing_signature,omitempty"`
}

// field places a problem at a field of the input.
func field(f string, p cycle.Problem) cycle.Problem {
	p.Field = f
	return p
}
