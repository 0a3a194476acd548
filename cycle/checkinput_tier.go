package cycle

// ReportsUnder returns the communes with a report, ready for Evaluate
// under pol: as Reports, except in a file of a two-tier province (no
// commune names a district), where a commune without an area average is
// compared as the policy's evaluation.two_tier_area says, as AreaFor
// does in a cycle — with the file's units of the same kind (xã with xã;
// phường and đặc khu together), or not at all.
func (in CheckInput) ReportsUnder(pol Policy) []CommuneReport {
	out := in.Reports()
	for _, c := range in.Communes {
		if c.District != "" {
			return out
		}
	}
	mode := TwoTierSameKind
	if pol.Evaluation != nil && pol.Evaluation.TwoTierArea != "" {
		mode = pol.Evaluation.TwoTierArea
	}
	kinds := map[string]CommuneKind{}
	var urbanSum, ruralSum AreaAverage
	for _, c := range in.Communes {
		kinds[c.Code] = c.Kind
		if c.Report == nil {
			continue
		}
		n, ok := comparedCrimes(*c.Report)
		if !ok {
			continue
		}
		s := &ruralSum
		if urban(c.Kind) {
			s = &urbanSum
		}
		s.Crimes += n
		s.Communes++
	}
	province := orDefault(in.Province, "tỉnh")
	for i := range out {
		r := &out[i]
		typed := false
		for _, c := range in.Communes {
			if c.Code == r.Commune {
				typed = c.Area != nil
				break
			}
		}
		if typed {
			continue
		}
		switch {
		case mode == TwoTierNone:
			r.Area = &AreaAverage{Name: province, NotCompared: true}
		case urban(kinds[r.Commune]) && urbanSum.Communes > 0:
			r.Area = &AreaAverage{Name: "các phường, đặc khu của " + province + " (tính trên các xã trong tệp)", Crimes: urbanSum.Crimes, Communes: urbanSum.Communes}
		case !urban(kinds[r.Commune]) && ruralSum.Communes > 0:
			r.Area = &AreaAverage{Name: "các xã của " + province + " (tính trên các xã trong tệp)", Crimes: ruralSum.Crimes, Communes: ruralSum.Communes}
		}
	}
	return out
}
