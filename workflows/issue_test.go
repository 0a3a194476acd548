package workflows_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/issuing"
	"chuyenhoa/workflows/selection"
)

// The clerk's issue (new cycles): the pipeline's steps once each (number,
// render, sign, archive, plan), then one DeliverDocument per planned
// recipient; a delivery failing for good does not undo the issue, and a
// retried issue request changes nothing.
func TestIssueSignsAndDeliversToEveryRecipient(t *testing.T) {
	h := newHarness(t, vn(2026, time.December, 1, 9))
	var a *issuing.Activities
	targets := []cycle.DeliveryTarget{
		{Key: "tinh", Channel: cycle.ChannelSMTP, Address: "vt@tinh.test"},
		{Key: "v01", Channel: cycle.ChannelFile, Address: "/srv/v01"},
		{Key: "huyen", Channel: cycle.ChannelSMTP, Address: "ca@huyen.test"},
	}
	var issued atomic.Int32
	h.env.OnActivity(a.SignDocument, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in issuing.SignInput) (issuing.SignResult, error) {
			issued.Add(1)
			return issuing.SignResult{SHA256: in.SHA256, Signatures: 2, Signer: "CN=Trưởng ban", SealedBy: "CN=Ban Chỉ đạo"}, nil
		})
	h.env.OnActivity(a.PlanDeliveries, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in issuing.PlanInput) (issuing.Plan, error) {
			return issuing.Plan{Deliveries: targets, Undelivered: []string{"Lưu: VT, CAT."}}, nil
		})
	delivered := map[string]int{}
	h.env.OnActivity(a.DeliverDocument, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in issuing.DeliverInput) (issuing.DeliverResult, error) {
			delivered[in.Target.Key]++
			if in.Target.Key == "huyen" {
				return issuing.DeliverResult{}, temporal.NewNonRetryableApplicationError("outcome unknown", "document", nil)
			}
			return issuing.DeliverResult{Status: cycle.DeliverySent, Attempts: 1}, nil
		})
	var first, again *outcome
	h.at(vn(2026, time.December, 1, 10), func() { h.submitAll() })
	h.at(vn(2026, time.December, 2, 9), func() {
		h.update(selection.UpdateConsolidate, "c1", selection.ConsolidateRequest{Request: req(secretariat, "c1")})
	})
	h.at(vn(2026, time.December, 3, 9), func() {
		h.update(selection.UpdateAppraise, "a1", selection.AppraiseRequest{Request: req(chair, "a1"), Appraisal: cycle.Appraisal{Approved: true}})
	})
	h.at(vn(2027, time.January, 5, 9), func() { h.update(selection.UpdateSign, "s1", selection.SignRequest{Request: req(signer, "s1")}) })
	h.at(vn(2027, time.January, 6, 9), func() {
		first = h.update(selection.UpdateIssue, "i1", selection.IssueRequest{Request: req(clerk, "i1")})
		// The clerk's client retries while the first is running.
		again = h.update(selection.UpdateIssue, "i1", selection.IssueRequest{Request: req(clerk, "i1")})
	})
	d := h.run()
	st := h.state()

	require.Empty(t, first.code())
	require.Contains(t, []string{"", cycle.ECONFLICT}, again.code())
	require.Equal(t, "1/QĐ-BCĐ", d.Code)
	require.Equal(t, d, first.result.(cycle.Decision))
	require.EqualValues(t, 1, issued.Load(), "the decision is signed once for one request")
	require.Equal(t, map[string]int{"tinh": 1, "v01": 1, "huyen": 1}, delivered)
	var summary, distribution string
	for _, e := range st.Events {
		switch {
		case strings.Contains(e.Summary, "issued"):
			summary = e.Summary
		case strings.Contains(e.Summary, "delivered to"):
			distribution = e.Summary
		}
	}
	require.Contains(t, summary, "signed and sealed (2 signatures)")
	// Distribution runs after the clerk's request returned; the cycle ends when it has settled.
	require.Equal(t, "decision 1/QĐ-BCĐ: delivered to 2 of 3 recipients (not delivered: huyen)", distribution)
}

// A mail server down for most of a day: the delivery keeps trying (far
// more than the old 8 attempts), backing off to one attempt every 10
// minutes, and goes out once the server is back; the cycle completes only
// after it has. A server that never comes back fails for good after
// DeliveryWindow.
func TestDeliveryQueuesWhileServerIsDown(t *testing.T) {
	for _, tc := range []struct {
		name     string
		downFor  time.Duration // from the issue
		want     string
		minTries int
	}{
		{"back after 20 hours", 20 * time.Hour, "decision 1/QĐ-BCĐ: delivered to 1 of 1 recipients", 100},
		{"never back", 100 * 24 * time.Hour, "decision 1/QĐ-BCĐ: delivered to 0 of 1 recipients (not delivered: tinh)", 1000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, vn(2026, time.December, 1, 9))
			var a *issuing.Activities
			issuedAt := vn(2027, time.January, 6, 9)
			h.env.OnActivity(a.PlanDeliveries, mock.Anything, mock.Anything).Return(
				func(_ context.Context, in issuing.PlanInput) (issuing.Plan, error) {
					return issuing.Plan{Deliveries: []cycle.DeliveryTarget{{Key: "tinh", Channel: cycle.ChannelSMTP, Address: "vt@tinh.test"}}}, nil
				})
			var tries int
			var sentAt time.Time
			h.env.OnActivity(a.DeliverDocument, mock.Anything, mock.Anything).Return(
				func(_ context.Context, in issuing.DeliverInput) (issuing.DeliverResult, error) {
					tries++
					if h.env.Now().Before(issuedAt.Add(tc.downFor)) {
						return issuing.DeliverResult{Status: cycle.DeliveryFailed}, temporal.NewApplicationError("dial tcp 10.0.0.25:25: connect: connection refused", "smtp")
					}
					sentAt = h.env.Now()
					return issuing.DeliverResult{Status: cycle.DeliverySent, Attempts: tries}, nil
				})
			h.at(vn(2026, time.December, 1, 10), func() { h.submitAll() })
			h.at(vn(2026, time.December, 2, 9), func() {
				h.update(selection.UpdateConsolidate, "c1", selection.ConsolidateRequest{Request: req(secretariat, "c1")})
			})
			h.at(vn(2026, time.December, 3, 9), func() {
				h.update(selection.UpdateAppraise, "a1", selection.AppraiseRequest{Request: req(chair, "a1"), Appraisal: cycle.Appraisal{Approved: true}})
			})
			h.at(vn(2027, time.January, 5, 9), func() { h.update(selection.UpdateSign, "s1", selection.SignRequest{Request: req(signer, "s1")}) })
			h.at(issuedAt, func() { h.update(selection.UpdateIssue, "i1", selection.IssueRequest{Request: req(clerk, "i1")}) })
			h.run()
			var distribution string
			for _, e := range h.state().Events {
				if strings.Contains(e.Summary, "delivered to") {
					distribution = e.Summary
				}
			}
			require.Equal(t, tc.want, distribution)
			require.GreaterOrEqual(t, tries, tc.minTries, "attempts while the server was down")
			if sentAt.IsZero() {
				return
			}
			// Sent within one backoff interval (10 minutes) of the server's return.
			back := issuedAt.Add(tc.downFor)
			require.False(t, sentAt.Before(back))
			require.LessOrEqual(t, sentAt.Sub(back), 10*time.Minute+time.Minute, "sent at %s, server back at %s", sentAt, back)
		})
	}
}

// An issuer whose founding act is not configured cannot issue: the
// clerk's request is refused before the decision is numbered, with what
// is missing in Vietnamese, and the issue task stays open.
func TestIssueRefusedWithoutRequiredGrounds(t *testing.T) {
	h := newHarness(t, vn(2026, time.December, 1, 9))
	_, is, err := h.store.Province(context.Background(), h.prov.Code)
	require.NoError(t, err)
	is.Founding = nil
	require.NoError(t, h.store.SaveProvince(context.Background(), h.prov, is))
	var refused *outcome
	h.at(vn(2026, time.December, 1, 10), func() { h.submitAll() })
	h.at(vn(2026, time.December, 2, 9), func() {
		h.update(selection.UpdateConsolidate, "c1", selection.ConsolidateRequest{Request: req(secretariat, "c1")})
	})
	h.at(vn(2026, time.December, 3, 9), func() {
		h.update(selection.UpdateAppraise, "a1", selection.AppraiseRequest{Request: req(chair, "a1"), Appraisal: cycle.Appraisal{Approved: true}})
	})
	h.at(vn(2027, time.January, 5, 9), func() { h.update(selection.UpdateSign, "s1", selection.SignRequest{Request: req(signer, "s1")}) })
	h.at(vn(2027, time.January, 6, 9), func() {
		refused = h.update(selection.UpdateIssue, "i1", selection.IssueRequest{Request: req(clerk, "i1")})
	})
	h.at(vn(2027, time.January, 6, 10), func() { h.env.CancelWorkflow() })
	h.env.ExecuteWorkflow(selection.YearlyCycle, h.input)

	require.Equal(t, cycle.EINVALID, refused.code())
	ce := flow.AsCycleError(refused.rejected)
	require.NotNil(t, ce, "refused by the validator, before anything is recorded")
	require.Contains(t, ce.In(cycle.Vietnamese), "Không cấp số")
	require.Len(t, ce.Problems, 1)
	require.Equal(t, "grounds.founding", ce.Problems[0].Rule)
	require.Contains(t, ce.Problems[0].Text, "quyết định thành lập")
	decs, err := h.store.Decisions(context.Background(), h.cycleID())
	require.NoError(t, err)
	require.Empty(t, decs, "no decision recorded")
	n, err := h.store.AssignNumber(context.Background(), cycle.Decision{ID: "probe", BodyKey: is.BodyKey, Year: 2027})
	require.NoError(t, err)
	require.Equal(t, 1, n, "the register gave no number to the refused decision")
}
