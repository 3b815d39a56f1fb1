package trace

import (
	"testing"

	"authlens/analysis/internal/fixture"
)

func TestVariantKey(t *testing.T) {
	a := VariantKey("GET", "http://www.Example.com/App/?x=1")
	if b := VariantKey("GET", "https://example.com/app?x=1"); a != b {
		t.Errorf("variants differ: %q vs %q", a, b)
	}
	if b := VariantKey("GET", "https://example.com/app?x=2"); a == b {
		t.Error("another query is another address")
	}
	if b := VariantKey("POST", "https://example.com/app?x=1"); a == b {
		t.Error("another method is another request")
	}
}

func TestServedToOtherIdentity(t *testing.T) {
	tr := traceOf(
		fixture.Entry(0, "GET", "https://git.example.com/org/private", 200, []string{"Authorization: Basic YWxpY2U6cHc="}, nil, ""),
		fixture.Entry(1, "GET", "https://git.example.com/org/private", 404, []string{"Authorization: Basic Ym9iOnB3"}, nil, ""),
		fixture.Entry(2, "GET", "https://git.example.com/org/private", 404, []string{"Authorization: Basic YWxpY2U6cHc="}, nil, ""),
		fixture.Entry(3, "GET", "https://git.example.com/org/private", 404, nil, nil, ""),
	)
	if j, ok := tr.ServedToOtherIdentity(1); !ok || j != 0 {
		t.Errorf("ServedToOtherIdentity(1) = %d, %v; want 0 (alice saw it, bob cannot)", j, ok)
	}
	if _, ok := tr.ServedToOtherIdentity(2); ok {
		t.Error("alice saw it herself before: removed, not hidden")
	}
	if _, ok := tr.ServedToOtherIdentity(3); ok {
		t.Error("an anonymous request identifies nobody")
	}
}
