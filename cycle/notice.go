package cycle

import (
	"context"
	"time"
)

// Notifications as they reach people. A notification (a reminder, an
// overdue notice, an escalation, a reminder letter issued to a unit) is
// raised once per Key by the workflows; then it is addressed: each account
// of the role and unit it is for gets it once, to read in the web inbox
// (with an unread count), and — as the account's preference says — by
// e-mail or webhook, at once or in a daily digest, through a durable
// outbox sent at most once per (notification, account, channel).

// NotifyDocument is the kind of a notice that a document was issued about
// a task: a reminder letter (công văn đôn đốc) to the task's unit.
const NotifyDocument NotificationKind = "document"

// NoticeChannel is how a notice leaves the web inbox.
type NoticeChannel string

// The channels of notices.
const (
	NoticeEmail   NoticeChannel = "email"   // to Account.Email
	NoticeWebhook NoticeChannel = "webhook" // POSTed to Account.Webhook (the province's SMS or chat gateway)
)

// Notice is a notification as one account reads it.
type Notice struct {
	ID        int64            `json:"id"`  // of the account's copy: what "mark read" names
	Key       string           `json:"key"` // the notification's Key
	CycleID   string           `json:"cycle_id"`
	TaskID    string           `json:"task_id"`
	TaskKind  TaskKind         `json:"task_kind,omitempty"`
	TaskTitle string           `json:"task_title,omitempty"`
	Unit      string           `json:"unit,omitempty"` // the task's unit (district code), if any
	Kind      NotificationKind `json:"kind"`
	Due       Date             `json:"due,omitzero"`
	Seq       int              `json:"seq"`
	// Document and DocumentCode name the issued document of a
	// NotifyDocument notice ("3/BCĐ").
	Document     string     `json:"document,omitempty"`
	DocumentCode string     `json:"document_code,omitempty"`
	At           time.Time  `json:"at"` // when it reached the account
	ReadAt       *time.Time `json:"read_at,omitempty"`
}

// Read reports whether the account has marked the notice read.
func (n Notice) Read() bool { return n.ReadAt != nil }

// Text says the notice for people: what is due, whose, by when. unit
// names a unit (district code) for people; nil says the code.
func (n Notice) Text(lang Lang, unit func(string) string) string {
	task := n.TaskTitle
	if task == "" {
		task = n.TaskKind.Say(lang)
		if _, known := Message("task_kind." + string(n.TaskKind)); !known {
			task = Say(lang, "notice.a_task")
		}
	}
	who := n.Unit
	if unit != nil && who != "" {
		who = unit(who)
	}
	switch n.Kind {
	case NotifyReminder:
		return Say(lang, "notice.reminder", task, n.Due)
	case NotifyOverdue:
		return Say(lang, "notice.overdue", task, n.Due)
	case NotifyEscalation:
		if who == "" {
			return Say(lang, "notice.escalation", task, n.Due, n.Seq)
		}
		return Say(lang, "notice.escalation_unit", task, n.Due, n.Seq, who)
	case NotifyDocument:
		return Say(lang, "notice.letter", n.DocumentCode, task, n.Due)
	}
	return Say(lang, "notice.info", task)
}

// Subject is the notice's e-mail subject.
func (n Notice) Subject(lang Lang) string {
	return Say(lang, "notice.subject."+string(n.Kind))
}

// NoticeFilter selects an account's notices.
type NoticeFilter struct {
	Unread bool // only those not read yet
	Limit  int  // at most this many, newest first (0: 200)
}

// OutboxStatus is where one notice's sending stands.
type OutboxStatus string

// The states of a notice in the outbox. pending → sending (claimed by one
// attempt) → sent; failed goes back to sending at its next try; unknown
// (the hand-over may have happened: never sent again automatically),
// refused (for good, or after every try) and dropped (the account has no
// address any more, wants the inbox only, or is disabled) are final.
const (
	OutboxPending OutboxStatus = "pending"
	OutboxSending OutboxStatus = "sending"
	OutboxSent    OutboxStatus = "sent"
	OutboxFailed  OutboxStatus = "failed"
	OutboxUnknown OutboxStatus = "unknown"
	OutboxRefused OutboxStatus = "refused"
	OutboxDropped OutboxStatus = "dropped"
)

// OutboxItem is one notice to send to one account by one channel.
type OutboxItem struct {
	ID        int64         `json:"id"`
	Channel   NoticeChannel `json:"channel"`
	Digest    bool          `json:"digest"`
	Status    OutboxStatus  `json:"status"`
	Attempts  int           `json:"attempts"`
	AttemptID string        `json:"attempt_id,omitempty"`
	Address   string        `json:"address,omitempty"`
	MessageID string        `json:"message_id,omitempty"`
	LastError string        `json:"last_error,omitempty"`
	CreatedAt time.Time     `json:"created_at"`
	SentAt    *time.Time    `json:"sent_at,omitempty"`
	Notice    Notice        `json:"notice"`
	// Account is the recipient as it is now (its contacts and preference
	// when the item was claimed).
	Account Account `json:"account"`
}

// NoticeStore keeps notifications as they reach people: each account's
// copy with its read state, and the outbox of what leaves by e-mail or
// webhook. Writes are idempotent, as everywhere in the store.
type NoticeStore interface {
	// AddressNotification gives a stored notification (by Key) to every
	// enabled account of its role (and unit), once each, and puts it in
	// the outbox for each account's channels as its preference says
	// (digest ones wait for the daily digest). Calling it again adds
	// nothing already there. It returns how many accounts it reaches.
	// ENOTFOUND if no notification has that key.
	AddressNotification(ctx context.Context, key string, at time.Time) (int, error)
	// Notices lists an account's notices, newest first.
	Notices(ctx context.Context, account string, f NoticeFilter) ([]Notice, error)
	// UnreadNotices counts an account's notices not read yet.
	UnreadNotices(ctx context.Context, account string) (int, error)
	// MarkNoticesRead marks an account's notices read (ids nil: all of
	// them) and returns how many it changed; ENOTFOUND if an ID is not one
	// of the account's notices (nothing is changed then).
	MarkNoticesRead(ctx context.Context, account string, ids []int64, at time.Time) (int, error)
	// NoticeOutbox returns the outbox items of an account ("" for all), by ID.
	NoticeOutbox(ctx context.Context, account string) ([]OutboxItem, error)
}

// OutboxStore is what the dispatcher of notices uses: it claims what is
// due before sending and records each outcome.
type OutboxStore interface {
	// ClaimNotices takes for attemptID, at now, up to limit items due by
	// themselves (next_try ≤ now) and every digest item raised before
	// digestBefore, with their notices and accounts. An item is claimed
	// by one attempt at a time.
	ClaimNotices(ctx context.Context, attemptID string, now, digestBefore time.Time, limit int) ([]OutboxItem, error)
	// FinishNotices records what the attempt that claimed items achieved:
	// OutboxSent, OutboxFailed (retry at retryAt), OutboxUnknown,
	// OutboxRefused or OutboxDropped, with the address, Message-ID and
	// error. Items claimed since by another attempt are left alone; it
	// returns how many it settled.
	FinishNotices(ctx context.Context, attemptID string, ids []int64, outcome OutboxStatus, address, messageID, lastError string, retryAt, at time.Time) (int, error)
	// ExpireNoticeClaims marks unknown the items claimed before `before`
	// whose attempt never reported (the process died while sending): they
	// may have left, so they are not sent again. It returns how many.
	ExpireNoticeClaims(ctx context.Context, before, at time.Time) (int, error)
}

func init() {
	defineMessages(map[string]Text{
		"notice.reminder": {
			VI: "Nhắc việc: “%[1]s” — hạn ngày %[2]s.",
			EN: "reminder: %[1]s — due on %[2]s",
		},
		"notice.overdue": {
			VI: "Quá hạn: “%[1]s” — hạn ngày %[2]s đã qua, đề nghị hoàn thành ngay.",
			EN: "overdue: %[1]s — it was due on %[2]s",
		},
		"notice.escalation": {
			VI: "Báo cáo chậm (lần %[3]d): việc “%[1]s” chưa hoàn thành, quá hạn ngày %[2]s.",
			EN: "late (escalation %[3]d): %[1]s is not done, due on %[2]s",
		},
		"notice.escalation_unit": {
			VI: "Báo cáo chậm (lần %[3]d): %[4]s chưa hoàn thành việc “%[1]s”, quá hạn ngày %[2]s.",
			EN: "late (escalation %[3]d): %[4]s has not done %[1]s, due on %[2]s",
		},
		"notice.letter": {
			VI: "Ban Chỉ đạo đã ban hành Công văn số %[1]s đôn đốc việc “%[2]s” (hạn ngày %[3]s); văn bản có trong mục Thông báo.",
			EN: "letter %[1]s was issued about %[2]s (due on %[3]s)",
		},
		"notice.a_task": {VI: "một việc được giao", EN: "a task"},
		"notice.info": {
			VI: "Thông báo: “%[1]s”.",
			EN: "notice: %[1]s",
		},
		"notice.subject.reminder":   {VI: "Nhắc việc sắp đến hạn", EN: "Reminder: a task falls due"},
		"notice.subject.overdue":    {VI: "Việc đã quá hạn", EN: "A task is overdue"},
		"notice.subject.escalation": {VI: "Báo cáo chậm: việc quá hạn chưa hoàn thành", EN: "Escalation: an overdue task"},
		"notice.subject.document":   {VI: "Công văn đôn đốc", EN: "Reminder letter issued"},
		"notice.subject.info":       {VI: "Thông báo", EN: "Notice"},
		"notice.subject.digest": {
			VI: "Tổng hợp %[1]d thông báo trong ngày %[2]s",
			EN: "%[1]d notices of %[2]s",
		},
	})
}
