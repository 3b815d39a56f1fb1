package vendortraces

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"authlens/analysis/internal/tracebuild"
)

const corpus = "../../../testdata/vendor-corpus"

const holdout = "../../../testdata/vendor-holdout"

// TestCommittedTracesUpToDate checks testdata/vendor-corpus holds exactly
// what the generator produces, so the corpus stays reproducible.
func TestCommittedTracesUpToDate(t *testing.T) {
	tracebuild.CheckCommitted(t, corpus, All(), Generator)
}

// TestCommittedHoldoutUpToDate checks testdata/vendor-holdout holds exactly
// what the generator produces for the held-out set.
func TestCommittedHoldoutUpToDate(t *testing.T) {
	tracebuild.CheckCommitted(t, holdout, Holdout(), HoldoutGenerator)
}

// TestEveryTraceHasASource checks every trace names its public source, a
// vendor, a verbatim response and at least one expectation.
func TestEveryTraceHasASource(t *testing.T) {
	names := map[string]bool{}
	for _, v := range append(specs(), holdoutSpecs()...) {
		if names[v.Name] {
			t.Errorf("%s: duplicate trace name", v.Name)
		}
		names[v.Name] = true
		if !strings.Contains(v.Source, "https://") || v.Vendor == "" || v.Why == "" || v.Verbatim == "" {
			t.Errorf("%s: needs a public source URL, a vendor, a verbatim note and an expected diagnosis", v.Name)
		}
		verbatim := false
		for _, e := range v.Entries {
			verbatim = verbatim || e.Verbatim
		}
		if !verbatim {
			t.Errorf("%s: no entry is marked verbatim", v.Name)
		}
	}
	if n := len(specs()); n < 60 {
		t.Errorf("corpus has %d traces, want at least 60", n)
	}
	if n := len(holdoutSpecs()); n < 30 {
		t.Errorf("held-out set has %d traces, want at least 30", n)
	}
}

// TestCorpusIsValidHAR runs npm har-validator (testdata/tools) on every
// committed corpus and held-out HAR.
func TestCorpusIsValidHAR(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed: cannot run har-validator (CI has node)")
	}
	tools := filepath.Join("..", "..", "..", "testdata", "tools")
	if _, err := os.Stat(filepath.Join(tools, "node_modules", "har-validator")); err != nil {
		t.Fatalf("node is installed but har-validator is not: run `npm ci` in testdata/tools (make deps-test does): %v", err)
	}
	var files []string
	for _, tr := range All() {
		files = append(files, filepath.Join(corpus, tr.Dir(), "trace.har"))
	}
	for _, tr := range Holdout() {
		files = append(files, filepath.Join(holdout, tr.Dir(), "trace.har"))
	}
	out, err := exec.Command(node, append([]string{filepath.Join(tools, "validate-har.js")}, files...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("har-validator rejected the corpus: %v\n%s", err, out)
	}
}
