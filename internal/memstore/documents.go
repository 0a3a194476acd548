package memstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"time"

	"chuyenhoa/cycle"
)

// --- register, blobs, archive, deliveries -----------------------------------------

// AssignNumber implements cycle.DecisionStore.
func (s documents) AssignNumber(_ context.Context, d cycle.Decision) (int, error) {
	var n int
	err := s.write("number "+d.ID, func() error {
		if old, ok := s.decisions[d.ID]; ok {
			n = old.Number
			return nil
		}
		rk := key(d.BodyKey, "|", d.Year)
		s.register[rk]++
		n, d.Number = s.register[rk], s.register[rk]
		s.decisions[d.ID] = d
		return nil
	})
	return n, err
}

// SaveDecision implements cycle.DecisionStore.
func (s documents) SaveDecision(_ context.Context, d cycle.Decision) error {
	return s.write("save decision "+d.ID, func() error {
		old, ok := s.decisions[d.ID]
		if !ok {
			return cycle.Errorf(cycle.ENOTFOUND, "decision %s has no number: AssignNumber first", d.ID)
		}
		if _, ok := s.blobs[d.SHA256]; d.SHA256 != "" && !ok {
			return cycle.Errorf(cycle.ENOTFOUND, "decision %s: no stored PDF with SHA-256 %s", d.ID, d.SHA256)
		}
		d.Number = old.Number
		if d.SHA256 == "" {
			d.SHA256 = old.SHA256
		}
		s.decisions[d.ID] = d
		return nil
	})
}

// Decisions implements cycle.DecisionStore.
func (s documents) Decisions(_ context.Context, id string) ([]cycle.Decision, error) {
	out := values(s.data, s.decisions, func(d cycle.Decision) bool { return d.CycleID == id && d.SHA256 != "" })
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// DecisionPDF implements cycle.DecisionStore.
func (s documents) DecisionPDF(_ context.Context, id string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.decisions[id]
	if !ok || d.SHA256 == "" {
		return nil, cycle.Errorf(cycle.ENOTFOUND, "decision %q has no PDF", id)
	}
	return s.blobs[d.SHA256], nil
}

// PutBlob implements cycle.BlobStore.
func (s documents) PutBlob(_ context.Context, data []byte) (string, error) {
	sum := sha256.Sum256(data)
	sha := hex.EncodeToString(sum[:])
	return sha, s.write("store blob", func() error {
		if _, ok := s.blobs[sha]; !ok {
			s.blobs[sha] = append([]byte(nil), data...)
		}
		return nil
	})
}

// Blob implements cycle.BlobStore.
func (s documents) Blob(_ context.Context, sha string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.blobs[sha]
	if !ok {
		return nil, cycle.Errorf(cycle.ENOTFOUND, "no stored file with SHA-256 %s", sha)
	}
	return b, nil
}

// ArchiveDocument implements cycle.ArchiveStore.
func (s documents) ArchiveDocument(_ context.Context, a cycle.ArchivedDocument) error {
	return s.write("archive "+a.ID, func() error {
		if old, ok := s.archive[a.ID]; ok {
			if old.SHA256 != a.SHA256 {
				return cycle.Errorf(cycle.ECONFLICT, "document %s is archived with SHA-256 %s, refusing other bytes (%s)", a.ID, old.SHA256, a.SHA256)
			}
			return nil
		}
		b, ok := s.blobs[a.SHA256]
		if !ok {
			return cycle.Errorf(cycle.ENOTFOUND, "document %s: no stored PDF with SHA-256 %s", a.ID, a.SHA256)
		}
		a.Size = len(b)
		s.archive[a.ID] = a
		return nil
	})
}

// ArchivedDocument implements cycle.ArchiveStore.
func (s documents) ArchivedDocument(_ context.Context, id string) (cycle.ArchivedDocument, []byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.archive[id]
	if !ok {
		return cycle.ArchivedDocument{}, nil, cycle.Errorf(cycle.ENOTFOUND, "no archived document %s", id)
	}
	return a, s.blobs[a.SHA256], nil
}

// AddressDocument implements cycle.AddressStore.
func (s documents) AddressDocument(_ context.Context, doc, province string, named []cycle.Recipient, at time.Time) error {
	return s.write("address "+doc, func() error {
		a, ok := s.archive[doc]
		if !ok {
			return cycle.Errorf(cycle.ENOTFOUND, "no archived document %s to address", doc)
		}
		for _, r := range named {
			dup := false
			for _, x := range s.addresses {
				dup = dup || (x.DocumentID == doc && x.Recipient.Key() == r.Key())
			}
			if !dup {
				s.addresses = append(s.addresses, cycle.AddressedDocument{DocumentID: doc, Kind: a.Kind, Code: a.Code, Date: a.Date,
					Subject: a.Subject, Province: province, Recipient: r, At: at})
			}
		}
		return nil
	})
}

// DocumentsAddressedTo implements cycle.AddressStore.
func (s documents) DocumentsAddressedTo(_ context.Context, province string, r cycle.Recipient) ([]cycle.AddressedDocument, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []cycle.AddressedDocument
	for i := len(s.addresses) - 1; i >= 0; i-- {
		if a := s.addresses[i]; a.Province == province && a.Recipient.Key() == r.Key() {
			out = append(out, a)
		}
	}
	return out, nil
}

// PlanDeliveries implements cycle.DeliveryStore.
func (s documents) PlanDeliveries(_ context.Context, doc string, targets []cycle.DeliveryTarget, at time.Time) error {
	return s.write("plan deliveries of "+doc, func() error {
		for _, t := range targets {
			if _, ok := s.deliveries[key(doc, "|", t.Key)]; !ok {
				s.deliveries[key(doc, "|", t.Key)] = cycle.DeliveryRecord{DeliveryTarget: t, DocumentID: doc, Status: cycle.DeliveryPending, PlannedAt: at}
			}
		}
		return nil
	})
}

// ClaimDelivery implements cycle.DeliveryStore.
func (s documents) ClaimDelivery(_ context.Context, doc, recipient, attempt, msgID string, at time.Time) (cycle.DeliveryRecord, bool, error) {
	var rec cycle.DeliveryRecord
	claimed := false
	err := s.write("claim delivery of "+doc+" to "+recipient, func() error {
		r, ok := s.deliveries[key(doc, "|", recipient)]
		switch {
		case !ok:
			return cycle.Errorf(cycle.ENOTFOUND, "no delivery of %s to %s is planned", doc, recipient)
		case r.Status == cycle.DeliverySent:
		case r.Status == cycle.DeliverySending || r.Status == cycle.DeliveryUnknown:
			r.Status = cycle.DeliveryUnknown
			s.deliveries[key(doc, "|", recipient)] = r
			rec = r
			return cycle.Errorf(cycle.ECONFLICT, "the delivery of %s to %s may have happened: not sent again", doc, recipient)
		default:
			r.Status, r.Attempts, r.AttemptID, r.MessageID = cycle.DeliverySending, r.Attempts+1, attempt, msgID
			r.ClaimedAt = &at
			s.deliveries[key(doc, "|", recipient)] = r
			claimed = true
		}
		rec = r
		return nil
	})
	return rec, claimed, err
}

// FinishDelivery implements cycle.DeliveryStore.
func (s documents) FinishDelivery(_ context.Context, doc, recipient, attempt string, outcome cycle.DeliveryStatus, lastError string, at time.Time) error {
	return s.write("finish delivery of "+doc+" to "+recipient, func() error {
		r, ok := s.deliveries[key(doc, "|", recipient)]
		if !ok {
			return cycle.Errorf(cycle.ENOTFOUND, "no delivery of %s to %s is planned", doc, recipient)
		}
		if r.AttemptID != attempt {
			return cycle.Errorf(cycle.ECONFLICT, "the delivery is %s by attempt %q, not %q", r.Status, r.AttemptID, attempt)
		}
		r.Status, r.LastError = outcome, lastError
		if outcome == cycle.DeliverySent {
			r.SentAt, r.LastError = &at, ""
		}
		s.deliveries[key(doc, "|", recipient)] = r
		return nil
	})
}

// Deliveries implements cycle.DeliveryStore.
func (s documents) Deliveries(_ context.Context, doc string) ([]cycle.DeliveryRecord, error) {
	out := values(s.data, s.deliveries, func(r cycle.DeliveryRecord) bool { return r.DocumentID == doc })
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, nil
}
