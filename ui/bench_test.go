package ui

import (
	"bufio"
	"fmt"
	"os"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"authlens/har"
	"authlens/ui/viewmodel"
)

// syntheticRows makes n rows over 40 hosts with a realistic status mix
// (1 in 50 a 401, 1 in 80 a 403, some 404 and 5xx): the same trace as the
// view-model benchmarks (ui/viewmodel/bench_test.go) build.
func syntheticRows(n int) *viewmodel.RowSet {
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
		es[i] = &har.Entry{Index: i, StartedDateTime: t0.Add(time.Duration(i) * 10 * time.Millisecond), Time: 12,
			Request:  har.Request{Method: "GET", URL: fmt.Sprintf("https://host%d.example.com/api/v2/items/%d?page=%d", i%40, i, i%7)},
			Response: har.Response{Status: st, Content: har.Content{MimeType: "application/json; charset=utf-8", Size: 321}}}
	}
	return viewmodel.NewRowSet(es, func(i int) bool { st := es[i].Response.Status; return st == 401 || st == 403 })
}

// BenchmarkScrollVisibleRows measures scrolling the real entries list of
// 200,000 rows in a 1280×800 window: one jump to a new position, which
// lays out and fills the visible rows.
func BenchmarkScrollVisibleRows(b *testing.B) {
	a := test.NewTempApp(b)
	w := NewWindow(b.Context(), a, viewmodel.HARAnalyzer{}, Options{})
	w.win.Resize(fyne.NewSize(1280, 800))
	rs := syntheticRows(200000)
	w.overview.setRows(rs)
	w.rows = rs.Rows
	w.overview.filter = viewmodel.Filter{Kind: viewmodel.FilterAll}
	w.overview.refilter()
	w.body.Objects = []fyne.CanvasObject{w.overview.root}
	w.body.Refresh()
	w.win.Resize(fyne.NewSize(1280, 800))
	l := w.overview.list
	step := 0
	for b.Loop() {
		step = (step + 7919) % len(rs.Rows)
		l.ScrollTo(step)
	}
	b.ReportMetric(float64(l.Size().Height/w.overview.list.MinSize().Height), "rows-visible")
}

// writeSyntheticHAR writes a HAR with n entries to path.
func writeSyntheticHAR(t testing.TB, path string, n int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	bw := bufio.NewWriter(f)
	fmt.Fprint(bw, `{"log":{"version":"1.2","creator":{"name":"synthetic","version":"1"},"entries":[`)
	for i := 0; i < n; i++ {
		if i > 0 {
			bw.WriteString(",")
		}
		st := 200
		if i%50 == 7 {
			st = 401
		}
		fmt.Fprintf(bw, `{"startedDateTime":"2026-11-20T10:00:00.000Z","time":12,"request":{"method":"GET","url":"https://h%d.example.com/p/%d","httpVersion":"HTTP/1.1","cookies":[],"headers":[{"name":"Accept","value":"*/*"}],"queryString":[],"headersSize":-1,"bodySize":0},"response":{"status":%d,"statusText":"","httpVersion":"HTTP/1.1","cookies":[],"headers":[{"name":"Content-Type","value":"text/plain"}],"content":{"size":11,"mimeType":"text/plain","text":"hello world"},"redirectURL":"","headersSize":-1,"bodySize":11},"cache":{},"timings":{"send":1,"wait":10,"receive":1}}`, i%40, i, st)
	}
	bw.WriteString(`]}}`)
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
