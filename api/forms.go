package api

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"chuyenhoa/cycle"
)

// Reading the officer's input: each kind's web form into its request, and
// the text of every request cleaned (NFC, no control characters) where it
// enters. A value the form cannot take (a number that is not one, a choice
// not offered) is refused next to its field, in Vietnamese.

func cleanAll(ss []string) []string {
	var out []string
	for _, s := range ss {
		if c := cycle.Clean(s); c != "" {
			out = append(out, c)
		}
	}
	return out
}

// lines splits a text area into its non-empty lines.
func lines(s string) []string { return cleanAll(strings.Split(s, "\n")) }

func cleanConsolidation(v *cycle.Consolidation) {
	for i := range v.Decisions {
		v.Decisions[i].Commune, v.Decisions[i].Reason = cycle.Clean(v.Decisions[i].Commune), cycle.Clean(v.Decisions[i].Reason)
	}
	v.Note = cycle.Clean(v.Note)
}

func cleanAppraisal(a *cycle.Appraisal) {
	a.Reason, a.Minutes = cycle.Clean(a.Reason), cycle.Clean(a.Minutes)
	for i := range a.Removals {
		a.Removals[i].Commune, a.Removals[i].Reason = cycle.Clean(a.Removals[i].Commune), cycle.Clean(a.Removals[i].Reason)
	}
	a.Members = cleanAll(a.Members)
}

func cleanReport(r cycle.TransformationReport) cycle.TransformationReport {
	r.Note = cycle.Clean(r.Note)
	if r.Area != nil {
		a := *r.Area
		a.Name = cycle.Clean(a.Name)
		r.Area = &a
	}
	return r
}

func cleanFailure(v cycle.FailureReview) *cycle.FailureReview {
	v.Causes, v.Remedies = cleanAll(v.Causes), cleanAll(v.Remedies)
	return &v
}

func cleanResponsibility(v cycle.ResponsibilityReview) *cycle.ResponsibilityReview {
	for i := range v.Responsible {
		x := &v.Responsible[i]
		x.Unit, x.Person, x.Position, x.Conclusion = cycle.Clean(x.Unit), cycle.Clean(x.Person), cycle.Clean(x.Position), cycle.Clean(x.Conclusion)
	}
	v.Emulation = cycle.Clean(v.Emulation)
	return &v
}

func cleanResultsAppraisal(v cycle.ResultsAppraisal) cycle.ResultsAppraisal {
	v.Minutes = cycle.Clean(v.Minutes)
	for i := range v.Decisions {
		v.Decisions[i].Commune, v.Decisions[i].Reason = cycle.Clean(v.Decisions[i].Commune), cycle.Clean(v.Decisions[i].Reason)
	}
	return v
}

func cleanAwardReview(v cycle.AwardReview) cycle.AwardReview {
	v.Minutes = cycle.Clean(v.Minutes)
	v.Accepted = cleanAll(v.Accepted)
	for i := range v.Rejected {
		v.Rejected[i].ID, v.Rejected[i].Reason = cycle.Clean(v.Rejected[i].ID), cycle.Clean(v.Rejected[i].Reason)
	}
	return v
}

// formProblem is a problem of a named field of a form.
func formProblem(field, rule string, args ...any) cycle.Problem {
	p := cycle.NewProblem(rule, args...)
	p.Field = field
	return p
}

// formProblemAt is a problem of a form's field about a commune, of a rule
// said by the catalogue's message msg.
func formProblemAt(field, commune, rule, msg string, args ...any) cycle.Problem {
	p := cycle.NewProblemAs(rule, msg, args...)
	p.Field, p.Commune = field, commune
	return p
}

// consolidationFromForm: for each candidate commune "decision.<code>" is
// keep, drop or empty (the rules decide), with "reason.<code>".
func consolidationFromForm(f url.Values) cycle.Consolidation {
	cons := cycle.Consolidation{Note: cycle.Clean(f.Get("note"))}
	for _, code := range sortedKeys(f, "decision.") {
		switch f.Get("decision." + code) {
		case "keep", "drop":
			cons.Decisions = append(cons.Decisions, cycle.CommuneDecision{Commune: cycle.Clean(code), Keep: f.Get("decision."+code) == "keep", Reason: cycle.Clean(f.Get("reason." + code))})
		}
	}
	return cons
}

// appraisalFromForm: "outcome" approve or return, the council's reason,
// minutes and members, and "remove.<code>" with "reason.<code>".
func appraisalFromForm(f url.Values) (cycle.Appraisal, error) {
	a := cycle.Appraisal{Reason: cycle.Clean(f.Get("reason")), Minutes: cycle.Clean(f.Get("minutes")), Members: lines(f.Get("members"))}
	switch f.Get("outcome") {
	case "approve":
		a.Approved = true
	case "return":
	default:
		return a, cycle.Invalid("appraisal", []cycle.Problem{formProblem("outcome", "api.form_choice", "thông qua danh sách, trả lại danh sách")})
	}
	for _, code := range sortedKeys(f, "remove.") {
		if f.Get("remove."+code) == "on" {
			a.Removals = append(a.Removals, cycle.CommuneDecision{Commune: cycle.Clean(code), Reason: cycle.Clean(f.Get("reason." + code))})
		}
	}
	return a, nil
}

// reportFromForm: every figure of the period as "f.<name>" and of the
// baseline as "b.<name>" (yes/no figures as "yes" or "no"; an empty field
// is not reported), the area's average as "area_name", "area_crimes",
// "area_communes", and a note.
func reportFromForm(f url.Values) (cycle.TransformationReport, error) {
	rep := cycle.TransformationReport{Note: cycle.Clean(f.Get("note"))}
	var probs []cycle.Problem
	read := func(prefix string, into *cycle.ReportFigures) {
		for _, name := range cycle.FigureNames() {
			v := cycle.Clean(f.Get(prefix + name))
			if v == "" {
				continue
			}
			n := 0
			switch v {
			case "yes":
				n = 1
			case "no":
			default:
				var err error
				n, err = strconv.Atoi(v)
				if err != nil || n < 0 {
					probs = append(probs, formProblem(prefix+name, "api.form_number", v))
					continue
				}
			}
			if err := into.Set(name, n); err != nil {
				probs = append(probs, formProblem(prefix+name, "api.form_number", v))
			}
		}
	}
	read("f.", &rep.Figures)
	read("b.", &rep.Baseline)
	if c, n := cycle.Clean(f.Get("area_crimes")), cycle.Clean(f.Get("area_communes")); c != "" || n != "" {
		crimes, err1 := strconv.Atoi(c)
		communes, err2 := strconv.Atoi(n)
		switch {
		case err1 != nil:
			probs = append(probs, formProblem("area_crimes", "api.form_number", c))
		case err2 != nil:
			probs = append(probs, formProblem("area_communes", "api.form_number", n))
		default:
			rep.Area = &cycle.AreaAverage{Name: cycle.Clean(f.Get("area_name")), Crimes: crimes, Communes: communes}
		}
	}
	return rep, cycle.Invalid("report", probs)
}

func failureFromForm(f url.Values) cycle.FailureReview {
	return cycle.FailureReview{Causes: lines(f.Get("causes")), Remedies: lines(f.Get("remedies"))}
}

// responsibilityFromForm: rows "unit.N", "person.N", "position.N",
// "conclusion.N" (N from 0), and the emulation effect.
func responsibilityFromForm(f url.Values) cycle.ResponsibilityReview {
	v := cycle.ResponsibilityReview{Emulation: f.Get("emulation")}
	for i := 0; i < 50; i++ {
		n := strconv.Itoa(i)
		x := cycle.Responsible{Unit: f.Get("unit." + n), Person: f.Get("person." + n), Position: f.Get("position." + n), Conclusion: f.Get("conclusion." + n)}
		if cycle.Clean(x.Unit+x.Person+x.Position+x.Conclusion) != "" {
			v.Responsible = append(v.Responsible, x)
		}
	}
	return v
}

// resultsAppraisalFromForm: for each commune "decision.<code>" is keep
// (the verdict stands), pass or fail, with "reason.<code>".
func resultsAppraisalFromForm(f url.Values) (cycle.ResultsAppraisal, error) {
	v := cycle.ResultsAppraisal{Minutes: cycle.Clean(f.Get("minutes"))}
	var probs []cycle.Problem
	for _, code := range sortedKeys(f, "decision.") {
		switch d := f.Get("decision." + code); d {
		case "", "keep":
		case "pass", "fail":
			v.Decisions = append(v.Decisions, cycle.ResultDecision{Commune: cycle.Clean(code), Outcome: cycle.Outcome(d), Reason: cycle.Clean(f.Get("reason." + code))})
		default:
			probs = append(probs, formProblem("decision."+code, "api.form_choice", "giữ kết quả, đạt, không đạt"))
		}
	}
	return v, cycle.Invalid("results appraisal", probs)
}

// nominationsFromForm: rows "kind.N" (collective or individual), "name.N",
// "position.N", "leader.N", "area.N", "achievements.N", "dossier.N" (one
// part per line).
func nominationsFromForm(r *http.Request) ([]cycle.Nomination, error) {
	f := r.PostForm
	var out []cycle.Nomination
	var probs []cycle.Problem
	for i := 0; i < 50; i++ {
		n := strconv.Itoa(i)
		name := cycle.Clean(f.Get("name." + n))
		if name == "" {
			continue
		}
		nom := cycle.Nomination{Name: name, Position: cycle.Clean(f.Get("position." + n)), Leader: f.Get("leader."+n) == "on",
			Area: cycle.Clean(f.Get("area." + n)), Achievements: cycle.Clean(f.Get("achievements." + n)), Dossier: lines(f.Get("dossier." + n))}
		switch k := cycle.NomineeKind(f.Get("kind." + n)); k {
		case cycle.NomineeCollective, cycle.NomineeIndividual:
			nom.Kind = k
		default:
			probs = append(probs, formProblem("kind."+n, "api.form_choice", "tập thể, cá nhân"))
		}
		out = append(out, nom)
	}
	return out, cycle.Invalid("nominations", probs)
}

// awardReviewFromForm: for each nomination "decision.<id>" is accept or
// reject, with "reason.<id>"; and the minutes.
func awardReviewFromForm(f url.Values) cycle.AwardReview {
	v := cycle.AwardReview{Minutes: cycle.Clean(f.Get("minutes"))}
	for _, id := range sortedKeys(f, "decision.") {
		switch f.Get("decision." + id) {
		case "accept":
			v.Accepted = append(v.Accepted, cycle.Clean(id))
		case "reject":
			v.Rejected = append(v.Rejected, cycle.Rejection{ID: cycle.Clean(id), Reason: cycle.Clean(f.Get("reason." + id))})
		}
	}
	return v
}

// sortedKeys returns the suffixes of the form keys with a prefix, sorted.
func sortedKeys(f url.Values, prefix string) []string {
	var out []string
	for k := range f {
		if code, ok := strings.CutPrefix(k, prefix); ok {
			out = append(out, code)
		}
	}
	sort.Strings(out)
	return out
}
