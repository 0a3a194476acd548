package api

import (
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"chuyenhoa/cycle"
)

// The web pages of tasks: the inbox with its filters, and one task's page
// — what to do and by when, who holds it, its files and history, and its
// kind's form — on which the officer completes it, saves a draft, claims
// or releases it, or attaches a file.

// taskPageData is one task's page.
type taskPageData struct {
	*TaskDetail
	Kind      *taskKind
	Form      string            // the form's template
	Values    map[string]string // what the form shows: what was posted, or the draft
	Fields    map[string][]cycle.Problem
	Problems  []cycle.Problem // problems not placed at a field
	RequestID string
	Saved     bool          // a draft was just saved
	FormHTML  template.HTML // the kind's form, filled in
	Preview   *PreviewResponse
}

// webPreview evaluates the report on the form without sending it.
func (s *taskForms) webPreview(r *http.Request, p *principal) (*PreviewResponse, error) {
	t, _, err := s.findTask(r.Context(), r, p)
	if err != nil {
		return nil, err
	}
	rep, err := reportFromForm(r.PostForm)
	if err != nil {
		return nil, err
	}
	out, err := s.preview(r.Context(), t, cleanReport(rep))
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// webPreviewFragment is the preview's HTML alone, for the report form's
// script to show as the officer types.
func (s *taskForms) webPreviewFragment(w http.ResponseWriter, r *http.Request, p *principal) error {
	out, err := s.webPreview(r, p)
	if err != nil {
		ce := asError(err)
		if ce.Code == cycle.EINTERNAL {
			return err
		}
		out = &PreviewResponse{Outcome: "Chưa đánh giá được", Missing: ce.Problems}
		if len(ce.Problems) == 0 {
			out.Summary = ce.In(cycle.Vietnamese)
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	return pages["task"].ExecuteTemplate(w, "preview", out)
}

// webTaskPage shows a task and takes its form's actions: "submit" (the
// default) completes it; "draft" saves the form; "claim" and "release"
// take and give back a shared task; "attach" adds a file.
func (s *taskForms) webTaskPage(w http.ResponseWriter, r *http.Request, p *principal) error {
	ctx := r.Context()
	status := http.StatusOK
	var refusal *cycle.Error
	values := map[string]string{}
	requestID := newRequestID()
	saved := false
	var preview *PreviewResponse
	if r.Method == http.MethodPost {
		for k, v := range r.PostForm {
			if len(v) > 0 {
				values[k] = v[0]
			}
		}
		var err error
		done := false
		switch r.PostFormValue("action") {
		case "draft":
			var t cycle.Task
			if t, _, err = s.findTask(ctx, r, p); err == nil {
				_, err = s.saveDraft(ctx, r, p, t, values)
				saved = err == nil
			}
		case "claim":
			_, err = s.claim(ctx, r, p)
		case "release":
			err = s.release(ctx, r, p)
		case "attach":
			err = s.webAttach(r, p)
		case "preview":
			preview, err = s.webPreview(r, p)
		default:
			requestID = r.PostFormValue("request_id")
			if !idempotencyKey.MatchString(requestID) {
				requestID = newRequestID()
			}
			done, err = s.webSubmit(r, p, requestID)
		}
		if err == nil && done {
			t, _, _ := s.findTask(ctx, r, p)
			http.Redirect(w, r, "/inbox?done="+url.QueryEscape(string(t.Kind)), http.StatusSeeOther)
			return nil
		}
		if err != nil {
			refusal = asError(err)
			if refusal.Code == cycle.EINTERNAL {
				return err
			}
			status = statusOf(refusal.Code)
			if refusal.Code != ETIMEOUT {
				requestID = newRequestID()
			}
		} else if a := r.PostFormValue("action"); a != "draft" && a != "preview" {
			values = map[string]string{}
		}
	}
	td, err := s.detail(ctx, r, p)
	if err != nil {
		return err
	}
	k := taskKinds[td.Task.Kind]
	d := &taskPageData{TaskDetail: td, Kind: k, Form: "form-" + k.Form, Values: values, Fields: map[string][]cycle.Problem{}, RequestID: requestID, Saved: saved, Preview: preview}
	switch {
	case r.Method == http.MethodGet && td.Draft != nil:
		d.Values = td.Draft.Values
	case len(d.Values) == 0:
		if nd, ok := td.Data.(*NominateData); ok {
			d.Values = nominationValues(nd)
		}
	}
	if refusal != nil {
		d.place(refusal.Problems)
	}
	if (td.Open || td.Revisable) && td.Mine {
		if d.FormHTML, err = renderForm(pages["task"], d, p.csrf()); err != nil {
			return err
		}
	}
	s.render(w, r, status, "task", pageData{Title: label(kindLabels, td.Task.Kind), Account: p, Error: refusal, Data: d})
	return nil
}

// webSubmit completes a task from its form; it reports whether it did.
func (s *taskForms) webSubmit(r *http.Request, p *principal, requestID string) (bool, error) {
	ctx := r.Context()
	c, err := s.call(ctx, r, p, requestID)
	if err != nil {
		if c != nil {
			return false, s.refuse(ctx, c, err)
		}
		return false, err
	}
	k := taskKinds[c.task.Kind]
	arg, err := k.form(s, r, c)
	if err != nil {
		if refusedInput(err) {
			return false, s.refuse(ctx, c, err)
		}
		return false, err
	}
	_, err = s.complete(ctx, c, k, arg)
	return err == nil, err
}

// webAttach attaches the form's file to the task.
func (s *taskForms) webAttach(r *http.Request, p *principal) error {
	t, open, err := s.findTask(r.Context(), r, p)
	if err != nil {
		return err
	}
	if !open {
		return cycle.Fail(cycle.ECONFLICT, "api.task_closed", taskLabel(t))
	}
	if r.MultipartForm == nil || len(r.MultipartForm.File["attachment"]) == 0 {
		return cycle.Fail(EBADREQUEST, "api.attachment_empty")
	}
	fh := r.MultipartForm.File["attachment"][0]
	if fh.Size > MaxAttachmentBytes {
		return cycle.Fail(ETOOLARGE, "api.attachment_size", fh.Filename, cycle.Int(fh.Size), cycle.Int(MaxAttachmentBytes))
	}
	data, err := readFileHeader(fh)
	if err != nil {
		return err
	}
	_, err = s.attach(r.Context(), r, p, t, fh.Filename, data)
	return err
}

// proposalFromWeb reads a proposal from its page: a file, or the table
// typed in on the page ("mode" table).
func (s *taskForms) proposalFromWeb(r *http.Request, c *taskCall) (cycle.Proposal, error) {
	f := r.PostForm
	var prop cycle.Proposal
	if f.Get("mode") == "table" {
		a := addressOfTask(c.task)
		prov, _, err := s.cfg.Store.Province(r.Context(), a.Province)
		if err != nil {
			return prop, err
		}
		if prop, err = proposalFromTable(f, prov, c.task.District); err != nil {
			return prop, err
		}
	} else {
		file, err := uploadedFile(r, s.cfg.MaxUploadBytes)
		if err != nil {
			return prop, err
		}
		if prop, c.origins, err = parseProposal(file, c.task.District); err != nil {
			return prop, err
		}
	}
	if note := cycle.Clean(f.Get("note")); note != "" && prop.Note == "" {
		prop.Note = note
	}
	return prop, nil
}

// place puts each problem next to its field: a named field of the form
// (a report's figure, a review's causes…), a commune's row when it names
// a commune on the form, or else the list at the top.
func (d *taskPageData) place(probs []cycle.Problem) {
	// A file's problems are listed by the file's field, each with its
	// place in the file.
	file := d.Kind != nil && d.Kind.Form == "proposal" && d.Values["mode"] != "table"
	for _, pr := range probs {
		switch {
		case file:
			d.Fields["file"] = append(d.Fields["file"], pr)
		case pr.Field != "" && d.fieldOnForm(pr.Field) != "":
			f := d.fieldOnForm(pr.Field)
			d.Fields[f] = append(d.Fields[f], pr)
		case pr.Commune != "":
			code := communeCode(pr.Commune)
			d.Fields["row."+code] = append(d.Fields["row."+code], pr)
		default:
			d.Problems = append(d.Problems, pr)
		}
	}
}

// fieldOnForm maps a problem's field to the form field it concerns.
func (d *taskPageData) fieldOnForm(field string) string {
	switch {
	case len(field) > 8 && field[:8] == "figures.":
		return "f." + field[8:]
	case len(field) > 9 && field[:9] == "baseline.":
		return "b." + field[9:]
	case field == "area_average":
		return "area_crimes"
	case strings.HasPrefix(field, "communes["):
		return "communes"
	}
	switch field {
	case "reason", "minutes", "members", "note", "outcome", "causes", "remedies", "responsible", "emulation", "file", "nominations", "content", "held":
		return field
	}
	return ""
}

// communeCode reads the code of "Xã A (21010)".
func communeCode(label string) string {
	if i := len(label) - 1; i > 0 && label[i] == ')' {
		for j := i - 1; j >= 0; j-- {
			if label[j] == '(' {
				return label[j+1 : i]
			}
		}
	}
	return label
}

// flash is the message of a completed task, after the redirect.
func flash(r *http.Request) string {
	if l, ok := kindLabels[cycle.TaskKind(r.URL.Query().Get("done"))]; ok {
		return "Đã hoàn thành: " + l + "."
	}
	if code := "flash." + r.URL.Query().Get("ok"); code != "flash." {
		if _, ok := cycle.Message(code); ok {
			return cycle.Say(cycle.Vietnamese, code)
		}
	}
	return ""
}
