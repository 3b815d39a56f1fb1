package capture

// The writer goroutine: recording off the request path. A finished
// exchange is queued (a slice append under a mutex); one goroutine builds
// its HAR entry, appends it to the journal, writes each batch to the file
// at once and syncs at most every syncInterval or syncEntries entries
// (group commit), then hands the synced entries to Options.OnEntry in
// Index order. The client's response never waits for any of it.

import (
	"sync"
	"time"

	"authlens/har"
	"authlens/redact"
)

const (
	// syncInterval is the longest a written entry waits for its fsync: a
	// power cut loses at most this much of the capture (a killed process
	// loses nothing: written data is in the page cache).
	syncInterval = 50 * time.Millisecond
	// syncEntries syncs sooner when this many entries wait for it.
	syncEntries = 4096
)

// finished is an exchange waiting for the writer, with the instant its
// response ended, or an entry built already (a refusal).
type finished struct {
	x     *exchange
	end   time.Time
	entry *har.Entry
}

// writer records finished exchanges on its own goroutine.
type writer struct {
	p *Proxy

	mu        sync.Mutex
	caughtUp  *sync.Cond // broadcast when processed grows or the writer stops
	queue     []finished
	spare     []finished // the previous batch's slice, reused
	queued    uint64     // exchanges ever queued
	processed uint64     // exchanges the writer has written (or dropped)
	closing   bool
	stopped   bool

	wake      chan struct{} // capacity 1: wakes coalesce
	done      chan struct{}
	syncEvery time.Duration // syncInterval unless a test says otherwise

	// owned by the writer goroutine
	unsynced []*har.Entry // written, waiting for the fsync and OnEntry
	lastSync time.Time
}

func newWriter(p *Proxy) *writer {
	w := &writer{p: p, wake: make(chan struct{}, 1), done: make(chan struct{}), syncEvery: syncInterval, lastSync: time.Now()}
	if p.opts.syncInterval > 0 {
		w.syncEvery = p.opts.syncInterval
	}
	w.caughtUp = sync.NewCond(&w.mu)
	go w.run()
	return w
}

// enqueue hands a finished exchange to the writer. It never blocks on
// I/O. After close it drops the exchange (the capture has stopped).
func (w *writer) enqueue(f finished) {
	w.mu.Lock()
	if w.closing {
		w.mu.Unlock()
		if f.x != nil {
			f.x.release()
		}
		return
	}
	w.queue = append(w.queue, f)
	w.queued++
	w.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// wait returns once every exchange queued before the call is in the
// journal (or in memory without one).
func (w *writer) wait() {
	w.mu.Lock()
	defer w.mu.Unlock()
	target := w.queued
	for w.processed < target && !w.stopped {
		w.caughtUp.Wait()
	}
}

// close writes what is queued, syncs, delivers the last entries and stops
// the goroutine. Exchanges finishing later are dropped.
func (w *writer) close() {
	w.mu.Lock()
	w.closing = true
	w.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default:
	}
	<-w.done
}

func (w *writer) run() {
	defer close(w.done)
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		w.mu.Lock()
		closing := w.closing
		w.mu.Unlock()
		if !closing { // once closing, drain without waiting for wakes
			select {
			case <-w.wake:
			case <-timer.C:
			}
		}
		w.mu.Lock()
		batch := w.queue
		w.queue = w.spare[:0]
		closing = w.closing
		w.mu.Unlock()

		w.record(batch)
		clear(batch) // let the exchanges go
		w.mu.Lock()
		w.spare = batch[:0]
		w.processed += uint64(len(batch))
		w.caughtUp.Broadcast()
		w.mu.Unlock()

		if closing {
			w.mu.Lock()
			rest := len(w.queue)
			w.mu.Unlock()
			if rest > 0 {
				continue // queued between the swap and closing: one more pass
			}
			w.sync()
			w.mu.Lock()
			w.stopped = true
			w.caughtUp.Broadcast()
			w.mu.Unlock()
			return
		}
		switch {
		case len(w.unsynced) == 0:
		case len(w.unsynced) >= syncEntries || time.Since(w.lastSync) >= w.syncEvery:
			w.sync()
		default:
			timer.Reset(w.syncEvery - time.Since(w.lastSync))
		}
	}
}

// record builds, admits and writes the entries of a batch, then flushes
// the journal's buffer once.
func (w *writer) record(batch []finished) {
	p := w.p
	for _, f := range batch {
		e := f.entry
		if f.x != nil {
			e = f.x.entry(f.end)
			f.x.release()
		}
		if p.journal == nil {
			p.mu.Lock()
			e.Index = len(p.mem)
			p.mem = append(p.mem, e)
			p.mu.Unlock()
			if p.opts.OnEntry != nil {
				p.opts.OnEntry(e)
			}
			continue
		}
		if !p.rec.admit(e) {
			continue // recording stopped (journal or disk limit); proxying goes on
		}
		kept, err := p.journal.write(e)
		if err != nil {
			p.opts.Logf("ERROR: could not journal %s %s: %v", e.Request.Method, redact.URL(e.Request.URL), err)
			continue
		}
		w.unsynced = append(w.unsynced, kept) // large bodies stay in the journal, not in memory
	}
	if p.journal != nil && len(batch) > 0 {
		if err := p.journal.flush(); err != nil {
			p.opts.Logf("ERROR: %v", err)
		}
	}
}

// sync makes the written entries durable and hands them to OnEntry.
func (w *writer) sync() {
	if len(w.unsynced) == 0 || w.p.journal == nil {
		return
	}
	if err := w.p.journal.sync(); err != nil {
		w.p.opts.Logf("ERROR: %v", err)
	}
	w.lastSync = time.Now()
	if on := w.p.opts.OnEntry; on != nil {
		for _, e := range w.unsynced {
			on(e)
		}
	}
	clear(w.unsynced)
	w.unsynced = w.unsynced[:0]
}
