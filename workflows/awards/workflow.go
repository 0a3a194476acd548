package awards

import (
	"fmt"

	"go.temporal.io/sdk/workflow"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/issuing"
)

// State is an award round's state.
type State struct {
	Phase    cycle.AwardPhase              `json:"phase"`
	Units    []AwardUnitStatus             `json:"units"`
	Noms     map[string][]cycle.Nomination `json:"nominations"`      // current nominations per unit
	Closed   bool                          `json:"closed,omitempty"` // nominations closed early by the secretariat
	Review   *cycle.AwardReview            `json:"review,omitempty"`
	Accepted []cycle.Nomination            `json:"accepted,omitempty"`
	Signed   bool                          `json:"signed,omitempty"`
	SignedBy cycle.Actor                   `json:"signed_by,omitempty"`
	SignedOn cycle.Date                    `json:"signed_on,omitempty"`
	Decision *cycle.Decision               `json:"decision,omitempty"`
	// Unresolved are the award decision's recipients the delivery
	// directory cannot reach: shown to the clerk before the issue.
	Unresolved []cycle.Unresolved `json:"unresolved,omitempty"`
	// Head is the award decision prepared for the grantor's own signature,
	// HeadSigned that signature once verified (see headsign.go).
	Head       *issuing.PendingSignature `json:"head_signature,omitempty"`
	HeadSigned *issuing.HeadSigned       `json:"head_signed,omitempty"`
	Tasks      flow.Tasks                `json:"tasks"`
	Ledger     flow.Ledger               `json:"ledger"`
	Events     []flow.Event              `json:"events"`
}

// awardRound is one AwardRound run.
type awardRound struct {
	in         AwardRoundInput
	id         string
	s          State
	book       *flow.TaskBook     // the round's tasks in the inbox, with their alerts
	deliveries issuing.Deliveries // issued decisions whose distribution is still running
	busy       bool               // a task completion is running
	preparing  bool               // the decision is being prepared for the grantor's own signature
}

// AwardRound runs a province's award nominations and decision for a year
// (001 §III.1: "lựa chọn 01 tập thể hoặc cá nhân/1 địa bàn chuyển hóa …
// hồ sơ khen thưởng gửi về Công an tỉnh trước ngày 16/11"; 003 §III:
// "03 tập thể - 06 cá nhân", leaders ≤ 40%, the three-part dossier):
// units nominate until the due date (or until the secretariat closes the
// nominations), every submission checked against the scheme's quotas over
// the whole province; the council accepts or rejects each nomination; the
// grantor signs; the clerk numbers the decision in the issuing body's
// register and issues it as a PDF.
func AwardRound(ctx workflow.Context, in AwardRoundInput) (cycle.Decision, error) {
	if err := in.Validate(); err != nil {
		return cycle.Decision{}, flow.AppError(err)
	}
	w := &awardRound{in: in, id: workflow.GetInfo(ctx).WorkflowExecution.ID, s: State{Noms: map[string][]cycle.Nomination{}}}
	for _, u := range in.Units {
		w.s.Units = append(w.s.Units, AwardUnitStatus{AwardUnit: u})
	}
	w.book = flow.NewTaskBook(&w.s.Tasks, w.id, in.Policy.Reminders, func(code string) string {
		if u := w.unit(code); u != nil {
			return u.Name
		}
		return code
	})
	ctx = flow.WithActivityOptions(ctx)
	if err := workflow.SetQueryHandler(ctx, QueryAwardRound, func() (AwardRoundState, error) { return w.state(ctx), nil }); err != nil {
		return cycle.Decision{}, err
	}
	if err := flow.RegisterUpdates(ctx, Updates,
		flow.UpdateHandler{Name: UpdateNominate, Handler: w.nominate, Validator: w.validateNominate},
		flow.UpdateHandler{Name: UpdateCloseNominations, Handler: w.closeNominations, Validator: w.validateCloseNominations},
		flow.UpdateHandler{Name: UpdateReviewAwards, Handler: w.reviewAwards, Validator: w.validateReviewAwards},
		flow.UpdateHandler{Name: UpdateSignAwards, Handler: w.sign, Validator: w.validateSign},
		flow.UpdateHandler{Name: UpdateIssueAwards, Handler: w.issue, Validator: w.validateIssue},
	); err != nil {
		return cycle.Decision{}, err
	}
	var a *Activities
	info := cycle.CycleInfo{ID: w.id, Province: in.Province, Year: in.Year, Policy: in.Policy, StartedBy: in.StartedBy, StartedAt: workflow.Now(ctx), Synthetic: in.Synthetic}
	if err := workflow.ExecuteActivity(ctx, a.AwardOpenRound, info).Get(ctx, nil); err != nil {
		return cycle.Decision{}, err
	}
	w.event(ctx, in.StartedBy.ID, flow.Says("event.round_opened", in.Year, in.Policy.ID, in.due().Vietnamese()))

	if err := w.enter(ctx, cycle.AwardPhaseNominations); err != nil {
		return cycle.Decision{}, err
	}
	for _, u := range w.s.Units {
		w.book.OpenClosingAtDue(ctx, cycle.Task{ID: string(cycle.TaskNominate) + "/" + u.Code, Kind: cycle.TaskNominate, Role: cycle.RoleDistrictOfficer, District: u.Code,
			Title: "Gửi hồ sơ đề nghị khen thưởng — " + u.Name, Due: in.due()})
	}
	if d := in.due().End().Sub(workflow.Now(ctx)); d > 0 {
		if _, err := workflow.AwaitWithTimeout(ctx, d, func() bool { return w.s.Closed && !w.busy }); err != nil {
			return cycle.Decision{}, err
		}
	}
	// A nomination being recorded when the deadline passes is let finish.
	if err := workflow.Await(ctx, func() bool { return !w.busy }); err != nil {
		return cycle.Decision{}, err
	}
	for _, u := range w.s.Units {
		if err := w.book.CloseWithReason(ctx, string(cycle.TaskNominate)+"/"+u.Code, "nominations closed without a submission"); err != nil {
			return cycle.Decision{}, err
		}
	}
	for _, step := range []struct {
		phase cycle.AwardPhase
		done  func() bool
	}{
		{cycle.AwardPhaseReview, func() bool { return w.s.Review != nil }},
		{cycle.AwardPhaseSigning, func() bool { return w.s.Signed }},
		{cycle.AwardPhaseIssue, func() bool { return w.s.Decision != nil }},
	} {
		if err := w.enter(ctx, step.phase); err != nil {
			return cycle.Decision{}, err
		}
		if step.phase == cycle.AwardPhaseIssue && workflow.GetVersion(ctx, recipientsShown, workflow.DefaultVersion, 1) == 1 {
			var p *issuing.Activities
			doc, _ := w.document(workflow.Now(ctx))
			if err := workflow.ExecuteActivity(ctx, p.CheckRecipients, doc).Get(ctx, &w.s.Unresolved); err != nil {
				// only the form's warning is lost: the issue goes on
				workflow.GetLogger(ctx).Error("check the award decision's recipients", "round", w.id, "error", err)
			}
		}
		if step.phase == cycle.AwardPhaseSigning && w.s.Head == nil {
			if err := w.prepareHead(ctx, cycle.Actor{}); err != nil { // the grantor may still sign otherwise; an issue without a signature is refused
				workflow.GetLogger(ctx).Error("prepare the award decision for the grantor's signature", "round", w.id, "error", err)
			}
		}
		w.book.Open(ctx, w.stepTask(ctx, step.phase))
		if err := workflow.Await(ctx, step.done); err != nil {
			return cycle.Decision{}, err
		}
	}
	if err := w.enter(ctx, cycle.AwardPhaseIssued); err != nil {
		return cycle.Decision{}, err
	}
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) && w.deliveries.Settled() }); err != nil {
		return cycle.Decision{}, err
	}
	return *w.s.Decision, nil
}

// stepTask is the task of a phase after the nominations. The plans set no
// day for them; the product gives the council two weeks after the
// nominations' due date, the grantor a week to sign, the clerk three days.
func (w *awardRound) stepTask(ctx workflow.Context, p cycle.AwardPhase) cycle.Task {
	today := cycle.DateOf(workflow.Now(ctx))
	switch p {
	case cycle.AwardPhaseReview:
		due := w.in.due().AddDays(14)
		if due.Before(today) {
			due = today
		}
		return cycle.Task{ID: string(cycle.TaskAwardReview), Kind: cycle.TaskAwardReview, Role: cycle.RoleCouncilChair, Due: due,
			Title: fmt.Sprintf("Xét duyệt %d hồ sơ đề nghị khen thưởng năm %d", len(w.all("")), w.in.Year)}
	case cycle.AwardPhaseSigning:
		return cycle.Task{ID: string(cycle.TaskAwardSign), Kind: cycle.TaskAwardSign, Role: cycle.RoleSigner, Due: today.AddDays(7),
			Title: fmt.Sprintf("Ký quyết định khen thưởng năm %d", w.in.Year)}
	default:
		return cycle.Task{ID: string(cycle.TaskAwardIssue), Kind: cycle.TaskAwardIssue, Role: cycle.RoleClerk, Due: today.AddDays(3),
			Title: fmt.Sprintf("Vào sổ, cấp số và ban hành quyết định khen thưởng năm %d", w.in.Year)}
	}
}

func (w *awardRound) enter(ctx workflow.Context, p cycle.AwardPhase) error {
	w.s.Phase = p
	var a *Activities
	return workflow.ExecuteActivity(ctx, a.AwardSetPhase, PhaseChange{CycleID: w.id, Phase: cycle.Phase(p), At: workflow.Now(ctx)}).Get(ctx, nil)
}

func (w *awardRound) event(ctx workflow.Context, actor string, s flow.Said) {
	w.s.Events = append(w.s.Events, flow.NewEvent(cycle.DateOf(workflow.Now(ctx)), actor, s))
}

// all returns every unit's current nominations, in unit order.
func (w *awardRound) all(except string) []cycle.Nomination {
	var out []cycle.Nomination
	for _, u := range w.s.Units {
		if u.Code != except {
			out = append(out, w.s.Noms[u.Code]...)
		}
	}
	return out
}

func (w *awardRound) unit(code string) *AwardUnitStatus {
	for i := range w.s.Units {
		if w.s.Units[i].Code == code {
			return &w.s.Units[i]
		}
	}
	return nil
}

// check is the common part of every validator: a request ID, the phase,
// the actor's role (and unit), no other completion running.
func (w *awardRound) check(r flow.Request, phase cycle.AwardPhase, role cycle.Role, unit string) error {
	if r.RequestID == "" {
		return cycle.Fail(cycle.EINVALID, "flow.request_id")
	}
	if w.s.Phase != phase {
		return cycle.Fail(cycle.ECONFLICT, "awards.wrong_phase", w.s.Phase, phase)
	}
	task := cycle.Task{ID: fmt.Sprintf("awards/%s", phase), Role: role, District: unit}
	if err := cycle.Authorize(r.Actor, task); err != nil {
		return err
	}
	if w.busy {
		return cycle.Fail(cycle.ECONFLICT, "awards.busy")
	}
	return nil
}

// recipients is the distribution list of the policy's award decision.
func (w *awardRound) recipients() []string {
	for _, d := range w.in.Policy.Documents {
		if d.Kind == "award_decision" {
			var out []string
			for _, r := range d.Recipients {
				if r != "Lưu: VT" { // the template ends with it
					out = append(out, r)
				}
			}
			return out
		}
	}
	return nil
}

func (w *awardRound) state(ctx workflow.Context) AwardRoundState {
	s := AwardRoundState{
		ID: w.id, Province: w.in.Province, Year: w.in.Year, PolicyID: w.in.Policy.ID, Phase: w.s.Phase, Due: w.in.due(),
		Today: cycle.DateOf(workflow.Now(ctx)), Units: append([]AwardUnitStatus(nil), w.s.Units...), Nominations: w.all(""),
		Accepted: w.s.Accepted, Review: w.s.Review, Decision: w.s.Decision, Unresolved: w.s.Unresolved, Events: append([]flow.Event(nil), w.s.Events...),
		HeadSignature: w.s.Head, HeadSigned: w.s.HeadSigned,
	}
	s.OpenTasks = w.book.List()
	return s
}

func asDomainError(err error) *cycle.Error {
	if err == nil {
		return nil
	}
	return flow.AsCycleError(err)
}

func hasProblem(ps []cycle.Problem, rule string) bool {
	for _, p := range ps {
		if p.Rule == rule {
			return true
		}
	}
	return false
}

// recipientsShown is the change that checks, before the clerk's issue
// task opens, which recipients of the award decision the worker's
// directory cannot reach, so that the issue form shows them.
const recipientsShown = "award-recipients-shown"
