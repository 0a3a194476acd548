package cycle

import "strings"

// invalidHeadings are the Vietnamese headings of the refusals built with
// Invalid, by their English heading: what officers read above the list of
// problems.
var invalidHeadings = map[string]string{
	"account":               "Thông tin tài khoản chưa hợp lệ",
	"appraisal":             "Kết quả thẩm định danh sách chưa hợp lệ",
	"award nominations":     "Hồ sơ đề nghị khen thưởng chưa hợp lệ",
	"award review":          "Kết quả xét khen thưởng chưa hợp lệ",
	"award round":           "Thông tin mở đợt khen thưởng chưa hợp lệ",
	"bad --override":        "Tham số --override chưa đúng",
	"bad --responsible":     "Tham số --responsible chưa đúng",
	"close proposals":       "Chưa kết thúc được việc nhận đề xuất",
	"completion":            "Nội dung hoàn thành công việc chưa hợp lệ",
	"consolidation":         "Kết quả tổng hợp danh sách chưa hợp lệ",
	"decision":              "Quyết định chưa hợp lệ",
	"delegation":            "Ủy quyền ký chưa hợp lệ",
	"enrolment":             "Danh sách địa bàn đưa vào chuyển hóa chưa hợp lệ",
	"failure review":        "Báo cáo kiểm điểm chưa hợp lệ",
	"issuer":                "Thông tin cơ quan ban hành chưa đầy đủ",
	"national run options":  "Tùy chọn chạy toàn quốc chưa hợp lệ",
	"nominations":           "Hồ sơ đề nghị khen thưởng chưa hợp lệ",
	"plan report":           "Báo cáo chưa hợp lệ",
	"proposal":              "Đề xuất chưa hợp lệ",
	"report":                "Báo cáo chưa hợp lệ",
	"responsibility review": "Báo cáo kiểm điểm trách nhiệm chưa hợp lệ",
	"results":               "Kết quả đánh giá chưa hợp lệ",
	"results appraisal":     "Kết quả thẩm định kết quả chuyển hóa chưa hợp lệ",
	"review":                "Báo cáo kiểm điểm chưa hợp lệ",
	"standing":              "Tình trạng của địa bàn chưa hợp lệ",
	"year-end appraisal":    "Kết quả thẩm định cuối năm chưa hợp lệ",
	"recognition appraisal": "Kết luận thẩm định trước khi công nhận chưa hợp lệ",
	"yearly cycle":          "Thông tin mở chu kỳ chưa hợp lệ",
}

// invalidHeadingsOf are the headings that end with what they are about
// ("policy 003-…"), by that prefix: %s is said with the rest. A slice,
// not a map: workflow code calls InvalidHeading, and walks it in order.
var invalidHeadingsOf = []struct{ prefix, vi string }{
	{"award nominations of ", "Hồ sơ đề nghị khen thưởng của %s chưa hợp lệ"},
	{"province registry ", "Danh mục đơn vị hành chính của tỉnh %s chưa hợp lệ"},
	{"policy ", "Kế hoạch %s chưa hợp lệ"},
}

// InvalidHeading is heading said in Vietnamese, "Dữ liệu chưa hợp lệ" when
// it is not one of invalidHeadings.
func InvalidHeading(heading string) string {
	if vi, ok := invalidHeadings[heading]; ok {
		return vi
	}
	for _, h := range invalidHeadingsOf {
		if name, ok := strings.CutPrefix(heading, h.prefix); ok {
			return strings.Replace(h.vi, "%s", name, 1)
		}
	}
	return "Dữ liệu chưa hợp lệ"
}
