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
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"authlens/analysis"
	"authlens/analysis/internal/expect"
)

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
		ef, err := expect.Read(filepath.Join(d, "expect.txt"))
		if err != nil {
			fmt.Fprintln(os.Stderr, "score:", err)
			os.Exit(2)
		}
		wants, vendor := ef.Wants, ef.Keys["vendor"]
		if vendor == "" {
			vendor = "(unknown)"
		}
		vendors[vendor] = true
		h, rep, err := expect.Analyze(context.Background(), d)
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
			x, listed := byIndex[w.Index]
			key := w.Cause
			if w.Index >= len(h.Entries) {
				fmt.Fprintf(os.Stderr, "score: %s: entry %d does not exist\n", rel, w.Index)
				os.Exit(2)
			}
			switch w.Verdict {
			case "ok":
				key = "(healthy)"
				t.healthy = 1
				if listed && x.Problem {
					t.flagged = 1
					misses = append(misses, fmt.Sprintf("%s entry %d %s %s %d: healthy, flagged as %s", rel, w.Index, w.Method, short(w.Path), w.Status, expect.Causes(x)))
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
					misses = append(misses, fmt.Sprintf("%s entry %d %s %s %d: want %s, got no cause (%s)", rel, w.Index, w.Method, short(w.Path), w.Status, w.Cause, got))
				case x.Diagnoses[0].Cause == w.Cause:
					t.right = 1
				default:
					t.wrong = 1
					misses = append(misses, fmt.Sprintf("%s entry %d %s %s %d: want %s, got %s", rel, w.Index, w.Method, short(w.Path), w.Status, w.Cause, expect.Causes(x)))
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
