package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/quotedprintable"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"

	"chuyenhoa/api"
	"chuyenhoa/cycle"
	"chuyenhoa/delivery"
	"chuyenhoa/delivery/deliverytest"
	"chuyenhoa/devserver"
	"chuyenhoa/internal/app"
	"chuyenhoa/internal/pgtest"
	"chuyenhoa/postgres"
	"chuyenhoa/sample"
	"chuyenhoa/signing"
)

// flakyAddresser loses the first addressing of each notification on its
// way back (the Notify activity fails after the store did its work), so
// that Temporal retries the activity.
type flakyAddresser struct {
	db   *postgres.DB
	mu   sync.Mutex
	seen map[string]bool
	lost int
}

func (f *flakyAddresser) AddressNotification(ctx context.Context, key string, at time.Time) (int, error) {
	n, err := f.db.AddressNotification(ctx, key, at)
	f.mu.Lock()
	defer f.mu.Unlock()
	if err == nil && !f.seen[key] {
		f.seen[key] = true
		f.lost++
		return 0, temporal.NewApplicationError("worker lost after addressing "+key, "test")
	}
	return n, err
}

// TestLateCycleNoticesReachEachOfficerOnce starts a cycle late — every
// unit's proposal and the secretariat's consolidation are overdue at once —
// with an officer of every unit (e-mail at once; one of them in the daily
// digest) and the secretariat. Every Notify activity fails once after
// storing and addressing its notification, and two dispatchers (two
// workers) send the outbox, one message dropped by the mail server after
// it took it in full. Each officer gets each notice exactly once: one
// message per immediate officer and alert, one digest. Then the
// secretariat issues the overdue letter through the API: numbered, signed
// and sealed, archived, delivered by e-mail to the unit the recipients
// directory knows, and told to every late unit's officer once more, once.
// The pages are looked at in Chromium at 1280 and 390 px.
func TestLateCycleNoticesReachEachOfficerOnce(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	tmp := t.TempDir()
	ts := startTemporal(t, devserver.TemporalOptions{UIPort: -1})
	c := dial(t, ts)
	db, err := postgres.Open(ctx, pgtest.CreateDatabase(t))
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	prov, issuer, err := sample.Province("quang-ngai")
	require.NoError(t, err)
	require.NoError(t, db.SaveProvince(ctx, prov, issuer))
	smtp := deliverytest.Start(t)

	units := prov.Units()
	digestUnit := units[0]
	for _, u := range units {
		require.NoError(t, db.CreateAccount(ctx, cycle.Account{ID: "ca." + u, Name: "Cán bộ " + prov.UnitName(u), Role: cycle.RoleDistrictOfficer, District: u,
			Email: "ca." + u + "@qn.test"}, hashOf(t)))
	}
	require.NoError(t, db.CreateAccount(ctx, cycle.Account{ID: "ca." + digestUnit + ".b", Role: cycle.RoleDistrictOfficer, District: digestUnit,
		Email: "b." + digestUnit + "@qn.test", Notify: cycle.NotifyDigest}, hashOf(t)))
	require.NoError(t, db.CreateAccount(ctx, cycle.Account{ID: "cat.tt", Name: "Nguyễn Văn An", Role: cycle.RoleSecretariat, Email: "cat@qn.test"}, hashOf(t)))
	require.NoError(t, db.CreateAccount(ctx, cycle.Account{ID: "vanthu", Role: cycle.RoleClerk}, hashOf(t)))

	// The letters are signed with a demonstration PKI; the directory
	// knows one unit's committee by e-mail.
	pki, err := signing.EnsureDemoPKI(filepath.Join(tmp, "pki"), issuer.SignerName, issuer.CommitteeName)
	require.NoError(t, err)
	lettered := units[1]
	dirFile := filepath.Join(tmp, "recipients.json")
	b, err := json.Marshal(delivery.Directory{Recipients: []delivery.DirectoryEntry{{Key: "bcd-" + lettered, Name: "Ban Chỉ đạo " + prov.UnitName(lettered),
		Match: []string{"huyện " + strings.TrimPrefix(prov.UnitName(lettered), "Huyện ")}, Channel: cycle.ChannelSMTP, Address: "bcd." + lettered + "@qn.test"}}})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(dirFile, b, 0o644))
	cfg := app.Config{OutputDir: tmp,
		Signing:  app.SigningConfig{SignerCert: pki.Signer, BodyCert: pki.Body, SampleImages: true, SignerName: issuer.SignerName, BodyName: issuer.CommitteeName, Demo: true},
		Delivery: app.DeliveryConfig{Recipients: dirFile, Domain: "bcd138.qn.test", SMTP: delivery.SMTPConfig{Host: "127.0.0.1", Port: smtp.Port(), From: "thongbao@bcd138.qn.test", TLS: "none"}},
		Notices:  app.NoticeConfig{PublicURL: "https://chuyenhoa.qn.test"},
	}
	acts, err := app.NewActivities(db, cfg)
	require.NoError(t, err)
	flaky := &flakyAddresser{db: db, seen: map[string]bool{}}
	acts.Inbox.Notices = flaky
	w := app.NewWorker(c, acts)
	require.NoError(t, w.Start())
	t.Cleanup(w.Stop)

	// Two dispatchers, as two workers run them, on a clock the test moves.
	// The dispatchers' clock runs with the real one, moved ahead by skip.
	var mu sync.Mutex
	var skip time.Duration
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return time.Now().Add(skip) }
	logger := slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	dctx, stopDispatch := context.WithCancel(ctx)
	var dwg sync.WaitGroup
	for range 2 {
		d, err := app.NewDispatcher(db, cfg, logger)
		require.NoError(t, err)
		d.Now = clock
		dwg.Add(1)
		go func() { defer dwg.Done(); _ = d.Run(dctx, 100*time.Millisecond) }()
	}
	defer func() { stopDispatch(); dwg.Wait() }()
	// The mail server takes the first message in full and drops the line.
	smtp.DropAfterData(1)

	// A cycle started late: 2026's proposals were due on 25/12/2025.
	const year = 2026
	id := "cycle/" + prov.Code + "/" + fmt.Sprint(year)
	e := &apiEnv{t: t, ctx: ctx, c: c, db: db, prov: prov, pol: cycle.DefaultPolicy(), now: time.Now()}
	e.startCycle(year)
	want := len(units) + 1 // each unit's overdue proposal, the overdue consolidation
	require.Eventually(t, func() bool {
		ns, err := db.Notifications(ctx, id)
		return err == nil && len(ns) == want
	}, time.Minute, 50*time.Millisecond)
	ns, err := db.Notifications(ctx, id)
	require.NoError(t, err)
	for _, n := range ns {
		require.Equal(t, cycle.NotifyOverdue, n.Kind, n.Key())
	}
	perAddress := func() map[string]int {
		out := map[string]int{}
		for _, m := range smtp.Messages() {
			for _, to := range m.To {
				out[to]++
			}
		}
		return out
	}
	expected := map[string]int{"cat@qn.test": 1}
	for _, u := range units {
		expected["ca."+u+"@qn.test"] = 1
	}
	require.Eventually(t, func() bool { return len(perAddress()) == len(expected) }, time.Minute, 100*time.Millisecond, "got %v", perAddress())
	require.Equal(t, expected, perAddress(), "each alert once to each immediate officer (the dropped message included: the server had it)")
	// The digest goes at 07:00 the next day, once.
	today := time.Now().In(cycle.Vietnam)
	mu.Lock()
	skip = time.Until(time.Date(today.Year(), today.Month(), today.Day(), 7, 30, 0, 0, cycle.Vietnam).AddDate(0, 0, 1))
	mu.Unlock()
	expected["b."+digestUnit+"@qn.test"] = 1
	require.Eventually(t, func() bool { return len(perAddress()) == len(expected) }, time.Minute, 100*time.Millisecond)
	time.Sleep(time.Second) // more rounds of both dispatchers
	require.Equal(t, expected, perAddress())
	require.Equal(t, want, flaky.lost, "every Notify was retried once")
	var unknown, sent int
	out, err := db.NoticeOutbox(ctx, "")
	require.NoError(t, err)
	for _, it := range out {
		switch it.Status {
		case cycle.OutboxUnknown:
			unknown++
		case cycle.OutboxSent:
			sent++
		default:
			t.Errorf("outbox item %d of %s: %s (%s)", it.ID, it.Account.ID, it.Status, it.LastError)
		}
	}
	require.Equal(t, 1, unknown, "the dropped message: not sent again")
	require.Equal(t, len(units)+2-1, sent)
	for _, m := range smtp.Messages() {
		if m.To[0] == "ca."+units[2]+"@qn.test" {
			require.Contains(t, qp(t, m.Data), "Quá hạn: “Gửi đề xuất địa bàn chuyển hóa năm 2026 — "+prov.UnitName(units[2])+"” — hạn ngày 25/12/2025 đã qua")
		}
	}

	// The secretariat issues the overdue letter through the API.
	srvAPI := app.NewAPI(c, db, logger)
	srvAPI.UpdateTimeout = 2 * time.Minute
	srv := httptest.NewServer(srvAPI.Handler())
	t.Cleanup(srv.Close)
	e.srv = srv
	tok := e.signIn("cat.tt")
	var groups api.LettersResponse
	r := e.call("GET", "/api/cycles/"+prov.Code+"/2026/reminder-letters", tok, "", nil)
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
	require.NoError(t, json.Unmarshal(r.Body, &groups))
	require.Len(t, groups.Groups, 1)
	require.True(t, groups.Groups[0].Overdue)
	require.Len(t, groups.Groups[0].Units, len(units))
	newDue := cycle.DateOf(time.Now()).AddDays(7)
	body := []byte(fmt.Sprintf(`{"task_kind":"submit_proposal","new_due":%q}`, newDue.String()))
	r = e.call("POST", "/api/cycles/"+prov.Code+"/2026/reminder-letters", tok, "application/json", body, "Idempotency-Key", "letter-2026-0001")
	require.Equal(t, http.StatusCreated, r.Status, "%s", r.Body)
	var issued api.LetterResponse
	require.NoError(t, json.Unmarshal(r.Body, &issued))
	require.NotNil(t, issued.Letter)
	require.Regexp(t, `^\d+/BCĐ$`, issued.Letter.Code)
	again := e.call("POST", "/api/cycles/"+prov.Code+"/2026/reminder-letters", tok, "application/json", body, "Idempotency-Key", "letter-2026-0001")
	require.Equal(t, http.StatusCreated, again.Status, "%s", again.Body)
	var second api.LetterResponse
	require.NoError(t, json.Unmarshal(again.Body, &second))
	require.Equal(t, issued.Letter.Code, second.Letter.Code, "the same key: the same letter")
	rec, pdf, err := db.ArchivedDocument(ctx, issued.Letter.ID)
	require.NoError(t, err)
	require.Equal(t, 1, rec.Signatures, "sealed by the issuing body alone: the secretariat's letter carries no person's key (letter-sealed-by-body)")
	require.NoError(t, os.WriteFile(filepath.Join(shotDir(t), "letter.pdf"), pdf, 0o644))
	// Each late unit's officer is told once more; the unit the directory
	// knows gets the letter itself.
	for _, u := range units {
		expected["ca."+u+"@qn.test"]++
	}
	expected["bcd."+lettered+"@qn.test"] = 1
	require.Eventually(t, func() bool {
		got := perAddress()
		return got["ca."+units[len(units)-1]+"@qn.test"] == 2 && got["bcd."+lettered+"@qn.test"] == 1 && got["ca."+units[1]+"@qn.test"] == 2
	}, time.Minute, 100*time.Millisecond, "got %v", perAddress())
	mu.Lock()
	skip += 24 * time.Hour
	mu.Unlock()
	expected["b."+digestUnit+"@qn.test"]++
	require.Eventually(t, func() bool { return perAddress()["b."+digestUnit+"@qn.test"] == 2 }, time.Minute, 100*time.Millisecond)
	time.Sleep(time.Second)
	require.Equal(t, expected, perAddress())
	ds, err := db.Decisions(ctx, id)
	require.NoError(t, err)
	require.Len(t, ds, 1, "one letter for one request")

	// An officer reads the letter's notice and downloads the letter; an
	// officer of a unit it was not sent to cannot.
	officer := e.signIn("ca." + lettered)
	r = e.call("GET", "/api/notifications", officer, "", nil)
	require.Equal(t, http.StatusOK, r.Status)
	var mine api.NoticesResponse
	require.NoError(t, json.Unmarshal(r.Body, &mine))
	require.Len(t, mine.Notifications, 2)
	require.Equal(t, cycle.NotifyDocument, mine.Notifications[0].Kind)
	require.Contains(t, mine.Notifications[0].Text, "Công văn số "+issued.Letter.Code)
	pdfPath := "/api/cycles/" + prov.Code + "/2026/reminder-letters/" + issued.Letter.Letter + "/pdf"
	require.Equal(t, http.StatusOK, e.call("GET", pdfPath, officer, "", nil).Status)
	require.Equal(t, http.StatusOK, e.call("GET", pdfPath, tok, "", nil).Status)

	lookAtPages(t, srv.URL, "ca."+lettered, prov.Code)
}

func hashOf(t *testing.T) []byte {
	t.Helper()
	api.PasswordCost = 4
	h, err := api.HashPassword(testPassword)
	require.NoError(t, err)
	return h
}

func qp(t *testing.T, data string) string {
	t.Helper()
	_, body, _ := strings.Cut(data, "\r\n\r\n")
	b, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(body)))
	require.NoError(t, err)
	return string(b)
}

func shotDir(t *testing.T) string {
	if *screenshots != "" {
		require.NoError(t, os.MkdirAll(*screenshots, 0o755))
		return *screenshots
	}
	return t.TempDir()
}

// lookAtPages signs in through the form in Chromium and takes the
// notification pages at 1280 and 390 px, checking that nothing scrolls
// sideways on a phone.
func lookAtPages(t *testing.T, base, officer, province string) {
	ctx := browser(t)
	dir := shotDir(t)
	signIn := func(account string) {
		require.NoError(t, chromedp.Do(ctx,
			chromedp.Navigate(base+"/signin"),
			chromedp.WaitVisible(chromedp.CSS("#account")),
			chromedp.SendKeys(chromedp.CSS("#account"), account),
			chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
			chromedp.Click(chromedp.CSS("#signin")),
			chromedp.WaitVisible(chromedp.CSS("#who")),
		))
	}
	shoot := func(name, path string) {
		for _, width := range []int64{1280, 390} {
			require.NoError(t, chromedp.Do(ctx, chromedp.EmulateViewport(width, 900), chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS("main"))))
			wide, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`))
			require.NoError(t, err)
			require.False(t, wide, "%s scrolls sideways at %d px", path, width)
			png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			require.NoError(t, err)
			p := filepath.Join(dir, fmt.Sprintf("notify-%s-%d.png", name, width))
			require.NoError(t, os.WriteFile(p, png, 0o644))
			t.Logf("screenshot %s", p)
		}
	}
	signIn(officer)
	shoot("officer-notifications", "/notifications")
	shoot("officer-settings", "/settings")
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#signout")), chromedp.WaitVisible(chromedp.CSS("#account"))))
	signIn("cat.tt")
	shoot("secretariat-notifications", "/notifications")
	shoot("secretariat-letters", "/cycles/"+province+"/2026/letters")
	// The secretariat issues a second letter from the page.
	require.NoError(t, chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(base+"/cycles/"+province+"/2026/letters"),
		chromedp.WaitVisible(chromedp.CSS("#issue-submit_proposal")), chromedp.Click(chromedp.CSS("#issue-submit_proposal")),
		chromedp.WaitVisible(chromedp.CSS("#flash"))))
	flash, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#flash")))
	require.NoError(t, err)
	require.Contains(t, flash, "Đã ban hành Công văn số 2/BCĐ")
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "notify-secretariat-letter-issued-1280.png"), png, 0o644))
}
