package notify_test

import (
	"context"
	"encoding/json"
	"io"
	"mime/quotedprintable"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"chuyenhoa/cycle"
	"chuyenhoa/delivery"
	"chuyenhoa/delivery/deliverytest"
	"chuyenhoa/internal/pgtest"
	"chuyenhoa/notify"
	"chuyenhoa/postgres"
)

// hooks is a gateway that keeps every call it answers 2xx, and can be
// told to fail the next calls.
type hooks struct {
	mu    sync.Mutex
	calls []notify.Message
	keys  []string
	fail  int // answer the next n calls 503
	hang  int // take the next n calls and never answer (the ambiguous case)
}

func (h *hooks) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	if h.hang > 0 {
		h.hang--
		h.mu.Unlock()
		<-r.Context().Done()
		return
	}
	if h.fail > 0 {
		h.fail--
		h.mu.Unlock()
		http.Error(w, "busy", http.StatusServiceUnavailable)
		return
	}
	var m notify.Message
	_ = json.Unmarshal(b, &m)
	h.calls = append(h.calls, m)
	h.keys = append(h.keys, r.Header.Get("Idempotency-Key"))
	h.mu.Unlock()
	w.WriteHeader(http.StatusAccepted)
}

type fixture struct {
	db    *postgres.DB
	smtp  *deliverytest.Server
	hooks *hooks
	hook  string // the webhook address
	d     *notify.Dispatcher
	now   time.Time
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	db, err := postgres.Open(ctx, pgtest.CreateDatabase(t))
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	prov := cycle.Province{Code: "51", Name: "Tỉnh Quảng Ngãi", Districts: []cycle.District{{Code: "522", Name: "Thành phố Quảng Ngãi"}, {Code: "524", Name: "Huyện Bình Sơn"}},
		Communes: []cycle.Commune{{Code: "21010", Name: "Phường Lê Hồng Phong", Kind: cycle.KindPhuong, District: "522"}, {Code: "21052", Name: "Thị trấn Châu Ổ", Kind: cycle.KindThiTran, District: "524"}}}
	require.NoError(t, db.SaveProvince(ctx, prov, cycle.Issuer{Body: "BAN CHỈ ĐẠO 138", BodyKey: "51-BCD138", NumberSuffix: "QĐ-BCĐ"}))
	require.NoError(t, db.OpenCycle(ctx, cycle.CycleInfo{ID: "cycle/51/2027", Province: "51", Year: 2027, Policy: cycle.DefaultPolicy(),
		StartedBy: cycle.Actor{ID: "cat.tt", Role: cycle.RoleSecretariat}, StartedAt: time.Now()}))
	h := &hooks{}
	hs := httptest.NewServer(h)
	t.Cleanup(hs.Close)
	u, _ := url.Parse(hs.URL)
	f := &fixture{db: db, smtp: deliverytest.Start(t), hooks: h, hook: hs.URL + "/sms", now: time.Date(2027, 1, 5, 9, 0, 0, 0, cycle.Vietnam)}
	mail, err := delivery.NewSMTP(delivery.SMTPConfig{Host: "127.0.0.1", Port: f.smtp.Port(), From: "thongbao@bcd138.example", TLS: "none", Timeout: 2 * time.Second})
	require.NoError(t, err)
	f.d = &notify.Dispatcher{Store: db, Registry: db, Mail: mail, Webhook: &notify.Webhook{Hosts: []string{u.Host}, Timeout: time.Second},
		BaseURL: "https://chuyenhoa.example", Domain: "bcd138.example", Now: func() time.Time { return f.now }}
	for _, a := range []cycle.Account{
		{ID: "ca.522", Name: "Trần Thị Bích", Role: cycle.RoleDistrictOfficer, District: "522", Email: "bich@522.example", Webhook: f.hook},
		{ID: "ca.524", Role: cycle.RoleDistrictOfficer, District: "524", Email: "x@524.example", Notify: cycle.NotifyDigest},
		{ID: "cat.tt", Role: cycle.RoleSecretariat, Email: "cat@example"},
	} {
		require.NoError(t, db.CreateAccount(ctx, a, []byte("hash")))
	}
	require.NoError(t, db.OpenTask(ctx, cycle.Task{CycleID: "cycle/51/2027", ID: "submit_proposal/522", Kind: cycle.TaskSubmitProposal,
		Role: cycle.RoleDistrictOfficer, District: "522", Title: "Gửi đề xuất danh sách địa bàn — Thành phố Quảng Ngãi", Due: cycle.D(2026, 12, 25), Opened: cycle.D(2026, 12, 1)}))
	return f
}

// raise stores and addresses a notification, as the Notify activity does.
func (f *fixture) raise(t *testing.T, kind cycle.NotificationKind, role cycle.Role, unit string, seq int) {
	t.Helper()
	ctx := context.Background()
	task := "submit_proposal/522"
	if unit != "" {
		task = "submit_proposal/" + unit
	}
	n := cycle.Notification{CycleID: "cycle/51/2027", TaskID: task, Kind: kind, Role: role, District: unit, Due: cycle.D(2026, 12, 25), Seq: seq, Message: "x"}
	_, err := f.db.AddNotification(ctx, n, f.now)
	require.NoError(t, err)
	_, err = f.db.AddressNotification(ctx, n.Key(), f.now)
	require.NoError(t, err)
}

func (f *fixture) round(t *testing.T) notify.Result {
	t.Helper()
	res, err := f.d.RunOnce(context.Background())
	require.NoError(t, err)
	return res
}

// mails counts the messages each address got.
func (f *fixture) mails() map[string]int {
	out := map[string]int{}
	for _, m := range f.smtp.Messages() {
		for _, to := range m.To {
			out[to]++
		}
	}
	return out
}

func TestDispatcherSendsEachOnce(t *testing.T) {
	f := newFixture(t)
	f.raise(t, cycle.NotifyOverdue, cycle.RoleDistrictOfficer, "522", 1)
	f.raise(t, cycle.NotifyEscalation, cycle.RoleSecretariat, "", 1)
	f.raise(t, cycle.NotifyOverdue, cycle.RoleDistrictOfficer, "524", 1)

	res := f.round(t)
	require.Equal(t, 3, res.Sent, "522 by e-mail and webhook, the secretariat by e-mail; 524 waits for its digest")
	require.Equal(t, map[string]int{"bich@522.example": 1, "cat@example": 1}, f.mails())
	require.Len(t, f.hooks.calls, 1)
	require.Equal(t, f.hooks.calls[0].ID, f.hooks.keys[0], "the Idempotency-Key is the message's ID")
	require.Contains(t, f.hooks.calls[0].Lines[0], "Quá hạn: “Gửi đề xuất danh sách địa bàn — Thành phố Quảng Ngãi” — hạn ngày 25/12/2026 đã qua")

	var esc string
	for _, m := range f.smtp.Messages() {
		if m.To[0] == "cat@example" {
			esc = m.Data
		}
	}
	require.Contains(t, esc, "Message-ID: <notice.")
	text := body(t, esc)
	require.Contains(t, text, "Báo cáo chậm (lần 1): Thành phố Quảng Ngãi chưa hoàn thành việc “Gửi đề xuất danh sách địa bàn — Thành phố Quảng Ngãi”, quá hạn ngày 25/12/2026.")
	require.Contains(t, text, "https://chuyenhoa.example/notifications")

	// Nothing more is due: another round, or a second dispatcher, sends nothing.
	require.Zero(t, f.round(t).Claimed)
	other := &notify.Dispatcher{Store: f.db, Mail: f.d.Mail, Webhook: f.d.Webhook, Now: f.d.Now}
	res2, err := other.RunOnce(context.Background())
	require.NoError(t, err)
	require.Zero(t, res2.Claimed)

	// The digest leaves at 07:00 the next day, once, with both of the day's items.
	f.raise(t, cycle.NotifyEscalation, cycle.RoleDistrictOfficer, "524", 2)
	f.now = f.now.Add(20 * time.Hour) // 05:00
	require.Zero(t, f.round(t).Claimed)
	f.now = f.now.Add(2 * time.Hour) // 07:00 on 6 January
	res = f.round(t)
	require.Equal(t, 2, res.Sent)
	require.Equal(t, 1, res.Messages)
	require.Equal(t, 1, f.mails()["x@524.example"])
	f.now = f.now.Add(24 * time.Hour)
	require.Zero(t, f.round(t).Claimed)
	require.Equal(t, map[string]int{"bich@522.example": 1, "cat@example": 1, "x@524.example": 1}, f.mails())
	for _, m := range f.smtp.Messages() {
		if m.To[0] == "x@524.example" {
			require.Contains(t, m.Data, "Subject:\r\n =?UTF-8?q?T=E1=BB=95ng_h=E1=BB=A3p_2_th=C3=B4ng_b=C3=A1o", "Tổng hợp 2 thông báo")
			require.Contains(t, body(t, m.Data), "- Quá hạn: “Gửi đề xuất địa bàn” — hạn ngày 25/12/2026 đã qua, đề nghị hoàn thành ngay. (Huyện Bình Sơn)")
			require.Contains(t, m.Data, "Message-ID: <digest.")
		}
	}
}

func TestDispatcherRetriesOnlyWhatCertainlyFailed(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	// The mail server refuses the recipient for now (451), then takes a
	// message in full and drops the line (ambiguous); the gateway answers
	// 503, then hangs.
	f.smtp.RejectRcpt(1)
	f.hooks.fail = 1
	f.raise(t, cycle.NotifyReminder, cycle.RoleDistrictOfficer, "522", 1)
	res := f.round(t)
	require.Equal(t, 2, res.Failed)
	require.Empty(t, f.mails())

	f.now = f.now.Add(10 * time.Second)
	require.Zero(t, f.round(t).Claimed, "not before the back-off")
	f.now = f.now.Add(time.Minute)
	res = f.round(t)
	require.Equal(t, 2, res.Sent)
	require.Equal(t, map[string]int{"bich@522.example": 1}, f.mails())
	require.Len(t, f.hooks.calls, 1)

	f.smtp.DropAfterData(1)
	f.hooks.hang = 1
	f.raise(t, cycle.NotifyOverdue, cycle.RoleDistrictOfficer, "522", 1)
	res = f.round(t)
	require.Equal(t, 2, res.Unknown)
	require.Equal(t, 2, f.mails()["bich@522.example"], "the server took the dropped message")
	for range 3 {
		f.now = f.now.Add(time.Hour)
		require.Zero(t, f.round(t).Claimed, "an ambiguous hand-over is never repeated")
	}
	require.Equal(t, 2, f.mails()["bich@522.example"])

	// 550: refused for good at once.
	f.smtp.RefuseRcpt(1)
	f.raise(t, cycle.NotifyEscalation, cycle.RoleSecretariat, "", 1)
	res = f.round(t)
	require.Equal(t, 1, res.Refused)
	out, err := f.db.NoticeOutbox(ctx, "cat.tt")
	require.NoError(t, err)
	require.Len(t, out, 1)
	require.Equal(t, cycle.OutboxRefused, out[0].Status)
	require.Contains(t, out[0].LastError, "550")
}

func TestDispatcherAfterACrash(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.raise(t, cycle.NotifyOverdue, cycle.RoleDistrictOfficer, "522", 1)
	// A dispatcher claims the items and dies before it reports.
	items, err := f.db.ClaimNotices(ctx, "dead#1", f.now, f.now, 10)
	require.NoError(t, err)
	require.Len(t, items, 2)
	f.now = f.now.Add(time.Minute)
	require.Zero(t, f.round(t).Claimed, "held by the dead attempt until its lease ends")
	f.now = f.now.Add(notify.DefaultLease)
	res := f.round(t)
	require.Equal(t, 2, res.Expired)
	require.Zero(t, res.Claimed)
	require.Empty(t, f.mails(), "it may have sent them: they are unknown, not sent again")
	out, err := f.db.NoticeOutbox(ctx, "ca.522")
	require.NoError(t, err)
	for _, it := range out {
		require.Equal(t, cycle.OutboxUnknown, it.Status)
	}
}

func TestDispatcherDropsWhatHasNoAddress(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.raise(t, cycle.NotifyReminder, cycle.RoleDistrictOfficer, "522", 1)
	// The officer now wants the inbox only.
	acc, _, err := f.db.AccountCredentials(ctx, "ca.522")
	require.NoError(t, err)
	acc.Notify = cycle.NotifyInboxOnly
	require.NoError(t, f.db.UpdateAccount(ctx, acc))
	res := f.round(t)
	require.Equal(t, 2, res.Dropped)
	require.Empty(t, f.mails())
	// Still in the inbox, unread.
	n, err := f.db.UnreadNotices(ctx, "ca.522")
	require.NoError(t, err)
	require.Equal(t, 1, n)
}

// body is a message's text, decoded from quoted-printable.
func body(t *testing.T, data string) string {
	t.Helper()
	_, b, ok := strings.Cut(data, "\r\n\r\n")
	require.True(t, ok)
	out, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(b)))
	require.NoError(t, err)
	return string(out)
}

func TestWebhookAddresses(t *testing.T) {
	hosts := []string{"sms.tinh.example", "10.0.0.5:8443"}
	for _, ok := range []string{"https://sms.tinh.example/hook", "https://10.0.0.5:8443/x", "http://SMS.tinh.example/a?b=c"} {
		require.NoError(t, notify.CheckAddress(ok, hosts), ok)
	}
	for _, bad := range []string{"https://127.0.0.1/x", "https://sms.tinh.example:9000/", "ftp://sms.tinh.example/", "https://u:p@sms.tinh.example/", "not a url", "https://10.0.0.5/x"} {
		err := notify.CheckAddress(bad, hosts)
		require.Error(t, err, bad)
		require.Equal(t, cycle.EINVALID, cycle.ErrorCode(err))
		require.False(t, strings.Contains(cycle.Say(cycle.Vietnamese, "notice.webhook_host", "a", "b"), "%!"))
	}
	require.Error(t, notify.CheckAddress("https://sms.tinh.example/", nil))
}

func TestDigestBoundary(t *testing.T) {
	at := func(d, h, m int) time.Time { return time.Date(2027, 1, d, h, m, 0, 0, cycle.Vietnam) }
	require.Equal(t, at(5, 7, 0), notify.DigestBoundary(at(5, 7, 0), 7))
	require.Equal(t, at(5, 7, 0), notify.DigestBoundary(at(5, 23, 59), 7))
	require.Equal(t, at(4, 7, 0), notify.DigestBoundary(at(5, 6, 59), 7))
}
