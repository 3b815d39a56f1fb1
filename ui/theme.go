package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The app uses Fyne's default theme, which follows the system's light or
// dark setting; these helpers only tint surfaces from the theme's colours.

// bannerColor is a faint tint of the importance's theme colour, for bars.
func bannerColor(imp widget.Importance) color.Color {
	name := theme.ColorNamePrimary
	switch imp {
	case widget.WarningImportance:
		name = theme.ColorNameWarning
	case widget.DangerImportance:
		name = theme.ColorNameError
	case widget.SuccessImportance:
		name = theme.ColorNameSuccess
	case widget.MediumImportance, widget.LowImportance:
		name = theme.ColorNameDisabled
	}
	return withAlpha(theme.Color(name), 0x38)
}

func withAlpha(c color.Color, a uint8) color.Color {
	r, g, b, _ := c.RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: a}
}

func canvasRect(c color.Color) *canvas.Rectangle {
	r := canvas.NewRectangle(c)
	r.CornerRadius = theme.Size(theme.SizeNameInputRadius)
	return r
}

// statusImportance colours a status: sign-in and permission failures stand
// out, other errors are warnings.
func statusImportance(code int, failing bool) widget.Importance {
	switch {
	case failing, code == 401, code == 403, code == 407:
		return widget.DangerImportance
	case code <= 0, code >= 500:
		return widget.WarningImportance
	case code >= 400:
		return widget.WarningImportance
	case code >= 200 && code < 300:
		return widget.MediumImportance
	}
	return widget.MediumImportance
}

// heading is a bold label in the theme's sub-heading size.
func heading(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameSubHeadingText
	l.Wrapping = fyne.TextWrapWord
	return l
}

// para is a wrapped label for a paragraph of text.
func para(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}
