package report_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"authlens/analysis/rules"
	"authlens/report"
)

// TestCausesDocUpToDate fails when docs/causes.md is not what the rules
// say today: the repository documents its own contract.
func TestCausesDocUpToDate(t *testing.T) {
	var b bytes.Buffer
	if err := report.WriteCauses(&b, rules.All(), "markdown"); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("..", "docs", "causes.md")
	if os.Getenv("AUTHLENS_UPDATE_DOCS") != "" {
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (write it with: AUTHLENS_UPDATE_DOCS=1 go test ./report -run TestCausesDocUpToDate)", err)
	}
	if !bytes.Equal(got, b.Bytes()) {
		t.Fatalf("docs/causes.md is stale: regenerate it with `go run . causes --format markdown > docs/causes.md` (or AUTHLENS_UPDATE_DOCS=1 go test ./report -run TestCausesDocUpToDate)")
	}
	for _, r := range rules.All() {
		if !strings.Contains(string(got), "\n## "+r.ID+"\n") {
			t.Errorf("docs/causes.md has no section for %s", r.ID)
		}
	}
}

func TestWriteCausesRejectsUnknownFormat(t *testing.T) {
	if err := report.WriteCauses(&bytes.Buffer{}, rules.All(), "pdf"); err == nil {
		t.Fatal("format pdf accepted")
	}
}
