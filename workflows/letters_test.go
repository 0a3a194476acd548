package workflows_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"chuyenhoa/cycle"
	"chuyenhoa/internal/memstore"
	"chuyenhoa/templates"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/issuing"
	"chuyenhoa/workflows/letters"
)

// addresser counts how often each notification is addressed, as the
// store's AddressNotification would be called.
type addresser struct {
	mu   sync.Mutex
	keys map[string]int
}

func (a *addresser) AddressNotification(_ context.Context, key string, _ time.Time) (int, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.keys == nil {
		a.keys = map[string]int{}
	}
	a.keys[key]++
	return 1, nil
}

// lateTask opens a district's proposal task due 25/12/2026 and keeps it
// open for 40 days, raising its alerts on the book's calendar.
func lateTask(ctx workflow.Context, r cycle.Reminders, role cycle.Role, unit string) error {
	var st flow.Tasks
	b := flow.NewTaskBook(&st, "cycle/51/2027", r, func(u string) string { return "Huyện " + u })
	id := cycle.TaskID(cycle.TaskSubmitProposal, unit)
	b.Open(ctx, cycle.Task{ID: id, Kind: cycle.TaskSubmitProposal, Role: role, District: unit, Title: "Gửi đề xuất", Due: cycle.D(2026, time.December, 25)})
	if err := workflow.Sleep(ctx, 40*24*time.Hour); err != nil {
		return err
	}
	b.Close(id)
	return nil
}

// Escalations reach the superior the policy names (reminders.escalate_to),
// by default the secretariat, and the head for the secretariat's own
// tasks; each stored alert is addressed to the accounts it reaches, and a
// Notify activity that fails after storing is retried without a second copy.
func TestEscalationsGoToTheSuperiorThePolicyNames(t *testing.T) {
	for _, c := range []struct {
		name   string
		to     map[cycle.Role]cycle.Role
		holder cycle.Role
		unit   string
		want   cycle.Role
	}{
		{"default: the secretariat", nil, cycle.RoleDistrictOfficer, "522", cycle.RoleSecretariat},
		{"default: the head above the secretariat", nil, cycle.RoleSecretariat, "", cycle.RoleSigner},
		{"the policy: districts to the head", map[cycle.Role]cycle.Role{cycle.RoleDistrictOfficer: cycle.RoleSigner}, cycle.RoleDistrictOfficer, "522", cycle.RoleSigner},
		{"the policy: anyone to the council's chair", map[cycle.Role]cycle.Role{"*": cycle.RoleCouncilChair}, cycle.RoleDistrictOfficer, "522", cycle.RoleCouncilChair},
	} {
		t.Run(c.name, func(t *testing.T) {
			var s testsuite.WorkflowTestSuite
			env := s.NewTestWorkflowEnvironment()
			env.SetStartTime(vn(2026, time.December, 1, 9))
			env.SetTestTimeout(time.Minute)
			store := memstore.New()
			ad := &addresser{}
			env.RegisterWorkflow(lateTask)
			env.RegisterActivity(&flow.Activities{Store: store, Notices: ad})
			// The first NotifyAll of each alert fails after storing it (a
			// worker lost on its way back): the retry stores nothing new.
			var mu sync.Mutex
			failed := map[string]bool{}
			var a *flow.Activities
			env.OnActivity(a.NotifyAll, mock.Anything, mock.Anything).Return(func(ctx context.Context, als []flow.Alert) error {
				err := (&flow.Activities{Store: store, Notices: ad}).NotifyAll(ctx, als)
				mu.Lock()
				defer mu.Unlock()
				if k := als[0].Notification.Key(); !failed[k] {
					failed[k] = true
					return temporal.NewApplicationError("lost on the way back", "test")
				}
				return err
			})
			r := cycle.DefaultPolicy().Reminders
			r.EscalateTo = c.to
			env.ExecuteWorkflow(lateTask, r, c.holder, c.unit)
			require.NoError(t, env.GetWorkflowError())
			ns, err := store.Notifications(context.Background(), "cycle/51/2027")
			require.NoError(t, err)
			kinds := map[cycle.NotificationKind]int{}
			for _, n := range ns {
				kinds[n.Kind]++
				if n.Kind == cycle.NotifyEscalation {
					require.Equal(t, c.want, n.Role, n.Key())
					require.Empty(t, n.District)
				} else {
					require.Equal(t, c.holder, n.Role)
				}
				require.Equal(t, 2, ad.keys[n.Key()], "addressed by both attempts (the store keeps one copy per account): %s", n.Key())
			}
			require.Equal(t, map[cycle.NotificationKind]int{cycle.NotifyReminder: 2, cycle.NotifyOverdue: 1, cycle.NotifyEscalation: 2}, kinds)
			require.Len(t, ad.keys, len(ns))
		})
	}
}

// recipientsDocs is the fake renderer with a letter's printed
// distribution list.
type recipientsDocs struct{ *fakeDocs }

func (r recipientsDocs) Render(c cycle.DocumentContent) (cycle.RenderedDocument, error) {
	d, err := r.fakeDocs.Render(c)
	d.Recipients = []string{"Như trên;", "Lưu: VT, CAT."}
	return d, err
}

// A reminder letter: numbered in the committee's register as a letter
// ("1/BCĐ"), rendered with the overdue template, sealed by the issuing
// body (its organisation certificate alone), archived, its
// "Như trên" delivered to the units it names, and each unit told once.
func TestReminderLetterIsIssuedAndTellsTheUnits(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.SetStartTime(vn(2027, time.January, 3, 9))
	env.SetTestTimeout(time.Minute)
	store := memstore.New()
	ctx := context.Background()
	is := cycle.Issuer{Body: "BAN CHỈ ĐẠO 138", BodyKey: "51-BCD138", NumberSuffix: "QĐ-BCĐ", CommitteeName: "Ban Chỉ đạo 138 tỉnh Quảng Ngãi"}
	require.NoError(t, store.OpenCycle(ctx, cycle.CycleInfo{ID: "cycle/51/2027", Province: "51", Year: 2027, Policy: cycle.DefaultPolicy(), StartedAt: time.Now()}))
	docs := recipientsDocs{newFakeDocs()}
	ad := &addresser{}
	env.RegisterWorkflow(letters.ReminderLetter)
	env.RegisterActivity(&flow.Activities{Store: store, Notices: ad})
	env.RegisterActivity(&issuing.Activities{Store: store, Renderer: docs})
	var a *issuing.Activities
	signed := 0
	env.OnActivity(a.SealAlone, mock.Anything, mock.Anything).Return(func(_ context.Context, in issuing.SignInput) (issuing.SignResult, error) {
		signed++
		require.Equal(t, "1/BCĐ", in.Code)
		return issuing.SignResult{SHA256: in.SHA256, Signatures: 1, SealedBy: "CN=Ban Chỉ đạo"}, nil
	})
	var planned []string
	env.OnActivity(a.PlanDeliveries, mock.Anything, mock.Anything).Return(func(_ context.Context, in issuing.PlanInput) (issuing.Plan, error) {
		planned = in.Recipients
		return issuing.Plan{Deliveries: []cycle.DeliveryTarget{{Key: "bcd-524", Channel: cycle.ChannelSMTP, Address: "bcd@524.test"}}, Undelivered: in.Recipients[1:]}, nil
	})
	delivered := 0
	env.OnActivity(a.DeliverDocument, mock.Anything, mock.Anything).Return(func(_ context.Context, in issuing.DeliverInput) (issuing.DeliverResult, error) {
		delivered++
		return issuing.DeliverResult{Status: cycle.DeliverySent, Attempts: 1}, nil
	})
	tasks := []cycle.Task{
		{ID: "submit_proposal/524", CycleID: "cycle/51/2027", Kind: cycle.TaskSubmitProposal, Role: cycle.RoleDistrictOfficer, District: "524", Due: cycle.D(2026, time.December, 25)},
		{ID: "submit_proposal/525", CycleID: "cycle/51/2027", Kind: cycle.TaskSubmitProposal, Role: cycle.RoleDistrictOfficer, District: "525", Due: cycle.D(2026, time.December, 25)},
	}
	in := letters.Input{
		Job: issuing.Job{
			Decision: cycle.Decision{ID: "cycle/51/2027/letter/submit_proposal/x1", CycleID: "cycle/51/2027", Kind: cycle.DocOverdue, BodyKey: is.BodyKey,
				IssuedBy: cycle.Actor{ID: "cat.tt", Role: cycle.RoleSecretariat}},
			Suffix: cycle.DocumentSuffix(cycle.DocOverdue, is),
			Content: cycle.DocumentContent{Kind: cycle.DocOverdue, Issuer: is, Year: 2027, ProvinceName: "Tỉnh Quảng Ngãi",
				Addressees: []string{"Ban Chỉ đạo 138 huyện Bình Sơn", "Ban Chỉ đạo 138 huyện Sơn Tịnh"},
				Task:       "gửi đề xuất danh sách địa bàn thực hiện chuyển hóa năm 2027", Due: cycle.D(2026, time.December, 25), NewDue: cycle.D(2027, time.January, 8), Escalation: 1},
		},
		Tasks: tasks, Sender: "Ban Chỉ đạo 138 tỉnh Quảng Ngãi",
	}
	env.SetStartWorkflowOptions(client.StartWorkflowOptions{ID: letters.WorkflowID(in.Job.Decision.ID), TaskQueue: flow.TaskQueue})
	env.ExecuteWorkflow(letters.ReminderLetter, in)
	require.NoError(t, env.GetWorkflowError())
	var st letters.State
	require.NoError(t, env.GetWorkflowResult(&st))

	require.NotNil(t, st.Issued)
	require.Equal(t, "1/BCĐ", st.Issued.Decision.Code)
	require.Equal(t, cycle.D(2027, time.January, 3), st.Issued.Decision.Date)
	require.Equal(t, 1, st.Issued.Signatures, "the issuing body's seal alone")
	require.Equal(t, 1, signed)
	require.Equal(t, []string{"Ban Chỉ đạo 138 huyện Bình Sơn", "Ban Chỉ đạo 138 huyện Sơn Tịnh", "Lưu: VT, CAT."}, planned, "“Như trên” is the units written to")
	require.Equal(t, 1, delivered)
	require.Equal(t, "đã gửi đến 1/1 nơi nhận", st.Delivery)
	require.Equal(t, 2, st.Notified)

	data, ok := docs.data(templates.Overdue).(templates.DeadlineNoticeData)
	require.True(t, ok, "rendered with the overdue letter's template")
	require.Equal(t, in.Job.Content.Addressees, data.Addressees)
	require.Equal(t, 9, data.DaysLate())
	require.Equal(t, 1, data.Escalation)
	_, pdf, err := store.ArchivedDocument(ctx, in.Job.Decision.ID)
	require.NoError(t, err)
	require.NotEmpty(t, pdf)

	ns, err := store.Notifications(ctx, "cycle/51/2027")
	require.NoError(t, err)
	require.Len(t, ns, 2)
	units := map[string]bool{}
	for _, n := range ns {
		require.Equal(t, cycle.NotifyDocument, n.Kind)
		require.Equal(t, in.Job.Decision.ID, n.Document)
		require.Equal(t, "submit_proposal/"+n.District, n.TaskID)
		units[n.District] = true
		require.Equal(t, 1, ad.keys[n.Key()])
	}
	require.Equal(t, map[string]bool{"524": true, "525": true}, units)
}

// fakeSealer seals as the issuing body, counting its seals.
type fakeSealer struct{ n int }

func (f *fakeSealer) Seal(pdf []byte, _ cycle.PageBox, is cycle.Issuer, code string, _ time.Time) (cycle.SignedDocument, error) {
	f.n++
	return cycle.SignedDocument{PDF: append(append([]byte(nil), pdf...), "%sealed"...), Signatures: 1, SealedBy: "CN=" + is.Body}, nil
}

// fakeSigner stands for a person's key on the server: a letter must never
// use it.
type fakeSigner struct{ n int }

func (f *fakeSigner) SignAndSeal(pdf []byte, _ cycle.PageBox, _ cycle.Issuer, _ string, _ time.Time) (cycle.SignedDocument, error) {
	f.n++
	return cycle.SignedDocument{PDF: pdf, Signatures: 2}, nil
}

// The secretariat's letters are the issuing body's: in external mode
// outside the demo (the head signs elsewhere; an issue without its
// signatures is refused), a letter is sealed with the body's seal
// certificate alone and issued — not refused, and not signed with a
// person's key held by the worker; without a seal configured it is
// refused, naming the seal.
func TestReminderLetterIsSealedByTheIssuingBody(t *testing.T) {
	for _, c := range []struct {
		name   string
		sealer *fakeSealer
	}{
		{"a seal configured: sealed and issued", &fakeSealer{}},
		{"no seal: refused", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			var s testsuite.WorkflowTestSuite
			env := s.NewTestWorkflowEnvironment()
			env.SetStartTime(vn(2027, time.January, 3, 9))
			env.SetTestTimeout(time.Minute)
			store := memstore.New()
			is := cycle.Issuer{Body: "BAN CHỈ ĐẠO 138", BodyKey: "51-BCD138", NumberSuffix: "QĐ-BCĐ", CommitteeName: "Ban Chỉ đạo 138 tỉnh Quảng Ngãi"}
			require.NoError(t, store.OpenCycle(context.Background(), cycle.CycleInfo{ID: "cycle/51/2027", Province: "51", Year: 2027, Policy: cycle.DefaultPolicy(), StartedAt: time.Now()}))
			person := &fakeSigner{}
			pipe := &issuing.Activities{Store: store, Renderer: recipientsDocs{newFakeDocs()},
				Signer: person, Unsigned: "chữ ký số của người ký cho văn bản này", Head: unusedHead{}}
			if c.sealer != nil {
				pipe.Sealer = c.sealer
			}
			env.RegisterWorkflow(letters.ReminderLetter)
			env.RegisterActivity(&flow.Activities{Store: store, Notices: &addresser{}})
			env.RegisterActivity(pipe)
			in := letters.Input{
				Job: issuing.Job{
					Decision: cycle.Decision{ID: "cycle/51/2027/letter/submit_proposal/x2", CycleID: "cycle/51/2027", Kind: cycle.DocReminder, BodyKey: is.BodyKey,
						IssuedBy: cycle.Actor{ID: "cat.tt", Role: cycle.RoleSecretariat}},
					Suffix: cycle.DocumentSuffix(cycle.DocReminder, is),
					Content: cycle.DocumentContent{Kind: cycle.DocReminder, Issuer: is, Year: 2027, ProvinceName: "Tỉnh Quảng Ngãi",
						Addressees: []string{"Ban Chỉ đạo 138 huyện Bình Sơn"}, Task: "gửi đề xuất danh sách địa bàn thực hiện chuyển hóa năm 2027", Due: cycle.D(2026, time.December, 25)},
				},
				Sender: "Ban Chỉ đạo 138 tỉnh Quảng Ngãi",
			}
			env.SetStartWorkflowOptions(client.StartWorkflowOptions{ID: letters.WorkflowID(in.Job.Decision.ID), TaskQueue: flow.TaskQueue})
			env.ExecuteWorkflow(letters.ReminderLetter, in)
			require.Zero(t, person.n, "no person's key signs a letter on the server")
			if c.sealer == nil {
				ce := flow.AsCycleError(env.GetWorkflowError())
				require.NotNil(t, ce, "refused rather than issued unsigned")
				require.Equal(t, cycle.EINVALID, ce.Code)
				require.Equal(t, "signing.not_configured", ce.Problems[0].Rule, "the seal named as what is missing")
				return
			}
			require.NoError(t, env.GetWorkflowError())
			var st letters.State
			require.NoError(t, env.GetWorkflowResult(&st))
			require.NotNil(t, st.Issued)
			require.Equal(t, 1, st.Issued.Signatures)
			require.Equal(t, 1, c.sealer.n)
			rec, pdf, err := store.ArchivedDocument(context.Background(), in.Job.Decision.ID)
			require.NoError(t, err)
			require.Equal(t, "CN=BAN CHỈ ĐẠO 138", rec.SealedBy)
			require.Empty(t, rec.Signer)
			require.True(t, strings.HasSuffix(string(pdf), "%sealed"))
		})
	}
}

// unusedHead is a head's external signature the worker is configured
// for, which a letter never asks.
type unusedHead struct{}

func (unusedHead) PrepareHead([]byte, cycle.PageBox, cycle.Issuer, string, time.Time) (cycle.PreparedSignature, error) {
	panic("a letter is not prepared for the head's signature")
}

func (unusedHead) CompleteHead(context.Context, cycle.PreparedSignature, []byte) ([]byte, cycle.SignedBy, error) {
	panic("a letter is not signed by the head")
}
