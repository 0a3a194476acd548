package main

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"chuyenhoa/cycle"
)

// The read side, from the store: the inbox of open tasks, notifications,
// the audit log of completions and the issued decisions.

func (x *operatorTools) storeTasksCommand() *cobra.Command {
	var f cycle.TaskFilter
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
			x.print(asJSON, ts, func() {
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

func (x *operatorTools) notificationsCommand() *cobra.Command {
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
			x.print(t.json, ns, func() {
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

func (x *operatorTools) auditCommand() *cobra.Command {
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
			x.print(t.json, es, func() {
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

func (x *operatorTools) decisionsCommand() *cobra.Command {
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
				if err := writeNew(out, pdf); err != nil {
					return err
				}
				fmt.Fprintf(x.out, "wrote %s (%d bytes)\n", out, len(pdf))
				return nil
			}
			ds, err := db.Decisions(cmd.Context(), t.id())
			if err != nil {
				return err
			}
			x.print(t.json, ds, func() {
				for _, d := range ds {
					fmt.Fprintf(x.out, "Số %-12s %s  %d communes  %s  sha256 %s…  id %s\n", d.Code, d.Date.Vietnamese(), len(d.Communes), x.pdfPath(context.Background(), d), d.SHA256[:12], d.ID)
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
