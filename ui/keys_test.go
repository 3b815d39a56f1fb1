package ui

import (
	"image/color"
	"math"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"authlens/ui/viewmodel"
)

func key(w *Window, name fyne.KeyName) {
	w.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: name})
}

func TestEscAndEnterInDialogs(t *testing.T) {
	w := newTestWindow(t, Options{})
	openAndWait(t, w, supportHAR)

	answer := ""
	dialog.ShowConfirm("Sure?", "Really?", func(ok bool) { answer = map[bool]string{true: "yes", false: "no"}[ok] }, w.win)
	key(w, fyne.KeyEscape)
	if answer != "no" || w.win.Canvas().Overlays().Top() != nil {
		t.Errorf("Esc: answer %q, dialog still shown: %v", answer, w.win.Canvas().Overlays().Top() != nil)
	}
	dialog.ShowConfirm("Sure?", "Really?", func(ok bool) { answer = map[bool]string{true: "yes", false: "no"}[ok] }, w.win)
	key(w, fyne.KeyReturn)
	if answer != "yes" {
		t.Errorf("Enter answered %q", answer)
	}
	dialog.ShowInformation("Note", "Text", w.win)
	key(w, fyne.KeyReturn)
	if w.win.Canvas().Overlays().Top() != nil {
		t.Error("Enter did not close an information box")
	}

	// Our own: the export dialog, and the report dialog.
	w.ShowExportOriginal()
	key(w, fyne.KeyEscape)
	if w.win.Canvas().Overlays().Top() != nil {
		t.Error("Esc did not cancel the export warning")
	}
	saved := saveToTemp(t, w)
	w.ShowSaveReport(nil)
	key(w, fyne.KeyEnter)
	if len(*saved) != 1 {
		t.Errorf("Enter in the report dialog saved %d files", len(*saved))
	}
}

func TestKeyboardAfterFindGoesBackToTheList(t *testing.T) {
	w := newTestWindow(t, Options{})
	openAndWait(t, w, supportHAR)
	sc := w.win.Canvas().(fyne.Shortcutable)
	for _, k := range []fyne.KeyName{fyne.KeyEscape, fyne.KeyTab, fyne.KeyDown} {
		sc.TypedShortcut(shortcutFind)
		if w.win.Canvas().Focused() != w.overview.search {
			t.Fatal("Ctrl+F did not focus the search box")
		}
		before := w.selected
		w.overview.search.TypedKey(&fyne.KeyEvent{Name: k})
		if w.win.Canvas().Focused() != w.overview.list {
			t.Errorf("%s in the search box left the focus on %T, want the list", k, w.win.Canvas().Focused())
		}
		if k == fyne.KeyDown && w.selected == before && len(w.overview.visible) > 1 {
			t.Error("↓ in the search box did not move the selection")
		}
	}
	// Enter on the list opens the guided fix of a failing request.
	w.selectEntry(firstFailure(w))
	w.overview.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if w.detail.current() != viewmodel.TabGuide {
		t.Errorf("Enter opened %q, want the guided fix", w.detail.current())
	}
	// Ctrl+C copies the row's address, Ctrl+Shift+C the summary.
	w.win.Canvas().Unfocus()
	sc.TypedShortcut(&fyne.ShortcutCopy{})
	if got := w.app.Clipboard().Content(); !strings.HasPrefix(got, "http") {
		t.Errorf("Ctrl+C copied %q, want the address", got)
	}
	sc.TypedShortcut(shortcutCopySummary)
	if got := w.app.Clipboard().Content(); !strings.Contains(got, "%") || !strings.Contains(got, "#") {
		t.Errorf("Ctrl+Shift+C copied no summary with confidence:\n%s", got)
	}
	// Esc from the details goes back to the list.
	key(w, fyne.KeyEscape)
	if w.win.Canvas().Focused() != w.overview.list {
		t.Error("Esc did not return to the list")
	}
}

// contrast is the WCAG 2 contrast ratio of two colours.
func contrast(c1, c2 color.Color) float64 {
	lum := func(c color.Color) float64 {
		r, g, b, _ := c.RGBA()
		ch := func(v uint32) float64 {
			s := float64(v) / 0xffff
			if s <= 0.04045 {
				return s / 12.92
			}
			return math.Pow((s+0.055)/1.055, 2.4)
		}
		return 0.2126*ch(r) + 0.7152*ch(g) + 0.0722*ch(b)
	}
	l1, l2 := lum(c1), lum(c2)
	if l1 < l2 {
		l1, l2 = l2, l1
	}
	return (l1 + 0.05) / (l2 + 0.05)
}

func TestMaskedValuesAreReadableInBothThemes(t *testing.T) {
	test.NewTempApp(t)
	for _, variant := range []string{themeLight, themeDark} {
		th := appTheme{variant: variant}
		fyne.CurrentApp().Settings().SetTheme(th)
		bg := th.Color(theme.ColorNameBackground, theme.VariantDark)
		masked := maskedTheme{}.Color(theme.ColorNameDisabled, theme.VariantDark)
		if r := contrast(masked, bg); r < 4.5 {
			t.Errorf("%s theme: masked text contrast %.2f:1, want ≥ 4.5", variant, r)
		}
	}
}

func TestRequestBodyHintNamesAButtonThatIsThere(t *testing.T) {
	w := newTestWindow(t, Options{})
	openAndWait(t, w, "../testdata/traces/client-credentials-invalid/client-credentials-invalid/trace.har")
	for i, e := range w.session.Entries() {
		if e.Request.PostData == nil {
			continue
		}
		if body, _ := w.session.RequestBody(i); body == "" {
			continue
		}
		w.selectEntry(i)
		w.detail.openTab(viewmodel.TabRequest, "")
		tab := w.detail.items[viewmodel.TabRequest].Content
		if containsText(tab, "above") {
			t.Errorf("#%d: a hint points 'above': %q", i, texts(tab))
		}
		if containsText(tab, "Hidden (") && findButton(tab, "Reveal secrets") == nil {
			t.Errorf("#%d: a hidden body without a Reveal button", i)
		}
		return
	}
	t.Fatal("no request body in the trace")
}

func TestThemeMenuAndWindowSizeAreRemembered(t *testing.T) {
	w := newTestWindow(t, Options{})
	w.SetTheme(themeLight)
	if th, ok := w.app.Settings().Theme().(appTheme); !ok || th.variant != themeLight {
		t.Errorf("theme %#v after View ▸ Theme ▸ Light", w.app.Settings().Theme())
	}
	var light *fyne.MenuItem
	for _, it := range menuItem(t, w, "Theme").ChildMenu.Items {
		if it.Label == "Light" {
			light = it
		}
	}
	if light == nil || !light.Checked {
		t.Error("View ▸ Theme does not tick Light")
	}
	if sz := w.initialSize(); sz.Width > 1229 || sz.Height > 691 {
		t.Errorf("first size %v is more than 90%% of a 1366×768 screen", sz)
	}
	w.win.Resize(fyne.NewSize(1000, 600))
	w.rememberSize()
	if sz := w.initialSize(); sz != fyne.NewSize(1000, 600) {
		t.Errorf("remembered %v, want 1000×600", sz)
	}
}
