// Package widgets holds the small drawing helpers the window (ui) and its
// view packages (ui/filedialog, ui/captureview, ui/compareview,
// ui/timelineview) share, so no view package needs ui and none keeps its
// own copy.
package widgets

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
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

// BannerColor is a faint tint of the importance's theme colour, for bars.
func BannerColor(imp widget.Importance) color.Color {
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
	return WithAlpha(theme.Color(name), 0x38)
}

// Banner is a coloured bar with an icon, a message and an optional
// action button.
func Banner(icon fyne.Resource, text string, imp widget.Importance, action fyne.CanvasObject) fyne.CanvasObject {
	msg := widget.NewLabel(text)
	msg.Wrapping = fyne.TextWrapWord
	msg.Importance = imp
	ic := widget.NewIcon(icon)
	var right fyne.CanvasObject
	if action != nil {
		right = container.NewCenter(action)
	}
	bg := CanvasRect(BannerColor(imp))
	return container.NewStack(bg, container.NewBorder(nil, nil, container.NewCenter(ic), right, msg))
}

// CompactTheme is the app's theme with a smaller text and tighter cell
// padding, for the entries table: nine columns fit beside the detail pane
// at 1280 px, and more rows show at once.
type CompactTheme struct{}

func (CompactTheme) base() fyne.Theme { return fyne.CurrentApp().Settings().Theme() }

func (t CompactTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	return t.base().Color(n, v)
}

func (t CompactTheme) Font(s fyne.TextStyle) fyne.Resource { return t.base().Font(s) }

func (t CompactTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return t.base().Icon(n) }

func (t CompactTheme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNameText:
		return 13
	case theme.SizeNameInnerPadding:
		return 6
	}
	return t.base().Size(n)
}

// StatusImportance colours a status: sign-in and permission failures stand
// out, other errors are warnings.
func StatusImportance(code int, failing bool) widget.Importance {
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
