package issuing

import (
	"testing"

	"chuyenhoa/cycle"
)

// Two provinces' 1/QĐ-BCĐ of the same year are different documents: their
// copies must not share a name in a folder both deliver to.
func TestFileNameNamesTheIssuingBody(t *testing.T) {
	for _, tc := range []struct {
		a    cycle.ArchivedDocument
		want string
	}{
		{cycle.ArchivedDocument{Code: "5/QĐ-BCĐ", Number: 5, Year: 2027, BodyKey: "51-BCD138"}, "qd-5-qd-bcd-2027-51-bcd138.pdf"},
		{cycle.ArchivedDocument{Code: "1/QĐ-BCĐ", Number: 1, Year: 2027, BodyKey: "01-BCD138"}, "qd-1-qd-bcd-2027-01-bcd138.pdf"},
		{cycle.ArchivedDocument{Code: "12/TB-BCĐ", Number: 12, Year: 2028, BodyKey: "Sở/../x y"}, "qd-12-tb-bcd-2028-s-----x-y.pdf"},
		{cycle.ArchivedDocument{Code: "3/BC-BCĐ", Number: 3, Year: 2028}, "qd-3-bc-bcd-2028.pdf"},
	} {
		if got := FileName(tc.a); got != tc.want {
			t.Errorf("fileName(%s of %q) = %q, want %q", tc.a.Code, tc.a.BodyKey, got, tc.want)
		}
	}
}
