package ui

// Capture view — PLACEHOLDER owned by the capture helper, who replaces this
// file with the real live-capture screen (authlens/capture).
//
// What app.go expects from this file (keep these names and meanings):
//
//   - func newCaptureView(win fyne.Window, deps CaptureDeps) fyne.CanvasObject
//     builds the content of the "Capture" tab. It is called once, on the UI
//     goroutine, when the main window is built. Work it starts in goroutines
//     must reach widgets through fyne.Do and stop when deps.Ctx is done.
//   - type CaptureDeps (below) is what the app hands the view. Fields may be
//     added; app.go fills in the ones listed here.
//
// The placeholder only explains what the tab is for.

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"authlens/har"
)

// CaptureDeps is what the main window gives the capture view.
type CaptureDeps struct {
	// Ctx is cancelled when the window closes: stop the proxy then.
	Ctx context.Context
	// OpenFile loads a HAR file (for example the capture journal once the
	// capture is stopped) into the analysis views, exactly like File ▸ Open,
	// and switches to them.
	OpenFile func(path string)
	// ShowEntries shows entries captured in memory in the analysis views
	// (analysed as one trace) and switches to them. name is the window
	// title's file part, e.g. "Live capture 14:02".
	ShowEntries func(name string, log har.Log, entries []*har.Entry)
	// Prefs stores settings such as the proxy port between runs.
	Prefs fyne.Preferences
}

func newCaptureView(win fyne.Window, deps CaptureDeps) fyne.CanvasObject {
	_ = win
	_ = deps
	msg := widget.NewLabel("Live capture records a customer's traffic through AuthLens " +
		"(a local proxy) so nothing is hidden by a sanitized export. " +
		"This screen is being built; meanwhile use File ▸ Open with a HAR exported from the browser.")
	msg.Wrapping = fyne.TextWrapWord
	return container.NewPadded(container.NewVBox(widget.NewLabelWithStyle("Capture", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), msg))
}
