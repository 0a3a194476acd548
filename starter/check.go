package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"chuyenhoa/cycle"
	"chuyenhoa/intake"
	"chuyenhoa/internal/display"
	"chuyenhoa/policies"
	"chuyenhoa/sample"
)

// CheckOutput is what `starter check --json` prints.
type CheckOutput struct {
	Policy    string                 `json:"policy"`
	Mode      string                 `json:"mode"`
	Input     string                 `json:"input,omitempty"`     // what the file was read as: checker, proposal, report
	Unit      string                 `json:"unit,omitempty"`      // a proposal file's unit
	Province  string                 `json:"province,omitempty"`  // a proposal file's province
	Problems  []cycle.Problem        `json:"problems,omitempty"`  // what the units' proposals would be refused for
	Selection *cycle.SelectionResult `json:"selection,omitempty"` // mode selection
	Verdicts  []cycle.Verdict        `json:"verdicts,omitempty"`  // mode evaluation
}

// The kinds of file the checker reads.
const (
	inputChecker  = "checker"  // its own JSON (cycle.CheckInput)
	inputProposal = "proposal" // a unit's proposal: CSV, .xlsx or JSON
	inputReport   = "report"   // a commune's transformation report (JSON)
)

// checkArgs are the checker's flags.
type checkArgs struct {
	mode     string
	unit     string // proposal files: the unit
	province string // proposal and report files: the registry (sample slug, 2025 province code, or registry CSV)
	commune  string // report files: the commune
	types    string // report files: its types, "1,4"
}

func (x *operatorTools) checkCommand() *cobra.Command {
	var policyArg, input string
	var a checkArgs
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "check --policy 000|file.yaml --input FILE [--mode selection|evaluation] [--unit CODE --province P] [--json] [--lang vi|en]",
		Short: "Check communes, a proposal file or a report against a policy offline",
		Long: `Check a file against a policy without a Temporal server or a database, before
submitting it. --input is read as officers produce it (see README "Proposal files"):

  - the checker's own JSON (policies/examples/communes.json): with --mode selection, what
    each unit's proposal would be refused for and the selection rules' verdict; with
    --mode evaluation, the verdict on each commune with a report, a reason per criterion;
  - a unit's proposal file (.csv, .xlsx or .json) with --unit and --province (a sample
    province such as quang-ngai, a 2025 province code such as 51, or a registry CSV):
    what the proposal would be refused for, and the rules' verdict on its communes;
  - a commune's transformation report (.json, as "starter report submit" takes) with
    --commune, --types and --province, in --mode evaluation: the verdict.

Invalid figures (negative counts, counts above the plausible bound, numbers that are not
counts) are refused with exit status 2, each where it is in the file, and nothing is
computed on them. --policy is a shipped policy (000 … 005) or a policy file.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			pol, err := policies.Resolve(policyArg)
			if err != nil {
				return err
			}
			lang := x.lang
			f, err := intake.ReadFile(input, intake.MaxCheckInputBytes)
			if err != nil {
				return err
			}
			out, in, err := checkFile(pol, f, a)
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(x.out)
				enc.SetIndent("", "  ")
				return enc.Encode(out)
			}
			printCheck(x.out, lang, pol, in, out)
			return nil
		},
	}
	cmd.Flags().StringVar(&policyArg, "policy", "000", "shipped policy ID (000–005) or policy file (.yaml, .json)")
	cmd.Flags().StringVar(&input, "input", "", "the file to check: the checker's JSON, a proposal (.csv, .xlsx, .json) or a report (.json)")
	cmd.Flags().StringVar(&a.mode, "mode", "", "selection or evaluation (default: evaluation for the checker's JSON and reports, selection for proposals)")
	cmd.Flags().StringVar(&a.unit, "unit", "", "a proposal file's unit (district code, or commune code in a two-tier province)")
	cmd.Flags().StringVar(&a.province, "province", "", "the registry for a proposal or report file: sample province (quang-ngai, …), 2025 province code, or registry CSV")
	cmd.Flags().StringVar(&a.commune, "commune", "", "a report file's commune code")
	cmd.Flags().StringVar(&a.types, "types", "", "a report file's commune types, e.g. 1,4")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	_ = cmd.MarkFlagRequired("input")
	return cmd
}

// checkFile reads a file the checker is given, tells what it is, and
// checks it. in is the checker's input when the file is one (for the
// printed header).
func checkFile(pol cycle.Policy, f intake.File, a checkArgs) (CheckOutput, *cycle.CheckInput, error) {
	out, in, err := readAndCheck(pol, f, a)
	out.Problems = cycle.Bound(out.Problems, cycle.MaxProblems) // --json lists no more than the text does
	return out, in, err
}

func readAndCheck(pol cycle.Policy, f intake.File, a checkArgs) (CheckOutput, *cycle.CheckInput, error) {
	kind, err := inputKind(f)
	if err != nil {
		return CheckOutput{}, nil, err
	}
	switch kind {
	case inputProposal:
		if a.mode == "" {
			a.mode = "selection"
		}
		out, err := checkProposal(pol, f, a)
		return out, nil, err
	case inputReport:
		if a.mode == "" {
			a.mode = "evaluation"
		}
		out, err := checkReport(pol, f, a)
		return out, nil, err
	}
	if a.mode == "" {
		a.mode = "evaluation"
	}
	in, doc, err := intake.ReadCheckInput(f)
	if err != nil {
		return CheckOutput{}, nil, err
	}
	out, err := runCheck(pol, in, doc.Origins(), a.mode)
	out.Input = inputChecker
	return out, &in, err
}

// inputKind tells the checker's JSON from a proposal and a report: a
// table is a proposal; JSON by its keys ("communes"; "statistics",
// "proposed" or "unit"; "figures" or "baseline").
func inputKind(f intake.File) (string, error) {
	format, err := f.FormatOf()
	if err != nil {
		return "", err
	}
	if format != intake.JSON {
		return inputProposal, nil
	}
	text, _, _, err := intake.DecodeText(f.Data)
	if err != nil {
		return inputChecker, nil // the strict reading says what is wrong, naming the file
	}
	var keys map[string]json.RawMessage
	if json.Unmarshal([]byte(text), &keys) != nil {
		return inputChecker, nil // the strict reading says what is wrong
	}
	switch {
	case keys["communes"] != nil:
		return inputChecker, nil
	case keys["statistics"] != nil || keys["proposed"] != nil || keys["unit"] != nil:
		return inputProposal, nil
	case keys["figures"] != nil || keys["baseline"] != nil:
		return inputReport, nil
	}
	return inputChecker, nil
}

func init() {
	cycle.DefineMessages(map[string]cycle.Text{
		"check.mode":          {VI: "--mode %[1]s: hãy chọn selection hoặc evaluation", EN: "--mode %[1]q: want selection or evaluation"},
		"check.no_report":     {VI: "Đánh giá: không xã nào trong tệp có báo cáo", EN: "evaluation: no commune in the input has a report"},
		"check.figures_bad":   {VI: "Số liệu của tệp chưa dùng được: không tính toán gì trên số liệu này", EN: "the file's figures cannot be used: nothing is computed on them"},
		"check.need":          {VI: "Tệp %[1]s cần %[2]s", EN: "a %[1]s file needs %[2]s"},
		"check.mode_proposal": {VI: "Tệp đề xuất được kiểm tra với --mode selection", EN: "a proposal file is checked with --mode selection"},
		"check.mode_report":   {VI: "Tệp báo cáo được kiểm tra với --mode evaluation", EN: "a report file is checked with --mode evaluation"},
		"check.province":      {VI: "Không tìm thấy tỉnh %[1]s: hãy ghi tên tỉnh mẫu (%[2]s), mã tỉnh năm 2025 hoặc tệp danh mục CSV", EN: "no province %[1]q: give a sample province (%[2]s), a 2025 province code or a registry CSV"},
		"check.commune":       {VI: "Mã xã \"%[1]s\" không thuộc %[2]s", EN: "commune code %[1]q is not in %[2]s"},
		"check.types":         {VI: "--types %[1]s: hãy ghi các loại 1–4, ví dụ 1,4", EN: "--types %[1]q: want types 1–4, e.g. 1,4"},
	})
}

// runCheck applies the policy to the checker's input: pure, no I/O. The
// origins place the problems found in the input file.
func runCheck(pol cycle.Policy, in cycle.CheckInput, origins cycle.Origins, mode string) (CheckOutput, error) {
	out := CheckOutput{Policy: pol.ID, Mode: mode}
	switch mode {
	case "selection":
		prov, props, err := in.Selection()
		if err != nil {
			origins.LocateError(err)
			return out, err
		}
		at := map[string]int{} // commune code → its index in the file
		for i, c := range in.Communes {
			at[c.Code] = i
		}
		for _, p := range props {
			err := cycle.ValidateProposal(prov, pol, p)
			ce, ok := err.(*cycle.Error)
			if !ok {
				continue
			}
			// The unit's proposal is made of the file's communes: place its
			// problems on them.
			unitOrigins := cycle.Origins{}
			for i, s := range p.Statistics {
				if l, ok := origins["communes["+strconv.Itoa(at[s.Commune])+"]"]; ok {
					unitOrigins["statistics["+strconv.Itoa(i)+"]"] = l
				}
			}
			for i, pc := range p.Proposed {
				k := "communes[" + strconv.Itoa(at[pc.Commune]) + "]"
				if l, ok := origins[k]; ok {
					unitOrigins["proposed["+strconv.Itoa(i)+"]"] = l
				}
				if l, ok := origins[k+".types"]; ok {
					unitOrigins["proposed["+strconv.Itoa(i)+"].types"] = l
				}
			}
			unitOrigins.Locate(ce.Problems)
			for _, pr := range ce.Problems {
				pr.Field = fmt.Sprintf("unit %s: %s", p.Unit, pr.Field)
				out.Problems = append(out.Problems, pr)
			}
		}
		sel := cycle.Select(prov, pol, props)
		out.Selection = &sel
	case "evaluation":
		reports := in.ReportsUnder(pol) // a two-tier file: compared as the policy's two_tier_area says
		if len(reports) == 0 {
			return out, cycle.Fail(cycle.EINVALID, "check.no_report")
		}
		for _, r := range reports {
			v, err := cycle.Evaluate(pol, r)
			if err != nil {
				return out, err
			}
			out.Verdicts = append(out.Verdicts, v)
		}
	default:
		return out, cycle.Fail(cycle.EINVALID, "check.mode", mode)
	}
	return out, nil
}

// checkProposal checks a unit's proposal file: read as the CLI and the
// API read it, then the rules the workflow applies. Problems of the
// figures themselves — unknown or foreign communes, missing, negative or
// implausible figures — refuse the file (nothing is computed on them);
// the selection rules' problems are listed with the rules' verdict on the
// unit's communes.
func checkProposal(pol cycle.Policy, f intake.File, a checkArgs) (CheckOutput, error) {
	out := CheckOutput{Policy: pol.ID, Mode: a.mode, Input: inputProposal}
	if a.mode != "selection" {
		return out, cycle.Fail(cycle.EINVALID, "check.mode_proposal")
	}
	if a.unit == "" || a.province == "" {
		return out, cycle.Fail(cycle.EINVALID, "check.need", cycle.Word{VI: "đề xuất", EN: "proposal"}, cycle.Word{VI: "--unit và --province", EN: "--unit and --province"})
	}
	prov, err := resolveProvince(a.province)
	if err != nil {
		return out, err
	}
	p, origins, err := intake.ReadProposal(f, a.unit)
	if err != nil {
		return out, err
	}
	out.Unit, out.Province = prov.UnitName(p.Unit)+" ("+p.Unit+")", prov.Name
	err = cycle.ValidateProposal(prov, pol, p)
	if ce, ok := err.(*cycle.Error); ok {
		probs := origins.Placed(ce.Problems)
		for _, pr := range probs {
			if strings.HasPrefix(pr.Rule, "statistics.") || strings.HasPrefix(pr.Rule, "registry.") {
				// Figures that cannot be used: say every problem, compute nothing.
				e := cycle.Fail(cycle.EINVALID, "check.figures_bad")
				e.Problems = cycle.Bound(probs, cycle.MaxProblems)
				return out, e
			}
		}
		out.Problems = probs
	}
	sel := cycle.Select(prov, pol, []cycle.Proposal{p})
	out.Selection = &sel
	return out, nil
}

// checkReport checks a commune's report file: read as `starter report
// submit` sends it, validated as the workflow does (every figure the
// commune's criteria need), then evaluated.
func checkReport(pol cycle.Policy, f intake.File, a checkArgs) (CheckOutput, error) {
	out := CheckOutput{Policy: pol.ID, Mode: a.mode, Input: inputReport}
	if a.mode != "evaluation" {
		return out, cycle.Fail(cycle.EINVALID, "check.mode_report")
	}
	if a.commune == "" || a.types == "" || a.province == "" {
		return out, cycle.Fail(cycle.EINVALID, "check.need", cycle.Word{VI: "báo cáo", EN: "report"}, cycle.Word{VI: "--commune, --types và --province", EN: "--commune, --types and --province"})
	}
	prov, err := resolveProvince(a.province)
	if err != nil {
		return out, err
	}
	c, ok := prov.Commune(a.commune)
	if !ok {
		return out, cycle.Fail(cycle.EINVALID, "check.commune", a.commune, prov.Name)
	}
	var types cycle.Types
	for _, s := range strings.FieldsFunc(a.types, func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
		n, err := strconv.Atoi(s)
		if err != nil || !cycle.CrimeType(n).Valid() {
			return out, cycle.Fail(cycle.EINVALID, "check.types", a.types)
		}
		types = append(types, cycle.CrimeType(n))
	}
	rep, origins, err := intake.ReadReport(f)
	if err != nil {
		return out, err
	}
	if pol.Evaluation == nil {
		return out, cycle.Errorf(cycle.EINVALID, "policy %s has no evaluation method", pol.ID)
	}
	if err := cycle.ValidateReport(pol, types, c.Kind, rep); err != nil {
		origins.LocateError(err)
		return out, err
	}
	v, err := cycle.Evaluate(pol, cycle.CommuneReport{Commune: c.Code, Name: c.Name, Kind: c.Kind, Types: types, Figures: rep.Figures, Baseline: rep.Baseline, Area: rep.Area})
	if err != nil {
		return out, err
	}
	out.Verdicts = []cycle.Verdict{v}
	return out, nil
}

// resolveProvince finds the registry a proposal or report file is checked
// against: a sample province by its slug, a province of 2025 by its code,
// or a registry CSV file.
func resolveProvince(arg string) (cycle.Province, error) {
	for _, slug := range sample.Provinces() {
		if slug == arg {
			p, _, err := sample.Province(slug)
			return p, err
		}
	}
	if st, err := os.Stat(arg); err == nil && st.Mode().IsRegular() {
		f, err := intake.ReadFile(arg, intake.MaxCheckInputBytes)
		if err != nil {
			return cycle.Province{}, err
		}
		text, _, _, err := intake.DecodeText(f.Data)
		if err != nil {
			return cycle.Province{}, err
		}
		return cycle.ReadRegistryCSV(strings.NewReader(text))
	}
	all, err := sample.Communes2025()
	if err != nil {
		return cycle.Province{}, err
	}
	for _, p := range all {
		if p.Code == arg {
			return p, nil
		}
	}
	return cycle.Province{}, cycle.Fail(cycle.EINVALID, "check.province", arg, strings.Join(sample.Provinces(), ", "))
}

func init() {
	cycle.DefineMessages(map[string]cycle.Text{
		"check.out.policy":    {VI: "Chính sách %[1]s — %[2]s", EN: "Policy %[1]s — %[2]s"},
		"check.out.selection": {VI: "Lựa chọn (tối đa %[1]s%% số xã của %[2]s) trên %[3]s của %[4]s", EN: "Selection (cap %[1]s%% of the communes of %[2]s) over %[3]s of %[4]s"},
		"check.out.unit":      {VI: "Đề xuất của %[1]s: chỉ tính trên số liệu của đơn vị này; giới hạn số xã được chọn tính trên cả tỉnh khi tổng hợp", EN: "Proposal of %[1]s: computed on this unit's figures only; the cap is over the whole province when the proposals are consolidated"},
		"check.out.refused":   {VI: "Đề xuất sẽ bị từ chối vì:", EN: "The proposals would be refused for:"},
		"check.out.eval":      {VI: "Đánh giá (%[1]s) đối với %[2]s", EN: "Evaluation (%[1]s) of %[2]s"},
	})
}

// printCheck prints the checker's result for officers: headings and
// problems in their language (where each is in the file); the rules'
// tables as `cycle selection` and the verdicts print them.
func printCheck(w io.Writer, lang cycle.Lang, pol cycle.Policy, in *cycle.CheckInput, out CheckOutput) {
	fmt.Fprintln(w, cycle.Say(lang, "check.out.policy", pol.ID, pol.Name))
	if out.Selection != nil {
		scope := cycle.Word{VI: "cả tỉnh", EN: "the province"}
		if pol.Selection.CapScope == cycle.CapDistrict {
			scope = cycle.Word{VI: "mỗi huyện", EN: "each district"}
		}
		communes, province := out.Selection.TotalCommunes, cycle.Word{VI: orName(out.Province, "tỉnh"), EN: orName(out.Province, "the province")}
		if in != nil {
			communes, province = len(in.Communes), cycle.Word{VI: orName(in.Province, "tỉnh"), EN: orName(in.Province, "the province")}
		}
		fmt.Fprintln(w, cycle.Say(lang, "check.out.selection", cycle.Int(pol.Selection.CapPercent), scope, cycle.Count{N: communes, VI: "xã", EN: "commune", ENPl: "communes"}, province))
		if out.Input == inputProposal {
			fmt.Fprintln(w, cycle.Say(lang, "check.out.unit", out.Unit))
		}
		fmt.Fprintln(w)
		if len(out.Problems) > 0 {
			fmt.Fprintln(w, cycle.Say(lang, "check.out.refused"))
			for _, p := range cycle.Bound(out.Problems, cycle.MaxProblems) {
				unit, _, _ := strings.Cut(p.Field, ":")
				prefix := ""
				if strings.HasPrefix(unit, "unit ") {
					prefix = strings.Replace(unit, "unit ", cycle.Word{VI: "đơn vị ", EN: "unit "}.Say(lang), 1) + ": "
				}
				fmt.Fprintf(w, "  - %s%s\n", prefix, p.In(lang))
			}
			fmt.Fprintln(w)
		}
		display.Selection(w, *out.Selection, 0)
		return
	}
	fmt.Fprintln(w, cycle.Say(lang, "check.out.eval", pol.Evaluation.Method, cycle.Count{N: len(out.Verdicts), VI: "xã", EN: "commune", ENPl: "communes"}))
	for _, v := range out.Verdicts {
		fmt.Fprintf(w, "\n%s (%s)", v.Name, v.Commune)
		if len(v.Types) > 0 {
			fmt.Fprintf(w, ", Loại %s", v.Types)
		}
		fmt.Fprintf(w, ": %s — %s\n", strings.ToUpper(string(v.Outcome)), v.Summary)
		tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
		for _, r := range v.Results {
			mark := "ok"
			switch {
			case r.Skipped:
				mark = "—"
			case !r.Passed:
				mark = "FAIL"
			}
			if r.Required && pol.Evaluation.Method == cycle.MethodScore {
				mark += " (disqualifier)"
			} else if r.Required {
				mark += " (required)"
			}
			pts := ""
			if pol.Evaluation.Method == cycle.MethodScore && !r.Required {
				pts = fmt.Sprintf("%g/%g", r.Points, r.MaxPoints)
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", mark, r.ID, pts, r.Detail)
		}
		tw.Flush()
	}
}

func orName(s, d string) string {
	if s == "" {
		return d
	}
	return s
}
