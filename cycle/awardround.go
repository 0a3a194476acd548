package cycle

import (
	"fmt"
	"sort"
)

// AwardPhase is where an award round (đợt khen thưởng) is.
type AwardPhase string

// The phases of an award round, in order.
const (
	AwardPhaseNominations AwardPhase = "nominations" // units send nominations until the deadline or until the secretariat closes them
	AwardPhaseReview      AwardPhase = "review"      // the emulation and awards council reviews them
	AwardPhaseSigning     AwardPhase = "signing"     // the grantor signs the award decision
	AwardPhaseIssue       AwardPhase = "issue"       // the clerk numbers and issues it
	AwardPhaseIssued      AwardPhase = "issued"
)

// AwardReview is the council's conclusion on the nominations (Hội đồng Thi
// đua - Khen thưởng; in 003 the Department of Home Affairs "thẩm định hồ
// sơ"): every nomination accepted or rejected with a reason, and the minutes.
type AwardReview struct {
	Accepted []string    `json:"accepted"` // nomination IDs
	Rejected []Rejection `json:"rejected,omitempty"`
	Minutes  string      `json:"minutes"`
}

// Rejection is a nomination the council does not put forward, and why.
type Rejection struct {
	ID     string `json:"id"`
	Reason string `json:"reason"`
}

// ValidateAwardReview checks a review against the nominations: each one
// accepted or rejected exactly once, rejections with a reason, minutes
// given, and the accepted set within the scheme's quotas and with complete
// dossiers (ValidateNominations). It returns the accepted nominations in
// the order they were nominated.
func ValidateAwardReview(a Awards, noms []Nomination, r AwardReview) ([]Nomination, error) {
	var probs []Problem
	add := func(field, rule string, t Text, args ...any) {
		probs = append(probs, withPlace(Bilingual(rule, t, args...), field, ""))
	}
	byID := map[string]int{}
	for i, n := range noms {
		byID[n.ID] = i
	}
	decided := map[string]string{}
	accepted := map[string]bool{}
	for i, id := range r.Accepted {
		if _, ok := byID[id]; !ok {
			add(fmt.Sprintf("accepted[%d]", i), "awards.review_unknown", Text{VI: "«%s» không phải là đề nghị khen thưởng của đợt này", EN: "%q is not a nomination of this round"}, id)
			continue
		}
		if decided[id] != "" {
			add(fmt.Sprintf("accepted[%d]", i), "awards.review_twice", Text{VI: "Đề nghị %s được quyết định hai lần", EN: "%s is decided twice"}, id)
		}
		decided[id], accepted[id] = "accepted", true
	}
	for i, rj := range r.Rejected {
		if _, ok := byID[rj.ID]; !ok {
			add(fmt.Sprintf("rejected[%d]", i), "awards.review_unknown", Text{VI: "«%s» không phải là đề nghị khen thưởng của đợt này", EN: "%q is not a nomination of this round"}, rj.ID)
			continue
		}
		if decided[rj.ID] != "" {
			add(fmt.Sprintf("rejected[%d]", i), "awards.review_twice", Text{VI: "Đề nghị %s được quyết định hai lần", EN: "%s is decided twice"}, rj.ID)
		}
		decided[rj.ID] = "rejected"
		if Clean(rj.Reason) == "" {
			add(fmt.Sprintf("rejected[%d].reason", i), "awards.review_reason", Text{VI: "%s: cần ghi lý do không đề nghị khen thưởng", EN: "%s: a rejection needs its reason"}, rj.ID)
		}
	}
	for _, n := range noms {
		if decided[n.ID] == "" {
			add("accepted", "awards.review_missing", Text{VI: "%s (%s) chưa được Hội đồng quyết định: đề nghị hoặc không đề nghị khen thưởng", EN: "%s (%s) is neither accepted nor rejected"}, n.ID, n.Name)
		}
	}
	if Clean(r.Minutes) == "" {
		add("minutes", "awards.review_minutes", Text{VI: "Cần có biên bản họp Hội đồng", EN: "the council's minutes are required"})
	}
	var out []Nomination
	for _, n := range noms {
		if accepted[n.ID] {
			out = append(out, n)
		}
	}
	if len(out) == 0 && len(probs) == 0 {
		add("accepted", "awards.review_empty", Text{VI: "Hội đồng không đề nghị khen thưởng trường hợp nào: không có gì để khen thưởng", EN: "no nomination accepted: nothing to award"})
	}
	if err := ValidateNominations(a, out); err != nil {
		var ce *Error
		if e, ok := err.(*Error); ok {
			ce = e
			for _, p := range ce.Problems {
				p.Field = "accepted: " + p.Field
				probs = append(probs, p)
			}
		}
	}
	if err := Invalid("award review", probs); err != nil {
		return nil, err
	}
	return out, nil
}

// NominationIDs gives each nomination of a unit's submission its ID,
// "<unit>/<n>" from 1, in the order given.
func NominationIDs(unit string, noms []Nomination) []Nomination {
	out := make([]Nomination, len(noms))
	for i, n := range noms {
		n.ID = fmt.Sprintf("%s/%d", unit, i+1)
		n.Unit = unit
		out[i] = n
	}
	return out
}

// NormalizeNominations cleans the text of nominations (NFC) and sorts each
// one's dossier, so that equal submissions compare equal.
func NormalizeNominations(noms []Nomination) {
	for i := range noms {
		n := &noms[i]
		n.Unit, n.Name, n.Position, n.Area, n.Achievements = Clean(n.Unit), Clean(n.Name), Clean(n.Position), Clean(n.Area), Clean(n.Achievements)
		for j := range n.Dossier {
			n.Dossier[j] = Clean(n.Dossier[j])
		}
		sort.Strings(n.Dossier)
	}
}
