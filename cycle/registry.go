package cycle

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
)

// CommuneKind is the kind of a commune-level unit (đơn vị hành chính cấp xã).
type CommuneKind string

// The kinds of commune-level units.
const (
	KindXa        CommuneKind = "xã"
	KindPhuong    CommuneKind = "phường"
	KindThiTran   CommuneKind = "thị trấn"
	KindDacKhu    CommuneKind = "đặc khu"
	kindUndefined CommuneKind = ""
)

// KindFromName derives the kind from the unit's official name
// ("Phường Trần Phú" → phường).
func KindFromName(name string) CommuneKind {
	n := strings.ToLower(Clean(name))
	for _, k := range []CommuneKind{KindThiTran, KindPhuong, KindDacKhu, KindXa} {
		if strings.HasPrefix(n, string(k)+" ") {
			return k
		}
	}
	return kindUndefined
}

// Commune is a commune-level area (địa bàn cấp xã): xã, phường or thị trấn.
type Commune struct {
	Code     string      `json:"code"`               // national statistics code, e.g. "21010"
	Name     string      `json:"name"`               // "Phường Lê Hồng Phong"
	Kind     CommuneKind `json:"kind"`               // xã, phường, thị trấn, đặc khu
	District string      `json:"district,omitempty"` // district code; empty in two-tier provinces
	NewRural bool        `json:"new_rural"`          // recognised as meeting the new-rural standard (đạt chuẩn nông thôn mới)
}

// Label is "Name (code)", as problems and logs name a commune.
func (c Commune) Label() string { return c.Name + " (" + c.Code + ")" }

// District is a district-level unit (huyện, thị xã, thành phố thuộc tỉnh) of
// a three-tier province.
type District struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// Province is the registry of one province: its districts (none in a
// two-tier province) and its communes, ordered by code.
type Province struct {
	Code      string     `json:"code"`
	Name      string     `json:"name"` // "Tỉnh Quảng Ngãi"
	Districts []District `json:"districts,omitempty"`
	Communes  []Commune  `json:"communes"`
}

// TwoTier reports whether proposals come straight from communes (local
// government since 1 July 2025) rather than from districts.
func (p Province) TwoTier() bool { return len(p.Districts) == 0 }

// ShortName is the name without its "Tỉnh"/"Thành phố" prefix ("Quảng Ngãi").
func (p Province) ShortName() string {
	for _, prefix := range []string{"Tỉnh ", "Thành phố "} {
		if s, ok := strings.CutPrefix(p.Name, prefix); ok {
			return s
		}
	}
	return p.Name
}

// Commune returns the commune with the given code.
func (p Province) Commune(code string) (Commune, bool) {
	i := sort.Search(len(p.Communes), func(i int) bool { return p.Communes[i].Code >= code })
	if i < len(p.Communes) && p.Communes[i].Code == code {
		return p.Communes[i], true
	}
	return Commune{}, false
}

// District returns the district with the given code.
func (p Province) District(code string) (District, bool) {
	for _, d := range p.Districts {
		if d.Code == code {
			return d, true
		}
	}
	return District{}, false
}

// CommunesOf returns the communes of a district, ordered by code.
func (p Province) CommunesOf(district string) []Commune {
	var out []Commune
	for _, c := range p.Communes {
		if c.District == district {
			out = append(out, c)
		}
	}
	return out
}

// Units returns the codes of the units that submit proposals: the districts
// of a three-tier province, the communes of a two-tier one.
func (p Province) Units() []string {
	var out []string
	if p.TwoTier() {
		for _, c := range p.Communes {
			out = append(out, c.Code)
		}
		return out
	}
	for _, d := range p.Districts {
		out = append(out, d.Code)
	}
	return out
}

// UnitName returns the name of a submitting unit (district or commune).
func (p Province) UnitName(code string) string {
	if d, ok := p.District(code); ok {
		return d.Name
	}
	if c, ok := p.Commune(code); ok {
		return c.Name
	}
	return code
}

// Validate checks the registry: codes present and unique, communes in known
// districts, kinds known.
func (p Province) Validate() error {
	var probs []Problem
	if p.Code == "" || p.Name == "" {
		probs = append(probs, withPlace(NewProblem("registry.province"), "province", ""))
	}
	seenD := map[string]bool{}
	for i, d := range p.Districts {
		if d.Code == "" || d.Name == "" || seenD[d.Code] {
			probs = append(probs, withPlace(NewProblem("registry.district", Quote(d.Code), Quote(d.Name), i+1), fmt.Sprintf("districts[%d]", i), ""))
		}
		seenD[d.Code] = true
	}
	seenC := map[string]bool{}
	for i, c := range p.Communes {
		f := fmt.Sprintf("communes[%d]", i)
		switch {
		case c.Code == "" || c.Name == "":
			probs = append(probs, withPlace(NewProblemAs("registry.commune", "registry.commune.name", i+1), f, ""))
		case seenC[c.Code]:
			probs = append(probs, withPlace(NewProblemAs("registry.commune", "registry.commune.duplicate"), f, c.Label()))
		case c.Kind == kindUndefined:
			probs = append(probs, withPlace(NewProblemAs("registry.commune", "registry.commune.kind"), f, c.Label()))
		case len(p.Districts) > 0 && !seenD[c.District]:
			probs = append(probs, withPlace(NewProblemAs("registry.commune", "registry.commune.district", Quote(c.District)), f, c.Label()))
		case len(p.Districts) == 0 && c.District != "":
			probs = append(probs, withPlace(NewProblemAs("registry.commune", "registry.commune.two_tier", Quote(c.District)), f, c.Label()))
		}
		seenC[c.Code] = true
	}
	if !sort.SliceIsSorted(p.Communes, func(i, j int) bool { return p.Communes[i].Code < p.Communes[j].Code }) {
		probs = append(probs, withPlace(NewProblem("registry.order"), "communes", ""))
	}
	return Invalid("province registry "+p.Code, probs)
}

// ReadRegistryCSV reads a registry in the published CSV shape, either three
// tiers (province_code, province_name, district_code, district_name,
// commune_code, commune_name) or two tiers (province_code, province_name,
// commune_code, commune_name, kind). Every row must belong to one province.
// Text is NFC-normalised; the result is validated.
func ReadRegistryCSV(r io.Reader) (Province, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return Province{}, Errorf(EINVALID, "registry csv: header: %v", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimPrefix(strings.TrimSpace(h), "\ufeff")] = i
	}
	for _, need := range []string{"province_code", "province_name", "commune_code", "commune_name"} {
		if _, ok := col[need]; !ok {
			return Province{}, Errorf(EINVALID, "registry csv: missing column %q", need)
		}
	}
	_, threeTier := col["district_code"]
	var p Province
	seenD := map[string]bool{}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Province{}, Errorf(EINVALID, "registry csv: line %d: %v", line, err)
		}
		get := func(name string) string {
			i, ok := col[name]
			if !ok || i >= len(rec) {
				return ""
			}
			return Clean(rec[i])
		}
		pc, pn := get("province_code"), get("province_name")
		if p.Code == "" {
			p.Code, p.Name = pc, pn
		} else if pc != p.Code {
			return Province{}, Errorf(EINVALID, "registry csv: line %d: province %q, but the file is for %q", line, pc, p.Code)
		}
		c := Commune{Code: get("commune_code"), Name: get("commune_name")}
		c.Kind = CommuneKind(get("kind"))
		if c.Kind == "" {
			c.Kind = KindFromName(c.Name)
		}
		if threeTier {
			c.District = get("district_code")
			if !seenD[c.District] {
				seenD[c.District] = true
				p.Districts = append(p.Districts, District{Code: c.District, Name: get("district_name")})
			}
		}
		switch get("new_rural") {
		case "true", "1", "yes", "x":
			c.NewRural = true
		}
		p.Communes = append(p.Communes, c)
	}
	sort.Slice(p.Communes, func(i, j int) bool { return p.Communes[i].Code < p.Communes[j].Code })
	if err := p.Validate(); err != nil {
		return Province{}, err
	}
	return p, nil
}

func init() {
	defineMessages(map[string]Text{
		"registry.province":          {VI: "Chưa ghi mã và tên tỉnh", EN: "province code and name are required"},
		"registry.district":          {VI: "Đơn vị cấp huyện thứ %[3]d (mã %[1]s, tên %[2]s): thiếu mã, thiếu tên hoặc trùng mã với đơn vị khác", EN: "district %[1]s %[2]s: empty or duplicate code (entry %[3]d)"},
		"registry.commune.name":      {VI: "Xã thứ %[1]d: chưa ghi mã hoặc tên xã", EN: "commune code and name are required (entry %[1]d)"},
		"registry.commune.duplicate": {VI: "Mã xã trùng với một xã đã ghi trước", EN: "duplicate commune code"},
		"registry.commune.kind":      {VI: "Loại đơn vị hành chính không hợp lệ: chỉ có xã, phường, thị trấn hoặc đặc khu", EN: "unknown kind (want xã, phường, thị trấn or đặc khu)"},
		"registry.commune.district":  {VI: "Mã đơn vị cấp huyện %[1]s không có trong danh mục của tỉnh", EN: "unknown district %[1]s"},
		"registry.commune.two_tier":  {VI: "Tỉnh tổ chức chính quyền hai cấp, không có cấp huyện, nhưng xã lại ghi đơn vị cấp huyện %[1]s", EN: "a two-tier province has no districts (%[1]s given)"},
		"registry.order":             {VI: "Danh mục xã phải xếp theo thứ tự mã xã", EN: "communes must be ordered by code"},
	})
}
