package viewmodel

import (
	"fmt"
	"testing"
	"time"

	"authlens/har"
)

// syntheticEntries makes n entries over 40 hosts with a realistic status
// mix (1 in 50 a 401, 1 in 80 a 403, some 404 and 5xx).
func syntheticEntries(n int) []*har.Entry {
	es := make([]*har.Entry, n)
	t0 := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	for i := range es {
		st := 200
		switch {
		case i%50 == 7:
			st = 401
		case i%80 == 11:
			st = 403
		case i%33 == 5:
			st = 404
		case i%97 == 3:
			st = 503
		}
		e := testEntry(i, "GET", fmt.Sprintf("https://host%d.example.com/api/v2/items/%d?page=%d", i%40, i, i%7), st)
		e.StartedDateTime = t0.Add(time.Duration(i) * 10 * time.Millisecond)
		es[i] = e
	}
	return es
}

func syntheticRows(n int) *RowSet {
	es := syntheticEntries(n)
	return NewRowSet(es, func(i int) bool { st := es[i].Response.Status; return st == 401 || st == 403 })
}

// BenchmarkFilter200k measures one filter change on 200,000 entries (the
// target is well under 100 ms per change).
func BenchmarkFilter200k(b *testing.B) {
	rs := syntheticRows(200000)
	filters := map[string]Filter{
		"auth-failures": {Kind: FilterAuthFailures},
		"all":           {Kind: FilterAll},
		"4xx":           {Kind: Filter4xx},
		"search":        {Kind: FilterAll, Text: "items/1234"},
		"search-miss":   {Kind: FilterAll, Text: "no-such-text"},
		"host+search":   {Kind: FilterAll, Host: "host7.example.com", Text: "page=3"},
	}
	for name, f := range filters {
		b.Run(name, func(b *testing.B) {
			out := make([]int, 0, len(rs.Rows))
			b.ReportAllocs()
			for b.Loop() {
				out = rs.Filter(f, out)
			}
			b.ReportMetric(float64(len(out)), "matches")
		})
	}
}

// BenchmarkBuildRows200k measures formatting every row once after loading.
func BenchmarkBuildRows200k(b *testing.B) {
	es := syntheticEntries(200000)
	for b.Loop() {
		_ = NewRowSet(es, nil)
	}
}
