package api

import (
	"context"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/transformation"
)

// The API of tasks: the inbox with its filters, one task with its form's
// data, history, claim, draft and files, and its completion. A task's
// address is its process (cycle or awards), province, year and task ID:
// /api/tasks/cycle/51/2027/half_year_report/21010/2027.

// CompletionResponse is the answer to a completed task: the request ID it
// was completed under and the workflow's result.
type CompletionResponse struct {
	RequestID string          `json:"request_id"`
	Result    json.RawMessage `json:"result"`
}

// apiComplete completes a task with the body its kind takes; the
// Idempotency-Key header makes a retry return the first result.
func (s *taskForms) apiComplete(w http.ResponseWriter, r *http.Request, p *principal) error {
	ctx := r.Context()
	key := r.Header.Get("Idempotency-Key")
	if !idempotencyKey.MatchString(key) {
		return cycle.Fail(EBADREQUEST, "api.idempotency_key")
	}
	c, err := s.call(ctx, r, p, key)
	if err != nil {
		if c != nil {
			return s.refuse(ctx, c, err)
		}
		return err
	}
	k := taskKinds[c.task.Kind]
	if k == nil {
		return cycle.Fail(cycle.ENOTFOUND, "api.no_kind", c.task.Kind)
	}
	arg, err := k.body(s, w, r, c)
	if err != nil {
		if refusedInput(err) {
			return s.refuse(ctx, c, err)
		}
		return err
	}
	res, err := s.complete(ctx, c, k, arg)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, CompletionResponse{RequestID: key, Result: res})
	return nil
}

// refusedInput reports whether err refuses what the officer sent (the
// rules', the role's, or the body's form), which the audit trail records.
func refusedInput(err error) bool {
	switch asError(err).Code {
	case cycle.EINVALID, cycle.EFORBIDDEN, EBADREQUEST, EUNSUPPORTED:
		return true
	}
	return false
}

// ---- drafts --------------------------------------------------------------------

// DraftBody is a draft: the form's values by field name.
type DraftBody struct {
	Values map[string]string `json:"values"`
}

func (s *taskForms) apiDraft(w http.ResponseWriter, r *http.Request, p *principal) error {
	t, _, err := s.findTask(r.Context(), r, p)
	if err != nil {
		return err
	}
	d, err := s.cfg.Store.Draft(r.Context(), t.CycleID, t.ID, p.Account.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

func (s *taskForms) apiSaveDraft(w http.ResponseWriter, r *http.Request, p *principal) error {
	t, open, err := s.findTask(r.Context(), r, p)
	if err != nil {
		return err
	}
	if !open {
		return cycle.Fail(cycle.ECONFLICT, "api.task_closed", taskLabel(t))
	}
	var b DraftBody
	if err := s.decodeJSON(w, r, &b, false); err != nil {
		return err
	}
	d, err := s.saveDraft(r.Context(), r, p, t, b.Values)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

// saveDraft keeps an officer's draft of a task's form (values cleaned,
// at most 2,000 fields of 64 KiB each) and audits it.
func (s *taskForms) saveDraft(ctx context.Context, r *http.Request, p *principal, t cycle.Task, values map[string]string) (cycle.Draft, error) {
	clean := map[string]string{}
	for k, v := range values {
		if k == "csrf" || k == "request_id" || k == "action" || len(clean) >= 2000 {
			continue
		}
		if len(v) > 64<<10 {
			v = v[:64<<10]
		}
		clean[cycle.Clean(k)] = cycle.Clean(v)
	}
	d := cycle.Draft{CycleID: t.CycleID, TaskID: t.ID, Account: p.Account.ID, Values: clean, SavedAt: s.cfg.Now()}
	if err := s.cfg.Store.SaveDraft(ctx, d); err != nil {
		return d, err
	}
	return d, s.audit(ctx, r, p, "draft", taskObjectOf(t), "", "ok", strconv.Itoa(len(clean))+" fields")
}

func (s *taskForms) apiDeleteDraft(w http.ResponseWriter, r *http.Request, p *principal) error {
	t, _, err := s.findTask(r.Context(), r, p)
	if err != nil {
		return err
	}
	if err := s.cfg.Store.DeleteDraft(r.Context(), t.CycleID, t.ID, p.Account.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// ---- claims --------------------------------------------------------------------

func taskObjectOf(t cycle.Task) string { return t.CycleID + " " + t.ID }

// ---- attachments ---------------------------------------------------------------

// MaxAttachmentBytes bounds a supporting file.
const MaxAttachmentBytes = 20 << 20

// attachmentTypes are the media types a supporting file may have, by the
// signature of its first bytes.
var attachmentTypes = []struct {
	magic string
	media string
}{
	{"%PDF-", "application/pdf"},
	{"\xff\xd8\xff", "image/jpeg"},
	{"\x89PNG\r\n\x1a\n", "image/png"},
	{"PK\x03\x04", "application/zip"}, // .docx, .xlsx: refined by the name below
}

// sniff is a file's media type from its content and name; "" if refused.
func sniff(name string, data []byte) string {
	for _, t := range attachmentTypes {
		if strings.HasPrefix(string(data), t.magic) {
			if t.media != "application/zip" {
				return t.media
			}
			switch strings.ToLower(name[strings.LastIndex(name, ".")+1:]) {
			case "docx":
				return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
			case "xlsx":
				return mimeXLSX
			}
			return ""
		}
	}
	return ""
}

// apiAttach attaches a file to a task: the body is the file (its name in
// ?name=) or a multipart form with a "file" part.
func (s *taskForms) apiAttach(w http.ResponseWriter, r *http.Request, p *principal) error {
	t, open, err := s.findTask(r.Context(), r, p)
	if err != nil {
		return err
	}
	if !open {
		return cycle.Fail(cycle.ECONFLICT, "api.task_closed", taskLabel(t))
	}
	name, data, err := s.readAttachment(w, r)
	if err != nil {
		return err
	}
	a, err := s.attach(r.Context(), r, p, t, name, data)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, a)
	return nil
}

func (s *taskForms) readAttachment(w http.ResponseWriter, r *http.Request) (string, []byte, error) {
	body := http.MaxBytesReader(w, r.Body, MaxAttachmentBytes+64<<10)
	mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "multipart/form-data" {
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			return "", nil, cycle.Fail(ETOOLARGE, "api.attachment_size", "", cycle.Int(r.ContentLength), cycle.Int(MaxAttachmentBytes))
		}
		if r.MultipartForm == nil || len(r.MultipartForm.File["file"]) == 0 {
			return "", nil, cycle.Fail(EBADREQUEST, "api.attachment_empty")
		}
		fh := r.MultipartForm.File["file"][0]
		data, err := readFileHeader(fh)
		return fh.Filename, data, err
	}
	_ = params
	data, err := io.ReadAll(io.LimitReader(body, MaxAttachmentBytes+1))
	if err != nil {
		return "", nil, cycle.Fail(ETOOLARGE, "api.attachment_size", r.URL.Query().Get("name"), cycle.Int(r.ContentLength), cycle.Int(MaxAttachmentBytes))
	}
	return r.URL.Query().Get("name"), data, nil
}

// attach stores a supporting file once and records it with the task.
func (s *taskForms) attach(ctx context.Context, r *http.Request, p *principal, t cycle.Task, name string, data []byte) (cycle.Attachment, error) {
	name = cycle.Clean(name)
	switch {
	case len(data) == 0:
		return cycle.Attachment{}, cycle.Fail(EBADREQUEST, "api.attachment_empty")
	case len(data) > MaxAttachmentBytes:
		return cycle.Attachment{}, cycle.Fail(ETOOLARGE, "api.attachment_size", name, cycle.Int(len(data)), cycle.Int(MaxAttachmentBytes))
	}
	media := sniff(name, data)
	if media == "" {
		return cycle.Attachment{}, cycle.Fail(EUNSUPPORTED, "api.attachment_type", name)
	}
	if name == "" {
		name = "tep-dinh-kem"
	}
	sha, err := s.cfg.Store.PutBlob(ctx, data)
	if err != nil {
		return cycle.Attachment{}, err
	}
	a := cycle.Attachment{CycleID: t.CycleID, TaskID: t.ID, SHA256: sha, Name: name, MediaType: media, Size: len(data), Account: p.Account.ID, At: s.cfg.Now()}
	if err := s.cfg.Store.AddAttachment(ctx, a); err != nil {
		return a, err
	}
	return a, s.audit(ctx, r, p, "attach", taskObjectOf(t), "", "ok", name+", sha256 "+sha)
}

// ---- report preview ------------------------------------------------------------

// PreviewResponse is the verdict a report would get, before it is sent.
type PreviewResponse struct {
	Outcome string          `json:"outcome"` // "Đạt", "Không đạt"
	Summary string          `json:"summary"` // the verdict's summary, for people
	Verdict cycle.Verdict   `json:"verdict"`
	Lines   []PreviewLine   `json:"lines"`
	Missing []cycle.Problem `json:"missing,omitempty"`
}

// PreviewLine is one criterion of the preview, in Vietnamese.
type PreviewLine struct {
	Criterion string `json:"criterion"`
	Met       bool   `json:"met"`
	Detail    string `json:"detail"`
}

// verdictText says a verdict for officers: the criteria met, or the score.
func verdictText(v cycle.Verdict) string {
	if v.MaxScore > 0 {
		return cycle.Say(cycle.Vietnamese, "api.verdict_score", cycle.Dec(v.Score), cycle.Dec(v.MaxScore))
	}
	return cycle.Say(cycle.Vietnamese, "api.verdict_met", v.Met, v.Counted)
}

// apiPreview evaluates a report for a report task without sending it: the
// officer sees each criterion's verdict as they type.
func (s *taskForms) apiPreview(w http.ResponseWriter, r *http.Request, p *principal) error {
	t, _, err := s.findTask(r.Context(), r, p)
	if err != nil {
		return err
	}
	var rep cycle.TransformationReport
	if err := s.decodeJSON(w, r, &rep, false); err != nil {
		return err
	}
	out, err := s.preview(r.Context(), t, cleanReport(rep))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// preview evaluates a report of a commune's task under its cycle's policy.
func (s *taskForms) preview(ctx context.Context, t cycle.Task, rep cycle.TransformationReport) (PreviewResponse, error) {
	if t.WorkflowID == "" || (t.Kind != cycle.TaskHalfYearReport && t.Kind != cycle.TaskYearlyReport && t.Kind != cycle.TaskFollowUpReport) {
		return PreviewResponse{}, cycle.Fail(cycle.ENOTFOUND, "api.no_kind", t.Kind)
	}
	st, err := flow.Query[transformation.CommuneState](ctx, s.cfg.Temporal, t.WorkflowID, transformation.QueryCommune)
	if err != nil {
		return PreviewResponse{}, err
	}
	info, _, err := s.cfg.Store.Cycle(ctx, t.CycleID)
	if err != nil {
		return PreviewResponse{}, err
	}
	var out PreviewResponse
	if ce := cycle.AsError(cycle.ValidateReport(info.Policy, st.Commune.Types, st.Commune.Kind, rep)); ce != nil {
		out.Missing = ce.Problems
	}
	// The average the report is evaluated with is the one computed from
	// the statistics the secretariat holds, as the report's activity does;
	// a typed one that differs is refused there.
	if _, _, need := cycle.ReportNeeds(info.Policy, st.Commune.Types, st.Commune.Kind); need {
		var period cycle.Span
		for _, rs := range st.Reports {
			if rs.Kind == reportKindOf(t.Kind) && !rs.Submitted {
				period = rs.Period
			}
		}
		a, err := transformation.ComputeArea(ctx, s.cfg.Store, info.Policy, t.CycleID, st.Commune.Commune, period)
		if err != nil {
			return PreviewResponse{}, err
		}
		if a != nil {
			if ce := cycle.AsError(cycle.CheckTypedArea(rep.Area, a)); ce != nil {
				out.Missing = append(out.Missing, ce.Problems...)
			}
			rep.Area = a
		}
	}
	v, err := cycle.EvaluateReport(info.Policy, st.Commune, rep)
	if err != nil {
		return PreviewResponse{}, err
	}
	out.Verdict, out.Outcome, out.Summary = v, outcomeWord(v.Outcome), verdictText(v)
	for _, c := range v.Results {
		if !c.Skipped {
			out.Lines = append(out.Lines, PreviewLine{Criterion: c.Name, Met: c.Passed, Detail: c.Text})
		}
	}
	return out, nil
}
