package trace

import (
	"testing"

	"authlens/analysis/internal/fixture"
)

func TestFreshSuccessAfter(t *testing.T) {
	tr := traceOf(
		fixture.Entry(0, "GET", "https://app.example.com/page", 403, nil, nil, ""),
		fixture.Entry(1, "GET", "https://app.example.com/page", 200, nil, nil, ""),
		fixture.Entry(2, "GET", "https://app.example.com/page", 200, nil, nil, ""),
		fixture.Entry(3, "GET", "https://app.example.com/other", 200, nil, nil, ""),
	)
	tr.Entries[1].FromCache = "disk"
	if j := tr.FreshSuccessAfter(0); j != 2 {
		t.Errorf("FreshSuccessAfter(0) = %d, want 2 (1 came from the cache)", j)
	}
	if j := tr.FreshSuccessAfter(2); j != -1 {
		t.Errorf("FreshSuccessAfter(2) = %d, want -1", j)
	}
}
