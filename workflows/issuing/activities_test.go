package issuing_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"chuyenhoa/cycle"
	"chuyenhoa/delivery"
	"chuyenhoa/delivery/deliverytest"
	"chuyenhoa/internal/pgtest"
	"chuyenhoa/postgres"
	"chuyenhoa/render"
	"chuyenhoa/sample"
	"chuyenhoa/signing"
	"chuyenhoa/templates"
	"chuyenhoa/workflows/issuing"
)

// pipeline is the issue pipeline on a real store, renderer, keys, SMTP
// server (loopback) and drop directory.
type pipeline struct {
	acts  *issuing.Activities
	db    *postgres.DB
	smtp  *deliverytest.Server
	drop  string
	ca    string
	input issuing.LegacyApprovalInput
}

func newPipeline(t *testing.T) *pipeline {
	t.Helper()
	ctx := context.Background()
	db, err := postgres.Open(ctx, pgtest.CreateDatabase(t))
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	prov, is, err := sample.Province("quang-ngai")
	require.NoError(t, err)
	require.NoError(t, db.SaveProvince(ctx, prov, is))
	cycleID := "cycle/" + prov.Code + "/2027"
	require.NoError(t, db.OpenCycle(ctx, cycle.CycleInfo{ID: cycleID, Province: prov.Code, Year: 2027, Policy: cycle.DefaultPolicy(),
		StartedBy: cycle.Actor{ID: "cat", Role: cycle.RoleSecretariat}, StartedAt: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}))

	r, err := render.New("")
	require.NoError(t, err)
	pki, err := signing.EnsureDemoPKI(t.TempDir(), is.SignerName, is.CommitteeName)
	require.NoError(t, err)
	signer, err := signing.LoadPEM(pki.Signer, pki.Signer)
	require.NoError(t, err)
	body, err := signing.LoadPEM(pki.Body, pki.Body)
	require.NoError(t, err)

	set, err := templates.Load("")
	require.NoError(t, err)
	seal, err := signing.SampleSealImage(is.CommitteeName, set.Fonts().Bold)
	require.NoError(t, err)

	srv := deliverytest.Start(t)
	mailer, err := delivery.NewSMTP(delivery.SMTPConfig{Host: "127.0.0.1", Port: srv.Port(), From: "vanthu@bcd138.test", TLS: "none", Timeout: 5 * time.Second})
	require.NoError(t, err)
	drop := t.TempDir()
	dir := &delivery.Directory{Recipients: []delivery.DirectoryEntry{
		{Key: "thanh-vien", Name: "Thành viên BCĐ", Match: []string{"Như Điều 3"}, Channel: cycle.ChannelSMTP, Address: "thanhvien@bcd.test"},
		{Key: "tinh", Name: "UBND tỉnh", Match: []string{"Thường trực Tỉnh ủy"}, Channel: cycle.ChannelSMTP, Address: "vanthu@tinh.test"},
		{Key: "v01", Name: "Cục V01", Match: []string{"Bộ Công an (V01)"}, Channel: cycle.ChannelFile, Address: "v01"},
	}}
	require.NoError(t, dir.Validate())

	var list []cycle.DocumentCommune
	pol := cycle.DefaultPolicy()
	for i, c := range cycle.Select(prov, pol, sample.Proposals(prov, pol, 2027)).Selected() {
		list = append(list, cycle.DocumentCommune{ListedCommune: cycle.ListedCommune{Commune: c.Commune, Name: c.Name, District: c.District, DistrictName: c.DistrictName, Types: c.Types, Rank: i + 1}})
	}
	at := time.Date(2027, 1, 20, 9, 0, 0, 0, cycle.Vietnam)
	p := &pipeline{
		acts: &issuing.Activities{Store: db, Renderer: r, Domain: "test.invalid", Directory: dir,
			Signer:    &signing.Clerk{Signer: signer, Body: body, SignerImage: signing.SampleSignatureImage(is.SignerName), SealImage: seal},
			Deliverer: delivery.Router{cycle.ChannelSMTP: mailer, cycle.ChannelFile: delivery.FileDrop{Root: drop}}},
		db: db, smtp: srv, drop: drop, ca: pki.CA,
		input: issuing.LegacyApprovalInput{DecisionID: cycleID + "/approval", CycleID: cycleID, Province: prov.Code,
			Document: cycle.DocumentContent{Kind: cycle.DocApproval, Issuer: is, Date: cycle.DateOf(at), Year: 2027, ProvinceName: prov.Name, Communes: list, Signed: true, Synthetic: true},
			SignedBy: cycle.Actor{ID: "truongban", Role: cycle.RoleSigner}, IssuedBy: cycle.Actor{ID: "vanthu", Role: cycle.RoleClerk}, At: at},
	}
	return p
}

func (p *pipeline) env() *testsuite.TestActivityEnvironment {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestActivityEnvironment()
	env.RegisterActivity(p.acts)
	return env
}

func (p *pipeline) issue(t *testing.T) issuing.Issued {
	t.Helper()
	v, err := p.env().ExecuteActivity(p.acts.IssueDocument, p.input)
	require.NoError(t, err)
	var res issuing.Issued
	require.NoError(t, v.Get(&res))
	return res
}

func (p *pipeline) deliver(t *testing.T, res issuing.Issued, target cycle.DeliveryTarget) (issuing.DeliverResult, error) {
	t.Helper()
	in := issuing.DeliverInput{DocumentID: res.Decision.ID, Code: res.Decision.Code, Subject: res.Subject, Sender: "Ban Chỉ đạo 138", Target: target}
	v, err := p.env().ExecuteActivity(p.acts.DeliverDocument, in)
	var dr issuing.DeliverResult
	if err == nil {
		require.NoError(t, v.Get(&dr))
	}
	return dr, err
}

func TestIssueDocumentSignsArchivesAndPlans(t *testing.T) {
	p := newPipeline(t)
	ctx := context.Background()
	res := p.issue(t)
	d := res.Decision
	require.Equal(t, 1, d.Number)
	require.Equal(t, "1/QĐ-BCĐ", d.Code)
	require.Equal(t, 2, res.Signatures)
	require.Contains(t, res.Subject, "Về việc phê duyệt danh sách")

	a, pdf, err := p.db.ArchivedDocument(ctx, d.ID)
	require.NoError(t, err)
	require.Equal(t, d.SHA256, a.SHA256)
	require.Contains(t, a.Signer, "CN="+p.input.Document.Issuer.SignerName)
	require.Contains(t, a.SealedBy, p.input.Document.Issuer.CommitteeName)
	stored, err := p.db.DecisionPDF(ctx, d.ID)
	require.NoError(t, err)
	require.Equal(t, pdf, stored)

	roots, err := signing.LoadCAPool(p.ca)
	require.NoError(t, err)
	rep := signing.Verify(pdf, roots)
	require.True(t, rep.OK(), "%s", rep)
	require.Equal(t, "signer", rep.Signatures[0].Field)
	require.Equal(t, "seal", rep.Signatures[1].Field)
	if _, err := exec.LookPath("pdfsig"); err == nil {
		path := filepath.Join(t.TempDir(), "issued.pdf")
		require.NoError(t, os.WriteFile(path, pdf, 0o644))
		out, _ := exec.Command("pdfsig", "-nocert", path).CombinedOutput()
		require.Equal(t, 2, strings.Count(string(out), "Signature is Valid."), "%s", out)
	}

	var keys []string
	for _, tg := range res.Deliveries {
		keys = append(keys, tg.Key)
	}
	require.Equal(t, []string{"thanh-vien", "v01", "tinh"}, keys)
	require.Equal(t, []string{"Lưu: VT, CAT."}, res.Undelivered)

	// A retried issue (e.g. the worker died before reporting) gets the same
	// number and the same signed bytes, from the archive.
	again := p.issue(t)
	require.Equal(t, d, again.Decision)
	list, err := p.db.ArchivedDocuments(ctx, 2027)
	require.NoError(t, err)
	require.Len(t, list, 1)
	decisions, err := p.db.Decisions(ctx, p.input.CycleID)
	require.NoError(t, err)
	require.Len(t, decisions, 1)
}

func TestDeliverDocumentOncePerRecipient(t *testing.T) {
	p := newPipeline(t)
	ctx := context.Background()
	res := p.issue(t)
	byKey := map[string]cycle.DeliveryTarget{}
	for _, tg := range res.Deliveries {
		byKey[tg.Key] = tg
	}

	// "tinh": the server refuses the recipient once (451), then accepts.
	p.smtp.RejectRcpt(1)
	_, err := p.deliver(t, res, byKey["tinh"])
	require.Error(t, err)
	var ae *temporal.ApplicationError
	require.False(t, asApp(err, &ae) && ae.NonRetryable(), "a refusal before the hand-over is retryable: %v", err)
	dr, err := p.deliver(t, res, byKey["tinh"])
	require.NoError(t, err)
	require.Equal(t, cycle.DeliverySent, dr.Status)
	require.Equal(t, 2, dr.Attempts)

	// Everyone, then everyone again (a retried activity, a replayed plan).
	for range 2 {
		for _, tg := range res.Deliveries {
			_, err := p.deliver(t, res, tg)
			require.NoError(t, err, tg.Key)
		}
	}
	perRcpt := map[string]int{}
	for _, m := range p.smtp.Messages() {
		for _, to := range m.To {
			perRcpt[to]++
		}
		require.Contains(t, m.Data, "application/pdf")
	}
	require.Equal(t, map[string]int{"thanhvien@bcd.test": 1, "vanthu@tinh.test": 1}, perRcpt)
	files, err := filepath.Glob(filepath.Join(p.drop, "v01", "*.pdf"))
	require.NoError(t, err)
	require.Len(t, files, 1)
	recs, err := p.db.Deliveries(ctx, res.Decision.ID)
	require.NoError(t, err)
	for _, r := range recs {
		require.Equal(t, cycle.DeliverySent, r.Status, r.Key)
	}
}

func TestAmbiguousDeliveryIsNotResent(t *testing.T) {
	p := newPipeline(t)
	ctx := context.Background()
	res := p.issue(t)
	target := targetOf(t, res, "tinh")
	p.smtp.DropAfterData(1)
	_, err := p.deliver(t, res, target)
	var ae *temporal.ApplicationError
	require.True(t, asApp(err, &ae) && ae.NonRetryable(), "an ambiguous hand-over must not be retried: %v", err)
	_, err = p.deliver(t, res, target)
	require.Error(t, err, "a delivery in state unknown is not sent again")
	require.Len(t, p.smtp.Messages(), 1)
	recs, err := p.db.Deliveries(ctx, res.Decision.ID)
	require.NoError(t, err)
	for _, r := range recs {
		if r.Key == "tinh" {
			require.Equal(t, cycle.DeliveryUnknown, r.Status)
		}
	}
}

// A recipient refused for good (550): failed at once, not retried for the
// delivery window; the record says failed with the server's reply, and
// the clerk sees it.
func TestPermanentRefusalFailsAtOnce(t *testing.T) {
	p := newPipeline(t)
	ctx := context.Background()
	res := p.issue(t)
	target := targetOf(t, res, "tinh")
	p.smtp.RefuseRcpt(1)
	_, err := p.deliver(t, res, target)
	var ae *temporal.ApplicationError
	require.True(t, asApp(err, &ae) && ae.NonRetryable(), "a 550 is not retried: %v", err)
	require.Empty(t, p.smtp.Messages())
	recs, err := p.db.Deliveries(ctx, res.Decision.ID)
	require.NoError(t, err)
	for _, r := range recs {
		if r.Key == "tinh" {
			require.Equal(t, cycle.DeliveryFailed, r.Status)
			require.Contains(t, r.LastError, "550")
		}
	}
}

// targetOf is the planned delivery of an issued document to a recipient.
func targetOf(t *testing.T, res issuing.Issued, key string) cycle.DeliveryTarget {
	t.Helper()
	for _, tg := range res.Deliveries {
		if tg.Key == key {
			return tg
		}
	}
	t.Fatalf("no delivery to %s planned in %+v", key, res.Deliveries)
	return cycle.DeliveryTarget{}
}

func asApp(err error, target **temporal.ApplicationError) bool {
	for e := err; e != nil; {
		if a, ok := e.(*temporal.ApplicationError); ok {
			*target = a
			return true
		}
		u, ok := e.(interface{ Unwrap() error })
		if !ok {
			return false
		}
		e = u.Unwrap()
	}
	return false
}

// Several decisions issued at once, each by two racing attempts (an
// activity and its retry): numbers 1..n without gaps or repeats, one
// archived PDF per decision, every one of them verifying.
func TestConcurrentIssuesAndRetries(t *testing.T) {
	p := newPipeline(t)
	ctx := context.Background()
	const n = 4
	type result struct {
		id   string
		code string
		sha  string
		err  error
	}
	results := make(chan result, 2*n)
	var wg sync.WaitGroup
	for i := range n {
		in := p.input
		in.DecisionID = fmt.Sprintf("%s/decision-%d", p.input.CycleID, i)
		for range 2 {
			wg.Go(func() {
				v, err := p.env().ExecuteActivity(p.acts.IssueDocument, in)
				var res issuing.Issued
				if err == nil {
					err = v.Get(&res)
				}
				results <- result{in.DecisionID, res.Decision.Code, res.Decision.SHA256, err}
			})
		}
	}
	wg.Wait()
	close(results)
	byID := map[string]result{}
	for r := range results {
		require.NoError(t, r.err, r.id)
		if prev, ok := byID[r.id]; ok {
			require.Equal(t, prev.code, r.code, "%s numbered twice", r.id)
			require.Equal(t, prev.sha, r.sha, "%s signed twice into different files", r.id)
		}
		byID[r.id] = r
	}
	var codes []string
	for _, r := range byID {
		codes = append(codes, r.code)
	}
	sort.Strings(codes)
	require.Equal(t, []string{"1/QĐ-BCĐ", "2/QĐ-BCĐ", "3/QĐ-BCĐ", "4/QĐ-BCĐ"}, codes)
	list, err := p.db.ArchivedDocuments(ctx, 0)
	require.NoError(t, err)
	require.Len(t, list, n)
	roots, err := signing.LoadCAPool(p.ca)
	require.NoError(t, err)
	for _, a := range list {
		_, pdf, err := p.db.ArchivedDocument(ctx, a.ID)
		require.NoError(t, err)
		require.True(t, signing.Verify(pdf, roots).OK(), a.ID)
	}
}
