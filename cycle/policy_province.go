package cycle

// ProvinceOn is the code of the province a policy is for on day d, as
// codes are on that day: before 1 July 2025 the code the plan was issued
// for (Province); since, the province its area belongs to — the file's
// ProvinceSince2025, else, for a plan effective before 1 July 2025, the
// province its old code went into (Tây Ninh's 72 → 80, Bà Rịa - Vũng Tàu's
// 77 → 79), else Province (a plan of the 34 provinces). Empty: any
// province.
func (p Policy) ProvinceOn(d Date) string {
	if p.Province == "" || d.Before(TwoTierSince) {
		return p.Province
	}
	if p.ProvinceSince2025 != "" {
		return p.ProvinceSince2025
	}
	if p.Effective.Before(TwoTierSince) {
		if c, ok := ProvinceSince2025(p.Province); ok {
			return c.Now
		}
	}
	return p.Province
}

// validateProvince checks the policy's province codes against the
// provinces before and since 1 July 2025: province_since_2025 is one of
// the 34 and the province the old code went into; a plan effective since
// 1 July 2025 is for one of the 34.
func (p Policy) validateProvince() []Problem {
	var probs []Problem
	add := func(field string, t Text, args ...any) {
		probs = append(probs, withPlace(Bilingual("policy."+field, t, args...), field, ""))
	}
	if now := p.ProvinceSince2025; now != "" {
		if _, ok := IsProvince2025(now); !ok {
			add("province_since_2025", Text{VI: "Mã tỉnh %s không phải là một trong 34 tỉnh, thành phố từ ngày 01/7/2025", EN: "%s is not one of the 34 provinces since 1 July 2025"}, now)
		} else if c, ok := ProvinceSince2025(p.Province); ok && p.Effective.Before(TwoTierSince) && c.Now != now {
			add("province_since_2025", Text{VI: "%[1]s (mã %[2]s) nay thuộc %[3]s, mã %[4]s, không phải mã %[5]s", EN: "%[1]s (code %[2]s) is part of %[3]s, code %[4]s, since 1 July 2025, not of %[5]s"},
				c.OldName, c.Old, c.NowName, c.Now, now)
		}
	}
	if p.Province != "" && !p.Effective.IsZero() && !p.Effective.Before(TwoTierSince) {
		if _, ok := IsProvince2025(p.Province); !ok {
			if c, old := ProvinceSince2025(p.Province); old {
				add("province", Text{VI: "Kế hoạch có hiệu lực từ ngày 01/7/2025 trở đi phải ghi mã tỉnh hiện nay: %[1]s (mã %[2]s) nay thuộc %[3]s, mã %[4]s", EN: "a plan effective since 1 July 2025 takes a province code of today: %[1]s (code %[2]s) is part of %[3]s, code %[4]s"},
					c.OldName, c.Old, c.NowName, c.Now)
			} else {
				add("province", Text{VI: "Mã tỉnh %s không phải là một trong 34 tỉnh, thành phố từ ngày 01/7/2025", EN: "%s is not one of the 34 provinces since 1 July 2025"}, p.Province)
			}
		}
	}
	return probs
}
