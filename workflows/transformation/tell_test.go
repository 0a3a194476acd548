package transformation

import (
	"context"
	"errors"
	"testing"

	"go.temporal.io/sdk/testsuite"

	"chuyenhoa/cycle"
	"chuyenhoa/policies"
	"chuyenhoa/sample"
)

// reportStore records the reports saved.
type reportStore struct {
	cycle.TransformationStore
	saved []cycle.ReportRecord
}

func (s *reportStore) SaveReport(_ context.Context, r cycle.ReportRecord) error {
	s.saved = append(s.saved, r)
	return nil
}

// signals records the signals sent, or refuses them all with err.
type signals struct {
	sent []CommuneSignal
	to   []string
	err  error
}

func (s *signals) SignalWorkflow(_ context.Context, id, runID, name string, arg any) error {
	if s.err != nil {
		return s.err
	}
	if name != SignalCommune || runID != "" {
		return errors.New("unexpected signal " + name)
	}
	s.sent, s.to = append(s.sent, arg.(CommuneSignal)), append(s.to, id)
	return nil
}

// A report's record tells the cycle its verdict itself (issue 18: the
// commune's workflow then sends no signal and waits for no delivery):
// the signal carries the verdict the record evaluated; a recognised
// commune's own report (no Tell) tells nothing; when the signal is
// refused, or no client is at hand, Told is false — the report stays
// recorded and the workflow tells the cycle itself.
func TestReportRecordTellsTheCycle(t *testing.T) {
	pol, err := policies.ByID("000-quang-ngai-2021-2025")
	if err != nil {
		t.Fatal(err)
	}
	c := cycle.CommuneInProgramme{ListedCommune: cycle.ListedCommune{Commune: "21010", Name: "Phường Lê Hồng Phong", Types: cycle.Types{cycle.TypeSocialOrder}}, Kind: cycle.KindPhuong}
	rep := sample.Report(pol, c, true)
	rep.Area = &cycle.AreaAverage{Name: "Thành phố Quảng Ngãi", Crimes: 300, Communes: 5}
	in := ReportInput{ReportRecord: cycle.ReportRecord{CycleID: "cycle/51/2027", Commune: c, Kind: cycle.ReportYearly, Year: 2027, Report: rep, RequestID: "r1"}, Policy: pol,
		Tell: &CommuneSignal{Kind: CommuneVerdict, Commune: c.Commune, Year: 2027, Verdict: cycle.CommuneVerdict{Commune: c, Reported: true}}}

	var suite testsuite.WorkflowTestSuite
	run := func(a *Activities, in ReportInput) ReportTold {
		t.Helper()
		env := suite.NewTestActivityEnvironment()
		env.RegisterActivity(a)
		v, err := env.ExecuteLocalActivity(a.TransformSubmitReportAndTell, in)
		if err != nil {
			t.Fatal(err)
		}
		var out ReportTold
		if err := v.Get(&out); err != nil {
			t.Fatal(err)
		}
		return out
	}

	store, sig := &reportStore{}, &signals{}
	out := run(&Activities{Store: store, Cycles: sig}, in)
	if !out.Told || len(sig.sent) != 1 || sig.to[0] != "cycle/51/2027" {
		t.Fatalf("told %v, signals %+v to %v; want one to cycle/51/2027", out.Told, sig.sent, sig.to)
	}
	if got := sig.sent[0]; got.Verdict.Verdict.Outcome != out.Verdict.Outcome || got.Verdict.Verdict.Outcome != cycle.OutcomePass || !got.Verdict.Reported || got.Kind != CommuneVerdict {
		t.Errorf("signal %+v; want the record's verdict %s, reported", got, out.Verdict.Outcome)
	}
	if len(store.saved) != 1 || store.saved[0].Verdict.Outcome != cycle.OutcomePass {
		t.Errorf("saved %+v; want the report with its verdict", store.saved)
	}

	own := in
	own.Tell = nil
	if out := run(&Activities{Store: &reportStore{}, Cycles: sig}, own); out.Told || len(sig.sent) != 1 {
		t.Errorf("a recognised commune's own report: told %v, %d signals; want none", out.Told, len(sig.sent))
	}

	store = &reportStore{}
	if out := run(&Activities{Store: store, Cycles: &signals{err: errors.New("cycle unreachable")}}, in); out.Told || len(store.saved) != 1 || out.Verdict.Outcome != cycle.OutcomePass {
		t.Errorf("signal refused: told %v, %d saved, verdict %s; want not told, the report saved with its verdict", out.Told, len(store.saved), out.Verdict.Outcome)
	}
	if out := run(&Activities{Store: &reportStore{}}, in); out.Told {
		t.Error("no client in a test environment: told; want the workflow to tell")
	}
}
