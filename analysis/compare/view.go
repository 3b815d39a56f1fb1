package compare

// What a side-by-side view needs from a Result, without knowing its
// layout: one row per aligned step, the rows an entry or a difference
// points at, and the differences that back a catalogue cause (the
// walkthrough's evidence).

// Side names one trace of a comparison, as Evidence.Side spells it.
type Side string

// The two sides.
const (
	SideGood Side = "good"
	SideBad  Side = "bad"
)

// Cell is one side of a row; Entry is -1 when that trace lacks the step.
type Cell struct {
	Entry   int
	Status  int
	Outcome Outcome
	Count   int // exchanges collapsed into the step (retries, polls)
}

// Row is one aligned step of a side-by-side view.
type Row struct {
	Key       string
	Good, Bad Cell
	// Divergent marks the first divergence.
	Divergent bool
	// Differences are indexes into Result.Differences whose evidence
	// points at this row's exchanges, most likely cause first.
	Differences []int
}

// Rows returns the side-by-side rows, in the order of Result.Pairs.
func (r *Result) Rows() []Row {
	rows := make([]Row, len(r.Pairs))
	at := map[Side]map[int]int{SideGood: {}, SideBad: {}}
	for k, p := range r.Pairs {
		rows[k] = Row{Key: p.Key,
			Good:      Cell{Entry: p.Good, Status: p.GoodStatus, Outcome: p.GoodOutcome, Count: p.GoodCount},
			Bad:       Cell{Entry: p.Bad, Status: p.BadStatus, Outcome: p.BadOutcome, Count: p.BadCount},
			Divergent: r.Divergence != nil && r.Divergence.Pair == k}
		if p.Good >= 0 {
			at[SideGood][p.Good] = k
		}
		if p.Bad >= 0 {
			at[SideBad][p.Bad] = k
		}
	}
	for i, d := range r.Differences {
		seen := map[int]bool{}
		for _, ev := range d.Evidence {
			if k, ok := at[Side(ev.Side)][ev.Entry]; ok && !seen[k] {
				seen[k] = true
				rows[k].Differences = append(rows[k].Differences, i)
			}
		}
	}
	return rows
}

// RowOf returns the row whose step ends with the entry of that side, or
// -1 (an entry the step collapsed before its last one, or noise such as
// a favicon, has no row of its own).
func (r *Result) RowOf(side Side, entry int) int {
	for k, p := range r.Pairs {
		if side == SideGood && p.Good == entry || side == SideBad && p.Bad == entry {
			return k
		}
	}
	return -1
}

// ForCause returns the meaningful differences tied to a catalogue cause,
// most likely first: the comparison's evidence for that cause.
func (r *Result) ForCause(cause string) []Difference {
	var out []Difference
	for _, d := range r.Differences {
		if !d.Noise && d.Cause == cause {
			out = append(out, d)
		}
	}
	return out
}
