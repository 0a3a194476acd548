package main

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"chuyenhoa/api"
	"chuyenhoa/cycle"
)

func init() {
	kindForm[cycle.TaskPlanReport] = "plan-report"
	kindCommand[cycle.TaskPlanReport] = "starter plan-report submit %s --content \"…\" [--held YYYY-MM-DD]"
}

// planReportCommand sends a plan step: a report or a meeting the plan sets
// at a date (quarterly report, recognition proposal, local review,
// provincial review conference, monitoring team's meeting); its sign
// command is the head's signature of the review report the provincial
// conference's conclusions are compiled into, when the head signs it with
// their own certificate (sign_review).
func (x *kindCommands) planReportCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "plan-report", Short: "Báo cáo, sơ kết theo các mốc của kế hoạch (báo cáo quý, đề nghị công nhận, sơ kết, hội nghị, họp Tổ theo dõi); ký báo cáo sơ kết"}
	var f taskFlags
	var file, content, held, deadline string
	var proposed []string
	submit := &cobra.Command{
		Use:   "submit [ADDRESS] --content \"…\" [--held YYYY-MM-DD] [--propose MÃ …] | -f report.json",
		Short: "Gửi báo cáo (hoặc kết quả cuộc họp) theo mốc của kế hoạch",
		Long: `Kế hoạch đặt các mốc báo cáo, sơ kết ngoài báo cáo 6 tháng và báo cáo năm của từng
địa bàn: báo cáo quý, đề nghị xét công nhận, sơ kết tại địa bàn, hội nghị sơ kết cấp
tỉnh, họp Tổ theo dõi. Mỗi mốc là một việc trong hộp việc; --content là nội dung báo
cáo (hoặc kết quả, kết luận của cuộc họp), --held là ngày tổ chức (bắt buộc với sơ
kết, hội nghị, cuộc họp; không dùng cho báo cáo), --propose MÃ là xã đơn vị đề nghị
xét, công nhận (chỉ với văn bản đề nghị công nhận; lặp lại cho từng xã). Hoặc cả nội dung trong tệp JSON
(--file: {"content": "…", "held": "2027-11-20"}). Khi bỏ ĐỊA-CHỈ, --deadline chọn loại
mốc (quarterly_report, local_reviews…) nếu có nhiều việc.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var body any
			if file != "" {
				var raw json.RawMessage
				if err := readJSONFile(file, &raw); err != nil {
					return err
				}
				body = raw
			} else {
				rep := cycle.PlanReport{Content: content, Communes: proposed}
				if held != "" {
					d, err := cycle.ParseDate(held)
					if err != nil {
						return usageError{cmd: cmd, err: fmt.Errorf("%s", cycle.Say(x.lang, "cli.bad_held", held))}
					}
					rep.Held = d
				}
				body = rep
			}
			match := func(t api.TaskView) bool { return deadline == "" || strings.Contains("/"+t.ID+"/", "/"+deadline+"/") }
			addr, err := x.resolve(cmd.Context(), cmd, args, f, match, cycle.TaskPlanReport)
			if err != nil {
				return err
			}
			return x.complete(cmd.Context(), addr, jsonRequest("", "", body), f.key, file)
		},
	}
	f.add(submit)
	submit.Flags().StringVarP(&file, "file", "f", "", "the report as JSON (cycle.PlanReport)")
	submit.Flags().StringVar(&content, "content", "", "the report, or the meeting's conclusions")
	submit.Flags().StringVar(&held, "held", "", "the day the meeting was held (YYYY-MM-DD)")
	submit.Flags().StringArrayVar(&proposed, "propose", nil, "a recognition proposal: the code of a commune the unit proposes for recognition (repeatable)")
	submit.Flags().StringVar(&deadline, "deadline", "", "when the address is left out: the step's kind (quarterly_report, local_reviews, …)")
	// The provincial conference's review report, when the head signs it
	// with their own certificate: the head's signature issues it.
	sign := x.signCommandOf("sign", "Ký báo cáo sơ kết công tác chuyển hóa (Trưởng Ban Chỉ đạo, hoặc Phó Trưởng Ban được ủy quyền): ký xong, báo cáo được đóng dấu và phát hành ngay", cycle.TaskSignReview)
	cmd.AddCommand(submit, sign)
	return cmd
}
