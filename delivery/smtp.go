package delivery

import (
	"bytes"
	"chuyenhoa/cycle"
	"context"
	"errors"
	"fmt"
	"time"

	mail "github.com/wneessen/go-mail"
)

// SMTPConfig configures the SMTP deliverer.
type SMTPConfig struct {
	Host     string        // CHUYENHOA_SMTP_HOST
	Port     int           // CHUYENHOA_SMTP_PORT, default 587
	From     string        // CHUYENHOA_SMTP_FROM, e.g. "vanthu@bcd138.example.gov.vn"
	Username string        // CHUYENHOA_SMTP_USERNAME; empty: no authentication
	Password string        // CHUYENHOA_SMTP_PASSWORD
	TLS      string        // CHUYENHOA_SMTP_TLS: "mandatory" (default), "opportunistic" or "none"
	Timeout  time.Duration // per connection; default 30 s
}

// SMTPDeliverer sends each document as an e-mail with the PDF attached,
// one message per recipient, through go-mail.
type SMTPDeliverer struct {
	cfg SMTPConfig
}

// NewSMTP checks cfg and returns the deliverer.
func NewSMTP(cfg SMTPConfig) (*SMTPDeliverer, error) {
	if cfg.Host == "" || cfg.From == "" {
		return nil, errors.New("smtp: host and from address are required")
	}
	if cfg.Port == 0 {
		cfg.Port = 587
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 30 * time.Second
	}
	switch cfg.TLS {
	case "", "mandatory", "opportunistic", "none":
	default:
		return nil, fmt.Errorf("smtp: TLS policy %q is not mandatory, opportunistic or none", cfg.TLS)
	}
	return &SMTPDeliverer{cfg: cfg}, nil
}

// Deliver implements Deliverer. A failure before the server accepted the
// message's data, or the server refusing the data with a reply code, is a
// plain error (safe to retry) — wrapping cycle.ErrDeliveryRefused when the reply
// code says the refusal is for good (5xx); losing the connection while the server
// should be confirming the data, or an ambiguous failure, wraps
// cycle.ErrDeliveryAmbiguous.
func (s *SMTPDeliverer) Deliver(ctx context.Context, t cycle.DeliveryTarget, m cycle.DeliveryMessage) error {
	msg := mail.NewMsg()
	if err := msg.From(s.cfg.From); err != nil {
		return fmt.Errorf("smtp: from: %w", err)
	}
	if err := msg.To(t.Address); err != nil {
		return fmt.Errorf("smtp: to %s: %w", t.Key, err)
	}
	msg.Subject(fmt.Sprintf("Văn bản số %s: %s", m.Code, m.Subject))
	msg.SetMessageIDWithValue(m.MessageID)
	if !m.Date.IsZero() {
		msg.SetDateWithValue(m.Date)
	} else {
		msg.SetDate()
	}
	msg.SetBodyString(mail.TypeTextPlain, fmt.Sprintf(
		"Kính gửi: %s\r\n\r\n%s gửi văn bản số %s (%s), tệp đính kèm %s.\r\n"+
			"Văn bản có chữ ký số; kiểm tra bằng: starter verify %s\r\n",
		t.Name, m.Sender, m.Code, m.Subject, m.FileName, m.FileName))
	if err := msg.AttachReader(m.FileName, bytes.NewReader(m.PDF), mail.WithFileContentType(mail.ContentType("application/pdf"))); err != nil {
		return fmt.Errorf("smtp: attach: %w", err)
	}
	return s.send(ctx, t.Address, msg)
}

// send hands msg to the server, classifying a failure as Deliver says.
func (s *SMTPDeliverer) send(ctx context.Context, to string, msg *mail.Msg) error {
	opts := []mail.Option{mail.WithPort(s.cfg.Port), mail.WithTimeout(s.cfg.Timeout)}
	switch s.cfg.TLS {
	case "none":
		opts = append(opts, mail.WithTLSPortPolicy(mail.NoTLS))
	case "opportunistic":
		opts = append(opts, mail.WithTLSPortPolicy(mail.TLSOpportunistic))
	default:
		opts = append(opts, mail.WithTLSPortPolicy(mail.TLSMandatory))
	}
	if s.cfg.Username != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthPlain), mail.WithUsername(s.cfg.Username), mail.WithPassword(s.cfg.Password))
	}
	c, err := mail.NewClient(s.cfg.Host, opts...)
	if err != nil {
		return fmt.Errorf("smtp: %w", err)
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		var se *mail.SendError
		// After the data, only a reply code from the server says for sure
		// that it refused the message; a broken connection says nothing.
		if errors.As(err, &se) && (se.Reason == mail.ErrSMTPDataClose && se.ErrorCode() == 0 || se.Reason == mail.ErrAmbiguous) {
			return fmt.Errorf("smtp: to %s: %w: %v", to, cycle.ErrDeliveryAmbiguous, err)
		}
		if errors.As(err, &se) && se.ErrorCode() >= 500 {
			return fmt.Errorf("smtp: to %s: %w: %v", to, cycle.ErrDeliveryRefused, err)
		}
		return fmt.Errorf("smtp: to %s: %w", to, err)
	}
	return nil
}
