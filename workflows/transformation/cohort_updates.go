package transformation

import (
	"fmt"
	"strings"

	"go.temporal.io/sdk/workflow"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/issuing"
)

// RegisterUpdates installs the cohort's updates on the cycle's workflow.
// They are installed in the cycle's first workflow task, with the
// selection's, and refuse with a conflict until the transformation years
// start.
func (k *Cohort) RegisterUpdates(ctx workflow.Context) error {
	return flow.RegisterUpdates(ctx, CohortUpdates,
		flow.UpdateHandler{Name: UpdateAppraiseResults, Handler: appraiseResultsUpdate{k}.handle, Validator: appraiseResultsUpdate{k}.validate},
		flow.UpdateHandler{Name: UpdateSignResults, Handler: k.signStep(UpdateSignResults, cycle.TaskSignResults, "results", func(year int, by cycle.Actor, on cycle.Date) {
			y := k.s.yearOf(year)
			y.Signed, y.SignedBy, y.SignedOn = true, by, on
		}), Validator: k.validateYearStep(UpdateSignResults, cycle.TaskSignResults)},
		flow.UpdateHandler{Name: UpdateIssueResults, Handler: issueResultsUpdate{k}.handle, Validator: k.validateYearStep(UpdateIssueResults, cycle.TaskIssueResults)},
		flow.UpdateHandler{Name: UpdateSignRecognition, Handler: k.signStep(UpdateSignRecognition, cycle.TaskSignRecognition, "recognition decision", func(year int, by cycle.Actor, on cycle.Date) {
			b := k.s.batchOf(year)
			b.Signed, b.SignedBy, b.SignedOn = true, by, on
		}), Validator: k.validateYearStep(UpdateSignRecognition, cycle.TaskSignRecognition)},
		flow.UpdateHandler{Name: UpdateIssueRecognition, Handler: issueRecognitionUpdate{k}.handle, Validator: k.validateYearStep(UpdateIssueRecognition, cycle.TaskIssueRecognition)},
	)
}

// Each of the cohort's updates with more to it than a signature is a type
// of its own over the cohort.
type (
	appraiseResultsUpdate  struct{ *Cohort } // the council's year-end appraisal
	issueResultsUpdate     struct{ *Cohort } // the clerk's notices and summary of a year
	issueRecognitionUpdate struct{ *Cohort } // the clerk's recognition decision
)

// stepRequest checks a step's request: the task open, the actor allowed.
func (k *Cohort) stepRequest(r flow.Request, kind cycle.TaskKind, year int) (cycle.Task, error) {
	if k.s == nil {
		return cycle.Task{}, cycle.Fail(cycle.ECONFLICT, "transformation.year_not_started", k.c.Phase())
	}
	id := stepID(kind, year)
	return k.c.Book.Authorize(r, id, func() error {
		return cycle.Fail(cycle.ECONFLICT, "flow.not_open_phase", cycle.TaskRef(id), k.c.Phase())
	})
}

func (k appraiseResultsUpdate) validate(r AppraiseResultsRequest) error {
	if k.c.Ledger.Done(UpdateAppraiseResults, r.Request) {
		return nil
	}
	_, _, err := k.check(r)
	return flow.AppError(err)
}

func (k appraiseResultsUpdate) check(r AppraiseResultsRequest) (cycle.Task, []cycle.CommuneResult, error) {
	t, err := k.stepRequest(r.Request, cycle.TaskAppraiseResults, r.Year)
	if err != nil {
		return t, nil, err
	}
	res, err := cycle.ApplyResultsAppraisal(k.verdicts(k.s.yearOf(r.Year)), r.Appraisal)
	return t, res, err
}

func (k appraiseResultsUpdate) handle(ctx workflow.Context, r AppraiseResultsRequest) ([]cycle.CommuneResult, error) {
	ctx = flow.WithActivityOptions(ctx)
	if res, ok := flow.Recall[[]cycle.CommuneResult](k.c.Ledger, UpdateAppraiseResults, r.Request); ok {
		return res, nil
	}
	t, res, err := k.check(r)
	if err != nil {
		return nil, flow.AppError(err)
	}
	defer k.c.Book.Begin(t.ID)()
	var a *Activities
	now := k.Now(ctx)
	rec := cycle.ResultsRecord{CycleID: k.c.ID, Province: k.c.Province.Code, Year: r.Year, TaskID: t.ID, Appraisal: r.Appraisal, Results: res,
		Actor: r.Actor, RequestID: r.RequestID, At: now, Late: !now.Before(t.Due.End())}
	if err := workflow.ExecuteActivity(ctx, a.TransformSaveResults, rec).Get(ctx, nil); err != nil {
		return nil, err
	}
	k.c.Book.Close(t.ID)
	y := k.s.yearOf(r.Year)
	y.Results = res
	k.c.Ledger.Record(UpdateAppraiseResults, r.Request, res)
	pass := 0
	for _, x := range res {
		if x.Outcome == cycle.OutcomePass {
			pass++
		}
	}
	k.c.Event(ctx, r.Actor.ID, flow.Says("event.results_appraised", r.Year, pass, len(res)))
	return res, nil
}

func (k *Cohort) validateYearStep(name string, kind cycle.TaskKind) func(YearRequest) error {
	return func(r YearRequest) error {
		if k.c.Ledger.Done(name, r.Request) {
			return nil
		}
		_, err := k.stepRequest(r.Request, kind, r.Year)
		return flow.AppError(err)
	}
}

// signStep records the head's signature of a year's results or recognition.
func (k *Cohort) signStep(name string, kind cycle.TaskKind, what string, mark func(year int, by cycle.Actor, on cycle.Date)) func(workflow.Context, YearRequest) (SignResult, error) {
	return func(ctx workflow.Context, r YearRequest) (SignResult, error) {
		ctx = flow.WithActivityOptions(ctx)
		if res, ok := flow.Recall[SignResult](k.c.Ledger, name, r.Request); ok {
			return res, nil
		}
		t, err := k.stepRequest(r.Request, kind, r.Year)
		if err != nil {
			return SignResult{}, flow.AppError(err)
		}
		defer k.c.Book.Begin(t.ID)()
		if err := k.completeStep(ctx, t, r.Request, fmt.Sprintf("signed the %s of %d", what, r.Year)); err != nil {
			return SignResult{}, err
		}
		on := k.now(ctx)
		res := SignResult{SignedAt: on, Late: !k.Now(ctx).Before(t.Due.End())}
		mark(r.Year, r.Actor, on)
		k.c.Ledger.Record(name, r.Request, res)
		k.c.Event(ctx, r.Actor.ID, flow.Says("event.step_signed", kind, r.Year))
		return res, nil
	}
}

// completeStep records a step's completion in the audit log and closes its task.
func (k *Cohort) completeStep(ctx workflow.Context, t cycle.Task, r flow.Request, summary string) error {
	if err := k.c.Book.Complete(ctx, t, r, summary, nil); err != nil {
		return err
	}
	k.c.Book.Close(t.ID)
	return nil
}

// document is what every document of the cohort says about its issuer,
// date and province.
func (k *Cohort) document(ctx workflow.Context, kind string, year int) cycle.DocumentContent {
	return cycle.DocumentContent{Kind: kind, Issuer: k.c.Issuer, Date: k.now(ctx), Year: year, ProvinceName: k.c.Province.Name,
		Synthetic: k.c.Synthetic, FirstYear: k.c.Year}
}

// job is a document of the cohort for the issue pipeline.
func (k *Cohort) job(ctx workflow.Context, id string, c cycle.DocumentContent, signedBy, issuedBy cycle.Actor) issuing.Job {
	return issuing.Job{
		Decision: cycle.Decision{ID: id, CycleID: k.c.ID, Kind: c.Kind, BodyKey: c.Issuer.BodyKey, Year: c.Date.Year, Date: c.Date,
			SignedBy: signedBy, IssuedBy: issuedBy, IssuedAt: k.Now(ctx), Communes: c.Listed()},
		Suffix: cycle.DocumentSuffix(c.Kind, c.Issuer), Content: c,
	}
}

// issue runs a job through the pipeline; before issuing.Steps the cohort
// called TransformIssueDocument.
func (k *Cohort) issue(ctx workflow.Context, j issuing.Job) (issuing.Issued, error) {
	legacy := issuing.LegacyTransformationInput{DocumentContent: j.Content, CycleID: k.c.ID, DecisionID: j.Decision.ID,
		Province: k.c.Province.Code, SignedBy: j.Decision.SignedBy, IssuedBy: j.Decision.IssuedBy, At: j.Decision.IssuedAt}
	return issuing.Issue(ctx, j, "TransformIssueDocument", legacy)
}

func (k issueResultsUpdate) handle(ctx workflow.Context, r YearRequest) ([]cycle.Decision, error) {
	ctx = flow.WithActivityOptions(ctx)
	if res, ok := flow.Recall[[]cycle.Decision](k.c.Ledger, UpdateIssueResults, r.Request); ok {
		return res, nil
	}
	t, err := k.stepRequest(r.Request, cycle.TaskIssueResults, r.Year)
	if err != nil {
		return nil, flow.AppError(err)
	}
	defer k.c.Book.Begin(t.ID)()
	y := k.s.yearOf(r.Year)
	var cont, resp, all []cycle.DocumentCommune
	for _, x := range y.Results {
		l := x.Commune.ListedCommune
		dc := cycle.DocumentCommune{ListedCommune: l, Note: resultNote(x, y.YearNo[l.Commune])}
		all = append(all, dc)
		if x.Outcome == cycle.OutcomePass {
			continue
		}
		dc.Note = failedCriteria(x)
		if y.YearNo[l.Commune] < 2 {
			cont = append(cont, dc)
		} else {
			resp = append(resp, dc)
		}
	}
	var a *Activities
	var kpi cycle.KPI
	if err := workflow.ExecuteActivity(ctx, a.TransformKPI, KPIInput{Province: k.c.Province.Code, Year: r.Year, Policy: k.c.Policy}).Get(ctx, &kpi); err != nil {
		return nil, err
	}
	today := k.now(ctx)
	var jobs []issuing.Job
	if len(cont) > 0 {
		c := k.document(ctx, cycle.DocContinuation, r.Year)
		c.Communes, c.Due = cont, today.AddDays(cycle.ReviewDays)
		c.AppraisalRef = fmt.Sprintf("kết quả thẩm định của Hội đồng thẩm định, được Trưởng Ban Chỉ đạo ký ngày %s", y.SignedOn.Vietnamese())
		jobs = append(jobs, k.job(ctx, fmt.Sprintf("%s/continuation/%d", k.c.ID, r.Year), c, y.SignedBy, r.Actor))
	}
	if len(resp) > 0 {
		c := k.document(ctx, cycle.DocResponsibility, r.Year)
		c.Communes, c.Due = resp, today.AddDays(cycle.ReviewDays)
		jobs = append(jobs, k.job(ctx, fmt.Sprintf("%s/responsibility/%d", k.c.ID, r.Year), c, y.SignedBy, r.Actor))
	}
	c := k.document(ctx, cycle.DocSummary, r.Year)
	c.Communes, c.KPI = all, &kpi
	jobs = append(jobs, k.job(ctx, fmt.Sprintf("%s/summary/%d", k.c.ID, r.Year), c, y.SignedBy, r.Actor))
	var docs []cycle.Decision
	var issued []issuing.Issued
	for _, j := range jobs {
		res, err := k.issue(ctx, j)
		if err != nil {
			return nil, err
		}
		docs = append(docs, res.Decision)
		issued = append(issued, res)
	}
	codes := make([]string, len(docs))
	for i, d := range docs {
		codes[i] = d.Code
	}
	if err := k.completeStep(ctx, t, r.Request, fmt.Sprintf("issued the results of %d: %s", r.Year, strings.Join(codes, ", "))); err != nil {
		return nil, err
	}
	y.Issued, y.Documents = true, docs
	k.c.Ledger.Record(UpdateIssueResults, r.Request, docs)
	k.c.Event(ctx, r.Actor.ID, flow.Says("event.results_issued", r.Year, strings.Join(codes, ", "),
		cycle.Pct(kpi.TransformedShare()), cycle.Pct(kpi.TransformedTarget)))
	k.deliver(ctx, issued)
	return docs, nil
}

func (k issueRecognitionUpdate) handle(ctx workflow.Context, r YearRequest) (cycle.Decision, error) {
	ctx = flow.WithActivityOptions(ctx)
	if res, ok := flow.Recall[cycle.Decision](k.c.Ledger, UpdateIssueRecognition, r.Request); ok {
		return res, nil
	}
	t, err := k.stepRequest(r.Request, cycle.TaskIssueRecognition, r.Year)
	if err != nil {
		return cycle.Decision{}, flow.AppError(err)
	}
	defer k.c.Book.Begin(t.ID)()
	b := k.s.batchOf(r.Year)
	c := k.document(ctx, cycle.DocRecognition, r.Year)
	for _, code := range k.s.held(b) {
		c.Communes = append(c.Communes, cycle.DocumentCommune{ListedCommune: k.s.cohortCommune(code).ListedCommune})
	}
	c.ApprovalRef, c.Due = k.s.Approval, cycle.FollowUpPeriod(k.s.yearOf(r.Year).SignedOn).To
	res, err := k.issue(ctx, k.job(ctx, fmt.Sprintf("%s/recognition/%d", k.c.ID, r.Year), c, b.SignedBy, r.Actor))
	if err != nil {
		return cycle.Decision{}, err
	}
	d := res.Decision
	if err := k.completeStep(ctx, t, r.Request, fmt.Sprintf("issued recognition decision %s for %d communes", d.Code, len(c.Communes))); err != nil {
		return cycle.Decision{}, err
	}
	b.Decision = &d
	k.c.Ledger.Record(UpdateIssueRecognition, r.Request, d)
	k.c.Event(ctx, r.Actor.ID, flow.Says("event.recognition_issued", d.Code, len(c.Communes), r.Year))
	k.deliver(ctx, []issuing.Issued{res})
	return d, nil
}

// deliver distributes issued documents in coroutines; the cycle does not
// end (or continue as new) before every delivery has settled.
func (k *Cohort) deliver(ctx workflow.Context, docs []issuing.Issued) {
	for _, res := range docs {
		code := res.Decision.Code
		k.c.Deliveries.Start(ctx, k.c.Issuer.Body, res, func(ctx workflow.Context, said flow.Said) {
			k.c.Event(ctx, "", flow.Says("event.delivered", code, said))
		})
	}
}

// resultNote is the summary's last column for a commune.
func resultNote(r cycle.CommuneResult, yearNo int) string {
	s := "Đạt"
	if r.Outcome != cycle.OutcomePass {
		s = "Không đạt — tiếp tục năm thứ hai"
		if yearNo >= 2 {
			s = "Không đạt năm thứ hai — xem xét trách nhiệm"
		}
	}
	if r.Overridden {
		s += " (Hội đồng: " + r.Reason + ")"
	}
	return s
}

// failedCriteria lists the criteria a commune did not meet, with the
// figures compared, for the notices.
func failedCriteria(r cycle.CommuneResult) string {
	if !r.Reported {
		return "Không có báo cáo năm"
	}
	var parts []string
	for _, f := range r.Verdict.Failed() {
		parts = append(parts, f.Name+" ("+f.Detail+")")
	}
	if r.Overridden || len(parts) == 0 {
		parts = append(parts, "Hội đồng: "+r.Reason)
	}
	return strings.Join(parts, "; ")
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// State is the state query's view of the cohort (nil before it starts).
func (k *Cohort) State() *CohortState {
	if k.s == nil {
		return nil
	}
	s := *k.s
	s.Communes = append([]CohortCommune(nil), k.s.Communes...)
	return &s
}
