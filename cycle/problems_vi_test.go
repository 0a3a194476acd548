package cycle

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// repoFiles parses the module's non-test Go files (not the e2e tests'
// helpers, not vendored or generated trees), from the module's root.
func repoFiles(t *testing.T) (*token.FileSet, map[string]*ast.File) {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("the module's root is not %s: %v", root, err)
	}
	fset := token.NewFileSet()
	files := map[string]*ast.File{}
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); path != root && (strings.HasPrefix(n, ".") || n == "vendor" || n == "testdata" || n == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		files[rel] = f
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 50 {
		t.Fatalf("only %d files found under %s: the walk is wrong", len(files), root)
	}
	return fset, files
}

// isProblemType reports whether a type expression names the Problem of
// this package: Problem within package cycle, cycle.Problem elsewhere.
func isProblemType(e ast.Expr, inCycle bool) bool {
	switch x := e.(type) {
	case *ast.Ident:
		return inCycle && x.Name == "Problem"
	case *ast.SelectorExpr:
		id, ok := x.X.(*ast.Ident)
		return ok && id.Name == "cycle" && x.Sel.Name == "Problem"
	}
	return false
}

// elemOfProblems reports whether a composite literal's type is a slice,
// array or map whose elements are Problems (their literals may elide it).
func elemOfProblems(e ast.Expr, inCycle bool) bool {
	switch x := e.(type) {
	case *ast.ArrayType:
		return isProblemType(x.Elt, inCycle)
	case *ast.MapType:
		return isProblemType(x.Value, inCycle)
	}
	return false
}

func hasKey(lit *ast.CompositeLit, key string) bool {
	for _, el := range lit.Elts {
		if kv, ok := el.(*ast.KeyValueExpr); ok {
			if id, ok := kv.Key.(*ast.Ident); ok && id.Name == key {
				return true
			}
		}
	}
	return false
}

// Every Problem written as a literal anywhere in the module carries its
// Vietnamese Text: officers read Text, and a problem without it shows
// them the English for logs. Build problems with NewProblem, NewProblemAs
// or Bilingual, or set Text.
func TestProblemLiteralsSayVietnamese(t *testing.T) {
	fset, files := repoFiles(t)
	var found, bare int
	for rel, f := range files {
		inCycle := f.Name.Name == "cycle" && filepath.Dir(rel) == "cycle"
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.CompositeLit)
			if !ok || lit.Type == nil {
				return true
			}
			var probs []*ast.CompositeLit
			if isProblemType(lit.Type, inCycle) {
				probs = append(probs, lit)
			} else if elemOfProblems(lit.Type, inCycle) {
				for _, el := range lit.Elts {
					if kv, ok := el.(*ast.KeyValueExpr); ok {
						el = kv.Value
					}
					if inner, ok := el.(*ast.CompositeLit); ok && inner.Type == nil {
						probs = append(probs, inner)
					}
				}
			}
			for _, p := range probs {
				found++
				if !hasKey(p, "Text") {
					bare++
					t.Errorf("%s: a Problem without its Vietnamese Text: build it with NewProblem, NewProblemAs or Bilingual", fset.Position(p.Pos()))
				}
			}
			return true
		})
	}
	if found == 0 {
		t.Fatal("no Problem literal found: the walk does not see them (NewProblem itself writes one)")
	}
	t.Logf("%d Problem literals, %d without Text", found, bare)
}

// snakeCase is a program's identifier (a field, a rule's code: "body_key",
// "consolidation.not_proposed"), which officers must not be shown.
var (
	snakeCase = regexp.MustCompile(`\b[a-z]+(?:_[a-z0-9]+)+\b`)
	ruleCode  = regexp.MustCompile(`\b[a-z]+\.[a-z_]+[a-z]\b`)
	// quoted is a value an officer writes in a file or a form, quoted as
	// the file has it («indicator_share»), which may be snake_case.
	quoted = regexp.MustCompile(`«[^»]*»|"[^"]*"`)
	// address is an example of what to type: a task's address
	// (cycle/51/2027/submit_proposal/522), an e-mail address.
	address = regexp.MustCompile(`\S*[/@]\S*`)
)

// viProblems lists what the Vietnamese of a message wrongly shows an
// officer: the program's identifiers and rule codes.
func viProblems(vi string) []string {
	s := address.ReplaceAllString(quoted.ReplaceAllString(vi, ""), "")
	var out []string
	out = append(out, snakeCase.FindAllString(s, -1)...)
	for _, m := range ruleCode.FindAllString(s, -1) {
		if strings.HasSuffix(m, ".yaml") || strings.HasSuffix(m, ".json") || strings.HasSuffix(m, ".csv") || strings.HasSuffix(m, ".xlsx") {
			continue
		}
		out = append(out, m)
	}
	return out
}

func TestVIProblemsCatches(t *testing.T) {
	for vi, want := range map[string]bool{
		"Chưa ghi body_key":                                          true,
		"Vi phạm consolidation.not_proposed":                         true,
		"Thiếu report.required":                                      true,
		"Phương pháp «indicator_share» không hợp lệ":                 false,
		"Tệp Kế hoạch policy.yaml trống":                             false,
		"Chọn tệp đề xuất (.xlsx, .csv hoặc .json).":                 false,
		"Số tiền 4,50 và 1.250 hộ":                                   false,
		"ví dụ cycle/51/2027/submit_proposal/522, ten@congan.gov.vn": false,
	} {
		if got := viProblems(vi); (len(got) > 0) != want {
			t.Errorf("viProblems(%q) = %q, want found %v", vi, got, want)
		}
	}
}

// The Vietnamese of every message written in the module — the catalogue's
// VI texts, a Bilingual's Text{VI: …}, a Problem's or Error's Text: "…" —
// shows no field name or rule code.
func TestVietnameseTextsShowNoIdentifiers(t *testing.T) {
	fset, files := repoFiles(t)
	checked := 0
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			kv, ok := n.(*ast.KeyValueExpr)
			if !ok {
				return true
			}
			id, ok := kv.Key.(*ast.Ident)
			if !ok || (id.Name != "VI" && id.Name != "Text") {
				return true
			}
			bl, ok := kv.Value.(*ast.BasicLit)
			if !ok || bl.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(bl.Value)
			if err != nil {
				return true
			}
			checked++
			if bad := viProblems(s); len(bad) > 0 {
				t.Errorf("%s: the Vietnamese %q shows %q", fset.Position(bl.Pos()), s, bad)
			}
			return true
		})
	}
	for _, code := range MessageCodes() {
		m, _ := Message(code)
		checked++
		if bad := viProblems(m.VI); len(bad) > 0 {
			t.Errorf("message %s: the Vietnamese %q shows %q", code, m.VI, bad)
		}
	}
	if checked < 100 {
		t.Fatalf("only %d texts checked: the walk does not see them", checked)
	}
}

// The bilingual constructors fill both languages, with each language's
// numbers.
func TestBilingual(t *testing.T) {
	p := Bilingual("test.bilingual", Text{VI: "Có %s vụ, vượt %d", EN: "%s cases, over %d"}, Int(12345), 3)
	if p.Text != "Có 12.345 vụ, vượt 3" || p.Message != "12,345 cases, over 3" || p.Rule != "test.bilingual" {
		t.Errorf("Bilingual = %+v", p)
	}
	q := NewProblemAs("appraisal.reason", "appraisal.reason.remove")
	if q.Rule != "appraisal.reason" || q.Text == "" || q.Message == "" || q.Text == q.Message {
		t.Errorf("NewProblemAs = %+v", q)
	}
	if got := Role("nobody").Say(Vietnamese); got != "nobody" {
		t.Errorf("an unknown role is said %q", got)
	}
}
