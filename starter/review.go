package main

import (
	"strconv"
	"strings"

	"chuyenhoa/cycle"
)

// A commune's failure review (kiểm điểm) and responsibility review.

// reviewRequest builds the review the flags give: a failure review
// (causes, remedies) or a responsibility review (responsible, emulation).
func reviewRequest(causes, remedies, responsible []string, emulation string) (*cycle.FailureReview, *cycle.ResponsibilityReview, error) {
	failure := len(causes) > 0 || len(remedies) > 0
	resp := len(responsible) > 0 || strings.TrimSpace(emulation) != ""
	switch {
	case failure && resp:
		return nil, nil, cycle.Errorf(cycle.EINVALID, "give either --causes and --remedies (a failure review, kiểm điểm) or --responsible and --emulation (a responsibility review), not both")
	case failure:
		f := &cycle.FailureReview{}
		for _, s := range causes {
			f.Causes = append(f.Causes, cycle.Clean(s))
		}
		for _, s := range remedies {
			f.Remedies = append(f.Remedies, cycle.Clean(s))
		}
		return f, nil, nil
	case resp:
		units, err := parseResponsible(responsible)
		if err != nil {
			return nil, nil, err
		}
		return nil, &cycle.ResponsibilityReview{Responsible: units, Emulation: cycle.Clean(emulation)}, nil
	}
	return nil, nil, cycle.Errorf(cycle.EINVALID, "no review given: --causes and --remedies (a failure review, kiểm điểm) or --responsible and --emulation (a responsibility review)")
}

// parseResponsible parses --responsible "unit|person|position|conclusion".
func parseResponsible(flags []string) ([]cycle.Responsible, error) {
	var out []cycle.Responsible
	var probs []cycle.Problem
	for _, f := range flags {
		field := "--responsible " + strconv.Quote(f)
		parts := strings.Split(f, "|")
		if len(parts) != 4 {
			probs = append(probs, flagProblem(field, "flag.responsible", cycle.Text{VI: "Có %d phần: cần đúng 4 phần «đơn vị|người|chức vụ|kết luận», ngăn cách bởi dấu | (người và chức vụ có thể để trống: «Công an xã Nghĩa Sơn|||kiểm điểm rút kinh nghiệm»)", EN: `%d part(s): want "unit|person|position|conclusion", 4 parts separated by | (person and position may be empty: "Công an xã Nghĩa Sơn|||kiểm điểm rút kinh nghiệm")`}, len(parts)))
			continue
		}
		r := cycle.Responsible{Unit: cycle.Clean(parts[0]), Person: cycle.Clean(parts[1]), Position: cycle.Clean(parts[2]), Conclusion: cycle.Clean(parts[3])}
		if r.Unit == "" {
			probs = append(probs, flagProblem(field, "flag.responsible", cycle.Text{VI: "Chưa ghi đơn vị (phần thứ nhất)", EN: "the unit (the first part) is required"}))
		}
		if r.Conclusion == "" {
			probs = append(probs, flagProblem(field, "flag.responsible", cycle.Text{VI: "Chưa ghi kết luận (phần cuối), ví dụ «kiểm điểm rút kinh nghiệm»", EN: "the conclusion (the last part) is required, e.g. \"kiểm điểm rút kinh nghiệm\""}))
		}
		out = append(out, r)
	}
	if err := cycle.Invalid("bad --responsible", probs); err != nil {
		return nil, err
	}
	return out, nil
}

// flagProblem is a problem of a command-line flag, said in both languages.
func flagProblem(field, rule string, t cycle.Text, args ...any) cycle.Problem {
	p := cycle.Bilingual(rule, t, args...)
	p.Field = field
	return p
}
