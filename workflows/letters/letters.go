// Package letters is the reminder letter (công văn đôn đốc, nhắc nhở): the
// secretariat writes, in the name of the steering committee, to the units
// that have not done a task by its date. A letter is a workflow of its own,
// ReminderLetter, started once per request: it numbers, renders, signs,
// archives and delivers the letter through the document pipeline (package
// issuing), tells each named unit's officers (their inbox, and by e-mail
// or webhook as they prefer), and ends when its deliveries have settled.
//
// It is a workflow of its own rather than an update of the yearly cycle:
// letters concern tasks of any process (a cycle's proposals, a commune's
// reports, an award round's nominations), may be sent again and again
// while a unit stays late, and change nothing the cycle decides — so the
// cycle's history and its replay stay as they are, and a letter's
// retries, signature and deliveries are recorded in its own history.
package letters

import (
	"context"
	"errors"
	"fmt"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/workflow"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/issuing"
)

// QueryLetter returns the letter's State.
const QueryLetter = "letter"

// Input is a letter to issue.
type Input struct {
	// Job is the letter: its record (Decision: ID, CycleID, Kind reminder
	// or overdue, BodyKey, Year, IssuedBy) and content (Addressees: the
	// units written to; Task, Basis, Due, NewDue, Escalation). Date and
	// IssuedAt are the workflow's start when zero.
	Job issuing.Job `json:"job"`
	// Tasks are the late tasks the letter is about: each task's unit is
	// told (its officers' inbox, e-mail or webhook).
	Tasks []cycle.Task `json:"tasks"`
	// Sender is the issuing body, for the delivery messages.
	Sender string `json:"sender"`
}

// State is where the letter stands.
type State struct {
	Issued   *issuing.Issued `json:"issued,omitempty"`   // numbered, signed and archived
	Notified int             `json:"notified"`           // tasks whose units were told
	Delivery string          `json:"delivery,omitempty"` // how the deliveries went, once settled
	Error    string          `json:"error,omitempty"`    // why the issue failed
}

// SealedByBody is the change from which a letter is signed with the
// issuing body's seal certificate alone (issuing.SealAlone): the
// secretariat (Thường trực Ban Chỉ đạo, the provincial police) issues it
// in the body's name, so the organisation's certificate — which may sit
// on the server — signs it, never a person's key held there. Letters
// issued before it replay on the signer's and the seal's signatures.
const SealedByBody = "letter-sealed-by-body"

// WorkflowID is the ID of the letter's workflow: one per letter ID.
func WorkflowID(letterID string) string { return "letter/" + letterID }

// ReminderLetter issues a reminder or overdue letter and delivers it.
func ReminderLetter(ctx workflow.Context, in Input) (State, error) {
	var st State
	if err := workflow.SetQueryHandler(ctx, QueryLetter, func() (State, error) { return st, nil }); err != nil {
		return st, err
	}
	job := in.Job
	now := workflow.Now(ctx)
	if job.Decision.IssuedAt.IsZero() {
		job.Decision.IssuedAt = now
	}
	if job.Decision.Date.IsZero() {
		job.Decision.Date = cycle.DateOf(job.Decision.IssuedAt)
	}
	if job.Content.Date.IsZero() {
		job.Content.Date = job.Decision.Date
	}
	if job.Decision.Year == 0 {
		job.Decision.Year = job.Decision.Date.Year
	}
	if workflow.GetVersion(ctx, SealedByBody, workflow.DefaultVersion, 1) == 1 {
		job.BodyOnly = true
	}
	res, err := issuing.Issue(ctx, job, "", nil)
	if err != nil {
		st.Error = err.Error()
		return st, err
	}
	st.Issued = &res

	// Each named unit's officers are told, once per task (the notice's key
	// names the letter).
	actx := flow.WithActivityOptions(ctx)
	var a *flow.Activities
	futures := make([]workflow.Future, len(in.Tasks))
	for i, t := range in.Tasks {
		n := cycle.Notification{
			CycleID: job.Decision.CycleID, TaskID: t.ID, Kind: cycle.NotifyDocument, Role: t.Role, District: t.District,
			Due: t.Due, Seq: 1, Document: res.Decision.ID,
			Message: fmt.Sprintf("Công văn số %s: %s", res.Decision.Code, res.Subject),
		}
		futures[i] = workflow.ExecuteActivity(actx, a.Notify, flow.Alert{Notification: n, At: workflow.Now(ctx)})
	}
	for i, f := range futures {
		if err := f.Get(ctx, nil); err != nil {
			workflow.GetLogger(ctx).Error("tell the unit of a letter", "letter", res.Decision.Code, "task", in.Tasks[i].ID, "error", err)
			continue
		}
		st.Notified++
	}
	st.Delivery = issuing.Deliver(ctx, in.Sender, res).VI
	return st, nil
}

// Issue starts the letter's workflow — or finds the one started by the
// same request — and waits until the letter is issued (or its issue
// failed), at most until ctx ends; then it returns where the letter
// stands (Issued nil: still being issued).
func Issue(ctx context.Context, t flow.Temporal, in Input) (State, error) {
	id := WorkflowID(in.Job.Decision.ID)
	// The product's start options, but a second start by the same request
	// finds the letter's workflow rather than failing.
	o := flow.StartOptions(id)
	o.WorkflowIDConflictPolicy, o.WorkflowExecutionErrorWhenAlreadyStarted = enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING, false
	_, err := t.ExecuteWorkflow(ctx, o, ReminderLetter, in)
	var exists *serviceerror.WorkflowExecutionAlreadyStarted
	if err != nil && !errors.As(err, &exists) {
		return State{}, err
	}
	for {
		st, err := flow.Query[State](ctx, t, id, QueryLetter)
		switch {
		case err != nil && ctx.Err() == nil && cycle.ErrorCode(err) != cycle.ENOTFOUND:
			return State{}, err
		case err == nil && (st.Issued != nil || st.Error != ""):
			return st, nil
		}
		select {
		case <-ctx.Done():
			return st, nil
		case <-time.After(100 * time.Millisecond):
		}
	}
}
