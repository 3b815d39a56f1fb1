package ui

import (
	"fmt"
	"image/png"
	"os"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"authlens/capture"
)

func TestZZTable2(t *testing.T) {
	a := test.NewTempApp(t)
	win := a.NewWindow("x")
	var mu sync.Mutex
	var rows []capture.Row
	table := widget.NewTableWithHeaders(
		func() (int, int) {
			mu.Lock()
			defer mu.Unlock()
			return len(rows), len(captureColumns)
		},
		func() fyne.CanvasObject { l := widget.NewLabel(""); l.Truncation = fyne.TextTruncateEllipsis; return l },
		func(id widget.TableCellID, o fyne.CanvasObject) {
			mu.Lock()
			var r capture.Row
			ok := id.Row >= 0 && id.Row < len(rows)
			if ok {
				r = rows[id.Row]
			}
			mu.Unlock()
			l := o.(*widget.Label)
			if !ok {
				l.SetText("")
				return
			}
			if os.Getenv("ZZ_S") != "" {
				l.TextStyle = fyne.TextStyle{Bold: r.Problem && id.Col >= 3}
			}
			l.SetText([]string{fmt.Sprint(r.Index), r.Time, r.Method, r.Status, r.URL, r.Diagnosis}[id.Col])
		})
	table.ShowHeaderColumn = false
	if os.Getenv("ZZ_W") != "" {
		for i, c := range captureColumns {
			table.SetColumnWidth(i, c.width)
		}
	}
	win.SetContent(container.NewBorder(widget.NewLabel("top"), nil, nil, nil, table))
	win.Resize(fyne.NewSize(1200, 400))
	mu.Lock()
	rows = []capture.Row{{Index: 0, Time: "12:00:00", Method: "GET", Status: "401", URL: "http://x/y", Diagnosis: "d"}}
	mu.Unlock()
	table.Refresh()
	f, _ := os.Create("/tmp/table2.png")
	png.Encode(f, win.Canvas().Capture())
	f.Close()
}
