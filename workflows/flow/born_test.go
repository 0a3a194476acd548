package flow

import (
	"testing"

	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"
)

// A run born with a change has it without asking; one born without it
// asks workflow.GetVersion and takes what the history says (here the
// version before the change, as a run recorded before it replays).
func TestBornHasItsChangesWithoutAsking(t *testing.T) {
	has := func(ctx workflow.Context, born Born) (bool, error) { return born.Has(ctx, "some-change"), nil }
	for _, tc := range []struct {
		born Born
		want bool
		asks bool
	}{
		{Born{"other", "some-change"}, true, false},
		{nil, false, true},
		{Born{"other"}, false, true},
	} {
		var s testsuite.WorkflowTestSuite
		env := s.NewTestWorkflowEnvironment()
		env.RegisterWorkflowWithOptions(has, workflow.RegisterOptions{Name: "has"})
		asked := false
		env.OnGetVersion("some-change", workflow.DefaultVersion, 1).Return(func(string, workflow.Version, workflow.Version) workflow.Version {
			asked = true
			return workflow.DefaultVersion
		}).Maybe()
		env.ExecuteWorkflow("has", tc.born)
		var got bool
		if err := env.GetWorkflowResult(&got); err != nil {
			t.Fatal(err)
		}
		if got != tc.want || asked != tc.asks {
			t.Errorf("born %v: has %v, asked %v; want %v, %v", tc.born, got, asked, tc.want, tc.asks)
		}
	}
}
