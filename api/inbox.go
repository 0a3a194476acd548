package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"mime"
	"net/http"

	"chuyenhoa/cycle"
)

// TasksResponse is the officer's inbox.
type TasksResponse struct {
	Today cycle.Date `json:"today"`
	Tasks []TaskView `json:"tasks"`
}

// inboxFilter is what the inbox shows: by kind, cycle or round, unit, and
// whether overdue only.
type inboxFilter struct {
	Kind    cycle.TaskKind
	Cycle   string
	Unit    string
	Overdue bool
	// All: the secretariat sees every open task of the programme, not
	// only its own (the administrator always does).
	All bool
}

func filterOf(r *http.Request) inboxFilter {
	q := r.URL.Query()
	return inboxFilter{Kind: cycle.TaskKind(q.Get("kind")), Cycle: q.Get("cycle"), Unit: q.Get("unit"), Overdue: q.Get("overdue") == "1" || q.Get("overdue") == "true", All: q.Get("all") == "1" || q.Get("all") == "true"}
}

func (f inboxFilter) keep(t TaskView) bool {
	return (f.Kind == "" || t.Kind == f.Kind) && (f.Cycle == "" || t.CycleID == f.Cycle) && (f.Unit == "" || t.District == f.Unit) && (!f.Overdue || t.Overdue)
}

func (s *inboxHandlers) apiTasks(w http.ResponseWriter, r *http.Request, p *principal) error {
	ts, err := s.inbox(r.Context(), p, filterOf(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, TasksResponse{Today: s.today(), Tasks: ts})
	return nil
}

func (s *inboxHandlers) apiTask(w http.ResponseWriter, r *http.Request, p *principal) error {
	d, err := s.detail(r.Context(), r, p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

func (s *inboxHandlers) apiClaim(w http.ResponseWriter, r *http.Request, p *principal) error {
	cl, err := s.claim(r.Context(), r, p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, cl)
	return nil
}

func (s *inboxHandlers) apiRelease(w http.ResponseWriter, r *http.Request, p *principal) error {
	if err := s.release(r.Context(), r, p); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiFile downloads a task's supporting file, for those who may see the task.
func (s *inboxHandlers) apiFile(w http.ResponseWriter, r *http.Request, p *principal) error {
	t, _, err := s.findTask(r.Context(), r, p)
	if err != nil {
		return err
	}
	files, err := s.cfg.Store.Attachments(r.Context(), t.CycleID, t.ID)
	if err != nil {
		return err
	}
	for _, a := range files {
		if a.SHA256 == r.PathValue("sha") {
			data, err := s.cfg.Store.Blob(r.Context(), a.SHA256)
			if err != nil {
				return err
			}
			if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != a.SHA256 {
				return cycle.Errorf(cycle.EINTERNAL, "stored file %s does not match its hash", a.SHA256)
			}
			if err := s.audit(r.Context(), r, p, "download", taskObjectOf(t), "", "ok", a.Name+", sha256 "+a.SHA256); err != nil {
				return err
			}
			w.Header().Set("Content-Type", a.MediaType)
			w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": a.Name}))
			w.Header().Set("X-Content-Type-Options", "nosniff")
			_, _ = w.Write(data)
			return nil
		}
	}
	return cycle.Fail(cycle.ENOTFOUND, "api.not_found", r.URL.Path)
}

// inbox returns the account's open tasks, earliest due first: those of its
// role (and unit, for a unit's officer), a deputy's signing tasks while a
// delegation is in force; the secretariat and the administrator see every
// open task. Claims are shown on each.
func (s *inboxHandlers) inbox(ctx context.Context, p *principal, f inboxFilter) ([]TaskView, error) {
	a := p.Account
	var q cycle.TaskFilter
	switch a.Role {
	case cycle.RoleAdmin:
	case cycle.RoleSecretariat:
		if !f.All {
			q.Role = cycle.RoleSecretariat
		}
	case cycle.RoleDeputy:
		if _, _, err := s.delegationOf(ctx, a.ID); err != nil {
			return []TaskView{}, nil
		}
		q.Role = cycle.RoleSigner
	default:
		q.Role = a.Role
		if a.Role == cycle.RoleDistrictOfficer {
			q.District = a.District
		}
	}
	ts, err := s.cfg.Store.OpenTasks(ctx, q)
	if err != nil {
		return nil, err
	}
	claims := map[string]cycle.Claim{}
	seen := map[string]bool{}
	out := []TaskView{}
	for _, v := range s.taskViews(ctx, ts) {
		if !f.keep(v) {
			continue
		}
		if !seen[v.CycleID] {
			seen[v.CycleID] = true
			cs, err := s.cfg.Store.Claims(ctx, v.CycleID)
			if err != nil {
				return nil, err
			}
			for _, c := range cs {
				claims[c.CycleID+" "+c.TaskID] = c
			}
		}
		if c, ok := claims[v.CycleID+" "+v.ID]; ok {
			cc := c
			v.Claim = &cc
		}
		out = append(out, v)
	}
	return out, nil
}

type inboxData struct {
	Today    cycle.Date
	Tasks    []TaskView
	Filter   inboxFilter
	Filtered bool             // a filter is set
	Deputy   string           // whom a deputy signs for today
	Oversees bool             // the secretariat: may see every officer's open tasks
	Kinds    []cycle.TaskKind // the kinds in the unfiltered inbox, for the filter
	Cycles   []TaskView       // one task of each cycle or round, for the filter
}

func (s *inboxHandlers) webInbox(w http.ResponseWriter, r *http.Request, p *principal) error {
	f := filterOf(r)
	all, err := s.inbox(r.Context(), p, inboxFilter{All: f.All})
	if err != nil {
		return err
	}
	d := inboxData{Today: s.today(), Filter: f, Filtered: f != inboxFilter{All: f.All}, Oversees: p.Account.Role == cycle.RoleSecretariat}
	if p.Account.Role == cycle.RoleDeputy {
		if del, head, err := s.delegationOf(r.Context(), p.Account.ID); err == nil {
			d.Deputy = head.Name + " (" + head.Title + ") đến hết ngày " + del.ToDate.Vietnamese()
		}
	}
	kinds, cycles := map[cycle.TaskKind]bool{}, map[string]bool{}
	for _, t := range all {
		if f.keep(t) {
			d.Tasks = append(d.Tasks, t)
		}
		if !kinds[t.Kind] {
			kinds[t.Kind] = true
			d.Kinds = append(d.Kinds, t.Kind)
		}
		if !cycles[t.CycleID] {
			cycles[t.CycleID] = true
			d.Cycles = append(d.Cycles, t)
		}
	}
	s.render(w, r, http.StatusOK, "inbox", pageData{Title: "Việc cần làm", Account: p, Flash: flash(r), Data: d})
	return nil
}
