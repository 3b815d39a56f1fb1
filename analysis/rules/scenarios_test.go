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
	"bufio"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"authlens/analysis"
)

type want struct {
	line    int
	index   int
	method  string
	path    string
	status  int
	verdict string
	cause   string
}

func readExpectations(t *testing.T, path string) []want {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var ws []want
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if i := strings.Index(line, " #"); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fs := strings.Fields(line)
		if len(fs) != 5 {
			t.Fatalf("%s:%d: want 5 fields (index method path status verdict), got %q", path, n, line)
		}
		idx, err1 := strconv.Atoi(fs[0])
		st, err2 := strconv.Atoi(fs[3])
		if err1 != nil || err2 != nil {
			t.Fatalf("%s:%d: index and status must be numbers: %q", path, n, line)
		}
		w := want{line: n, index: idx, method: fs[1], path: fs[2], status: st, verdict: fs[4]}
		if k, v, ok := strings.Cut(w.verdict, "="); ok {
			w.verdict, w.cause = k, v
		}
		switch w.verdict {
		case "cause", "also", "ok", "not-problem", "flagged":
		default:
			t.Fatalf("%s:%d: unknown verdict %q", path, n, fs[4])
		}
		ws = append(ws, w)
	}
	return ws
}

func pathOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	p := u.EscapedPath()
	if p == "" {
		p = "/"
	}
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return p
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
		where := fmt.Sprintf("expect.txt:%d (entry %d)", w.line, w.index)
		if w.index < 0 || w.index >= len(h.Entries) {
			t.Errorf("%s: no such entry (trace has %d)", where, len(h.Entries))
			continue
		}
		e := h.Entries[w.index]
		if e.Request.Method != w.method || pathOf(e.Request.URL) != w.path || e.Response.Status != w.status {
			t.Errorf("%s: entry is %s %s %d, expectation names %s %s %d", where,
				e.Request.Method, pathOf(e.Request.URL), e.Response.Status, w.method, w.path, w.status)
			continue
		}
		x, listed := byIndex[w.index]
		switch w.verdict {
		case "ok":
			if listed && x.Problem {
				t.Errorf("%s: healthy exchange flagged as a problem: %s", where, causes(x))
			}
		case "not-problem":
			if !listed || x.Problem {
				t.Errorf("%s: want listed with problem:false, got listed=%v problem=%v", where, listed, x.Problem)
			}
		case "flagged":
			named[w.index] = true
			if !listed || !x.Problem {
				t.Errorf("%s: want a problem, got listed=%v problem=%v", where, listed, x.Problem)
			}
		case "cause", "also":
			named[w.index] = true
			if !listed || !x.Problem {
				t.Errorf("%s: want a problem with %s, got listed=%v problem=%v", where, w.cause, listed, x.Problem)
				continue
			}
			if w.verdict == "cause" {
				if len(x.Diagnoses) == 0 || x.Diagnoses[0].Cause != w.cause {
					t.Errorf("%s: want top cause %s, got %s", where, w.cause, causes(x))
				}
			} else if !hasCause(x, w.cause) {
				t.Errorf("%s: want %s among the causes, got %s", where, w.cause, causes(x))
			}
		}
	}
	for _, x := range rep.Exchanges {
		if x.Problem && !named[x.Index] {
			t.Errorf("entry %d (%s %s %d) is flagged (%s) but expect.txt does not name it", x.Index, x.Method, pathOf(x.URL), x.Status, causes(x))
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

func causes(x analysis.Exchange) string {
	if len(x.Diagnoses) == 0 {
		return "no diagnosis"
	}
	var s []string
	for _, d := range x.Diagnoses {
		s = append(s, fmt.Sprintf("%s(%.2f)", d.Cause, d.Confidence))
	}
	return strings.Join(s, ", ")
}
