package api

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"chuyenhoa/cycle"
)

// formSamples is representative data of each form, as its loader makes it.
var formSamples = map[string]any{
	"proposal": &ProposalData{Unit: "522", UnitName: "Thành phố Quảng Ngãi", Province: "51", Year: 2027, Revision: 1,
		Communes: []proposalRow{{Code: "21010", Name: "Phường Lê Hồng Phong", SOC: "30", Proposed: true, Types: "1, 4", Reason: "Phức tạp"}}},
	"consolidate": []Candidate{{Code: "21010", Name: "Phường Lê Hồng Phong", District: "Thành phố Quảng Ngãi", Types: cycle.Types{1}, Crimes: 30, Eligible: true, Selected: true, Rank: 1},
		{Code: "21013", Name: "Phường Trần Phú", District: "Thành phố Quảng Ngãi", Crimes: 3, Failed: []string{"Số vụ phạm tội về trật tự xã hội 3, yêu cầu từ 5"}}},
	"appraise": &ListData{What: "Dự thảo danh sách địa bàn chuyển hóa năm 2027", Rows: []ListRow{{Rank: 1, Code: "21010", Name: "Phường Lê Hồng Phong", District: "Thành phố Quảng Ngãi", Types: cycle.Types{1}}}},
	"sign":     &ListData{What: "Quyết định phê duyệt danh sách", Rows: []ListRow{{Rank: 1, Code: "21010", Name: "Phường Lê Hồng Phong"}}, Documents: []string{"Quyết định phê duyệt danh sách"}, DraftURL: "/cycles/51/2027/draft.pdf"},
	"issue":    &ListData{What: "Quyết định phê duyệt danh sách", Rows: []ListRow{{Rank: 1, Code: "21010", Name: "Phường Lê Hồng Phong"}}, Documents: []string{"Quyết định phê duyệt danh sách"}},
	"report": &ReportData{Commune: "Phường Lê Hồng Phong (21010)", Types: "Loại 1", Kind: "báo cáo 6 tháng", Period: "15/12/2026 – 14/06/2027", Baseline: "15/12/2025 – 14/06/2026",
		Figures: []FigureField{{Name: "tips_received", Label: cycle.FigureLabel(cycle.Vietnamese, "tips_received")}, {Name: "model_built", Label: "Xây dựng mô hình", YesNo: true}},
		Base:    []FigureField{{Name: "social_order_crimes", Label: cycle.FigureLabel(cycle.Vietnamese, "social_order_crimes")}}, NeedsArea: true, AreaName: "Thành phố Quảng Ngãi", Policy: "Kế hoạch 45"},
	"failure-review":        &ReviewData{Commune: "Phường Lê Hồng Phong (21010)", History: []string{"Năm 2027: Không đạt"}},
	"responsibility-review": &ReviewData{Commune: "Phường Lê Hồng Phong (21010)", History: []string{"Năm 2027: Không đạt", "Năm 2028: Không đạt"}},
	"appraise-results": &ResultsData{Year: 2027, Rows: []ResultRow{{Code: "21010", Name: "Phường Lê Hồng Phong", District: "Thành phố Quảng Ngãi", YearNo: 1, Reported: true, Outcome: "Đạt"},
		{Code: "21013", Name: "Phường Trần Phú", YearNo: 2, Late: true, Reported: true, Outcome: "Không đạt", Failed: []string{"Tỷ lệ điều tra khám phá 75% (15/20), yêu cầu từ 80%"}}}},
	"appraise-recognition": &ResultsData{Year: 2027, Recognition: true, Rows: []ResultRow{{Code: "21010", Name: "Phường Lê Hồng Phong", District: "Thành phố Quảng Ngãi", YearNo: 1, Reported: true, Outcome: "Đạt"},
		{Code: "21013", Name: "Phường Trần Phú", YearNo: 1, Reported: true, Outcome: "Không đạt", Failed: []string{"Tội phạm về trật tự xã hội tăng so với 6 tháng liền kề trước năm chuyển hóa"}}}},
	"nominate": &NominateData{Form: "Bằng khen của Chủ tịch UBND tỉnh", Quotas: "tối đa 3 tập thể", Dossier: []string{"TT: Tờ trình"}, PerArea: true,
		Current: []cycle.Nomination{{ID: "522/1", Unit: "522", Kind: cycle.NomineeCollective, Name: "Công an phường Lê Hồng Phong", Achievements: "Thành tích", Dossier: []string{"TT"}}}},
	"plan-report": &PlanReportData{Name: "Tổ chức sơ kết tại các địa bàn chuyển hóa", Clause: "hoàn thành trước ngày 30/11/2019", Due: "29/11/2019", Meeting: true,
		UnitName: "Huyện Dương Minh Châu", Communes: []string{"Xã Phước Ninh"}},
	"award-review": []cycle.Nomination{{ID: "522/1", Unit: "522", Kind: cycle.NomineeIndividual, Name: "Nguyễn Văn A", Position: "Trưởng Công an phường", Achievements: "Thành tích"}},
}

// identifier is an ASCII identifier with an underscore: a field name or a
// rule code, which officers must never read.
var identifier = regexp.MustCompile(`\b[a-z]+(_[a-z0-9]+)+\b`)

// visibleText is the text of an HTML fragment a reader sees: tags,
// attribute values and the scripts' sources removed.
func visibleText(html string) string {
	html = regexp.MustCompile(`(?s)<script.*?</script>`).ReplaceAllString(html, " ")
	return regexp.MustCompile(`(?s)<[^>]*>`).ReplaceAllString(html, " ")
}

// Every kind of task has a form, and it renders with its data and with
// problems placed at its fields, in Vietnamese only.
func TestEveryKindHasAForm(t *testing.T) {
	for kind, k := range taskKinds {
		data, ok := formSamples[k.Form]
		if !ok {
			t.Errorf("task kind %s: form %q has no sample (add one)", kind, k.Form)
			continue
		}
		if _, ok := formData[k.Form]; !ok {
			t.Errorf("task kind %s: form %q has no data loader", kind, k.Form)
		}
		if label(kindLabels, kind) == string(kind) {
			t.Errorf("task kind %s has no Vietnamese name", kind)
		}
		d := &taskPageData{TaskDetail: &TaskDetail{Address: "cycle/51/2027/x", Data: data}, Kind: k, Form: "form-" + k.Form,
			Values: map[string]string{"note": "Ghi chú"}, Fields: map[string][]cycle.Problem{}, RequestID: "web-0123456789"}
		d.place([]cycle.Problem{
			cycle.NewProblem("api.form_required", "lý do"),
			{Field: "reason", Rule: "api.form_required", Message: "reason is required", Text: "Cần nhập lý do trả lại."},
			{Commune: "Phường Lê Hồng Phong (21010)", Rule: "x", Message: "bad", Text: "Số liệu của phường chưa hợp lệ."},
		})
		html, err := renderForm(pages["task"], d, "csrf-token")
		if err != nil {
			t.Errorf("task kind %s: %v", kind, err)
			continue
		}
		s := string(html)
		for _, want := range []string{`id="task-form"`, `name="csrf" value="csrf-token"`, `name="request_id" value="web-0123456789"`, `value="submit"`, `value="draft"`} {
			if !strings.Contains(s, want) {
				t.Errorf("task kind %s: the form has no %s", kind, want)
			}
		}
		text := visibleText(s)
		if strings.Contains(text, "<no value>") || strings.Contains(text, "%!") {
			t.Errorf("task kind %s: a value is missing or misformatted:\n%s", kind, text)
		}
		if m := identifier.FindString(text); m != "" {
			t.Errorf("task kind %s: the form shows the identifier %q", kind, m)
		}
		if k.Form == "appraise" && !strings.Contains(text, "Cần nhập lý do trả lại.") {
			t.Errorf("the appraisal form does not show the reason's problem next to it")
		}
	}
}

// A recognition proposal (004 §IV.2) ticks the unit's communes; the form
// keeps the ticks and puts a refused commune's problem at the list.
func TestPlanReportProposalForm(t *testing.T) {
	k := taskKinds[cycle.TaskPlanReport]
	data := &PlanReportData{Name: "Đề nghị xét, công nhận", Due: "14/10/2027", UnitName: "Thành phố Hạ Long", Proposal: true,
		Communes: []string{"Phường Hà Khẩu", "Phường Hồng Hà"}, Choices: []PlanChoice{{Code: "06655", Name: "Phường Hà Khẩu"}, {Code: "06656", Name: "Phường Hồng Hà"}}}
	d := &taskPageData{TaskDetail: &TaskDetail{Address: "cycle/22/2027/x", Data: data}, Kind: k, Form: "form-" + k.Form,
		Values: map[string]string{"commune.06656": "on"}, Fields: map[string][]cycle.Problem{}, RequestID: "web-0123456789"}
	d.place([]cycle.Problem{{Field: "communes[0]", Rule: "plan_report.communes", Text: "Xã có mã «1» không thuộc các địa bàn đang chuyển hóa của đơn vị"}})
	html, err := renderForm(pages["task"], d, "csrf-token")
	require.NoError(t, err)
	s := string(html)
	require.Contains(t, s, `name="commune.06655" >`)
	require.Contains(t, s, `name="commune.06656" checked>`)
	require.Contains(t, visibleText(s), "không thuộc các địa bàn đang chuyển hóa của đơn vị")
	rep, err := planReportFromForm(url.Values{"content": {"Tờ trình"}, "commune.06656": {"on"}, "commune.06655": {"on"}, "commune.x": {""}})
	require.NoError(t, err)
	require.Equal(t, []string{"06655", "06656"}, rep.Communes)
}

// The provincial review conference (001 §III.2) tells the secretariat its
// conclusions are issued in the review report, paragraph by paragraph.
func TestPlanReportConferenceForm(t *testing.T) {
	k := taskKinds[cycle.TaskPlanReport]
	data := &PlanReportData{Name: "Hội nghị sơ kết cấp tỉnh", Clause: "Tổ chức hội nghị sơ kết ở cấp tỉnh (hoàn thành trong tháng 12/2019)",
		Due: "31/12/2019", Meeting: true, Review: true, Communes: []string{"Xã Tân Hòa"}}
	d := &taskPageData{TaskDetail: &TaskDetail{Address: "cycle/72/2019/x", Data: data}, Kind: k, Form: "form-" + k.Form,
		Values: map[string]string{}, Fields: map[string][]cycle.Problem{}, RequestID: "web-0123456789"}
	html, err := renderForm(pages["task"], d, "csrf-token")
	require.NoError(t, err)
	text := visibleText(string(html))
	require.Contains(t, text, "Báo cáo sơ kết công tác chuyển hóa được lập")
	require.Contains(t, text, "Ngày tổ chức")
	data.Review = false
	html, err = renderForm(pages["task"], d, "csrf-token")
	require.NoError(t, err)
	require.NotContains(t, visibleText(string(html)), "Báo cáo sơ kết", "a local review issues no report")
}
