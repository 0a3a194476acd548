package cycle_test

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"chuyenhoa/cycle"
)

var fullDossier = []string{"submission", "council_minutes", "achievement_report"}

func person(name string, leader bool) cycle.Nomination {
	return cycle.Nomination{Unit: "688", Kind: cycle.NomineeIndividual, Name: name, Position: "Cán bộ", Leader: leader,
		Achievements: "Tham mưu xây dựng mô hình tự quản tại địa bàn chuyển hóa", Dossier: fullDossier}
}

func collective(name string) cycle.Nomination {
	return cycle.Nomination{Unit: "688", Kind: cycle.NomineeCollective, Name: name, Achievements: "Chuyển hóa thành công địa bàn", Dossier: fullDossier}
}

func people(n, leaders int) []cycle.Nomination {
	var out []cycle.Nomination
	for i := 0; i < n; i++ {
		out = append(out, person(fmt.Sprintf("Nguyễn Văn %c", 'A'+i), i < leaders))
	}
	return out
}

var awardCases = []struct {
	name   string
	policy string
	clause string
	noms   []cycle.Nomination
	rules  []string // nil: accepted
	msg    string
}{
	{
		name: "003 three collectives and six individuals, two leaders", policy: "003",
		clause: "Số lượng khen thưởng: 03 tập thể - 06 cá nhân",
		noms:   append([]cycle.Nomination{collective("Công an xã Tân Thành"), collective("Công an phường Tân Phú"), collective("UBND xã Lộc Ninh")}, people(6, 2)...),
	},
	{
		name: "003 a fourth collective", policy: "003",
		clause: "Số lượng khen thưởng: 03 tập thể",
		noms:   []cycle.Nomination{collective("A"), collective("B"), collective("C"), collective("D")},
		rules:  []string{"awards.quota_collectives"}, msg: "4 collectives nominated, the quota is 3",
	},
	{
		name: "003 a seventh individual", policy: "003",
		clause: "06 cá nhân",
		noms:   people(7, 0),
		rules:  []string{"awards.quota_individuals"}, msg: "7 individuals nominated, the quota is 6",
	},
	{
		name: "003 three leaders among six individuals is 50% > 40%", policy: "003",
		clause: "lãnh đạo, quản lý từ Phó trưởng phòng và tương đương trở lên không quá 40 % tổng số cá nhân được đề nghị",
		noms:   people(6, 3),
		rules:  []string{"awards.leaders_share"}, msg: "3 leaders among 6 individuals is 50% > 40% (at most 2)",
	},
	{
		name: "003 two leaders among five individuals is exactly 40%", policy: "003",
		clause: "không quá 40 %",
		noms:   people(5, 2),
	},
	{
		name: "003 a nomination without the council's minutes", policy: "003",
		clause: "Biên bản họp hội đồng Thi đua - Khen thưởng của cơ quan, đơn vị, địa phương trình khen thưởng",
		noms: func() []cycle.Nomination {
			n := person("Trần Thị B", false)
			n.Dossier = []string{"submission", "achievement_report"}
			return []cycle.Nomination{n}
		}(),
		rules: []string{"awards.dossier"}, msg: `dossier lacks "council_minutes"`,
	},
	{
		name: "001 one collective or person per transformed area", policy: "001",
		clause: "lựa chọn 01 tập thể hoặc cá nhân/1 địa bàn chuyển hóa có thành tích xuất sắc",
		noms: []cycle.Nomination{
			{Unit: "703", Kind: cycle.NomineeCollective, Name: "Công an phường 3", Area: "25459", Achievements: "Chuyển hóa đạt"},
			{Unit: "703", Kind: cycle.NomineeIndividual, Name: "Lê Văn C", Area: "25462", Achievements: "Trinh sát giỏi"},
		},
	},
	{
		name: "001 a second nomination for the same area", policy: "001",
		clause: "01 tập thể hoặc cá nhân/1 địa bàn chuyển hóa",
		noms: []cycle.Nomination{
			{Unit: "703", Kind: cycle.NomineeCollective, Name: "Công an phường 3", Area: "25459", Achievements: "Chuyển hóa đạt"},
			{Unit: "703", Kind: cycle.NomineeIndividual, Name: "Lê Văn C", Area: "25459", Achievements: "Trinh sát giỏi"},
		},
		rules: []string{"awards.per_area"}, msg: "area 25459 has 2 nominations, at most 1 per transformed area",
	},
	{
		name: "001 a nomination must name its area", policy: "001",
		clause: "/1 địa bàn chuyển hóa",
		noms:   []cycle.Nomination{{Unit: "703", Kind: cycle.NomineeIndividual, Name: "Lê Văn C", Achievements: "Trinh sát giỏi"}},
		rules:  []string{"awards.area"},
	},
}

func TestValidateNominations(t *testing.T) {
	for _, tc := range awardCases {
		t.Run(tc.name, func(t *testing.T) {
			pol := mustPolicy(t, tc.policy)
			err := cycle.ValidateNominations(*pol.Awards, tc.noms)
			got := rules(err)
			if strings.Join(got, ",") != strings.Join(tc.rules, ",") {
				t.Fatalf("%s\nrules %v, want %v (%v)", tc.clause, got, tc.rules, err)
			}
			if tc.msg != "" && !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("error %q does not say %q", err, tc.msg)
			}
		})
	}
}

// TestAcceptedNominationsKeepTheQuotas: whatever set of nominations is
// accepted under 003, it never has more than 3 collectives, 6 individuals,
// or leaders above 40% of the individuals.
func TestAcceptedNominationsKeepTheQuotas(t *testing.T) {
	a := *mustPolicy(t, "003").Awards
	rng := rand.New(rand.NewSource(7))
	accepted := 0
	for i := 0; i < 2000; i++ {
		var noms []cycle.Nomination
		for j := rng.Intn(10); j > 0; j-- {
			if rng.Intn(3) == 0 {
				noms = append(noms, collective(fmt.Sprint("T", j)))
			} else {
				noms = append(noms, person(fmt.Sprint("P", j), rng.Intn(3) == 0))
			}
		}
		if cycle.ValidateNominations(a, noms) != nil {
			continue
		}
		accepted++
		c, ind, lead := 0, 0, 0
		for _, n := range noms {
			if n.Kind == cycle.NomineeCollective {
				c++
			} else {
				ind++
				if n.Leader {
					lead++
				}
			}
		}
		if c > 3 || ind > 6 || 10*lead > 4*ind {
			t.Fatalf("accepted %d collectives, %d individuals, %d leaders", c, ind, lead)
		}
	}
	if accepted < 100 {
		t.Fatalf("only %d sets accepted: the property is not exercised", accepted)
	}
}

// While nominations are open, one leader among two individuals is fine —
// more individuals may come; the exact share ("không quá 40 % tổng số cá
// nhân được đề nghị") is checked on the set the council puts forward.
func TestOpenNominationsLeadersBound(t *testing.T) {
	a := *mustPolicy(t, "003").Awards
	if err := cycle.ValidateOpenNominations(a, people(2, 1)); err != nil {
		t.Fatalf("open round, 1 leader of 2: %v", err)
	}
	if err := cycle.ValidateNominations(a, people(2, 1)); err == nil {
		t.Fatal("final set, 1 leader of 2 = 50% > 40%: accepted")
	}
	err := cycle.ValidateOpenNominations(a, people(4, 3))
	if got := rules(err); len(got) != 1 || got[0] != "awards.leaders_share" || !strings.Contains(err.Error(), "3 leaders nominated: at most 2 can be awarded") {
		t.Fatalf("open round, 3 leaders: %v", err)
	}
}
