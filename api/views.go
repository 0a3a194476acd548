package api

import (
	"context"
	"net/http"
	"sort"
	"strconv"

	"chuyenhoa/cycle"
	"chuyenhoa/signing"
	"chuyenhoa/workflows/selection"
)

// What the secretariat (and any officer) reads beyond the inbox: the
// province's indicators year by year, each commune's standing through the
// years, and the archive of issued documents with what verifying their
// signatures found.

func (s *Server) viewRoutes() {
	m := s.mux
	m.HandleFunc("GET /api/provinces/{province}/indicators", s.deps.authed(s.views.apiIndicators))
	m.HandleFunc("GET /api/provinces/{province}/standings", s.deps.authed(s.views.apiStandings))
	m.HandleFunc("GET /api/archive", s.deps.authed(s.documents.apiArchive))
}

// Indicator is a province's indicators for a programme year against the
// targets of the policy its cycle ran under (000 §II.2).
type Indicator struct {
	cycle.KPI
	Policy           string  `json:"policy"`
	TransformedShare float64 `json:"transformed_share"`
	NotRelapsedShare float64 `json:"not_relapsed_share"`
	MeetsTransformed bool    `json:"meets_transformed"`
	MeetsNotRelapsed bool    `json:"meets_not_relapsed"`
}

// indicators computes a province's indicators for every year appraised.
func (s *cycleViews) indicators(ctx context.Context, province string) ([]Indicator, error) {
	if _, _, err := s.cfg.Store.Province(ctx, province); err != nil {
		return nil, err
	}
	rows, err := s.cfg.Store.Outcomes(ctx, province)
	if err != nil {
		return nil, err
	}
	years := map[int]bool{}
	for _, r := range rows {
		years[r.Year] = true
	}
	out := []Indicator{}
	for y := range years {
		pol := cycle.DefaultPolicy()
		if info, _, err := s.cfg.Store.Cycle(ctx, selection.WorkflowID(province, y)); err == nil {
			pol = info.Policy
		} else if _, p, err := policyChoices(province, y); err == nil && p.ID != "" {
			pol = p
		}
		k := cycle.ComputeKPI(pol, province, y, rows)
		out = append(out, Indicator{KPI: k, Policy: pol.ID, TransformedShare: k.TransformedShare(), NotRelapsedShare: k.NotRelapsedShare(),
			MeetsTransformed: k.MeetsTransformed(), MeetsNotRelapsed: k.MeetsNotRelapsed()})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Year > out[j].Year })
	return out, nil
}

func (s *cycleViews) apiIndicators(w http.ResponseWriter, r *http.Request, p *principal) error {
	out, err := s.indicators(r.Context(), r.PathValue("province"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// Standing is a commune of the programme: where it stands now, and its
// outcome in each year it was in.
type Standing struct {
	cycle.Transformation
	StandingText string             `json:"standing_text"` // for people
	Years        []cycle.OutcomeRow `json:"years"`
}

// standings lists the province's communes of the programme, by district
// and name, with their years.
func (s *cycleViews) standings(ctx context.Context, province string) ([]Standing, error) {
	if _, _, err := s.cfg.Store.Province(ctx, province); err != nil {
		return nil, err
	}
	ts, err := s.cfg.Store.Transformations(ctx, province)
	if err != nil {
		return nil, err
	}
	rows, err := s.cfg.Store.Outcomes(ctx, province)
	if err != nil {
		return nil, err
	}
	byCommune := map[string][]cycle.OutcomeRow{}
	for _, r := range rows {
		byCommune[r.Commune] = append(byCommune[r.Commune], r)
	}
	// One line per commune: its latest workflow.
	latest := map[string]cycle.Transformation{}
	for _, t := range ts {
		if cur, ok := latest[t.Commune]; !ok || t.Year > cur.Year || (t.Year == cur.Year && t.Updated.After(cur.Updated)) {
			latest[t.Commune] = t
		}
	}
	out := []Standing{}
	for code, t := range latest {
		out = append(out, Standing{Transformation: t, StandingText: t.Standing.Say(cycle.Vietnamese), Years: byCommune[code]})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].DistrictName != out[j].DistrictName {
			return out[i].DistrictName < out[j].DistrictName
		}
		return out[i].Name < out[j].Name
	})
	return out, nil
}

func (s *cycleViews) apiStandings(w http.ResponseWriter, r *http.Request, p *principal) error {
	out, err := s.standings(r.Context(), r.PathValue("province"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// ArchiveEntry is an issued document with what verifying it found.
type ArchiveEntry struct {
	cycle.ArchivedDocument
	Verified     bool   `json:"verified"`     // every signature valid and trusted, nothing changed since
	Verification string `json:"verification"` // the verification report, in Vietnamese
}

// archive lists the documents issued in a year, each verified against the
// server's trust anchors (TrustRoots; without them, a chain is reported
// unchecked).
func (s *documentHandlers) archive(ctx context.Context, year int) ([]ArchiveEntry, error) {
	ds, err := s.cfg.Store.ArchivedDocuments(ctx, year)
	if err != nil {
		return nil, err
	}
	out := make([]ArchiveEntry, 0, len(ds))
	for _, d := range ds {
		e := ArchiveEntry{ArchivedDocument: d}
		_, pdf, err := s.cfg.Store.ArchivedDocument(ctx, d.ID)
		if err != nil {
			return nil, err
		}
		rep := signing.VerifyWith(pdf, signing.VerifyOptions{Roots: s.cfg.TrustRoots, RequireKeyUsage: true})
		e.Verified, e.Verification = rep.OK(), rep.Text(cycle.Vietnamese)
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ArchivedAt.After(out[j].ArchivedAt) })
	return out, nil
}

// archiveYear reads ?year= (this year by default).
func (s *documentHandlers) archiveYear(r *http.Request) (int, error) {
	y := s.cfg.Now().In(cycle.Vietnam).Year()
	if v := r.URL.Query().Get("year"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 2000 || n > 2100 {
			return 0, cycle.Fail(EBADREQUEST, "api.year", v)
		}
		y = n
	}
	return y, nil
}

func (s *documentHandlers) apiArchive(w http.ResponseWriter, r *http.Request, p *principal) error {
	y, err := s.archiveYear(r)
	if err != nil {
		return err
	}
	out, err := s.archive(r.Context(), y)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
