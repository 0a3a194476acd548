package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"chuyenhoa/cycle"
)

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

type delegationsData struct {
	Delegations []cycle.Delegation
	Deputies    []cycle.Account
	Heads       []cycle.Account
	Today       cycle.Date
	CanDelegate bool
	Values      map[string]string
	Fields      map[string][]cycle.Problem
}

func (s *delegationAdmin) delegationsPage(w http.ResponseWriter, r *http.Request, p *principal, status int, refusal *cycle.Error, values map[string]string) error {
	ds, err := s.delegations(r.Context(), p)
	if err != nil {
		return err
	}
	d := delegationsData{Delegations: ds, Today: s.today(), Values: values, Fields: map[string][]cycle.Problem{},
		CanDelegate: p.Account.Role == cycle.RoleSigner || p.Account.Role == cycle.RoleAdmin}
	if d.CanDelegate {
		as, err := s.cfg.Store.Accounts(r.Context())
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

func (s *delegationAdmin) webDelegations(w http.ResponseWriter, r *http.Request, p *principal) error {
	return s.delegationsPage(w, r, p, http.StatusOK, nil, map[string]string{})
}

// webDelegationAction: "revoke" a delegation, or record one.
func (s *delegationAdmin) webDelegationAction(w http.ResponseWriter, r *http.Request, p *principal) error {
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
