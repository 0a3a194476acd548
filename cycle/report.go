package cycle

import (
	"reflect"
	"sort"
	"strings"
)

// ReportFigures are what a commune (or its district, for it) reports for a
// period of the transformation (báo cáo kết quả chuyển hóa): the figures
// the plans' success criteria are judged on. Every field is optional — a
// criterion whose figure is missing fails with "not reported", it is never
// assumed — and each is named in JSON as in policy files' criteria.
//
// Counts are over the statistics period unless the name says "at the end of
// the period". Rates are not reported: the evaluation computes them from
// the counts, so that "76% < 80%" can always be traced to "19 of 25".
type ReportFigures struct {
	// General criteria (000 §II.3.a, 002 §I.2).
	TipsReceived          *int  `json:"tips_received,omitempty"`           // tố giác, tin báo về tội phạm received
	TipsHandled           *int  `json:"tips_handled,omitempty"`            // … of which received and handled
	PoliticalSystemStable *bool `json:"political_system_stable,omitempty"` // hệ thống chính trị ổn định, vững mạnh, đoàn kết
	SelfManagementModels  *int  `json:"self_management_models,omitempty"`  // working self-management models (mô hình tự quản, tự phòng…)
	Households            *int  `json:"households,omitempty"`              // households in the commune
	HouseholdsInformed    *int  `json:"households_informed,omitempty"`     // … informed about crime prevention

	// Social-order crime (Loại 1).
	OrganisedCrimeGroups   *int `json:"organised_crime_groups,omitempty"`   // active organised / "xã hội đen" groups
	BlackCreditCases       *int `json:"black_credit_cases,omitempty"`       // crimes and violations linked to "tín dụng đen"
	CasesProsecuted        *int `json:"cases_prosecuted,omitempty"`         // criminal cases prosecuted (án khởi tố)
	CasesSolved            *int `json:"cases_solved,omitempty"`             // … of which investigated and solved (điều tra, khám phá)
	SeriousCasesProsecuted *int `json:"serious_cases_prosecuted,omitempty"` // very serious and especially serious cases prosecuted
	SeriousCasesSolved     *int `json:"serious_cases_solved,omitempty"`     // … of which solved
	SocialOrderCrimes      *int `json:"social_order_crimes,omitempty"`      // crimes against social order (vụ phạm tội xâm phạm TTXH)
	ProactiveCases         *int `json:"proactive_cases,omitempty"`          // … of which found proactively (gambling, prostitution…)
	SocialEvilHotspots     *int `json:"social_evil_hotspots,omitempty"`     // social-evil hotspots at the end of the period
	NewHotspots            *int `json:"new_hotspots,omitempty"`             // new complex hotspots formed in the period
	ReleasedPrisoners      *int `json:"released_prisoners,omitempty"`       // people released from prison or pardoned living here
	Reoffenders            *int `json:"reoffenders,omitempty"`              // … of which reoffended

	// Economic management (Loại 2).
	CounterfeitBusinesses  *int `json:"counterfeit_businesses,omitempty"`   // businesses trading counterfeit or banned goods at the end of the period
	EconomicCases          *int `json:"economic_cases,omitempty"`           // economic, smuggling, fraud, counterfeit cases detected and handled
	ProlongedEconomicCases *int `json:"prolonged_economic_cases,omitempty"` // prolonged serious cases found late

	// Environment, resources, food safety (Loại 3).
	RepeatEnvironmentViolators *int `json:"repeat_environment_violators,omitempty"` // repeat violators at the end of the period
	EnvironmentCases           *int `json:"environment_cases,omitempty"`            // cases detected and handled
	ProlongedEnvironmentCases  *int `json:"prolonged_environment_cases,omitempty"`  // prolonged serious cases found late

	// Drugs (Loại 4).
	DrugOutrage     *bool `json:"drug_outrage,omitempty"`      // drug crime caused public outrage
	DrugHotspots    *int  `json:"drug_hotspots,omitempty"`     // drug hotspots at the end of the period
	NewDrugHotspots *int  `json:"new_drug_hotspots,omitempty"` // new drug hotspots formed
	DrugCases       *int  `json:"drug_cases,omitempty"`        // drug crimes detected and handled
	CompulsoryRehab *int  `json:"compulsory_rehab,omitempty"`  // people sent to compulsory rehabilitation
	Addicts         *int  `json:"addicts,omitempty"`           // registered drug users at the end of the period
	NewAddicts      *int  `json:"new_addicts,omitempty"`       // new drug users in the period

	// Figures of the "An ninh cơ sở" table (004) that the others lack.
	MassDisorderIncidents   *int `json:"mass_disorder_incidents,omitempty"`   // mass gatherings disturbing security, protests, riots, terrorism
	SeriousTrafficAccidents *int `json:"serious_traffic_accidents,omitempty"` // serious traffic accidents
	CulturedFamilies        *int `json:"cultured_families,omitempty"`         // households rated "Gia đình văn hóa" at year end
	PatrolsPerWeek          *int `json:"patrols_per_week,omitempty"`          // night patrols per week by the local forces
	OtherModels             *int `json:"other_models,omitempty"`              // working mass models besides the mandatory "Tổ nhân dân tự quản"
}

// figureField is one entry of the catalogue of report figures.
type figureField struct {
	index   int
	boolean bool
	doc     string
}

var figureCatalogue = func() map[string]figureField {
	out := map[string]figureField{}
	t := reflect.TypeOf(ReportFigures{})
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		out[name] = figureField{index: i, boolean: f.Type.Elem().Kind() == reflect.Bool}
	}
	return out
}()

// FigureNames returns the JSON names of every report figure, sorted.
func FigureNames() []string {
	out := make([]string, 0, len(figureCatalogue))
	for n := range figureCatalogue {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// isFigure reports whether name is a report figure, and whether it is a yes/no one.
func isFigure(name string) (ok, boolean bool) {
	f, ok := figureCatalogue[name]
	return ok, f.boolean
}

// Figure returns the value of the named figure (a yes/no figure is 1 or 0)
// and whether it was reported.
func (r ReportFigures) Figure(name string) (int, bool) {
	f, ok := figureCatalogue[name]
	if !ok {
		return 0, false
	}
	v := reflect.ValueOf(r).Field(f.index)
	if v.IsNil() {
		return 0, false
	}
	if f.boolean {
		if v.Elem().Bool() {
			return 1, true
		}
		return 0, true
	}
	return int(v.Elem().Int()), true
}

// FigureTitle is the Vietnamese title of a report figure, as officers
// read it in messages and in the column headers of report tables; the
// figure's name itself when it has none.
func FigureTitle(name string) string {
	if t, ok := figureTitles[name]; ok {
		return t
	}
	return name
}

var figureTitles = map[string]string{
	"tips_received":                "Số tố giác, tin báo về tội phạm tiếp nhận",
	"tips_handled":                 "Số tố giác, tin báo về tội phạm đã phân loại, xử lý",
	"political_system_stable":      "Hệ thống chính trị ổn định, vững mạnh, đoàn kết",
	"self_management_models":       "Số mô hình tự quản, tự phòng hoạt động hiệu quả",
	"households":                   "Số hộ gia đình",
	"households_informed":          "Số hộ được tuyên truyền về phòng, chống tội phạm",
	"organised_crime_groups":       "Số băng, nhóm tội phạm có tổ chức, hoạt động kiểu “xã hội đen”",
	"black_credit_cases":           "Số vụ phạm tội, vi phạm liên quan đến “tín dụng đen”",
	"cases_prosecuted":             "Số vụ án khởi tố",
	"cases_solved":                 "Số vụ án điều tra, khám phá",
	"serious_cases_prosecuted":     "Số vụ án rất nghiêm trọng, đặc biệt nghiêm trọng khởi tố",
	"serious_cases_solved":         "Số vụ án rất nghiêm trọng, đặc biệt nghiêm trọng điều tra, khám phá",
	"social_order_crimes":          "Số vụ phạm tội xâm phạm TTXH",
	"proactive_cases":              "Số vụ phát hiện chủ động (cờ bạc, mại dâm…)",
	"social_evil_hotspots":         "Số tụ điểm tệ nạn xã hội (cuối kỳ)",
	"new_hotspots":                 "Số tụ điểm phức tạp mới hình thành",
	"released_prisoners":           "Số người chấp hành xong án phạt tù, được đặc xá về địa phương",
	"reoffenders":                  "Số người tái phạm",
	"counterfeit_businesses":       "Số cơ sở kinh doanh hàng giả, hàng cấm (cuối kỳ)",
	"economic_cases":               "Số vụ về trật tự quản lý kinh tế phát hiện, xử lý",
	"prolonged_economic_cases":     "Số vụ kinh tế nghiêm trọng, kéo dài phát hiện muộn",
	"repeat_environment_violators": "Số đối tượng tái vi phạm về môi trường (cuối kỳ)",
	"environment_cases":            "Số vụ về môi trường, tài nguyên, an toàn thực phẩm phát hiện, xử lý",
	"prolonged_environment_cases":  "Số vụ môi trường nghiêm trọng, kéo dài phát hiện muộn",
	"drug_outrage":                 "Tội phạm ma túy gây bức xúc trong nhân dân",
	"drug_hotspots":                "Số điểm, tụ điểm phức tạp về ma túy (cuối kỳ)",
	"new_drug_hotspots":            "Số điểm, tụ điểm ma túy mới hình thành",
	"drug_cases":                   "Số vụ phạm tội về ma túy phát hiện, xử lý",
	"compulsory_rehab":             "Số người đưa đi cai nghiện bắt buộc",
	"addicts":                      "Số người nghiện ma túy có hồ sơ quản lý (cuối kỳ)",
	"new_addicts":                  "Số người nghiện ma túy mới phát sinh",
	"mass_disorder_incidents":      "Số vụ tụ tập đông người gây mất an ninh, trật tự",
	"serious_traffic_accidents":    "Số vụ tai nạn giao thông nghiêm trọng",
	"cultured_families":            "Số hộ đạt danh hiệu “Gia đình văn hóa”",
	"patrols_per_week":             "Số lần tuần tra ban đêm mỗi tuần",
	"other_models":                 "Số mô hình quần chúng khác hoạt động hiệu quả",
}

// figureWord names a figure in each language: its Vietnamese title, its
// JSON name in English.
func figureWord(name string) Word { return Word{VI: FigureTitle(name), EN: name} }

func init() {
	defineMessages(map[string]Text{
		"report.negative":           {VI: "%[2]s không được âm (%[1]d)", EN: "%[1]d: must not be negative (%[2]s)"},
		"report.part_exceeds_whole": {VI: "%[1]s (%[2]d) lớn hơn %[3]s (%[4]d)", EN: "%[1]s %[2]d > %[3]s %[4]d"},
	})
}

// Validate checks that counts are not negative and that "of which"
// figures do not exceed their totals.
func (r ReportFigures) Validate(field string) []Problem {
	var probs []Problem
	for _, name := range FigureNames() {
		if v, ok := r.Figure(name); ok && v < 0 {
			p := NewProblem("report.negative", v, figureWord(name))
			p.Field = field + "." + name
			probs = append(probs, p)
		}
	}
	for _, pair := range [][2]string{
		{"tips_handled", "tips_received"}, {"households_informed", "households"}, {"cases_solved", "cases_prosecuted"},
		{"serious_cases_solved", "serious_cases_prosecuted"}, {"proactive_cases", "social_order_crimes"},
		{"reoffenders", "released_prisoners"}, {"cultured_families", "households"},
		{"serious_cases_prosecuted", "cases_prosecuted"},
	} {
		part, ok1 := r.Figure(pair[0])
		whole, ok2 := r.Figure(pair[1])
		if ok1 && ok2 && part > whole {
			p := NewProblem("report.part_exceeds_whole", figureWord(pair[0]), part, figureWord(pair[1]), whole)
			p.Field = field + "." + pair[0]
			probs = append(probs, p)
		}
	}
	return probs
}

// Set sets the named figure (a yes/no figure from 1 or 0); the error is
// EINVALID for a name that is not a report figure.
func (r *ReportFigures) Set(name string, v int) error {
	f, ok := figureCatalogue[name]
	if !ok {
		return Errorf(EINVALID, "%q is not a report figure", name)
	}
	field := reflect.ValueOf(r).Elem().Field(f.index)
	if f.boolean {
		b := v != 0
		field.Set(reflect.ValueOf(&b))
		return nil
	}
	field.Set(reflect.ValueOf(&v))
	return nil
}
