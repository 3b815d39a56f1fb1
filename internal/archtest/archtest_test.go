// Package archtest holds the tests that keep the module's layers apart:
// which package may import which, and that each cause in analysis/rules
// stands alone.
package archtest

import (
	"encoding/json"
	"fmt"
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

// forbidden lists, for each package prefix, the packages it must not
// import (directly or through another package): the layers are
// har ← analysis/* ← live, report ← ui/viewmodel ← ui, internal/cli, with
// capture beside analysis on har and capture/localca (the CA) below
// capture. A denied prefix outside the module (fyne.io/) is checked too.
// allowed lists the exceptions to a broad denial.
var forbidden = []struct {
	pkg     string
	denied  []string
	allowed []string
	why     string
}{
	{"authlens/har", []string{"authlens/"}, nil, "har is the bottom layer: it reads and writes HAR files and knows nothing else"},
	{"authlens/redact", []string{"authlens/"}, nil, "redact is a leaf every output uses"},
	{"authlens/analysis", []string{"authlens/ui", "authlens/capture", "authlens/live", "authlens/internal/cli", "authlens/report"}, nil, "the analysis does not know who shows or records its results"},
	{"authlens/capture", []string{"authlens/analysis", "authlens/ui", "authlens/live", "authlens/report", "authlens/internal/cli"}, nil, "capture records; live judges"},
	{"authlens/capture/localca", []string{"authlens/"}, []string{"authlens/capture/internal/atomicfile\x00"}, "the CA is a leaf: the proxy, the CLI and the app use it, it knows none of them"},
	{"authlens/report", []string{"authlens/ui", "authlens/capture", "authlens/live", "authlens/internal/cli"}, nil, "reports are below the programs that print them"},
	{"authlens/live", []string{"authlens/ui", "authlens/internal/cli"}, nil, "live analysis is below the programs that show it"},
	{"authlens/ui/viewmodel", []string{"fyne.io/", "authlens/ui\x00", "authlens/ui/localefix", "authlens/capture", "authlens/live", "authlens/internal/cli"}, nil, "view models are tested without a display: no Fyne, no widgets, no capture; ui draws them"},
	{"authlens/ui/filedialog", []string{"authlens/ui\x00", "authlens/internal/cli"}, nil, "the file dialog is a widget of its own: the window uses it, it knows no window"},
	{"authlens/ui/captureview", []string{"authlens/ui\x00", "authlens/internal/cli"}, nil, "the capture tab talks to the window only through captureview.Deps"},
	{"authlens/ui/compareview", []string{"authlens/ui\x00", "authlens/internal/cli"}, nil, "the compare tab talks to the window only through its callbacks"},
	{"authlens/ui/timelineview", []string{"authlens/ui\x00", "authlens/internal/cli"}, nil, "the Timeline tab reaches the entries table only through timelineview.Deps"},
	{"authlens/ui/widgets", []string{"authlens/ui\x00", "authlens/internal/cli"}, nil, "the shared drawing helpers are below the window and its views"},
	{"authlens/analysis/trace", []string{"authlens/analysis/rules", "authlens/analysis\x00"}, nil, "the indexes are below the runner and the rules"},
	{"authlens/analysis/entry", []string{"authlens/analysis/trace\x00", "authlens/analysis/rules", "authlens/analysis\x00", "authlens/ui", "authlens/capture", "authlens/live", "authlens/report", "authlens/internal/cli"}, nil, "what one exchange says on its own is below the trace, the runner and the rules, and knows nobody who shows it"},
	{"authlens/analysis/trace/jar", []string{"authlens/analysis/trace\x00", "authlens/analysis/rules", "authlens/analysis\x00"}, nil, "the cookie jar knows entries, not the trace that indexes them"},
	{"authlens/analysis/signatures", []string{"authlens/analysis/rules", "authlens/analysis/trace", "authlens/analysis/entry", "authlens/analysis\x00"}, nil, "the vendor table is data below the indexes"},
	{"authlens/analysis/compare", []string{"authlens/analysis/rules", "authlens/analysis\x00", "authlens/sanitize", "authlens/report", "authlens/ui", "authlens/capture", "authlens/live", "authlens/internal/cli"}, nil, "comparing two traces reads the indexes, what one exchange says, decoders, cookie jar and redact; it runs no rules and shows nothing"},
	{"authlens/sanitize", []string{"authlens/analysis/rules", "authlens/analysis/trace", "authlens/analysis/signatures", "authlens/analysis\x00", "authlens/report", "authlens/ui", "authlens/capture", "authlens/live", "authlens/internal/cli"}, nil, "sanitizing rewrites a HAR with the decoders and redact; it judges nothing"},
	{"authlens/analysis/decode", []string{"authlens/har", "authlens/analysis/trace", "authlens/analysis/entry", "authlens/analysis/rules", "authlens/analysis\x00", "authlens/ui", "authlens/capture", "authlens/live", "authlens/report"}, nil, "decoders sit on redact alone"},
}

// onlyImportedBy lists packages that only the given packages (prefixes, or
// exact with a trailing NUL) may depend on.
var onlyImportedBy = []struct {
	pkg       string
	importers []string
	why       string
}{
	{"authlens/ui\x00", []string{"authlens\x00", "authlens/ui/cmd/"}, "ui is the top layer: only the programs open the window"},
	{"authlens/ui/filedialog\x00", []string{"authlens/ui\x00", "authlens\x00", "authlens/ui/cmd/"}, "a view package of the window: only ui (and the programs, through it) use it"},
	{"authlens/ui/captureview\x00", []string{"authlens/ui\x00", "authlens\x00", "authlens/ui/cmd/"}, "a view package of the window: only ui (and the programs, through it) use it"},
	{"authlens/ui/compareview\x00", []string{"authlens/ui\x00", "authlens\x00", "authlens/ui/cmd/"}, "a view package of the window: only ui (and the programs, through it) use it"},
	{"authlens/ui/timelineview\x00", []string{"authlens/ui\x00", "authlens\x00", "authlens/ui/cmd/"}, "a view package of the window: only ui (and the programs, through it) use it"},
	{"authlens/ui/widgets\x00", []string{"authlens/ui\x00", "authlens/ui/filedialog\x00", "authlens/ui/captureview\x00", "authlens/ui/compareview\x00", "authlens/ui/timelineview\x00", "authlens\x00", "authlens/ui/cmd/"}, "the window's drawing helpers: ui and its view packages only"},
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
	pkgs := goList(t)
	for _, v := range layerViolations(pkgs) {
		t.Error(v)
	}
	if checkedPackages(pkgs) == 0 {
		t.Fatal("no package was checked")
	}
}

// TestLayerRulesCatchViolations feeds the rules made-up packages that
// break each kind of layer, so TestImportLayers cannot pass by checking
// nothing.
func TestLayerRulesCatchViolations(t *testing.T) {
	bad := []listed{
		{ImportPath: "authlens/capture/localca", Deps: []string{"authlens/capture", "authlens/capture/internal/atomicfile"}},
		{ImportPath: "authlens/ui/viewmodel", Deps: []string{"fyne.io/fyne/v2/widget", "authlens/capture"}},
		{ImportPath: "authlens/live", Deps: []string{"authlens/ui"}},
		{ImportPath: "authlens/report", Deps: []string{"authlens/ui/viewmodel"}},
		{ImportPath: "authlens/analysis/entry", Deps: []string{"authlens/analysis/trace/jar", "authlens/analysis/trace"}},
		{ImportPath: "authlens/ui/captureview", Deps: []string{"authlens/ui", "authlens/internal/cli"}},
		{ImportPath: "authlens/live", Deps: []string{"authlens/ui/filedialog"}},
		{ImportPath: "authlens/report", Deps: []string{"authlens/ui/widgets"}},
	}
	want := []string{
		"authlens/capture/localca depends on authlens/capture",
		"authlens/ui/viewmodel depends on fyne.io/fyne/v2/widget",
		"authlens/ui/viewmodel depends on authlens/capture",
		"authlens/live depends on authlens/ui:",
		"authlens/live depends on authlens/ui, which only",
		"authlens/report depends on authlens/ui/viewmodel",
		"authlens/analysis/entry depends on authlens/analysis/trace:",
		"authlens/ui/captureview depends on authlens/ui:",
		"authlens/ui/captureview depends on authlens/internal/cli:",
		"authlens/live depends on authlens/ui/filedialog, which only",
		"authlens/report depends on authlens/ui/widgets, which only",
	}
	got := strings.Join(layerViolations(bad), "\n")
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("no violation %q reported; got:\n%s", w, got)
		}
	}
	if strings.Contains(got, "atomicfile") || strings.Contains(got, "trace/jar") {
		t.Errorf("an allowed import was reported:\n%s", got)
	}
	good := []listed{
		{ImportPath: "authlens/capture/localca", Deps: []string{"authlens/capture/internal/atomicfile", "golang.org/x/sys/windows"}},
		{ImportPath: "authlens/ui/viewmodel", Deps: []string{"authlens/report", "authlens/sanitize"}},
		{ImportPath: "authlens/ui/cmd/preview", Deps: []string{"authlens/ui"}},
		{ImportPath: "authlens", Deps: []string{"authlens/ui", "fyne.io/fyne/v2"}},
		{ImportPath: "authlens/ui", Deps: []string{"authlens/ui/captureview", "authlens/ui/filedialog", "authlens/ui/widgets"}},
		{ImportPath: "authlens/ui/filedialog", Deps: []string{"authlens/ui/widgets", "fyne.io/fyne/v2"}},
		{ImportPath: "authlens/ui/captureview", Deps: []string{"authlens/capture", "authlens/live", "authlens/ui/widgets"}},
	}
	if v := layerViolations(good); len(v) > 0 {
		t.Errorf("allowed imports reported: %q", v)
	}
}

// checkedPackages counts the packages some layer rule applies to.
func checkedPackages(pkgs []listed) int {
	n := 0
	for _, p := range pkgs {
		for _, rule := range forbidden {
			if inside(p.ImportPath, rule.pkg) {
				n++
			}
		}
	}
	return n
}

// layerViolations lists every dependency of pkgs that the tables
// forbidden and onlyImportedBy refuse.
func layerViolations(pkgs []listed) []string {
	var out []string
	for _, p := range pkgs {
		for _, rule := range forbidden {
			if !inside(p.ImportPath, rule.pkg) {
				continue
			}
			for _, dep := range p.Deps {
				if strings.HasPrefix(dep, module+"/") {
					if inside(dep, p.ImportPath) || inside(dep, rule.pkg) && rule.pkg != "authlens/analysis" {
						continue
					}
					if strings.HasPrefix(dep, p.ImportPath+"/internal/") || strings.HasPrefix(dep, rule.pkg+"/internal/") {
						continue
					}
				}
				if matchesAny(rule.allowed, dep) {
					continue
				}
				for _, d := range rule.denied {
					if denies(d, dep) && !(d == "authlens/" && inside(dep, rule.pkg)) {
						out = append(out, fmt.Sprintf("%s depends on %s: %s", p.ImportPath, dep, rule.why))
					}
				}
			}
		}
		for _, rule := range onlyImportedBy {
			if matchesAny(rule.importers, p.ImportPath) || denies(rule.pkg, p.ImportPath) {
				continue
			}
			for _, dep := range p.Deps {
				if denies(rule.pkg, dep) {
					importers := strings.ReplaceAll(strings.Join(rule.importers, ", "), "\x00", "")
					out = append(out, fmt.Sprintf("%s depends on %s, which only %s may import: %s", p.ImportPath, dep, importers, rule.why))
				}
			}
		}
	}
	return out
}

// matchesAny reports whether dep matches one of the prefixes (see denies).
func matchesAny(prefixes []string, dep string) bool {
	for _, pre := range prefixes {
		if denies(pre, dep) {
			return true
		}
	}
	return false
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
