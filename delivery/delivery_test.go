package delivery_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chuyenhoa/cycle"
	"chuyenhoa/delivery"
	"chuyenhoa/delivery/deliverytest"
)

var pdf = []byte("%PDF-1.4\n% test document\n%%EOF\n")

func message() cycle.DeliveryMessage {
	return cycle.DeliveryMessage{DocumentID: "cycle/51/2027/approval", Code: "5/QĐ-BCĐ", Subject: "Về việc phê duyệt danh sách địa bàn", Sender: "Ban Chỉ đạo 138",
		FileName: "qd-5-qd-bcd-2027.pdf", PDF: pdf, MessageID: cycle.MessageID("cycle/51/2027/approval", "ubnd", "test.invalid"),
		Date: time.Date(2027, 1, 20, 9, 0, 0, 0, time.UTC)}
}

func smtpDeliverer(t *testing.T, s *deliverytest.Server) *delivery.SMTPDeliverer {
	t.Helper()
	d, err := delivery.NewSMTP(delivery.SMTPConfig{Host: "127.0.0.1", Port: s.Port(), From: "vanthu@bcd138.test", TLS: "none", Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestSMTPSendsThePDFAttached(t *testing.T) {
	s := deliverytest.Start(t)
	d := smtpDeliverer(t, s)
	target := cycle.DeliveryTarget{Key: "ubnd", Name: "Văn phòng UBND tỉnh", Channel: cycle.ChannelSMTP, Address: "vanthu@ubnd.test"}
	if err := d.Deliver(context.Background(), target, message()); err != nil {
		t.Fatal(err)
	}
	msgs := s.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages, want 1", len(msgs))
	}
	m := msgs[0]
	if m.From != "vanthu@bcd138.test" || len(m.To) != 1 || m.To[0] != "vanthu@ubnd.test" {
		t.Errorf("envelope %s -> %v", m.From, m.To)
	}
	for _, want := range []string{"Message-ID: <cycle.51.2027.approval.ubnd@test.invalid>", "application/pdf", "qd-5-qd-bcd-2027.pdf", "Content-Transfer-Encoding: base64"} {
		if !strings.Contains(m.Data, want) {
			t.Errorf("message lacks %q:\n%s", want, m.Data)
		}
	}
}

func TestSMTPFailuresBeforeAndAfterTheHandOver(t *testing.T) {
	s := deliverytest.Start(t)
	d := smtpDeliverer(t, s)
	target := cycle.DeliveryTarget{Key: "ubnd", Channel: cycle.ChannelSMTP, Address: "vanthu@ubnd.test"}

	s.RejectRcpt(1)
	err := d.Deliver(context.Background(), target, message())
	if err == nil || errors.Is(err, cycle.ErrDeliveryAmbiguous) {
		t.Fatalf("a refused recipient: err = %v, want a plain (retryable) error", err)
	}
	if n := len(s.Messages()); n != 0 {
		t.Fatalf("%d messages after a refusal", n)
	}

	s.RefuseRcpt(1)
	err = d.Deliver(context.Background(), target, message())
	if !errors.Is(err, cycle.ErrDeliveryRefused) || errors.Is(err, cycle.ErrDeliveryAmbiguous) {
		t.Fatalf("a recipient refused for good (550): err = %v, want cycle.ErrDeliveryRefused", err)
	}
	if errors.Is(func() error { s.RejectRcpt(1); return d.Deliver(context.Background(), target, message()) }(), cycle.ErrDeliveryRefused) {
		t.Fatal("a temporary refusal (451) is not permanent")
	}
	s.DropAfterData(1)
	err = d.Deliver(context.Background(), target, message())
	if !errors.Is(err, cycle.ErrDeliveryAmbiguous) {
		t.Fatalf("connection lost after the data: err = %v, want cycle.ErrDeliveryAmbiguous", err)
	}

	down := cycle.DeliveryTarget{Key: "x", Channel: cycle.ChannelSMTP, Address: "a@b.test"}
	dd, _ := delivery.NewSMTP(delivery.SMTPConfig{Host: "127.0.0.1", Port: 1, From: "a@b.test", TLS: "none", Timeout: time.Second})
	if err := dd.Deliver(context.Background(), down, message()); err == nil || errors.Is(err, cycle.ErrDeliveryAmbiguous) {
		t.Errorf("server down: err = %v, want a plain error", err)
	}
}

func TestFileDrop(t *testing.T) {
	root := t.TempDir()
	f := delivery.FileDrop{Root: root}
	target := cycle.DeliveryTarget{Key: "bca", Channel: cycle.ChannelFile, Address: "bca/inbox"}
	if err := f.Deliver(context.Background(), target, message()); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(root, "bca/inbox/qd-5-qd-bcd-2027.pdf"))
	if err != nil || !bytes.Equal(got, pdf) {
		t.Fatalf("dropped file: %v %q", err, got)
	}
	// The same document again: already there, not a second copy.
	if err := f.Deliver(context.Background(), target, message()); err != nil {
		t.Errorf("the same file again: %v", err)
	}
	other := message()
	other.PDF = []byte("%PDF-1.4 other")
	if err := f.Deliver(context.Background(), target, other); !errors.Is(err, cycle.ErrDeliveryRefused) {
		t.Errorf("another document of the same name: err = %v, want cycle.ErrDeliveryRefused (waiting will not change it)", err)
	}
	if got, _ := os.ReadFile(filepath.Join(root, "bca/inbox/qd-5-qd-bcd-2027.pdf")); !bytes.Equal(got, pdf) {
		t.Error("the first file changed")
	}
	entries, _ := os.ReadDir(filepath.Join(root, "bca/inbox"))
	if len(entries) != 1 {
		t.Errorf("%d files in the inbox, want 1 (no temporary files left)", len(entries))
	}
}

func TestDirectoryPlan(t *testing.T) {
	path := filepath.Join(t.TempDir(), "recipients.json")
	os.WriteFile(path, []byte(`{"recipients": [
	  {"key": "bca-v01", "name": "Cục V01", "match": ["Bộ Công an (V01)"], "channel": "file", "address": "/srv/v01"},
	  {"key": "tinh", "name": "UBND tỉnh", "match": ["thường trực tỉnh ủy"], "channel": "smtp", "address": "vt@tinh.test"},
	  {"key": "ca-huyen", "name": "Công an các huyện", "match": ["Như Điều 3", "Công an các huyện"], "channel": "smtp", "address": "ca@huyen.test"}
	]}`), 0o644)
	d, err := delivery.LoadDirectory(path)
	if err != nil {
		t.Fatal(err)
	}
	// Decomposed input matches too.
	lines := []string{"Như Điều 3;", "Bộ Công an (V01) (để b/c);", "Thường trực Tỉnh ủy, HĐND, UBND tỉnh (để b/c);", "Công an các huyện;", "Lưu: VT, CAT."}
	targets, unmatched := d.Plan(lines, nil)
	var keys []string
	for _, tg := range targets {
		keys = append(keys, tg.Key+"="+tg.Label)
	}
	if got := strings.Join(keys, "|"); got != "ca-huyen=Như Điều 3;|bca-v01=Bộ Công an (V01) (để b/c);|tinh=Thường trực Tỉnh ủy, HĐND, UBND tỉnh (để b/c);" {
		t.Errorf("targets = %s", got)
	}
	if len(unmatched) != 1 || unmatched[0] != "Lưu: VT, CAT." {
		t.Errorf("unmatched = %q", unmatched)
	}
	os.WriteFile(path, []byte(`{"recipients": [{"key": "a", "match": ["x"], "channel": "fax", "address": "1"}, {"key": "a", "match": [], "channel": "smtp", "address": "nope"}]}`), 0o644)
	_, err = delivery.LoadDirectory(path)
	for _, want := range []string{`channel "fax"`, "key given twice", "not an e-mail address", "match, units or roles is required"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("err = %v, want %q", err, want)
		}
	}
}

// The bodies a document names are found by their unit or role; a line
// naming bodies is served by theirs, and each body without an address is
// reported with its line.
func TestDirectoryPlanNamed(t *testing.T) {
	d, err := delivery.ParseDirectory("dir.json", []byte(`{"recipients": [
	  {"key": "cat", "name": "Công an tỉnh", "roles": ["secretariat"], "channel": "file", "address": "/srv/cat"},
	  {"key": "huyen-522", "name": "BCĐ 138 huyện Bình Sơn", "units": ["522"], "channel": "file", "address": "/srv/522"},
	  {"key": "xa-21010", "name": "UBND xã Bình Thạnh", "units": ["21010"], "channel": "smtp", "address": "ubnd@binhthanh.test"},
	  {"key": "v01", "name": "Cục V01", "match": ["Bộ Công an (V01)"], "channel": "file", "address": "/srv/v01"}
	]}`))
	if err != nil {
		t.Fatal(err)
	}
	lines := []string{"Như Điều 3;", "Bộ Công an (V01) (để b/c);", "Lưu: VT, CAT."}
	named := []cycle.Recipient{
		{Role: cycle.RoleSecretariatBody, Name: "Công an tỉnh - Cơ quan Thường trực", Line: "Như Điều 3;"},
		{Role: cycle.RoleCommitteeMembers, Name: "Các thành viên Ban Chỉ đạo 138 tỉnh", Line: "Như Điều 3;"},
		{Unit: "522", Name: "Ban Chỉ đạo 138 huyện Bình Sơn", Line: "Như Điều 3;"},
		{Unit: "21010", Name: "Ủy ban nhân dân xã Bình Thạnh", Line: "Như Điều 3;"},
		{Unit: "21013", Name: "Ủy ban nhân dân xã Bình Đông", Line: "Như Điều 3;"},
	}
	targets, unmatched := d.Plan(lines, named)
	var keys []string
	for _, tg := range targets {
		keys = append(keys, tg.Key)
	}
	if got := strings.Join(keys, ","); got != "cat,huyen-522,xa-21010,v01" {
		t.Errorf("targets %s", got)
	}
	want := []string{"Như Điều 3: Các thành viên Ban Chỉ đạo 138 tỉnh", "Như Điều 3: Ủy ban nhân dân xã Bình Đông", "Lưu: VT, CAT."}
	if strings.Join(unmatched, "|") != strings.Join(want, "|") {
		t.Errorf("unmatched %q, want %q", unmatched, want)
	}
	if !d.Resolves(named[0]) || d.Resolves(named[4]) || !d.MatchesLine(lines[1]) || d.MatchesLine("Sở Tư pháp;") {
		t.Error("Resolves / MatchesLine")
	}
}
