package cycle

import (
	"fmt"
	"strings"
)

// TaskAppraiseRecognition is the council's appraisal of the follow-ups
// before the recognition decision (000 §II.4.b: "Hội đồng thẩm định căn cứ
// báo cáo của Ban Chỉ đạo 138 cấp huyện, tổ chức họp thẩm định, báo cáo
// Trưởng Ban Chỉ đạo 138 tỉnh ra quyết định công nhận địa bàn chuyển hóa
// đạt"): per commune, recognised or relapsed, with reasons.
const TaskAppraiseRecognition TaskKind = "appraise_recognition"

// RecognitionAppraisalDays is the council's time, from the last follow-up
// report of a year's batch, to appraise it.
const RecognitionAppraisalDays = 10

// MinReasonLength is the least number of characters of a written reason.
const MinReasonLength = 10

// appraisalOf names what a council appraises: its heading when refused,
// the problem for a commune outside it, and the reason given to a commune
// that sent no report.
type appraisalOf struct {
	heading, unknown, noReport string
	noReportWhy                Word
}

var (
	yearEndAppraisal = appraisalOf{heading: "year-end appraisal", unknown: "results.unknown", noReport: "không có báo cáo năm",
		noReportWhy: Word{VI: "quyết định kết quả của xã không gửi báo cáo năm", EN: "decides a commune that sent no yearly report"}}
	recognitionAppraisal = appraisalOf{heading: "recognition appraisal", unknown: "recognition.unknown", noReport: "không có báo cáo theo dõi sau 6 tháng",
		noReportWhy: Word{VI: "kết luận về xã không gửi báo cáo theo dõi", EN: "concludes on a commune that sent no follow-up report"}}
)

func init() {
	defineMessages(map[string]Text{
		"recognition.unknown": {VI: "Xã có mã %[1]s không thuộc danh sách xét công nhận chuyển hóa đạt của năm này", EN: "%[1]s is not considered for recognition this year"},
	})
}

// ApplyResultsAppraisal applies the council's year-end decisions to the
// verdicts of the yearly reports (pass: transformed this year).
func ApplyResultsAppraisal(verdicts []CommuneVerdict, a ResultsAppraisal) ([]CommuneResult, error) {
	return applyAppraisal(verdicts, a, yearEndAppraisal)
}

// ApplyRecognitionAppraisal applies the council's conclusions to the
// verdicts of the follow-up reports (000 §II.4.b, §II.5.b): pass means the
// commune still meets the criteria six months after the review and is
// proposed for recognition; fail means it has relapsed. The council may
// conclude against a report's verdict with a written reason.
func ApplyRecognitionAppraisal(verdicts []CommuneVerdict, a ResultsAppraisal) ([]CommuneResult, error) {
	return applyAppraisal(verdicts, a, recognitionAppraisal)
}

// applyAppraisal applies a council's decisions to the verdicts. It
// refuses — EINVALID, every problem listed — a decision on a commune not
// appraised, two decisions on one commune, an outcome other than pass or
// fail, an override (or a decision on a commune that sent no report)
// without a written reason, and a scored verdict (a plan without a pass
// mark) left without the council's decision.
func applyAppraisal(verdicts []CommuneVerdict, a ResultsAppraisal, of appraisalOf) ([]CommuneResult, error) {
	var probs []Problem
	idx := map[string]int{}
	for i, v := range verdicts {
		idx[v.Commune.Commune] = i
	}
	decided := map[string]ResultDecision{}
	for i, d := range a.Decisions {
		f := fmt.Sprintf("decisions[%d]", i)
		j, ok := idx[d.Commune]
		if !ok {
			probs = append(probs, withPlace(NewProblem(of.unknown, Quote(d.Commune)), f+".commune", ""))
			continue
		}
		if _, twice := decided[d.Commune]; twice {
			probs = append(probs, withPlace(NewProblem("results.twice", verdicts[j].Commune.Name+" ("+d.Commune+")"), f+".commune", ""))
			continue
		}
		if d.Outcome != OutcomePass && d.Outcome != OutcomeFail {
			probs = append(probs, withPlace(NewProblem("results.outcome", Quote(string(d.Outcome)), verdicts[j].Commune.Name+" ("+d.Commune+")"), f+".outcome", ""))
			continue
		}
		v := verdicts[j]
		if (d.Outcome != v.Verdict.Outcome || !v.Reported) && len([]rune(strings.TrimSpace(d.Reason))) < MinReasonLength {
			why := Word{VI: "quyết định khác kết quả đánh giá theo tiêu chí («" + outcomeVI(v.Verdict.Outcome) + "»)", EN: fmt.Sprintf("overrides the verdict %s", v.Verdict.Outcome)}
			if !v.Reported {
				why = of.noReportWhy
			}
			probs = append(probs, withPlace(NewProblem("results.reason", Word{VI: v.Commune.Name + " (" + d.Commune + ")", EN: d.Commune}, why, MinReasonLength), f+".reason", ""))
			continue
		}
		decided[d.Commune] = d
	}
	out := make([]CommuneResult, 0, len(verdicts))
	for _, v := range verdicts {
		r := CommuneResult{CommuneVerdict: v, Outcome: v.Verdict.Outcome}
		if d, ok := decided[v.Commune.Commune]; ok {
			r.Outcome, r.Reason = d.Outcome, strings.TrimSpace(d.Reason)
			r.Overridden = d.Outcome != v.Verdict.Outcome
		} else if v.Verdict.Outcome != OutcomePass && v.Verdict.Outcome != OutcomeFail {
			probs = append(probs, withPlace(NewProblem("results.undecided", v.Commune.Name, v.Commune.Commune, Word{VI: vietnameseOr(v.Verdict.Text, v.Verdict.Summary), EN: v.Verdict.Summary}), "decisions", ""))
		}
		if !v.Reported && r.Reason == "" {
			r.Reason = of.noReport
		}
		out = append(out, r)
	}
	if err := Invalid(of.heading, probs); err != nil {
		return nil, err
	}
	return out, nil
}

// SummaryKPI is the indicators a year's summary prints: the first target
// on the year's communes (ComputeKPI), the second (000 §I.3: "ít nhất 85%
// các địa bàn đã chuyển hóa không phức tạp trở lại") on every commune the
// province transformed up to that year whose following has given a
// result — at its six-month follow-up, or while followed after its
// recognition (Process.FollowedYears).
func SummaryKPI(pol Policy, province string, year int, rows []OutcomeRow) KPI {
	k := ComputeKPI(pol, province, year, rows)
	k.FollowedUp, k.Relapsed = 0, 0
	for _, r := range rows {
		if r.Year <= year && r.Outcome == OutcomePass {
			k.countFollowUp(r.FollowUp)
		}
	}
	return k
}
