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
		flow.UpdateHandler{Name: UpdateSignResults, Handler: k.signStep(UpdateSignResults, cycle.TaskSignResults, "results", k.embedResults, func(year int, by cycle.Actor, on cycle.Date) {
			y := k.s.yearOf(year)
			y.Signed, y.SignedBy, y.SignedOn = true, by, on
		}), Validator: func(r YearRequest) error {
			if err := k.validateYearStep(UpdateSignResults, cycle.TaskSignResults)(r); err != nil || k.c.Ledger.Done(UpdateSignResults, r.Request) {
				return err
			}
			return flow.AppError(k.checkResultsCMS(r))
		}},
		flow.UpdateHandler{Name: UpdateIssueResults, Handler: issueResultsUpdate{cohortDocuments{k}}.handle, Validator: issueResultsUpdate{cohortDocuments{k}}.validate},
		flow.UpdateHandler{Name: UpdateAppraiseRecognition, Handler: appraiseRecognitionUpdate{k}.handle, Validator: appraiseRecognitionUpdate{k}.validate},
		flow.UpdateHandler{Name: UpdateSignRecognition, Handler: k.signStep(UpdateSignRecognition, cycle.TaskSignRecognition, "recognition decision", k.embedRecognition, func(year int, by cycle.Actor, on cycle.Date) {
			b := k.s.batchOf(year)
			b.Signed, b.SignedBy, b.SignedOn = true, by, on
		}), Validator: func(r YearRequest) error {
			if err := k.validateYearStep(UpdateSignRecognition, cycle.TaskSignRecognition)(r); err != nil || k.c.Ledger.Done(UpdateSignRecognition, r.Request) {
				return err
			}
			return flow.AppError(k.checkRecognitionCMS(r))
		}},
		flow.UpdateHandler{Name: UpdateIssueRecognition, Handler: issueRecognitionUpdate{cohortDocuments{k}}.handle, Validator: issueRecognitionUpdate{cohortDocuments{k}}.validate},
		flow.UpdateHandler{Name: UpdateSubmitPlanReport, Handler: planSteps{k}.submit, Validator: planSteps{k}.validate},
		flow.UpdateHandler{Name: UpdateSignReview, Handler: cohortDocuments{k}.signReview, Validator: func(r YearRequest) error {
			if err := k.validateYearStep(UpdateSignReview, cycle.TaskSignReview)(r); err != nil || k.c.Ledger.Done(UpdateSignReview, r.Request) {
				return err
			}
			return flow.AppError(k.checkReviewCMS(r))
		}},
	)
}

// Each of the cohort's updates with more to it than a signature is a type
// of its own over the cohort.
type (
	appraiseResultsUpdate  struct{ *Cohort }         // the council's year-end appraisal
	issueResultsUpdate     struct{ cohortDocuments } // the clerk's notices and summary of a year
	issueRecognitionUpdate struct{ cohortDocuments } // the clerk's recognition decision
)

// cohortDocuments makes, issues and delivers the cohort's documents, for
// the updates that issue them.
type cohortDocuments struct{ *Cohort }

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

// signStep records the head's signature of a year's results or
// recognition; embed, when set, first embeds a signature the head made
// with their own certificate (its refusal leaves the task open).
func (k *Cohort) signStep(name string, kind cycle.TaskKind, what string, embed func(workflow.Context, YearRequest) error, mark func(year int, by cycle.Actor, on cycle.Date)) func(workflow.Context, YearRequest) (SignResult, error) {
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
		if embed != nil {
			if err := embed(ctx, r); err != nil {
				return SignResult{}, err
			}
		}
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
// date and province, and the decisions it cites: the approval that listed
// the cohort and, for a second year, the notice that carried them into it.
func (k cohortDocuments) document(ctx workflow.Context, kind string, year int) cycle.DocumentContent {
	c := cycle.DocumentContent{Kind: kind, Issuer: k.c.Issuer, Date: k.now(ctx), Year: year, ProvinceName: k.c.Province.Name,
		Synthetic: k.c.Synthetic, FirstYear: k.c.Year, Province: k.c.Province.Code, TwoTier: k.c.Province.TwoTier()}
	if a := k.s.ApprovalDecision; a != nil {
		ref := *a
		c.Approval = &ref
	} else if k.s.Approval != "" {
		c.ApprovalRef = k.s.Approval + " của " + k.c.Issuer.Decider()
	}
	if year > k.c.Year {
		for _, d := range k.s.yearOf(year - 1).Documents {
			if d.Kind == cycle.DocContinuation {
				c.Continuation = &cycle.IssuedRef{Kind: "Thông báo", Code: d.Code, Date: d.Date, Issuer: k.c.Issuer.CommitteeName}
			}
		}
	}
	return c
}

// prepare fills in a document's grounds, periods and signer from the
// cohort's policy (cycle.PrepareDocument) and returns what it lacks.
func (k cohortDocuments) prepare(c *cycle.DocumentContent, signer cycle.Actor) []cycle.Problem {
	var by *cycle.Actor
	if signer.ID != "" || signer.Name != "" || signer.Title != "" {
		by = &signer
	}
	return cycle.PrepareDocument(c, k.c.Policy, by)
}

// job is a document of the cohort for the issue pipeline.
func (k cohortDocuments) job(ctx workflow.Context, id string, c cycle.DocumentContent, signedBy, issuedBy cycle.Actor) issuing.Job {
	return issuing.Job{
		Decision: cycle.Decision{ID: id, CycleID: k.c.ID, Kind: c.Kind, BodyKey: c.Issuer.BodyKey, Year: c.Date.Year, Date: c.Date,
			SignedBy: signedBy, IssuedBy: issuedBy, IssuedAt: k.Now(ctx), Communes: c.Listed()},
		Suffix: cycle.DocumentSuffix(c.Kind, c.Issuer), Content: c,
	}
}

// issue runs a job through the pipeline; before issuing.Steps the cohort
// called TransformIssueDocument.
func (k cohortDocuments) issue(ctx workflow.Context, j issuing.Job) (issuing.Issued, error) {
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
	jobs, kpi, err := k.jobs(ctx, r.Year, r.Actor)
	if err != nil {
		return nil, err
	}
	for i := range jobs {
		if h := issuing.SignedFor(y.HeadSigned, jobs[i].Decision.ID); h != nil {
			jobs[i].Head = h
			jobs[i].Decision.Date, jobs[i].Decision.Year = h.Pending.Date, h.Pending.RegisterYear()
		}
	}
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

// jobs are the documents of a year's results for the issue pipeline,
// with the province's indicators the summary states.
func (k issueResultsUpdate) jobs(ctx workflow.Context, year int, issuedBy cycle.Actor) ([]issuing.Job, cycle.KPI, error) {
	y := k.s.yearOf(year)
	var a *Activities
	var kpi cycle.KPI
	if err := workflow.ExecuteActivity(flow.WithActivityOptions(ctx), a.TransformKPI, KPIInput{Province: k.c.Province.Code, Year: year, Policy: k.c.Policy}).Get(ctx, &kpi); err != nil {
		return nil, kpi, err
	}
	contents, _ := k.contents(ctx, year)
	var jobs []issuing.Job
	for _, c := range contents {
		if c.Kind == cycle.DocSummary {
			c.KPI = &kpi
		}
		jobs = append(jobs, k.job(ctx, fmt.Sprintf("%s/%s/%d", k.c.ID, c.Kind, year), c, y.SignedBy, issuedBy))
	}
	return jobs, kpi, nil
}

// contents are the documents of a year's results: the continuation
// notice of the communes that failed their first year, the responsibility
// notice of those that failed their second, the yearly summary (its KPI
// the caller's); and the required grounds they lack.
func (k issueResultsUpdate) contents(ctx workflow.Context, year int) ([]cycle.DocumentContent, []cycle.Problem) {
	y := k.s.yearOf(year)
	var cont, resp, all []cycle.DocumentCommune
	for _, x := range y.Results {
		l := x.Commune.ListedCommune
		dc := cycle.DocumentCommune{ListedCommune: l, Note: cycle.ResultNote(x, y.YearNo[l.Commune])}
		all = append(all, dc)
		if x.Outcome == cycle.OutcomePass {
			continue
		}
		dc.Note = cycle.UnmetNote(x)
		if y.YearNo[l.Commune] < 2 && k.c.Policy.HasSecondYear() {
			cont = append(cont, dc)
		} else {
			resp = append(resp, dc)
		}
	}
	today := k.now(ctx)
	var out []cycle.DocumentContent
	var probs []cycle.Problem
	if len(cont) > 0 {
		c := k.document(ctx, cycle.DocContinuation, year)
		c.Communes, c.Due = cont, today.AddDays(cycle.ReviewDays)
		signedOn := y.SignedOn
		if signedOn.IsZero() { // prepared for the head's signature: dated the day it is signed
			signedOn = today
		}
		c.AppraisalRef = fmt.Sprintf("kết quả thẩm định năm %d của Hội đồng thẩm định đã được %s ký duyệt ngày %s", year, k.c.Issuer.HeadOf(), signedOn.Vietnamese())
		probs = append(probs, k.prepare(&c, y.SignedBy)...)
		out = append(out, c)
	}
	if len(resp) > 0 {
		c := k.document(ctx, cycle.DocResponsibility, year)
		c.Communes, c.Due = resp, today.AddDays(cycle.ReviewDays)
		c.OneYear = !k.c.Policy.HasSecondYear() // 004 §III.11: no second year
		probs = append(probs, k.prepare(&c, y.SignedBy)...)
		out = append(out, c)
	}
	c := k.document(ctx, cycle.DocSummary, year)
	c.Communes = all
	probs = append(probs, k.prepare(&c, y.SignedBy)...)
	return append(out, c), probs
}

// validate refuses, besides a request the step does not allow, documents
// whose required grounds are missing: none is numbered. Validators do not
// run on replay.
func (k issueResultsUpdate) validate(ctx workflow.Context, r YearRequest) error {
	if err := k.validateYearStep(UpdateIssueResults, cycle.TaskIssueResults)(r); err != nil || k.c.Ledger.Done(UpdateIssueResults, r.Request) {
		return err
	}
	_, probs := k.contents(ctx, r.Year)
	return flow.AppError(cycle.CheckGrounds(fmt.Sprintf("các văn bản kết quả năm %d", r.Year), dedupe(probs)))
}

// recognition is the recognition decision of a year's batch, and the
// required grounds it lacks.
func (k issueRecognitionUpdate) recognition(ctx workflow.Context, year int) (cycle.DocumentContent, []cycle.Problem) {
	b := k.s.batchOf(year)
	c := k.document(ctx, cycle.DocRecognition, year)
	for _, code := range k.s.held(b) {
		c.Communes = append(c.Communes, cycle.DocumentCommune{ListedCommune: k.s.cohortCommune(code).ListedCommune})
	}
	c.Due = cycle.FollowUpPeriod(k.s.yearOf(year).SignedOn).To
	probs := k.prepare(&c, b.SignedBy)
	return c, probs
}

// validate refuses, besides a request the step does not allow, a
// recognition whose required grounds are missing.
func (k issueRecognitionUpdate) validate(ctx workflow.Context, r YearRequest) error {
	if err := k.validateYearStep(UpdateIssueRecognition, cycle.TaskIssueRecognition)(r); err != nil || k.c.Ledger.Done(UpdateIssueRecognition, r.Request) {
		return err
	}
	_, probs := k.recognition(ctx, r.Year)
	return flow.AppError(cycle.CheckGrounds(fmt.Sprintf("quyết định công nhận năm %d", r.Year), probs))
}

// dedupe drops repeated problems (the same ground missing in every document).
func dedupe(ps []cycle.Problem) []cycle.Problem {
	var out []cycle.Problem
	seen := map[string]bool{}
	for _, p := range ps {
		if !seen[p.Rule+"|"+p.Text] {
			seen[p.Rule+"|"+p.Text] = true
			out = append(out, p)
		}
	}
	return out
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
	j, c := k.recognitionJob(ctx, r.Year, r.Actor)
	res, err := k.issue(ctx, j)
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
func (k cohortDocuments) deliver(ctx workflow.Context, docs []issuing.Issued) {
	for _, res := range docs {
		code := res.Decision.Code
		k.c.Deliveries.Start(ctx, k.c.Issuer.Body, res, func(ctx workflow.Context, said flow.Said) {
			k.c.Event(ctx, "", flow.Says("event.delivered", code, said))
		})
	}
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
