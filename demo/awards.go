package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"google.golang.org/protobuf/encoding/protojson"

	"chuyenhoa/cycle"
	"chuyenhoa/internal/app"
	"chuyenhoa/internal/display"
	"chuyenhoa/policies"
	"chuyenhoa/workflows/awards"
	"chuyenhoa/workflows/flow"
)

// demoGrantor signs the demo's award decision when the scheme names no
// signer (synthetic).
const demoGrantor = "Nguyễn Văn A"

// awardsCommand runs a whole award round of policy 003 (or 001) on
// embedded servers, with synthetic nominees, showing the refusals.
func (x *demo) awardsCommand() *cobra.Command {
	var slug, policyArg, historyFile string
	var year int
	cmd := &cobra.Command{
		Use:   "awards",
		Short: "Run a whole award round (policies 001, 003) on embedded servers (synthetic nominees)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			dir, err := os.MkdirTemp("", "chuyenhoa-awards-")
			if err != nil {
				return err
			}
			defer os.RemoveAll(dir)
			e, err := x.embed(ctx, cmd, filepath.Join(dir, "temporal.db"), 0, -1)
			if err != nil {
				return err
			}
			defer e.stop()
			if x.cfg.OutputDir, err = filepath.Abs(x.cfg.OutputDir); err != nil {
				return err
			}
			pol, err := policies.Resolve(policyArg)
			if err != nil {
				return err
			}
			return x.runAwardsDemo(ctx, slug, year, pol, historyFile)
		},
	}
	cmd.Flags().StringVar(&historyFile, "save-history", "", "write the round's workflow history here (JSON, for the replay test)")
	cmd.Flags().StringVar(&slug, "province", "binh-phuoc", "sample province")
	cmd.Flags().StringVar(&policyArg, "policy", "003", "policy with an award scheme (001 or 003)")
	cmd.Flags().IntVar(&year, "year", 2024, "the round's year")
	cmd.Flags().StringVar(&x.cfg.OutputDir, "out", x.cfg.OutputDir, "directory for the PDFs")
	return cmd
}

func (x *demo) runAwardsDemo(ctx context.Context, slug string, year int, pol cycle.Policy, historyFile string) error {
	prov, provIssuer, err := demoProvince(slug)
	if err != nil {
		return err
	}
	if err := x.open(ctx); err != nil {
		return err
	}
	if err := x.db.SaveProvince(ctx, prov, provIssuer); err != nil {
		return err
	}
	// The award decision is signed and sealed like every decision: with
	// the demo's local keys unless signing is configured.
	signIs := provIssuer
	if pol.Awards != nil && pol.Awards.Issuer != nil {
		signIs = *pol.Awards.Issuer
	}
	if signIs.SignerName == "" { // the scheme names no signer: the demo's grantor
		signIs.SignerName = demoGrantor
	}
	body := signIs.CommitteeName
	if body == "" {
		body = signIs.Body
	}
	if err := x.demoDocuments(signIs.SignerName, body, prov); err != nil {
		return err
	}
	// The grantor signs through the simulated signer's agent, as the head
	// of the cycle demo does, unless CHUYENHOA_HEAD_SIGNATURE says server.
	signer, err := x.simulatedHead(ctx, x.cfg.Signing.Head.Mode, "grantor's token")
	if err != nil {
		return err
	}
	if signer != nil {
		defer signer.Close()
	}
	acts, err := app.NewActivities(x.db, x.cfg)
	if err != nil {
		return err
	}
	w := app.NewWorker(x.c, acts)
	if err := w.Start(); err != nil {
		return err
	}
	defer w.Stop()
	step := func(format string, args ...any) { step(x.out, format, args...) }
	rounds := x.rounds()

	secretariat := cycle.Actor{ID: "cat.thuongtruc", Role: cycle.RoleSecretariat}
	// The round runs now: nominations are due in a week unless the policy dates them.
	due := cycle.DateOf(time.Now()).AddDays(7)
	in, err := awards.InputFor(pol, prov, year, due, demoGrantor, secretariat, true)
	if err != nil {
		return err
	}
	run, err := rounds.Start(ctx, in)
	if err != nil {
		return err
	}
	id := run.GetID()
	step("1. The secretariat opens award round %s under policy %s (%s; nominations due %s)", run.GetID(), pol.ID, pol.Awards.Form, due.Vietnamese())
	dossier := make([]string, 0, len(pol.Awards.Dossier))
	for _, p := range pol.Awards.Dossier {
		dossier = append(dossier, p.ID)
	}
	area := func(i int) string {
		if pol.Awards.PerArea > 0 {
			return prov.Communes[i].Code
		}
		return ""
	}
	mk := func(kind cycle.NomineeKind, name, pos string, leader bool, i int) cycle.Nomination {
		return cycle.Nomination{Kind: kind, Name: name, Position: pos, Leader: leader, Area: area(i), Achievements: "Tham gia chuyển hóa thành công địa bàn năm " + fmt.Sprint(year) + " (dữ liệu mẫu)", Dossier: dossier}
	}
	u0, u1 := in.Units[0], in.Units[1]
	nominate := func(u awards.AwardUnit, rid string, noms ...cycle.Nomination) error {
		r := flow.Request{Actor: cycle.Actor{ID: "ca." + u.Code, Role: cycle.RoleDistrictOfficer, District: u.Code}, RequestID: rid}
		_, err := rounds.Nominate(ctx, id, awards.NominateRequest{Request: r, Unit: u.Code, Nominations: noms})
		return err
	}
	first := []cycle.Nomination{
		mk(cycle.NomineeCollective, "Công an "+lowerUnitName(prov.Communes[0].Name), "", false, 0),
		mk(cycle.NomineeIndividual, "Trần Văn Bình", "Phó Trưởng Công an "+lowerUnitName(u0.Name), true, 1),
		mk(cycle.NomineeIndividual, "Lê Thị Hoa", "Cán bộ Công an "+lowerUnitName(prov.Communes[2].Name), false, 2),
	}
	if err := nominate(u0, "demo-n0", first...); err != nil {
		return fmt.Errorf("nominate %s: %w", u0.Code, err)
	}
	step("2. %s nominates 1 collective and 2 individuals (one a leader)", u0.Name)
	bad := []cycle.Nomination{
		mk(cycle.NomineeIndividual, "Phạm Minh Tuấn", "Trưởng Công an "+lowerUnitName(prov.Communes[3].Name), true, 3),
		mk(cycle.NomineeIndividual, "Đỗ Văn Nam", "Phó Trưởng phòng", true, 3),
	}
	bad[1].Dossier = bad[1].Dossier[:len(bad[1].Dossier)/2]
	if err := nominate(u1, "demo-bad", bad...); err != nil {
		if ce := flow.AsCycleError(err); ce != nil {
			step("   %s's nominations are refused whole:\n     %s", u1.Name, display.Indent(display.Describe(ce)))
		} else {
			return err
		}
	}
	second := []cycle.Nomination{mk(cycle.NomineeIndividual, "Phạm Minh Tuấn", "Cán bộ Công an "+lowerUnitName(prov.Communes[3].Name), false, 4)}
	if err := nominate(u1, "demo-n1", second...); err != nil {
		return fmt.Errorf("nominate %s: %w", u1.Code, err)
	}
	step("   %s sends one individual instead", u1.Name)

	if _, err := rounds.CloseNominations(ctx, id, flow.Request{Actor: secretariat, RequestID: "demo-close"}); err != nil {
		return err
	}
	step("3. The secretariat closes the nominations early")
	st, err := x.waitAwardPhase(ctx, id, cycle.AwardPhaseReview)
	if err != nil {
		return err
	}
	rv := cycle.AwardReview{Minutes: "Biên bản họp Hội đồng Thi đua - Khen thưởng (dữ liệu mẫu)"}
	for _, n := range st.Nominations {
		rv.Accepted = append(rv.Accepted, n.ID)
	}
	cr := flow.Request{Actor: cycle.Actor{ID: "hd.chutich", Role: cycle.RoleCouncilChair}, RequestID: "demo-review"}
	rres, err := rounds.Review(ctx, id, awards.ReviewAwardsRequest{Request: cr, Review: rv})
	if err != nil {
		return err
	}
	step("4. The council puts forward %s", count(len(rres.Accepted), "nomination", "nominations"))
	if _, err := x.waitAwardPhase(ctx, id, cycle.AwardPhaseSigning); err != nil {
		return err
	}
	sg := awards.SignAwardsRequest{Request: flow.Request{Actor: cycle.Actor{ID: "lanhdao", Name: in.Issuer.SignerName, Role: cycle.RoleSigner}, RequestID: "demo-sign"}}
	if signer != nil {
		st, err := x.waitAwardState(ctx, id, func(s awards.AwardRoundState) bool { return s.HeadSignature != nil })
		if err != nil {
			return fmt.Errorf("the award decision is never prepared for the grantor's signature: %w", err)
		}
		p := *st.HeadSignature
		step("5. Award decision Số %s is numbered, rendered and prepared for the grantor's own signature (SHA-256 of its byte ranges %x…)", p.Code, p.Digest[:8])
		if sg.CMS, err = signer.Sign(ctx, p); err != nil {
			return err
		}
	}
	on, err := rounds.Sign(ctx, id, sg)
	if err != nil {
		return err
	}
	if signer != nil {
		step("   %s %s signs on %s with their own (simulated) certificate through the signing agent; the worker embeds and verifies the signature", in.Issuer.SignerTitle, in.Issuer.SignerName, on.Vietnamese())
	} else {
		step("5. %s %s signs on %s", in.Issuer.SignerTitle, in.Issuer.SignerName, on.Vietnamese())
	}
	if _, err := x.waitAwardPhase(ctx, id, cycle.AwardPhaseIssue); err != nil {
		return err
	}
	cl := flow.Request{Actor: cycle.Actor{ID: "vanthu", Role: cycle.RoleClerk}, RequestID: "demo-issue"}
	d, err := rounds.Issue(ctx, id, cl)
	if err != nil {
		return err
	}
	step("6. The clerk issues award decision Số %s dated %s", d.Code, d.Date.Vietnamese())
	var result cycle.Decision
	if err := run.Get(ctx, &result); err != nil {
		return err
	}
	fmt.Fprintf(x.out, "\nAward round %s completed.\nPDF written:\n  %s  (sha256 %s)\n", run.GetID(), x.pdfs().Path(ctx, d), d.SHA256)
	if historyFile != "" {
		hist := &historypb.History{}
		it := x.c.GetWorkflowHistory(ctx, run.GetID(), run.GetRunID(), false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
		for it.HasNext() {
			e, err := it.Next()
			if err != nil {
				return err
			}
			hist.Events = append(hist.Events, e)
		}
		b, err := protojson.MarshalOptions{Indent: "  "}.Marshal(hist)
		if err != nil {
			return err
		}
		if err := os.WriteFile(historyFile, b, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(x.out, "History of %d events written to %s\n", len(hist.Events), historyFile)
	}
	return nil
}

func (x *demo) waitAwardPhase(ctx context.Context, roundID string, p cycle.AwardPhase) (awards.AwardRoundState, error) {
	st, err := x.waitAwardState(ctx, roundID, func(s awards.AwardRoundState) bool { return s.Phase == p })
	if err != nil && ctx.Err() == nil {
		return st, fmt.Errorf("award round %s stays in phase %s, not %s: %w", roundID, st.Phase, p, err)
	}
	return st, err
}

// waitAwardState polls a round's state until ok says it is there (30 s at most).
func (x *demo) waitAwardState(ctx context.Context, roundID string, ok func(awards.AwardRoundState) bool) (awards.AwardRoundState, error) {
	deadline := time.Now().Add(30 * time.Second)
	for {
		st, err := x.rounds().State(ctx, roundID)
		if err != nil {
			return st, err
		}
		if ok(st) {
			return st, nil
		}
		if time.Now().After(deadline) {
			return st, fmt.Errorf("award round %s: the state awaited does not come", roundID)
		}
		select {
		case <-ctx.Done():
			return st, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// lowerUnitName: "Xã Long Giang" reads "xã Long Giang" after "Công an".
func lowerUnitName(s string) string {
	for _, p := range []string{"Xã ", "Phường ", "Thị trấn ", "Huyện ", "Thị xã ", "Thành phố "} {
		if rest, ok := strings.CutPrefix(s, p); ok {
			return strings.ToLower(p) + rest
		}
	}
	return s
}
