package main

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"chuyenhoa/api"
	"chuyenhoa/cycle"
)

// ---- views ----------------------------------------------------------------------------

func (x *officeCommands) indicatorsCommand() *cobra.Command {
	var province string
	cmd := &cobra.Command{
		Use:   "indicators [--province 51]",
		Short: "Chỉ tiêu của tỉnh qua các năm so với kế hoạch (tỷ lệ chuyển hóa đạt, không tái phức tạp)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var is []api.Indicator
			raw, err := x.call(cmd.Context(), request{method: "GET", path: "/api/provinces/" + url.PathEscape(province) + "/indicators"}, &is)
			if err != nil {
				return err
			}
			if x.jsonOut {
				return x.raw(raw)
			}
			if len(is) == 0 {
				x.printf("cli.no_indicators", province)
			}
			for _, i := range is {
				x.printf("cli.indicator", i.Year, i.Policy, i.Selected, i.Transformed, cycle.Pct(100*i.TransformedShare), cycle.Pct(100*i.TransformedTarget),
					metText(x.lang, i.MeetsTransformed), i.FollowedUp, i.Relapsed, cycle.Pct(100*i.NotRelapsedShare), cycle.Pct(100*i.NotRelapsedTarget), metText(x.lang, i.MeetsNotRelapsed), i.Pending)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&province, "province", "51", "province code")
	return cmd
}

func metText(lang cycle.Lang, ok bool) string {
	if ok {
		return cycle.Say(lang, "cli.meets")
	}
	return cycle.Say(lang, "cli.misses")
}

func (x *officeCommands) standingsCommand() *cobra.Command {
	var province string
	cmd := &cobra.Command{
		Use:   "standings [--province 51]",
		Short: "Các xã của chương trình: tình trạng hiện nay và kết quả từng năm",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var ss []api.Standing
			raw, err := x.call(cmd.Context(), request{method: "GET", path: "/api/provinces/" + url.PathEscape(province) + "/standings"}, &ss)
			if err != nil {
				return err
			}
			if x.jsonOut {
				return x.raw(raw)
			}
			rows := [][]string{{x.sayf("cli.col_commune"), x.sayf("cli.col_district"), x.sayf("cli.col_standing"), x.sayf("cli.col_years")}}
			for _, s := range ss {
				var ys []string
				for _, y := range s.Years {
					ys = append(ys, fmt.Sprintf("%d: %s", y.Year, outcomeText(x.lang, y.Outcome)))
				}
				st := s.StandingText
				if x.lang == cycle.English {
					st = s.Standing.Say(cycle.English)
				}
				rows = append(rows, []string{s.Name + " (" + s.Commune + ")", s.DistrictName, st, strings.Join(ys, "; ")})
			}
			table(x.out, "", rows)
			return nil
		},
	}
	cmd.Flags().StringVar(&province, "province", "51", "province code")
	return cmd
}

func (x *officeCommands) archiveCommand() *cobra.Command {
	var year int
	cmd := &cobra.Command{
		Use:   "archive [--year 2027]",
		Short: "Lưu trữ văn bản đã ban hành trong năm, với kết quả kiểm tra chữ ký số của từng văn bản",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			q := url.Values{}
			if year > 0 {
				q.Set("year", strconv.Itoa(year))
			}
			var es []api.ArchiveEntry
			raw, err := x.call(cmd.Context(), request{method: "GET", path: "/api/archive", query: q}, &es)
			if err != nil {
				return err
			}
			if x.jsonOut {
				return x.raw(raw)
			}
			if len(es) == 0 {
				x.printf("cli.archive_empty")
			}
			for _, e := range es {
				ok := x.sayf("cli.verified")
				if !e.Verified {
					ok = x.sayf("cli.not_verified")
				}
				x.printf("cli.archive_line", e.Code, e.Date.In(cycle.Vietnam).Format("02/01/2006"), e.Subject, ok, e.SHA256)
				if !e.Verified && e.Verification != "" {
					for _, l := range strings.Split(strings.TrimSpace(e.Verification), "\n") {
						fmt.Fprintln(x.out, "    "+l)
					}
				}
			}
			return nil
		},
	}
	cmd.Flags().IntVar(&year, "year", 0, "the year (default: this year)")
	return cmd
}
