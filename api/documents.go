package api

import (
	"bytes"
	"context"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strconv"

	"chuyenhoa/cycle"
	"chuyenhoa/intake"
)

// The inbox's messages, in the one catalogue.
func init() {
	cycle.DefineMessages(map[string]cycle.Text{
		"api.documents_other_unit": {VI: "Tài khoản này chỉ xem được văn bản gửi đơn vị %[1]s.", EN: "this account sees the documents of unit %[1]s only"},
		"api.documents_which":      {VI: "Chọn đơn vị (unit) hoặc cơ quan (role) nhận văn bản.", EN: "name the unit (unit) or the body (role) the documents are addressed to"},
		"api.documents_not_yours":  {VI: "Văn bản %[1]s không gửi đơn vị của tài khoản này.", EN: "document %[1]s is not addressed to this account's unit"},
	})
}

// InboxResponse is a unit's inbox.
type InboxResponse struct {
	Province  string                    `json:"province"`
	Recipient cycle.Recipient           `json:"recipient"`
	Documents []cycle.AddressedDocument `json:"documents"`
	// Provinces: the web page's choice when the product runs several.
	Provinces []cycle.Province `json:"-"`
}

// inboxOf is whose inbox a request asks for, as the account may see it.
func inboxOf(r *http.Request, p *principal) (cycle.Recipient, error) {
	want := cycle.Recipient{Unit: r.URL.Query().Get("unit"), Role: r.URL.Query().Get("role")}
	a := p.Account
	switch a.Role {
	case cycle.RoleDistrictOfficer:
		if (want.Unit != "" && want.Unit != a.District) || want.Role != "" {
			return cycle.Recipient{}, cycle.Fail(cycle.EFORBIDDEN, "api.documents_other_unit", a.District)
		}
		return cycle.Recipient{Unit: a.District}, nil
	case cycle.RoleCouncilMember, cycle.RoleCouncilChair:
		if want.Unit != "" || (want.Role != "" && want.Role != cycle.RoleCommitteeMembers) {
			return cycle.Recipient{}, cycle.Fail(cycle.EFORBIDDEN, "api.documents_other_unit", cycle.RoleCommitteeMembers)
		}
		return cycle.Recipient{Role: cycle.RoleCommitteeMembers}, nil
	}
	switch {
	case want.Unit != "" && want.Role != "":
		return cycle.Recipient{}, cycle.Fail(cycle.EINVALID, "api.documents_which")
	case want.Unit == "" && want.Role == "":
		return cycle.Recipient{Role: cycle.RoleSecretariatBody}, nil
	}
	return want, nil
}

func (s *documentHandlers) documentInbox(r *http.Request, p *principal) (InboxResponse, error) {
	who, err := inboxOf(r, p)
	if err != nil {
		return InboxResponse{}, err
	}
	province := r.PathValue("province")
	docs, err := s.cfg.Store.DocumentsAddressedTo(r.Context(), province, who)
	if err != nil {
		return InboxResponse{}, err
	}
	if docs == nil {
		docs = []cycle.AddressedDocument{}
	}
	return InboxResponse{Province: province, Recipient: who, Documents: docs}, nil
}

// apiDocuments lists the documents addressed to a unit.
func (s *documentHandlers) apiDocuments(w http.ResponseWriter, r *http.Request, p *principal) error {
	in, err := s.documentInbox(r, p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, in)
	return nil
}

// webDocuments is the inbox page.
func (s *documentHandlers) webDocuments(w http.ResponseWriter, r *http.Request, p *principal) error {
	in, err := s.documentInbox(r, p)
	if err != nil {
		return err
	}
	title := "Văn bản đến"
	if len(in.Documents) > 0 {
		title += " — " + in.Documents[0].Recipient.Name
	}
	s.render(w, r, http.StatusOK, "documents", pageData{Title: title, Account: p, Data: in})
	return nil
}

// webDocumentsProvince opens the inbox of the province whose cycles the
// product runs: at once when there is one, else a choice.
func (s *documentHandlers) webDocumentsProvince(w http.ResponseWriter, r *http.Request, p *principal) error {
	cs, err := s.cfg.Store.Cycles(r.Context())
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	var codes []string
	for _, c := range cs {
		if !seen[c.Province] {
			seen[c.Province] = true
			codes = append(codes, c.Province)
		}
	}
	if len(codes) == 1 {
		http.Redirect(w, r, "/documents/"+url.PathEscape(codes[0]), http.StatusSeeOther)
		return nil
	}
	var ps []cycle.Province
	for _, code := range codes {
		pr, _, err := s.cfg.Store.Province(r.Context(), code)
		if err != nil {
			pr = cycle.Province{Code: code, Name: code}
		}
		ps = append(ps, pr)
	}
	s.render(w, r, http.StatusOK, "documents", pageData{Title: "Văn bản đến", Account: p, Data: &InboxResponse{Provinces: ps}})
	return nil
}

// documentPDF sends the PDF of a document addressed to the account's
// inbox, audited.
func (s *documentHandlers) documentPDF(w http.ResponseWriter, r *http.Request, p *principal) error {
	in, err := s.documentInbox(r, p)
	if err != nil {
		return err
	}
	id := r.URL.Query().Get("id")
	var doc *cycle.AddressedDocument
	for i := range in.Documents {
		if in.Documents[i].DocumentID == id {
			doc = &in.Documents[i]
		}
	}
	if doc == nil {
		return cycle.Fail(cycle.EFORBIDDEN, "api.documents_not_yours", id)
	}
	a, pdf, err := s.cfg.Store.ArchivedDocument(r.Context(), id)
	if err != nil {
		return err
	}
	if err := s.audit(r.Context(), r, p, "download", id, "", "ok", fmt.Sprintf("document %s addressed to %s, sha256 %s", a.Code, in.Recipient.Key(), a.SHA256)); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": inboxFileName(a)}))
	w.Header().Set("Content-Length", strconv.Itoa(len(pdf)))
	w.Header().Set("Cache-Control", "private, no-store")
	_, err = w.Write(pdf)
	return err
}

// inboxFileName is an archived document's file name: "5-qd-bcd-2027.pdf".
func inboxFileName(a cycle.ArchivedDocument) string {
	name := []rune{}
	for _, r := range a.Code + "-" + strconv.Itoa(a.Year) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			name = append(name, r)
		case r >= 'A' && r <= 'Z':
			name = append(name, r+'a'-'A')
		case r == 'Đ' || r == 'đ':
			name = append(name, 'd')
		default:
			name = append(name, '-')
		}
	}
	return string(name) + ".pdf"
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
