package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"authlens/ui/widgets"
)

// The app uses Fyne's default theme (appTheme below), which follows the
// system's light or dark setting unless View ▸ Theme picks one; the
// helpers tint surfaces from the theme's colours.

// Theme choices of View ▸ Theme, stored in the preferences.
const (
	prefTheme   = "theme"
	themeSystem = "system"
	themeLight  = "light"
	themeDark   = "dark"
)

// appTheme is Fyne's default theme with the variant the person chose
// (View ▸ Theme; "system" follows the desktop, or FYNE_THEME) and the
// colours AuthLens adds.
type appTheme struct {
	variant string // themeSystem, themeLight or themeDark
}

func (t appTheme) resolve(v fyne.ThemeVariant) fyne.ThemeVariant {
	switch t.variant {
	case themeLight:
		return theme.VariantLight
	case themeDark:
		return theme.VariantDark
	}
	return v
}

func (t appTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	v = t.resolve(v)
	switch n {
	case colorNameMasked:
		return maskedColor(v)
	case theme.ColorNameInputBorder:
		// The default outline of an unticked box (the guided fix's
		// checklist) almost vanishes; 3:1 is what a control needs.
		if v == theme.VariantLight {
			return color.NRGBA{R: 0x8a, G: 0x8a, B: 0x94, A: 0xff}
		}
		return color.NRGBA{R: 0x7a, G: 0x7a, B: 0x84, A: 0xff}
	}
	return theme.DefaultTheme().Color(n, v)
}

func (t appTheme) Font(s fyne.TextStyle) fyne.Resource     { return theme.DefaultTheme().Font(s) }
func (t appTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return theme.DefaultTheme().Icon(n) }
func (t appTheme) Size(n fyne.ThemeSizeName) float32       { return theme.DefaultTheme().Size(n) }

// applyTheme sets the theme saved in the preferences.
func (w *Window) applyTheme() {
	w.app.Settings().SetTheme(appTheme{variant: w.app.Preferences().StringWithFallback(prefTheme, themeSystem)})
}

// SetTheme switches the theme (View ▸ Theme) and remembers the choice.
func (w *Window) SetTheme(variant string) {
	w.app.Preferences().SetString(prefTheme, variant)
	w.applyTheme()
	w.win.SetMainMenu(w.mainMenu()) // the tick moves
}

// colorNameMasked colours masked secrets: set apart from real values,
// but as readable as body text (WCAG AA, 4.5:1, on the background).
const colorNameMasked fyne.ThemeColorName = "authlens-masked"

func maskedColor(v fyne.ThemeVariant) color.Color {
	if v == theme.VariantLight {
		return color.NRGBA{R: 0x5a, G: 0x5a, B: 0x66, A: 0xff}
	}
	return color.NRGBA{R: 0xa8, G: 0xa8, B: 0xb4, A: 0xff}
}

// maskedTheme draws low-importance text in the masked colour: a masked
// value keeps every feature of a label (wrapping, selection) and a
// readable colour, where the theme's "disabled" grey is nearly invisible.
type maskedTheme struct{}

func (maskedTheme) base() fyne.Theme { return fyne.CurrentApp().Settings().Theme() }

func (t maskedTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if n == theme.ColorNameDisabled {
		return t.base().Color(colorNameMasked, v)
	}
	return t.base().Color(n, v)
}
func (t maskedTheme) Font(s fyne.TextStyle) fyne.Resource     { return t.base().Font(s) }
func (t maskedTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return t.base().Icon(n) }
func (t maskedTheme) Size(n fyne.ThemeSizeName) float32       { return t.base().Size(n) }

// maskedStyle shows l as a masked value: italic, in the masked colour.
func maskedStyle(l *widget.Label) fyne.CanvasObject {
	l.Importance = widget.LowImportance
	l.TextStyle.Italic = true
	return container.NewThemeOverride(l, maskedTheme{})
}

// maskedLabel is a wrapped paragraph in the masked style.
func maskedLabel(text string) fyne.CanvasObject { return maskedStyle(widgets.Para(text)) }
