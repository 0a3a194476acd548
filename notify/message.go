package notify

import (
	"fmt"
	"strings"

	"chuyenhoa/cycle"
)

// Message is what one send carries: one notice, or an account's digest.
type Message struct {
	ID      string   `json:"id"`      // Message-ID; the webhook's Idempotency-Key
	Account string   `json:"account"` // the recipient's account
	Name    string   `json:"name,omitempty"`
	Subject string   `json:"subject"`
	Text    string   `json:"text"`  // the whole message, plain text
	Lines   []string `json:"lines"` // each notice in one sentence (an SMS gateway may send these)
	Link    string   `json:"link,omitempty"`
	Digest  bool     `json:"digest"`
}

// message composes the message of a group of items (see groups), in
// Vietnamese from the catalogue.
func (d *Dispatcher) message(g []cycle.OutboxItem, names func(string, string) string) Message {
	first := g[0]
	m := Message{Account: first.Account.ID, Name: first.Account.Name, Digest: first.Digest}
	for _, it := range g {
		n := it.Notice
		line := n.Text(cycle.Vietnamese, func(u string) string { return names(n.CycleID, u) })
		if unit := names(n.CycleID, n.Unit); n.Unit != "" && n.Kind != cycle.NotifyEscalation && !strings.Contains(n.TaskTitle, unit) {
			line += " " + cycle.Say(cycle.Vietnamese, "notice.of_unit", unit)
		}
		m.Lines = append(m.Lines, line)
	}
	if d.BaseURL != "" {
		m.Link = strings.TrimRight(d.BaseURL, "/") + "/notifications"
	}
	if first.Digest {
		m.ID = fmt.Sprintf("digest.%d.%d.%s@%s", first.ID, len(g), first.Channel, d.Domain)
		m.Subject = cycle.Say(cycle.Vietnamese, "notice.subject.digest", len(g), cycle.DateOf(d.Now()))
	} else {
		m.ID = fmt.Sprintf("notice.%d.%s@%s", first.ID, first.Channel, d.Domain)
		m.Subject = first.Notice.Subject(cycle.Vietnamese)
	}
	var b strings.Builder
	who := first.Account.Name
	if who == "" {
		who = first.Account.ID
	}
	fmt.Fprintf(&b, "%s\n\n", cycle.Say(cycle.Vietnamese, "notice.greeting", who))
	for _, l := range m.Lines {
		if len(m.Lines) > 1 {
			b.WriteString("- ")
		}
		b.WriteString(l)
		b.WriteString("\n")
	}
	if m.Link != "" {
		fmt.Fprintf(&b, "\n%s\n", cycle.Say(cycle.Vietnamese, "notice.link", m.Link))
	}
	fmt.Fprintf(&b, "\n%s\n", cycle.Say(cycle.Vietnamese, "notice.footer"))
	m.Text = b.String()
	return m
}

func init() {
	cycle.DefineMessages(map[string]cycle.Text{
		"notice.of_unit":  {VI: "(%s)", EN: "(%s)"},
		"notice.greeting": {VI: "Kính gửi đồng chí %s,", EN: "Dear %s,"},
		"notice.link":     {VI: "Xem và xử lý tại: %s", EN: "See it at %s"},
		"notice.footer": {
			VI: "Thư gửi tự động từ hệ thống quản lý chuyển hóa địa bàn; đồng chí có thể đổi cách nhận thông báo trong mục Cài đặt.",
			EN: "Sent automatically; change how you receive notices in Settings.",
		},
	})
}
