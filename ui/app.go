// Package ui is AuthLens's desktop window (Fyne): it opens a HAR trace,
// lists its exchanges, and explains every 401/403 in plain words for
// support staff — what failed, the most likely cause with its evidence, and
// a guided walkthrough of the remedies that ends in a summary for a ticket.
//
// The views hold no protocol logic: they reach the domain through the
// Analyzer interface and format through the view models, both in
// authlens/ui/viewmodel, which has no widgets and is tested on its own.
package ui

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"

	"authlens/analysis"
	"authlens/analysis/trace"
	"authlens/ui/captureview"
	"authlens/ui/filedialog"
	"authlens/ui/viewmodel"
)

// Options configure the desktop app.
type Options struct {
	// Path is the file named on the command line; "" opens the demo trace
	// (on first start) or the start screen.
	Path string
	// Demo is the embedded demo HAR (assets.DemoHAR).
	Demo []byte
	// Version is shown in the About box.
	Version string
	// AppID identifies the app's preferences (recent files); default
	// "io.authlens.app".
	AppID string
	// Icon is the window icon (PNG); optional.
	Icon []byte
}

// Environment variables for screenshots and demos (hidden: not in the UI).
const (
	// EnvScreenshotView opens a view on the first failing exchange once the
	// trace has loaded: overview, detail (the Request tab), response,
	// cookies, diagnosis, walkthrough, walkthrough-cause, walkthrough-remedy,
	// capture; "start"
	// shows the start screen instead of the demo trace.
	EnvScreenshotView = "AUTHLENS_SCREENSHOT_VIEW"
	// EnvScreenshotEntry picks the exchange (its # in the list) that
	// EnvScreenshotView opens instead of the first failing one.
	EnvScreenshotEntry = "AUTHLENS_SCREENSHOT_ENTRY"
	// EnvWindowSize sets the window size, e.g. "1024x640".
	EnvWindowSize = "AUTHLENS_WINDOW_SIZE"
)

// Run starts the desktop app and blocks until its window closes or ctx is
// cancelled. It must be called from the main goroutine.
func Run(ctx context.Context, opts Options) error {
	if opts.AppID == "" {
		opts.AppID = "io.authlens.app"
	}
	a := app.NewWithID(opts.AppID)
	if len(opts.Icon) > 0 {
		a.SetIcon(fyne.NewStaticResource("authlens.png", opts.Icon))
	}
	w := NewWindow(ctx, a, viewmodel.HARAnalyzer{}, opts)
	w.screenshotView = os.Getenv(EnvScreenshotView)
	w.cmp.screenshotGood = os.Getenv(EnvScreenshotCompare)
	if n, err := strconv.Atoi(os.Getenv(EnvScreenshotEntry)); err == nil {
		w.screenshotEntry = n
	}
	if sz, ok := parseSize(os.Getenv(EnvWindowSize)); ok {
		w.win.Resize(sz)
		w.fixedSize = true
	}
	go func() {
		<-ctx.Done()
		fyne.Do(a.Quit)
	}()
	// Open the first trace once the event loop runs: results posted with
	// fyne.Do before the window is first drawn could be painted over.
	a.Lifecycle().SetOnStarted(w.Start)
	w.win.ShowAndRun()
	return nil
}

func parseSize(s string) (fyne.Size, bool) {
	ws, hs, ok := strings.Cut(strings.ToLower(strings.TrimSpace(s)), "x")
	if !ok {
		return fyne.Size{}, false
	}
	wi, err1 := strconv.Atoi(ws)
	hi, err2 := strconv.Atoi(hs)
	if err1 != nil || err2 != nil || wi < 200 || hi < 200 {
		return fyne.Size{}, false
	}
	return fyne.NewSize(float32(wi), float32(hi)), true
}

// Window is the AuthLens main window and everything it shows.
type Window struct {
	ctx  context.Context
	app  fyne.App
	win  fyne.Window
	an   viewmodel.Analyzer
	opts Options

	// state of the current trace
	session  *viewmodel.Session
	rows     []viewmodel.Row
	walks    map[int]*viewmodel.Walkthrough // per failing exchange, kept while the trace is open
	selected int                            // entry index shown in the detail pane, -1 for none

	// loading
	loadCancel context.CancelFunc
	loadDone   chan struct{}
	loadSeq    int

	// widgets
	banners  *fyne.Container
	body     *fyne.Container
	tabs     *container.AppTabs
	overview *overviewView
	detail   *detailView
	loading  *loadingView
	capture  *captureview.View

	screenshotView  string
	screenshotEntry int              // -1: the first failing exchange
	walkView        *walkthroughView // the walkthrough last drawn (tests)

	// unfinishedCaptures counts capture journals a crash left behind;
	// Start offers to recover them.
	unfinishedCaptures int

	// saveAs replaces the file-save dialog (tests); nil uses the dialog.
	saveAs saveFunc
	// files asks where to open and save (filedialog.go).
	files filedialog.Chooser
	// the share dialogs last shown (tests drive them)
	exportForm  *exportForm
	originalDlg dialog.Dialog
	reportForm  *reportForm

	cmp compareState // File ▸ Compare with working trace… (compare_open.go)
	// cases keeps the notes and guided-fix progress of the open trace
	// (casefile.go).
	cases *caseKeeper
	// fixedSize is set when AUTHLENS_WINDOW_SIZE chose the size: it is
	// not remembered (window.go).
	fixedSize bool
}

// NewWindow builds the main window of app a. It shows nothing until Start.
func NewWindow(ctx context.Context, a fyne.App, an viewmodel.Analyzer, opts Options) *Window {
	w := &Window{ctx: ctx, app: a, an: an, opts: opts, selected: -1, walks: map[int]*viewmodel.Walkthrough{}, screenshotEntry: -1, cases: newCaseKeeper()}
	w.applyTheme()
	w.win = a.NewWindow("AuthLens")
	w.win.Resize(w.initialSize())
	w.files = filedialog.New(w.win)
	w.banners = container.NewVBox()
	w.body = container.NewStack()
	w.overview = newOverviewView(w)
	w.detail = newDetailView(w)
	w.loading = newLoadingView(w)

	analysis := container.NewBorder(w.banners, nil, nil, nil, w.body)
	w.capture = captureview.New(w.win, captureview.Deps{
		Ctx:          ctx,
		OpenFile:     func(path string) { w.tabs.SelectIndex(0); w.Open(viewmodel.Source{Path: path}) },
		ShowAnalysis: w.showAnalysis,
		Prefs:        a.Preferences(),
		OnUnfinished: func(n int) { w.unfinishedCaptures = n },
		OpenExchange: w.openCapturedExchange,
	})
	w.tabs = container.NewAppTabs(
		container.NewTabItem("Analyse a trace", analysis),
		// In a scroller, so a wide capture screen cannot force the whole
		// window wider than a small screen.
		container.NewTabItem("Capture live traffic", container.NewScroll(w.capture.Root())),
	)
	w.win.SetContent(w.tabs)
	w.win.SetMainMenu(w.mainMenu())
	w.addShortcuts()
	w.win.SetOnDropped(w.onDropped)
	w.win.SetCloseIntercept(func() {
		w.leaveCase("Close AuthLens", func() {
			w.rememberSize()
			w.stopLoad()
			if w.session != nil {
				w.session.Close()
			}
			w.win.Close()
		})
	})
	w.showStart()
	return w
}

// FyneWindow returns the underlying window (tests and the capture view).
func (w *Window) FyneWindow() fyne.Window { return w.win }

// Start opens what the options ask for: the file from the command line,
// else the demo trace on first start, else the start screen.
func (w *Window) Start() {
	defer w.offerCaptureRecovery()
	switch {
	case w.screenshotView == "start":
		// the start screen as a returning user sees it
	case w.opts.Path != "":
		w.Open(viewmodel.Source{Path: w.opts.Path})
	case len(w.opts.Demo) > 0 && !w.app.Preferences().Bool(prefDemoSeen):
		w.app.Preferences().SetBool(prefDemoSeen, true)
		w.OpenDemo()
	}
}

// offerCaptureRecovery tells the user, once per start, that a capture
// stopped unexpectedly and where to recover it: no exchange it saw is lost.
func (w *Window) offerCaptureRecovery() {
	n := w.unfinishedCaptures
	if n == 0 || w.screenshotView != "" {
		return
	}
	msg := "A live capture stopped unexpectedly (AuthLens or the computer was closed while capturing).\n" +
		"Every exchange it recorded was saved. Recover it now? It opens on the Capture tab."
	if n > 1 {
		msg = fmt.Sprintf("%d live captures stopped unexpectedly.\nEvery exchange they recorded was saved. Recover them now? They are listed on the Capture tab.", n)
	}
	dialog.ShowConfirm("Unfinished capture found", msg, func(ok bool) {
		if ok {
			w.tabs.SelectIndex(1)
		}
	}, w.win)
}

func (w *Window) mainMenu() *fyne.MainMenu {
	recent := fyne.NewMenuItem("Open recent", nil)
	recent.ChildMenu = w.recentMenu()
	file := fyne.NewMenu("File",
		&fyne.MenuItem{Label: "Open HAR file…", Action: w.ShowOpenDialog, Shortcut: shortcutOpen},
		recent,
		fyne.NewMenuItem("Open the demo trace", w.OpenDemo),
		fyne.NewMenuItem("Compare with working trace…", w.ShowCompare),
		fyne.NewMenuItemSeparator(),
		&fyne.MenuItem{Label: "Export sanitized HAR…", Action: w.ShowExportSanitized, Shortcut: shortcutExport},
		fyne.NewMenuItem("Export original HAR (with secrets)…", w.ShowExportOriginal),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Save report…", func() { w.ShowSaveReport(w.currentWalk()) }),
		&fyne.MenuItem{Label: "Copy summary of this request", Action: w.CopySummary, Shortcut: shortcutCopySummary},
		fyne.NewMenuItem("Copy report for ticket", func() { w.CopyForTicket(w.currentWalk()) }),
		fyne.NewMenuItemSeparator(),
		&fyne.MenuItem{Label: "Close trace", Action: w.CloseTrace, Shortcut: shortcutClose},
	)
	view := fyne.NewMenu("View",
		&fyne.MenuItem{Label: "Find in requests", Action: w.FocusSearch, Shortcut: shortcutFind},
		fyne.NewMenuItem("Show only auth failures", func() { w.overview.setKind(viewmodel.FilterAuthFailures) }),
		fyne.NewMenuItem("Show all requests", func() { w.overview.setKind(viewmodel.FilterAll) }),
		fyne.NewMenuItemSeparator(),
		w.themeMenu(),
	)
	help := fyne.NewMenu("Help",
		fyne.NewMenuItem("Keyboard shortcuts", w.showKeyboardHelp),
		fyne.NewMenuItem("How to get a HAR file from a customer", w.showHowToExport),
		fyne.NewMenuItem("About AuthLens", w.showAbout),
	)
	return fyne.NewMainMenu(file, view, help)
}

var (
	shortcutOpen   = &desktop.CustomShortcut{KeyName: fyne.KeyO, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutFind   = &desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutClose  = &desktop.CustomShortcut{KeyName: fyne.KeyW, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutExport = &desktop.CustomShortcut{KeyName: fyne.KeyE, Modifier: fyne.KeyModifierShortcutDefault}
	// Ctrl+Shift+C: Ctrl+C alone copies the selected row's URL (keys.go).
	shortcutCopySummary = &desktop.CustomShortcut{KeyName: fyne.KeyC, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}
)

// themeMenu is View ▸ Theme: follow the system, or always light or dark.
func (w *Window) themeMenu() *fyne.MenuItem {
	current := w.app.Preferences().StringWithFallback(prefTheme, themeSystem)
	item := func(label, variant string) *fyne.MenuItem {
		it := fyne.NewMenuItem(label, func() { w.SetTheme(variant) })
		it.Checked = current == variant
		return it
	}
	m := fyne.NewMenuItem("Theme", nil)
	m.ChildMenu = fyne.NewMenu("Theme", item("Same as the system", themeSystem), item("Light", themeLight), item("Dark", themeDark))
	return m
}

// addShortcuts registers the shortcuts on the canvas too, so they work
// where no main menu is drawn (and in tests).
func (w *Window) addShortcuts() {
	c := w.win.Canvas()
	c.AddShortcut(shortcutOpen, func(fyne.Shortcut) { w.ShowOpenDialog() })
	c.AddShortcut(shortcutFind, func(fyne.Shortcut) { w.FocusSearch() })
	c.AddShortcut(shortcutClose, func(fyne.Shortcut) { w.CloseTrace() })
	c.AddShortcut(shortcutExport, func(fyne.Shortcut) { w.ShowExportSanitized() })
	c.AddShortcut(shortcutCopySummary, func(fyne.Shortcut) { w.CopySummary() })
	c.AddShortcut(&fyne.ShortcutCopy{}, func(fyne.Shortcut) { w.CopySelectedURL() })
	c.SetOnTypedKey(w.typedKey) // keys.go
}

// FocusSearch puts the cursor in the search box (Ctrl+F).
func (w *Window) FocusSearch() {
	if w.session == nil {
		return
	}
	w.tabs.SelectIndex(0)
	w.win.Canvas().Focus(w.overview.search)
}

// CloseTrace closes the open trace and shows the start screen (Ctrl+W).
func (w *Window) CloseTrace() {
	w.leaveCase("Close the trace", w.closeTraceNow)
}

func (w *Window) closeTraceNow() {
	w.endCase()
	w.stopLoad()
	w.dropComparison()
	if w.session != nil {
		w.session.Close()
	}
	w.session = nil
	w.rows = nil
	w.walks = map[int]*viewmodel.Walkthrough{}
	w.selected = -1
	w.showStart()
}

// showAnalysis shows a capture the live analysis judged (from the capture
// view): its report is reused, not computed again.
func (w *Window) showAnalysis(name string, tr *trace.Trace, rep *analysis.Report) {
	w.tabs.SelectIndex(0)
	w.endCase() // a live capture has no file to key a case by
	w.showSession(viewmodel.NewSession(viewmodel.Source{Name: name}, nil, tr, rep))
}

// showSession makes s the open trace.
func (w *Window) showSession(s *viewmodel.Session) {
	if w.session != s {
		w.dropComparison()
	}
	if w.session != nil && w.session != s {
		w.session.Close()
	}
	w.session = s
	w.rows = s.Rows.Rows
	w.walks = map[int]*viewmodel.Walkthrough{}
	w.selected = -1
	w.setTitle(s.Source.DisplayName())
	w.setBanners()
	w.overview.setSession(s)
	w.detail.clear()
	split := container.NewHSplit(w.overview.root, w.detail.root)
	split.Offset = splitOffset(w.win.Canvas().Size().Width)
	w.body.Objects = []fyne.CanvasObject{split}
	w.body.Refresh()
	w.overview.selectFirstFailure()
	if i := w.restoredSelection(); i >= 0 {
		w.selectEntry(i)
	}
	w.applyScreenshotView()
}

// detailPaneWidth is what the detail pane needs to show all its tab
// labels without a "…" menu and its text at a readable line length.
const detailPaneWidth = 560

// splitOffset divides a window width between the entries table and the
// detail pane: the detail pane gets what its tabs need, the table the
// rest (every column at 1280 px; at 1024 px the table scrolls sideways
// past Status).
func splitOffset(width float32) float64 {
	if width <= 0 {
		return 0.5
	}
	return min(max(float64((width-detailPaneWidth)/width), 0.4), 0.62)
}

func (w *Window) setTitle(name string) {
	if name == "" {
		w.win.SetTitle("AuthLens")
		return
	}
	w.win.SetTitle(fmt.Sprintf("%s — AuthLens", baseName(name)))
}

// selectEntry shows entry i in the table and the detail pane.
func (w *Window) selectEntry(i int) {
	if w.session == nil || i < 0 || i >= len(w.rows) {
		return
	}
	w.overview.reveal(i)
}

// showDetail is called by the overview when the selection changes.
func (w *Window) showDetail(i int) {
	w.selected = i
	w.detail.show(w.session, i)
}

// walkthrough returns the walkthrough of failing exchange i, creating it.
func (w *Window) walkthrough(i int) *viewmodel.Walkthrough {
	if wt := w.walks[i]; wt != nil {
		return wt
	}
	x := w.session.Exchange(i)
	if x == nil {
		return nil
	}
	wt := viewmodel.NewWalkthrough(baseName(w.session.Source.DisplayName()), x)
	w.restoreWalk(wt)
	w.walks[i] = wt
	return wt
}

// applyScreenshotView opens the view named by AUTHLENS_SCREENSHOT_VIEW.
func (w *Window) applyScreenshotView() {
	w.screenshotCompare()
	v := w.screenshotView
	if v != "" && w.screenshotEntry >= 0 {
		w.selectEntry(w.screenshotEntry)
	}
	if v == "" || w.selected < 0 {
		if v == "capture" {
			w.tabs.SelectIndex(1)
		}
		return
	}
	switch v {
	case "detail":
		w.detail.openTab(viewmodel.TabRequest, "")
	case "response":
		w.detail.openTab(viewmodel.TabResponse, "")
	case "cookies":
		w.detail.openTab(viewmodel.TabCookies, "")
	case "diagnosis":
		w.detail.openTab(viewmodel.TabCauses, "")
	case "walkthrough":
		w.detail.openTab(viewmodel.TabGuide, "")
	case "walkthrough-cause":
		if wt := w.walkthrough(w.selected); wt != nil {
			wt.Next()
		}
		w.detail.openTab(viewmodel.TabGuide, "")
	case "walkthrough-remedy":
		if wt := w.walkthrough(w.selected); wt != nil {
			wt.Next()
			wt.Next()
		}
		w.detail.openTab(viewmodel.TabGuide, "")
	case "capture":
		w.tabs.SelectIndex(1)
	default:
		w.applyTimelineScreenshotView(v) // search, waterfall, capture row (timeline.go)
	}
}

func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}
