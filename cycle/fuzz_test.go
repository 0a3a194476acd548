package cycle_test

import (
	"bytes"
	"strings"
	"testing"

	"chuyenhoa/cycle"
)

// The parsers of officers' files must refuse bad input with an error —
// never panic — and whatever they accept must survive validation and
// selection. Run longer with: go test ./cycle -run '^$' -fuzz FuzzReadProposalCSV -fuzztime 30s

func FuzzReadProposalCSV(f *testing.F) {
	var buf bytes.Buffer
	_ = cycle.WriteProposalCSV(&buf, testProvince(), cycle.Proposal{Unit: "A", Statistics: statsA(), Proposed: []cycle.ProposedCommune{{Commune: "01", Types: cycle.Types{1, 4}}}})
	f.Add(buf.String())
	f.Add("commune_code,social_order_crimes,economic_cases,environment_cases,drug_cases,proposed,types\n01,1,2,3,4,x,1;2\n")
	f.Add("commune_code\n\"unterminated\n")
	f.Add("\ufeffcommune_code,social_order_crimes,economic_cases,environment_cases,drug_cases,proposed,types\n01,99999999999999999999,0,0,0,có,1\n")
	prov, pol := testProvince(), cycle.DefaultPolicy()
	f.Fuzz(func(t *testing.T, in string) {
		p, err := cycle.ReadProposalCSV(strings.NewReader(in), "A")
		if err != nil {
			if cycle.ErrorCode(err) != cycle.EINVALID {
				t.Fatalf("a parse error must be EINVALID, got %v", err)
			}
			return
		}
		if err := cycle.ValidateProposal(prov, pol, p); err == nil {
			_ = cycle.Select(prov, pol, []cycle.Proposal{p})
		}
	})
}

func FuzzReadProposalJSON(f *testing.F) {
	f.Add(`{"unit":"A","statistics":[{"commune":"01","social_order_crimes":10}],"proposed":[{"commune":"01","types":[1,3]}]}`)
	f.Add(`{"unit":"A","proposed":[{"commune":"01","types":[-1,9999999999]}]}`)
	f.Add(`[]`)
	f.Add(`{"unit":"\u0041\u0301"}`)
	prov, pol := testProvince(), cycle.DefaultPolicy()
	f.Fuzz(func(t *testing.T, in string) {
		p, err := cycle.ReadProposalJSON(strings.NewReader(in), "")
		if err != nil {
			if cycle.ErrorCode(err) != cycle.EINVALID {
				t.Fatalf("a parse error must be EINVALID, got %v", err)
			}
			return
		}
		if err := cycle.ValidateProposal(prov, pol, p); err == nil {
			_ = cycle.Select(prov, pol, []cycle.Proposal{p})
		}
	})
}
