package viewmodel

import (
	"strings"
	"testing"

	"authlens/analysis/trace/jar"
)

// Every cookie event the analysis can report has words for support staff;
// a new kind without them would show its internal name.
func TestEveryCookieEventHasWords(t *testing.T) {
	for k := jar.CookieEventSet; k <= jar.CookieEventExpired; k++ {
		what, _ := cookieWhat(k)
		if what == k.String() || !strings.Contains(what, " ") {
			t.Errorf("cookie event %v has no plain words (got %q)", k, what)
		}
	}
	if _, problem := cookieWhat(jar.CookieEventExpired); !problem {
		t.Error("an expired session cookie should be marked as a problem")
	}
}
