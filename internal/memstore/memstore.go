// Package memstore is an in-memory activities.Store for workflow tests:
// the same contract as package postgres (idempotent methods, gapless
// numbering), without a database. It is not used by any binary.
package memstore

import (
	"context"
	"errors"
	"fmt"
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
	closedAt      map[string]time.Time  // cycle|task → when it was closed
	audit         []cycle.AuditEntry
	completions   map[string]bool // cycle|request
	revisions     []cycle.ProposalRevision
	Selections    map[string]cycle.SelectionResult
	notifications []cycle.StoredNotification
	notified      map[string]bool
	register      map[string]int // body|year → last number
	numbers       map[string]int // decision ID → number
	decisions     map[string]cycle.Decision
	pdfs          map[string][]byte
	// The transformation year (activities.TransformationStore).
	transformations map[string]cycle.Transformation // workflow ID → commune
	reports         []cycle.ReportRecord
	outcomes        map[string]outcome // province|commune|year → row
	reviews         []cycle.ReviewRecord
}

var _ activities.Store = (*Store)(nil)

// New returns an empty store.
func New() *Store {
	return &Store{
		provinces: map[string]cycle.Province{}, issuers: map[string]cycle.Issuer{}, Cycles: map[string]cycle.CycleInfo{},
		Phases: map[string][]cycle.Phase{}, tasks: map[string]cycle.Task{}, Closed: map[string]string{}, closedAt: map[string]time.Time{},
		completions: map[string]bool{}, Selections: map[string]cycle.SelectionResult{}, notified: map[string]bool{},
		register: map[string]int{}, numbers: map[string]int{}, decisions: map[string]cycle.Decision{}, pdfs: map[string][]byte{},
		transformations: map[string]cycle.Transformation{}, outcomes: map[string]outcome{},
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
	if _, closed := s.Closed[k]; closed && !t.OpenedAt.IsZero() && s.closedAt[k].After(t.OpenedAt) {
		return nil // a stale opening: the task was closed after it
	}
	if _, open := s.tasks[k]; open {
		return nil
	}
	t.OpenedAt = time.Time{} // the read model does not return it
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
		s.revisions = append(s.revisions, cycle.ProposalRevision{CycleID: c.CycleID, Unit: c.Proposal.Unit, Revision: c.Revision, Current: true, SubmittedBy: c.Actor, SubmittedAt: c.At, Late: c.Late, Proposal: *c.Proposal})
	}
	tk := key(c.CycleID, c.TaskID)
	delete(s.tasks, tk)
	s.Closed[tk] = "completed"
	s.closedAt[tk] = c.At
	return nil
}

// CloseTask implements activities.Store.
func (s *Store) CloseTask(_ context.Context, cycleID, taskID, reason string, at time.Time) error {
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
	s.closedAt[k] = at
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
func (s *Store) OpenTasks(_ context.Context, f cycle.TaskFilter) ([]cycle.Task, error) {
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
func (s *Store) Proposals(_ context.Context, id string) ([]cycle.ProposalRevision, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []cycle.ProposalRevision
	for _, r := range s.revisions {
		if r.CycleID == id {
			out = append(out, r)
		}
	}
	return out, nil
}

// The transformation year: the same contract as package postgres's
// activities.TransformationStore.

var _ activities.TransformationStore = (*Store)(nil)

// outcome is an outcome row with what Outcomes does not return.
type outcome struct {
	province   string
	cycleID    string
	row        cycle.OutcomeRow
	overridden bool
	reason     string
	verdict    cycle.Verdict
}

// cycleRecorded returns ENOTFOUND if the cycle is not recorded; the caller
// holds the mutex.
func (s *Store) cycleRecorded(id string) error {
	if _, ok := s.Cycles[id]; !ok {
		return cycle.Errorf(cycle.ENOTFOUND, "cycle %s is not recorded", id)
	}
	return nil
}

// complete appends the audit entry of a completed task of the transformation
// year and closes the task; it reports false, doing nothing, if the request
// was recorded already. The caller holds the mutex.
func (s *Store) complete(at time.Time, cycleID, taskID string, a cycle.Actor, kind cycle.TaskKind, requestID, summary string) bool {
	if s.completions[key(cycleID, requestID)] {
		return false
	}
	s.completions[key(cycleID, requestID)] = true
	s.audit = append(s.audit, cycle.AuditEntry{At: at, CycleID: cycleID, TaskID: taskID, Actor: a, Action: string(kind), RequestID: requestID, Summary: summary})
	tk := key(cycleID, taskID)
	delete(s.tasks, tk)
	s.Closed[tk] = "completed"
	s.closedAt[tk] = at
	return true
}

// Enrol implements activities.TransformationStore.
func (s *Store) Enrol(_ context.Context, e cycle.Enrolment) error {
	c := e.Commune
	op := fmt.Sprintf("enrol %s (%s) for %d", c.Commune, c.WorkflowID, c.Year)
	if err := e.Check(); err != nil {
		return fail(op, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.cycleRecorded(e.CycleID); err != nil {
		return fail(op, err)
	}
	t, ok := s.transformations[c.WorkflowID]
	switch {
	case ok && t.Year >= c.Year:
		return nil
	case ok:
		t.Year, t.YearNo, t.Extension = c.Year, c.YearNo, c.YearNo == 2
	default:
		c.Types = append(cycle.Types{}, c.Types...)
		c.Extension = c.YearNo == 2
		t = cycle.Transformation{CommuneInProgramme: c, CycleID: e.CycleID, Province: e.Province}
	}
	t.Standing, t.Updated = cycle.StandingInProgramme, e.At.UTC()
	s.transformations[c.WorkflowID] = t
	return nil
}

// SaveReport implements activities.TransformationStore.
func (s *Store) SaveReport(_ context.Context, r cycle.ReportRecord) error {
	op := fmt.Sprintf("save %s report of %s for %d", r.Kind, r.Commune.Commune, r.Year)
	if err := r.Check(); err != nil {
		return fail(op, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.completions[key(r.CycleID, r.RequestID)] {
		return nil
	}
	if err := s.cycleRecorded(r.CycleID); err != nil {
		return fail(op, err)
	}
	for _, x := range s.reports {
		if x.WorkflowID == r.WorkflowID && x.Kind == r.Kind && x.Year == r.Year {
			return fail(op, cycle.Errorf(cycle.ECONFLICT, "the %s report of %s for %d came already at %s from %s (request %s)",
				r.Kind, r.Commune.Commune, r.Year, x.At.UTC().Format(time.RFC3339), who(x.Actor), x.RequestID))
		}
	}
	s.complete(r.At, r.CycleID, r.TaskID, r.Actor, r.Kind.TaskKind(), r.RequestID,
		fmt.Sprintf("%s of %s (%s) for %d: %s", r.Kind, r.Commune.Name, r.Commune.Commune, r.Year, r.Verdict.Outcome))
	r.At = r.At.UTC()
	s.reports = append(s.reports, r)
	return nil
}

// SaveResults implements activities.TransformationStore.
func (s *Store) SaveResults(_ context.Context, r cycle.ResultsRecord) error {
	op := fmt.Sprintf("save results of %s for %d", r.CycleID, r.Year)
	if err := r.Check(); err != nil {
		return fail(op, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.completions[key(r.CycleID, r.RequestID)] {
		return nil
	}
	if err := s.cycleRecorded(r.CycleID); err != nil {
		return fail(op, err)
	}
	passed := 0
	for _, res := range r.Results {
		if res.Outcome == cycle.OutcomePass {
			passed++
		}
	}
	s.complete(r.At, r.CycleID, r.TaskID, r.Actor, cycle.TaskAppraiseResults, r.RequestID,
		fmt.Sprintf("results of %s for %d: %d of %d passed", r.Province, r.Year, passed, len(r.Results)))
	for _, res := range r.Results {
		c := res.Commune
		k := outcomeKey(r.Province, c.Commune, r.Year)
		o := s.outcomes[k]
		o.province, o.cycleID, o.overridden, o.reason, o.verdict = r.Province, r.CycleID, res.Overridden, res.Reason, res.Verdict
		o.row = cycle.OutcomeRow{Commune: c.Commune, Name: c.Name, Year: r.Year, YearNo: c.YearNo, Outcome: res.Outcome, FollowUp: o.row.FollowUp}
		s.outcomes[k] = o
	}
	return nil
}

// SetStanding implements activities.TransformationStore.
func (s *Store) SetStanding(_ context.Context, sc cycle.StandingChange) error {
	op := fmt.Sprintf("set standing of %s (%s) to %s", sc.Commune, sc.WorkflowID, sc.Standing)
	if err := sc.Check(); err != nil {
		return fail(op, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.transformations[sc.WorkflowID]
	if !ok {
		return fail(op, cycle.Errorf(cycle.ENOTFOUND, "commune workflow %s is not enrolled", sc.WorkflowID))
	}
	province, commune := t.Province, t.Commune
	if sc.Province != "" {
		province = sc.Province
	}
	if sc.Commune != "" {
		commune = sc.Commune
	}
	k := outcomeKey(province, commune, sc.Year)
	o, hasOutcome := s.outcomes[k]
	if sc.FollowUp != "" && !hasOutcome {
		return fail(op, cycle.Errorf(cycle.ENOTFOUND, "no outcome of %s in province %s for %d to record the follow-up on", commune, province, sc.Year))
	}
	t.Standing, t.Updated = sc.Standing, sc.At.UTC()
	if sc.Decision != "" {
		t.Decision = sc.Decision
	}
	if sc.Note != "" {
		t.Note = sc.Note
	}
	s.transformations[sc.WorkflowID] = t
	if sc.FollowUp != "" {
		o.row.FollowUp = sc.FollowUp
		s.outcomes[k] = o
	}
	return nil
}

// SaveReview implements activities.TransformationStore.
func (s *Store) SaveReview(_ context.Context, r cycle.ReviewRecord) error {
	op := fmt.Sprintf("save %s review of %s for %d", r.Kind, r.Commune.Commune, r.Year)
	if err := r.Check(); err != nil {
		return fail(op, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.completions[key(r.CycleID, r.RequestID)] {
		return nil
	}
	if err := s.cycleRecorded(r.CycleID); err != nil {
		return fail(op, err)
	}
	for _, x := range s.reviews {
		if x.WorkflowID == r.WorkflowID && x.Kind == r.Kind && x.Year == r.Year {
			return fail(op, cycle.Errorf(cycle.ECONFLICT, "the %s review of %s for %d came already at %s from %s (request %s)",
				r.Kind, r.Commune.Commune, r.Year, x.At.UTC().Format(time.RFC3339), who(x.Actor), x.RequestID))
		}
	}
	kind := cycle.TaskFailureReview
	if r.Kind == cycle.ReviewResponsibility {
		kind = cycle.TaskResponsibilityReview
	}
	s.complete(r.At, r.CycleID, r.TaskID, r.Actor, kind, r.RequestID,
		fmt.Sprintf("%s review of %s (%s) for %d", r.Kind, r.Commune.Name, r.Commune.Commune, r.Year))
	r.At = r.At.UTC()
	s.reviews = append(s.reviews, r)
	return nil
}

// Reviews returns the reviews of a cohort's cycle in the order received
// (for tests; the interface has no reader for them).
func (s *Store) Reviews(cycleID string) []cycle.ReviewRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []cycle.ReviewRecord
	for _, r := range s.reviews {
		if r.CycleID == cycleID {
			out = append(out, r)
		}
	}
	return out
}

// Outcomes implements activities.TransformationStore.
func (s *Store) Outcomes(_ context.Context, province string) ([]cycle.OutcomeRow, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []cycle.OutcomeRow
	for _, o := range s.outcomes {
		if o.province == province {
			out = append(out, o.row)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Year != out[j].Year {
			return out[i].Year < out[j].Year
		}
		return out[i].Commune < out[j].Commune
	})
	return out, nil
}

// Extensions implements activities.TransformationStore.
func (s *Store) Extensions(_ context.Context, province string, year int) ([]cycle.ListedCommune, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []cycle.ListedCommune
	for _, t := range s.transformations {
		if t.Province == province && t.Year == year && t.YearNo == 2 {
			out = append(out, cycle.ListedCommune{Commune: t.Commune, Name: t.Name, District: t.District, DistrictName: t.DistrictName,
				Types: append(cycle.Types{}, t.Types...), Extension: true})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.District != b.District {
			return a.District < b.District
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.Commune < b.Commune
	})
	return out, nil
}

// Transformations implements activities.TransformationStore.
func (s *Store) Transformations(_ context.Context, province string) ([]cycle.Transformation, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []cycle.Transformation
	for _, t := range s.transformations {
		if province == "" || t.Province == province {
			t.Types = append(cycle.Types{}, t.Types...)
			out = append(out, t)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		switch {
		case a.Province != b.Province:
			return a.Province < b.Province
		case a.FirstYear != b.FirstYear:
			return a.FirstYear < b.FirstYear
		case a.Commune != b.Commune:
			return a.Commune < b.Commune
		}
		return a.WorkflowID < b.WorkflowID
	})
	return out, nil
}

// Reports implements activities.TransformationStore.
func (s *Store) Reports(_ context.Context, cycleID string) ([]cycle.ReportRecord, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []cycle.ReportRecord
	for _, r := range s.reports {
		if r.CycleID == cycleID {
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out, nil
}

func outcomeKey(province, commune string, year int) string {
	return fmt.Sprintf("%s|%s|%d", province, commune, year)
}

// fail puts op in front of a domain error, as package postgres does.
func fail(op string, err error) error {
	var ce *cycle.Error
	if errors.As(err, &ce) {
		return &cycle.Error{Code: ce.Code, Message: op + ": " + ce.Message, Problems: ce.Problems}
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
