package api

import (
	"bytes"
	"fmt"
	"html/template"

	"chuyenhoa/cycle"
)

// The task forms' template helpers and the rendering of a kind's form
// (web/templates/partials/forms.html) into the task page.

// formView is what a form's template is executed with.
type formView struct {
	CSRF, RequestID string
	Address         string // the task's address (scope/province/year/task)
	Addr            taskAddress
	Data            any // the kind's form data (formdata.go)
	Values          map[string]string
	Fields          map[string][]cycle.Problem
	Preview         *PreviewResponse // a report's evaluation, when asked
}

// fieldProblems is a field's problems and the id of their list, for
// aria-describedby.
type fieldProblems struct {
	ID       string
	Problems []cycle.Problem
}

// figureInput is one figure's input on a report form.
type figureInput struct {
	ID, Label, Value string
	YesNo            bool
	Problems         []cycle.Problem
}

var formFuncs = template.FuncMap{
	"msg":  func(e *cycle.Error) string { return e.In(cycle.Vietnamese) },
	"errs": func(f map[string][]cycle.Problem, key string) bool { return len(f[key]) > 0 },
	"fe": func(f map[string][]cycle.Problem, key, id string) fieldProblems {
		return fieldProblems{ID: id, Problems: f[key]}
	},
	"fig": func(v formView, prefix string, f FigureField) figureInput {
		id := prefix + f.Name
		return figureInput{ID: id, Label: f.Label, YesNo: f.YesNo, Value: v.Values[id], Problems: v.Fields[id]}
	},
	"seq": func(n int) []int {
		out := make([]int, n)
		for i := range out {
			out[i] = i
		}
		return out
	},
	"add":        func(a, b int) int { return a + b },
	"awardPhase": func(p cycle.AwardPhase) string { return p.Say(cycle.Vietnamese) },
	"outcome":    func(o cycle.Outcome) string { return o.Say(cycle.Vietnamese) },
	"pct":        func(v float64) string { return cycle.Pct(v).Say(cycle.Vietnamese) },
	"acf": func(d accountsData, name, label, typ string) accountField {
		return accountField{Name: name, Label: label, Type: typ, Value: d.Values[name], Problems: d.Fields[name]}
	},
	"acv": func(d accountData, name, label, typ, value string) accountField {
		return accountField{Name: name, Label: label, Type: typ, Value: value, Problems: d.Fields[name]}
	},
	"btn": func(label, suffix string) struct{ Label, Suffix string } {
		return struct{ Label, Suffix string }{label, suffix}
	},
	"nomrows": func(d *NominateData) []int {
		out := make([]int, len(d.Current)+3)
		for i := range out {
			out[i] = i
		}
		return out
	},
}

// accountField is one input of an account's form.
type accountField struct {
	Name, Label, Type, Value string
	Problems                 []cycle.Problem
}

// renderForm executes the task's form with the page's values and problems.
func renderForm(t *template.Template, d *taskPageData, csrf string) (template.HTML, error) {
	v := formView{CSRF: csrf, RequestID: d.RequestID, Address: d.Address, Addr: addressOfTask(d.Task.Task),
		Data: d.Data, Values: d.Values, Fields: d.Fields, Preview: d.Preview}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, d.Form, v); err != nil {
		return "", fmt.Errorf("form %s: %w", d.Form, err)
	}
	return template.HTML(buf.String()), nil
}

// nominationValues are a unit's current nominations as the form's values,
// so that the form opens with what the unit has sent.
func nominationValues(d *NominateData) map[string]string {
	v := map[string]string{}
	for i, n := range d.Current {
		k := func(f string) string { return fmt.Sprintf("%s.%d", f, i) }
		v[k("kind")] = string(n.Kind)
		v[k("name")] = n.Name
		v[k("position")] = n.Position
		if n.Leader {
			v[k("leader")] = "on"
		}
		v[k("area")] = n.Area
		v[k("achievements")] = n.Achievements
		for j, part := range n.Dossier {
			if j > 0 {
				v[k("dossier")] += "\n"
			}
			v[k("dossier")] += part
		}
	}
	return v
}
