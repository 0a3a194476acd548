package cycle

import "strings"

// Messages of the workflows' refusals that officers read (a step out of
// its time, a task already done, a request being recorded), and the names
// of phases, standings and award phases in both languages.

// Say names a phase for people.
func (p Phase) Say(lang Lang) string { return Say(lang, "phase."+string(p)) }

// Say names a standing for people.
func (s Standing) Say(lang Lang) string { return Say(lang, "standing."+string(s)) }

// Say names a role for people; a role that is not one of Roles (a
// request's claim being refused) is said as it was given.
func (r Role) Say(lang Lang) string {
	if !r.Valid() {
		return string(r)
	}
	return Say(lang, "role."+string(r))
}

// Say names a kind of task for people.
func (k TaskKind) Say(lang Lang) string { return Say(lang, "task_kind."+string(k)) }

// TaskRef is a task's ID in a message: said as its kind, and the unit,
// commune or year its ID names ("Gửi báo cáo 6 tháng (21010/2027)").
type TaskRef string

// Say names the task for people.
func (id TaskRef) Say(lang Lang) string {
	kind, rest, _ := strings.Cut(string(id), "/")
	if _, ok := Message("task_kind." + kind); !ok {
		return string(id)
	}
	if rest == "" {
		return TaskKind(kind).Say(lang)
	}
	return TaskKind(kind).Say(lang) + " (" + rest + ")"
}

// Name is a task's title, or its kind's name.
func (t Task) Name() string {
	if t.Title != "" {
		return t.Title
	}
	return TaskKind(t.Kind).Say(Vietnamese)
}

// Say names an award round's phase for people.
func (p AwardPhase) Say(lang Lang) string { return Say(lang, "award_phase."+string(p)) }

func init() {
	defineMessages(map[string]Text{
		"phase.proposals":      {VI: "nhận đề xuất của các đơn vị", EN: "proposals"},
		"phase.consolidation":  {VI: "tổng hợp, lựa chọn danh sách", EN: "consolidation"},
		"phase.appraisal":      {VI: "Hội đồng thẩm định danh sách", EN: "appraisal"},
		"phase.signing":        {VI: "trình ký quyết định", EN: "signing"},
		"phase.issue":          {VI: "vào sổ, ban hành quyết định", EN: "issue"},
		"phase.issued":         {VI: "đã ban hành quyết định phê duyệt danh sách", EN: "issued"},
		"phase.transformation": {VI: "thực hiện chuyển hóa trong năm", EN: "transformation"},
		"phase.results":        {VI: "thẩm định, công bố kết quả năm", EN: "results"},
		"phase.follow_up":      {VI: "theo dõi sau 6 tháng, chuyển hóa năm thứ hai", EN: "follow_up"},
		"phase.closed":         {VI: "đã kết thúc", EN: "closed"},

		"standing.in_programme":          {VI: "đang thực hiện chuyển hóa", EN: "in_programme"},
		"standing.follow_up":             {VI: "đang theo dõi 6 tháng sau đánh giá", EN: "follow_up"},
		"standing.recognised":            {VI: "đã được công nhận chuyển hóa đạt", EN: "recognised"},
		"standing.relapsed":              {VI: "không giữ vững kết quả sau 6 tháng", EN: "relapsed"},
		"standing.second_year":           {VI: "tiếp tục chuyển hóa năm thứ hai", EN: "second_year"},
		"standing.responsibility_review": {VI: "xem xét trách nhiệm sau hai năm không đạt", EN: "responsibility_review"},

		"role.secretariat":      {VI: "Cơ quan Thường trực (Công an tỉnh)", EN: "secretariat"},
		"role.district_officer": {VI: "cán bộ đơn vị cấp huyện", EN: "district_officer"},
		"role.council_member":   {VI: "thành viên Hội đồng thẩm định", EN: "council_member"},
		"role.council_chair":    {VI: "Chủ tịch Hội đồng thẩm định", EN: "council_chair"},
		"role.signer":           {VI: "Trưởng Ban Chỉ đạo", EN: "signer"},
		"role.deputy_signer":    {VI: "Phó Trưởng Ban Chỉ đạo", EN: "deputy_signer"},
		"role.clerk":            {VI: "văn thư", EN: "clerk"},
		"role.admin":            {VI: "quản trị hệ thống", EN: "admin"},

		"task_kind.submit_proposal":       {VI: "Gửi đề xuất địa bàn", EN: "submit_proposal"},
		"task_kind.consolidate":           {VI: "Tổng hợp danh sách", EN: "consolidate"},
		"task_kind.appraise":              {VI: "Thẩm định danh sách", EN: "appraise"},
		"task_kind.sign":                  {VI: "Ký quyết định phê duyệt danh sách", EN: "sign"},
		"task_kind.issue":                 {VI: "Ban hành quyết định phê duyệt danh sách", EN: "issue"},
		"task_kind.half_year_report":      {VI: "Gửi báo cáo 6 tháng", EN: "half_year_report"},
		"task_kind.yearly_report":         {VI: "Gửi báo cáo năm", EN: "yearly_report"},
		"task_kind.follow_up_report":      {VI: "Gửi báo cáo theo dõi sau 6 tháng", EN: "follow_up_report"},
		"task_kind.failure_review":        {VI: "Kiểm điểm, làm rõ nguyên nhân chưa chuyển hóa đạt", EN: "failure_review"},
		"task_kind.responsibility_review": {VI: "Xem xét trách nhiệm tập thể, cá nhân", EN: "responsibility_review"},
		"task_kind.appraise_results":      {VI: "Thẩm định kết quả chuyển hóa năm", EN: "appraise_results"},
		"task_kind.sign_results":          {VI: "Ký kết luận kết quả chuyển hóa năm", EN: "sign_results"},
		"task_kind.issue_results":         {VI: "Ban hành thông báo, báo cáo kết quả năm", EN: "issue_results"},
		"task_kind.appraise_recognition":  {VI: "Thẩm định kết quả theo dõi trước khi công nhận", EN: "appraise_recognition"},
		"task_kind.sign_recognition":      {VI: "Ký quyết định công nhận chuyển hóa đạt", EN: "sign_recognition"},
		"task_kind.issue_recognition":     {VI: "Ban hành quyết định công nhận chuyển hóa đạt", EN: "issue_recognition"},
		"task_kind.sign_review":           {VI: "Ký báo cáo sơ kết công tác chuyển hóa", EN: "sign_review"},
		"task_kind.nominate":              {VI: "Gửi hồ sơ đề nghị khen thưởng", EN: "nominate"},
		"task_kind.award_review":          {VI: "Xét duyệt hồ sơ khen thưởng", EN: "award_review"},
		"task_kind.award_sign":            {VI: "Ký quyết định khen thưởng", EN: "award_sign"},
		"task_kind.plan_report":           {VI: "Báo cáo, sơ kết theo kế hoạch", EN: "plan_report"},
		"task_kind.award_issue":           {VI: "Ban hành quyết định khen thưởng", EN: "award_issue"},

		"award_phase.nominations": {VI: "nhận hồ sơ đề nghị khen thưởng", EN: "nominations"},
		"award_phase.review":      {VI: "Hội đồng Thi đua – Khen thưởng xét duyệt", EN: "review"},
		"award_phase.signing":     {VI: "trình ký quyết định khen thưởng", EN: "signing"},
		"award_phase.issue":       {VI: "vào sổ, ban hành quyết định khen thưởng", EN: "issue"},
		"award_phase.issued":      {VI: "đã ban hành quyết định khen thưởng", EN: "issued"},

		"flow.exists": {
			VI: "%[1]s đã được mở (quy trình %[2]s); mỗi chu kỳ chỉ mở một lần.",
			EN: "%[1]s already exists (workflow %[2]s); it is opened once",
		},
		"flow.request_id": {
			VI: "Thiếu mã yêu cầu, nên không bảo đảm một yêu cầu gửi lại không bị ghi hai lần.",
			EN: "request_id is required, so that a retried request is not applied twice",
		},
		"flow.busy": {
			VI: "Công việc «%s» đang được một yêu cầu khác hoàn thành; vui lòng thử lại sau giây lát.",
			EN: "task %s is being completed by another request",
		},
		"flow.not_open_phase": {
			VI: "Công việc «%[1]s» chưa mở hoặc đã xong: chu kỳ đang ở bước %[2]s.",
			EN: "task %[1]s is not open: the cycle is in phase %[2]s",
		},
		"flow.starting": {
			VI: "Chu kỳ đang khởi động (nạp danh mục đơn vị hành chính); vui lòng thử lại sau giây lát.",
			EN: "the cycle is starting (loading its registry); retry in a moment",
		},
		"selection.not_unit": {
			VI: "«%[1]s» không phải là %[2]s của %[3]s.",
			EN: "unit %[1]q is not a %[2]s of %[3]s",
		},
		"selection.proposals_closed": {
			VI: "Đã hết thời gian nhận đề xuất: Cơ quan Thường trực đã tổng hợp danh sách (chu kỳ đang ở bước %s).",
			EN: "proposals are closed: the secretariat has consolidated the list (phase %s)",
		},
		"selection.late_revision": {
			VI: "%[1]s đã gửi đề xuất lần %[2]d; sau hạn %[3]s không nhận bản sửa đổi — đề nghị liên hệ Cơ quan Thường trực.",
			EN: "%[1]s already submitted revision %[2]d; a revision after the due date %[3]s is refused — ask the secretariat",
		},
		"selection.close_role": {
			VI: "Chỉ Cơ quan Thường trực kết thúc việc nhận đề xuất; tài khoản này là %s.",
			EN: "only the secretariat closes the proposals; this account is %s",
		},
		"selection.close_phase": {
			VI: "Không thể kết thúc nhận đề xuất: chu kỳ đang ở bước %s.",
			EN: "the proposals cannot be closed: the cycle is in phase %s",
		},
		"selection.close_reason": {
			VI: "Còn %[1]d đơn vị chưa gửi đề xuất: cần ghi lý do kết thúc sớm (ít nhất %[2]d ký tự).",
			EN: "%[1]d units have not submitted: a reason of at least %[2]d characters is required to close early",
		},
		"selection.closed_task": {
			VI: "Cơ quan Thường trực đã kết thúc nhận đề xuất ngày %[1]s. %[2]s",
			EN: "the secretariat closed the proposals on %[1]s. %[2]s",
		},
		"selection.closed_early": {
			VI: "Cơ quan Thường trực đã kết thúc nhận đề xuất ngày %[1]s (%[2]s); không nhận thêm đề xuất.",
			EN: "the secretariat closed the proposals on %[1]s (%[2]s); no proposal is taken",
		},
		"selection.recording": {
			VI: "Đề xuất của %s đang được ghi nhận; vui lòng thử lại sau giây lát.",
			EN: "a submission for %s is being recorded; retry in a moment",
		},
		"selection.empty_draft": {
			VI: "Dự thảo danh sách trống: không địa bàn nào được đề xuất đủ tiêu chí hoặc được giữ lại.",
			EN: "the draft list is empty: no proposed commune is eligible or kept",
		},
		"transformation.required": {
			VI: "Thiếu chu kỳ, địa bàn, năm hoặc đơn vị báo cáo của quy trình chuyển hóa.",
			EN: "commune transformation: cycle, commune, year and reporting unit are required",
		},
		"transformation.task_not_open": {
			VI: "Công việc «%[1]s» không còn mở: %[2]s %[3]s.",
			EN: "task %[1]s is not open (%[2]s is %[3]s)",
		},
		"transformation.report_not_expected": {
			VI: "Hiện không chờ %[1]s của %[2]s (địa bàn %[3]s).",
			EN: "no %[1]s of %[2]s is expected now (%[3]s)",
		},
		"transformation.report_kind": {
			VI: "Loại báo cáo %q không có; chỉ có báo cáo 6 tháng, báo cáo năm và báo cáo theo dõi.",
			EN: "kind %q: want half_year, yearly or follow_up",
		},
		"transformation.report_too_early": {
			VI: "%[1]s của %[2]s cho kỳ %[3]s chỉ nhận từ ngày %[4]s, ngày cuối của kỳ số liệu.",
			EN: "the %[1]s of %[2]s for %[3]s opens on %[4]s, the last day of the period",
		},
		"transformation.review_both": {
			VI: "Chỉ gửi một trong hai: báo cáo kiểm điểm hoặc kết luận xem xét trách nhiệm.",
			EN: "send either a failure review or a responsibility review, not both",
		},
		"transformation.review_none": {
			VI: "Chưa có nội dung: gửi báo cáo kiểm điểm (nguyên nhân, giải pháp) hoặc kết luận xem xét trách nhiệm (tập thể, cá nhân; ảnh hưởng thi đua).",
			EN: "no review given: send failure (causes, remedies) or responsibility (units concerned, emulation)",
		},
		"transformation.review_not_open": {
			VI: "Không có %[1]s nào của %[2]s đang mở (địa bàn %[3]s).",
			EN: "no %[1]s of %[2]s is open (%[3]s)",
		},
		"transformation.review_signature_required": {
			VI: "Báo cáo sơ kết này được ký số bằng chứng thư số của chính người ký: hãy ký trên trang ký số của hộp công việc (cần phần mềm ký số đang chạy trên máy của đồng chí) hoặc bằng lệnh ký của dòng lệnh",
			EN: "this review report is signed with the signer's own certificate: sign it on the signing page (the signing agent must be running on the officer's computer) or with `starter plan-report sign`",
		},
		"transformation.year_not_started": {
			VI: "Năm chuyển hóa chưa bắt đầu: chu kỳ đang ở bước %s.",
			EN: "the cycle is in phase %s: its transformation year has not started",
		},
		"awards.wrong_phase": {
			VI: "Đợt khen thưởng đang ở bước %[1]s, không phải bước %[2]s.",
			EN: "the award round is in phase %[1]s, not %[2]s",
		},
		"awards.busy": {
			VI: "Một yêu cầu khác của đợt khen thưởng đang được ghi nhận; vui lòng thử lại sau giây lát.",
			EN: "another request of the award round is being completed",
		},
		"awards.no_scheme": {
			VI: "Kế hoạch %s không quy định khen thưởng (kế hoạch 001 và 003 có quy định).",
			EN: "policy %s has no award scheme (001 and 003 have one)",
		},
		"awards.not_nominating": {
			VI: "Đơn vị «%s» không thuộc đối tượng đề nghị khen thưởng trong đợt này.",
			EN: "unit %q does not nominate in this round",
		},
		"awards.closed": {
			VI: "Đã hết hạn nhận hồ sơ đề nghị khen thưởng (ngày %s).",
			EN: "nominations closed on %s",
		},
		"awards.none": {
			VI: "Chưa có đề nghị khen thưởng nào.",
			EN: "no nomination given",
		},
		"task.no_officer": {
			VI: "Công việc «%s»: chưa xác định cán bộ thực hiện.",
			EN: "task %s: the officer is not identified",
		},
		"task.wrong_role": {
			VI: "Công việc «%[1]s» do %[2]s thực hiện; tài khoản %[3]s là %[4]s.",
			EN: "task %[1]s is for the %[2]s role; %[3]s acts as %[4]s",
		},
		"task.wrong_unit": {
			VI: "Công việc «%[1]s» của đơn vị %[2]s; tài khoản %[3]s thuộc đơn vị %[4]s.",
			EN: "task %[1]s is for unit %[2]s; %[3]s belongs to unit %[4]q",
		},
	})
}
