package filedialog

import (
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

func TestSaveFolderIsDocumentsElseHome(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	if got := SaveFolder(); got != home {
		t.Errorf("without Documents: %q, want home", got)
	}
	docs := filepath.Join(home, "Documents")
	if err := os.Mkdir(docs, 0o700); err != nil {
		t.Fatal(err)
	}
	if got := SaveFolder(); got != docs {
		t.Errorf("save folder %q, want %q", got, docs)
	}
	// A localized Documents folder named in user-dirs.dirs comes first.
	mine := filepath.Join(home, "Dokumente")
	if err := os.Mkdir(mine, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(home, ".config"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".config", "user-dirs.dirs"), []byte("XDG_DOCUMENTS_DIR=\"$HOME/Dokumente\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := SaveFolder(); got != mine {
		t.Errorf("save folder %q, want %q", got, mine)
	}
}

func TestTypedPathEnterEscAndBrowse(t *testing.T) {
	a := test.NewTempApp(t)
	win := a.NewWindow("t")
	win.Resize(fyne.NewSize(1000, 700))
	c := &TypedPath{win: win}
	if c.Field() != nil || c.BrowseButton() != nil {
		t.Fatal("a dialog before any was shown")
	}
	var got []string
	done := func(p string) { got = append(got, p) }

	c.Open(Request{Title: "Open", Dir: "/tmp", Name: "x.har"}, done)
	if win.Canvas().Focused() != c.Field() {
		t.Error("the path field does not have the focus")
	}
	if c.Field().Text != "/tmp"+string(filepath.Separator)+"x.har" {
		t.Errorf("proposed %q", c.Field().Text)
	}
	c.Field().TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if len(got) != 1 || got[0] != "" {
		t.Fatalf("Esc gave %q, want one empty answer", got)
	}

	home, _ := os.UserHomeDir()
	c.Save(Request{Title: "Save"}, done)
	c.Field().SetText("")
	test.Type(c.Field(), "~/a.har")
	c.Field().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if len(got) != 2 || got[1] != filepath.Join(home, "a.har") {
		t.Fatalf("Enter gave %q, want ~ expanded", got)
	}

	c.Open(Request{Title: "Open", Exts: []string{".har"}}, done)
	test.Tap(c.BrowseButton())
	if win.Canvas().Overlays().Top() == nil {
		t.Error("Browse… showed no file dialog")
	}
}
