package main

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"chuyenhoa/api"
	"chuyenhoa/cycle"
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

// ---- the selection -------------------------------------------------------------

func (x *kindCommands) proposalCommand() *cobra.Command {
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

func (x *kindCommands) consolidateCommand() *cobra.Command {
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

func (x *kindCommands) appraiseCommand() *cobra.Command {
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
	signKinds  = []cycle.TaskKind{cycle.TaskSign, cycle.TaskSignResults, cycle.TaskSignRecognition, cycle.TaskSignReview, cycle.TaskAwardSign}
	issueKinds = []cycle.TaskKind{cycle.TaskIssue, cycle.TaskIssueResults, cycle.TaskIssueRecognition, cycle.TaskAwardIssue}
)

// signCommandOf signs a task of the kinds (the head, or a deputy under a
// delegation in force).
func (x *kindCommands) signCommandOf(use, short string, kinds ...cycle.TaskKind) *cobra.Command {
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
func (x *kindCommands) issueCommandOf(use, short string, kinds ...cycle.TaskKind) *cobra.Command {
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

func (x *kindCommands) signCommand() *cobra.Command {
	return x.signCommandOf("sign", "Ký văn bản (Trưởng Ban Chỉ đạo, hoặc Phó Trưởng Ban được ủy quyền): quyết định phê duyệt danh sách, kết quả năm, công nhận, báo cáo sơ kết, khen thưởng", signKinds...)
}

func (x *kindCommands) issueCommand() *cobra.Command {
	return x.issueCommandOf("issue", "Vào sổ, ban hành văn bản đã ký (Văn thư): quyết định phê duyệt danh sách, kết quả năm, công nhận, khen thưởng", issueKinds...)
}
