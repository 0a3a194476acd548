// Package archtest keeps ARCHITECTURE.md true: its table of which package
// imports which is compared with `go list`, and the rules it states about
// the direction of imports are checked on the packages' full dependencies.
package archtest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const module = "chuyenhoa"

// pkg is what `go list -json` says of a package that these checks need.
type pkg struct {
	ImportPath string
	Imports    []string
	Deps       []string
}

// rel is a package's path in the module ("cycle"; "." for the root).
func rel(path string) string {
	if path == module {
		return "."
	}
	return strings.TrimPrefix(path, module+"/")
}

func root(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		up := filepath.Dir(dir)
		if up == dir {
			t.Fatal("no go.mod above the test")
		}
		dir = up
	}
}

// packages lists the module's packages with `go list -json ./...`.
func packages(t *testing.T, dir string) map[string]pkg {
	t.Helper()
	cmd := exec.Command("go", "list", "-json", "./...")
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	ps := map[string]pkg{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		ps[rel(p.ImportPath)] = p
	}
	return ps
}

// table reads the import table of ARCHITECTURE.md: package → the module's
// packages it imports.
func table(t *testing.T, dir string) map[string][]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "ARCHITECTURE.md"))
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string][]string{}
	in := false
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		l := strings.TrimSpace(sc.Text())
		switch {
		case l == "<!-- imports -->":
			in = true
			continue
		case l == "<!-- /imports -->":
			in = false
		}
		if !in || !strings.HasPrefix(l, "|") || strings.HasPrefix(l, "|---") || strings.HasPrefix(l, "| package |") {
			continue
		}
		cells := strings.Split(strings.Trim(l, "|"), "|")
		if len(cells) != 3 {
			t.Fatalf("ARCHITECTURE.md:%d: want | package | role | imports |, got %q", n, l)
		}
		name := strings.TrimSpace(cells[0])
		if _, dup := rows[name]; dup {
			t.Fatalf("ARCHITECTURE.md:%d: %s has two rows", n, name)
		}
		imports := []string{}
		if f := strings.TrimSpace(cells[2]); f != "—" {
			imports = strings.Fields(f)
		}
		rows[name] = imports
	}
	if len(rows) == 0 {
		t.Fatal("ARCHITECTURE.md has no import table between <!-- imports --> and <!-- /imports -->")
	}
	return rows
}

// TestImportTable: every package has a row, every row a package, and each
// row lists exactly the module's packages its package imports.
func TestImportTable(t *testing.T) {
	dir := root(t)
	ps, rows := packages(t, dir), table(t, dir)
	for name, p := range ps {
		allowed, ok := rows[name]
		if !ok {
			t.Errorf("%s has no row in ARCHITECTURE.md's import table", name)
			continue
		}
		var actual []string
		for _, i := range p.Imports {
			if i == module || strings.HasPrefix(i, module+"/") {
				actual = append(actual, rel(i))
			}
		}
		for _, i := range actual {
			if !slices.Contains(allowed, i) {
				t.Errorf("%s imports %s, which ARCHITECTURE.md does not list: list it if the direction is right (see the picture), or remove the import", name, i)
			}
		}
		for _, i := range allowed {
			if !slices.Contains(actual, i) {
				t.Errorf("ARCHITECTURE.md lists %s among the imports of %s, which no longer imports it", i, name)
			}
		}
	}
	for name := range rows {
		if _, ok := ps[name]; !ok {
			t.Errorf("ARCHITECTURE.md has a row for %s, which is not a package of the module", name)
		}
	}
}

// none fails for each dependency of p that contains one of the words.
func none(t *testing.T, p pkg, why string, words ...string) {
	t.Helper()
	for _, d := range p.Deps {
		for _, w := range words {
			if strings.Contains(d, w) {
				t.Errorf("%s depends on %s (%s)", rel(p.ImportPath), d, why)
			}
		}
	}
}

// TestRules checks the rules of ARCHITECTURE.md's "direction of imports".
func TestRules(t *testing.T) {
	ps := packages(t, root(t))
	get := func(name string) pkg {
		p, ok := ps[name]
		if !ok {
			t.Fatalf("no package %s", name)
		}
		return p
	}

	none(t, get("cycle"), "the domain is pure", module+"/", "go.temporal.io", "database/sql", "lib/pq", "fpdf", "pkcs7")
	none(t, get("postgres"), "the store knows no Temporal and no documents", "go.temporal.io", "fpdf", "pkcs7")
	for name, p := range ps {
		if name == "workflows" || strings.HasPrefix(name, "workflows/") {
			none(t, p, "workflows know only interfaces",
				module+"/postgres", module+"/api", module+"/render", module+"/document", module+"/signing", module+"/delivery",
				"lib/pq", "fpdf", "pkcs7")
		}
	}

	wiring := []string{"internal/app", "worker", "server", "starter", "demo", "e2e", "devserver"}
	for name, p := range ps {
		if slices.Contains(wiring, name) {
			continue
		}
		temporal := slices.ContainsFunc(p.Imports, func(i string) bool { return strings.HasPrefix(i, "go.temporal.io/") })
		if temporal && slices.Contains(p.Imports, "database/sql") {
			t.Errorf("%s imports both the Temporal SDK and database/sql: only the wiring (%s) may", name, strings.Join(wiring, ", "))
		}
	}
}
