package ui

import (
	"errors"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"authlens/sanitize"
	"authlens/ui/filedialog"
	"authlens/ui/viewmodel"
	"authlens/ui/widgets"
)

// Preference keys.
const (
	prefRecent   = "recentFiles"
	prefDemoSeen = "demoShown"
	maxRecent    = 8
)

// traceExtensions are what File ▸ Open offers.
var traceExtensions = []string{".har", ".json", ".gz", ".harp"}

// ShowOpenDialog asks for a HAR to open (Ctrl+O): the system's dialog
// where there is one, else a path field with Browse… (filedialog.go).
func (w *Window) ShowOpenDialog() {
	req := filedialog.Request{Title: "Open a HAR trace (.har, .json, .har.gz, .harp)", Exts: traceExtensions}
	if recent := w.recentFiles(); len(recent) > 0 {
		req.Dir = filepath.Dir(recent[0])
	} else if home, err := os.UserHomeDir(); err == nil {
		req.Dir = home
	}
	w.files.Open(req, func(path string) {
		if path == "" {
			return // cancelled
		}
		w.Open(viewmodel.Source{Path: path})
	})
}

// onDropped opens the first file dropped on the window.
func (w *Window) onDropped(_ fyne.Position, uris []fyne.URI) {
	for _, u := range uris {
		if u.Scheme() == "file" {
			w.tabs.SelectIndex(0)
			w.Open(viewmodel.Source{Path: u.Path()})
			return
		}
	}
}

// OpenDemo opens the embedded demo trace.
func (w *Window) OpenDemo() {
	if len(w.opts.Demo) == 0 {
		dialog.ShowInformation("No demo trace", "This build of AuthLens has no demo trace inside.", w.win)
		return
	}
	w.Open(viewmodel.Source{Name: "demo.har", Data: w.opts.Demo, Demo: true})
}

// recentFiles returns the recent files, newest first.
func (w *Window) recentFiles() []string {
	return w.app.Preferences().StringList(prefRecent)
}

// addRecent puts path first in the recent files.
func (w *Window) addRecent(path string) {
	if path == "" {
		return
	}
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	list := []string{path}
	for _, p := range w.recentFiles() {
		if p != path && len(list) < maxRecent {
			list = append(list, p)
		}
	}
	w.app.Preferences().SetStringList(prefRecent, list)
	w.win.SetMainMenu(w.mainMenu())
}

func (w *Window) recentMenu() *fyne.Menu {
	var items []*fyne.MenuItem
	for _, p := range w.recentFiles() {
		items = append(items, fyne.NewMenuItem(p, func() { w.Open(viewmodel.Source{Path: p}) }))
	}
	if len(items) == 0 {
		it := fyne.NewMenuItem("(no recent files)", nil)
		it.Disabled = true
		items = append(items, it)
	}
	return fyne.NewMenu("Open recent", items...)
}

// showStart shows the start screen: how to get a trace in.
func (w *Window) showStart() {
	w.setTitle("")
	w.banners.Objects = nil
	w.banners.Refresh()

	title := widget.NewLabelWithStyle("Why does the site say 401 or 403?", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameHeadingText
	intro := widget.NewLabel("Open the HAR file the customer recorded. AuthLens finds every failed sign-in (401) and refusal (403), " +
		"explains it in plain words, and walks you through the fixes.")
	intro.Wrapping = fyne.TextWrapWord
	intro.Alignment = fyne.TextAlignCenter
	open := widget.NewButtonWithIcon("Open a HAR file…", theme.FolderOpenIcon(), w.ShowOpenDialog)
	open.Importance = widget.HighImportance
	demo := widget.NewButton("Look at the demo trace", w.OpenDemo)
	how := widget.NewButton("How do I get a HAR file?", w.showHowToExport)
	drop := widget.NewLabel("…or drag a .har file onto this window.")
	drop.Alignment = fyne.TextAlignCenter

	items := []fyne.CanvasObject{title, intro, container.NewCenter(container.NewHBox(open, demo, how)), drop}
	if recent := w.recentFiles(); len(recent) > 0 {
		items = append(items, widget.NewSeparator(), widget.NewLabelWithStyle("Recent files", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		for _, p := range recent {
			b := widget.NewButtonWithIcon(p, theme.DocumentIcon(), func() { w.Open(viewmodel.Source{Path: p}) })
			b.Alignment = widget.ButtonAlignLeading
			b.Importance = widget.LowImportance
			items = append(items, b)
		}
	}
	box := container.NewVBox(items...)
	w.body.Objects = []fyne.CanvasObject{container.NewCenter(container.NewGridWrap(fyne.NewSize(720, box.MinSize().Height), box))}
	w.body.Refresh()
}

// setBanners shows the demo banner, the damage bar and reader warnings.
func (w *Window) setBanners() {
	s := w.session
	var objs []fyne.CanvasObject
	if s.Source.Demo {
		open := widget.NewButtonWithIcon("Open your own HAR…", theme.FolderOpenIcon(), w.ShowOpenDialog)
		open.Importance = widget.HighImportance
		objs = append(objs, widgets.Banner(theme.InfoIcon(),
			"This is a DEMO trace recorded against test servers, not a customer's. Open your own with File ▸ Open (Ctrl+O) or drag a .har file onto this window.",
			widget.HighImportance, open))
	}
	if s.Damage != nil {
		objs = append(objs, widgets.Banner(theme.WarningIcon(), viewmodel.DamageText(s.Damage, len(s.Entries())), widget.WarningImportance, nil))
	}
	if strings.Contains(s.Trace.Log.Comment, sanitize.CommentPrefix) {
		objs = append(objs, widgets.Banner(theme.InfoIcon(),
			"This HAR was sanitized by AuthLens: passwords, cookie values and tokens are placeholders (the same secret has the same placeholder), so the diagnosis holds but the values are not the real ones.",
			widget.MediumImportance, nil))
	}
	for _, wmsg := range s.Warnings {
		objs = append(objs, widgets.Banner(theme.InfoIcon(), "Note about this file: "+wmsg, widget.MediumImportance, nil))
	}
	if text := w.restoredCaseText(); text != "" {
		clear := widget.NewButtonWithIcon("Clear case", theme.DeleteIcon(), w.ClearCase)
		clear.Importance = widget.LowImportance
		objs = append(objs, widgets.Banner(theme.HistoryIcon(), text, widget.MediumImportance, clear)) // body-text colour: green on green is hard to read
	}
	w.banners.Objects = objs
	w.banners.Refresh()
}

// showReadError shows why a file could not be opened, and what to do.
func (w *Window) showReadError(name string, err error) {
	if errors.Is(err, errCancelled) {
		return
	}
	r := viewmodel.ReadErrorText(baseName(name), err)
	whatL := widgets.Para(r.What)
	nextL := widgets.Para("What to do: " + r.Next)
	detail := widgets.Para("File: " + name + "\nDetails: " + r.Detail)
	detail.Wrapping = fyne.TextWrapBreak
	detail.Importance = widget.LowImportance
	content := container.NewVBox(whatL, nextL, detail)
	// Lay the text out at the dialog's width first: wrapped labels only
	// know their height once they know their width.
	const width = 520
	content.Resize(fyne.NewSize(width, 2000))
	d := dialog.NewCustom(r.Title, "Close", container.NewGridWrap(fyne.NewSize(width, content.MinSize().Height), content), w.win)
	d.Show()
}

// showHowToExport explains how a customer records a HAR.
func (w *Window) showHowToExport() {
	text := strings.Join([]string{
		"In Chrome or Edge: press F12, open the Network tab, tick “Preserve log”, reproduce the problem, then right-click the list ▸ “Save all as HAR (with sensitive data)”. Since Chrome 130 the default export leaves out cookies and sign-in headers, which hides many causes.",
		"In Firefox: press F12, Network tab, reproduce the problem, then the cog menu ▸ “Save All As HAR”.",
		"In Safari: Develop ▸ Show Web Inspector ▸ Network, reproduce, then Export.",
		"A HAR with sensitive data contains the customer's session: treat it like a password and delete it when the ticket is closed.",
	}, "\n\n")
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom("Getting a HAR file from a customer", "Close", container.NewGridWrap(fyne.NewSize(560, 330), container.NewVScroll(l)), w.win)
	d.Show()
}
