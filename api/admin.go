package api

import (
	"context"
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"chuyenhoa/cycle"
	"chuyenhoa/policies"
	"chuyenhoa/workflows/awards"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/selection"
)

// The secretariat's and the administrator's actions, which complete no
// task of the inbox: starting a yearly cycle under the policy in force
// (its calendar shown first), closing the proposals early, starting an
// award round and closing its nominations; and the list of cycles. Each
// is a route of the API and a form of the web (adminweb.go), audited.

// adminActions are the workflow updates that are actions of the
// secretariat rather than tasks: a test checks that every update the
// workflows define is a task kind's or one of these.
var adminActions = map[string]cycle.Role{
	selection.UpdateCloseProposals: cycle.RoleSecretariat,
	awards.UpdateCloseNominations:  cycle.RoleSecretariat,
}

// requireRole refuses an account whose role is not one of roles.
func requireRole(p *principal, roles ...cycle.Role) error {
	for _, r := range roles {
		if p.Account.Role == r {
			return nil
		}
	}
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = roleLabel(r)
	}
	return cycle.Fail(cycle.EFORBIDDEN, "api.forbidden_role", strings.Join(names, ", "))
}

// ---- policies and their calendars -------------------------------------------

// PolicyChoice is a shipped policy a cycle may run under, with the
// calendar it would run on for the year asked.
type PolicyChoice struct {
	ID       string            `json:"id"`
	Name     string            `json:"name"`
	InForce  bool              `json:"in_force"` // the province's policy in force on 1 January of the year
	Awards   bool              `json:"awards"`   // it has an award scheme
	Timeline []cycle.Milestone `json:"timeline"`
}

// policyChoices are the shipped policies for a province's year, the one in
// force first. When none is in force the policy returned is empty (ID "")
// and none is marked: the caller names one, or refuses with
// policies.InForce's reason (noneInForce).
func policyChoices(province string, year int) ([]PolicyChoice, cycle.Policy, error) {
	all, err := policies.Builtin()
	if err != nil {
		return nil, cycle.Policy{}, err
	}
	inForce, err := policies.InForce(all, province, cycle.D(year, time.January, 1))
	found := err == nil
	if !found {
		inForce = cycle.Policy{}
	}
	out := make([]PolicyChoice, 0, len(all))
	for _, pol := range all {
		out = append(out, PolicyChoice{ID: pol.ID, Name: pol.Name, InForce: found && pol.ID == inForce.ID, Awards: pol.Awards != nil, Timeline: pol.Timeline(year)})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].InForce && !out[j].InForce })
	return out, inForce, nil
}

// noneInForce is the refusal to start a cycle or round of a year no
// shipped policy of the province covers, without a policy named: the
// reason policies.InForce gives (the province's policies and their years).
func noneInForce(province string, year int) error {
	all, err := policies.Builtin()
	if err != nil {
		return err
	}
	return policies.NoneInForce(all, province, cycle.D(year, time.January, 1))
}

// builtinPolicy is a shipped policy by its ID (a file path is never taken
// from a request).
func builtinPolicy(id string) (cycle.Policy, error) {
	all, err := policies.Builtin()
	if err != nil {
		return cycle.Policy{}, err
	}
	for _, p := range all {
		if p.ID == id {
			return p, nil
		}
	}
	return cycle.Policy{}, cycle.Fail(cycle.EINVALID, "api.no_policy", id)
}

// PoliciesResponse lists the policies for a province's year.
type PoliciesResponse struct {
	Province string         `json:"province"`
	Year     int            `json:"year"`
	Policies []PolicyChoice `json:"policies"`
}

func (s *cycleAdmin) apiPolicies(w http.ResponseWriter, r *http.Request, p *principal) error {
	prov, year, err := provinceYearQuery(r)
	if err != nil {
		return err
	}
	ps, _, err := policyChoices(prov, year)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, PoliciesResponse{Province: prov, Year: year, Policies: ps})
	return nil
}

// provinceYearQuery reads ?province= and ?year= (next year by default).
func provinceYearQuery(r *http.Request) (string, int, error) {
	prov := r.URL.Query().Get("province")
	if !provinceCode.MatchString(prov) {
		return "", 0, cycle.Fail(EBADREQUEST, "api.province_code", prov)
	}
	y := time.Now().In(cycle.Vietnam).Year() + 1
	if v := r.URL.Query().Get("year"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 2000 || n > 2100 {
			return "", 0, cycle.Fail(EBADREQUEST, "api.year", v)
		}
		y = n
	}
	return prov, y, nil
}

// ---- cycles -------------------------------------------------------------------

// StartCycleBody starts a province's yearly cycle.
type StartCycleBody struct {
	Province  string `json:"province"`
	Year      int    `json:"year"`
	Policy    string `json:"policy,omitempty"` // a shipped policy's ID; default: the one in force
	Synthetic bool   `json:"synthetic,omitempty"`
}

// Started names what was started.
type Started struct {
	ID     string `json:"id"`
	Policy string `json:"policy"`
}

// startCycle starts a yearly cycle as the secretariat's account.
func (s *cycleAdmin) startCycle(ctx context.Context, r *http.Request, p *principal, b StartCycleBody) (Started, error) {
	if err := requireRole(p, cycle.RoleSecretariat); err != nil {
		return Started{}, err
	}
	if b.Year < 2000 || b.Year > 2100 {
		return Started{}, cycle.Fail(cycle.EINVALID, "api.year", strconv.Itoa(b.Year))
	}
	if _, _, err := s.cfg.Store.Province(ctx, b.Province); err != nil {
		return Started{}, err
	}
	_, pol, err := policyChoices(b.Province, b.Year)
	if err != nil {
		return Started{}, err
	}
	if b.Policy != "" {
		if pol, err = builtinPolicy(b.Policy); err != nil {
			return Started{}, err
		}
	} else if pol.ID == "" {
		return Started{}, noneInForce(b.Province, b.Year)
	}
	in := selection.YearlyCycleInput{Province: b.Province, Year: b.Year, Policy: pol, StartedBy: p.Account.Actor(), Synthetic: b.Synthetic, TimeScale: s.cfg.TimeScale}
	id := selection.WorkflowID(b.Province, b.Year)
	if _, err := (selection.Client{T: s.cfg.Temporal}).Start(ctx, in); err != nil {
		_ = s.audit(context.WithoutCancel(ctx), r, p, "refused", id, "", asError(err).Code, "start_cycle: "+asError(err).Error())
		return Started{}, err
	}
	return Started{ID: id, Policy: pol.ID}, s.audit(context.WithoutCancel(ctx), r, p, "start_cycle", id, "", "ok", "policy "+pol.ID)
}

func (s *cycleAdmin) apiStartCycle(w http.ResponseWriter, r *http.Request, p *principal) error {
	var b StartCycleBody
	if err := s.decodeJSON(w, r, &b, false); err != nil {
		return err
	}
	st, err := s.startCycle(r.Context(), r, p, b)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, st)
	return nil
}

// CycleListing is a cycle or award round, for the list.
type CycleListing struct {
	ID      string      `json:"id"`
	Name    string      `json:"name"` // for people
	Address string      `json:"address"`
	Phase   cycle.Phase `json:"phase"`
	Policy  string      `json:"policy"`
	Started time.Time   `json:"started_at"`
}

// cycles lists every cycle and award round, the newest first.
func (s *cycleAdmin) cycles(ctx context.Context) ([]CycleListing, error) {
	cs, err := s.cfg.Store.Cycles(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]CycleListing, 0, len(cs))
	for _, c := range cs {
		a := addressOfTask(cycle.Task{CycleID: c.ID})
		addr := "/cycles/" + a.Province + "/" + strconv.Itoa(a.Year)
		if a.Scope == "awards" {
			addr = "/awards/" + a.Province + "/" + strconv.Itoa(a.Year)
		}
		out = append(out, CycleListing{ID: c.ID, Name: s.processName(ctx, c.ID), Address: addr, Phase: c.Phase, Policy: c.Policy.ID, Started: c.StartedAt})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Started.After(out[j].Started) })
	return out, nil
}

func (s *cycleAdmin) apiCycles(w http.ResponseWriter, r *http.Request, p *principal) error {
	cs, err := s.cycles(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, cs)
	return nil
}

// CloseProposalsBody closes a cycle's proposals before their due date.
type CloseProposalsBody struct {
	Reason string `json:"reason,omitempty"`
}

// closeProposals sends the secretariat's closing to the cycle.
func (s *cycleAdmin) closeProposals(ctx context.Context, r *http.Request, p *principal, key, reason string) (selection.CloseProposalsResult, error) {
	_, _, id, err := cycleOf(r)
	if err != nil {
		return selection.CloseProposalsResult{}, err
	}
	c := &taskCall{p: p, r: r, task: cycle.Task{CycleID: id, ID: "close-proposals"}, key: key, actor: p.Account.Actor()}
	if err := requireRole(p, cycle.RoleSecretariat); err != nil {
		return selection.CloseProposalsResult{}, s.refuse(ctx, c, err)
	}
	ctx2, cancel := context.WithTimeout(ctx, s.cfg.UpdateTimeout)
	defer cancel()
	req := selection.CloseProposalsRequest{Request: c.request(), Reason: cycle.Clean(reason)}
	var res selection.CloseProposalsResult
	if err := flow.Call(ctx2, s.cfg.Temporal, id, selection.UpdateCloseProposals, req.Request, req, &res); err != nil {
		return res, s.refuse(context.WithoutCancel(ctx), c, err)
	}
	return res, s.audit(context.WithoutCancel(ctx), r, p, "close_proposals", id, key, "ok", req.Reason)
}

func (s *cycleAdmin) apiCloseProposals(w http.ResponseWriter, r *http.Request, p *principal) error {
	key := r.Header.Get("Idempotency-Key")
	if !idempotencyKey.MatchString(key) {
		return cycle.Fail(EBADREQUEST, "api.idempotency_key")
	}
	var b CloseProposalsBody
	if err := s.decodeJSON(w, r, &b, true); err != nil {
		return err
	}
	res, err := s.closeProposals(r.Context(), r, p, key, b.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, CompletionResponse{RequestID: key, Result: mustJSON(res)})
	return nil
}

// ---- award rounds ---------------------------------------------------------------

// StartRoundBody starts a province's award round.
type StartRoundBody struct {
	Province   string     `json:"province"`
	Year       int        `json:"year"`
	Policy     string     `json:"policy,omitempty"` // default: the one in force (it must have an award scheme)
	Due        cycle.Date `json:"due,omitempty"`    // default: the policy's deadline
	SignerName string     `json:"signer_name,omitempty"`
	Synthetic  bool       `json:"synthetic,omitempty"`
}

// startRound starts an award round as the secretariat's account.
func (s *cycleAdmin) startRound(ctx context.Context, r *http.Request, p *principal, b StartRoundBody) (Started, error) {
	if err := requireRole(p, cycle.RoleSecretariat); err != nil {
		return Started{}, err
	}
	if b.Year < 2000 || b.Year > 2100 {
		return Started{}, cycle.Fail(cycle.EINVALID, "api.year", strconv.Itoa(b.Year))
	}
	prov, _, err := s.cfg.Store.Province(ctx, b.Province)
	if err != nil {
		return Started{}, err
	}
	_, pol, err := policyChoices(b.Province, b.Year)
	if err != nil {
		return Started{}, err
	}
	if b.Policy != "" {
		if pol, err = builtinPolicy(b.Policy); err != nil {
			return Started{}, err
		}
	} else if pol.ID == "" {
		return Started{}, noneInForce(b.Province, b.Year)
	}
	if a := pol.Awards; a != nil && (a.Issuer == nil || a.Issuer.SignerName == "") && cycle.Clean(b.SignerName) == "" {
		return Started{}, cycle.Fail(cycle.EINVALID, "api.signer_name", pol.ID) // said to the secretariat, not the issuer's English check
	}
	in, err := awards.InputFor(pol, prov, b.Year, b.Due, cycle.Clean(b.SignerName), p.Account.Actor(), b.Synthetic)
	if err != nil {
		return Started{}, err
	}
	id := awards.WorkflowID(b.Province, b.Year)
	if _, err := (awards.Client{T: s.cfg.Temporal}).Start(ctx, in); err != nil {
		_ = s.audit(context.WithoutCancel(ctx), r, p, "refused", id, "", asError(err).Code, "start_round: "+asError(err).Error())
		return Started{}, err
	}
	return Started{ID: id, Policy: pol.ID}, s.audit(context.WithoutCancel(ctx), r, p, "start_round", id, "", "ok", "policy "+pol.ID)
}

func (s *cycleAdmin) apiStartRound(w http.ResponseWriter, r *http.Request, p *principal) error {
	var b StartRoundBody
	if err := s.decodeJSON(w, r, &b, false); err != nil {
		return err
	}
	st, err := s.startRound(r.Context(), r, p, b)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, st)
	return nil
}

// roundOf reads a round's ID from the path.
func roundOf(r *http.Request) (string, int, string, error) {
	prov, year, _, err := cycleOf(r)
	if err != nil {
		return "", 0, "", err
	}
	return prov, year, awards.WorkflowID(prov, year), nil
}

func (s *cycleAdmin) apiRound(w http.ResponseWriter, r *http.Request, p *principal) error {
	_, _, id, err := roundOf(r)
	if err != nil {
		return err
	}
	st, err := awards.Client{T: s.cfg.Temporal}.State(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

// closeNominations sends the secretariat's closing to the round.
func (s *cycleAdmin) closeNominations(ctx context.Context, r *http.Request, p *principal, key string) (cycle.AwardPhase, error) {
	_, _, id, err := roundOf(r)
	if err != nil {
		return "", err
	}
	c := &taskCall{p: p, r: r, task: cycle.Task{CycleID: id, ID: "close-nominations"}, key: key, actor: p.Account.Actor()}
	if err := requireRole(p, cycle.RoleSecretariat); err != nil {
		return "", s.refuse(ctx, c, err)
	}
	ctx2, cancel := context.WithTimeout(ctx, s.cfg.UpdateTimeout)
	defer cancel()
	var res cycle.AwardPhase
	if err := flow.Call(ctx2, s.cfg.Temporal, id, awards.UpdateCloseNominations, c.request(), c.request(), &res); err != nil {
		return res, s.refuse(context.WithoutCancel(ctx), c, err)
	}
	return res, s.audit(context.WithoutCancel(ctx), r, p, "close_nominations", id, key, "ok", "")
}

func (s *cycleAdmin) apiCloseNominations(w http.ResponseWriter, r *http.Request, p *principal) error {
	key := r.Header.Get("Idempotency-Key")
	if !idempotencyKey.MatchString(key) {
		return cycle.Fail(EBADREQUEST, "api.idempotency_key")
	}
	res, err := s.closeNominations(r.Context(), r, p, key)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, CompletionResponse{RequestID: key, Result: mustJSON(res)})
	return nil
}

// mustJSON is v as JSON (v is a result of ours: it always marshals).
func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
