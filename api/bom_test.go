package api

import (
	"testing"

	"chuyenhoa/cycle"
	"chuyenhoa/intake"
)

// A proposal file saved by a Windows editor starts with a byte-order mark;
// it is read, not refused as malformed JSON.
func TestParseProposalWithByteOrderMark(t *testing.T) {
	body := "\ufeff" + `{"unit":"522","statistics":[{"commune":"21451","social_order_crimes":10,"economic_cases":0,"environment_cases":1,"drug_cases":3}]}`
	p, _, err := parseProposal(intake.File{Type: mimeJSON, Data: []byte(body)}, "522")
	if err != nil || p.Unit != "522" || len(p.Statistics) != 1 {
		t.Fatalf("p %+v err %v (code %s)", p, err, cycle.ErrorCode(err))
	}
}
