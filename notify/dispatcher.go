// Package notify sends the officers' notices beyond the web inbox: each
// reminder, overdue notice, escalation or reminder letter that reached an
// account (cycle.NoticeStore) goes by e-mail and to the province's SMS or
// chat gateway (a webhook), at once or in a daily digest, as the account
// prefers.
//
// The outbox in the store holds one item per (notification, account,
// channel). A Dispatcher — a loop in every worker process — claims what is
// due, sends it and records the outcome, as package delivery does for
// documents: an item is claimed before the message leaves and settled
// after; a failure that certainly happened before the hand-over is retried
// with back-off; a hand-over that may have happened (the server did not
// confirm the data, the gateway did not answer) is recorded unknown and
// never sent again automatically; and an item whose dispatcher died while
// sending is, after the lease, unknown too. Each message carries a
// Message-ID (an Idempotency-Key for the gateway) fixed by the item, so a
// receiver can also drop a duplicate. So under retries, several
// dispatchers and restarts a notice reaches each account at most once per
// channel, and exactly once when the channel answers.
package notify

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"

	"chuyenhoa/cycle"
	"chuyenhoa/delivery"
)

// Mailer sends a notice by e-mail; delivery.SMTPDeliverer implements it.
type Mailer interface {
	SendNotice(ctx context.Context, n delivery.Notice) error
}

// Registry names the units of a province in messages.
type Registry interface {
	Province(ctx context.Context, code string) (cycle.Province, cycle.Issuer, error)
}

// Defaults of the Dispatcher.
const (
	DefaultDigestHour  = 7                // 07:00 in Vietnam
	DefaultLease       = 10 * time.Minute // well above the SMTP and webhook timeouts
	DefaultBatch       = 50
	DefaultMaxAttempts = 30 // with back-off to an hour: about a day of trying
	maxBackoff         = time.Hour
)

// Dispatcher sends the outbox's due items. Set the fields, then call Run
// (or RunOnce). Mail or Webhook nil: items of that channel fail and are
// retried until it is configured (or they run out of attempts).
type Dispatcher struct {
	Store    cycle.OutboxStore
	Registry Registry // optional: units named by code without it
	Mail     Mailer
	Webhook  *Webhook
	// BaseURL is the web inbox's public address, for the link in each
	// message ("" : no link).
	BaseURL string
	// Domain is the Message-IDs' domain, e.g. "bcd138.quangngai.gov.vn".
	Domain      string
	DigestHour  int           // the hour (Vietnam) the daily digest leaves
	Lease       time.Duration // after this a claim that never reported is unknown
	Batch       int           // items due by themselves claimed per round
	MaxAttempts int           // then an item that keeps failing is refused
	Now         func() time.Time
	Logger      *slog.Logger

	id  string
	seq atomic.Int64
}

// Result counts what a round did.
type Result struct {
	Claimed, Sent, Failed, Unknown, Refused, Dropped, Expired int
	Messages                                                  int // messages sent (a digest is one)
}

func (d *Dispatcher) defaults() {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.Lease <= 0 {
		d.Lease = DefaultLease
	}
	if d.Batch <= 0 {
		d.Batch = DefaultBatch
	}
	if d.MaxAttempts <= 0 {
		d.MaxAttempts = DefaultMaxAttempts
	}
	if d.DigestHour <= 0 || d.DigestHour > 23 {
		d.DigestHour = DefaultDigestHour
	}
	if d.Domain == "" {
		d.Domain = "chuyenhoa.invalid"
	}
	if d.id == "" {
		var b [6]byte
		_, _ = rand.Read(b[:])
		d.id = "notify-" + hex.EncodeToString(b[:])
	}
}

// Run sends what is due every interval until ctx ends.
func (d *Dispatcher) Run(ctx context.Context, every time.Duration) error {
	d.defaults()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		res, err := d.RunOnce(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			d.Logger.Error("notices: round failed", "error", err)
		case res.Claimed+res.Expired > 0:
			d.Logger.Info("notices sent", "claimed", res.Claimed, "messages", res.Messages, "sent", res.Sent, "failed", res.Failed,
				"unknown", res.Unknown, "refused", res.Refused, "dropped", res.Dropped, "expired", res.Expired)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// DigestBoundary is the last time the daily digest left by now: today's
// digest hour in Vietnam, or yesterday's before it.
func DigestBoundary(now time.Time, hour int) time.Time {
	v := now.In(cycle.Vietnam)
	b := time.Date(v.Year(), v.Month(), v.Day(), hour, 0, 0, 0, cycle.Vietnam)
	if b.After(now) {
		b = b.AddDate(0, 0, -1)
	}
	return b
}

// RunOnce expires claims whose attempt never reported, then claims the due
// items and sends them: each immediate item as its own message, each
// account's digest items of a channel as one.
func (d *Dispatcher) RunOnce(ctx context.Context) (Result, error) {
	d.defaults()
	var res Result
	now := d.Now()
	n, err := d.Store.ExpireNoticeClaims(ctx, now.Add(-d.Lease), now)
	if err != nil {
		return res, err
	}
	res.Expired = n
	if n > 0 {
		d.Logger.Warn("notices claimed by an attempt that never reported are unknown: not sent again", "items", n)
	}
	attempt := fmt.Sprintf("%s#%d", d.id, d.seq.Add(1))
	items, err := d.Store.ClaimNotices(ctx, attempt, now, DigestBoundary(now, d.DigestHour), d.Batch)
	if err != nil {
		return res, err
	}
	res.Claimed = len(items)
	names := d.unitNames(ctx, items)
	for _, g := range groups(items) {
		d.send(ctx, attempt, g, names, &res)
	}
	return res, nil
}

// groups makes the messages: an immediate item alone, an account's digest
// items of one channel together (in the order raised).
func groups(items []cycle.OutboxItem) [][]cycle.OutboxItem {
	var out [][]cycle.OutboxItem
	digest := map[string]int{}
	for _, it := range items {
		if !it.Digest {
			out = append(out, []cycle.OutboxItem{it})
			continue
		}
		k := it.Account.ID + "\x00" + string(it.Channel)
		if i, ok := digest[k]; ok {
			out[i] = append(out[i], it)
			continue
		}
		digest[k] = len(out)
		out = append(out, []cycle.OutboxItem{it})
	}
	return out
}

// send sends one message and settles its items.
func (d *Dispatcher) send(ctx context.Context, attempt string, g []cycle.OutboxItem, names func(string, string) string, res *Result) {
	first := g[0]
	acc := first.Account
	ids := make([]int64, len(g))
	for i, it := range g {
		ids[i] = it.ID
	}
	address := acc.Email
	if first.Channel == cycle.NoticeWebhook {
		address = acc.Webhook
	}
	finish := func(outcome cycle.OutboxStatus, msgID, errText string, retryAt time.Time) {
		now := d.Now()
		if _, err := d.Store.FinishNotices(ctx, attempt, ids, outcome, address, msgID, errText, retryAt, now); err != nil {
			// The claim stays: after the lease the items are unknown,
			// never sent twice.
			d.Logger.Error("notices: record the outcome", "account", acc.ID, "channel", first.Channel, "outcome", outcome, "error", err)
		}
		switch outcome {
		case cycle.OutboxSent:
			res.Sent += len(g)
			res.Messages++
		case cycle.OutboxFailed:
			res.Failed += len(g)
		case cycle.OutboxUnknown:
			res.Unknown += len(g)
		case cycle.OutboxRefused:
			res.Refused += len(g)
		case cycle.OutboxDropped:
			res.Dropped += len(g)
		}
	}
	switch {
	case acc.Disabled:
		finish(cycle.OutboxDropped, "", "the account is disabled", time.Time{})
		return
	case acc.Notify == cycle.NotifyInboxOnly:
		finish(cycle.OutboxDropped, "", "the account wants notices in the inbox only", time.Time{})
		return
	case address == "":
		finish(cycle.OutboxDropped, "", "the account has no address for "+string(first.Channel), time.Time{})
		return
	}
	m := d.message(g, names)
	var err error
	switch first.Channel {
	case cycle.NoticeEmail:
		if d.Mail == nil {
			err = errors.New("no SMTP server configured for notices (CHUYENHOA_SMTP_HOST)")
			break
		}
		err = d.Mail.SendNotice(ctx, delivery.Notice{To: address, Subject: m.Subject, Body: m.Text, MessageID: m.ID, Date: d.Now()})
	case cycle.NoticeWebhook:
		if d.Webhook == nil {
			err = errors.New("no webhook gateway configured for notices (CHUYENHOA_WEBHOOK_HOSTS)")
			break
		}
		err = d.Webhook.Send(ctx, address, m)
	default:
		err = fmt.Errorf("channel %q: %w", first.Channel, cycle.ErrDeliveryRefused)
	}
	log := d.Logger.With("account", acc.ID, "channel", first.Channel, "items", len(g), "message_id", m.ID)
	switch {
	case err == nil:
		finish(cycle.OutboxSent, m.ID, "", time.Time{})
	case errors.Is(err, cycle.ErrDeliveryAmbiguous):
		log.Warn("notice: the hand-over may have happened: not sent again", "error", err)
		finish(cycle.OutboxUnknown, m.ID, err.Error(), time.Time{})
	case errors.Is(err, cycle.ErrDeliveryRefused):
		log.Warn("notice refused for good", "error", err)
		finish(cycle.OutboxRefused, m.ID, err.Error(), time.Time{})
	case first.Attempts >= d.MaxAttempts:
		log.Warn("notice: giving up", "attempts", first.Attempts, "error", err)
		finish(cycle.OutboxRefused, m.ID, fmt.Sprintf("gave up after %d attempts: %v", first.Attempts, err), time.Time{})
	default:
		log.Info("notice not sent: will try again", "attempts", first.Attempts, "error", err)
		finish(cycle.OutboxFailed, m.ID, err.Error(), d.Now().Add(backoff(first.Attempts)))
	}
}

// backoff is the wait after the n-th failed attempt: 30 s, 1 min, 2 min, …
// up to an hour.
func backoff(n int) time.Duration {
	b := 30 * time.Second
	for i := 1; i < n && b < maxBackoff; i++ {
		b *= 2
	}
	return min(b, maxBackoff)
}

// unitNames names units for the messages, province by province (from the
// cycle's ID, "cycle/51/2027").
func (d *Dispatcher) unitNames(ctx context.Context, items []cycle.OutboxItem) func(cycleID, unit string) string {
	provinces := map[string]cycle.Province{}
	if d.Registry != nil {
		for _, it := range items {
			code := provinceOf(it.Notice.CycleID)
			if _, ok := provinces[code]; ok || code == "" {
				continue
			}
			p, _, err := d.Registry.Province(ctx, code)
			if err != nil {
				d.Logger.Warn("notices: units named by code", "province", code, "error", err)
			}
			provinces[code] = p
		}
	}
	return func(cycleID, unit string) string {
		for _, u := range provinces[provinceOf(cycleID)].Districts {
			if u.Code == unit {
				return u.Name
			}
		}
		return cycle.Say(cycle.Vietnamese, "notice.unit_code", unit)
	}
}

func provinceOf(cycleID string) string {
	parts := strings.Split(cycleID, "/")
	if len(parts) != 3 {
		return ""
	}
	return parts[1]
}

func init() {
	cycle.DefineMessages(map[string]cycle.Text{
		"notice.unit_code": {VI: "đơn vị mã %s", EN: "unit %s"},
	})
}
