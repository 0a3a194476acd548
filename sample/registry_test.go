package sample

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"chuyenhoa/cycle"
)

// provinceTests are the registries of the seeds, as data/README.md counts them.
var provinceTests = []struct {
	slug      string
	code      string
	name      string
	districts int
	communes  int
}{
	{"quang-ngai", "51", "Tỉnh Quảng Ngãi", 12, 170},
	{"tay-ninh", "72", "Tỉnh Tây Ninh", 9, 94},
	{"ba-ria-vung-tau", "77", "Tỉnh Bà Rịa - Vũng Tàu", 6, 77},
	{"binh-phuoc", "70", "Tỉnh Bình Phước", 11, 111},
	{"quang-ninh", "22", "Tỉnh Quảng Ninh", 13, 171},
}

// mustProvince loads a sample province or stops the test.
func mustProvince(t *testing.T, slug string) (cycle.Province, cycle.Issuer) {
	t.Helper()
	p, is, err := Province(slug)
	if err != nil {
		t.Fatalf("Province(%q): %v", slug, err)
	}
	return p, is
}

func TestProvinces(t *testing.T) {
	var want []string
	for _, tt := range provinceTests {
		want = append(want, tt.slug)
	}
	if got := Provinces(); !slices.Equal(got, want) {
		t.Fatalf("Provinces() = %q, want %q", got, want)
	}
	keys := map[string]string{}
	for _, tt := range provinceTests {
		t.Run(tt.slug, func(t *testing.T) {
			p, is := mustProvince(t, tt.slug)
			if p.Code != tt.code || p.Name != tt.name {
				t.Errorf("province %s %q, want %s %q", p.Code, p.Name, tt.code, tt.name)
			}
			if len(p.Districts) != tt.districts || len(p.Communes) != tt.communes {
				t.Errorf("%d districts, %d communes; want %d, %d", len(p.Districts), len(p.Communes), tt.districts, tt.communes)
			}
			if err := p.Validate(); err != nil {
				t.Errorf("registry: %v", err)
			}
			for _, d := range p.Districts {
				if len(p.CommunesOf(d.Code)) == 0 {
					t.Errorf("district %s %s has no communes", d.Code, d.Name)
				}
			}
			if err := is.Validate(); err != nil {
				t.Errorf("issuer: %v", err)
			}
			if !strings.HasPrefix(is.BodyKey, p.Code+"-") {
				t.Errorf("issuer body key %q does not start with the province code %s", is.BodyKey, p.Code)
			}
			if prev, dup := keys[is.BodyKey]; dup {
				t.Errorf("issuer body key %q also used by %s", is.BodyKey, prev)
			}
			keys[is.BodyKey] = tt.slug
			if is.Place != p.ShortName() {
				t.Errorf("issuer place %q, want %q", is.Place, p.ShortName())
			}
			checkNFC(t, is)
			again, isAgain := mustProvince(t, tt.slug)
			if !reflect.DeepEqual(p, again) || !reflect.DeepEqual(is, isAgain) {
				t.Error("two loads differ")
			}
		})
	}
}

// checkNFC fails when a text field of the issuer is not NFC-normalised or
// has surrounding space.
func checkNFC(t *testing.T, is cycle.Issuer) {
	t.Helper()
	v := reflect.ValueOf(is)
	for i := range v.NumField() {
		s := v.Field(i).String()
		if cycle.Clean(s) != s {
			t.Errorf("issuer.%s %q is not clean NFC text", v.Type().Field(i).Name, s)
		}
	}
}

// issuerTests pin the issuer configurations that must differ in kind: the
// committee signed by its head, the People's Committee signed by a
// vice-chairman, the police director as standing deputy head.
var issuerTests = []struct {
	slug string
	want cycle.Issuer
}{
	{"quang-ngai", cycle.Issuer{
		ParentBody: "UBND TỈNH QUẢNG NGÃI", Body: "BAN CHỈ ĐẠO 138", BodyKey: "51-BCD138", NumberSuffix: "QĐ-BCĐ",
		Place: "Quảng Ngãi", CommitteeName: "Ban Chỉ đạo 138 tỉnh Quảng Ngãi",
		AuthorityLine: "TRƯỞNG BAN CHỈ ĐẠO 138 TỈNH QUẢNG NGÃI", SignerAuthority: "TM. BAN CHỈ ĐẠO", SignerTitle: "TRƯỞNG BAN",
		SignerName: "Nguyễn Văn A",
		PlanRef:    "Kế hoạch ngày 15/4/2021 của Chủ tịch UBND tỉnh Quảng Ngãi về thực hiện công tác chuyển hóa địa bàn trọng điểm, phức tạp về TTATXH giai đoạn 2021 - 2025",
		Kind:       cycle.IssuerCommittee, HeadTitle: "TRƯỞNG BAN", CommitteeShort: "Ban Chỉ đạo 138",
		Founding: []cycle.LegalAct{{Kind: "Quyết định", Issuer: "Chủ tịch Ủy ban nhân dân tỉnh Quảng Ngãi", Subject: "về việc kiện toàn Ban Chỉ đạo 138 tỉnh Quảng Ngãi"}},
		Rules:    []cycle.LegalAct{{Kind: "Quyết định", Issuer: "Trưởng Ban Chỉ đạo 138 tỉnh Quảng Ngãi", Subject: "ban hành Quy chế hoạt động của Ban Chỉ đạo 138 tỉnh Quảng Ngãi"}},
		Plans: []cycle.LegalAct{{Kind: "Kế hoạch", Issuer: "Ủy ban nhân dân tỉnh Quảng Ngãi",
			Subject: "về thực hiện công tác chuyển hóa địa bàn trọng điểm, phức tạp về trật tự, an toàn xã hội"}},
	}},
	{"tay-ninh", cycle.Issuer{
		ParentBody: "", Body: "ỦY BAN NHÂN DÂN TỈNH TÂY NINH", BodyKey: "72-UBND", NumberSuffix: "QĐ-UBND",
		Place: "Tây Ninh", CommitteeName: "Ủy ban nhân dân tỉnh Tây Ninh",
		AuthorityLine: "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH TÂY NINH", SignerAuthority: "KT. CHỦ TỊCH", SignerTitle: "PHÓ CHỦ TỊCH",
		SignerName: "Trần Thị B",
		PlanRef:    "Kế hoạch số 296/KH-UBND ngày 21/11/2017 của Ủy ban nhân dân tỉnh Tây Ninh về thực hiện Đề án “Chuyển hóa địa bàn trọng điểm, phức tạp về trật tự, an toàn xã hội đến năm 2020”",
		Kind:       cycle.IssuerPeopleCommittee, HeadTitle: "CHỦ TỊCH",
		Committee:      "Ban Chỉ đạo phòng chống tội phạm, tệ nạn xã hội và xây dựng phong trào toàn dân bảo vệ ANTQ tỉnh Tây Ninh",
		CommitteeShort: "Ban Chỉ đạo phòng chống tội phạm, tệ nạn xã hội và xây dựng phong trào toàn dân bảo vệ ANTQ",
		Founding:       LocalGovernmentLaws(),
		Plans: []cycle.LegalAct{{Kind: "Kế hoạch", Issuer: "Ủy ban nhân dân tỉnh Tây Ninh",
			Subject: "về thực hiện công tác chuyển hóa địa bàn trọng điểm, phức tạp về trật tự, an toàn xã hội"}},
	}},
}

func TestIssuers(t *testing.T) {
	for _, tt := range issuerTests {
		t.Run(tt.slug, func(t *testing.T) {
			_, got := mustProvince(t, tt.slug)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("issuer\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
	standingDeputy := false
	for _, slug := range Provinces() {
		_, is := mustProvince(t, slug)
		if is.SignerAuthority == "KT. TRƯỞNG BAN" && is.SignerTitle == "PHÓ TRƯỞNG BAN THƯỜNG TRỰC" {
			standingDeputy = true
		}
	}
	if !standingDeputy {
		t.Error("no province is signed by the standing deputy head (KT. TRƯỞNG BAN / PHÓ TRƯỞNG BAN THƯỜNG TRỰC)")
	}
}

func TestProvinceUnknown(t *testing.T) {
	_, _, err := Province("ha-noi")
	if got := cycle.ErrorCode(err); got != cycle.ENOTFOUND {
		t.Fatalf("Province(ha-noi): code %q (%v), want %q", got, err, cycle.ENOTFOUND)
	}
}

// countNewRural counts the xã of p and the new-rural ones among them, and
// fails when anything but a xã is new-rural.
func countNewRural(t *testing.T, p cycle.Province) (xa, newRural int) {
	t.Helper()
	for _, c := range p.Communes {
		if c.Kind == cycle.KindXa {
			xa++
			if c.NewRural {
				newRural++
			}
		} else if c.NewRural {
			t.Errorf("%s: %s is new-rural: only xã can be", p.Name, c.Label())
		}
	}
	return xa, newRural
}

// checkShare fails unless nr of xa is within lo–hi of the 35% aimed at.
func checkShare(t *testing.T, what string, xa, nr int, lo, hi float64) {
	t.Helper()
	if share := float64(nr) / float64(xa); xa == 0 || share < lo || share > hi {
		t.Errorf("%s: %d of %d xã new-rural, want %.0f%%–%.0f%%", what, nr, xa, 100*lo, 100*hi)
	}
}

func TestNewRural(t *testing.T) {
	for _, tt := range provinceTests {
		t.Run(tt.slug, func(t *testing.T) {
			p, _ := mustProvince(t, tt.slug)
			xa, nr := countNewRural(t, p)
			checkShare(t, p.Name, xa, nr, 0.25, 0.45)
		})
	}
}

func TestCommunes2025(t *testing.T) {
	ps, err := Communes2025()
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 34 {
		t.Fatalf("%d provinces, want 34", len(ps))
	}
	kinds := map[cycle.CommuneKind]int{}
	codes := map[string]string{}
	total, xa, nr := 0, 0, 0
	for i, p := range ps {
		if i > 0 && ps[i-1].Code >= p.Code {
			t.Errorf("provinces not ordered by code: %s before %s", ps[i-1].Code, p.Code)
		}
		if !p.TwoTier() {
			t.Errorf("%s has %d districts, want none", p.Name, len(p.Districts))
		}
		if err := p.Validate(); err != nil {
			t.Error(err)
		}
		for _, c := range p.Communes {
			kinds[c.Kind]++
			if prev, dup := codes[c.Code]; dup {
				t.Errorf("commune code %s in %s and %s", c.Code, prev, p.Name)
			}
			codes[c.Code] = p.Name
		}
		total += len(p.Communes)
		x, n := countNewRural(t, p)
		xa, nr = xa+x, nr+n
		is := GenericIssuer(p)
		if err := is.Validate(); err != nil {
			t.Errorf("%s: %v", p.Name, err)
		}
		if is.BodyKey != p.Code+"-BCD" || is.Place != p.ShortName() {
			t.Errorf("%s: issuer body key %q, place %q", p.Name, is.BodyKey, is.Place)
		}
		checkNFC(t, is)
	}
	checkShare(t, "the country", xa, nr, 0.32, 0.38)
	if total != 3321 {
		t.Errorf("%d communes, want 3321", total)
	}
	wantKinds := map[cycle.CommuneKind]int{cycle.KindXa: 2621, cycle.KindPhuong: 687, cycle.KindDacKhu: 13}
	if !reflect.DeepEqual(kinds, wantKinds) {
		t.Errorf("kinds %v, want %v", kinds, wantKinds)
	}
	if is := GenericIssuer(ps[0]); is.ParentBody != "UBND THÀNH PHỐ HÀ NỘI" || is.CommitteeName != "Ban Chỉ đạo phòng, chống tội phạm thành phố Hà Nội" {
		t.Errorf("Hà Nội's generic issuer: %+v", is)
	}
}

func TestEmbeddedLicence(t *testing.T) {
	b, err := data.ReadFile("data/LICENSE.vietnamese-provinces-database")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "MIT License") || !strings.Contains(string(b), "Thang Le Quoc") {
		t.Error("the embedded licence is not the dataset's MIT licence")
	}
}
