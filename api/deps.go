package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
	"sync"
	"time"

	"chuyenhoa/cycle"
)

// deps is what every group of handlers shares: the Server's settings
// (read through cfg, so that fields set after Handler still count), the
// sign-in throttle and the cache of province names, and the helpers
// common to the API and the web pages — authentication, errors, JSON
// bodies, the audit trail, rendering and names for people.
type deps struct {
	cfg       *Server
	throttle  *throttle
	provinces *sync.Map // province code → name, for people
}

// provinceName is a province's name ("tỉnh Quảng Ngãi"), or its code if
// the registry has none.
func (s *deps) provinceName(ctx context.Context, code string) string {
	if n, ok := s.provinces.Load(code); ok {
		return n.(string)
	}
	p, _, err := s.cfg.Store.Province(ctx, code)
	if err != nil || p.Name == "" {
		return code
	}
	s.provinces.Store(code, p.Name)
	return p.Name
}

// processName names a cycle or an award round for people: "Chuyển hóa
// năm 2027 — Quảng Ngãi", "Khen thưởng năm 2027 — Quảng Ngãi".
func (s *deps) processName(ctx context.Context, id string) string {
	parts := strings.Split(id, "/")
	if len(parts) != 3 {
		return id
	}
	if parts[0] == "awards" {
		return cycle.Say(cycle.Vietnamese, "api.process_awards", parts[2], s.provinceName(ctx, parts[1]))
	}
	return cycle.Say(cycle.Vietnamese, "api.process_cycle", parts[2], s.provinceName(ctx, parts[1]))
}

// today is the civil date in Vietnam now.
func (s *deps) today() cycle.Date { return cycle.DateOf(s.cfg.Now()) }

// query runs a query of a cycle's workflow.
func (s *deps) query(ctx context.Context, cycleID, name string, out any) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	v, err := s.cfg.Temporal.QueryWorkflow(ctx, cycleID, "", name)
	if err != nil {
		if ce := asError(err); ce.Code == cycle.ENOTFOUND {
			return cycle.Fail(cycle.ENOTFOUND, "api.no_cycle", cycleID)
		}
		return err
	}
	return v.Get(out)
}

// apiHandler is an API handler of a signed-in officer.
type apiHandler func(w http.ResponseWriter, r *http.Request, p *principal) error

// authed authenticates an API request by its bearer token and writes the
// handler's error, if any, as a JSON error response.
func (s *deps) authed(h apiHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, err := s.bearer(r)
		if err == nil {
			err = h(w, r, p)
		}
		if err != nil {
			s.writeError(w, r, err)
		}
	}
}

// decodeJSON decodes a JSON body into v, refusing other media types (415),
// bodies over the limit (413), malformed JSON, unknown fields and trailing
// data (400). An empty body is allowed when empty is true.
func (s *deps) decodeJSON(w http.ResponseWriter, r *http.Request, v any, empty bool) error {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return cycle.Fail(ETOOLARGE, "api.body_too_large", cycle.Int(s.cfg.MaxBodyBytes))
		}
		return cycle.Fail(EBADREQUEST, "api.read_body", err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		if empty {
			return nil
		}
		return cycle.Fail(EBADREQUEST, "api.body_empty")
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != mimeJSON {
		return cycle.Fail(EUNSUPPORTED, "api.send_json", mimeJSON)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return cycle.Fail(EBADREQUEST, "api.json_syntax", se.Offset, err)
		case errors.As(err, &te):
			return cycle.Fail(EBADREQUEST, "api.json_type", te.Field, te.Value, te.Type)
		}
		return cycle.Fail(EBADREQUEST, "api.json", err)
	}
	if dec.More() {
		return cycle.Fail(EBADREQUEST, "api.json_trailing")
	}
	return nil
}

// unreadCount is the account's unread notices for the page header (0 when
// it cannot be read: the header is no place for an error).
func (s *deps) unreadCount(ctx context.Context, p *principal) int {
	if p == nil {
		return 0
	}
	n, err := s.cfg.Store.UnreadNotices(ctx, p.Account.ID)
	if err != nil {
		s.cfg.Logger.Warn("unread notices", "account", p.Account.ID, "error", err)
		return 0
	}
	return n
}

// unitNamer names the units of a cycle's province.
func (s *deps) unitNamer(ctx context.Context, cycleID string) func(string) string {
	prov, _ := splitCycleID(cycleID)
	p, _, err := s.cfg.Store.Province(ctx, prov)
	return func(code string) string {
		if err == nil {
			for _, d := range p.Districts {
				if d.Code == code {
					return d.Name
				}
			}
		}
		return cycle.Say(cycle.Vietnamese, "notice.unit_code", code)
	}
}

// maySee reports whether an account may see a task and its files.
func (s *deps) maySee(ctx context.Context, p *principal, t cycle.Task) bool {
	switch p.Account.Role {
	case cycle.RoleSecretariat, cycle.RoleAdmin:
		return true
	case cycle.RoleDeputy:
		return t.Role == cycle.RoleSigner
	}
	return p.Account.Role == t.Role && (t.District == "" || t.District == p.Account.District)
}
