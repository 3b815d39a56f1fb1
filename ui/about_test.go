package ui

import "testing"

// The About box shows the version string the binary was stamped with,
// commit included (authlens/internal/cli.VersionString).
func TestAboutShowsVersionAndCommit(t *testing.T) {
	w := newTestWindow(t, Options{Version: "0.1.0 (commit 0123456789ab)"})
	w.showAbout()
	top := w.win.Canvas().Overlays().Top()
	if !containsText(top, "AuthLens 0.1.0 (commit 0123456789ab)") {
		t.Errorf("About box: %q", texts(top))
	}
}
