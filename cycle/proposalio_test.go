package cycle_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"chuyenhoa/cycle"
)

func TestProposalCSVRoundTrip(t *testing.T) {
	prov := testProvince()
	p := cycle.Proposal{Unit: "A", Statistics: statsA(), Proposed: []cycle.ProposedCommune{{Commune: "01", Types: cycle.Types{1, 3, 4}, Reason: "Phức tạp về ma túy"}}}
	var buf bytes.Buffer
	if err := cycle.WriteProposalCSV(&buf, prov, p); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "01,Xã Một,10,0,1,3,x,1;3;4,Phức tạp về ma túy") {
		t.Fatalf("csv:\n%s", buf.String())
	}
	got, err := cycle.ReadProposalCSV(&buf, "A")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, p) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, p)
	}
}

func TestReadProposalCSVReportsEveryProblemWithItsLine(t *testing.T) {
	in := "commune_code,social_order_crimes,economic_cases,environment_cases,drug_cases,proposed,types,reason\n" +
		"01,10,0,0,0,x,1;5x,\n" +
		"02,-3,0,0,0,,,\n" +
		"03,2,0,0,0,maybe,,\n" +
		",1,0,0,0,,,\n" +
		"04,1,0,0,0,,2,\n"
	_, err := cycle.ReadProposalCSV(strings.NewReader(in), "A")
	want := []string{
		`line 2: types: "5x" is not a type number (1–4) [csv.types]`,
		`line 3: social_order_crimes: "-3" is not a whole number ≥ 0 [csv.number]`,
		`line 4: proposed: "maybe": want x or empty [csv.proposed]`,
		`line 5: commune_code: commune code is empty [csv.required]`,
		`line 6: types: types given for a commune not marked as proposed [csv.types]`,
	}
	for _, w := range want {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("error %v\nlacks %q", err, w)
		}
	}
	if _, err := cycle.ReadProposalCSV(strings.NewReader("commune_code,proposed\n01,x\n"), "A"); err == nil || !strings.Contains(err.Error(), "missing column social_order_crimes") {
		t.Errorf("missing columns: %v", err)
	}
}

func TestReadProposalJSON(t *testing.T) {
	good := `{"unit":"A","statistics":[{"commune":"01","social_order_crimes":10,"economic_cases":0,"environment_cases":1,"drug_cases":3}],
	  "proposed":[{"commune":"01","types":[4,1]}]}`
	p, err := cycle.ReadProposalJSON(strings.NewReader(good), "")
	if err != nil || p.Unit != "A" || p.Proposed[0].Types.String() != "1, 4" {
		t.Fatalf("p %+v err %v", p, err)
	}
	// A file saved by a Windows editor starts with a byte-order mark.
	if p, err := cycle.ReadProposalJSON(strings.NewReader("\ufeff"+good), ""); err != nil || p.Unit != "A" {
		t.Fatalf("with a byte-order mark: p %+v err %v", p, err)
	}
	for _, tc := range []struct{ in, unit, want string }{
		{`{"unit":"A","statistcs":[]}`, "", `unknown field "statistcs"`},
		{"{\n\"unit\": \"A\",\n\"proposed\": [{\"commune\": 1}]}", "", `line 3, column`},
		{`{"unit":"A"} {}`, "", "unexpected data after"},
		{`{"unit":"A"}`, "B", `the file is the proposal of unit "A", not "B"`},
		{`{}`, "", "does not say which unit"},
		{`{"unit":"A"`, "", "proposal JSON"},
	} {
		_, err := cycle.ReadProposalJSON(strings.NewReader(tc.in), tc.unit)
		if err == nil || !strings.Contains(err.Error(), tc.want) || cycle.ErrorCode(err) != cycle.EINVALID {
			t.Errorf("%s: error %v, want %q (invalid)", tc.in, err, tc.want)
		}
	}
	// Decomposed (NFD) text is normalised where it enters.
	nfd := "{\"unit\":\"A\",\"note\":\"Thi\u0323 tra\u0302\u0301n\"}"
	p, err = cycle.ReadProposalJSON(strings.NewReader(nfd), "")
	if err != nil || p.Note != "Thị trấn" {
		t.Fatalf("note %q err %v", p.Note, err)
	}
}

func TestReadRegistryCSV(t *testing.T) {
	in := "province_code,province_name,district_code,district_name,commune_code,commune_name\n" +
		"51,Tỉnh Quảng Ngãi,522,Thành phố Quảng Ngãi,21013,Phường Trần Phú\n" +
		"51,Tỉnh Quảng Ngãi,522,Thành phố Quảng Ngãi,21010,Phường Lê Hồng Phong\n" +
		"51,Tỉnh Quảng Ngãi,524,Huyện Bình Sơn,21061,Thị trấn Châu Ổ\n"
	p, err := cycle.ReadRegistryCSV(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Districts) != 2 || p.Communes[0].Code != "21010" || p.Communes[2].Kind != cycle.KindThiTran || p.ShortName() != "Quảng Ngãi" {
		t.Fatalf("registry %+v", p)
	}
	bad := in + "52,Tỉnh Bình Định,540,Huyện X,21500,Xã Y\n"
	if _, err := cycle.ReadRegistryCSV(strings.NewReader(bad)); err == nil || !strings.Contains(err.Error(), "line 5") {
		t.Fatalf("mixed provinces: %v", err)
	}
	dup := in + "51,Tỉnh Quảng Ngãi,524,Huyện Bình Sơn,21061,Xã Trùng\n"
	if _, err := cycle.ReadRegistryCSV(strings.NewReader(dup)); err == nil || !strings.Contains(err.Error(), "duplicate commune code") {
		t.Fatalf("duplicate: %v", err)
	}
}

func TestDateJSONAndCalendar(t *testing.T) {
	d, err := cycle.ParseDate("2027-01-31")
	if err != nil || d.Vietnamese() != "31/01/2027" || d.AddDays(1).String() != "2027-02-01" {
		t.Fatalf("%v %v", d, err)
	}
	if _, err := cycle.ParseDate("31/01/2027"); err == nil {
		t.Fatal("want an error for a non-ISO date")
	}
	if got := cycle.DefaultPolicy().Calendar.ProposalsDue.In(2027); got != cycle.D(2026, 12, 25) {
		t.Fatalf("proposals due %v", got)
	}
	if !cycle.D(2027, 1, 31).End().Equal(cycle.D(2027, 2, 1).Start()) {
		t.Fatal("End is the next day's start")
	}
}
