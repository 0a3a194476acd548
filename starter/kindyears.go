package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"chuyenhoa/api"
	"chuyenhoa/cycle"
)

// ---- the transformation years --------------------------------------------------

var reportKinds = []cycle.TaskKind{cycle.TaskHalfYearReport, cycle.TaskYearlyReport, cycle.TaskFollowUpReport}

// reportFlags build a report from flags or a file.
type reportFlags struct {
	taskFlags
	file, note, kind, commune string
	figures, baseline         []string
	areaCrimes, areaCommunes  int
}

func (r *reportFlags) add(cmd *cobra.Command) {
	r.taskFlags.add(cmd)
	cmd.Flags().StringVarP(&r.file, "file", "f", "", "the report as JSON (cycle.TransformationReport; `starter report template ADDRESS` prints one)")
	cmd.Flags().StringArrayVar(&r.figures, "figure", nil, "a figure of the period: NAME=VALUE (a number; yes/no figures: có/không, yes/no, 1/0) (repeatable)")
	cmd.Flags().StringArrayVar(&r.baseline, "baseline", nil, "a figure of the baseline period: NAME=VALUE (repeatable)")
	cmd.Flags().IntVar(&r.areaCrimes, "area-crimes", -1, "optional: the area's crimes against social order, only where the product holds no proposals' figures to compute its average (a typed average that differs from the computed one is refused)")
	cmd.Flags().IntVar(&r.areaCommunes, "area-communes", -1, "optional: the area's number of communes, for that average")
	cmd.Flags().StringVar(&r.note, "note", "", "a note for the record")
	cmd.Flags().StringVar(&r.kind, "kind", "", "when the address is left out: half_year_report, yearly_report or follow_up_report")
	cmd.Flags().StringVar(&r.commune, "commune", "", "when the address is left out: the commune's code")
}

// report builds the report: the file's, then each flag's figure.
func (x *kindCommands) buildReport(r reportFlags, areaName string) (cycle.TransformationReport, error) {
	var rep cycle.TransformationReport
	if r.file != "" {
		var err error
		if rep, err = readReportFile(r.file); err != nil {
			return rep, err
		}
	}
	var probs []cycle.Problem
	set := func(flag string, into *cycle.ReportFigures, vals []string) {
		for _, v := range vals {
			name, val, ok := strings.Cut(v, "=")
			name = strings.TrimSpace(name)
			n, err := figureValue(val)
			if !ok || err != nil {
				probs = append(probs, cycle.NewProblem("cli.figure_value", flag, v))
				continue
			}
			if err := into.Set(name, n); err != nil {
				probs = append(probs, cycle.NewProblem("cli.figure_name", flag, name))
			}
		}
	}
	set("--figure", &rep.Figures, r.figures)
	set("--baseline", &rep.Baseline, r.baseline)
	if r.areaCrimes >= 0 || r.areaCommunes >= 0 {
		rep.Area = &cycle.AreaAverage{Name: areaName, Crimes: max(r.areaCrimes, 0), Communes: max(r.areaCommunes, 0)}
	}
	if r.note != "" {
		rep.Note = cycle.Clean(r.note)
	}
	if len(probs) > 0 {
		return rep, &cycle.Error{Code: eUsage, Message: cycle.Say(cycle.English, "cli.bad_figures"), Text: cycle.Say(cycle.Vietnamese, "cli.bad_figures"), Problems: probs}
	}
	return rep, nil
}

// figureValue reads a figure's value: a whole number ≥ 0, or yes/no.
func figureValue(s string) (int, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "có", "co", "yes", "true", "x":
		return 1, nil
	case "không", "khong", "no", "false":
		return 0, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 0 {
		return 0, fmt.Errorf("not a figure")
	}
	return n, nil
}

// reportTask finds a report task and its form's data.
func (x *kindCommands) reportTask(ctx context.Context, cmd *cobra.Command, args []string, r reportFlags) (string, *api.ReportData, error) {
	kinds := reportKinds
	if r.kind != "" {
		kinds = []cycle.TaskKind{cycle.TaskKind(r.kind)}
	}
	match := func(t api.TaskView) bool {
		return r.commune == "" || strings.Contains("/"+t.ID+"/", "/"+r.commune+"/")
	}
	addr, err := x.resolve(ctx, cmd, args, r.taskFlags, match, kinds...)
	if err != nil {
		return "", nil, err
	}
	_, raw, err := x.detail(ctx, addr)
	if err != nil {
		return "", nil, err
	}
	var env struct {
		Data api.ReportData `json:"data"`
	}
	_ = json.Unmarshal(raw, &env)
	return addr, &env.Data, nil
}

func (x *kindCommands) reportCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "report", Short: "Báo cáo 6 tháng, báo cáo năm, báo cáo theo dõi của một xã: gửi, xem trước, mẫu"}
	var r reportFlags
	submit := &cobra.Command{
		Use:   "submit [ADDRESS] --figure TÊN=SỐ … --baseline TÊN=SỐ … | --file report.json",
		Short: "Gửi báo cáo của xã (đơn vị cấp huyện): số liệu kỳ báo cáo và kỳ so sánh",
		Long: `Gửi báo cáo kết quả chuyển hóa của một xã. starter task show ĐỊA-CHỈ liệt kê đúng
các số liệu mà tiêu chí của xã cần theo kế hoạch của chu kỳ (tên, nội dung, kỳ báo
cáo và kỳ so sánh); nhập từng số liệu với --figure TÊN=SỐ và --baseline TÊN=SỐ
(số liệu có/không: có hoặc không), hoặc cả báo cáo trong tệp JSON (--file; mẫu:
starter report template ĐỊA-CHỈ). starter report preview cho biết kết luận từng tiêu
chí trước khi gửi. Thiếu số liệu, cả báo cáo bị từ chối với mọi lỗi được liệt kê.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			addr, d, err := x.reportTask(cmd.Context(), cmd, args, r)
			if err != nil {
				return err
			}
			rep, err := x.buildReport(r, d.AreaName)
			if err != nil {
				return err
			}
			return x.complete(cmd.Context(), addr, jsonRequest("", "", rep), r.key, r.file)
		},
	}
	r.add(submit)

	var p reportFlags
	preview := &cobra.Command{
		Use:   "preview [ADDRESS] --figure TÊN=SỐ … | --file report.json",
		Short: "Xem trước kết luận từng tiêu chí của báo cáo, không gửi",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			addr, d, err := x.reportTask(cmd.Context(), cmd, args, p)
			if err != nil {
				return err
			}
			rep, err := x.buildReport(p, d.AreaName)
			if err != nil {
				return err
			}
			var res api.PreviewResponse
			raw, err := x.call(cmd.Context(), jsonRequest("POST", "/api/previews/"+escapePath(addr), rep), &res)
			if err != nil {
				return err
			}
			if x.jsonOut {
				return x.raw(raw)
			}
			x.printf("cli.preview", res.Outcome, res.Summary)
			for _, l := range res.Lines {
				mark := cycle.Say(x.lang, "cli.met")
				if !l.Met {
					mark = cycle.Say(x.lang, "cli.not_met")
				}
				fmt.Fprintf(x.out, "  %-10s %s\n", mark, l.Criterion)
			}
			if len(res.Missing) > 0 {
				x.printf("cli.preview_missing")
				for _, pr := range res.Missing {
					fmt.Fprintf(x.out, "  - %s\n", pr.In(x.lang))
				}
			}
			return nil
		},
	}
	p.add(preview)
	preview.Flags().MarkHidden("request-id")

	var t reportFlags
	tmpl := &cobra.Command{
		Use:   "template [ADDRESS]",
		Short: "In báo cáo trống (JSON) với đúng các số liệu xã cần, để điền rồi gửi với --file",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			_, d, err := x.reportTask(cmd.Context(), cmd, args, t)
			if err != nil {
				return err
			}
			var rep cycle.TransformationReport
			for _, f := range d.Figures {
				_ = rep.Figures.Set(f.Name, 0)
			}
			for _, f := range d.Base {
				_ = rep.Baseline.Set(f.Name, 0)
			}
			if d.NeedsArea {
				rep.Area = &cycle.AreaAverage{Name: d.AreaName}
			}
			fmt.Fprintln(x.errOut, cycle.Say(x.lang, "cli.template_note", d.Kind, d.Commune, orDash(d.Period), orDash(d.Baseline)))
			return x.printJSON(rep)
		},
	}
	tmpl.Flags().StringVar(&t.cycle, "cycle", "", "the cycle (cycle/51/2027), when the address is left out")
	tmpl.Flags().StringVar(&t.kind, "kind", "", "when the address is left out: half_year_report, yearly_report or follow_up_report")
	tmpl.Flags().StringVar(&t.commune, "commune", "", "when the address is left out: the commune's code")
	cmd.AddCommand(submit, preview, tmpl)
	return cmd
}

func (x *kindCommands) reviewCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "review", Short: "Kiểm điểm sau năm chưa đạt (đơn vị) hoặc xem xét trách nhiệm (Cơ quan Thường trực)"}
	var f taskFlags
	var file, commune string
	var causes, remedies, responsible []string
	var emulation string
	submit := &cobra.Command{
		Use:   "submit [ADDRESS] --causes … --remedies … | --responsible … --emulation …",
		Short: "Gửi bản kiểm điểm (nguyên nhân, giải pháp) hoặc kết luận xem xét trách nhiệm",
		Long: `Sau năm thứ nhất chưa đạt, đơn vị kiểm điểm, làm rõ nguyên nhân: --causes và
--remedies, mỗi cờ lặp lại bao nhiêu lần cũng được. Sau năm thứ hai chưa đạt, Cơ quan
Thường trực xem xét trách nhiệm tập thể, cá nhân: mỗi đơn vị hoặc người liên quan là
--responsible "đơn vị|người|chức vụ|kết luận" (người và chức vụ có thể để trống:
"Công an xã Nghĩa Sơn|||kiểm điểm rút kinh nghiệm") và ảnh hưởng đến thi đua năm là
--emulation. Hoặc cả nội dung trong tệp JSON (--file: cycle.FailureReview hoặc
cycle.ResponsibilityReview).`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var body any
			kinds := []cycle.TaskKind{cycle.TaskFailureReview, cycle.TaskResponsibilityReview}
			if file != "" {
				var raw json.RawMessage
				if err := readJSONFile(file, &raw); err != nil {
					return err
				}
				body = raw
			} else {
				failure, resp, err := reviewRequest(causes, remedies, responsible, emulation)
				if err != nil {
					return err
				}
				if failure != nil {
					body, kinds = failure, kinds[:1]
				} else {
					body, kinds = resp, kinds[1:]
				}
			}
			match := func(t api.TaskView) bool { return commune == "" || strings.Contains("/"+t.ID+"/", "/"+commune+"/") }
			addr, err := x.resolve(cmd.Context(), cmd, args, f, match, kinds...)
			if err != nil {
				return err
			}
			return x.complete(cmd.Context(), addr, jsonRequest("", "", body), f.key, file)
		},
	}
	f.add(submit)
	submit.Flags().StringVarP(&file, "file", "f", "", "the review as JSON (cycle.FailureReview or cycle.ResponsibilityReview)")
	submit.Flags().StringVar(&commune, "commune", "", "when the address is left out: the commune's code")
	submit.Flags().StringArrayVar(&causes, "causes", nil, "a cause of the failure (repeatable; failure review)")
	submit.Flags().StringArrayVar(&remedies, "remedies", nil, "a remedy for the second year (repeatable; failure review)")
	submit.Flags().StringArrayVar(&responsible, "responsible", nil, `a unit or person responsible: "unit|person|position|conclusion" (repeatable; responsibility review)`)
	submit.Flags().StringVar(&emulation, "emulation", "", "the effect on the yearly emulation assessment (responsibility review)")
	cmd.AddCommand(submit)
	return cmd
}

func (x *kindCommands) resultsCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "results", Short: "Kết quả chuyển hóa năm: thẩm định (Hội đồng), ký, ban hành"}
	cmd.AddCommand(
		x.appraiseCommandOf(cycle.TaskAppraiseResults, "Ghi kết luận thẩm định kết quả năm của Hội đồng (Chủ tịch Hội đồng)",
			`Kết luận của Hội đồng thẩm định về kết quả chuyển hóa năm: mỗi xã giữ kết quả đánh
giá theo báo cáo năm, trừ khi Hội đồng quyết định khác với --pass MÃ=lý do hoặc
--fail MÃ=lý do (cần lý do ít nhất 10 ký tự để thay đổi kết quả, và để quyết định cho
xã không gửi báo cáo). starter task show ĐỊA-CHỈ liệt kê từng xã với kết quả và các
tiêu chí chưa đạt. Hoặc cả kết luận trong tệp JSON (--file: cycle.ResultsAppraisal).`,
			"the council finds a commune transformed: CODE=reason (repeatable)", "the council finds a commune not transformed: CODE=reason (repeatable)"),
		x.signCommandOf("sign", "Ký kết luận kết quả chuyển hóa năm", cycle.TaskSignResults),
		x.issueCommandOf("issue", "Ban hành thông báo, báo cáo kết quả chuyển hóa năm", cycle.TaskIssueResults))
	return cmd
}

// appraiseCommandOf is a council's appraisal of verdicts: of the yearly
// reports (results appraise) or of the follow-ups (recognition appraise).
func (x *kindCommands) appraiseCommandOf(kind cycle.TaskKind, short, long, passHelp, failHelp string) *cobra.Command {
	var f taskFlags
	var file, minutes string
	var passes, fails []string
	appraise := &cobra.Command{
		Use:   "appraise [ADDRESS] [--pass MÃ=lý-do] [--fail MÃ=lý-do] [--minutes …]",
		Short: short,
		Long:  long,
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var ap cycle.ResultsAppraisal
			if file != "" {
				if err := readJSONFile(file, &ap); err != nil {
					return err
				}
			}
			ps, err := x.pairs("--pass", passes)
			if err != nil {
				return err
			}
			fs, err := x.pairs("--fail", fails)
			if err != nil {
				return err
			}
			for _, p := range ps {
				ap.Decisions = append(ap.Decisions, cycle.ResultDecision{Commune: p[0], Outcome: cycle.OutcomePass, Reason: p[1]})
			}
			for _, p := range fs {
				ap.Decisions = append(ap.Decisions, cycle.ResultDecision{Commune: p[0], Outcome: cycle.OutcomeFail, Reason: p[1]})
			}
			if m := cycle.Clean(minutes); m != "" {
				ap.Minutes = m
			}
			addr, err := x.resolve(cmd.Context(), cmd, args, f, nil, kind)
			if err != nil {
				return err
			}
			return x.complete(cmd.Context(), addr, jsonRequest("", "", ap), f.key, file)
		},
	}
	f.add(appraise)
	appraise.Flags().StringVarP(&file, "file", "f", "", "the appraisal as JSON (cycle.ResultsAppraisal)")
	appraise.Flags().StringArrayVar(&passes, "pass", nil, passHelp)
	appraise.Flags().StringArrayVar(&fails, "fail", nil, failHelp)
	appraise.Flags().StringVar(&minutes, "minutes", "", "summary of the meeting's minutes")
	return appraise
}

func (x *kindCommands) recognitionCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "recognition", Short: "Công nhận xã chuyển hóa đạt sau 6 tháng theo dõi: thẩm định (Hội đồng), ký, ban hành"}
	cmd.AddCommand(
		x.appraiseCommandOf(cycle.TaskAppraiseRecognition, "Ghi kết luận thẩm định kết quả theo dõi sau 6 tháng, trước khi công nhận (Chủ tịch Hội đồng)",
			`Kết luận của Hội đồng thẩm định về kết quả theo dõi 6 tháng sau sơ kết (Kế hoạch, mục
II.4.b): mỗi xã giữ kết quả đánh giá theo báo cáo theo dõi — đạt thì đề nghị công nhận
chuyển hóa đạt, không đạt thì tái phức tạp —, trừ khi Hội đồng kết luận khác với
--pass MÃ=lý do (đề nghị công nhận) hoặc --fail MÃ=lý do (tái phức tạp), lý do ít nhất
10 ký tự. starter task show ĐỊA-CHỈ liệt kê từng xã với kết quả theo dõi. Hoặc cả kết
luận trong tệp JSON (--file: cycle.ResultsAppraisal).`,
			"the council proposes a commune for recognition: CODE=reason (repeatable)", "the council finds a commune relapsed: CODE=reason (repeatable)"),
		x.signCommandOf("sign", "Ký quyết định công nhận địa bàn chuyển hóa đạt", cycle.TaskSignRecognition),
		x.issueCommandOf("issue", "Ban hành quyết định công nhận địa bàn chuyển hóa đạt", cycle.TaskIssueRecognition))
	return cmd
}
