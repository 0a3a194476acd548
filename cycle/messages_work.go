package cycle

// Messages of officers' work in the inbox: claims and delegations.
func init() {
	defineMessages(map[string]Text{
		"work.claimed": {
			VI: "Việc %[1]s đang do %[2]s xử lý (nhận lúc %[3]s); chờ người đó trả lại việc hoặc hoàn thành.",
			EN: "task %[1]s is being handled by %[2]s (claimed at %[3]s); wait until they release or complete it",
		},
		"delegation.self": {
			VI: "Không thể ủy quyền ký cho chính mình.",
			EN: "a head cannot delegate his signature to himself",
		},
		"delegation.period": {
			VI: "Thời hạn ủy quyền không hợp lệ: từ ngày %[1]s đến ngày %[2]s.",
			EN: "the delegation's period is not valid: from %[1]s to %[2]s",
		},
		"delegation.title": {
			VI: "Cần ghi chức vụ của người ký thay (ví dụ: PHÓ TRƯỞNG BAN).",
			EN: "the deputy's title is required (e.g. PHÓ TRƯỞNG BAN)",
		},
	})
}
