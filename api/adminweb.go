package api

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/awards"
)

// The web pages of the secretariat's and the administrator's work: the
// cycles and rounds, starting one (with the calendar it will run on shown
// before confirming), closing proposals and nominations, an award round's
// page, a province's indicators and communes, the archive, accounts,
// delegations and one's own password. Each action posts a form (CSRF
// checked by page) to the same logic as the API, and redirects with a
// message.

// done redirects after an action with its message (a catalogue code under
// "flash.").
func done(w http.ResponseWriter, r *http.Request, to, what string) {
	sep := "?"
	if strings.Contains(to, "?") {
		sep = "&"
	}
	http.Redirect(w, r, to+sep+"ok="+url.QueryEscape(what), http.StatusSeeOther)
}

// ---- cycles -------------------------------------------------------------------

type adminData struct {
	Cycles    []CycleListing
	Provinces []cycle.Province
	NextYear  int
	Values    map[string]string
	Fields    map[string][]cycle.Problem
}

func (s *cycleAdmin) adminData(r *http.Request, p *principal) (*adminData, error) {
	cs, err := s.cycles(r.Context())
	if err != nil {
		return nil, err
	}
	ps, err := s.cfg.Store.Provinces(r.Context())
	if err != nil {
		return nil, err
	}
	return &adminData{Cycles: cs, Provinces: ps, NextYear: s.cfg.Now().In(cycle.Vietnam).Year() + 1, Values: map[string]string{}, Fields: map[string][]cycle.Problem{}}, nil
}

func (s *cycleAdmin) webAdmin(w http.ResponseWriter, r *http.Request, p *principal) error {
	d, err := s.adminData(r, p)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "admin", pageData{Title: "Chu kỳ và đợt khen thưởng", Account: p, Flash: flash(r), Data: d})
	return nil
}

// newCycleData is the confirmation page of a new cycle: the policies, the
// chosen one's calendar.
type newCycleData struct {
	Province     cycle.Province
	Year         int
	Policies     []PolicyChoice
	Chosen       *PolicyChoice
	Synthetic    bool
	Round        bool // an award round rather than a cycle
	Due          string
	SignerName   string
	ExistsCycle  bool
	ExistsRound  bool
	ProvinceName string
	// NoneInForce is why no policy is marked in force (policies.InForce's
	// refusal, in Vietnamese): the secretariat names one.
	NoneInForce string
}

func (s *cycleAdmin) webNewCycle(w http.ResponseWriter, r *http.Request, p *principal) error {
	if err := requireRole(p, cycle.RoleSecretariat); err != nil {
		return err
	}
	q := r.URL.Query()
	prov, _, err := s.cfg.Store.Province(r.Context(), q.Get("province"))
	if err != nil {
		return err
	}
	year, err := strconv.Atoi(q.Get("year"))
	if err != nil || year < 2000 || year > 2100 {
		return cycle.Fail(EBADREQUEST, "api.year", q.Get("year"))
	}
	ps, _, err := policyChoices(prov.Code, year)
	if err != nil {
		return err
	}
	d := &newCycleData{Province: prov, Year: year, Policies: ps, Synthetic: q.Get("synthetic") == "on", Round: q.Get("what") == "awards",
		Due: q.Get("due"), SignerName: q.Get("signer_name")}
	want := q.Get("policy")
	for i := range ps {
		if d.Round && !ps[i].Awards {
			continue // an award round runs only under a policy with an award scheme
		}
		if (want == "" && ps[i].InForce) || ps[i].ID == want {
			d.Chosen = &ps[i]
		}
	}
	inForce := false
	for i := range ps {
		inForce = inForce || ps[i].InForce
	}
	if !inForce {
		// No policy of the province covers the year: nothing is chosen for
		// the secretariat (a cycle under another plan's rules is their call).
		if err := noneInForce(prov.Code, year); err != nil {
			if ce := cycle.AsError(err); ce != nil {
				d.NoneInForce = ce.In(cycle.Vietnamese)
			}
		}
	}
	for i := range ps {
		// A round: the policy in force may have no award scheme; the first
		// that has one is offered.
		if d.Chosen == nil && want == "" && d.Round && inForce && ps[i].Awards {
			d.Chosen = &ps[i]
		}
	}
	title := "Mở chu kỳ chuyển hóa năm " + strconv.Itoa(year)
	if d.Round {
		title = "Mở đợt khen thưởng năm " + strconv.Itoa(year)
	}
	s.render(w, r, http.StatusOK, "newcycle", pageData{Title: title, Account: p, Data: d})
	return nil
}

func (s *cycleAdmin) webStartCycle(w http.ResponseWriter, r *http.Request, p *principal) error {
	f := r.PostForm
	year, _ := strconv.Atoi(f.Get("year"))
	st, err := s.startCycle(r.Context(), r, p, StartCycleBody{Province: f.Get("province"), Year: year, Policy: f.Get("policy"), Synthetic: f.Get("synthetic") == "on"})
	if err != nil {
		return err
	}
	a := addressOfTask(cycle.Task{CycleID: st.ID})
	done(w, r, "/cycles/"+a.Province+"/"+strconv.Itoa(a.Year), "cycle_started")
	return nil
}

func (s *cycleAdmin) webStartRound(w http.ResponseWriter, r *http.Request, p *principal) error {
	f := r.PostForm
	year, _ := strconv.Atoi(f.Get("year"))
	b := StartRoundBody{Province: f.Get("province"), Year: year, Policy: f.Get("policy"), SignerName: f.Get("signer_name"), Synthetic: f.Get("synthetic") == "on"}
	if v := strings.TrimSpace(f.Get("due")); v != "" {
		t, err := time.ParseInLocation("2006-01-02", v, cycle.Vietnam)
		if err != nil {
			return cycle.Fail(cycle.EINVALID, "api.date", v)
		}
		b.Due = cycle.DateOf(t)
	}
	st, err := s.startRound(r.Context(), r, p, b)
	if err != nil {
		return err
	}
	a := addressOfTask(cycle.Task{CycleID: st.ID})
	done(w, r, "/awards/"+a.Province+"/"+strconv.Itoa(a.Year), "round_started")
	return nil
}

func (s *cycleAdmin) webCloseProposals(w http.ResponseWriter, r *http.Request, p *principal) error {
	key := r.PostFormValue("request_id")
	if !idempotencyKey.MatchString(key) {
		key = newRequestID()
	}
	if _, err := s.closeProposals(r.Context(), r, p, key, r.PostFormValue("reason")); err != nil {
		return err
	}
	done(w, r, "/cycles/"+r.PathValue("province")+"/"+r.PathValue("year"), "proposals_closed")
	return nil
}

// ---- award rounds ---------------------------------------------------------------

type roundData struct {
	State     awards.AwardRoundState
	Decisions []cycle.Decision
	Province  string
	Year      int
	RequestID string
}

func (s *cycleAdmin) webRound(w http.ResponseWriter, r *http.Request, p *principal) error {
	prov, year, id, err := roundOf(r)
	if err != nil {
		return err
	}
	st, err := awards.Client{T: s.cfg.Temporal}.State(r.Context(), id)
	if err != nil {
		return err
	}
	ds, err := s.cfg.Store.Decisions(r.Context(), id)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "round", pageData{Title: s.processName(r.Context(), id), Account: p, Flash: flash(r),
		Data: roundData{State: st, Decisions: ds, Province: prov, Year: year, RequestID: newRequestID()}})
	return nil
}

func (s *cycleAdmin) webCloseNominations(w http.ResponseWriter, r *http.Request, p *principal) error {
	key := r.PostFormValue("request_id")
	if !idempotencyKey.MatchString(key) {
		key = newRequestID()
	}
	if _, err := s.closeNominations(r.Context(), r, p, key); err != nil {
		return err
	}
	done(w, r, "/awards/"+r.PathValue("province")+"/"+r.PathValue("year"), "nominations_closed")
	return nil
}
