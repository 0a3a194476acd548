package transformation

import (
	"fmt"

	"go.temporal.io/sdk/workflow"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/flow"
)

// councilRecognition is the change from which the council appraises a
// year's follow-ups before the head signs the recognition decision (000
// §II.4.b), and a relapse is its conclusion; before it, a failed
// follow-up was a relapse by itself and the head signed straight after
// the follow-ups.
const councilRecognition = "council-appraises-recognition"

// appraiseRecognitionUpdate is the council's appraisal of a year's
// follow-ups.
type appraiseRecognitionUpdate struct{ *Cohort }

// appraiseBatch, once every follow-up of the batch is in, opens the
// council's task, waits for its conclusions and tells each commune its
// own. It reports false when the batch predates the change (it is then
// recognised as before: by the follow-ups' verdicts).
func (k *Cohort) appraiseBatch(ctx workflow.Context, b *RecognitionBatch) (bool, error) {
	if b.Results == nil {
		if b.Signed || workflow.GetVersion(ctx, councilRecognition, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
			return false, nil
		}
		k.openStep(ctx, cycle.TaskAppraiseRecognition, b.Year, k.now(ctx).AddDays(cycle.RecognitionAppraisalDays),
			fmt.Sprintf("Thẩm định kết quả theo dõi sau 6 tháng, đề nghị công nhận %d địa bàn chuyển hóa đạt năm %d", len(b.Communes), b.Year))
		if err := workflow.Await(ctx, func() bool { return b.Results != nil }); err != nil {
			return true, err
		}
	}
	if b.Told {
		return true, nil
	}
	on := k.now(ctx)
	var futures []workflow.Future
	for _, r := range b.Results {
		c := Conclusion{Year: b.Year, Outcome: r.Outcome, Reason: r.Reason, Overridden: r.Overridden, Date: on}
		futures = append(futures, workflow.SignalExternalWorkflow(ctx, r.Commune.WorkflowID, "", SignalConcluded, c))
	}
	for i, f := range futures {
		if err := f.Get(ctx, nil); err != nil {
			workflow.GetLogger(ctx).Error("tell a commune the council's conclusion", "cycle", k.c.ID, "commune", b.Results[i].Commune.Commune, "error", err)
		}
	}
	b.Told = true
	return true, nil
}

// followUps returns every commune's follow-up verdict of a batch, in list
// order, with its workflow ID.
func (k *Cohort) followUps(b *RecognitionBatch) []cycle.CommuneVerdict {
	out := make([]cycle.CommuneVerdict, 0, len(b.Communes))
	for _, code := range b.Communes {
		v := b.Verdicts[code]
		if c := k.s.cohortCommune(code); c != nil {
			v.Commune = c.CommuneInProgramme
		}
		out = append(out, v)
	}
	return out
}

func (k appraiseRecognitionUpdate) validate(r AppraiseResultsRequest) error {
	if k.c.Ledger.Done(UpdateAppraiseRecognition, r.Request) {
		return nil
	}
	_, _, err := k.check(r)
	return flow.AppError(err)
}

func (k appraiseRecognitionUpdate) check(r AppraiseResultsRequest) (cycle.Task, []cycle.CommuneResult, error) {
	t, err := k.stepRequest(r.Request, cycle.TaskAppraiseRecognition, r.Year)
	if err != nil {
		return t, nil, err
	}
	res, err := cycle.ApplyRecognitionAppraisal(k.followUps(k.s.batchOf(r.Year)), r.Appraisal)
	return t, res, err
}

func (k appraiseRecognitionUpdate) handle(ctx workflow.Context, r AppraiseResultsRequest) ([]cycle.CommuneResult, error) {
	ctx = flow.WithActivityOptions(ctx)
	if res, ok := flow.Recall[[]cycle.CommuneResult](k.c.Ledger, UpdateAppraiseRecognition, r.Request); ok {
		return res, nil
	}
	t, res, err := k.check(r)
	if err != nil {
		return nil, flow.AppError(err)
	}
	defer k.c.Book.Begin(t.ID)()
	held := 0
	for _, x := range res {
		if x.Outcome == cycle.OutcomePass {
			held++
		}
	}
	appraisal := r.Appraisal
	summary := fmt.Sprintf("appraised the follow-ups of %d: %d of %d proposed for recognition", r.Year, held, len(res))
	if err := k.c.Book.Complete(ctx, t, r.Request, summary, func(c *cycle.Completion) {
		c.Conclusions, c.Results = &appraisal, res
	}); err != nil {
		return nil, err
	}
	k.c.Book.Close(t.ID)
	k.s.batchOf(r.Year).Results = concluded(res)
	k.c.Ledger.Record(UpdateAppraiseRecognition, r.Request, res)
	k.c.Event(ctx, r.Actor.ID, flow.Says("event.recognition_appraised", r.Year, held, len(res)))
	return res, nil
}

// concluded is the council's conclusions as the cohort's state keeps them:
// each verdict without its criteria, which the batch's Verdicts hold
// already (a scored plan's verdicts are large, and the state is what the
// cycle's query answers and continue-as-new carries).
func concluded(res []cycle.CommuneResult) []cycle.CommuneResult {
	out := make([]cycle.CommuneResult, len(res))
	for i, r := range res {
		v := r.Verdict
		r.Verdict = cycle.Verdict{Commune: v.Commune, Name: v.Name, Types: v.Types, Policy: v.Policy, Method: v.Method, Outcome: v.Outcome, Summary: v.Summary, Text: v.Text,
			Met: v.Met, Counted: v.Counted, Score: v.Score, MaxScore: v.MaxScore}
		out[i] = r
	}
	return out
}
