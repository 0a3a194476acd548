// Package delivery distributes issued documents to the recipients of their
// distribution list (nơi nhận): by e-mail through an SMTP server (the PDF
// attached) or by dropping the PDF into a directory (a shared folder, the
// inbox of a document-management system).
//
// Which entry of "Nơi nhận" goes where is configuration: a recipients
// directory (Directory, a JSON file) maps the printed entries to
// addresses. Entries without an address (e.g. "Lưu: VT, CAT.", the
// issuing office's own file copy) are not delivered, and the plan says so.
//
// Delivery is at most once per (document, recipient). The store records a
// delivery as claimed before the message leaves and as sent after; a
// failure that certainly happened before the hand-over (connection
// refused, a recipient refused, the server rejecting the message) is
// retried, while an attempt that died between the hand-over and its
// record, or whose SMTP transaction ended ambiguously, is marked unknown
// and not resent automatically: a recipient never gets a legal document
// twice, and an unknown delivery is listed for the clerk to check (an
// attempt that was only slow, not dead, still reports and settles it). Every
// message carries a Message-ID derived from the document and the recipient,
// so a receiving system can also discard a duplicate a person re-sent.
package delivery

import (
	"bytes"
	"chuyenhoa/cycle"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"os"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// Deliverer hands a document to one recipient.
//
// An error wrapping cycle.ErrDeliveryAmbiguous means the hand-over may have happened
// (e.g. the SMTP server did not answer after the message was sent); any
// other error means it certainly did not, and a retry is safe.
type Deliverer interface {
	Deliver(ctx context.Context, t cycle.DeliveryTarget, m cycle.DeliveryMessage) error
}

// Router sends each target through the deliverer of its channel.
type Router map[cycle.Channel]Deliverer

// Deliver implements Deliverer.
func (r Router) Deliver(ctx context.Context, t cycle.DeliveryTarget, m cycle.DeliveryMessage) error {
	d, ok := r[t.Channel]
	if !ok || d == nil {
		return fmt.Errorf("no deliverer configured for channel %q (recipient %s)", t.Channel, t.Key)
	}
	return d.Deliver(ctx, t, m)
}

// Directory maps the entries of "Nơi nhận" to recipients and addresses.
//
// The file is JSON:
//
//	{"recipients": [
//	  {"key": "ubnd-tinh", "name": "Văn phòng UBND tỉnh", "match": ["Thường trực Tỉnh ủy, HĐND, UBND tỉnh"],
//	   "channel": "smtp", "address": "vanthu@ubnd.example.gov.vn"},
//	  {"key": "bca-v01", "name": "Cục V01 - Bộ Công an", "match": ["Bộ Công an (V01)"],
//	   "channel": "file", "address": "/srv/drop/bca-v01"}
//	]}
//
// An entry matches a printed "Nơi nhận" line when one of its match strings
// occurs in it (case and spacing ignored, NFC). The bodies a document
// names ("Như Điều 3;" names everybody the article charges: the
// secretariat, the committee's members, the districts and communes of
// Article 1; a notice, the communes it lists) are found by their unit
// code or role:
//
//	{"key": "ubnd-21190", "name": "UBND xã Tịnh Kỳ", "units": ["21190"], "channel": "smtp", "address": "ubnd.tinhky@example.gov.vn"},
//	{"key": "cat", "name": "Công an tỉnh", "roles": ["secretariat"], "channel": "file", "address": "/srv/drop/cat"}
type Directory struct {
	Recipients []DirectoryEntry `json:"recipients"`
}

// DirectoryEntry is one recipient of the directory: the lines it matches,
// the units (registry codes of districts and communes) and roles
// (cycle.RoleSecretariatBody, cycle.RoleCommitteeMembers) it is the
// address of.
type DirectoryEntry struct {
	Key     string        `json:"key"`
	Name    string        `json:"name"`
	Match   []string      `json:"match,omitempty"`
	Units   []string      `json:"units,omitempty"`
	Roles   []string      `json:"roles,omitempty"`
	Channel cycle.Channel `json:"channel"`
	Address string        `json:"address"`
}

// LoadDirectory reads and checks a recipients directory file.
func LoadDirectory(path string) (*Directory, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("recipients directory: %w", err)
	}
	return ParseDirectory(path, b)
}

// ParseDirectory decodes and checks a recipients directory; name is the
// file's name in messages. Unknown fields and anything after the object
// are refused.
func ParseDirectory(name string, b []byte) (*Directory, error) {
	var d Directory
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("recipients directory %s: %w", name, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("recipients directory %s: data after the directory object", name)
	}
	if err := d.Validate(); err != nil {
		return nil, fmt.Errorf("recipients directory %s: %w", name, err)
	}
	return &d, nil
}

// Validate checks every entry: a unique key, a channel, an address (for
// smtp, a bare e-mail address), something to match (a blank match string
// would match every line).
func (d *Directory) Validate() error {
	var probs []string
	seen := map[string]bool{}
	for i, e := range d.Recipients {
		at := fmt.Sprintf("recipients[%d] (%s)", i, e.Key)
		switch {
		case e.Key == "":
			probs = append(probs, at+": key is required")
		case seen[e.Key]:
			probs = append(probs, at+": key given twice")
		}
		seen[e.Key] = true
		if e.Channel != cycle.ChannelSMTP && e.Channel != cycle.ChannelFile {
			probs = append(probs, fmt.Sprintf("%s: channel %q is not smtp or file", at, e.Channel))
		}
		if e.Address == "" {
			probs = append(probs, at+": address is required")
		}
		if e.Channel == cycle.ChannelSMTP && !isMailbox(e.Address) {
			probs = append(probs, fmt.Sprintf("%s: %q is not an e-mail address", at, e.Address))
		}
		if len(e.Match) == 0 && len(e.Units) == 0 && len(e.Roles) == 0 {
			probs = append(probs, at+": match, units or roles is required")
		}
		for j, m := range e.Match {
			if fold(m) == "" {
				probs = append(probs, fmt.Sprintf("%s: match[%d] is blank: it would match every line", at, j))
			}
		}
	}
	if len(probs) > 0 {
		return errors.New(strings.Join(probs, "; "))
	}
	return nil
}

// isMailbox reports whether s is a bare e-mail address (local@domain, no
// display name or brackets), as the SMTP deliverer takes it.
func isMailbox(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s
}

// fold normalises a line for matching.
func fold(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(norm.NFC.String(s)), " "))
}

// Plan returns the targets of a document's "Nơi nhận": each body it
// names, by its unit or role, and each printed line that names no body,
// by the entries' match strings — each recipient once, in order. Unmatched
// are the lines nobody is found for (the archive copy "Lưu: …" among
// them) and, for a line naming bodies, "line: body" for each body the
// directory has no address for.
func (d *Directory) Plan(lines []string, named []cycle.Recipient) (targets []cycle.DeliveryTarget, unmatched []string) {
	seen := map[string]bool{}
	add := func(e DirectoryEntry, label string) {
		if !seen[e.Key] {
			seen[e.Key] = true
			targets = append(targets, cycle.DeliveryTarget{Key: e.Key, Name: e.Name, Label: label, Channel: e.Channel, Address: e.Address})
		}
	}
	naming := map[string]bool{}
	for _, r := range named {
		naming[r.Line] = true
	}
	for _, l := range lines {
		if naming[l] {
			for _, r := range named {
				if r.Line != l {
					continue
				}
				if e, ok := d.entryOf(r); ok {
					add(e, l)
				} else {
					unmatched = append(unmatched, strings.TrimRight(l, ";.")+": "+r.Name)
				}
			}
			continue
		}
		if es := d.entriesMatching(l); len(es) > 0 {
			for _, e := range es {
				add(e, l)
			}
			continue
		}
		unmatched = append(unmatched, l)
	}
	return targets, unmatched
}

// entryOf is the entry that is the address of a named body.
func (d *Directory) entryOf(r cycle.Recipient) (DirectoryEntry, bool) {
	for _, e := range d.Recipients {
		for _, u := range e.Units {
			if r.Unit != "" && u == r.Unit {
				return e, true
			}
		}
		for _, ro := range e.Roles {
			if r.Role != "" && ro == r.Role {
				return e, true
			}
		}
	}
	return DirectoryEntry{}, false
}

// entriesMatching are the entries whose match strings occur in a line.
func (d *Directory) entriesMatching(line string) []DirectoryEntry {
	fl := fold(line)
	var out []DirectoryEntry
	for _, e := range d.Recipients {
		for _, m := range e.Match {
			if m != "" && strings.Contains(fl, fold(m)) {
				out = append(out, e)
				break
			}
		}
	}
	return out
}

// Resolves implements cycle.RecipientResolver: the directory has an
// address for the body.
func (d *Directory) Resolves(r cycle.Recipient) bool {
	_, ok := d.entryOf(r)
	return ok
}

// MatchesLine implements cycle.RecipientResolver: an entry matches the line.
func (d *Directory) MatchesLine(line string) bool {
	return len(d.entriesMatching(line)) > 0
}

var _ cycle.RecipientResolver = (*Directory)(nil)
