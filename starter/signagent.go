package main

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"strings"

	"github.com/spf13/cobra"

	"chuyenhoa/api"
	"chuyenhoa/cycle"
	"chuyenhoa/signing"
	"chuyenhoa/signing/agent"
	"chuyenhoa/signing/agent/pkcs11key"
)

// The head's own signature from the command line (issue 17):
// `starter sign-agent` runs the reference signing agent on the officer's
// computer with the PKCS#12 file or PKCS#11 token the officer holds, and
// `starter sign` of a task waiting for the head's own signature fetches
// the digest, has the agent sign it and sends the CMS back, as the
// signing page does.

func init() {
	cycle.DefineMessages(map[string]cycle.Text{
		"cli.agent_key": {
			VI: "Cần chứng thư số của người ký: --p12 TỆP (tệp PKCS#12) hoặc --pkcs11-module, --pkcs11-token, --pkcs11-key (thiết bị ký số)",
			EN: "the signer's key is needed: --p12 FILE (PKCS#12) or --pkcs11-module, --pkcs11-token, --pkcs11-key (a token)",
		},
		"cli.agent_origin": {
			VI: "Cần địa chỉ của hệ thống (--origin, ví dụ https://vanban.quangngai.gov.vn): phần mềm ký số chỉ nhận yêu cầu từ trang ký số của địa chỉ đó",
			EN: "the product's address is needed (--origin, e.g. https://vanban.quangngai.gov.vn): the agent answers only its signing page",
		},
		"cli.agent_running": {
			VI: "Phần mềm ký số đang chạy tại http://%[1]s cho %[2]s (chứng thư số của: %[3]s). Ctrl-C để dừng.",
			EN: "the signing agent is running on http://%[1]s for %[2]s (certificate of %[3]s). Ctrl-C to stop.",
		},
		"cli.agent_asks": {
			VI: "Mỗi lần ký, phần mềm sẽ hiện văn bản và hỏi đồng chí xác nhận tại đây.",
			EN: "each signature shows the document and asks for approval here.",
		},
		"cli.agent_auto": {
			VI: "CHÚ Ý: --yes ký mọi yêu cầu mà không hỏi; chỉ dùng để thử nghiệm",
			EN: "WARNING: --yes signs every request without asking; for tests only",
		},
		"cli.external_sign": {
			VI: "Văn bản %[1]s chờ đồng chí ký số bằng chứng thư số của mình; đang gửi mã băm văn bản đến phần mềm ký số tại %[2]s",
			EN: "%[1]s waits for the signer's own signature; sending its digest to the signing agent at %[2]s",
		},
		"cli.agent_unreachable": {
			VI: "Không kết nối được phần mềm ký số tại %[1]s: hãy chạy `starter sign-agent` (hoặc phần mềm ký số của đơn vị) trên máy này rồi ký lại",
			EN: "cannot reach the signing agent at %[1]s: run `starter sign-agent` on this computer, then sign again",
		},
		"cli.agent_refused": {
			VI: "Phần mềm ký số không ký: %[1]s",
			EN: "the signing agent did not sign: %[1]s",
		},
	})
}

func (x *kindCommands) signAgentCommand() *cobra.Command {
	var p12, password, module, token, keyLabel, pin, certFile, addr string
	var origins []string
	var yes bool
	cmd := &cobra.Command{
		Use:   "sign-agent --origin https://… (--p12 TỆP | --pkcs11-module … --pkcs11-token … --pkcs11-key …)",
		Short: "Chạy phần mềm ký số trên máy của người ký: ký văn bản từ trang ký số bằng chứng thư số của chính người ký (tệp PKCS#12 hoặc thiết bị ký số PKCS#11)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if len(origins) == 0 {
				return cycle.Fail(eUsage, "cli.agent_origin")
			}
			var id *signing.Identity
			var err error
			switch {
			case p12 != "":
				if password == "" {
					password = os.Getenv("CHUYENHOA_AGENT_P12_PASSWORD")
				}
				id, err = signing.LoadPKCS12(p12, password)
			case module != "":
				if pin == "" {
					pin = os.Getenv("CHUYENHOA_AGENT_PIN")
				}
				var closer io.Closer
				id, closer, err = pkcs11key.Open(pkcs11key.Config{Module: module, TokenLabel: token, PIN: pin, KeyLabel: keyLabel, CertFile: certFile})
				if closer != nil {
					defer closer.Close()
				}
			default:
				return cycle.Fail(eUsage, "cli.agent_key")
			}
			if err != nil {
				return err
			}
			approve := agent.TerminalApprover(x.in, x.out)
			if yes {
				fmt.Fprintln(x.errOut, cycle.Say(x.lang, "cli.agent_auto"))
				approve = func(context.Context, agent.SignRequest) error { return nil }
			}
			if addr == "" {
				addr = agent.DefaultAddr
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt)
			defer stop()
			fmt.Fprintln(x.out, cycle.Say(x.lang, "cli.agent_running", addr, strings.Join(origins, ", "), holderOf(id)))
			if !yes {
				fmt.Fprintln(x.out, cycle.Say(x.lang, "cli.agent_asks"))
			}
			return agent.Run(ctx, agent.Config{Addr: addr, Origins: origins, Key: id, Approve: approve})
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&origins, "origin", nil, "the product's address whose signing page may call the agent (repeatable)")
	fl.StringVar(&addr, "addr", agent.DefaultAddr, "where the agent listens (a loopback address only)")
	fl.StringVar(&p12, "p12", "", "the signer's PKCS#12 file")
	fl.StringVar(&password, "password", "", "its password (or env CHUYENHOA_AGENT_P12_PASSWORD)")
	fl.StringVar(&module, "pkcs11-module", "", "the token's PKCS#11 library")
	fl.StringVar(&token, "pkcs11-token", "", "the token's label")
	fl.StringVar(&keyLabel, "pkcs11-key", "", "the key's label on the token")
	fl.StringVar(&pin, "pin", "", "the token's user PIN (or env CHUYENHOA_AGENT_PIN)")
	fl.StringVar(&certFile, "cert", "", "optional PEM certificate chain, for tokens that hold only the key")
	fl.BoolVar(&yes, "yes", false, "sign every request without asking (tests only)")
	return cmd
}

// signExternally signs a task whose document waits for the head's own
// signature: the digest from the server, the CMS from the signing agent,
// the CMS back to the server. handled is false when the task waits for no
// such signature (it is signed the ordinary way).
func (x *kindCommands) signExternally(ctx context.Context, addr, agentURL, comment, given string) (handled bool, err error) {
	var req api.SignatureRequest
	if _, err := x.call(ctx, request{method: "GET", path: "/api/signatures/" + escapePath(addr)}, &req); err != nil {
		// No document waits for the head's own signature (or it cannot be
		// read): the ordinary completion says what the server says.
		return false, nil
	}
	s, err := x.signedIn()
	if err != nil {
		return true, err
	}
	origin, err := normalServer(s.Server)
	if err != nil {
		return true, err
	}
	// Every document of the task, in turn (the year's results are
	// several): one CMS each, sent together.
	docs := req.Documents
	if len(docs) == 0 {
		docs = []api.SignatureDocument{req.SignatureDocument}
	}
	cl := &agent.Client{URL: agentURL, Origin: strings.TrimRight(origin, "/"), HTTP: &http.Client{}}
	body := api.SignatureBody{Comment: comment}
	for _, d := range docs {
		fmt.Fprintln(x.errOut, cycle.Say(x.lang, "cli.external_sign", d.Code, agentURL))
		cms, err := cl.Sign(ctx, agent.SignRequest{DigestB64: d.DigestB64, HashAlg: d.HashAlg, DocumentID: d.DocumentID, Reason: d.Reason})
		if err != nil {
			if strings.Contains(err.Error(), "connect") || strings.Contains(err.Error(), "refused") {
				return true, cycle.Fail(cycle.ECONFLICT, "cli.agent_unreachable", agentURL)
			}
			return true, cycle.Fail(cycle.ECONFLICT, "cli.agent_refused", err.Error())
		}
		body.CMSList = append(body.CMSList, base64.StdEncoding.EncodeToString(cms))
	}
	if len(body.CMSList) == 1 {
		body.CMSB64, body.CMSList = body.CMSList[0], nil
	}
	key, err := x.requestKey(given)
	if err != nil {
		return true, err
	}
	r := jsonRequest("POST", "/api/signatures/"+escapePath(addr), body)
	r.key = key
	var res api.CompletionResponse
	raw, err := x.call(ctx, r, &res)
	if err != nil {
		return true, err
	}
	if x.jsonOut {
		return true, x.raw(raw)
	}
	kind := kindOfAddress(addr)
	x.printf("cli.done", kind.Say(x.lang), addr)
	x.printResult(kind, res.Result)
	x.printf("cli.done_request", key)
	return true, nil
}

// holderOf says whose a certificate is as people read it: its common
// name and organisation.
func holderOf(id *signing.Identity) string {
	s := id.Cert.Subject.CommonName
	if o := id.Cert.Subject.Organization; len(o) > 0 {
		s += " — " + o[0]
	}
	return s
}
