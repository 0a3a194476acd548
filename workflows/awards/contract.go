// Package awards runs a province's award round (AwardRound; policies 001
// and 003): units nominate collectives and people, the council reviews
// the nominations against the scheme's quotas, the grantor signs and the
// clerk issues the award decision through the document pipeline.
package awards

import (
	"fmt"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/issuing"
)

// WorkflowID is the business ID of a province's award round for a
// year: one round per (province, year).
func WorkflowID(province string, year int) string {
	return fmt.Sprintf("awards/%s/%d", province, year)
}

// Update and query names of AwardRound.
const (
	UpdateNominate         = "nominate"          // unit officer: NominateRequest → NominateResult
	UpdateCloseNominations = "close-nominations" // secretariat: Request → AwardRoundState phase
	UpdateReviewAwards     = "review-awards"     // council chair: ReviewAwardsRequest → ReviewAwardsResult
	UpdateSignAwards       = "sign-awards"       // the grantor: SignAwardsRequest → cycle.Date
	UpdateIssueAwards      = "issue-awards"      // clerk: Request → cycle.Decision
	QueryAwardRound        = "award-round"       // → AwardRoundState
)

// Updates are the round's updates, with the task kinds they complete:
// every one must have an API route and a web form.
var Updates = map[string][]cycle.TaskKind{
	UpdateNominate:         {cycle.TaskNominate},
	UpdateCloseNominations: nil, // the secretariat's decision, not a task of the inbox
	UpdateReviewAwards:     {cycle.TaskAwardReview},
	UpdateSignAwards:       {cycle.TaskAwardSign},
	UpdateIssueAwards:      {cycle.TaskAwardIssue},
}

// AwardUnit is a unit that may nominate (a district's steering committee,
// a department, a commune in a two-tier province).
type AwardUnit struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// AwardRoundInput starts a province's award round for a year under the
// policy's award scheme (001, 003).
type AwardRoundInput struct {
	Province     string       `json:"province"`
	ProvinceName string       `json:"province_name"` // "Tỉnh Bình Phước"
	Year         int          `json:"year"`
	Policy       cycle.Policy `json:"policy"` // kept for the round's whole life
	Issuer       cycle.Issuer `json:"issuer"` // who issues the decision: the scheme's issuer with its signer's name
	Units        []AwardUnit  `json:"units"`
	// Due is the last day for nominations; zero takes the policy's
	// award_nominations deadline in Year.
	Due       cycle.Date  `json:"due"`
	StartedBy cycle.Actor `json:"started_by"`
	Synthetic bool        `json:"synthetic"`
}

// Validate checks the input before a round is started.
func (in AwardRoundInput) Validate() error {
	var probs []cycle.Problem
	add := func(field, rule string, t cycle.Text, args ...any) {
		p := cycle.Bilingual(rule, t, args...)
		p.Field = field
		probs = append(probs, p)
	}
	if in.Province == "" {
		add("province", "awards.province", cycle.Text{VI: "Chưa ghi tỉnh", EN: "required"})
	}
	if in.Policy.Awards == nil {
		add("policy.awards", "awards.scheme", cycle.Text{VI: "Kế hoạch %s không quy định khen thưởng", EN: "policy %s has no award scheme"}, in.Policy.ID)
	}
	if len(in.Units) == 0 {
		add("units", "awards.units", cycle.Text{VI: "Cần ít nhất một đơn vị đề nghị khen thưởng", EN: "at least one nominating unit is required"})
	}
	seen := map[string]bool{}
	for i, u := range in.Units {
		if u.Code == "" || seen[u.Code] {
			add(fmt.Sprintf("units[%d]", i), "awards.units", cycle.Text{VI: "Mã đơn vị «%s» để trống hoặc trùng", EN: "empty or duplicate unit code %q"}, u.Code)
		}
		seen[u.Code] = true
	}
	if in.StartedBy.Role != cycle.RoleSecretariat {
		add("started_by.role", "awards.starter", cycle.Text{VI: "Chỉ Cơ quan Thường trực (Công an tỉnh) mở đợt khen thưởng, không phải %s", EN: "only the secretariat opens an award round, not %q"}, in.StartedBy.Role)
	}
	if err := in.Issuer.Validate(); err != nil {
		if ce := flow.AsCycleError(err); ce != nil {
			probs = append(probs, ce.Problems...)
		}
	}
	if in.Due.IsZero() {
		if _, ok := in.Policy.Deadline(cycle.DeadlineAwardNominations); !ok {
			add("due", "awards.due", cycle.Text{VI: "Chưa ghi hạn gửi đề nghị khen thưởng và Kế hoạch %s không quy định thời hạn này", EN: "no due date given and policy %s has no award_nominations deadline"}, in.Policy.ID)
		}
	}
	return cycle.Invalid("award round", probs)
}

// due is the last day for nominations.
func (in AwardRoundInput) due() cycle.Date {
	if !in.Due.IsZero() {
		return in.Due
	}
	d, _ := in.Policy.Deadline(cycle.DeadlineAwardNominations)
	ds := d.Dates(in.Year)
	return ds[len(ds)-1]
}

// NominateRequest is a unit's nominations; sending again before the
// nominations close replaces the unit's earlier ones (a revision).
type NominateRequest struct {
	flow.Request
	Unit        string             `json:"unit"`
	Nominations []cycle.Nomination `json:"nominations"`
}

// NominateResult is what a unit's submission recorded.
type NominateResult struct {
	Unit     string   `json:"unit"`
	Revision int      `json:"revision"`
	IDs      []string `json:"ids"`
}

// ReviewAwardsRequest is the council's review.
type ReviewAwardsRequest struct {
	flow.Request
	Review cycle.AwardReview `json:"review"`
}

// SignAwardsRequest is the grantor's signature of the award decision.
type SignAwardsRequest struct {
	flow.Request
	// CMS is the grantor's signature made with their own certificate,
	// over the digest of the decision prepared for it
	// (AwardRoundState.HeadSignature); required while one is prepared.
	CMS []byte `json:"cms,omitempty"`
	// PrepareOnly asks only for the decision to be prepared in the name
	// of the officer about to sign it (issuing.PrepareFor); it never
	// completes the task.
	PrepareOnly bool `json:"prepare_only,omitempty"`
}

// ReviewAwardsResult is what the council put forward.
type ReviewAwardsResult struct {
	Accepted []cycle.Nomination `json:"accepted"`
}

// AwardUnitStatus is one nominating unit's submission.
type AwardUnitStatus struct {
	AwardUnit
	Submitted bool `json:"submitted"`
	Revision  int  `json:"revision"`
	Count     int  `json:"count"`
}

// AwardRoundState is the answer of QueryAwardRound.
type AwardRoundState struct {
	ID          string             `json:"id"`
	Province    string             `json:"province"`
	Year        int                `json:"year"`
	PolicyID    string             `json:"policy_id"`
	Phase       cycle.AwardPhase   `json:"phase"`
	Due         cycle.Date         `json:"due"`
	Today       cycle.Date         `json:"today"`
	Units       []AwardUnitStatus  `json:"units"`
	OpenTasks   []cycle.Task       `json:"open_tasks"`
	Nominations []cycle.Nomination `json:"nominations"`
	Accepted    []cycle.Nomination `json:"accepted,omitempty"`
	Review      *cycle.AwardReview `json:"review,omitempty"`
	Decision    *cycle.Decision    `json:"decision,omitempty"`
	// Unresolved are the decision's recipients the delivery directory
	// cannot reach, shown before the issue.
	Unresolved []cycle.Unresolved `json:"unresolved_recipients,omitempty"`
	// HeadSignature is the award decision prepared for the grantor's
	// signature made with their own certificate (its digest is what the
	// grantor's side signs), HeadSigned that signature once verified; nil
	// when the worker has the grantor sign otherwise.
	HeadSignature *issuing.PendingSignature `json:"head_signature,omitempty"`
	HeadSigned    *issuing.HeadSigned       `json:"head_signed,omitempty"`
	Events        []flow.Event              `json:"events"`
}
