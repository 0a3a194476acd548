package cycle

import "testing"

func TestInvalidHeading(t *testing.T) {
	for in, want := range map[string]string{
		"award round":                      "Thông tin mở đợt khen thưởng chưa hợp lệ",
		"award nominations":                "Hồ sơ đề nghị khen thưởng chưa hợp lệ",
		"award nominations of Huyện Ba Tơ": "Hồ sơ đề nghị khen thưởng của Huyện Ba Tơ chưa hợp lệ",
		"policy 003-binh-phuoc-2024":       "Kế hoạch 003-binh-phuoc-2024 chưa hợp lệ",
		"something new":                    "Dữ liệu chưa hợp lệ",
	} {
		if got := InvalidHeading(in); got != want {
			t.Errorf("InvalidHeading(%q) = %q, want %q", in, got, want)
		}
	}
}
