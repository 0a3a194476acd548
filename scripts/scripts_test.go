// Package scripts_test checks the shell scripts under scripts/: they run the
// binaries scripts/build.sh builds into bin/, never `go run ./…`, whose exit
// status is go run's own (1 where the product promises 2) and which compiles
// on every start (issue 19).
package scripts_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// goRunLocal matches `go run` of a package of this module (./demo, ./starter
// …); `go run` of a pinned tool by its module path (benchstat in bench.sh) is
// left alone.
var goRunLocal = regexp.MustCompile(`\bgo\s+run\s+(-\S+\s+)*\.{1,2}/`)

func TestScriptsDoNotGoRunLocalPackages(t *testing.T) {
	var scripts []string
	err := filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(path, ".sh") {
			scripts = append(scripts, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(scripts) < 4 {
		t.Fatalf("found only %d scripts under scripts/: %v", len(scripts), scripts)
	}
	for _, path := range scripts {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			if goRunLocal.MatchString(line) {
				t.Errorf("%s:%d: %q: build it with scripts/build.sh and run bin/<name>", path, i+1, strings.TrimSpace(line))
			}
		}
	}
}

// TestBuildListsTheMainPackages keeps scripts/build.sh's list of commands
// true: every command it builds is a main package of the module.
func TestBuildListsTheMainPackages(t *testing.T) {
	b, err := os.ReadFile("build.sh")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`cmds=\(([a-z ]+)\)`).FindSubmatch(b)
	if m == nil {
		t.Fatal("build.sh: no default list of commands (cmds=(…))")
	}
	for _, name := range strings.Fields(string(m[1])) {
		src, err := os.ReadFile(filepath.Join("..", name, "main.go"))
		if err != nil {
			t.Errorf("build.sh builds %s: %v", name, err)
			continue
		}
		if !regexp.MustCompile(`(?m)^package main$`).Match(src) {
			t.Errorf("build.sh builds %s, which is not a main package", name)
		}
	}
}
