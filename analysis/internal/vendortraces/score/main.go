// Command score analyses every trace of the public-sourced vendor corpus
// (testdata/vendor-corpus) with the current rules and prints the score in
// the expect.txt sense: for each `cause=` line whether the top-ranked cause
// is right, wrong, or missing (no cause at all), and for each `ok` line
// whether the healthy exchange was flagged; per cause, per vendor and in
// total, then every miss with what the rules said.
//
//	go run ./analysis/internal/vendortraces/score [-dir testdata/vendor-corpus] [-q]
//
// (`make vendor-score`). It exits 0 whatever the score: the corpus measures
// the rules, it does not gate them.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"authlens/analysis"
	"authlens/analysis/rules"
	"authlens/analysis/trace"
	"authlens/har"
)

type want struct {
	index   int
	method  string
	path    string
	status  int
	verdict string
	cause   string
}

type tally struct{ n, right, wrong, none, healthy, flagged int }

func (t *tally) add(o tally) {
	t.n += o.n
	t.right += o.right
	t.wrong += o.wrong
	t.none += o.none
	t.healthy += o.healthy
	t.flagged += o.flagged
}

func main() {
	dir := flag.String("dir", "testdata/vendor-corpus", "corpus directory (one folder per cause)")
	quiet := flag.Bool("q", false, "print the tables only, not every miss")
	flag.Parse()
	var dirs []string
	err := filepath.WalkDir(*dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() != "expect.txt" {
			return err
		}
		if _, err := os.Stat(filepath.Join(filepath.Dir(p), "trace.har")); err == nil {
			dirs = append(dirs, filepath.Dir(p))
		}
		return nil
	})
	if err != nil || len(dirs) == 0 {
		fmt.Fprintln(os.Stderr, "score: no traces under", *dir, err)
		os.Exit(2)
	}
	sort.Strings(dirs)
	byCause := map[string]*tally{}
	byVendor := map[string]*tally{}
	var total tally
	var misses []string
	vendors := map[string]bool{}
	for _, d := range dirs {
		wants, vendor, err := readExpect(filepath.Join(d, "expect.txt"))
		if err != nil {
			fmt.Fprintln(os.Stderr, "score:", err)
			os.Exit(2)
		}
		vendors[vendor] = true
		rep, h, err := analyze(d)
		if err != nil {
			fmt.Fprintln(os.Stderr, "score:", d+":", err)
			os.Exit(2)
		}
		byIndex := map[int]analysis.Exchange{}
		for _, x := range rep.Exchanges {
			byIndex[x.Index] = x
		}
		rel, _ := filepath.Rel(*dir, d)
		for _, w := range wants {
			var t tally
			x, listed := byIndex[w.index]
			key := w.cause
			if w.index >= len(h.Entries) {
				fmt.Fprintf(os.Stderr, "score: %s: entry %d does not exist\n", rel, w.index)
				os.Exit(2)
			}
			switch w.verdict {
			case "ok":
				key = "(healthy)"
				t.healthy = 1
				if listed && x.Problem {
					t.flagged = 1
					misses = append(misses, fmt.Sprintf("%s entry %d %s %s %d: healthy, flagged as %s", rel, w.index, w.method, short(w.path), w.status, causes(x)))
				}
			case "cause":
				t.n = 1
				switch {
				case !listed || !x.Problem || len(x.Diagnoses) == 0:
					t.none = 1
					got := "not listed"
					if listed {
						got = fmt.Sprintf("listed, problem=%v, no diagnosis", x.Problem)
					}
					misses = append(misses, fmt.Sprintf("%s entry %d %s %s %d: want %s, got no cause (%s)", rel, w.index, w.method, short(w.path), w.status, w.cause, got))
				case x.Diagnoses[0].Cause == w.cause:
					t.right = 1
				default:
					t.wrong = 1
					misses = append(misses, fmt.Sprintf("%s entry %d %s %s %d: want %s, got %s", rel, w.index, w.method, short(w.path), w.status, w.cause, causes(x)))
				}
			default:
				continue
			}
			if byCause[key] == nil {
				byCause[key] = &tally{}
			}
			byCause[key].add(t)
			if byVendor[vendor] == nil {
				byVendor[vendor] = &tally{}
			}
			byVendor[vendor].add(t)
			total.add(t)
		}
		h.Close()
	}
	fmt.Printf("AuthLens vendor corpus score: %d traces, %d vendors, %d expected causes, %d healthy exchanges (%s)\n\n", len(dirs), len(vendors), total.n, total.healthy, *dir)
	table("cause", byCause)
	fmt.Println()
	table("vendor", byVendor)
	fmt.Println()
	fmt.Printf("TOTAL: top cause right %d/%d (%s), wrong %d, no cause %d; healthy exchanges flagged %d/%d\n",
		total.right, total.n, pct(total.right, total.n), total.wrong, total.none, total.flagged, total.healthy)
	if !*quiet && len(misses) > 0 {
		fmt.Printf("\nMisses (%d):\n", len(misses))
		for _, m := range misses {
			fmt.Println("  " + m)
		}
	}
}

func table(label string, m map[string]*tally) {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Printf("%-34s %5s %5s %5s %5s %7s   %s\n", "per "+label, "n", "right", "wrong", "none", "right%", "healthy flagged")
	for _, k := range keys {
		t := m[k]
		hf := ""
		if t.healthy > 0 {
			hf = fmt.Sprintf("%d/%d", t.flagged, t.healthy)
		}
		fmt.Printf("%-34s %5d %5d %5d %5d %7s   %s\n", k, t.n, t.right, t.wrong, t.none, pct(t.right, t.n), hf)
	}
}

func pct(a, b int) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f%%", 100*float64(a)/float64(b))
}

func short(p string) string {
	if len(p) > 60 {
		return p[:57] + "..."
	}
	return p
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

func analyze(dir string) (*analysis.Report, *har.Trace, error) {
	ctx := context.Background()
	h, err := har.Load(ctx, filepath.Join(dir, "trace.har"), har.Options{})
	if err != nil {
		return nil, nil, err
	}
	rep, err := analysis.Analyze(ctx, trace.FromHAR(h), rules.All())
	if err != nil {
		h.Close()
		return nil, nil, err
	}
	return rep, h, nil
}

// readExpect reads expect.txt in the scenario harness format
// (analysis/rules/scenarios_test.go) and its "# vendor:" line.
func readExpect(path string) ([]want, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	var ws []want
	vendor := "(unknown)"
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if v, ok := strings.CutPrefix(line, "# vendor:"); ok {
			vendor = strings.TrimSpace(v)
			continue
		}
		if i := strings.Index(line, " #"); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fs := strings.Fields(line)
		if len(fs) != 5 {
			return nil, "", fmt.Errorf("%s:%d: want 5 fields, got %q", path, n, line)
		}
		idx, err1 := strconv.Atoi(fs[0])
		st, err2 := strconv.Atoi(fs[3])
		if err1 != nil || err2 != nil {
			return nil, "", fmt.Errorf("%s:%d: index and status must be numbers", path, n)
		}
		w := want{index: idx, method: fs[1], path: fs[2], status: st, verdict: fs[4]}
		if k, v, ok := strings.Cut(w.verdict, "="); ok {
			w.verdict, w.cause = k, v
		}
		if _, err := url.Parse(w.path); err != nil {
			return nil, "", fmt.Errorf("%s:%d: bad path %q", path, n, w.path)
		}
		ws = append(ws, w)
	}
	return ws, vendor, sc.Err()
}
