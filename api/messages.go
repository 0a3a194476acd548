package api

import "chuyenhoa/cycle"

// The front door's messages, in the one catalogue (package cycle).
func init() {
	cycle.DefineMessages(map[string]cycle.Text{
		"api.year":                {VI: "Năm %q không hợp lệ.", EN: "%q is not a year"},
		"api.scope":               {VI: "Không có loại quy trình %q (chỉ có chu kỳ chuyển hóa và đợt khen thưởng).", EN: "no process %q (cycle or awards)"},
		"api.task_address":        {VI: "Địa chỉ công việc không đầy đủ: cần quy trình, tỉnh, năm và mã công việc.", EN: "incomplete task address: process, province, year and task ID"},
		"api.task_not_yours":      {VI: "Công việc «%s» không thuộc phạm vi của tài khoản này.", EN: "task %q is not for this account"},
		"api.task_closed":         {VI: "Công việc «%s» đã hoàn thành hoặc đã đóng.", EN: "task %q is completed or closed"},
		"api.wrong_role":          {VI: "Công việc «%[1]s» do %[2]s thực hiện; tài khoản này là %[3]s.", EN: "task %[1]q is for the %[2]s; this account is %[3]s"},
		"api.wrong_unit":          {VI: "Công việc «%[1]s» của đơn vị %[2]s; tài khoản này thuộc đơn vị %[3]s.", EN: "task %[1]q belongs to unit %[2]s; this account is of unit %[3]s"},
		"api.no_delegation":       {VI: "Không có quyết định ủy quyền ký thay còn hiệu lực ngày %s cho tài khoản này.", EN: "no delegation to this account is in force on %s"},
		"api.proposal_other_unit": {VI: "Tệp là đề xuất của đơn vị %[1]s, không phải của đơn vị %[2]s.", EN: "the file is the proposal of unit %[1]s, not of unit %[2]s"},
		"api.idempotency_key":     {VI: "Thiếu hoặc sai khóa yêu cầu (Idempotency-Key): 8–100 ký tự chữ, số, '.', '_', ':', '-'.", EN: "Idempotency-Key is missing or malformed: 8 to 100 letters, digits, '.', '_', ':', '-'"},
		"api.no_kind":             {VI: "Không có loại công việc %q.", EN: "no task kind %q"},
		"api.not_found":           {VI: "Không tìm thấy trang %s.", EN: "no page %s"},
		"api.no_route":            {VI: "Không có đường dẫn %[1]s %[2]s (xem openapi.yaml).", EN: "no route %[1]s %[2]s (see openapi.yaml)"},
		"api.csrf":                {VI: "Biểu mẫu đã cũ hoặc không gửi từ trang này; vui lòng tải lại trang.", EN: "the form is stale or did not come from this site; reload the page"},
		"api.cross_site":          {VI: "Yêu cầu đăng nhập không đến từ trang này.", EN: "the sign-in did not come from this site"},
		"api.forbidden_role":      {VI: "Chức năng này dành cho %s.", EN: "this is for the %s"},
		"api.attachment_type":     {VI: "Tệp «%s» không phải PDF, ảnh (JPEG, PNG), Word hay Excel.", EN: "%q is not a PDF, an image (JPEG, PNG), a Word or an Excel file"},
		"api.attachment_size":     {VI: "Tệp «%[1]s» lớn %[2]s byte, vượt giới hạn %[3]s byte.", EN: "%[1]q is %[2]s bytes, over the limit of %[3]s bytes"},
		"api.attachment_empty":    {VI: "Chưa chọn tệp đính kèm.", EN: "no file given"},
		"api.form_number":         {VI: "«%s» không phải số nguyên không âm.", EN: "%q is not a whole number ≥ 0"},
		"api.form_required":       {VI: "Cần nhập %s.", EN: "%s is required"},
		"api.form_choice":         {VI: "Chọn một trong các phương án: %s.", EN: "choose one of: %s"},
	})
}
