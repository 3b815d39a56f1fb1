package report

import (
	"authlens/analysis"
	"sort"
)

// Entries returns, sorted and without repeats, the entries a report
// points at: every listed exchange and every entry an evidence row
// quotes. The case report's timeline starts from them, and a sanitized
// export keeps their bodies (sanitize.Options.KeepBodies).
func Entries(r *analysis.Report) []int {
	if r == nil {
		return nil
	}
	seen := map[int]bool{}
	var out []int
	add := func(i int) {
		if i >= 0 && !seen[i] {
			seen[i] = true
			out = append(out, i)
		}
	}
	for _, x := range r.Exchanges {
		add(x.Index)
		for _, d := range x.Diagnoses {
			for _, ev := range d.Evidence {
				add(ev.Entry)
			}
		}
	}
	sort.Ints(out)
	return out
}
