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
// output directory — the provincial bodies, and every district and
// commune of provs by its code, so that each body a document names gets
// its copy. It says what it did.
func (x *demo) demoDocuments(signerName, bodyName string, provs ...cycle.Province) error {
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
			{Key: "bca-v01", Name: "Cục V01 - Bộ Công an", Match: []string{"Bộ Công an (V01)", "V01 - Bộ Công an", "Bộ Công an (để b/c)"}, Channel: cycle.ChannelFile, Address: filepath.Join(inbox, "bca-v01")},
			{Key: "tinh", Name: "Thường trực Tỉnh ủy, HĐND, UBND tỉnh", Match: []string{"Thường trực Tỉnh ủy", "TT Tỉnh ủy", "Ủy ban nhân dân tỉnh (để b/c)", "Chủ tịch UBND tỉnh"}, Channel: cycle.ChannelFile, Address: filepath.Join(inbox, "tinh")},
			{Key: "thi-dua", Name: "Hội đồng Thi đua - Khen thưởng tỉnh", Match: []string{"Thi đua - Khen thưởng"}, Channel: cycle.ChannelFile, Address: filepath.Join(inbox, "thi-dua")},
			{Key: "cat", Name: "Công an tỉnh - Cơ quan Thường trực", Roles: []string{cycle.RoleSecretariatBody}, Match: []string{"Công an tỉnh"}, Channel: cycle.ChannelFile, Address: filepath.Join(inbox, "cong-an-tinh")},
			{Key: "thanh-vien-bcd", Name: "Các thành viên Ban Chỉ đạo tỉnh", Roles: []string{cycle.RoleCommitteeMembers}, Match: []string{"Thành viên Ban Chỉ đạo", "Thành viên BCĐ"}, Channel: cycle.ChannelFile, Address: filepath.Join(inbox, "thanh-vien-bcd")},
		}}
		for _, p := range provs {
			for _, d := range p.Districts {
				dir.Recipients = append(dir.Recipients, delivery.DirectoryEntry{Key: "don-vi-" + d.Code, Name: d.Name, Units: []string{d.Code},
					Channel: cycle.ChannelFile, Address: filepath.Join(inbox, "don-vi", d.Code)})
			}
			for _, c := range p.Communes {
				dir.Recipients = append(dir.Recipients, delivery.DirectoryEntry{Key: "don-vi-" + c.Code, Name: "UBND " + c.Name, Units: []string{c.Code},
					Channel: cycle.ChannelFile, Address: filepath.Join(inbox, "don-vi", c.Code)})
			}
		}
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
