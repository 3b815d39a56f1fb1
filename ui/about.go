package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"authlens/ui/widgets"
)

// showAbout shows the About box with the version.
func (w *Window) showAbout() {
	version := w.opts.Version
	if version == "" {
		version = "development build"
	}
	title := widgets.Heading("AuthLens " + version)
	text := widgets.Para("AuthLens explains why a website answered 401 (not signed in) or 403 (refused): " +
		"it reads a HAR trace or captures live traffic, ranks the likely causes with the evidence from the traffic, " +
		"and walks support staff through the fixes.\n\n" +
		"Secrets in traces (passwords, tokens, cookies) stay masked unless you reveal them, and are never written to the summaries.")
	items := []fyne.CanvasObject{title, text}
	if len(w.opts.Icon) > 0 {
		img := widget.NewIcon(fyne.NewStaticResource("authlens.png", w.opts.Icon))
		items = append([]fyne.CanvasObject{container.NewCenter(container.NewGridWrap(fyne.NewSize(64, 64), img))}, items...)
	}
	d := dialog.NewCustom("About AuthLens", "Close", container.NewGridWrap(fyne.NewSize(460, 260), container.NewVBox(items...)), w.win)
	d.Show()
}
