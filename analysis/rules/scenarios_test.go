package rules_test

// The scenario harness: every directory below testdata/traces (grouped by
// cause: testdata/traces/<cause>/<name>/; HARs recorded live by real
// Chromium against real servers, and HARs built from documented vendor
// signatures) that holds trace.har and expect.txt. Like analysistest's
// `// want`, the test data carries its own expectations:
//
//	# source: how the trace was made (required; TestScenarioSources)
//	# comment
//	<index> <METHOD> <path?query> <status> <verdict>
//
// verdict is one of
//
//	cause=<id>   the exchange is a problem and its top-ranked diagnosis is <id>
//	also=<id>    the exchange is a problem and <id> is among its diagnoses (may repeat the line)
//	ok           the exchange is not reported as a problem
//	not-problem  the exchange is listed with problem:false (an answered challenge)
//	flagged      the exchange is a problem, whatever the cause
//
// Every exchange reported as a problem must be named by a cause=, also= or
// flagged line: healthy traffic that gets flagged fails the test.

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"authlens/analysis"
	"authlens/analysis/internal/expect"
)

func readExpectations(t *testing.T, path string) []expect.Want {
	t.Helper()
	f, err := expect.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	return f.Wants
}

func scenarioDirs(t *testing.T) []string {
	var dirs []string
	err := filepath.WalkDir("../../testdata/traces", func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() != "expect.txt" {
			return err
		}
		if _, err := os.Stat(filepath.Join(filepath.Dir(p), "trace.har")); err == nil {
			dirs = append(dirs, filepath.Dir(p))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return dirs
}

// TestScenarioSources checks every expect.txt says how its trace was made
// in a "# source: …" line near its top (live recording, capture proxy, or
// built from documented signatures).
func TestScenarioSources(t *testing.T) {
	for _, dir := range scenarioDirs(t) {
		b, err := os.ReadFile(filepath.Join(dir, "expect.txt"))
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.SplitN(string(b), "\n", 6)
		found := false
		for _, l := range lines[:min(len(lines), 5)] {
			found = found || strings.HasPrefix(strings.TrimSpace(l), "# source: ")
		}
		if !found {
			t.Errorf("%s/expect.txt: no \"# source: …\" line in its first 5 lines (how was the trace made?)", dir)
		}
	}
}

func TestScenarios(t *testing.T) {
	dirs := scenarioDirs(t)
	if len(dirs) == 0 {
		t.Fatal("no scenarios found under testdata/traces")
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(filepath.Dir(dir))+"/"+filepath.Base(dir), func(t *testing.T) {
			checkScenario(t, dir)
		})
	}
}

func checkScenario(t *testing.T, dir string) {
	h, rep := loadAndAnalyze(t, dir)
	byIndex := map[int]analysis.Exchange{}
	for _, x := range rep.Exchanges {
		byIndex[x.Index] = x
	}
	named := map[int]bool{}
	for _, w := range readExpectations(t, filepath.Join(dir, "expect.txt")) {
		where := fmt.Sprintf("expect.txt:%d (entry %d)", w.Line, w.Index)
		if w.Index < 0 || w.Index >= len(h.Entries) {
			t.Errorf("%s: no such entry (trace has %d)", where, len(h.Entries))
			continue
		}
		e := h.Entries[w.Index]
		if e.Request.Method != w.Method || expect.PathOf(e.Request.URL) != w.Path || e.Response.Status != w.Status {
			t.Errorf("%s: entry is %s %s %d, expectation names %s %s %d", where,
				e.Request.Method, expect.PathOf(e.Request.URL), e.Response.Status, w.Method, w.Path, w.Status)
			continue
		}
		x, listed := byIndex[w.Index]
		switch w.Verdict {
		case "ok":
			if listed && x.Problem {
				t.Errorf("%s: healthy exchange flagged as a problem: %s", where, expect.Causes(x))
			}
		case "not-problem":
			if !listed || x.Problem {
				t.Errorf("%s: want listed with problem:false, got listed=%v problem=%v", where, listed, x.Problem)
			}
		case "flagged":
			named[w.Index] = true
			if !listed || !x.Problem {
				t.Errorf("%s: want a problem, got listed=%v problem=%v", where, listed, x.Problem)
			}
		case "cause", "also":
			named[w.Index] = true
			if !listed || !x.Problem {
				t.Errorf("%s: want a problem with %s, got listed=%v problem=%v", where, w.Cause, listed, x.Problem)
				continue
			}
			if w.Verdict == "cause" {
				if len(x.Diagnoses) == 0 || x.Diagnoses[0].Cause != w.Cause {
					t.Errorf("%s: want top cause %s, got %s", where, w.Cause, expect.Causes(x))
				}
			} else if !hasCause(x, w.Cause) {
				t.Errorf("%s: want %s among the causes, got %s", where, w.Cause, expect.Causes(x))
			}
			for _, ro := range x.RuledOut {
				if ro.Cause == w.Cause {
					t.Errorf("%s: the expected cause %s is ruled out: %s", where, w.Cause, ro.Evidence)
				}
			}
		}
	}
	for _, x := range rep.Exchanges {
		if x.Problem && !named[x.Index] {
			t.Errorf("entry %d (%s %s %d) is flagged (%s) but expect.txt does not name it", x.Index, x.Method, expect.PathOf(x.URL), x.Status, expect.Causes(x))
		}
	}
}

func hasCause(x analysis.Exchange, id string) bool {
	for _, d := range x.Diagnoses {
		if d.Cause == id {
			return true
		}
	}
	return false
}
