package sigtraces

import (
	"path/filepath"
	"testing"

	"authlens/analysis/internal/tracebuild"
)

// TestCommittedTracesUpToDate checks testdata/signatures holds exactly
// what the generator produces, so the traces stay reproducible.
func TestCommittedTracesUpToDate(t *testing.T) {
	tracebuild.CheckCommitted(t, filepath.Join("..", "..", "..", "testdata", "signatures"), All(),
		"go run ./analysis/internal/sigtraces/gensig -out testdata/signatures")
}
