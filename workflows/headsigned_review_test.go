package workflows_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/testsuite"

	"chuyenhoa/cycle"
	"chuyenhoa/templates"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/issuing"
	"chuyenhoa/workflows/selection"
	"chuyenhoa/workflows/transformation"
)

// Seed 001's provincial review report (báo cáo sơ kết, §III.2) is signed
// with the head's own certificate when the worker has the head sign
// elsewhere (issue 17): the conference's submission completes the
// secretariat's task and prepares the report, numbered as a report, for
// the head's sign task (sign_review); a completion without the CMS and a
// CMS the verification refuses leave the task open with nothing issued; a
// deputy under a delegation has it prepared again in their own name (a
// prepare-only request); a CMS of a later day has it prepared again dated
// that day (same number); the verified CMS issues the report in the same
// completion — sealed as the body, the head's signature and the seal —
// and the conference's plan step carries it.
func TestReviewReportSignedWithTheHeadsOwnCertificate(t *testing.T) {
	x := newPlanHarness(t, "001-tay-ninh-2019")
	var a *issuing.Activities
	// The approval decision, the year's results and the recognition are
	// signed the ordinary way; the conference's report, in December, not.
	external := switchableHead(x.env)
	var prepared []issuing.PrepareInput
	var completed []issuing.CompleteInput
	mockHeadSignatureRefusing(x.env, &prepared, &completed)
	var sealed atomic.Int32
	x.env.OnActivity(a.SealDocument, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in issuing.SignInput) (issuing.SignResult, error) {
			sealed.Add(1)
			return issuing.SignResult{SHA256: in.SHA256, Signatures: 2, SealedBy: "CN=Ban Chỉ đạo"}, nil
		})
	x.at(vn(2027, time.December, 20, 9), func() { external.Store(true) })
	x.at(vn(2028, time.January, 1, 9), func() { external.Store(false) })

	const conferenceTask = "plan_report/review_conference/2027-12-31"
	deputy := cycle.Actor{ID: "photruongban", Name: "Lê Văn Phó", Role: cycle.RoleSigner, Title: "PHÓ TRƯỞNG BAN", OnBehalfOf: "truongban", HeadTitle: "TRƯỞNG BAN"}
	good := []byte("the head's CMS")
	sign := func(who cycle.Actor, rid string, cms []byte) *outcome {
		r := yearReq(who, rid, 2027)
		r.CMS = cms
		return x.update(transformation.UpdateSignReview, rid, r)
	}
	step := func() *transformation.PlanStepStatus {
		for _, p := range x.state().Transformation.Plan {
			if p.Deadline == cycle.DeadlineReviewConference {
				return p
			}
		}
		return nil
	}
	open := func() map[string]cycle.Task {
		out := map[string]cycle.Task{}
		for _, tk := range x.state().OpenTasks {
			out[tk.ID] = tk
		}
		return out
	}

	var conference, unsigned, refused, prepareOnly, stale, signed *outcome
	var opened map[string]cycle.Task
	var before, afterRefusal, forDeputy, redated, done *transformation.PlanStepStatus
	var sealedBeforeSigning int32
	var stillOpen, openAfter map[string]cycle.Task
	var events []flow.Event
	x.at(vn(2027, time.December, 28, 9), func() {
		conference = x.update(transformation.UpdateSubmitPlanReport, "hn", planReq(secretariat, "hn", conferenceTask, "Hội nghị sơ kết cấp tỉnh đã tổ chức.", cycle.D(2027, 12, 27)))
	})
	x.at(vn(2027, time.December, 28, 10), func() {
		opened, before = open(), step()
		unsigned = sign(signer, "sv0", nil)
	})
	x.at(vn(2027, time.December, 28, 11), func() { refused = sign(signer, "sv1", badCMS) })
	x.at(vn(2027, time.December, 28, 12), func() {
		afterRefusal, stillOpen, sealedBeforeSigning = step(), open(), sealed.Load()
		r := yearReq(deputy, "sv2", 2027)
		r.PrepareOnly = true
		prepareOnly = x.update(transformation.UpdateSignReview, "sv2", r)
	})
	x.at(vn(2027, time.December, 28, 13), func() { forDeputy = step() })
	x.at(vn(2027, time.December, 29, 9), func() { stale = sign(deputy, "sv3", good) })
	x.at(vn(2027, time.December, 29, 10), func() {
		redated = step()
		signed = sign(deputy, "sv4", good)
	})
	x.at(vn(2027, time.December, 29, 11), func() { done, openAfter, events = step(), open(), x.state().Events })
	x.everyoneReports(vn(2027, time.November, 15, 11), nil)
	x.run()

	// The secretariat's part: its task completes, the report is prepared
	// and the head's task opens.
	require.Empty(t, conference.code())
	ps := conference.result.(transformation.PlanStepStatus)
	require.NotNil(t, ps.Report, "the conference's conclusions are recorded")
	require.Nil(t, ps.Document, "nothing issued before the head signs")
	require.NotNil(t, ps.Head)
	require.NotContains(t, opened, conferenceTask, "the secretariat's task is done")
	tk, ok := opened["sign_review/2027"]
	require.True(t, ok, "the head's sign task opens")
	require.Equal(t, cycle.TaskSignReview, tk.Kind)
	require.Equal(t, cycle.RoleSigner, tk.Role)
	require.Equal(t, cycle.D(2028, time.January, 4), tk.Due, "cycle.SignDays after the conference's submission")
	require.Contains(t, tk.Title, "Ký báo cáo sơ kết")
	require.NotNil(t, before.Head)
	require.Contains(t, before.Head.Code, "/BC-", "numbered as a report")
	require.Equal(t, cycle.D(2027, time.December, 28), before.Head.Date)

	// Refusals: nothing signed, nothing issued, the task open.
	require.Equal(t, cycle.EINVALID, unsigned.code(), "a completion without the head's signature")
	require.Contains(t, flow.AsCycleError(unsigned.rejected).Text, "trang ký số")
	require.Equal(t, cycle.EINVALID, refused.code(), "a CMS the verification refuses")
	require.Contains(t, flow.AsCycleError(refused.err).Text, "tin cậy")
	require.Nil(t, afterRefusal.HeadSigned)
	require.Nil(t, afterRefusal.Document)
	require.Contains(t, stillOpen, "sign_review/2027")
	require.Zero(t, sealedBeforeSigning, "nothing sealed before the head's signature is verified")

	// A deputy under a delegation has it prepared in their own name;
	// the deputy's CMS of the next day has it prepared again, dated then.
	require.Equal(t, cycle.ECONFLICT, prepareOnly.code(), "a prepare-only request never completes the task")
	require.Equal(t, deputy.ID, forDeputy.Head.Signer.ID)
	require.Equal(t, before.Head.Code, forDeputy.Head.Code, "the number stays")
	require.Equal(t, cycle.EINVALID, stale.code(), "a CMS over the version of an earlier day")
	require.Contains(t, flow.AsCycleError(stale.err).Text, "ký lại")
	require.Equal(t, cycle.D(2027, time.December, 29), redated.Head.Date, "prepared again, dated the day of signing")
	require.Equal(t, before.Head.Code, redated.Head.Code)
	require.Equal(t, deputy.ID, redated.Head.Signer.ID)
	require.Len(t, prepared, 3, "when the task opened, for the deputy, dated the day of signing")

	// The verified CMS issues the report in the same completion.
	require.Empty(t, signed.code())
	res := signed.result.(transformation.SignResult)
	require.NotNil(t, res.Document)
	d := *res.Document
	require.Equal(t, cycle.DocReview, d.Kind)
	require.Equal(t, before.Head.Code, d.Code, "the number taken at the preparation")
	require.Contains(t, d.Code, "/BC-")
	require.Equal(t, cycle.D(2027, time.December, 29), d.Date, "dated the day the head signed")
	require.Equal(t, deputy.ID, d.SignedBy.ID)
	require.Len(t, completed, 2, "the refused CMS and the accepted one")
	require.Equal(t, redated.Head.Digest, completed[1].Pending.Digest)
	require.EqualValues(t, 1, sealed.Load(), "the issue only seals what the head signed")
	rec, _, err := x.store.ArchivedDocument(context.Background(), d.ID)
	require.NoError(t, err)
	require.Equal(t, 2, rec.Signatures, "the head's signature and the issuing body's seal")
	require.Equal(t, "CN=Trần Văn Minh", rec.Signer)
	require.Equal(t, d.Code, rec.Code)
	require.NotNil(t, done.Document, "the plan step carries the report")
	require.Equal(t, d.Code, done.Document.Code)
	require.NotNil(t, done.HeadSigned)
	require.NotContains(t, openAfter, "sign_review/2027", "the head's task is done")
	require.Equal(t, []string{"Hội nghị sơ kết cấp tỉnh đã tổ chức."}, x.docs.data(templates.Review).(templates.ReviewData).Conclusions)
	issued := false
	for _, e := range events {
		if strings.Contains(e.Text, "Ban hành Báo cáo sơ kết") && strings.Contains(e.Text, d.Code) {
			issued = true
		}
	}
	require.True(t, issued, "the cycle's history says the report was issued")
}

// A review report still waiting for the head's own signature when the
// cycle continues as new (at the end of its programme year) has the
// head's task opened again in the new run; the head signing there, on a
// later day and across 31 December, has it prepared again dated that day
// with the number it took in the old year's register, then issued.
func TestReviewSignTaskOpensAgainInANewRun(t *testing.T) {
	x := newPlanHarness(t, "001-tay-ninh-2019")
	external := switchableHead(x.env)
	var prepared []issuing.PrepareInput
	var completed []issuing.CompleteInput
	mockHeadSignature(x.env, &prepared, &completed)
	x.at(vn(2027, time.December, 20, 9), func() { external.Store(true) })
	var conference *outcome
	x.at(vn(2027, time.December, 28, 9), func() {
		conference = x.update(transformation.UpdateSubmitPlanReport, "hn", planReq(secretariat, "hn", "plan_report/review_conference/2027-12-31", "Hội nghị sơ kết cấp tỉnh đã tổ chức.", cycle.D(2027, 12, 27)))
	})
	x.at(vn(2028, time.January, 1, 9), func() { external.Store(false) })
	next := x.throughFirstYear()
	require.Empty(t, conference.code())
	carried := next.Resume.Transformation.ReviewStep(2027)
	require.NotNil(t, carried, "the report prepared for the head travels with the state")
	require.Nil(t, carried.Document)
	require.Equal(t, cycle.D(2027, time.December, 28), carried.Head.Date)

	// The new run, on the same store, with the head signing elsewhere.
	start := vn(2028, time.January, 5, 9)
	env, h2 := x.nextRun(start, newFakeDocs())
	externalHead(env, &prepared, &completed)
	var opened []cycle.Task
	var stale, signed *outcome
	var redated *issuing.PendingSignature
	sign := func(rid string) *outcome {
		r := yearReq(signer, rid, 2027)
		r.CMS = []byte("the head's CMS")
		return h2.update(transformation.UpdateSignReview, rid, r)
	}
	h2.at(start.Add(time.Hour), func() {
		opened = h2.state().OpenTasks
		stale = sign("sv1")
	})
	h2.at(start.Add(2*time.Hour), func() {
		redated = h2.state().Transformation.ReviewStep(2027).Head
		signed = sign("sv2")
	})
	h2.at(start.Add(3*time.Hour), func() { env.CancelWorkflow() })
	env.ExecuteWorkflow(selection.YearlyCycle, next)

	found := false
	for _, tk := range opened {
		if tk.ID == "sign_review/2027" {
			found = true
			require.Equal(t, cycle.TaskSignReview, tk.Kind)
		}
	}
	require.True(t, found, "the head's task is opened again in the new run")
	require.Equal(t, cycle.EINVALID, stale.code(), "a CMS over the version of December")
	require.Equal(t, cycle.D(2028, time.January, 5), redated.Date)
	require.Equal(t, carried.Head.Code, redated.Code, "the number of the old year's register stays")
	require.Equal(t, 2027, redated.RegisterYear())
	require.Empty(t, signed.code())
	d := signed.result.(transformation.SignResult).Document
	require.NotNil(t, d)
	require.Equal(t, carried.Head.Code, d.Code)
	require.Equal(t, cycle.D(2028, time.January, 5), d.Date)
	require.Equal(t, 2027, d.Year, "numbered in the register of the year it was prepared in")
	rec, _, err := x.store.ArchivedDocument(context.Background(), d.ID)
	require.NoError(t, err)
	require.Equal(t, 2, rec.Signatures)
}

// A plan step still open when the cycle continues as new at the turn of
// the programme year is opened again in the new run: the secretariat's
// conference, sent late in January, is taken (and issues its review
// report) rather than refused as not open.
func TestPlanStepOpenAgainInANewRun(t *testing.T) {
	x := newPlanHarness(t, "001-tay-ninh-2019")
	var a *issuing.Activities
	x.env.OnActivity(a.HeadSigningMode, mock.Anything).Return(issuing.HeadMode{}, nil)
	next := x.throughFirstYear()
	const task = "plan_report/review_conference/2027-12-31"

	start := vn(2028, time.January, 5, 9)
	docs := newFakeDocs()
	env, h2 := x.nextRun(start, docs)
	env.OnActivity(a.HeadSigningMode, mock.Anything).Return(issuing.HeadMode{}, nil)
	var opened []cycle.Task
	var sent *outcome
	h2.at(start.Add(time.Hour), func() {
		opened = h2.state().OpenTasks
		sent = h2.update(transformation.UpdateSubmitPlanReport, "late", planReq(secretariat, "late", task, "Hội nghị sơ kết cấp tỉnh đã tổ chức.", cycle.D(2028, 1, 4)))
	})
	h2.at(start.Add(2*time.Hour), func() { env.CancelWorkflow() })
	env.ExecuteWorkflow(selection.YearlyCycle, next)

	found := false
	for _, tk := range opened {
		found = found || tk.ID == task
	}
	require.True(t, found, "the conference's task is opened again in the new run")
	require.Empty(t, sent.code(), "the late conference is taken")
	p := sent.result.(transformation.PlanStepStatus)
	require.True(t, p.Late)
	require.NotNil(t, p.Document, "its review report issued")
	require.Equal(t, []string{"Hội nghị sơ kết cấp tỉnh đã tổ chức."}, docs.data(templates.Review).(templates.ReviewData).Conclusions)
}

// switchableHead mocks the worker's head-signing mode with a switch: the
// head signs elsewhere while it is on.
func switchableHead(env *testsuite.TestWorkflowEnvironment) *atomic.Bool {
	var a *issuing.Activities
	var external atomic.Bool
	env.OnActivity(a.HeadSigningMode, mock.Anything).Return(func(context.Context) (issuing.HeadMode, error) {
		return issuing.HeadMode{External: external.Load()}, nil
	})
	return &external
}

// throughFirstYear runs x's cycle through its first programme year —
// every commune's yearly report in on 15 November, the year-end steps —
// to the continue-as-new that follows it (suggested from the start), and
// returns the next run's input. The test sets its own steps (x.at) first.
func (x *txHarness) throughFirstYear() selection.YearlyCycleInput {
	t := x.t
	x.at(vn(2026, time.December, 1, 11), func() { x.env.SetContinueAsNewSuggested(true) })
	x.env.SetDetachedChildWait(false) // the communes go on; the test follows the cycle
	x.at(vn(2027, time.November, 15, 11), func() {
		for _, c := range x.list {
			x.report(c, cycle.ReportYearly, "y-"+c.Commune, true)
		}
	})
	x.yearEnd(2027, cycle.ResultsAppraisal{Minutes: "Hội đồng thẩm định thống nhất"})
	x.env.ExecuteWorkflow(selection.YearlyCycle, x.input)
	return continuedAs(t, x.env, "the cycle continues as new after its first programme year")
}
