package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/selection"
)

func printState(w io.Writer, st selection.CycleState) {
	fmt.Fprintf(w, "Cycle %s — %s, year %d, policy %s\nPhase: %s (today %s)\n", st.CycleID, st.ProvinceName, st.Year, st.PolicyID, st.Phase, st.Today.Vietnamese())
	submitted := 0
	for _, u := range st.Units {
		if u.Submitted {
			submitted++
		}
	}
	fmt.Fprintf(w, "\nUnits: %d of %d submitted\n", submitted, len(st.Units))
	tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
	for _, u := range st.Units {
		mark := "—"
		if u.Submitted {
			mark = fmt.Sprintf("rev %d on %s, %d proposed", u.Revision, u.On.Vietnamese(), u.Proposed)
			if u.Late {
				mark += " (late)"
			}
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", u.Unit, u.Name, mark)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nOpen tasks: %d\n", len(st.OpenTasks))
	tw = tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
	for _, t := range st.OpenTasks {
		state := ""
		if t.Due.Before(st.Today) {
			state = "OVERDUE"
		}
		fmt.Fprintf(tw, "  due %s\t%s\t%s\t%s\t%s\n", t.Due.Vietnamese(), state, t.Role, t.District, t.Title)
	}
	tw.Flush()
	if len(st.List) > 0 {
		fmt.Fprintf(w, "\nList approved by the council (%d):\n", len(st.List))
		printList(w, st.List)
	} else if len(st.Draft) > 0 {
		fmt.Fprintf(w, "\nDraft list (%d):\n", len(st.Draft))
		printList(w, st.Draft)
	}
	if st.DraftSHA256 != "" {
		fmt.Fprintf(w, "\nDraft decision: in the store (sha256 %s)\n", st.DraftSHA256)
	}
	if d := st.Decision; d != nil {
		fmt.Fprintf(w, "\nDecision Số %s of %s (sha256 %s)\n", d.Code, d.Date.Vietnamese(), d.SHA256)
	}
	if len(st.Events) > 0 {
		fmt.Fprintln(w, "\nHistory:")
		for _, e := range st.Events {
			fmt.Fprintf(w, "  %s  %-12s %s\n", e.At.Vietnamese(), e.Actor, e.Summary)
		}
	}
}

func printList(w io.Writer, list []cycle.ListedCommune) {
	tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
	fmt.Fprintln(tw, "  #\tCOMMUNE\tDISTRICT\tLOẠI")
	for _, l := range list {
		fmt.Fprintf(tw, "  %d\t%s (%s)\t%s\t%s\n", l.Rank, l.Name, l.Commune, l.DistrictName, l.Types)
	}
	tw.Flush()
}
