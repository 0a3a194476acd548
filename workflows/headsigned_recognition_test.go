package workflows_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/issuing"
	"chuyenhoa/workflows/transformation"
)

// The recognition decision, like the approval decision, is signed with
// the head's own certificate when the worker has the head sign elsewhere
// (issue 17): prepared when the head's task opens (after the council's
// appraisal, 08/07), it refuses a signature-less completion and a CMS
// sent on a later day (prepared again, dated that day, same number),
// embeds the CMS over the day's version, and the clerk's issue only seals
// it: the issued decision is dated the day the head signed.
func TestRecognitionSignedWithTheHeadsOwnCertificate(t *testing.T) {
	x := newTxHarness(t)
	var a *issuing.Activities
	// The approval decision of January and the year's results are signed
	// the ordinary way (this worker turned external later); the
	// recognition in July is not.
	modes := 0
	x.env.OnActivity(a.HeadSigningMode, mock.Anything).Return(func(context.Context) (issuing.HeadMode, error) {
		modes++
		return issuing.HeadMode{External: modes > 2}, nil
	})
	var prepared []issuing.PrepareInput
	var completed []issuing.CompleteInput
	mockHeadSignature(x.env, &prepared, &completed)
	sealed := 0
	x.env.OnActivity(a.SealDocument, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in issuing.SignInput) (issuing.SignResult, error) {
			sealed++
			return issuing.SignResult{SHA256: in.SHA256, Signatures: 2, SealedBy: "CN=Ban Chỉ đạo"}, nil
		})
	x.at(vn(2027, time.June, 15, 9), func() {
		for _, c := range x.list {
			x.report(c, cycle.ReportHalfYear, "h-"+c.Commune, true)
		}
	})
	x.at(vn(2027, time.December, 15, 9), func() {
		for _, c := range x.list {
			x.report(c, cycle.ReportYearly, "y-"+c.Commune, true)
		}
	})
	x.yearEnd(2027, cycle.ResultsAppraisal{})
	x.at(vn(2028, time.July, 5, 9), func() {
		for _, c := range x.list {
			x.report(c, cycle.ReportFollowUp, "f-"+c.Commune, true)
		}
	})
	x.at(vn(2028, time.July, 8, 9), func() {
		x.update(transformation.UpdateAppraiseRecognition, "ac", transformation.AppraiseResultsRequest{Request: req(chair, "ac"), Year: 2027})
	})
	cms := []byte("the head's CMS")
	sign := func(rid string, cms []byte) *outcome {
		r := yearReq(signer, rid, 2027)
		r.CMS = cms
		return x.update(transformation.UpdateSignRecognition, rid, r)
	}
	var unsigned, stale, again *outcome
	var before, after *issuing.PendingSignature
	pending := func() *issuing.PendingSignature { return x.state().Transformation.Batches[0].Head }
	x.at(vn(2028, time.July, 10, 9), func() {
		before = pending()
		unsigned = sign("sg0", nil)
		stale = sign("sg1", cms)
	})
	x.at(vn(2028, time.July, 10, 10), func() {
		after = pending()
		again = sign("sg2", cms)
	})
	var issued *outcome
	x.at(vn(2028, time.July, 11, 9), func() {
		issued = x.update(transformation.UpdateIssueRecognition, "is", yearReq(clerk, "is", 2027))
	})
	x.run()

	require.NotNil(t, before, "prepared when the head's task opened")
	require.Equal(t, cycle.D(2028, time.July, 8), before.Date)
	require.Equal(t, cycle.EINVALID, unsigned.code(), "a completion without the head's signature")
	require.Contains(t, flow.AsCycleError(unsigned.rejected).Text, "trang ký số")
	require.Equal(t, cycle.EINVALID, stale.code(), "a CMS over the version of an earlier day")
	require.Contains(t, flow.AsCycleError(stale.err).Text, "ký lại")
	require.NotNil(t, after)
	require.Equal(t, cycle.D(2028, time.July, 10), after.Date, "prepared again, dated the day of signing")
	require.Equal(t, before.Code, after.Code, "the number stays")
	require.Len(t, prepared, 2)
	require.Empty(t, again.code())
	require.Len(t, completed, 1)
	require.Equal(t, after.Digest, completed[0].Pending.Digest)
	require.Empty(t, issued.code())
	d := issued.result.(cycle.Decision)
	require.Equal(t, before.Code, d.Code)
	require.Equal(t, cycle.D(2028, time.July, 10), d.Date, "dated the day the head signed")
	require.Len(t, d.Communes, len(x.list))
	require.Equal(t, 1, sealed, "the clerk's issue only seals the head-signed decision")
}
