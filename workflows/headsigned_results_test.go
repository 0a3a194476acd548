package workflows_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/testsuite"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/awards"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/issuing"
	"chuyenhoa/workflows/selection"
	"chuyenhoa/workflows/transformation"
)

// badCMS is a CMS the mocked verification refuses (an untrusted root).
var badCMS = []byte("a CMS from an untrusted root")

// mockHeadSignatureRefusing is mockHeadSignature whose verification
// refuses badCMS with a Vietnamese message, as signing.HeadSignature
// refuses a certificate it does not trust.
func mockHeadSignatureRefusing(env *testsuite.TestWorkflowEnvironment, prepared *[]issuing.PrepareInput, completed *[]issuing.CompleteInput) {
	var a *issuing.Activities
	env.OnActivity(a.PrepareHeadSignature, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in issuing.PrepareInput) (issuing.PendingSignature, error) {
			*prepared = append(*prepared, in)
			digest := sha256.Sum256([]byte(in.Rendered.SHA256 + in.At.String()))
			return issuing.PendingSignature{DocumentID: in.DocumentID, Number: in.Number, Code: in.Code, Issuer: in.Issuer, Rendered: in.Rendered,
				SHA256: in.Rendered.SHA256, Digest: digest[:], Time: in.At, Reason: "Ký ban hành " + in.Code}, nil
		})
	env.OnActivity(a.CompleteHeadSignature, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in issuing.CompleteInput) (issuing.HeadSigned, error) {
			*completed = append(*completed, in)
			if bytes.Equal(in.CMS, badCMS) {
				return issuing.HeadSigned{}, flow.AppError(&cycle.Error{Code: cycle.EINVALID, Message: "the signer's certificate is not issued by a trusted CA",
					Text: "Chứng thư số của người ký không do tổ chức cung cấp dịch vụ chứng thực chữ ký số tin cậy cấp"})
			}
			return issuing.HeadSigned{Pending: in.Pending, SHA256: in.Pending.SHA256, Signer: "CN=Trần Văn Minh", SignerName: "Trần Văn Minh", At: in.Pending.Time}, nil
		})
}

// The year's results — here a continuation notice and the summary, under
// one sign task of the head — are signed with the head's own certificate
// when the worker has the head sign elsewhere (issue 17): every document
// is prepared when the task opens; a completion without signatures, with
// one signature for two documents, or with one signature refused is
// refused whole, nothing signed and the task open; one verified CMS per
// document completes it, and the clerk's issue only seals each, dated the
// day the head signed.
func TestYearResultsSignedWithTheHeadsOwnCertificate(t *testing.T) {
	x := newTxHarness(t)
	var a *issuing.Activities
	// The approval decision of January is signed the ordinary way; the
	// results of the year are not.
	modes := 0
	x.env.OnActivity(a.HeadSigningMode, mock.Anything).Return(func(context.Context) (issuing.HeadMode, error) {
		modes++
		return issuing.HeadMode{External: modes > 1}, nil
	})
	var prepared []issuing.PrepareInput
	var completed []issuing.CompleteInput
	mockHeadSignatureRefusing(x.env, &prepared, &completed)
	var sealed []string
	x.env.OnActivity(a.SealDocument, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in issuing.SignInput) (issuing.SignResult, error) {
			sealed = append(sealed, in.SHA256)
			return issuing.SignResult{SHA256: in.SHA256, Signatures: 2, SealedBy: "CN=Ban Chỉ đạo"}, nil
		})
	failing := x.list[0]
	x.at(vn(2027, time.June, 15, 9), func() {
		for _, c := range x.list {
			x.report(c, cycle.ReportHalfYear, "h-"+c.Commune, true)
		}
	})
	x.at(vn(2027, time.December, 15, 9), func() {
		for _, c := range x.list {
			x.report(c, cycle.ReportYearly, "y-"+c.Commune, c.Commune != failing.Commune)
		}
	})
	x.at(vn(2028, time.January, 2, 9), func() {
		x.update(transformation.UpdateAppraiseResults, "ar", transformation.AppraiseResultsRequest{Request: req(chair, "ar"), Year: 2027})
	})
	good := []byte("the head's CMS")
	sign := func(rid string, cms ...[]byte) *outcome {
		r := yearReq(signer, rid, 2027)
		r.CMSList = cms
		return x.update(transformation.UpdateSignResults, rid, r)
	}
	var pending []issuing.PendingSignature
	var unsigned, short, refused, signed *outcome
	var afterRefusal *transformation.ProgrammeYear
	year := func() *transformation.ProgrammeYear {
		for _, y := range x.state().Transformation.Years {
			if y.Year == 2027 {
				return y
			}
		}
		return nil
	}
	x.at(vn(2028, time.January, 2, 10), func() {
		pending = year().Head
		unsigned = sign("sr0")
	})
	x.at(vn(2028, time.January, 2, 11), func() { short = sign("sr1", good) })
	x.at(vn(2028, time.January, 2, 12), func() { refused = sign("sr2", good, badCMS) })
	x.at(vn(2028, time.January, 2, 13), func() {
		afterRefusal = year()
		signed = sign("sr3", good, good)
	})
	var issued *outcome
	x.at(vn(2028, time.January, 3, 9), func() {
		issued = x.update(transformation.UpdateIssueResults, "ir", yearReq(clerk, "ir", 2027))
	})
	// The failed commune's second year runs on: the test ends here.
	x.at(vn(2028, time.January, 5, 9), func() { x.env.CancelWorkflow() })
	x.env.ExecuteWorkflow(selection.YearlyCycle, x.input)
	require.True(t, x.env.IsWorkflowCompleted())

	require.Len(t, pending, 2, "the continuation notice and the summary, prepared when the head's task opened")
	require.Equal(t, cycle.D(2028, time.January, 2), pending[0].Date)
	require.NotEqual(t, pending[0].Code, pending[1].Code)
	require.Len(t, prepared, 2)
	require.Equal(t, cycle.EINVALID, unsigned.code(), "a completion without the head's signatures")
	require.Contains(t, flow.AsCycleError(unsigned.rejected).Text, "trang ký số")
	require.Equal(t, cycle.EINVALID, short.code(), "one signature for two documents")
	require.Contains(t, flow.AsCycleError(short.err).Text, "2 văn bản")
	require.Equal(t, cycle.EINVALID, refused.code(), "the second signature refused")
	ce := flow.AsCycleError(refused.err)
	require.Contains(t, ce.Text, pending[1].Code)
	require.Contains(t, ce.Text, "chưa văn bản nào")
	require.Contains(t, ce.Text, "tin cậy")
	require.NotNil(t, afterRefusal)
	require.Nil(t, afterRefusal.HeadSigned, "nothing half-applied")
	require.False(t, afterRefusal.Signed, "the task stays open")
	require.Empty(t, signed.code())
	require.Len(t, completed, 4, "two of the refused attempt, two of the accepted one")
	require.Equal(t, pending[0].Digest, completed[2].Pending.Digest)
	require.Equal(t, pending[1].Digest, completed[3].Pending.Digest)

	require.Empty(t, issued.code())
	docs := issued.result.([]cycle.Decision)
	require.Len(t, docs, 2)
	for i, d := range docs {
		require.Equal(t, pending[i].Code, d.Code, "the number taken at the preparation")
		require.Equal(t, cycle.D(2028, time.January, 2), d.Date, "dated the day the head signed")
	}
	require.Equal(t, []string{pending[0].SHA256, pending[1].SHA256}, sealed, "the clerk's issue only seals what the head signed")
}

// The award decision is signed with the grantor's own certificate when
// the worker has the head sign elsewhere: prepared when the sign task
// opens, a completion without the CMS refused, the CMS embedded and
// verified, the clerk's issue only sealing it.
func TestAwardDecisionSignedWithTheGrantorsOwnCertificate(t *testing.T) {
	h := newAwardHarness(t, "tay-ninh", "001", 2019, vn(2019, time.November, 1, 9), cycle.Date{})
	var a *issuing.Activities
	h.env.OnActivity(a.HeadSigningMode, mock.Anything).Return(issuing.HeadMode{External: true}, nil)
	var prepared []issuing.PrepareInput
	var completed []issuing.CompleteInput
	mockHeadSignatureRefusing(h.env, &prepared, &completed)
	sealed := 0
	h.env.OnActivity(a.SealDocument, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in issuing.SignInput) (issuing.SignResult, error) {
			sealed++
			return issuing.SignResult{SHA256: in.SHA256, Signatures: 2, SealedBy: "CN=Công an tỉnh"}, nil
		})
	u := h.input.Units[0].Code
	h.at(vn(2019, time.November, 2, 9), func() {
		n1, n2 := coll("Công an phường 3"), indiv("Lê Văn C", false)
		n1.Area, n1.Dossier, n2.Area, n2.Dossier = "25459", nil, "25462", nil
		h.nominate(u, "n", n1, n2)
	})
	h.at(vn(2019, time.November, 5, 9), func() { h.update(awards.UpdateCloseNominations, "close", req(secretariat, "close")) })
	h.at(vn(2019, time.November, 6, 9), func() {
		h.update(awards.UpdateReviewAwards, "r", awards.ReviewAwardsRequest{Request: req(chair, "r"),
			Review: cycle.AwardReview{Accepted: []string{u + "/1", u + "/2"}, Minutes: "Biên bản"}})
	})
	var st awards.AwardRoundState
	var unsigned, refused, signed, issue *outcome
	h.at(vn(2019, time.November, 6, 10), func() {
		st = h.state()
		unsigned = h.update(awards.UpdateSignAwards, "s0", awards.SignAwardsRequest{Request: req(signer, "s0")})
	})
	h.at(vn(2019, time.November, 6, 11), func() {
		refused = h.update(awards.UpdateSignAwards, "s1", awards.SignAwardsRequest{Request: req(signer, "s1"), CMS: badCMS})
	})
	h.at(vn(2019, time.November, 6, 12), func() {
		signed = h.update(awards.UpdateSignAwards, "s2", awards.SignAwardsRequest{Request: req(signer, "s2"), CMS: []byte("the grantor's CMS")})
	})
	h.at(vn(2019, time.November, 7, 9), func() { issue = h.update(awards.UpdateIssueAwards, "i", req(clerk, "i")) })
	h.env.ExecuteWorkflow(awards.AwardRound, h.input)
	require.True(t, h.env.IsWorkflowCompleted())
	require.NoError(t, h.env.GetWorkflowError())

	require.NotNil(t, st.HeadSignature, "prepared when the grantor's task opened")
	require.Equal(t, cycle.D(2019, time.November, 6), st.HeadSignature.Date)
	require.Equal(t, h.input.Issuer.SignerName, st.HeadSignature.Issuer.SignerName)
	require.Len(t, prepared, 1)
	require.Equal(t, cycle.EINVALID, unsigned.code())
	require.Contains(t, flow.AsCycleError(unsigned.rejected).Text, "trang ký số")
	require.Equal(t, cycle.EINVALID, refused.code(), "a certificate the verification refuses")
	require.Contains(t, flow.AsCycleError(refused.err).Text, "tin cậy")
	require.Empty(t, signed.code())
	require.Len(t, completed, 2)
	require.Empty(t, issue.code())
	d := issue.result.(cycle.Decision)
	require.Equal(t, st.HeadSignature.Code, d.Code)
	require.Equal(t, cycle.D(2019, time.November, 6), d.Date, "dated the day the grantor signed")
	require.Equal(t, 1, sealed, "the clerk's issue only seals the signed decision")
}
