// Package captureview is the "Capture live traffic" tab. It starts and stops the
// AuthLens capture proxy (authlens/capture), shows the CA and how to trust
// it, lists exchanges with their live diagnosis as they are journaled, and
// hands the captured trace to the analysis views. Protocol work stays in
// capture/ and judging in live/; this file only drives them and draws.
//
// It is a package of its own because it talks to the main window only
// through Deps; what ui/app.go relies on (keep these names and meanings):
//
//   - func New(win fyne.Window, deps Deps) *View builds the tab, once, on
//     the UI goroutine; (*View).Root is its content. Work it starts in
//     goroutines reaches widgets through deps.Do (fyne.Do) and stops when
//     deps.Ctx is done.
//   - type Deps is what the app hands the view.
//   - Replay, OpenRow, RowCount and SelectRow drive it for the screenshot
//     hooks and the window's tests.
package captureview

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"authlens/analysis"
	"authlens/analysis/trace"
	"authlens/capture"
	"authlens/capture/localca"
	"authlens/har"
	"authlens/live"
)

// Deps is what the main window gives the capture view.
type Deps struct {
	// Ctx is cancelled when the window closes: stop the proxy then.
	Ctx context.Context
	// OpenFile loads a HAR file (for example the capture journal once the
	// capture is stopped) into the analysis views, exactly like File ▸ Open,
	// and switches to them.
	OpenFile func(path string)
	// ShowAnalysis shows a capture the live analysis has already judged
	// in the analysis views and switches to them (nothing is analysed
	// again). name is the window title's file part, e.g. "Live capture
	// 14:02". It is called on the UI goroutine.
	ShowAnalysis func(name string, tr *trace.Trace, rep *analysis.Report)
	// Prefs stores settings such as the proxy port between runs.
	Prefs fyne.Preferences
	// Do runs f on the UI goroutine; nil means fyne.Do. Fyne's test driver
	// runs fyne.Do's f on the calling goroutine, at the same time as the
	// test's own reads of the widgets, so tests pass a queue that the test
	// goroutine drains instead.
	Do func(f func())
	// CADir and CaptureDir override where the CA lives (default: the user
	// config dir + /authlens) and where captures and their journals are
	// written (default: ~/AuthLens captures). Tests set them.
	CADir, CaptureDir string
	// OnUnfinished, when set, is told how many unfinished capture journals
	// (left by a crash) were found, so the main window can point at them.
	OnUnfinished func(n int)
	// OpenExchange shows exchange index of a judged capture in the
	// analysis views with its detail and diagnosis, exactly as a row of
	// the analysis table (a tap on a live row). Called on the UI goroutine.
	OpenExchange func(name string, tr *trace.Trace, rep *analysis.Report, index int)
}

// Preference keys of the capture view.
const (
	prefCaptureListen   = "capture.listen"
	prefCaptureUpstream = "capture.upstream" // never with a password
)

// View is the state of the tab. Fields below mu are written from
// the live analysis goroutine and read on the UI goroutine.
type View struct {
	win  fyne.Window
	deps Deps

	listen, upstream *widget.Entry
	startStop        *widget.Button
	saveBtn, showBtn *widget.Button
	openSavedBtn     *widget.Button
	status           *widget.Label
	counts           *widget.Label
	caLabel          *widget.Label
	recoverBox       *fyne.Container
	table            *widget.List
	split            *container.Split // setup above, live table below
	root             fyne.CanvasObject

	mu        sync.Mutex
	proxy     *capture.Proxy
	live      *live.Analyzer // judges proxy's exchanges
	rows      []live.Row
	judged    live.Update // the analysis rows came from: what a tap on a row opens
	lastSaved string
	ca        *localca.CA
}

var captureColumns = []struct {
	title string
	width float32
}{{"#", 50}, {"Time", 80}, {"Method", 80}, {"Status", 60}, {"URL", 440}, {"Live diagnosis", 320}}

// Root is the content of the tab.
func (v *View) Root() fyne.CanvasObject { return v.root }

// RowCount is the number of rows of the live table.
func (v *View) RowCount() int { return v.table.Length() }

// SelectRow selects live row i, as a tap on it does (it opens the row).
func (v *View) SelectRow(i int) { v.table.Select(i) }

// New builds the tab and returns its state (the main window keeps it for
// the screenshot hooks).
func New(win fyne.Window, deps Deps) *View {
	v := &View{win: win, deps: deps}
	if v.deps.Ctx == nil {
		v.deps.Ctx = context.Background()
	}
	if v.deps.Do == nil {
		v.deps.Do = fyne.Do
	}
	v.listen = widget.NewEntry()
	v.listen.SetText(capture.DefaultListen)
	v.upstream = widget.NewEntry()
	v.upstream.SetPlaceHolder("none, or http://user:password@proxy.example:3128")
	if deps.Prefs != nil {
		v.listen.SetText(deps.Prefs.StringWithFallback(prefCaptureListen, capture.DefaultListen))
		v.upstream.SetText(deps.Prefs.String(prefCaptureUpstream))
	}
	v.startStop = widget.NewButton("Start capture", v.toggle)
	v.startStop.Importance = widget.HighImportance
	v.counts = widget.NewLabel("")
	v.status = widget.NewLabel("Not capturing yet: press Start capture, then use the browser.")
	v.status.Wrapping = fyne.TextWrapWord
	v.caLabel = widget.NewLabel("")
	v.caLabel.Wrapping = fyne.TextWrapWord
	v.saveBtn = widget.NewButton("Save as HAR…", v.saveAs)
	v.showBtn = widget.NewButton("Analyse this capture", v.showInAnalysis)
	v.openSavedBtn = widget.NewButton("Open the saved HAR", func() {
		v.mu.Lock()
		p := v.lastSaved
		v.mu.Unlock()
		if p != "" && v.deps.OpenFile != nil {
			v.deps.OpenFile(p)
		}
	})
	v.saveBtn.Disable()
	v.showBtn.Disable()
	v.openSavedBtn.Hide()
	v.recoverBox = container.NewVBox()

	v.table = widget.NewList(
		func() int {
			v.mu.Lock()
			defer v.mu.Unlock()
			return len(v.rows)
		},
		func() fyne.CanvasObject {
			cells := make([]fyne.CanvasObject, len(captureColumns))
			for i := range cells {
				l := widget.NewLabel("")
				l.Truncation = fyne.TextTruncateEllipsis
				cells[i] = l
			}
			return container.New(captureColumnsLayout{}, cells...)
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			v.mu.Lock()
			var r live.Row
			ok := id >= 0 && id < len(v.rows)
			if ok {
				r = v.rows[id]
			}
			v.mu.Unlock()
			texts := []string{fmt.Sprint(r.Index), r.Time, r.Method, r.Status, r.URL, r.Diagnosis}
			for i, c := range o.(*fyne.Container).Objects {
				l := c.(*widget.Label)
				l.TextStyle = fyne.TextStyle{Bold: ok && r.Problem && i >= 3}
				if ok {
					l.SetText(texts[i])
				} else {
					l.SetText("")
				}
			}
		})
	v.table.OnSelected = func(id widget.ListItemID) {
		v.table.UnselectAll() // so the same row opens again after a look elsewhere
		v.OpenRow(id)
	}
	heads := make([]fyne.CanvasObject, len(captureColumns))
	for i, c := range captureColumns {
		heads[i] = widget.NewLabelWithStyle(c.title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	header := container.New(captureColumnsLayout{}, heads...)

	v.loadCA()
	v.findJournals()
	go func() {
		<-v.deps.Ctx.Done()
		v.stop(false)
	}()

	listenItem := widget.NewFormItem("Listen on", v.listen)
	listenItem.HintText = "The address to enter as the browser's proxy (host:port)."
	upstreamItem := widget.NewFormItem("Upstream proxy", v.upstream)
	upstreamItem.HintText = "Only when this network reaches the web through a company proxy; leave empty otherwise."
	form := widget.NewForm(listenItem, upstreamItem)
	caBox := container.NewVBox(
		widget.NewLabelWithStyle("Certificate authority", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		v.caLabel,
		container.NewHBox(
			widget.NewButton("Export CA certificate…", v.exportCA),
			widget.NewButton("How to trust it and set up the browser", v.showHelp),
		),
	)
	setup := container.NewVBox(
		widget.NewLabelWithStyle("Capture through the AuthLens proxy", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		v.recoverBox,
		captureSteps(),
		caBox,
		form,
	)
	controls := container.NewVBox(
		container.NewHBox(v.startStop, v.saveBtn, v.showBtn, v.openSavedBtn, v.counts),
		v.status,
		widget.NewSeparator(),
		header,
	)
	// The setup scrolls on its own above the controls and the live table,
	// so both stay in view on a 640 px high screen; once a capture runs,
	// the table gets most of the height (the divider can be dragged).
	v.split = container.NewVSplit(container.NewVScroll(container.NewPadded(setup)),
		container.NewBorder(container.NewPadded(controls), nil, nil, nil, v.table))
	v.split.Offset = setupShare
	v.root = v.split
	return v
}

// OpenRow opens live row id in the analysis views, on the analysis the
// row was drawn from (no new analysis; the report is already masked).
func (v *View) OpenRow(id int) {
	v.mu.Lock()
	ok := id >= 0 && id < len(v.rows)
	var r live.Row
	if ok {
		r = v.rows[id]
	}
	u := v.judged
	v.mu.Unlock()
	switch {
	case !ok:
		return
	case u.Report == nil:
		v.status.SetText("This exchange is not analysed yet: try again in a moment.")
	case v.deps.OpenExchange == nil:
	case u.Trace != nil:
		v.deps.OpenExchange(captureName(u), u.Trace, u.Report, r.Index)
	default:
		// The rows came from incremental analyses, which keep no whole
		// trace: analyse it once, off the UI goroutine, then open the row.
		go func() {
			w := u.Complete(v.deps.Ctx, nil)
			v.deps.Do(func() {
				if w.Trace == nil || w.Report == nil {
					v.status.SetText("This capture could not be analysed: " + fmt.Sprint(w.Err))
					return
				}
				v.mu.Lock()
				if len(v.judged.Entries) == len(w.Entries) {
					v.judged = w // the next row opens at once, in the same session
				}
				v.mu.Unlock()
				v.deps.OpenExchange(captureName(w), w.Trace, w.Report, r.Index)
			})
		}()
	}
}

// captureName is the name the analysis views give a live capture: one
// per analysis, so opening rows of the same analysis reuses the session.
func captureName(u live.Update) string {
	return fmt.Sprintf("Live capture (%d exchanges)", len(u.Entries))
}

// Replay shows entries as if captured live (screenshots): they go
// through the live analysis and fill the table; done runs on the UI
// goroutine once the last analysis is shown.
func (v *View) Replay(entries []*har.Entry, done func()) {
	an := live.Start(v.deps.Ctx, live.Options{OnUpdate: v.onUpdate})
	for _, e := range entries {
		an.Add(e)
	}
	go func() {
		an.Close()
		<-an.Done()
		v.deps.Do(done)
	}()
}

// How much of the height the setup part gets before and during a capture.
const (
	setupShare          = 0.64
	setupShareCapturing = 0.25
)

// captureSteps tells a first-time user what to do, in order.
func captureSteps() fyne.CanvasObject {
	l := widget.NewLabel("Record what a browser sends and receives, with a diagnosis for every 401/403 as it happens:\n" +
		"1. Press Start capture.\n" +
		"2. Once per browser, make it trust the AuthLens certificate (below: \"How to trust it and set up the browser\"), or HTTPS sites cannot be recorded.\n" +
		"3. Set the browser's proxy to the \"Listen on\" address (the same help shows how).\n" +
		"4. Reproduce the problem: each request appears in the table below. Every exchange is saved to disk as it completes.\n" +
		"5. Press Analyse this capture (or Stop capture) to look at the failures in detail.")
	l.Wrapping = fyne.TextWrapWord
	return l
}

// captureColumnsLayout places a row's cells at the fixed column widths of
// captureColumns; the last column takes the remaining width.
type captureColumnsLayout struct{}

func (captureColumnsLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	x := float32(0)
	for i, o := range objs {
		w := captureColumns[i].width
		if i == len(objs)-1 || x+w > size.Width {
			w = max(size.Width-x, 0)
		}
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w, size.Height))
		x += w
	}
}

func (captureColumnsLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(200, h)
}

// caDir is where the CA lives.
func (v *View) caDir() (string, error) {
	if v.deps.CADir != "" {
		return v.deps.CADir, nil
	}
	return localca.DefaultDir()
}

// captureDir is where captures and journals are written.
func (v *View) captureDir() (string, error) {
	if v.deps.CaptureDir != "" {
		return v.deps.CaptureDir, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("locating your home directory for captures: %w", err)
	}
	return filepath.Join(home, "AuthLens captures"), nil
}

func (v *View) loadCA() {
	dir, err := v.caDir()
	if err == nil {
		var ca *localca.CA
		var created bool
		ca, created, err = localca.LoadOrCreate(dir)
		if err == nil {
			v.mu.Lock()
			v.ca = ca
			v.mu.Unlock()
			text := fmt.Sprintf("%s\nSHA-256 %s\nValid until %s. Browsers must trust it once before HTTPS can be recorded.",
				ca.CertPath(), ca.Fingerprint(), ca.Cert.NotAfter.Format(time.DateOnly))
			if created {
				text = "A new CA was created for this computer.\n" + text
			}
			for _, w := range ca.Warnings {
				text += "\nWarning: " + w
			}
			v.caLabel.SetText(text)
			return
		}
	}
	v.caLabel.SetText("The CA could not be loaded: " + err.Error())
}

// findJournals offers to recover captures a crash left unfinished.
func (v *View) findJournals() {
	dir, err := v.captureDir()
	if err != nil {
		return
	}
	js, err := capture.FindJournals(dir)
	if err != nil || len(js) == 0 {
		return
	}
	if v.deps.OnUnfinished != nil {
		v.deps.OnUnfinished(len(js))
	}
	for _, j := range js {
		j := j
		msg := widget.NewLabel(fmt.Sprintf("An unfinished capture was found: %s (%d KiB, last written %s).",
			filepath.Base(j.Path), j.Size/1024, j.ModTime.Format("2006-01-02 15:04")))
		msg.Wrapping = fyne.TextWrapWord
		var row *fyne.Container
		btn := widget.NewButton("Recover and open", func() {
			res, err := capture.Recover(v.deps.Ctx, j.Path)
			if err != nil {
				dialog.ShowError(err, v.win)
				return
			}
			v.recoverBox.Remove(row)
			v.status.SetText(fmt.Sprintf("Recovered %d exchanges to %s.", res.Entries, res.Path))
			if v.deps.OpenFile != nil {
				v.deps.OpenFile(res.Path)
			}
		})
		row = container.NewBorder(nil, nil, nil, btn, msg)
		v.recoverBox.Add(row)
	}
}

func (v *View) toggle() {
	v.mu.Lock()
	running := v.proxy != nil
	v.mu.Unlock()
	if running {
		v.stop(true)
		return
	}
	if err := v.start(); err != nil {
		v.status.SetText("Could not start: " + err.Error())
		dialog.ShowError(err, v.win)
	}
}

// start begins a capture with the form's settings.
func (v *View) start() error {
	v.mu.Lock()
	ca := v.ca
	v.mu.Unlock()
	if ca == nil {
		return errors.New("the AuthLens CA is not available (see the certificate section)")
	}
	dir, err := v.captureDir()
	if err != nil {
		return err
	}
	opts, err := capture.ParseConfig(capture.Config{
		Listen: v.listen.Text, Upstream: v.upstream.Text,
		Out: filepath.Join(dir, "capture-"+time.Now().Format("20060102-150405")+".har"),
	})
	if err != nil {
		return formError(err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("creating the capture folder: %w", err)
	}
	opts.CA = ca
	opts.Logf = func(format string, args ...any) { v.setStatus(fmt.Sprintf(format, args...)) }
	// The live analysis follows the window's context: closing the window
	// ends it without a last analysis nobody would see.
	bodies := &live.LateBodies{}
	an := live.Start(v.deps.Ctx, live.Options{Log: capture.NewLog(opts.Version), Path: capture.JournalPath(opts.Out), OnUpdate: v.onUpdate, Bodies: bodies})
	opts.OnEntry = an.Add
	p, err := capture.Start(v.deps.Ctx, opts)
	if err != nil {
		an.Close()
		return err
	}
	bodies.Set(p) // large bodies stay in the journal
	if v.deps.Prefs != nil {
		v.deps.Prefs.SetString(prefCaptureListen, opts.Listen)
		if opts.Upstream != nil && opts.Upstream.User == nil {
			v.deps.Prefs.SetString(prefCaptureUpstream, opts.Upstream.String())
		}
	}
	v.mu.Lock()
	v.proxy, v.live = p, an
	v.rows = nil
	v.lastSaved = ""
	v.mu.Unlock()
	v.table.Refresh()
	v.counts.SetText("0 exchanges")
	v.startStop.SetText("Stop capture")
	v.listen.Disable()
	v.upstream.Disable()
	v.saveBtn.OnTapped, v.showBtn.OnTapped = v.saveAs, v.showInAnalysis
	v.saveBtn.Enable()
	v.showBtn.Enable()
	v.openSavedBtn.Hide()
	v.split.SetOffset(setupShareCapturing)
	msg := fmt.Sprintf("Capturing on %s. Browser: --proxy-server=%s (and --proxy-bypass-list=\"<-loopback>\" for sites on this computer); setup page http://%s/. Journal: %s",
		p.Addr(), p.Addr(), capture.MagicHost, p.JournalPath())
	if !capture.IsLoopback(opts.Listen) {
		msg = "WARNING: reachable from other machines. " + msg
	}
	v.status.SetText(msg)
	return nil
}

// stop ends the capture. From the button it runs the stop (which lets
// exchanges in flight finish) off the UI goroutine and then says where the
// HAR is; when the window closes it stops synchronously.
func (v *View) stop(fromUI bool) {
	v.mu.Lock()
	p, an := v.proxy, v.live
	v.proxy, v.live = nil, nil
	v.mu.Unlock()
	if p == nil {
		return
	}
	stopNow := func() (string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		path, err := p.Stop(ctx)
		an.Close() // the last analysis covers every exchange recorded
		return path, err
	}
	if !fromUI {
		stopNow()
		return
	}
	v.startStop.Disable()
	v.status.SetText("Stopping: letting exchanges in flight finish…")
	go func() {
		path, err := stopNow()
		v.deps.Do(func() {
			v.startStop.SetText("Start capture")
			v.startStop.Enable()
			v.listen.Enable()
			v.upstream.Enable()
			if err != nil {
				v.status.SetText("Stopped, but the HAR could not be written (the journal stays for recovery): " + err.Error())
				dialog.ShowError(err, v.win)
				return
			}
			v.mu.Lock()
			v.lastSaved = path
			v.mu.Unlock()
			v.openSavedBtn.Show()
			v.status.SetText(fmt.Sprintf("Stopped. %d exchanges saved to %s.", len(p.Entries()), path))
			v.showBtn.OnTapped = func() { v.showAnalysis(an) }
			v.saveBtn.OnTapped = func() { v.saveFrom(p) }
		})
	}()
}

// onUpdate runs on the live analysis goroutine: it builds the rows there
// and hands them to the UI goroutine.
func (v *View) onUpdate(u live.Update) {
	rows := live.Rows(u)
	problems := 0
	for _, r := range rows {
		if r.Problem {
			problems++
		}
	}
	v.deps.Do(func() {
		v.mu.Lock()
		v.rows = rows
		if u.Report != nil {
			v.judged = u
		}
		v.mu.Unlock()
		v.table.Refresh()
		v.counts.SetText(fmt.Sprintf("%d exchanges, %d failing", len(rows), problems))
	})
}

// setStatus may be called from any goroutine (the proxy's log).
func (v *View) setStatus(s string) {
	v.deps.Do(func() { v.status.SetText(s) })
}

func (v *View) current() *capture.Proxy {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.proxy
}

func (v *View) showInAnalysis() {
	v.mu.Lock()
	an := v.live
	v.mu.Unlock()
	if an != nil {
		v.showAnalysis(an)
	}
}

// showAnalysis hands the live analysis's latest report to the analysis
// views. Waiting for it (at most one analysis of the exchanges of the
// last quarter second) happens off the UI goroutine.
func (v *View) showAnalysis(an *live.Analyzer) {
	if v.deps.ShowAnalysis == nil {
		return
	}
	go func() {
		u, err := an.Latest(v.deps.Ctx)
		v.deps.Do(func() {
			switch {
			case err != nil:
				v.status.SetText("The live analysis is not available: " + err.Error())
			case u.Err != nil:
				v.status.SetText("The live analysis failed: " + u.Err.Error())
			case u.Report == nil:
				v.status.SetText("Nothing captured yet: use the browser through the proxy first.")
			default:
				v.deps.ShowAnalysis("Live capture "+time.Now().Format("15:04"), u.Trace, u.Report)
			}
		})
	}()
}

// formError words a refused setting with the form's own labels.
func formError(err error) error {
	var fe *capture.FieldError
	if !errors.As(err, &fe) {
		return err
	}
	label := map[string]string{capture.FieldListen: "Listen on", capture.FieldUpstream: "Upstream proxy"}[fe.Field]
	if label == "" {
		return err
	}
	return fmt.Errorf("%s: %w", label, fe.Err)
}

func (v *View) saveAs() {
	if p := v.current(); p != nil {
		v.saveFrom(p)
	}
}

// saveFrom writes the exchanges recorded so far as a HAR the user picks.
func (v *View) saveFrom(p *capture.Proxy) {
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil || wc == nil {
			return
		}
		path := wc.URI().Path()
		wc.Close()
		if err := p.SaveHAR(path); err != nil {
			dialog.ShowError(err, v.win)
			return
		}
		v.status.SetText(fmt.Sprintf("Saved %d exchanges to %s.", len(p.Entries()), path))
	}, v.win)
	d.SetFileName("capture-" + time.Now().Format("20060102-150405") + ".har")
	d.Show()
}

func (v *View) exportCA() {
	v.mu.Lock()
	ca := v.ca
	v.mu.Unlock()
	if ca == nil {
		dialog.ShowError(errors.New("the AuthLens CA is not available"), v.win)
		return
	}
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil || wc == nil {
			return
		}
		defer wc.Close()
		data := ca.PEM()
		// Windows and macOS import DER .crt/.cer/.der files by double-click.
		if ext := strings.ToLower(filepath.Ext(wc.URI().Path())); ext == ".crt" || ext == ".cer" || ext == ".der" {
			data = ca.DER()
		}
		if _, err := wc.Write(data); err != nil {
			dialog.ShowError(fmt.Errorf("writing the CA certificate: %w", err), v.win)
			return
		}
		v.status.SetText("CA certificate written to " + wc.URI().Path() + ". Name the file .crt for DER, .pem for PEM.")
	}, v.win)
	d.SetFileName("authlens-ca.pem")
	d.Show()
}

// showHelp shows, per platform and browser, how to trust the CA and use
// the proxy.
func (v *View) showHelp() {
	addr := strings.TrimSpace(v.listen.Text)
	if p := v.current(); p != nil {
		addr = p.Addr().String()
	}
	items := []*widget.AccordionItem{}
	for _, g := range capture.Guides("authlens-ca.pem", addr) {
		var b strings.Builder
		for i, s := range g.Steps {
			fmt.Fprintf(&b, "%d. %s\n\n", i+1, s)
		}
		l := widget.NewLabel(strings.TrimSpace(b.String()))
		l.Wrapping = fyne.TextWrapWord
		items = append(items, widget.NewAccordionItem(g.Platform+" — "+g.Browser, l))
	}
	acc := widget.NewAccordion(items...)
	intro := widget.NewLabel(fmt.Sprintf("Export the CA first (button \"Export CA certificate…\"; the commands below call the file authlens-ca.pem). Through the proxy, http://%s/ offers the same download and these steps.", capture.MagicHost))
	intro.Wrapping = fyne.TextWrapWord
	content := container.NewBorder(intro, nil, nil, nil, container.NewVScroll(acc))
	d := dialog.NewCustom("How to trust the AuthLens CA and use the proxy", "Close", content, v.win)
	d.Resize(fyne.NewSize(760, 560))
	d.Show()
}
