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

	"chuyenhoa/activities"
	"chuyenhoa/cycle"
	"chuyenhoa/delivery"
	"chuyenhoa/workflows"
)

// The clerk's issue (new cycles): IssueDocument once, then one
// DeliverDocument per planned recipient; a delivery failing for good does
// not undo the issue, and a retried issue request changes nothing.
func TestIssueSignsAndDeliversToEveryRecipient(t *testing.T) {
	h := newHarness(t, vn(2026, time.December, 1, 9))
	var a *activities.Activities
	targets := []delivery.Target{
		{Key: "tinh", Channel: delivery.SMTP, Address: "vt@tinh.test"},
		{Key: "v01", Channel: delivery.File, Address: "/srv/v01"},
		{Key: "huyen", Channel: delivery.SMTP, Address: "ca@huyen.test"},
	}
	var issued atomic.Int32
	h.env.OnActivity(a.IssueDocument, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.IssueInput) (activities.IssuedDocument, error) {
			issued.Add(1)
			d := cycle.Decision{ID: in.DecisionID, CycleID: in.CycleID, Kind: "approval", BodyKey: in.Document.Issuer.BodyKey, Year: in.Document.Date.Year,
				Number: 1, Code: "1/" + in.Document.Issuer.NumberSuffix, Date: in.Document.Date, SignedBy: in.SignedBy, IssuedBy: in.IssuedBy,
				IssuedAt: in.At, Communes: in.Document.Communes, SHA256: strings.Repeat("ab", 32)}
			return activities.IssuedDocument{Decision: d, Signatures: 2, Subject: "Về việc phê duyệt", Deliveries: targets, Undelivered: []string{"Lưu: VT, CAT."}}, nil
		})
	delivered := map[string]int{}
	h.env.OnActivity(a.DeliverDocument, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.DeliverInput) (activities.DeliverResult, error) {
			delivered[in.Target.Key]++
			if in.Target.Key == "huyen" {
				return activities.DeliverResult{}, temporal.NewNonRetryableApplicationError("outcome unknown", "document", nil)
			}
			return activities.DeliverResult{Status: delivery.Sent, Attempts: 1}, nil
		})
	var first, again *outcome
	h.at(vn(2026, time.December, 1, 10), func() { h.submitAll() })
	h.at(vn(2026, time.December, 2, 9), func() {
		h.update(workflows.UpdateConsolidate, "c1", workflows.ConsolidateRequest{Request: req(secretariat, "c1")})
	})
	h.at(vn(2026, time.December, 3, 9), func() {
		h.update(workflows.UpdateAppraise, "a1", workflows.AppraiseRequest{Request: req(chair, "a1"), Appraisal: cycle.Appraisal{Approved: true}})
	})
	h.at(vn(2027, time.January, 5, 9), func() { h.update(workflows.UpdateSign, "s1", workflows.SignRequest{Request: req(signer, "s1")}) })
	h.at(vn(2027, time.January, 6, 9), func() {
		first = h.update(workflows.UpdateIssue, "i1", workflows.IssueRequest{Request: req(clerk, "i1")})
		// The clerk's client retries while the first is running.
		again = h.update(workflows.UpdateIssue, "i1", workflows.IssueRequest{Request: req(clerk, "i1")})
	})
	d := h.run()
	st := h.state()

	require.Empty(t, first.code())
	require.Contains(t, []string{"", cycle.ECONFLICT}, again.code())
	require.Equal(t, "1/QĐ-BCĐ", d.Code)
	require.Equal(t, d, first.result.(cycle.Decision))
	require.EqualValues(t, 1, issued.Load(), "IssueDocument runs once for one request")
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
