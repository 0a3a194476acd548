// Package memstore is an in-memory activities.Store for workflow tests:
// the same contract as package postgres (idempotent methods, gapless
// numbering), without a database. It is not used by any binary.
package memstore

import (
	"context"
	"sort"
	"sync"
	"time"

	"chuyenhoa/activities"
	"chuyenhoa/cycle"
)

// Store keeps everything in maps behind one mutex.
type Store struct {
	mu            sync.Mutex
	provinces     map[string]cycle.Province
	issuers       map[string]cycle.Issuer
	Cycles        map[string]cycle.CycleInfo
	Phases        map[string][]cycle.Phase
	tasks         map[string]cycle.Task // cycle|task → open task
	Closed        map[string]string     // cycle|task → reason or "completed"
	audit         []cycle.AuditEntry
	completions   map[string]bool // cycle|request
	revisions     []activities.ProposalRevision
	Selections    map[string]cycle.SelectionResult
	notifications []cycle.StoredNotification
	notified      map[string]bool
	register      map[string]int // body|year → last number
	numbers       map[string]int // decision ID → number
	decisions     map[string]cycle.Decision
	pdfs          map[string][]byte
}

var _ activities.Store = (*Store)(nil)

// New returns an empty store.
func New() *Store {
	return &Store{
		provinces: map[string]cycle.Province{}, issuers: map[string]cycle.Issuer{}, Cycles: map[string]cycle.CycleInfo{},
		Phases: map[string][]cycle.Phase{}, tasks: map[string]cycle.Task{}, Closed: map[string]string{},
		completions: map[string]bool{}, Selections: map[string]cycle.SelectionResult{}, notified: map[string]bool{},
		register: map[string]int{}, numbers: map[string]int{}, decisions: map[string]cycle.Decision{}, pdfs: map[string][]byte{},
	}
}

func key(a, b string) string { return a + "|" + b }

// SaveProvince implements activities.Store.
func (s *Store) SaveProvince(_ context.Context, p cycle.Province, is cycle.Issuer) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.provinces[p.Code], s.issuers[p.Code] = p, is
	return nil
}

// Province implements activities.Store.
func (s *Store) Province(_ context.Context, code string) (cycle.Province, cycle.Issuer, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.provinces[code]
	if !ok {
		return cycle.Province{}, cycle.Issuer{}, cycle.Errorf(cycle.ENOTFOUND, "province %q is not in the registry", code)
	}
	return p, s.issuers[code], nil
}

// OpenCycle implements activities.Store.
func (s *Store) OpenCycle(_ context.Context, c cycle.CycleInfo) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.Cycles[c.ID]; !ok {
		s.Cycles[c.ID] = c
	}
	return nil
}

// SetPhase implements activities.Store.
func (s *Store) SetPhase(_ context.Context, id string, p cycle.Phase, _ time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	ph := s.Phases[id]
	if len(ph) == 0 || ph[len(ph)-1] != p {
		s.Phases[id] = append(ph, p)
	}
	return nil
}

// OpenTask implements activities.Store.
func (s *Store) OpenTask(_ context.Context, t cycle.Task) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := key(t.CycleID, t.ID)
	s.tasks[k] = t
	delete(s.Closed, k)
	return nil
}

// CompleteTask implements activities.Store.
func (s *Store) CompleteTask(_ context.Context, c cycle.Completion) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := key(c.CycleID, c.RequestID)
	if s.completions[k] {
		return nil
	}
	s.completions[k] = true
	s.audit = append(s.audit, cycle.AuditEntry{At: c.At, CycleID: c.CycleID, TaskID: c.TaskID, Actor: c.Actor, Action: string(c.Kind), RequestID: c.RequestID, Summary: c.Summary})
	if c.Proposal != nil {
		for i := range s.revisions {
			if s.revisions[i].CycleID == c.CycleID && s.revisions[i].Unit == c.Proposal.Unit {
				s.revisions[i].Current = false
			}
		}
		s.revisions = append(s.revisions, activities.ProposalRevision{CycleID: c.CycleID, Unit: c.Proposal.Unit, Revision: c.Revision, Current: true, SubmittedBy: c.Actor, SubmittedAt: c.At, Late: c.Late, Proposal: *c.Proposal})
	}
	tk := key(c.CycleID, c.TaskID)
	delete(s.tasks, tk)
	s.Closed[tk] = "completed"
	return nil
}

// CloseTask implements activities.Store.
func (s *Store) CloseTask(_ context.Context, cycleID, taskID, reason string, _ time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := key(cycleID, taskID)
	if _, open := s.tasks[k]; !open {
		if _, closed := s.Closed[k]; !closed {
			return cycle.Errorf(cycle.ENOTFOUND, "no task %s in cycle %s", taskID, cycleID)
		}
		return nil
	}
	delete(s.tasks, k)
	s.Closed[k] = reason
	return nil
}

// SaveSelection implements activities.Store.
func (s *Store) SaveSelection(_ context.Context, id string, sel cycle.SelectionResult, _ time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.Selections[id] = sel
	return nil
}

// AddNotification implements activities.Store.
func (s *Store) AddNotification(_ context.Context, n cycle.Notification, at time.Time) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.notified[n.Key()] {
		return false, nil
	}
	s.notified[n.Key()] = true
	s.notifications = append(s.notifications, cycle.StoredNotification{Notification: n, At: at})
	return true, nil
}

// AssignNumber implements activities.Store.
func (s *Store) AssignNumber(_ context.Context, d cycle.Decision) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n, ok := s.numbers[d.ID]; ok {
		return n, nil
	}
	rk := key(d.BodyKey, time.Date(d.Year, 1, 1, 0, 0, 0, 0, time.UTC).Format("2006"))
	s.register[rk]++
	s.numbers[d.ID] = s.register[rk]
	return s.register[rk], nil
}

// SaveDecision implements activities.Store.
func (s *Store) SaveDecision(_ context.Context, d cycle.Decision, pdf []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, ok := s.numbers[d.ID]
	if !ok {
		return cycle.Errorf(cycle.ENOTFOUND, "decision %s has no number: AssignNumber first", d.ID)
	}
	d.Number = n
	s.decisions[d.ID], s.pdfs[d.ID] = d, append([]byte(nil), pdf...)
	return nil
}

// OpenTasks implements activities.Store.
func (s *Store) OpenTasks(_ context.Context, f activities.TaskFilter) ([]cycle.Task, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []cycle.Task
	for _, t := range s.tasks {
		if (f.CycleID == "" || t.CycleID == f.CycleID) && (f.Role == "" || t.Role == f.Role) && (f.District == "" || t.District == f.District) {
			out = append(out, t)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Due != out[j].Due {
			return out[i].Due.Before(out[j].Due)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// Notifications implements activities.Store.
func (s *Store) Notifications(_ context.Context, id string) ([]cycle.StoredNotification, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []cycle.StoredNotification
	for _, n := range s.notifications {
		if n.CycleID == id {
			out = append(out, n)
		}
	}
	return out, nil
}

// Audit implements activities.Store.
func (s *Store) Audit(_ context.Context, id string) ([]cycle.AuditEntry, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []cycle.AuditEntry
	for _, a := range s.audit {
		if a.CycleID == id {
			out = append(out, a)
		}
	}
	return out, nil
}

// Decisions implements activities.Store.
func (s *Store) Decisions(_ context.Context, id string) ([]cycle.Decision, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []cycle.Decision
	for _, d := range s.decisions {
		if d.CycleID == id {
			out = append(out, d)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// DecisionPDF implements activities.Store.
func (s *Store) DecisionPDF(_ context.Context, id string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.pdfs[id]
	if !ok {
		return nil, cycle.Errorf(cycle.ENOTFOUND, "decision %q not found", id)
	}
	return b, nil
}

// Proposals implements activities.Store.
func (s *Store) Proposals(_ context.Context, id string) ([]activities.ProposalRevision, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []activities.ProposalRevision
	for _, r := range s.revisions {
		if r.CycleID == id {
			out = append(out, r)
		}
	}
	return out, nil
}
