package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"go.temporal.io/api/workflowservice/v1"

	"chuyenhoa/cycle"
	"chuyenhoa/internal/display"
	"chuyenhoa/signing"
	"chuyenhoa/templates"
)

// ---- the summary ----------------------------------------------------------------

// nationalTotals are the store's figures of the run.
type nationalTotals struct {
	selected, completions, leftOpen                  int
	reports, lateReports                             int
	reportsByKind                                    map[cycle.ReportKind]int
	documents                                        int
	docsByKind                                       map[string]int
	deliveries                                       map[cycle.DeliveryStatus]int
	signaturesOK, signaturesBad                      int
	notifications                                    map[cycle.NotificationKind]int
	escalated                                        map[string]int // escalations by the kind of their task
	standings                                        map[cycle.Standing]int
	kpi                                              map[int]*cycle.KPI
	meetsTransformed, meetsNotRelapsed, kpiProvinces map[int]int
	firstBad                                         string
}

func (r *nationalRun) summary(ctx context.Context, wall time.Duration) error {
	out := r.x.out
	tot, err := r.totals(ctx)
	if err != nil {
		return err
	}
	communes := 0
	for _, pr := range r.provinces {
		communes += len(pr.plan.Province.Communes)
	}
	var lastDecision, firstDecision, lastEnd time.Duration
	for i, pr := range r.provinces {
		lastDecision = max(lastDecision, pr.decidedAt)
		if i == 0 || pr.decidedAt < firstDecision {
			firstDecision = pr.decidedAt
		}
		lastEnd = max(lastEnd, pr.endedAt)
	}
	r.printProvinces(ctx, out)
	fmt.Fprintf(out, "\nSummary of the national run (%d provinces, %s communes, policy %s, year %d)\n", len(r.provinces), grouped(communes), r.opts.policy.ID, r.opts.year)
	fmt.Fprintf(out, "  Wall time            %s in all (plus the servers' start); selection → decisions %s (first decision after %s)",
		wall.Round(time.Second), lastDecision, firstDecision)
	if !r.opts.selectionOnly {
		fmt.Fprintf(out, "; transformation → recognition %s after the last decision (%s after the first; the provinces overlap), at %s×",
			(lastEnd - lastDecision).Round(time.Second), (lastEnd - firstDecision).Round(time.Second), strconv.FormatFloat(r.opts.timeScale, 'f', -1, 64))
		if r.opts.piecewise() {
			fmt.Fprintf(out, " while tasks are open, %s× between", strconv.FormatFloat(r.opts.idleScale, 'f', -1, 64))
		}
	}
	fmt.Fprintln(out)
	if err := r.printWorkflows(ctx, out, wall); err != nil {
		fmt.Fprintf(out, "  Workflows            (visibility unavailable: %v)\n", err)
	}
	dropped := 0
	rulesSelected := 0
	for _, pr := range r.provinces {
		dropped += len(pr.plan.Consolidation.Decisions)
		rulesSelected += len(pr.plan.Selection.Selected())
	}
	fmt.Fprintf(out, "  Communes selected    %s of %s (%s) in %d approval decisions; the rules selected %s (%s eligible), the secretariats dropped %d with a reason\n",
		grouped(tot.selected), grouped(communes), templates.Percent(100*float64(tot.selected)/float64(communes)), tot.docsByKind["approval"],
		grouped(rulesSelected), grouped(r.eligible()), dropped)
	r.mu.Lock()
	retries := r.retries
	r.mu.Unlock()
	attempts, sdkRetries, aborted := r.x.updates.Counts()
	fmt.Fprintf(out, "  Tasks completed      %s (audit log); officers' requests retried under the same request ID: %d; update calls %d, retried by the SDK %d (aborted by the server %d, chuyenhoa_updates_aborted_total); left open in the inbox after the cycles ended: %d",
		grouped(tot.completions), retries, attempts, sdkRetries, aborted, tot.leftOpen)
	r.mu.Lock()
	orphans := append([]string(nil), r.orphans...)
	r.mu.Unlock()
	if len(orphans) > 0 {
		fmt.Fprintf(out, " (%d whose workflow had ended, e.g. %s)", len(orphans), orphans[0])
	}
	fmt.Fprintln(out)
	if !r.opts.selectionOnly {
		fmt.Fprintf(out, "  Reports              %s received (%s half-year, %s yearly, %s follow-up), %d late\n", grouped(tot.reports),
			grouped(tot.reportsByKind[cycle.ReportHalfYear]), grouped(tot.reportsByKind[cycle.ReportYearly]), grouped(tot.reportsByKind[cycle.ReportFollowUp]), tot.lateReports)
	}
	var kinds []string
	for k, n := range tot.docsByKind {
		kinds = append(kinds, fmt.Sprintf("%s %d", docKind(k), n))
	}
	sort.Strings(kinds)
	var deliv []string
	for s, n := range tot.deliveries {
		deliv = append(deliv, fmt.Sprintf("%d %s", n, s))
	}
	sort.Strings(deliv)
	fmt.Fprintf(out, "  Documents issued     %s (%s); deliveries %s; signatures verified %d of %d",
		grouped(tot.documents), strings.Join(kinds, ", "), strings.Join(deliv, ", "), tot.signaturesOK, tot.signaturesOK+tot.signaturesBad)
	if tot.firstBad != "" {
		fmt.Fprintf(out, " (first failure: %s)", tot.firstBad)
	}
	fmt.Fprintln(out)
	fmt.Fprintf(out, "  Notifications        %d reminders, %d overdue notices, %d escalations",
		tot.notifications[cycle.NotifyReminder], tot.notifications[cycle.NotifyOverdue], tot.notifications[cycle.NotifyEscalation])
	if late := r.scripted(scenarioLateReport); !r.opts.selectionOnly {
		fmt.Fprintf(out, " (the script makes %d yearly reports late: a reminder, an overdue notice and an escalation each; any more is an officer the calendar outran)", late)
	}
	if len(tot.escalated) > 0 {
		var by []string
		for k, n := range tot.escalated {
			by = append(by, fmt.Sprintf("%s %d", k, n))
		}
		sort.Strings(by)
		fmt.Fprintf(out, "; escalated tasks by kind: %s", strings.Join(by, ", "))
	}
	fmt.Fprintln(out)
	if !r.opts.selectionOnly {
		fmt.Fprintf(out, "  Outcomes             %d recognised, %d relapsed (candidates again), %d under responsibility review, %d other\n",
			tot.standings[cycle.StandingRecognised], tot.standings[cycle.StandingRelapsed], tot.standings[cycle.StandingResponsibility],
			tot.standings[cycle.StandingInProgramme]+tot.standings[cycle.StandingFollowUp]+tot.standings[cycle.StandingSecondYear])
		var years []int
		for y := range tot.kpi {
			years = append(years, y)
		}
		sort.Ints(years)
		for _, y := range years {
			k := tot.kpi[y]
			fmt.Fprintf(out, "  KPI %d (national)   transformed %d/%d = %s (target ≥ %s: met in %d of %d provinces); not relapsed %d/%d = %s (target ≥ %s: met in %d)\n",
				y, k.Transformed, k.Selected, templates.Percent(k.TransformedShare()), templates.Percent(k.TransformedTarget), tot.meetsTransformed[y], tot.kpiProvinces[y],
				k.FollowedUp-k.Relapsed, k.FollowedUp, templates.Percent(k.NotRelapsedShare()), templates.Percent(k.NotRelapsedTarget), tot.meetsNotRelapsed[y])
		}
	}
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	r.mu.Lock()
	heapPeak, sysPeak := max(r.heapPeak, m.HeapInuse), max(r.sysPeak, m.Sys)
	r.mu.Unlock()
	fmt.Fprintf(out, "  Peak memory          max RSS %s of this process — the embedded Temporal server, the worker(s) and the officers run in it; PostgreSQL runs in its own processes, not counted\n", mib(uint64(ru.Maxrss)*1024))
	fmt.Fprintf(out, "  Go heap              peak in use %s (sampled each second), %s in use at the end, %s obtained from the OS at most; %d GCs; CPU %s user, %s system\n",
		mib(heapPeak), mib(m.HeapInuse), mib(sysPeak), m.NumGC, tvDuration(ru.Utime), tvDuration(ru.Stime))
	fmt.Fprintf(out, "  Machine              %d CPUs, load average %s (shared with other work: the times are pessimistic)\n", runtime.NumCPU(), loadAverage())
	return nil
}

// scripted is how many communes play scenario sc.
func (r *nationalRun) scripted(sc demoScenario) int {
	n := 0
	for _, pr := range r.provinces {
		pr.mu.Lock()
		for _, s := range pr.scenario {
			if s == sc {
				n++
			}
		}
		pr.mu.Unlock()
	}
	return n
}

// printProvinces prints one line per province: its list, its decision,
// when it was issued and when the cycle ended (since the start), and the
// length of the cycle's last run's history.
func (r *nationalRun) printProvinces(ctx context.Context, out io.Writer) {
	fmt.Fprintln(out, "\nPer province:")
	tw := tabwriter.NewWriter(out, 0, 2, 2, ' ', 0)
	fmt.Fprintln(tw, "CODE\tPROVINCE\tCOMMUNES\tPROPOSED\tELIGIBLE\tLISTED\tDECISION\tISSUED AT\tENDED AT\tHISTORY\t")
	for _, pr := range r.provinces {
		hist := "?"
		if d, err := r.c.DescribeWorkflowExecution(ctx, pr.id, ""); err == nil {
			hist = grouped(int(d.GetWorkflowExecutionInfo().GetHistoryLength()))
		}
		r.mu.Lock()
		code, issued := pr.decision.Code, pr.decidedAt
		r.mu.Unlock()
		p := pr.plan
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%s\t%s\t%s\t%s\t\n", p.Province.Code, p.Province.Name, len(p.Province.Communes), p.Proposed,
			p.Selection.EligibleCount(), p.Listed, code, issued, pr.endedAt, hist)
	}
	tw.Flush()
}

func (r *nationalRun) eligible() int {
	n := 0
	for _, pr := range r.provinces {
		n += pr.plan.Selection.EligibleCount()
	}
	return n
}

// totals reads the run's figures from the store.
func (r *nationalRun) totals(ctx context.Context) (nationalTotals, error) {
	tot := nationalTotals{reportsByKind: map[cycle.ReportKind]int{}, docsByKind: map[string]int{}, deliveries: map[cycle.DeliveryStatus]int{},
		notifications: map[cycle.NotificationKind]int{}, escalated: map[string]int{}, standings: map[cycle.Standing]int{}, kpi: map[int]*cycle.KPI{},
		meetsTransformed: map[int]int{}, meetsNotRelapsed: map[int]int{}, kpiProvinces: map[int]int{}}
	roots, err := display.LoadRoots(r.x.cfg.Signing.CA)
	if err != nil {
		return tot, err
	}
	for _, pr := range r.provinces {
		id := pr.id
		audit, err := r.db.Audit(ctx, id)
		if err != nil {
			return tot, err
		}
		tot.completions += len(audit)
		decisions, err := r.db.Decisions(ctx, id)
		if err != nil {
			return tot, err
		}
		for _, d := range decisions {
			tot.documents++
			tot.docsByKind[d.Kind]++
			if d.Kind == "approval" {
				tot.selected += len(d.Communes)
			}
			recs, err := r.db.Deliveries(ctx, d.ID)
			if err != nil {
				return tot, err
			}
			for _, rec := range recs {
				tot.deliveries[rec.Status]++
			}
			pdf, err := r.db.DecisionPDF(ctx, d.ID)
			if err != nil {
				return tot, err
			}
			if rep := signing.Verify(pdf, roots); rep.OK() {
				tot.signaturesOK++
			} else {
				tot.signaturesBad++
				if tot.firstBad == "" {
					tot.firstBad = d.Code + " of " + pr.plan.Province.Name + ": " + strings.TrimSpace(rep.String())
				}
			}
		}
		open, err := r.db.OpenTasks(ctx, cycle.TaskFilter{CycleID: id})
		if err != nil {
			return tot, err
		}
		tot.leftOpen += len(open)
		notes, err := r.db.Notifications(ctx, id)
		if err != nil {
			return tot, err
		}
		for _, n := range notes {
			tot.notifications[n.Kind]++
			if n.Kind == cycle.NotifyEscalation {
				kind, _, _ := strings.Cut(n.TaskID, "/")
				tot.escalated[kind]++
			}
		}
		if r.opts.selectionOnly {
			continue
		}
		reps, err := r.db.Reports(ctx, id)
		if err != nil {
			return tot, err
		}
		for _, rep := range reps {
			tot.reports++
			tot.reportsByKind[rep.Kind]++
			if rep.Late {
				tot.lateReports++
			}
		}
		trs, err := r.db.Transformations(ctx, pr.plan.Province.Code)
		if err != nil {
			return tot, err
		}
		for _, tr := range trs {
			if tr.CycleID == id {
				tot.standings[tr.Standing]++
			}
		}
		rows, err := r.db.Outcomes(ctx, pr.plan.Province.Code)
		if err != nil {
			return tot, err
		}
		for _, y := range []int{r.opts.year, r.opts.year + 1} {
			k := cycle.ComputeKPI(r.opts.policy, pr.plan.Province.Code, y, rows)
			if k.Selected == 0 {
				continue
			}
			n := tot.kpi[y]
			if n == nil {
				n = &cycle.KPI{Year: y, TransformedTarget: k.TransformedTarget, NotRelapsedTarget: k.NotRelapsedTarget}
				tot.kpi[y] = n
			}
			n.Selected += k.Selected
			n.Transformed += k.Transformed
			n.FollowedUp += k.FollowedUp
			n.Relapsed += k.Relapsed
			n.Pending += k.Pending
			tot.kpiProvinces[y]++
			if k.MeetsTransformed() {
				tot.meetsTransformed[y]++
			}
			if k.MeetsNotRelapsed() {
				tot.meetsNotRelapsed[y]++
			}
		}
	}
	return tot, nil
}

// printWorkflows counts the run's workflows in Temporal's visibility store
// (every run: a continue-as-new is a closed run and a new one) and reads
// the histories' lengths.
func (r *nationalRun) printWorkflows(ctx context.Context, out io.Writer, wall time.Duration) error {
	ns := r.x.cfg.Namespace
	count := func(q string) (int64, error) {
		res, err := r.c.CountWorkflow(ctx, &workflowservice.CountWorkflowExecutionsRequest{Namespace: ns, Query: q})
		if err != nil {
			return 0, err
		}
		return res.GetCount(), nil
	}
	runs := map[string][][2]string{} // workflow type → (ID, run ID) of the runs whose histories are read
	var allEvents int64
	for _, wf := range []string{"YearlyCycle", "CommuneTransformation"} {
		if r.opts.selectionOnly && wf == "CommuneTransformation" {
			continue
		}
		q := fmt.Sprintf("WorkflowType = '%s'", wf)
		// Visibility is eventually consistent: wait a little for the last
		// runs to show as closed.
		var running int64
		for i := 0; i < 40; i++ {
			n, err := count(q + " AND ExecutionStatus = 'Running'")
			if err != nil {
				return err
			}
			running = n
			if n == 0 {
				break
			}
			time.Sleep(250 * time.Millisecond)
		}
		all, err := count(q)
		if err != nil {
			return err
		}
		cont, err := count(q + " AND ExecutionStatus = 'ContinuedAsNew'")
		if err != nil {
			return err
		}
		done, err := count(q + " AND ExecutionStatus = 'Completed'")
		if err != nil {
			return err
		}
		var longest int64
		var longestID string
		var events int64
		var token []byte
		for {
			res, err := r.c.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Namespace: ns, Query: q, PageSize: 1000, NextPageToken: token})
			if err != nil {
				return err
			}
			for _, e := range res.GetExecutions() {
				n := e.GetHistoryLength()
				events += n
				if wf == "YearlyCycle" || len(runs[wf]) < maxCommuneHistories {
					runs[wf] = append(runs[wf], [2]string{e.GetExecution().GetWorkflowId(), e.GetExecution().GetRunId()})
				}
				if n > longest {
					longest, longestID = n, e.GetExecution().GetWorkflowId()
				}
			}
			if token = res.GetNextPageToken(); len(token) == 0 {
				break
			}
		}
		allEvents += events
		label := "  Workflows"
		if wf != "YearlyCycle" {
			label = "   "
		}
		fmt.Fprintf(out, "%-22s %s: %s runs (%s completed, %s continued as new, %d running)", label, wf, grouped(int(all)), grouped(int(done)), grouped(int(cont)), running)
		if longest > 0 {
			fmt.Fprintf(out, "; %s history events in all, the longest run %s (%s)", grouped(int(events)), grouped(int(longest)), longestID)
		}
		fmt.Fprintln(out)
	}
	if wall > 0 {
		fmt.Fprintf(out, "  Throughput           %s history events in %s: %.0f events/s\n", grouped(int(allEvents)), wall.Round(time.Second), float64(allEvents)/wall.Seconds())
	}
	return r.printEventCosts(ctx, out, runs["YearlyCycle"], runs["CommuneTransformation"])
}

// ---- small helpers ----------------------------------------------------------------

// selectionTask reports whether tasks of kind k belong to the selection
// (before the decision), not to the transformation years.
func selectionTask(k cycle.TaskKind) bool {
	switch k {
	case cycle.TaskSubmitProposal, cycle.TaskConsolidate, cycle.TaskAppraise, cycle.TaskSign, cycle.TaskIssue:
		return true
	}
	return false
}

// grouped writes n with thousands separated by commas: 3,321.
func grouped(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func mib(b uint64) string { return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20)) }

func tvDuration(tv syscall.Timeval) string {
	return (time.Duration(tv.Sec)*time.Second + time.Duration(tv.Usec)*time.Microsecond).Round(time.Second).String()
}

// loadAverage reads the 1-, 5- and 15-minute load averages (Linux).
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
