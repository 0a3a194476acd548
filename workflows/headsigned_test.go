package workflows_test

import (
	"context"
	"crypto/sha256"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/testsuite"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/issuing"
	"chuyenhoa/workflows/selection"
)

// The head signs the approval decision with their own certificate on a
// later day than it was prepared: the CMS, over the version dated the
// preparation's day, is refused with a Vietnamese message asking to sign
// again, the decision is prepared again (same number) dated the day of
// signing, and the signature over that version completes the task; the
// issued decision is dated the day the head signed it.
func TestHeadSignedDecisionIsDatedTheDayItIsSigned(t *testing.T) {
	h := newHarness(t, vn(2026, time.December, 1, 9))
	var a *issuing.Activities
	var prepared []issuing.PrepareInput
	var completed []issuing.CompleteInput
	externalHead(h.env, &prepared, &completed)
	// The number is taken once, in one register: PostgreSQL refuses the
	// same document in another year's register (memstore does not).
	registers := map[int]bool{}
	h.env.OnActivity(a.NumberDocument, mock.Anything, mock.Anything).Return(
		func(ctx context.Context, in issuing.NumberInput) (issuing.Numbered, error) {
			registers[in.Decision.Year] = true
			return (&issuing.Activities{Store: h.store}).NumberDocument(ctx, in)
		})
	cms := []byte("the head's CMS")
	var stale, again *outcome
	var pendingBefore, pendingAfter *issuing.PendingSignature
	h.at(vn(2026, time.December, 1, 10), func() { h.submitAll() })
	h.at(vn(2026, time.December, 2, 9), func() {
		h.update(selection.UpdateConsolidate, "c1", selection.ConsolidateRequest{Request: req(secretariat, "c1")})
	})
	h.at(vn(2026, time.December, 3, 9), func() {
		h.update(selection.UpdateAppraise, "a1", selection.AppraiseRequest{Request: req(chair, "a1"), Appraisal: cycle.Appraisal{Approved: true}})
	})
	// Prepared on 3 December, signed on 5 January.
	h.at(vn(2027, time.January, 5, 9), func() {
		pendingBefore = h.state().HeadSignature
		stale = h.update(selection.UpdateSign, "s1", selection.SignRequest{Request: req(signer, "s1"), CMS: cms})
	})
	h.at(vn(2027, time.January, 5, 10), func() {
		pendingAfter = h.state().HeadSignature
		again = h.update(selection.UpdateSign, "s2", selection.SignRequest{Request: req(signer, "s2"), CMS: cms})
	})
	h.at(vn(2027, time.January, 6, 9), func() {
		h.update(selection.UpdateIssue, "i1", selection.IssueRequest{Request: req(clerk, "i1")})
	})
	d := h.run()

	require.NotNil(t, pendingBefore)
	require.Equal(t, cycle.D(2026, time.December, 3), pendingBefore.Date)
	require.Equal(t, cycle.EINVALID, stale.code(), "a CMS over the version of an earlier day")
	ce := flow.AsCycleError(stale.err)
	require.NotNil(t, ce)
	require.Contains(t, ce.Text, "03/12/2026")
	require.Contains(t, ce.Text, "05/01/2027")
	require.Contains(t, ce.Text, "ký lại")
	require.NotNil(t, pendingAfter)
	require.Equal(t, cycle.D(2027, time.January, 5), pendingAfter.Date, "prepared again, dated the day of signing")
	require.Equal(t, pendingBefore.Code, pendingAfter.Code, "the number stays")
	require.NotEqual(t, pendingBefore.Digest, pendingAfter.Digest)
	require.Len(t, prepared, 2)
	require.Empty(t, again.code())
	require.Len(t, completed, 1, "only the signature over the day's version is embedded")
	require.Equal(t, pendingAfter.Digest, completed[0].Pending.Digest)
	require.Equal(t, cycle.D(2027, time.January, 5), d.Date, "the issued decision is dated the day the head signed it")
	require.Equal(t, map[int]bool{2026: true}, registers, "prepared in 2026, signed in 2027: the number stays in 2026's register")
}

// externalHead has the worker's head sign elsewhere: the head's signature
// as mockHeadSignature stands in for it, the clerk's seal over it.
func externalHead(env *testsuite.TestWorkflowEnvironment, prepared *[]issuing.PrepareInput, completed *[]issuing.CompleteInput) {
	var a *issuing.Activities
	env.OnActivity(a.HeadSigningMode, mock.Anything).Return(issuing.HeadMode{External: true}, nil)
	mockHeadSignature(env, prepared, completed)
	env.OnActivity(a.SealDocument, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in issuing.SignInput) (issuing.SignResult, error) {
			return issuing.SignResult{SHA256: in.SHA256, Signatures: 2, SealedBy: "CN=Ban Chỉ đạo"}, nil
		})
}

// mockHeadSignature stands in for the preparation of a document for the
// head's own signature and the embedding of the head's CMS, keeping what
// each was asked.
func mockHeadSignature(env *testsuite.TestWorkflowEnvironment, prepared *[]issuing.PrepareInput, completed *[]issuing.CompleteInput) {
	var a *issuing.Activities
	env.OnActivity(a.PrepareHeadSignature, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in issuing.PrepareInput) (issuing.PendingSignature, error) {
			*prepared = append(*prepared, in)
			digest := sha256.Sum256([]byte(in.Rendered.SHA256 + in.At.String())) // the prepared PDF's /M changes it
			return issuing.PendingSignature{DocumentID: in.DocumentID, Number: in.Number, Code: in.Code, Issuer: in.Issuer, Rendered: in.Rendered,
				SHA256: in.Rendered.SHA256, Digest: digest[:], Time: in.At, Reason: "Ký ban hành " + in.Code}, nil
		})
	env.OnActivity(a.CompleteHeadSignature, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in issuing.CompleteInput) (issuing.HeadSigned, error) {
			*completed = append(*completed, in)
			return issuing.HeadSigned{Pending: in.Pending, SHA256: in.Pending.SHA256, Signer: "CN=Trần Văn Minh", SignerName: "Trần Văn Minh", At: in.Pending.Time}, nil
		})
}

// A deputy signing under a delegation signs a document whose signature
// block names the deputy (Decree 30/2020: "KT. TRƯỞNG BAN" over the
// deputy's own title and name): the decision was prepared in the head's
// name when the task opened, so the deputy's first CMS is refused with a
// Vietnamese message naming the block, the decision is prepared again in
// the deputy's name (same number), and the deputy's signature over that
// version completes the task.
func TestDeputySignsADocumentThatNamesTheDeputy(t *testing.T) {
	h := newHarness(t, vn(2026, time.December, 1, 9))
	var prepared []issuing.PrepareInput
	var completed []issuing.CompleteInput
	externalHead(h.env, &prepared, &completed)
	deputy := cycle.Actor{ID: "photruongban", Name: "Lê Văn Phó", Role: cycle.RoleSigner, Title: "PHÓ TRƯỞNG BAN", OnBehalfOf: "truongban", HeadTitle: "TRƯỞNG BAN"}
	cms := []byte("the deputy's CMS")
	var first, second *outcome
	var before, after *issuing.PendingSignature
	h.at(vn(2026, time.December, 1, 10), func() { h.submitAll() })
	h.at(vn(2026, time.December, 2, 9), func() {
		h.update(selection.UpdateConsolidate, "c1", selection.ConsolidateRequest{Request: req(secretariat, "c1")})
	})
	h.at(vn(2026, time.December, 3, 9), func() {
		h.update(selection.UpdateAppraise, "a1", selection.AppraiseRequest{Request: req(chair, "a1"), Appraisal: cycle.Appraisal{Approved: true}})
	})
	preparing := true
	h.at(vn(2026, time.December, 3, 10), func() {
		st := h.state()
		before, preparing = st.HeadSignature, st.PreparingSignature
		first = h.update(selection.UpdateSign, "s1", selection.SignRequest{Request: req(deputy, "s1"), CMS: cms})
	})
	h.at(vn(2026, time.December, 3, 11), func() {
		after = h.state().HeadSignature
		second = h.update(selection.UpdateSign, "s2", selection.SignRequest{Request: req(deputy, "s2"), CMS: cms})
	})
	h.at(vn(2026, time.December, 4, 9), func() {
		h.update(selection.UpdateIssue, "i1", selection.IssueRequest{Request: req(clerk, "i1")})
	})
	d := h.run()

	require.NotNil(t, before)
	require.Equal(t, cycle.Actor{}, before.Signer, "prepared in the name of the issuer's configured head")
	require.False(t, preparing, "once prepared, a signature request does not wait")
	require.Equal(t, cycle.EINVALID, first.code(), "a deputy's CMS over a document that names the head")
	ce := flow.AsCycleError(first.err)
	require.NotNil(t, ce)
	require.Contains(t, ce.Text, "KT. TRƯỞNG BAN / PHÓ TRƯỞNG BAN / Lê Văn Phó")
	require.Contains(t, ce.Text, "ký lại")
	require.NotNil(t, after)
	require.Equal(t, deputy, after.Signer, "prepared again in the deputy's name")
	require.Equal(t, before.Code, after.Code, "the number stays")
	require.Len(t, prepared, 2)
	require.Empty(t, second.code())
	require.Len(t, completed, 1, "only the signature over the deputy's version is embedded")
	require.Equal(t, after.Digest, completed[0].Pending.Digest)
	require.Equal(t, deputy.ID, d.SignedBy.ID)
}

// The signing page opened by a deputy has the decision prepared in the
// deputy's name first (a prepare-only request, which never completes the
// task), so that the deputy signs once.
func TestDeputyHasTheDecisionPreparedBeforeSigning(t *testing.T) {
	h := newHarness(t, vn(2026, time.December, 1, 9))
	var prepared []issuing.PrepareInput
	var completed []issuing.CompleteInput
	externalHead(h.env, &prepared, &completed)
	deputy := cycle.Actor{ID: "photruongban", Name: "Lê Văn Phó", Role: cycle.RoleSigner, Title: "PHÓ TRƯỞNG BAN", OnBehalfOf: "truongban", HeadTitle: "TRƯỞNG BAN"}
	var prep, again, stale, signed *outcome
	var after, fresh *issuing.PendingSignature
	var stillOpen bool
	h.at(vn(2026, time.December, 1, 10), func() { h.submitAll() })
	h.at(vn(2026, time.December, 2, 9), func() {
		h.update(selection.UpdateConsolidate, "c1", selection.ConsolidateRequest{Request: req(secretariat, "c1")})
	})
	h.at(vn(2026, time.December, 3, 9), func() {
		h.update(selection.UpdateAppraise, "a1", selection.AppraiseRequest{Request: req(chair, "a1"), Appraisal: cycle.Appraisal{Approved: true}})
	})
	h.at(vn(2026, time.December, 3, 10), func() {
		prep = h.update(selection.UpdateSign, "p1", selection.SignRequest{Request: req(deputy, "p1"), PrepareOnly: true})
	})
	h.at(vn(2026, time.December, 3, 10).Add(3*time.Minute), func() {
		st := h.state()
		after, stillOpen = st.HeadSignature, st.HeadSigned == nil
		again = h.update(selection.UpdateSign, "p2", selection.SignRequest{Request: req(deputy, "p2"), PrepareOnly: true})
	})
	// An hour later the page is opened again: the version of 10:00 would
	// claim (/M) a signing time an hour before the signature.
	h.at(vn(2026, time.December, 3, 11), func() {
		stale = h.update(selection.UpdateSign, "p3", selection.SignRequest{Request: req(deputy, "p3"), PrepareOnly: true})
	})
	h.at(vn(2026, time.December, 3, 11).Add(2*time.Minute), func() {
		fresh = h.state().HeadSignature
		signed = h.update(selection.UpdateSign, "s1", selection.SignRequest{Request: req(deputy, "s1"), CMS: []byte("the deputy's CMS")})
	})
	h.at(vn(2026, time.December, 4, 9), func() {
		h.update(selection.UpdateIssue, "i1", selection.IssueRequest{Request: req(clerk, "i1")})
	})
	d := h.run()

	require.Equal(t, cycle.ECONFLICT, prep.code(), "a prepare-only request never completes the task")
	require.True(t, stillOpen)
	require.NotNil(t, after)
	require.Equal(t, deputy, after.Signer, "prepared in the deputy's name")
	require.Equal(t, cycle.ECONFLICT, again.code())
	require.Len(t, prepared, 3, "prepared again once in the deputy's name (the request 3 minutes later finds the deputy named already), then once an hour later")
	require.Equal(t, cycle.ECONFLICT, stale.code())
	require.Equal(t, vn(2026, time.December, 3, 11), prepared[2].At.In(vn(2026, time.December, 3, 11).Location()), "prepared again with the time of the request")
	require.NotNil(t, fresh)
	require.Equal(t, deputy, fresh.Signer, "still in the deputy's name")
	require.Equal(t, after.Code, fresh.Code, "the number stays")
	require.Empty(t, signed.code(), "the deputy signs once")
	require.Len(t, completed, 1)
	require.Equal(t, fresh.Digest, completed[0].Pending.Digest)
	require.Equal(t, deputy.ID, d.SignedBy.ID)
}

// The sign task opens before the draft is rendered and the decision
// prepared for the head: a signature sent in that window, with or without
// a CMS, is refused as "being prepared" (and taken once it is prepared),
// never accepted without the head's own signature.
func TestSignatureBeforeTheDecisionIsPreparedIsRefused(t *testing.T) {
	h := newHarness(t, vn(2026, time.December, 1, 9))
	var a *issuing.Activities
	var prepared []issuing.PrepareInput
	var completed []issuing.CompleteInput
	externalHead(h.env, &prepared, &completed)
	// The draft takes an hour to render: the sign task is open meanwhile.
	h.env.OnActivity(a.RenderDraft, mock.Anything, mock.Anything).After(time.Hour).Return("draft-sha", nil)
	var early, late *outcome
	var openEarly bool
	h.at(vn(2026, time.December, 1, 10), func() { h.submitAll() })
	h.at(vn(2026, time.December, 2, 9), func() {
		h.update(selection.UpdateConsolidate, "c1", selection.ConsolidateRequest{Request: req(secretariat, "c1")})
	})
	h.at(vn(2026, time.December, 3, 9), func() {
		h.update(selection.UpdateAppraise, "a1", selection.AppraiseRequest{Request: req(chair, "a1"), Appraisal: cycle.Appraisal{Approved: true}})
	})
	h.at(vn(2026, time.December, 3, 9).Add(30*time.Minute), func() {
		st := h.state()
		for _, task := range st.OpenTasks {
			openEarly = openEarly || task.Kind == cycle.TaskSign
		}
		early = h.update(selection.UpdateSign, "s0", selection.SignRequest{Request: req(signer, "s0")})
	})
	h.at(vn(2026, time.December, 3, 12), func() {
		late = h.update(selection.UpdateSign, "s1", selection.SignRequest{Request: req(signer, "s1"), CMS: []byte("the head's CMS")})
	})
	h.at(vn(2026, time.December, 4, 9), func() {
		h.update(selection.UpdateIssue, "i1", selection.IssueRequest{Request: req(clerk, "i1")})
	})
	h.run()
	require.True(t, openEarly, "the sign task is open while the draft renders")
	require.Equal(t, cycle.ECONFLICT, early.code(), "refused while the decision is being prepared")
	require.NotNil(t, early.rejected, "refused by the validator: nothing in the history")
	require.Empty(t, late.code())
	require.Len(t, completed, 1, "the head's own signature was embedded")
}
