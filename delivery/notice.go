package delivery

import (
	"context"
	"fmt"
	"time"

	mail "github.com/wneessen/go-mail"
)

// Notice is a plain-text message to an officer: a reminder, an overdue
// notice, an escalation, or a day's digest of them.
type Notice struct {
	To        string // a bare e-mail address
	Subject   string
	Body      string // plain text; lines end with \n
	MessageID string // the same for every attempt, so that a receiver can drop a duplicate
	Date      time.Time
}

// SendNotice sends a notice by e-mail through the same server as the
// documents. Its error is classified as Deliver's: wrapping
// cycle.ErrDeliveryAmbiguous when the server may have the message,
// cycle.ErrDeliveryRefused when it refused it for good; otherwise a retry
// is safe.
func (s *SMTPDeliverer) SendNotice(ctx context.Context, n Notice) error {
	msg := mail.NewMsg()
	if err := msg.From(s.cfg.From); err != nil {
		return fmt.Errorf("smtp: from: %w", err)
	}
	if err := msg.To(n.To); err != nil {
		return fmt.Errorf("smtp: to %s: %w", n.To, err)
	}
	msg.Subject(n.Subject)
	msg.SetMessageIDWithValue(n.MessageID)
	if !n.Date.IsZero() {
		msg.SetDateWithValue(n.Date)
	} else {
		msg.SetDate()
	}
	msg.SetBodyString(mail.TypeTextPlain, n.Body)
	return s.send(ctx, n.To, msg)
}
