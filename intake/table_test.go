package intake

import (
	"strings"
	"testing"
)

// Excel's "sep=" first line says the separator; one encoding/csv cannot
// use (a quote, a line end) makes the line an ordinary row (found by
// FuzzReadCSVTable: "sep=\"" failed with csv's own error).
func TestCSVSepLine(t *testing.T) {
	tb, err := ReadCSVTable(File{Name: "x.csv", Data: []byte("sep=;\nMã xã;Tên xã\n21010;Phường Lê Hồng Phong\n")})
	if err != nil || len(tb.Header.Cells) != 2 || tb.Header.Line != 2 || tb.Rows[0].Line != 3 {
		t.Fatalf("%+v %v", tb, err)
	}
	_, err = ReadCSVTable(File{Name: "x.csv", Data: []byte("sep=\"\na,b\n")})
	if ce := asCycleError(err); ce == nil || ce.Problems[0].Rule != "csv.quote" || ce.Problems[0].Where.Line != 1 {
		t.Fatalf("sep=\": %v", err)
	}
	for _, in := range []string{"sep=\r\na,b\n", "sep=\ufeff\na\n"} {
		tb, err := ReadCSVTable(File{Name: "x.csv", Data: []byte(in)})
		if err != nil || !strings.HasPrefix(tb.Header.Cell(0), "sep=") {
			t.Errorf("%q: %+v %v", in, tb, err)
		}
	}
}

// A sheet or CSV whose cells are all blank has no header: the problem is
// the whole file's, with no line — a CSV's "sep=," line made its line
// differ from the sheet's (found by FuzzProposalXLSXCells).
func TestBlankTable(t *testing.T) {
	for _, data := range [][]byte{[]byte("sep=,\n \n"), []byte(" \n\n")} {
		_, _, err := ReadProposal(File{Name: "x.csv", Data: data}, "522")
		ce := asCycleError(err)
		if ce == nil || len(ce.Problems) != 1 || (ce.Problems[0].Rule != "table.empty" && ce.Problems[0].Rule != "file.empty") || (ce.Problems[0].Where != nil && ce.Problems[0].Where.Line != 0) {
			t.Errorf("%q: %v", data, err)
		}
	}
}
