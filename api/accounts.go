package api

import (
	"context"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"chuyenhoa/cycle"
)

// Accounts and delegations: the administrator creates accounts, binds
// them to a unit, disables them and resets passwords; an officer changes
// his own password; the head (or the administrator for him) delegates
// his signature to a deputy for a period, and revokes it. Every change is
// audited.

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

// ---- the accounts' pages ---------------------------------------------------------

type accountsData struct {
	Accounts []cycle.Account
	Roles    []cycle.Role
	Values   map[string]string
	Fields   map[string][]cycle.Problem
}

var allRoles = []cycle.Role{cycle.RoleDistrictOfficer, cycle.RoleSecretariat, cycle.RoleCouncilMember, cycle.RoleCouncilChair, cycle.RoleSigner, cycle.RoleDeputy, cycle.RoleClerk, cycle.RoleAdmin}

func (s *accountAdmin) accountsPage(w http.ResponseWriter, r *http.Request, p *principal, status int, refusal *cycle.Error, values map[string]string) error {
	if err := requireRole(p, cycle.RoleAdmin); err != nil {
		return err
	}
	as, err := s.cfg.Store.Accounts(r.Context())
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

func (s *accountAdmin) webAccounts(w http.ResponseWriter, r *http.Request, p *principal) error {
	return s.accountsPage(w, r, p, http.StatusOK, nil, map[string]string{})
}

func (s *accountAdmin) webCreateAccount(w http.ResponseWriter, r *http.Request, p *principal) error {
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

func (s *accountAdmin) webAccount(w http.ResponseWriter, r *http.Request, p *principal) error {
	if err := requireRole(p, cycle.RoleAdmin); err != nil {
		return err
	}
	a, _, err := s.cfg.Store.AccountCredentials(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "account", pageData{Title: "Tài khoản " + a.ID, Account: p, Flash: flash(r), Data: accountData{Account: a, Fields: map[string][]cycle.Problem{}}})
	return nil
}

// webAccountAction: "save" the account's details, "disable" or "enable"
// it, "password" reset it.
func (s *accountAdmin) webAccountAction(w http.ResponseWriter, r *http.Request, p *principal) error {
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
		a, _, aerr := s.cfg.Store.AccountCredentials(r.Context(), id)
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

func (s *accountAdmin) webMe(w http.ResponseWriter, r *http.Request, p *principal) error {
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
