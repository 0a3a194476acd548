package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"chuyenhoa/activities"
	"chuyenhoa/cycle"
	"chuyenhoa/intake"
	"chuyenhoa/policies"
	"chuyenhoa/sample"
	"chuyenhoa/workflows"
)

// target is the cycle a command acts on and who acts.
type target struct {
	province  string
	year      int
	actorID   string
	actorName string
	role      string
	district  string
	requestID string
	json      bool
}

func (t *target) cycleFlags(cmd *cobra.Command) {
	cmd.Flags().StringVar(&t.province, "province", "51", "province code (51 = Quảng Ngãi)")
	cmd.Flags().IntVar(&t.year, "year", 2027, "the cycle's transformation year")
	cmd.Flags().BoolVar(&t.json, "json", false, "print JSON")
}

func (t *target) actorFlags(cmd *cobra.Command, role cycle.Role) {
	t.cycleFlags(cmd)
	cmd.Flags().StringVar(&t.actorID, "as", os.Getenv("CHUYENHOA_OFFICER"), "the officer's ID (env CHUYENHOA_OFFICER)")
	cmd.Flags().StringVar(&t.actorName, "name", "", "the officer's display name")
	cmd.Flags().StringVar(&t.role, "role", string(role), "the role the officer acts in")
	cmd.Flags().StringVar(&t.requestID, "request-id", "", "request ID; repeat it to retry safely (default: a new random ID)")
	_ = cmd.MarkFlagRequired("as")
}

func (t *target) id() string { return workflows.CycleWorkflowID(t.province, t.year) }

func (t *target) request() workflows.Request {
	rid := t.requestID
	if rid == "" {
		rid = newRequestID()
	}
	return workflows.Request{Actor: cycle.Actor{ID: t.actorID, Name: t.actorName, Role: cycle.Role(t.role), District: t.district}, RequestID: rid}
}

// update sends an update to a cycle and waits for its result.
func (x *cli) update(ctx context.Context, t *target, name, rid string, arg, result any) error {
	return x.updateWorkflow(ctx, t.id(), "cycle", "starter cycle start", name, rid, arg, result)
}

// updateWorkflow sends an update to a running workflow (a cycle, an award
// round) and waits for its result; a workflow that is not running is
// ENOTFOUND, saying which command starts it.
func (x *cli) updateWorkflow(ctx context.Context, id, what, starts, name, rid string, arg, result any) error {
	c, err := x.client()
	if err != nil {
		return err
	}
	h, err := c.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID: id, UpdateID: rid, UpdateName: name, Args: []any{arg}, WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err == nil {
		err = h.Get(ctx, result)
	}
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		return cycle.Errorf(cycle.ENOTFOUND, "no running %s %s: start it with `%s`", what, id, starts)
	}
	return err
}

func (x *cli) print(t *target, v any, text func()) {
	if t.json {
		enc := json.NewEncoder(x.out)
		enc.SetIndent("", "  ")
		_ = enc.Encode(v)
		return
	}
	text()
}

// ---- registry ----------------------------------------------------------------

func (x *cli) registryCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "registry", Short: "Manage the province registry in the store"}
	var csvFile, issuerFile, slug string
	imp := &cobra.Command{
		Use:   "import",
		Short: "Import a province's districts and communes (and its issuer configuration)",
		Long: `Import a province into the store, either a bundled sample province (--sample
quang-ngai|tay-ninh|ba-ria-vung-tau|binh-phuoc|quang-ninh, with synthetic new-rural
flags) or a registry CSV (--csv, columns province_code, province_name, district_code,
district_name, commune_code, commune_name[, new_rural]) with an issuer JSON (--issuer).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			var p cycle.Province
			var is cycle.Issuer
			var err error
			switch {
			case slug != "":
				p, is, err = sample.Province(slug)
			case csvFile != "" && issuerFile != "":
				p, is, err = readRegistry(csvFile, issuerFile)
			default:
				return fmt.Errorf("give --sample NAME, or --csv FILE and --issuer FILE")
			}
			if err != nil {
				return err
			}
			db, err := x.store(ctx)
			if err != nil {
				return err
			}
			if err := db.SaveProvince(ctx, p, is); err != nil {
				return err
			}
			fmt.Fprintf(x.out, "imported %s (%s): %d districts, %d communes; decisions issued by %s, numbered .../%s\n", p.Name, p.Code, len(p.Districts), len(p.Communes), is.Body, is.NumberSuffix)
			return nil
		},
	}
	imp.Flags().StringVar(&slug, "sample", "", "a bundled sample province")
	imp.Flags().StringVar(&csvFile, "csv", "", "registry CSV file")
	imp.Flags().StringVar(&issuerFile, "issuer", "", "issuer configuration JSON file (fields of cycle.Issuer)")
	cmd.AddCommand(imp)
	return cmd
}

func readRegistry(csvFile, issuerFile string) (cycle.Province, cycle.Issuer, error) {
	f, err := os.Open(csvFile)
	if err != nil {
		return cycle.Province{}, cycle.Issuer{}, err
	}
	defer f.Close()
	p, err := cycle.ReadRegistryCSV(f)
	if err != nil {
		return cycle.Province{}, cycle.Issuer{}, fmt.Errorf("%s: %w", csvFile, err)
	}
	b, err := os.ReadFile(issuerFile)
	if err != nil {
		return cycle.Province{}, cycle.Issuer{}, err
	}
	var is cycle.Issuer
	if err := json.Unmarshal(b, &is); err != nil {
		return cycle.Province{}, cycle.Issuer{}, cycle.Errorf(cycle.EINVALID, "%s: %v", issuerFile, err)
	}
	if err := is.Validate(); err != nil {
		return cycle.Province{}, cycle.Issuer{}, fmt.Errorf("%s: %w", issuerFile, err)
	}
	return p, is, nil
}

// ---- cycle -------------------------------------------------------------------

func (x *cli) cycleCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "cycle", Short: "Start a yearly cycle or show its state"}
	var t target
	var policyFile string
	var synthetic bool
	start := &cobra.Command{
		Use:   "start",
		Short: "Open the yearly cycle of a province (secretariat)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			pol, how, err := cyclePolicy(policyFile, t.province, t.year)
			if err != nil {
				return err
			}
			fmt.Fprintf(x.out, "policy %s (%s)\n", pol.ID, how)
			r := t.request()
			in := workflows.YearlyCycleInput{Province: t.province, Year: t.year, Policy: pol, StartedBy: r.Actor, Synthetic: synthetic}
			run, err := x.startCycle(cmd.Context(), in)
			if err != nil {
				return err
			}
			fmt.Fprintf(x.out, "cycle %s started (run %s) under policy %s\n", run.GetID(), run.GetRunID(), pol.ID)
			return nil
		},
	}
	t.actorFlags(start, cycle.RoleSecretariat)
	start.Flags().StringVar(&policyFile, "policy", "", "shipped policy ID (000–004) or policy file; default: the shipped policy in force for the province on 1 January of the year, else 000")
	start.Flags().BoolVar(&synthetic, "synthetic", false, "the figures are synthetic demo data (documents say so)")

	var s target
	show := &cobra.Command{
		Use:   "show",
		Short: "Show a cycle's phase, units, open tasks, list and decision",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := x.state(cmd.Context(), s.id())
			if err != nil {
				return err
			}
			x.print(&s, st, func() { printState(x.out, st) })
			return nil
		},
	}
	s.cycleFlags(show)

	var sel target
	selection := &cobra.Command{
		Use:   "selection",
		Short: "Show the selection rules' verdict on every proposed commune so far",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var res cycle.SelectionResult
			if err := x.queryWorkflow(cmd.Context(), sel.id(), "cycle", workflows.QuerySelection, &res); err != nil {
				return err
			}
			x.print(&sel, res, func() { printSelection(x.out, res, 0) })
			return nil
		},
	}
	sel.cycleFlags(selection)
	cmd.AddCommand(start, show, selection)
	return cmd
}

// startCycle starts YearlyCycle under its business ID; a second start of
// the same cycle is refused with a clear message.
func (x *cli) startCycle(ctx context.Context, in workflows.YearlyCycleInput) (client.WorkflowRun, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	id := workflows.CycleWorkflowID(in.Province, in.Year)
	what := fmt.Sprintf("the %d cycle of province %s", in.Year, in.Province)
	return x.startOnce(ctx, id, what, workflows.YearlyCycle, in, func() bool {
		st, err := x.state(ctx, id)
		return err == nil && st.Phase != ""
	})
}

// startOnce starts a workflow under its business ID — a second start is
// refused ("what already exists") — and returns once started() reports
// that it has loaded what it needs and opened its tasks, or with the
// workflow's own error if it ended first (an unknown province, say).
func (x *cli) startOnce(ctx context.Context, id, what string, wf, in any, started func() bool) (client.WorkflowRun, error) {
	c, err := x.client()
	if err != nil {
		return nil, err
	}
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: id, TaskQueue: workflows.TaskQueue,
		WorkflowIDReusePolicy:                    enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		WorkflowIDConflictPolicy:                 enumspb.WORKFLOW_ID_CONFLICT_POLICY_FAIL,
		WorkflowExecutionErrorWhenAlreadyStarted: true,
	}, wf, in)
	var exists *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &exists) {
		return nil, cycle.Errorf(cycle.ECONFLICT, "%s already exists (workflow %s); it is opened once", what, id)
	}
	if err != nil {
		return nil, err
	}
	for {
		if started() {
			return run, nil
		}
		d, derr := c.DescribeWorkflowExecution(ctx, id, run.GetRunID())
		if derr == nil && d.WorkflowExecutionInfo.Status != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING {
			return nil, run.Get(ctx, nil)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func (x *cli) state(ctx context.Context, id string) (workflows.CycleState, error) {
	var st workflows.CycleState
	return st, x.queryWorkflow(ctx, id, "cycle", workflows.QueryState, &st)
}

// queryWorkflow runs a query on a workflow (a cycle, an award round) into
// out; a workflow that does not exist is ENOTFOUND.
func (x *cli) queryWorkflow(ctx context.Context, id, what, query string, out any) error {
	c, err := x.client()
	if err != nil {
		return err
	}
	v, err := c.QueryWorkflow(ctx, id, "", query)
	if err != nil {
		var nf *serviceerror.NotFound
		if errors.As(err, &nf) {
			return cycle.Errorf(cycle.ENOTFOUND, "no %s %s", what, id)
		}
		return err
	}
	return v.Get(out)
}

// ---- tasks -------------------------------------------------------------------

func (x *cli) proposalCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "proposal", Short: "Submit a unit's proposal"}
	var t target
	var file string
	submit := &cobra.Command{
		Use:   "submit",
		Short: "Submit (or, before the due date, revise) a district's proposal from a CSV, Excel or JSON file",
		Long: `Submit a proposal from a file: CSV or Excel .xlsx with the columns
` + strings.Join(cycle.ProposalCSVTitles, " | ") + `
(or their keys ` + strings.Join(cycle.ProposalCSVHeader, ",") + `), one row per commune of the
district with its figures, "x" in Đề xuất, types like 1;3;4 — or JSON in the shape of
cycle.Proposal. CSV may be separated by commas, semicolons or tabs and be in UTF-8,
Windows-1258, TCVN3 or VNI. ` + "`starter sample proposal`" + ` writes an example. The whole
proposal is refused, with every problem listed where it is in the file, if any part is
wrong; nothing is recorded then.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			r := t.request()
			var res workflows.SubmitProposalResult
			if err := submitProposalFile(file, t.district, func(p cycle.Proposal) error {
				return x.update(cmd.Context(), &t, workflows.UpdateSubmitProposal, r.RequestID, workflows.SubmitProposalRequest{Request: r, Proposal: p}, &res)
			}); err != nil {
				return err
			}
			x.print(&t, res, func() {
				late := ""
				if res.Late {
					late = " (late)"
				}
				fmt.Fprintf(x.out, "proposal of unit %s recorded as revision %d%s: %d communes proposed (request %s)\n", res.Unit, res.Revision, late, res.Proposed, r.RequestID)
			})
			return nil
		},
	}
	t.actorFlags(submit, cycle.RoleDistrictOfficer)
	submit.Flags().StringVar(&t.district, "district", "", "the officer's district code")
	submit.Flags().StringVarP(&file, "file", "f", "", "proposal file (.csv, .xlsx or .json)")
	_ = submit.MarkFlagRequired("file")
	_ = submit.MarkFlagRequired("district")
	cmd.AddCommand(submit)
	return cmd
}

// readProposal reads a proposal file (CSV, Excel .xlsx or JSON) for a
// unit through intake, as the API and the checker do: its size is checked
// before it is read, its encoding and separator are told, and every
// problem is placed in the file. The origins place the workflow's
// problems later (locate).
func readProposal(file, unit string) (cycle.Proposal, cycle.Origins, error) {
	f, err := intake.ReadFile(file, intake.MaxProposalBytes)
	if err != nil {
		return cycle.Proposal{}, nil, err
	}
	return intake.ReadProposal(f, unit)
}

// submitProposalFile reads a proposal file and sends it (send is the
// workflow update); the workflow's refusal comes back with its problems
// placed in the file.
func submitProposalFile(file, unit string, send func(cycle.Proposal) error) error {
	p, origins, err := readProposal(file, unit)
	if err != nil {
		return err
	}
	return locate(origins, p.Unit, send(p))
}

// locate gives the problems of a refusal — the workflow's, about a file
// the officer sent — their places in the file, in the file's order (see
// cycle.Origins.Placed); the refusal's message, which the workflow sends
// in English only, is said in Vietnamese too.
func locate(origins cycle.Origins, proposalUnit string, err error) error {
	if err == nil || len(origins) == 0 {
		return err
	}
	ce := workflows.AsCycleError(err)
	if ce == nil || len(ce.Problems) == 0 {
		return err
	}
	out := *ce
	out.Problems = origins.Placed(ce.Problems)
	if out.Text == "" && out.Code == cycle.EINVALID {
		out.Text = cycle.Say(cycle.Vietnamese, "proposal.refused", proposalUnit)
	}
	return &out
}

func (x *cli) consolidateCommand() *cobra.Command {
	var t target
	var file string
	var drops, keeps []string
	cmd := &cobra.Command{
		Use:   "consolidate",
		Short: "Consolidate the proposals into the draft list (secretariat)",
		Long: `Consolidate the proposals: communes keep the selection rules' verdict unless you
drop one (--drop CODE=reason) or keep one explicitly (--keep CODE=reason, placed first);
or give the decisions as a JSON file (--file) in the shape of cycle.Consolidation.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var c cycle.Consolidation
			if file != "" {
				if err := readJSONFile(file, &c); err != nil {
					return err
				}
			}
			c.Decisions = append(c.Decisions, communeDecisions(drops, false)...)
			c.Decisions = append(c.Decisions, communeDecisions(keeps, true)...)
			r := t.request()
			var res workflows.ConsolidateResult
			if err := x.update(cmd.Context(), &t, workflows.UpdateConsolidate, r.RequestID, workflows.ConsolidateRequest{Request: r, Consolidation: c}, &res); err != nil {
				return err
			}
			x.print(&t, res, func() {
				fmt.Fprintf(x.out, "draft list of %d communes sent to the appraisal council\n", len(res.Draft))
				printList(x.out, res.Draft)
			})
			return nil
		},
	}
	t.actorFlags(cmd, cycle.RoleSecretariat)
	cmd.Flags().StringVarP(&file, "file", "f", "", "consolidation JSON file")
	cmd.Flags().StringArrayVar(&drops, "drop", nil, "drop a commune: CODE=reason")
	cmd.Flags().StringArrayVar(&keeps, "keep", nil, "keep a commune first: CODE=reason")
	return cmd
}

func (x *cli) appraiseCommand() *cobra.Command {
	var t target
	var file, reason, minutes string
	var approve, ret bool
	var removes []string
	cmd := &cobra.Command{
		Use:   "appraise",
		Short: "Record the appraisal council's conclusion (council chair)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var a cycle.Appraisal
			if file != "" {
				if err := readJSONFile(file, &a); err != nil {
					return err
				}
			} else {
				if approve == ret {
					return fmt.Errorf("give exactly one of --approve and --return (or --file)")
				}
				a = cycle.Appraisal{Approved: approve, Reason: cycle.Clean(reason), Minutes: cycle.Clean(minutes)}
				a.Removals = communeDecisions(removes, false)
			}
			r := t.request()
			var res workflows.AppraiseResult
			if err := x.update(cmd.Context(), &t, workflows.UpdateAppraise, r.RequestID, workflows.AppraiseRequest{Request: r, Appraisal: a}, &res); err != nil {
				return err
			}
			x.print(&t, res, func() {
				if res.Returned {
					fmt.Fprintln(x.out, "list returned to the secretariat for consolidation")
					return
				}
				fmt.Fprintf(x.out, "list of %d communes reported to the head for signing\n", len(res.List))
			})
			return nil
		},
	}
	t.actorFlags(cmd, cycle.RoleCouncilChair)
	cmd.Flags().StringVarP(&file, "file", "f", "", "appraisal JSON file (cycle.Appraisal)")
	cmd.Flags().BoolVar(&approve, "approve", false, "approve the list")
	cmd.Flags().BoolVar(&ret, "return", false, "return the list to the secretariat (needs --reason)")
	cmd.Flags().StringVar(&reason, "reason", "", "why the list is returned")
	cmd.Flags().StringVar(&minutes, "minutes", "", "summary of the meeting's minutes")
	cmd.Flags().StringArrayVar(&removes, "remove", nil, "take a commune off the list: CODE=reason")
	return cmd
}

func (x *cli) signCommand() *cobra.Command {
	var t target
	var comment string
	cmd := &cobra.Command{
		Use:   "sign",
		Short: "Sign the decision approving the list (head of the committee)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			r := t.request()
			var res workflows.SignResult
			if err := x.update(cmd.Context(), &t, workflows.UpdateSign, r.RequestID, workflows.SignRequest{Request: r, Comment: comment}, &res); err != nil {
				return err
			}
			x.print(&t, res, func() { fmt.Fprintf(x.out, "signed on %s; the clerk can issue it\n", res.SignedAt.Vietnamese()) })
			return nil
		},
	}
	t.actorFlags(cmd, cycle.RoleSigner)
	cmd.Flags().StringVar(&comment, "comment", "", "a comment for the record")
	return cmd
}

func (x *cli) issueCommand() *cobra.Command {
	var t target
	cmd := &cobra.Command{
		Use:   "issue",
		Short: "Number, date and issue the signed decision (clerk)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			r := t.request()
			var d cycle.Decision
			if err := x.update(cmd.Context(), &t, workflows.UpdateIssue, r.RequestID, workflows.IssueRequest{Request: r}, &d); err != nil {
				return err
			}
			x.print(&t, d, func() {
				fmt.Fprintf(x.out, "decision Số %s issued on %s: %d communes\n  PDF: %s\n  SHA-256: %s\n", d.Code, d.Date.Vietnamese(), len(d.Communes), d.Path, d.SHA256)
			})
			return nil
		},
	}
	t.actorFlags(cmd, cycle.RoleClerk)
	return cmd
}

// ---- read side ---------------------------------------------------------------

func (x *cli) tasksCommand() *cobra.Command {
	var f activities.TaskFilter
	var role string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "tasks",
		Short: "List open tasks with assignee role, unit and due date (from the store)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, err := x.store(cmd.Context())
			if err != nil {
				return err
			}
			f.Role = cycle.Role(role)
			ts, err := db.OpenTasks(cmd.Context(), f)
			if err != nil {
				return err
			}
			x.print(&target{json: asJSON}, ts, func() {
				today := cycle.DateOf(time.Now())
				w := tabwriter.NewWriter(x.out, 0, 2, 2, ' ', 0)
				fmt.Fprintln(w, "DUE\tSTATE\tROLE\tUNIT\tTASK\tCYCLE")
				for _, t := range ts {
					st := "open"
					if t.Due.Before(today) {
						st = "OVERDUE"
					}
					fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", t.Due.Vietnamese(), st, t.Role, t.District, t.Title, t.CycleID)
				}
				w.Flush()
			})
			return nil
		},
	}
	cmd.Flags().StringVar(&f.CycleID, "cycle", "", "only this cycle (e.g. cycle/51/2027)")
	cmd.Flags().StringVar(&role, "role", "", "only tasks for this role")
	cmd.Flags().StringVar(&f.District, "district", "", "only tasks for this unit")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func (x *cli) notificationsCommand() *cobra.Command {
	var t target
	cmd := &cobra.Command{
		Use:   "notifications",
		Short: "List the reminders, overdue notices and escalations of a cycle",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, err := x.store(cmd.Context())
			if err != nil {
				return err
			}
			ns, err := db.Notifications(cmd.Context(), t.id())
			if err != nil {
				return err
			}
			x.print(&t, ns, func() {
				for _, n := range ns {
					fmt.Fprintf(x.out, "%s  %-10s → %s %s  %s\n", n.At.In(cycle.Vietnam).Format("02/01/2006 15:04"), n.Kind, n.Role, n.District, n.Message)
				}
				if len(ns) == 0 {
					fmt.Fprintln(x.out, "no notifications")
				}
			})
			return nil
		},
	}
	t.cycleFlags(cmd)
	return cmd
}

func (x *cli) auditCommand() *cobra.Command {
	var t target
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Show the audit log of task completions of a cycle (who, what, when)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, err := x.store(cmd.Context())
			if err != nil {
				return err
			}
			es, err := db.Audit(cmd.Context(), t.id())
			if err != nil {
				return err
			}
			x.print(&t, es, func() {
				for _, e := range es {
					fmt.Fprintf(x.out, "%s  %-16s %-18s %s\n", e.At.In(cycle.Vietnam).Format("02/01/2006 15:04:05"), e.Actor.ID, e.Action, e.Summary)
				}
			})
			return nil
		},
	}
	t.cycleFlags(cmd)
	return cmd
}

func (x *cli) decisionsCommand() *cobra.Command {
	var t target
	var fetch, out string
	cmd := &cobra.Command{
		Use:   "decisions",
		Short: "List a cycle's issued decisions, or fetch one's PDF from the store",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, err := x.store(cmd.Context())
			if err != nil {
				return err
			}
			if fetch != "" {
				pdf, err := db.DecisionPDF(cmd.Context(), fetch)
				if err != nil {
					return err
				}
				if out == "" {
					return fmt.Errorf("give --out FILE to write the PDF")
				}
				if err := os.WriteFile(out, pdf, 0o644); err != nil {
					return err
				}
				fmt.Fprintf(x.out, "wrote %s (%d bytes)\n", out, len(pdf))
				return nil
			}
			ds, err := db.Decisions(cmd.Context(), t.id())
			if err != nil {
				return err
			}
			x.print(&t, ds, func() {
				for _, d := range ds {
					fmt.Fprintf(x.out, "Số %-12s %s  %d communes  %s  sha256 %s…  id %s\n", d.Code, d.Date.Vietnamese(), len(d.Communes), d.Path, d.SHA256[:12], d.ID)
				}
			})
			return nil
		},
	}
	t.cycleFlags(cmd)
	cmd.Flags().StringVar(&fetch, "fetch", "", "decision ID whose PDF to fetch")
	cmd.Flags().StringVarP(&out, "out", "o", "", "file to write the fetched PDF to")
	return cmd
}

func (x *cli) sampleCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "sample", Short: "Write sample input files (synthetic figures) for trying the commands"}
	var slug, unit, format string
	var year int
	prop := &cobra.Command{
		Use:   "proposal",
		Short: "Print a sample district proposal with synthetic figures (JSON or CSV)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p, _, err := sample.Province(slug)
			if err != nil {
				return err
			}
			for _, pr := range sample.Proposals(p, cycle.DefaultPolicy(), year) {
				if pr.Unit != unit {
					continue
				}
				if format == "csv" {
					return cycle.WriteProposalCSV(x.out, p, pr)
				}
				enc := json.NewEncoder(x.out)
				enc.SetIndent("", "  ")
				return enc.Encode(pr)
			}
			return cycle.Errorf(cycle.ENOTFOUND, "unit %q is not a district of %s; districts: %s", unit, p.Name, strings.Join(p.Units(), ", "))
		},
	}
	prop.Flags().StringVar(&slug, "province", "quang-ngai", "sample province")
	prop.Flags().StringVar(&unit, "district", "522", "district code")
	prop.Flags().IntVar(&year, "year", 2027, "cycle year")
	prop.Flags().StringVar(&format, "format", "json", "json or csv")
	cmd.AddCommand(prop)
	return cmd
}

func readJSONFile(file string, v any) error {
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return cycle.Errorf(cycle.EINVALID, "%s: %v", file, err)
	}
	return nil
}

// communeDecisions parses CODE=reason flags.
func communeDecisions(flags []string, keep bool) []cycle.CommuneDecision {
	var out []cycle.CommuneDecision
	for _, f := range flags {
		code, reason, _ := strings.Cut(f, "=")
		out = append(out, cycle.CommuneDecision{Commune: cycle.Clean(code), Keep: keep, Reason: cycle.Clean(reason)})
	}
	return out
}

// cyclePolicy is the policy a new cycle runs under: the one named (a
// shipped ID or a file), or the shipped policy in force for the province on
// 1 January of the cycle's year (seed 000 where none is). The cycle keeps
// it for its whole life.
func cyclePolicy(arg, province string, year int) (cycle.Policy, string, error) {
	if arg != "" {
		pol, err := policies.Resolve(arg)
		return pol, "as given", err
	}
	all, err := policies.Builtin()
	if err != nil {
		return cycle.Policy{}, "", err
	}
	pol, found, err := policies.InForce(all, province, cycle.D(year, time.January, 1))
	if !found && err == nil {
		return pol, "no plan of the province in force: the default", nil
	}
	return pol, "in force for the province", err
}
