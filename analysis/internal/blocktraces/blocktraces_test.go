package blocktraces

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestCommittedTracesUpToDate checks testdata/signatures holds exactly what
// the generator writes, so the traces stay reproducible.
func TestCommittedTracesUpToDate(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "testdata", "signatures")
	all := All()
	if len(all) < 12 {
		t.Fatalf("want at least 12 traces, have %d", len(all))
	}
	for _, tr := range all {
		files, err := tr.Files()
		if err != nil {
			t.Fatal(err)
		}
		for name, want := range files {
			got, err := os.ReadFile(filepath.Join(dir, tr.Name, name))
			if err != nil {
				t.Errorf("%s/%s: %v (run go run ./analysis/internal/blocktraces/genblocks)", tr.Name, name, err)
				continue
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s/%s differs from the generator's output (run go run ./analysis/internal/blocktraces/genblocks)", tr.Name, name)
			}
		}
	}
}
