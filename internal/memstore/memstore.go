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
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"chuyenhoa/cycle"
)

// Store keeps everything in maps and slices behind one mutex.
type Store struct {
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
	return &Store{
		provinces: map[string]cycle.Province{}, issuers: map[string]cycle.Issuer{}, Cycles: map[string]cycle.CycleInfo{},
		Phases: map[string][]cycle.Phase{}, tasks: map[string]cycle.Task{}, Closed: map[string]string{}, closedAt: map[string]time.Time{},
		requests: map[string]bool{}, Selections: map[string]cycle.SelectionResult{}, notified: map[string]bool{},
		register: map[string]int{}, decisions: map[string]cycle.Decision{}, blobs: map[string][]byte{},
		archive: map[string]cycle.ArchivedDocument{}, deliveries: map[string]cycle.DeliveryRecord{},
		transformations: map[string]cycle.Transformation{}, outcomes: map[string]outcome{},
		nominations: map[string]cycle.NominationRecord{}, awardReview: map[string]cycle.AwardReviewRecord{},
	}
}

func key(parts ...any) string { return fmt.Sprint(parts...) }

// write runs f under the lock, with op in front of any domain error.
func (s *Store) write(op string, f func() error) error {
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
func (s *Store) once(op string, check error, c completion, conflict func() error, apply func()) error {
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
func (s *Store) SaveProvince(_ context.Context, p cycle.Province, is cycle.Issuer) error {
	return s.write("save province", func() error {
		s.provinces[p.Code], s.issuers[p.Code] = p, is
		return nil
	})
}

// Province implements cycle.RegistryStore.
func (s *Store) Province(_ context.Context, code string) (cycle.Province, cycle.Issuer, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.provinces[code]
	if !ok {
		return cycle.Province{}, cycle.Issuer{}, cycle.Errorf(cycle.ENOTFOUND, "province %q is not in the registry", code)
	}
	return p, s.issuers[code], nil
}

// OpenCycle implements cycle.CycleStore.
func (s *Store) OpenCycle(_ context.Context, c cycle.CycleInfo) error {
	return s.write("open cycle", func() error {
		if _, ok := s.Cycles[c.ID]; !ok {
			s.Cycles[c.ID] = c
		}
		return nil
	})
}

// SetPhase implements cycle.CycleStore.
func (s *Store) SetPhase(_ context.Context, id string, p cycle.Phase, _ time.Time) error {
	return s.write("set phase", func() error {
		if ph := s.Phases[id]; len(ph) == 0 || ph[len(ph)-1] != p {
			s.Phases[id] = append(ph, p)
		}
		return nil
	})
}

// OpenTask implements cycle.TaskStore.
func (s *Store) OpenTask(_ context.Context, t cycle.Task) error {
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
func (s *Store) CompleteTask(_ context.Context, c cycle.Completion) error {
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
func (s *Store) CloseTask(_ context.Context, cycleID, taskID, reason string, at time.Time) error {
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
func (s *Store) OpenTasks(_ context.Context, f cycle.TaskFilter) ([]cycle.Task, error) {
	out := values(s, s.tasks, func(t cycle.Task) bool {
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
func (s *Store) Audit(_ context.Context, id string) ([]cycle.AuditEntry, error) {
	return filter(s, s.audit, func(a cycle.AuditEntry) bool { return a.CycleID == id }), nil
}

// SaveSelection implements the selection's store.
func (s *Store) SaveSelection(_ context.Context, id string, sel cycle.SelectionResult, _ time.Time) error {
	return s.write("save selection", func() error { s.Selections[id] = sel; return nil })
}

// Proposals returns every stored revision of a cycle's proposals.
func (s *Store) Proposals(_ context.Context, id string) ([]cycle.ProposalRevision, error) {
	return filter(s, s.revisions, func(r cycle.ProposalRevision) bool { return r.CycleID == id }), nil
}

// AddNotification implements cycle.NotificationStore.
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

// Notifications implements cycle.NotificationStore.
func (s *Store) Notifications(_ context.Context, id string) ([]cycle.StoredNotification, error) {
	return filter(s, s.notifications, func(n cycle.StoredNotification) bool { return n.CycleID == id }), nil
}

// --- register, blobs, archive, deliveries -----------------------------------------

// AssignNumber implements cycle.DecisionStore.
func (s *Store) AssignNumber(_ context.Context, d cycle.Decision) (int, error) {
	var n int
	err := s.write("number "+d.ID, func() error {
		if old, ok := s.decisions[d.ID]; ok {
			n = old.Number
			return nil
		}
		rk := key(d.BodyKey, "|", d.Year)
		s.register[rk]++
		n, d.Number = s.register[rk], s.register[rk]
		s.decisions[d.ID] = d
		return nil
	})
	return n, err
}

// SaveDecision implements cycle.DecisionStore.
func (s *Store) SaveDecision(_ context.Context, d cycle.Decision) error {
	return s.write("save decision "+d.ID, func() error {
		old, ok := s.decisions[d.ID]
		if !ok {
			return cycle.Errorf(cycle.ENOTFOUND, "decision %s has no number: AssignNumber first", d.ID)
		}
		if _, ok := s.blobs[d.SHA256]; d.SHA256 != "" && !ok {
			return cycle.Errorf(cycle.ENOTFOUND, "decision %s: no stored PDF with SHA-256 %s", d.ID, d.SHA256)
		}
		d.Number = old.Number
		if d.SHA256 == "" {
			d.SHA256 = old.SHA256
		}
		s.decisions[d.ID] = d
		return nil
	})
}

// Decisions implements cycle.DecisionStore.
func (s *Store) Decisions(_ context.Context, id string) ([]cycle.Decision, error) {
	out := values(s, s.decisions, func(d cycle.Decision) bool { return d.CycleID == id && d.SHA256 != "" })
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// DecisionPDF implements cycle.DecisionStore.
func (s *Store) DecisionPDF(_ context.Context, id string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.decisions[id]
	if !ok || d.SHA256 == "" {
		return nil, cycle.Errorf(cycle.ENOTFOUND, "decision %q has no PDF", id)
	}
	return s.blobs[d.SHA256], nil
}

// PutBlob implements cycle.BlobStore.
func (s *Store) PutBlob(_ context.Context, data []byte) (string, error) {
	sum := sha256.Sum256(data)
	sha := hex.EncodeToString(sum[:])
	return sha, s.write("store blob", func() error {
		if _, ok := s.blobs[sha]; !ok {
			s.blobs[sha] = append([]byte(nil), data...)
		}
		return nil
	})
}

// Blob implements cycle.BlobStore.
func (s *Store) Blob(_ context.Context, sha string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.blobs[sha]
	if !ok {
		return nil, cycle.Errorf(cycle.ENOTFOUND, "no stored file with SHA-256 %s", sha)
	}
	return b, nil
}

// ArchiveDocument implements cycle.ArchiveStore.
func (s *Store) ArchiveDocument(_ context.Context, a cycle.ArchivedDocument) error {
	return s.write("archive "+a.ID, func() error {
		if old, ok := s.archive[a.ID]; ok {
			if old.SHA256 != a.SHA256 {
				return cycle.Errorf(cycle.ECONFLICT, "document %s is archived with SHA-256 %s, refusing other bytes (%s)", a.ID, old.SHA256, a.SHA256)
			}
			return nil
		}
		b, ok := s.blobs[a.SHA256]
		if !ok {
			return cycle.Errorf(cycle.ENOTFOUND, "document %s: no stored PDF with SHA-256 %s", a.ID, a.SHA256)
		}
		a.Size = len(b)
		s.archive[a.ID] = a
		return nil
	})
}

// ArchivedDocument implements cycle.ArchiveStore.
func (s *Store) ArchivedDocument(_ context.Context, id string) (cycle.ArchivedDocument, []byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.archive[id]
	if !ok {
		return cycle.ArchivedDocument{}, nil, cycle.Errorf(cycle.ENOTFOUND, "no archived document %s", id)
	}
	return a, s.blobs[a.SHA256], nil
}

// PlanDeliveries implements cycle.DeliveryStore.
func (s *Store) PlanDeliveries(_ context.Context, doc string, targets []cycle.DeliveryTarget, at time.Time) error {
	return s.write("plan deliveries of "+doc, func() error {
		for _, t := range targets {
			if _, ok := s.deliveries[key(doc, "|", t.Key)]; !ok {
				s.deliveries[key(doc, "|", t.Key)] = cycle.DeliveryRecord{DeliveryTarget: t, DocumentID: doc, Status: cycle.DeliveryPending, PlannedAt: at}
			}
		}
		return nil
	})
}

// ClaimDelivery implements cycle.DeliveryStore.
func (s *Store) ClaimDelivery(_ context.Context, doc, recipient, attempt, msgID string, at time.Time) (cycle.DeliveryRecord, bool, error) {
	var rec cycle.DeliveryRecord
	claimed := false
	err := s.write("claim delivery of "+doc+" to "+recipient, func() error {
		r, ok := s.deliveries[key(doc, "|", recipient)]
		switch {
		case !ok:
			return cycle.Errorf(cycle.ENOTFOUND, "no delivery of %s to %s is planned", doc, recipient)
		case r.Status == cycle.DeliverySent:
		case r.Status == cycle.DeliverySending || r.Status == cycle.DeliveryUnknown:
			r.Status = cycle.DeliveryUnknown
			s.deliveries[key(doc, "|", recipient)] = r
			rec = r
			return cycle.Errorf(cycle.ECONFLICT, "the delivery of %s to %s may have happened: not sent again", doc, recipient)
		default:
			r.Status, r.Attempts, r.AttemptID, r.MessageID = cycle.DeliverySending, r.Attempts+1, attempt, msgID
			r.ClaimedAt = &at
			s.deliveries[key(doc, "|", recipient)] = r
			claimed = true
		}
		rec = r
		return nil
	})
	return rec, claimed, err
}

// FinishDelivery implements cycle.DeliveryStore.
func (s *Store) FinishDelivery(_ context.Context, doc, recipient, attempt string, outcome cycle.DeliveryStatus, lastError string, at time.Time) error {
	return s.write("finish delivery of "+doc+" to "+recipient, func() error {
		r, ok := s.deliveries[key(doc, "|", recipient)]
		if !ok {
			return cycle.Errorf(cycle.ENOTFOUND, "no delivery of %s to %s is planned", doc, recipient)
		}
		if r.AttemptID != attempt {
			return cycle.Errorf(cycle.ECONFLICT, "the delivery is %s by attempt %q, not %q", r.Status, r.AttemptID, attempt)
		}
		r.Status, r.LastError = outcome, lastError
		if outcome == cycle.DeliverySent {
			r.SentAt, r.LastError = &at, ""
		}
		s.deliveries[key(doc, "|", recipient)] = r
		return nil
	})
}

// Deliveries implements cycle.DeliveryStore.
func (s *Store) Deliveries(_ context.Context, doc string) ([]cycle.DeliveryRecord, error) {
	out := values(s, s.deliveries, func(r cycle.DeliveryRecord) bool { return r.DocumentID == doc })
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, nil
}

// --- award rounds ----------------------------------------------------------------

// RecordNominations implements the award round's store.
func (s *Store) RecordNominations(_ context.Context, r cycle.NominationRecord) error {
	return s.write("record nominations of "+r.Unit, func() error {
		k := key(r.RoundID, "|", r.Unit)
		if cur, ok := s.nominations[k]; !ok || cur.Revision < r.Revision {
			s.nominations[k] = r
		}
		return nil
	})
}

// RecordAwardReview implements the award round's store.
func (s *Store) RecordAwardReview(_ context.Context, r cycle.AwardReviewRecord) error {
	return s.write("record award review", func() error {
		if _, ok := s.awardReview[r.RoundID]; !ok {
			s.awardReview[r.RoundID] = r
		}
		return nil
	})
}

// --- readers ---------------------------------------------------------------------

// filter returns the elements of xs that keep, under the lock.
func filter[T any](s *Store, xs []T, keep func(T) bool) []T {
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
func values[K comparable, T any](s *Store, m map[K]T, keep func(T) bool) []T {
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
