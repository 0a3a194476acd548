package api

import (
	"context"
	"fmt"
	"net/http"
	"sort"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/selection"
)

// What the secretariat (and any officer) reads beyond the inbox: the
// province's indicators year by year, each commune's standing through the
// years, and the archive of issued documents with what verifying their
// signatures found.

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

type cycleData struct {
	State     selection.CycleState
	Decisions []cycle.Decision
	Province  string
	Year      int
	RequestID string
}

func (s *cycleViews) webCycle(w http.ResponseWriter, r *http.Request, p *principal) error {
	province, year, id, err := cycleOf(r)
	if err != nil {
		return err
	}
	var st selection.CycleState
	if err := s.query(r.Context(), id, selection.QueryState, &st); err != nil {
		return err
	}
	ds, err := s.cfg.Store.Decisions(r.Context(), id)
	if err != nil {
		return err
	}
	title := fmt.Sprintf("Chu kỳ năm %d — %s", year, st.ProvinceName)
	s.render(w, r, http.StatusOK, "cycle", pageData{Title: title, Account: p, Flash: flash(r), Data: cycleData{State: st, Decisions: ds, Province: province, Year: year, RequestID: newRequestID()}})
	return nil
}

type provinceData struct {
	Province   cycle.Province
	Indicators []Indicator
	Standings  []Standing
}

func (s *cycleViews) webProvince(w http.ResponseWriter, r *http.Request, p *principal) error {
	prov, _, err := s.cfg.Store.Province(r.Context(), r.PathValue("province"))
	if err != nil {
		return err
	}
	ind, err := s.indicators(r.Context(), prov.Code)
	if err != nil {
		return err
	}
	st, err := s.standings(r.Context(), prov.Code)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "province", pageData{Title: "Kết quả chuyển hóa — " + prov.Name, Account: p,
		Data: provinceData{Province: prov, Indicators: ind, Standings: st}})
	return nil
}
