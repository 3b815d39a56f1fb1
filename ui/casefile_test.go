package ui

import (
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2/test"

	"authlens/ui/filedialog"
	"authlens/ui/viewmodel"
)

// testConfigBase holds one config folder per test (newTestWindow).
var testConfigBase string

// TestMain keeps every window of the tests away from the person's own
// config folder: case files go to a temporary one.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "authlens-ui-test")
	if err != nil {
		panic(err)
	}
	testConfigBase = dir
	os.Setenv(viewmodel.EnvConfigDir, dir)
	os.Setenv(filedialog.EnvNoPortal, "1") // the tests drive AuthLens's own file dialog
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// copyFile copies the support trace to a new path: a case is keyed by
// the content, not by where the file is.
func copyTrace(t *testing.T, from string) string {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "copy.har")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func firstFailure(w *Window) int {
	for _, x := range w.session.Report.Exchanges {
		if x.Problem && len(x.Diagnoses) > 0 {
			return x.Index
		}
	}
	return -1
}

func TestCaseFileRestoredWhenTheSameTraceIsOpenedAgain(t *testing.T) {
	t.Setenv(viewmodel.EnvConfigDir, t.TempDir())
	w := newTestWindow(t, Options{})
	openAndWait(t, w, supportHAR)
	i := firstFailure(w)
	w.selectEntry(i)
	w.detail.openTab(viewmodel.TabGuide, "")
	v := w.walkView
	test.Type(v.notes, "Customer cleared cookies at 10:40.")
	test.Tap(v.next) // the cause
	test.Tap(v.next) // its remedy
	stage, cause := v.wt.Stage, v.wt.Cause
	v.wt.SetChecked(0, true)
	w.caseEdited(v.wt)

	// Another file: the edits are saved on the way, and it starts clean.
	openAndWait(t, w, "testdata/truncated.har")
	if w.cases.dirty {
		t.Fatal("edits still unsaved after opening another trace")
	}
	if w.cases.restored {
		t.Error("a different trace came up with a restored case")
	}
	if j := firstFailure(w); j >= 0 && w.walkthrough(j).Notes != "" {
		t.Error("a different trace shows notes")
	}

	// The same content from another path: everything is back.
	openAndWait(t, w, copyTrace(t, supportHAR))
	if !w.cases.restored {
		t.Fatal("the case was not restored")
	}
	if w.selected != i {
		t.Errorf("selected #%d, want #%d where the person was", w.selected, i)
	}
	wt := w.walkthrough(i)
	if wt.Notes != "Customer cleared cookies at 10:40." || wt.Stage != stage || wt.Cause != cause || !wt.Checked(0) {
		t.Errorf("restored %+v", wt.State())
	}
	if !containsText(w.banners, "notes") {
		t.Errorf("no banner says the case was restored: %q", texts(w.banners))
	}

	// Clear case forgets it, on disk too.
	w.clearCaseNow()
	if w.walkthrough(i).Notes != "" {
		t.Error("Clear case kept the notes")
	}
	if c, _ := w.cases.store.Load(w.cases.file.Key); c != nil {
		t.Error("Clear case left the file")
	}
}

func TestUnsavableCaseAsksBeforeLeaving(t *testing.T) {
	blocked := filepath.Join(t.TempDir(), "file-not-folder")
	if err := os.WriteFile(blocked, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(viewmodel.EnvConfigDir, blocked) // cases/ cannot be made under a file
	w := newTestWindow(t, Options{})
	openAndWait(t, w, supportHAR)
	i := firstFailure(w)
	w.selectEntry(i)
	w.detail.openTab(viewmodel.TabGuide, "")
	test.Type(w.walkView.notes, "important")
	w.CloseTrace()
	if w.session == nil {
		t.Fatal("the trace closed although its notes could not be saved")
	}
	top := w.win.Canvas().Overlays().Top()
	if top == nil || !containsText(top, "could not be saved") {
		t.Fatalf("no warning dialog: %v", top)
	}
	b := findButton(top, "Close the trace without saving")
	if b == nil {
		t.Fatal("no button to leave anyway")
	}
	test.Tap(b)
	if w.session != nil {
		t.Error("leaving anyway did not close the trace")
	}
}
