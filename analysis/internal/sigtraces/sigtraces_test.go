package sigtraces

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestCommittedTracesUpToDate checks testdata/signatures holds exactly
// what the generator produces, so the traces stay reproducible.
func TestCommittedTracesUpToDate(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "testdata", "signatures")
	for _, tr := range All() {
		files, err := tr.Files()
		if err != nil {
			t.Fatal(err)
		}
		for name, want := range files {
			got, err := os.ReadFile(filepath.Join(dir, tr.Name, name))
			if err != nil {
				t.Errorf("%s/%s: %v (run: go run ./analysis/internal/sigtraces/gensig -out testdata/signatures)", tr.Name, name, err)
				continue
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s/%s differs from the generator's output (regenerate with gensig)", tr.Name, name)
			}
		}
	}
}
