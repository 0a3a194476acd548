package main

import (
	"time"

	"github.com/spf13/cobra"

	"chuyenhoa/cycle"
	"chuyenhoa/policies"
	"chuyenhoa/workflows/selection"
)

// The operators' commands: they need Temporal or the database directly,
// so they run where the services run, with the services' configuration
// (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, DATABASE_URL). Officers never
// need them: what an officer does goes through the API.

func (x *operatorTools) operatorCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "operator",
		Short: "Lệnh vận hành: cần Temporal hoặc cơ sở dữ liệu trực tiếp (operators only)",
		Long: `The operators' commands. They talk to Temporal or PostgreSQL directly, not
through the API, and are for the people who run the services, on the machines
that run them: import the registry, add the first administrator's account,
verify the audit chain, read notifications and the audit log, fetch and verify
archived documents, export and replay workflow histories before an upgrade,
check files offline against a policy, verify signed PDFs, write sample files.

Connections come from flags or the environment: TEMPORAL_ADDRESS,
TEMPORAL_NAMESPACE, DATABASE_URL, CHUYENHOA_OUTPUT_DIR (where PDFs fetched from
the store are saved).`,
	}
	x.operatorFlags(cmd)
	cmd.AddCommand(x.operatorCommands()...)
	return cmd
}

// operatorCommands are the operators' commands, made anew at each call.
func (x *operatorTools) operatorCommands() []*cobra.Command {
	return []*cobra.Command{
		x.registryCommand(), x.sampleCommand(), x.accountCommand(), x.verifyAuditCommand(),
		x.auditCommand(), x.notificationsCommand(), x.decisionsCommand(), x.storeTasksCommand(),
		x.storeArchiveCommand(), x.kpiCommand(), x.transformationCommand(), x.historyCommand(),
		x.checkCommand(), x.verifyCommand(),
	}
}

// target is the cycle an operator's command reads.
type target struct {
	province string
	year     int
	json     bool
}

func (t *target) cycleFlags(cmd *cobra.Command) {
	cmd.Flags().StringVar(&t.province, "province", "51", "province code (51 = Quảng Ngãi)")
	cmd.Flags().IntVar(&t.year, "year", 2027, "the cycle's transformation year")
	cmd.Flags().BoolVar(&t.json, "json", false, "print JSON")
}

func (t *target) id() string { return selection.WorkflowID(t.province, t.year) }

// cyclePolicy is the policy a cycle of the year runs under: the one named
// (a shipped ID or a file), or the shipped policy in force for the
// province on 1 January of the year — refused, in both languages, when
// none is (no plan's rules are assumed for a year it does not cover).
func cyclePolicy(arg, province string, year int) (cycle.Policy, string, error) {
	if arg != "" {
		pol, err := policies.Resolve(arg)
		return pol, "as given", err
	}
	all, err := policies.Builtin()
	if err != nil {
		return cycle.Policy{}, "", err
	}
	pol, err := policies.InForce(all, province, cycle.D(year, time.January, 1))
	return pol, "in force for the province", err
}
