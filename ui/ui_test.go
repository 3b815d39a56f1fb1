package ui

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"authlens/ui/internal/uitest"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"authlens/analysis"
	"authlens/har"
	"authlens/ui/viewmodel"
	"authlens/ui/widgets"
)

// What the tests read off a drawn object (ui/internal/uitest).
var (
	texts        = uitest.Texts
	containsText = uitest.ContainsText
	findButton   = uitest.FindButton
)

// newTestWindow builds the real window on Fyne's test driver, with the
// real analyzer.
func newTestWindow(t *testing.T, opts Options) *Window {
	t.Helper()
	// Each test keeps its own case files: a walkthrough one test saved
	// must not be restored in another that opens the same trace.
	if os.Getenv(viewmodel.EnvConfigDir) == testConfigBase { // unless the test chose one
		t.Setenv(viewmodel.EnvConfigDir, filepath.Join(testConfigBase, strings.NewReplacer("/", "_", " ", "_").Replace(t.Name())))
	}
	a := test.NewTempApp(t)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	w := NewWindow(ctx, a, viewmodel.HARAnalyzer{}, opts)
	w.win.Resize(fyne.NewSize(1280, 800))
	t.Cleanup(func() {
		if w.session != nil {
			w.session.Close()
		}
	})
	return w
}

// openAndWait opens path and waits for reading and analysis to finish.
func openAndWait(t *testing.T, w *Window, path string) {
	t.Helper()
	w.Open(viewmodel.Source{Path: path})
	w.WaitLoaded()
}

func problemIndexes(rep *analysis.Report) []int {
	var out []int
	for _, x := range rep.Exchanges {
		if x.Problem {
			out = append(out, x.Index)
		}
	}
	return out
}

func visibleEntries(w *Window) []int {
	var out []int
	for _, p := range w.overview.visible {
		out = append(out, w.rows[p].Index)
	}
	return out
}

const supportHAR = "testdata/support.har"

func TestOpenShowsOnlyAuthFailuresByDefault(t *testing.T) {
	w := newTestWindow(t, Options{})
	openAndWait(t, w, supportHAR)
	if w.session == nil {
		t.Fatal("no session after opening support.har")
	}
	if got := w.win.Title(); !strings.Contains(got, "support.har") {
		t.Errorf("title %q does not name the file", got)
	}
	if w.overview.filter.Kind != viewmodel.FilterAuthFailures {
		t.Errorf("default filter = %v, want auth failures", w.overview.filter.Kind)
	}
	want := problemIndexes(w.session.Report)
	if !slices.Equal(want, []int{2, 3, 4}) {
		t.Errorf("report problems = %v, want the 401, 403 and 401 at 2, 3, 4", want)
	}
	if got := visibleEntries(w); !slices.Equal(got, want) {
		t.Errorf("auth-failure filter shows %v, want exactly %v", got, want)
	}
	if w.overview.list.Length() != len(want) {
		t.Errorf("list length %d, want %d", w.overview.list.Length(), len(want))
	}
	// The summary strip counts the statuses.
	if h := w.overview.headline.Text; !strings.Contains(h, "8 requests") || !strings.Contains(h, "2 × 401") || !strings.Contains(h, "1 × 403") {
		t.Errorf("headline %q", h)
	}
	// Switching to All shows every entry; 5xx only the 500.
	w.overview.setKind(viewmodel.FilterAll)
	if got := len(visibleEntries(w)); got != 8 {
		t.Errorf("All shows %d entries, want 8", got)
	}
	w.overview.setKind(viewmodel.Filter5xx)
	if got := visibleEntries(w); !slices.Equal(got, []int{6}) {
		t.Errorf("5xx shows %v, want [6]", got)
	}
	test.Type(w.overview.search, "orders")
	w.overview.waitSearch()
	if got := visibleEntries(w); len(got) != 0 {
		t.Errorf("5xx + 'orders' shows %v, want none", got)
	}
	if !w.overview.empty.Visible() {
		t.Error("no 'nothing matches' message on an empty filter result")
	}
	w.overview.setKind(viewmodel.FilterAll)
	if got := visibleEntries(w); !slices.Equal(got, []int{2}) {
		t.Errorf("All + 'orders' shows %v, want [2]", got)
	}
	// Recent files remember the file.
	abs, _ := filepath.Abs(supportHAR)
	if r := w.recentFiles(); len(r) == 0 || r[0] != abs {
		t.Errorf("recent files = %v, want %s first", r, abs)
	}
}

// TestEntriesTableColumns checks the table's columns and that they fit:
// every column unclipped beside the detail pane at 1280 px, and at 1024 px
// at least everything up to Status before the table scrolls sideways.
func TestEntriesTableColumns(t *testing.T) {
	for _, size := range []fyne.Size{fyne.NewSize(1280, 800), fyne.NewSize(1024, 640)} {
		w := newTestWindow(t, Options{})
		w.win.Resize(size)
		openAndWait(t, w, supportHAR)
		h := w.overview.header.row
		var titles []string
		for _, l := range h.labels {
			titles = append(titles, l.Text)
		}
		if want := []string{"#", "Time", "Method", "Host", "Path", "Status", "Type", "Size", "Duration"}; !slices.Equal(titles, want) {
			t.Fatalf("columns %q, want %q", titles, want)
		}
		view := w.overview.table.Size().Width
		last := viewmodel.ColDuration
		if size.Width < 1280 {
			last = viewmodel.ColStatus
		}
		for c := 0; c <= last; c++ {
			l := h.labels[c]
			if l.Size().Width < l.MinSize().Width {
				t.Errorf("%v: column %q is %v wide, its title needs %v", size, l.Text, l.Size().Width, l.MinSize().Width)
			}
			if right := l.Position().X + l.Size().Width; right > view+1 {
				t.Errorf("%v: column %q ends at %v, past the visible %v", size, l.Text, right, view)
			}
		}
		// The detail pane keeps room for its tabs.
		if d := w.detail.root.Size().Width; d < detailPaneWidth-20 {
			t.Errorf("%v: detail pane %v wide, want about %v", size, d, detailPaneWidth)
		}
		r := w.rows[2]
		if r.Time == "" || r.Time == "—" || r.Type == "" || r.Duration == "" || r.Duration == "—" {
			t.Errorf("row #2 lacks time, type or duration: %+v", r)
		}
	}
}

func TestSelectingFailureShowsDiagnosis(t *testing.T) {
	w := newTestWindow(t, Options{})
	openAndWait(t, w, supportHAR)
	// The first failure is selected on open.
	if w.selected != 2 || w.detail.entry != 2 {
		t.Fatalf("selected %d / detail %d, want the first failure, 2", w.selected, w.detail.entry)
	}
	x := w.session.Exchange(2)
	summary := w.detail.items[viewmodel.TabSummary].Content
	if !containsText(summary, "401 — the site did not accept who you are") {
		t.Errorf("summary tab lacks the plain status: %q", texts(summary))
	}
	if !containsText(summary, x.Explanation[:40]) {
		t.Errorf("summary tab lacks the explanation %q", x.Explanation)
	}
	if len(x.Diagnoses) == 0 {
		t.Fatalf("no diagnosis for the expired JWT at entry 2: %+v", x)
	}
	if !containsText(summary, x.Diagnoses[0].Title) {
		t.Errorf("summary tab lacks the top cause %q: %q", x.Diagnoses[0].Title, texts(summary))
	}
	w.detail.openTab(viewmodel.TabCauses, "")
	causes := w.detail.items[viewmodel.TabCauses].Content
	for _, d := range x.Diagnoses {
		if !containsText(causes, d.Title) {
			t.Errorf("causes tab lacks %q", d.Title)
		}
	}
	// Arrow keys move the selection to the next failure (the 403).
	w.win.Canvas().Focus(w.overview.list)
	w.overview.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	w.detail.openTab(viewmodel.TabSummary, "")
	if w.selected != 3 {
		t.Errorf("after Down the selection is %d, want 3", w.selected)
	}
	if !containsText(w.detail.items[viewmodel.TabSummary].Content, "403 — the site refused") {
		t.Errorf("403 summary: %q", texts(w.detail.items[viewmodel.TabSummary].Content))
	}
	w.overview.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyUp})
	if w.selected != 2 {
		t.Errorf("after Up the selection is %d, want 2", w.selected)
	}
}

func TestRequestTabDecodesAndMasksUntilRevealed(t *testing.T) {
	w := newTestWindow(t, Options{})
	openAndWait(t, w, supportHAR)
	w.detail.openTab(viewmodel.TabRequest, "")
	req := w.detail.items[viewmodel.TabRequest].Content
	if !containsText(req, "expired 3 h before this request") {
		t.Errorf("decoded JWT expiry missing: %q", texts(req))
	}
	if !containsText(req, "Subject (who): alice@example.com") {
		t.Errorf("JWT subject missing")
	}
	auth, _ := findHeader(w, 2, "Authorization")
	token := strings.TrimPrefix(auth, "Bearer ")
	if containsText(req, token) {
		t.Fatal("the bearer token is shown before Reveal")
	}
	reveal := findButton(req, "Reveal secrets")
	if reveal == nil {
		t.Fatal("no Reveal button on a request with an Authorization header")
	}
	test.Tap(reveal)
	req = w.detail.items[viewmodel.TabRequest].Content
	if !containsText(req, token) {
		t.Error("Reveal did not show the token")
	}
	if w.detail.current() != viewmodel.TabRequest {
		t.Errorf("Reveal moved away from the Request tab to %q", w.detail.current())
	}
	// Selecting another entry masks again.
	w.selectEntry(4)
	w.detail.openTab(viewmodel.TabRequest, "")
	req = w.detail.items[viewmodel.TabRequest].Content
	if !containsText(req, "Username: bob") || containsText(req, "wrong-password") {
		t.Errorf("Basic decode / masking wrong: %q", texts(req))
	}
	w.detail.openTab(viewmodel.TabResponse, "")
	if resp := w.detail.items[viewmodel.TabResponse].Content; !containsText(resp, "The site asks for: Basic") || !containsText(resp, "realm = Reports") {
		t.Errorf("WWW-Authenticate not parsed: %q", texts(resp))
	}
}

func TestCookiesTabShowsTheCookieTimeline(t *testing.T) {
	w := newTestWindow(t, Options{})
	openAndWait(t, w, supportHAR)
	w.selectEntry(3) // the 403 that sent the session cookie set by entry 0
	w.detail.openTab(viewmodel.TabCookies, "")
	tab := w.detail.items[viewmodel.TabCookies].Content
	for _, want := range []string{"Cookie “session”", "set by the server, 3 s before this request", "sent by the browser, at this request"} {
		if !containsText(tab, want) {
			t.Errorf("cookies tab lacks %q: %q", want, texts(tab))
		}
	}
	if containsText(tab, "s3ss10nv4lu3") {
		t.Error("the cookie value is shown unmasked")
	}
	// The row buttons open the entry that set the cookie.
	btn := findButton(tab, "#0")
	if btn == nil {
		t.Fatal("no button for entry #0")
	}
	test.Tap(btn)
	if w.selected != 0 || w.detail.current() != viewmodel.TabCookies {
		t.Errorf("after #0: selected %d tab %q", w.selected, w.detail.current())
	}
}

func findHeader(w *Window, i int, name string) (string, bool) {
	for _, h := range w.session.Entries()[i].Request.Headers {
		if strings.EqualFold(h.Name, name) {
			return h.Value, true
		}
	}
	return "", false
}

func TestWalkthroughAdvancesThroughCausesAndKeepsNotes(t *testing.T) {
	w := newTestWindow(t, Options{})
	openAndWait(t, w, supportHAR)
	// The failure with the most causes makes the longest walk.
	best := -1
	for _, x := range w.session.Report.Exchanges {
		if x.Problem && (best < 0 || len(x.Diagnoses) > len(w.session.Exchange(best).Diagnoses)) {
			best = x.Index
		}
	}
	w.selectEntry(best)
	w.detail.openTab(viewmodel.TabGuide, "")
	x := w.session.Exchange(best)
	v := w.walkView
	if v == nil || v.wt.Exchange != x {
		t.Fatal("the guide tab did not draw the walkthrough of the selected exchange")
	}
	guide := w.detail.items[viewmodel.TabGuide].Content
	if !containsText(guide, "Step 1 — What happened") {
		t.Fatalf("step 1 missing: %q", texts(guide))
	}
	test.Type(v.notes, "Customer is on the VPN.")
	test.Tap(v.next)
	for k := range x.Diagnoses {
		if !containsText(guide, x.Diagnoses[k].Title) {
			t.Errorf("cause %d (%s) not shown: %q", k+1, x.Diagnoses[k].Title, texts(guide))
		}
		if v.wt.Stage != viewmodel.StageCause || v.wt.Cause != k {
			t.Fatalf("at cause %d: stage %v cause %d", k, v.wt.Stage, v.wt.Cause)
		}
		test.Tap(v.next) // to the remedy checklist
		if v.noHelp == nil {
			t.Fatalf("no 'Didn't help' button at cause %d", k)
		}
		test.Tap(v.noHelp)
	}
	if v.wt.Stage != viewmodel.StageDone {
		t.Fatalf("after every cause the stage is %v, want done", v.wt.Stage)
	}
	if len(v.wt.Attempts) != len(x.Diagnoses) {
		t.Errorf("%d attempts recorded, want %d", len(v.wt.Attempts), len(x.Diagnoses))
	}
	if !containsText(guide, "Customer is on the VPN.") {
		t.Error("the summary preview lacks the notes")
	}
	test.Tap(v.copyBtn)
	clip := w.app.Clipboard().Content()
	if !strings.Contains(clip, "Customer is on the VPN.") || !strings.Contains(clip, "Not resolved") {
		t.Errorf("clipboard summary:\n%s", clip)
	}
	test.Tap(v.saveBtn)
	if top := w.win.Canvas().Overlays().Top(); top == nil {
		t.Error("Save report… showed no dialog")
	} else {
		w.win.Canvas().Overlays().Remove(top)
	}
	// The walk is kept per exchange while the trace is open.
	w.selectEntry(3)
	w.selectEntry(best)
	if w.walkthrough(best).Notes != "Customer is on the VPN." {
		t.Error("notes lost after selecting another exchange")
	}
}

func TestEvidenceRowsJumpToEntryAndField(t *testing.T) {
	w := newTestWindow(t, Options{})
	openAndWait(t, w, supportHAR)
	// A jump to an entry the auth filter hides widens the filter.
	w.jumpToEvidence(analysis.Evidence{Entry: 0, Where: har.ResponseHeader("Set-Cookie")})
	if w.selected != 0 || w.detail.current() != viewmodel.TabResponse || w.detail.highlight != "Set-Cookie" {
		t.Errorf("jump: selected %d tab %q field %q", w.selected, w.detail.current(), w.detail.highlight)
	}
	if w.overview.position(0) < 0 {
		t.Error("the cited entry is not visible in the list")
	}
	// Real evidence rows from the analysis are buttons that do the same.
	var ev *analysis.Evidence
	for _, x := range w.session.Report.Exchanges {
		for _, d := range x.Diagnoses {
			if len(d.Evidence) > 0 {
				ev = &d.Evidence[0]
				break
			}
		}
		if ev != nil {
			w.selectEntry(x.Index)
			break
		}
	}
	if ev == nil {
		t.Fatal("no diagnosis with evidence in support.har")
	}
	w.detail.openTab(viewmodel.TabCauses, "")
	tab, field := viewmodel.EvidenceTarget(ev.Where)
	btn := findButton(w.detail.items[viewmodel.TabCauses].Content, "#"+strconv.Itoa(ev.Entry)+" "+tab)
	if btn == nil {
		t.Fatalf("no evidence button for %+v in %q", ev, texts(w.detail.items[viewmodel.TabCauses].Content))
	}
	test.Tap(btn)
	if w.selected != ev.Entry || w.detail.current() != tab || w.detail.highlight != field {
		t.Errorf("after tapping evidence %+v: selected %d tab %q field %q", ev, w.selected, w.detail.current(), w.detail.highlight)
	}
}

func TestTruncatedFileOpensWithWarningBar(t *testing.T) {
	w := newTestWindow(t, Options{})
	openAndWait(t, w, "testdata/truncated.har")
	if w.session == nil {
		t.Fatal("truncated file did not open")
	}
	if w.session.Damage == nil {
		t.Fatal("truncated file has no Damage")
	}
	if n := len(w.session.Entries()); n != 6 {
		t.Errorf("%d entries read, want the 6 complete ones", n)
	}
	if !containsText(w.banners, "This file is damaged") {
		t.Errorf("no warning bar: %q", texts(w.banners))
	}
}

func TestBadFileShowsErrorDialog(t *testing.T) {
	w := newTestWindow(t, Options{})
	openAndWait(t, w, "testdata/bad.har")
	if w.session != nil {
		t.Fatal("a session was opened from a file that is not a HAR")
	}
	top := w.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no error dialog")
	}
	if !containsText(top, "could not open bad.har") {
		t.Errorf("dialog title: %q", texts(top))
	}
	if !containsText(top, "This is not a HAR file") || !containsText(top, "What to do:") {
		t.Errorf("dialog does not say what to do: %q", texts(top))
	}
	if !containsText(w.body, "Open a HAR file") {
		t.Error("the start screen is not shown behind the error")
	}
	// A missing file is an error too, not a crash.
	openAndWait(t, w, filepath.Join(t.TempDir(), "missing.har"))
	if w.session != nil {
		t.Fatal("a session was opened from a missing file")
	}
	if top := w.win.Canvas().Overlays().Top(); !containsText(top, "does not exist") {
		t.Errorf("missing-file dialog: %q", texts(top))
	}
}

func TestFirstStartOpensDemoWithBanner(t *testing.T) {
	demo, err := os.ReadFile(supportHAR)
	if err != nil {
		t.Fatal(err)
	}
	w := newTestWindow(t, Options{Demo: demo})
	w.Start()
	w.WaitLoaded()
	if w.session == nil || !w.session.Source.Demo {
		t.Fatal("the demo trace did not open on first start")
	}
	if !containsText(w.banners, "This is a DEMO trace") || !containsText(w.banners, "File ▸ Open") || findButton(w.banners, "Open your own HAR") == nil {
		t.Errorf("demo banner: %q", texts(w.banners))
	}
	// Second start (same preferences): no demo, the start screen.
	w2 := NewWindow(context.Background(), w.app, viewmodel.HARAnalyzer{}, Options{Demo: demo})
	w2.Start()
	w2.WaitLoaded()
	if w2.session != nil {
		t.Error("the demo opened again on the second start")
	}
	// Opening a real file removes the banner.
	openAndWait(t, w, supportHAR)
	if containsText(w.banners, "DEMO") {
		t.Error("demo banner still shown for a real file")
	}
}

func TestShortcuts(t *testing.T) {
	w := newTestWindow(t, Options{})
	openAndWait(t, w, supportHAR)
	sc := w.win.Canvas().(fyne.Shortcutable)
	sc.TypedShortcut(shortcutFind)
	if w.win.Canvas().Focused() != w.overview.search {
		t.Errorf("Ctrl+F focused %T, want the search box", w.win.Canvas().Focused())
	}
	sc.TypedShortcut(shortcutClose)
	if w.session != nil || w.win.Title() != "AuthLens" {
		t.Errorf("Ctrl+W did not close the trace (title %q)", w.win.Title())
	}
	sc.TypedShortcut(shortcutOpen)
	if w.win.Canvas().Overlays().Top() == nil {
		t.Error("Ctrl+O showed no file dialog")
	}
}

// cancelOnFirstProgress is the real analyzer, with the person pressing
// Cancel as soon as the first progress report is shown. Cancel runs
// through fyne.Do like every UI action, so the test does not race with
// the loading goroutine.
type cancelOnFirstProgress struct {
	w    *Window
	seen bool
}

func (c *cancelOnFirstProgress) Load(ctx context.Context, src viewmodel.Source, progress func(har.Progress), onEntry func(*har.Entry)) (*viewmodel.Session, error) {
	return viewmodel.HARAnalyzer{}.Load(ctx, src, func(p har.Progress) {
		progress(p)
		if !c.seen {
			c.seen = true
			fyne.Do(c.w.cancelLoading)
		}
	}, onEntry)
}

func TestCancelLoading(t *testing.T) {
	big := filepath.Join(t.TempDir(), "big.har")
	writeSyntheticHAR(t, big, 60000)
	w := newTestWindow(t, Options{})
	c := &cancelOnFirstProgress{w: w}
	w.an = c
	w.Open(viewmodel.Source{Path: big})
	w.WaitLoaded()
	if !c.seen {
		t.Fatal("no progress was reported while reading 60,000 entries")
	}
	if w.session != nil {
		t.Fatal("a cancelled load still opened the trace")
	}
	if !containsText(w.body, "Open a HAR file") {
		t.Error("cancel did not return to the start screen")
	}
	if top := w.win.Canvas().Overlays().Top(); top != nil {
		t.Errorf("cancel showed a dialog: %q", texts(top))
	}
}

// TestScenarioHARs opens every recorded scenario trace and checks the
// auth-failure filter against the report.
func TestScenarioHARs(t *testing.T) {
	files, _ := filepath.Glob("../testdata/traces/*/*/trace.har")
	demo := "../assets/demo.har"
	if st, err := os.Stat(demo); err == nil && st.Size() > 200 {
		files = append(files, demo)
	}
	if len(files) == 0 {
		t.Skip("no recorded scenario HARs yet (testdata/traces/*/*/trace.har)")
	}
	for _, f := range files {
		t.Run(filepath.Base(filepath.Dir(f)), func(t *testing.T) {
			w := newTestWindow(t, Options{})
			openAndWait(t, w, f)
			if w.session == nil {
				t.Fatalf("%s did not open: %q", f, texts(w.win.Canvas().Overlays().Top()))
			}
			want := problemIndexes(w.session.Report)
			if len(want) > 0 {
				if got := visibleEntries(w); !slices.Equal(got, want) {
					t.Errorf("auth-failure filter shows %v, want %v", got, want)
				}
				if w.selected != want[0] {
					t.Errorf("selected %d, want the first failure %d", w.selected, want[0])
				}
			}
		})
	}
}

// TestPublicCorpusNeverCrashes opens every file of the public HAR corpus
// (and its malformed/ files) in one window: each either opens, with the
// detail tabs of its last entry drawn, or shows the error dialog.
func TestPublicCorpusNeverCrashes(t *testing.T) {
	dir := "../../shared/corpus/public"
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("public corpus not present at %s", dir)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.har*"))
	bad, _ := filepath.Glob(filepath.Join(dir, "malformed", "*"))
	files = append(files, bad...)
	if len(files) < 10 {
		t.Fatalf("only %d corpus files found in %s", len(files), dir)
	}
	w := newTestWindow(t, Options{})
	opened := 0
	for _, f := range files {
		openAndWait(t, w, f)
		top := w.win.Canvas().Overlays().Top()
		if w.session == nil {
			if top == nil || !containsText(top, "AuthLens could not open") {
				t.Errorf("%s: neither opened nor explained", filepath.Base(f))
			}
			if top != nil {
				w.win.Canvas().Overlays().Remove(top)
			}
			continue
		}
		opened++
		n := len(w.session.Entries())
		if len(w.rows) != n {
			t.Errorf("%s: %d rows for %d entries", filepath.Base(f), len(w.rows), n)
		}
		// The last entry: often the failure, and where a damaged file ends.
		if n > 0 {
			i := n - 1
			w.selectEntry(i)
			for _, tab := range []string{viewmodel.TabSummary, viewmodel.TabRequest, viewmodel.TabResponse, viewmodel.TabCookies} {
				w.detail.openTab(tab, "")
				if w.detail.current() != tab {
					t.Errorf("%s entry %d: tab %s did not open", filepath.Base(f), i, tab)
				}
			}
		}
		w.CloseTrace()
	}
	if opened < len(files)/2 {
		t.Errorf("only %d of %d corpus files opened", opened, len(files))
	}
}

func TestDroppedFileOpens(t *testing.T) {
	w := newTestWindow(t, Options{})
	abs, err := filepath.Abs(supportHAR)
	if err != nil {
		t.Fatal(err)
	}
	w.onDropped(fyne.NewPos(10, 10), []fyne.URI{storage.NewFileURI(abs)})
	w.WaitLoaded()
	if w.session == nil || w.session.Source.Path != abs {
		t.Fatalf("dropping %s did not open it", abs)
	}
}

// TestIndexColumnFitsLargeTraces checks that # grows with the trace, so a
// six-digit index is never cut to five.
func TestIndexColumnFitsLargeTraces(t *testing.T) {
	test.NewTempApp(t)
	var g tableGeometry
	for _, last := range []int{7, 9999, 199999, 2000000} {
		g.setLastIndex(last)
		s := strconv.Itoa(last)
		need := fyne.MeasureText(s, widgets.CompactTheme{}.Size(theme.SizeNameText), fyne.TextStyle{}).Width + 2*widgets.CompactTheme{}.Size(theme.SizeNameInnerPadding)
		if g.width(viewmodel.ColIndex) < need {
			t.Errorf("# is %v wide for %s, which needs %v", g.width(viewmodel.ColIndex), s, need)
		}
	}
}
