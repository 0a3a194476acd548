package api

import (
	"mime"
	"net/http"
	"strconv"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/selection"
)

// The draft of the approval decision, as the workflow rendered it for the
// council and the signer before it is numbered: the same layout as the
// issued decision, with "DỰ THẢO" and no number.

// apiDraftPDF serves a cycle's draft decision to those who decide on it
// (not to a unit's officers: a draft is internal until issued).
func (s *documentHandlers) apiDraftPDF(w http.ResponseWriter, r *http.Request, p *principal) error {
	prov, year, _, err := cycleOf(r)
	if err != nil {
		return err
	}
	if p.Account.Role == cycle.RoleDistrictOfficer {
		return cycle.Fail(cycle.EFORBIDDEN, "api.draft_internal")
	}
	id := selection.WorkflowID(prov, year)
	st, err := selection.Client{T: s.cfg.Temporal}.State(r.Context(), id)
	if err != nil {
		return err
	}
	if st.DraftSHA256 == "" {
		return cycle.Fail(cycle.ENOTFOUND, "api.no_draft", prov, year)
	}
	pdf, err := s.cfg.Store.Blob(r.Context(), st.DraftSHA256)
	if err != nil {
		return err
	}
	if err := s.audit(r.Context(), r, p, "download", id+"/draft", "", "ok", "draft decision PDF, sha256 "+st.DraftSHA256); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": "du-thao-quyet-dinh-" + strconv.Itoa(year) + ".pdf"}))
	w.Header().Set("Content-Length", strconv.Itoa(len(pdf)))
	w.Header().Set("Cache-Control", "private, no-store")
	_, _ = w.Write(pdf)
	return nil
}
