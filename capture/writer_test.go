package capture

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"authlens/har"
)

// TestJournalWrittenButNotSyncedSurvivesAKill: the journal's group commit
// holds the fsync back (here for an hour), never the write. Every exchange
// the writer goroutine has handled is in the file — the page cache, which
// a killed process (kill -9: no close, no sync) leaves to the kernel — so
// recovering the journal as the file stands loses nothing. OnEntry only
// sees synced entries.
func TestJournalWrittenButNotSyncedSurvivesAKill(t *testing.T) {
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("i") == "7" {
			w.WriteHeader(http.StatusUnauthorized)
		}
		io.WriteString(w, "body of "+r.URL.RawQuery)
	}))
	defer origin.Close()
	out := filepath.Join(t.TempDir(), "killed.har")
	var delivered atomic.Int64
	p, _ := startProxy(t, Options{Out: out, syncInterval: time.Hour, OnEntry: func(*har.Entry) { delivered.Add(1) }})
	pu, _ := url.Parse("http://" + p.Addr().String())
	client := &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(pu)}}
	const n = 200
	for i := range n {
		res, err := client.Get(fmt.Sprintf("%s/item?i=%d", origin.URL, i))
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
	}
	if got := len(p.Entries()); got != n { // waits for the writer, not for a sync
		t.Fatalf("%d entries written, want %d", got, n)
	}
	if d := len(p.journal.Durable()); d != 0 {
		t.Fatalf("%d entries synced although the group commit waits an hour", d)
	}
	if d := delivered.Load(); d != 0 {
		t.Errorf("OnEntry saw %d entries before they were synced", d)
	}

	// What a kill -9 leaves: the file as the kernel has it now.
	raw, err := os.ReadFile(JournalPath(out))
	if err != nil {
		t.Fatal(err)
	}
	crashed := filepath.Join(t.TempDir(), "crashed.har"+JournalSuffix)
	if err := os.WriteFile(crashed, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	res, err := Recover(context.Background(), crashed)
	if err != nil {
		t.Fatal(err)
	}
	tr := loadHAR(t, res.Path)
	if len(tr.Entries) != n {
		t.Fatalf("recovered %d entries, want %d", len(tr.Entries), n)
	}
	for i, e := range tr.Entries {
		want := http.StatusOK
		if i == 7 {
			want = http.StatusUnauthorized
		}
		if e.Request.URL != fmt.Sprintf("%s/item?i=%d", origin.URL, i) || e.Response.Status != want {
			t.Errorf("recovered entry %d: %s %d", i, e.Request.URL, e.Response.Status)
		}
	}
}

// TestJournalOnlyKeepsNoEntriesInMemory: with JournalOnly the proxy holds
// no recorded exchange once journaled (memory stays flat in a long
// capture); Entries reads them back from the journal, with large bodies
// still readable through Body.
func TestJournalOnlyKeepsNoEntriesInMemory(t *testing.T) {
	large := strings.Repeat("0123456789abcdef", 4<<10) // 64 KiB: left in the file
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("i") == "3" {
			io.WriteString(w, large)
			return
		}
		io.WriteString(w, "small "+r.URL.RawQuery)
	}))
	defer origin.Close()
	out := filepath.Join(t.TempDir(), "flat.har")
	var delivered atomic.Int64
	p, stop := startProxy(t, Options{Out: out, JournalOnly: true, OnEntry: func(*har.Entry) { delivered.Add(1) }})
	pu, _ := url.Parse("http://" + p.Addr().String())
	client := &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(pu)}}
	const n = 50
	for i := range n {
		res, err := client.Get(fmt.Sprintf("%s/item?i=%d", origin.URL, i))
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
	}
	if got := p.Recorded(); got != n {
		t.Fatalf("Recorded() = %d, want %d", got, n)
	}
	p.journal.mu.Lock()
	held := len(p.journal.entries)
	p.journal.mu.Unlock()
	if held != 0 {
		t.Errorf("the journal holds %d entries in memory", held)
	}
	es := p.Entries()
	if len(es) != n {
		t.Fatalf("Entries() read back %d entries, want %d", len(es), n)
	}
	for i, e := range es {
		if e.Index != i || e.Request.URL != fmt.Sprintf("%s/item?i=%d", origin.URL, i) {
			t.Errorf("entry %d: #%d %s", i, e.Index, e.Request.URL)
		}
	}
	if es[3].Response.Content.Ref == nil {
		t.Error("the large body was read into memory")
	}
	if body, err := p.Body(&es[3].Response.Content); err != nil || string(body) != large {
		t.Errorf("large body read back: %d bytes, %v", len(body), err)
	}
	stop()
	if d := delivered.Load(); d != n {
		t.Errorf("OnEntry saw %d entries, want %d", d, n)
	}
	if tr := loadHAR(t, out); len(tr.Entries) != n || tr.Damage != nil {
		t.Errorf("HAR: %d entries, damage %v", len(tr.Entries), tr.Damage)
	}
}
