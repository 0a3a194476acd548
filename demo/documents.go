package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"chuyenhoa/cycle"
	"chuyenhoa/delivery"
	"chuyenhoa/internal/display"
	"chuyenhoa/signing"
)

// demoPKIDir is where the demo keeps its signing keys between runs.
const demoPKIDir = ".data/pki"

// demoDocuments configures the demo's document pipeline when nothing is
// configured: a local CA with a signer and an issuing-body certificate
// (made on the first run, kept in .data/pki), sample signature and seal
// images, and a recipients directory delivering by file drop under the
// output directory. It says what it did.
func (x *demo) demoDocuments(signerName, bodyName string) error {
	if !x.cfg.Signing.Configured() {
		f, err := signing.EnsureDemoPKI(demoPKIDir, signerName, bodyName)
		if err != nil {
			return err
		}
		if f.Created {
			fmt.Fprintf(x.out, "• signing: generated a local demo CA and certificates for %s (signer) and %s (seal) in %s — demonstration keys, not trusted by anyone else\n", signerName, bodyName, f.Dir)
		} else {
			fmt.Fprintf(x.out, "• signing: using the demo CA and certificates made on an earlier run in %s\n", f.Dir)
		}
		s := &x.cfg.Signing
		s.SignerCert, s.BodyCert, s.CA = f.Signer, f.Body, f.CA
		s.SampleImages, s.SignerName, s.BodyName = true, signerName, bodyName
		fmt.Fprintln(x.out, "• signing: the signature and seal images are drawn SAMPLES, not anybody's signature or seal")
	}
	if x.cfg.Delivery.Recipients == "" {
		// A folder per run: every demo run numbers its decision 1 again.
		inbox := filepath.Join(x.cfg.OutputDir, "noi-nhan", time.Now().Format("20060102-150405"))
		dir := delivery.Directory{Recipients: []delivery.DirectoryEntry{
			{Key: "bca-v01", Name: "Cục V01 - Bộ Công an", Match: []string{"Bộ Công an (V01)"}, Channel: cycle.ChannelFile, Address: filepath.Join(inbox, "bca-v01")},
			{Key: "tinh", Name: "Thường trực Tỉnh ủy, HĐND, UBND tỉnh", Match: []string{"Thường trực Tỉnh ủy"}, Channel: cycle.ChannelFile, Address: filepath.Join(inbox, "tinh")},
			{Key: "thanh-vien-bcd", Name: "Các thành viên Ban Chỉ đạo (Như Điều 3)", Match: []string{"Như Điều 3"}, Channel: cycle.ChannelFile, Address: filepath.Join(inbox, "nhu-dieu-3")},
		}}
		b, err := json.MarshalIndent(dir, "", "  ")
		if err != nil {
			return err
		}
		if err := os.MkdirAll(demoPKIDir, 0o700); err != nil {
			return err
		}
		path := filepath.Join(filepath.Dir(demoPKIDir), "recipients.json")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			return err
		}
		x.cfg.Delivery.Recipients = path
		fmt.Fprintf(x.out, "• delivery: demo recipients directory %s — copies are dropped under %s\n", path, inbox)
	}
	return nil
}

// demoIssued prints where the issued decision went and what verify says about it.
func (x *demo) demoIssued(ctx context.Context, d cycle.Decision) {
	if recs, err := x.db.Deliveries(ctx, d.ID); err == nil && len(recs) > 0 {
		fmt.Fprintf(x.out, "\nDeliveries of %s:\n", d.Code)
		for _, r := range recs {
			fmt.Fprintf(x.out, "  %-8s %-16s %s %s (for \"%s\")\n", r.Status, r.Key, r.Channel, r.Address, r.Label)
		}
	}
	path, err := x.pdfs().Save(ctx, d)
	if err != nil {
		fmt.Fprintf(x.out, "  verify: %v\n", err)
		return
	}
	b, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintf(x.out, "  verify: %v\n", err)
		return
	}
	roots, err := display.LoadRoots(x.cfg.Signing.CA)
	if err != nil {
		fmt.Fprintf(x.out, "  verify: %v\n", err)
		return
	}
	rep := signing.Verify(b, roots)
	fmt.Fprintf(x.out, "\n$ starter verify --ca %s %s\n%s", x.cfg.Signing.CA, path, rep)
}
