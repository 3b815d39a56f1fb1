package captureview

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"authlens/ui/internal/uitest"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"authlens/analysis"
	"authlens/analysis/trace"
	"authlens/capture"
	"authlens/har"
)

// What the tests read off a drawn object (ui/internal/uitest).
var (
	texts        = uitest.Texts
	containsText = uitest.ContainsText
	findButton   = uitest.FindButton
)

// uiQueue stands in for the UI goroutine on Fyne's test driver: work the
// view posts from its goroutines waits here until the test goroutine —
// the only one that touches widgets — runs it.
type uiQueue struct {
	mu    sync.Mutex
	posts []func()
}

// Do posts f; it never blocks, like fyne.Do.
func (q *uiQueue) Do(f func()) {
	q.mu.Lock()
	q.posts = append(q.posts, f)
	q.mu.Unlock()
}

// drain runs what has been posted, on the calling (test) goroutine.
func (q *uiQueue) drain() {
	for {
		q.mu.Lock()
		posts := q.posts
		q.posts = nil
		q.mu.Unlock()
		if len(posts) == 0 {
			return
		}
		for _, f := range posts {
			f()
		}
	}
}

// waitFor runs the posted UI work and polls cond until it holds.
func waitFor(t *testing.T, q *uiQueue, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for q.drain(); !cond(); q.drain() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func labelText(o fyne.CanvasObject, prefix string) string {
	for _, obj := range test.LaidOutObjects(o) {
		if l, ok := obj.(*widget.Label); ok && strings.HasPrefix(l.Text, prefix) {
			return l.Text
		}
	}
	return ""
}

// tableCell returns the text the live table shows in a cell, through the
// list's own item callbacks.
func tableCell(o fyne.CanvasObject, row, col int) string {
	for _, obj := range test.LaidOutObjects(o) {
		if l, ok := obj.(*widget.List); ok {
			if row >= l.Length() {
				return ""
			}
			item := l.CreateItem()
			l.UpdateItem(row, item)
			return item.(*fyne.Container).Objects[col].(*widget.Label).Text
		}
	}
	return ""
}

func TestCaptureViewRecordsRecoversAndHandsOver(t *testing.T) {
	a := test.NewTempApp(t)
	win := a.NewWindow("capture")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	capDir, caDir := t.TempDir(), filepath.Join(t.TempDir(), "ca")

	// A journal an earlier, crashed capture left behind.
	crashed := filepath.Join(capDir, "capture-crashed.har")
	j, err := capture.OpenJournal(crashed, har.Log{Version: "1.2", Creator: har.Creator{Name: "AuthLens", Version: "test"}})
	if err != nil {
		t.Fatal(err)
	}
	e := &har.Entry{StartedDateTime: time.Now(), Request: har.Request{Method: "GET", URL: "https://example.test/", HTTPVersion: "HTTP/1.1"},
		Response: har.Response{Status: 401, StatusText: "Unauthorized", HTTPVersion: "HTTP/1.1", Content: har.Content{MimeType: "text/plain"}}}
	if err := j.Append(e); err != nil {
		t.Fatal(err)
	}
	j.Abandon()

	var mu sync.Mutex
	var opened []string
	var shown []*har.Entry
	var shownReport *analysis.Report
	ui := &uiQueue{}
	content := New(win, Deps{
		Ctx: ctx, Do: ui.Do, CADir: caDir, CaptureDir: capDir, Prefs: a.Preferences(),
		OpenFile: func(p string) { mu.Lock(); opened = append(opened, p); mu.Unlock() },
		ShowAnalysis: func(name string, tr *trace.Trace, rep *analysis.Report) {
			mu.Lock()
			shown, shownReport = tr.Entries, rep
			mu.Unlock()
		},
	}).Root()
	win.SetContent(content)
	win.Resize(fyne.NewSize(1200, 800))

	if !containsText(content, "An unfinished capture was found: capture-crashed.har.journal") {
		t.Fatalf("no recovery offer; texts: %q", texts(content))
	}
	test.Tap(findButton(content, "Recover and open"))
	mu.Lock()
	if len(opened) != 1 || opened[0] != crashed {
		t.Fatalf("recovery opened %v, want %s", opened, crashed)
	}
	mu.Unlock()
	if _, err := os.Stat(crashed); err != nil {
		t.Fatalf("the recovered HAR is missing: %v", err)
	}
	if !containsText(content, "SHA-256") {
		t.Errorf("the CA section shows no fingerprint")
	}

	// Start on a free loopback port and send a request through it.
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="api"`)
		w.WriteHeader(http.StatusUnauthorized)
	}))
	defer origin.Close()
	for _, obj := range test.LaidOutObjects(content) {
		if en, ok := obj.(*widget.Entry); ok && en.Text == capture.DefaultListen {
			en.SetText("127.0.0.1:0")
		}
	}
	test.Tap(findButton(content, "Start capture"))
	status := labelText(content, "Capturing on ")
	m := regexp.MustCompile(`Capturing on (127\.0\.0\.1:\d+)`).FindStringSubmatch(status)
	if m == nil {
		t.Fatalf("status after start: %q", labelText(content, ""))
	}
	proxyURL, _ := url.Parse("http://" + m[1])
	client := &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(proxyURL)}}
	res, err := client.Get(origin.URL + "/api/me")
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	waitFor(t, ui, "the exchange in the live table", func() bool {
		return tableCell(content, 0, 4) == origin.URL+"/api/me" && tableCell(content, 0, 3) == "401"
	})
	if d := tableCell(content, 0, 5); d == "" {
		t.Error("the live table shows no diagnosis for the 401")
	} else {
		t.Logf("live diagnosis cell: %q", d)
	}
	waitFor(t, ui, "the count of failing exchanges", func() bool { return labelText(content, "1 exchanges, 1 failing") != "" })

	// The analysis views get the live analysis's report, not a new one.
	test.Tap(findButton(content, "Analyse this capture"))
	waitFor(t, ui, "the hand-over to the analysis views", func() bool { mu.Lock(); defer mu.Unlock(); return shown != nil })
	mu.Lock()
	if len(shown) != 1 || shown[0].Response.Status != 401 || shownReport == nil || len(shownReport.Exchanges) != 1 {
		t.Errorf("handed %d entries to the analysis views", len(shown))
	}
	shown = nil
	mu.Unlock()

	test.Tap(findButton(content, "Stop capture"))
	waitFor(t, ui, "the stop", func() bool { return labelText(content, "Stopped. 1 exchanges saved to ") != "" })
	saved := strings.TrimSuffix(strings.TrimPrefix(labelText(content, "Stopped."), "Stopped. 1 exchanges saved to "), ".")
	if _, err := os.Stat(saved); err != nil || filepath.Dir(saved) != capDir {
		t.Fatalf("saved HAR %q: %v", saved, err)
	}
	test.Tap(findButton(content, "Analyse this capture"))
	waitFor(t, ui, "the hand-over after the stop", func() bool { mu.Lock(); defer mu.Unlock(); return len(shown) == 1 })

	test.Tap(findButton(content, "Open the saved HAR"))
	mu.Lock()
	if opened[len(opened)-1] != saved {
		t.Errorf("Open the saved HAR opened %q", opened[len(opened)-1])
	}
	mu.Unlock()
}

// TestCaptureViewNamesTheWrongSetting: the form's settings go through the
// same parser as the command line's flags, and a refusal names the field
// with the form's label.
func TestCaptureViewNamesTheWrongSetting(t *testing.T) {
	a := test.NewTempApp(t)
	win := a.NewWindow("capture")
	ui := &uiQueue{}
	capDir := t.TempDir()
	content := New(win, Deps{Ctx: context.Background(), Do: ui.Do, CADir: filepath.Join(t.TempDir(), "ca"), CaptureDir: capDir}).Root()
	win.SetContent(content)
	win.Resize(fyne.NewSize(1200, 800))
	for _, c := range []struct{ listen, upstream, want string }{
		{"127.0.0.1:0", "proxy.example:3128", "Could not start: Upstream proxy: must look like http://host:port"},
		{"8080", "", "Could not start: Listen on: "},
	} {
		for _, obj := range test.LaidOutObjects(content) {
			if en, ok := obj.(*widget.Entry); ok {
				if en.PlaceHolder == "" {
					en.SetText(c.listen)
				} else {
					en.SetText(c.upstream)
				}
			}
		}
		test.Tap(findButton(content, "Start capture"))
		if got := labelText(content, "Could not start:"); !strings.HasPrefix(got, c.want) {
			t.Errorf("listen %q, upstream %q: status %q, want %q…", c.listen, c.upstream, got, c.want)
		}
	}
	if es, _ := os.ReadDir(capDir); len(es) != 0 {
		t.Errorf("a refused start left files: %v", es)
	}
}
