package ui

import (
	"image/png"
	"os"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

func TestZZTable(t *testing.T) {
	a := test.NewTempApp(t)
	win := a.NewWindow("x")
	n := 0
	tb := widget.NewTableWithHeaders(func() (int, int) { return n, 3 },
		func() fyne.CanvasObject { l := widget.NewLabel(""); if os.Getenv("ZZ_T") != "" { l.Truncation = fyne.TextTruncateEllipsis }; return l },
		func(id widget.TableCellID, o fyne.CanvasObject) { o.(*widget.Label).SetText("cell") })
	tb.ShowHeaderColumn = false
	if os.Getenv("ZZ_W") != "" { tb.SetColumnWidth(0, 50); tb.SetColumnWidth(1, 80); tb.SetColumnWidth(2, 200) }
	if os.Getenv("ZZ_H") != "" { tb.CreateHeader = func() fyne.CanvasObject { return widget.NewLabel("") }; tb.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) { o.(*widget.Label).SetText("h") } }
	win.SetContent(container.NewBorder(widget.NewLabel("top"), nil, nil, nil, tb))
	win.Resize(fyne.NewSize(600, 400))
	n = 3
	tb.Refresh()
	f, _ := os.Create("/tmp/table.png")
	png.Encode(f, win.Canvas().Capture())
	f.Close()
	t.Logf("%q", texts(tb))
}
