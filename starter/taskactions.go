package main

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"chuyenhoa/api"
	"chuyenhoa/cycle"
)

// ---- acting on a task: claim, drafts, files, completion --------------------------

func (x *taskCommands) taskClaimCommand(claim bool) *cobra.Command {
	use, short := "claim ADDRESS", "Nhận việc, để người khác cùng đơn vị, cùng vai trò không làm trùng"
	if !claim {
		use, short = "release ADDRESS", "Trả lại việc đã nhận"
	}
	return &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			addr, err := taskAddress(args[0])
			if err != nil {
				return err
			}
			method := "POST"
			if !claim {
				method = "DELETE"
			}
			var cl cycle.Claim
			raw, err := x.call(cmd.Context(), request{method: method, path: "/api/claims/" + escapePath(addr)}, &cl)
			if err != nil {
				return err
			}
			if x.jsonOut {
				return x.raw(raw)
			}
			if claim {
				x.printf("cli.claimed", addr, timeVN(cl.At))
			} else {
				x.printf("cli.released", addr)
			}
			return nil
		},
	}
}

func (x *taskCommands) taskDraftCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "draft",
		Short: "Bản nháp của một việc: xem, lưu, xóa (the values of the task's web form, kept for you alone)",
	}
	show := &cobra.Command{
		Use:   "show ADDRESS",
		Short: "Xem bản nháp đã lưu",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			addr, err := taskAddress(args[0])
			if err != nil {
				return err
			}
			var d cycle.Draft
			raw, err := x.call(cmd.Context(), request{method: "GET", path: "/api/drafts/" + escapePath(addr)}, &d)
			if err != nil {
				return err
			}
			if x.jsonOut {
				return x.raw(raw)
			}
			x.printf("cli.draft_saved", timeVN(d.SavedAt), len(d.Values))
			keys := make([]string, 0, len(d.Values))
			for k := range d.Values {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				fmt.Fprintf(x.out, "  %s = %s\n", k, d.Values[k])
			}
			return nil
		},
	}
	var sets []string
	var file string
	save := &cobra.Command{
		Use:   "save ADDRESS [--set TÊN=GIÁ-TRỊ …] [--file values.json]",
		Short: "Lưu bản nháp (các trường của biểu mẫu, theo tên)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			addr, err := taskAddress(args[0])
			if err != nil {
				return err
			}
			values := map[string]string{}
			if file != "" {
				if err := readJSONFile(file, &values); err != nil {
					return err
				}
			}
			for _, s := range sets {
				k, v, ok := strings.Cut(s, "=")
				if !ok || strings.TrimSpace(k) == "" {
					return cycle.Fail(eUsage, "cli.bad_pair", "--set", s)
				}
				values[strings.TrimSpace(k)] = v
			}
			var d cycle.Draft
			raw, err := x.call(cmd.Context(), jsonRequest("PUT", "/api/drafts/"+escapePath(addr), api.DraftBody{Values: values}), &d)
			if err != nil {
				return err
			}
			if x.jsonOut {
				return x.raw(raw)
			}
			x.printf("cli.draft_saved", timeVN(d.SavedAt), len(d.Values))
			return nil
		},
	}
	save.Flags().StringArrayVar(&sets, "set", nil, "a field's value: NAME=VALUE (repeatable)")
	save.Flags().StringVar(&file, "file", "", "the values as a JSON object {\"name\": \"value\"}")
	del := &cobra.Command{
		Use:   "delete ADDRESS",
		Short: "Xóa bản nháp",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			addr, err := taskAddress(args[0])
			if err != nil {
				return err
			}
			if _, err := x.call(cmd.Context(), request{method: "DELETE", path: "/api/drafts/" + escapePath(addr)}, nil); err != nil {
				return err
			}
			x.printf("cli.draft_deleted")
			return nil
		},
	}
	cmd.AddCommand(show, save, del)
	return cmd
}

func (x *taskCommands) taskAttachCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "attach ADDRESS FILE",
		Short: "Đính kèm tệp (PDF, ảnh JPEG/PNG, Word, Excel; tối đa 20 MiB) vào một việc",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			addr, err := taskAddress(args[0])
			if err != nil {
				return err
			}
			data, err := os.ReadFile(args[1])
			if err != nil {
				return cycle.Fail(eUsage, "cli.read_file", args[1], err)
			}
			var a cycle.Attachment
			raw, err := x.call(cmd.Context(), fileRequest("POST", "/api/attachments/"+escapePath(addr), args[1], data), &a)
			if err != nil {
				return err
			}
			if x.jsonOut {
				return x.raw(raw)
			}
			x.printf("cli.attached", a.Name, cycle.Int(a.Size), a.SHA256)
			return nil
		},
	}
}

func (x *taskCommands) taskFileCommand() *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "file ADDRESS SHA256 [-o FILE]",
		Short: "Tải về một tệp đính kèm của việc",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			addr, err := taskAddress(args[0])
			if err != nil {
				return err
			}
			data, name, err := x.download(cmd.Context(), "/api/files/"+url.PathEscape(args[1])+"/"+escapePath(addr), nil)
			if err != nil {
				return err
			}
			return x.saveFile(out, name, data)
		},
	}
	cmd.Flags().StringVarP(&out, "out", "o", "", "where to save it (default: its name, in the current directory; - for standard output)")
	return cmd
}

func (x *taskCommands) taskDoCommand() *cobra.Command {
	var file, key string
	cmd := &cobra.Command{
		Use:   "do ADDRESS --file body.json",
		Short: "Hoàn thành một việc với nội dung JSON của loại việc (any kind; see api/openapi.yaml)",
		Long: `Hoàn thành một việc bất kỳ với nội dung JSON mà loại việc đó nhận (xem
api/openapi.yaml; đề xuất của đơn vị có thể là tệp .csv, .xlsx hoặc .json). Mỗi yêu
cầu có một mã (Idempotency-Key) được in ra; nếu không nhận được kết quả (mất mạng,
quá thời gian), gửi lại với --request-id MÃ: máy chủ trả lại kết quả lần đầu, việc
không bị ghi hai lần.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			addr, err := taskAddress(args[0])
			if err != nil {
				return err
			}
			data, err := os.ReadFile(file)
			if err != nil {
				return cycle.Fail(eUsage, "cli.read_file", file, err)
			}
			var r request
			switch strings.ToLower(filepath.Ext(file)) {
			case ".csv", ".xlsx":
				r = fileRequest("POST", "", file, data)
			default:
				r = request{body: data, contentType: "application/json"}
			}
			return x.complete(cmd.Context(), addr, r, key, file)
		},
	}
	cmd.Flags().StringVarP(&file, "file", "f", "", "the body: JSON (or, for a proposal, .csv or .xlsx)")
	cmd.Flags().StringVar(&key, "request-id", "", "the request's ID (Idempotency-Key): give the one printed to retry a request safely")
	_ = cmd.MarkFlagRequired("file")
	return cmd
}

// kindOfAddress is the kind of task an address names (its first segment
// after the process, province and year).
func kindOfAddress(addr string) cycle.TaskKind {
	parts := strings.Split(addr, "/")
	if len(parts) < 4 {
		return ""
	}
	return cycle.TaskKind(parts[3])
}
