package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"time"

	"chuyenhoa/cycle"
)

// Webhook posts notices to the province's SMS or chat gateway: a JSON
// Message to the account's webhook address, with the message's ID as the
// Idempotency-Key header so that the gateway can drop a repeat. Only the
// gateway's own hosts are called (an officer's address elsewhere is
// refused), so a webhook cannot be pointed at the worker's neighbours.
type Webhook struct {
	// Hosts are the gateway's hosts ("sms.tinh.gov.vn", "10.1.2.3:8443"):
	// a webhook address must be on one of them.
	Hosts   []string
	Client  *http.Client  // default: no redirects followed
	Timeout time.Duration // per call; default 20 s
}

// ParseHosts reads CHUYENHOA_WEBHOOK_HOSTS: hosts separated by commas or spaces.
func ParseHosts(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' })
}

// CheckAddress says whether a webhook address may be called: http(s), no
// credentials, on one of hosts. The error is EINVALID with a message for
// the officer.
func CheckAddress(raw string, hosts []string) error {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return cycle.Fail(cycle.EINVALID, "notice.webhook_address", raw)
	}
	for _, h := range hosts {
		if strings.EqualFold(u.Host, h) || (!strings.Contains(h, ":") && strings.EqualFold(u.Hostname(), h) && u.Port() == "") {
			return nil
		}
	}
	if len(hosts) == 0 {
		return cycle.Fail(cycle.EINVALID, "notice.webhook_none")
	}
	return cycle.Fail(cycle.EINVALID, "notice.webhook_host", u.Host, strings.Join(hosts, ", "))
}

// Send posts m to address. A refusal of the address, or a 4xx reply
// other than 408 and 429, is for good (cycle.ErrDeliveryRefused); a
// failure before the request was written, or a 408, 429 or 5xx reply, is
// safe to retry (the Idempotency-Key covers a gateway that took it);
// losing the connection after the request was written is ambiguous
// (cycle.ErrDeliveryAmbiguous).
func (w *Webhook) Send(ctx context.Context, address string, m Message) error {
	if err := CheckAddress(address, w.Hosts); err != nil {
		return fmt.Errorf("webhook %s: %w: %v", address, cycle.ErrDeliveryRefused, err)
	}
	body, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("webhook: %w", err)
	}
	timeout := w.Timeout
	if timeout <= 0 {
		timeout = 20 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	written := false
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteRequest: func(i httptrace.WroteRequestInfo) { written = i.Err == nil },
	})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, address, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("webhook %s: %w: %v", address, cycle.ErrDeliveryRefused, err)
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("Idempotency-Key", m.ID)
	req.Header.Set("User-Agent", "chuyenhoa-notify")
	c := w.Client
	if c == nil {
		c = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	resp, err := c.Do(req)
	if err != nil {
		if written {
			return fmt.Errorf("webhook %s: %w: %v", address, cycle.ErrDeliveryAmbiguous, err)
		}
		return fmt.Errorf("webhook %s: %w", address, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return nil
	case resp.StatusCode == http.StatusRequestTimeout, resp.StatusCode == http.StatusTooManyRequests, resp.StatusCode >= 500:
		return fmt.Errorf("webhook %s: %s", address, resp.Status)
	}
	return fmt.Errorf("webhook %s: %w: %s", address, cycle.ErrDeliveryRefused, resp.Status)
}

func init() {
	cycle.DefineMessages(map[string]cycle.Text{
		"notice.webhook_address": {
			VI: "Địa chỉ webhook %q không hợp lệ: cần dạng https://máy-chủ/đường-dẫn.",
			EN: "webhook address %q is not valid: want https://host/path",
		},
		"notice.webhook_none": {
			VI: "Tỉnh chưa cấu hình cổng tin nhắn (SMS, chat): chưa thể nhận thông báo qua webhook.",
			EN: "no SMS or chat gateway is configured: webhooks cannot be used",
		},
		"notice.webhook_host": {
			VI: "Webhook chỉ được gửi tới cổng tin nhắn của tỉnh (%[2]s), không tới %[1]s.",
			EN: "webhooks go to the province's gateway only (%[2]s), not to %[1]s",
		},
	})
}
