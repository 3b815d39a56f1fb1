package compareview

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"authlens/ui/internal/uitest"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"authlens/analysis/compare"
	"authlens/har"
	"authlens/ui/viewmodel"
	"authlens/ui/widgets"
)

// What the tests read off a drawn object (ui/internal/uitest).
var (
	texts        = uitest.Texts
	containsText = uitest.ContainsText
)

// comparePair compares the working and failing trace of the pair called
// name in testdata/pairs/pairs.txt, as File ▸ Compare does.
func comparePair(t *testing.T, name string) *viewmodel.Comparison {
	t.Helper()
	root := filepath.Join("..", "..", "testdata")
	f, err := os.Open(filepath.Join(root, "pairs", "pairs.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var good, bad string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if fs := strings.Fields(sc.Text()); len(fs) == 5 && fs[0] == name {
			good, bad = filepath.Join(root, fs[1]), filepath.Join(root, fs[2])
		}
	}
	if good == "" {
		t.Fatalf("no pair %q in pairs.txt", name)
	}
	load := func(path string) *viewmodel.Session {
		s, err := viewmodel.HARAnalyzer{}.Load(context.Background(), viewmodel.Source{Path: path}, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	res, err := viewmodel.CompareTraces(context.Background(), load(good), load(bad), nil)
	if err != nil {
		t.Fatal(err)
	}
	return viewmodel.NewComparison(res)
}

type opened struct {
	side  compare.Side
	entry int
}

func TestCompareViewShowsDivergenceAndDifferences(t *testing.T) {
	a := test.NewTempApp(t)
	c := comparePair(t, "cookie-rejected")
	var got []opened
	v := New(c, Callbacks{Open: func(side compare.Side, entry int, _ har.Location) { got = append(got, opened{side, entry}) }})
	win := a.NewWindow("compare")
	win.SetContent(v.Root())
	win.Resize(fyne.NewSize(1366, 768))
	v.RevealDivergence()

	// The first divergence is selected, highlighted and named.
	div := v.c.DivergentRow
	if div < 0 || v.selRow != div || v.selSide != compare.SideBad {
		t.Fatalf("selected row %d (%s), want the divergence %d", v.selRow, v.selSide, div)
	}
	cell := v.table.CreateCell().(*fyne.Container)
	v.updateCell(widget.TableCellID{Row: div, Col: colStep}, cell)
	if l := cell.Objects[1].(*widget.Label); l.Text != "GET /app/" || !l.TextStyle.Bold {
		t.Errorf("divergent step cell %q", l.Text)
	}
	v.updateCell(widget.TableCellID{Row: div, Col: colBad}, cell)
	if bg := cell.Objects[0].(*canvas.Rectangle); bg.FillColor != widgets.BannerColor(widget.DangerImportance) {
		t.Errorf("the divergent row is not tinted: %v", bg.FillColor)
	}
	if l := cell.Objects[1].(*widget.Label); !strings.Contains(l.Text, "401") || l.Importance != widget.DangerImportance {
		t.Errorf("divergent failing cell %q (importance %v)", l.Text, l.Importance)
	}
	if !strings.Contains(v.headline.Text, "there the failing one got 401 Unauthorized. Most likely because: the browser refused cookie session.") {
		t.Errorf("headline %q", v.headline.Text)
	}
	if !strings.Contains(v.concerns.Text, "difference 1 concerns it") {
		t.Errorf("concerns %q", v.concerns.Text)
	}
	// The first difference, with its cause's title; the noise folded.
	if !containsText(v.diffs, "1. The browser refused cookie session") || !containsText(v.diffs, "Cause: "+viewmodel.CauseTitle("cookie-rejected")) {
		t.Errorf("differences panel: %q", texts(v.diffs))
	}
	if len(v.noise.Items) != 1 || !strings.HasPrefix(v.noise.Items[0].Title, "Noise (") || v.noise.Items[0].Open {
		t.Fatalf("noise is not folded under Noise (N): %+v", v.noise.Items)
	}
	test.LaidOutObjects(v.root)
	if v.noise.Items[0].Detail.Visible() {
		t.Error("the noise shows before it is unfolded")
	}
	v.noise.Open(0)
	if !containsText(v.noise, "Timestamps, validators") {
		t.Errorf("unfolded noise: %q", texts(v.noise))
	}
	v.noise.Close(0)
	// A step only the working trace made shows "—" for the failing one.
	for k, r := range v.c.Rows {
		if r.Bad.Entry < 0 {
			v.updateCell(widget.TableCellID{Row: k, Col: colBad}, cell)
			if l := cell.Objects[1].(*widget.Label); l.Text != "—" {
				t.Errorf("missing step shows %q", l.Text)
			}
			break
		}
	}

	// Enter opens the failing side of the selected step; a double-click
	// on the working cell, the working side.
	v.table.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	v.table.Select(widget.TableCellID{Row: div, Col: colGood})
	v.table.DoubleTapped(&fyne.PointEvent{Position: fyne.NewPos(-1, -1)})
	want := []opened{{compare.SideBad, c.Rows[div].Bad.Entry}, {compare.SideGood, c.Rows[div].Good.Entry}}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("opened %+v, want %+v", got, want)
	}
}
