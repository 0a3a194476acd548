package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"chuyenhoa/cycle"
	"chuyenhoa/postgres"
	"chuyenhoa/workflows/awards"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/selection"
	"chuyenhoa/workflows/transformation"
)

// The front door's one way to complete a task of any kind: the task is
// found in the inbox by its address (its cycle or round, and its ID —
// which names the commune or unit and the year), the officer's account is
// checked against it (role, unit, a claim by someone else, a delegation
// for a deputy), the officer's input is read — a JSON body on the API, a
// form on the web — into the request of the update the task's workflow
// defines, and the update is sent with the session's account as its
// actor. The workflow checks role and unit again; every completion and
// refusal goes to the audit trail.

// taskKind is how the front door completes one kind of task.
type taskKind struct {
	Kind cycle.TaskKind
	// Update is the workflow update that completes it.
	Update string
	// Form is the template of its web form (web/templates/forms/<Form>.html).
	Form string
	// Label is its name for officers.
	Label string
	// Revisable kinds take a completion again after the first (a unit's
	// proposal is revised until its due date): the workflow, not the
	// inbox, says when it is too late.
	Revisable bool
	// body reads the API's JSON body (or upload) into the update's argument.
	body func(s *taskForms, w http.ResponseWriter, r *http.Request, c *taskCall) (any, error)
	// form reads the web form into the update's argument.
	form func(s *taskForms, r *http.Request, c *taskCall) (any, error)
	// summary says what the completion did, for the audit trail.
	summary func(res json.RawMessage) string
}

// taskKinds is every kind of task of the programme. A test checks that
// every update the workflows register completes one of these (or is an
// administrative action), so that no task can be done only from the CLI.
var taskKinds = map[cycle.TaskKind]*taskKind{}

func register(k *taskKind) {
	if _, dup := taskKinds[k.Kind]; dup {
		panic("api: task kind " + string(k.Kind) + " registered twice")
	}
	taskKinds[k.Kind] = k
}

// taskCall is one officer's attempt to complete (or work on) one task.
type taskCall struct {
	p     *principal
	r     *http.Request
	task  cycle.Task
	actor cycle.Actor // the session's account, as a deputy acting for the head when delegated
	key   string      // the client's request ID (Idempotency-Key, or the form's)
	// origins place in the officer's file the problems the workflow finds
	// (a proposal read from a file).
	origins cycle.Origins
}

// request is the workflow request of a completion: the actor is the
// session's account, always; the request ID is the client's key scoped to
// the account and the task, so that two officers' keys never collide and a
// key reused for another task is another request.
func (c *taskCall) request() flow.Request {
	return flow.Request{Actor: c.actor, RequestID: c.p.Account.ID + "/" + c.task.ID + "/" + c.key}
}

// object is the audit trail's name of the task.
func (c *taskCall) object() string { return postgres.TaskObject(c.task.CycleID, c.task.ID) }

// workflowID is where the task's updates go: a commune's own workflow for
// its reports and reviews, else the cycle's (or the award round's).
func (c *taskCall) workflowID() string {
	if c.task.WorkflowID != "" {
		return c.task.WorkflowID
	}
	return c.task.CycleID
}

// year is the programme year a year-step task names ("sign_results/2027").
func (c *taskCall) year() (int, error) {
	i := strings.LastIndex(c.task.ID, "/")
	y, err := strconv.Atoi(c.task.ID[i+1:])
	if i < 0 || err != nil {
		return 0, cycle.Errorf(cycle.EINTERNAL, "task %s names no year", c.task.ID)
	}
	return y, nil
}

// taskAddress is a task's address in the API and the web: its cycle (or
// round) and its ID. scope is "cycle" or "awards".
type taskAddress struct {
	Scope, Province string
	Year            int
	TaskID          string
}

// CycleID is the workflow ID of the task's cycle or round.
func (a taskAddress) CycleID() string { return fmt.Sprintf("%s/%s/%d", a.Scope, a.Province, a.Year) }

// Path is the address as it follows a route's prefix.
func (a taskAddress) Path() string {
	return fmt.Sprintf("%s/%s/%d/%s", a.Scope, a.Province, a.Year, a.TaskID)
}

// addressOf reads a task's address from a request's path values.
func addressOf(r *http.Request) (taskAddress, error) {
	a := taskAddress{Scope: r.PathValue("scope"), Province: r.PathValue("province"), TaskID: r.PathValue("task")}
	y, err := strconv.Atoi(r.PathValue("year"))
	if err != nil || y < 2000 || y > 2100 {
		return a, cycle.Fail(EBADREQUEST, "api.year", r.PathValue("year"))
	}
	a.Year = y
	if a.Scope != "cycle" && a.Scope != "awards" {
		return a, cycle.Fail(cycle.ENOTFOUND, "api.scope", a.Scope)
	}
	if a.Province == "" || a.TaskID == "" {
		return a, cycle.Fail(EBADREQUEST, "api.task_address")
	}
	return a, nil
}

// addressOfTask is a task's address.
func addressOfTask(t cycle.Task) taskAddress {
	parts := strings.SplitN(t.CycleID, "/", 3)
	if len(parts) != 3 {
		return taskAddress{TaskID: t.ID}
	}
	y, _ := strconv.Atoi(parts[2])
	return taskAddress{Scope: parts[0], Province: parts[1], Year: y, TaskID: t.ID}
}

// revisable reports whether a task's kind takes revisions.
func revisable(t cycle.Task) bool {
	k := taskKinds[t.Kind]
	return k != nil && k.Revisable
}

// taskLabel names a task for officers: its title, or its kind.
func taskLabel(t cycle.Task) string {
	if t.Title != "" {
		return t.Title
	}
	return label(kindLabels, t.Kind)
}

// ---- the kinds -----------------------------------------------------------------

func init() {
	// The selection.
	register(&taskKind{Kind: cycle.TaskSubmitProposal, Update: selection.UpdateSubmitProposal, Form: "proposal", Revisable: true,
		body: func(s *taskForms, w http.ResponseWriter, r *http.Request, c *taskCall) (any, error) {
			f, err := s.readUpload(w, r)
			if err != nil {
				return nil, err
			}
			prop, origins, err := parseProposal(f, c.task.District)
			if err != nil {
				return nil, err
			}
			c.origins = origins
			return s.proposalRequest(c, prop)
		},
		form: func(s *taskForms, r *http.Request, c *taskCall) (any, error) {
			prop, err := s.proposalFromWeb(r, c)
			if err != nil {
				return nil, err
			}
			return s.proposalRequest(c, prop)
		},
		summary: func(res json.RawMessage) string {
			var v selection.SubmitProposalResult
			_ = json.Unmarshal(res, &v)
			return fmt.Sprintf("unit %s, revision %d, %d communes proposed", v.Unit, v.Revision, v.Proposed)
		}})
	register(&taskKind{Kind: cycle.TaskConsolidate, Update: selection.UpdateConsolidate, Form: "consolidate",
		body: jsonBody(func(c *taskCall, v cycle.Consolidation) any {
			cleanConsolidation(&v)
			return selection.ConsolidateRequest{Request: c.request(), Consolidation: v}
		}),
		form: func(s *taskForms, r *http.Request, c *taskCall) (any, error) {
			return selection.ConsolidateRequest{Request: c.request(), Consolidation: consolidationFromForm(r.PostForm)}, nil
		},
		summary: func(res json.RawMessage) string {
			var v selection.ConsolidateResult
			_ = json.Unmarshal(res, &v)
			return fmt.Sprintf("draft list of %d communes", len(v.Draft))
		}})
	register(&taskKind{Kind: cycle.TaskAppraise, Update: selection.UpdateAppraise, Form: "appraise",
		body: jsonBody(func(c *taskCall, v cycle.Appraisal) any {
			cleanAppraisal(&v)
			return selection.AppraiseRequest{Request: c.request(), Appraisal: v}
		}),
		form: func(s *taskForms, r *http.Request, c *taskCall) (any, error) {
			a, err := appraisalFromForm(r.PostForm)
			return selection.AppraiseRequest{Request: c.request(), Appraisal: a}, err
		}})
	register(&taskKind{Kind: cycle.TaskSign, Update: selection.UpdateSign, Form: "sign",
		body: jsonBody(func(c *taskCall, v SignBody) any {
			return selection.SignRequest{Request: c.request(), Comment: cycle.Clean(v.Comment)}
		}),
		form: func(s *taskForms, r *http.Request, c *taskCall) (any, error) {
			return selection.SignRequest{Request: c.request(), Comment: cycle.Clean(r.PostFormValue("comment"))}, nil
		}})
	register(&taskKind{Kind: cycle.TaskIssue, Update: selection.UpdateIssue, Form: "issue",
		body: jsonBody(func(c *taskCall, _ struct{}) any { return selection.IssueRequest{Request: c.request()} }),
		form: func(s *taskForms, r *http.Request, c *taskCall) (any, error) {
			return selection.IssueRequest{Request: c.request()}, nil
		},
		summary: decisionSummary})

	// The transformation years: a commune's reports and reviews.
	for _, k := range []cycle.TaskKind{cycle.TaskHalfYearReport, cycle.TaskYearlyReport, cycle.TaskFollowUpReport} {
		register(&taskKind{Kind: k, Update: transformation.UpdateSubmitReport, Form: "report",
			body: jsonBody(func(c *taskCall, v cycle.TransformationReport) any {
				return transformation.SubmitReportRequest{Request: c.request(), Kind: reportKindOf(c.task.Kind), Report: cleanReport(v)}
			}),
			form: func(s *taskForms, r *http.Request, c *taskCall) (any, error) {
				rep, err := reportFromForm(r.PostForm)
				return transformation.SubmitReportRequest{Request: c.request(), Kind: reportKindOf(c.task.Kind), Report: rep}, err
			},
			summary: func(res json.RawMessage) string {
				var v transformation.SubmitReportResult
				_ = json.Unmarshal(res, &v)
				return fmt.Sprintf("%s %d: %s", v.Kind, v.Year, v.Verdict.Outcome)
			}})
	}
	register(&taskKind{Kind: cycle.TaskFailureReview, Update: transformation.UpdateSubmitReview, Form: "failure-review",
		body: jsonBody(func(c *taskCall, v cycle.FailureReview) any {
			return transformation.SubmitReviewRequest{Request: c.request(), Failure: cleanFailure(v)}
		}),
		form: func(s *taskForms, r *http.Request, c *taskCall) (any, error) {
			return transformation.SubmitReviewRequest{Request: c.request(), Failure: cleanFailure(failureFromForm(r.PostForm))}, nil
		}})
	register(&taskKind{Kind: cycle.TaskResponsibilityReview, Update: transformation.UpdateSubmitReview, Form: "responsibility-review",
		body: jsonBody(func(c *taskCall, v cycle.ResponsibilityReview) any {
			return transformation.SubmitReviewRequest{Request: c.request(), Responsibility: cleanResponsibility(v)}
		}),
		form: func(s *taskForms, r *http.Request, c *taskCall) (any, error) {
			return transformation.SubmitReviewRequest{Request: c.request(), Responsibility: cleanResponsibility(responsibilityFromForm(r.PostForm))}, nil
		}})

	// The transformation years: the cohort's steps on the cycle.
	// The council's appraisals: of the yearly reports, and of the
	// follow-ups before recognition (000 §II.4.b).
	for _, k := range []struct {
		kind          cycle.TaskKind
		update, form  string
		summaryFormat string
	}{
		{cycle.TaskAppraiseResults, transformation.UpdateAppraiseResults, "appraise-results", "%d of %d transformed"},
		{cycle.TaskAppraiseRecognition, transformation.UpdateAppraiseRecognition, "appraise-recognition", "%d of %d proposed for recognition"},
	} {
		register(&taskKind{Kind: k.kind, Update: k.update, Form: k.form,
			body: func(s *taskForms, w http.ResponseWriter, r *http.Request, c *taskCall) (any, error) {
				var v cycle.ResultsAppraisal
				if err := s.decodeJSON(w, r, &v, false); err != nil {
					return nil, err
				}
				y, err := c.year()
				return transformation.AppraiseResultsRequest{Request: c.request(), Year: y, Appraisal: cleanResultsAppraisal(v)}, err
			},
			form: func(s *taskForms, r *http.Request, c *taskCall) (any, error) {
				y, err := c.year()
				if err != nil {
					return nil, err
				}
				v, err := resultsAppraisalFromForm(r.PostForm)
				return transformation.AppraiseResultsRequest{Request: c.request(), Year: y, Appraisal: v}, err
			},
			summary: func(res json.RawMessage) string {
				var v []cycle.CommuneResult
				_ = json.Unmarshal(res, &v)
				pass := 0
				for _, x := range v {
					if x.Outcome == cycle.OutcomePass {
						pass++
					}
				}
				return fmt.Sprintf(k.summaryFormat, pass, len(v))
			}})
	}
	for _, k := range []struct {
		kind   cycle.TaskKind
		update string
		form   string
	}{
		{cycle.TaskSignResults, transformation.UpdateSignResults, "sign"},
		{cycle.TaskIssueResults, transformation.UpdateIssueResults, "issue"},
		{cycle.TaskSignRecognition, transformation.UpdateSignRecognition, "sign"},
		{cycle.TaskIssueRecognition, transformation.UpdateIssueRecognition, "issue"},
		{cycle.TaskSignReview, transformation.UpdateSignReview, "sign"},
	} {
		yearStep := func(s *taskForms, r *http.Request, c *taskCall) (any, error) {
			y, err := c.year()
			return transformation.YearRequest{Request: c.request(), Year: y}, err
		}
		register(&taskKind{Kind: k.kind, Update: k.update, Form: k.form,
			body: func(s *taskForms, w http.ResponseWriter, r *http.Request, c *taskCall) (any, error) {
				var v SignBody
				if err := s.decodeJSON(w, r, &v, true); err != nil {
					return nil, err
				}
				return yearStep(s, r, c)
			},
			form: yearStep, summary: decisionSummary})
	}

	// The award rounds.
	register(&taskKind{Kind: cycle.TaskNominate, Update: awards.UpdateNominate, Form: "nominate",
		body: jsonBody(func(c *taskCall, v NominateBody) any {
			return awards.NominateRequest{Request: c.request(), Unit: c.task.District, Nominations: v.Nominations}
		}),
		form: func(s *taskForms, r *http.Request, c *taskCall) (any, error) {
			noms, err := nominationsFromForm(r)
			return awards.NominateRequest{Request: c.request(), Unit: c.task.District, Nominations: noms}, err
		}})
	register(&taskKind{Kind: cycle.TaskAwardReview, Update: awards.UpdateReviewAwards, Form: "award-review",
		body: jsonBody(func(c *taskCall, v cycle.AwardReview) any {
			return awards.ReviewAwardsRequest{Request: c.request(), Review: cleanAwardReview(v)}
		}),
		form: func(s *taskForms, r *http.Request, c *taskCall) (any, error) {
			return awards.ReviewAwardsRequest{Request: c.request(), Review: awardReviewFromForm(r.PostForm)}, nil
		}})
	register(&taskKind{Kind: cycle.TaskAwardSign, Update: awards.UpdateSignAwards, Form: "sign",
		body: jsonBody(func(c *taskCall, _ SignBody) any { return awards.SignAwardsRequest{Request: c.request()} }),
		form: func(s *taskForms, r *http.Request, c *taskCall) (any, error) {
			return awards.SignAwardsRequest{Request: c.request()}, nil
		}})
	register(&taskKind{Kind: cycle.TaskAwardIssue, Update: awards.UpdateIssueAwards, Form: "issue",
		body:    jsonBody(func(c *taskCall, _ struct{}) any { return c.request() }),
		form:    func(s *taskForms, r *http.Request, c *taskCall) (any, error) { return c.request(), nil },
		summary: decisionSummary})
}

// jsonBody reads a JSON body of type T (an empty body is T's zero value)
// and makes the update's argument of it.
func jsonBody[T any](make func(c *taskCall, v T) any) func(s *taskForms, w http.ResponseWriter, r *http.Request, c *taskCall) (any, error) {
	return func(s *taskForms, w http.ResponseWriter, r *http.Request, c *taskCall) (any, error) {
		var v T
		if err := s.decodeJSON(w, r, &v, true); err != nil {
			return nil, err
		}
		return make(c, v), nil
	}
}

// decisionSummary says what an issue (one decision, or a year's
// documents) did, or a signature that issued its document (the review
// report).
func decisionSummary(res json.RawMessage) string {
	var sg transformation.SignResult
	if json.Unmarshal(res, &sg) == nil && sg.Document != nil {
		return "signed and issued document " + sg.Document.Code + " (" + sg.Document.ID + ")"
	}
	var d cycle.Decision
	if json.Unmarshal(res, &d) == nil && d.Code != "" {
		return "document " + d.Code + " (" + d.ID + ")"
	}
	var ds []cycle.Decision
	_ = json.Unmarshal(res, &ds)
	var codes []string
	for _, d := range ds {
		codes = append(codes, d.Code)
	}
	return "documents " + strings.Join(codes, ", ")
}

// reportKindOf is the report a report task asks for.
func reportKindOf(k cycle.TaskKind) cycle.ReportKind {
	switch k {
	case cycle.TaskHalfYearReport:
		return cycle.ReportHalfYear
	case cycle.TaskFollowUpReport:
		return cycle.ReportFollowUp
	}
	return cycle.ReportYearly
}

// SignBody is the body of a signature: an optional comment.
type SignBody struct {
	Comment string `json:"comment,omitempty"`
}

// NominateBody is a unit's nominations.
type NominateBody struct {
	Nominations []cycle.Nomination `json:"nominations"`
}
