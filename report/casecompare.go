package report

import (
	"fmt"
	"path/filepath"

	"authlens/analysis/compare"
)

// comparisonView is the comparison section of a case report: masked and
// made visible, in the order it is printed.
type comparisonView struct {
	Good, Bad   string
	Hosts       []string
	Divergence  string // the divergent step's key, "" when none
	GoodPath    string
	BadPath     string
	Differences []diffView
	Noise       []string
	Steps       []stepRow
}

type diffView struct {
	Rank        int
	Title       string
	Kind        string
	Cause       string
	Explanation string
	Evidence    []compare.Evidence
}

type stepRow struct {
	Good, Bad string
	Key       string
	Failing   bool // the bad side was refused or failed
	Divergent bool
}

// caseMaxSteps bounds the side-by-side table of a case report: the steps
// around the divergence matter, not every poll of a long session.
const caseMaxSteps = 40

func comparisonOf(r *compare.Result) *comparisonView {
	if r == nil {
		return nil
	}
	r = MaskedComparison(r)
	// Only file names, as for the report's own recording: a local path
	// says nothing to the reader and may name the person.
	v := &comparisonView{Good: filepath.Base(r.Good.Path), Bad: filepath.Base(r.Bad.Path)}
	for _, h := range mappedHosts(r) {
		v.Hosts = append(v.Hosts, fmt.Sprintf("%s = %s (%s)", h.Good, h.Bad, hostHow(h)))
	}
	if d := r.Divergence; d != nil {
		v.Divergence, v.GoodPath, v.BadPath = d.Key, pathWords(d.GoodPath), pathWords(d.BadPath)
	}
	for _, d := range r.Differences {
		if d.Noise {
			v.Noise = append(v.Noise, d.Title)
			continue
		}
		v.Differences = append(v.Differences, diffView{Rank: len(v.Differences) + 1, Title: d.Title, Kind: string(d.Kind), Cause: d.Cause, Explanation: d.Explanation, Evidence: d.Evidence})
	}
	from, to := 0, len(r.Pairs)
	if to > caseMaxSteps {
		at := 0
		if r.Divergence != nil {
			at = r.Divergence.Pair
		}
		from = max(0, at-caseMaxSteps/2)
		to = min(len(r.Pairs), from+caseMaxSteps)
	}
	for k := from; k < to; k++ {
		p := r.Pairs[k]
		row := stepRow{Good: "—", Bad: "—", Key: p.Key, Failing: p.BadOutcome.Bad(), Divergent: r.Divergence != nil && r.Divergence.Pair == k}
		if p.Good >= 0 {
			row.Good = fmt.Sprintf("#%d %s", p.Good, mark(p.GoodStatus, p.GoodOutcome, true))
		}
		if p.Bad >= 0 {
			row.Bad = fmt.Sprintf("#%d %s", p.Bad, mark(p.BadStatus, p.BadOutcome, true))
		}
		v.Steps = append(v.Steps, row)
	}
	v.visible()
	return v
}

func (v *comparisonView) visible() {
	one := func(s *string) { *s = Visible(*s, true) }
	for _, s := range []*string{&v.Good, &v.Bad, &v.Divergence, &v.GoodPath, &v.BadPath} {
		one(s)
	}
	for i := range v.Hosts {
		one(&v.Hosts[i])
	}
	for i := range v.Noise {
		one(&v.Noise[i])
	}
	for i := range v.Differences {
		d := &v.Differences[i]
		for _, s := range []*string{&d.Title, &d.Explanation, &d.Cause} {
			one(s)
		}
		for k := range d.Evidence {
			d.Evidence[k].Detail = Visible(d.Evidence[k].Detail, true)
			d.Evidence[k].Where.Name = Visible(d.Evidence[k].Where.Name, true)
		}
	}
	for i := range v.Steps {
		one(&v.Steps[i].Key)
	}
}
