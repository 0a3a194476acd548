package cycle_test

import (
	"strings"
	"testing"

	"chuyenhoa/cycle"
)

// committee is a steering committee whose head decides in his own name.
func committee() cycle.Issuer {
	return cycle.Issuer{
		Body: "BAN CHỈ ĐẠO 138", BodyKey: "51-BCD138", NumberSuffix: "QĐ-BCĐ", Place: "Quảng Ngãi",
		CommitteeName: "Ban Chỉ đạo 138 tỉnh Quảng Ngãi", AuthorityLine: "TRƯỞNG BAN CHỈ ĐẠO 138 TỈNH QUẢNG NGÃI",
		SignerAuthority: "TM. BAN CHỈ ĐẠO", SignerTitle: "TRƯỞNG BAN", SignerName: "Nguyễn Văn A",
		Founding: []cycle.LegalAct{{Kind: "Quyết định", Number: "1/QĐ-UBND", Date: cycle.D(2020, 3, 1), Issuer: "Chủ tịch Ủy ban nhân dân tỉnh Quảng Ngãi",
			Subject: "về việc kiện toàn Ban Chỉ đạo 138 tỉnh Quảng Ngãi"}},
	}
}

// peopleCommittee is a People's Committee whose collective decides.
func peopleCommittee() cycle.Issuer {
	return cycle.Issuer{
		Body: "ỦY BAN NHÂN DÂN TỈNH TÂY NINH", BodyKey: "72-UBND", NumberSuffix: "QĐ-UBND", Place: "Tây Ninh",
		CommitteeName: "Ủy ban nhân dân tỉnh Tây Ninh", AuthorityLine: "ỦY BAN NHÂN DÂN TỈNH TÂY NINH",
		SignerAuthority: "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH", SignerTitle: "PHÓ CHỦ TỊCH", SignerName: "Trần Thị B",
		Founding: []cycle.LegalAct{
			{Kind: "Luật", Name: "Tổ chức chính quyền địa phương", Date: cycle.D(2015, 6, 19), From: cycle.D(2016, 1, 1), Until: cycle.D(2025, 2, 28)},
			{Kind: "Luật", Name: "Tổ chức chính quyền địa phương", Date: cycle.D(2025, 6, 16), From: cycle.D(2025, 7, 1)},
		},
	}
}

// The signature block agrees with the authority line and the signer's
// capacity, for each kind of issuer and document (Decree 30/2020,
// Appendix I §II.8).
func TestSignatureBlocks(t *testing.T) {
	deputy := cycle.Actor{Name: "Lê Văn Phó", Title: "Phó Trưởng ban Thường trực", OnBehalfOf: "truong", HeadTitle: "TRƯỞNG BAN"}
	acting := cycle.Actor{Name: "Đinh Văn Quyền", Title: "Q. CHỦ TỊCH"}
	pc := peopleCommittee()
	byChair := pc
	byChair.AuthorityLine = "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH TÂY NINH"
	agency := cycle.Issuer{Body: "CÔNG AN TỈNH TÂY NINH", CommitteeName: "Công an tỉnh Tây Ninh", AuthorityLine: "GIÁM ĐỐC CÔNG AN TỈNH TÂY NINH",
		SignerTitle: "GIÁM ĐỐC", SignerName: "Võ Văn G"}
	for _, c := range []struct {
		name   string
		is     cycle.Issuer
		kind   string
		signer *cycle.Actor
		want   string
	}{
		{"committee decision, head", committee(), cycle.DocApproval, nil, "TRƯỞNG BAN / Nguyễn Văn A"},
		{"committee decision, deputy", committee(), cycle.DocRecognition, &deputy, "KT. TRƯỞNG BAN / PHÓ TRƯỞNG BAN THƯỜNG TRỰC / Lê Văn Phó"},
		{"committee notice, head", committee(), cycle.DocContinuation, nil, "TM. BAN CHỈ ĐẠO / TRƯỞNG BAN / Nguyễn Văn A"},
		{"committee notice, deputy", committee(), cycle.DocResponsibility, &deputy, "TM. BAN CHỈ ĐẠO / KT. TRƯỞNG BAN / PHÓ TRƯỞNG BAN THƯỜNG TRỰC / Lê Văn Phó"},
		{"people's committee decision, deputy", pc, cycle.DocApproval, nil, "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / Trần Thị B"},
		{"people's committee decision, acting", pc, cycle.DocApproval, &acting, "TM. ỦY BAN NHÂN DÂN / Q. CHỦ TỊCH / Đinh Văn Quyền"},
		{"chairman's decision, deputy", byChair, cycle.DocAward, nil, "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / Trần Thị B"},
		{"agency decision, head", agency, cycle.DocAward, nil, "GIÁM ĐỐC / Võ Văn G"},
	} {
		s := c.is.DefaultSignatory()
		if c.signer != nil {
			s = c.is.SignatoryOf(*c.signer)
		}
		auth, title, name := c.is.SignatureBlock(c.kind, s)
		got := strings.Join(append(auth, title, name), " / ")
		if got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
		if p := c.is.CheckAuthority(); len(p) > 0 {
			t.Errorf("%s: %v", c.name, p)
		}
	}
	bad := committee()
	bad.AuthorityLine = "BAN THƯỜNG VỤ TỈNH ỦY"
	if len(bad.CheckAuthority()) == 0 || bad.ValidateDocuments() == nil || bad.Validate() != nil {
		t.Error("an authority line naming neither the head nor the body is accepted")
	}
}

func TestDecider(t *testing.T) {
	for _, c := range []struct {
		is   cycle.Issuer
		want string
	}{
		{committee(), "Trưởng Ban Chỉ đạo 138 tỉnh Quảng Ngãi"},
		{peopleCommittee(), "Ủy ban nhân dân tỉnh Tây Ninh"},
		{func() cycle.Issuer {
			is := peopleCommittee()
			is.AuthorityLine = "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH TÂY NINH"
			return is
		}(), "Chủ tịch Ủy ban nhân dân tỉnh Tây Ninh"},
	} {
		if got := c.is.Decider(); got != c.want {
			t.Errorf("%s: decider %q, want %q", c.is.AuthorityLine, got, c.want)
		}
	}
}

func TestCite(t *testing.T) {
	for _, c := range []struct {
		a    cycle.LegalAct
		want string
	}{
		{cycle.LegalAct{Kind: "Kế hoạch", Number: "113/KH-BCA-V01", Date: cycle.D(2021, 3, 22), Issuer: "Bộ trưởng Bộ Công an", Subject: "về thực hiện công tác chuyển hóa"},
			"Kế hoạch số 113/KH-BCA-V01 ngày 22 tháng 3 năm 2021 của Bộ trưởng Bộ Công an về thực hiện công tác chuyển hóa"},
		{cycle.LegalAct{Kind: "Luật", Name: "Thi đua, khen thưởng", Date: cycle.D(2022, 6, 15)}, "Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022"},
		{cycle.LegalAct{Kind: "Quyết định", Number: "1960/QĐ-BCA-C41", Date: cycle.D(2017, 6, 8), Issuer: "Bộ Công an"}, "Quyết định số 1960/QĐ-BCA-C41 ngày 08 tháng 6 năm 2017 của Bộ Công an"},
		{cycle.LegalAct{Kind: "Kế hoạch", Issuer: "Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu", Subject: "thực hiện Đề án"}, "Kế hoạch của Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu thực hiện Đề án"},
	} {
		if got := c.a.Cite(); got != c.want {
			t.Errorf("cite %q, want %q", got, c.want)
		}
	}
}

// The grounds of a document are those that apply on its date and to its
// year: the national plan of 2021–2025 for 2024 but not for 2027, the
// emulation law of 2003 in 2019 and that of 2022 from 2024; the missing
// ones are named, in Vietnamese, and refuse the document.
func TestResolveGrounds(t *testing.T) {
	pol := mustPolicy(t, "000")
	g, probs := cycle.ResolveGrounds(pol, committee(), "51", cycle.DocApproval, 2024, cycle.D(2024, 1, 20))
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	var cites []string
	for _, a := range g.Acts {
		cites = append(cites, a.Cite())
	}
	all := strings.Join(cites, "\n")
	for _, want := range []string{"kiện toàn Ban Chỉ đạo 138", "113/KH-BCA-V01", "Kế hoạch ngày 15 tháng 4 năm 2021 của Chủ tịch Ủy ban nhân dân tỉnh Quảng Ngãi"} {
		if !strings.Contains(all, want) {
			t.Errorf("grounds of 2024 lack %q:\n%s", want, all)
		}
	}
	if g.Plan == nil || g.Plan.Date != cycle.D(2021, 4, 15) {
		t.Errorf("plan %+v", g.Plan)
	}

	// 2027: no plan of the policy covers it, and the issuer has none.
	_, probs = cycle.ResolveGrounds(pol, committee(), "51", cycle.DocApproval, 2027, cycle.D(2027, 1, 20))
	if len(probs) != 1 || probs[0].Rule != "grounds.plan" || !strings.Contains(probs[0].Text, "năm 2027") {
		t.Fatalf("2027 without a plan: %v", probs)
	}
	err := cycle.CheckGrounds("quyết định phê duyệt danh sách năm 2027", probs)
	if cycle.ErrorCode(err) != cycle.EINVALID || !strings.Contains(err.(*cycle.Error).In(cycle.Vietnamese), "Không cấp số") {
		t.Fatalf("refusal %v", err)
	}
	// With the province's plan configured, 2027 cites it and not 113.
	is := committee()
	is.Plans = []cycle.LegalAct{{Kind: "Kế hoạch", Number: "9/KH-UBND", Date: cycle.D(2026, 1, 9), Issuer: "Ủy ban nhân dân tỉnh Quảng Ngãi",
		Subject: "về thực hiện công tác chuyển hóa giai đoạn 2026 - 2030", Until: cycle.D(2030, 12, 31)}}
	g, probs = cycle.ResolveGrounds(pol, is, "51", cycle.DocApproval, 2027, cycle.D(2027, 1, 20))
	if len(probs) > 0 || g.Plan == nil || g.Plan.Number != "9/KH-UBND" || g.Programme != nil {
		t.Errorf("2027 with the province's plan: %+v %v", g, probs)
	}
	// Another province under the default policy does not cite Quảng Ngãi's plan.
	_, probs = cycle.ResolveGrounds(pol, committee(), "79", cycle.DocApproval, 2024, cycle.D(2024, 1, 20))
	if len(probs) != 1 || probs[0].Rule != "grounds.plan" {
		t.Errorf("another province: %v", probs)
	}

	// A committee without its founding act.
	bare := committee()
	bare.Founding = nil
	_, probs = cycle.ResolveGrounds(pol, bare, "51", cycle.DocRecognition, 2024, cycle.D(2025, 7, 1))
	if len(probs) != 1 || probs[0].Rule != "grounds.founding" {
		t.Errorf("no founding act: %v", probs)
	}
	// A notice needs no founding act, but its plan.
	if _, probs := cycle.ResolveGrounds(pol, bare, "51", cycle.DocContinuation, 2024, cycle.D(2025, 1, 10)); len(probs) != 0 {
		t.Errorf("notice: %v", probs)
	}
	// A People's Committee cites the local-government law in force on the date.
	g, probs = cycle.ResolveGrounds(pol, peopleCommittee(), "51", cycle.DocApproval, 2025, cycle.D(2025, 8, 1))
	if len(probs) > 0 || len(g.Acts) == 0 || g.Acts[0].Date != cycle.D(2025, 6, 16) {
		t.Errorf("people's committee in August 2025: %+v %v", g.Acts, probs)
	}
	_, probs = cycle.ResolveGrounds(pol, peopleCommittee(), "51", cycle.DocApproval, 2025, cycle.D(2025, 4, 1))
	if len(probs) != 1 || probs[0].Rule != "grounds.local_government" {
		t.Errorf("people's committee in April 2025, no law configured in force: %v", probs)
	}

	// Awards: the law of the award's date.
	for _, c := range []struct {
		id        string
		on        cycle.Date
		want, not string
	}{
		{"001", cycle.D(2019, 12, 10), "ngày 26 tháng 11 năm 2003", "ngày 15 tháng 6 năm 2022"},
		{"003", cycle.D(2024, 12, 20), "ngày 15 tháng 6 năm 2022", "ngày 26 tháng 11 năm 2003"},
	} {
		p := mustPolicy(t, c.id)
		g, probs := cycle.ResolveGrounds(p, *p.Awards.Issuer, p.Province, cycle.DocAward, c.on.Year, c.on)
		if len(probs) > 0 {
			t.Fatalf("%s: %v", c.id, probs)
		}
		var cs []string
		for _, a := range g.Acts {
			cs = append(cs, a.Cite())
		}
		all := strings.Join(cs, "\n")
		if !strings.Contains(all, c.want) || strings.Contains(all, c.not) {
			t.Errorf("%s award grounds:\n%s", c.id, all)
		}
	}
	// An award after the policy's plan and law lapsed.
	p := mustPolicy(t, "001")
	_, probs = cycle.ResolveGrounds(p, *p.Awards.Issuer, p.Province, cycle.DocAward, 2024, cycle.D(2024, 12, 20))
	rules := map[string]bool{}
	for _, pr := range probs {
		rules[pr.Rule] = true
	}
	if !rules["grounds.emulation_law"] || !rules["grounds.award_plan"] {
		t.Errorf("001 in 2024: %v", probs)
	}
}

// A document names whom it goes to: "Như Điều 3" the bodies Article 3
// charges; the directory resolves them by unit and role, and the clerk is
// shown every recipient that would reach no one.
func TestDistributionAndUnresolved(t *testing.T) {
	c := cycle.DocumentContent{Kind: cycle.DocApproval, Issuer: committee(), ProvinceName: "Tỉnh Quảng Ngãi", Province: "51",
		Communes: []cycle.DocumentCommune{
			{ListedCommune: cycle.ListedCommune{Commune: "21010", Name: "Xã Bình Thạnh", District: "522", DistrictName: "Huyện Bình Sơn"}},
			{ListedCommune: cycle.ListedCommune{Commune: "21013", Name: "Xã Bình Đông", District: "522", DistrictName: "Huyện Bình Sơn"}},
		}}
	d := c.Distribution()
	if strings.Join(d.Lines, "|") != "Như Điều 3;|Bộ Công an (V01) (để b/c);|Thường trực Tỉnh ủy, HĐND, UBND tỉnh (để b/c);|Lưu: VT, CAT." {
		t.Errorf("lines %q", d.Lines)
	}
	var names []string
	for _, r := range d.Named {
		names = append(names, r.Key()+" "+r.Name)
	}
	want := "role:secretariat Công an tỉnh - Cơ quan Thường trực Ban Chỉ đạo 138 tỉnh Quảng Ngãi|role:committee_members Các thành viên Ban Chỉ đạo 138 tỉnh Quảng Ngãi|" +
		"unit:522 Ban Chỉ đạo 138 huyện Bình Sơn|unit:21010 Ủy ban nhân dân xã Bình Thạnh|unit:21013 Ủy ban nhân dân xã Bình Đông"
	if strings.Join(names, "|") != want {
		t.Errorf("named\n %s\nwant\n %s", strings.Join(names, "|"), want)
	}
	dir := resolver{units: map[string]bool{"522": true, "21010": true}, roles: map[string]bool{"secretariat": true}, lines: []string{"Bộ Công an (V01)"}}
	var got []string
	for _, u := range cycle.UnresolvedRecipients(c, dir) {
		got = append(got, u.Line+" "+u.Name)
	}
	if strings.Join(got, "|") != "Như Điều 3; Các thành viên Ban Chỉ đạo 138 tỉnh Quảng Ngãi|Như Điều 3; Ủy ban nhân dân xã Bình Đông|Thường trực Tỉnh ủy, HĐND, UBND tỉnh (để b/c); " {
		t.Errorf("unresolved %q", got)
	}
	// A People's Committee charges the districts' People's Committees.
	c.Issuer = peopleCommittee()
	if r := c.Distribution().Named[2]; r.Name != "Ủy ban nhân dân huyện Bình Sơn" {
		t.Errorf("district under a People's Committee: %q", r.Name)
	}
}

type resolver struct {
	units, roles map[string]bool
	lines        []string
}

func (r resolver) Resolves(x cycle.Recipient) bool { return r.units[x.Unit] || r.roles[x.Role] }
func (r resolver) MatchesLine(l string) bool {
	for _, m := range r.lines {
		if strings.Contains(l, m) {
			return true
		}
	}
	return false
}
