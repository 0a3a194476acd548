package cycle

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The Vietnamese texts of verdicts, criterion results and selection checks
// (Text beside the English Detail and Summary): what officers and
// documents read. Each is a catalogue message said with the figures'
// Vietnamese labels (FigureLabel) and Vietnamese numbers; the English
// side of each message is the same sentence for logs.
func init() {
	defineMessages(map[string]Text{
		// One check of a criterion.
		"eval.missing":          {VI: "chưa báo cáo %[1]s", EN: "%[1]s not reported"},
		"eval.baseline_missing": {VI: "chưa có số liệu kỳ so sánh của %[1]s", EN: "no baseline for %[1]s"},
		"eval.not_assessed":     {VI: "Hội đồng thẩm định chưa đánh giá", EN: "not assessed by the appraisers"},
		"eval.assessed_met":     {VI: "Hội đồng thẩm định đánh giá đạt", EN: "assessed as met"},
		"eval.assessed_unmet":   {VI: "Hội đồng thẩm định đánh giá không đạt", EN: "assessed as not met"},
		"eval.fact_met":         {VI: "%[1]s: %[2]s", EN: "%[1]s: %[2]s"},
		"eval.fact_unmet":       {VI: "%[1]s: %[2]s, yêu cầu: %[3]s", EN: "%[1]s: %[2]s, wanted %[3]s"},
		"eval.none_met":         {VI: "%[1]s: %[2]s (yêu cầu không có)", EN: "%[1]s %[2]s (none allowed)"},
		"eval.none_unmet":       {VI: "%[1]s: %[2]s, yêu cầu không có", EN: "%[1]s %[2]s, none allowed"},
		"eval.max_met":          {VI: "%[1]s: %[2]s, không quá %[3]s", EN: "%[1]s %[2]s, at most %[3]s"},
		"eval.max_unmet":        {VI: "%[1]s: %[2]s, vượt mức tối đa %[3]s", EN: "%[1]s %[2]s, above the most allowed %[3]s"},
		"eval.min_met":          {VI: "%[1]s: %[2]s, đạt mức tối thiểu %[3]s", EN: "%[1]s %[2]s, at least %[3]s"},
		"eval.min_unmet":        {VI: "%[1]s: %[2]s, yêu cầu ít nhất %[3]s", EN: "%[1]s %[2]s, below the least required %[3]s"},
		"eval.rate_min_met":     {VI: "%[1]s %[2]s (%[3]s/%[4]s), đạt yêu cầu từ %[5]s", EN: "%[1]s %[2]s (%[3]s of %[4]s), at least %[5]s"},
		"eval.rate_min_unmet":   {VI: "%[1]s %[2]s (%[3]s/%[4]s), yêu cầu từ %[5]s", EN: "%[1]s %[2]s (%[3]s of %[4]s), below the required %[5]s"},
		"eval.rate_below_met":   {VI: "%[1]s %[2]s (%[3]s/%[4]s), dưới %[5]s", EN: "%[1]s %[2]s (%[3]s of %[4]s), under %[5]s"},
		"eval.rate_below_unmet": {VI: "%[1]s %[2]s (%[3]s/%[4]s), yêu cầu dưới %[5]s", EN: "%[1]s %[2]s (%[3]s of %[4]s), not under %[5]s"},
		"eval.rate_none":        {VI: "không có %[1]s trong kỳ: không phải tính tỷ lệ", EN: "no %[1]s in the period: no rate to reach"},
		"eval.bands_none":       {VI: "%[1]s: không có %[2]s, không tính được tỷ lệ", EN: "%[1]s: no %[2]s, no rate"},
		"eval.bands_below":      {VI: "%[1]s %[2]s (%[3]s/%[4]s), dưới mức thấp nhất của thang điểm", EN: "%[1]s %[2]s (%[3]s of %[4]s), below the lowest band"},
		"eval.bands_met":        {VI: "%[1]s %[2]s (%[3]s/%[4]s): %[5]s điểm", EN: "%[1]s %[2]s (%[3]s of %[4]s): %[5]s points"},
		"eval.increased_met":    {VI: "%[1]s: %[2]s, nhiều hơn kỳ so sánh (%[3]s)", EN: "%[1]s %[2]s, above %[3]s before"},
		"eval.increased_unmet":  {VI: "%[1]s: %[2]s, không nhiều hơn kỳ so sánh (%[3]s)", EN: "%[1]s %[2]s, not above %[3]s before"},
		"eval.steady_met":       {VI: "%[1]s: %[2]s, không tăng so với kỳ so sánh (%[3]s)", EN: "%[1]s %[2]s, not above %[3]s before"},
		"eval.steady_unmet":     {VI: "%[1]s: %[2]s, tăng so với kỳ so sánh (%[3]s)", EN: "%[1]s %[2]s, above %[3]s before"},
		"eval.kept_zero":        {VI: "%[1]s: không có, kỳ so sánh cũng không có (giữ vững)", EN: "%[1]s 0, none before either: kept"},
		"eval.not_reduced":      {VI: "%[1]s: %[2]s, kỳ so sánh %[3]s: không giảm", EN: "%[1]s %[2]s, %[3]s before: no reduction"},
		"eval.reduced":          {VI: "%[1]s: %[2]s, kỳ so sánh %[3]s: giảm %[4]s", EN: "%[1]s %[2]s against %[3]s before: down %[4]s"},
		"eval.reduced_met":      {VI: "%[1]s: %[2]s, kỳ so sánh %[3]s: giảm %[4]s, đạt yêu cầu giảm ít nhất %[5]s", EN: "%[1]s %[2]s against %[3]s before: down %[4]s, at least %[5]s"},
		"eval.reduced_unmet":    {VI: "%[1]s: %[2]s, kỳ so sánh %[3]s: giảm %[4]s, yêu cầu giảm ít nhất %[5]s", EN: "%[1]s %[2]s against %[3]s before: down %[4]s, less than %[5]s"},
		"eval.average_none":     {VI: "chưa có số liệu bình quân một xã của địa bàn so sánh", EN: "no area average given"},
		"eval.average_met":      {VI: "%[1]s: %[2]s, không cao hơn bình quân một xã của %[3]s là %[4]s (%[5]s vụ/%[6]s xã)", EN: "%[1]s %[2]s, at most the average per commune of %[3]s, %[4]s (%[5]s crimes / %[6]s communes)"},
		"eval.average_unmet":    {VI: "%[1]s: %[2]s, cao hơn bình quân một xã của %[3]s là %[4]s (%[5]s vụ/%[6]s xã)", EN: "%[1]s %[2]s, above the average per commune of %[3]s, %[4]s (%[5]s crimes / %[6]s communes)"},
		"eval.unknown_rule":     {VI: "quy tắc so sánh %[1]q không có trong danh mục", EN: "unknown rule %[1]q"},

		// A verdict.
		"verdict.all":          {VI: "Đạt %[1]s/%[2]s tiêu chí (tiêu chí chung và tiêu chí của địa bàn loại %[3]s)", EN: "%[1]s of %[2]s criteria met (general and Loại %[3]s)"},
		"verdict.no_type":      {VI: "Chưa xác định loại địa bàn: không đánh giá được các tiêu chí theo loại địa bàn", EN: "no type (Loại) given: the criteria of the commune's types cannot be judged"},
		"verdict.share_met":    {VI: "Đạt %[1]s/%[2]s chỉ tiêu (%[3]s), đạt yêu cầu từ %[4]s", EN: "%[1]s of %[2]s indicators met: %[3]s, at least %[4]s"},
		"verdict.share_unmet":  {VI: "Đạt %[1]s/%[2]s chỉ tiêu (%[3]s), yêu cầu từ %[4]s", EN: "%[1]s of %[2]s indicators met: %[3]s, below %[4]s"},
		"verdict.required":     {VI: "không bảo đảm điều kiện bắt buộc", EN: "a required condition fails"},
		"verdict.excluded":     {VI: "Không xét do có điều kiện loại trừ; đạt %[1]s/%[2]s điểm", EN: "not considered: a disqualifying condition holds; %[1]s of %[2]s points"},
		"verdict.scored":       {VI: "Đạt %[1]s/%[2]s điểm; Kế hoạch không quy định mức điểm đạt, Hội đồng thẩm định kết luận", EN: "%[1]s of %[2]s points; the plan sets no pass mark: for the council"},
		"verdict.score_met":    {VI: "Đạt %[1]s điểm, từ mức điểm đạt %[2]s trở lên", EN: "%[1]s points, at least the pass mark %[2]s"},
		"verdict.score_unmet":  {VI: "Đạt %[1]s điểm, dưới mức điểm đạt %[2]s", EN: "%[1]s points, below the pass mark %[2]s"},
		"verdict.failed_count": {VI: "chưa đạt %[1]s", EN: "not met: %[1]s"},
		"verdict.no_method":    {VI: "Kế hoạch không quy định phương pháp đánh giá địa bàn chuyển hóa: Hội đồng thẩm định kết luận", EN: "the plan sets no evaluation method: the council decides"},

		// A selection check.
		"selection.check.not_new_rural": {VI: "Không phải xã đã được công nhận đạt chuẩn nông thôn mới", EN: "not a new-rural commune"},
		"selection.check.new_rural":     {VI: "Đã được công nhận đạt chuẩn nông thôn mới: không lựa chọn", EN: "recognised as meeting the new-rural standard: not selected"},
		"selection.check.types":         {VI: "Loại %[1]s có số vụ việc tương ứng trong kỳ", EN: "Loại %[1]s backed by cases"},
		"selection.check.type_empty":    {VI: "Loại %[1]d (%[2]s) nhưng không có %[3]s nào trong kỳ", EN: "Loại %[1]d (%[2]s) with 0 %[3]s"},
		"selection.check.no_type":       {VI: "Chưa xác định loại địa bàn", EN: "no type given"},
		"selection.check.above":         {VI: "%[1]s vụ phạm tội về trật tự xã hội, cao hơn bình quân một xã của %[2]s là %[3]s (%[4]s vụ/%[5]s xã)", EN: "%[1]s crimes against social order, above the average per commune of %[2]s, %[3]s (%[4]s crimes / %[5]s communes)"},
		"selection.check.not_above":     {VI: "%[1]s vụ phạm tội về trật tự xã hội, không cao hơn bình quân một xã của %[2]s là %[3]s (%[4]s vụ/%[5]s xã)", EN: "%[1]s crimes against social order, not above the average per commune of %[2]s, %[3]s (%[4]s crimes / %[5]s communes)"},
		"selection.check.in_cap":        {VI: "Thứ tự %[1]s trong giới hạn %[2]s địa bàn (%[3]s số đơn vị hành chính cấp xã của %[4]s)", EN: "place %[1]s of at most %[2]s (%[3]s of the communes of %[4]s)"},
		"selection.check.over_cap":      {VI: "Xếp thứ %[1]s, vượt giới hạn %[2]s địa bàn (%[3]s số đơn vị hành chính cấp xã của %[4]s)", EN: "rank %[1]s is beyond the cap of %[2]s (%[3]s of the communes of %[4]s)"},
	})
}

// figureText is a report figure as a clause names it: its label in the
// language, first letter lower case in Vietnamese (it is joined into a
// sentence); with Exclude, the figure less the cases excluded.
type figureText struct {
	Name    string
	Exclude string
}

// Say names the figure.
func (f figureText) Say(lang Lang) string {
	s := lowerFirst(FigureLabel(lang, f.Name))
	if lang == English {
		s = FigureLabel(English, f.Name)
	}
	if f.Exclude == "" {
		return s
	}
	if lang == English {
		return s + " less " + FigureLabel(English, f.Exclude)
	}
	if x, ok := excludedVI[f.Exclude]; ok {
		return s + " (" + x + ")"
	}
	return s + " (trừ " + lowerFirst(FigureLabel(Vietnamese, f.Exclude)) + ")"
}

// excludedVI says, after a figure, which cases are left out of it.
var excludedVI = map[string]string{
	"proactive_cases": "trừ các vụ chủ động phát hiện",
}

// rateText names the rate of one figure to another: the plans' own names
// for the rates they set, else "tỷ lệ A trên B".
type rateText struct{ Figure, Of string }

// rateNamesVI are the rates the plans name, keyed "figure/of".
var rateNamesVI = map[string]string{
	"tips_handled/tips_received":                    "tỷ lệ tố giác, tin báo về tội phạm được tiếp nhận, xử lý",
	"households_informed/households":                "tỷ lệ hộ dân được phổ biến, tuyên truyền về phòng, chống tội phạm",
	"cases_solved/cases_prosecuted":                 "tỷ lệ điều tra, khám phá tội phạm",
	"serious_cases_solved/serious_cases_prosecuted": "tỷ lệ điều tra, khám phá tội phạm rất nghiêm trọng, đặc biệt nghiêm trọng",
	"reoffenders/released_prisoners":                "tỷ lệ tái phạm tội trong số người chấp hành xong án phạt tù, được đặc xá về cư trú tại địa bàn",
	"cultured_families/households":                  "tỷ lệ hộ đạt danh hiệu “Gia đình văn hóa”",
}

// Say names the rate.
func (r rateText) Say(lang Lang) string {
	if lang == English {
		return FigureLabel(English, r.Figure) + "/" + FigureLabel(English, r.Of)
	}
	if s, ok := rateNamesVI[r.Figure+"/"+r.Of]; ok {
		return s
	}
	return "tỷ lệ " + lowerFirst(FigureLabel(Vietnamese, r.Figure)) + " trên " + lowerFirst(FigureLabel(Vietnamese, r.Of))
}

// yesNoText is a yes/no answer.
type yesNoText bool

// Say answers.
func (b yesNoText) Say(lang Lang) string {
	switch {
	case lang == English && bool(b):
		return "yes"
	case lang == English:
		return "no"
	case bool(b):
		return "có"
	}
	return "không"
}

// scopeText is the area a cap applies to: the province, or a district by name.
type scopeText string

// Say names the scope.
func (s scopeText) Say(lang Lang) string {
	if s != "" {
		return string(s)
	}
	if lang == English {
		return "the province"
	}
	return "toàn tỉnh"
}

// criteriaCount is a number of criteria.
func criteriaCount(n int) Count {
	return Count{N: n, VI: "tiêu chí", EN: "criterion", ENPl: "criteria"}
}

// points is a number of points ("1,5").
func points(v float64) Num { return Num{V: v, Digits: -1} }

// lowerFirst lower-cases the first letter, as a label reads inside a sentence.
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError || !unicode.IsUpper(r) {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

// upperFirst capitalises the first letter, as a text starts a sentence.
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError || !unicode.IsLower(r) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// joinClauses joins Vietnamese clauses into one sentence: "A; b; c".
func joinClauses(parts []string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return upperFirst(strings.Join(out, "; "))
}
