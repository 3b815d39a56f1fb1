// Package live judges a running capture. authlens/capture only records;
// an Analyzer takes each exchange it records (Add is cheap enough for the
// proxy's request path), re-analyses the growing trace on its own
// goroutine — at most once per Interval, so a burst of exchanges costs a
// few analyses rather than one each — and hands every result to its
// consumer: the command line's live lines and the app's Capture table,
// with the texts both show (Summary, Rows).
package live

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"authlens/analysis"
	"authlens/analysis/rules"
	"authlens/analysis/trace"
	"authlens/har"
	"authlens/report"
)

// DefaultInterval is the least time between two analyses unless
// Options.Interval says otherwise.
const DefaultInterval = 250 * time.Millisecond

// Options configure an Analyzer.
type Options struct {
	// Log is the trace's HAR header (capture.NewLog).
	Log har.Log
	// Path names the trace in reports (the capture's journal; may be "").
	Path string
	// Interval is the least time between two analyses; 0 means
	// DefaultInterval. The analyzer also waits three times as long as the
	// last analysis took, so re-analysing a long capture never takes more
	// than a quarter of a core.
	Interval time.Duration
	// OnUpdate, when set, receives each analysis on the analyzer's
	// goroutine, one at a time. A slow OnUpdate delays the next analysis,
	// never the capture. UI code must hand its work to the UI goroutine.
	OnUpdate func(Update)
	// Bodies reads the bodies a capture left in its journal
	// (Content.Ref): the capture's Proxy.Body, usually through a
	// LateBodies set once the proxy runs. nil: bodies are inline.
	Bodies trace.BodyReader
}

// Update is one analysis of everything recorded so far.
type Update struct {
	// Entries are the exchanges analysed, in Index order (shared,
	// read-only).
	Entries []*har.Entry
	// First is the index of the first entry new since the last update.
	First int
	// Seq counts the analyses: 1 for the first update.
	Seq int
	// Trace and Report are the analysis; Report is nil when it failed
	// (Err).
	Trace  *trace.Trace
	Report *analysis.Report
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

// Analyzer re-analyses a growing trace off its feeders' goroutines.
type Analyzer struct {
	opts   Options
	wake   chan struct{} // capacity 1: wakes coalesce
	flush  chan chan Update
	closeC chan struct{}
	done   chan struct{}
	once   sync.Once

	mu      sync.Mutex
	entries []*har.Entry       // contiguous from Index 0
	pending map[int]*har.Entry // arrived before an entry with a lower Index
	last    Update

	// owned by the run goroutine
	seen, seq int
}

// Start starts an analyzer. It stops when ctx is done (at once, with no
// further update) or on Close (after a last analysis).
func Start(ctx context.Context, opts Options) *Analyzer {
	if opts.Interval <= 0 {
		opts.Interval = DefaultInterval
	}
	a := &Analyzer{
		opts: opts, wake: make(chan struct{}, 1), flush: make(chan chan Update),
		closeC: make(chan struct{}), done: make(chan struct{}), pending: map[int]*har.Entry{},
	}
	go a.run(ctx)
	return a
}

// Add queues a recorded exchange for the next analysis. It never blocks
// and does no analysis, so it can be capture.Options.OnEntry. Entries
// must carry Index 0, 1, 2, … once each (as capture assigns them) but may
// arrive in any order: one waits until every lower Index has arrived. A
// repeated Index is ignored.
func (a *Analyzer) Add(e *har.Entry) {
	a.mu.Lock()
	switch n := len(a.entries); {
	case e.Index == n:
		a.entries = append(a.entries, e)
		for next, ok := a.pending[len(a.entries)]; ok; next, ok = a.pending[len(a.entries)] {
			delete(a.pending, next.Index)
			a.entries = append(a.entries, next)
		}
	case e.Index > n:
		a.pending[e.Index] = e
	}
	a.mu.Unlock()
	select {
	case a.wake <- struct{}{}:
	default:
	}
}

// Last returns the latest update (the zero Update before the first).
func (a *Analyzer) Last() Update {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.last
}

// Latest returns an update that covers every entry added so far: the last
// one when it does, else a new analysis run now on the analyzer's
// goroutine (the interval does not apply: this is for a person's click,
// not a burst). Once the analyzer has stopped it returns Last.
func (a *Analyzer) Latest(ctx context.Context) (Update, error) {
	a.mu.Lock()
	u, current := a.last, len(a.last.Entries) == len(a.entries)
	a.mu.Unlock()
	if current {
		return u, nil
	}
	reply := make(chan Update, 1)
	select {
	case a.flush <- reply:
	case <-a.done:
		return a.Last(), nil
	case <-ctx.Done():
		return Update{}, fmt.Errorf("waiting for the live analysis: %w", ctx.Err())
	}
	select {
	case u := <-reply:
		return u, nil
	case <-ctx.Done():
		return Update{}, fmt.Errorf("waiting for the live analysis: %w", ctx.Err())
	}
}

// Close runs a last analysis of everything added (when something is new),
// delivers it, stops the analyzer and returns the last update. Call it
// after the capture has stopped, so no entry is added later. It returns
// at once if ctx ended first.
func (a *Analyzer) Close() Update {
	a.once.Do(func() { close(a.closeC) })
	<-a.done
	return a.Last()
}

// Done is closed when the analyzer has stopped.
func (a *Analyzer) Done() <-chan struct{} { return a.done }

func (a *Analyzer) run(ctx context.Context) {
	defer close(a.done)
	var last time.Time
	var took time.Duration
	for {
		select {
		case <-ctx.Done():
			return
		case <-a.closeC:
			a.analyse(context.WithoutCancel(ctx))
			return
		case reply := <-a.flush:
			a.analyse(ctx)
			reply <- a.Last()
			continue
		case <-a.wake:
		}
		if wait := max(a.opts.Interval, 3*took) - time.Since(last); wait > 0 {
			timer := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				timer.Stop()
				return
			case <-a.closeC:
				timer.Stop()
				a.analyse(context.WithoutCancel(ctx))
				return
			case reply := <-a.flush:
				timer.Stop()
				a.analyse(ctx)
				reply <- a.Last()
				continue // the wake it answered is spent
			case <-timer.C:
			}
		}
		last = time.Now()
		a.analyse(ctx)
		took = time.Since(last)
	}
}

// analyse analyses every entry added so far, if any is new, and delivers
// the update (unless ctx ended meanwhile).
func (a *Analyzer) analyse(ctx context.Context) {
	a.mu.Lock()
	entries := a.entries[:len(a.entries):len(a.entries)]
	a.mu.Unlock()
	if len(entries) == a.seen {
		return
	}
	u := Update{Entries: entries, First: a.seen, Seq: a.seq + 1}
	u.Trace, u.Report, u.Err = judge(ctx, a.opts.Log, a.opts.Path, entries, a.opts.Bodies)
	if ctx.Err() != nil {
		return
	}
	a.seen, a.seq = len(entries), u.Seq
	a.mu.Lock()
	a.last = u
	a.mu.Unlock()
	if a.opts.OnUpdate != nil {
		a.opts.OnUpdate(u)
	}
}

// judge runs the analysis over captured entries (Index 0…n-1 in order).
// A panic in the rules becomes an error, so a capture goes on. It is the
// one place this package calls the analysis API.
func judge(ctx context.Context, log har.Log, path string, entries []*har.Entry, bodies trace.BodyReader) (t *trace.Trace, rep *analysis.Report, err error) {
	defer func() {
		if v := recover(); v != nil {
			t, rep, err = nil, nil, fmt.Errorf("live analysis failed: %v", v)
		}
	}()
	t = trace.New(analysis.SourceInfo{Path: path, Format: "capture", Entries: len(entries)}, log, entries, bodies)
	rep, err = analysis.Analyze(ctx, t, rules.All())
	if err != nil {
		return t, nil, fmt.Errorf("live analysis: %w", err)
	}
	return t, report.Masked(rep), nil
}

// LateBodies is a trace.BodyReader whose source is set after the
// analyzer starts (the capture proxy starts after its OnEntry exists).
// Until Set, or with nil, Body reads only inline bodies.
type LateBodies struct {
	r atomic.Pointer[trace.BodyReader]
}

// Set names the reader of the bodies.
func (l *LateBodies) Set(r trace.BodyReader) { l.r.Store(&r) }

// Body implements trace.BodyReader.
func (l *LateBodies) Body(c *har.Content) ([]byte, error) {
	if p := l.r.Load(); p != nil && *p != nil {
		return (*p).Body(c)
	}
	return c.InlineBytes()
}
