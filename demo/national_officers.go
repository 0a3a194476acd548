package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/selection"
	"chuyenhoa/workflows/transformation"
)

// drive plays every officer of every province from the inbox in the store
// until every cycle has ended: each look at the inbox lists the open tasks
// not yet done, and they are handed to the officers as requests in flight
// allow — the transformation years' tasks (on a running calendar) before
// the proposals, so that reports do not wait behind thousands of
// proposals. A task an officer is not ready to complete (a late district,
// a council waiting for the reports) or whose request failed for a
// transient reason is looked at again later, under the same request ID.
func (r *nationalRun) drive(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ended := make(chan *provinceRun, len(r.provinces))
	failed := make(chan error, len(r.provinces))
	for _, pr := range r.provinces {
		go func() {
			var d cycle.Decision
			if err := pr.run.Get(ctx, &d); err != nil {
				failed <- fmt.Errorf("cycle %s: %w", pr.id, err)
				return
			}
			ended <- pr
		}()
	}
	results := make(chan attempt, 256)
	tasks := map[string]*taskState{}
	var ready []cycle.Task // from the last look at the inbox, in the order they are handed out
	inflight := map[officers]int{}
	limit := map[officers]int{
		proposers: r.opts.concurrency,
		// A report or review goes to its own commune's workflow (and tells
		// the cycle by a signal): no two contend, as proposals do on their
		// province's cycle.
		reporters: 2 * r.opts.concurrency,
		// One task of each province's bodies at a time, on 34 workflows.
		provincial: max(4, 2*r.opts.concurrency/3),
	}
	// fill hands out ready tasks while requests may be in flight.
	fill := func() {
		rest := ready[:0]
		for _, task := range ready {
			key := task.CycleID + "|" + task.ID
			ts := tasks[key]
			if ts.done || ts.inflight {
				continue
			}
			class := officerClass(task)
			if inflight[class] >= limit[class] {
				rest = append(rest, task)
				continue
			}
			ts.inflight = true
			inflight[class]++
			go r.attempt(ctx, r.byCycle[task.CycleID], task, key, results)
		}
		ready = rest
	}
	tick := time.NewTicker(r.opts.poll)
	defer tick.Stop()
	status := time.NewTicker(r.opts.statusEvery)
	defer status.Stop()
	running := len(r.provinces)
	for running > 0 {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case err := <-failed:
			return err
		case pr := <-ended:
			running--
			pr.endedAt = r.since()
			r.mu.Lock()
			r.finished++
			n := r.finished
			r.mu.Unlock()
			what := "cycles closed (every commune has its final outcome)"
			if r.opts.selectionOnly || r.opts.policy.Evaluation == nil {
				what = "cycles ended at their decision"
			}
			r.milestone(what, n, len(r.provinces))
		case a := <-results:
			inflight[officerClass(a.task)]--
			if err := r.settle(tasks, a); err != nil {
				return err
			}
			fill()
		case <-status.C:
			r.status()
		case <-tick.C:
			open, err := r.db.OpenTasks(ctx, cycle.TaskFilter{})
			if err != nil {
				return fmt.Errorf("read the inbox: %w", err)
			}
			r.mu.Lock()
			r.openTasks = len(open)
			r.mu.Unlock()
			now := time.Now()
			ready = ready[:0]
			for _, task := range open {
				if r.byCycle[task.CycleID] == nil {
					continue // a cycle of an earlier run in the same store
				}
				key := task.CycleID + "|" + task.ID
				ts := tasks[key]
				if ts == nil {
					ts = &taskState{}
					tasks[key] = ts
				}
				if !ts.done && !ts.inflight && !now.Before(ts.notBefore) {
					ready = append(ready, task)
				}
			}
			// The inbox is ordered by due date, cycle and task; the
			// transformation years' tasks go first.
			sort.SliceStable(ready, func(i, j int) bool {
				return !selectionTask(ready[i].Kind) && selectionTask(ready[j].Kind)
			})
			fill()
		}
	}
	return nil
}

// officers are the classes of officers that have their own requests in
// flight (opts.concurrency bounds them).
type officers int

const (
	proposers  officers = iota // the districts' proposals: --concurrency, updates of their province's cycle
	reporters                  // the districts' reports and reviews in the transformation years: twice that
	provincial                 // the provincial bodies (secretariat, council, head, clerk): two thirds of it, at least 4
)

// officerClass says whose requests a task is.
func officerClass(t cycle.Task) officers {
	switch {
	case t.Role != cycle.RoleDistrictOfficer:
		return provincial
	case selectionTask(t.Kind):
		return proposers
	}
	return reporters
}

// settle takes in an officer's attempt: done, not yet, retried or fatal.
func (r *nationalRun) settle(tasks map[string]*taskState, a attempt) error {
	ts := tasks[a.key]
	ts.inflight = false
	if a.out != "" {
		r.mu.Lock()
		fmt.Fprintf(r.log, "[%s] %s %s\n%s", a.pr.plan.Province.Name, a.task.CycleID, a.task.ID, a.out)
		r.mu.Unlock()
	}
	switch {
	case a.err == nil && a.done:
		ts.done = true
		r.mu.Lock()
		r.completed[a.task.Kind]++
		n := r.completed[a.task.Kind]
		if !selectionTask(a.task.Kind) {
			// The transformation years' tasks: counted per programme year.
			_, year := splitTaskID(a.task)
			k := a.task.Kind + cycle.TaskKind("/"+strconv.Itoa(year))
			r.completed[k]++
			n = r.completed[k]
		}
		r.mu.Unlock()
		r.taskMilestone(a.task, n)
		return nil
	case a.err == nil:
		ts.notBefore = time.Now().Add(time.Second) // the officer waits: look again in a second
		return nil
	}
	ts.attempts++
	ce := flow.AsCycleError(a.err)
	if ce != nil && ce.Code == cycle.ENOTFOUND && a.task.WorkflowID != "" {
		// The commune's workflow has ended and left its task open in the
		// inbox: nobody can complete it any more. Say so and go on.
		ts.done = true
		r.mu.Lock()
		r.orphans = append(r.orphans, a.task.ID+" of "+a.pr.plan.Province.Name)
		fmt.Fprintf(r.log, "[%s] %s %s: its workflow has ended; the task stays open in the inbox: %v\n", a.pr.plan.Province.Name, a.task.CycleID, a.task.ID, a.err)
		r.mu.Unlock()
		r.printf("task %s of %s is open in the inbox, but its workflow %s has ended: nobody can complete it", a.task.ID, a.pr.plan.Province.Name, a.task.WorkflowID)
		return nil
	}
	// A refusal other than a conflict (the task closed meanwhile, another
	// request completing it) is a bug of the run: stop. Conflicts and
	// transient errors are retried with the same request ID.
	if ce != nil && ce.Code != cycle.ECONFLICT {
		return fmt.Errorf("%s, task %s: %w", a.task.CycleID, a.task.ID, a.err)
	}
	if ts.attempts >= 30 {
		return fmt.Errorf("%s, task %s: gave up after %d attempts: %w", a.task.CycleID, a.task.ID, ts.attempts, a.err)
	}
	ts.notBefore = time.Now().Add(min(time.Duration(1<<min(ts.attempts, 5))*time.Second, 30*time.Second))
	r.mu.Lock()
	r.retries++
	fmt.Fprintf(r.log, "[%s] %s %s: attempt %d failed, retried with the same request ID: %v\n", a.pr.plan.Province.Name, a.task.CycleID, a.task.ID, ts.attempts, a.err)
	r.mu.Unlock()
	return nil
}

// taskMilestone prints the progress of a phase when a quarter more of its
// tasks are done: the selection's steps in every province, and the first
// programme year's reports, year-end results and recognition decisions.
func (r *nationalRun) taskMilestone(task cycle.Task, n int) {
	provinces, listed, units := len(r.provinces), 0, 0
	for _, pr := range r.provinces {
		listed += pr.plan.Listed
		units += len(pr.plan.Province.Units())
	}
	_, year := splitTaskID(task)
	first := year == r.opts.year
	switch k := task.Kind; {
	case k == cycle.TaskSubmitProposal:
		r.milestone("proposals submitted", n, units)
	case k == cycle.TaskConsolidate:
		r.milestone("lists consolidated", n, provinces)
	case k == cycle.TaskAppraise:
		r.milestone("lists approved by the councils", n, provinces)
	case k == cycle.TaskSign:
		r.milestone("decisions signed", n, provinces)
	case k == cycle.TaskHalfYearReport && first:
		r.milestone(fmt.Sprintf("half-year reports of %d received", year), n, listed)
	case k == cycle.TaskYearlyReport && first:
		r.milestone(fmt.Sprintf("yearly reports of %d received", year), n, listed)
	case k == cycle.TaskIssueResults && first:
		r.milestone(fmt.Sprintf("results of %d issued (summaries, continuation and responsibility notices)", year), n, provinces)
	case k == cycle.TaskIssueRecognition && first:
		r.milestone(fmt.Sprintf("recognition decisions of %d issued", year), n, provinces)
	}
}

// attempt plays the officer of one task and reports how it went.
func (r *nationalRun) attempt(ctx context.Context, pr *provinceRun, task cycle.Task, key string, results chan<- attempt) {
	var out strings.Builder
	// A request that hangs (the server overloaded) is retried under the same ID.
	rctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	done, err := r.officer(rctx, &out, pr, task)
	select {
	case results <- attempt{key: key, pr: pr, task: task, done: done, err: err, out: out.String()}:
	case <-ctx.Done():
	}
}

// officer completes one task as its officer would: the selection's steps
// here, the transformation years' with the demo's officers (demoOfficer).
func (r *nationalRun) officer(ctx context.Context, out io.Writer, pr *provinceRun, task cycle.Task) (bool, error) {
	cycles, plan := r.x.cycles(), pr.plan
	rid := "national-" + strings.ReplaceAll(task.ID, "/", "-")
	req := func(a cycle.Actor) flow.Request { return flow.Request{Actor: a, RequestID: rid} }
	switch task.Kind {
	case cycle.TaskSubmitProposal:
		p, ok := plan.Proposals[task.District]
		if !ok {
			return false, cycle.Errorf(cycle.ENOTFOUND, "no planned proposal for unit %s of %s", task.District, plan.Province.Name)
		}
		a := cycle.Actor{ID: "ca." + task.District, Role: cycle.RoleDistrictOfficer, District: task.District}
		res, err := cycles.SubmitProposal(ctx, pr.id, selection.SubmitProposalRequest{Request: req(a), Proposal: p})
		if err != nil {
			return false, err
		}
		fmt.Fprintf(out, "   %s: revision %d, %d communes proposed\n", plan.Province.UnitName(task.District), res.Revision, res.Proposed)
	case cycle.TaskConsolidate:
		a := cycle.Actor{ID: "cat.thuongtruc", Name: "Công an tỉnh — Cơ quan Thường trực", Role: cycle.RoleSecretariat}
		res, err := cycles.Consolidate(ctx, pr.id, selection.ConsolidateRequest{Request: req(a), Consolidation: plan.Consolidation})
		if err != nil {
			return false, err
		}
		if len(res.Draft) != plan.Listed {
			return false, cycle.Errorf(cycle.EINVALID, "%s: the cycle's draft list has %d communes, the plan %d: the workflow's selection differs from cycle.Select", plan.Province.Name, len(res.Draft), plan.Listed)
		}
		fmt.Fprintf(out, "   consolidated: %d communes proposed, %d eligible, %d dropped with a reason, draft list of %d\n",
			len(res.Selection.Candidates), res.Selection.EligibleCount(), len(plan.Consolidation.Decisions), len(res.Draft))
	case cycle.TaskAppraise:
		a := cycle.Actor{ID: "hd.chutich", Name: "Chủ tịch Hội đồng thẩm định", Role: cycle.RoleCouncilChair}
		res, err := cycles.Appraise(ctx, pr.id, selection.AppraiseRequest{Request: req(a),
			Appraisal: cycle.Appraisal{Approved: true, Minutes: "Hội đồng thẩm định thống nhất danh sách (dữ liệu mẫu)"}})
		if err != nil {
			return false, err
		}
		fmt.Fprintf(out, "   the council approves the list of %d communes\n", len(res.List))
	case cycle.TaskSign:
		a := cycle.Actor{ID: "truongban", Name: plan.Issuer.SignerName, Role: cycle.RoleSigner}
		res, err := cycles.Sign(ctx, pr.id, selection.SignRequest{Request: req(a)})
		if err != nil {
			return false, err
		}
		fmt.Fprintf(out, "   %s %s signs on %s\n", plan.Issuer.SignerTitle, plan.Issuer.SignerName, res.SignedAt.Vietnamese())
	case cycle.TaskIssue:
		a := cycle.Actor{ID: "vanthu", Name: "Văn thư", Role: cycle.RoleClerk}
		d, err := cycles.Issue(ctx, pr.id, selection.IssueRequest{Request: req(a)})
		if err != nil {
			return false, err
		}
		fmt.Fprintf(out, "   the clerk issues decision Số %s dated %s approving %d communes\n", d.Code, d.Date.Vietnamese(), len(d.Communes))
		r.mu.Lock()
		pr.decision, pr.decidedAt = d, r.since()
		r.decided++
		n := r.decided
		r.mu.Unlock()
		r.milestone("decisions issued", n, len(r.provinces))
	default:
		return r.transformationOfficer(ctx, out, pr, task)
	}
	return true, nil
}

// transformationOfficer hands a task of the transformation years to the
// demo's officers, with the province's cohort and scenarios.
func (r *nationalRun) transformationOfficer(ctx context.Context, out io.Writer, pr *provinceRun, task cycle.Task) (bool, error) {
	st, ok, err := r.cohort(ctx, pr)
	if err != nil || !ok {
		return false, err
	}
	code, _ := splitTaskID(task)
	// The councils (every report in?) and a late district (how late?) look
	// at the cycle's calendar; the others need only the cohort.
	if task.Kind == cycle.TaskAppraiseResults || task.Kind == cycle.TaskAppraiseRecognition || (task.Kind == cycle.TaskYearlyReport && pr.scenario[code] == scenarioLateReport) {
		if st, err = r.x.cycles().State(ctx, pr.id); err != nil {
			return false, err
		}
		pr.mu.Lock()
		pr.state = st
		pr.mu.Unlock()
	}
	plan := pr.plan
	people := map[cycle.Role]cycle.Actor{
		cycle.RoleSecretariat:  {ID: "cat.thuongtruc", Name: "Công an tỉnh — Cơ quan Thường trực", Role: cycle.RoleSecretariat},
		cycle.RoleCouncilChair: {ID: "hd.chutich", Name: "Chủ tịch Hội đồng thẩm định", Role: cycle.RoleCouncilChair},
		cycle.RoleSigner:       {ID: "truongban", Name: plan.Issuer.SignerName, Role: cycle.RoleSigner},
		cycle.RoleClerk:        {ID: "vanthu", Name: "Văn thư", Role: cycle.RoleClerk},
	}
	return r.x.demoOfficer(ctx, out, task, st, r.opts.year, r.opts.policy, plan.Issuer, people, pr.scenario, pr.cohort)
}

// cohort reads a province's cohort once its transformation has started,
// and gives it its scenarios; ok is false until then.
func (r *nationalRun) cohort(ctx context.Context, pr *provinceRun) (selection.CycleState, bool, error) {
	pr.mu.Lock()
	if pr.cohort != nil {
		st := pr.state
		pr.mu.Unlock()
		return st, true, nil
	}
	pr.mu.Unlock()
	st, err := r.x.cycles().State(ctx, pr.id)
	if err != nil {
		return st, false, err
	}
	if st.Transformation == nil || !st.Transformation.Started {
		return st, false, nil
	}
	pr.mu.Lock()
	defer pr.mu.Unlock()
	if pr.cohort == nil {
		pr.cohort = map[string]transformation.CohortCommune{}
		for _, c := range st.Transformation.Communes {
			pr.cohort[c.Commune] = c
		}
		pr.scenario = nationalScenarios(pr.index, st.Transformation.Communes)
		clock := st.Transformation.Clock
		pr.clock = &clock
		pr.state = st
	}
	return pr.state, true, nil
}

// status prints where the run stands: the calendar of the cycles in their
// transformation years, the inbox and the tasks completed.
func (r *nationalRun) status() {
	var lo, hi time.Time
	for _, pr := range r.provinces {
		pr.mu.Lock()
		clk := pr.clock
		pr.mu.Unlock()
		if clk == nil || pr.endedAt != 0 {
			continue
		}
		now := clk.At(time.Now())
		if lo.IsZero() || now.Before(lo) {
			lo = now
		}
		if now.After(hi) {
			hi = now
		}
	}
	r.mu.Lock()
	open, finished, decided := r.openTasks, r.finished, r.decided
	reports := r.completed[cycle.TaskHalfYearReport] + r.completed[cycle.TaskYearlyReport] + r.completed[cycle.TaskFollowUpReport]
	steps := r.completed[cycle.TaskAppraiseResults] + r.completed[cycle.TaskSignResults] + r.completed[cycle.TaskIssueResults] +
		r.completed[cycle.TaskAppraiseRecognition] + r.completed[cycle.TaskSignRecognition] + r.completed[cycle.TaskIssueRecognition] +
		r.completed[cycle.TaskSignReview]
	reviews := r.completed[cycle.TaskFailureReview] + r.completed[cycle.TaskResponsibilityReview]
	recognitions := r.completed[cycle.TaskIssueRecognition]
	retries := r.retries
	r.mu.Unlock()
	_, sdkRetries, aborted := r.x.updates.Counts()
	cal := ""
	if !lo.IsZero() {
		cal = fmt.Sprintf("calendar %s–%s; ", cycle.DateOf(lo).Vietnamese(), cycle.DateOf(hi).Vietnamese())
	}
	r.printf("status: %sdecisions %d/%d, inbox %d open; reports %d, reviews %d, year-end steps %d, recognition decisions %d; cycles ended %d/%d; requests retried %d, update attempts retried by the SDK %d (aborted %d)",
		cal, decided, len(r.provinces), open, reports, reviews, steps, recognitions, finished, len(r.provinces), retries, sdkRetries, aborted)
}

// sampleMemory keeps the Go heap's peak (the Temporal server, the worker
// and the driver share this process).
func (r *nationalRun) sampleMemory(ctx context.Context) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		r.mu.Lock()
		r.heapPeak = max(r.heapPeak, m.HeapInuse)
		r.sysPeak = max(r.sysPeak, m.Sys)
		r.mu.Unlock()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
