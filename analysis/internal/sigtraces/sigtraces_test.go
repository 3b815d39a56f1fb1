package sigtraces

import (
	"path/filepath"
	"testing"

	"authlens/analysis/internal/tracebuild"
)

// TestCommittedTracesUpToDate checks testdata/traces/<cause>/ holds exactly
// what the generator produces, so the traces stay reproducible.
func TestCommittedTracesUpToDate(t *testing.T) {
	tracebuild.CheckCommitted(t, filepath.Join("..", "..", "..", "testdata", "traces"), All(),
		"go run ./analysis/internal/sigtraces/gensig -out testdata/traces")
}
