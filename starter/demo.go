package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"chuyenhoa/cycle"
	"chuyenhoa/devserver"
	"chuyenhoa/internal/app"
	"chuyenhoa/policies"
	"chuyenhoa/sample"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/selection"
)

// env is what the demo and devserver commands run on: Temporal and
// PostgreSQL, embedded unless the environment names real ones.
type env struct {
	temporal *devserver.Temporal
	pg       *devserver.Postgres
}

func (e *env) stop() {
	if e.temporal != nil {
		_ = e.temporal.Stop()
	}
	if e.pg != nil {
		_ = e.pg.Stop()
	}
}

// embed starts the embedded Temporal dev server unless TEMPORAL_ADDRESS
// (or --temporal-address) is set, and a throwaway PostgreSQL unless
// DATABASE_URL (or --database-url) is set, and points x.cfg at them.
func (x *cli) embed(ctx context.Context, cmd *cobra.Command, dbFile string, port, uiPort int) (*env, error) {
	e := &env{}
	if !cmd.Flags().Changed("temporal-address") && os.Getenv("TEMPORAL_ADDRESS") == "" {
		t0 := time.Now()
		t, err := devserver.StartTemporal(ctx, devserver.TemporalOptions{DBFile: dbFile, Namespace: x.cfg.Namespace, FrontendPort: port, UIPort: uiPort, Logger: x.logger()})
		if err != nil {
			return nil, fmt.Errorf("start the embedded Temporal dev server: %w", err)
		}
		e.temporal = t
		x.cfg.TemporalAddress = t.FrontendAddress()
		fmt.Fprintf(x.out, "• Temporal dev server (SQLite %s) ready at %s in %s\n", orMemory(dbFile), t.FrontendAddress(), time.Since(t0).Round(time.Millisecond))
		if t.UIAddress() != "" {
			fmt.Fprintf(x.out, "• Temporal Web UI: %s/namespaces/%s/workflows\n", t.UIAddress(), x.cfg.Namespace)
		}
	} else {
		fmt.Fprintf(x.out, "• Temporal at %s (namespace %s)\n", x.cfg.TemporalAddress, x.cfg.Namespace)
	}
	if !cmd.Flags().Changed("database-url") && os.Getenv("DATABASE_URL") == "" {
		t0 := time.Now()
		pg, err := devserver.StartPostgres(ctx, devserver.PostgresOptions{Logger: x.logger()})
		if err != nil {
			e.stop()
			return nil, fmt.Errorf("start a throwaway PostgreSQL (or set DATABASE_URL): %w", err)
		}
		e.pg = pg
		x.cfg.DatabaseURL = pg.URL()
		fmt.Fprintf(x.out, "• throwaway PostgreSQL ready at %s in %s (removed on exit)\n", pg.URL(), time.Since(t0).Round(time.Millisecond))
	} else {
		fmt.Fprintln(x.out, "• PostgreSQL from DATABASE_URL")
	}
	return e, nil
}

// tempTemporalDB is a dev server SQLite file in a new temporary directory,
// and what removes it.
func tempTemporalDB(prefix string) (string, func(), error) {
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		return "", nil, err
	}
	return filepath.Join(dir, "temporal.db"), func() { os.RemoveAll(dir) }, nil
}

func orMemory(f string) string {
	if f == "" {
		return "in memory"
	}
	return f
}

func (x *cli) devserverCommand() *cobra.Command {
	var dbFile string
	var port, uiPort int
	cmd := &cobra.Command{
		Use:   "devserver",
		Short: "Run the embedded Temporal dev server (with Web UI) and a throwaway PostgreSQL until interrupted",
		Long: `Run the embedded Temporal dev server with SQLite persistence and the Web UI, and a
throwaway PostgreSQL (unless DATABASE_URL is set), until Ctrl-C. It prints the
environment to export in other terminals, where ` + "`go run ./worker`" + ` runs the worker and
the starter commands drive a cycle by hand.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			e, err := x.embed(ctx, cmd, dbFile, port, uiPort)
			if err != nil {
				return err
			}
			defer e.stop()
			fmt.Fprintf(x.out, "\nIn other terminals:\n  export TEMPORAL_ADDRESS=%s TEMPORAL_NAMESPACE=%s DATABASE_URL='%s'\n  go run ./worker\n  go run ./starter registry import --sample quang-ngai\n  go run ./starter cycle start --as cat.tt --synthetic\n\nCtrl-C stops everything.\n",
				x.cfg.TemporalAddress, x.cfg.Namespace, x.cfg.DatabaseURL)
			<-ctx.Done()
			return nil
		},
	}
	cmd.Flags().StringVar(&dbFile, "db-file", filepath.Join(".data", "temporal.db"), "SQLite file of the dev server (\"\" = in memory)")
	cmd.Flags().IntVar(&port, "port", 7233, "frontend gRPC port")
	cmd.Flags().IntVar(&uiPort, "ui-port", 8233, "Web UI port (-1: no UI)")
	return cmd
}

func (x *cli) demoCommand() *cobra.Command {
	var slug, dbFile, policyArg string
	var year int
	var linger time.Duration
	var opts demoOptions
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run a whole selection cycle for a sample province on embedded servers (synthetic figures)",
		Long: `Run the demo: start the embedded Temporal dev server with its Web UI (unless
TEMPORAL_ADDRESS is set) and a throwaway PostgreSQL (unless DATABASE_URL is set), run a
worker, import a sample province (real names and codes; SYNTHETIC crime figures) and
drive its yearly cycle from the secretariat's start to the issued decision, showing
the refusals a real officer meets on the way. The cycle then goes on through the
transformation year on a sped-up calendar (--time-scale; real cycles use real dates):
reports, the council's year-end appraisal, notices, the six-month follow-up, the
recognition decisions, a second year and a responsibility review, with a mix of
outcomes. PDFs are written under --out.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if dbFile == "" {
				file, remove, err := tempTemporalDB("chuyenhoa-demo-")
				if err != nil {
					return err
				}
				defer remove()
				dbFile = file
			}
			fmt.Fprintln(x.out, "Demo: hotspot-transformation selection cycle — real administrative names, SYNTHETIC crime figures")
			e, err := x.embed(ctx, cmd, dbFile, 0, 0)
			if err != nil {
				return err
			}
			defer e.stop()
			out, err := filepath.Abs(x.cfg.OutputDir)
			if err != nil {
				return err
			}
			x.cfg.OutputDir = out
			pol, err := policies.Resolve(policyArg)
			if err != nil {
				return err
			}
			err = x.runDemo(ctx, slug, year, pol, opts)
			if err == nil && linger > 0 && e.temporal != nil {
				fmt.Fprintf(x.out, "\nThe Web UI stays up for %s: %s\n", linger, e.temporal.UIAddress())
				select {
				case <-ctx.Done():
				case <-time.After(linger):
				}
			}
			return err
		},
	}
	cmd.Flags().StringVar(&slug, "province", "quang-ngai", "sample province: "+fmt.Sprint(sample.Provinces())+", or the code of a two-tier province of 2025 (e.g. 12)")
	cmd.Flags().StringVar(&policyArg, "policy", "000", "shipped policy (000–004) or policy file the cycle runs under")
	cmd.Flags().IntVar(&year, "year", time.Now().In(cycle.Vietnam).Year()+1, "the cycle's transformation year")
	cmd.Flags().StringVar(&x.cfg.OutputDir, "out", x.cfg.OutputDir, "directory for the PDFs (env CHUYENHOA_OUTPUT_DIR)")
	cmd.Flags().StringVar(&dbFile, "temporal-db", "", "keep the dev server's SQLite file here (default: a temporary file)")
	cmd.Flags().DurationVar(&linger, "linger", 0, "keep the servers (and the Web UI) up this long after the demo")
	cmd.Flags().Float64Var(&opts.timeScale, "time-scale", DefaultDemoTimeScale, "calendar seconds per real second in the transformation years (demo only; 1 = real time)")
	cmd.Flags().BoolVar(&opts.selectionOnly, "selection-only", false, "stop at the approval decision (the cycle ends there)")
	cmd.Flags().IntVar(&opts.historyLimit, "history-limit", 0, "continue the cycle as new at the end of a programme year once its history is past this many events (0: when the server suggests it, past 4,096)")
	return cmd
}

// demoOptions are the demo's choices beyond the province, year and policy.
type demoOptions struct {
	timeScale     float64
	selectionOnly bool
	historyLimit  int
}

func (x *cli) runDemo(ctx context.Context, slug string, year int, pol cycle.Policy, opts demoOptions) error {
	prov, issuer, err := demoProvince(slug)
	if err != nil {
		return err
	}
	db, err := x.store(ctx)
	if err != nil {
		return err
	}
	if err := db.SaveProvince(ctx, prov, issuer); err != nil {
		return err
	}
	fmt.Fprintf(x.out, "• registry: %s — %d districts, %d communes (new-rural flags synthetic)\n", prov.Name, len(prov.Districts), len(prov.Communes))
	c, err := x.client()
	if err != nil {
		return err
	}
	if err := x.demoDocuments(issuer.SignerName, issuer.CommitteeName); err != nil {
		return err
	}
	acts, err := app.NewActivities(db, x.cfg)
	if err != nil {
		return err
	}
	w := app.NewWorker(c, acts)
	if err := w.Start(); err != nil {
		return fmt.Errorf("start worker: %w", err)
	}
	defer w.Stop()
	fmt.Fprintf(x.out, "• worker polling task queue %q; the PDFs it issues are kept in the store and saved to %s\n\n", flow.TaskQueue, x.cfg.OutputDir)

	secretariat := cycle.Actor{ID: "cat.thuongtruc", Name: "Công an tỉnh — Cơ quan Thường trực", Role: cycle.RoleSecretariat}
	in := selection.YearlyCycleInput{Province: prov.Code, Year: year, Policy: pol, StartedBy: secretariat, Synthetic: true,
		TimeScale: opts.timeScale, StopAtDecision: opts.selectionOnly || pol.Evaluation == nil, HistoryLimit: opts.historyLimit}
	t := &target{province: prov.Code, year: year}
	step := func(format string, args ...any) { fmt.Fprintf(x.out, "▸ "+format+"\n", args...) }

	run, err := x.startCycle(ctx, in)
	if err != nil {
		return err
	}
	step("1. The secretariat opens cycle %s (policy %s); proposals due %s, decision due %s", run.GetID(), pol.ID,
		pol.Calendar.ProposalsDue.In(year).Vietnamese(), pol.Calendar.DecisionDue.In(year).Vietnamese())
	if _, err := x.startCycle(ctx, in); err != nil {
		step("   Starting it again is refused: %v", err)
	}

	proposals := sample.Proposals(prov, pol, year)
	step("2. %d %s officers submit their proposals (every commune's figures, proposed communes with their types)", len(proposals), unitKind(prov))
	first := proposals[0]
	bad := sample.BadProposal(prov, pol, year, first.Unit)
	officer := cycle.Actor{ID: "ca." + first.Unit, Role: cycle.RoleDistrictOfficer, District: first.Unit}
	var res selection.SubmitProposalResult
	err = x.update(ctx, t, selection.UpdateSubmitProposal, "demo-bad-"+first.Unit, selection.SubmitProposalRequest{Request: flow.Request{Actor: officer, RequestID: "demo-bad-" + first.Unit}, Proposal: bad}, &res)
	if ce := flow.AsCycleError(err); ce != nil {
		step("   %s's first try is refused whole, nothing recorded:\n     %s", prov.UnitName(first.Unit), indent(describe(ce)))
	} else {
		return fmt.Errorf("the bad proposal was not refused: %v", err)
	}
	wrong := cycle.Actor{ID: "ca." + proposals[1].Unit, Role: cycle.RoleDistrictOfficer, District: proposals[1].Unit}
	err = x.update(ctx, t, selection.UpdateSubmitProposal, "demo-wrong", selection.SubmitProposalRequest{Request: flow.Request{Actor: wrong, RequestID: "demo-wrong"}, Proposal: first}, &res)
	if ce := flow.AsCycleError(err); ce != nil {
		step("   An officer of another district tries to submit it: %s", describe(ce))
	}
	for _, p := range proposals {
		a := cycle.Actor{ID: "ca." + p.Unit, Role: cycle.RoleDistrictOfficer, District: p.Unit}
		rid := "demo-" + p.Unit
		if err := x.update(ctx, t, selection.UpdateSubmitProposal, rid, selection.SubmitProposalRequest{Request: flow.Request{Actor: a, RequestID: rid}, Proposal: p}, &res); err != nil {
			return fmt.Errorf("submit %s: %w", p.Unit, err)
		}
		fmt.Fprintf(x.out, "   %-26s revision %d, %d communes proposed\n", prov.UnitName(p.Unit), res.Revision, res.Proposed)
	}
	var again selection.SubmitProposalResult
	rid := "demo-" + first.Unit
	if err := x.update(ctx, t, selection.UpdateSubmitProposal, rid, selection.SubmitProposalRequest{Request: flow.Request{Actor: officer, RequestID: rid}, Proposal: first}, &again); err != nil {
		return err
	}
	step("   A retried request (same request ID) returns the first result: revision %d, not a new one", again.Revision)

	if err := x.waitTask(ctx, t, cycle.TaskID(cycle.TaskConsolidate, "")); err != nil {
		return err
	}
	var sel cycle.SelectionResult
	if err := x.queryWorkflow(ctx, t.id(), "cycle", selection.QuerySelection, &sel); err != nil {
		return err
	}
	step("3. The selection rules of policy %s on %d proposed communes:", pol.ID, len(sel.Candidates))
	var buf bytes.Buffer
	printSelection(&buf, sel, 0)
	fmt.Fprint(x.out, "     "+indent(buf.String()))

	secr := flow.Request{Actor: secretariat, RequestID: "demo-consolidate"}
	var cons selection.ConsolidateResult
	drop := sel.Selected()[len(sel.Selected())-1]
	c1 := cycle.Consolidation{Decisions: []cycle.CommuneDecision{{Commune: drop.Commune, Keep: false, Reason: "Tình hình đã chuyển biến tích cực theo báo cáo thực tế (dữ liệu mẫu)"}}}
	if err := x.update(ctx, t, selection.UpdateConsolidate, secr.RequestID, selection.ConsolidateRequest{Request: secr, Consolidation: c1}, &cons); err != nil {
		return err
	}
	step("4. The secretariat consolidates: drops %s with a reason; the draft list has %d communes", drop.Name, len(cons.Draft))

	chair := flow.Request{Actor: cycle.Actor{ID: "hd.chutich", Name: "Chủ tịch Hội đồng thẩm định", Role: cycle.RoleCouncilChair}, RequestID: "demo-appraise"}
	var ap selection.AppraiseResult
	if err := x.update(ctx, t, selection.UpdateAppraise, chair.RequestID, selection.AppraiseRequest{Request: chair, Appraisal: cycle.Appraisal{Approved: true, Minutes: "Hội đồng thẩm định thống nhất danh sách (dữ liệu mẫu)"}}, &ap); err != nil {
		return err
	}
	step("5. The appraisal council approves the list of %d communes and reports it to the head", len(ap.List))

	if err := x.waitTask(ctx, t, cycle.TaskID(cycle.TaskSign, "")); err != nil {
		return err
	}
	clerkAsSigner := flow.Request{Actor: cycle.Actor{ID: "vanthu", Role: cycle.RoleClerk}, RequestID: "demo-sign-wrong"}
	var sg selection.SignResult
	if err := x.update(ctx, t, selection.UpdateSign, clerkAsSigner.RequestID, selection.SignRequest{Request: clerkAsSigner}, &sg); err != nil {
		if ce := flow.AsCycleError(err); ce != nil {
			step("   The clerk tries to sign: %s", describe(ce))
		}
	}
	head := flow.Request{Actor: cycle.Actor{ID: "truongban", Name: issuer.SignerName, Role: cycle.RoleSigner}, RequestID: "demo-sign"}
	if err := x.update(ctx, t, selection.UpdateSign, head.RequestID, selection.SignRequest{Request: head}, &sg); err != nil {
		return err
	}
	step("6. %s %s signs on %s", issuer.SignerTitle, issuer.SignerName, sg.SignedAt.Vietnamese())

	if err := x.waitTask(ctx, t, cycle.TaskID(cycle.TaskIssue, "")); err != nil {
		return err
	}
	clerk := flow.Request{Actor: cycle.Actor{ID: "vanthu", Name: "Văn thư", Role: cycle.RoleClerk}, RequestID: "demo-issue"}
	var d cycle.Decision
	if err := x.update(ctx, t, selection.UpdateIssue, clerk.RequestID, selection.IssueRequest{Request: clerk}, &d); err != nil {
		return err
	}
	step("7. The clerk issues decision Số %s dated %s approving %d communes", d.Code, d.Date.Vietnamese(), len(d.Communes))
	if in.StopAtDecision {
		var result cycle.Decision
		if err := run.Get(ctx, &result); err != nil {
			return fmt.Errorf("cycle: %w", err)
		}
	} else if _, err := x.waitState(ctx, t, func(s selection.CycleState) bool { return s.Phase != cycle.PhaseIssued }); err != nil {
		return err
	}
	st, err := x.state(ctx, t.id())
	if err != nil {
		return err
	}
	audit, err := db.Audit(ctx, t.id())
	if err != nil {
		return err
	}
	notes, err := db.Notifications(ctx, t.id())
	if err != nil {
		return err
	}
	fmt.Fprintf(x.out, "\nCycle %s: the selection is done, phase %s: %d task completions in the audit log, %d notifications (deadlines are in the future).\n", t.id(), st.Phase, len(audit), len(notes))
	draft, err := x.saveDraft(ctx, t.id(), in.Year, st.DraftSHA256)
	if err != nil {
		return err
	}
	fmt.Fprintf(x.out, "\nPDFs written (downloaded from the store):\n  %s  (draft shown to the signer)\n  %s  (issued decision, sha256 %s)\n", draft, x.pdfPath(ctx, d), d.SHA256)
	x.demoIssued(ctx, d)
	if in.StopAtDecision {
		return nil
	}
	fmt.Fprintln(x.out)
	if err := x.demoTransformation(ctx, db, t, pol, issuer, opts.timeScale); err != nil {
		return err
	}
	var result cycle.Decision
	if err := run.Get(ctx, &result); err != nil {
		return fmt.Errorf("cycle: %w", err)
	}
	fmt.Fprintf(x.out, "\nCycle %s completed.\n", t.id())
	return nil
}

// waitTask polls the state query until a task is open (the workflow moves
// on asynchronously after an update completes).
func (x *cli) waitTask(ctx context.Context, t *target, id string) error {
	deadline := time.Now().Add(30 * time.Second)
	for {
		st, err := x.state(ctx, t.id())
		if err != nil {
			return err
		}
		for _, task := range st.OpenTasks {
			if task.ID == id {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("cycle %s in phase %s: task %s did not open", t.id(), st.Phase, id)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func indentLines(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		out = append(out, s[i])
		if s[i] == '\n' && i+1 < len(s) {
			out = append(out, "     "...)
		}
	}
	return string(out)
}

func indent(s string) string { return indentLines(s) }

// demoProvince is a seed province by slug (three tiers, 2024) or a
// province of 2025 by code (two tiers: communes propose for themselves).
func demoProvince(slug string) (cycle.Province, cycle.Issuer, error) {
	if _, err := strconv.Atoi(slug); err != nil {
		return sample.Province(slug)
	}
	all, err := sample.Communes2025()
	if err != nil {
		return cycle.Province{}, cycle.Issuer{}, err
	}
	for _, p := range all {
		if p.Code == slug {
			return p, sample.GenericIssuer(p), nil
		}
	}
	return cycle.Province{}, cycle.Issuer{}, cycle.Errorf(cycle.ENOTFOUND, "no province of 2025 has code %q", slug)
}

func unitKind(p cycle.Province) string {
	if p.TwoTier() {
		return "commune"
	}
	return "district"
}
