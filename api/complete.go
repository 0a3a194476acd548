package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"

	"go.temporal.io/sdk/client"

	"chuyenhoa/cycle"
	"chuyenhoa/intake"
	"chuyenhoa/workflows"
)

// idempotencyKey is the shape of a request ID a client may choose.
var idempotencyKey = regexp.MustCompile(`^[A-Za-z0-9._:-]{8,100}$`)

// completion is one officer's attempt to complete a task of a cycle.
type completion struct {
	p        *principal
	r        *http.Request
	province string
	year     int
	cycleID  string
	kind     cycle.TaskKind
	key      string // the client's request ID
}

// requestID is the request and update ID sent to the workflow: the
// account, the task kind and the client's key. Two officers' keys never
// collide, and a key reused for another kind of task is another request.
func (c *completion) requestID() string {
	return c.p.Account.ID + "/" + string(c.kind) + "/" + c.key
}

func (c *completion) object() string { return c.cycleID + " " + c.taskID() }

// taskID is the ID of the task the completion is for.
func (c *completion) taskID() string {
	unit := ""
	if c.kind == cycle.TaskSubmitProposal {
		unit = c.p.Account.District
	}
	return cycle.TaskID(c.kind, unit)
}

// logCompletion logs the completion's outcome for operators, with the keys the
// workflows and activities use (cycle, task, province).
func (s *Server) logCompletion(c *completion, outcome string, err error) {
	args := []any{"cycle", c.cycleID, "task", c.taskID(), "province", c.province, "account", c.p.Account.ID,
		"request", c.requestID(), "outcome", outcome}
	if err != nil {
		args = append(args, "error", err)
	}
	s.Logger.Info("task completion", args...)
}

// checkKey refuses a missing or malformed request ID.
func checkKey(key string) error {
	if key == "" {
		return errBadRequest("the Idempotency-Key header is required on a task completion: a random string (8–100 of A–Z a–z 0–9 . _ : -) that you send again, unchanged, to retry the same request")
	}
	if !idempotencyKey.MatchString(key) {
		return errBadRequest("Idempotency-Key %q is malformed: 8–100 of A–Z a–z 0–9 . _ : -", clip(key, 100))
	}
	return nil
}

// authorizeRole refuses, before anything reaches the workflow, an account
// whose role does not complete tasks of this kind.
func (c *completion) authorizeRole() error {
	want := cycle.RoleFor(c.kind)
	if c.p.Account.Role != want {
		return cycle.Errorf(cycle.EFORBIDDEN, "task %s is for the %s role; %s acts as %s", c.kind, want, c.p.Account.ID, c.p.Account.Role)
	}
	return nil
}

// refuse records a refusal in the audit trail and returns err (or the
// audit's own failure).
func (s *Server) refuse(ctx context.Context, c *completion, err error) error {
	ce := asError(err)
	if ce.Code == cycle.EINTERNAL || ce.Code == ETIMEOUT {
		s.logCompletion(c, ce.Code, err)
		return err // not a refusal: the request may still complete
	}
	s.logCompletion(c, "refused: "+ce.Code, err)
	if aerr := s.audit(ctx, c.r, c.p, "refused", c.object(), c.key, ce.Code, "complete."+string(c.kind)+": "+ce.Error()); aerr != nil {
		return aerr
	}
	return err
}

// update sends the completion to the workflow and waits for its result; a
// refusal is audited, and so is the completion. If the completion cannot
// be audited the error says so, and the client retries with the same key:
// the workflow returns the first result and the audit is written then.
func (s *Server) update(ctx context.Context, c *completion, name string, arg, result any, summary func() string) error {
	if err := c.authorizeRole(); err != nil {
		return s.refuse(ctx, c, err)
	}
	ctx, cancel := context.WithTimeout(ctx, s.UpdateTimeout)
	defer cancel()
	h, err := s.Temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID: c.cycleID, UpdateID: c.requestID(), UpdateName: name, Args: []any{arg},
		WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err == nil {
		err = h.Get(ctx, result)
	}
	if err != nil {
		return s.refuse(context.WithoutCancel(ctx), c, err)
	}
	s.logCompletion(c, "ok", nil)
	return s.audit(context.WithoutCancel(ctx), c.r, c.p, "complete."+string(c.kind), c.object(), c.key, "ok", summary())
}

// request is the workflow request of a completion: the actor is the
// session's account, always.
func (c *completion) request() workflows.Request {
	return workflows.Request{Actor: c.p.Account.Actor(), RequestID: c.requestID()}
}

// ---- the five tasks --------------------------------------------------------

func (s *Server) submitProposal(ctx context.Context, c *completion, p cycle.Proposal) (workflows.SubmitProposalResult, error) {
	var res workflows.SubmitProposalResult
	if err := c.authorizeRole(); err != nil {
		return res, s.refuse(ctx, c, err)
	}
	if p.Unit != c.p.Account.District {
		return res, s.refuse(ctx, c, cycle.Errorf(cycle.EFORBIDDEN, "the proposal is of unit %s; %s acts for unit %s only", p.Unit, c.p.Account.ID, c.p.Account.District))
	}
	err := s.update(ctx, c, workflows.UpdateSubmitProposal, workflows.SubmitProposalRequest{Request: c.request(), Proposal: p}, &res, func() string {
		return fmt.Sprintf("proposal of unit %s: revision %d, %d communes proposed", res.Unit, res.Revision, res.Proposed)
	})
	return res, err
}

func (s *Server) consolidate(ctx context.Context, c *completion, cons cycle.Consolidation) (workflows.ConsolidateResult, error) {
	var res workflows.ConsolidateResult
	err := s.update(ctx, c, workflows.UpdateConsolidate, workflows.ConsolidateRequest{Request: c.request(), Consolidation: cons}, &res, func() string {
		return fmt.Sprintf("draft list of %d communes (%d decisions)", len(res.Draft), len(cons.Decisions))
	})
	return res, err
}

func (s *Server) appraise(ctx context.Context, c *completion, a cycle.Appraisal) (workflows.AppraiseResult, error) {
	var res workflows.AppraiseResult
	err := s.update(ctx, c, workflows.UpdateAppraise, workflows.AppraiseRequest{Request: c.request(), Appraisal: a}, &res, func() string {
		if res.Returned {
			return "list returned to the secretariat: " + a.Reason
		}
		return fmt.Sprintf("list of %d communes approved (%d removed)", len(res.List), len(a.Removals))
	})
	return res, err
}

func (s *Server) sign(ctx context.Context, c *completion, comment string) (workflows.SignResult, error) {
	var res workflows.SignResult
	err := s.update(ctx, c, workflows.UpdateSign, workflows.SignRequest{Request: c.request(), Comment: comment}, &res, func() string {
		return "signed on " + res.SignedAt.Vietnamese()
	})
	return res, err
}

func (s *Server) issue(ctx context.Context, c *completion) (cycle.Decision, error) {
	var d cycle.Decision
	err := s.update(ctx, c, workflows.UpdateIssue, workflows.IssueRequest{Request: c.request()}, &d, func() string {
		return fmt.Sprintf("decision %s issued (%s)", d.Code, d.ID)
	})
	return d, err
}

// ---- reading a proposal ----------------------------------------------------

// Proposal file formats: the media types a proposal is sent as.
const (
	mimeJSON = intake.MediaJSON
	mimeCSV  = intake.MediaCSV
	mimeXLSX = intake.MediaXLSX
)

// formatOf names the format of an upload from its file name or, failing
// that, its media type; "" is a type the API does not take (415).
func formatOf(mediaType, filename string) string {
	switch strings.ToLower(filepath.Ext(filename)) {
	case ".json":
		return mimeJSON
	case ".csv", ".txt", ".tsv":
		return mimeCSV
	case ".xlsx":
		return mimeXLSX
	}
	switch mediaType {
	case mimeJSON, mimeCSV, mimeXLSX:
		return mediaType
	case "application/csv", "text/plain", "text/tab-separated-values":
		return mimeCSV
	}
	return ""
}

// parseProposal reads a proposal file for the officer's unit through
// intake, as the CLI and the checker do (the file's format is its own
// bytes' when they say, else its media type's). A JSON file that names
// another unit keeps that unit, so that the caller refuses it as
// forbidden rather than as invalid; a body that is not JSON at all is a
// bad request. The origins place the problems the workflow finds later.
func parseProposal(f intake.File, unit string) (cycle.Proposal, cycle.Origins, error) {
	if f.Type == "" {
		return cycle.Proposal{}, nil, cycle.Errorf(EUNSUPPORTED, "a proposal is JSON (%s), CSV (%s) or Excel (%s)", mimeJSON, mimeCSV, mimeXLSX)
	}
	if format, err := f.FormatOf(); err == nil && format == intake.JSON {
		var head struct {
			Unit string `json:"unit"`
		}
		if json.Unmarshal(bytes.TrimPrefix(f.Data, []byte("\xef\xbb\xbf")), &head) == nil {
			if u := cycle.Clean(head.Unit); u != "" && u != unit {
				return cycle.Proposal{Unit: u}, nil, nil
			}
		}
	}
	p, origins, err := intake.ReadProposal(f, unit)
	if err != nil && intake.IsMalformedJSON(err) {
		ce := *asError(err)
		ce.Code = EBADREQUEST
		return cycle.Proposal{}, nil, &ce
	}
	return p, origins, err
}

// readUpload reads the proposal file of a request: the body itself (JSON,
// CSV or .xlsx by Content-Type) or the "file" part of a multipart form.
// A body over the upload limit is refused as too_large before it is
// parsed, naming its size and the limit.
func (s *Server) readUpload(w http.ResponseWriter, r *http.Request) (intake.File, error) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return intake.File{}, cycle.Errorf(EUNSUPPORTED, "Content-Type is missing or malformed: send %s, %s, %s or multipart/form-data with a file part", mimeJSON, mimeCSV, mimeXLSX)
	}
	if mt != "multipart/form-data" && r.ContentLength > s.MaxUploadBytes {
		return intake.File{}, intake.CheckSize("", r.ContentLength, s.MaxUploadBytes)
	}
	if err := intake.CheckUploadSize(r.ContentLength, s.MaxUploadBytes, 64<<10); err != nil {
		return intake.File{}, err
	}
	body := http.MaxBytesReader(w, r.Body, s.MaxUploadBytes+64<<10)
	if mt != "multipart/form-data" {
		f, err := intake.Read("", body, s.MaxUploadBytes)
		if err != nil {
			return intake.File{}, err
		}
		f.Type = formatOf(mt, "")
		return f, nil
	}
	mr := multipart.NewReader(body, params["boundary"])
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return intake.File{}, errBadRequest("the form has no file part named \"file\"")
		}
		if err != nil {
			if asError(err).Code == ETOOLARGE {
				return intake.File{}, intake.OverLimit("", s.MaxUploadBytes)
			}
			return intake.File{}, errBadRequest("malformed multipart body: %v", err)
		}
		if part.FormName() != "file" {
			continue
		}
		f, err := intake.Read(part.FileName(), part, s.MaxUploadBytes)
		if err != nil {
			if ce := asError(err); ce.Code == ETOOLARGE || ce.Code == intake.ETooLarge {
				return intake.File{}, err
			}
			return intake.File{}, errBadRequest("malformed multipart body: %v", err)
		}
		ct, _, _ := mime.ParseMediaType(part.Header.Get("Content-Type"))
		f.Type = formatOf(ct, part.FileName())
		return f, nil
	}
}
