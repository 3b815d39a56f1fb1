// Package filedialog asks where to open or save a file: the desktop's own
// dialog through the xdg-desktop-portal on Linux (portal_linux.go), else a
// typed-path dialog with Browse… (Fyne's). It is a package of its own
// because it needs nothing of the window but the fyne.Window it shows on.
package filedialog

import (
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"authlens/ui/widgets"
)

// Chooser asks where to open or save a file. The system's own dialog
// where there is one (portal_linux.go), else TypedPath.
// done gets "" when the person cancelled.
type Chooser interface {
	Open(req Request, done func(path string))
	Save(req Request, done func(path string))
}

// Request is what a file dialog is asked.
type Request struct {
	Title string
	Dir   string   // the folder to start in
	Name  string   // Save: the suggested file name
	Exts  []string // the extensions offered (".har"), for the filter
}

// EnvNoPortal makes AuthLens use its own file dialog even where the
// desktop portal is available (hidden; for screenshots and testing).
const EnvNoPortal = "AUTHLENS_NO_PORTAL"

// New is the system's dialog when the desktop offers one,
// Fyne's otherwise.
func New(win fyne.Window) Chooser {
	fallback := &TypedPath{win: win}
	if c := nativeChooser(win, fallback); c != nil {
		return c
	}
	return fallback
}

// SaveFolder is where saves start: the person's Documents folder (or
// Downloads, or home), never the folder of an opened trace, which may be
// a shared or read-only corpus.
func SaveFolder() string {
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	for _, dir := range []string{xdgUserDir(home, "XDG_DOCUMENTS_DIR"), filepath.Join(home, "Documents"), xdgUserDir(home, "XDG_DOWNLOAD_DIR"), filepath.Join(home, "Downloads")} {
		if fi, err := os.Stat(dir); dir != "" && err == nil && fi.IsDir() {
			return dir
		}
	}
	return home
}

// xdgUserDir reads a folder from ~/.config/user-dirs.dirs (Linux desktops
// name Documents in the person's language); "" when unknown.
func xdgUserDir(home, name string) string {
	b, err := os.ReadFile(filepath.Join(home, ".config", "user-dirs.dirs"))
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(line), "=")
		if !ok || k != name {
			continue
		}
		v = strings.Trim(v, `"`)
		return filepath.Clean(strings.Replace(v, "$HOME", home, 1))
	}
	return ""
}

// TypedPath is the dialog where the system has none: a path field
// to type or paste into (Enter opens, Esc cancels), and Browse… for
// Fyne's file dialog.
type TypedPath struct {
	win fyne.Window
	// last is the dialog last shown (tests type into it).
	last *pathDialog
}

// Field is the path field of the dialog last shown (nil before one);
// tests type into it.
func (c *TypedPath) Field() *PathEntry {
	if c.last == nil {
		return nil
	}
	return c.last.path
}

// BrowseButton is the Browse… button of the dialog last shown.
func (c *TypedPath) BrowseButton() *widget.Button {
	if c.last == nil {
		return nil
	}
	return c.last.browse
}

type pathDialog struct {
	path   *PathEntry
	dlg    *dialog.ConfirmDialog
	browse *widget.Button
}

func (c *TypedPath) Open(req Request, done func(string)) {
	c.show(req, false, done)
}

func (c *TypedPath) Save(req Request, done func(string)) {
	c.show(req, true, done)
}

func (c *TypedPath) show(req Request, save bool, done func(string)) {
	pd := &pathDialog{}
	pd.path = newPathEntry()
	start := req.Dir
	if start != "" {
		start += string(filepath.Separator)
	}
	pd.path.SetText(start + req.Name)
	pd.path.CursorColumn = len([]rune(pd.path.Text))
	confirm := "Open"
	hint := "Type or paste the file's path, or press Browse…"
	if save {
		confirm = "Save"
		hint = "Type the path to save to, or press Browse… to pick a folder"
	}
	var finished bool
	finish := func(p string) {
		if finished {
			return
		}
		finished = true
		done(p)
	}
	pd.browse = widget.NewButton("Browse…", func() { c.browse(req, save, pd) })
	form := container.NewVBox(widgets.Para(hint), container.NewBorder(nil, nil, nil, pd.browse, pd.path))
	pd.dlg = dialog.NewCustomConfirm(req.Title, confirm, "Cancel", container.NewGridWrap(fyne.NewSize(620, form.MinSize().Height), form), func(ok bool) {
		if !ok {
			finish("")
			return
		}
		finish(expandHome(strings.TrimSpace(pd.path.Text)))
	}, c.win)
	pd.path.onSubmit = pd.dlg.Confirm
	pd.path.onEscape = pd.dlg.Dismiss
	c.last = pd
	pd.dlg.Show()
	c.win.Canvas().Focus(pd.path)
}

// browse opens Fyne's file dialog at the typed folder; what is picked
// goes into the path field, to confirm with Enter.
func (c *TypedPath) browse(req Request, save bool, pd *pathDialog) {
	typed := expandHome(strings.TrimSpace(pd.path.Text))
	dir := typed
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		dir = filepath.Dir(typed)
	}
	var d *dialog.FileDialog
	if save {
		d = dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
			if wc == nil || err != nil {
				return
			}
			p := wc.URI().Path()
			wc.Close()
			pd.path.SetText(p)
			pd.dlg.Confirm()
		}, c.win)
		d.SetFileName(filepath.Base(typed))
	} else {
		d = dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
			if rc == nil || err != nil {
				return
			}
			p := rc.URI().Path()
			rc.Close()
			pd.path.SetText(p)
			pd.dlg.Confirm()
		}, c.win)
	}
	if len(req.Exts) > 0 {
		d.SetFilter(storage.NewExtensionFileFilter(req.Exts))
	}
	if l, err := storage.ListerForURI(storage.NewFileURI(dir)); err == nil {
		d.SetLocation(l)
	}
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}

func expandHome(p string) string {
	if p == "~" || strings.HasPrefix(p, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, strings.TrimPrefix(p, "~"))
		}
	}
	return p
}

// PathEntry is the path field: Enter confirms and Esc cancels the dialog
// even while the cursor is in it.
type PathEntry struct {
	widget.Entry
	onSubmit, onEscape func()
}

func newPathEntry() *PathEntry {
	e := &PathEntry{}
	e.ExtendBaseWidget(e)
	return e
}

func (e *PathEntry) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		if e.onSubmit != nil {
			e.onSubmit()
		}
	case fyne.KeyEscape:
		if e.onEscape != nil {
			e.onEscape()
		}
	default:
		e.Entry.TypedKey(ev)
	}
}
