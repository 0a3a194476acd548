package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"chuyenhoa/cycle"
)

// A signed copy is never overwritten by another version of the same name;
// the same bytes again are no change.
func TestWriteNewKeepsTheSignedCopy(t *testing.T) {
	path := filepath.Join(t.TempDir(), "qd-1-qd-bcd-2027-51.pdf")
	require.NoError(t, writeNew(path, []byte("signed")))
	require.NoError(t, writeNew(path, []byte("signed")), "the same bytes again")
	err := writeNew(path, []byte("unsigned"))
	require.Error(t, err)
	ce, ok := err.(*cycle.Error)
	require.True(t, ok, "%T", err)
	require.Contains(t, ce.Text, "không ghi đè")
	require.Contains(t, ce.Text, "--out")
	got, _ := os.ReadFile(path)
	require.Equal(t, "signed", string(got))
}
