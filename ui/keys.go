package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"authlens/redact"
	"authlens/ui/viewmodel"
)

// The keyboard, one set everywhere (documented in README.md and Help ▸
// Keyboard shortcuts):
//
//	Ctrl+O open · Ctrl+F search · Ctrl+W close the trace · Ctrl+E export
//	↑/↓ move in the list · Enter opens the guided fix of the selected request
//	Esc back to the list (from the search box or the details)
//	Ctrl+C copies the selected row's address (text you selected wins)
//	Ctrl+Shift+C copies the summary of the selected request
//	in every dialog: Esc cancels, Enter confirms
//	Tab: list → details → actions

// keyboardHelp is what Help ▸ Keyboard shortcuts shows.
var keyboardHelp = [][2]string{
	{"Ctrl+O", "Open a HAR file"},
	{"Ctrl+F", "Search the requests"},
	{"↑ / ↓", "Move in the list of requests"},
	{"Enter", "Open the guided fix of the selected request"},
	{"Esc", "Back to the list (from the search box or the details)"},
	{"Ctrl+C", "Copy the selected request's address"},
	{"Ctrl+Shift+C", "Copy the summary of the selected request, for a ticket"},
	{"Ctrl+E", "Export a sanitized HAR"},
	{"Ctrl+W", "Close the trace"},
	{"Tab", "Move on: list → details → actions"},
	{"Esc / Enter in a dialog", "Cancel / confirm"},
}

// typedKey handles the keys no focused widget took.
func (w *Window) typedKey(ev *fyne.KeyEvent) {
	if top := w.win.Canvas().Overlays().Top(); top != nil {
		w.dialogKey(top, ev)
		return
	}
	switch ev.Name {
	case fyne.KeyDown:
		w.overview.moveSelection(1)
		w.focusList()
	case fyne.KeyUp:
		w.overview.moveSelection(-1)
		w.focusList()
	case fyne.KeyEscape:
		w.focusList()
	case fyne.KeyReturn, fyne.KeyEnter:
		w.openGuide()
	}
}

// focusList gives the list the keyboard focus (Esc from anywhere).
func (w *Window) focusList() {
	if w.session == nil {
		return
	}
	w.tabs.SelectIndex(0)
	w.win.Canvas().Focus(w.overview.list)
}

// openGuide opens the guided fix of the selected request (Enter).
func (w *Window) openGuide() {
	if w.session == nil || w.selected < 0 {
		return
	}
	w.detail.openTab(viewmodel.TabGuide, "")
}

// CopySelectedURL copies the selected request's address (Ctrl+C when no
// text is selected), with secrets in its query masked.
func (w *Window) CopySelectedURL() {
	if w.session == nil || w.selected < 0 || w.selected >= len(w.session.Entries()) {
		return
	}
	w.app.Clipboard().SetContent(redact.URL(w.session.Entries()[w.selected].Request.URL))
}

// dialogKey makes Esc cancel and Enter confirm the dialog on top, for
// every dialog — Fyne's own included — by pressing its buttons: Enter
// the last enabled primary one, Esc the last other one (Cancel, Close,
// No, OK).
func (w *Window) dialogKey(top fyne.CanvasObject, ev *fyne.KeyEvent) {
	var confirm, dismiss *widget.Button
	for _, b := range buttonsIn(top) {
		if b.Disabled() || !b.Visible() || b.OnTapped == nil {
			continue
		}
		if b.Importance == widget.HighImportance || b.Importance == widget.DangerImportance {
			confirm = b
		} else {
			dismiss = b
		}
	}
	switch ev.Name {
	case fyne.KeyEscape:
		if dismiss != nil {
			dismiss.OnTapped()
		} else if p, ok := top.(*widget.PopUp); ok {
			p.Hide() // a menu or a pop-up without buttons
		}
	case fyne.KeyReturn, fyne.KeyEnter:
		switch {
		case confirm != nil:
			confirm.OnTapped()
		case dismiss != nil && isCloseOnly(top):
			dismiss.OnTapped() // an information box: Enter closes it
		}
	}
}

// isCloseOnly reports whether a dialog has a single button (OK, Close).
func isCloseOnly(o fyne.CanvasObject) bool {
	n := 0
	for _, b := range buttonsIn(o) {
		if b.Visible() && !b.Disabled() {
			n++
		}
	}
	return n == 1
}

// buttonsIn lists the buttons inside o in layout order, looking through
// the containers Fyne's dialogs are made of (public fields only).
func buttonsIn(o fyne.CanvasObject) []*widget.Button {
	var out []*widget.Button
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		switch x := o.(type) {
		case *widget.Button:
			out = append(out, x)
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case *widget.PopUp:
			walk(x.Content)
		case *container.Scroll:
			walk(x.Content)
		case *container.Split:
			walk(x.Leading)
			walk(x.Trailing)
		case *container.ThemeOverride:
			walk(x.Content)
		}
	}
	walk(o)
	return out
}

// searchEntry is the search box: Esc, Enter, Tab and the arrows leave it
// for the list, so the keyboard never gets stuck in it after Ctrl+F.
type searchEntry struct {
	widget.Entry
	w *Window
}

func newSearchEntry(w *Window) *searchEntry {
	e := &searchEntry{w: w}
	e.ExtendBaseWidget(e)
	return e
}

// AcceptsTab keeps Tab for TypedKey: the next stop is the list, not the
// host filter beside the box.
func (e *searchEntry) AcceptsTab() bool { return true }

func (e *searchEntry) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyEscape, fyne.KeyReturn, fyne.KeyEnter, fyne.KeyTab:
		e.w.focusList()
	case fyne.KeyDown:
		e.w.overview.moveSelection(1)
		e.w.focusList()
	case fyne.KeyUp:
		e.w.overview.moveSelection(-1)
		e.w.focusList()
	default:
		e.Entry.TypedKey(ev)
	}
}

// showKeyboardHelp lists the shortcuts (Help ▸ Keyboard shortcuts).
func (w *Window) showKeyboardHelp() {
	var keys, what []string
	for _, k := range keyboardHelp {
		keys = append(keys, k[0])
		what = append(what, k[1])
	}
	k := widget.NewLabelWithStyle(strings.Join(keys, "\n"), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	d := widget.NewLabel(strings.Join(what, "\n"))
	dialog.NewCustom("Keyboard shortcuts", "Close", container.NewHBox(k, d), w.win).Show()
}
