package api

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/awards"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/selection"
	"chuyenhoa/workflows/transformation"
)

// What each kind of task's form shows, read from its workflow's state and
// the store; the API's task detail carries it as Data, the web page lays
// it out around the form's fields.
var formData = map[string]func(ctx context.Context, s *deps, t cycle.Task, p *principal) (any, error){
	"proposal":              proposalData,
	"consolidate":           consolidateData,
	"appraise":              listData,
	"sign":                  listData,
	"issue":                 listData,
	"report":                reportData,
	"failure-review":        reviewData,
	"responsibility-review": reviewData,
	"appraise-results":      resultsData,
	"appraise-recognition":  recognitionData,
	"nominate":              nominateData,
	"award-review":          awardReviewData,
}

// ProposalData is a unit's proposal form: its communes, with the figures
// of its current revision.
type ProposalData struct {
	Unit, UnitName string
	Province       string
	Year           int
	Revision       int // the unit's current revision (0: none yet)
	Communes       []proposalRow
}

func proposalData(ctx context.Context, s *deps, t cycle.Task, p *principal) (any, error) {
	a := addressOfTask(t)
	d := &ProposalData{Unit: t.District, Province: a.Province, Year: a.Year}
	prov, _, err := s.cfg.Store.Province(ctx, a.Province)
	if err != nil {
		return nil, err
	}
	d.UnitName = prov.UnitName(t.District)
	revs, err := s.cfg.Store.Proposals(ctx, t.CycleID)
	if err != nil {
		return nil, err
	}
	var current *cycle.Proposal
	for i := range revs {
		if revs[i].Unit == t.District && revs[i].Current {
			current, d.Revision = &revs[i].Proposal, revs[i].Revision
		}
	}
	d.Communes = proposalRows(prov, t.District, current)
	return d, nil
}

// proposalRows are a unit's communes with the figures of a proposal.
func proposalRows(prov cycle.Province, unit string, current *cycle.Proposal) []proposalRow {
	figs := map[string]cycle.Figures{}
	proposed := map[string]cycle.ProposedCommune{}
	if current != nil {
		for _, st := range current.Statistics {
			figs[st.Commune] = st.Figures
		}
		for _, pc := range current.Proposed {
			proposed[pc.Commune] = pc
		}
	}
	var out []proposalRow
	for _, c := range unitCommunes(prov, unit) {
		fg := figs[c.Code]
		row := proposalRow{Code: c.Code, Name: c.Name, SOC: strconv.Itoa(fg.SocialOrderCrimes), Economic: strconv.Itoa(fg.EconomicCases),
			Environment: strconv.Itoa(fg.EnvironmentCases), Drug: strconv.Itoa(fg.DrugCases)}
		if pc, ok := proposed[c.Code]; ok {
			row.Proposed, row.Types, row.Reason = true, strings.ReplaceAll(pc.Types.String(), ", ", ";"), pc.Reason
		}
		out = append(out, row)
	}
	return out
}

// Candidate is a proposed commune on the consolidation form.
type Candidate struct {
	Code, Name, District string
	Types                cycle.Types
	Crimes               int
	Eligible, Selected   bool
	Rank                 int
	Failed               []string // the rules it fails, with the figures
}

func consolidateData(ctx context.Context, s *deps, t cycle.Task, p *principal) (any, error) {
	sel, err := selection.Client{T: s.cfg.Temporal}.Selection(ctx, t.CycleID)
	if err != nil {
		return nil, err
	}
	var out []Candidate
	for _, c := range sel.Candidates {
		row := Candidate{Code: c.Commune, Name: c.Name, District: c.DistrictName, Types: c.Types, Crimes: c.Figures.SocialOrderCrimes,
			Eligible: c.Eligible, Selected: c.Selected, Rank: c.Rank}
		for _, ch := range c.FailedChecks() {
			row.Failed = append(row.Failed, vietnamese(ch.Text, ch.Detail))
		}
		out = append(out, row)
	}
	return out, nil
}

// ListData is what a council, a signer or a clerk decides on: a list of
// communes (or of awardees), and the documents that come of it.
type ListData struct {
	What      string // what is decided, for people
	Rows      []ListRow
	Documents []string // the documents the clerk's issue makes
	DraftURL  string   // the draft PDF, for the signer of the approval decision
	// SigningURL is the signing page, when the head signs with their own
	// certificate (signing_page.go).
	SigningURL string
	// Note says what the head's signature does besides signing, when it
	// does more (signingNote: the review report is issued by it).
	Note string
	// Unresolved are the recipients the document names that the delivery
	// directory cannot reach, said for the clerk before the issue.
	Unresolved []string
}

// ListRow is one line of a ListData.
type ListRow struct {
	Rank                 int
	Code, Name, District string
	Types                cycle.Types
	Note                 string
}

func listData(ctx context.Context, s *deps, t cycle.Task, p *principal) (any, error) {
	a := addressOfTask(t)
	if a.Scope == "awards" {
		st, err := awards.Client{T: s.cfg.Temporal}.State(ctx, t.CycleID)
		if err != nil {
			return nil, err
		}
		d := &ListData{What: fmt.Sprintf("Quyết định khen thưởng năm %d", a.Year), Documents: []string{"Quyết định khen thưởng"}}
		for i, n := range st.Accepted {
			d.Rows = append(d.Rows, ListRow{Rank: i + 1, Code: n.ID, Name: n.Name, District: n.Position, Note: nomineeLabel(n.Kind)})
		}
		d.Unresolved = says(st.Unresolved)
		if t.Kind == cycle.TaskAwardSign && st.HeadSignature != nil && st.HeadSigned == nil {
			d.SigningURL = "/signing/" + a.Path()
		}
		return d, nil
	}
	st, err := selection.Client{T: s.cfg.Temporal}.State(ctx, t.CycleID)
	if err != nil {
		return nil, err
	}
	rows := func(ls []cycle.ListedCommune) []ListRow {
		var out []ListRow
		for i, l := range ls {
			note := ""
			if l.Extension {
				note = "Tiếp tục năm thứ hai"
			}
			out = append(out, ListRow{Rank: i + 1, Code: l.Commune, Name: l.Name, District: l.DistrictName, Types: l.Types, Note: note})
		}
		return out
	}
	switch t.Kind {
	case cycle.TaskAppraise:
		return &ListData{What: fmt.Sprintf("Dự thảo danh sách địa bàn chuyển hóa năm %d", a.Year), Rows: rows(st.Draft)}, nil
	case cycle.TaskSign, cycle.TaskIssue:
		d := &ListData{What: fmt.Sprintf("Quyết định phê duyệt danh sách địa bàn chuyển hóa năm %d", a.Year), Rows: rows(st.List),
			Documents: []string{"Quyết định phê duyệt danh sách địa bàn chuyển hóa"}}
		if st.DraftSHA256 != "" {
			d.DraftURL = fmt.Sprintf("/cycles/%s/%d/draft.pdf", a.Province, a.Year)
		}
		d.Unresolved = says(st.Unresolved)
		if t.Kind == cycle.TaskSign && st.HeadSignature != nil && st.HeadSigned == nil {
			d.SigningURL = "/signing/" + a.Path()
		}
		return d, nil
	}
	y, _ := (&taskCall{task: t}).year()
	tx := st.Transformation
	if tx == nil {
		return &ListData{}, nil
	}
	switch t.Kind {
	case cycle.TaskSignResults, cycle.TaskIssueResults:
		d := &ListData{What: fmt.Sprintf("Kết quả chuyển hóa năm %d (kết luận của Hội đồng thẩm định)", y)}
		cont, resp := false, false
		for _, py := range tx.Years {
			if py.Year != y {
				continue
			}
			for i, r := range py.Results {
				note := outcomeWord(r.Outcome)
				if r.Overridden {
					note += " — Hội đồng: " + r.Reason
				}
				if r.Outcome != cycle.OutcomePass {
					if py.YearNo[r.Commune.Commune] < 2 {
						cont = true
					} else {
						resp = true
					}
				}
				d.Rows = append(d.Rows, ListRow{Rank: i + 1, Code: r.Commune.Commune, Name: r.Commune.Name, District: r.Commune.DistrictName, Types: r.Commune.Types, Note: note})
			}
		}
		if cont {
			d.Documents = append(d.Documents, cycle.DocumentTitle(cycle.DocContinuation))
		}
		if resp {
			d.Documents = append(d.Documents, cycle.DocumentTitle(cycle.DocResponsibility))
		}
		d.Documents = append(d.Documents, cycle.DocumentTitle(cycle.DocSummary))
		for _, py := range tx.Years {
			if py.Year == y {
				d.Unresolved = says(py.Unresolved)
				if t.Kind == cycle.TaskSignResults && len(py.Head) > 0 && py.HeadSigned == nil {
					d.SigningURL = "/signing/" + addressOfTask(t).Path()
				}
			}
		}
		return d, nil
	case cycle.TaskSignRecognition, cycle.TaskIssueRecognition:
		d := &ListData{What: fmt.Sprintf("Quyết định công nhận địa bàn chuyển hóa đạt năm %d", y), Documents: []string{"Quyết định công nhận địa bàn chuyển hóa đạt"}}
		for _, b := range tx.Batches {
			if b.Year != y {
				continue
			}
			if b.Results != nil { // the council's proposals (000 §II.4.b)
				for _, r := range b.Results {
					if r.Outcome == cycle.OutcomePass {
						note := "Hội đồng thẩm định đề nghị công nhận"
						if r.Overridden {
							note += " — " + r.Reason
						}
						d.Rows = append(d.Rows, ListRow{Rank: len(d.Rows) + 1, Code: r.Commune.Commune, Name: r.Commune.Name, District: r.Commune.DistrictName, Types: r.Commune.Types, Note: note})
					}
				}
			} else {
				for i, code := range b.Communes {
					v, ok := b.Verdicts[code]
					if !ok || v.Verdict.Outcome == cycle.OutcomeFail {
						continue
					}
					d.Rows = append(d.Rows, ListRow{Rank: i + 1, Code: code, Name: v.Commune.Name, District: v.Commune.DistrictName, Types: v.Commune.Types, Note: "Giữ vững kết quả sau 6 tháng theo dõi"})
				}
			}
			d.Unresolved = says(b.Unresolved)
			if t.Kind == cycle.TaskSignRecognition && b.Head != nil && b.HeadSigned == nil {
				d.SigningURL = "/signing/" + addressOfTask(t).Path()
			}
		}
		return d, nil
	case cycle.TaskSignReview:
		return reviewSignData(tx, t, y), nil
	}
	return &ListData{}, nil
}

func outcomeWord(o cycle.Outcome) string {
	switch o {
	case cycle.OutcomePass:
		return "Đạt"
	case cycle.OutcomeFail:
		return "Không đạt"
	}
	return "Hội đồng quyết định"
}

func nomineeLabel(k cycle.NomineeKind) string {
	if k == cycle.NomineeCollective {
		return "Tập thể"
	}
	return "Cá nhân"
}

// ReportData is a commune's report form: the figures its criteria need
// under the cycle's policy, for the period and its baseline.
type ReportData struct {
	Commune  string // "Phường Lê Hồng Phong (21010)"
	Types    string
	Kind     string // the report's name: "báo cáo 6 tháng"
	Period   string
	Baseline string
	// BaselineSum says what the baseline figures of a commune formed on
	// 1 July 2025 are the sum of, when the baseline period began before
	// (transformation.BaselineFromPredecessors); empty otherwise.
	BaselineSum string
	Figures     []FigureField
	Base        []FigureField
	NeedsArea   bool
	AreaName    string
	// Area is the average the commune is compared with, as the product
	// computes it from the proposals' figures (transformation.ComputeArea);
	// empty when the store holds none, and the unit types it.
	Area   string
	Policy string
}

// FigureField is one figure of the report form.
type FigureField struct {
	Name  string // the figure's key ("tips_received")
	Label string // its name for officers
	YesNo bool   // a yes/no figure
}

func reportData(ctx context.Context, s *deps, t cycle.Task, p *principal) (any, error) {
	st, err := transformation.Client{T: s.cfg.Temporal}.Commune(ctx, t.WorkflowID)
	if err != nil {
		return nil, err
	}
	info, _, err := s.cfg.Store.Cycle(ctx, t.CycleID)
	if err != nil {
		return nil, err
	}
	c := st.Commune
	d := &ReportData{Commune: c.Name + " (" + c.Commune + ")", Types: c.Types.String(), Kind: reportKindOf(t.Kind).Vietnamese(), Policy: info.Policy.Name,
		AreaName: c.DistrictName}
	for _, rs := range st.Reports {
		if rs.Kind == reportKindOf(t.Kind) && !rs.Submitted {
			d.Period = rs.Period.Vietnamese()
		}
	}
	first := c.FirstYear
	if first == 0 {
		first = c.Year
	}
	bp := info.Policy.BaselinePeriod(reportKindOf(t.Kind), first)
	d.Baseline = bp.Vietnamese()
	if prov, _, err := s.cfg.Store.Province(ctx, info.Province); err == nil {
		if d.BaselineSum, err = transformation.BaselineFromPredecessors(prov, c.Commune, bp); err != nil {
			return nil, err
		}
	}
	figs, base, area := cycle.ReportNeeds(info.Policy, c.Types, c.Kind)
	for _, n := range figs {
		d.Figures = append(d.Figures, FigureField{Name: n, Label: cycle.FigureLabel(cycle.Vietnamese, n), YesNo: cycle.IsYesNoFigure(n)})
	}
	for _, n := range base {
		d.Base = append(d.Base, FigureField{Name: n, Label: cycle.FigureLabel(cycle.Vietnamese, n), YesNo: cycle.IsYesNoFigure(n)})
	}
	d.NeedsArea = area
	if area {
		var period cycle.Span
		for _, rs := range st.Reports {
			if rs.Kind == reportKindOf(t.Kind) && !rs.Submitted {
				period = rs.Period
			}
		}
		if a, err := transformation.ComputeArea(ctx, s.cfg.Store, info.Policy, t.CycleID, c.Commune, period); err != nil {
			return nil, err
		} else if a != nil {
			d.Area = a.Vietnamese()
			d.NeedsArea = false // computed: nothing to type
		}
	}
	return d, nil
}

// ReviewData is a failure or responsibility review's form: the commune and
// what it failed.
type ReviewData struct {
	Commune string
	Years   string
	History []string // each year's outcome, for people
}

func reviewData(ctx context.Context, s *deps, t cycle.Task, p *principal) (any, error) {
	st, err := transformation.Client{T: s.cfg.Temporal}.Commune(ctx, t.WorkflowID)
	if err != nil {
		return nil, err
	}
	d := &ReviewData{Commune: st.Commune.Name + " (" + st.Commune.Commune + ")"}
	// The year's verdict said in Vietnamese, from the cohort's appraisal
	// (the commune's own record keeps only the English summary, for logs).
	said := map[int]string{}
	if cs, err := (selection.Client{T: s.cfg.Temporal}).State(ctx, t.CycleID); err == nil && cs.Transformation != nil {
		for _, py := range cs.Transformation.Years {
			if v, ok := py.Verdicts[st.Commune.Commune]; ok {
				said[py.Year] = v.Verdict.Text
			}
		}
	}
	for _, h := range st.History {
		line := fmt.Sprintf("Năm %d: %s", h.Year, outcomeWord(h.Outcome))
		if v := said[h.Year]; v != "" {
			line += " — " + v
		}
		d.History = append(d.History, line)
	}
	return d, nil
}

// ResultsData is the council's year-end appraisal form: each commune's
// verdict on its yearly report, with what it failed.
type ResultsData struct {
	Year int
	Rows []ResultRow
	// Recognition: the rows are the follow-ups of the communes that
	// passed Year, appraised before recognition (000 §II.4.b).
	Recognition bool `json:",omitempty"`
}

// ResultRow is one commune of the year-end appraisal.
type ResultRow struct {
	Code, Name, District string
	YearNo               int
	Reported, Late       bool
	Outcome              string
	Summary              string
	Failed               []string
	// Proposed: the commune's unit proposed it for recognition (a plan
	// step, 004 §IV.2).
	Proposed bool `json:",omitempty"`
}

func resultsData(ctx context.Context, s *deps, t cycle.Task, p *principal) (any, error) {
	st, err := selection.Client{T: s.cfg.Temporal}.State(ctx, t.CycleID)
	if err != nil {
		return nil, err
	}
	y, _ := (&taskCall{task: t}).year()
	d := &ResultsData{Year: y}
	if st.Transformation == nil {
		return d, nil
	}
	names := map[string]transformation.CohortCommune{}
	for _, c := range st.Transformation.Communes {
		names[c.Commune] = c
	}
	proposed := map[string]bool{}
	for _, ps := range st.Transformation.Plan {
		if ps.Year == y && ps.Report != nil {
			for _, code := range ps.Report.Communes {
				proposed[code] = true
			}
		}
	}
	for _, py := range st.Transformation.Years {
		if py.Year != y {
			continue
		}
		for _, code := range py.Communes {
			c := names[code]
			c.Commune = code
			v, ok := py.Verdicts[code]
			row := resultRow(c, py.YearNo[code], v, ok, "Chưa có báo cáo năm")
			row.Proposed = proposed[code]
			d.Rows = append(d.Rows, row)
		}
	}
	return d, nil
}

// recognitionData is the council's appraisal of a year's follow-ups: each
// commune that passed the year, its follow-up report's verdict.
func recognitionData(ctx context.Context, s *deps, t cycle.Task, p *principal) (any, error) {
	st, err := selection.Client{T: s.cfg.Temporal}.State(ctx, t.CycleID)
	if err != nil {
		return nil, err
	}
	y, _ := (&taskCall{task: t}).year()
	d := &ResultsData{Year: y, Recognition: true}
	if st.Transformation == nil {
		return d, nil
	}
	names := map[string]transformation.CohortCommune{}
	for _, c := range st.Transformation.Communes {
		names[c.Commune] = c
	}
	for _, b := range st.Transformation.Batches {
		if b.Year != y {
			continue
		}
		for _, code := range b.Communes {
			c := names[code]
			v, ok := b.Verdicts[code]
			d.Rows = append(d.Rows, resultRow(c, c.YearNo, v, ok, "Chưa có báo cáo theo dõi"))
		}
	}
	return d, nil
}

// resultRow is a commune's row in a council's appraisal: its report's
// verdict, or none.
func resultRow(c transformation.CohortCommune, yearNo int, v cycle.CommuneVerdict, reported bool, none string) ResultRow {
	row := ResultRow{Code: c.Commune, Name: c.Name, District: c.DistrictName, YearNo: yearNo, Outcome: outcomeWord(cycle.OutcomeFail), Summary: none}
	if !reported {
		return row
	}
	row.Reported, row.Late, row.Outcome, row.Summary = v.Reported, v.Late, outcomeWord(v.Verdict.Outcome), vietnamese(v.Verdict.Text, v.Verdict.Summary)
	for _, f := range v.Verdict.Failed() {
		row.Failed = append(row.Failed, f.Name+": "+vietnamese(f.Text, f.Detail))
	}
	return row
}

// NominateData is a unit's nomination form: the scheme's rules and the
// unit's current nominations.
type NominateData struct {
	Form        string
	Quotas      string
	Dossier     []string
	Current     []cycle.Nomination
	PerArea     bool
	EmptyRows   []int
	Nominations int // in the whole province so far
}

func nominateData(ctx context.Context, s *deps, t cycle.Task, p *principal) (any, error) {
	st, err := awards.Client{T: s.cfg.Temporal}.State(ctx, t.CycleID)
	if err != nil {
		return nil, err
	}
	info, _, err := s.cfg.Store.Cycle(ctx, t.CycleID)
	if err != nil {
		return nil, err
	}
	d := &NominateData{Nominations: len(st.Nominations)}
	if sc := info.Policy.Awards; sc != nil {
		d.Form, d.PerArea = sc.Form, sc.PerArea > 0
		var q []string
		if sc.Collectives > 0 {
			q = append(q, fmt.Sprintf("tối đa %d tập thể", sc.Collectives))
		}
		if sc.Individuals > 0 {
			q = append(q, fmt.Sprintf("tối đa %d cá nhân", sc.Individuals))
		}
		if sc.LeadersMaxPercent > 0 {
			q = append(q, fmt.Sprintf("cán bộ lãnh đạo không quá %d%% số cá nhân", sc.LeadersMaxPercent))
		}
		if sc.PerArea > 0 {
			q = append(q, fmt.Sprintf("%d tập thể hoặc cá nhân cho mỗi địa bàn chuyển hóa", sc.PerArea))
		}
		d.Quotas = strings.Join(q, "; ")
		for _, part := range sc.Dossier {
			d.Dossier = append(d.Dossier, part.ID+": "+part.Name)
		}
	}
	for _, n := range st.Nominations {
		if n.Unit == t.District {
			d.Current = append(d.Current, n)
		}
	}
	for i := len(d.Current); i < len(d.Current)+3; i++ {
		d.EmptyRows = append(d.EmptyRows, i)
	}
	return d, nil
}

func awardReviewData(ctx context.Context, s *deps, t cycle.Task, p *principal) (any, error) {
	st, err := flow.Query[awards.AwardRoundState](ctx, s.cfg.Temporal, t.CycleID, awards.QueryAwardRound)
	if err != nil {
		return nil, err
	}
	return st.Nominations, nil
}

// vietnamese is a text for officers: the Vietnamese one, or else what
// there is (data recorded before the Vietnamese texts existed).
func vietnamese(text, fallback string) string {
	if text != "" {
		return text
	}
	return fallback
}

// says is how the clerk reads each unreachable recipient.
func says(us []cycle.Unresolved) []string {
	var out []string
	for _, u := range us {
		out = append(out, u.Say())
	}
	return out
}

// reviewSignData is the head's sign task of the provincial review report
// (báo cáo sơ kết, 001 §III.2) of year y: the communes of the year as
// the cohort knows them when the report was compiled, the report, and
// what the signature does (it issues the report).
func reviewSignData(tx *transformation.CohortState, t cycle.Task, y int) *ListData {
	d := &ListData{What: fmt.Sprintf("Báo cáo sơ kết công tác chuyển hóa năm %d", y), Documents: []string{cycle.DocumentTitle(cycle.DocReview)}, Note: signingNote(t.Kind)}
	p := tx.ReviewStep(y)
	if p == nil {
		return d
	}
	if p.Report != nil && !p.Report.Held.IsZero() {
		d.What += fmt.Sprintf(" (kết luận Hội nghị sơ kết cấp tỉnh ngày %s)", p.Report.Held.Vietnamese())
	}
	if p.Head != nil {
		d.Documents = []string{fmt.Sprintf("%s số %s", cycle.DocumentTitle(cycle.DocReview), p.Head.Code)}
	}
	names := map[string]transformation.CohortCommune{}
	for _, c := range tx.Communes {
		names[c.Commune] = c
	}
	for _, py := range tx.Years {
		if py.Year != y {
			continue
		}
		results := map[string]cycle.CommuneResult{}
		for _, r := range py.Results {
			results[r.Commune.Commune] = r
		}
		for i, code := range py.Communes {
			c := names[code]
			note := "Chưa gửi báo cáo sơ kết"
			if r, ok := results[code]; ok {
				note = outcomeWord(r.Outcome) + " (Hội đồng thẩm định)"
			} else if v, ok := py.Verdicts[code]; ok && v.Reported {
				note = outcomeWord(v.Verdict.Outcome) + " (theo báo cáo của đơn vị)"
			}
			d.Rows = append(d.Rows, ListRow{Rank: i + 1, Code: code, Name: c.Name, District: c.UnitName, Types: c.Types, Note: note})
		}
	}
	if t.Kind == cycle.TaskSignReview && p.Head != nil && p.HeadSigned == nil {
		d.SigningURL = "/signing/" + addressOfTask(t).Path()
	}
	return d
}
