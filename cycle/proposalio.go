package cycle

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// MaxProposalBytes bounds a proposal file: a district's table is a few
// kilobytes; anything near this is not a proposal.
const MaxProposalBytes = 4 << 20

// MaxProposalRows bounds the rows of a proposal table: one row per commune
// of the unit, and no district has had more than about seventy communes.
// What is sent on to the cycle's workflow stays small.
const MaxProposalRows = 1000

// Bounds on the free text of a proposal, in characters: a reason is a few
// sentences, a note a paragraph or two.
const (
	MaxReasonChars = 2000
	MaxNoteChars   = 4000
)

// ProposalColumn is a column of the table form of a proposal (CSV or
// Excel): its key (the English name older files use), its Vietnamese
// title (what the published template writes) and other titles officers
// write for it. Headers are matched without case, diacritics or a note in
// brackets: "Mã xã", "MA XA", "Mã xã (5 chữ số)" and "commune_code" are
// the same column.
type ProposalColumn struct {
	Key      string
	Title    string
	Aliases  []string
	Required bool
}

// ProposalColumns are the columns of the table form, in the template's
// order. "commune_name" is for people and optional, as is "reason".
var ProposalColumns = []ProposalColumn{
	{Key: "commune_code", Title: "Mã xã", Aliases: []string{"Mã đơn vị hành chính", "Mã ĐVHC", "Mã xã, phường, thị trấn", "Mã"}, Required: true},
	{Key: "commune_name", Title: "Tên xã", Aliases: []string{"Tên xã, phường, thị trấn", "Tên đơn vị", "Tên", "Xã, phường, thị trấn"}},
	{Key: "social_order_crimes", Title: "Số vụ phạm pháp hình sự về TTXH", Aliases: []string{"Số vụ phạm tội xâm phạm TTXH", "Số vụ phạm tội về TTXH", "Số vụ phạm tội xâm phạm trật tự xã hội", "Số vụ TTXH"}, Required: true},
	{Key: "economic_cases", Title: "Số vụ về trật tự quản lý kinh tế", Aliases: []string{"Số vụ về kinh tế", "Số vụ kinh tế"}, Required: true},
	{Key: "environment_cases", Title: "Số vụ về môi trường, tài nguyên, an toàn thực phẩm", Aliases: []string{"Số vụ về môi trường", "Số vụ môi trường"}, Required: true},
	{Key: "drug_cases", Title: "Số vụ về ma túy", Aliases: []string{"Số vụ ma túy", "Số vụ phạm tội về ma túy"}, Required: true},
	{Key: "proposed", Title: "Đề xuất", Aliases: []string{"Đề xuất chuyển hóa", "Đề nghị"}, Required: true},
	{Key: "types", Title: "Loại", Aliases: []string{"Loại địa bàn", "Phân loại"}, Required: true},
	{Key: "reason", Title: "Lý do", Aliases: []string{"Lý do đề xuất", "Đánh giá", "Ghi chú"}},
}

// ProposalCSVHeader lists the columns' keys, the header older files use
// (still read).
var ProposalCSVHeader = func() []string {
	out := make([]string, len(ProposalColumns))
	for i, c := range ProposalColumns {
		out[i] = c.Key
	}
	return out
}()

// ProposalCSVTitles lists the columns' Vietnamese titles: the header the
// published template and WriteProposalCSV write.
var ProposalCSVTitles = func() []string {
	out := make([]string, len(ProposalColumns))
	for i, c := range ProposalColumns {
		out[i] = c.Title
	}
	return out
}()

// proposalColumnOf maps a header's folded text to its column's key.
var proposalColumnOf = func() map[string]string {
	out := map[string]string{}
	for _, c := range ProposalColumns {
		for _, t := range append([]string{c.Key, c.Title}, c.Aliases...) {
			out[FoldHeader(t)] = c.Key
		}
	}
	return out
}()

// FoldHeader reduces a column's header to what matches it: lower case,
// without diacritics (đ as d), without a note in brackets, words joined
// by single spaces ("Mã xã (5 chữ số)" → "ma xa"; "commune_code" →
// "commune code").
func FoldHeader(s string) string {
	s = norm.NFD.String(strings.ToLower(Clean(s)))
	var b strings.Builder
	depth := 0
	space := false
	for _, r := range s {
		switch {
		case r == '(' || r == '[':
			depth++
			continue
		case r == ')' || r == ']':
			if depth > 0 {
				depth--
			}
			continue
		case depth > 0:
			continue
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ':
			r = 'd'
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
			continue
		}
		space = true
	}
	return b.String()
}

func init() {
	defineMessages(map[string]Text{
		"table.column":         {VI: "Thiếu cột «%[1]s» (%[2]s)", EN: "missing column %[2]s (“%[1]s”)"},
		"table.column_twice":   {VI: "Cột «%[1]s» có hai lần (cột %[2]s và cột %[3]s)", EN: "column “%[1]s” appears twice (columns %[2]s and %[3]s)"},
		"table.header":         {VI: "Dòng tiêu đề có %[1]s khi đọc %[2]s: %[3]s", EN: "the header has %[1]s when read as %[2]s: %[3]s"},
		"table.empty":          {VI: "Tệp không có dòng tiêu đề: hãy dùng biểu mẫu đề xuất", EN: "the file has no header row: use the proposal template"},
		"table.rows":           {VI: "Tệp có %[1]s dòng số liệu, vượt giới hạn %[2]s dòng của một đề xuất (mỗi xã của đơn vị một dòng)", EN: "the file has %[1]s rows of figures, over the limit of %[2]s for a proposal (one row per commune of the unit)"},
		"table.required":       {VI: "Mã xã để trống", EN: "commune code is empty"},
		"table.number":         {VI: "%[1]s không phải là số", EN: "%[1]s is not a number"},
		"table.too_large":      {VI: "Số %[1]s quá lớn", EN: "%[1]s is too large"},
		"table.negative":       {VI: "Số liệu không được âm: %[1]s", EN: "a figure must not be negative: %[1]s"},
		"table.integer":        {VI: "Số vụ phải là số nguyên: %[1]s", EN: "a number of cases is a whole number: %[1]s"},
		"table.grouping":       {VI: "%[1]s có dấu phân cách hàng nghìn, dễ nhầm với dấu thập phân: hãy ghi số không có dấu chấm, dấu phẩy hay khoảng trắng (ví dụ 1234)", EN: "%[1]s has a thousands separator, easily mistaken for a decimal mark: write the number without dots, commas or spaces (e.g. 1234)"},
		"table.proposed":       {VI: "Cột «Đề xuất» ghi %[1]s: hãy ghi x cho xã được đề xuất, để trống nếu không", EN: "%[1]s: want x or empty"},
		"table.type":           {VI: "%[1]s không phải là số loại địa bàn (1–4)", EN: "%[1]s is not a type number (1–4)"},
		"table.types_unmarked": {VI: "Có ghi loại nhưng xã không được đánh dấu đề xuất", EN: "types given for a commune not marked as proposed"},
		"text.too_long":        {VI: "%[1]s dài %[2]s ký tự, vượt giới hạn %[3]s ký tự", EN: "%[1]s is %[2]s characters long, over the limit of %[3]s"},
		"proposal.no_unit":     {VI: "Đề xuất không ghi của đơn vị nào", EN: "the proposal does not say which unit it is from"},
		"proposal.other_unit":  {VI: "Tệp là đề xuất của đơn vị \"%[1]s\", không phải của đơn vị \"%[2]s\"", EN: "the file is the proposal of unit %[1]q, not %[2]q"},
		"proposal.refused":     {VI: "Đề xuất của đơn vị %[1]s chưa hợp lệ", EN: "proposal of unit %[1]s"},
		"proposal.table":       {VI: "Bảng đề xuất chưa hợp lệ (%[1]s)", EN: "proposal table (%[1]s)"},
	})
}

// Kinds of free text, for the length problem.
var (
	wordReason = Word{VI: "Lý do", EN: "the reason"}
	wordNote   = Word{VI: "Ghi chú", EN: "the note"}
)

// ReadProposalTable reads a proposal from its table form (see
// ProposalColumns) for a unit: one row per commune with its four figures;
// "x" in Đề xuất for a proposed commune, its types in Loại ("1;4"), its
// reason in Lý do. Every problem is listed at once, each with its place
// in the file; the Origins map the proposal's paths (statistics[3],
// proposed[1].types) to the file's cells, for the problems the rules find
// later. The proposal is refused as a whole if any row is wrong.
func ReadProposalTable(t Table, unit string) (Proposal, Origins, error) {
	if len(t.Header.Cells) == 0 || t.Header.Blank() {
		return Proposal{}, nil, tableError(t, []Problem{located(NewProblem("table.empty"), Location{Sheet: t.Sheet})})
	}
	t = findHeader(t)
	col := map[string]int{}
	var probs []Problem
	for i, h := range t.Header.Cells {
		key, ok := proposalColumnOf[FoldHeader(h)]
		if !ok {
			continue // unknown columns are for people
		}
		if j, twice := col[key]; twice {
			p := NewProblem("table.column_twice", strings.TrimSpace(h), columnName(t, j), columnName(t, i))
			p.Field = key
			probs = append(probs, located(p, t.At(t.Header.Line, i)))
			continue
		}
		col[key] = i
	}
	missing := false
	for _, c := range ProposalColumns {
		if _, ok := col[c.Key]; !ok && c.Required {
			p := NewProblem("table.column", c.Title, c.Key)
			p.Field = c.Key
			probs = append(probs, located(p, t.At(t.Header.Line, -1)))
			missing = true
		}
	}
	if missing {
		// Say how the header was read: a separator or an encoding taken
		// wrongly shows at once ("1 cột: «Mã xã;Tên xã;…»").
		cells := make([]string, len(t.Header.Cells))
		for i, h := range t.Header.Cells {
			cells[i] = "«" + clip(strings.TrimSpace(h), 60) + "»"
		}
		n := Count{N: len(cells), VI: "cột", EN: "column", ENPl: "columns"}
		probs = append(probs, located(NewProblem("table.header", n, t.Dialect, clip(strings.Join(cells, ", "), 300)), t.At(t.Header.Line, -1)))
	}
	if len(probs) > 0 {
		return Proposal{}, nil, tableError(t, probs)
	}
	p := Proposal{Unit: unit}
	origins := Origins{}
	rows := 0
	for _, row := range t.Rows {
		if row.Blank() {
			continue
		}
		rows++
		at := func(key string) Location { return t.At(row.Line, col[key]) }
		get := func(key string) string {
			i, ok := col[key]
			if !ok {
				return ""
			}
			return Clean(row.Cell(i))
		}
		add := func(key, field, rule string, args ...any) {
			pr := NewProblem(rule, args...)
			pr.Field = field
			probs = append(probs, located(pr, at(key)))
		}
		code := get("commune_code")
		if code == "" {
			add("commune_code", "", "table.required")
			continue
		}
		label := code
		if name := get("commune_name"); name != "" {
			label = name + " (" + code + ")"
		}
		var f Figures
		field := fmt.Sprintf("statistics[%d]", len(p.Statistics))
		for _, k := range []struct {
			key string
			v   *int
		}{{"social_order_crimes", &f.SocialOrderCrimes}, {"economic_cases", &f.EconomicCases}, {"environment_cases", &f.EnvironmentCases}, {"drug_cases", &f.DrugCases}} {
			n, rule, ok := ParseCount(get(k.key))
			if !ok {
				pr := NewProblem(rule, Quote(get(k.key)))
				pr.Field, pr.Commune = field+"."+k.key, label
				probs = append(probs, located(pr, at(k.key)))
			}
			*k.v = n
			origins[field+"."+k.key] = at(k.key)
		}
		origins[field] = at("commune_code")
		p.Statistics = append(p.Statistics, CommuneFigures{Commune: code, Figures: f})
		types := get("types")
		switch proposedMark(get("proposed")) {
		case markNo:
			if types != "" {
				pr := NewProblem("table.types_unmarked")
				pr.Field, pr.Commune = "types", label
				probs = append(probs, located(pr, at("types")))
			}
		case markYes:
			pf := fmt.Sprintf("proposed[%d]", len(p.Proposed))
			pc := ProposedCommune{Commune: code, Reason: get("reason")}
			for _, s := range splitTypes(types) {
				n, err := strconv.Atoi(s)
				if err != nil || n < -1000 || n > 1000 {
					pr := NewProblem("table.type", Quote(s))
					pr.Field, pr.Commune = pf+".types", label
					probs = append(probs, located(pr, at("types")))
					continue
				}
				pc.Types = append(pc.Types, CrimeType(n))
			}
			if n := len([]rune(pc.Reason)); n > MaxReasonChars {
				pr := NewProblem("text.too_long", wordReason, Int(n), Int(MaxReasonChars))
				pr.Field, pr.Commune = pf+".reason", label
				probs = append(probs, located(pr, at("reason")))
			}
			origins[pf] = at("commune_code")
			origins[pf+".types"] = at("types")
			if _, ok := col["reason"]; ok {
				origins[pf+".reason"] = at("reason")
			}
			p.Proposed = append(p.Proposed, pc)
		default:
			pr := NewProblem("table.proposed", Quote(get("proposed")))
			pr.Field, pr.Commune = "proposed", label
			probs = append(probs, located(pr, at("proposed")))
		}
	}
	if rows > MaxProposalRows {
		// First: the one problem that explains all the others.
		probs = append([]Problem{located(NewProblem("table.rows", Int(rows), Int(MaxProposalRows)), Location{Sheet: t.Sheet})}, probs...)
	}
	if len(probs) > 0 {
		return Proposal{}, nil, tableError(t, probs)
	}
	p, err := ProposalOfUnit(p, unit)
	return p, origins, err
}

// findHeader takes as the header the first of the table's first rows
// that names three of the columns, when the first row names fewer: an
// office often puts its name and a title above the table.
func findHeader(t Table) Table {
	known := func(r TableRow) int {
		n := 0
		for _, h := range r.Cells {
			if _, ok := proposalColumnOf[FoldHeader(h)]; ok {
				n++
			}
		}
		return n
	}
	if known(t.Header) >= 3 {
		return t
	}
	for i := 0; i < len(t.Rows) && i < 10; i++ {
		if known(t.Rows[i]) >= 3 {
			t.Header, t.Rows = t.Rows[i], t.Rows[i+1:]
			return t
		}
	}
	return t
}

func tableError(t Table, probs []Problem) error {
	return &Error{Code: EINVALID, Message: Say(English, "proposal.table", t.Dialect), Text: Say(Vietnamese, "proposal.table", t.Dialect), Problems: Bound(probs, MaxProblems)}
}

// located sets a problem's place in the file.
func located(p Problem, l Location) Problem {
	p.Where = &l
	return p
}

func columnName(t Table, i int) string {
	if t.Sheet != "" {
		return ColumnLetters(i)
	}
	return strconv.Itoa(i + 1)
}

type mark int

const (
	markNo mark = iota
	markYes
	markUnknown
)

// proposedMark reads the Đề xuất cell: "x" (or có, yes, 1, true) or
// empty (or không, no, 0, false).
func proposedMark(s string) mark {
	t := strings.TrimSpace(s)
	switch t {
	case "", "-":
		return markNo
	case "✓", "✔":
		return markYes
	}
	switch FoldHeader(t) {
	case "0", "no", "false", "khong":
		return markNo
	case "x", "1", "yes", "true", "co", "de xuat":
		return markYes
	}
	return markUnknown
}

// splitTypes splits a Loại cell: "1;4", "1, 4", "1 4", "Loại 1; Loại 4".
func splitTypes(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == ',' || r == ' ' || r == '+' || r == '/' }) {
		if k := FoldHeader(f); k == "loai" || k == "l" {
			continue
		}
		f = strings.TrimPrefix(strings.TrimPrefix(f, "Loại"), "loại")
		if f != "" {
			out = append(out, f)
		}
	}
	return out
}

// ParseCount reads a count (a number of cases, of households) as officers
// write it: "12"; "12,0" or "12.0" (a spreadsheet's decimal with nothing
// after the mark) is 12. Refused, with the rule that says why: a fraction
// ("12,5": a count is whole), a negative number, thousands grouped with a
// dot, comma or space ("1.234" reads as 1234 in Vietnamese and as 1.234
// in English: ambiguous), a number too large to be a count, anything
// else. An empty cell is 0.
func ParseCount(s string) (n int, rule string, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, "", true
	}
	neg := false
	if rest, cut := strings.CutPrefix(s, "-"); cut {
		neg, s = true, strings.TrimSpace(rest)
	} else if rest, cut := strings.CutPrefix(s, "−"); cut { // U+2212 minus sign
		neg, s = true, strings.TrimSpace(rest)
	} else {
		s = strings.TrimPrefix(s, "+")
	}
	if s == "" || strings.IndexFunc(s, func(r rune) bool {
		return !(r >= '0' && r <= '9' || r == '.' || r == ',' || r == ' ' || r == '\u00a0' || r == '\u202f')
	}) >= 0 {
		return 0, "table.number", false
	}
	digits, frac, hasFrac := s, "", false
	if i := strings.LastIndexAny(s, ".,"); i >= 0 {
		digits, frac, hasFrac = s[:i], s[i+1:], true
	}
	switch {
	case strings.ContainsAny(digits, ". ,\u00a0\u202f"):
		return 0, "table.grouping", false // 1.234.567, 1 234,5
	case strings.ContainsAny(frac, " \u00a0\u202f"), digits == "":
		return 0, "table.number", false
	case hasFrac && len(frac) == 3 && strings.Trim(frac, "0") != "":
		return 0, "table.grouping", false // 1.234 or 1,234: which?
	case hasFrac && strings.Trim(frac, "0") != "":
		return 0, "table.integer", false // 12,5
	case hasFrac && len(frac) == 3:
		return 0, "table.grouping", false // 12.000: twelve thousand, or twelve?
	case hasFrac && frac == "":
		return 0, "table.number", false // "12."
	}
	if neg && strings.Trim(digits, "0") != "" {
		return 0, "table.negative", false
	}
	v, err := strconv.Atoi(digits)
	if err != nil {
		if errors.Is(err, strconv.ErrRange) {
			return 0, "table.too_large", false
		}
		return 0, "table.number", false
	}
	if v > 1_000_000_000 {
		return 0, "table.too_large", false
	}
	return v, "", true
}

// ProposalOfUnit cleans a proposal read from a file and makes it the
// unit's: an empty unit takes unit; a file that names another unit, or a
// proposal without a unit, is refused.
func ProposalOfUnit(p Proposal, unit string) (Proposal, error) {
	p.Normalize()
	unit = Clean(unit)
	switch {
	case unit != "" && p.Unit == "":
		p.Unit = unit
	case unit != "" && p.Unit != unit:
		return Proposal{}, Fail(EINVALID, "proposal.other_unit", p.Unit, unit)
	case p.Unit == "":
		return Proposal{}, Fail(EINVALID, "proposal.no_unit")
	}
	return p, nil
}

// WriteProposalCSV writes a proposal in its table form, as CSV with the
// Vietnamese titles (ProposalCSVTitles), naming communes from the registry
// so that officers can read the file.
func WriteProposalCSV(w io.Writer, prov Province, p Proposal) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(ProposalCSVTitles); err != nil {
		return err
	}
	proposed := map[string]ProposedCommune{}
	for _, pc := range p.Proposed {
		proposed[pc.Commune] = pc
	}
	for _, s := range p.Statistics {
		c, _ := prov.Commune(s.Commune)
		mark, types, reason := "", "", ""
		if pc, ok := proposed[s.Commune]; ok {
			mark, reason = "x", pc.Reason
			types = strings.ReplaceAll(pc.Types.String(), ", ", ";")
		}
		rec := []string{s.Commune, c.Name, strconv.Itoa(s.SocialOrderCrimes), strconv.Itoa(s.EconomicCases), strconv.Itoa(s.EnvironmentCases), strconv.Itoa(s.DrugCases), mark, types, reason}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
