package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"
	"go.temporal.io/sdk/client"

	"chuyenhoa/cycle"
	"chuyenhoa/internal/display"
	"chuyenhoa/policies"
	"chuyenhoa/workflows/selection"
)

// A yearly cycle: opening it under its policy, its state and the
// selection rules' verdicts.

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
			in := selection.YearlyCycleInput{Province: t.province, Year: t.year, Policy: pol, StartedBy: r.Actor, Synthetic: synthetic}
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
			c, err := x.client()
			if err != nil {
				return err
			}
			res, err := selection.Client{T: c}.Selection(cmd.Context(), sel.id())
			if err != nil {
				return err
			}
			x.print(&sel, res, func() { display.Selection(x.out, res, 0) })
			return nil
		},
	}
	sel.cycleFlags(selection)
	cmd.AddCommand(start, show, selection)
	return cmd
}

// startCycle starts YearlyCycle under its business ID; a second start of
// the same cycle is refused with a clear message.
func (x *cli) startCycle(ctx context.Context, in selection.YearlyCycleInput) (client.WorkflowRun, error) {
	c, err := x.client()
	if err != nil {
		return nil, err
	}
	return selection.Client{T: c}.Start(ctx, in)
}

func (x *cli) state(ctx context.Context, id string) (selection.CycleState, error) {
	c, err := x.client()
	if err != nil {
		return selection.CycleState{}, err
	}
	return selection.Client{T: c}.State(ctx, id)
}

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
