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

func (s *Server) adminPages() {
	m := s.mux
	m.HandleFunc("GET /admin", s.page(s.webAdmin))
	m.HandleFunc("GET /admin/cycles/new", s.page(s.webNewCycle))
	m.HandleFunc("POST /admin/cycles", s.page(s.webStartCycle))
	m.HandleFunc("POST /admin/awards", s.page(s.webStartRound))
	m.HandleFunc("POST /cycles/{province}/{year}/close-proposals", s.page(s.webCloseProposals))
	m.HandleFunc("GET /awards/{province}/{year}", s.page(s.webRound))
	m.HandleFunc("POST /awards/{province}/{year}/close-nominations", s.page(s.webCloseNominations))
	m.HandleFunc("GET /provinces/{province}", s.page(s.webProvince))
	m.HandleFunc("GET /archive", s.page(s.webArchive))
	m.HandleFunc("GET /admin/accounts", s.page(s.webAccounts))
	m.HandleFunc("POST /admin/accounts", s.page(s.webCreateAccount))
	m.HandleFunc("GET /admin/accounts/{id}", s.page(s.webAccount))
	m.HandleFunc("POST /admin/accounts/{id}", s.page(s.webAccountAction))
	m.HandleFunc("GET /delegations", s.page(s.webDelegations))
	m.HandleFunc("POST /delegations", s.page(s.webDelegationAction))
	m.HandleFunc("GET /me", s.page(s.webMe))
	m.HandleFunc("POST /me", s.page(s.webMe))
}

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

func (s *Server) adminData(r *http.Request, p *principal) (*adminData, error) {
	cs, err := s.cycles(r.Context())
	if err != nil {
		return nil, err
	}
	ps, err := s.Store.Provinces(r.Context())
	if err != nil {
		return nil, err
	}
	return &adminData{Cycles: cs, Provinces: ps, NextYear: s.Now().In(cycle.Vietnam).Year() + 1, Values: map[string]string{}, Fields: map[string][]cycle.Problem{}}, nil
}

func (s *Server) webAdmin(w http.ResponseWriter, r *http.Request, p *principal) error {
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

func (s *Server) webNewCycle(w http.ResponseWriter, r *http.Request, p *principal) error {
	if err := requireRole(p, cycle.RoleSecretariat); err != nil {
		return err
	}
	q := r.URL.Query()
	prov, _, err := s.Store.Province(r.Context(), q.Get("province"))
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

func (s *Server) webStartCycle(w http.ResponseWriter, r *http.Request, p *principal) error {
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

func (s *Server) webStartRound(w http.ResponseWriter, r *http.Request, p *principal) error {
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

func (s *Server) webCloseProposals(w http.ResponseWriter, r *http.Request, p *principal) error {
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

func (s *Server) webRound(w http.ResponseWriter, r *http.Request, p *principal) error {
	prov, year, id, err := roundOf(r)
	if err != nil {
		return err
	}
	st, err := awards.Client{T: s.Temporal}.State(r.Context(), id)
	if err != nil {
		return err
	}
	ds, err := s.Store.Decisions(r.Context(), id)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "round", pageData{Title: s.processName(r.Context(), id), Account: p, Flash: flash(r),
		Data: roundData{State: st, Decisions: ds, Province: prov, Year: year, RequestID: newRequestID()}})
	return nil
}

func (s *Server) webCloseNominations(w http.ResponseWriter, r *http.Request, p *principal) error {
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

// ---- a province: indicators and communes ------------------------------------------

type provinceData struct {
	Province   cycle.Province
	Indicators []Indicator
	Standings  []Standing
}

func (s *Server) webProvince(w http.ResponseWriter, r *http.Request, p *principal) error {
	prov, _, err := s.Store.Province(r.Context(), r.PathValue("province"))
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

// ---- the archive ----------------------------------------------------------------

type archiveData struct {
	Year    int
	Years   []int
	Entries []ArchiveEntry
}

func (s *Server) webArchive(w http.ResponseWriter, r *http.Request, p *principal) error {
	y, err := s.archiveYear(r)
	if err != nil {
		return err
	}
	es, err := s.archive(r.Context(), y)
	if err != nil {
		return err
	}
	now := s.Now().In(cycle.Vietnam).Year()
	d := archiveData{Year: y, Entries: es}
	for yy := now + 1; yy >= now-6; yy-- {
		d.Years = append(d.Years, yy)
	}
	s.render(w, r, http.StatusOK, "archive", pageData{Title: "Văn bản đã ban hành năm " + strconv.Itoa(y), Account: p, Data: d})
	return nil
}

// ---- accounts --------------------------------------------------------------------

type accountsData struct {
	Accounts []cycle.Account
	Roles    []cycle.Role
	Values   map[string]string
	Fields   map[string][]cycle.Problem
}

var allRoles = []cycle.Role{cycle.RoleDistrictOfficer, cycle.RoleSecretariat, cycle.RoleCouncilMember, cycle.RoleCouncilChair, cycle.RoleSigner, cycle.RoleDeputy, cycle.RoleClerk, cycle.RoleAdmin}

func (s *Server) accountsPage(w http.ResponseWriter, r *http.Request, p *principal, status int, refusal *cycle.Error, values map[string]string) error {
	if err := requireRole(p, cycle.RoleAdmin); err != nil {
		return err
	}
	as, err := s.Store.Accounts(r.Context())
	if err != nil {
		return err
	}
	d := accountsData{Accounts: as, Roles: allRoles, Values: values, Fields: map[string][]cycle.Problem{}}
	if refusal != nil {
		for _, pr := range refusal.Problems {
			d.Fields[pr.Field] = append(d.Fields[pr.Field], pr)
		}
	}
	s.render(w, r, status, "accounts", pageData{Title: "Tài khoản", Account: p, Flash: flash(r), Error: refusal, Data: d})
	return nil
}

func (s *Server) webAccounts(w http.ResponseWriter, r *http.Request, p *principal) error {
	return s.accountsPage(w, r, p, http.StatusOK, nil, map[string]string{})
}

func (s *Server) webCreateAccount(w http.ResponseWriter, r *http.Request, p *principal) error {
	f := r.PostForm
	b := AccountBody{ID: f.Get("id"), Name: f.Get("name"), Role: cycle.Role(f.Get("role")), District: f.Get("district"), Title: f.Get("title"),
		Email: f.Get("email"), Webhook: f.Get("webhook"), Password: f.Get("password")}
	if _, err := s.createAccount(r.Context(), r, p, b); err != nil {
		ce := asError(err)
		if ce.Code != cycle.EINVALID && ce.Code != cycle.ECONFLICT {
			return err
		}
		values := map[string]string{}
		for k := range f {
			if k != "password" && k != "csrf" {
				values[k] = f.Get(k)
			}
		}
		return s.accountsPage(w, r, p, statusOf(ce.Code), ce, values)
	}
	done(w, r, "/admin/accounts", "account_created")
	return nil
}

type accountData struct {
	Account cycle.Account
	Fields  map[string][]cycle.Problem
}

func (s *Server) webAccount(w http.ResponseWriter, r *http.Request, p *principal) error {
	if err := requireRole(p, cycle.RoleAdmin); err != nil {
		return err
	}
	a, _, err := s.Store.AccountCredentials(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "account", pageData{Title: "Tài khoản " + a.ID, Account: p, Flash: flash(r), Data: accountData{Account: a, Fields: map[string][]cycle.Problem{}}})
	return nil
}

// webAccountAction: "save" the account's details, "disable" or "enable"
// it, "password" reset it.
func (s *Server) webAccountAction(w http.ResponseWriter, r *http.Request, p *principal) error {
	id, f := r.PathValue("id"), r.PostForm
	var err error
	what := ""
	switch f.Get("action") {
	case "disable", "enable":
		err, what = s.setDisabled(r.Context(), r, p, id, f.Get("action") == "disable"), "account_"+f.Get("action")+"d"
	case "password":
		err, what = s.resetPassword(r.Context(), r, p, id, f.Get("password")), "password_reset"
	default:
		_, err = s.updateAccount(r.Context(), r, p, id, AccountBody{Name: f.Get("name"), District: f.Get("district"), Title: f.Get("title"),
			Email: f.Get("email"), Webhook: f.Get("webhook"), Notify: cycle.NotifyPref(f.Get("notify"))})
		what = "account_saved"
	}
	if err != nil {
		ce := asError(err)
		if ce.Code != cycle.EINVALID {
			return err
		}
		a, _, aerr := s.Store.AccountCredentials(r.Context(), id)
		if aerr != nil {
			return aerr
		}
		d := accountData{Account: a, Fields: map[string][]cycle.Problem{}}
		for _, pr := range ce.Problems {
			d.Fields[pr.Field] = append(d.Fields[pr.Field], pr)
		}
		s.render(w, r, http.StatusUnprocessableEntity, "account", pageData{Title: "Tài khoản " + a.ID, Account: p, Error: ce, Data: d})
		return nil
	}
	done(w, r, "/admin/accounts/"+url.PathEscape(id), what)
	return nil
}

// ---- delegations -------------------------------------------------------------------

type delegationsData struct {
	Delegations []cycle.Delegation
	Deputies    []cycle.Account
	Heads       []cycle.Account
	Today       cycle.Date
	CanDelegate bool
	Values      map[string]string
	Fields      map[string][]cycle.Problem
}

func (s *Server) delegationsPage(w http.ResponseWriter, r *http.Request, p *principal, status int, refusal *cycle.Error, values map[string]string) error {
	ds, err := s.delegations(r.Context(), p)
	if err != nil {
		return err
	}
	d := delegationsData{Delegations: ds, Today: s.today(), Values: values, Fields: map[string][]cycle.Problem{},
		CanDelegate: p.Account.Role == cycle.RoleSigner || p.Account.Role == cycle.RoleAdmin}
	if d.CanDelegate {
		as, err := s.Store.Accounts(r.Context())
		if err != nil {
			return err
		}
		for _, a := range as {
			switch {
			case a.Role == cycle.RoleDeputy && !a.Disabled:
				d.Deputies = append(d.Deputies, a)
			case a.Role == cycle.RoleSigner && !a.Disabled:
				d.Heads = append(d.Heads, a)
			}
		}
	}
	if refusal != nil {
		for _, pr := range refusal.Problems {
			d.Fields[pr.Field] = append(d.Fields[pr.Field], pr)
		}
	}
	s.render(w, r, status, "delegations", pageData{Title: "Ủy quyền ký thay", Account: p, Flash: flash(r), Error: refusal, Data: d})
	return nil
}

func (s *Server) webDelegations(w http.ResponseWriter, r *http.Request, p *principal) error {
	return s.delegationsPage(w, r, p, http.StatusOK, nil, map[string]string{})
}

// webDelegationAction: "revoke" a delegation, or record one.
func (s *Server) webDelegationAction(w http.ResponseWriter, r *http.Request, p *principal) error {
	f := r.PostForm
	if f.Get("action") == "revoke" {
		if err := s.revokeDelegation(r.Context(), r, p, f.Get("id")); err != nil {
			return err
		}
		done(w, r, "/delegations", "delegation_revoked")
		return nil
	}
	b := DelegationBody{From: f.Get("from"), To: f.Get("to"), Title: f.Get("title")}
	var probs []cycle.Problem
	for _, x := range []struct {
		field string
		into  *cycle.Date
	}{{"from_date", &b.FromDate}, {"to_date", &b.ToDate}} {
		v := strings.TrimSpace(f.Get(x.field))
		t, err := time.ParseInLocation("2006-01-02", v, cycle.Vietnam)
		if err != nil {
			pr := cycle.NewProblem("api.date", v)
			pr.Field = x.field
			probs = append(probs, pr)
			continue
		}
		*x.into = cycle.DateOf(t)
	}
	var err error = cycle.Invalid("delegation", probs)
	if err == nil {
		_, err = s.delegate(r.Context(), r, p, b)
	}
	if err != nil {
		ce := asError(err)
		if ce.Code != cycle.EINVALID {
			return err
		}
		values := map[string]string{}
		for k := range f {
			if k != "csrf" {
				values[k] = f.Get(k)
			}
		}
		return s.delegationsPage(w, r, p, http.StatusUnprocessableEntity, ce, values)
	}
	done(w, r, "/delegations", "delegation_made")
	return nil
}

// ---- one's own account ----------------------------------------------------------------

func (s *Server) webMe(w http.ResponseWriter, r *http.Request, p *principal) error {
	var refusal *cycle.Error
	status := http.StatusOK
	if r.Method == http.MethodPost {
		err := s.changePassword(r.Context(), r, p, PasswordBody{Current: r.PostFormValue("current"), Password: r.PostFormValue("password")})
		if err == nil {
			// Every session of the account has ended: sign in again.
			http.Redirect(w, r, "/signin?ok=password_changed", http.StatusSeeOther)
			return nil
		}
		refusal = asError(err)
		if refusal.Code == cycle.EINTERNAL {
			return err
		}
		status = statusOf(refusal.Code)
	}
	s.render(w, r, status, "me", pageData{Title: "Tài khoản của tôi", Account: p, Error: refusal, Data: p.Account})
	return nil
}
