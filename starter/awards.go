package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"
	"google.golang.org/protobuf/encoding/protojson"

	"chuyenhoa/cycle"
	"chuyenhoa/internal/app"
	"chuyenhoa/policies"
	"chuyenhoa/workflows/awards"
	"chuyenhoa/workflows/flow"
)

// awardTarget is the award round a command acts on.
type awardTarget struct{ target }

func (t *awardTarget) id() string { return awards.WorkflowID(t.province, t.year) }

func (x *cli) awardUpdate(ctx context.Context, t *awardTarget, name string, arg, result any, rid string) error {
	return x.updateWorkflow(ctx, t.id(), "award round", "starter awards start", name, rid, arg, result)
}

func (x *cli) awardState(ctx context.Context, id string) (awards.AwardRoundState, error) {
	var st awards.AwardRoundState
	return st, x.queryWorkflow(ctx, id, "award round", awards.QueryAwardRound, &st)
}

// startAwardRound starts the round and returns once it is taking nominations.
func (x *cli) startAwardRound(ctx context.Context, in awards.AwardRoundInput) (client.WorkflowRun, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	id := awards.WorkflowID(in.Province, in.Year)
	what := fmt.Sprintf("the %d award round of province %s", in.Year, in.Province)
	return x.startOnce(ctx, id, what, awards.AwardRound, in, func() bool {
		st, err := x.awardState(ctx, id)
		return err == nil && st.Phase != ""
	})
}

// awardInput builds a round's input from a policy with an award scheme and
// the province's registry: its districts nominate (its communes in a
// two-tier province).
func awardInput(pol cycle.Policy, prov cycle.Province, year int, due cycle.Date, signerName string, by cycle.Actor, synthetic bool) (awards.AwardRoundInput, error) {
	if pol.Awards == nil {
		return awards.AwardRoundInput{}, cycle.Errorf(cycle.EINVALID, "policy %s has no award scheme (001 and 003 have one)", pol.ID)
	}
	var is cycle.Issuer
	if pol.Awards.Issuer != nil {
		is = *pol.Awards.Issuer
	}
	if signerName != "" {
		is.SignerName = signerName
	}
	in := awards.AwardRoundInput{Province: prov.Code, ProvinceName: prov.Name, Year: year, Policy: pol, Issuer: is, Due: due, StartedBy: by, Synthetic: synthetic}
	for _, u := range prov.Units() {
		in.Units = append(in.Units, awards.AwardUnit{Code: u, Name: prov.UnitName(u)})
	}
	return in, nil
}

func (x *cli) awardsCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "awards",
		Short: "Award rounds (policies 001, 003): nominations, council review, signature and the award decision",
	}

	var policyArg, dueArg, signerName string
	var synthetic bool
	start := &cobra.Command{
		Use:   "start --policy 003 --province 70 --year 2024 --due 2024-11-30 --signer-name NAME",
		Short: "Open a province's award round for a year (secretariat)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			t := cmd.Context().Value(awardKey{}).(*awardTarget)
			pol, err := policies.Resolve(policyArg)
			if err != nil {
				return err
			}
			db, err := x.store(cmd.Context())
			if err != nil {
				return err
			}
			prov, _, err := db.Province(cmd.Context(), t.province)
			if err != nil {
				return err
			}
			var due cycle.Date
			if dueArg != "" {
				if due, err = cycle.ParseDate(dueArg); err != nil {
					return cycle.Errorf(cycle.EINVALID, "--due: %v", err)
				}
			}
			in, err := awardInput(pol, prov, t.year, due, signerName, t.request().Actor, synthetic)
			if err != nil {
				return err
			}
			run, err := x.startAwardRound(cmd.Context(), in)
			if err != nil {
				return err
			}
			st, err := x.awardState(cmd.Context(), run.GetID())
			if err != nil {
				return err
			}
			fmt.Fprintf(x.out, "award round %s started under policy %s: %d units nominate until %s\n", run.GetID(), pol.ID, len(in.Units), st.Due.Vietnamese())
			return nil
		},
	}
	start.Flags().StringVar(&policyArg, "policy", "003", "shipped policy ID or policy file with an award scheme")
	start.Flags().StringVar(&dueArg, "due", "", "last day for nominations, YYYY-MM-DD (default: the policy's award_nominations deadline)")
	start.Flags().StringVar(&signerName, "signer-name", "", "the name of who signs the award decision")
	start.Flags().BoolVar(&synthetic, "synthetic", false, "the round is a demonstration: the decision says so")

	var file string
	nominate := &cobra.Command{
		Use:   "nominate --as OFFICER --unit CODE -f nominations.json",
		Short: "Send a unit's nominations (JSON list of cycle.Nomination); sending again replaces them",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			t := cmd.Context().Value(awardKey{}).(*awardTarget)
			b, err := os.ReadFile(file)
			if err != nil {
				return err
			}
			var noms []cycle.Nomination
			dec := json.NewDecoder(strings.NewReader(string(b)))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&noms); err != nil {
				return cycle.Errorf(cycle.EINVALID, "%s: %v", file, err)
			}
			r := t.request()
			var res awards.NominateResult
			if err := x.awardUpdate(cmd.Context(), t, awards.UpdateNominate, awards.NominateRequest{Request: r, Unit: t.district, Nominations: noms}, &res, r.RequestID); err != nil {
				return err
			}
			fmt.Fprintf(x.out, "%s: revision %d, nominations %s\n", res.Unit, res.Revision, strings.Join(res.IDs, ", "))
			return nil
		},
	}
	nominate.Flags().StringVarP(&file, "file", "f", "", "JSON file: a list of nominations")
	nominate.Flags().StringVar(&awardUnitFlag, "unit", "", "the nominating unit's code")

	closeCmd := &cobra.Command{
		Use: "close --as OFFICER", Short: "Close the nominations before the due date (secretariat)", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			t := cmd.Context().Value(awardKey{}).(*awardTarget)
			r := t.request()
			var phase cycle.AwardPhase
			if err := x.awardUpdate(cmd.Context(), t, awards.UpdateCloseNominations, r, &phase, r.RequestID); err != nil {
				return err
			}
			fmt.Fprintf(x.out, "nominations closed; the round moves to %s\n", phase)
			return nil
		},
	}

	var reviewFile string
	review := &cobra.Command{
		Use: "review --as CHAIR -f review.json", Short: "Record the council's review (cycle.AwardReview JSON)", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			t := cmd.Context().Value(awardKey{}).(*awardTarget)
			b, err := os.ReadFile(reviewFile)
			if err != nil {
				return err
			}
			var rv cycle.AwardReview
			dec := json.NewDecoder(strings.NewReader(string(b)))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&rv); err != nil {
				return cycle.Errorf(cycle.EINVALID, "%s: %v", reviewFile, err)
			}
			r := t.request()
			var res awards.ReviewAwardsResult
			if err := x.awardUpdate(cmd.Context(), t, awards.UpdateReviewAwards, awards.ReviewAwardsRequest{Request: r, Review: rv}, &res, r.RequestID); err != nil {
				return err
			}
			fmt.Fprintf(x.out, "the council puts forward %d nominations\n", len(res.Accepted))
			return nil
		},
	}
	review.Flags().StringVarP(&reviewFile, "file", "f", "", "JSON file: the review")

	sign := &cobra.Command{
		Use: "sign --as SIGNER", Short: "Sign the award decision", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			t := cmd.Context().Value(awardKey{}).(*awardTarget)
			r := t.request()
			var on cycle.Date
			if err := x.awardUpdate(cmd.Context(), t, awards.UpdateSignAwards, r, &on, r.RequestID); err != nil {
				return err
			}
			fmt.Fprintf(x.out, "signed on %s\n", on.Vietnamese())
			return nil
		},
	}
	issue := &cobra.Command{
		Use: "issue --as CLERK", Short: "Number and issue the award decision", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			t := cmd.Context().Value(awardKey{}).(*awardTarget)
			r := t.request()
			var d cycle.Decision
			if err := x.awardUpdate(cmd.Context(), t, awards.UpdateIssueAwards, r, &d, r.RequestID); err != nil {
				return err
			}
			fmt.Fprintf(x.out, "issued decision Số %s dated %s: %s\n", d.Code, d.Date.Vietnamese(), x.pdfPath(context.Background(), d))
			return nil
		},
	}
	show := &cobra.Command{
		Use: "show", Short: "Show the round: phase, units, nominations, open tasks", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			t := cmd.Context().Value(awardKey{}).(*awardTarget)
			st, err := x.awardState(cmd.Context(), t.id())
			if err != nil {
				return err
			}
			x.print(&t.target, st, func() { printAwardRound(x, st) })
			return nil
		},
	}

	roles := map[*cobra.Command]cycle.Role{start: cycle.RoleSecretariat, nominate: cycle.RoleDistrictOfficer, closeCmd: cycle.RoleSecretariat,
		review: cycle.RoleCouncilChair, sign: cycle.RoleSigner, issue: cycle.RoleClerk}
	for _, c := range []*cobra.Command{start, nominate, closeCmd, review, sign, issue, show} {
		t := &awardTarget{}
		if role, ok := roles[c]; ok {
			t.actorFlags(c, role)
		} else {
			t.cycleFlags(c)
		}
		c.Flags().Lookup("year").Usage = "the round's year"
		c.PreRun = func(cmd *cobra.Command, _ []string) {
			if awardUnitFlag != "" {
				t.district = awardUnitFlag
			}
			cmd.SetContext(context.WithValue(cmd.Context(), awardKey{}, t))
		}
		root.AddCommand(c)
	}
	root.AddCommand(x.awardsDemoCommand())
	return root
}

// awardKey carries a subcommand's target through its context.
type awardKey struct{}

// awardUnitFlag is --unit of `awards nominate`: the officer's unit.
var awardUnitFlag string

func printAwardRound(x *cli, st awards.AwardRoundState) {
	fmt.Fprintf(x.out, "Award round %s — year %d, policy %s\nPhase: %s (today %s); nominations due %s\n\n", st.ID, st.Year, st.PolicyID, st.Phase, st.Today.Vietnamese(), st.Due.Vietnamese())
	tw := tabwriter.NewWriter(x.out, 0, 2, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tKIND\tNAME\tLEADER\tAREA\tDOSSIER")
	for _, n := range st.Nominations {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%v\t%s\t%s\n", n.ID, n.Kind, n.Name, n.Leader, n.Area, strings.Join(n.Dossier, ", "))
	}
	tw.Flush()
	if len(st.OpenTasks) > 0 {
		fmt.Fprintf(x.out, "\nOpen tasks: %d\n", len(st.OpenTasks))
		for _, t := range st.OpenTasks {
			fmt.Fprintf(x.out, "  due %s  %s  %s  %s\n", t.Due.Vietnamese(), t.Role, t.District, t.Title)
		}
	}
	if st.Decision != nil {
		fmt.Fprintf(x.out, "\nDecision Số %s of %s — %s\n", st.Decision.Code, st.Decision.Date.Vietnamese(), x.pdfPath(context.Background(), *st.Decision))
	}
}

// awardsDemoCommand runs a whole award round of policy 003 (or 001) on
// embedded servers, with synthetic nominees, showing the refusals.
func (x *cli) awardsDemoCommand() *cobra.Command {
	var slug, policyArg, historyFile string
	var year int
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run a whole award round on embedded servers (synthetic nominees)",
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

func (x *cli) runAwardsDemo(ctx context.Context, slug string, year int, pol cycle.Policy, historyFile string) error {
	prov, provIssuer, err := demoProvince(slug)
	if err != nil {
		return err
	}
	db, err := x.store(ctx)
	if err != nil {
		return err
	}
	if err := db.SaveProvince(ctx, prov, provIssuer); err != nil {
		return err
	}
	c, err := x.client()
	if err != nil {
		return err
	}
	// The award decision is signed and sealed like every decision: with
	// the demo's local keys unless signing is configured.
	signIs := provIssuer
	if pol.Awards != nil && pol.Awards.Issuer != nil {
		signIs = *pol.Awards.Issuer
	}
	body := signIs.CommitteeName
	if body == "" {
		body = signIs.Body
	}
	if err := x.demoDocuments(signIs.SignerName, body); err != nil {
		return err
	}
	acts, err := app.NewActivities(db, x.cfg)
	if err != nil {
		return err
	}
	w := app.NewWorker(c, acts)
	if err := w.Start(); err != nil {
		return err
	}
	defer w.Stop()
	step := func(format string, args ...any) { fmt.Fprintf(x.out, "▸ "+format+"\n", args...) }

	secretariat := cycle.Actor{ID: "cat.thuongtruc", Role: cycle.RoleSecretariat}
	// The round runs now: nominations are due in a week unless the policy dates them.
	due := cycle.DateOf(time.Now()).AddDays(7)
	in, err := awardInput(pol, prov, year, due, "Nguyễn Văn A", secretariat, true)
	if err != nil {
		return err
	}
	run, err := x.startAwardRound(ctx, in)
	if err != nil {
		return err
	}
	t := &awardTarget{target{province: prov.Code, year: year}}
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
		var res awards.NominateResult
		return x.awardUpdate(ctx, t, awards.UpdateNominate, awards.NominateRequest{Request: r, Unit: u.Code, Nominations: noms}, &res, rid)
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
			step("   %s's nominations are refused whole:\n     %s", u1.Name, indent(describe(ce)))
		} else {
			return err
		}
	}
	second := []cycle.Nomination{mk(cycle.NomineeIndividual, "Phạm Minh Tuấn", "Cán bộ Công an "+lowerUnitName(prov.Communes[3].Name), false, 4)}
	if err := nominate(u1, "demo-n1", second...); err != nil {
		return fmt.Errorf("nominate %s: %w", u1.Code, err)
	}
	step("   %s sends one individual instead", u1.Name)

	sr := flow.Request{Actor: secretariat, RequestID: "demo-close"}
	var phase cycle.AwardPhase
	if err := x.awardUpdate(ctx, t, awards.UpdateCloseNominations, sr, &phase, sr.RequestID); err != nil {
		return err
	}
	step("3. The secretariat closes the nominations early")
	st, err := x.waitAwardPhase(ctx, t, cycle.AwardPhaseReview)
	if err != nil {
		return err
	}
	rv := cycle.AwardReview{Minutes: "Biên bản họp Hội đồng Thi đua - Khen thưởng (dữ liệu mẫu)"}
	for _, n := range st.Nominations {
		rv.Accepted = append(rv.Accepted, n.ID)
	}
	cr := flow.Request{Actor: cycle.Actor{ID: "hd.chutich", Role: cycle.RoleCouncilChair}, RequestID: "demo-review"}
	var rres awards.ReviewAwardsResult
	if err := x.awardUpdate(ctx, t, awards.UpdateReviewAwards, awards.ReviewAwardsRequest{Request: cr, Review: rv}, &rres, cr.RequestID); err != nil {
		return err
	}
	step("4. The council puts forward %d nominations", len(rres.Accepted))
	if _, err := x.waitAwardPhase(ctx, t, cycle.AwardPhaseSigning); err != nil {
		return err
	}
	sg := flow.Request{Actor: cycle.Actor{ID: "lanhdao", Name: in.Issuer.SignerName, Role: cycle.RoleSigner}, RequestID: "demo-sign"}
	var on cycle.Date
	if err := x.awardUpdate(ctx, t, awards.UpdateSignAwards, sg, &on, sg.RequestID); err != nil {
		return err
	}
	step("5. %s %s signs on %s", in.Issuer.SignerTitle, in.Issuer.SignerName, on.Vietnamese())
	if _, err := x.waitAwardPhase(ctx, t, cycle.AwardPhaseIssue); err != nil {
		return err
	}
	cl := flow.Request{Actor: cycle.Actor{ID: "vanthu", Role: cycle.RoleClerk}, RequestID: "demo-issue"}
	var d cycle.Decision
	if err := x.awardUpdate(ctx, t, awards.UpdateIssueAwards, cl, &d, cl.RequestID); err != nil {
		return err
	}
	step("6. The clerk issues award decision Số %s dated %s", d.Code, d.Date.Vietnamese())
	var result cycle.Decision
	if err := run.Get(ctx, &result); err != nil {
		return err
	}
	fmt.Fprintf(x.out, "\nAward round %s completed.\nPDF written:\n  %s  (sha256 %s)\n", run.GetID(), x.pdfPath(ctx, d), d.SHA256)
	if historyFile != "" {
		hist := &historypb.History{}
		it := c.GetWorkflowHistory(ctx, run.GetID(), run.GetRunID(), false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
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

func (x *cli) waitAwardPhase(ctx context.Context, t *awardTarget, p cycle.AwardPhase) (awards.AwardRoundState, error) {
	deadline := time.Now().Add(30 * time.Second)
	for {
		st, err := x.awardState(ctx, t.id())
		if err != nil {
			return st, err
		}
		if st.Phase == p {
			return st, nil
		}
		if time.Now().After(deadline) {
			return st, fmt.Errorf("award round %s stays in phase %s, not %s", t.id(), st.Phase, p)
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
