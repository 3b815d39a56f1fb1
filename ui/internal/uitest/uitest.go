// Package uitest holds what the window's and the views' interaction tests
// read off a drawn Fyne object: the texts a person can read, and the
// buttons they can press. Only tests import it.
package uitest

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// Texts collects every text the user can read in o (labels, buttons,
// entries), in layout order.
func Texts(o fyne.CanvasObject) []string {
	var out []string
	if o == nil {
		return nil
	}
	for _, obj := range test.LaidOutObjects(o) {
		if !obj.Visible() {
			continue
		}
		switch x := obj.(type) {
		case *widget.Label:
			out = append(out, x.Text)
		case *widget.Button:
			out = append(out, x.Text)
		case *widget.Entry:
			out = append(out, x.Text)
		}
	}
	return out
}

// ContainsText reports whether some readable text of o contains sub.
func ContainsText(o fyne.CanvasObject, sub string) bool {
	for _, s := range Texts(o) {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// FindButton returns the visible button whose text starts with prefix.
func FindButton(o fyne.CanvasObject, prefix string) *widget.Button {
	for _, obj := range test.LaidOutObjects(o) {
		if b, ok := obj.(*widget.Button); ok && b.Visible() && strings.HasPrefix(b.Text, prefix) {
			return b
		}
	}
	return nil
}
