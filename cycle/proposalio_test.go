package cycle_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"chuyenhoa/cycle"
)

// table makes a decoded CSV table: the first row is the header, lines
// count from 1.
func table(rows ...[]string) cycle.Table {
	t := cycle.Table{Dialect: cycle.Word{VI: "tệp CSV thử", EN: "a test CSV"}, Header: cycle.TableRow{Line: 1, Cells: rows[0]}}
	for i, r := range rows[1:] {
		t.Rows = append(t.Rows, cycle.TableRow{Line: i + 2, Cells: r})
	}
	return t
}

func problemsOf(t *testing.T, err error) []cycle.Problem {
	t.Helper()
	var ce *cycle.Error
	if !errors.As(err, &ce) || ce.Code != cycle.EINVALID {
		t.Fatalf("want an EINVALID refusal, got %v", err)
	}
	return ce.Problems
}

// The Vietnamese titles of the template, their keys (older files) and
// the titles officers write are the same columns.
func TestReadProposalTableHeaders(t *testing.T) {
	want := cycle.Proposal{Unit: "A", Statistics: []cycle.CommuneFigures{fig("01", 10, 0, 1, 3)}, Proposed: []cycle.ProposedCommune{{Commune: "01", Types: cycle.Types{1, 4}, Reason: "Phức tạp"}}}
	for _, header := range [][]string{
		cycle.ProposalCSVTitles,
		cycle.ProposalCSVHeader,
		{"MÃ XÃ", "Tên xã, phường, thị trấn", "Số vụ phạm tội xâm phạm TTXH", "So vu ve kinh te", "Số vụ về môi trường (Loại 3)", "Số vụ ma túy", "Đề xuất (ghi x)", "Loại địa bàn", "Lý do đề xuất"},
	} {
		got, origins, err := cycle.ReadProposalTable(table(header, []string{"01", "Xã Một", "10", "0", "1,0", "3", "x", "1;4", "Phức tạp"}), "A")
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("header %q: %+v, %v", header, got, err)
		}
		if l := origins["proposed[0].types"]; l.Line != 2 || l.Column != header[7] {
			t.Fatalf("header %q: proposed[0].types is at %+v", header, l)
		}
	}
}

// An office's name and a title above the table do not hide its header.
func TestReadProposalTableTitleRows(t *testing.T) {
	tb := table([]string{"UBND HUYỆN BÌNH SƠN"}, []string{"BẢNG SỐ LIỆU ĐỀ XUẤT"}, cycle.ProposalCSVTitles, []string{"01", "Xã Một", "2", "0", "0", "0", "", "", ""})
	p, origins, err := cycle.ReadProposalTable(tb, "A")
	if err != nil || len(p.Statistics) != 1 || origins["statistics[0]"].Line != 4 {
		t.Fatalf("%+v %v %v", p, origins, err)
	}
}

// Every problem of a table is listed at once, each in the officer's
// words, where it is: the line and the column's title.
func TestReadProposalTableProblems(t *testing.T) {
	tb := table(cycle.ProposalCSVTitles,
		[]string{"01", "Xã Một", "10", "0", "0", "0", "x", "1;5x", ""},
		[]string{"02", "Xã Hai", "-3", "0", "0", "0", "", "", ""},
		[]string{"03", "Xã Ba", "2", "12,5", "1.234", "0", "có lẽ", "", ""},
		[]string{"", "Xã ?", "1", "0", "0", "0", "", "", ""},
		[]string{"04", "Thị trấn Bốn", "1", "0", "0", "0", "", "2", ""},
		[]string{"", "", "", "", "", "", "", "", ""},
	)
	_, _, err := cycle.ReadProposalTable(tb, "A")
	var got []string
	for _, p := range problemsOf(t, err) {
		got = append(got, p.In(cycle.Vietnamese)+" ["+p.Rule+"]")
	}
	want := []string{
		`dòng 2, cột «Loại», Xã Một (01): "5x" không phải là số loại địa bàn (1–4) [table.type]`,
		`dòng 3, cột «Số vụ phạm pháp hình sự về TTXH», Xã Hai (02): Số liệu không được âm: "-3" [table.negative]`,
		`dòng 4, cột «Số vụ về trật tự quản lý kinh tế», Xã Ba (03): Số vụ phải là số nguyên: "12,5" [table.integer]`,
		`dòng 4, cột «Số vụ về môi trường, tài nguyên, an toàn thực phẩm», Xã Ba (03): "1.234" có dấu phân cách hàng nghìn, dễ nhầm với dấu thập phân: hãy ghi số không có dấu chấm, dấu phẩy hay khoảng trắng (ví dụ 1234) [table.grouping]`,
		`dòng 4, cột «Đề xuất», Xã Ba (03): Cột «Đề xuất» ghi "có lẽ": hãy ghi x cho xã được đề xuất, để trống nếu không [table.proposed]`,
		`dòng 5, cột «Mã xã»: Mã xã để trống [table.required]`,
		`dòng 6, cột «Loại», Thị trấn Bốn (04): Có ghi loại nhưng xã không được đánh dấu đề xuất [table.types_unmarked]`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// A table whose header names none of the columns says which columns are
// missing and how the header was read: a separator taken wrongly shows.
func TestReadProposalTableMissingColumns(t *testing.T) {
	_, _, err := cycle.ReadProposalTable(table([]string{"Mã xã;Tên xã;Số vụ"}, []string{"01;Xã Một;3"}), "A")
	probs := problemsOf(t, err)
	last := probs[len(probs)-1].In(cycle.Vietnamese)
	if len(probs) != 8 || !strings.Contains(last, "Dòng tiêu đề có 1 cột khi đọc tệp CSV thử: «Mã xã;Tên xã;Số vụ»") {
		t.Fatalf("%d problems, last %q", len(probs), last)
	}
	if !strings.Contains(err.Error(), "missing column social_order_crimes") {
		t.Fatalf("%v", err)
	}
}

// Counts as officers write them: whole numbers, with a decimal mark and
// nothing after it; everything else refused with the reason.
func TestParseCount(t *testing.T) {
	for _, c := range []struct {
		in   string
		n    int
		rule string
	}{
		{"12", 12, ""}, {" 7 ", 7, ""}, {"", 0, ""}, {"+5", 5, ""}, {"12,0", 12, ""}, {"12.00", 12, ""}, {"-0", 0, ""}, {"007", 7, ""},
		{"12,5", 0, "table.integer"}, {"0.5", 0, "table.integer"},
		{"-3", 0, "table.negative"}, {"−3", 0, "table.negative"},
		{"1.234", 0, "table.grouping"}, {"1,234", 0, "table.grouping"}, {"1 234", 0, "table.grouping"}, {"12.000", 0, "table.grouping"}, {"1.234.567", 0, "table.grouping"},
		{"mười", 0, "table.number"}, {"1e3", 0, "table.number"}, {"12.", 0, "table.number"}, {",5", 0, "table.number"},
		{"99999999999999999999", 0, "table.too_large"}, {"2000000000", 0, "table.too_large"},
	} {
		n, rule, ok := cycle.ParseCount(c.in)
		if n != c.n || rule != c.rule || ok != (c.rule == "") {
			t.Errorf("ParseCount(%q) = %d, %q, %v; want %d, %q", c.in, n, rule, ok, c.n, c.rule)
		}
	}
}

// A file of too many rows says so first; the proposal never reaches the
// workflow.
func TestReadProposalTableRows(t *testing.T) {
	rows := [][]string{cycle.ProposalCSVTitles}
	for i := 0; i < cycle.MaxProposalRows+1; i++ {
		rows = append(rows, []string{"01", "", "1", "0", "0", "0", "", "", ""})
	}
	_, _, err := cycle.ReadProposalTable(table(rows...), "A")
	probs := problemsOf(t, err)
	if len(probs) != 1 || probs[0].Rule != "table.rows" || !strings.Contains(probs[0].Text, "1001 dòng số liệu, vượt giới hạn 1000 dòng") {
		t.Fatalf("%+v", probs)
	}
}

func TestBound(t *testing.T) {
	var probs []cycle.Problem
	for i := 0; i < 100000; i++ {
		p := cycle.NewProblem("registry.unknown_commune", "9"+strings.Repeat("0", 4), "Tỉnh Quảng Ngãi")
		if i%10 == 0 {
			p = cycle.NewProblem("statistics.negative")
		}
		p.Where = &cycle.Location{Line: i + 2}
		probs = append(probs, p)
	}
	b := cycle.Bound(probs, cycle.MaxProblems)
	if len(b) != cycle.MaxProblems+1 || b[cycle.MaxProblems].Rule != cycle.RuleMore {
		t.Fatalf("%d problems", len(b))
	}
	sum := b[cycle.MaxProblems]
	want := `… và 99.950 vấn đề khác cùng loại: 89.955 lỗi như «Mã xã "90000" không thuộc Tỉnh Quảng Ngãi» (dòng 53 – 100.001); 9995 lỗi như «Số liệu không được âm» (dòng 52 – 99.992)`
	if sum.Text != want {
		t.Fatalf("summary %q\nwant %q", sum.Text, want)
	}
	if !strings.HasPrefix(sum.Message, "… and 99,950 more of the same kinds: 89,955 like") {
		t.Fatalf("summary %q", sum.Message)
	}
	if again := cycle.Bound(b, cycle.MaxProblems); len(again) != len(b) {
		t.Fatal("bounding twice changes the list")
	}
	e := &cycle.Error{Code: cycle.EINVALID, Message: "x", Problems: probs}
	if n := len(e.Error()); n > 20000 {
		t.Fatalf("Error() of 100,000 problems is %d bytes", n)
	}
}

// Locations follow a problem's field up to the nearest place known.
func TestOriginsLocate(t *testing.T) {
	o := cycle.Origins{"proposed[4]": {Line: 6, Column: "Mã xã"}, "proposed[4].types": {Line: 6, Column: "Loại"}}
	probs := []cycle.Problem{{Field: "proposed[4].types"}, {Field: "proposed[4]"}, {Field: "proposed[4].reason"}, {Field: "statistics[1]"}, {Field: "proposed[40]"}}
	o.Locate(probs)
	for i, want := range []string{"Loại", "Mã xã", "Mã xã", "", ""} {
		got := ""
		if probs[i].Where != nil {
			got = probs[i].Where.Column
		}
		if got != want {
			t.Errorf("%s located at %q, want %q", probs[i].Field, got, want)
		}
	}
}
