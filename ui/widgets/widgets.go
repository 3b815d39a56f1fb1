// Package widgets holds the small drawing helpers the window (ui) and
// its view packages (ui/filedialog, ui/captureview, ui/compareview) share,
// so no view package needs ui and none keeps its own copy.
package widgets

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Heading is a bold label in the theme's sub-heading size.
func Heading(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameSubHeadingText
	l.Wrapping = fyne.TextWrapWord
	return l
}

// Para is a wrapped label for a paragraph of text.
func Para(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// SectionLabel is a bold small heading inside a tab.
func SectionLabel(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// WithAlpha is c with alpha a.
func WithAlpha(c color.Color, a uint8) color.Color {
	r, g, b, _ := c.RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: a}
}

// CanvasRect is a rectangle of colour c with the theme's input corners.
func CanvasRect(c color.Color) *canvas.Rectangle {
	r := canvas.NewRectangle(c)
	r.CornerRadius = theme.Size(theme.SizeNameInputRadius)
	return r
}
