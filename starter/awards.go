package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"chuyenhoa/api"
	"chuyenhoa/cycle"
	"chuyenhoa/workflows/awards"
)

// ---- award rounds --------------------------------------------------------------

func (x *kindCommands) awardsCommand() *cobra.Command {
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

func (x *kindCommands) awardsStartCommand() *cobra.Command {
	var ref cycleRef
	var policy, due, signer string
	var synthetic, yes bool
	cmd := &cobra.Command{
		Use:   "start --province 70 --year 2024 [--policy ID] [--due YYYY-MM-DD] [--signer-name TÊN] --yes",
		Short: "Mở đợt khen thưởng theo kế hoạch (có quy định khen thưởng), sau khi xem lịch của nó",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			id, err := x.showPolicy(cmd.Context(), ref, policy, true)
			if err != nil {
				return err
			}
			b := api.StartRoundBody{Province: ref.province, Year: ref.year, Policy: id, SignerName: signer, Synthetic: synthetic}
			if due != "" {
				d, err := cycle.ParseDate(due)
				if err != nil {
					return cycle.Fail(eUsage, "cli.bad_date", due)
				}
				b.Due = d
			}
			if err := x.confirm(cmd, yes, cycle.Say(x.lang, "cli.confirm_round", ref.province, ref.year, id)); err != nil {
				return err
			}
			var st api.Started
			raw, err := x.call(cmd.Context(), jsonRequest("POST", "/api/awards", b), &st)
			if err != nil {
				return err
			}
			if x.jsonOut {
				return x.raw(raw)
			}
			x.printf("cli.round_started", st.ID, st.Policy)
			return nil
		},
	}
	ref.add(cmd)
	cmd.Flags().StringVar(&policy, "policy", "", "a shipped policy's ID with an award scheme; default: the one in force")
	cmd.Flags().StringVar(&due, "due", "", "the nominations' due date (YYYY-MM-DD); default: the policy's")
	cmd.Flags().StringVar(&signer, "signer-name", "", "the grantor's name, as the decision prints it")
	cmd.Flags().BoolVar(&synthetic, "synthetic", false, "the data are synthetic demo data")
	cmd.Flags().BoolVar(&yes, "yes", false, "confirm: start it")
	return cmd
}

func (x *kindCommands) awardsCloseCommand() *cobra.Command {
	var ref cycleRef
	var key string
	cmd := &cobra.Command{
		Use:   "close --province 70 --year 2024",
		Short: "Kết thúc nhận hồ sơ đề nghị khen thưởng trước hạn (Cơ quan Thường trực)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			k, err := x.requestKey(key)
			if err != nil {
				return err
			}
			fmt.Fprintln(x.errOut, cycle.Say(x.lang, "cli.request_id", k))
			r := request{method: "POST", path: ref.path("/api/awards") + "/close-nominations", key: k}
			var res struct {
				Result cycle.AwardPhase `json:"result"`
			}
			raw, err := x.call(cmd.Context(), r, &res)
			if err != nil {
				return err
			}
			if x.jsonOut {
				return x.raw(raw)
			}
			x.printf("cli.nominations_closed", phaseText(x.lang, string(res.Result)))
			return nil
		},
	}
	ref.add(cmd)
	cmd.Flags().StringVar(&key, "request-id", "", "the request's ID (Idempotency-Key), to retry safely")
	return cmd
}

func (x *kindCommands) awardsShowCommand() *cobra.Command {
	var ref cycleRef
	cmd := &cobra.Command{
		Use:   "show --province 70 --year 2024",
		Short: "Tình trạng của đợt khen thưởng: bước, đơn vị, đề nghị, việc đang mở",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var st awards.AwardRoundState
			raw, err := x.call(cmd.Context(), request{method: "GET", path: ref.path("/api/awards")}, &st)
			if err != nil {
				return err
			}
			if x.jsonOut {
				return x.raw(raw)
			}
			x.printf("cli.round_head", st.ID, st.PolicyID, phaseText(x.lang, string(st.Phase)), st.Due.Vietnamese(), st.Today.Vietnamese())
			var rows [][]string
			for _, u := range st.Units {
				mark := "—"
				if u.Submitted {
					mark = x.sayf("cli.round_submitted", u.Revision)
				}
				rows = append(rows, []string{u.Code, u.Name, mark})
			}
			table(x.out, "  ", rows)
			x.printf("cli.round_nominations", len(st.Nominations), len(st.Accepted))
			x.nominations(x.out, st.Nominations)
			if d := st.Decision; d != nil {
				fmt.Fprintln(x.out, x.issued(*d))
			}
			for _, e := range st.Events {
				fmt.Fprintf(x.out, "  %s  %-12s %s\n", e.At.Vietnamese(), e.Actor, e.Say(x.lang))
			}
			return nil
		},
	}
	ref.add(cmd)
	return cmd
}
