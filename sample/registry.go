package sample

import (
	"bytes"
	"embed"
	"encoding/csv"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"strings"

	"chuyenhoa/cycle"
)

// data holds the registries and, so that it travels inside every binary
// built with them, the dataset's MIT licence.
//
//go:embed data/*.csv data/LICENSE.vietnamese-provinces-database data/LICENSE.VietnamProvinces data/README.md
var data embed.FS

// SyntheticLabel is the Vietnamese wording that labels generated figures
// wherever they are shown: on screens, in proposals, on demo documents.
const SyntheticLabel = "Số liệu mẫu do máy sinh ngẫu nhiên để trình diễn, không phải số liệu thật"

// newRuralPercent is the share of xã flagged as new-rural (nông thôn mới).
const newRuralPercent = 35

// seeded is a province of the seeds: its registry file and issuer.
type seeded struct {
	slug   string
	file   string
	issuer cycle.Issuer
}

// seededProvinces are the provinces of the five seed plans, in seed order.
// The issuers vary the way real provinces do (DOMAIN.md): a steering
// committee signed by its head, the People's Committee signed by a
// vice-chairman, the police director signing as standing deputy head. The
// bodies, places and plans are real; the signers' names are placeholders,
// and so are the committees' founding decisions and working rules and the
// province's plan for years no seed covers: the seeds give none, so they
// are cited without number or date (placeholders), which a province
// replaces with its own acts (docs/legal-checklist.md).
var seededProvinces = []seeded{
	{
		slug: "quang-ngai", file: "data/quang-ngai-2024.csv",
		issuer: cycle.Issuer{
			ParentBody:      "UBND TỈNH QUẢNG NGÃI",
			Body:            "BAN CHỈ ĐẠO 138",
			BodyKey:         "51-BCD138",
			NumberSuffix:    "QĐ-BCĐ",
			Place:           "Quảng Ngãi",
			CommitteeName:   "Ban Chỉ đạo 138 tỉnh Quảng Ngãi",
			AuthorityLine:   "TRƯỞNG BAN CHỈ ĐẠO 138 TỈNH QUẢNG NGÃI",
			SignerAuthority: "TM. BAN CHỈ ĐẠO",
			SignerTitle:     "TRƯỞNG BAN",
			SignerName:      "Nguyễn Văn A",
			PlanRef:         "Kế hoạch ngày 15/4/2021 của Chủ tịch UBND tỉnh Quảng Ngãi về thực hiện công tác chuyển hóa địa bàn trọng điểm, phức tạp về TTATXH giai đoạn 2021 - 2025",
			Kind:            cycle.IssuerCommittee,
			HeadTitle:       "TRƯỞNG BAN",
			CommitteeShort:  "Ban Chỉ đạo 138",
			Founding:        committeeFounding("tỉnh Quảng Ngãi", "Ban Chỉ đạo 138 tỉnh Quảng Ngãi"),
			Rules:           committeeRules("Ban Chỉ đạo 138 tỉnh Quảng Ngãi"),
			Plans:           provincePlans("tỉnh Quảng Ngãi"),
		},
	},
	{
		slug: "tay-ninh", file: "data/tay-ninh-2024.csv",
		issuer: cycle.Issuer{
			ParentBody:      "",
			Body:            "ỦY BAN NHÂN DÂN TỈNH TÂY NINH",
			BodyKey:         "72-UBND",
			NumberSuffix:    "QĐ-UBND",
			Place:           "Tây Ninh",
			CommitteeName:   "Ủy ban nhân dân tỉnh Tây Ninh",
			AuthorityLine:   "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH TÂY NINH",
			SignerAuthority: "KT. CHỦ TỊCH",
			SignerTitle:     "PHÓ CHỦ TỊCH",
			SignerName:      "Trần Thị B",
			PlanRef:         "Kế hoạch số 296/KH-UBND ngày 21/11/2017 của Ủy ban nhân dân tỉnh Tây Ninh về thực hiện Đề án “Chuyển hóa địa bàn trọng điểm, phức tạp về trật tự, an toàn xã hội đến năm 2020”",
			Kind:            cycle.IssuerPeopleCommittee,
			HeadTitle:       "CHỦ TỊCH",
			// Seed 001 names the committee in full, at both levels.
			Committee:      "Ban Chỉ đạo phòng chống tội phạm, tệ nạn xã hội và xây dựng phong trào toàn dân bảo vệ ANTQ tỉnh Tây Ninh",
			CommitteeShort: "Ban Chỉ đạo phòng chống tội phạm, tệ nạn xã hội và xây dựng phong trào toàn dân bảo vệ ANTQ",
			Founding:       LocalGovernmentLaws(),
			Plans:          provincePlans("tỉnh Tây Ninh"),
		},
	},
	{
		slug: "ba-ria-vung-tau", file: "data/ba-ria-vung-tau-2024.csv",
		issuer: cycle.Issuer{
			ParentBody:      "UBND TỈNH BÀ RỊA - VŨNG TÀU",
			Body:            "BAN CHỈ ĐẠO 138",
			BodyKey:         "77-BCD138",
			NumberSuffix:    "QĐ-BCĐ",
			Place:           "Bà Rịa - Vũng Tàu",
			CommitteeName:   "Ban Chỉ đạo 138 tỉnh Bà Rịa - Vũng Tàu",
			AuthorityLine:   "TRƯỞNG BAN CHỈ ĐẠO 138 TỈNH BÀ RỊA - VŨNG TÀU",
			SignerAuthority: "KT. TRƯỞNG BAN",
			SignerTitle:     "PHÓ TRƯỞNG BAN THƯỜNG TRỰC",
			SignerName:      "Lê Văn C",
			PlanRef:         "Kế hoạch của Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu thực hiện Đề án chuyển hóa địa bàn trọng điểm, phức tạp về trật tự an toàn xã hội đến năm 2020",
			Kind:            cycle.IssuerCommittee,
			HeadTitle:       "TRƯỞNG BAN",
			CommitteeShort:  "Ban Chỉ đạo 138",
			Founding:        committeeFounding("tỉnh Bà Rịa - Vũng Tàu", "Ban Chỉ đạo 138 tỉnh Bà Rịa - Vũng Tàu"),
			Rules:           committeeRules("Ban Chỉ đạo 138 tỉnh Bà Rịa - Vũng Tàu"),
			Plans:           provincePlans("tỉnh Bà Rịa - Vũng Tàu"),
		},
	},
	{
		slug: "binh-phuoc", file: "data/binh-phuoc-2024.csv",
		issuer: cycle.Issuer{
			ParentBody:      "UBND TỈNH BÌNH PHƯỚC",
			Body:            "BAN CHỈ ĐẠO 09",
			BodyKey:         "70-BCD09",
			NumberSuffix:    "QĐ-BCĐ",
			Place:           "Bình Phước",
			CommitteeName:   "Ban Chỉ đạo 09 tỉnh Bình Phước",
			AuthorityLine:   "TRƯỞNG BAN CHỈ ĐẠO 09 TỈNH BÌNH PHƯỚC",
			SignerAuthority: "TM. BAN CHỈ ĐẠO",
			SignerTitle:     "TRƯỞNG BAN",
			SignerName:      "Phạm Văn D",
			PlanRef:         "Kế hoạch số 176/KH-UBND ngày 20/5/2021 của UBND tỉnh Bình Phước về thực hiện công tác chuyển hóa địa bàn trọng điểm phức tạp về trật tự an toàn xã hội (TTATXH) giai đoạn 2021-2025",
			Kind:            cycle.IssuerCommittee,
			HeadTitle:       "TRƯỞNG BAN",
			CommitteeShort:  "Ban Chỉ đạo 09",
			Founding:        committeeFounding("tỉnh Bình Phước", "Ban Chỉ đạo 09 tỉnh Bình Phước"),
			Rules:           committeeRules("Ban Chỉ đạo 09 tỉnh Bình Phước"),
			Plans:           provincePlans("tỉnh Bình Phước"),
		},
	},
	{
		slug: "quang-ninh", file: "data/quang-ninh-2024.csv",
		issuer: cycle.Issuer{
			ParentBody:      "UBND TỈNH QUẢNG NINH",
			Body:            "BAN CHỈ ĐẠO 138/QN",
			BodyKey:         "22-BCD138QN",
			NumberSuffix:    "QĐ-BCĐ",
			Place:           "Quảng Ninh",
			CommitteeName:   "Ban Chỉ đạo 138/QN",
			AuthorityLine:   "TRƯỞNG BAN CHỈ ĐẠO 138/QN",
			SignerAuthority: "KT. TRƯỞNG BAN",
			SignerTitle:     "PHÓ TRƯỞNG BAN",
			SignerName:      "Hoàng Văn E",
			PlanRef:         "Kế hoạch số 120/KH-UBND ngày 08/5/2023 của Ủy ban nhân dân tỉnh Quảng Ninh về xây dựng mô hình An ninh cơ sở năm 2023",
			Kind:            cycle.IssuerCommittee,
			HeadTitle:       "TRƯỞNG BAN",
			CommitteeShort:  "Ban Chỉ đạo 138",
			Founding:        committeeFounding("tỉnh Quảng Ninh", "Ban Chỉ đạo 138/QN"),
			Rules:           committeeRules("Ban Chỉ đạo 138/QN"),
			Plans:           provincePlans("tỉnh Quảng Ninh"),
		},
	},
}

// committeeFounding is a placeholder for the decision founding (or
// reorganising) a province's committee: its issuer and subject, without
// the number and date only the province knows.
func committeeFounding(province, committee string) []cycle.LegalAct {
	return []cycle.LegalAct{{Kind: "Quyết định", Issuer: "Chủ tịch Ủy ban nhân dân " + province, Subject: "về việc kiện toàn " + committee}}
}

// committeeRules is a placeholder for a committee's working rules.
func committeeRules(committee string) []cycle.LegalAct {
	return []cycle.LegalAct{{Kind: "Quyết định", Issuer: "Trưởng " + committee, Subject: "ban hành Quy chế hoạt động của " + committee}}
}

// provincePlans is a placeholder for the province's plan for the years
// its policy's plan does not cover (the demonstrations run 2027).
func provincePlans(province string) []cycle.LegalAct {
	return []cycle.LegalAct{{Kind: "Kế hoạch", Issuer: "Ủy ban nhân dân " + province,
		Subject: "về thực hiện công tác chuyển hóa địa bàn trọng điểm, phức tạp về trật tự, an toàn xã hội"}}
}

// LocalGovernmentLaws are the Laws on the Organisation of Local Government
// a People's Committee's decisions rest on, each while in force: the law
// of 19/6/2015 and its amendment of 22/11/2019, replaced from 1/3/2025 by
// the law of 19/02/2025, itself replaced from 1/7/2025 (two tiers of local
// government) by the law of 16/6/2025.
func LocalGovernmentLaws() []cycle.LegalAct {
	return []cycle.LegalAct{
		{Kind: "Luật", Name: "Tổ chức chính quyền địa phương", Date: cycle.D(2015, 6, 19), From: cycle.D(2016, 1, 1), Until: cycle.D(2025, 2, 28)},
		{Kind: "Luật", Name: "sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương",
			Date: cycle.D(2019, 11, 22), From: cycle.D(2020, 7, 1), Until: cycle.D(2025, 2, 28)},
		{Kind: "Luật", Name: "Tổ chức chính quyền địa phương", Date: cycle.D(2025, 2, 19), From: cycle.D(2025, 3, 1), Until: cycle.D(2025, 6, 30)},
		{Kind: "Luật", Name: "Tổ chức chính quyền địa phương", Date: cycle.D(2025, 6, 16), From: cycle.D(2025, 7, 1)},
	}
}

// Provinces returns the slugs of the provinces of the seeds, in their
// three-tier shape of 2024, in seed order.
func Provinces() []string {
	out := make([]string, len(seededProvinces))
	for i, s := range seededProvinces {
		out[i] = s.slug
	}
	return out
}

// Province returns the registry of the province with the given slug (see
// Provinces), with synthetic new-rural flags, and the configuration of who
// issues and signs its decisions. An unknown slug is ENOTFOUND.
func Province(slug string) (cycle.Province, cycle.Issuer, error) {
	for _, s := range seededProvinces {
		if s.slug != slug {
			continue
		}
		f, err := data.Open(s.file)
		if err != nil {
			return cycle.Province{}, cycle.Issuer{}, fmt.Errorf("sample province %s: %w", slug, err)
		}
		defer f.Close()
		p, err := cycle.ReadRegistryCSV(f)
		if err != nil {
			return cycle.Province{}, cycle.Issuer{}, fmt.Errorf("sample province %s: %w", slug, err)
		}
		markNewRural(&p)
		return p, s.issuer, nil
	}
	return cycle.Province{}, cycle.Issuer{}, cycle.Errorf(cycle.ENOTFOUND, "sample province %q: want one of %s", slug, strings.Join(Provinces(), ", "))
}

// Communes2025 returns the 34 two-tier provinces of 1 July 2025 (no
// districts: communes propose for themselves), ordered by code, with
// synthetic new-rural flags. GenericIssuer gives each an issuer.
func Communes2025() ([]cycle.Province, error) {
	raw, err := data.ReadFile("data/vn-communes-2025.csv")
	if err != nil {
		return nil, fmt.Errorf("sample communes 2025: %w", err)
	}
	cr := csv.NewReader(bytes.NewReader(raw))
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("sample communes 2025: header: %w", err)
	}
	if len(header) == 0 || header[0] != "province_code" {
		return nil, fmt.Errorf("sample communes 2025: header %q: want province_code first", header)
	}
	// Split the national file by province, keeping the order of first
	// appearance, and read each part with the domain's reader.
	var order []string
	rows := map[string][][]string{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("sample communes 2025: %w", err)
		}
		if _, ok := rows[rec[0]]; !ok {
			order = append(order, rec[0])
		}
		rows[rec[0]] = append(rows[rec[0]], rec)
	}
	out := make([]cycle.Province, 0, len(order))
	for _, code := range order {
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		if err := w.Write(header); err != nil {
			return nil, fmt.Errorf("sample communes 2025: %w", err)
		}
		if err := w.WriteAll(rows[code]); err != nil {
			return nil, fmt.Errorf("sample communes 2025: %w", err)
		}
		p, err := cycle.ReadRegistryCSV(&buf)
		if err != nil {
			return nil, fmt.Errorf("sample communes 2025: province %s: %w", code, err)
		}
		markNewRural(&p)
		out = append(out, p)
	}
	return out, nil
}

// GenericIssuer is an issuer configuration for any province, for
// national-scale runs over Communes2025: the province's steering committee
// for crime prevention, its head signing, a placeholder name, and the
// committee's founding act and rules and the province's plan cited without
// number or date (placeholders: none is known here).
func GenericIssuer(p cycle.Province) cycle.Issuer {
	upper := strings.ToUpper(p.Name) // "TỈNH QUẢNG NGÃI"
	lower := lowerUnitPrefix(p.Name) // "tỉnh Quảng Ngãi"
	committee := "Ban Chỉ đạo phòng, chống tội phạm " + lower
	return cycle.Issuer{
		ParentBody:      "UBND " + upper,
		Body:            "BAN CHỈ ĐẠO PHÒNG, CHỐNG TỘI PHẠM",
		BodyKey:         p.Code + "-BCD",
		NumberSuffix:    "QĐ-BCĐ",
		Place:           p.ShortName(),
		CommitteeName:   committee,
		AuthorityLine:   "TRƯỞNG BAN CHỈ ĐẠO PHÒNG, CHỐNG TỘI PHẠM " + upper,
		SignerAuthority: "TM. BAN CHỈ ĐẠO",
		SignerTitle:     "TRƯỞNG BAN",
		SignerName:      "Nguyễn Văn A",
		PlanRef:         "Kế hoạch của Ủy ban nhân dân " + lower + " về thực hiện công tác chuyển hóa địa bàn trọng điểm, phức tạp về trật tự, an toàn xã hội",
		Kind:            cycle.IssuerCommittee,
		HeadTitle:       "TRƯỞNG BAN",
		CommitteeShort:  "Ban Chỉ đạo phòng, chống tội phạm",
		Founding:        committeeFounding(lower, committee),
		Rules:           committeeRules(committee),
		Plans:           provincePlans(lower),
	}
}

// markNewRural flags about newRuralPercent of the xã of p as recognised
// new-rural communes (đạt chuẩn nông thôn mới). The flag is synthetic and
// depends only on the commune's code, so it is the same in every run;
// phường, thị trấn and đặc khu are never new-rural.
func markNewRural(p *cycle.Province) {
	for i := range p.Communes {
		c := &p.Communes[i]
		c.NewRural = c.Kind == cycle.KindXa && hash("new-rural", c.Code)%100 < newRuralPercent
	}
}

// hash is FNV-1a over the parts, each terminated by a zero byte so that
// ("ab", "c") and ("a", "bc") differ. It is stable across runs and
// platforms, unlike maphash.
func hash(parts ...string) uint64 {
	h := fnv.New64a()
	for _, s := range parts {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return h.Sum64()
}

// lowerUnitPrefix lower-cases the unit-type prefix of an official name, as
// running text writes it: "Huyện Sơn Tây" → "huyện Sơn Tây",
// "Thành phố Huế" → "thành phố Huế".
func lowerUnitPrefix(name string) string {
	for _, prefix := range []string{"Thành phố ", "Thị xã ", "Huyện ", "Quận ", "Tỉnh ", "Phường ", "Xã ", "Thị trấn ", "Đặc khu "} {
		if rest, ok := strings.CutPrefix(name, prefix); ok {
			return strings.ToLower(prefix) + rest
		}
	}
	return name
}
