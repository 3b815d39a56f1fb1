//go:build !linux

package filedialog

import "fyne.io/fyne/v2"

// nativeChooser: only Linux's desktop portal is wired so far. On Windows
// the system dialog (comdlg32) needs a hand-written binding; until then
// the typed-path dialog is used there too.
func nativeChooser(fyne.Window, Chooser) Chooser { return nil }
