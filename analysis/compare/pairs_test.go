package compare_test

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"authlens/analysis/compare"
	"authlens/analysis/trace"
	"authlens/har"
)

// pairLine is one line of testdata/pairs/pairs.txt.
type pairLine struct {
	name, good, bad, divergence, first string
}

func readPairs(t *testing.T) []pairLine {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "testdata", "pairs", "pairs.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []pairLine
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fs := strings.Fields(line)
		if len(fs) != 5 {
			t.Fatalf("pairs.txt:%d: want 5 fields, got %d", n, len(fs))
		}
		out = append(out, pairLine{fs[0], fs[1], fs[2], strings.ReplaceAll(fs[3], "_", " "), fs[4]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func loadTrace(t *testing.T, rel string) *trace.Trace {
	t.Helper()
	h, err := har.Load(context.Background(), filepath.Join("..", "..", "testdata", rel), har.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return trace.FromHAR(h)
}

// TestPairs compares every pair of testdata/pairs/pairs.txt and checks
// the first divergence and the first-ranked difference it expects.
func TestPairs(t *testing.T) {
	pairs := readPairs(t)
	if len(pairs) < 20 {
		t.Fatalf("pairs.txt has %d pairs, want at least 20", len(pairs))
	}
	causes := map[string]bool{}
	right := 0
	for _, p := range pairs {
		res, err := compare.Compare(context.Background(), loadTrace(t, p.good), loadTrace(t, p.bad), compare.Options{})
		if err != nil {
			t.Fatalf("%s: %v", p.name, err)
		}
		gotDiv := "none"
		if res.Divergence != nil {
			gotDiv = res.Divergence.Key
		}
		gotFirst := "none"
		if m := res.Meaningful(); len(m) > 0 {
			gotFirst = string(m[0].Kind) + "/" + m[0].Cause
		}
		ok := gotDiv == p.divergence && firstMatches(p.first, gotFirst)
		if ok {
			right++
		} else {
			t.Errorf("%s: divergence %q, first difference %s; want %q, %s", p.name, gotDiv, gotFirst, p.divergence, p.first)
		}
		if _, cause, found := strings.Cut(p.first, "/"); found {
			causes[cause] = true
		}
	}
	t.Logf("pairs: %d of %d right (%d causes)", right, len(pairs), len(causes))
	if len(causes) < 12 {
		t.Errorf("pairs.txt covers %d causes, want at least 12", len(causes))
	}
}

func firstMatches(want, got string) bool {
	if want == got {
		return true
	}
	wk, wc, _ := strings.Cut(want, "/")
	gk, gc, _ := strings.Cut(got, "/")
	return wk == "*" && wc == gc && gk != ""
}

// TestSelfComparison: every committed trace compared with itself has no
// divergence and no meaningful difference — whatever the trace holds
// (refusals, handshakes, redirects, cookies), nothing differs.
func TestSelfComparison(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("..", "..", "testdata", "traces", "*", "*", "trace.har"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) < 100 {
		t.Fatalf("found %d traces", len(paths))
	}
	for _, p := range paths {
		rel, _ := filepath.Rel(filepath.Join("..", "..", "testdata"), p)
		tr := loadTrace(t, rel)
		res, err := compare.Compare(context.Background(), tr, tr, compare.Options{})
		if err != nil {
			t.Fatalf("%s: %v", rel, err)
		}
		if res.Divergence != nil || len(res.Meaningful()) > 0 {
			t.Errorf("%s compared with itself: divergence %+v, %d meaningful difference(s)", rel, res.Divergence, len(res.Meaningful()))
		}
	}
}
