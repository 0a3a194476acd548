// Package setuptest runs scripts/test-setup.sh in go test ./...: setup.sh
// waits for another package manager's lock instead of failing (issue 19).
package setuptest

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestSetupWaitsForPackageLock holds apt's dpkg frontend lock for 30 s while
// scripts/setup.sh has a package to install, and checks that it waits, then
// installs it, that it gives up with the holder named when its budget is
// short, and that a second run does nothing. It installs and removes Debian's
// hello package, so it runs only as root on a machine with apt-get (and
// python3 and a reachable mirror: the script skips without them).
func TestSetupWaitsForPackageLock(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the package-lock test takes about 2 minutes")
	}
	if os.Geteuid() != 0 {
		t.Skip("not root: the package-lock test installs and removes a Debian package")
	}
	if _, err := exec.LookPath("apt-get"); err != nil {
		t.Skip("no apt-get: the package-lock test is for Debian")
	}
	cmd := exec.Command("bash", "../test-setup.sh")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	t.Log("\n" + out.String())
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit) && exit.ExitCode() == 77:
		t.Skip(lastLine(out.String()))
	default:
		t.Fatalf("scripts/test-setup.sh: %v", err)
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
