// Package memstore is an in-memory store for the workflow tests: the same
// contracts as package postgres (idempotent writes, requests recorded
// once, gapless numbering, write-once archive, deliveries at most once),
// without a database. It is not used by any binary. Every write goes
// through one of two helpers — write (a plain idempotent write) and once
// (a task's completion, recorded once per request) — so the locking,
// the deduplication and the conflicts are written once.
package memstore

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"chuyenhoa/cycle"
)

// Store keeps everything in maps and slices behind one mutex, in parts
// that each keep some of the contracts: the inbox and its neighbours, the
// documents, the transformation years.
type Store struct {
	*data
	inbox
	documents
	transformations
}

type (
	inbox           struct{ *data } // registry, cycles, tasks, selection, notifications, award rounds
	documents       struct{ *data } // register, blobs, archive, deliveries
	transformations struct{ *data } // the transformation years
)

// data is the store's state, shared by its parts.
type data struct {
	mu        sync.Mutex
	provinces map[string]cycle.Province
	issuers   map[string]cycle.Issuer
	Cycles    map[string]cycle.CycleInfo
	Phases    map[string][]cycle.Phase
	tasks     map[string]cycle.Task // cycle|task → open task
	Closed    map[string]string     // cycle|task → reason or "completed"
	closedAt  map[string]time.Time  // cycle|task → when it was closed
	requests  map[string]bool       // cycle|request → recorded
	audit     []cycle.AuditEntry
	revisions []cycle.ProposalRevision
	// Selections are the latest verdicts of each cycle.
	Selections    map[string]cycle.SelectionResult
	notifications []cycle.StoredNotification
	notified      map[string]bool
	register      map[string]int // body|year → last number
	decisions     map[string]cycle.Decision
	blobs         map[string][]byte
	archive       map[string]cycle.ArchivedDocument
	deliveries    map[string]cycle.DeliveryRecord // document|recipient
	addresses     []cycle.AddressedDocument       // in the order recorded
	// The transformation years.
	transformations map[string]cycle.Transformation // workflow ID → commune
	reports         []cycle.ReportRecord
	outcomes        map[string]outcome // province|commune|year → row
	reviews         []cycle.ReviewRecord
	// The award rounds.
	nominations map[string]cycle.NominationRecord // round|unit → current
	awardReview map[string]cycle.AwardReviewRecord
}

// New returns an empty store.
func New() *Store {
	d := &data{
		provinces: map[string]cycle.Province{}, issuers: map[string]cycle.Issuer{}, Cycles: map[string]cycle.CycleInfo{},
		Phases: map[string][]cycle.Phase{}, tasks: map[string]cycle.Task{}, Closed: map[string]string{}, closedAt: map[string]time.Time{},
		requests: map[string]bool{}, Selections: map[string]cycle.SelectionResult{}, notified: map[string]bool{},
		register: map[string]int{}, decisions: map[string]cycle.Decision{}, blobs: map[string][]byte{},
		archive: map[string]cycle.ArchivedDocument{}, deliveries: map[string]cycle.DeliveryRecord{},
		transformations: map[string]cycle.Transformation{}, outcomes: map[string]outcome{},
		nominations: map[string]cycle.NominationRecord{}, awardReview: map[string]cycle.AwardReviewRecord{},
	}
	return &Store{data: d, inbox: inbox{d}, documents: documents{d}, transformations: transformations{d}}
}

func key(parts ...any) string { return fmt.Sprint(parts...) }

// write runs f under the lock, with op in front of any domain error.
func (s *data) write(op string, f func() error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fail(op, f())
}

// completion is a task's completion as once records it; a completion of
// the transformation years needs its cohort's cycle recorded.
type completion struct {
	cycleID, taskID, requestID string
	actor                      cycle.Actor
	kind                       cycle.TaskKind
	at                         time.Time
	summary                    string
	needsCycle                 bool
}

// once records a completion once per (cycle, request), in one step under
// the lock: the record is checked (check, before the lock), a request
// recorded already does nothing, the cycle must be recorded, conflict may
// refuse it against what is stored, then the audit entry is appended, the
// task closed and the payload written by apply.
func (s *data) once(op string, check error, c completion, conflict func() error, apply func()) error {
	if check != nil {
		return fail(op, check)
	}
	return s.write(op, func() error {
		if s.requests[key(c.cycleID, "|", c.requestID)] {
			return nil
		}
		if _, ok := s.Cycles[c.cycleID]; !ok && c.needsCycle {
			return cycle.Errorf(cycle.ENOTFOUND, "cycle %s is not recorded", c.cycleID)
		}
		if conflict != nil {
			if err := conflict(); err != nil {
				return err
			}
		}
		s.requests[key(c.cycleID, "|", c.requestID)] = true
		s.audit = append(s.audit, cycle.AuditEntry{At: c.at, CycleID: c.cycleID, TaskID: c.taskID, Actor: c.actor, Action: string(c.kind), RequestID: c.requestID, Summary: c.summary})
		tk := key(c.cycleID, "|", c.taskID)
		delete(s.tasks, tk)
		s.Closed[tk], s.closedAt[tk] = "completed", c.at
		if apply != nil {
			apply()
		}
		return nil
	})
}

// --- registry, cycles, inbox ----------------------------------------------------

// SaveProvince implements cycle.RegistryStore.
func (s inbox) SaveProvince(_ context.Context, p cycle.Province, is cycle.Issuer) error {
	return s.write("save province", func() error {
		s.provinces[p.Code], s.issuers[p.Code] = p, is
		return nil
	})
}

// Province implements cycle.RegistryStore.
func (s inbox) Province(_ context.Context, code string) (cycle.Province, cycle.Issuer, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.provinces[code]
	if !ok {
		return cycle.Province{}, cycle.Issuer{}, cycle.Errorf(cycle.ENOTFOUND, "province %q is not in the registry", code)
	}
	return p, s.issuers[code], nil
}

// OpenCycle implements cycle.CycleStore.
func (s inbox) OpenCycle(_ context.Context, c cycle.CycleInfo) error {
	return s.write("open cycle", func() error {
		if _, ok := s.Cycles[c.ID]; !ok {
			s.Cycles[c.ID] = c
		}
		return nil
	})
}

// Cycle implements cycle.CycleStore: the cycle and its latest phase.
func (s inbox) Cycle(_ context.Context, id string) (cycle.CycleInfo, cycle.Phase, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.Cycles[id]
	if !ok {
		return cycle.CycleInfo{}, "", cycle.Errorf(cycle.ENOTFOUND, "cycle %q is not recorded", id)
	}
	var p cycle.Phase
	if ph := s.Phases[id]; len(ph) > 0 {
		p = ph[len(ph)-1]
	}
	return c, p, nil
}

// SetPhase implements cycle.CycleStore.
func (s inbox) SetPhase(_ context.Context, id string, p cycle.Phase, _ time.Time) error {
	return s.write("set phase", func() error {
		if ph := s.Phases[id]; len(ph) == 0 || ph[len(ph)-1] != p {
			s.Phases[id] = append(ph, p)
		}
		return nil
	})
}

// OpenTask implements cycle.TaskStore.
func (s inbox) OpenTask(_ context.Context, t cycle.Task) error {
	return s.write("open task", func() error {
		k := key(t.CycleID, "|", t.ID)
		if _, closed := s.Closed[k]; closed && !t.OpenedAt.IsZero() && s.closedAt[k].After(t.OpenedAt) {
			return nil // a stale opening: the task was closed after it
		}
		if _, open := s.tasks[k]; !open {
			t.OpenedAt = time.Time{} // the read model does not return it
			s.tasks[k] = t
			delete(s.Closed, k)
		}
		return nil
	})
}

// CompleteTask implements cycle.TaskStore.
func (s inbox) CompleteTask(_ context.Context, c cycle.Completion) error {
	return s.once("complete task "+c.TaskID, nil, completion{c.CycleID, c.TaskID, c.RequestID, c.Actor, c.Kind, c.At, c.Summary, false}, nil, func() {
		if c.Proposal == nil {
			return
		}
		for i := range s.revisions {
			if s.revisions[i].CycleID == c.CycleID && s.revisions[i].Unit == c.Proposal.Unit {
				s.revisions[i].Current = false
			}
		}
		s.revisions = append(s.revisions, cycle.ProposalRevision{CycleID: c.CycleID, Unit: c.Proposal.Unit, Revision: c.Revision, Current: true,
			SubmittedBy: c.Actor, SubmittedAt: c.At, Late: c.Late, Proposal: *c.Proposal})
	})
}

// CloseTask implements cycle.TaskStore.
func (s inbox) CloseTask(_ context.Context, cycleID, taskID, reason string, at time.Time) error {
	return s.write("close task "+taskID, func() error {
		k := key(cycleID, "|", taskID)
		if _, open := s.tasks[k]; !open {
			if _, closed := s.Closed[k]; !closed {
				return cycle.Errorf(cycle.ENOTFOUND, "no task %s in cycle %s", taskID, cycleID)
			}
			return nil
		}
		delete(s.tasks, k)
		s.Closed[k], s.closedAt[k] = reason, at
		return nil
	})
}

// OpenTasks implements cycle.TaskStore.
func (s inbox) OpenTasks(_ context.Context, f cycle.TaskFilter) ([]cycle.Task, error) {
	out := values(s.data, s.tasks, func(t cycle.Task) bool {
		return (f.CycleID == "" || t.CycleID == f.CycleID) && (f.Role == "" || t.Role == f.Role) && (f.District == "" || t.District == f.District)
	})
	sort.Slice(out, func(i, j int) bool {
		if out[i].Due != out[j].Due {
			return out[i].Due.Before(out[j].Due)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// Audit implements cycle.TaskStore.
func (s inbox) Audit(_ context.Context, id string) ([]cycle.AuditEntry, error) {
	return filter(s.data, s.audit, func(a cycle.AuditEntry) bool { return a.CycleID == id }), nil
}

// SaveSelection implements the selection's store.
func (s inbox) SaveSelection(_ context.Context, id string, sel cycle.SelectionResult, _ time.Time) error {
	return s.write("save selection", func() error { s.Selections[id] = sel; return nil })
}

// Proposals returns every stored revision of a cycle's proposals.
func (s inbox) Proposals(_ context.Context, id string) ([]cycle.ProposalRevision, error) {
	return filter(s.data, s.revisions, func(r cycle.ProposalRevision) bool { return r.CycleID == id }), nil
}

// AddNotification implements cycle.NotificationStore.
func (s inbox) AddNotification(_ context.Context, n cycle.Notification, at time.Time) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.notified[n.Key()] {
		return false, nil
	}
	s.notified[n.Key()] = true
	s.notifications = append(s.notifications, cycle.StoredNotification{Notification: n, At: at})
	return true, nil
}

// Notifications implements cycle.NotificationStore.
func (s inbox) Notifications(_ context.Context, id string) ([]cycle.StoredNotification, error) {
	return filter(s.data, s.notifications, func(n cycle.StoredNotification) bool { return n.CycleID == id }), nil
}

// --- award rounds ----------------------------------------------------------------

// RecordNominations implements the award round's store.
func (s inbox) RecordNominations(_ context.Context, r cycle.NominationRecord) error {
	return s.write("record nominations of "+r.Unit, func() error {
		k := key(r.RoundID, "|", r.Unit)
		if cur, ok := s.nominations[k]; !ok || cur.Revision < r.Revision {
			s.nominations[k] = r
		}
		return nil
	})
}

// RecordAwardReview implements the award round's store.
func (s inbox) RecordAwardReview(_ context.Context, r cycle.AwardReviewRecord) error {
	return s.write("record award review", func() error {
		if _, ok := s.awardReview[r.RoundID]; !ok {
			s.awardReview[r.RoundID] = r
		}
		return nil
	})
}

// --- readers ---------------------------------------------------------------------

// filter returns the elements of xs that keep, under the lock.
func filter[T any](s *data, xs []T, keep func(T) bool) []T {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []T
	for _, x := range xs {
		if keep(x) {
			out = append(out, x)
		}
	}
	return out
}

// values returns the values of m that keep, under the lock; callers sort them.
func values[K comparable, T any](s *data, m map[K]T, keep func(T) bool) []T {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []T
	for _, x := range m {
		if keep(x) {
			out = append(out, x)
		}
	}
	return out
}

// fail puts op in front of a domain error, as package postgres does.
func fail(op string, err error) error {
	if err == nil {
		return nil
	}
	var ce *cycle.Error
	if errors.As(err, &ce) {
		return &cycle.Error{Code: ce.Code, Message: op + ": " + ce.Message, Text: ce.Text, Problems: ce.Problems}
	}
	return fmt.Errorf("%s: %w", op, err)
}

// who names an officer for a message: "Trần Thị Bích (ca-tp-qn-01)".
func who(a cycle.Actor) string {
	if a.Name == "" {
		return a.ID
	}
	return a.Name + " (" + a.ID + ")"
}
