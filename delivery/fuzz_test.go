package delivery_test

import (
	"net/mail"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"chuyenhoa/cycle"
	"chuyenhoa/delivery"
)

// FuzzParseDirectory fuzzes the recipients directory (the JSON file that
// maps "Nơi nhận" lines to addresses) and its use on a document's lines.
// Properties:
//   - a refusal names the file, and an entry's problem its index;
//   - an accepted directory has unique non-empty keys, a known channel,
//     an address that the channel can use (a bare e-mail address for
//     smtp) and no blank match string (which would match every line);
//   - planning any lines gives each recipient once, labelled with a line
//     given, and a line is unmatched exactly when no match string occurs
//     in it.
//
// Run longer: go test ./delivery -run '^$' -fuzz '^FuzzParseDirectory$' -fuzztime 60s
func FuzzParseDirectory(f *testing.F) {
	const lines = "Như Điều 3;\nBộ Công an (V01) (để b/c);\nThường trực Tỉnh ủy, HĐND, UBND tỉnh (để b/c);\nLưu: VT, CAT."
	for _, s := range []string{
		`{"recipients": [
		  {"key": "bca-v01", "name": "Cục V01", "match": ["Bộ Công an (V01)"], "channel": "file", "address": "/srv/v01"},
		  {"key": "tinh", "name": "UBND tỉnh", "match": ["thường trực tỉnh ủy"], "channel": "smtp", "address": "vt@tinh.test"},
		  {"key": "ca-huyen", "name": "Công an các huyện", "match": ["Như Điều 3", "Công an các huyện"], "channel": "smtp", "address": "ca@huyen.test"}]}`,
		`{"recipients": [{"key": "a", "match": ["x"], "channel": "fax", "address": "1"}, {"key": "a", "match": [], "channel": "smtp", "address": "nope"}]}`,
		`{"recipients": [{"key": "a", "match": [" "], "channel": "smtp", "address": "Văn thư <vt@tinh.test>"}]}`,
		`{"recipients": [{"key": "a", "match": ["Nhu\u031b"], "channel": "smtp", "address": "a@"}]}`,
		`{"recipients": []} {"recipients": []}`,
		`{"recipient": []}`, `[]`, `null`, ``,
	} {
		f.Add(s, lines)
	}
	f.Fuzz(func(t *testing.T, in, text string) {
		const name = "recipients.json"
		d, err := delivery.ParseDirectory(name, []byte(in))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "recipients directory "+name+": ") {
				t.Fatalf("refusal does not name the file: %v", err)
			}
			return
		}
		keys := map[string]bool{}
		for i, e := range d.Recipients {
			if e.Key == "" || keys[e.Key] {
				t.Fatalf("recipients[%d]: empty or duplicate key %q accepted", i, e.Key)
			}
			keys[e.Key] = true
			switch e.Channel {
			case cycle.ChannelSMTP:
				if a, err := mail.ParseAddress(e.Address); err != nil || a.Address != e.Address {
					t.Fatalf("recipients[%d]: smtp address %q accepted (%v)", i, e.Address, err)
				}
			case cycle.ChannelFile:
				if e.Address == "" {
					t.Fatalf("recipients[%d]: empty directory accepted", i)
				}
			default:
				t.Fatalf("recipients[%d]: channel %q accepted", i, e.Channel)
			}
			if len(e.Match) == 0 && len(e.Units) == 0 && len(e.Roles) == 0 {
				t.Fatalf("recipients[%d]: nothing to match accepted", i)
			}
			for _, m := range e.Match {
				if strings.TrimSpace(m) == "" {
					t.Fatalf("recipients[%d]: blank match %q accepted", i, m)
				}
			}
		}
		given := strings.Split(text, "\n")
		targets, unmatched := d.Plan(given, nil)
		isLine := map[string]bool{}
		for _, l := range given {
			isLine[l] = true
		}
		seen := map[string]bool{}
		for _, tg := range targets {
			if seen[tg.Key] || !keys[tg.Key] || !isLine[tg.Label] {
				t.Fatalf("target %+v: repeated, unknown or labelled with no line given", tg)
			}
			seen[tg.Key] = true
		}
		isUnmatched := map[string]bool{}
		for _, l := range unmatched {
			isUnmatched[l] = true
		}
		for _, l := range given {
			matched := false
			for _, e := range d.Recipients {
				for _, m := range e.Match {
					matched = matched || strings.Contains(fold(l), fold(m))
				}
			}
			if matched == isUnmatched[l] {
				t.Fatalf("line %q: matched %v, but listed as unmatched %v", l, matched, isUnmatched[l])
			}
		}
	})
}

// fold is how the directory compares a line and a match string: NFC, case
// and runs of white space ignored.
func fold(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(norm.NFC.String(s)), " "))
}

// TestDirectoryRefusesBlankMatchAndBadAddress: a blank match string
// matched every line, sending every document to that recipient; an smtp
// address with a display name or no domain passed the check and failed
// at every delivery attempt (found by FuzzParseDirectory).
func TestDirectoryRefusesBlankMatchAndBadAddress(t *testing.T) {
	_, err := delivery.ParseDirectory("r.json", []byte(`{"recipients": [
	  {"key": "a", "match": ["x", "  "], "channel": "file", "address": "a"},
	  {"key": "b", "match": ["y"], "channel": "smtp", "address": "Văn thư <vt@tinh.test>"},
	  {"key": "c", "match": ["z"], "channel": "smtp", "address": "vt@"}]}`))
	for _, want := range []string{"recipients directory r.json: ", "recipients[0] (a): match[1] is blank", `recipients[1] (b): "Văn thư <vt@tinh.test>" is not an e-mail address`, `recipients[2] (c): "vt@" is not an e-mail address`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("err = %v, want %q", err, want)
		}
	}
	if _, err := delivery.ParseDirectory("r.json", []byte(`{"recipients": []} {}`)); err == nil {
		t.Error("data after the directory accepted")
	}
}
