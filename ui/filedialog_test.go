package ui

import (
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"authlens/ui/filedialog"
)

func TestOpenDialogTakesATypedPathAndKeys(t *testing.T) {
	w := newTestWindow(t, Options{})
	c, ok := w.files.(*filedialog.TypedPath)
	if !ok {
		t.Fatalf("tests use %T, want the typed-path dialog", w.files)
	}
	w.ShowOpenDialog()
	if w.win.Canvas().Focused() != c.Field() {
		t.Error("the path field does not have the focus")
	}
	c.Field().TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if w.win.Canvas().Overlays().Top() != nil {
		t.Fatal("Esc in the path field did not cancel")
	}
	abs, _ := filepath.Abs(supportHAR)
	w.ShowOpenDialog()
	c.Field().SetText("")
	test.Type(c.Field(), abs)
	c.Field().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	w.WaitLoaded()
	if w.session == nil || w.session.Source.Path != abs {
		t.Fatalf("Enter on a typed path did not open it")
	}
	// Browse… shows Fyne's dialog on top, at the typed folder.
	w.ShowOpenDialog()
	test.Tap(c.BrowseButton())
	if findButton(w.win.Canvas().Overlays().Top(), "Open") == nil {
		t.Error("Browse… showed no file dialog")
	}
}

func TestSavesStartInDocumentsNotTheTraceFolder(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	docs := filepath.Join(home, "Documents")
	if got := filedialog.SaveFolder(); got != home {
		t.Errorf("without Documents: %q, want home", got)
	}
	if err := os.Mkdir(docs, 0o700); err != nil {
		t.Fatal(err)
	}
	if got := filedialog.SaveFolder(); got != docs {
		t.Errorf("save folder %q, want %q", got, docs)
	}
	w := newTestWindow(t, Options{})
	openAndWait(t, w, supportHAR)
	w.ShowExportOriginal()
	key(w, fyne.KeyReturn) // confirm the warning
	c := w.files.(*filedialog.TypedPath)
	if c.Field() == nil || filepath.Dir(c.Field().Text) != docs {
		t.Fatalf("the save dialog proposes %q, want a file in %s", c.Field().Text, docs)
	}
	c.Field().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	fi, err := os.Stat(filepath.Join(docs, "support.har"))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("saved with mode %v", fi.Mode().Perm())
	}
}
