package ui

import (
	"fyne.io/fyne/v2"
)

// The window's size: it opens at the size it had when last closed, or at
// a default that fits a 1366×768 laptop screen within 90% (Fyne cannot
// tell the screen's size on every platform, so the default is modest).

const (
	prefWindowWidth  = "windowWidth"
	prefWindowHeight = "windowHeight"
)

var (
	defaultWindowSize = fyne.NewSize(1200, 680)
	// minWindowSize is what every view still fits in (1024×640 screens
	// less the desktop's panels): a remembered size is never smaller.
	minWindowSize = fyne.NewSize(800, 500)
)

// initialSize is the size the window opens at.
func (w *Window) initialSize() fyne.Size {
	p := w.app.Preferences()
	width, height := p.Float(prefWindowWidth), p.Float(prefWindowHeight)
	if width <= 0 || height <= 0 {
		return defaultWindowSize
	}
	return fyne.NewSize(max(float32(width), minWindowSize.Width), max(float32(height), minWindowSize.Height))
}

// rememberSize keeps the window's size for the next start.
func (w *Window) rememberSize() {
	if w.fixedSize {
		return // a size set for screenshots is not the person's
	}
	sz := w.win.Canvas().Size()
	if sz.Width < minWindowSize.Width || sz.Height < minWindowSize.Height {
		return
	}
	w.app.Preferences().SetFloat(prefWindowWidth, float64(sz.Width))
	w.app.Preferences().SetFloat(prefWindowHeight, float64(sz.Height))
}
