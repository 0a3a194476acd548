package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"time"

	"chuyenhoa/cycle"
	"chuyenhoa/intake"
	"chuyenhoa/postgres"
	"chuyenhoa/workflows"
)

// apiHandler is an API handler of a signed-in officer.
type apiHandler func(w http.ResponseWriter, r *http.Request, p *principal) error

// authed authenticates an API request by its bearer token and writes the
// handler's error, if any, as a JSON error response.
func (s *Server) authed(h apiHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, err := s.bearer(r)
		if err == nil {
			err = h(w, r, p)
		}
		if err != nil {
			s.writeError(w, r, err)
		}
	}
}

func (s *Server) apiRoutes() {
	m := s.mux
	m.HandleFunc("POST /api/session", s.apiSignIn)
	m.HandleFunc("DELETE /api/session", s.authed(s.apiSignOut))
	m.HandleFunc("GET /api/me", s.authed(s.apiMe))
	m.HandleFunc("GET /api/tasks", s.authed(s.apiTasks))
	m.HandleFunc("GET /api/provinces/{province}", s.authed(s.apiProvince))
	m.HandleFunc("GET /api/provinces/{province}/communes/{code}", s.authed(s.apiCommune))
	m.HandleFunc("GET /api/cycles/{province}/{year}", s.authed(s.apiCycle))
	m.HandleFunc("GET /api/cycles/{province}/{year}/selection", s.authed(s.apiSelection))
	m.HandleFunc("GET /api/cycles/{province}/{year}/decisions", s.authed(s.apiDecisions))
	m.HandleFunc("GET /api/cycles/{province}/{year}/decisions/{kind}", s.authed(s.apiDecision))
	m.HandleFunc("GET /api/cycles/{province}/{year}/decisions/{kind}/pdf", s.authed(s.apiDecisionPDF))
	m.HandleFunc("GET /api/cycles/{province}/{year}/proposal-template", s.authed(s.apiTemplate))
	m.HandleFunc("POST /api/cycles/{province}/{year}/proposal", s.authed(s.apiSubmitProposal))
	m.HandleFunc("POST /api/cycles/{province}/{year}/consolidation", s.authed(s.apiConsolidate))
	m.HandleFunc("POST /api/cycles/{province}/{year}/appraisal", s.authed(s.apiAppraise))
	m.HandleFunc("POST /api/cycles/{province}/{year}/signature", s.authed(s.apiSign))
	m.HandleFunc("POST /api/cycles/{province}/{year}/issue", s.authed(s.apiIssue))
	m.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, cycle.Errorf(cycle.ENOTFOUND, "no route %s %s (see openapi.yaml)", r.Method, r.URL.Path))
	})
	m.HandleFunc("GET /api/openapi.yaml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
		_, _ = w.Write(openAPI)
	})
}

// decodeJSON decodes a JSON body into v, refusing other media types (415),
// bodies over the limit (413), malformed JSON, unknown fields and trailing
// data (400). An empty body is allowed when empty is true.
func (s *Server) decodeJSON(w http.ResponseWriter, r *http.Request, v any, empty bool) error {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.MaxBodyBytes))
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return cycle.Errorf(ETOOLARGE, "the body is larger than the limit of %d bytes", s.MaxBodyBytes)
		}
		return errBadRequest("read body: %v", err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		if empty {
			return nil
		}
		return errBadRequest("the body is empty: send a JSON object")
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != mimeJSON {
		return cycle.Errorf(EUNSUPPORTED, "send the body as %s", mimeJSON)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return errBadRequest("malformed JSON at byte %d: %v", se.Offset, err)
		case errors.As(err, &te):
			return errBadRequest("malformed JSON: field %q: %s is not a valid %s", te.Field, te.Value, te.Type)
		}
		return errBadRequest("malformed JSON: %v", err)
	}
	if dec.More() {
		return errBadRequest("malformed JSON: data after the object")
	}
	return nil
}

// ---- session ---------------------------------------------------------------

// SignInRequest is the body of POST /api/session.
type SignInRequest struct {
	Account  string `json:"account"`
	Password string `json:"password"`
}

// SessionResponse is a new session's token and whose it is.
type SessionResponse struct {
	Token     string           `json:"token"`
	ExpiresAt time.Time        `json:"expires_at"`
	Account   postgres.Account `json:"account"`
}

func (s *Server) apiSignIn(w http.ResponseWriter, r *http.Request) {
	var req SignInRequest
	err := s.decodeJSON(w, r, &req, false)
	var p *principal
	if err == nil {
		p, err = s.signIn(r.Context(), r, req.Account, req.Password)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, SessionResponse{Token: p.token, ExpiresAt: p.expires, Account: p.Account})
}

func (s *Server) apiSignOut(w http.ResponseWriter, r *http.Request, p *principal) error {
	if err := s.signOut(r.Context(), r, p); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request, p *principal) error {
	writeJSON(w, http.StatusOK, struct {
		Account   postgres.Account `json:"account"`
		ExpiresAt time.Time        `json:"expires_at"`
	}{p.Account, p.expires})
	return nil
}

// ---- reading ---------------------------------------------------------------

// TasksResponse is the officer's inbox.
type TasksResponse struct {
	Today cycle.Date `json:"today"`
	Tasks []TaskView `json:"tasks"`
}

func (s *Server) apiTasks(w http.ResponseWriter, r *http.Request, p *principal) error {
	ts, err := s.inbox(r.Context(), p.Account)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, TasksResponse{Today: s.today(), Tasks: ts})
	return nil
}

func (s *Server) apiProvince(w http.ResponseWriter, r *http.Request, p *principal) error {
	prov, _, err := s.Store.Province(r.Context(), r.PathValue("province"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, prov)
	return nil
}

// CommuneResponse is a commune of the registry with its district's name.
type CommuneResponse struct {
	cycle.Commune
	DistrictName string `json:"district_name,omitempty"`
	Province     string `json:"province"`
	ProvinceName string `json:"province_name"`
}

func (s *Server) apiCommune(w http.ResponseWriter, r *http.Request, p *principal) error {
	prov, _, err := s.Store.Province(r.Context(), r.PathValue("province"))
	if err != nil {
		return err
	}
	c, ok := prov.Commune(r.PathValue("code"))
	if !ok {
		return cycle.Errorf(cycle.ENOTFOUND, "commune %q is not in %s", r.PathValue("code"), prov.Name)
	}
	writeJSON(w, http.StatusOK, CommuneResponse{Commune: c, DistrictName: prov.UnitName(c.District), Province: prov.Code, ProvinceName: prov.Name})
	return nil
}

// query runs a query of a cycle's workflow.
func (s *Server) query(ctx context.Context, cycleID, name string, out any) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	v, err := s.Temporal.QueryWorkflow(ctx, cycleID, "", name)
	if err != nil {
		if ce := asError(err); ce.Code == cycle.ENOTFOUND {
			return cycle.Errorf(cycle.ENOTFOUND, "no cycle %s", cycleID)
		}
		return err
	}
	return v.Get(out)
}

func (s *Server) apiCycle(w http.ResponseWriter, r *http.Request, p *principal) error {
	_, _, id, err := cycleOf(r)
	if err != nil {
		return err
	}
	var st workflows.CycleState
	if err := s.query(r.Context(), id, workflows.QueryState, &st); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

func (s *Server) apiSelection(w http.ResponseWriter, r *http.Request, p *principal) error {
	_, _, id, err := cycleOf(r)
	if err != nil {
		return err
	}
	var sel cycle.SelectionResult
	if err := s.query(r.Context(), id, workflows.QuerySelection, &sel); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sel)
	return nil
}

func (s *Server) apiDecisions(w http.ResponseWriter, r *http.Request, p *principal) error {
	_, _, id, err := cycleOf(r)
	if err != nil {
		return err
	}
	ds, err := s.Store.Decisions(r.Context(), id)
	if err != nil {
		return err
	}
	if ds == nil {
		ds = []cycle.Decision{}
	}
	writeJSON(w, http.StatusOK, ds)
	return nil
}

// decision finds a cycle's issued decision of a kind ("approval").
func (s *Server) decision(ctx context.Context, r *http.Request) (cycle.Decision, error) {
	_, _, id, err := cycleOf(r)
	if err != nil {
		return cycle.Decision{}, err
	}
	ds, err := s.Store.Decisions(ctx, id)
	if err != nil {
		return cycle.Decision{}, err
	}
	for _, d := range ds {
		if d.Kind == r.PathValue("kind") {
			return d, nil
		}
	}
	return cycle.Decision{}, cycle.Errorf(cycle.ENOTFOUND, "cycle %s has no issued %q decision", id, r.PathValue("kind"))
}

func (s *Server) apiDecision(w http.ResponseWriter, r *http.Request, p *principal) error {
	d, err := s.decision(r.Context(), r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

func (s *Server) apiDecisionPDF(w http.ResponseWriter, r *http.Request, p *principal) error {
	return s.servePDF(w, r, p)
}

// servePDF sends an issued decision's PDF from the store, audited.
func (s *Server) servePDF(w http.ResponseWriter, r *http.Request, p *principal) error {
	d, err := s.decision(r.Context(), r)
	if err != nil {
		return err
	}
	pdf, err := s.Store.DecisionPDF(r.Context(), d.ID)
	if err != nil {
		return err
	}
	if err := s.audit(r.Context(), r, p, "download", d.ID, "", "ok", "decision "+d.Code+" PDF, sha256 "+d.SHA256); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": pdfName(d)}))
	w.Header().Set("Content-Length", strconv.Itoa(len(pdf)))
	w.Header().Set("Cache-Control", "private, no-store")
	_, _ = w.Write(pdf)
	return nil
}

func pdfName(d cycle.Decision) string {
	return "quyet-dinh-" + strconv.Itoa(d.Number) + "-" + strconv.Itoa(d.Year) + "-" + d.Kind + ".pdf"
}

// apiTemplate serves the proposal template of the officer's unit (or of
// ?unit= for others) as .xlsx (default) or ?format=csv.
func (s *Server) apiTemplate(w http.ResponseWriter, r *http.Request, p *principal) error {
	return s.serveTemplate(w, r, p)
}

func (s *Server) serveTemplate(w http.ResponseWriter, r *http.Request, p *principal) error {
	province, year, _, err := cycleOf(r)
	if err != nil {
		return err
	}
	unit := p.Account.District
	if unit == "" {
		unit = r.URL.Query().Get("unit")
	}
	prov, _, err := s.Store.Province(r.Context(), province)
	if err != nil {
		return err
	}
	if !isUnit(prov, unit) {
		return cycle.Errorf(cycle.ENOTFOUND, "unit %q is not a unit of %s: give ?unit=CODE", unit, prov.Name)
	}
	var buf bytes.Buffer
	name := "de-xuat-" + unit + "-" + strconv.Itoa(year)
	if r.URL.Query().Get("format") == "csv" {
		empty := cycle.Proposal{Unit: unit}
		for _, c := range intake.UnitCommunes(prov, unit) {
			empty.Statistics = append(empty.Statistics, cycle.CommuneFigures{Commune: c.Code})
		}
		if err := cycle.WriteProposalCSV(&buf, prov, empty); err != nil {
			return err
		}
		w.Header().Set("Content-Type", mimeCSV+"; charset=utf-8")
		name += ".csv"
	} else {
		if err := intake.WriteProposalTemplateXLSX(&buf, prov, unit, nil); err != nil {
			return err
		}
		w.Header().Set("Content-Type", mimeXLSX)
		name += ".xlsx"
	}
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	_, _ = w.Write(buf.Bytes())
	return nil
}

// ---- completing tasks ------------------------------------------------------

// CompletionResponse is the answer to a completed task: the request ID it
// was completed under and the workflow's result.
type CompletionResponse struct {
	RequestID string `json:"request_id"`
	Result    any    `json:"result"`
}

// newCompletion reads the cycle and the request ID of a completion.
func newCompletion(r *http.Request, p *principal, kind cycle.TaskKind, key string) (*completion, error) {
	province, year, id, err := cycleOf(r)
	if err != nil {
		return nil, err
	}
	if err := checkKey(key); err != nil {
		return nil, err
	}
	return &completion{p: p, r: r, province: province, year: year, cycleID: id, kind: kind, key: key}, nil
}

func (s *Server) apiComplete(kind cycle.TaskKind, run func(w http.ResponseWriter, r *http.Request, c *completion) (any, error)) apiHandler {
	return func(w http.ResponseWriter, r *http.Request, p *principal) error {
		c, err := newCompletion(r, p, kind, r.Header.Get("Idempotency-Key"))
		if err != nil {
			return err
		}
		res, err := run(w, r, c)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, CompletionResponse{RequestID: c.key, Result: res})
		return nil
	}
}

func (s *Server) apiSubmitProposal(w http.ResponseWriter, r *http.Request, p *principal) error {
	return s.apiComplete(cycle.TaskSubmitProposal, func(w http.ResponseWriter, r *http.Request, c *completion) (any, error) {
		if err := c.authorizeRole(); err != nil {
			return nil, s.refuse(r.Context(), c, err)
		}
		f, err := s.readUpload(w, r)
		if err != nil {
			return nil, err
		}
		prop, origins, err := parseProposal(f, p.Account.District)
		if err != nil {
			return nil, s.refuse(r.Context(), c, err)
		}
		res, err := s.submitProposal(r.Context(), c, prop)
		return res, locate(origins, prop.Unit, err)
	})(w, r, p)
}

func (s *Server) apiConsolidate(w http.ResponseWriter, r *http.Request, p *principal) error {
	return s.apiComplete(cycle.TaskConsolidate, func(w http.ResponseWriter, r *http.Request, c *completion) (any, error) {
		var cons cycle.Consolidation
		if err := s.decodeJSON(w, r, &cons, true); err != nil {
			return nil, err
		}
		for i := range cons.Decisions {
			cons.Decisions[i].Commune, cons.Decisions[i].Reason = cycle.Clean(cons.Decisions[i].Commune), cycle.Clean(cons.Decisions[i].Reason)
		}
		cons.Note = cycle.Clean(cons.Note)
		return s.consolidate(r.Context(), c, cons)
	})(w, r, p)
}

func (s *Server) apiAppraise(w http.ResponseWriter, r *http.Request, p *principal) error {
	return s.apiComplete(cycle.TaskAppraise, func(w http.ResponseWriter, r *http.Request, c *completion) (any, error) {
		var a cycle.Appraisal
		if err := s.decodeJSON(w, r, &a, false); err != nil {
			return nil, err
		}
		a.Reason, a.Minutes = cycle.Clean(a.Reason), cycle.Clean(a.Minutes)
		for i := range a.Removals {
			a.Removals[i].Commune, a.Removals[i].Reason = cycle.Clean(a.Removals[i].Commune), cycle.Clean(a.Removals[i].Reason)
		}
		for i := range a.Members {
			a.Members[i] = cycle.Clean(a.Members[i])
		}
		return s.appraise(r.Context(), c, a)
	})(w, r, p)
}

// SignBody is the body of POST …/signature.
type SignBody struct {
	Comment string `json:"comment,omitempty"`
}

func (s *Server) apiSign(w http.ResponseWriter, r *http.Request, p *principal) error {
	return s.apiComplete(cycle.TaskSign, func(w http.ResponseWriter, r *http.Request, c *completion) (any, error) {
		var b SignBody
		if err := s.decodeJSON(w, r, &b, true); err != nil {
			return nil, err
		}
		return s.sign(r.Context(), c, cycle.Clean(b.Comment))
	})(w, r, p)
}

func (s *Server) apiIssue(w http.ResponseWriter, r *http.Request, p *principal) error {
	return s.apiComplete(cycle.TaskIssue, func(w http.ResponseWriter, r *http.Request, c *completion) (any, error) {
		var b struct{}
		if err := s.decodeJSON(w, r, &b, true); err != nil {
			return nil, err
		}
		return s.issue(r.Context(), c)
	})(w, r, p)
}

// isUnit reports whether code is a submitting unit of the province: a
// district, or a commune in a two-tier province.
func isUnit(prov cycle.Province, code string) bool {
	for _, u := range prov.Units() {
		if u == code {
			return true
		}
	}
	return false
}

// unitCommunes are the communes whose figures a unit reports.
func unitCommunes(prov cycle.Province, unit string) []cycle.Commune {
	return intake.UnitCommunes(prov, unit)
}

// locate gives the problems of a refusal — the workflow's, about a
// proposal read from a file — their places in the file, in the file's
// order (see cycle.Origins.Placed); the refusal's message, which the
// workflow sends in English only, is said in Vietnamese too.
func locate(origins cycle.Origins, proposalUnit string, err error) error {
	if err == nil || len(origins) == 0 {
		return err
	}
	ce := workflows.AsCycleError(err)
	if ce == nil || len(ce.Problems) == 0 {
		return err
	}
	out := *ce
	out.Problems = origins.Placed(ce.Problems)
	if out.Text == "" && out.Code == cycle.EINVALID {
		out.Text = cycle.Say(cycle.Vietnamese, "proposal.refused", proposalUnit)
	}
	return &out
}
