package display

import (
	"os"
	"path/filepath"
	"testing"
)

// A signed copy of an earlier run is never overwritten: another version
// goes beside it; the same bytes again are no change.
func TestWriteBesideKeepsEarlierCopies(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "qd-1-qd-bcd-2027-51.pdf")
	for _, c := range []struct{ data, want string }{
		{"signed", path},
		{"signed", path},
		{"unsigned", filepath.Join(dir, "qd-1-qd-bcd-2027-51-2.pdf")},
		{"third", filepath.Join(dir, "qd-1-qd-bcd-2027-51-3.pdf")},
		{"unsigned", filepath.Join(dir, "qd-1-qd-bcd-2027-51-2.pdf")},
	} {
		got, err := WriteBeside(path, []byte(c.data))
		if err != nil || got != c.want {
			t.Fatalf("WriteBeside(%q) = %q, %v; want %q", c.data, got, err, c.want)
		}
	}
	if b, _ := os.ReadFile(path); string(b) != "signed" {
		t.Fatalf("the first copy is now %q", b)
	}
}
