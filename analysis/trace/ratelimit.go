package trace

import (
	"time"

	"authlens/analysis/entry"
)

// The run of refusals a lockout follows; the quota headers and
// Retry-After one answer carries are read by package entry.

// RepeatedRefusals counts the refusals to the same method and URL in the
// ten minutes before entry i.
func (t *Trace) RepeatedRefusals(i int) (n, first int) {
	e := t.Entries[i]
	first = -1
	for _, j := range t.SameOrigin(t.Origin(i)) {
		if j == i {
			break
		}
		ej := t.Entries[j]
		if !entry.RefusalStatus(ej.Response.Status) || !t.SameRequest(i, j) || e.StartedDateTime.Sub(ej.StartedDateTime) > 10*time.Minute {
			continue
		}
		if first < 0 {
			first = j
		}
		n++
	}
	return n, first
}
