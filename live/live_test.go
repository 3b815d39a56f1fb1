package live

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"authlens/har"
)

var testLog = har.Log{Version: "1.2", Creator: har.Creator{Name: "AuthLens", Version: "test"}}

// entry is exchange i: a request with a bearer token refused with 401
// when fail, else a 200.
func entry(i int, fail bool) *har.Entry {
	e := &har.Entry{
		Index: i, StartedDateTime: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC).Add(time.Duration(i) * time.Millisecond),
		Request: har.Request{Method: "GET", URL: fmt.Sprintf("https://api.example.test/items/%d?access_token=secret", i), HTTPVersion: "HTTP/1.1",
			Headers: []har.Header{{Name: "Host", Value: "api.example.test"}, {Name: "Authorization", Value: "Bearer abc.def.ghi"}}},
		Response: har.Response{Status: 200, StatusText: "OK", HTTPVersion: "HTTP/1.1", Content: har.Content{MimeType: "application/json"}},
	}
	if fail {
		e.Response.Status, e.Response.StatusText = 401, "Unauthorized"
		e.Response.Headers = []har.Header{{Name: "WWW-Authenticate", Value: `Bearer realm="api", error="invalid_token", error_description="The access token expired"`}}
	}
	return e
}

// updates collects what an analyzer delivers.
type updates struct {
	mu  sync.Mutex
	all []Update
}

func (u *updates) add(x Update) { u.mu.Lock(); u.all = append(u.all, x); u.mu.Unlock() }

func (u *updates) get() []Update {
	u.mu.Lock()
	defer u.mu.Unlock()
	return append([]Update(nil), u.all...)
}

func TestAnalyzerFeedsUpdatesInIndexOrder(t *testing.T) {
	var got updates
	a := Start(context.Background(), Options{Log: testLog, Path: "t.har.journal", Interval: 10 * time.Millisecond, OnUpdate: got.add})
	// Out of order, as concurrent proxy goroutines commit them; 2 waits
	// for 1; a repeated index is ignored.
	a.Add(entry(0, false))
	a.Add(entry(2, true))
	a.Add(entry(0, false))
	a.Add(entry(1, false))
	last := a.Close()
	if len(last.Entries) != 3 || last.Report == nil || last.Err != nil {
		t.Fatalf("last update: %d entries, report %v, err %v", len(last.Entries), last.Report != nil, last.Err)
	}
	for i, e := range last.Entries {
		if e.Index != i {
			t.Fatalf("entry %d has index %d", i, e.Index)
		}
	}
	all := got.get()
	if len(all) == 0 || all[len(all)-1].Seq != last.Seq || all[0].First != 0 {
		t.Fatalf("updates %+v", all)
	}
	// First chains: each update starts where the previous one ended.
	for k := 1; k < len(all); k++ {
		if all[k].First != len(all[k-1].Entries) {
			t.Errorf("update %d: First %d after %d entries", k, all[k].First, len(all[k-1].Entries))
		}
	}
	x, ok := last.Exchange(2)
	if !ok || !x.Problem || len(x.Diagnoses) == 0 {
		t.Fatalf("the 401 is not diagnosed: %+v %v", x, ok)
	}
	rows := Rows(last)
	if len(rows) != 3 || !rows[2].Problem || rows[2].Status != "401" || rows[2].Diagnosis == "" || rows[0].Diagnosis != "" {
		t.Errorf("rows %+v", rows)
	}
	lines := NewLines(Update{Entries: last.Entries, Report: last.Report})
	if len(lines) != 3 || !strings.Contains(lines[2], "→ "+x.Diagnoses[0].Cause) {
		t.Errorf("lines %q", lines)
	}
	for _, l := range lines {
		if strings.Contains(l, "secret") || strings.Contains(l, "abc.def") {
			t.Errorf("a live line shows a secret: %q", l)
		}
	}
	// After Close nothing more happens.
	a.Add(entry(3, false))
	if u := a.Close(); len(u.Entries) != 3 {
		t.Errorf("Close again: %d entries", len(u.Entries))
	}
}

func TestAnalyzerCoalescesABurst(t *testing.T) {
	var got updates
	a := Start(context.Background(), Options{Log: testLog, OnUpdate: got.add})
	const n = 10000
	start := time.Now()
	for i := range n {
		a.Add(entry(i, i%50 == 49))
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("adding %d entries took %v: Add must not analyse", n, d)
	}
	last := a.Close()
	all := got.get()
	if len(last.Entries) != n || last.Report == nil {
		t.Fatalf("last update: %d entries, err %v", len(last.Entries), last.Err)
	}
	// One analysis per MaxBatch new entries, plus the first one and the
	// last (Close): not one per entry.
	if want := n/DefaultMaxBatch + 2; len(all) > want {
		t.Errorf("%d analyses for a burst of %d entries; want at most %d", len(all), n, want)
	}
	problems := 0
	for _, r := range Rows(last) {
		if r.Problem {
			problems++
		}
	}
	if problems != n/50 {
		t.Errorf("%d failing rows, want %d", problems, n/50)
	}
	t.Logf("%d entries: %d analyses, %v in all", n, len(all), time.Since(start))
}

// An incremental analysis looks at the new entries and their origins'
// recent context only: as the capture grows, the entries analysed per
// update stay bounded by the new ones plus the context.
func TestIncrementalAnalysisCostDoesNotGrowWithTheCapture(t *testing.T) {
	const batches, perBatch, context = 30, 100, 20
	updatesC := make(chan Update, batches*perBatch)
	a := Start(t.Context(), Options{Log: testLog, Interval: 20 * time.Millisecond, Context: context, OnUpdate: func(u Update) { updatesC <- u }})
	defer a.Close()
	analysed, updates := 0, 0
	for b := range batches {
		for i := range perBatch {
			k := b*perBatch + i
			e := entry(k, k%25 == 24)
			if k%2 == 1 { // two origins
				e.Request.URL = strings.Replace(e.Request.URL, "api.example.test", "login.example.test", 1)
			}
			a.Add(e)
		}
		for u := range updatesC { // until this batch is analysed
			updates++
			analysed += u.Analysed
			added := len(u.Entries) - u.First
			// Each of the two origins brings at most its context.
			if u.Analysed < added || u.Analysed > added+2*context {
				t.Errorf("update %d: %d entries analysed for %d new (%d in the capture); want the new ones and at most %d more", u.Seq, u.Analysed, added, len(u.Entries), 2*context)
			}
			for _, e := range u.Entries[u.First:] {
				x, listed := u.Exchange(e.Index)
				if want := e.Response.Status == 401; listed != want || listed && x.Index != e.Index {
					t.Fatalf("update %d: entry %d (status %d) listed %v as exchange %d", u.Seq, e.Index, e.Response.Status, listed, x.Index)
				}
			}
			if len(u.Entries) == (b+1)*perBatch {
				break
			}
		}
	}
	n := batches * perBatch
	if analysed > n+updates*2*context {
		t.Errorf("%d entries analysed in %d updates for %d exchanges", analysed, updates, n)
	}
	t.Logf("%d exchanges: %d updates, %d entries analysed", n, updates, analysed)
}

func TestAddNeverWaitsForTheConsumer(t *testing.T) {
	release := make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a := Start(ctx, Options{Log: testLog, Interval: time.Millisecond, OnUpdate: func(Update) { <-release }})
	a.Add(entry(0, false))
	time.Sleep(50 * time.Millisecond) // the first update is now stuck in OnUpdate
	start := time.Now()
	for i := 1; i < 1000; i++ {
		a.Add(entry(i, false))
	}
	if d := time.Since(start); d > 500*time.Millisecond {
		t.Errorf("Add waited for a blocked consumer: %v", d)
	}
	close(release)
	if u := a.Close(); len(u.Entries) != 1000 {
		t.Errorf("last update has %d entries", len(u.Entries))
	}
}

func TestAnalyzerStopsWithItsContext(t *testing.T) {
	var got updates
	ctx, cancel := context.WithCancel(context.Background())
	a := Start(ctx, Options{Log: testLog, Interval: time.Hour, OnUpdate: got.add})
	a.Add(entry(0, true)) // analysed at once: no analysis before it
	deadline := time.Now().Add(10 * time.Second)
	for len(got.get()) == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	a.Add(entry(1, false)) // waits for the hour-long interval
	cancel()
	select {
	case <-a.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the analyzer did not stop when its context ended")
	}
	if u := a.Close(); len(u.Entries) != 1 {
		t.Errorf("after cancel, Close analysed again: %d entries", len(u.Entries))
	}
	if n := len(got.get()); n != 1 {
		t.Errorf("%d updates, want 1", n)
	}
	if _, err := a.Latest(context.Background()); err != nil {
		t.Errorf("Latest after stop: %v", err)
	}
}

func TestLatestCoversEverythingAdded(t *testing.T) {
	a := Start(context.Background(), Options{Log: testLog, Interval: time.Hour})
	defer a.Close()
	a.Add(entry(0, false))
	a.Add(entry(1, true))
	time.Sleep(20 * time.Millisecond)
	a.Add(entry(2, false)) // the interval holds this one back
	u, err := a.Latest(context.Background())
	if err != nil || len(u.Entries) != 3 || u.Report == nil {
		t.Fatalf("Latest: %d entries, %v", len(u.Entries), err)
	}
	again, _ := a.Latest(context.Background())
	if again.Seq != u.Seq {
		t.Errorf("Latest re-analysed with nothing new: seq %d then %d", u.Seq, again.Seq)
	}
}

func TestLiveLinesHideSecrets(t *testing.T) {
	for raw, want := range map[string]string{
		"https://alice:secret@site.test/a?token=abc": "https://site.test/a?…",
		"http://site.test/b#access_token=xyz":        "http://site.test/b?…",
		"http://site.test/plain":                     "http://site.test/plain",
	} {
		if got := displayURL(raw); got != want {
			t.Errorf("displayURL(%q) = %q, want %q", raw, got, want)
		}
	}
}

// TestForgetKeepsOnlyWhatTheNextAnalysisNeeds: with Forget the analyzer
// drops analysed exchanges (memory stays flat in a long capture); each
// update carries only its new exchanges, and every exchange still gets its
// line once, with its verdict.
func TestForgetKeepsOnlyWhatTheNextAnalysisNeeds(t *testing.T) {
	var got updates
	a := Start(t.Context(), Options{Log: testLog, Interval: time.Millisecond, MaxBatch: 100, Context: 10, Forget: true, OnUpdate: got.add})
	const n = 3000
	for i := range n {
		a.Add(entry(i, i%50 == 49))
		if i%500 == 499 {
			// Once the analyses have caught up, nothing analysed is held.
			deadline := time.Now().Add(10 * time.Second)
			for {
				last := a.Last()
				if n := len(last.Entries); n > 0 && last.Entries[n-1].Index == i || time.Now().After(deadline) {
					break
				}
				time.Sleep(time.Millisecond)
			}
			a.mu.Lock()
			held := len(a.entries)
			a.mu.Unlock()
			if held != 0 {
				t.Errorf("after %d exchanges, all analysed, the analyzer holds %d", i+1, held)
			}
		}
	}
	a.Close()
	lines, failing, next := 0, 0, 0
	for _, u := range got.get() {
		if u.First != 0 || len(u.Entries) > 100 {
			t.Errorf("update %d: First %d, %d entries; want only the new ones (at most a batch)", u.Seq, u.First, len(u.Entries))
		}
		for _, l := range NewLines(u) {
			if !strings.HasPrefix(l, fmt.Sprintf("#%-4d", next)) {
				t.Fatalf("line %q, want exchange #%d next", l, next)
			}
			next++
			lines++
			if strings.Contains(l, "→") {
				failing++
			}
		}
	}
	if lines != n || failing != n/50 {
		t.Errorf("%d lines, %d with a diagnosis; want %d and %d", lines, failing, n, n/50)
	}
	a.mu.Lock()
	held := len(a.entries)
	a.mu.Unlock()
	if held != 0 {
		t.Errorf("after Close the analyzer holds %d exchanges", held)
	}
}
