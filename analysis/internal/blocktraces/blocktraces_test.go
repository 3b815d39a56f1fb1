package blocktraces

import (
	"path/filepath"
	"testing"

	"authlens/analysis/internal/tracebuild"
)

// TestCommittedTracesUpToDate checks testdata/traces/<cause>/ holds exactly what
// the generator writes, so the traces stay reproducible.
func TestCommittedTracesUpToDate(t *testing.T) {
	all := All()
	if len(all) < 12 {
		t.Fatalf("want at least 12 traces, have %d", len(all))
	}
	tracebuild.CheckCommitted(t, filepath.Join("..", "..", "..", "testdata", "traces"), all,
		"go run ./analysis/internal/blocktraces/genblocks -out testdata/traces")
}
