package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"

	"chuyenhoa/cycle"
	"chuyenhoa/internal/app"
	"chuyenhoa/signing"
	"chuyenhoa/signing/agent"
	"chuyenhoa/workflows/issuing"
)

// The head's own signature in the demo (issue 17). A real head signs on
// the signing page with the signing agent on their computer and the
// token they hold; the demo has neither, so it starts the reference
// agent (the code of `starter sign-agent`) in-process on a local port,
// with the demo's simulated head certificate as the "token", and its
// head signs the approval decision through it: the worker prepares the
// decision, the agent signs its digest, the worker embeds and verifies
// the CMS. The programme years run on a calendar too fast for a signer to
// sign a decision the day it is prepared (a later day's signature is
// refused and the decision re-dated), so the demo then has the worker sign
// as the head with the same simulated key, and says so.

// demoAgentOrigin is the origin the demo's head calls the agent from: the
// agent answers only the origins it is told (a real one, the product's
// signing page).
const demoAgentOrigin = "https://chuyenhoa-demo.invalid"

// simulatedSigner is the reference signing agent running in-process
// with the demo's simulated head certificate.
type simulatedSigner struct {
	url    string
	holder string
	client *agent.Client
	stop   context.CancelFunc
	done   chan error
}

// startSimulatedSigner starts the reference agent on 127.0.0.1 with the
// head's key of the demo's signing configuration; every signature it
// makes is approved at once and printed on w, as the officer's approval
// would be asked for.
func startSimulatedSigner(ctx context.Context, cfg app.SigningConfig, w io.Writer) (*simulatedSigner, error) {
	clerk, err := app.LoadSigning(cfg)
	if err != nil {
		return nil, err
	}
	if clerk == nil || clerk.Signer == nil {
		return nil, errors.New("the demo's simulated signer needs the head's demo key (CHUYENHOA_SIGNER_CERT or the demo PKI)")
	}
	id := clerk.Signer
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("simulated signer: %w", err)
	}
	approve := func(_ context.Context, r agent.SignRequest) error {
		fmt.Fprintf(w, "   [phần mềm ký số giả lập / simulated signing agent] %s — %q: người ký xác nhận / the signer approves\n", r.DocumentID, r.Reason)
		return nil
	}
	actx, stop := context.WithCancel(ctx)
	s := &simulatedSigner{url: "http://" + ln.Addr().String(), holder: id.Cert.Subject.CommonName, stop: stop, done: make(chan error, 1)}
	s.client = &agent.Client{URL: s.url, Origin: demoAgentOrigin}
	go func() {
		s.done <- agent.Serve(actx, ln, agent.Config{Origins: []string{demoAgentOrigin}, Key: id, Approve: approve})
	}()
	return s, nil
}

// Sign has the agent sign the digest of a decision prepared for the
// head, as the signing page does.
func (s *simulatedSigner) Sign(ctx context.Context, p issuing.PendingSignature) ([]byte, error) {
	return s.client.Sign(ctx, agent.RequestFor(signing.SignRequest{DocumentID: p.Code, Digest: p.Digest, Reason: p.Reason}))
}

// Close stops the agent.
func (s *simulatedSigner) Close() error {
	s.stop()
	return <-s.done
}

// headSignsExternally is whether the demo's head signs the approval
// decision through the simulated signer: the default, unless
// --head-signature (or CHUYENHOA_HEAD_SIGNATURE) says server.
func headSignsExternally(mode string) (bool, error) {
	switch mode {
	case "", app.HeadExternal:
		return true, nil
	case app.HeadServer:
		return false, nil
	}
	return false, cycle.Errorf(cycle.EINVALID, "--head-signature %q: external or server", mode)
}

// simulatedHead starts, unless mode says the worker signs (server), the
// simulated signer's agent the demo's head or grantor signs through, turns
// the configuration to external signing and says so, in both languages
// (standsFor: whose token it stands in for, as the English line goes on);
// nil when the worker signs. The caller closes it.
func (x *demo) simulatedHead(ctx context.Context, mode, standsFor string) (*simulatedSigner, error) {
	external, err := headSignsExternally(mode)
	if err != nil || !external {
		return nil, err
	}
	x.cfg.Signing.Head.Mode = app.HeadExternal
	signer, err := startSimulatedSigner(ctx, x.cfg.Signing, x.out)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(x.out, "• ký số: phần mềm ký số GIẢ LẬP của người ký chạy tại %s với chứng thư số mẫu của %s (giả lập thiết bị ký số của người ký)\n", signer.url, signer.holder)
	fmt.Fprintf(x.out, "• signing: a SIMULATED signer's agent (the reference agent of `starter sign-agent`) runs at %s with the demo certificate of %s, standing in for the %s\n", signer.url, signer.holder, standsFor)
	return signer, nil
}
