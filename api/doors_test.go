package api

import (
	"testing"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/awards"
	"chuyenhoa/workflows/selection"
	"chuyenhoa/workflows/transformation"
)

// Every update the workflows install (flow.RegisterUpdates refuses one
// not in these lists) completes a task kind that has an API route and a
// web form, or is an action of the secretariat with its own route and
// form: no task can again be done only from the CLI.
func TestEveryUpdateHasADoor(t *testing.T) {
	lists := map[string]map[string][]cycle.TaskKind{
		"selection": selection.Updates, "transformation (commune)": transformation.CommuneUpdates,
		"transformation (cohort)": transformation.CohortUpdates, "awards": awards.Updates,
	}
	seen := map[cycle.TaskKind]bool{}
	n := 0
	for wf, ups := range lists {
		for name, kinds := range ups {
			n++
			if len(kinds) == 0 {
				if _, ok := adminActions[name]; !ok {
					t.Errorf("%s: update %q completes no task and is not an action of the web and the API (adminActions)", wf, name)
				}
				continue
			}
			for _, k := range kinds {
				tk, ok := taskKinds[k]
				switch {
				case !ok:
					t.Errorf("%s: update %q completes task kind %s, which the API does not register", wf, name, k)
				case tk.Update != name:
					t.Errorf("%s: task kind %s is completed by update %q, the API sends %q", wf, k, name, tk.Update)
				case tk.body == nil || tk.form == nil:
					t.Errorf("%s: task kind %s has no API body reader or no web form reader", wf, k)
				}
				if _, ok := formSamples[tk.Form]; ok && tk != nil {
					seen[k] = true
				}
			}
		}
	}
	if n < 17 {
		t.Fatalf("only %d updates found", n)
	}
	for k := range taskKinds {
		if !seen[k] {
			t.Errorf("the API registers task kind %s, which no workflow update completes (or whose form has no sample)", k)
		}
	}
	for name := range adminActions {
		found := false
		for _, ups := range lists {
			if kinds, ok := ups[name]; ok && len(kinds) == 0 {
				found = true
			}
		}
		if !found {
			t.Errorf("admin action %q is not an update of any workflow", name)
		}
	}
}
