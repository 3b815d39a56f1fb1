package compare_test

import (
	"os"
	"regexp"
	"testing"

	"authlens/analysis/compare"
	"authlens/analysis/rules"
	"authlens/sanitize"
)

// TestCauseIDsExist: every cause ID the comparison names is a catalogue
// cause of analysis/rules, so the walkthrough can link it.
func TestCauseIDsExist(t *testing.T) {
	known := map[string]bool{}
	for _, r := range rules.All() {
		known[r.ID] = true
	}
	src, err := os.ReadFile("differences.go")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`(?:Cause: |Cause, [a-zA-Z.]+ = |add\()"([a-z0-9-]+)"`)
	found := 0
	for _, m := range re.FindAllSubmatch(src, -1) {
		found++
		if !known[string(m[1])] {
			t.Errorf("cause %q is not in analysis/rules", m[1])
		}
	}
	if found < 15 {
		t.Fatalf("found %d cause IDs in differences.go, want at least 15", found)
	}
}

func TestSanitizerCommentMatches(t *testing.T) {
	if compare.SanitizerComment != sanitize.CommentPrefix {
		t.Fatalf("compare.SanitizerComment %q differs from sanitize.CommentPrefix %q", compare.SanitizerComment, sanitize.CommentPrefix)
	}
}
