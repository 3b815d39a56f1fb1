package ui

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"authlens/ui/viewmodel"
)

// searchFor types q into the search box (on every request) and waits
// for the search, bodies included, to finish.
func searchFor(t *testing.T, w *Window, q string) []int {
	t.Helper()
	w.overview.setKind(viewmodel.FilterAll)
	w.overview.search.SetText("")
	test.Type(w.overview.search, q)
	w.overview.waitSearch()
	return visibleEntries(w)
}

func TestSearchFindsHeadersCookiesAndBodies(t *testing.T) {
	w := newTestWindow(t, Options{})
	openAndWait(t, w, supportHAR)
	for _, c := range []struct {
		query string
		want  []int
		info  string
	}{
		{"www-authenticate", []int{2, 4}, "2 exchanges match."},                  // a header name
		{"realm=\"orders\"", []int{2}, "1 exchange matches."},                    // a header value
		{"Date", []int{2}, "1 exchange matches."},                                // only one response carries Date
		{"session", []int{0, 1, 3}, "3 exchanges match."},                        // cookie name and Set-Cookie
		{"don't have permission", []int{3}, "1 exchange matches — 1 in bodies."}, // a response body
		{"upstream error", []int{6}, "1 exchange matches — 1 in bodies."},
	} {
		got := searchFor(t, w, c.query)
		if !slices.Equal(got, c.want) {
			t.Errorf("%q shows %v, want %v", c.query, got, c.want)
		}
		if info := w.overview.searchInfo.Text; !w.overview.searchInfo.Visible() || !strings.HasPrefix(info, c.info) {
			t.Errorf("%q: hit count %q, want %q", c.query, info, c.info)
		}
	}
}

func TestSearchForASecretShowsItMasked(t *testing.T) {
	w := newTestWindow(t, Options{})
	openAndWait(t, w, supportHAR)
	// The Basic credentials of #4, as the customer might quote them.
	if got := searchFor(t, w, "Ym9iOndyb25nLXBhc3N3b3Jk"); !slices.Equal(got, []int{4}) {
		t.Fatalf("the secret finds %v, want [4]", got)
	}
	w.overview.list.Select(0)
	info := w.overview.searchInfo.Text
	if !strings.Contains(info, "#4 matched in the request header: Authorization: Basic") {
		t.Errorf("no excerpt for the selected hit: %q", info)
	}
	if strings.Contains(info, "Ym9iOndyb25n") {
		t.Errorf("the excerpt shows the secret: %q", info)
	}
}

func TestSearchWithNoHitSaysSoOnOneLine(t *testing.T) {
	w := newTestWindow(t, Options{})
	w.win.Resize(fyne.NewSize(1024, 640))
	openAndWait(t, w, supportHAR)
	if got := searchFor(t, w, "no-such-thing-anywhere"); len(got) != 0 {
		t.Fatalf("shows %v", got)
	}
	w.win.Resize(fyne.NewSize(1024, 641)) // lay out again, as a frame would
	e := w.overview.empty
	if !e.Visible() || !strings.Contains(e.Text, "Nothing in this trace contains “no-such-thing-anywhere”") {
		t.Fatalf("empty state %q (visible %v)", e.Text, e.Visible())
	}
	// Drawn as wide as the pane, it takes a line or two, not a letter per line.
	if e.Size().Width < 300 || e.Size().Height > 3*e.MinSize().Height/float32(max(1, strings.Count(e.Text, "\n")+1))+80 {
		t.Errorf("empty state drawn %v", e.Size())
	}
	// Clearing the search shows every request again.
	w.overview.search.SetText("")
	w.overview.waitSearch()
	if got := visibleEntries(w); len(got) != 8 || w.overview.empty.Visible() || w.overview.searchInfo.Visible() {
		t.Errorf("after clearing: %v, empty %v", got, w.overview.empty.Visible())
	}
}

func TestFilterToggles(t *testing.T) {
	w := newTestWindow(t, Options{})
	openAndWait(t, w, supportHAR)
	ov := w.overview
	ov.setKind(viewmodel.FilterAll)
	test.Tap(ov.hasAuth)
	if got := visibleEntries(w); !slices.Equal(got, []int{2, 4}) {
		t.Errorf("Has Authorization shows %v", got)
	}
	test.Tap(ov.hasAuth)
	test.Tap(ov.hasCookies)
	if got := visibleEntries(w); !slices.Equal(got, []int{1, 3}) {
		t.Errorf("Has cookies shows %v", got)
	}
	test.Tap(ov.hasCookies)
	test.Tap(ov.crossSite) // #2 is sent from app.example.com's page to api.example.com: same site
	for _, i := range visibleEntries(w) {
		if !w.rows[i].CrossSite {
			t.Errorf("cross-site shows #%d", i)
		}
	}
	test.Tap(ov.crossSite)
	ov.types.SetSelected("image")
	if got := visibleEntries(w); !slices.Equal(got, []int{5}) {
		t.Errorf("type image shows %v", got)
	}
}

func TestHeaderTapSorts(t *testing.T) {
	w := newTestWindow(t, Options{})
	openAndWait(t, w, supportHAR)
	ov := w.overview
	ov.setKind(viewmodel.FilterAll)
	tapColumn := func(c int) {
		l := ov.header.row.labels[c]
		test.TapAt(ov.header, fyne.NewPos(l.Position().X+l.Size().Width/2, l.Size().Height/2))
	}
	tapColumn(viewmodel.ColStatus)
	if got := visibleEntries(w); !slices.Equal(got, []int{0, 1, 5, 2, 4, 3, 7, 6}) {
		t.Errorf("status ascending: %v", got)
	}
	if title := ov.header.row.labels[viewmodel.ColStatus].Text; title != "Status ↑" {
		t.Errorf("no arrow: %q", title)
	}
	tapColumn(viewmodel.ColStatus)
	if got := visibleEntries(w); !slices.Equal(got, []int{6, 7, 3, 2, 4, 0, 1, 5}) {
		t.Errorf("status descending (ties in file order): %v", got)
	}
	tapColumn(viewmodel.ColStatus)
	if got := visibleEntries(w); !slices.Equal(got, []int{0, 1, 2, 3, 4, 5, 6, 7}) || ov.header.row.labels[viewmodel.ColStatus].Text != "Status" {
		t.Errorf("third tap: %v", got)
	}
	tapColumn(viewmodel.ColHost)
	hosts := []string{}
	for _, i := range visibleEntries(w) {
		hosts = append(hosts, w.rows[i].Host)
	}
	if !slices.IsSorted(hosts) {
		t.Errorf("host order %v", hosts)
	}
	// The selection follows its row.
	ov.list.Select(0)
	sel := w.selected
	tapColumn(viewmodel.ColDuration)
	if w.selected != sel || ov.position(sel) < 0 {
		t.Errorf("selection lost after sorting")
	}
}

func TestTimelineMarksNeighboursAndOpensExchange(t *testing.T) {
	w := newTestWindow(t, Options{})
	openAndWait(t, w, supportHAR)
	ov := w.overview
	w.selectEntry(2)
	ov.tabs.SelectIndex(1)
	tl := ov.timeline
	if !slices.Equal(tl.Listed(), []int{0, 1, 2, 3, 4, 5, 6, 7}) {
		t.Errorf("around #2 lists %v", tl.Listed())
	}
	if !strings.Contains(tl.Caption(), "#2 and the 5 exchanges before and after it") {
		t.Errorf("caption %q", tl.Caption())
	}
	tl.ShowWhole()
	if len(tl.Listed()) != 8 || tl.Span().From != 0 {
		t.Errorf("whole trace: %v %+v", tl.Listed(), tl.Span())
	}
	tl.Tap(4)
	if w.selected != 4 || w.detail.entry != 4 {
		t.Errorf("tapping bar 4 opened %d (detail %d)", w.selected, w.detail.entry)
	}
	if !tl.Waterfall().Bars[4].Failure || tl.Waterfall().Bars[5].Failure {
		t.Error("failure marks")
	}
}

func TestCopyAsCurlMasksUnlessRevealed(t *testing.T) {
	w := newTestWindow(t, Options{})
	openAndWait(t, w, supportHAR)
	w.selectEntry(4)
	ov := w.overview
	if ov.curlBtn.Disabled() || ov.curlBtn.Text != "Copy #4 as cURL" {
		t.Fatalf("button %q disabled %v", ov.curlBtn.Text, ov.curlBtn.Disabled())
	}
	test.Tap(ov.curlBtn)
	clip := w.app.Clipboard().Content()
	if !strings.HasPrefix(clip, "curl https://intranet.example.com/reports/") || strings.Contains(clip, "Ym9iOndyb25nLXBhc3N3b3Jk") || !strings.Contains(clip, "Authorization: Basic") {
		t.Errorf("masked command:\n%s", clip)
	}
	test.Tap(ov.curlRevealBtn)
	if ov.revealDlg == nil {
		t.Fatal("no warning before revealing")
	}
	if got := w.app.Clipboard().Content(); got != clip {
		t.Fatal("copied before the warning was confirmed")
	}
	ok := findButton(w.win.Canvas().Overlays().Top(), "Copy with secrets")
	if ok == nil {
		t.Fatal("no confirm button on the warning")
	}
	test.Tap(ok)
	if got := w.app.Clipboard().Content(); !strings.Contains(got, "Ym9iOndyb25nLXBhc3N3b3Jk") {
		t.Errorf("revealed command lacks the credentials:\n%s", got)
	}
}

func TestCaptureRowOpensDetailAndDiagnosis(t *testing.T) {
	w := newTestWindow(t, Options{})
	openAndWait(t, w, supportHAR)
	entries := w.session.Entries()
	done := make(chan struct{})
	w.capture.Replay(entries, func() { close(done) })
	<-done
	if n := w.capture.RowCount(); n != len(entries) {
		t.Fatalf("live table has %d rows, want %d", n, len(entries))
	}
	w.tabs.SelectIndex(1)
	w.capture.SelectRow(3) // the 403: its whole analysis runs off the UI goroutine
	for deadline := time.Now().Add(15 * time.Second); w.detail.entry != 3; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("opening a live row did not switch to the analysis views")
		}
	}
	if !strings.HasPrefix(w.win.Title(), "Live capture") || w.tabs.SelectedIndex() != 0 || w.selected != 3 {
		t.Fatalf("title %q, selected %d, detail %d", w.win.Title(), w.selected, w.detail.entry)
	}
	if w.session.Exchange(3) == nil || !w.session.Failing(3) {
		t.Error("the opened row has no diagnosis")
	}
	// Another row of the same analysis reuses the session.
	s := w.session
	w.tabs.SelectIndex(1)
	w.capture.SelectRow(2)
	if w.session != s || w.selected != 2 {
		t.Errorf("second row: same session %v, selected %d", w.session == s, w.selected)
	}
}
