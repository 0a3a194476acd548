package delivery

import (
	"bytes"
	"chuyenhoa/cycle"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// FileDrop delivers by writing the PDF into the recipient's directory
// (Target.Address; relative to Root when not absolute). The file appears
// whole or not at all: it is written under a temporary name and linked to
// its final name, which fails if a file of that name is already there: a
// file with the same bytes is an earlier attempt's copy (delivered), one
// with other bytes is never overwritten.
type FileDrop struct {
	Root string // base of relative addresses
}

// Deliver implements Deliverer.
func (f FileDrop) Deliver(ctx context.Context, t cycle.DeliveryTarget, m cycle.DeliveryMessage) error {
	dir := t.Address
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(f.Root, dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("file drop %s: %w", t.Key, err)
	}
	name := m.FileName
	if name == "" || strings.ContainsAny(name, `/\`) || name == "." || name == ".." {
		return fmt.Errorf("file drop %s: bad file name %q: %w", t.Key, name, cycle.ErrDeliveryRefused)
	}
	final := filepath.Join(dir, name)
	tmp, err := os.CreateTemp(dir, ".incoming-*")
	if err != nil {
		return fmt.Errorf("file drop %s: %w", t.Key, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(m.PDF); err != nil {
		tmp.Close()
		return fmt.Errorf("file drop %s: %w", t.Key, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("file drop %s: %w", t.Key, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("file drop %s: %w", t.Key, err)
	}
	if err := os.Link(tmp.Name(), final); err != nil {
		if errors.Is(err, fs.ErrExist) {
			// Already there: the same bytes are an earlier attempt's copy
			// (delivered); other bytes are another document's, never replaced.
			if old, rerr := os.ReadFile(final); rerr == nil && bytes.Equal(old, m.PDF) {
				return nil
			}
			return fmt.Errorf("file drop %s: %s already exists with other content: %w", t.Key, final, cycle.ErrDeliveryRefused)
		}
		return fmt.Errorf("file drop %s: %w", t.Key, err)
	}
	if d, err := os.Open(dir); err == nil { // make the new name durable
		_ = d.Sync()
		d.Close()
	}
	return nil
}
