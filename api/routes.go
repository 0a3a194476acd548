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
	"chuyenhoa/workflows/selection"
)

// apiHandler is an API handler of a signed-in officer.
type apiHandler func(w http.ResponseWriter, r *http.Request, p *principal) error

// authed authenticates an API request by its bearer token and writes the
// handler's error, if any, as a JSON error response.
func (s *deps) authed(h apiHandler) http.HandlerFunc {
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
	m.HandleFunc("POST /api/session", s.sessions.apiSignIn)
	m.HandleFunc("DELETE /api/session", s.deps.authed(s.sessions.apiSignOut))
	m.HandleFunc("GET /api/me", s.deps.authed(s.sessions.apiMe))
	m.HandleFunc("GET /api/provinces/{province}", s.deps.authed(s.views.apiProvince))
	m.HandleFunc("GET /api/provinces/{province}/communes/{code}", s.deps.authed(s.views.apiCommune))
	m.HandleFunc("GET /api/cycles/{province}/{year}", s.deps.authed(s.views.apiCycle))
	m.HandleFunc("GET /api/cycles/{province}/{year}/selection", s.deps.authed(s.views.apiSelection))
	m.HandleFunc("GET /api/cycles/{province}/{year}/decisions", s.deps.authed(s.documents.apiDecisions))
	m.HandleFunc("GET /api/cycles/{province}/{year}/decisions/{kind}", s.deps.authed(s.documents.apiDecision))
	m.HandleFunc("GET /api/cycles/{province}/{year}/decisions/{kind}/pdf", s.deps.authed(s.documents.apiDecisionPDF))
	m.HandleFunc("GET /api/cycles/{province}/{year}/proposal-template", s.deps.authed(s.documents.apiTemplate))
	m.HandleFunc("GET /api/cycles/{province}/{year}/draft", s.deps.authed(s.documents.apiDraftPDF))
	s.taskRoutes()
	s.adminRoutes()
	s.accountRoutes()
	s.viewRoutes()
	s.documentRoutes()
	m.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		s.deps.writeError(w, r, cycle.Fail(cycle.ENOTFOUND, "api.no_route", r.Method, r.URL.Path))
	})
	m.HandleFunc("GET /api/openapi.yaml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
		_, _ = w.Write(openAPI)
	})
}

// decodeJSON decodes a JSON body into v, refusing other media types (415),
// bodies over the limit (413), malformed JSON, unknown fields and trailing
// data (400). An empty body is allowed when empty is true.
func (s *deps) decodeJSON(w http.ResponseWriter, r *http.Request, v any, empty bool) error {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return cycle.Fail(ETOOLARGE, "api.body_too_large", cycle.Int(s.cfg.MaxBodyBytes))
		}
		return cycle.Fail(EBADREQUEST, "api.read_body", err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		if empty {
			return nil
		}
		return cycle.Fail(EBADREQUEST, "api.body_empty")
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != mimeJSON {
		return cycle.Fail(EUNSUPPORTED, "api.send_json", mimeJSON)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return cycle.Fail(EBADREQUEST, "api.json_syntax", se.Offset, err)
		case errors.As(err, &te):
			return cycle.Fail(EBADREQUEST, "api.json_type", te.Field, te.Value, te.Type)
		}
		return cycle.Fail(EBADREQUEST, "api.json", err)
	}
	if dec.More() {
		return cycle.Fail(EBADREQUEST, "api.json_trailing")
	}
	return nil
}

// ---- session ---------------------------------------------------------------

// SignInRequest is the body of POST /api/session.
type SignInRequest struct {
	Account  string `json:"account"`
	Password string `json:"password"`
	// EndOthers ends the account's other sessions once this one is open.
	EndOthers bool `json:"end_others,omitempty"`
}

// SessionResponse is a new session's token and whose it is.
type SessionResponse struct {
	Token     string        `json:"token"`
	ExpiresAt time.Time     `json:"expires_at"`
	Account   cycle.Account `json:"account"`
}

func (s *sessionHandlers) apiSignIn(w http.ResponseWriter, r *http.Request) {
	var req SignInRequest
	err := s.decodeJSON(w, r, &req, false)
	var p *principal
	if err == nil {
		p, err = s.signIn(r.Context(), r, req.Account, req.Password)
	}
	if err == nil && req.EndOthers {
		err = s.cfg.Store.EndOtherSessions(r.Context(), p.Account.ID, p.tokenHash)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, SessionResponse{Token: p.token, ExpiresAt: p.expires, Account: p.Account})
}

func (s *sessionHandlers) apiSignOut(w http.ResponseWriter, r *http.Request, p *principal) error {
	if err := s.signOut(r.Context(), r, p); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *sessionHandlers) apiMe(w http.ResponseWriter, r *http.Request, p *principal) error {
	writeJSON(w, http.StatusOK, struct {
		Account   cycle.Account `json:"account"`
		ExpiresAt time.Time     `json:"expires_at"`
	}{p.Account, p.expires})
	return nil
}

// ---- reading ---------------------------------------------------------------

func (s *cycleViews) apiProvince(w http.ResponseWriter, r *http.Request, p *principal) error {
	prov, _, err := s.cfg.Store.Province(r.Context(), r.PathValue("province"))
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

func (s *cycleViews) apiCommune(w http.ResponseWriter, r *http.Request, p *principal) error {
	prov, _, err := s.cfg.Store.Province(r.Context(), r.PathValue("province"))
	if err != nil {
		return err
	}
	c, ok := prov.Commune(r.PathValue("code"))
	if !ok {
		return cycle.Fail(cycle.ENOTFOUND, "api.no_commune", r.PathValue("code"), prov.Name)
	}
	writeJSON(w, http.StatusOK, CommuneResponse{Commune: c, DistrictName: prov.UnitName(c.District), Province: prov.Code, ProvinceName: prov.Name})
	return nil
}

// query runs a query of a cycle's workflow.
func (s *deps) query(ctx context.Context, cycleID, name string, out any) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	v, err := s.cfg.Temporal.QueryWorkflow(ctx, cycleID, "", name)
	if err != nil {
		if ce := asError(err); ce.Code == cycle.ENOTFOUND {
			return cycle.Fail(cycle.ENOTFOUND, "api.no_cycle", cycleID)
		}
		return err
	}
	return v.Get(out)
}

func (s *cycleViews) apiCycle(w http.ResponseWriter, r *http.Request, p *principal) error {
	_, _, id, err := cycleOf(r)
	if err != nil {
		return err
	}
	var st selection.CycleState
	if err := s.query(r.Context(), id, selection.QueryState, &st); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

func (s *cycleViews) apiSelection(w http.ResponseWriter, r *http.Request, p *principal) error {
	_, _, id, err := cycleOf(r)
	if err != nil {
		return err
	}
	var sel cycle.SelectionResult
	if err := s.query(r.Context(), id, selection.QuerySelection, &sel); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sel)
	return nil
}

func (s *documentHandlers) apiDecisions(w http.ResponseWriter, r *http.Request, p *principal) error {
	_, _, id, err := cycleOf(r)
	if err != nil {
		return err
	}
	ds, err := s.cfg.Store.Decisions(r.Context(), id)
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
func (s *documentHandlers) decision(ctx context.Context, r *http.Request) (cycle.Decision, error) {
	_, _, id, err := cycleOf(r)
	if err != nil {
		return cycle.Decision{}, err
	}
	ds, err := s.cfg.Store.Decisions(ctx, id)
	if err != nil {
		return cycle.Decision{}, err
	}
	for _, d := range ds {
		if d.Kind == r.PathValue("kind") {
			return d, nil
		}
	}
	return cycle.Decision{}, cycle.Fail(cycle.ENOTFOUND, "api.no_decision", id, r.PathValue("kind"))
}

func (s *documentHandlers) apiDecision(w http.ResponseWriter, r *http.Request, p *principal) error {
	d, err := s.decision(r.Context(), r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

func (s *documentHandlers) apiDecisionPDF(w http.ResponseWriter, r *http.Request, p *principal) error {
	return s.servePDF(w, r, p)
}

// servePDF sends an issued decision's PDF from the store, audited.
func (s *documentHandlers) servePDF(w http.ResponseWriter, r *http.Request, p *principal) error {
	d, err := s.decision(r.Context(), r)
	if err != nil {
		return err
	}
	pdf, err := s.cfg.Store.DecisionPDF(r.Context(), d.ID)
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
func (s *documentHandlers) apiTemplate(w http.ResponseWriter, r *http.Request, p *principal) error {
	return s.serveTemplate(w, r, p)
}

func (s *documentHandlers) serveTemplate(w http.ResponseWriter, r *http.Request, p *principal) error {
	province, year, _, err := cycleOf(r)
	if err != nil {
		return err
	}
	unit := p.Account.District
	if unit == "" {
		unit = r.URL.Query().Get("unit")
	}
	prov, _, err := s.cfg.Store.Province(r.Context(), province)
	if err != nil {
		return err
	}
	if !isUnit(prov, unit) {
		return cycle.Fail(cycle.ENOTFOUND, "api.no_unit", unit, prov.Name)
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
