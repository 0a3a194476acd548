package agent

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"chuyenhoa/signing"
)

// Client calls an agent the way the signing page does (it sends the
// page's Origin). The product's own tests and a command-line signer use
// it; browsers use the JavaScript of the package comment.
type Client struct {
	URL    string // e.g. "http://127.0.0.1:47251"
	Origin string // the signing page's origin
	HTTP   *http.Client
}

// RequestFor is the agent request of a signing.SignRequest.
func RequestFor(r signing.SignRequest) SignRequest {
	out := SignRequest{DigestB64: base64.StdEncoding.EncodeToString(r.Digest), HashAlg: "SHA-256", DocumentID: r.DocumentID, Reason: r.Reason}
	if r.Certificate != nil {
		sum := sha256.Sum256(r.Certificate)
		out.CertificateSHA256 = hex.EncodeToString(sum[:])
	}
	return out
}

// Sign asks the agent to sign and returns the CMS; a refusal is an
// error carrying the agent's code and message.
func (c *Client) Sign(ctx context.Context, req SignRequest) ([]byte, error) {
	body, _ := json.Marshal(req)
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(c.URL, "/")+SignPath, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	hr.Header.Set("Content-Type", "application/json")
	hr.Header.Set("Origin", c.Origin)
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(hr)
	if err != nil {
		return nil, fmt.Errorf("signing agent: %w", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("signing agent: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		var e ErrorResponse
		json.Unmarshal(raw, &e)
		return nil, fmt.Errorf("signing agent: %s (%s): %s", resp.Status, e.Error, e.Message)
	}
	var out SignResponse
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("signing agent: %w", err)
	}
	return base64.StdEncoding.DecodeString(out.CMSB64)
}

// TerminalApprover asks on a terminal: it shows the document, the reason
// and the digest, and signs on "y" (or "có").
func TerminalApprover(in io.Reader, out io.Writer) func(context.Context, SignRequest) error {
	sc := bufio.NewScanner(in)
	return func(ctx context.Context, r SignRequest) error {
		fmt.Fprintf(out, "\nYêu cầu ký số / signature request\n  văn bản / document: %s\n  lý do / reason:     %s\n  SHA-256:            %s\nKý? / Sign? [y/N] ", r.DocumentID, r.Reason, r.DigestB64)
		if !sc.Scan() {
			return fmt.Errorf("%w: no answer", ErrDenied)
		}
		switch strings.ToLower(strings.TrimSpace(sc.Text())) {
		case "y", "yes", "c", "có", "co":
			return nil
		}
		return ErrDenied
	}
}
