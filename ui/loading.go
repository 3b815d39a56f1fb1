package ui

import (
	"context"
	"fmt"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"authlens/har"
	"authlens/ui/viewmodel"
	"authlens/ui/widgets"
)

// errCancelled marks a load the person cancelled: no error dialog.
var errCancelled = context.Canceled

// maxEarlyFailures bounds the "found so far" list while loading.
const maxEarlyFailures = 200

// loadingView shows reading progress, failures found so far, and Cancel.
type loadingView struct {
	w      *Window
	root   fyne.CanvasObject
	title  *widget.Label
	bar    *widget.ProgressBar
	spin   *widget.ProgressBarInfinite
	counts *widget.Label
	early  *widget.Label
	found  []string
}

func newLoadingView(w *Window) *loadingView {
	v := &loadingView{w: w}
	v.title = widgets.Heading("")
	v.bar = widget.NewProgressBar()
	v.spin = widget.NewProgressBarInfinite()
	v.spin.Hide()
	v.counts = widget.NewLabel("")
	v.early = widget.NewLabel("")
	v.early.Wrapping = fyne.TextWrapWord
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), w.cancelLoading)
	box := container.NewVBox(v.title, container.NewStack(v.bar, v.spin), v.counts, container.NewCenter(cancel), widget.NewSeparator(), v.early)
	v.root = container.NewCenter(container.NewGridWrap(fyne.NewSize(640, 360), container.NewVScroll(box)))
	return v
}

func (v *loadingView) reset(name string) {
	v.title.SetText("Reading " + baseName(name) + "…")
	v.bar.SetValue(0)
	v.bar.Show()
	v.spin.Hide()
	v.counts.SetText("Starting…")
	v.found = nil
	v.early.SetText("Sign-in and permission failures will appear here as they are found.")
}

func (v *loadingView) progress(p har.Progress) {
	if p.Total > 0 {
		v.bar.SetValue(float64(p.Bytes) / float64(p.Total))
		v.counts.SetText(fmt.Sprintf("%s requests read · %s of %s", viewmodel.FormatCount(p.Entries), viewmodel.FormatBytes(p.Bytes), viewmodel.FormatBytes(p.Total)))
	} else {
		v.bar.Hide()
		v.spin.Show()
		v.counts.SetText(fmt.Sprintf("%s requests read · %s", viewmodel.FormatCount(p.Entries), viewmodel.FormatBytes(p.Bytes)))
	}
}

func (v *loadingView) addFailures(lines []string) {
	if len(lines) == 0 {
		return
	}
	v.found = append(v.found, lines...)
	if len(v.found) > maxEarlyFailures {
		v.found = v.found[:maxEarlyFailures]
	}
	text := fmt.Sprintf("Failures found so far (%d):\n", len(v.found))
	for _, l := range v.found {
		text += l + "\n"
	}
	v.early.SetText(text)
}

func (v *loadingView) analysing() {
	v.bar.Hide()
	v.spin.Show()
	v.counts.SetText("Read. Working out why requests failed…")
}

// Open reads and analyses src in the background, showing progress; the
// window stays responsive and Cancel stops the read.
func (w *Window) Open(src viewmodel.Source) {
	w.leaveCase("Open another trace", func() { w.openNow(src) })
}

func (w *Window) openNow(src viewmodel.Source) {
	w.stopLoad()
	ctx, cancel := context.WithCancel(w.ctx)
	w.loadCancel = cancel
	w.loadSeq++
	seq := w.loadSeq
	done := make(chan struct{})
	w.loadDone = done

	w.loading.reset(src.DisplayName())
	w.banners.Objects = nil
	w.banners.Refresh()
	w.body.Objects = []fyne.CanvasObject{w.loading.root}
	w.body.Refresh()
	w.setTitle(src.DisplayName())

	// Failures seen by OnEntry wait here until the next progress tick, so
	// a trace with many failures does not flood the UI goroutine.
	var mu sync.Mutex
	var pending []string
	var last time.Time
	flush := func() []string {
		mu.Lock()
		defer mu.Unlock()
		p := pending
		pending = nil
		return p
	}
	onEntry := func(e *har.Entry) {
		st := e.Response.Status
		if st != 401 && st != 403 && st != 407 {
			return
		}
		mu.Lock()
		pending = append(pending, fmt.Sprintf("#%d  %s %s  →  %d", e.Index, e.Request.Method, shortURL(e.Request.URL), st))
		mu.Unlock()
	}
	progress := func(p har.Progress) {
		now := time.Now()
		if now.Sub(last) < 50*time.Millisecond && (p.Total == 0 || p.Bytes < p.Total) {
			return
		}
		last = now
		lines := flush()
		fyne.Do(func() {
			if seq != w.loadSeq {
				return
			}
			w.loading.progress(p)
			w.loading.addFailures(lines)
			if p.Total > 0 && p.Bytes >= p.Total {
				w.loading.analysing()
			}
		})
	}
	caseReady := make(chan loadedCase, 1)
	go func() { caseReady <- prepareCase(ctx, w.cases.store, src) }()
	go func() {
		defer close(done)
		s, err := w.an.Load(ctx, src, progress, onEntry)
		lc := <-caseReady
		fyne.Do(func() {
			if seq != w.loadSeq {
				if s != nil {
					s.Close()
				}
				return
			}
			w.loadCancel = nil
			cancel()
			if err != nil {
				w.showStart()
				w.showReadError(src.DisplayName(), err)
				return
			}
			if src.Path != "" {
				w.addRecent(src.Path)
			}
			w.startCase(lc, src.DisplayName())
			w.showSession(s)
		})
	}()
}

// cancelLoading stops a load in progress (Cancel button, or a new Open).
func (w *Window) cancelLoading() {
	if !w.stopLoad() {
		return
	}
	if w.session != nil {
		w.showSession(w.session) // back to the trace that was open before
	} else {
		w.showStart()
	}
}

// stopLoad cancels a load in progress and makes sure its result is
// ignored; it reports whether there was one.
func (w *Window) stopLoad() bool {
	if w.loadCancel == nil {
		return false
	}
	w.loadCancel()
	w.loadCancel = nil
	w.loadSeq++
	return true
}

// WaitLoaded blocks until the last Open has finished (tests).
func (w *Window) WaitLoaded() {
	if w.loadDone != nil {
		<-w.loadDone
	}
}

func shortURL(u string) string {
	host, path := viewmodel.SplitURL(u)
	s := host + path
	if len(s) > 90 {
		s = s[:87] + "…"
	}
	return s
}
