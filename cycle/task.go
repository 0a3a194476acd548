package cycle

import (
	"fmt"
	"time"
)

// Role is what an officer does in the programme.
type Role string

// The roles.
const (
	RoleSecretariat     Role = "secretariat"      // Công an tỉnh – Cơ quan Thường trực: opens cycles, consolidates, drafts
	RoleDistrictOfficer Role = "district_officer" // BCĐ 138 / Công an cấp huyện (or a commune in a two-tier province)
	RoleCouncilMember   Role = "council_member"   // thành viên Hội đồng thẩm định
	RoleCouncilChair    Role = "council_chair"    // Chủ tịch Hội đồng thẩm định: records the council's conclusion
	RoleSigner          Role = "signer"           // Trưởng Ban Chỉ đạo (or whoever the province's configuration names)
	RoleClerk           Role = "clerk"            // Văn thư: numbers, seals and distributes
	RoleAdmin           Role = "admin"            // Quản trị hệ thống: accounts, not the programme's tasks
	RoleDeputy          Role = "deputy_signer"    // Phó Trưởng Ban: signs for the head while a delegation is in force (KT.)
)

// Roles lists every role.
var Roles = []Role{RoleSecretariat, RoleDistrictOfficer, RoleCouncilMember, RoleCouncilChair, RoleSigner, RoleClerk, RoleAdmin, RoleDeputy}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, k := range Roles {
		if r == k {
			return true
		}
	}
	return false
}

// Actor is the officer completing a task.
type Actor struct {
	ID       string `json:"id"`                 // account or officer identifier
	Name     string `json:"name,omitempty"`     // display name
	Role     Role   `json:"role"`               // the role they act in
	District string `json:"district,omitempty"` // the unit they belong to, for district officers
	// Title is the officer's position, as the signature block prints it.
	Title string `json:"title,omitempty"`
	// OnBehalfOf is the head's account when a deputy acts for him under a
	// delegation (ký thay); HeadTitle is the head's title then.
	OnBehalfOf string `json:"on_behalf_of,omitempty"`
	HeadTitle  string `json:"head_title,omitempty"`
}

// TaskKind is a kind of officer task.
type TaskKind string

// The task kinds of the selection phase.
const (
	TaskSubmitProposal TaskKind = "submit_proposal" // a district (or commune) proposes its hotspots
	TaskConsolidate    TaskKind = "consolidate"     // the secretariat drafts the province's list
	TaskAppraise       TaskKind = "appraise"        // the council appraises the draft list
	TaskSign           TaskKind = "sign"            // the head signs the approval decision
	TaskIssue          TaskKind = "issue"           // the clerk numbers and issues it
)

// The task kinds of an award round.
const (
	TaskNominate    TaskKind = "nominate"     // a unit nominates collectives and people
	TaskAwardReview TaskKind = "award_review" // the council reviews the nominations
	TaskAwardSign   TaskKind = "award_sign"   // the grantor signs the award decision
	TaskAwardIssue  TaskKind = "award_issue"  // the clerk numbers and issues it
)

// RoleFor is the role that completes a task of kind k.
func RoleFor(k TaskKind) Role {
	switch k {
	case TaskSubmitProposal, TaskHalfYearReport, TaskYearlyReport, TaskFollowUpReport, TaskFailureReview, TaskNominate:
		return RoleDistrictOfficer
	case TaskConsolidate, TaskResponsibilityReview:
		return RoleSecretariat
	case TaskAppraise, TaskAppraiseResults, TaskAppraiseRecognition, TaskAwardReview:
		return RoleCouncilChair
	case TaskSign, TaskSignResults, TaskSignRecognition, TaskSignReview, TaskAwardSign:
		return RoleSigner
	case TaskIssue, TaskIssueResults, TaskIssueRecognition, TaskAwardIssue:
		return RoleClerk
	}
	return ""
}

// Task is an open piece of work for an officer, with its due date.
type Task struct {
	ID       string   `json:"id"`       // unique within the cycle, e.g. "submit_proposal/522"
	CycleID  string   `json:"cycle_id"` // the cycle's workflow ID
	Kind     TaskKind `json:"kind"`
	Role     Role     `json:"role"`               // who must complete it
	District string   `json:"district,omitempty"` // for district tasks
	Title    string   `json:"title"`              // what to do, for the inbox
	Due      Date     `json:"due"`                // the last day it is on time
	Opened   Date     `json:"opened"`
	// WorkflowID is the workflow that completes the task when it is not
	// the cycle's own: a commune's transformation workflow, for its
	// reports and reviews. Empty: the cycle (CycleID).
	WorkflowID string `json:"workflow_id,omitempty"`
	// OpenedAt is when the workflow opened the task (its calendar time).
	// The store reopens a closed task only for an opening at or after its
	// closing: a retried opening that ran after the officer completed the
	// task (its first attempt died before reporting) leaves it closed.
	OpenedAt time.Time `json:"opened_at,omitzero"`
}

// TaskID is the ID of a task of kind k for an optional unit.
func TaskID(k TaskKind, unit string) string {
	if unit == "" {
		return string(k)
	}
	return string(k) + "/" + unit
}

// Authorize checks that actor may complete t. The error is EFORBIDDEN and
// says who may.
func Authorize(a Actor, t Task) error {
	if a.ID == "" {
		return Fail(EFORBIDDEN, "task.no_officer", t.Name())
	}
	if a.Role != t.Role {
		return Fail(EFORBIDDEN, "task.wrong_role", t.Name(), t.Role, a.ID, a.Role)
	}
	if t.District != "" && a.District != t.District {
		return Fail(EFORBIDDEN, "task.wrong_unit", t.Name(), t.District, a.ID, a.District)
	}
	return nil
}

// Phase is where a yearly cycle is.
type Phase string

// The phases of the selection part of a yearly cycle, in order.
const (
	PhaseProposals     Phase = "proposals"
	PhaseConsolidation Phase = "consolidation"
	PhaseAppraisal     Phase = "appraisal"
	PhaseSigning       Phase = "signing"
	PhaseIssue         Phase = "issue"
	PhaseIssued        Phase = "issued" // the approval decision is issued; the transformation year runs
)

// NotificationKind says why a notification was raised.
type NotificationKind string

// The notification kinds.
const (
	NotifyReminder   NotificationKind = "reminder"   // before the due date
	NotifyOverdue    NotificationKind = "overdue"    // the due date has passed
	NotifyEscalation NotificationKind = "escalation" // still open after the grace period: to the secretariat
	NotifyInfo       NotificationKind = "info"       // a task opened, a document issued
)

// Notification is a reminder, overdue notice or escalation about a task.
type Notification struct {
	CycleID  string           `json:"cycle_id"`
	TaskID   string           `json:"task_id"`
	Kind     NotificationKind `json:"kind"`
	Role     Role             `json:"role"`               // who it is addressed to
	District string           `json:"district,omitempty"` // for district officers
	Due      Date             `json:"due"`
	Message  string           `json:"message"`
	Seq      int              `json:"seq"`             // the n-th notification of this kind for this task, for idempotent storage
	Round    int              `json:"round,omitempty"` // the n-th opening of the task (a consolidation reopened after the council returned the list)
	// Document is, for a notice that a document was issued about the task
	// (a reminder letter to its unit), the archived document's ID.
	Document string `json:"document,omitempty"`
}

// Key identifies a notification so that a retried activity stores it once.
func (n Notification) Key() string {
	k := fmt.Sprintf("%s|%s|%s|%d", n.CycleID, n.TaskID, n.Kind, n.Seq)
	if n.Round > 1 {
		k += fmt.Sprintf("|round%d", n.Round)
	}
	if n.Document != "" {
		k += "|" + n.Document
	}
	return k
}
