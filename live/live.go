// Package live judges a running capture. authlens/capture only records;
// an Analyzer takes each exchange it records (Add only queues it) and
// analyses on its own goroutine, incrementally: at most once per Interval
// (a burst costs one analysis, not one per exchange) it analyses the new
// exchanges together with the recent exchanges of the origins they
// belong to (their context: the challenge, the sign-in, the cookies set
// just before), never the whole capture, so the cost of a new exchange
// does not depend on how many came before. Every result goes to its
// consumer: the command line's live lines and the app's Capture table,
// with the texts both show (Summary, Rows). The analysis of the whole
// capture is Latest's (a person's click) or the file's when it is opened.
package live

import (
	"context"
	"fmt"
	"slices"
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

// DefaultContext is how many recent exchanges of an origin an incremental
// analysis adds to that origin's new ones unless Options.Context says
// otherwise.
const DefaultContext = 64

// DefaultMaxBatch is the most new exchanges one incremental analysis
// takes unless Options.MaxBatch says otherwise; a larger backlog is
// analysed in several, one after another.
const DefaultMaxBatch = 256

// Options configure an Analyzer.
type Options struct {
	// Log is the trace's HAR header (capture.NewLog).
	Log har.Log
	// Path names the trace in reports (the capture's journal; may be "").
	Path string
	// Interval is the least time between two analyses while no backlog
	// waits; 0 means DefaultInterval.
	Interval time.Duration
	// Forget keeps only what the next analyses need (the exchanges not yet
	// analysed and each origin's recent ones), so memory stays flat however
	// long the capture runs: an update's Entries are then only its new
	// exchanges (First is 0), its verdicts only theirs, and Latest returns
	// Last (there is no whole capture to analyse). For the command line's
	// live lines.
	Forget bool
	// Context is how many recent exchanges of each origin with new
	// exchanges are analysed with them (0: DefaultContext); MaxBatch bounds
	// the new exchanges of one analysis (0: DefaultMaxBatch).
	Context, MaxBatch int
	// OnUpdate, when set, receives each analysis on the analyzer's
	// goroutine, one at a time. A slow OnUpdate delays the next analysis,
	// never the capture. UI code must hand its work to the UI goroutine.
	OnUpdate func(Update)
	// Bodies reads the bodies a capture left in its journal
	// (Content.Ref): the capture's Proxy.Body, usually through a
	// LateBodies set once the proxy runs. nil: bodies are inline.
	Bodies trace.BodyReader
}

// Update is one analysis: of the new exchanges with their context (what
// OnUpdate receives), or of the whole capture (Latest).
type Update struct {
	// Entries are every exchange recorded so far, in Index order (shared,
	// read-only); Entries[First:] are new since the last update.
	Entries []*har.Entry
	First   int
	// Seq counts the analyses: 1 for the first update.
	Seq int
	// Analysed is how many exchanges this analysis looked at: the new ones
	// and their context, not the whole capture (unless Whole).
	Analysed int
	// Whole says the analysis covered every entry (Latest).
	Whole bool
	// Report is the analysis of the exchanges looked at, its
	// Exchange.Index the entries' Index; nil when it failed (Err). Trace
	// is the trace analysed, set only for a Whole analysis (whose
	// positions are the Indexes).
	Trace  *trace.Trace
	Report *analysis.Report
	Err    error

	verdicts *verdicts // every exchange an analysis listed so far (read-only)
}

// Exchange returns the latest analysis's exchange for entry i, if one
// lists it (401/403 or flagged by a rule).
func (u Update) Exchange(i int) (analysis.Exchange, bool) {
	if u.verdicts != nil {
		if x := u.verdicts.get(i); x != nil {
			return *x, true
		}
		return analysis.Exchange{}, false
	}
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

// Complete returns u as a Whole analysis: u itself when it is one, else
// an analysis of every entry it holds, run now (for a person's click on a
// row: the analysis views need the whole trace, which incremental updates
// do not keep). bodies reads the bodies left out of the entries, or nil.
func (u Update) Complete(ctx context.Context, bodies trace.BodyReader) Update {
	if u.Whole || len(u.Entries) == 0 {
		return u
	}
	w := Update{Entries: u.Entries, First: len(u.Entries), Seq: u.Seq, Analysed: len(u.Entries), Whole: true}
	w.Trace, w.Report, w.Err = judge(ctx, har.Log{}, "", u.Entries, bodies)
	return w
}

// Analyzer re-analyses a growing trace off its feeders' goroutines.
type Analyzer struct {
	opts   Options
	wake   chan struct{} // capacity 1: wakes coalesce
	flush  chan chan Update
	closeC chan struct{}
	done   chan struct{}
	once   sync.Once
	// closeCtx bounds the last analyses (set before closeC is closed)
	closeCtx context.Context

	mu      sync.Mutex
	base    int                // Index of entries[0] (0 unless Forget)
	entries []*har.Entry       // contiguous from Index base
	pending map[int]*har.Entry // arrived before an entry with a lower Index
	last    Update
	whole   Update // the last analysis of everything (Latest)

	// owned by the run goroutine
	seen, seq int
	recent    map[string][]*har.Entry // per origin, its last Context entries analysed
	verdicts  *verdicts
}

// Start starts an analyzer. It stops when ctx is done (at once, with no
// further update) or on Close (after a last analysis).
func Start(ctx context.Context, opts Options) *Analyzer {
	if opts.Interval <= 0 {
		opts.Interval = DefaultInterval
	}
	if opts.Context <= 0 {
		opts.Context = DefaultContext
	}
	if opts.MaxBatch <= 0 {
		opts.MaxBatch = DefaultMaxBatch
	}
	a := &Analyzer{
		opts: opts, wake: make(chan struct{}, 1), flush: make(chan chan Update),
		closeC: make(chan struct{}), done: make(chan struct{}), pending: map[int]*har.Entry{},
		recent: map[string][]*har.Entry{}, verdicts: &verdicts{},
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
	switch n := a.base + len(a.entries); {
	case e.Index == n:
		a.entries = append(a.entries, e)
		for next, ok := a.pending[a.base+len(a.entries)]; ok; next, ok = a.pending[a.base+len(a.entries)] {
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

// Latest returns an analysis of every entry added so far (Whole): the
// last one when nothing was added since, else one run now on the
// analyzer's goroutine (for a person's click, not a burst: it costs the
// whole capture). Once the analyzer has stopped it returns the last
// whole analysis, or Last when there was none.
func (a *Analyzer) Latest(ctx context.Context) (Update, error) {
	if a.opts.Forget {
		return a.Last(), nil
	}
	a.mu.Lock()
	u, current := a.whole, a.whole.Whole && len(a.whole.Entries) == len(a.entries)
	a.mu.Unlock()
	if current {
		return u, nil
	}
	reply := make(chan Update, 1)
	select {
	case a.flush <- reply:
	case <-a.done:
		a.mu.Lock()
		defer a.mu.Unlock()
		if a.whole.Whole {
			return a.whole, nil
		}
		return a.last, nil
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

// Close analyses what was added since the last update (incrementally, as
// ever), delivers it, stops the analyzer and returns the last update.
// Call it after the capture has stopped, so no entry is added later. It
// returns at once if Start's ctx ended first.
func (a *Analyzer) Close() Update {
	return a.CloseContext(context.Background())
}

// CloseContext is Close whose last analyses give up when ctx ends (the
// exchanges not analysed then get no live verdict: the file's analysis
// covers them).
func (a *Analyzer) CloseContext(ctx context.Context) Update {
	a.once.Do(func() {
		a.closeCtx = ctx
		close(a.closeC)
	})
	<-a.done
	return a.Last()
}

// Done is closed when the analyzer has stopped.
func (a *Analyzer) Done() <-chan struct{} { return a.done }

func (a *Analyzer) run(ctx context.Context) {
	defer close(a.done)
	var last time.Time
	for {
		backlog := a.backlog()
		if !backlog {
			select {
			case <-ctx.Done():
				return
			case <-a.closeC:
				a.finish(ctx)
				return
			case reply := <-a.flush:
				a.analyseWhole(ctx)
				reply <- a.wholeUpdate()
				continue
			case <-a.wake:
			}
		}
		// A backlog (more than one batch arrived) is worked off at once:
		// the lines must not fall behind the traffic.
		if wait := a.opts.Interval - time.Since(last); wait > 0 && !backlog {
			timer := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				timer.Stop()
				return
			case <-a.closeC:
				timer.Stop()
				a.finish(ctx)
				return
			case reply := <-a.flush:
				timer.Stop()
				a.analyseWhole(ctx)
				reply <- a.wholeUpdate()
				continue // the wake it answered is spent
			case <-timer.C:
			}
		}
		last = time.Now()
		a.analyse(ctx)
	}
}

// backlog reports whether more than one batch of entries waits.
func (a *Analyzer) backlog() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.base+len(a.entries)-a.seen > a.opts.MaxBatch
}

// finish analyses what is left, batch by batch, until CloseContext's ctx
// ends.
func (a *Analyzer) finish(ctx context.Context) {
	cctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	if a.closeCtx != nil {
		stop := context.AfterFunc(a.closeCtx, cancel)
		defer stop()
	}
	for cctx.Err() == nil && a.analyse(cctx) {
	}
}

// analyse analyses the next batch of new entries with their origins'
// recent entries, if any entry is new, and delivers the update (unless
// ctx ended meanwhile). It reports whether it analysed anything.
func (a *Analyzer) analyse(ctx context.Context) bool {
	a.mu.Lock()
	entries := a.entries[:len(a.entries):len(a.entries)]
	seen := a.seen - a.base // in entries
	a.mu.Unlock()
	if len(entries) == seen {
		return false
	}
	batch := entries[seen:min(len(entries), seen+a.opts.MaxBatch)]
	window := a.window(batch)
	u := Update{Entries: entries[:seen+len(batch)], First: a.seen, Seq: a.seq + 1, Analysed: len(window)}
	if a.opts.Forget {
		u.Entries, u.First = batch, 0
		a.verdicts = &verdicts{} // only the batch's verdicts are kept
	}
	_, rep, err := judge(ctx, a.opts.Log, a.opts.Path, window, a.opts.Bodies)
	if ctx.Err() != nil {
		return false
	}
	u.Err = err
	if rep != nil {
		// Positions in the window become the entries' Indexes.
		listed := make(map[int]*analysis.Exchange, len(rep.Exchanges))
		for k := range rep.Exchanges {
			x := &rep.Exchanges[k]
			if x.Index < 0 || x.Index >= len(window) {
				continue
			}
			x.Index = window[x.Index].Index
			listed[x.Index] = x
		}
		u.Report = rep
		a.verdicts = a.verdicts.with(window, listed)
	}
	u.verdicts = a.verdicts
	a.remember(batch)
	a.seen, a.seq = a.seen+len(batch), u.Seq
	a.mu.Lock()
	a.last = u
	if a.opts.Forget {
		a.forget(len(batch))
	}
	a.mu.Unlock()
	if a.opts.OnUpdate != nil {
		a.opts.OnUpdate(u)
	}
	return true
}

// forget drops the first n entries, analysed (Forget). a.mu is held.
func (a *Analyzer) forget(n int) {
	a.base += n
	a.entries = a.entries[n:]
	if cap(a.entries) > 2*len(a.entries)+1024 {
		// Copy rather than reslice, so the analysed entries can be freed.
		a.entries = append(make([]*har.Entry, 0, 2*len(a.entries)+64), a.entries...)
	}
}

// window is what an incremental analysis looks at: the batch and, for
// each origin in it, that origin's last Context entries before it, in
// Index order. Its size depends on the batch, not on the capture.
func (a *Analyzer) window(batch []*har.Entry) []*har.Entry {
	seen := map[string]bool{}
	var earlier []*har.Entry
	for _, e := range batch {
		o := har.OriginOf(e.Request.URL)
		if !seen[o] {
			seen[o] = true
			earlier = append(earlier, a.recent[o]...)
		}
	}
	slices.SortFunc(earlier, func(x, y *har.Entry) int { return x.Index - y.Index })
	return append(earlier, batch...)
}

// remember keeps the last Context entries of each origin of batch.
func (a *Analyzer) remember(batch []*har.Entry) {
	for _, e := range batch {
		o := har.OriginOf(e.Request.URL)
		r := append(a.recent[o], e)
		if len(r) > a.opts.Context {
			// Copy rather than reslice, so the dropped entries can be freed.
			r = append(make([]*har.Entry, 0, a.opts.Context+a.opts.Context/2), r[len(r)-a.opts.Context:]...)
		}
		a.recent[o] = r
	}
}

// analyseWhole analyses every entry added so far (Latest), unless nothing
// was added since the last whole analysis.
func (a *Analyzer) analyseWhole(ctx context.Context) {
	a.mu.Lock()
	entries := a.entries[:len(a.entries):len(a.entries)]
	current := a.whole.Whole && len(a.whole.Entries) == len(entries)
	a.mu.Unlock()
	if current || len(entries) == 0 {
		return
	}
	u := Update{Entries: entries, First: len(entries), Seq: a.seq, Analysed: len(entries), Whole: true}
	u.Trace, u.Report, u.Err = judge(ctx, a.opts.Log, a.opts.Path, entries, a.opts.Bodies)
	if ctx.Err() != nil {
		return
	}
	a.mu.Lock()
	a.whole = u
	a.mu.Unlock()
}

// wholeUpdate is the last whole analysis, or the last update when there
// was none (nothing added yet).
func (a *Analyzer) wholeUpdate() Update {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.whole.Whole {
		return a.whole
	}
	return a.last
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

// verdicts holds the latest analysis's exchange of every entry an analysis
// listed, in chunks copied on write: an Update keeps a consistent,
// read-only view, and a new analysis copies only the chunks it changes.
type verdicts struct {
	chunks [][]*analysis.Exchange
}

const verdictChunk = 1024

func (v *verdicts) get(i int) *analysis.Exchange {
	c := i / verdictChunk
	if i < 0 || c >= len(v.chunks) || v.chunks[c] == nil {
		return nil
	}
	return v.chunks[c][i%verdictChunk]
}

// with returns v with the verdicts of window's entries replaced by listed
// (an entry of window not in listed has none any more).
func (v *verdicts) with(window []*har.Entry, listed map[int]*analysis.Exchange) *verdicts {
	out := &verdicts{chunks: slices.Clone(v.chunks)}
	copied := map[int]bool{}
	for _, e := range window {
		i := e.Index
		x := listed[i]
		c := i / verdictChunk
		if x == nil && (c >= len(out.chunks) || out.chunks[c] == nil || out.chunks[c][i%verdictChunk] == nil) {
			continue // nothing to clear
		}
		for c >= len(out.chunks) {
			out.chunks = append(out.chunks, nil)
		}
		if !copied[c] {
			chunk := make([]*analysis.Exchange, verdictChunk)
			if out.chunks[c] != nil {
				copy(chunk, out.chunks[c])
			}
			out.chunks[c], copied[c] = chunk, true
		}
		out.chunks[c][i%verdictChunk] = x
	}
	return out
}
