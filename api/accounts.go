package api

import (
	"context"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"chuyenhoa/cycle"
)

// Accounts and delegations: the administrator creates accounts, binds
// them to a unit, disables them and resets passwords; an officer changes
// his own password; the head (or the administrator for him) delegates
// his signature to a deputy for a period, and revokes it. Every change is
// audited.

func (s *Server) accountRoutes() {
	m := s.mux
	m.HandleFunc("GET /api/accounts", s.deps.authed(s.accounts.apiAccounts))
	m.HandleFunc("POST /api/accounts", s.deps.authed(s.accounts.apiCreateAccount))
	m.HandleFunc("PUT /api/accounts/{id}", s.deps.authed(s.accounts.apiUpdateAccount))
	m.HandleFunc("POST /api/accounts/{id}/disabled", s.deps.authed(s.accounts.apiDisableAccount))
	m.HandleFunc("POST /api/accounts/{id}/password", s.deps.authed(s.accounts.apiResetPassword))
	m.HandleFunc("POST /api/me/password", s.deps.authed(s.accounts.apiChangePassword))
	m.HandleFunc("GET /api/delegations", s.deps.authed(s.delegations.apiDelegations))
	m.HandleFunc("POST /api/delegations", s.deps.authed(s.delegations.apiDelegate))
	m.HandleFunc("DELETE /api/delegations/{id}", s.deps.authed(s.delegations.apiRevokeDelegation))
}

// AccountBody creates or changes an account; the password only on creation.
type AccountBody struct {
	ID       string           `json:"id,omitempty"`
	Name     string           `json:"name"`
	Role     cycle.Role       `json:"role,omitempty"`
	District string           `json:"district,omitempty"`
	Title    string           `json:"title,omitempty"`
	Email    string           `json:"email,omitempty"`
	Webhook  string           `json:"webhook,omitempty"`
	Notify   cycle.NotifyPref `json:"notify,omitempty"`
	Password string           `json:"password,omitempty"`
}

// account checks a body as an account: every problem, at its field.
func (s *accountAdmin) account(ctx context.Context, b AccountBody, creating bool) (cycle.Account, error) {
	a := cycle.Account{ID: strings.ToLower(strings.TrimSpace(b.ID)), Name: cycle.Clean(b.Name), Role: b.Role, District: strings.TrimSpace(b.District),
		Title: cycle.Clean(b.Title), Email: strings.TrimSpace(b.Email), Webhook: strings.TrimSpace(b.Webhook), Notify: b.Notify}
	var probs []cycle.Problem
	at := func(field, rule string, args ...any) {
		p := cycle.NewProblem(rule, args...)
		p.Field = field
		probs = append(probs, p)
	}
	if creating && !accountID.MatchString(a.ID) {
		at("id", "api.account_id", a.ID)
	}
	if a.Name == "" {
		at("name", "api.form_required", "họ tên")
	}
	if creating && !a.Role.Valid() {
		at("role", "api.account_role", string(a.Role))
	}
	if a.Role == cycle.RoleDistrictOfficer && a.District == "" {
		at("district", "api.account_unit")
	}
	if a.Email != "" && !strings.Contains(a.Email, "@") {
		at("email", "api.account_email", a.Email)
	}
	if a.Webhook != "" && !strings.HasPrefix(a.Webhook, "https://") && !strings.HasPrefix(a.Webhook, "http://") {
		at("webhook", "api.account_webhook", a.Webhook)
	}
	if creating && len([]rune(b.Password)) < MinPasswordLength {
		at("password", "api.password_short", MinPasswordLength)
	}
	return a, cycle.Invalid("account", probs)
}

func (s *accountAdmin) apiAccounts(w http.ResponseWriter, r *http.Request, p *principal) error {
	if err := requireRole(p, cycle.RoleAdmin, cycle.RoleSecretariat); err != nil {
		return err
	}
	as, err := s.cfg.Store.Accounts(r.Context())
	if err != nil {
		return err
	}
	sort.Slice(as, func(i, j int) bool { return as[i].ID < as[j].ID })
	writeJSON(w, http.StatusOK, as)
	return nil
}

// createAccount adds an account (administrator).
func (s *accountAdmin) createAccount(ctx context.Context, r *http.Request, p *principal, b AccountBody) (cycle.Account, error) {
	if err := requireRole(p, cycle.RoleAdmin); err != nil {
		return cycle.Account{}, err
	}
	a, err := s.account(ctx, b, true)
	if err != nil {
		return a, err
	}
	hash, err := HashPassword(b.Password)
	if err != nil {
		return a, err
	}
	a.CreatedAt = s.cfg.Now()
	if err := s.cfg.Store.CreateAccount(ctx, a, hash); err != nil {
		return a, err
	}
	return a, s.audit(ctx, r, p, "account_create", "account "+a.ID, "", "ok", string(a.Role)+" "+a.District)
}

func (s *accountAdmin) apiCreateAccount(w http.ResponseWriter, r *http.Request, p *principal) error {
	var b AccountBody
	if err := s.decodeJSON(w, r, &b, false); err != nil {
		return err
	}
	a, err := s.createAccount(r.Context(), r, p, b)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, a)
	return nil
}

// updateAccount changes an account's name, unit, title and contacts
// (administrator; the role stays).
func (s *accountAdmin) updateAccount(ctx context.Context, r *http.Request, p *principal, id string, b AccountBody) (cycle.Account, error) {
	if err := requireRole(p, cycle.RoleAdmin); err != nil {
		return cycle.Account{}, err
	}
	cur, _, err := s.cfg.Store.AccountCredentials(ctx, id)
	if err != nil {
		return cycle.Account{}, err
	}
	b.ID, b.Role = cur.ID, cur.Role
	a, err := s.account(ctx, b, false)
	if err != nil {
		return a, err
	}
	if err := s.cfg.Store.UpdateAccount(ctx, a); err != nil {
		return a, err
	}
	return a, s.audit(ctx, r, p, "account_update", "account "+a.ID, "", "ok", a.District+" "+a.Title)
}

func (s *accountAdmin) apiUpdateAccount(w http.ResponseWriter, r *http.Request, p *principal) error {
	var b AccountBody
	if err := s.decodeJSON(w, r, &b, false); err != nil {
		return err
	}
	a, err := s.updateAccount(r.Context(), r, p, r.PathValue("id"), b)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}

// setDisabled disables or enables an account (administrator; never his own).
func (s *accountAdmin) setDisabled(ctx context.Context, r *http.Request, p *principal, id string, disabled bool) error {
	if err := requireRole(p, cycle.RoleAdmin); err != nil {
		return err
	}
	if id == p.Account.ID {
		return cycle.Fail(cycle.ECONFLICT, "api.disable_self")
	}
	if err := s.cfg.Store.SetAccountDisabled(ctx, id, disabled); err != nil {
		return err
	}
	return s.audit(ctx, r, p, map[bool]string{true: "account_disable", false: "account_enable"}[disabled], "account "+id, "", "ok", "")
}

func (s *accountAdmin) apiDisableAccount(w http.ResponseWriter, r *http.Request, p *principal) error {
	var b struct {
		Disabled bool `json:"disabled"`
	}
	if err := s.decodeJSON(w, r, &b, false); err != nil {
		return err
	}
	if err := s.setDisabled(r.Context(), r, p, r.PathValue("id"), b.Disabled); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// PasswordBody sets a password: the new one, and the current one when an
// officer changes his own.
type PasswordBody struct {
	Current  string `json:"current,omitempty"`
	Password string `json:"password"`
}

// resetPassword sets another account's password (administrator); its
// sessions end.
func (s *accountAdmin) resetPassword(ctx context.Context, r *http.Request, p *principal, id, password string) error {
	if err := requireRole(p, cycle.RoleAdmin); err != nil {
		return err
	}
	if _, _, err := s.cfg.Store.AccountCredentials(ctx, id); err != nil {
		return err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	if err := s.cfg.Store.SetPassword(ctx, id, hash); err != nil {
		return err
	}
	return s.audit(ctx, r, p, "password_reset", "account "+id, "", "ok", "")
}

func (s *accountAdmin) apiResetPassword(w http.ResponseWriter, r *http.Request, p *principal) error {
	var b PasswordBody
	if err := s.decodeJSON(w, r, &b, false); err != nil {
		return err
	}
	if err := s.resetPassword(r.Context(), r, p, r.PathValue("id"), b.Password); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// changePassword sets the officer's own password, given the current one;
// his other sessions end.
func (s *accountAdmin) changePassword(ctx context.Context, r *http.Request, p *principal, b PasswordBody) error {
	_, hash, err := s.cfg.Store.AccountCredentials(ctx, p.Account.ID)
	if err != nil {
		return err
	}
	if ok, err := checkPassword(ctx, hash, b.Current); err != nil {
		return err
	} else if !ok {
		_ = s.audit(ctx, r, p, "password_change", "account "+p.Account.ID, "", "refused", "wrong current password")
		return cycle.Fail(cycle.EFORBIDDEN, "api.password_current")
	}
	newHash, err := HashPassword(b.Password)
	if err != nil {
		return err
	}
	if err := s.cfg.Store.SetPassword(ctx, p.Account.ID, newHash); err != nil {
		return err
	}
	return s.audit(ctx, r, p, "password_change", "account "+p.Account.ID, "", "ok", "")
}

func (s *accountAdmin) apiChangePassword(w http.ResponseWriter, r *http.Request, p *principal) error {
	var b PasswordBody
	if err := s.decodeJSON(w, r, &b, false); err != nil {
		return err
	}
	if err := s.changePassword(r.Context(), r, p, b); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// ---- delegations -----------------------------------------------------------------

// DelegationBody delegates the head's signature to a deputy for a period.
type DelegationBody struct {
	From     string     `json:"from,omitempty"` // the head (the administrator names him; a head is himself)
	To       string     `json:"to"`
	Title    string     `json:"title"`
	FromDate cycle.Date `json:"from_date"`
	ToDate   cycle.Date `json:"to_date"`
}

// delegations lists what an account may see: a head's own, a deputy's
// own, every one for the administrator and the secretariat.
func (s *delegationAdmin) delegations(ctx context.Context, p *principal) ([]cycle.Delegation, error) {
	who := p.Account.ID
	switch p.Account.Role {
	case cycle.RoleAdmin, cycle.RoleSecretariat:
		who = ""
	case cycle.RoleSigner, cycle.RoleDeputy:
	default:
		return nil, requireRole(p, cycle.RoleSigner, cycle.RoleDeputy, cycle.RoleAdmin)
	}
	ds, err := s.cfg.Store.Delegations(ctx, who)
	if ds == nil {
		ds = []cycle.Delegation{}
	}
	return ds, err
}

func (s *delegationAdmin) apiDelegations(w http.ResponseWriter, r *http.Request, p *principal) error {
	ds, err := s.delegations(r.Context(), p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ds)
	return nil
}

// delegate records a delegation to a deputy's account.
func (s *delegationAdmin) delegate(ctx context.Context, r *http.Request, p *principal, b DelegationBody) (cycle.Delegation, error) {
	if err := requireRole(p, cycle.RoleSigner, cycle.RoleAdmin); err != nil {
		return cycle.Delegation{}, err
	}
	if p.Account.Role == cycle.RoleSigner {
		b.From = p.Account.ID
	}
	d := cycle.Delegation{From: strings.TrimSpace(b.From), To: strings.TrimSpace(b.To), Title: cycle.Clean(b.Title), FromDate: b.FromDate, ToDate: b.ToDate,
		CreatedBy: p.Account.ID, CreatedAt: s.cfg.Now()}
	var probs []cycle.Problem
	at := func(field, rule string, args ...any) {
		pr := cycle.NewProblem(rule, args...)
		pr.Field = field
		probs = append(probs, pr)
	}
	if head, _, err := s.cfg.Store.AccountCredentials(ctx, d.From); err != nil || head.Role != cycle.RoleSigner {
		at("from", "api.delegation_head", d.From)
	}
	if dep, _, err := s.cfg.Store.AccountCredentials(ctx, d.To); err != nil || dep.Role != cycle.RoleDeputy || dep.Disabled {
		at("to", "api.delegation_deputy", d.To)
	}
	if d.Title == "" {
		at("title", "delegation.title")
	}
	if d.FromDate.IsZero() || d.ToDate.IsZero() || d.ToDate.Before(d.FromDate) {
		at("to_date", "delegation.period", d.FromDate.Vietnamese(), d.ToDate.Vietnamese())
	}
	if err := cycle.Invalid("delegation", probs); err != nil {
		return d, err
	}
	id, err := s.cfg.Store.AddDelegation(ctx, d)
	if err != nil {
		return d, err
	}
	d.ID = id
	return d, s.audit(ctx, r, p, "delegate", "delegation "+strconv.FormatInt(id, 10), "", "ok",
		d.From+" → "+d.To+" ("+d.Title+") "+d.FromDate.Vietnamese()+"–"+d.ToDate.Vietnamese())
}

func (s *delegationAdmin) apiDelegate(w http.ResponseWriter, r *http.Request, p *principal) error {
	var b DelegationBody
	if err := s.decodeJSON(w, r, &b, false); err != nil {
		return err
	}
	d, err := s.delegate(r.Context(), r, p, b)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, d)
	return nil
}

// revokeDelegation ends a delegation now: the head who gave it, or the
// administrator.
func (s *delegationAdmin) revokeDelegation(ctx context.Context, r *http.Request, p *principal, idText string) error {
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil {
		return cycle.Fail(EBADREQUEST, "api.delegation_id", idText)
	}
	if err := requireRole(p, cycle.RoleSigner, cycle.RoleAdmin); err != nil {
		return err
	}
	ds, err := s.cfg.Store.Delegations(ctx, "")
	if err != nil {
		return err
	}
	for _, d := range ds {
		if d.ID != id {
			continue
		}
		if p.Account.Role == cycle.RoleSigner && d.From != p.Account.ID {
			return cycle.Fail(cycle.EFORBIDDEN, "api.delegation_not_yours")
		}
		if err := s.cfg.Store.RevokeDelegation(ctx, id, s.cfg.Now()); err != nil {
			return err
		}
		return s.audit(ctx, r, p, "revoke_delegation", "delegation "+idText, "", "ok", d.From+" → "+d.To)
	}
	return cycle.Fail(cycle.ENOTFOUND, "api.delegation_none", idText)
}

func (s *delegationAdmin) apiRevokeDelegation(w http.ResponseWriter, r *http.Request, p *principal) error {
	if err := s.revokeDelegation(r.Context(), r, p, r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
