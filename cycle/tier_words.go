package cycle

import "strings"

// How documents name the communes of a province, by its tier.
const (
	UnitsThreeTier = "xã, phường, thị trấn" // before 1 July 2025: districts' communes
	UnitsTwoTier   = "xã, phường, đặc khu"  // since: the communes of a two-tier province
)

// TierWords says a policy's words (a recognition's subject, a line of
// "Nơi nhận") for the province's tier: "xã, phường, thị trấn" in a
// two-tier province reads "xã, phường, đặc khu" — there is no thị trấn
// since 1 July 2025 — and a two-tier template's words run in a province
// of three tiers read "xã, phường, thị trấn".
func (c DocumentContent) TierWords(s string) string {
	if c.TwoTier {
		return strings.ReplaceAll(s, UnitsThreeTier, UnitsTwoTier)
	}
	return strings.ReplaceAll(s, UnitsTwoTier, UnitsThreeTier)
}

// TierLines are a policy's lines of "Nơi nhận" said for the province's
// tier (TierWords; Distribution reads them so): in a two-tier province a
// line for the district tier ("UBND huyện, thị xã, thành phố") is left
// out — that tier no longer exists, and the communes get theirs as
// Article 3 charges them.
func (c DocumentContent) TierLines(lines []string) []string {
	out := make([]string, 0, len(lines))
	for _, l := range lines {
		if c.TwoTier && strings.Contains(l, DistrictsWord) {
			continue
		}
		out = append(out, c.TierWords(l))
	}
	return out
}
