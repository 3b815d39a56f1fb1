package ui

import (
	"os"
	"path/filepath"
	"testing"
)

// A capture journal left by a crash is offered for recovery when the app
// starts, and accepting switches to the Capture tab where it is listed.
func TestStartOffersToRecoverAnUnfinishedCapture(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	dir := filepath.Join(home, "AuthLens captures")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	journal := `{"log":{"version":"1.2","creator":{"name":"AuthLens","version":"test"},"entries":[`
	if err := os.WriteFile(filepath.Join(dir, "capture.har.journal"), []byte(journal), 0o600); err != nil {
		t.Fatal(err)
	}
	w := newTestWindow(t, Options{})
	if w.unfinishedCaptures != 1 {
		t.Fatalf("unfinished captures found: %d, want 1", w.unfinishedCaptures)
	}
	w.Start()
	top := w.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no recovery dialog shown at start")
	}
	if !containsText(top, "stopped unexpectedly") {
		t.Error("the dialog does not say the capture stopped unexpectedly")
	}
}

func TestStartWithoutJournalsShowsNoDialog(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	w := newTestWindow(t, Options{})
	w.Start()
	if top := w.win.Canvas().Overlays().Top(); top != nil {
		t.Error("a dialog was shown although no capture was left unfinished")
	}
}
