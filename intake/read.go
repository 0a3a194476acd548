package intake

import (
	"errors"

	"chuyenhoa/cycle"
)

// ReadProposal reads a unit's proposal from any of its forms — a table
// (CSV or an Excel workbook, see cycle.ReadProposalTable) or JSON in the
// shape of cycle.Proposal — after checking the file's size. A file that
// names no unit is the unit's; one that names another unit is refused
// (the API looks at the JSON's unit first, to answer 403). The origins
// map the proposal's paths to the file's places, so that the problems the
// rules find later (the workflow, the checker) point into the file:
// Origins.Locate.
func ReadProposal(f File, unit string) (cycle.Proposal, cycle.Origins, error) {
	if err := CheckSize(f.Name, int64(len(f.Data)), MaxProposalBytes); err != nil {
		return cycle.Proposal{}, nil, err
	}
	format, err := f.FormatOf()
	if err != nil {
		return cycle.Proposal{}, nil, err
	}
	if format == JSON {
		var p cycle.Proposal
		doc, err := DecodeJSON(f, &p)
		if err != nil {
			return cycle.Proposal{}, nil, err
		}
		p, err = cycle.ProposalOfUnit(p, unit)
		return p, doc.Origins(), err
	}
	t, err := ReadTable(f)
	if err != nil {
		return cycle.Proposal{}, nil, err
	}
	p, origins, err := cycle.ReadProposalTable(t, unit)
	return p, origins, f.titled(err)
}

// ReadCheckInput reads the offline checker's JSON file (cycle.CheckInput)
// and checks it (cycle.PrepareCheckInput): every problem with its line
// and path, the commune's name and code.
func ReadCheckInput(f File) (cycle.CheckInput, *JSONDoc, error) {
	if err := CheckSize(f.Name, int64(len(f.Data)), MaxCheckInputBytes); err != nil {
		return cycle.CheckInput{}, nil, err
	}
	var in cycle.CheckInput
	doc, err := DecodeJSON(f, &in)
	if err != nil {
		return cycle.CheckInput{}, nil, err
	}
	in, err = cycle.PrepareCheckInput(in)
	if err != nil {
		return cycle.CheckInput{}, doc, f.located(doc.Origins(), err)
	}
	return in, doc, nil
}

// ReadReport reads a commune's transformation report (JSON in the shape of
// cycle.TransformationReport) and checks its figures (no negative count,
// no part above its whole); what the policy's criteria need is checked by
// cycle.ValidateReport, whose problems the origins locate.
func ReadReport(f File) (cycle.TransformationReport, cycle.Origins, error) {
	if err := CheckSize(f.Name, int64(len(f.Data)), MaxReportBytes); err != nil {
		return cycle.TransformationReport{}, nil, err
	}
	var rep cycle.TransformationReport
	doc, err := DecodeJSON(f, &rep)
	if err != nil {
		return cycle.TransformationReport{}, nil, err
	}
	rep.Note = cycle.Clean(rep.Note)
	probs := append(rep.Figures.Validate("figures"), rep.Baseline.Validate("baseline")...)
	if len(probs) > 0 {
		e := cycle.Fail(cycle.EINVALID, "report.invalid")
		e.Problems = probs
		return cycle.TransformationReport{}, nil, f.located(doc.Origins(), e)
	}
	return rep, doc.Origins(), nil
}

// located gives a refusal's problems their places in the file and the
// file's name, bounded.
func (f File) located(o cycle.Origins, err error) error {
	var ce *cycle.Error
	if !errors.As(err, &ce) {
		return err
	}
	out := *ce
	out.Problems = append([]cycle.Problem(nil), ce.Problems...)
	o.Locate(out.Problems)
	out.Problems = cycle.Bound(out.Problems, cycle.MaxProblems)
	return f.titled(&out)
}

// titled puts the file's name in a refusal's message.
func (f File) titled(err error) error {
	var ce *cycle.Error
	if !errors.As(err, &ce) || f.Name == "" {
		return err
	}
	out := *ce
	out.Message = cycle.Say(cycle.English, "json.refused", fileName(f.Name), ce.Message)
	out.Text = cycle.Say(cycle.Vietnamese, "json.refused", fileName(f.Name), ce.In(cycle.Vietnamese))
	return &out
}
