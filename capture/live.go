package capture

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"authlens/analysis"
	"authlens/analysis/rules"
	"authlens/analysis/trace"
	"authlens/har"
)

// Update is the live analysis after new exchanges were journaled.
type Update struct {
	// Entries are all exchanges recorded so far (shared, read-only).
	Entries []*har.Entry
	// First is the index of the first entry new since the last update.
	First int
	// Report is the analysis of all Entries; nil when it failed (Err).
	Report *analysis.Report
	Trace  *trace.Trace
	Err    error
}

// Exchange returns the report's exchange for entry i, if the analysis
// lists it (401/403 or flagged by a rule).
func (u Update) Exchange(i int) (analysis.Exchange, bool) {
	if u.Report == nil {
		return analysis.Exchange{}, false
	}
	for _, x := range u.Report.Exchanges {
		if x.Index == i {
			return x, true
		}
	}
	return analysis.Exchange{}, false
}

// liveAnalyzer re-analyses the growing trace on its own goroutine. Wakes
// coalesce, so under load one analysis covers many new exchanges.
type liveAnalyzer struct {
	p        *Proxy
	onUpdate func(Update)
	wakeC    chan struct{}
	quit     chan struct{}
	done     chan struct{}
	stopOnce sync.Once
	seen     int
}

// minAnalysisInterval keeps a burst of exchanges from re-running the whole
// analysis for each one.
const minAnalysisInterval = 250 * time.Millisecond

func newLiveAnalyzer(p *Proxy, onUpdate func(Update)) *liveAnalyzer {
	a := &liveAnalyzer{p: p, onUpdate: onUpdate, wakeC: make(chan struct{}, 1), quit: make(chan struct{}), done: make(chan struct{})}
	go a.run()
	return a
}

func (a *liveAnalyzer) wake() {
	select {
	case a.wakeC <- struct{}{}:
	default:
	}
}

// stop runs a last analysis of everything recorded, then ends.
func (a *liveAnalyzer) stop() {
	a.stopOnce.Do(func() { close(a.quit) })
	<-a.done
}

func (a *liveAnalyzer) run() {
	defer close(a.done)
	var last time.Time
	var took time.Duration
	for {
		select {
		case <-a.wakeC:
		case <-a.quit:
			a.analyse()
			return
		}
		// Wait at least three times as long as the last analysis took, so
		// a long capture's growing re-analysis never takes more than a
		// quarter of a core from the proxy.
		if wait := max(minAnalysisInterval, 3*took) - time.Since(last); wait > 0 {
			select {
			case <-time.After(wait):
			case <-a.quit:
				a.analyse()
				return
			}
		}
		last = time.Now()
		a.analyse()
		took = time.Since(last)
	}
}

func (a *liveAnalyzer) analyse() {
	entries := a.p.Entries()
	if len(entries) == a.seen || a.onUpdate == nil {
		return
	}
	u := Update{Entries: entries, First: a.seen}
	a.seen = len(entries)
	u.Trace, u.Report, u.Err = analyse(a.p.log, a.p.JournalPath(), entries)
	a.onUpdate(u)
}

// analyse runs the analysis over the captured entries; a panic in the
// indexing becomes an error, so the capture goes on.
func analyse(log har.Log, path string, entries []*har.Entry) (t *trace.Trace, rep *analysis.Report, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("live analysis failed: %v", v)
		}
	}()
	t = trace.New(analysis.SourceInfo{Path: path, Format: "capture", Entries: len(entries)}, log, entries, nil)
	rep, err = analysis.Analyze(context.Background(), t, rules.All())
	if err != nil {
		return t, rep, fmt.Errorf("live analysis: %w", err)
	}
	return t, rep, nil
}

// Summary is the one-line description of entry e with its top diagnosis
// (secrets are never part of it: no header values, no query string).
func Summary(e *har.Entry, x *analysis.Exchange) string {
	u := displayURL(e.Request.URL)
	status := fmt.Sprintf("%d", e.Response.Status)
	if e.Failed() && e.Response.Status > 0 {
		status += "!"
	}
	line := fmt.Sprintf("#%-4d %s %-7s %s %s", e.Index, e.StartedDateTime.Format("15:04:05"), e.Request.Method, status, u)
	if x == nil {
		return line
	}
	switch {
	case !x.Problem:
		line += "  (normal challenge leg)"
	case len(x.Diagnoses) > 0:
		d := x.Diagnoses[0]
		line += fmt.Sprintf("  → %s (%.2f)", d.Cause, d.Confidence)
		if len(x.Diagnoses) > 1 {
			line += fmt.Sprintf(" +%d more", len(x.Diagnoses)-1)
		}
	default:
		line += "  → no cause identified yet"
	}
	return line
}

// Row is one exchange as the live table shows it (no header values, no
// query strings: nothing secret).
type Row struct {
	Index     int
	Time      string // HH:MM:SS
	Method    string
	Status    string // "401", "502!" when the proxy could not reach the server
	URL       string
	Diagnosis string // top cause and confidence, "normal challenge leg", or ""
	Problem   bool   // a 401/403 (or flagged exchange) that is not a normal leg
}

// Rows turns an update into table rows, in entry order.
func Rows(u Update) []Row {
	byIndex := map[int]*analysis.Exchange{}
	if u.Report != nil {
		for k := range u.Report.Exchanges {
			byIndex[u.Report.Exchanges[k].Index] = &u.Report.Exchanges[k]
		}
	}
	rows := make([]Row, len(u.Entries))
	for i, e := range u.Entries {
		r := Row{Index: e.Index, Time: e.StartedDateTime.Format("15:04:05"), Method: e.Request.Method, URL: displayURL(e.Request.URL)}
		r.Status = fmt.Sprintf("%d", e.Response.Status)
		if e.Failed() && e.Response.Status > 0 {
			r.Status += "!"
		}
		if x := byIndex[e.Index]; x != nil {
			r.Problem = x.Problem
			switch {
			case !x.Problem:
				r.Diagnosis = "normal challenge leg"
			case len(x.Diagnoses) > 0:
				r.Diagnosis = fmt.Sprintf("%s (%.0f%%)", x.Diagnoses[0].Title, 100*x.Diagnoses[0].Confidence)
			default:
				r.Diagnosis = "no cause identified yet"
			}
		}
		rows[i] = r
	}
	return rows
}

// displayURL is a URL fit for a live line: no userinfo (a password), no
// query or fragment (tokens travel there).
func displayURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		if i := strings.IndexAny(raw, "?#"); i >= 0 {
			raw = raw[:i]
		}
		return raw
	}
	cut := u.RawQuery != "" || u.Fragment != ""
	u.User, u.RawQuery, u.Fragment, u.RawFragment, u.ForceQuery = nil, "", "", "", false
	if cut {
		return u.String() + "?…"
	}
	return u.String()
}
