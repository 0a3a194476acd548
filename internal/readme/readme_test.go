package readme

import (
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestByHandBlockIsTheScript: every command of docs/by-hand.md's "Driving a
// cycle by hand" block is run by scripts/by-hand.sh, which the suite runs.
func TestByHandBlockIsTheScript(t *testing.T) {
	md, err := os.ReadFile("../../docs/by-hand.md")
	require.NoError(t, err)
	script, err := os.ReadFile("../../scripts/by-hand.sh")
	require.NoError(t, err)
	block, err := Block(string(md), "# Driving a cycle by hand")
	require.NoError(t, err)
	cmds := Commands(block)
	require.Greater(t, len(cmds), 15, "the block lost its commands")
	require.Empty(t, Missing(cmds, string(script)), "README commands that scripts/by-hand.sh does not run")
}

// TestTheSuiteRunsTheScript: scripts/test.sh runs scripts/by-hand.sh.
func TestTheSuiteRunsTheScript(t *testing.T) {
	b, err := os.ReadFile("../../scripts/test.sh")
	require.NoError(t, err)
	require.Contains(t, string(b), "bash scripts/by-hand.sh")
}

func TestCommands(t *testing.T) {
	got := Commands([]string{
		"# a comment",
		"bin/starter login cat.tt          # asks for the password",
		"bin/starter login a ; bin/starter  sign --comment \"Đồng ý\"",
		"",
	})
	require.Equal(t, []string{"bin/starter login cat.tt", "bin/starter login a", `bin/starter sign --comment "Đồng ý"`}, got)
	require.Equal(t, []string{"b c"}, Missing([]string{"a", "b c"}, "x a y\n"))
	_, err := Block("# x\n", "## Driving")
	require.Error(t, err)
}
