// Package archtest holds the tests that keep the module's layers apart:
// which package may import which, and that each cause in analysis/rules
// stands alone.
package archtest

import (
	"encoding/json"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

const module = "authlens"

// forbidden lists, for each package prefix, the project packages it must
// not import (directly or through another package): the layers are
// har ← analysis/* ← live, report ← ui, internal/cli, with capture beside
// analysis on har.
var forbidden = []struct {
	pkg    string
	denied []string
	why    string
}{
	{"authlens/har", []string{"authlens/"}, "har is the bottom layer: it reads and writes HAR files and knows nothing else"},
	{"authlens/redact", []string{"authlens/"}, "redact is a leaf every output uses"},
	{"authlens/analysis", []string{"authlens/ui", "authlens/capture", "authlens/live", "authlens/internal/cli", "authlens/report"}, "the analysis does not know who shows or records its results"},
	{"authlens/capture", []string{"authlens/analysis", "authlens/ui", "authlens/live", "authlens/report", "authlens/internal/cli"}, "capture records; live judges"},
	{"authlens/report", []string{"authlens/ui", "authlens/capture", "authlens/live", "authlens/internal/cli"}, "reports are below the programs that print them"},
	{"authlens/live", []string{"authlens/ui", "authlens/internal/cli"}, "live analysis is below the programs that show it"},
	{"authlens/analysis/trace", []string{"authlens/analysis/rules", "authlens/analysis\x00"}, "the indexes are below the runner and the rules"},
	{"authlens/analysis/trace/jar", []string{"authlens/analysis/trace\x00", "authlens/analysis/rules", "authlens/analysis\x00"}, "the cookie jar knows entries, not the trace that indexes them"},
	{"authlens/analysis/signatures", []string{"authlens/analysis/rules", "authlens/analysis/trace", "authlens/analysis\x00"}, "the vendor table is data below the indexes"},
	{"authlens/analysis/compare", []string{"authlens/analysis/rules", "authlens/analysis\x00", "authlens/sanitize", "authlens/report", "authlens/ui", "authlens/capture", "authlens/live", "authlens/internal/cli"}, "comparing two traces reads the indexes, decoders, cookie jar and redact; it runs no rules and shows nothing"},
	{"authlens/sanitize", []string{"authlens/analysis/rules", "authlens/analysis/trace", "authlens/analysis/signatures", "authlens/analysis\x00", "authlens/report", "authlens/ui", "authlens/capture", "authlens/live", "authlens/internal/cli"}, "sanitizing rewrites a HAR with the decoders and redact; it judges nothing"},
	{"authlens/analysis/decode", []string{"authlens/har", "authlens/analysis/trace", "authlens/analysis/rules", "authlens/analysis\x00", "authlens/ui", "authlens/capture", "authlens/live", "authlens/report"}, "decoders sit on redact alone"},
}

type listed struct {
	ImportPath string
	Deps       []string
	Imports    []string
}

func goList(t *testing.T) []listed {
	t.Helper()
	cmd := exec.Command("go", "list", "-deps=false", "-json", "./...")
	cmd.Dir = filepath.Join("..", "..")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	var pkgs []listed
	for dec.More() {
		var p listed
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) < 10 {
		t.Fatalf("go list found only %d packages", len(pkgs))
	}
	return pkgs
}

// denies reports whether import path dep matches a denied prefix. A
// prefix ending in NUL matches that exact package only.
func denies(prefix, dep string) bool {
	if exact, ok := strings.CutSuffix(prefix, "\x00"); ok {
		return dep == exact
	}
	return dep == strings.TrimSuffix(prefix, "/") || strings.HasPrefix(dep, prefix)
}

func inside(pkg, prefix string) bool {
	return pkg == prefix || strings.HasPrefix(pkg, prefix+"/")
}

// TestImportLayers fails when a package imports a project package above
// it or beside it where the layers say it must not.
func TestImportLayers(t *testing.T) {
	checked := 0
	for _, p := range goList(t) {
		for _, rule := range forbidden {
			if !inside(p.ImportPath, rule.pkg) {
				continue
			}
			checked++
			for _, dep := range p.Deps {
				if !strings.HasPrefix(dep, module+"/") || inside(dep, p.ImportPath) || inside(dep, rule.pkg) && rule.pkg != "authlens/analysis" {
					continue
				}
				if strings.HasPrefix(dep, p.ImportPath+"/internal/") || strings.HasPrefix(dep, rule.pkg+"/internal/") {
					continue
				}
				for _, d := range rule.denied {
					if denies(d, dep) && !(d == "authlens/" && inside(dep, rule.pkg)) {
						t.Errorf("%s depends on %s: %s", p.ImportPath, dep, rule.why)
					}
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no package was checked")
	}
}

// TestRulesStandAlone fails when a file in analysis/rules uses an
// unexported identifier declared in another file of the package: shared
// reasoning belongs in analysis/trace, so each cause stays one file.
func TestRulesStandAlone(t *testing.T) {
	dir := filepath.Join("..", "..", "analysis", "rules")
	fset := token.NewFileSet()
	matches, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	for _, m := range matches {
		if strings.HasSuffix(m, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, m, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	if len(files) < 30 {
		t.Fatalf("only %d rule files found in %s", len(files), dir)
	}
	info := &types.Info{Uses: map[*ast.Ident]types.Object{}}
	conf := types.Config{Importer: importer.ForCompiler(fset, "source", nil)}
	pkg, err := conf.Check("authlens/analysis/rules", fset, files, info)
	if err != nil {
		t.Fatalf("type-checking analysis/rules: %v", err)
	}
	var bad []string
	for id, obj := range info.Uses {
		if obj.Pkg() != pkg || obj.Exported() || obj.Parent() != pkg.Scope() {
			continue
		}
		use, def := fset.Position(id.Pos()).Filename, fset.Position(obj.Pos()).Filename
		if use != def {
			bad = append(bad, filepath.Base(use)+" uses "+obj.Name()+" from "+filepath.Base(def))
		}
	}
	sort.Strings(bad)
	for _, b := range bad {
		t.Error(b)
	}
}
