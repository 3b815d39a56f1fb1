//go:build linux

package filedialog

import (
	"os"
	"strings"

	"fyne.io/fyne/v2"
	"github.com/godbus/dbus/v5"
	"github.com/rymdport/portal/filechooser"
)

// portalChooser asks the desktop's own file dialog through the
// xdg-desktop-portal (GNOME, KDE, and any Flatpak host): typing a path,
// bookmarks and the person's habits come with it.
type portalChooser struct {
	fallback Chooser // when the portal call fails
}

// nativeChooser returns the portal when the session bus offers it.
func nativeChooser(_ fyne.Window, fallback Chooser) Chooser {
	if os.Getenv(EnvNoPortal) != "" || !portalAvailable() {
		return nil
	}
	return &portalChooser{fallback: fallback}
}

// portalAvailable reports whether org.freedesktop.portal.Desktop is
// running or can be started on the session bus.
func portalAvailable() bool {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		return false
	}
	conn, err := dbus.SessionBus()
	if err != nil {
		return false
	}
	const name = "org.freedesktop.portal.Desktop"
	var has bool
	if err := conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, name).Store(&has); err == nil && has {
		return true
	}
	var activatable []string
	if err := conn.BusObject().Call("org.freedesktop.DBus.ListActivatableNames", 0).Store(&activatable); err == nil {
		for _, n := range activatable {
			if n == name {
				return true
			}
		}
	}
	return false
}

func portalFilters(exts []string) []*filechooser.Filter {
	if len(exts) == 0 {
		return nil
	}
	f := &filechooser.Filter{Name: "HAR traces"}
	if exts[0] != ".har" {
		f.Name = strings.TrimPrefix(exts[0], ".") + " files"
	}
	for _, e := range exts {
		f.Rules = append(f.Rules, filechooser.Rule{Type: filechooser.GlobPattern, Pattern: "*" + e})
	}
	return []*filechooser.Filter{f}
}

// The portal call blocks until the person answers: it runs off the UI
// goroutine and reports back through fyne.Do.
func (p *portalChooser) Open(req Request, done func(string)) {
	go func() {
		uris, err := filechooser.OpenFile("", req.Title, &filechooser.OpenFileOptions{
			AcceptLabel: "Open", Filters: portalFilters(req.Exts), CurrentFolder: req.Dir,
		})
		fyne.Do(func() { p.finish(uris, err, req, false, done) })
	}()
}

func (p *portalChooser) Save(req Request, done func(string)) {
	go func() {
		uris, err := filechooser.SaveFile("", req.Title, &filechooser.SaveFileOptions{
			AcceptLabel: "Save", Filters: portalFilters(req.Exts), CurrentFolder: req.Dir, CurrentName: req.Name,
		})
		fyne.Do(func() { p.finish(uris, err, req, true, done) })
	}()
}

func (p *portalChooser) finish(uris []string, err error, req Request, save bool, done func(string)) {
	if err != nil {
		// No file-chooser backend behind the portal: AuthLens's own dialog.
		if save {
			p.fallback.Save(req, done)
		} else {
			p.fallback.Open(req, done)
		}
		return
	}
	if len(uris) == 0 {
		done("")
		return
	}
	// The library has already unescaped the URI.
	path, ok := strings.CutPrefix(uris[0], "file://")
	if !ok {
		done("")
		return
	}
	done(path)
}
