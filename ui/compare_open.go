package ui

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"authlens/analysis/compare"
	"authlens/har"
	"authlens/report"
	"authlens/ui/compareview"
	"authlens/ui/viewmodel"
	"authlens/ui/widgets"
)

// File ▸ Compare with working trace…: read a second trace of the same
// flow, compare it with the open one and show the two side by side
// (compare.go, in a third tab). The comparison belongs to the open (failing) trace: the
// walkthrough and the case report use it, and it goes when the trace
// does.

// EnvScreenshotCompare names a working trace to compare the open trace
// with once it has loaded (screenshots; hidden).
const EnvScreenshotCompare = "AUTHLENS_SCREENSHOT_COMPARE"

// compareState is the window's comparison: the one shown and the one
// being made.
type compareState struct {
	good *viewmodel.Session // the working trace, kept open for its details
	view *compareview.View
	tab  *container.TabItem

	// the comparison being made
	cancel   context.CancelFunc
	seq      int
	done     chan struct{}
	progress *compareProgress

	// openAs replaces the file-open dialog (tests); nil uses the dialog.
	openAs func(title string, pick func(path string))
	// the dialogs last shown (tests drive them)
	form     *compareForm
	hostForm *hostForm

	screenshotGood string // EnvScreenshotCompare, used once
}

// compareForm is the "which trace is which" dialog.
type compareForm struct {
	role   *widget.RadioGroup
	dlg    dialog.Dialog
	submit func()
}

// The roles the open trace can take, as the dialog offers them.
var compareRoles = []string{
	"The open trace is the failing one: choose the working trace",
	"The open trace is the working one: choose the failing trace",
}

// ShowCompare asks for the other trace of a comparison: File ▸ Compare
// with working trace…
func (w *Window) ShowCompare() {
	if !w.needSession("Compare with a working trace") {
		return
	}
	f := &compareForm{}
	f.role = widget.NewRadioGroup(compareRoles, nil)
	f.role.SetSelected(compareRoles[0])
	intro := widgets.Para(fmt.Sprintf("Compare “%s” with a recording of the same steps made where they work — by you, or by a user who is not affected. "+
		"AuthLens lines the two up step by step, shows where they part, and which difference most likely explains the failure.", baseName(w.session.Source.DisplayName())))
	form := container.NewVBox(intro, f.role)
	f.submit = func() {
		openIsGood := f.role.Selected == compareRoles[1]
		title := "Choose the working trace (the same steps, where they work)"
		if openIsGood {
			title = "Choose the failing trace"
		}
		w.pickTrace(title, func(path string) { w.CompareWith(path, openIsGood) })
	}
	f.dlg = dialog.NewCustomConfirm("Compare with a working trace", "Choose the file…", "Cancel",
		container.NewGridWrap(fyne.NewSize(560, 200), form), func(ok bool) {
			if ok {
				f.submit()
			}
		}, w.win)
	w.cmp.form = f
	f.dlg.Show()
}

// pickTrace asks for a HAR file (the file dialog unless a test replaced it).
func (w *Window) pickTrace(title string, pick func(path string)) {
	if w.cmp.openAs != nil {
		w.cmp.openAs(title, pick)
		return
	}
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil {
			w.showReadError("the file", err)
			return
		}
		if rc == nil {
			return
		}
		path := rc.URI().Path()
		rc.Close()
		pick(path)
	}, w.win)
	d.SetFilter(storage.NewExtensionFileFilter(traceExtensions))
	d.SetConfirmText("Compare")
	d.SetTitleText(title)
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}

// compareJob is one comparison to make: with the trace at path, or (path
// "") the pair shown again with the host mapping the person confirmed.
type compareJob struct {
	path       string
	openIsGood bool
	hosts      map[string]string
}

// CompareWith reads the trace at path and compares it with the open one;
// openIsGood says the open trace is the working one.
func (w *Window) CompareWith(path string, openIsGood bool) {
	w.startCompare(compareJob{path: path, openIsGood: openIsGood})
}

// startCompare reads and compares off the UI goroutine, behind a
// progress dialog whose Cancel stops it.
func (w *Window) startCompare(job compareJob) {
	if w.session == nil {
		return
	}
	w.stopCompare()
	ctx, cancel := context.WithCancel(w.ctx)
	w.cmp.cancel = cancel
	w.cmp.seq++
	seq := w.cmp.seq
	done := make(chan struct{})
	w.cmp.done = done
	open, shownGood := w.session, w.cmp.good

	what := "Comparing the two traces…"
	switch {
	case job.path != "" && job.openIsGood:
		what = "Reading the failing trace " + baseName(job.path) + "…"
	case job.path != "":
		what = "Reading the working trace " + baseName(job.path) + "…"
	}
	w.cmp.progress = newCompareProgress(w, what)
	progress := func(p har.Progress) {
		fyne.Do(func() {
			if seq == w.cmp.seq && w.cmp.progress != nil {
				w.cmp.progress.update(p)
			}
		})
	}
	go func() {
		defer close(done)
		good, bad := shownGood, open
		var read *viewmodel.Session
		var err error
		if job.path != "" {
			read, err = w.an.Load(ctx, viewmodel.Source{Path: job.path}, progress, nil)
			good, bad = read, open
			if job.openIsGood {
				good, bad = open, read
			}
		}
		var res *compare.Result
		if err == nil {
			fyne.Do(func() {
				if seq == w.cmp.seq && w.cmp.progress != nil {
					w.cmp.progress.comparing()
				}
			})
			res, err = viewmodel.CompareTraces(ctx, good, bad, job.hosts)
		}
		fyne.Do(func() {
			current := seq == w.cmp.seq && w.session == open
			if !current || err != nil {
				if read != nil {
					read.Close()
				}
			}
			if !current {
				return
			}
			w.cmp.cancel = nil
			cancel()
			w.cmp.progress.hide()
			w.cmp.progress = nil
			if err != nil {
				name := job.path
				if name == "" {
					name = "the comparison"
				}
				w.showReadError(name, err)
				return
			}
			if job.path != "" {
				w.addRecent(job.path)
			}
			w.showComparison(good, bad, res)
		})
	}()
}

// stopCompare cancels a comparison in progress and ignores its result.
func (w *Window) stopCompare() {
	if w.cmp.cancel == nil {
		return
	}
	w.cmp.cancel()
	w.cmp.cancel = nil
	w.cmp.seq++
	if w.cmp.progress != nil {
		w.cmp.progress.hide()
		w.cmp.progress = nil
	}
}

// WaitCompared blocks until the last comparison has finished (tests).
func (w *Window) WaitCompared() {
	if w.cmp.done != nil {
		<-w.cmp.done
	}
}

// showComparison shows a finished comparison of good and bad.
func (w *Window) showComparison(good, bad *viewmodel.Session, res *compare.Result) {
	if w.cmp.good != nil && w.cmp.good != good {
		w.cmp.good.Close()
	}
	w.cmp.good = nil
	if bad != w.session {
		// The failing trace is the one just read: it becomes the open
		// trace, and the open one (the working trace) stays open for the
		// comparison instead of being closed.
		w.session = nil
		w.showSession(bad)
	}
	w.cmp.good = good
	bad.Comparison = viewmodel.NewComparison(res)
	w.cmp.view = compareview.New(bad.Comparison, compareview.Callbacks{
		ConfirmHosts: w.confirmHosts,
		ChangeHosts:  w.changeHosts,
		Open:         w.openCompared,
	})
	if w.cmp.tab == nil {
		w.cmp.tab = container.NewTabItemWithIcon("Compare with working trace", theme.ViewRestoreIcon(), w.cmp.view.Root())
		w.tabs.Append(w.cmp.tab)
	} else {
		w.cmp.tab.Content = w.cmp.view.Root()
	}
	w.tabs.Select(w.cmp.tab)
	w.tabs.Refresh()
	w.cmp.view.RevealDivergence()
	// The guided fix shows the comparison's evidence from now on.
	w.detail.rebuild()
}

// dropComparison forgets the comparison: the trace it was made for is
// being closed or replaced.
func (w *Window) dropComparison() {
	w.stopCompare()
	if w.cmp.good != nil {
		w.cmp.good.Close()
		w.cmp.good = nil
	}
	if w.cmp.tab != nil {
		w.tabs.Remove(w.cmp.tab)
		w.cmp.tab = nil
	}
	w.cmp.view = nil
}

// screenshotCompare starts the comparison EnvScreenshotCompare asks for,
// once.
func (w *Window) screenshotCompare() {
	if path := w.cmp.screenshotGood; path != "" && w.session != nil {
		w.cmp.screenshotGood = ""
		w.CompareWith(path, false)
	}
}

// compareProgress is the progress dialog of a comparison.
type compareProgress struct {
	dlg    *dialog.CustomDialog
	bar    *widget.ProgressBar
	spin   *widget.ProgressBarInfinite
	counts *widget.Label
}

func newCompareProgress(w *Window, title string) *compareProgress {
	p := &compareProgress{bar: widget.NewProgressBar(), spin: widget.NewProgressBarInfinite(), counts: widget.NewLabel("Starting…")}
	p.spin.Hide()
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), w.stopCompare)
	box := container.NewVBox(container.NewStack(p.bar, p.spin), p.counts, container.NewCenter(cancel))
	p.dlg = dialog.NewCustomWithoutButtons(title, container.NewGridWrap(fyne.NewSize(460, box.MinSize().Height), box), w.win)
	p.dlg.Show()
	return p
}

func (p *compareProgress) update(pr har.Progress) {
	if pr.Total > 0 {
		p.bar.SetValue(float64(pr.Bytes) / float64(pr.Total))
		p.counts.SetText(fmt.Sprintf("%s requests read · %s of %s", viewmodel.FormatCount(pr.Entries), viewmodel.FormatBytes(pr.Bytes), viewmodel.FormatBytes(pr.Total)))
		return
	}
	p.counts.SetText(fmt.Sprintf("%s requests read", viewmodel.FormatCount(pr.Entries)))
}

func (p *compareProgress) comparing() {
	p.bar.Hide()
	p.spin.Show()
	p.counts.SetText("Lining up the two traces and looking for what differs…")
}

func (p *compareProgress) hide() { p.dlg.Hide() }

// hostForm is the dialog that confirms or changes the host mapping.
type hostForm struct {
	bad    []*widget.SelectEntry // one per row of Comparison.Unconfirmed
	dlg    dialog.Dialog
	submit func()
}

// confirmHosts compares again with the proposed host mapping as the
// person confirmed it.
func (w *Window) confirmHosts(c *viewmodel.Comparison) {
	w.startCompare(compareJob{hosts: c.HostMap(c.Unconfirmed)})
}

// changeHosts shows the proposed mapping as a form (working host →
// failing host, one a row) and compares again with what the person set.
func (w *Window) changeHosts(c *viewmodel.Comparison) {
	if w.session == nil {
		return
	}
	f := &hostForm{}
	origins := viewmodel.Origins(w.session)
	grid := container.NewVBox()
	for _, h := range c.Unconfirmed {
		e := widget.NewSelectEntry(origins)
		e.SetText(h.Bad)
		f.bad = append(f.bad, e)
		good := widget.NewLabel(h.GoodShown)
		good.Truncation = fyne.TextTruncateEllipsis
		grid.Add(container.NewGridWithColumns(2, container.NewBorder(nil, nil, nil, widget.NewLabel("→"), good), e))
	}
	head := container.NewGridWithColumns(2, widgets.SectionLabel("In the working trace"), widgets.SectionLabel("stands for, in the failing trace"))
	intro := widgets.Para("Pick, for each server of the working trace, the server of the failing trace that plays the same part (the same site or API in another environment).")
	f.submit = func() {
		choices := make([]viewmodel.HostChoice, len(c.Unconfirmed))
		for k, h := range c.Unconfirmed {
			choices[k] = viewmodel.HostChoice{Good: h.Good, Bad: f.bad[k].Text}
		}
		w.startCompare(compareJob{hosts: c.HostMap(choices)})
	}
	content := container.NewVBox(intro, head, grid)
	f.dlg = dialog.NewCustomConfirm("Which servers are the same?", "Compare again", "Cancel",
		container.NewGridWrap(fyne.NewSize(640, content.MinSize().Height+40), content), func(ok bool) {
			if ok {
				f.submit()
			}
		}, w.win)
	w.cmp.hostForm = f
	f.dlg.Show()
}

// openCompared opens an entry of one side: the failing trace's in the
// analysis tab, the working trace's read-only in a dialog. tab and field
// say what to show first ("" for the request).
func (w *Window) openCompared(side compare.Side, entry int, where har.Location) {
	tab, field := viewmodel.EvidenceTarget(where)
	if where.Part == "" {
		tab, field = viewmodel.TabRequest, ""
	}
	if side == compare.SideBad {
		if w.session == nil || entry < 0 || entry >= len(w.rows) {
			return
		}
		w.tabs.SelectIndex(0)
		w.selectEntry(entry)
		if w.selected != entry {
			w.showDetail(entry)
		}
		w.detail.openTab(tab, field)
		return
	}
	if w.cmp.good == nil || entry < 0 || entry >= len(w.cmp.good.Entries()) {
		return
	}
	name := baseName(w.cmp.good.Source.DisplayName())
	if w.cmp.view != nil {
		name = w.cmp.view.Comparison().GoodName
	}
	showWorkingEntry(w, w.cmp.good, name, entry, tab, field)
}

// showWorkingEntry shows an exchange of the working trace, read-only: its
// request, response and timing (the causes and the guided fix are about
// the failing trace).
func showWorkingEntry(w *Window, s *viewmodel.Session, name string, entry int, tab, field string) {
	d := &detailView{w: w, s: s, entry: entry, highlight: field, items: map[string]*container.TabItem{}, built: map[string]bool{}}
	var items []*container.TabItem
	for _, name := range []string{viewmodel.TabRequest, viewmodel.TabResponse, viewmodel.TabTiming} {
		it := container.NewTabItem(name, widget.NewLabel(""))
		d.items[name] = it
		items = append(items, it)
	}
	d.tabs = container.NewAppTabs(items...)
	d.tabs.OnSelected = func(it *container.TabItem) { d.ensure(it.Text) }
	if d.items[tab] == nil {
		tab = viewmodel.TabRequest
	}
	d.tabs.Select(d.items[tab])
	d.ensure(tab)
	e := s.Entries()[entry]
	title := widgets.Heading(fmt.Sprintf("#%d  %s %s  →  %s", entry, e.Request.Method, shortURL(e.Request.URL), report.StatusLine(e.Response.Status)))
	note := widgets.Para("From the working trace " + name + ", shown for comparison only: the causes and the guided fix are about the failing trace.")
	note.Importance = widget.LowImportance
	size := w.win.Canvas().Size()
	content := container.NewBorder(container.NewVBox(title, note), nil, nil, nil, d.tabs)
	dlg := dialog.NewCustom("Working trace — exchange #"+fmt.Sprint(entry), "Close", content, w.win)
	dlg.Resize(fyne.NewSize(min(900, size.Width-60), min(640, size.Height-60)))
	dlg.Show()
}
