package cycle

// The cycles' histories, as the workflows record them: each event in
// English for operators and in Vietnamese for officers.

// Say names an outcome for people.
func (o Outcome) Say(lang Lang) string { return Say(lang, "outcome."+string(o)) }

// Say names a kind of review for people.
func (k ReviewKind) Say(lang Lang) string { return Say(lang, "review_kind."+string(k)) }

func init() {
	defineMessages(map[string]Text{
		"outcome.pass":                {VI: "đạt", EN: "pass"},
		"outcome.fail":                {VI: "không đạt", EN: "fail"},
		"outcome.scored":              {VI: "chấm điểm, chờ Hội đồng kết luận", EN: "scored"},
		"review_kind.failure":         {VI: "kiểm điểm, làm rõ nguyên nhân", EN: "failure"},
		"review_kind.responsibility":  {VI: "xem xét trách nhiệm", EN: "responsibility"},
		"event.cycle_opened":          {VI: "Mở chu kỳ chuyển hóa năm %[1]d của %[2]s theo kế hoạch %[3]s.", EN: "cycle %[1]d opened for %[2]s under policy %[3]s"},
		"event.continued":             {VI: "Quy trình tiếp tục trong lượt chạy mới (lịch sử %d sự kiện).", EN: "the cycle continues in a new run (history of %d events)"},
		"event.proposal":              {VI: "%[1]s gửi đề xuất lần %[2]d, đề xuất %[3]d địa bàn.", EN: "%[1]s: proposal revision %[2]d, %[3]d communes proposed"},
		"event.draft":                 {VI: "Dự thảo danh sách %[1]d địa bàn từ %[2]d địa bàn được đề xuất (%[3]d đủ tiêu chí, hạn mức %[4]d).", EN: "draft list of %[1]d communes from %[2]d proposed (%[3]d eligible, cap %[4]d)"},
		"event.no_proposal":           {VI: "%s không gửi đề xuất.", EN: "%s did not submit a proposal"},
		"event.approved":              {VI: "Hội đồng thẩm định thông qua danh sách %[1]d địa bàn (đưa ra %[2]d).", EN: "council approved a list of %[1]d communes (%[2]d removed)"},
		"event.returned":              {VI: "Hội đồng thẩm định trả lại danh sách cho Cơ quan Thường trực: %s", EN: "council returned the list to the secretariat: %s"},
		"event.signed":                {VI: "%[1]s ký quyết định phê duyệt danh sách %[2]d địa bàn.", EN: "%[1]s signed the decision approving %[2]d communes"},
		"event.issued":                {VI: "Ban hành Quyết định số %[1]s ngày %[2]s phê duyệt %[3]d địa bàn", EN: "decision %[1]s issued on %[2]s approving %[3]d communes"},
		"event.signed_sealed":         {VI: "đã ký số và đóng dấu số (%d chữ ký)", EN: "signed and sealed (%d signatures)"},
		"event.unsigned":              {VI: "chưa ký số (chưa cấu hình chữ ký số)", EN: "unsigned (no signing keys configured)"},
		"event.delivered":             {VI: "Văn bản %[1]s: %[2]s", EN: "decision %[1]s: %[2]s"},
		"event.no_recipient":          {VI: "không có nơi nhận để gửi", EN: "no recipient to deliver to"},
		"event.delivered_to":          {VI: "đã gửi đến %[1]d/%[2]d nơi nhận", EN: "delivered to %[1]d of %[2]d recipients"},
		"event.not_delivered":         {VI: "(chưa gửi được: %s)", EN: "(not delivered: %s)"},
		"event.proposals_closed":      {VI: "Cơ quan Thường trực kết thúc nhận đề xuất khi %[1]d/%[2]d đơn vị đã gửi. %[3]s", EN: "proposals closed by the secretariat with %[1]d of %[2]d units submitted. %[3]s"},
		"event.commune_year":          {VI: "%[1]s: năm thứ %[2]d thực hiện chuyển hóa (%[3]d).", EN: "%[1]s: year %[2]d of the transformation (%[3]d)"},
		"event.year_appraised":        {VI: "Kết quả năm %[1]d: %[2]s (%[3]s).", EN: "year %[1]d appraised: %[2]s (%[3]s)"},
		"event.review_owed":           {VI: "Chờ báo cáo kiểm điểm còn thiếu trước khi kết thúc.", EN: "waits for the failure review still owed before it ends"},
		"event.relapsed":              {VI: "Không giữ vững kết quả khi theo dõi sau 6 tháng (đạt %[1]d/%[2]d tiêu chí).", EN: "relapsed at the follow-up (%[1]d of %[2]d criteria met)"},
		"event.council_relapsed":      {VI: "Hội đồng thẩm định kết luận địa bàn tái phức tạp sau 6 tháng theo dõi: %s.", EN: "relapsed: the council concluded %s"},
		"event.council_held":          {VI: "Hội đồng thẩm định kết luận địa bàn giữ vững kết quả sau 6 tháng, đề nghị công nhận chuyển hóa đạt.", EN: "held: the council proposes its recognition"},
		"event.recognition_appraised": {VI: "Hội đồng thẩm định kết quả theo dõi của các địa bàn đạt năm %[1]d: đề nghị công nhận %[2]d/%[3]d địa bàn.", EN: "the council appraised the follow-ups of %[1]d: %[2]d of %[3]d proposed for recognition"},
		"event.relapsed_after":        {VI: "Tái phức tạp sau khi được công nhận: báo cáo năm %[1]d theo dõi duy trì kết quả không đạt (đạt %[2]d/%[3]d tiêu chí).", EN: "relapsed after its recognition: the yearly report of %[1]d fails (%[2]d of %[3]d criteria met)"},
		"event.sustained":             {VI: "Giữ vững kết quả sau khi được công nhận: báo cáo năm %[1]d đạt %[2]d/%[3]d tiêu chí.", EN: "held after its recognition: the yearly report of %[1]d meets %[2]d of %[3]d criteria"},
		"event.recognised":            {VI: "Được công nhận chuyển hóa đạt theo Quyết định số %s.", EN: "recognised as transformed by decision Số %s"},
		"event.report":                {VI: "Nhận %[1]s: %[2]s, đạt %[3]d/%[4]d tiêu chí.", EN: "%[1]s received: %[2]s, %[3]d of %[4]d criteria met"},
		"event.report_late":           {VI: "Nhận %[1]s (quá hạn): %[2]s, đạt %[3]d/%[4]d tiêu chí.", EN: "%[1]s received late: %[2]s, %[3]d of %[4]d criteria met"},
		"event.review":                {VI: "Nhận báo cáo %[1]s năm %[2]d.", EN: "%[1]s review of %[2]d received"},
		"event.plan_report":           {VI: "Nhận %[1]s (hạn %[2]s).", EN: "%[1]s due %[2]s received"},
		"event.review_issued":         {VI: "Ban hành Báo cáo sơ kết công tác chuyển hóa năm %[1]d, số %[2]s.", EN: "the review report of %[1]d issued: %[2]s"},
		"event.review_prepared":       {VI: "Báo cáo sơ kết công tác chuyển hóa năm %[1]d, số %[2]s, đã được lập và trình %[3]s ký số bằng chứng thư số của người ký.", EN: "the review report of %[1]d, %[2]s, is compiled and prepared for %[3]s to sign with their own certificate"},
		"event.cohort_closed":         {VI: "Mọi địa bàn của đợt đã có kết quả cuối cùng.", EN: "every commune of the cohort has its final outcome"},
		"event.year_started":          {VI: "Bắt đầu năm chuyển hóa %[1]d với %[2]d địa bàn.", EN: "transformation year %[1]d started for %[2]d communes"},
		"event.year_results":          {VI: "Năm %[1]d: %[2]d/%[3]d địa bàn chuyển hóa đạt; %[4]d địa bàn tiếp tục sang năm %[5]d.", EN: "year %[1]d: %[2]d of %[3]d communes transformed; %[4]d continue into %[5]d"},
		"event.no_recognition":        {VI: "Không địa bàn nào của năm %d giữ vững kết quả sau 6 tháng: không có quyết định công nhận.", EN: "no commune of %d held at its follow-up: no recognition"},
		"event.results_appraised":     {VI: "Hội đồng thẩm định kết quả năm %[1]d: %[2]d/%[3]d địa bàn chuyển hóa đạt.", EN: "the council appraised year %[1]d: %[2]d of %[3]d transformed"},
		"event.step_signed":           {VI: "Đã hoàn thành: %[1]s (năm %[2]d).", EN: "%[1]s of %[2]d done"},
		"event.results_issued":        {VI: "Ban hành văn bản kết quả năm %[1]d: %[2]s (tỷ lệ chuyển hóa đạt %[3]s, chỉ tiêu %[4]s).", EN: "results of %[1]d issued: %[2]s (transformed %[3]s, target %[4]s)"},
		"event.recognition_issued":    {VI: "Ban hành Quyết định công nhận số %[1]s: %[2]d địa bàn chuyển hóa đạt năm %[3]d.", EN: "recognition decision Số %[1]s issued: %[2]d communes transformed in %[3]d"},
		"event.round_opened":          {VI: "Mở đợt khen thưởng năm %[1]d theo kế hoạch %[2]s; hạn gửi hồ sơ %[3]s.", EN: "award round %[1]d opened under policy %[2]s; nominations due %[3]s"},
		"event.nominated":             {VI: "%[1]s gửi %[2]d đề nghị khen thưởng (lần %[3]d).", EN: "%[1]s nominated %[2]d (revision %[3]d)"},
		"event.nominations_closed":    {VI: "Kết thúc nhận hồ sơ với %d đề nghị khen thưởng.", EN: "nominations closed with %d nominations"},
		"event.awards_reviewed":       {VI: "Hội đồng đề nghị khen thưởng %[1]d/%[2]d trường hợp.", EN: "the council put forward %[1]d of %[2]d nominations"},
		"event.awards_signed":         {VI: "Đã ký quyết định khen thưởng.", EN: "the award decision is signed"},
		"event.awards_issued":         {VI: "Ban hành Quyết định khen thưởng số %[1]s cho %[2]d tập thể, cá nhân", EN: "award decision Số %[1]s issued for %[2]d awardees"},
	})
}
