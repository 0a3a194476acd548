package e2e

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"google.golang.org/protobuf/encoding/protojson"

	"chuyenhoa/cycle"
	"chuyenhoa/devserver"
	"chuyenhoa/internal/app"
	"chuyenhoa/internal/pgtest"
	"chuyenhoa/postgres"
	"chuyenhoa/sample"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/selection"
)

var updateHistory = flag.Bool("update-history", false, "rewrite workflows/testdata/yearly_cycle_history.json from this run")

// TestYearlyCycleEndToEnd runs a whole selection cycle for Quảng Ngãi on the
// embedded Temporal server and a fresh PostgreSQL database, with the real
// worker, store and PDF renderer.
func TestYearlyCycleEndToEnd(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	ts := startTemporal(t, devserver.TemporalOptions{UIPort: -1})
	c := dial(t, ts)
	db, err := postgres.Open(ctx, pgtest.CreateDatabase(t))
	require.NoError(t, err)
	defer db.Close()
	prov, issuer, err := sample.Province("quang-ngai")
	require.NoError(t, err)
	require.NoError(t, db.SaveProvince(ctx, prov, issuer))

	out := t.TempDir()
	acts, err := app.NewActivities(db, app.Config{OutputDir: out, Signing: app.SigningConfig{Demo: true}})
	require.NoError(t, err)
	w := app.NewWorker(c, acts)
	require.NoError(t, w.Start())
	defer w.Stop()

	pol := cycle.DefaultPolicy()
	id := selection.WorkflowID(prov.Code, 2027)
	opts := client.StartWorkflowOptions{ID: id, TaskQueue: flow.TaskQueue,
		WorkflowIDReusePolicy:                    enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		WorkflowIDConflictPolicy:                 enumspb.WORKFLOW_ID_CONFLICT_POLICY_FAIL,
		WorkflowExecutionErrorWhenAlreadyStarted: true}
	in := selection.YearlyCycleInput{Province: prov.Code, Year: 2027, Policy: pol, StartedBy: cycle.Actor{ID: "cat.tt", Role: cycle.RoleSecretariat}, Synthetic: true,
		StopAtDecision: true} // the transformation years run on real dates: tested with time skipping in package workflows
	run, err := c.ExecuteWorkflow(ctx, opts, selection.YearlyCycle, in)
	require.NoError(t, err)
	_, err = c.ExecuteWorkflow(ctx, opts, selection.YearlyCycle, in)
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	require.True(t, errors.As(err, &started), "a second start of the same cycle is refused: %v", err)

	update := func(name, rid string, arg, result any) error {
		h, err := c.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{WorkflowID: id, UpdateID: rid, UpdateName: name, Args: []any{arg}, WaitForStage: client.WorkflowUpdateStageCompleted})
		if err != nil {
			return err
		}
		return h.Get(ctx, result)
	}
	waitTask := func(task string) {
		require.Eventually(t, func() bool {
			v, err := c.QueryWorkflow(ctx, id, "", selection.QueryState)
			if err != nil {
				return false
			}
			var st selection.CycleState
			if v.Get(&st) != nil {
				return false
			}
			for _, x := range st.OpenTasks {
				if x.ID == task {
					return true
				}
			}
			return false
		}, 20*time.Second, 20*time.Millisecond, "task %s never opened", task)
	}

	proposals := sample.Proposals(prov, pol, 2027)
	waitTask(cycle.TaskID(cycle.TaskSubmitProposal, proposals[0].Unit))
	var res selection.SubmitProposalResult
	// A wrong-district submission and a malformed one are refused whole.
	wrong := selection.SubmitProposalRequest{Request: flow.Request{Actor: cycle.Actor{ID: "x", Role: cycle.RoleDistrictOfficer, District: proposals[1].Unit}, RequestID: "wrong"}, Proposal: proposals[0]}
	require.Equal(t, cycle.EFORBIDDEN, flow.AsCycleError(update(selection.UpdateSubmitProposal, "wrong", wrong, &res)).Code)
	bad := sample.BadProposal(prov, pol, 2027, proposals[0].Unit)
	badReq := selection.SubmitProposalRequest{Request: flow.Request{Actor: cycle.Actor{ID: "ca", Role: cycle.RoleDistrictOfficer, District: proposals[0].Unit}, RequestID: "bad"}, Proposal: bad}
	ce := flow.AsCycleError(update(selection.UpdateSubmitProposal, "bad", badReq, &res))
	require.NotNil(t, ce)
	require.Equal(t, cycle.EINVALID, ce.Code)
	require.GreaterOrEqual(t, len(ce.Problems), 4)
	for _, p := range proposals {
		r := selection.SubmitProposalRequest{Request: flow.Request{Actor: cycle.Actor{ID: "ca." + p.Unit, Role: cycle.RoleDistrictOfficer, District: p.Unit}, RequestID: "p-" + p.Unit}, Proposal: p}
		require.NoError(t, update(selection.UpdateSubmitProposal, r.RequestID, r, &res))
		require.Equal(t, 1, res.Revision)
	}
	// The same request again (a retry): the first result, no second revision.
	r0 := selection.SubmitProposalRequest{Request: flow.Request{Actor: cycle.Actor{ID: "ca." + proposals[0].Unit, Role: cycle.RoleDistrictOfficer, District: proposals[0].Unit}, RequestID: "p-" + proposals[0].Unit}, Proposal: proposals[0]}
	require.NoError(t, update(selection.UpdateSubmitProposal, r0.RequestID, r0, &res))
	require.Equal(t, 1, res.Revision)

	waitTask(cycle.TaskID(cycle.TaskConsolidate, ""))
	var cons selection.ConsolidateResult
	require.NoError(t, update(selection.UpdateConsolidate, "c", selection.ConsolidateRequest{Request: flow.Request{Actor: cycle.Actor{ID: "cat.tt", Role: cycle.RoleSecretariat}, RequestID: "c"}}, &cons))
	waitTask(cycle.TaskID(cycle.TaskAppraise, ""))
	var ap selection.AppraiseResult
	require.NoError(t, update(selection.UpdateAppraise, "a", selection.AppraiseRequest{Request: flow.Request{Actor: cycle.Actor{ID: "hd", Role: cycle.RoleCouncilChair}, RequestID: "a"}, Appraisal: cycle.Appraisal{Approved: true}}, &ap))
	waitTask(cycle.TaskID(cycle.TaskSign, ""))
	var sg selection.SignResult
	require.Equal(t, cycle.EFORBIDDEN, flow.AsCycleError(update(selection.UpdateSign, "s0", selection.SignRequest{Request: flow.Request{Actor: cycle.Actor{ID: "vt", Role: cycle.RoleClerk}, RequestID: "s0"}}, &sg)).Code)
	// The sign task opens before the decision is drafted and prepared: a
	// signature sent in that window is refused as "being prepared".
	require.Eventually(t, func() bool {
		err := update(selection.UpdateSign, "s", selection.SignRequest{Request: flow.Request{Actor: cycle.Actor{ID: "tb", Role: cycle.RoleSigner}, RequestID: "s"}}, &sg)
		require.True(t, err == nil || selection.Preparing(err), "%v", err)
		return err == nil
	}, 20*time.Second, 100*time.Millisecond)
	waitTask(cycle.TaskID(cycle.TaskIssue, ""))
	var d cycle.Decision
	require.NoError(t, update(selection.UpdateIssue, "i", selection.IssueRequest{Request: flow.Request{Actor: cycle.Actor{ID: "vt", Role: cycle.RoleClerk}, RequestID: "i"}}, &d))
	var final cycle.Decision
	require.NoError(t, run.Get(ctx, &final))
	require.Equal(t, d.Code, final.Code)

	// The decision: numbered, the list the rules selected, stored once
	// under its SHA-256.
	require.Equal(t, "1/QĐ-BCĐ", d.Code)
	want := cycle.Select(prov, pol, proposals).Selected()
	require.Len(t, d.Communes, len(want))
	pdf, err := db.DecisionPDF(ctx, d.ID)
	require.NoError(t, err)
	sum := sha256.Sum256(pdf)
	require.Equal(t, hex.EncodeToString(sum[:]), d.SHA256)
	path := filepath.Join(t.TempDir(), "decision.pdf")
	require.NoError(t, os.WriteFile(path, pdf, 0o644))
	audit, err := db.Audit(ctx, id)
	require.NoError(t, err)
	require.Len(t, audit, len(prov.Districts)+4, "one audit row per completion, none for refusals or the retry")
	open, err := db.OpenTasks(ctx, activitiesFilter(id))
	require.NoError(t, err)
	require.Empty(t, open)

	// Its text, as pdftotext extracts it: the motto and every commune with its diacritics.
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatal("pdftotext (poppler-utils) is needed: apt-get install -y poppler-utils")
	}
	txt, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	require.NoError(t, err)
	text := strings.Join(strings.Fields(string(txt)), " ")
	require.Contains(t, text, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
	require.Contains(t, text, "Độc lập - Tự do - Hạnh phúc")
	require.Contains(t, text, "Số: 1/QĐ-BCĐ")
	for _, c := range d.Communes {
		require.Contains(t, text, c.Name, "commune %s in the PDF", c.Commune)
	}

	if *updateHistory {
		hist := &historypb.History{}
		it := c.GetWorkflowHistory(ctx, id, run.GetRunID(), false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
		for it.HasNext() {
			e, err := it.Next()
			require.NoError(t, err)
			hist.Events = append(hist.Events, e)
		}
		b, err := protojson.MarshalOptions{Indent: "  "}.Marshal(hist)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile("../workflows/testdata/yearly_cycle_history.json", b, 0o644))
		t.Logf("wrote a history of %d events", len(hist.Events))
	}
}

func activitiesFilter(id string) cycle.TaskFilter { return cycle.TaskFilter{CycleID: id} }
