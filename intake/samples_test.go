package intake_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"chuyenhoa/cycle"
	"chuyenhoa/intake"
	"chuyenhoa/intake/intaketest"
	"chuyenhoa/sample"
)

var update = flag.Bool("update", false, "rewrite testdata/samples from intaketest")

// The samples committed under testdata/samples are intaketest's (people
// open them; the tests of the CLI, the API and the checker make them).
func TestSamplesCommitted(t *testing.T) {
	samples, err := intaketest.Samples()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range samples {
		path := filepath.Join("testdata", "samples", s.Name)
		if *update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, s.Data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run with -update)", err)
		}
		if !bytes.Equal(got, s.Data) {
			t.Errorf("%s differs from intaketest's (run with -update)", path)
		}
	}
}

func sampleNamed(t *testing.T, name string) intake.File {
	t.Helper()
	samples, err := intaketest.Samples()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range samples {
		if s.Name == name {
			return intake.File{Name: s.Name, Data: s.Data}
		}
	}
	t.Fatalf("no sample %s", name)
	return intake.File{}
}

// goodProposal is the unit's sample proposal as a table holds it: the
// proposed communes in the rows' order, no note.
func goodProposal(t *testing.T) cycle.Proposal {
	t.Helper()
	prov, err := intaketest.Province()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range sample.Proposals(prov, cycle.DefaultPolicy(), intaketest.Year) {
		if p.Unit == intaketest.Unit {
			p.Normalize()
			p.Note = ""
			sort.Slice(p.Proposed, func(i, j int) bool { return p.Proposed[i].Commune < p.Proposed[j].Commune })
			return p
		}
	}
	t.Fatal("no sample proposal")
	return cycle.Proposal{}
}

// The files offices produce are read as the proposal they hold, and the
// table says how it was read.
func TestSamplesRead(t *testing.T) {
	want := goodProposal(t)
	for _, c := range []struct {
		name, dialect string
	}{
		{"de-xuat-522-excel-vn.csv", "tệp CSV dùng dấu chấm phẩy (;) làm dấu phân cách, bảng mã Unicode UTF-8 có BOM"},
		{"de-xuat-522-vni.txt", "tệp CSV dùng dấu tab làm dấu phân cách, bảng mã VNI-Windows"},
	} {
		f := sampleNamed(t, c.name)
		p, origins, err := intake.ReadProposal(f, intaketest.Unit)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !reflect.DeepEqual(p, want) {
			t.Errorf("%s read as\n%+v\nwant\n%+v", c.name, p, want)
		}
		if l := origins["proposed[0].types"]; l.Line < 2 || l.Column != "Loại" {
			t.Errorf("%s: proposed[0].types at %+v", c.name, l)
		}
		tb, err := intake.ReadTable(f)
		if err != nil || tb.Dialect.VI != c.dialect {
			t.Errorf("%s read as %q (%v), want %q", c.name, tb.Dialect.VI, err, c.dialect)
		}
	}

	// Windows-1258: the names and reasons come out as Unicode (NFC), the
	// rows as the officer wrote them.
	p, _, err := intake.ReadProposal(sampleNamed(t, "de-xuat-522-windows-1258.csv"), intaketest.Unit)
	if err != nil {
		t.Fatal(err)
	}
	var reasons []string
	for _, pc := range p.Proposed {
		reasons = append(reasons, pc.Reason)
	}
	if !strings.Contains(strings.Join(reasons, "|"), "Địa bàn giáp ranh, phức tạp về TTXH") {
		t.Errorf("Windows-1258 reasons read as %q", reasons)
	}

	// TCVN3: the figures that are not counts, each in its cell, with the
	// column's title decoded.
	_, _, err = intake.ReadProposal(sampleNamed(t, "de-xuat-522-tcvn3.csv"), intaketest.Unit)
	ce := asError(t, err)
	var got []string
	for _, pr := range ce.Problems {
		got = append(got, pr.In(cycle.Vietnamese))
	}
	for _, w := range []string{
		`dòng 4, cột «Số vụ phạm pháp hình sự về TTXH», Phường Quảng Phú (21016): Số vụ phải là số nguyên: "12,5"`,
		`cột «Số vụ về môi trường, tài nguyên, an toàn thực phẩm»`, `Số liệu không được âm: "-2"`,
		`"1.234" có dấu phân cách hàng nghìn`,
	} {
		if !strings.Contains(strings.Join(got, "\n"), w) {
			t.Errorf("TCVN3 problems:\n%s\nlack %q", strings.Join(got, "\n"), w)
		}
	}

	// UTF-16: refused, saying so.
	_, _, err = intake.ReadProposal(sampleNamed(t, "de-xuat-522-unicode.txt"), intaketest.Unit)
	if ce := asError(t, err); !strings.Contains(ce.Problems[0].Text, "UTF-16") {
		t.Errorf("UTF-16: %v", err)
	}
}

func asError(t *testing.T, err error) *cycle.Error {
	t.Helper()
	ce, ok := err.(*cycle.Error)
	if !ok {
		t.Fatalf("want a *cycle.Error, got %v", err)
	}
	return ce
}

// A workbook's problems are in its sheet and cells.
func TestWorkbookProblems(t *testing.T) {
	s, err := intaketest.Workbook()
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = intake.ReadProposal(intake.File{Name: s.Name, Data: s.Data}, intaketest.Unit)
	ce := asError(t, err)
	got := ce.Problems[0].In(cycle.Vietnamese)
	if !strings.HasPrefix(got, `trang tính «DeXuat», ô C5 (cột «Số vụ phạm pháp hình sự về TTXH»)`) || !strings.Contains(got, `"mười" không phải là số`) {
		t.Errorf("problem %q", got)
	}
	if !strings.Contains(ce.Message, "an Excel .xlsx workbook, sheet “DeXuat”") {
		t.Errorf("message %q", ce.Message)
	}
}

// Limits are said, never applied silently: a file over its size is
// refused before it is read, naming both sizes; a reason over its length
// is refused in its cell; a file of 100,000 bad rows is refused with the
// limit on rows first and at most cycle.MaxProblems problems and a sum.
func TestLimitsSaid(t *testing.T) {
	big, err := intaketest.Big(5 << 20)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, big.Name)
	if err := os.WriteFile(path, big.Data, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = intake.ReadFile(path, intake.MaxProposalBytes)
	if ce := asError(t, err); ce.Code != intake.ETooLarge || ce.Text != "Tệp «de-xuat-522-5mb.csv» lớn 5,0 MB (5.242.880 byte), vượt giới hạn 4 MB (4.194.304 byte)" {
		t.Errorf("5 MB file: %q (%s)", ce.Text, ce.Code)
	}
	if _, _, err := intake.ReadProposal(intake.File{Name: big.Name, Data: big.Data}, "522"); asError(t, err).Code != intake.ETooLarge {
		t.Errorf("5 MB file read: %v", err)
	}
	_, err = intake.Read("", bytes.NewReader(big.Data), intake.MaxProposalBytes)
	if ce := asError(t, err); ce.Text != "Tệp lớn 5,0 MB (5.242.880 byte), vượt giới hạn 4 MB (4.194.304 byte)" {
		t.Errorf("5 MB stream: %q", ce.Text)
	}

	long, err := intaketest.LongReason(2_000_000)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = intake.ReadProposal(intake.File{Name: long.Name, Data: long.Data}, "522")
	if ce := asError(t, err); len(ce.Problems) != 1 || !strings.Contains(ce.Problems[0].In(cycle.Vietnamese), "cột «Lý do», Phường Nghĩa Chánh (21019): Lý do dài 2.000.000 ký tự, vượt giới hạn 2000 ký tự") {
		t.Errorf("long reason: %v", err)
	}

	rows, err := intaketest.BadRows(100_000)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = intake.ReadProposal(intake.File{Name: rows.Name, Data: rows.Data}, "522")
	ce := asError(t, err)
	if len(ce.Problems) != cycle.MaxProblems+1 {
		t.Fatalf("%v", err)
	}
	if ce.Problems[0].Rule != "table.rows" || ce.Problems[cycle.MaxProblems].Rule != cycle.RuleMore {
		t.Fatalf("%d problems, first %+v", len(ce.Problems), ce.Problems[0])
	}
	if n := len(ce.Error()); n > 20000 {
		t.Errorf("the refusal of 100,000 rows is %d characters", n)
	}
	t.Logf("100,000 bad rows: %d problems listed, Error() %d characters, summary: %s", len(ce.Problems), len(ce.Error()), ce.Problems[cycle.MaxProblems].Text)
}

// Every message of the catalogue this package adds (and cycle's) is said
// in both languages with the same arguments.
func TestCatalogueTexts(t *testing.T) {
	for _, code := range cycle.MessageCodes() {
		m, _ := cycle.Message(code)
		if strings.Count(m.VI, "%") != strings.Count(m.EN, "%") {
			t.Errorf("%s: the languages take different arguments: %q / %q", code, m.VI, m.EN)
		}
	}
}
