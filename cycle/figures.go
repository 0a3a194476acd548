package cycle

// The report figures as officers and documents name them: each figure's
// label in Vietnamese (the plans' words) and in English, in the message
// catalogue under "figure.<name>".
var figureLabels = map[string]Text{
	"tips_received":                {VI: "Số tố giác, tin báo về tội phạm tiếp nhận", EN: "crime reports received"},
	"tips_handled":                 {VI: "Số tố giác, tin báo về tội phạm đã giải quyết", EN: "crime reports handled"},
	"political_system_stable":      {VI: "Hệ thống chính trị ổn định, vững mạnh, đoàn kết", EN: "political system stable and united"},
	"self_management_models":       {VI: "Số mô hình tự quản, tự phòng hoạt động hiệu quả", EN: "working self-management models"},
	"households":                   {VI: "Số hộ gia đình trên địa bàn", EN: "households"},
	"households_informed":          {VI: "Số hộ được tuyên truyền về phòng, chống tội phạm", EN: "households informed"},
	"organised_crime_groups":       {VI: "Số băng, nhóm tội phạm có tổ chức, hoạt động kiểu “xã hội đen”", EN: "organised crime groups"},
	"black_credit_cases":           {VI: "Số vụ phạm tội, vi phạm liên quan “tín dụng đen”", EN: "“black credit” cases"},
	"cases_prosecuted":             {VI: "Số vụ án hình sự đã khởi tố", EN: "criminal cases prosecuted"},
	"cases_solved":                 {VI: "Số vụ án đã điều tra, khám phá", EN: "cases solved"},
	"serious_cases_prosecuted":     {VI: "Số vụ án rất nghiêm trọng, đặc biệt nghiêm trọng đã khởi tố", EN: "very serious cases prosecuted"},
	"serious_cases_solved":         {VI: "Số vụ án rất nghiêm trọng, đặc biệt nghiêm trọng đã khám phá", EN: "very serious cases solved"},
	"social_order_crimes":          {VI: "Số vụ phạm tội về trật tự xã hội", EN: "crimes against social order"},
	"proactive_cases":              {VI: "Trong đó số vụ do lực lượng chức năng chủ động phát hiện", EN: "of which found proactively"},
	"social_evil_hotspots":         {VI: "Số tụ điểm tệ nạn xã hội cuối kỳ", EN: "social-evil hotspots at the end of the period"},
	"new_hotspots":                 {VI: "Số điểm, tụ điểm phức tạp mới phát sinh", EN: "new hotspots"},
	"released_prisoners":           {VI: "Số người chấp hành xong án phạt tù, được đặc xá về địa phương", EN: "released prisoners living here"},
	"reoffenders":                  {VI: "Trong đó số người tái phạm tội", EN: "of which reoffended"},
	"counterfeit_businesses":       {VI: "Số cơ sở kinh doanh hàng giả, hàng cấm cuối kỳ", EN: "counterfeit businesses at the end of the period"},
	"economic_cases":               {VI: "Số vụ vi phạm về trật tự quản lý kinh tế được phát hiện, xử lý", EN: "economic cases detected and handled"},
	"prolonged_economic_cases":     {VI: "Số vụ việc kinh tế nghiêm trọng kéo dài, phát hiện muộn", EN: "prolonged serious economic cases"},
	"repeat_environment_violators": {VI: "Số đối tượng tái phạm về môi trường, tài nguyên, an toàn thực phẩm cuối kỳ", EN: "repeat environmental violators"},
	"environment_cases":            {VI: "Số vụ vi phạm về môi trường, tài nguyên, an toàn thực phẩm được phát hiện, xử lý", EN: "environment cases detected and handled"},
	"prolonged_environment_cases":  {VI: "Số vụ việc môi trường nghiêm trọng kéo dài, phát hiện muộn", EN: "prolonged serious environment cases"},
	"drug_outrage":                 {VI: "Tội phạm ma túy gây bức xúc trong nhân dân", EN: "drug crime caused public outrage"},
	"drug_hotspots":                {VI: "Số điểm, tụ điểm ma túy cuối kỳ", EN: "drug hotspots at the end of the period"},
	"new_drug_hotspots":            {VI: "Số điểm, tụ điểm ma túy mới phát sinh", EN: "new drug hotspots"},
	"drug_cases":                   {VI: "Số vụ phạm tội về ma túy được phát hiện, xử lý", EN: "drug cases detected and handled"},
	"compulsory_rehab":             {VI: "Số người đưa đi cai nghiện bắt buộc", EN: "people sent to compulsory rehabilitation"},
	"addicts":                      {VI: "Số người nghiện, sử dụng trái phép chất ma túy cuối kỳ", EN: "drug users at the end of the period"},
	"new_addicts":                  {VI: "Số người nghiện mới phát hiện trong kỳ", EN: "new drug users"},
	"mass_disorder_incidents":      {VI: "Số vụ tụ tập đông người gây mất an ninh, biểu tình, bạo loạn, khủng bố", EN: "mass disorder incidents"},
	"serious_traffic_accidents":    {VI: "Số vụ tai nạn giao thông nghiêm trọng", EN: "serious traffic accidents"},
	"cultured_families":            {VI: "Số hộ đạt danh hiệu “Gia đình văn hóa”", EN: "households rated “cultured family”"},
	"patrols_per_week":             {VI: "Số lần tuần tra ban đêm mỗi tuần", EN: "night patrols per week"},
	"other_models":                 {VI: "Số mô hình quần chúng khác hoạt động hiệu quả", EN: "other working mass models"},
}

func init() {
	m := map[string]Text{}
	for name, t := range figureLabels {
		if _, ok := figureCatalogue[name]; !ok {
			panic("cycle: label of an unknown figure " + name)
		}
		m["figure."+name] = t
	}
	for name := range figureCatalogue {
		if _, ok := figureLabels[name]; !ok {
			panic("cycle: figure " + name + " has no label")
		}
	}
	defineMessages(m)
}

// FigureLabel is a report figure's name for people, in a language.
func FigureLabel(lang Lang, name string) string {
	if _, ok := figureLabels[name]; !ok {
		return name
	}
	return Say(lang, "figure."+name)
}

// IsYesNoFigure reports whether a report figure is a yes/no answer.
func IsYesNoFigure(name string) bool {
	_, b := isFigure(name)
	return b
}
