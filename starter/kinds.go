package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"chuyenhoa/api"
	"chuyenhoa/cycle"
	"chuyenhoa/workflows/awards"
	"chuyenhoa/workflows/selection"
	"chuyenhoa/workflows/transformation"
)

// The friendly commands that complete each kind of task: each builds the
// JSON body its kind takes (api/tasks.go) from flags or a file and sends
// it to the task's address. The address may be left out when the inbox
// holds exactly one open task of the kind for the signed-in account.

// taskFlags are the flags every completing command has.
type taskFlags struct {
	cycle string // narrows the inbox when the address is left out
	key   string // --request-id
}

func (f *taskFlags) add(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.cycle, "cycle", "", "the cycle or award round (cycle/51/2027), when the address is left out and you have tasks of this kind in several")
	cmd.Flags().StringVar(&f.key, "request-id", "", "the request's ID (Idempotency-Key): give the one printed to retry a request safely")
}

// resolve is the address a completing command acts on: the one given, or
// the only open task of the kinds in the account's inbox.
func (x *cli) resolve(ctx context.Context, cmd *cobra.Command, args []string, f taskFlags, match func(api.TaskView) bool, kinds ...cycle.TaskKind) (string, error) {
	if len(args) == 1 {
		addr, err := taskAddress(args[0])
		if err != nil {
			return "", err
		}
		k := kindOfAddress(addr)
		for _, want := range kinds {
			if k == want {
				return addr, nil
			}
		}
		alt := "starter task do " + addr + " --file …"
		if c, ok := kindCommand[k]; ok {
			alt = fmt.Sprintf(c, addr)
		}
		return "", usageError{cmd: cmd, err: fmt.Errorf("%s", cycle.Say(x.lang, "cli.wrong_kind", addr, k.Say(x.lang), alt))}
	}
	s, err := x.signedIn()
	if err != nil {
		return "", err
	}
	q := url.Values{}
	if f.cycle != "" {
		q.Set("cycle", f.cycle)
	}
	var res api.TasksResponse
	if _, err := x.call(ctx, request{method: "GET", path: "/api/tasks", query: q}, &res); err != nil {
		return "", err
	}
	role := s.Account.Role
	if role == cycle.RoleDeputy {
		role = cycle.RoleSigner
	}
	var found []api.TaskView
	for _, t := range res.Tasks {
		if t.Role != role || (match != nil && !match(t)) {
			continue
		}
		for _, k := range kinds {
			if t.Kind == k {
				found = append(found, t)
			}
		}
	}
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = k.Say(x.lang)
	}
	switch len(found) {
	case 1:
		fmt.Fprintln(x.errOut, cycle.Say(x.lang, "cli.resolved", found[0].Title, found[0].Address))
		return found[0].Address, nil
	case 0:
		// A unit's proposal is revised after it was sent (its task is no
		// longer open): its address is the cycle's and the unit's.
		if len(kinds) == 1 && kinds[0] == cycle.TaskSubmitProposal && f.cycle != "" && s.Account.District != "" {
			return strings.Trim(f.cycle, "/") + "/" + cycle.TaskID(cycle.TaskSubmitProposal, s.Account.District), nil
		}
		return "", cycle.Fail(cycle.ENOTFOUND, "cli.no_task", strings.Join(names, ", "))
	}
	var list []string
	for _, t := range found {
		list = append(list, "  "+t.Address+"  ("+t.Title+")")
	}
	return "", usageError{cmd: cmd, err: fmt.Errorf("%s\n%s", cycle.Say(x.lang, "cli.several_tasks", strings.Join(names, ", ")), strings.Join(list, "\n"))}
}

// ---- the selection -------------------------------------------------------------

func (x *cli) proposalCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "proposal", Short: "Đề xuất địa bàn của đơn vị: gửi, tải mẫu (a unit's proposal)"}
	var f taskFlags
	var file string
	submit := &cobra.Command{
		Use:   "submit [ADDRESS] -f FILE",
		Short: "Gửi (hoặc trước hạn, gửi lại) đề xuất của đơn vị từ tệp .xlsx, .csv hoặc .json",
		Long: `Gửi đề xuất của đơn vị từ tệp: mẫu .xlsx đã điền (starter proposal template), CSV
với các cột ` + strings.Join(cycle.ProposalCSVHeader, ",") + `
(mỗi xã của đơn vị một dòng với số liệu; "x" ở cột proposed, loại như 1;3;4), hoặc
JSON theo cycle.Proposal. Nếu có sai sót, cả đề xuất bị từ chối và mọi lỗi được liệt
kê với vị trí trong tệp (dòng, cột, ô); không có gì được ghi nhận.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			addr, err := x.resolve(cmd.Context(), cmd, args, f, nil, cycle.TaskSubmitProposal)
			if err != nil {
				return err
			}
			data, err := os.ReadFile(file)
			if err != nil {
				return cycle.Fail(eUsage, "cli.read_file", file, err)
			}
			switch strings.ToLower(filepath.Ext(file)) {
			case ".csv", ".xlsx", ".json":
			default:
				return cycle.Fail(eUsage, "cli.proposal_ext", file)
			}
			return x.complete(cmd.Context(), addr, fileRequest("POST", "", file, data), f.key, file)
		},
	}
	f.add(submit)
	submit.Flags().StringVarP(&file, "file", "f", "", "the proposal: .xlsx (the template filled in), .csv or .json")
	_ = submit.MarkFlagRequired("file")

	var province, format, out string
	var year int
	tmpl := &cobra.Command{
		Use:   "template --province 51 --year 2027 [--format xlsx|csv] [-o FILE]",
		Short: "Tải mẫu đề xuất của đơn vị (.xlsx hoặc .csv) với các xã của đơn vị",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			q := url.Values{}
			if format == "csv" {
				q.Set("format", "csv")
			}
			data, name, err := x.download(cmd.Context(), fmt.Sprintf("/api/cycles/%s/%d/proposal-template", url.PathEscape(province), year), q)
			if err != nil {
				return err
			}
			return x.saveFile(out, name, data)
		},
	}
	tmpl.Flags().StringVar(&province, "province", "51", "province code (51 = Quảng Ngãi)")
	tmpl.Flags().IntVar(&year, "year", 2027, "the cycle's year")
	tmpl.Flags().StringVar(&format, "format", "xlsx", "xlsx or csv")
	tmpl.Flags().StringVarP(&out, "out", "o", "", "where to save it (default: its name; - for standard output)")
	cmd.AddCommand(submit, tmpl)
	return cmd
}

func (x *cli) consolidateCommand() *cobra.Command {
	var f taskFlags
	var file, note string
	var drops, keeps []string
	cmd := &cobra.Command{
		Use:   "consolidate [ADDRESS] [--keep MÃ=lý-do] [--drop MÃ=lý-do] [--file consolidation.json]",
		Short: "Tổng hợp danh sách dự thảo từ các đề xuất (Cơ quan Thường trực)",
		Long: `Tổng hợp các đề xuất thành danh sách dự thảo: các xã giữ kết quả xét theo tiêu chí,
trừ khi loại (--drop MÃ=lý do) hoặc giữ lại và đưa lên đầu (--keep MÃ=lý do); hoặc
nêu các quyết định trong tệp JSON (--file) theo cycle.Consolidation.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var c cycle.Consolidation
			if file != "" {
				if err := readJSONFile(file, &c); err != nil {
					return err
				}
			}
			ds, err := x.pairs("--drop", drops)
			if err != nil {
				return err
			}
			ks, err := x.pairs("--keep", keeps)
			if err != nil {
				return err
			}
			for _, p := range ds {
				c.Decisions = append(c.Decisions, cycle.CommuneDecision{Commune: p[0], Reason: p[1]})
			}
			for _, p := range ks {
				c.Decisions = append(c.Decisions, cycle.CommuneDecision{Commune: p[0], Keep: true, Reason: p[1]})
			}
			if note != "" {
				c.Note = note
			}
			addr, err := x.resolve(cmd.Context(), cmd, args, f, nil, cycle.TaskConsolidate)
			if err != nil {
				return err
			}
			return x.complete(cmd.Context(), addr, jsonRequest("", "", c), f.key, "")
		},
	}
	f.add(cmd)
	cmd.Flags().StringVarP(&file, "file", "f", "", "consolidation JSON file (cycle.Consolidation)")
	cmd.Flags().StringArrayVar(&drops, "drop", nil, "drop a commune: CODE=reason (repeatable)")
	cmd.Flags().StringArrayVar(&keeps, "keep", nil, "keep a commune, placed first: CODE=reason (repeatable)")
	cmd.Flags().StringVar(&note, "note", "", "a note for the record")
	return cmd
}

// pairs reads CODE=text flags; a flag without "=" or a code is bad usage.
func (x *cli) pairs(flag string, vals []string) ([][2]string, error) {
	var out [][2]string
	for _, v := range vals {
		code, text, ok := strings.Cut(v, "=")
		code = cycle.Clean(code)
		if !ok || code == "" {
			return nil, cycle.Fail(eUsage, "cli.bad_pair", flag, v)
		}
		out = append(out, [2]string{code, cycle.Clean(text)})
	}
	return out, nil
}

func (x *cli) appraiseCommand() *cobra.Command {
	var f taskFlags
	var file, reason, minutes string
	var approve, ret bool
	var removes, members []string
	cmd := &cobra.Command{
		Use:   "appraise [ADDRESS] --approve | --return --reason \"…\"",
		Short: "Ghi kết luận của Hội đồng thẩm định về danh sách dự thảo (Chủ tịch Hội đồng)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var a cycle.Appraisal
			if file != "" {
				if err := readJSONFile(file, &a); err != nil {
					return err
				}
			} else {
				if approve == ret {
					return usageError{cmd: cmd, err: fmt.Errorf("%s", cycle.Say(x.lang, "cli.approve_or_return"))}
				}
				rs, err := x.pairs("--remove", removes)
				if err != nil {
					return err
				}
				a = cycle.Appraisal{Approved: approve, Reason: cycle.Clean(reason), Minutes: cycle.Clean(minutes), Members: members}
				for _, p := range rs {
					a.Removals = append(a.Removals, cycle.CommuneDecision{Commune: p[0], Reason: p[1]})
				}
			}
			addr, err := x.resolve(cmd.Context(), cmd, args, f, nil, cycle.TaskAppraise)
			if err != nil {
				return err
			}
			return x.complete(cmd.Context(), addr, jsonRequest("", "", a), f.key, "")
		},
	}
	f.add(cmd)
	cmd.Flags().StringVarP(&file, "file", "f", "", "appraisal JSON file (cycle.Appraisal)")
	cmd.Flags().BoolVar(&approve, "approve", false, "approve the list and report it to the head for signing")
	cmd.Flags().BoolVar(&ret, "return", false, "return the list to the secretariat (with --reason)")
	cmd.Flags().StringVar(&reason, "reason", "", "why the list is returned")
	cmd.Flags().StringVar(&minutes, "minutes", "", "summary of the meeting's minutes")
	cmd.Flags().StringArrayVar(&removes, "remove", nil, "take a commune off the list: CODE=reason (repeatable)")
	cmd.Flags().StringArrayVar(&members, "member", nil, "a member present (repeatable)")
	return cmd
}

// signKinds and issueKinds are the kinds of tasks the head signs and the
// clerk issues.
var (
	signKinds  = []cycle.TaskKind{cycle.TaskSign, cycle.TaskSignResults, cycle.TaskSignRecognition, cycle.TaskAwardSign}
	issueKinds = []cycle.TaskKind{cycle.TaskIssue, cycle.TaskIssueResults, cycle.TaskIssueRecognition, cycle.TaskAwardIssue}
)

// signCommandOf signs a task of the kinds (the head, or a deputy under a
// delegation in force).
func (x *cli) signCommandOf(use, short string, kinds ...cycle.TaskKind) *cobra.Command {
	var f taskFlags
	var comment, agentURL string
	cmd := &cobra.Command{
		Use:   use + " [ADDRESS] [--comment \"…\"]",
		Short: short,
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			addr, err := x.resolve(cmd.Context(), cmd, args, f, nil, kinds...)
			if err != nil {
				return err
			}
			if done, err := x.signExternally(cmd.Context(), addr, agentURL, cycle.Clean(comment), f.key); done {
				return err // the head's own signature (signagent.go)
			}
			return x.complete(cmd.Context(), addr, jsonRequest("", "", api.SignBody{Comment: cycle.Clean(comment)}), f.key, "")
		},
	}
	f.add(cmd)
	cmd.Flags().StringVar(&comment, "comment", "", "a comment for the record")
	cmd.Flags().StringVar(&agentURL, "agent", api.DefaultSigningAgent, "the signing agent on this computer, for a document signed with the signer's own certificate")
	return cmd
}

// issueCommandOf issues the signed document(s) of a task (the clerk).
func (x *cli) issueCommandOf(use, short string, kinds ...cycle.TaskKind) *cobra.Command {
	var f taskFlags
	cmd := &cobra.Command{
		Use:   use + " [ADDRESS]",
		Short: short,
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			addr, err := x.resolve(cmd.Context(), cmd, args, f, nil, kinds...)
			if err != nil {
				return err
			}
			return x.complete(cmd.Context(), addr, request{body: []byte("{}"), contentType: "application/json"}, f.key, "")
		},
	}
	f.add(cmd)
	return cmd
}

func (x *cli) signCommand() *cobra.Command {
	return x.signCommandOf("sign", "Ký văn bản (Trưởng Ban Chỉ đạo, hoặc Phó Trưởng Ban được ủy quyền): quyết định phê duyệt danh sách, kết quả năm, công nhận, khen thưởng", signKinds...)
}

func (x *cli) issueCommand() *cobra.Command {
	return x.issueCommandOf("issue", "Vào sổ, ban hành văn bản đã ký (Văn thư): quyết định phê duyệt danh sách, kết quả năm, công nhận, khen thưởng", issueKinds...)
}

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
func (x *cli) buildReport(r reportFlags, areaName string) (cycle.TransformationReport, error) {
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
func (x *cli) reportTask(ctx context.Context, cmd *cobra.Command, args []string, r reportFlags) (string, *api.ReportData, error) {
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

func (x *cli) reportCommand() *cobra.Command {
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

func (x *cli) reviewCommand() *cobra.Command {
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

func (x *cli) resultsCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "results", Short: "Kết quả chuyển hóa năm: thẩm định (Hội đồng), ký, ban hành"}
	var f taskFlags
	var file, minutes string
	var passes, fails []string
	appraise := &cobra.Command{
		Use:   "appraise [ADDRESS] [--pass MÃ=lý-do] [--fail MÃ=lý-do] [--minutes …]",
		Short: "Ghi kết luận thẩm định kết quả năm của Hội đồng (Chủ tịch Hội đồng)",
		Long: `Kết luận của Hội đồng thẩm định về kết quả chuyển hóa năm: mỗi xã giữ kết quả đánh
giá theo báo cáo năm, trừ khi Hội đồng quyết định khác với --pass MÃ=lý do hoặc
--fail MÃ=lý do (cần lý do ít nhất 10 ký tự để thay đổi kết quả, và để quyết định cho
xã không gửi báo cáo). starter task show ĐỊA-CHỈ liệt kê từng xã với kết quả và các
tiêu chí chưa đạt. Hoặc cả kết luận trong tệp JSON (--file: cycle.ResultsAppraisal).`,
		Args: cobra.MaximumNArgs(1),
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
			addr, err := x.resolve(cmd.Context(), cmd, args, f, nil, cycle.TaskAppraiseResults)
			if err != nil {
				return err
			}
			return x.complete(cmd.Context(), addr, jsonRequest("", "", ap), f.key, file)
		},
	}
	f.add(appraise)
	appraise.Flags().StringVarP(&file, "file", "f", "", "the appraisal as JSON (cycle.ResultsAppraisal)")
	appraise.Flags().StringArrayVar(&passes, "pass", nil, "the council finds a commune transformed: CODE=reason (repeatable)")
	appraise.Flags().StringArrayVar(&fails, "fail", nil, "the council finds a commune not transformed: CODE=reason (repeatable)")
	appraise.Flags().StringVar(&minutes, "minutes", "", "summary of the meeting's minutes")
	cmd.AddCommand(appraise,
		x.signCommandOf("sign", "Ký kết luận kết quả chuyển hóa năm", cycle.TaskSignResults),
		x.issueCommandOf("issue", "Ban hành thông báo, báo cáo kết quả chuyển hóa năm", cycle.TaskIssueResults))
	return cmd
}

func (x *cli) recognitionCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "recognition", Short: "Công nhận xã chuyển hóa đạt sau 6 tháng theo dõi: ký, ban hành"}
	cmd.AddCommand(
		x.signCommandOf("sign", "Ký quyết định công nhận địa bàn chuyển hóa đạt", cycle.TaskSignRecognition),
		x.issueCommandOf("issue", "Ban hành quyết định công nhận địa bàn chuyển hóa đạt", cycle.TaskIssueRecognition))
	return cmd
}

// ---- award rounds --------------------------------------------------------------

func (x *cli) awardsCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "awards", Short: "Khen thưởng: đề nghị, xét duyệt, ký, ban hành; mở và kết thúc đợt (Cơ quan Thường trực)"}
	var f taskFlags
	var file string
	nominate := &cobra.Command{
		Use:   "nominate [ADDRESS] -f de-nghi.json",
		Short: "Gửi hồ sơ đề nghị khen thưởng của đơn vị (gửi lại thay thế lần trước)",
		Long: `Gửi các đề nghị khen thưởng của đơn vị từ tệp JSON: {"nominations": [...]} hoặc một
mảng, mỗi đề nghị theo cycle.Nomination (kind: collective hoặc individual, name,
position, leader, area, achievements, dossier). starter task show ĐỊA-CHỈ cho biết
hình thức, chỉ tiêu và thành phần hồ sơ của đợt.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			b, err := os.ReadFile(file)
			if err != nil {
				return cycle.Fail(eUsage, "cli.read_file", file, err)
			}
			var body api.NominateBody
			if t := strings.TrimSpace(string(b)); strings.HasPrefix(t, "[") {
				err = json.Unmarshal(b, &body.Nominations)
			} else {
				err = readJSONFile(file, &body)
			}
			if err != nil {
				return cycle.Fail(cycle.EINVALID, "cli.bad_json", file, err)
			}
			addr, err := x.resolve(cmd.Context(), cmd, args, f, nil, cycle.TaskNominate)
			if err != nil {
				return err
			}
			return x.complete(cmd.Context(), addr, jsonRequest("", "", body), f.key, file)
		},
	}
	f.add(nominate)
	nominate.Flags().StringVarP(&file, "file", "f", "", "the nominations as JSON")
	_ = nominate.MarkFlagRequired("file")

	var rf taskFlags
	var rfile, minutes string
	var accept, reject []string
	review := &cobra.Command{
		Use:   "review [ADDRESS] --accept MÃ … [--reject MÃ=lý-do] --minutes \"…\" | -f review.json",
		Short: "Ghi kết quả xét duyệt hồ sơ khen thưởng của Hội đồng (Chủ tịch Hội đồng)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var rv cycle.AwardReview
			if rfile != "" {
				if err := readJSONFile(rfile, &rv); err != nil {
					return err
				}
			}
			rv.Accepted = append(rv.Accepted, accept...)
			rs, err := x.pairs("--reject", reject)
			if err != nil {
				return err
			}
			for _, p := range rs {
				rv.Rejected = append(rv.Rejected, cycle.Rejection{ID: p[0], Reason: p[1]})
			}
			if m := cycle.Clean(minutes); m != "" {
				rv.Minutes = m
			}
			addr, err := x.resolve(cmd.Context(), cmd, args, rf, nil, cycle.TaskAwardReview)
			if err != nil {
				return err
			}
			return x.complete(cmd.Context(), addr, jsonRequest("", "", rv), rf.key, rfile)
		},
	}
	rf.add(review)
	review.Flags().StringVarP(&rfile, "file", "f", "", "the review as JSON (cycle.AwardReview)")
	review.Flags().StringArrayVar(&accept, "accept", nil, "a nomination put forward: its ID (repeatable)")
	review.Flags().StringArrayVar(&reject, "reject", nil, "a nomination not put forward: ID=reason (repeatable)")
	review.Flags().StringVar(&minutes, "minutes", "", "summary of the meeting's minutes")

	cmd.AddCommand(nominate, review,
		x.signCommandOf("sign", "Ký quyết định khen thưởng", cycle.TaskAwardSign),
		x.issueCommandOf("issue", "Ban hành quyết định khen thưởng", cycle.TaskAwardIssue),
		x.awardsStartCommand(), x.awardsCloseCommand(), x.awardsShowCommand())
	return cmd
}

// ---- what a completion did ------------------------------------------------------

// printResult says what the workflow answered to a completion.
func (x *cli) printResult(kind cycle.TaskKind, res json.RawMessage) {
	say := func(code string, args ...any) string { return cycle.Say(x.lang, code, args...) }
	w := x.out
	late := func(l bool) string {
		if l {
			return " (" + say("cli.late") + ")"
		}
		return ""
	}
	switch kind {
	case cycle.TaskSubmitProposal:
		var v selection.SubmitProposalResult
		if json.Unmarshal(res, &v) == nil {
			fmt.Fprintln(w, say("cli.result_proposal", v.Unit, v.Revision, v.Proposed)+late(v.Late))
		}
	case cycle.TaskConsolidate:
		var v selection.ConsolidateResult
		if json.Unmarshal(res, &v) == nil {
			fmt.Fprintln(w, say("cli.result_consolidate", len(v.Draft)))
			x.listed(v.Draft)
		}
	case cycle.TaskAppraise:
		var v selection.AppraiseResult
		if json.Unmarshal(res, &v) == nil {
			if v.Returned {
				fmt.Fprintln(w, say("cli.result_returned"))
			} else {
				fmt.Fprintln(w, say("cli.result_approved", len(v.List)))
				x.listed(v.List)
			}
		}
	case cycle.TaskSign, cycle.TaskSignResults, cycle.TaskSignRecognition, cycle.TaskAwardSign:
		var v transformation.SignResult
		var d cycle.Date
		switch {
		case json.Unmarshal(res, &v) == nil && !v.SignedAt.IsZero():
			fmt.Fprintln(w, say("cli.result_signed", v.SignedAt.Vietnamese())+late(v.Late))
		case json.Unmarshal(res, &d) == nil && !d.IsZero():
			fmt.Fprintln(w, say("cli.result_signed", d.Vietnamese()))
		}
	case cycle.TaskIssue, cycle.TaskIssueResults, cycle.TaskIssueRecognition, cycle.TaskAwardIssue:
		var ds []cycle.Decision
		var d cycle.Decision
		if json.Unmarshal(res, &d) == nil && d.Code != "" {
			ds = []cycle.Decision{d}
		} else {
			_ = json.Unmarshal(res, &ds)
		}
		for _, d := range ds {
			fmt.Fprintln(w, say("cli.result_issued", d.Code, d.Date.Vietnamese(), len(d.Communes), d.SHA256))
		}
	case cycle.TaskHalfYearReport, cycle.TaskYearlyReport, cycle.TaskFollowUpReport:
		var v transformation.SubmitReportResult
		if json.Unmarshal(res, &v) == nil {
			fmt.Fprintln(w, say("cli.result_report", v.Kind.Vietnamese(), v.Year, v.Verdict.Name, v.Verdict.Commune, outcomeText(x.lang, v.Verdict.Outcome), v.Verdict.Summary)+late(v.Late))
			for _, r := range v.Verdict.Results {
				if r.Skipped {
					continue
				}
				mark := say("cli.met")
				if !r.Passed {
					mark = say("cli.not_met")
				}
				fmt.Fprintf(w, "  %-10s %s: %s\n", mark, r.Name, r.Detail)
			}
		}
	case cycle.TaskFailureReview, cycle.TaskResponsibilityReview:
		fmt.Fprintln(w, say("cli.result_review"))
	case cycle.TaskAppraiseResults:
		var v []cycle.CommuneResult
		if json.Unmarshal(res, &v) == nil {
			pass := 0
			for _, c := range v {
				if c.Outcome == cycle.OutcomePass {
					pass++
				}
			}
			fmt.Fprintln(w, say("cli.result_results", pass, len(v)))
			for _, c := range v {
				line := fmt.Sprintf("  %s (%s): %s", c.Commune.Name, c.Commune.Commune, outcomeText(x.lang, c.Outcome))
				if c.Overridden {
					line += " — " + say("cli.overridden", c.Reason)
				}
				fmt.Fprintln(w, line)
			}
		}
	case cycle.TaskNominate:
		var v awards.NominateResult
		if json.Unmarshal(res, &v) == nil {
			fmt.Fprintln(w, say("cli.result_nominate", v.Unit, v.Revision, len(v.IDs), strings.Join(v.IDs, ", ")))
		}
	case cycle.TaskAwardReview:
		var v awards.ReviewAwardsResult
		if json.Unmarshal(res, &v) == nil {
			fmt.Fprintln(w, say("cli.result_award_review", len(v.Accepted)))
		}
	}
}

func (x *cli) listed(list []cycle.ListedCommune) {
	rows := [][]string{{"#", cycle.Say(x.lang, "cli.col_commune"), cycle.Say(x.lang, "cli.col_district"), cycle.Say(x.lang, "cli.col_types")}}
	for _, l := range list {
		rows = append(rows, []string{fmt.Sprint(l.Rank), l.Name + " (" + l.Commune + ")", l.DistrictName, l.Types.String()})
	}
	table(x.out, "  ", rows)
}

func outcomeText(lang cycle.Lang, o cycle.Outcome) string {
	switch o {
	case cycle.OutcomePass:
		return cycle.Say(lang, "cli.outcome_pass")
	case cycle.OutcomeFail:
		return cycle.Say(lang, "cli.outcome_fail")
	}
	return cycle.Say(lang, "cli.outcome_council")
}
