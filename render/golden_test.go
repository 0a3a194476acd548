package render_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"chuyenhoa/cycle"
	"chuyenhoa/policies"
	"chuyenhoa/render"
	"chuyenhoa/sample"
)

var (
	update = flag.Bool("update", false, "rewrite testdata/golden/ from the renderings")
	pngDir = flag.String("png", "", "also write the first page of every golden document as a PNG into this directory")
)

// scenario is where a policy's documents are set: the sample province of
// the plan, and the programme year and date of its approval decision
// within the years the plan covers (seed 004's plan is of 8 May 2023, so
// its list is approved late, as real lists often are).
type scenario struct {
	slug     string // sample province of 2024; "" for a province of 2025 (two tiers), by code
	year     int
	approved cycle.Date
	code     string // the province of 2025 when slug is ""
	label    string // the goldens' directory, when not the policy's ID
}

var scenarios = map[string]scenario{
	"000-quang-ngai-2021-2025": {"quang-ngai", 2024, cycle.D(2024, 1, 20), "", ""},
	"001-tay-ninh-2019":        {"tay-ninh", 2019, cycle.D(2019, 1, 28), "", ""},
	"002-ba-ria-vung-tau-2020": {"ba-ria-vung-tau", 2019, cycle.D(2019, 1, 22), "", ""},
	"003-binh-phuoc-2024":      {"binh-phuoc", 2024, cycle.D(2024, 1, 25), "", ""},
	"004-quang-ninh-2023":      {"quang-ninh", 2023, cycle.D(2023, 5, 20), "", ""},
	"005-quang-ngai-2026-2030": {"", 2027, cycle.D(2027, 1, 20), "51", ""},
	twoTier:                    {"", 2027, cycle.D(2027, 1, 20), "79", twoTier},
}

// twoTier is a province of 1 July 2025 without a plan of its own for 2027
// (Thành phố Hồ Chí Minh, units "xã, phường, đặc khu", no districts) run
// under seed 000's rules, named: its grounds come from its issuer's
// configuration, and seed 000's words follow its tier. The shipped
// two-tier template (005, Quảng Ngãi) has its own scenario.
const twoTier = "two-tier-2027"

// goldenDoc is one document of the suite.
type goldenDoc struct {
	policy, name string
	content      cycle.DocumentContent
	probs        []cycle.Problem
}

// goldenDocs are every document type under every shipped policy and the
// two-tier case, each prepared as the workflows prepare it
// (cycle.PrepareDocument) with the verdicts, references and signers a
// cycle would give it.
func goldenDocs(t testing.TB) []goldenDoc {
	t.Helper()
	all, err := policies.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	var out []goldenDoc
	for _, pol := range all {
		sc, ok := scenarios[pol.ID]
		if !ok {
			t.Fatalf("policy %s has no scenario: add its province, year and approval date to scenarios, then go test ./render/ -update and review the goldens", pol.ID)
		}
		out = append(out, policyDocs(t, pol, sc)...)
	}
	out = append(out, policyDocs(t, mustPolicy(t, "000"), scenarios[twoTier])...)
	return out
}

func mustPolicy(t testing.TB, id string) cycle.Policy {
	p, err := policies.ByID(id)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func policyDocs(t testing.TB, pol cycle.Policy, sc scenario) []goldenDoc {
	t.Helper()
	label := pol.ID
	if sc.label != "" {
		label = sc.label
	}
	var prov cycle.Province
	var is cycle.Issuer
	if sc.slug == "" {
		ps, err := sample.Communes2025()
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps {
			if p.Code == sc.code {
				prov = p
			}
		}
		is = sample.GenericIssuer(prov)
	} else {
		var err error
		if prov, is, err = sample.Province(sc.slug); err != nil {
			t.Fatal(err)
		}
	}
	y := sc.year
	base := func(kind string, on cycle.Date, year int) cycle.DocumentContent {
		return cycle.DocumentContent{Kind: kind, Issuer: is, Date: on, Year: year, ProvinceName: prov.Name, Signed: true, Synthetic: true,
			Province: prov.Code, TwoTier: prov.TwoTier(), FirstYear: y}
	}
	var docs []goldenDoc
	add := func(name string, c cycle.DocumentContent, signer *cycle.Actor) {
		probs := cycle.PrepareDocument(&c, pol, signer)
		docs = append(docs, goldenDoc{policy: label, name: name, content: c, probs: probs})
	}
	deputy := &cycle.Actor{ID: "pho", Name: "Lê Văn Phó", Role: cycle.RoleSigner, Title: deputyTitle(is), OnBehalfOf: "truong", HeadTitle: is.HeadTitleOf()}
	acting := &cycle.Actor{ID: "quyen", Name: "Đinh Văn Quyền", Role: cycle.RoleSigner, Title: "Q. " + is.HeadTitleOf()}

	// The approved list: the selection over the sample's proposals.
	var listed []cycle.DocumentCommune
	for i, c := range cycle.Select(prov, pol, sample.Proposals(prov, pol, y)).Selected() {
		if i == 12 {
			break
		}
		listed = append(listed, cycle.DocumentCommune{ListedCommune: cycle.ListedCommune{Commune: c.Commune, Name: c.Name, District: c.District,
			DistrictName: c.DistrictName, Types: c.Types, Rank: i + 1}})
	}
	if len(listed) < 6 {
		t.Fatalf("%s: %d communes selected", label, len(listed))
	}
	approval := base(cycle.DocApproval, sc.approved, y)
	approval.Number, approval.Communes = "7/"+is.NumberSuffix, listed
	if spec, ok := pol.Document(cycle.DocumentKindApproval); ok {
		approval.Recipients = spec.Recipients
	}
	add("approval", approval, nil)
	approvalRef := &cycle.IssuedRef{Kind: "Quyết định", Code: approval.Number, Date: approval.Date, Issuer: is.Decider()}

	// The year-end results: three communes fail their first year.
	results := failingResults(t, pol, listed[:3], prov.Name)
	reviewed := cycle.D(y, 12, 20) // the year's review (sơ kết)
	cont := base(cycle.DocContinuation, cycle.D(y+1, 1, 10), y)
	cont.Number, cont.Approval = "12/"+cycle.DocumentSuffix(cycle.DocContinuation, is), approvalRef
	cont.AppraisalRef = fmt.Sprintf("kết quả thẩm định năm %d của Hội đồng thẩm định đã được %s ký duyệt ngày %s", y, is.HeadOf(), cycle.D(y, 12, 28).Vietnamese())
	cont.Due = cont.Date.AddDays(cycle.ReviewDays)
	for _, r := range results {
		cont.Communes = append(cont.Communes, cycle.DocumentCommune{ListedCommune: r.Commune.ListedCommune, Note: cycle.UnmetNote(r)})
	}
	add("continuation", cont, deputy)
	contRef := &cycle.IssuedRef{Kind: "Thông báo", Code: cont.Number, Date: cont.Date, Issuer: is.CommitteeName}

	// Two of them fail their second year too.
	resp := base(cycle.DocResponsibility, cycle.D(y+2, 1, 12), y+1)
	resp.Number, resp.Approval, resp.Continuation = "3/"+cycle.DocumentSuffix(cycle.DocResponsibility, is), approvalRef, contRef
	resp.Due = resp.Date.AddDays(cycle.ReviewDays)
	resp.Communes = cont.Communes[:2]
	add("responsibility", resp, acting)
	if pol.ID == "000-quang-ngai-2021-2025" {
		// After the responsibility reviews: who is responsible, and the conclusions.
		done := resp
		done.Number, done.Date = "5/"+cycle.DocumentSuffix(cycle.DocResponsibility, is), cycle.D(y+2, 2, 20)
		done.Communes = append([]cycle.DocumentCommune(nil), resp.Communes...)
		done.Communes[0].Responsible = cycle.ResponsibleLines(cycle.ResponsibilityReview{Responsible: []cycle.Responsible{
			{Unit: "Đảng ủy, Ủy ban nhân dân xã", Conclusion: "kiểm điểm rút kinh nghiệm"},
			{Unit: "Ủy ban nhân dân xã", Person: "Ông Nguyễn Văn X", Position: "Chủ tịch Ủy ban nhân dân xã", Conclusion: "khiển trách"},
		}, Emulation: "không xét danh hiệu thi đua năm " + fmt.Sprint(y+1)})
		done.Communes[1].Responsible = cycle.ResponsibleLines(cycle.ResponsibilityReview{Responsible: []cycle.Responsible{
			{Unit: "Công an xã", Conclusion: "kiểm điểm rút kinh nghiệm"}}})
		add("responsibility-reviewed", done, nil)
	}

	// The others pass; after their six-month follow-up they are recognised.
	rec := base(cycle.DocRecognition, cycle.D(y+1, 7, 1), y)
	rec.Number, rec.Approval, rec.Due = "41/"+is.NumberSuffix, approvalRef, cycle.FollowUpPeriod(reviewed).To
	rec.Communes = listed[3:]
	add("recognition", rec, nil)
	// The third, in its second year.
	rec2 := base(cycle.DocRecognition, cycle.D(y+2, 7, 2), y+1)
	rec2.Number, rec2.Approval, rec2.Continuation, rec2.Due = "38/"+is.NumberSuffix, approvalRef, contRef, cycle.D(y+2, 6, 28)
	rec2.Communes = []cycle.DocumentCommune{{ListedCommune: listed[2].ListedCommune}}
	add("recognition-second-year", rec2, deputy)

	sum := base(cycle.DocSummary, cycle.D(y+1, 1, 10), y)
	sum.Number = "210/" + cycle.DocumentSuffix(cycle.DocSummary, is)
	for i, c := range listed {
		note := "Đạt"
		if i < 3 {
			note = "Không đạt, tiếp tục năm thứ hai"
		}
		sum.Communes = append(sum.Communes, cycle.DocumentCommune{ListedCommune: c.ListedCommune, Note: note})
	}
	kpi := cycle.KPI{Selected: len(listed), Transformed: len(listed) - 3, FollowedUp: 8, Relapsed: 1}
	kpi.TransformedTarget, kpi.NotRelapsedTarget = pol.KPITargets()
	sum.KPI = &kpi
	add("summary", sum, nil)

	if pol.ID == "001-tay-ninh-2019" {
		// §III.2: the provincial review report after the conference.
		rv := base(cycle.DocReview, cycle.D(y, 12, 30), y)
		rv.Number = "7/" + cycle.DocumentSuffix(cycle.DocReview, is)
		rv.Communes = sum.Communes
		local := &cycle.ReviewContent{Reports: len(listed), Passed: len(listed) - 3, Held: cycle.D(y, 12, 27),
			Conclusions: "Các địa bàn đã triển khai đủ 6 nhiệm vụ của Đề án.\nNăm tới tập trung phòng ngừa, đấu tranh với tội phạm về trật tự xã hội."}
		var units []string
		for _, c := range listed {
			if !slices.Contains(units, c.DistrictName) {
				units = append(units, c.DistrictName)
			}
		}
		for i, u := range units {
			l := cycle.LocalReview{UnitName: u, Due: cycle.D(y, 11, 29)}
			if i%2 == 0 {
				l.Held = cycle.D(y, 11, 25)
			}
			local.Local = append(local.Local, l)
		}
		rv.Review = local
		add("review", rv, nil)
	}

	// Letters to two districts (communes in a two-tier province).
	var to []cycle.Recipient
	for _, u := range prov.Units()[:2] {
		name := prov.UnitName(u)
		r := cycle.Recipient{Unit: u, Name: "Ủy ban nhân dân " + lowerFirst(name)}
		if !prov.TwoTier() {
			r.Name = (&cycle.DocumentContent{Issuer: is, ProvinceName: prov.Name}).DistrictBody(name)
		}
		to = append(to, r)
	}
	rem := base(cycle.DocReminder, pol.Calendar.ProposalsDue.In(y+1).AddDays(-7), y+1)
	rem.Number, rem.To = "52/"+strings.TrimPrefix(cycle.DocumentSuffix(cycle.DocReminder, is), "QĐ-"), to
	rem.Task = fmt.Sprintf("gửi đề xuất danh sách địa bàn trọng điểm, phức tạp về trật tự, an toàn xã hội thực hiện chuyển hóa năm %d", y+1)
	rem.Due, rem.DeadlineClause = pol.Calendar.ProposalsDue.In(y+1), pol.DeadlineClause(cycle.TaskSubmitProposal)
	add("reminder", rem, nil)
	over := base(cycle.DocOverdue, pol.ReportDue(cycle.ReportYearly, y).AddDays(3), y)
	over.Number, over.To, over.Escalation = "61/"+strings.TrimPrefix(cycle.DocumentSuffix(cycle.DocOverdue, is), "QĐ-"), to[:1], 1
	over.Task = fmt.Sprintf("gửi báo cáo kết quả thực hiện công tác chuyển hóa địa bàn năm %d", y)
	over.Due, over.DeadlineClause, over.NewDue = pol.ReportDue(cycle.ReportYearly, y), pol.DeadlineClause(cycle.TaskYearlyReport), over.Date.AddDays(5)
	add("overdue", over, nil)

	if pol.Awards != nil && sc.slug != "" {
		aw := base(cycle.DocAward, cycle.D(y, 12, 20), y)
		aw.Issuer = *pol.Awards.Issuer
		aw.Issuer.SignerName = "Nguyễn Văn Khen"
		aw.Number, aw.Form, aw.Awardees = "125/"+aw.Issuer.NumberSuffix, pol.Awards.Form, awardees(prov)
		for _, u := range prov.Units() {
			aw.UnitNames = append(aw.UnitNames, cycle.UnitName{Code: u, Name: prov.UnitName(u)})
		}
		add("award", aw, nil)
	}
	return docs
}

// deputyTitle is the title of the issuer's deputy head.
func deputyTitle(is cycle.Issuer) string {
	if is.DefaultSignatory().Capacity == cycle.CapacityDeputy {
		return is.DefaultSignatory().Title
	}
	return "PHÓ " + is.HeadTitleOf()
}

func lowerFirst(s string) string {
	for i, r := range s {
		return strings.ToLower(string(r)) + s[i+len(string(r)):]
	}
	return s
}

// failingResults are the council's results on communes that failed their
// year: under a plan with a method, the verdict on a report that misses
// its thresholds; under a plan without one (001, 003), the council's
// conclusion with its reason.
func failingResults(t testing.TB, pol cycle.Policy, cs []cycle.DocumentCommune, province string) []cycle.CommuneResult {
	var out []cycle.CommuneResult
	for i, c := range cs {
		in := cycle.CommuneInProgramme{ListedCommune: c.ListedCommune}
		rep := cycle.TransformationReport{Figures: failingFigures(i), Baseline: baseline(),
			Area: &cycle.AreaAverage{Name: c.DistrictName, Crimes: 40, Communes: 8}}
		if c.DistrictName == "" {
			rep.Area.Name = province // two tiers: the province's average
		}
		v, err := cycle.EvaluateReport(pol, in, rep)
		if err != nil {
			t.Fatal(err)
		}
		r := cycle.CommuneResult{CommuneVerdict: cycle.CommuneVerdict{Commune: in, Reported: true, Verdict: v}, Outcome: cycle.OutcomeFail}
		if v.Outcome != cycle.OutcomeFail {
			r.Overridden = v.Outcome == cycle.OutcomePass
			r.Reason = "Số vụ phạm tội về trật tự xã hội không giảm so với cùng kỳ; tỷ lệ điều tra, khám phá đạt 75%, dưới yêu cầu"
			if v.Outcome == cycle.OutcomeScored {
				r.Reason = "Không kéo giảm được tội phạm về trật tự xã hội; tỷ lệ điều tra, khám phá đạt 75%"
			}
		}
		out = append(out, r)
	}
	return out
}

func ip(n int) *int   { return &n }
func bp(b bool) *bool { return &b }

// failingFigures miss different thresholds commune by commune: the
// detection rate (15 of 20), the tips handled (37 of 40), crimes not down.
func failingFigures(i int) cycle.ReportFigures {
	f := cycle.ReportFigures{
		TipsReceived: ip(40), TipsHandled: ip(40), PoliticalSystemStable: bp(true), SelfManagementModels: ip(1),
		Households: ip(1500), HouseholdsInformed: ip(1500), OrganisedCrimeGroups: ip(0), BlackCreditCases: ip(0),
		CasesProsecuted: ip(20), CasesSolved: ip(18), SeriousCasesProsecuted: ip(4), SeriousCasesSolved: ip(4),
		SocialOrderCrimes: ip(8), ProactiveCases: ip(1), SocialEvilHotspots: ip(1), NewHotspots: ip(0),
		ReleasedPrisoners: ip(20), Reoffenders: ip(1), CounterfeitBusinesses: ip(0), EconomicCases: ip(5), ProlongedEconomicCases: ip(0),
		RepeatEnvironmentViolators: ip(0), EnvironmentCases: ip(4), ProlongedEnvironmentCases: ip(0),
		DrugOutrage: bp(false), DrugHotspots: ip(1), NewDrugHotspots: ip(0), DrugCases: ip(6), CompulsoryRehab: ip(3), Addicts: ip(30), NewAddicts: ip(0),
		MassDisorderIncidents: ip(0), SeriousTrafficAccidents: ip(1), CulturedFamilies: ip(1300), PatrolsPerWeek: ip(2), OtherModels: ip(1),
	}
	switch i % 3 {
	case 0:
		f.CasesSolved = ip(15)
	case 1:
		f.TipsHandled, f.SocialOrderCrimes = ip(37), ip(11)
	default:
		f.CasesSolved, f.SelfManagementModels, f.NewHotspots = ip(14), ip(0), ip(1)
	}
	return f
}

func baseline() cycle.ReportFigures {
	return cycle.ReportFigures{SocialOrderCrimes: ip(10), ProactiveCases: ip(1), SocialEvilHotspots: ip(3), EconomicCases: ip(3),
		EnvironmentCases: ip(2), DrugHotspots: ip(2), DrugCases: ip(4), CompulsoryRehab: ip(1), NewAddicts: ip(3), Addicts: ip(40),
		SeriousTrafficAccidents: ip(2)}
}

// awardees are an award round's nominations: three collectives, three
// individuals, each of a unit of the province (synthetic names).
func awardees(prov cycle.Province) []cycle.Nomination {
	u := prov.Units()
	return []cycle.Nomination{
		{Unit: u[0], Kind: cycle.NomineeCollective, Name: "Công an " + lowerFirst(prov.UnitName(u[0])), Achievements: "Chuyển hóa thành công địa bàn trọng điểm; giảm 12% số vụ phạm tội về trật tự xã hội"},
		{Unit: u[1], Kind: cycle.NomineeCollective, Name: "Ủy ban nhân dân " + lowerFirst(prov.UnitName(u[1])), Achievements: "Xây dựng 02 mô hình tự quản về an ninh, trật tự hoạt động hiệu quả"},
		{Unit: u[0], Kind: cycle.NomineeIndividual, Name: "Trần Văn Bình", Position: "Phó Trưởng Công an " + lowerFirst(prov.UnitName(u[0])), Leader: true, Achievements: "Trực tiếp chỉ đạo triệt phá 03 tụ điểm tệ nạn xã hội"},
		{Unit: u[1], Kind: cycle.NomineeIndividual, Name: "Lê Thị Hoa", Position: "Cán bộ Công an " + lowerFirst(prov.UnitName(u[1])), Achievements: "Tham mưu xây dựng mô hình “Tổ nhân dân tự quản về an ninh, trật tự”"},
		{Unit: u[2], Kind: cycle.NomineeIndividual, Name: "Nguyễn Hữu Phước", Position: "Cán bộ Công an " + lowerFirst(prov.UnitName(u[2])), Achievements: "Vận động 02 đối tượng truy nã ra đầu thú"},
	}
}

// Every document type under every policy, as the legal officer reads it:
// the text of the PDF against testdata/golden/<policy>/<document>.txt
// (go test ./render/ -update rewrites them; review the diff), its grounds
// complete, and nothing but Vietnamese printed.
func TestGoldenDocuments(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatal("pdftotext (poppler-utils) is needed: apt-get install -y poppler-utils")
	}
	r, err := render.New("")
	if err != nil {
		t.Fatal(err)
	}
	forbidden := forbiddenWords()
	seen := map[string]bool{}
	for _, d := range goldenDocs(t) {
		t.Run(d.policy+"/"+d.name, func(t *testing.T) {
			if len(d.probs) > 0 {
				t.Fatalf("required grounds missing: %v", d.probs)
			}
			got, err := r.Render(d.content)
			if err != nil {
				t.Fatal(err)
			}
			text := pdfText(t, got.PDF)
			path := filepath.Join("testdata", "golden", d.policy, d.name+".txt")
			seen[path] = true
			compareGolden(t, path, text)
			checkPrintedVietnamese(t, text, forbidden)
			if strings.Join(got.Recipients, "|") != strings.Join(d.content.Distribution().Lines, "|") {
				t.Errorf("printed recipients %q, distribution %q", got.Recipients, d.content.Distribution().Lines)
			}
			if *pngDir != "" {
				writePNG(t, got.PDF, filepath.Join(*pngDir, d.policy+"-"+d.name))
			}
		})
	}
	// Every golden file is a document of the suite.
	files, _ := filepath.Glob(filepath.Join("testdata", "golden", "*", "*.txt"))
	for _, f := range files {
		if !seen[f] {
			t.Errorf("%s: no document of the suite renders it (remove it)", f)
		}
	}
}

// What the legal officer checks in each policy's documents: the grounds
// that apply on the document's date, and no others.
var groundChecks = []struct {
	policy, doc string
	want, not   []string
}{
	{"000-quang-ngai-2021-2025", "approval", []string{
		"Căn cứ Quyết định của Chủ tịch Ủy ban nhân dân tỉnh Quảng Ngãi về việc kiện toàn Ban Chỉ đạo 138 tỉnh Quảng Ngãi;",
		"Căn cứ Kế hoạch số 113/KH-BCA-V01 ngày 22 tháng 3 năm 2021 của Bộ trưởng Bộ Công an",
		"Căn cứ Kế hoạch ngày 15 tháng 4 năm 2021 của Chủ tịch Ủy ban nhân dân tỉnh Quảng Ngãi",
		"TRƯỞNG BAN CHỈ ĐẠO 138 TỈNH QUẢNG NGÃI", "(số liệu tính từ ngày 15/12/2023 đến ngày 14/6/2024)",
		"sig:TRƯỞNG BAN / Nguyễn Văn A",
	}, []string{"TM. BAN CHỈ ĐẠO"}},
	{"000-quang-ngai-2021-2025", "continuation", []string{"sig:TM. BAN CHỈ ĐẠO / KT. TRƯỞNG BAN / PHÓ TRƯỞNG BAN / Lê Văn Phó",
		"tỷ lệ điều tra, khám phá tội phạm 75% (15/20), yêu cầu từ 80%", "căn cứ Quyết định số 7/QĐ-BCĐ ngày 20/01/2024 của Trưởng Ban Chỉ đạo 138 tỉnh Quảng Ngãi"}, nil},
	{"000-quang-ngai-2021-2025", "responsibility", []string{"sig:TM. BAN CHỈ ĐẠO / Q. TRƯỞNG BAN / Đinh Văn Quyền", "Thông báo số 12/TB-BCĐ ngày 10/01/2025"}, nil},
	{"000-quang-ngai-2021-2025", "recognition-second-year", []string{"sig:KT. TRƯỞNG BAN / PHÓ TRƯỞNG BAN / Lê Văn Phó",
		"Căn cứ Thông báo số 12/TB-BCĐ ngày 10/01/2025 của Ban Chỉ đạo 138 tỉnh Quảng Ngãi về việc tiếp tục thực hiện chuyển hóa năm thứ hai (năm 2025)",
		"thực hiện chuyển hóa năm 2024;"}, []string{"TM. BAN CHỈ ĐẠO"}},
	{"001-tay-ninh-2019", "approval", []string{"Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015",
		"Căn cứ Quyết định số 1960/QĐ-BCA-C41 ngày 08 tháng 6 năm 2017 của Bộ Công an", "Căn cứ Kế hoạch số 296/KH-UBND ngày 21 tháng 11 năm 2017",
		"CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH TÂY NINH", "sig:KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / Trần Thị B", "Chủ tịch Ủy ban nhân dân các huyện, thị xã, thành phố có địa bàn tại Điều 1",
		"Cơ quan Thường trực Ban Chỉ đạo phòng chống tội phạm, tệ nạn xã hội và xây dựng phong trào toàn dân bảo vệ ANTQ tỉnh Tây Ninh",
		"(số liệu tính từ ngày 16/11/2018 đến ngày 14/6/2019)"},
		[]string{"113/KH-BCA-V01", "2387/KH-BCĐ", "Cơ quan Thường trực Ủy ban nhân dân", "Trưởng Ủy ban nhân dân", "TM. ỦY BAN NHÂN DÂN"}},
	{"001-tay-ninh-2019", "award", []string{"Căn cứ Luật Thi đua, khen thưởng ngày 26 tháng 11 năm 2003",
		"Căn cứ Nghị định số 91/2017/NĐ-CP ngày 31 tháng 7 năm 2017 của Chính phủ", "Căn cứ Kế hoạch số 2387/KH-BCĐ ngày 23 tháng 10 năm 2019",
		"GIÁM ĐỐC CÔNG AN TỈNH TÂY NINH"}, []string{"ngày 15 tháng 6 năm 2022", "98/2023/NĐ-CP", "TM."}},
	{"001-tay-ninh-2019", "overdue", []string{"Thực hiện Kế hoạch số 2387/KH-BCĐ ngày 23/10/2019 của Ban Chỉ đạo", "“gửi báo cáo về Ban Chỉ đạo 138 tỉnh (qua Công an tỉnh) trước ngày 16/11/2019”"},
		[]string{"296/KH-UBND"}},
	{"002-ba-ria-vung-tau-2020", "approval", []string{"Căn cứ Quyết định số 1960/QĐ-BCA-C41",
		"Căn cứ Kế hoạch của Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu thực hiện Đề án", "sig:KT. TRƯỞNG BAN / PHÓ TRƯỞNG BAN THƯỜNG TRỰC / Lê Văn C"},
		[]string{"113/KH-BCA-V01"}},
	{"002-ba-ria-vung-tau-2020", "recognition", []string{"đã chuyển hóa thành công năm 2019"}, nil},
	{"002-ba-ria-vung-tau-2020", "overdue", []string{"“có báo cáo tình hình, kết quả thực hiện gửi về Công an tỉnh trước ngày 20/11 hàng năm”"}, []string{"ấn định"}},
	{"003-binh-phuoc-2024", "award", []string{"Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015",
		"Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022", "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023",
		"Căn cứ Quyết định số 26/2020/QĐ-UBND ngày 08 tháng 10 năm 2020 của Ủy ban nhân dân tỉnh Bình Phước",
		"CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BÌNH PHƯỚC", "sig:KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / Nguyễn Văn Khen"}, []string{"ngày 26 tháng 11 năm 2003", "91/2017/NĐ-CP"}},
	{"003-binh-phuoc-2024", "approval", []string{"Căn cứ Kế hoạch số 176/KH-UBND ngày 20 tháng 5 năm 2021"}, []string{"113/KH-BCA-V01"}},
	{"004-quang-ninh-2023", "recognition", []string{"Về việc công nhận xã, phường, thị trấn đạt chuẩn mô hình An ninh cơ sở năm 2023",
		"đạt chuẩn mô hình An ninh cơ sở năm 2023", "Căn cứ Kế hoạch số 120/KH-UBND ngày 08 tháng 5 năm 2023"},
		[]string{"đưa ra khỏi danh sách", "chuyển hóa đạt"}},
	{twoTier, "approval", []string{"xã, phường, đặc khu", "Công an thành phố - Cơ quan Thường trực",
		"Căn cứ Kế hoạch của Ủy ban nhân dân thành phố Hồ Chí Minh về thực hiện công tác chuyển hóa"},
		[]string{"113/KH-BCA-V01", "thị trấn", "Huyện/thị xã"}},
	// Seed 000's recognition subject and "Nơi nhận" follow a two-tier
	// province: its units, no district tier.
	{twoTier, "recognition", []string{"Về việc công nhận các xã, phường, đặc khu trọng điểm", "Địa bàn (xã, phường, đặc khu)"},
		[]string{"thị trấn", "huyện, thị xã, thành phố"}},
	{"005-quang-ngai-2026-2030", "approval", []string{"xã, phường, đặc khu", "UBND TỈNH QUẢNG NGÃI",
		"Căn cứ Kế hoạch của Chủ tịch Ủy ban nhân dân tỉnh Quảng Ngãi về thực hiện công tác chuyển hóa địa bàn trọng điểm, phức tạp về trật tự, an toàn xã hội giai đoạn 2026 - 2030"},
		[]string{"113/KH-BCA-V01", "thị trấn", "Huyện/thị xã"}},
	{"005-quang-ngai-2026-2030", "recognition", []string{"Về việc công nhận các xã, phường, đặc khu trọng điểm", "Địa bàn (xã, phường, đặc khu)"},
		[]string{"thị trấn", "huyện, thị xã, thành phố"}},
	{"005-quang-ngai-2026-2030", "continuation", []string{"xã, phường, đặc khu"}, []string{"thị trấn"}},
	{"005-quang-ngai-2026-2030", "summary", []string{"xã, phường, đặc khu"}, []string{"thị trấn"}},
	// A province of 2024 keeps "xã, phường, thị trấn".
	{"000-quang-ngai-2021-2025", "recognition", []string{"Về việc công nhận các xã, phường, thị trấn trọng điểm"}, []string{"đặc khu"}},
}

func TestGroundChecks(t *testing.T) {
	r, err := render.New("")
	if err != nil {
		t.Fatal(err)
	}
	docs := map[string]cycle.DocumentContent{}
	for _, d := range goldenDocs(t) {
		docs[d.policy+"/"+d.name] = d.content
	}
	for _, c := range groundChecks {
		d, ok := docs[c.policy+"/"+c.doc]
		if !ok {
			t.Errorf("%s/%s: no such document", c.policy, c.doc)
			continue
		}
		got, err := r.Render(d)
		if err != nil {
			t.Fatal(err)
		}
		flat := strings.Join(strings.Fields(pdfText(t, got.PDF)), " ")
		doc, err := r.Document(d)
		if err != nil {
			t.Fatal(err)
		}
		sig := strings.Join(append(strings.Split(doc.Signature.Authority, "\n"), doc.Signature.Title, doc.Signature.Name), " / ")
		sig = strings.TrimPrefix(sig, " / ")
		for _, w := range c.want {
			if s, ok := strings.CutPrefix(w, "sig:"); ok {
				if sig != s {
					t.Errorf("%s/%s signature block %q, want %q", c.policy, c.doc, sig, s)
				}
				continue
			}
			if !strings.Contains(flat, w) {
				t.Errorf("%s/%s lacks %q", c.policy, c.doc, w)
			}
		}
		for _, w := range c.not {
			if strings.Contains(flat, w) {
				t.Errorf("%s/%s has %q", c.policy, c.doc, w)
			}
		}
	}
}

func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	cmd := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func compareGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./render/ -update writes it)", err)
	}
	if string(want) != got {
		wl, gl := strings.Split(string(want), "\n"), strings.Split(got, "\n")
		for i := 0; i < len(wl) || i < len(gl); i++ {
			var w, g string
			if i < len(wl) {
				w = wl[i]
			}
			if i < len(gl) {
				g = gl[i]
			}
			if w != g {
				t.Errorf("%s differs from the rendering at line %d (go test ./render/ -update rewrites it):\n-%s\n+%s", path, i+1, w, g)
				return
			}
		}
	}
}

func writePNG(t *testing.T, pdf []byte, prefix string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(prefix), 0o755); err != nil {
		t.Fatal(err)
	}
	in := prefix + ".pdf"
	if err := os.WriteFile(in, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "1", "-singlefile", in, prefix).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
}

// identifier is an ASCII identifier with an underscore (a field name:
// tips_handled) or a dotted rule code (general.tips, selection.cap).
var identifier = regexp.MustCompile(`\b[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)+\b|\b[a-z][a-z0-9]*\.[a-z][a-z0-9_]*\b`)

// forbiddenWords are the words of the message catalogue's English side
// that no Vietnamese text of it uses: a document printing one prints
// English. Words of three letters or fewer are left out (Vietnamese has
// "cho", "các", "tin"…), and so are the rule codes, checked apart.
func forbiddenWords() map[string]bool {
	word := regexp.MustCompile(`[A-Za-z]+`)
	vi := map[string]bool{}
	en := map[string]bool{}
	for _, code := range cycle.MessageCodes() {
		m, _ := cycle.Message(code)
		for _, w := range word.FindAllString(m.VI, -1) {
			vi[strings.ToLower(w)] = true
		}
		for _, w := range word.FindAllString(m.EN, -1) {
			en[strings.ToLower(w)] = true
		}
	}
	// Vietnamese syllables that are also English words of the catalogue,
	// printed in place names ("Vĩnh Long", "Long Biên").
	for _, w := range []string{"long", "hang", "sang", "than", "tran", "thanh"} {
		vi[w] = true
	}
	out := map[string]bool{}
	for w := range en {
		if len(w) > 3 && !vi[w] {
			out[w] = true
		}
	}
	return out
}

// checkPrintedVietnamese fails for a field name or rule code, a code of
// the catalogue, or an English word of the catalogue in a document's text.
func checkPrintedVietnamese(t *testing.T, text string, forbidden map[string]bool) {
	t.Helper()
	for _, p := range notVietnamese(text, forbidden) {
		t.Error(p)
	}
}

// notVietnamese lists what in a text is not Vietnamese for an officer.
func notVietnamese(text string, forbidden map[string]bool) []string {
	var out []string
	if m := identifier.FindAllString(text, -1); len(m) > 0 {
		out = append(out, fmt.Sprintf("the document prints identifiers %q", m))
	}
	for _, code := range cycle.MessageCodes() {
		if strings.Contains(code, ".") && strings.Contains(text, code) {
			out = append(out, fmt.Sprintf("the document prints the rule code %q", code))
		}
	}
	// ASCII words only: a Vietnamese word with a diacritic is never English.
	var found []string
	for _, w := range regexp.MustCompile(`[\p{L}]+`).FindAllString(text, -1) {
		if lw := strings.ToLower(w); forbidden[lw] && isASCII(w) {
			found = append(found, w)
		}
	}
	if len(found) > 0 {
		sort.Strings(found)
		out = append(out, fmt.Sprintf("the document prints English words of the catalogue: %q", found))
	}
	return out
}

func isASCII(s string) bool {
	for _, r := range s {
		if r > 127 {
			return false
		}
	}
	return true
}

// The check itself: a document that prints a field name, a rule code or
// an English word of the catalogue is caught.
func TestForbiddenContentIsCaught(t *testing.T) {
	forbidden := forbiddenWords()
	for _, bad := range []string{
		"tips_handled/tips_received 92.5% (37 of 40) < 100%",
		"Không đạt: general.tips",
		"Không đạt: selection.district_average",
		"Số vụ 9, not reported",
		"points below the pass mark",
	} {
		if len(notVietnamese(bad, forbidden)) == 0 {
			t.Errorf("%q passes the check", bad)
		}
	}
}
