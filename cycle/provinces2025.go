package cycle

// The provinces before and since 1 July 2025, when 63 provinces became 34
// (Nghị quyết 202/2025/QH15) and local government two tiers. Each old
// province went whole into one new province, which kept the code of one
// of them (Tây Ninh and Long An are Tây Ninh, code 80; Bà Rịa - Vũng Tàu
// is part of Thành phố Hồ Chí Minh, 79). A province code therefore names
// a province as of a date: "44" was Quảng Bình before 1 July 2025 and is
// Quảng Trị since. Derived from the national statistics office's
// conversion table (shared/data/commune-predecessors-2025.csv; see
// sample/data/README.md for its provenance and licences).

// TwoTierSince is the first day of two-tier local government: 34
// provinces, communes without districts.
var TwoTierSince = D(2025, 7, 1)

// ProvinceChange is a province of before 1 July 2025 and the province it
// belongs to since.
type ProvinceChange struct {
	Old, OldName string // the code and name before 1 July 2025
	Now, NowName string // the code and name since
}

// provinceChanges are the 63 provinces of before 1 July 2025, by old code.
var provinceChanges = []ProvinceChange{
	{"01", "Thành phố Hà Nội", "01", "Thành phố Hà Nội"},
	{"02", "Tỉnh Hà Giang", "08", "Tỉnh Tuyên Quang"},
	{"04", "Tỉnh Cao Bằng", "04", "Tỉnh Cao Bằng"},
	{"06", "Tỉnh Bắc Kạn", "19", "Tỉnh Thái Nguyên"},
	{"08", "Tỉnh Tuyên Quang", "08", "Tỉnh Tuyên Quang"},
	{"10", "Tỉnh Lào Cai", "15", "Tỉnh Lào Cai"},
	{"11", "Tỉnh Điện Biên", "11", "Tỉnh Điện Biên"},
	{"12", "Tỉnh Lai Châu", "12", "Tỉnh Lai Châu"},
	{"14", "Tỉnh Sơn La", "14", "Tỉnh Sơn La"},
	{"15", "Tỉnh Yên Bái", "15", "Tỉnh Lào Cai"},
	{"17", "Tỉnh Hoà Bình", "25", "Tỉnh Phú Thọ"},
	{"19", "Tỉnh Thái Nguyên", "19", "Tỉnh Thái Nguyên"},
	{"20", "Tỉnh Lạng Sơn", "20", "Tỉnh Lạng Sơn"},
	{"22", "Tỉnh Quảng Ninh", "22", "Tỉnh Quảng Ninh"},
	{"24", "Tỉnh Bắc Giang", "24", "Tỉnh Bắc Ninh"},
	{"25", "Tỉnh Phú Thọ", "25", "Tỉnh Phú Thọ"},
	{"26", "Tỉnh Vĩnh Phúc", "25", "Tỉnh Phú Thọ"},
	{"27", "Tỉnh Bắc Ninh", "24", "Tỉnh Bắc Ninh"},
	{"30", "Tỉnh Hải Dương", "31", "Thành phố Hải Phòng"},
	{"31", "Thành phố Hải Phòng", "31", "Thành phố Hải Phòng"},
	{"33", "Tỉnh Hưng Yên", "33", "Tỉnh Hưng Yên"},
	{"34", "Tỉnh Thái Bình", "33", "Tỉnh Hưng Yên"},
	{"35", "Tỉnh Hà Nam", "37", "Tỉnh Ninh Bình"},
	{"36", "Tỉnh Nam Định", "37", "Tỉnh Ninh Bình"},
	{"37", "Tỉnh Ninh Bình", "37", "Tỉnh Ninh Bình"},
	{"38", "Tỉnh Thanh Hóa", "38", "Tỉnh Thanh Hóa"},
	{"40", "Tỉnh Nghệ An", "40", "Tỉnh Nghệ An"},
	{"42", "Tỉnh Hà Tĩnh", "42", "Tỉnh Hà Tĩnh"},
	{"44", "Tỉnh Quảng Bình", "44", "Tỉnh Quảng Trị"},
	{"45", "Tỉnh Quảng Trị", "44", "Tỉnh Quảng Trị"},
	{"46", "Thành phố Huế", "46", "Thành phố Huế"},
	{"48", "Thành phố Đà Nẵng", "48", "Thành phố Đà Nẵng"},
	{"49", "Tỉnh Quảng Nam", "48", "Thành phố Đà Nẵng"},
	{"51", "Tỉnh Quảng Ngãi", "51", "Tỉnh Quảng Ngãi"},
	{"52", "Tỉnh Bình Định", "52", "Tỉnh Gia Lai"},
	{"54", "Tỉnh Phú Yên", "66", "Tỉnh Đắk Lắk"},
	{"56", "Tỉnh Khánh Hòa", "56", "Tỉnh Khánh Hòa"},
	{"58", "Tỉnh Ninh Thuận", "56", "Tỉnh Khánh Hòa"},
	{"60", "Tỉnh Bình Thuận", "68", "Tỉnh Lâm Đồng"},
	{"62", "Tỉnh Kon Tum", "51", "Tỉnh Quảng Ngãi"},
	{"64", "Tỉnh Gia Lai", "52", "Tỉnh Gia Lai"},
	{"66", "Tỉnh Đắk Lắk", "66", "Tỉnh Đắk Lắk"},
	{"67", "Tỉnh Đắk Nông", "68", "Tỉnh Lâm Đồng"},
	{"68", "Tỉnh Lâm Đồng", "68", "Tỉnh Lâm Đồng"},
	{"70", "Tỉnh Bình Phước", "75", "Tỉnh Đồng Nai"},
	{"72", "Tỉnh Tây Ninh", "80", "Tỉnh Tây Ninh"},
	{"74", "Tỉnh Bình Dương", "79", "Thành phố Hồ Chí Minh"},
	{"75", "Tỉnh Đồng Nai", "75", "Tỉnh Đồng Nai"},
	{"77", "Tỉnh Bà Rịa - Vũng Tàu", "79", "Thành phố Hồ Chí Minh"},
	{"79", "Thành phố Hồ Chí Minh", "79", "Thành phố Hồ Chí Minh"},
	{"80", "Tỉnh Long An", "80", "Tỉnh Tây Ninh"},
	{"82", "Tỉnh Tiền Giang", "82", "Tỉnh Đồng Tháp"},
	{"83", "Tỉnh Bến Tre", "86", "Tỉnh Vĩnh Long"},
	{"84", "Tỉnh Trà Vinh", "86", "Tỉnh Vĩnh Long"},
	{"86", "Tỉnh Vĩnh Long", "86", "Tỉnh Vĩnh Long"},
	{"87", "Tỉnh Đồng Tháp", "82", "Tỉnh Đồng Tháp"},
	{"89", "Tỉnh An Giang", "91", "Tỉnh An Giang"},
	{"91", "Tỉnh Kiên Giang", "91", "Tỉnh An Giang"},
	{"92", "Thành phố Cần Thơ", "92", "Thành phố Cần Thơ"},
	{"93", "Tỉnh Hậu Giang", "92", "Thành phố Cần Thơ"},
	{"94", "Tỉnh Sóc Trăng", "92", "Thành phố Cần Thơ"},
	{"95", "Tỉnh Bạc Liêu", "96", "Tỉnh Cà Mau"},
	{"96", "Tỉnh Cà Mau", "96", "Tỉnh Cà Mau"},
}

// ProvinceSince2025 is the province an old province code (before 1 July
// 2025) belongs to since; false for a code that named no province then.
func ProvinceSince2025(old string) (ProvinceChange, bool) {
	for _, c := range provinceChanges {
		if c.Old == old {
			return c, true
		}
	}
	return ProvinceChange{}, false
}

// IsProvince2025 reports whether code names one of the 34 provinces since
// 1 July 2025, and its name.
func IsProvince2025(code string) (string, bool) {
	for _, c := range provinceChanges {
		if c.Now == code {
			return c.NowName, true
		}
	}
	return "", false
}

// MergedInto lists the old provinces that make up a province since 1 July
// 2025, by old code.
func MergedInto(now string) []ProvinceChange {
	var out []ProvinceChange
	for _, c := range provinceChanges {
		if c.Now == now {
			out = append(out, c)
		}
	}
	return out
}
