package ui

import (
	"context"
	"image/png"
	"net/http"
	"net/url"
	"os"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

func TestZZCaptureShot(t *testing.T) {
	a := test.NewTempApp(t)
	a.Settings().SetTheme(theme.DarkTheme())
	win := a.NewWindow("capture")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	content := newCaptureView(win, CaptureDeps{Ctx: ctx, CADir: t.TempDir() + "/ca", CaptureDir: t.TempDir(), Prefs: a.Preferences()})
	win.SetContent(content)
	win.Resize(fyne.NewSize(1280, 800))
	test.Tap(findButton(content, "Start capture"))
	st := labelText(content, "Capturing on ")
	addr := st[len("Capturing on "):]
	addr = addr[:len("127.0.0.1:8080")]
	pu, _ := url.Parse("http://" + addr)
	c := &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(pu)}}
	for _, u := range []string{"http://127.0.0.1:1/x", "http://" + addr + "/"} {
		r, err := c.Get(u)
		if err == nil { r.Body.Close() }
	}
	time.Sleep(800 * time.Millisecond)
	for _, o := range test.LaidOutObjects(content) {
		if tb, ok := o.(*widget.Table); ok {
			r, c := tb.Length()
			t.Logf("len %d %d size %v pos %v", r, c, tb.Size(), tb.Position())
			if os.Getenv("ZZ_REFRESH") != "" { tb.Refresh(); win.Resize(fyne.NewSize(1280, 801)) }
		}
	}
	img := win.Canvas().Capture()
	f, _ := os.Create("/tmp/capture-view.png")
	png.Encode(f, img)
	f.Close()
}
